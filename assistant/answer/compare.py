"""What changed between plans on a topic or for an agency: the comparison the trainer tab computes
(trainer.compare), told as an answer with one citation per plan."""
from __future__ import annotations

import functools
import re
from collections import Counter
from typing import TYPE_CHECKING

from dataclasses import replace
from typing import Callable

from ..comparison import MatchedDuty, compare, reorganisations
from ..duties import find_agencies
from ..plans import english, first_year
from ..query import (ASKS_IF_SAME, DOCUMENT_REFERENCE, KIND_AND_NUMBER, Query, find_provinces, plan_years, understand,
                     without_agency_names)
from ..retrieve import NEWEST_PLAN, Filters
from ..scope import strip_scope
from ..text import fold
from .compound import merge_answers
from .structure import section_at
from .types import Answer, Citation, clean_quote, document_label, issued, official_section
from .who import as_written, quoted_task

if TYPE_CHECKING:
    from .context import Context

# "The role / tasks of X": what an agency does, when the comparison names one.
_ROLE_OF = re.compile(r"(?i)\b(vai trò|vai tro|nhiệm vụ|nhiem vu|trách nhiệm|trach nhiem|công việc|cong viec|role|roles|tasks?|"
                      r"duties|responsibilit\w*|work)\b")
# Words that ask for the comparison, not what it is about.
_NOT_TOPIC = re.compile(
    r"(?i)\b(đã |da )?(thay đổi|thay doi|khác nhau|khac nhau|khác gì|khac gi|khác biệt|khac biet|so sánh|so sanh|so với|so voi|"
    r"như thế nào|nhu the nao|thế nào|the nao|ra sao|giữa|giua|các|cac|những|nhung|kế hoạch|ke hoach|văn bản|van ban|"
    r"cơ quan|co quan|đơn vị|don vi|chủ trì|chu tri|phối hợp|phoi hop|trước đây|truoc day|hiện nay|hien nay|về|ve|"
    r"what|how|has|have|did|does|the|changed?|changes|differ\w*|compar\w*|between|across|plans?|over time|from|to|and|"
    r"lead agency|lead|agenc\w+|who|which|on|in|for|of|và|va|với|voi|là gì|la gi|gì|gi|nào|nao|từ|tu|sang|đến|den|"
    r"qua|năm|nam|giai đoạn|giai doan|trước đây|truoc day|trước kia|truoc kia|bây giờ|bay gio|hiện nay|hien nay|"
    r"phụ trách|phu trach|ai|lo|did|of|the|before|now|used|to|của|cua|là|la|decisions?|quyết định|quyet dinh|documents?|"
    r"each|versus|vs|respective\w*|both|do|are|is|were|was|they|their|its|giống nhau|giong nhau|có|co|không|khong|"
    r"ra sao|khác|khac|QĐ|QD|KH|trong|công tác|cong tac|leads|led|leading|ở|tại|tai|"
    # the words around a comparison's topic ("does it still give … to the labour department, or to someone else",
    # "lần lượt thực hiện văn bản nào")
    r"still|give|gives|given|someone|somebody|anyone|else|or|with|instead|another|other|same|identical|alike|than|compared|"
    r"it|that|department|departments|sở nào|so nao|mới nhất|moi nhat|newest|latest|most recent|chịu trách nhiệm|chiu trach nhiem|"
    r"cao hơn|cao hon|thấp hơn|thap hon|nhiều hơn|nhieu hon|higher|lower|thì|thi|"
    r"vẫn|van|hay|hoặc|hoac|lần lượt|lan luot|còn|con|giao cho|giao|assign\w*|đứng cùng|dung cung|cùng|tương tự|tuong tu|"
    # "giao cho những lực lượng nào": which forces, asked (the forces a plan names are its agencies)
    r"(?:lực lượng|luc luong)(?= (?:nào|nao)\b)|"
    # the asker's courtesies ("so sánh giúp mình …", "please compare for me")
    # (not "minh", "toi", "ho" alone: "xác minh", "tội phạm", "hỗ trợ" typed without marks)
    r"(?:giúp|giùm|hộ) (?:mình|tôi|em)|giúp|giùm|giup (?:minh|toi|em)|giup|please|help me|for me)\b|['’]s\b")


# "Quick check before I cite them in our donor report: were …?": what the asker says before the question it asks
_ASKING = re.compile(r"(?i)^\s*(is|are|was|were|do|does|did|has|have|what|which|who|how|where|when|why|can|could|should)\b")


# (a preface about the asker — "before I cite them in our report" — not one that names the topic: "On forced labour at
# sea: who was in charge …")
_ABOUT_THE_ASKER = re.compile(r"(?i)\b(I|I'm|we|we're|our|my|me|us|tôi|toi|mình|minh|chúng tôi|chung toi|em)\b")


def _after_preface(text: str) -> str:
    head, colon, asked = text.rpartition(":")
    if colon and _ASKING.match(asked) and len(asked.split()) >= 4 and _ABOUT_THE_ASKER.search(head):
        return asked
    return text


