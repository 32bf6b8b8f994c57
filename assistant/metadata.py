"""Questions about a document itself: its number, date of issue, signer, issuer, legal basis, proposer, author.

"Kế hoạch 22/KH-BCĐ ban hành ngày nào?", "who signed the 2024 Ninh Bình plan?": the answer
is in the document's header or signature block, which a passage search ranks poorly (short
lines, no topic words). The answer quotes that line verbatim with its span; a value the
document leaves blank ("Số: /KH-UBND") is reported as blank, and one it does not state at
all is refused.
"""
from __future__ import annotations

import re
from typing import Any, Sequence

from .chunk import parse_structure
from .document import BYLINE, Document, line_span
from .duties import name_numbers
from .glossary import expand_abbreviations
from .scope import NUMBERED_THINGS, without_provinces
from .text import fold

# What is asked, recognised on the folded question.
_KINDS = (
    # "Chánh Văn phòng …; Thủ trưởng các sở …; Chủ tịch UBND các huyện … chịu trách nhiệm thi hành Quyết định này": the
    # closing article of a decision, which names who must carry the decision itself out (not a task of its plan)
    ("executors", re.compile(r"\b(chiu trach nhiem thi hanh|(ai|nhung ai|co quan nao|nhung co quan nao|don vi nao) (phai )?"
                             r"thi hanh (quyet dinh|nghi dinh|van ban)|responsible for (executing|enforcing|the execution of) "
                             r"(this|the|that) (\w+ ){0,3}(decision|decree)|(execute|execution of) ((this|the|that) )?(\w+ ){0,3}(decision|decree))\b")),
    # "Luật này đã được Quốc hội … khóa XII, kỳ họp thứ 9 thông qua ngày 29 tháng 3 năm 2011": a law's adoption line
    ("adoption", re.compile(r"\b(khoa (may|nao|bao nhieu)|ky hop (thu )?(may|nao|bao nhieu)|quoc hoi (khoa nao|nao)|"
                            r"(quoc hoi )?thong qua (vao )?(ngay nao|khi nao|nam nao|bao gio|luc nao)|ngay (quoc hoi )?thong qua|"
                            r"which (session|legislature|national assembly)|(passed|adopted) by (the )?national assembly|"
                            r"national assembly (passed|adopted)|when (was|did) (the |this )?(\w+ )?(law|code)\b.{0,60}\b(passed|adopted|pass|adopt))\b")),
    # (not "… mua bán người ký ngày nào?": the signing's day, asked after a noun that ends in "người")
    ("signer", re.compile(r"\b(ai (da |la nguoi )?ky|nguoi ky|ky ban hanh|ky ke hoach|ky quyet dinh|do ai ky|"
                           r"who ((actually|exactly|really|in fact|finally) )?(signed|signs?)|signed by|signatory|"
                           # "signed off by the same provincial leader", "who put their name to it"
                           r"signed off|signs? off|ky duyet|nguoi ky ten)\b"
                           r"(?!.{0,20}\b(ngay nao|ngay may|khi nao|nam nao|thang nao|bao gio|luc nao|vao ngay)\b)")),
    # "Nơi nhận": the bodies a document is sent to, listed under its signature
    ("recipients", re.compile(r"\b(noi nhan|gui (den|toi|cho) nhung (ai|co quan nao|don vi nao)|distribution list|copied to|"
                              r"(who|which bodies|which agencies) (receives?|gets?|got) (a copy|copies)|recipients? of (the|this) "
                              r"(plan|decision|document)|(plan|decision|document) (is|was) (sent|addressed|distributed) to)\b")),
    ("date", re.compile(r"\b(ban hanh (vao )?nam (nao|bao nhieu|may)|(in )?(what|which) year (was|were|did)\b.{0,80}\b(issu\w*|sign\w*|publish\w*|approv\w*|adopt\w*)|"
                        r"ban hanh (vao )?ngay nao|ky vao ngay (nao|may)|dang ngay nao|ngay ban hanh|ban hanh ngay|ban hanh khi nao|ky ngay|dang ngay|ngay dang|thoi diem ban hanh|"
                        r"when was (it|the \w+|this) (issued|signed|published|approved|adopted)|issue date|date of issue|"
                        r"what date was|when .* (issued|published|dated)|(on )?(which|what) (\w+ ){0,2}(day|date)\b.{0,30}\b(was|were|did)\b.{0,80}\b(issu\w*|sign\w*|publish\w*|approv\w*|adopt\w*)|(plan|decision|document)\b.{0,60}\bdated\b|when (was|were|did|is)\b.{0,80}\b(issu\w*|sign\w*|publish\w*|"
                        r"approv\w*|adopt\w*|promulgat\w*)|phe duyet (ngay nao|khi nao)|ngay phe duyet|"
                        # "What's the date on Quang Ninh's Decision 3087?", "the date of the 2024 plan", "quyết định 3087 đề
                        # ngày nào": the date the document itself carries
                        r"(?<!due )(?<!target )(?<!deadline )(?<!reporting )(?<!and )(?<!and the )\bdate (on|of) (the )?([\w'-]+ ){0,3}(decision|plan|document)\b|"
                        r"(quyet dinh|ke hoach|van ban)\b.{0,40}\b(de|ghi|mang) ngay (nao|may|bao nhieu))\b")),
    ("number", re.compile(r"\b(so hieu|so van ban|so may|so bao nhieu|co so la|document number|number of (the )?\w+ (plan|decision)|"
                          r"what is the number|plan number|decision number|co so hieu|does .* have a (document )?number|"
                          r"reference (number|no)|official (document )?number|so ky hieu|ky hieu van ban|"
                          # "the number and date of the decision": its "số … ngày …" line gives both
                          r"number and (the )?date of\b|(what|which)( is| are| was|['’]s)?( the)? (number and (the )?date|date and (the )?number)\b|"
                          r"(number|so hieu|so) (and|va) (date|ngay)( \w+){0,8} (carry|carries|have|has|bear|bears|mang)\b|(so|so hieu) va ngay (ban hanh )?cua (ke hoach|quyet dinh|van ban))\b")),
    ("basis", re.compile(r"\b(can cu (vao )?(nhung |cac )?(van ban|luat|quyet dinh|nghi dinh|chi thi|ke hoach)? ?(nao|gi)|"
                         r"(thuc hien|trien khai|cu the hoa) (quyet dinh|ke hoach|chi thi|nghi quyet|chuong trinh|van ban) (nao|so may|so bao nhieu)|"
                         r"implement\w* which (decision|plan|directive|resolution|programme|program)|"
                         r"(which|what) (?!(?:\w+ )?(?:earlier|previous|other|older)\b)([\w'-]+ ){0,4}(decision|directive|resolution|programme|program|plan|document|instrument)s?\b"
                         r"(?!.*\b(keep\w*|continu\w*|still|also)\b).{0,60}\b(implement\w*|carr\w* out)\b|"
                         r"can cu phap ly|co so phap ly|legal (basis|bases|grounds?)|based on (which|what)|"
                         # "What law is the Ninh Binh plan based on?", "Which law does each rest on?", "dựa trên luật nào"
                         r"(what|which) ([\w-]+ ){0,2}(laws?|decisions?|decrees?|documents?|instruments?|acts?)\b.{0,60}"
                         r"\b(based on|rests?( \w+)? on|grounded in)|dua (tren|vao) (nhung |cac )?(luat|van ban|quyet dinh|nghi dinh) nao)\b")),
    ("proposer", re.compile(r"\b((theo|xet) de nghi cua (ai|co quan nao|don vi nao)|do (ai|co quan nao|don vi nao) de nghi|"
                            r"(ai|co quan nao|don vi nao) de nghi ban hanh|"
                            r"(on )?whose (proposal|request|recommendation|submission)|on the (proposal|request|recommendation)|proposed by|at whose request|who proposed|"
                            r"to trinh\b.{0,100}\b(so may|so nao|so bao nhieu|ngay nao|cua ai)|submission)\b")),
    # ("người viết bài", not "như người Việt")
    ("author", re.compile(r"\b(ai viet|do ai viet|tac gia|phong vien nao|nguoi viet (bai|tin)|who wrote|author|written by|byline)\b")),
    # "thời gian thực hiện", "what period does it cover": the period its title names ("giai đoạn 2026 – 2030 và định
    # hướng đến năm 2035"), not a date in its text
    ("period", re.compile(r"\b(thoi gian thuc hien|giai doan nao|thoi ky nao|time ?frames?|time horizons?|what period|which period|"
                          r"which years|how long does (the|this|it|each) (\w+ )?(plan|programme|program|decision) (run|last|cover))\b")),
    ("chapters", re.compile(r"\b((co )?(bao nhieu|may) chuong|how many chapters|number of chapters)\b")),
    ("articles", re.compile(r"\b((co )?(bao nhieu|may) dieu|how many articles|number of articles)\b")),
    ("issuer", re.compile(r"\b(co quan nao ban hanh|ai ban hanh|do co quan nao (ban hanh|phat hanh|ky)|cua tinh nao|thuoc tinh nao|which province|who issued|issued by|issuing)\b")),
)
def _without_places_and_years(folded: str) -> str:
    """A folded question without the provinces and years it names ("for the ninh binh 2026-2030 plan" → "for the
    plan"): what is left says what the question is about."""
    text = re.sub(r"\b(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\b", " ", without_provinces(folded))
    return re.sub(r"\s+", " ", text)


