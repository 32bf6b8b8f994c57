"""What the running server shares between the web page and the HTTP API: one Assistant, indexing in a
background thread, document uploads and deletions, feedback.

Usage::

    service = Service(Settings.from_env())
    service.start()                 # opens (or builds) the index in the background
    service.wait_ready(600)
    answer = service.ask("Ai chủ trì hỗ trợ nạn nhân?")
"""
from __future__ import annotations

import atexit
import contextlib
import errno
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
import weakref
from pathlib import Path
from typing import Any, Callable, Iterator

from ..assistant import Assistant, check_question
from ..config import Settings
from ..errors import (
    AssistantError,
    DocumentError,
    IndexCorruptError,
    IndexMissingError,
    NotFound,
    UsageError,
)
from ..load import (
    DEFAULT_MAX_UNZIPPED_BYTES, DEFAULT_MAX_ZIP_RATIO, LoadError, check_zip, decode_text, load_document,
    make_doc_id,
)
from ..ocr import ocr_unavailable
from ..pgstore import sync_documents
from ..progress import progress_bar
from .access import Accounts
from .feedback import FeedbackStore, PgFeedbackStore

log = logging.getLogger(__name__)

NOT_READY = "Đang lập chỉ mục… / the index is still being built — try again in a moment."
DISK_FULL = ("Đĩa của máy chủ đã đầy: tệp chưa được lưu, các câu hỏi vẫn được trả lời; hãy giải phóng dung lượng "
             "rồi tải lên lại. / The server's disk is full: the file was not saved (answers go on); free some space "
             "and upload again.")
UPLOAD_SUFFIXES = (".pdf", ".docx", ".doc", ".rtf", ".odt", ".txt", ".md")


# Indexing jobs still running when the process exits are let finish (bounded): torch's worker threads torn down
# under a running job abort the whole process ("terminate called without an active exception", exit 134), and a job
# that finishes writes its index whole.
EXIT_WAIT_SECONDS = 120.0
_JOBS: "weakref.WeakSet[threading.Thread]" = weakref.WeakSet()


@atexit.register
def _finish_jobs() -> None:
    deadline = time.monotonic() + EXIT_WAIT_SECONDS
    for thread in list(_JOBS):
        thread.join(max(0.0, deadline - time.monotonic()))


