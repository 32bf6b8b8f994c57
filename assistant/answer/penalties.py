"""Penalty questions over a criminal-law article ("Mua bán người dưới 16 tuổi có tổ chức thì bị phạt thế
nào?", "What prison term applies under Article 150 to an organised group?"): the penalty is stated once
per clause (khoản), above the circumstances (điểm) it applies to. The answer is the clause whose
circumstances the question names; with none named, the basic clause (khoản 1), or the heaviest when
the question asks for the highest penalty."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING

from ..chunk import Node
from ..query import ADMINISTRATIVE, ADULT, BANNED_FROM, Query, articles_named, stated_ages
from ..text import fold, has_diacritics, keyword_terms
from .structure import tree
from .compound import merge_answers
from .refusal import missing_part, names_missing
from .types import Answer, according_to, clean_quote, document_label, official_section

if TYPE_CHECKING:
    from ..retrieve import Hit
    from .context import Context

_SENTENCE = re.compile(r"(?i)phạt tù|tù chung thân|tử hình")
# Where a victim is taken out of the country, in users' words: the country named after "sang", "qua", "to", or the
# verb that takes them there ("lừa … sang Campuchia", "bán qua biên giới", "taken abroad").
_ABROAD = re.compile(r"\b((sang|qua|ra|di|toi|den|vao) (trung quoc|tq|campuchia|cam pu chia|lao(?! dong)|thai lan|malaysia|"
                     r"myanmar|han quoc|dai loan|nhat ban|nuoc ngoai|bien gioi|ben kia)|ben kia bien gioi|vuot bien|abroad|"
                     r"overseas|outside (of )?(vietnam|viet nam|the country)|out of (vietnam|viet nam|the country)|"
                     r"(across|over) the border|(into|to|in) (china|cambodia|laos|thailand|malaysia|myanmar|korea|taiwan|japan))\b")
# A circumstance the story denies ("không đưa ra nước ngoài", "she never left Vietnam"): the few words before it.
_DENIED = re.compile(r"\b(khong|chua|chang|never|not|didn't|didnt|no|without)\b(\s+\S+){0,3}\s*$")


# How a story tells a point in other words than the code's (the glossary's noun phrases miss them): "abused her position" is "Lợi dụng chức vụ,
# quyền hạn"; "used the adoption process as cover" is "Lợi dụng hoạt động …". (As glossary entries these verbs would
# count as domain words and move how every English question is searched.)
_TOLD_IN_OTHER_WORDS = (
    # a group that splits the work ("a ring with recruiters, drivers and a safe-house keeper", "đường dây", "băng nhóm
    # phân công vai trò") is "a) Có tổ chức;" in the code's words
    (re.compile(r"(?i)\b(ring|gang|syndicate|(criminal|trafficking|smuggling) network|organi[sz]ed (group|gang|crime|network|ring)|"
                r"division of (roles|labou?r|tasks|work)|(split|divided|shared|assigned) (\w+ )?(roles|tasks|the work)|"
                r"duong day|bang nhom|bang dang|to chuc toi pham|phan cong (vai tro|nhiem vu|cong viec)|cau ket chat che)\b"),
     {"tổ", "chức", "tổ_chức"}),
    (re.compile(r"(?i)\b(abus|misus|exploit)\w*\s+(?:(?:his|her|their|its|an?|the|official|public)\s+){0,2}"
                r"(position|power|office|post|authority|rank)s?\b"), {"lợi", "dụng", "chức", "vụ", "quyền", "hạn"}),
    # the offender's own child or a child in their care ("a mother sold her own son", "bán con ruột", "đứa cháu mình
    # nuôi") is "Đối với người mà mình có trách nhiệm chăm sóc, nuôi dưỡng" in the code's words
    (re.compile(r"(?i)\b((his|her|their) own ([\w-]+ ){0,2}(sons?|daughters?|child(ren)?|kids?|babies|baby|grand\w+|nieces?|nephews?)|"
                r"step(sons?|daughters?|child(ren)?)|foster (sons?|daughters?|child(ren)?)|in (his|her|their) care|"
                r"under (his|her|their) care|(he|she|they) (was|were) (raising|looking after|caring for)|"
                r"con (ruot|de|nuoi) (cua )?(minh|ho|anh ta|chi ta|ong ta|ba ta|y|han)|con (ruot|de)|"
                r"(chau|con|em) (do )?(minh|ho) (dang )?(nuoi|cham soc|trong nom))\b"),
     {"trách", "nhiệm", "chăm", "sóc", "nuôi", "dưỡng", "trách_nhiệm", "chăm_sóc", "nuôi_dưỡng"}),
    # adoption used to get the child ("giả làm thủ tục cho nhận con nuôi", "posed as adoptive parents") is "b) Lợi dụng
    # hoạt động cho nhận con nuôi để phạm tội;" in the code's words
    (re.compile(r"(?i)\b((cho |xin )?nhan (lam )?con nuoi|nhan nuoi|adopt\w*)\b"),
     {"lợi", "dụng", "hoạt", "động", "cho", "nhận", "con", "nuôi", "con_nuôi", "nhận_con", "cho_nhận"}),
    (re.compile(r"(?i)\b(as (?:a )?(?:cover|front|pretext)|under (?:the )?(?:cover|guise|pretext) of|took advantage of|"
                r"taking advantage of)\b"), {"lợi", "dụng"}),
    # an organ named ("lấy thận của cô bé", "removed her kidney", "harvested organs") is "Đã lấy bộ phận cơ thể của nạn
    # nhân" in the code's words
    (re.compile(r"(?i)\b((lay|cat|moc|ban|mat) (mot |1 )?(qua |cai )?(than|gan|giac mac|noi tang|tang)|"
                r"(kidneys?|livers?|corneas?|organs?)\b.{0,20}\b(removed|harvested|taken|sold|cut out)|"
                r"(removed?|removing|harvest\w*|took|taken|tak\w+|sold|sell\w*|cut out) (\w+ ){0,3}(kidneys?|livers?|corneas?|organs?))\b"),
     {"lấy", "bộ", "phận", "cơ", "thể", "bộ_phận", "cơ_thể"}),
)


def _taken_abroad(question: str) -> bool:
    """Whether the story says the victim was taken out of the country (and does not deny it)."""
    folded = fold(question)
    return any(not _DENIED.search(folded[max(0, m.start() - 40) : m.start()]) for m in _ABROAD.finditer(folded))


_BASIC = re.compile(r"\b((khung|muc)( hinh)?( phat)?( tu)? co ban|phat tu co ban|khong co (bat ky )?tinh tiet tang nang|"
                    r"(no|nothing|without( any)?) (else |other )?aggravating|basic (penalty|bracket|range|sentence|prison))\b")
# "No other aggravating factors", "không có tình tiết tăng nặng nào khác": none beyond those the story tells
_NO_OTHER = re.compile(r"\b((no|nothing|without( any)?) (else|other|further|additional|more) aggravating|"
                       r"(no|without( any)?) aggravating \w+ (other than|besides|apart from|beyond)|"
                       r"khong co (bat ky )?(tinh tiet )?(tang nang )?(nao )?khac)\b")
_HEAVIEST = re.compile(r"\b(cao nhat|nang nhat|toi da|khung cao nhat|maximum|highest|heaviest|most severe|harshest|toughest)\b")
# Words of the question that ask for a penalty, not for a circumstance it applies to.
_PENALTY_WORDS_MARKED = ("phạt", "tù", "hình_phạt", "mức", "khung", "năm", "bao_nhiêu", "cơ_bản", "cao_nhất", "nặng_nhất",
                         "tối_đa", "thế_nào", "quy_định", "bị", "xử", "tội", "điều", "khoản",
                         # (the words that open a case, not a circumstance of it: "nếu nạn nhân dưới 16 tuổi thì …")
                         "nếu", "thì", "khi", "sao",
                         # (nor the code's name, nor "circumstances" asked of, nor an age, which the article's title weighs)
                         "bộ_luật", "luật", "hình_sự", "tình_tiết", "tuổi", "dưới")
_PENALTY_WORDS = {fold(w) for w in _PENALTY_WORDS_MARKED}
# …and their syllables ("cơ", "bản" of "khung cơ bản"), with their marks: "cơ", "thể" of "bộ phận cơ thể" are not them
_PENALTY_SYLLABLES = {part for word in _PENALTY_WORDS_MARKED for part in word.split("_")}


def _unpadded(terms: set[str]) -> set[str]:
    """Terms with numbers as users type them: the code writes "từ 02 người đến 05 người", users "từ 2 đến 5 người"."""
    return {re.sub(r"(?<![\d.,])0+(?=\d)", "", t) for t in terms}


_ENGLISH_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
                 **_ENGLISH_NUMBERS}
# The same numbers with their marks, for a question typed with them: "ông bà" is not "ba", nor "sau đó" "sáu".
_NUMBER_WORDS_MARKED = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
                        "mười": 10, **_ENGLISH_NUMBERS}
# The people a story counts: "3 người", "7 cô gái", "hai chị em", "3 cháu bé", "two young women", "five workers".
_PEOPLE_EN = r"people|persons?|victims?|individuals?|girls?|boys?|women|children|kids|newborns|infants|babies|men|workers|teenagers|minors|adults?|fishermen|migrants|brides|wom[ae]n"
_PEOPLE = rf"(?:nguoi|nan nhan|chi em|co gai|thieu nu|phu nu|chau|em|be|tre|tre em|lao dong|thanh nien|{_PEOPLE_EN})"
_PEOPLE_MARKED = rf"(?:người|nạn nhân|chị em|cô gái|thiếu nữ|phụ nữ|cháu|em|bé|trẻ|trẻ em|lao động|thanh niên|{_PEOPLE_EN})"


def _people_counted(question: str) -> int | None:
    """How many people the question says were trafficked ("3 người", "năm cô gái", "three victims"), if it says."""
    marked = has_diacritics(question)
    text = unicodedata.normalize("NFC", question).lower() if marked else fold(question)
    numbers, people = (_NUMBER_WORDS_MARKED, _PEOPLE_MARKED) if marked else (_NUMBER_WORDS, _PEOPLE)
    if not marked:  # "ba ngoại", "ba nội" typed without marks: a grandmother ("bà"), not three ("ba")
        text = re.sub(r"\bba(?= (?:ngoai|noi|ay|ta|chu|lao|gia|cu|me|cu)\b)", "bà", text)
    # (an age, a share or a time is no count: "em gái tôi 20 tuổi bị người quen lừa" tells one victim)
    # (the largest count told: "Một người mua bán 7 người …" counts the offender first; "two 15-year-old girls")
    counts = [int(m.group(1)) if m.group(1).isdigit() else numbers[m.group(1)] for m in re.finditer(
        rf"(?<!\w)(?<!\d\s)(\d+|{'|'.join(numbers)})(?!\s*(?:tuổi|tuoi|years?|yrs?|%|năm|nam\b|tháng|thang|ngày|ngay|"
        rf"triệu|trieu|lần|lan\b|-year))\s+(?:[\w-]+\s+){{0,2}}?{people}(?!\w)", text)]
    # "số người bị lừa là bảy", "the number of victims was seven": the count told after the people it counts
    counts += [int(m.group(1)) if m.group(1).isdigit() else numbers[m.group(1)] for m in re.finditer(
        rf"(?:so|số|number of) (?:[\w-]+ ){{0,1}}?{people}(?: [\w-]+){{0,3}}? (?:la|là|len toi|lên tới|len den|lên đến|"
        rf"is|was|were|came to|totalled|totaled) (\d+|{'|'.join(numbers)})(?!\w)", text)]
    return max(counts) if counts else None


def _share_fits(point: str, shares: list[float]) -> bool | None:
    """Whether a share the question gives ("30%") falls in a point's range ("từ 11% đến 45%", "46% trở lên"); None
    when the point gives no range or the question no share."""
    if not shares:
        return None
    span = re.search(r"từ (\d+)% đến (\d+)%", point)
    floor = re.search(r"(\d+)% trở lên", point)
    if span:
        return any(int(span.group(1)) <= x <= int(span.group(2)) for x in shares)
    if floor:
        return any(x >= int(floor.group(1)) for x in shares)
    return None


_TIMES_TOLD = re.compile(r"\b(lan dau( tien)?|lan thu nhat|first[- ](time|offen[cs]e)|for the first time|"
                         r"(\d+|hai|ba|bon|nam|two|three|four|five) lan|twice|(\d+|two|three|four|five) (separate |different )?"
                         r"(times|occasions)|(several|many|multiple|repeated|separate) occasions|nhieu lan|"
                         r"many times|several times|repeatedly|lai tiep tuc|again|"
                         # a second sale told as its own event: "… and a year later sold her sister", "sau đó lại bán …"
                         # (not "lured her …, then sold her": the luring and the sale are one offence)
                         r"later (?:also )?sold|then sold (?:another|a second|others|her sister|his sister|two|three|more)|"
                         r"lai ban|tiep tuc ban|ban tiep)\b")


def _times_fit(point: str, question: str) -> bool | None:
    """Whether how often the story says the offence was done ("lần đầu phạm tội", "bán 3 lần", "again") meets a
    point's "Phạm tội 02 lần trở lên"; None when the point counts no times or the story does not say."""
    floor = re.search(r"\b(\d+) lan tro len\b", fold(point))
    told = _TIMES_TOLD.search(fold(question))
    if floor is None or told is None:
        return None
    said = told.group(0)
    number = re.match(r"(\d+|hai|ba|bon|nam|two|three|four|five)\b", said)
    if re.match(r"lan dau|lan thu nhat|first", said):
        times = 1
    elif number:
        times = int(number.group(1)) if number.group(1).isdigit() else _NUMBER_WORDS[number.group(1)]
    else:
        times = 2 if said == "twice" or "ban" in said or "sold" in said else 99  # "nhiều lần", "again": more than once
    return times >= int(floor.group(1))


