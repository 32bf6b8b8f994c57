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
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Sequence

from .diacritics import restore_diacritics, restore_unmarked_runs
from .duties import agencies, agency_by_name, find_agencies
from .glossary import content_terms, expand_abbreviations, expand_english, expand_shorthand, formal_words
from .metadata import meta_kind
from .scope import (
    NUMBERED_THINGS,
    Scope,
    detect_intent,
    detect_scope,
    find_provinces,
    plan_years,
    strip_scope,
    without_provinces,
)
from .text import (
    detect_language,
    fold,
    has_diacritics,
    keyword_terms,
    normalize_for_matching,
)

__all__ = ["Query", "SearchText", "understand", "search_text", "find_provinces", "plan_years", "question_terms"]


# What a foreign partner is asked for is the cooperation with it, which the plans call so: the words a partner question
# is searched and matched with beside its own ("phối hợp với lực lượng nào của nước ngoài")
PARTNER_TOPIC = "hợp tác quốc tế"


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


# "đầy đủ", "hết" after "liệt kê" ask for the whole list; searched, they would find passages about being "đầy đủ"
_LIST_CUE_FILLER = re.compile(r"(?i)\b(liệt kê|liet ke|kể tên|ke ten|kể ra|ke ra)\s+(?:(?:đầy đủ|day du|hết|het|tất cả|tat ca|"
                              r"toàn bộ|toan bo|ra)\s+)+")


def search_text(question: str, restore_table: dict | None = None) -> SearchText:
    """Normalise a question; restore its diacritics (typed without tones) or add the Vietnamese
    glossary terms of its English words, so that both retrievers can match the documents."""
    text = _LIST_CUE_FILLER.sub(r"\1 ", normalize_for_matching(question).strip())
    language = detect_language(text)
    if language == "vi":
        text = expand_shorthand(text)  # "ko", "dc": spelled out before the accents are restored around them
    terms = question_terms(text)
    if language == "vi" and not has_diacritics(text):
        # accents restored first: a spelled-out abbreviation brings accents that would stop the restoring
        restored = _with_formal_words(expand_abbreviations(restore_diacritics(text, restore_table or {})))
        if restored != text:
            return SearchText(question, language, restored, tuple(question_terms(restored) + [t for t in terms if t.startswith("~")]),
                              restored=restored)
    elif language == "vi":
        # words typed without marks beside ones with them ("con xet xu thi sao" resolved as "Ai chủ trì xet xu — Ninh
        # Bình"): runs of such words restored, the marked ones kept
        text = restore_unmarked_runs(text, restore_table or {})
        expanded = _with_formal_words(expand_abbreviations(text))
        if expanded != text:  # "luật PCMBN" searched as "luật phòng, chống mua bán người"
            return SearchText(question, language, expanded, tuple(question_terms(expanded)))
    elif language == "en":
        # Domain words through the glossary, and the agencies the question names in English through the
        # gazetteer ("the health department" → "Sở Y tế"): both languages' names reach the keyword index.
        extra = " ".join(x for x in (expand_english(text), *agencies_in(text)) if x)
        english = content_terms(terms) + (question_terms(extra) if extra else [])
        return SearchText(question, language, text, tuple(english), glossary=extra)
    return SearchText(question, language, text, tuple(terms))


def _with_formal_words(text: str) -> str:
    """The question, then the documents' words for its everyday ones ("tiền đâu …" + "(kinh phí)")."""
    formal = formal_words(text)
    return f"{text} ({formal})" if formal else text


@dataclass(frozen=True)
class Query:
    """A question as every stage reads it."""

    question: str  # as asked, trimmed
    text: str  # what is searched and answered: the question after follow-up resolution
    language: str  # "vi" or "en"
    intent: str  # who | tasks_of | list | compare | particular | fact
    role: str = "lead"  # who: "lead" or "coordinating"
    slot: str | None = None  # number | code | age | place | date | day | penalty | money | law | person | agency | email …
    agency: str | None = None  # canonical name of the agency the question is about (tasks_of, compare)
    particular: str | None = None  # signer | date | number | issuer
    section: str | None = None  # the heading the question names: "mục tiêu", "kinh phí", "tổ chức thực hiện"
    scope: Scope = field(default_factory=Scope)
    followup: bool = False
    without_diacritics: bool = False  # Vietnamese typed without tones
    parts: tuple[str, ...] = ()  # the sub-questions of a compound question
    unit: str | None = None  # "ngày" in "trong bao nhiêu ngày": the unit a figure must carry
    article: str | None = None  # "150" when the question names "Điều 150" / "Article 150"
    agencies: tuple[str, ...] = ()  # every agency the question is about ("VKSND và TAND … làm gì?")
    yes_no: bool = False  # "Có phải … không?", "Is the police …?": answered yes or no first
    choice: bool = False  # "… – the police or the prosecution service?", "TAND hay VKSND?": the agencies named are candidates
    project: str | None = None  # "2" when it names "Đề án 2" / "Project 2" / "de an 2" (one project only)
    clause: str | None = None  # "2" when it names "khoản 2 Điều 151" / "Article 151(2)" / "clause 2 of Article 151"
    point: str | None = None  # "c" when it names "điểm c khoản 2 Điều 150" / "Article 150(2)(c)"
    # (doc_id, start, end) of the passages the previous answer quoted, when a follow-up points back at what it
    # said ("Who is assigned to carry that out?", "Mỗi đề án đó do cơ quan nào chủ trì?") in the same place
    anchor: tuple[tuple[str, int, int], ...] = ()
    # (doc_id, start, end) of the words those passages quote ("which article says that?": the article they stand in)
    anchor_marks: tuple[tuple[str, int, int], ...] = ()
    # "…, and is it the same in plan B?": who leads in each plan, and whether the two agree
    same_elsewhere: bool = False
    # "In the 2024 plan the Border Guard co-leads … . Which body sits next to the police in the 2026–2030 plan?": the plan
    # years of the last part, which asks, when an earlier part tells of another plan's (each plan answers, that one first)
    asked_years: tuple[int, ...] = ()

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
        # a follow-up that points back is answered from the passages quoted before: the question as asked says it
        # (the words glued on for the search would read as nonsense: "Who carries that out của có nói về …")
        if _INSTRUMENT.search(self.text) and not _INSTRUMENT.search(self.question):
            return self.text.rstrip(" ?")  # "that resolution" read as the act the last answer named, number and all
        if _without_scope(self.text) == _without_scope(self.question):
            # read as asked, its own place and year already in it ("Còn Ninh Bình thì kế hoạch … 2021-2025 là số mấy?"):
            # shown as the user wrote it, not with its places cut out and put after it ("Còn thì kế hoạch …")
            own = set(_scope_words(self.question).split())
            added = [w for w in dict.fromkeys(_scope_words(self.text).split()) if w not in own]
            asked = _unacknowledged(self.question.rstrip(" ?"))
            return f"{asked} — {' '.join(added)}" if added else asked
        base = self.question.rstrip(" ?") if self.anchor else (_without_scope(self.text) or self.text)
        if len(base) > 160:  # a case told before, asked again changed: the question as asked, and what it leans on
            return f"{self.question.rstrip(' ?')} ({'the case above' if self.language == 'en' else 'vụ việc ở câu trước'})"
        # (a word left hanging where the place was cut out: "… support under , if she is …")
        # (an English question may end on its preposition: "Which section are those two in?")
        base = re.sub(r"(?i)\s+(?:under|in|of|theo|trong|của|cua|tại|tai)\s*(?=[,;])|\s+(?:theo|trong|của|cua|tại|tai)$", "",
                      _unacknowledged(base))
        where = _scope_words(self.text)
        return f"{base} — {where}" if where else base

    def with_text(self, text: str) -> "Query":
        """The same understanding for another text (a part of a compound question)."""
        return replace(self, text=text, parts=())


def _unacknowledged(text: str) -> str:
    """The text without the "ok", "thanks", "dạ," that took the last answer in: they are not what was asked."""
    acknowledged = re.match(_ACKNOWLEDGED, fold(text))
    return text[acknowledged.end():] if acknowledged and len(fold(text)) == len(text) else text


# --- slots ---------------------------------------------------------------------------------
_CHANNEL = re.compile(r"\bqua (dau moi|co quan|don vi|bo phan|phong) nao\b|\bqua ai\b|\b(via|through) (which|what|whom)\b(?! (channels?|formats?|forms?|means|ways?|media|methods?|activities)\b)")
# "tập huấn cho ai", "tuyên truyền cho những đối tượng nào", "who is the training for": the people an activity is for,
# which the sentence that tells it names, not the body that leads it
_AUDIENCE = re.compile(r"\b(tap huan|dao tao|boi duong|tuyen truyen|pho bien|truyen thong|giao duc|quan triet)\b.{0,40}\b"
                       r"cho (ai|nhung ai|doi tuong nao|nhung doi tuong nao)\b|"
                       r"\bwho (is|are|was|were) (the |this |that |these )?(training|trainings|courses?|sessions?|campaigns?|"
                       r"awareness[- ]raising|outreach)\b.{0,20}\bfor\b|\b(training|courses?|sessions?|campaigns?|outreach) for whom\b|"
                       # "who are they aimed at", "who is it targeted at": the people the activities named before are for
                       r"\bwho (is|are|was|were) (it|they|these|those|this|that|the \w+( \w+)?) (aimed|targeted|directed|meant) "
                       r"(at|for)\b|"
                       # "Which forces are singled out for that training?", "which groups is the campaign aimed at?"
                       r"\b(singled out|picked out|prioriti[sz]ed|targeted|aimed at|meant) for (the |that |this |these |such )?"
                       r"(training|trainings|courses?|sessions?|campaigns?|awareness[- ]raising|outreach|communication)\b|"
                       r"\b(which|what) (\w+ )?(groups?|people|forces|audiences?|participants) (is|are|was|were) (the |that |this |it )?"
                       r"(training|courses?|sessions?|campaigns?|outreach|communication)? ?(aimed at|targeted at|meant for|for)\b")
# "báo cáo ai", "gửi về đâu", "to whom", "who do they report to": the body a report goes to, not who makes it
_RECIPIENT = re.compile(r"\b(bao cao|gui|trinh|chuyen)( (ket qua|bao cao|ho so))?( (ve|len|cho|toi|den))? (ai|dau|co quan nao|noi nao|cap nao)\b|"
                        r"\bto whom\b|\breport(s|ed|ing)?( back| (it|them|results))? to (who|whom|which|what)\b|"
                        r"\b(sent|submitted|addressed|go(es)?) to (who|whom|which|what)\b|"
                        r"\bwhere (do|does|are|is|should|must) (the |their |its )?(\w+ )?reports? (go|be sent|sent|submitted)\b|"
                        # "where exactly do we send the periodic reports?": where, whatever the reports are
                        r"\bwhere( \w+){1,4} (send|submit|file|address)\b|"
                        # ("Who can I report suspected trafficking to under Law 66?": what is reported may come between)
                        r"\bwho\b.{0,60}\b(report(s|ed)?|send|submit|turn)( [\w'-]+){0,4}? to\s*(\?|$|,|(under|in|according|per)\b)|"
                        # "tố giác với những cơ quan nào", "which authorities can a citizen report it to?": where a report
                        # is made, not who leads a task
                        # (not across "thì": "bảo vệ nạn nhân thì giao cho ai" asks who is assigned the protection)
                        r"\b(to giac|to cao|trinh bao|khai bao|bao tin|bao)( (?!thi\b)\w+){0,6}? (voi|cho|toi|den|o) (nhung |cac )?"
                        r"(co quan|don vi|noi|cap|ai)( nao)?\b|"
                        r"\b(which|what) (authorit\w+|bod(y|ies)|agenc(y|ies)|offices?)\b.{0,60}\breport\w*\b.{0,40}\bto\s*\??$")
# "Which department leads …, and is it the same in Ninh Binh's 2026–2030 plan?": who leads in each plan answers it,
# the leads of the two set against each other first (on the folded question).
SAME_ELSEWHERE = re.compile(r",?\s+(and|but)\s+(is|are|was|were)\s+(it|that|they|this|the \w+)\s+(the same|identical|unchanged)\b|"
                            r",?\s+(va|con)\b.{0,80}\b(co )?(giong|cung|nhu) (vay|the|nhu vay|nhu the)( khong| chu)?\s*\??\s*$")
# A ban from a job, trade or post the court may add to prison ("Can the court ban him from that job?", "cấm hành nghề"),
# on the folded question: a penalty, and one the clause "Người phạm tội còn có thể bị …" sets.
BANNED_FROM = (r"(ban|bar|disqualify|prohibit|stop) (him|her|them|the \w+) from|(banned|barred|disqualified) from|"
               r"cam (dam nhiem|hanh nghe|lam cong viec)")
# An administrative fine or sanction ("xử phạt vi phạm hành chính"): not a criminal penalty, which the Criminal Code sets.
ADMINISTRATIVE = re.compile(r"\b(administrative (fines?|penalt\w*|sanctions?|violations?|offen[cs]es?)|"
                            r"(xu phat|phat) (vi pham )?hanh chinh|vi pham hanh chinh)\b")
# A count of times or rounds asked ("bao nhiêu lần", "mấy đợt"), which no sum of money answers.
_NOT_TIMES = r"(?! (?:lan|dot|luot)\b)"
# What a right answer must contain, recognised on the folded question.
_SLOTS: tuple[tuple[str, re.Pattern], ...] = (
    # "gửi báo cáo … qua đầu mối nào", "via which office": the channel a report or request goes through
    ("channel", _CHANNEL),
    ("recipient", _RECIPIENT),
    # contact details and named partners: values a passage either gives or does not ("the committee's email", "which NGO")
    ("email", re.compile(r"\b(e-?mail|thu dien tu)\b")),  # not "hop thu": "kỳ họp thứ" folds to it
    ("website", re.compile(r"\b(website|web ?site|trang web|trang thong tin dien tu|url)\b")),
    ("organisation", re.compile(r"\b(which|what) (international |foreign |local )?(ngos?|non-?governmental organi[sz]ations?|"
                                r"international organi[sz]ations?|donors?|partner organi[sz]ations?|un agenc\w+)\b|"
                                # "Which IOM or UN office …", "which UN agency or NGO": a named international partner
                                r"\b(which|what) ((iom|un|unodc|unicef|undp|ilo|unfpa|un women|ngo)( or | and |/|, | )){1,3}"
                                r"(offices?|agenc\w+|bod(y|ies)|partners?|organi[sz]ations?|programmes?)\b|"
                                r"\bto chuc (phi chinh phu|quoc te)( \w+){0,3} nao\b|\b(nha tai tro) nao\b|"
                                r"\b(which|what) (\w+ )?(telecoms?|mobile|network|phone) (operators?|companies|providers?|carriers?)\b|"
                                r"\b(nha mang|doanh nghiep vien thong)( \w+){0,2} nao\b")),
    ("money", re.compile(r"\b(phat tien|muc phat tien|bao nhieu tien|fined?|fines|"
                         # "List the annual budget amounts …", "kinh phí bao nhiêu": a sum of money, not where it comes from
                         r"budget (amounts?|figures?|allocations?)|amounts? (of money|of funding|allocated)|"
                         r"how much (money|funding|budget)|kinh phi (la )?bao nhieu|bao nhieu kinh phi)\b")),
    ("penalty", re.compile(r"\b(phat tu|bi phat|hinh phat|muc phat(?! huy)|xu phat|muc an|an tu|khung an|khung tu|ap khung|khung nao|(bi )?tu (bao nhieu|may) nam|sanction\w*|khung (hinh )?phat|khung co ban|khung (hinh )?(nang|cao) nhat|bao nhieu nam tu|tu (chung than|hinh)|"
                           r"penalt\w*|prison|imprison\w*|jail\w*|locked up|sentenc\w*|punish\w*|(penalty|sentencing|punishment) brackets?|what bracket|"
                           # "What range does he face?", "how many years could they get?": the term the offender risks
                           r"(what|which) (range|term)\b.{0,30}\b(face|facing|get|serve)|how (long|many years)\b.{0,40}\b(get(?! to\b| back\b)|face|serve)\b|"
                           # "… sells three children abroad. What is the range?", "does this fall under the '2 to 5 victims' clause"
                           r"(what|which) is the (prison |sentencing |penalty |sentence )?range\b(?! of ages)|"
                           r"(prison|sentencing|penalty|sentence) range|fall\w* (under|within) (the )?.{0,40}\bclause\b|"
                           r"behind bars|"
                           # "thì bị xử thế nào?", "bị xử mấy năm?", "… lấy tiền, xử thế nào?": how the offender is dealt with
                           # (not "phải đối xử thế nào", how someone is to be treated)
                           r"(bi )?(?<!doi )xu (the nao|ra sao|nhu the nao|may nam|bao nhieu nam|toi gi)|"
                           # "chế tài hay hình thức xử lý nào", "hình thức kỷ luật nào", "disciplinary action": what befalls
                           # a body or its head that fails a duty, which a sanction answers (not the duty itself)
                           # (not "cơ chế tài chính", which folds to the same letters)
                           r"che tai(?! chinh)|hinh thuc (xu ly|ky luat)|(bi |xu ly )ky luat|disciplinar\w*|"
                           rf"{BANNED_FROM})\b")),
    # (not "… trợ cấp … bao nhiêu lần": how many times is a count)
    ("money", re.compile(rf"\b((kinh phi|ngan sach|chi phi|so tien|tien)\b.{{0,30}}\b(bao nhieu|la bao nhieu|may){_NOT_TIMES}|bao nhieu tien|"
                         rf"bao nhieu (kinh phi|ngan sach|chi phi|von)|(tro cap|muc ho tro|muc tro cap|tien ho tro)\b.{{0,40}}\bbao nhieu{_NOT_TIMES}|"
                         r"how much\b.{0,60}\b(allowance|subsidy|grant|stipend|payment|compensation|benefit)s?\b|"
                         # "What is the amount of the one-off hardship allowance …?": a sum asked by its noun
                         r"\b(amount|size|sum|value) of (the |a |an |any |each )?.{0,50}\b(allowance|subsidy|grant|stipend|payment|"
                         r"compensation|benefit|cash support|financial support)s?\b|"
                         r"bao nhieu (ty|trieu|nghin)? ?dong|how much\b.{0,40}\b(money|funding|budget|funds?|vnd|dong)|in (vnd|dong)\b|budget (amount|of)|"
                         r"amount of (money|funding)|(funding|budget) (is|was) (allocated|set)|"
                         # "the maximum loan she can take out", "how big a loan", "vay tối đa bao nhiêu": a sum lent
                         r"(maximum|max|largest|biggest|how big an?|how large an?|size of the) loans?|loan (amount|limit|ceiling|cap)|"
                         r"how much (can|could|may) (she|he|they|a victim|victims|the victim) borrow|"
                         r"vay (toi da|duoc toi da|bao nhieu)|(muc|han muc) vay)\b")),
    ("person", re.compile(r"\b((ai la|ten (cua|nguoi)|ho ten) .{0,30}(giam doc|chu tich|truong ban|truong phong|pho)|"
                          r"(giam doc|chu tich|truong ban|truong phong|pho chu tich|nguoi ky)\b.{0,80}\b(ten (la )?gi|ten gi|"
                          r"ho ten|la ai)|what (is|was) the name of|(director|chair\w*|head|chief)'?s? name|"
                          r"(who is|who was|name of) the (director|chair\w*|head|chief|governor|minister))\b")),
    # "Nghị định nào quy định chi tiết …", "which decree number …": a decree by its number, not any act's name
    ("decree", re.compile(r"\b(nghi dinh (nao|so may|so bao nhieu|so hieu)|so (hieu )?(cua )?nghi dinh|which (government )?decrees?|"
                          r"what decrees?|decree (number|no)|number of the decree)\b")),
    ("law", re.compile(r"\b(can cu (vao )?(luat|van ban|nghi dinh|quyet dinh)? ?nao|(?<!ky )(luat|van ban|nghi dinh|quyet dinh) nao|"
                       # "bộ luật chống buôn người nào": a law asked by its subject's name
                       r"luat (phong,? )?(chong )?(mua ban|buon ban|buon) nguoi nao|"
                       r"theo luat nao|which (law|decree|decision|legal)|legal basis|based on (which|what)|"
                       r"what ([\w-]+ ){0,2}(laws?|decrees?|acts?)\b.{0,60}\b(based on|rests?( \w+)? on|grounded in|cites?))\b")),
    # "hạn chót … ngày nào", "what date": a day of the calendar, which "định kỳ 6 tháng" does not give
    ("day", re.compile(r"\b(ngay nao|ngay may|ngay bao nhieu|han chot|what date|which date|what day|(which|what) exact (day|date)|"
                       r"which day|on what date|by what date|deadline)\b")),
    # "định kỳ báo cáo vào những kỳ nào", "how often": a frequency ("hàng quý, 6 tháng, 1 năm"), which a date does not give
    # "lấy địa bàn cấp nào làm trọng tâm", "ngay từ cấp nào", "at which level": a level of government, not an agency
    ("level", re.compile(r"\b(dia ban|ngay tu|tu|o|den) cap nao\b|\b(at|from|on) (which|what) level\b")),
    ("frequency", re.compile(r"\b(how often|how frequently|how regularly|at what intervals?|what intervals?|"
                             # "chế độ báo cáo định kỳ … khác nhau thế nào", "the reporting regime": how often and to whom
                             r"che do bao cao( dinh ky)?|bao cao dinh ky|periodic(al)? report\w*|"
                             r"reporting (regime|requirements?|obligations?|rules|schedule)|"
                             r"(reporting|report) (rhythm|cadence|frequency|schedule|cycle|interval|period)s?|(rhythm|cadence|frequency|cycle) of (the )?(reports?|reporting)|chu ky bao cao|ky bao cao|"
                             r"dinh ky (the nao|ra sao|nhu the nao|vao (luc|khi) nao)|"
                             r"(vao|theo) (nhung |cac )?ky nao|nhung ky nao|bao lau( \w+){0,12} (mot|1) lan|tan suat|(may|bao nhieu) lan (mot|moi|1) "
                             r"(nam|thang|quy)|theo (chu ky|dinh ky) nao)\b")),
    ("date", re.compile(r"\b((by|in|from|until|before) (which|what) year|which year|what year|khi nao|(?<!bat cu )(?<!bat ky )luc nao|bao lau|trong bao lau|how long|ngay nao|thang nao|nam nao|bao gio|thoi han|han chot|truoc ngay|thoi diem nao|"
                        r"tu ngay nao|den ngay nao|what date|which date|deadline|by when|until when|what day|"
                        # a length of time: "within how many days", "the maximum period", "tối đa bao lâu"
                        r"how many (days|weeks|months)|(maximum|longest|max) (\w+ )?(period|length|duration|time|stay)|time limits?|"
                        r"(bao nhieu|may) (ngay|tuan)|thoi gian toi da|toi da (la )?bao lau)\b|"
                        # "when" asks a time where it opens the question or a clause, or before its verb ("… and when is it
                        # due?"); not where it sets a case ("what services do victims get when they come home?")
                        r"(?:^|[,;:]\s*|\b(?:and|or|but)\s+)when\b(?! it comes to)|\bwhen\s+(?:is|was|were|are|will|would|does|did|do|must|"
                        r"should|shall|can|could|has|have|had)\b|\bwhen\s*\?*\s*$")),
    # ("độ tuổi" asks an age with its question word: "ở độ tuổi nào", not "chưa chắc chắn về độ tuổi … thì xử lý thế nào")
    ("age", re.compile(r"\b(may tuoi|bao nhieu tuoi|do tuoi( \w+){0,4} (nao|bao nhieu|may)|tuoi nao|how old|what age|which age|age (group|range|limit)|"
                       r"aged? (from|between))\b")),
    # "which district has the most cases", "huyện nào nhiều vụ nhất": a ranking by figures, which a passage must give
    ("ranking", re.compile(r"\b(the most|most (cases|victims|trafficking)|highest number|largest number|fewest|"
                           r"nhieu (vu|nan nhan|ca|nguoi|doi tuong)( \w+){0,3} nhat|nhieu nhat|it nhat)\b")),
    # "đối tác nào", "which foreign partners / countries": a foreign party named (a country, a foreign force, ASEAN)
    ("partner", re.compile(r"\b(doi tac( quoc te| nuoc ngoai)?( \w+){0,2} nao|((?<!nha )nuoc|quoc gia) nao|"  # (not "nhà nước": the state)
                           # "lực lượng nước ngoài nào", "cơ quan nào của nước ngoài": a foreign body asked by name
                           r"(luc luong|co quan|to chuc|canh sat|cong an|ben) (\w+ ){0,2}(cua )?nuoc ngoai( \w+){0,2} nao|"
                           # "bắt tay với lực lượng nào của nước ngoài", "cơ quan nào phía nước ngoài": the same, asked before
                           r"(luc luong|co quan|canh sat|cong an|ben|don vi|doi tac) nao( \w+){0,2} (cua|o|ben|phia|tai) nuoc ngoai|"
                           r"(which|what) (foreign |international |overseas |main )?(countries|country|nations?)|"
                           r"(which|what) (\w+ ){0,2}counterparts?|"  # ("which Chinese counterpart agency")
                           r"(which|what) (foreign|overseas) (police |law enforcement )?(forces?|agenc(y|ies)|authorit(y|ies)|"
                           r"bod(y|ies))|"
                           r"(which|what) (main )?(foreign|international|overseas) partners?|"
                           r"(foreign|international|cross-border)[- ]cooperation (focus|partners?)|cooperat\w* with (which|what|whom)|"
                           # "Did the plan single out any particular foreign counterpart?": the party asked for by name
                           r"(any|one|a|some) (particular |specific |single )?(foreign|international|overseas) "
                           r"(police |law enforcement )?(counterparts?|partners?|countr(y|ies)|forces?|agenc(y|ies))|(foreign|overseas) counterparts?)\b")),
    # "which district", "huyện nào": a named place, not a kind of place ("địa bàn trọng điểm")
    ("place", re.compile(r"\b(which|what) ((?!(?:is|are|was|were|does|do|did|must|should|can|will|would|could|may|shall|has|"
                         r"have|had)\b)\w+ ){0,2}(districts?|cit(y|ies)|communes?|towns?|wards?|villages?)\b|"
                         r"\b(huyen|xa|phuong|thi xa|thanh pho|thi tran) nao\b|"
                         # "những huyện, xã trọng điểm … nào", "những tuyến biên giới, cửa khẩu trọng điểm nào", "which border gates"
                         r"\b(nhung|cac) (huyen|xa|phuong|quan|thi xa|tuyen bien gioi|tuyen|cua khau)\b(?! hoi\b)"
                         r"(,? (huyen|xa|phuong|quan|thi xa|bien gioi|tuyen|cua khau|trong diem|diem nong|ve|mua ban nguoi))* nao\b|"
                         r"\b(which|what) (\w+ ){0,2}(border (routes?|gates?|crossings?|posts?)|hotspot (districts?|communes?|areas?))\b")),
    # "the hotline number", "số tổng đài", "đường dây nóng số mấy": a number to dial (a date's digits do not)
    ("phone", re.compile(r"\b((hotline|helpline|phone|telephone)('s)? (number|no)|number (of|for) the (\w+ ){0,3}(hotline|helpline)|"
                         r"so (dien thoai|tong dai|duong day nong)|(duong day nong|tong dai)(,? \w+){0,12}?,? (so (do |nay )?(la )?(so )?(may|nao|gi)|la so)|"
                         # "… đường dây nóng toàn quốc để người dân báo tin — số mấy vậy?": the number asked after a dash
                         # or a clause; what is numbered is the hotline the question names
                         r"(duong day nong|tong dai|hotline|helpline)\b[^?]{0,120}?\bso (do |nay |cua no )?(la )?(may|nao|gi)\b|"
                         r"(goi|quay|bam) (so |vao )?(duong day nong|tong dai)( \w+){0,3} nao)\b")),
    # "số mấy", "số nào", "what number": a number that names (a document's, a fax's), not a quantity (a phone's: above)
    # (not "trên cơ sở nào", on what basis)
    ("code", re.compile(r"\b(?<!tren )((la |mang |co )?(?<!tren co )so (nao|may|gi|bao nhieu)|what number|which number|fax (number|no))\b")),
    # "tỷ lệ bao nhiêu", "what percentage": a share, stated with "%" (a count does not answer it)
    ("percent", re.compile(r"\b(ty le|phan tram|what (percentage|percent|share|proportion)|percent\w*|"
                           # "what clearance or prosecution rate …": a rate of cases, stated with "%"
                           r"(clearance|detection|prosecution|conviction|solv\w*|arrest|investigation|trial|success|"
                           r"reintegration|coverage)( or \w+)?[ -]rates?|"
                           # "numerical targets", "chỉ tiêu định lượng", "những chỉ tiêu cụ thể nào": a plan's targets are
                           # shares of cases ("100% tố giác …", "trên 90%"), said in figures
                           r"(numerical|numeric|quantitative|quantified|performance|measurable) (targets?|indicators?|benchmarks?)|"
                           r"target (figures?|rates?|percentages?)|chi tieu (dinh luong|cu the|so|phan dau)\b|"
                           # "những con số chỉ tiêu nào", "đặt ra chỉ tiêu gì": a target is a figure whatever its words
                           # (not "chỉ tiêu thống kê", the statistics a report fills in, nor "chi tiêu thế nào", spending,
                           # which folds to the same letters)
                           r"(con so|muc|nhung|cac|dat ra( nhung| cac)?) chi tieu\b(?! thong ke))\b|%")),
    ("number", re.compile(r"\b(bao nhieu|may (nguoi|vu|lan|nam|thang|ngay|tuoi|doi|muc|nhom|noi dung|bao cao)|ty le|phan tram|"
                          r"how many|how much|what (percentage|percent|share|proportion|rate|number)|how old|"
                          r"what age|number of|percent\w*)\b|%")),
)