class Service:
    """One Assistant behind a readiness flag, a background indexer and an answer-slot semaphore."""

    def __init__(self, settings: Settings, bot: Assistant | None = None, *, embedder: Any = None, terminal_progress: bool = False):
        self.settings = settings
        self.bot = bot if bot is not None else Assistant(settings, embedder=embedder)
        self.feedback = feedback_store(settings)
        self.accounts = Accounts.from_settings(settings)
        self.terminal_progress = terminal_progress
        # Answering is CPU work; more parallel answers than this only make every answer slower.
        self._slots = threading.BoundedSemaphore(max(1, settings.concurrency))
        self._lock = threading.Lock()
        self._upload_lock = threading.Lock()
        self._placed: dict[str, Path] = {}  # sha256 → file placed by an upload, until the index has it
        self.housekeeping_interval = 3600.0
        self._housekeeper: threading.Thread | None = None
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._pending = False
        self._state: dict[str, Any] = {"state": "starting", "stage": "", "done": 0, "total": 0,
                                       "message": "", "error": "", "generation": 0, "finished_at": None}
        if bot is not None and getattr(bot, "_store", None) is not None:
            self._ready.set()
            self._state["state"] = "ready"

    # -- readiness and indexing ----------------------------------------------------------
    @property
    def ready(self) -> bool:
        """True once the index is open and the model loaded."""
        return self._ready.is_set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until ready (or the timeout passes); True when ready."""
        return self._ready.wait(timeout)

    def status(self) -> dict[str, Any]:
        """A snapshot of the indexing state (for progress bars and /api/health)."""
        with self._lock:
            return dict(self._state, ready=self.ready, running=self._thread is not None and self._thread.is_alive())

    def start(self) -> None:
        """Open or build the index and load the model in the background (returns at once); tidy up leftovers
        now and every `housekeeping_interval` seconds."""
        self._start_housekeeping()
        if self.settings.store:
            self._watch_store()
        if self.ready:
            return
        self._launch("warmup")

    def _watch_store(self) -> None:
        """With a shared store, switch to the generation another replica published (every store_poll seconds)
        and keep the documents folder a working copy of the store's documents."""
        def loop() -> None:
            synced = False
            while not self._stop.wait(self.settings.store_poll):
                if not self.ready or (self._thread is not None and self._thread.is_alive()):
                    continue  # warming up or building here: this replica's own build switches it
                try:
                    switched = self.bot.refresh()
                    if switched or not synced:
                        sync_documents(self.settings)
                        synced = True
                except AssistantError as exc:
                    log.warning("cannot follow the shared store: %s", exc)
                    continue
                if switched:
                    with self._lock:
                        self._state.update(message=f"generation {self.bot.store.generation} from the shared store",
                                           finished_at=time.time(), generation=self._state["generation"] + 1)
                    log.info("switched to generation %s of the shared store", self.bot.store.generation)

        threading.Thread(target=loop, name="assistant-store-watch", daemon=True).start()

    def _start_housekeeping(self) -> None:
        if self._housekeeper is not None:
            return
        self.housekeeping()

        def loop() -> None:
            while not self._stop.wait(self.housekeeping_interval):
                self.housekeeping()

        self._housekeeper = threading.Thread(target=loop, name="assistant-housekeeping", daemon=True)
        self._housekeeper.start()

    def housekeeping(self) -> int:
        """Remove upload staging files older than an hour (a crash mid-upload leaves them) and exports older than
        a day; returns how many files went."""
        removed = 0
        now = time.time()
        stale: list[Path] = [p for p in self.settings.documents_dir.glob(".upload-*") if _age(p, now) > 3600]
        exports = Path(tempfile.gettempdir())
        for folder in [*exports.glob("assistant-export-*"), *exports.glob("assistant-feedback-*")]:
            stale += [folder] if _age(folder, now) > 86400 else []
        for path in stale:
            with contextlib.suppress(OSError):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
                removed += 1
        if removed:
            log.info("housekeeping removed %d stale files", removed)
        return removed

    def reindex(self) -> bool:
        """Re-index the documents folder in the background; a request made while one runs is queued."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._pending = True
                return False
        self._launch("reindex")
        return True

    def _launch(self, job: str) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._pending = True
                return
            self._state.update(state="indexing" if job == "reindex" else "starting", stage="", done=0, total=0, error="",
                               message="")
            self._thread = threading.Thread(target=self._run, args=(job,), name=f"assistant-{job}", daemon=True)
            _JOBS.add(self._thread)
            self._thread.start()

    def _progress(self) -> Callable[[str, int, int], None]:
        bar = None
        if self.terminal_progress:
            bar = progress_bar()

        def update(stage: str, done: int, total: int) -> None:
            with self._lock:
                self._state.update(stage=stage, done=done, total=total)
            if bar is not None:
                bar(stage, done, total)

        return update

    def _run(self, job: str) -> None:
        if job == "reindex":
            _yield_cpu_to_answers()
        while True:
            with self._lock:
                self._pending = False
            t0 = time.perf_counter()
            try:
                if job == "warmup":
                    try:
                        self.bot.warm_up(progress=self._progress())
                    except IndexCorruptError as exc:
                        # A damaged index file: participants would read a CLI command and server paths until an
                        # admin re-indexed. Rebuild it here, in the background; meanwhile they see "not ready".
                        log.warning("the index is damaged (%s): rebuilding it", exc)
                        with self._lock:
                            self._state.update(state="indexing", message="rebuilding a damaged index")
                        self.bot.reindex(progress=self._progress(), rebuild=True)
                    self.bot.embedder.warm_up_queries()  # the first question should not pay for loading the model
                    message = f"ready in {time.perf_counter() - t0:.1f} s"
                else:
                    report = self.bot.reindex(progress=self._progress())
                    message = (f"{report.documents} documents, {report.chunks} chunks "
                               f"({report.embedded} embedded) in {report.seconds:.1f} s")
                self._ready.set()
                with self._lock:
                    self._state.update(state="ready", message=message, error="", finished_at=time.time(),
                                       generation=self._state["generation"] + 1)
                log.info("%s: %s", job, message)
                if self.terminal_progress:
                    print(f"[assistant] {'index ready' if job == 'warmup' else 're-indexed'}: {message}", flush=True)
            except AssistantError as exc:
                with self._lock:
                    self._state.update(state="error", error=str(exc), finished_at=time.time())
                log.error("%s failed: %s", job, exc)
                if self.terminal_progress:
                    print(f"[assistant] {job} failed: {exc}", flush=True)
            except Exception:  # a bug: keep the traceback in the log, show people a short message
                log.exception("%s failed", job)
                with self._lock:
                    self._state.update(state="error", error="indexing failed (see the server log)", finished_at=time.time())
            with self._lock:
                if not self._pending:
                    return
            job = "reindex" if self.ready else "warmup"

    def require_ready(self) -> None:
        """Raise IndexMissingError while the index is still being opened or built."""
        if not self.ready:
            error = self.status()["error"]
            raise IndexMissingError(error or NOT_READY)

    # -- questions ------------------------------------------------------------------------
    def search(self, question: str, k: int | None = None, filters: dict | None = None, mode: str = "hybrid"):
        """bot.search behind the readiness check and the answer slots."""
        check_text(question)
        self.require_ready()
        with self._slots:
            return self.bot.search(question, k=k, filters=filters, mode=mode)

    def ask(self, question: str, history: list | None = None, filters: dict | None = None, generate: bool = True):
        """bot.ask behind the readiness check and the answer slots."""
        check_text(question, *(getattr(a, "question", "") for a in history or []))
        self.require_ready()
        with self._slots:
            return self.bot.ask(question, history=history or [], filters=filters, generate=generate)

    def stream(self, question: str, history: list | None = None, filters: dict | None = None,
               generate: bool = True) -> Iterator[Any]:
        """bot.stream behind the readiness check and the answer slots."""
        check_question(question)
        check_text(question)
        self.require_ready()
        with self._slots:
            yield from self.bot.stream(question, history=history or [], filters=filters, generate=generate)

    # -- documents -------------------------------------------------------------------------
    def documents(self) -> dict[str, list[dict]]:
        """{"documents": [...], "problems": [...]} (empty lists until the index is open)."""
        if not self.ready:
            return {"documents": [], "problems": []}
        # Paths relative to the documents folder: where the server keeps its files is nobody's business.
        return {"documents": [self._relative(d) for d in self.bot.documents()],
                "problems": [self._relative(p) for p in self.bot.problems()]}

    def _relative(self, row: dict) -> dict:
        path = row.get("path")
        if not path:
            return row
        folder = self.settings.documents_dir.resolve()
        try:
            shown = Path(path).resolve().relative_to(folder).as_posix()
        except ValueError:
            shown = Path(path).name
        return dict(row, path=shown)

    def add_document(self, filename: str, data: bytes) -> str:
        """Check an uploaded file, store it under a safe generated name in the documents folder, re-index.
        (Only the admin gets here: access.AccessGuard checks roles for every route.)"""
        self.require_ready()
        suffix = check_upload(filename, data, self.settings.max_upload_mb)
        digest = hashlib.sha256(data).hexdigest()
        self._check_new(digest)
        folder = self.settings.documents_dir
        folder.mkdir(parents=True, exist_ok=True)
        # Parse the staged copy with the real loader before it enters the folder: a file that would only
        # become a "problem" (no text layer, broken zip) is refused now, with the loader's reason.
        fd, staged = tempfile.mkstemp(prefix=".upload-", suffix=suffix, dir=folder)  # hidden: the loader skips it
        try:
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
            except OSError as exc:
                if exc.errno == errno.ENOSPC:
                    raise DocumentError(DISK_FULL) from exc
                raise
            try:
                load_document(staged, max_bytes=self.settings.max_upload_mb * 1024 * 1024)
            except LoadError as exc:
                # A scan is read by OCR in the background re-index (slow: seconds a page), not in this request.
                if not ("needs OCR" in str(exc) and self.settings.ocr and ocr_unavailable(self.settings.ocr_language) is None):
                    raise DocumentError(f"Không đọc được tệp / cannot read the file: {exc}") from exc
            # Choosing the name and moving the file in is one step under a lock: two uploads of the same name
            # at the same time would otherwise both pick it, and the second would replace the first.
            with self._upload_lock:
                self._check_new(digest)
                target = safe_name(filename, suffix, folder, taken=set(self.bot.store.documents))
                os.replace(staged, target)
                self._placed[digest] = target
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(staged)
        log.info("uploaded %s as %s", filename, target.name)
        self.reindex()
        return target.name

    def _check_new(self, digest: str) -> None:
        """Raise DocumentError when a file with these bytes is indexed or was just placed in the folder."""
        for doc in self.bot.store.documents.values():
            if doc.sha256 == digest:
                raise DocumentError(f"Tài liệu này đã có: {doc.title} / this document is already indexed ({doc.doc_id}).")
        placed = self._placed.get(digest)
        if placed is not None and placed.exists():
            raise DocumentError(f"Tài liệu này vừa được tải lên / this document was just uploaded ({placed.name}); "
                                "it is already indexed or being indexed.")

    @property
    def trash_dir(self) -> Path:
        """Deleted documents wait here (inside the data folder) until restored."""
        return self.settings.data_dir / "trash"

    def delete_document(self, doc_id: str) -> str:
        """Move a document's file to the trash and re-index; returns the trash entry (restore_document undoes it)."""
        self.require_ready()
        doc = self.bot.store.documents.get(doc_id)
        folder = self.settings.documents_dir.resolve()
        path = Path(doc.path).resolve() if doc is not None else None
        if path is None or not path.exists():
            raise NotFound(f"Không có tài liệu {doc_id!r} / no such document.")
        if folder not in path.parents:
            raise DocumentError(f"{path.name} is not inside the documents folder; remove it by hand.")
        self.trash_dir.mkdir(parents=True, exist_ok=True)
        entry = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}--{path.name}"
        shutil.move(str(path), self.trash_dir / entry)
        log.info("deleted %s (trash: %s)", path, entry)
        self.reindex()
        return entry

    def trash(self) -> list[dict[str, str]]:
        """Deleted documents, newest first: [{"entry", "file"}]."""
        if not self.trash_dir.is_dir():
            return []
        entries = sorted((p.name for p in self.trash_dir.iterdir() if "--" in p.name), reverse=True)
        return [{"entry": e, "file": e.split("--", 1)[1]} for e in entries]

    def restore_document(self, entry: str) -> str:
        """Move a trash entry back into the documents folder and re-index; returns the file name."""
        self.require_ready()
        source = (self.trash_dir / Path(entry).name)
        if "--" not in entry or Path(entry).name != entry or not source.is_file():
            raise NotFound(f"Không có trong thùng rác / not in the trash: {entry!r}.")
        target = self.settings.documents_dir / entry.split("--", 1)[1]
        if target.exists():
            raise DocumentError(f"{target.name} đã có lại / is back already: rename or delete it first.")
        shutil.move(str(source), target)
        log.info("restored %s", target)
        self.reindex()
        return target.name


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except OSError:
        return 0.0


