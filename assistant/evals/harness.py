"""Evals are data (evals/*.jsonl) plus pure metric functions; `assistant eval` prints the tables.

Retrieval is scored at passage level: a retrieved chunk counts when it covers at least
half of a gold quote's characters in the same document. Every mode (hybrid, keyword only,
dense only, the LangChain tutorial recipe) is measured in the same run on the same
documents and embedder.
"""
from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from ..config import PROJECT_ROOT, Settings
from ..errors import UsageError
from ..text import fold, normalize_for_matching
from .metrics import first_relevant_rank, percentile, retrieval_metrics

if TYPE_CHECKING:
    from ..assistant import Assistant

EVALS_DIR = PROJECT_ROOT / "evals"


# --- data ------------------------------------------------------------------------------
def load_questions(path: Path) -> list[dict]:
    """Questions from a JSONL file (blank lines and // comments ignored)."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            rows.append(json.loads(line))
    return rows


def gold_spans(question: dict, doc_texts: dict[str, str]) -> list[tuple[str, int, int]]:
    """(doc_id, start, end) of each gold quote found in the documents."""
    spans = []
    for gold in question.get("gold", []):
        text = doc_texts.get(gold["doc_id"])
        if text is None:
            continue
        quote = gold["quote"]
        at = text.find(quote)
        if at < 0:
            at = normalize_for_matching(text).find(normalize_for_matching(quote))
        if at >= 0:
            spans.append((gold["doc_id"], at, at + len(quote)))
    return spans


def covers(doc_id: str, start: int, end: int, gold: Sequence[tuple[str, int, int]]) -> bool:
    """True when the passage covers at least half of some gold quote."""
    for g_doc, g_start, g_end in gold:
        if g_doc != doc_id:
            continue
        overlap = min(end, g_end) - max(start, g_start)
        if overlap >= max(1, (g_end - g_start) // 2):
            return True
    return False


# --- metrics (pure) ----------------------------------------------------------------------




def answer_correct(answer_text: str, expect: Sequence[str], expect_any: Sequence[str] = ()) -> bool:
    """Every expected string (and one of expect_any, if given) appears in the answer (tone/case-insensitive)."""
    hay = normalize_for_matching(answer_text).casefold()
    ok = all(normalize_for_matching(e).casefold() in hay for e in expect)
    if expect_any:
        ok = ok and any(normalize_for_matching(e).casefold() in hay for e in expect_any)
    return ok




# --- runs ------------------------------------------------------------------------------
Searcher = Callable[[str, int], list[tuple[str, int, int]]]  # question, k → [(doc_id, start, end)]


def score_retrieval(questions: Sequence[dict], doc_texts: dict[str, str], searcher: Searcher, k: int = 10) -> dict:
    """Per-language-group retrieval metrics for one searcher."""
    groups: dict[str, list[int | None]] = {}
    for q in questions:
        if not q.get("answerable", True) or not q.get("gold"):
            continue
        gold = gold_spans(q, doc_texts)
        if not gold:
            continue
        results = searcher(resolved_question(q, questions), k)
        rank = first_relevant_rank([covers(d, s, e, gold) for d, s, e in results])
        groups.setdefault(q.get("lang", "vi"), []).append(rank)
        groups.setdefault("all", []).append(rank)
    return {group: retrieval_metrics(ranks) for group, ranks in groups.items()}


def resolved_question(q: dict, questions: Sequence[dict]) -> str:
    """For retrieval scoring a follow-up is searched together with the question it follows."""
    parent_id = q.get("followup_of")
    if not parent_id:
        return q["question"]
    parent = next((p for p in questions if p["id"] == parent_id), None)
    return f"{parent['question']} {q['question']}" if parent else q["question"]


@dataclass
class EvalReport:
    """Tables of one eval run."""

    retrieval: dict[str, dict[str, dict]]  # mode → group → metrics
    answers: dict[str, Any]
    seconds: float

    def to_json(self) -> dict:
        """Plain JSON."""
        return {"retrieval": self.retrieval, "answers": self.answers, "seconds": round(self.seconds, 1)}


def assistant_searcher(bot: Assistant, mode: str) -> Searcher:
    """A Searcher over the assistant's own index with one retriever mode."""

    def search(question: str, k: int) -> list[tuple[str, int, int]]:
        return [(h.chunk.doc_id, h.chunk.start, h.chunk.end) for h in bot.search(question, k=k, mode=mode)]

    return search


