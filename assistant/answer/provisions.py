"""A provision the question names ("khoản 2 Điều 151", "điểm c khoản 2 Điều 150", "Article 150(2)(c)",
"clause 3 of Article 151"): answered in its own words, whole: the clause's lead line and every point under
it, or the one point named beneath the lead line it hangs from, cited as officials cite it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..chunk import SEP, Node
from ..query import Query
from .refusal import names_missing, states
from .structure import article_node
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
