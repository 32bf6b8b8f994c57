"""Settings: flag → ASSISTANT_* variable → default, with every value checked (assistant/config.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import AssistantError, ConfigError


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


@pytest.mark.parametrize("variable, raw, accepted", [
    ("ASSISTANT_FUSION", "foo", ("weighted", "rrf")),
    ("ASSISTANT_ONNX_QUERIES", "flase", ("1/0", "true/false", "yes/no", "on/off")),
])
def test_the_error_names_the_variable_the_bad_value_and_what_is_accepted(variable, raw, accepted):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({variable: raw})
    message = str(caught.value)
    assert variable in message and repr(raw) in message
    assert all(word in message for word in accepted), message
    assert isinstance(caught.value, AssistantError) and caught.value.exit_code == 2  # a usage error: exit 2


def test_a_bad_flag_value_names_the_setting():
    with pytest.raises(ConfigError, match=r"^fusion = 'foo' is not a fusion mode; use one of: weighted, rrf\.$"):
        Settings.from_env({}, fusion="foo")
    with pytest.raises(ConfigError, match=r"^Setting onnx_queries = 'flase' is not a valid bool"):
        Settings.from_env({}, onnx_queries="flase")


def test_a_flag_replaces_a_bad_variable():
    settings = Settings.from_env({"ASSISTANT_FUSION": "rrf"}, fusion="weighted")
    assert settings.fusion == "weighted"
    assert Settings.from_env({"ASSISTANT_FUSION": "foo"}, fusion="rrf").fusion == "rrf"


@pytest.mark.parametrize("env, field, value", [
    ({"ASSISTANT_FUSION": "rrf"}, "fusion", "rrf"),
    ({"ASSISTANT_DENSE_WEIGHT": "0.25"}, "dense_weight", 0.25),
    ({"ASSISTANT_CANDIDATES": "40"}, "candidates", 40),
    ({"ASSISTANT_OCR": "off"}, "ocr", False),
    ({"ASSISTANT_INDEX": "~/idx"}, "index_dir", Path("~/idx").expanduser()),
    ({"ASSISTANT_TOP_K": ""}, "top_k", Settings().top_k),  # an empty variable means the default
])
def test_variables_are_coerced_to_the_setting_type(env, field, value):
    got = getattr(Settings.from_env(env), field)
    assert got == value and type(got) is type(value)