def langchain_recipe_searcher(bot: Assistant, chunk_size: int = 1000, overlap: int = 200) -> Searcher:
    """The LangChain tutorial recipe: RecursiveCharacterTextSplitter 1000/200 + FAISS over the same embedder."""
    import faiss
    import numpy as np
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=overlap, add_start_index=True)
    spans: list[tuple[str, int, int]] = []
    texts: list[str] = []
    for doc_id, record in bot.store.documents.items():
        for piece in splitter.create_documents([record.text]):
            start = piece.metadata["start_index"]
            spans.append((doc_id, start, start + len(piece.page_content)))
            texts.append(piece.page_content)
    vectors = bot.embedder.encode_documents(texts)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)

    def search(question: str, k: int) -> list[tuple[str, int, int]]:
        q = bot.embedder.encode_queries([question])
        _scores, rows = index.search(np.asarray(q, dtype=np.float32), k)
        return [spans[r] for r in rows[0] if r >= 0]

    return search


# The dev set's older "category" names, mapped onto the kinds both sets are reported by.
_KIND_OF_CATEGORY = {"who_leads": "who", "who_coordinates": "who", "doc_number": "particular"}


def question_kind(q: dict) -> str:
    """The kind a question is reported under (who, tasks_of, list, particular, number, date, fact, …)."""
    kind = q.get("kind") or q.get("category") or "fact"
    if not q.get("answerable", True):
        return "unanswerable"
    return _KIND_OF_CATEGORY.get(kind, kind)


def _breakdown(rows: Sequence[tuple[str, str, bool]]) -> dict[str, dict[str, dict]]:
    """{"lang": {group: {n, correct, accuracy}}, "kind": {...}} from (lang, kind, ok) rows."""
    out: dict[str, dict[str, dict]] = {"lang": {}, "kind": {}}
    for lang, kind, ok in rows:
        for axis, group in (("lang", lang), ("kind", kind)):
            cell = out[axis].setdefault(group, {"n": 0, "correct": 0})
            cell["n"] += 1
            cell["correct"] += int(ok)
    for axis in out.values():
        for cell in axis.values():
            cell["accuracy"] = cell["correct"] / cell["n"] if cell["n"] else 0.0
    return out


def score_answers(bot: Assistant, questions: Sequence[dict]) -> dict:
    """Answer accuracy, refusal accuracy, false refusals and ask latency over a question set,
    overall and per language and kind (an unanswerable question is right when it is refused)."""
    rows: list[tuple[str, str, bool]] = []
    given: list[dict] = []  # every answer, for `eval --dump` (diffing the answers of two versions)
    answered = correct = unanswerable = refused = false_refusals = 0
    latencies: list[float] = []
    failures: list[dict] = []
    conversations: dict[str, list] = {}
    for q in questions:
        history = conversations.get(q.get("followup_of", ""), [])
        t0 = time.perf_counter()
        answer = bot.ask(q["question"], history=list(history))
        latencies.append((time.perf_counter() - t0) * 1000)
        conversations[q["id"]] = list(history) + [answer]
        if q.get("answerable", True):
            answered += 1
            ok = answer.found and answer_correct(answer.text, q.get("expect", []), q.get("expect_any", []))
            correct += ok
            if not answer.found:
                false_refusals += 1
            if not ok:
                failures.append({"id": q["id"], "question": q["question"], "kind": question_kind(q), "found": answer.found,
                                 "answer": answer.text[:300]})
        else:
            ok = not answer.found
            unanswerable += 1
            refused += ok
            if answer.found:
                failures.append({"id": q["id"], "question": q["question"], "kind": "unanswerable", "found": True,
                                 "answer": answer.text[:300]})
        rows.append((q.get("lang", "vi"), question_kind(q), bool(ok)))
        given.append({"id": q["id"], "ok": bool(ok), "found": answer.found, "answer": answer.text,
                      "citations": [[c.doc_id, c.section, c.start, c.end] for c in answer.citations]})
    return {
        "answerable": answered,
        "answer_accuracy": correct / answered if answered else 0.0,
        "false_refusal_rate": false_refusals / answered if answered else 0.0,
        "unanswerable": unanswerable,
        "refusal_accuracy": refused / unanswerable if unanswerable else 0.0,
        "ask_ms_p50": percentile(latencies, 50),
        "ask_ms_p95": percentile(latencies, 95),
        "failures": failures,
        "by": _breakdown(rows),
        "given": given,
    }


