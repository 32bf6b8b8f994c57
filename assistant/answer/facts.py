"""Facts: the sentences of the retrieved passages that state what is asked, quoted verbatim, with the
lead-in an item hangs from; a refusal when the best evidence is weak or lacks what is asked (refusal.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Sequence

from ..document import trimmed_span
from ..duties import find_agencies
from ..glossary import expand_english, formal_phrases, glossary_share
from ..query import (ADMINISTRATIVE, PARTNER_TOPIC, Query, acting_agencies, after_its_case, agencies_acted_on,
                     asks_of_the_asker, asks_to_compare, counts_items, opens_with_condition, question_after_story,
                     without_indefinite_may)
from ..retrieve import Filters, Hit
from ..scope import without_provinces
from ..text import detect_language, fold, keyword_terms, normalize_for_matching
from .refusal import FOREIGN_COUNTRIES, NUMBER_WORDS, UNIT_FOLDED, missing_part, names_missing, states, states_asked
from .structure import NUMBER_MARKER, article_node, containing, heading_words, points_referred, section_at, tree
from .types import (
    QUOTE_LIMIT,
    Answer,
    according_to,
    clean_quote,
    document_label,
    not_found,
    official_section,
    sentences,
)
from .who import answer_who_in_passage

if TYPE_CHECKING:
    from .context import Context, TopicTerms

_NUMBER_CUES = re.compile(
    r"(?i)\b(bao nhi[eê]u|m[aấ]y|t[yỷ] l[eệ]|s[oố] (điện thoại|dien thoai|hi[eệ]u|l[uư][oợ]ng)|how many|how much|what percentage|"
    r"percent|rate|number|phone|hotline|t[oổ]ng [dđ]ài|tong dai|ch[iỉ] ti[eê]u|target)\b"
)
_DATE_CUES = re.compile(r"(?i)\b(khi n[aà]o|ng[aà]y n[aà]o|th[oờ]i gian|th[aá]ng n[aà]o|n[aă]m n[aà]o|when|what date|which day|period|giai đo[aạ]n n[aà]o|from when|until when|dates?)\b")


@dataclass
class Evidence:
    """Scored sentences of the retrieved passages."""

    hit: Hit
    start: int
    end: int
    text: str
    coverage: float
    score: float
    # The lead-in an item hangs from ("2. … thì bị phạt tù từ 08 năm đến 15 năm:" above "đ) Đưa nạn nhân
    # ra khỏi biên giới …"): the item alone does not say what the law does with it.
    lead_start: int = -1
    lead_end: int = -1
    lead_text: str = ""

    @property
    def span_start(self) -> int:
        """Where the quoted text starts: at the lead-in when there is one."""
        return self.lead_start if self.lead_text else self.start

    def full_text(self) -> str:
        """The lead-in (when there is one) and the sentence, for checks that need both."""
        return f"{self.lead_text} {self.text}" if self.lead_text else self.text


LIST_QUOTE_LIMIT = 1500  # characters of a lead-in quoted with the points of its list


# A lead-in: ends with ":", or announces what follows ("ưu tiên thực hiện các hoạt động sau;").
_LEAD_IN = re.compile(r"(:|\b(sau|như sau|gồm|bao gồm|sau đây)\s*[;:.]?)\s*$")
# An item of a list: "a)", "đ)", "-", "+", "•" (the lead-in above it ends with ":").
_LIST_ITEM = re.compile(r"\s*(?:[a-zđ]\)|[-+•–]\s)")
# A lead-in quoted with the first point of its list: "… có trách nhiệm: a) Ký hợp đồng …;"
_OPENED_LIST = re.compile(r":\s*(?:[a-zđ]\)|[-+•–]\s)[^:]*$")


def evidence(composer: "Context", question: str, language: str, hits: Sequence[Hit],
             article: str | None = None) -> list[Evidence]:
    """The sentences of the top passages scored against the question (inside the named article, if any).

    Kept for the question being answered: a list question that no list answers is answered as a fact from
    the same scored sentences, not scored twice."""
    key = (question, language, tuple(h.chunk.chunk_id for h in hits[:6]), article)
    cached = composer.scored.get(key)
    if cached is not None:
        return list(cached)
    out = _score_sentences(composer, question, language, hits, article)
    if len(composer.scored) > 64:
        composer.scored.clear()
    composer.scored[key] = out
    return list(out)


def _score_sentences(composer: "Context", question: str, language: str, hits: Sequence[Hit],
                     article: str | None) -> list[Evidence]:

    terms = composer._topic_terms(question, language)
    wants_number = bool(_NUMBER_CUES.search(question))
    wants_date = bool(_DATE_CUES.search(question))
    out: list[Evidence] = []
    # A body the question names in its own words ("Phòng LĐTBXH", "UBND xã") is said by a sentence that names it in the
    # text's ("Phòng Lao động – Thương binh và Xã hội", "Ủy ban nhân dân cấp xã"): its words count as said there
    # (read as the terms were: a question typed without marks with them restored, "UBND xa" as "UBND xã")
    read = composer.retriever.prepare(question).dense_text if language != "en" else question
    named: dict[str, set[str]] = {}
    for mention in find_agencies(read):
        named.setdefault(mention.agency.id, set()).update(keyword_terms(read[mention.start : mention.end]))
    for hit in hits[:6]:
        # (the bodies the passage names, read once: each sentence takes those that lie in it or in its lead-in)
        said_bodies = [(m.start, m.agency.id) for m in find_agencies(hit.chunk.text, hit.chunk.start)
                       if m.agency.id in named] if named else []
        context_words = set(keyword_terms(hit.chunk.context))
        lead: tuple[int, int, str] | None = None
        doc_text = composer.store.documents[hit.chunk.doc_id].text
        node = article_node(doc_text, article) if article else None
        for s, e, text in sentences(hit.chunk.text, hit.chunk.start):
            if node is not None and not (node.start <= s < node.end):
                continue
            parent = lead if _LIST_ITEM.match(text) and _hangs_from(doc_text, lead, s) else None
            lead = (s, e, text) if _LEAD_IN.search(text) else parent
            both = f"{parent[2]} {text}" if parent else text
            # An item says what its lead-in says of it: the two are scored as one sentence.
            # The headings above the sentence itself (its article's title, "Điều 45. Trách nhiệm của Bộ Y tế"),
            # not only the chunk's first heading: short articles share one chunk.
            near = context_words | heading_words(composer.store.documents[hit.chunk.doc_id].text, s)
            words = set(keyword_terms(both))
            for at, agency_id in said_bodies:
                if s <= at < e or parent and parent[0] <= at < parent[1]:
                    words |= named[agency_id]
            coverage = composer._coverage(terms, words, near)
            score = coverage + 0.35 / hit.rank + 0.25 * max(0.0, hit.dense_score - 0.75) * 4
            if wants_number and re.search(r"\d", both):
                score += 0.25
            if wants_date and re.search(r"\d{1,2}/\d{1,2}|ngày|tháng|\b(19|20)\d\d\b", both):
                score += 0.2
            if len(both) < 25:
                score -= 0.3
            lead_start, lead_end, lead_text = parent or (-1, -1, "")
            out.append(Evidence(hit, s, e, text, coverage, score, lead_start, lead_end, lead_text))
    out.sort(key=lambda ev: -ev.score)
    return out

def _hangs_from(text: str, lead: tuple[int, int, str] | None, item: int) -> bool:
    """Whether an item lies under a lead-in: inside the numbered part the lead-in ends ("b) … Phân công thực hiện:"
    above "- Cơ quan chủ trì: …"), not in a part beside it ("c) Phát huy …" is b's sibling, not its item). An item the
    structure does not number lies in the lead-in's own part, and hangs from it."""
    if lead is None:
        return False
    root = tree(text)
    lead_chain, item_chain = containing(root, lead[0]), containing(root, item)
    if not lead_chain or not item_chain or item_chain[-1] is lead_chain[-1]:
        return True
    return lead_chain[-1] in item_chain


def supported(composer: "Context", question: str, best: Evidence, language: str) -> bool:
    """Is the best evidence strong enough to answer? (thresholds calibrated on evals/questions.jsonl)"""

    folded = without_indefinite_may(fold(without_provinces(question)))  # ("bao nhiêu Lâm Đồng 2024": no money)
    # "bao nhiêu tỷ đồng / năm tù / vụ / nạn nhân": a figure with that unit must be quoted.
    unit = re.search(r"\b(?:bao nhieu|how many|how much|may|number of)\s+(?:\w+\s+)?(ty dong|trieu dong|dong|tien|nam|vu|nan nhan|"
                     r"nguoi|ngay|thang|cases|victims|people|years|days|months|vnd|dong)\b", folded)
    # ("Can an NGO's shelter draw on the state budget?" asks whether, not how much: a budget is a figure asked only
    # with an amount word)
    budget_figure = re.search(r"\b(budget|ngan sach)\b", folded) and re.search(
        r"\b(how much|bao nhieu|amount|how large|how big|total|tong|size|figure|muc)\b", folded)
    if unit or budget_figure or re.search(r"\b(kinh phi bao nhieu|muc (tro cap|phat)|prison|phat tu)\b", folded):
        unit_word = unit.group(1) if unit else ""
        unit_vi = {"cases": "vu", "victims": "nan nhan", "people": "nguoi", "years": "nam", "vnd": "dong", "days": "ngay",
                   "months": "thang"}.get(unit_word, unit_word)
        sentence = fold(best.full_text())
        if unit_vi in ("tien", "ty dong", "trieu dong", "dong", "") or budget_figure:
            if not re.search(r"\d[\d.,]*\s*(ty|trieu|nghin|dong|vnd)\b", sentence):
                return False
        elif unit_vi and not re.search(rf"\d[\d.,]*\s*{unit_vi}\b|\d+(?:[.,]\d+)?\s*%\s*(?:\S+\s+){{0,2}}{unit_vi}\b", sentence):
            return False  # (a share of them counts them: "90% số vụ án" for "how many cases")
    # "Ai là Giám đốc …", "who is the chairman": a person's name, which plans rarely give.
    if re.search(r"\b(ai la|who is the|who was the|ten cua|name of)\b.*\b(giam doc|chu tich|truong ban|chairman|director|head|chief)\b", folded):
        return False
    dense = best.hit.dense_score
    language = detect_language(question)  # of the text matched (a follow-up may resolve to another language)
    if language == "en":
        # Off-topic: few words the domain glossary knows AND far from every passage in the dense space. An
        # in-domain question in words the glossary lacks is still close to its passage across languages.
        if glossary_share(question) < 0.34 and dense < 0.80:
            return False
        return best.coverage >= 0.3 or dense >= 0.82
    return best.coverage >= 0.25 or (best.coverage >= 0.12 and _says_in_its_words(question, best))


# "how many speakers", "bao nhiêu tuyên truyền viên", "mấy câu lạc bộ": a count of things asked (its noun up to the verb);
# not a share ("how many per cent"), a time or a sum (the unit check above), nor the items of a list (lists.py counts them)
_COUNT_ASKED = re.compile(r"\b(?:how many|(?<!\bso )(?:bao nhieu|may))\s+(?:of (?:the|those|these|them)\s+)?((?:[a-z'-]+\s+){0,3}?[a-z'-]+)"
                          r"(?=\s+(?:does|do|did|is|are|was|were|will|would|should|must|can|could|has|have|had|in|on|at|by|"
                          r"for|under|per|to|duoc|se|phai|can|trong|cua|o|tai|theo|moi|den|vao|la|co|nam|da)\b|\s*[?,.;]|\s*$)")
_NOT_COUNTED = re.compile(r"\b(percent|per cent|%|phan tram|ty le|lan|luot|times|tien|dong|vnd|money|years?|months?|days?|weeks?|"
                          r"nam|thang|ngay|tuan|tuoi|old|much)\b")
# A count stated: a number not a share, a day or month of a date, a year, or a document's number ("100%", "ngày 29 tháng 3",
# "số 22/KH-BCĐ" state none); or a count in words ("một lần", "hai người").
_COUNT_STATED = re.compile(r"(?<![\d/.,])(?!(?:19|20)\d\d\b)\d+(?![\d/.,%-]|\s*%|\s*(?:thang|nam)\s+\d)(?<!ngay \d)(?<!ngay \d\d)|"
                           rf"\b{NUMBER_WORDS}\s+(?!so\b)[a-z]+")


_NUMBERED_PART = re.compile(r"\b(?:de an|dieu|khoan|diem|muc|chuong|phan|phu luc|mau so|bieu mau|so)\s+\d+\b")
_ASKING_VERBS = frozenset("does do did is are was were will would should must can could has have had".split())
_NOT_A_NOUN = frozenset("cac nhung so nguoi mua ban".split())  # (words every count in these texts shares)


def _states_the_count_asked(question: str, sentence: str) -> bool:
    """Whether a sentence states the count a question asks ("How many anti-trafficking speakers …?" is not answered by
    "100% các văn bản …" nor by "ngày 29 tháng 3 năm 2011"); True when no count of things is asked."""
    folded = without_indefinite_may(fold(question.lower()))
    if detect_language(question) == "en":
        folded = re.sub(r"\b(bao nhieu|may)\b", " ", folded)  # ("who may be a child": English "may" counts nothing)
    m = _COUNT_ASKED.search(folded)
    if m is None or _NOT_COUNTED.search(m.group(1)) or counts_items(folded) or m.group(1).split()[0] in _ASKING_VERBS:
        return True  # ("And how many should make it to trial?": of what an earlier turn named, which may be a share)
    stated = _NUMBERED_PART.sub(" ", fold(sentence.lower()))  # "Đề án 3", "Điều 26", "khoản 2" count nothing
    if _COUNT_STATED.search(stated):
        return True
    # a share of the things counted answers too: "95% số vụ án …" for "how many trafficking cases …"
    noun = m.group(1)
    counted = set(fold(expand_english(noun) if detect_language(question) == "en" else noun).split()) - _NOT_A_NOUN
    return any(counted & set(share.group(1).split()) for share in re.finditer(r"\d+(?:[.,]\d+)?\s*%\s*((?:\S+\s+){0,6})", stated))


def _says_in_its_words(question: str, best: Evidence) -> bool:
    """Whether the sentence says, whole, the documents' phrase for what the question says in everyday words ("đọc tên,
    hoàn cảnh nạn nhân trên loa" → "tiết lộ thông tin về nạn nhân"): the question's other words (the commune official,
    the loudspeaker) are the case, which no law sentence repeats. Only phrases of four words or more: "kinh phí" for
    "tiền" says too little to stand for a question."""
    sentence = normalize_for_matching(best.full_text()).lower()
    for phrase in formal_phrases(question):
        phrase = normalize_for_matching(phrase).lower()
        if len(phrase.split()) >= 4 and phrase in sentence:
            return True
    return False

def lacking(composer: "Context", query: Query, best: Evidence) -> str | None:
    """What the best evidence lacks of what the question asks: its slot (a date, a figure, a penalty …), a time of the
    body asked about, or a number the question names ("Điều 150", "Luật … năm 2024"); None when it has all."""
    if not states_asked(query, best.full_text()):
        return query.slot
    if query.slot in ("date", "day") and _time_of_others(composer, query, best):
        return "time_of_body"
    if query.slot == "partner" and not _names_country_asked(query.text, best.full_text()):
        return "partner"  # "Which Chinese counterpart …?" is not answered by Korean localities
    if ADMINISTRATIVE.search(fold(query.text)) and "hành chính" not in best.full_text().lower():
        return "administrative"  # a criminal fine ("Người phạm tội còn có thể bị phạt tiền …") is no administrative one
    doc = composer.store.documents.get(best.hit.chunk.doc_id)
    around = f"{best.full_text()} {best.hit.chunk.context} {best.hit.chunk.section}"
    if doc is not None:
        # (the article the sentence stands in: a chunk that opens a chapter is labelled by the chapter alone)
        around = f"{around} {section_at(doc.text, best.start)}"
    return "number_named" if names_missing(composer, query, doc, around) else None


def _names_country_asked(question: str, sentence: str) -> bool:
    """Whether a sentence names the country a question asks a partner of (True when the question names none)."""
    folded = fold(question)
    asked = [said for names, said in FOREIGN_COUNTRIES if re.search(rf"\b({names})\b", folded)]
    asked += [r"Lào"] if re.search(r"(?i)\bLào\b", question) else []
    return not asked or any(re.search(said, sentence) for said in asked)


# A question asking who leads, and the words a sentence says a lead with.
_LEAD_ASKED = re.compile(r"\b(leads?|in charge|heads? up|spearhead\w*|chu tri|phu trach|dau moi|chiu trach nhiem chinh)\b")
_LEAD_SAID = re.compile(r"(?i)chủ trì|chịu trách nhiệm|phụ trách|đầu mối|thường trực|tham mưu|đảm nhiệm|đảm nhận|\bgiao\b|"
                        r"thực hiện\W{0,3}\)|\bdo\b[^.;]{3,80}\b(?:thực hiện|triển khai|tổ chức)")


def _time_of_others(composer: "Context", query: Query, best: Evidence) -> bool:
    """"Within how many days must the embassy bring her home?" answered by "Trong thời hạn 03 ngày …, Phòng Lao động …
    thực hiện …": the time is another body's. True when the question names bodies and the sentence (with its lead-in)
    names other bodies but none of them; a sentence that names no body may be anyone's time ("Các sở,
    ngành báo cáo trước ngày 15/12") or the exception of the sentence before ("Đối với vụ việc phức tạp thì thời hạn
    xác minh có thể kéo dài nhưng không quá 02 tháng", after the police's 20 days)."""
    folded = fold(query.text)
    if not _TIME_LIMIT_ASKED.search(folded):
        return False  # ("Kế hoạch số 2496/KH-UBND của UBND tỉnh … ban hành bao giờ?": a document's date, no body's time)
    asked = set(acting_agencies(after_its_case(query.text)))
    if not asked or asks_of_the_asker(query.text):
        return False  # ("Phòng LĐTBXH gửi văn bản …, bên mình có bao lâu để xác minh?": the time is the asker's)
    said = best.full_text()
    # the bodies the time is of, not those it is sent to, asked by or shared with ("gửi về Ban Chỉ đạo (qua Công an
    # tỉnh)", "thông báo của Ủy ban nhân dân cấp xã", "phối hợp với cơ quan Công an")
    named = {m.agency.name for m in find_agencies(said) if not m.agency.generic
             and not _RELATED_BEFORE.search(said[max(0, m.start - 24) : m.start])}
    return bool(named) and not named & asked


# A time limit asked ("trong thời hạn bao lâu", "within how many days", "what's the deadline for …").
_TIME_LIMIT_ASKED = re.compile(r"\b(thoi han|han chot|bao lau|trong vong|toi da|cham nhat|(bao nhieu|may) ngay|deadline|"
                               r"within|how long|how many (days|weeks|months)|maximum|by when|no later than|time limit)\b")
_RELATED_BEFORE = re.compile(r"(?i)\b(của|về|qua|cho|với|tới|đến|từ|lên|gửi)\s+(?:(?:cơ quan|các|đơn vị)\s+)?$")


# "tỷ lệ … bao nhiêu", "what share": words that ask for a percentage, which the slot check demands ("%"); as topic
# words they would prefer a sentence that says "tỷ lệ" over the one that gives the figure ("95% số vụ án …").
_PERCENT_WORDS = re.compile(r"(?i)\b(tỷ lệ|tỉ lệ|ty le|ti le|phần trăm|phan tram|percentage|percent|share|proportion|rate)\b")


# A sentence that qualifies the one before it: its exception or special case.
_EXCEPTION = re.compile(r"(?i)\s*(đối với|trường hợp|trong trường hợp|riêng|nếu|trừ|ngoại trừ|in (the )?case|except|where)\b")


# "bao lâu … một lần", "how often": words that ask for a frequency, which the slot check demands ("6 tháng, 1 năm"); as topic
# words they would weigh "một lần" against the sentence that gives the periods.
# (not the English "how often": the glossary reads it as "định kỳ", the word the plans write)
# ("chế độ báo cáo", "the reporting regime": the regime is how often)
_FREQUENCY_WORDS = re.compile(r"(?i)\b(bao lâu|bao lau|(một|mot|1|mấy|may) (lần|lan)|tần suất|tan suat|định kỳ|dinh ky|"
                              r"chế độ(?= báo cáo)|che do(?= bao cao)|(?<=reporting )(?:regime|schedule|rules))\b")


# Slots whose value a passage names outright (a foreign partner, an organisation, an address): a sentence naming one
# among some of the words asked is the answer, at a lower share of the asker's words than a plain fact needs.
_CONTACT_SLOTS = frozenset({"email", "website", "phone"})
_NAMED_VALUE_SLOTS = _CONTACT_SLOTS | {"partner", "organisation"}
# (a number to call is a hotline's: an office's "ĐT." under its address is where reports go, no line to call)
_HOTLINE_SAID = re.compile(r"(?i)\b(tổng đài|đường dây nóng|hotline)\b")
_TARGETS_ASKED = re.compile(r"\b(chi tieu|targets?|indicators?|benchmarks?)\b")
NAMED_VALUE_COVERAGE = 0.15
LAW_NEAR = 0.4  # how much of the best match's coverage a sentence naming the law asked must have to be put first
# "đối tác nào", "which foreign partner": words that ask for a partner, which the slot check demands (a country, a foreign
# force); as topic words they would prefer a sentence saying "đối tác" over the one that names Quảng Tây.
_PARTNER_WORDS = re.compile(r"(?i)\b(đối tác|doi tac|partners?|counterparts?|countries|country|nations?|quốc gia|quoc gia|"
                            r"nước ngoài|nuoc ngoai|foreign|overseas)\b")


def _without_slot_words(query: Query) -> str:
    if query.slot == "frequency":
        return _FREQUENCY_WORDS.sub(" ", query.text)
    if query.slot == "partner":
        # (a question that says nothing else, "phối hợp với bên nào ở nước ngoài", still has the cooperation to match)
        without = _PARTNER_WORDS.sub(" ", query.text)
        return without if query.language == "en" else f"{without} {PARTNER_TOPIC}"
    return _PERCENT_WORDS.sub(" ", query.text) if query.slot == "percent" else query.text


# The words that open a list inside a sentence ("… thiết yếu như a, b, c", "… gồm a, b"); lists.py reads them too.
LIST_LEAD = r"(?:như|gồm|bao gồm|nhất là|trong đó có)"
_LIST_CUT = re.compile(rf"(?i)\b{LIST_LEAD}\b[^;]*,[^;]*;\s*$")


# "không qua cơ quan đại diện", "not through the embassy": the way a case did not go (folded)
_ROUTE_EXCLUDED = re.compile(r"\b(?:khong|chua|chang) (?:qua|thong qua|di qua) (?P<route>[^,;?()]{3,60})|"
                             r"\b(?:not|never|without going) (?:via|through) (?:the |an? )?(?P<route_en>[^,;?()]{3,60})")


def _ranked(composer: "Context", query: Query, text: str, hits: Sequence[Hit]) -> list[Evidence]:
    """The scored sentences of the hits for `text`, a close runner-up that states what is asked put first."""
    found = evidence(composer, text, query.language, hits, query.article)
    if found and (query.intent == "list" or _LIST_CUT.search(found[0].text)):
        # a list's line says what is asked of it, not its first sentence alone (nor an inline list the ";" cut: "… như
        # hỗ trợ tâm lý chuyên sâu, …, hỗ trợ pháp lý;" goes on "đào tạo nghề …, hỗ trợ khởi nghiệp")
        found[0] = whole_line(composer, found[0])
    if found and query.slot and not states_asked(query, found[0].full_text()):
        # The best-matching sentence lacks what is asked (a law, a date, a figure): a close runner-up
        # that states it answers, the best one does not.
        top = found[0]
        # (or the clause right after it: "… thực hiện nghiêm túc chế độ thông tin, báo cáo; định kỳ hàng quý, 6 tháng, 1
        # năm báo cáo …" goes on to say what the first clause only names)
        # a number to call or an address to write to, asked in words no passage uses ("gọi đường dây nóng nào"), and a
        # plan's targets ("… nêu những chỉ tiêu cụ thể nào?"), which are its figures whatever words say them: the
        # sentence of the passages found that gives one, however it scores
        any_score = query.slot in _CONTACT_SLOTS or query.slot == "percent" and bool(_TARGETS_ASKED.search(fold(query.text)))
        # (a law named is rare enough in a sentence that one saying it among fewer of the asker's words answers "lấy
        # văn bản luật nào làm trọng tâm", where the best match, "lấy địa bàn cấp cơ sở làm trọng tâm", names none)
        near = LAW_NEAR if query.slot in ("law", "decree") else 0.6

        def a_line_to_call(ev: Evidence) -> bool:  # (what a phone number must be, to be given however it scores)
            return query.slot != "phone" or bool(_HOTLINE_SAID.search(ev.full_text()))

        stating = [ev for ev in found if states_asked(query, ev.full_text())
                   and (ev.coverage >= near * top.coverage and ev.score >= min(near + 0.1, 0.6) * top.score
                        # (a body unnamed is the task record's: answer_fact)
                        or query.slot != "agency" and ev.hit.chunk.chunk_id == top.hit.chunk.chunk_id
                        and 0 <= ev.start - top.end <= 3
                        or any_score and a_line_to_call(ev)
                        # a named value (a foreign partner) said among enough of the asker's words: what answer_fact
                        # would take as the answer were it first, however far down the passages it stands
                        or query.slot in _NAMED_VALUE_SLOTS and ev.coverage >= NAMED_VALUE_COVERAGE and a_line_to_call(ev))]
        if stating:
            found = stating + [ev for ev in found if ev not in stating]
    if found and query.slot in ("date", "day") and _time_of_others(composer, query, found[0]):
        # "Phòng Lao động phải tiếp nhận … trong thời hạn bao lâu?": a close sentence giving the time of the body asked
        # about answers, not the police's 20 days that name the office only as the one asking
        top = found[0]
        own = [ev for ev in found[1:8] if states_asked(query, ev.full_text()) and not _time_of_others(composer, query, ev)
               and ev.coverage >= 0.6 * top.coverage and ev.score >= 0.6 * top.score]
        if own:
            found = own[:1] + [ev for ev in found if ev is not own[0]]
    if found and query.unit:
        # "trong bao nhiêu ngày": a close sentence that gives a figure in that unit answers.
        unit = UNIT_FOLDED.get(query.unit, query.unit)
        with_unit = re.compile(rf"\d+\s*{re.escape(unit)}\b" if unit != "%" else r"\d+\s*%")
        top = found[0]
        giving = [ev for ev in found if with_unit.search(fold(ev.full_text()))
                  and ev.coverage >= 0.6 * top.coverage and ev.score >= 0.6 * top.score]
        if giving:
            found = giving + [ev for ev in found if ev not in giving]
    if found and opens_with_condition(query.question) and not _EXCEPTION.match(found[0].text):
        # "If Vietnam and the other country aren't both party to a treaty, on what basis …?": the law answers a case
        # with the sentence that opens with it ("Trong trường hợp Việt Nam và nước có liên quan không cùng tham gia …")
        top = found[0]
        cased = [ev for ev in found[1:6] if _EXCEPTION.match(ev.text) and ev.coverage >= 0.8 * top.coverage
                 and ev.score >= 0.85 * top.score]
        if cased:
            found = cased[:1] + [ev for ev in found if ev is not cased[0]]
    if found:
        # A close runner-up that carries the period the question names ("giai đoạn 2021-2025") answers before a
        # best match about another period.
        top = found[0]

        def carries(ev: Evidence) -> bool:
            doc = composer.store.documents.get(ev.hit.chunk.doc_id)
            return not names_missing(composer, query, doc, f"{ev.full_text()} {ev.hit.chunk.context} {ev.hit.chunk.section}")

        if not carries(top) and re.search(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d", query.text):
            naming = [ev for ev in found[1:6] if ev.coverage >= 0.8 * top.coverage and ev.score >= 0.6 * top.score
                      and carries(ev)]
            if naming:
                found = naming + [ev for ev in found if ev not in naming]
    asked = after_its_case(query.text)
    if len(found) > 1 and asked != query.text and len(asked.split()) >= 3:
        # "Nạn nhân tự đến UBND xã khai báo là bị bán, thì xã phải báo ngay cho cơ quan nào?": the case told first
        # matches the sentence that tells it ("Nạn nhân … có thể đến Ủy ban nhân dân cấp xã … khai báo"); a sentence
        # close after it in the same passage that says clearly more of what is asked after "thì" answers ("Ủy ban nhân
        # dân cấp xã có trách nhiệm thông báo ngay với Phòng Lao động …")
        top = found[0]
        terms = composer._topic_terms(asked, query.language)
        said = {id(ev): _says(composer, terms, ev) for ev in found[:8]}
        after = [ev for ev in found[1:8] if ev.hit.chunk.doc_id == top.hit.chunk.doc_id and 0 < ev.start - top.start <= CASE_REACH
                 and ev.score >= 0.6 * top.score and said[id(ev)] >= said[id(top)] + CASE_MARGIN]
        if after:
            best = max(after, key=lambda ev: said[id(ev)])
            found = [best] + [ev for ev in found if ev is not best]
    if len(found) > 1:
        # "… thì cá nhân phải tố giác với cơ quan nào?": of two all but tied sentences, the one whose subject is the
        # actor the question names ("Cá nhân có nghĩa vụ tố giác …", not "Cơ quan, tổ chức khi phát hiện …")
        pairs = _subject_pairs(composer, query)
        top = found[0]
        if pairs and not _opens_with(top, pairs):
            own = [ev for ev in found[1:4] if _opens_with(ev, pairs) and ev.score >= SUBJECT_TIE * top.score
                   and ev.coverage >= 0.9 * top.coverage]
            if own:
                found = own[:1] + [ev for ev in found if ev is not own[0]]
    whom = _beneficiary_terms(composer, query) if len(found) > 1 else None
    if whom:
        # "Can a foreign national trafficked in Vietnam get vocational training …?": of close sentences, the one that
        # says clearly more of whom the support is asked for ("Nạn nhân là người nước ngoài bị mua bán tại Việt Nam …")
        # answers, not the benefits of Vietnamese citizens, which name the support asked
        top = found[0]
        said = {id(ev): composer._coverage(whom, set(keyword_terms(_subject_of(ev.full_text())))) for ev in found[:8]}
        # (further down, a sentence that grants support to them: "… được hưởng các chế độ hỗ trợ quy định tại các điểm a,
        # b, c và d": what a foreign victim gets, though it names not the allowance asked)
        own = [ev for ev in found[1:8] if said[id(ev)] >= said[id(top)] + BENEFICIARY_MARGIN and (
            ev.score >= BENEFICIARY_TIE * top.score
            or ev.score >= GRANT_TIE * top.score and _GRANTS_SUPPORT.search(ev.full_text()))]
        if own:
            best = max(own, key=lambda ev: (said[id(ev)], ev.score))
            found = [best] + [ev for ev in found if ev is not best]
    route = _ROUTE_EXCLUDED.search(fold(query.text))
    if found and route:
        # "… tự trốn về, không qua cơ quan đại diện Việt Nam, thì …": the provision for the way the case did not go
        # ("… trở về qua cơ quan đại diện ngoại giao …") answers another case; a close one that does not say it first
        way = " ".join((route.group("route") or route.group("route_en")).split()[:3])

        def goes_that_way(ev: Evidence) -> bool:
            # (a point says what the clause above it says of it: "b) … tiếp nhận nạn nhân" under "1. Việc tiếp nhận …
            # trở về qua cơ quan đại diện …"; structure.tree keeps each document's structure)
            text = composer.store.documents[ev.hit.chunk.doc_id].text
            above = " ".join(node.heading(text) for node in containing(tree(text), ev.start))
            return f"qua {way}" in fold(f"{above} {ev.full_text()}")

        other = next((ev for ev in found if ev.coverage >= 0.8 * found[0].coverage and not goes_that_way(ev)), None)
        if other is not None and other is not found[0]:
            found = [other] + [ev for ev in found if ev is not other]
    return found


BENEFICIARY_TIE = 0.85  # how close a sentence naming whom the support is asked for must score to the best one
GRANT_TIE = 0.6  # …and one that grants them support
BENEFICIARY_MARGIN = 0.25  # how much more of them it must say
_GRANTS_SUPPORT = re.compile(r"(?i)\bđược hưởng\b|\bchế độ hỗ trợ\b|\bđược hỗ trợ\b|\bđược trợ giúp\b")
# Whom a question asks support for, before the verb of receiving ("Can a foreign national … get …", "Người nước ngoài
# … có được hưởng …"), on the folded text
_BENEFICIARY_BEFORE = re.compile(
    r"\b(?:can|could|may|does|do|will|would)\s+((?:[\w'-]+\s+){1,8}?)(?:get|receive|claim|obtain|qualify|"
    r"be entitled|be eligible|have access|access)\b|"
    r"\b(?:is|are)\s+((?:[\w'-]+\s+){1,8}?)(?:entitled|eligible)\b|"
    r"^\W*((?:\w+\s+){1,10}?)(?:co\s+)?(?:duoc|dc)\s+(?:huong|nhan|ho tro|tro giup|tro cap|cap)\b")
# …or named last, in a case changed ("…, if the survivor is a foreign national …?")
_BENEFICIARY_CHANGED = re.compile(r"\b(?:if|neu|khi)\s+(?:the\s+)?(?:survivor|victim|person|she|he|nan nhan|nguoi do|co ay|"
                                  r"chi ay)\s+(?:is|was|la)\s+((?:[\w'-]+\s*){1,10})")
# Words that name people (folded): whom support is asked for
_PERSONS = re.compile(r"\b(nan nhan|nguoi|tre em|phu nu|cong dan|victims?|survivors?|persons?|people|nationals?|foreigners?|"
                      r"child(ren)?|minors?|wom[ae]n|girls?|boys?|citizens?|someone|anyone|returnees?|i|we)\b")
SUBJECT_CHARS = 160  # how far into a provision its subject may run before its verb


def _subject_of(text: str) -> str:
    """A provision's subject: its words before the verb ("Nạn nhân là người nước ngoài bị mua bán tại Việt Nam, thì …",
    "Người chưa thành niên đi cùng nạn nhân, thì …"), not what the sentence goes on to say ("… bị mua bán trở lại")."""
    verb = re.search(r",?\s+thì\b|\s+(?:được|có|phải)\b", text)
    return text[: verb.start()] if verb and verb.start() <= SUBJECT_CHARS else text[:SUBJECT_CHARS]


def _beneficiary_terms(composer: "Context", query: Query) -> TopicTerms | None:
    """The words of whom a question asks support for (their word pairs), or None."""
    folded = fold(query.text)
    if len(folded) != len(query.text):
        return None
    m = _BENEFICIARY_CHANGED.search(folded) or _BENEFICIARY_BEFORE.search(folded)  # (a case changed last, first)
    if m is None:
        return None
    start, end = next(m.span(n) for n in range(1, m.re.groups + 1) if m.group(n))
    if not _PERSONS.search(folded[start:end]):
        return None  # "trợ cấp khó khăn ban đầu được nhận bao nhiêu lần": the support itself, not whom it is for
    terms = composer._topic_terms(query.text[start:end], query.language)
    return terms if any("_" in t for t in terms) else None


CASE_REACH = 800  # how far after the sentence that tells a question's case the sentence that answers it may lie
CASE_MARGIN = 0.2  # how much more of what is asked after the case that sentence must say
NAMED_TIE = 0.7  # how close a sentence that carries the number a question names must score to the best one
NAMED_COVERAGE = 0.5  # …and how much of the question it must say (less, and a refusal is the honest answer)
SUBJECT_TIE = 0.93  # how close a sentence whose subject the question names must score to the best one
# The actor a question puts before its duty word ("… thì cá nhân phải tố giác …", "must the commune …"), on the folded text
_SUBJECT_BEFORE_DUTY = re.compile(r"(?:^|\bthi\s+|,\s*)((?:[\w']+\s+){1,4}?)(?:phai|co nghia vu|co trach nhiem|must|should|"
                                  r"has to|have to|is required to|are required to)\b")


def _says(composer: "Context", terms, ev: Evidence) -> float:
    """How much of `terms` (what is asked) a sentence says, with its lead-in."""
    return composer._coverage(terms, set(keyword_terms(ev.full_text())))


# …or the one who finds something, in a case the question opens with ("…, người dân phát hiện mua bán người thì báo cho
# ai?": what the law says of a person who finds it, "Cá nhân có nghĩa vụ tố giác …")
_SUBJECT_WHO_FINDS = re.compile(r"(?:^|,\s*)((?:\w+\s+){1,3}?)(?:phat hien|biet|nghi ngo|nghi|thay|gap)\b.{0,60}?(?:\bthi\b|,)")
# The asker as that one ("Nếu tôi nghi ngờ hàng xóm bị lừa bán thì báo cho ai?", "Tôi thấy …, báo với cơ quan nào?"): a
# private person, whom the law calls "cá nhân"
_ASKER_AS_SUBJECT = re.compile(r"(?:neu |khi |lo )?(?:toi|minh|em|chung toi|chung minh|gia dinh toi|nguoi dan)")


def _subject_pairs(composer: "Context", query: Query) -> set[str]:
    """The word pairs of the actor the question asks a duty of ("cá_nhân"), or none."""
    folded = fold(query.text)
    m = (_SUBJECT_BEFORE_DUTY.search(folded) or _SUBJECT_WHO_FINDS.search(folded)) if len(folded) == len(query.text) else None
    if m is None:
        return set()
    if _ASKER_AS_SUBJECT.fullmatch(folded[m.start(1) : m.end(1)].strip()):
        return {"cá_nhân"}
    return {t for t in composer._topic_terms(query.text[m.start(1) : m.end(1)], query.language) if "_" in t}


def _opens_with(ev: Evidence, pairs: set[str]) -> bool:
    """Whether the sentence's first words (its subject) are a word pair of the question."""
    return bool(pairs & set(keyword_terms(" ".join(re.sub(r"^[\W\d]*(?:[a-zđ]\)\s*)?", "", ev.text).split()[:3]))))


def _asked_alone(composer: "Context", query: Query, asked: str, hits: list[Hit]) -> tuple[list[Evidence], list[Hit]]:
    """The evidence for what is asked after a told case, searched with those words alone within the documents the whole
    question found: (ranked sentences, hits)."""
    within = Filters(doc_ids=tuple(dict.fromkeys(h.chunk.doc_id for h in hits)))
    asked_hits = composer.retriever.search(replace(query, text=asked), 10, within) or hits
    return _ranked(composer, query, asked, asked_hits), asked_hits


# A case told in the clause before the question, not a sentence of its own ("Tôi thấy có người bị bán sang Trung Quốc, báo
# với cơ quan nào?"), on the folded question
_CASE_CLAUSE = re.compile(r"^[^,?]*\b(?:bi (?:lua )?ban|mua ban|lua|sold|trafficked|nghi ngo|phat hien)\b[^,?]*,\s*(?=\S)")


def _asked_after_the_case(question: str) -> str:
    """Whom a report goes to, asked after the case it is about ("Nếu tôi nghi ngờ hàng xóm bị lừa bán thì báo cho ai?" →
    "báo cho ai?"): the words that say what must be said, else ""."""
    rest = after_its_case(question)
    if rest == question:
        case = _CASE_CLAUSE.match(fold(question)) if len(fold(question)) == len(question) else None
        rest = question[case.end() :] if case else question
    return rest if rest != question and len(rest.split()) <= 10 else ""


def _beside_anchor(composer: "Context", query: Query, ev: Evidence) -> bool:
    """Whether a sentence lies in the short part (an article, a numbered task) that holds a passage the previous
    answer quoted, which the follow-up points back at."""
    for doc_id, start, _end in query.anchor:
        if ev.hit.chunk.doc_id != doc_id:
            continue
        for node in reversed(containing(tree(composer.store.documents[doc_id].text), start)):
            if node.start <= ev.start < node.end:
                return node.end - node.start <= 3000
    return False


def _names_only_the_case(query: Query, sentence: str) -> bool:
    """Whether every body a sentence names is one the question names as acted on (a who question asks for another)."""
    if query.yes_no or query.choice:
        return False  # ("Is it the police who …?", "the police or the procuracy?": the bodies named are the answers offered)
    named = {m.agency.name for m in find_agencies(sentence) if not m.agency.generic}
    return bool(named) and named <= agencies_acted_on(query.question)


def answer_fact(composer: "Context", query: Query, hits: list[Hit]) -> Answer:
    """The sentences that state what is asked, quoted verbatim; a refusal when none does."""
    question, language = query.question, query.language
    question_text = query.text
    found = _ranked(composer, query, _without_slot_words(query), hits)
    asked = question_after_story(query.text) or (_asked_after_the_case(query.text) if query.slot == "recipient" else "")
    if asked and hits and not (found and supported(composer, query.text, found[0], language)
                               and not lacking(composer, query, found[0])):
        # a case told at length before a short question ("Chị tôi bị lừa bán sang Trung Quốc, nay đã về nhà. Theo luật
        # chị ấy được hỗ trợ những gì?"): the passages were found with the whole case; what must be said is what is asked
        # (searched again with the question alone, within the documents the whole case found)
        again, asked_hits = _asked_alone(composer, query, asked, hits)
        if again and supported(composer, asked, again[0], language) and not lacking(composer, query, again[0]):
            found, question_text, hits = again, asked, asked_hits
    elif asked and query.followup and hits and found:
        # the case told before, changed by a follow-up, may outweigh what is asked of it ("… gia đình thuộc hộ nghèo.
        # … muốn vay vốn thì luật nói gì?" found the poor-household grant): a sentence saying clearly more of what is
        # asked, and still enough of the whole, answers
        terms = composer._topic_terms(asked, language)
        again, asked_hits = _asked_alone(composer, query, asked, hits)
        if again and again[0].full_text() != found[0].full_text() \
                and _says(composer, terms, again[0]) >= _says(composer, terms, found[0]) + 0.3 \
                and supported(composer, query.text, again[0], language) and not lacking(composer, query, again[0]):
            found, hits = again, asked_hits
    answerable = bool(hits and found) and (supported(composer, question_text, found[0], language) or (
        # "How long do they have to get back to DOLISA?" after the police were asked to verify: a follow-up in
        # everyday words, answered beside the passage it points back at with the value it asks for
        query.slot is not None and _beside_anchor(composer, query, found[0]) and states_asked(query, found[0].full_text())))
    if not answerable and hits and found and query.slot in _NAMED_VALUE_SLOTS and found[0].coverage >= NAMED_VALUE_COVERAGE \
            and not lacking(composer, query, found[0]):
        # "… có ưu tiên hợp tác với đối tác nước ngoài cụ thể nào không?": the sentence that names a foreign partner
        # ("hợp tác quốc tế, nhất là với Công an Quảng Tây - Trung Quốc") answers, though the asker's other words are not
        # its own; a value of that kind is rare enough to say the sentence is the one asked for
        answerable = True
    if not answerable and query.intent == "list" and hits and found:
        # a list written as sentences, one item each ("100% tố giác …; Tỷ lệ điều tra …; 95% … truy tố; 90% … xét
        # xử"): the run of sentences says what is asked, though no one sentence says enough of it
        run = _run_of_sentences(composer, query, found)
        answerable = supported(composer, question_text, run, language) and not lacking(composer, query, run)
    forbidding = _prohibition_asked(composer, query, hits)
    if forbidding is not None:
        # "is it allowed …?" when the law lists the act among its prohibited acts: the prohibition answers, then the
        # provision that states the duty it protects (the best sentence found for the prohibition's own words)
        found = [forbidding] + [ev for ev in found if not _overlap(ev, forbidding)]
        answerable = True
    if answerable:
        if query.slot == "agency" and not states("agency", found[0].full_text()):
            # "who …" answered by a sentence that names nobody: the record whose task holds it names the agency
            held = answer_who_in_passage(composer, query, found[0].hit.chunk.doc_id, (found[0].start, found[0].end))
            if held is not None:
                return held
        missing = lacking(composer, query, found[0])
        if missing == "number_named":
            # "Which 2021 provincial plan number is Lam Dong … continuing to implement?": of the close sentences, the one
            # that carries the year, article or document number the question names
            named = next((ev for ev in found[1:6] if ev.score >= NAMED_TIE * found[0].score and ev.coverage >= NAMED_COVERAGE
                          and supported(composer, question_text, ev, language) and not lacking(composer, query, ev)), None)
            if named is not None:
                found = [named] + [ev for ev in found if ev is not named]
                missing = None
        if not missing and query.slot == "agency" and _names_only_the_case(query, found[0].full_text()):
            # "Cơ quan nào cấp giấy phép thành lập cơ sở hỗ trợ nạn nhân?" answered by "Cơ sở hỗ trợ nạn nhân do tổ
            # chức, cá nhân Việt Nam thành lập … phù hợp với giấy phép thành lập": the body acted on, not the one asked for
            missing = "agency"
        if not missing and not _states_the_count_asked(query.question, found[0].full_text()):
            missing = "number"  # (asked in the user's words: a follow-up's text may carry a count an earlier turn asked)
        if not missing and query.intent == "who" and _LEAD_ASKED.search(fold(query.text)) \
                and not _LEAD_SAID.search(found[0].full_text()):
            # "Which Lam Dong department leads the media work?" answered by "… phối hợp giữa các sở, ban, ngành …": a
            # sentence that assigns nothing does not say who leads
            missing = "agency"
        if missing:
            return Answer(question, missing_part(missing, language), False, (), language, query.legacy_intent, query.text,
                          query.scope.as_dict(),
                          related=tuple(composer.citation(i, h) for i, h in enumerate(hits[:3], start=1)))
    if not answerable:
        return Answer(
            question, not_found(language), False, (), language, query.legacy_intent, query.text,
            query.scope.as_dict(), related=tuple(composer.citation(i, h) for i, h in enumerate(hits[:3], start=1)),
        )
    chosen = [complete(composer, found[0])]
    if forbidding is not None:
        chosen += _duty_behind(composer, query, forbidding)
    # a procedure is its clause's steps, not its best sentence; an inline list runs on past its first ";"
    procedure = whole_clause(composer, chosen[0]) if _PROCEDURE_ASKED.search(fold(query.text)) else chosen[0]
    if procedure is not chosen[0]:
        chosen = [procedure]
    elif query.intent == "list":
        chosen = [whole_line(composer, chosen[0])]
    terms = composer._topic_terms(query.text, language)
    said = set(keyword_terms(chosen[0].full_text()))
    # A list asked for and written as sentences ("chỉ tiêu … tiếp nhận tố giác, điều tra, truy tố và xét xử": one
    # sentence a target) takes every sentence of the passage that adds an asked pair, up to four.
    listing = query.intent == "list"
    # A figure asked of several things ("tỷ lệ xử lý tố giác, điều tra, truy tố, xét xử … là bao nhiêu"): the next
    # sentences that each give the figure of another thing asked are quoted too, up to four
    figures = not listing and (query.slot == "percent" or bool(_PERCENT_WORDS.search(query.text)))
    if query.slot or query.unit:
        # the exception that follows a time limit or a figure ("Đối với vụ việc phức tạp thì … không quá 02 tháng"),
        # quoted beside the runner-up, not in its place
        chosen += [ev for ev in found[1:] if ev.hit.chunk.chunk_id == chosen[0].hit.chunk.chunk_id
                   and 0 <= ev.start - chosen[0].end <= 3 and _EXCEPTION.match(ev.text) and states_asked(query, ev.full_text())][:1]
    most = (4 if listing or figures else 2) + len(chosen) - 1
    for ev in found[1:]:
        if len(chosen) == most:
            break
        if ev in chosen:
            continue
        # The next sentence that says the rest of what is asked ("… điều tra, khám phá …; 95% … truy tố")
        follows = ev.hit.chunk.chunk_id == chosen[0].hit.chunk.chunk_id and (
            0 <= ev.start - chosen[-1].end <= 3 or (listing or figures) and abs(ev.start - chosen[0].start) <= 800)
        adds = follows and ev.coverage >= 0.15 and any(
            t in set(keyword_terms(ev.text)) and t not in said for t in terms if "_" in t)
        if figures and len(chosen) >= 2 and not (adds and re.search(r"\d\s*%", ev.text)):
            continue  # (past two, a sentence must give the figure of another thing asked)
        if adds:
            said |= set(keyword_terms(ev.text))
        close = ev.score >= 0.8 * found[0].score and ev.coverage >= 0.5
        if adds or (close or _another_body_doing_it(composer, query, ev, chosen)) and not any(
            ev.span_start < c.end and c.span_start < ev.end for c in chosen
        ) and ev.full_text().strip() not in {c.full_text().strip() for c in chosen}:
            chosen.append(ev)
    if listing:
        chosen.sort(key=lambda ev: (ev.hit.rank, ev.span_start))  # a list reads in the document's order
        chosen = _read_through(composer, chosen)
    elif figures and len(chosen) > 2:
        chosen.sort(key=lambda ev: (ev.hit.rank, ev.span_start))  # the figures in the document's order, quoted as one
        chosen = _read_through(composer, chosen, gap=3)
    # a runner-up that opens a list ("… có trách nhiệm: a) …;") is quoted with the rest of its points too
    chosen = chosen[:1] + [complete(composer, ev) if _opens_a_list(ev) else ev for ev in chosen[1:]]
    numbers: dict[str, int] = {}
    highlights: dict[str, list[tuple[int, int]]] = {}
    lines = []
    for ev in chosen:
        key = ev.hit.chunk.chunk_id
        if key not in numbers:
            numbers[key] = len(numbers) + 1
        if ev.lead_text:
            highlights.setdefault(key, []).append((ev.lead_start, ev.lead_end))
        highlights.setdefault(key, []).append((ev.start, ev.end))
        doc = composer.store.documents.get(ev.hit.chunk.doc_id)
        label = document_label(doc, language) if doc else ev.hit.chunk.doc_id
        where = official_section(section_at(doc.text, ev.start) if doc else ev.hit.chunk.section, language)
        # (a lead-in quoted with the points of its list is quoted whole: the last point may be the one asked about)
        points = len(re.findall(r"(?:^|\s)[a-zđ]\)\s", ev.text))
        quote = f"“{clean_quote(ev.text, LIST_QUOTE_LIMIT if points >= 2 else QUOTE_LIMIT)}”"
        if ev.lead_text:  # two verbatim quotes, not one that glues them together
            quote = f"“{clean_quote(ev.lead_text)}” … {quote}"
        lines.append(f"{according_to(label, where, language)}: {quote} [{numbers[key]}]")
    cites = []
    for ev in chosen:
        key = ev.hit.chunk.chunk_id
        if all(c.n != numbers[key] for c in cites):
            cites.append(composer.citation(numbers[key], ev.hit, highlights[key]))
    # ("Does a foreign victim get the same support as a Vietnamese one?": the whole clause the points are of)
    compared = query.intent == "compare" or asks_to_compare(query.question)
    referred = _points_referred_quoted(composer, chosen, language, len(numbers) + 1, compared)
    if referred is not None:
        lines.append(referred[0])
        cites.append(referred[1])
    lines[0] = _forbidden_first(composer, query, chosen[0]) + lines[0]
    return Answer(question, "\n".join(lines), True, tuple(cites), language, query.legacy_intent, query.text,
                  query.scope.as_dict())


def _another_body_doing_it(composer: "Context", query: Query, ev: Evidence, chosen: list[Evidence]) -> bool:
    """"Nạn nhân tự về quê thì ai chi tiền tàu xe?": the law gives it to the ministries' receiving bodies (Điều 26) and to
    the Phòng Lao động (Điều 24, 39); a close sentence of the same document that says it of a body the quotes do not
    name yet answers too, and an official must see both."""
    if query.slot != "agency" or ev.coverage < 0.8 * chosen[0].coverage or ev.score < 0.75 * chosen[0].score \
            or ev.hit.chunk.doc_id != chosen[0].hit.chunk.doc_id:
        return False
    quoted = {m.agency.id for c in chosen for m in find_agencies(c.full_text())}
    named = {m.agency.id for m in find_agencies(ev.full_text())}
    return bool(named - quoted) and supported(composer, query.text, ev, query.language) and not lacking(composer, query, ev)


def _run_of_sentences(composer: "Context", query: Query, found: list[Evidence], most: int = 4) -> Evidence:
    """The best sentence with the sentences right after it in its passage (up to `most` in all), scored as one."""
    first = found[0]
    run = [first]
    for ev in sorted((ev for ev in found if ev.hit.chunk.chunk_id == first.hit.chunk.chunk_id and ev.start > first.start),
                     key=lambda ev: ev.start):
        if len(run) == most or ev.start - run[-1].end > 3:
            break
        run.append(ev)
    text = " ".join(ev.text for ev in run)
    coverage = composer._coverage(composer._topic_terms(_without_slot_words(query), query.language), set(keyword_terms(text)))
    return replace(first, end=run[-1].end, text=text, coverage=max(first.coverage, coverage))


def _points_referred_quoted(composer: "Context", chosen: list[Evidence], language: str, n: int, whole_clause: bool = False):
    """(line, citation) quoting the points the first quote refers to by letter ("… được hưởng chế độ hỗ trợ quy định tại
    các điểm a, b và c khoản 1 Điều này": what those are, so the reader need not look them up), when not quoted already;
    else None."""
    ev = chosen[0]
    doc = composer.store.documents.get(ev.hit.chunk.doc_id)
    points = points_referred(doc.text, ev.start, ev.text, whole_clause) if doc else []
    if not points or any(c.span_start < p.end and p.start < c.end for c in chosen for p in points):
        return None
    start, end = points[0].start, points[-1].end
    section = section_at(doc.text, start)  # the first point's; the line names the clause that holds them all
    quote = "; ".join(clean_quote(doc.text[p.start : p.end].strip().rstrip(";.")) for p in points)
    lead = according_to(document_label(doc, language), official_section(section.rsplit(" › ", 1)[0], language), language)
    return (f"{lead}: “{quote}” [{n}]",
            composer.span_citation(n, doc.doc_id, start, end, section, [(p.start, p.end) for p in points]))


# "Is that allowed?", "có được … không", "can they …": a question whether something is permitted.
# ("Where can someone … go to report it?" asks a place, not leave: a question word before "can" asks its own thing)
_MAY_I = re.compile(r"\b(allowed|permitted|legal|lawful|(?<!where )(?<!what )(?<!who )(?<!how )(?<!when )(?<!which )"
                    r"can (he|she|they|we|i|a|an|the|anyone|someone)|may (he|she|they|we|i)|"
                    r"co duoc\b.*\bkhong|duoc phep|co quyen)\b")
# Asked the other way round: "Is it against the law to …?", "Có bị cấm … không?" (answered "Yes —" by a prohibition)
_FORBIDDEN_ASKED = re.compile(r"\b(against the (\d{4} )?law|illegal|unlawful|forbidden|prohibited|banned|"
                              r"trai (phap )?luat|(bi|co bi) (nghiem )?cam|pham phap)\b")


_WITH_CONSENT = re.compile(r"\b(with (her|his|their|the victim'?s?) (consent|permission|agreement)|if (she|he|they) (agrees?|consents?)|"
                           r"(?<!chua )(?<!khong )(da dong y|co su dong y)|neu (co |duoc )?(nan nhan |ho )?dong y)\b")


def _overlap(one: Evidence, other: Evidence) -> bool:
    return one.hit.chunk.doc_id == other.hit.chunk.doc_id and one.span_start < other.end and other.span_start < one.end


# The heading of an article that lists what the law forbids ("Điều 3. Các hành vi bị nghiêm cấm").
_PROHIBITING = re.compile(r"(?i)nghiêm cấm|bị cấm")


def _asks_if_allowed(query: Query) -> bool:
    """Whether the question asks if something may be done ("Is that allowed?", "Có được … không?"); not with consent
    given (the act is then another: the prohibition is of disclosing without it), nor a right ("có quyền yêu cầu …",
    which the prohibitions do not answer)."""
    asked = fold(query.question)
    # (asked in the question's last sentence: "Law 66 lists … as a prohibited act …. Which articles does it cite?" says
    # it is forbidden and asks something else)
    last = re.split(r"(?<=[.!])\s+", asked.strip())[-1]
    return bool(_MAY_I.search(asked) or _FORBIDDEN_ASKED.search(last)) and not _WITH_CONSENT.search(asked) \
        and not re.search(r"\bco quyen\b", asked)


def _under_prohibition(text: str, pos: int) -> bool:
    """Whether a position lies in an article that lists what the law forbids."""
    return bool(_PROHIBITING.search(" ".join(node.heading(text) for node in containing(tree(text), pos))))


def _prohibition_asked(composer: "Context", query: Query, hits: Sequence[Hit]) -> Evidence | None:
    """The prohibited act a question whether something is allowed asks about ("Báo chí có được đưa tin nêu thông tin cá
    nhân của nạn nhân … không?" → "10. Tiết lộ thông tin về nạn nhân khi chưa có sự đồng ý …"), searched among the
    items of every article of the retrieved laws that lists prohibited acts, whether or not its passage ranked: a
    question told as a story ("A newspaper wants to run the name and photo of a girl we helped …") finds the story's
    passages first. The item must say more of the question than any other item, by a clear margin (twice the next):
    "Can a victim get money to go home?" is as close to "Giả mạo là nạn nhân" as to "Kỳ thị … nạn nhân", so to none."""
    if not _asks_if_allowed(query):
        return None
    terms = composer._topic_terms(query.text, query.language)
    scored: list[tuple[float, str, int, int]] = []
    for doc_id in dict.fromkeys(h.chunk.doc_id for h in hits[:10]):
        text = composer.store.documents[doc_id].text
        for node in tree(text).descendants():
            if node.kind != "dieu" or not _PROHIBITING.search(node.heading(text)):
                continue
            for item in node.children:
                body = text[item.start:item.end].strip()
                scored.append((composer._coverage(terms, set(keyword_terms(body))), doc_id, item.start, item.end, node))
    scored.sort(key=lambda row: -row[0])
    if not scored or scored[0][0] < 0.15 or len(scored) > 1 and scored[0][0] < 2 * scored[1][0]:
        return None
    coverage, doc_id, start, end, article = scored[0]
    text = composer.store.documents[doc_id].text
    end = start + len(text[start:end].rstrip())
    heading = article.heading(text)
    chunks = composer.chunks_over(doc_id, start, end)
    if not chunks:
        return None
    chunk = next((c for c in chunks if c.start <= start and end <= c.end), chunks[0])
    hit = next((h for h in hits if h.chunk.chunk_id == chunk.chunk_id), None) or Hit(chunk=chunk, score=0.0, rank=1)
    # quoted under its article's heading ("Điều 3. Các hành vi bị nghiêm cấm" … "10. Tiết lộ …"): the item alone does
    # not say that it is forbidden
    return Evidence(hit, start, end, text[start:end], coverage, coverage + 0.35,
                    article.start, article.start + len(heading), heading)


def _duty_behind(composer: "Context", query: Query, forbidding: Evidence) -> list[Evidence]:
    """The provision elsewhere in the law on the act a prohibition names, most often the duty it protects ("Tiết lộ
    thông tin về nạn nhân …" → "Bảo vệ bí mật thông tin về nạn nhân. 1. Cơ quan, tổ chức, cá nhân có trách nhiệm giữ
    bí mật …"; "Kỳ thị … nạn nhân" → "Tôn trọng … không kỳ thị …"): the best sentence outside the prohibited acts found
    for the act itself, without its condition ("khi chưa có sự đồng ý …"). The act's verb is rarely repeated by the duty
    that answers it ("tiết lộ" / "giữ bí mật"), so a quarter of the act's words suffice."""
    item = re.sub(r"^\W*\d+\.\s*", "", forbidding.text)
    act = re.split(r"\s+(?:khi|nếu|trong trường hợp|trừ trường hợp)\s+", item, maxsplit=1)[0]
    within = Filters(doc_ids=(forbidding.hit.chunk.doc_id,))
    hits = composer.retriever.search(replace(query, text=act), 6, within)
    text = composer.store.documents[forbidding.hit.chunk.doc_id].text
    found = [ev for ev in evidence(composer, act, "vi", hits)[:8] if not _under_prohibition(text, ev.start)]
    if not found or found[0].coverage < 0.25:
        return []
    # the duty of the body the question names, in its own article ("A newspaper wants to run her name …": "Điều 16. Cơ
    # quan thông tin đại chúng … 2. Giữ bí mật thông tin về nạn nhân"), before the duty of everyone ("Cơ quan, tổ
    # chức, cá nhân có trách nhiệm giữ bí mật …")
    named = [{t for t in keyword_terms(name) if "_" in t} for name in query.agencies]
    own = [ev for ev in found if ev.coverage >= 0.25 and any(
        terms and terms <= heading_words(text, ev.start) | set(keyword_terms(ev.full_text())) for terms in named)]
    return [complete(composer, ev) for ev in (own[:1] + found[:1] if own and own[0] is not found[0] else found[:1])]


def _forbidden_first(composer: "Context", query: Query, best: Evidence) -> str:
    """"No — the law prohibits it." first, when a question whether something is allowed is answered by one of the acts
    the law lists as prohibited ("Điều 3. Các hành vi bị nghiêm cấm … 10. Tiết lộ thông tin về nạn nhân …")."""
    if not _asks_if_allowed(query) or not _under_prohibition(composer.store.documents[best.hit.chunk.doc_id].text, best.start):
        return ""
    asked = fold(query.question)
    if _FORBIDDEN_ASKED.search(asked) and not _MAY_I.search(asked):  # "Is it against the law to …?"
        return "Yes — the law lists it among the prohibited acts. " if query.language == "en" else \
            "Có — luật xếp hành vi này vào các hành vi bị nghiêm cấm. "
    return "No — the law lists it among the prohibited acts. " if query.language == "en" else \
        "Không được — luật xếp hành vi này vào các hành vi bị nghiêm cấm. "


def _read_through(composer: "Context", chosen: list[Evidence], gap: int = 400, limit: int = 1500) -> list[Evidence]:
    """A list's sentences close together in one passage quoted as one, with what lies between them:
    "100% tố giác … trên 90%." and "90% số vụ án …" are two of the targets, the "95% …" between them a third."""
    out: list[Evidence] = []
    for ev in chosen:
        last = out[-1] if out else None
        if (last is not None and last.hit.chunk.chunk_id == ev.hit.chunk.chunk_id and not ev.lead_text
                and 0 <= ev.start - last.end <= gap and ev.end - last.span_start <= limit):
            text = composer.store.documents[ev.hit.chunk.doc_id].text
            out[-1] = replace(last, end=ev.end, text=text[last.start:ev.end])
        elif last is None or not (last.start <= ev.start and ev.end <= last.end and last.hit.chunk.chunk_id == ev.hit.chunk.chunk_id):
            out.append(ev)
    return out


# A procedure asked ("thủ tục tiếp nhận …", "what is the process …"), on the folded question
_PROCEDURE_ASKED = re.compile(r"\b(thu tuc|quy trinh|trinh tu|cac buoc|procedures?|process(?:es)?|steps)\b")
PROCEDURE_CHARS = 1200  # a numbered part this short is quoted whole when a procedure is asked


def whole_clause(composer: "Context", ev: Evidence, limit: int = PROCEDURE_CHARS) -> Evidence:
    """The numbered part the sentence lies in (a law's clause: "1. Nạn nhân … có thể đến Ủy ban nhân dân cấp xã … khai
    báo … . Cơ quan, tổ chức tiếp nhận khai báo có trách nhiệm chuyển ngay … . Ủy ban nhân dân cấp xã có trách nhiệm
    thông báo ngay …"), within the passage cited, when it is short; else the sentence."""
    text = composer.store.documents[ev.hit.chunk.doc_id].text
    chain = containing(tree(text), ev.start)
    if not chain or chain[-1].kind == "root":
        return ev
    node, chunk = chain[-1], ev.hit.chunk
    start, end = trimmed_span(text, max(node.start, chunk.start), min(node.end, chunk.end))
    marker = NUMBER_MARKER.match(text, start, end)  # (its number, "1. ", is the section path's, not the quote's)
    start = marker.end() if marker else start
    if end - start > limit or not (start <= ev.start and ev.end <= end) or ev.lead_text or (start, end) == (ev.start, ev.end):
        return ev
    return replace(ev, start=start, end=end, text=text[start:end])



def whole_line(composer: "Context", ev: Evidence, limit: int = 1200) -> Evidence:
    """The sentence with the rest of its line (its bullet or paragraph): "… như hỗ trợ tâm lý chuyên sâu, chăm sóc y
    tế toàn diện, hỗ trợ pháp lý; đào tạo nghề …, hỗ trợ khởi nghiệp" is one list split by semicolons; and with the
    line's start when the line is such a list and fits in a quote (its first items may come before its best-matching
    one; a paragraph of prose is not a list)."""
    text = composer.store.documents[ev.hit.chunk.doc_id].text
    chunk = ev.hit.chunk  # the quote stays inside the passage it cites
    end = text.find("\n", ev.end)
    end = min(len(text) if end < 0 else end, chunk.end)
    start = ev.start
    line_start = max(text.rfind("\n", 0, ev.start) + 1, chunk.start)
    before = text[line_start:ev.start]
    if not ev.lead_text and ";" in before and end - line_start <= QUOTE_LIMIT:
        start = line_start + len(before) - len(before.lstrip())
    if (end <= ev.end and start == ev.start) or end - start > limit:
        return ev
    return replace(ev, start=start, end=max(end, ev.end), text=text[start:max(end, ev.end)].rstrip())


_NEXT_PART = re.compile(r"^\W*(?:Điều|ĐIỀU|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)\s+[\dIVXLC]+|^[IVX]{1,5}\s*[.)]\s")


def _first_point_quoted(ev: Evidence) -> bool:
    """Whether the quote is a lead-in with the first point of its list ("… có trách nhiệm: a) Ký hợp đồng …;"), or
    that point quoted under its lead-in."""
    text = ev.text.rstrip()
    return bool(_OPENED_LIST.search(text) or (ev.lead_text.rstrip().endswith(":") and _LIST_ITEM.match(text)))


def _opens_a_list(ev: Evidence) -> bool:
    """Whether the sentence quoted opens a list: a lead-in ending in ":", or one quoted with its first point."""
    return ev.text.rstrip().endswith(":") or _first_point_quoted(ev)


def complete(composer: "Context", ev: Evidence) -> Evidence:
    """A heading ("Mục tiêu tổng quát") or a lead-in ending in ":" is quoted with what follows it."""
    text = ev.text.rstrip()
    opened = _first_point_quoted(ev)
    lead_in = text.endswith(":") or re.search(r"(sau|gồm|như sau)\s*[:;]?$", text) or opened
    if (len(text) >= 60 or ev.lead_text) and not lead_in:
        return ev  # long enough, or an item already quoted with its lead-in
    chunk = ev.hit.chunk
    end = ev.end
    items = 1 if opened else 0
    doc = composer.store.documents[chunk.doc_id].text
    # a short clause under its number ("2. Giữ bí mật thông tin về nạn nhân.") is whole: no heading of what follows
    def under_a_number(at: int) -> bool:
        return bool(re.search(r"(?:^|\n)\s*(?:\d+|[a-zđ])\s*[.)]\s*$", doc[max(0, at - 12) : at]))

    numbered = not lead_in and under_a_number(ev.start)
    for s, e, piece in sentences(chunk.text, chunk.start):
        if s < ev.end:
            continue
        if _NEXT_PART.match(piece) or numbered and (under_a_number(s) or re.fullmatch(r"\s*(?:\d+|[a-zđ])\s*[.)]\s*", piece)):
            break  # the next article or section is not part of this one's answer (nor the next clause of a clause)
        if lead_in and items and re.match(r"\s*\d+\s*[.)]", piece):
            break  # the next clause ("2. …"): the list the lead-in opens has ended
        end = e
        if lead_in and (items or _LIST_ITEM.match(piece)):
            # "… có trách nhiệm: a) …; b) …; c) …; d) …": every item of the list it opens, within reason
            items += 1
            if end - ev.end >= 900:
                break
            continue
        if piece.rstrip().endswith(":"):
            lead_in = True  # a heading whose first clause opens a list ("Căn cứ để xác định nạn nhân 1. … sau đây:")
            continue
        if end - ev.start >= 120:
            break
    if end == ev.end:
        return ev
    return replace(ev, end=end, text=doc[ev.start:end])
