"""What a question means, worked out once: `understand(question, history) -> Query`.

Every later stage (retrieval, the answer strategies, the LLM) reads the Query instead of
re-deriving it. The functions here are pure: no model, no index, only the question, the
earlier turns and the provinces the corpus covers, so they have fast tests of their own
(tests/test_query.py).

Intents, matched on the folded question so that "ai chu tri" and "Ai chủ trì" agree:

- ``particular``: a document's own number, date, signer or issuer ("22/KH-BCĐ ban hành ngày nào?");
- ``compare``:    what changed between plans ("cơ quan chủ trì … thay đổi thế nào giữa 2024 và 2026?");
- ``who``:        which agency leads / coordinates / carries out a task ("Ai chủ trì …?", "who handles …");
- ``tasks_of``:   what one named agency must do ("Sở Y tế phải làm gì?", "What must the police do?");
- ``list``:       objectives, targets, forms, groups: an answer that is a list ("những hình thức nào");
- ``fact``:       anything else, answered with the sentences that state it.

The *slot* is what a right answer cannot lack: a number, a date, a penalty, an amount of money,
a law, a person's name. An answer whose evidence does not contain it is refused or said to be
partial (answer/facts.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Sequence

from .diacritics import restore_diacritics
from .duties import agencies, find_agencies
from .glossary import content_terms, expand_english
from .metadata import meta_kind
from .scope import Scope, detect_intent, detect_scope, find_provinces, is_followup, plan_years, refers_back, strip_scope
from .text import detect_language, fold, has_diacritics, keyword_terms, normalize_for_matching

__all__ = ["Query", "SearchText", "understand", "search_text", "find_provinces", "plan_years", "question_terms"]


def question_terms(question: str) -> list[str]:
    """Keyword terms of a question, in the same two fields as the chunks' (accented, and "~" folded)."""
    return keyword_terms(question) + ["~" + t for t in keyword_terms(question, folded=True)]


@dataclass(frozen=True)
class SearchText:
    """A question as the retrievers see it: normalised, accents restored or Vietnamese terms added."""

    original: str
    language: str
    dense_text: str  # what the dense retriever embeds
    terms: tuple[str, ...]  # keyword terms
    restored: str = ""  # the question with its diacritics restored from the corpus vocabulary
    glossary: str = ""  # Vietnamese domain terms for an English question


def search_text(question: str, restore_table: dict | None = None) -> SearchText:
    """Normalise a question; restore its diacritics (typed without tones) or add the Vietnamese
    glossary terms of its English words, so that both retrievers can match the documents."""
    text = normalize_for_matching(question).strip()
    language = detect_language(text)
    terms = question_terms(text)
    if language == "vi" and not has_diacritics(text):
        restored = restore_diacritics(text, restore_table or {})
        if restored != text:
            return SearchText(question, language, restored, tuple(question_terms(restored) + [t for t in terms if t.startswith("~")]),
                              restored=restored)
    elif language == "en":
        # Domain words through the glossary, and the agencies the question names in English through the
        # gazetteer ("the health department" → "Sở Y tế"): both languages' names reach the keyword index.
        extra = " ".join(x for x in (expand_english(text), *agencies_in(text)) if x)
        english = content_terms(terms) + (question_terms(extra) if extra else [])
        return SearchText(question, language, text, tuple(english), glossary=extra)
    return SearchText(question, language, text, tuple(terms))


