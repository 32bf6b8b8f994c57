"""A closed-loop HTTP load test of the API: N simulated participants each ask, wait, and ask again.

Usage::

    from assistant.evals.loadtest import run_load
    stats = run_load("http://127.0.0.1:7860", ["Ai chủ trì hỗ trợ nạn nhân?"], users=30, seconds=60)
    print(stats["answered"], stats["errors"], stats["p95"])

    python -m assistant.evals.loadtest http://127.0.0.1:7860 --users 30 --seconds 60

Only loopback servers are accepted: this is for measuring your own machine, never someone else's.
"""
from __future__ import annotations

import argparse
import ipaddress
import json
import threading
import time
from typing import Any, Sequence
from urllib.parse import urlparse


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by the nearest-rank method; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def _check_loopback(base_url: str) -> None:
    host = urlparse(base_url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValueError(f"load tests only target this machine (127.0.0.1 / localhost), not {host!r}")


def run_load(
    base_url: str,
    questions: Sequence[str],
    users: int = 30,
    seconds: float = 60.0,
    *,
    endpoint: str = "/api/ask",
    timeout: float = 60.0,
    auth: tuple[str, str] | None = None,
    max_requests: int = 100_000,
) -> dict[str, Any]:
    """Run `users` concurrent askers for `seconds`; returns answered, errors, p50, p95, max (s), rps and error samples."""
    import httpx

    _check_loopback(base_url)
    if not questions:
        raise ValueError("give at least one question")
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds
    budget = [max_requests]

    def participant(index: int) -> None:
        with httpx.Client(base_url=base_url, timeout=timeout, auth=auth) as client:
            i = index
            while time.monotonic() < deadline:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                question = questions[i % len(questions)]
                i += users
                t0 = time.perf_counter()
                try:
                    r = client.post(endpoint, json={"question": question})
                    ok = r.status_code == 200 and "error" not in r.json()
                    detail = f"HTTP {r.status_code}: {r.text[:120]}"
                except Exception as exc:  # a timeout or a refused connection is a failed request, not a crash
                    ok, detail = False, f"{type(exc).__name__}: {exc}"
                elapsed = time.perf_counter() - t0
                with lock:
                    if ok:
                        latencies.append(elapsed)
                    else:
                        errors.append(detail)

    threads = [threading.Thread(target=participant, args=(n,), daemon=True) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + timeout + 5)
    wall = time.monotonic() - started
    return {
        "users": users,
        "seconds": round(wall, 1),
        "answered": len(latencies),
        "errors": len(errors),
        "p50": round(percentile(latencies, 50), 3),
        "p95": round(percentile(latencies, 95), 3),
        "max": round(max(latencies, default=0.0), 3),
        "rps": round(len(latencies) / wall, 2) if wall else 0.0,
        "error_samples": errors[:5],
    }


def upload_during_load(
    base_url: str,
    filename: str,
    data: bytes,
    check_question: str,
    *,
    after: float = 10.0,
    admin: tuple[str, str] | None = None,
    timeout: float = 600.0,
) -> dict[str, Any]:
    """One administrator uploading a document while participants ask: wait `after` s, POST it to
    /api/documents, poll /api/health until the background re-index is done, then ask `check_question`.

    Returns the upload's HTTP status, seconds to accepted and to indexed, the document count before and
    after, the new document's id and whether the check question's first citation is that document."""
    import httpx

    _check_loopback(base_url)
    out: dict[str, Any] = {"file": filename}
    with httpx.Client(base_url=base_url, timeout=120, auth=admin) as client:
        before = client.get("/api/documents").json()
        out["documents_before"] = len(before.get("documents", []))
        time.sleep(after)
        t0 = time.perf_counter()
        r = client.post("/api/documents", files={"file": (filename, data)})
        out["upload_status"] = r.status_code
        out["accepted_s"] = round(time.perf_counter() - t0, 2)
        if r.status_code != 202:
            out["error"] = r.text[:300]
            return out
        doc_id = r.json()["doc_id"]
        out["doc_id"] = doc_id
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = client.get("/api/health").json()
            if health.get("status") == "ok" and not health["indexing"]["running"] and health.get("documents", 0) > out["documents_before"]:
                break
            time.sleep(0.25)
        else:
            out["error"] = "the re-index did not finish in time"
            return out
        out["indexed_s"] = round(time.perf_counter() - t0, 2)
        after_docs = client.get("/api/documents").json().get("documents", [])
        out["documents_after"] = len(after_docs)
        kept = {d["doc_id"] for d in before.get("documents", [])} <= {d["doc_id"] for d in after_docs}
        out["previous_documents_kept"] = kept
        answer = client.post("/api/ask", json={"question": check_question}).json()
        cited = [c["doc_id"] for c in answer.get("citations", [])]
        out["check_answer_cites_upload"] = bool(answer.get("found")) and bool(cited) and cited[0] == doc_id
    return out


def trainer_during_load(
    base_url: str,
    questions: Sequence[str],
    seconds: float,
    *,
    trainer: tuple[str, str],
    participant: tuple[str, str] | None = None,
    pause: float = 2.0,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """A trainer working through the load for `seconds`: asks a question, downloads the room's feedback
    (/api/feedback.csv, trainers only), pauses, again. With `participant`, also checks once that the
    participants' account is refused the trainer's and the admin's routes while the room is busy.

    Returns the trainer's request count, errors, p50/p95/max (s) and the participant's refusal statuses."""
    import httpx

    _check_loopback(base_url)
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base_url, timeout=timeout, auth=trainer) as client:
        i = 0
        while time.monotonic() < deadline:
            for method, path, body in (("POST", "/api/ask", {"question": questions[i % len(questions)]}),
                                       ("GET", "/api/feedback.csv", None)):
                t0 = time.perf_counter()
                try:
                    r = client.request(method, path, json=body)
                    ok = r.status_code == 200 and (path != "/api/ask" or "error" not in r.json())
                    detail = f"{path}: HTTP {r.status_code}: {r.text[:120]}"
                except Exception as exc:  # a timeout or a refused connection is a failed request
                    ok, detail = False, f"{path}: {type(exc).__name__}: {exc}"
                if ok:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors.append(detail)
            i += 1
            time.sleep(pause)
    if participant is not None:
        with httpx.Client(base_url=base_url, timeout=timeout, auth=participant) as client:
            out["participant_feedback_csv_status"] = client.get("/api/feedback.csv").status_code
            out["participant_upload_status"] = client.post(
                "/api/documents", files={"file": ("khong-duoc.txt", b"KE HOACH\n")}).status_code
    out.update({
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "p50": round(percentile(latencies, 50), 3),
        "p95": round(percentile(latencies, 95), 3),
        "max": round(max(latencies, default=0.0), 3),
        "error_samples": errors[:5],
    })
    return out


def run_sequential(base_url: str, questions: Sequence[str], n: int = 50, *, endpoint: str = "/api/ask",
                   auth: tuple[str, str] | None = None) -> dict[str, Any]:
    """`n` requests one after another; returns p50/p95 latency (s) and errors."""
    import httpx

    _check_loopback(base_url)
    latencies, errors = [], 0
    with httpx.Client(base_url=base_url, timeout=60, auth=auth) as client:
        for i in range(n):
            t0 = time.perf_counter()
            r = client.post(endpoint, json={"question": questions[i % len(questions)]})
            if r.status_code == 200:
                latencies.append(time.perf_counter() - t0)
            else:
                errors += 1
    return {"requests": n, "errors": errors, "p50": round(percentile(latencies, 50), 3),
            "p95": round(percentile(latencies, 95), 3)}


def eval_questions(root: str | None = None) -> list[str]:
    """The questions of evals/*.jsonl (a realistic mix), or DEFAULT_QUESTIONS when there are none."""
    from pathlib import Path

    folder = Path(root) if root else Path(__file__).resolve().parents[2] / "evals"
    out: list[str] = []
    for name in ("questions.jsonl", "legal_questions.jsonl"):
        path = folder / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    q = json.loads(line).get("question")
                    if isinstance(q, str) and q.strip():
                        out.append(q)
    return out or list(DEFAULT_QUESTIONS)


_TAILS = ("ạ", "vậy", "nhỉ", "thế", "với", "nhé", "đấy", "nào", "chứ", "hả")


def uncached(questions: Sequence[str], copies: int = 20) -> list[str]:
    """Each question in `copies` spellings (a trailing particle or two), so no answer comes from a cache."""
    tails = [a if a == b else f"{a} {b}" for a in _TAILS for b in _TAILS][:copies]
    return [f"{q.rstrip(' ?')} {t}?" for t in tails for q in questions]


DEFAULT_QUESTIONS = [
    "Ai chủ trì hỗ trợ nạn nhân?",
    "Tổng đài 111 tiếp nhận thông tin gì?",
    "Đợt cao điểm tấn công, trấn áp tội phạm mua bán người năm 2024 diễn ra khi nào?",
    "Who leads victim support?",
    "Which agency handles the hotline 111?",
    "Cơ quan nào phối hợp tiếp nhận nạn nhân trở về?",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: sequential latency, then the concurrent load, printed as JSON."""
    parser = argparse.ArgumentParser(prog="python -m assistant.evals.loadtest", description=__doc__.split("\n")[0])
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:7860")
    parser.add_argument("-u", "--users", type=int, default=30, help="concurrent participants (default 30)")
    parser.add_argument("-s", "--seconds", type=float, default=60, help="duration (default 60)")
    parser.add_argument("-n", "--sequential", type=int, default=50, help="sequential requests per endpoint first (0 = skip)")
    parser.add_argument("--auth", help="user:password when the server has --auth")
    parser.add_argument("--uncached", action="store_true", help="vary every question so no cache helps (worst case)")
    args = parser.parse_args(argv)
    auth = tuple(args.auth.split(":", 1)) if args.auth else None
    questions = eval_questions()
    if args.uncached:
        questions = uncached(questions)
    out: dict[str, Any] = {"questions": len(questions)}
    used = 0
    if args.sequential:
        for name in ("search", "ask"):
            # Fresh questions for each phase, so one phase does not warm the next one's cache.
            rest = questions[used:] if args.uncached and used < len(questions) else questions
            out[f"sequential_{name}"] = run_sequential(args.base_url, rest, args.sequential,
                                                       endpoint=f"/api/{name}", auth=auth)
            used += args.sequential
    rest = questions[used:] if args.uncached and used < len(questions) else questions
    out["load"] = run_load(args.base_url, rest, args.users, args.seconds, auth=auth)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0 if out["load"]["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
