"""OCR of scanned PDF pages with Tesseract (Vietnamese model), cached by page content.

Only pages without a usable text layer are read, each once: the result is stored under
``<cache_dir>/ocr/`` keyed by a hash of the page's own content (its content stream and the
images it draws) and of the OCR settings, so re-indexing never OCRs the same page twice::

    reader = PageOCR(OcrOptions(cache_dir=settings.cache_dir / "ocr"))
    if reader.unavailable is None:
        text = reader.read(pdf_path, page_number, page_key)

Pages are rendered by poppler's ``pdftoppm`` and read by the ``tesseract`` command line
(Debian: poppler-utils, tesseract-ocr, tesseract-ocr-vie). The text is normalised (NFC,
Đ, spacing accents put back on their letters, one tone placement) and its lines are joined
into paragraphs, breaking before the markers the chunker needs ("I.", "1.", "a)", "Điều 5.", "- ").
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.errors import DocumentError
from assistant.text import clean_display, normalize_tones

__all__ = [
    "OcrOptions",
    "PageOCR",
    "OCR_HINT",
    "ocr_unavailable",
    "page_key",
    "normalize_ocr_text",
    "paragraphs_from_tsv",
    "repair_roman_heading",
    "needs_ocr",
    "draws_images",
    "ocr_identity",
    "page_image",
]

OCR_VERSION = "ocr-v2"  # bump when the normalisation or joining changes: cached pages are read again
OCR_HINT = "install Tesseract with its Vietnamese model (apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils)"
_TIMEOUT_S = 180  # one page; a scan that takes longer is damaged or absurdly large


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages are read: language, resolution, where results are cached."""

    cache_dir: Path | None = None
    language: str = "vie"
    dpi: int = 300
    # A document needing more OCR than this is skipped whole, with the reason: 300 pages take about
    # 10 minutes on 2 cores (bench ocr), and a half-read document would answer from half its text.
    max_pages: int = 300


@lru_cache(maxsize=8)
def _tesseract_languages(exe: str) -> frozenset[str]:
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    lines = done.stdout.decode("utf-8", "replace").split("\n")[1:]
    return frozenset(line.strip() for line in lines if line.strip())


