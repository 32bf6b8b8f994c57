"""Attacks on the running server, over real HTTP against uvicorn on 127.0.0.1: server files read through the
upload event, roles, cross-site requests, oversized bodies, concurrent uploads."""
from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

PARTICIPANT = ("tap-huan", "hoc-vien-2026")
TRAINER = ("trainer", "giang-vien-2026")
ADMIN = ("admin", "quan-tri-2026")
# Control characters as they come out of old Word files and PDF extractors: a form feed (page break) and \x01
# inside a task line.
HOSTILE_PLAN = ("KẾ HOẠCH\nPhòng, chống mua bán người năm 2025\n\nI. NHIỆM VỤ\n"
                "1. Sở Y tế\x01 chủ trì khám sức khỏe\x0c cho nạn nhân trở về.\n")


@pytest.fixture()
def room(tmp_path, make_bot, one_plan_folder):
    """A workshop server over a one-plan corpus: participant, trainer and admin accounts."""
    from assistant.web.app import BackgroundServer, create_app
    from assistant.web.service import Service

    (one_plan_folder / "ke-hoach-b.txt").write_text(HOSTILE_PLAN, encoding="utf-8")
    bot = make_bot(one_plan_folder)
    settings = bot.settings.replace(data_dir=tmp_path / "data", auth=":".join(PARTICIPANT),
                                    trainer_password=TRAINER[1], admin_password=ADMIN[1], max_upload_mb=1)
    service = Service(settings, bot=bot)
    service.start()
    assert service.wait_ready(300), service.status()
    app = create_app(service)
    server = BackgroundServer(app)
    url = server.start()
    yield url, service, app  # the route walks read the registered routes of the app
    server.stop()


def login(url: str, who: tuple[str, str]) -> httpx.Cookies:
    """The cookies of a Gradio login as `who`."""
    r = httpx.post(f"{url}/login", data={"username": who[0], "password": who[1]}, timeout=30)
    assert r.status_code == 200, r.text
    return r.cookies


def call_event(url: str, api_name: str, data: list, cookies=None, auth=None) -> tuple[str, str]:
    """Run a Gradio event through /gradio_api/call/<api_name>: (SSE event kind or HTTP status, payload)."""
    r = httpx.post(f"{url}/gradio_api/call/{api_name}", json={"data": data}, cookies=cookies, auth=auth, timeout=60)
    if r.status_code != 200:
        return str(r.status_code), r.text
    event_id = r.json()["event_id"]
    kind, payload = "", ""
    with httpx.stream("GET", f"{url}/gradio_api/call/{api_name}/{event_id}", cookies=cookies, auth=auth,
                      timeout=120) as stream:
        for line in stream.iter_lines():
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                payload = line.split(":", 1)[1].strip()
                if kind in ("complete", "error"):
                    break
    return kind, payload


def _documents_folder(service) -> set[str]:
    return {p.name for p in Path(service.settings.documents_dir).iterdir()}


@pytest.mark.parametrize("shape", ["plain", "gradio-file", "dot-dot", "url"])
def test_the_upload_event_cannot_index_a_server_file(room, tmp_path, shape):
    url, service, app = room
    secret = tmp_path / "secret-server-file.txt"
    secret.write_text("KẾ HOẠCH MẬT\nI. NỘI DUNG\n1. Mật khẩu máy chủ là ngựa-vằn-42.\n", encoding="utf-8")
    path = {"plain": str(secret), "gradio-file": str(secret), "url": "http://127.0.0.1:9/secret.txt",
            "dot-dot": "../" * 12 + str(secret).lstrip("/")}[shape]
    value: dict = {"path": path, "orig_name": "secret-server-file.txt"}
    if shape != "plain":
        value["meta"] = {"_type": "gradio.FileData"}
    before = _documents_folder(service)
    kind, payload = call_event(url, "on_upload", [value, "vi"], cookies=login(url, ADMIN))
    assert kind != "complete" or "ngựa" not in payload
    assert _documents_folder(service) == before, "a server file entered the documents folder"
    assert not any("ngựa-vằn" in d.text for d in service.bot.store.documents.values())
    # Nor was it copied into Gradio's cache, from where /gradio_api/file= would serve it.
    import gradio.utils

    cache = Path(gradio.utils.get_upload_folder())
    assert not any(p.name == secret.name for p in cache.rglob("*")) if cache.exists() else True