# "lực lượng quân đội nào cùng công an …", "which military body sits next to the police": the kind of body asked for,
# which the answer names, not what the plans are compared on
_KIND_OF_BODY_ASKED = re.compile(
    r"(?i)\b(?:lực lượng|luc luong|cơ quan|co quan|đơn vị|don vi|ngành|nganh|sở|bên|ben)(?:\s+\w+){0,2}?\s+(?:nào|nao)\b"
    r"(?:\s+(?:cùng|cung(?! cấp| cap| ứng| ung)|với|voi)\b)?|"
    r"\b(?:which|what)\s+(?:\w+\s+){0,2}?(?:body|bodies|forces?|agency|agencies|departments?|units?|services?)\b"
    r"(?:\s+(?:sits?|stands?|works?|is|are|was|were)?\s*(?:next to|alongside|beside|with|together with))?")


def comparison_topic(query: Query, without_agencies: bool = False) -> str:
    """The topic of a comparison question: its words without the scope and the words that ask to compare
    (and without the agencies it names, when the comparison is of what an agency does)."""
    text = _after_preface(query.text)
    if without_agencies:
        text = _ROLE_OF.sub(" ", without_agency_names(_KIND_OF_BODY_ASKED.sub(" ", text)))
    text = strip_scope(DOCUMENT_REFERENCE.sub(" ", text))
    # "KH thực hiện Công ước ACTIP": a document named by what it implements, not the topic
    text = re.sub(r"(?i)\b(?:(?:kế hoạch|ke hoach|KH|plan)\s+)?(?:(?:thực hiện|thuc hien|triển khai|trien khai|implementing)\s+)?"
                  r"(?:(?:công ước|cong uoc|the)\s+)?(?:ACTIP|ASEAN Convention)(?:\s+(?:plan|convention))?\b", " ", text)
    # "KH thực hiện chương trình 2026–2030": a plan named by the programme it carries out, not the topic
    text = re.sub(r"(?i)\b(?:kế hoạch|ke hoach|KH|plan)\s+(?:thực hiện|thuc hien|triển khai|trien khai|implementing)\s+"
                  r"(?:(?:the\s+)?(?:chương trình|chuong trinh|programme|program))\b", " ", text)
    # years, document numbers ("QĐ 3087", "22/KH-BCĐ")
    text = re.sub(r"(?:19|20)\d\d|\b\d{3,5}(?:/[\w/-]+)?\b|\b\d{1,5}\s*/\s*[\w/-]+", " ", text)
    # a plan by its short number, an article by its kind ("KH 22 của Ninh Bình", "trong bài về Lâm Đồng")
    text = KIND_AND_NUMBER.sub(" ", text)
    text = re.sub(r"(?i)\b(?:bài báo|bai bao|bài viết|bai viet|bài|bai|article)(?:\s+(?:về|ve|on|about))?\b", " ", text)
    # a numbered part of one plan ("Đề án 1 của Quảng Ninh", "section 4 of …") says where, not what
    text = re.sub(r"(?i)\b(?:đề án|de an|project|mục|muc|section|phần|phan)\s+(?:\d+|[ivxlc]+)\b", " ", text)
    text = _NOT_TOPIC.sub(" ", text)
    return re.sub(r"[\s,.;:?—–-]+", " ", text).strip()


# A comparison of who leads / what an agency does, rather than of what the plans say on a topic.
_ASKS_AGENCY = re.compile(r"\b(ai|co quan|don vi|so nao|nganh nao|luc luong|chu tri|phu trach|phoi hop|giao cho|who|agenc\w*|"
                          r"department|lead\w*|in charge|responsib\w*|role|tasks?|duties)\b")


def answer_compare(composer: "Context", query: Query, filters: Filters,
                   answer_one: Callable[[Query, Filters], Answer]) -> Answer | None:
    """Plans side by side, oldest first: who leads the topic (or what the agency does) in each, from the
    task records; or, for any other topic (objectives, targets, funding, periods), the answer each
    document gives to the question on its own."""
    levels = _compare_levels(composer, query, filters)
    if levels is not None:
        return levels
    # (a value asked of each plan is no lead: "How often do member agencies have to send reports under A compared
    # with B?" asks each plan's reporting rhythm)
    if (query.agency or _ASKS_AGENCY.search(fold(query.text))) and query.slot in (None, "agency"):
        # the plans it names one by one ("KH Quảng Ninh 2011–2015 và KH … Bà Rịa - Vũng Tàu"), not every plan that
        # matches all its places and years at once
        named = named_documents(composer, query, filters)
        scope = Filters(doc_ids=tuple(named)) if named else composer._scope_filters(query, filters)
        found = _compare_leads(composer, query, scope)
        if found is not None:
            return found
    return _side_by_side(composer, query, filters, answer_one)


# "giao cho cấp chính quyền nào", "huyện hay xã", "at which level of local government": the level of local government
# each plan gives work to, which is a body of the gazetteer (UBND các huyện … / Ủy ban nhân dân các xã, phường)
_ASKS_LEVEL = re.compile(r"\b(cap nao|cap chinh quyen|chinh quyen (dia phuong|cap)|huyen hay xa|xa hay huyen|"
                         r"(uy ban nhan dan|ubnd) cap|(which|what) (level|tier)s?|district or commune|commune or district|"
                         r"districts? or communes?|communes? or districts?|local government)\b")
_LOCAL_GOVERNMENTS = ("ubnd-huyen", "ubnd-xa")