# "Khi nào một người được xác định là nạn nhân?": in which case, not on which date.
_CONDITION = re.compile(r"\bkhi nao\b.*\b(duoc|bi|phai|co the)\b|\b(duoc|bi|phai|co the)\b.*\bkhi nao\b|\btrong truong hop nao\b")


def detect_slot(folded: str) -> str | None:
    """The kind of value a right answer must contain, or None."""
    opening = re.match(r"\s*(?:and|but|so|con|va)\s+(?=when\b|khi\b)", folded)  # "And when the other country isn't …, how …"
    if opening:
        folded = folded[opening.end():]
    situation = re.match(r"\s*when\b[^,?]{6,}, ", folded)
    if situation and _CONDITION_FIRST.match(folded):
        folded = folded[situation.end():]  # "When a child victim is received, what must …": no date asked
    if _CONDITION.search(folded) and not re.search(r"\b(ngay nao|thang nao|nam nao|bao gio|when|han chot|thoi han|deadline)\b", folded):
        return None
    folded = without_indefinite_may(folded)
    for name, pattern in _SLOTS:
        if pattern.search(folded):
            return name
    return None


_INDEFINITE_MAY = re.compile(r"\bco\b.*\bmay\b.*\bkhong\s*\??\s*$")


def without_indefinite_may(folded: str) -> str:
    """The folded question with the "mấy" of a yes-or-no "có … không" read as "a few" ("… có chủ trương … xử mấy vụ
    điển hình … không?" asks whether, not how many)."""
    return re.sub(r"\bmay\b", "vai", folded) if _INDEFINITE_MAY.search(folded) else folded


# --- intents -------------------------------------------------------------------------------
_COMPARE = re.compile(r"\b(thay doi|khac nhau|khac gi|khac biet|diem khac|so sanh|so voi|chuyen tu|chuyen sang|co gi khac|giong nhau|"
                      r"co khac (gi|nhau|khong)|khac o (dau|cho nao)|"
                      r"change[sd]?|changing|differ\w*|compar\w*|versus|vs|shift\w*|moved? from)\b")
# "Is the lead … the same in BR-VT's plan and in Quang Ninh's?", "Are the targets in Ninh Binh's and Lam Dong's plans the
# same?": two documents set side by side. ("Which agency leads … in Quang Ninh's plan, and is it the same in Ninh Binh's?"
# asks who first, then compares: a compound, not a comparison.)
ASKS_IF_SAME = re.compile(r"\b(the same|identical|alike|giong nhau|nhu nhau)\b")  # on the folded question


def asks_to_compare(question: str) -> bool:
    """Whether the question sets two things side by side in any words ("compare …", "the same … as", "giống … không"),
    whether or not it names two documents."""
    folded = fold(question)
    return bool(_COMPARE.search(folded) or ASKS_IF_SAME.search(folded) or re.search(r"\bgiong\b", folded))


_YES_NO_OPENING = re.compile(r"^\s*(is|are|was|were|do|does|did)\b")
_BEFORE_NOW = re.compile(r"\b(truoc day|truoc kia|luc truoc|ke hoach cu|before|previously|used to)\b.*\b(bay gio|hien nay|hien tai|nay|ke hoach moi|now|today|currently)\b")
_COMPARE_SPAN = re.compile(r"\b(giua|qua cac|cac ke hoach|cac giai doan|truoc day|truoc kia|ke hoach cu|ke hoach moi|"
                           r"between|across|over time|over the years|earlier|older|newer|previous|from .* to)\b")
_TASKS_OF = re.compile(
    # ("Nhiệm vụ Sở Y tế trong KH Ninh Bình?": a question that opens with the duties names whose they are next)
    r"^(nhiem vu|trach nhiem|vai tro|phan viec)\b|"
    r"\b(phai lam (gi|nhung gi|nhung viec gi)|lam (gi|nhung gi|nhung viec gi)|co (nhung )?(nhiem vu|trach nhiem|vai tro) (gi|nao)|"
    r"(nhiem vu|trach nhiem|vai tro|cong viec|phan viec)( cu the)? (cua|gi|nao|la gi)|duoc giao (gi|nhung|nhiem vu|lam)|"
    r"giao cho .{0,60}\b(gi|nhung|nao)|(chu tri|phu trach|dam nhiem|thuc hien|tham gia|phoi hop) (nhung|cac)? ?"
    r"(nhiem vu|viec|noi dung|de an|hoat dong|cong viec|linh vuc)? ?(nao|gi)\b|"
    r"what (else )?(must|does|do|should|will|is|are|has|have)\b.{0,100}\b(do|doing|tasked|responsible|in charge|take charge|handle|lead|role|duties|oversee|"
    r"tasks|responsibilities|assigned|expected|assigns?|entrusts?|allocates?)|tasks? (of|for|assigned|in|under)|duties|responsibilit\w*|role (of|in|under)|"
    r"(ask|asks|asked|expect|expects|expected|require|requires|required|want|wants) (of|from)\b|"
    r"assigned to|'?s (tasks|duties|role|responsibilities|job)|"
    # "what's on the border guards' plate", "what falls to the police", "what lands on their desk": their tasks
    r"on (the |their |its )?[\w' -]{0,60}(plate|desk|to-?do list|agenda)|what falls to|falls on|"
    # "Which jobs in the plan fall to the Health Department?", "what tasks go to the police": the tasks a body is given
    r"(which|what) (\w+ ){0,2}(jobs|tasks|activities|duties|items|areas|pieces of work)\b.{0,100}\b"
    r"(fall|falls|go|goes|belong|belongs|(are|is) (given|assigned|allocated|left)) to|"
    # "which of the sub-projects did the provincial police head?": the projects a body leads, one of its roles
    r"(which|what) (of the )?(\w+ ){0,2}(sub[- ]?projects?|projects?|de an|programmes?|programs?|components?)\b.{0,80}\b"
    r"(did|does|do|will|is|are|was|were)\b.{0,60}\b(head|lead|run|chair|steer|take charge of|manage))\b")
# A named agency, a question word and a word of work: "Sở Tư pháp phụ trách những mảng nào?",
# "What role does the Department of Foreign Affairs play?", "where does the Women's Union come in?"
_ASKS_WHAT = re.compile(r"\b(gi|nao|what|which|where|how)\b")
_WORK = re.compile(r"\b(lam|phai|giao|phu trach|chu tri|thuc hien|tham gia|chi dao|dam nhiem|dam nhan|nhiem vu|trach nhiem|"
                   r"must|should|shall|has to|have to|needs? to|expects?|requires?|required|direct|instruct\w*|"
                   r"vai tro|mang|viec|cong viec|noi dung|role|roles|tasks?|tasked|do|doing|handles?|take on|responsib\w*|"
                   r"expected|supposed|in charge|play|involved|come in|job|duties|assigned|asked|"
                   r"on the hook|accountable|answerable|obliged|obligations?|charged with|mandated?)\b")
_WHO_WORD = re.compile(r"\b(ai|co quan nao|don vi nao|(?<!tren co )so nao|bo nao|nganh nao|luc luong nao|ben nao|to chuc nao|"
                       r"(?<!dia ban )(?<!ngay tu )(?<!tu )(?<!o )(?<!den )cap nao|"
                       r"nhung co quan nao|cac co quan nao|co quan gi|don vi gi|who|whom|"
                       # "những cơ quan phối hợp nào", "đơn vị tham gia nào": the bodies of a role asked
                       r"(co quan|don vi|so|nganh|luc luong) (phoi hop|tham gia|chu tri|thuc hien) nao|"
                       # "… phân công thế nào?", "how is the work assigned?": to whom the plan gives it
                       r"phan cong (\w+ ){0,12}?(nhu )?(the nao|ra sao)|how (is|are|was|were) (\w+ ){0,6}(assigned|allocated|divided up|shared out)|"
                       # "which Ninh Binh department", "which two ministries" (not "which tasks does the department …")
                       # (nor a verb after "which": "which requires force" asks of a provision, not of a police force)
                       r"which ((?!(?:is|are|was|were|does|do|did|has|have|must|should|can|will|would|tasks?|duties|"
                       r"requires?|involves?|covers?|appl(?:y|ies)|uses?|needs?|says?|sets?|gives?|lists?|names?|"
                       r"includes?|mentions?|means|carr(?:y|ies)|calls?|allows?|punish\w*)\b)\w+ ){0,3}"
                       r"(agenc\w*|department\w*|"
                       r"bod(y|ies)|organi[sz]ation\w*|unit\w*|authorit\w*|office\w*|force\w*|sector\w*|ministr\w*))\b")
# "Ai giả làm nạn nhân để nhận tiền thì bị xử lý thế nào?", "ai tố giác thì được bảo vệ ra sao": an "ai" that opens a case
# closed by "thì" and a question of its own is "whoever", the person the case tells of, not a body asked for (the folded text;
# _WHOEVER below reads the law's own "Người nào …, thì" when splitting a question)
_AI_WHOEVER = re.compile(r"^\W*ai\s+(?!la\b|cung\b)[^?,;]{3,100}?\bthi\s+(?:[a-z]+\s+){0,10}?"
                      r"(?:the nao|ra sao|lam sao|gi|bao nhieu|bao lau|nhung gi|muc nao|khung nao)\b")
# A body asked for by its noun ("which agency", "cơ quan nào", "ai"): the one thing "which" can choose besides articles.
_BODY_ASKED = re.compile(r"\b(agenc\w*|bod(y|ies)|department\w*|ministr\w*|authorit\w*|who|whom|co quan|don vi|ai|bo nao|"
                         r"so nao|nganh nao|luc luong)\b")
# "someone who suspects …", "victims who return": a relative "who" after a noun asks for nobody.
_RELATIVE_WHO = re.compile(r"\b(someone|anyone|anybody|somebody|everyone|people|persons?|those|one|victims?|citizens?|"
                           r"children|child|women|men|workers?|officials?|staff|individuals?|family|families|minors?|"
                           r"foreigners?|migrants?|returnees?|survivors?|offenders?|traffickers?)\s+who\b|"
                           # "a presumed victim whose age is uncertain but who may be a child": the same person, told more of
                           r"\bbut who (?=(may|might|could|can|is|was|seems|appears)\b)|"
                           # "For a trafficked teenager from a poor household who goes back to school, …": a person the
                           # case sets up, told more of
                           r"\b(?:for|if|when|with|of|to) (?:a|an|the) [^,?]{3,60}?\s+who\b")
# "which bodies are to support the police in …": the verb that makes the askers those who work beside the body named
# (who.py reads it out of a who question's topic: supporting the police is the role asked, not victim support)
SUPPORTING_A_BODY = re.compile(r"(?i)\b(?:support|assist|help)\w*\s+(?=(?:the\s+)?(?:provincial\s+)?(?:police|department|"
                               r"ministry|committee|border guard|military|court|procuracy)\b)")
_WHO_PARTNER = re.compile(r"\b(phoi hop voi|cung voi|voi (ai|co quan nao|don vi nao|so nao|nganh nao|luc luong nao)|"
                          # "… do CA tỉnh chủ trì thì những cơ quan nào phối hợp?": the partners asked, not the lead
                          r"(co quan|don vi|so|nganh|luc luong) nao (se )?(phoi hop|tham gia)|"
                          # "Công an tỉnh chủ trì, còn các cơ quan phối hợp gồm những ai?": the partners, after the lead told
                          r"(co quan|don vi|so|nganh|luc luong) (phoi hop|tham gia) (gom|bao gom|la|co) (nhung )?(ai|nhung ai|gi|nao|"
                          r"co quan nao|don vi nao|so nao|nganh nao)|"
                          # "Những ai cùng Công an tỉnh triển khai …?": who works together with the body named
                          # (not "ai cùng Công an tỉnh chủ trì …", who co-leads)
                          r"(ai|(co quan|don vi|so|nganh|luc luong) nao) cung (?!cap\b)(?!.*\b(dong )?chu tri\b)|"
                          r"work\w* with|cooperat\w* with|coordinat\w* with|partner\w*|together with)\b")
LIST_CUES = re.compile(
    r"\b((nhung|cac) (\w+,? ){0,7}(nao|gi)\b|gom (nhung )?(gi|nao|nhung gi)|bao gom (nhung )?(gi|nao)|liet ke|ke ten|ke ra|"
    r"nhung (gi|viec gi|noi dung gi)|(muc tieu|nhiem vu|giai phap|chi tieu|hoat dong|bien phap|hinh thuc|doi tuong|"
    # (not "ưu tiên" as a verb: "ưu tiên với đối tác nào" asks the partner put first, not a list of priorities)
    r"noi dung|yeu cau|quan diem|uu tien(?! (?:voi|cho|hop tac)\b)|giay to|hanh vi|che do)\b.{0,80}\b(la gi|gom|nao|gi|ra sao|the nao)\b|"
    r"what (are|were) (the|its|their)?\b|list\b|which (forms|groups|activities|measures|tasks|targets|objectives|goals|"
    r"priorities|steps|cases|areas|topics|types|kinds|channels|acts)|name the|what (objectives|targets|goals|priorities|"
    r"measures|activities|forms|groups|steps|kinds|types))")
_SECTIONS = (
    ("mục tiêu", re.compile(r"\b(muc tieu|chi tieu|objectives?|goals?|targets?|aims?)\b")),
    ("kinh phí", re.compile(r"\b(kinh phi|ngan sach|nguon von|funding|budget|finance\w*|funds?)\b")),
    ("tổ chức thực hiện", re.compile(r"\b(to chuc thuc hien|implementation arrangements|organi[sz]ation of implementation)\b")),
    ("báo cáo", re.compile(r"\b(bao cao|che do bao cao|report\w*)\b")),
    ("mục đích", re.compile(r"\b(muc dich|purposes?)\b")),  # "I. MỤC ĐÍCH, YÊU CẦU", named before its requirements
    # the noun ("mục đích, yêu cầu", "yêu cầu của kế hoạch là gì"), not the verb ("BR-VT yêu cầu nâng cao …")
    ("yêu cầu", re.compile(r"\b(muc dich,? yeu cau|yeu cau (cua|gi|nao|la|dat ra|de ra)\b(?! (?:ve|doi voi|trong viec)\b)|yeu cau\s*\??\s*$|"
                            r"(nhung|cac) yeu cau|requirements)\b")),
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
    "cong-an-tinh": ("police", "provincial police", "public security", "police department", "ngành công an", "lực lượng công an",
                     "CA tỉnh", "CAT"),
    "bo-chi-huy-bien-phong": ("border guard", "border guards", "border guard command", "border force", "BĐBP", "biên phòng",
                              "bộ đội biên phòng"),
    "bo-chi-huy-quan-su": ("military command", "army", "military"),
    "so-ldtbxh": ("dolisa", "labour department", "labor department", "department of labour", "department of labor",
                  "social affairs department", "ngành lao động", "ngành lao động thương binh xã hội", "LĐTBXH",
                  "LĐ-TB&XH", "sở lao động"),
    # (the district office of Luật 66 Điều 24, by the Vietnamese name users shorten; not in English, where "the district
    # labour office" searched with the office's full name ranked the police's 20 days, which name it twice, over its 03)
    "phong-ldtbxh": ("phòng lao động", "phòng LĐTBXH"),
    "so-y-te": ("DOH", "health department", "department of health", "health sector", "health service", "health services",
                "ngành y tế", "ngành y", "sở y"),
    "so-tu-phap": ("DOJ", "justice department", "department of justice", "ngành tư pháp"),
    "so-noi-vu": ("DOHA", "home affairs department", "department of home affairs", "interior department"),
    "so-ngoai-vu": ("DOFA", "foreign affairs department", "department of foreign affairs"),
    "so-gddt": ("DOET", "education department", "department of education", "education sector", "schools department", "ngành giáo dục",
                "GD&ĐT", "GDĐT"),
    "so-tttt": ("DIC", "DOIC", "information department", "department of information", "information and communications department"),
    "so-khcn": ("DOST", "science department", "department of science", "science and technology department"),
    # ("culture, sports and tourism department": the whole name in the asker's order, not its "tourism department" tail)
    "so-vhttdl": ("DOCST", "DCST", "culture department", "department of culture", "culture, sports and tourism department",
                  "culture, sports and tourism", "culture sports tourism department"),
    "so-vhtt": ("culture and sports department", "department of culture and sports"),
    "so-du-lich": ("tourism department", "department of tourism"),
    "so-tai-chinh": ("DOF", "finance department", "department of finance"),
    "so-khdt": ("DPI", "planning and investment department"),
    "so-nnptnt": ("DARD",),
    # (the only agriculture department the documents name is the 2025 one)
    "so-nnmt": ("agriculture department", "department of agriculture", "agriculture and environment department"),
    # ministries by the acronyms foreign partners use (MOLISA is the ministry; its provincial department is DOLISA)
    "bo-cong-an": ("ministry of public security", "police ministry", "public security ministry"),
    "bo-ldtbxh": ("MOLISA", "ministry of labour", "ministry of labor", "labour ministry", "labor ministry"),
    "bo-y-te": ("MOH", "health ministry"),
    "bo-ngoai-giao": ("MOFA", "foreign ministry", "foreign affairs ministry"),
    "bo-tu-phap": ("MOJ", "justice ministry"),
    "bo-quoc-phong": ("defence ministry", "defense ministry", "ministry of defence", "ministry of defense"),
    "bo-gddt": ("MOET", "education ministry", "ministry of education"),
    "bo-tttt": ("ministry of information", "information ministry"),
    "bo-vhttdl": ("MOCST", "culture ministry", "ministry of culture"),
    "bo-tai-chinh": ("finance ministry", "ministry of finance"),
    "co-quan-dai-dien": ("embassy", "embassies", "consulate", "consulates", "vietnamese embassy", "vietnamese embassies",
                         "diplomatic mission", "diplomatic missions", "mission abroad", "missions abroad"),
    "toa-an-tinh": ("court", "courts", "provincial court", "people's court", "TAND", "TAND tỉnh", "ngành tòa án"),
    # ("prosecution" alone is the work — "targets for investigation, prosecution and trials" —, not the body)
    "vien-kiem-sat-tinh": ("procuracy", "procuratorate", "prosecutor", "prosecutors", "prosecution service",
                           "prosecutor's office", "prosecutors' office", "VKSND", "VKSND tỉnh", "ngành kiểm sát"),
    "hoi-lhpn-tinh": ("women's union", "womens union", "women union", "hội phụ nữ", "hội LHPN"),
    "tinh-doan": ("youth union",),
    "ubmttq-tinh": ("fatherland front", "MTTQ", "mặt trận tổ quốc"),
    "ban-chi-dao-138": ("steering committee", "steering committee 138"),
    "ubnd-tinh": ("people's committee", "provincial people's committee", "provincial government"),
    "ubnd-huyen": ("district people's committees", "district people's committee", "district authorities",
                   "district-level people's committees", "district governments"),
    "ubnd-xa": ("commune people's committees", "commune people's committee", "commune and ward people's committees",
                "commune-level people's committees", "commune authorities", "ward people's committees", "communes and wards"),
    "dai-ptth-tinh": ("radio and television", "broadcaster"),
    "co-so-bao-tro-xa-hoi": ("social protection centre", "social protection centres", "social protection center",
                             "social protection centers", "social protection facility", "social protection facilities",
                             "social welfare centre", "social welfare center", "state shelter", "public shelter"),
    "co-so-ho-tro-nan-nhan": ("victim support establishment", "victim support establishments", "victim support facility",
                              "victim support facilities", "private shelter", "ngo shelter"),
}


# (the acronyms donors and partners write for a ministry — "MOH" — or its department in a province — "DOH", "DOJ",
# "DPI" — spell no English word)
_THREE_LETTER_ACRONYMS = frozenset({"MOH", "MOJ", "DOH", "DOJ", "DOF", "DIC", "DPI"})


@lru_cache(maxsize=1)
def folded_agency_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """(pattern on the folded question, canonical name), longest alias first; specific agencies only."""
    keyed: dict[str, str] = {}
    for agency in agencies():
        if agency.generic:
            continue
        names = [*agency.aliases, agency.en, *_ENGLISH_ALIASES.get(agency.id, ())]
        for alias in names:
            key = re.sub(r"[^a-z0-9]+", " ", fold(alias)).strip()
            if (len(key) >= 4 or alias in _THREE_LETTER_ACRONYMS) and key not in keyed:
                keyed[key] = agency.name
    out = []
    for key in sorted(keyed, key=len, reverse=True):
        # (not "can bo cong an huyen", a police officer, as "Bộ Công an": duties.find_agencies reads it so too)
        officer = r"(?<!can )" if key.startswith("bo ") else ""
        out.append((re.compile(r"(?<![a-z0-9])" + officer + key.replace(" ", r"[^a-z0-9]+") + r"(?![a-z0-9])"), keyed[key]))
    return tuple(out)


def agencies_in(question: str) -> list[str]:
    """Canonical names of the specific agencies a question names, in order, with or without diacritics or in English."""
    return list(_agencies_in(question))


