"""Hybrid retrieval: dense (FAISS) + keyword (BM25), fused, with document/province/year filters."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from .chunk import Chunk
from .config import Settings
from .document import issued
from .embed import Embedder
from .glossary import glossary_share
from .metadata import answer_meta, find_reference_docs, meta_kind
from .query import (BARE_DOCUMENT_NUMBER, DOCUMENT_REFERENCE, PARTNER_TOPIC, PLAN_KINDS, Query, agencies_in, classify,
                    find_provinces, plan_years, question_terms, search_text)
from .scope import strip_scope
from .spans import best_span_scores, combine
from .store import IndexStore
from .text import fold, keyword_terms


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with its fused score and how each retriever saw it."""

    chunk: Chunk
    score: float
    rank: int
    dense_score: float = 0.0  # cosine similarity (0 when dense did not rank it)
    keyword_score: float = 0.0  # raw BM25
    dense_rank: int | None = None
    keyword_rank: int | None = None

    @property
    def found_by(self) -> str:
        """"dense", "keyword" or "both"."""
        if self.dense_rank is not None and self.keyword_rank is not None:
            return "both"
        return "dense" if self.dense_rank is not None else "keyword"


@dataclass(frozen=True)
class Filters:
    """Restrict a search to some documents, provinces or years (empty = no restriction)."""

    doc_ids: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    @classmethod
    def from_dict(cls, raw: dict | None) -> "Filters":
        """Accept {"document": "id" | [...], "province": ..., "year": ...} (API and UI)."""
        raw = raw or {}

        def many(*keys: str) -> tuple:
            for key in keys:
                value = raw.get(key)
                if value in (None, "", []):
                    continue
                return tuple(value) if isinstance(value, (list, tuple)) else (value,)
            return ()

        years = []
        for y in many("year", "years"):
            try:
                years.append(int(y))
            except (TypeError, ValueError):
                continue
        return cls(tuple(str(d) for d in many("document", "documents", "doc_id", "doc_ids")),
                   tuple(str(p) for p in many("province", "provinces")), tuple(years))

    def __bool__(self) -> bool:
        return bool(self.doc_ids or self.provinces or self.years)


@dataclass
class PreparedQuery:
    """A question as each retriever sees it."""

    original: str
    language: str
    dense_text: str
    terms: list[str]
    restored: str = ""
    notes: list[str] = field(default_factory=list)
    scope: Filters = field(default_factory=lambda: Filters())  # province/year named in the question
    particular: str | None = None  # signer | date | number | issuer, when the question asks for one
    doers: tuple[str, ...] = ()  # "Sở Y tế phải làm gì?": the agencies whose own tasks are asked (canonical names)


# How far a passage holding the asked agency's own task rises (a share of the best fused score), chosen on the
# dev sets' tasks_of questions (hit@1 0.656 → 0.934; 0.1–0.5 tried, evals/RESULTS.md); other kinds unchanged.
DOER_BOOST = 0.25
_EXACT_SCOPE_MAX = 8192  # with an approximate index, a scope this small is searched exactly


# A plan named with its issuer ("KH 2024 của BCĐ 138 Ninh Bình", "kế hoạch của UBND tỉnh"): the issuer after "của"
# (not of a plan asked for: "thực hiện theo KH nào của BCĐ Chính phủ?")
_ISSUER_OF_PLAN = re.compile(
    rf"(?i)\b((?:{PLAN_KINDS}|chương trình|chuong trinh)"
    r"(?:\s+(?!(?:nào|nao|gì|gi|mấy|may|số mấy)\b)[\w/.–-]+){0,3}?)\s+"
    r"(?:của|cua)\s+(?:BCĐ|BCD|Ban Chỉ đạo|Ban chỉ đạo|Ban chi dao|UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Uy ban nhan dan)"
    r"(?:\s*138(?:/CP)?)?(?:\s+(?:tỉnh|tinh))?(?!\w)")