@lru_cache(maxsize=8)
def _tesseract_version(exe: str) -> str:
    try:
        done = subprocess.run([exe, "--version"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    first = (done.stdout or done.stderr).decode("utf-8", "replace").split("\n", 1)[0]
    return first.strip()


def ocr_unavailable(language: str = "vie") -> str | None:
    """Why OCR cannot run here (a missing tool or model), or None when it can."""
    if shutil.which("pdftoppm") is None:
        return f"pdftoppm is not installed — {OCR_HINT}"
    exe = shutil.which("tesseract")
    if exe is None:
        return f"tesseract is not installed — {OCR_HINT}"
    missing = [lang for lang in language.split("+") if lang not in _tesseract_languages(exe)]
    if missing:
        return f"Tesseract has no '{'+'.join(missing)}' model — {OCR_HINT}"
    return None


def ocr_identity(options: OcrOptions) -> str:
    """What OCR output depends on; part of every cache key and of the index fingerprint."""
    if ocr_unavailable(options.language):
        return "off"
    exe = shutil.which("tesseract") or "tesseract"
    return f"{OCR_VERSION} {_tesseract_version(exe)} {options.language} {options.dpi}dpi"


# --- deciding which pages to read -------------------------------------------------------
_LETTER = re.compile(r"[^\W\d_]")
_JUNK = re.compile("[\ufffd\x00-\x08\x0e-\x1f]")


def needs_ocr(page_text: str, draws_images: bool) -> bool:
    """True when a page's text layer is not usable: no letters at all, or, on a page that draws
    images, (almost) no letters (a scan with a page number typed over it) or mostly undecodable text."""
    letters = len(_LETTER.findall(page_text))
    if letters == 0:
        return True
    if not draws_images:
        return False  # a short text page (a signature) is what it is: OCR would read the same
    return letters < 20 or len(_JUNK.findall(page_text)) > 0.1 * len(page_text)


def draws_images(page: Any) -> bool:
    """True when a pypdf page draws an image, directly or inside a form."""

    def walk(resources: Any, depth: int) -> bool:
        xobjects = resources.get("/XObject") if resources else None
        if not xobjects or depth > 4:
            return False
        xobjects = xobjects.get_object()
        for name in xobjects:
            xobject = xobjects[name].get_object()
            subtype = xobject.get("/Subtype")
            if subtype == "/Image" or (subtype == "/Form" and walk(xobject.get("/Resources"), depth + 1)):
                return True
        return False

    try:
        return walk(page.get("/Resources"), 0)
    except Exception:  # a damaged resource dictionary: treat the page as drawing nothing
        return False


def page_key(page: Any) -> str:
    """sha256 of what a pypdf page draws: its content stream and the images and forms it uses."""
    digest = hashlib.sha256()

    def add_stream(obj: Any) -> None:
        data = getattr(obj, "_data", None)  # the stored (encoded) bytes: no image is decoded for a hash
        if data is None and hasattr(obj, "get_data"):
            data = obj.get_data()
        digest.update(len(data or b"").to_bytes(8, "big"))
        digest.update(data or b"")

    def add_resources(resources: Any, depth: int) -> None:
        xobjects = resources.get("/XObject") if resources else None
        if not xobjects or depth > 4:
            return
        xobjects = xobjects.get_object()
        for name in sorted(xobjects):
            xobject = xobjects[name].get_object()
            digest.update(str(name).encode())
            add_stream(xobject)
            if xobject.get("/Subtype") == "/Form":
                add_resources(xobject.get("/Resources"), depth + 1)

    contents = page.get_contents()
    add_stream(contents)
    digest.update(repr(page.mediabox).encode())
    digest.update(str(page.get("/Rotate", 0)).encode())
    add_resources(page.get("/Resources"), 0)
    return digest.hexdigest()


# --- text normalisation -----------------------------------------------------------------
# Spacing accents Tesseract sometimes emits beside a capital instead of on it ("Ê`", "A´").
_SPACING_ACCENTS = {"`": "\u0300", "\u02cb": "\u0300", "\u00b4": "\u0301", "\u02ca": "\u0301", "\u02dc": "\u0303", "\u02c0": "\u0309"}
_LOOSE_ACCENT = re.compile("([^\\W\\d_][\u0300-\u036f]*)([`\u02cb\u00b4\u02ca\u02dc\u02c0])")
# A combining mark separated from its letter by a space ("Ư ̀") or at the start of a word.
_DETACHED_MARK = re.compile("([^\\W\\d_][\u0300-\u036f]*) ([\u0300-\u036f]+)")


def normalize_ocr_text(text: str) -> str:
    """NFC, Ð→Đ, accents detached from their letter put back, one tone placement (hoà→hòa)."""
    text = unicodedata.normalize("NFD", text)
    text = _DETACHED_MARK.sub(r"\1\2", text)
    text = _LOOSE_ACCENT.sub(lambda m: m.group(1) + _SPACING_ACCENTS[m.group(2)], text)
    text = clean_display(text)  # NFC and Ð/ð → Đ/đ
    return normalize_tones(text)


# Lines that open a new paragraph even when they continue a full line.
_STARTS_ITEM = re.compile(
    r"^(?:[IVXLC]{1,5}\s*[.)/]\s|\d{1,2}(?:\.\d{1,2})*\s*[.)]\s|[a-zđ]\s*\)\s|[-–—•+*]\s|"
    r"(?:Điều|ĐIỀU|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)\s+[0-9IVXLC]+)"
)
_HYPHEN_CUT = re.compile(r"(\w)-$")
_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")
# A heading numeral as Tesseract misreads it: "HI." for "III.", "Il." for "II.", "1V." for "IV.".
_ROMAN_LOOKALIKE = re.compile(r"^([IVXHl1|]{1,5})(\s*\.\s+)(?=\S)")


def repair_roman_heading(line: str) -> str:
    """"HI. LỘ TRÌNH" → "III. LỘ TRÌNH": fix a misread Roman numeral that opens an all-caps heading."""
    m = _ROMAN_LOOKALIKE.match(line)
    if not m or _ROMAN.match(m.group(1)):
        return line
    rest = line[m.end() :]
    letters = [c for c in rest if c.isalpha()]
    if len(letters) < 3 or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return line  # body text: leave it as read
    numeral = m.group(1).replace("H", "II").translate(str.maketrans("l1|", "III"))
    return numeral + m.group(2) + rest if _ROMAN.match(numeral) else line


@dataclass
class _Line:
    block: int
    words: list[str]
    left: int
    right: int
    top: int
    bottom: int


def _tsv_lines(tsv: str) -> list[_Line]:
    lines: dict[tuple[int, int, int], _Line] = {}
    for row in tsv.split("\n")[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        key = (int(cols[2]), int(cols[3]), int(cols[4]))
        left, top, width, height = (int(c) for c in cols[6:10])
        line = lines.get(key)
        if line is None:
            lines[key] = _Line(key[0], [cols[11].strip()], left, left + width, top, top + height)
        else:
            line.words.append(cols[11].strip())
            line.left, line.right = min(line.left, left), max(line.right, left + width)
            line.top, line.bottom = min(line.top, top), max(line.bottom, top + height)
    return list(lines.values())


def paragraphs_from_tsv(tsv: str) -> str:
    """Tesseract TSV words → lines → paragraphs.

    A line is joined to the next when it runs to the right margin and the next starts at the left
    margin (a wrapped line), in the same block, and the next does not open a list item or heading;
    short lines (headings, a signature block, "Nơi nhận:") stay lines. A hyphen cut is mended.
    """
    lines = _tsv_lines(tsv)
    if not lines:
        return ""
    texts = [repair_roman_heading(normalize_ocr_text(" ".join(line.words))) for line in lines]
    wide = [line for line in lines if len(line.words) >= 4] or lines
    margin_left = min(line.left for line in wide)
    rights = sorted(line.right for line in wide)
    margin_right = rights[int(0.9 * (len(rights) - 1))]
    slack = 0.12 * max(margin_right - margin_left, 1)
    out: list[str] = [texts[0]]
    for i in range(1, len(lines)):
        before, line, text = lines[i - 1], lines[i], texts[i]
        wrapped = (
            line.block == before.block
            and before.right >= margin_right - slack
            and line.left <= margin_left + slack
            and line.top - before.bottom < 1.5 * max(before.bottom - before.top, 1)
            and not _STARTS_ITEM.match(text)
            and not (re.search(r"[.;:!?]$", out[-1]) and text[:1].isupper())
        )
        if wrapped and _HYPHEN_CUT.search(out[-1]) and text[:1].islower():
            out[-1] = out[-1][:-1] + text
        elif wrapped:
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return "\n".join(out)


# --- running Tesseract ------------------------------------------------------------------
class PageOCR:
    """Reads pages of one PDF file at a time; results cached on disk by page key."""

    def __init__(self, options: OcrOptions) -> None:
        self.options = options
        self.unavailable = ocr_unavailable(options.language)
        self.identity = ocr_identity(options)
        self.pages_read = 0  # pages actually OCR'd (cache misses), for tests and reports
        self.seconds = 0.0

    def _cache_path(self, key: str) -> Path | None:
        if self.options.cache_dir is None:
            return None
        full = hashlib.sha256(f"{key}\x00{self.identity}".encode()).hexdigest()
        return Path(self.options.cache_dir) / full[:2] / f"{full}.json"

    def cached(self, key: str) -> str | None:
        """The cached text of a page, or None."""
        path = self._cache_path(key) if key else None
        if path is None or not path.is_file():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))["text"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged cache entry is read again, never trusted

    def _store(self, key: str, text: str) -> None:
        path = self._cache_path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"text": text, "ocr": self.identity}, f, ensure_ascii=False)
            os.replace(tmp, path)  # a crash never leaves half an entry under the real name
        except OSError:
            pass  # a read-only cache costs time on the next run, not correctness

    def read(self, pdf_path: str | Path, number: int, key: str) -> str:
        """The text of page ``number`` (1-based) of the PDF at ``pdf_path``. Raises DocumentError."""
        import time

        hit = self.cached(key)
        if hit is not None:
            return hit
        if self.unavailable:
            raise DocumentError(self.unavailable)
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="assistant-ocr-") as tmp:
            prefix = Path(tmp) / "page"
            # Uncompressed grey PGM: PNG-compressing a noisy 300 dpi scan took 14 s of the 15 s per page.
            _run(["pdftoppm", "-r", str(self.options.dpi), "-f", str(number), "-l", str(number),
                  "-gray", "-singlefile", str(pdf_path), str(prefix)], "pdftoppm")
            tsv = _run(["tesseract", f"{prefix}.pgm", "stdout", "-l", self.options.language, "--psm", "3", "tsv"],
                       "tesseract")
        text = paragraphs_from_tsv(tsv)
        self.pages_read += 1
        self.seconds += time.perf_counter() - t0
        self._store(key, text)
        return text