@lru_cache(maxsize=4096)  # one question is read several times on its way to an answer
def _agency_mentions(question: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, canonical name) of every specific agency a question names, as written and folded (nested ones too)."""
    found = [(m.start, m.end, m.agency.name) for m in find_agencies(question) if not m.agency.generic]
    folded = _folded_for_agencies(question)
    found += [(m.start(), m.end(), name) for pattern, name in folded_agency_patterns() for m in pattern.finditer(folded)]
    return tuple(found)


def _folded_for_agencies(text: str) -> str:
    return re.sub(r"[’']", "'", fold(text))


def _outer_mentions(question: str) -> list[tuple[int, int, str]]:
    """_agency_mentions without those nested in a longer name already taken, in order."""
    outer: list[tuple[int, int, str]] = []
    for start, stop, name in sorted(_agency_mentions(question), key=lambda x: (x[0], -(x[1] - x[0]))):
        if not outer or start >= outer[-1][1]:  # (nested in a longer name already taken: skipped)
            outer.append((start, stop, name))
    return outer


def agencies_acted_on(question: str) -> frozenset[str]:
    """The bodies a who question names after its asking words, as what the body asked for acts on ("Cơ quan nào cấp
    giấy phép thành lập cơ sở hỗ trợ nạn nhân?": the facility); not those told before it ("Tôi bên Biên phòng. … do
    đơn vị nào chủ trì?"), who may well be the answer."""
    asking = _WHO_WORD.search(_folded_for_agencies(question))
    if asking is None:
        return frozenset()
    return frozenset(name for start, _stop, name in _outer_mentions(question) if start >= asking.end())


@lru_cache(maxsize=4096)
def _agencies_in(question: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for _start, _stop, name in _outer_mentions(question)))


# The case a question opens with, to its "thì" or its comma ("Khi UBND cấp xã tiếp nhận …, thì bên đó …", "Once the
# commune notifies it, …"): the body the question asks about comes after it. ("thi hành", "thi đua" are no "thì".)
_CASE_THEN = re.compile(r"(?i)^.*?\bthì\s|^\s*(?:when|after|once|if|as soon as)\b[^,?]*,")
_CASE_THEN_BARE = re.compile(r"(?i)^.*?\bthi(?! (?:hanh|dua|tuyen|cu|truong|dau)\b)\s")  # typed without marks


def after_its_case(question: str) -> str:
    """The question after the case it opens with, else the question."""
    case = (_CASE_THEN if has_diacritics(question) else _CASE_THEN_BARE).match(question) or _CASE_THEN.match(question)
    return question[case.end():] if case else question


# A body named as the one written or sent to ("How long do they have to get back to DOLISA?", "báo cáo về Công an tỉnh
# trong bao lâu"), on the folded question: not the body that acts.
_SENT_TO_BEFORE = re.compile(r"\b(?:to|back to|with|for|from|toi|den|cho|voi|ve|len|gui)\s+(?:the\s+)?$")


# A body that asks for the work in a clause of its own ("… khi phòng LĐTBXH đề nghị", "once DOLISA requests it",
# "theo yêu cầu của …"): the one asking, not the one whose time or duty is asked.
_REQUESTER_BEFORE = re.compile(r"\b(?:khi|neu|sau khi|when|once|if|after|theo (?:de nghi|yeu cau) cua|at the request of)\s+"
                               r"(?:the\s+)?$")
_REQUESTER_AFTER = re.compile(r"^\s*(?:da\s+|co\s+)?(?:de nghi|yeu cau|gui|thong bao|requests?|asks?|refers?|sends?|notif)"
                              r"|^\s*[,?.]|^\s*$")


def acting_agencies(question: str) -> list[str]:
    """The agencies a question names, less those it names as the ones written or sent to, or as the ones asking."""
    folded = _folded_for_agencies(question)
    if len(folded) != len(question):
        return agencies_in(question)
    text = question
    for start, end, _name in sorted(_agency_mentions(question), reverse=True):
        requester = (_REQUESTER_BEFORE.search(folded[max(0, start - 24) : start])
                     and _REQUESTER_AFTER.search(folded[end : end + 24]))
        if requester or _SENT_TO_BEFORE.search(folded[max(0, start - 16) : start]):
            text = text[:start] + " " * (end - start) + text[end:]  # (the same length: the other spans still hold)
    return agencies_in(text)


_OWNER = re.compile(r"(?:\b(?:cua|do|by|of|from)\s*)$")


# Where the asker works ("Mình làm ở Hội Phụ nữ huyện, muốn hỏi …", "I work for the provincial police; …"), on the
# folded question: the asker's body, not one the question is about.
_ASKERS_BODY = re.compile(r"\b(?:minh|toi|em|chung toi|i|we)\s+(?:(?:dang|hien|van)\s+)?(?:lam viec|lam|cong tac|work(?:ing)?|"
                          r"'m from|am from|'m with|am with|are from|la can bo(?: cua)?)\s+(?:(?:o|tai|at|for|in|with|cua)\s+)?"
                          r"[^,.;:?!]{2,80}")


# Where a question points at its asker's body ("bên mình", "cơ quan tôi", "our department", "us", "mình phải …"), on the
# folded text: "Where does the plan expect us to be involved?", "bên mình phải làm gì?" are about the asker's body
_ASKER_ASKED = re.compile(r"\b(?:(?:ben|don vi|co quan|so|nganh|luc luong) (?:minh|toi|em|chung toi|chung em)|"
                          r"(?:our|my) (?:department|office|agency|unit|organi[sz]ation|team|sector|ministry|force)|"
                          r"chung toi|chung em|us|we|our|ours|(?:minh|toi|em)(?= (?:phai|can|co nhiem vu|duoc giao|lam gi)\b))\b")


def asks_of_the_asker(question: str) -> bool:
    """Whether the question asks about the asker's own body ("bên mình có bao lâu để xác minh?", "what must we do?")."""
    return bool(_ASKER_ASKED.search(fold(question)))


def without_askers_body(question: str) -> str:
    """The question with the body its asker says they work at blanked (the same length), unless it asks about that
    body ("… Where does the plan expect us to be involved?")."""
    blanked, told = _blanked(question, _ASKERS_BODY)
    if not told or asks_of_the_asker(blanked):
        return question
    return blanked


# "victims sent home via the consulate", "đưa về qua đại sứ quán": a body named as the way a case went, not as one acted on
_ROUTE_BEFORE = re.compile(r"(?i)\b(?:via|through|by way of|qua|thông qua|thong qua)\s+(?:the |our |its |their |a |an |các |cac )?$")


def agencies_named_as_route(question: str) -> set[str]:
    """The agencies a question names as the way its case went ("via the consulate", "qua đại sứ quán")."""
    return {name for start, _end, name in _agency_mentions(question) if _ROUTE_BEFORE.search(question[max(0, start - 30) : start])}


def asked_agencies(question: str) -> list[str]:
    """The agencies a question is about: those it names, less the issuer of the plan it cites ("Kế hoạch … của
    UBND tỉnh giao Sở Y tế những việc gì?" is about Sở Y tế) when another agency is named, and less the asker's own."""
    question = without_askers_body(question)
    besides = _set_aside(fold(question))
    if besides:
        # "Ngoài trách nhiệm chung của UBND các cấp, … xã còn phải làm gì?", "Besides the general duties of all people's
        # committees, what extra responsibilities does the law put on commune-level committees?": the body after the
        # setting-aside is the one asked ("xã", "huyện" alone, "commune-level committees": that level's People's
        # Committee), not those the question sets aside
        part = question[besides.start(1) : besides.end(1)]
        level = re.search(r"(?:^|\s)(xa|huyen|tinh)$", fold(part)) or _LEVEL_COMMITTEE_EN.search(fold(part))
        return agencies_in(part) or ([_LEVEL_BODIES[_LEVEL_EN.get(level.group(1), level.group(1))]] if level
                                     else agencies_in(question))
    named = agencies_in(question)
    if len(named) < 2:
        return named
    folded = _folded_for_agencies(question)
    owners = {name for start, _end, name in _agency_mentions(question) if _OWNER.search(folded[max(0, start - 8) : start])}
    kept = [n for n in named if n not in owners]
    return kept or named


# "Ngoài … , <a body> còn phải / còn có trách nhiệm …" (folded): what else the body after the setting-aside must do
_BESIDES_ANOTHER = re.compile(r"^\W*(?:\w+\W+){0,12}?ngoai\b[^?]*?,\s*(?:[^,?]*?,\s*)?(?:thi\s+)?"
                              r"([^,?]{2,60}?)\s+con\s+"
                              r"(?:phai|co|duoc|lam|chiu)\b")
_LEVEL_BODIES = {"xa": "Ủy ban nhân dân các xã, phường", "huyen": "Ủy ban nhân dân các huyện, thị xã, thành phố",
                 "tinh": "Ủy ban nhân dân tỉnh"}
# The English words that set something aside ("Besides …", "Apart from …")
ASIDE_EN = r"besides|apart from|other than|aside from|in addition to"
# … and in English: "Besides / Apart from / Other than / In addition to …, what else … <a body>": the body after the comma
_BESIDES_ANOTHER_EN = re.compile(rf"^\W*(?:[\w']+\W+){{0,12}}?(?:{ASIDE_EN}|beyond)\b"
                                 r"[^?,]*,\s*([^?]*\b(?:else|extra|additional|other|more|further)\b[^?]*)")
_LEVEL_COMMITTEE_EN = re.compile(r"\b(commune|ward|district|provincial|province)(?:[- ]level)?\s+(?:people'?s\s+)?committees?\b")
_LEVEL_EN = {"commune": "xa", "ward": "xa", "district": "huyen", "provincial": "tinh", "province": "tinh"}


def _set_aside(folded: str) -> re.Match | None:
    """"Ngoài …, <a body> còn …", "Besides …, what else … <a body>" (folded): the match, its group 1 the part naming the
    body asked, else None."""
    return _BESIDES_ANOTHER.search(folded) or _BESIDES_ANOTHER_EN.search(folded)


def without_agency_names(text: str) -> str:
    """The text with every agency it names blanked, in Vietnamese or English ("district People's Committees"),
    the rest as typed (with its marks): what a question asks about the agency, not the agency."""
    folded = fold(text)
    if len(folded) != len(text):
        return text
    for pattern, _name in folded_agency_patterns():
        for m in pattern.finditer(folded):
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
        folded = pattern.sub(lambda m: " " * len(m.group(0)), folded)
    return text


# "Trách nhiệm của người sử dụng ma túy là chấp hành việc quản lý của Ủy ban nhân dân cấp xã", "the duties of a victim
# towards the police": the duties asked are of someone the words after "của / of" name, not of the agency named later.
_DUTIES_OF_SOMEONE = re.compile(r"\b(nhiem vu|trach nhiem|vai tro|nghia vu|quyen va nghia vu|cong viec|duties|"
                                r"responsibilities|responsibility|tasks|role|obligations)( cu the)? (cua|of) "
                                r"(?:(?:the|a|an|cac|nhung) )?+(?=[a-z])"
                                # (the head of a named agency answers for it: "trách nhiệm của Chủ tịch UBND xã")
                                r"(?!(?:chu tich|pho chu tich|giam doc|pho giam doc|truong|nguoi dung dau|thu truong|"
                                r"chairman|chairwoman|chairperson|chair|director|head|heads|leader|leaders|chief)\b)")


def _without_duties_of_others(folded: str) -> str:
    """A folded question with "the duties of <someone who is no named agency>" blanked (same length)."""
    others = _without_agencies(folded)
    for m in reversed(list(_DUTIES_OF_SOMEONE.finditer(others))):
        folded = folded[: m.start()] + " " * (m.end() - m.start()) + folded[m.end():]
    return folded


def _without_agencies(folded: str) -> str:
    """A folded question with the agencies it names blanked ("ban chi dao" is a name, not "chỉ đạo")."""
    for pattern, _name in folded_agency_patterns():
        folded = pattern.sub(lambda m: " " * len(m.group(0)), folded)
    return folded


# --- compound questions --------------------------------------------------------------------
# (typed without marks, "dau tranh", "dau moi", "dau tu" are "đấu tranh", "đầu mối", "đầu tư", which ask nothing)
_ASKS = re.compile(r"\b(nao|gi|ai|bao nhieu|bao lau|bao gio|khi nao|o dau|dau(?! (?:tranh|moi|tu|nam|thang|ky|quy|vao|ra|tien)\b)|"
                   r"the nao|ra sao|may|co phai|khong(?=\s*(?:[?.,;:!)]|$)|\s+(?:a|ha|vay|nhi|nhe|ta|chu|hay|hoac|or)\b)|what|who|whose|when|which|how|where|"
                   r"why|whom|is|are|does|do)\b")
# The same asking words with their marks, for a question typed with them: "đầu thú" does not ask "đâu", nor
# "máy" "mấy".
# ("không" asks at the end of its clause, "… có … không?"; inside one it denies: "không qua đại sứ quán")
_ASKS_MARKED = re.compile(r"\b(nào|gì|ai|bao nhiêu|bao lâu|bao giờ|khi nào|ở đâu|đâu|thế nào|ra sao|mấy|có phải|"
                          r"không(?=\s*(?:[?.,;:!)]|$)|\s+(?:à|hả|vậy|nhỉ|nhé|ta|chứ|hay|hoặc)(?!\w))|what|who|whose|when|which|"
                          r"how|where|why|whom|is|are|does|do)\b")


# "Người nào dùng vũ lực …, thì bị phạt …": the law's "whoever", which asks nothing (with the "thì" it leads to).
_WHOEVER = re.compile(r"(?i)^\s*(?:người|nguoi|kẻ|ke) (nào|nao)\b(?=.*\bth[iì]\b)")


def _asks(text: str) -> bool:
    """Whether a piece of a question asks something (a question word, read with its marks when typed so)."""
    if has_diacritics(text):
        return bool(_ASKS_MARKED.search(unicodedata.normalize("NFC", text).lower()))
    # ("For a survivor who makes her own way home …, which office pays?": the "who" relates, the question comes after)
    return bool(_ASKS.search(_RELATIVE_WHO.sub(" ", fold(text))))


# (", versus who …", "; vs. which …": a second question set against the first, in the same document)
_JOINERS = re.compile(r"(\?\s+(?=\S)|[,;]\s*(?:va|con|and|also|then|versus|vs\.?|as against|compared with)?\s+|"
                      r"\s+(?:va|and)\s+(?:cho biet\s+)?)")
_DOC_REF = re.compile(r"(?i)\b(?:kế hoạch|ke hoach|kh|quyết định|quyet dinh|qđ|qd|luật|luat|nghị định|nghi dinh|plan|decision|law|decree)"
                      r"(?:\s+(?:số|so|no\.?))?\s+(?:\d{1,5}\s*/\s*[\wĐđ/-]+|(?!(?:19|20)\d\d\b)\d{1,5}\b)")
DOCUMENT_REFERENCE = _DOC_REF  # "Kế hoạch 22/KH-BCĐ", "Quyết định 3087": a document named by its number
# A plan or decision by its kind, the abbreviations too ("kế hoạch", "KH", "QĐ"), and by its kind and short number
# ("KH 22", "kế hoạch số 22", "plan 22": not a year, not the start of "22/KH-BCĐ")
PLAN_KINDS = r"kế hoạch|ke hoach|kh|quyết định|quyet dinh|qđ|qd"
KIND_AND_NUMBER = re.compile(rf"(?i)\b(?P<kind>{PLAN_KINDS}|plan|decision)(?:\s+(?:số|so|no\.?))?"
                             r"\s+(?P<number>(?!(?:19|20)\d\d\b)\d{1,5})\b(?!\s*/)")
BARE_DOCUMENT_NUMBER = re.compile(r"(?<![\w/])\d{1,5}\s*/\s*[^\W\d_][\w/-]*")  # "22/KH-BCĐ" without "Kế hoạch" before it
_YEARS = re.compile(r"(?<![\d/.-])(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?(?![\d/])")  # "2024", "2026-2030"
# The words that ask, with what leads into them ("do ai", "ngày nào", "số mấy"): cut from a first part's end, what is left
# is its subject. Written with their marks; a question typed without marks is read with the same words folded.
_ASKING_TAIL_VI = (r"(?:do |bởi |cho |gửi |với )?(?:ai|(?:ngày |năm |tháng |cơ quan |đơn vị |văn bản )?(?:gì|nào)|bao nhiêu|"
                   r"bao lâu|(?:số )?mấy|khi nào|bao giờ|ở đâu|thế nào|ra sao")
_ASKING_TAIL = re.compile(rf"(?i)\s*\b{_ASKING_TAIL_VI}|who|what|when|which|where|how)\b.*$")
_ASKING_TAIL_PLAIN = re.compile(rf"(?i)\s*\b{fold(_ASKING_TAIL_VI)})\b.*$")


def asked_about(question: str) -> str:
    """What a question asks about: its words before the asking tail ("Tội mua bán người dưới 16 tuổi ở khung cơ bản bị
    phạt tù" of "… bị phạt tù bao nhiêu năm?"); "" when nothing is left."""
    if detect_language(question) == "en":  # English asks first: "Which article … deals with trafficking children"
        subject = _subject_of(question)
        return "" if subject == question.rstrip("?").strip() else subject
    return _asking_tail(question).sub("", question.rstrip("?")).strip(" ,;:")


# An owner right after the asking word belongs to the noun it asks of ("quyết định số mấy của Thủ tướng": the Prime
# Minister's decision), not to what is asked.
_OWNER_AFTER_ASKING = re.compile(r"(?i)^\s*(?:số mấy|so may|số bao nhiêu|so bao nhieu|nào|nao|gì|gi)\s+((?:của|cua)\s[^,;?]+)$")


def _owner_kept(tail: re.Match) -> str:
    """The asking tail cut from a subject, but for the owner that follows its asking word."""
    owner = _OWNER_AFTER_ASKING.match(tail.group(0))
    return f" {owner.group(1).strip()}" if owner else ""


def _asking_tail(question: str) -> re.Pattern:
    """The asking words of a question's language and typing (read on the whole question: a short part may pass for
    English)."""
    return _ASKING_TAIL if has_diacritics(question) or detect_language(question) == "en" else _ASKING_TAIL_PLAIN


# An English question's verb put before its subject ("does the plan …"); a part without one has not asked yet.
_INVERTED_VERB = re.compile(r"(?i)(?:^|\b)(does|do|did|is|are|was|were|has|have|had|can|could|will|would|should|must|may)\b")

# Words that point back to what an earlier part asked about (read with their marks: "do ai" is "by whom").
_CLAUSE_POINTER = re.compile(r"\b(so|so that|because|when|if|unless|before|after|while)\s+(it|they|this|these)\b")
# A person named again by a pronoun ("she", "his", "hắn", "người đó"; only marked: "han" typed bare is also "hạn"): the
# person a first part or the case told before named.
_PERSON_POINTER = re.compile(r"(?i)\b(hắn|anh ta|ông ta|bà ta|cô ta|chị ta|cô ấy|anh ấy|chị ấy|ông ấy|bà ấy|em ấy|người đó|"
                             r"he|she|him|her|his)\b")
_PERSON = re.compile(r"(?i)\b(victims?|survivors?|wom[ae]n|girls?|boys?|child(?:ren)?|minors?|teenagers?|daughters?|sons?|"
                     r"mothers?|fathers?|wi(?:fe|ves)|husbands?|brides?|migrants?|workers?|traffickers?|offenders?|suspects?|"
                     r"defendants?|brokers?|person|people|m[ae]n)\b")
_POINTER = re.compile(r"\b(that|it|its|this|these|those|they|them|their|she|her|he|him|his|đó|này|ấy)\b")
# "Khi UBND cấp xã tiếp nhận nạn nhân thì phải thông báo cho ai, và …": the condition has its question already
_CONDITION_MET = re.compile(r"\bthi\b.*\b(ai|nao|gi|bao nhieu|bao lau|khi nao|o dau)\b")
# A case that may or may not hold ("If …", "Nếu …", "Trong trường hợp …"); with a time ("When …", "After …", "Khi …") the
# words a condition may open a question with.
_CASE_FIRST = r"^\s*(if|unless|suppose|in case|neu|gia su|trong truong hop|truong hop)\b"
# A frame put first, before a comma, that every part of a compound question is asked within ("For a child victim, …",
# "Under the 2011 law, …", "Đối với nạn nhân là trẻ em, …").
_FRAME_FIRST = re.compile(r"(?i)^\s*((?:for|under|in the case of|as for|regarding|đối với|doi voi)\s[^,?;:]{6,120}),\s*(?=\S)")
_CONDITION_FIRST = re.compile(rf"{_CASE_FIRST}|^\s*(?:(?:and|but|so|va|con|nhung)\s+)?(once|after|"
                              r"when(?! (?:was|is|are|were|did|does|do|will|would|must|should|can|could|has|have|had)\b)|"
                              r"khi(?! nao))\b")


def opens_with_condition(text: str) -> bool:
    """Whether a question opens with a case that may or may not hold ("If Vietnam and the other country aren't both
    party to a treaty, …", "Nếu …", "Trong trường hợp …"); not a time ("When …", "After the commune notifies it, …")."""
    return bool(re.match(_CASE_FIRST, fold(text)))


# The end of a sentence: ". " or "! " (not after "TP.", "No.", "Art.", "Điều 150." or a decimal point) before more text.
_SENTENCE_END = re.compile(r"(?<![\d.])[.!]\s+(?=\S)")
_ABBREVIATED = re.compile(r"(?i)\b(tp|no|mr|ms|mrs|dr|st|vs|art|etc|cf|q|k|đ|i\.e|e\.g|viz|approx|esp|incl|excl|resp)$")
# How a request or a question opens ("Tell me …", "Cho biết …", "Ai …", "What …"): not a case being told.
_OPENS_ASKING = re.compile(r"^\s*(tell|list|give|name|show|explain|describe|please|cho (toi )?biet|liet ke|hay|xin|"
                           r"what|who|whose|which|when|where|why|how|ai|vi sao|tai sao|the nao|bao nhieu|is|are|does|do|can)\b")


def _story_told_first(question: str) -> str:
    """The sentences that tell a case before the question about it ("Bố mẹ cháu đã chết, người chú bán cháu sang
    Trung Quốc. Chú bị phạt thế nào?" → its first sentence), else ""."""
    ends = [m for m in _SENTENCE_END.finditer(question) if not _ABBREVIATED.search(question[: m.start()])]
    if not ends:
        return ""
    story = question[: ends[-1].end()].strip()
    if "?" in story or _OPENS_ASKING.match(fold(story)) or not question[ends[-1].end():].strip():
        return ""
    return story


# The words of a part that only asks what the law or plan says of what was just asked.
_ONLY_ASKS_THE_LAW = set("luat phap bo quy dinh the nao ra sao nhu gi noi ve viec nay do van ban ke hoach cu what does "
                         "law laws say says how is it this that regulated regulate plan document legal position".split())


def tells_a_case(question: str) -> bool:
    """Whether the question tells a case before asking about it ("Em gái tôi 20 tuổi bị lừa lên Lào Cai … . Người đó
    bị phạt tù bao nhiêu năm?")."""
    return bool(_story_told_first(question))


def question_after_story(question: str) -> str:
    """The question asked after a case told first ("… đã báo lên phòng lao động huyện. Phòng phải tiếp nhận trong
    vòng mấy ngày?" → its last sentence), else ""."""
    story = _story_told_first(question)
    return question[len(story):].strip() if story else ""


def _story_unasked(question: str) -> str:
    """The question with the asking words of a case told first blanked (the relative "who", "which" of "a factory
    owner who made her work"); the question itself when it tells no case first."""
    story = _story_told_first(question)
    if not story:
        return question
    asking = _ASKS_MARKED if has_diacritics(story) else _ASKS
    told = asking.sub(lambda m: " " * len(m.group(0)), unicodedata.normalize("NFC", story).lower())
    return f"{told}{question[len(story):]}"


# The words that end what names a thing ("… with | a one-off cash grant", "… say about | awareness work").
_FUNCTION_WORDS = frozenset("a an the with and or of for to in on at by about from into under over as than her his their its our "
                            "your my this that these those what which who whom how when where is are was were be been get gets "
                            "got can could will would should must may do does did say says said give gives need needs".split())


def _named_again(part: str, first: str) -> str:
    """"that grant" in a later part, and "a one-off cash grant" in the first: the first part's fuller words for it
    ("one-off cash grant"), else ""."""
    m = re.search(r"(?i)\b(?:that|this|the same|those|these)\s+([a-z][a-z-]{2,})\b", part)
    if not m:
        return ""
    noun = m.group(1).lower().rstrip("s")
    said = None
    for said in re.finditer(rf"(?i)\b((?:[\w'-]+\s+){{1,3}}){re.escape(noun)}s?\b", first):
        pass
    if said is None:
        return ""
    words = said.group(1).split()
    words = words[max((i + 1 for i, w in enumerate(words) if w.lower() in _FUNCTION_WORDS), default=0):]
    return " ".join(words + [said.group(0).split()[-1]]) if words else ""


# "… thì sao?": what about it (asked of a part, the first part's question of another subject)
_WHAT_ABOUT = re.compile(r"(?i)\bth(?:ì|i) sao\s*\??\s*$")
# A need the asker tells as the condition (folded): "Nếu muốn vay vốn làm ăn thì sao?", "nếu cần …", "còn nếu có nhu
# cầu …", "What if she wants to borrow money …?": the need is what is asked, of the person named before
_A_NEED_TOLD = re.compile(r"\s*(?:con |va |but |and )?(?:neu (?:\w+ ){0,3}?(?:muon|can|co nhu cau|dinh)|(?:what )?if (?:\w+ ){0,3}?"
                          r"(?:wants?|needs?|would like|plans?|hopes?|prefers?|would rather|\w+['’]d rather))\b")