def test_control_characters_never_break_an_answer_its_export_or_the_matrix(room):
    url, service, app = room
    assert not any(c in d.text for d in service.bot.store.documents.values() for c in "\x01\x0c")
    cookies = login(url, PARTICIPANT)
    kind, payload = call_event(url, "on_ask", ["Ai chủ trì\x0c khám sức khỏe\x01 cho nạn nhân trở về?", "vi", [], None, None],
                               cookies=cookies)
    assert kind == "complete", payload
    assert "Sở Y tế chủ trì khám sức khỏe" in json.loads(payload)[0], payload[:3000]
    assert ".docx" in payload and ".md" in payload  # the exports were written
    kind, payload = call_event(url, "on_matrix", ["", "", "sức khỏe", "vi"], cookies=login(url, TRAINER))
    assert kind == "complete", payload
    assert "Sở Y tế" in json.loads(payload)[0] and ".xlsx" in payload


# -- roles ---------------------------------------------------------------------------------------

def _routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route registered on the app, its included routers and the mounted Gradio app."""
    from starlette.routing import Mount

    def walk(routes, prefix: str):
        for route in routes:
            if hasattr(route, "original_router"):  # FastAPI's include_router
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif isinstance(route, Mount):
                if hasattr(route.app, "routes"):
                    yield from walk(route.app.routes, prefix + route.path)
            else:
                for method in getattr(route, "methods", None) or ["GET"]:
                    yield method, prefix + route.path

    return sorted({(m, p) for m, p in walk(app.routes, "") if m != "HEAD"})


def _expected_role(method: str, path: str) -> str | None:
    """What the issue asks for, written out independently of access.route_role."""
    if path in ("/", "/login", "/login/", "/logout", "/logout/", "/config", "/config/") or path.startswith(
            ("/assets", "/static", "/svelte", "/favicon.ico", "/theme.css", "/manifest.json", "/robots.txt",
             "/gradio_api/login_check", "/gradio_api/startup-events")):
        return None
    if path.startswith("/api/feedback"):
        return "trainer"
    if path.startswith("/v1/"):  # the OpenAI-compatible chat: asking questions, whatever the method
        return "participant"
    if path.startswith(("/api/documents", "/api/trash")) and method != "GET":
        return "admin"
    if path.startswith("/gradio_api/") and method not in ("GET",):
        event_or_session = ("/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/", "/gradio_api/api/",
                            "/gradio_api/reset", "/gradio_api/cancel")
        return "participant" if path.startswith(event_or_session) else "admin"
    if method != "GET" and not path.startswith("/api/"):
        return "admin"
    return "participant"


RANK = {None: 0, "participant": 1, "trainer": 2, "admin": 3}


@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_every_route_refuses_every_role_below_the_one_it_needs(room):
    import re

    url, service, app = room
    who = {"participant": login(url, PARTICIPANT), "trainer": login(url, TRAINER), "admin": login(url, ADMIN)}
    routes = _routes(app)
    assert ("DELETE", "/api/documents/{doc_id}") in routes and ("POST", "/gradio_api/upload") in routes
    checked = 0
    for method, path in routes:
        needed = _expected_role(method, path)
        if needed is None:
            continue
        concrete = re.sub(r"\{[^}]+\}", "x", path)
        for role, cookies in [(None, None), *who.items()]:
            if RANK[role] >= RANK[needed]:
                continue
            r = httpx.request(method, url + concrete, cookies=cookies, content=b"{}", timeout=30,
                              headers={"content-type": "application/json"})
            assert r.status_code in (401, 403), f"{method} {path} as {role}: {r.status_code} {r.text[:200]}"
            checked += 1
    assert checked > 60
    # A wrong password is no login, on the API as on the page.
    assert httpx.get(f"{url}/api/documents", auth=(ADMIN[0], "wrong-password"), timeout=30).status_code == 401
    assert httpx.post(f"{url}/login", data={"username": ADMIN[0], "password": PARTICIPANT[1]}, timeout=30).status_code == 400


@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_every_gradio_event_refuses_every_role_below_the_one_it_needs(room):
    url, service, app = room
    demo = next(r.app for r in app.routes if hasattr(getattr(r, "app", None), "tokens")).get_blocks()
    who = {None: None, "participant": login(url, PARTICIPANT), "trainer": login(url, TRAINER), "admin": login(url, ADMIN)}
    names = {fn.fn.__name__: getattr(fn.fn, "required_role", "participant") for fn in demo.fns.values() if fn.fn}
    # The split, by handler: admin changes documents, trainer reads the room's data.
    assert {names[n] for n in ("on_upload", "on_delete", "on_delete_ask", "on_undo", "on_reindex")} == {"admin"}
    assert {names[n] for n in ("on_feedback_csv", "on_matrix", "on_compare", "on_make")} == {"trainer"}
    assert names["on_ask"] == "participant"
    refused = 0
    for index, fn in demo.fns.items():
        needed = getattr(fn.fn, "required_role", "participant") if fn.fn else "participant"
        for role, cookies in who.items():
            body = {"fn_index": index, "data": [], "session_hash": "walk", "event_data": None, "trigger_id": None}
            r = httpx.post(f"{url}/gradio_api/queue/join", json=body, cookies=cookies, timeout=30)
            if RANK[role] < RANK[needed]:
                assert r.status_code in (401, 403), f"{fn.fn and fn.fn.__name__} as {role}: {r.status_code}"
                refused += 1
            else:
                assert r.status_code not in (401, 403), f"{fn.fn and fn.fn.__name__} as {role}: {r.text[:200]}"
        if fn.api_name and needed != "participant":
            r = httpx.post(f"{url}/gradio_api/call/{fn.api_name}", json={"data": [], "fn_index": 0},
                           cookies=who["participant"], timeout=30)
            assert r.status_code == 403, f"/call/{fn.api_name} as participant: {r.status_code}"
    assert refused > 20


def test_participants_lose_no_document_and_cannot_read_the_feedback(room, tmp_path):
    url, service, app = room
    before = _documents_folder(service)
    for who in (None, PARTICIPANT, TRAINER):
        r = httpx.delete(f"{url}/api/documents/ke-hoach-a", auth=who, timeout=30)
        assert r.status_code in (401, 403), r.text
        r = httpx.post(f"{url}/api/documents", files={"file": ("x.txt", "KẾ HOẠCH\n1. Nội dung.".encode(), "text/plain")},
                       auth=who, timeout=30)
        assert r.status_code in (401, 403), r.text
    kind, _ = call_event(url, "on_delete", ["ke-hoach-a", "vi"], cookies=login(url, PARTICIPANT))
    assert kind == "403"
    assert _documents_folder(service) == before
    assert httpx.get(f"{url}/api/feedback.csv", auth=PARTICIPANT, timeout=30).status_code == 403
    assert httpx.get(f"{url}/api/feedback.csv", auth=TRAINER, timeout=30).status_code == 200
    assert httpx.get(f"{url}/api/documents", auth=PARTICIPANT, timeout=30).status_code == 200


def _wait_indexed(url: str, auth) -> dict:
    import time

    deadline = time.monotonic() + 300
    while True:
        health = httpx.get(f"{url}/api/health", auth=auth, timeout=30).json()
        if not health["indexing"]["running"] and health["status"] == "ok":
            return health
        assert time.monotonic() < deadline, health
        time.sleep(0.2)


def test_a_deleted_document_goes_to_the_trash_and_comes_back(room):
    url, service, app = room
    r = httpx.delete(f"{url}/api/documents/ke-hoach-a", auth=ADMIN, timeout=30)
    assert r.status_code == 202, r.text
    entry = r.json()["trash"]
    assert (service.settings.data_dir / "trash" / entry).read_text(encoding="utf-8").startswith("KẾ HOẠCH")
    assert httpx.delete(f"{url}/api/documents/ke-hoach-a", auth=ADMIN, timeout=30).status_code == 404
    assert _wait_indexed(url, ADMIN)["documents"] == 1
    assert "ke-hoach-a" not in service.bot.store.documents
    assert [t["entry"] for t in httpx.get(f"{url}/api/trash", auth=ADMIN, timeout=30).json()["trash"]] == [entry]
    assert httpx.post(f"{url}/api/trash/{entry}/restore", auth=TRAINER, timeout=30).status_code == 403
    r = httpx.post(f"{url}/api/trash/{entry}/restore", auth=ADMIN, timeout=30)
    assert r.status_code == 202, r.text
    assert _wait_indexed(url, ADMIN)["documents"] == 2 and "ke-hoach-a" in service.bot.store.documents
    assert httpx.post(f"{url}/api/trash/{entry}/restore", auth=ADMIN, timeout=30).status_code == 404


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture()
def browser():
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's Chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless", "--disable-gpu"])
        yield b
        b.close()


def _page_as(browser, url: str, who: tuple[str, str]):
    """A page logged in through Gradio's own login form."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(url + "/")
    page.locator("input[type=password]").wait_for(timeout=60_000)
    page.locator("input:not([type=password])").first.fill(who[0])
    page.locator("input[type=password]").fill(who[1])
    page.locator("input[type=password]").press("Enter")
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.wait_for_timeout(1500)  # the role-dependent parts appear on page load
    return page


