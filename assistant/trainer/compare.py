"""Plans compared, for a terminal: the table `assistant compare` prints (the comparison itself is
assistant/comparison.py)."""
from __future__ import annotations

import textwrap

from ..comparison import Comparison, agency_names
from ..document import when_label
from ..plans import bilingual
from .matrix import grid, tidy


_CMP_HEAD = {
    "vi": ("Văn bản", "Năm", "Chủ trì", "Phối hợp", "Thay đổi", "Nhiệm vụ khớp", "Ghi chú", "Không có nội dung này",
           "Không tìm thấy nhiệm vụ nào khớp."),
    "en": ("Document", "Year", "Lead", "Coordinating", "Change", "Matching tasks", "Notes", "Not covered in",
           "No matching tasks found."),
}


def render_comparison(cmp: Comparison) -> str:
    """The comparison as a terminal table, then the matching tasks and the notes."""
    h = _CMP_HEAD[cmp.lang]
    if not cmp.entries:
        return h[8]
    rows = []
    agency_mode = bool(cmp.agency and not cmp.topic)
    for e in cmp.entries:
        if agency_mode:
            led = [d.section for d in e.duties if d.role == "lead"]
            helped = [d.section for d in e.duties if d.role == "coordinating"]
            unit = "nhiệm vụ" if cmp.lang == "vi" else "tasks"
            rows.append([e.label, when_label(e.year, e.period),
                         f"{len(led)} {unit}" + (f": {', '.join(led)}" if led else ""),
                         f"{len(helped)} {unit}" + (f": {', '.join(helped)}" if helped else ""), e.change])
            continue
        lead = agency_names(e.lead, cmp.lang)
        if not e.lead and e.performers:
            lead += (" (thực hiện: " if cmp.lang == "vi" else " (performed by: ") + agency_names(e.performers, cmp.lang) + ")"
        if e.other_leads:
            lead += (" (+ " if cmp.lang == "vi" else " (also ") + agency_names(e.other_leads, cmp.lang) + ")"
        rows.append([e.label, when_label(e.year, e.period), lead, agency_names(e.coordinating, cmp.lang), e.change])
    out = []
    if agency_mode:
        out += [bilingual(cmp.agency) if cmp.lang == "en" else cmp.agency, ""]
    if cmp.topic:
        out += [f"{cmp.topic}" + (f" — {cmp.agency}" if cmp.agency else ""), ""]
    out += [grid(h[:5], rows, (20, 10, 34, 30, 36)), "", h[5] + ":"]
    for e in cmp.entries:
        out.append(f"  {e.label}")
        for d in e.duties:
            task = textwrap.shorten(tidy(d.task).replace("\n", " "), 110, placeholder="…")
            role = f" [{d.role}]" if d.role else ""
            out.append(f"    {d.section}{role}: {task} [{d.start}:{d.end}]")
    if cmp.missing:
        out += ["", f"{h[7]}: {', '.join(cmp.missing)}"]
    if cmp.notes:
        out += ["", h[6] + ":"] + [textwrap.fill(n, 110, initial_indent="  • ", subsequent_indent="    ") for n in cmp.notes]
    return "\n".join(out)
