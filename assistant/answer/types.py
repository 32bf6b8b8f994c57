"""The values an answer is made of (the [n] markers they carry are parsed in citations.py)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..citations import cited_numbers, drop_invalid_markers  # noqa: F401  ([n] markers, parsed in citations.py)
from ..document import issued  # noqa: F401  (how answers order documents, newest first or last)
from ..text import continues_over_break, fold

if TYPE_CHECKING:
    from ..document import Document


@dataclass(frozen=True)
class Citation:
    """A numbered source: the exact span of a document an answer rests on."""

    n: int
    doc_id: str
    title: str
    section: str
    text: str
    start: int
    end: int
    year: int | None = None
    period: str | None = None
    page: int | None = None
    highlights: tuple[tuple[int, int], ...] = ()  # absolute spans of the quoted words inside [start, end)

    def to_json(self) -> dict:
        """The `ask --json` citation contract (exactly these keys)."""
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Answer:
    """What `ask` returns: the answer text with [n] markers, whether evidence was found, citations."""

    question: str
    text: str
    found: bool
    citations: tuple[Citation, ...] = ()
    language: str = "vi"
    intent: str = "fact"
    resolved_question: str = ""  # the question after follow-up resolution
    scope: dict = field(default_factory=dict)  # province/year/doc filters inferred from the question
    related: tuple[Citation, ...] = ()  # closest passages offered when found=False
    notice: str = ""  # e.g. "LLM unavailable, deterministic answer shown"
    flagged: tuple[str, ...] = ()  # sentences of an LLM answer without a valid citation
    generated: bool = False  # written by the language model (not quoted): exports and the page say so

    def to_json(self) -> dict:
        """The `ask --json` contract."""
        return {
            "question": self.question,
            "answer": self.text,
            "found": self.found,
            "citations": [c.to_json() for c in self.citations],
        }


# --- sentences with spans ------------------------------------------------------------------
# A sentence ends at . ; ! ? … before a capital or digit, but not after an abbreviation
# such as "TP." (thành phố), "ĐT." (điện thoại) or "TS." that Vietnamese addresses use.
_SENTENCE_END = re.compile(r"(?<![\s(][A-ZĐ]\.)(?<![\s(][A-ZĐ][A-ZĐa-zđ]\.)(?<=[.;!?…])\s+(?=[\"“(*]?[A-ZÀ-ỸĐ0-9(])|\n+")


def sentences(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    """Split a passage into sentences/bullets with absolute spans."""
    out = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if "\n" in m.group() and continues_over_break(text[max(0, m.start() - 3) : m.start()], text[m.end() : m.end() + 3]):
            continue  # a sentence broken by a page break runs on
        piece = text[pos : m.start()]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            s = pos + lead
            e = m.start() - (len(piece) - len(piece.rstrip()))
            out.append((offset + s, offset + e, text[s:e]))
        pos = m.end()
    piece = text[pos:]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        s = pos + lead
        e = len(text) - (len(piece) - len(piece.rstrip()))
        out.append((offset + s, offset + e, text[s:e]))
    return out


def refuses(text: str) -> bool:
    folded = fold(text)
    return "khong chua cau tra loi" in folded or "do not contain an answer" in folded


QUOTE_LIMIT = 600  # characters of a quote shown before it is cut


def clean_quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A passage on one line, cut at `limit` characters (a list's items and a task's sentences are quoted
    with a larger limit: what was asked may be in their last sentence)."""
    text = re.sub(r"\s*\n\s*", " ", text).strip()
    text = text.strip("*_ ")
    if len(text) <= limit + limit // 6:
        return text  # a tail shorter than a line is quoted, not cut off ("… tố tụng hình…" for "… tố tụng hình sự.")
    cut = text[: limit - 3]
    return (cut[: cut.rfind(" ")] if " " in cut[-25:] else cut).rstrip(" ,;:") + "…"  # at a word's end