def export_folder(kind: str, name: str | None = None) -> Path:
    """A private folder (0700) for files offered for download: <tmp>/assistant-export-<kind>-<name>; housekeeping
    removes it after a day."""
    folder = Path(tempfile.gettempdir()) / f"assistant-export-{kind}-{name or uuid.uuid4().hex[:12]}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def private(path: Path) -> Path:
    """Make a written file readable by the server's user only (0600) and return it."""
    os.chmod(path, 0o600)
    return path


def check_text(*texts: str) -> None:
    """Raise UsageError for text no file or index can hold: a lone UTF-16 surrogate (JSON allows "\\ud800")."""
    for text in texts:
        if isinstance(text, str) and any("\ud800" <= c <= "\udfff" for c in text):
            raise UsageError("The question contains an invalid character (a lone UTF-16 surrogate such as \\ud800); "
                             "retype it.")


def _yield_cpu_to_answers() -> None:
    """Lower this thread's CPU priority (Linux: nice applies per thread, and the embedder's worker threads
    started from it inherit it). A re-index while a room is asking halved the answers per second and doubled
    their p95 at normal priority (assistant bench concurrency); people asking come first, the index can wait."""
    if hasattr(os, "setpriority") and hasattr(threading, "get_native_id"):
        tid = threading.get_native_id()
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + 10))


