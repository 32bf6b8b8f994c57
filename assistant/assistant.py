"""Assistant: load once, then search() and ask(); everything else sits behind this object.

Usage::

    bot = Assistant(Settings.from_env())
    for hit in bot.search("ai chủ trì hỗ trợ nạn nhân", k=3):
        print(hit.chunk.section, hit.chunk.text[:80])
    print(bot.ask("Who leads victim support?").text)
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from .answer import Composer
from .build import build_index, open_index, open_or_build
from .config import Settings
from .embed import Embedder
from .errors import UsageError
from .retrieve import Filters, Retriever

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


class Assistant:
    """The product: an index, an embedder, a retriever and an answer composer."""

    def __init__(self, settings: Settings | None = None, embedder=None):
        self.settings = settings or Settings.from_env()
        self._store = None
        self._retriever = None
        self._embedder = embedder  # share one loaded model between assistants (tests, benchmarks)
        self._composer = None
        self._lock = threading.RLock()

    # -- lifecycle ------------------------------------------------------------------------
    @property
    def embedder(self):
        """The embedding model wrapper (loaded lazily)."""
        if self._embedder is None:
            self._embedder = Embedder(self.settings)
        return self._embedder

    def warm_up(self, progress: Callable[[str, int, int], None] | None = None) -> "Assistant":
        """Open the index (building or updating it when missing or stale) and load the model."""
        with self._lock:
            if self._store is None:
                self.use_store(open_or_build(self.settings, self.embedder, progress))
        return self

    def use_store(self, store) -> None:
        """Answer from this opened index from now on (its retriever and composer are made here)."""
        make_retriever = getattr(store, "make_retriever", None)  # a store in PostgreSQL searches there
        retriever = make_retriever(self.embedder, self.settings) if make_retriever else Retriever(store, self.embedder, self.settings)
        composer = Composer(retriever, self.settings)
        # One assignment each: concurrent readers see either the old or the new index.
        self._store, self._retriever, self._composer = store, retriever, composer

    def reindex(self, progress: Callable[[str, int, int], None] | None = None, rebuild: bool = False):
        """Re-index the documents folder and switch to the new index atomically."""
        report = build_index(self.settings, self.embedder, progress, rebuild=rebuild)
        store = open_index(self.settings)
        with self._lock:
            self.use_store(store)
        return report

    def refresh(self) -> bool:
        """Switch to a newer generation another replica published to the shared store (PostgreSQL);
        True when it switched. A folder index is only changed by this process: nothing to do."""
        store = self._store
        if store is None or not getattr(store, "newer", lambda: False)():
            return False
        fresh = open_index(self.settings)
        with self._lock:
            self.use_store(fresh)
        return True

    @property
    def store(self):
        """The opened index."""
        self.warm_up()
        return self._store

    @property
    def retriever(self):
        """The hybrid retriever over the opened index."""
        self.warm_up()
        return self._retriever

    # -- questions ------------------------------------------------------------------------
    def search(self, question: str, k: int | None = None, filters: dict | None = None, mode: str = "hybrid"):
        """Top-k passages for a question (list of retrieve.Hit)."""
        question = check_question(question)
        return self.retriever.search(question, k or self.settings.top_k, Filters.from_dict(filters), mode)

    def ask(self, question: str, history: list | None = None, filters: dict | None = None, generate: bool = True):
        """A cited answer (answer.Answer); `history` holds earlier turns for follow-up questions; generate=False
        keeps the quoted (deterministic) answer even when an LLM is configured."""
        question = check_question(question)
        self.warm_up()
        if not generate:
            return self._composer.deterministic(question, history or [], Filters.from_dict(filters))
        return self._composer.answer(question, history=history or [], filters=Filters.from_dict(filters))

    def stream(self, question: str, history: list | None = None, filters: dict | None = None, generate: bool = True):
        """Yield the answer's text pieces as they come, then the final Answer (generate: as in ask)."""
        question = check_question(question)
        self.warm_up()
        if not generate:
            answer = self._composer.deterministic(question, history or [], Filters.from_dict(filters))
            yield answer.text
            yield answer
            return
        yield from self._composer.stream(question, history=history or [], filters=Filters.from_dict(filters))

    def conversation(self) -> "Conversation":
        """A conversation that remembers earlier turns for follow-ups."""
        return Conversation(self)

    def documents(self) -> list[dict]:
        """Metadata of every indexed document, with chunk counts and warnings."""
        import numpy as np

        store = self.store
        # Counted from the chunk → document array, not by reading every chunk of the table.
        known = store.chunk_docs[store.chunk_docs >= 0]
        counts = np.bincount(known, minlength=len(store.documents))
        return [dict(doc.meta(), chunks=int(counts[i])) for i, doc in enumerate(store.documents.values())]

    def problems(self) -> list[dict]:
        """Files that could not be indexed, with the reason."""
        return list(self.store.problems)


class Conversation:
    """Turns of one chat; follow-up questions reuse the previous question's intent."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.history: list = []

    def ask(self, question: str, filters: dict | None = None):
        """Answer in the context of earlier turns, and remember this turn."""
        answer = self.assistant.ask(question, history=self.history, filters=filters)
        self.history.append(answer)
        return answer

    def stream(self, question: str, filters: dict | None = None):
        """Like ask(), yielding text pieces first; the last item is the Answer."""
        answer = None
        for piece in self.assistant.stream(question, history=self.history, filters=filters):
            if isinstance(piece, str):
                yield piece
            else:
                answer = piece
        if answer is not None:
            self.history.append(answer)
            yield answer

    def reset(self) -> None:
        """Start a new conversation."""
        self.history.clear()


def check_question(question: object) -> str:
    """Reject empty or non-text questions; shorten absurdly long ones."""
    if not isinstance(question, str):
        raise UsageError("The question must be text.")
    question = question.strip()
    if not question:
        raise UsageError("The question is empty — type a question, e.g. \"Ai chủ trì hỗ trợ nạn nhân?\"")
    if len(question) > MAX_QUESTION_CHARS:
        question = question[:MAX_QUESTION_CHARS]
    return question
