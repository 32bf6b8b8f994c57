"""What every benchmark shares: measuring (timed runs, child processes, memory), results and their
Markdown/JSON, and the context a run carries (settings, the built index, questions)."""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ...assistant import Assistant
from ...config import PROJECT_ROOT, Settings
from ...embed import Embedder
from ..harness import load_questions
from ..metrics import percentile


# Modules that must not be imported by `assistant --help` (the product rule), and others worth reporting.
FORBIDDEN_AT_HELP = ("torch", "gradio", "faiss", "fastapi")
REPORTED_AT_HELP = FORBIDDEN_AT_HELP + ("sentence_transformers", "transformers", "uvicorn", "bm25s", "numpy", "langchain_core")
FULL_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (2_000, 5_000)

Log = Callable[[str], None]


# --- measuring --------------------------------------------------------------------------
def machine() -> dict:
    """Cores, RAM, CPU model, load average and library versions (read without importing them)."""
    from importlib import metadata

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = {}
    for dist in ("torch", "sentence-transformers", "faiss-cpu", "bm25s", "onnxruntime", "numpy"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[dist] = metadata.version(dist)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return {
        "cores": cores,
        "ram_gb": round(meminfo("MemTotal") / 2**20, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "versions": versions,
        "load": [round(x, 2) for x in os.getloadavg()],
    }


def meminfo(key: str) -> int:
    """A /proc/meminfo value in KiB (0 where unavailable)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def rss_mb(pid: int | str = "self", key: str = "VmRSS") -> float:
    """Resident (VmRSS) or peak resident (VmHWM) memory of a process in MiB."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def under_load(load: Sequence[float], cores: int) -> bool:
    """True when other work competed for the CPU (our own run accounts for up to `cores`)."""
    return max(load) > cores + 1


@dataclass(frozen=True)
class Sample:
    """One timed run: wall and CPU seconds of this process."""

    wall: float
    cpu: float


def timed(fn: Callable[[], Any]) -> tuple[Any, Sample]:
    """Run fn once; its result and how long it took."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, Sample(time.perf_counter() - w, time.process_time() - c)


def med(samples: Sequence[Sample], what: str = "wall") -> float:
    """Median of the wall (or cpu) seconds."""
    return statistics.median(getattr(s, what) for s in samples) if samples else 0.0


def pct(values: Sequence[float], q: float) -> float:
    """q-th percentile (linear interpolation), 0 for none — the evals' own definition."""
    return percentile(values, q)


def latency(ms: Sequence[float]) -> dict:
    """p50/p95/max in milliseconds."""
    return {"n": len(ms), "p50": round(pct(ms, 50), 1), "p95": round(pct(ms, 95), 1), "max": round(max(ms, default=0.0), 1)}


@dataclass(frozen=True)
class ChildRun:
    """A finished subprocess: exit code, wall seconds, CPU seconds, peak RSS (MiB) and output."""

    code: int
    wall: float
    cpu: float
    peak_mb: float
    stdout: str
    stderr: str


# A Python child reports its own high-water mark at exit: wait4's ru_maxrss would also count the
# parent's memory image at fork time (hundreds of MiB once the bench holds the model).
_PEAK_WRAPPER = """
import atexit, runpy, sys
_peak_file = sys.argv[1]
def _report_peak():
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                with open(_peak_file, 'w') as out:
                    out.write(line.split()[1])
atexit.register(_report_peak)
_mode, _target, _rest = sys.argv[2], sys.argv[3], sys.argv[4:]
if _mode == '-m':
    sys.argv = [_target] + _rest
    runpy.run_module(_target, run_name='__main__', alter_sys=True)
else:
    sys.argv = ['-c'] + _rest
    exec(compile(_target, '<string>', 'exec'), {'__name__': '__main__'})
"""


def run_child(cmd: Sequence[str], env: dict | None = None, timeout: float = 900.0, cwd: Path | None = None) -> ChildRun:
    """Run a command to the end: exit code, wall and CPU seconds (wait4), peak RSS and output."""
    cmd = list(cmd)
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        wrapped = len(cmd) >= 3 and Path(cmd[0]).name.startswith("python") and cmd[1] in ("-m", "-c")
        if wrapped:
            cmd = [cmd[0], "-c", _PEAK_WRAPPER, str(peak_file)] + cmd[1:]
        with open(Path(tmp) / "out", "w+b") as out, open(Path(tmp) / "err", "w+b") as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
            deadline = t0 + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.02)
            wall = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            peak = usage.ru_maxrss / 1024
            if wrapped and peak_file.exists():
                with contextlib.suppress(ValueError):
                    peak = int(peak_file.read_text()) / 1024
            return ChildRun(proc.returncode, wall, usage.ru_utime + usage.ru_stime, peak,
                            out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM the child's process group, then SIGKILL after 15 s (only processes we started)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def child_env(settings: Settings, **extra: str) -> dict:
    """Environment for a child `assistant` process pointed at the benchmark's folders."""
    env = dict(os.environ)
    env.update(
        ASSISTANT_DOCUMENTS_DIR=str(settings.documents_dir),
        ASSISTANT_INDEX_DIR=str(settings.index_dir),
        ASSISTANT_CACHE_DIR=str(settings.cache_dir),
        ASSISTANT_DATA_DIR=str(settings.data_dir),
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH", "")])),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        GRADIO_ANALYTICS_ENABLED="False",
        TOKENIZERS_PARALLELISM="false",
    )
    # The accounts the benchmark's settings carry (the concurrency run uploads as the admin).
    for name in ("auth", "admin_password", "trainer_password"):
        value = getattr(settings, name, "")
        if value:
            env[f"ASSISTANT_{name.upper()}"] = str(value)
    env.update(extra)
    return env


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- results ----------------------------------------------------------------------------
@dataclass
class Goal:
    """A target from the brief and whether this run met it (None: not measured)."""

    what: str
    target: str
    measured: str
    met: bool | None

    def line(self) -> str:
        """One Markdown bullet."""
        mark = {True: "✅", False: "❌", None: "—"}[self.met]
        return f"- {mark} {self.what}: {self.measured} (goal {self.target})"


@dataclass
class Result:
    """What one benchmark measured: data for bench.json and a Markdown section for RESULTS.md."""

    name: str
    title: str
    command: str
    quick: bool
    data: dict = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    machine: dict = field(default_factory=dict)
    load_before: list[float] = field(default_factory=list)
    load_after: list[float] = field(default_factory=list)
    seconds: float = 0.0
    finished: str = ""
    repeats: int = 1

    def loaded(self) -> bool:
        """Whether other work competed for the CPU while this ran."""
        cores = self.machine.get("cores", 1)
        return under_load(self.load_before or [0], cores) or under_load(self.load_after or [0], cores)

    def markdown(self) -> str:
        """The section written between this benchmark's markers."""
        m = self.machine
        lines = [
            f"## {self.title}",
            "",
            f"`{self.command}` — {self.finished}, {self.seconds:.0f} s"
            + f" — timings are medians of {self.repeats} run(s) unless a table says otherwise"
            + (" — **quick mode** (small sizes: checks the harness, not the machine)" if self.quick else ""),
            "",
            f"Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('ram_gb', '?')} GiB RAM; "
            f"Python {m.get('python', '?')}, " + ", ".join(f"{k} {v}" for k, v in m.get("versions", {}).items()) + ". "
            f"Load average before/after: {self.load_before[0] if self.load_before else '?'} / "
            f"{self.load_after[0] if self.load_after else '?'}.",
        ]
        if self.loaded():
            lines += ["", "> ⚠ **Measured under load**: other jobs shared the CPU, so wall times are noisy and slower "
                      "than on an idle machine; CPU seconds and same-run ratios are the more trustworthy figures."]
        for table in self.tables:
            lines += ["", table]
        if self.goals:
            lines += ["", "**Goals**", ""] + [g.line() for g in self.goals]
        if self.notes:
            lines += ["", "**Notes**", ""] + [f"- {n}" for n in self.notes]
        return "\n".join(lines)

    def to_json(self) -> dict:
        """Plain JSON for bench.json."""
        return {
            "title": self.title, "command": self.command, "quick": self.quick, "finished": self.finished,
            "seconds": round(self.seconds, 1), "machine": self.machine, "load_before": self.load_before,
            "load_after": self.load_after, "under_load": self.loaded(), "data": self.data,
            "goals": [dataclasses.asdict(g) for g in self.goals], "notes": self.notes,
        }


RESULTS_HEADER = """# Benchmark results

Written by `assistant bench` (assistant/evals/bench/): each section is regenerated by its benchmark, between its
`<!-- bench:NAME -->` markers; text outside the markers is kept. The raw numbers are in `evals/bench.json`.
"""


def write_markdown(path: Path, results: Sequence[Result]) -> None:
    """Replace (or append) each result's marked section, keeping everything else in the file."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else RESULTS_HEADER
    for r in results:
        begin, end = f"<!-- bench:{r.name} -->", f"<!-- /bench:{r.name} -->"
        block = f"{begin}\n{r.markdown()}\n{end}"
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
        if pattern.search(text):
            text = pattern.sub(lambda _m: block, text, count=1)
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def write_json(path: Path, results: Sequence[Result]) -> None:
    """Update each benchmark's entry in bench.json, keeping the others."""
    path = Path(path)
    data: dict = {}
    if path.exists():
        with contextlib.suppress(ValueError, OSError):
            data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("benchmarks", {})
    for r in results:
        data["benchmarks"][r.name] = r.to_json()
    data["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        out.append("| " + " | ".join(_fmt(v) for v in row) + " |")
    return "\n".join(out)


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        if abs(v) >= 100:
            return f"{v:,.0f}"
        if abs(v) >= 10:
            return f"{v:.1f}"
        return f"{v:.2f}" if abs(v) >= 0.1 or v == 0 else f"{v:.3f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


# --- the shared context ---------------------------------------------------------------------
class BenchContext:
    """Settings pointed at a scratch folder, the loaded embedder, and the index built once per run."""

    def __init__(self, settings: Settings, quick: bool, workdir: Path, questions_path: Path, log: Log,
                 sizes: Sequence[int] | None = None):
        self.quick = quick
        self.workdir = Path(workdir)
        self.settings = settings.replace(index_dir=self.workdir / "index", data_dir=self.workdir / "data")
        self.questions_path = Path(questions_path)
        self.log = log
        self.repeats = 1 if quick else 3
        self.sizes = tuple(sizes) if sizes else (QUICK_SIZES if quick else FULL_SIZES)
        self._embedder = None
        self._bot = None
        self._questions: list[dict] | None = None
        self.shared: dict[str, Any] = {}  # results reused between benchmarks (serve probe, --help time)

    def embedder(self):
        """The embedding model, loaded once."""
        if self._embedder is None:
            self._embedder = Embedder(self.settings).warm_up()
        return self._embedder

    def bot(self):
        """An Assistant over the scratch index of the corpus (built on first use)."""
        if self._bot is None:
            self.log(f"building the scratch index of {self.settings.documents_dir} …")
            self._bot = Assistant(self.settings, embedder=self.embedder()).warm_up()
        return self._bot

    def questions(self) -> list[dict]:
        """Eval questions whose gold documents are in the corpus (all questions when none match)."""
        if self._questions is None:
            rows = load_questions(self.questions_path)
            docs = set(self.bot().store.documents)
            mine = [q for q in rows if any(g["doc_id"] in docs for g in q.get("gold", []))]
            if self.quick:
                mine = mine[:6]
            self._questions = mine or rows[: 6 if self.quick else None]
        return self._questions

    def question_texts(self, limit: int | None = None) -> list[str]:
        """The questions' text (all eval questions, capped in quick mode)."""
        texts = [q["question"] for q in load_questions(self.questions_path)]
        cap = limit or (6 if self.quick else len(texts))
        return texts[:cap]

    def eval_file(self) -> Path:
        """A questions file restricted to this corpus (what run_eval reads)."""
        path = self.workdir / "questions.jsonl"
        if not path.exists():
            path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in self.questions()), encoding="utf-8")
        return path
