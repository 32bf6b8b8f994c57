"""Benchmark of the PostgreSQL store against the folder store, on the same index in one run: search latency on
the shipped corpus and on a synthetic collection (bench.scale_build: real sentences, synthetic vectors), and
answers per second of one and of two `serve --store` replicas over one database.

Usage::

    python -m assistant.evals.bench.store                          # shipped corpus, 100,000 chunks (exact and HNSW), replicas
    python -m assistant.evals.bench.store --sizes 10000 --no-replicas
    python -m assistant.evals.bench.store --store postgresql://user:pw@host/db   # a real server instead of a private one

Latencies are of the retrieval step (`Retriever.search`, k=5) with the question vectors already computed:
the question embedding (≈ 15–20 ms with ONNX Runtime) is the same on both backends and comes on top.
The two backends are timed question by question in alternation, so load from other jobs hits both alike.
Prints JSON; `--out FILE` also writes it.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from ...assistant import Assistant
from ...config import PROJECT_ROOT, Settings
from ...pgstore import database, folder_files, local_server, open_generation, publish
from ...retrieve import Filters, Retriever
from ...store import IndexStore
from ..loadtest import eval_questions as load_questions, run_load, uncached
from .common import free_port, latency, machine
from .scale import SCALE_SPREAD, SyntheticQueries, scale_build

QUESTIONS = PROJECT_ROOT / "evals" / "questions.jsonl"


def eval_questions(path: Path = QUESTIONS) -> list[str]:
    """The questions of an eval set."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["question"] for line in f if line.strip()]


def _new_database(admin_uri: str, name: str) -> str:
    """A new empty database on the server of `admin_uri`; its address."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return make_conninfo(**dict(conninfo_to_dict(admin_uri), dbname=name))


def _as_uri(conninfo: str) -> str:
    """A libpq key=value string as a postgresql:// address (Settings.store takes addresses)."""
    from urllib.parse import quote

    from psycopg.conninfo import conninfo_to_dict

    if conninfo.startswith(("postgresql://", "postgres://")):
        return conninfo
    d = conninfo_to_dict(conninfo)
    user = quote(d.get("user", ""), safe="")
    password = f":{quote(d['password'], safe='')}" if d.get("password") else ""
    host = d.get("host", "")
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{d.get('dbname', '')}?host={host}"
    port = f":{d['port']}" if d.get("port") else ""
    return f"postgresql://{user}{password}@{host}{port}/{d.get('dbname', '')}"


def time_both(folder: Any, postgres: Any, questions: Sequence[str], modes: Sequence[str]) -> dict:
    """p50/p95 (ms) of folder and PostgreSQL retrievers per mode, alternating question by question."""
    out: dict[str, Any] = {}
    for mode in modes:
        times: dict[str, list[float]] = {"folder": [], "postgres": []}
        for q in questions[:3]:  # warm both (connections, caches, the question vectors)
            folder.search(q, 5, Filters(), mode)
            postgres.search(q, 5, Filters(), mode)
        for q in questions:
            for name, retriever in (("folder", folder), ("postgres", postgres)):
                retriever.query_vector(retriever.prepare(q).dense_text)  # embedding excluded: the same on both
                t0 = time.perf_counter()
                retriever.search(q, 5, Filters(), mode)
                times[name].append((time.perf_counter() - t0) * 1000)
        out[mode] = {name: latency(ms) for name, ms in times.items()}
    return out


def bench_shipped(admin_uri: str, work: Path) -> dict:
    """The shipped corpus: folder index vs the same index published to PostgreSQL, retrieval and full answers."""
    settings = Settings.from_env(index_dir=work / "shipped-index", data_dir=work / "shipped-data")
    folder = Assistant(settings).warm_up()
    uri = _as_uri(_new_database(admin_uri, "bench_shipped"))
    t0 = time.perf_counter()
    publish(database(uri), folder.store, folder_files(settings.documents_dir), settings.documents_dir)
    publish_s = time.perf_counter() - t0
    docs = work / "shipped-replica-docs"
    pg = Assistant(settings.replace(store=uri, documents_dir=docs), embedder=folder.embedder).warm_up()
    questions = eval_questions()
    out: dict[str, Any] = {"chunks": len(folder.store.chunks), "questions": len(questions),
                           "publish_s": round(publish_s, 2)}
    out["search_ms"] = time_both(folder.retriever, pg.retriever, questions, ("hybrid", "dense", "keyword"))
    asks: dict[str, list[float]] = {"folder": [], "postgres": []}
    same = 0
    for q in questions:
        answers = {}
        for name, bot in (("folder", folder), ("postgres", pg)):
            t0 = time.perf_counter()
            answers[name] = bot.ask(q).to_json()
            asks[name].append((time.perf_counter() - t0) * 1000)
        same += answers["folder"] == answers["postgres"]
    out["ask_ms"] = {name: latency(ms) for name, ms in asks.items()}
    out["same_answers"] = f"{same}/{len(questions)}"
    return out


