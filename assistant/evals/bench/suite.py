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

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from ...config import Settings
from . import DEFAULT_JSON, DEFAULT_OUT, EVALS_DIR
from .common import BenchContext, Log, Result, machine, write_json, write_markdown
from .concurrency import bench_concurrency
from .indexing import bench_indexing
from .memory import bench_memory
from .ocr import bench_ocr
from .query import bench_query
from .scale import bench_scale
from .startup import bench_coldstart, bench_imports


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