_PERSON_VI = re.compile(r"(?i)\b(?:nạn nhân|người bị mua bán|trẻ em|phụ nữ|người lao động|người chưa thành niên)\b")


def tells_a_need(question: str) -> bool:
    """Whether a question opens by telling a need ("Nếu muốn vay vốn …", "If she wants to go home on her own, …"):
    what answers it is the sentence on that need, not a list of everything of its kind."""
    return bool(_A_NEED_TOLD.match(fold(question)))


def _need_told(question: str, before: str) -> str | None:
    """For a question that tells a need as its condition, what it is asked of: the person and the place, year or
    document the question before named, not what that one asked ("học nghề và trợ cấp" would outweigh the need,
    the article its answer cited would hold the search there); None for any other question."""
    if not tells_a_need(question):
        return None
    person = ""
    if not _person_in(question):  # ("Nếu nạn nhân cần …": the question names its own)
        found = _person_in(before)
        if found:
            person = found.group(0)
        elif _PERSON_POINTER.search(question):
            # ("Em gái 15 tuổi vừa được giải cứu …" then "nếu em ấy muốn học nghề …": the person a case is told of is
            # the victim, in the texts' word)
            person = "victim" if detect_language(question) == "en" else "nạn nhân"
    return f"{person} {_scope_words(before)}".strip()


def _person_in(text: str) -> re.Match | None:
    """The first kind of person a text names ("nạn nhân", "trẻ em", "victim", "girl"), else None."""
    return _PERSON_VI.search(text) or _PERSON.search(text)


# What a need is set against ("… học nghề thay vì đi học tiếp thì sao", "instead of going back to school"): not what
# is asked, so not searched for (up to the clause's end)
_SET_AGAINST = re.compile(r"(?i)\s+(?:thay vì|thay vi|instead of|rather than)\s+[^,;?]*?(?=\s+(?:thì|thi)\b|[,;?]|$)")


# The frame of a Vietnamese yes-or-no question ("có … không?", "đã … chưa?") and its closing word.
_ONE_YES_NO = re.compile(r"\b(co|da)\b")
_ONE_YES_NO_MARKED = re.compile(r"\b(có|đã)\b")


def _opens_yes_no(text: str) -> bool:
    """Whether a piece of a question opens a "có … không" / "đã … chưa" frame (read with its marks when typed so:
    "cơ quan" opens none)."""
    if has_diacritics(text):
        return bool(_ONE_YES_NO_MARKED.search(unicodedata.normalize("NFC", text).lower()))
    return bool(_ONE_YES_NO.search(fold(text)))
_YES_NO_CLOSE = re.compile(r"(?i)\s*\b(không|khong|chưa|chua)\s*\??\s*$")
# "không" before a word is a negation ("… đối với sở ngành, địa phương không báo cáo định kỳ … không?"), not the
# particle that asks, which closes the question
_NEGATION = re.compile(r"(?i)\b(?:không|khong|chưa|chua)\b(?=\s+\w)")


def _asks_or_inverts(text: str, english: bool) -> bool:
    """_asks(), an English verb put first ("…? And can she ask for a closed trial?", "…, and can he be fined too?") or
    "… thì sao?" ending a later part."""
    # ("…, còn cán bộ lợi dụng chức vụ … thì sao?": "what about …" asks of a part, though not of a whole follow-up)
    # ("Under the 2011 law, can a survivor claim compensation": the verb put first after the frame put first)
    return _asks(text) or bool(english and _INVERTED_VERB.match(
        re.sub(r"(?i)^\s*(?:and|also|but|so)\s+", "", _FRAME_FIRST.sub("", text, count=1)))) \
        or bool(_WHAT_ABOUT.search(text.split("?")[0]))


# A count of items asked (COUNT_ITEMS: "gồm mấy đề án", "how many projects"), then the names of what was counted ("tên
# từng đề án là gì", "đó là những đề án nào", "what are they called", "name them"): one list question, not two.
_NAMES_OF_THOSE = re.compile(r"(?:(?:va|con|and) )?(?:(?:ten|noi dung|ten goi) (?:cua )?(?:tung|cac|moi|nhung)? ?(?:\w+ ){0,2}"
                             r"(?:la gi|the nao|ra sao)|(?:do|chung|cac \w+ do|(?:\w+ )?(?:cu the )?(?:gom|la))"
                             r" (?:la )?(?:nhung|cac)? ?(?:\w+ ){0,2}(?:nao|gi)|"
                             r"what (?:are|were) (?:they|those|these|their names|the names)(?: called| named)?|"
                             r"which (?:ones|are they)|(?:can you |please )?(?:name|list) them|what(?:'s| is) each (?:one )?called)$")


# The verbs the plans list two or three at a time for one task ("kiểm tra, giám sát", "phát hiện, ngăn chặn, xử lý")
_ACTION_VERBS = (r"(kiem tra|giam sat|quan ly|huong dan|don doc|thanh tra|theo doi|tuyen truyen|phat hien|ngan chan|xu ly|"
                 r"dieu tra|truy to|xet xu|tiep nhan|xac minh|giai cuu|bao ve|ra soat|check|inspect|monitor|supervise|"
                 r"oversee|manage|detect|prevent|investigate|prosecute|verify|rescue|protect)")
_ACTION_VERB_END = re.compile(rf"\b{_ACTION_VERBS}\s*$")
_ACTION_VERB_START = re.compile(rf"\s*{_ACTION_VERBS}\b")


def split_parts(question: str, pointers: bool = True, scoped: bool = False) -> tuple[str, ...]:
    """The sub-questions of a compound question ("… căn cứ luật nào, ban hành ngày nào?"), else ().

    A split is kept only when every part asks something of its own (a question word), so
    "Sở Y tế và Công an tỉnh làm gì?" stays one question. `pointers`: whether "it", "đó" in a later part point
    back to the first part's subject (not when a topic put first is what they point to); `scoped`: a topic put first
    names the place, years or document, so no part borrows the first part's (its "Chương trình 2021-2025" is no plan's)."""
    folded = fold(question)
    if len(folded) != len(question) or SAME_ELSEWHERE.search(folded):
        return ()  # ("…, và kế hoạch 2026-2030 có giống vậy không?" is answered by each plan's records, side by side)
    whoever = _WHOEVER.match(question)
    if whoever:  # read without the "nào" that asks nothing, then given back its words
        said = question[: whoever.end(1)]
        unasked = question[: whoever.start(1)] + "kia" + question[whoever.end(1):]
        return tuple(part.replace(unasked[: whoever.end(1)], said, 1) for part in split_parts(unasked))
    story = _story_told_first(question)
    if story:
        # "An uncle sold his niece, whose parents died, to a man across the border. What prison term …?": what
        # the case tells is no question (its "whose", "who" relate, not ask); only the question after it may split,
        # each part asked of the whole case
        return tuple(f"{story} {part}" for part in split_parts(question[len(story):].strip(), pointers))
    # "quản lý xuất khẩu lao động: Quảng Ninh 2011 giao ai, Ninh Bình 2026 giao ai?": a topic put first, then the
    # questions about it; each part is asked of the topic.
    head = re.match(r"^([^:?]{8,160}):\s*(?=\S)", question)
    if head and not _asks(head.group(1)):  # (read with its marks: "Đầu mối …" does not ask "đâu")
        parts = split_parts(question[head.end():], pointers=False,  # "For the 2026 plan: …, and which hotline does it name"
                            scoped=bool(_scope_words(head.group(1))))
        numbered = _NUMBERED.search(parts[0]) if parts and not _NUMBERED.search(head.group(1)) else None
        if numbered:
            # "Quang Ninh 2011-2015 plan: what is Project 2 about, who leads it and which agencies take part?": the
            # numbered part the first part names is what the later ones ask of, unless they name their own
            parts = (parts[0], *(part if _NUMBERED.search(part) else f"{part.rstrip('?')} ({numbered.group(0)})?"
                                 for part in parts[1:]))
        return tuple(f"{head.group(1).strip()}: {part}" for part in parts)
    # "in operational prevention, which force leads, and how broadly should the investigative work reach?": a topic put
    # first as a phrase, then the questions about it; each part is asked of the topic.
    head = re.match(r"^((?:in|for|regarding|as for|as regards|with regard to|on the (?:subject|question) of|trong|về|ve|"
                    r"đối với|doi voi)\s[^,:?]{3,80}),\s*(?=\S)", question, re.IGNORECASE)
    if head and not _asks(head.group(1)):
        parts = split_parts(question[head.end():], pointers=False)
        return tuple(f"{head.group(1).strip()}, {part}" for part in parts)
    # "Apart from what every people's committee must do, what else must the commune do?": what is set aside first asks
    # nothing, whatever its words ("what … must do"); the rest may still ask two things, each beside it
    aside = re.match(rf"^((?:{ASIDE_EN}|ngoài|ngoai)\s(?!ra\b)[^,?]{{3,100}}),\s*(?=\S)",
                     question, re.IGNORECASE)
    if aside:
        parts = split_parts(question[aside.end():], pointers=False)
        return tuple(f"{aside.group(1).strip()}, {part}" for part in parts)
    cuts = [0]
    condition_start = condition_end = 0
    sentence_cut = False
    english = detect_language(question) == "en"  # "can cu" typed without marks is "căn cứ", not "can"
    for m in _JOINERS.finditer(folded):
        before, after = question[max(cuts[-1], condition_end) : m.start()], question[m.end() :]
        if cuts[-1] >= condition_end and _CONDITION_FIRST.match(fold(before)) and not _CONDITION_MET.search(fold(before)):
            # "If … by an organised group, what prison range …?": a condition belongs to the question after it
            condition_start, condition_end = max(cuts[-1], condition_end), m.end()
            continue
        if re.match(r"(?i)(or|hay|hoặc|hoac)\b", after.strip()) and not re.search(
                r"\b(what|which|who|whom|where|when|how|gi|nao|ai|dau|bao nhieu|sao)\b", fold(after.split("?")[0])):
            # "… always trafficking, or is there an exception?": the other half of one yes-or-no question (not "…, hay
            # chỉ được hỗ trợ những gì?", which asks on its own)
            continue
        if m.group(0).startswith(",") and _ACTION_VERB_END.search(fold(before)) and _ACTION_VERB_START.match(fold(after)):
            # "ai chủ trì kiểm tra, giám sát mấy cty … vậy?": two verbs of one task ("kiểm tra, giám sát"), the first with
            # no object of its own, not two questions
            continue
        if english and _INVERTED_VERB.match(after) and not _INVERTED_VERB.search(before) \
                and not re.search(r"(?i)\b(?:what|who|which|where|when|how)['’]s\b", before):
            continue  # "Which NGOs, by name, does the plan name?": the question's own verb follows the aside
        # (a yes-or-no first part ends at "?" or "and": "Can a trafficker convicted under Article 150, where the victims
        # were adults, get a life sentence?" is one question with an aside)
        first_asks = _asks(before) or (bool(re.search(r"\?|\band\b", m.group(0))) and _asks_or_inverts(before, english))
        if first_asks and _asks_or_inverts(after, english) and len(re.findall(r"\w+", after)) >= 2:
            # the part after must ask on its own, not continue a list ("Sở Y tế, Công an làm gì")
            nxt = _JOINERS.search(folded, m.end())
            while nxt and nxt.group(0).strip() == "va" and re.search(r"\w|\?", m.group(0)) \
                    and not _asks_or_inverts(question[m.end() : nxt.start()], english):
                # ("…, còn Sở KH&ĐT và Sở Tài chính được giao làm gì?": the "và" joins the bodies the part asks of)
                nxt = _JOINERS.search(folded, nxt.end())
            own = question[m.end() : nxt.start() if nxt else len(folded)]
            if m.group(0).startswith("?"):
                # "…, where can they report it? And once a survivor turns up …, who …?": a new sentence after a
                # question is a question of its own, though it opens with its own condition
                cuts.append(m.end())
                sentence_cut = True
                continue
            if not m.group(0).startswith("?") and _opens_yes_no(before) \
                    and not _asks(_NEGATION.sub(" ", _YES_NO_CLOSE.sub("", own))) and _YES_NO_CLOSE.search(own) \
                    and not _opens_yes_no(own):
                # "… có đề cập gì tới đánh bắt cá trái phép và lao động bị ép buộc trên tàu cá không?", "… có yêu cầu gì
                # về phiên dịch, nói chuyện … bằng thứ tiếng họ hiểu không?": the second thing the one "có … không" asks
                # about, not a question of its own ("… và có kinh phí không?" has its own "có")
                continue
            if m.group(0).strip() == "and":
                # "and" joins two questions only when the second opens by asking ("… and when was it issued"),
                # not in "the labour and social affairs department … do?" nor "what rights and obligations does
                # Article 6 give" (Vietnamese asks at the end: "và … nào")
                own = " ".join(re.findall(r"\w+", own)[:1])
            if _asks_or_inverts(own, english):
                cuts.append(m.end())
    if len(cuts) < 2:
        return ()
    pieces = [question[a:b] for a, b in zip(cuts, cuts[1:] + [len(question)])]
    parts = [re.sub(r"^[\s,;?]*(?:(?:[Vv]à|va|[Cc]òn|con|[Aa]nd|[Aa]lso|[Tt]hen)\b)?[\s,]*|"
                    r"[\s,;]*(?:\b(?:và|va|còn|con|and|versus|vs\.?|as against|compared with))?[\s,;?]*$", "", p)
             for p in pieces]
    parts = [p.rstrip("?").strip() + "?" for p in parts if len(p.strip()) > 3]
    # "…? Luật quy định thế nào?", "… — what does the law say?": the same question asked of the law, not another part
    parts = parts[:1] + [p for p in parts[1:] if set(re.findall(r"[a-z]+", fold(p))) - _ONLY_ASKS_THE_LAW]
    if len(parts) < 2:
        return ()
    if all(re.fullmatch(r"(?:trong |for |(?:and )?for )?(?:bao lau|how long)(?: nua)?", fold(p).strip(" ?")) for p in parts[1:]):
        return ()  # "… được hỗ trợ những gì và trong bao lâu?": one sentence says both, what and for how long
    if len(parts) == 2 and COUNT_ITEMS.search(fold(parts[0])) and _NAMES_OF_THOSE.match(fold(parts[1]).strip(" ?")):
        return ()  # "… gồm mấy đề án, tên từng đề án là gì?": one list, its items named and counted
    first_slot = detect_slot(fold(parts[0]))
    if first_slot == "penalty" and all(len(re.findall(r"\w+", fold(p))) <= 5 and detect_slot(fold(p)) == first_slot for p in parts[1:]):
        return ()  # "… áp khung nào, tù bao nhiêu năm?": the same question asked twice over, not two
    # A later part that names no document borrows the first part's reference ("22/KH-BCĐ … ban hành ngày nào").
    reference = " ".join(m.group(0) for m in _DOC_REF.finditer(question))
    places = " ".join(name for name, _s, _e in find_provinces(question))
    years = " ".join(m.group(0) for m in _YEARS.finditer(question) if int(m.group(0)[:4]) in plan_years(question))
    out = [parts[0]]
    # A later part that is only a question word ("…, khi nào?") asks about the first part's subject.
    subject = _asking_tail(question).sub(_owner_kept, parts[0].rstrip("?")).strip()
    # ("Điều kiện để được nhận khoản trợ cấp đó là gì, nhận mấy lần?": the subject, not the copula that asked of it)
    subject = re.sub(r"(?i)\s+(?:là|la|is|are)$", "", subject)
    if not subject and not english and (opened := _OPENING_ASK.match(parts[0])):
        # "Ai cấp giấy xác nhận nạn nhân, và vào lúc nào?": asked first, the subject is what follows the asking words
        subject = parts[0][opened.end() :].rstrip("?").strip()
    pointed = _subject_of(parts[0].rstrip("?")) if detect_language(parts[0]) == "en" else subject
    if pointed == parts[0].rstrip("?") and english and _INVERTED_VERB.match(parts[0].strip()):
        # "Can a trafficking trial be held behind closed doors, and who gets to request that?": what "that" is
        pointed = _INVERTED_VERB.sub("", parts[0].rstrip("?"), count=1).strip()
    # A condition put first holds for every part ("Nếu nạn nhân dưới 16 tuổi, … bao nhiêu năm tù, và phạt tiền …?").
    # (only within one sentence: after "… report it? And once …" the first sentence's "If …" holds no more)
    # (a condition that opens a later part — "…, and when the police rescue someone, who issues …" — is that part's own)
    condition = question[:condition_end].strip(" ,") if condition_end and not condition_start and not sentence_cut else ""
    case = re.match(r"^(.{15,}?)\s+(th[iì])\s+", parts[0])
    if not condition and case and not _asks(case.group(1)) and not sentence_cut:
        # "đối tượng lừa bán 3 cháu bé sang Trung Quốc thì bị phạt tù bao nhiêu năm, còn phạt tiền tối đa bao nhiêu?":
        # the case before "thì" is the case of every part
        condition = case.group(0).strip()
    frame = _FRAME_FIRST.match(parts[0])
    if not condition and frame and not _asks(frame.group(1)):
        # "For trafficking a child under 16 with no aggravating factors, what's the base range, and how large can the
        # fine be?", "Đối với nạn nhân là trẻ em, …": the frame put first holds for every part
        condition = frame.group(1).strip()
    asked_noun = re.match(r"(?i)\W*(?:which|what)\s+(?!(?:is|are|was|were|does|do|did|has|have|one|ones)\b)([a-z-]+)\b", parts[0])
    for part in parts[1:]:
        if asked_noun:
            # "Which ministry polices …, and which one oversees …?": "one" is the first part's noun
            part = re.sub(r"(?i)^(\W*(?:which|what))\s+ones?\b", lambda m: f"{m.group(1)} {asked_noun.group(1)}", part)
        if condition and condition.endswith((" thì", " thi")):
            part = part if re.search(r"\bth[iì]\b", part) else f"{condition} {part}"
        elif condition:
            part = f"{condition}, {part}"
            if pointers and english and (person := _person_asked_of(parts[0], part)):
                # "Under the 2011 law, can a survivor claim compensation, and do they have to cooperate …?": they are the
                # person the first part asked of, within the frame
                part = f"{part.rstrip('?')} ({person})?"
        elif (len(re.findall(r"\w+", fold(part))) <= 3 or _asks_only_when(part, parts[0])) \
                and (subject or pointed != parts[0].rstrip("?")):
            # "…, to whom?": the subject of the first part ("the reporting arrangements under the … plan")
            part = f"{subject or pointed} {part}"
        elif re.match(r"(?i)\s*(if so|if yes|if that is so|if it can|nếu (vậy|có|được)|neu (vay|co|duoc))\b", part):
            # "Can a case be tried behind closed doors? If so, who can ask for that?": asked of what the first part asked
            part = f"{part.rstrip('?')} ({pointed if pointed != parts[0].rstrip('?') else parts[0].rstrip('?')})?"
        elif _WHAT_ABOUT.search(part) and not _asks(_WHAT_ABOUT.sub("", part)):
            # "…, còn người chưa thành niên đi cùng nạn nhân thì sao?": what the first part asked, of another subject;
            # "Nếu muốn vay vốn làm ăn thì sao?": a need of the first part's subject, asked instead of what it asked
            # ("học nghề và trợ cấp" would outweigh the need)
            told = _need_told(part, parts[0])
            if told is None:
                part = f"{part.rstrip('?')} ({parts[0].rstrip('?')})?"
            else:
                part = _SET_AGAINST.sub("", part)
                part = f"{part.rstrip('?')} ({told})?" if told else f"{part.rstrip('?')}?"
        elif pointers and english and (fuller := _named_again(part, parts[0])):
            # "…a one-off cash grant, and which office pays out that grant?": the grant the first part named, in its words
            part = f"{part.rstrip('?')} ({fuller})?"
        elif pointers and _PERSON_POINTER.search(part) and _PERSON.search(parts[0]) and not _PERSON.search(part):
            # "Is it against the law to reveal a survivor's details …? And can she ask for a closed trial?": she is the
            # person the first part named
            part = f"{part.rstrip('?')} ({_PERSON.search(parts[0]).group(0)})?"
        elif pointers and _POINTER.search(part.lower()) and pointed and pointed != parts[0].rstrip("?") \
                and not _CLAUSE_POINTER.search(part.lower()):
            # (not a pointer that opens a clause of the part's own: "which one supervises study abroad so it isn't abused")
            # "các cơ sở này" after "Cơ sở bảo trợ xã hội công lập phối hợp với …": the body its noun names, not the
            # first part's subject with its verb
            named = _body_pointed_at(part, parts[0])
            part = f"{part.rstrip('?')} ({named or pointed})?"  # "how far can that be stretched": what "that" is
        extra = []
        # ("…, còn BR-VT …": the first part's plan and years are another place's)
        borrows = not find_provinces(part) and not scoped
        if borrows and reference and not _DOC_REF.search(part):
            extra.append(reference)
        if borrows and places:
            extra.append(places)
        if borrows and years and not plan_years(part):
            extra.append(years)
        out.append(f"{part.rstrip('?')} ({' '.join(extra)})?" if extra else part)
    # (a part cut at a dash keeps no dash before its "?": "When did the law come into force?")
    return tuple(re.sub(r"\s*[—–-]+\s*\?$", "?", part) for part in out)


# The asking words a Vietnamese question may open with ("Ai …", "Cơ quan nào …", "Những đơn vị nào …")
_OPENING_ASK = re.compile(r"(?i)^\s*(?:(?:những|nhung|các|cac)\s+)?(?:ai|(?:cơ quan|co quan|đơn vị|don vi|bộ|bo|sở|so|ngành|nganh|"
                          r"bên|ben|lực lượng|luc luong)\s+(?:nào|nao))\s+(?=\w)")


# The words that ask when or for how long, which name nothing of their own
_WHEN_WORDS = frozenset("vao luc nao khi bao gio lau trong thoi han ngay thang nam may ke tu when how long by".split())


def _asks_only_when(part: str, first: str) -> bool:
    """Whether a later part says nothing the first did not but when ("Ai cấp giấy …, và cấp vào lúc nào?")."""
    words = set(re.findall(r"\w+", fold(part)))
    return bool(words & {"nao", "gio", "lau", "when", "long"}) and words <= _WHEN_WORDS | set(re.findall(r"\w+", fold(first)))


def _person_asked_of(first: str, part: str) -> str:
    """The person a first English part asks of, right after its verb ("can a trafficking survivor claim …" → "survivor"),
    when the later part points back with a pronoun ("do they …", "must she …") and names no person; else ""."""
    if not (_PERSON_POINTER.search(part) or re.search(r"(?i)\b(they|them|their)\b", part)) or _PERSON.search(part):
        return ""
    m = re.search(r"(?i)\b(?:can|could|may|must|should|does|do|is|are|will|would)\s+(?:(?:a|an|the|this|that)\s+)?"
                  r"(?:[\w-]+\s+){0,2}?" + _PERSON.pattern.removeprefix("(?i)"), _FRAME_FIRST.sub("", first, count=1))
    return m.group(m.lastindex) if m else ""


def _body_pointed_at(part: str, first: str) -> str:
    """"các cơ sở này", "cơ quan đó" in a later part: the body the first part names that the pointer's noun begins
    (as the first part writes it), else ""."""
    m = re.search(r"(?i)\b(\w+(?: \w+)?)\s+(?:này|đó|ấy)\b", part)
    if not m:
        return ""
    noun = m.group(1).lower().split()[-1] if m.group(1).lower().split()[0] in ("các", "những") else m.group(1).lower()
    for mention in find_agencies(first):
        written = first[mention.start : mention.end]
        if written.lower().startswith(noun):
            return written
    return ""


def _two_documents(text: str) -> bool:
    """Whether the text names two provinces or two years."""
    return (len({name for name, _s, _e in find_provinces(text)}) >= 2
            or len(set(_YEARS.findall(text))) >= 2)  # ("2011–2015" is one)


def _sets_side_by_side(question: str) -> bool:
    """"… the same in plan A and in plan B?" or "Are … in A and B the same?": a yes-or-no comparison."""
    folded = fold(question)
    same = ASKS_IF_SAME.search(folded)
    if not same or len(folded) != len(question):
        return False
    if _two_documents(question[same.end():]):
        return True
    # (the yes-or-no question after what the asker says first: "Quick check for our donor report: were …")
    asked = folded.rsplit(":", 1)[-1] if ":" in folded[: same.start()] else folded
    # "Did A and B give the same department the lead on …?": what follows "the same" is what is compared
    return bool(_YES_NO_OPENING.match(asked) and _two_documents(question[: same.start()]))


# "Kế hoạch ACTIP do Uỷ ban nhân dân tỉnh … ban hành", "the plan issued by the provincial People's Committee": who issued
# the document the question names, not an agency it asks about.
_ISSUER = re.compile(r"\b(?:do|boi|by)\s+.{3,80}?\s+(?:ban hanh|ky ban hanh|phe duyet|issued|signed|approved)\b")


def _without_issuer(question: str) -> str:
    """The question with the phrase naming its document's issuer blanked."""
    return _blanked(question, _ISSUER)[0]


def _replaced_on_folded(text: str, pattern: re.Pattern, replacement: Callable[[re.Match], str]) -> tuple[str, bool]:
    """The text with what `pattern` finds in its folded form replaced, as typed around it, and whether it found any;
    the text as it is when folding changes its length (its offsets would not be the text's)."""
    folded = fold(text)
    found = list(pattern.finditer(folded)) if len(folded) == len(text) else []
    for m in reversed(found):
        text = text[: m.start()] + replacement(m) + text[m.end() :]
    return text, bool(found)


