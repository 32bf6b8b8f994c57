"""Who leads / who coordinates: the responsibility records behind "Ai chủ trì ...?".

Plans assign work in many forms; each becomes a Duty with the task it applies to, the lead
(chủ trì), coordinating (phối hợp / tham gia) and performing (thực hiện) agencies, all
with character spans into the document's display text:

- "(Công an tỉnh chủ trì, phối hợp với Sở Giáo dục và Đào tạo … thực hiện)" after a task;
- "Phân công thực hiện: - Cơ quan chủ trì: Sở Y tế. - Cơ quan phối hợp: …" under a task;
- "b) Phân công trách nhiệm thực hiện - Công an tỉnh chủ trì thực hiện các hoạt động trên."
  which applies to the "a) Nội dung" bullets before it;
- sentences: "Giao Sở Tư pháp chủ trì, phối hợp …", "Sở Thông tin và Truyền thông chủ trì;
  Sở Văn hóa … tham gia.", "Đề nghị Tòa án nhân dân tỉnh chủ trì", "X là cơ quan chủ trì";
- performers only: "(các sở, ngành, UBND các huyện, thành phố thực hiện)".
"""
from __future__ import annotations

import bisect
import hashlib
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Sequence

from .chunk import SEP, Node, parse_structure
from .text import fold, normalize_for_matching


# --- agencies ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Agency:
    """A canonical agency with its English name."""

    id: str
    name: str
    en: str
    aliases: tuple[str, ...]
    generic: bool = False  # not a specific body (none in the shipped gazetteer)
    collective: bool = False  # "các sở, ngành", "cơ quan có liên quan": every body of a kind, none by name
    provincial: str | None = None  # a ministry's department in a province (id): "MOLISA" asked of a plan means DOLISA
    by_function: bool = False  # named by what it did ("cơ quan đã tiến hành xác minh"): another clause says who it is


@dataclass(frozen=True)
class Mention:
    """An agency named in the text."""

    agency: Agency
    start: int
    end: int


@lru_cache(maxsize=1)
def _gazetteer_bytes() -> bytes:
    """assistant/data/agencies.json as shipped (read once: the agencies and the task records' version both need it)."""
    return resources.files("assistant").joinpath("data/agencies.json").read_bytes()


@lru_cache(maxsize=1)
def agencies() -> tuple[Agency, ...]:
    """The gazetteer of canonical agencies (assistant/data/agencies.json)."""
    raw = json.loads(_gazetteer_bytes().decode("utf-8"))
    out = []
    for row in raw:
        if not isinstance(row, dict) or "name" not in row:
            continue
        aliases = tuple(dict.fromkeys([row["name"], *row.get("aliases", [])]))
        generic = bool(row.get("generic")) or row.get("level") == "generic"
        out.append(Agency(row.get("id") or fold(row["name"]).replace(" ", "-"), row["name"], row.get("en", row["name"]), aliases,
                          generic, bool(row.get("collective")), row.get("provincial"), bool(row.get("by_function"))))
    return tuple(out)


def _alias_key(s: str) -> str:
    # Matching form: tones normalised, case-folded, dashes and spacing unified.
    s = normalize_for_matching(s).casefold()
    s = re.sub(r"\s*[-–—]\s*", " - ", s)
    return re.sub(r"\s+", " ", s).strip()


@lru_cache(maxsize=1)
def _alias_pattern() -> tuple[re.Pattern, dict[str, Agency]]:
    table: dict[str, Agency] = {}
    for agency in agencies():
        for alias in agency.aliases:
            key = _alias_key(alias)
            if key and key not in table:
                table[key] = agency
    keys = sorted(table, key=len, reverse=True)
    parts = [re.escape(k).replace(r"\ \-\ ", r"\s*[-–—]\s*").replace(r"\ ", r"\s+") for k in keys]
    # not "cơ sở y tế" (health facilities) read as "Sở Y tế", nor "cán bộ Công an huyện" (a police officer) as "Bộ Công an",
    # nor "kiểm sát điều tra, kiểm sát xét xử" (the procuracy's work, said of no one) as the procuracy
    pattern = re.compile(r"(?<![\w])(?<!cơ )(?<!co )(?!(?<=cán )bộ\s)(?!(?<=can )bo\s)"
                         r"(?!ki[eể]m\s+s[aá]t\s+(?:điều tra|dieu tra|xét xử|xet xu|việc|viec|hoạt động|hoat dong|thi hành|thi hanh|"
                         r"giải quyết|giai quyet)(?!\w))(?:" + "|".join(parts) + r")(?![\w])",
                         re.IGNORECASE)
    return pattern, table


