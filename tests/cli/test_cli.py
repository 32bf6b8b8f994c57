"""The command line in real subprocesses: the --json contracts, --batch, exit codes and
one-line errors, an instant --help, incremental `index`, ASSISTANT_* variables."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEARCH_KEYS = {"rank", "score", "doc_id", "title", "section", "text", "start", "end"}
ASK_KEYS = {"question", "answer", "found", "citations"}
CITATION_KEYS = {"n", "doc_id", "title", "section", "text", "start", "end"}
QUESTION = "ai chủ trì hỗ trợ nạn nhân"
BATCH = ["Ai chủ trì hỗ trợ nạn nhân?", "Thời tiết hôm nay thế nào?", "who leads victim support?"]


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_DOCUMENTS") and not k.startswith("ASSISTANT_INDEX")}
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=env or base_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=env or base_env(),
                          capture_output=True, text=True, timeout=timeout)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip() and not line.startswith("usage:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.fixture(scope="module")
def where(bot) -> list[str]:
    return ["--documents", str(bot.settings.documents_dir), "--index", str(bot.settings.index_dir)]


@pytest.fixture(scope="module")
def model_runs(bot, where, tmp_path_factory):
    """The commands that load the model, started together so their start-up costs overlap."""
    batch = tmp_path_factory.mktemp("batch") / "questions.txt"
    batch.write_text("\n".join(BATCH[:1] + [""] + BATCH[1:]) + "\n", encoding="utf-8")  # a blank line is skipped
    env_only = base_env(ASSISTANT_DOCUMENTS=str(bot.settings.documents_dir), ASSISTANT_INDEX=str(bot.settings.index_dir))
    procs = {
        "search": start("search", QUESTION, "--json", "-k", "4", *where),
        # no --documents/--index flags: the ASSISTANT_* variables must be honoured
        "batch": start("ask", "--batch", str(batch), env=env_only),
    }
    out = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        out[name] = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    return out


def test_search_json_has_exactly_the_contract_keys_and_exact_spans(bot, model_runs):
    proc = model_runs["search"]
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) == {"query", "results"} and data["query"] == QUESTION
    assert [r["rank"] for r in data["results"]] == [1, 2, 3, 4]
    for row in data["results"]:
        assert set(row) == SEARCH_KEYS
        doc = bot.store.documents[row["doc_id"]]
        assert doc.text[row["start"] : row["end"]] == row["text"]
        assert row["title"] == doc.title
    # The CLI is a shell over the same Assistant: same passages as an in-process search.
    expected = [(h.chunk.doc_id, h.chunk.start, h.chunk.end) for h in bot.search(QUESTION, k=4)]
    assert [(r["doc_id"], r["start"], r["end"]) for r in data["results"]] == expected


def test_ask_batch_prints_one_json_answer_per_line_in_order_using_the_env_variables(bot, model_runs):
    proc = model_runs["batch"]
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == len(BATCH)
    rows = [json.loads(line) for line in lines]
    assert [r["question"] for r in rows] == BATCH
    assert [r["found"] for r in rows] == [True, False, True]
    assert rows[1]["citations"] == []


def test_ask_json_has_exactly_the_contract_keys(bot, where, monkeypatch, capsys):
    # In-process with the session Assistant (a third model-loading subprocess would cost ~30 s).
    from assistant.cli import common as cli_common
    from assistant.cli import parser as cli

    monkeypatch.setattr(cli_common, "make_assistant", lambda args, **extra: bot)
    assert cli.main(["ask", BATCH[0], "--json", *where]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    data = json.loads(out[0])
    assert set(data) == ASK_KEYS and data["question"] == BATCH[0] and data["found"] is True
    assert "Sở Y tế" in data["answer"] and data["citations"]
    for c in data["citations"]:
        assert set(c) == CITATION_KEYS
        assert bot.store.documents[c["doc_id"]].text[c["start"] : c["end"]] == c["text"]


def test_batch_answers_are_the_ask_json_of_each_question(bot, model_runs):
    rows = [json.loads(line) for line in model_runs["batch"].stdout.strip().splitlines()]
    for question, data in zip(BATCH, rows):
        assert set(data) == ASK_KEYS
        for c in data["citations"]:
            assert set(c) == CITATION_KEYS
            assert bot.store.documents[c["doc_id"]].text[c["start"] : c["end"]] == c["text"]
        assert data == bot.ask(question).to_json()
    assert "Sở Y tế" in rows[0]["answer"] and rows[0]["citations"]


def test_a_missing_question_exits_2_with_one_line(where):
    proc = run("ask", *where, timeout=120)
    assert proc.returncode == 2
    line = one_line_error(proc)
    assert "question" in line.lower()
    assert proc.stdout == ""


def test_an_empty_batch_file_exits_2_with_one_line(where, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    proc = run("search", "--batch", str(empty), *where, timeout=120)
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert str(empty) in one_line_error(proc)
    assert proc.stdout == ""


def test_a_missing_documents_folder_fails_with_one_line_and_no_traceback(tmp_path):
    missing = tmp_path / "no-such-folder"
    proc = run("search", QUESTION, "--documents", str(missing), "--index", str(tmp_path / "index"), timeout=120)
    assert proc.returncode in (1, 2)
    line = one_line_error(proc)
    assert str(missing) in line
    assert not (tmp_path / "index").exists() or not any((tmp_path / "index").iterdir())


def test_help_lists_the_commands_with_examples():
    proc = run("--help", timeout=120)
    assert proc.returncode == 0 and proc.stderr == ""
    for command in ("index", "search", "ask", "chat"):
        assert re.search(rf"^\s+{command}\s", proc.stdout, re.M), command
    assert "examples:" in proc.stdout
    sub = run("search", "-h", timeout=120)
    assert sub.returncode == 0
    for flag in ("--json", "--batch", "--top-k", "--documents", "--index", "--mode"):
        assert flag in sub.stdout, flag
    assert "example:" in sub.stdout


def test_parsing_help_imports_no_heavy_library():
    code = (
        "import json, sys\n"
        "from assistant import cli\n"
        "for argv in (['--help'], ['search', '-h'], ['ask', '-h']):\n"
        "    try:\n"
        "        cli.build_parser().parse_args(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('torch', 'gradio', 'faiss', 'sentence_transformers', 'transformers') if m in sys.modules]\n"
        "print(json.dumps(heavy), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []


def test_reindexing_an_unchanged_corpus_embeds_nothing_and_honours_env_variables(bot, where, model_runs):
    # `bot` built this index in-process; running `index` on it again (with flags, then with only
    # the ASSISTANT_* variables) must reuse every vector.
    n_docs, n_chunks = len(bot.store.documents), len(bot.store.chunks)
    expected = f"Indexed {n_docs} documents, {n_chunks} chunks (0 embedded, {n_chunks} reused)"
    first = run("index", "-q", *where)
    assert first.returncode == 0, first.stderr
    assert expected in first.stdout, first.stdout
    env = base_env(ASSISTANT_DOCUMENTS=str(bot.settings.documents_dir), ASSISTANT_INDEX=str(bot.settings.index_dir))
    second = run("index", "-q", env=env)
    assert second.returncode == 0, second.stderr
    assert expected in second.stdout, second.stdout
    assert f"→ {bot.settings.index_dir}" in second.stdout
