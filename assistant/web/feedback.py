"""Feedback on answers (thumbs up/down, wrong source, a free-text note), kept in a local SQLite file.

Usage::

    store = FeedbackStore(settings.data_dir / "feedback.sqlite3")
    fid = store.record("wrong_source", question="Ai chủ trì…?", answer="…", citations=[...])
    store.add_note(fid, "Nguồn [2] là kế hoạch cũ")
    csv_text = store.to_csv()
"""
from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from ..errors import DiskFull, UsageError
from ..pgstore import CONTROL, SETUP_LOCK, database
from ..text import printable, spreadsheet_safe

KINDS = ("up", "down", "wrong_source")
MAX_NOTE_CHARS = 4000
COLUMNS = ("id", "created_at", "kind", "question", "answer", "citations", "note", "language", "session")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    session TEXT NOT NULL DEFAULT ''
)
"""


class FeedbackStore:
    """One SQLite file; a connection per call so any server thread may write."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()  # SQLite serialises writers anyway; this avoids "database is locked" retries
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Every participant's questions and notes: readable by the server's user only.
            os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))
            os.chmod(self.path, 0o600)
        conn = sqlite3.connect(self.path, timeout=10)
        if not self._ready:
            conn.execute(_SCHEMA)
            conn.commit()
            self._ready = True
        return conn

    @contextlib.contextmanager
    def _writing(self):
        """A connection for a write; a full disk is said plainly instead of an internal error."""
        try:
            with self._lock, self._connect() as conn:
                yield conn
        except (sqlite3.OperationalError, OSError) as exc:
            if "full" in str(exc).lower() or getattr(exc, "errno", None) == errno.ENOSPC:
                raise DiskFull("Đĩa của máy chủ đã đầy: góp ý chưa được lưu. / The server's disk is full: "
                               "the feedback was not saved.") from exc
            raise

    def record(
        self,
        kind: str,
        question: str,
        answer: str,
        citations: Sequence[dict[str, Any]] = (),
        note: str = "",
        language: str = "",
        session: str = "",
    ) -> int:
        """Store one piece of feedback and return its id."""
        if kind not in KINDS:
            raise UsageError(f"Unknown feedback kind {kind!r}: use one of {', '.join(KINDS)}.")
        row = (
            time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            kind,
            question,
            answer,
            json.dumps(list(citations), ensure_ascii=False),
            (note or "")[:MAX_NOTE_CHARS],
            language,
            session,
        )
        with self._writing() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created_at, kind, question, answer, citations, note, language, session)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cur.lastrowid)

    def change_vote(self, feedback_id: int, kind: str) -> None:
        """Replace the vote of an earlier piece of feedback: one vote per answer, the last one counts.

        A note written for the old vote ("source [2] is wrong") would contradict the new one, so it goes."""
        if kind not in KINDS:
            raise UsageError(f"Unknown feedback kind {kind!r}: use one of {', '.join(KINDS)}.")
        with self._writing() as conn:
            cur = conn.execute(
                "UPDATE feedback SET kind = ?, created_at = ?, note = CASE WHEN kind = ? THEN note ELSE '' END"
                " WHERE id = ?", (kind, time.strftime("%Y-%m-%dT%H:%M:%S%z"), kind, int(feedback_id)))
            if cur.rowcount == 0:
                raise UsageError(f"No feedback with id {feedback_id}.")

    def add_note(self, feedback_id: int, note: str) -> None:
        """Attach (or replace) the free-text note of an earlier piece of feedback."""
        with self._writing() as conn:
            cur = conn.execute("UPDATE feedback SET note = ? WHERE id = ?", ((note or "")[:MAX_NOTE_CHARS], int(feedback_id)))
            if cur.rowcount == 0:
                raise UsageError(f"No feedback with id {feedback_id}.")

    def rows(self) -> list[dict[str, Any]]:
        """Every piece of feedback, oldest first."""
        with self._lock, self._connect() as conn:
            cur = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id")
            return [dict(zip(COLUMNS, r)) for r in cur.fetchall()]

    def to_csv(self) -> str:
        """All feedback as CSV text (UTF-8 with a BOM so Excel shows Vietnamese correctly)."""
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in self.rows():
            writer.writerow([_safe_cell(row[c]) for c in COLUMNS])
        return out.getvalue()


