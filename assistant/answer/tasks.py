"""An agency's own tasks ("Sở Y tế phải làm gì?", "What must the health department do?"),
answered from the responsibility records: the tasks, grouped by plan, newest first, each cited."""
from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..duties import Duty, agencies, agency_by_name, english_name, find_agencies, requested_in
from ..query import REQUEST_ASKED, Query, asks_whole_list, main_question, without_agency_names
from ..retrieve import Filters
from ..text import fold, keyword_terms
from .structure import CONTENT_LABEL, HEADING_NUMBER, containing, heading_words, task_quote, tree
from .types import (
    Answer,
    Citation,
    clean_quote,
    document_label,
    issued,
    official_section,
)

if TYPE_CHECKING:
    from .context import Context

MAX_TASKS_PER_DOCUMENT = 16
MAX_TASKS = 24
WHOLE_TASK_CHARS = 4000  # a task quoted whole when every item is asked for (a ministry's article of eight points)
ROLE_ORDER = {"lead": 0, "requested": 1, "performers": 2, "coordinating": 3}  # doing a task before helping with one
ROLE_WORDS = {
    "lead": ("chủ trì", "leads"),
    "requested": ("được đề nghị", "is requested"),
    "coordinating": ("phối hợp", "coordinates"),
    "performers": ("thực hiện", "carries out"),
}


def role_of(duty: Duty, agency: str) -> str | None:
    """How the agency takes part in a task: "lead", "coordinating", "performers" or None."""
    if agency in duty.lead:
        return "lead"
    if agency in duty.coordinating:
        return "coordinating"
    if agency in duty.performers:
        return "performers"
    return None


# The plan a question asks of, named by what it is about, up to a topic of its own ("… về hỗ trợ nạn nhân") or the end.
_PLAN_NAMED = re.compile(r"(?i)\b(?:trong|theo|tại|tai|của|cua|in|under)\s+(?:the\s+)?(?:kế hoạch|ke hoach|chương trình|"
                         r"chuong trinh|quyết định|quyet dinh|KH|QĐ|QD|plan|programme|program|decision)\b[^?]*?"
                         r"(?=\s+(?:về|ve|on|about|regarding|for)\b|\s*[?.]|$)"
                         # (in English the plan's name comes before the word: "under Ba Ria - Vung Tau's ACTIP
                         # implementation plan", "in the 2024 Lam Dong plan")
                         r"|\b(?:in|under|by)\s+(?:the\s+)?(?:[\w'’.-]+\s+){1,7}?(?:plan|programme|program|decision)\b")


# "… những việc gì trong phòng, chống mua bán người?", "in anti-trafficking work": the whole field, which every task
# of the plans is in, no topic that narrows them
_DOMAIN_NAMED = re.compile(r"(?i)\b(?:trong|về|ve|in|on|for)\s+(?:(?:công tác|cong tac|the|their)\s+)?(?:"
                           r"phòng,? chống|phong,? chong|đấu tranh phòng,? chống|dau tranh phong,? chong)\s+(?:tội phạm |toi pham )?"
                           r"(?:mua bán|mua ban|buôn bán|buon ban)\s+người|\b(?:in|on|for)\s+(?:the\s+)?(?:fight against|combating|"
                           r"countering|preventing|prevention of|anti-?)\s*(?:human\s+)?trafficking(?:\s+work)?\b|"
                           r"\b(?:trong|ve)\s+(?:cong tac\s+)?(?:PCMBN|pcmbn)\b")


