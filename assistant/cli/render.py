"""Terminal rendering: passages, answers and their sources as plain text."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..document import when_label

if TYPE_CHECKING:
    from ..answer import Answer
    from ..assistant import Assistant
    from ..retrieve import Hit


def render_hits(bot: Assistant, hits: Sequence[Hit]) -> str:
    """Passages for a terminal."""
    if not hits:
        return "Không tìm thấy đoạn nào / no passages found."
    out = []
    for h in hits:
        doc = bot.store.documents.get(h.chunk.doc_id)
        label = doc.label if doc else h.chunk.doc_id
        out.append(f"[{h.rank}] {label} — {h.chunk.section or '(mở đầu)'}  (score {h.score:.4f})")
        out.append("    " + h.chunk.text.strip().replace("\n", "\n    "))
        out.append("")
    return "\n".join(out)


def render_answer(answer: Answer) -> str:
    """An answer and its sources for a terminal."""
    out = [f"({answer.notice})"] if answer.notice else []
    out += [answer.text, "", render_details(answer)]
    return "\n".join(out)


def render_details(answer: Answer) -> str:
    """What follows an answer's text: uncited sentences of an LLM answer, then the sources."""
    out = []
    if getattr(answer, "flagged", ()):
        out.append("Câu không có nguồn, cần kiểm tra / sentences without a source, check them:")
        out.extend(f"  ! {sentence}" for sentence in answer.flagged)
    cites = answer.citations if answer.found else answer.related
    if cites:
        out.append("Nguồn / sources:" if answer.found else "Đoạn liên quan / related passages:")
    for c in cites:
        when = when_label(c.year, c.period)
        page = f", tr. {c.page}" if c.page else ""
        out.append(f"  [{c.n}] {c.title}{f' ({when})' if when else ''} — {c.section or '(mở đầu)'}{page} [{c.start}:{c.end}]")
    return "\n".join(out)