@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
@pytest.mark.browser
def test_a_participant_sees_no_admin_or_trainer_controls_and_the_admin_deletes_with_undo(room, browser):
    url, service, app = room
    page = _page_as(browser, url, PARTICIPANT)
    assert page.locator("button[role=tab]", has_text="Tài liệu").count() == 1
    for tab in ("Ma trận", "So sánh", "Trắc nghiệm", "Trình chiếu"):
        assert page.locator("button[role=tab]", has_text=tab).count() == 0, tab
    page.locator("button[role=tab]", has_text="Tài liệu").click()
    page.wait_for_timeout(500)
    assert not page.locator("#admin").is_visible() and not page.locator("#room-feedback").is_visible()
    assert not page.locator("#upload-btn").is_visible() and not page.locator("#delete-btn").is_visible()
    page.context.close()

    trainer = _page_as(browser, url, TRAINER)
    assert trainer.locator("button[role=tab]", has_text="Ma trận").count() == 1
    trainer.locator("button[role=tab]", has_text="Tài liệu").click()
    assert trainer.locator("#room-feedback").is_visible() and not trainer.locator("#admin").is_visible()
    trainer.context.close()

    page = _page_as(browser, url, ADMIN)
    page.locator("button[role=tab]", has_text="Tài liệu").click()
    page.locator("#delete-doc input").click()
    page.locator("[role=option]", has_text="Phòng, chống mua bán người năm 2024").first.click()
    page.locator("#delete-btn").click()
    page.locator("#delete-confirm-btn").wait_for(state="visible", timeout=10_000)
    assert (service.settings.documents_dir / "ke-hoach-a.txt").exists()  # nothing happens before the confirmation
    page.locator("#delete-confirm-btn").click()
    page.locator("#undo-btn").wait_for(state="visible", timeout=30_000)
    assert not (service.settings.documents_dir / "ke-hoach-a.txt").exists()
    _wait_indexed(url, ADMIN)
    page.locator("#undo-btn").click()
    page.locator("#undo-btn").wait_for(state="hidden", timeout=30_000)
    assert (service.settings.documents_dir / "ke-hoach-a.txt").exists()
    assert _wait_indexed(url, ADMIN)["documents"] == 2
    page.context.close()


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("flags, message", [
    (["--auth", "tap-huan:"], "password is empty"),
    (["--auth", "tap-huan:ngan"], "shorter than 8"),
    (["--auth", "tap-huan:matkhau"], "example password"),
    (["--auth", "tap-huan:hoc-vien-2026", "--admin-password", "quantri"], "example password"),
    (["--auth", "admin:hoc-vien-2026", "--admin-password", "quan-tri-2026"], "user name 'admin'"),
])
def test_serve_refuses_empty_short_and_example_passwords(flags, message, tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "assistant", "serve", "--host", "0.0.0.0", "--port", "1",
                        "--index", str(tmp_path / "index"), *flags], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr


