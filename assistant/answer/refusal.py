"""Saying "not in the documents" clearly: no evidence, filters that match nothing, partial answers."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from ..duties import find_agencies, name_numbers
from ..query import Query
from ..retrieve import Filters
from ..text import fold
from .types import Answer, document_label, not_found, official_section

if TYPE_CHECKING:
    from .context import Context

# What each slot is called when an answer lacks it ("the passages do not state a date").
SLOT_NAMES = {
    "number": ("một con số", "a figure"),
    "percent": ("tỷ lệ phần trăm", "a percentage"),
    "channel": ("đầu mối tiếp nhận", "the office it goes through"),
    "recipient": ("nơi nhận", "whom it goes to"),
    "ranking": ("số liệu để so sánh, xếp hạng", "figures to rank by"),
    "age": ("độ tuổi", "an age"),
    "code": ("số hiệu hoặc số được hỏi", "the number asked about"),
    "phone": ("số điện thoại, tổng đài", "a phone or hotline number"),
    "place": ("tên địa phương được hỏi", "the place asked about"),
    "date": ("ngày hoặc thời hạn", "a date or deadline"),
    "day": ("ngày cụ thể", "the day"),
    "penalty": ("mức hình phạt", "a penalty"),
    "money": ("số tiền", "an amount of money"),
    "law": ("tên văn bản pháp luật", "the law it rests on"),
    "decree": ("số hiệu nghị định", "the decree's number"),
    "person": ("tên người", "a person's name"),
    "email": ("địa chỉ thư điện tử", "an email address"),
    "frequency": ("định kỳ được hỏi", "how often"),
    "level": ("cấp được hỏi", "the level asked about"),
    "website": ("địa chỉ trang web", "a website"),
    "organisation": ("tên tổ chức được hỏi", "the organisation asked about"),
    "partner": ("đối tác nước ngoài được hỏi", "the foreign partner asked about"),
    "agency": ("cơ quan được giao", "the agency assigned"),
    "administrative": ("mức xử phạt vi phạm hành chính", "an administrative penalty"),
    "time_of_body": ("thời hạn của chính cơ quan được hỏi", "a time for the body asked about"),
    "number_named": ("nội dung có số hiệu hoặc năm được hỏi", "the article, number or year asked about"),
}


def no_match_for_filters(filters: Filters, language: str) -> str:
    """"No document matches the filters (Quảng Ninh, 2027)"."""
    shown = ", ".join([*filters.provinces, *(str(y) for y in filters.years), *filters.doc_ids])
    if language == "en":
        return f"No document matches the filters ({shown}): clear a filter to search every document."
    return f"Không có văn bản nào khớp bộ lọc ({shown}): bỏ bớt bộ lọc để tìm trong mọi văn bản."


def missing_part(slot: str | None, language: str) -> str:
    """"(the passages below do not state a date)" for an answer that lacks what was asked."""
    vi, en = SLOT_NAMES.get(slot or "", ("điều được hỏi", "what was asked"))
    if language == "en":
        return f"The documents do not state {en} for this question; the closest passages are listed below."
    return f"Các tài liệu hiện có không nêu {vi} cho câu hỏi này; các đoạn gần nhất được liệt kê dưới đây."


def with_understanding(answer: Answer, query: Query) -> Answer:
    """A follow-up's answer says first how the question was understood ("Hiểu là: … — Quảng Ninh")."""
    understood = query.understood()
    if not understood or not answer.text:
        return replace(answer, resolved_question=answer.resolved_question or query.text)
    label = "Understood as" if query.language == "en" else "Hiểu là"
    return replace(answer, text=f"({label}: {understood})\n{answer.text}", resolved_question=query.text)


# Organisations and companies by name: a passage that names none does not say which ones.
_ORGANISATION_NAMES = (r"IOM|UNODC|UNICEF|UNDP|UNFPA|ILO|USAID|UN Women|World Vision|Blue Dragon|Hagar|Pacific Links|"
                       r"Liên Hợp Quốc|Liên hợp quốc|Tổ chức Di cư Quốc tế|Tổ chức Lao động Quốc tế|"
                       r"Viettel|VNPT|MobiFone|Mobifone|VinaPhone|Vinaphone|Vietnamobile|Gmobile|FPT")
