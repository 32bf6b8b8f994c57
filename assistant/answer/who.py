"""Who leads / coordinates / carries out a task: the roles of a responsibility record as the
document words them ("UBND các huyện, thành phố", not a canonical "… thị xã …"), requests to
courts and procuracies kept apart from assignments, and the one sentence that answers first."""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from functools import lru_cache
from typing import TYPE_CHECKING

from ..duties import Duty, agency_by_name, english_name, find_agencies, requested_in
from ..query import (REQUEST_ASKED, SUPPORTING_A_BODY, Query, agencies_acted_on, agencies_in, agencies_named_as_route,
                     opens_a_project, opens_with_project, projects_in, without_agency_names)
from ..retrieve import Filters, Hit
from ..text import fold, keyword_terms
from .refusal import ASKS_WHO_REGULATES, DELEGATED
from .structure import list_below, section_at, task_quote, task_sentences
from .types import Answer, Citation, clean_quote, document_label, issued, official_section

if TYPE_CHECKING:
    from .context import Context

ROLE_LABELS_VI = {"lead": "chủ trì", "coordinating": "phối hợp", "performers": "thực hiện", "requested": "đề nghị"}
ROLE_LABELS_EN = {"lead": "lead", "coordinating": "coordinating", "performers": "carried out by",
                  "requested": "requested (not assigned)"}


def as_written(duty: Duty) -> dict[str, str]:
    """{canonical name: the name as the clause writes it}, first mention wins."""
    out: dict[str, str] = {}
    for mention in find_agencies(duty.clause, duty.clause_start):
        surface = duty.clause[mention.start - duty.clause_start : mention.end - duty.clause_start]
        out.setdefault(mention.agency.name, re.sub(r"\s+", " ", surface.strip(" *")))
    return out


def assigned_roles(duty: Duty, asked: str) -> list[tuple[str, tuple[str, ...]]]:
    """The record's roles in the order that answers the question: the asked role first."""
    if asked == "coordinating":
        return [("coordinating", duty.coordinating), ("lead", duty.lead), ("performers", duty.performers)]
    if duty.lead:
        return [("lead", duty.lead), ("coordinating", duty.coordinating), ("performers", duty.performers)]
    return [("performers", duty.performers), ("coordinating", duty.coordinating)]


def _shorten(text: str, limit: int) -> str:
    text = re.sub(r"^(?:[-+•–]\s*|[a-zđ]\)\s*|\d+(?:\.\d+)*\.\s*)", "", text)
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)].rstrip(",;:") + " …"


def quoted_task(text: str, task: tuple[int, int], clause: tuple[int, int], focus: tuple[int, int] | None = None,
                apart_only: bool = False) -> str:
    """A record's task (text[task[0]:task[1]]), quoted and shortened, when its assignment clause does not say it
    ("- Cơ quan chủ trì: Sở Y tế." names no task); else "". With `apart_only`, only a task the clause stands apart
    from ("… (Sở Tư pháp chủ trì …)" after it): a task quote holding the clause would say it twice."""
    if clause[0] <= task[0] and task[1] <= clause[1]:
        return ""
    start, end = focus if focus is not None else task_quote(text, *task)
    if focus is None and abs(start - clause[0]) <= 2 and end <= clause[1] + 2:
        return ""  # the task is the clause, which is quoted in full beside it
    if apart_only and start <= clause[0] < end:
        return ""
    return f"“{_shorten(clean_quote(text[start:end]), TASK_SHOWN)}”"


def who_sentence(summary: list[tuple[str, str, tuple[str, ...], int]], language: str) -> str:
    """One sentence that answers, newest document first, naming each agency once: "Theo Kế hoạch …, chủ trì:
    Sở Y tế [1]; các văn bản khác: Sở Lao động - Thương binh và Xã hội (Kế hoạch 22/KH-BCĐ …) [3]."."""
    if not summary:
        return ""
    labels = ROLE_LABELS_EN if language == "en" else ROLE_LABELS_VI
    label, role, names, n = summary[0]
    said = set(names)
    same, others = [], []
    for o_label, _o_role, o_names, o_n in summary[1:]:
        new = [x for x in o_names if x not in said]
        if not new:
            continue
        said.update(new)
        if o_label == label:  # another task of the same plan: said with it, the plan not named twice
            same.append(f"{', '.join(new)} [{o_n}]")
        else:
            others.append(f"{', '.join(new)} ({o_label}) [{o_n}]")
    if language == "en":
        tail = (f"; with {'; '.join(same)}" if same else "") + (f"; in other documents: {'; '.join(others)}" if others else "")
        return f"According to {label}: {labels[role]} — {', '.join(names)} [{n}]{tail}."
    tail = (f"; cùng {'; '.join(same)}" if same else "") + (f"; các văn bản khác: {'; '.join(others)}" if others else "")
    return f"Theo {label}, {labels[role]}: {', '.join(names)} [{n}]{tail}."


# "Who leads …": at most this many records per document, the second only when its score is within
# NEAR_TIE of the first; and at most MAX_WHO_CITATIONS in one answer.
RECORDS_PER_DOCUMENT = 2
NEAR_TIE = 0.94
MAX_WHO_CITATIONS = 7
WORKS_WITH_RECORDS = 4  # records of one document giving bodies that work with the one a partners question names


# "Who leads Project 2?": what a record gains for naming the project asked about, and for being that project's own
# (its heading names it: it answers for the whole project, whatever words the question adds).
OF_PROJECT = 0.5
OWN_PROJECT = 2.0


