"""Plans compared: who leads a topic (or what an agency does) in each plan, oldest first, with what
changed between plans. The chat answers "so sánh ..." questions with it (answer/compare.py) and the
trainer's compare view and command render it (trainer/compare.py).

Usage::

    cmp = compare(bot, topic="hỗ trợ nạn nhân")
    for e in cmp.entries:
        print(e.label, e.lead, e.change)
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterable, Protocol, Sequence

from . import duties, plans
from .errors import UsageError
from .text import detect_language, fold, keyword_terms

if TYPE_CHECKING:
    from .retrieve import Retriever
    from .store import IndexStore

# --- compare ---------------------------------------------------------------------------------
# Weights of the topic score: share of the topic's (IDF-weighted) terms found in the task or
# its clause, and how close the chunk holding the task is to the topic in the dense space.
KEYWORD_WEIGHT = 0.65
DENSE_WEIGHT = 0.35
PHRASE_BONUS = 0.08  # per occurrence of the whole topic phrase in the task (max 3)
MAX_JOINT_LEADS = 3  # more bodies named on one line as leads share the work out "theo chức năng"
SUBJECT_BONUS = 0.2  # times the share of the topic the title of the task's own section names
MIN_SCORE = 0.45  # below this a duty is not about the topic
MIN_COVERAGE = 0.4  # and at least this share of the topic's terms must be present
KEEP_RATIO = 0.8  # keep the duties scoring within 80% of a document's best
MAX_PER_DOCUMENT = 4


class Corpus(Protocol):
    """What a comparison reads: an opened index and its retriever (an Assistant, or the answer engine's context)."""

    @property
    def store(self) -> IndexStore: ...

    @property
    def retriever(self) -> Retriever: ...


@dataclass(frozen=True)
class MatchedDuty:
    """One task of a plan that matches the topic (or involves the agency)."""

    section: str
    task: str
    start: int
    end: int
    clause: str
    clause_start: int
    clause_end: int
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    performers: tuple[str, ...]
    score: float = 0.0
    role: str = ""  # in agency mode: "lead", "coordinating" or "performers"


@dataclass(frozen=True)
class PlanEntry:
    """One plan in a comparison: who leads and coordinates the topic there, and what changed."""

    doc_id: str
    title: str
    label: str
    year: int | None
    period: str | None
    lead: tuple[str, ...]  # the main lead agencies (agency mode: the agency, when it leads anything)
    other_leads: tuple[str, ...]  # agencies leading other matched tasks
    coordinating: tuple[str, ...]
    performers: tuple[str, ...]  # named as doing the matched tasks when no lead is (or besides the leads)
    duties: tuple[MatchedDuty, ...]
    change: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """Plans side by side, oldest first, for a topic and/or an agency."""

    topic: str | None
    agency: str | None
    lang: str
    entries: tuple[PlanEntry, ...]
    missing: tuple[str, ...] = ()  # labels of documents with nothing on the topic
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """A plain dict (the `compare --json` contract)."""
        return asdict(self)


@lru_cache(maxsize=1)
def reorganisations() -> tuple[dict, ...]:
    """Known agency reorganisations (assistant/data/reorganisations.json)."""
    raw = json.loads(resources.files("assistant").joinpath("data/reorganisations.json").read_text("utf-8"))
    return tuple(c for c in raw.get("changes", []) if isinstance(c, dict) and c.get("year"))


def _terms(text: str) -> set[str]:
    return set(keyword_terms(text, folded=True))


def _chunk_rows(store: IndexStore) -> dict[str, list[tuple[int, int, int]]]:
    rows: dict[str, list[tuple[int, int, int]]] = {}
    for i, chunk in enumerate(store.chunks):
        rows.setdefault(chunk.doc_id, []).append((chunk.start, chunk.end, i))
    return rows


def _chunk_of(rows: Sequence[tuple[int, int, int]], start: int, end: int) -> int | None:
    # The chunk overlapping the task the most (a task can straddle two chunks).
    best, best_overlap = None, 0
    for s, e, i in rows:
        overlap = min(e, max(end, start + 1)) - max(s, start)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


def _topic_scores(bot: Corpus, topic: str, candidates: Sequence[duties.Duty]) -> tuple[list[tuple[float, float, duties.Duty]], str]:
    """(score, keyword coverage, duty) for every candidate duty, and the Vietnamese phrase matched."""
    import numpy as np

    retriever = bot.retriever
    store = bot.store
    prepared = retriever.prepare(topic)
    # English topics are matched through their Vietnamese glossary terms; the dense side
    # is multilingual and takes the topic as typed.
    phrase = " ".join(prepared.notes) if prepared.language == "en" and prepared.notes else (prepared.restored or topic)
    wanted = _terms(phrase)
    # the heading a task sits directly under names its topic as much as its own words do ("3. Công tác đấu tranh,
    # truy tố, xét xử …" above a bullet on tip-offs); the headings above that only half as much
    parts = [d.heading.rsplit(duties.SEP, 1) for d in candidates]
    own = [_terms(f"{d.task} {d.clause} {p[-1]}") for d, p in zip(candidates, parts)]
    head = [_terms(p[0]) if len(p) > 1 else set() for p in parts]
    titled = [_terms(p[-1]) for p in parts]
    n = len(candidates)
    weights = {}
    for t in wanted:
        df = sum(1 for o, h in zip(own, head) if t in o or t in h)
        weights[t] = math.log((n + 1) / (df + 0.5)) if df else 1.0
        if "_" in t:
            weights[t] *= 1.5  # a two-word phrase says more than its words
    total = sum(weights.values()) or 1.0
    folded_phrase = fold(phrase).strip()

    vec = retriever.query_vector(prepared.dense_text)
    sims = np.asarray(store.embeddings) @ vec
    median, top = float(np.median(sims)), float(sims.max())
    spread = max(top - median, 1e-6)
    chunk_rows = _chunk_rows(store)

    out = []
    for duty, o, h, title in zip(candidates, own, head, titled):
        coverage = sum(w * (1.0 if t in o else 0.5 if t in h else 0.0) for t, w in weights.items()) / total
        # a section whose title names the topic is about it; a task that mentions it in passing ("phóng sự về … kết quả
        # đấu tranh phòng, chống mua bán người") is not
        subject = sum(w for t, w in weights.items() if t in title) / total
        row = _chunk_of(chunk_rows.get(duty.doc_id, []), duty.task_start, duty.task_end)
        dense = min(max((float(sims[row]) - median) / spread, 0.0), 1.0) if row is not None else 0.0
        occurrences = fold(f"{duty.task} {duty.clause}").count(folded_phrase) if len(folded_phrase) > 3 else 0
        score = (KEYWORD_WEIGHT * coverage + DENSE_WEIGHT * dense + PHRASE_BONUS * min(occurrences, 3)
                 + SUBJECT_BONUS * subject)
        out.append((score, coverage, duty))
    return out, phrase


def _matched(duty: duties.Duty, score: float = 0.0, role: str = "") -> MatchedDuty:
    return MatchedDuty(duty.section, duty.task, duty.task_start, duty.task_end, duty.clause, duty.clause_start,
                       duty.clause_end, duty.lead, duty.coordinating, duty.performers, round(score, 4), role)


def _main_leads(found: Sequence[MatchedDuty]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(main leads, other leads): an agency leading several matched tasks, or leading alone, weighs more;
    being named as performer of a matched task counts half."""
    weight: dict[str, float] = {}
    leaders: set[str] = set()
    for d in found:
        requested = duties.requested_in(d)  # "đề nghị Tòa án …": asked, never assigned, so never a lead
        for names, factor in ((d.lead, 1.0), (d.performers, 0.5)):
            names = [n for n in names if n not in requested]
            specific = [n for n in names if plans.is_specific(n)] or list(names)
            for i, name in enumerate(specific):
                # shared work counts less; the first-named agency a little more
                weight[name] = weight.get(name, 0.0) + factor * d.score / math.sqrt(len(specific)) * (1.1 if i == 0 else 1.0)
        leaders.update(n for n in d.lead if n not in requested)
    weight = {k: v for k, v in weight.items() if k in leaders}
    if not weight:
        return (), ()
    best = max(weight.values())
    ranked = sorted(weight, key=lambda k: (-weight[k], k))
    # the leads the best-matching record names together, all on one line, are all main leads, however their weight is
    # shared ("- Cơ quan chủ trì: Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh" under "4. Đấu tranh phòng, chống mua bán
    # người"); not those of a record whose lines each give another part of its task a lead, nor a long line of bodies
    # each leading "theo chức năng, nhiệm vụ", which shares the work out rather than naming who leads it
    top = max(found, key=lambda d: d.score)
    named = [{m.agency.name for m in duties.find_agencies(line)} for line in top.clause.split("\n")]
    lines = [names for names in named if names & set(top.lead)]
    jointly = {n for n in top.lead if n in weight} if len(lines) == 1 and set(top.lead) <= lines[0] else set()
    by_weight = {k for k in ranked if weight[k] >= 0.9 * best}
    if len(jointly) > MAX_JOINT_LEADS or not jointly & by_weight:
        jointly = set()  # (the best record's leads join a main lead; they do not stand in for one)
    main = tuple(k for k in ranked if k in by_weight or k in jointly)
    return main, tuple(k for k in ranked if k not in main)


def agency_names(names: Iterable[str], lang: str) -> str:
    names = list(names)
    if not names:
        return "—"
    return ", ".join(plans.english(n) for n in names) if lang == "en" else ", ".join(names)


def _change(prev: PlanEntry | None, cur_lead: tuple[str, ...], lang: str, agency_mode: bool,
            prev_counts: tuple[int, int] | None = None, counts: tuple[int, int] | None = None) -> str:
    if prev is None:
        return "—"
    if agency_mode and counts is not None and prev_counts is not None:
        if counts == prev_counts:
            return "không đổi" if lang == "vi" else "unchanged"
        if lang == "en":
            return f"leads {prev_counts[0]} → {counts[0]} tasks; coordinates {prev_counts[1]} → {counts[1]}"
        return f"chủ trì {prev_counts[0]} → {counts[0]} nhiệm vụ; phối hợp {prev_counts[1]} → {counts[1]}"
    if set(prev.lead) == set(cur_lead):
        return "không đổi" if lang == "vi" else "unchanged"
    if not cur_lead:
        return "không nêu cơ quan chủ trì" if lang == "vi" else "no lead named"
    if not prev.lead:  # (the plan before named who carries the work out, not who leads it: no lead to change from)
        return (f"now names a lead: {agency_names(cur_lead, lang)}" if lang == "en" else
                f"nay nêu cơ quan chủ trì: {agency_names(cur_lead, lang)}")
    if lang == "en":
        return f"lead changed: {agency_names(prev.lead, lang)} → {agency_names(cur_lead, lang)}"
    return f"đổi cơ quan chủ trì: {agency_names(prev.lead, lang)} → {agency_names(cur_lead, lang)}"


def _named(entry: PlanEntry) -> set[str]:
    names = set(entry.lead) | set(entry.other_leads) | set(entry.coordinating)
    for d in entry.duties:
        names.update(d.lead)
        names.update(d.coordinating)
        names.update(d.performers)
    return names


def _notes_for(prev: PlanEntry, cur: PlanEntry, topic: str | None, agency: str | None, lang: str) -> list[str]:
    """Reorganisation notes explaining a change between two consecutive plans."""
    before = plans.first_year(prev) or 0
    after = plans.first_year(cur) or 0
    out = []
    topic_key = plans.match_key(topic or "")  # the topic as typed plus its Vietnamese glossary terms
    for change in reorganisations():
        year = int(change["year"])
        if not before < year <= after:
            continue
        old = set(change.get("from", []))
        new = set(change.get("to", []))
        if agency:
            relevant = agency in old or agency in new
        else:
            was = old & (set(prev.lead) | set(prev.other_leads))
            now = new & (set(cur.lead) | set(cur.other_leads))
            gone = old - _named(cur)
            relevant = bool(was and (now or gone))
        topics = [plans.match_key(t) for t in change.get("topics", [])]
        if relevant and topics and topic_key:
            relevant = any(f" {t} " in f" {topic_key} " for t in topics)
        if relevant:
            out.append(change.get(lang) or change.get("vi", ""))
    return out


def compare(bot: Corpus, topic: str | None = None, agency: str | None = None, lang: str | None = None) -> Comparison:
    """Who leads and coordinates a topic (or what an agency does) in each plan, oldest first, with changes."""
    topic = (topic or "").strip() or None
    if not topic and not agency:
        raise UsageError('Give a topic or an agency, e.g. assistant compare "hỗ trợ nạn nhân" or --agency "Sở Y tế".')
    lang = lang or (detect_language(topic) if topic else "vi")
    if lang not in ("vi", "en"):
        raise UsageError(f"Unknown language '{lang}' — use vi or en.")
    wanted = plans.resolve_agency(agency) if agency else None
    store = bot.store
    all_duties = plans.store_duties(store)
    if wanted:
        pool = [d for d in all_duties if wanted in (*d.lead, *d.coordinating, *d.performers)]
    else:
        pool = [d for d in all_duties if d.lead or d.coordinating or d.performers]

    by_doc: dict[str, list[MatchedDuty]] = {}
    note_key = topic or ""
    if topic:
        by_doc, phrase = _match_topic(bot, topic, pool, wanted)
        note_key = f"{topic} {phrase}"
    else:
        for d in pool:
            by_doc.setdefault(d.doc_id, []).append(_matched(d, 1.0, _role(d, wanted)))

    records = store.documents
    order = sorted(by_doc, key=lambda i: (plans.first_year(records[i]) or 9999, records[i].year or 9999, i))
    entries: list[PlanEntry] = []
    all_notes: list[str] = []
    prev_counts = None
    for doc_id in order:
        rec = records[doc_id]
        found = by_doc[doc_id]
        if wanted and not topic:
            found = sorted(found, key=lambda d: ({"lead": 0, "coordinating": 1}.get(d.role, 2), d.start))
        counts = (sum(d.role == "lead" for d in found), sum(d.role == "coordinating" for d in found))
        if wanted and not topic:
            main, others = ((wanted,) if counts[0] else ()), ()
        else:
            main, others = _main_leads(found)
        coord: list[str] = []
        performers: list[str] = []
        if wanted and not topic:
            coord = [wanted] if counts[1] else []
            performers = [wanted] if any(d.role == "performers" for d in found) else []
        else:
            for d in found:
                if not main or set(main) & set(d.lead):
                    coord.extend(n for n in d.coordinating if n not in main and n not in others)
                if not d.lead:
                    performers.extend(d.performers)
        draft = PlanEntry(doc_id, rec.title, plans.document_label(rec), rec.year, rec.period, main, others,
                          tuple(dict.fromkeys(coord)), tuple(dict.fromkeys(performers)), tuple(found))
        prev = entries[-1] if entries else None
        change = _change(prev, main, lang, bool(wanted and not topic), prev_counts, counts)
        notes = _notes_for(prev, draft, note_key, wanted, lang) if prev else []
        entries.append(replace(draft, change=change, notes=tuple(notes)))
        all_notes.extend(n for n in notes if n not in all_notes)
        prev_counts = counts
    missing = tuple(plans.document_label(records[d]) for d in records if d not in by_doc)
    if wanted and not topic and entries:
        # The agency is missing from every plan after a reorganisation that absorbed it: say why.
        last = max(plans.first_year(records[e.doc_id]) or 0 for e in entries)
        later = [d for d in records if d not in by_doc and (plans.first_year(records[d]) or 0) > last]
        for change in reorganisations():
            year = int(change["year"])
            if wanted in change.get("from", []) and last < year and any(
                    (plans.first_year(records[d]) or 0) >= year for d in later):
                note = change.get(lang) or change.get("vi", "")
                if note not in all_notes:
                    all_notes.append(note)
    return Comparison(topic, wanted, lang, tuple(entries), missing, tuple(all_notes))


def _match_topic(bot: Corpus, topic: str, pool: Sequence[duties.Duty], wanted: str | None) -> tuple[dict[str, list[MatchedDuty]], str]:
    """The best duties of each document for a topic (above the thresholds), and the phrase matched."""
    scored, phrase = _topic_scores(bot, topic, pool) if pool else ([], topic)
    per_doc: dict[str, list[tuple[float, float, duties.Duty]]] = {}
    for item in scored:
        if item[0] >= MIN_SCORE and item[1] >= MIN_COVERAGE:
            per_doc.setdefault(item[2].doc_id, []).append(item)
    by_doc = {}
    for doc_id, items in per_doc.items():
        items.sort(key=lambda i: (-i[0], i[2].task_start))
        keep = [i for i in items if i[0] >= KEEP_RATIO * items[0][0]][:MAX_PER_DOCUMENT]
        by_doc[doc_id] = [_matched(d, s, _role(d, wanted)) for s, _c, d in keep]
    return by_doc, phrase


def _role(duty: duties.Duty, agency: str | None) -> str:
    if not agency:
        return ""
    if agency in duty.lead:
        return "lead"
    if agency in duty.coordinating:
        return "coordinating"
    return "performers"
