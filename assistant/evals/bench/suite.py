"""Benchmarks that live in the repo: `assistant bench [NAME] [--quick]`.

Each benchmark prints the machine (cores, RAM, CPU model, load), the command, medians over
repeated runs and ratios against a baseline measured in the same run, then rewrites its own
section of evals/RESULTS.md (between ``<!-- bench:NAME -->`` markers; other sections are kept)
and its entry in evals/bench.json. Speed is measured here and never asserted in tests: the
tests run every benchmark with --quick on a tiny corpus so the harness itself is checked.

Usage::

    assistant bench all                 # everything, on the shipped corpus (the 1M scale run takes a while)
    assistant bench indexing --quick    # one benchmark, one repetition, small sizes
    assistant bench scale --sizes 10000,100000

Timings are wall-clock seconds with the process's CPU seconds beside them: on a machine shared
with other jobs the wall time is noisy, CPU time much less so.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import copy
import dataclasses
import hashlib
import io
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ... import embed_onnx, load
from ...assistant import Assistant
from ...build import build_index, embedding_text, fingerprint
from ...chunk import Chunk, chunk_document
from ...config import PROJECT_ROOT, Settings
from ...diacritics import build_restore_table
from ...embed import Embedder
from ...embed_onnx import OnnxEncoder, export_dir
from ...load import load_document, load_folder, read_catalog
from ...ocr import OcrOptions, PageOCR, ocr_identity, ocr_unavailable
from ...query import question_terms
from ...retrieve import Filters, Retriever
from ...store import (
    DocumentRecord, FORMAT_VERSION, IndexStore, choose_faiss_index, keyword_index_from_ids, live_dir, write_index,
)
from ...text import normalize_for_matching
from ...web.api import create_api
from ...web.app import BackgroundServer
from ...web.service import Service
from ..harness import load_questions, run_eval
from ..loadtest import run_load, trainer_during_load, upload_during_load
from ..metrics import percentile

EVALS_DIR = PROJECT_ROOT / "evals"
DEFAULT_OUT = EVALS_DIR / "RESULTS.md"
DEFAULT_JSON = EVALS_DIR / "bench.json"
NAMES = ("indexing", "query", "imports", "coldstart", "memory", "scale", "concurrency", "ocr")
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
        "ram_gb": round(_meminfo("MemTotal") / 2**20, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "versions": versions,
        "load": [round(x, 2) for x in os.getloadavg()],
    }


def _meminfo(key: str) -> int:
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


def _stop(proc: subprocess.Popen) -> None:
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


# --- 1. indexing ----------------------------------------------------------------------------
def hit_at_5(ctx: BenchContext, vectors, embedder) -> float:
    """Hybrid hit@5 on the eval questions with these chunk vectors (and this embedder for questions)."""
    import faiss


    base = ctx.bot().store
    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(vectors)
    store = dataclasses.replace(base, embeddings=vectors, dense=dense)
    bot = Assistant(ctx.settings, embedder=embedder)
    bot.use_store(store)  # evaluate these vectors in memory, without writing another index
    report = run_eval(bot, ctx.eval_file(), modes=("hybrid",), answers=False)
    return float(report.retrieval["hybrid"].get("all", {}).get("hit@5", 0.0))


def _with_batch(embedder, batch: int):
    """The same loaded model with another batch size (shares the weights)."""
    variant = copy.copy(embedder)
    variant.settings = embedder.settings.replace(embed_batch_size=batch)
    return variant


def _encode_unsorted(embedder, texts: Sequence[str]):
    """Batches in corpus order, to measure what sorting by length saves."""
    import numpy as np

    embedder.warm_up()
    batch = max(1, embedder.settings.embed_batch_size)
    prefix = embedder.document_prompt
    parts = [embedder.encode([prefix + t for t in texts[lo : lo + batch]]) for lo in range(0, len(texts), batch)]
    return np.concatenate(parts) if parts else np.zeros((0, embedder.dimension), dtype=np.float32)


@contextlib.contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Temporarily run torch with n intra-op threads."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class OnnxEmbedder:
    """Experiment only: the same model exported with torch.onnx and run by ONNX Runtime (fp32 or int8).

    sentence-transformers' own ONNX backend (`backend="onnx"`, `export_dynamic_quantized_onnx_model`)
    needs optimum-onnx, whose only release pins transformers<4.58 and so cannot be installed next to
    sentence-transformers 6 / transformers 5. This path needs only `onnx` and `onnxruntime`, exports from
    the local converted folder (no network), and uses the model's own tokenizer and mean pooling.
    """

    def __init__(self, base, folder: Path, int8: bool, threads: int):
        self.base = base.warm_up()
        self.settings = base.settings
        self.name = f"{base.name}+onnx{'-int8' if int8 else ''}"
        self.folder = Path(folder)
        self.int8 = int8
        self.threads = threads
        self._session = None

    @property
    def dimension(self) -> int:
        """Vector size (same as the base model)."""
        return self.base.dimension

    def export(self) -> Path:
        """Export (once, cached) and return the .onnx file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fp32 = self.folder / embed_onnx.FILE
        if not fp32.exists():
            embed_onnx.export(self.base.model, self.folder)
        if not self.int8:
            return fp32
        q8 = self.folder / "model.int8.onnx"
        if not q8.exists():
            from onnxruntime.quantization import QuantType, quantize_dynamic

            tmp = q8.with_suffix(".tmp")
            quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8)
            tmp.rename(q8)
        return q8

    def warm_up(self) -> "OnnxEmbedder":
        """Export if needed and open the ONNX Runtime session (the product's question encoder)."""
        if self._session is None:
            self._session = OnnxEncoder(Path(self.base.resolve_path()), self.export(),
                                        self.base.model.max_seq_length, self.threads)
        return self

    def _encode(self, texts: list[str]):
        return self._session.encode(texts)

    def encode_documents(self, texts: Sequence[str], progress=None):
        """Passages, sorted by length and batched like Embedder.encode_documents."""
        import numpy as np

        self.warm_up()
        batch = max(1, self.settings.embed_batch_size)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for lo in range(0, len(order), batch):
            idx = order[lo : lo + batch]
            out[idx] = self._encode([self.base.document_prompt + texts[i] for i in idx])
        return out

    def encode_queries(self, texts: Sequence[str]):
        """Questions with the query prompt."""
        self.warm_up()
        return self._encode([self.base.query_prompt + t for t in texts])


def _onnx_available() -> str:
    """'' when the ONNX experiment can run, else why not."""
    import importlib.util

    missing = [m for m in ("onnx", "onnxruntime") if importlib.util.find_spec(m) is None]
    return f"not measured: {', '.join(missing)} not installed (pip install onnx onnxruntime)" if missing else ""


def bench_indexing(ctx: BenchContext) -> Result:
    """End-to-end build_index vs the raw embedder on the same texts; embedder options; the re-index cache."""
    res = Result("indexing", "Indexing", "assistant bench indexing", ctx.quick)
    emb = ctx.embedder()
    bot = ctx.bot()
    chunks = bot.store.chunks
    texts = [embedding_text(c) for c in chunks]
    n = len(texts)
    reps = ctx.repeats
    e2e: list[Sample] = []
    raw: list[Sample] = []
    embed_share: list[float] = []
    ctx.log(f"indexing: {n} chunks, {reps} repetition(s)")
    for r in range(reps):
        order = ("e2e", "raw") if r % 2 == 0 else ("raw", "e2e")  # alternate so neither always runs second
        for what in order:
            if what == "raw":
                _v, s = timed(lambda: emb.encode_documents(texts))
                raw.append(s)
            else:
                target = ctx.workdir / f"indexing-{r}"
                st = ctx.settings.replace(index_dir=target)
                report, s = timed(lambda: build_index(st, emb, rebuild=True))
                e2e.append(s)
                embed_share.append(report.embed_seconds)
                shutil.rmtree(target, ignore_errors=True)
    e2e_w, raw_w = med(e2e), med(raw)
    e2e_c, raw_c = med(e2e, "cpu"), med(raw, "cpu")
    overhead = (e2e_w - raw_w) / raw_w * 100 if raw_w else 0.0
    overhead_cpu = (e2e_c - raw_c) / raw_c * 100 if raw_c else 0.0
    res.data.update(chunks=n, repeats=reps, end_to_end={"wall": e2e_w, "cpu": e2e_c, "runs": [dataclasses.asdict(s) for s in e2e]},
                    raw_embedder={"wall": raw_w, "cpu": raw_c, "runs": [dataclasses.asdict(s) for s in raw]},
                    overhead_pct=round(overhead, 1), overhead_cpu_pct=round(overhead_cpu, 1),
                    embed_seconds_inside_build=statistics.median(embed_share) if embed_share else 0.0)
    res.tables.append(table(
        ["what", "wall s (median)", "CPU s", "chunks/s (wall)", "ratio vs raw embedder"],
        [["build_index from scratch (warm model)", e2e_w, e2e_c, n / e2e_w if e2e_w else 0, e2e_w / raw_w if raw_w else 0],
         ["raw Embedder.encode_documents (baseline)", raw_w, raw_c, n / raw_w if raw_w else 0, 1.0]],
    ))
    res.goals.append(Goal("pipeline overhead over the raw embedder", "≤ 15 %",
                          f"{overhead:.1f} % wall, {overhead_cpu:.1f} % CPU", overhead <= 15))
    shipped = Path(ctx.settings.documents_dir).resolve() == (PROJECT_ROOT / "documents").resolve()
    res.goals.append(Goal(f"{'shipped ' if shipped else ''}corpus ({n} chunks) indexed from scratch (warm model)",
                          "≤ 30 s on 2 cores for the shipped corpus", f"{e2e_w:.1f} s", e2e_w <= 30 if shipped else None))

    # -- embedder options: speed and retrieval quality, each against the default measured here
    ctx.log("indexing: embedder options")
    base_vecs = bot.store.embeddings
    base_hit = hit_at_5(ctx, base_vecs, emb)
    rows = [["default: torch, batch %d, sorted by length" % emb.settings.embed_batch_size, raw_w, raw_c, 1.0, 1.0, base_hit, 0.0]]
    options: list[dict] = []

    def option(label: str, run: Callable[[], Any], query_embedder=None, note: str = "") -> None:
        samples = []
        vecs = None
        for _ in range(reps):
            vecs, s = timed(run)
            samples.append(s)
        w, c = med(samples), med(samples, "cpu")
        hit = hit_at_5(ctx, vecs, query_embedder or emb)
        options.append({"option": label, "wall": w, "cpu": c, "speedup_vs_default": raw_w / w if w else 0,
                        "cpu_speedup_vs_default": raw_c / c if c else 0, "hit@5": hit, "delta_hit@5": hit - base_hit,
                        "note": note})
        rows.append([label, w, c, raw_w / w if w else 0, raw_c / c if c else 0, hit, hit - base_hit])

    batches = (4, 32) if ctx.quick else (4, 8, 16, 32)
    for b in batches:
        option(f"batch {b}", lambda b=b: _with_batch(emb, b).encode_documents(texts))
    for t in (1, 2):
        def run_threads(t=t):
            with torch_threads(t):
                return emb.encode_documents(texts)
        option(f"torch threads {t}", run_threads)
    option("not sorted by length", lambda: _encode_unsorted(emb, texts))
    why_not = _onnx_available()
    if why_not:
        rows.append(["ONNX Runtime fp32 / int8", None, None, None, None, None, why_not])
    else:
        # The product's own export (made when the model first loaded) is reused; int8 is quantised from it.
        folder = export_dir(ctx.settings.cache_dir, Path(emb.resolve_path()))
        for int8 in ((False,) if ctx.quick else (False, True)):  # quantising takes a minute: not in --quick
            threads = ctx.settings.threads or (os.cpu_count() or 1)
            onnx = OnnxEmbedder(emb, folder, int8, threads)
            try:
                _exported, export_s = timed(onnx.warm_up)
            except Exception as exc:  # an exporter failure is a finding, not a crash of the whole bench
                rows.append([f"ONNX Runtime {'int8' if int8 else 'fp32'}", None, None, None, None, None, f"export failed: {exc}"])
                continue
            option(f"ONNX Runtime {'int8 (dynamic)' if int8 else 'fp32'}", lambda o=onnx: o.encode_documents(texts),
                   query_embedder=onnx, note=f"export/open {export_s.wall:.1f} s")
    res.data["options"] = options
    res.data["default_hit@5"] = base_hit
    res.tables.append("Embedder options (document encoding of the same chunks; hit@5 = hybrid retrieval on "
                      f"{ctx.eval_file().name} with these vectors):\n\n" + table(
                          ["option", "wall s", "CPU s", "speed-up vs default (wall)", "speed-up (CPU)", "hybrid hit@5",
                           "Δ hit@5"], rows))
    res.notes.append("sentence-transformers' ONNX/OpenVINO backends need optimum-onnx, whose only release (0.1.0) pins "
                     "transformers<4.58; this project runs sentence-transformers 6 on transformers 5, so "
                     "`pip install \"sentence-transformers[onnx]\"` cannot resolve. The ONNX rows use torch.onnx + "
                     "ONNX Runtime directly (assistant/embed_onnx.py). The product embeds *questions* with the fp32 "
                     "export (see the query benchmark); documents stay on sentence-transformers, whose batches the "
                     "export does not clearly beat here.")

    # -- the content-hash cache: re-index after editing one document
    res.data["reindex"] = _bench_reindex(ctx, res)
    return res


