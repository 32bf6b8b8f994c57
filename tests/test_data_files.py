"""The word lists and tables shipped in assistant/data are read with json.loads, which keeps the
last of two equal keys without a word: a second entry for one key would silently replace the
first. Editors add entries by hand, so the files are checked for repeated keys at every depth."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import pytest

DATA_FILES = sorted(
    entry.name
    for entry in resources.files("assistant").joinpath("data").iterdir()
    if entry.name.endswith(".json")
)


def repeated_keys(text: str) -> list[str]:
    repeated: list[str] = []

    def keep_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
        counts = Counter(key for key, _ in pairs)
        repeated.extend(key for key, count in counts.items() if count > 1)
        return dict(pairs)

    json.loads(text, object_pairs_hook=keep_pairs)
    return repeated


def test_repeated_keys_are_found() -> None:
    assert repeated_keys('{"a": 1, "b": {"c": 1, "c": 2}, "a": 3}') == ["c", "a"]


def test_the_data_files_are_found() -> None:
    assert "glossary_en_vi.json" in DATA_FILES and "shorthand_vi.json" in DATA_FILES


@pytest.mark.parametrize("name", DATA_FILES)
def test_no_data_file_repeats_a_key(name: str) -> None:
    text = resources.files("assistant").joinpath("data", name).read_text("utf-8")
    assert repeated_keys(text) == []
