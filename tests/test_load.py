"""Loading documents from real files written by real writers (fpdf2, pypdf, python-docx, codecs)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import random
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest

from assistant.errors import AssistantError, ConfigError, DocumentError
from assistant.legacy import cp1252_bytes, to_legacy
from assistant.load import (
    Document,
    LoadError,
    Page,
    decode_text,
    infer_metadata,
    is_skipped,
    load_document,
    load_folder,
    make_doc_id,
    read_catalog,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED_DOCS = ROOT.parent / "shared" / "documents"
PROJECT_DOCS = ROOT / "documents"

PLAN = (
    "Số: 22 /KH-BCĐ\n\nNinh Bình, ngày 05 tháng 02 năm 2024\n\nKẾ HOẠCH\n\n"
    "Thực hiện công tác phòng, chống mua bán người năm 2024\n\n"
    "Ủy ban nhân dân tỉnh Ninh Bình giao Sở Y tế chủ trì hỗ trợ nạn nhân; Toà án, Uỷ ban phối hợp.\n"
)
REFERENCE = "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _load_error(path: Path, **kwargs) -> str:
    with pytest.raises(LoadError) as info:
        load_document(path, **kwargs)
    return str(info.value)


def _to_cp1258(s: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: precomposed where it exists, else base + combining tone."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", s):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "\u0300\u0301\u0303\u0309\u0323"
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in decomposed if c in tones).encode("cp1258")
    return bytes(out)


# ---------------------------------------------------------------------------
# Plain text encodings


@pytest.mark.parametrize(
    "encode, encoding",
    [
        (lambda s: s.encode("utf-8"), "utf-8"),
        (lambda s: s.encode("utf-8-sig"), "utf-8-sig"),
        (lambda s: s.encode("utf-16"), "utf-16-le"),  # Python writes a BOM, little-endian here
        (lambda s: b"\xfe\xff" + s.encode("utf-16-be"), "utf-16-be"),
        (lambda s: s.encode("utf-16-le"), "utf-16-le"),  # no BOM: found from the NUL pattern
        (lambda s: s.encode("utf-16-be"), "utf-16-be"),
        (_to_cp1258, "cp1258"),
        (lambda s: cp1252_bytes(to_legacy(s, "tcvn3")), "tcvn3"),
        (lambda s: cp1252_bytes(to_legacy(s, "vni")), "vni"),
        (lambda s: to_legacy(s, "tcvn3").encode("utf-8"), "utf-8+tcvn3"),  # .VnTime text pasted into UTF-8
    ],
)
def test_text_files_decode_to_the_same_display_text(tmp_path, encode, encoding):
    path = _write(tmp_path, "ke-hoach.txt", encode(PLAN))
    doc = load_document(path)
    assert doc.encoding == encoding
    assert doc.text == PLAN
    assert doc.pages == (Page(1, 0, len(PLAN)),)
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_legacy_and_cp1258_files_say_how_they_were_read(tmp_path):
    tcvn = load_document(_write(tmp_path, "a.txt", cp1252_bytes(to_legacy(REFERENCE, "tcvn3"))))
    assert any("TCVN3" in w for w in tcvn.warnings)
    cp = load_document(_write(tmp_path, "b.txt", _to_cp1258(REFERENCE)))
    assert any("Windows-1258" in w for w in cp.warnings)
    assert cp.text == REFERENCE


def test_hand_typed_legacy_files_convert(tmp_path):
    tcvn = _write(tmp_path, "tcvn.txt", "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n".encode("cp1252"))
    vni = _write(tmp_path, "vni.txt", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\n".encode("cp1252"))
    assert load_document(tcvn).text == "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
    assert load_document(vni).text == REFERENCE


def test_display_text_is_nfc_with_fixed_d_and_newlines_but_old_tone_placement(tmp_path):
    raw = unicodedata.normalize("NFD", "Ðiều 1.\r\nUỷ ban và Toà án\r\n")
    doc = load_document(_write(tmp_path, "nfd.txt", raw.encode("utf-8")))
    assert doc.text == "Điều 1.\nUỷ ban và Toà án\n"


def test_random_bytes_are_not_text(tmp_path):
    rng = random.Random(1234)
    path = _write(tmp_path, "noise.txt", rng.randbytes(4096))
    assert _load_error(path).startswith("not text")
    no_nul = bytes(b for b in rng.randbytes(4096) if b)
    assert _load_error(_write(tmp_path, "noise2.txt", no_nul)).startswith("not text")


def test_empty_and_blank_files_are_problems(tmp_path):
    assert _load_error(_write(tmp_path, "empty.txt", b"")) == "empty file"
    assert _load_error(_write(tmp_path, "blank.md", b" \n\t\n")) == "no text in document"


def test_file_size_limit(tmp_path):
    path = _write(tmp_path, "big.txt", PLAN)
    assert "file too large" in _load_error(path, max_bytes=100)
    assert load_document(path, max_bytes=10_000).text == PLAN


@pytest.mark.parametrize("name", ["old.wps", "scan.png", "noext"])
def test_unsupported_types(tmp_path, name):
    message = _load_error(_write(tmp_path, name, b"data"))
    assert message.startswith("unsupported type")
    if name == "old.wps":
        assert "save it as .docx" in message


def test_decode_text_reports_encoding_and_warnings():
    text, encoding, warnings = decode_text("Chào\r\n".encode("utf-8-sig"))
    assert (text, encoding, warnings) == ("Chào\n", "utf-8-sig", [])


def test_load_error_is_an_assistant_error():
    assert issubclass(LoadError, DocumentError) and issubclass(LoadError, AssistantError)


def test_loaded_document_is_frozen(tmp_path):
    doc = load_document(_write(tmp_path, "a.txt", PLAN))
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "x"  # type: ignore[misc]


# ---------------------------------------------------------------------------
# PDF (fpdf2 writes them, pypdf encrypts them)


def _unicode_font() -> Path | None:
    for folder in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        found = sorted(folder.rglob("DejaVuSans.ttf")) if folder.is_dir() else []
        if found:
            return found[0]
    return None


FONT = _unicode_font()
needs_font = pytest.mark.skipif(
    FONT is None, reason="no DejaVuSans.ttf with Vietnamese glyphs: apt-get install -y fonts-dejavu-core"
)


def _pdf(pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", "", str(FONT))
    pdf.set_font("dejavu", size=12)
    pdf.set_title("Tiêu đề trong PDF")
    for body in pages:
        pdf.add_page()
        if body:
            pdf.multi_cell(0, 8, body)
    return bytes(pdf.output())


def _encrypt(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, "owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every PDF the tests need, written once per session (fpdf2 font loading is slow)."""
    if FONT is None:
        pytest.skip("no Unicode TTF font")
    folder = tmp_path_factory.mktemp("pdfs")
    page1 = "KẾ HOẠCH\nThực hiện công tác phòng, chống mua bán người năm 2024\nSở Y tế chủ trì hỗ trợ nạn nhân."
    page3 = "Công an tỉnh phối hợp với Uỷ ban nhân dân các huyện."
    two = _pdf([page1, ""])
    files = {
        "two_pages_second_blank": two,
        "three_pages": _pdf([page1, "", page3]),
        "all_blank": _pdf(["", ""]),
        "encrypted_empty_password": _encrypt(two, ""),
        "encrypted_real_password": _encrypt(two, "mat-khau"),
        "truncated": two[: len(two) // 2],
        "garbage": b"%PDF-1.7\n" + b"not really a pdf\n" * 20,
    }
    paths = {}
    for name, data in files.items():
        paths[name] = _write(folder, f"{name}.pdf", data)
    paths["page1"] = page1  # type: ignore[assignment]
    paths["page3"] = page3  # type: ignore[assignment]
    return paths


@needs_font
def test_pdf_text_per_page_with_blank_page_warning(pdfs):
    doc = load_document(pdfs["two_pages_second_blank"])
    assert doc.encoding == "pdf"
    assert doc.text.startswith("KẾ HOẠCH\nThực hiện công tác phòng, chống mua bán người năm 2024")
    assert "page 2 has no text layer (needs OCR)" in doc.warnings
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.text[doc.pages[0].start : doc.pages[0].end] == pdfs["page1"]
    assert doc.pages[1] == Page(2, len(pdfs["page1"]) + 2, len(pdfs["page1"]) + 2)
    assert doc.kind == "kế hoạch"
    assert doc.title == "Kế hoạch thực hiện công tác phòng, chống mua bán người năm 2024"


@needs_font
def test_pdf_page_spans_index_the_joined_text(pdfs):
    doc = load_document(pdfs["three_pages"])
    first, blank, third = doc.pages
    assert doc.text[first.start : first.end] == pdfs["page1"]
    assert blank.start == blank.end
    assert doc.text[third.start : third.end] == pdfs["page3"]
    assert doc.text == pdfs["page1"] + "\n\n" + "\n\n" + pdfs["page3"]


@needs_font
def test_pdf_without_any_text_needs_ocr(pdfs):
    assert _load_error(pdfs["all_blank"]) == "no text layer: needs OCR (scanned PDF)"


@needs_font
def test_pdf_encrypted_with_empty_password_opens(pdfs):
    doc = load_document(pdfs["encrypted_empty_password"])
    assert "Sở Y tế chủ trì hỗ trợ nạn nhân" in doc.text
    assert any("encrypted" in w for w in doc.warnings)


@needs_font
def test_pdf_with_a_real_password_is_refused(pdfs):
    assert _load_error(pdfs["encrypted_real_password"]).startswith("encrypted PDF: password required")


@needs_font
@pytest.mark.parametrize("name", ["truncated", "garbage"])
def test_damaged_pdf_is_a_clear_problem(pdfs, name):
    assert _load_error(pdfs[name]).startswith("corrupt or truncated PDF")


# ---------------------------------------------------------------------------
# DOCX (python-docx writes them)


def _docx(build) -> bytes:
    from docx import Document

    document = Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_keeps_paragraphs_and_tables_in_document_order(tmp_path):
    def build(d):
        d.add_paragraph("KẾ HOẠCH")
        d.add_paragraph("Phân công thực hiện:")
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Cơ quan chủ trì", "Nhiệm vụ"
        table.cell(1, 0).text, table.cell(1, 1).text = "Sở Y tế", "Hỗ trợ nạn nhân"
        d.add_paragraph("Công an tỉnh theo dõi, đôn đốc.")

    doc = load_document(_write(tmp_path, "phan-cong.docx", _docx(build)))
    assert doc.encoding == "docx"
    assert doc.text.split("\n") == [
        "KẾ HOẠCH",
        "Phân công thực hiện:",
        "Cơ quan chủ trì | Nhiệm vụ",
        "Sở Y tế | Hỗ trợ nạn nhân",
        "Công an tỉnh theo dõi, đôn đốc.",
    ]
    assert doc.pages == (Page(1, 0, len(doc.text)),)


def test_docx_merged_cells_appear_once(tmp_path):
    def build(d):
        table = d.add_table(rows=1, cols=3)
        merged = table.cell(0, 0).merge(table.cell(0, 1))
        merged.text = "Sở Lao động - Thương binh và Xã hội"
        table.cell(0, 2).text = "chủ trì"

    doc = load_document(_write(tmp_path, "merged.docx", _docx(build)))
    assert doc.text == "Sở Lao động - Thương binh và Xã hội | chủ trì"


def test_docx_that_is_not_a_zip(tmp_path):
    assert _load_error(_write(tmp_path, "fake.docx", b"PK not really\x00 a zip")).startswith("not a valid .docx")


def test_zip_without_word_document_is_not_a_docx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    assert "no word/document.xml" in _load_error(_write(tmp_path, "other.docx", buf.getvalue()))


def test_docx_zip_bomb_refused_by_ratio(tmp_path):
    # 20 MB of zeros packs to ~20 KB: a ratio near 1000:1, far above the default 100:1.
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(20):
                member.write(chunk)
    message = _load_error(path)
    assert message.startswith("refused .docx: compression ratio") and "zip bomb" in message


def test_docx_refused_when_it_would_unpack_too_large(tmp_path):
    path = tmp_path / "large.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", random.Random(7).randbytes(2 << 20))
    message = _load_error(path, max_unzipped_bytes=1 << 20)
    assert message.startswith("refused .docx: it would unpack to 2.0 MB (limit 1.0 MB)")