def bench_size(admin_uri: str, work: Path, n: int, hnsw: bool, n_questions: int) -> dict:
    """A synthetic collection of n chunks written by bench.scale_build, searched through both backends."""
    import numpy as np


    folder_dir = work / f"scale-{n}"
    shutil.rmtree(folder_dir, ignore_errors=True)
    folder_dir.mkdir(parents=True)
    questions = eval_questions()[:n_questions]
    cfg = {"n": n, "seed": 7, "documents_dir": str(PROJECT_ROOT / "documents"), "questions": questions,
           "exact_index_max": 100_000, "candidates": 100, "workdir": str(folder_dir),
           "index_dir": str(folder_dir / "index")}
    out: dict[str, Any] = {"chunks": n, "questions": len(questions), "build": scale_build(cfg)}
    store = IndexStore.open(folder_dir / "index")
    out["postings"] = int(store.keyword.scores["indptr"][-1])
    queries = SyntheticQueries(np.load(folder_dir / "centers.npy"), 7, SCALE_SPREAD)
    settings = Settings.from_env(index_dir=folder_dir / "index", candidates=100, documents_dir=work / f"docs-{n}",
                                 data_dir=work / "data")
    folder = Retriever(store, queries, settings)
    truth = np.load(folder_dir / "truth.npy")
    variants = [("exact", 100_000)] + ([("hnsw", 0)] if hnsw else [])
    for name, exact_max in variants:
        uri = _as_uri(_new_database(admin_uri, f"bench_{n}_{name}"))
        t0 = time.perf_counter()
        publish(database(uri), store, {}, None, exact_max=exact_max)
        result: dict[str, Any] = {"publish_s": round(time.perf_counter() - t0, 1)}
        result["database_mb"] = round(database(uri).query("SELECT pg_database_size(current_database())")[0][0] / 2**20, 1)
        pg_store = open_generation(settings.replace(store=uri), check=False)
        postgres = pg_store.make_retriever(queries, settings)
        result["search_ms"] = time_both(folder, postgres, questions, ("hybrid", "dense", "keyword"))
        got = [[row for row, _ in postgres.pg.dense(queries.vector(q), 100, None)][:10] for q in questions]
        result["dense_recall@10"] = round(float(np.mean([len(set(g) & set(t.tolist())) / 10
                                                         for g, t in zip(got, truth)])), 4)
        same = sum([h.chunk.chunk_id for h in folder.search(q, 5)] == [h.chunk.chunk_id for h in postgres.search(q, 5)]
                   for q in questions)
        result["same_top5"] = f"{same}/{len(questions)}"
        out[name] = result
        database(uri).close()
    shutil.rmtree(folder_dir, ignore_errors=True)
    return out


