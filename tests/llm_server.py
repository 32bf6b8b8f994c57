"""A scripted chat endpoint on 127.0.0.1 standing in for an LLM server in tests.

It speaks the two protocols the assistant can be pointed at:

* OpenAI chat completions: ``POST /v1/chat/completions``, a JSON reply, or with
  ``"stream": true`` server-sent events (``data: {chunk}`` … ``data: [DONE]``);
* Ollama: ``POST /api/chat``, newline-delimited JSON when streaming.

Usage::

    with FakeLLM() as server:
        server.script("Bộ Công an chủ trì [1].", lambda request: "…")
        settings = Settings(llm_model="openai:fake", llm_base_url=server.base_url)
        ...
        server.requests[0]["messages"]  # every request body is recorded

A script entry is a string, a callable that receives the request JSON and returns a string
or a `Reply`, or a `Reply` (delays, gates, errors). When the script runs out the server
answers HTTP 500 so a test that calls the model more often than it planned fails loudly.
"""
from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Union


@dataclass
class Reply:
    """One scripted reply and how to deliver it."""

    text: str = ""
    delay: float = 0.0  # seconds before the response starts (timeouts)
    status: int = 200  # anything else: an error body, no completion
    pieces: list[str] | None = None  # explicit stream chunks; default: split after every word
    gate_after: int | None = None  # stream this many chunks, then wait for `gate`
    interval: float = 0.0  # seconds between stream chunks (a slow endpoint that never stalls long enough to time out a read)
    gate: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)  # set once the last byte is sent

    def chunks(self) -> list[str]:
        """The stream chunks, in order (they join to `text`)."""
        if self.pieces is not None:
            return list(self.pieces)
        # Word by word, like a real tokenizer would roughly deliver it; "[1]" may arrive split.
        return [p for p in re.split(r"(?<=\s)", self.text) if p]


Script = Union[str, Reply, Callable[[dict], Union[str, Reply]]]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gives up (timeout test) or drops a keep-alive connection is normal here.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class FakeLLM:
    """A ThreadingHTTPServer on 127.0.0.1:<free port> replaying scripted replies."""

    def __init__(self, model: str = "fake-model"):
        self.model = model
        self.requests: list[dict] = []  # every request body, in arrival order
        self.paths: list[str] = []
        self.arrivals: list[float] = []  # time.monotonic() of each request
        self._script: deque[Script] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-llm", daemon=True)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> "FakeLLM":
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving; sleeping or gated handlers are released."""
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeLLM":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- addresses ------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (what ASSISTANT_LLM_BASE_URL would hold)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def ollama_url(self) -> str:
        """The Ollama base URL."""
        return f"http://127.0.0.1:{self.port}"

    # -- script ---------------------------------------------------------------------------
    def script(self, *replies: Script) -> "FakeLLM":
        """Queue replies; each request consumes one."""
        with self._lock:
            self._script.extend(replies)
        return self

    def reset(self) -> None:
        """Forget the queued replies and recorded requests."""
        with self._lock:
            self._script.clear()
            self.requests.clear()
            self.paths.clear()
            self.arrivals.clear()

    def _next(self, path: str, body: dict) -> Reply | None:
        with self._lock:
            self.requests.append(body)
            self.paths.append(path)
            self.arrivals.append(time.monotonic())
            entry = self._script.popleft() if self._script else None
        if entry is None:
            return None
        if callable(entry) and not isinstance(entry, Reply):
            entry = entry(body)
        return Reply(entry) if isinstance(entry, str) else entry

    def _wait(self, seconds: float) -> None:
        self._closing.wait(seconds)


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:  # /v1/models, /api/tags: some clients probe them
            if self.path.rstrip("/").endswith("/models"):
                self._json(200, {"object": "list", "data": [{"id": fake.model, "object": "model"}]})
            elif self.path.startswith("/api/tags"):
                self._json(200, {"models": [{"name": fake.model, "model": fake.model}]})
            else:
                self._json(404, {"error": f"no route {self.path}"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._json(400, {"error": "request body is not JSON"})
                return
            if self.path.rstrip("/").endswith("/chat/completions"):
                kind = "openai"
            elif self.path.rstrip("/") == "/api/chat":
                kind = "ollama"
            else:
                self._json(404, {"error": f"no route {self.path}"})
                return
            reply = fake._next(self.path, body)
            if reply is None:
                self._json(500, {"error": {"message": "fake LLM: no scripted reply left", "type": "server_error"}})
                return
            if reply.delay:
                fake._wait(reply.delay)
                if fake._closing.is_set():
                    return
            if reply.status != 200:
                self._json(reply.status, {"error": {"message": reply.text or "scripted failure", "type": "server_error"}})
                reply.finished.set()
                return
            streaming = body.get("stream", kind == "ollama")  # Ollama streams unless told not to
            try:
                if kind == "openai" and streaming:
                    self._openai_stream(body, reply)
                elif kind == "openai":
                    self._json(200, _completion(fake, reply.text))
                elif streaming:
                    self._ollama_stream(body, reply)
                else:
                    self._json(200, _ollama_message(fake, reply.text, True))
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass
            finally:
                reply.finished.set()

        # -- writers ----------------------------------------------------------------------
        def _json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def _chunked_start(self, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _pieces(self, reply: Reply):
            for i, piece in enumerate(reply.chunks()):
                if reply.gate_after is not None and i == reply.gate_after:
                    reply.gate.wait(10)  # the test releases it once it has seen the first pieces
                if reply.interval and i:
                    fake._wait(reply.interval)
                yield piece

        def _openai_stream(self, body: dict, reply: Reply) -> None:
            self._chunked_start("text/event-stream")
            created = int(time.time())
            base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created, "model": fake.model}
            first = {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}
            self._chunk(f"data: {json.dumps(first)}\n\n".encode())
            for piece in self._pieces(reply):
                event = {**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                self._chunk(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode("utf-8"))
            last = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            self._chunk(f"data: {json.dumps(last)}\n\n".encode())
            if (body.get("stream_options") or {}).get("include_usage"):
                usage = {**base, "choices": [], "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                self._chunk(f"data: {json.dumps(usage)}\n\n".encode())
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")

        def _ollama_stream(self, body: dict, reply: Reply) -> None:
            self._chunked_start("application/x-ndjson")
            for piece in self._pieces(reply):
                line = _ollama_message(fake, piece, False)
                self._chunk((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
            self._chunk((json.dumps(_ollama_message(fake, "", True)) + "\n").encode())
            self._chunk(b"")

    return Handler


def _completion(fake: FakeLLM, text: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": fake.model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _ollama_message(fake: FakeLLM, text: str, done: bool) -> dict:
    message = {
        "model": fake.model,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "message": {"role": "assistant", "content": text},
        "done": done,
    }
    if done:
        message.update(done_reason="stop", total_duration=1, load_duration=1, prompt_eval_count=1,
                       prompt_eval_duration=1, eval_count=1, eval_duration=1)
    return message


def messages(request: dict) -> dict[str, str]:
    """The system and user message texts of a recorded chat request ({"system": …, "user": …})."""
    out: dict[str, str] = {}
    for m in request.get("messages", []):
        content = m.get("content", "")
        if isinstance(content, list):  # content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        out[m.get("role", "")] = out.get(m.get("role", ""), "") + content
    return out