# A basis asked for an act the text regulates ("legal bases for identifying a victim", "căn cứ để xác định nạn nhân"),
# not for the document itself ("the legal basis for this plan", "căn cứ để ban hành kế hoạch").
# ("Căn cứ nào để xác định một người là nạn nhân?": the grounds for an act, which an article sets, not a document's basis)
_BASIS_OF_AN_ACT = re.compile(r"\b(?:legal (?:basis|bases|grounds?)|can cu(?: phap ly)?(?: nao| gi)?|co so phap ly(?: nao| gi)?)\s+"
                              r"(?:for|to|de|cho viec)\s+"
                              # (the words a document is named by before its kind: "the anti-trafficking programme plan")
                              r"(?!(?:(?:the|this|its|a|an|viec|\d+|anti-trafficking|anti trafficking|action|provincial|"
                              r"province's|new|current)\s+){0,4}(?:plan|plans|decision|law|document|programme|"
                              r"program|it|issu\w*|adopt\w*|promulgat\w*|ke hoach|quyet dinh|luat|van ban|chuong trinh|"
                              r"ban hanh|xay dung|trien khai)\b)\w+")
# ("a central plan", "the central government": the national level, not what is central to the plan)
# "what's its number": the document's, unless the question speaks of another text it cites or names
_ITS_NUMBER = re.compile(r"\b(what|which)('s| is| was) its (document )?number(?! of)\b")
_CITED = re.compile(r"\b(cit\w*|refer\w*|mention\w*|implement\w*|quot\w*|recommendation|decision|decree|resolution|directive|"
                    r"programme|program|law|convention|circular|dan chieu|vien dan|nhac (den|toi))\b")