def _topic(composer: "Context", query: Query) -> set[str]:
    """The question's topic words without the agency's own name ("Sở Y tế làm gì về hỗ trợ nạn nhân"), nor the words
    of who asks or of a thing asked after in passing ("I'm with an NGO working on health services. What is DOH tasked
    with? Anything on the 111 hotline?" asks every task of the department)."""
    text = main_question(query.text)
    for mention in sorted(find_agencies(text), key=lambda m: -m.start):
        text = text[: mention.start] + " " + text[mention.end :]
    text = without_agency_names(text)  # and its English names ("district People's Committees")
    # ("… trong kế hoạch phòng, chống tội phạm mua bán người giai đoạn 2011–2015": the plan it is asked of, by its name)
    text = _DOMAIN_NAMED.sub(" ", _PLAN_NAMED.sub(" ", text))
    own = set(keyword_terms(query.agency or "")) | set(keyword_terms(english_name(query.agency or "")))
    cue = {"nhiệm_vụ", "nhiệm", "vụ", "trách", "nhiệm", "làm", "phải", "giao", "việc", "vai", "trò", "công_việc", "kế", "hoạch"}
    # Words in most passages ("phòng, chống mua bán người", spelled out from "PCMBN") name the domain, not a topic.
    common = math.log(1 + 2)
    return {t for t in composer._topic_terms(text, query.language) if t not in own and t not in cue and fold(t) not in
            {fold(o) for o in own} and composer._term_idf(t) > common}


# A body asked of as the only one in its role: "as sole lead", "on its own", "một mình", "duy nhất".
_ALONE_ASKED = re.compile(r"\b(sole|solely|alone|single-handedly|on (its|their) own|by (itself|themselves)|mot minh|"
                          r"duy nhat|rieng minh|doc lap)\b")