def test_serve_warns_when_the_admin_password_is_the_participants(tmp_path, one_plan_folder):
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", "0", "--documents", str(one_plan_folder),
         "--index", str(tmp_path / "index"), "--auth", "tap-huan:hoc-vien-2026", "--admin-password", "hoc-vien-2026"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT,
        env={**__import__("os").environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")})
    try:
        line = process.stderr.readline()
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "warning" in line and "admin password is the participants' password" in line


def test_a_users_file_holds_scrypt_hashes_and_roles(tmp_path):
    from assistant.web.access import Accounts, hash_password
    from assistant.config import Settings
    from assistant.errors import ConfigError

    users = tmp_path / "users.txt"
    users.write_text(f"# trainers of the Ninh Bình course\nco-lan trainer {hash_password('lan-2026-ninh-binh')}\n",
                     encoding="utf-8")
    assert "lan-2026" not in users.read_text(encoding="utf-8")
    accounts = Accounts.from_settings(Settings(users_file=str(users)))
    assert accounts.authenticate("co-lan", "lan-2026-ninh-binh") == "trainer"
    assert accounts.authenticate("co-lan", "lan-2026-ninh-binh") == "trainer"  # the cached path
    assert accounts.authenticate("co-lan", "wrong-password") is None
    assert accounts.open_role is None  # a users file means a login is needed
    users.write_text("co-lan boss scrypt$1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="users.txt:1"):
        Accounts.from_settings(Settings(users_file=str(users)))


# -- cross-site requests and DNS rebinding ------------------------------------------------------

@pytest.fixture()
def open_server(tmp_path, make_bot, one_plan_folder):
    """The default: 127.0.0.1, no account (the person at the machine is admin)."""
    from assistant.web.app import BackgroundServer, create_app
    from assistant.web.service import Service

    bot = make_bot(one_plan_folder)
    service = Service(bot.settings.replace(data_dir=tmp_path / "data"), bot=bot)
    service.start()
    assert service.wait_ready(300), service.status()
    server = BackgroundServer(create_app(service))
    yield server.start(), service
    server.stop()


def test_a_page_of_another_origin_cannot_upload_or_delete(open_server):
    url, service = open_server
    before = _documents_folder(service)
    plan = ("ke-hoach-la.txt", "KẾ HOẠCH\nI. NHIỆM VỤ\n1. Tài liệu do trang lạ gửi lên.\n".encode(), "text/plain")
    # What a plain <form method=post enctype=multipart/form-data action=http://127.0.0.1:7860/api/documents> sends.
    for headers in ({"Origin": "https://trang-la.example"}, {"Origin": "null"},
                    {"Sec-Fetch-Site": "cross-site", "Origin": "https://trang-la.example"}):
        r = httpx.post(f"{url}/api/documents", files={"file": plan}, headers=headers, timeout=30)
        assert r.status_code == 403, (headers, r.text)
        r = httpx.delete(f"{url}/api/documents/ke-hoach-a", headers=headers, timeout=30)
        assert r.status_code == 403, (headers, r.text)
        r = httpx.post(f"{url}/gradio_api/queue/join", json={"fn_index": 0, "data": [], "session_hash": "x"},
                       headers=headers, timeout=30)
        assert r.status_code == 403
    assert _documents_folder(service) == before
    # The page itself (same origin) and scripts without Origin still work.
    same = httpx.post(f"{url}/api/ask", json={"question": "Ai chủ trì điều tra?"}, headers={"Origin": url}, timeout=60)
    assert same.status_code == 200, same.text
    assert httpx.post(f"{url}/api/ask", json={"question": "Ai chủ trì điều tra?"}, timeout=60).status_code == 200


def test_a_rebound_dns_name_is_not_answered(open_server):
    url, service = open_server
    for method, path in (("GET", "/"), ("GET", "/api/documents"), ("POST", "/api/ask")):
        r = httpx.request(method, url + path, headers={"Host": "rebind.attacker.example:7860"},
                          json={"question": "x"} if method == "POST" else None, timeout=30)
        assert r.status_code == 421, (path, r.status_code)
    assert httpx.get(f"{url}/api/health", headers={"Host": "localhost"}, timeout=30).status_code == 200


# -- bodies: login first, then a size limit per route ----------------------------------------------

def _raw_request(url: str, head: str, first_bytes: bytes, wait: float = 5.0) -> str:
    """Send a request's head and the start of its body, then read what the server answers (within `wait` s)."""
    import socket

    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\n" + first_bytes)
        try:
            return sock.recv(4096).decode("latin-1")
        except TimeoutError:
            return "(no answer: the server is still reading the body)"


def test_an_unauthenticated_huge_body_is_refused_before_it_is_read(room):
    url, service, app = room
    big = 300 * 1024 * 1024
    head = (f"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {big}\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n")
    assert _raw_request(url, head, b"--x\r\n" + b"a" * 1024).startswith("HTTP/1.1 401")
    head = f"POST /gradio_api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {big}\r\n"
    assert _raw_request(url, head, b"a" * 1024).startswith("HTTP/1.1 401")


def test_bodies_larger_than_the_route_allows_are_refused_unread(room):
    import base64

    url, service, app = room
    basic = "Authorization: Basic " + base64.b64encode(":".join(ADMIN).encode()).decode() + "\r\n"
    head = f"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n{basic}Content-Length: {300 * 1024 * 1024}\r\n"
    assert _raw_request(url, head, b"a" * 1024).startswith("HTTP/1.1 413")
    question = {"question": "Ai chủ trì? " * 200_000}  # 2.4 MB of question
    r = httpx.post(f"{url}/api/ask", json=question, auth=PARTICIPANT, timeout=30)
    assert r.status_code == 413 and "too large" in r.json()["error"]

    def chunks():  # no Content-Length: read up to the limit, then refused
        for _ in range(40):
            yield b"a" * 65536
    r = httpx.post(f"{url}/api/ask", content=chunks(), auth=PARTICIPANT, timeout=30,
                   headers={"content-type": "application/json"})
    assert r.status_code == 413


# -- uploads at the same time ---------------------------------------------------------------------

def _upload_many(url: str, bodies: list[bytes], name: str = "ke-hoach-chung.txt") -> list[httpx.Response]:
    """Send every body at once, all under the same file name, as the admin."""
    from concurrent.futures import ThreadPoolExecutor

    def send(data: bytes) -> httpx.Response:
        return httpx.post(f"{url}/api/documents", files={"file": (name, data, "text/plain")}, auth=ADMIN, timeout=120)

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, bodies))


