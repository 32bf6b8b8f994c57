"""Questions through ONNX Runtime: the export reproduces the torch model, a later process answers without
importing torch, and anything unsupported or damaged falls back to torch instead of failing."""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant import embed_onnx
from assistant.config import Settings
from assistant.embed import Embedder

pytestmark = pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="onnxruntime not installed")

QUESTIONS = [
    "Ai chủ trì hỗ trợ nạn nhân?",
    "ai chu tri ho tro nan nhan",
    "Who leads victim support?",
    "Số điện thoại đường dây nóng là gì?",
    "Kế hoạch 3087/QĐ-UBND ban hành ngày nào?",
    "  khoảng trắng ở hai đầu  ",
    "x" * 3000,  # longer than the model's limit: truncated the same way
]


def test_question_vectors_from_onnx_match_the_torch_model(embedder):
    assert embedder.warm_up_queries().query_backend == "onnxruntime"
    prompted = [embedder.query_prompt + q for q in QUESTIONS]
    torch_vecs = embedder.encode(prompted)
    onnx_vecs = embedder._query_encoder.encode(prompted)
    assert (torch_vecs * onnx_vecs).sum(axis=1).min() > 0.9999
    assert np.allclose(np.linalg.norm(onnx_vecs, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_a_new_process_answers_questions_without_importing_torch(bot, corpus_settings):
    script = (
        "import sys, json\n"
        "from assistant.config import Settings\n"
        "from assistant.assistant import Assistant\n"
        "bot = Assistant(Settings.from_env()).warm_up()\n"
        "a = bot.ask('Ai chủ trì hỗ trợ nạn nhân?')\n"
        "print(json.dumps({'torch': 'torch' in sys.modules, 'st': 'sentence_transformers' in sys.modules,"
        " 'backend': bot.embedder.query_backend, 'found': a.found, 'answer': a.text}))\n"
    )
    env = dict(os.environ, ASSISTANT_DOCUMENTS_DIR=str(corpus_settings.documents_dir),
               ASSISTANT_INDEX_DIR=str(corpus_settings.index_dir), ASSISTANT_CACHE_DIR=str(corpus_settings.cache_dir),
               HF_HUB_OFFLINE="1")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["backend"] == "onnxruntime"
    assert result["torch"] is False and result["st"] is False
    assert result["found"] and "Sở Y tế" in result["answer"]
    assert result["answer"] == bot.ask("Ai chủ trì hỗ trợ nạn nhân?").text


@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_a_process_that_only_indexes_does_not_open_an_existing_export(embedder, corpus_settings):
    indexer = Embedder(corpus_settings).warm_up()
    assert indexer._query_encoder is None  # opening it would cost seconds and memory `assistant index` never uses
    assert indexer.warm_up_queries().query_backend == "onnxruntime"


@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_onnx_queries_can_be_switched_off(corpus_settings):
    off = Embedder(corpus_settings.replace(onnx_queries=False))
    assert off.warm_up_queries().query_backend == "torch"


def _copy_model(embedder, tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(embedder.resolve_path(), folder)
    return folder


@pytest.mark.slow  # (13 s: it loads the torch model and exports again; the slower tier, which CI also runs)
def test_a_damaged_export_falls_back_to_torch_and_is_replaced(embedder, tmp_path):
    folder = _copy_model(embedder, tmp_path)
    cache = tmp_path / "cache"
    settings = Settings.from_env(embedding_model=str(folder), cache_dir=cache)
    target = embed_onnx.export_dir(cache, folder)
    target.mkdir(parents=True)
    (target / embed_onnx.FILE).write_bytes(b"not an onnx graph")
    fresh = Embedder(settings)
    # The broken file is not fatal: questions fall back to torch, which exports and verifies a new one.
    assert fresh.warm_up_queries().query_backend == "onnxruntime"
    assert fresh._model is not None
    assert (target / embed_onnx.FILE).read_bytes()[:20] != b"not an onnx graph"[:20]
    assert not list(target.glob("unverified-*"))
    vec = fresh.encode_queries(["Ai chủ trì hỗ trợ nạn nhân?"])[0]
    assert float(vec @ embedder.encode_queries(["Ai chủ trì hỗ trợ nạn nhân?"])[0]) > 0.9999


def test_a_model_without_mean_pooling_keeps_the_torch_path(embedder, tmp_path):
    folder = _copy_model(embedder, tmp_path)
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    config.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    pooling.write_text(json.dumps(config))
    assert not embed_onnx.supported(folder)
    assert embed_onnx.export_and_verify(embedder._model, folder, tmp_path / "cache") is None


def test_an_edited_model_folder_gets_a_new_export(embedder, tmp_path):
    folder = _copy_model(embedder, tmp_path)
    before = embed_onnx.export_dir(tmp_path, folder)
    os.utime(folder / "model.safetensors", ns=(1, 1))
    assert embed_onnx.export_dir(tmp_path, folder) != before