class Retriever:
    """Searches one opened index with one embedder."""

    def __init__(self, store: IndexStore, embedder: Embedder, settings: Settings):
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self._scopes = _ScopeTable(store)
        # (acronym, doc id): an acronym of one title that only that document's text uses ("actip")
        self._acronyms = [(a, d) for a, d in _title_acronyms(store.documents) if self._only_in(a, d)]
        self._title_words = {d: frozenset(re.findall(r"\w+", fold(store.documents[d].title or ""))) for d in store.documents}
        # folded word → the documents whose title has it: a title named in a question is found by a few set
        # intersections, not a pass over every title for each word
        self._titles_with_word: dict[str, frozenset[str]] = {}
        for doc_id, words in self._title_words.items():
            for word in words:
                self._titles_with_word[word] = self._titles_with_word.get(word, frozenset()) | {doc_id}
        self._prepared: dict[str, PreparedQuery] = {}  # a question is prepared for search and for its topic terms
        self._languages: dict[str, str] = {}  # dense text → language of its question (spans count for some only)
        self._doing: dict[str, frozenset[int]] = {}  # agency → rows holding its own tasks (_rows_doing)

    def _only_in(self, word: str, doc_id: str) -> bool:
        """Whether a word occurs in the text of this one document only (by the keyword index)."""
        vocab = self.store.keyword.vocab_dict
        terms = [t for t in keyword_terms(word) if t in vocab]
        if not terms:
            return False
        rows = np.flatnonzero(self.store.keyword.get_scores(terms) > 0)
        owners = {self._scopes.doc_ids[i] for i in set(self._scopes.row_doc[rows].tolist()) if i < len(self._scopes.doc_ids)}
        return owners == {doc_id}

    # -- query preparation --------------------------------------------------------------
    def prepare(self, question: str) -> PreparedQuery:
        """The question as the retrievers see it (query.search_text) and the scope it names."""
        cached = self._prepared.get(question)
        if cached is not None:
            return replace(cached, terms=list(cached.terms), notes=list(cached.notes))  # callers may add to the lists
        prepared = self._prepare(question)
        if len(self._prepared) > 512:
            self._prepared.clear()
        self._prepared[question] = prepared
        return replace(prepared, terms=list(prepared.terms), notes=list(prepared.notes))

    def _prepare(self, question: str) -> PreparedQuery:
        prepared = search_text(question, self.store.restore_table)
        scope = self.scope_of(prepared.dense_text)
        terms = list(prepared.terms)
        if scope:
            # The words that named the documents chose them (the filter); as search words they would only pull
            # each document's title and preamble above the passage that answers: the province and years, and a
            # document named by its number or its title's acronym ("Kế hoạch 22/KH-BCĐ", "the ACTIP plan").
            # The embedding keeps the whole question: without its scope words an English one ranked no better on
            # the dev sets nor on a fresh blind-written one (dev-g), and cost a second embedding (evals/RESULTS.md).
            named = self.without_document_names(question) if scope.doc_ids else question
            unscoped = search_text(strip_scope(named), self.store.restore_table)
            if unscoped.terms:
                terms = list(unscoped.terms)
        doers = tuple(agencies_in(question)) if classify(question)[0] == "tasks_of" else ()
        return PreparedQuery(question, prepared.language, prepared.dense_text, terms, prepared.restored,
                             [prepared.glossary] if prepared.glossary else [], scope, doers=doers)

    def without_document_names(self, question: str) -> str:
        """The question without its references to indexed documents ("Thế còn kế hoạch 3087/QĐ-UBND?", "KH
        22/KH-BCĐ", "kế hoạch ACTIP"): they choose the document, they are not the topic. A document the texts
        only cite ("Kế hoạch 45/KH-UBND") stays."""
        numbers = self.document_numbers()

        def own(m: re.Match) -> str:
            cited = compact_number(m.group(0))
            core = re.search(r"\d+(?:/\d+)?(?:/[^\W\d_][\w-]*)?", cited)
            if core is None:
                return m.group(0)
            key = core.group(0)
            return " " if any(n.startswith(key if "/" in key else key + "/") for n in numbers) else m.group(0)

        question = DOCUMENT_REFERENCE.sub(own, question)
        question = BARE_DOCUMENT_NUMBER.sub(own, question)  # "KH 22/KH-BCĐ": the number after an abbreviation
        question = _without_titled_references(question, self._titles_with_word)
        question = _ISSUER_OF_PLAN.sub(r"\1", question)  # "KH 2024 của BCĐ 138": who issued it chooses, it is no topic
        for acronym, doc_id in self._acronyms:  # "kế hoạch ACTIP" names the plan, not the topic
            question = re.sub(rf"(?i)((?:[^\W\d_]+\s+){{0,8}})\(?{re.escape(acronym)}\)?(?!\w)",
                              functools.partial(_without_title_words, self._title_words[doc_id]), question)
        return re.sub(r"[ \t]+", " ", question)

    def scope_of(self, question: str) -> Filters:
        """Provinces and plan years named in the question that some indexed document matches."""
        # A document's own number in the question ("Kế hoạch 22/KH-BCĐ …") names that document.
        compact = compact_number(question)
        numbered = tuple(doc_id for number, doc_id in self._scopes.numbers if number in compact)
        if not numbered:  # "Quyết định 3087": the number alone, after the kind of document
            cited = {re.match(r"\d+", m.group(0).split()[-1]).group(0) for m in DOCUMENT_REFERENCE.finditer(question)
                     if re.match(r"\d+", m.group(0).split()[-1])}
            numbered = tuple(doc_id for number, doc_id in self._scopes.numbers if number.split("/")[0] in cited)
        if not numbered:  # "kế hoạch ACTIP", "the ACTIP plan": an acronym only one document's title carries
            words = set(re.findall(r"[a-z0-9]+", fold(question)))
            numbered = tuple(doc_id for acronym, doc_id in self._acronyms if acronym in words)
        provinces = tuple(dict.fromkeys(name for name, _s, _e in find_provinces(question)))
        provinces = tuple(p for p in provinces if self._scopes.any_rows(Filters(provinces=(p,))))
        years = tuple(y for y in dict.fromkeys(plan_years(question)) if self._scopes.any_rows(Filters(provinces=provinces, years=(y,))))
        if numbered:
            # "… in the BR-VT ACTIP plan, and is it the same in Ninh Binh's 2026–2030 plan?": the document named, and
            # the plans of another province the question names beside it
            named = self._documents_matching(Filters(doc_ids=numbered))
            for province in provinces:
                if named & self._documents_matching(Filters(provinces=(province,))):
                    continue  # the named document's own province
                wanted = Filters(provinces=(province,), years=years) if years else Filters(provinces=(province,))
                if self._scopes.any_rows(wanted):
                    numbered += tuple(sorted(self._documents_matching(wanted)))
            dated = Filters(provinces=provinces, years=years)
            if provinces and years and self._scopes.any_rows(dated) \
                    and not named & self._documents_matching(dated):
                # "… kế hoạch 22/KH-BCĐ, và kế hoạch 2026-2030 …": years the named document does not cover name another
                numbered += tuple(sorted(self._documents_matching(dated)))
            return Filters(doc_ids=tuple(dict.fromkeys(numbered)))
        scope = Filters(provinces=provinces, years=years)
        if not years and NEWEST_PLAN.search(fold(question)):
            # "kế hoạch … mới", "the latest plan": the plan that runs latest (of the province named), when one does
            # (of each province named: "the latest plans of Ninh Bình and Quảng Ninh" are one of each)
            # (issued latest, as answers order documents newest first; a province with one plan: that plan)
            docs = self.store.documents
            groups = [self._documents_matching(Filters(provinces=(p,))) for p in provinces] if provinces else [docs]
            newest = tuple(max(group, key=lambda d: issued(docs[d])) for group in groups if group)
            if newest:
                return Filters(doc_ids=newest)
        undated = [p for p in provinces if years and not self._scopes.any_rows(Filters(provinces=(p,), years=years))]
        if undated and len(provinces) > len(undated):
            # "… in the BR-VT plan, and is it the same in Ninh Binh's 2026–2030 plan?": the years are one province's;
            # the other province's plans all count
            docs = set(self._documents_matching(scope))
            for province in undated:
                docs |= self._documents_matching(Filters(provinces=(province,)))
            return Filters(doc_ids=tuple(sorted(docs)))
        return scope

    # -- search -------------------------------------------------------------------------
    def allowed_rows(self, filters: Filters) -> np.ndarray | None:
        """Row numbers allowed by the filters, ascending (None = all)."""
        if not filters:
            return None
        return self._scopes.rows(filters)

    def _documents_matching(self, filters: Filters) -> set[str]:
        """The ids of the documents with rows the filters allow."""
        return self._scopes.documents_of(self._scopes.rows(filters))

    def documents_of(self, rows: np.ndarray) -> set[str]:
        """The ids of the documents these chunk rows belong to (without reading the chunks)."""
        return self._scopes.documents_of(rows)

    def document_numbers(self) -> list[str]:
        """The numbers of the indexed documents ("22/kh-bcd"), compact and case-folded (compact_number)."""
        return [number for number, _doc in self._scopes.numbers]

    def title_acronyms(self) -> list[str]:
        """Acronyms that name one indexed document by its title ("actip"), folded."""
        return [acronym for acronym, _doc in self._acronyms]

    def rows_of(self, doc_id: str) -> np.ndarray | None:
        """The chunk rows of one document, ascending (None when it has none)."""
        return self._scopes.rows_of(doc_id)

    def search(
        self, question: "str | Query", k: int | None = None, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        """Top-k chunks for a question (text, or a Query understood once); mode is "hybrid", "dense" or "keyword"."""
        k = k or self.settings.top_k
        prepared = self.prepare(question.text if isinstance(question, Query) else question)
        if isinstance(question, Query) and question.particular:
            prepared.particular = question.particular
        if isinstance(question, Query) and question.slot == "partner":
            # a foreign partner is named where a plan speaks of its cooperation abroad ("hợp tác quốc tế, nhất là với
            # Công an Quảng Tây"), in words the asker may not use ("phối hợp với lực lượng nào của nước ngoài")
            prepared.terms = [*prepared.terms, *question_terms(PARTNER_TOPIC)]
        return self.search_prepared(prepared, k, filters or Filters(), mode)

    def search_prepared(self, prepared: PreparedQuery, k: int, filters: Filters, mode: str = "hybrid") -> list[Hit]:
        """Search with an already prepared query."""
        n = len(self.store.chunks)
        if n == 0:
            return []
        if not filters and prepared.scope:
            filters = prepared.scope  # "in the 2024 Ninh Bình plan, who …" searches that plan
        allowed = self.allowed_rows(filters)
        if allowed is not None and allowed.size == 0:
            return []
        depth = min(n, max(self.settings.candidates, k * 4))
        dense: dict[int, tuple[int, float]] = {}
        keyword: dict[int, tuple[int, float]] = {}
        if mode in ("hybrid", "dense"):
            if len(self._languages) > 512:
                self._languages.clear()
            self._languages[prepared.dense_text] = prepared.language  # whether its spans count (settings.span_languages)
            dense = self._dense(prepared.dense_text, depth, allowed)
        if mode in ("hybrid", "keyword"):
            keyword = self._keyword(prepared.terms, depth, allowed)
        if mode == "dense":
            fused = {row: s for row, (_r, s) in dense.items()}
        elif mode == "keyword":
            fused = {row: s for row, (_r, s) in keyword.items()}
        else:
            fused = self._fuse(dense, keyword, self._dense_weight(prepared))
            self._put_stated_particulars_first(prepared, allowed, fused)
            self._raise_the_doers_tasks(prepared, fused)
        ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        hits = []
        # A hit's dense score is its chunk's own cosine, whatever ranked it: the answer step's thresholds ("close
        # enough to answer") are calibrated on chunk cosines, which span scores would shift.
        own_cosine = self._span_scoring(prepared.dense_text) is not None
        vec = self.query_vector(prepared.dense_text) if own_cosine else None
        for rank, (row, score) in enumerate(ranked, start=1):
            d = dense.get(row)
            kw = keyword.get(row)
            if own_cosine:
                dense_score = float(np.dot(self.store.embeddings[row], vec))
            else:
                dense_score = d[1] if d else self._cosine(prepared.dense_text, row)
            hits.append(
                Hit(
                    chunk=self.store.chunks[row],
                    score=float(score),
                    rank=rank,
                    dense_score=float(dense_score),
                    keyword_score=float(kw[1]) if kw else 0.0,
                    dense_rank=d[0] if d else None,
                    keyword_rank=kw[0] if kw else None,
                )
            )
        return hits

    def _put_stated_particulars_first(self, prepared: PreparedQuery, allowed: np.ndarray | None,
                                      fused: dict[int, float]) -> None:
        """"Who signed / when was / what number is plan 22/KH-BCĐ": the passage that states it is the
        signature block or the header, which shares no word with the question ("ký" never appears there)
        and which no embedding ranks reliably. The document's structure says where it is (metadata.py,
        as the answer composer uses it), so that passage leads the hybrid results."""
        kind = prepared.particular or meta_kind(prepared.original)
        if kind is None:
            return
        docs = self.store.documents
        allowed_docs = None if allowed is None else self.documents_of(allowed)
        refs = find_reference_docs(prepared.restored or prepared.original, docs, allowed_docs)
        top = max(fused.values(), default=0.0)
        for i, doc_id in enumerate(refs[:2]):
            stated = answer_meta(kind, docs[doc_id])
            if stated is None:
                continue
            _line, start, _end = stated
            rows = self.rows_of(doc_id)
            for row in (() if rows is None else rows):
                chunk = self.store.chunks[int(row)]
                if chunk.start <= start < chunk.end:
                    fused[int(row)] = top + 1.0 - 0.01 * i
                    break

    def _raise_the_doers_tasks(self, prepared: PreparedQuery, fused: dict[int, float]) -> None:
        """"What must the border guard do?": the passages where the task records make it the lead or the one who
        carries a task out rank above those that only list it among many partners ("Cơ quan phối hợp: Sở A, Sở B,
        Bộ đội Biên phòng …"), which match its name as well."""
        if not prepared.doers or not fused:
            return
        rows = set().union(*(self._rows_doing(agency) for agency in prepared.doers))
        top = max(fused.values())
        for row in rows & fused.keys():
            fused[row] += DOER_BOOST * top

    def _rows_doing(self, agency: str) -> frozenset[int]:
        """Rows whose text holds a task the agency leads or carries out (by the index's task records; per agency,
        once per opened index)."""
        if agency not in self._doing:
            rows: set[int] = set()
            for duty in getattr(self.store, "tasks", None) or ():
                if agency not in duty.lead and agency not in duty.performers or getattr(duty, "section_wide", False):
                    continue  # (a section "Các sở, ban, ngành … thực hiện" is no task of one agency's own)
                own = self.rows_of(duty.doc_id)
                for row in () if own is None else own:
                    chunk = self.store.chunks[int(row)]
                    if chunk.start < duty.task_end and duty.task_start < chunk.end:
                        rows.add(int(row))
            self._doing[agency] = frozenset(rows)
        return self._doing[agency]

    def query_vector(self, text: str) -> np.ndarray:
        """The embedded question (cached for the last few questions)."""
        cache = getattr(self, "_qcache", None)
        if cache is None:
            cache = self._qcache = {}
        vec = cache.get(text)
        if vec is None:
            vec = self.embedder.encode_queries([text])[0]
            if len(cache) > 256:
                cache.clear()
            cache[text] = vec
        return vec

    def _cosine(self, text: str, row: int) -> float:
        q = self.query_vector(text)
        score = float(np.dot(self.store.embeddings[row], q))
        if self._span_scoring(text) is None:
            return score
        rows = np.asarray([row], dtype=np.int64)
        return float(self._with_spans(q, rows, np.asarray([score], dtype=np.float32))[0])

    def _span_scoring(self, text: str) -> str | None:
        """How span vectors count for this dense text ("max" or "mix"), or None when the index has none, they
        are off, or its question's language is not in settings.span_languages."""
        scoring = self.settings.span_scoring
        if scoring == "off" or getattr(self.store, "spans", None) is None:
            return None
        languages = {x.strip() for x in self.settings.span_languages.split(",") if x.strip()}
        if languages and self._languages.get(text, "vi") not in languages:
            return None
        return scoring

    def _with_spans(self, q: np.ndarray, rows: np.ndarray, chunk_scores: np.ndarray) -> np.ndarray:
        """Dense scores of chunk `rows` (ascending) from their cosines and their best span's (spans.combine)."""
        best = best_span_scores(q, rows, chunk_scores, self.store.spans, self.store.span_chunks)
        return combine(chunk_scores, best, self.settings.span_scoring, self.settings.span_weight)

    def _dense_spans(self, q: np.ndarray, depth: int, allowed: np.ndarray | None) -> dict[int, tuple[int, float]]:
        """Every allowed chunk scored exactly with its spans (an exact index: at most exact_index_max chunks)."""
        rows = np.arange(len(self.store.chunks), dtype=np.int64) if allowed is None else np.asarray(allowed, dtype=np.int64)
        if rows.size == 0:
            return {}
        if allowed is None:
            chunk_scores = np.asarray(self.store.embeddings, dtype=np.float32) @ q
        else:
            chunk_scores = np.asarray(self.store.embeddings[rows], dtype=np.float32) @ q
        scores = self._with_spans(q, rows, chunk_scores)
        order = np.lexsort((rows, -scores))[:depth]
        return {int(rows[i]): (rank, float(scores[i])) for rank, i in enumerate(order, start=1)}

    def _dense(self, text: str, depth: int, allowed: np.ndarray | None) -> dict[int, tuple[int, float]]:
        import faiss

        vec = self.query_vector(text).reshape(1, -1).astype(np.float32)
        if self._span_scoring(text) is not None and not isinstance(self.store.dense, faiss.IndexIVF):
            return self._dense_spans(vec[0], depth, allowed)
        if isinstance(self.store.dense, faiss.IndexIVF):
            return self._dense_approximate(vec, depth, allowed, self._span_scoring(text) is not None)
        if allowed is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
            if isinstance(self.store.dense, faiss.IndexHNSWFlat):
                params = faiss.SearchParametersHNSW(sel=faiss.IDSelectorBatch(allowed), efSearch=max(128, depth))
            scores, rows = self.store.dense.search(vec, min(depth, int(allowed.size)), params=params)
        else:
            scores, rows = self.store.dense.search(vec, depth)
        out = {}
        for rank, (row, score) in enumerate(zip(rows[0], scores[0]), start=1):
            if row >= 0:
                out[int(row)] = (rank, float(score))
        return out

    def _dense_approximate(self, vec: np.ndarray, depth: int, allowed: np.ndarray | None,
                           spans: bool = False) -> dict[int, tuple[int, float]]:
        """IVF candidates re-scored exactly from the stored vectors (a scope of a few thousand
        chunks is scored exactly outright: probing lists would miss most of its rows)."""
        import faiss

        index = self.store.dense
        if allowed is not None and allowed.size <= _EXACT_SCOPE_MAX:
            rows = allowed
        else:
            nprobe = index.nprobe if allowed is None else min(index.nlist, index.nprobe * 4)
            if allowed is None:
                params = faiss.SearchParametersIVF(nprobe=nprobe)
            else:  # a bitmap (n/8 bytes) is cheaper to build than IDSelectorBatch's hash set for large scopes
                mask = np.zeros(index.ntotal, dtype=bool)
                mask[allowed] = True
                bits = np.packbits(mask, bitorder="little")
                params = faiss.SearchParametersIVF(nprobe=nprobe, sel=faiss.IDSelectorBitmap(index.ntotal, faiss.swig_ptr(bits)))
            _scores, found = index.search(vec, depth, params=params)
            rows = np.sort(found[0][found[0] >= 0])
        if rows.size == 0:
            return {}
        exact = np.asarray(self.store.embeddings[rows], dtype=np.float32) @ vec[0]
        if spans:  # the candidates the chunk vectors found, re-scored with their spans
            exact = self._with_spans(vec[0], rows.astype(np.int64), exact)
        order = np.lexsort((rows, -exact))[:depth]
        return {int(rows[i]): (rank, float(exact[i])) for rank, i in enumerate(order, start=1)}

    def _keyword(self, terms: list[str], depth: int, allowed: np.ndarray | None) -> dict[int, tuple[int, float]]:
        vocab = self.store.keyword.vocab_dict
        known = [t for t in terms if t in vocab]
        if not known:
            return {}
        scores = self.store.keyword.get_scores(known)
        return {row: (rank, score) for rank, (row, score) in enumerate(top_rows(scores, depth, allowed), start=1)}

    def _dense_weight(self, prepared: PreparedQuery) -> float:
        """The configured weight, raised for English questions the glossary barely covers: their keyword terms
        are mostly untranslated English, so the cross-lingual dense side must lead. Even a full cover leaves the
        dense side half the say: the glossary knows this domain, not every law an English question may be about."""
        w = self.settings.dense_weight
        if prepared.language == "en":
            share = glossary_share(prepared.original)
            # Below 0.6 (a question mostly outside the domain glossary: ALQAC's English law questions have a median
            # share of 0.43, the plans' English dev questions 0.83) the dense side leads more steeply, up to 0.95.
            english = 1.0 - 0.5 * share if share >= 0.6 else min(0.95, 0.7 + 1.5 * (0.6 - share))
            w = max(w, english)
        return w

    def _fuse(self, dense: dict, keyword: dict, w: float | None = None) -> dict[int, float]:
        rows = set(dense) | set(keyword)
        w = self.settings.dense_weight if w is None else w
        if self.settings.fusion == "rrf":
            c = self.settings.rrf_k
            return {
                row: w * (1.0 / (c + dense[row][0]) if row in dense else 0.0)
                + (1 - w) * (1.0 / (c + keyword[row][0]) if row in keyword else 0.0)
                for row in rows
            }
        # Weighted sum of scores normalised per query: cosine is mapped from [top-0.2, top]
        # and BM25 by its maximum, so neither scale dominates.
        dmax = max((s for _r, s in dense.values()), default=0.0)
        kmax = max((s for _r, s in keyword.values()), default=0.0)
        out = {}
        for row in rows:
            ds = (dense[row][1] - (dmax - 0.2)) / 0.2 if row in dense else 0.0
            ks = keyword[row][1] / kmax if row in keyword and kmax > 0 else 0.0
            out[row] = w * max(ds, 0.0) + (1 - w) * ks
        return out


def top_rows(scores: np.ndarray, depth: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
    """The `depth` best rows with a positive score (only `allowed` rows when given), best first: (row, score)."""
    if allowed is not None:
        mask = np.full(scores.shape, -np.inf, dtype=np.float64)
        mask[allowed] = 0.0
        scores = scores + mask
    top = np.argpartition(-scores, min(depth, len(scores) - 1))[:depth]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(row), float(scores[row])) for row in top if scores[row] > 0 and np.isfinite(scores[row])]


