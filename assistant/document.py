"""One document, from the loader to the index to a citation: display text, pages and what it is.

Usage::

    doc = load_document("documents/ninh-binh-2024-ke-hoach-22-KH-BCD.txt")
    doc.when            # "2024" (or "2026-2030" for a plan with a period, "" when neither is known)
    doc.years           # (2024,): every year the document speaks for, for year filters
    doc.particular("signer")   # ("PHÓ TRƯỞNG BAN\\n…", start, end), found once when it was loaded

Every citation span indexes into ``Document.text`` (the display text). A document read back from an
index keeps its text on disk until it is used (``Document.stored``); everything else is in memory.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple

__all__ = ["Page", "Document", "period_years", "when_label", "find_particular", "line_span", "PARTICULARS", "BYLINE"]

# The particulars a document states in its header or signature block, found once when it is loaded
# (find_particular) and stored with the index, so a question about one only looks it up.
PARTICULARS = ("number", "date", "signer")

_YEAR = re.compile(r"(?:19|20)\d\d")


class Page(NamedTuple):
    """Page ``number`` (1-based) covers ``text[start:end]`` of its document."""

    number: int
    start: int
    end: int


def period_years(period: str | None) -> tuple[int, ...]:
    """The years a period names: "2026-2030" → 2026…2030, "2024" → (2024,), None → ()."""
    found = [int(y) for y in _YEAR.findall(period or "")]
    if len(found) >= 2:
        return tuple(range(min(found), max(found) + 1))
    return tuple(found)


def when_label(year: int | None, period: str | None) -> str:
    """How a document's time is shown: its period ("2026-2030"), else its year ("2024"), else ""."""
    return str(period) if period else (str(year) if year else "")


@dataclass(frozen=True)
class Document:
    """One document: display text, where its pages are, what it is, and the particulars its header states.

    ``particulars`` maps "number", "date" and "signer" to the (line, start, end) that states each one in
    ``text`` (None when the document does not state it); it is None only for a document made by hand,
    whose particulars are then found in its text when asked for.
    """

    doc_id: str
    path: str
    title: str
    text: str = field(repr=False)  # no default: a stored document's text is read on first use (__getattr__)
    sha256: str
    kind: str = ""
    number: str | None = None
    issuer: str | None = None
    province: str | None = None
    date: str | None = None
    year: int | None = None
    period: str | None = None
    pages: tuple[Page, ...] = ()
    warnings: tuple[str, ...] = ()
    encoding: str = ""
    ocr_pages: tuple[int, ...] = ()  # pages whose text was read by OCR (the viewer says so)
    particulars: Mapping[str, tuple[str, int, int] | None] | None = field(default=None, repr=False, hash=False)

    def __post_init__(self) -> None:
        # Rows read back from JSON carry lists: the same tuples a freshly loaded document has.
        set_ = object.__setattr__
        set_(self, "path", str(self.path))
        set_(self, "kind", self.kind or "")
        set_(self, "encoding", self.encoding or "")
        set_(self, "pages", tuple(p if isinstance(p, Page) else Page(*(int(x) for x in tuple(p)[:3])) for p in self.pages or ()))
        set_(self, "warnings", tuple(self.warnings or ()))
        set_(self, "ocr_pages", tuple(int(p) for p in self.ocr_pages or ()))
        if self.particulars is not None:
            set_(self, "particulars", {k: (tuple(v) if v else None) for k, v in self.particulars.items()})

    @classmethod
    def stored(cls, texts: Callable[[int, int], str], text_at: Any, **meta: Any) -> "Document":
        """A document of an opened index: metadata in memory, text read by ``texts(*text_at)`` when used."""
        doc = cls(text="", **meta)
        del doc.__dict__["text"]  # so that reading .text reaches __getattr__
        object.__setattr__(doc, "_text_at", (texts, int(text_at[0]), int(text_at[1])))
        return doc

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not in __dict__: the text of a stored document.
        source = self.__dict__.get("_text_at") if name == "text" else None
        if source is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        texts, offset, length = source
        return texts(offset, length)

    def meta(self) -> dict:
        """What the document is, as plain JSON values (`assistant documents --json`, /api/documents)."""
        return {
            "doc_id": self.doc_id, "path": self.path, "title": self.title, "sha256": self.sha256,
            "kind": self.kind, "number": self.number, "issuer": self.issuer, "province": self.province,
            "date": self.date, "year": self.year, "period": self.period,
            "pages": [list(p) for p in self.pages], "warnings": list(self.warnings), "encoding": self.encoding,
            "ocr_pages": list(self.ocr_pages),
        }

    def row(self) -> dict:
        """Everything but the text: a row of the index's document table (meta and particulars)."""
        return dict(self.meta(), particulars=self.all_particulars())

    def to_json(self) -> dict:
        """A plain dict, text included."""
        return dict(self.row(), text=self.text)

    # --- when ---------------------------------------------------------------------------------
    @property
    def when(self) -> str:
        """"2026-2030" (its period), else "2024" (its year), else ""."""
        return when_label(self.year, self.period)

    @property
    def years(self) -> tuple[int, ...]:
        """Every year the document speaks for, ascending: its year and each year of its period."""
        span = set(period_years(self.period))
        if self.year:
            span.add(int(self.year))
        return tuple(sorted(span))

    # --- names --------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """'title (year or period)' for citations."""
        return f"{self.title} ({self.when})" if self.when else self.title

    @property
    def short_label(self) -> str:
        """A compact name for answer lines: "Kế hoạch 22/KH-BCĐ, Ninh Bình (2024)", "Kế hoạch Ninh Bình (2026-2030)"."""
        kind = (self.kind or "").strip().capitalize()
        when = self.when
        if kind.lower() == "văn bản" and not self.number:
            kind = ""  # the loader's default kind alone ("Văn bản") names nothing: the title does
        head = " ".join(x for x in (kind, self.number or "") if x) or _shorten(self.title, 90)
        # "Kế hoạch 22/KH-BCĐ, Ninh Bình (2024)"; without a number "Kế hoạch Ninh Bình (2026-2030)", not "Kế hoạch, …"
        where = (f", {self.province}" if self.number or head != kind else f" {self.province}") if self.province else ""
        return f"{head}{where}" + (f" ({when})" if when else "")

    # --- particulars --------------------------------------------------------------------------
    def particular(self, kind: str) -> tuple[str, int, int] | None:
        """(line, start, end) in ``text`` that states the document's number, date or signer; None if it does not."""
        if kind not in PARTICULARS:
            raise ValueError(f"{kind!r} is not one of {PARTICULARS}")
        if self.particulars is not None and kind in self.particulars:
            return self.particulars[kind]
        return find_particular(kind, self.text)  # a document made by hand: read its text now

    def all_particulars(self) -> dict[str, list | None]:
        """{kind: [line, start, end] or None} for every particular (stored with the index)."""
        return {kind: (list(found) if (found := self.particular(kind)) else None) for kind in PARTICULARS}

