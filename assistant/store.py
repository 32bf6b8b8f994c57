"""The on-disk index: a plain directory of FAISS vectors, a keyword index, tables and a manifest.

Layout (no pickles anywhere; every file is listed with its sha256 in manifest.json)::

    index/
      manifest.json      model, dimension, chunker and keyword settings, documents, checksums
      documents.jsonl    one document a line (Document.row): metadata, pages, warnings, particulars,
                         where its text is in documents.txt
      documents.txt      the documents' display texts, back to back (UTF-8), read on demand
      chunks.jsonl       one chunk a line (Chunk.to_json), read on demand
      chunk_offsets.npy  int64 [n_chunks + 1], byte offset of each line of chunks.jsonl
      chunk_docs.npy     int32 [n_chunks], row of each chunk's document in documents.jsonl (filters use it)
      embeddings.npy     float32 [n_chunks, dim], the vectors FAISS was built from (reused by re-indexing)
      spans.npy          float32 [n_spans, dim], vectors of sentence spans of the chunks (spans.py; optional)
      span_chunks.npy    int32 [n_spans], the chunk row of each span, ascending (optional, with spans.npy)
      span_keys.txt      sha256 of each span's embedded text (re-indexing reuses unchanged vectors)
      dense.faiss        FAISS index (exact inner product, or IVF with 8-bit codes for large collections)
      keyword/           bm25s index over accented + diacritic-folded terms (memory-mapped when opened)
      restore.json       folded → accented word table, for questions typed without diacritics
      problems.json      files that could not be indexed, and why
      content_keys.txt   sha256 of each chunk's embedded text (re-indexing reuses unchanged vectors)

Writes go to a sibling temporary directory which is renamed into place, so a crash
never leaves a half-written index; the previous index stays loadable until the swap.

An opened index keeps only small per-row arrays in memory: chunk and document texts are read
from disk when asked for, the keyword postings and the vectors are memory-mapped, so what stays
resident grows with what questions touch, not with the collection (see `assistant bench scale`).
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from .chunk import Chunk
from .document import Document
from .duties import TASKS_VERSION, Duty, index_records
from .errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexMismatchError,
    IndexMissingError,
)

# 2: the manifest carries a checksum of itself, so a hand edit is caught like a damaged file.
# 3: chunk and document texts are read on demand (chunk_offsets.npy, chunk_docs.npy, documents.txt).
# 4: each document row carries its particulars (number, date, signer lines), found once at load.
FORMAT_VERSION = 4
KEYWORD_VERSION = "uni+bi+folded-v1+restore-counts+plain-pairs+pair-forms"  # restore.json: pair counts, unmarked pairs, every form of a pair (diacritics.py)
MANIFEST = "manifest.json"
REBUILD = "rebuild with: assistant index --rebuild"

log = logging.getLogger(__name__)


class _FileRanges:
    """Byte ranges of one index file, read with pread (no shared file position between threads).

    The descriptor stays open for the life of the opened index, so a swap that renames or deletes
    the folder does not pull the file from under a reader: it keeps the version it opened.
    """

    def __init__(self, path: Path):
        self.path = path
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))

    def read(self, offset: int, length: int) -> bytes:
        """`length` bytes at `offset` (IndexCorruptError when the file is shorter)."""
        data = os.pread(self._fd, length, offset)
        if len(data) != length:
            raise IndexCorruptError(f"{self.path} is shorter than its index says — {REBUILD}")
        return data

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            os.close(self._fd)


class ChunkTable(Sequence[Chunk]):
    """The chunk table of an opened index: a read-only sequence of Chunk read from chunks.jsonl on demand.

    Only the line offsets stay in memory (8 bytes a chunk); recently used chunks are cached.
    """

    def __init__(self, path: Path, offsets: np.ndarray, cache: int = 4096):
        self._file = _FileRanges(path)
        self._offsets = offsets
        self._get = functools.lru_cache(maxsize=cache)(self._read)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._get(j) for j in range(*i.indices(len(self)))]
        i = int(i)
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"chunk row {i} out of range (0..{n - 1})")
        return self._get(i)

    def __iter__(self) -> Iterator[Chunk]:
        # A sequential pass in blocks of 1,024 lines (not one pread a row) for the few callers that scan
        # the table; through the open descriptor, so a swap of the index folder cannot change what it reads.
        offsets, n = self._offsets, len(self)
        for lo in range(0, n, 1024):
            hi = min(n, lo + 1024)
            base = int(offsets[lo])
            block = self._file.read(base, int(offsets[hi]) - base)
            for i in range(lo, hi):
                yield Chunk.from_json(json.loads(block[int(offsets[i]) - base : int(offsets[i + 1]) - base]))

    def _read(self, i: int) -> Chunk:
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        try:
            return Chunk.from_json(json.loads(self._file.read(start, end - start)))
        except (ValueError, TypeError) as exc:
            raise IndexCorruptError(f"{self._file.path} row {i} is damaged ({exc}) — {REBUILD}") from exc


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (documents and index files alike)."""
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
dumps = _dumps  # its public name: the PostgreSQL store writes the same JSON


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