@lru_cache(maxsize=1)
def name_numbers() -> frozenset[str]:
    """Numbers that are part of agencies' names ("Ban Chỉ đạo 138"): "kế hoạch 138" names a plan of that
    body, not a document numbered 138."""
    return frozenset(n for agency in agencies() for alias in (agency.name, *agency.aliases)
                     for n in re.findall(r"\d{2,5}", alias))


def find_agencies(text: str, offset: int = 0) -> list[Mention]:
    """Agencies named in a text, longest alias first, with absolute spans."""
    if not agencies():
        return []
    pattern, table = _alias_pattern()
    probe = normalize_for_matching(text)  # same length as text: spans carry over
    if len(probe) != len(text):
        probe = text
    out = []
    for m in pattern.finditer(probe.casefold() if len(probe.casefold()) == len(probe) else probe):
        agency = table.get(_alias_key(m.group(0)))
        if agency is not None:
            out.append(Mention(agency, offset + m.start(), offset + m.end()))
    return out


def agency_by_name(name: str) -> Agency | None:
    """The canonical agency for a name or alias (None if unknown)."""
    key = _alias_key(name)
    _pattern, table = _alias_pattern()
    if key in table:
        return table[key]
    mentions = find_agencies(name)
    return mentions[0].agency if mentions else None


# --- records -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Duty:
    """One responsibility assignment: a task and who leads, coordinates and performs it."""

    doc_id: str
    section: str
    heading: str
    task: str
    task_start: int
    task_end: int
    clause: str
    clause_start: int
    clause_end: int
    lead: tuple[str, ...] = ()  # canonical Vietnamese names
    coordinating: tuple[str, ...] = ()
    performers: tuple[str, ...] = ()
    # "Phân công thực hiện: Các sở, ban, ngành, … thực hiện" under a whole section: everyone named does all of
    # it. True for such a record, which answers "who does that?" of a passage inside it, not a question's topic
    # (its long task matches most words while assigning nothing in particular).
    section_wide: bool = False

    def to_json(self) -> dict:
        """A plain dict."""
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, row: dict) -> "Duty":
        """Inverse of to_json (tuples restored)."""
        names = ("lead", "coordinating", "performers")
        return cls(**{k: (tuple(v) if k in names else v) for k, v in row.items() if k in cls.__dataclass_fields__})


_CLAUSE_LABEL = re.compile(r"(?i)^\s*[-–+•]?\s*(cơ quan|đơn vị)\s+(chủ trì|phối hợp|thực hiện)\s*:")
# "- Phân công thực hiện: Các sở, ban, ngành …" (the agencies on the same line)
_INLINE_PHAN_CONG = re.compile(r"(?im)^[ \t*]*[-–+•]?[ \t]*phân công\s+(?:trách nhiệm\s+)?thực hiện\s*:[ \t]*(?=\S)")
_PHAN_CONG = re.compile(r"(?i)phân công\s+(?:trách nhiệm\s+)?thực hiện\s*:?")
_ROLE = re.compile(
    r"(?i)(cơ quan chủ trì\s*:|đơn vị chủ trì\s*:|cơ quan phối hợp\s*:|đơn vị phối hợp\s*:|chủ trì|"
    r"là đầu mối|là cơ quan thường trực|cơ quan thường trực|chịu trách nhiệm|phối hợp với|phối hợp|"
    r"tham gia|thực hiện|là cơ quan|[;:])"
)
_VAGUE_TASK = re.compile(r"(?i)(các hoạt động trên|các nội dung trên|nội dung trên|^\W*$)")


_ROLE_BOUNDARY = re.compile(r"(?i)chủ trì|phối hợp|thực hiện|tham gia|[;.:]")


def requested_in(duty: "Duty") -> set[str]:
    """Agencies the clause *requests* ("đề nghị Tòa án nhân dân tỉnh, Viện kiểm sát …"): bodies a
    provincial plan cannot order (courts, procuracies, mass organisations), so never shown as assigned."""
    clause = duty.clause
    out: set[str] = set()
    for mention in find_agencies(clause, duty.clause_start):
        before = clause[: mention.start - duty.clause_start]
        cut = max((m.end() for m in _ROLE_BOUNDARY.finditer(before)), default=0)
        if re.search(r"(?i)đề nghị", before[cut:]):
            out.add(mention.agency.name)
    return out


