"""A document's own particulars (number, date of issue, signer, issuer), quoted from its header or
signature block (metadata.py finds the line)."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..metadata import (
    DATED_REFERENCE,
    WHOLE_PERIOD,
    all_meta,
    describe,
    find_reference_docs,
    is_blank_date,
    is_blank_number,
    is_news,
    meta_kinds,
)
from ..query import BARE_DOCUMENT_NUMBER, KIND_AND_NUMBER, Query
from ..retrieve import Filters
from ..text import fold
from .compound import merge_answers, quote_reference
from .refusal import NAMES_A_LAW, missing_part, names_missing
from .types import Answer, document_label

if TYPE_CHECKING:
    from .context import Context


def answer_particular(composer: "Context", query: Query, filters: Filters, chosen: Filters | None = None) -> Answer | None:
    """Number, date, signer or issuer of a document, quoted from its header or signature; each of them, one after
    the other, when the question asks several ("When did it take effect — was it the day it was passed?")."""
    kinds = meta_kinds(query.text)
    if len(kinds) < 2:
        return _answer_kind(composer, query, filters, kinds[0], chosen) if kinds else None
    answers = [answer for answer in (_answer_kind(composer, query, filters, kind, chosen) for kind in kinds) if answer is not None]
    if not any(answer.found for answer in answers):
        # every particular asked is missing: each said so ("… không ghi số hiệu." and "… không ghi ngày ban hành.")
        return replace(answers[0], text="\n".join(dict.fromkeys(a.text for a in answers))) if answers else None
    # (each line already names what it gives: "— Người ký:", "— In effect:"; one line after another, sources renumbered)
    text, cites = merge_answers([("", answer) for answer in answers], en=query.language == "en")
    text = "\n".join(block.strip() for block in text.split("\n\n"))
    return Answer(query.question, text, True, cites, query.language, "meta", query.text, query.scope.as_dict())


def _answer_kind(composer: "Context", query: Query, filters: Filters, kind: str, chosen: Filters | None = None) -> Answer | None:
    """One particular of the documents the question points at (`filters`: with the question's scope; `chosen`: the
    user's own, when known)."""
    question, language = query.question, query.language
    allowed_docs = _documents_allowed(composer, filters)
    docs = find_reference_docs(query.text, composer.store.documents, allowed_docs)
    if not docs:
        # "Quyết định số 1957/QĐ-TTg được ban hành ngày nào?": a document the texts only cite, dated where they cite it
        # (the years it names may be the cited document's own: "Quyết định 193/QĐ-TTg phê duyệt Chương trình … 2021-2025"
        # is cited by the 2024 article, which the question's scope leaves out; the user's own choice still holds)
        if kind != "date":
            return None
        chosen_docs = _documents_allowed(composer, chosen) if chosen is not None else None
        return _date_where_cited(composer, query, allowed_docs) or _date_where_cited(composer, query, chosen_docs)
    # "Luật … năm 2024 có bao nhiêu điều?" over the 2011 law: a year or number the question names that the
    # document does not carry means it is another document.

    named = [d for d in docs if not names_missing(composer, query, composer.store.documents[d],
                                                   composer.store.documents[d].text[:3000])]
    if not named:
        return Answer(question, missing_part("number_named", language), False, (), language, "meta", query.text,
                      query.scope.as_dict())
    docs = named
    folded = fold(query.text)
    if kind in ("date", "number") and _PM_ASKED.search(folded) and _DECISION_ASKED.search(folded) \
            and not any(_PM_SAID.search(composer.store.documents[d].issuer or "") for d in docs):
        # "Quyết định của Thủ tướng … mà Bà Rịa - Vũng Tàu căn cứ vào, ban hành ngày nào?": the date of a decision the plan
        # cites, which a sentence of it gives ("Quyết định số 1957/QĐ-TTg ngày 30/11/2020"), not the plan's own
        return None
    found = all_meta(kind, docs, composer.store.documents)
    if not found and kind == "period" and WHOLE_PERIOD.search(folded):
        found = all_meta("roadmap", docs, composer.store.documents)
    if not found and kind in ("basis", "effect", "period", "adoption", "executors"):
        return None  # not in a line of its own: a sentence of the text may still say it ("… triển khai Quyết định số …")
    if kind == "basis" and _PM_ASKED.search(folded) and not any(_PM_SAID.search(line) for _d, line, *_ in found):
        return None  # "which PM decision does it implement?": a basis line naming none is not it (a sentence may be)
    if kind == "basis" and _LAW_MENTIONED.search(folded) and not any(NAMES_A_LAW.search(line) for _d, line, *_ in found):
        return None  # "which law does it rest on?": "Thực hiện Quyết định số 33/QĐ-TTg …" names none (a sentence may)
    if not found:
        label = ", ".join(document_label(composer.store.documents[d], language) for d in docs)
        what = {"number": ("a document number", "số hiệu"), "date": ("a date of issue", "ngày ban hành"),
                "signer": ("who signed it", "người ký"), "issuer": ("who issued it", "cơ quan ban hành"),
                "proposer": ("on whose proposal it was issued", "cơ quan đề nghị ban hành"),
                "author": ("who wrote it", "người viết"),
                "recipients": ("whom it is sent to", "nơi nhận"),
                "period": ("the period it covers", "giai đoạn thực hiện")}.get(kind, ("this", "thông tin này"))
        text = (f"{label[:1].upper() + label[1:]} does not state {what[0]}." if language == "en"
                else f"{label[:1].upper() + label[1:]} không ghi {what[1]}.")
        return Answer(question, text, False, (), language, "meta", query.text, query.scope.as_dict())
    if kind in ("date", "number", "signer") and not _ARTICLE_ASKED.search(fold(query.text)) and all(
            is_news(composer.store.documents[doc_id]) for doc_id, *_ in found):
        # "When was Lam Dong's 2024 plan signed?" over a news report of it: the report's own date is when it was
        # published, not when the plan was signed; said so, with the date it does give
        return _published_only(composer, query, kind, found)
    rows = []  # (the particular a line states, doc_id, line, start, end)
    for doc_id, line, start, end in found:
        rows.append((kind, doc_id, line, start, end))
        if kind == "effect" and _FROM_SIGNING.search(line):
            # "Quyết định này có hiệu lực thi hành kể từ ngày ký.": in effect from the day it was signed, which its date
            # line gives; quoted after the effect clause
            rows.extend(("date", *dated) for dated in all_meta("date", [doc_id], composer.store.documents))
    lines, cites = [], []
    for n, (said_kind, doc_id, line, start, end) in enumerate(rows, start=1):
        cites.append(composer.span_citation(n, doc_id, start, end, "", [(start, end)]))
        doc = composer.store.documents[doc_id]
        said = describe(said_kind, doc, line, language)
        # the document named as every answer names it (in English for an English question), its line verbatim
        said = said.replace(doc.label, document_label(doc, language), 1)
        said = said[:1].upper() + said[1:]
        lines.append(f"{said} [{n}]")
    if all(_left_blank(kind, line) for _doc_id, line, *_ in found) and _blank_is_no_answer(query):
        # "Số: /KH-UBND", "ngày    tháng 3 năm 2026": the document does not give what was asked (a draft); said so, the
        # line quoted for the reader to see, but no number or day is claimed
        # (the lines are shown as related passages, not as sources: no marker points at them)
        said = re.sub(r" \[\d+\]$", "", "\n".join(lines), flags=re.MULTILINE)
        return Answer(question, said, False, (), language, "meta", query.text, query.scope.as_dict(), related=tuple(cites))
    return Answer(question, "\n".join(lines), True, tuple(cites), language, "meta", query.text, query.scope.as_dict())


def _documents_allowed(composer: "Context", filters: Filters) -> set[str] | None:
    """The documents `filters` allow (None: every one)."""
    allowed = composer.retriever.allowed_rows(filters)
    return None if allowed is None else composer.retriever.documents_of(allowed)


_FROM_SIGNING = re.compile(r"(?i)\b(?:kể )?từ ngày ký\b")


def _date_where_cited(composer: "Context", query: Query, allowed_docs: set[str] | None) -> Answer | None:
    """The date a document the question names by number is cited with ("… Quyết định số 1957/QĐ-TTg ngày
    30/11/2020 …"), when the texts give it one date; None otherwise."""
    named = [re.split(r"\s*/\s*", m.group(0), maxsplit=1) for m in BARE_DOCUMENT_NUMBER.finditer(query.text)]
    wanted = {(number, fold(suffix).replace(" ", "")) for number, suffix in named}
    # "KH 2496 của UBND", "Quyết định số 193": a kind of document and its number, without the part after "/"
    by_kind = {(fold(m.group("kind"))[0], m.group("number")) for m in KIND_AND_NUMBER.finditer(query.text)}
    if not wanted and not by_kind:
        return None
    found = []
    for doc_id, doc in composer.store.documents.items():
        if allowed_docs is not None and doc_id not in allowed_docs:
            continue
        for m in DATED_REFERENCE.finditer(doc.text):
            if (m.group(1), fold(m.group(2)).replace(" ", "")) in wanted or (fold(m.group(0))[0], m.group(1)) in by_kind:
                found.append((doc_id, m))
    if len({re.sub(r"\s+", " ", m.group(0)) for _d, m in found}) != 1:
        return None
    doc_id, m = found[0]
    asked = Answer(query.question, "", False, (), query.language, "meta", query.text, query.scope.as_dict())
    return quote_reference(composer, doc_id, (0, len(composer.store.documents[doc_id].text)), m, "", asked, query.language)


def _blank_is_no_answer(query: Query) -> bool:
    """Whether a particular the document leaves blank leaves the question unanswered: a number or a day asked for (the
    line, quoted, still shows the month and year), not "does it have a number?", which "no" answers."""
    return not query.yes_no


def _left_blank(kind: str, line: str) -> bool:
    return (kind == "number" and is_blank_number(line)) or (kind == "date" and is_blank_date(line))



_PM_ASKED = re.compile(r"\b(pm|prime minister\w*|thu tuong|ttg)\b")
_PM_SAID = re.compile(r"(?i)Thủ tướng|TTg")
# (any law the question speaks of: "which anti-trafficking law does each rest on", asked of one plan at a time)
_LAW_MENTIONED = re.compile(r"\b(luat|laws?|code|act)\b")
# The decision itself is what is dated or numbered ("Quyết định của Thủ tướng …, mà … căn cứ vào, ban hành ngày nào"),
# not the plan it points back to ("which PM decision does it implement, and on what day was it issued").
_DECISION_ASKED = re.compile(r"\b(?:quyet dinh|decision)\b(?:(?!\b(?:it|its|no)\b)[^?]){0,140}?"
                             r"\b(?:ban hanh|issued|dated|signed|so hieu|number)\b")


# A question about the news report itself ("Bài báo … đăng ngày nào?", "when was the article published?").
_ARTICLE_ASKED = re.compile(r"\b(bai bao|bai viet|tin bai|article|report|news|dang (ngay|luc|khi)|dang tai|published|posted)\b")


def _published_only(composer: "Context", query: Query, kind: str, found) -> Answer:
    """A plan's date, number or signer asked of a news report about it: the report does not give them; its
    publication date and byline are quoted for what they are."""
    language = query.language
    what = {"date": ("the date the plan was signed or issued", "ngày ký, ban hành kế hoạch"),
            "number": ("the plan's document number", "số hiệu của kế hoạch"),
            "signer": ("who signed the plan", "người ký kế hoạch")}[kind]
    lines, cites = [], []
    for n, (doc_id, line, start, end) in enumerate(found, start=1):
        label = document_label(composer.store.documents[doc_id], language)
        if language == "en":
            lines.append(f"{label[:1].upper() + label[1:]} does not give {what[0]}; the article was published on: "
                         f"“{line}” [{n}]")
        else:
            lines.append(f"{label[:1].upper() + label[1:]} không ghi {what[1]}; bài báo đăng ngày: “{line}” [{n}]")
        cites.append(composer.span_citation(n, doc_id, start, end, "", [(start, end)]))
    return Answer(query.question, "\n".join(lines), False, (), language, "meta", query.text, query.scope.as_dict(),
                  related=tuple(cites))
