"""PDF page texts made to read like the document: running headers, footers and page numbers
removed, words hyphenated or split across lines and pages joined again.

Used on text layers (pypdf) and on OCR output alike::

    text, spans = join_pages(remove_running_lines(page_texts))

A running line is found by repetition, not by a list of strings: a line at the top or bottom
of a page whose shape (digits ignored, case and accents folded) recurs there on at least
half of the pages is the header, the footer or the page number.
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.text import fold

__all__ = ["remove_running_lines", "join_broken_words", "join_pages", "RUNNING_ZONE"]

# Lines looked at on each end of a page: a header or footer is rarely more than two lines deep.
RUNNING_ZONE = 2
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[^\w#]+")


def _shape(line: str) -> str:
    """What stays the same from page to page: "Trang 3/12" and "Trang 4/12" share "trang # #"."""
    return _NOT_WORD.sub(" ", _DIGITS.sub("#", fold(line))).strip()


def _zones(lines: list[str]) -> list[int]:
    """Indexes of the non-empty lines at the top and the bottom of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    # A page of two or three lines has one line at each end, not the whole page in its zones.
    depth = max(1, min(RUNNING_ZONE, len(filled) // 2))
    return sorted(set(filled[:depth] + filled[-depth:]))


def remove_running_lines(pages: list[str]) -> list[str]:
    """Drop the header, footer and page-number lines that repeat on at least half of the pages."""
    split = [page.split("\n") for page in pages]
    with_text = sum(1 for page in pages if page.strip())
    if with_text < 2:
        return list(pages)
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_shape(lines[i]) for i in _zones(lines)})
    # Two pages of two are enough; in longer documents the first page often has its own header.
    needed = max(2, (with_text + 1) // 2)
    running = {shape for shape, n in counts.items() if n >= needed and shape}
    out = []
    for lines in split:
        drop = {i for i in _zones(lines) if _shape(lines[i]) in running}
        out.append("\n".join(line for i, line in enumerate(lines) if i not in drop).strip())
    return out


# A word cut at the end of a line: letters, then a hyphen (or a soft hyphen) glued to them.
_HYPHEN_END = re.compile(r"(\w)[-\u00ad]$")
_LOWER_START = re.compile(r"^[^\W\d_]")


def _joins_with_hyphen(line: str, following: str) -> str | None:
    """How ``line`` meets ``following`` when it ends in a hyphen: "" (a cut word), "-" (a compound), or None."""
    if not _HYPHEN_END.search(line) or not following:
        return None
    if line.endswith("\u00ad"):
        return ""  # a soft hyphen is only ever a line-end break
    if _LOWER_START.match(following) and following[0].islower():
        return ""  # "reinte-" + "gration": one word cut by the line end
    if _LOWER_START.match(following) or following[0].isdigit():
        return "-"  # "Bà Rịa-" + "Vũng Tàu", "2026-" + "2030": a real hyphen, kept
    return None


# What opens a list item or a heading: a line starting so is never the tail of a wrapped line.
_STARTS_ITEM = re.compile(
    r"^(?:[IVXLC]{1,5}\s*[.)/]\s|\d{1,2}(?:\.\d{1,2})*\s*[.)]\s|[a-zđ]\s*\)\s|[-–—•+*]\s|"
    r"(?:Điều|ĐIỀU|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)\s+[0-9IVXLC]+)"
)


def join_broken_words(page: str) -> str:
    """Join words hyphenated across line ends inside one page, and lines the page's width wrapped.

    A PDF's text layer keeps each printed line: a paragraph comes out cut every 80-odd characters, and a
    cut line that starts with "1." or "a)" would open a list item or a heading that is not there (the
    structure chunker and the task records read lines). A line is joined to the one before when that one
    runs to about the page's full width, does not end a sentence before a capital, and this one opens no
    item; short lines (headings, signatures, "Nơi nhận:") stay lines."""
    lines = page.split("\n")
    lengths = sorted(len(line.strip()) for line in lines if len(line.strip()) >= 20)
    full = lengths[int(0.9 * (len(lengths) - 1))] if len(lengths) >= 4 else 0
    out: list[str] = []
    wide = False  # whether the line before ran to the page's width
    for line in lines:
        stripped = line.strip()
        if out:
            glue = _joins_with_hyphen(out[-1].rstrip(), line.lstrip())
            if glue is not None:
                out[-1] = out[-1].rstrip()[:-1] + glue + line.lstrip()
                continue
            previous = out[-1].rstrip()
            if (wide and stripped and previous and not _STARTS_ITEM.match(stripped)
                    and not (re.search(r"[.;:!?…]$", previous) and stripped[:1].isupper())):
                out[-1] = f"{previous} {stripped}"
                wide = full > 0 and len(stripped) >= 0.8 * full
                continue
        out.append(line)
        wide = full > 0 and len(stripped) >= 0.8 * full
    return "\n".join(out)


_SENTENCE_END = re.compile(r"[.:;!?…)\]\"”]$")


def _page_separator(before: str, after: str) -> tuple[str, int]:
    """How page N's end meets page N+1's start: (separator, characters dropped from before's end)."""
    if not before or not after:
        return "\n\n", 0  # a blank page stays a page of its own
    glue = _joins_with_hyphen(before, after)
    if glue == "":
        return "", 1  # "reinte-" | "gration": the hyphen goes, the word is whole again
    if glue == "-":
        return "", 0  # "Bà Rịa-" | "Vũng Tàu"
    if not _SENTENCE_END.search(before) and after[0].islower():
        return " ", 0  # a sentence running on to the next page: one paragraph
    return "\n\n", 0


def join_pages(pages: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join page texts into one text and give each page's (start, end) in it.

    Pages are separated by a blank line, except where a sentence or a word runs on to the next
    page; then they are joined by a space, or by nothing (the cut word's hyphen removed).
    """
    texts = [join_broken_words(p).strip() for p in pages]
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for i, page in enumerate(texts):
        if i:
            separator, drop = _page_separator(texts[i - 1], page)
            if drop:  # the hyphen of a word cut by the page break
                parts[-1] = parts[-1][:-drop]
                offset -= drop
                spans[-1] = (spans[-1][0], spans[-1][1] - drop)
            parts.append(separator)
            offset += len(separator)
        spans.append((offset, offset + len(page)))
        parts.append(page)
        offset += len(page)
    return "".join(parts), spans
