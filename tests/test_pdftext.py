"""PDF text that reads like the document: a real five-page plan written by fpdf2 (running header,
footer and page numbers, a sentence and words running over line and page ends, a two-column
page, a table, a signed last page), read by the loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chunk import chunk_document
from assistant.load import load_document
from assistant.pdftext import join_broken_words, join_pages, remove_running_lines

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
needs_font = pytest.mark.skipif(
    not (FONT_DIR / "DejaVuSans.ttf").is_file(), reason="apt-get install fonts-dejavu-core"
)

HEADER = "UBND TỈNH NINH BÌNH - BAN CHỈ ĐẠO 138"
FOOTER = "Tài liệu lưu hành nội bộ"
TITLE = "KẾ HOẠCH\nThực hiện công tác phòng, chống mua bán người năm 2024"
PAGE1 = (
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "1. Nâng cao nhận thức của người dân tỉnh Ninh Bình về thủ đoạn của tội phạm mua bán người; phối hợp với các tổ "
    "chức quốc tế hỗ trợ tái hòa nhập cho nạn"
)
PAGE2 = (
    "nhân trở về tại cộng đồng.\n"
    "II. NHIỆM VỤ\n"
    "1. Phối hợp với tỉnh Bà Rịa-\nVũng Tàu trao đổi kinh nghiệm về chương trình tái hòa nhập (reinte-\ngration) cho nạn nhân."
)
COLUMN1 = "2. Sở Y tế chủ trì hỗ trợ nạn nhân về y tế và tâm lý tại các bệnh viện tuyến tỉnh, bảo đảm điều trị kịp thời."
COLUMN2 = "3. Công an tỉnh chủ trì điều tra, truy tố các vụ án mua bán người trên địa bàn và bảo vệ nhân chứng."
TABLE = [["Cơ quan chủ trì", "Nhiệm vụ"], ["Bộ đội Biên phòng", "Tuần tra đường mòn, lối mở"]]
SIGNED = "III. TỔ CHỨC THỰC HIỆN\nCác sở, ngành tỉnh Ninh Bình báo cáo kết quả trước ngày 15/12/2024.\nTM. BAN CHỈ ĐẠO\nTRƯỞNG BAN\n(Đã ký)\nNguyễn Văn An"


def _plan_pdf() -> bytes:
    from fpdf import FPDF

    class Plan(FPDF):
        def header(self):
            self.set_font("dejavu", size=9)
            self.cell(0, 6, HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self):
            self.set_y(-20)
            self.set_font("dejavu", size=9)
            self.cell(0, 5, FOOTER, align="L", new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")

    pdf = Plan()
    pdf.add_font("dejavu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("dejavu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_font("dejavu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 7, TITLE + "\n" + PAGE1)
    pdf.add_page()
    pdf.multi_cell(0, 7, PAGE2)
    pdf.add_page()
    with pdf.text_columns(ncols=2, gutter=10) as columns:
        columns.write(COLUMN1)
        columns.new_column()
        columns.write(COLUMN2)
    pdf.add_page()
    with pdf.table() as table:
        for values in TABLE:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.add_page()
    pdf.multi_cell(0, 7, SIGNED)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "ke-hoach-22.pdf"
    path.write_bytes(_plan_pdf())
    return load_document(path)


def _words(s: str) -> str:
    return " ".join(s.split())


@needs_font
def test_running_header_footer_and_page_numbers_are_gone(plan):
    lines = [ln.strip() for ln in plan.text.split("\n")]
    assert HEADER not in lines and FOOTER not in plan.text
    assert not [ln for ln in lines if ln.startswith("Trang ")], lines
    assert plan.text.startswith("KẾ HOẠCH\nThực hiện công tác phòng")
    assert plan.text.endswith("(Đã ký)\nNguyễn Văn An")


@needs_font
def test_a_sentence_running_over_a_page_break_is_one_paragraph(plan):
    assert "hỗ trợ tái hòa nhập cho nạn nhân trở về tại cộng đồng." in _words(plan.text)
    page1, page2 = plan.pages[0], plan.pages[1]
    assert plan.text[page1.end : page2.start] == " "
    assert plan.text[page2.start :].startswith("nhân trở về tại cộng đồng.")


@needs_font
def test_hyphenated_line_ends_are_joined_and_real_hyphens_kept(plan):
    assert "tỉnh Bà Rịa-Vũng Tàu trao đổi" in _words(plan.text)
    assert "tái hòa nhập (reintegration) cho nạn nhân" in _words(plan.text)


@needs_font
def test_two_column_page_reads_column_by_column_and_keeps_its_items(plan):
    page3 = plan.text[plan.pages[2].start : plan.pages[2].end]
    assert _words(page3) == _words(COLUMN1 + " " + COLUMN2)
    chunks = chunk_document(plan, max_chars=200, min_chars=20)
    sections = [c.section for c in chunks]
    assert sections[sections.index("II") :] == ["II", "II › 2", "II › 3", "III"], sections
    assert "1. Phối hợp với tỉnh Bà Rịa-Vũng Tàu" in chunks[sections.index("II")].text


@needs_font
def test_table_rows_stay_in_order_on_their_page(plan):
    page4 = plan.text[plan.pages[3].start : plan.pages[3].end]
    assert _words(page4) == _words(" ".join(" ".join(row) for row in TABLE))


@needs_font
def test_signed_last_page_keeps_the_signature_and_gives_the_issuer(plan):
    page5 = plan.text[plan.pages[4].start : plan.pages[4].end]
    assert page5 == SIGNED
    assert plan.issuer == "Ban chỉ đạo tỉnh Ninh Bình"


@needs_font
def test_every_chunk_is_an_exact_span_cited_on_the_page_it_starts(plan):
    chunks = chunk_document(plan, max_chars=200, min_chars=20)
    assert len(chunks) >= 5
    for chunk in chunks:
        assert plan.text[chunk.start : chunk.end] == chunk.text
        page = next(p for p in plan.pages if p.start <= chunk.start < max(p.end, p.start + 1))
        assert chunk.page == page.number
    signed = next(c for c in chunks if "Nguyễn Văn An" in c.text)
    assert signed.page == 5


def test_running_lines_are_found_by_repetition_not_by_their_words():
    bodies = ["Sở Y tế chủ trì.", "Công an tỉnh phối hợp.", "Sở Tư pháp hướng dẫn.", "Đoàn Thanh niên tuyên truyền."]
    pages = [
        f"Công báo số {n} ngày 5/2/2024\n{body}\nSở Y tế chủ trì.\nlần {n}: {body}\n- {n} -"
        for n, body in enumerate(bodies, 1)
    ]
    assert remove_running_lines(pages) == [
        f"{body}\nSở Y tế chủ trì.\nlần {n}: {body}" for n, body in enumerate(bodies, 1)
    ]


def test_a_line_repeated_on_fewer_than_half_of_the_pages_stays():
    pages = ["I. MỤC ĐÍCH\nnội dung một", "I. MỤC ĐÍCH\nnội dung hai", "nội dung ba\nkết", "nội dung bốn\nhết", "năm\nsáu"]
    assert remove_running_lines(pages) == pages


def test_one_page_is_left_alone():
    assert remove_running_lines(["Trang 1\nnội dung"]) == ["Trang 1\nnội dung"]


def test_blank_pages_keep_empty_spans_between_blank_lines():
    text, spans = join_pages(["một.", "", "Hai."])
    assert text == "một.\n\n\n\nHai."
    assert [text[a:b] for a, b in spans] == ["một.", "", "Hai."]


def test_word_cut_by_a_page_break_is_whole_and_the_page_span_ends_before_its_tail():
    text, spans = join_pages(["chương trình reinte-", "gration cho nạn nhân."])
    assert text == "chương trình reintegration cho nạn nhân."
    assert [text[a:b] for a, b in spans] == ["chương trình reinte", "gration cho nạn nhân."]


def test_soft_hyphen_and_compound_hyphen_at_line_ends():
    assert join_broken_words("phòng\u00ad\nchống và 2026-\n2030") == "phòngchống và 2026-2030"
    assert join_broken_words("kết thúc -\nmục mới") == "kết thúc -\nmục mới"  # a spaced dash is a list or a clause
