"""Who may do what on the running server, decided in one place: an ASGI middleware every request goes through.

The web page (Gradio), its own endpoints (/gradio_api/…) and the HTTP API (/api/…) share one FastAPI app;
`AccessGuard` wraps it. Per request it refuses, before any body is read by the app:
- Gradio event payloads naming a file that was not uploaded through Gradio (a server path, "../", a URL).
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


# ---------------------------------------------------------------------------------------------
# Files named in Gradio payloads

def upload_folder() -> Path:
    """Gradio's upload folder (GRADIO_TEMP_DIR or <tmp>/gradio), resolved; every uploaded file lives under it."""
    import gradio.utils

    return Path(gradio.utils.get_upload_folder()).resolve()


def is_uploaded_file(path: str | os.PathLike | None) -> bool:
    """True when `path` resolves (symlinks and "..") to a file inside Gradio's upload folder."""
    if not path or "://" in str(path):
        return False
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return upload_folder() in resolved.parents


def file_references(value: Any) -> Iterator[str]:
    """Every "path" of a file-like object ({"path": …}) anywhere in a decoded JSON payload."""
    if isinstance(value, dict):
        if isinstance(value.get("path"), str):
            yield value["path"]
        for item in value.values():
            yield from file_references(item)
    elif isinstance(value, list):
        for item in value:
            yield from file_references(item)


def foreign_file(body: bytes) -> str | None:
    """The first file path in a Gradio JSON body that was not uploaded through Gradio, else None."""
    try:
        payload = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None  # not JSON: Gradio refuses it itself
    return next((p for p in file_references(payload) if not is_uploaded_file(p)), None)


# ---------------------------------------------------------------------------------------------
# The middleware

class AccessGuard:
    """ASGI middleware: the checks above for every HTTP request, before the app sees it."""

    def __init__(self, app: Any, settings: Any):
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if scope["method"] == "POST" and path.startswith("/gradio_api/") and not path.startswith("/gradio_api/upload"):
            body = await read_body(receive, self.settings.max_upload_mb * 1024 * 1024)
            if body is None:
                await refuse(send, 413, "request body too large")
                return
            bad = foreign_file(body)
            if bad is not None:
                log.warning("refused a Gradio call naming the server file %r", bad)
                await refuse(send, 400, "only files uploaded through this page are accepted")
                return
            receive = replay(body, receive)
        await self.app(scope, receive, send)


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it passes `limit` bytes."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def replay(body: bytes, original: Receive) -> Receive:
    """A receive callable that hands the app a body already read, then waits for the real disconnect."""
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive


async def refuse(send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Answer with the API's error shape {"error": message}."""
    data = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": data})