def run_eval(bot: Assistant, questions_path: Path, modes: Iterable[str] = ("hybrid", "keyword", "dense", "langchain"), answers: bool = True) -> EvalReport:
    """Retrieval tables for every mode and answer metrics, on the assistant's corpus."""
    t0 = time.perf_counter()
    questions = load_questions(questions_path)
    doc_texts = {doc_id: d.text for doc_id, d in bot.store.documents.items()}
    retrieval = {}
    for mode in modes:
        searcher = langchain_recipe_searcher(bot) if mode == "langchain" else assistant_searcher(bot, mode)
        retrieval[mode] = score_retrieval(questions, doc_texts, searcher)
    answer_table = score_answers(bot, questions) if answers else {}
    return EvalReport(retrieval, answer_table, time.perf_counter() - t0)


def format_retrieval(table: dict[str, dict[str, dict]], title: str = "") -> str:
    """A Markdown table: one row per mode and language group."""
    lines = [f"### {title}" if title else "", "| retriever | group | n | hit@1 | hit@3 | hit@5 | MRR |", "|---|---|---|---|---|---|---|"]
    for mode, groups in table.items():
        for group in sorted(groups, key=lambda g: (g != "all", g)):
            m = groups[group]
            lines.append(
                f"| {mode} | {group} | {m['n']} | {m.get('hit@1', 0):.3f} | {m.get('hit@3', 0):.3f} | {m.get('hit@5', 0):.3f} | {m['mrr']:.3f} |"
            )
    return "\n".join(line for line in lines if line is not None)


def format_answers(table: dict) -> str:
    """A Markdown table of answer metrics, then accuracy per language and per kind."""
    if not table:
        return ""
    lines = [
        "| answerable | answer accuracy | false refusals | unanswerable | refusal accuracy | ask p50 ms | ask p95 ms |",
        "|---|---|---|---|---|---|---|",
        f"| {table['answerable']} | {table['answer_accuracy']:.3f} | {table['false_refusal_rate']:.3f} | "
        f"{table['unanswerable']} | {table['refusal_accuracy']:.3f} | {table['ask_ms_p50']:.0f} | {table['ask_ms_p95']:.0f} |",
    ]
    by = table.get("by") or {}
    for axis in ("lang", "kind"):
        groups = by.get(axis) or {}
        if not groups:
            continue
        lines += ["", f"| {axis} | n | correct | accuracy |", "|---|---|---|---|"]
        for group in sorted(groups):
            cell = groups[group]
            lines.append(f"| {group} | {cell['n']} | {cell['correct']} | {cell['accuracy']:.3f} |")
    return "\n".join(lines)