_CORE = re.compile(r"\b(core|main|key|central(?![ -](?:plans?|government|steering|committee|authorit\w*|level|ministr\w*|agenc\w*))|"
                   r"principal|trong tam|chu yeu|chinh)\b")
_OTHER_NUMBER = re.compile(rf"\b({NUMBERED_THINGS}|phone|fax|to trinh|cong van|nghi dinh|decree)\b")
_EFFECT = re.compile(r"\b(hieu luc|in effect|take effect|takes effect|took effect|effective|into force|in force|"
                     # "from when did it apply", "since when has the decision applied": its effect clause
                     r"into effect|(from|since) when (did|does|do|has|have|is|was) ([\w']+ ){1,5}(apply|applied|applicable)|"
                     # "bắt đầu áp dụng từ lúc nào", "được thi hành từ ngày nào": the same clause asked in Vietnamese
                     r"(bat dau|duoc) (ap dung|thi hanh)( \w+){0,2} (tu |ke tu )?(khi nao|luc nao|bao gio|ngay nao)|"
                     r"(ap dung|thi hanh) (tu|ke tu) (khi|luc|ngay) nao)\b")


# "tiếp tục thực hiện", "continuing to implement", "keeps carrying out" (folded): a document the texts cite, which the one
# asked about carries on
CARRIED_ON = re.compile(r"\b(tiep tuc|continu\w*|carr(?:y|ies|ying) on|keeps? (?:on )?(?:implementing|carrying))\b")