def _matches_province(province: str | None, wanted: Sequence[str]) -> bool:
    if not province:
        return False
    have = fold(province)
    return any(fold(w) in have or have in fold(w) for w in wanted)


# A kind of document, then the words its title goes on with ("KH phòng chống mua bán người mới nhất", "kế hoạch thực
# hiện Chương trình PCMBN"), and "mới nhất" / "mới" / "hiện hành" after them
# (not "chương trình": the programme a plan carries out is what is asked of it, "thực hiện chương trình … giai đoạn nào")
_KIND_WORD = re.compile(rf"(?i)\b(?:{PLAN_KINDS})\b")
_TITLE_RUN_WORD = re.compile(r"[\s,]*([^\W\d_]+)")
_NOT_A_TITLE_START = frozenset(("ve", "cua", "cho", "va", "la", "tai", "o"))  # "kế hoạch về phụ nữ và trẻ em": the topic
_NEWEST_AFTER = re.compile(r"(?i)\s*(?:mới nhất|moi nhat|mới|moi|hiện hành|hien hanh)\b")
TITLE_RUN_MIN = 3  # words of one title: fewer may be the topic ("kế hoạch tuyên truyền")


def _without_titled_references(question: str, titles_with_word: dict[str, frozenset[str]]) -> str:
    """The question less each document named by its kind and its title's words (`titles_with_word`: folded word → the
    documents whose title has it): they choose the document (by province, year, "mới nhất"), and as topic words they
    outweigh the words asked ("Kinh phí làm KH phòng chống mua bán người mới nhất của Ninh Bình lấy từ nguồn nào?" is
    asked about "kinh phí", "nguồn")."""
    out, pos = [], 0
    for kind in _KIND_WORD.finditer(question):
        if kind.start() < pos:
            continue
        end, run, titles = kind.end(), 0, None  # (titles: those holding every word of the run so far)
        while (word := _TITLE_RUN_WORD.match(question, end)) and (run or fold(word.group(1)) not in _NOT_A_TITLE_START):
            holding = titles_with_word.get(fold(word.group(1)), frozenset())
            holding = holding if titles is None else titles & holding
            if not holding:
                break
            titles, run, end = holding, run + 1, word.end()
        if run < TITLE_RUN_MIN:
            continue
        newest = _NEWEST_AFTER.match(question, end)
        out += [question[pos : kind.start()], " "]
        pos = newest.end() if newest else end
    return "".join(out) + question[pos:]


