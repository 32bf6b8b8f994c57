"""The HTTP API over a real uvicorn server on 127.0.0.1, sharing the session's Assistant."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api_service(bot, tmp_path_factory):
    """A Service over the session bot; feedback goes to a temporary folder."""
    from assistant.web.service import Service

    settings = bot.settings.replace(data_dir=tmp_path_factory.mktemp("data"))
    return Service(settings, bot=bot)


@pytest.fixture(scope="module")
def base_url(api_service):
    from assistant.web.app import BackgroundServer, create_app

    server = BackgroundServer(create_app(api_service))
    url = server.start()
    yield url
    server.stop()


@pytest.fixture(scope="module")
def locked_url(bot, tmp_path_factory):
    """A second server with --auth and --admin-password set."""
    from assistant.web.app import BackgroundServer, create_app
    from assistant.web.service import Service

    settings = bot.settings.replace(data_dir=tmp_path_factory.mktemp("data"), auth="trainer:s3cret",
                                    admin_password="admin-pw")
    service = Service(settings, bot=bot)
    service.feedback.record("wrong_source", "Ai chủ trì?", "Sở Tư pháp [1]", [{"n": 1}], note="=nguồn, sai")
    server = BackgroundServer(create_app(service))
    url = server.start()
    yield url
    server.stop()


def _doc_text(bot, doc_id: str) -> str:
    return bot.store.documents[doc_id].text


def test_search_returns_exactly_the_cli_json(base_url, bot):
    from assistant.contracts import search_json

    question = "ai chủ trì hỗ trợ nạn nhân"
    r = httpx.post(f"{base_url}/api/search", json={"question": question, "k": 3}, timeout=60)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == search_json(bot, question, bot.search(question, k=3))
    assert len(body["results"]) == 3
    for row in body["results"]:
        assert set(row) == {"rank", "score", "doc_id", "title", "section", "text", "start", "end"}
        assert _doc_text(bot, row["doc_id"])[row["start"] : row["end"]] == row["text"]


def test_search_filters_restrict_documents(base_url, bot):
    doc_id = next(d for d in bot.store.documents if d.startswith("quang-ninh"))
    r = httpx.post(f"{base_url}/api/search", json={"question": "hỗ trợ nạn nhân", "filters": {"document": [doc_id]}},
                   timeout=60)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert results and {row["doc_id"] for row in results} == {doc_id}


def test_ask_returns_exactly_the_cli_json_with_valid_citations(base_url, bot):
    question = "Ai chủ trì hỗ trợ nạn nhân?"
    r = httpx.post(f"{base_url}/api/ask", json={"question": question}, timeout=60)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == bot.ask(question).to_json()
    assert set(body) == {"question", "answer", "found", "citations"}
    assert body["found"] is True and body["citations"]
    for c in body["citations"]:
        assert set(c) == {"n", "doc_id", "title", "section", "text", "start", "end"}
        assert _doc_text(bot, c["doc_id"])[c["start"] : c["end"]] == c["text"]
        assert f"[{c['n']}]" in body["answer"]


def test_ask_history_makes_follow_ups_work(base_url, bot):
    first = httpx.post(f"{base_url}/api/ask", json={"question": "Ai chủ trì hỗ trợ nạn nhân?"}, timeout=60).json()
    follow = "Còn Quảng Ninh thì sao?"
    r = httpx.post(f"{base_url}/api/ask", timeout=60, json={
        "question": follow, "history": [{"question": first["question"], "answer": first["answer"]}]})
    assert r.status_code == 200, r.text
    with_history = r.json()
    alone = bot.ask(follow).to_json()
    assert with_history["found"] is True
    # The follow-up keeps the first question's topic, scoped to Quảng Ninh.
    assert {c["doc_id"] for c in with_history["citations"]} == {d for d in bot.store.documents if d.startswith("quang-ninh")}
    assert with_history != alone


@pytest.mark.parametrize("turns", [
    ("Theo kế hoạch 22 Ninh Bình 2024, ai chủ trì tuyên truyền phòng chống mua bán người?", "Thời gian thực hiện là khi nào?",
     "Cơ quan đó còn phải làm những gì khác?"),
    ("Who leads victim support in Quang Ninh's 2011-2015 plan?", "How many projects are there?",
     "What else is that department responsible for?"),
])
def test_a_conversation_over_http_is_understood_as_in_the_chat(base_url, bot, turns):
    # (a short question asked of the plan the chat is on, and "cơ quan đó" two turns after the who answer, lean on the
    # turns before them though neither is a follow-up by its words: the API replays the questions for them too)
    history, sent = [], []
    for question in turns:
        r = httpx.post(f"{base_url}/api/ask", json={"question": question, "history": sent}, timeout=120)
        assert r.status_code == 200, r.text
        in_chat = bot.ask(question, history=list(history))
        assert r.json() == in_chat.to_json(), question
        history.append(in_chat)
        sent.append({"question": question, "answer": r.json()["answer"]})


def test_documents_lists_metadata_chunk_counts_warnings_and_problems(base_url, bot):
    r = httpx.get(f"{base_url}/api/documents", timeout=30)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"documents", "problems"}
    assert {d["doc_id"] for d in body["documents"]} == set(bot.store.documents)
    for d in body["documents"]:
        assert d["chunks"] == sum(1 for c in bot.store.chunks if c.doc_id == d["doc_id"]) > 0
        assert isinstance(d["warnings"], list) and d["title"]
        assert "text" not in d
    assert isinstance(body["problems"], list)


def test_health_reports_ready_with_counts(base_url, bot):
    body = httpx.get(f"{base_url}/api/health", timeout=30).json()
    assert body["status"] == "ok"
    assert body["documents"] == len(bot.store.documents) and body["chunks"] == len(bot.store.chunks)


@pytest.mark.parametrize("payload", [
    b"this is not json",
    b'{"k": 3}',
    b'{"question": "ai", "k": "many"}',
    b'{"question": "ai", "k": 0}',
    b'{"question": "ai", "surprise": true}',
    b'{"question": ["ai"]}',
])
def test_bad_bodies_get_a_json_422(base_url, payload):
    r = httpx.post(f"{base_url}/api/search", content=payload, headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"error"} and body["error"].startswith("Invalid request")


@pytest.mark.parametrize("endpoint", ["search", "ask"])
def test_empty_question_is_a_json_400(base_url, endpoint):
    r = httpx.post(f"{base_url}/api/{endpoint}", json={"question": "   "}, timeout=30)
    assert r.status_code == 400
    assert "empty" in r.json()["error"]


def test_unknown_api_path_is_a_json_404(base_url):
    r = httpx.get(f"{base_url}/api/nothing-here", timeout=30)
    assert r.status_code == 404 and "error" in r.json()


def test_unexpected_errors_are_generic_json_500_without_traceback(base_url, api_service, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(api_service, "search", broken)
    r = httpx.post(f"{base_url}/api/search", json={"question": "ai chủ trì"}, timeout=30)
    assert r.status_code == 500
    assert set(r.json()) == {"error"}
    assert "secret" not in r.text and "Traceback" not in r.text


def test_openapi_and_offline_docs_are_served(base_url):
    spec = httpx.get(f"{base_url}/openapi.json", timeout=30).json()
    for path in ("/api/search", "/api/ask", "/api/documents", "/api/health"):
        assert path in spec["paths"]
    docs = httpx.get(f"{base_url}/docs", timeout=30)
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    # The Swagger UI assets come from this server, not from a CDN (the app makes no outbound requests).
    assert "cdn.jsdelivr" not in docs.text and "googleapis" not in docs.text


def test_page_is_served_at_root(base_url):
    r = httpx.get(base_url + "/", timeout=30)
    assert r.status_code == 200 and "<html" in r.text.lower()
    assert "fonts.googleapis" not in r.text and "fonts.gstatic" not in r.text


def test_auth_protects_the_api(locked_url):
    r = httpx.get(f"{locked_url}/api/health", timeout=30)
    assert r.status_code == 401 and "error" in r.json()
    assert r.headers["www-authenticate"].startswith("Basic")
    assert httpx.get(f"{locked_url}/api/health", auth=("trainer", "wrong"), timeout=30).status_code == 401
    ok = httpx.post(f"{locked_url}/api/ask", json={"question": "Ai chủ trì hỗ trợ nạn nhân?"},
                    auth=("trainer", "s3cret"), timeout=60)
    assert ok.status_code == 200 and ok.json()["found"] is True


def test_auth_protects_the_page(locked_url):
    # Gradio's own login: the page's configuration and event endpoints refuse anonymous callers.
    r = httpx.get(f"{locked_url}/config", timeout=30)
    assert r.status_code in (401, 403)
    login = httpx.post(f"{locked_url}/login", data={"username": "trainer", "password": "s3cret"}, timeout=30)
    assert login.status_code == 200
    assert httpx.get(f"{locked_url}/config", cookies=login.cookies, timeout=30).status_code == 200


def test_feedback_csv_needs_a_trainer_or_the_admin(locked_url):
    url = f"{locked_url}/api/feedback.csv"
    assert httpx.get(url, timeout=30).status_code == 401
    assert httpx.get(url, auth=("trainer", "s3cret"), timeout=30).status_code == 403  # a participant
    r = httpx.get(url, auth=("admin", "admin-pw"), timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,created_at,kind,question")
    assert "wrong_source" in lines[1] and "Ai chủ trì?" in lines[1]
    assert "'=nguồn, sai" in lines[1]  # formula-looking notes are defused for Excel


def test_serve_refuses_a_public_address_without_auth():
    r = subprocess.run([sys.executable, "-m", "assistant", "serve", "--host", "0.0.0.0", "--port", "1"],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 2
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "--auth" in lines[0] and "--insecure" in lines[0]


def test_exposure_rules():
    from assistant.web.app import check_exposure
    from assistant.config import Settings
    from assistant.errors import UsageError

    check_exposure(Settings(host="127.0.0.1"))
    check_exposure(Settings(host="::1"))
    check_exposure(Settings(host="0.0.0.0", auth="a:b"))
    check_exposure(Settings(host="0.0.0.0", insecure=True))
    with pytest.raises(UsageError):
        check_exposure(Settings(host="192.168.1.5"))


@pytest.fixture()
def upload_url(tmp_path, make_bot, one_plan_folder):
    """A server over its own small corpus, with an admin password, for uploads and deletions."""
    from assistant.web.app import BackgroundServer, create_app
    from assistant.web.service import Service

    bot = make_bot(one_plan_folder)
    service = Service(bot.settings.replace(data_dir=tmp_path / "data", admin_password="admin-pw", max_upload_mb=1), bot=bot)
    service.start()
    assert service.wait_ready(300)
    server = BackgroundServer(create_app(service))
    url = server.start()
    yield url
    server.stop()


def _wait_indexed(url: str) -> dict:
    import time

    deadline = time.monotonic() + 300
    while True:
        health = httpx.get(f"{url}/api/health", timeout=30).json()
        if not health["indexing"]["running"] and health["status"] == "ok":
            return health
        assert time.monotonic() < deadline, health
        time.sleep(0.2)


def test_documents_are_uploaded_and_deleted_over_the_api_by_the_admin(upload_url, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("KẾ HOẠCH phòng, chống mua bán người năm 2025")
    doc.add_paragraph("1. Trạm kiểm soát Cầu Treo tiếp nhận nạn nhân trở về vào ngày thứ Năm hằng tuần.")
    path = tmp_path / "moi.docx"
    doc.save(path)
    data = path.read_bytes()
    files = {"file": ("../Kế hoạch mới.docx", data,
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}

    refused = httpx.post(f"{upload_url}/api/documents", files=files, auth=("admin", "wrong"), timeout=60)
    assert refused.status_code == 401 and "admin password" in refused.json()["error"]
    anonymous = httpx.post(f"{upload_url}/api/documents", files=files, timeout=60)
    assert anonymous.status_code == 401

    r = httpx.post(f"{upload_url}/api/documents", files=files, auth=("admin", "admin-pw"), timeout=60)
    assert r.status_code == 202, r.text
    assert r.json()["file"] == "ke-hoach-moi.docx" and r.json()["doc_id"] == "ke-hoach-moi"
    health = _wait_indexed(upload_url)
    assert health["documents"] == 2
    answer = httpx.post(f"{upload_url}/api/ask", json={"question": "Trạm kiểm soát Cầu Treo tiếp nhận nạn nhân khi nào?"},
                        timeout=60).json()
    assert answer["found"] and answer["citations"][0]["doc_id"] == "ke-hoach-moi"

    again = httpx.post(f"{upload_url}/api/documents", files=files, auth=("admin", "admin-pw"), timeout=60)
    assert again.status_code == 400 and "already" in again.json()["error"]
    too_big = httpx.post(f"{upload_url}/api/documents", files={"file": ("lon.txt", b"a" * (1024 * 1024 + 10), "text/plain")},
                         auth=("admin", "admin-pw"), timeout=60)
    assert too_big.status_code == 400 and "too large" in too_big.json()["error"]
    not_pdf = httpx.post(f"{upload_url}/api/documents", files={"file": ("x.pdf", b"<html>hi</html>", "application/pdf")},
                         auth=("admin", "admin-pw"), timeout=60)
    assert not_pdf.status_code == 400 and "not a PDF" in not_pdf.json()["error"]

    gone = httpx.delete(f"{upload_url}/api/documents/ke-hoach-moi", auth=("admin", "admin-pw"), timeout=60)
    assert gone.status_code == 202, gone.text
    assert _wait_indexed(upload_url)["documents"] == 1
    missing = httpx.delete(f"{upload_url}/api/documents/ke-hoach-moi", auth=("admin", "admin-pw"), timeout=60)
    assert missing.status_code == 404 and "no such document" in missing.json()["error"]


def test_ask_history_of_follow_ups_keeps_the_plan_the_first_question_named(base_url, bot):
    """Each earlier question is understood again in order (as /v1 does), so a follow-up of a follow-up stays in the
    plan the conversation is in; with only the raw questions it fell to the newest plan's funding."""
    turns = ["Who is the focal point for the ACTIP Convention implementation plan in Ba Ria - Vung Tau province?",
             "And the provincial Department of Foreign Affairs — what's its role in that plan?"]
    history = []
    for question in turns:
        answer = httpx.post(f"{base_url}/api/ask", json={"question": question, "history": history}, timeout=60).json()
        history.append({"question": question, "answer": answer["answer"]})
    r = httpx.post(f"{base_url}/api/ask", json={"question": "How is all of this funded?", "history": history}, timeout=60)
    assert r.status_code == 200, r.text
    body = r.json()
    in_process = []
    for question in turns:
        in_process.append(bot.ask(question, history=list(in_process)))
    assert body == bot.ask("How is all of this funded?", history=in_process).to_json()
    assert {c["doc_id"] for c in body["citations"]} == {"ba-ria-vung-tau-ke-hoach-cong-uoc-actip"}, body["answer"]