_ORGANISATIONS = re.compile(rf"\b({_ORGANISATION_NAMES})\b")
# Foreign countries: how a question names one (folded, in English or in Vietnamese with or without marks — not "lao"
# alone, which "lao động" folds to, nor "thai", of "thái độ"; Laos typed with its marks is read apart), and the names a
# passage gives it by (its provinces too: Quảng Tây is China's).
FOREIGN_COUNTRIES = (
    (r"chinese|china|trung quoc|tq", r"Trung Quốc|Quảng Tây|Vân Nam"),
    (r"laos|laotian|nuoc lao", r"Lào"),
    (r"cambodian?|campuchia|cam-pu-chia", r"Căm-pu-chia|Cam-pu-chia|Campuchia"),
    (r"thailand|thai lan", r"Thái Lan"),
    (r"myanmar|burmese|burma|mi-an-ma", r"Myanmar|Mi-an-ma"),
    (r"malaysian?|ma-lai-xi-a", r"Malaysia|Ma-lai-xi-a"),
    (r"korean?|han quoc", r"Hàn Quốc"),
    (r"japan|japanese|nhat ban", r"Nhật Bản"),
    (r"taiwan|taiwanese|dai loan", r"Đài Loan"),
    (r"singapore|xin-ga-po", r"Singapore|Xin-ga-po"),
    (r"indonesian?", r"Indonesia"),
    (r"philippines|filipino|phi-lip-pin", r"Phi-líp-pin|Philippines"),
    (r"united states|american|hoa ky", r"Hoa Kỳ"),
)
_FOREIGN_PLACES = "|".join(said for _asked, said in FOREIGN_COUNTRIES) + r"|ASEAN|Liên minh châu Âu"
# "Which IOM or UNODC projects …", "dự án IOM nào": the organisation qualifies what is asked (not "for our IOM colleague")
_ORGANISATION_ASKED = re.compile(rf"(?i)\b(?:which|what)\s+(?:\w+\s+){{0,2}}?(?:{_ORGANISATION_NAMES})\b|"
                                 rf"\b(?:{_ORGANISATION_NAMES})(?:\s+\w+){{0,3}}\s+nào\b")