def _bench_reindex(ctx: BenchContext, res: Result) -> dict:
    """Re-index after editing one document vs embedding that document alone."""
    emb = ctx.embedder()
    docs = ctx.workdir / "edit-docs"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(ctx.settings.documents_dir, docs)
    texts = sorted((p for p in docs.iterdir() if p.suffix.lower() in (".txt", ".md")), key=lambda p: p.stat().st_size)
    if not texts:
        res.notes.append("re-index benchmark skipped: no .txt/.md document to edit")
        return {}
    target = texts[len(texts) // 2]  # the median-sized text document
    original = target.read_text(encoding="utf-8")
    paragraphs = original.split("\n\n")
    middle = len(paragraphs) // 2
    paragraphs[middle] = paragraphs[middle] + " Nội dung này được bổ sung để đo thời gian lập chỉ mục lại."
    edited = "\n\n".join(paragraphs)
    st = ctx.settings.replace(documents_dir=docs, index_dir=ctx.workdir / "edit-index")
    build_index(st, emb, rebuild=True)
    runs = []
    for _ in range(ctx.repeats):
        for version in (edited, original):  # each direction changes the same chunks
            target.write_text(version, encoding="utf-8")
            report, s = timed(lambda: build_index(st, emb))
            runs.append({"wall": s.wall, "cpu": s.cpu, "embedded": report.embedded, "reused": report.reused,
                         "embed_seconds": report.embed_seconds})
    loaded, _problems = load_folder(docs)
    doc = next(d for d in loaded if Path(d.path).name == target.name)
    doc_chunks = chunk_document(doc, st.chunk_max_chars, fingerprint(st)["chunker"]["min_chars"])
    doc_texts = [embedding_text(c) for c in doc_chunks]
    alone = [timed(lambda: emb.encode_documents(doc_texts))[1] for _ in range(ctx.repeats)]
    re_w = statistics.median(r["wall"] for r in runs)
    re_c = statistics.median(r["cpu"] for r in runs)
    al_w, al_c = med(alone), med(alone, "cpu")
    embedded = statistics.median(r["embedded"] for r in runs)
    res.tables.append(f"Re-index after editing one paragraph of `{target.name}` ({len(doc_chunks)} chunks) vs embedding that "
                      "document alone:\n\n" + table(
                          ["what", "wall s", "CPU s", "ratio vs embedding the document", "chunks embedded / reused"],
                          [["assistant index (incremental)", re_w, re_c, re_w / al_w if al_w else 0,
                            f"{embedded:.0f} / {statistics.median(r['reused'] for r in runs):.0f}"],
                           ["embed the whole document (baseline)", al_w, al_c, 1.0, f"{len(doc_chunks)} / 0"]]))
    res.goals.append(Goal("re-index after editing one document", "≤ time to embed that document",
                          f"{re_w:.2f} s vs {al_w:.2f} s", re_w <= al_w))
    shutil.rmtree(st.index_dir, ignore_errors=True)
    return {"document": target.name, "document_chunks": len(doc_chunks), "runs": runs, "reindex_wall": re_w,
            "reindex_cpu": re_c, "embed_document_wall": al_w, "embed_document_cpu": al_c}


# --- 2. query ---------------------------------------------------------------------------------
def _clear_query_cache(bot) -> None:
    """Forget cached question vectors: every timed question pays for its embedding, as a new question would."""
    cache = getattr(bot.retriever, "_qcache", None)
    if cache:
        cache.clear()


def bench_query(ctx: BenchContext) -> Result:
    """search and ask latency in-process and over HTTP, after warm-up."""
    res = Result("query", "Query latency", "assistant bench query", ctx.quick)
    bot = ctx.bot()
    emb = ctx.embedder()
    questions = ctx.question_texts()
    bot.search(questions[0])
    bot.ask(questions[0])
    embed_ms, torch_ms, search_ms, ask_ms = [], [], [], []
    for q in questions:  # interleaved, so a change of machine load over the run hits all alike
        _v, s = timed(lambda: emb.encode_queries([q]))
        embed_ms.append(s.wall * 1000)
        _v, s = timed(lambda: emb.encode([emb.query_prompt + q]))  # the same model run by torch
        torch_ms.append(s.wall * 1000)
        _clear_query_cache(bot)
        _h, s = timed(lambda: bot.search(q))
        search_ms.append(s.wall * 1000)
        _clear_query_cache(bot)
        _a, s = timed(lambda: bot.ask(q))
        ask_ms.append(s.wall * 1000)
    data = {"questions": len(questions), "query_backend": emb.query_backend, "embed_query_ms": latency(embed_ms),
            "embed_query_torch_ms": latency(torch_ms), "search_ms": latency(search_ms), "ask_ms": latency(ask_ms)}
    rows = [[f"question embedding alone, {emb.query_backend} (baseline)", *_lat_row(data["embed_query_ms"]), 1.0],
            ["question embedding by torch (sentence-transformers model)", *_lat_row(data["embed_query_torch_ms"]),
             _ratio(data["embed_query_torch_ms"], data["embed_query_ms"])],
            ["bot.search (hybrid, k=5)", *_lat_row(data["search_ms"]), _ratio(data["search_ms"], data["embed_query_ms"])],
            ["bot.ask (extractive)", *_lat_row(data["ask_ms"]), _ratio(data["ask_ms"], data["embed_query_ms"])]]
    if not ctx.quick:
        # Spinning vs sleeping OpenMP threads: only settable before torch loads, so each runs in a child.
        for policy in ("ACTIVE", "PASSIVE"):
            omp = _query_embed_child(ctx, questions[:40], policy)
            data[f"embed_query_ms_omp_{policy.lower()}"] = omp
            if "error" not in omp:
                rows.append([f"question embedding by torch, fresh process, OMP_WAIT_POLICY={policy}", *_lat_row(omp),
                             _ratio(omp, data["embed_query_ms"])])
    http = _http_latency(ctx, questions)
    data["http"] = http
    if "error" in http:
        rows.append(["HTTP /api/search, /api/ask", None, None, None, None])
        res.notes.append(f"HTTP: {http['error']}")
    else:
        rows.append(["HTTP POST /api/search", *_lat_row(http["search_ms"]), _ratio(http["search_ms"], data["embed_query_ms"])])
        rows.append(["HTTP POST /api/ask", *_lat_row(http["ask_ms"]), _ratio(http["ask_ms"], data["embed_query_ms"])])
    res.data = data
    res.tables.append(f"{len(questions)} questions from {ctx.questions_path.name}, each once, query-vector cache cleared "
                      "before each call; milliseconds:\n\n" + table(["what", "n", "p50 ms", "p95 ms", "max ms", "p50 ratio vs embedding"], rows))
    res.goals.append(Goal("search p95 (in-process)", "≤ 100 ms", f"{data['search_ms']['p95']:.0f} ms", data["search_ms"]["p95"] <= 100))
    res.goals.append(Goal("ask p95 (in-process)", "≤ 300 ms", f"{data['ask_ms']['p95']:.0f} ms", data["ask_ms"]["p95"] <= 300))
    if "error" not in http:
        res.goals.append(Goal("search p95 over HTTP", "≤ 100 ms", f"{http['search_ms']['p95']:.0f} ms", http["search_ms"]["p95"] <= 100))
        res.goals.append(Goal("ask p95 over HTTP", "≤ 300 ms", f"{http['ask_ms']['p95']:.0f} ms", http["ask_ms"]["p95"] <= 300))
    return res


_EMBED_CHILD = """
import json, sys, time
from assistant.config import Settings
from assistant.embed import Embedder
questions = json.loads(sys.argv[1])
embedder = Embedder(Settings.from_env()).warm_up()
embedder.encode([embedder.query_prompt + questions[0]])
ms = []
for q in questions:  # torch, whose OpenMP threads the policy governs
    t0 = time.perf_counter()
    embedder.encode([embedder.query_prompt + q])
    ms.append((time.perf_counter() - t0) * 1000)
print(json.dumps(ms))
"""


def _query_embed_child(ctx: BenchContext, questions: Sequence[str], policy: str) -> dict:
    """Question-embedding latency in a fresh process with this OMP_WAIT_POLICY."""
    run = run_child([sys.executable, "-c", _EMBED_CHILD, json.dumps(list(questions), ensure_ascii=False)],
                    env=child_env(ctx.settings, OMP_WAIT_POLICY=policy), timeout=600)
    if run.code != 0:
        return {"error": run.stderr.strip()[-300:]}
    return latency(json.loads(run.stdout.strip().splitlines()[-1]))


def _lat_row(stats: dict) -> list:
    return [stats["n"], stats["p50"], stats["p95"], stats["max"]]


def _ratio(a: dict, b: dict) -> float:
    return a["p50"] / b["p50"] if b.get("p50") else 0.0


def _http_latency(ctx: BenchContext, questions: Sequence[str]) -> dict:
    """The API served by uvicorn on 127.0.0.1 over the same Assistant."""
    import httpx


    service = Service(ctx.settings, bot=ctx.bot())
    server = BackgroundServer(create_api(service))
    url = server.start()
    try:
        out: dict[str, Any] = {}
        with httpx.Client(base_url=url, timeout=60) as client:
            for name in ("search", "ask"):
                client.post(f"/api/{name}", json={"question": questions[0]}).raise_for_status()  # warm-up
                ms = []
                for q in questions:
                    _clear_query_cache(ctx.bot())
                    t0 = time.perf_counter()
                    r = client.post(f"/api/{name}", json={"question": q})
                    ms.append((time.perf_counter() - t0) * 1000)
                    r.raise_for_status()
                out[f"{name}_ms"] = latency(ms)
        return out
    finally:
        server.stop()


# --- 3. imports and cold start ---------------------------------------------------------------
_HELP_PROBE = """
import contextlib, io, json, sys, time
t0 = time.perf_counter()
from assistant.cli import main
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    try:
        main(["--help"])
    except SystemExit:
        pass
print(json.dumps({"modules": sorted(m for m in %r if m in sys.modules), "seconds": time.perf_counter() - t0,
                  "help_chars": len(buf.getvalue())}))
"""


def bench_imports(ctx: BenchContext) -> Result:
    """`assistant --help` imports none of torch/gradio/faiss/fastapi; how long it takes vs bare Python."""
    res = Result("imports", "`assistant --help`: imports and time", "assistant bench imports", ctx.quick)
    env = child_env(ctx.settings)
    n = 2 if ctx.quick else 7
    probe = _HELP_PROBE % (REPORTED_AT_HELP,)
    bare, helps, cli = [], [], []
    loaded: list[str] = []
    inside: list[float] = []
    for _ in range(n):
        bare.append(run_child([sys.executable, "-c", "pass"], env=env).wall)
        run = run_child([sys.executable, "-c", probe], env=env)
        if run.code != 0:
            raise RuntimeError(f"the --help probe failed: {run.stderr[-500:]}")
        info = json.loads(run.stdout.strip().splitlines()[-1])
        loaded, helps = info["modules"], helps + [run.wall]
        inside.append(info["seconds"])
        cli.append(run_child([sys.executable, "-m", "assistant", "--help"], env=env).wall)
    imp = run_child([sys.executable, "-X", "importtime", "-c", "from assistant.cli import main\ntry:\n main(['--help'])\nexcept SystemExit:\n pass"], env=env)
    top = _importtime_top(imp.stderr)
    forbidden = [m for m in loaded if m in FORBIDDEN_AT_HELP]
    b, h, c = statistics.median(bare), statistics.median(helps), statistics.median(cli)
    ctx.shared["help_seconds"] = c
    res.data = {"runs": n, "bare_python_s": b, "help_probe_s": h, "python_m_assistant_help_s": c,
                "inside_python_s": statistics.median(inside), "modules_loaded": loaded, "forbidden_loaded": forbidden,
                "importtime_top": top}
    res.tables.append(table(["what", "wall s (median of %d)" % n, "ratio vs bare python"],
                            [["python -c pass (baseline)", b, 1.0],
                             ["python -m assistant --help", c, c / b if b else 0],
                             ["main(['--help']) in a fresh interpreter", h, h / b if b else 0]]))
    res.tables.append("Heaviest imports of `assistant --help` (python -X importtime, cumulative):\n\n"
                      + table(["module", "cumulative ms"], [[m, us / 1000] for m, us in top]))
    res.goals.append(Goal("`assistant --help` imports none of " + ", ".join(FORBIDDEN_AT_HELP), "none",
                          ", ".join(forbidden) or "none imported", not forbidden))
    res.goals.append(Goal("`assistant --help` wall time", "≤ 1 s", f"{c:.2f} s", c <= 1.0))
    others = [m for m in loaded if m not in FORBIDDEN_AT_HELP]
    if others:
        res.notes.append("also imported by --help: " + ", ".join(others))
    return res


def _importtime_top(stderr: str, n: int = 8) -> list[tuple[str, int]]:
    """Packages by cumulative import time (µs) from `python -X importtime` output, top-level imports summed."""
    rows = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if m:
            rows.append((len(m.group(3)), m.group(4), int(m.group(2))))
    if not rows:
        return []
    top = min(indent for indent, _name, _us in rows)
    total: dict[str, int] = {}
    for indent, name, us in rows:
        if indent == top:  # nested imports are already inside their parent's cumulative figure
            root = name.split(".")[0]
            total[root] = total.get(root, 0) + us
    return sorted(total.items(), key=lambda kv: -kv[1])[:n]


def _serve_probe(ctx: BenchContext, asks: int = 5) -> dict:
    """Start `assistant serve` in a child process; time to page and to ready; peak RSS after some questions."""
    if "serve" in ctx.shared:
        return ctx.shared["serve"]
    import httpx

    ctx.bot()  # the index exists and is fresh, so serve only opens it
    port = free_port()
    data_dir = ctx.workdir / "serve-data"
    env = child_env(ctx.settings.replace(data_dir=data_dir))
    cmd = [sys.executable, "-m", "assistant", "serve", "-p", str(port)]
    out: dict[str, Any] = {"command": "assistant serve -p PORT"}
    log = open(ctx.workdir / "serve.log", "wb")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = t0 + 600
        with httpx.Client(base_url=base, timeout=10) as client:
            while time.perf_counter() < deadline and proc.poll() is None:
                try:
                    if "page_s" not in out and client.get("/").status_code == 200:
                        out["page_s"] = time.perf_counter() - t0
                    health = client.get("/api/health").json()
                    if health.get("status") == "ok":
                        out["ready_s"] = time.perf_counter() - t0
                        if "page_s" not in out and client.get("/").status_code == 200:
                            out["page_s"] = time.perf_counter() - t0
                        break
                except (httpx.HTTPError, ValueError):
                    pass
                time.sleep(0.1)
            if "ready_s" not in out:
                raise RuntimeError(f"serve did not become ready (exit code {proc.poll()}); see {ctx.workdir / 'serve.log'}")
            q = ctx.question_texts(asks)
            t1 = time.perf_counter()
            client.post("/api/ask", json={"question": q[0]}, timeout=120).raise_for_status()
            out["first_answer_s"] = time.perf_counter() - t1
            out["usable_s"] = out["ready_s"] + out["first_answer_s"]
            for question in q[1:]:
                client.post("/api/ask", json={"question": question}, timeout=120)
            out["questions_asked"] = len(q)
            out["rss_mb"] = rss_mb(proc.pid)
            out["peak_rss_mb"] = rss_mb(proc.pid, "VmHWM")
    finally:
        _stop(proc)
        log.close()
    ctx.shared["serve"] = out
    return out


def bench_coldstart(ctx: BenchContext) -> Result:
    """`assistant serve` to a usable page, and `assistant search` from a cold process."""
    res = Result("coldstart", "Cold start", "assistant bench coldstart", ctx.quick)
    ctx.bot()
    env = child_env(ctx.settings)
    q = ctx.question_texts(1)[0]
    bare = statistics.median(run_child([sys.executable, "-c", "pass"], env=env).wall for _ in range(3))
    helps = statistics.median(run_child([sys.executable, "-m", "assistant", "--help"], env=env).wall for _ in range(3))
    runs = []
    for _ in range(ctx.repeats):
        run = run_child([sys.executable, "-m", "assistant", "search", q, "-k", "3"], env=env)
        if run.code != 0:
            raise RuntimeError(f"assistant search failed: {run.stderr[-500:]}")
        runs.append(run)
    search_w = statistics.median(r.wall for r in runs)
    search_c = statistics.median(r.cpu for r in runs)
    rows = [["python -c pass (baseline)", bare, None, 1.0],
            ["assistant --help", helps, None, helps / bare],
            ["assistant search \"…\" (model load + open index + search)", search_w, search_c, search_w / bare]]
    serve = _serve_probe(ctx)
    res.data = {"bare_python_s": bare, "help_s": helps, "search_cli": {"wall": search_w, "cpu": search_c,
                "peak_rss_mb": max(r.peak_mb for r in runs)}, "serve": serve}
    if "error" in serve:
        res.notes.append(f"serve: {serve['error']}")
    else:
        rows += [["assistant serve → page at / answers 200", serve.get("page_s"), None, (serve.get("page_s") or 0) / bare],
                 ["assistant serve → /api/health ready (index open, model loaded)", serve["ready_s"], None, serve["ready_s"] / bare],
                 ["… + first answer (usable)", serve["usable_s"], None, serve["usable_s"] / bare]]
    res.tables.append(table(["what", "wall s (median)", "CPU s", "ratio vs bare python"], rows))
    return res


# --- 4. memory ---------------------------------------------------------------------------------
def bench_memory(ctx: BenchContext) -> Result:
    """Peak RSS of `assistant index` from scratch and of `assistant serve` after some questions."""
    res = Result("memory", "Peak memory", "assistant bench memory", ctx.quick)
    target = ctx.workdir / "memory-index"
    env = child_env(ctx.settings.replace(index_dir=target))
    runs = []
    for _ in range(ctx.repeats):
        shutil.rmtree(target, ignore_errors=True)
        run = run_child([sys.executable, "-m", "assistant", "index", "--rebuild", "-q"], env=env)
        if run.code != 0:
            raise RuntimeError(f"assistant index failed: {run.stderr[-500:]}")
        runs.append(run)
    shutil.rmtree(target, ignore_errors=True)
    peak = max(r.peak_mb for r in runs)
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    serve = _serve_probe(ctx, asks=10 if not ctx.quick else 3)
    rows = [["assistant index --rebuild (cold process: start, model load, build)", peak, wall, cpu]]
    if "error" not in serve:
        rows.append([f"assistant serve, after {serve.get('questions_asked', '?')} questions (VmHWM)", serve["peak_rss_mb"], None, None])
    else:
        res.notes.append(f"serve: {serve['error']}")
    res.data = {"index": {"peak_rss_mb": peak, "wall": wall, "cpu": cpu}, "serve": serve}
    res.tables.append(table(["process", "peak RSS MiB", "wall s (median)", "CPU s"], rows))
    shipped = Path(ctx.settings.documents_dir).resolve() == (PROJECT_ROOT / "documents").resolve()
    res.goals.append(Goal("`assistant index` from scratch in a cold process (includes model load)",
                          "≤ 30 s on 2 cores for the shipped corpus", f"{wall:.1f} s", wall <= 30 if shipped else None))
    return res


# --- 5. scale ------------------------------------------------------------------------------------
def bench_scale(ctx: BenchContext) -> Result:
    """Synthetic collections written and served by the product's IndexStore and Retriever: real recombined
    text, synthetic vectors. Each size is built in one process and searched in a fresh one, so the
    serving process's peak memory is its own."""
    res = Result("scale", "Scale (synthetic collections)", "assistant bench scale", ctx.quick)
    questions = [q["question"] for q in load_questions(ctx.questions_path)]
    n_queries = 20 if ctx.quick else 100
    rows, mem_rows, ann_rows = [], [], []
    per_size: dict[str, Any] = {}
    for n in ctx.sizes:
        # The build holds the keyword postings (≈ 8 bytes × ≈ 490 a chunk) and the FAISS index being built.
        need_gb = (0.3 + n * 5_500 / 2**30)
        avail_gb = _meminfo("MemAvailable") / 2**20
        if need_gb * 1.2 > avail_gb:
            per_size[str(n)] = {"skipped": f"needs ≈ {need_gb:.1f} GB, {avail_gb:.1f} GB available"}
            rows.append([n, f"skipped: needs ≈ {need_gb:.1f} GB to build, only {avail_gb:.1f} GB available"] + [None] * 11)
            continue
        ctx.log(f"scale: {n:,} chunks …")
        out = _scale_size(ctx, n, questions, n_queries)
        per_size[str(n)] = out
        if "error" in out:
            rows.append([n, out["error"][:300]] + [None] * 11)
            continue
        b, s, lat = out["build"], out["serve"], out["serve"]["latency_ms"]

        def ms(key: str) -> str | None:
            return f"{lat[key]['p50']:.1f} / {lat[key]['p95']:.1f}" if key in lat else None

        rows.append([n, s["dense_index"], b["write_s"], b["peak_rss_mb"] / 1024, s["open_s"], ms("dense"), ms("keyword"),
                     ms("hybrid"), ms("hybrid_cpu"), ms("prepare"), s["peak_rss_mb"] / 1024, s.get("recall@10")])
        mem_rows.append([n, s["rss_after_open"]["anon"], s["rss_after_open"]["file"], s["rss_after_queries"]["anon"],
                         s["rss_after_queries"]["file"], s["peak_rss_mb"], s["disk_mb"], s["keyword_nnz"]])
        if "ivf_side" in s:
            side = s["ivf_side"]
            ann_rows.append([n, side["lists"], side["nprobe"], side["build_s"], side["memory_mb"],
                             f"{side['latency_ms']['p50']:.1f} / {side['latency_ms']['p95']:.1f}", side["recall@10"]])
        elif s.get("recall@10") is not None:
            ann_rows.append([n, s["ivf_lists"], s["ivf_nprobe"], None, None, ms("dense"), s["recall@10"]])
    res.data = {"sizes": list(ctx.sizes), "queries": n_queries, "results": per_size}
    res.tables.append(
        "Text: real sentences sampled from the shipped documents and shuffled into 500–1000-character chunks, grouped "
        "50 to a document (6 provinces, 16 years, so question scopes select real subsets). **Vectors: synthetic** "
        "(random unit vectors around clusters, 384 dimensions) — embedding 1M chunks would take hours on this CPU; "
        "question vectors are synthetic too, so dense latency and recall against exact search are real but dense "
        "*relevance* is meaningless here. Each collection is written by `store.write_index` (streamed) and searched "
        "in a fresh process through `IndexStore.open` (every checksum verified) and `Retriever.search` — the "
        "product's code path. Latencies are retrieval only (the question embedding, ≈ the query benchmark's "
        f"baseline, comes on top); ms p50 / p95 over {n_queries} eval questions (all with their question-derived "
        "scope); hybrid CPU ms is the serving process's own CPU time per search, which other jobs on the machine do not "
        "inflate; peak RSS is the serving process's VmHWM, file-backed pages of the memory-mapped files included.\n\n"
        + table(["chunks", "FAISS index", "write index s", "build peak RSS GB", "open s (checksums)", "dense ms",
                 "keyword ms", "hybrid ms", "hybrid CPU ms", "of which: prepare question ms", "serving peak RSS GB",
                 "dense recall@10 vs exact"], rows))
    if mem_rows:
        res.tables.append(
            "Serving process memory (MiB): anonymous (the process's own: FAISS codes, vocabulary, per-row arrays) vs "
            "file-backed (pages of the memory-mapped keyword postings and vectors it touched; the kernel can drop "
            "them under pressure):\n\n" + table(
                ["chunks", "anon after open", "file after open", "anon after the questions", "file after the questions",
                 "peak RSS (VmHWM)", "index on disk", "keyword postings (nnz)"], mem_rows))
    if ann_rows:
        res.tables.append(
            "The approximate index (IVF over 8-bit codes, candidates re-scored exactly from embeddings.npy): recall@10 "
            "of `Retriever._dense` against exact search over the same vectors. Where the store keeps an exact index "
            "(at or below Settings.exact_index_max), an IVF index is built on the side from the same vectors and "
            "swapped into the same retriever for this row:\n\n" + table(
                ["chunks", "lists", "nprobe", "IVF build s", "IVF memory MiB", "dense ms p50 / p95", "recall@10"], ann_rows))
    _scale_goals(res, per_size)
    return res


def _scale_goals(res: Result, per_size: dict) -> None:
    done = {int(k): v for k, v in per_size.items() if "serve" in v}
    if not done:
        return
    top = max(done)
    serve = done[top]["serve"]
    hyb = serve["latency_ms"]["hybrid"]["p95"]
    peak = serve["peak_rss_mb"] / 1024
    label = f"at {top:,} chunks"
    res.goals.append(Goal(f"hybrid search p95 {label} (retrieval, synthetic vectors)", "≤ 300 ms at 1M", f"{hyb:.0f} ms",
                          hyb <= 300 if top >= 1_000_000 else None))
    res.goals.append(Goal(f"peak memory of the serving process {label} (anon + file-backed)", "≤ 4 GB at 1M",
                          f"{peak:.2f} GB", peak <= 4 if top >= 1_000_000 else None))
    exact = {k: v["serve"]["latency_ms"]["dense"]["p50"] for k, v in done.items() if v["serve"]["dense_index"] == "exact"}
    if exact:
        k = max(exact)
        per_vec = exact[k] / k
        res.notes.append(f"exact FAISS costs ≈ {per_vec * 1e6:.0f} ms per million vectors per question here ({exact[k]:.1f} ms "
                         f"at {k:,}), so Settings.exact_index_max = 100,000 keeps exact search near 50 ms at most.")
    for k, v in sorted(done.items()):
        prof = v["serve"].get("keyword_profile")
        if prof:
            res.notes.append(f"keyword search at {k:,} chunks, p50: {prof['search_ms']:.1f} ms in all, of which bm25s "
                             f"get_scores {prof['get_scores_ms']:.1f} ms, the top-k selection {prof['select_ms']:.1f} ms and "
                             f"preparing the question {prof['prepare_ms']:.1f} ms.")
    res.notes.append("an opened index keeps in memory only per-row arrays (chunk line offsets, chunk → document), document "
                     "metadata, the keyword vocabulary and the FAISS index; chunk and document texts are read from disk "
                     "when a hit needs them, and the keyword postings and vectors are memory-mapped.")


def _scale_size(ctx: BenchContext, n: int, questions: Sequence[str], n_queries: int) -> dict:
    """Build one size in a child process, then search it from another."""
    work = ctx.workdir / f"scale-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    qs = list(questions)[: n_queries if n < 1_000_000 else min(50, n_queries)]
    cfg = {"n": n, "seed": 7, "documents_dir": str(ctx.settings.documents_dir), "questions": qs,
           "exact_index_max": ctx.settings.exact_index_max, "candidates": ctx.settings.candidates,
           "workdir": str(work), "index_dir": str(work / "index")}
    out: dict[str, Any] = {}
    try:
        for step in ("build", "serve"):
            cfg["step"] = step
            cfg["out"] = str(work / f"{step}.json")
            (work / "config.json").write_text(json.dumps(cfg, ensure_ascii=False), encoding="utf-8")
            code = "from assistant.evals.bench.suite import scale_child_main; scale_child_main()"
            run = run_child([sys.executable, "-c", code, str(work / "config.json")], env=child_env(ctx.settings),
                            timeout=600 if ctx.quick else 3 * 3600)
            if run.code != 0:
                return {"error": f"{step}: exit {run.code}: {run.stderr.strip()[-400:]}", **out}
            result = json.loads((work / f"{step}.json").read_text(encoding="utf-8"))
            result.update(peak_rss_mb=run.peak_mb, child_wall_s=run.wall, child_cpu_s=run.cpu)
            out[step] = result
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def scale_child_main() -> None:
    """Entry point of a scale child process: config path in argv[1], result JSON written to cfg['out']."""
    cfg = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    result = scale_build(cfg) if cfg["step"] == "build" else scale_serve(cfg)
    Path(cfg["out"]).write_text(json.dumps(result), encoding="utf-8")


def sentence_pool(documents_dir: Path) -> list[str]:
    """Real sentences of the corpus (20–600 characters) to recombine into synthetic chunks."""
    loaded, _problems = load_folder(Path(documents_dir))
    out = []
    for doc in loaded:
        for piece in re.split(r"(?<=[.;:!?])\s+|\n+", doc.text):
            piece = piece.strip()
            if 20 <= len(piece) <= 600:
                out.append(piece)
    if not out:
        raise ValueError(f"no sentences in {documents_dir}")
    return out


def sentence_terms(sentences: Sequence[str]) -> tuple[list[list[str]], dict[str, int]]:
    """Keyword terms of each sentence (the product's accented + folded terms) and a term → id vocabulary."""
    lists = [question_terms(s) for s in sentences]
    vocab: dict[str, int] = {}
    for terms in lists:
        for t in terms:
            if t not in vocab:
                vocab[t] = len(vocab)
    return lists, vocab


def compose_chunks(n: int, lengths, rng) -> tuple:
    """Chunk i = sentences ids[offsets[i]:offsets[i+1]], drawn at random until 500–1000 characters."""
    import numpy as np

    targets = rng.integers(500, 1001, size=n)
    draws = rng.integers(0, len(lengths), size=n * 16)
    ids = np.empty(n * 16, dtype=np.int32)
    offsets = np.zeros(n + 1, dtype=np.int64)
    pos = used = 0
    for i in range(n):
        total = 0
        while total < targets[i]:
            if used >= len(draws):
                draws = rng.integers(0, len(lengths), size=n * 4)
                used = 0
            s = draws[used]
            used += 1
            if pos >= len(ids):
                ids = np.concatenate([ids, np.empty(len(ids), dtype=np.int32)])
            ids[pos] = s
            pos += 1
            total += int(lengths[s]) + 1
        offsets[i + 1] = pos
    return ids[:pos], offsets


def bincount_scores(index, terms: Sequence[str]):
    """BM25 scores of every document for these terms with one np.bincount (same values as get_scores)."""
    import numpy as np

    ids = [index.vocab_dict[t] for t in terms if t in index.vocab_dict]
    s = index.scores
    n = s["num_docs"]
    if not ids:
        return np.zeros(n, dtype=np.float32)
    indptr, indices, data = s["indptr"], s["indices"], s["data"]
    rows = np.concatenate([indices[indptr[i] : indptr[i + 1]] for i in ids])
    weights = np.concatenate([data[indptr[i] : indptr[i + 1]] for i in ids])
    return np.bincount(rows, weights=weights, minlength=n).astype(np.float32)


class SyntheticQueries:
    """Stands in for the embedder at scale: a deterministic unit vector near one cluster per question text."""

    def __init__(self, centers, seed: int, spread: float):
        self.centers = centers
        self.seed = seed
        self.spread = spread
        self.name = "synthetic"
        self.dimension = int(centers.shape[1])

    def vector(self, text: str):
        """The question's synthetic vector."""
        import numpy as np

        rng = np.random.default_rng([self.seed, int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)])
        c = self.centers[rng.integers(len(self.centers))]
        v = c + self.spread * rng.standard_normal(self.dimension).astype(np.float32) / np.sqrt(self.dimension)
        return (v / np.linalg.norm(v)).astype(np.float32)

    def encode_queries(self, texts: Sequence[str]):
        """Vectors for questions."""
        import numpy as np

        return np.stack([self.vector(t) for t in texts])


