"""Compose cited answers; sources are numbered [1]..[k] and citations are parsed in one place.

Deterministic by default: the answer is built from the documents' own sentences, quoted
verbatim, so numbers, dates and document numbers are never paraphrased. "Who leads X?"
questions are answered from the responsibility records (duties.py). When the evidence
does not answer the question the answer says so (`found=False`) and offers the closest
passages as related reading. An LLM is used only when one is configured (llm.py).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Sequence

from ..config import Settings
from ..matrix import document_name
from ..query import Query, understand
from .compare import answer_compare
from .compound import answer_compound
from .lists import answer_list
from .refusal import missing_part, named_numbers, no_match_for_filters, states, with_understanding
from .tasks import answer_tasks_of
from .who import ROLE_LABELS_EN, ROLE_LABELS_VI, as_written, assigned_roles, latin, requested_in, who_sentence
from .types import Answer, Citation, clean_quote, official_section, cited_numbers, drop_invalid_markers, not_found, refuses, sentences
from ..retrieve import Filters, Hit, Retriever
from ..text import fold, keyword_terms, normalize_for_matching

log = logging.getLogger(__name__)


# Words that carry the question's form, not its topic. Matched in accented form: folding
# would make "tố" collide with English "to" and "số" with "sở".
_QUESTION_WORDS = set(
    normalize_for_matching(
        "ai là gì nào những các của và cho với trong theo về được có không bao nhiêu khi nào ở đâu thế sao "
        "như thế nào hãy cho biết tôi muốn biết vậy thì còn ra sao nêu liệt kê gồm mấy đó này ấy "
        "ai la gi nao nhung cac cua va cho voi trong theo ve duoc co khong bao nhieu khi o dau the sao nhu hay biet "
        "what who which when where how many much is are was were the a an of in on for to by with does do "
        "did and or please tell me about according this that it its their"
    ).lower().split()
)


def content_terms(question: str) -> set[str]:
    """Topic words of a question in matching form (question words removed)."""
    return {t for t in keyword_terms(question) if "_" not in t and t not in _QUESTION_WORDS and len(t) > 1}


_LEAD_WORDS = set(
    normalize_for_matching(
        "chủ trì phụ trách chịu trách nhiệm đảm nhiệm đầu mối cơ quan đơn vị sở ngành lực lượng thực hiện phối hợp tham gia "
        "giao kế hoạch văn bản tỉnh nhiệm vụ công tác "
        "lead leads leading in charge responsible agency agencies department departments body coordinate coordinates "
        "coordinating who which heads handles task tasked role carry carries out implement implements"
    ).lower().split()
)
_NUMBER_CUES = re.compile(
    r"(?i)\b(bao nhi[eê]u|m[aấ]y|t[yỷ] l[eệ]|s[oố] (điện thoại|dien thoai|hi[eệ]u|l[uư][oợ]ng)|how many|how much|what percentage|"
    r"percent|rate|number|phone|hotline|t[oổ]ng [dđ]ài|tong dai|ch[iỉ] ti[eê]u|target)\b"
)
_DATE_CUES = re.compile(r"(?i)\b(khi n[aà]o|ng[aà]y n[aà]o|th[oờ]i gian|th[aá]ng n[aà]o|n[aă]m n[aà]o|when|what date|which day|period|giai đo[aạ]n n[aà]o|from when|until when|dates?)\b")


@dataclass
class _Evidence:
    """Scored sentences of the retrieved passages."""

    hit: Hit
    start: int
    end: int
    text: str
    coverage: float
    score: float
    # The lead-in an item hangs from ("2. … thì bị phạt tù từ 08 năm đến 15 năm:" above "đ) Đưa nạn nhân
    # ra khỏi biên giới …"): the item alone does not say what the law does with it.
    lead_start: int = -1
    lead_end: int = -1
    lead_text: str = ""

    @property
    def span_start(self) -> int:
        """Where the quoted text starts: at the lead-in when there is one."""
        return self.lead_start if self.lead_text else self.start

    def full_text(self) -> str:
        """The lead-in (when there is one) and the sentence, for checks that need both."""
        return f"{self.lead_text} {self.text}" if self.lead_text else self.text


# An item of a list: "a)", "đ)", "-", "+", "•" (the lead-in above it ends with ":").
_LIST_ITEM = re.compile(r"\s*(?:[a-zđ]\)|[-+•–]\s)")

# Above this many chunks the answer's term weights come from the keyword index instead of a pass over the chunks.
IDF_FROM_INDEX_ABOVE = 50_000

# "Who leads …": at most this many records per document, the second only when its score is within
# NEAR_TIE of the first; and at most MAX_WHO_CITATIONS in one answer.
RECORDS_PER_DOCUMENT = 2
NEAR_TIE = 0.94
MAX_WHO_CITATIONS = 7


class Composer:
    """Builds answers from retrieved passages and responsibility records."""

    def __init__(self, retriever: Retriever, settings: Settings):
        self.retriever = retriever
        self.settings = settings
        self._duties = None
        self._idf: dict[str, float] | None = None
        self._generator = None

    @property
    def store(self):
        return self.retriever.store

    # -- public ---------------------------------------------------------------------------
    def answer(self, question: str, history: Sequence[Answer] = (), filters: Filters | None = None) -> Answer:
        """Answer one question deterministically (then through the LLM when one is configured)."""
        answer = self.deterministic(question, history, filters)
        if self.settings.llm_model and answer.found:
            return self._with_llm(answer)
        return answer

    def stream(self, question: str, history: Sequence[Answer] = (), filters: Filters | None = None):
        """Yield text pieces, then the final Answer (LLM tokens when configured, else the whole answer)."""
        answer = self.deterministic(question, history, filters)
        if not (self.settings.llm_model and answer.found):
            yield answer.text
            yield answer
            return
        yield from self._stream_llm(answer)

    def deterministic(self, question: str, history: Sequence[Answer] = (), filters: Filters | None = None) -> Answer:
        """The deterministic answer: the strategy for the question's kind, or a refusal."""
        filters = filters or Filters()
        query = understand(question, history, self.provinces())
        if query.parts:
            return answer_compound(self, query, filters)
        return self.answer_query(query, filters)

    def provinces(self) -> list[str]:
        """Provinces the indexed documents belong to."""
        return [d.province for d in self.store.documents.values() if d.province]

    def answer_query(self, query: Query, filters: Filters) -> Answer:
        """Answer one understood (non-compound) question."""
        question, language = query.question, query.language
        scope_filters = self._scope_filters(query.scope, filters)
        if query.scope.unknown_provinces and not query.scope.provinces and not filters:
            names = ", ".join(query.scope.unknown_provinces)
            provinces = self.provinces()
            text = (
                f"The indexed documents do not cover {names}; they cover: {', '.join(sorted(set(provinces)))}."
                if language == "en"
                else f"Các tài liệu hiện có không có văn bản nào của {names}; kho tài liệu gồm: {', '.join(sorted(set(provinces)))}."
            )
            return Answer(question, text, False, (), language, query.legacy_intent, query.text, query.scope.as_dict(),
                          related=tuple(self._related(query.text, filters)))
        if filters and self.retriever.allowed_rows(filters).size == 0:
            return Answer(question, no_match_for_filters(filters, language), False, (), language, query.legacy_intent,
                          query.text, query.scope.as_dict())
        hits = self.retriever.search(query.text, 10, scope_filters)
        if not hits and scope_filters is not filters:
            hits = self.retriever.search(query.text, 10, filters)
        answer = None
        if query.intent == "particular":
            answer = self._meta(question, query, language, scope_filters)
        elif query.intent == "compare":
            answer = answer_compare(self, query, scope_filters)
        elif query.intent == "tasks_of":
            answer = answer_tasks_of(self, query, scope_filters)
        elif query.intent == "who":
            answer = self._who(question, query, language, hits, scope_filters)
        elif query.intent == "list":
            answer = answer_list(self, query, hits)
        if answer is None:
            answer = self._extractive(question, query, language, hits)
        return with_understanding(answer, query)

    def _meta(self, question: str, query: Query, language: str, filters: Filters) -> Answer | None:
        """Number, date, signer or issuer of a document, quoted from its header or signature."""
        from ..metadata import all_meta, describe, find_reference_docs, meta_kind

        kind = meta_kind(query.text)
        if kind is None:
            return None
        allowed = self.retriever.allowed_rows(filters)
        allowed_docs = None if allowed is None else self.retriever.documents_of(allowed)
        docs = find_reference_docs(query.text, self.store.documents, allowed_docs)
        if not docs:
            return None
        found = all_meta(kind, docs, self.store.documents)
        if not found:
            label = ", ".join(self.store.documents[d].label for d in docs)
            text = (f"{label} does not state this." if language == "en"
                    else f"Văn bản {label} không ghi thông tin này.")
            return Answer(question, text, False, (), language, "meta", query.text, query.scope.as_dict())
        lines, cites = [], []
        for n, (doc_id, line, start, end) in enumerate(found, start=1):
            cites.append(self.span_citation(n, doc_id, start, end, "", [(start, end)]))
            lines.append(f"{describe(kind, self.store.documents[doc_id], line, language)} [{n}]")
        return Answer(question, "\n".join(lines), True, tuple(cites), language, "meta", query.text, query.scope.as_dict())

    # -- helpers --------------------------------------------------------------------------
    def _scope_filters(self, scope, filters: Filters) -> Filters:
        if filters or not scope:
            return filters
        candidate = Filters(provinces=scope.provinces, years=scope.years)
        allowed = self.retriever.allowed_rows(candidate)
        if allowed is not None and allowed.size == 0 and scope.years:
            candidate = Filters(provinces=scope.provinces)  # a year no document covers: keep the province only
            allowed = self.retriever.allowed_rows(candidate)
        if allowed is not None and allowed.size == 0:
            return filters
        return candidate if candidate else filters

    def _topic_terms(self, question: str, language: str) -> set[str]:
        """Topic terms of a question in accented matching form: unigrams and word pairs.

        Questions typed without diacritics get them restored from the corpus vocabulary,
        English questions are mapped through the domain glossary; scope words (province,
        year) and the words that only ask "who leads" are left out."""
        from ..glossary import expand_english
        from ..scope import strip_scope

        base = strip_scope(question)
        if language == "en":
            base = expand_english(base)
        else:
            base = self.retriever.prepare(base).dense_text
        terms = set()
        for term in keyword_terms(base):
            parts = term.split("_")
            if any(p in _LEAD_WORDS or p in _QUESTION_WORDS for p in parts):
                continue
            if len(term) > 1:
                terms.add(term)
        return terms

    def _term_idf(self, term: str) -> float:
        """idf of one term: counted over the chunk texts for a small index; read from the keyword index's
        postings (document frequency = postings of the term) above IDF_FROM_INDEX_ABOVE chunks, where
        counting would read every chunk from disk on the first question (minutes at 1M chunks)."""
        n = len(self.store.chunks)
        if n <= IDF_FROM_INDEX_ABOVE:
            idf = self.idf()
            return idf.get(term, self._idf_default)
        import math

        keyword = self.store.keyword
        column = keyword.vocab_dict.get(term)
        if column is None:
            return math.log(1 + n)
        indptr = keyword.scores["indptr"]
        return math.log(1 + n / max(1, int(indptr[column + 1] - indptr[column])))

    def idf(self) -> dict[str, float]:
        """Inverse document frequency of accented words and word pairs over the chunks."""
        if self._idf is None:
            import math

            df: dict[str, int] = {}
            for chunk in self.store.chunks:
                for term in set(keyword_terms(chunk.text)):
                    df[term] = df.get(term, 0) + 1
            n = max(1, len(self.store.chunks))
            self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
            self._idf_default = math.log(1 + n)
        return self._idf

    def _weight(self, term: str) -> float:
        w = self._term_idf(term)
        return w if "_" in term else 0.6 * w  # a word pair ("trợ_giúp") means more than its syllables

    def _coverage(self, terms: set[str], words: set[str], near: set[str] = frozenset()) -> float:
        total = sum(self._weight(t) for t in terms) or 1.0
        got = sum(self._weight(t) for t in terms if t in words)
        got += 0.5 * sum(self._weight(t) for t in terms if t not in words and t in near)
        return got / total

    def citation(self, n: int, hit_or_chunk, highlights: Sequence[tuple[int, int]] = ()) -> Citation:
        """A Citation for a hit or a chunk."""
        chunk = getattr(hit_or_chunk, "chunk", hit_or_chunk)
        doc = self.store.documents.get(chunk.doc_id)
        return Citation(
            n=n,
            doc_id=chunk.doc_id,
            title=doc.title if doc else chunk.doc_id,
            section=chunk.section,
            text=chunk.text,
            start=chunk.start,
            end=chunk.end,
            year=doc.year if doc else None,
            period=doc.period if doc else None,
            page=chunk.page if doc is not None and _paged(doc) else None,
            highlights=tuple(highlights),
        )

    def span_citation(self, n: int, doc_id: str, start: int, end: int, section: str, highlights=()) -> Citation:
        """A Citation for an exact span of a document."""
        doc = self.store.documents[doc_id]
        page = None
        for number, p_start, p_end in (doc.pages if _paged(doc) else ()):
            if p_start <= start < max(p_end, p_start + 1):
                page = number
        return Citation(n, doc_id, doc.title, section, doc.text[start:end], start, end, doc.year, doc.period, page, tuple(highlights))

    def _related(self, question: str, filters: Filters) -> list[Citation]:
        return [self.citation(i, h) for i, h in enumerate(self.retriever.search(question, 3, filters), start=1)]

    # -- fact questions -------------------------------------------------------------------
    def _evidence(self, question: str, language: str, hits: Sequence[Hit]) -> list[_Evidence]:

        terms = self._topic_terms(question, language)
        wants_number = bool(_NUMBER_CUES.search(question))
        wants_date = bool(_DATE_CUES.search(question))
        out: list[_Evidence] = []
        for hit in hits[:6]:
            context_words = set(keyword_terms(hit.chunk.context))
            lead: tuple[int, int, str] | None = None
            for s, e, text in sentences(hit.chunk.text, hit.chunk.start):
                parent = lead if _LIST_ITEM.match(text) else None
                lead = (s, e, text) if text.rstrip().endswith(":") else parent
                both = f"{parent[2]} {text}" if parent else text
                # An item says what its lead-in says of it: the two are scored as one sentence.
                coverage = self._coverage(terms, set(keyword_terms(both)), context_words)
                score = coverage + 0.35 / hit.rank + 0.25 * max(0.0, hit.dense_score - 0.75) * 4
                if wants_number and re.search(r"\d", both):
                    score += 0.25
                if wants_date and re.search(r"\d{1,2}/\d{1,2}|ngày|tháng|\b(19|20)\d\d\b", both):
                    score += 0.2
                if len(both) < 25:
                    score -= 0.3
                lead_start, lead_end, lead_text = parent or (-1, -1, "")
                out.append(_Evidence(hit, s, e, text, coverage, score, lead_start, lead_end, lead_text))
        out.sort(key=lambda ev: -ev.score)
        return out

    def _supported(self, question: str, best: _Evidence, language: str) -> bool:
        """Is the best evidence strong enough to answer? (thresholds calibrated on evals/questions.jsonl)"""
        from ..glossary import glossary_share

        folded = fold(question)
        # "bao nhiêu tỷ đồng / năm tù / vụ / nạn nhân": a figure with that unit must be quoted.
        unit = re.search(r"\b(?:bao nhieu|how many|how much|may)\s+(?:\w+\s+)?(ty dong|trieu dong|dong|tien|nam|vu|nan nhan|nguoi|"
                         r"cases|victims|people|years|vnd|dong)\b", folded)
        if unit or re.search(r"\b(budget|ngan sach|kinh phi bao nhieu|muc (tro cap|phat)|prison|phat tu)\b", folded):
            unit_word = unit.group(1) if unit else ""
            unit_vi = {"cases": "vu", "victims": "nan nhan", "people": "nguoi", "years": "nam", "vnd": "dong"}.get(unit_word, unit_word)
            sentence = fold(best.full_text())
            if unit_vi in ("tien", "ty dong", "trieu dong", "dong", "") or "budget" in folded or "ngan sach" in folded:
                if not re.search(r"\d[\d.,]*\s*(ty|trieu|nghin|dong|vnd)\b", sentence):
                    return False
            elif unit_vi and not re.search(rf"\d[\d.,]*\s*{unit_vi}\b", sentence):
                return False
        # "Ai là Giám đốc …", "who is the chairman": a person's name, which plans rarely give.
        if re.search(r"\b(ai la|who is the|who was the|ten cua|name of)\b.*\b(giam doc|chu tich|truong ban|chairman|director|head|chief)\b", folded):
            return False
        dense = best.hit.dense_score
        if language == "en":
            if glossary_share(question) < 0.34:
                return False  # mostly words the domain glossary does not know: off-topic
            return best.coverage >= 0.3 or dense >= 0.85
        return best.coverage >= 0.25

    def _lacking(self, query: Query, best: _Evidence) -> str | None:
        """What the best evidence lacks of what the question asks: its slot (a date, a figure, a penalty …)
        or a number the question names ("Điều 150", "Luật … năm 2024"); None when it has both."""
        around = f"{best.full_text()} {best.hit.chunk.context} {best.hit.chunk.section}"
        if not states(query.slot, best.full_text()):
            return query.slot
        for number in named_numbers(query):
            if not re.search(rf"(?<!\d){number}(?!\d)", around):
                return "number_named"
        return None

    def _extractive(self, question: str, query: Query, language: str, hits: list[Hit]) -> Answer:
        evidence = self._evidence(query.text, language, hits)
        if evidence and query.slot and not states(query.slot, evidence[0].full_text()):
            # The best-matching sentence lacks what is asked (a law, a date, a figure): a close runner-up
            # that states it answers, the best one does not.
            top = evidence[0]
            stating = [ev for ev in evidence if states(query.slot, ev.full_text())
                       and ev.coverage >= 0.6 * top.coverage and ev.score >= 0.6 * top.score]
            if stating:
                evidence = stating + [ev for ev in evidence if ev not in stating]
        if hits and evidence and self._supported(query.text, evidence[0], language):
            lacking = self._lacking(query, evidence[0])
            if lacking:
                return Answer(question, missing_part(lacking, language), False, (), language, query.legacy_intent, query.text,
                              query.scope.as_dict(),
                              related=tuple(self.citation(i, h) for i, h in enumerate(hits[:3], start=1)))
        if not hits or not evidence or not self._supported(query.text, evidence[0], language):
            return Answer(
                question, not_found(language), False, (), language, query.legacy_intent, query.text,
                query.scope.as_dict(), related=tuple(self.citation(i, h) for i, h in enumerate(hits[:3], start=1)),
            )
        chosen = [self._complete(evidence[0])]
        for ev in evidence[1:]:
            if len(chosen) == 2:
                break
            if ev.score >= 0.8 * evidence[0].score and ev.coverage >= 0.5 and not any(
                ev.span_start < c.end and c.span_start < ev.end for c in chosen
            ) and ev.full_text().strip() not in {c.full_text().strip() for c in chosen}:
                chosen.append(ev)
        numbers: dict[str, int] = {}
        highlights: dict[str, list[tuple[int, int]]] = {}
        lines = []
        for ev in chosen:
            key = ev.hit.chunk.chunk_id
            if key not in numbers:
                numbers[key] = len(numbers) + 1
            if ev.lead_text:
                highlights.setdefault(key, []).append((ev.lead_start, ev.lead_end))
            highlights.setdefault(key, []).append((ev.start, ev.end))
            doc = self.store.documents.get(ev.hit.chunk.doc_id)
            where = doc.short_label if doc else ev.hit.chunk.doc_id
            lead = (f"According to {where}" if language == "en" else f"Theo {where}")
            where_in = official_section(ev.hit.chunk.section, language)
            section = f", {where_in}" if where_in else ""
            quote = f"“{clean_quote(ev.text)}”"
            if ev.lead_text:  # two verbatim quotes, not one that glues them together
                quote = f"“{clean_quote(ev.lead_text)}” … {quote}"
            lines.append(f"{lead}{section}: {quote} [{numbers[key]}]")
        cites = []
        for ev in chosen:
            key = ev.hit.chunk.chunk_id
            if all(c.n != numbers[key] for c in cites):
                cites.append(self.citation(numbers[key], ev.hit, highlights[key]))
        return Answer(question, "\n".join(lines), True, tuple(cites), language, query.legacy_intent, query.text,
                      query.scope.as_dict())

    def _complete(self, ev: _Evidence) -> _Evidence:
        """A heading ("Mục tiêu tổng quát") or a lead-in ending in ":" is quoted with what follows it."""
        text = ev.text.rstrip()
        lead_in = text.endswith(":") or re.search(r"(sau|gồm|như sau)\s*[:;]?$", text)
        if (len(text) >= 60 or ev.lead_text) and not lead_in:
            return ev  # long enough, or an item already quoted with its lead-in
        chunk = ev.hit.chunk
        end = ev.end
        for s, e, piece in sentences(chunk.text, chunk.start):
            if s < ev.end:
                continue
            end = e
            if end - ev.start >= 400 or (not piece.rstrip().endswith(":") and end - ev.start >= 120):
                break
        if end == ev.end:
            return ev
        doc = self.store.documents[chunk.doc_id].text
        return replace(ev, end=end, text=doc[ev.start:end])

    # -- who leads / coordinates -----------------------------------------------------------
    def duties(self):
        """The index's task records (extracted at index time, shared with the matrix and the comparison)."""
        return self.store.tasks

    def _row_of(self, doc_id: str, pos: int) -> int | None:
        rows = self.retriever.rows_of(doc_id)
        if rows is None:
            return None
        for row in rows:
            c = self.store.chunks[row]
            if c.start <= pos < c.end + 1:
                return int(row)
        return None

    def _who(self, question: str, query: Query, language: str, hits: list[Hit], filters: Filters) -> Answer | None:
        import numpy as np

        from ..duties import english_name

        records = self.duties()
        allowed = self.retriever.allowed_rows(filters)
        allowed_docs = None
        if allowed is not None:
            allowed_docs = self.retriever.documents_of(allowed)
        topic = self._topic_terms(query.text, language)
        if not topic:
            return None
        qvec = self.retriever.query_vector(self.retriever.prepare(query.text).dense_text)
        hit_rank = {h.chunk.chunk_id: h.rank for h in hits}
        scored = []
        for duty in records:
            if allowed_docs is not None and duty.doc_id not in allowed_docs:
                continue
            if not (duty.lead or duty.coordinating or duty.performers):
                continue
            if query.legacy_intent == "who_coordinates" and not (duty.coordinating or duty.lead):
                continue
            if query.legacy_intent == "who_coordinates" and query.agency and query.agency not in (*duty.lead, *duty.performers):
                continue  # "Công an tỉnh phối hợp với sở nào …": the partners of the agency named
            coverage = self._coverage(topic, set(keyword_terms(f"{duty.task} {duty.clause}")), set(keyword_terms(duty.heading)))
            row = self._row_of(duty.doc_id, duty.task_start)
            dense = float(np.dot(self.store.embeddings[row], qvec)) if row is not None else 0.0
            rank = hit_rank.get(self.store.chunks[row].chunk_id) if row is not None else None
            score = coverage + 2.0 * max(0.0, dense - 0.78) + (0.15 / rank if rank else 0.0)
            if query.legacy_intent == "who_leads" and not duty.lead:
                score -= 0.1  # named only as doing the task: an answer when no record names a lead
            scored.append((score, coverage, dense, duty))
        if not scored:
            return None
        scored.sort(key=lambda x: -x[0])
        best_score, best_cov, best_dense, _ = scored[0]
        if best_cov < 0.5 and not (language == "en" and best_dense >= 0.83):
            return None
        # A document's best record, plus a runner-up that is all but tied with it and names other
        # agencies (Ninh Bình 2024 gives victim support to the labour department and legal aid
        # for victims to the justice department in two bullets of one section): picking one of two
        # near-equal scores would hide half of the answer.
        per_doc: dict[str, list[tuple]] = {}
        for item in scored:
            score, cov, _dense, duty = item
            if score < 0.75 * best_score or cov < 0.5 * best_cov:
                continue
            kept = per_doc.setdefault(duty.doc_id, [])
            if not kept:
                kept.append(item)
            elif (len(kept) < RECORDS_PER_DOCUMENT and score >= NEAR_TIE * kept[0][0] and cov >= kept[0][1]
                  and all(set(duty.lead) != set(k[3].lead) for k in kept)):
                kept.append(item)
        docs = self.store.documents

        def when(doc_id: str) -> tuple:
            d = docs[doc_id]
            years = [int(y) for y in re.findall(r"(?:19|20)\d\d", f"{d.period or ''} {d.year or ''}")]
            return (max(years) if years else 0, d.doc_id)

        newest_first = sorted(per_doc.values(), key=lambda items: when(items[0][3].doc_id), reverse=True)[:5]
        ordered = [item for items in newest_first for item in items][:MAX_WHO_CITATIONS]
        cites: list[Citation] = []
        lines: list[str] = []
        summary: list[tuple[str, str, str, int]] = []  # (document label, role word, names, n) for the lead sentence
        role = "coordinating" if query.legacy_intent == "who_coordinates" else "lead"
        en = language == "en"
        for n, (_score, _cov, _dense, duty) in enumerate(ordered, start=1):
            doc = docs[duty.doc_id]
            start = min(duty.task_start, duty.clause_start)
            end = max(duty.task_end, duty.clause_end)
            if end - start > 1600:  # cite the clause and the start of its task, not a whole chapter
                start, end = duty.clause_start, duty.clause_end
            cites.append(self.span_citation(n, duty.doc_id, start, end, duty.section,
                                            [(duty.clause_start, duty.clause_end)]))
            written = as_written(duty)
            requested = requested_in(duty)
            parts = []
            for key, names in assigned_roles(duty, role):
                if not names:
                    continue
                asked = [x for x in names if x in requested]
                plain = [x for x in names if x not in requested]
                shown = [english_name(x) if en else written.get(x, x) for x in plain]
                if shown:
                    parts.append((key, shown))
                if asked:
                    parts.append(("requested", [english_name(x) if en else written.get(x, x) for x in asked]))
            if not parts:
                continue
            words = ROLE_LABELS_EN if en else ROLE_LABELS_VI
            where = official_section(duty.section, language) or ("preamble" if en else "phần mở đầu")
            said = "; ".join(f"{words[key]}: {', '.join(names)}" for key, names in parts)
            summary.append((latin(document_name(doc, "en")) if en else doc.short_label, parts[0][0], ", ".join(parts[0][1]), n))
            lines.append(f"- {doc.short_label}, {where} — {said}. “{clean_quote(duty.clause)}” [{n}]")
        if not lines:
            return None
        text = who_sentence(summary, language) + "\n" + "\n".join(lines)
        return Answer(question, text, True, tuple(cites), language, query.legacy_intent, query.text, query.scope.as_dict())

    # -- LLM ------------------------------------------------------------------------------
    @property
    def generator(self):
        if self._generator is None:
            from ..llm import Generator

            self._generator = Generator(self.settings)
        return self._generator

    def _llm_passages(self, base: Answer) -> tuple[list[tuple[int, str, str, str]], list[Citation]]:
        # Returned, not kept on self: one Composer serves concurrent questions.
        hits = self.retriever.search(base.resolved_question or base.question, 4)
        seen = {(c.doc_id, c.start, c.end) for c in base.citations}
        passages = [(c.n, c.title, c.section, c.text) for c in base.citations]
        sources = list(base.citations)
        for h in hits:
            if len(passages) >= 5:
                break
            key = (h.chunk.doc_id, h.chunk.start, h.chunk.end)
            if key in seen:
                continue
            n = len(passages) + 1
            cite = self.citation(n, h)
            sources.append(cite)
            passages.append((n, cite.title, cite.section, cite.text))
            seen.add(key)
        return passages, sources

    def _finish_llm(self, base: Answer, text: str, sources: list[Citation], dropped: Sequence[int] = ()) -> Answer:
        from ..llm import uncited_sentences

        valid = {c.n for c in sources}
        cleaned, more = drop_invalid_markers(text, valid)
        dropped = [*dropped, *more]
        used = cited_numbers(cleaned)
        if not used or not cleaned.strip():
            notice = ("The language model's answer cited no valid source; the deterministic answer is shown."
                      if base.language == "en" else "Câu trả lời của mô hình ngôn ngữ không dẫn nguồn hợp lệ; hiển thị câu trả lời trích dẫn trực tiếp.")
            return Answer(**{**base.__dict__, "notice": notice})
        if refuses(cleaned):
            return Answer(**{**base.__dict__, "notice": ""})
        cites = tuple(c for c in sources if c.n in used)
        notice = ""
        if dropped:
            notice = (f"Removed citation markers to sources that were not given: {sorted(set(dropped))}."
                      if base.language == "en" else f"Đã bỏ các số nguồn không tồn tại: {sorted(set(dropped))}.")
        return Answer(base.question, cleaned.strip(), True, cites, base.language, base.intent, base.resolved_question,
                      base.scope, notice=notice, flagged=tuple(uncited_sentences(cleaned)))

    def _with_llm(self, base: Answer) -> Answer:
        final = None
        for piece in self._stream_llm(base):
            if isinstance(piece, Answer):
                final = piece
        return final or base

    def _stream_llm(self, base: Answer):
        from ..errors import LLMError
        from ..llm import ReplyGuard

        passages, sources = self._llm_passages(base)
        guard = ReplyGuard(c.n for c in sources)  # shows only validated text, see llm.ReplyGuard
        try:
            for piece in self.generator.stream(base.resolved_question or base.question, passages, base.language):
                shown = guard.feed(piece)
                if shown:
                    yield shown
            shown = guard.close()
            if shown:
                yield shown
            final = self._finish_llm(base, guard.text, sources, guard.dropped)
        except LLMError as exc:  # endpoint down or too slow; configuration errors are raised
            log.warning("LLM failed, falling back to the deterministic answer: %s", exc)
            notice = ("The language model is unavailable; the answer below is quoted directly from the documents."
                      if base.language == "en" else "Mô hình ngôn ngữ không phản hồi; câu trả lời dưới đây trích trực tiếp từ văn bản.")
            final = Answer(**{**base.__dict__, "notice": notice})
        if final.text != guard.shown:
            # The reply was not accepted (no valid citation, a refusal, a failure): stream its replacement.
            yield ("\n\n" if guard.shown else "") + (final.notice + "\n\n" if final.notice else "") + final.text
        yield final


def _paged(doc) -> bool:
    """Only documents that have pages (PDFs) give page numbers: a text file's one "page" is not one."""
    return len(doc.pages) > 1 or str(doc.path).lower().endswith(".pdf")
