"""The import picture, checked: the pipeline and the answer engine in assistant/ never reach up into a wing
(cli/, web/, trainer/, evals/); the wings import each other only along the allowed arrows; nothing imports
the CLI; no module imports another's private names; the package's own imports stand at the top of a file;
and no import runs in a circle. Read from the source with `ast`, top-level and function-level imports
alike, so a lazy import cannot hide an arrow."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"

WINGS = {"cli", "web", "trainer", "evals"}
# The wings' allowed arrows: the one parser dispatches to every wing's commands (serve, the trainer's commands,
# eval and bench); the web page shows the trainer's tabs; the benchmarks measure the served app (web).
WING_ARROWS = {("cli", "web"), ("cli", "trainer"), ("cli", "evals"), ("web", "trainer"), ("evals", "web")}
# `python -m assistant` is the command line's entry point: the one module besides cli/ that imports it.
ENTRY = "__main__"
# Private names still imported across modules in files other work owns right now (the answer engine,
# query.py, load.py): each is named, so a new one fails the test.
PRIVATE_TODO: set[tuple[str, str]] = set()
# Function-level imports of the package itself that stay: the package face's lazy re-exports (so that
# `import assistant` stays instant), the parser loading the commands only once one is parsed (so that
# `assistant --help` stays instant), and files other work is reshaping now.
LAZY_OK = {"__init__", "cli.parser"}
LAZY_TODO_FILES: set[str] = set()


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts) or "__init__"


def known_modules() -> set[str]:
    return {module_name(p) for p in PACKAGE.rglob("*.py")}


def _resolve(path: Path, node: ast.ImportFrom) -> str | None:
    """The package-relative module a `from ... import` names ("" for the package itself), None if outside."""
    name = module_name(path)
    package = name.split(".")[:-1] if path.name != "__init__.py" else ([] if name == "__init__" else name.split("."))
    if node.level:
        base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
        return ".".join([*base, *(node.module.split(".") if node.module else [])])
    if node.module and (node.module == "assistant" or node.module.startswith("assistant.")):
        return node.module[len("assistant"):].lstrip(".")
    return None


def imported_names(path: Path, tree: ast.Module | None = None) -> list[tuple[str, str, ast.ImportFrom | ast.Import]]:
    """(module, name or "", node) for every import of the package in a file, at any depth."""
    known = known_modules()
    out = []
    for node in ast.walk(tree or ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(path, node)
            if target is None:
                continue
            for alias in node.names:
                sub = ".".join(p for p in (target, alias.name) if p)
                if sub in known:  # "from . import duties": the module itself
                    out.append((sub, "", node))
                else:
                    out.append((target or "__init__", alias.name, node))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("assistant."):
                    out.append((alias.name[len("assistant."):], "", node))
    return out


def imports_of(path: Path) -> set[str]:
    """The package modules a file imports (relative or absolute), at any depth of the file."""
    known, name = known_modules(), module_name(path)
    return {m for m, _n, _node in imported_names(path) if m in known and m != name}


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def wing(name: str) -> str | None:
    top = name.split(".")[0]
    return top if top in WINGS else None


def test_the_pipeline_and_the_answer_engine_never_import_a_wing():
    wrong = [f"{name} -> {target}" for name, targets in graph().items() if not wing(name) and name != ENTRY
             for target in targets if wing(target)]
    assert not wrong, wrong


def test_wings_import_each_other_only_along_the_allowed_arrows():
    wrong = [f"{name} -> {target}" for name, targets in graph().items() for target in targets
             if wing(name) and wing(target) and wing(name) != wing(target) and (wing(name), wing(target)) not in WING_ARROWS]
    assert not wrong, wrong


def test_nothing_imports_the_command_line():
    wrong = [f"{name} -> {target}" for name, targets in graph().items() for target in targets
             if wing(target) == "cli" and wing(name) != "cli" and name != ENTRY]
    assert not wrong, wrong


def test_no_module_imports_another_modules_private_names():
    wrong = set()
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        for module, imported, _node in imported_names(path):
            if imported.startswith("_") and not imported.startswith("__") and module != name:
                wrong.add((name, f"{module}.{imported}"))
    assert wrong <= PRIVATE_TODO, sorted(wrong - PRIVATE_TODO)


def test_the_package_imports_its_own_modules_at_the_top_of_a_file():
    lazy = []
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        if name in LAZY_OK or name.split(".")[0] in LAZY_TODO_FILES:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        type_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                     for n in ast.walk(block)}
        top = {id(n) for n in tree.body}
        for _module, _imported, node in imported_names(path, tree):
            if id(node) not in top and id(node) not in type_only:
                lazy.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert not lazy, sorted(set(lazy))


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
    # A package's face (__init__) re-exporting its own modules is not a circle worth naming.
    faces = {module_name(p) for p in PACKAGE.rglob("__init__.py")}
    circles = [c for c in circles if not any(m in faces for m in c) and not all(m.startswith("answer") for m in c)]
    assert not circles, circles


@pytest.mark.parametrize("shell", ["app", "trainer_tabs", "api", "access"])
def test_the_web_pieces_take_shared_html_and_error_shapes_from_leaf_modules(shell):
    # web/html.py and web/openai_errors.py import nothing of the package's upper floors (document.py, like
    # errors.py, imports nothing of the package at all).
    assert not imports_of(PACKAGE / "document.py")
    for leaf in ("html", "openai_errors"):
        assert not imports_of(PACKAGE / "web" / f"{leaf}.py") - {"errors", "text", "document"}, leaf
    assert "web.app" not in imports_of(PACKAGE / "web" / f"{shell}.py") or shell == "app"


def test_the_rules_see_a_wrong_arrow(tmp_path, monkeypatch):
    # The checks above can fail: a pipeline module importing the web wing, lazily and privately, is seen.
    fake = tmp_path / "assistant"
    (fake / "web").mkdir(parents=True)
    (fake / "web" / "app.py").write_text("def _secret():\n    pass\n", "utf-8")
    (fake / "chunk.py").write_text("def f():\n    from .web.app import _secret\n", "utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    assert graph()["chunk"] == {"web.app"}
    with pytest.raises(AssertionError):
        test_the_pipeline_and_the_answer_engine_never_import_a_wing()
    with pytest.raises(AssertionError):
        test_no_module_imports_another_modules_private_names()
    with pytest.raises(AssertionError):
        test_the_package_imports_its_own_modules_at_the_top_of_a_file()