def answer_tasks_of(composer: "Context", query: Query, filters: Filters) -> Answer | None:
    """The tasks the named agency leads, coordinates or carries out, per plan, newest first."""
    agency = query.agency
    if not agency:
        return None
    wanted = query.agencies or (agency,)  # "VKSND và TAND … làm gì?": the tasks of each
    allowed = composer.retriever.allowed_rows(filters)
    allowed_docs = None if allowed is None else composer.retriever.documents_of(allowed)
    found: list[tuple[str, Duty]] = []
    for duty in composer.duties():
        if allowed_docs is not None and duty.doc_id not in allowed_docs or duty.section_wide:
            continue  # (a section-wide "Các sở, ban, ngành … thực hiện" is no task of one agency's own)
        roles = [(role_of(duty, a), a) for a in wanted]
        roles = [(r, a) for r, a in roles if r is not None]
        if not roles:
            continue
        role, who = min(roles, key=lambda ra: ROLE_ORDER[ra[0]])
        if who in requested_in(duty):
            role = "requested"  # "đề nghị Tòa án …": a request, never an assignment
        found.append((role, duty))
    if not found:
        counterparts = _provincial_counterparts(wanted)
        if counterparts:
            # "What must MOLISA do under the 2024 plan?": a provincial plan gives the ministry's work to its department
            # (whose own gazetteer entry names no counterpart, so this asks once)
            answer = answer_tasks_of(composer, replace(query, agency=counterparts[0], agencies=counterparts), filters)
            if answer is not None and answer.found:
                return replace(answer, text=_counterpart_note(wanted, counterparts, query.language) + answer.text)
        return _not_in_plans(composer, query, wanted, allowed_docs)
    if _ALONE_ASKED.search(fold(query.text)):
        # "Which jobs fall to the Health Department as sole lead agency?", "Sở Y tế chủ trì một mình những việc gì?":
        # the tasks it leads with no other lead beside it (all of them when it leads none alone)
        alone = [(r, d) for r, d in found if r == "lead" and len(d.lead) == 1]
        found = alone or found
    if REQUEST_ASKED.search(fold(query.text)):
        # "Tòa án và Viện kiểm sát được đề nghị làm gì?": the tasks the plans request of them (all, when none is)
        found = [(r, d) for r, d in found if r == "requested"] or found
    topic = _topic(composer, query)
    if topic:
        docs = composer.store.documents
        # the headings above the task in full (a record's heading is shortened for display)
        scored = [(composer._coverage(topic, set(keyword_terms(f"{d.task} {d.clause}")),
                                      heading_words(docs[d.doc_id].text, d.task_start)), r, d)
                  for r, d in found]
        best = max(s for s, _r, _d in scored)
        if best >= 0.3:  # the question narrows the agency's work to a topic: keep the tasks about it
            # (a task under a heading about the topic counts: "Điều 17. Mặt trận … tham gia phòng ngừa …" holds
            # five clauses about prevention, one of which says the word)
            found = [(r, d) for s, r, d in scored if s >= 0.5 * best]
    docs = composer.store.documents
    by_doc: dict[str, list[tuple[str, Duty]]] = {}
    for role, duty in found:
        by_doc.setdefault(duty.doc_id, []).append((role, duty))
    order = sorted(by_doc, key=lambda d: issued(docs[d]), reverse=True)
    en = query.language == "en"
    lines: list[str] = []
    cites: list[Citation] = []
    counts = {"lead": 0, "requested": 0, "coordinating": 0, "performers": 0}
    whole = asks_whole_list(query.question)
    for doc_id in order:
        items = sorted(by_doc[doc_id], key=lambda rd: (ROLE_ORDER[rd[0]], rd[1].task_start))
        for role, _d in items:
            counts[role] += 1
        doc = docs[doc_id]
        lines.append(f"{document_label(doc, query.language)}:")
        for role, duty in items[:MAX_TASKS_PER_DOCUMENT]:
            if len(cites) >= MAX_TASKS:
                break
            n = len(cites) + 1
            start, end = task_quote(composer.store.documents[duty.doc_id].text, duty.task_start, duty.task_end)
            if whole:  # "Give me every item": the whole task, every point of its list
                start, end = min(start, duty.task_start), max(end, duty.task_end)
            cite_start, cite_end = min(start, duty.clause_start), max(end, duty.clause_end)
            if cite_end - cite_start > 1600:
                cite_start, cite_end = start, end
            where = official_section(duty.section, query.language)
            title = _task_title(doc.text, start)
            if where and title and cite_end - title[1] <= 2000:
                # (the title quoted is in the passage cited, for the reader to check in one click)
                cite_start = min(cite_start, title[1])
                where = f"{where} “{title[0]}”"
            cites.append(composer.span_citation(n, doc_id, cite_start, cite_end, duty.section,
                                                [(start, end), (duty.clause_start, duty.clause_end)]))
            word = ROLE_WORDS[role][1 if en else 0]
            quote = clean_quote(doc.text[start:end], WHOLE_TASK_CHARS if whole else 1000)
            quote = re.sub(r"^(?:[-+•–]\s*|[a-zđ]\)\s*|\d+(?:\.\d+)*\.\s*)", "", quote)
            lines.append(f"- {word} ({where}): “{quote}” [{n}]" if where else f"- {word}: “{quote}” [{n}]")
        hidden = len(items) - MAX_TASKS_PER_DOCUMENT
        if hidden > 0:
            lines.append(f"  (+ {hidden} more tasks)" if en else f"  (và {hidden} nhiệm vụ khác)")
    total = sum(counts.values())
    if en:
        name = " and ".join(f"{english_name(a)} ({a})" for a in wanted)
        said = ", ".join(f"{ROLE_WORDS[r][1]} {counts[r]}" for r in ROLE_ORDER if counts[r])
        head = f"{name} has {total} task(s) in {len(order)} document(s): {said} (newest document first):"
    else:
        said = ", ".join(f"{ROLE_WORDS[r][0]} {counts[r]}" for r in ROLE_ORDER if counts[r])
        head = f"{' và '.join(wanted)} có {total} nhiệm vụ trong {len(order)} văn bản: {said} (văn bản mới nhất trước):"
    return Answer(query.question, head + "\n" + "\n".join(lines), True, tuple(cites), query.language, "tasks_of",
                  query.text, query.scope.as_dict())


