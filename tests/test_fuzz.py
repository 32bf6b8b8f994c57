"""Fuzzing with hypothesis: loaders, normaliser and chunker never crash or hang on any input,
chunk spans are always exact, ordered and lose no text; odd questions are answered or refused cleanly."""
from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from assistant.chunk import chunk_document
from assistant.errors import UsageError
from assistant.load import LoadError, decode_text, load_document
from assistant.text import fold, keyword_terms, normalize_for_matching

ROOT = Path(__file__).resolve().parent.parent

# Default tier: ~300 examples each. The slow tier repeats every property with 3000.
FAST = settings(max_examples=300, deadline=timedelta(seconds=5), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SLOW = settings(FAST, max_examples=3000)


@lru_cache(maxsize=1)
def corpus_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted((ROOT / "documents").glob("*.txt")):
        lines.extend(line for line in path.read_text(encoding="utf-8").split("\n") if line.strip())
    return lines


MARKERS = ["I.", "II.", "IV.", "1.", "2.", "10)", "2.1.", "3.2.1", "a)", "đ)", "-", "+", "•", "*", "Điều 5.",
           "ĐIỀU 12:", "Chương II", "CHƯƠNG IV", "Mục 1.", "Phần thứ nhất", "Khoản 2", "Điểm a"]
WHITESPACE = ["\n", "\n\n", " ", "\t", "\r\n", "\u00a0", "\u200b", "\n\n\n\n", "   \n"]

line_text = st.one_of(
    st.sampled_from(corpus_lines()),
    st.text(max_size=80),
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ,.;:", max_size=200),
)
line = st.tuples(st.sampled_from([""] + MARKERS), st.sampled_from(["", " ", "  "]), line_text).map("".join)
vietnamese_ish = st.lists(st.tuples(line, st.sampled_from(WHITESPACE)).map("".join), max_size=60).map("".join)


def as_doc(text: str) -> SimpleNamespace:
    return SimpleNamespace(text=text, doc_id="fuzz", title="Tài liệu thử", period=None, year=2024,
                           pages=(SimpleNamespace(number=1, start=0, end=len(text)),))


def check_chunks(text: str, max_chars: int = 400, min_chars: int = 100) -> None:
    chunks = chunk_document(as_doc(text), max_chars, min_chars)
    previous_end = 0
    for i, c in enumerate(chunks):
        assert c.ordinal == i
        assert 0 <= previous_end <= c.start < c.end <= len(text), (previous_end, c.start, c.end)
        assert text[c.start : c.end] == c.text
        assert c.text.strip(), "a chunk of whitespace"
        previous_end = c.end
    # Never lose data: every visible character of the document is in some chunk.
    covered = bytearray(len(text))
    for c in chunks:
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    lost = [i for i, ch in enumerate(text) if not covered[i] and ch.strip() and ch not in "\u200b\ufeff"]
    assert not lost, f"characters outside every chunk: {[text[i] for i in lost[:20]]}"
    if text.strip():
        assert chunks
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def check_decode(data: bytes) -> None:
    try:
        text, encoding, warnings = decode_text(data)
    except LoadError as exc:
        assert str(exc)
        return
    assert isinstance(text, str) and encoding and all(isinstance(w, str) for w in warnings)


def check_text(s: str) -> None:
    norm = normalize_for_matching(s)
    assert isinstance(norm, str)
    folded = fold(s)
    assert not any(unicodedata.category(c) == "Mn" for c in folded), "a diacritic survived folding"
    for folded_flag in (False, True):
        terms = keyword_terms(s, folded=folded_flag)
        assert all(isinstance(t, str) and t and not any(ch.isspace() for ch in t) for t in terms)
    assert keyword_terms(s, folded=True) == keyword_terms(fold(s))


def _real_docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("1. Sở Y tế chủ trì hỗ trợ nạn nhân.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _real_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "KE HOACH\n1. So Y te chu tri ho tro nan nhan.")
    return bytes(pdf.output())


SEEDS = {".docx": _real_docx(), ".pdf": _real_pdf()}


def _mutate(seed: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    data = bytearray(seed)
    for pos, value in flips:
        data[pos % len(data)] = value
    return bytes(data[:cut] if cut else data)


def _docx_with_xml(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", xml)
    return out.getvalue()


file_bytes = st.one_of(
    st.binary(max_size=2048),
    st.text(max_size=500).map(lambda s: s.encode("utf-8")),
    st.text(max_size=300).map(lambda s: s.encode("utf-16")),
)
mutations = st.tuples(st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=8),
                      st.none() | st.integers(1, 1 << 20))


def check_load(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        doc = load_document(path)
    except LoadError as exc:
        assert str(exc)
        return
    assert doc.text.strip()
    assert all(0 <= p.start <= p.end <= len(doc.text) for p in doc.pages)
    check_chunks(doc.text, 1100, 200)


# ---------------------------------------------------------------------------
# Default tier


@FAST
@given(st.binary(max_size=4096))
def test_decode_text_never_crashes_on_any_bytes(data):
    check_decode(data)


@FAST
@given(st.text(max_size=400))
def test_normaliser_and_keyword_terms_never_crash(s):
    check_text(s)


@FAST
@given(vietnamese_ish)
def test_chunks_are_exact_ordered_and_lose_no_text(text):
    check_chunks(text)


@FAST
@given(st.sampled_from([".txt", ".md", ".docx", ".pdf", ".doc", ".rtf", ".odt"]), file_bytes)
def test_load_document_only_raises_load_error(tmp_path, suffix, data):
    check_load(tmp_path, suffix, data)


@FAST
@given(st.sampled_from([(".rtf", b"{\\rtf1\\ansi\\ansicpg1258 "), (".doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
                        (".odt", b"PK\x03\x04")]), st.binary(max_size=4096))
def test_office_files_with_a_valid_start_and_a_damaged_rest_only_raise_load_error(tmp_path, kind, data):
    suffix, magic = kind
    check_load(tmp_path, suffix, magic + data)


@FAST
@given(st.sampled_from([".docx", ".pdf"]), mutations)
def test_damaged_real_pdf_and_docx_only_raise_load_error(tmp_path, suffix, mutation):
    check_load(tmp_path, suffix, _mutate(SEEDS[suffix], *mutation))


@FAST
@given(st.one_of(st.text(max_size=300).map(str.encode), vietnamese_ish.map(str.encode), st.binary(max_size=300)))
def test_docx_with_arbitrary_document_xml_only_raises_load_error(tmp_path, xml):
    check_load(tmp_path, ".docx", _docx_with_xml(xml))


# ---------------------------------------------------------------------------
# Slow tier: the same properties, 3000 examples each


@pytest.mark.slow
@SLOW
@given(st.binary(max_size=8192))
def test_decode_text_never_crashes_on_any_bytes_many(data):
    check_decode(data)


@pytest.mark.slow
@SLOW
@given(st.text(max_size=2000))
def test_normaliser_and_keyword_terms_never_crash_many(s):
    check_text(s)


@pytest.mark.slow
@SLOW
@given(vietnamese_ish)
def test_chunks_are_exact_ordered_and_lose_no_text_many(text):
    check_chunks(text)


@pytest.mark.slow
@SLOW
@given(st.sampled_from([".txt", ".md", ".docx", ".pdf"]), file_bytes)
def test_load_document_only_raises_load_error_many(tmp_path, suffix, data):
    check_load(tmp_path, suffix, data)


@pytest.mark.slow
@SLOW
@given(st.sampled_from([".docx", ".pdf"]), mutations)
def test_damaged_real_pdf_and_docx_only_raise_load_error_many(tmp_path, suffix, mutation):
    check_load(tmp_path, suffix, _mutate(SEEDS[suffix], *mutation))


# ---------------------------------------------------------------------------
# Odd questions


@pytest.mark.parametrize("question", ["", "   \n\t "])
def test_an_empty_question_is_a_usage_error(bot, question):
    for call in (bot.ask, bot.search):
        with pytest.raises(UsageError, match="empty"):
            call(question)


ODD_QUESTIONS = {
    "10000 characters": ("ai chủ trì hỗ trợ nạn nhân " * 400)[:10_000],
    "only punctuation": "?!.,;:…—–-()[]{}«»\"'/\\|@#$%^&*~`",
    "emoji": "🙂🚨👩‍👧‍👦🇻🇳❓",
    "mixed scripts": "谁负责 hỗ trợ nạn nhân مكافحة الاتجار بالبشر?",
    "control characters": "ai\x00chủ\x07trì\x1b[31m hỗ trợ\u202e nạn nhân",
    "html": "<script>alert(1)</script> ai chủ trì?",
}


@pytest.mark.parametrize("name", sorted(ODD_QUESTIONS))
def test_odd_questions_get_an_answer_not_an_exception(bot, name):
    from assistant.answer import Answer

    question = ODD_QUESTIONS[name]
    hits = bot.search(question, k=3)
    assert isinstance(hits, list) and len(hits) <= 3
    for h in hits:
        assert bot.store.documents[h.chunk.doc_id].text[h.chunk.start : h.chunk.end] == h.chunk.text
    answer = bot.ask(question)
    assert isinstance(answer, Answer) and isinstance(answer.text, str) and answer.text.strip()
    answer.to_json()  # serialisable for `ask --json`
    if not answer.found:
        assert not answer.citations