# What a passage must contain to answer a question of each slot (matched on the accented text).
_STATES = {
    # A figure is a quantity: not a year, a date, an age, a document number or a list's numbering.
    "number": re.compile(r"(?i)\d+(?:[.,]\d+)?\s*%|(?<![\d/.])(?!(?:19|20)\d\d(?!\d))\d+(?:[.,]\d+)*(?![\d/]|\s*/|\s*tuổi|\.\s|\))"),
    # a day of the calendar: not a month or a year alone ("ngày tháng 3 năm 2026" leaves the day blank)
    "day": re.compile(r"(?i)\d{1,2}\s*/\s*\d{1,2}|ngày\s+\d|quý\s+[IV\d]|kể từ ngày"),
    # (or the local government of a level named: "UBND các huyện, thành phố", "Ủy ban nhân dân các xã, phường")
    "level": re.compile(r"(?i)\bcấp (xã|huyện|tỉnh|cơ sở|trung ương|thôn|bản|quận|phường)|\bcơ sở\b|\b(xã|phường), (phường|xã|thị trấn)|"
                        r"\b(UBND|Ủy ban nhân dân|Uỷ ban nhân dân) (các |cấp )?(huyện|xã|quận|phường|thị xã)"),
    # ("định kỳ sơ kết, tổng kết" says it is periodic, not how often: "định kỳ" counts with its period)
    "frequency": re.compile(r"(?i)định kỳ,? (\d+|hằng|hàng|mỗi|tháng|quý|năm|sáu|một)|hằng (ngày|tuần|tháng|quý|năm)|hàng (ngày|tuần|tháng|quý|năm)|mỗi (tuần|tháng|quý|năm)|"
                            r"theo quý|\b0?6 tháng|\b0?1 năm|đột xuất|thường xuyên"),
    "email": re.compile(r"[\w.-]+@[\w-]+\.\w"),
    "website": re.compile(r"(?i)\bwww\.|https?://|\b[\w-]+\.(gov|org|com)(\.vn)?\b|\b[\w-]+\.vn\b"),
    "organisation": _ORGANISATIONS,
    # a foreign partner: a country, a foreign region or force ("Công an Quảng Tây - Trung Quốc"), ASEAN, an international body
    # (or countries described as the law describes them: "nước mà người đó có quốc tịch", "các nước có chung đường biên giới")
    "partner": re.compile(rf"\b({_ORGANISATION_NAMES}|{_FOREIGN_PLACES})\b|\bnước (mà|có|láng giềng|trong khu vực|liên quan)\b"),
    "ranking": re.compile(r"(?i)nhiều nhất|cao nhất|ít nhất|đứng đầu|dẫn đầu|\d+\s*(vụ|nạn nhân|đối tượng|người)\b"),
    "channel": re.compile(r"\(qua [^)]{3,120}\)|\bqua\s+(?:[A-ZĐ]|cơ quan|đầu mối)"),
    # "gửi về Ban Chỉ đạo", "thông báo ngay với Phòng Lao động", "tố giác, tố cáo hành vi … với cơ quan Công an"
    "recipient": re.compile(r"(?i)\b(?:(?:gửi|báo cáo|trình|chuyển)\s+(?:(?:về|lên|cho|tới|đến)\s+)?|(?<!trở )(?<!đưa )về\s+|"
                            # "chuyển ngay người đó đến Phòng …", "chuyển giao họ cho cơ sở …": who is handed over between
                            r"(?:chuyển|đưa|gửi)\s+(?:(?:ngay|giao|nạn nhân|người đó|họ|người)\s+){1,3}(?:về|lên|cho|tới|đến)\s+|"
                            r"(?:báo tin|tố giác|tố cáo|thông báo)\b[^.;:]{0,80}?\b(?:về|lên|cho|tới|đến|với)\s+)"
                            # (read without case: not "về phòng, chống mua bán người", the fight, nor "Bộ luật", a code)
                            r"(?:Ban Chỉ đạo|BCĐ|UBND|Ủy ban|Uỷ ban|Công an|Sở|Bộ(?! luật)|Chính phủ|Thủ tướng|Thường trực|Văn phòng|"
                            r"cơ quan|Hội đồng|Tòa|Viện|Phòng(?!,? chống| ngừa| tránh)|cơ sở (?:bảo trợ|hỗ trợ))"),
    "percent": re.compile(r"(?i)\d+(?:[.,]\d+)?\s*%|phần trăm"),
    "code": re.compile(r"\d"),
    # a number to dial: three digits or more, not a year nor a date's ("111", "1800 1567", "0203.3825.xxx")
    # (said after what it dials: "Tổng đài điện thoại quốc gia về phòng, chống mua bán người 111", not "Ban Chỉ đạo 138")
    "phone": re.compile(r"(?i)(tổng đài|đường dây nóng|điện thoại|hotline|\bS?ĐT\b|\bTel\b|\bFax\b)[^;\n]{0,70}?(?<![\d/,])(?<!\d\.)"
                        r"(?!(?:19|20)\d\d(?!\d))\d{3,}(?![\d/])"),
    "place": re.compile(r"\b(huyện|xã|phường|thị xã|thành phố|TP\.?|thị trấn|Huyện|Xã|Thành phố|cửa khẩu|Cửa khẩu)\s+[A-ZĐ][a-zà-ỹđ]+"),
    "age": re.compile(r"(?i)\d+\s*tuổi|\bdưới\s+\d+|\btrên\s+\d+\s*tuổi"),
    "date": re.compile(r"(?i)\d{1,2}/\d{1,2}|\bngày\s+\d|tháng\s+\d|\b(19|20)\d\d\b|\bquý\s+[IV\d]|hằng năm|hàng năm|"
                       r"định kỳ|\d+\s*(ngày|tháng|năm)\b|ngày ký|thường xuyên|trước ngày|sau khi|(hằng|hàng|mỗi)\s+(ngày|tuần|tháng|quý|năm)|"
                       r"thứ\s+(hai|ba|tư|năm|sáu|bảy)|chủ nhật|đầu năm|cuối năm|giai đoạn|"
                       r"\bnăm học\b"),  # (a period: "trong năm học đầu tiên")
    # (a term of years is "từ 05 năm đến 10 năm", not any "1 năm": "báo cáo 6 tháng, 1 năm" is a reporting period)
    "penalty": re.compile(r"(?i)phạt tù|tù chung thân|tử hình|phạt tiền|cải tạo không giam giữ|cảnh cáo|trục xuất|"
                         r"(?:từ|đến)\s+\d+\s*năm|\d+\s*năm\s+tù|"
                         r"xử phạt|xử lý kỷ luật|bị kỷ luật|truy cứu trách nhiệm hình sự"),
    "money": re.compile(r"(?i)\d[\d.,]*\s*(tỷ|triệu|nghìn|ngàn|đồng|vnđ|vnd|usd)\b"),
    "law": re.compile(r"\b(Luật|Bộ luật|Nghị định|Nghị quyết|Quyết định|Chỉ thị|Thông tư|Kế hoạch số|Kế hoạch|Công ước|"
                      r"Chương trình|Hiến pháp)\b"),
    "person": re.compile(r"\b(Ông|Bà|ông|bà|Đồng chí|đồng chí)\s+[A-ZĐ][a-zà-ỹđ]+\s+[A-ZĐ]"),
    # a decree by its number ("Nghị định số 09/2013/NĐ-CP"), which "Chính phủ quy định chi tiết …" does not give
    "decree": re.compile(r"(?i)\bNghị định(?: số)?\s+\d+|\d+/\d{4}/NĐ-CP"),
}


