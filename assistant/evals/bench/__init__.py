"""Benchmarks: `suite.py` runs them and writes evals/RESULTS.md; `store.py` measures the PostgreSQL store."""