def meta_kind(question: str) -> str | None:
    """The particular a question asks about, or None for ordinary questions."""
    # a part of a compound question carries what it is about in parentheses ("on what date was it issued (signed off
    # on Ninh Binh's 2024 plan)?"): its own words say what it asks
    own_words = re.sub(r"\s*\([^()]*\)\s*(?=[?.!]*\s*$)", "", question)
    if own_words != question:
        return _meta_kind(own_words) or _meta_kind(question)
    return _meta_kind(question)


def _meta_kind(question: str) -> str | None:
    # (read as spelled out: "thuc hien QD so may cua TTg" cites a decision's number, as "thực hiện quyết định số mấy")
    folded = fold(expand_abbreviations(question))
    if re.search(r"\b(theo|thuc hien|implement\w*|continu\w*)\b.*\b(ke hoach|quyet dinh|plan|decision)\s+(so|number)\b", folded):
        return None  # "thực hiện … theo kế hoạch số mấy": the number of a document it cites, found in the text
    if CARRIED_ON.search(folded) and \
            re.search(r"\b(ke hoach|quyet dinh|chuong trinh|plan|decision|program|programme)\b", folded):
        return None  # "phải tiếp tục thực hiện KH nào của UBND tỉnh": a document its tasks carry on, not its basis
    if _EFFECT.search(folded):
        # "có hiệu lực từ khi nào": the document's own effect clause ("Luật này có hiệu lực thi hành từ ngày …")
        return "effect" if re.search(r"\b(khi nao|ngay nao|tu bao gio|bao gio|(?<!bat cu )(?<!bat ky )luc nao|when|what date|from when|since when|"
                                     r"which date|what day)\b", folded) else None
    for kind, pattern in _KINDS:
        if pattern.search(folded):
            if kind == "basis" and _CORE.search(folded):
                continue  # "the core law of the plan" is what its text puts at the centre, not its preamble
            if kind == "basis" and _BASIS_OF_AN_ACT.search(_without_places_and_years(folded)):
                continue  # "the legal bases for identifying a victim": grounds a provision sets, not the preamble
            if kind == "number" and _OTHER_NUMBER.search(folded):
                continue  # "đường dây nóng … số mấy": the number of a hotline, not of the document
            return kind
    if _ITS_NUMBER.search(folded) and not _CITED.search(folded):
        return "number"  # "Ninh Binh's 2024 plan: what's its number?" (not "… cites a recommendation — what is its number")
    return None


# Where a question asking two particulars goes on to the second ("When did it take effect — was it the same day the
# National Assembly passed it?", "issued by the same body and signed by the same person?", "ai ký và ký ngày nào?")
_NEXT_ASKED = re.compile(r"\s+(?:—|–|-)\s+|[;?]\s*|,\s+(?:and|và|va|còn|con)\b|\s+(?:and|và|va)\s+(?=\w+\s+\w+)")


_NUMBER_AND_DATE = re.compile(r"\b(so va ngay|so hieu va ngay|ngay va so|(its |the )?number and (the )?date|date and (the )?number)\b")


def meta_kinds(question: str) -> list[str]:
    """The particulars a question asks about, one per clause, in its order: two or more when it asks several
    ("was it in effect the day it was passed?"); else what meta_kind finds, alone."""
    kinds = [kind for kind in (meta_kind(piece) for piece in _NEXT_ASKED.split(question) if piece.strip()) if kind]
    if _NUMBER_AND_DATE.search(fold(question)):  # "Cho tôi xin số và ngày của quyết định …", "its number and date"
        kinds = ["number", "date", *kinds]
    kinds = list(dict.fromkeys(kinds))
    if len(kinds) >= 2:
        return kinds
    whole = meta_kind(question)
    return [whole] if whole else []