def roles_in(clause: str, offset: int) -> tuple[list[str], list[str], list[str]]:
    """Leads, coordinators and performers named in one clause (a small left-to-right state machine)."""
    mentions = find_agencies(clause, offset)
    # "Công an tỉnh - Cơ quan Thường trực Ban Chỉ đạo 138", "Bộ Công an … giúp Chính phủ": the body after
    # "thường trực" or "giúp" is the one being served, not a second lead or a performer.
    folded_clause = fold(clause)
    mentions = [m for m in mentions
                if not re.search(r"(thuong truc|giup)\W*$", folded_clause[max(0, m.start - offset - 25) : m.start - offset])]
    events: list[tuple[int, str, Any]] = [(m.start - offset, "agency", m) for m in mentions]
    norm = normalize_for_matching(clause).casefold()
    for m in _ROLE.finditer(norm):
        # a role word inside an agency name ("Ban Chỉ đạo") is not a role
        if any(x.start - offset <= m.start() < x.end - offset for x in mentions):
            continue
        events.append((m.start(), "role", re.sub(r"\s+", " ", m.group(0).strip())))
    events.sort(key=lambda e: (e[0], e[1] != "agency"))
    lead: list[str] = []
    coord: list[str] = []
    perform: list[str] = []
    pending: list[str] = []
    state = "neutral"
    for index, (_pos, kind, value) in enumerate(events):
        if kind == "role" and value == "phối hợp" and pending and state == "neutral" and index + 1 < len(events):
            # "X phối hợp Y …" (no "với"): X does the task, Y helps; as "X phối hợp với Y".
            nxt_pos, nxt_kind, _ = events[index + 1]
            if nxt_kind == "agency" and nxt_pos - _pos <= len("phối hợp") + 2:
                value = "phối hợp với"
        if kind == "agency":
            name = value.agency.name
            if state == "lead_list":
                lead.append(name)
            elif state in ("coord_list", "coord_after"):
                coord.append(name)
            else:
                pending.append(name)
            continue
        role = value
        if role.endswith(":") and "chủ trì" in role:
            state = "lead_list"
        elif role.endswith(":") and "phối hợp" in role:
            state = "coord_list"
        elif role in ("chủ trì", "là đầu mối", "là cơ quan thường trực", "cơ quan thường trực", "chịu trách nhiệm"):
            if role == "chịu trách nhiệm" and not pending:
                continue
            lead.extend(pending)
            pending = []
            state = "after_lead"
        elif role == "là cơ quan":
            continue
        elif role == "phối hợp với":
            if pending:
                lead_or_perf = perform if state == "neutral" else coord
                lead_or_perf.extend(pending)
                pending = []
            state = "coord_after"
        elif role in ("phối hợp", "tham gia"):
            coord.extend(pending)
            pending = []
            if role == "phối hợp" and state in ("after_lead",):
                state = "coord_after"
        elif role == "thực hiện":
            if pending:
                perform.extend(pending)
                pending = []
            if state == "coord_after":
                state = "after_lead"
        elif role in (";",):
            if pending:
                perform.extend(pending)
                pending = []
            state = "neutral" if state not in ("lead_list", "coord_list") else state
        elif role == ":":
            pass
    perform.extend(pending)

    def unique(names: list[str]) -> list[str]:
        return list(dict.fromkeys(names))

    lead_u = unique(lead)
    coord_u = [n for n in unique(coord) if n not in lead_u]
    perform_u = [n for n in unique(perform) if n not in lead_u and n not in coord_u]
    return lead_u, coord_u, perform_u


def _deepest(root: Node, pos: int) -> Node:
    node = root
    while True:
        # Children are in document order: bisect instead of a scan (a plan section can hold thousands).
        i = bisect.bisect_right(_child_starts(node), pos) - 1 if len(node.children) > 8 else None
        if i is None:
            nxt = next((c for c in node.children if c.start <= pos < max(c.end, c.start + 1)), None)
        else:
            nxt = node.children[i] if i >= 0 and pos < max(node.children[i].end, node.children[i].start + 1) else None
        if nxt is None:
            return node
        node = nxt


def _child_starts(node: Node) -> list[int]:
    starts = getattr(node, "_starts", None)
    if starts is None or len(starts) != len(node.children):
        starts = [c.start for c in node.children]
        node._starts = starts  # type: ignore[attr-defined]  # parsed once, read for every clause
    return starts


