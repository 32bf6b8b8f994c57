"""Read .txt/.md/.pdf/.docx/.doc/.rtf/.odt files into documents with display text, pages and metadata.

Usage::

    docs, problems = load_folder("documents")
    for p in problems:
        print(p.path, p.reason)

Every later citation span indexes into ``Document.text`` (the display text), so the
text is fixed here once: decoded, legacy fonts converted, ``clean_display`` applied; the
document's number, date and signer lines are found here once too (``Document.particulars``).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date as _date
from pathlib import Path
from typing import Any, Callable

from assistant.diacritics import build_restore_table, restore_diacritics
from assistant.document import PARTICULARS, Document, Page, find_particular
from assistant.errors import ConfigError, DocumentError
from assistant.legacy import bytes_as_cp1252, convert_legacy, detect_legacy
from assistant.ocr import PageOCR, draws_images, needs_ocr, page_key
from assistant.office import read_doc, read_odt, read_rtf
from assistant.pdftext import join_pages, remove_running_lines
from assistant.text import (
    clean_display,
    fold,
    is_vietnamese_syllable,
    normalize_for_matching,
)

__all__ = [
    "SUPPORTED_SUFFIXES",
    "CATALOG_NAME",
    "Page",
    "Document",
    "LoadProblem",
    "LoadError",
    "load_document",
    "load_folder",
    "read_catalog",
    "is_skipped",
    "decode_text",
    "infer_metadata",
    "make_doc_id",
]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".pdf", ".docx", ".doc", ".rtf", ".odt"})
CATALOG_NAME = "catalog.json"
MB = 1024 * 1024
DEFAULT_MAX_BYTES = 100 * MB
DEFAULT_MAX_UNZIPPED_BYTES = 200 * MB
DEFAULT_MAX_ZIP_RATIO = 100.0
# Below this unpacked size a .docx cannot hurt, whatever its ratio (a blank template
# compresses very well), so the ratio is checked only above it.
_RATIO_CHECK_FROM = 1 * MB

Progress = Callable[[int, int], None]


class LoadError(DocumentError):
    """One file could not be read; the message says why and what to do."""


@dataclass(frozen=True)
class LoadProblem:
    """A file that was skipped, and why."""

    path: str
    reason: str


# ---------------------------------------------------------------------------
# Folder


def is_skipped(path: Path, folder: Path) -> bool:
    """True for files the loader never reads: hidden files, Office lock files, the folder's own catalog.json and README.md."""
    rel = Path(path).relative_to(folder)
    if any(part.startswith(".") for part in rel.parts) or rel.name.startswith("~$"):
        return True
    return len(rel.parts) == 1 and rel.name.lower() in (CATALOG_NAME, "readme.md")


def read_catalog(folder: str | Path) -> dict[str, dict[str, Any]]:
    """Read ``folder/catalog.json`` into {file name: metadata}; {} when there is none."""
    path = Path(folder) / CATALOG_NAME
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoadError(f"{path}: catalog is not valid UTF-8 JSON ({exc}); fix or delete it") from exc
    entries = raw.get("documents", raw) if isinstance(raw, dict) else None
    if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
        raise LoadError(f'{path}: expected {{"documents": {{"file.txt": {{"title": ...}}}}}}')
    return entries


