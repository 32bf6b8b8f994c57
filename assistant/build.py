"""Build or update the index (assemble.py: load → chunk → embed only what changed) and write it atomically to the
index folder, or to the PostgreSQL store when one is set; open it again."""
from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from .assemble import (  # re-exported: what an index depends on and holds is asked of build by its callers
    BuildReport,
    Progress,
    assemble_index,
    chunk_terms,
    digest_or_empty,
    embedding_text,
    fingerprint,
    ocr_options,
)
from .config import Settings
from .embed import Embedder
from .errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from .load import is_skipped
from .ocr import PageOCR
from .pgstore import build_generation, open_generation, open_or_build as open_or_build_store
from .store import IndexStore, index_lock, live_dir, read_manifest, verify_files, write_index

__all__ = ["BuildReport", "assemble_index", "build_index", "chunk_terms", "embedding_text", "fingerprint", "index_status",
           "ocr_options", "open_index", "open_or_build"]

log = logging.getLogger(__name__)



def _candidate_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not is_skipped(p, folder))


def index_status(settings: Settings) -> tuple[bool, str]:
    """(up_to_date, reason) comparing the documents folder with the index manifest."""
    try:
        manifest = read_manifest(settings.index_dir)
    except IndexMissingError:
        return False, "no index yet"
    except IndexCorruptError as exc:
        return False, str(exc)
    fp = fingerprint(settings)
    for key in ("embedding_model", "chunker", "keyword", "format_version"):
        if manifest.get(key) != fp[key]:
            return False, f"{key} changed"
    # OCR that became available (or changed) reads scanned pages anew; an index built with OCR
    # elsewhere is not rebuilt without it on a machine that lacks Tesseract.
    if fp["ocr"] != "off" and manifest.get("ocr") != fp["ocr"]:
        return False, "OCR became available or changed"
    files = _candidate_files(settings.documents_dir)
    seen = manifest.get("seen_files") or {}
    if {str(p) for p in files} != set(seen):
        return False, "documents added, removed or renamed"
    for path in files:
        if digest_or_empty(path) != seen[str(path)]:
            return False, f"{path.name} changed"
    return True, "up to date"


def build_index(
    settings: Settings,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
    ocr: PageOCR | None = None,
) -> BuildReport:
    """Index settings.documents_dir into settings.index_dir (or the PostgreSQL store when settings.store is
    set), re-embedding only changed chunks.

    ``ocr`` replaces the page reader made from the settings (a benchmark shares its cache).
    """
    if settings.store:
        return build_generation(settings, embedder, progress, rebuild=rebuild, ocr=ocr)
    fp = fingerprint(settings)
    with index_lock(settings.index_dir):
        cache = {} if rebuild else _previous_vectors(settings, fp)
        report, parts = assemble_index(settings, embedder, progress, cache, ocr)
        write_index(settings.index_dir, **parts)
    report.seconds = time.perf_counter() - report.seconds
    return report


def _previous_vectors(settings: Settings, fp: dict) -> dict[str, np.ndarray]:
    """Vectors of the previous index by content key, when it was built with the same model."""
    try:
        path = live_dir(settings.index_dir)
        manifest = read_manifest(settings.index_dir)
        if manifest.get("embedding_model") != fp["embedding_model"]:
            return {}
        # A damaged vector must not be copied silently into the new index.
        verify_files(path, manifest, names=("content_keys.txt", "embeddings.npy"))
        keys = (path / "content_keys.txt").read_text(encoding="utf-8").split("\n")
        vectors = np.load(path / "embeddings.npy", allow_pickle=False)
    except (IndexMissingError, IndexCorruptError, IndexMismatchError, OSError, ValueError) as exc:
        log.info("not reusing the previous vectors: %s", exc)
        return {}
    if len(keys) != len(vectors):
        return {}
    cache = {k: vectors[i] for i, k in enumerate(keys)}
    try:  # the span vectors too (spans.py), when the previous index has them
        if (path / "spans.npy").is_file() and "span_keys.txt" in manifest.get("files", {}):
            verify_files(path, manifest, names=("span_keys.txt", "spans.npy"))
            span_keys = (path / "span_keys.txt").read_text(encoding="utf-8").split("\n")
            spans = np.load(path / "spans.npy", allow_pickle=False)
            if len(span_keys) == len(spans):
                cache.update((k, spans[i]) for i, k in enumerate(span_keys))
    except (IndexCorruptError, OSError, ValueError) as exc:
        log.info("not reusing the previous span vectors: %s", exc)
    return cache


def open_index(settings: Settings):
    """The live index of these settings: the folder's IndexStore, or the PostgreSQL store's current generation."""
    if settings.store:
        return open_generation(settings)
    return IndexStore.open(settings.index_dir, fingerprint(settings))


def open_or_build(
    settings: Settings, embedder: Embedder | None = None, progress: Progress | None = None
) -> IndexStore:
    """Open the index, building or updating it first when it is missing or stale."""
    if settings.store:
        return open_or_build_store(settings, embedder, progress)
    fresh, _reason = index_status(settings)
    if not fresh:
        try:
            manifest = read_manifest(settings.index_dir)
        except (IndexMissingError, IndexCorruptError):
            manifest = None
        if manifest is not None and manifest.get("embedding_model") != fingerprint(settings)["embedding_model"]:
            # Never replace an index built with another model behind the user's back.
            raise IndexMismatchError(
                f"The index in {settings.index_dir} was built with the embedding model "
                f"{manifest.get('embedding_model')!r}, not {fingerprint(settings)['embedding_model']!r}. "
                "Rebuild it with: assistant index --rebuild (or point --index at another folder)"
            )
        build_index(settings, embedder, progress)
    return IndexStore.open(settings.index_dir, fingerprint(settings))