def _counts(point: str, n: int) -> bool:
    """Whether a point's count of people holds n ("từ 02 đến 05 người", "06 người trở lên")."""
    folded = fold(point)
    span = re.search(r"\btu (\d+) (?:nguoi )?den (\d+) nguoi\b", folded)
    if span:
        return int(span.group(1)) <= n <= int(span.group(2))
    floor = re.search(r"\b(\d+) nguoi tro len\b", folded)
    return bool(floor) and n >= int(floor.group(1))


_CHILD = re.compile(r"\b(child|children|kids?|minors?|underage|juveniles?|newborns?|infants?|bab(?:y|ies)|tre so sinh|tre em|tre con|tre nho|thieu nien|chau be|be gai|be trai)\b")


def _age_against(title: str, question: str) -> tuple[bool, bool]:
    """(below, at or above): where the victim a question tells of stands against the age an article's title names
    ("dưới 16 tuổi"). An age decides ("a 14-year-old", "em 15 tuổi", "a 17-year-old"); with none, a child is below (in
    Vietnamese law a child is under 16) and an adult ("người trưởng thành") above. (False, False) when the title names
    no age."""
    limit = re.search(r"\bduoi (\d+) tuoi\b", title)
    if limit is None:
        return False, False
    folded = fold(question)
    ages = stated_ages(folded)
    if ages:
        return min(ages) < int(limit.group(1)), min(ages) >= int(limit.group(1))
    return bool(_CHILD.search(folded)) and int(limit.group(1)) <= 16, bool(ADULT.search(folded))