def _compare_levels(composer: "Context", query: Query, filters: Filters) -> Answer | None:
    """The local government (district or commune People's Committees) each compared plan gives its work to, oldest
    first: the body it names most, quoted where it first assigns it, and the reorganisation between them."""
    if not _ASKS_LEVEL.search(fold(query.text)):
        return None
    doc_ids = named_documents(composer, query, filters) or _documents_compared(composer, query, filters)[0]
    if len(doc_ids) < 2:
        return None
    docs = composer.store.documents
    en = query.language == "en"
    lines, cites, named = [], [], []
    for doc_id in doc_ids:
        text = docs[doc_id].text
        mentions = [m for m in find_agencies(text) if m.agency.id in _LOCAL_GOVERNMENTS]
        if not mentions:
            continue
        counts = Counter(m.agency.id for m in mentions)
        first = next(m for m in mentions if m.agency.id == counts.most_common(1)[0][0])
        start = text.rfind("\n", 0, first.start) + 1
        end = text.find("\n", first.end)
        end = len(text) if end < 0 else end
        if end - start > 400:  # a long paragraph: the words around the name, from a word's start to a word's end
            start = max(start, text.rfind(" ", 0, max(start, first.start - 150)) + 1)
            space = text.find(" ", first.end + 100)
            end = min(end, max(first.end, space if space > 0 else end))
        n = len(cites) + 1
        section = section_at(text, first.start)
        cites.append(composer.span_citation(n, doc_id, start, end, section, [(first.start, first.end)]))
        written = text[first.start : first.end]
        body = f"{first.agency.en} ({written})" if en else written
        label = document_label(docs[doc_id], query.language)
        where = official_section(section, query.language)
        times = counts[first.agency.id]
        said = f"{times} time(s)" if en else f"{times} lần"
        lines.append(f"- {_capitalised(label)}{f' ({where})' if where else ''}: {body} ({said}) [{n}] "
                     f"“{clean_quote(text[start:end])}”")
        named.append((doc_id, first.agency.name))
    if len(lines) < 2:
        return None
    # the plan's own words on the new arrangement ("… thực tiễn mô hình chính quyền địa phương 2 cấp"), quoted, so
    # the reader sees the document say it and not only the note below
    for doc_id, _name in named[1:]:
        text = docs[doc_id].text
        said = _TWO_TIERS.search(text)
        if said is None:
            continue
        start = max(text.rfind("\n", 0, said.start()), text.rfind(". ", 0, said.start()) + 1) + 1
        end = min(x for x in (text.find("\n", said.end()), text.find(". ", said.end()) + 1, len(text)) if x > 0)
        n = len(cites) + 1
        section = section_at(text, said.start())
        cites.append(composer.span_citation(n, doc_id, start, end, section, [(said.start(), said.end())]))
        label = document_label(docs[doc_id], query.language)
        where = official_section(section, query.language)
        lines.append(f"- {_capitalised(label)}{f' ({where})' if where else ''}: [{n}] “{clean_quote(text[start:end])}”")
    head = ("The level of local government each plan gives its work to (oldest first):" if en else
            "Cấp chính quyền địa phương được giao thực hiện, theo từng văn bản (cũ trước):")
    bodies = {name for _d, name in named}
    notes = [f"({_told(change, query.language)})" for change in _spanned([docs[d] for d, _n in named])
             if bodies & set(change.get("from", ())) and bodies & set(change.get("to", ()))]
    return Answer(query.question, "\n".join([head, *lines, *notes]), True, tuple(cites), query.language, "compare",
                  query.text, query.scope.as_dict())


# A plan naming the two-tier local government itself ("mô hình chính quyền địa phương 2 cấp").
_TWO_TIERS = re.compile(r"(?i)chính quyền địa phương (?:2|hai) cấp")


def _spanned(documents) -> list[dict]:
    """The known reorganisations the documents fall on both sides of (one issued before its year, one from it on)."""
    years = [first_year(doc) or 0 for doc in documents]
    return [c for c in reorganisations()
            if any(y < int(c["year"]) for y in years) and any(y >= int(c["year"]) for y in years)]


def _told(change: dict, language: str) -> str:
    """A reorganisation's note in the answer's language (Vietnamese when it has none in that language)."""
    return change.get(language) or change.get("vi", "")


def _documents_for(retriever, filters: Filters) -> frozenset[str]:
    """The documents some filters keep (none when they keep no chunk)."""
    rows = retriever.allowed_rows(filters)
    return frozenset() if rows is None or rows.size == 0 else frozenset(retriever.documents_of(rows))


def _documents_compared(composer: "Context", query: Query, filters: Filters) -> tuple[list[str], bool]:
    """The documents a comparison names (by number, year, province), else every document; and whether
    they were named."""
    retriever = composer.retriever
    docs_for = functools.partial(_documents_for, retriever)
    chosen = set(retriever.scope_of(query.text).doc_ids or ())
    provinces = tuple(dict.fromkeys(name for name, _s, _e in find_provinces(query.text)))
    for year in dict.fromkeys(plan_years(query.text)):
        chosen |= docs_for(Filters(provinces=provinces, years=(year,)))
    for province in provinces:
        own = docs_for(Filters(provinces=(province,)))
        if not own & chosen:
            chosen |= own
    named = bool(chosen)
    if not chosen:
        rows = retriever.allowed_rows(Filters(doc_ids=tuple(composer.store.documents)))
        chosen = set() if rows is None else retriever.documents_of(rows)
    if filters:
        chosen &= docs_for(filters)
    docs = composer.store.documents
    return sorted(chosen, key=lambda d: issued(docs[d])), named