def test_same_name_uploads_at_the_same_time_keep_every_file(room):
    url, service, app = room
    import io

    from docx import Document

    bodies = []
    for i in range(8):  # DOCX: parsing the staged copy takes long enough for the uploads to overlap
        doc = Document()
        doc.add_paragraph(f"KẾ HOẠCH số {i}")
        for k in range(200):
            doc.add_paragraph(f"{k + 1}. Đội công tác số {i} tiếp nhận tin báo mua bán người tại xã {k}.")
        buf = io.BytesIO()
        doc.save(buf)
        bodies.append(buf.getvalue())
    responses = _upload_many(url, bodies, "ke-hoach-chung.docx")
    assert [r.status_code for r in responses] == [202] * 8, [r.text for r in responses]
    names = {r.json()["file"] for r in responses}
    assert len(names) == 8
    folder = service.settings.documents_dir
    assert sorted((folder / n).read_bytes() for n in names) == sorted(bodies)  # each accepted file is kept whole


def test_the_same_file_uploaded_eight_times_at_once_is_kept_once(room):
    url, service, app = room
    data = "KẾ HOẠCH trùng\nI. NHIỆM VỤ\n1. Tổ công tác Hoa Sen tiếp nhận nạn nhân.\n".encode()
    responses = _upload_many(url, [data] * 8)
    codes = sorted(r.status_code for r in responses)
    assert codes == [202] + [400] * 7, [r.text for r in responses]
    assert all("already" in r.json()["error"] for r in responses if r.status_code == 400)
    kept = [p for p in service.settings.documents_dir.iterdir() if p.read_bytes() == data]
    assert len(kept) == 1