def _offence_of(text: str, article: Node) -> str:
    """An article's offence as its title names it, folded: "Điều 151. Tội mua bán người dưới 16 tuổi" → "toi mua ban
    nguoi duoi 16 tuoi"."""
    return re.sub(r"^\s*dieu\s+\d+\w*\s*[.:]?\s*", "", fold(text[article.start : article.body_end]).strip()).strip(" .")


def _unqualified(text: str, article: Node, articles: list[Node]) -> Node | None:
    """The article of the offence an age-qualified one narrows ("… dưới 16 tuổi" → the same offence of anyone)."""
    general = re.sub(r"\s*duoi \d+ tuoi\b", "", _offence_of(text, article)).strip()
    return next((a for a in articles if a is not article and _offence_of(text, a) == general), None)


def _offence_asked(text: str, article: Node, clauses: list[Node], topic: set[str], question: str) -> bool:
    """Whether the question asks about the article's offence: a word of its title besides "tội" and "người" ("mua",
    "bán"), a word pair of the acts its first clause makes the offence ("bóc_lột", "cưỡng_bức", "chuyển_giao"), or
    mostly word pairs the article says; not "trốn đi nước ngoài trái phép", which it never says."""
    if _ANOTHER_WRONG.search(fold(question)):
        return False  # "a woman faked being a victim to collect support": fraud, not the offence of this article
    title = {t for t in keyword_terms(text[article.start : article.body_end]) if "_" not in t and not t.isdigit()}
    title -= {"tội", "người", "điều", "dưới", "tuổi"}
    generic = {"người", "khác", "các", "những", "của", "và", "hoặc", "để", "thì", "bị", "nào"}
    acts = {t for t in keyword_terms(text[clauses[0].start : clauses[0].end])
            if "_" in t and not set(t.split("_")) & generic} if clauses else set()
    asked = {t for t in topic if not all(fold(p) in _PENALTY_WORDS for p in t.split("_"))}  # not "phạt_tù"
    if asked & title or asked & acts:
        return True
    if _TOLD_SOLD.search(fold(question)):
        return True  # a story of someone sold or handed over for money tells this offence in other words
    if _VICTIM_NAMED.search(fold(question)):
        return True  # "nếu nạn nhân dưới 16 tuổi thì phạt tù bao nhiêu?": the victim is this offence's (another wrong is out above)
    if {fold(t) for t in asked} & {fold(t) for t in title}:
        return True  # "roi ban cho …" typed without marks and restored as "rồi bản": its "ban" is the title's "bán"
    # or a circumstance of it the question describes in the article's own words ("rối loạn tâm thần … từ 11% đến 45%")
    pairs = {t for t in asked if "_" in t}
    said = set(keyword_terms(text[article.start : article.end]))
    return len(pairs) < 2 or len(pairs & said) >= len(pairs) / 2


# A wrong of another kind told in the words of this one: posing as a victim, trading in organs alone.
_ANOTHER_WRONG = re.compile(r"\b((fak(e|ed|es|ing)|pretend\w*|pos(e|ed|es|ing) as|falsely (claim\w*|pos\w*)|claim\w* to be)"
                            r"( (being|to be|that (she|he|they) (was|were)))?( an?)?( \w+){0,2} (victim|trafficked)|"
                            r"gia (lam|mao|danh) (la )?nan nhan|mao nhan (la )?nan nhan|khong phai mua ban nguoi|"
                            # what is done to a victim after the offence: her name published, her treated worse
                            r"(publish\w*|disclos\w*|reveal\w*|leak\w*|print\w*|expos\w*)\b.{0,50}\b(names?|identit\w*|photos?|"
                            r"pictures?|personal (data|information|details))|(tiet lo|cong khai|dang tai|dang|dua tin)\b.{0,40}\b"
                            r"(ten|danh tinh|thong tin ca nhan|hinh anh|anh)|discriminat\w*|stigmati\w*|ky thi|phan biet doi xu)\b")


