"""Generation through the configured LLM (llm.py): the deterministic answer's citations, topped up to
five sources, are the only sources; the reply is validated while it streams (llm.ReplyGuard), and any
failure falls back to the deterministic answer."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Sequence

from ..errors import LLMError
from .types import Answer, Citation, cited_numbers, drop_invalid_markers, refuses

if TYPE_CHECKING:
    from .compose import Composer

log = logging.getLogger(__name__)


def llm_passages(composer: "Composer", base: Answer) -> tuple[list[tuple[int, str, str, str]], list[Citation]]:
    # Returned, not kept on composer: one Composer serves concurrent questions.
    hits = composer.retriever.search(base.resolved_question or base.question, 4)
    seen = {(c.doc_id, c.start, c.end) for c in base.citations}
    passages = [(c.n, c.title, c.section, c.text) for c in base.citations]
    sources = list(base.citations)
    for h in hits:
        if len(passages) >= 5:
            break
        key = (h.chunk.doc_id, h.chunk.start, h.chunk.end)
        if key in seen:
            continue
        n = len(passages) + 1
        cite = composer.citation(n, h)
        sources.append(cite)
        passages.append((n, cite.title, cite.section, cite.text))
        seen.add(key)
    return passages, sources

def finish_llm(composer: "Composer", base: Answer, text: str, sources: list[Citation], dropped: Sequence[int] = ()) -> Answer:
    from ..llm import uncited_sentences

    valid = {c.n for c in sources}
    cleaned, more = drop_invalid_markers(text, valid)
    dropped = [*dropped, *more]
    used = cited_numbers(cleaned)
    if not used or not cleaned.strip():
        notice = ("The language model's answer cited no valid source; the deterministic answer is shown."
                  if base.language == "en" else "Câu trả lời của mô hình ngôn ngữ không dẫn nguồn hợp lệ; hiển thị câu trả lời trích dẫn trực tiếp.")
        return Answer(**{**base.__dict__, "notice": notice})
    if refuses(cleaned):
        return Answer(**{**base.__dict__, "notice": ""})
    cites = tuple(c for c in sources if c.n in used)
    notice = ""
    if dropped:
        notice = (f"Removed citation markers to sources that were not given: {sorted(set(dropped))}."
                  if base.language == "en" else f"Đã bỏ các số nguồn không tồn tại: {sorted(set(dropped))}.")
    return Answer(base.question, cleaned.strip(), True, cites, base.language, base.intent, base.resolved_question,
                  base.scope, notice=notice, flagged=tuple(uncited_sentences(cleaned)))

def with_llm(composer: "Composer", base: Answer) -> Answer:
    final = None
    for piece in stream_llm(composer, base):
        if isinstance(piece, Answer):
            final = piece
    return final or base

def stream_llm(composer: "Composer", base: Answer):
    from ..llm import ReplyGuard

    passages, sources = llm_passages(composer, base)
    guard = ReplyGuard(c.n for c in sources)  # shows only validated text, see llm.ReplyGuard
    try:
        for piece in composer.generator.stream(base.resolved_question or base.question, passages, base.language):
            shown = guard.feed(piece)
            if shown:
                yield shown
        shown = guard.close()
        if shown:
            yield shown
        final = finish_llm(composer, base, guard.text, sources, guard.dropped)
    except LLMError as exc:  # endpoint down or too slow; configuration errors are raised
        log.warning("LLM failed, falling back to the deterministic answer: %s", exc)
        notice = ("The language model is unavailable; the answer below is quoted directly from the documents."
                  if base.language == "en" else "Mô hình ngôn ngữ không phản hồi; câu trả lời dưới đây trích trực tiếp từ văn bản.")
        final = Answer(**{**base.__dict__, "notice": notice})
    if final.text != guard.shown:
        # The reply was not accepted (no valid citation, a refusal, a failure): stream its replacement.
        yield ("\n\n" if guard.shown else "") + (final.notice + "\n\n" if final.notice else "") + final.text
    yield final