@dataclass(frozen=True)
class Query:
    """A question as every stage reads it."""

    question: str  # as asked, trimmed
    text: str  # what is searched and answered: the question after follow-up resolution
    language: str  # "vi" or "en"
    intent: str  # who | tasks_of | list | compare | particular | fact
    role: str = "lead"  # who: "lead" or "coordinating"
    slot: str | None = None  # number | date | penalty | money | law | person | agency
    agency: str | None = None  # canonical name of the agency the question is about (tasks_of, compare)
    particular: str | None = None  # signer | date | number | issuer
    section: str | None = None  # the heading the question names: "mục tiêu", "kinh phí", "tổ chức thực hiện"
    scope: Scope = field(default_factory=Scope)
    followup: bool = False
    without_diacritics: bool = False  # Vietnamese typed without tones
    parts: tuple[str, ...] = ()  # the sub-questions of a compound question

    @property
    def legacy_intent(self) -> str:
        """The intent names answers carried before (who_leads / who_coordinates / meta / fact / …)."""
        if self.intent == "who":
            return "who_coordinates" if self.role == "coordinating" else "who_leads"
        if self.intent == "particular":
            return "meta"
        return self.intent

    def understood(self) -> str:
        """How a follow-up was understood, to show the user: "Ai chủ trì hỗ trợ nạn nhân — Quảng Ninh"."""
        if not self.followup:
            return ""
        base = strip_scope(self.text) or self.text
        where = ", ".join([*self.scope.provinces, *self.scope.unknown_provinces, *(str(y) for y in self.scope.years)])
        return f"{base} — {where}" if where else base

    def with_text(self, text: str) -> "Query":
        """The same understanding for another text (a part of a compound question)."""
        return replace(self, text=text, parts=())


# --- slots ---------------------------------------------------------------------------------
# What a right answer must contain, recognised on the folded question.
_SLOTS: tuple[tuple[str, re.Pattern], ...] = (
    ("penalty", re.compile(r"\b(phat tu|bi phat|hinh phat|muc phat|khung (hinh )?phat|bao nhieu nam tu|tu (chung than|hinh)|"
                           r"penalt\w*|prison|imprison\w*|jail|sentenc\w*|punish\w*|fined?)\b")),
    ("money", re.compile(r"\b((kinh phi|ngan sach|chi phi|so tien|tien)\b.{0,30}\b(bao nhieu|la bao nhieu|may)|"
                         r"bao nhieu (ty|trieu|nghin)? ?dong|how much (money|funding|budget)|budget (amount|of)|"
                         r"amount of (money|funding)|(funding|budget) (is|was) (allocated|set))\b")),
    ("person", re.compile(r"\b((ai la|ten (cua|nguoi)|ho ten) .{0,30}(giam doc|chu tich|truong ban|truong phong|pho)|"
                          r"(who is|who was|name of) the (director|chair\w*|head|chief|governor|minister))\b")),
    ("law", re.compile(r"\b(can cu (vao )?(luat|van ban|nghi dinh|quyet dinh)? ?nao|(luat|van ban|nghi dinh|quyet dinh) nao|"
                       r"theo luat nao|which (law|decree|decision|legal)|legal basis|based on (which|what))\b")),
    ("date", re.compile(r"\b(khi nao|ngay nao|thang nao|nam nao|bao gio|thoi han|han chot|truoc ngay|thoi diem nao|"
                        r"tu ngay nao|den ngay nao|when|what date|which date|deadline|by when|until when|what day)\b")),
    ("number", re.compile(r"\b(bao nhieu|may (nguoi|vu|lan|nam|thang|ngay|tuoi|doi|muc|nhom|noi dung|bao cao)|ty le|phan tram|"
                          r"how many|how much|what (percentage|percent|share|proportion|rate|number)|how old|"
                          r"what age|number of|percent\w*)\b|%")),
)


def detect_slot(folded: str) -> str | None:
    """The kind of value a right answer must contain, or None."""
    for name, pattern in _SLOTS:
        if pattern.search(folded):
            return name
    return None


# --- intents -------------------------------------------------------------------------------
_COMPARE = re.compile(r"\b(thay doi|khac nhau|khac gi|khac biet|diem khac|so sanh|so voi|chuyen tu|chuyen sang|"
                      r"change[sd]?|changing|differ\w*|compar\w*|versus|vs|shift\w*|moved? from)\b")
