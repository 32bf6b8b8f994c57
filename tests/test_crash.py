"""Crash safety: `assistant index` killed with SIGKILL at any moment leaves the previous index
loadable and unchanged, and the next run finishes the work; a damaged index is refused by the
CLI with one line and exit code 1."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.build import build_index, fingerprint, index_status
from assistant.store import IndexStore

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "documents"
NAMES = ["ninh-binh-2024-ke-hoach-22-KH-BCD.txt", "quang-ninh-2011-2015-quyet-dinh-3087.txt",
         "lam-dong-2024-bai-bao-ke-hoach-138.txt"]
ADDED = "ba-ria-vung-tau-ke-hoach-cong-uoc-actip.txt"


def _text(name: str, chars: int = 4000) -> str:
    return (SHIPPED / name).read_text(encoding="utf-8")[:chars]


def corpus(folder: Path, version: str) -> Path:
    """A: three plans. B: one edited, one deleted, one added (needs embedding). C: A minus one (needs none)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    texts = {name: _text(name) for name in NAMES}
    if version == "B":
        texts[NAMES[0]] += "\nSửa đổi: Sở Y tế bổ sung nhiệm vụ tiếp nhận nạn nhân.\n"
        del texts[NAMES[2]]
        texts[ADDED] = _text(ADDED, 9000)
    elif version == "C":
        del texts[NAMES[2]]
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def golden(tmp_path_factory, settings_for, embedder):
    """Corpus A indexed once with the real embedder: (documents, index, chunk count, document ids)."""
    documents = corpus(tmp_path_factory.mktemp("crash") / "A", "A")
    settings = settings_for(documents)
    report = build_index(settings, embedder)
    opened = IndexStore.open(settings.index_dir, fingerprint(settings))
    return documents, settings.index_dir, report.chunks, set(opened.documents)


@pytest.fixture()
def scene(tmp_path, golden, settings_for):
    """A private copy of the golden index beside a documents folder the test rewrites."""
    documents, index, chunks, ids = golden
    work_index = tmp_path / "index"
    shutil.copytree(index, work_index)
    docs = tmp_path / "documents"
    settings = settings_for(docs if docs.exists() else corpus(docs, "A")).replace(index_dir=work_index)
    return settings, chunks, ids


def assert_index(settings, chunks: int | None, ids: set[str]) -> IndexStore:
    """The live index opens (checksums verified) and holds exactly these documents."""
    opened = IndexStore.open(settings.index_dir, fingerprint(settings))
    assert set(opened.documents) == ids
    if chunks is not None:
        assert len(opened.chunks) == chunks
    assert {c.doc_id for c in opened.chunks} == ids
    return opened


def assert_clean(settings) -> None:
    """No temporary folder and no previous index left behind."""
    index = settings.index_dir
    assert not list(index.parent.glob(f".{index.name}.tmp-*"))
    assert sorted(p.name for p in index.iterdir()) == ["current"]


def ids_of(version: str) -> set[str]:
    from assistant.load import make_doc_id

    names = {"A": NAMES, "B": NAMES[:2] + [ADDED], "C": NAMES[:2]}[version]
    return {make_doc_id(Path(n).stem) for n in names}


def finish(settings, embedder, version: str):
    """The next run completes the work, reusing the surviving vectors."""
    report = build_index(settings, embedder)
    assert_index(settings, report.chunks, ids_of(version))
    assert index_status(settings) == (True, "up to date")
    assert_clean(settings)
    return report