def check_upload(filename: str, data: bytes, max_mb: int) -> str:
    """Check an upload's type by content and its size; return its lower-case suffix. Raises DocumentError."""
    suffix = Path((filename or "").replace("\\", "/")).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise DocumentError("Chỉ nhận .pdf, .docx, .doc, .rtf, .odt, .txt, .md / only .pdf, .docx, .doc, .rtf, .odt, .txt and .md "
                            f"files (got {suffix or 'no extension'}).")
    if not data:
        raise DocumentError("Tệp rỗng / the file is empty.")
    if len(data) > max_mb * 1024 * 1024:
        raise DocumentError(f"Tệp quá lớn / file too large: {len(data) / 1048576:.1f} MB > {max_mb} MB.")
    try:
        if suffix == ".pdf":
            if b"%PDF-" not in data[:1024]:
                raise DocumentError("Tệp không phải PDF / not a PDF (no %PDF header).")
        elif suffix == ".docx":
            check_zip(data, DEFAULT_MAX_UNZIPPED_BYTES, DEFAULT_MAX_ZIP_RATIO)  # zip with word/document.xml, no bomb
        elif suffix == ".odt":
            check_zip(data, DEFAULT_MAX_UNZIPPED_BYTES, DEFAULT_MAX_ZIP_RATIO, required="content.xml", kind=".odt")
        elif suffix in (".doc", ".rtf"):
            pass  # binary Word or RTF: the loader's real read of the staged copy decides
        else:
            decode_text(data)
    except LoadError as exc:
        raise DocumentError(f"Không đọc được tệp / cannot read the file: {exc}") from exc
    return suffix


def safe_name(filename: str, suffix: str, folder: Path, taken: set[str] = frozenset()) -> Path:
    """A new file name inside `folder` made from the upload's name: ASCII slug, no directories, no clash."""
    stem = Path((filename or "").replace("\\", "/")).name
    stem = stem[: -len(suffix)] if stem.lower().endswith(suffix) else stem
    slug = make_doc_id(stem)[:80].strip("-") or "document"
    candidate, n = slug, 2
    while candidate in taken or (folder / f"{candidate}{suffix}").exists() or any(folder.glob(f"{candidate}.*")):
        candidate, n = f"{slug}-{n}", n + 1
    target = (folder / f"{candidate}{suffix}").resolve()
    if target.parent != folder.resolve():  # cannot happen with a slug; refuse rather than trust it
        raise DocumentError("invalid file name")
    return target


def feedback_store(settings: Settings):
    """The feedback store of these settings: SQLite in the data folder, or the shared PostgreSQL store."""
    if settings.store:
        return PgFeedbackStore(settings.store)
    return FeedbackStore(settings.data_dir / "feedback.sqlite3")
