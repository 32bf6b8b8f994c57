"""Sentence spans (spans.py): a chunk is also scored by its best one- or two-sentence span, so a passage
that answers in one sentence among others ranks first where its whole vector does not."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.build import build_index
from assistant.config import Settings
from assistant.retrieve import Retriever
from assistant.spans import chunk_spans, span_table
from assistant.store import IndexStore

TOPICS = ("biên phòng", "truyền thông", "ngân sách")
FILLER = "trong năm kế hoạch theo đúng quy định hiện hành của tỉnh và các văn bản hướng dẫn"


class TopicEmbedder:
    """A stand-in for the model: one dimension per topic phrase (how often the text names it), plus one
    constant dimension, normalised. No model is loaded."""

    name = "topic-test"
    dimension = len(TOPICS) + 1

    def _vec(self, text: str) -> np.ndarray:
        v = np.array([text.count(t) for t in TOPICS] + [0.05], dtype=np.float32)
        return v / np.linalg.norm(v)

    def encode_documents(self, texts, progress=None) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dimension), np.float32)

    def encode_queries(self, texts) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts])


# One sentence about the border guard among three about communication: its whole is mostly "truyền thông".
ONE_SENTENCE = "\n".join(
    [f"- Đẩy mạnh truyền thông {FILLER} số {i}." for i in range(3)]
    + [f"- Bộ Chỉ huy Bộ đội biên phòng tỉnh tuần tra kiểm soát {FILLER}."]
)
# Every sentence names the border guard once and the budget twice: its whole is closer to "biên phòng".
MIXED = "\n".join(f"- Kinh phí biên phòng lấy từ ngân sách và ngân sách xã {FILLER} mục {i}." for i in range(3))


def _build(tmp_path: Path, scoring: str) -> tuple[Settings, TopicEmbedder]:
    docs = tmp_path / "documents"
    docs.mkdir(exist_ok=True)
    (docs / "ke-hoach-a.txt").write_text("KẾ HOẠCH A\n" + ONE_SENTENCE + "\n", encoding="utf-8")
    (docs / "ke-hoach-b.txt").write_text("KẾ HOẠCH B\n" + MIXED + "\n", encoding="utf-8")
    settings = Settings(documents_dir=docs, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache", ocr=False,
                        span_scoring=scoring, span_languages="")  # the stand-in reads Vietnamese topics
    embedder = TopicEmbedder()
    build_index(settings, embedder)
    return settings, embedder


def _first_doc(settings: Settings, embedder: TopicEmbedder, store: IndexStore | None = None) -> str:
    store = store or IndexStore.open(settings.index_dir)
    hits = Retriever(store, embedder, settings).search("biên phòng", k=2, mode="dense")
    return hits[0].chunk.doc_id


def test_spans_are_one_or_two_sentences_and_a_single_sentence_chunk_has_none():
    spans = chunk_spans(ONE_SENTENCE)
    assert len(spans) == 4 and spans[-1].startswith("- Bộ Chỉ huy")
    assert chunk_spans("1. Mục đích\nTăng cường công tác phòng, chống mua bán người trên địa bàn tỉnh.") == []
    texts, rows = span_table(["Một câu ngắn.", ONE_SENTENCE])
    assert len(texts) == 4 and rows.tolist() == [1] * 4


@pytest.mark.parametrize("scoring", ["max", "mix"])
def test_a_sentence_level_match_ranks_its_chunk_first_where_the_chunk_vector_does_not(tmp_path, scoring):
    settings, embedder = _build(tmp_path, scoring)
    store = IndexStore.open(settings.index_dir)
    assert store.spans is not None and len(store.span_chunks) == 4 + 3
    # The chunk vectors alone put the mixed chunk first ...
    assert _first_doc(settings.replace(span_scoring="off"), embedder, store) == "ke-hoach-b"
    # ... its best sentence puts the chunk that answers in one sentence first.
    assert _first_doc(settings, embedder, store) == "ke-hoach-a"
    hit = Retriever(store, embedder, settings).search("biên phòng", k=2, mode="dense")[0]
    assert hit.score > 0.6  # ranked by its sentence
    assert hit.dense_score < hit.score  # reported with its chunk's own cosine, on which answer thresholds are set
    # Spans count only for the languages listed: a Vietnamese question with span_languages="en" searches as before.
    assert _first_doc(settings.replace(span_languages="en"), embedder, store) == "ke-hoach-b"


def test_an_index_without_span_files_loads_and_searches_with_chunk_vectors(tmp_path):
    settings, embedder = _build(tmp_path, "mix")
    live = settings.index_dir / "current"
    # An index written before spans: no span files in the folder or the manifest.
    import json

    from assistant.store import manifest_checksum

    manifest = json.loads((live / "manifest.json").read_text(encoding="utf-8"))
    for name in ("spans.npy", "span_chunks.npy", "span_keys.txt"):
        (live / name).unlink()
        manifest["files"].pop(name)
    manifest["checksum"] = manifest_checksum(manifest)
    (live / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    store = IndexStore.open(settings.index_dir)
    assert store.spans is None
    assert _first_doc(settings, embedder, store) == "ke-hoach-b"
    # Re-indexing writes them again (the chunk vectors are reused).
    shutil.rmtree(settings.cache_dir, ignore_errors=True)
    build_index(settings, embedder)
    assert _first_doc(settings, embedder) == "ke-hoach-a"
