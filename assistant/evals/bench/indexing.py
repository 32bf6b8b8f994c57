"""Benchmark 1, indexing: load, chunk, embed and write the shipped corpus; re-index; ONNX vs torch."""
from __future__ import annotations

import contextlib
import copy
import dataclasses
import os
import shutil
import statistics
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ... import embed_onnx
from ...assistant import Assistant
from ...build import build_index, embedding_text, fingerprint
from ...chunk import chunk_document
from ...config import PROJECT_ROOT
from ...embed_onnx import OnnxEncoder, export_dir
from ...load import load_folder
from ..harness import run_eval
from .common import BenchContext, Goal, Result, Sample, med, table, timed


# --- 1. indexing ----------------------------------------------------------------------------
def hit_at_5(ctx: BenchContext, vectors, embedder) -> float:
    """Hybrid hit@5 on the eval questions with these chunk vectors (and this embedder for questions)."""
    import faiss


    base = ctx.bot().store
    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(vectors)
    store = dataclasses.replace(base, embeddings=vectors, dense=dense)
    bot = Assistant(ctx.settings, embedder=embedder)
    bot.use_store(store)  # evaluate these vectors in memory, without writing another index
    report = run_eval(bot, ctx.eval_file(), modes=("hybrid",), answers=False)
    return float(report.retrieval["hybrid"].get("all", {}).get("hit@5", 0.0))


def _with_batch(embedder, batch: int):
    """The same loaded model with another batch size (shares the weights)."""
    variant = copy.copy(embedder)
    variant.settings = embedder.settings.replace(embed_batch_size=batch)
    return variant


def _encode_unsorted(embedder, texts: Sequence[str]):
    """Batches in corpus order, to measure what sorting by length saves."""
    import numpy as np

    embedder.warm_up()
    batch = max(1, embedder.settings.embed_batch_size)
    prefix = embedder.document_prompt
    parts = [embedder.encode([prefix + t for t in texts[lo : lo + batch]]) for lo in range(0, len(texts), batch)]
    return np.concatenate(parts) if parts else np.zeros((0, embedder.dimension), dtype=np.float32)


