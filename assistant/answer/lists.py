"""Questions whose answer is a list (objectives, targets, forms, groups, activities): quote every
item of the list that answers, say how many there are, and prefer the section whose heading
names what was asked ("I. MỤC TIÊU" for "đặt mục tiêu gì?")."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..chunk import Node
from ..document import trimmed_span
from ..glossary import expand_english
from ..query import COUNT_ITEMS, LIST_CUES, Query, asks_duties_of_a_party
from ..text import fold, keyword_terms
from .context import TopicTerms
from .facts import LIST_LEAD, evidence
from .refusal import names_missing, states
from .structure import HEADING_NUMBER, ITEM_MARKER, containing, path_label, tree
from .types import Answer, clean_quote, document_label, official_section, sentences

if TYPE_CHECKING:
    from .context import Context

ITEM_KINDS = ("arabic", "dotted", "letter", "dash", "plus", "dieu")
MAX_ITEMS = 14
ITEM_CHARS = 260
PARTY_HEADING_SAYS = 0.6  # how much of a party's-duties question a list's headings must say (Điều 14: 0.80–0.97;
# the plans' "2.1. Công tác truyền thông" for "Nhà trường phải làm gì": 0.11–0.36)
PART_NAME_CHARS = 120  # a part past the items shown is still named, by its first words
LIST_CHARS = 3600  # a short list is quoted at more length: its few items share what a long list spreads thin
WHOLE_ITEM_CHARS = 1100  # an item the question points to
MIN_COVERAGE = 0.4


_ASSIGNMENT = re.compile(r"(?i)^\W*(cơ quan|đơn vị)\s+(chủ trì|phối hợp|thực hiện)\s*:|^\W*phân công")


def _items(node: Node) -> list[Node]:
    """The items of a list node; the lines that assign it ("- Cơ quan chủ trì: …") are not items — unless the node is
    the assignment itself ("b) Phân công trách nhiệm thực hiện": its "- Cơ quan phối hợp: …" is one of the bodies)."""
    assigning = bool(_ASSIGNMENT.match(HEADING_NUMBER.sub("", node.title or "")))
    return [c for c in node.children if c.kind in ITEM_KINDS and (assigning or not _ASSIGNMENT.match(c.title or ""))]


def _heading(text: str, node: Node) -> str:
    """The node's own first line (Node.heading), at most 300 characters: what a list is matched on and headed by."""
    heading = node.heading(text)
    if re.fullmatch(r"(?i)\W*(chương|mục|phần)\s+[\dIVXLC]+\W*", heading):
        # "Chương 5" on a line of its own, its title on the next ("HỖ TRỢ NẠN NHÂN")
        title = next((line.strip() for line in text[node.start : node.end].split("\n")[1:] if line.strip()), "")
        heading = f"{heading.strip()} {title}" if title and len(title) <= 200 else heading
    return heading[:300]


GROUP_LEAD_CHARS = 250


def _group_lead_in(text: str, head: Node, first: Node) -> tuple[int, int] | None:
    """The span of the short line a part's heading is followed by before its first item, if any."""
    heading_end = text.find("\n", head.start, first.start)
    if heading_end < 0:
        return None
    start, end = trimmed_span(text, heading_end, first.start)
    return (start, end) if 0 < end - start <= GROUP_LEAD_CHARS else None


def _item_quote(text: str, item: Node, limit: int = ITEM_CHARS, fit=None) -> tuple[int, int]:
    """An item's first sentences, up to `limit` characters (the whole item when short); with `fit` (a sentence's
    score against the question), from the sentence that fits best when the first ones would not reach it."""
    start, end = item.start, item.end
    while start < end and text[start] in " \t\n":
        start += 1
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    if end - start <= limit + 60:
        return start, end
    if fit is not None:
        scored = [(fit(piece), s, e) for s, e, piece in sentences(text[start:end], start)]
        best = max(scored, default=None, key=lambda x: x[0])
        earlier = [x[0] for x in scored if x[1] < best[1]] if best else []
        if best and best[0] > 0 and best[2] - start > limit + 60 and earlier and best[0] > max(earlier):
            # "… Xây dựng các kế hoạch nghiệp vụ, nắm tình hình, rà soát các đường dây, …": the sentence asked about
            # would be cut from a long item's first ones
            start = best[1]
            if end - start <= limit + 60:
                return start, end
    cut = start
    for _s, e, piece in sentences(text[start:end], start):
        # (a piece that opens in lower case goes on the sentence before it: "… (*Sở … chủ trì*)\n\ntiếp tục …"; one a
        # page break cut after a letter is one sentence already)
        if cut > start and e - start > limit and not piece.lstrip()[:1].islower():
            break
        cut = e
        if e - start > limit:
            break
    return start, max(cut, min(end, start + limit))