def load_folder(
    folder: str | Path,
    *,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
    max_zip_ratio: float = DEFAULT_MAX_ZIP_RATIO,
    ocr: PageOCR | None = None,
) -> tuple[list[Document], list[LoadProblem]]:
    """Load every document under ``folder`` (sorted, recursive); a bad file becomes a LoadProblem, never an abort.

    With ``ocr``, PDF pages without a usable text layer are read by Tesseract (cached per page).
    """
    root = Path(folder)
    if not root.is_dir():
        raise ConfigError(f"documents folder not found: {root} — create it or set ASSISTANT_DOCUMENTS")
    problems: list[LoadProblem] = []
    try:
        catalog = read_catalog(root)
    except LoadError as exc:
        catalog = {}
        problems.append(LoadProblem(str(root / CATALOG_NAME), str(exc)))
    files = sorted(
        (p for p in root.rglob("*") if p.is_file() and not is_skipped(p, root)),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    docs: list[Document] = []
    used_ids: set[str] = set()
    for done, path in enumerate(files, 1):
        # Catalog keys are paths relative to the folder ("laws/luat-66.txt"), or bare file names.
        entry = catalog.get(path.relative_to(root).as_posix()) or catalog.get(path.name)
        try:
            doc = load_document(
                path,
                {path.name: entry} if entry else None,
                max_bytes=max_bytes,
                max_unzipped_bytes=max_unzipped_bytes,
                max_zip_ratio=max_zip_ratio,
                ocr=ocr,
            )
        except LoadError as exc:
            problems.append(LoadProblem(str(path), str(exc)))
        except Exception as exc:  # a bug in a reader must not cost the other files
            log.exception("unexpected error loading %s", path)
            problems.append(LoadProblem(str(path), f"unexpected error: {type(exc).__name__}: {exc}"))
        else:
            doc_id, k = doc.doc_id, 2
            while doc_id in used_ids:  # same stem in two subfolders
                doc_id, k = f"{doc.doc_id}-{k}", k + 1
            used_ids.add(doc_id)
            docs.append(doc if doc_id == doc.doc_id else replace(doc, doc_id=doc_id))
        if progress is not None:
            progress(done, len(files))
    return docs, problems


# ---------------------------------------------------------------------------
# One file


def make_doc_id(stem: str) -> str:
    """Stable id from a file stem: folded to lower-case ASCII, [a-z0-9-] only."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-")
    return slug or "document"


def load_document(
    path: str | Path,
    catalog: dict[str, Any] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
    max_zip_ratio: float = DEFAULT_MAX_ZIP_RATIO,
    ocr: PageOCR | None = None,
) -> Document:
    """Read one .txt/.md/.pdf/.docx/.doc/.rtf/.odt file; ``catalog`` is {file name: metadata} as in catalog.json. Raises LoadError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kind = f"'{suffix}'" if suffix else "(no extension)"
        hint = " — save it as .docx or .pdf" if suffix in (".wpd", ".wps", ".pages", ".xls", ".ppt") else ""
        raise LoadError(f"unsupported type {kind}: the loader reads .txt, .md, .pdf, .docx, .doc, .rtf and .odt{hint}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(
                f"file too large: {_size(size)} > limit {_size(max_bytes)} — split it or raise max_bytes"
            )
        data = path.read_bytes()  # read once: the same bytes are hashed and parsed
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from exc
    if not data:
        raise LoadError("empty file")

    warnings: list[str] = []
    pages: tuple[Page, ...]
    fallback_title: str | None = None
    ocr_pages: tuple[int, ...] = ()
    if suffix == ".pdf":
        text, pages, fallback_title, ocr_pages = _read_pdf(data, warnings, ocr)
        encoding = "pdf+ocr" if ocr_pages else "pdf"
    elif suffix in (".docx", ".doc", ".rtf", ".odt"):
        text, fallback_title, encoding = _read_office(data, suffix, max_unzipped_bytes, max_zip_ratio)
        text, legacy = _convert_legacy_paragraphs(text)
        if legacy:
            encoding = f"{encoding}+{legacy}"
            warnings.append(f"converted from the legacy {_LEGACY_NAMES[legacy]} font encoding")
        pages = (Page(1, 0, len(text)),)
    else:
        text, encoding, decode_warnings = decode_text(data)
        warnings.extend(decode_warnings)
        pages = (Page(1, 0, len(text)),)
    if not text.strip():
        raise LoadError("no text in document")

    meta = infer_metadata(_metadata_view(text))
    entry = _catalog_entry(catalog, path)
    if meta["number_blank"] and not (entry and entry.get("number")):
        warnings.append(f"document number is left blank ({meta['number_blank']})")
    fields: dict[str, Any] = {
        "title": meta["title"] or fallback_title or title_from_file_name(path.stem, text),
        "kind": meta["kind"] or "văn bản",
        "number": meta["number"],
        "issuer": meta["issuer"],
        "province": meta["province"],
        "date": meta["date"],
        "year": meta["year"],
        "period": meta["period"],
    }
    if entry:
        # The catalog is the curated truth: its keys win, an explicit null included.
        for key in fields:
            if key in entry:
                fields[key] = entry[key]
        fields["title"] = fields["title"] or path.stem
        fields["kind"] = fields["kind"] or "văn bản"
        if fields["year"] is None and isinstance(fields["date"], str) and fields["date"][:4].isdigit():
            fields["year"] = int(fields["date"][:4])
    return Document(
        doc_id=make_doc_id(path.stem),
        path=str(path),
        text=text,
        pages=pages,
        warnings=tuple(warnings),
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        ocr_pages=ocr_pages,
        particulars={kind: find_particular(kind, text) for kind in PARTICULARS},
        **fields,
    )


# Metadata sits in the header and the signature block; reading all of a 50 MB file for it
# took half a minute, so very long texts are read at both ends only.
_METADATA_HEAD, _METADATA_TAIL = 300_000, 20_000


def _metadata_view(text: str) -> str:
    if len(text) <= _METADATA_HEAD + _METADATA_TAIL:
        return text
    return text[:_METADATA_HEAD] + "\n" + text[-_METADATA_TAIL:]


def _catalog_entry(catalog: dict[str, Any] | None, path: Path) -> dict[str, Any] | None:
    """The catalog entry for ``path``: keyed by file name, or by a path ending in it."""
    if not catalog:
        return None
    documents = catalog.get("documents")
    entries = documents if isinstance(documents, dict) else catalog  # the raw catalog.json works too
    entry = entries.get(path.name)
    if entry is None:
        posix = path.as_posix()
        entry = next((v for k, v in entries.items() if posix.endswith("/" + k)), None)
    return entry if isinstance(entry, dict) else None


def _size(n: float) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.1f} KB" if n >= 1024 else f"{n:.0f} bytes"