# -- smaller items ----------------------------------------------------------------------------------

def test_a_lone_surrogate_or_an_endless_question_is_a_clear_4xx(room):
    url, service, app = room
    for body in (b'{"question": "Ai ch\\u1ee7 tr\\u00ec \\ud800?"}', b'{"question": "\\udfff"}'):
        r = httpx.post(f"{url}/api/ask", content=body, auth=PARTICIPANT, timeout=60,
                       headers={"content-type": "application/json"})
        assert 400 <= r.status_code < 500 and "error" in r.json(), (body, r.status_code, r.text)
        r = httpx.post(f"{url}/api/search", content=body, auth=PARTICIPANT, timeout=60,
                       headers={"content-type": "application/json"})
        assert 400 <= r.status_code < 500 and "error" in r.json(), (body, r.status_code, r.text)
    r = httpx.post(f"{url}/api/ask", json={"question": "Ai chủ trì? " * 5000}, auth=PARTICIPANT, timeout=60)
    assert r.status_code == 422 and "question" in r.json()["error"]
    r = httpx.post(f"{url}/api/ask", json={"question": "Ai chủ trì?", "history": [{"question": "x" * 20_000}]},
                   auth=PARTICIPANT, timeout=60)
    assert r.status_code == 422


def test_pages_cannot_be_framed_and_documents_show_no_server_paths(room):
    url, service, app = room
    for path in ("/", "/api/health"):
        r = httpx.get(url + path, auth=PARTICIPANT, timeout=30)
        assert r.headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
    body = httpx.get(f"{url}/api/documents", auth=PARTICIPANT, timeout=30).json()
    assert {d["path"] for d in body["documents"]} == {"ke-hoach-a.txt", "ke-hoach-b.txt"}
    assert str(service.settings.documents_dir) not in json.dumps(body)