# The question sets: `dev` is tuned on; `test` and `legal-test` were written blind, from the documents
# only, and are looked at only at the end of a change (evals/README.md). The legal set is scored on an
# index of the legal texts in ../shared/legal (never committed here).
SHARED_LEGAL = PROJECT_ROOT.parent / "shared" / "legal"
_LEGAL_FILES = ("luat-66-2011-QH12-phong-chong-mua-ban-nguoi.txt", "bo-luat-hinh-su-2015-dieu-150-151-nguyen-van-2015.txt")
EVAL_SETS: dict[str, tuple[Path, tuple[str, ...]]] = {
    "dev": (EVALS_DIR / "questions.jsonl", ()),
    "dev-kinds": (EVALS_DIR / "dev_kinds.jsonl", ()),
    "dev-d": (EVALS_DIR / "dev_d.jsonl", ()),
    "legal-dev-d": (EVALS_DIR / "legal_dev_d.jsonl", _LEGAL_FILES),
    "dev-e": (EVALS_DIR / "dev_e.jsonl", ()),
    "dev-g": (EVALS_DIR / "dev_g.jsonl", ()),
    "dev-f": (EVALS_DIR / "dev_f.jsonl", ()),
    "dev-h": (EVALS_DIR / "dev_h.jsonl", ()),
    "dev-i": (EVALS_DIR / "dev_i.jsonl", ()),
    "dev-j": (EVALS_DIR / "dev_j.jsonl", ()),
    "legal-dev-e": (EVALS_DIR / "legal_dev_e.jsonl", _LEGAL_FILES),
    "legal-dev-f": (EVALS_DIR / "legal_dev_f.jsonl", _LEGAL_FILES),
    "legal-dev-g": (EVALS_DIR / "legal_dev_g.jsonl", _LEGAL_FILES),
    "legal-dev-h": (EVALS_DIR / "legal_dev_h.jsonl", _LEGAL_FILES),
    "legal-dev-i": (EVALS_DIR / "legal_dev_i.jsonl", _LEGAL_FILES),
    "dev-k": (EVALS_DIR / "dev_k.jsonl", ()),
    "legal-dev-j": (EVALS_DIR / "legal_dev_j.jsonl", _LEGAL_FILES),
    "dev-l": (EVALS_DIR / "dev_l.jsonl", ()),
    "legal-dev-k": (EVALS_DIR / "legal_dev_k.jsonl", _LEGAL_FILES),
    "legal-dev-l": (EVALS_DIR / "legal_dev_l.jsonl", _LEGAL_FILES),
    "dev-m": (EVALS_DIR / "dev_m.jsonl", ()),
    "legal-dev-m": (EVALS_DIR / "legal_dev_m.jsonl", _LEGAL_FILES),
    "dev-n": (EVALS_DIR / "dev_n.jsonl", ()),
    "legal-dev-n": (EVALS_DIR / "legal_dev_n.jsonl", _LEGAL_FILES),
    "dev-o": (EVALS_DIR / "dev_o.jsonl", ()),
    "legal-dev-o": (EVALS_DIR / "legal_dev_o.jsonl", _LEGAL_FILES),
    "dev-p": (EVALS_DIR / "dev_p.jsonl", ()),
    "legal-dev-p": (EVALS_DIR / "legal_dev_p.jsonl", _LEGAL_FILES),
    "dev-q": (EVALS_DIR / "dev_q.jsonl", ()),
    "legal-dev-q": (EVALS_DIR / "legal_dev_q.jsonl", _LEGAL_FILES),
    "dev-r": (EVALS_DIR / "dev_r.jsonl", ()),
    "legal-dev-r": (EVALS_DIR / "legal_dev_r.jsonl", _LEGAL_FILES),
    "dev-s": (EVALS_DIR / "dev_s.jsonl", ()),
    "dev-w": (EVALS_DIR / "dev_w.jsonl", ()),
    "legal-dev-w": (EVALS_DIR / "legal_dev_w.jsonl", _LEGAL_FILES),
    "dev-x": (EVALS_DIR / "dev_x.jsonl", ()),
    "legal-dev-x": (EVALS_DIR / "legal_dev_x.jsonl", _LEGAL_FILES),
    "dev-y": (EVALS_DIR / "dev_y.jsonl", ()),
    "legal-dev-y": (EVALS_DIR / "legal_dev_y.jsonl", _LEGAL_FILES),
    "dev-z": (EVALS_DIR / "dev_z.jsonl", ()),
    "legal-dev-z": (EVALS_DIR / "legal_dev_z.jsonl", _LEGAL_FILES),
    # written blind at the start of session 27 and held out until its end (measured once, beside the session-start code)
    "fresh-z": (EVALS_DIR / "fresh_z.jsonl", ()),
    "legal-fresh-z": (EVALS_DIR / "legal_fresh_z.jsonl", _LEGAL_FILES),
    "fresh-y": (EVALS_DIR / "fresh_y.jsonl", ()),
    "legal-fresh-y": (EVALS_DIR / "legal_fresh_y.jsonl", _LEGAL_FILES),
    # written blind at the start of session 29, held out until its end
    "fresh-x": (EVALS_DIR / "fresh_x.jsonl", ()),
    "legal-fresh-x": (EVALS_DIR / "legal_fresh_x.jsonl", _LEGAL_FILES),
    # written blind at the start of session 30, held out until its end
    "fresh-w": (EVALS_DIR / "fresh_w.jsonl", ()),
    "legal-fresh-w": (EVALS_DIR / "legal_fresh_w.jsonl", _LEGAL_FILES),
    # written blind at the start of session 31, held out until its end
    "fresh-v": (EVALS_DIR / "fresh_v.jsonl", ()),
    "legal-fresh-v": (EVALS_DIR / "legal_fresh_v.jsonl", _LEGAL_FILES),
    # written blind at the start of session 32, held out until its end
    "fresh-u": (EVALS_DIR / "fresh_u.jsonl", ()),
    "legal-fresh-u": (EVALS_DIR / "legal_fresh_u.jsonl", _LEGAL_FILES),
    # written blind at the start of session 33, held out until its end
    "fresh-t": (EVALS_DIR / "fresh_t.jsonl", ()),
    "legal-fresh-t": (EVALS_DIR / "legal_fresh_t.jsonl", _LEGAL_FILES),
    # written blind at the start of session 34, held out until its end
    "fresh-s": (EVALS_DIR / "fresh_s.jsonl", ()),
    "legal-fresh-s": (EVALS_DIR / "legal_fresh_s.jsonl", _LEGAL_FILES),
    # written blind at the start of session 35, held out until its end
    "fresh-r": (EVALS_DIR / "fresh_r.jsonl", ()),
    "legal-fresh-r": (EVALS_DIR / "legal_fresh_r.jsonl", _LEGAL_FILES),
    # written blind at the start of session 36, held out until its end
    "fresh-q": (EVALS_DIR / "fresh_q.jsonl", ()),
    "legal-fresh-q": (EVALS_DIR / "legal_fresh_q.jsonl", _LEGAL_FILES),
    # written blind at the start of session 37, held out until its end
    "fresh-p": (EVALS_DIR / "fresh_p.jsonl", ()),
    "legal-fresh-p": (EVALS_DIR / "legal_fresh_p.jsonl", _LEGAL_FILES),
    # written blind at the start of session 38, held out until its end
    "fresh-o": (EVALS_DIR / "fresh_o.jsonl", ()),
    "legal-fresh-o": (EVALS_DIR / "legal_fresh_o.jsonl", _LEGAL_FILES),
    # written blind at the start of session 39, held out until its end
    "fresh-n": (EVALS_DIR / "fresh_n.jsonl", ()),
    "legal-fresh-n": (EVALS_DIR / "legal_fresh_n.jsonl", _LEGAL_FILES),
    "legal-dev": (EVALS_DIR / "legal_questions.jsonl", _LEGAL_FILES),
    "test": (EVALS_DIR / "test_questions.jsonl", ()),
    "legal-test": (EVALS_DIR / "test_legal.jsonl", _LEGAL_FILES),
    "test-c": (EVALS_DIR / "test_c_questions.jsonl", ()),
    "legal-test-c": (EVALS_DIR / "test_legal_c.jsonl", _LEGAL_FILES),
}