def according_to(label: str, where: str, language: str) -> str:
    """"According to <document>, <section>" (or "Theo …"): how a quote is introduced."""
    lead = f"According to {label}" if language == "en" else f"Theo {label}"
    return f"{lead}, {where}" if where else lead


def not_found(language: str) -> str:
    if language == "en":
        return "The documents do not contain an answer to this question."
    return "Các tài liệu hiện có không chứa câu trả lời cho câu hỏi này."


# --- section references as officials write them -----------------------------------------------
def official_section(section: str, language: str = "vi") -> str:
    """"II › 4 › -3" → "mục II.4, gạch đầu dòng 3"; "Chương II › Điều 150 › 2 › đ" → "điểm đ khoản 2 Điều 150".

    The stored path keeps every level (the UI and exports show it); answers name the place the way a
    plan or a law is cited in an official letter."""
    parts = [p.strip() for p in (section or "").split("›") if p.strip()]
    if not parts:
        return ""
    article = next((i for i, p in enumerate(parts) if re.match(r"(?i)^điều\s+\d", p)), None)
    if article is not None:
        number = re.sub(r"(?i)^điều\s+", "", parts[article])
        below = [re.sub(r"(?i)^(khoản|điểm)\s+", "", p) for p in parts[article + 1 :]]
        clause = next((p for p in below if re.fullmatch(r"\d+[a-z]?", p)), None)
        point = next((p for p in below if re.fullmatch(r"[a-zđ]", p)), None)
        if language == "en":
            return f"Article {number}" + (f"({clause})" if clause else "") + (f"({point})" if point else "")
        out = f"Điều {number}"
        if clause:
            out = f"khoản {clause} {out}"
        if point:
            out = f"điểm {point} {out}"
        return out
    if re.match(r"(?i)^chương\s+\w+$", parts[0]):
        # a law's chapter and section ("Chương 4 › Mục 1"): cited as the law names them, not as "mục Chương 4.Mục 1"
        chapter, section = parts[0].split()[1], next((p.split()[1] for p in parts[1:2] if re.match(r"(?i)^mục\s+\w+$", p)), "")
        if language == "en":
            return f"Chapter {chapter}" + (f", Section {section}" if section else "")
        return (f"Mục {section} " if section else "") + f"Chương {chapter}"
    numbered = [p for p in parts if not p.startswith(("-", "+"))]
    bullets = [p for p in parts if p.startswith(("-", "+"))]
    head = ".".join(numbered)
    tail = ""
    if bullets:
        last = bullets[-1]
        n = last[1:]
        if language == "en":
            tail = f", bullet {n}"
        else:
            tail = f", gạch đầu dòng {n}" if last.startswith("-") else f", ý {n}"
    if not head:
        return tail.lstrip(", ")
    if head == "Nơi nhận":  # the distribution list under the signature
        return ("the distribution list (Nơi nhận)" if language == "en" else "phần Nơi nhận") + tail
    return (f"section {head}" if language == "en" else f"mục {head}") + tail


# --- documents named in the answer's language --------------------------------------------------
_KIND_EN = {"kế hoạch": "plan", "quyết định": "decision", "bài báo": "article", "luật": "law", "bộ luật": "code",
            "nghị định": "decree", "chỉ thị": "directive", "thông tư": "circular", "nghị quyết": "resolution"}


def latin(text: str) -> str:
    """Place names as English text writes them: "Bà Rịa - Vũng Tàu" → "Ba Ria - Vung Tau"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def document_label(doc: Document, language: str) -> str:
    """How an answer names a document: "Kế hoạch 22/KH-BCĐ, Ninh Bình (2024)" / "the Ninh Binh 2024 plan 22/KH-BCĐ"."""
    if language != "en":
        return doc.short_label
    kind = _KIND_EN.get((doc.kind or "").strip().lower(), "document")
    when = doc.when
    if not doc.province:
        return doc.short_label  # a law or an untitled text: its own (Vietnamese) name
    number = f" {doc.number}" if doc.number else ""
    return f"the {latin(doc.province)} {when} {kind}{number}".replace("  ", " ")
