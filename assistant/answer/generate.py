"""Generation through the configured LLM (llm.py): the deterministic answer's citations, topped up to
five sources, are the only sources; the reply is validated while it streams (llm.ReplyGuard), and any
failure falls back to the deterministic answer."""
from __future__ import annotations

import logging
import queue
import re
import threading
import time
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from ..duties import find_agencies
from ..errors import LLMError
from ..llm import ReplyGuard, uncited_sentences
from ..text import normalize_for_matching
from .types import Answer, Citation, cited_numbers, drop_invalid_markers, refuses

if TYPE_CHECKING:
    from .context import Context

log = logging.getLogger(__name__)


def llm_passages(composer: "Context", base: Answer) -> tuple[list[tuple[int, str, str, str]], list[Citation]]:
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

def finish_llm(composer: "Context", base: Answer, text: str, sources: list[Citation], dropped: Sequence[int] = ()) -> Answer:

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
    kept, unsupported = check_support(cleaned, {c.n: c.text for c in sources})
    if unsupported and not cited_numbers(kept):
        notice = ("The language model's answer states what its sources do not; the deterministic answer is shown."
                  if base.language == "en" else "Câu trả lời của mô hình ngôn ngữ nêu điều mà nguồn không có; hiển thị câu trả lời trích dẫn trực tiếp.")
        return Answer(**{**base.__dict__, "notice": notice, "flagged": tuple(unsupported)})
    used = cited_numbers(kept)
    cites = tuple(c for c in sources if c.n in used)
    notices = []
    if dropped:
        notices.append(f"Removed citation markers to sources that were not given: {sorted(set(dropped))}."
                       if base.language == "en" else f"Đã bỏ các số nguồn không tồn tại: {sorted(set(dropped))}.")
    if unsupported:
        notices.append(f"Removed {len(unsupported)} sentence(s) whose figures or agencies are not in the source they cite."
                       if base.language == "en" else
                       f"Đã bỏ {len(unsupported)} câu có con số hoặc cơ quan không có trong nguồn được dẫn.")
    return Answer(base.question, kept.strip(), True, cites, base.language, base.intent, base.resolved_question,
                  base.scope, notice=" ".join(notices), flagged=tuple([*unsupported, *uncited_sentences(kept)]), generated=True)


# --- a generated sentence must be supported by the passage it cites -------------------------------
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_FIGURE = re.compile(r"\d[\d.,]*")
_BODY = re.compile(r"\b(?:Bộ|Sở|Cục|Viện|Tòa án|Trung tâm|Ủy ban|Hội|Ban|Đài|Báo)\s+[A-ZĐÀ-Ỹ][^\s,.;:()]*")


def _figures(text: str) -> set[str]:
    return {re.sub(r"[.,]", "", f.rstrip(".,")) for f in _FIGURE.findall(text)}


def check_support(text: str, sources: dict[int, str]) -> tuple[str, list[str]]:
    """(the text without unsupported sentences, those sentences). A cited sentence is supported when every
    figure (numbers, amounts, dates, account numbers) and every agency it names occurs in a passage it cites:
    a marker alone ("… pay 5 million VND to account 123 [1]") proves nothing."""
    kept: list[str] = []
    unsupported: list[str] = []
    for sentence in (p for p in _SENTENCE.split(text) if p.strip()):
        numbers = [n for n in cited_numbers(sentence) if n in sources]
        if not numbers:
            kept.append(sentence)  # uncited sentences are flagged elsewhere, not judged here
            continue
        cited = normalize_for_matching(" ".join(sources[n] for n in numbers))
        claim = normalize_for_matching(re.sub(r"\[[\d\s,–-]+\]", " ", sentence))
        figures_ok = _figures(claim) <= _figures(cited)
        agencies_ok = {m.agency.name for m in find_agencies(claim)} <= {m.agency.name for m in find_agencies(cited)}
        # Bodies the gazetteer does not know ("Bộ Quốc phòng") by their head and first name word.
        heads = {h.casefold() for h in _BODY.findall(claim)}
        agencies_ok = agencies_ok and all(h in cited.casefold() for h in heads)
        (kept if figures_ok and agencies_ok else unsupported).append(sentence)
    return " ".join(kept), unsupported

def with_llm(composer: "Context", base: Answer) -> Answer:
    final = None
    for piece in stream_llm(composer, base):
        if isinstance(piece, Answer):
            final = piece
    return final or base

def stream_llm(composer: "Context", base: Answer):

    passages, sources = llm_passages(composer, base)
    guard = ReplyGuard(c.n for c in sources)  # shows only validated text, see llm.ReplyGuard
    try:
        question = base.resolved_question or base.question
        pieces = bounded(lambda: composer.generator.stream(question, passages, base.language),
                         composer.settings.llm_timeout, base.language)
        for piece in pieces:
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


def bounded(stream: Callable[[], Iterator[str]], seconds: float, language: str = "vi") -> Iterator[str]:
    """The pieces of a stream, but never for longer than `seconds` in all: a slow endpoint that sends a
    token every second never times out a single read, and would otherwise hold the answer (and a server
    thread) as long as it likes. Raises LLMError at the deadline; the producer stops at its next piece."""
    box: queue.Queue = queue.Queue()
    stop = threading.Event()

    def produce() -> None:
        try:
            for piece in stream():
                if stop.is_set():
                    return
                box.put(("piece", piece))
            box.put(("end", None))
        except BaseException as exc:  # handed to the consumer, which raises it in its own thread
            box.put(("error", exc))

    threading.Thread(target=produce, name="llm-stream", daemon=True).start()
    deadline = time.monotonic() + seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise queue.Empty
                kind, value = box.get(timeout=remaining)
            except queue.Empty:
                raise LLMError(f"The language model did not finish its answer within {seconds:g} s.") from None
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