# ---------------------------------------------------------------------------
# Plain text


def _utf16_without_bom(data: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when NUL bytes sit on one side, as ASCII-heavy UTF-16 text does."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    half = len(sample) // 2
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd >= 0.2 and even <= 0.02:
        return "utf-16-le"
    if even >= 0.2 and odd <= 0.02:
        return "utf-16-be"
    return None


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC, .VnTime)", "vni": "VNI (VNI-Times)"}


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Decode text-file bytes to display text; returns (text, encoding, warnings). Raises LoadError for non-text."""
    warnings: list[str] = []
    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise LoadError(f"not text: starts with a {name} byte-order mark but does not decode ({exc.reason})") from exc
            encoding = name
            break
    if text is None and (name16 := _utf16_without_bom(data)):
        try:
            text, encoding = data.decode(name16), name16
        except UnicodeDecodeError:
            text = None
    if text is None and b"\x00" in data:
        raise LoadError("not text: contains NUL bytes (a binary file named .txt?)")
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text = None
    if text is not None:
        # UTF-8 can still carry legacy mojibake, e.g. .VnTime text pasted into a UTF-8 file.
        legacy = detect_legacy(text)
        if legacy:
            text = convert_legacy(text, legacy)
            encoding = f"{encoding}+{legacy}"
            warnings.append(f"converted from the legacy {_LEGACY_NAMES[legacy]} font encoding")
    else:
        view = bytes_as_cp1252(data)
        legacy = detect_legacy(view)
        if legacy:
            text, encoding = convert_legacy(view, legacy), legacy
            warnings.append(f"converted from the legacy {_LEGACY_NAMES[legacy]} font encoding")
        else:
            # Windows-1258 writes tone marks as separate combining characters; clean_display
            # composes them (NFC) below.
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError:
                text = data.decode("cp1258", errors="replace")
                warnings.append("some bytes are not valid Windows-1258 and were replaced by U+FFFD")
            encoding = "cp1258"
            warnings.append("not UTF-8: decoded as Windows-1258 (Vietnamese); save as UTF-8 to be sure")
    _reject_binary(text)  # before clean_display, which drops the control characters this counts
    text = clean_display(text)
    return text, encoding, warnings


# Control characters (Unicode category Cc) other than \t \n \v \f \r and DOS's \x1a end-of-file mark,
# and U+FFFD; a regex because a 50 MB file is 50 million characters.
_BINARY_CHARS = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f\ufffd]")


def _reject_binary(text: str) -> None:
    """Raise LoadError when decoded text is mostly control characters or replacement marks."""
    if not text:
        return
    bad = len(_BINARY_CHARS.findall(text))
    if bad > 0.02 * len(text):
        raise LoadError(
            f"not text: {bad} of {len(text)} characters are control codes or undecodable (a binary file?)"
        )


# ---------------------------------------------------------------------------
# PDF


def _read_pdf(
    data: bytes, warnings: list[str], ocr: PageOCR | None = None
) -> tuple[str, tuple[Page, ...], str | None, tuple[int, ...]]:
    """Text per page (OCR where the text layer is unusable), the page spans, the PDF's title, the OCR'd pages."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except DependencyError as exc:
                raise LoadError(
                    "encrypted PDF: decrypting it needs the 'cryptography' package (pip install cryptography)"
                ) from exc
            if not unlocked:
                raise LoadError("encrypted PDF: password required — save an unprotected copy")
            warnings.append("PDF is encrypted with an empty password; opened without one")
        page_list = list(reader.pages)
    except LoadError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files; all mean the same here
        raise LoadError(f"corrupt or truncated PDF: {type(exc).__name__}: {exc}") from exc
    if not page_list:
        raise LoadError("PDF has no pages")

    page_texts: list[str] = []
    scanned: list[int] = []
    for number, page in enumerate(page_list, 1):
        try:
            raw = page.extract_text() or ""
        except Exception as exc:  # one damaged page must not lose the others
            warnings.append(f"page {number}: text extraction failed ({type(exc).__name__})")
            raw = ""
        page_text = clean_display(raw).strip()
        if needs_ocr(page_text, draws_images(page)):
            scanned.append(number)
        page_texts.append(page_text)
    ocr_pages, ocr_failed = _ocr_pages(data, page_list, scanned, page_texts, warnings, ocr)
    # Headers, footers and page numbers would cut paragraphs and pollute every chunk that spans a page.
    text, spans = join_pages(remove_running_lines(page_texts))
    pages = [Page(number, start, end) for number, (start, end) in enumerate(spans, 1)]
    if not text.strip():
        if ocr_pages or ocr_failed:
            raise LoadError(
                "no text found: the PDF has no text layer and OCR read no text (a photo, a drawing or a blank scan?)"
            )
        hint = f" — {ocr.unavailable}" if ocr is not None and ocr.unavailable else ""
        raise LoadError(f"no text layer: needs OCR (scanned PDF){hint}")
    title = None
    try:
        title = (reader.metadata.title or "").strip() if reader.metadata else None
    except Exception:  # broken metadata is no reason to lose the text
        title = None
    return text, tuple(pages), clean_display(title) if title else None, tuple(ocr_pages)