def test_the_admin_password_works_only_under_the_admin_name(room):
    url, service, app = room
    for user in ("tap-huan", "trainer", "Admin", "admin "):
        r = httpx.delete(f"{url}/api/documents/ke-hoach-a", auth=(user, ADMIN[1]), timeout=30)
        assert r.status_code == 401, user
    assert (service.settings.documents_dir / "ke-hoach-a.txt").exists()


def test_guessing_passwords_is_slowed_down_and_everything_is_in_the_audit_log(room):
    import stat

    url, service, app = room
    for i in range(5):
        assert httpx.get(f"{url}/api/documents", auth=(ADMIN[0], f"doan-{i}-sai"), timeout=30).status_code == 401
        assert httpx.post(f"{url}/login", data={"username": "admin", "password": f"doan-{i}"}, timeout=30).status_code == 400
    # Ten failures: this client must now wait, even with the right password, on the API and the login form.
    r = httpx.get(f"{url}/api/documents", auth=ADMIN, timeout=30)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert httpx.post(f"{url}/login", data={"username": "admin", "password": ADMIN[1]}, timeout=30).status_code == 429
    audit = service.settings.data_dir / "audit.log"
    assert stat.S_IMODE(audit.stat().st_mode) == 0o600
    entries = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert sum(e["status"] == 401 for e in entries) == 5 and sum(e["path"] == "/login" and e["status"] == 400
                                                                for e in entries) == 5
    assert entries[-1]["status"] == 429 and entries[-1]["client"] == "127.0.0.1"


def test_the_audit_log_names_who_deleted_what(room):
    url, service, app = room
    assert httpx.delete(f"{url}/api/documents/ke-hoach-b", auth=ADMIN, timeout=30).status_code == 202
    call_event(url, "on_reindex", ["vi"], cookies=login(url, TRAINER))  # refused: the trainer is no admin
    entries = [json.loads(line) for line in (service.settings.data_dir / "audit.log").read_text(encoding="utf-8").splitlines()]
    assert {"user": "admin", "role": "admin", "method": "DELETE", "path": "/api/documents/ke-hoach-b",
            "status": 202}.items() <= entries[0].items()
    refused = [e for e in entries if e.get("event") == "on_reindex"]
    assert refused, entries
    assert refused and refused[0]["user"] == "trainer" and refused[0]["status"] == 403
    assert all(e["time"] for e in entries)


def test_stale_staging_files_and_old_exports_are_removed_and_exports_are_private(room, tmp_path):
    import os
    import stat
    import tempfile
    import time

    url, service, app = room
    docs = service.settings.documents_dir
    stale, fresh = docs / ".upload-crashed.docx", docs / ".upload-in-progress.docx"
    old_export = Path(tempfile.gettempdir()) / "assistant-export-chat-old"
    for path in (stale, fresh):
        path.write_bytes(b"PK")
    old_export.mkdir(exist_ok=True)
    (old_export / "hoi-dap.md").write_text("cũ", encoding="utf-8")
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))
    os.utime(old_export, (two_days_ago, two_days_ago))
    # At start: a fresh Service over the same folders (the room's own started before these files existed).
    from assistant.web.service import Service

    other = Service(service.settings, bot=service.bot)
    other.housekeeping_interval = 0.2  # the timer, made quick
    other.start()
    assert not stale.exists() and not old_export.exists() and fresh.exists()
    # On the timer: a staging file left behind later goes on the next round.
    stale.write_bytes(b"PK")
    os.utime(stale, (two_days_ago, two_days_ago))
    deadline = time.monotonic() + 10
    while stale.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not stale.exists() and fresh.exists()
    other._stop.set()
    fresh.unlink()

    kind, payload = call_event(url, "on_ask", ["Ai chủ trì điều tra?", "vi", [], None, None], cookies=login(url, PARTICIPANT))
    assert kind == "complete"
    exports = [p for p in Path(tempfile.gettempdir()).glob("assistant-export-chat-*/*")
               if p.stat().st_mtime > time.time() - 60]
    assert exports and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in exports)
    assert all(stat.S_IMODE(p.parent.stat().st_mode) == 0o700 for p in exports)


