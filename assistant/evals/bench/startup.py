"""Benchmark 3, imports and cold start: what `assistant --help` imports; time to a served page."""
from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time
from typing import Any

from .common import BenchContext, FORBIDDEN_AT_HELP, Goal, REPORTED_AT_HELP, Result, child_env, free_port, rss_mb, run_child, stop, table


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


def serve_probe(ctx: BenchContext, asks: int = 5) -> dict:
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
        stop(proc)
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
    serve = serve_probe(ctx)
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