def _named_list(composer: "Context", query: Query, hits) -> tuple | None:
    """The list under a heading that names what was asked ("I. MỤC TIÊU" for "đặt mục tiêu gì?")."""
    topic = composer._topic_terms(query.text, query.language)
    want = fold(query.section or "")
    best = None
    for hit in hits[:6]:
        doc = composer.store.documents[hit.chunk.doc_id]
        text = doc.text
        root = tree(text)
        candidates: list[Node] = list(containing(root, hit.chunk.start + 1))
        for node in candidates[-1:]:  # lists that start inside the chunk
            candidates.extend(c for c in node.children if hit.chunk.start <= c.start < hit.chunk.end)
        for node in candidates:
            items = _items(node)
            if len(items) < 2:
                continue
            heading = _heading(text, node)
            context = f"{heading} {node.title}"
            # The section named may be a part above ("2.2. Các chỉ tiêu cơ bản" under "I. Mục tiêu và các chỉ tiêu").
            if want not in fold(" ".join(f"{_heading(text, n)} {n.title}" for n in node.path())):
                continue
            coverage = composer._coverage(topic, set(keyword_terms(context)), set(keyword_terms(hit.chunk.context)))
            score = coverage + 0.3 / hit.rank
            # Outermost first: a part of a list ("1. Mục tiêu tổng quát") replaces the whole ("I. MỤC TIÊU")
            # only when it matches the question clearly better.
            if best is None or score > best[0] + 0.15:
                best = (score, doc, node, items)
    if best is None:
        # The section named is in a retrieved document but none of its chunks ranked: its heading says where it is.
        for doc, node in _sections_named(composer, query, hits):
            items = _items(node)
            if len(items) >= 2:
                return doc, node, items  # the first (outermost) such heading of the best-ranked document
    return best[1:] if best else None


def _sections_named(composer: "Context", query: Query, hits):
    """(document, node) of each section of a retrieved document (best-ranked first, outermost first) whose heading
    names what the question asks of ("III. KINH PHÍ" for "kinh phí … lấy từ đâu")."""
    want = fold(query.section or "")
    if not want:
        return
    for doc_id in dict.fromkeys(h.chunk.doc_id for h in hits[:6]):
        doc = composer.store.documents[doc_id]
        for node in tree(doc.text).descendants():
            if want in fold(f"{_heading(doc.text, node)} {node.title}"):
                yield doc, node


# "mấy đề án", "những hình thức tuyên truyền nào", "các trường hợp nào": the noun that names the items asked for.
_ASKED_ITEMS = re.compile(r"(?i)\b(?:mấy|bao nhiêu|những|các|kể tên|liệt kê)\s+(?:(?:nhóm|loại|dạng|kiểu)\s+)?(\w+(?:\s+\w+)?)")
_ASKED_ITEMS_FOLDED = re.compile(r"\b(?:may|bao nhieu|nhung|cac|ke ten|liet ke)\s+(?:(?:nhom|loai|dang|kieu)\s+)?(\w+(?:\s+\w+)?)")
# (the items a noun ending in "s" names, not a word that only ends so: "what are its implementation phases")
_ASKED_ITEMS_EN = re.compile(r"(?i)\b(?:which|what|how many|list|name)\s+(?:(?:are|were)\s+(?:the\s+)?)?(?:(?:\w+)\s+){0,2}?"
                             r"(?!(?:its|this|is|was|has|does|thus|us|as|yes|plus|unless)\b)(\w+s)\b")
_ASKED_WHOLE_EN = re.compile(r"(?i)\b(?:which|what)\s+((?:\w+\s+){0,2}?(?:package|set|range|list|scheme|regime|array))\s+"
                             r"(?:is|are|does|do|can|will|should|must|would)\b")
