"""Benchmark 4, memory: peak RSS of `assistant index` from scratch and of `assistant serve` after some questions."""
from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

from ...config import PROJECT_ROOT
from .common import BenchContext, Goal, Result, child_env, run_child, table
from .startup import serve_probe


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
    serve = serve_probe(ctx, asks=10 if not ctx.quick else 3)
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