# A record that says two of the question's words as one phrase ("hỗ trợ nạn nhân", not "hỗ trợ kết hôn … trợ giúp pháp
# lý cho nạn nhân") is about what was asked, where counting words alone ties it with one that says both apart.
PHRASE_BONUS = 0.1


CLAUSE_WEIGHT = 0.1
# what a record loses when every body it names is one the question told as part of its case, and what one gains whose
# task names such a body in passing
CASE_AGENCY_PENALTY = 0.2
CASE_NAMED_BONUS = 0.2
# "việc đó", "làm việc đó", "nhiệm vụ này", "that task": words for a piece of work, which point back and name no topic
_WORK_WORDS = frozenset({"việc", "công_việc", "nhiệm_vụ", "nhiệm", "vụ", "hoạt_động", "làm", "làm_việc", "giao",
                         "task", "work", "job"})
# "the focal point", "đầu mối", "cơ quan thường trực": a role some records give by name, which they gain for
_FOCAL_ROLES = ((re.compile(r"\b(focal (point|agency|body)|contact point|dau moi)\b"), re.compile(r"(?i)đầu mối")),
                (re.compile(r"\b(standing (body|agency|office)|thuong truc)\b"), re.compile(r"(?i)thường trực")))
FOCAL_BONUS = 0.2
# "bên nào được đề nghị chủ trì …", "who is asked to lead …": a body the plan requests (REQUEST_ASKED), which the
# records that request it say
REQUESTED_BONUS = 0.2
COMMON_IDF = math.log(3)  # a word pair in a third of the passages or more is the collection's, not the question's


def phrases_of(topic, telling: set[str]) -> list[str]:
    """Two of the topic's word pairs (of those `telling`) one after the other, in either order, folded: the phrases
    a record may say ("ho tro nan nhan")."""
    pairs = [t for t in topic if "_" in t and t in telling]
    # (two renderings of one English word — "review" is "sơ kết" or "tổng kết" — are no phrase of the question)
    rivals = {frozenset((a, b)) for group in getattr(topic, "alternatives", ()) for x in group for y in group if x is not y
              for a in x for b in y}
    return [f"{fold(a)} {fold(b)}".replace("_", " ") for a in pairs for b in pairs
            if a != b and frozenset((a, b)) not in rivals]


# Three word pairs the question says one after another ("bảo vệ, hỗ trợ nạn nhân") are its topic as one phrase,
# however common each pair is: a record under a heading that says them so ("6. Công tác giải cứu, …, bảo vệ, hỗ trợ
# nạn nhân …") is about it, beside one of another section whose long task says them in passing ("7. … hoàn thiện
# chính sách …: … tiếp nhận, bảo vệ và hỗ trợ nạn nhân"). (Not the record's own words: records of one section that
# all say "hỗ trợ nạn nhân bị mua bán" would no longer tie.)
TOPIC_RUN_SYLLABLES = 6
TOPIC_RUN_BONUS = 0.2


# ("bảo vệ và hỗ trợ nạn nhân" says the same run as "bảo vệ, hỗ trợ nạn nhân")
_RUN_JOINERS = frozenset({"va", "and", "hoac", "or"})


def topic_runs(text: str, topic) -> list[str]:
    """The runs of at least TOPIC_RUN_SYLLABLES topic syllables the question says one after another, folded, without
    the words that join them."""
    syllables = {fold(t) for t in topic if "_" not in t}
    runs, run = [], []
    for word in [*_run_words(text).split(), ""]:
        if word in syllables:
            run.append(word)
            continue
        if len(run) >= TOPIC_RUN_SYLLABLES:
            runs.append(" ".join(run))
        run = []
    return runs


@lru_cache(maxsize=8192)
def _run_words(text: str) -> str:
    return " ".join(w for w in re.findall(r"\w+", fold(text)) if w not in _RUN_JOINERS)


# Words a heading may put inside a run it says ("Công tác đấu tranh, truy tố, xét xử tội phạm mua bán người" says
# "đấu tranh tội phạm mua bán người", the other stages of the work between)
RUN_GAP_WORDS = 4


@lru_cache(maxsize=4096)
def _run_pattern(run: str) -> re.Pattern:
    return re.compile(r"\b" + rf"(?: \w+){{0,{RUN_GAP_WORDS}}} ".join(map(re.escape, run.split())) + r"\b")


def _says_run(words: str, run: str) -> bool:
    """Whether folded words say a topic run, in its order, with at most RUN_GAP_WORDS other words at each gap."""
    return run in words or bool(_run_pattern(run).search(words))


def _gives_other_bodies(duty: Duty, kept: list[tuple]) -> bool:
    """Whether a record names other doers than each record already kept for its document."""
    return all(set(duty.lead or duty.performers) != set(k[3].lead or k[3].performers) for k in kept)


def _works_with_asked(duty: Duty, query: Query) -> bool:
    """Whether the record gives bodies that work with the agency a partners question names ("Sở Kế hoạch và Đầu tư, Sở
    Tài chính phối hợp Công an tỉnh …"): that agency is the record's partner, others do the work."""
    return (query.legacy_intent == "who_coordinates" and bool(query.agency) and query.agency in duty.coordinating
            and bool({*duty.lead, *duty.performers} - {query.agency}))


def _names_the_case(duty: Duty, case_agencies: set[str]) -> bool:
    """Whether a record's text names a body the question tells as its case (not as the one asked for), in passing: not
    as one of the bodies it assigns."""
    if not case_agencies:
        return False
    assigned = {*duty.lead, *duty.coordinating, *duty.performers}
    return bool((case_agencies - assigned) & _agencies_of_record(f"{duty.task} {duty.clause}"))