@contextlib.contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Temporarily run torch with n intra-op threads."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class OnnxEmbedder:
    """Experiment only: the same model exported with torch.onnx and run by ONNX Runtime (fp32 or int8).

    sentence-transformers' own ONNX backend (`backend="onnx"`, `export_dynamic_quantized_onnx_model`)
    needs optimum-onnx, whose only release pins transformers<4.58 and so cannot be installed next to
    sentence-transformers 6 / transformers 5. This path needs only `onnx` and `onnxruntime`, exports from
    the local converted folder (no network), and uses the model's own tokenizer and mean pooling.
    """

    def __init__(self, base, folder: Path, int8: bool, threads: int):
        self.base = base.warm_up()
        self.settings = base.settings
        self.name = f"{base.name}+onnx{'-int8' if int8 else ''}"
        self.folder = Path(folder)
        self.int8 = int8
        self.threads = threads
        self._session = None

    @property
    def dimension(self) -> int:
        """Vector size (same as the base model)."""
        return self.base.dimension

    def export(self) -> Path:
        """Export (once, cached) and return the .onnx file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fp32 = self.folder / embed_onnx.FILE
        if not fp32.exists():
            embed_onnx.export(self.base.model, self.folder)
        if not self.int8:
            return fp32
        q8 = self.folder / "model.int8.onnx"
        if not q8.exists():
            from onnxruntime.quantization import QuantType, quantize_dynamic

            tmp = q8.with_suffix(".tmp")
            quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8)
            tmp.rename(q8)
        return q8

    def warm_up(self) -> "OnnxEmbedder":
        """Export if needed and open the ONNX Runtime session (the product's question encoder)."""
        if self._session is None:
            self._session = OnnxEncoder(Path(self.base.resolve_path()), self.export(),
                                        self.base.model.max_seq_length, self.threads)
        return self

    def _encode(self, texts: list[str]):
        return self._session.encode(texts)

    def encode_documents(self, texts: Sequence[str], progress=None):
        """Passages, sorted by length and batched like Embedder.encode_documents."""
        import numpy as np

        self.warm_up()
        batch = max(1, self.settings.embed_batch_size)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for lo in range(0, len(order), batch):
            idx = order[lo : lo + batch]
            out[idx] = self._encode([self.base.document_prompt + texts[i] for i in idx])
        return out

    def encode_queries(self, texts: Sequence[str]):
        """Questions with the query prompt."""
        self.warm_up()
        return self._encode([self.base.query_prompt + t for t in texts])


def _onnx_available() -> str:
    """'' when the ONNX experiment can run, else why not."""
    import importlib.util

    missing = [m for m in ("onnx", "onnxruntime") if importlib.util.find_spec(m) is None]
    return f"not measured: {', '.join(missing)} not installed (pip install onnx onnxruntime)" if missing else ""


def bench_indexing(ctx: BenchContext) -> Result:
    """End-to-end build_index vs the raw embedder on the same texts; embedder options; the re-index cache."""
    res = Result("indexing", "Indexing", "assistant bench indexing", ctx.quick)
    emb = ctx.embedder()
    bot = ctx.bot()
    chunks = bot.store.chunks
    texts = [embedding_text(c) for c in chunks]
    n = len(texts)
    reps = ctx.repeats
    e2e: list[Sample] = []
    raw: list[Sample] = []
    embed_share: list[float] = []
    ctx.log(f"indexing: {n} chunks, {reps} repetition(s)")
    for r in range(reps):
        order = ("e2e", "raw") if r % 2 == 0 else ("raw", "e2e")  # alternate so neither always runs second
        for what in order:
            if what == "raw":
                _v, s = timed(lambda: emb.encode_documents(texts))
                raw.append(s)
            else:
                target = ctx.workdir / f"indexing-{r}"
                st = ctx.settings.replace(index_dir=target)
                report, s = timed(lambda: build_index(st, emb, rebuild=True))
                e2e.append(s)
                embed_share.append(report.embed_seconds)
                shutil.rmtree(target, ignore_errors=True)
    e2e_w, raw_w = med(e2e), med(raw)
    e2e_c, raw_c = med(e2e, "cpu"), med(raw, "cpu")
    overhead = (e2e_w - raw_w) / raw_w * 100 if raw_w else 0.0
    overhead_cpu = (e2e_c - raw_c) / raw_c * 100 if raw_c else 0.0
    res.data.update(chunks=n, repeats=reps, end_to_end={"wall": e2e_w, "cpu": e2e_c, "runs": [dataclasses.asdict(s) for s in e2e]},
                    raw_embedder={"wall": raw_w, "cpu": raw_c, "runs": [dataclasses.asdict(s) for s in raw]},
                    overhead_pct=round(overhead, 1), overhead_cpu_pct=round(overhead_cpu, 1),
                    embed_seconds_inside_build=statistics.median(embed_share) if embed_share else 0.0)
    res.tables.append(table(
        ["what", "wall s (median)", "CPU s", "chunks/s (wall)", "ratio vs raw embedder"],
        [["build_index from scratch (warm model)", e2e_w, e2e_c, n / e2e_w if e2e_w else 0, e2e_w / raw_w if raw_w else 0],
         ["raw Embedder.encode_documents (baseline)", raw_w, raw_c, n / raw_w if raw_w else 0, 1.0]],
    ))
    res.goals.append(Goal("pipeline overhead over the raw embedder", "≤ 15 %",
                          f"{overhead:.1f} % wall, {overhead_cpu:.1f} % CPU", overhead <= 15))
    shipped = Path(ctx.settings.documents_dir).resolve() == (PROJECT_ROOT / "documents").resolve()
    res.goals.append(Goal(f"{'shipped ' if shipped else ''}corpus ({n} chunks) indexed from scratch (warm model)",
                          "≤ 30 s on 2 cores for the shipped corpus", f"{e2e_w:.1f} s", e2e_w <= 30 if shipped else None))

    # -- embedder options: speed and retrieval quality, each against the default measured here
    ctx.log("indexing: embedder options")
    base_vecs = bot.store.embeddings
    base_hit = hit_at_5(ctx, base_vecs, emb)
    rows = [["default: torch, batch %d, sorted by length" % emb.settings.embed_batch_size, raw_w, raw_c, 1.0, 1.0, base_hit, 0.0]]
    options: list[dict] = []

    def option(label: str, run: Callable[[], Any], query_embedder=None, note: str = "") -> None:
        samples = []
        vecs = None
        for _ in range(reps):
            vecs, s = timed(run)
            samples.append(s)
        w, c = med(samples), med(samples, "cpu")
        hit = hit_at_5(ctx, vecs, query_embedder or emb)
        options.append({"option": label, "wall": w, "cpu": c, "speedup_vs_default": raw_w / w if w else 0,
                        "cpu_speedup_vs_default": raw_c / c if c else 0, "hit@5": hit, "delta_hit@5": hit - base_hit,
                        "note": note})
        rows.append([label, w, c, raw_w / w if w else 0, raw_c / c if c else 0, hit, hit - base_hit])

    batches = (4, 32) if ctx.quick else (4, 8, 16, 32)
    for b in batches:
        option(f"batch {b}", lambda b=b: _with_batch(emb, b).encode_documents(texts))
    for t in (1, 2):
        def run_threads(t=t):
            with torch_threads(t):
                return emb.encode_documents(texts)
        option(f"torch threads {t}", run_threads)
    option("not sorted by length", lambda: _encode_unsorted(emb, texts))
    why_not = _onnx_available()
    if why_not:
        rows.append(["ONNX Runtime fp32 / int8", None, None, None, None, None, why_not])
    else:
        # The product's own export (made when the model first loaded) is reused; int8 is quantised from it.
        folder = export_dir(ctx.settings.cache_dir, Path(emb.resolve_path()))
        for int8 in ((False,) if ctx.quick else (False, True)):  # quantising takes a minute: not in --quick
            threads = ctx.settings.threads or (os.cpu_count() or 1)
            onnx = OnnxEmbedder(emb, folder, int8, threads)
            try:
                _exported, export_s = timed(onnx.warm_up)
            except Exception as exc:  # an exporter failure is a finding, not a crash of the whole bench
                rows.append([f"ONNX Runtime {'int8' if int8 else 'fp32'}", None, None, None, None, None, f"export failed: {exc}"])
                continue
            option(f"ONNX Runtime {'int8 (dynamic)' if int8 else 'fp32'}", lambda o=onnx: o.encode_documents(texts),
                   query_embedder=onnx, note=f"export/open {export_s.wall:.1f} s")
    res.data["options"] = options
    res.data["default_hit@5"] = base_hit
    res.tables.append("Embedder options (document encoding of the same chunks; hit@5 = hybrid retrieval on "
                      f"{ctx.eval_file().name} with these vectors):\n\n" + table(
                          ["option", "wall s", "CPU s", "speed-up vs default (wall)", "speed-up (CPU)", "hybrid hit@5",
                           "Δ hit@5"], rows))
    res.notes.append("sentence-transformers' ONNX/OpenVINO backends need optimum-onnx, whose only release (0.1.0) pins "
                     "transformers<4.58; this project runs sentence-transformers 6 on transformers 5, so "
                     "`pip install \"sentence-transformers[onnx]\"` cannot resolve. The ONNX rows use torch.onnx + "
                     "ONNX Runtime directly (assistant/embed_onnx.py). The product embeds *questions* with the fp32 "
                     "export (see the query benchmark); documents stay on sentence-transformers, whose batches the "
                     "export does not clearly beat here.")

    # -- the content-hash cache: re-index after editing one document
    res.data["reindex"] = _bench_reindex(ctx, res)
    return res


def _bench_reindex(ctx: BenchContext, res: Result) -> dict:
    """Re-index after editing one document vs embedding that document alone."""
    emb = ctx.embedder()
    docs = ctx.workdir / "edit-docs"
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(ctx.settings.documents_dir, docs)
    texts = sorted((p for p in docs.iterdir() if p.suffix.lower() in (".txt", ".md")), key=lambda p: p.stat().st_size)
    if not texts:
        res.notes.append("re-index benchmark skipped: no .txt/.md document to edit")
        return {}
    target = texts[len(texts) // 2]  # the median-sized text document
    original = target.read_text(encoding="utf-8")
    paragraphs = original.split("\n\n")
    middle = len(paragraphs) // 2
    paragraphs[middle] = paragraphs[middle] + " Nội dung này được bổ sung để đo thời gian lập chỉ mục lại."
    edited = "\n\n".join(paragraphs)
    st = ctx.settings.replace(documents_dir=docs, index_dir=ctx.workdir / "edit-index")
    build_index(st, emb, rebuild=True)
    runs = []
    for _ in range(ctx.repeats):
        for version in (edited, original):  # each direction changes the same chunks
            target.write_text(version, encoding="utf-8")
            report, s = timed(lambda: build_index(st, emb))
            runs.append({"wall": s.wall, "cpu": s.cpu, "embedded": report.embedded, "reused": report.reused,
                         "embed_seconds": report.embed_seconds})
    loaded, _problems = load_folder(docs)
    doc = next(d for d in loaded if Path(d.path).name == target.name)
    doc_chunks = chunk_document(doc, st.chunk_max_chars, fingerprint(st)["chunker"]["min_chars"])
    doc_texts = [embedding_text(c) for c in doc_chunks]
    alone = [timed(lambda: emb.encode_documents(doc_texts))[1] for _ in range(ctx.repeats)]
    re_w = statistics.median(r["wall"] for r in runs)
    re_c = statistics.median(r["cpu"] for r in runs)
    al_w, al_c = med(alone), med(alone, "cpu")
    embedded = statistics.median(r["embedded"] for r in runs)
    res.tables.append(f"Re-index after editing one paragraph of `{target.name}` ({len(doc_chunks)} chunks) vs embedding that "
                      "document alone:\n\n" + table(
                          ["what", "wall s", "CPU s", "ratio vs embedding the document", "chunks embedded / reused"],
                          [["assistant index (incremental)", re_w, re_c, re_w / al_w if al_w else 0,
                            f"{embedded:.0f} / {statistics.median(r['reused'] for r in runs):.0f}"],
                           ["embed the whole document (baseline)", al_w, al_c, 1.0, f"{len(doc_chunks)} / 0"]]))
    res.goals.append(Goal("re-index after editing one document", "≤ time to embed that document",
                          f"{re_w:.2f} s vs {al_w:.2f} s", re_w <= al_w))
    shutil.rmtree(st.index_dir, ignore_errors=True)
    return {"document": target.name, "document_chunks": len(doc_chunks), "runs": runs, "reindex_wall": re_w,
            "reindex_cpu": re_c, "embed_document_wall": al_w, "embed_document_cpu": al_c}