# "Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2012.", "Quyết định này có hiệu lực kể từ ngày ký."
_EFFECT_LINE = re.compile(r"(?i)(?:Luật|Bộ luật|Nghị định|Nghị quyết|Quyết định|Kế hoạch|Thông tư|Chỉ thị) này có hiệu lực[^.\n]*\.?")
# (the document's own: "Căn cứ Luật … được Quốc hội thông qua …" in a plan cites another act's)
_ADOPTION_LINE = re.compile(r"(?i)\b(?:Luật|Bộ luật|Nghị quyết|Pháp lệnh) này\b[^\n]*?\bđược Quốc hội\b[^\n]*?\bthông qua\b[^\n.]*\.?")
_BASIS_LINE = re.compile(r"(?m)^[ \t*]*(?:Căn cứ\b[^\n]+|Thực hiện (?:Quyết định|Kế hoạch|Chỉ thị|Nghị quyết|Luật|Công văn|Thông tư)"
                         r"(?: số)?\s*\d+\s*/[^\n]+)")
_PERIOD_LINE = re.compile(r"(?i)[^\n]*giai đoạn\s*(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d[^\n]*")
# "thời gian thực hiện", "what timeframe": the whole period a document covers (not "giai đoạn nào", which may ask
# in which of its phases something falls)
WHOLE_PERIOD = re.compile(r"\b(thoi gian thuc hien|time ?frames?|time horizons?|how long does|"
                          r"(what|which) (period|years) (does|do|will) (the|this|it|its|each)\b.{0,60}\b(cover|run|span)\w*)\b")
_ROADMAP = re.compile(r"(?im)^[ \t*]*(?:[IVX]+\.\s*)?(?:lộ trình|thời gian|tiến độ) thực hiện\b[^\n]*$")
_ROMAN_HEADING = re.compile(r"(?m)^[ \t*]*[IVX]+\.\s")
_PHASE_LINE = re.compile(r"(?im)^[ \t*]*(?:\d+\.|[a-z]\))?\s*giai đoạn\s*(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\b[^\n]{0,40}$")
_RECIPIENTS_BLOCK = re.compile(r"(?m)^[ \t*]*Nơi nhận\s*:[^\n]*(?:\n[ \t*]*(?:[-–+•][^\n]*)?)+")
_EXECUTORS_LINE = re.compile(r"(?m)^[^\n]*chịu trách nhiệm thi hành (?:Quyết định|Nghị định|Thông tư|Chỉ thị|Nghị quyết) này[^\n]*")
# Lines a document closes with, the last of each kind being its own: adopted, in effect, who carries it out.
_CLOSING_LINES = {"adoption": _ADOPTION_LINE, "effect": _EFFECT_LINE, "executors": _EXECUTORS_LINE}
_PROPOSER_LINE = re.compile(r"(?im)^[ \t*]*(?:Xét|Theo) đề nghị[^\n]+")


# A document cited with its date ("Quyết định số 1957/QĐ-TTg ngày 30/11/2020", "Kế hoạch số 19/KH-BCĐ138/CP ngày 15/01/2024"):
# the date a question about that document asks.
DATED_REFERENCE = re.compile(r"(?:Quyết định|Kế hoạch|Chỉ thị|Nghị quyết|Nghị định|Thông tư|Công văn|Chương trình|Kiến nghị)\s+"
                             r"(?:số\s+)?(\d+)\s*/\s*([^\s,;]+)\s+ngày\s+(?:\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})")


def cited_reference_end(text: str, match: re.Match) -> int:
    """Where a dated reference's own words end: what it is ("… của Ủy ban nhân dân tỉnh về thực hiện Chương trình …")
    up to the clause's end, at most 200 characters on (cut at a comma or a word)."""
    end = re.compile(r"[;.\n]").search(text, match.end())
    limit = match.end() + 200
    if end is not None and end.start() <= limit:
        return end.start()
    cut = text.rfind(",", match.end(), limit)
    return cut if cut > match.end() else max(text.rfind(" ", match.end(), limit), match.end())