def named_documents(composer: "Context", query: Query, filters: Filters) -> list[str]:
    """The documents a question names one by one ("QĐ 3087 Quảng Ninh và KH 2026-2030 Ninh Bình", "Ninh Bình
    2024 và Lâm Đồng 2024"), oldest first, when it names two or more; else []."""
    retriever = composer.retriever
    docs_for = functools.partial(_documents_for, retriever)
    text = query.text
    provinces = [name for name, _s, _e in find_provinces(text)]
    groups: set[frozenset[str]] = set()
    for m in DOCUMENT_REFERENCE.finditer(text):
        named = retriever.scope_of(m.group(0)).doc_ids
        if named:
            groups.add(frozenset(named))
    for acronym in retriever.title_acronyms():
        if re.search(rf"(?<![a-z0-9]){re.escape(acronym)}(?![a-z0-9])", fold(text)):
            groups.add(frozenset(retriever.scope_of(acronym).doc_ids or ()))
    referenced = set(groups)
    years = [y for y in plan_years(text)]
    for m in re.finditer(r"(?<![\d/.-])((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?(?![\d/])", text):
        wanted = tuple(int(y) for y in m.groups() if y and int(y) in years)
        if wanted:
            # "Ninh Bình 2024 và Lâm Đồng 2024": one group per province, not one for the year
            places = [(p,) for p in dict.fromkeys(provinces)] if len(set(provinces)) > 1 else [tuple(provinces)]
            for place in places:
                dated = frozenset().union(*(docs_for(Filters(provinces=place, years=(y,))) for y in wanted))
                if not any(dated & g for g in referenced):  # ("KH 22/KH-BCĐ năm 2024": the year of the plan named)
                    groups.add(dated)
    newest_asked = NEWEST_PLAN.search(fold(text)) is not None
    docs = composer.store.documents
    for province in provinces:
        own = docs_for(Filters(provinces=(province,)))
        if newest_asked and own:
            # "BR-VT's ACTIP plan and Ninh Binh's newest programme plan": of a province's plans, its latest
            newest = frozenset({max(own, key=lambda d: issued(docs[d]))})
            if not any(newest & g for g in groups):
                groups.add(newest)
            continue
        if not any(own & g for g in groups):
            groups.add(own)
    groups = {g for g in groups if g}
    chosen = frozenset().union(*groups) if groups else frozenset()
    if filters:
        chosen &= docs_for(filters)
    if len(groups) < 2 or len(chosen) < 2:
        return []
    return sorted(chosen, key=lambda d: issued(docs[d]))


def answer_each(composer: "Context", query: Query, filters: Filters,
                answer_one: Callable[[Query, Filters], Answer]) -> Answer | None:
    """A question that names two or more documents, answered in each of them, oldest first."""
    doc_ids = named_documents(composer, query, filters)
    if not doc_ids:
        return None
    return _side_by_side(composer, query, filters, answer_one, doc_ids=doc_ids)


# The words that ask to set two documents side by side ("… khác nhau ra sao?", "how does … differ between"): asked of
# each document on its own, the question keeps its asking word ("Chế độ báo cáo định kỳ … ra sao?"), which then reads
# as what it is (a frequency) instead of as a comparison.
_COMPARING = re.compile(
    r"(?i)\b(?:(?:có|co)\s+)?(?:(?:gì|gi)\s+)?(?:giống và khác nhau|giong va khac nhau|khác nhau|khac nhau|khác gì|khac gi|"
    r"khác biệt|khac biet|giống nhau|giong nhau|thay đổi|thay doi|so sánh|so sanh|so với|so voi)\b|"
    r"\b(?:differ(?:s|ed)?|compare[sd]?)\b(?:\s+(?:from|between|with|to|against|in|across))?|\b(?:versus|vs)\b\.?")


def _asked_of_each(text: str) -> str:
    """The question as asked of each document compared: its comparing words cut out (the text itself when that
    leaves too little to ask)."""
    cut = re.sub(r"\s+", " ", _COMPARING.sub(" ", text)).strip()
    return cut if len(cut.split()) >= 3 else text


# A provision a question names: "khoản 2 Điều 151", "Điều 150", "Article 151(2)", "clause 3 of Article 150".
_PROVISION = re.compile(r"(?i)\b(?:(?:khoản|khoan|clause|paragraph)\s*(\d{1,2})\s+(?:của\s+|cua\s+|of\s+)?)?"
                        r"(?:điều|dieu|article|art\.|đ\.?(?=\s*\d))\s*(\d{1,3})\b(?:\s*\((\d{1,2})\))?")  # ("Đ24", "Đ.151")
_CLAUSE_ALONE = re.compile(r"(?i)\b(?:khoản|khoan|clause|paragraph)\s*(\d{1,2})\b")
# what sets provisions apart ("khác nhau", "versus", "in each", "… mà khoản 2 Điều 150 không có")
_SETS_APART = re.compile(r"\b(khac nhau|khac gi|khac biet|so voi|so sanh|giong|differ\w*|compar\w*|versus|vs|each|respective\w*|"
                         r"moi (dieu|khoan|ben)|lan luot|while|whereas|"
                         # "… under Article 151, the way it must for adults under Article 150?", "Điều 150 hay Điều 151",
                         # "which (of them) requires …", "như Điều 150": one provision held against the other
                         r"the way|unlike|like|same as|as (it|they|one) (does|do|must|is|are)|or|which|hay|hoac|"
                         r"nhu (dieu|khoan|o dieu|o khoan))\b|\bma\b.{0,60}\bkhong( co)?\b")


