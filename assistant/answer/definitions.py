"""What a term means: the law's own definition ("Điều 2. Giải thích từ ngữ … 3. Cưỡng bức lao động là việc …"),
quoted whole, when a question asks what a term is, means or how the law defines it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..glossary import glossary_senses
from ..retrieve import Filters
from ..text import fold, keyword_terms, normalize_for_matching
from .structure import section_at, tree
from .types import Answer, according_to, clean_quote, document_label, official_section

if TYPE_CHECKING:
    from ..query import Query
    from .context import Context


@dataclass(frozen=True)
class Definition:
    """One term a document defines, and the span of its definition."""

    doc_id: str
    term: str  # as written: "Cưỡng bức lao động"
    start: int
    end: int


# The article or clause that defines a law's terms: "Điều 2. Giải thích từ ngữ", "Điều 3. Khái niệm".
_DEFINING_HEADING = re.compile(r"(?i)giải thích từ ngữ|giải thích thuật ngữ|khái niệm|định nghĩa")
# "3. Cưỡng bức lao động là việc …", "a) Nạn nhân là người …": a numbered term and what it is.
_DEFINING_LINE = re.compile(r"^\s*(?:\d+|[a-zđ])[.)]\s+(?P<term>[^\n.;:]{2,80}?)\s+(?:là|được hiểu là)\s+\S")


def _definitions_in(doc_id: str, text: str) -> tuple[Definition, ...]:
    out = []
    for node in tree(text).descendants():
        if node.kind != "dieu" or not _DEFINING_HEADING.search(node.heading(text)):
            continue
        for line in re.finditer(r"[^\n]+", text[node.start : node.end]):
            m = _DEFINING_LINE.match(line.group(0))
            if m:
                # quoted from the term on, as the article's other quotes are (without the "3. " before it)
                out.append(Definition(doc_id, m.group("term").strip(), node.start + line.start() + m.start("term"),
                                      node.start + line.end()))
    return tuple(out)


def definitions(composer: "Context") -> list[Definition]:
    """Every term the indexed documents define in an article of definitions (each document read once)."""
    cache = composer.defined
    for doc_id, doc in composer.store.documents.items():
        if doc_id not in cache:
            cache[doc_id] = _definitions_in(doc_id, doc.text)
    return [d for doc_id in composer.store.documents for d in cache[doc_id]]


# What a question asks to have defined, folded: "X là gì", "thế nào là X", "how does the law define X", "what is X".
_ASKED = (
    re.compile(r"^(?:theo [^,]{3,80}, )?(?P<term>.{2,80}?) (?:duoc (?:\w+ ){0,3}(?:hieu|dinh nghia|giai thich)(?: la| nhu the nao| ra sao)?|"
               r"(?:co )?nghia la gi|la (?:gi|the nao)|duoc coi la gi)\b"),
    # "Thế còn nô lệ tình dục thì định nghĩa sao?": a follow-up's term, then how it is defined
    re.compile(r"^(?:(?:the |vay )?con |va )?(?P<term>.{2,80}?) (?:thi )?(?:dinh nghia|hieu|giai thich) (?:sao|the nao|"
               r"nhu the nao|ra sao)$"),
    re.compile(r"\b(?:the nao (?:thi )?(?:(?:duoc|bi) (?:coi|xem) )?la|dinh nghia(?: ve)?|khai niem(?: ve)?|"
               # "thế nào thì bị coi là cưỡng bức lao động", "hành vi nào được xem là bóc lột tình dục", "luật coi hành vi
               # nào là …": what counts as the term
               r"(?:(?:hanh vi|viec|truong hop) nao )?(?:thi )?(?:duoc|bi) (?:coi|xem) la|coi (?:hanh vi|viec) nao la) "
               # (the asking words after the term are no part of it: "Luật định nghĩa cưỡng bức lao động thế nào?")
               r"(?P<term>.{2,80}?)(?: (?:nhu )?(?:the nao|ra sao|sao|la gi))?$"),
    re.compile(r"\b(?:define|defines|defined|definition of|meaning of|(?:what|who) (?:\w+ )?counts? as|what is meant by|"
               r"considered (?:to be )?(?:an? )?|counts? as (?:an? )?) (?P<term>.{2,80})$"),
    re.compile(r"\bmean(?:s|t)? by (?:the (?:term|word|phrase) )?(?P<term>.{2,80})$"),  # "what does the law mean by …"
    re.compile(r"\bwhat (?:does|do) (?:the (?:term|word|phrase) )?(?P<term>.{2,80}?) mean\b"),
    re.compile(r"^(?:so )?what(?: is|'s| are) (?:an? |the )?(?:term |notion of |concept of )?(?P<term>[^,]{2,60}?)"
               r"(?: (?:under|in|according to|by) .*)?$"),
)
# Words before a term that say it is a term ("khái niệm", "thuật ngữ", "the term"), as typed
_NAMING_THE_TERM = re.compile(r"(?i)^\s*(?:khái niệm|khai niem|định nghĩa|dinh nghia|thuật ngữ|thuat ngu|cụm từ|cum tu|"
                              r"the term|the notion of|the concept of)(?:\s+(?:về|ve|of))?\s+")
_QUOTED = re.compile(r"[\"“‘'](.{2,60}?)[\"”’']")
# Words around the term that name the law or the asker, not the term.
# (and the scope a compound's later part is given in brackets: "ai thì được coi là nạn nhân (luật 66)")
_AROUND = re.compile(r"(?i)\b(?:theo|under|in|according to|by|trong|cua|của)\b.*$|\([^)]*\)\s*$|['\"“”‘’?]")


def asked_term(query: "Query") -> str | None:
    """The term a question asks to have defined, as typed (None when it asks something else)."""
    # a follow-up's own words first: "Thế còn nô lệ tình dục thì định nghĩa sao?" asks its term, not the one of the
    # question it follows, which its resolved text carries too
    whole = (query.question, query.text) if query.followup else (query.text,)
    # each question of several sentences on its own too: "… what exactly counts as 'sexual exploitation'? We want our
    # training materials to match the statutory definition."
    asked_alone = [s for t in whole for s in re.findall(r"[^.?!]+\?", t) if s.strip() != t.strip()]
    for asked in (*whole, *asked_alone):
        text = asked.strip().rstrip("?. ")
        folded = fold(text)
        for pattern in _ASKED:
            m = pattern.search(folded)
            if m:
                quoted = _QUOTED.search(text)  # "thì “nạn nhân” được hiểu là gì": the term in quotes, wherever it stands
                term = quoted.group(1) if quoted else _AROUND.sub(" ", text[m.start("term") : m.end("term")])
                term = _NAMING_THE_TERM.sub("", term)  # "Khái niệm nạn nhân … là gì": the term is "nạn nhân"
                if re.search(r"[.?!]\s", text[m.start("term") : m.end("term")]):
                    continue  # a term does not run into the next sentence (each question is read alone below)
                if term.strip(" ,"):
                    return term.strip(" ,")
    return None


def _terms(text: str) -> set[str]:
    return {t for t in keyword_terms(normalize_for_matching(text).lower()) if not t.startswith("~")}


def _readings(asked: str, language: str) -> list[set[str]]:
    """The terms of what was asked, one set per reading: an English word the glossary gives several terms for is read
    with each ("forced marriage": cưỡng ép kết hôn, or hôn nhân có yếu tố nước ngoài)."""
    if language != "en":
        return [_terms(asked)]
    readings = [""]
    for sense in glossary_senses(asked):
        readings = [f"{r} , {alternative}" for r in readings for alternative in sense][:16]
    return [_terms(r) for r in readings]


def answer_definition(composer: "Context", query: "Query", filters: Filters) -> Answer | None:
    """The definition of the term asked, quoted whole; None when the question asks no term or no document defines
    it (facts answer then)."""
    asked = asked_term(query) if query.slot in (None, "agency") else None  # "what is the penalty for …" asks a penalty
    if not asked:
        return None
    if query.language != "en" and query.without_diacritics:
        asked = composer.retriever.prepare(asked).dense_text  # restored from the corpus's words
    readings = [(wanted, {t for t in wanted if "_" not in t}) for wanted in _readings(asked, query.language)]
    readings = [(wanted, words) for wanted, words in readings if words]
    if not readings:
        return None
    allowed = composer.retriever.allowed_rows(filters) if filters else None
    docs = None if allowed is None else composer.retriever.documents_of(allowed)
    best: tuple[int, Definition] | None = None
    for definition in definitions(composer):
        if docs is not None and definition.doc_id not in docs:
            continue
        own = _terms(definition.term)
        own_words = {t for t in own if "_" not in t}
        # every word of the term asked, and most of what was asked is the term ("lao động" alone is no "cưỡng bức
        # lao động"; "hình phạt cho cưỡng bức lao động" asks a penalty, not the term)
        if any(own <= wanted and len(words - own_words) <= 1 for wanted, words in readings):
            if best is None or len(own) > best[0]:
                best = (len(own), definition)
    if best is None:
        return None
    definition = best[1]
    doc = composer.store.documents[definition.doc_id]
    section = section_at(doc.text, definition.start)
    lead = according_to(document_label(doc, query.language), official_section(section, query.language), query.language)
    quote = clean_quote(doc.text[definition.start : definition.end])
    cite = composer.span_citation(1, definition.doc_id, definition.start, definition.end, section,
                                  [(definition.start, definition.end)])
    return Answer(query.question, f"{lead}: “{quote}” [1]", True, (cite,), query.language, query.legacy_intent, query.text,
                  query.scope.as_dict())


# "Tên đầy đủ của BCĐ 138 tỉnh Lâm Đồng là gì?", "What is the full name of …?", "What does … stand for?"
_FULL_NAME_ASKED = re.compile(r"\b(ten day du|ten goi day du|ten chinh thuc|ten dai|full (official )?name|official name|"
                              r"full title|stands? for|(formally|officially) (called|named|known as)|formal name|viet tat (cua|cho)|"
                              r"goi tat (la )?(cua|cho))\b")
# "… tỉnh Lâm Đồng (gọi tắt là Ban Chỉ đạo 138 tỉnh)", "… tỉnh Ninh Bình (Ban Chỉ đạo 138 tỉnh)": a name and its short form
_SHORT_FORM = re.compile(r"\((?:gọi tắt là|sau đây gọi tắt là|sau đây gọi là|viết tắt là|gọi tắt)?\s*(?P<short>[^()\n]{2,60})\)")
# where a long name starts, at the latest: after the sentence or clause before it
_NAME_START = re.compile(r"(?:[.;:\n]|,\s(?=[A-ZĐ]))\s*")
_GENERIC_NAME_WORDS = {"tinh", "thanh", "pho", "huyen", "xa"}


def answer_full_name(composer: "Context", query: "Query", filters: Filters) -> Answer | None:
    """The full name of a body the question names by its short form, where a document writes the name with the
    short form after it in brackets; None when the question asks no full name or no document gives it."""
    if not _FULL_NAME_ASKED.search(fold(query.text)):
        return None
    asked = set(fold(composer.retriever.prepare(query.text).dense_text).split())
    if query.language == "en":
        asked |= {w for senses in glossary_senses(query.text) for sense in senses for w in fold(sense).split()}
    allowed = composer.retriever.allowed_rows(filters) if filters else None
    docs = composer.store.documents if allowed is None else {
        d: composer.store.documents[d] for d in composer.retriever.documents_of(allowed)}
    best = None
    for doc_id, doc in docs.items():
        for m in _SHORT_FORM.finditer(doc.text):
            short = set(re.findall(r"\w+", fold(m.group("short")))) - _GENERIC_NAME_WORDS
            acronym = re.fullmatch(r"[A-ZĐ]{3,}", m.group("short").strip())  # "(ACTIP)"
            if len(short) < (1 if acronym else 2) or not short <= asked:
                continue
            before = doc.text[max(0, m.start() - 300) : m.start()]
            # the long name opens with the short form's head ("Ban Chỉ đạo phòng, chống tội phạm; … (Ban Chỉ đạo 138
            # tỉnh)"), else after the clause before it
            head = " ".join(m.group("short").split()[:2])
            at = before.rfind(head) if not acronym else -1
            cuts = list(_NAME_START.finditer(before))
            start = m.start() - len(before) + (at if at >= 0 else cuts[-1].end() if cuts else 0)
            if best is None or len(short) > best[0]:
                best = (len(short), doc_id, start, m.end())
    if best is None:
        return None
    _n, doc_id, start, end = best
    doc = composer.store.documents[doc_id]
    section = section_at(doc.text, start)
    lead = according_to(document_label(doc, query.language), official_section(section, query.language), query.language)
    cite = composer.span_citation(1, doc_id, start, end, section, [(start, end)])
    return Answer(query.question, f"{lead}: “{clean_quote(doc.text[start:end])}” [1]", True, (cite,), query.language,
                  query.legacy_intent, query.text, query.scope.as_dict())
