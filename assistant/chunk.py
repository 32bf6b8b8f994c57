"""Structure-aware chunks: plans (I. / 1. / 2.1. / a) / - / +) and laws (Chương / Mục / Điều / Khoản / Điểm).

A chunk is always one contiguous span of the document's display text, so
`document.text[chunk.start:chunk.end] == chunk.text` and a citation can be checked by
anyone. Whole sections are kept together while they fit; a section that is too long
is split between its children, never inside a numbered item unless that item alone is
too long (then at sentence boundaries).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from .document import trimmed_span, when_label
from .text import continues_over_break

CHUNKER_VERSION = "structure-v5"

SEP = " › "


@dataclass(frozen=True)
class Chunk:
    """A contiguous passage of one document, with where it sits in the document's structure."""

    chunk_id: str
    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str
    section: str  # short path, e.g. "II › 4 › b" or "Chương II › Điều 5 › Khoản 2"
    heading: str  # heading titles along the path, for display and context
    context: str  # "title (year) — heading path": prepended to what is embedded and keyword-indexed
    page: int | None = None

    def to_json(self) -> dict:
        """A plain dict for the chunk table."""
        return {
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "ordinal": self.ordinal,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "section": self.section,
            "heading": self.heading,
            "context": self.context,
            "page": self.page,
        }

    @classmethod
    def from_json(cls, row: dict) -> "Chunk":
        """Inverse of to_json."""
        return cls(**{k: row.get(k) for k in cls.__dataclass_fields__})


# --- markers --------------------------------------------------------------------------
# Rank: smaller = higher in the hierarchy. A marker pops every open node of equal or
# lower rank. Plans and laws share one ladder because their markers do not collide.
_VN_UPPER = "A-ZÀ-ỸĐ"


@dataclass(frozen=True)
class _Marker:
    kind: str
    rank: int
    pattern: re.Pattern


