"""Cited answers: one module per strategy, `Composer` choosing among them (compose.py).

The deterministic answer is the default: built from the documents' own sentences, quoted
verbatim, so numbers, dates and document numbers are never paraphrased. An LLM is used
only when one is configured (generate via llm.py).
"""
from .compose import Composer
from .types import Answer, Citation, cited_numbers, drop_invalid_markers, sentences

__all__ = ["Answer", "Citation", "Composer", "cited_numbers", "drop_invalid_markers", "sentences"]
