"""Export a conversation (questions, answers, citations with their passages) as Markdown or DOCX handouts.

Usage::

    Path("hoi-dap.md").write_text(to_markdown(answers), encoding="utf-8")
    to_docx(answers, "hoi-dap.docx")
"""
from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Sequence

from ..document import when_label
from ..text import printable

_LABELS = {
    "vi": {
        "title": "Hỏi đáp về phòng, chống mua bán người",
        "made": "Xuất ngày",
        "note": "Câu trả lời trích dẫn nguyên văn từ các văn bản đã lập chỉ mục, trừ khi ghi là do mô hình ngôn ngữ viết; "
                "số trong ngoặc [n] chỉ nguồn.",
        "generated": "Do mô hình ngôn ngữ viết (không phải trích nguyên văn): đối chiếu với các nguồn bên dưới.",
        "question": "Câu hỏi",
        "answer": "Trả lời",
        "sources": "Nguồn",
        "related": "Đoạn liên quan",
        "section": "mục",
        "page": "tr.",
        "intro": "(phần mở đầu)",
    },
    "en": {
        "title": "Questions and answers on preventing human trafficking",
        "made": "Exported on",
        "note": "Answers quote the indexed documents verbatim unless marked as written by a language model; "
                "numbers in brackets [n] point to the sources.",
        "generated": "Written by a language model (not quoted verbatim): check it against the sources below.",
        "question": "Question",
        "answer": "Answer",
        "sources": "Sources",
        "related": "Related passages",
        "section": "section",
        "page": "p.",
        "intro": "(preamble)",
    },
}


def _labels(language: str) -> dict[str, str]:
    return _LABELS.get(language, _LABELS["vi"])


def _where(c, L: dict[str, str]) -> str:
    """'title (period) — section, page' for one citation."""
    when = when_label(c.year, c.period)
    head = f"{c.title} ({when})" if when else c.title
    parts = [f"{L['section']} {c.section}" if c.section else L["intro"]]
    if c.page:
        parts.append(f"{L['page']} {c.page}")
    return f"{head} — {', '.join(parts)}"


def _sources(answer) -> tuple[str, Sequence]:
    return ("sources", answer.citations) if answer.found else ("related", answer.related)


def to_markdown(answers: Sequence, language: str = "vi") -> str:
    """The conversation as Markdown: each question, its answer, then its sources quoted."""
    L = _labels(language)
    out = [f"# {L['title']}", "", f"_{L['made']} {time.strftime('%d/%m/%Y %H:%M')}. {L['note']}_", ""]
    for i, a in enumerate(answers, 1):
        out += [f"## {i}. {_md_safe(_md_escape_line(a.question))}", "", f"**{L['answer']}:**", ""]
        if a.notice:
            out += [f"> {_md_safe(a.notice)}", ""]
        if getattr(a, "generated", False):
            out += [f"_{L['generated']}_", ""]
        out += [_md_safe(a.text.strip()), ""]
        block = sources_markdown(a, language)
        if block:
            out += [block, ""]
    return printable("\n".join(out)).rstrip() + "\n"


def generated_note(language: str = "vi") -> str:
    """The label every rendering puts on an answer written by the language model."""
    return _labels(language)["generated"]


def sources_markdown(answer, language: str = "vi", heading: str = "") -> str:
    """The answer's sources (its citations, or the related passages of an answer not found) as a Markdown list:
    "- [n] title (period) — section, page" with the passage quoted below; "" when there are none."""
    L = _labels(language)
    key, cites = _sources(answer)
    if not cites:
        return ""
    lines = [f"**{heading or L[key]}:**", ""]
    for c in cites:
        lines.append(f"- [{c.n}] {_md_safe(_where(c, L))}")
        lines.append(f"  > {_md_safe(' '.join(c.text.split()))}")
    return "\n".join(lines)


# Link targets a Markdown viewer would run or open as a page: [x](javascript:…), [x]: data:…
_UNSAFE_LINK = re.compile(r"(\]\(\s*|^\s*\[[^\]]*\]:\s*)(javascript|vbscript|data|file)\s*:", re.I | re.M)


def _md_safe(text: str) -> str:
    """Text from a document, a question or an LLM as inert Markdown: raw HTML shown as text, no script links."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _UNSAFE_LINK.sub(lambda m: f"{m.group(1)}#{m.group(2).lower()}-removed:", text)


def _md_escape_line(text: str) -> str:
    # Headings are one line; a question with newlines or a leading '#' must not break the structure.
    return " ".join(text.split()).lstrip("#").strip()


def to_docx(answers: Sequence, path: str | Path, language: str = "vi") -> Path:
    """Write the conversation as a DOCX handout (python-docx) and return its path."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Pt, RGBColor

    L = _labels(language)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"  # the font of Vietnamese administrative documents
    style.font.size = Pt(13)
    doc.add_heading(L["title"], level=0)
    p = doc.add_paragraph()
    run = p.add_run(f"{L['made']} {time.strftime('%d/%m/%Y %H:%M')}. {L['note']}")
    run.italic = True
    run.font.size = Pt(11)
    for i, a in enumerate(answers, 1):
        # Every string passes printable(): python-docx refuses control characters, and one in a question or a
        # passage would otherwise make every later export of the conversation fail.
        doc.add_heading(printable(f"{i}. {L['question']}: {' '.join(a.question.split())}"), level=1)
        if a.notice:
            doc.add_paragraph(printable(a.notice)).runs[0].italic = True
        if getattr(a, "generated", False):
            doc.add_paragraph(L["generated"]).runs[0].italic = True
        for line in printable(a.text).strip().splitlines():
            if line.strip():
                doc.add_paragraph(line.strip())
        key, cites = _sources(a)
        if not cites:
            continue
        doc.add_heading(L[key], level=2)
        for c in cites:
            head = doc.add_paragraph()
            r = head.add_run(printable(f"[{c.n}] {_where(c, L)}"))
            r.bold = True
            r.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)
            quote = doc.add_paragraph(style="Quote") if "Quote" in [s.name for s in doc.styles] else doc.add_paragraph()
            for segment, marked in segments(c):
                run = quote.add_run(printable(segment))
                if marked:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def segments(c) -> list[tuple[str, bool]]:
    """The citation text cut into (piece, highlighted) by its absolute highlight spans."""
    spans = sorted((max(s, c.start) - c.start, min(e, c.end) - c.start) for s, e in (c.highlights or ()) if e > s)
    out: list[tuple[str, bool]] = []
    pos = 0
    for s, e in spans:
        if e <= pos:
            continue
        s = max(s, pos)
        if s > pos:
            out.append((c.text[pos:s], False))
        out.append((c.text[s:e], True))
        pos = e
    if pos < len(c.text):
        out.append((c.text[pos:], False))
    return out
