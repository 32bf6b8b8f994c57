"""A provision the question names ("khoản 2 Điều 151", "điểm c khoản 2 Điều 150", "Article 150(2)(c)",
"clause 3 of Article 151"): answered in its own words, whole: the clause's lead line and every point under
it, or the one point named beneath the lead line it hangs from, cited as officials cite it."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..chunk import SEP, Node
from ..query import Query, quoted_marks
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


# Asked on its own, the part a thing stands in ("xét xử lưu động … nằm trong đề án nào?", "which project covers mobile
# trials?", "trách nhiệm của Bộ Y tế được quy định ở điều nào?"); not "which articles of the Code does it cite", nor "giai
# đoạn nào", which ask what the passage says
_PART_ASKED = re.compile(r"\b((nam|thuoc|o) (trong )?(dieu|muc|khoan|phan|chuong|de an|du an|tieu de an) nao|"
                         r"(quy dinh|neu|de cap|noi) (o|tai|trong) (dieu|muc|khoan|phan|chuong) nao|"
                         r"(which|what) (projects?|sub-projects?|sections?|parts?|chapters?) (covers?|includes?|contains?|deals? with)|"
                         r"(which|what) (project|section|part|chapter|article) (is|are) (it|this|that|these|those|they) (in|under))\b")


def asks_part_named(question: str) -> bool:
    """Whether a question asks, on its own, which part of a document a thing stands in."""
    return bool(_PART_ASKED.search(fold(question)))


def asks_where_said(question: str) -> bool:
    """Whether a follow-up asks where the previous answer's passages stand (their article, section, heading)."""
    return bool(_WHERE_SAID.search(fold(question)))


def _place(composer: "Context", doc_id: str, start: int, language: str) -> tuple[str, str] | None:
    """(section path, "<document>, <section>: “<heading>” › “<heading>”") of a position: its article or section as
    officials cite it and the headings above it; None where the document has no numbered part there."""
    doc = composer.store.documents.get(doc_id)
    chain = containing(tree(doc.text), start) if doc is not None else []
    if not chain:
        return None
    path = chain[-1].path()
    # the headings that say what the part is about ("Điều 38. Trợ cấp khó khăn ban đầu, hỗ trợ vay vốn", "4. Công
    # tác tiếp nhận, xác minh …"), down to the article or numbered section (a clause's heading is its own text)
    article = next((i for i, n in enumerate(path) if n.kind == "dieu"), None)
    kept = path[: article + 1] if article is not None else path
    named = [n for n in kept if n.kind not in ("root", "dash", "plus", "letter")]
    headings = [clean_quote(n.heading(doc.text)) for n in named if n.heading(doc.text).strip()]
    section = path_label(chain[-1])
    said = " › ".join(f"“{h}”" for h in headings[-2:])
    lead = according_to(document_label(doc, language), official_section(section, language), language)
    return section, f"{lead}{': ' + said if said else ''}"


def _where_head(language: str) -> str:
    return "That is said in:" if language == "en" else "Nội dung đó nằm ở:"


def answer_where_said(composer: "Context", query: Query) -> Answer | None:
    """The place of each passage the previous answer quoted, cited again (so the reader opens the same passage); None
    without such passages."""
    lines, cites = [], []
    places: set[tuple[str, str]] = set()
    for doc_id, start, end in query.anchor_marks or query.anchor:
        place = _place(composer, doc_id, start, query.language)
        if place is None or (doc_id, place[0]) in places:
            continue
        places.add((doc_id, place[0]))
        n = len(cites) + 1
        cites.append(composer.span_citation(n, doc_id, start, end, place[0], [(start, end)]))
        lines.append(f"{place[1]} [{n}]")
    if not lines:
        return None
    return Answer(query.question, "\n".join([_where_head(query.language), *lines]), True, tuple(cites), query.language,
                  query.legacy_intent, query.text, query.scope.as_dict())


def with_place(composer: "Context", query: Query, answer: Answer) -> Answer:
    """An answer to "… nằm trong đề án nào?", "which section covers …?" asked on its own: the passages it quotes, then
    where each stands (the part's headings), under the same citation numbers."""
    lines, seen = [], set()
    for citation, (doc_id, start, _end) in zip(answer.citations, quoted_marks(answer.citations)):
        place = _place(composer, doc_id, start, query.language)
        if place is not None and (doc_id, place[0]) not in seen:
            seen.add((doc_id, place[0]))
            lines.append(f"{place[1]} [{citation.n}]")
    if not lines:
        return answer
    return replace(answer, text=f"{answer.text}\n\n" + "\n".join([_where_head(query.language), *lines]))