def _without_title_words(title: frozenset[str], m: re.Match) -> str:
    """The words before a title's acronym, less the title's own words just before it when they name the document:
    "kế hoạch thực hiện Công ước ACTIP" goes whole, "tổ chức thực hiện | kế hoạch ACTIP" from the first word naming a
    kind of document, and "Công ước ACTIP là gì" keeps "Công ước" (the convention asked about)."""
    words = m.group(1).split()
    run = len(words)  # where the title's own words just before the acronym start
    while run and fold(words[run - 1]).strip("(,") in title:
        run -= 1
    for i in range(max(0, run - 1), len(words)):
        if _DOCUMENT_KIND.match(fold(" ".join(words[i : i + 2]))):
            return " ".join(words[: max(i, run)]) + " "
    return " ".join(words) + " "


# The kinds of document a question names a plan by ("kế hoạch … ACTIP", "the ACTIP plan").
_DOCUMENT_KIND = re.compile(r"(ke hoach|kh|quyet dinh|qd|chuong trinh|plan|programme|program|decision)\b")


def _title_acronyms(docs: dict) -> list[tuple[str, str]]:
    """(folded acronym, doc id) for acronyms that only one document's title carries ("Công ước ACTIP"), so a
    question naming "kế hoạch ACTIP" is scoped to that document. Titles written all in capitals have none."""
    seen: dict[str, set[str]] = {}
    for doc_id, doc in docs.items():
        title = doc.title or ""
        letters = [c for c in title if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) > len(letters) / 2:
            continue
        for word in re.findall(r"(?<![\w/-])[A-ZĐ][A-ZĐ0-9]{2,}(?![\w/-])", title):  # not "3087/QĐ-UBND"
            if not re.fullmatch(r"[IVXLC]+", word):
                seen.setdefault(fold(word), set()).add(doc_id)
    return [(word, next(iter(ids))) for word, ids in seen.items() if len(ids) == 1]