@lru_cache(maxsize=8192)  # (a record's text, read once: the records do not change between questions)
def _agencies_of_record(text: str) -> frozenset[str]:
    return frozenset(m.agency.name for m in find_agencies(text))


# A record's words, read once per record rather than once per question (the records do not change between questions).
@lru_cache(maxsize=8192)
def _terms(text: str) -> frozenset[str]:
    return frozenset(keyword_terms(text))


def work_below(composer: "Context", duty: Duty) -> frozenset[str]:
    """The terms of the items a short task heads when no record assigns them and they name no doer of their own
    ("ĐỀ ÁN 2: “Nâng cao hiệu quả đấu tranh …”. Công an tỉnh chủ trì; …" over "+ Xác lập, đấu tranh chuyên án, triệt
    phá …"): the lead of the project leads the work it lists, which "ai chủ trì đề án đánh án, triệt phá đường dây?"
    names."""
    key = (duty.doc_id, duty.task_start)
    cache = composer.work_below_terms
    if key not in cache:
        text = composer.store.documents[duty.doc_id].text
        end = duty.task_end if duty.task_end - duty.task_start >= 250 else list_below(text, duty.task_start, duty.task_end)
        starts = composer.task_starts()[duty.doc_id]
        assigned = bisect_left(starts, end) > bisect_left(starts, duty.task_end)
        # (an item that names its own doers, "+ Ba ngành: Công an, Viện kiểm sát, Toà án phối hợp …", is theirs)
        unassigned = [line for line in text[duty.task_end:end].split("\n") if not find_agencies(line)]
        cache[key] = frozenset() if end <= duty.task_end or assigned else _terms(" ".join(unassigned))
    return cache[key]


def _with_work_below(composer: "Context", duty: Duty, words: frozenset[str], near: frozenset[str],
                     project_asked: bool) -> tuple[frozenset[str], frozenset[str]]:
    """(words, near words) of a record with the work it heads: as its own words when a project is asked for and the record
    is a project's own ("ai cầm đề án đánh án …"), else as words near it, like its headings."""
    below = work_below(composer, duty)
    if not below:
        return words, near
    if project_asked and opens_a_project(duty.task):
        return words | below, near
    return words, near | below


# "đề án", "dự án", "project": a project asked for (by number or by what it covers; not one pointed back at, "đề án đó",
# "that project", which the conversation names)
_A_PROJECT = re.compile(r"(?<!\bthat )(?<!\bthis )(?<!\bsame )\b(?:(?:tieu )?de an|du an|(?:sub-?)?projects?)\b"
                        r"(?! (?:do|nay|ay|kia|tren)\b)")


@lru_cache(maxsize=8192)
def _folded_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def row_of(composer: "Context", doc_id: str, pos: int) -> int | None:
    rows = composer.retriever.rows_of(doc_id)
    if rows is None:
        return None
    for row in rows:
        c = composer.store.chunks[row]
        if c.start <= pos < c.end + 1:
            return int(row)
    return None