class Watched:
    """A subprocess whose stderr is collected as it comes (tqdm writes \\r-separated updates)."""

    def __init__(self, args: list[str], env: dict | None = None):
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=dict(os.environ, **(env or {})))
        self.err = b""
        self.events: list[tuple[float, str]] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while True:
            block = self.proc.stderr.read1(4096)
            if not block:
                return
            self.err += block
            self.events.append((time.monotonic() - self.t0, block.decode("utf-8", "replace")))

    def wait_for(self, needle: str, timeout: float = 600) -> float:
        """Seconds until `needle` appears on stderr."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.err.decode("utf-8", "replace"):
                return time.monotonic() - self.t0
            if self.proc.poll() is not None:
                self._thread.join(5)
                if needle in self.err.decode("utf-8", "replace"):
                    return time.monotonic() - self.t0
                raise AssertionError(f"exited {self.proc.returncode} before {needle!r}: {self.err[-2000:]!r}")
            time.sleep(0.005)
        raise AssertionError(f"no {needle!r} within {timeout} s")

    def kill(self) -> float:
        elapsed = time.monotonic() - self.t0
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self._thread.join(5)
        return elapsed

    def stage(self) -> str:
        text = self.err.decode("utf-8", "replace")
        for needle, name in (("keywords", "keywords"), ("embedding", "embedding"), ("chunk", "chunking"),
                             ("loading", "loading")):
            if needle in text:
                return name
        return "starting (imports, model)"


def cli_index(settings, **env) -> Watched:
    return Watched([sys.executable, "-m", "assistant", "index", "--documents", str(settings.documents_dir),
                    "--index", str(settings.index_dir)], env=env)


# ---------------------------------------------------------------------------
# SIGKILL of the real CLI at measured moments


@pytest.mark.slow
@pytest.mark.parametrize("after", [0.5, 2.0])
def test_cli_killed_after_a_delay_keeps_the_previous_index(scene, embedder, after):
    settings, chunks, ids = scene
    corpus(settings.documents_dir, "B")
    run = cli_index(settings)
    time.sleep(after)  # the test waits; the product never sleeps
    assert run.proc.poll() is None, "indexing finished before the kill: the corpus is too small"
    run.kill()
    print(f"\nkilled after {after} s at stage: {run.stage()}")
    assert_index(settings, chunks, ids)
    report = finish(settings, embedder, "B")
    assert 0 < report.embedded < report.chunks  # the old vectors survived the kill and were reused


@pytest.mark.slow
def test_cli_killed_during_embedding_keeps_the_previous_index(scene, embedder):
    settings, chunks, ids = scene
    corpus(settings.documents_dir, "B")
    # Batches of 2 texts: many progress updates, so the kill lands between two of them.
    run = cli_index(settings, ASSISTANT_EMBED_BATCH_SIZE="2")
    seen = run.wait_for("embedding")
    elapsed = run.kill()
    print(f"\nembedding started at {seen:.1f} s, killed at {elapsed:.1f} s")
    assert run.stage() == "embedding"
    assert_index(settings, chunks, ids)
    finish(settings, embedder, "B")


@pytest.mark.slow
def test_cli_killed_right_after_embedding_leaves_a_whole_index(scene, embedder):
    """Killed in the keyword/write phase: either the old or the new index is live, never a mix."""
    settings, chunks, ids = scene
    corpus(settings.documents_dir, "B")
    run = cli_index(settings)
    run.wait_for("keywords")
    index = settings.index_dir
    while run.proc.poll() is None and not list(index.parent.glob(f".{index.name}.tmp-*")):
        time.sleep(0.001)
    elapsed = run.kill()
    temp_seen = bool(list(index.parent.glob(f".{index.name}.tmp-*")))
    print(f"\nkilled at {elapsed:.1f} s; temporary folder present: {temp_seen}")
    opened = IndexStore.open(index, fingerprint(settings))
    assert set(opened.documents) in (ids, ids_of("B"))
    finish(settings, embedder, "B")


@pytest.mark.slow
def test_two_index_runs_at_once_take_turns(scene):
    settings, _, _ = scene
    corpus(settings.documents_dir, "B")
    first = cli_index(settings)
    second = cli_index(settings)
    for run in (first, second):
        run.proc.wait(900)
        run._thread.join(5)
    outs = [run.proc.stdout.read().decode() for run in (first, second)]
    errs = [run.err.decode("utf-8", "replace") for run in (first, second)]
    assert [first.proc.returncode, second.proc.returncode] == [0, 0], errs
    assert sum("waiting for it to finish" in e for e in errs) == 1, errs
    assert sum("(0 embedded" in o for o in outs) == 1, outs  # the one that waited reused every vector
    assert_index(settings, None, ids_of("B"))
    assert_clean(settings)


# ---------------------------------------------------------------------------
# SIGKILL at exact points of the write, injected into a real build in a subprocess.
# Corpus C only deletes a document, so the build reuses every vector and needs no model.

DRIVER = r"""
import os, shutil, signal, sys
from pathlib import Path
from assistant import store
from assistant.build import build_index
from assistant.config import Settings