def _capitalised(text: str) -> str:
    """"khoản 1 Điều 151" → "Khoản 1 Điều 151" (str.capitalize would lower "Điều")."""
    return text[:1].upper() + text[1:]


def provisions_named(text: str) -> list[tuple[str, str | None]]:
    """The (article, clause) pairs a question names, in order, each once; a clause named alone ("khoản 2 và khoản 3")
    belongs to the one article the question names."""
    found = [(m.group(2), m.group(1) or m.group(3)) for m in _PROVISION.finditer(text)]
    articles = list(dict.fromkeys(a for a, _c in found))
    if len(articles) == 1:
        inside = {m.span() for m in _PROVISION.finditer(text)}
        for m in _CLAUSE_ALONE.finditer(text):
            if not any(s <= m.start() < e for s, e in inside):
                found.append((articles[0], m.group(1)))
        if any(c for _a, c in found):
            found = [(a, c) for a, c in found if c]  # "Theo Điều 150, … khoản 2 và khoản 3": the clauses are what is set apart
    return list(dict.fromkeys(found))


def answer_provisions_apart(composer: "Context", query: Query, filters: Filters,
                            answer_one: Callable[[Query, Filters], Answer]) -> Answer | None:
    """A question that sets two or more provisions side by side ("Khoản 2 Điều 151 có những tình tiết nào mà khoản 2
    Điều 150 không có?", "where does that fall in Art. 150 versus Art. 151"): its topic asked of each provision, one
    after the other, so the reader sees each provision's own words; None when it names fewer than two."""
    named = provisions_named(query.text)
    if len(named) < 2 or not _SETS_APART.search(fold(query.text)):
        return None
    topic = _CLAUSE_ALONE.sub(" ", _PROVISION.sub(" ", query.text))
    topic = re.sub(r"\s+", " ", _COMPARING.sub(" ", topic)).strip(" ,;:?")
    # ("which requires force …": asked of one provision, whether it requires it)
    topic = re.sub(r"(?i)^(?:which|cái nào|cai nao|điều nào|dieu nao)(?:\s+(?:of (?:them|the two)|one))?\s+", "", topic)
    en = query.language == "en"
    blocks: list[tuple[str, Answer] | None] = []
    for article, clause in named:
        if en:
            where = f"Article {article}({clause})" if clause else f"Article {article}"
        else:
            where = f"khoản {clause} Điều {article}" if clause else f"Điều {article}"
        asked = replace(understand(f"{topic} ({where})?", (), composer.provinces()), language=query.language)
        answer = answer_one(asked, filters)
        blocks.append((f"{_capitalised(where)}:", answer) if answer.found else None)
    if not any(blocks):
        return None
    for i, ((article, clause), block) in enumerate(zip(named, blocks)):
        if block is None:
            # "Does Art. 151 require force or deception, the way Art. 150 does?": the provision that does not say it is
            # shown in its own words (its first clause, where an offence is defined), so the reader sees what it lacks
            opening = f"Article {article}({clause or 1})" if en else f"khoản {clause or 1} Điều {article}"
            own = answer_one(replace(understand(f"What does {opening} say?" if en else f"{opening} quy định gì?", (),
                                                composer.provinces()), language=query.language), filters)
            if own.found:
                said = (f"{_capitalised(opening)} (does not say this; its words in full):" if en
                        else f"{_capitalised(opening)} (không nêu điều này; nguyên văn):")
                blocks[i] = (said, own)
    blocks = [block for block in blocks if block is not None]
    if len(blocks) < 2:
        return None
    text, cites = merge_answers(blocks, en=en)
    return Answer(query.question, text, True, cites, query.language, query.legacy_intent, query.text, query.scope.as_dict())


# Two cases set apart within one text, their topic named once: "how does reception differ for a victim rescued by
# the Border Guard versus one repatriated through an embassy?", "What's the difference in support between A and B?",
# "Việc tiếp nhận nạn nhân do Bộ đội Biên phòng giải cứu và nạn nhân về qua cơ quan đại diện khác nhau thế nào?"
_CASES_APART_EN = re.compile(
    r"(?i)\b(?:how|in what way|in what ways)\s+(?:does|do|is|are|would|will)\s+(?P<topic>[^?]{3,80}?)\s+(?:differ|vary|change)\s+"
    r"(?:for|between|in the case of|when it comes to)\s+(?P<a>[^?]{3,140}?),?\s+(?:versus|vs\.?|as against|compared (?:with|to)|and)\s+"
    r"(?P<b>[^?]{3,140}?)\s*\??\s*$|"
    r"\bwhat(?:['’]s| is| are) the differences?\s+(?:in|for)\s+(?P<topic2>[^?]{3,80}?)\s+between\s+(?P<a2>[^?]{3,140}?)\s+"
    r"(?:and|versus|vs\.?)\s+(?P<b2>[^?]{3,140}?)\s*\??\s*$|"
    # "Compare the support for a foreign victim and for a child travelling with a victim under Article 32"
    r"^\W*compare\s+(?P<topic3>[^?]{3,80}?)\s+(?:for|of)\s+(?P<a3>[^?]{3,140}?),?\s+(?:and|versus|vs\.?|with)\s+"
    r"(?:(?:that )?(?:for|of)\s+)?(?P<b3>[^?]{3,140}?)\s*[.?]?\s*$")