def _ocr_pages(
    data: bytes,
    page_list: list[Any],
    scanned: list[int],
    page_texts: list[str],
    warnings: list[str],
    ocr: PageOCR | None,
) -> tuple[list[int], bool]:
    """OCR the ``scanned`` pages into ``page_texts`` in place; (pages read by OCR, whether OCR failed on any)."""
    done: list[int] = []
    failed = False
    if not scanned:
        return done, failed
    import tempfile

    if ocr is not None and not ocr.unavailable and len(scanned) > ocr.options.max_pages:
        uncached = [n for n in scanned if ocr.cached(_page_key_or_none(page_list[n - 1]) or "") is None]
        if len(uncached) > ocr.options.max_pages:
            message = (f"{len(uncached)} scanned pages need OCR, more than the limit of {ocr.options.max_pages} "
                       "per document — split the file or raise ASSISTANT_OCR_MAX_PAGES")
            if not any(page_texts[n - 1] for n in range(1, len(page_list) + 1) if n not in scanned):
                raise LoadError(message)
            warnings.append(message)
            return done, failed
    # pdftoppm reads a file: written once per document, only when a page is not in the cache.
    with tempfile.TemporaryDirectory(prefix="assistant-pdf-") as tmp:
        pdf_path = Path(tmp) / "document.pdf"
        for number in scanned:
            try:
                key = page_key(page_list[number - 1]) if ocr is not None else ""
            except Exception:  # a damaged page dictionary: its content cannot be hashed, so it is not cached
                key = f"unhashable-{hashlib.sha256(data).hexdigest()}-{number}"
            cached = ocr.cached(key) if ocr is not None else None
            if cached is None and (ocr is None or ocr.unavailable):
                if not page_texts[number - 1]:
                    why = f": {ocr.unavailable}" if ocr is not None else ""
                    warnings.append(f"page {number} has no text layer (needs OCR){why}")
                continue
            try:
                if cached is None and not pdf_path.exists():
                    pdf_path.write_bytes(data)
                text = cached if cached is not None else ocr.read(pdf_path, number, key)  # type: ignore[union-attr]
            except DocumentError as exc:  # one page that OCR cannot read must not lose the others
                warnings.append(f"page {number}: {exc}")
                failed = True
                continue
            if text.strip():
                page_texts[number - 1] = clean_display(text).strip()
                done.append(number)
            else:
                warnings.append(f"page {number}: no text layer and OCR found no text")
                failed = True
    if done and ocr is not None:
        warnings.append(f"{_page_list(done)} read by OCR (Tesseract, {ocr.options.language}): check spellings against the original")
    return done, failed