def find_reference_docs(question: str, documents: dict[str, Any], allowed: set[str] | None) -> list[str]:
    """Documents a meta question points at: by a number it cites ("3087", "22/KH-BCĐ"), else by scope."""
    folded = fold(question)

    cited = [c for c in re.findall(r"\b(\d{2,5})(?:\s*/\s*[a-z]|\b)", folded)
             if not re.fullmatch(r"(19|20)\d\d", c) and c not in name_numbers()]  # "kế hoạch 138": BCĐ 138's plan
    hits = []
    for doc_id, doc in documents.items():
        if allowed is not None and doc_id not in allowed:
            continue
        number = fold(doc.number or "").replace(" ", "")
        own = re.search(r"(?m)^\W*(so|so hieu)\s*:?\s*(\d+)", fold(doc.text[:1500]))
        attached = re.search(r"ban hanh kem theo quyet dinh so (\d+)", fold(doc.text[:3000]))
        own_numbers = {n for n in (own.group(2) if own else None, attached.group(1) if attached else None) if n}
        if any(number.startswith(c + "/") or c in own_numbers for c in cited):
            hits.append(doc_id)
    if hits:
        return hits
    if cited:
        return []  # a number no document carries as its own: a document the texts only mention
    candidates = [d for d in documents if allowed is None or d in allowed]
    return candidates if len(candidates) <= 2 else []


def answer_meta(kind: str, doc: Document) -> tuple[str, int, int] | None:
    """(quoted line, start, end) in the document that states the particular, or None if absent."""
    if kind in ("number", "date", "signer"):
        return doc.particular(kind)  # found when the document was loaded
    text = doc.text
    head = text[:3000]
    if kind in _CLOSING_LINES:
        # the last one: the closing article or line, not a clause that quotes another act's
        m = None
        for m in _CLOSING_LINES[kind].finditer(text):
            pass
        return (m.group(0).strip(), *line_span(text, m)) if m else None
    if kind in ("chapters", "articles"):
        # Counted from the document's own structure; the last one is quoted so the count can be checked.

        wanted = "chuong" if kind == "chapters" else "dieu"
        found = []

        def walk(node) -> None:
            for child in node.children:
                if child.kind == wanted:
                    found.append(child)
                walk(child)

        walk(parse_structure(text))
        if len(found) < 2:
            return None
        last = found[-1]
        end = text.find("\n", last.start)
        end = last.end if end < 0 else min(end, last.end)
        title = text[last.start : end].strip()
        if len(title) < 12:  # "Chương 8" alone on its line: its name is on the next one
            nxt = text.find("\n", end + 1)
            end = last.end if nxt < 0 else min(nxt, last.end)
        start, end = line_span(text, re.compile(".+", re.S).match(text, last.start, end))
        return f"{len(found)}\n{text[start:end]}", start, end
    if kind == "basis":
        # The preamble's "Căn cứ …" lines, or the "Thực hiện Quyết định số …" a plan opens with.
        lines = [m for m in _BASIS_LINE.finditer(head)]
        if not lines:
            return None
        start, end = line_span(text, lines[0])[0], line_span(text, lines[-1])[1]
        return text[start:end], start, end
    if kind == "period":  # a line of the title, not a paragraph that cites a programme's period
        m = next((m for m in _PERIOD_LINE.finditer(head[:1500]) if len(m.group(0).strip()) <= 250), None)
        return (m.group(0).strip(), *line_span(text, m)) if m else None
    if kind == "roadmap":
        # the phases of a plan's roadmap ("III. LỘ TRÌNH THỰC HIỆN / 1. Giai đoạn 2021 -2022 / … / 2. Giai đoạn 2022 -
        # 2025"), one per line of the value: the period of a plan whose title gives none
        roadmap = _ROADMAP.search(text)
        if not roadmap:
            return None
        next_part = _ROMAN_HEADING.search(text, roadmap.end())
        phases = list(_PHASE_LINE.finditer(text, roadmap.end(), next_part.start() if next_part else len(text)))
        if not phases:
            return None
        return "\n".join(p.group(0).strip() for p in phases), line_span(text, phases[0])[0], line_span(text, phases[-1])[1]
    if kind == "recipients":
        # "Nơi nhận:" and the dashed lines under it
        m = _RECIPIENTS_BLOCK.search(text)
        if not m:
            return None
        start = line_span(text, m)[0]
        end = m.start() + len(m.group(0).rstrip(" \t\n*"))
        return text[start:end].strip(), start, end
    if kind == "proposer":
        m = _PROPOSER_LINE.search(head)
        return (m.group(0).strip(), *line_span(text, m)) if m else None
    if kind == "author":
        m = BYLINE.search(head)
        if not m:
            return None
        name = re.match(r"\s*([^\d\n]{2,60}?)\s+\d{1,2}:\d{2}", m.group(0))
        if not name:
            return None
        start = m.start() + name.start(1)
        return name.group(1).strip(), start, start + len(name.group(1).strip())
    if kind == "issuer":
        if doc.issuer or doc.province:
            # The header line ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"), not a number that ends in "-UBND"; else the
            # opening sentence that says who issues it ("…, Ủy ban nhân dân tỉnh ban hành kế hoạch …").
            m = (re.search(r"(?m)^[ \t*]*(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|BAN CHỈ ĐẠO|Ủy ban nhân dân)[^\n]{0,80}", head)
                 or re.search(r"(?:Ủy ban nhân dân tỉnh|Uỷ ban nhân dân tỉnh|UBND tỉnh|Ban Chỉ đạo)"
                              r"(?:(?!Ban Chỉ đạo|Ủy ban|Uỷ ban|UBND)[^.\n(]|\([^)\n]*\)){0,200}?"
                              r"(?:ban hành|xây dựng) [Kk]ế hoạch", head))
            if m:
                return m.group(0).strip(), *line_span(text, m)
        return None
    return None


