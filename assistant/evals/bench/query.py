"""Benchmark 2, query latency: search and ask in-process and over HTTP; the question embedding."""
from __future__ import annotations

import json
import sys
import time
from typing import Any, Sequence

from ...web.api import create_api
from ...web.app import BackgroundServer
from ...web.service import Service
from .common import BenchContext, Goal, Result, child_env, latency, run_child, table, timed


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
