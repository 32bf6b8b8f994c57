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
    from assistant.app import BackgroundServer, create_app
    from assistant.service import Service

    (one_plan_folder / "ke-hoach-b.txt").write_text(HOSTILE_PLAN, encoding="utf-8")
    bot = make_bot(one_plan_folder)
    settings = bot.settings.replace(data_dir=tmp_path / "data", auth=":".join(PARTICIPANT),
                                    trainer_password=TRAINER[1], admin_password=ADMIN[1], max_upload_mb=1)
    service = Service(settings, bot=bot)
    service.start()
    assert service.wait_ready(300), service.status()
    server = BackgroundServer(create_app(service))
    url = server.start()
    yield url, service
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
    url, service = room
    secret = tmp_path / "secret-server-file.txt"
    secret.write_text("KẾ HOẠCH MẬT\nI. NỘI DUNG\n1. Mật khẩu máy chủ là ngựa-vằn-42.\n", encoding="utf-8")
    path = {"plain": str(secret), "gradio-file": str(secret), "url": "http://127.0.0.1:9/secret.txt",
            "dot-dot": "../" * 12 + str(secret).lstrip("/")}[shape]
    value: dict = {"path": path, "orig_name": "secret-server-file.txt"}
    if shape != "plain":
        value["meta"] = {"_type": "gradio.FileData"}
    before = _documents_folder(service)
    kind, payload = call_event(url, "on_upload", [value, ADMIN[1], "vi"], cookies=login(url, PARTICIPANT))
    assert kind != "complete" or "ngựa" not in payload
    assert _documents_folder(service) == before, "a server file entered the documents folder"
    assert not any("ngựa-vằn" in d.text for d in service.bot.store.documents.values())
    # Nor was it copied into Gradio's cache, from where /gradio_api/file= would serve it.
    import gradio.utils

    cache = Path(gradio.utils.get_upload_folder())
    assert not any(p.name == secret.name for p in cache.rglob("*")) if cache.exists() else True


def test_control_characters_never_break_an_answer_its_export_or_the_matrix(room):
    url, service = room
    assert not any(c in d.text for d in service.bot.store.documents.values() for c in "\x01\x0c")
    cookies = login(url, PARTICIPANT)
    kind, payload = call_event(url, "on_ask", ["Ai chủ trì\x0c khám sức khỏe\x01 cho nạn nhân trở về?", "vi", [], None, None],
                               cookies=cookies)
    assert kind == "complete", payload
    assert "Sở Y tế chủ trì khám sức khỏe" in json.loads(payload)[0], payload[:3000]
    assert ".docx" in payload and ".md" in payload  # the exports were written
    kind, payload = call_event(url, "on_matrix", ["", "", "sức khỏe", "vi"], cookies=cookies)
    assert kind == "complete", payload
    assert "Sở Y tế" in json.loads(payload)[0] and ".xlsx" in payload