class _Spans:
    """Clause spans already assigned, sorted by start: overlap and "last end before" queries in
    O(log n + k) instead of a scan of every span (extraction was quadratic in a document's clauses)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.spans: list[tuple[int, int]] = []
        self.longest = 0

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.spans.insert(i, (start, end))
        self.longest = max(self.longest, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return any(s < end and start < e for s, e in self.spans[lo:hi])

    def ends_between(self, low: int, high: int) -> list[int]:
        lo = bisect.bisect_left(self.starts, low - self.longest)
        hi = bisect.bisect_right(self.starts, high)
        return [e for _s, e in self.spans[lo:hi] if low <= e <= high]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    # (a task that follows another's closing "(*… thực hiện*)." on the same line starts after its ")." too)
    while start < end and (text[start].isspace() or text[start] in "-–+•*_).;,"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "*_(:"):
        end -= 1
    return start, end


_PAREN = re.compile(r"\(\s*\*?\s*([^()]{3,400}?)\s*\*?\s*\)")
_SENTENCE = re.compile(
    r"[^.;\n]*?(?:chủ trì|Chủ trì|là đầu mối|cơ quan thường trực|Cơ quan Thường trực|Cơ quan thường trực)[^\n]*?(?:\.(?=\s|$)|\n|$)"
)


_ITEM_KINDS = ("arabic", "dotted", "letter", "dash", "plus")
# A sentence of a law's clause (cut at ". " and line ends; a "a) …;" point is a node of its own).
_SENTENCE_OF_CLAUSE = re.compile(r"[^.\n]+(?:\.(?=\s|$)|$)", re.M)
# What follows a body that is the subject of its own duty: "… cùng cấp có trách nhiệm xác minh", "… phải …".
_OWN_DUTY_AFTER = re.compile(r"(?:\s+(?:cùng cấp|các cấp|có liên quan|đã giải cứu))?\s+(?P<verb>có trách nhiệm|chịu trách nhiệm|phải|"
                             r"đề nghị)\s")
_THEN_BEFORE = re.compile(r"\bthì\s+$")
_ACTS_AFTER = re.compile(r"\s+(?P<verb>cấp|tiếp nhận|chuyển giao|thông báo|xác minh|hỗ trợ|giải quyết|xử lý|tổ chức|đưa|trả lời)\b")
_ITEM_MARKER = re.compile(r"(?P<marker>[ \t*]*(?:\d{1,2}(?:\.\d{1,2})*\s*[.)]|[a-zđ]\s*\)|[-–—•*+])[ \t*]*)"
                          r"(?:(?:Giao|giao|Đề nghị|đề nghị)\s+)?")
# Where a plan's recipients list starts: its dashes name agencies but assign nothing.
_RECIPIENTS = re.compile(r"(?m)^[ \t*]*Nơi nhận\s*:")
_FIRST_SENTENCE_END = re.compile(r"[.;:](?=\s|$)")
# "Điều 47. Trách nhiệm của Bộ Tư pháp", "2. Nhiệm vụ, quyền hạn của Công an tỉnh:": whose duties follow.
_DUTIES_OF = re.compile(r"(?i)^[\W\d]*(?:(?:điều|chương|mục)\s+\w+\s*[.:]?\s*|[ivxlc]+\.\s*|[a-zđ]\)\s*)?"
                        r"(?P<body>(?:trách nhiệm|nhiệm vụ)(?:(?:,| và) (?:quyền hạn|trách nhiệm|nhiệm vụ))? của\s+[^:\n]{3,160}?)\s*:?\s*$")


# "Điều 18. Hội Liên hiệp phụ nữ Việt Nam tham gia phòng ngừa mua bán người": an article whose title makes a body
# its subject; its clauses are that body's part.
_TAKES_PART = re.compile(r"(?i)^\s*điều\s+\w+\s*[.:]?\s*(?P<body>[^:\n]{3,160}?)\s+tham gia\b[^:\n]*$")
# "2. … , Ủy ban nhân dân cấp xã còn có trách nhiệm:": a clause that names its own subject before its items.
# a subject that is a body *of* a named agency: the agency is the one that does the item
_ORGAN_OF = re.compile(r"(?i)(?:cơ quan|đơn vị|lực lượng)(?:\s+(?:có thẩm quyền|chức năng|chuyên môn|chuyên trách))?"
                       r"\s+(?:của|thuộc)\s+")
_OWN_SUBJECT = re.compile(r"(?i)(?:^|,\s*)(?P<subject>[^,:\n]{3,120}?)\s+(?:còn\s+|cũng\s+)?(?:có|chịu)\s+trách nhiệm\s*:")


def extract_duties(doc_id: str, text: str) -> list[Duty]:
    """Every responsibility assignment in a document, with task and clause spans."""
    root = parse_structure(text)
    taken = _Spans()
    duties: list[Duty] = []

    def overlaps(s: int, e: int) -> bool:
        return taken.overlaps(s, e)

    def add(task_span: tuple[int, int], clause_span: tuple[int, int], node: Node, roles=None, section_wide=False) -> None:
        cs, ce = clause_span
        lead, coord, perform = roles or roles_in(text[cs:ce], cs)
        if not (lead or coord or perform):
            return
        ts, te = _strip(text, *task_span)
        if te <= ts:
            ts, te = cs, ce
        path = node.path()
        duties.append(
            Duty(
                doc_id=doc_id,
                section=SEP.join(n.label for n in path),
                heading=SEP.join(n.title for n in path if n.kind not in ("dash", "plus")),
                task=text[ts:te],
                task_start=ts,
                task_end=te,
                clause=text[cs:ce],
                clause_start=cs,
                clause_end=ce,
                lead=tuple(lead),
                coordinating=tuple(coord),
                performers=tuple(perform),
                section_wide=section_wide,
            )
        )
        taken.add(cs, ce)

    # 1. "Cơ quan chủ trì: …" lines (with an optional "Cơ quan phối hợp: …" after them).
    first_phan_cong: dict[int, re.Match | None] = {}
    for node in list(root.descendants()):
        line_end = text.find("\n", node.start)
        line_end = len(text) if line_end < 0 else line_end
        line = text[node.start : line_end]
        m = _CLAUSE_LABEL.match(line)
        if not m or "chủ trì" not in m.group(2).lower():
            continue
        parent = node.parent or root
        siblings = parent.children
        i = bisect.bisect_left(_child_starts(parent), node.start)
        clause_end = line_end
        if i + 1 < len(siblings):
            nxt = siblings[i + 1]
            nxt_end = text.find("\n", nxt.start)
            nxt_end = len(text) if nxt_end < 0 else nxt_end
            if _CLAUSE_LABEL.match(text[nxt.start : nxt_end]) and "phối hợp" in text[nxt.start : nxt_end].lower():
                clause_end = nxt_end
        # The task is the parent's text before "Phân công thực hiện", or the sibling before.
        if parent.kind != "root":
            if id(parent) not in first_phan_cong:  # one search per parent, not one per child
                first_phan_cong[id(parent)] = _PHAN_CONG.search(text, parent.start, parent.end)
            pc = first_phan_cong[id(parent)]
            pc = pc if pc is not None and pc.start() < node.start else None
            task = (parent.start, pc.start() if pc else siblings[0].start)
            owner = parent
        else:
            prev = siblings[i - 1] if i else node
            task = (prev.start, prev.end)
            owner = prev
        add(task, (node.start, clause_end), owner)

    # 1b. "- Phân công thực hiện: Các sở, ban, ngành, Ủy ban nhân dân các xã, phường và đề nghị Viện kiểm sát … thực
    #     hiện theo chức năng …" with no lead named: all it names carry out the section above it (those requested
    #     stay requested: requested_in reads "đề nghị" in the clause).
    for m in _INLINE_PHAN_CONG.finditer(text):
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        if "chủ trì" in text[m.end() : line_end].lower() or overlaps(m.start(), line_end):
            continue
        node = _deepest(root, m.start())
        if node.start >= m.start() - 3:  # the line is an item of its own ("- Phân công …"): its section is above
            node = node.parent or root
        if node.kind == "root":
            continue
        add((node.start, m.start()), _strip(text, m.end(), line_end), node, section_wide=True)

    # 2. "b) Phân công trách nhiệm thực hiện" blocks: each dash line assigns the "a)" content before it.
    for node in list(root.descendants()):
        if node.kind != "letter" or not _PHAN_CONG.search(node.title):
            continue
        parent = node.parent or root
        content = [c for c in parent.children if c.end <= node.start]
        task_span = (content[0].start, content[-1].end) if content else (parent.start, node.start)
        lines = node.children or [node]
        for line in lines:
            if overlaps(line.start, line.end):
                continue
            cs, ce = _strip(text, line.start, line.end)
            if not re.search(r"(?i)chủ trì|thực hiện|cơ quan phối hợp\s*:", text[cs:ce]):
                continue
            # The task is the "a)" content; a clause that narrows it ("… thực hiện nội dung về hỗ
            # trợ nạn nhân") still carries its own words, which topic matching reads too.
            add(task_span, (cs, ce), parent)

    # 3. Parenthetical clauses after a task: "(Công an tỉnh chủ trì, phối hợp … thực hiện)".
    closing_lists: list[tuple[Node, tuple[int, int]]] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        if not re.search(r"(?i)chủ trì|thực hiện|phối hợp|tham gia", inner):
            continue
        cs, ce = m.start(1), m.end(1)
        if overlaps(cs, ce) or not find_agencies(inner):
            continue
        node = _deepest(root, m.start())
        previous = taken.ends_between(node.start, m.start())
        task_start = max([node.start] + previous)
        # the task starts after the previous sentence that ended with its own clause
        add((task_start, m.start()), (cs, ce), node)
        line_start = text.rfind("\n", 0, m.start()) + 1
        if node.kind in ("dash", "plus") and node.parent is not None and not text[line_start : m.start()].strip(" \t*"):
            closing_lists.append((node.parent, (cs, ce)))

    # 4. Sentences: "Giao X chủ trì …", "X chủ trì; Y tham gia.", "Đề nghị X chủ trì", "X là cơ quan chủ trì".
    for m in _SENTENCE.finditer(text):
        cs, ce = _strip(text, m.start(), m.end())
        if overlaps(cs, ce) or not find_agencies(text[cs:ce]):
            continue
        node = _deepest(root, cs)
        clause = text[cs:ce]
        lead, coord, perform = roles_in(clause, cs)
        if not lead and re.match(r"(?i)chủ trì\b", clause):
            # "Chủ trì Đề án 2 và phối hợp …": the subject is the agency that opens the item.
            opening = find_agencies(text[node.start : cs][:200])
            lead = [opening[0].agency.name] if opening else []
            coord = [n for n in coord + perform if n not in lead]
            perform = []
        if not lead:
            continue
        # A bare assignment ("Sở X chủ trì; Sở Y tham gia.") applies to its section's heading.
        rest = clause
        for mention in sorted(find_agencies(clause, cs), key=lambda x: -x.start):
            rest = rest[: mention.start - cs] + rest[mention.end - cs :]
        rest_words = re.findall(r"\w+", re.sub(r"(?i)chủ trì|phối hợp( với)?|tham gia|và|các|giao|đề nghị|thực hiện|là cơ quan", " ", rest))
        if len(rest_words) < 4 or _VAGUE_TASK.search(clause):
            title_end = text.find("\n", node.start)
            task = (node.start, title_end if 0 <= title_end < cs else cs) if node.kind != "root" else (cs, ce)
            if node.kind == "letter" and _PHAN_CONG.search(node.title):
                parent = node.parent or root
                content = [c for c in parent.children if c.end <= node.start]
                task = (content[0].start, content[-1].end) if content else task
        else:
            task = (cs, ce)
        add(task, (cs, ce), node, (lead, coord, perform))

    # 5. An item whose first words name an agency does the whole item: "3. Giao Sở Ngoại vụ phối hợp với
    #    … . <a further task with no subject>.", "8. Ủy ban nhân dân các huyện … chỉ đạo: - … - …",
    #    "- Đề nghị Tòa án nhân dân tỉnh …" (a request, kept as written for the answer to say so).
    recipients = _RECIPIENTS.search(text)
    for node in list(root.descendants()):
        if node.kind not in _ITEM_KINDS or (recipients is not None and node.start >= recipients.start()):
            continue
        line_end = text.find("\n", node.start)
        line_end = node.end if line_end < 0 or line_end > node.end else line_end
        marker = _ITEM_MARKER.match(text, node.start, line_end)
        if marker is None:
            continue
        subject_at = marker.end()
        mentions = find_agencies(text[subject_at : min(line_end, subject_at + 160)], subject_at)
        organ_of = _ORGAN_OF.match(text, subject_at, line_end)
        if organ_of is not None:  # "b) Cơ quan có thẩm quyền của Bộ Công an, Bộ Quốc phòng thực hiện …"
            subject_at = organ_of.end()
        if not mentions or mentions[0].start != subject_at:
            continue
        cs = marker.end("marker")
        stop = _FIRST_SENTENCE_END.search(text, subject_at, min(line_end, subject_at + 400))
        ce = stop.start() + (1 if stop.group(0) == ":" else 0) if stop else min(line_end, subject_at + 400)
        heads_a_list = text[cs:ce].rstrip().endswith(":") and bool(node.children)
        if len(re.findall(r"\w+", text[mentions[0].end : ce])) < 3 and not heads_a_list:
            continue  # a bare name ("- Chủ tịch UBND tỉnh") assigns nothing
        if overlaps(cs, ce):
            _carry_on(duties, text, (cs, ce), node)
            continue
        lead, coord, perform = roles_in(text[cs:ce], cs)
        if not (lead or coord or perform):
            perform = [mentions[0].agency.name]
        add((node.start, node.end), (cs, ce), node, (lead, coord, perform))

    # 6. A parenthesis on a line of its own after a list ("- … \n- … \n(Công an tỉnh, … thực hiện).") closes
    #    the list: it assigns every item of it, not only the last; an item with a clause of its own keeps it,
    #    and only what follows that clause in the item (a further paragraph) takes the closing one.
    for parent, (cs, ce) in closing_lists:
        for item in parent.children:
            if item.kind not in ("dash", "plus") or item.start >= cs:
                continue
            end = min(item.end, cs - 1)
            start = max([item.start] + taken.ends_between(item.start, item.end))  # after the item's own clauses
            start = text.find("\n", start) + 1 if start > item.start else start  # the paragraph after the clause
            if 0 < start < end and len(re.findall(r"\w+", text[start:end])) >= 5:
                add((start, end), (cs, ce), item)

    # 7. A heading that names whose duties follow ("Điều 47. Trách nhiệm của Bộ Tư pháp", "Nhiệm vụ của Công an
    #    tỉnh:"): each clause under it is that body's task; partners it names ("Phối hợp với Bộ Công an …")
    #    coordinate, and "Chủ trì …" makes the body the lead.
    for node in list(root.descendants()):
        title = node.heading(text)
        heading = _DUTIES_OF.match(title) or _TAKES_PART.match(title)
        if heading is None:
            continue
        title_start = text.find(title, node.start)
        title_start = node.start if title_start < 0 else title_start
        cs, ce = title_start + heading.start("body"), title_start + heading.end("body")
        owners = list(dict.fromkeys(m.agency.name for m in find_agencies(text[cs:ce], cs)))
        if not owners:
            continue
        body_start = text.find("\n", title_start) + 1 or node.end
        items = [c for c in node.children if c.kind in _ITEM_KINDS] or [None]
        for item in items:
            start, end = (item.start, item.end) if item is not None else (body_start, node.end)
            if end <= start or len(re.findall(r"\w+", text[start:end])) < 4:
                continue
            if taken.overlaps(start, end):
                continue  # the clause says itself who does it ("2. Viện kiểm sát nhân dân tối cao thực hiện …")
            marker = _ITEM_MARKER.match(text, start, end) if item is not None else None
            first = _FIRST_SENTENCE_END.search(text, marker.end() if marker else start, end)
            sentence_end = first.start() if first else end
            # partners are those it works with ("Phối hợp với Bộ Công an"), not those it directs ("Chỉ đạo lực
            # lượng Bộ đội biên phòng …")
            joint = re.compile(r"(?i)phối hợp(?:\s+với)?").search(text, start, sentence_end)
            partners = [] if joint is None else list(dict.fromkeys(
                m.agency.name for m in find_agencies(text[joint.end() : sentence_end], joint.end())
                if m.agency.name not in owners))
            leads = re.match(r"[\W\d]*(?:[a-zđ]\)\s*)?chủ trì", text[start:end], re.IGNORECASE) is not None
            doers = owners
            own = _OWN_SUBJECT.search(text, start, text.find("\n", start, end) if "\n" in text[start:end] else end)
            if own is not None:  # "… Ủy ban nhân dân cấp xã còn có trách nhiệm:" narrows the heading's body
                named = list(dict.fromkeys(m.agency.name for m in find_agencies(own.group("subject"), own.start("subject"))))
                doers = named or owners
            roles = (doers, partners, []) if leads else ([], partners, doers)
            add((start, end), (cs, ce), item or node, roles)

    # 8. In a law's article, a later sentence with a subject of its own ("… . Cơ quan giải cứu có trách nhiệm cấp giấy
    #    xác nhận nạn nhân …", "Trong thời hạn 20 ngày, …, cơ quan Công an cùng cấp có trách nhiệm xác minh …"): the
    #    task of the body it names, apart from the task of the clause's first subject.
    for node in list(root.descendants()):
        if node.kind not in ("arabic", "letter") or not any(a.kind == "dieu" for a in node.path()):
            continue
        end = node.body_end if node.children else node.end
        for sentence in _SENTENCE_OF_CLAUSE.finditer(text, node.start, end):
            cs, ce = sentence.start(), sentence.end()
            if overlaps(cs, ce):
                continue
            mentions = find_agencies(text[cs:ce], cs)
            for i, mention in enumerate(mentions):
                duty = _OWN_DUTY_AFTER.match(text, mention.end, ce)
                if duty is None and _THEN_BEFORE.search(text, max(cs, mention.start - 6), mention.start):
                    # "Trường hợp có đủ điều kiện … thì cơ quan đã tiến hành xác minh cấp giấy xác nhận nạn nhân": the
                    # body that acts in a condition's consequence
                    duty = _ACTS_AFTER.match(text, mention.end, ce)
                if duty:
                    # ("Phòng … đề nghị cơ quan Công an cùng cấp tiến hành việc xác minh": the body asked does the
                    # work, and is shown as requested — requested_in reads the "đề nghị" before it)
                    asked = [m.agency.name for m in mentions[i + 1 :]] if duty.group("verb") == "đề nghị" else []
                    add((cs, ce), (cs, ce), node, ([], [], list(dict.fromkeys([mention.agency.name, *asked]))))
                    break

    duties.sort(key=lambda d: (d.task_start, d.clause_start))
    return duties


def _carry_on(duties: list[Duty], text: str, clause: tuple[int, int], node: Node) -> None:
    """"2. Công an tỉnh … chịu trách nhiệm theo dõi … . Định kỳ tổng hợp … báo cáo …": the sentences after an item's
    clause have no subject of their own and are the same agency's task; a record of the clause alone is widened to
    them (up to the item's own end, before any items under it)."""
    end = node.body_end if node.children else node.end
    while end > clause[1] and text[end - 1] in " \t\n/*_":
        end -= 1
    # (not over a later sentence that is a task of its own: "… . Chủ trì Đề án 2 và phối hợp …")
    end = min([end] + [d.clause_start for d in duties if clause[0] + 2 < d.clause_start < end]
              + [d.task_start for d in duties if clause[0] + 2 < d.task_start < end])
    while end > clause[1] and text[end - 1] in " \t\n/*_":
        end -= 1
    if len(re.findall(r"\w+", text[clause[1] : end])) < 5:
        return
    for i, duty in enumerate(duties):
        same_clause = abs(duty.clause_start - clause[0]) <= 2 and abs(duty.clause_end - clause[1]) <= 2
        if same_clause and duty.task_start >= clause[0] - 2 and duty.task_end <= clause[1] + 2 and end > duty.task_end:
            duties[i] = replace(duty, task_end=end, task=text[duty.task_start : end])


def english_name(name: str) -> str:
    """The English name of a canonical agency (the Vietnamese name when unknown)."""
    agency = agency_by_name(name)
    return agency.en if agency else name


# Bumped whenever extraction changes, and carrying the gazetteer's digest (an agency added to agencies.json names the
# records of its tasks): an index whose stored records carry another version has them extracted again when it is
# opened (in memory, without re-embedding anything).
TASKS_VERSION = "tasks-v8-" + hashlib.sha256(_gazetteer_bytes()).hexdigest()[:12]


def index_records(documents: Iterable[Any]) -> list[Duty]:
    """The task records of an index: every document's assignments, one record per task (merged).
    Chat, the responsibility matrix and the plan comparison all read these same records."""
    out: list[Duty] = []
    for record in documents:
        out.extend(merge_by_task(extract_duties(record.doc_id, record.text), record.text))
    return out


def all_duties(documents: dict[str, Any]) -> list[Duty]:
    """Responsibility records of every document of an index."""
    out: list[Duty] = []
    for doc_id, record in documents.items():
        out.extend(extract_duties(doc_id, record.text))
    return out



def merge_by_task(records: Sequence[Duty], text: str | None = None) -> list[Duty]:
    """One record per task: clauses that assign the same task (a "b) Phân công" block's lead
    line and its partner line) are combined, keeping the first clause's span and all agencies."""
    from dataclasses import replace

    merged: dict[tuple[str, int, int], Duty] = {}
    order: list[tuple[str, int, int]] = []
    for duty in records:
        key = (duty.doc_id, duty.task_start, duty.task_end)
        if key not in merged:
            merged[key] = duty
            order.append(key)
            continue
        first = merged[key]
        start, end = min(first.clause_start, duty.clause_start), max(first.clause_end, duty.clause_end)

        def union(a: Sequence[str], b: Sequence[str]) -> tuple[str, ...]:
            return tuple(dict.fromkeys([*a, *b]))

        lead = union(first.lead, duty.lead)
        coord = tuple(n for n in union(first.coordinating, duty.coordinating) if n not in lead)
        perf = tuple(n for n in union(first.performers, duty.performers) if n not in lead and n not in coord)
        # With the document's text the clause is its exact span (clause == text[clause_start:clause_end]);
        # without it, both clauses verbatim, joined by an ellipsis.
        clause = text[start:end] if text is not None else f"{first.clause} … {duty.clause}"
        merged[key] = replace(first, clause_start=start, clause_end=end, lead=lead, coordinating=coord,
                              performers=perf, clause=clause)
    return [merged[k] for k in order]
