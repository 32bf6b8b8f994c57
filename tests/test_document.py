"""One Document type (assistant/document.py): time labels, year spans, particulars found once, lazy stored text."""
from __future__ import annotations

import pytest

from assistant.document import Document, Page, find_particular, period_years, when_label

PLAN = ("ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\nSố: 22/KH-BCĐ\nNinh Bình, ngày 05 tháng 02 năm 2024\n\nKẾ HOẠCH\n"
        "Phòng, chống mua bán người năm 2024\n\n1. Công an tỉnh chủ trì.\n\nKT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nNguyễn Văn A\n")


def doc(**fields) -> Document:
    return Document(**{"doc_id": "d", "path": "d.txt", "title": "Kế hoạch", "text": PLAN, "sha256": "", **fields})


@pytest.mark.parametrize("year, period, when, years", [
    (2024, None, "2024", (2024,)),
    (2025, "2026-2030", "2026-2030", (2025, 2026, 2027, 2028, 2029, 2030)),
    (None, "2011-2015", "2011-2015", (2011, 2012, 2013, 2014, 2015)),
    (None, None, "", ()),
])
def test_when_is_the_period_else_the_year_and_years_span_both(year, period, when, years):
    d = doc(year=year, period=period)
    assert d.when == when == when_label(year, period)
    assert d.years == years
    assert d.label == (f"Kế hoạch ({when})" if when else "Kế hoạch")


def test_period_years_reads_a_range_a_single_year_or_nothing():
    assert period_years("2021 - 2025") == (2021, 2022, 2023, 2024, 2025)
    assert period_years("năm 2024") == (2024,)
    assert period_years(None) == ()


def test_number_date_and_signer_are_quoted_with_exact_spans():
    for kind, expected in (("number", "Số: 22/KH-BCĐ"), ("date", "Ninh Bình, ngày 05 tháng 02 năm 2024"),
                           ("signer", "PHÓ TRƯỞNG BAN\nNguyễn Văn A")):
        line, start, end = find_particular(kind, PLAN)
        assert PLAN[start:end] == line == expected, kind
    assert find_particular("signer", "Không có chữ ký.") is None


def test_stored_particulars_are_used_without_reading_the_text():
    reads = []

    def texts(offset: int, length: int) -> str:
        reads.append((offset, length))
        return PLAN[offset : offset + length]

    loaded = doc(particulars={k: find_particular(k, PLAN) for k in ("number", "date", "signer")},
                 pages=[[1, 0, len(PLAN)]], ocr_pages=[1])
    stored = Document.stored(texts, (0, len(PLAN)), **loaded.row())
    assert "text" not in stored.__dict__ and reads == []
    assert stored.particular("signer") == loaded.particular("signer") and reads == []  # found at load, not now
    assert stored.pages == (Page(1, 0, len(PLAN)),) and stored.ocr_pages == (1,)
    assert stored.text == PLAN and reads == [(0, len(PLAN))]
    assert stored == loaded and stored.row() == loaded.row()


def test_a_document_made_by_hand_finds_its_particulars_when_asked():
    assert doc().particular("number") == find_particular("number", PLAN)
    with pytest.raises(ValueError, match="chapters"):
        doc().particular("chapters")


def test_a_document_is_frozen():
    with pytest.raises(AttributeError):
        doc().title = "x"  # type: ignore[misc]