_SCALE_DIM, _SCALE_PER_DOC, SCALE_SPREAD = 384, 50, 0.6
_SCALE_PROVINCES = ("Ninh Bình", "Quảng Ninh", "Lâm Đồng", "Bà Rịa - Vũng Tàu", "Hà Giang", "Lào Cai")


def scale_build(cfg: dict) -> dict:
    """Write one synthetic collection with store.write_index, streamed (runs inside the build child)."""
    import numpy as np


    n, rng = int(cfg["n"]), np.random.default_rng(int(cfg["seed"]))
    work = Path(cfg["workdir"])
    dim, per_doc = _SCALE_DIM, _SCALE_PER_DOC
    out: dict[str, Any] = {"n": n}
    t0 = time.perf_counter()
    sentences = sentence_pool(Path(cfg["documents_dir"]))
    term_lists, vocab = sentence_terms(sentences)
    sent_ids = [np.asarray([vocab[t] for t in terms], dtype=np.int32) for terms in term_lists]
    lengths = np.asarray([len(s) for s in sentences])
    ids, offsets = compose_chunks(n, lengths, rng)
    out["texts_s"] = round(time.perf_counter() - t0, 2)

    def chunk_text(i: int) -> str:
        return " ".join(sentences[s] for s in ids[offsets[i] : offsets[i + 1]])

    def doc_range(d: int) -> range:
        return range(d * per_doc, min(n, (d + 1) * per_doc))

    n_docs = (n + per_doc - 1) // per_doc

    def documents():
        for d in range(n_docs):
            yield DocumentRecord(doc_id=f"syn-{d:06d}", path="", title=f"Kế hoạch tổng hợp {d}", sha256="",
                                 text="\n\n".join(chunk_text(i) for i in doc_range(d)),
                                 province=_SCALE_PROVINCES[d % len(_SCALE_PROVINCES)], year=2011 + d % 16)

    def chunks():
        for d in range(n_docs):
            doc_id, pos = f"syn-{d:06d}", 0
            for i in doc_range(d):
                text = chunk_text(i)
                yield Chunk(f"{doc_id}-{i - d * per_doc}", doc_id, i - d * per_doc, pos, pos + len(text), text, "", "",
                            f"Kế hoạch tổng hợp {d}")
                pos += len(text) + 2

    # Vectors: synthetic, clustered by document, in a memory-mapped .npy (write_index streams it).
    t0 = time.perf_counter()
    n_clusters = max(4, n // 500)
    centers = rng.standard_normal((n_clusters, dim)).astype(np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    np.save(work / "centers.npy", centers)
    vectors = np.lib.format.open_memmap(work / "vectors.npy", mode="w+", dtype=np.float32, shape=(n, dim))
    doc_cluster = rng.integers(n_clusters, size=n_docs + 1)
    for lo in range(0, n, 50_000):
        hi = min(n, lo + 50_000)
        rows = np.arange(lo, hi)
        cl = np.where(rng.random(hi - lo) < 0.7, doc_cluster[rows // per_doc], rng.integers(n_clusters, size=hi - lo))
        v = centers[cl] + SCALE_SPREAD * rng.standard_normal((hi - lo, dim)).astype(np.float32) / np.sqrt(dim)
        vectors[lo:hi] = v / np.linalg.norm(v, axis=1, keepdims=True)
    vectors.flush()
    del vectors
    vectors = np.load(work / "vectors.npy", mmap_mode="r")
    out["vectors_s"] = round(time.perf_counter() - t0, 2)

    t0 = time.perf_counter()
    keyword = keyword_index_from_ids(
        n, lambda i: np.concatenate([sent_ids[s] for s in ids[offsets[i] : offsets[i + 1]]]), vocab)
    out["keyword_s"] = round(time.perf_counter() - t0, 2)
    out["keyword_rss_mb"] = round(rss_mb(), 1)
    t0 = time.perf_counter()
    write_index(Path(cfg["index_dir"]), documents=documents(), chunks=chunks(), embeddings=vectors, keyword=keyword,
                restore_table=build_restore_table(sentences), problems=[],
                settings_fingerprint={"embedding_model": "synthetic", "format_version": FORMAT_VERSION,
                                      "exact_index_max": int(cfg["exact_index_max"])})
    out["write_s"] = round(time.perf_counter() - t0, 2)
    del keyword

    # Exact top-10 of every question vector, in batches over the memory-mapped vectors: the recall reference.
    t0 = time.perf_counter()
    queries = SyntheticQueries(centers, int(cfg["seed"]), SCALE_SPREAD)
    qv = queries.encode_queries(cfg["questions"])
    best_s = np.full((len(qv), 10), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(qv), 10), dtype=np.int64)
    for lo in range(0, n, 100_000):
        s = qv @ np.asarray(vectors[lo : lo + 100_000]).T
        cand_s = np.concatenate([best_s, s], axis=1)
        cand_i = np.concatenate([best_i, np.broadcast_to(np.arange(lo, lo + s.shape[1]), s.shape)], axis=1)
        top = np.argsort(-cand_s, axis=1, kind="stable")[:, :10]
        best_s, best_i = np.take_along_axis(cand_s, top, 1), np.take_along_axis(cand_i, top, 1)
    np.save(work / "truth.npy", best_i)
    out["truth_s"] = round(time.perf_counter() - t0, 2)
    (work / "vectors.npy").unlink()
    return out


def scale_serve(cfg: dict) -> dict:
    """Open the collection with IndexStore.open and search it with Retriever (runs inside the serve child)."""
    import faiss
    import numpy as np


    work = Path(cfg["workdir"])
    n = int(cfg["n"])
    out: dict[str, Any] = {"n": n}

    def rss() -> dict:
        return {"anon": round(rss_mb(key="RssAnon"), 1), "file": round(rss_mb(key="RssFile"), 1),
                "total": round(rss_mb(), 1)}

    t0 = time.perf_counter()
    store = IndexStore.open(Path(cfg["index_dir"]))
    out["open_s"] = round(time.perf_counter() - t0, 2)
    out["rss_after_open"] = rss()
    folder = live_dir(Path(cfg["index_dir"]))
    out["disk_mb"] = round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)
    out["keyword_nnz"] = int(store.keyword.scores["indptr"][-1])
    approximate = isinstance(store.dense, faiss.IndexIVF)
    out["dense_index"] = f"IVF{store.dense.nlist},SQ8" if approximate else "exact"
    if approximate:
        out["ivf_lists"], out["ivf_nprobe"] = int(store.dense.nlist), int(store.dense.nprobe)
    queries = SyntheticQueries(np.load(work / "centers.npy"), int(cfg["seed"]), SCALE_SPREAD)
    settings = Settings.from_env(index_dir=Path(cfg["index_dir"]), candidates=int(cfg["candidates"]))
    t0 = time.perf_counter()
    retriever = Retriever(store, queries, settings)
    out["retriever_open_s"] = round(time.perf_counter() - t0, 3)
    qs = list(cfg["questions"])
    depth = max(settings.candidates, 4 * 5)
    lat: dict[str, dict] = {}
    for mode in ("dense", "keyword", "hybrid"):
        retriever.search(qs[0], 5, Filters(), mode)
        ms, cpu = [], []
        for q in qs:
            t0, c0 = time.perf_counter(), time.process_time()
            retriever.search(q, 5, Filters(), mode)
            ms.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        lat[mode] = latency(ms)
        lat[f"{mode}_cpu"] = latency(cpu)  # this process's own CPU time: what load from other jobs does not inflate
    # Where the keyword side's time goes: preparing the question, bm25s scoring, the top-k selection.
    prep_ms, score_ms, select_ms, scoped = [], [], [], 0
    for q in qs:
        t0 = time.perf_counter()
        prepared = retriever.prepare(q)
        prep_ms.append((time.perf_counter() - t0) * 1000)
        scoped += bool(prepared.scope)
        allowed = retriever.allowed_rows(prepared.scope)
        known = [t for t in prepared.terms if t in store.keyword.vocab_dict]
        if not known:
            continue
        t0 = time.perf_counter()
        store.keyword.get_scores(known)
        t1 = time.perf_counter()
        retriever._keyword(prepared.terms, depth, allowed)
        t2 = time.perf_counter()
        score_ms.append((t1 - t0) * 1000)
        select_ms.append(max(0.0, (t2 - t1) - (t1 - t0)) * 1000)
    lat["prepare"] = latency(prep_ms)
    out["questions_with_scope"] = scoped
    out["keyword_profile"] = {"search_ms": lat["keyword"]["p50"], "prepare_ms": lat["prepare"]["p50"],
                              "get_scores_ms": latency(score_ms)["p50"], "select_ms": latency(select_ms)["p50"]}
    out["latency_ms"] = lat
    truth = np.load(work / "truth.npy")

    def recall() -> float:
        got = [list(retriever._dense(q, depth, None))[:10] for q in qs]
        return round(float(np.mean([len(set(g) & set(t.tolist())) / 10 for g, t in zip(got, truth)])), 4)

    out["recall@10"] = recall() if approximate else None
    out["rss_after_queries"] = rss()
    out["vmhwm_mb"] = round(rss_mb(key="VmHWM"), 1)
    if not approximate:
        # The same retriever over an IVF index built on the side from the same vectors (after the memory readings).
        t0 = time.perf_counter()
        before = rss_mb(key="RssAnon")
        ivf = choose_faiss_index(store.embeddings, 0)
        side = {"build_s": round(time.perf_counter() - t0, 2), "memory_mb": round(rss_mb(key="RssAnon") - before, 1),
                "lists": int(ivf.nlist), "nprobe": int(ivf.nprobe)}
        store.dense = ivf
        ms = []
        for q in qs:
            retriever._qcache.clear()
            t0 = time.perf_counter()
            retriever._dense(q, depth, None)
            ms.append((time.perf_counter() - t0) * 1000)
        side["latency_ms"] = latency(ms)
        side["recall@10"] = recall()
        out["ivf_side"] = side
    return out


# --- 6. concurrency -------------------------------------------------------------------------------
def _accounts(settings: Settings) -> dict[str, tuple[str, str]]:
    """The three roles of a workshop for the load run: the settings' accounts (bench --auth, --trainer-password,
    --admin-password or the ASSISTANT_* variables), else made-up passwords good for this run only."""
    import secrets

    user, _, password = (settings.auth or f"tap-huan:{secrets.token_urlsafe(12)}").partition(":")
    return {"participant": (user, password),
            "trainer": ("trainer", settings.trainer_password or secrets.token_urlsafe(12)),
            "admin": ("admin", settings.admin_password or secrets.token_urlsafe(12))}


def bench_concurrency(ctx: BenchContext) -> Result:
    """30 simulated participants asking for 60 s against `assistant serve` over HTTP (loopback only), logged in
    with the participants' account; then the same load with a trainer at work (asking, downloading the room's
    feedback) while the admin uploads a document (issue: nothing lost under load, roles hold)."""
    res = Result("concurrency", "Concurrency (closed-loop load on `serve`, three roles)", "assistant bench concurrency",
                 ctx.quick)
    users, seconds = (3, 3.0) if ctx.quick else (30, 60.0)
    ctx.bot()
    # The server gets its own copy of the documents and the index: the upload must not touch the real folder.
    docs, index = ctx.workdir / "load-documents", ctx.workdir / "load-index"
    for target in (docs, index):
        shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ctx.settings.documents_dir, docs)
    shutil.copytree(ctx.settings.index_dir, index)
    accounts = _accounts(ctx.settings)
    participant, trainer, admin = accounts["participant"], accounts["trainer"], accounts["admin"]
    settings = ctx.settings.replace(data_dir=ctx.workdir / "load-data", documents_dir=docs, index_dir=index,
                                    auth=":".join(participant), trainer_password=trainer[1], admin_password=admin[1])
    questions = varied_questions(ctx.question_texts())
    filename, data, check = _upload_document(settings.documents_dir)
    with _served(ctx, settings, "serve-load.log") as base:
        single = run_load(base, questions[-20:], users=1, seconds=min(seconds, 10.0), max_requests=20,
                          auth=participant)
        stats = run_load(base, questions, users=users, seconds=seconds, auth=participant)
        peak = rss_mb(_served.pid, "VmHWM")
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            uploading = pool.submit(upload_during_load, base, filename, data, check,
                                    after=min(10.0, seconds / 6), admin=admin)
            pause = 0.5 if ctx.quick else 2.0
            training = pool.submit(trainer_during_load, base, questions[1::7], seconds, trainer=trainer,
                                   participant=participant, pause=pause)
            loaded = run_load(base, questions[::-1], users=users, seconds=seconds, auth=participant)
            upload, coach = uploading.result(), training.result()
        peak_upload = rss_mb(_served.pid, "VmHWM")
    stats["peak_rss_mb"], loaded["peak_rss_mb"] = peak, peak_upload
    res.data = {"single_user": single, "load": stats, "load_with_upload": loaded, "upload": upload, "trainer": coach,
                "roles": {"participant": participant[0], "trainer": trainer[0], "admin": admin[0]}}
    rows = [["one participant (baseline)", 1, single["seconds"], single["answered"], single["errors"], single["rps"], single["p50"], single["p95"], single["max"]],
            [f"{users} participants", users, stats["seconds"], stats["answered"], stats["errors"], stats["rps"], stats["p50"], stats["p95"], stats["max"]],
            [f"{users} participants, while a trainer works and the admin uploads a document", users, loaded["seconds"],
             loaded["answered"], loaded["errors"], loaded["rps"], loaded["p50"], loaded["p95"], loaded["max"]],
            [f"… the trainer (a question and the room's feedback CSV every {pause:g} s)", 1, round(seconds, 1), coach["requests"] - coach["errors"],
             coach["errors"], "", coach["p50"], coach["p95"], coach["max"]]]
    res.tables.append(table(["run", "users", "seconds", "answered", "errors", "answers/s", "p50 s", "p95 s", "max s"], rows))
    res.tables.append(table(
        ["upload during the load", "HTTP status", "accepted after s", "indexed after s", "documents before → after",
         "previous documents kept", "a question about it cites it"],
        [[upload["file"], upload.get("upload_status"), upload.get("accepted_s"), upload.get("indexed_s"),
          f"{upload.get('documents_before')} → {upload.get('documents_after')}", upload.get("previous_documents_kept"),
          upload.get("check_answer_cites_upload")]]))
    res.notes.append(f"accounts: participants log in as {participant[0]!r} (HTTP Basic, every request), the trainer as "
                     f"'trainer', the admin as 'admin'; during the load a participant asking for the room's feedback got "
                     f"HTTP {coach.get('participant_feedback_csv_status')}, uploading HTTP {coach.get('participant_upload_status')}")
    res.notes.append(f"server peak RSS: {peak:.0f} MiB during the load, {peak_upload:.0f} MiB after the load with the "
                     f"upload (re-indexing loads the document model); answer slots (Settings.concurrency): {ctx.settings.concurrency}")
    res.notes.append("questions: the eval questions, each in many phrasings, so the server's query cache does not help")
    for name, run in (("load", stats), ("load with upload", loaded), ("trainer", coach)):
        if run["error_samples"]:
            res.notes.append(f"errors ({name}): " + "; ".join(run["error_samples"]))
    if upload.get("error"):
        res.notes.append(f"upload: {upload['error']}")
    res.goals.append(Goal(f"{users} participants for {seconds:.0f} s: p95", "≤ 2 s", f"{stats['p95']:.2f} s", stats["p95"] <= 2.0))
    res.goals.append(Goal("errors under load", "0", str(stats["errors"]), stats["errors"] == 0 and stats["answered"] > 0))
    nothing_lost = (loaded["errors"] == 0 and loaded["answered"] > 0 and upload.get("upload_status") == 202
                    and upload.get("previous_documents_kept") and upload.get("check_answer_cites_upload")
                    and upload.get("documents_after") == upload.get("documents_before", 0) + 1
                    and coach["errors"] == 0 and coach["requests"] > 0)
    res.goals.append(Goal(f"{users} participants + a trainer + an admin's upload: all answered, zero errors, nothing lost",
                          "yes", f"{loaded['errors'] + coach['errors']} errors, p95 {loaded['p95']:.2f} s, upload indexed in "
                          f"{upload.get('indexed_s')} s", bool(nothing_lost)))
    refused = coach.get("participant_feedback_csv_status") == 403 and coach.get("participant_upload_status") == 403
    res.goals.append(Goal("roles under load: a participant refused the room's feedback and uploads", "403, 403",
                          f"{coach.get('participant_feedback_csv_status')}, {coach.get('participant_upload_status')}",
                          refused))
    return res


class _served:
    """`assistant serve` in a child process for the duration of a with-block; yields its base URL."""

    pid = 0

    def __init__(self, ctx: BenchContext, settings: Settings, log_name: str):
        self.ctx, self.settings, self.log_path = ctx, settings, ctx.workdir / log_name

    def __enter__(self) -> str:
        import httpx

        port = free_port()
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "-p", str(port)],
                                     env=child_env(self.settings), stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        _served.pid = self.proc.pid
        base = f"http://127.0.0.1:{port}"
        deadline = time.perf_counter() + 600
        while time.perf_counter() < deadline and self.proc.poll() is None:
            with contextlib.suppress(httpx.HTTPError, ValueError):
                auth = tuple(self.settings.auth.split(":", 1)) if self.settings.auth else None  # every route asks for a login
                if httpx.get(base + "/api/health", timeout=5, auth=auth).json().get("status") == "ok":
                    return base
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"serve did not become ready; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        _stop(self.proc)
        self.log.close()


