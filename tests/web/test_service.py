"""The server's shared state: upload checks by content, safe file names, background re-indexing."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.web.service import Service, check_upload, safe_name


def _docx_bytes(text: str) -> bytes:
    from docx import Document

    buf = io.BytesIO()
    doc = Document()
    doc.add_paragraph(text)
    doc.save(buf)
    return buf.getvalue()


def _pdf_bytes(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def _zip_without_document() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a word file")
    return buf.getvalue()


def test_real_files_pass_the_content_checks():
    assert check_upload("kế hoạch.docx", _docx_bytes("Kế hoạch"), 20) == ".docx"
    assert check_upload("plan.PDF", _pdf_bytes("Plan 2024"), 20) == ".pdf"
    assert check_upload("ghi-chu.txt", "Kế hoạch phòng, chống mua bán người".encode(), 20) == ".txt"
    assert check_upload("notes.md", b"# Notes\n", 20) == ".md"


@pytest.mark.parametrize("name, data, reason", [
    ("virus.exe", b"MZ\x90\x00", "only .pdf"),
    ("empty.txt", b"", "empty"),
    ("fake.pdf", b"<html>not a pdf</html>", "not a PDF"),
    ("fake.docx", b"%PDF-1.7 renamed", "zip"),
    ("nodoc.docx", _zip_without_document(), "word/document.xml"),
    ("binary.txt", bytes(range(256)) * 8, "not text"),
    ("big.txt", b"a" * (1024 * 1024 + 1), "too large"),
])
def test_bad_uploads_are_refused_with_a_reason(name, data, reason):
    with pytest.raises(DocumentError, match=reason):
        check_upload(name, data, 1)


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\evil.md", "evil.md"),
    ("Kế hoạch 22 năm 2024.docx", "ke-hoach-22-nam-2024.docx"),
    ("/abs/path/<script>.pdf", "script.pdf"),
    ("....pdf", "document.pdf"),
])
def test_safe_names_stay_inside_the_folder(tmp_path, name, expected):
    suffix = Path(name.replace("\\", "/")).suffix.lower()
    target = safe_name(name, suffix, tmp_path)
    assert target.parent == tmp_path.resolve()
    assert target.name == expected


def test_safe_names_never_overwrite_or_clash_with_a_document_id(tmp_path):
    (tmp_path / "plan.txt").write_text("x")
    assert safe_name("plan.txt", ".txt", tmp_path).name == "plan-2.txt"
    assert safe_name("plan.docx", ".docx", tmp_path).name == "plan-2.docx"  # doc ids come from the stem
    assert safe_name("other.md", ".md", tmp_path, taken={"other"}).name == "other-2.md"


@pytest.fixture()
def tiny_service(tmp_path, make_bot, one_plan_folder):
    bot = make_bot(one_plan_folder)
    service = Service(bot.settings.replace(data_dir=tmp_path / "data", admin_password="admin-password"), bot=bot)
    service.start()
    assert service.wait_ready(300)
    return service


def _wait_reindexed(service: Service) -> None:
    import time

    deadline = time.monotonic() + 300
    while service.status()["running"]:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert service.status()["state"] == "ready", service.status()


def test_upload_and_delete_reindex_in_the_background(tiny_service):
    sentence = "Trạm kiểm soát Cầu Treo tiếp nhận nạn nhân trở về vào ngày thứ Năm hằng tuần."
    data = _docx_bytes(sentence)
    name = tiny_service.add_document("../Tài liệu mới.docx", data)
    assert name == "tai-lieu-moi.docx"
    assert (tiny_service.settings.documents_dir / name).is_file()
    _wait_reindexed(tiny_service)
    assert "tai-lieu-moi" in tiny_service.bot.store.documents
    answer = tiny_service.ask("Trạm kiểm soát Cầu Treo tiếp nhận nạn nhân khi nào?")
    assert answer.found and answer.citations[0].doc_id == "tai-lieu-moi"

    with pytest.raises(DocumentError, match="already"):
        tiny_service.add_document("again.docx", data)

    entry = tiny_service.delete_document("tai-lieu-moi")
    assert not (tiny_service.settings.documents_dir / name).exists()
    assert (tiny_service.trash_dir / entry).is_file()  # in the trash, restorable
    _wait_reindexed(tiny_service)
    assert "tai-lieu-moi" not in tiny_service.bot.store.documents
    with pytest.raises(DocumentError, match="no such document"):
        tiny_service.delete_document("tai-lieu-moi")


def test_a_pdf_without_text_is_refused_at_upload_when_nothing_can_read_it(tiny_service):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()  # a page with no text layer, like a scan
    tiny_service.settings = tiny_service.settings.replace(ocr=False)  # as on a machine without Tesseract
    with pytest.raises(DocumentError, match="OCR"):
        tiny_service.add_document("scan.pdf", bytes(pdf.output()))
    assert not list(tiny_service.settings.documents_dir.glob("scan*"))
    assert not list(tiny_service.settings.documents_dir.glob(".upload-*"))


def test_a_scanned_pdf_upload_is_accepted_and_read_by_ocr_in_the_background(tiny_service):
    """OCR takes seconds a page: the upload returns at once, the re-index reads the scan and reports a page
    that holds no text, as it reports any file it cannot index."""
    from fpdf import FPDF

    from assistant.ocr import ocr_unavailable

    if ocr_unavailable("vie"):
        pytest.skip("Tesseract with Vietnamese data is not installed (./run installs it as root)")
    pdf = FPDF()
    pdf.add_page()  # no text layer and nothing to read
    tiny_service.add_document("scan.pdf", bytes(pdf.output()))
    _wait_reindexed(tiny_service)
    assert list(tiny_service.settings.documents_dir.glob("scan*.pdf"))
    problems = tiny_service.bot.problems()
    assert any("scan" in p["path"] and "OCR" in p["reason"] for p in problems), problems


def test_a_background_reindex_runs_at_lower_cpu_priority_than_answers():
    import os
    import threading

    from assistant.web.service import _yield_cpu_to_answers

    seen = {}

    def job():
        _yield_cpu_to_answers()
        seen["reindex"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    t = threading.Thread(target=job)
    t.start()
    t.join()
    assert seen["reindex"] == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < seen["reindex"]  # the caller is untouched


def test_a_full_disk_is_said_plainly_and_loses_nothing(tiny_service, monkeypatch):
    """An upload or a vote when the disk is full: a plain message, the folder unchanged, answers go on."""
    import errno

    from assistant.errors import DiskFull
    from assistant.web.feedback import FeedbackStore

    before = sorted(p.name for p in tiny_service.settings.documents_dir.iterdir())
    real_fdopen = os.fdopen

    def full(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        handle.write = lambda data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device"))
        return handle

    monkeypatch.setattr(os, "fdopen", full)
    with pytest.raises(DocumentError, match="disk is full"):
        tiny_service.add_document("ke-hoach.txt", "Kế hoạch thử nghiệm về hỗ trợ nạn nhân.".encode())
    monkeypatch.undo()
    assert sorted(p.name for p in tiny_service.settings.documents_dir.iterdir()) == before
    assert tiny_service.search("hỗ trợ nạn nhân")  # answering goes on

    store = FeedbackStore(tiny_service.settings.data_dir / "fb.sqlite3")
    monkeypatch.setattr(store, "_connect", lambda: (_ for _ in ()).throw(
        __import__("sqlite3").OperationalError("database or disk is full")))
    with pytest.raises(DiskFull, match="disk is full"):
        store.record("up", "q", "a")


def test_a_damaged_index_is_rebuilt_in_the_background_not_shown_to_participants(make_bot, one_plan_folder, tmp_path):
    """A damaged index file at start: the service rebuilds it on its own and answers, instead of showing
    participants a CLI command and server paths until an admin re-indexes."""
    from assistant.assistant import Assistant

    bot = make_bot(one_plan_folder)
    bot.warm_up()
    damaged = next((bot.settings.index_dir / "current").glob("embeddings.npy"))
    data = bytearray(damaged.read_bytes())
    data[-3] ^= 0x01
    damaged.write_bytes(bytes(data))
    fresh = Assistant(bot.settings, embedder=bot.embedder)
    service = Service(fresh.settings.replace(data_dir=tmp_path / "data"), bot=fresh)
    service.start()
    assert service.wait_ready(300), service.status()
    assert service.status()["error"] == ""
    assert service.search("hỗ trợ nạn nhân")  # the rebuilt index answers
