"""Compound questions ("… căn cứ luật nào, ban hành ngày nào?"): each part answered on its own,
its sources renumbered into one list, and the parts the documents do not answer named."""
from __future__ import annotations

import os
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Sequence

from ..glossary import expand_abbreviations
from ..metadata import DATED_REFERENCE, cited_reference_end, meta_kind, meta_kinds
from ..query import BARE_DOCUMENT_NUMBER, Query, asked_about, quoted_marks, understand
from ..retrieve import Filters
from ..text import fold
from .provisions import answer_where_said, asks_where_said
from .types import Answer, Citation, according_to, clean_quote, document_label

if TYPE_CHECKING:
    from .context import Context

_MARK = re.compile(r"\[(\d+)\]")
# a later part that asks where what the part before said is said ("và mục nào nói điều đó?", "which section says so?",
# "which article is that in?"), not what an act it names covers ("và nghị quyết đó hướng dẫn những điều nào?")
_ASKS_OF_THE_PART_BEFORE = re.compile(r"\b(noi|ghi|neu|quy dinh|says?|states?|sets? (it|that|this) out|covers?)\s+"
                                      r"(dieu |viec |noi dung )?"
                                      r"(do|nay|ay|that|this|it|so|these|those|them|tren)\b|\b(is|are) (that|this|it|these|those|they) in\b")


# A part that only changes the case of the part before: "… thì sao?", "what if …?", "and if …?", "what about …?"
_WHAT_ABOUT_PART = re.compile(r"\bthi sao\s*\??\s*$|^\W*(?:what if|and if|what about|how about)\b")


def merge_answers(blocks: Sequence[tuple[str, Answer]], en: bool = False) -> tuple[str, tuple[Citation, ...]]:
    """Answers shown one after another under their titles, their sources renumbered into one list (the same
    span keeps one number): the text and the citations. A part answered by the very text an earlier part was
    points back to it instead of stating the same fact twice."""
    texts: list[str] = []
    cites: list[Citation] = []
    shown: dict[str, int] = {}  # an answer's text → the number of the part that showed it
    for index, (title, answer) in enumerate(blocks, start=1):
        earlier = shown.get(answer.text) if answer.found else None
        if earlier is not None:
            texts.append(f"{title}\n" + (f"(The passage quoted for part {earlier} answers this part too.)" if en else
                                         f"(Đoạn trích ở phần {earlier} cũng trả lời phần này.)"))
            continue
        if answer.found:
            shown[answer.text] = index
        mapping: dict[int, int] = {}
        for cite in answer.citations:
            same = next((c for c in cites if (c.doc_id, c.start, c.end) == (cite.doc_id, cite.start, cite.end)), None)
            if same is None:
                same = replace(cite, n=len(cites) + 1)
                cites.append(same)
            mapping[cite.n] = same.n
        text = _MARK.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", answer.text)
        texts.append(f"{title}\n{text}")
    return "\n\n".join(texts), tuple(cites)


def _place(citation: Citation) -> tuple[str, str]:
    """The document and the article ("Điều 24") or top-level section ("II") a citation lies in."""
    steps = [step.strip() for step in citation.section.split("›")]
    article = next((step for step in steps if step.startswith("Điều")), None)
    return citation.doc_id, (article or steps[0]).split("–")[0].strip()


def answer_compound(composer: "Context", query: Query, filters: Filters,
                    answer_one: Callable[[Query, Filters], Answer]) -> Answer:
    """One answer per part (each answered by `answer_one`), numbered 1., 2., …; found when one part is answered."""
    en = query.language == "en"
    blocks: list[tuple[str, Answer]] = []
    missing: list[str] = []
    related: list[Citation] = []
    for i, part in enumerate(query.parts, start=1):
        before = blocks[-1][1] if blocks else None
        # ("… thì phạt tù bao nhiêu, còn nạn nhân dưới 16 tuổi thì sao?": the part before's case, changed, asked again)
        changes_the_case = before is not None and before.found and bool(_WHAT_ABOUT_PART.search(fold(part)))
        sub = understand(part, (before,) if changes_the_case else (), composer.provinces())
        if sub.language != query.language:
            sub = replace(sub, language=query.language)
        if before is not None and before.found and before.citations and asks_where_said(part) \
                and _ASKS_OF_THE_PART_BEFORE.search(fold(part)):
            # "… thì ai chủ trì, và mục nào của kế hoạch nói điều đó?": where the part before is said, as a follow-up
            # asking it would be answered
            marks = quoted_marks(before.citations)
            where = answer_where_said(composer, replace(sub, followup=True, anchor=marks, anchor_marks=marks))
            if where is not None:
                blocks.append((f"{i}. {part}", where))
                continue
        cited = _date_of_the_document_found(composer, part, query.parts[i - 2], before, query.language) \
            if before is not None and before.found else None
        answer = cited or answer_one(sub, filters)
        answered = [a for _t, a in blocks if a.found]
        if not answer.found and answered:
            # "…, và phạt tiền bổ sung tối đa là bao nhiêu?", "and which office pays it?": a part the documents do not
            # answer on its own is asked in the frame of the part before, as a follow-up to it would be
            subject = asked_about(query.parts[0])
            again = understand(f"{subject}: {part}" if subject else part, (), composer.provinces())
            if subject and not again.parts:
                again = replace(again, language=query.language) if again.language != query.language else again
                retried = answer_one(again, filters)
                # (where the part before was answered: its article or section; a passage elsewhere answers another
                # question than the one the two parts ask together)
                if retried.found and {_place(c) for c in retried.citations} & {_place(c) for c in answered[-1].citations}:
                    answer = retried
        if not answer.found:
            missing.append(part)
            said = "The documents do not answer this part." if en else "Các tài liệu không trả lời phần này."
            if answer.intent == "meta" and answer.text:
                said = answer.text  # what the document leaves out, said of it ("the document number is left blank")
            blocks.append((f"{i}. {part}", replace(answer, text=said, citations=())))
            related.extend(answer.related[:1])
            continue
        blocks.append((f"{i}. {part}", answer))
    if len(missing) == len(query.parts):
        head = ("The documents do not answer any part of this question." if en else
                "Các tài liệu hiện có không trả lời được phần nào của câu hỏi này.")
        told = [f"{title}\n{answer.text}" for title, answer in blocks if answer.intent == "meta" and answer.text]
        text = "\n\n".join([head, *told]) if told else head  # (what each document leaves out, said part by part)
        return Answer(query.question, text, False, (), query.language, "compound", query.text, query.scope.as_dict(),
                      related=tuple(replace(c, n=i) for i, c in enumerate(related, start=1)))
    head = (f"This question has {len(query.parts)} parts" if en else f"Câu hỏi gồm {len(query.parts)} phần")
    if missing:
        head += (f"; the documents do not answer: {'; '.join(missing)}" if en else
                 f"; tài liệu không trả lời: {'; '.join(missing)}")
    body, cites = merge_answers(blocks, en)
    return Answer(query.question, head + ".\n\n" + body, True, cites, query.language, "compound",
                  query.text, query.scope.as_dict())