def _upload_document(documents: Path) -> tuple[str, bytes, str]:
    """A realistic upload: one shipped plan re-issued for another province as DOCX, with one new fact;
    returns (file name, bytes, a question only the new document answers)."""
    from docx import Document

    texts = sorted(p for p in Path(documents).iterdir() if p.suffix in (".txt", ".md"))
    source = next((p for p in texts if p.name.startswith("ninh-binh-2024")), texts[0])
    text = source.read_text(encoding="utf-8")
    for old in ("Bà Rịa - Vũng Tàu", "Bà Rịa – Vũng Tàu", "Ninh Bình", "Quảng Ninh", "Lâm Đồng", "Lào Cai", "Cao Bằng"):
        text = text.replace(old, "Hà Giang")
    doc = Document()
    doc.add_paragraph("Trung tâm Công tác xã hội tỉnh Hà Giang tiếp nhận nạn nhân tại số 18 đường Nguyễn Trãi, "
                      "thành phố Hà Giang, mở cửa cả ngày thứ Bảy.")
    for para in text.split("\n"):
        if para.strip():
            doc.add_paragraph(para)
    buf = io.BytesIO()
    doc.save(buf)
    return "ke-hoach-ha-giang.docx", buf.getvalue(), "Trung tâm Công tác xã hội tỉnh Hà Giang tiếp nhận nạn nhân ở đâu?"


