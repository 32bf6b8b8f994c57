"""Source markers "[1]", "[2, 3]", "[1–4]" in an answer's text: parsed in exactly one place, used by the answer
engine, the LLM stream and the page alike."""
from __future__ import annotations

import logging
import re
from typing import Iterable

log = logging.getLogger(__name__)

_MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")


def cited_numbers(text: str) -> list[int]:
    """Every source number cited in a text, in order of first appearance ("[1, 3]" counts twice)."""
    seen: list[int] = []
    for m in _MARKER.finditer(text):
        for part in re.split(r"\s*,\s*", m.group(1)):
            if re.fullmatch(r"\d+\s*[–-]\s*\d+", part):
                a, b = (int(x) for x in re.split(r"\s*[–-]\s*", part))
                nums = list(range(a, b + 1)) if 0 < b - a < 20 else [a, b]
            else:
                nums = [int(part)]
            for n in nums:
                if n not in seen:
                    seen.append(n)
    return seen


def drop_invalid_markers(text: str, valid: Iterable[int]) -> tuple[str, list[int]]:
    """Remove markers naming sources that were not supplied; return the cleaned text and the dropped numbers."""
    valid = set(valid)
    dropped: list[int] = []

    def fix(m: re.Match) -> str:
        nums = cited_numbers(m.group(0))
        keep = [n for n in nums if n in valid]
        dropped.extend(n for n in nums if n not in valid)
        return "".join(f"[{n}]" for n in keep)

    cleaned = _MARKER.sub(fix, text)
    if dropped:
        log.warning("dropped citation markers that point nowhere: %s", sorted(set(dropped)))
    return re.sub(r"[ \t]+([.,;:])", r"\1", cleaned), dropped