def legal_settings(settings: Settings, files: Sequence[str], source: Path = SHARED_LEGAL) -> Settings:
    """Settings for an index of some legal texts copied from `source` into the cache folder."""
    import shutil


    folder = settings.cache_dir / "eval-legal" / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    for name in files:
        if not (source / name).is_file():
            raise UsageError(f"{source / name} is missing: the legal test set needs ../shared/legal beside the project.")
        if not (folder / name).is_file() or (folder / name).read_bytes() != (source / name).read_bytes():
            shutil.copyfile(source / name, folder / name)
    return settings.replace(documents_dir=folder, index_dir=settings.cache_dir / "eval-legal" / "index")


def median(values: Sequence[float]) -> float:
    """Median (0 for none)."""
    return statistics.median(values) if values else 0.0


# --- responsibility extraction ----------------------------------------------------------------
def duty_metrics(extracted: Sequence[Any], gold: Sequence[dict], doc_texts: dict[str, str]) -> dict:
    """Precision/recall of (task, lead agencies) pairs against hand labels (evals/duties_gold.jsonl).

    A record matches a label when its clause overlaps the labelled clause, its task span covers
    the labelled task start, and its lead set equals the labelled one (names compared folded)."""
    def key(names: Iterable[str]) -> frozenset:
        return frozenset(fold(n) for n in names)

    labels = [g for g in gold if g.get("lead") and g["doc_id"] in doc_texts]
    predicted = [d for d in extracted if d.lead and d.doc_id in {g["doc_id"] for g in labels}]

    def same(d: Any, g: dict) -> bool:
        if d.doc_id != g["doc_id"]:
            return False
        r_start = g["resp_offset"]
        r_end = r_start + len(g["resp_quote"])
        if not (d.clause_start < r_end and r_start < d.clause_end):
            return False
        t_start = g["task_offset"]
        t_end = t_start + len(g["task_quote"])
        task_ok = d.task_start <= t_start < d.task_end or (d.task_start < t_end and t_start < d.task_end)
        return task_ok and key(d.lead) == key(g["lead"])

    matched_pred = sum(1 for d in predicted if any(same(d, g) for g in labels))
    matched_gold = [g for g in labels if any(same(d, g) for d in predicted)]
    missed = [g for g in labels if g not in matched_gold]
    spurious = [d for d in predicted if not any(same(d, g) for g in labels)]
    return {
        "labels": len(labels),
        "extracted": len(predicted),
        "precision": matched_pred / len(predicted) if predicted else 0.0,
        "recall": len(matched_gold) / len(labels) if labels else 0.0,
        "missed": [{"id": g["id"], "section": g["section"], "lead": g["lead"], "resp": g["resp_quote"][:90]} for g in missed],
        "spurious": [{"doc": d.doc_id, "section": d.section, "lead": list(d.lead), "clause": d.clause[:90]} for d in spurious],
    }