IVF_NPROBE = 32  # lists searched per question: recall@10 ≥ 0.99 on the scale bench at 1M (see evals/RESULTS.md)
_ADD_BATCH = 65_536  # vectors added to FAISS at a time, so a memory-mapped matrix is never copied whole


def ivf_lists(n: int) -> int:
    """Inverted lists for `n` vectors: ≈ 2·√n (2,000 at a million), so a probe scans ≈ 1/2,000 of them
    (and never fewer than 39 training vectors a list, which k-means needs)."""
    return int(max(1, min(16_384, 2 * np.sqrt(max(n, 1)), n // 39)))


def choose_faiss_index(vectors: np.ndarray, exact_max: int):
    """Exact inner-product search up to `exact_max` vectors; above, IVF over 8-bit scalar codes.

    IVF-SQ8 holds a quarter of the exact index's memory and builds in about a minute at 1M vectors
    (HNSW over the full vectors would hold more than the exact index and build for many minutes on
    2 cores); the retriever re-scores its candidates exactly from embeddings.npy, so scores stay
    cosines. `vectors` may be memory-mapped: it is read in batches.
    """
    import faiss

    n, dim = vectors.shape
    if n <= exact_max:
        index = faiss.IndexFlatIP(dim)
    else:
        nlist = ivf_lists(n)
        index = faiss.index_factory(dim, f"IVF{nlist},SQ8", faiss.METRIC_INNER_PRODUCT)
        ivf = faiss.extract_index_ivf(index)
        ivf.cp.niter = 10  # k-means: recall is set by nprobe, not by polishing the centroids
        rng = np.random.default_rng(0)
        sample = np.sort(rng.choice(n, size=min(n, 40 * nlist), replace=False))
        index.train(np.ascontiguousarray(vectors[sample], dtype=np.float32))
        ivf.nprobe = IVF_NPROBE
    for lo in range(0, n, _ADD_BATCH):
        index.add(np.ascontiguousarray(vectors[lo : lo + _ADD_BATCH], dtype=np.float32))
    return index


def keyword_index_from_ids(n_docs: int, doc_terms: Callable[[int], np.ndarray], vocab: dict[str, int],
                           k1: float = 1.2, b: float = 0.75):
    """A bm25s.BM25 equal to `bm25s.BM25(k1, b).index(...)` (Lucene BM25), built column-wise in two passes.

    `doc_terms(i)` gives document i's term ids (into `vocab`). bm25s' own index() holds every token
    in Python lists plus sort buffers (≈ 40 bytes per posting at peak); this writes the CSC arrays
    in place (8 bytes per posting), which is what lets a million chunks be indexed on one machine.
    """
    import bm25s

    n_vocab = len(vocab) + 1  # + the empty token bm25s appends
    df = np.zeros(n_vocab, dtype=np.int64)
    doc_len = np.zeros(n_docs, dtype=np.int64)
    for i in range(n_docs):
        ids = doc_terms(i)
        doc_len[i] = len(ids)
        df[np.unique(ids)] += 1
    avg = doc_len.mean() if n_docs else 0.0
    idf = np.zeros(n_vocab, dtype=np.float32)
    seen = df > 0
    idf[seen] = np.log(1 + (n_docs - df[seen] + 0.5) / (df[seen] + 0.5))
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    data = np.empty(int(indptr[-1]), dtype=np.float32)
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    cursor = indptr[:-1].copy()
    for i in range(n_docs):
        u, tf = np.unique(doc_terms(i), return_counts=True)
        tf = tf.astype(np.float32)
        tfc = tf / (k1 * (1 - b + b * doc_len[i] / avg) + tf)  # float64, as bm25s computes it
        at = cursor[u]
        data[at] = idf[u] * tfc
        indices[at] = i
        cursor[u] += 1
    index = bm25s.BM25(k1=k1, b=b)
    index.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
    index.vocab_dict = dict(vocab)
    index.vocab_dict[""] = len(vocab)
    index.unique_token_ids_set = set(index.vocab_dict.values())
    index.nonoccurrence_array = None
    return index


def build_keyword_index(term_lists: Sequence[list[str]]):
    """A bm25s index over precomputed terms (empty documents get a placeholder term)."""
    import logging

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    vocab: dict[str, int] = {}
    ids = []
    for terms in term_lists:
        ids.append(np.asarray([vocab.setdefault(t, len(vocab)) for t in (terms or ["\x00empty"])], dtype=np.int32))
    return keyword_index_from_ids(len(ids), ids.__getitem__, vocab)


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
    documents: Iterable[Document],
    chunks: Iterable[Chunk],
    embeddings: np.ndarray,
    term_lists: Sequence[list[str]] | None = None,
    restore_table: dict,
    problems: list[dict],
    settings_fingerprint: dict,
    content_keys: list[str] | None = None,
    keyword: Any = None,
    tasks: dict | None = None,
    span_vectors: np.ndarray | None = None,
    span_chunks: np.ndarray | None = None,
    span_keys: list[str] | None = None,
) -> None:
    """Write a complete index into a temporary directory, then swap it into place atomically (hold index_lock).

    `documents` and `chunks` may be generators (they are streamed to disk, documents first),
    `embeddings` a memory-mapped matrix, and `keyword` a prebuilt index (keyword_index_from_ids)
    instead of `term_lists`: that is how a collection of a million chunks is written.
    """
    import faiss

    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp(index_dir)
    tmp = index_dir.parent / f".{index_dir.name}.tmp-{os.getpid()}-{int(time.time() * 1000)}"
    tmp.mkdir()
    try:
        ordinals, listed = _write_documents(tmp, documents)
        n_chunks = _write_chunks(tmp, chunks, ordinals)
        if embeddings.shape[0] != n_chunks:
            raise ValueError(f"{n_chunks} chunks but {embeddings.shape[0]} vectors")
        _save_npy(tmp / "embeddings.npy", embeddings)
        if span_vectors is not None and span_chunks is not None:
            if span_vectors.shape[0] != len(span_chunks) or (len(span_chunks) and int(np.max(span_chunks)) >= n_chunks):
                raise ValueError(f"{span_vectors.shape[0]} span vectors for {len(span_chunks)} span rows")
            _save_npy(tmp / "spans.npy", span_vectors)
            np.save(tmp / "span_chunks.npy", np.asarray(span_chunks, dtype=np.int32), allow_pickle=False)
            (tmp / "span_keys.txt").write_text("\n".join(span_keys or []), encoding="utf-8")
        dense = choose_faiss_index(embeddings, settings_fingerprint.get("exact_index_max", 100_000))
        faiss_type = type(dense).__name__
        faiss.write_index(dense, str(tmp / "dense.faiss"))
        del dense
        if keyword is None:
            keyword = build_keyword_index(term_lists or [])
        keyword.save(str(tmp / "keyword"))
        del keyword
        (tmp / "restore.json").write_text(_dumps(restore_table), encoding="utf-8")
        (tmp / "problems.json").write_text(_dumps(problems, indent=1), encoding="utf-8")
        if tasks is not None:  # {"version": …, "records": [Duty.to_json(), …]}: extracted at index time
            (tmp / "tasks.json").write_text(_dumps(tasks), encoding="utf-8")
        # sha256 of each chunk's embedded text, row-aligned with embeddings.npy: re-indexing reuses them.
        (tmp / "content_keys.txt").write_text("\n".join(content_keys or []), encoding="utf-8")
        files = {
            str(p.relative_to(tmp)): file_digest(p) for p in sorted(tmp.rglob("*")) if p.is_file()
        }
        manifest = {
            "format_version": FORMAT_VERSION,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            **settings_fingerprint,
            "dimension": int(embeddings.shape[1]) if embeddings.ndim == 2 else 0,
            "faiss_type": faiss_type,
            "n_chunks": n_chunks,
            "documents": listed,
            "files": files,
        }
        manifest["checksum"] = manifest_checksum(manifest)
        (tmp / MANIFEST).write_text(_dumps(manifest, indent=1), encoding="utf-8")
        _fsync_dir(tmp)
        _swap_into_place(tmp, index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_documents(folder: Path, documents: Iterable[Document]) -> tuple[dict[str, int], dict[str, dict]]:
    """documents.jsonl (metadata + where the text is) and documents.txt (the texts); ordinals by doc_id."""
    ordinals: dict[str, int] = {}
    listed: dict[str, dict] = {}
    with open(folder / "documents.jsonl", "w", encoding="utf-8") as meta, open(folder / "documents.txt", "wb") as texts:
        for doc in documents:
            data = doc.text.encode("utf-8", "surrogatepass")  # lone surrogates round-trip like the JSON escapes did
            meta.write(_dumps(dict(doc.row(), text_at=[texts.tell(), len(data)])) + "\n")
            texts.write(data)
            ordinals.setdefault(doc.doc_id, len(ordinals))  # its position in the opened index's documents dict
            listed[doc.doc_id] = {"sha256": doc.sha256, "path": doc.path, "title": doc.title}
    return ordinals, listed


def _write_chunks(folder: Path, chunks: Iterable[Chunk], ordinals: dict[str, int]) -> int:
    """chunks.jsonl with the byte offset of every line (chunk_offsets.npy) and its document's row (chunk_docs.npy)."""
    from array import array

    offsets = array("q", [0])
    docs = array("i")
    with open(folder / "chunks.jsonl", "wb") as f:
        for chunk in chunks:
            line = (_dumps(chunk.to_json()) + "\n").encode("utf-8")
            f.write(line)
            offsets.append(offsets[-1] + len(line))
            docs.append(ordinals.get(chunk.doc_id, -1))
    np.save(folder / "chunk_offsets.npy", np.frombuffer(offsets, dtype=np.int64), allow_pickle=False)
    np.save(folder / "chunk_docs.npy", np.frombuffer(docs, dtype=np.int32), allow_pickle=False)
    return len(docs)


def _save_npy(path: Path, matrix: np.ndarray) -> None:
    """np.save in row batches, so a memory-mapped matrix is streamed rather than copied into memory."""
    if matrix.ndim != 2 or matrix.shape[0] == 0:
        np.save(path, np.ascontiguousarray(matrix, dtype=np.float32), allow_pickle=False)
        return
    header = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=matrix.shape)
    for lo in range(0, matrix.shape[0], _ADD_BATCH):
        header[lo : lo + _ADD_BATCH] = matrix[lo : lo + _ADD_BATCH]
    header.flush()
    del header


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
    """An opened index: chunk table, documents, FAISS and keyword indexes.

    `chunks` is any sequence of Chunk (a ChunkTable when opened from disk, a list when built in
    memory); `chunk_docs` gives each chunk's position in `documents` (computed when not given).
    """

    path: Path
    manifest: dict
    documents: dict[str, Document]
    chunks: Sequence[Chunk]
    embeddings: np.ndarray
    dense: Any
    keyword: Any
    restore_table: dict
    problems: list[dict]
    chunk_docs: np.ndarray | None = None
    spans: np.ndarray | None = None  # sentence-span vectors (spans.py), None for an index built without them
    span_chunks: np.ndarray | None = None  # the chunk row of each span, ascending

    def __post_init__(self) -> None:
        if self.chunk_docs is None:
            order = {doc_id: i for i, doc_id in enumerate(self.documents)}
            self.chunk_docs = np.fromiter((order.get(c.doc_id, -1) for c in self.chunks), dtype=np.int32,
                                          count=len(self.chunks))

    @property
    def tasks(self) -> list:
        """The task records (duties.Duty, one per task) of every document: read from tasks.json when this
        extractor version wrote it at index time, else extracted once now (an index built before)."""
        cached = self.__dict__.get("_tasks")
        if cached is None:

            stored = None
            path = Path(self.path) / "tasks.json" if self.path else None
            if path is not None and path.is_file():
                raw = json.loads(path.read_text(encoding="utf-8"))
                if raw.get("version") == TASKS_VERSION:
                    stored = [Duty.from_json(row) for row in raw.get("records", [])]
            cached = stored if stored is not None else index_records(self.documents.values())
            self.__dict__["_tasks"] = cached
        return cached

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
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexMismatchError(
                f"The index in {path} has format {manifest.get('format_version')!r}; this version reads "
                f"format {FORMAT_VERSION}. Rebuild it with: assistant index --rebuild"
            )
        if verify:
            verify_files(path, manifest)
        try:
            texts = _FileRanges(path / "documents.txt")

            @functools.lru_cache(maxsize=32)
            def read_text(offset: int, length: int) -> str:
                return texts.read(offset, length).decode("utf-8", "surrogatepass")

            documents: dict[str, Document] = {}
            for row in _read_jsonl(path / "documents.jsonl"):
                text_at = row.pop("text_at")
                documents[row["doc_id"]] = Document.stored(read_text, text_at, **row)
            offsets = np.load(path / "chunk_offsets.npy", allow_pickle=False)
            chunk_docs = np.load(path / "chunk_docs.npy", allow_pickle=False)
            chunks = ChunkTable(path / "chunks.jsonl", offsets)
            embeddings = np.load(path / "embeddings.npy", allow_pickle=False, mmap_mode="r")
            spans = span_chunks = None
            if (path / "spans.npy").is_file():  # an index written before spans has none: chunk vectors alone
                spans = np.load(path / "spans.npy", allow_pickle=False, mmap_mode="r")
                span_chunks = np.load(path / "span_chunks.npy", allow_pickle=False)
            dense = faiss.read_index(str(path / "dense.faiss"))
            # Memory-mapped: a question touches only its terms' postings, which the kernel can page out.
            keyword = bm25s.BM25.load(str(path / "keyword"), load_corpus=False, mmap=True)
            restore_table = json.loads((path / "restore.json").read_text(encoding="utf-8"))
            problems = json.loads((path / "problems.json").read_text(encoding="utf-8"))
            table_bytes = (path / "chunks.jsonl").stat().st_size
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
            raise IndexCorruptError(f"The index in {path} is damaged ({exc}) — {REBUILD}") from exc
        n = len(chunks)
        if (n != dense.ntotal or n != embeddings.shape[0] or n != len(chunk_docs)
                or (len(offsets) and int(offsets[-1]) != table_bytes)
                or (spans is not None and (spans.shape[0] != len(span_chunks) or spans.shape[1:] != embeddings.shape[1:]
                                           or (len(span_chunks) and not 0 <= int(span_chunks.min()) <= int(span_chunks.max()) < n)
                                           or bool(np.any(np.diff(span_chunks) < 0))))):
            raise IndexCorruptError(
                f"The index in {path} is inconsistent ({n} chunks, {dense.ntotal} vectors) — {REBUILD}"
            )
        return cls(path, manifest, documents, chunks, embeddings, dense, keyword, restore_table, problems, chunk_docs,
                   spans, span_chunks)


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
            actual = file_digest(file)
        except FileNotFoundError:
            raise IndexCorruptError(f"{file} is missing — {REBUILD}") from None
        except OSError as exc:
            raise IndexCorruptError(f"{file} cannot be read ({exc.strerror or exc}) — {REBUILD}") from exc
        if actual != digest:
            raise IndexCorruptError(f"{file} does not match its checksum (damaged or edited by hand) — {REBUILD}")
