"""Questions through ONNX Runtime: the same embedding model, exported once, without torch at serve time.

Why: a question is one short text. Run by torch eager, its forward pass costs ~30 ms on 2 cores and
the process must first import torch, transformers and sentence-transformers (~9 s, half of `serve`'s
start-up). The same graph run by ONNX Runtime costs ~8–15 ms and imports in 0.2 s (assistant bench
query / coldstart). Documents are still embedded by sentence-transformers (`Embedder.encode_documents`);
only questions take this path, and only after an export whose vectors matched the torch model's.

sentence-transformers' own ONNX backend (`backend="onnx"`) needs optimum-onnx, whose only release pins
transformers<4.58 and cannot be installed beside sentence-transformers 6; so the export here uses
`torch.onnx` directly and the encoder uses the `tokenizers` and `onnxruntime` packages directly.

Supported: sentence-transformers folders made of Transformer → mean Pooling (→ Normalize), which
includes the packaged multilingual-e5-small. Anything else keeps the torch path.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from pathlib import Path
from typing import Any, Sequence

import numpy as np

log = logging.getLogger(__name__)

# The export is trusted only if it reproduces the torch model on these (cosine ≥ MIN_AGREEMENT).
PROBES = (
    "query: Ai chủ trì hỗ trợ nạn nhân bị mua bán?",
    "query: who leads victim support",
    "passage: Sở Y tế chủ trì, phối hợp với Công an tỉnh tổ chức tiếp nhận, xác minh và hỗ trợ nạn nhân.",
    "query: duong day nong 111",
)
MIN_AGREEMENT = 0.9999
FILE = "model.onnx"


def supported(folder: Path) -> bool:
    """Whether a sentence-transformers folder is Transformer + mean pooling (+ Normalize) with a fast tokenizer."""
    try:
        modules = json.loads((folder / "modules.json").read_text("utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        if kinds not in (["Transformer", "Pooling", "Normalize"], ["Transformer", "Pooling"]):
            return False
        if modules[0].get("path", "") != "":
            return False
        pooling = json.loads((folder / modules[1]["path"] / "config.json").read_text("utf-8"))
        modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v]
        return modes == ["pooling_mode_mean_tokens"] and (folder / "tokenizer.json").is_file()
    except (OSError, ValueError, KeyError, IndexError):
        return False


def export_dir(cache_dir: Path, folder: Path) -> Path:
    """Where the export of `folder` lives: keyed by the folder and its weights, so an edited model re-exports."""
    h = hashlib.sha256(str(folder.resolve()).encode())
    for name in ("model.safetensors", "pytorch_model.bin", "config.json", "tokenizer.json"):
        p = folder / name
        if p.exists():
            st = p.stat()
            h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return Path(cache_dir).expanduser() / "onnx" / h.hexdigest()[:16]


def export(st_model: Any, target: Path, name: str = FILE) -> Path:
    """Export the transformer of a loaded SentenceTransformer to `target/name` (atomic)."""
    import torch

    target.mkdir(parents=True, exist_ok=True)
    out = target / name
    inner = st_model[0].auto_model.eval()
    uses_types = "token_type_ids" in inner.forward.__code__.co_varnames

    class Encoder(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            extra = {"token_type_ids": torch.zeros_like(input_ids)} if uses_types else {}
            return self.model(input_ids=input_ids, attention_mask=attention_mask, **extra).last_hidden_state

    enc = st_model.tokenizer(list(PROBES[:2]), padding=True, return_tensors="pt")
    tmp = target / f".{name}.{os.getpid()}.tmp"
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # tracer warnings about code paths these encoders do not take
        torch.onnx.export(
            Encoder(inner), (enc["input_ids"], enc["attention_mask"]), str(tmp),
            input_names=["input_ids", "attention_mask"], output_names=["hidden"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "hidden": {0: "batch", 1: "tokens"}},
            opset_version=17, dynamo=False,
        )
    os.replace(tmp, out)
    return out


class OnnxEncoder:
    """Tokenizer + ONNX graph + mean pooling + L2 normalisation, as sentence-transformers computes it."""

    def __init__(self, folder: Path, onnx_file: Path, max_seq_length: int, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = _json(folder / "sentence_bert_config.json")
        self.lowercase = bool(config.get("do_lower_case", False))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        limit = min(int(max_seq_length), int(config.get("max_seq_length") or max_seq_length))
        self.tokenizer.enable_truncation(max_length=limit)
        pad_id = self.tokenizer.padding["pad_id"] if self.tokenizer.padding else (self.tokenizer.token_to_id("<pad>") or 0)
        self.tokenizer.enable_padding(pad_id=pad_id)
        opts = ort.SessionOptions()
        if threads > 0:
            opts.intra_op_num_threads = threads
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        # Idle worker threads that spin are ruinous when the CPU is shared (other jobs, or several requests
        # at once in `serve`), as with torch's OMP_WAIT_POLICY (see embed.py): let them sleep.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(onnx_file), opts, providers=["CPUExecutionProvider"])
        self.dimension = int(self.session.get_outputs()[0].shape[-1] or 0) or None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 rows, one per text (prompts already prepended by the caller)."""
        prepared = [t.lower() for t in texts] if self.lowercase else list(texts)
        encodings = self.tokenizer.encode_batch(prepared)
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        weights = mask[..., None].astype(np.float32)
        vecs = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return (vecs / np.maximum(norms, 1e-12)).astype(np.float32)


def open_exported(folder: Path, cache_dir: Path, max_seq_length: int, threads: int = 0) -> OnnxEncoder | None:
    """The encoder for `folder` if an export exists and onnxruntime is installed; otherwise None."""
    if not supported(folder):
        return None
    onnx_file = export_dir(cache_dir, folder) / FILE
    if not onnx_file.is_file():
        return None
    try:
        return OnnxEncoder(folder, onnx_file, max_seq_length, threads)
    except ImportError:
        return None
    except Exception as exc:  # a damaged export must not stop questions: the torch path still works
        log.warning("removing the damaged ONNX export %s (%s); questions use torch, which exports it again", onnx_file, exc)
        onnx_file.unlink(missing_ok=True)
        return None


def export_and_verify(st_model: Any, folder: Path, cache_dir: Path, threads: int = 0) -> OnnxEncoder | None:
    """Export (unless a verified export exists), check it reproduces `st_model` on PROBES, and only then
    publish it as model.onnx; returns its encoder, or None if unsupported, unavailable or disagreeing.
    A model.onnx on disk has therefore always passed the check: later processes open it without torch."""
    if not supported(folder):
        return None
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return None
    target = export_dir(cache_dir, folder)
    if (target / FILE).is_file():
        return OnnxEncoder(folder, target / FILE, st_model.max_seq_length, threads)
    candidate = f"unverified-{os.getpid()}.onnx"
    try:
        export(st_model, target, candidate)
        encoder = OnnxEncoder(folder, target / candidate, st_model.max_seq_length, threads)
        want = st_model.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        got = encoder.encode(PROBES)
        agreement = float((np.asarray(want, dtype=np.float32) * got).sum(axis=1).min())
        if agreement < MIN_AGREEMENT:
            log.warning("the ONNX export disagrees with the model (cosine %.6f); questions use torch", agreement)
            return None
        os.replace(target / candidate, target / FILE)
        return encoder
    except Exception as exc:
        log.warning("could not export the embedding model to ONNX (%s); questions use torch", exc)
        return None
    finally:
        (target / candidate).unlink(missing_ok=True)


def _json(path: Path) -> dict:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
