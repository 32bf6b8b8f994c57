"""Who may do what on the running server, decided in one place: an ASGI middleware every request goes through.

Three roles, each allowed what the one before may do and more:
    participant  ask, read, give feedback, export their own conversation
    trainer      also the trainers' tabs (matrix, comparison, quiz) and the room's feedback (CSV)
    admin        also upload, delete and restore documents, re-index

The web page (Gradio), its own endpoints (/gradio_api/…) and the HTTP API (/api/…) share one FastAPI app;
`AccessGuard` wraps it, and the OpenAI-compatible routes (/v1/…) too. Per request, before the app reads any body,
it works out who is asking (HTTP Basic, an account's password as a Bearer key, or Gradio's login cookie), which
role the route or the Gradio event needs (`route_role`, `requires`), and refuses:
- a Host header that is neither an IP address, localhost nor an allowed name (DNS rebinding: 421);
- a state-changing request (POST, PUT, PATCH, DELETE) sent by a page of another origin (Origin,
  Sec-Fetch-Site): a plain HTML form on any web site could otherwise upload to a server on 127.0.0.1 (403);
- a body larger than its route allows (413), judged by Content-Length before anything is read;
- a request without a login where one is needed (401) or with too small a role (403), before its body is read;
- logins from a client that failed MAX_FAILURES times within FAILURE_WINDOW seconds (429);
- Gradio event payloads naming a file that was not uploaded through Gradio (a server path, "../", a URL).
Every request that changes something, and every refusal, is written to <data>/audit.log (who, when, what).
Refusals are JSON {"error": message}; under /v1 OpenAI's {"error": {"message", "type", "param", "code"}}.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Iterator

from ..errors import ConfigError
from .openai_errors import is_openai_path, openai_error

if TYPE_CHECKING:
    from ..config import Settings

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


PARTICIPANT, TRAINER, ADMIN = "participant", "trainer", "admin"
ROLES = (PARTICIPANT, TRAINER, ADMIN)
_RANK = {role: i for i, role in enumerate(ROLES, 1)}
# The fixed user names of the two passwords given by flag (--trainer-password, --admin-password).
ROLE_USERS = {TRAINER: "trainer", ADMIN: "admin"}


def allows(role: str | None, needed: str) -> bool:
    """True when `role` may do what `needed` may."""
    return role is not None and _RANK.get(role, 0) >= _RANK[needed]


def requires(role: str) -> Callable:
    """Mark a Gradio event handler as needing `role`; AccessGuard refuses the event to anyone less."""
    if role not in ROLES:
        raise ValueError(role)

    def mark(fn: Callable) -> Callable:
        fn.required_role = role  # type: ignore[attr-defined]
        return fn

    return mark


def hash_password(password: str, *, n: int = 2**14) -> str:
    """A users-file entry for `password`: scrypt$n$r$p$salt$hash (hex)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=8, p=1, maxmem=64 * 1024 * 1024)
    return f"scrypt${n}$8$1${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches a hash_password() entry."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, bytes.fromhex(digest))


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(user, password) from an HTTP Basic Authorization header, or None."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        raw = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = raw.partition(":")
    return (user, password) if sep else None


def bearer_token(header: str | None) -> str | None:
    """The token of a Bearer Authorization header (an API key: here, an account's password), or None."""
    if not header or not header.lower().startswith("bearer "):
        return None
    return header[7:].strip() or None


