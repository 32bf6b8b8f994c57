"""Benchmark 8, OCR: scanned and text-layer PDFs of the corpus, character error rate and answers."""
from __future__ import annotations

import copy
import json
import re
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Sequence

from ... import load
from ...assistant import Assistant
from ...build import build_index
from ...load import load_document, load_folder, read_catalog
from ...ocr import OcrOptions, PageOCR, ocr_identity, ocr_unavailable
from ...text import normalize_for_matching
from ..harness import run_eval
from .common import BenchContext, Goal, Result, table


# --- 8. OCR -------------------------------------------------------------------------------------------
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core


def scanned_pdf(pages: Sequence[str], dpi: int = 300, *, skew_degrees: float = 0.4, noise: float = 6.0,
                seed: int = 0, font: Path | None = None) -> bytes:
    """An image-only PDF that looks like a scan of ``pages``: fpdf2 typesets each page's text (DejaVu
    Serif 12 pt), pdftoppm rasterises it at ``dpi``, Pillow turns it by up to ``skew_degrees`` and adds
    Gaussian noise (sigma ``noise`` grey levels), and fpdf2 wraps the images back into A4 pages."""
    import numpy as np
    from fpdf import FPDF
    from PIL import Image

    font = font or DEJAVU_DIR / "DejaVuSerif.ttf"
    typeset = FPDF(format="A4")
    typeset.add_font("serif", "", str(font))
    typeset.set_font("serif", size=12)
    typeset.set_auto_page_break(True, margin=20)
    for text in pages:
        typeset.add_page()
        typeset.multi_cell(0, 6, text)
    rng = np.random.default_rng(seed)
    out = FPDF(format="A4")
    out.set_auto_page_break(False)
    with tempfile.TemporaryDirectory(prefix="assistant-scan-") as tmp:
        source = Path(tmp) / "typeset.pdf"
        typeset.output(str(source))
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp) / "p")],
                       check=True, capture_output=True, timeout=600)
        for png in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
            image = Image.open(png).convert("L")
            angle = float(rng.uniform(-skew_degrees, skew_degrees))
            image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            pixels = np.asarray(image, dtype=np.float32) + rng.normal(0.0, noise, (image.height, image.width))
            image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
            scan = png.with_suffix(".jpg")
            image.save(scan, quality=85)  # scanners write JPEG: its artefacts are part of a real scan
            out.add_page()
            out.image(str(scan), x=0, y=0, w=out.w, h=out.h)
    return bytes(out.output())