_COMPARE_SPAN = re.compile(r"\b(giua|qua cac|cac ke hoach|cac giai doan|truoc day|truoc kia|ke hoach cu|ke hoach moi|"
                           r"between|across|over time|over the years|earlier|older|newer|previous|from .* to)\b")
_TASKS_OF = re.compile(
    r"\b(phai lam (gi|nhung gi|nhung viec gi)|lam (gi|nhung gi|nhung viec gi)|co (nhung )?(nhiem vu|trach nhiem|vai tro) (gi|nao)|"
    r"(nhiem vu|trach nhiem|vai tro|cong viec|phan viec)( cu the)? (cua|gi|nao|la gi)|duoc giao (gi|nhung|nhiem vu|lam)|"
    r"giao cho .{0,60}\b(gi|nhung|nao)|(chu tri|phu trach|dam nhiem|thuc hien|tham gia|phoi hop) (nhung|cac)? ?"
    r"(nhiem vu|viec|noi dung|de an|hoat dong|cong viec|linh vuc)? ?(nao|gi)\b|"
    r"what (must|does|do|should|will|is|are|has|have)\b.{0,60}\b(do|doing|tasked|responsible|in charge|handle|lead|role|duties|"
    r"tasks|responsibilities|assigned|expected)|tasks? (of|for|assigned)|duties|responsibilit\w*|role of|"
    r"assigned to|'?s (tasks|duties|role|responsibilities|job))\b")
_WHO_WORD = re.compile(r"\b(ai|co quan nao|don vi nao|so nao|nganh nao|luc luong nao|ben nao|to chuc nao|"
                       r"nhung co quan nao|cac co quan nao|co quan gi|don vi gi|who|whom|which (agenc\w*|department\w*|"
                       r"bod(y|ies)|organi[sz]ation\w*|unit\w*|authorit\w*|office\w*|force\w*|sector\w*|ministr\w*))\b")
_WHO_PARTNER = re.compile(r"\b(phoi hop voi|cung voi|voi (ai|co quan nao|don vi nao|so nao|nganh nao|luc luong nao)|"
                          r"work\w* with|cooperat\w* with|coordinat\w* with|partner\w*|together with)\b")
_LIST = re.compile(
    r"\b((nhung|cac) (\w+ ){0,4}(nao|gi)\b|gom (nhung )?(gi|nao|nhung gi)|bao gom (nhung )?(gi|nao)|liet ke|ke ten|ke ra|"
    r"nhung (gi|viec gi|noi dung gi)|(muc tieu|nhiem vu|giai phap|chi tieu|hoat dong|bien phap|hinh thuc|doi tuong|"
    r"noi dung|yeu cau|quan diem|uu tien)\b.{0,80}\b(la gi|gom|nao|gi|ra sao|the nao)\b|"
    r"what (are|were) (the|its|their)?\b|list\b|which (forms|groups|activities|measures|tasks|targets|objectives|goals|"
    r"priorities|steps|cases|areas|topics|types|kinds|channels|acts)|name the|what (objectives|targets|goals|priorities|"
    r"measures|activities|forms|groups|steps|kinds|types))")
_SECTIONS = (
    ("mục tiêu", re.compile(r"\b(muc tieu|chi tieu|objectives?|goals?|targets?|aims?)\b")),
    ("kinh phí", re.compile(r"\b(kinh phi|ngan sach|nguon von|funding|budget|finance\w*|funds?)\b")),
    ("tổ chức thực hiện", re.compile(r"\b(to chuc thuc hien|implementation arrangements|organi[sz]ation of implementation)\b")),
    ("báo cáo", re.compile(r"\b(bao cao|che do bao cao|report\w*)\b")),
    ("yêu cầu", re.compile(r"\b(yeu cau|requirements?)\b")),
)


def detect_section(folded: str) -> str | None:
    """The heading a question names ("mục tiêu", "kinh phí", …), to prefer that section."""
    for name, pattern in _SECTIONS:
        if pattern.search(folded):
            return name
    return None


