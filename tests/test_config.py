"""Settings: flag → ASSISTANT_* variable → default, with every value checked (assistant/config.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import ConfigError


def test_a_variable_sets_a_value_and_a_flag_wins_over_it():
    settings = Settings.from_env({"ASSISTANT_TOP_K": "7", "ASSISTANT_DOCUMENTS": "/tmp/docs"})
    assert settings.top_k == 7 and settings.documents_dir == Path("/tmp/docs")
    assert Settings.from_env({"ASSISTANT_TOP_K": "7"}, top_k=3).top_k == 3


@pytest.mark.parametrize("raw, value", [("1", True), ("true", True), ("Yes", True), ("on", True),
                                        ("0", False), ("false", False), ("no", False), ("OFF", False)])
def test_switches_accept_the_usual_words(raw, value):
    assert Settings.from_env({"ASSISTANT_ONNX_QUERIES": raw}).onnx_queries is value


@pytest.mark.parametrize("env, message", [
    ({"ASSISTANT_ONNX_QUERIES": "flase"}, "onnx_queries"),
    ({"ASSISTANT_FUSION": "foo"}, "fusion"),
    ({"ASSISTANT_TOP_K": "five"}, "top_k"),
    ({"ASSISTANT_DENSE_WEIGHT": "1.5"}, "dense_weight"),
    ({"ASSISTANT_CHUNK_MAX_CHARS": "50"}, "chunk_max_chars"),
])
def test_a_value_that_cannot_work_is_a_clear_error(env, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_an_unknown_override_is_an_error():
    with pytest.raises(ConfigError, match="Unknown setting"):
        Settings.from_env({}, no_such_setting=1)