# Where a Vietnamese administrative document states its particulars (metadata.py answers the other ones).
_NUMBER_LINE = re.compile(r"(?im)^[ \t*]*(?:(?:Luật|LUẬT|Bộ luật|Nghị định|Nghị quyết|Quyết định|Kế hoạch)\s+)?(Số|SỐ|số|Số hiệu)"
                          r"\s*:?[^\n]{0,40}$")  # "Số: 22 /KH-BCĐ", "Luật số: 66/2011/QH12"
_DATE_LINE = re.compile(r"(?i)[^\n]{0,40}ngày\s*(\d{1,2}|\.{2,}|…)?\s*tháng\s+\d{1,2}\s+năm\s+\d{4}[^\n]{0,10}")
# "Ninh Bình, ngày 05 tháng 02 năm 2024": the place-and-date line of a header comes first,
# so a law cited in the preamble ("Căn cứ Luật … ngày 26 tháng 11 năm 2003") is not taken for it.
_PLACE_DATE = re.compile(r"(?m)^[ \t*]*[^\W\d][^\n,]{1,40},\s*ngày\s*(\d{1,2}|\.{2,}|…)?\s*tháng\s+\d{1,2}\s+năm\s+\d{4}")
_ATTACHED = re.compile(r"(?i)\(?\s*Ban hành kèm theo[^\n]{0,200}")
BYLINE = re.compile(r"(?m)^[^\n]{0,60}\b\d{1,2}:\d{2},\s*\d{1,2}/\d{1,2}/\d{4}[^\n]*$")
_SIGN_TITLE = re.compile(r"(?m)^[ \t*]*(KT\.|TM\.|Q\.)?[ \t]*(PHÓ[ \t]+)?(CHỦ TỊCH|TRƯỞNG BAN|GIÁM ĐỐC|PHÓ TRƯỞNG BAN)[^\n]*$")


def issued(doc: Document) -> tuple:
    """Sort key, oldest first: the year a document was issued (its year, else the first year of its period)."""
    if doc.year:
        return (int(doc.year), doc.doc_id)
    return (doc.years[0] if doc.years else 0, doc.doc_id)


def find_particular(kind: str, text: str) -> tuple[str, int, int] | None:
    """(quoted line, start, end) in a document's text that states its number, date or signer, or None.

    Run once when a document is loaded (document.Document.particulars); questions look the result up.
    """
    head = text[:3000]
    if kind == "number":
        m = _NUMBER_LINE.search(head) or _ATTACHED.search(head)
        return (m.group(0).strip(), *line_span(text, m)) if m else None
    if kind == "date":
        for pattern in (_PLACE_DATE, _ATTACHED, BYLINE, _DATE_LINE):
            m = pattern.search(head)
            if m:
                return m.group(0).strip(), *line_span(text, m)
        return None
    if kind == "signer":
        tail_start = max(0, len(text) - 1500)
        m = None
        for m in _SIGN_TITLE.finditer(text, tail_start):
            pass
        if m is None:
            return None
        # the name is the next non-empty line after the title
        rest = text[m.end() :].lstrip("\n")
        name_line = rest.split("\n", 1)[0].strip()
        if not name_line or len(name_line) > 60:
            return None
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" \t*")))
        end = text.find(name_line, m.end()) + len(name_line)
        return text[start:end], start, end
    raise ValueError(f"{kind!r} is not a particular found at load (number, date, signer)")


def line_span(text: str, m: re.Match) -> tuple[int, int]:
    """The span of a match without the white space at its ends."""
    return trimmed_span(text, m.start(), m.end())


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the white space at its ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _shorten(text: str, limit: int) -> str:
    """Cut a long title at a word boundary, marking the cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"