_LEADS = ("", "Cho tôi hỏi: ", "Xin hỏi, ", "Vui lòng cho biết: ", "Tôi muốn biết: ", "Hỏi nhanh: ", "Làm ơn trả lời: ",
          "Bạn ơi, ", "Thầy cô cho hỏi: ", "Em muốn hỏi: ", "Nhờ trợ lý cho biết: ", "Câu hỏi: ", "Xin chỉ giúp: ",
          "Anh chị cho hỏi: ", "Mình hỏi chút: ", "Làm rõ giúp: ", "Tra cứu: ", "Cần biết: ", "Hỏi về văn bản: ",
          "Please tell me: ")


def varied_questions(questions: Sequence[str]) -> list[str]:
    """Each question in many phrasings, so a load test does not just replay the server's query cache
    (30 participants for a minute ask a few thousand questions; real participants rarely repeat one)."""
    return [lead + q for lead in _LEADS for q in questions]


# --- 8. OCR -------------------------------------------------------------------------------------------
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core


def scanned_pdf(pages: Sequence[str], dpi: int = 300, *, skew_degrees: float = 0.4, noise: float = 6.0,
                seed: int = 0, font: Path | None = None) -> bytes:
    """An image-only PDF that looks like a scan of ``pages``: fpdf2 typesets each page's text (DejaVu
    Serif 12 pt), pdftoppm rasterises it at ``dpi``, Pillow turns it by up to ``skew_degrees`` and adds
    Gaussian noise (sigma ``noise`` grey levels), and fpdf2 wraps the images back into A4 pages."""
    import numpy as np
    from fpdf import FPDF
    from PIL import Image

    font = font or DEJAVU_DIR / "DejaVuSerif.ttf"
    typeset = FPDF(format="A4")
    typeset.add_font("serif", "", str(font))
    typeset.set_font("serif", size=12)
    typeset.set_auto_page_break(True, margin=20)
    for text in pages:
        typeset.add_page()
        typeset.multi_cell(0, 6, text)
    rng = np.random.default_rng(seed)
    out = FPDF(format="A4")
    out.set_auto_page_break(False)
    with tempfile.TemporaryDirectory(prefix="assistant-scan-") as tmp:
        source = Path(tmp) / "typeset.pdf"
        typeset.output(str(source))
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp) / "p")],
                       check=True, capture_output=True, timeout=600)
        for png in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
            image = Image.open(png).convert("L")
            angle = float(rng.uniform(-skew_degrees, skew_degrees))
            image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            pixels = np.asarray(image, dtype=np.float32) + rng.normal(0.0, noise, (image.height, image.width))
            image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
            scan = png.with_suffix(".jpg")
            image.save(scan, quality=85)  # scanners write JPEG: its artefacts are part of a real scan
            out.add_page()
            out.image(str(scan), x=0, y=0, w=out.w, h=out.h)
    return bytes(out.output())


