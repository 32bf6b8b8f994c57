"""Saying "not in the documents" clearly: no evidence, filters that match nothing, partial answers."""
from __future__ import annotations

from dataclasses import replace

from ..query import Query
from ..retrieve import Filters
from .types import Answer

# What each slot is called when an answer lacks it ("the passages do not state a date").
SLOT_NAMES = {
    "number": ("một con số", "a figure"),
    "date": ("ngày hoặc thời hạn", "a date or deadline"),
    "penalty": ("mức hình phạt", "a penalty"),
    "money": ("số tiền", "an amount of money"),
    "law": ("tên văn bản pháp luật", "the law it rests on"),
    "person": ("tên người", "a person's name"),
    "agency": ("cơ quan được giao", "the agency assigned"),
}


def no_match_for_filters(filters: Filters, language: str) -> str:
    """"No document matches the filters (Quảng Ninh, 2027)"."""
    shown = ", ".join([*filters.provinces, *(str(y) for y in filters.years), *filters.doc_ids])
    if language == "en":
        return f"No document matches the filters ({shown}): clear a filter to search every document."
    return f"Không có văn bản nào khớp bộ lọc ({shown}): bỏ bớt bộ lọc để tìm trong mọi văn bản."


def missing_part(slot: str | None, language: str) -> str:
    """"(the passages below do not state a date)" for an answer that lacks what was asked."""
    vi, en = SLOT_NAMES.get(slot or "", ("điều được hỏi", "what was asked"))
    if language == "en":
        return f"The documents do not state {en} for this; the closest passages say:"
    return f"Các tài liệu không nêu {vi} cho câu hỏi này; đoạn gần nhất viết:"


def with_understanding(answer: Answer, query: Query) -> Answer:
    """A follow-up's answer says first how the question was understood ("Hiểu là: … — Quảng Ninh")."""
    understood = query.understood()
    if not understood or not answer.text:
        return replace(answer, resolved_question=answer.resolved_question or query.text)
    label = "Understood as" if query.language == "en" else "Hiểu là"
    return replace(answer, text=f"({label}: {understood})\n{answer.text}", resolved_question=query.text)