def states(slot: str | None, text: str) -> bool:
    """Whether a passage contains a value of the kind the question asks for (True when nothing particular is asked)."""
    if slot == "agency":  # "who …": a body named, not "các cấp, các ngành"
        return any(not (m.agency.generic or m.agency.collective) for m in find_agencies(text))
    pattern = _STATES.get(slot or "")
    if slot == "number":  # "các điều 33, 34, 35 …", "khoản 1 Điều 24": references to provisions are no figures
        text = _PROVISION_NUMBERS.sub(" ", text)
    return True if pattern is None else bool(pattern.search(text))


_PROVISION_NUMBERS = re.compile(r"(?i)\b(?:điều|khoản|điểm|chương|mục|article|clause)\s+\d+(?:\s*(?:,|và|and|-|–)\s*\d+)*")


# "Kế hoạch số 2496/KH-UBND ngày 23/4/2021": the date a cited document was issued. It answers when that document
# was issued (a question that names it), not a deadline or a date of the plan's own work.
_CITED_DATE = re.compile(r"\d+\s*/\s*[\wĐđ/-]+\s+ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2,4}")


# "… thực hiện kế hoạch số mấy, kế hoạch đó ban hành ngày nào": a question (or an earlier part of it) about a cited document
_ASKS_DOCUMENT = re.compile(r"\b(so may|so nao|so bao nhieu|(van ban|quyet dinh|ke hoach|chi thi|nghi quyet|chuong trinh) nao|"
                            r"(which|what) (decision|plan|document|directive|resolution|programme|program)s?)\b")


# The numbers Vietnamese texts write in words ("một lần", "hai người"), folded ("năm" left out: it is also "year").
NUMBER_WORDS = r"(?:mot|hai|ba|bon|sau|bay|tam|chin|muoi)"
_COUNT_IN_WORDS = re.compile(rf"\b{NUMBER_WORDS} (lan|luot|dot|nguoi|ngay|thang|nam|vu)\b")
# The unit a question asks a figure in (query.asked_unit), as the texts write it folded.
UNIT_FOLDED = {"days": "ngay", "months": "thang", "years": "nam", "hours": "gio", "times": "lan", "people": "nguoi",
               "cases": "vu", "percent": "%", "phan": "%"}


def states_asked(query: Query, text: str) -> bool:
    """states() for a question: a date asked is not the issue date of a document the question neither names nor asks
    about."""
    if query.slot in ("day", "date"):
        whole = re.sub(r"\b(?:19|20)\d\d\b", " ", f"{query.text} {query.question}")
        if not re.search(r"\d", whole) and not _ASKS_DOCUMENT.search(fold(whole)):
            text = _CITED_DATE.sub(" ", text)
        if _YEAR_ASKED.search(fold(query.text)) and not re.search(r"\b(?:19|20)\d\d\b", text):
            return False  # "by what year …": a year, not "thường xuyên" or "hằng năm"
        if _LENGTH_ASKED.search(fold(query.text)) and not _LENGTH_SAID.search(text):
            return False  # "how long can she stay …": a length of time, not "sau khi tiếp nhận"
    if query.slot == "number" and query.unit:
        # a count the law writes in words, of the unit asked: "được hỗ trợ một lần" for "mấy lần", "how many times"
        unit = UNIT_FOLDED.get(query.unit, fold(query.unit))
        if any(m.group(1) == unit for m in _COUNT_IN_WORDS.finditer(fold(text.lower()))):
            return True
    if query.slot == "law" and ASKS_A_LAW.search(fold(query.text)) and not NAMES_A_LAW.search(text):
        return False  # "what law is it based on": a law by its name, not "Chương trình …" or "pháp luật của Nhà nước"
    return states(query.slot, text)