def _blanked(question: str, pattern: re.Pattern) -> tuple[str, bool]:
    """The question with what `pattern` finds in its folded form blanked (the same length, so other spans still hold),
    and whether it found any; the question as it is when folding changes its length."""
    return _replaced_on_folded(question, pattern, lambda m: " " * (m.end() - m.start()))


# --- the one entry point -------------------------------------------------------------------
# "nếu không chắc nạn nhân bao nhiêu tuổi thì phải xử lý thế nào": what is asked follows "thì" (the age is the condition)
# (after the document it is asked of: "Theo kế hoạch … của Bà Rịa – Vũng Tàu, nếu … thì …")
_CONDITION_THEN = re.compile(r"^\s*(?:[^?,]{0,120},\s*)?(?:neu|khi|trong truong hop|truong hop)\b.{3,200}?\bthi\s+(.+)$|"
                             # a case told with what is not known of it ("Gặp nạn nhân không rõ bao nhiêu tuổi … thì phải
                             # đối xử thế nào?"): its "bao nhiêu" says what is unknown, it asks nothing
                             r"^[^?]{0,120}\b(?:khong|chua) (?:ro|biet|chac chan|xac dinh duoc|xac dinh)\b[^?]{3,160}?\bthi\s+(.+)$")


def _asked_after_condition(folded: str) -> str:
    """A folded question without the condition it opens with, when what follows "thì" asks something of its own
    (a slot read there: "… bao nhiêu tuổi thì phải xử lý thế nào" asks how to act, not an age); else the question."""
    m = _CONDITION_THEN.match(folded)
    asked = m and (m.group(1) or m.group(2))
    if asked and len(asked.split()) >= 3 and re.search(r"\b(the nao|ra sao|gi|nao|ai|bao nhieu|bao lau|khi nao|o dau|"
                                                        r"co duoc|khong)\b", asked):
        return asked
    return folded


def _times_named(folded: str) -> set[str]:
    """The years, periods and document numbers a question names, a period once ("2026-2030" is one plan's time, not
    two; "22/KH-BCD plan with its 2026-2030 plan" names two)."""
    return {m.group(0) for m in _YEARS.finditer(folded)} | set(BARE_DOCUMENT_NUMBER.findall(folded))


# A list asked of bodies in a role: the list cue, then the bodies, then the role ("liệt kê đầy đủ các cơ quan phối hợp",
# "kể tên các đơn vị tham gia", "list all the agencies that coordinate", "name every body involved in").
_BODIES_LISTED = re.compile(r"\b(?:liet ke|ke ten|ke ra|list|name)(?: (?:day du|het|tat ca|toan bo|all|every|each))*"
                            r"(?: (?:cac|nhung|the|of the))* (?:co quan|don vi|so,? nganh|luc luong|agenc(?:y|ies)|bodies|body|"
                            r"departments?|authorit(?:y|ies)|organi[sz]ations?)\b(?: (?:nao|that|which|who))?(?: (?:will|must|should|are|is))?"
                            r" (?:phoi hop|chu tri|tham gia|coordinat\w*|lead\w*|take part|taking part|involved|support\w*)")


# "bên nào được đề nghị chủ trì …", "Tòa án được đề nghị làm gì", "who is asked to lead …": the role of a body the plan
# requests (a court, the procuracy, which a province's committee cannot assign), on the folded question
REQUEST_ASKED = re.compile(r"\b(duoc( \w+){0,4} de nghi|(is|are|was|were|gets?|got) (being )?(asked|requested|invited) to)\b")
# "ai thì được coi là nạn nhân", "who counts as a victim": a term's definition, asked by the person it names
_WHO_COUNTS_AS = re.compile(r"^\W*(ai|nhung ai|nguoi nao|who) (thi )?((duoc|bi) (coi|xem) la|counts? as|(is|are) (considered|regarded as|deemed))\b")


def classify(question: str) -> tuple[str, str]:
    """(intent, role) of a single question, without history."""
    # "AI" inside a question is the acronym ("any AI or big-data tools", "có ứng dụng AI không"), not "ai" (who) folded;
    # opening one, it is "ai" typed in capitals ("AI chủ trì …?")
    question = re.sub(r"(?<=\S)(\s+)AI\b", r"\1A.I.", question)
    folded = fold(question)
    if _AI_WHOEVER.match(folded):  # "Ai giả làm nạn nhân … thì bị xử lý thế nào?": whoever does it, asked what befalls them
        question = re.sub(r"^(\W*)\w+", r"\1Người", question, count=1)
        folded = fold(question)
    if meta_kind(question):
        return "particular", "lead"
    if _WHO_COUNTS_AS.search(folded):
        return "fact", "lead"  # "ai thì được coi là nạn nhân?": what the law counts as a victim, no body asked for
    if _CHANNEL.search(folded) or _RECIPIENT.search(folded) or _AUDIENCE.search(folded):
        # the office a report goes through, or to, is written beside it ("gửi về Ban Chỉ đạo … (qua Công an tỉnh)"); the
        # people an activity is for, in the sentence that tells it
        return "fact", "lead"
    if (_COMPARE.search(folded) and (_COMPARE_SPAN.search(folded) or len(_times_named(folded)) >= 2
                                     or len({name for name, _s, _e in find_provinces(question)}) >= 2)) \
            or _BEFORE_NOW.search(folded) or _sets_side_by_side(question):
        return "compare", "lead"
    legacy = detect_intent(question)
    who_word = bool(_WHO_WORD.search(_RELATIVE_WHO.sub(" ", folded)))
    # "Article 150 vs Article 151: which requires force or deception?": "which" chooses between the articles named
    # (_BODY_ASKED, not who_word: "which requires force" would read as "which … force", the police)
    articles_chosen = len(articles_named(question)) >= 2 and not _BODY_ASKED.search(folded)
    named = agencies_in(_without_issuer(without_askers_body(question)))
    # ("… tự trốn về, không qua cơ quan đại diện Việt Nam, thì …": a body named as the way the case went is not asked of)
    named = [name for name in named if name not in agencies_named_as_route(question)]
    if not named and _set_aside(folded):
        named = asked_agencies(question)  # "Ngoài …, huyện còn có trách nhiệm gì?": that level's People's Committee
    asks_a_value = detect_slot(folded) in ("date", "day", "number", "percent", "age", "money", "penalty", "law", "decree")
    if _PERSON_ASKED.search(folded):
        return "fact", "lead"  # "the name of the provincial police director": a person, not the police's tasks
    # (a question that opens with the situation it asks about — "Khi tiếp nhận nạn nhân là trẻ em, Phòng Lao động … phải xử
    # lý thế nào?", "When a child victim is received, what must the labour office do?" — asks what the law says of that
    # situation, not every task of the agency it names)
    # ("What essential services should victim support facilities strengthen?" asks for items by a plural noun, not
    # everything the facilities must do)
    items_asked = bool(_PLURAL_ASKED.search(_without_agencies(folded))) and not _TASKS_OF.search(folded) and not re.search(
        r"\b(which|what) (\w+ )?(tasks|duties|responsibilities|roles|jobs|assignments|obligations)\b", folded)
    own_duties = _without_duties_of_others(folded)
    if named and not who_word and not asks_a_value and not _CONDITION_FIRST.match(folded) and (
            _TASKS_OF.search(own_duties) or (_ASKS_WHAT.search(folded) and _WORK.search(_without_agencies(own_duties))
                                             and not items_asked)):
        # ("how long do the police have to reply" asks a time limit, not the police's tasks)
        return "tasks_of", "lead"
    yes_no_role = bool(named and _YES_NO.search(folded) and _ROLE_ASKED.search(_without_agencies(folded)))
    # ("… thì cơ quan Việt Nam phối hợp giải quyết vụ việc theo nguyên tắc nào?" asks the principle, not the body named)
    thing_asked = bool(_THING_ASKED.search(folded))
    if not articles_chosen and (legacy in ("who_leads", "who_coordinates") and not thing_asked
                                or (who_word and not _NOT_WHO.search(folded)) or yes_no_role):
        # "Có phải Sở Y tế chủ trì …?", "Is the police in charge of …?": answered by who is, so the reader sees
        # whether it is the agency named
        if _PERSON_ASKED.search(folded):
            return "fact", "lead"
        role = "coordinating" if legacy == "who_coordinates" or _WHO_PARTNER.search(folded) \
            or SUPPORTING_A_BODY.search(folded) else "lead"
        return "who", role
    counted = COUNT_ITEMS.search(folded) and not _PER_UNIT.search(folded) and counts_items(folded)
    if _PERMISSION.search(folded) and not _WHICH_ITEMS.search(folded):
        return "fact", "lead"  # "Can the district make public the list of survivors?": yes or no, not the list
    if _CITES_WHICH.search(folded):
        return "fact", "lead"  # "Which Penal Code articles does it cite?": the sentence that cites them, not a list
    if _ANYTHING_ABOUT.search(folded) and _opens_yes_no(question) and not _ITEMS_WORDS.search(folded):
        return "fact", "lead"  # "KH … có yêu cầu gì về phiên dịch … không?": whether it says anything of it, not a list
    listed_bodies = _BODIES_LISTED.search(folded)
    if listed_bodies:
        # "Liệt kê đầy đủ các cơ quan phối hợp với Công an tỉnh …", "list every agency that takes part in …": the bodies a
        # task record names in that role (the plan's "Cơ quan phối hợp: …" line), not the items of the list around it
        return "who", "coordinating" if re.search(r"phoi hop|tham gia|coordinat|take part|taking part|involved|support",
                                                  listed_bodies.group(0)) else "lead"
    if LIST_CUES.search(folded) or counted or _PLURAL_ASKED.search(folded) or _duties_of_a_party(folded, named):
        return "list", "lead"  # the list strategy answers only where a list does (answer/lists.py)
    return "fact", "lead"


def asks_duties_of_a_party(question: str) -> bool:
    """Whether a question asks the duties of a party no agency names ("Nhà trường phải làm gì …?"), as classify reads it."""
    return _duties_of_a_party(fold(question), agencies_in(_without_issuer(without_askers_body(question))))


def _duties_of_a_party(folded: str, named: list[str]) -> bool:
    """"Nhà trường phải làm gì …?", "what must schools do …?": the duties of a party no agency names — not those of a
    case ("what should officials do if they can't confirm …?" asks the one sentence that says so)."""
    return (not named and bool(_DUTIES_ASKED.search(folded)) and not _CONDITION_FIRST.match(folded)
            and not _A_CASE_TOLD.search(folded))


_DUTIES_ASKED = re.compile(r"\b(phai|can|nen) (lam|thuc hien) (gi|nhung gi|nhung viec gi)\b|"
                           r"\bco (nhung )?(nhiem vu|trach nhiem|nghia vu) (gi|nao)\b|"
                           r"\bwhat (\w+ ){0,8}(must|should|has to|have to|is required to|are required to|needs? to) (\w+ ){0,4}do\b|"
                           r"\b(what are|list) the (duties|obligations|responsibilities) of\b|"
                           # "What does Law 66 expect schools to do?", "what is expected of schools?"
                           r"\bwhat ([\w/.-]+ ){0,6}expects? (\w+ ){1,4}to do\b|\bwhat is expected of\b")
# a case or a setting-aside before the duty asked ("Kẻ giả mạo là nạn nhân … thì ngoài bị xử lý … còn phải làm gì?"), a
# case anywhere in English ("… if they can't confirm …"): the one clause that says it answers
_A_CASE_TOLD = re.compile(r"\b(thi|neu|khi|ngoai)\b.*\b(phai|can|nen) (lam|thuc hien)\b|\b(if|when|in case|unless)\b")


# "Which Penal Code articles does it cite?", "dẫn chiếu những điều nào": the provisions a sentence refers to
_CITES_WHICH = re.compile(r"\b(which|what)\b.{0,60}\b(cite[sd]?|refer(s|red)? to|point(s|ed)? to)\b|"
                          r"\b(dan chieu|vien dan)\b.{0,60}\b(nao|gi)\b")
# "có … gì … không?": whether a text says anything of a topic (a yes or no, shown by the sentence that says it) …
_ANYTHING_ABOUT = re.compile(r"\bco\b[^?]{0,80}\bgi\b[^?]{0,160}\bkhong\s*\??\s*$")
# … unless the whole list is asked ("có những hình thức gì … không, liệt kê giúp")
_ITEMS_WORDS = re.compile(r"\b(liet ke|ke ra|ke ten|ke het|nhung|cac|gom|bao gom)\b")


# What a question asks for by its noun ("theo nguyên tắc nào", "bằng hình thức gì", "on what basis"): a thing the
# sentence states, not the body the question names on its way ("cơ quan … phối hợp … theo nguyên tắc nào").
# (not "cơ sở nào": a facility, which is a body)
_THING_ASKED = re.compile(r"\b(nguyen tac|hinh thuc|bien phap|dieu kien|phuong thuc|cach thuc|tieu chi|thu tuc|quy trinh|"
                          r"giay to|ho so|che do)\s+(nao|gi)\b|\b(on|by|under|according to)? ?(what|which)\s+"
                          r"(principles?|basis|grounds?|procedures?|conditions?|criteria|forms?|documents? of proof)\b")

# Whether something may be done: "Can the district …?", "Is it allowed to …?", "Có được … không?".
# (not "can you list …": a request)
_PERMISSION = re.compile(r"^\s*(?:can|may)\s+(?!you\b|i (?:see|have|get)\b)\w+|^\s*is it (?:allowed|legal|lawful|permitted)\b|"
                         r"\b(?:co duoc|duoc phep)\b.*\bkhong\s*\??\s*$")
_WHICH_ITEMS = re.compile(r"\b(what|which|nhung gi|nhung \w+ nao|nhung nao)\b")

# "chia mấy giai đoạn", "có bao nhiêu đề án", "how many projects": a count of the items of a list (answer/lists.py
# counts them; a figure stated in a sentence is still found there when no list is named so).
# (a figure of people, cases or time, after at most one word that qualifies it: "how many trafficking victims",
# "bao nhiêu vụ án", is no list)
# What a list is made of ("bao nhiêu mục tiêu", "how many main objectives"), not things in the world a plan may set a
# figure for ("bao nhiêu CLB di cư an toàn", "how many safe-migration clubs": a number asked, which a list of the
# plan's objectives does not give)
_LIST_NOUNS = re.compile(
    r"\b(muc tieu|chi tieu|nhiem vu|giai phap|de an|du an|noi dung|hoat dong|bien phap|nhom|phan|muc|dieu|khoan|diem|"
    r"buoc|giai doan|hinh thuc|loai|chuong|co quan|don vi|so|nganh|thanh vien|nguyen tac|quyen|nghia vu|hanh vi|tinh tiet|"
    r"truong hop|yeu cau|quan diem|chinh sach|che do|y|van ban|quyet dinh|ke hoach|"
    r"objectives?|goals?|targets?|tasks?|projects?|measures?|steps?|phases?|stages?|items?|parts?|points?|articles?|"
    r"clauses?|chapters?|sections?|groups?|forms?|kinds?|types?|agencies|bodies|departments|organi[sz]ations|members|"
    r"principles|rights|obligations|acts|circumstances|activities|solutions|priorities|areas|fields|duties|"
    r"responsibilities|requirements|policies|documents|decisions|plans|categories|components|elements|ways)\b")


def counts_items(folded: str) -> bool:
    """Whether "bao nhiêu …" / "how many …" counts the items of a list (its noun within the next three words)."""
    m = COUNT_ITEMS.search(folded)
    return bool(m) and bool(_LIST_NOUNS.search(" ".join(folded[m.end(1):].split()[:3])))


# "how many communicators per commune", "mỗi xã bao nhiêu tuyên truyền viên": a figure for each unit, not a list counted
_PER_UNIT = re.compile(r"\b(per|each|every|moi|/)\s+\w+")
COUNT_ITEMS = re.compile(r"\b(bao nhieu|may|how many)\s+(?!(?:[a-z-]+\s+)?(nam|ngay|thang|tuoi|lan|gio|nguoi|vu|phan tram|ty|trieu|"
                          r"dong|tien|nan|doi|ca|years?|days?|months?|hours?|times|people|persons|cases|percent|victims?|"
                          r"children|women|offenders|traffickers|prosecutions|trials|convictions)\b)[a-z]+")
# "Which three projects make up …", "what main phases …": English asking for items by a plural noun.
# (up to two words before the noun: "what essential services", "which new data tools")
_NOT_PLURAL = (r"(?:is|was|does|has|days|years|months|hours|times|this|its|plus|status|focus|process|basis|address|access|"
               r"news|us|as|whereas|thus|always|perhaps|less|unless|across|versus|bonus|campus|census|consensus|"
               r"happens|means|says|goes|comes|makes|takes|needs|applies|covers|requires|includes|states|gives|leads|"
               r"matters|remains|exists|counts|works|helps|changes|differs|depends|follows|belongs|stands|sets|puts)\b")
_AUXILIARY = r"(?:is|are|was|were|does|do|did|has|have|had|can|will|should|must|the|a|an)\b"
_PLURAL_ASKED = re.compile(rf"\b(which|what)\s+(?:(?!{_AUXILIARY})[a-z-]+\s+){{0,2}}?(?:(?!{_NOT_PLURAL})[a-z-]+s|women|men|children|"
                           rf"people)\b\s+(?!is\b|was\b)")
# Loose on purpose: with a named agency and a role word it makes a who-question ("Does the police lead …?").
_YES_NO = re.compile(r"\b(co phai|phai khong|dung khong|co dung|is|are|does|do|did)\b.*\b(khong|\w+)\b|"
                     r"\b(co|con|van)\b.*\bkhong\s*\??\s*$")
# A question answered yes or no ("Có phải Sở Y tế chủ trì …?", "Sở Y tế có chủ trì … không?", "Is the police …?").
_YES_NO_QUESTION = re.compile(r"^\s*(is|are|does|do|did|was|were)\b|\b(co phai|phai khong|dung khong|co dung|hay khong)\b|"
                              r"\bco\b.*\b(khong)\s*\??\s*$")
_ROLE_ASKED = re.compile(r"\b(chu tri|phoi hop|phu trach|dam nhiem|lead\w*|in charge|responsible|coordinat\w*)\b")
# "which law / year / date …" and "ai là …" name no agency task; "ai ký" is a particular (handled above).
_NOT_WHO = re.compile(r"\b(which (law|year|date|day|number|countr\w*|form|phase|article|decree|decision|plan|document|"
                      r"province|period|month)|what|ai la|ten (cua|nguoi)|who (is|was) the (director|chair\w*|head|chief)|"
                      # "số nào" after a hotline is a number, not "sở nào" (but "đường dây nóng do cơ quan nào quản lý" asks a body)
                      rf"({NUMBERED_THINGS})\b.*\bso nao|so hieu|la so nao)\b")
_PERSON_ASKED = re.compile(r"\b(ai la|who is the|who was the|ten cua|ho ten|name of)\b.*\b(giam doc|chu tich|truong ban|"
                           r"chairman|chair|director|head|chief)\b")


def with_province_initials(question: str, corpus_provinces: Sequence[str]) -> str:
    """A province written as its initials ("QN", "NB") spelled out when exactly one province of the collection has
    them: "QN" is Quảng Ninh among these plans, but Quảng Nam or Quảng Ngãi elsewhere, so no fixed table holds it.
    Capitals only, standing alone ("LĐ-TB&XH" is the labour department, not Lâm Đồng)."""
    pattern, unique = _province_initials(tuple(sorted(set(corpus_provinces))))
    if pattern is None:
        return question
    # a Vietnamese question typed without marks stays so ("quang ninh"): its words are restored together
    plain = not has_diacritics(question) and detect_language(question) == "vi"

    def spelled(m: re.Match) -> str:
        if fold(m.group(1)).upper() == "LD" and _WORKERS_SENT.search(fold(question[: m.start()]) + "|" + fold(question[m.end() :])):
            return "lao dong" if plain else "lao động"  # ("đưa LĐ sang Hàn Quốc": workers sent, not Lâm Đồng)
        return fold(unique[m.group(1)]) if plain else unique[m.group(1)]

    return pattern.sub(spelled, question)


# "LĐ" is also the everyday shorthand of "lao động": workers are sent, recruited and exported ("đưa LĐ sang Hàn Quốc",
# "tuyển LĐ đi làm …"), a province is not (on the folded text around the initials, before "|" and after it).
_WORKERS_SENT = re.compile(r"(?:\b(?:dua|gui|tuyen|tuyen dung|xuat khau|cung ung|tiep nhan|nguoi|so)\s*\|)|"
                           r"(?:\|\s*(?:sang|di lam|di xuat khau|ra nuoc ngoai|o nuoc ngoai|thoi vu|xuat khau|tu do|bat hop phap)\b)")


@lru_cache(maxsize=8)  # (read twice for every question: its text, and what it asks)
def _province_initials(provinces: tuple[str, ...]) -> tuple[re.Pattern | None, dict[str, str]]:
    """The pattern of the initials only one province of the collection has, and the province of each."""
    initials: dict[str, set[str]] = {}
    for name in provinces:
        letters = "".join(w[0] for w in re.findall(r"\w+", name)).upper()
        if len(letters) >= 2:
            initials.setdefault(letters, set()).add(name)
            initials.setdefault(fold(letters).upper(), set()).add(name)  # "LD" typed for "LĐ"
    unique = {k: next(iter(v)) for k, v in initials.items() if len(v) == 1}
    if not unique:
        return None, unique
    return re.compile(r"(?<![\w&/-])(" + "|".join(sorted(map(re.escape, unique), key=len, reverse=True)) + r")(?![\w&/-])"), unique


# Who the user is or what they are doing, said before the question ("I'm with IOM and we're planning to support ACTIP
# rollout in Ba Ria - Vung Tau.", "Our NGO runs a shelter.", "Tôi là cán bộ công an xã."): no part of what is asked,
# though its place and years say which plan (on the folded text).
_INTRODUCTION = re.compile(
    r"^\s*(?:(?:i'?m|i am|we'?re|we are)\s+(?:with|from|at|an?|the|working|preparing|planning|running|writing|drafting|"
    r"training|teaching|putting|helping|doing|new|based|organi[sz]ing|designing|updating|reviewing|pulling|gathering|"
    r"compiling|collecting|building|mapping|analy[sz]ing|researching|studying|assessing|looking into|trying to)\b|"
    r"(?:our|my)\s+(?:ngo|organi[sz]ation|team|office|department|project|unit|agency|cent(?:re|er)|programme|program|"
    r"colleagues?|boss|director|workshop|training|class|students|participants)\b|"
    # (ended by a full stop, or by a dash or colon before the question: "We're pulling together national data — which
    # body …?"; folded, the dash is "-")
    r"(?:toi|chung toi|minh|em)\s+(?:la|dang|lam viec|o|can chuan bi|chuan bi|muon chuan bi)\b)[^.!?:]*?(?:[.!:]|\s[-—–](?=\s+(?:which|what|who|whom|how|when|where|is|are|was|were|can|could|does|do|did|should|"
    r"must|ai|co quan|don vi|cai gi|khi nao|bao)\b))\s+(?=\S)")
# "Our border guard trainees keep asking this:", "Câu hỏi của học viên:": the question that follows the colon is asked
# as its askers put it, so its own "they" does not point back into the introduction.
_ASKED_AS_FOLLOWS = re.compile(r"^\s*[^.?!:]{0,100}\b(?:keeps? asking|kept asking|asking (?:this|me|us)|asked (?:me|us|this)|"
                               r"(?:want|wants|wanted) to know|wonder(?:s|ed|ing)?|question from [^.?!:]{1,60}|"
                               r"(?:thac mac|hoi (?:toi|minh|em|chung toi))|cau hoi cua [^.?!:]{1,60})\s*:\s+(?=\S)")
# A story told in the introduction is part of the case asked about ("My niece was sold …"): kept.
_TELLS_A_CASE = re.compile(r"\b(sold|trafficked|kidnap\w*|abduct\w*|lured|handed|taken|case|victims?|girls?|boys?|child|children|"
                           r"daughter|son|niece|nephew|sister|wife|\d+[- ]year[- ]old|bi ban|bi lua|bi bat coc|vu viec|nan nhan|"
                           r"be gai|be trai|chau|con gai|con trai|\d+ tuoi|mua ban (\w+ )?(chau|con|em))\b")


def _body_introduced(introduction: str) -> str:
    """The body an introduction names as the asker's own ("Mình ở Sở Tư pháp tỉnh Ninh Bình."), as written; "" when
    it names none or several."""
    spans = {(start, stop) for start, stop, _name in _outer_mentions(introduction)}
    return introduction[slice(*spans.pop())] if len(spans) == 1 else ""