def _articles(node: Node) -> list[Node]:
    out = []
    for child in node.children:
        if child.kind == "dieu":
            out.append(child)
        elif child.kind in ("phan", "chuong", "muc", "roman", "root"):
            out.extend(_articles(child))
    return out


def _clauses(text: str, article: Node) -> list[Node]:
    """The clauses of an article that state a prison penalty in their lead line."""
    out = []
    for clause in article.children:
        if clause.kind != "arabic":
            continue
        lead = text[clause.start : clause.body_end]
        if _SENTENCE.search(lead):
            out.append(clause)
    return out


_QUALIFIER = re.compile(r"(?i),?\s*(trừ trường hợp|của nước cộng hòa|theo quy định)\b.*$|[;.:]\s*$")


# Words of a circumstance that every case has ("của nạn nhân", "đối với … người"): not what tells one apart.
_GENERIC = frozenset("của đã đối với người nạn nhân và hoặc các những mình mà từ trở lên đến này khác phạm tội làm gây".split())


def _circumstance(point: str) -> str:
    """What a point names, without its label and qualifiers: "đ) Đưa nạn nhân ra khỏi biên giới của nước Cộng hòa
    xã hội chủ nghĩa Việt Nam;" → "Đưa nạn nhân ra khỏi biên giới"."""
    body = re.sub(r"^\s*[a-zđ]\)\s*", "", point.strip())
    return _QUALIFIER.sub("", body)


# An amendment of the code asked about ("the 2025 amendment", "Luật sửa đổi, bổ sung năm 2017"), by its year
_AMENDMENT_ASKED = re.compile(r"\b(amend\w*|sua doi|bo sung|revis\w*)\b")
# The offence's victim named ("nạn nhân", "the victim"): whoever is punished, it is for this offence against her
_VICTIM_NAMED = re.compile(r"\b(nan nhan|victims?)\b")
# A case told of someone sold ("cô ấy bị lừa bán", "bán cháu sang …", "was sold", "got trafficked"): the offence itself,
# whose basic clause holds when nothing else the story tells is one of its circumstances.
_TOLD_SOLD = re.compile(r"\b(bi (lua )?(ban|mua ban)|(da|di|dem|lua) ban|ban (\w+ ){0,5}(sang|qua|cho|lay)|sold|sell|sells|selling|trafficked|"
                        # a person handed over for money is sold in the code's words ("Chuyển giao … để giao, nhận tiền"):
                        # "giao bé gái cho người khác để lấy 50 triệu", "handed the boy over for $2,000"
                        r"(chuyen )?giao (\w+ ){0,9}(de |de duoc )?(lay|doi|nhan|doi lay) (tien|\d+)|"
                        r"(hand\w*|gave|give\w*|passe?d?) (\w+ ){0,5}(over |on )?(to \w+ (\w+ )?)?(for|in exchange for|in return for) "
                        r"(money|cash|a fee|\$|usd|vnd|\d+))\b")


# Someone else in the story (the victim's parents, her daughter): whose death or suicide is not the point "Làm nạn nhân
# chết hoặc tự sát", nor their injury the victim's. The victim is the one the story says was sold, so a death told of a
# relative with no selling between the two is theirs ("whose parents died", "con gái chị ấy tự sát vì buồn"), while
# "con gái tôi bị bán … và đã tự sát" is the victim's own.
_OTHERS = (r"(?:bo me|cha me|ong ba|bo|me|cha|ong|vo|chong|anh trai|chi gai|em trai|em gai|con gai|con trai|gia dinh|"
           r"nguoi than|parents?|father|mother|dad|mom|mum|husband|wife|grand\w+|sons?|daughters?|brothers?|sisters?|"
           r"family|relatives?)")
_FATE = (r"(?:chet|mat|qua doi|tu sat|tu tu|bi thuong|died|dies|dead|death|passed away|committed suicide|injured|"
         r"killed (?:him|her|them)sel(?:f|ves)|took (?:his|her|their) own li(?:fe|ves))")
_SOLD = re.compile(r"\b(?:bi (?:ban|lua|mua ban|dua|bat coc)|ban|sold|trafficked|taken|lured|kidnapped|abducted)\b")


def _others_fates_blanked(question: str) -> str:
    """The question without the deaths, suicides and injuries it tells of people other than the victim."""
    folded = fold(question)
    if len(folded) != len(question):
        return question
    out = question
    for m in re.finditer(rf"\b{_OTHERS}\b([^,.;!?]*?)\b({_FATE})\b", folded):
        if not _SOLD.search(m.group(1)):
            out = out[: m.start(2)] + " " * (m.end(2) - m.start(2)) + out[m.end(2) :]
    return out


def _offence_article(composer: "Context", query: Query, hits: list["Hit"], topic: set[str]) -> tuple | None:
    """(document, article, its clauses that state a prison term) of the offence a question asks about: the article
    it names, else the one of the top hits whose title it says best, of the age it says."""
    best = None  # (score, doc, article, clauses)
    for hit in hits[:5]:
        doc = composer.store.documents[hit.chunk.doc_id]
        articles = _articles(tree(doc.text))
        for article in articles:
            if query.article and article.label != f"Điều {query.article}":
                continue
            if not (article.start < hit.chunk.end and hit.chunk.start < article.end) and not query.article:
                continue
            if not query.article and _age_against(fold(doc.text[article.start : article.body_end]), query.text)[1]:
                # the offence against a child is not the one asked of an adult: the offence its title qualifies is
                # ("Tội mua bán người dưới 16 tuổi" → "Tội mua bán người")
                article = _unqualified(doc.text, article, articles)
                if article is None:
                    continue
            clauses = _clauses(doc.text, article)
            if len(clauses) < 2:
                continue
            title = set(keyword_terms(doc.text[article.start : article.body_end]))
            # an offence qualified by words the question lacks ("… dưới 16 tuổi") is not the one asked
            # (each such word counts: "Tội mua bán người dưới 16 tuổi" carries two more than "Tội mua bán người",
            # which outweighs a better retrieval rank)
            words = {t for t in title if "_" not in t and not t.isdigit() and fold(t) != "dieu"}
            # "a 14-year-old", "trẻ em": the question is of the age the title names, as if it said "dưới 16 tuổi"
            of_age = words & {"dưới", "tuổi"} if _age_against(fold(doc.text[article.start : article.body_end]), query.text)[0] else set()
            unasked = len(words - topic - of_age)
            score = composer._coverage(topic, title) + 0.2 / hit.rank - 0.25 * unasked + 0.25 * len(of_age - topic)
            if best is None or score > best[0]:
                best = (score, doc, article, clauses)
    return best[1:] if best else None


