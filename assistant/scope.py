"""What a question is about: its intent (who leads / coordinates / a fact), its scope (province,
year, document) and, for follow-ups such as "Còn Quảng Ninh thì sao?", what it inherits."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Sequence

from .text import fold, normalize_for_matching

# Intent cues, matched on the folded question (so "ai chu tri" and "Ai chủ trì" agree).
_LEAD_CUES = [
    r"\bai (la )?(nguoi |co quan |don vi )?(chu tri|phu trach|chiu trach nhiem|dam nhiem|thuc hien)",
    r"\b(co quan|don vi|(?<!tren co )so|nganh|luc luong|ben) nao\b.*\b(chu tri|phu trach|chiu trach nhiem|dam nhiem|thuc hien|lam dau moi|dau moi)",
    r"\b(chu tri|phu trach|chiu trach nhiem|dau moi)\b.*\b(la ai|la co quan nao|la don vi nao|ai|nao)\b",
    r"\bwho (is |are )?(leads?|leading|in charge|responsible|heads?|coordinat\w*|handles?|does|is tasked|takes? charge|carr(y|ies) out|implements?)",
    r"\bwhich (agency|agencies|department|departments|body|bodies|organi[sz]ations?|unit|units|authority|authorities)\b",
    r"\b(lead|leading|responsible|in charge|tasked)\b.*\b(agency|department|body|for)\b",
    r"\bwho\b.*\b(lead|leads|responsible|in charge|coordinat\w*)\b",
]
_COORD_CUES = [
    r"\bphoi hop\b",
    r"\b(tham gia)\b.*\b(ai|nao|nhung)\b",
    r"\bcoordinat\w*\b|\bcooperat\w*\b|\bsupporting agenc|\bwork(s|ing)? with\b|\bassist(s|ing)?\b.*\bagenc",
]
_FOLLOWUP_VI = re.compile(r"^\s*(con|the con|vay con|va|nhung|con o|con trong|con doi voi|con tai|the|vay)\b.*$")
_FOLLOWUP_VI_END = re.compile(r"(thi sao|the nao|ra sao|thi the nao|nhu the nao)\s*\??\s*$")
_FOLLOWUP_EN = re.compile(r"^\s*(and|what about|how about|and what about|what of|same for|in the|for the|then)\b", re.I)


@dataclass(frozen=True)
class Scope:
    """Provinces, years and documents a question restricts itself to."""

    provinces: tuple[str, ...] = ()  # canonical names found in the question
    unknown_provinces: tuple[str, ...] = ()  # provinces of which no document is indexed
    years: tuple[int, ...] = ()
    doc_numbers: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """Plain dict."""
        return {k: list(v) for k, v in self.__dict__.items() if v}

    def __bool__(self) -> bool:
        return bool(self.provinces or self.years or self.unknown_provinces)


@lru_cache(maxsize=1)
def _provinces() -> tuple[tuple[str, tuple[str, ...]], ...]:
    raw = json.loads(resources.files("assistant").joinpath("data/provinces.json").read_text("utf-8"))
    return tuple((row["name"], tuple(row["aliases"])) for row in raw)


@lru_cache(maxsize=1)
def _province_patterns() -> tuple[tuple[str, tuple[re.Pattern, ...]], ...]:
    # Compiled once: folding and compiling every alias on every question cost ~2 ms a call (bench query).
    out = []
    for name, aliases in _provinces():
        patterns = []
        for alias in sorted(aliases, key=len, reverse=True):
            key = re.escape(fold(alias)).replace(r"\ \-\ ", r"\s*[-–]?\s*").replace(r"\ ", r"\s*")
            patterns.append(re.compile(r"(?<![a-z])" + key + r"(?![a-z])"))
        out.append((name, tuple(patterns)))
    return tuple(out)


def find_provinces(question: str) -> list[tuple[str, int, int]]:
    """(canonical province, start, end) named in the question, with or without diacritics."""
    return list(_find_provinces(question))


@lru_cache(maxsize=4096)  # one question is scoped several times on its way through ask()
def _find_provinces(question: str) -> tuple[tuple[str, int, int], ...]:
    folded = fold(normalize_for_matching(question))
    found = []
    for name, patterns in _province_patterns():
        for pattern in patterns:
            m = pattern.search(folded)
            if m:
                found.append((name, m.start(), m.end()))
                break
    # "Bà Rịa - Vũng Tàu" also contains no other province; drop names nested in a longer match.
    found.sort(key=lambda x: (x[1], -(x[2] - x[1])))
    out: list[tuple[str, int, int]] = []
    for item in found:
        if out and item[1] < out[-1][2]:
            continue
        out.append(item)
    return tuple(out)


def detect_scope(question: str, corpus_provinces: Sequence[str]) -> Scope:
    """The scope of a question, split into provinces the corpus covers and ones it does not."""
    known, unknown = [], []
    corpus_folded = [fold(p) for p in corpus_provinces if p]
    for name, _s, _e in find_provinces(question):
        if any(fold(name) in c or c in fold(name) for c in corpus_folded):
            known.append(name)
        else:
            unknown.append(name)
    folded = fold(question)
    years = plan_years(question)
    numbers = re.findall(r"\b\d{1,5}\s*/\s*(?:\d{4}\s*/\s*)?[A-Za-zĐđ0-9]+(?:-[A-Za-zĐđ0-9]+)*", question)
    del folded
    return Scope(tuple(dict.fromkeys(known)), tuple(dict.fromkeys(unknown)), tuple(dict.fromkeys(years)), tuple(numbers))


_LAW_BEFORE = re.compile(r"(?i)(luật|luat|law|bộ luật|bo luat|nghị định|nghi dinh|nghị quyết|quyết định số|quyet dinh so|decree|code|act|convention|công ước)\W+(?:\w+\W+){0,8}$")


_PLAN_AFTER = re.compile(r"(?i)\s*(?:[-–]\s*(?:19|20)\d\d\s*)?(?:['’]s\s+)?(?:plans?|kế hoạch|ke hoach|decision|programme|program)\b")


def plan_years(question: str) -> list[int]:
    """Years that scope the question to a plan ("kế hoạch năm 2024", "the 2026 plan", "2011-2015"),
    not years inside a law's name ("Luật … năm 2024") or a document number ("66/2011/QH12")."""
    years = []
    for m in re.finditer(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/])", question):
        if _LAW_BEFORE.search(question[max(0, m.start() - 80) : m.start()]) and not _PLAN_AFTER.match(question[m.end():]):
            continue  # ("which version of the law does the 2026-2030 plan build on": the year is the plan's)
        years.append(int(m.group(1)))
    return years