# --- agencies in questions -----------------------------------------------------------------
# English ways to name an agency, beside the gazetteer's official English names.
_ENGLISH_ALIASES = {
    "cong-an-tinh": ("police", "provincial police", "public security", "police department"),
    "bo-chi-huy-bien-phong": ("border guard", "border guards", "border guard command", "border force"),
    "bo-chi-huy-quan-su": ("military command", "army", "military"),
    "so-ldtbxh": ("dolisa", "labour department", "labor department", "department of labour", "department of labor",
                  "social affairs department", "molisa"),
    "so-y-te": ("health department", "department of health", "health sector", "health service", "health services"),
    "so-tu-phap": ("justice department", "department of justice"),
    "so-noi-vu": ("home affairs department", "department of home affairs", "interior department"),
    "so-ngoai-vu": ("foreign affairs department", "department of foreign affairs"),
    "so-gddt": ("education department", "department of education", "education sector", "schools department"),
    "so-tttt": ("information department", "department of information", "information and communications department"),
    "so-khcn": ("science department", "department of science", "science and technology department"),
    "so-vhttdl": ("culture department", "department of culture"),
    "so-du-lich": ("tourism department", "department of tourism"),
    "so-tai-chinh": ("finance department", "department of finance"),
    "toa-an-tinh": ("court", "courts", "provincial court", "people's court"),
    "vien-kiem-sat-tinh": ("procuracy", "procuratorate", "prosecutor", "prosecutors", "prosecution"),
    "hoi-lhpn-tinh": ("women's union", "womens union", "women union"),
    "tinh-doan": ("youth union",),
    "ubmttq-tinh": ("fatherland front",),
    "ban-chi-dao-138": ("steering committee", "steering committee 138"),
    "ubnd-tinh": ("people's committee", "provincial people's committee", "provincial government"),
    "dai-ptth-tinh": ("radio and television", "broadcaster"),
}


@lru_cache(maxsize=1)
def _folded_agency_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """(pattern on the folded question, canonical name), longest alias first; specific agencies only."""
    keyed: dict[str, str] = {}
    for agency in agencies():
        if agency.generic:
            continue
        names = [*agency.aliases, agency.en, *_ENGLISH_ALIASES.get(agency.id, ())]
        for alias in names:
            key = re.sub(r"[^a-z0-9]+", " ", fold(alias)).strip()
            if len(key) >= 4 and key not in keyed:
                keyed[key] = agency.name
    out = []
    for key in sorted(keyed, key=len, reverse=True):
        out.append((re.compile(r"(?<![a-z0-9])" + key.replace(" ", r"[^a-z0-9]+") + r"(?![a-z0-9])"), keyed[key]))
    return tuple(out)


def agencies_in(question: str) -> list[str]:
    """Canonical names of the specific agencies a question names, in order, with or without diacritics or in English."""
    found: list[tuple[int, int, str]] = []
    for mention in find_agencies(question):
        if not mention.agency.generic:
            found.append((mention.start, mention.end, mention.agency.name))
    folded = re.sub(r"[’']", "'", fold(question))
    for pattern, name in _folded_agency_patterns():
        for m in pattern.finditer(folded):
            found.append((m.start(), m.end(), name))
    found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    names: list[str] = []
    end = -1
    for start, stop, name in found:
        if start < end:
            continue  # nested in a longer name already taken
        end = stop
        if name not in names:
            names.append(name)
    return names


# --- compound questions --------------------------------------------------------------------
_ASKS = re.compile(r"\b(nao|gi|ai|bao nhieu|khi nao|o dau|dau|the nao|ra sao|may|co phai|khong|what|who|when|which|how|where|"
                   r"why|whom|is|are|does|do)\b")