def _serve(uri: str | None, work: Path, name: str, port: int, cpu: int | None = None) -> subprocess.Popen:
    """`assistant serve` on the PostgreSQL store (or its own index folder when uri is None), optionally on one core."""
    pin = ["taskset", "-c", str(cpu)] if cpu is not None and shutil.which("taskset") else []
    store = ["--store", uri] if uri else []
    docs = work / f"{name}-docs"
    if not uri:
        shutil.copytree(PROJECT_ROOT / "documents", docs, dirs_exist_ok=True)
    return subprocess.Popen(
        [*pin, sys.executable, "-m", "assistant", "serve", "--port", str(port), *store,
         "--documents", str(docs), "--index", str(work / f"{name}-index")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT_ROOT,
        env={**os.environ, "ASSISTANT_DATA_DIR": str(work / f"{name}-data")})


def _wait_ready(url: str, timeout: float = 300.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=5).json().get("status") == "ok":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not become ready")


REPLICA_RUNS = (  # (name, store?, cores of each replica: None = unpinned)
    ("folder_1_replica", False, [None]),
    ("postgres_1_replica", True, [None]),
    ("postgres_2_replicas", True, [None, None]),
    ("postgres_1_replica_1_core", True, [0]),
    ("postgres_2_replicas_1_core_each", True, [0, 1]),
)


def bench_replicas(admin_uri: str, work: Path, users: int, seconds: float) -> dict:
    """Answers per second of one and of two `serve` replicas over one database (each given an equal share of
    the participants, as a round-robin balancer would), against one replica with its own index folder, on
    questions no cache answers (loadtest.uncached). The pinned runs give each replica one core of its own,
    which is what a replica on its own machine has."""
    uri = _as_uri(_new_database(admin_uri, "bench_replicas"))
    first = Settings.from_env(store=uri, index_dir=work / "replica-build-index", data_dir=work / "replica-build-data",
                              documents_dir=work / "replica-build-docs")
    shutil.copytree(PROJECT_ROOT / "documents", first.documents_dir)
    Assistant(first).warm_up()  # the first generation, built from (a copy of) the shipped documents
    questions = uncached(load_questions())
    out: dict[str, Any] = {"users": users, "seconds": seconds, "cores": os.cpu_count(),
                           "load_before": os.getloadavg()[0]}
    for run, (name, on_store, cores) in enumerate(REPLICA_RUNS):
        processes, urls = [], []
        try:
            for i, cpu in enumerate(cores):
                port = free_port()
                processes.append(_serve(uri if on_store else None, work, f"{name}-{i}", port, cpu))
                urls.append(f"http://127.0.0.1:{port}")
            for url in urls:
                _wait_ready(url)
            results: list[dict] = [{}] * len(urls)
            shift = run * len(questions) // len(REPLICA_RUNS)  # questions no earlier run asked

            def drive(i: int) -> None:
                start = shift + i * len(questions) // (2 * len(REPLICA_RUNS))
                results[i] = run_load(urls[i], questions[start:] + questions[:start], users // len(urls), seconds)

            threads = [threading.Thread(target=drive, args=(i,)) for i in range(len(urls))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            out[name] = {"answers_per_s": round(sum(r["rps"] for r in results), 2),
                         "answered": sum(r["answered"] for r in results), "errors": sum(r["errors"] for r in results),
                         "p50_s": max(r["p50"] for r in results), "p95_s": max(r["p95"] for r in results),
                         "load_avg_1min": round(os.getloadavg()[0], 2)}
        finally:
            for p in processes:
                p.terminate()
            for p in processes:
                p.wait(timeout=60)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: run the chosen parts and print the JSON."""
    parser = argparse.ArgumentParser(prog="python -m assistant.evals.bench.store", description=__doc__.split("\n")[0])
    parser.add_argument("--store", help="a PostgreSQL address whose user may create databases "
                        "(default: a private PostgreSQL 16 + pgvector from pgserver)")
    parser.add_argument("--sizes", default="100000", help="synthetic collection sizes, comma-separated ('' = none)")
    parser.add_argument("--no-hnsw", action="store_true", help="skip the HNSW variant of each size")
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped corpus")
    parser.add_argument("--no-replicas", action="store_true", help="skip the replica throughput")
    parser.add_argument("--questions", type=int, default=100, help="questions per synthetic size (default 100)")
    parser.add_argument("--users", type=int, default=8, help="concurrent participants for the replica run")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds per replica run")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-store-"))
    server = None
    try:
        admin_uri = args.store
        if not admin_uri:
            server = local_server(work / "pgdata")
            admin_uri = server.get_uri()
        out: dict[str, Any] = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
        if not args.no_shipped:
            out["shipped"] = bench_shipped(admin_uri, work)
            print(json.dumps({"shipped": out["shipped"]}, ensure_ascii=False), file=sys.stderr, flush=True)
        for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
            out[f"size_{n}"] = bench_size(admin_uri, work, n, not args.no_hnsw, args.questions)
            print(json.dumps({f"size_{n}": out[f"size_{n}"]}, ensure_ascii=False), file=sys.stderr, flush=True)
        if not args.no_replicas:
            out["replicas"] = bench_replicas(admin_uri, work, args.users, args.seconds)
        text = json.dumps(out, ensure_ascii=False, indent=1)
        print(text)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
        return 0
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