def _safe_cell(value: Any) -> Any:
    # A note typed as "=HYPERLINK(...)" must not become a formula when the CSV is opened in Excel.
    return spreadsheet_safe(printable(value) if isinstance(value, str) else value)


# --- the shared PostgreSQL store (ASSISTANT_STORE) -----------------------------------------------------
class PgFeedbackStore:
    """feedback.FeedbackStore in the shared database: what a room says reaches the trainers on every replica."""

    def __init__(self, uri: str):
        self.db = database(uri)
        self._table = f"{CONTROL}.feedback"
        with self.db.conn.transaction():
            self.db.conn.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK,))
            self.db.conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} (id bigserial PRIMARY KEY, created_at text NOT NULL, "
                "kind text NOT NULL, question text NOT NULL, answer text NOT NULL, citations text NOT NULL, "
                "note text NOT NULL DEFAULT '', language text NOT NULL DEFAULT '', session text NOT NULL DEFAULT '')")

    def record(self, kind: str, question: str, answer: str, citations: Sequence[dict] = (), note: str = "",
               language: str = "", session: str = "") -> int:
        """Store one piece of feedback and return its id."""
        if kind not in KINDS:
            raise UsageError(f"Unknown feedback kind {kind!r}: use one of {', '.join(KINDS)}.")
        row = (time.strftime("%Y-%m-%dT%H:%M:%S%z"), kind, _clean(question), _clean(answer),
               _clean(json.dumps(list(citations), ensure_ascii=False)), _clean((note or "")[:MAX_NOTE_CHARS]),
               language, session)
        return int(self.db.query(f"INSERT INTO {self._table} (created_at, kind, question, answer, citations, note, "
                                 "language, session) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id", row)[0][0])

    def change_vote(self, feedback_id: int, kind: str) -> None:
        """Replace the vote of an earlier piece of feedback (a note written for the old vote goes)."""
        if kind not in KINDS:
            raise UsageError(f"Unknown feedback kind {kind!r}: use one of {', '.join(KINDS)}.")
        rows = self.db.query(f"UPDATE {self._table} SET kind = %s, created_at = %s, note = CASE WHEN kind = %s "
                             "THEN note ELSE '' END WHERE id = %s RETURNING id",
                             (kind, time.strftime("%Y-%m-%dT%H:%M:%S%z"), kind, int(feedback_id)))
        if not rows:
            raise UsageError(f"No feedback with id {feedback_id}.")

    def add_note(self, feedback_id: int, note: str) -> None:
        """Attach (or replace) the free-text note of an earlier piece of feedback."""
        rows = self.db.query(f"UPDATE {self._table} SET note = %s WHERE id = %s RETURNING id",
                             (_clean((note or "")[:MAX_NOTE_CHARS]), int(feedback_id)))
        if not rows:
            raise UsageError(f"No feedback with id {feedback_id}.")

    def rows(self) -> list[dict[str, Any]]:
        """Every piece of feedback, oldest first."""
        found = self.db.query(f"SELECT {', '.join(COLUMNS)} FROM {self._table} ORDER BY id")
        return [dict(zip(COLUMNS, r)) for r in found]

    def to_csv(self) -> str:
        """All feedback as CSV text (the same shape as the SQLite store's)."""
        return FeedbackStore.to_csv(self)  # type: ignore[arg-type]


def _clean(text: str) -> str:
    # PostgreSQL text holds neither NUL nor lone surrogates (SQLite does): keep what can be kept.
    return re.sub("[\x00\ud800-\udfff]", "\ufffd", text or "")