def test_gradio_file_route_serves_no_server_file(room, tmp_path):
    url, service, app = room
    cookies = login(url, ADMIN)
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu", encoding="utf-8")
    for path in (str(secret), str(ROOT / "README.md"), "/etc/passwd", str(service.settings.documents_dir / "ke-hoach-a.txt"),
                 str(service.settings.data_dir / "feedback.sqlite3")):
        r = httpx.get(f"{url}/gradio_api/file={path}", cookies=cookies, timeout=30)
        assert r.status_code in (403, 404), (path, r.status_code)


def test_the_users_command_stores_only_a_hash_and_serve_accepts_the_file(tmp_path):
    import stat
    import subprocess
    import sys

    from assistant.web.access import Accounts
    from assistant.config import Settings

    users = tmp_path / "users.txt"
    for name, role, password in (("co-lan", "trainer", "lan-2026-ninh-binh"), ("anh-tuan", "admin", "tuan-quan-tri-9")):
        r = subprocess.run([sys.executable, "-m", "assistant", "users", name, role, "--file", str(users)],
                           input=password + "\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert r.returncode == 0, r.stderr
    text = users.read_text(encoding="utf-8")
    entries = [line for line in text.splitlines() if not line.startswith("#")]
    assert "lan-2026" not in text and "tuan-quan" not in text and len(entries) == 2
    assert stat.S_IMODE(users.stat().st_mode) == 0o600
    accounts = Accounts.from_settings(Settings(users_file=str(users)))
    assert accounts.authenticate("co-lan", "lan-2026-ninh-binh") == "trainer"
    assert accounts.authenticate("anh-tuan", "tuan-quan-tri-9") == "admin"
    r = subprocess.run([sys.executable, "-m", "assistant", "users", "x", "admin", "--file", str(users)],
                       input="ngan\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 2 and "shorter than 8" in r.stderr


@pytest.mark.browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_the_login_page_speaks_the_interface_language_says_who_to_ask_and_logout_returns_to_it(room, browser):
    url, service, app = room
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(url + "/")
        page.wait_for_selector("#login-form", timeout=30_000)
        assert page.evaluate("() => document.documentElement.lang") == "vi"
        text = page.locator("main").inner_text()
        assert "Tên đăng nhập" in text and "Mật khẩu" in text and "Hãy hỏi giảng viên" in text
        assert not {"username", "password", "Login"} & set(text.split())

        page.fill("#username", PARTICIPANT[0])
        page.fill("#password", "khong-dung-2026")
        page.click("#login-form button[type=submit]")
        page.wait_for_function("() => document.querySelector('#login-error').innerText.includes('Sai tên đăng nhập')",
                               timeout=10_000)
        page.fill("#password", PARTICIPANT[1])
        page.press("#password", "Enter")
        page.wait_for_selector("#question textarea", timeout=60_000)

        before = {c["name"]: c["value"] for c in context.cookies()}
        assert httpx.get(f"{url}/gradio_api/info", cookies=before, timeout=30).status_code == 200
        page.click("#logout-link")
        page.wait_for_selector("#login-form", timeout=30_000)
        page.goto(url + "/")
        page.wait_for_selector("#login-form", timeout=30_000)
        # The login is forgotten by the server, not only by this browser.
        assert httpx.get(f"{url}/gradio_api/info", cookies=before, timeout=30).status_code == 401

        page.click("a.lang")  # the same page in English
        # (read null-safe: while the new page loads there is a moment with no document element)
        page.wait_for_function("() => document.documentElement?.lang === 'en'", timeout=10_000)
        text = page.locator("main").inner_text()
        assert "User name" in text and "Password" in text and "Ask the trainer" in text
        # The language chosen at the login is the page's after it, and the next login page's.
        page.fill("#username", PARTICIPANT[0])
        page.fill("#password", PARTICIPANT[1])
        page.press("#password", "Enter")
        page.wait_for_function("() => document.querySelector('#ask-btn')?.innerText.trim() === 'Ask'", timeout=60_000)
        assert page.evaluate("() => document.documentElement.lang") == "en"
        page.click("#logout-link")
        page.wait_for_selector("#login-form", timeout=30_000)
        assert "User name" in page.locator("main").inner_text()
    finally:
        context.close()