def _without_introduction(question: str) -> str:
    """The question without the sentences before it that say who is asking ("I'm with IOM …. Which agency …?"), their
    place and years kept in brackets; the question itself when it opens otherwise, or when what it asks points back
    into them ("Our NGO supports returnees. What help can they get?")."""
    folded = fold(question)
    if len(folded) != len(question):
        return question
    framed = _ASKED_AS_FOLLOWS.match(folded)
    if framed and not _TELLS_A_CASE.search(framed.group(0)):
        return _kept_from_introduction(question[: framed.end()], question[framed.end() :])
    intro = _INTRODUCTION.match(folded)
    end = 0
    while intro and not _TELLS_A_CASE.search(intro.group(0)):
        end += intro.end()
        intro = _INTRODUCTION.match(folded[end:])
    rest = question[end:]
    if not end or not re.search(r"[?]|\b(which|what|who|how|when|where|ai|gi|nao|sao)\b", fold(rest)) \
            or re.search(r"\b(they|them|their|it|its|họ|like that|like this|such|similar|those|these)\b", rest.lower()):
        return question
    body = _body_introduced(question[:end])
    if body and asks_of_the_asker(rest):
        # "Mình ở Sở Tư pháp. … giao cho bên mình chủ trì việc gì?", "I'm with the Department of Health. What does the
        # decision ask us to do?": the body introduced is the one asked, named where the question points at the asker
        rest = _replaced_on_folded(rest, _ASKER_ASKED, lambda _m: body)[0]
    return _kept_from_introduction(question[:end], rest)


# A sentence after the question that says what the asker needs it for ("… ? I need the full list for a training
# slide.", "… ? Tôi cần để soạn bài tập huấn."): its words ("training", "slide") are no topic of the question; a wish
# for the whole list is kept.
_PURPOSE_AFTER = re.compile(r"(?<=\?)\s*(?:(?:i|we)(?:'d| would|'m|'re| am| are)? (?:need|want|like|have|am|are|must|'m|'re)\b|"
                            # ("Need the complete list for a slide.", not "Need the address and phone.", which asks)
                            r"(?:need|needed|want|wanted)\b(?=[^?]*\bfor\b)|(?:it'?s|this is) for\b|"
                            r"(?:toi|minh|chung toi|em|anh|chi) (?:can|muon|dang|phai)\b)[^?]*$")
_WHOLE_LIST_WISH = re.compile(r"\b(full|complete|whole|entire|every|all)\b.{0,20}\b(list|items?|of them)\b|\blist (them )?all\b|"
                              r"\b(day du|toan bo|tat ca|liet ke)\b")


def asks_whole_list(question: str) -> bool:
    """"Give me every item", "liệt kê đầy đủ": the asker wants each item, not the first few."""
    return _WHOLE_LIST_WISH.search(fold(question)) is not None


# (not _ASKS: a sentence saying what the answer is for holds "is", "are", "do", which ask nothing there; and "whether",
# "if", "liệu" ask in it: "I want to see whether health is in both")
_STILL_ASKS = re.compile(r"\b(whether|if|which|what|who|how|when|where|why|ai|gi|nao|khong|lieu|sao)\b")


# "… những cơ quan nào phối hợp? kể ra đầy đủ", "…? List them all.": a wish for the whole list after the question
_LIST_WISH_AFTER = re.compile(r"(?<=\?)\s*(?:(?:hay|vui long|please|can you|could you)\s+)?(?:ke ra|ke ten|ke het|liet ke|list|"
                              r"name|give me)\b[^?]{0,40}$")


# A last sentence that asks after one thing in passing ("… What is DOH tasked with? Anything on the 111 hotline?",
# "…? Nhất là về tổng đài 111?"): what to look out for in the answer, not what narrows it
_IN_PASSING_AFTER = re.compile(r"(?<=[?.!])\s+(?:and\s+)?(?:anything|any mention|any word|what about|how about|especially|"
                               r"particularly|in particular|co gi|co nhac|nhat la|dac biet la)\b[^?.!]*[?.!]?\s*$")


# Words of courtesy, no part of what is asked ("Liệt kê giúp mình đầy đủ các cơ quan …", "Cho tôi hỏi, …", "Could you
# please list …"): cut before the question is read, so "liệt kê … các cơ quan phối hợp" is read as it is without them
_COURTESY = re.compile(r"\b(?:giup|gium|dum|ho)\s+(?:minh|toi|em|anh|chi|chung toi|chung em|bon minh)\b|"
                       r"^\s*(?:cho\s+(?:minh|toi|em|chung toi)\s+hoi|xin hoi|xin cho biet|lam on|vui long)\b\s*[,:]?|"
                       r"^\s*(?:could|can|would)\s+you\s+(?:please\s+)?(?=list|tell|give|name|show|explain|summari[sz]e|"
                       r"describe|check|find)|\bplease\b\s*,?|\bkindly\b")


def _without_courtesy(question: str) -> str:
    """The question less its words of courtesy (found on the folded text, cut from the text as typed), its first letter
    kept in capitals if it was."""
    folded = fold(question)
    found = list(_COURTESY.finditer(folded)) if len(folded) == len(question) else []
    if not found:
        return question
    text = question
    for m in reversed(found):
        text = f"{text[: m.start()]} {text[m.end() :]}"
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text[:1].upper() + text[1:] if question[:1].isupper() else text


def main_question(question: str) -> str:
    """The question without the sentences around what it asks: who is asking before it, a thing asked after in passing
    ("Anything on the 111 hotline?")."""
    question = _without_introduction(question)
    folded = fold(question)
    aside = _IN_PASSING_AFTER.search(folded) if len(folded) == len(question) else None
    return question[: aside.start()] if aside else question


def _without_purpose(question: str) -> str:
    """The question without a sentence after it that says what the answer is for (or that asks for every item)."""
    folded = fold(question)
    wish = _LIST_WISH_AFTER.search(folded) if len(folded) == len(question) else None
    if wish is not None:
        return question[: wish.start()].rstrip() + _whole_list_note(question)
    after = _PURPOSE_AFTER.search(folded) if len(folded) == len(question) else None
    if after is None or _STILL_ASKS.search(after.group(0)):
        return question  # ("I want to see whether health is in both.": a question of its own)
    kept = question[: after.start()].rstrip()
    if _WHOLE_LIST_WISH.search(after.group(0)):
        kept += _whole_list_note(question)
    return kept


# The wish for every item, kept on the question in parentheses: in English, in Vietnamese, and in Vietnamese without
# marks (a mark would keep the rest of a question typed without them from being restored). No topic (answer/context.py).
_WHOLE_LIST_NOTES = {"en": "(full list)", "vi": "(liệt kê đầy đủ)", "vi_nodiac": "(liet ke day du)"}
WHOLE_LIST_NOTE = re.compile("|".join(re.escape(note) for note in _WHOLE_LIST_NOTES.values()))


def _whole_list_note(question: str) -> str:
    """" (full list)", in the question's language and marks."""
    if detect_language(question) == "en":
        return " " + _WHOLE_LIST_NOTES["en"]
    return " " + _WHOLE_LIST_NOTES["vi" if has_diacritics(question) else "vi_nodiac"]


def _kept_from_introduction(said: str, rest: str) -> str:
    """The question (`rest`), with the places, years and document numbers said only before it kept in brackets."""
    kept = [said[s:e] for _name, s, e in find_provinces(said) if not find_provinces(rest)]  # (as the user spelled it)
    kept += [m.group(0) for m in _YEARS.finditer(said) if m.group(0) not in rest]
    kept += [m.group(0) for m in _DOC_REF.finditer(said) if not _DOC_REF.search(rest)]
    return f"{rest.rstrip(' ?')} ({' '.join(dict.fromkeys(kept))})?" if kept else rest


# A numbered part named by its rank ("đề án thứ hai", "điều khoản đầu tiên", "the second project"): the documents write
# the number ("ĐỀ ÁN 2", "Điều 2"), which the retriever, the scope of a project and the follow-up rules read.
_PARTS = r"đề án|de an|điều|dieu|khoản|khoan|điểm|diem|chương|chuong|mục|muc|phần|phan|giai đoạn|giai doan"
_RANK_VI = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10}
_RANK_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10}
_RANKED_VI = re.compile(rf"(?i)\b({_PARTS})\s+(?:thứ|thu)\s+(nhất|nhat|hai|ba|tư|tu|năm|nam|sáu|sau|bảy|bay|tám|tam|chín|chin|"
                        rf"mười|muoi|\d+)\b|\b({_PARTS})\s+(đầu tiên|dau tien)\b")
_RANKED_EN = re.compile(r"(?i)\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+"
                        r"(project|programme|scheme|article|clause|point|chapter|section|phase|stage)\b")


def _ranks_as_numbers(text: str) -> str:
    """"Đề án thứ hai" → "Đề án 2", "the first project" → "project 1"."""
    def vi(m: re.Match) -> str:
        if m.group(3):
            return f"{m.group(3)} 1"
        rank = m.group(2)
        return f"{m.group(1)} {rank if rank.isdigit() else _RANK_VI[fold(rank)]}"

    text = _RANKED_VI.sub(vi, text)
    return _RANKED_EN.sub(lambda m: f"{m.group(2)} {_RANK_EN[m.group(1).lower()]}", text)


def understand(question: str, history: Sequence[Any] = (), corpus_provinces: Sequence[str] = ()) -> Query:
    """Everything later stages need to know about a question, computed once."""
    question = question.strip()
    language = detect_language(question)
    said = _ranks_as_numbers(_without_purpose(_without_introduction(_without_courtesy(question))))
    if language != "en":
        said = expand_shorthand(said)  # "ko noi dc tieng Viet": "khong noi duoc …", restored in context below
    # a case told first ("… a factory owner who made her work …. How long could the seller go to prison?"): its "who"
    # asks nothing; what is asked is in the question after it
    asked = _story_unasked(said)
    frame = _previous_frame(history)
    body_named = False
    if frame is not None:
        # "the second one": the second part the previous answer listed
        said, asked = _rank_named(said, frame), _rank_named(asked, frame)
        # "that department": the body the previous answer gave (the question then asks on its own, where the previous
        # one was)
        pointed = said
        said, asked = _body_named(said, frame), _body_named(asked, frame)
        body_named = said != pointed
    spelled = with_province_initials(said, corpus_provinces)
    # (read with its provinces spelled out: "QN (2011-2015) và BRVT … khác nhau thế nào" names two provinces)
    intent, role = classify(with_province_initials(asked, corpus_provinces))
    text, followup = spelled, body_named
    meant = _instrument_meant(spelled, frame) if frame is not None else None  # "that resolution": the act last named
    if frame is not None and not body_named and (is_follow_up(spelled) or _asked_in_passing(spelled, frame)):
        text, intent, role = _resolve(spelled, frame, intent, role, meant)
        followup = True
    # (an act the previous answer named is asked about wherever it is described, not in the passages quoted)
    anchor = _anchor(spelled, frame) if followup and frame is not None and not meant else ()
    folded = fold(text)
    named = asked_agencies(text)
    slot = detect_slot(_asked_after_condition(fold(asked) if followup or asked != said else folded))
    if followup and slot is None and _CHANGED_CASE.search(fold(said)) and not _ASKS_THE_PROVISION.search(fold(said)):
        # ("Còn nếu nạn nhân muốn vay vốn thì luật quy định thế nào?" asks what the law says of the new case, not the
        # date or penalty asked before)
        slot = detect_slot(fold(frame.text))
    elif followup and slot is None and text != spelled:
        # "And what did Lam Dong set in 2024?" after "What's the annual trial-rate target in Quang Ninh's …?": the value
        # asked before, asked of the new place (the resolved question carries it)
        slot = detect_slot(folded)
    if slot == "code" and has_diacritics(asked) and not re.search(r"(?i)(?<!\w)số(?!\w)", asked):
        slot = None  # ("… thì giao cho sở nào?": a department, which folds to the letters of "số nào", a number)
    if intent == "who" and slot == "penalty" and _WHICH_PENALTY.search(folded):
        intent = "fact"  # "which prison range applies to him?" asks a penalty, not a body
    elif intent == "who" and slot == "recipient":
        intent = "fact"  # "tố giác với cơ quan nào": the sentence that says where a report goes, not a task record
    elif intent == "who" and slot not in ("organisation", "partner"):
        slot = "agency"
    elif intent == "who":
        intent = "fact"  # "cooperates with which NGOs", "which foreign partner": a name no task record of an agency gives
    if slot == "frequency" and intent == "list":
        intent = "fact"  # "báo cáo vào những kỳ nào": the periods are said in one sentence ("theo quý, 06 tháng, 01 năm")
    if intent == "list" and tells_a_need(text) and not _BODIES_LISTED.search(folded):
        # "nếu họ muốn tự về nơi cư trú thì được hỗ trợ những gì": the support for that need, said in the sentence on
        # it, not the list of every kind of support
        intent = "fact"
    return Query(
        question=question,
        text=text,
        language=language,
        intent=intent,
        role=role,
        slot=slot,
        agency=named[0] if named else None,
        agencies=tuple(named),
        yes_no=bool(_YES_NO_QUESTION.search(fold(said))),
        # ("… – the police or the prosecution service?", "Between the Ministry of Justice and MOLISA, who …?")
        choice=len(agencies_in(text)) >= 2 and bool(re.search(r"\b(or|hay|hoac)\b|^\W*(between|giua)\b", fold(said))),
        particular=meta_kind(text) if intent == "particular" else None,
        section=detect_section(folded),
        scope=detect_scope(text, corpus_provinces),
        followup=followup,
        without_diacritics=language == "vi" and not has_diacritics(question),
        parts=() if followup or intent == "compare" else split_parts(spelled),
        article=named_article(text),
        project=named_project(text),
        unit=asked_unit(said),
        anchor=anchor,
        anchor_marks=frame.marked if anchor and frame is not None else (),
        same_elsewhere=bool(SAME_ELSEWHERE.search(fold(question))),
        asked_years=asked_plan_years(text),
        **dict(zip(("clause", "point"), named_provision(text))),
    )


def asked_plan_years(question: str) -> tuple[int, ...]:
    """The plan years of the part of a question that asks (its last sentence or clause: "…; sang KH 2026-2030 thì lực
    lượng nào …?", "…, năm 2026–2030 thì giao cho ai chủ trì?") when an earlier part tells of other plan years; else ()."""
    parts = re.split(r"(?<=[.;])\s+", question.strip())
    if len(parts) < 2:
        parts = re.split(r"(?<=,)\s+", question.strip())  # (one sentence: its clauses)
    if len(parts) < 2:
        return ()
    asked, told = plan_years(parts[-1]), plan_years(" ".join(parts[:-1]))
    return tuple(asked) if asked and told and not set(asked) & set(told) else ()


_UNIT = re.compile(r"(?i)\b(?:bao nhiêu|bao nhieu|mấy|may|how many|how much|(?:maximum |minimum |max |total )?number of)\s+(\w+)")
_UNIT_WORDS = {"ngày", "ngay", "tháng", "thang", "năm", "nam", "tuổi", "tuoi", "lần", "lan", "giờ", "gio", "người", "nguoi",
               "vụ", "vu", "days", "months", "years", "hours", "times", "people", "cases", "percent", "phần", "phan"}


def asked_unit(question: str) -> str | None:
    """The unit of the figure asked for ("trong bao nhiêu ngày" → "ngày", "how many days" → "days"), or None."""
    m = _UNIT.search(question)
    if m and m.group(1).lower() in _UNIT_WORDS:
        return fold(m.group(1).lower())
    return None


_ARTICLE = re.compile(r"(?i)\b(?:điều|dieu|article|art\.|đ\.?(?=\s*\d))\s*(\d{1,3}[a-z]?)\b")  # "Đ.151", "Đ24" as officials abbreviate


# ("khung 3", "khung hình phạt thứ 3": a penalty bracket, as lawyers call the clauses of an offence's article; not
# "khung 08 đến 15 năm", a bracket told by its range)
_CLAUSE = re.compile(r"(?i)\b(?:khoản|khoan|clause|paragraph|para\.)\s*(\d{1,2})\b|"
                     r"\b(?:article|art\.)\s*\d{1,3}\s*\((\d{1,2})\)|"
                     r"\b(?:khung|(?:penalty |sentencing )?bracket)(?:\s+(?:hình phạt|hinh phat))?(?:\s+(?:thứ|thu|no\.?))?\s*"
                     r"(\d)\b(?!\s*(?:đến|den|tới|toi|-|–|năm|nam|years?)\b)")
_POINT = re.compile(r"(?i)\b(?:điểm|diem|point)\s+([a-zđ])\b(?!\w)|\b(?:article|art\.)\s*\d{1,3}\s*\(\d{1,2}\)\s*\(([a-zđ])\)")


def named_provision(text: str) -> tuple[str | None, str | None]:
    """(clause, point) of the one article a question names: ("2", None) for "khoản 2 Điều 151", ("2", "c") for
    "điểm c khoản 2 Điều 150" or "Article 150(2)(c)"; (None, None) when it names no clause of one article."""
    if named_article(text) is None:
        return None, None
    clauses = {next(g for g in m.groups() if g) for m in _CLAUSE.finditer(text)}
    if len(clauses) != 1:
        return None, None
    points = {next(g for g in m.groups() if g).lower() for m in _POINT.finditer(text)}
    return clauses.pop(), points.pop() if len(points) == 1 else None


# A victim's age as users tell it: "a 14-year-old", "em 15 tuổi", "dưới 16 tuổi", "he's 15", "aged 30".
_AGE = re.compile(r"\b(duoi |under |below |less than |younger than )?(\d{1,2})[- ]?(?:year[- ]old|years? old|yo|tuoi)\b|"
                  r"\b(?:he|she|they|who|(?:the|that|this|my|our|her|his) (?:boy|girl|child|victim|kid|daughter|son|niece|nephew)s?(?: (?:sold|trafficked|taken|involved|rescued))?|(?:both|all|the)(?: \w+)? (?:girls|boys|children|kids|victims)|"
                  r"(?:both|all) of them|one of (?:them|the \w+))(?:'s| is| was| had been| were| are| had both been| were both| were all| are all| were each| were only) (?:only |just )?()(\d{1,2})\b(?! (?:people|persons|"
                  r"victims|women|men|times|years? (?:in|of|ago)))|\baged (?:only |just )?()(\d{1,2})\b")
ADULT = re.compile(r"\b(adults?|grown[- ]ups?|nguoi lon|truong thanh)\b")


def stated_ages(folded: str) -> list[int]:
    """The ages a folded question gives ("a 14-year-old" → 14); "dưới 16 tuổi", "under 16" → 15."""
    out = []
    for m in _AGE.finditer(folded):
        under, age = m.group(1), next(g for g in (m.group(2), m.group(4), m.group(6)) if g)
        out.append(int(age) - (1 if under else 0))
    return out


def articles_named(text: str) -> list[str]:
    """The articles a text names, in order, each once ("Điều 150 và Điều 151" → ["150", "151"]; "Đ.151", "Article 3")."""
    return list(dict.fromkeys(m.group(1) for m in _ARTICLE.finditer(text)))


def named_article(text: str) -> str | None:
    """The article a question names ("Điều 150", "dieu 27", "Article 3"), when it names exactly one."""
    found = articles_named(text)
    return found[0] if len(found) == 1 else None


_PROJECT = re.compile(r"(?i)\b(?:đề án|de an|project|programme|program|scheme)\s+(?:no\.?\s*|số\s+|so\s+)?([0-9]+)\b")


def named_project(text: str) -> str | None:
    """The numbered project a question names ("Đề án 2", "Project 2"), when it names exactly one."""
    found = {m.group(1).lstrip("0") for m in _PROJECT.finditer(text)}
    return found.pop() if len(found) == 1 else None


def projects_in(text: str) -> set[str]:
    """The numbered projects ("Đề án 1", "Đề án 3") a passage names."""
    return {m.group(1).lstrip("0") for m in _PROJECT.finditer(text)}


def _project_opened(text: str) -> re.Match | None:
    """The project a passage opens with ("2. ĐỀ ÁN 2: …", "Đề án 2 …"), not one it cites ("Tiếp tục khai thác … Đề án
    06 của Chính phủ")."""
    return _PROJECT.match(re.sub(r"^\s*\d+\.\s*", "", text))


def opens_a_project(text: str) -> bool:
    """Whether a passage is a numbered project's own."""
    return _project_opened(text) is not None


def opens_with_project(text: str, project: str) -> bool:
    """Whether a passage is that project's own."""
    m = _project_opened(text)
    return bool(m) and m.group(1).lstrip("0") == project


# --- follow-ups ------------------------------------------------------------------------------
# A follow-up keeps the previous question's frame (its topic, intent and role) and changes one thing:
# the place, year or document ("Còn Quảng Ninh thì sao?", "and in the 2026 plan?", "Thế còn kế hoạch
# 3087/QĐ-UBND?"), the role ("Còn phối hợp?", "who coordinates it?"), the agency ("Còn Công an tỉnh?"),
# or what is asked of the same document ("Ai ký?" after "… ban hành ngày nào?").
# "Same facts, but …", "Vẫn vụ đó nhưng …", "Giống như vậy nhưng …": the case told before, opened again to change it
_SAME_CASE_HEAD = (r"(?:(?:the )?same (?:facts|case|situation|scenario|story)(?: again)?|(?:van |cung )?(?:vu|vu viec|truong hop|"
                   r"tinh huong) (?:do|nay|tren)|(?:giong|y|tuong tu) (?:nhu )?(?:vay|tren|the))")
# "ok and who leads …", "Dạ, còn …": a word that takes the last answer in before the cue
_ACKNOWLEDGED = r"(?:(?:ok|okay|oke|fine|right|alright|great|got it|thanks|thank you|cam on|duoc roi)\W*\s+|(?:da|vang|u)\s*,\s*)?"
_CUE = re.compile(rf"^\s*{_ACKNOWLEDGED}({_SAME_CASE_HEAD}|con|the con|vay con|va|nhung|the|vay|and|what about|how about|what of|what if|same for|then|also|but|"
                  r"apart from|besides|beyond that|on top of|in addition|ngoai ra|ngoai \w+( \w+)? ra)\b")
# A pronoun that stands for what the previous question was about ("is every victim eligible for it?"), not a word
# that points inside the follow-up's own topic ("các vụ án đó", "is that the same ministry").
# (with the general nouns a follow-up points back with: "khoản hỗ trợ đó", "chế độ này"; not "việc đó", which sets aside
# as often as it points: "Ngoài việc đó, tổng đài 111 còn được dùng để làm gì?")
_PRONOUN = re.compile(r"\b(it|them|cai do|dieu do|cai nay|dieu nay|(?:khoan|che do|muc)(?: \w+){0,2} (?:do|nay|ay))\b")
# "provides them with …", "receives them back": "them" is the people the conversation is about, not what it was about
_PERSON_OBJECT = re.compile(r"\b(?:provides?|provided|providing|gives?|gave|giving|offers?|offered|helps?|helped|assists?|"
                            r"supports?|pays?|paid|sends?|sent|protects?|protected|receives?|received|takes?|took|houses?|"
                            r"shelters?|treats?|treated|brings?|brought)\s+them\b|"
                            r"\btheir (?:return|repatriation|reintegration|famil(?:y|ies)|homes?|safety|identit(?:y|ies)|ages?)\b")
# "Which prison range applies to him?": a penalty asked with "which", not a body.
_WHICH_PENALTY = re.compile(r"\b(which|what) (prison|sentenc\w*|penalt\w*|punishment|bracket|jail)|\b(khung|muc phat|hinh phat|muc an)( \w+)? nao\b")
# A follow-up that changes the case the previous question set ("What if the child was sold by a gang?", "Còn nếu nạn nhân
# dưới 16 tuổi?", "And with two to five victims?"): it asks what the previous one asked (a penalty, a date …).
# "Suppose it later turns out that one of the three was only 15. Does that change …?", "Giả sử …": a case told, changed
_SUPPOSE = r"(?:and |but )?(?:suppose|supposing|imagine|let'?s say|gia su|gia nhu)"
# "Same facts, but the three girls were all 15.", "Vẫn vụ đó nhưng nạn nhân 15 tuổi": the case told before, changed
_SAME_CASE = rf"{_SAME_CASE_HEAD},? (?:but|except|only|nhung|chi khac la|ngoai tru)"
_CHANGED_CASE = re.compile(rf"^\s*({_SAME_CASE}|what if|and if|but if|if|and with|with|and for|(?:what|how) about (?:when|if)|and when|but when|con neu|va neu|the neu|neu|con khi|con voi|con doi voi|"
                           rf"{_SUPPOSE}(?: that| rang| la)?(?: it (?:later )?(?:turns out|turned out|emerges)(?: that)?)?)\b")
# "luật quy định thế nào", "what does the law say": what a text provides, not a value asked before
_ASKS_THE_PROVISION = re.compile(r"\b(quy dinh (the nao|ra sao|gi|nhu the nao)|(luat|bo luat|van ban) (noi|ghi|quy dinh) (gi|sao)|"
                                 r"what (does|do) (the )?(law|code|act|text)s? (say|provide|require)|"
                                 r"how (does|do) (the )?(law|code|act)s? (treat|handle|deal with))\b")
_HYPOTHESIS = re.compile(rf"^\s*{_SUPPOSE}\b")
_CUE_END = re.compile(r"(thi sao|the nao|ra sao|thi the nao|nhu the nao|thi|nhi)\s*\??\s*$")
_BACK = re.compile(r"\b(do|nay|ay|tren|it|that|this|these|those|they|them|there|the same|same|him|her|he|she|han)\b")
_ROLE_WORDS = re.compile(r"\b(phoi hop|tham gia|coordinat\w*|partners?|support\w*|help\w*|assist\w*|chu tri|lead\w*|in charge)\b")
_FILLER = set("con the vay va nhung thi sao nao ra nhu and what about how of same for then also but in the a an on at to ke hoach "
              "plan nam year tinh province giai doan period quyet dinh decision so number van ban document o tai trong cua "
              "theo voi do nay ay it that this those they them there is are was were does do did who which ai gi "
              "co quan don vi viec la cai giao agency agencies department body".split())  # the asked-for body: no topic