# "kế hoạch mới nhất", "chương trình PCMBN mới", "the latest / newest / most recent / current plan": the plan that runs
# latest (not "biện pháp mới", new measures: "mới" within three words of the plan it qualifies).
NEWEST_PLAN = re.compile(r"\b(?:ke hoach|kh|chuong trinh|quyet dinh)(?: \w+){0,3}? (?:moi nhat|moi|hien hanh)\b|"
                          r"\b(?:latest|newest|most recent|current|new)(?: \w+){0,2}? (?:plan|programme|program)s?\b")


class _ScopeTable:
    """What the filters need of an opened index, computed once: each chunk's document and, per
    document, its province, plan years and number. A filter then costs a few array operations
    instead of a pass over every document (or chunk) in Python on every question."""

    def __init__(self, store: IndexStore):
        docs = store.documents
        self.doc_ids = list(docs)
        self._ordinal = {doc_id: i for i, doc_id in enumerate(self.doc_ids)}
        n_docs = len(self.doc_ids)
        chunk_docs = np.asarray(store.chunk_docs, dtype=np.int64)
        self.row_doc = np.where((chunk_docs < 0) | (chunk_docs >= n_docs), n_docs, chunk_docs)  # n_docs = no document
        self.has_rows = np.bincount(self.row_doc, minlength=n_docs + 1)[:n_docs] > 0
        by_province: dict[str, list[int]] = {}
        by_year: dict[int, list[int]] = {}
        by_exact_year: dict[int, list[int]] = {}
        self.numbers: list[tuple[str, str]] = []
        for i, (doc_id, doc) in enumerate(docs.items()):
            if doc.province:
                by_province.setdefault(doc.province, []).append(i)
            for y in doc.years:
                by_year.setdefault(y, []).append(i)
            if doc.year:
                by_exact_year.setdefault(int(doc.year), []).append(i)
            if doc.number and "/" in doc.number:
                self.numbers.append((compact_number(doc.number), doc_id))
        self.provinces = {p: np.asarray(v, dtype=np.int64) for p, v in by_province.items()}
        self.years = {y: np.asarray(v, dtype=np.int64) for y, v in by_year.items()}
        self.exact_years = {y: np.asarray(v, dtype=np.int64) for y, v in by_exact_year.items()}
        self._order: np.ndarray | None = None

    def documents_mask(self, filters: Filters) -> np.ndarray:
        """Which documents the filters keep (one more slot, always False, for chunks without a document)."""
        n_docs = len(self.doc_ids)
        keep = np.ones(n_docs + 1, dtype=bool)
        keep[n_docs] = False
        if filters.doc_ids:
            wanted = np.zeros(n_docs + 1, dtype=bool)
            wanted[[self._ordinal[d] for d in filters.doc_ids if d in self._ordinal]] = True
            keep &= wanted
        if filters.provinces:
            wanted = np.zeros(n_docs + 1, dtype=bool)
            for province, ordinals in self.provinces.items():
                if _matches_province(province, filters.provinces):
                    wanted[ordinals] = True
            keep &= wanted
        if filters.years:
            wanted = np.zeros(n_docs + 1, dtype=bool)
            for y in filters.years:
                # "năm 2024": the documents of that year; a plan whose period spans it only when none is.
                ordinals = self.exact_years.get(y) if y in self.exact_years else self.years.get(y)
                if ordinals is not None:
                    wanted[ordinals] = True
            keep &= wanted
        return keep

    def any_rows(self, filters: Filters) -> bool:
        """Whether the filters keep at least one chunk."""
        return bool((self.documents_mask(filters)[:-1] & self.has_rows).any())

    def rows(self, filters: Filters) -> np.ndarray:
        """Chunk rows the filters keep, ascending."""
        return np.flatnonzero(self.documents_mask(filters)[self.row_doc])

    def documents_of(self, rows: np.ndarray) -> set[str]:
        """Document ids of these chunk rows."""
        ordinals = np.unique(self.row_doc[np.asarray(rows, dtype=np.int64)])
        return {self.doc_ids[int(o)] for o in ordinals if o < len(self.doc_ids)}

    def rows_of(self, doc_id: str) -> np.ndarray | None:
        """Chunk rows of one document, ascending (None when it has none)."""
        i = self._ordinal.get(doc_id)
        if i is None or not self.has_rows[i]:
            return None
        if self._order is None:
            self._order = np.argsort(self.row_doc, kind="stable")
            self._starts = np.searchsorted(self.row_doc[self._order], np.arange(len(self.doc_ids) + 1))
        return self._order[self._starts[i] : self._starts[i + 1]]


def compact_number(text: str) -> str:
    """A document number as compared: no spaces, case-folded, "đ" as "d" ("22/KH-BCĐ" and "22/kh-bcd" as typed
    without marks are one number)."""
    return re.sub(r"\s+", "", text).casefold().replace("đ", "d")


def as_langchain_retriever(retriever: Retriever, k: int = 5):
    """A langchain-core BaseRetriever over this retriever, for chains."""
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    class AssistantRetriever(BaseRetriever):
        """Hybrid search over the assistant's index."""

        top_k: int = k

        def _get_relevant_documents(
            self, query: str, *, run_manager: CallbackManagerForRetrieverRun
        ) -> list[Document]:
            docs = []
            for hit in retriever.search(query, self.top_k):
                record = retriever.store.documents.get(hit.chunk.doc_id)
                docs.append(
                    Document(
                        page_content=hit.chunk.text,
                        metadata={
                            "doc_id": hit.chunk.doc_id,
                            "title": record.title if record else hit.chunk.doc_id,
                            "section": hit.chunk.section,
                            "start": hit.chunk.start,
                            "end": hit.chunk.end,
                            "score": hit.score,
                            "page": hit.chunk.page,
                        },
                    )
                )
            return docs

    return AssistantRetriever()