def _offence_asked_of(composer: "Context", query: Query, hits: list["Hit"]) -> tuple[set[str], tuple | None]:
    """(the question's topic without the fates of others it tells, _offence_article of that topic)."""
    topic = composer._topic_terms(_others_fates_blanked(query.text), query.language)
    return topic, _offence_article(composer, query, hits, topic)


def _trimmed_end(text: str, start: int, end: int) -> int:
    """The end of text[start:end] without its trailing whitespace."""
    while end > start and text[end - 1] in " \n\t":
        end -= 1
    return end


def _clause_section(article: Node, clause: Node) -> str:
    """ "Điều 150 › Khoản 2", the path a citation of an article's clause carries."""
    label = clause.label if clause.label.startswith("Khoản") else f"Khoản {clause.label}"
    return f"{article.label} › {label}"


# "phạt tiền", "fine", "hình phạt bổ sung", "ngoài phạt tù", "on top of prison": what an offence's last clause adds
_SUPPLEMENT_ASKED = re.compile(r"\b(phat tien|fined?|fines|hinh phat bo sung|additional (penalt\w*|punishments?|sanctions?)|"
                               # a ban from a post, trade or job, and probation: added to prison by the same clause
                               rf"{BANNED_FROM}|quan che|probation|cam cu tru|tich thu|confiscat\w*|seiz\w*|"
                               r"take (his|her|their|the offender'?s?) (property|assets|possessions)|"
                               r"(ngoai|besides|on top of|in addition to|apart from|other than) (an? )?(phat tu|hinh phat tu|"
                               r"prison\w*|jail\w*|imprisonment|a prison term|the prison term))\b")
_SUPPLEMENT = re.compile(r"(?i)\bcòn có thể bị\b")


def answer_supplement(composer: "Context", query: Query, hits: list["Hit"]) -> Answer | None:
    """The penalties an offence adds to prison ("Người phạm tội còn có thể bị phạt tiền từ … , cấm đảm nhiệm chức vụ
    …"), asked as a fine or as what comes besides prison: the clause of the offence's article that says them."""
    folded = fold(query.text)
    if not hits or not (_SUPPLEMENT_ASKED.search(folded) or any(p.search(folded) for p, _v, _e in _SANCTIONS)) \
            or ADMINISTRATIVE.search(folded):
        return None  # (an administrative fine is no criminal penalty: facts.py looks for one)
    topic = composer._topic_terms(query.text, query.language)
    found = _offence_article(composer, query, hits, topic)
    if found is None:
        return None
    doc, article, _clauses_with_prison = found
    # ("Can a company itself be fined under Art. 150?": the fine a person may get is no answer for a legal entity)
    outside = _asked_outside(query, doc.text, article)
    if outside or not (
            query.article or query.followup or _offence_asked(doc.text, article, _clauses_with_prison, topic, query.text)):
        return Answer(query.question, missing_part("penalty" if outside else "money", query.language), False, (), query.language,
                      query.legacy_intent, query.text, query.scope.as_dict(),
                      related=tuple(composer.citation(i, h) for i, h in enumerate(hits[:3], start=1)))
    clause = next((c for c in article.children if c.kind == "arabic" and _SUPPLEMENT.search(doc.text[c.start : c.end])), None)
    if clause is None:
        return None
    end = _trimmed_end(doc.text, clause.start, clause.end)
    section = _clause_section(article, clause)
    cite = composer.span_citation(1, doc.doc_id, clause.start, end, section, [(clause.start, end)])
    where = official_section(section, query.language)
    lead = according_to(document_label(doc, query.language), where, query.language)
    en = query.language == "en"
    said = fold(doc.text[clause.start : end])
    named = [(vi, english) for pattern, vi, english in _SANCTIONS if pattern.search(folded)]
    absent = [(vi, english) for vi, english in named if fold(vi) not in said]
    if named and len(absent) == len(named):
        # "Theo Điều 151, người phạm tội có thể bị cấm cư trú bao nhiêu năm?": the clause sets other penalties, not this one
        text = (f"{document_label(doc, query.language)}, {where} does not provide for {', '.join(e for _v, e in absent)}; "
                f"the penalties it adds to prison are listed below." if en else
                f"{document_label(doc, query.language)}, {where} không quy định {', '.join(v for v, _e in absent)}; "
                f"các hình phạt bổ sung của điều này ở đoạn dưới đây.")
        return Answer(query.question, text[:1].upper() + text[1:], False, (), query.language, query.legacy_intent,
                      query.text, query.scope.as_dict(), related=(cite,))
    body = f"{lead}: “{clean_quote(doc.text[clause.start : end])}” [1]"
    if absent:  # "… a fine and a residence ban?" where only the fine is provided: said of the other
        body += ("\nNot provided for there: " if en else "\nKhông quy định tại đó: ") + ", ".join(
            e if en else v for v, e in absent) + "."
    return Answer(query.question, body, True, (cite,), query.language, query.legacy_intent, query.text, query.scope.as_dict())


# What an article sets no penalty for unless it says so, as users name it, and the Code's words for it: the stages of an
# offence short of its commission, and an offender that is no person.
_OUTSIDE_THE_ARTICLE = (
    (re.compile(r"\b(chuan bi pham toi|chuan bi (mua ban|ban)|prepar\w* (to|for)|preparation|preparatory)\b"), "chuẩn bị phạm tội"),
    (re.compile(r"\b(pham toi chua dat|chua dat|attempt(ed|s)? (to )?(traffic|sell)\w*|attempted trafficking)\b"), "chưa đạt"),
    # an offender that is no person ("a company", "pháp nhân thương mại"): the Code punishes a legal entity only where
    # the article says so
    # (not a person who runs a business: "the owner of a karaoke bar sold two girls" is a person's offence)
    (re.compile(r"\b(phap nhan|legal (entit\w*|persons?)|corporate (liability|offenders?|criminal liability)|"
                r"penalt\w* (for|on) (a|the) (company|firm|business|enterprise)|"
                r"(company|firm|enterprise|business) (itself|as such|be (held|charged|prosecuted|punished|fined))|"
                r"(cong ty|doanh nghiep) (bi|phai chiu|co bi))\b"), "pháp nhân"),
)