# What asks a figure, and the verb it is set with: "Thế Lâm Đồng năm 2024 thì đặt bao nhiêu?" names no topic of its own.
_FIGURE_ASKED = set("bao nhieu may how many much dat set".split())


@dataclass(frozen=True)
class _Frame:
    text: str
    intent: str
    role: str
    cited_article: str = ""  # "Điều 150": the article the previous answer rests on, when its question named none
    quoted: tuple[tuple[str, int, int], ...] = ()  # (doc_id, start, end) of each passage the previous answer quoted
    instruments: tuple[str, ...] = ()  # "Nghị quyết số 02/2019/NQ-HĐTP": the acts the previous answer named by number
    marked: tuple[tuple[str, int, int], ...] = ()  # (doc_id, start, end) of the words each of those passages quotes
    units: tuple[tuple[str, str], ...] = ()  # ("Đề án", "1"), ("Đề án", "2"), …: the parts the previous answer listed
    body: str = ""  # the one agency the previous answer's first sentence gave (a who answer's lead)


def _quoted_span(citation: Any) -> tuple[int, int]:
    """The span of the words a citation quotes (its highlights), else the whole citation."""
    marked = [span for span in getattr(citation, "highlights", ()) or () if span[1] > span[0]]
    if not marked:
        return citation.start, citation.end
    return min(s for s, _e in marked), max(e for _s, e in marked)


def quoted_marks(citations: Sequence[Any]) -> tuple[tuple[str, int, int], ...]:
    """(doc_id, start, end) of the words each citation quotes: where "which article says that?" looks."""
    return tuple((c.doc_id, *_quoted_span(c)) for c in citations if getattr(c, "doc_id", None))


def _intent_of(turn: Any) -> tuple[str, str]:
    """(intent, role) of an earlier answer (an answer's legacy intent, "who_leads", read as its intent and role)."""
    intent = getattr(turn, "intent", "fact")
    return _INTENT_OF_LEGACY.get(intent, (intent, "lead"))


def _previous_frame(history: Sequence[Any]) -> _Frame | None:
    if not history:
        return None
    previous = history[-1]
    text = getattr(previous, "resolved_question", "") or getattr(previous, "question", "")
    if not text:
        return None
    intent, role = _intent_of(previous)
    cited = ""
    citations = getattr(previous, "citations", ()) if getattr(previous, "found", False) else ()
    if citations and not _ARTICLE.search(text) and detect_slot(fold(text)) in ("penalty", "money"):
        # "If someone sells a 15-year-old abroad, what sentence?" answered from Điều 151: "What if it was an
        # organised gang?" asks of that article (an offence's penalties are its article's; other topics are not)
        m = _ARTICLE.search(citations[0].section or "")
        cited = f"Điều {m.group(1)}" if m else ""
    # (the words quoted, where the citation marks them: a citation of a chunk may span several short articles, and
    # "which article says that?" asks the one quoted)
    quoted = tuple((c.doc_id, c.start, c.end) for c in citations[:_ANCHORED_CITATIONS] if getattr(c, "doc_id", None))
    marked = quoted_marks(citations[:_ANCHORED_CITATIONS])
    said = getattr(previous, "text", "") if getattr(previous, "found", False) else ""
    instruments = tuple(dict.fromkeys(m.group(0).strip() for m in _INSTRUMENT.finditer(said or "")))
    units = tuple(dict.fromkeys((m.group(1).capitalize(), m.group(2)) for m in _LISTED_UNIT.finditer(said or "")))
    return _Frame(text, intent, role, cited, quoted, instruments, marked, units, _body_answered(history))


# How many turns back "cơ quan đó" may reach for the body a who answer gave
_BODY_TURNS_BACK = 3


def _body_answered(history: Sequence[Any]) -> str:
    """The one agency the last who answer's first sentence gave, when the turns after it named no body of their own
    ("Ai chủ trì …?" → "Thời gian thực hiện là khi nào?" → "Cơ quan đó còn phải làm gì khác?": the lead given first)."""
    for turn in reversed(history[-_BODY_TURNS_BACK:]):
        intent = _intent_of(turn)[0]
        said = getattr(turn, "text", "") if getattr(turn, "found", False) else ""
        if intent == "who" and said:
            answered = agencies_in(said.split("\n", 1)[0])
            return answered[0] if len(answered) == 1 else ""
        if agencies_in(getattr(turn, "resolved_question", "") or getattr(turn, "question", "")):
            return ""  # (a body named since is the one pointed at, if any)
    return ""


# A body pointed at ("cơ quan đó", "đơn vị này", "sở ấy", "that department", "this agency"): after a who answer, the
# body it gave ("Ai chủ trì hỗ trợ nạn nhân …?" then "Cơ quan đó còn phải làm những gì khác?")
_BODY_POINTER = re.compile(r"(?i)\b(?:cơ quan|co quan|đơn vị|don vi|sở|so|ngành|nganh|bộ|bo)\s+(?:đó|do|này|nay|ấy|ay|nói trên|noi tren)\b|"
                           r"\b(?:that|this|the same|the said)\s+(?:department|agency|body|office|authority|unit|ministry)\b")


def _body_named(question: str, frame: "_Frame") -> str:
    """A body pointed at, named as the one the previous who answer gave; the question as it was otherwise."""
    if not frame.body or agencies_in(question):  # (a body is kept only of a who answer)
        return question
    m = _BODY_POINTER.search(question)
    if not m:
        return question
    name = frame.body
    if detect_language(question) == "en":
        agency = agency_by_name(name)
        name = agency.en if agency is not None else name
    named = question[: m.start()] + name + question[m.end() :]
    # (asked where the previous question was, unless it names a place or plan of its own)
    place = "" if _scope_words(question) else _scope_words(frame.text)
    return f"{named.rstrip(' ?')} {place}".strip() + "?" if place else named


# A numbered part a list answer shows as one of its parts ("1. ĐỀ ÁN 1: “…”", "2. Giai đoạn 2: …").
_LISTED_UNIT = re.compile(rf"(?im)^\d+\.\s+({_PARTS})\s+(\d+)\s*:")
# A rank said without its noun ("the second one", "cái thứ hai", "phần thứ 3"): the part of that rank the previous
# answer listed.
_RANK_ALONE = re.compile(r"(?i)\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)\s+(?:one|item)\b|"
                         r"\b(?:cái|cai|ý|y|mục|muc)\s+(?:thứ|thu)\s+(nhất|nhat|hai|ba|tư|tu|năm|nam|sáu|sau|bảy|bay|tám|tam|chín|chin|"
                         r"mười|muoi|\d+)\b|\b(?:cái|cai)\s+(cuối(?:\s+cùng)?|cuoi(?:\s+cung)?)\b")


def _rank_named(question: str, frame: "_Frame") -> str:
    """A rank said without its noun, named as the part of that rank the previous answer listed ("who's in charge of
    the second one?" after the three projects → "… of Đề án 2?"); the question as it was when there is none."""
    m = _RANK_ALONE.search(question)
    if not m or not frame.units:
        return question
    said = fold(next(g for g in m.groups() if g))
    if said.startswith(("last", "cuoi")):
        rank = len(frame.units)
    else:
        rank = int(said) if said.isdigit() else _RANK_EN.get(said) or _RANK_VI.get(said, 0)
    if not 1 <= rank <= len(frame.units):
        return question
    kind, number = frame.units[rank - 1]
    if detect_language(question) == "en" and fold(kind).lower() in _NUMBERED_KIND:
        kind = _NUMBERED_KIND[fold(kind).lower()]  # "project 2": as an English question names it
    return f"{question[: m.start()]}{kind} {number}{question[m.end():]}"


# An act named by its number in an answer ("Nghị quyết số 02/2019/NQ-HĐTP", "Quyết định số 605/QĐ- TTg").
_INSTRUMENT = re.compile(r"\b(Nghị quyết|Quyết định|Nghị định|Thông tư|Chỉ thị|Kiến nghị|Công văn) số \d+\s*/\s*[\wĐđ/-]+(?:\s*-\s*[\wĐđ]+)?")
# "that resolution", "nghị quyết đó": a pointer to an act of one kind; the kinds in both languages.
_INSTRUMENT_KINDS = {"resolution": "Nghị quyết", "nghi quyet": "Nghị quyết", "decision": "Quyết định",
                     "quyet dinh": "Quyết định", "decree": "Nghị định", "nghi dinh": "Nghị định", "circular": "Thông tư",
                     "thong tu": "Thông tư", "directive": "Chỉ thị", "chi thi": "Chỉ thị", "recommendation": "Kiến nghị",
                     "kien nghi": "Kiến nghị"}
# ("this decision" is as often the document asked about as an act its answer cited: only "that", "the same", "said")
_INSTRUMENT_POINTER = re.compile(r"\b(?:(that|the same|said) (resolution|decision|decree|circular|directive|recommendation)|"
                                 r"(nghi quyet|quyet dinh|nghi dinh|thong tu|chi thi|kien nghi) (do|nay|ay|tren|noi tren))\b")


def _instrument_meant(question: str, frame: "_Frame") -> tuple[str, str] | None:
    """(the pointer's words, the act they mean) when a follow-up points at an act of one kind and the previous answer
    named exactly one act of that kind: "What offences does that resolution give guidance on?" after an answer
    quoting "Nghị quyết số 02/2019/NQ-HĐTP"."""
    folded = fold(question)
    m = _INSTRUMENT_POINTER.search(folded)
    if not m or len(folded) != len(question):
        return None
    kind = _INSTRUMENT_KINDS[m.group(2) or m.group(3)]
    named = [i for i in frame.instruments if i.startswith(kind)]
    return (question[m.start() : m.end()], named[0]) if len(set(named)) == 1 else None


# A follow-up's anchor: the passages the previous answer quoted ("Who co-leads the mass movement part with them?"
# after the seven tasks of the police: the fifth is meant).
_ANCHORED_CITATIONS = 8
# Words that point at what the previous answer said: "that", "those", "đó", "này", "ấy", "nói trên". Typed without
# marks "do" is also "by" ("do cơ quan nào chủ trì"): a pointer only after a noun and before the end or a verb.
_POINTS_BACK = re.compile(r"(?i)\b(that|this|these|those|they|them|their|it|its|đó|này|ấy|họ|nói trên|trên đây|kể trên|"
                          r"nay|ay|noi tren|tren day|ke tren)\b|(?<=\w )do(?=\s*(?:[?,.]|$|\b(?:do|thi|la|co|duoc|lay|gom|"
                          # (and the verbs a subject "đợt đó", "biện pháp đó" takes: "dot do nham vao …")
                          r"can|phai|se|bao|khi|o|tai|gi|nao|nham|dien|keo|bat|ket|huong|ap|con|van|da|dang|cung)\b))")


def _anchor(question: str, frame: "_Frame") -> tuple[tuple[str, int, int], ...]:
    """The passages the previous answer quoted, for a follow-up that points back at them ("Who is assigned to carry
    that out?", "Kinh phí cho các hoạt động đó …") and moves nowhere else: no place, year, document, article or
    agency of its own (those ask of another passage)."""
    if not frame.quoted or not _POINTS_BACK.search(_blanked(question, _PERSON_OBJECT)[0]):
        return ()  # ("who receives them back …?": "them" are the people the chat is about, not the passages quoted)
    if _THE_WHOLE.search(fold(question)):
        return ()  # "How is all of this funded?": the plan as a whole, not the passages last quoted
    if _SETS_ASIDE.search(fold(question)):
        return ()  # "ngoài giấy đó ra thì còn những giấy tờ nào …?": what the passages quoted do not say is asked
    if _scope_words(question) or _ARTICLE.search(question) or _NUMBERED.search(question):
        return ()
    if set(agencies_in(question)) - set(agencies_in(frame.text)) and not _AMONG.search(fold(question)):
        # ("Which of them does the provincial police lead?" picks among them; "What does the police do there?" not; a
        # body the previous question named is still that question's: "How long do they have to get back to DOLISA?")
        return ()
    return frame.quoted


# "Ngoài … ra", "besides that", "other than those": the follow-up asks beyond what was said
_SETS_ASIDE = re.compile(rf"\b(ngoai\b.{{0,60}}\bra\b|ngoai (do|nay|cai do|viec do|nhung \w+ (do|nay|tren))|{ASIDE_EN})\b")


# Picking among what was listed before: "which of them", "which one of those", "trong số đó", "đề án nào trong số đó".
_AMONG = re.compile(r"\b((which|what) (one |ones )?of (them|these|those|the above)|trong (so )?(do|nay|cac \w+ (do|nay|tren))|"
                    r"(cai|muc|de an|hoat dong|nhiem vu|viec) nao trong (so )?(do|nay|cac \w+ (do|nay|tren)))\b")


def _topic_words(own: list[str]) -> list[str]:
    """A question's own words less those that ask a figure ("đặt bao nhiêu" names no topic)."""
    return [w for w in own if w not in _FIGURE_ASKED]


def _own_words(question: str) -> list[str]:
    """The words of a question beyond follow-up cues, scope, agency, role and question words."""
    text = without_provinces(question)
    for mention in sorted(find_agencies(text), key=lambda m: -m.start):
        text = text[: mention.start] + " " + text[mention.end :]
    folded = _ROLE_WORDS.sub(" ", _without_agencies(_folded_for_agencies(text)))  # "the border guard", "CA tỉnh"
    folded = re.sub(r"\d+(\s*/\s*[\w/-]+)?", " ", folded)
    return [w for w in re.findall(r"[a-z]+", folded) if w not in _FILLER]


# "In that child case, …", "In such a case …", "Trong trường hợp đó …", "Với vụ đó …": the case the chat is about.
_THAT_CASE = re.compile(r"^\s*(?:and |but )?(?:in|for|with|under) (?:that|this|such an?|the same) (?:\w+ ){0,2}?(?:case|situation|"
                        r"scenario)\b|^\s*(?:con |va )?(?:trong|voi|doi voi) (?:truong hop|vu|vu viec|vu an) (?:\w+ )?(?:do|nay|ay|tren)\b")


# A question that opens with a person the chat already told of ("He …", "Hắn …", "Người đó …"): no new case starts so.
_PERSON_BEFORE = re.compile(r"(?i)^\s*(he|she|they|his|her|their|hắn|han|anh ta|ông ta|bà ta|cô ta|chị ta|người đó|nguoi do|"
                            r"ông ấy|bà ấy|ong ay|ba ay)\b")


_SAME_AS_BEFORE = re.compile(r"\b(the same|same as|also|too|as well|likewise|similar|cung|giong|tuong tu|nhu vay|"
                             # "Has that changed in Ninh Binh's 2026–2030 plan?": the previous question, asked of another plan
                             r"changed?|different|differs?|thay doi|khac (di|nhau|khong))\b")


# Words that liken what is asked to what was said before: no question opens a chat so.
_LIKE_BEFORE = re.compile(r"\b(similar|the same|same as|likewise|tuong tu|giong nhu|nhu vay|nhu the)\b")


def is_follow_up(question: str) -> bool:
    """A short question that leans on the previous one: a cue ("Còn …", "and …", "… thì sao?"), a pronoun,
    or nothing of its own beyond a place, year, document, agency, role or a document particular."""
    folded = fold(question).strip()
    words = re.findall(r"\w+", folded)
    if len(words) <= 14 and _POINTS_BACK.search(question) and _SAME_AS_BEFORE.search(folded):
        return True  # "Is it the same window in Ninh Binh's 2024 plan?": the previous question, asked of another plan
    if len(words) <= 16 and _LIKE_BEFORE.search(folded):
        return True  # "Did the justice department have a similar role back in Quang Ninh's plan?": like what was said
    if _THAT_CASE.match(folded) and not _scope_words(question):
        return True  # "In that child case, can the court also bar the offender …?": the case the chat is about
    if _PERSON_BEFORE.match(question) and not _scope_words(question):
        return True  # "He also works as a caretaker at the school. Can the court ban him …?": the person of the case told
    person = _PERSON_POINTER.search(question)
    if person and len(words) <= 20 and not _scope_words(question) and not _PERSON.search(question[: person.start()]) \
            and not tells_a_case(question):
        return True  # "Ngoài án tù thì hắn còn có thể bị phạt tiền bao nhiêu?": the person of the case told before
    if len(words) <= 14 and _POINTS_BACK.search(question) and not _scope_words(question) and not _DOC_REF.search(question):
        return True  # "Mỗi đề án đó do cơ quan nào chủ trì?": "those" projects are the previous answer's
    if len(words) <= 20 and _AMONG.search(folded) and not _scope_words(question):
        return True  # "Trong số đó, đề án nào do Sở Thông tin và Truyền thông chủ trì?": one of the items said before
    if len(words) <= 30 and _HYPOTHESIS.match(folded) and _refers_back(question):
        return True  # "Suppose one of the three was only 15. Does that change the picture?": the case told, changed
    if len(words) <= 30 and _names_this_document(question) and not _scope_words(question):
        return True  # "Kế hoạch này các sở ngành báo cáo định kỳ về đâu, bao lâu 1 lần?": the plan the chat is about
    if len(words) > 20 or len(words) > 12 and not _CUE.match(folded):
        return False  # ("What about the 2026–2030 plan: how often do they report, and to whom?" leans on a cue)
    if _CUE.match(folded) or _CUE_END.search(folded):
        return True
    if _DOC_REF.search(question) and _ASKS.search(folded) and not _refers_back(question):
        return False  # "Ai ký kế hoạch 22/KH-BCĐ?": asks of a document it names itself
    if len(words) <= 8 and _refers_back(question):
        return True
    return len(_own_words(question)) <= 1


# "do", "nay", "ay" typed without marks in a question typed with them are "by", "now", "hey", not "đó", "này", "ấy"
_UNMARKED_NOT_BACK = frozenset(("do", "nay", "ay"))


# "kế hoạch này", "quyết định đó", "this plan", "the same decision": the document the chat is about, by a pointer
_THIS_DOCUMENT = re.compile(r"\b(?:ke hoach|quyet dinh|van ban|chuong trinh|luat|nghi dinh|kh|qd) (nay|do|ay|tren)\b|"
                            r"\b(?:this|that|the same|same) (?:plan|decision|document|programme|program|law|decree)\b")


def _names_this_document(question: str) -> bool:
    """Whether a question names its document by a pointer back ("kế hoạch này"); typed with marks, "Kế hoạch do ai ký"
    is "by whom", not "that plan"."""
    return _points_back_as_typed(question, _THIS_DOCUMENT, 1)


def _refers_back(question: str) -> bool:
    """Whether a question points back to what was said ("đó", "này", "that", "they"): "Kế hoạch 22/KH-BCĐ do ai ký?"
    asks who signed it ("do" is "by"), though its folded text reads "do" as "đó"."""
    return _points_back_as_typed(question, _BACK)


def _points_back_as_typed(question: str, pointers: re.Pattern, group: int = 0) -> bool:
    """Whether `pointers` (matched on the folded question; its `group` the pointing word, if any) finds one that points
    back as typed: in a question typed with marks, an unmarked "do", "nay", "ay" is "by", "now", "hey"."""
    folded = fold(question)  # (one character for one: its offsets are the question's)
    marked = has_diacritics(question)
    return any(not (m.group(group) and marked and question[m.start(group):m.end(group)].lower() in _UNMARKED_NOT_BACK)
               for m in pointers.finditer(folded))


def _asked_in_passing(question: str, frame: "_Frame") -> bool:
    """A short question that names no place, document, article or agency, after one that named a plan ("gửi báo cáo
    về đâu?", "bao lâu thì phải báo cáo một lần?"): asked of that plan, as a chat goes on (the answer says how it was
    understood, so a reader who meant every plan sees it)."""
    return bool(_scope_words(frame.text)) and _short_and_unplaced(question)


def _short_and_unplaced(question: str) -> bool:
    words = re.findall(r"\w+", fold(question))
    return (len(words) <= 8 and not _scope_words(question) and not agencies_in(question) and not _ARTICLE.search(question)
            and bool(_ASKS.search(fold(question))))


def leans_on_history(question: str) -> bool:
    """Whether the turns before a question may change how it is understood: a follow-up, a body pointed at ("cơ quan
    đó", the last who answer's), or a short question naming no place, document or agency (asked of the plan the chat
    is on) — what understand() reads history for, so a client that sends only the earlier questions replays them."""
    return is_follow_up(question) or bool(_BODY_POINTER.search(question)) or _short_and_unplaced(question)