@dataclass
class Accounts:
    """The server's users and their roles, from --auth, --trainer-password, --admin-password and --users FILE."""

    plain: dict[str, tuple[str, str]] = field(default_factory=dict)   # user → (role, password)
    hashed: dict[str, tuple[str, str]] = field(default_factory=dict)  # user → (role, scrypt entry)
    open_role: str | None = None  # the role of a request without a login; None = a login is required
    _verified: dict[bytes, str] = field(default_factory=dict, repr=False)
    _keys: dict[bytes, tuple[str, str]] = field(default_factory=dict, repr=False)  # API key digest → (user, role)
    _key_salt: bytes = field(default_factory=lambda: secrets.token_bytes(16), repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> "Accounts":
        """The accounts a Settings describes (raises ConfigError on a clash or a malformed users file)."""
        accounts = cls()
        if settings.auth:
            user, _, password = settings.auth.partition(":")
            accounts.plain[user] = (PARTICIPANT, password)
        for role, password in ((TRAINER, settings.trainer_password), (ADMIN, settings.admin_password)):
            if password:
                user = ROLE_USERS[role]
                if user in accounts.plain:
                    raise ConfigError(f"--auth uses the user name {user!r}, which is the {role}'s; choose another.")
                accounts.plain[user] = (role, password)
        users_file = getattr(settings, "users_file", "")
        if users_file:
            accounts.hashed.update(read_users(Path(users_file)))
        if accounts.plain or accounts.hashed:
            # Without --auth the questions stay open to anyone who reaches the server (as before roles existed).
            accounts.open_role = None if settings.auth or accounts.hashed else PARTICIPANT
        else:
            # No account at all: the person at this machine runs it for themselves; on a network (--insecure)
            # nobody may change the documents.
            host = settings.host.strip("[]")
            accounts.open_role = ADMIN if host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.") else PARTICIPANT
        return accounts

    @property
    def any(self) -> bool:
        """True when at least one account exists (the page then asks for a login)."""
        return bool(self.plain or self.hashed)

    def authenticate(self, user: str, password: str) -> str | None:
        """The role of `user` when `password` is theirs, else None (constant time for the flag passwords)."""
        if user in self.plain:
            role, expected = self.plain[user]
            return role if hmac.compare_digest(password.encode("utf-8"), expected.encode("utf-8")) else None
        if user in self.hashed:
            role, stored = self.hashed[user]
            key = hashlib.sha256(f"{user}\0{password}\0{stored}".encode("utf-8")).digest()
            if key in self._verified:  # scrypt costs ~50 ms: an API client sends its password with every request
                return self._verified[key]
            if verify_password(password, stored):
                if len(self._verified) > 1000:
                    self._verified.clear()
                self._verified[key] = role
                return role
        return None

    def by_password(self, password: str) -> tuple[str, str] | None:
        """(user, role) of the account whose password an API key is (a Bearer key has no user name): the flag
        accounts first, then the users file; when several share it, the one with the smallest role. None when it is
        nobody's."""
        key = hmac.new(self._key_salt, password.encode("utf-8"), hashlib.sha256).digest()
        if key in self._keys:  # a users file costs one scrypt per account: an API client sends its key every time
            return self._keys[key]
        matches = [(user, role) for user, (role, expected) in self.plain.items()  # every one compared: no early exit
                   if hmac.compare_digest(password.encode("utf-8"), expected.encode("utf-8"))]
        if not matches:
            matches = [(user, role) for user, (role, _stored) in self.hashed.items()
                       if self.authenticate(user, password) is not None]
        if not matches:
            return None
        found = min(matches, key=lambda match: _RANK[match[1]])
        if len(self._keys) > 1000:
            self._keys.clear()
        self._keys[key] = found
        return found

    def role_of(self, user: str | None) -> str | None:
        """The role of a user name that logged in earlier (Gradio's cookie); the open role for nobody."""
        if user is None:
            return self.open_role
        if user in self.plain:
            return self.plain[user][0]
        if user in self.hashed:
            return self.hashed[user][0]
        return None


def read_users(path: Path) -> dict[str, tuple[str, str]]:
    """Parse a users file: one `name role scrypt$…` per line (# comments); make entries with `assistant users`."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"Cannot read the users file {path}: {exc.strerror or exc}.") from exc
    users: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3 or parts[1] not in ROLES or not parts[2].startswith("scrypt$"):
            raise ConfigError(f"{path}:{number}: expected 'name role scrypt$…' with role one of {', '.join(ROLES)}.")
        users[parts[0]] = (parts[1], parts[2])
    return users


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
# Which role a request needs

# Gradio endpoints that run an event: the event decides the role.
_EVENT_ROUTES = ("/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/", "/gradio_api/api/")
# Read without a login: the login page and what it is drawn with (Gradio guards its own page routes).
_PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/", "/favicon.ico", "/theme.css", "/manifest.json",
                    "/robots.txt", "/login", "/logout", "/config", "/gradio_api/login_check", "/gradio_api/startup-events")


@dataclass(frozen=True)
class Need:
    """What a request needs: a role (None = nothing), or the role of a Gradio event found in its body."""

    role: str | None
    event: bool = False


def route_role(method: str, path: str) -> Need:
    """The role an HTTP request needs, from its method and path alone (Gradio events: see AccessGuard)."""
    if path == "/" or path.startswith(_PUBLIC_PREFIXES):
        return Need(None)
    if is_openai_path(path):
        return Need(PARTICIPANT)  # a chat completion is a question (a POST that changes nothing)
    if path.startswith("/api/"):
        if path.startswith(("/api/documents", "/api/trash")) and method not in ("GET", "HEAD"):
            return Need(ADMIN)
        if path.startswith("/api/feedback"):
            return Need(TRAINER)
        return Need(PARTICIPANT)
    if path.startswith("/gradio_api/"):
        if method == "POST" and path.startswith(_EVENT_ROUTES):
            return Need(PARTICIPANT, event=True)
        if method in ("GET", "HEAD") or path.startswith(("/gradio_api/reset", "/gradio_api/cancel")):
            return Need(PARTICIPANT)  # results, files of this session's events, heartbeat
        return Need(ADMIN)  # /upload (only the admin's events take files), /component_server, /stream, …
    if method in ("GET", "HEAD"):
        return Need(PARTICIPANT)  # /docs, /openapi.json, anything else
    return Need(ADMIN)


def event_roles(demo: Any) -> tuple[dict[int, str], dict[str, str]]:
    """The role each Gradio event needs, by fn index and by API name (handlers marked with `requires`)."""
    by_index: dict[int, str] = {}
    by_name: dict[str, str] = {}
    for index, block_fn in demo.fns.items():
        role = getattr(block_fn.fn, "required_role", PARTICIPANT) if block_fn.fn is not None else PARTICIPANT
        by_index[int(index)] = role
        if block_fn.api_name:
            by_name[str(block_fn.api_name)] = role
    return by_index, by_name


def event_of(path: str, body: bytes) -> tuple[int | None, str | None]:
    """(fn_index, api_name) a Gradio event request names; Gradio prefers the fn_index of the body."""
    fn_index = None
    try:
        payload = json.loads(body or b"null")
        if isinstance(payload, dict) and isinstance(payload.get("fn_index"), int):
            fn_index = payload["fn_index"]
    except (ValueError, UnicodeDecodeError):
        pass
    name = None
    for prefix in ("/gradio_api/call/v2/", "/gradio_api/call/", "/gradio_api/run/", "/gradio_api/api/"):
        if path.startswith(prefix):
            name = path[len(prefix):].strip("/").split("/")[0] or None
            break
    return fn_index, name


# ---------------------------------------------------------------------------------------------
# Where a request comes from

def host_allowed(host_header: str, extra: frozenset[str] = frozenset()) -> bool:
    """True for an IP address, localhost or a name in `extra` (port ignored); a rebound DNS name is refused."""
    import ipaddress

    host = host_header.strip().lower()
    if host.startswith("["):  # [::1]:7860
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    if not host:
        return False
    if host == "localhost" or host in extra:
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def cross_site(headers: dict[bytes, bytes]) -> str | None:
    """Why a request looks sent by another site's page (Origin or Sec-Fetch-Site), else None."""
    fetch_site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
    if fetch_site == "cross-site":
        return "Sec-Fetch-Site: cross-site"
    origin = headers.get(b"origin")
    if origin is None:
        return None  # not a browser (curl, scripts): browsers send Origin with every cross-origin POST
    origin_text = origin.decode("latin-1").strip().lower()
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    if origin_text == "null" or "://" not in origin_text or origin_text.split("://", 1)[1].rstrip("/") != host:
        return f"Origin {origin_text} is not {host}"
    return None


# Body limits per route: uploads get the upload limit (plus room for the multipart envelope), questions 1 MB.
SMALL_BODY = 1024 * 1024


def body_limit(method: str, path: str, max_upload_mb: int) -> int:
    """The largest body a route accepts, in bytes."""
    if (method == "POST" and path.rstrip("/") in ("/api/documents", "/gradio_api/upload")):
        return max_upload_mb * 1024 * 1024 + 64 * 1024
    return SMALL_BODY


# ---------------------------------------------------------------------------------------------
# The middleware

MAX_FAILURES = 10
FAILURE_WINDOW = 300.0  # seconds


class AuditLog:
    """<data>/audit.log: one JSON line per state-changing request or refusal; readable by the server's user only."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def write(self, **entry: Any) -> None:
        """Append one entry (time added); a full disk loses the line, never the request."""
        line = json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **entry}, ensure_ascii=False)
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                with os.fdopen(fd, "a", encoding="utf-8") as f:
                    f.write(line + "\n")
        except OSError as exc:
            log.error("cannot write the audit log %s: %s", self.path, exc)


class AccessGuard:
    """ASGI middleware: who is asking, what the request needs, refused or passed on; for every HTTP request."""

    def __init__(self, app: Any, settings: Settings, accounts: Accounts, site: Any = None, demo: Any = None):
        self.app = app
        self.settings = settings
        self.accounts = accounts
        self.site = site  # the FastAPI app Gradio is mounted on: its login tokens live in the mounted sub-app
        self.demo = demo
        self.allowed_hosts = frozenset(h.strip().lower() for h in settings.allowed_hosts.split(",") if h.strip())
        self._gradio: Any = None
        self.audit = AuditLog(Path(settings.data_dir) / "audit.log")
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._events: tuple[dict[int, str], dict[str, str]] | None = None

    # -- who is asking --------------------------------------------------------------------------
    def _gradio_app(self) -> Any:
        if self._gradio is None and self.site is not None:
            for route in getattr(self.site, "routes", []):
                if hasattr(getattr(route, "app", None), "tokens"):
                    self._gradio = route.app
        return self._gradio

    def identify(self, headers: dict[bytes, bytes]) -> tuple[str | None, str | None, bool]:
        """(user, role, tried): HTTP Basic first, then a Bearer key (an account's password), then Gradio's login
        cookie; tried = credentials were sent."""

        header = headers.get(b"authorization", b"").decode("latin-1")
        creds = basic_credentials(header)
        if creds is not None:
            role = self.accounts.authenticate(*creds)
            return (creds[0], role, True) if role else (None, None, True)
        key = bearer_token(header)
        # Without any account there is no password to match: OpenAI clients insist on sending some key, and the
        # request is the open role's like any other.
        if key is not None and self.accounts.any:
            found = self.accounts.by_password(key)
            return (found[0], found[1], True) if found else (None, None, True)
        gradio_app = self._gradio_app()
        if gradio_app is not None and b"cookie" in headers:
            from http.cookies import SimpleCookie

            cookies = SimpleCookie()
            try:
                cookies.load(headers[b"cookie"].decode("latin-1"))
            except Exception:  # a malformed cookie header is no login
                cookies = SimpleCookie()
            for name in (f"access-token-{gradio_app.cookie_id}", f"access-token-unsecure-{gradio_app.cookie_id}"):
                if name in cookies:
                    user = gradio_app.tokens.get(cookies[name].value)
                    if user is not None:
                        return user, self.accounts.role_of(user), True
        return None, self.accounts.open_role, False

    def event_role(self, fn_index: int | None, name: str | None) -> str | None:
        """The role a Gradio event needs; None for an event this page does not have."""
        if self._events is None:
            self._events = event_roles(self.demo) if self.demo is not None else ({}, {})
        by_index, by_name = self._events
        if fn_index is not None:
            return by_index.get(fn_index)
        return by_name.get(name or "")

    def event_name(self, fn_index: int | None, name: str | None) -> str | None:
        """The handler's name of a Gradio event, for the audit log."""
        if fn_index is not None and self.demo is not None:
            block_fn = self.demo.fns.get(fn_index)
            return getattr(getattr(block_fn, "fn", None), "__name__", None) if block_fn else None
        return name

    # -- the check --------------------------------------------------------------------------------
    def _failed_recently(self, client: str) -> bool:
        failures = self._failures[client]
        while failures and failures[0] < time.monotonic() - FAILURE_WINDOW:
            failures.popleft()
        return len(failures) >= MAX_FAILURES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen: dict[str, Any] = {"user": None, "role": None, "event": None}

        method, path = scope["method"], scope.get("path", "")
        client = (scope.get("client") or ("?",))[0]

        async def observed(message: dict) -> None:
            if message["type"] == "http.response.start":  # recorded before the client can see the answer
                status = message["status"]
                if seen.get("bad_login") or (path.rstrip("/") == "/login" and method == "POST" and status == 400):
                    self._failures[client].append(time.monotonic())
                if method not in ("GET", "HEAD", "OPTIONS") or status in (401, 403, 413, 421, 429):
                    self.audit.write(client=client, user=seen["user"], role=seen["role"], method=method, path=path,
                                     event=seen["event"], status=status)
            await send(message)

        await self._check(scope, receive, observed, seen, client)

    async def _check(self, scope: Scope, receive: Receive, send: Send, seen: dict, client: str) -> None:
        method, path = scope["method"], scope.get("path", "")
        headers = dict(scope.get("headers") or [])
        seen["tried"] = b"authorization" in headers or path.rstrip("/") == "/login"
        if seen["tried"] and self._failed_recently(client):
            await refuse(send, path, 429,
                         f"too many failed logins from {client}: wait {int(FAILURE_WINDOW / 60)} minutes",
                         [(b"retry-after", str(int(FAILURE_WINDOW)).encode())])
            return
        if not host_allowed(headers.get(b"host", b"").decode("latin-1"), self.allowed_hosts):
            await refuse(send, path, 421, "unknown Host: open the server by its IP address or localhost "
                                          "(or add the name to ASSISTANT_ALLOWED_HOSTS)")
            return
        if method not in ("GET", "HEAD", "OPTIONS"):
            why = cross_site(headers)
            if why is not None:
                log.warning("refused a cross-site %s %s (%s)", method, path, why)
                await refuse(send, path, 403, "cross-site request refused")
                return
        need = route_role(method, path)
        user, role, tried = self.identify(headers)
        seen.update(user=user, role=role, bad_login=tried and user is None)
        if need.role is not None and not allows(role, need.role):
            await self.deny(send, path, need.role, user, role, tried)
            return
        limit = body_limit(method, path, self.settings.max_upload_mb)
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            await refuse(send, path, 400, "bad Content-Length")
            return
        if declared > limit:
            await refuse(send, path, 413, f"request body too large (at most {limit // 1024} KB here)")
            return
        if method in ("POST", "PUT", "PATCH", "DELETE") and b"content-length" not in headers:
            # A chunked body has no declared size: read it here, up to the limit, and hand it on.
            body = await read_body(receive, limit)
            if body is None:
                await refuse(send, path, 413, f"request body too large (at most {limit // 1024} KB here)")
                return
            receive = replay(body, receive)
        if method == "POST" and path.startswith("/gradio_api/") and not path.startswith("/gradio_api/upload"):
            body = await read_body(receive, limit)
            if body is None:
                await refuse(send, path, 413, "request body too large")
                return
            if need.event:
                fn_index, name = event_of(path, body)
                seen["event"] = self.event_name(fn_index, name)
                needed = self.event_role(fn_index, name)
                if needed is None:
                    await refuse(send, path, 404, "no such event")
                    return
                if not allows(role, needed):
                    log.warning("refused the %s event %s to %s (%s)", needed, path, user, role)
                    await self.deny(send, path, needed, user, role, tried)
                    return
            bad = foreign_file(body)
            if bad is not None:
                log.warning("refused a Gradio call naming the server file %r", bad)
                await refuse(send, path, 400, "only files uploaded through this page are accepted")
                return
            receive = replay(body, receive)
        await self.app(scope, receive, with_headers(send))

    async def deny(self, send: Send, path: str, needed: str, user: str | None, role: str | None, tried: bool) -> None:
        """401 without a (valid) login, 403 with a login whose role is too small."""
        if (role is None or not tried) and is_openai_path(path):
            message = ("Incorrect API key" if tried else "Missing API key: send Authorization: Bearer <key>") + \
                      "; the key is the password of your account on this server (the workshop password)"
            await refuse(send, path, 401, message, [(b"www-authenticate", b'Bearer realm="assistant"')],
                         code="invalid_api_key" if tried else "missing_api_key")
        elif role is None or not tried:
            who = f"user {ROLE_USERS[needed]!r} and the {needed} password" if needed in ROLE_USERS else "your user name and password"
            message = ("wrong user name or password" if tried else "login required") + f" (HTTP Basic: {who})"
            await refuse(send, path, 401, message, [(b"www-authenticate", b'Basic realm="assistant"')])
        else:
            await refuse(send, path, 403, f"this needs the {needed} role; {user or 'you'} ({role}) may not")


# Sent with every response: no page may frame this one (clickjacking of the delete button), no MIME sniffing,
# no address of this server leaked to links followed from a document.
SECURITY_HEADERS = [(b"x-frame-options", b"DENY"), (b"content-security-policy", b"frame-ancestors 'none'"),
                    (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]


def with_headers(send: Send) -> Send:
    """`send` adding SECURITY_HEADERS to the response start."""

    async def wrapped(message: dict) -> None:
        if message["type"] == "http.response.start":
            names = {k.lower() for k, _ in message.get("headers", [])}
            message = dict(message, headers=[*message.get("headers", []),
                                              *(h for h in SECURITY_HEADERS if h[0] not in names)])
        await send(message)

    return wrapped


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


async def refuse(send: Send, path: str, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None,
                 code: str | None = None) -> None:
    """Answer with the API's error shape {"error": message}, or OpenAI's under /v1 (with `code`, else the status's)."""
    body = openai_error(status, message, code) if is_openai_path(path) else {"error": message}
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            *SECURITY_HEADERS, *(headers or [])]})
    await send({"type": "http.response.body", "body": data})