def _page_key_or_none(page: Any) -> str | None:
    try:
        return page_key(page)
    except Exception:  # a damaged page dictionary cannot be hashed, hence never cached
        return None


def _page_list(numbers: list[int]) -> str:
    """"page 3", "pages 1–4", "pages 1–2, 5"."""
    runs: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(f"{start}" if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(runs)


# ---------------------------------------------------------------------------
# DOCX


def check_zip(
    data: bytes,
    max_unzipped_bytes: int,
    max_zip_ratio: float,
    required: str = "word/document.xml",
    kind: str = ".docx",
) -> None:
    """Refuse archives that are not zips, or would unpack too large (zip bombs), before any XML is parsed."""
    import zipfile

    again = "is it an old .doc? Save it as .docx" if kind == ".docx" else f"save it again as {kind}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise LoadError(f"not a valid {kind}: not a zip archive ({exc}) — {again}") from exc
    except NotImplementedError as exc:  # a damaged header claiming a zip version or feature zipfile lacks
        raise LoadError(f"not a valid {kind}: damaged or unsupported zip archive ({exc}) — save it again as {kind}") from exc
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if unpacked > max_unzipped_bytes:
        raise LoadError(
            f"refused {kind}: it would unpack to {_size(unpacked)} (limit {_size(max_unzipped_bytes)}) — possible zip bomb"
        )
    if unpacked >= _RATIO_CHECK_FROM and unpacked > max_zip_ratio * max(packed, 1):
        ratio = unpacked / max(packed, 1)
        raise LoadError(
            f"refused {kind}: compression ratio {ratio:.0f}:1 is above {max_zip_ratio:.0f}:1 — possible zip bomb"
        )
    if required not in {i.filename for i in infos}:
        raise LoadError(f"not a valid {kind}: the zip has no {required}")


# Word 97–2003 files are OLE2 compound files; Word also saves RTF under a .doc name, and
# people rename .docx files to .doc: the bytes decide, not the suffix.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_office(
    data: bytes, suffix: str, max_unzipped_bytes: int, max_zip_ratio: float
) -> tuple[str, str | None, str]:
    """(display text, title, format) of a word-processor file, read by what its bytes are."""
    if data.lstrip()[:5] == b"{\\rtf":
        kind = "rtf"
    elif data.startswith(_OLE2_MAGIC):
        kind = "doc"
    elif data.startswith(b"PK") and suffix == ".odt":
        kind = "odt"
    elif data.startswith(b"PK"):
        kind = "docx"
    else:
        kind = suffix[1:]
    try:
        if kind == "docx":
            text, title = _read_docx(data, max_unzipped_bytes, max_zip_ratio)
        elif kind == "doc":
            text, title = read_doc(data)
        elif kind == "rtf":
            text, title = read_rtf(data)
        else:
            text, title = read_odt(
                data, lambda d, required, kind: check_zip(d, max_unzipped_bytes, max_zip_ratio, required, kind)
            )
    except LoadError:
        raise
    except DocumentError as exc:
        raise LoadError(str(exc)) from exc
    return clean_display(text), clean_display(title) if title else None, kind


def _convert_legacy_paragraphs(text: str) -> tuple[str, str | None]:
    """Convert TCVN3/VNI mojibake in an office file's text: the whole text, else paragraph by paragraph.

    An office file mixes fonts: a Unicode letterhead over a .VnTime body is common, and the
    whole-text test can be outvoted by the Unicode part, so each paragraph is judged on its own then.
    """
    legacy = detect_legacy(text)
    if legacy:
        return convert_legacy(text, legacy), legacy
    lines = text.split("\n")
    found: str | None = None
    for i, line in enumerate(lines):
        kind = detect_legacy(line)
        if kind:
            lines[i] = convert_legacy(line, kind)
            found = found or kind
    return ("\n".join(lines), found) if found else (text, None)