def _scope_words(text: str) -> str:
    """The place, year and document words of a question ("Quảng Ninh", "2026-2030", "kế hoạch 3087/QĐ-UBND")."""
    found = [text[s:e] for _n, s, e in find_provinces(text)]
    found += [m.group(0) for m in re.finditer(r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?", text)]
    found += [m.group(0) for m in _DOC_REF.finditer(text)]
    return " ".join(found)


def _place_of(frame: "_Frame", question: str) -> str:
    """Where the previous question was asked: its place, year and document words and the articles it names
    ("Điều 150"), else the article its answer rests on. A follow-up with a topic of its own ("And what fine can be
    added on top?") is asked there; not of the articles when the follow-up names its own."""
    if _own_article(question):
        return _scope_words(frame.text)
    provisions = " ".join(m.group(0) for m in _ARTICLE.finditer(frame.text))
    return f"{_scope_words(frame.text)} {provisions or _cited(frame, question)}".strip()


def _own_article(question: str) -> bool:
    """Whether a follow-up names an article, or tells a victim's age of its own ("nếu 7 người đó đều dưới 16 tuổi thì
    sao?", "Thế còn tội mua bán người dưới 16 tuổi …?" may be another article's offence)."""
    return bool(_ARTICLE.search(question) or _tells_age(question))


# A kind of person a case may change to (folded): whom the law gives other support, other duties
_PERSON_KIND = re.compile(r"\b(is|are|was|were|la)\b.{0,30}\b(foreign\w*|nuoc ngoai|stateless|khong quoc tich|child(ren)?|"
                          r"tre em|minors?|chua thanh nien|disabled|khuyet tat|pregnant|mang thai)\b")


def _tells_age(text: str) -> bool:
    """Whether a text tells a victim's age ("a 15-year-old", "dưới 16 tuổi", "under 16", "an adult")."""
    folded = fold(text)
    return bool(stated_ages(folded) or ADULT.search(folded) or re.search(r"\b(duoi|under|below) \d", folded))


def _cited(frame: "_Frame", question: str) -> str:
    """The article the previous answer rested on, for a follow-up that names none of its own."""
    return "" if _own_article(question) else frame.cited_article


def _without_scope(text: str) -> str:
    """The previous question without its place, year and document words (and the prepositions before them)."""
    text = _DOC_REF.sub(" ", text)
    text = strip_scope(text)
    text = re.sub(r"(?i)\s+(ở|o|tại|tai|của|cua|trong|theo|in|of|for|at|under)\s*$", "", text.strip(" ?.,"))
    # "… rollout in . Which agency …" once "Ba Ria - Vung Tau" is out: the preposition left before a sentence's end
    text = re.sub(r"(?i)\s+(ở|tại|của|trong|theo|in|of|for|at|under)\s*(?=[.;:!?])", "", text)
    # "… hằng năm của là bao nhiêu" once "Quảng Ninh giai đoạn 2011–2015" is out: the preposition left before the verb
    text = re.sub(r"(?i)\s+(ở|tại|của|trong|theo|of|in|for|at|under)\s+(?=(?:là|la|is|are|was|were)\b)", " ", text)
    text = re.sub(r"(?i)^\s*(theo|trong|according to|in|under)\s*,\s*", "", text)  # "Theo , các sở …" once its plan is out
    text = re.sub(r"(?i)^\s*(của|cua|of)\s+", "", text)  # "Kế hoạch … của Ninh Bình giao ai …" once the plan is out
    text = re.sub(r"(?i)\b(in|under|of|for|from)\s+['’]s\s+(plan|decision|programme|program|document)\b\s*,?\s*", "", text)
    text = re.sub(r"\s+['’]s\b", "", text).strip(" ,")  # "In 's plan," once "Ninh Binh" is out
    text = re.sub(r"\s*\(\s*\)", "", text)  # "… the plan ( )" once the bracketed place is out
    return re.sub(r"\s+", " ", text).strip(" ?.,")


# "đợt đó", "kế hoạch này", "biện pháp ấy": a noun pointed at by "that" (folded: "dot do"); "do" typed bare is also
# "by" ("đề án do Công an chủ trì"), which an asking word or a body follows
# (not "do" before the body it names: "… do Sở Y tế chủ trì" is "by")
_NOT_A_POINTER = (r"(?! (?:ai|co quan|don vi|nganh|so|bo|cac|cong an|ubnd|uy ban|hoi|vien|toa|luc luong|ben|nhung)\b)")
_POINTED = re.compile(rf"\b(\w+(?: \w+)?) (do|nay|ay|kia)\b{_NOT_A_POINTER}")
# where the previous question's phrase for that noun ends: its asking words, verbs of time and place, punctuation
_PHRASE_END = re.compile(r"[,;:?.!()]|\b(tu|den|do|la|duoc|co|ai|nao|gi|khi|bao|o|tai|cua|trong|dien|keo|bat|thi|vao|"
                         r"se|phai|can|nham|gom|nhu|the|ra)\b")


# nouns a pointer follows that name no topic of their own ("việc này", "vấn đề đó", "mảng này")
_GENERAL_NOUNS = frozenset("viec van de noi dung linh vuc mang phan chuyen cong tac hoat dong nhiem vu de an".split())


_POINTED_TOPIC = re.compile(rf"\b((?:\w+ ){{1,3}}\w+) (do|nay|ay|kia)\b{_NOT_A_POINTER}")  # (up to four words before)


def _points_at_its_own(question: str, previous: str) -> bool:
    """"Còn KH 2026–2030 thì ai chủ trì mảng thuỷ sản này?" after a question on fishing: the pointer follows a topic the
    question names in words of its own (two the previous question did not use), so it asks of that topic."""
    before = set(re.findall(r"\w+", fold(previous)))
    for m in _POINTED_TOPIC.finditer(fold(question)):
        words = [w for w in m.group(1).split() if w not in _GENERAL_NOUNS and w not in _FILLER]
        if len(words) >= 2 and not set(words) & before:
            return True
    return False


def _pointed_phrase_spelled_out(question: str, previous: str) -> str:
    """"Đợt đó nhắm vào những hành vi nào?" after "… mở đợt cao điểm tấn công, trấn áp … từ ngày nào?": the noun the
    question points at, written out as the previous question wrote it ("đợt cao điểm tấn công"), so the search finds
    the passage about it and not every passage with "đợt"."""
    if detect_language(question) != "vi":
        return question
    folded, before = fold(question), fold(previous)
    if len(folded) != len(question) or len(before) != len(previous):
        return question  # (positions are read across the folded and the written text)
    for m in _POINTED.finditer(folded):
        words = m.group(1).split()
        for noun in (" ".join(words), words[-1]) if len(words) > 1 else (words[-1],):
            if len(noun) < 2 or noun in _FILLER:
                continue
            at = re.search(rf"\b{re.escape(noun)}\b", before)
            if at is None:
                continue
            end = _PHRASE_END.search(before, at.end())
            tail = before[at.end(): end.start() if end else len(before)].split()[:6]
            # ("kế hoạch đó" after "… theo kế hoạch số mấy của UBND tỉnh": the words that asked which plan name none)
            asking = next((n for n, word in enumerate(tail) if word in ("nao", "may", "gi", "bao", "ai")), None)
            if asking is not None:
                tail = tail[: max(asking - 1, 0) if asking and tail[asking - 1] == "so" else asking]
            if len(tail) < 2:
                break  # "đề án đó" after "… gồm những đề án nào?": the items said before, which the rules after read
            start = m.start() + (len(m.group(1)) - len(noun))
            phrase = previous[at.start(): at.end() + len(" ".join(tail)) + 1].strip(" ,")
            # (the question's own spelling when it has marks; the previous question's words as written)
            return question[:start] + phrase + question[m.end():]
    return question


def _resolve(question: str, frame: _Frame, intent: str, role: str,
             meant: tuple[str, str] | None = None) -> tuple[str, str, str]:
    """(text, intent, role) of a follow-up question, from the previous question's frame (`meant`: the act the previous
    answer named that the question points at, from _instrument_meant)."""
    if meant:
        # the act itself, wherever the documents say what it does (another plan may describe it): not the old scope;
        # what it covers is said in the sentence that names it ("… Nghị quyết số 02/2019/NQ-HĐTP … hướng dẫn áp dụng
        # … đối với Điều 150 … và Điều 151 …"), not in a list whose heading shares a word
        return question.replace(meant[0], meant[1], 1), ("fact" if intent == "list" else intent), role
    asked = question
    question = _pointed_phrase_spelled_out(question, frame.text)
    folded = fold(question)
    new_scope = _scope_words(question)
    agency = agencies_in(question)
    if intent == "particular" and not _own_words(question.replace("?", "")) or (intent == "particular" and frame.intent == "particular"):
        # "Ai ký?" after "Kế hoạch 22/KH-BCĐ ban hành ngày nào?": the same document, another particular.
        keep = "" if new_scope else _scope_words(frame.text)  # (a place of its own is in the question already)
        return f"{question.rstrip('?')} {keep}".strip(), "particular", "lead"
    told = _need_told(asked, frame.text)
    if told is not None:
        # "Nếu muốn vay vốn làm ăn thì sao?" after what a returning victim gets for vocational training
        return f"{_SET_AGAINST.sub('', asked).rstrip('?')} {told}".strip(), ("fact" if intent in ("list", "who") else intent), role
    # (as asked: the case is told again whole, and "bé đó" spelled out would bring back the age the change replaces)
    changed = _case_changed(asked, frame)
    if changed:
        # "What if one of the three had been only 15?" after a case told: the same case, changed, asked again
        return changed, frame.intent, frame.role
    # (a follow-up asking on its own in another language than the previous question is asked as it is written: "còn
    # đề án 3 thì sở nào chủ trì, những ai tham gia?" after "who's in charge of project 2?")
    own_question = _ASKS.search(fold(_NUMBERED.sub(" ", question))) and detect_language(question) != detect_language(frame.text)
    numbered = None if own_question else _renumbered(question, frame.text)
    if numbered:
        # "Còn Điều 151 thì sao?" after "Điều 150 quy định …", "Thế còn Đề án 3?" after "Đề án 1 do ai chủ trì?"
        return numbered, frame.intent, frame.role
    # (a part the previous answer listed, named, is what a pointer beside it points at: "and Đề án 3, who leads it?")
    units = {(_kind(kind), number) for kind, number in frame.units}
    listed = any((_kind(m.group(1)), m.group(2)) in units for m in _NUMBERED.finditer(question))
    if _NUMBERED.search(question) and _ASKS.search(folded) and (listed or not _refers_back(question)):
        # "Thế đề án 3 thì sở nào chủ trì, những ai tham gia?" after "… gồm những đề án nào?": a question of its own about
        # a numbered part the previous question did not name, asked where the previous one was
        return f"{question.rstrip('?')} {_place_of(frame, question)}".strip(), intent, role
    own = _own_words(question)
    same_tasks = frame.intent == "tasks_of" and bool(agency) and bool(_SAME_AS_BEFORE.search(folded))
    # ("And in the 2024 plan, was fishing mentioned at all?": a yes-or-no question of its own, its verb put first)
    asks = bool(_ASKS.search(folded)) or bool(_INVERTED_VERB.match(re.split(r"[,:;]", question)[-1].strip()))
    if len(_topic_words(own)) >= 2 and asks and (new_scope or agency) \
            and (not _refers_back(question) or len(own) >= 5 or _points_at_its_own(question, frame.text)) \
            and not same_tasks:  # ("Did the justice department have a similar role in Quang Ninh?": its tasks there)
        # (a long question of its own may hold a word that folds to a pointer: "trên biển" is not "trên")
        # "Còn ở Quảng Ninh thì MTTQ được đề nghị làm gì?": a question of its own, in a place of its own (a penalty
        # asked of the same case — "Apart from prison, what else can the court hit him with?" — is of the same article)
        cited = _cited(frame, question) if detect_slot(folded) in ("penalty", "money") else ""
        # (an agency of its own, in no place of its own: "Còn Viện kiểm sát thì được đề nghị làm gì?" is asked where
        # the previous question was)
        place = "" if new_scope else _scope_words(frame.text)
        if new_scope and not find_provinces(question):
            # "And in the 2024 plan, …?" after a question about Ninh Bình: the 2024 plan of that province
            place = " ".join(dict.fromkeys(name for name, _s, _e in find_provinces(frame.text)))
        return re.sub(r"\s+", " ", f"{question.rstrip('?')} {place} {cited}").strip(), intent, role
    if frame.intent == "tasks_of" and agency:
        # "Còn Công an tỉnh?" after "Sở Y tế phải làm gì …": the same question about another agency.
        previous_agency = agencies_in(frame.text)
        text = frame.text
        if previous_agency:
            for mention in sorted(find_agencies(text), key=lambda m: -m.start):
                if mention.agency.name == previous_agency[0]:
                    text = text[: mention.start] + agency[0] + text[mention.end :]
                    break
            else:
                text = f"{agency[0]} phải làm gì {_scope_words(frame.text)}"
        if new_scope:
            text = f"{_without_scope(text)} {new_scope}"
        return text, "tasks_of", "lead"
    new_role = role
    if _ROLE_WORDS.search(folded):
        new_role = "coordinating" if re.search(r"\b(phoi hop|tham gia|coordinat\w*|partners?|support\w*|help\w*|assist\w*)\b",
                                               folded) else "lead"
    next_intent = frame.intent if intent in ("fact", frame.intent) or not _own_words(question) else intent
    if next_intent == "who" and new_role != role:
        pass
    elif next_intent == "who":
        new_role = new_role if _ROLE_WORDS.search(folded) else frame.role
    if len(_topic_words(_own_words(question))) >= 2 and _ASKS.search(folded) and not _refers_back(question):
        # "Còn trợ giúp pháp lý cho nạn nhân thì bên nào lo?": a question of its own, in the previous one's place
        # (not "… đề án đó": a pronoun points back)
        return (question.rstrip("?") if new_scope else f"{question.rstrip('?')} {_place_of(frame, question)}".strip(),
                intent, role)
    if new_scope:
        return f"{_with_role(_without_scope(frame.text), new_role)} {new_scope}", next_intent, new_role
    if _ROLE_WORDS.search(folded) and not _own_words(question):
        if agency and not set(agency) & set(agencies_in(frame.text)):
            # "Which of them does the provincial police lead?": the agency is what the follow-up asks about
            return f"{question.rstrip('?')}: {_with_role(frame.text, new_role)}", "who", new_role
        return _with_role(frame.text, new_role), "who", new_role
    if _THE_WHOLE.search(folded) and _ASKS.search(folded) and not agency:
        # "How is all of this funded?" after "And the Department of Foreign Affairs — what's its role?": "all of this"
        # is the plan the conversation is in, not the body the last question named
        # (the pointer's words left out: "all of this" is no word the plan's text would hold)
        own = question if len(folded) == len(question) else folded
        plan = "the plan" if detect_language(question) == "en" else "kế hoạch"
        for m in reversed(list(_THE_WHOLE.finditer(folded))):
            own = f"{own[:m.start()]} {plan} {own[m.end():]}"
        return re.sub(r"\s+", " ", f"{own.rstrip('? ')} {_place_of(frame, question)}").strip(), intent, role
    if len(_own_words(question)) >= 2 and _ASKS.search(folded):
        # "when did it take effect?": a question of its own about what the previous one was about; "is that the
        # same ministry?" after a who question still asks who
        if intent == "fact" and frame.intent == "who" and detect_slot(folded) is None and _ASKED_BODY.search(folded):
            intent, role = "who", frame.role
        if len(_own_words(question)) >= 4 and (not _PRONOUN.search(_PERSON_OBJECT.sub(" ", folded)) or _ARTICLE.search(question)):
            # a topic of its own ("supervising marriage brokers and adoption services"): the previous question's
            # place and document, not its topic, which would outweigh the new one (but "is every victim eligible
            # for it?" points back to it, unless it names its own article: "which ones bump it up under Article 150(3)?")
            return f"{question.rstrip('?')} {_place_of(frame, question)}".strip(), intent, role
        return f"{question.rstrip('?')} {_subject_of(frame.text)} {_cited(frame, question)}".strip(), intent, role
    replaced = _with_new_topic(question, frame, next_intent, new_role)
    if replaced:
        return replaced, next_intent, new_role
    if next_intent == "who" and detect_language(question) != detect_language(frame.text):
        # "cái đó giao cho ai?" after an English question: asked in the previous question's language, so the search
        # reads one language ("Who is in charge of the national hotline … ?"); the answer keeps the user's
        if frame.intent == "who":
            return _with_role(frame.text, new_role), "who", new_role
        english = detect_language(frame.text) == "en"
        asked = ("Who coordinates" if new_role == "coordinating" else "Who is in charge of") if english else (
            "Ai phối hợp" if new_role == "coordinating" else "Ai chủ trì")
        return f"{asked} {_asked_about(frame.text)}", "who", new_role
    return f"{question.rstrip('?')} {_subject_of(frame.text)} {_cited(frame, question)}".strip(), next_intent, new_role


def _case_changed(question: str, frame: _Frame) -> str:
    """The case the previous question told, with what the follow-up changes, asked again ("What if one of the three
    had been only 15?", "Còn nếu cháu đã 17 tuổi thì sao?"): the case's own age is dropped when the follow-up gives
    another, so the victim has one age. "" when the follow-up changes no told case."""
    folded = fold(question)
    cue = _CHANGED_CASE.match(folded)
    story = _story_told_first(frame.text)
    if cue is None or len(folded) != len(question):
        return ""
    end = _CUE_END.search(folded)
    change = question[cue.end() : end.start() if end else len(question)].strip(" ?.,")
    change = re.split(r"(?<=[.!?])\s+", change, maxsplit=1)[0].strip(" ?.,")  # the change told, not what is asked after it
    if not change:
        return ""
    if not story:
        # "What about when the victim is a child under 16?" after "… what fines can a court add … under Article 150?":
        # the previous question asked of the victim's age, which is another article's offence (not Article 150's);
        # "What if the survivor is a foreign national …?" after "What assistance is a survivor entitled to?": the
        # previous question asked of another kind of person
        if not _tells_age(change) and not _PERSON_KIND.search(fold(change)):
            return ""
        # ("… under Article 150" loses its phrase; "what range does Article 150 set" keeps a subject: the law)
        # (its clause goes with it: "khoản 1" of Article 150 is no clause of the article the new age falls under)
        unnamed = frame.text if not _tells_age(change) else _CLAUSE_NAMED.sub(" ", _ARTICLE_NAMED.sub(
            lambda m: " " if m.group(1) else (" the law " if detect_language(frame.text) == "en" else " luật "), frame.text))
        # ("… có những tình tiết nào? phạt tù bao nhiêu?": of two questions, the one asking a value is asked again)
        asked_parts = [p for p in re.split(r"\?\s*", unnamed) if p.strip()]
        valued = [p for p in asked_parts if detect_slot(fold(p))]
        if len(asked_parts) > 1 and valued:
            unnamed = valued[-1]
        before = re.sub(r"\s+([,;])", r"\1", unnamed).strip(" ?.,")
        joint = cue.group(0).split()[-1] if cue.group(0).split()[-1] in ("when", "if", "khi", "neu") else ""
        joint = question[cue.end() - len(joint) : cue.end()] if joint else ""  # ("nếu" as typed, marks and all)
        return re.sub(r"\s+", " ", f"{before}, {joint} {change}?").strip()
    if stated_ages(fold(change)) or ADULT.search(fold(change)):
        story = _without_ages(story)
    # ("Còn nếu cô ấy muốn vay vốn thì luật nói gì?" asks what the law says of the new case, not the grant asked before)
    asked_before = "" if _ASKS_THE_PROVISION.search(folded) else question_after_story(frame.text)
    return re.sub(r"\s+", " ", f"{story} {change}. {asked_before}").strip()


# "under Article 150", "theo Điều 150 Bộ luật Hình sự": an article named with the word before it
_ARTICLE_NAMED = re.compile(r"(?i)(\b(?:under|in|of|by|theo|tại|tai|của|cua)\s+)?" + _ARTICLE.pattern.removeprefix("(?i)"))


# "khoản 1", "điểm b khoản 2", "clause 3": a clause named without its article
_CLAUSE_NAMED = re.compile(r"(?i)\b(?:(?:điểm|diem|point)\s+[a-zđ]\s+(?:of\s+)?)?(?:khoản|khoan|clause|paragraph)\s*\d{1,2}\b")


def _without_ages(text: str) -> str:
    """A case without the ages it tells ("Con gái tôi 15 tuổi bị …" → "Con gái tôi bị …")."""
    folded = fold(text)
    if len(folded) != len(text):
        return text
    for m in reversed(list(_AGE.finditer(folded))):
        text = text[: m.start()] + text[m.end() :]
    return text


def _with_new_topic(question: str, frame: _Frame, intent: str, role: str) -> str:
    """"And the prosecution target?" after "What is the target rate for investigating … in Ninh Binh's 2024 plan?",
    "Còn tuyên truyền?" after "Ai chủ trì hỗ trợ nạn nhân ở Ninh Bình năm 2024?": a cue and a topic of its own,
    asking nothing: the previous question asked again of the new topic, in its place and document (the old topic
    would outweigh the new one). "" when the follow-up is not of that kind."""
    question = normalize_for_matching(question)
    folded = fold(question)
    cue, cue_end = _CUE.match(folded), _CUE_END.search(folded)
    if _ASKS.search(folded) or _refers_back(question) or not (cue or cue_end) or len(folded) != len(question):
        return ""
    if re.search(r"\d|\b(neu|if|with|without|khi|when|trong truong hop|in case|unless|doi voi|for|cap|level)\b", folded):
        # a condition or a level ("And with two to five victims?", "còn nếu phạm tội 2 lần trở lên?", "còn cấp huyện?")
        # narrows the old topic
        return ""
    own = _own_words(question)
    before = set(re.findall(r"[a-z]+", fold(frame.text)))
    if not own or all(w in before for w in own) or agencies_in(question) or _scope_words(question):
        return ""
    topic = question[cue.end() if cue else 0 : cue_end.start() if cue_end else len(question)].strip(" ?.,")  # the cue's words out
    if not topic:
        return ""
    scope = _place_of(frame, question)
    english = detect_language(frame.text) == "en"
    if intent == "who":
        asked = ("Who coordinates" if role == "coordinating" else "Who is in charge of") if english else (
            "Ai phối hợp" if role == "coordinating" else "Ai chủ trì")
        return f"{asked} {topic} {scope}".strip()
    if english:
        head = _ASKING_HEAD.match(frame.text)
        return f"{head.group(0).strip() if head else 'What about'} {topic} {scope}".strip()
    tail = re.search(r"(?i)\b(?:là gì|là bao nhiêu|đạt bao nhiêu|bao nhiêu|là|gồm những gì|gồm|những gì|gì|nào|khi nào|"
                     r"bao giờ|thế nào|ra sao)\b[^?]*", frame.text)
    asked = re.split(r"(?i)\s+(?:ở|o|tại|tai|của|cua|trong|theo)\s", tail.group(0))[0] if tail else "là gì"
    return f"{topic} {asked} {scope}".strip()


_ASKING_WORDS = re.compile(r"(?i)\b(?:là gì|là bao nhiêu|bao nhiêu|gì|nào|ai|mấy|khi nào|bao giờ|ở đâu|thế nào|ra sao|"
                           r"what(?:['’]s)?|which|who|when|where|how(?: many| much)?)\b")


def _asked_about(previous: str) -> str:
    """The previous question without its asking words, all it was about kept ("Kế hoạch … đặt mục tiêu về tổng đài
    111", "the national anti-trafficking hotline number mentioned in …")."""
    head = _ASKING_HEAD.match(previous)
    text = previous[head.end():] if head else previous
    return re.sub(r"\s+", " ", _ASKING_WORDS.sub(" ", text)).strip(" ?.,")


_ASKED_BODY = re.compile(r"\b(ministr\w*|agenc\w*|departments?|bod(y|ies)|co quan|bo|so|don vi|nganh|luc luong)\b")


# A pointer to everything said so far (folded): "all of this", "everything", "the whole plan", "tất cả những việc này",
# "toàn bộ kế hoạch": the plan the conversation is in, not the last subject. ("under the plan", "kế hoạch đó" only
# name the plan a pointer beside them is in: "Who's responsible for that under the plan?")
_THE_WHOLE = re.compile(r"\ball (?:of )?(?:this|that|these|those|it)\b|\beverything\b|\bthe whole\b|\btat ca (?:nhung )?"
                        r"(?:(?:viec|hoat dong|noi dung|dieu) )?(?:nay|do|tren|ay)\b|\btoan bo\b")


def _subject_of(previous: str) -> str:
    """What the previous question was about, without what it asked ("Quyết định … 2011-2015" of "Quyết định …
    2011-2015 là số mấy?"): a follow-up that asks something else of it ("when did it take effect?") must not
    carry the old question's asking words. The whole question when too little would be left."""
    head = _ASKING_HEAD.match(previous) or _ASKING_AFTER_PHRASE.search(previous)
    if head:  # English asks first: "What's the national hotline number …" is about "the national hotline number …"
        # ("In Ninh Bình's 2026-2030 plan, which department is in charge of …": the phrase before it is kept)
        subject = f"{previous[: head.start()]} {previous[head.end():]}"
        subject = re.sub(r"^[\s,]+|\s*,\s*(?=\s)", " ", subject).strip()
        document = _DOCUMENT_NOUN_PHRASE.match(subject)
        rest = subject[document.end():] if document else ""
        if re.search(r"(?i)\b(did|does|do)\s+$", head.group(0)) and document and len(re.findall(r"\w+", rest)) <= 4 \
                and not re.search(r"(?i)\b(about|on|regarding|for|of|to|with|say|says|mention)\b", rest):
            # "When did the 2011 anti-trafficking law come into force": "it" is the law, not its coming into force
            subject = document.group(0)
    else:
        subject = re.sub(r"(?i)\s+(là|la|mang|có|co|được|duoc|is|was|are)?\s*(số|so)?\s*$", "", _ASKING_TAIL.sub("", previous))
        # (the place, year and document named after the asking words stay: "Còn Đề án 3 thì sở nào chủ trì Quang Ninh
        # 2011-2015" is about Đề án 3 of Quang Ninh 2011-2015)
        asked = _ASKING_TAIL.search(previous)
        scope = _scope_words(previous[asked.start():]) if asked else ""
        subject = f"{subject.strip(' ,.?')} {scope}" if scope else subject
    return subject.strip(" ,.?") if len(re.findall(r"\w+", subject)) >= 4 else previous


# A document named as the subject of a question ("the 2011 anti-trafficking law", "Quang Ninh's decision").
_DOCUMENT_NOUN_PHRASE = re.compile(r"(?i)^.{0,80}?\b(law|plan|decision|decree|code|programme|program|convention|resolution|"
                                   r"document|circular|directive)\b")
_ASKING_HEAD = re.compile(r"(?i)^\s*(?:what|which|who|whom|when|where|how(?:\s+many|\s+much|\s+long|\s+often)?)"
                          r"(?:['’]s|\s+(?:is|are|was|were|does|do|did|has|have|will|should|must|can))?\s+")


_AUXILIARY_VERB = r"(?:is|are|was|were|does|do|did|has|have|will|should|must|can)"
_ASKED_NOUN = r"(?:departments?|agenc(?:y|ies)|bod(?:y|ies)|organi[sz]ations?|units?|authorit(?:y|ies)|ministr(?:y|ies)|offices?|forces?)"
_ASKING_AFTER_PHRASE = re.compile(
    rf"(?i)(?<=,)\s*(?:(?:what|which)(?:\s+[a-z-]+)?\s+{_ASKED_NOUN}\s+{_AUXILIARY_VERB}(?:\s+in charge of|\s+responsible for)?|"
    rf"(?:what|which|who|whom|when|where|how(?:\s+many|\s+much|\s+long|\s+often)?)(?:['’]s|\s+{_AUXILIARY_VERB})?)\s+")


_NUMBERED = re.compile(r"(?i)\b(điều|dieu|đề án|de an|khoản|khoan|điểm|diem|chương|chuong|mục|muc|article|project|clause|"
                       r"chapter|section)\s+([0-9]+[a-z]?|[ivxlc]+)\b")


# The same numbered part in either language ("Project 2" after "Đề án 1", "Article 151" after "Điều 150").
_NUMBERED_KIND = {"dieu": "article", "de an": "project", "khoan": "clause", "diem": "point", "chuong": "chapter",
                  "muc": "section"}
# What the previous question said the numbered part is about ("Đề án 1 về thông tin, tuyên truyền"): not what
# another one is about.
_ABOUT = re.compile(r"(?i)\s*(?:về|ve|on|about|\(|:|–|-)\s*[^?]*?(?=\s+(?:trong|của|cua|theo|tại|tai|in|of|under|from)\b|[?)]|$)")


def _kind(word: str) -> str:
    key = fold(word).lower()
    return _NUMBERED_KIND.get(key, key)


def _renumbered(question: str, previous: str) -> str | None:
    """The previous question with the numbered part the follow-up names put in place of its own ("Điều 151"
    for "Điều 150", "Project 2" for "Đề án 1"), or None when the follow-up names none the previous question has."""
    wanted = {_kind(m.group(1)): m for m in _NUMBERED.finditer(question)}
    if not wanted:
        return None
    out, changed = previous, False
    for m in reversed(list(_NUMBERED.finditer(previous))):
        new = wanted.get(_kind(m.group(1)))
        if new is not None and fold(new.group(2)).lower() != fold(m.group(2)).lower():
            about = _ABOUT.match(out, m.end(2))
            tail = out[about.end():] if about and about.end() > m.end(2) else out[m.end(2):]
            out = out[: m.start(2)] + new.group(2) + tail
            changed = True
    if not changed:
        return None
    scope = _scope_words(question)
    return f"{_without_scope(out)} {scope}" if scope else out


def _with_role(text: str, role: str) -> str:
    """The previous question asking for another role: "Ai chủ trì …" → "Ai phối hợp …" (and back)."""
    if role == "coordinating":
        text = re.sub(r"\bchu tri\b", "phoi hop", re.sub(r"\bchủ trì\b", "phối hợp", text))
        return re.sub(r"(?i)\b(leads?|is in charge of|is responsible for)\b", "coordinates", text)
    text = re.sub(r"\bphoi hop\b", "chu tri", re.sub(r"\bphối hợp\b", "chủ trì", text))
    return re.sub(r"(?i)\bcoordinates\b", "leads", text)


_INTENT_OF_LEGACY = {
    "who_leads": ("who", "lead"),
    "who_coordinates": ("who", "coordinating"),
    "meta": ("particular", "lead"),
    "who": ("who", "lead"),
}