def answer_who(composer: "Context", query: Query, hits: list[Hit], filters: Filters) -> Answer | None:
    """The agencies assigned the task the question names, from the task records, newest document first."""
    language = query.language
    import numpy as np

    records = composer.duties()
    anchored = _anchored_records(records, query)
    def named_work(text: str) -> set[str]:  # the topic words of a text, less those that only say "a piece of work"
        return {t for t in composer._topic_terms(text, language) if t not in _WORK_WORDS}

    own = named_work(query.question) if anchored else set()
    asked_before = anchored and not own and query.text != query.question
    if asked_before:
        # "vậy cơ quan nào chủ trì việc đó?" after the seven items of a section: "việc đó" is what was asked before
        # ("… những hoạt động có nguy cơ mua bán người nào"), which the follow-up's text carries
        own = named_work(query.text)
    if own:
        # "And who handles receiving, verifying and protecting them?": "them" are the victims, the task is the
        # follow-up's own; the previous answer's records answer only when they are about it
        covered = [(composer._coverage(own, set(keyword_terms(f"{d.task} {d.clause}")), set(keyword_terms(d.heading))), d)
                   for d in anchored]
        best = max(c for c, _d in covered)
        about = [d for c, d in covered if c >= 0.9 * best and best >= 0.3]
        # (what was asked before narrows the records quoted for it, when it tells them apart; it never drops them all)
        anchored = about or ([] if not asked_before else anchored)
    if anchored and query.agencies and not query.choice:
        # "Which of them does the provincial police lead?": of the records quoted before, those giving that agency the role
        holding = [d for d in anchored if set(query.agencies) & set(d.lead if query.role == "lead" else
                                                                     (*d.lead, *d.coordinating, *d.performers))]
        anchored = holding or anchored
    if anchored:
        _doc_id, start, end = query.anchor[0]
        # one record answering of the one passage quoted before: its task quoted there, not at the section's start
        focus = (start, end) if len(anchored) == 1 and end - start <= 600 else None
        return render_records(composer, query, anchored[:MAX_WHO_CITATIONS], focus=focus)
    allowed = composer.retriever.allowed_rows(filters)
    allowed_docs = None
    if allowed is not None:
        allowed_docs = composer.retriever.documents_of(allowed)
    # The agencies the question names ("có phải Sở LĐ-TB&XH chủ trì …?", "… phối hợp với Công an tỉnh") are whom
    # it asks about, not its topic: a record of another agency must still match.
    # (in English too: "… – the police or the prosecution service?" offers candidates, it names no topic)
    # ("which bodies are to support the police in …": supporting the body named is the role asked, not victim support)
    text = without_agency_names(SUPPORTING_A_BODY.sub(" ", query.text))
    for mention in sorted(find_agencies(text), key=lambda m: -m.start):
        text = text[: mention.start] + " " + text[mention.end :]
    topic = composer._topic_terms(text, language) or composer._topic_terms(query.text, language)
    if not topic:
        return None
    qvec = composer.retriever.query_vector(composer.retriever.prepare(query.text).dense_text)
    hit_rank = {h.chunk.chunk_id: h.rank for h in hits}
    # (word pairs most passages say — "mua bán", "bán người" — make a phrase of nothing in particular)
    telling = {t for t in topic if "_" in t and composer._term_idf(t) > COMMON_IDF}
    phrases = phrases_of(topic, telling)
    runs = topic_runs(text, topic)
    # "Who receives a victim sent home through the Vietnamese embassy?": a body the question names, not as asked about
    # nor offered as a candidate, is part of the case; a record of it alone answers another question
    case_agencies = set() if (query.yes_no or query.choice or query.legacy_intent == "who_coordinates") else set(query.agencies)
    # (of those, the ones the question itself names, not a follow-up's words carried from the question before it, nor
    # the way the case went: "victims sent home via the consulate" asks who receives them, not what the consulate does)
    told_case = case_agencies & (set(agencies_in(query.question)) - agencies_named_as_route(query.question))
    focal_said = next((said for asked, said in _FOCAL_ROLES if asked.search(fold(query.text))), None)
    request_asked = bool(REQUEST_ASKED.search(fold(query.text)))
    # the tasks the agency named leads or does, whose partners may be given in a record of their own ("Công an tỉnh chủ
    # trì thực hiện các hoạt động trên." then "Cơ quan phối hợp: Sở …")
    led = {(d.doc_id, d.task_start) for d in records if query.agency in (*d.lead, *d.performers)} if query.agency else set()
    # ("the project that covers busting rings": a project asked for by the work it lists, not by its number)
    project_asked = not query.project and bool(_A_PROJECT.search(fold(query.text)))
    scored = []
    for duty in records:
        if allowed_docs is not None and duty.doc_id not in allowed_docs:
            continue
        if not (duty.lead or duty.coordinating or duty.performers):
            continue
        if query.legacy_intent == "who_coordinates" and not (duty.coordinating or duty.lead):
            continue
        if query.legacy_intent == "who_coordinates" and query.agency and query.agency not in (*duty.lead, *duty.performers) \
                and (duty.doc_id, duty.task_start) not in led and not _works_with_asked(duty, query):
            continue  # "Công an tỉnh phối hợp với sở nào …": the partners of the agency named (or those who work with it)
        if query.legacy_intent == "who_coordinates" and query.agency and not duty.coordinating \
                and not set(duty.performers) - {query.agency}:
            continue  # (a record giving the body named the lead and no one beside it names no partner)
        # a section-wide record ("8. Công tác hợp tác quốc tế … - Phân công thực hiện: Các sở, ban, ngành …") answers
        # for its section's heading, not for each task of the section (those have records of their own, or none)
        task = duty.task.split("\n", 1)[0] if duty.section_wide else duty.task
        named = projects_in(f"{task} {duty.clause}") if query.project else set()
        if named and query.project not in named:
            continue  # "Who leads Project 2?": a record of Đề án 3 answers another question
        record_text = f"{task} {duty.clause}"
        coverage = composer._coverage(topic, *_with_work_below(composer, duty, _terms(record_text), _terms(duty.heading),
                                                                  project_asked))
        row = row_of(composer, duty.doc_id, duty.task_start)
        dense = float(np.dot(composer.store.embeddings[row], qvec)) if row is not None else 0.0
        rank = hit_rank.get(composer.store.chunks[row].chunk_id) if row is not None else None
        # a record of the project asked about; most of all the project's own ("ĐỀ ÁN 2: … Công an tỉnh chủ trì")
        project = (OWN_PROJECT if opens_with_project(task, query.project) else OF_PROJECT) if named else 0.0
        score = (coverage + 2.0 * max(0.0, dense - 0.78) + (0.15 / rank if rank else 0.0) + project
                 + (PHRASE_BONUS if any(p in _folded_words(record_text) for p in phrases) else 0.0)
                 + (TOPIC_RUN_BONUS if any(_says_run(_run_words(duty.heading), run) for run in runs) else 0.0)
                 # the assignment sentence itself says what was asked ("Cơ quan giải cứu có trách nhiệm cấp giấy xác
                 # nhận …"), not only the clause around it, whose subject may be another body
                 + CLAUSE_WEIGHT * composer._coverage(topic, _terms(duty.clause)))
        if query.legacy_intent == "who_leads" and not duty.lead and not _assigns_by_doing(composer, duty):
            score -= 0.1  # named only as doing the task: an answer when no record names a lead
        if case_agencies and set((*duty.lead, *duty.performers) or duty.coordinating) <= case_agencies:
            score -= CASE_AGENCY_PENALTY
        elif _names_the_case(duty, told_case):
            # "which ministry tells Vietnamese embassies abroad to …?": the record whose task names the body the question
            # tells of ("Chỉ đạo, hướng dẫn các cơ quan đại diện Việt Nam ở nước ngoài …") is about that case
            score += CASE_NAMED_BONUS
        if focal_said is not None and focal_said.search(duty.clause):
            score += FOCAL_BONUS  # "which agency is the focal point …": the record that makes a body "đầu mối"
        if request_asked and requested_in(duty):
            score += REQUESTED_BONUS
        if duty.section_wide:
            score -= 0.1  # all the section's agencies at once: an answer when no task of it has a record
        scored.append((score, coverage, dense, duty))
    if not scored:
        return None
    if _MINISTRY_ASKED.search(fold(query.text)):
        # "which ministry is supposed to steer that work?": the records that name a ministry, when some do (the legal aid
        # centre that delivers the aid is no ministry)
        # (not the ministry the question names: "các bộ nào phối hợp với Bộ Công an" asks for others)
        of_ministries = [item for item in scored if any("Ministry" in english_name(a) for a in (
            *item[3].lead, *item[3].coordinating, *item[3].performers) if a != query.agency)]
        scored = of_ministries or scored
    scored.sort(key=lambda x: -x[0])
    top = scored[0][3]
    acted_on = told_case & agencies_acted_on(query.question)
    if acted_on and all(set((*duty.lead, *duty.coordinating, *duty.performers)) <= acted_on
                        for score, _cov, _dense, duty in scored if score >= 0.75 * scored[0][0]):
        # "Cơ quan nào cấp giấy phép thành lập cơ sở hỗ trợ nạn nhân?": the records that answer name only the body the
        # question tells of, which is acted on, not the one asked for (no record names who acts on it)
        return None
    asks_lead = query.legacy_intent == "who_leads"
    asks_partners = query.legacy_intent == "who_coordinates"
    if (asks_lead or asks_partners) and _names_no_doer(composer, top):
        # "… do cơ quan nào chủ trì?" answered by a line that only asks bodies to take part ("Đề nghị Tòa án …, Viện
        # kiểm sát … phối hợp tổ chức quán triệt … Công ước ACTIP"): the record of the same document that names the lead
        # of that work answers the role asked, when it matches the topic nearly as well; "cơ quan nào phối hợp …" is
        # answered first by the record that assigns the work to a lead and its partners ("Cơ quan phối hợp: Sở …"), the
        # bodies only asked to take part after it
        near = [item for item in scored[1:] if item[3].lead and item[3].doc_id == top.doc_id
                and (item[3].coordinating or not asks_partners)
                and item[1] >= LEAD_NEAR * scored[0][1] and item[0] >= LEAD_NEAR * scored[0][0]]
        # (of those, partners asked for are best answered by the one naming them, not "các sở, ngành có liên quan")
        leading = next((item for item in near if not asks_partners or _names_partners(item[3])), near[0] if near else None)
        if leading is not None:
            scored.remove(leading)
            scored.insert(0, leading)
    best_score, best_cov = scored[0][:2]
    if case_agencies:
        # (a record of a body the question tells as its case is pushed down, not out: whether the records answer at
        # all is judged by the best coverage among those shown)
        best_cov = max(cov for score, cov, _d, _r in scored if score >= 0.75 * best_score)
    project_named = bool(query.project) and query.project in projects_in(f"{scored[0][3].task} {scored[0][3].clause}")
    # ("Cơ quan nào là đầu mối …": the role asked is the topic, and the record that gives it answers)
    role_named = focal_said is not None and focal_said.search(scored[0][3].clause) is not None
    named_by_question = project_named or role_named  # the best record answers by what it names, whatever its words
    # (in English, judged by the closest in the dense space of the records shown: "… in the 2024 plan, and is it the same
    # in the 2026–2030 plan?" shows each plan's record, and the one ranked first may be the one further off)
    shown_dense = max(dense for score, _cov, dense, _duty in scored if score >= 0.75 * best_score)
    if best_cov < 0.5 and not named_by_question and not (language == "en" and shown_dense >= 0.83) and not (
            best_cov >= 0.4 and (not query.agency or query.choice or _names_the_case(scored[0][3], told_case))
            and _in_top_hits(composer, scored[0][3], hits, 3)):
        return None  # (a record inside a passage the search put first may match fewer of the question's words)
    # A document's best record, plus a runner-up that is all but tied with it and names other
    # agencies (Ninh Bình 2024 gives victim support to the labour department and legal aid
    # for victims to the justice department in two bullets of one section): picking one of two
    # near-equal scores would hide half of the answer.
    if query.choice and len(query.agencies) >= 2:
        # "Between the Ministry of Justice and MOLISA, who oversees which intermediaries …?": each candidate's best
        # record, when more than one of them has one on the topic (the answer may be "both, each for its part")
        best_of_each = [next((item for item in scored if candidate in (*item[3].lead, *item[3].performers)
                              and item[1] >= 0.5 * best_cov), None) for candidate in query.agencies]
        best_of_each = list(dict.fromkeys(item for item in best_of_each if item is not None))
        if len(best_of_each) >= 2:
            return render_records(composer, query, [item[3] for item in best_of_each][:MAX_WHO_CITATIONS])
    per_doc: dict[str, list[tuple]] = {}
    # "…, and is it the same in plan B?": each plan's best record, however it scores against the other plan's
    # (and each plan's when the question tells of one plan and asks of another: the one asked of first)
    each_plan = query.same_elsewhere or bool(query.asked_years)
    for item in scored:
        score, cov, _dense, duty = item
        if (score < 0.75 * best_score and not (each_plan and duty.doc_id not in per_doc)) \
                or (cov < 0.5 * best_cov and not named_by_question):
            continue
        kept = per_doc.setdefault(duty.doc_id, [])
        if asks_lead and any(k[3].lead for k in kept) and _names_no_doer(composer, duty):
            continue  # (the lead asked is named: a line only asking bodies to take part is no second answer)
        if not kept:
            kept.append(item)
        elif not _gives_other_bodies(duty, kept) or cov < kept[0][1]:
            continue
        elif len(kept) < RECORDS_PER_DOCUMENT and score >= NEAR_TIE * kept[0][0] and not duty.section_wide:
            kept.append(item)
        elif (_works_with_asked(duty, query) and all(_works_with_asked(k[3], query) for k in kept)
              and len(kept) < WORKS_WITH_RECORDS):
            # "các bộ nào phối hợp với Bộ Công an?": each body the law has work with it answers in part (Điều 41.3's
            # list, the justice and foreign ministries' own articles), not the best-worded one alone
            kept.append(item)
    docs = composer.store.documents

    newest_first = sorted(per_doc.values(), key=lambda items: (_of_years(docs[items[0][3].doc_id], query.asked_years),
                                                               issued(docs[items[0][3].doc_id])), reverse=True)[:5]
    ordered = [item for items in newest_first for item in items][:MAX_WHO_CITATIONS]
    return render_records(composer, query, [duty for _score, _cov, _dense, duty in ordered], topic=topic)


