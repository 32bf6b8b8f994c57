"""Chunks are exact spans of the display text, cut along the document's own structure:
a plan's responsibility lines stay with their task, a law's articles carry "Điều N"."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.chunk import SEP, chunk_document
from assistant.config import Settings
from assistant.load import load_document, load_folder

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "documents"
LEGAL = ROOT.parent / "shared" / "legal"
LAW_66 = LEGAL / "luat-66-2011-QH12-phong-chong-mua-ban-nguoi.txt"
PENAL_CODE = LEGAL / "bo-luat-hinh-su-2015-nguyen-van-2015.txt"
ARTICLES_150_151 = LEGAL / "bo-luat-hinh-su-2015-dieu-150-151-nguyen-van-2015.txt"

# The sizes the index is built with (build.fingerprint caps min_chars at max_chars // 4).
MAX_CHARS = Settings().chunk_max_chars
MIN_CHARS = min(Settings().chunk_min_chars, MAX_CHARS // 4)


@pytest.fixture(scope="module")
def shipped():
    docs, problems = load_folder(SHIPPED)
    assert not problems, problems
    assert len(docs) >= 5
    return {d.doc_id: d for d in docs}


@pytest.fixture(scope="module")
def shipped_chunks(shipped):
    return {doc_id: chunk_document(d, MAX_CHARS, MIN_CHARS) for doc_id, d in shipped.items()}


def _law(path: Path):
    if not path.is_file():
        pytest.skip(f"{path} is not available (read-only shared legal texts)")
    return load_document(path)


@pytest.fixture(scope="module")
def law_66():
    return _law(LAW_66)


@pytest.fixture(scope="module")
def penal_code():
    return _law(PENAL_CODE)


def _check_spans(doc, chunks, max_chars: int, min_chars: int) -> None:
    assert chunks, f"{doc.doc_id}: no chunks"
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text, f"{doc.doc_id} {c.section}: span does not match text"
        assert c.doc_id == doc.doc_id
        assert c.text.strip(), f"{doc.doc_id} {c.section}: empty chunk"
        assert c.end - c.start <= max_chars + min_chars, f"{doc.doc_id} {c.section}: {c.end - c.start} chars"
    for a, b in zip(chunks, chunks[1:]):
        assert a.start < b.start and a.end <= b.start, f"{doc.doc_id}: {a.section} overlaps or precedes {b.section}"
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert len({c.chunk_id for c in chunks}) == len(chunks)


# --- every shipped document ------------------------------------------------------------------
@pytest.mark.parametrize("sizes", [(MAX_CHARS, MIN_CHARS), (400, 100)], ids=["index-sizes", "small-sizes"])
def test_every_chunk_is_an_exact_ordered_non_overlapping_span_within_the_size_limit(shipped, sizes):
    max_chars, min_chars = sizes
    for doc in shipped.values():
        _check_spans(doc, chunk_document(doc, max_chars, min_chars), max_chars, min_chars)


def test_chunks_cover_all_the_words_of_the_document(shipped, shipped_chunks):
    # Nothing is lost between chunks: only whitespace may fall outside every chunk.
    for doc_id, chunks in shipped_chunks.items():
        text = shipped[doc_id].text
        pos = 0
        for c in chunks:
            assert not text[pos : c.start].strip(), f"{doc_id}: text dropped before {c.section}: {text[pos:c.start][:80]!r}"
            pos = c.end
        assert not text[pos:].strip(), f"{doc_id}: text dropped at the end"


def test_chunking_is_deterministic_so_reindexing_reuses_vectors(shipped, shipped_chunks):
    doc = shipped["ninh-binh-2024-ke-hoach-22-kh-bcd"]
    again = chunk_document(doc, MAX_CHARS, MIN_CHARS)
    assert [c.to_json() for c in again] == [c.to_json() for c in shipped_chunks[doc.doc_id]]


def test_a_sentence_a_page_break_cut_in_two_is_never_split_between_chunks(shipped, shipped_chunks):
    # ("… các trường hợp phụ nữ vắng mặt tại địa phương\n\nlâu ngày, lấy chồng nước ngoài …": the chunk ended at the
    # break, and an answer quoted the women to watch without the ones who married abroad)
    for doc_id, chunks in shipped_chunks.items():
        text = shipped[doc_id].text
        for a, b in zip(chunks, chunks[1:]):
            before, after = text[a.end - 3 : a.end], text[b.start : b.start + 3]
            assert not (before[-1:].isalpha() and after[:1].islower() and after[1:2] not in ")."), \
                f"{doc_id} {a.section}: …{text[a.end - 60 : a.end]!r} | {text[b.start : b.start + 40]!r}"
    women = [c for c in shipped_chunks["ninh-binh-2024-ke-hoach-22-kh-bcd"] if "phụ nữ vắng mặt tại địa phương" in c.text]
    assert women and "lấy chồng nước ngoài" in women[0].text


def test_a_sentence_broken_by_a_page_break_reads_as_one_sentence_and_an_item_after_a_break_does_not():
    from assistant.answer.types import sentences as answer_sentences
    from assistant.spans import sentences as span_sentences

    text = "Đẩy mạnh\n\nứng dụng khoa học, công nghệ. Tăng\n\ncường chia sẻ kinh nghiệm\na) Nội dung\n- các hoạt động"
    assert [s for _s, _e, s in answer_sentences(text)][:2] == ["Đẩy mạnh\n\nứng dụng khoa học, công nghệ.",
                                                            "Tăng\n\ncường chia sẻ kinh nghiệm"]
    assert span_sentences(text)[:2] == ["Đẩy mạnh ứng dụng khoa học, công nghệ.", "Tăng cường chia sẻ kinh nghiệm"]
    assert "a) Nội dung" in span_sentences(text) and "- các hoạt động" in span_sentences(text)


# --- plans: responsibility lines stay with their task ------------------------------------------
def test_ninh_binh_2026_health_lead_stays_in_the_chunk_of_its_task(shipped_chunks):
    chunks = shipped_chunks["ninh-binh-2026-2030-ke-hoach-chuong-trinh"]
    together = [
        c for c in chunks
        if c.section.startswith("II › 6")
        and "Cơ quan chủ trì: Sở Y tế" in c.text
        and "Nâng cao năng lực hệ thống y tế" in c.text
    ]
    assert together, [(c.section, c.text[:60]) for c in chunks if c.section.startswith("II › 6")]
    # ...and the responsibility line comes after the task it assigns, inside the same chunk.
    c = together[0]
    assert c.text.index("Nâng cao năng lực hệ thống y tế") < c.text.index("Cơ quan chủ trì: Sở Y tế", c.text.index("Nâng cao năng lực hệ thống y tế"))


def test_ninh_binh_2026_every_lead_line_shares_a_chunk_with_text_before_it(shipped, shipped_chunks):
    # "Phân công thực hiện: - Cơ quan chủ trì: X" never opens a chunk on its own: a reader of the
    # chunk (and the embedder) must see the task it assigns.
    doc = shipped["ninh-binh-2026-2030-ke-hoach-chuong-trinh"]
    chunks = shipped_chunks[doc.doc_id]
    lines = [m.start() for m in re.finditer(r"Cơ quan chủ trì:", doc.text)]
    assert len(lines) >= 10
    for at in lines:
        chunk = next(c for c in chunks if c.start <= at < c.end)
        task_words = re.sub(r"(?i)phân công thực hiện|\W", "", doc.text[chunk.start : at])
        assert len(task_words) >= 30, f"lead line at {at} opens chunk {chunk.section} without its task"


def _block_end(text: str, start: int) -> int:
    """End of a "b) Phân công …" block: the next line that starts another numbered or lettered item."""
    m = re.compile(r"^\s*(?:[IVX]+\.|\d+\.|[a-zđ]\))", re.M).search(text, text.index("\n", start) + 1)
    return m.start() if m else len(text)


def test_ba_ria_vung_tau_assignment_lines_sit_with_or_right_after_the_content_they_assign(shipped, shipped_chunks):
    doc = shipped["ba-ria-vung-tau-ke-hoach-cong-uoc-actip"]
    chunks = shipped_chunks[doc.doc_id]
    text = doc.text

    def chunk_at(pos: int) -> int:
        return next(i for i, c in enumerate(chunks) if c.start <= pos < c.end)

    blocks = [m.start() for m in re.finditer(r"(?m)^b\) Phân công trách nhiệm thực hiện", text)]
    assert len(blocks) >= 5
    for b_start in blocks:
        a_start = text.rfind("a) Nội dung", 0, b_start)
        assert a_start >= 0
        content_end = len(text[:b_start].rstrip()) - 1  # the last character of the "a)" content
        a_chunk = chunk_at(content_end)
        heading_chunk = chunk_at(b_start)
        assert heading_chunk in (a_chunk, a_chunk + 1), f"b) at {b_start}: chunk {heading_chunk}, content in {a_chunk}"
        end = _block_end(text, b_start)
        for m in re.finditer(r"(?m)^-[^\n]+", text[b_start:end]):
            line_chunk = chunk_at(b_start + m.start())
            assert line_chunk == heading_chunk, (
                f"assignment line {m.group(0)[:60]!r} is in chunk {chunks[line_chunk].section}, "
                f"its heading in {chunks[heading_chunk].section}"
            )


def test_section_paths_name_the_numbering_of_plans(shipped_chunks):
    sections = [c.section for c in shipped_chunks["ninh-binh-2024-ke-hoach-22-kh-bcd"]]
    assert any(s.startswith("II › 4") for s in sections)
    assert all(not s or s.split(SEP)[0].split("–")[0] in {"I", "II", "III", "IV", "V", "VI", "Nơi nhận"} for s in sections), sections


# --- laws -------------------------------------------------------------------------------------
_ARTICLE_START = re.compile(r"\s*(?:Điều|ĐIỀU)\s+(\d+[a-z]?)\.")


def _misplaced_articles(chunks) -> list[tuple[str, str]]:
    bad = []
    for c in chunks:
        m = _ARTICLE_START.match(c.text)
        if m and not re.search(rf"Điều {m.group(1)}(?![\da-z])", c.section):
            bad.append((c.section, c.text[:40]))
    return bad


def test_law_66_every_chunk_opening_with_an_article_names_it_in_its_section(law_66):
    chunks = chunk_document(law_66, MAX_CHARS, MIN_CHARS)
    _check_spans(law_66, chunks, MAX_CHARS, MIN_CHARS)
    assert sum(1 for c in chunks if _ARTICLE_START.match(c.text)) >= 20
    assert _misplaced_articles(chunks) == []
    # Clauses and points of a law are labelled as such, under their chapter.
    assert any(re.search(r"^Chương \d+ › Điều \d+ › Khoản \d", c.section) for c in chunks)


def test_penal_code_articles_150_151_are_split_by_article_and_clause():
    # The extract ../shared/legal keeps even when the whole code is not there.
    doc = _law(ARTICLES_150_151)
    chunks = chunk_document(doc, MAX_CHARS, MIN_CHARS)
    _check_spans(doc, chunks, MAX_CHARS, MIN_CHARS)
    assert _misplaced_articles(chunks) == []
    assert {m for c in chunks for m in re.findall(r"Điều (15[01])", c.section)} == {"150", "151"}
    # A clause's points stay with the clause that states their penalty.
    clause = next(c for c in chunks if "08 năm đến 15 năm" in c.text)
    assert "Đưa nạn nhân ra khỏi biên giới" in clause.text
    # The extract opens on "Điều 150.": its title comes from its file name, not from that heading.
    assert doc.title.startswith("Bộ luật Hình sự 2015"), doc.title


def test_penal_code_every_chunk_opening_with_an_article_names_it_in_its_section(penal_code):
    chunks = chunk_document(penal_code, MAX_CHARS, MIN_CHARS)
    _check_spans(penal_code, chunks, MAX_CHARS, MIN_CHARS)
    assert _misplaced_articles(chunks) == []


def test_penal_code_article_317_is_found_whichever_d_it_is_written_with(penal_code, tmp_path):
    chunks = chunk_document(penal_code, MAX_CHARS, MIN_CHARS)
    assert any(re.search(r"Điều 317(?!\d)", c.section) for c in chunks)
    # The trap: "Ðiều 317" typed with U+00D0 (Icelandic eth) instead of U+0110 must still be an article.
    at = penal_code.text.index("Điều 317.")
    start = penal_code.text.rfind("\nChương", 0, at)
    end = penal_code.text.index("Điều 318.") + 300
    excerpt = penal_code.text[start + 1 : end].replace("Điều 317.", "\u00d0iều 317.")
    assert "\u00d0iều 317." in excerpt
    # Read from a file, the loader turns it into "Điều" ...
    path = tmp_path / "bo-luat-trich.txt"
    path.write_text(excerpt, encoding="utf-8")
    loaded = load_document(path)
    assert "\u00d0" not in loaded.text
    # ... and chunked as it is, the chunker still takes it for an article heading.
    raw = replace(loaded, text=excerpt)
    for doc in (loaded, raw):
        chunks = chunk_document(doc, MAX_CHARS, MIN_CHARS)
        at = doc.text.index("iều 317.") - 1
        holder = next(c for c in chunks if c.start <= at < c.end)
        assert re.search(r"Điều 317(?!\d)", holder.section), holder.section
        assert not any(re.search(r"Điều 316(?!\d)", c.section) for c in chunks if c.start > at), "317 swallowed by 316"


def test_context_header_names_the_document_title_and_year(shipped, shipped_chunks, law_66):
    docs = list(shipped.values()) + [law_66]
    for doc in docs:
        chunks = shipped_chunks.get(doc.doc_id) or chunk_document(doc, MAX_CHARS, MIN_CHARS)
        when = doc.period or str(doc.year)
        assert doc.title and when and when != "None", doc.doc_id
        for c in chunks:
            assert c.context.startswith(doc.title[:200]), (doc.doc_id, c.context[:120])
            assert when in c.context, (doc.doc_id, c.context[:160])
    law_chunks = chunk_document(law_66, MAX_CHARS, MIN_CHARS)
    assert "2011" in law_chunks[0].context
    # The header also names the headings on the path, so a bare clause still says where it is.
    article = next(c for c in law_chunks if c.section.startswith("Chương 1 › Điều 6"))
    assert "Điều 6." in article.context and article.context.startswith(law_66.title)


def test_the_recipients_under_the_signature_are_no_items_of_the_last_section():
    from assistant.chunk import parse_structure

    text = ("I. MỤC TIÊU\nKéo giảm tội phạm.\n\nII. TỔ CHỨC THỰC HIỆN\n1. Công an tỉnh theo dõi, đôn đốc.\n\n"
            "Nơi nhận:\n- Văn phòng Chính phủ;\n- UBND các huyện;\n- Lưu: VT.\n")
    root = parse_structure(text)
    assert [c.kind for c in root.children] == ["roman", "roman", "recipients"]
    assert not root.children[1].children[0].children  # "1." has no dashes under it
    assert len(root.children[2].children) == 3
