"""The external benchmark: ALQAC 2023 statutes and questions (Vietnamese, without diacritics, English).

The statutes are turned into documents whose articles read "Điều N. heading …", indexed with
the product's own chunker, embedder and keyword terms, and scored at article level: a
question is answered at k when any chunk of a gold article is among the top k. Data is
read from ../shared/benchmarks and never copied into the product.
Source: ALQAC 2023 (Automated Legal Question Answering Competition), train split.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..build import chunk_terms, embedding_text
from ..chunk import chunk_document
from ..config import Settings
from ..diacritics import build_restore_table
from ..document import Document
from ..embed import Embedder
from ..retrieve import Filters, Retriever
from ..spans import span_table
from ..store import IndexStore, build_keyword_index
from ..text import clean_display, fold
from .metrics import retrieval_metrics

_SUFFIX = re.compile(r",?\s*(đúng hay sai|đúng hay không)\s*\??\s*$", re.IGNORECASE)
_SUFFIX_EN = re.compile(r",?\s*(right or wrong|true or false)\s*\??\s*$", re.IGNORECASE)


@dataclass
class _Doc:
    doc_id: str
    text: str
    title: str
    year: int | None = None
    period: str | None = None
    pages: tuple = ()
    articles: list[tuple[int, str]] = field(default_factory=list)  # (start offset, article id)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def statutes(bench_dir: Path) -> list[_Doc]:
    """ALQAC statutes as documents with article offsets."""
    laws = json.loads((bench_dir / "alqac2023" / "law.json").read_text(encoding="utf-8"))
    docs = []
    for law in laws:
        parts = [law["id"], ""]
        offsets: list[tuple[int, str]] = []
        pos = len(law["id"]) + 2
        for article in law["articles"]:
            body = clean_display(article["text"]).replace("\n\n", "\n", 1)
            block = f"Điều {article['id']}. {body}".rstrip()
            offsets.append((pos, str(article["id"])))
            parts.append(block)
            pos += len(block) + 2
        text = "\n\n".join(parts[:1]) + "\n\n" + "\n\n".join(parts[2:])
        docs.append(_Doc(_slug(law["id"]), text, law["id"], articles=offsets))
    return docs


def questions(bench_dir: Path) -> list[dict]:
    """Questions with gold (law slug, article id) in three conditions."""
    vi = json.loads((bench_dir / "alqac2023" / "train.json").read_text(encoding="utf-8"))
    en_path = bench_dir / "alqac2023" / "train_en_googletranslate.json"
    en = {q["question_id"]: q for q in json.loads(en_path.read_text(encoding="utf-8"))} if en_path.exists() else {}
    out = []
    for q in vi:
        text = _SUFFIX.sub("", clean_display(q["text"])).strip()
        gold = {(_slug(a["law_id"]), str(a["article_id"])) for a in q["relevant_articles"]}
        row = {"id": q["question_id"], "vi": text, "vi_nodiac": fold(text), "gold": gold}
        if q["question_id"] in en:
            row["en"] = _SUFFIX_EN.sub("", en[q["question_id"]]["text"]).strip()
        out.append(row)
    return out


def _articles_of(doc: _Doc, start: int, end: int) -> set[str]:
    ids = set()
    for i, (offset, art) in enumerate(doc.articles):
        nxt = doc.articles[i + 1][0] if i + 1 < len(doc.articles) else len(doc.text) + 1
        if offset < end and start < nxt:
            ids.add(art)
    return ids


def build_store(docs: list[_Doc], settings: Settings, embedder: Any):
    """An in-memory IndexStore over the statutes (embeddings cached on disk by content)."""
    import faiss


    chunks = []
    for doc in docs:
        chunks.extend(chunk_document(doc, settings.chunk_max_chars, min(settings.chunk_min_chars, settings.chunk_max_chars // 4)))
    texts = [embedding_text(c) for c in chunks]
    digest = hashlib.sha256(("\x00".join(texts) + embedder.name).encode()).hexdigest()[:16]
    cache = settings.cache_dir / "bench" / f"alqac-{digest}.npy"
    if cache.exists():
        vectors = np.load(cache, allow_pickle=False)
    else:
        vectors = embedder.encode_documents(texts)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, vectors, allow_pickle=False)
    # Sentence spans of each chunk (spans.py), as an index built by `assistant index` holds them.
    span_texts, span_chunks = span_table([c.text for c in chunks])
    span_cache = settings.cache_dir / "bench" / f"alqac-spans-{hashlib.sha256(chr(0).join(span_texts).encode()).hexdigest()[:16]}-{digest}.npy"
    if span_cache.exists():
        spans = np.load(span_cache, allow_pickle=False)
    else:
        spans = embedder.encode_documents(span_texts) if span_texts else np.zeros((0, vectors.shape[1]), dtype=np.float32)
        span_cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(span_cache, spans, allow_pickle=False)
    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(vectors)
    keyword = build_keyword_index([chunk_terms(c) for c in chunks])
    records = {d.doc_id: Document(doc_id=d.doc_id, path="", title=d.title, text=d.text, sha256="") for d in docs}
    store = IndexStore(Path("."), {}, records, chunks, vectors, dense, keyword, build_restore_table(d.text for d in docs), [],
                       spans=spans, span_chunks=span_chunks)
    return store


def run_alqac(settings: Settings, bench_dir: Path, embedder: Any = None, modes=("hybrid", "keyword", "dense")) -> dict:
    """Recall@1/5/10 and MRR@10 per condition and retriever."""
    t0 = time.perf_counter()
    bench_dir = Path(bench_dir)
    embedder = embedder or Embedder(settings)
    docs = statutes(bench_dir)
    by_id = {d.doc_id: d for d in docs}
    store = build_store(docs, settings, embedder)
    retriever = Retriever(store, embedder, settings)
    qs = questions(bench_dir)
    table: dict[str, dict[str, dict]] = {}
    for condition in ("vi", "vi_nodiac", "en"):
        for mode in modes:
            ranks = []
            for q in qs:
                if condition not in q:
                    continue
                hits = retriever.search(q[condition], 10, Filters(), mode)
                rank = None
                for h in hits:
                    arts = _articles_of(by_id[h.chunk.doc_id], h.chunk.start, h.chunk.end)
                    if any((h.chunk.doc_id, a) in q["gold"] for a in arts):
                        rank = h.rank
                        break
                ranks.append(rank)
            table.setdefault(condition, {})[mode] = retrieval_metrics(ranks, ks=(1, 5, 10), mrr_at=10)
    return {"table": table, "chunks": len(store.chunks), "questions": len(qs), "seconds": round(time.perf_counter() - t0, 1)}


def format_alqac(result: dict) -> str:
    """A Markdown table."""
    lines = [
        f"### ALQAC 2023 train ({result['questions']} questions, {result['chunks']} chunks)",
        "| condition | retriever | R@1 | R@5 | R@10 | MRR@10 |",
        "|---|---|---|---|---|---|",
    ]
    for condition, modes in result["table"].items():
        for mode, m in modes.items():
            lines.append(f"| {condition} | {mode} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['hit@10']:.3f} | {m['mrr']:.3f} |")
    return "\n".join(lines)
