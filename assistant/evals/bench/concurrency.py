"""Benchmark 6, concurrency: closed-loop load on `serve` with three roles."""
from __future__ import annotations

import concurrent.futures
import contextlib
import io
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

from ...config import Settings
from ..loadtest import run_load, trainer_during_load, upload_during_load
from .common import BenchContext, Goal, Result, child_env, free_port, rss_mb, stop, table


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
        stop(self.proc)
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
