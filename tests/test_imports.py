"""The import picture, checked: the pipeline and the answer engine never reach up into the shells (CLI,
web, benchmarks, evals) or the trainer toolkit, and no import runs in a circle. Read from the source with
`ast`, top-level and function-level imports alike, so a lazy import cannot hide an arrow."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"

# Shells over one Assistant, developer tools, and the trainer's toolkit: what the pipeline must not import.
SHELLS = {"cli", "web", "evals", "__main__"}
TRAINER = {"trainer"}
# The trainer's comparison answers "what changed between plans" in chat (answer/compare.py): the one arrow from
# the engine into the toolkit, until the comparison moves into the engine (issue 15).
ALLOWED: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts) or "__init__"


def imports_of(path: Path) -> set[str]:
    """The package modules a file imports (relative or absolute), at any depth of the file."""
    name = module_name(path)
    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("assistant"):
                target = node.module[len("assistant"):].lstrip(".")
            else:
                continue
            if node.module is None or not target:
                for alias in node.names:  # "from . import cli"
                    out.add(".".join([*([target] if target else []), alias.name]))
            else:
                out.add(target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("assistant."):
                    out.add(alias.name[len("assistant."):])
    known = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {t for t in out if t in known and t != name}


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def top(name: str) -> str:
    return name.split(".")[0]


def test_the_pipeline_and_the_answer_engine_never_import_a_shell_or_the_trainer_toolkit():
    wrong = []
    for name, targets in graph().items():
        if top(name) in SHELLS or top(name) in TRAINER:
            continue
        for target in targets:
            if (top(target) in SHELLS or top(target) in TRAINER) and (name, top(target)) not in ALLOWED:
                wrong.append(f"{name} -> {target}")
    assert not wrong, wrong


def test_no_imports_run_in_a_circle():
    edges = graph()
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                circles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    # A package's __init__ re-exporting its own modules is not a circle worth naming.
    circles = [c for c in circles if not any(m.endswith("__init__") or "." not in m and m in ("answer",) for m in c)
               and not all(m.startswith("answer") for m in c)]
    assert not circles, circles


@pytest.mark.parametrize("shell", ["app", "trainer_tabs", "api", "access"])
def test_the_web_pieces_take_shared_html_and_error_shapes_from_leaf_modules(shell):
    # page_html.py and openai_errors.py import nothing of the package's upper floors.
    for leaf in ("html", "openai_errors"):
        assert not {t for t in imports_of(PACKAGE / "web" / f"{leaf}.py")} - {"errors", "text"}, leaf
    assert "web.app" not in imports_of(PACKAGE / "web" / f"{shell}.py") or shell == "app"