# "which ministry", "bộ nào": a ministry is asked for, which every ministry's English name says. ("which department"
# is not read so: users say it of any body, the provincial police too.)
_MINISTRY_ASKED = re.compile(r"\b(?:which|what) ministr(?:y|ies)\b|\bbo nao\b|\bnhung bo\b")


def _of_years(doc, years: tuple[int, ...]) -> bool:
    """Whether a document's plan years hold every one of `years` (none asked: False)."""
    return bool(years) and set(years) <= set(doc.years)


def _names_no_doer(composer: "Context", duty: Duty) -> bool:
    """Whether a record only asks bodies to take part ("Đề nghị Tòa án …, Viện kiểm sát … phối hợp …"): it names no lead
    and no one who does the task, and is no law's duty (which names no lead)."""
    return not duty.lead and not duty.performers and not _assigns_by_doing(composer, duty)


def _names_partners(duty: Duty) -> bool:
    """Whether a record names a partner by name, not only every body of a kind ("các sở, ngành có liên quan")."""
    return any(not (agency := agency_by_name(name)) or not agency.collective for name in duty.coordinating)


def _assigns_by_doing(composer: "Context", duty: Duty) -> bool:
    """Whether the record's document is a law, which names no lead: "Viện kiểm sát nhân dân tối cao thực hiện việc
    thống kê tội phạm mua bán người" is whose duty it is (a plan that names only who does a task leaves the lead open)."""
    kind = (getattr(composer.store.documents[duty.doc_id], "kind", "") or "").lower()
    return kind in ("luật", "bộ luật", "nghị định", "law", "code", "decree")


