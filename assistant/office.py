"""Older office files: Word 97–2003 .doc (through antiword), .rtf (striprtf) and .odt (zip + XML).

Each reader returns (text, title) with paragraphs one a line and table rows as
"cell | cell", like the .docx reader, so the chunker sees the same shapes whatever the
writer. Legacy TCVN3/VNI text inside them is converted by the loader afterwards.

antiword was chosen over LibreOffice for .doc: it is one 0.6 MB Debian package with no
dependencies that reads Word 97–2003 text and tables to UTF-8, where LibreOffice headless
is ~250 MB installed for the same text (LibreOffice is used only in the tests, as the writer).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from typing import Any

from assistant.errors import DocumentError

__all__ = ["read_doc", "read_rtf", "read_odt", "antiword_path", "ANTIWORD_HINT"]

ANTIWORD_HINT = "install antiword (Debian/Ubuntu: apt-get install antiword; macOS: brew install antiword) or save it as .docx"
# A .doc of a few hundred pages converts in well under a second; a hang means a damaged file.
_ANTIWORD_TIMEOUT_S = 60


def antiword_path() -> str | None:
    """The antiword executable, or None when it is not installed."""
    return shutil.which("antiword")


def _table_row(line: str) -> str | None:
    """A table row as antiword draws it ("|cell   |cell   |") → "cell | cell"; None for other lines."""
    stripped = line.strip()
    if len(stripped) < 2 or not (stripped.startswith("|") and stripped.endswith("|")):
        return None
    return " | ".join(" ".join(cell.split()) for cell in stripped[1:-1].split("|"))


def read_doc(data: bytes) -> tuple[str, str | None]:
    """Text of a Word 97–2003 file by antiword (tables as "cell | cell"). Raises DocumentError."""
    exe = antiword_path()
    if exe is None:
        raise DocumentError(f"reading .doc needs antiword, which is not installed — {ANTIWORD_HINT}")
    # antiword reads a path, not stdin; the file is private to this process and removed at once.
    fd, name = tempfile.mkstemp(suffix=".doc")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:
            done = subprocess.run(
                [exe, "-m", "UTF-8.txt", "-w", "0", name],
                capture_output=True,
                timeout=_ANTIWORD_TIMEOUT_S,
                env={**os.environ, "LC_ALL": "C.UTF-8"},
            )
        except subprocess.TimeoutExpired as exc:
            raise DocumentError(f"not a readable .doc: antiword gave up after {_ANTIWORD_TIMEOUT_S} s (damaged file?)") from exc
    finally:
        os.unlink(name)
    message = done.stderr.decode("utf-8", "replace").replace(name, "the file").strip(" :\n")
    if done.returncode != 0:
        raise DocumentError(f"not a valid .doc (Word 97–2003): antiword: {message or f'exit code {done.returncode}'}")
    text = done.stdout.decode("utf-8", "replace")
    lines = []
    for line in text.split("\n"):
        row = _table_row(line)
        lines.append(row if row is not None else line.rstrip())
    # antiword opens with blank lines and separates paragraphs by one; keep one blank line at most.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n", None


def read_rtf(data: bytes) -> tuple[str, str | None]:
    """Text of an RTF file (\\uN escapes and \\ansicpg code pages decoded; table cells joined by " | ")."""
    from striprtf.striprtf import rtf_to_text

    head = data[:64].lstrip()
    if not head.startswith(b"{\\rtf"):
        raise DocumentError("not a valid .rtf: it does not start with {\\rtf")
    try:
        # RTF is 7-bit ASCII with escapes; stray 8-bit bytes are read as the RTF default code page.
        text = rtf_to_text(data.decode("cp1252", "replace"), errors="replace")
    except Exception as exc:  # striprtf raises plain exceptions on broken groups or code pages
        raise DocumentError(f"not a valid .rtf: {type(exc).__name__}: {exc}") from exc
    lines = []
    for line in text.split("\n"):
        # striprtf ends every cell with "|": "a|b|" is a table row.
        if line.endswith("|") and not line.startswith("|"):
            line = " | ".join(" ".join(c.split()) for c in line[:-1].split("|"))
        lines.append(line.rstrip())
    return "\n".join(lines), _rtf_title(data)


def _rtf_title(data: bytes) -> str | None:
    m = re.search(rb"{\\title\s+([^{}]*)}", data[:20_000])
    if not m:
        return None
    from striprtf.striprtf import rtf_to_text

    title = rtf_to_text(m.group(1).decode("cp1252", "replace"), errors="replace").strip()
    return title or None


# --- OpenDocument text -------------------------------------------------------------------
_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


_PARAGRAPHS = {_q("text", "p"), _q("text", "h")}
_CONTAINERS = {
    _q("text", "list"), _q("text", "list-item"), _q("text", "list-header"), _q("text", "section"),
    _q("text", "index-body"), _q("text", "table-of-content"), _q("office", "text"),
    _q("table", "table-header-rows"), _q("table", "table-rows"), _q("table", "table-row-group"),
}
_SKIPPED = {_q("text", "note"), _q("text", "tracked-changes"), _q("office", "annotation"), _q("text", "sequence-decls")}


def _parse_xml(raw: bytes) -> Any:
    from lxml import etree

    # No entity expansion, no network, no giant trees: the XML comes from an untrusted upload.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(raw, parser)


def _inline_text(element: Any) -> str:
    """The characters of one paragraph: spans, links, <text:s c="3"/>, tabs and line breaks."""
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _q("text", "s"):
            parts.append(" " * int(child.get(_q("text", "c"), "1") or 1))
        elif tag == _q("text", "tab"):
            parts.append("\t")
        elif tag == _q("text", "line-break"):
            parts.append("\n")
        elif tag in _SKIPPED:
            pass  # a footnote's body would land in the middle of its sentence
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _walk_odt(element: Any, lines: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in _PARAGRAPHS:
            lines.append(_inline_text(child))
        elif tag == _q("table", "table"):
            _odt_table(child, lines)
        elif tag in _CONTAINERS:
            _walk_odt(child, lines)


def _odt_table(table: Any, lines: list[str]) -> None:
    rows = table.iter(_q("table", "table-row"))
    for row in rows:
        if row.getparent() is not None and _enclosing_table(row) is not table:
            continue  # a row of a nested table is read as part of its cell
        cells = []
        for cell in row:
            if cell.tag != _q("table", "table-cell"):
                continue  # covered (merged) cells repeat nothing: the spanning cell holds the text
            inner: list[str] = []
            _walk_odt(cell, inner)
            cells.append(" ".join(" ".join(inner).split()))
        while cells and not cells[-1]:
            cells.pop()  # a row padded with repeated empty columns up to the sheet width
        lines.append(" | ".join(cells))


def _enclosing_table(row: Any) -> Any:
    node = row.getparent()
    while node is not None and node.tag != _q("table", "table"):
        node = node.getparent()
    return node


def read_odt(data: bytes, check_zip: Any) -> tuple[str, str | None]:
    """Paragraphs, lists and tables of an OpenDocument text in reading order, and its dc:title."""
    import zipfile

    check_zip(data, required="content.xml", kind=".odt")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            content = _parse_xml(zf.read("content.xml"))
            meta = _parse_xml(zf.read("meta.xml")) if "meta.xml" in zf.namelist() else None
    except DocumentError:
        raise
    except Exception as exc:  # zlib, lxml and zipfile errors all mean a damaged file
        raise DocumentError(f"not a valid .odt: {type(exc).__name__}: {exc}") from exc
    body = content.find(f"{_q('office', 'body')}/{_q('office', 'text')}")
    if body is None:
        raise DocumentError("not a valid .odt: content.xml has no office:text body (a spreadsheet or drawing?)")
    lines: list[str] = []
    _walk_odt(body, lines)
    title = None
    if meta is not None:
        found = meta.find(f".//{_q('dc', 'title')}")
        title = (found.text or "").strip() or None if found is not None else None
    return "\n".join(lines), title