_CASES_APART_VI = re.compile(
    r"(?i)(?P<topic>[^?]{3,80}?)\s+(?:đối với|doi voi|cho|giữa|giua)\s+(?P<a>[^?]{3,140}?)\s+(?:và|va|với|voi|so với|so voi)\s+"
    r"(?P<b>[^?]{3,140}?)\s+(?:khác nhau|khac nhau|có gì khác|co gi khac|khác gì|khac gi)\b[^?]*\??\s*$|"
    # "So sánh chế độ hỗ trợ cho nạn nhân là người nước ngoài và cho người chưa thành niên đi cùng …"
    r"^\W*(?:so sánh|so sanh)\s+(?P<topic3>[^?]{3,80}?)\s+(?:đối với|doi voi|cho|giữa|giua)\s+(?P<a3>[^?]{3,140}?)\s+"
    r"(?:và|va|với|voi)\s+(?:(?:cho|đối với|doi voi)\s+)?(?P<b3>[^?]{3,140}?)\s*[.?]?\s*$")


_SCOPE_AFTER = re.compile(r"(?i),?\s+(?:under|in|according to|theo|trong)\s+[^,]{0,40}?\b(?:law|act|code|plan|programme|decision|"
                          r"luật|luat|kế hoạch|ke hoach|quyết định|quyet dinh|bộ luật|bo luat)\b[^,]*$")


def answer_cases_apart(composer: "Context", query: Query, filters: Filters,
                       answer_one: Callable[[Query, Filters], Answer]) -> Answer | None:
    """Two cases a question sets apart within one text ("reception … for a victim rescued by the Border Guard versus
    one repatriated through an embassy"): its topic asked of each case on its own, so each case shows the provision
    that governs it; None when the question sets no cases apart, or the two are answered by the same passage."""
    # (the shorter of the two: the question as typed, or without what the asker said before it)
    text = query.question if len(query.question) <= len(query.text) else query.text
    m = _CASES_APART_EN.search(text) or _CASES_APART_VI.search(text)
    if not m or len(provisions_named(query.text)) >= 2 or len(named_documents(composer, query, filters)) >= 2:
        return None  # (the cheap test first: this runs for most questions)
    groups = {k.rstrip("23"): v for k, v in m.groupdict().items() if v}
    before = text[: m.start()].strip(" ,")
    topic, a, b = groups["topic"], groups["a"], groups["b"]
    where = _SCOPE_AFTER.search(b)  # "… one who is an adult under the 2011 law": the law is every case's
    if where:
        b, before = b[: where.start()], f"{before} {where.group(0).strip(' ,')}".strip()
    head = re.match(r"(?i)(?:an?|the)\s+(\w+)", a)  # "one repatriated …" is another of what the first case names
    b = re.sub(r"(?i)^(?:the )?ones?\b", f"a {head.group(1)}" if head else "one", b)
    en = query.language == "en" or m.re is _CASES_APART_EN
    blocks: list[tuple[str, Answer]] = []
    for case in (a, b):
        asked = f"{before}, {topic} for {case}?" if en else f"{before}, {topic} đối với {case}?"
        sub = replace(understand(asked.strip(" ,"), (), composer.provinces()), language=query.language)
        answer = answer_one(sub, filters)
        if not answer.found:
            return None
        blocks.append((f"{case[:1].upper()}{case[1:]}:", answer))
    def quoted(answer: Answer) -> set:  # (the words quoted: two clauses of one chunk are two passages)
        return {(c.doc_id, c.highlights or ((c.start, c.end),)) for c in answer.citations}

    if quoted(blocks[0][1]) == quoted(blocks[1][1]):
        return None
    text, cites = merge_answers(blocks, en=query.language == "en")
    return Answer(query.question, text, True, cites, query.language, query.legacy_intent, query.text, query.scope.as_dict())


_HIGHER_OR_LOWER = re.compile(r"\b(cao hon|thap hon|nhieu hon|it hon|lon hon|nho hon|higher|lower|bigger|smaller|"
                              r"more ambitious|less ambitious)\b")


