"""Restore diacritics to questions typed without them, from the corpus's own vocabulary.

"ai chu tri ho tro nan nhan" → "ai chủ trì hỗ trợ nạn nhân": every folded word pair and
word seen in the corpus maps to its most frequent accented form. Pairs win over single
words because they disambiguate ("ho tro" → "hỗ trợ", not "hộ trở").
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable

from .text import fold, has_diacritics, normalize_for_matching

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def build_restore_table(texts: Iterable[str], max_entries: int = 400_000) -> dict:
    """{"1": {folded word: accented}, "2": {folded pair: accented pair}} from corpus texts."""
    unigrams: dict[str, Counter] = defaultdict(Counter)
    bigrams: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for line in normalize_for_matching(text).lower().split("\n"):
            for segment in re.split(r"[.,;:!?()\[\]\"“”'’/]+", line):
                words = _WORD.findall(segment)
                for i, word in enumerate(words):
                    unigrams[fold(word)][word] += 1
                    if i + 1 < len(words):
                        pair = f"{word} {words[i + 1]}"
                        bigrams[fold(pair)][pair] += 1
    uni = {k: c.most_common(1)[0][0] for k, c in unigrams.items() if has_diacritics(c.most_common(1)[0][0])}
    bi = {k: c.most_common(1)[0][0] for k, c in bigrams.items() if has_diacritics(c.most_common(1)[0][0])}
    if len(bi) > max_entries:  # keep the most frequent pairs for very large corpora
        keep = sorted(bi, key=lambda k: -bigrams[k].most_common(1)[0][1])[:max_entries]
        bi = {k: bi[k] for k in keep}
    return {"1": uni, "2": bi}


def restore_diacritics(question: str, table: dict) -> str:
    """The question with accents put back where the corpus vocabulary is sure; else unchanged words."""
    if not table or has_diacritics(question):
        return question
    uni, bi = table.get("1", {}), table.get("2", {})
    tokens = re.split(r"([^\W_]+)", question)
    words = [(i, t) for i, t in enumerate(tokens) if t and _WORD.fullmatch(t)]
    out = list(tokens)
    j = 0
    while j < len(words):
        i, word = words[j]
        if j + 1 < len(words):
            i2, word2 = words[j + 1]
            between = "".join(tokens[i + 1 : i2])
            pair = bi.get(f"{word.lower()} {word2.lower()}") if between.strip() == "" else None
            if pair:
                first, second = pair.split(" ", 1)
                out[i], out[i2] = _keep_case(word, first), _keep_case(word2, second)
                j += 2
                continue
        single = uni.get(word.lower())
        if single:
            out[i] = _keep_case(word, single)
        j += 1
    return "".join(out)


def _keep_case(original: str, accented: str) -> str:
    if original.isupper() and len(original) > 1:
        return accented.upper()
    if original[:1].isupper():
        return accented[:1].upper() + accented[1:]
    return accented
