"""A provision the question names ("khoản 2 Điều 151", "điểm c khoản 2 Điều 150", "Article 150(2)(c)",
"clause 3 of Article 151"): answered in its own words, whole: the clause's lead line and every point under
it, or the one point named beneath the lead line it hangs from, cited as officials cite it."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..chunk import SEP, Node
from ..query import Query
from ..text import fold
from .refusal import names_missing, states
from .structure import article_node, containing, path_label, tree
from .types import Answer, according_to, clean_quote, document_label, official_section

if TYPE_CHECKING:
    from ..retrieve import Hit
    from .context import Context


def _child(node: Node, label: str, prefix: str) -> Node | None:
    return next((c for c in node.children if c.label in (label, f"{prefix} {label}")), None)


def _labelled(label: str, prefix: str) -> str:
    """"Khoản 2" whether the parser labelled the clause "2" or "Khoản 2"."""
    return label if label.startswith(prefix) else f"{prefix} {label}"


def _trimmed_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \n\t":
        end -= 1
    return end


def answer_provision(composer: "Context", query: Query, hits: list["Hit"]) -> Answer | None:
    """The clause (or point) the question names, quoted whole, from the first retrieved document that has it;
    None when no retrieved document has it, or when it does not state what the question asks (a fine, a date)."""
    if not query.article or not query.clause:
        return None
    seen: set[str] = set()
    for hit in hits[:5]:
        doc_id = hit.chunk.doc_id
        if doc_id in seen:
            continue
        seen.add(doc_id)
        doc = composer.store.documents[doc_id]
        text = doc.text
        article = article_node(text, query.article)
        clause = _child(article, query.clause, "Khoản") if article is not None else None
        if clause is None:
            continue
        point = _child(clause, query.point, "Điểm") if query.point else None
        if query.point and point is None:
            continue
        lead_end = _trimmed_end(text, clause.start, clause.body_end if clause.children else clause.end)
        items = [point] if point is not None else list(clause.children)
        spans = [(clause.start, lead_end)] + [(c.start, _trimmed_end(text, c.start, c.end)) for c in items]
        said = " ".join(text[s:e] for s, e in spans)
        # (the numbers the question names may be the article's own, "Điều 151 … dưới 16 tuổi", in its title)
        if query.slot and not states(query.slot, said) or names_missing(composer, query, doc,
                                                                        f"{article.heading(text)} {said}"):
            return None  # the clause says nothing of what is asked ("the 2017 amendment"): said so by the fact strategy
        section = SEP.join([article.label, _labelled(clause.label, "Khoản"),
                            *([_labelled(point.label, "Điểm")] if point is not None else [])])
        lead = according_to(document_label(doc, query.language), official_section(section, query.language), query.language)
        head = f"{lead}: “{clean_quote(text[clause.start:lead_end])}”"
        if point is not None:
            lines = [f"{head} … “{clean_quote(text[spans[1][0]:spans[1][1]])}” [1]"]
        else:
            lines = [f"{head} [1]"] + [f"- “{clean_quote(text[s:e])}”" for s, e in spans[1:]]
        cite = composer.span_citation(1, doc_id, clause.start, _trimmed_end(text, clause.start, clause.end), section,
                                      spans)
        return Answer(query.question, "\n".join(lines), True, (cite,), query.language, query.legacy_intent, query.text,
                      query.scope.as_dict())
    return None


# "Which article says that?", "Điều nào quy định hai chế độ đó?", "Which section of the plan are these tasks in?": where
# the previous answer's passages stand, not a new search.
_WHERE_SAID = re.compile(r"\b((which|what) ((?!take|takes|taking|took|play|plays)\w+ ){0,2}(sections?|articles?|clauses?|parts?(?!.*\bplay)|"
                         r"provisions?|paragraphs?|chapters?|"
                         r"headings?)|(section|article|clause) (number|no)|where (in|does) (the )?(plan|law|code|text|document)|"
                         r"(dieu|muc|khoan|phan|chuong|diem|doan) (luat )?nao|(nam|o|thuoc) (dieu|muc|khoan|phan|chuong) nao|"
                         r"(can cu|quy dinh) (o|tai) dau)\b")


def asks_where_said(question: str) -> bool:
    """Whether a follow-up asks where the previous answer's passages stand (their article, section, heading)."""
    return bool(_WHERE_SAID.search(fold(question)))


def answer_where_said(composer: "Context", query: Query) -> Answer | None:
    """The place of each passage the previous answer quoted: its article or section as officials cite it and the
    headings above it, cited again (so the reader opens the same passage); None without such passages."""
    lines, cites = [], []
    places: set[tuple[str, str]] = set()
    for doc_id, start, end in query.anchor_marks or query.anchor:
        doc = composer.store.documents.get(doc_id)
        if doc is None:
            continue
        chain = containing(tree(doc.text), start)
        if not chain:
            continue
        path = chain[-1].path()
        # the headings that say what the part is about ("Điều 38. Trợ cấp khó khăn ban đầu, hỗ trợ vay vốn", "4. Công
        # tác tiếp nhận, xác minh …"), down to the article or numbered section (a clause's heading is its own text)
        article = next((i for i, n in enumerate(path) if n.kind == "dieu"), None)
        kept = path[: article + 1] if article is not None else path
        named = [n for n in kept if n.kind not in ("root", "dash", "plus", "letter")]
        headings = [clean_quote(n.heading(doc.text)) for n in named if n.heading(doc.text).strip()]
        section = path_label(chain[-1])
        key = (doc_id, section)
        if key in places:
            continue
        places.add(key)
        n = len(cites) + 1
        cites.append(composer.span_citation(n, doc_id, start, end, section, [(start, end)]))
        where = official_section(section, query.language)
        said = " › ".join(f"“{h}”" for h in headings[-2:])
        lead = according_to(document_label(doc, query.language), where, query.language)
        lines.append(f"{lead}{': ' + said if said else ''} [{n}]")
    if not lines:
        return None
    head = "That is said in:" if query.language == "en" else "Nội dung đó nằm ở:"
    return Answer(query.question, "\n".join([head, *lines]), True, tuple(cites), query.language, query.legacy_intent,
                  query.text, query.scope.as_dict())
