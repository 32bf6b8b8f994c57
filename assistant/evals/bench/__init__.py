"""Benchmarks, one module each (indexing, query, startup, memory, scale, concurrency, ocr) over what they share
(common.py); `suite.py` runs them and writes evals/RESULTS.md; `store.py` measures the PostgreSQL store."""
