"""Optional generation through a LangChain chat model, used only when the user configures one.

`ASSISTANT_LLM_MODEL=openai:<model>` (with ASSISTANT_LLM_BASE_URL for vLLM, llama.cpp,
LM Studio or a ministry gateway) or `ollama:qwen2.5:7b`. Sources are numbered and fenced
as data; the reply is validated while it streams (ReplyGuard): markers naming no supplied
source are dropped, nothing is shown before a valid citation, sentences without one are
flagged, and an endpoint failure falls back to the deterministic answer.
"""
from __future__ import annotations

import html
import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .citations import cited_numbers, drop_invalid_markers
from .config import Settings
from .errors import ConfigError, LLMError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PromptTemplate:
    """A prompt file: declared variables, a system part and a user part."""

    name: str
    variables: frozenset[str]
    system: str
    user: str

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) with the variables filled in; every declared variable is required."""
        missing = self.variables - values.keys()
        if missing:
            raise ConfigError(f"Prompt {self.name} needs {sorted(missing)}.")
        return self.system.format(**values), self.user.format(**values)


def load_prompt(path: Path) -> PromptTemplate:
    """Read a prompt file and check that its placeholders are exactly the declared variables."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"Prompt file {path} is missing — restore it from the repository.") from exc
    lines = raw.splitlines()
    declared: set[str] = set()
    body = []
    for line in lines:
        m = re.match(r"#\s*variables:\s*(.*)", line)
        if m:
            declared = {v.strip() for v in m.group(1).split(",") if v.strip()}
        elif not line.startswith("#"):
            body.append(line)
    text = "\n".join(body).strip()
    system, sep, user = text.partition("\n---\n")
    if not sep:
        raise ConfigError(f"Prompt {path} must separate its system and user parts with a line '---'.")
    used = set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", text))
    if used != declared:
        raise ConfigError(f"Prompt {path} declares {sorted(declared)} but uses {sorted(used)}.")
    return PromptTemplate(path.name, frozenset(declared), system.strip(), user.strip())


@lru_cache(maxsize=8)
def prompt_for(prompts_dir: str, language: str) -> PromptTemplate:
    """The answer prompt for a language ("vi" or "en")."""
    return load_prompt(Path(prompts_dir) / f"answer.{'en' if language == 'en' else 'vi'}.txt")


def fence_sources(passages: Sequence[tuple[int, str, str, str]]) -> str:
    """Number and fence passages as data: (n, title, section, text) → <source …>text</source> blocks."""
    blocks = []
    for n, title, section, text in passages:
        # Escaping keeps a document from closing the fence or faking another source.
        safe = html.escape(text, quote=False)
        blocks.append(
            f'<source n="{n}" document="{html.escape(title)}" section="{html.escape(section)}">\n{safe}\n</source>'
        )
    return "\n".join(blocks)


def _provider_and_model(settings: Settings) -> tuple[str, str]:
    provider, _, model = settings.llm_model.partition(":")
    if not provider or not model:
        raise ConfigError(
            f"ASSISTANT_LLM_MODEL must look like 'openai:<model>' or 'ollama:<model>', not {settings.llm_model!r}."
        )
    return provider, model


def make_chat_model(settings: Settings):
    """The configured LangChain chat model ("provider:model")."""
    provider, model = _provider_and_model(settings)
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as exc:
        raise ConfigError(
            "ASSISTANT_LLM_MODEL is set but LangChain is not installed — run: pip install '.[llm]'"
        ) from exc
    kwargs: dict = {"temperature": settings.llm_temperature}
    if provider == "openai":
        kwargs.update(timeout=settings.llm_timeout, max_retries=0)
        key = os.environ.get(settings.llm_api_key_env or "OPENAI_API_KEY", "")
        kwargs["api_key"] = key or "not-needed"  # local servers accept any key
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
    elif provider == "ollama":
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
        kwargs["client_kwargs"] = {"timeout": settings.llm_timeout}
    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except Exception as exc:
        raise ConfigError(f"Cannot set up the language model {settings.llm_model!r}: {exc}") from exc