_JOINERS = re.compile(r"(\?\s+(?=\S)|[,;]\s*(?:va|con|and|also|then)?\s+|\s+(?:va|and)\s+(?:cho biet\s+)?)")
_DOC_REF = re.compile(r"(?i)\b(?:kế hoạch|ke hoach|quyết định|quyet dinh|luật|luat|nghị định|nghi dinh|plan|decision|law|decree)"
                      r"(?:\s+(?:số|so|no\.?))?\s+\d{1,5}(?:\s*/\s*[\wĐđ/-]+)?")
_ASKING_TAIL = re.compile(r"(?i)\s*\b(?:do |bởi |cho |gửi |với )?(?:ai|gì|nào|bao nhiêu|khi nào|bao giờ|ở đâu|thế nào|ra sao|"
                          r"who|what|when|which|where|how)\b.*$")


def split_parts(question: str) -> tuple[str, ...]:
    """The sub-questions of a compound question ("… căn cứ luật nào, ban hành ngày nào?"), else ().

    A split is kept only when every part asks something of its own (a question word), so
    "Sở Y tế và Công an tỉnh làm gì?" stays one question."""
    folded = fold(question)
    if len(folded) != len(question):
        return ()
    cuts = [0]
    for m in _JOINERS.finditer(folded):
        before, after = folded[cuts[-1] : m.start()], folded[m.end() :]
        if _ASKS.search(before) and _ASKS.search(after) and len(re.findall(r"\w+", after)) >= 2:
            # the part after must ask on its own, not continue a list ("Sở Y tế, Công an làm gì")
            nxt = _JOINERS.search(folded, m.end())
            own = folded[m.end() : nxt.start() if nxt else len(folded)]
            if _ASKS.search(own):
                cuts.append(m.end())
    if len(cuts) < 2:
        return ()
    pieces = [question[a:b] for a, b in zip(cuts, cuts[1:] + [len(question)])]
    parts = [re.sub(r"^[\s,;?]*(?:và|va|còn|con|and|also|then)?\s*|[\s,;]*(?:\b(?:và|va|còn|con|and))?[\s,;?]*$", "", p)
             for p in pieces]
    parts = [p.rstrip("?").strip() + "?" for p in parts if len(p.strip()) > 3]
    if len(parts) < 2:
        return ()
    # A later part that names no document borrows the first part's reference ("22/KH-BCĐ … ban hành ngày nào").
    reference = " ".join(m.group(0) for m in _DOC_REF.finditer(question))
    places = " ".join(name for name, _s, _e in find_provinces(question))
    out = [parts[0]]
    # A later part that is only a question word ("…, khi nào?") asks about the first part's subject.
    subject = _ASKING_TAIL.sub("", parts[0].rstrip("?")).strip()
    for part in parts[1:]:
        if len(re.findall(r"\w+", fold(part))) <= 3 and subject:
            part = f"{subject} {part}"
        extra = []
        if reference and not _DOC_REF.search(part):
            extra.append(reference)
        if places and not find_provinces(part):
            extra.append(places)
        out.append(f"{part.rstrip('?')} ({' '.join(extra)})?" if extra else part)
    return tuple(out)


# --- the one entry point -------------------------------------------------------------------
def classify(question: str) -> tuple[str, str]:
    """(intent, role) of a single question, without history."""
    folded = fold(question)
    if meta_kind(question):
        return "particular", "lead"
    if _COMPARE.search(folded) and (_COMPARE_SPAN.search(folded) or len(set(re.findall(r"(?:19|20)\d\d", folded))) >= 2):
        return "compare", "lead"
    legacy = detect_intent(question)
    who_word = bool(_WHO_WORD.search(folded))
    named = agencies_in(question)
    if named and not who_word and _TASKS_OF.search(folded):
        return "tasks_of", "lead"
    if legacy in ("who_leads", "who_coordinates") or (who_word and not _NOT_WHO.search(folded)):
        if _PERSON_ASKED.search(folded):
            return "fact", "lead"
        role = "coordinating" if legacy == "who_coordinates" or _WHO_PARTNER.search(folded) else "lead"
        return "who", role
    if _LIST.search(folded):
        return "list", "lead"  # the list strategy answers only where a list does (answer/lists.py)
    return "fact", "lead"


