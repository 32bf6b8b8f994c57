"""Assemble an index's contents from a documents folder: load → chunk → embed (reusing vectors by content) →
keyword terms, restore table and task records. Both stores write what this assembles: the folder
(build.py → store.write_index) and PostgreSQL (pgstore.build_generation), so they hold the same bytes."""
from __future__ import annotations

import hashlib
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from .chunk import CHUNKER_VERSION, Chunk, chunk_document
from .config import Settings
from .diacritics import build_restore_table
from .duties import TASKS_VERSION, index_records
from .embed import Embedder, model_identity
from .load import load_folder
from .ocr import OcrOptions, PageOCR, ocr_identity
from .spans import span_table
from .store import FORMAT_VERSION, KEYWORD_VERSION, file_digest
from .text import keyword_terms, normalize_for_matching

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def digest_or_empty(path: Path) -> str:
    """The SHA-256 of a file, or "" when it cannot be read."""
    # A file that vanished or cannot be read is reported by the loader; it must not stop the run.
    try:
        return file_digest(path)
    except OSError:
        return ""


def fingerprint(settings: Settings) -> dict:
    """What an index depends on: a loaded index must match these or be rebuilt."""
    return {
        "format_version": FORMAT_VERSION,
        "embedding_model": model_identity(settings),
        "chunker": {
            "version": CHUNKER_VERSION,
            "max_chars": settings.chunk_max_chars,
            "min_chars": min(settings.chunk_min_chars, settings.chunk_max_chars // 4),
        },
        "keyword": KEYWORD_VERSION,
        "exact_index_max": settings.exact_index_max,
        # Installing Tesseract (or changing its settings) makes scanned files readable: index again.
        "ocr": ocr_identity(ocr_options(settings)) if settings.ocr else "off",
    }


def ocr_options(settings: Settings) -> OcrOptions:
    """The OCR settings of an indexing run: pages cached under cache_dir/ocr."""
    return OcrOptions(cache_dir=Path(settings.cache_dir) / "ocr", language=settings.ocr_language, dpi=settings.ocr_dpi,
                      max_pages=settings.ocr_max_pages)


def embedding_text(chunk: Chunk) -> str:
    """What is embedded for a chunk: its context header, then its normalised text."""
    return f"{chunk.context}\n{normalize_for_matching(chunk.text)}"


def chunk_terms(chunk: Chunk) -> list[str]:
    """Keyword terms of a chunk: accented and diacritic-folded, header included."""
    text = f"{chunk.context}\n{chunk.text}"
    return keyword_terms(text) + ["~" + t for t in keyword_terms(text, folded=True)]


@dataclass
class BuildReport:
    """What an indexing run did."""

    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    reused: int = 0
    problems: list[dict] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    embed_seconds: float = 0.0
    ocr_pages: int = 0  # pages read by Tesseract in this run (cached pages not counted)
    ocr_seconds: float = 0.0


def assemble_index(
    settings: Settings,
    embedder: Embedder | None,
    progress: Progress | None,
    cache: dict[str, np.ndarray],
    ocr: PageOCR | None = None,
) -> tuple[BuildReport, dict]:
    """Load, chunk and embed settings.documents_dir (vectors in `cache`, by content key, are reused):
    the report (its `seconds` holds the start time) and the keyword arguments of store.write_index."""
    t0 = time.perf_counter()
    report = BuildReport()
    embedder = embedder or Embedder(settings)
    fp = fingerprint(settings)
    if ocr is None and settings.ocr:
        ocr = PageOCR(ocr_options(settings))
    loaded, problems = load_folder(settings.documents_dir, progress=_stage(progress, "load"), ocr=ocr)
    if ocr is not None:
        report.ocr_pages, report.ocr_seconds = ocr.pages_read, ocr.seconds
    seen_files: dict[str, str] = {}
    for doc in loaded:
        seen_files[str(doc.path)] = doc.sha256
    problem_rows = []
    for problem in problems:
        digest = digest_or_empty(Path(problem.path)) if Path(problem.path).is_file() else ""
        problem_rows.append({"path": str(problem.path), "reason": problem.reason, "sha256": digest})
        # Recorded even when empty, so index_status does not call an unchanged bad file "added".
        seen_files[str(problem.path)] = digest
    documents = list(loaded)
    chunks: list[Chunk] = []
    for done, doc in enumerate(loaded, 1):
        doc_chunks = chunk_document(doc, settings.chunk_max_chars, fp["chunker"]["min_chars"])
        if not doc_chunks:
            problem_rows.append({"path": str(doc.path), "reason": "no text to index", "sha256": doc.sha256})
        chunks.extend(doc_chunks)
        if doc.warnings:
            report.warnings[doc.doc_id] = list(doc.warnings)
        if progress:
            progress("chunk", done, len(loaded))
    texts = [embedding_text(c) for c in chunks]
    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    # Sentence spans of each chunk (spans.py), embedded like the chunks and in the same pass.
    span_texts, span_chunks = span_table([c.text for c in chunks])
    span_keys = [hashlib.sha256(("span\x00" + t).encode("utf-8")).hexdigest() for t in span_texts]
    all_texts, all_keys = texts + span_texts, keys + span_keys
    # Each distinct text is embedded once: boilerplate repeated across chunks costs one vector.
    first: dict[str, int] = {}
    for i, k in enumerate(all_keys):
        if k not in cache:
            first.setdefault(k, i)
    todo = list(first.values())
    dim = embedder.dimension if (todo or not cache) else next(iter(cache.values())).shape[0]
    t_embed = time.perf_counter()
    if todo:
        fresh = embedder.encode_documents([all_texts[i] for i in todo], progress=_stage(progress, "embed"))
        cache.update({all_keys[i]: fresh[row] for row, i in enumerate(todo)})
    vectors = np.zeros((len(chunks), dim), dtype=np.float32)
    for i, k in enumerate(keys):
        vectors[i] = cache[k]
    span_vectors = np.zeros((len(span_texts), dim), dtype=np.float32)
    for i, k in enumerate(span_keys):
        span_vectors[i] = cache[k]
    report.embed_seconds = time.perf_counter() - t_embed
    del span_texts, all_texts
    del texts, cache  # a second copy of every chunk's text: free it before the keyword terms
    term_lists = []
    for i, c in enumerate(chunks, 1):
        # Interned: the same few thousand words recur in every chunk, and one shared string
        # per word instead of one per occurrence cut peak memory ~2x on a 50 MB file.
        term_lists.append([sys.intern(t) for t in chunk_terms(c)])
        if progress and (i % 1000 == 0 or i == len(chunks)):
            progress("keywords", i, len(chunks))
    restore = build_restore_table(piece for d in documents for piece in _line_pieces(d.text))
    fp_full = dict(fp, seen_files=seen_files, problems=problem_rows)
    parts = dict(
        documents=documents,
        chunks=chunks,
        embeddings=vectors,
        term_lists=term_lists,
        restore_table=restore,
        problems=problem_rows,
        settings_fingerprint=fp_full,
        content_keys=keys,
        span_vectors=span_vectors,
        span_chunks=span_chunks,
        span_keys=span_keys,
        # Extracted here, once, not on the first "who leads" question (duties.py).
        tasks={"version": TASKS_VERSION, "records": [d.to_json() for d in index_records(documents)]},
    )
    report.documents = len(documents)
    report.chunks = len(chunks)
    report.embedded = sum(1 for i in todo if i < len(chunks))
    report.reused = len(chunks) - report.embedded
    report.problems = problem_rows
    report.seconds = t0
    return report, parts


def _line_pieces(text: str, size: int = 1 << 20) -> Iterator[str]:
    """`text` in pieces of about `size` characters cut after a newline (the restore table reads
    line by line, so the table is the same while a 50 MB document is never copied whole)."""
    start = 0
    while start < len(text):
        cut = text.find("\n", start + size)
        end = len(text) if cut < 0 else cut + 1
        yield text[start:end]
        start = end


def _stage(progress: Progress | None, name: str):
    if progress is None:
        return None
    return lambda done, total: progress(name, done, total)