class Generator:
    """Streams an answer from the configured chat model over numbered, fenced sources."""

    def __init__(self, settings: Settings):
        # Check the model name and both prompt files now, so a broken configuration is a
        # ConfigError at load and not a "model unavailable" notice on every question.
        _provider_and_model(settings)
        for language in ("vi", "en"):
            prompt_for(str(settings.prompts_dir), language)
        self.settings = settings
        self._model = None

    @property
    def model(self):
        """The chat model, created on first use."""
        if self._model is None:
            self._model = make_chat_model(self.settings)
        return self._model

    def stream(self, question: str, passages: Sequence[tuple[int, str, str, str]], language: str) -> Iterator[str]:
        """Yield text pieces of the reply; raises LLMError on failure or timeout."""
        from langchain_core.messages import HumanMessage, SystemMessage

        template = prompt_for(str(self.settings.prompts_dir), language)
        system, user = template.render(question=question, sources=fence_sources(passages), count=str(len(passages)))
        model = self.model  # a configuration error is not an unavailable endpoint: let it through
        try:
            for piece in model.stream([SystemMessage(system), HumanMessage(user)]):
                text = piece.content if isinstance(piece.content, str) else "".join(
                    part.get("text", "") for part in piece.content if isinstance(part, dict)
                )
                if text:
                    yield text
        except LLMError:
            raise
        except Exception as exc:  # network errors, timeouts, HTTP errors from any provider
            raise LLMError(f"The language model did not answer ({type(exc).__name__}: {exc}).") from exc


# The end of a reply that may still change meaning: whitespace, complete markers and a marker
# still arriving ("[", "[1", "[1, 2"). It is held back until a letter or punctuation follows.
_TAIL = re.compile(r"(?:\s|\[[\d\s,–-]*+\]?+)*+$")  # possessive: linear, no backtracking


class ReplyGuard:
    """Filters a streamed reply so that what is shown is exactly the validated answer text.

    Nothing is shown before the first citation of a supplied source (a reply that cites
    nothing is replaced by the deterministic answer, so its invented sentences never
    reach the screen), and markers naming sources that were not supplied are removed as
    they arrive. `text` is the cleaned reply, `shown` what was returned so far, `dropped`
    the removed numbers.
    """

    def __init__(self, valid: Iterable[int]):
        self.valid = frozenset(valid)
        self.raw = ""
        self.text = ""
        self.shown = ""
        self.dropped: list[int] = []
        self._pos = 0  # raw[:_pos] has been cleaned into text
        self._cited = False

    def feed(self, piece: str) -> str:
        """Take one streamed piece; return the text that may be shown now (often "")."""
        self.raw += piece
        end = _TAIL.search(self.raw, self._pos).start()
        if not self._cited:
            self._cited = any(n in self.valid for n in cited_numbers(self.raw[:end]))
            if not self._cited:
                return ""
        return self._take(end)

    def close(self) -> str:
        """The rest of the reply once the stream has ended ("" when it never cited a source)."""
        if not self._cited:
            self._cited = any(n in self.valid for n in cited_numbers(self.raw))
        if not self._cited:
            self.text, self.dropped = drop_invalid_markers(self.raw, self.valid)
            self.text = self.text.strip()
            return ""
        return self._take(len(self.raw), final=True)

    def _take(self, end: int, final: bool = False) -> str:
        # Segments end after a letter or punctuation, never inside a marker or a run of
        # spaces, so cleaning them one by one equals cleaning the whole reply once.
        cleaned, dropped = drop_invalid_markers(self.raw[self._pos : end], self.valid)
        self._pos = end
        self.dropped.extend(dropped)
        if not self.text:
            cleaned = cleaned.lstrip()
        if final:
            cleaned = cleaned.rstrip()
        self.text += cleaned
        self.shown += cleaned
        return cleaned


def uncited_sentences(text: str) -> list[str]:
    """Sentences of a reply that carry no [n] marker (they are flagged to the user)."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip() for p in parts if len(p.strip()) > 20 and not cited_numbers(p)]