def _read_docx(data: bytes, max_unzipped_bytes: int, max_zip_ratio: float) -> tuple[str, str | None]:
    """Body paragraphs and tables in document order (table rows as "cell | cell"), and the core title."""
    check_zip(data, max_unzipped_bytes, max_zip_ratio)
    from docx import Document as open_docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx/lxml raise many types on damaged parts
        raise LoadError(f"not a valid .docx: {type(exc).__name__}: {exc}") from exc

    lines: list[str] = []
    p_tag, tbl_tag, sdt_tag, sdt_content = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")

    def walk(container: Any) -> None:
        for child in container.iterchildren():
            if child.tag == p_tag:
                lines.append(Paragraph(child, document).text)
            elif child.tag == tbl_tag:
                for row in Table(child, document).rows:
                    cells: list[str] = []
                    last = None
                    for cell in row.cells:
                        if cell._tc is last:  # a merged cell is repeated once per grid column
                            continue
                        last = cell._tc
                        cells.append(" ".join(cell.text.split()))
                    lines.append(" | ".join(cells))
            elif child.tag == sdt_tag:  # content controls wrap ordinary paragraphs and tables
                for content in child.iterchildren(sdt_content):
                    walk(content)

    walk(document.element.body)
    title = (document.core_properties.title or "").strip() or None
    return clean_display("\n".join(lines)), title


# ---------------------------------------------------------------------------
# Metadata from the text

_KINDS = {
    "KẾ HOẠCH": "kế hoạch",
    "QUYẾT ĐỊNH": "quyết định",
    "BỘ LUẬT": "bộ luật",
    "LUẬT": "luật",
    "NGHỊ ĐỊNH": "nghị định",
    "NGHỊ QUYẾT": "nghị quyết",
    "THÔNG TƯ": "thông tư",
    "THÔNG TƯ LIÊN TỊCH": "thông tư liên tịch",
    "CHỈ THỊ": "chỉ thị",
    "CHƯƠNG TRÌNH": "chương trình",
    "BÁO CÁO": "báo cáo",
    "HƯỚNG DẪN": "hướng dẫn",
    "THÔNG BÁO": "thông báo",
    "CÔNG VĂN": "công văn",
    "TỜ TRÌNH": "tờ trình",
    "PHÁP LỆNH": "pháp lệnh",
    "QUY CHẾ": "quy chế",
    "ĐỀ ÁN": "đề án",
}
# Lines that end a title block: the issuer, the preamble, the first section.
_TITLE_STOP = re.compile(
    r"^(?:ỦY BAN|BAN CHỈ ĐẠO|CHỦ TỊCH|QUỐC HỘI|CHÍNH PHỦ|BỘ TRƯỞNG|TM\.|Căn cứ|Số\s*:|[IVX]+\.|Điều\s+\d|Chương\s)",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"^[ \t*]*(?:(?:Bộ\s+)?Luật\s+)?[Ss]ố\s*:\s*(\d*)\s*/\s*([0-9A-Za-zĐđ][0-9A-Za-zĐđ/.\-]*)",
    re.MULTILINE,
)
_ISSUE_DATE = re.compile(
    r"^[ \t*]*[^\n,;:]{2,40},\s*ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})?\s*năm\s*(\d{4})",
    re.MULTILINE,
)
_SLASH_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_PERIOD = re.compile(r"giai\s+đoạn\s+(\d{4})\s*-\s*(\d{4})", re.IGNORECASE)
_YEAR_IN_TITLE = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)
_CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
_CITY = re.compile(r"\bthành\s+phố\s+(" + "|".join(_CITIES) + r")\b", re.IGNORECASE)
_TINH = re.compile(r"(?<!\w)tỉnh\s+", re.IGNORECASE)
# Capitalised words after "tỉnh" that are bodies, not provinces ("Tỉnh Đoàn", "Tỉnh Hội").
_NOT_PROVINCE = frozenset("đoàn hội ủy ban đội công bộ sở ủy".split())
_ISSUER_LINE = re.compile(
    r"^(?:ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|QUỐC HỘI|CHÍNH PHỦ|THỦ TƯỚNG CHÍNH PHỦ|BAN CHỈ ĐẠO|BỘ [A-ZĐÀ-Ỹ ,]+)"
)
_NUMBER_ISSUERS = {
    "UBND": "Ủy ban nhân dân",
    "BCĐ": "Ban Chỉ đạo",
    "HĐND": "Hội đồng nhân dân",
    "QH": "Quốc hội",
    "TTG": "Thủ tướng Chính phủ",
    "CP": "Chính phủ",
}