def _asked_outside(query: Query, text: str, article) -> bool:
    """Whether the question asks of a stage of the offence or an offender the article sets no penalty for."""
    outside = next((vi for pattern, vi in _OUTSIDE_THE_ARTICLE if pattern.search(fold(query.text))), None)
    return bool(outside) and fold(outside) not in fold(text[article.start : article.end])


# The penalties the Criminal Code adds to prison, as users name them: (pattern on the folded question, the Code's words,
# English). A question naming one the clause does not set is told so, not answered with the others.
_SANCTIONS = (
    (re.compile(r"\b(cam cu tru|residence bans?|ban(ned)? (on|from) resid\w*|barred from living)\b"), "cấm cư trú",
     "a residence ban"),
    (re.compile(r"\b(quan che|probation|supervised residence|house arrest|put under supervision)\b"), "quản chế",
     "probation (quản chế)"),
    (re.compile(r"\b(tich thu|confiscat\w*|forfeit\w*|seiz\w* (of )?(his |their |the )?(assets|property))\b"), "tịch thu",
     "confiscation of property"),
    (re.compile(r"\b(truc xuat|deport\w*|expel\w*|expulsion)\b"), "trục xuất", "deportation"),
)


# A second point of the chosen clause is quoted when the case tells it at least this well (the first point needs 0.3).
ALSO_MET = 0.5


# The cases a penalty is set for are asked ("Những trường hợp nào … bị tù chung thân?", "what circumstances can lead to a
# life sentence", "khi nào thì bị phạt tù từ 12 đến 20 năm"), on the folded question; and the penalty it names.
_CASES_ASKED = re.compile(r"\b(truong hop nao|nhung truong hop|cac truong hop|tinh tiet nao|khi nao|liet ke|circumstances?|cases?|situations?|when|"
                          r"under what|in what|which (?:aggravating )?(?:factors|conditions))\b")
_LIFE_ASKED = re.compile(r"\b(chung than|life (?:imprisonment|sentence|term)|life in prison|imprisonment for life)\b")
# ("12-20 year band", "the 12-to-20-year bracket": the range said before a noun)
_RANGE_ASKED = re.compile(r"\b(\d{1,2})\s*(?:nam\s*)?(?:-\s*)?(?:den|toi|-|–|to)\s*(?:-\s*)?(\d{1,2})\s*(?:nam|-?\s*years?)\b")


def clause_of_penalty(composer: "Context", query: Query, hits: list["Hit"]) -> tuple | None:
    """(document, clause, its points) of the clause whose penalty the question names and whose cases it asks for
    ("Những trường hợp nào mua bán người dưới 16 tuổi có thể bị tù chung thân?" → khoản 3 Điều 151, whose lead line
    sets "từ 18 năm đến 20 năm hoặc tù chung thân"); None when it asks no such thing."""
    folded = fold(query.text)
    life, span = _LIFE_ASKED.search(folded), _RANGE_ASKED.search(folded)
    if not (life or span) or not _CASES_ASKED.search(folded) or not hits:
        return None
    _topic, best = _offence_asked_of(composer, query, hits)
    if best is None:
        return None
    doc, article, clauses = best

    def setting(clauses: list[Node]) -> list[Node]:
        out = []
        for clause in clauses:
            lead = fold(doc.text[clause.start : clause.body_end])
            if life and "chung than" not in lead:
                continue
            if span and not re.search(rf"\b0?{int(span.group(1))} nam den 0?{int(span.group(2))} nam\b", lead):
                continue
            if len([c for c in clause.children if c.kind == "letter"]) >= 2:
                out.append(clause)
        return out

    found = setting(clauses)
    if not found:
        # the penalty is set by one other offence of the text only ("life sentence": the offence against a child under
        # 16, though the question's words matched the offence against an adult best): that offence's clause
        others = [c for a in _articles(tree(doc.text)) if a is not article for c in setting(_clauses(doc.text, a))]
        found = others if len(others) == 1 else []
    if not found:
        return None
    return doc, found[0], [c for c in found[0].children if c.kind == "letter"]