_PERSON = re.compile(r"\b(ky|signed?|signs|giam doc|chu tich|truong ban|pho truong|director|chairman|chair|head of|ten la|name)\b")
# Things with a number of their own: "số nào / số mấy" beside them asks for that number ("số"), not for a
# department ("sở nào"), nor for the number of the document.
NUMBERED_THINGS = r"dien thoai|duong day nong|tong dai|hotline"
_WHO_GENERIC = re.compile(r"^\s*who\b|\b(ai|co quan nao|don vi nao|(?<!tren co )so nao|nganh nao|luc luong nao|nhung co quan nao|cac co quan nao)\b")


def detect_intent(question: str) -> str:
    """"who_leads", "who_coordinates" or "fact"."""
    folded = fold(question)
    if _PERSON.search(folded):
        return "fact"  # "who signed", "ai là giám đốc": a person, not an assigned agency
    coord = any(re.search(p, folded) for p in _COORD_CUES)
    lead = any(re.search(p, folded) for p in _LEAD_CUES)
    asks_who = re.search(r"\b(ai|nao|who|whom|which)\b", folded)
    if coord and asks_who and not re.search(r"chu tri|lead|in charge|responsible", folded):
        # ("for what period were the cooperation activities agreed" asks for no one)
        return "who_coordinates"
    if lead:
        return "who_leads"
    if coord and re.search(r"\b(ai|nao|who|which)\b", folded):
        return "who_coordinates"
    if _WHO_GENERIC.search(folded) and not re.search(r"\b(which (law|year|date|day|number|countr|form|phase)|what|"
                                                     rf"la so nao|{NUMBERED_THINGS})\b", folded):
        return "who_leads"  # "who rescues victims?", "cơ quan nào làm …": the assigned agency
    return "fact"