_MARKERS: tuple[_Marker, ...] = (
    # "Nơi nhận:" under the signature: the bodies the document is sent to, not the last section's items
    _Marker("recipients", 0, re.compile(r"^(Nơi nhận)\s*:")),
    _Marker("phan", 0, re.compile(r"^(?:PHẦN|Phần)\s+(?:THỨ\s+|thứ\s+)?([IVXLC]+|\d+|[" + _VN_UPPER + r"a-zà-ỹđ]+)\b")),
    _Marker("chuong", 1, re.compile(r"^(?:CHƯƠNG|Chương)\s+([IVXLC]+|\d+)\b")),
    _Marker("muc", 2, re.compile(r"^(?:MỤC|Mục)\s+(\d+|[IVXLC]+)\s*(?:[.:\-–]|$)")),
    _Marker("roman", 3, re.compile(r"^([IVX]{1,5})\s*[.)/]\s*(?=\S)")),
    _Marker("dieu", 4, re.compile(r"^(?:ĐIỀU|Điều|Ðiều|ÐIỀU)\s+(\d+[a-z]?)\s*[.:]")),
    _Marker("dotted", 6, re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(?=\S)")),
    _Marker("arabic", 5, re.compile(r"^(\d{1,2})\s*[.)]\s+(?=\S)")),
    _Marker("letter", 7, re.compile(r"^([a-zđ])\s*\)\s*(?=\S)")),
    _Marker("dash", 8, re.compile(r"^[-–—•*]\s*(?=\S)")),
    _Marker("plus", 9, re.compile(r"^\+\s*(?=\S)")),
)

_DECORATION = re.compile(r"^[\s*_#>]+")


@dataclass
class Node:
    kind: str
    rank: int
    label: str  # short label: "II", "4", "b", "-2", "Điều 5"
    title: str  # the heading line, shortened
    start: int  # offset of the marker line
    body_end: int  # end of the node's own text (before its first child)
    end: int = 0  # end of the node including descendants
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None

    def heading(self, text: str) -> str:
        """The node's own first line in the document's text, whole: its heading, or the lead-in sentence before its
        items (the title is shortened for display); the root's is the document's first line."""
        return text[self.start : self.body_end].strip().split("\n", 1)[0]

    def descendants(self) -> Iterator["Node"]:
        """Every node below this one, in document order."""
        for child in self.children:
            yield child
            yield from child.descendants()

    def path(self) -> list["Node"]:
        out: list[Node] = []
        node: Node | None = self
        while node is not None and node.kind != "root":
            out.append(node)
            node = node.parent
        return out[::-1]




def _match_marker(line: str, in_law_article: bool) -> tuple[_Marker, str] | None:
    stripped = _DECORATION.sub("", line)
    for marker in _MARKERS:
        m = marker.pattern.match(stripped)
        if m:
            label = m.group(1) if m.groups() else ""
            return marker, label
    return None


def _label(kind: str, raw: str, dash_index: int, law_mode: bool) -> str:
    if kind == "recipients":
        return raw
    if kind == "phan":
        return f"Phần {raw}"
    if kind == "chuong":
        return f"Chương {raw}"
    if kind == "muc":
        return f"Mục {raw}"
    if kind == "dieu":
        return f"Điều {raw}"
    if kind == "arabic" and law_mode:
        return f"Khoản {raw}"
    if kind == "letter" and law_mode:
        return f"Điểm {raw}"
    if kind in ("dash", "plus"):
        return f"{'-' if kind == 'dash' else '+'}{dash_index}"
    return raw


def _lines(text: str) -> Iterable[tuple[int, int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def parse_structure(text: str) -> "Node":
    """Parse the document's numbering into a tree of nodes with character spans."""
    root = Node("root", -1, "", "", 0, 0)
    stack = [root]
    kind_counts: dict[int, dict[str, int]] = {}
    law_mode = bool(re.search(r"^\s*(?:Điều|ĐIỀU|Ðiều)\s+\d+\s*\.", text, re.M)) and bool(
        re.search(r"^\s*(?:Chương|CHƯƠNG)\s+[IVXLC\d]+", text, re.M)
    )
    last_content_end = 0
    for start, end, line in _lines(text):
        if not line.strip():
            continue
        found = _match_marker(line, law_mode)
        if found is None:
            last_content_end = end
            stack[-1].body_end = end if not stack[-1].children else stack[-1].body_end
            continue
        marker, raw = found
        # A numbered line inside a body paragraph run is still a marker; close open nodes.
        while len(stack) > 1 and stack[-1].rank >= marker.rank:
            stack.pop()
        parent = stack[-1]
        counts = kind_counts.setdefault(id(parent), {})  # counted as children arrive: no rescan per child
        same_kind = counts.get(marker.kind, 0)
        counts[marker.kind] = same_kind + 1
        offset = len(line) - len(line.lstrip())
        node = Node(
            kind=marker.kind,
            rank=marker.rank,
            label=_label(marker.kind, raw, same_kind + 1, law_mode),
            title=_shorten(line.strip(), 90),
            start=start + offset,
            body_end=end,
            parent=parent,
        )
        parent.children.append(node)
        stack.append(node)
        last_content_end = end
    _close(root, len(text))
    del last_content_end
    return root


def _close(node: Node, end: int) -> None:
    node.end = end
    for i, child in enumerate(node.children):
        nxt = node.children[i + 1].start if i + 1 < len(node.children) else end
        _close(child, nxt)
    if node.children:
        node.body_end = min(node.body_end, node.children[0].start) if node.kind != "root" else node.children[0].start
    else:
        node.body_end = end


def _shorten(s: str, n: int) -> str:
    s = re.sub(r"\s+", " ", s).strip(" *_")
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


# --- packing --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    node: Node  # the deepest node that contains the whole span
    first: "Node | None" = None  # for a run of siblings: the first and last sibling
    last: "Node | None" = None

    def section_nodes(self) -> tuple[list[Node], str]:
        """Path to the span and, for a run of siblings, the label of the run."""
        path = self.node.path()
        if self.first is None or self.last is None or self.first is self.last:
            if self.first is not None:
                return path + [self.first], ""
            return path, ""
        last = self.last.label.lstrip("-+") if self.last.kind in ("dash", "plus") else self.last.label
        last = last.replace("Điều ", "").replace("Khoản ", "").replace("Điểm ", "")
        return path, f"{self.first.label}–{last}"


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Split an over-long run at paragraph, then sentence, then word boundaries."""
    pieces: list[tuple[int, int]] = []
    cur = start
    while end - cur > max_chars:
        window = text[cur : cur + max_chars]
        cut = -1
        for pat, line_break in ((r"\n\s*\n", True), (r"\n", True), (r"[.;!?…](?=\s)", False), (r"[,:](?=\s)", False),
                                (r"\s", False)):
            # (a page break inside a sentence is no paragraph's end)
            hits = [m.end() for m in re.finditer(pat, window) if m.end() > max_chars // 3 and not (
                line_break and continues_over_break(text[max(0, cur + m.start() - 3) : cur + m.start()],
                                                    text[cur + m.end() : cur + m.end() + 3]))]
            if hits:
                cut = hits[-1]
                break
        if cut <= 0:
            cut = max_chars
        s, e = trimmed_span(text, cur, cur + cut)
        if e > s:
            pieces.append((s, e))
        cur += cut
    s, e = trimmed_span(text, cur, end)
    if e > s:
        pieces.append((s, e))
    return pieces


def _pack(node: Node, text: str, max_chars: int, out: list[_Span]) -> None:
    s, e = trimmed_span(text, node.start, node.end)
    if e <= s:
        return
    if e - s <= max_chars or not node.children:
        if e - s <= max_chars:
            out.append(_Span(s, e, node))
        else:
            out.extend(_Span(a, b, node) for a, b in _split_long(text, s, e, max_chars))
        return
    # Too long: the node's own text (heading and intro) opens the first group, then
    # consecutive children are packed greedily; a child that alone is too long recurses.
    group_start, group_end = trimmed_span(text, node.start, node.body_end)
    group_nodes: list[Node] = []
    has_group = group_end > group_start
    group_has_own = has_group  # a group holding the node's own heading is labelled by the node

    def flush() -> None:
        nonlocal has_group, group_nodes, group_has_own
        if has_group:
            first = group_nodes[0] if group_nodes else None
            last = group_nodes[-1] if group_nodes else None
            if group_has_own and first is last:
                first = last = None  # "3. heading" + its only child "a)": label it "3"
            if group_end - group_start > max_chars:
                out.extend(_Span(a, b, node, first, last) for a, b in _split_long(text, group_start, group_end, max_chars))
            else:
                out.append(_Span(group_start, group_end, node, first, last))
        has_group = False
        group_has_own = False
        group_nodes = []

    for child in node.children:
        cs, ce = trimmed_span(text, child.start, child.end)
        if ce <= cs:
            continue
        if ce - cs > max_chars:
            flush()
            _pack(child, text, max_chars, out)
            continue
        if has_group and ce - group_start <= max_chars:
            group_end = ce
            group_nodes.append(child)
        else:
            flush()
            group_start, group_end, has_group, group_nodes = cs, ce, True, [child]
    flush()


def _is_heading(span: _Span, text: str) -> bool:
    node = span.first if span.first is not None and span.first is span.last else span.node
    return bool(node.children) and node.children[0].start >= span.end - 1


def _merge_small(spans: list[_Span], text: str, min_chars: int, max_chars: int) -> list[_Span]:
    """Glue a tiny span (a bare heading such as "I. MỤC TIÊU") onto the span after it."""
    out: list[_Span] = []
    pending: _Span | None = None
    for span in spans:
        is_tail = span.end - span.start < min_chars and not _is_heading(span, text)
        if is_tail and pending is None and out and not text[out[-1].end : span.start].strip() \
                and span.end - out[-1].start <= max_chars + min_chars:
            prev = out.pop()  # a short last item ("g) ...") belongs with the items before it
            out.append(_Span(prev.start, span.end, prev.node, prev.first, span.first or prev.last))
            continue
        if pending is not None:
            gap = text[pending.end : span.start]
            if not gap.strip() and span.end - pending.start <= max_chars + min_chars:
                span = _joined(pending, span, text)
            else:
                out.append(pending)
            pending = None
        if span.end - span.start < min_chars:
            pending = span
            continue
        out.append(span)
    if pending is not None:
        if out and not text[out[-1].end : pending.start].strip() and pending.end - out[-1].start <= max_chars + min_chars:
            prev = out.pop()
            out.append(_Span(prev.start, pending.end, prev.node, prev.first, prev.last))
        else:
            out.append(pending)
    return out


def _joined(pending: _Span, span: _Span, text: str) -> _Span:
    """`pending` glued onto `span`: a bare heading takes the span's path; a complete small
    item ("Điều 61. …") makes the pair a run of siblings under their common ancestor."""
    if _is_heading(pending, text):
        return _Span(pending.start, span.end, span.node, span.first, span.last)
    a = pending.first if pending.first is not None and pending.first is pending.last else pending.node
    b = span.node
    a_path, b_path = a.path(), b.path()
    common = 0
    while common < min(len(a_path), len(b_path)) and a_path[common] is b_path[common]:
        common += 1
    if common == len(a_path) or common == len(b_path):  # one contains the other: keep the span's labels
        return _Span(pending.start, span.end, span.node, span.first, span.last)
    ancestor = a_path[common - 1] if common else a_path[0].parent
    return _Span(pending.start, span.end, ancestor, a_path[common], b_path[common])


def _page_of(offset: int, pages: Sequence) -> int | None:
    for page in pages:
        if page.start <= offset < max(page.end, page.start + 1):
            return page.number
    return None


def chunk_document(doc, max_chars: int = 1100, min_chars: int = 120) -> list[Chunk]:
    """Cut one loaded document into structure-aware chunks with exact character spans."""
    text = doc.text
    root = parse_structure(text)
    spans: list[_Span] = []
    _pack(root, text, max_chars, spans)
    spans = _merge_small(spans, text, min_chars, max_chars)
    title = doc.title or doc.doc_id
    when = when_label(doc.year, doc.period)
    doc_label = f"{title} ({when})" if when else title
    chunks: list[Chunk] = []
    for ordinal, span in enumerate(spans):
        path, run = span.section_nodes()
        section = SEP.join([n.label for n in path] + ([run] if run else []))
        heading = SEP.join(n.title for n in path if n.kind not in ("dash", "plus"))
        context = doc_label + (f" — {heading}" if heading else "")
        chunk_text = text[span.start : span.end]
        digest = hashlib.sha256(f"{doc.doc_id}\x00{span.start}\x00{chunk_text}".encode()).hexdigest()[:16]
        chunks.append(
            Chunk(
                chunk_id=digest,
                doc_id=doc.doc_id,
                ordinal=ordinal,
                start=span.start,
                end=span.end,
                text=chunk_text,
                section=section,
                heading=heading,
                context=_shorten(context, 300),
                page=_page_of(span.start, getattr(doc, "pages", ()) or ()),
            )
        )
    return chunks
