"""The responsibility matrix: every task of every plan with who leads, coordinates and performs it.

Rows are plain dicts (the UI and the exports share them)::

    {"document": id, "title": str, "year": int | None, "period": str | None, "label": "Ninh Bình 2024",
     "section": "II › 4 › -2", "heading": str, "task": str, "lead": [...], "coordinating": [...], "performers": [...],
     "start": int, "end": int, "clause": str}

`start`/`end` are the task's span in the document's display text, so a link can open the passage.
With lang="en" each row also carries "lead_en", "coordinating_en" and "performers_en".

Usage::

    rows = duty_rows(bot.store, agency="so y te", keyword="nạn nhân")
    write_matrix(rows, "xlsx", "trach-nhiem.xlsx")
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .. import duties
from ..document import when_label
from ..errors import UsageError
from ..plans import (bilingual, document_id, document_label, english, first_year, match_key, resolve_agency, section_key,
                     store_duties)
from ..text import printable, spreadsheet_safe

if TYPE_CHECKING:
    from ..document import Document
    from ..store import IndexStore

FORMATS = ("table", "csv", "xlsx", "json")
SORTS = ("document", "year", "section")
ROLES = ("any", "lead", "coordinating", "performers")

# --- agencies --------------------------------------------------------------------------------


def _keyword_hit(duty: duties.Duty, words: Sequence[str]) -> bool:
    haystack = " " + match_key(f"{duty.task} {duty.heading} {duty.clause}") + " "
    return all(f" {w} " in haystack for w in words)


def duty_rows(
    store: IndexStore,
    agency: str | None = None,
    document: str | None = None,
    keyword: str | None = None,
    role: str = "any",
    sort: str = "document",
    lang: str = "vi",
) -> list[dict]:
    """Matrix rows filtered by agency alias (and role), document id and keyword, sorted by document, year or section."""
    if sort not in SORTS:
        raise UsageError(f"Unknown sort '{sort}' — use one of: {', '.join(SORTS)}.")
    if role not in ROLES:
        raise UsageError(f"Unknown role '{role}' — use one of: {', '.join(ROLES)}.")
    wanted = resolve_agency(agency) if agency else None
    doc_id = document_id(document, store) if document else None
    words = match_key(keyword or "").split()
    rows = []
    for duty in store_duties(store):
        if doc_id and duty.doc_id != doc_id:
            continue
        if wanted:
            groups = {"lead": duty.lead, "coordinating": duty.coordinating, "performers": duty.performers}
            names = groups[role] if role != "any" else (*duty.lead, *duty.coordinating, *duty.performers)
            if wanted not in names:
                continue
        if words and not _keyword_hit(duty, words):
            continue
        rows.append(row_of(duty, store.documents.get(duty.doc_id), lang))
    order = {d: i for i, d in enumerate(store.documents)}
    if sort == "year":
        rows.sort(key=lambda r: (r["_first_year"] is None, r["_first_year"] or 0, order.get(r["document"], 0), r["start"]))
    elif sort == "section":
        rows.sort(key=lambda r: (section_key(r["section"]), order.get(r["document"], 0), r["start"]))
    else:
        rows.sort(key=lambda r: (r["document"], r["start"], r["clause_start"]))
    for r in rows:
        del r["_first_year"]
    return rows


def row_of(duty: duties.Duty, record: Document | None = None, lang: str = "vi") -> dict:
    """One matrix row for a duty."""
    row = {
        "document": duty.doc_id,
        "title": getattr(record, "title", duty.doc_id) if record else duty.doc_id,
        "year": getattr(record, "year", None) if record else None,
        "period": getattr(record, "period", None) if record else None,
        "label": document_label(record) if record else duty.doc_id,
        "section": duty.section,
        "heading": duty.heading,
        "task": duty.task,
        "lead": list(duty.lead),
        "coordinating": list(duty.coordinating),
        "performers": list(duty.performers),
        "start": duty.task_start,
        "end": duty.task_end,
        "clause": duty.clause,
        "clause_start": duty.clause_start,
        "clause_end": duty.clause_end,
        "_first_year": first_year(record) if record else None,
    }
    if lang == "en":
        for field in ("lead", "coordinating", "performers"):
            row[f"{field}_en"] = [english(n) for n in row[field]]
    return row


# --- writers ---------------------------------------------------------------------------------
_HEAD = {
    "vi": {"label": "Văn bản", "when": "Năm / giai đoạn", "section": "Mục", "task": "Nhiệm vụ", "lead": "Chủ trì",
           "coordinating": "Phối hợp", "performers": "Thực hiện", "clause": "Câu phân công", "span": "Vị trí (ký tự)",
           "document": "Mã văn bản", "all": "Tất cả", "none": "Không có nhiệm vụ nào khớp.", "count": "nhiệm vụ"},
    "en": {"label": "Document", "when": "Year / period", "section": "Section", "task": "Task", "lead": "Lead",
           "coordinating": "Coordinating", "performers": "Performing", "clause": "Assignment clause",
           "span": "Position (characters)", "document": "Document id", "all": "Tất cả", "none": "No matching tasks.",
           "count": "tasks"},
}
_COLUMNS = ("label", "when", "section", "task", "lead", "coordinating", "performers", "clause", "span", "document")
_WIDTHS = {"label": 22, "when": 12, "section": 16, "task": 70, "lead": 34, "coordinating": 34, "performers": 28,
           "clause": 50, "span": 14, "document": 30}


def tidy(text: str) -> str:
    """Text for a table cell: no Markdown asterisks, no blank lines."""
    # Markdown italics residue and page-break blank lines are noise in a table cell.
    text = text.replace("*", "")
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def _names(row: dict, field: str, lang: str, sep: str = "; ") -> str:
    names = row.get(field) or []
    if lang == "en":
        return sep.join(bilingual(n) for n in names)
    return sep.join(names)


def _cells(row: dict, lang: str) -> dict[str, Any]:
    """The cells of one row as every writer shows them, free of control characters (XLSX refuses them)."""
    cells = {
        "label": row.get("label") or row["document"],
        "when": when_label(row.get("year"), row.get("period")),
        "section": row.get("section", ""),
        "task": tidy(row.get("task", "")),
        "lead": _names(row, "lead", lang),
        "coordinating": _names(row, "coordinating", lang),
        "performers": _names(row, "performers", lang),
        "clause": tidy(row.get("clause", "")),
        "span": f"{row['start']}–{row['end']}",
        "document": row["document"],
    }
    return {k: printable(v) if isinstance(v, str) else v for k, v in cells.items()}


def _lang_of(rows: Sequence[dict], lang: str | None) -> str:
    if lang in ("vi", "en"):
        return lang
    return "en" if rows and "lead_en" in rows[0] else "vi"


def grid(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> str:
    """A plain-text table whose cells wrap within fixed column widths."""

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w)[:w] for c, w in zip(cells, widths)).rstrip()

    out = [line(headers), "  ".join("─" * w for w in widths)]
    for row in rows:
        wrapped = [textwrap.wrap(str(cell), w) or [""] for cell, w in zip(row, widths)]
        for i in range(max(len(c) for c in wrapped)):
            out.append(line([c[i] if i < len(c) else "" for c in wrapped]))
    return "\n".join(out)


def render_table(rows: Sequence[dict], lang: str = "vi", width: int | None = None) -> str:
    """A terminal table: the task cut to one line, lead and coordinating agencies wrapped."""
    head = _HEAD[lang]
    if not rows:
        return head["none"]
    width = width or max(100, shutil.get_terminal_size((140, 24)).columns)
    fixed = (20, 14, 30, 30)
    task_width = max(30, width - sum(fixed) - 2 * 4)
    widths = (fixed[0], fixed[1], task_width, fixed[2], fixed[3])
    lines = []
    for row in rows:
        cells = _cells(row, lang)
        task = textwrap.shorten(cells["task"].replace("\n", " "), task_width, placeholder="…") if cells["task"] else ""
        if lang == "en":  # English names only: the terminal is narrow
            cells["lead"] = "; ".join(english(n) for n in row.get("lead") or [])
            cells["coordinating"] = "; ".join(english(n) for n in row.get("coordinating") or [])
        lines.append([cells["label"], cells["section"], task, cells["lead"] or "—", cells["coordinating"]])
    order = ("label", "section", "task", "lead", "coordinating")
    return grid([head[c] for c in order], lines, widths) + f"\n\n{len(rows)} {head['count']}"


def to_csv(rows: Sequence[dict], lang: str = "vi") -> str:
    """CSV text (without BOM; write_matrix adds one for Excel)."""
    head = _HEAD[lang]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([head[c] for c in _COLUMNS])
    for row in rows:
        cells = _cells(row, lang)
        writer.writerow([spreadsheet_safe(cells[c]) for c in _COLUMNS])  # a task "=HYPERLINK(…)" stays text
    return buf.getvalue()


def _printable_json(value: Any) -> Any:
    """`value` with every string passed through printable()."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {k: _printable_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_printable_json(v) for v in value]
    return value