def is_blank_number(line: str) -> bool:
    """"Số: /KH-UBND": the number itself was left blank (a draft)."""
    return bool(re.match(r"(?i)^[ *]*số\s*:?\s*/", line))


def is_blank_date(line: str) -> bool:
    """"ngày    tháng 3 năm 2026": the day was left blank."""
    return bool(re.search(r"(?i)ngày\s+(tháng|\.{2,}|…)", line))


def is_news(doc: Document) -> bool:
    """A news report about a plan (its date is when it was published; it has no number or signer of its own)."""
    return (getattr(doc, "kind", "") or "").lower() == "bài báo"


def describe(kind: str, doc: Document, line: str, language: str) -> str:
    """A one-line answer around the quoted line."""
    label = doc.label
    if kind == "number" and is_blank_number(line):
        return (f"{label}: the document number is left blank (draft): “{line}”" if language == "en"
                else f"{label}: số hiệu văn bản để trống, chưa ghi số (bản dự thảo): “{line}”")
    if kind == "date" and is_blank_date(line):
        return (f"{label}: the day of issue is left blank; only the month and year are written: “{line}”" if language == "en"
                else f"{label}: ngày ban hành để trống, chỉ ghi tháng và năm: “{line}”")
    if kind in ("chapters", "articles"):
        count, _, last = line.partition("\n")
        unit = {"chapters": ("chapters", "chương"), "articles": ("articles", "điều")}[kind]
        return (f"{label} has {count} {unit[0]}; the last is “{last}”" if language == "en"
                else f"{label} có {count} {unit[1]}; cuối cùng là “{last}”")
    what = {"number": ("Document number", "Số hiệu"), "date": ("Date", "Ngày ban hành"),
            "signer": ("Signed by", "Người ký"), "issuer": ("Issued by", "Cơ quan ban hành"),
            "basis": ("Legal basis", "Căn cứ"), "proposer": ("Issued on the proposal of", "Ban hành theo đề nghị của"),
            "author": ("Written by", "Người viết"), "effect": ("In effect", "Hiệu lực"),
            "recipients": ("Sent to", "Nơi nhận"), "period": ("Period", "Giai đoạn"),
            "adoption": ("Adopted", "Thông qua"),
            "executors": ("Responsible for carrying the decision out", "Chịu trách nhiệm thi hành")}[kind]
    if kind in ("period", "roadmap") and "\n" in line:  # the phases of a roadmap, each quoted as written
        kind, line = "period", "” … “".join(line.split("\n"))
    if kind == "date" and is_news(doc):
        what = ("Published", "Ngày đăng")  # a news report's date is when it was published, not issued
    return f"{label} — {what[0] if language == 'en' else what[1]}: “{line}”"


def all_meta(kind: str, doc_ids: Sequence[str], documents: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    """(doc_id, line, start, end) for each document that states the particular."""
    out = []
    for doc_id in doc_ids:
        found = answer_meta(kind, documents[doc_id])
        if found:
            out.append((doc_id, *found))
    return out