def _anchored_records(records: list[Duty], query: Query) -> list[Duty]:
    """"Who is assigned to carry that out?", "Mỗi đề án đó do cơ quan nào chủ trì?": the records whose task lies in
    the passages the previous answer quoted, in document order (each of "those" projects has its own lead); when
    none does, the section-wide assignment the passage lies under ("Phân công thực hiện: Các sở, ban, ngành …")."""
    out: list[Duty] = []
    for doc_id, start, end in query.anchor:
        for duty in records:
            if (duty.doc_id == doc_id and start <= duty.task_start < end and not duty.section_wide and duty not in out
                    and (duty.lead or duty.coordinating or duty.performers)):
                out.append(duty)
    if out:
        return out
    return [duty for doc_id, start, end in query.anchor[:1] for duty in records
            if duty.section_wide and duty.doc_id == doc_id and duty.task_start <= start < duty.clause_end]


def answer_who_in_passage(composer: "Context", query: Query, doc_id: str, sentence: tuple[int, int]) -> Answer | None:
    """"Who …" answered from the task record whose task holds the passage that answers the question, when no
    record matched the question's words well enough on its own ("Chỉ đạo việc … đưa người Việt Nam đi lao động
    tại nước ngoài" is a sentence of "2. Sở Lao động, Thương binh và Xã hội phối hợp với …")."""
    holding = [d for d in composer.duties() if d.doc_id == doc_id and d.task_start <= sentence[0] < d.task_end
               and (d.lead or d.coordinating or d.performers)]
    if not holding:
        return None
    return render_records(composer, query, [min(holding, key=lambda d: d.task_end - d.task_start)], focus=sentence)


def _sentence_on_topic(composer: "Context", text: str, duty: Duty, topic: set[str],
                       opening_span: tuple[int, int]) -> tuple[int, int] | None:
    """The sentence of a long task that says the topic asked, when the task's opening (`opening_span`, what is quoted of
    it) does not: "… Tổ chức thực hiện có hiệu quả các giải pháp phòng chống khai thác hải sản bất hợp pháp … (IUU), góp
    phần phòng ngừa mua bán người vì mục đích cưỡng bức lao động trên biển." lies deep in a task that opens on other work."""
    start, end = opening_span
    end = min(end, start + TASK_SHOWN)  # (what the answer shows of it)
    opening = composer._coverage(topic, _terms(text[start:end]))
    best, where = opening, None
    for s, e, piece in task_sentences(text, duty.task_start, duty.task_end, points_apart=True):
        if s >= start and e <= end:
            continue
        said = composer._coverage(topic, _terms(piece))
        if said > best:
            best, where = said, (s, e)
    return where if where is not None and best >= 0.5 and best >= opening + TOPIC_SENTENCE_MARGIN else None


