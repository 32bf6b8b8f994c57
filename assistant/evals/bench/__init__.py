"""Benchmarks, one module each (indexing, query, startup, memory, scale, concurrency, ocr) over what they share
(common.py); `suite.py` runs them and writes evals/RESULTS.md; `store.py` measures the PostgreSQL store.
The names and default outputs stand here, light, for the command line's help."""
from ...config import PROJECT_ROOT

EVALS_DIR = PROJECT_ROOT / "evals"
DEFAULT_OUT = EVALS_DIR / "RESULTS.md"
DEFAULT_JSON = EVALS_DIR / "bench.json"
NAMES = ("indexing", "query", "imports", "coldstart", "memory", "scale", "concurrency", "ocr")