# "What law …", "luật nào", "which act": a law itself is asked (not any instrument: "văn bản nào", "which decision")
ASKS_A_LAW = re.compile(r"\b(?:what|which)(?: [\w-]+){0,2} (?:laws?|acts?|codes?)\b|\bluat (?:nao|gi|so may|nam nao)\b")
NAMES_A_LAW = re.compile(r"\b(?:Luật|Bộ luật|Bộ Luật)\b")


# "How long …", "the maximum length of time", "tối đa bao lâu": a length of time is asked, which only one answers
# ("03 ngày", "không quá 02 tháng", "trong năm học đầu tiên").
_LENGTH_ASKED = re.compile(r"\bhow long\b|\blength of time\b|\bhow many (?:days|weeks|months|years)\b|\bbao lau\b|"
                           r"\b(?:bao nhieu|may) (?:ngay|tuan|thang|nam)\b")
_LENGTH_SAID = re.compile(r"(?i)\d+\s*(?:ngày|tuần|tháng|năm|giờ)\b|\bnăm học\b|\b(?:một|hai|ba|mười)\s+(?:ngày|tháng|năm)\b")
# "By what year …", "in which year", "năm nào", "đến năm bao nhiêu": a year is asked, which only a year answers.
_YEAR_ASKED = re.compile(r"\b(?:what|which) year\b|\bnam (?:nao|bao nhieu|may)\b")


def named_numbers(query: Query, scoped_years: tuple[int, ...] | None = None) -> list[str]:
    """Numbers a question names that any answer must mention ("Điều 150", "Luật … năm 2024"); the years
    and document numbers that only choose a plan (and are applied as its scope) are not among them."""
    text = re.sub(r"\b\d{1,5}\s*/\s*[\wĐđ/-]+", " ", query.text)  # document numbers: "22/KH-BCĐ"
    # Years that chose an indexed plan are its scope; a year no document has ("the 2017 amendment", "Quảng Ninh's
    # targets for 2016-2020") must be stated. A period is the scope when one of its years chose a plan.
    scoped = {str(y) for y in (query.scope.years if scoped_years is None else scoped_years)}
    text = re.sub(r"\b((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b",
                  lambda m: " " if {m.group(1), m.group(2)} & scoped else m.group(0), text)
    # an age is a fact of the case, compared with the law's "dưới 16 tuổi", not a number the passage must repeat
    text = re.sub(r"(?i)\b\d{1,3}\s*(?:-\s*)?(?:tuổi|tuoi|years?[- ]old|yrs?[- ]old)\b", " ", text)
    return [n for n in re.findall(r"(?<![\d.,])\d{2,4}(?![\d.,%])", text) if n not in scoped and n not in name_numbers()]


@lru_cache(maxsize=1)
def _terms_of_art() -> tuple[tuple[tuple[str, ...], re.Pattern, str], ...]:
    """(Vietnamese forms, English pattern, English name) of each legal notion in data/terms_of_art.json."""
    rows = json.loads(resources.files("assistant.data").joinpath("terms_of_art.json").read_text(encoding="utf-8"))["terms"]
    return tuple((tuple(r["vi"]), re.compile(rf"(?i)\b(?:{r['en']})\b"), r["name_en"]) for r in rows)


def absent_notion(composer: "Context", query: Query) -> str:
    """A refusal naming the legal notion the question asks of ("thời hiệu", "statute of limitations") when no indexed
    document uses it; "" otherwise (the notion is there, or the question names none)."""
    question = query.question.lower()
    unmarked = fold(question) == question
    for forms, english, name_en in _terms_of_art():
        named = english.search(question) or any(
            re.search(rf"(?<!\w){re.escape(fold(f) if unmarked else f)}(?!\w)", question) for f in forms)
        if not named or any(composer.uses_term(f) for f in forms):
            continue
        if query.language == "en":
            return f"{not_found('en').rstrip('.')}: none of them mentions {name_en} ({forms[0]})."
        return f"{not_found('vi').rstrip('.')}: không văn bản nào nói đến {forms[0]}."
    return ""