def _lead_in(text: str, start: int, before: int) -> tuple[int, int] | None:
    """The span of the sentence that opens a task at `start` when it leads into a list (ends with ":") and comes
    before `before`, else None."""
    first = next(iter(task_sentences(text, start, before, points_apart=True)), None)
    return first[:2] if first is not None and first[2].rstrip().endswith(":") else None


LEAD_NEAR = 0.7  # how close a record naming the lead must come to a best one naming only partners, to answer "who leads"
TASK_SHOWN = 220  # how much of a record's task a who answer shows beside its assignment
TOPIC_SENTENCE_MARGIN = 0.25  # how much more of the topic a task's later sentence must say to be quoted for it


def render_records(composer: "Context", query: Query, records: list[Duty],
                   focus: tuple[int, int] | None = None, topic: set[str] | None = None) -> Answer | None:
    """The answer naming each record's agencies by role, the asked role first, each record quoted and cited
    (a single record's task quoted at `focus`, the sentence that answers, when given; else, with the `topic` asked, a
    long task at the sentence that says it, when its opening does not)."""
    question, language = query.question, query.language
    docs = composer.store.documents
    cites: list[Citation] = []
    lines: list[str] = []
    summary: list[tuple[str, str, str, int]] = []  # (document label, role word, names, n) for the lead sentence
    role = "coordinating" if query.legacy_intent == "who_coordinates" else "lead"
    en = language == "en"
    for n, duty in enumerate(records, start=1):
        doc = docs[duty.doc_id]
        opening = task_quote(doc.text, duty.task_start, duty.task_end) if focus is None and topic else None
        said_at = focus or (_sentence_on_topic(composer, doc.text, duty, topic, opening) if opening else None)
        # (a point of a list keeps the lead-in that says whose it is: "Ủy ban nhân dân cấp xã còn có trách nhiệm:")
        lead = _lead_in(doc.text, opening[0], said_at[0]) if opening and said_at is not None else None
        start = min(duty.task_start, duty.clause_start)
        end = max(duty.task_end, duty.clause_end)
        if end - start > 1600:  # cite the clause and the start of its task, not a whole chapter
            start, end = (duty.clause_start, duty.clause_end) if said_at is None else \
                (min(duty.clause_start, said_at[0]), max(duty.clause_end, said_at[1]))
        cites.append(composer.span_citation(n, duty.doc_id, start, end, duty.section,
                                        [(duty.clause_start, duty.clause_end), *([said_at] if said_at else []),
                                         *([lead] if lead else [])]))
        written = as_written(duty)
        requested = requested_in(duty)
        groups = []  # (role, the agencies' canonical names): a name requested is its own group
        # ("những bộ nào phối hợp với Bộ Công an?" answered by "Bộ Quốc phòng, … có trách nhiệm phối hợp với Bộ Công an":
        # the bodies that work with the one asked about come first, not that body)
        for key, names in assigned_roles(duty, "lead" if _works_with_asked(duty, query) else role):
            groups += [(group_key, group) for group_key, group in (
                (key, [x for x in names if x not in requested]), ("requested", [x for x in names if x in requested]))
                if group]
        if not groups:
            continue
        words = ROLE_LABELS_EN if en else ROLE_LABELS_VI
        where = official_section(duty.section, language) or ("preamble" if en else "phần mở đầu")
        # (in English, each line also gives the name as the document writes it, so the reader finds it in the quote
        # and in the document: "Provincial People's Procuracy (Viện kiểm sát nhân dân tỉnh)")
        said = "; ".join(f"{words[key]}: {', '.join(_both_names(x, written) if en else written.get(x, x) for x in group)}"
                         for key, group in groups)
        label = document_label(doc, language)
        first_role, first_names = groups[0]
        summary.append((label, first_role, tuple(english_name(x) if en else written.get(x, x) for x in first_names), n))
        # Each line names its task (quoted) when the assignment clause does not ("- Cơ quan chủ trì: Sở Y tế.").
        task = quoted_task(doc.text, (duty.task_start, duty.task_end), (duty.clause_start, duty.clause_end), said_at)
        if lead and task:
            task = f"“{_shorten(clean_quote(doc.text[lead[0] : lead[1]]), TASK_SHOWN)}” … {task}"
        task = f" {task} —" if task else ""
        lines.append(f"- {label}, {where}:{task} {said}. “{clean_quote(duty.clause)}” [{n}]")
    if not lines:
        return None
    for duty in records[:1]:  # (the first record: the one the answer opens with)
        named = _who_that_is(composer, duty, len(cites) + 1, language)
        if named:
            line, cite = named
            lines.append(line)
            cites.append(cite)
    text = _yes_or_no(query, summary, records) + who_sentence(summary, language) + "\n" + "\n".join(lines)
    return Answer(question, text, True, tuple(cites), language, query.legacy_intent, query.text, query.scope.as_dict())


_ARTICLE_AND_CLAUSE = re.compile(r"Điều (\d+)(?: › Khoản (\d+))?")


