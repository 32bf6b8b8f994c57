"""Scanned PDFs read by the real Tesseract (Debian's tesseract-ocr + tesseract-ocr-vie): image-only
PDFs made like scans (fpdf2 typesets, pdftoppm rasterises, Pillow skews and adds noise)."""

from __future__ import annotations

import difflib
import io
import os
import shutil
from pathlib import Path

import pytest

from assistant.evals.bench.ocr import DEJAVU_DIR, scanned_pdf
from assistant.chunk import chunk_document
from assistant.load import LoadError, load_document, load_folder
from assistant.ocr import OcrOptions, PageOCR, normalize_ocr_text, ocr_unavailable

needs_ocr_tools = pytest.mark.skipif(
    ocr_unavailable() is not None or not (DEJAVU_DIR / "DejaVuSerif.ttf").is_file(),
    reason=f"{ocr_unavailable()} (./run test installs them when root); fonts-dejavu-core",
)

# Old-style tone placement ("hoà", "Uỷ") comes back new-style: OCR has no author's spelling to keep.
PAGE1 = (
    "KẾ HOẠCH\n"
    "Phòng, chống mua bán người năm 2024\n"
    "I. MỤC TIÊU, YÊU CẦU\n"
    "1. Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với các sở, ngành, Uỷ ban nhân dân các huyện "
    "tổ chức tiếp nhận, xác minh và hỗ trợ nạn nhân bị mua bán trở về, bảo đảm hoà nhập cộng đồng.\n"
    "a) Hỗ trợ nhu cầu thiết yếu, chi phí đi lại, y tế và tâm lý cho nạn nhân.\n"
    "b) Hỗ trợ học nghề, vay vốn và tìm việc làm cho nạn nhân có nhu cầu."
)
PAGE2 = (
    "II. TỔ CHỨC THỰC HIỆN\n"
    "- Công an tỉnh chủ trì điều tra, xử lý các đường dây mua bán người qua biên giới.\n"
    "- Bộ đội Biên phòng tỉnh tuần tra, kiểm soát đường mòn, lối mở trên tuyến biên giới.\n"
    "TM. BAN CHỈ ĐẠO\n"
    "TRƯỞNG BAN\n"
    "Nguyễn Văn An"
)
EXPECTED = normalize_ocr_text(PAGE1 + "\n" + PAGE2)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, Path]:
    """A two-page scanned plan, a PDF mixing a text page and the same scanned page, a photo without text."""
    if ocr_unavailable() is not None:
        pytest.skip(ocr_unavailable())
    from fpdf import FPDF
    from PIL import Image, ImageDraw
    from pypdf import PdfReader, PdfWriter

    folder = tmp_path_factory.mktemp("scans")
    plan = folder / "ke-hoach-scan.pdf"
    plan.write_bytes(scanned_pdf([PAGE1, PAGE2], dpi=300, seed=1))

    typed = FPDF()
    typed.add_font("dejavu", "", str(DEJAVU_DIR / "DejaVuSans.ttf"))
    typed.set_font("dejavu", size=12)
    typed.add_page()
    typed.multi_cell(0, 8, "Trang đánh máy: Ủy ban nhân dân tỉnh giao nhiệm vụ cho các sở, ngành.")
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(bytes(typed.output()))))
    writer.append(PdfReader(plan), pages=[1])  # the scanned page 2, unchanged
    mixed = folder / "mixed.pdf"
    with open(mixed, "wb") as f:
        writer.write(f)

    photo = Image.new("L", (1200, 900), 200)
    draw = ImageDraw.Draw(photo)
    for i in range(0, 900, 30):  # a landscape-like gradient of bands and blobs, no letters
        draw.rectangle((0, i, 1200, i + 30), fill=60 + (i // 30) * 6 % 180)
    draw.ellipse((300, 200, 800, 700), fill=30)
    pdf = FPDF()
    pdf.add_page()
    buf = io.BytesIO()
    photo.save(buf, format="JPEG")
    pdf.image(buf, x=10, y=10, w=190)
    (folder / "photo.pdf").write_bytes(bytes(pdf.output()))
    return {"plan": plan, "mixed": mixed, "photo": folder / "photo.pdf"}


@needs_ocr_tools
def test_scanned_plan_is_read_by_ocr_with_its_page_numbers_and_marked_as_ocr(scans, tmp_path):
    ocr = PageOCR(OcrOptions(cache_dir=tmp_path / "ocr"))
    doc = load_document(scans["plan"], ocr=ocr)
    assert doc.ocr_pages == (1, 2) and doc.encoding == "pdf+ocr"
    assert "pages 1–2 read by OCR (Tesseract, vie): check spellings against the original" in doc.warnings
    assert ocr.pages_read == 2
    assert _similar(doc.text, EXPECTED) >= 0.98, doc.text
    page2 = doc.text[doc.pages[1].start : doc.pages[1].end]
    assert page2.startswith("II. TỔ CHỨC THỰC HIỆN") and "Bộ đội Biên phòng" in page2


@needs_ocr_tools
def test_ocr_lines_are_joined_into_paragraphs_the_chunker_understands(scans, tmp_path):
    doc = load_document(scans["plan"], ocr=PageOCR(OcrOptions(cache_dir=tmp_path / "ocr")))
    lines = [line for line in doc.text.split("\n") if line]  # pages are apart by a blank line
    # Item 1 wraps over three lines on the scan: it comes back as one line, starting with its marker.
    item1 = next(line for line in lines if line.startswith("1. "))
    assert _similar(item1, EXPECTED.split("\n")[3]) >= 0.97, item1
    assert [line[:3] for line in lines] == [line[:3] for line in EXPECTED.split("\n")]
    typed = tmp_path / "typed.txt"
    typed.write_text(EXPECTED, encoding="utf-8")
    sections = [c.section for c in chunk_document(doc, max_chars=200, min_chars=20)]
    assert sections == [c.section for c in chunk_document(load_document(typed), max_chars=200, min_chars=20)]
    assert "I › 1 › a–b" in sections
    # Short lines stay lines: the signature block reads as typed, so "who signed" finds its name.
    assert doc.text.endswith("TM. BAN CHỈ ĐẠO\nTRƯỞNG BAN\nNguyễn Văn An")


@needs_ocr_tools
def test_a_page_is_ocrd_once_then_read_from_the_cache_even_inside_another_pdf(scans, tmp_path):
    cache = tmp_path / "ocr"
    first = PageOCR(OcrOptions(cache_dir=cache))
    text = load_document(scans["plan"], ocr=first).text
    again = PageOCR(OcrOptions(cache_dir=cache))
    assert load_document(scans["plan"], ocr=again).text == text
    mixed = load_document(scans["mixed"], ocr=again)
    assert again.pages_read == 0  # the mixed PDF's scanned page is page 2 of the plan: same content, same key
    assert mixed.ocr_pages == (2,)
    assert mixed.text.startswith("Trang đánh máy: Ủy ban nhân dân tỉnh giao nhiệm vụ cho các sở, ngành.")
    assert mixed.text[mixed.pages[1].start :].startswith("II. TỔ CHỨC THỰC HIỆN")
    assert len(list(cache.rglob("*.json"))) == 2


@needs_ocr_tools
def test_a_changed_ocr_setting_reads_the_page_again(scans, tmp_path):
    cache = tmp_path / "ocr"
    load_document(scans["mixed"], ocr=PageOCR(OcrOptions(cache_dir=cache)))
    other_dpi = PageOCR(OcrOptions(cache_dir=cache, dpi=200))
    load_document(scans["mixed"], ocr=other_dpi)
    assert other_dpi.pages_read == 1


@needs_ocr_tools
def test_a_photo_without_text_is_named_with_its_reason(scans, tmp_path):
    with pytest.raises(LoadError, match=r"^no text found: the PDF has no text layer and OCR read no text"):
        load_document(scans["photo"], ocr=PageOCR(OcrOptions(cache_dir=tmp_path / "ocr")))


@needs_ocr_tools
def test_without_tesseract_scans_are_listed_with_the_fix_and_the_rest_is_indexed(scans, tmp_path, monkeypatch):
    tools = tmp_path / "bin"
    tools.mkdir()
    os.symlink(shutil.which("pdftoppm"), tools / "pdftoppm")  # poppler present, Tesseract absent
    monkeypatch.setenv("PATH", str(tools))
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(scans["plan"], folder / "scan.pdf")
    shutil.copy(scans["mixed"], folder / "mixed.pdf")
    (folder / "plan.txt").write_text(PAGE1, encoding="utf-8")
    ocr = PageOCR(OcrOptions(cache_dir=tmp_path / "empty-cache"))
    docs, problems = load_folder(folder, ocr=ocr)
    assert sorted(Path(d.path).name for d in docs) == ["mixed.pdf", "plan.txt"]
    assert [(Path(p.path).name, p.reason) for p in problems] == [
        ("scan.pdf", "no text layer: needs OCR (scanned PDF) — tesseract is not installed — install Tesseract with "
                     "its Vietnamese model (apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils)")
    ]
    mixed = next(d for d in docs if d.path.endswith("mixed.pdf"))
    assert mixed.ocr_pages == () and any(w.startswith("page 2 has no text layer (needs OCR): tesseract is not installed") for w in mixed.warnings)


def test_ocr_text_is_normalised_like_typed_text():
    assert normalize_ocr_text("ÐIỀU 5. Uỷ ban, hoà nhập") == "ĐIỀU 5. Ủy ban, hòa nhập"
    assert normalize_ocr_text("NGƯ\u0300 ƠI") == "NGỪ ƠI"  # NFD marks composed


def test_detached_accents_on_capitals_are_put_back():
    assert normalize_ocr_text("ĐIÊ \u0300U 1") == "ĐIỀU 1"
    assert normalize_ocr_text("CHU\u00b4 Y\u00b4") == "CHÚ Ý"
    assert normalize_ocr_text("Nam, nư\u0303") == "Nam, nữ"


@needs_ocr_tools
def test_indexing_ocrs_scans_once_and_finds_their_text_with_page_citations(scans, tmp_path, settings_for, embedder):
    from assistant.assistant import Assistant
    from assistant.build import build_index

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(scans["plan"], folder / "ke-hoach-scan.pdf")
    (folder / "khac.txt").write_text("Kế hoạch khác\n\nSở Tư pháp phổ biến pháp luật.\n", encoding="utf-8")
    settings = settings_for(folder, cache_dir=tmp_path / "cache", chunk_max_chars=300)  # one page ≈ one chunk
    report = build_index(settings, embedder)
    assert report.ocr_pages == 2 and report.problems == []
    bot = Assistant(settings, embedder=embedder).warm_up()
    assert bot.store.documents["ke-hoach-scan"].ocr_pages == (1, 2)  # the same tuple a freshly loaded document has
    hit = bot.search("Bộ đội Biên phòng tuần tra đường mòn lối mở", k=3)[0]
    assert hit.chunk.doc_id == "ke-hoach-scan"
    # The passage's own characters lead back to page 2 of the scan.
    at = hit.chunk.start + hit.chunk.text.index("Bộ đội Biên phòng")
    pages = bot.store.documents["ke-hoach-scan"].pages
    assert [n for n, start, end in pages if start <= at < end] == [2]
    again = build_index(settings, embedder, rebuild=True)
    assert again.ocr_pages == 0 and again.chunks == report.chunks


@needs_ocr_tools
@pytest.mark.slow
@pytest.mark.parametrize("dpi, goal", [(300, 0.02), (200, 0.04)])
def test_a_seed_plan_scanned_at_dpi_reads_back_within_the_cer_goal(tmp_path, dpi, goal):
    from assistant.evals.bench.ocr import char_error_rate

    source = Path(__file__).resolve().parents[1] / "documents" / "ninh-binh-2024-ke-hoach-22-KH-BCD.txt"
    scan = tmp_path / "ke-hoach-22.pdf"
    scan.write_bytes(scanned_pdf([source.read_text(encoding="utf-8")], dpi=dpi, seed=7))
    doc = load_document(scan, ocr=PageOCR(OcrOptions(cache_dir=tmp_path / "ocr", dpi=dpi)))
    edits, chars = char_error_rate(load_document(source).text, doc.text)
    assert edits / chars <= goal, f"CER {edits / chars:.3%} at {dpi} dpi"


def test_misread_roman_numerals_of_headings_are_repaired():
    from assistant.ocr import repair_roman_heading

    assert repair_roman_heading("HI. LỘ TRÌNH THỰC HIỆN") == "III. LỘ TRÌNH THỰC HIỆN"
    assert repair_roman_heading("Il. NHIỆM VỤ") == "II. NHIỆM VỤ"
    assert repair_roman_heading("1V. KINH PHÍ") == "IV. KINH PHÍ"
    assert repair_roman_heading("HI. xin chào") == "HI. xin chào"  # not a heading
    assert repair_roman_heading("II. NHIỆM VỤ") == "II. NHIỆM VỤ"


CHROMIUM = Path("/usr/bin/chromium")


@needs_ocr_tools
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium: apt-get install chromium chromium-driver")
def test_the_viewer_marks_ocr_pages_and_shows_the_scanned_page_beside_its_text(scans, tmp_path, settings_for, embedder):
    import base64

    from PIL import Image
    from playwright.sync_api import sync_playwright

    from assistant.web.app import BackgroundServer, create_app
    from assistant.assistant import Assistant
    from assistant.ocr import PAGE_IMAGE_DPI
    from assistant.web.service import Service

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(scans["plan"], folder / "ke-hoach-scan.pdf")
    (folder / "khac.txt").write_text("Kế hoạch khác\n\nSở Tư pháp phổ biến pháp luật cho người dân vùng biên.\n",
                                     encoding="utf-8")
    settings = settings_for(folder, cache_dir=tmp_path / "cache", data_dir=tmp_path / "data", chunk_max_chars=300)
    service = Service(settings, bot=Assistant(settings, embedder=embedder))
    service.start()
    assert service.wait_ready(600), service.status()
    server = BackgroundServer(create_app(service))
    url = server.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            outside: list[str] = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
            page.goto(url + "/")
            page.wait_for_selector("#question textarea", timeout=60_000)

            def open_first_source(question: str, turns_before: int) -> None:
                page.fill("#question textarea", question)
                page.press("#question textarea", "Enter")
                page.wait_for_function(
                    "n => document.querySelectorAll('#transcript .msg.bot:not(.pending)').length > n "
                    "&& !document.querySelector('#transcript .msg.bot.pending')", arg=turns_before, timeout=60_000)
                page.locator("#sources article.card").first.click()
                page.locator("#viewer .viewer-overlay:not(.closed) #viewer-target").wait_for(timeout=30_000)

            question = "Bộ đội Biên phòng tỉnh tuần tra, kiểm soát ở đâu?"
            cited = service.bot.ask(question).citations[0]
            assert cited.doc_id == "ke-hoach-scan" and cited.page in (1, 2)
            open_first_source(question, 0)
            viewer = page.locator("#viewer .viewer-overlay:not(.closed)")
            assert "ke-hoach-scan.pdf" in viewer.locator(".viewer-head .meta").inner_text()
            assert f"Trang {cited.page} · OCR" in viewer.locator(".viewer-head .meta").inner_text()
            assert "Trang 1, 2 được đọc bằng OCR" in viewer.locator(".ocr-note").inner_text()
            assert "Trang 2 · OCR" in viewer.locator(".doc-text .page-break.ocr").first.inner_text()
            # The scans of the pages the passage spans, beside the recognised text, drawn by the browser, the page
            # holding the answer's words in view.
            doc = service.bot.store.documents["ke-hoach-scan"]
            spanned = [n for n, start, end in doc.pages if start < cited.end and cited.start < end]
            figures = viewer.locator(".page-scan figure")
            figures.first.wait_for(timeout=10_000)
            assert [int(f) for f in figures.evaluate_all("fs => fs.map(f => f.dataset.page)")] == spanned
            assert figures.locator("figcaption").all_inner_texts() == [f"Trang {n} — bản quét" for n in spanned]
            img = viewer.locator(".page-scan figure.focus img")
            assert img.evaluate("i => i.complete && i.naturalWidth") > 0
            focus = int(viewer.locator(".page-scan figure.focus").get_attribute("data-page"))
            at = cited.highlights[0][0] if cited.highlights else cited.start
            assert [n for n, start, end in doc.pages if start <= at < end] == [focus]
            column, shown_box = viewer.locator(".page-scan").bounding_box(), img.bounding_box()
            assert column["y"] - 1 <= shown_box["y"] < column["y"] + column["height"]  # scrolled into view
            text_box = viewer.locator(".doc-text").bounding_box()
            assert shown_box["x"] + shown_box["width"] <= text_box["x"] + 1 and shown_box["width"] > 300
            # Each is its page of that PDF at the viewer's resolution (A4: 210 × 297 mm), rendered once into the data folder.
            data = base64.b64decode(img.get_attribute("src").split(",", 1)[1])
            shown = Image.open(io.BytesIO(data))
            assert abs(shown.width - 210 / 25.4 * PAGE_IMAGE_DPI) <= 2 and abs(shown.height - 297 / 25.4 * PAGE_IMAGE_DPI) <= 2
            cached = {c.name.split("-")[1]: c for c in (tmp_path / "data" / "page-images").glob("*.jpg")}
            assert sorted(cached) == sorted(f"p{n}" for n in spanned) and cached[f"p{focus}"].read_bytes() == data
            artifacts = Path(__file__).resolve().parent.parent / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            page.screenshot(path=str(artifacts / "viewer-ocr.png"))
            # On a phone the scan comes above the text, and nothing scrolls sideways.
            page.set_viewport_size({"width": 390, "height": 844})
            page.wait_for_function("() => { const s = document.querySelector('.viewer-overlay:not(.closed) .page-scan');"
                                   " const t = document.querySelector('.viewer-overlay:not(.closed) .doc-text');"
                                   " return s.getBoundingClientRect().bottom <= t.getBoundingClientRect().top + 1; }",
                                   timeout=5_000)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 392
            page.screenshot(path=str(artifacts / "viewer-ocr-phone.png"))
            page.set_viewport_size({"width": 1440, "height": 900})
            page.click("#viewer .viewer-close")

            # A typed document: no OCR mark, no image.
            open_first_source("Sở Tư pháp phổ biến pháp luật cho ai?", 1)
            viewer = page.locator("#viewer .viewer-overlay:not(.closed)")
            assert "khac.txt" in viewer.locator(".viewer-head .meta").inner_text()
            assert viewer.locator(".page-scan, .ocr-note, .page-break.ocr").count() == 0
            browser.close()
            assert not outside, outside
    finally:
        server.stop()
