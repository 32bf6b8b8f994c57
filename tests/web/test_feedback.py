"""Feedback storage: SQLite rows, notes, CSV export."""
from __future__ import annotations

import csv
import io
import threading

import pytest

from assistant.errors import UsageError
from assistant.web.feedback import FeedbackStore


def test_feedback_round_trips_through_sqlite_and_csv(tmp_path):
    store = FeedbackStore(tmp_path / "sub" / "feedback.sqlite3")
    fid = store.record("wrong_source", "Ai chủ trì hỗ trợ nạn nhân?", "Sở Tư pháp chủ trì [1]",
                       [{"n": 1, "doc_id": "ninh-binh", "start": 3, "end": 9}], language="vi", session="abc")
    store.add_note(fid, "Nguồn [1] là kế hoạch cũ, dòng 2\ncó dấu phẩy, \"ngoặc\"")
    store.record("up", "Who leads?", "The Department of Justice [1]")
    rows = store.rows()
    assert [r["kind"] for r in rows] == ["wrong_source", "up"]
    assert rows[0]["note"].startswith("Nguồn [1]")
    text = store.to_csv()
    assert text.startswith("\ufeff")  # Excel needs the BOM to show Vietnamese
    parsed = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert parsed[0]["question"] == "Ai chủ trì hỗ trợ nạn nhân?"
    assert parsed[0]["note"] == "Nguồn [1] là kế hoạch cũ, dòng 2\ncó dấu phẩy, \"ngoặc\""
    assert '"doc_id": "ninh-binh"' in parsed[0]["citations"]
    assert parsed[1]["kind"] == "up" and parsed[1]["session"] == ""


def test_formula_like_cells_are_defused(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.record("down", "=HYPERLINK(\"http://x\")", "ok", note="+1")
    row = list(csv.DictReader(io.StringIO(store.to_csv().lstrip("\ufeff"))))[0]
    assert row["question"].startswith("'=") and row["note"] == "'+1"


def test_unknown_kind_and_missing_id_are_refused(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    with pytest.raises(UsageError, match="kind"):
        store.record("meh", "q", "a")
    with pytest.raises(UsageError, match="No feedback"):
        store.add_note(42, "x")


def test_concurrent_writers_lose_nothing(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")

    def write(n: int) -> None:
        for i in range(10):
            store.record("up", f"q{n}-{i}", "a")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.rows()) == 80


def test_a_changed_vote_replaces_the_first_and_drops_its_note(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    fid = store.record("wrong_source", "q", "a", note="nguồn [2] sai")
    store.change_vote(fid, "wrong_source")
    assert [(r["kind"], r["note"]) for r in store.rows()] == [("wrong_source", "nguồn [2] sai")]
    store.change_vote(fid, "up")
    assert [(r["kind"], r["note"]) for r in store.rows()] == [("up", "")]
    with pytest.raises(UsageError, match="kind"):
        store.change_vote(fid, "meh")
    with pytest.raises(UsageError, match="No feedback"):
        store.change_vote(fid + 1, "up")


def test_the_feedback_database_is_readable_by_the_server_user_only(tmp_path):
    import stat

    from assistant.web.feedback import FeedbackStore

    store = FeedbackStore(tmp_path / "data" / "feedback.sqlite3")
    store._connect().close()
    assert stat.S_IMODE((tmp_path / "data" / "feedback.sqlite3").stat().st_mode) == 0o600