_ASKED_PHRASE = re.compile(r"(?i)\b(?:những|các|nhung|cac)\s+((?:\w+\s+){1,3}\w+)(?=\s+(?:nào|nao)\b)")


def _item_title(text: str, item: Node) -> str:
    """What an item is named by: its heading when short ("1. Giai đoạn 2021-2022"), else its first words."""
    heading = _heading(text, item)
    return heading if len(heading) <= 80 else " ".join(heading.split()[:4])


_NOT_NOUN = {"trong", "cua", "duoc", "cho", "ve", "de", "la", "ma", "thi", "o", "tai", "da", "se", "phai", "can", "co", "nao",
             "gi", "moi", "va", "voi", "theo", "tu", "den", "giai", "nam", "tinh", "huyen"}  # after the noun: its scope
_NOT_ITEMS = {"cơ quan", "đơn vị", "sở", "ngành", "văn bản", "kế hoạch", "tài liệu", "năm", "ngày", "tháng", "người", "lần"}


def _without(topic: TopicTerms, dropped: set[str]) -> TopicTerms:
    """The topic terms less some, each English word's alternatives kept as alternatives."""
    kept = TopicTerms(t for t in topic if t not in dropped)
    kept.alternatives = tuple(group for group in (tuple(a - dropped for a in g if a - dropped) for g in topic.alternatives)
                              if len(group) > 1)
    return kept