def levenshtein(a: str, b: str) -> int:
    """Edit distance between two short strings (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _words_with_offsets(text: str) -> list[tuple[str, int, int]]:
    return [(normalize_for_matching(m.group()), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _word_opcodes(ref: list[tuple[str, int, int]], hyp: list[tuple[str, int, int]]) -> list:
    import difflib

    # autojunk off: in Vietnamese every common syllable would count as junk.
    return difflib.SequenceMatcher(None, [w for w, _, _ in ref], [w for w, _, _ in hyp], autojunk=False).get_opcodes()


def char_error_rate(reference: str, hypothesis: str) -> tuple[int, int]:
    """(character edits, reference characters) between two texts in matching form with single spaces.

    The texts are aligned word by word first (difflib), then each stretch that differs is compared
    character by character: exact where OCR errors are sparse, as here, and an upper bound otherwise."""
    ref, hyp = _words_with_offsets(reference), _words_with_offsets(hypothesis)
    edits = 0
    for tag, i1, i2, j1, j2 in _word_opcodes(ref, hyp):
        if tag == "equal":
            continue
        a = " ".join(w for w, _, _ in ref[i1:i2])
        b = " ".join(w for w, _, _ in hyp[j1:j2])
        if not a or not b:  # words only on one side, with the space that separated them
            edits += len(a or b) + (1 if ref and hyp else 0)
            continue
        edits += levenshtein(a, b) if len(a) * len(b) <= 4_000_000 else max(len(a), len(b))
    return edits, len(" ".join(w for w, _, _ in ref))


def map_quote(reference: str, hypothesis: str, start: int, end: int) -> tuple[int, int] | None:
    """Where reference[start:end] landed in the OCR text (word alignment); None if it did not."""
    ref, hyp = _words_with_offsets(reference), _words_with_offsets(hypothesis)
    first = next((i for i, (_, s, e) in enumerate(ref) if e > start), None)
    last = next((i for i in range(len(ref) - 1, -1, -1) if ref[i][1] < end), None)
    if first is None or last is None or not hyp:
        return None
    to_hyp: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in _word_opcodes(ref, hyp):
        for i in range(i1, i2):
            to_hyp[i] = min(j1 + (i - i1), j2 - 1) if j2 > j1 else min(j1, len(hyp) - 1)
    a, b = to_hyp[first], to_hyp[last]
    return (hyp[a][1], hyp[b][2]) if b >= a else None


def _ocr_questions(ctx: BenchContext, originals: dict[str, str], ocr_texts: dict[str, str], path: Path) -> Path:
    """The eval questions with each gold quote replaced by the OCR text it became (to score the OCR corpus)."""
    rows = []
    for q in ctx.questions():
        q = copy.deepcopy(q)
        for gold in q.get("gold", []):
            text, ocr = originals.get(gold["doc_id"]), ocr_texts.get(gold["doc_id"])
            if text is None or ocr is None:
                continue
            at = text.find(gold["quote"])
            if at < 0:
                at = normalize_for_matching(text).find(normalize_for_matching(gold["quote"]))
            span = map_quote(text, ocr, at, at + len(gold["quote"])) if at >= 0 else None
            if span:
                gold["quote"] = ocr[span[0] : span[1]]
        rows.append(q)
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in rows), encoding="utf-8")
    return path


OCR_PACKAGES = ("tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-eng", "tesseract-ocr-osd", "libtesseract5",
                "liblept5", "poppler-utils", "libpoppler126", "antiword")


def debian_installed_mb(packages: Sequence[str]) -> dict[str, float]:
    """Installed size in MB of each Debian package that is installed (dpkg's Installed-Size)."""
    sizes = {}
    for name in packages:
        done = subprocess.run(["dpkg-query", "-W", "-f=${Installed-Size}", name], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip().isdigit():
            sizes[name] = int(done.stdout) / 1024
    return sizes


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its finished children (the OCR tools)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def furnished_pdf(text: str, header: str) -> bytes:
    """A text-layer PDF of ``text`` whose every page carries ``header`` above and "Trang n" below (page furniture)."""
    from fpdf import FPDF

    class Furnished(FPDF):
        def header(self) -> None:
            self.set_font("serif", size=9)
            self.cell(0, 6, header, align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("serif", size=9)
            self.cell(0, 6, f"Trang {self.page_no()}", align="C")

    pdf = Furnished(format="A4")
    pdf.add_font("serif", "", str(DEJAVU_DIR / "DejaVuSerif.ttf"))
    pdf.set_font("serif", size=12)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("serif", size=12)
    pdf.multi_cell(0, 6, text.replace("\t", " "))
    return bytes(pdf.output())


def _running_lines_effect(ctx: BenchContext, sources: Sequence[Path], originals: dict[str, str], catalog: dict,
                          text_eval: dict, text_answers: dict) -> tuple[list[list], dict]:
    """The seed documents as text-layer PDFs with a running header, footer and page numbers, indexed with the
    furniture removed (as the loader does) and with it left in: hit@5 and answers of the eval questions."""
    from unittest import mock


    folder = ctx.workdir / "pdf-furnished"
    folder.mkdir(parents=True, exist_ok=True)
    for path in sources:
        doc_catalog = catalog.get(path.name, {})
        header = f"{doc_catalog.get('issuer') or 'UBND tỉnh'} — {(doc_catalog.get('title') or path.stem)[:60]}"
        (folder / f"{path.stem}.pdf").write_bytes(furnished_pdf(path.read_text(encoding="utf-8"), header))
    (folder / "catalog.json").write_text(json.dumps(
        {"documents": {f"{Path(k).stem}.pdf": v for k, v in catalog.items()}}, ensure_ascii=False), encoding="utf-8")
    rows = [["the same documents as text (baseline)", f"{text_eval.get('hit@5', 0):.3f}",
             f"{text_answers.get('answer_accuracy', 0):.3f}"]]
    data = {}
    for label, removed in (("PDFs, furniture removed (the loader)", True), ("PDFs, furniture left in", False)):
        settings = ctx.settings.replace(documents_dir=folder, index_dir=ctx.workdir / f"index-furnished-{removed}")
        keep = mock.patch.object(load, "remove_running_lines", lambda pages: list(pages)) if not removed else None
        if keep:
            keep.start()
        try:
            build_index(settings, ctx.embedder())
            bot = Assistant(settings, embedder=ctx.embedder()).warm_up()
            texts = {doc_id: d.text for doc_id, d in bot.store.documents.items()}
            questions = _ocr_questions(ctx, originals, texts, ctx.workdir / f"questions-furnished-{removed}.jsonl")
            report = run_eval(bot, questions, modes=("hybrid",), answers=True)
        finally:
            if keep:
                keep.stop()
        hit5, accuracy = report.retrieval["hybrid"]["all"].get("hit@5", 0.0), report.answers.get("answer_accuracy", 0.0)
        rows.append([label, f"{hit5:.3f}", f"{accuracy:.3f}"])
        data["removed" if removed else "kept"] = {"hit@5": hit5, "answer_accuracy": accuracy}
    return rows, data


def bench_ocr(ctx: BenchContext) -> Result:
    """Scanned copies of the corpus at 300 and 200 dpi read by Tesseract: CER against the text,
    seconds per page, and hit@5 and answer accuracy of the eval questions on the OCR corpus next to the text corpus."""
    res = Result("ocr", "OCR of scanned PDFs (Tesseract, Vietnamese)", "assistant bench ocr", ctx.quick)
    missing = ocr_unavailable(ctx.settings.ocr_language)
    try:
        import fpdf  # noqa: F401  (the scans are typeset by fpdf2, a test dependency)
    except ImportError:
        missing = missing or "fpdf2 is not installed (pip install -e '.[test]')"
    if missing:
        res.notes.append(f"not measured: {missing}")
        return res
    sources = sorted(Path(ctx.settings.documents_dir).glob("*.txt"))
    originals = {}
    for path in sources:
        doc = load_document(path)
        originals[doc.doc_id] = doc.text
    limit = 2500 if ctx.quick else None  # quick: about one page per document
    catalog = read_catalog(ctx.settings.documents_dir)
    text_bot = ctx.bot()
    text_report = run_eval(text_bot, ctx.eval_file(), modes=("hybrid",), answers=True)
    text_eval, text_answers = text_report.retrieval["hybrid"]["all"], text_report.answers
    rows, per_doc_rows, data = [], [], {"text_hit@5": text_eval.get("hit@5", 0.0), "text_n": text_eval["n"],
                                        "text_answer_accuracy": text_answers.get("answer_accuracy", 0.0)}
    for dpi in (300, 200):
        folder = ctx.workdir / f"scans-{dpi}dpi"
        folder.mkdir(parents=True, exist_ok=True)
        t_make = time.perf_counter()
        for i, path in enumerate(sources):
            text = path.read_text(encoding="utf-8")[:limit]
            (folder / f"{path.stem}.pdf").write_bytes(scanned_pdf([text], dpi=dpi, seed=i))
        make_s = time.perf_counter() - t_make
        (folder / "catalog.json").write_text(json.dumps(
            {"documents": {f"{Path(k).stem}.pdf": v for k, v in catalog.items()}}, ensure_ascii=False), encoding="utf-8")
        options = OcrOptions(cache_dir=ctx.workdir / f"ocr-cache-{dpi}", language=ctx.settings.ocr_language,
                             dpi=ctx.settings.ocr_dpi if dpi == 300 else dpi)
        ocr = PageOCR(options)
        cpu0 = _cpu_with_children()
        t0 = time.perf_counter()
        loaded, problems = load_folder(folder, ocr=ocr)
        wall = time.perf_counter() - t0
        cpu = _cpu_with_children() - cpu0  # Tesseract and pdftoppm run as child processes
        edits = chars = 0
        ocr_texts = {d.doc_id: d.text for d in loaded}
        for doc_id, original in originals.items():
            reference = original[:limit] if limit else original
            e, n = char_error_rate(reference, ocr_texts.get(doc_id, ""))
            edits, chars = edits + e, chars + n
            per_doc_rows.append([f"{dpi}", doc_id, n, e, f"{100 * e / max(n, 1):.2f} %"])
        cer = edits / max(chars, 1)
        ctx.log(f"OCR at {dpi} dpi: {ocr.pages_read} pages, CER {100 * cer:.2f} %")
        settings = ctx.settings.replace(documents_dir=folder, index_dir=ctx.workdir / f"index-ocr-{dpi}",
                                        cache_dir=ctx.settings.cache_dir, ocr_dpi=options.dpi)
        # The index reads the scans through the same cache: no page is OCR'd twice in this run.
        build_index(settings, ctx.embedder(), ocr=PageOCR(options))
        ocr_bot = Assistant(settings, embedder=ctx.embedder()).warm_up()
        questions = _ocr_questions(ctx, originals, ocr_texts, ctx.workdir / f"questions-ocr-{dpi}.jsonl")
        ocr_report = run_eval(ocr_bot, questions, modes=("hybrid",), answers=True)
        ocr_eval, ocr_answers = ocr_report.retrieval["hybrid"]["all"], ocr_report.answers
        per_page = ocr.seconds / max(ocr.pages_read, 1)
        rows.append([f"{dpi} dpi", ocr.pages_read, f"{100 * cer:.2f} %", f"{per_page:.2f}",
                     f"{cpu / max(ocr.pages_read, 1):.2f}", f"{wall:.0f}",
                     f"{text_eval.get('hit@5', 0):.3f} (n={text_eval['n']})",
                     f"{ocr_eval.get('hit@5', 0):.3f} (n={ocr_eval['n']})",
                     f"{ocr_eval.get('hit@5', 0) - text_eval.get('hit@5', 0):+.3f}",
                     f"{text_answers.get('answer_accuracy', 0):.3f}", f"{ocr_answers.get('answer_accuracy', 0):.3f}"])
        data[f"{dpi}dpi"] = {"pages": ocr.pages_read, "cer": round(cer, 5), "edits": edits, "chars": chars,
                             "ocr_seconds_per_page": round(per_page, 3), "load_wall_s": round(wall, 1),
                             "cpu_seconds_per_page": round(cpu / max(ocr.pages_read, 1), 3),
                             "make_scans_s": round(make_s, 1), "hit@5": ocr_eval.get("hit@5", 0.0),
                             "n": ocr_eval["n"], "answer_accuracy": ocr_answers.get("answer_accuracy", 0.0),
                             "problems": [p.reason for p in problems]}
        res.goals.append(Goal(f"CER at {dpi} dpi", "≤ 2 %" if dpi == 300 else "≤ 4 %", f"{100 * cer:.2f} %",
                              cer <= (0.02 if dpi == 300 else 0.04)))
        gap = abs(ocr_eval.get("hit@5", 0) - text_eval.get("hit@5", 0))
        res.goals.append(Goal(f"hit@5 on the {dpi} dpi OCR corpus vs the text corpus", "within 0.02",
                              f"{ocr_eval.get('hit@5', 0):.3f} vs {text_eval.get('hit@5', 0):.3f}", gap <= 0.02))
    furniture_rows, data["running_lines"] = _running_lines_effect(ctx, sources, originals, catalog, text_eval, text_answers)
    sizes = debian_installed_mb(OCR_PACKAGES)
    data["debian_installed_mb"] = {k: round(v, 2) for k, v in sizes.items()}
    data["ocr"] = ocr_identity(OcrOptions(language=ctx.settings.ocr_language))
    res.data = data
    res.tables.append(table(
        ["scan", "pages", "CER", "OCR wall s/page (render + Tesseract)", "CPU s/page (all processes)", "load wall s",
         "hit@5 text corpus", "hit@5 OCR corpus", "Δ hit@5", "answers text corpus", "answers OCR corpus"], rows))
    res.tables.append(table(["dpi", "document", "reference chars", "char edits", "CER"], per_doc_rows))
    res.tables.append(table(["text-layer PDFs with a running header, footer and page numbers", "hit@5", "answers"],
                            furniture_rows))
    res.tables.append(table(["Debian package", "installed MB"],
                            [[k, f"{v:.1f}"] for k, v in sizes.items()] + [["total", f"{sum(sizes.values()):.1f}"]]))
    res.notes += [
        f"{data['ocr']}; one Tesseract thread per page (OMP_THREAD_LIMIT=1), pages read one after another.",
        "Scans: each seed document (documents/*.txt) typeset by fpdf2 in DejaVu Serif 12 pt, rasterised by pdftoppm "
        "at the given dpi, turned by up to ±0.4° and given Gaussian noise (σ 6 grey levels) by Pillow, saved as "
        "JPEG (quality 85) and wrapped into an image-only PDF; the loader renders each page again at that dpi.",
        "CER: character edits / reference characters, both texts in matching form (NFC, one tone placement, "
        "single spaces); aligned word by word, then character by character within differing stretches.",
        "hit@5 on the OCR corpus: the same questions, each gold quote replaced by the OCR text it became "
        "(word alignment), so a quote with an OCR error still counts; both corpora indexed in this run.",
    ]
    return res


# --- running ------------------------------------------------------------------------------------------
BENCHMARKS: dict[str, Callable[[BenchContext], Result]] = {
    "indexing": bench_indexing,
    "query": bench_query,
    "imports": bench_imports,
    "coldstart": bench_coldstart,
    "memory": bench_memory,
    "scale": bench_scale,
    "concurrency": bench_concurrency,
    "ocr": bench_ocr,
}


def run_benchmarks(names: Sequence[str], settings: Settings, *, quick: bool = False, out: Path = DEFAULT_OUT,
                   json_out: Path = DEFAULT_JSON, questions_path: Path | None = None, sizes: Sequence[int] | None = None,
                   log: Log | None = None, workdir: Path | None = None, embedder: Any = None,
                   repeats: int | None = None) -> list[Result]:
    """Run benchmarks by name, writing each result as soon as it is done; returns the results.

    `embedder` lets a caller share an already loaded model (tests); `workdir` keeps the scratch folder.
    """
    log = log or (lambda msg: print(f"[bench] {msg}", file=sys.stderr, flush=True))
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise ValueError(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    own_tmp = workdir is None
    work = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    ctx = BenchContext(settings, quick, work, questions_path or EVALS_DIR / "questions.jsonl", log, sizes)
    ctx._embedder = embedder
    if repeats:
        ctx.repeats = repeats
    results = []
    info = machine()
    try:
        for name in names:
            log(f"{name} …")
            load_before = [round(x, 2) for x in os.getloadavg()]
            t0 = time.perf_counter()
            result = BENCHMARKS[name](ctx)
            result.seconds = time.perf_counter() - t0
            result.machine = info
            result.repeats = ctx.repeats
            result.load_before = load_before
            result.load_after = [round(x, 2) for x in os.getloadavg()]
            result.finished = time.strftime("%Y-%m-%d %H:%M")
            if quick:
                result.command += " --quick"
            results.append(result)
            write_markdown(out, [result])
            write_json(json_out, [result])
            log(f"{name} done in {result.seconds:.0f} s")
    finally:
        if own_tmp:
            shutil.rmtree(work, ignore_errors=True)
    return results

