"""Penalty questions over a criminal-law article ("Mua bán người dưới 16 tuổi có tổ chức thì bị phạt thế
nào?", "What prison term applies under Article 150 to an organised group?"): the penalty is stated once
per clause (khoản), above the circumstances (điểm) it applies to. The answer is the clause whose
circumstances the question names; with none named, the basic clause (khoản 1), or the heaviest when
the question asks for the highest penalty."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..chunk import Node
from ..query import Query
from ..text import fold, keyword_terms
from .structure import tree
from .types import Answer, clean_quote, document_label, official_section

if TYPE_CHECKING:
    from ..retrieve import Hit
    from .context import Context

_SENTENCE = re.compile(r"(?i)phạt tù|tù chung thân|tử hình")
_HEAVIEST = re.compile(r"\b(cao nhat|nang nhat|toi da|khung cao nhat|maximum|highest|heaviest|most severe|harshest|toughest)\b")
# Words of the question that ask for a penalty, not for a circumstance it applies to.
_PENALTY_WORDS = {fold(w) for w in ("phạt", "tù", "hình_phạt", "mức", "khung", "năm", "bao_nhiêu", "cơ_bản", "cao_nhất",
                                     "nặng_nhất", "tối_đa", "thế_nào", "quy_định", "bị", "xử", "tội", "điều", "khoản")}


def _articles(node: Node) -> list[Node]:
    out = []
    for child in node.children:
        if child.kind == "dieu":
            out.append(child)
        elif child.kind in ("phan", "chuong", "muc", "roman", "root"):
            out.extend(_articles(child))
    return out


def _clauses(text: str, article: Node) -> list[Node]:
    """The clauses of an article that state a prison penalty in their lead line."""
    out = []
    for clause in article.children:
        if clause.kind != "arabic":
            continue
        lead = text[clause.start : clause.body_end]
        if _SENTENCE.search(lead):
            out.append(clause)
    return out


def answer_penalty(composer: "Context", query: Query, hits: list["Hit"]) -> Answer | None:
    """The clause of the article that sets the penalty asked about, quoted with the circumstance it matches."""
    if query.slot != "penalty" or not hits:
        return None
    topic = composer._topic_terms(query.text, query.language)
    best = None  # (score, doc, article, clauses)
    for hit in hits[:5]:
        doc = composer.store.documents[hit.chunk.doc_id]
        for article in _articles(tree(doc.text)):
            if query.article and article.label != f"Điều {query.article}":
                continue
            if not (article.start < hit.chunk.end and hit.chunk.start < article.end) and not query.article:
                continue
            clauses = _clauses(doc.text, article)
            if len(clauses) < 2:
                continue
            title = set(keyword_terms(doc.text[article.start : article.body_end]))
            # an offence qualified by words the question lacks ("… dưới 16 tuổi") is not the one asked
            words = {t for t in title if "_" not in t and not t.isdigit() and fold(t) != "dieu"}
            unasked = len(words - topic) / len(words) if words else 0.0
            score = composer._coverage(topic, title) + 0.2 / hit.rank - 0.5 * unasked
            if best is None or score > best[0]:
                best = (score, doc, article, clauses)
    if best is None:
        return None
    _score, doc, article, clauses = best
    text = doc.text
    own = set(keyword_terms(text[article.start : article.body_end]))
    # …and the syllables of those words ("cơ", "bản" of "khung cơ bản") are no circumstance either
    syllables = {part for word in _PENALTY_WORDS for part in word.split("_")}
    conditions = {t for t in topic if t not in own and fold(t) not in _PENALTY_WORDS
                  and not all(fold(p) in _PENALTY_WORDS or fold(p) in syllables for p in t.split("_"))}
    chosen, point = clauses[0], None
    fits = []
    for clause in clauses:
        for item in clause.children:
            words = set(keyword_terms(text[item.start : item.end]))
            # how much of what is asked the point says, or how much of a short point is asked ("a) Có tổ chức;"
            # in "… dưới 16 tuổi có tổ chức …", beside words of the question the point need not carry)
            asked = composer._coverage(conditions, words) if conditions else 0.0
            said = composer._coverage(words, conditions) if conditions and len(words) <= 12 else 0.0
            fits.append((max(asked, said), -clause.start, clause, item))
    top = max(fits, key=lambda f: (f[0], f[1]), default=None)
    if top is not None and top[0] >= 0.3:
        chosen, point = top[2], top[3]
    elif _HEAVIEST.search(fold(query.text)):
        chosen = clauses[-1]
    elif any("_" not in t for t in conditions) and not query.article:
        # circumstances the article's points do not carry, of an offence its title does not name ("phạt hành chính
        # … kỳ thị nạn nhân"): another penalty than this article's, not its basic clause
        return None
    lead_end = chosen.body_end
    while lead_end > chosen.start and text[lead_end - 1] in " \n\t":
        lead_end -= 1
    quote = f"“{clean_quote(text[chosen.start : lead_end])}”"
    highlights = [(chosen.start, lead_end)]
    if point is not None:
        quote += f" … “{clean_quote(text[point.start : point.end])}”"
        highlights.append((point.start, point.end))
    section = f"{article.label} › Khoản {chosen.label}" if not chosen.label.startswith("Khoản") else f"{article.label} › {chosen.label}"
    if point is not None:
        section += f" › Điểm {point.label.replace('Điểm ', '')}"
    where = official_section(section, query.language)
    cite = composer.span_citation(1, doc.doc_id, chosen.start, chosen.end, section, highlights)
    lead = f"According to {document_label(doc, 'en')}" if query.language == "en" else f"Theo {document_label(doc, 'vi')}"
    body = f"{lead}, {where}: {quote} [1]"
    return Answer(query.question, body, True, (cite,), query.language, query.legacy_intent, query.text, query.scope.as_dict())