# ---------------------------------------------------------------------------
# Folders


def test_load_folder_sorts_skips_and_never_aborts(tmp_path):
    _write(tmp_path, "b-plan.txt", PLAN)
    _write(tmp_path, "a-notes.md", "# Ghi chú\nNội dung.")
    _write(tmp_path, "README.md", "# not a document")
    _write(tmp_path, ".hidden.txt", PLAN)
    _write(tmp_path, "~$lock.docx", b"lock")
    _write(tmp_path, "sub/README.md", "Một tài liệu trong thư mục con.")
    _write(tmp_path, "sub/broken.pdf", b"%PDF-1.4 broken")
    _write(tmp_path, "sub/old.doc", b"\xd0\xcf\x11\xe0")
    _write(tmp_path, "empty.txt", b"")
    _write(tmp_path, "catalog.json", json.dumps({"documents": {"b-plan.txt": {"title": "Kế hoạch B", "year": 2024}}}))
    calls: list[tuple[int, int]] = []
    docs, problems = load_folder(tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert [Path(d.path).relative_to(tmp_path).as_posix() for d in docs] == ["a-notes.md", "b-plan.txt", "sub/README.md"]
    assert {Path(p.path).name: p.reason.split(":")[0] for p in problems} == {
        "empty.txt": "empty file",
        "broken.pdf": "corrupt or truncated PDF",
        "old.doc": "not a valid .doc (Word 97–2003)",
    }
    assert calls[-1] == (6, 6) and len(calls) == 6
    plan = docs[1]
    assert plan.title == "Kế hoạch B" and plan.year == 2024
    assert plan.number == "22/KH-BCĐ"  # inferred fields stay where the catalog is silent


def test_load_folder_gives_unique_ids_to_same_stems(tmp_path):
    _write(tmp_path, "2024/ke-hoach.txt", PLAN)
    _write(tmp_path, "2025/ke-hoach.txt", PLAN)
    docs, problems = load_folder(tmp_path)
    assert not problems
    assert [d.doc_id for d in docs] == ["ke-hoach", "ke-hoach-2"]


def test_bad_catalog_is_a_problem_not_an_abort(tmp_path):
    _write(tmp_path, "catalog.json", "{not json")
    _write(tmp_path, "a.txt", PLAN)
    docs, problems = load_folder(tmp_path)
    assert len(docs) == 1
    assert problems[0].path.endswith("catalog.json") and "not valid UTF-8 JSON" in problems[0].reason


def test_missing_folder_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="documents folder not found"):
        load_folder(tmp_path / "nope")


