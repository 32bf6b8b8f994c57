"""Names defined twice, unused imports and locals in the package and its tests, read by ruff (pyflakes' rules).

A test defined twice runs once (the later definition shadows the earlier one) and a local computed and dropped often
means a branch that lost its use: both have hidden bugs here before."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.unit


def test_no_name_is_defined_twice_or_left_unused():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed: `pip install -e .[test]` installs it")
    done = subprocess.run([ruff, "check", "--no-cache", "--select", "F811,F841,F401,F821", "--output-format", "concise",
                           "assistant", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