def _who_that_is(composer: "Context", duty: Duty, n: int, language: str) -> tuple[str, Citation] | None:
    """For a record whose doer the law names by what it did ("cơ quan đã tiến hành xác minh cấp giấy xác nhận", khoản 4
    Điều 24), the clause elsewhere in the same text that cites this one and names the body ("Giấy xác nhận của cơ quan
    Công an huyện … theo quy định tại khoản 4 Điều 24"): the line and its citation, else None."""
    doers = [agency_by_name(x) for _key, names in assigned_roles(duty, "lead") for x in names]
    if not doers or not all(a is not None and a.by_function for a in doers):
        return None
    place = _ARTICLE_AND_CLAUSE.search(duty.section or "")
    if not place:
        return None
    article, clause = place.groups()
    cited = rf"khoản {clause} Điều {article}\b" if clause else rf"Điều {article}\b(?! khoản)"
    doc = composer.store.documents[duty.doc_id]
    found: list[tuple[int, int, list]] = []  # (start, end, bodies) of each clause that cites this one
    for m in re.finditer(rf"(?i){cited}", doc.text):
        start = doc.text.rfind("\n", 0, m.start()) + 1
        end = doc.text.find("\n", m.end())
        end = len(doc.text) if end < 0 else end
        if start <= duty.clause_start < end:
            continue  # the record's own clause
        line = doc.text[start:end]
        bodies = [x.agency for x in find_agencies(line) if not x.agency.by_function and not x.agency.collective]
        if bodies:
            found.append((start, end, list(dict.fromkeys(bodies))))
    if not found:
        return None
    # (the clause naming one body says who it is; one that names several tells a step around it: "Phòng LĐTBXH đề
    # nghị cơ quan Công an cùng cấp xác minh … theo khoản 4 Điều 24")
    start, end, _bodies = min(found, key=lambda f: len(f[2]))
    section = section_at(doc.text, start)
    where = official_section(section, language) if section else ""
    # (the body in the clause's own words: the gazetteer reads "cơ quan Công an huyện" as a police force, not its level)
    said = (f"- The law names that body where it cites this clause{f' ({where})' if where else ''}: "
            if language == "en" else f"- Cơ quan đó được nêu ở {where or 'điều khoản'} dẫn chiếu tới khoản này: ")
    return (f"{said}“{clean_quote(doc.text[start:end])}” [{n}]",
            composer.span_citation(n, duty.doc_id, start, end, section, [(start, end)]))


def _both_names(name: str, written: dict[str, str]) -> str:
    """"Provincial People's Procuracy (Viện kiểm sát nhân dân tỉnh)": the English name and the document's own words
    (the English name alone when they are the same)."""
    english, own = english_name(name), written.get(name, name)
    return english if english == own else f"{english} ({own})"


def _in_top_hits(composer: "Context", duty: Duty, hits: list[Hit], k: int) -> bool:
    """Whether the record's task or its assignment lies in one of the first k passages retrieved (a section's work in
    "a) Nội dung" and who does it in "b) Phân công trách nhiệm thực hiện" may be two passages)."""
    return any(h.chunk.doc_id == duty.doc_id and (h.chunk.start <= duty.task_start < h.chunk.end
                                                  or h.chunk.start <= duty.clause_start < h.chunk.end) for h in hits[:k])


def _yes_or_no(query: Query, summary: list, records: list[Duty]) -> str:
    """"Có phải Sở Y tế chủ trì …?" is answered yes or no first, from the newest document's record; "…, and is it the
    same in plan B?" by whether the first records of the two documents give the same lead."""
    en = query.language == "en"
    if query.same_elsewhere:
        first: dict[str, set] = {}
        for duty in records:
            first.setdefault(duty.doc_id, set(duty.lead or duty.performers) - set(requested_in(duty)))
        if len(first) < 2:
            return ""
        a, b = list(first.values())[:2]
        if a == b:
            return "Yes — the same in both. " if en else "Có — giống nhau ở cả hai văn bản. "
        return "No — they differ. " if en else "Không — hai văn bản khác nhau. "
    if not query.agency or not summary or not query.yes_no:
        return ""
    duty = records[0]
    asked = set(query.agencies or (query.agency,))
    holds = asked & set(duty.lead if query.role == "lead" else (*duty.lead, *duty.coordinating, *duty.performers))
    if holds:
        return "Yes. " if en else "Đúng. "
    return "No. " if en else "Không. "


def answer_who_regulates(composer: "Context", query: Query, hits: list) -> Answer | None:
    """"Ai quy định điều kiện, thủ tục thành lập loại cơ sở đó?": when a retrieved passage leaves what is asked to the
    Government ("Chính phủ quy định cụ thể điều kiện, trình tự, thủ tục thành lập cơ sở hỗ trợ nạn nhân"), the
    Government, quoting that clause; None when the question asks no such thing or no delegation covers its words."""
    if not ASKS_WHO_REGULATES.search(fold(query.text)):
        return None
    asked = composer._topic_terms(query.text, query.language)
    best, best_cover = None, 0.0
    for hit in hits[:5]:
        text = hit.chunk.text
        for m in DELEGATED.finditer(text):
            cover = composer._coverage(asked, set(keyword_terms(m.group(0))))
            if cover > best_cover:
                best, best_cover = (hit, m), cover
    if best is None or best_cover < 0.5:
        return None
    hit, m = best
    doc = composer.store.documents[hit.chunk.doc_id]
    start = hit.chunk.start + m.start()
    end = hit.chunk.start + m.end()
    if doc.text[start:end] != m.group(0):
        return None  # (a chunk whose text is not the document's own span: no exact citation)
    section = section_at(doc.text, start)
    where = official_section(section, query.language)
    label = document_label(doc, query.language)
    text = (f"According to {label}, {where}: the Government (Chính phủ). “{m.group(0)}.” [1]" if query.language == "en"
            else f"Theo {label}, {where}: Chính phủ. “{m.group(0)}.” [1]")
    citation = composer.span_citation(1, doc.doc_id, start, end, section, [(start, end)])
    return Answer(query.question, text, True, (citation,), query.language, query.legacy_intent, query.text,
                  query.scope.as_dict())