def test_is_skipped_only_skips_the_folders_own_readme(tmp_path):
    assert is_skipped(tmp_path / "README.md", tmp_path)
    assert is_skipped(tmp_path / "catalog.json", tmp_path)
    assert is_skipped(tmp_path / ".git" / "x.txt", tmp_path)
    assert not is_skipped(tmp_path / "sub" / "README.md", tmp_path)
    assert not is_skipped(tmp_path / "guide.md", tmp_path)


@pytest.mark.parametrize(
    "stem, doc_id",
    [
        ("ninh-binh-2024-ke-hoach-22-KH-BCD", "ninh-binh-2024-ke-hoach-22-kh-bcd"),
        ("Kế hoạch số 22 (Ninh Bình)", "ke-hoach-so-22-ninh-binh"),
        ("Đề án__2026", "de-an-2026"),
        ("---", "document"),
    ],
)
def test_make_doc_id(stem, doc_id):
    assert make_doc_id(stem) == doc_id


# ---------------------------------------------------------------------------
# Metadata


def test_infer_metadata_from_a_decision_header():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NINH\n-------\nSố: 15 /QĐ-UBND\n"
        "Quảng Ninh, ngày 3 tháng 4 năm 2012\n\nQUYẾT ĐỊNH\n"
        "Về việc ban hành kế hoạch giai đoạn 2012 – 2015\n"
        "Căn cứ Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003;\n"
        "Giao Sở Tư pháp, Uỷ ban nhân dân tỉnh Quảng Ninh ...\n"
    )
    meta = infer_metadata(text)
    assert meta["kind"] == "quyết định"
    assert meta["title"] == "Quyết định về việc ban hành kế hoạch giai đoạn 2012 - 2015"
    assert meta["number"] == "15/QĐ-UBND"
    assert meta["date"] == "2012-04-03" and meta["year"] == 2012
    assert meta["period"] == "2012-2015"
    assert meta["province"] == "Quảng Ninh"
    assert meta["issuer"] == "Ủy ban nhân dân"