def _headed_list(composer: "Context", query: Query, hits) -> tuple | None:
    """The list whose heading or lead-in names the items asked for ("III. Các đề án của Chương trình:" for
    "có mấy đề án, kể tên?"), in the retrieved passages."""
    text_asked = composer.retriever.prepare(query.text).dense_text
    folded = fold(text_asked)
    # Cues matched folded ("chia may giai đoạn": "mấy" is rarely restored), the items taken as written.
    found = [m.span(1) for m in _ASKED_ITEMS_FOLDED.finditer(folded)] if len(folded) == len(text_asked) else []
    wanted = [text_asked[a:b] for a, b in found] or [m.group(1) for m in _ASKED_ITEMS.finditer(text_asked)]
    if not wanted and query.language != "en":
        # "Giấy tờ, tài liệu nào được dùng để …": the items named before "nào" that opens the question
        opening = re.match(r"\W*((?:\w+[ ,]+){1,4}?)(?:nào|nao)\b", text_asked)
        if opening:
            wanted = [opening.group(1).strip(" ,")]
    wanted = [w for w in wanted if fold(w).split()[0] not in ("gi", "nao")]
    # ("những quyền gì": the items are "quyền", not "quyền gì", which no heading says; "những nước nào" keeps its "nào",
    # "nước" alone being said by every "Nhà nước")
    wanted = [re.sub(r"(?i)\s+(?:gì|gi)$", "", w) for w in wanted]
    if not wanted:
        # "nạn nhân được hỗ trợ những gì": what is asked is named by the verb ("hỗ trợ"); "What types of assistance …"
        verb = re.search(r"(?:được|duoc|phải|phai)\s+(\w+(?:\s+\w+)?)\s+(?:những|nhung|các|cac)\s+(?:gì|gi|nào|nao)\b",
                         text_asked)
        # (the noun that ends the phrase: "types of assistance is …", not "kinds of trafficking-related activity"; nor
        # "kinds of activity", which every part of a plan is)
        kinds = re.search(r"(?i)\b(?:types|kinds|forms|sorts|categories)\s+of\s+(?!(?:activit|measure|thing|action|work|task|step)\w*\b)"
                          r"(\w+)(?=\s+(?:is|are|was|were|does|do|did|can|could|should|must|may|will|would|that|which|for|to|"
                          r"under|in|available|entitled|a|an|the|victims?|survivors?)\b)", query.text)
        if verb and fold(verb.group(1)) not in ("lam", "lam cac", "thuc hien"):
            wanted = [verb.group(1)]
        elif kinds and expand_english(kinds.group(1)):
            wanted = [" ".join(expand_english(kinds.group(1)).split()[:2])]
    wanted = [w for w in wanted if w.lower() not in _NOT_ITEMS and w.split()[0].lower() not in _NOT_ITEMS]
    if COUNT_ITEMS.search(folded) and found:
        # A count names its items in full ("bao nhiêu tuyên truyền viên" is not "tuyên truyền"): up to three
        # words, to the first word that is not part of the noun.
        wanted = []
        for a, _b in found:
            words = []
            for word in re.findall(r"\w+", re.split(r"[,.;:?!()]", text_asked[a:], maxsplit=1)[0])[:3]:
                if words and fold(word) in _NOT_NOUN:
                    break
                words.append(word)
            if words:
                wanted.append(" ".join(words))
    divided = re.search(r"(?i)\b(?:chia|phân|phan)\s+(?:(?:các|những|cac|nhung)\s+)?(\w+(?:,?\s+\w+){0,4}?)\s+(?:ra\s+)?"
                        r"(?:thành|thanh|làm|lam)\s+(?:mấy|bao nhiêu|may|bao nhieu)\b", text_asked)
    if divided:
        # "chia nội dung trọng tâm thành mấy nhóm": the items are the parts of what is divided, not "nhóm"
        wanted = [divided.group(1)]
    if not wanted and query.language == "en":
        # "Which three projects …", "how many phases …": the items named in English, in the documents' words
        for m in _ASKED_ITEMS_EN.finditer(query.text):
            vietnamese = expand_english(m.group(1))
            if vietnamese:
                wanted.append(" ".join(vietnamese.split()[:2]))
        # "What support package is a survivor entitled to?": a whole named by a singular noun before its verb
        whole_named = _ASKED_WHOLE_EN.search(query.text)
        if not wanted and whole_named and expand_english(whole_named.group(1)):
            wanted.append(" ".join(expand_english(whole_named.group(1)).split()[:3]))
    if not wanted:
        return None
    asked = [set(keyword_terms(w)) for w in wanted]
    # the whole phrase up to "nào" ("những nội dung trọng tâm nào"): which heading names it all
    whole = [set(keyword_terms(m.group(1))) for m in _ASKED_PHRASE.finditer(text_asked)]
    # the list is scored on what the question says of the items, not on the items' own name, which every candidate
    # heading holds ("What duties do marriage brokers have": "trách nhiệm" is in each "Trách nhiệm của Bộ …")
    topic = _without(composer._topic_terms(query.text, query.language), set().union(*asked))
    best = None
    for hit in hits[:6]:
        doc = composer.store.documents[hit.chunk.doc_id]
        text = doc.text
        chain = list(containing(tree(text), hit.chunk.start + 1))
        candidates = chain + [c for node in chain[-1:] for c in node.children if hit.chunk.start <= c.start < hit.chunk.end]
        for node in candidates:
            items = _items(node)
            if len(items) < 2:
                continue
            # The heading of the node or of a part it belongs to names the items ("II. NHIỆM VỤ, GIẢI PHÁP"
            # above "6. Công tác … bảo vệ và hỗ trợ nạn nhân"); the part that also names the topic wins.
            # (the node's own lead-in whole: a long one names its items at its end, "… dễ bị lợi dụng … có trách nhiệm:")
            above = _words_above(text, node)
            # …or its items are named so ("1. Giai đoạn 2021-2022", "2. Giai đoạn 2022-2025" for "những giai
            # đoạn nào"): then this is the list asked for, not one of its items.
            # (an item's title, or its opening words: "Tiếp tục triển khai … những nội dung tại …" names no "nội dung")
            named_items = sum(any(terms and terms <= set(keyword_terms(_item_title(text, item))) for terms in asked)
                              for item in items)
            if named_items < 2 and not any(terms and terms <= above for terms in asked):
                continue
            heading = set(keyword_terms(_heading(text, node)))
            if named_items >= 2:  # the items' own headings ("1. Giai đoạn 2021-2022") say what the list is of
                heading |= set(keyword_terms(" ".join(h for h in (_heading(text, item) for item in items) if len(h) <= 60)))
            coverage = composer._coverage(topic, heading | above, set(keyword_terms(hit.chunk.context)))
            score = coverage + 0.3 / hit.rank
            if named_items >= 2:
                # (as much as the list also says what the question says of its items: "Trách nhiệm của Bộ …", each
                # article of a chapter, names "duties" but not the marriage brokers whose duties were asked)
                score += 0.5 * min(1.0, 2 * coverage) if topic else 0.5
            # the section whose own heading names all that was asked ("II. NỘI DUNG TRỌNG TÂM VÀ …" for "những nội dung
            # trọng tâm nào"), over a part below it whose heading names some of it ("a) Nội dung")
            score += 0.3 * max((len(terms & heading) / len(terms) for terms in whole if terms), default=0.0)
            if best is None or score > best[0] + 0.15:
                best = (score, doc, node, items)
    if best is None:
        return None
    _score, doc, node, items = best
    for item in items:
        # a chapter whose articles are each a kind of support: the article whose own heading names what is asked and
        # that lists them ("Điều 32. Đối tượng và chế độ hỗ trợ" with its a)–e)) is the list, more exactly than the chapter
        inner = _items(item)
        if node.kind == "chuong" and len(inner) >= 2 and any(
                terms and terms <= set(keyword_terms(_heading(doc.text, item))) for terms in asked):
            return doc, item, inner
    return doc, node, items


