"""English → Vietnamese domain terms, so English questions can use the keyword index too."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _glossary() -> tuple[tuple[str, str], ...]:
    raw = json.loads(resources.files("assistant").joinpath("data/glossary_en_vi.json").read_text("utf-8"))
    pairs = [(k.lower(), v) for k, v in raw.items() if not k.startswith("_")]
    return tuple(sorted(pairs, key=lambda kv: -len(kv[0])))  # longest phrase first


def expand_english(question: str) -> str:
    """Vietnamese terms for the English domain words and phrases in a question ("" if none)."""
    text = " " + re.sub(r"[^\w'\- ]+", " ", question.lower()) + " "
    found: list[str] = []
    for english, vietnamese in _glossary():
        pattern = f" {english} "
        if pattern in text:
            found.append(vietnamese)
            text = text.replace(pattern, " \x00 ")  # a word is used by its longest phrase only
    return " ".join(found)