def answer_penalty(composer: "Context", query: Query, hits: list["Hit"]) -> Answer | None:
    """The clause of the article that sets the penalty asked about, quoted with the circumstance it matches."""
    if query.slot != "penalty" or not hits or ADMINISTRATIVE.search(fold(query.text)):
        return None
    topic, best = _offence_asked_of(composer, query, hits)
    if best is None:
        return None
    doc, article, clauses = best
    text = doc.text
    if _asked_outside(query, text, article):
        # "someone caught preparing to traffic a child", "a company involved in trafficking": a stage of the offence,
        # or an offender, the article sets no penalty for (the penalties quoted would be a person's for the offence)
        return Answer(query.question, missing_part("penalty", query.language), False, (), query.language,
                      query.legacy_intent, query.text, query.scope.as_dict(),
                      related=tuple(composer.citation(i, h) for i, h in enumerate(hits[:3], start=1)))
    if _AMENDMENT_ASKED.search(fold(query.text)) and names_missing(composer, query, doc, text[article.start : article.end]):
        # "What did the 2025 amendment change in the Article 150 penalties?": a version of the code the index does not
        # hold (the penalties quoted would be the text's own, not the amendment's)
        return Answer(query.question, missing_part("number_named", query.language), False, (), query.language,
                      query.legacy_intent, query.text, query.scope.as_dict(),
                      related=tuple(composer.citation(i, h) for i, h in enumerate(hits[:3], start=1)))
    if not (query.article or query.followup or _offence_asked(text, article, clauses, topic, query.text)):
        # "the prison term for organising illegal emigration": another offence than this article's, whose penalty
        # the texts do not state ("có tổ chức" is a circumstance of this one, not what was asked)
        return Answer(query.question, missing_part("penalty", query.language), False, (), query.language,
                      query.legacy_intent, query.text, query.scope.as_dict(),
                      related=tuple(composer.citation(i, h) for i, h in enumerate(hits[:3], start=1)))
    own = set(keyword_terms(text[article.start : article.body_end]))
    # …and the syllables of those words ("cơ", "bản" of "khung cơ bản") are no circumstance either
    # (a term left unmarked — a word typed without marks the restorer could not place — is compared folded)
    syllables = _PENALTY_SYLLABLES | {fold(p) for p in _PENALTY_SYLLABLES}
    # (nor are the words every case has: "nạn nhân" does not tell "… lấy bộ phận cơ thể của nạn nhân" from the rest)
    conditions = _unpadded({t for t in topic if t not in own and fold(t) not in _PENALTY_WORDS and not t.isdigit()
                            and not all(fold(p) in _PENALTY_WORDS or p in syllables or p in _GENERIC
                                        for p in t.split("_"))})
    if _age_against(fold(text[article.start : article.body_end]), query.text)[0]:
        # "trẻ em", "a child": the age the title names ("dưới 16 tuổi"), not a circumstance of one of its points
        child = {w for m in _CHILD.finditer(fold(query.text)) for w in m.group(0).split()}
        conditions = {t for t in conditions if not all(fold(p) in child for p in t.split("_"))}
    if _taken_abroad(query.text):
        # "bán sang Trung Quốc", "taken abroad", "outside Vietnam": the point "Đưa nạn nhân ra khỏi biên giới …"
        conditions |= {"đưa", "ra", "khỏi", "biên", "giới"}
    for told, words in _TOLD_IN_OTHER_WORDS:
        # (not one the story denies: "One-off, no ring involved")
        if any(not _DENIED.search(fold(query.text)[: m.start()]) for m in told.finditer(fold(query.text))):
            conditions |= words
    chosen, point, also = clauses[0], None, []
    fits: list = []
    counted = _people_counted(query.text)
    shares = [float(x.replace(",", ".")) for x in re.findall(r"(\d+(?:[.,]\d+)?)\s*%", query.text)]
    for clause in clauses:
        for item in clause.children:
            if counted is not None and _counts(text[item.start : item.end], counted):
                fits.append((1.0, -clause.start, clause, item, "count", 1.0))  # "3 người" falls in "từ 02 đến 05 người"
                continue
            times = _times_fit(text[item.start : item.end], query.text)
            if times is False:
                continue  # "lần đầu phạm tội" is not "Phạm tội 02 lần trở lên", though both say "phạm tội … lần"
            if times:
                fits.append((1.0, -clause.start, clause, item, "times", 1.0))  # "sold her, then her sister": twice
                continue
            share = _share_fits(text[item.start : item.end], shares)
            if share is False:
                continue  # "rối loạn … 30%" is not in "46% trở lên" (the words of both points are the same)
            words = _unpadded(set(keyword_terms(text[item.start : item.end])))
            # how much of what is asked the point says, or how much of a short point is asked ("a) Có tổ chức;"
            # in "… dưới 16 tuổi có tổ chức …", beside words of the question the point need not carry)
            asked = composer._coverage(conditions, words) if conditions else 0.0
            # ("có" of "a) Có tổ chức;" is how the code words a state, not a part of it: "an organised ring" says it all)
            stated = {w for w in words if "có" not in w.split("_")}
            said = composer._coverage(stated, conditions) if conditions and len(words) <= 12 else 0.0
            # or how much of the point's circumstance a described situation tells ("sold across the border into
            # China" tells "Đưa nạn nhân ra khỏi biên giới …"; the situation says much the point does not)
            # (the share of its content words, not of its word pairs — "bị bán qua biên giới" tells "ra khỏi biên
            # giới" in other words — and not weighted by rarity, which a small collection of laws skews)
            # (a point of alternatives is told by one of them: "Làm nạn nhân chết hoặc tự sát" by "one of them died")
            circumstance = _circumstance(text[item.start : item.end])
            head = {t for t in _unpadded(set(keyword_terms(circumstance))) if "_" not in t and t not in _GENERIC}
            told = 0.0
            alternatives = re.split(r"\s+hoặc\s+|,\s*", circumstance)
            for alternative in alternatives:
                words = {t for t in _unpadded(set(keyword_terms(alternative))) if "_" not in t and t not in _GENERIC}
                if conditions and len(head) >= 2 and len(words) >= (1 if len(alternatives) > 1 else 2):
                    told = max(told, len(words & conditions) / len(words))
            kind = " ".join(sorted(t for t in head if not re.search(r"\d", t)))  # one circumstance at every degree
            # (a share the story gives that falls in the point's range tells it further: "35%" in "31% trở lên")
            fits.append((max(asked, said, told - 0.2) + (0.3 if share else 0.0), -clause.start, clause, item, kind, asked))
    # the best-fitting degree of each circumstance ("từ 11% đến 45%", not "46% trở lên", though both say the same words)
    best_of_kind: dict[str, tuple] = {}
    for fit in fits:
        if fit[0] >= 0.3 and (fit[4] not in best_of_kind or fit[0] > best_of_kind[fit[4]][0]):
            best_of_kind[fit[4]] = fit
    matched = list(best_of_kind.values())
    if _BASIC.search(fold(query.question)) and not (matched and _NO_OTHER.search(fold(query.question))):
        # (the user's words: a follow-up's "còn nếu …" changes the case)
        # "khung cơ bản", "no aggravating circumstances": the basic clause, whatever words of the case resemble a point
        # ("phạm tội lần đầu" is not "Phạm tội 02 lần trở lên")
        matched = []
        chosen = clauses[0]
    elif matched:
        # a situation with several circumstances falls in the heaviest clause any of them opens (the code's
        # clauses go from the lightest penalty to the heaviest)
        top = max(matched, key=lambda f: (-f[1], f[0], f[5]))  # (of one clause's points, the one saying most of the question)
        chosen, point = top[2], top[3]
        # every other point of that clause the case meets ("organised", "taken abroad" and "three victims" are three
        # points of khoản 2): the reader checks each against the story
        also = sorted((f[3] for f in matched if f[2] is chosen and f[3] is not point and f[0] >= ALSO_MET),
                      key=lambda item: item.start)
    elif _HEAVIEST.search(fold(query.text)):
        chosen = clauses[-1]
    elif any("_" not in t for t in conditions) and not query.article and not _TOLD_SOLD.search(fold(query.text)):
        # circumstances the article's points do not carry, of an offence its title does not name ("phạt hành chính
        # … kỳ thị nạn nhân"): another penalty than this article's, not its basic clause
        return None
    return _clause_quoted(composer, query, doc, article, chosen, point, also)


