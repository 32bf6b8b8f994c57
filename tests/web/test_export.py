"""Conversation exports: Markdown and DOCX handouts with questions, answers and quoted sources."""
from __future__ import annotations

import re

from assistant.answer import Answer, Citation
from assistant.web.export import segments, to_docx, to_markdown

DOC = "Mở đầu. Giao Sở Tư pháp chủ trì, phối hợp với các sở, ngành thực hiện trợ giúp pháp lý cho nạn nhân."


def _answers() -> list[Answer]:
    start = DOC.index("Giao")
    cite = Citation(1, "ninh-binh-2024", "Kế hoạch năm 2024", "II › 4", DOC[start:], start, len(DOC), year=2024,
                    highlights=((start + 5, start + 16),))
    found = Answer("Ai chủ trì trợ giúp pháp lý?", "Sở Tư pháp chủ trì. [1]", True, (cite,), resolved_question="x")
    related = Citation(1, "quang-ninh", "Quyết định 3087", "", "Đoạn gần đúng.", 0, 14, period="2011-2015")
    missing = Answer("Ngân sách năm 2030 là bao nhiêu?", "Không tìm thấy trong các văn bản.", False, related=(related,))
    return [found, missing]


def test_segments_follow_absolute_highlight_spans():
    cite = _answers()[0].citations[0]
    parts = segments(cite)
    assert "".join(t for t, _ in parts) == cite.text
    assert [t for t, marked in parts if marked] == ["Sở Tư pháp "]


def test_markdown_has_questions_answers_and_quoted_sources():
    md = to_markdown(_answers())
    assert "## 1. Ai chủ trì trợ giúp pháp lý?" in md
    assert "Sở Tư pháp chủ trì. [1]" in md
    assert "- [1] Kế hoạch năm 2024 (2024) — mục II › 4" in md
    assert "> Giao Sở Tư pháp chủ trì" in md
    assert "**Đoạn liên quan:**" in md and "Quyết định 3087 (2011-2015) — (phần mở đầu)" in md
    en = to_markdown(_answers(), "en")
    assert "**Sources:**" in en and "**Related passages:**" in en and "(preamble)" in en


def test_docx_has_questions_answers_citations_and_highlights(tmp_path):
    from docx import Document

    path = to_docx(_answers(), tmp_path / "out" / "hoi-dap.docx")
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Câu hỏi: Ai chủ trì trợ giúp pháp lý?" in text
    assert "Sở Tư pháp chủ trì. [1]" in text
    assert "[1] Kế hoạch năm 2024 (2024) — mục II › 4" in text
    assert DOC[DOC.index("Giao"):] in text
    assert "Đoạn liên quan" in text and "Đoạn gần đúng." in text
    marked = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert marked == ["Sở Tư pháp "]


def test_control_characters_in_questions_and_passages_do_not_break_the_exports(tmp_path):
    from docx import Document

    cite = Citation(1, "ke-hoach", "Kế\x01 hoạch", "I › 1", "Sở Y tế\x0c chủ trì\x02 hỗ trợ.", 0, 27, year=2024,
                    highlights=((0, 7),))
    answer = Answer("Ai chủ trì\x0c hỗ trợ\x01?", "Sở Y tế chủ trì\x0b. [1]", True, (cite,), resolved_question="x",
                    notice="Ghi\x1b chú")
    path = to_docx([answer], tmp_path / "hoi-dap.docx")
    text = " ".join("\n".join(p.text for p in Document(str(path)).paragraphs).split(" "))
    text = re.sub(" +", " ", text)
    assert "Ai chủ trì hỗ trợ?" in text and "Sở Y tế chủ trì hỗ trợ." in text and "Kế hoạch" in text
    md = to_markdown([answer])
    assert "Ai chủ trì hỗ trợ?" in md and not any(c in md for c in "\x01\x02\x0b\x0c\x1b")


def test_markdown_shows_raw_html_and_script_links_as_inert_text():
    cite = Citation(1, "x", "Kế hoạch <b>mật</b>", "I", "Xem [tại đây](javascript:alert(1)) và <img src=x onerror=alert(2)>.",
                    0, 60)
    answer = Answer("<script>alert(3)</script> Ai chủ trì?",
                    "Theo [liên kết](  JavaScript:alert(4)) <iframe src=//x></iframe> [1]\n[ref]: data:text/html,<b>x</b>",
                    True, (cite,), resolved_question="x")
    md = to_markdown([answer])
    for bad in ("<script", "<img", "<iframe", "<b>", "](javascript:", "(  JavaScript:", "]: data:"):
        assert bad not in md, bad
    assert "&lt;script&gt;" not in md and "&lt;script>alert(3)" in md  # shown, not run
    assert "[1]" in md and "Ai chủ trì?" in md


def test_a_generated_answer_is_labelled_as_generated_in_every_export(tmp_path):
    from docx import Document

    from assistant.web.export import to_docx, to_markdown

    quoted = Answer("Ai chủ trì?", "Theo Kế hoạch …: “Sở Y tế chủ trì.” [1]", True,
                    (Citation(1, "d", "Kế hoạch", "II › 1", "Sở Y tế chủ trì.", 0, 16),))
    written = Answer("Ai chủ trì?", "Sở Y tế chủ trì việc này [1].", True, quoted.citations, generated=True)
    markdown = to_markdown([quoted, written])
    assert markdown.count("Do mô hình ngôn ngữ viết") == 1 and "trừ khi ghi là do mô hình ngôn ngữ viết" in markdown
    path = to_docx([quoted, written], tmp_path / "c.docx")
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert text.count("Do mô hình ngôn ngữ viết") == 1
