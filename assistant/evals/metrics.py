"""Pure metric functions of the evals and benchmarks: ranks, hit@k, MRR, percentiles."""
from __future__ import annotations

from typing import Sequence


def first_relevant_rank(relevance: Sequence[bool]) -> int | None:
    """1-based rank of the first relevant result, or None."""
    for i, rel in enumerate(relevance, start=1):
        if rel:
            return i
    return None


def retrieval_metrics(ranks: Sequence[int | None], ks: Sequence[int] = (1, 3, 5), mrr_at: int = 10) -> dict:
    """hit@k for each k and MRR@mrr_at from the first-relevant ranks of each question."""
    n = len(ranks)
    out: dict[str, float] = {"n": n}
    for k in ks:
        out[f"hit@{k}"] = sum(1 for r in ranks if r is not None and r <= k) / n if n else 0.0
    out["mrr"] = sum(1.0 / r for r in ranks if r is not None and r <= mrr_at) / n if n else 0.0
    return out


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