# A part asking which document ("thực hiện QĐ số mấy của TTg", "which central plan does it implement", "căn cứ văn bản
# nào") and the part after asking its date ("…, ngày nào?", "and when was that issued?"): the date is the one the
# sentence that names the document writes beside it ("Quyết định số 1957/QĐ-TTg ngày 30/11/2020").
_ASKS_A_DOCUMENT = re.compile(r"\b(?:(?P<vi>quyet dinh|ke hoach|chi thi|nghi quyet|nghi dinh|chuong trinh|van ban)\s+(?:so\s+)?"
                              r"(?:nao|may|bao nhieu|gi)|(?:which|what)\s+(?:[\w'-]+\s+){0,3}(?P<en>decision|plan|directive|"
                              r"resolution|decree|programme|program|document)s?)\b")
# who issued the document asked for, as the question names it and as the reference writes it
_ISSUERS = (("thu tuong", "TTg"), ("ttg", "TTg"), ("prime minister", "TTg"), ("chinh phu", "CP"),
            ("government", "CP"), ("ban chi dao", "BCĐ"), ("ubnd", "UBND"), ("uy ban nhan dan", "UBND"))


def _date_of_the_document_found(composer: "Context", part: str, first: str, before: Answer, language: str) -> Answer | None:
    """The date of the document the part before asked for and its answer quoted, from the same quote; None when the
    part asks something else, names its own document, or the quote names no one dated document."""
    # (the part's own words: a topic put before both parts — "Bài về KH 2024 của Lâm Đồng: …" — names no document asked)
    shared_topic = os.path.commonprefix([part, first]).rfind(": ")
    asked = fold(expand_abbreviations(part[shared_topic + 2 :] if shared_topic >= 0 else part))
    if "date" not in meta_kinds(part) and not re.search(r"\b(ngay nao|ngay may|khi nao|when|what date|which date|dated)\b", asked):
        return None
    if BARE_DOCUMENT_NUMBER.search(asked):
        return None  # "…, còn 22/KH-BCĐ ban hành ngày nào?": a document of its own
    first_asked = fold(expand_abbreviations(first))
    document = _ASKS_A_DOCUMENT.search(first_asked)
    if document is None and meta_kind(first) != "basis":
        return None
    # the part names the document asked for again, or points at it ("QĐ của TTg ngày nào", "when was that issued"); a
    # bare "ban hành ngày nào" after "KH 22 thực hiện kế hoạch nào" may ask the plan's own date
    noun = (document.group("vi") or document.group("en")) if document else None
    if not ((noun and re.search(rf"\b{noun}", asked)) or re.search(r"\b(that|this|it|do|ay|nay)\b", asked)):
        return None
    issuers = {mark for said, mark in _ISSUERS if re.search(rf"\b{said}\b", first_asked)}
    found = []
    for cite in before.citations:
        for m in DATED_REFERENCE.finditer(composer.store.documents[cite.doc_id].text[cite.start:cite.end]):
            if not issuers or any(mark in m.group(0) for mark in issuers):
                found.append((cite, m))
    if len({m.group(0) for _c, m in found}) != 1:
        return None
    cite, m = found[0]
    asked = replace(before, question=part, resolved_question=part)
    return quote_reference(composer, cite.doc_id, (cite.start, cite.end), m, cite.section, asked, language)


def quote_reference(composer: "Context", doc_id: str, within: tuple[int, int], match: re.Match, section: str,
                    asked: Answer, language: str) -> Answer:
    """The answer that quotes a dated reference (`match` in the document's text `within` that span) to the end of its
    clause, the reference itself highlighted; question, resolved text and scope are `asked`'s."""
    offset = within[0]
    span = composer.store.documents[doc_id].text[offset : within[1]]
    start, end = offset + match.start(), offset + cited_reference_end(span, match)
    citation = composer.span_citation(1, doc_id, start, end, section, [(start, offset + match.end())])
    label = document_label(composer.store.documents[doc_id], language)
    said = f"{according_to(label, '', language)}: “{clean_quote(citation.text)}” [1]"
    return Answer(asked.question, said, True, (citation,), language, "meta", asked.resolved_question or asked.question,
                  asked.scope)