PAGE_IMAGE_DPI = 110  # the viewer's page image: readable beside the text, ~150 KB as JPEG


def page_image(pdf_path: str | Path, number: int, folder: str | Path, *, sha256: str,
               dpi: int = PAGE_IMAGE_DPI) -> Path | None:
    """Page ``number`` of a PDF as a JPEG, for the viewer to show a scanned page beside its recognised text.

    Rendered locally by ``pdftoppm`` once and kept in ``folder`` (named by the PDF's sha256, the page and the
    resolution). None when it cannot be shown truthfully: no pdftoppm, the file gone, or its bytes no longer the
    indexed ones (``sha256``), since an image of another version would not match the text beside it."""
    folder = Path(folder)
    target = folder / f"{sha256[:32]}-p{int(number)}-{int(dpi)}.jpg"
    if target.is_file():
        return target
    pdf = Path(pdf_path)
    if shutil.which("pdftoppm") is None or not pdf.is_file() or number < 1:
        return None
    digest = hashlib.sha256()
    with open(pdf, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != sha256:
        return None
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="assistant-page-", dir=folder) as tmp:
        prefix = Path(tmp) / "page"
        try:
            _run(["pdftoppm", "-r", str(int(dpi)), "-f", str(int(number)), "-l", str(int(number)), "-jpeg",
                  "-jpegopt", "quality=75", "-singlefile", str(pdf), str(prefix)], "pdftoppm")
        except DocumentError:
            return None
        made = prefix.with_suffix(".jpg")
        if not made.is_file():
            return None
        os.chmod(made, 0o600)
        os.replace(made, target)  # atomic: two viewers opening the same page never see half an image
    return target


def _run(command: list[str], name: str) -> str:
    # One thread per Tesseract: OpenMP's default of all cores is slower on a shared 2-core machine.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT_S, env=env)
    except subprocess.TimeoutExpired as exc:
        raise DocumentError(f"OCR gave up: {name} took more than {_TIMEOUT_S} s on one page") from exc
    except OSError as exc:
        raise DocumentError(f"OCR failed: cannot run {name} ({exc}) — {OCR_HINT}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().split("\n")[-1]
        raise DocumentError(f"OCR failed: {name}: {message or f'exit code {done.returncode}'}")
    return done.stdout.decode("utf-8", "replace")