def levenshtein(a: str, b: str) -> int:
    """Edit distance between two short strings (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _words_with_offsets(text: str) -> list[tuple[str, int, int]]:
    return [(normalize_for_matching(m.group()), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _word_opcodes(ref: list[tuple[str, int, int]], hyp: list[tuple[str, int, int]]) -> list:
    import difflib

    # autojunk off: in Vietnamese every common syllable would count as junk.
    return difflib.SequenceMatcher(None, [w for w, _, _ in ref], [w for w, _, _ in hyp], autojunk=False).get_opcodes()


def char_error_rate(reference: str, hypothesis: str) -> tuple[int, int]:
    """(character edits, reference characters) between two texts in matching form with single spaces.

    The texts are aligned word by word first (difflib), then each stretch that differs is compared
    character by character: exact where OCR errors are sparse, as here, and an upper bound otherwise."""
    ref, hyp = _words_with_offsets(reference), _words_with_offsets(hypothesis)
    edits = 0
    for tag, i1, i2, j1, j2 in _word_opcodes(ref, hyp):
        if tag == "equal":
            continue
        a = " ".join(w for w, _, _ in ref[i1:i2])
        b = " ".join(w for w, _, _ in hyp[j1:j2])
        if not a or not b:  # words only on one side, with the space that separated them
            edits += len(a or b) + (1 if ref and hyp else 0)
            continue
        edits += levenshtein(a, b) if len(a) * len(b) <= 4_000_000 else max(len(a), len(b))
    return edits, len(" ".join(w for w, _, _ in ref))


def map_quote(reference: str, hypothesis: str, start: int, end: int) -> tuple[int, int] | None:
    """Where reference[start:end] landed in the OCR text (word alignment); None if it did not."""
    ref, hyp = _words_with_offsets(reference), _words_with_offsets(hypothesis)
    first = next((i for i, (_, s, e) in enumerate(ref) if e > start), None)
    last = next((i for i in range(len(ref) - 1, -1, -1) if ref[i][1] < end), None)
    if first is None or last is None or not hyp:
        return None
    to_hyp: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in _word_opcodes(ref, hyp):
        for i in range(i1, i2):
            to_hyp[i] = min(j1 + (i - i1), j2 - 1) if j2 > j1 else min(j1, len(hyp) - 1)
    a, b = to_hyp[first], to_hyp[last]
    return (hyp[a][1], hyp[b][2]) if b >= a else None


def _ocr_questions(ctx: BenchContext, originals: dict[str, str], ocr_texts: dict[str, str], path: Path) -> Path:
    """The eval questions with each gold quote replaced by the OCR text it became (to score the OCR corpus)."""
    rows = []
    for q in ctx.questions():
        q = copy.deepcopy(q)
        for gold in q.get("gold", []):
            text, ocr = originals.get(gold["doc_id"]), ocr_texts.get(gold["doc_id"])
            if text is None or ocr is None:
                continue
            at = text.find(gold["quote"])
            if at < 0:
                at = normalize_for_matching(text).find(normalize_for_matching(gold["quote"]))
            span = map_quote(text, ocr, at, at + len(gold["quote"])) if at >= 0 else None
            if span:
                gold["quote"] = ocr[span[0] : span[1]]
        rows.append(q)
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in rows), encoding="utf-8")
    return path


OCR_PACKAGES = ("tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-eng", "tesseract-ocr-osd", "libtesseract5",
                "liblept5", "poppler-utils", "libpoppler126", "antiword")


def debian_installed_mb(packages: Sequence[str]) -> dict[str, float]:
    """Installed size in MB of each Debian package that is installed (dpkg's Installed-Size)."""
    sizes = {}
    for name in packages:
        done = subprocess.run(["dpkg-query", "-W", "-f=${Installed-Size}", name], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip().isdigit():
            sizes[name] = int(done.stdout) / 1024
    return sizes


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its finished children (the OCR tools)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def furnished_pdf(text: str, header: str) -> bytes:
    """A text-layer PDF of ``text`` whose every page carries ``header`` above and "Trang n" below (page furniture)."""
    from fpdf import FPDF

    class Furnished(FPDF):
        def header(self) -> None:
            self.set_font("serif", size=9)
            self.cell(0, 6, header, align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font("serif", size=9)
            self.cell(0, 6, f"Trang {self.page_no()}", align="C")

    pdf = Furnished(format="A4")
    pdf.add_font("serif", "", str(DEJAVU_DIR / "DejaVuSerif.ttf"))
    pdf.set_font("serif", size=12)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("serif", size=12)
    pdf.multi_cell(0, 6, text.replace("\t", " "))
    return bytes(pdf.output())


def _running_lines_effect(ctx: BenchContext, sources: Sequence[Path], originals: dict[str, str], catalog: dict,
                          text_eval: dict, text_answers: dict) -> tuple[list[list], dict]:
    """The seed documents as text-layer PDFs with a running header, footer and page numbers, indexed with the
    furniture removed (as the loader does) and with it left in: hit@5 and answers of the eval questions."""
    from unittest import mock


    folder = ctx.workdir / "pdf-furnished"
    folder.mkdir(parents=True, exist_ok=True)
    for path in sources:
        doc_catalog = catalog.get(path.name, {})
        header = f"{doc_catalog.get('issuer') or 'UBND tỉnh'} — {(doc_catalog.get('title') or path.stem)[:60]}"
        (folder / f"{path.stem}.pdf").write_bytes(furnished_pdf(path.read_text(encoding="utf-8"), header))
    (folder / "catalog.json").write_text(json.dumps(
        {"documents": {f"{Path(k).stem}.pdf": v for k, v in catalog.items()}}, ensure_ascii=False), encoding="utf-8")
    rows = [["the same documents as text (baseline)", f"{text_eval.get('hit@5', 0):.3f}",
             f"{text_answers.get('answer_accuracy', 0):.3f}"]]
    data = {}
    for label, removed in (("PDFs, furniture removed (the loader)", True), ("PDFs, furniture left in", False)):
        settings = ctx.settings.replace(documents_dir=folder, index_dir=ctx.workdir / f"index-furnished-{removed}")
        keep = mock.patch.object(load, "remove_running_lines", lambda pages: list(pages)) if not removed else None
        if keep:
            keep.start()
        try:
            build_index(settings, ctx.embedder())
            bot = Assistant(settings, embedder=ctx.embedder()).warm_up()
            texts = {doc_id: d.text for doc_id, d in bot.store.documents.items()}
            questions = _ocr_questions(ctx, originals, texts, ctx.workdir / f"questions-furnished-{removed}.jsonl")
            report = run_eval(bot, questions, modes=("hybrid",), answers=True)
        finally:
            if keep:
                keep.stop()
        hit5, accuracy = report.retrieval["hybrid"]["all"].get("hit@5", 0.0), report.answers.get("answer_accuracy", 0.0)
        rows.append([label, f"{hit5:.3f}", f"{accuracy:.3f}"])
        data["removed" if removed else "kept"] = {"hit@5": hit5, "answer_accuracy": accuracy}
    return rows, data


def bench_ocr(ctx: BenchContext) -> Result:
    """Scanned copies of the corpus at 300 and 200 dpi read by Tesseract: CER against the text,
    seconds per page, and hit@5 and answer accuracy of the eval questions on the OCR corpus next to the text corpus."""
    res = Result("ocr", "OCR of scanned PDFs (Tesseract, Vietnamese)", "assistant bench ocr", ctx.quick)
    missing = ocr_unavailable(ctx.settings.ocr_language)
    try:
        import fpdf  # noqa: F401  (the scans are typeset by fpdf2, a test dependency)
    except ImportError:
        missing = missing or "fpdf2 is not installed (pip install -e '.[test]')"
    if missing:
        res.notes.append(f"not measured: {missing}")
        return res
    sources = sorted(Path(ctx.settings.documents_dir).glob("*.txt"))
    originals = {}
    for path in sources:
        doc = load_document(path)
        originals[doc.doc_id] = doc.text
    limit = 2500 if ctx.quick else None  # quick: about one page per document
    catalog = read_catalog(ctx.settings.documents_dir)
    text_bot = ctx.bot()
    text_report = run_eval(text_bot, ctx.eval_file(), modes=("hybrid",), answers=True)
    text_eval, text_answers = text_report.retrieval["hybrid"]["all"], text_report.answers
    rows, per_doc_rows, data = [], [], {"text_hit@5": text_eval.get("hit@5", 0.0), "text_n": text_eval["n"],
                                        "text_answer_accuracy": text_answers.get("answer_accuracy", 0.0)}
    for dpi in (300, 200):
        folder = ctx.workdir / f"scans-{dpi}dpi"
        folder.mkdir(parents=True, exist_ok=True)
        t_make = time.perf_counter()
        for i, path in enumerate(sources):
            text = path.read_text(encoding="utf-8")[:limit]
            (folder / f"{path.stem}.pdf").write_bytes(scanned_pdf([text], dpi=dpi, seed=i))
        make_s = time.perf_counter() - t_make
        (folder / "catalog.json").write_text(json.dumps(
            {"documents": {f"{Path(k).stem}.pdf": v for k, v in catalog.items()}}, ensure_ascii=False), encoding="utf-8")
        options = OcrOptions(cache_dir=ctx.workdir / f"ocr-cache-{dpi}", language=ctx.settings.ocr_language,
                             dpi=ctx.settings.ocr_dpi if dpi == 300 else dpi)
        ocr = PageOCR(options)
        cpu0 = _cpu_with_children()
        t0 = time.perf_counter()
        loaded, problems = load_folder(folder, ocr=ocr)
        wall = time.perf_counter() - t0
        cpu = _cpu_with_children() - cpu0  # Tesseract and pdftoppm run as child processes
        edits = chars = 0
        ocr_texts = {d.doc_id: d.text for d in loaded}
        for doc_id, original in originals.items():
            reference = original[:limit] if limit else original
            e, n = char_error_rate(reference, ocr_texts.get(doc_id, ""))
            edits, chars = edits + e, chars + n
            per_doc_rows.append([f"{dpi}", doc_id, n, e, f"{100 * e / max(n, 1):.2f} %"])
        cer = edits / max(chars, 1)
        ctx.log(f"OCR at {dpi} dpi: {ocr.pages_read} pages, CER {100 * cer:.2f} %")
        settings = ctx.settings.replace(documents_dir=folder, index_dir=ctx.workdir / f"index-ocr-{dpi}",
                                        cache_dir=ctx.settings.cache_dir, ocr_dpi=options.dpi)
        # The index reads the scans through the same cache: no page is OCR'd twice in this run.
        build_index(settings, ctx.embedder(), ocr=PageOCR(options))
        ocr_bot = Assistant(settings, embedder=ctx.embedder()).warm_up()
        questions = _ocr_questions(ctx, originals, ocr_texts, ctx.workdir / f"questions-ocr-{dpi}.jsonl")
        ocr_report = run_eval(ocr_bot, questions, modes=("hybrid",), answers=True)
        ocr_eval, ocr_answers = ocr_report.retrieval["hybrid"]["all"], ocr_report.answers
        per_page = ocr.seconds / max(ocr.pages_read, 1)
        rows.append([f"{dpi} dpi", ocr.pages_read, f"{100 * cer:.2f} %", f"{per_page:.2f}",
                     f"{cpu / max(ocr.pages_read, 1):.2f}", f"{wall:.0f}",
                     f"{text_eval.get('hit@5', 0):.3f} (n={text_eval['n']})",
                     f"{ocr_eval.get('hit@5', 0):.3f} (n={ocr_eval['n']})",
                     f"{ocr_eval.get('hit@5', 0) - text_eval.get('hit@5', 0):+.3f}",
                     f"{text_answers.get('answer_accuracy', 0):.3f}", f"{ocr_answers.get('answer_accuracy', 0):.3f}"])
        data[f"{dpi}dpi"] = {"pages": ocr.pages_read, "cer": round(cer, 5), "edits": edits, "chars": chars,
                             "ocr_seconds_per_page": round(per_page, 3), "load_wall_s": round(wall, 1),
                             "cpu_seconds_per_page": round(cpu / max(ocr.pages_read, 1), 3),
                             "make_scans_s": round(make_s, 1), "hit@5": ocr_eval.get("hit@5", 0.0),
                             "n": ocr_eval["n"], "answer_accuracy": ocr_answers.get("answer_accuracy", 0.0),
                             "problems": [p.reason for p in problems]}
        res.goals.append(Goal(f"CER at {dpi} dpi", "≤ 2 %" if dpi == 300 else "≤ 4 %", f"{100 * cer:.2f} %",
                              cer <= (0.02 if dpi == 300 else 0.04)))
        gap = abs(ocr_eval.get("hit@5", 0) - text_eval.get("hit@5", 0))
        res.goals.append(Goal(f"hit@5 on the {dpi} dpi OCR corpus vs the text corpus", "within 0.02",
                              f"{ocr_eval.get('hit@5', 0):.3f} vs {text_eval.get('hit@5', 0):.3f}", gap <= 0.02))
    furniture_rows, data["running_lines"] = _running_lines_effect(ctx, sources, originals, catalog, text_eval, text_answers)
    sizes = debian_installed_mb(OCR_PACKAGES)
    data["debian_installed_mb"] = {k: round(v, 2) for k, v in sizes.items()}
    data["ocr"] = ocr_identity(OcrOptions(language=ctx.settings.ocr_language))
    res.data = data
    res.tables.append(table(
        ["scan", "pages", "CER", "OCR wall s/page (render + Tesseract)", "CPU s/page (all processes)", "load wall s",
         "hit@5 text corpus", "hit@5 OCR corpus", "Δ hit@5", "answers text corpus", "answers OCR corpus"], rows))
    res.tables.append(table(["dpi", "document", "reference chars", "char edits", "CER"], per_doc_rows))
    res.tables.append(table(["text-layer PDFs with a running header, footer and page numbers", "hit@5", "answers"],
                            furniture_rows))
    res.tables.append(table(["Debian package", "installed MB"],
                            [[k, f"{v:.1f}"] for k, v in sizes.items()] + [["total", f"{sum(sizes.values()):.1f}"]]))
    res.notes += [
        f"{data['ocr']}; one Tesseract thread per page (OMP_THREAD_LIMIT=1), pages read one after another.",
        "Scans: each seed document (documents/*.txt) typeset by fpdf2 in DejaVu Serif 12 pt, rasterised by pdftoppm "
        "at the given dpi, turned by up to ±0.4° and given Gaussian noise (σ 6 grey levels) by Pillow, saved as "
        "JPEG (quality 85) and wrapped into an image-only PDF; the loader renders each page again at that dpi.",
        "CER: character edits / reference characters, both texts in matching form (NFC, one tone placement, "
        "single spaces); aligned word by word, then character by character within differing stretches.",
        "hit@5 on the OCR corpus: the same questions, each gold quote replaced by the OCR text it became "
        "(word alignment), so a quote with an OCR error still counts; both corpora indexed in this run.",
    ]
    return res