def _said_by_the_titles_over(composer: "Context", query: Query, ev) -> float:
    """How much of the question's topic the best-saying title over a sentence says ("Điều 53. Nguyên tắc hợp tác quốc
    tế"); a part headed by a sentence of its own ("1. Nạn nhân được tư vấn …") has no title."""
    text = composer.store.documents[ev.hit.chunk.doc_id].text
    topic = composer._topic_terms(query.text, query.language)
    titles = [_heading(text, n) for n in containing(tree(text), ev.start) if n.start < ev.start]
    return max((composer._coverage(topic, set(keyword_terms(t))) for t in titles if len(t) <= 80), default=0.0)


def _words_above(text: str, node: Node) -> set[str]:
    """The terms of a list's headings, its own and those of the parts it belongs to, and of its lead-in, whole."""
    return set(keyword_terms(" ".join(_heading(text, n) for n in node.path() if n.kind != "root")
                             + " " + node.heading(text)[:600]))


def _said_of_the_list(composer: "Context", query: Query, doc, node: Node) -> float:
    """How much of the question's topic a list's headings and lead-in say."""
    return composer._coverage(composer._topic_terms(query.text, query.language), _words_above(doc.text, node))


# A sentence that carries its own list: "… dưới các hình thức như: a, b, c" (a lead word or a colon, then commas).
_INLINE_LIST = re.compile(r"(?i)(như|gồm|bao gồm|sau đây|là)\s*:|:\s*[^,;:]+[,;][^,;:]+[,;]|"
                          rf"\b({LIST_LEAD})\s+[^,;:.]+[,;][^,;:.]+[,;]")  # "… thiết yếu như a, b, c;"


def _anchored_list(composer: "Context", query: Query, hits) -> tuple | None:
    """The list the best-matching sentence belongs to: the sentence is its heading or lead-in, or one of
    its items. A sentence that carries its own list inline ("như: …, …, …") is answered as it is."""

    found = evidence(composer, query.text, query.language, hits, query.article)
    if not found or found[0].coverage < MIN_COVERAGE:
        return None
    ev = found[0]
    doc = composer.store.documents[ev.hit.chunk.doc_id]
    text = doc.text
    chain = containing(tree(text), ev.start)
    if not chain:
        return None
    node = chain[-1]
    first_line_end = text.find("\n", node.start)
    first_line_end = node.end if first_line_end < 0 else first_line_end
    if ev.start < first_line_end and len(_items(node)) >= 2:
        return doc, node, _items(node)  # the sentence heads the list
    if ev.text.rstrip().endswith(":"):
        after = [c for c in _items(node) if c.start >= ev.end]
        if len(after) >= 2:
            return doc, node, after  # a lead-in and the items after it
    if _INLINE_LIST.search(ev.text):  # (its lead-in's own colon is not a list inline: the items below it are the list)
        return None
    parent = node.parent
    if node.kind in ITEM_KINDS and parent is not None and parent.kind != "root" and len(_items(parent)) >= 2:
        return doc, parent, _items(parent)
    return None