def _sheet_title(name: str, taken: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique regardless of case.
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("' ") or "Sheet"
    base = base[:31]
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.casefold())
    return title


def to_xlsx(rows: Sequence[dict], path: Path, lang: str = "vi") -> None:
    """An Excel workbook: 'Tất cả' first, then one sheet per document; bold frozen header, wrapped cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    head = _HEAD[lang]
    wb = Workbook()
    taken: set[str] = set()
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["document"], []).append(row)

    def fill(ws, sheet_rows: Sequence[dict]) -> None:
        ws.append([head[c] for c in _COLUMNS])
        for row in sheet_rows:
            cells = _cells(row, lang)
            ws.append([cells[c] for c in _COLUMNS])
        bold, shade = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        wrap = Alignment(wrap_text=True, vertical="top")
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = bold, shade, wrap
        for line in ws.iter_rows(min_row=2):
            for cell in line:
                cell.alignment = wrap
                if cell.data_type == "f":  # openpyxl makes any "=…" string a formula; document text is text
                    cell.data_type = "s"
        for i, c in enumerate(_COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = _WIDTHS[c]
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions

    ws = wb.active
    ws.title = _sheet_title(head["all"], taken)
    fill(ws, rows)
    for doc_rows in groups.values():
        ws = wb.create_sheet(_sheet_title(printable(doc_rows[0].get("label") or doc_rows[0]["document"]), taken))
        fill(ws, doc_rows)
    wb.save(path)


def write_matrix(rows: Sequence[dict], fmt: str = "table", out: str | Path | None = None, lang: str | None = None) -> int:
    """Write matrix rows as a table, CSV (UTF-8 with BOM), XLSX or JSON to a file or stdout; returns an exit code."""
    if fmt not in FORMATS:
        raise UsageError(f"Unknown format '{fmt}' — use one of: {', '.join(FORMATS)}.")
    lang = _lang_of(rows, lang)
    if fmt == "xlsx" and not out:
        raise UsageError("An Excel file needs a name: add --out trach-nhiem.xlsx")
    if fmt == "table":
        text = render_table(rows, lang)
    elif fmt == "csv":
        text = to_csv(rows, lang)
    elif fmt == "json":
        text = json.dumps(_printable_json(list(rows)), ensure_ascii=False, indent=1)
    else:
        text = ""
    if not out:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    path = Path(out)
    try:
        if fmt == "xlsx":
            to_xlsx(rows, path, lang)
        else:
            # The BOM makes Excel read the CSV as UTF-8, so Vietnamese shows correctly.
            path.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="" if fmt == "csv" else None)
    except OSError as exc:
        raise UsageError(f"Cannot write {path}: {exc.strerror or exc} — check the folder exists and is writable.") from exc
    print(f"{len(rows)} {_HEAD[lang]['count']} → {path}", file=sys.stderr)
    return 0