def _clause_quoted(composer: "Context", query: Query, doc, article: Node, chosen: Node, point: Node | None,
                   also: list[Node] | tuple = ()) -> Answer:
    """The answer that quotes a clause's lead line (its penalty) and the points of it the question meets, in the
    document's order; the citation names `point`, the one that fits best."""
    text = doc.text
    points = sorted([point, *also], key=lambda item: item.start) if point is not None else []
    lead_end = _trimmed_end(text, chosen.start, chosen.body_end)
    quote = f"“{clean_quote(text[chosen.start : lead_end])}”"
    highlights = [(chosen.start, lead_end)]
    for item in points:
        quote += f" … “{clean_quote(text[item.start : item.end])}”"
        highlights.append((item.start, item.end))
    section = _clause_section(article, chosen)
    if point is not None:
        section += f" › Điểm {point.label.replace('Điểm ', '')}"
    cite = composer.span_citation(1, doc.doc_id, chosen.start, chosen.end, section, highlights)
    lead = according_to(document_label(doc, query.language), official_section(section, query.language), query.language)
    # the offence the article sets ("Tội mua bán người dưới 16 tuổi"): which of two articles applies is half the answer
    offence = re.sub(r"^Điều\s+\w+\s*[.:]\s*", "", article.heading(text)).strip(" .")
    named = f" ({offence})" if offence and offence != article.heading(text).strip() else ""
    body = f"{lead}{named}: {quote} [1]"
    return Answer(query.question, body, True, (cite,), query.language, query.legacy_intent, query.text, query.scope.as_dict())


# "how many victims …", "bao nhiêu người", "mấy nạn nhân": the number of people a clause's point counts, asked
_VICTIMS_ASKED = re.compile(r"\bhow many (?:people|persons|victims|individuals|children|kids|minors|girls|boys|women)\b|"
                            r"\b(?:bao nhieu|may) (?:nguoi|nan nhan|tre em|chau|em)\b")
# A prison range the question names ("12-20 years", "từ 12 đến 20 năm"): the clause that sets it
_RANGE_NAMED = re.compile(r"\b(\d{1,2})\s*(?:-|–|den|to|toi)\s*(\d{1,2})\s*(?:nam|years?)?\b")
# "the top sentencing bracket", "the highest range": the heaviest clause, named by its place
_TOP_BRACKET = re.compile(r"\b(top|highest|harshest|most severe) (sentencing |penalty |prison )?(bracket|range|clause)\b")
# A point that counts the people it applies to ("đ) Đối với 06 người trở lên;", "Đối với từ 02 người đến 05 người")
_COUNTS_PEOPLE = re.compile(r"(?i)\bđối với\b[^;.]*\b\d+\s+người\b")


def answer_victims_counted(composer: "Context", query: Query, hits: list["Hit"]) -> Answer | None:
    """"Art 150: how many victims for 12-20 years?", "How many victims does it take to land in the top bracket?": the
    point of the clause named (by its number, its range or as the heaviest) that counts the people it applies to, with
    the clause's penalty; None when the question asks no such count or names no clause."""
    folded = fold(query.text)
    if not _VICTIMS_ASKED.search(folded) or not hits:
        return None
    _topic, best = _offence_asked_of(composer, query, hits)
    if best is None:
        return None
    doc, article, clauses = best
    ranged = _RANGE_NAMED.search(folded)
    if query.clause:
        chosen = next((c for c in clauses if c.label == query.clause), None)
    elif ranged:
        low, high = (int(n) for n in ranged.groups())
        chosen = next((c for c in clauses if re.search(rf"từ 0?{low} năm đến 0?{high} năm", doc.text[c.start : c.body_end])), None)
    elif _HEAVIEST.search(folded) or _TOP_BRACKET.search(folded):
        chosen = clauses[-1]
    else:
        chosen = None
    if chosen is None:
        return None
    counting = [item for item in chosen.children if _COUNTS_PEOPLE.search(doc.text[item.start : item.end])]
    return _clause_quoted(composer, query, doc, article, chosen, counting[0]) if counting else None


_DIFFER = re.compile(r"\b(khac nhau|khac gi|so sanh|differ\w*|compare\w*|comparison|versus|vs)\b")
_CHILD_ASKED = re.compile(r"\b(duoi|under|below|younger than) \d{1,2}\b|\b(child|children|minors?|tre em)\b")


def answer_penalties_apart(composer: "Context", query: Query, hits: list["Hit"]) -> Answer | None:
    """The penalty of each offence a question sets side by side: "Khung cơ bản của Điều 150 và Điều 151 khác nhau
    thế nào?", "how does the sentence differ if the victim is an adult or under 16?" — each article's clause, one
    after the other; None when the question names fewer than two."""
    supplement = bool(_SUPPLEMENT_ASKED.search(fold(query.text)))
    if not (query.slot == "penalty" or supplement) or not hits:
        return None
    named = articles_named(query.text)
    folded = fold(query.text)
    # "an adult or under 16", or the offence against children set beside another ("… và tội mua bán người dưới 16
    # tuổi khác nhau thế nào"): the offence and its form against children
    if len(named) < 2 and _CHILD_ASKED.search(folded) and (ADULT.search(folded) or query.intent == "compare"
                                                           or _DIFFER.search(folded)):
        named = _age_pair(composer, hits)
    if len(named) < 2:
        return None
    blocks = []
    for number in named:
        one = replace(query, article=number)
        answer = answer_supplement(composer, one, hits) if supplement else answer_penalty(composer, one, hits)
        if answer is None or not answer.found:
            return None
        blocks.append((f"{'Article' if query.language == 'en' else 'Điều'} {number}:", answer))
    text, cites = merge_answers(blocks, en=query.language == "en")
    return Answer(query.question, text, True, cites, query.language, query.legacy_intent, query.text, query.scope.as_dict())


def _age_pair(composer: "Context", hits: list["Hit"]) -> list[str]:
    """The numbers of an offence of anyone and of its form against a child, in the document of the first hit that
    holds both ("Điều 150" and "Điều 151"), else []."""
    for hit in hits[:5]:
        doc = composer.store.documents[hit.chunk.doc_id]
        articles = _articles(tree(doc.text))
        for article in articles:
            if re.search(r"\bduoi \d+ tuoi\b", _offence_of(doc.text, article)):
                general = _unqualified(doc.text, article, articles)
                if general is not None:
                    return [general.label.split()[-1], article.label.split()[-1]]
    return []