def test_infer_metadata_from_a_law_header():
    text = (
        "QUỐC HỘI -------\nLuật số: 66/2011/QH12\nHà Nội, ngày 29 tháng 03 năm 2011\n"
        "LUẬT\nPHÒNG, CHỐNG MUA BÁN NGƯỜI\nCăn cứ Hiến pháp ...\nChương 1\n"
    )
    meta = infer_metadata(text)
    assert (meta["kind"], meta["number"], meta["date"], meta["issuer"]) == ("luật", "66/2011/QH12", "2011-03-29", "Quốc hội")
    assert meta["title"] == "Luật phòng, chống mua bán người"


def test_infer_metadata_blank_number_and_day():
    meta = infer_metadata("Số: /KH-UBND\n\nNinh Bình, ngày tháng 3 năm 2026\n\nKẾ HOẠCH\nThực hiện X\n")
    assert meta["number"] is None and meta["number_blank"] == "/KH-UBND"
    assert meta["date"] == "2026-03" and meta["year"] == 2026


def test_infer_metadata_news_byline_and_first_line_title():
    meta = infer_metadata("Thực hiện đồng bộ các giải pháp\n\nTHỤY TRANG 05:55, 07/03/2024\n\nBan Chỉ đạo 138 tỉnh Lâm Đồng ...")
    assert meta["title"] == "Thực hiện đồng bộ các giải pháp"
    assert meta["date"] == "2024-03-07" and meta["province"] == "Lâm Đồng"
    assert meta["kind"] is None