# Slots whose value a list's items must state to answer ("what sanctions", "which deadlines").
_VALUE_SLOTS = frozenset({"penalty", "money", "date", "day", "percent", "number", "age", "law", "decree", "person", "recipient",
                          "place", "partner", "email", "website", "organisation", "frequency", "phone"})


# "What paperwork is accepted …", "which support does …": the thing an English question asks for, named after
# "what"/"which" (a mass noun as well as a plural; not a verb or a pronoun: "what happens", "what does", "which of").
_WHAT_THING = re.compile(r"(?i)\b(?:what|which)\s+(?:(?:kinds?|types?|forms?|sorts?|categor(?:y|ies))\s+of\s+)?([a-z]+)\b")
_NOT_A_THING = frozenset("""is are was were be been do does did can could should must may might will would shall has have
had happens happened happen exactly else about if the a an of one ones kind type form sort part parts way ways
role roles it its this that these those they he she we you i
article articles clause clauses point points section sections chapter chapters provision provisions law laws code
decree decrees plan plans document documents body bodies agency agencies ministry ministries authority authorities
department departments year years date day days time person people""".split())  # (a place in a text, a body, a time)


def answer_list_of_the_thing_asked(composer: "Context", query: Query, hits) -> Answer | None:
    """A question asked as a fact whose best sentence is in a list headed by the very thing asked ("What paperwork is
    accepted as proof that someone is a victim?" over "Điều 28. Giấy tờ, tài liệu chứng nhận nạn nhân" and its four
    points): the whole list answers, not the one point that matched best."""
    if query.language != "en":
        return None
    things = [m.group(1) for m in _WHAT_THING.finditer(query.text) if m.group(1).lower() not in _NOT_A_THING]
    asked = [set(keyword_terms(expand_english(t))) for t in things if expand_english(t)]
    if not asked:
        return None
    choice = _anchored_list(composer, query, hits)
    if choice is None:
        return None
    doc, node, _items_found = choice
    # (the heading's words, not its label: "Điều 151." names no article asked for)
    heading = set(keyword_terms(re.sub(r"(?i)^\W*(?:điều|chương|mục|khoản|phần)\s+\S+", "", _heading(doc.text, node))))
    if not any(terms and terms <= heading for terms in asked):
        return None
    return answer_list(composer, query, hits, choice)


# A period a question names ("giai đoạn 2022-2025", "the 2022-2025 phase").
_PERIOD_NAMED = re.compile(r"\b((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b")


def phase_named(composer: "Context", query: Query, hits) -> tuple | None:
    """(document, node, items) of the phase a question names by its years ("ACTIP BRVT giai đoạn 2022-2025 làm gì?"
    over "2. Giai đoạn 2022 - 2025" of a 2021-2025 plan): a section headed by a period inside a document's own, not
    the period that names the document; None when the question names none or several match."""
    periods = {(a, b) for a, b in _PERIOD_NAMED.findall(query.text)}
    if not periods:
        return None
    found = []
    for doc_id in dict.fromkeys(hit.chunk.doc_id for hit in hits):
        doc = composer.store.documents.get(doc_id)
        if doc is None:
            continue
        own = {(a, b) for a, b in _PERIOD_NAMED.findall(doc.period or "")}
        for first, last in periods - own:
            heading = re.compile(rf"(?i)^\W*(?:\d+\.\s*|[a-zđ]\)\s*)?giai đoạn\s*{first}\s*[-–]\s*{last}\s*:?\s*$")
            for node in tree(doc.text).descendants():
                items = _items(node)
                if items and heading.match(_heading(doc.text, node)):
                    found.append((doc, node, items))
    return found[0] if len(found) == 1 else None


def list_headed_at(composer: "Context", answer: Answer) -> tuple | None:
    """(document, node, items) of the list whose heading is all an answer's first passage quotes ("What does that
    project cover?" → "ĐỀ ÁN 3: “Tiếp nhận, xác minh …”", a title whose items say what it covers); None when it
    quotes more or other."""
    if not answer.citations:
        return None
    cited = answer.citations[0]
    doc = composer.store.documents.get(cited.doc_id)
    if doc is None:
        return None
    quoted = cited.highlights or ((cited.start, cited.end),)
    # (the parts around the quote's start, outermost first: the one whose own text, before its children, holds it all)
    for node in containing(tree(doc.text), quoted[0][0]):
        if node.body_end < node.end and all(node.start <= start and end <= node.body_end + 1 for start, end in quoted):
            items = _items(node)
            return (doc, node, items) if len(items) >= 2 else None
    return None