def _side_by_side(composer: "Context", query: Query, filters: Filters,
                  answer_one: Callable[[Query, Filters], Answer], doc_ids: list[str] | None = None) -> Answer | None:
    """The topic of the comparison answered in each document on its own, oldest first."""
    # The question itself, its places and years taken out, answers where its topic words alone say too little
    # ("approach public communication channels stressed").
    whole = _asked_of_each(strip_scope(composer._without_own_documents(query.text)))
    whole = replace(understand(whole, (), composer.provinces()), language=query.language)
    intent = "fact" if whole.intent == "compare" else whole.intent
    # "are the targets the same": each document's targets, as a list (as the topic alone is read, below)
    # (not when it asks a value of them: "the trial-rate target" is a percentage, said in one sentence; "… cao hơn hay
    # thấp hơn?", "which is higher?" asks each document's figure)
    if not whole.slot and _HIGHER_OR_LOWER.search(fold(query.text)):
        whole = replace(whole, slot="number")
    whole = replace(whole, intent="list" if whole.section and intent == "fact" and not whole.slot else intent, parts=())
    if doc_ids is None:
        topic = comparison_topic(query)
        doc_ids, named = _documents_compared(composer, query, filters)
        if not topic or len(doc_ids) < 2:
            return None
        sub = understand(topic, (), composer.provinces())
        intent = "fact" if sub.intent == "compare" else sub.intent
        sub = replace(sub, language=query.language, intent="list" if sub.section and intent == "fact" and not sub.slot
                      else intent)
    else:
        topic, named = comparison_topic(query) or whole.text, True
        sub = replace(whole, intent=query.intent if query.intent != "compare" else whole.intent)
    en = query.language == "en"
    docs = composer.store.documents
    blocks: list[tuple[str, Answer]] = []
    silent: list[str] = []
    # (the first question alone, read only once a side is silent on the whole question: most never are)
    head, head_read = None, False
    for doc_id in doc_ids:
        answer = answer_one(whole, Filters(doc_ids=(doc_id,)))
        if not answer.found and whole is not sub:
            answer = answer_one(sub, Filters(doc_ids=(doc_id,)))
        if not answer.found and not head_read:
            head, head_read = _compared_first(composer, query, topic), True
        if not answer.found and head is not None:
            answer = answer_one(head, Filters(doc_ids=(doc_id,)))
        label = document_label(docs[doc_id], query.language)
        if answer.found:
            blocks.append((f"{len(blocks) + 1}. {_capitalised(label)}:", answer))
        elif named:
            silent.append(label)
    if len(blocks) < (1 if named and len(doc_ids) >= 2 else 2):
        return None  # named documents: one that answers is told beside those that are silent
    body, cites = merge_answers(blocks)
    # (the topic in single quotes: the asker's words; double quotes hold the documents' own, verbatim)
    head = (f"On ‘{topic}’, document by document (oldest first):" if en else
            f"Về ‘{topic}’, theo từng văn bản (cũ trước):")
    if silent:
        body += ("\n\nNothing on this in: " if en else "\n\nKhông nêu trong: ") + "; ".join(silent) + "."
    return Answer(query.question, head + "\n\n" + body, True, cites, query.language, "compare", query.text,
                  query.scope.as_dict())


# Where a comparison's first question ends and a narrower one follows ("How is funding handled differently in A and B
# - can either one draw on foreign donors?", "… khác nhau thế nào; bên nào có …?")
_FIRST_QUESTION_END = re.compile(r"\s+[-—–]\s+(?=\S)|\?\s+(?=\S)|;\s+(?=\S)")


def _compared_first(composer: "Context", query: Query, topic: str) -> Query | None:
    """The first question of a comparison that asks a narrower one after it, read alone: what a document silent on the
    narrower question still says of the thing compared (its funding, with no word of foreign donors); None when the
    comparison asks one question (its first question's topic is the whole `topic`)."""
    cut = _FIRST_QUESTION_END.search(query.text)
    if cut is None:
        return None
    first = comparison_topic(replace(query, text=query.text[: cut.start()]))
    if not first or first == topic:
        return None
    read = understand(first, (), composer.provinces())
    return replace(read, language=query.language, intent="fact" if read.intent == "compare" else read.intent, parts=())


def _task_and_clause(text: str, duty: MatchedDuty, clause: str, apart_only: bool = False) -> str:
    """' “<task>” — “<clause>”' for a matched record (the task only when the clause does not say it)."""
    task = quoted_task(text, (duty.start, duty.end), (duty.clause_start, duty.clause_end), apart_only=apart_only)
    return f"{f' {task} —' if task else ''} “{clean_quote(clause)}”"