def _sentence_case(s: str) -> str:
    """Lower-case an all-caps phrase, keeping acronyms (ASEAN, UBND) and numbers."""
    words = []
    for word in s.split():
        core = word.strip(",.;:()\"'")
        keep = any(c.isdigit() for c in core) or (
            core.isupper() and len(core) <= 6 and not is_vietnamese_syllable(core)
        )
        words.append(word if keep else word.lower())
    out = " ".join(words)
    return out[:1].upper() + out[1:]


def _mostly_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _title_and_kind(lines: list[str]) -> tuple[str | None, str | None]:
    for i, line in enumerate(lines[:60]):
        head = line.strip().strip("*#_ ").rstrip(":").strip().upper()
        if head not in _KINDS:
            continue
        kind = _KINDS[head]
        taken: list[str] = []
        blanks = 0
        for nxt in lines[i + 1 : i + 12]:
            candidate = nxt.strip().strip("*#_ ").strip()
            if not candidate:
                if taken:
                    break
                blanks += 1
                if blanks > 3:
                    break
                continue
            # Titles never end with sentence punctuation; body text does. This matters for
            # PDFs, whose extracted text has lost the blank line after the title.
            if len(candidate) > 160 or candidate.endswith((".", ":", ";")) or _TITLE_STOP.match(candidate):
                break
            taken.append(candidate)
            if len(taken) == 3:
                break
        label = kind[:1].upper() + kind[1:]
        if not taken:
            return label, kind
        subtitle = " ".join(taken)
        if _mostly_upper(subtitle):
            subtitle = _sentence_case(subtitle)
        subtitle = subtitle[:1].lower() + subtitle[1:] if not subtitle[:2].isupper() else subtitle
        return f"{label} {subtitle}", kind
    return None, None


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        _date(year, month, day)
    except ValueError:
        return False
    return True


_PLACE_WORD = re.compile(r"[ \t]+(-|[^\W\d_]+)")


def _province(text: str) -> str | None:
    """The province named most often as "tỉnh X" (or a centrally-run city), title-cased."""
    counts: Counter[str] = Counter()
    for m in _TINH.finditer(text):
        words: list[str] = []
        pos = m.end() - 1  # keep one whitespace so _PLACE_WORD matches the first word
        while len([w for w in words if w != "-"]) < 4:
            w = _PLACE_WORD.match(text, pos)
            if not w:
                break
            word = w.group(1)
            if word != "-" and not word[0].isupper():
                break
            words.append(word)
            pos = w.end()
        while words and words[-1] == "-":
            words.pop()
        if not words or words[0] == "-" or words[0].lower() in _NOT_PROVINCE:
            continue
        counts[" ".join(w if w == "-" else w[0] + w[1:].lower() for w in words)] += 1
    for m in _CITY.finditer(text):
        counts[next(c for c in _CITIES if c.lower() == m.group(1).lower())] += 1
    return counts.most_common(1)[0][0] if counts else None


def _issuer(lines: list[str], number: str | None, province: str | None) -> str | None:
    where = f" tỉnh {province}" if province else ""

    def finish(found: str) -> str:
        found = _sentence_case(found.strip(" -*"))
        if province and province.lower() in found.lower():
            start = found.lower().index(province.lower())
            found = found[:start] + province + found[start + len(province) :]
        return found

    header = [ln.strip().strip("*").strip() for ln in lines[:15] if ln.strip()]
    for line in header:
        m = _ISSUER_LINE.match(line)
        if m and _mostly_upper(line):
            return finish(re.sub(r"-{3,}.*$", "", line))
    for line in lines[-40:]:
        line = line.strip().strip("*").strip()
        m = re.match(r"^(?:TM|KT|Q)\.\s*(.+)$", line)
        if m and _mostly_upper(m.group(1)):
            body = _sentence_case(m.group(1).strip(" *"))
            return body + (where if "tỉnh" not in body.lower() else "")
    if number:
        suffix = number.rsplit("-", 1)[-1].rsplit("/", 1)[-1].upper()
        if suffix in _NUMBER_ISSUERS:
            body = _NUMBER_ISSUERS[suffix]
            return body + (where if suffix in ("UBND", "BCĐ", "HĐND") else "")
    return None