def _task_title(text: str, start: int) -> tuple[str, int] | None:
    """The name of the work a task quoted from `start` belongs to, when the quote sits under a heading that names none
    ("3. Công tác tham mưu xây dựng, hoàn thiện pháp luật …" over "a) Nội dung") and where its heading starts, else
    None: an official scanning an agency's tasks sees what each is about, not only its first sentence."""
    chain = containing(tree(text), start)
    # (the quote's own bullet or item is no heading over it)
    while chain and (chain[-1].start >= start - 2 or chain[-1].kind in ("dash", "plus", "bullet")):
        chain.pop()
    if len(chain) < 2 or not CONTENT_LABEL.match(chain[-1].heading(text)):
        return None
    title = HEADING_NUMBER.sub("", chain[-2].heading(text)).strip()
    return (title, chain[-2].start) if 0 < len(title) <= 160 else None


def _provincial_counterparts(wanted) -> tuple[str, ...]:
    """The provincial departments of the ministries asked about (Bộ Y tế → Sở Y tế), when each has one, else ()."""
    names = {a.id: a.name for a in agencies()}
    out = [names.get(getattr(agency_by_name(w), "provincial", None)) for w in wanted]
    return tuple(out) if out and all(out) else ()


def _counterpart_note(wanted, counterparts, language: str) -> str:
    """"The documents give the Ministry of Health no task; its provincial department's tasks follow." (one line)"""
    if language == "en":
        asked = " and ".join(english_name(a) for a in wanted)
        return (f"These documents give the {asked} no task; the tasks of its provincial counterpart, "
                f"{' and '.join(english_name(c) for c in counterparts)}, follow.\n")
    return (f"Các văn bản này không giao nhiệm vụ cho {' và '.join(wanted)}; dưới đây là nhiệm vụ của cơ quan cấp tỉnh "
            f"tương ứng, {' và '.join(counterparts)}.\n")


def _named_in(composer: "Context", doc_id: str) -> frozenset[str]:
    """The agencies a document names anywhere (cached per document)."""
    cache = composer.agencies_named
    if doc_id not in cache:
        cache[doc_id] = frozenset(m.agency.name for m in find_agencies(composer.store.documents[doc_id].text))
    return cache[doc_id]


def _not_in_plans(composer: "Context", query: Query, wanted, allowed_docs) -> Answer | None:
    """"Sở Du lịch phải làm gì trong kế hoạch 2024?" when that plan never names Sở Du lịch: said plainly, with the
    plans that do give it tasks. When the plan names the agency somewhere (a task the records missed), the
    passages answer instead (None)."""
    if allowed_docs is None:
        return None
    docs = composer.store.documents
    if any(a in _named_in(composer, d) for d in allowed_docs for a in wanted):
        return None
    elsewhere = sorted({d.doc_id for d in composer.duties() if any(role_of(d, a) for a in wanted)},
                       key=lambda d: issued(docs[d]))
    en = query.language == "en"
    names = " and ".join(english_name(a) if en else a for a in wanted)
    plans = "; ".join(document_label(docs[d], query.language) for d in sorted(allowed_docs, key=lambda d: issued(docs[d])))
    other = "; ".join(document_label(docs[d], query.language) for d in elsewhere)
    if en:
        text = f"{plans[:1].upper() + plans[1:]} gives {names} no task; it does not name it."
        text += f" Tasks of {names} are in: {other}." if other else ""
    else:
        text = f"{plans} không giao nhiệm vụ nào cho {names} (văn bản không nêu cơ quan này)."
        text += f" {names} có nhiệm vụ trong: {other}." if other else ""
    return Answer(query.question, text, False, (), query.language, "tasks_of", query.text, query.scope.as_dict(),
                  related=tuple(composer._related(query.text, Filters(doc_ids=tuple(elsewhere[-1:]))) if elsewhere else ()))
