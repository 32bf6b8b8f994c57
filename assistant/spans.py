"""Sentence-level vectors: each chunk is also embedded as short spans of one or two sentences.

A chunk of ~1,100 characters mixes several topics, and its single vector is an average of them: a question
about one sentence (above all an English question over Vietnamese text, where no keyword helps) can rank
the chunk below others whose whole is closer. The retriever scores a chunk by its own cosine and the best
cosine of its spans (retrieve.Retriever._dense, settings.span_scoring).

Stored beside embeddings.npy as spans.npy (float32 [n_spans, dim]) and span_chunks.npy (int32 [n_spans],
the chunk row of each span, ascending). An index without them searches with the chunk vectors alone.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .text import continues_over_break, normalize_for_matching

SPAN_MIN_CHARS = 80  # a shorter sentence ("1. Mục đích") is joined to the next one
SPAN_MAX_CHARS = 400  # a longer sentence is its own span (the model reads up to 512 tokens)

# A sentence ends at a line break, or at . ! ? ; followed by space and what starts a sentence or list item.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"“(\-–+•*0-9A-ZĐÀ-Ỹa-z]\)?)")


def sentences(text: str) -> list[str]:
    """The sentences of a chunk's text (lines first, then sentence ends inside a line), stripped."""
    lines: list[str] = []
    for line in text.split("\n"):
        if lines and line.strip() and continues_over_break(lines[-1].rstrip()[-3:], line.lstrip()[:3]):
            lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"  # a sentence a page break cut in two
        elif line.strip() or not lines:
            lines.append(line)
    out = []
    for line in lines:
        for piece in _SENTENCE_END.split(line):
            piece = piece.strip()
            if piece:
                out.append(piece)
    return out


def chunk_spans(text: str, min_chars: int = SPAN_MIN_CHARS, max_chars: int = SPAN_MAX_CHARS) -> list[str]:
    """Spans of one or two sentences (a short sentence is joined to the next; more only while all are short).

    A chunk that is a single span has none: its own vector already is that span's.
    """
    spans: list[str] = []
    current: list[str] = []
    for sentence in sentences(text):
        if current and (sum(len(s) for s in current) >= min_chars
                        or sum(len(s) for s in current) + len(sentence) > max_chars):
            spans.append(" ".join(current))
            current = []
        current.append(sentence)
    if current:
        if spans and sum(len(s) for s in current) < min_chars // 2:
            spans[-1] = f"{spans[-1]} {' '.join(current)}"  # a dangling scrap joins the span before it
        else:
            spans.append(" ".join(current))
    return spans if len(spans) > 1 else []


def span_table(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """(span texts to embed, chunk row of each) for chunk texts in row order."""
    spans: list[str] = []
    rows: list[int] = []
    for row, text in enumerate(texts):
        for span in chunk_spans(text):
            spans.append(normalize_for_matching(span))
            rows.append(row)
    return spans, np.asarray(rows, dtype=np.int32)


def combine(chunk: np.ndarray, best_span: np.ndarray, scoring: str, span_weight: float) -> np.ndarray:
    """A chunk's dense score from its own cosine and its best span's (best_span == chunk when it has none).

    "max": the better of the two; "mix": (1 - w)·chunk + w·best span; "off": the chunk's cosine.
    """
    if scoring == "max":
        return np.maximum(chunk, best_span)
    if scoring == "mix":
        return (1.0 - span_weight) * chunk + span_weight * best_span
    return chunk


def best_span_scores(q: np.ndarray, rows: np.ndarray, chunk_scores: np.ndarray, spans: np.ndarray,
                     span_chunks: np.ndarray) -> np.ndarray:
    """The best span cosine of each chunk row in `rows` (ascending), its own cosine where it has no span."""
    best = np.array(chunk_scores, dtype=np.float32, copy=True)
    if rows.size == 0 or span_chunks.size == 0:
        return best
    lo = np.searchsorted(span_chunks, rows, side="left")
    hi = np.searchsorted(span_chunks, rows, side="right")
    has = hi > lo
    if not has.any():
        return best
    if rows.size * 4 >= span_chunks.size:  # most rows: one product over every span
        sel = np.arange(span_chunks.size)
    else:
        sel = np.concatenate([np.arange(a, b) for a, b in zip(lo[has], hi[has])])
    scores = np.asarray(spans[sel], dtype=np.float32) @ q
    owner = np.searchsorted(rows, span_chunks[sel])  # position of each span's chunk in `rows`
    valid = (owner < rows.size) & (rows[np.minimum(owner, rows.size - 1)] == span_chunks[sel])
    span_best = np.full(rows.size, -np.inf, dtype=np.float32)
    np.maximum.at(span_best, owner[valid], scores[valid])
    return np.where(has, span_best, best)