# The law leaving a matter to the Government ("Chính phủ quy định cụ thể điều kiện, trình tự, thủ tục thành lập …").
DELEGATED = re.compile(r"Chính phủ quy định (?:cụ thể|chi tiết)(?: về)? [^.;:”]+")
# What a question may ask that a law delegates (folded question → the Vietnamese word the delegation would name).
_ASKED_SPECIFICS = (
    (re.compile(r"\b(dieu kien|conditions?|requirements?|criteria|eligib\w*)\b"), "điều kiện"),
    (re.compile(r"\b(trinh tu|thu tuc|procedures?|steps)\b"), "thủ tục"),
    (re.compile(r"\b(nghi dinh|decrees?)\b"), ""),  # a decree: any delegation, which names none
)
# "ai / cơ quan nào quy định …", "who sets the conditions": the Government is the answer, not a gap
ASKS_WHO_REGULATES = re.compile(r"\b(ai|co quan nao|who|which (body|authority|agency))\b.{0,30}\b(quy dinh|regulat\w*|sets?|lays? down|"
                                r"decides?|specif\w*)\b")


_ALSO_YES_OR_NO = re.compile(r"\bco\b.{3,80}\bkhong\b|^\W*(can|could|does|do|is|are|will|would|may|should|must)\b")


def delegated_instead(composer: "Context", query: Query, answer: Answer) -> Answer | None:
    """A refusal for an answer whose only word on what was asked (conditions, procedures, a decree) is that the law
    leaves it to the Government: "the law does not list them; khoản 2 Điều 40 leaves them to the Government", with
    that clause cited; None when the answer states what was asked, or asks none of it."""
    if not answer.found or not answer.citations:
        return None
    folded = fold(query.text)
    if ASKS_WHO_REGULATES.search(folded) or _ALSO_YES_OR_NO.search(folded):
        return None  # ("… có được dùng ngân sách nhà nước không, và điều kiện …": the yes-or-no the clause answers)
    quotes = " ".join(re.findall(r"“([^”]*)”", answer.text))
    delegations = [m.group(0) for m in DELEGATED.finditer(quotes)]
    if not delegations:
        return None
    rest = DELEGATED.sub(" ", quotes).lower()
    for asked, word in _ASKED_SPECIFICS:
        if not asked.search(folded):
            continue
        if word:  # the thing asked is what a delegation names, and no other words quoted say it
            covering = [d for d in delegations if word in d]
            if not covering or word in rest:
                continue
        else:  # a decree asked: any delegation, when no decree is named
            covering = delegations
            if "nghị định" in quotes.lower():
                continue
        said = covering[0]
        cite = next((c for c in answer.citations if said in c.text), None)
        if cite is None:
            return None
        start = cite.start + cite.text.index(said)
        where = official_section(cite.section, query.language)
        doc = composer.store.documents[cite.doc_id]
        label = document_label(doc, query.language)
        text = (f"{not_found('en').rstrip('.')}: {label} does not set this out; {where} leaves it to the Government: "
                f"“{said}.” [1]" if query.language == "en" else
                f"{not_found('vi').rstrip('.')}: {label} không nêu cụ thể; {where} giao Chính phủ quy định: “{said}.” [1]")
        citation = composer.span_citation(1, cite.doc_id, start, start + len(said), cite.section, [(start, start + len(said))])
        return replace(answer, text=text, found=False, citations=(citation,))
    return None


def names_missing(composer: "Context", query: Query, doc, around: str) -> bool:
    """Whether the question names a number ("Điều 150", "Luật … năm 2024") or a document ("Luật số
    53/2024/QH15") that neither the passage nor its document carries: then the passage is about something else."""
    own = f"{doc.number or ''} {doc.title} {doc.period or ''} {doc.year or ''}" if doc is not None else ""
    around = f"{around} {own}"
    for number in named_numbers(query, composer.retriever.scope_of(query.text).years):
        if not re.search(rf"(?<!\d){number}(?!\d)", around):
            return True
    asked = " ".join(m.group(0) for m in _ORGANISATION_ASKED.finditer(query.text))
    named_bodies = {m.group(0).lower() for m in _ORGANISATIONS.finditer(asked)}
    if named_bodies and doc is not None and not any(b in doc.text.lower() for b in named_bodies):
        return True  # "Which IOM or UNODC projects …": a document that names neither is about other partners
    compact = fold(re.sub(r"\s+", "", around))  # "22/KH-BCD" typed is "22 /KH-BCĐ" written
    for reference in re.findall(r"\b\d{1,5}\s*/\s*(?:\d{2,4}\s*/\s*)?[A-Za-zĐđ][\wĐđ-]*", composer._without_own_documents(query.text)):
        if fold(re.sub(r"\s+", "", reference)) not in compact:
            return True
    return False