point, documents, index = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "writing-files":
    store.build_keyword_index = die
elif point == "before-swap":
    store._swap_into_place = die
elif point == "between-renames":
    real_rename = os.rename
    store.os.rename = lambda a, b: die() if Path(b).name == "current" else real_rename(a, b)
elif point == "removing-previous":
    # Killed midway through deleting the previous index: one file gone, the rest still there.
    real_rmtree = shutil.rmtree
    def half_rmtree(p, *a, **k):
        if Path(p).name != ".previous":
            return real_rmtree(p, *a, **k)
        (Path(p) / "dense.faiss").unlink()
        die()
    store.shutil.rmtree = half_rmtree
build_index(Settings.from_env(documents_dir=documents, index_dir=index))
print("finished", "torch" in sys.modules)
"""


def run_driver(settings, point: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", DRIVER, point, str(settings.documents_dir), str(settings.index_dir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("point, survivor", [
    ("writing-files", "A"),      # half the files in the temporary folder
    ("before-swap", "A"),        # a complete new index, not yet in place
    ("between-renames", "A"),    # current → .previous done, new → current not yet
    ("removing-previous", "C"),  # the new index in place, the old one half deleted
])
def test_sigkill_at_each_step_of_the_write_leaves_one_whole_index(scene, embedder, point, survivor):
    settings, chunks, ids = scene
    corpus(settings.documents_dir, "C")
    done = run_driver(settings, point)
    assert done.returncode == -signal.SIGKILL, (done.returncode, done.stdout, done.stderr)
    assert_index(settings, chunks if survivor == "A" else None, ids_of(survivor))
    report = finish(settings, embedder, "C")
    assert report.embedded == 0


def test_a_second_crash_while_recovering_from_the_first_still_leaves_an_index(scene, embedder):
    """Killed between the renames, then killed again while the next run cleans up: an index remains."""
    settings, chunks, ids = scene
    corpus(settings.documents_dir, "C")
    assert run_driver(settings, "between-renames").returncode == -signal.SIGKILL
    assert (settings.index_dir / ".previous").is_dir() and not (settings.index_dir / "current").exists()
    assert run_driver(settings, "removing-previous").returncode == -signal.SIGKILL
    assert_index(settings, None, ids_of("C"))
    finish(settings, embedder, "C")


def test_the_driver_needs_no_model_and_finishes_without_a_kill(scene):
    settings, _, _ = scene
    corpus(settings.documents_dir, "C")
    done = run_driver(settings, "none")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "finished False"  # the injected runs above never load torch
    assert_index(settings, None, ids_of("C"))
    assert_clean(settings)


# ---------------------------------------------------------------------------
# A damaged or hand-edited index: the CLI says so in one line and exits 1.


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))


def _edit_title(path: Path) -> None:
    manifest = json.loads(path.read_text(encoding="utf-8"))
    first = next(iter(manifest["documents"]))
    manifest["documents"][first]["title"] = "Tiêu đề sửa tay"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.mark.parametrize("name, damage", [("chunks.jsonl", _flip), ("embeddings.npy", _flip),
                                          ("dense.faiss", _flip), ("manifest.json", _edit_title)])
def test_cli_refuses_a_damaged_index_in_one_line(golden, tmp_path, name, damage):
    documents, index, _, _ = golden
    broken = tmp_path / "index"
    shutil.copytree(index, broken)
    damage(broken / "current" / name)
    done = subprocess.run([sys.executable, "-m", "assistant", "search", "Sở Y tế chủ trì", "--documents",
                           str(documents), "--index", str(broken)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("assistant: ") and name in lines[0]
    assert lines[0].endswith("rebuild with: assistant index --rebuild")
    assert done.stdout == ""