def answer_list(composer: "Context", query: Query, hits, choice: tuple | None = None, settled: bool = False) -> Answer | None:
    """The list that answers, every item quoted and counted; None when no list answers (a sentence does). `choice`:
    the list already found, (document, node, items); `settled`: found by what the question names (a section, the
    penalty of a clause), so no sentence elsewhere answers instead."""
    counting = COUNT_ITEMS.search(fold(query.text)) and not LIST_CUES.search(fold(query.text))
    named = settled
    if choice is None:
        choice = _named_list(composer, query, hits) if query.section else None
        named = choice is not None
        if choice is None and next(_sections_named(composer, query, hits), None):
            return None  # "Kinh phí … lấy từ nguồn nào?": the section it names is prose, not a list (facts.py quotes it)
        if choice is None:
            choice = _headed_list(composer, query, hits)
        if choice is None and not counting:  # "có bao nhiêu …" is a list only where one is headed so
            choice = _anchored_list(composer, query, hits)
    if choice is None:
        return None
    doc, node, items = choice
    if not named and asks_duties_of_a_party(query.text) and not LIST_CUES.search(fold(query.text)) \
            and _said_of_the_list(composer, query, doc, node) < PARTY_HEADING_SAYS:
        # "Nhà trường phải làm gì …?", read as a list for its duties alone (no "những việc gì"), is answered by a list
        # under the party's own name ("Điều 14. Nhà trường và các cơ sở giáo dục … tham gia phòng ngừa mua bán người"),
        # not by "2.1. Công tác truyền thông", one of whose items names schools (that sentence answers: facts.py)
        return None
    found = evidence(composer, query.text, query.language, hits, query.article) if not named else []
    elsewhere = bool(found) and not (found[0].hit.chunk.doc_id == doc.doc_id and node.start <= found[0].start < node.end)
    if elsewhere and found[0].coverage >= 0.5 and _INLINE_LIST.search(found[0].full_text()):
        # the sentence that matches best carries the list inline, elsewhere: it answers (facts.py) — unless the
        # list is the section the question names ("mục tiêu")
        return None
    if elsewhere and found[0].coverage >= 0.8:
        # a list of the things asked that says less of what the question says of them than the heading over the best
        # sentence elsewhere ("On what principles does Vietnam base its international cooperation?" is not Điều 4, the
        # principles of the whole fight, but "Điều 53. Nguyên tắc hợp tác quốc tế"): that sentence answers
        titled = _said_by_the_titles_over(composer, query, found[0])
        if titled >= 0.8 and titled >= _said_of_the_list(composer, query, doc, node) + 0.25:
            return None
    above, parent = [], node.parent
    while parent is not None:  # (the headings it lies under say its offence: "Điều 151. Tội mua bán người dưới 16 tuổi")
        above.append(parent.title or "")
        parent = parent.parent
    if names_missing(composer, query, doc, f"{doc.text[node.start : node.end]} {' '.join(above)}"):
        return None  # the list is about another article or document than the one asked
    if query.slot in _VALUE_SLOTS and not (counting and query.slot == "number") \
            and not states(query.slot, doc.text[node.start : node.end]):  # (a count of items is said by counting them)
        return None  # "what sanctions …", "which amounts …": a list that states none is not the answer (facts.py says so)
    text = doc.text
    en = query.language == "en"
    groups: list[tuple[Node, list[Node]]] = []
    # Sub-headings that hold lists of their own ("1. Mục tiêu tổng quát" + dashes): one level flattened.
    # A part without sub-items of its own ("1. Mục tiêu tổng quát: …" beside "2. Mục tiêu cụ thể" + items) is its
    # own single item.
    # A part whose own parts hold the lists ("2. Mục tiêu cụ thể và các chỉ tiêu" over "2.1. Mục tiêu cụ thể" and "2.2.
    # Các chỉ tiêu cơ bản") is those parts, each under its heading: every item of the list stays quoted.
    if any(_items(item) for item in items) and len(items) <= 6:
        for item in items:
            inner = _items(item)
            # (a few parts only: "II. Nội dung trọng tâm" with its six sections, each "a) Nội dung" and "b) Phân công",
            # is read as its sections)
            if len(items) <= 3 and 2 <= len(inner) <= 4 and all(_items(part) for part in inner):
                groups += [(part, _items(part)) for part in inner]
            else:
                groups.append((item, inner or [item]))
    else:
        groups = [(node, items)]
    lines: list[str] = []
    highlights: list[tuple[int, int]] = []
    shown = 0
    total = sum(len(g[1]) for g in groups)
    # The items the question's own words point to are quoted whole: they often carry the list asked for inline
    # ("… tập trung vào hoạt động hỗ trợ kết hôn …; cho nhận con nuôi …; kinh doanh dịch vụ lữ hành …").
    topic = composer._topic_terms(query.text, query.language)
    fit = {id(item): composer._coverage(topic, set(keyword_terms(text[item.start : item.end]))) for _h, m in groups for item in m}
    top = max(fit.values(), default=0.0)
    whole = {key for key, value in fit.items() if top >= 0.3 and value >= 0.8 * top}
    for head, members in groups:
        alone = members == [head]  # a part that is one item: quoted under its number, no heading line
        if len(groups) > 1 and not alone:
            title = clean_quote(_heading(text, head))
            # (with the part's own lead-in, which may say what its items are: "Trong giai đoạn 2021 - 2022, ưu tiên thực
            # hiện các hoạt động sau;")
            lead = _group_lead_in(text, head, members[0])
            if lead is not None:
                highlights.append(lead)
                title += f" — “{clean_quote(text[lead[0] : lead[1]])}”"
            lines.append(f"{title} ({len(members)} {('item' if len(members) == 1 else 'items') if en else 'ý'}):")
        for i, item in enumerate(members, start=1):
            if shown >= MAX_ITEMS and id(item) not in whole:
                if alone:  # (a part that is one item still names itself: "có mấy nhóm nhiệm vụ? kể tên" counts the parts)
                    lines.append(clean_quote(_heading(text, head), PART_NAME_CHARS))
                continue  # (past the limit, the items the question points to are still quoted: "… tăng cường đối với …")
            limit = WHOLE_ITEM_CHARS if id(item) in whole else max(ITEM_CHARS, min(WHOLE_ITEM_CHARS, LIST_CHARS // total))
            s, e = _item_quote(text, item, limit,
                               (lambda piece: composer._coverage(topic, set(keyword_terms(piece)))) if id(item) in whole else None)
            highlights.append((s, e))
            quote = clean_quote(text[s:e], limit + 100)
            quote = quote[marker.end() :] if (marker := ITEM_MARKER.match(quote)) else quote
            ellipsis = " …" if e < item.end - 2 and not quote.endswith("…") else ""
            opening = "… " if text[item.start : s].strip(" \t\n-+•–") else ""  # quoted from a later sentence
            mark = "  -" if len(groups) > 1 and not alone else (f"{groups.index((head, members)) + 1}." if alone else f"{i}.")
            lines.append(f"{mark} “{opening}{quote}{ellipsis}” [1]")
            shown += 1
    if shown < total:
        lines.append(f"(+ {total - shown} more items in the passage)" if en else f"(và {total - shown} ý khác trong đoạn trích)")
    where = official_section(path_label(node), query.language)
    heading = clean_quote(_heading(text, node))
    if len(groups) > 1:  # "gồm 3 mục (14 ý)": the parts are what was counted, their items below
        count = f"{len(groups)} parts ({total} items)" if en else f"{len(groups)} mục ({total} ý)"
    else:
        count = f"{total} item(s)" if en else f"{total} ý"
    if en:
        head_line = f"{document_label(doc, query.language)}, {where} (“{heading}”) lists {count}:"
    else:
        head_line = f"Theo {doc.short_label}, {where} (“{heading}”) gồm {count}:"
    start, end = node.start, node.end
    cite = composer.span_citation(1, doc.doc_id, start, min(end, start + 6000), path_label(node), highlights)
    return Answer(query.question, head_line + "\n" + "\n".join(lines), True, (cite,), query.language, "list", query.text,
                  query.scope.as_dict())
