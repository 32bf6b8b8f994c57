"""Who leads / coordinates / carries out a task: the roles of a responsibility record as the
document words them ("UBND các huyện, thành phố", not a canonical "… thị xã …"), requests to
courts and procuracies kept apart from assignments, and the one sentence that answers first."""
from __future__ import annotations

import re
import unicodedata

from ..duties import Duty, find_agencies

ROLE_LABELS_VI = {"lead": "chủ trì", "coordinating": "phối hợp", "performers": "thực hiện", "requested": "đề nghị"}
ROLE_LABELS_EN = {"lead": "lead", "coordinating": "coordinating", "performers": "carried out by",
                  "requested": "requested (not assigned)"}
_BOUNDARY = re.compile(r"(?i)chủ trì|phối hợp|thực hiện|tham gia|[;.:]")


def as_written(duty: Duty) -> dict[str, str]:
    """{canonical name: the name as the clause writes it}, first mention wins."""
    out: dict[str, str] = {}
    for mention in find_agencies(duty.clause, duty.clause_start):
        surface = duty.clause[mention.start - duty.clause_start : mention.end - duty.clause_start]
        out.setdefault(mention.agency.name, re.sub(r"\s+", " ", surface.strip(" *")))
    return out


def requested_in(duty: Duty) -> set[str]:
    """Agencies the clause *requests* ("đề nghị Tòa án nhân dân tỉnh, Viện kiểm sát …"): bodies a
    provincial plan cannot order (courts, procuracies, mass organisations), so never shown as assigned."""
    clause = duty.clause
    out: set[str] = set()
    for mention in find_agencies(clause, duty.clause_start):
        before = clause[: mention.start - duty.clause_start]
        cut = max((m.end() for m in _BOUNDARY.finditer(before)), default=0)
        if re.search(r"(?i)đề nghị", before[cut:]):
            out.add(mention.agency.name)
    return out


def assigned_roles(duty: Duty, asked: str) -> list[tuple[str, tuple[str, ...]]]:
    """The record's roles in the order that answers the question: the asked role first."""
    if asked == "coordinating":
        return [("coordinating", duty.coordinating), ("lead", duty.lead), ("performers", duty.performers)]
    if duty.lead:
        return [("lead", duty.lead), ("coordinating", duty.coordinating), ("performers", duty.performers)]
    return [("performers", duty.performers), ("coordinating", duty.coordinating)]


def who_sentence(summary: list[tuple[str, str, str, int]], language: str) -> str:
    """One sentence that answers, newest document first: "Theo Kế hoạch …, Sở Y tế chủ trì [1]; các văn bản
    trước giao Sở Lao động - Thương binh và Xã hội (Kế hoạch 22/KH-BCĐ …) [3]."."""
    if not summary:
        return ""
    labels = ROLE_LABELS_EN if language == "en" else ROLE_LABELS_VI
    label, role, names, n = summary[0]
    seen = {names}
    others = []
    for o_label, o_role, o_names, o_n in summary[1:]:
        if o_names in seen:
            continue
        seen.add(o_names)
        others.append(f"{o_names} ({o_label}) [{o_n}]")
    if language == "en":
        head = f"According to {label}: {labels[role]} — {names} [{n}]"
        tail = f"; also: {'; '.join(others)}" if others else ""
        return f"{head}{tail}."
    head = f"Theo {label}, {labels[role]}: {names} [{n}]"
    tail = f"; ngoài ra: {'; '.join(others)}" if others else ""
    return f"{head}{tail}."


def latin(text: str) -> str:
    """Place names as English text writes them: "Bà Rịa - Vũng Tàu" → "Ba Ria - Vung Tau"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))
