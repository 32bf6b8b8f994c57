"""Older office files written by a real writer: LibreOffice Writer saves .doc (Word 97–2003),
.rtf and .odt from one .docx made by python-docx; the loader reads them with antiword,
striprtf and zipfile + lxml."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.chunk import chunk_document
from assistant.legacy import to_legacy
from assistant.load import LoadError, load_document, load_folder

SOFFICE = shutil.which("soffice")
needs_writer = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice Writer writes the test files: apt-get install libreoffice-writer-nogui (./run test does)"
)
needs_antiword = pytest.mark.skipif(shutil.which("antiword") is None, reason="apt-get install antiword")

LETTERHEAD = "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH"
LEGACY_LINE = "Cộng hòa xã hội chủ nghĩa Việt Nam"  # typed in .VnTime (TCVN3) under a Unicode letterhead
LONG_ITEM = (
    "1. Sở Y tế chủ trì hỗ trợ nạn nhân về y tế, tâm lý; Toà án, Uỷ ban Mặt trận Tổ quốc phối hợp "
    "tuyên truyền tại các xã biên giới, bảo đảm mỗi nạn nhân trở về được tiếp nhận trong 24 giờ."
)
BODY = [
    LETTERHEAD,
    LEGACY_LINE,
    "KẾ HOẠCH",
    "Thực hiện công tác phòng, chống mua bán người năm 2024",
    "I. NHIỆM VỤ",
    LONG_ITEM,
    "2. Công an tỉnh chủ trì điều tra các vụ án mua bán người.",
]
TABLE = [["Cơ quan chủ trì", "Nhiệm vụ"], ["Bộ đội Biên phòng", "Tuần tra đường mòn, lối mở"]]
AFTER_TABLE = "II. TỔ CHỨC THỰC HIỆN"


def _source_docx(path: Path) -> None:
    from docx import Document

    document = Document()
    document.core_properties.title = "Kế hoạch 22/KH-BCĐ"
    for line in BODY:
        paragraph = document.add_paragraph()
        if line == LEGACY_LINE:
            run = paragraph.add_run(to_legacy(line, "tcvn3"))
            run.font.name = ".VnTime"
        else:
            paragraph.add_run(line)
    table = document.add_table(rows=len(TABLE), cols=2)
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(AFTER_TABLE)
    document.save(path)


def _convert(source: Path, target: str, outdir: Path, profile: Path) -> Path:
    # A private profile: two LibreOffice processes sharing ~/.config/libreoffice block each other.
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
         "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    out = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert out.is_file(), f"LibreOffice wrote no {out.name}"
    return out


@pytest.fixture(scope="module")
def office_files(tmp_path_factory) -> dict[str, Path]:
    """plan.doc, plan.rtf and plan.odt, written by LibreOffice from one python-docx file."""
    if SOFFICE is None:
        pytest.skip("no LibreOffice Writer")
    folder = tmp_path_factory.mktemp("office")
    source = folder / "src" / "plan.docx"
    source.parent.mkdir()
    _source_docx(source)
    profile = folder / "lo-profile"
    return {
        ".doc": _convert(source, 'doc:MS Word 97', folder, profile),
        ".rtf": _convert(source, "rtf", folder, profile),
        ".odt": _convert(source, "odt", folder, profile),
    }


def _expected_lines() -> list[str]:
    return BODY + [" | ".join(row) for row in TABLE] + [AFTER_TABLE]


@needs_writer
@needs_antiword
@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt"])
def test_office_file_reads_paragraphs_and_table_rows_in_order(office_files, suffix):
    doc = load_document(office_files[suffix])
    lines = [ln for ln in doc.text.split("\n") if ln.strip()]
    assert lines == _expected_lines()
    assert doc.encoding == f"{suffix[1:]}+tcvn3"
    assert "converted from the legacy TCVN3 (ABC, .VnTime) font encoding" in doc.warnings
    assert doc.kind == "kế hoạch"
    assert doc.title == "Kế hoạch thực hiện công tác phòng, chống mua bán người năm 2024"


@needs_writer
@needs_antiword
@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt"])
def test_office_file_chunks_by_its_structure(office_files, suffix):
    doc = load_document(office_files[suffix])
    chunks = chunk_document(doc, max_chars=200, min_chars=40)
    # The same sections whatever the writer: the header, "I." with its long item 1, then item 2 to "II.".
    assert [c.section for c in chunks] == ["", "I", "I › 2–II"]
    assert chunks[1].text.endswith(LONG_ITEM)
    assert "Bộ đội Biên phòng | Tuần tra đường mòn, lối mở" in chunks[2].text
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text


@needs_writer
def test_odt_title_comes_from_its_metadata_when_the_text_has_none(tmp_path, office_files):
    from docx import Document

    source = tmp_path / "note.docx"
    document = Document()
    document.core_properties.title = "Ghi chú họp Ban Chỉ đạo 138"
    document.add_paragraph("Điều 1. Thành phần: đại diện các sở, ngành.")  # an extract: its text names no title
    document.save(source)
    odt = _convert(source, "odt", tmp_path, tmp_path / "profile")
    assert load_document(odt).title == "Ghi chú họp Ban Chỉ đạo 138"


@needs_writer
@needs_antiword
def test_corrupted_doc_is_named_with_its_reason_and_the_rest_is_indexed(tmp_path, office_files):
    data = office_files[".doc"].read_bytes()
    (tmp_path / "hong.doc").write_bytes(data[:512] + bytes(len(data) - 512))  # header kept, body zeroed
    (tmp_path / "cut.doc").write_bytes(data[: len(data) // 3])
    shutil.copy(office_files[".rtf"], tmp_path / "good.rtf")
    docs, problems = load_folder(tmp_path)
    assert [Path(d.path).name for d in docs] == ["good.rtf"]
    reasons = {Path(p.path).name: p.reason for p in problems}
    assert set(reasons) == {"hong.doc", "cut.doc"}
    assert all(r.startswith("not a valid .doc (Word 97–2003): antiword:") for r in reasons.values()), reasons


@needs_writer
def test_doc_without_antiword_says_how_to_install_it(monkeypatch, office_files):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(LoadError, match=r"reading \.doc needs antiword.*apt-get install antiword"):
        load_document(office_files[".doc"])


@needs_writer
@needs_antiword
def test_rtf_or_docx_saved_under_a_doc_name_is_read_by_its_content(tmp_path, office_files):
    rtf_named_doc = tmp_path / "from-rtf.doc"
    shutil.copy(office_files[".rtf"], rtf_named_doc)
    doc = load_document(rtf_named_doc)
    assert doc.encoding == "rtf+tcvn3"
    assert [ln for ln in doc.text.split("\n") if ln.strip()] == _expected_lines()


def test_odt_that_is_not_a_zip_is_refused_with_its_kind(tmp_path):
    path = tmp_path / "x.odt"
    path.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(LoadError, match=r"^not a valid \.odt: not a zip archive"):
        load_document(path)


def test_rtf_that_is_not_rtf_is_refused(tmp_path):
    path = tmp_path / "x.rtf"
    path.write_bytes("Kế hoạch".encode())
    with pytest.raises(LoadError, match=r"^not a valid \.rtf"):
        load_document(path)
