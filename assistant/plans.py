"""Agencies and plans as people name them: an agency found from any alias, its English name, a plan's
label and years, the task records of an index. Shared by the chat's plan comparison and the trainer's
matrix, comparison and quiz."""
from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

from . import duties
from .document import period_years, when_label
from .errors import UsageError
from .text import fold

if TYPE_CHECKING:
    from .document import Document
    from .store import IndexStore


def match_key(s: str) -> str:
    """Lower case, no diacritics, punctuation as spaces: "Sở LĐ-TB&XH" and "so ld tb xh" meet."""
    return re.sub(r"[^a-z0-9]+", " ", fold(s)).strip()


def resolve_agency(name: str) -> str:
    """The canonical Vietnamese name for any alias, typed with or without diacritics."""
    name = (name or "").strip()
    if not name:
        raise UsageError("The agency name is empty — e.g. --agency \"Sở Y tế\".")
    agency = duties.agency_by_name(name)
    if agency is not None:
        return agency.name
    wanted = match_key(name)
    exact: dict[str, str] = {}
    partial: dict[str, str] = {}
    for agency in duties.agencies():
        for alias in agency.aliases:
            key = match_key(alias)
            if key == wanted:
                exact[agency.name] = alias
            elif wanted and re.search(rf"(?<![a-z0-9]){re.escape(wanted)}(?![a-z0-9])", key):
                partial[agency.name] = alias
    found = exact or partial
    if len(found) == 1:
        return next(iter(found))
    if found:
        raise UsageError(f"'{name}' matches several agencies: {'; '.join(sorted(found))} — give a longer name.")
    raise UsageError(f"No agency called '{name}' — e.g. \"Sở Y tế\", \"Công an tỉnh\", \"Sở LĐ-TB&XH\" "
                     "(see assistant/data/agencies.json).")


def is_specific(name: str) -> bool:
    """False for catch-all groups ("Các sở, ngành", "Các cơ quan, tổ chức có liên quan")."""
    agency = duties.agency_by_name(name)
    if agency is not None and agency.generic:
        return False
    return not fold(name).startswith("cac ")


def english(name: str) -> str:
    """The English name of a canonical agency."""
    return duties.english_name(name)


def bilingual(name: str) -> str:
    """'Department of Health (Sở Y tế)'; the Vietnamese name alone when no English is known."""
    en = english(name)
    return name if en == name else f"{en} ({name})"


# --- documents -------------------------------------------------------------------------------
_KIND_EN = {"kế hoạch": "plan", "quyết định": "decision", "bài báo": "article", "luật": "law",
            "bộ luật": "code", "chỉ thị": "directive", "thông tư": "circular", "nghị định": "decree"}


def when(record: Document) -> str:
    """'2026-2030' or '2024' or ''."""
    return when_label(getattr(record, "year", None), getattr(record, "period", None))


def first_year(record: Document) -> int | None:
    """The year a document starts to apply (first year of its period, else its year)."""
    years = period_years(str(getattr(record, "period", None) or ""))
    if years:
        return years[0]
    year = getattr(record, "year", None)
    return int(year) if year else None


def document_label(record: Document) -> str:
    """A short name: 'Ninh Bình 2024', 'Quảng Ninh 2011-2015' (the title when no province is known)."""
    province = getattr(record, "province", None)
    span = when(record)
    if province:
        return f"{province} {span}".strip()
    title = getattr(record, "title", "") or getattr(record, "doc_id", "")
    return textwrap.shorten(title, 40, placeholder="…") + (f" ({span})" if span else "")


def document_name(record: Document, lang: str = "vi") -> str:
    """'Kế hoạch Ninh Bình 2024' / 'the Ninh Bình 2024 plan', for question stems."""
    kind = (getattr(record, "kind", "") or "").strip().lower()
    label = document_label(record)
    if lang == "en":
        return f"the {label} {_KIND_EN.get(kind, 'document')}"
    # A named document type is capitalised ("Kế hoạch Ninh Bình 2024"); a news article is not.
    kind = kind if kind == "bài báo" else (kind.capitalize() or "Văn bản")
    return f"{kind} {label}"


# --- rows ------------------------------------------------------------------------------------
def store_duties(store: IndexStore) -> list[duties.Duty]:
    """The task records of an index (one per task, extracted at index time: IndexStore.tasks); not the section-wide
    "Các sở, ban, ngành … thực hiện" ones, which assign no task of one agency's own."""
    return [duty for duty in store.tasks if not duty.section_wide]


def _roman(s: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    if not s or any(c not in values for c in s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = values[a]
        total += -v if b in values and values[b] > v else v
    return total


def section_key(section: str) -> tuple:
    """Natural order of section paths: 'II › 2' < 'II › 10' < 'IV' < 'IX'."""
    out: list[tuple] = []
    for part in (section or "").split("›"):
        part = part.strip()
        roman = _roman(part)
        if roman is not None:
            out.append((0, roman, ""))
            continue
        numbers = tuple(int(n) for n in re.findall(r"\d+", part))
        out.append((1, numbers, fold(part)))
    return tuple(out)


def document_id(document: str, store: IndexStore) -> str:
    """The indexed document id for a user-typed id (case-insensitive); UsageError listing the ids otherwise."""
    if document in store.documents:
        return document
    for doc_id in store.documents:
        if doc_id.lower() == document.strip().lower():
            return doc_id
    raise UsageError(f"No document '{document}' in the index — known: {', '.join(sorted(store.documents))}.")