def without_provinces(text: str) -> str:
    """The text with each province it names replaced by a space."""
    for _name, start, end in sorted(find_provinces(text), key=lambda x: -x[1]):
        text = text[:start] + " " + text[end:]
    return text


def strip_scope(question: str) -> str:
    """The question without its province/year/plan words: what a follow-up inherits."""
    text = without_provinces(question)
    # ("hồi 2011–2015", "thời 2024": the time said in everyday words is scope too, no topic)
    text = re.sub(r"(?i)\b(trong |của |theo |hồi |hoi |thời |thoi )?(kế hoạch|ke hoach|the|plan|năm|nam|giai đoạn|giai doan|in|of|for)?\s*\(?(19|20)\d\d(\s*[-–]\s*(19|20)\d\d)?\)?", " ", text)
    text = re.sub(r"(?i)\b(tỉnh|tinh|province|of|in|the)\s*(?=[?.]?\s*$)", " ", text)
    return re.sub(r"\s+", " ", text).strip(" ?.,")


_ANAPHORA_VI = re.compile(r"(?i)\b(đó|này|ấy|trên|nói trên|kể trên)\b|\b(do|nay|ay)\s*\??\s*$")
_ANAPHORA_EN = re.compile(r"(?i)\b(it|that|this|these|those|they|them|there|the same)\b")


def refers_back(question: str, history: Sequence[Any]) -> bool:
    """"Quyết định đó …?", "When was it issued?": the question names its subject by a pronoun."""
    if not history or len(re.findall(r"\w+", question)) > 14:
        return False
    return bool(_ANAPHORA_VI.search(question) or _ANAPHORA_EN.search(question))


def is_followup(question: str, history: Sequence[Any], intent: str, topic_terms: set[str]) -> bool:
    """True when the question only changes the scope of the previous one."""
    if not history:
        return False
    folded = fold(question).strip()
    words = re.findall(r"\w+", folded)
    if len(words) > 12:
        return False
    cue = bool(_FOLLOWUP_VI.match(folded) or _FOLLOWUP_VI_END.search(folded) or _FOLLOWUP_EN.match(question))
    has_scope = bool(find_provinces(question) or re.search(r"(19|20)\d\d", question))
    return (cue and (has_scope or len(words) <= 6)) or (has_scope and not topic_terms and intent == "fact")


@dataclass
class ResolvedQuestion:
    """A question after follow-up resolution."""

    text: str
    intent: str
    scope: Scope
    followup: bool = False
    notes: list[str] = field(default_factory=list)


def resolve(question: str, history: Sequence[Any], corpus_provinces: Sequence[str], topic_terms: set[str]) -> ResolvedQuestion:
    """Resolve a follow-up against the last turn: keep its topic and intent, take the new scope."""
    intent = detect_intent(question)
    scope = detect_scope(question, corpus_provinces)
    if refers_back(question, history) and not scope:
        previous = history[-1]
        base = getattr(previous, "resolved_question", "") or getattr(previous, "question", "")
        prev_intent = getattr(previous, "intent", "fact")
        text = f"{question} {base}"
        return ResolvedQuestion(text, intent if intent != "fact" else ("fact" if prev_intent == "meta" else prev_intent),
                                detect_scope(text, corpus_provinces), followup=True)
    if is_followup(question, history, intent, topic_terms):
        previous = history[-1]
        base = getattr(previous, "resolved_question", "") or getattr(previous, "question", "")
        topic = strip_scope(base)
        prev_intent = getattr(previous, "intent", "fact")
        new_scope_text = " ".join(list(scope.provinces) + list(scope.unknown_provinces) + [str(y) for y in scope.years])
        text = f"{topic} {new_scope_text}".strip() if new_scope_text else f"{topic} {question}".strip()
        return ResolvedQuestion(text, intent if intent != "fact" else prev_intent, scope, followup=True)
    return ResolvedQuestion(question, intent, scope)