def test_province_with_a_hyphenated_name():
    assert infer_metadata("Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu ban hành")["province"] == "Bà Rịa - Vũng Tàu"


@pytest.mark.skipif(not SHARED_DOCS.is_dir(), reason="shared corpus not present")
def test_metadata_inferred_from_the_seed_corpus_without_catalog(tmp_path):
    for path in SHARED_DOCS.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    docs, problems = load_folder(tmp_path)
    assert not problems and len(docs) == 5
    by_id = {d.doc_id: d for d in docs}
    nb = by_id["ninh-binh-2024-ke-hoach-22-kh-bcd"]
    assert (nb.number, nb.date, nb.year, nb.province, nb.kind) == ("22/KH-BCĐ", "2024-02-05", 2024, "Ninh Bình", "kế hoạch")
    draft = by_id["ninh-binh-2026-2030-ke-hoach-chuong-trinh"]
    assert draft.number is None and "document number is left blank (/KH-UBND)" in draft.warnings
    assert (draft.period, draft.date) == ("2026-2030", "2026-03")
    qn = by_id["quang-ninh-2011-2015-quyet-dinh-3087"]
    assert (qn.kind, qn.province, qn.period) == ("quyết định", "Quảng Ninh", "2011-2015")
    assert by_id["lam-dong-2024-bai-bao-ke-hoach-138"].date == "2024-03-07"


@pytest.mark.skipif(not (PROJECT_DOCS / "catalog.json").is_file(), reason="project documents/ not set up")
def test_shipped_corpus_loads_with_its_catalog():
    catalog = read_catalog(PROJECT_DOCS)
    docs, problems = load_folder(PROJECT_DOCS)
    assert not problems
    assert {Path(d.path).name for d in docs} == set(catalog)
    for doc in docs:
        entry = catalog[Path(doc.path).name]
        for key in ("title", "kind", "number", "issuer", "province", "date", "year", "period"):
            assert getattr(doc, key) == entry[key], (doc.doc_id, key)
        assert doc.encoding == "utf-8"
        assert isinstance(doc, Document)