def _compare_leads(composer: "Context", query: Query, filters: Filters) -> Answer | None:
    """Plans side by side, oldest first, for the lead of the topic (or what the agency does)."""

    agency = query.agency
    topic = comparison_topic(query, without_agencies=True)
    if agency and not topic:
        topic = ""
    if not topic and not agency:
        return None
    result = compare(composer, topic=topic or None, agency=None if topic else agency, lang=query.language)
    entries = list(result.entries)
    if filters:
        allowed = composer.retriever.allowed_rows(filters)
        if allowed is not None:
            docs = composer.retriever.documents_of(allowed)
            entries = [e for e in entries if e.doc_id in docs]
    agency_mode = bool(agency and not topic)
    if len(entries) < 2 and not (agency_mode and entries and result.notes):
        return None  # one plan alone is no comparison, unless a reorganisation explains the others' silence
    en = query.language == "en"

    # Vietnamese names as each plan writes them ("Sở Lao động, Thương binh và Xã hội" in Quảng Ninh's decision)
    written: dict[str, dict[str, str]] = {}
    for entry in entries:
        for duty in reversed(entry.duties):
            written.setdefault(entry.doc_id, {}).update(as_written(duty))

    def names(values, doc_id: str = "") -> str:
        values = list(values)
        shown = written.get(doc_id, {})

        def name(v: str) -> str:
            as_written_here = shown.get(v, v)
            if not en or english(v) == as_written_here:
                return as_written_here
            return f"{english(v)} ({as_written_here})"  # so the reader finds it in the cited passage

        return ", ".join(name(v) for v in values) if values else ("no lead named" if en else "không nêu")

    cites: list[Citation] = []
    lines: list[str] = []
    docs_of = composer.store.documents
    for index, entry in enumerate(entries):
        # the record that gives the lead the entry names (its best-scored record may give the lead to another
        # agency, whose name beside this quote would misread it)
        duty = next((d for d in entry.duties if set(entry.lead) & set(d.lead)), entry.duties[0] if entry.duties else None)
        marker = ""
        if duty is not None:
            n = len(cites) + 1
            start, end = min(duty.start, duty.clause_start), max(duty.end, duty.clause_end)
            if end - start > 1600:
                start, end = duty.clause_start, duty.clause_end
            cites.append(composer.span_citation(n, entry.doc_id, start, end, duty.section,
                                                [(duty.clause_start, duty.clause_end)]))
            marker = f" [{n}]"
            where = official_section(duty.section, query.language)
        else:
            where = ""
        if agency_mode:  # what the agency does in this plan, by role, and its first task
            counts = {r: sum(d.role == r for d in entry.duties) for r in ("lead", "coordinating", "performers")}
            words = ({"lead": "leads", "coordinating": "coordinates", "performers": "carries out"} if en else
                     {"lead": "chủ trì", "coordinating": "phối hợp", "performers": "thực hiện"})
            said = ", ".join(f"{words[r]} {n}" for r, n in counts.items() if n)
            # (the task quoted, so the plans' roles are seen side by side, not only counted)
            shown = ""
            if duty is not None:
                # (the task and the clause that gives it: "Đề nghị Ủy ban Mặt trận … chủ trì, … thực hiện công tác
                # tuyên truyền, giáo dục …" says more than the section's task above it)
                doc_text = docs_of[entry.doc_id].text
                clause = doc_text[duty.clause_start : duty.clause_end]
                # (of a clause of several lines, the line that names the agency)
                clause = next((line for line in clause.split("\n")
                               if any(m.agency.name == agency for m in find_agencies(line))), clause)
                shown = _task_and_clause(doc_text, duty, clause.strip(" -"))
            lines.append(f"- {entry.label}{f' ({where})' if where else ''}: {said}.{shown}{marker}")
            continue
        leads = names(entry.lead or entry.performers, entry.doc_id)
        # a change is told within one province; two provinces' plans differ, neither changed the other
        before = entries[index - 1] if index else None
        same_place = before is not None and docs_of[before.doc_id].province == docs_of[entry.doc_id].province
        change = f" — {entry.change}" if entry.change and entry.change != "—" and same_place else ""
        role = ("lead" if entry.lead else "carried out by") if en else ("chủ trì" if entry.lead else "thực hiện")
        # the clause itself, so the reader checks the names against the plan's own words
        # (and the task it gives them, which the clause alone may not name: "- Cơ quan chủ trì: Sở Y tế.")
        said = ""
        if duty is not None:
            doc_text = docs_of[entry.doc_id].text
            said = _task_and_clause(doc_text, duty, doc_text[duty.clause_start : duty.clause_end], apart_only=True)
        lines.append(f"- {entry.label}{f' ({where})' if where else ''}: {role} {leads}{change}.{said}{marker}")
    first, last = entries[0], entries[-1]
    subject = topic or (english(agency) if en and agency else agency)
    if agency_mode:
        tasks = [f"{e.label}: {len(e.duties)}" for e in entries]
        head = (f"Tasks of {subject} by plan (oldest first): {'; '.join(tasks)}." if en else
                f"Nhiệm vụ của {subject} theo từng kế hoạch (cũ trước): {'; '.join(tasks)}.")
    elif set(first.lead) == set(last.lead) and docs_of[first.doc_id].province != docs_of[last.doc_id].province:
        head = (f"On ‘{subject}’, {first.label} and {last.label} both give the lead to {names(last.lead, last.doc_id)}."
                if en else f"Về ‘{subject}’, {first.label} và {last.label} đều giao {names(last.lead, last.doc_id)} chủ trì.")
    elif set(first.lead) == set(last.lead):
        head = (f"On ‘{subject}’, the lead stays the same from {first.label} to {last.label}: {names(last.lead, last.doc_id)}."
                if en else f"Về ‘{subject}’, cơ quan chủ trì không đổi từ {first.label} đến {last.label}: "
                           f"{names(last.lead, last.doc_id)}.")
    else:
        def given(entry) -> str:
            # a plan that names no lead says who carries the task out ("Giao Bộ chỉ huy Bộ đội Biên phòng tỉnh …")
            if entry.lead or not entry.performers:
                return (f"gives the lead to {names(entry.lead, entry.doc_id)}" if en else
                        f"giao {names(entry.lead, entry.doc_id)} chủ trì")
            return (f"gives it to {names(entry.performers, entry.doc_id)} (no lead named)" if en else
                    f"giao {names(entry.performers, entry.doc_id)} thực hiện (không nêu cơ quan chủ trì)")
        head = (f"On ‘{subject}’, {last.label} {given(last)}; {first.label} {given(first).replace('gives', 'gave', 1)}."
                if en else f"Về ‘{subject}’, {last.label} {given(last)}; {first.label} {given(first)}.")
    if not agency_mode and ASKS_IF_SAME.search(fold(query.question)):
        # "Is the lead … the same in A and in B?", "… có giống nhau không?": yes or no first
        same = set(first.lead or first.performers) == set(last.lead or last.performers)
        head = ("Yes — " if same else "No — ") + head if en else ("Có — " if same else "Không — ") + head
    # a reorganisation explains the plans shown only when they fall on both sides of it
    spanned = {_told(change, query.language) for change in _spanned([docs_of[e.doc_id] for e in entries])}
    notes = [f"({note})" for note in result.notes if note in spanned or agency_mode]
    text = "\n".join([head, *lines, *notes])
    return Answer(query.question, text, True, tuple(cites), query.language, "compare", query.text, query.scope.as_dict())