# "which law / year / date …" and "ai là …" name no agency task; "ai ký" is a particular (handled above).
_NOT_WHO = re.compile(r"\b(which (law|year|date|day|number|countr\w*|form|phase|article|decree|decision|plan|document|"
                      r"province|period|month)|what|ai la|ten (cua|nguoi)|who (is|was) the (director|chair\w*|head|chief))\b")
_PERSON_ASKED = re.compile(r"\b(ai la|who is the|who was the|ten cua|ho ten|name of)\b.*\b(giam doc|chu tich|truong ban|"
                           r"chairman|chair|director|head|chief)\b")


def understand(question: str, history: Sequence[Any] = (), corpus_provinces: Sequence[str] = ()) -> Query:
    """Everything later stages need to know about a question, computed once."""
    question = question.strip()
    language = detect_language(question)
    if history and language == "vi" and not has_diacritics(question) and re.fullmatch(r"[\x00-\x7f]*", question):
        previous = getattr(history[-1], "language", language)
        if previous == "en" and _FOLLOWUP_EN.match(question):
            language = "en"
    intent, role = classify(question)
    text, followup = _resolve(question, history, corpus_provinces, intent)
    if followup and intent == "fact":
        previous = history[-1]
        prev_intent = getattr(previous, "intent", "fact")
        intent, role = _INTENT_OF_LEGACY.get(prev_intent, (prev_intent, "lead"))
        if _WHO_PARTNER.search(fold(question)) or re.search(r"\b(phoi hop|coordinat\w*)\b", fold(question)):
            intent, role = "who", "coordinating"
    folded = fold(text)
    named = agencies_in(text)
    parts = () if followup else split_parts(question)
    return Query(
        question=question,
        text=text,
        language=language,
        intent=intent,
        role=role,
        slot="agency" if intent == "who" else detect_slot(folded),
        agency=named[0] if named else None,
        particular=meta_kind(text) if intent == "particular" else None,
        section=detect_section(folded),
        scope=detect_scope(text, corpus_provinces),
        followup=followup,
        without_diacritics=language == "vi" and not has_diacritics(question),
        parts=parts,
    )


_FOLLOWUP_EN = re.compile(r"^\s*(and|what about|how about|what of|same for|in the|for the|then)\b", re.I)
_INTENT_OF_LEGACY = {
    "who_leads": ("who", "lead"),
    "who_coordinates": ("who", "coordinating"),
    "meta": ("particular", "lead"),
    "who": ("who", "lead"),
}


def _resolve(question: str, history: Sequence[Any], corpus_provinces: Sequence[str], intent: str) -> tuple[str, bool]:
    """(text, followup): a follow-up keeps the previous question's topic and takes its own scope."""
    if not history:
        return question, False
    previous = history[-1]
    base = getattr(previous, "resolved_question", "") or getattr(previous, "question", "")
    if not base:
        return question, False
    scope = detect_scope(question, corpus_provinces)
    if refers_back(question, history) and not scope:
        return f"{question} {base}", True
    legacy = {"who": "who_leads", "particular": "meta"}.get(intent, intent)
    topic_terms = {w for w in re.findall(r"\w+", normalize_for_matching(question).lower()) if len(w) > 3}
    if is_followup(question, history, legacy if legacy in ("who_leads", "meta") else "fact", topic_terms - _SCOPE_WORDS):
        topic = strip_scope(base)
        new_scope = " ".join([*scope.provinces, *scope.unknown_provinces, *(str(y) for y in scope.years)])
        return (f"{topic} {new_scope}".strip() if new_scope else f"{topic} {question}".strip()), True
    return question, False


_SCOPE_WORDS = {"tỉnh", "tinh", "năm", "nam", "kế", "hoạch", "plan", "province", "what", "about", "còn", "thì"}