_STRUCTURAL_HEADING = re.compile(r"(?i)^(điều|chương|phần|mục)\s+[0-9ivxlcdm]+\b")

# Words of legal file names whose accents a short extract may not contain.
_FILE_NAME_WORDS = {
    "bo luat": "Bộ luật", "luat": "Luật", "hinh su": "Hình sự", "nghi dinh": "Nghị định", "thong tu": "Thông tư",
    "quyet dinh": "Quyết định", "ke hoach": "Kế hoạch", "nghi quyet": "Nghị quyết", "chi thi": "Chỉ thị",
    "dieu": "Điều", "phong chong": "phòng, chống", "mua ban nguoi": "mua bán người", "nguyen van": "nguyên văn",
}


def title_from_file_name(stem: str, text: str) -> str:
    """A readable title from a file name such as "bo-luat-hinh-su-2015-dieu-150-151" (accents restored)."""

    words = [w.upper() if re.search(r"\d", w) and re.search(r"[a-z]", w, re.I) else w
             for w in re.split(r"[-_.\s]+", stem) if w]
    folded = " ".join(w if w.isupper() else fold(w).lower() for w in words)
    known = sorted(_FILE_NAME_WORDS.items(), key=lambda kv: -len(kv[0]))
    for i, (plain, _) in enumerate(known):  # placeholders keep these words out of the restoration
        folded = re.sub(rf"\b{plain}\b", f"zqz{i}zqz", folded)
    restored = restore_diacritics(folded, build_restore_table([text[:200_000]]))
    restored = re.sub(r"zqz(\d+)zqz", lambda m: known[int(m.group(1))][1], restored)
    return restored[:1].upper() + restored[1:]


def infer_metadata(text: str) -> dict[str, Any]:
    """Read title, kind, number, issuer, province, date, year and period from a document's own text.

    Also ``number_blank`` ("/KH-UBND") when the header's number was left empty. A key is None when not found.
    """
    norm = normalize_for_matching(text)
    lines = norm.split("\n")
    header = norm[:3000]
    title, kind = _title_and_kind(lines)
    if title is None:
        first = next((ln.strip() for ln in lines if ln.strip()), None)
        # A text that opens on "Điều 150. …" or "Chương I" is an extract: its first heading names one
        # part, not the document (the loader then names it after its file).
        title = first[:200] if first and not _STRUCTURAL_HEADING.match(first) else None

    number = number_blank = None
    m = _NUMBER.search(header)
    if m:
        if m.group(1):
            number = f"{m.group(1)}/{m.group(2)}"
        else:
            number_blank = f"/{m.group(2)}"

    date = None
    year = None
    m = _ISSUE_DATE.search(header)
    if m:
        day, month, y = (int(g) if g else None for g in m.groups())
        year = y
        if month and day and y and _valid_date(y, month, day):
            date = f"{y:04d}-{month:02d}-{day:02d}"
        elif month and y and 1 <= month <= 12:
            date = f"{y:04d}-{month:02d}"
        else:
            date = f"{y:04d}" if y else None
    else:
        # A news byline ("THỤY TRANG 05:55, 07/03/2024"): short lines at the top only, so a
        # preamble citing "Quyết định ... ngày 30/11/2020" is not taken for the issue date.
        top = "\n".join([ln for ln in lines if ln.strip()][:5])
        top = "\n".join(ln for ln in top.split("\n") if len(ln) <= 80)
        m2 = _SLASH_DATE.search(top)
        if m2:
            d, mo, y = (int(g) for g in m2.groups())
            if _valid_date(y, mo, d):
                date, year = f"{y:04d}-{mo:02d}-{d:02d}", y

    period = None
    # The document's own period is in its title or first lines; the body cites others
    # ("giai đoạn 2016 - 2020" of an earlier programme).
    for source in (title or "", norm[:1500]):
        m = _PERIOD.search(source)
        if m:
            period = f"{m.group(1)}-{m.group(2)}"
            break
    if year is None and title:
        m = _YEAR_IN_TITLE.search(title)
        if m:
            year = int(m.group(1))

    province = _province(norm)
    issuer = _issuer(lines, number or (number_blank or None), province)
    return {
        "title": title,
        "kind": kind,
        "number": number,
        "issuer": issuer,
        "province": province,
        "date": date,
        "year": year,
        "period": period,
        "number_blank": number_blank,
    }
