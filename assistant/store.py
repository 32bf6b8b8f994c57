"""The on-disk index: a plain directory of FAISS vectors, a keyword index, tables and a manifest.

Layout (no pickles anywhere; every file is listed with its sha256 in manifest.json)::

    index/
      manifest.json      model, dimension, chunker and keyword settings, documents, checksums
      documents.jsonl    one document a line: metadata, display text, pages, warnings
      chunks.jsonl       one chunk a line (Chunk.to_json)
      embeddings.npy     float32 [n_chunks, dim], the vectors FAISS was built from (reused by re-indexing)
      dense.faiss        FAISS index (exact inner product, or HNSW for large collections)
      keyword/           bm25s index over accented + diacritic-folded terms
      restore.json       folded → accented word table, for questions typed without diacritics
      problems.json      files that could not be indexed, and why
      content_keys.txt   sha256 of each chunk's embedded text (re-indexing reuses unchanged vectors)

Writes go to a sibling temporary directory which is renamed into place, so a crash
never leaves a half-written index; the previous index stays loadable until the swap.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .chunk import CHUNKER_VERSION, Chunk
from .errors import IndexCorruptError, IndexLockedError, IndexMismatchError, IndexMissingError

# 2: the manifest carries a checksum of itself, so a hand edit is caught like a damaged file.
FORMAT_VERSION = 2
KEYWORD_VERSION = "uni+bi+folded-v1"
MANIFEST = "manifest.json"
REBUILD = "rebuild with: assistant index --rebuild"

log = logging.getLogger(__name__)


@dataclass
class DocumentRecord:
    """What the index keeps about one document (metadata, display text, pages, warnings)."""

    doc_id: str
    path: str
    title: str
    text: str
    sha256: str
    kind: str = ""
    number: str | None = None
    issuer: str | None = None
    province: str | None = None
    date: str | None = None
    year: int | None = None
    period: str | None = None
    pages: list[list[int]] = field(default_factory=list)  # [number, start, end]
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""

    @classmethod
    def from_loaded(cls, doc: Any) -> "DocumentRecord":
        """Copy the fields of a load.LoadedDocument."""
        return cls(
            doc_id=doc.doc_id,
            path=str(doc.path),
            title=doc.title,
            text=doc.text,
            sha256=doc.sha256,
            kind=getattr(doc, "kind", "") or "",
            number=getattr(doc, "number", None),
            issuer=getattr(doc, "issuer", None),
            province=getattr(doc, "province", None),
            date=getattr(doc, "date", None),
            year=getattr(doc, "year", None),
            period=getattr(doc, "period", None),
            pages=[[p.number, p.start, p.end] for p in (getattr(doc, "pages", ()) or ())],
            warnings=list(getattr(doc, "warnings", ()) or ()),
            encoding=getattr(doc, "encoding", "") or "",
        )

    def to_json(self) -> dict:
        """A plain dict for documents.jsonl."""
        return dict(self.__dict__)

    def meta(self) -> dict:
        """Everything but the text."""
        return {k: v for k, v in self.__dict__.items() if k != "text"}

    @property
    def short_label(self) -> str:
        """A compact name for answer lines: "Kế hoạch 22/KH-BCĐ, Ninh Bình (2024)"."""
        kind = (self.kind or "").strip().capitalize()
        when = self.period or (str(self.year) if self.year else "")
        head = " ".join(x for x in (kind, self.number or "") if x) or self.title
        where = f", {self.province}" if self.province else ""
        return f"{head}{where}" + (f" ({when})" if when else "")

    @property
    def label(self) -> str:
        """'title (year or period)' for citations."""
        when = self.period or (str(self.year) if self.year else "")
        return f"{self.title} ({when})" if when else self.title


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_SURROGATE = re.compile("[\ud800-\udfff]")


def _dumps(value: Any, **kwargs: Any) -> str:
    """JSON that can always be written as UTF-8: a file name that is not valid UTF-8 reaches
    Python as lone surrogates, which only the ASCII escapes (\\udcxx) carry through losslessly."""
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    if _SURROGATE.search(text):  # a search, not a trial encode: no copy of a 50 MB document
        text = json.dumps(value, ensure_ascii=True, **kwargs)
    return text


def _write_jsonl(path: Path, rows: Any) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(_dumps(row) + "\n")


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def choose_faiss_index(vectors: np.ndarray, exact_max: int):
    """Exact inner-product search up to `exact_max` vectors, HNSW above (recall measured in bench)."""
    import faiss

    n, dim = vectors.shape
    if n <= exact_max:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def build_keyword_index(term_lists: list[list[str]]):
    """A bm25s index over precomputed terms (empty documents get a placeholder term)."""
    import logging

    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    retriever = bm25s.BM25(k1=1.2, b=0.75)
    retriever.index([terms or ["\x00empty"] for terms in term_lists], show_progress=False)
    return retriever


@contextlib.contextmanager
def index_lock(index_dir: Path, wait: bool = True, timeout: float = 600.0) -> Iterator[None]:
    """Hold an exclusive lock beside the index while writing it (a second writer waits or fails)."""
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir.parent / f".{index_dir.name}.lock"
    # The kernel drops a flock when its holder dies (even by kill -9): a lock is never stale.
    with open(lock_path, "a+") as lock_file:
        deadline = time.monotonic() + timeout
        waiting = False
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait or time.monotonic() > deadline:
                    raise IndexLockedError(
                        f"Another `assistant index` is writing {index_dir} right now; wait for it to finish."
                    ) from None
                if not waiting:  # say why nothing happens instead of hanging silently
                    log.warning("Another `assistant index` is writing %s; waiting for it to finish.", index_dir)
                    waiting = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def write_index(
    index_dir: Path,
    *,
    documents: list[DocumentRecord],
    chunks: list[Chunk],
    embeddings: np.ndarray,
    term_lists: list[list[str]],
    restore_table: dict,
    problems: list[dict],
    settings_fingerprint: dict,
    content_keys: list[str] | None = None,
) -> None:
    """Write a complete index into a temporary directory, then swap it into place atomically (hold index_lock)."""
    import faiss

    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp(index_dir)
    tmp = index_dir.parent / f".{index_dir.name}.tmp-{os.getpid()}-{int(time.time() * 1000)}"
    tmp.mkdir()
    try:
        _write_jsonl(tmp / "documents.jsonl", (d.to_json() for d in documents))
        _write_jsonl(tmp / "chunks.jsonl", (c.to_json() for c in chunks))
        np.save(tmp / "embeddings.npy", np.ascontiguousarray(embeddings, dtype=np.float32), allow_pickle=False)
        dense = choose_faiss_index(embeddings, settings_fingerprint.get("exact_index_max", 200_000))
        faiss.write_index(dense, str(tmp / "dense.faiss"))
        build_keyword_index(term_lists).save(str(tmp / "keyword"))
        (tmp / "restore.json").write_text(_dumps(restore_table), encoding="utf-8")
        (tmp / "problems.json").write_text(_dumps(problems, indent=1), encoding="utf-8")
        # sha256 of each chunk's embedded text, row-aligned with embeddings.npy: re-indexing reuses them.
        (tmp / "content_keys.txt").write_text("\n".join(content_keys or []), encoding="utf-8")
        files = {
            str(p.relative_to(tmp)): _sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()
        }
        manifest = {
            "format_version": FORMAT_VERSION,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            **settings_fingerprint,
            "dimension": int(embeddings.shape[1]) if embeddings.ndim == 2 else 0,
            "faiss_type": type(dense).__name__,
            "n_chunks": len(chunks),
            "documents": {d.doc_id: {"sha256": d.sha256, "path": d.path, "title": d.title} for d in documents},
            "files": files,
        }
        manifest["checksum"] = manifest_checksum(manifest)
        (tmp / MANIFEST).write_text(_dumps(manifest, indent=1), encoding="utf-8")
        _fsync_dir(tmp)
        _swap_into_place(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _remove_stale_temp(index_dir: Path) -> None:
    # Temporary folders left by a writer that was killed: only the lock holder writes, so any
    # one still here belongs to a dead process and would otherwise pile up beside the index.
    for stale in index_dir.parent.glob(f".{index_dir.name}.tmp-*"):
        log.info("removing %s, left by an interrupted indexing run", stale)
        shutil.rmtree(stale, ignore_errors=True)


def manifest_checksum(manifest: dict) -> str:
    """sha256 of the manifest without its own checksum field (canonical JSON)."""
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=True).encode("ascii")).hexdigest()


def _fsync_dir(path: Path) -> None:
    for p in path.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())


def _swap_into_place(tmp: Path, index_dir: Path) -> None:
    # index_dir may hold a README or .gitkeep: keep non-index files, replace the index as a whole.
    # The live index is a subfolder `current` reached through a symlink-free rename dance:
    # rename current → .previous, tmp → current, then remove .previous. A crash between the
    # two renames leaves `.previous`, which live_dir falls back to. At every instant one
    # complete index exists: `.previous` is deleted only while a complete `current` exists.
    target = index_dir / "current"
    index_dir.mkdir(parents=True, exist_ok=True)
    old = index_dir / ".previous"
    if target.exists():
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
        os.rename(target, old)
    # else: a crash between the renames left only `.previous`, the live index until tmp lands.
    os.rename(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def live_dir(index_dir: Path) -> Path:
    """The folder of the complete index inside index_dir (falls back to the previous one after a crash)."""
    index_dir = Path(index_dir)
    for name in ("current", ".previous"):
        candidate = index_dir / name
        if (candidate / MANIFEST).exists():
            return candidate
    raise IndexMissingError(f"No index in {index_dir} — run: assistant index")


def read_manifest(index_dir: Path) -> dict:
    """The manifest of the live index (IndexMissingError if there is none)."""
    return _read_manifest_at(live_dir(index_dir))


def _read_manifest_at(folder: Path) -> dict:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"{path} is unreadable ({exc}) — {REBUILD}") from exc
    if not isinstance(manifest, dict):
        raise IndexCorruptError(f"{path} is not an index manifest — {REBUILD}")
    return manifest


def check_compatible(manifest: dict, fingerprint: dict) -> None:
    """Refuse an index built with another model or chunker, saying how to rebuild."""
    for key in ("embedding_model", "chunker", "keyword", "format_version"):
        if key in fingerprint and manifest.get(key) != fingerprint[key]:
            raise IndexMismatchError(
                f"The index in its folder was built with {key} = {manifest.get(key)!r}, but the current "
                f"setting is {fingerprint[key]!r}. Rebuild it with: assistant index --rebuild"
            )


@dataclass
class IndexStore:
    """An opened index: chunk table, documents, FAISS and keyword indexes."""

    path: Path
    manifest: dict
    documents: dict[str, DocumentRecord]
    chunks: list[Chunk]
    embeddings: np.ndarray
    dense: Any
    keyword: Any
    restore_table: dict
    problems: list[dict]

    @classmethod
    def open(cls, index_dir: Path, fingerprint: dict | None = None, verify: bool = True) -> "IndexStore":
        """Open the live index, verifying checksums and compatibility with the current settings."""
        # A concurrent `assistant index` may swap the folder while it is read (files vanish, or
        # the manifest and the files come from two versions): if the live index changed, retry.
        for attempt in range(5):
            before = _live_signature(index_dir)
            try:
                return cls._open_at(live_dir(index_dir), fingerprint, verify)
            except IndexCorruptError:
                if attempt == 4 or _live_signature(index_dir) == before:
                    raise
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    @classmethod
    def _open_at(cls, path: Path, fingerprint: dict | None, verify: bool) -> "IndexStore":
        import bm25s
        import faiss

        manifest = _read_manifest_at(path)
        if fingerprint:
            check_compatible(manifest, fingerprint)
        if verify:
            verify_files(path, manifest)
        try:
            documents = {row["doc_id"]: DocumentRecord(**row) for row in _read_jsonl(path / "documents.jsonl")}
            chunks = [Chunk.from_json(row) for row in _read_jsonl(path / "chunks.jsonl")]
            embeddings = np.load(path / "embeddings.npy", allow_pickle=False, mmap_mode="r")
            dense = faiss.read_index(str(path / "dense.faiss"))
            keyword = bm25s.BM25.load(str(path / "keyword"), load_corpus=False, mmap=False)
            restore_table = json.loads((path / "restore.json").read_text(encoding="utf-8"))
            problems = json.loads((path / "problems.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
            raise IndexCorruptError(f"The index in {path} is damaged ({exc}) — {REBUILD}") from exc
        if len(chunks) != dense.ntotal or len(chunks) != embeddings.shape[0]:
            raise IndexCorruptError(
                f"The index in {path} is inconsistent ({len(chunks)} chunks, {dense.ntotal} vectors) — {REBUILD}"
            )
        return cls(path, manifest, documents, chunks, embeddings, dense, keyword, restore_table, problems)


def _live_signature(index_dir: Path) -> tuple:
    """Which index is live: its folder name and its manifest file's identity (changes with every swap)."""
    try:
        path = live_dir(index_dir)
        stat = (path / MANIFEST).stat()
    except (IndexMissingError, OSError):
        return ()
    return path.name, stat.st_ino, stat.st_mtime_ns


def verify_files(path: Path, manifest: dict, names: tuple[str, ...] | None = None) -> None:
    """Check the manifest's own checksum, then every file (or only `names`) against the manifest."""
    if manifest.get("checksum") != manifest_checksum(manifest):
        raise IndexCorruptError(
            f"{path / MANIFEST} does not match its checksum (damaged or edited by hand) — {REBUILD}"
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise IndexCorruptError(f"{path / MANIFEST} lists no files — {REBUILD}")
    for name, digest in files.items():
        if names is not None and name not in names:
            continue
        file = path / name
        try:
            actual = _sha256_file(file)
        except FileNotFoundError:
            raise IndexCorruptError(f"{file} is missing — {REBUILD}") from None
        except OSError as exc:
            raise IndexCorruptError(f"{file} cannot be read ({exc.strerror or exc}) — {REBUILD}") from exc
        if actual != digest:
            raise IndexCorruptError(f"{file} does not match its checksum (damaged or edited by hand) — {REBUILD}")
