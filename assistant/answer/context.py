"""What every answer strategy works with: the opened index, the retriever, and the helpers that turn
passages into citations and weigh a question's words (idf, coverage, topic terms)."""
from __future__ import annotations

import math
import re
from typing import Sequence

from ..config import Settings
from ..glossary import colloquial_senses, glossary_senses
from ..llm import Generator
from ..query import WHOLE_LIST_NOTE, Query
from ..retrieve import Filters, Retriever
from ..scope import strip_scope
from ..text import detect_language, keyword_terms, normalize_for_matching
from .types import Citation

# Words that carry the question's form, not its topic. Matched in accented form: folding
# would make "tố" collide with English "to" and "số" with "sở".
_QUESTION_WORDS = set(
    normalize_for_matching(
        "ai là gì nào những các của và cho với trong theo về được có không bao nhiêu khi nào ở đâu thế sao để "
        "như thế nào hãy cho biết tôi muốn biết vậy thì còn ra sao nêu liệt kê gồm mấy đó này ấy "
        "ai la gi nao nhung cac cua va cho voi trong theo ve duoc co khong bao nhieu khi o dau the sao nhu hay biet "
        # (not "an": a Vietnamese syllable too, of "công an", "an toàn")
        "what who which when where how many much is are was were the a of in on for to by with does do "
        "did and or please tell me about according this that it its their lâu lau often "
        # the particle of "cứ bao lâu …", no topic; "về chuyện tiền nong": "the matter of", no topic either
        "cứ chuyện"
    ).lower().split()
)


# Words that ask who does a task, not what the task is: cut out as whole phrases, so the topic keeps its own
# word pairs that share a syllable with them ("vụ án" beside "nhiệm vụ", "công an" beside "công tác", "hợp tác"
# beside "phối hợp") and makes no pair across a cut ("chủ trì hỗ trợ" gives no "trì_hỗ").
_LEAD_PHRASES = re.compile(
    r"(?<!\w)(?:chịu trách nhiệm|trách nhiệm|chủ trì|phụ trách|đảm nhiệm|đầu mối|cơ quan|đơn vị|lực lượng|thực hiện|phối hợp|"
    r"tham gia|kế hoạch|văn bản|nhiệm vụ|công tác|ngành|tỉnh|đứng ra|cầm trịch|(?<=ai )cầm|cầm(?= (?:chính|đầu|lái)|\s*\?)|lo|khâu|mảng|"
    # "bên nào …": the side asked for, not the task
    r"bên(?= nào)|(?<!chuyển )(?<!bàn )giao(?! thông| dịch| lưu| tiếp)|"
    r"(?<!cơ )sở|"
    # the words that ask what a document says of a topic ("nhắc đến IUU để làm gì"), not the topic
    r"nh[aắ]c (?:đến|den|tới|toi)|dựa (?:trên|vào)(?= (?:luật|văn bản|quyết định|nghị định|những|các|gì|nào))|(?:đề|de) c[aậ]p(?: (?:đến|den|tới|toi))?|(?:(?:để|de) )?(?:làm|lam) (?:gì|gi)|"
    # "những ai cùng Công an tỉnh …": working beside a body is the role asked (not "đi cùng", accompanying)
    r"cùng với|(?<=ai )cùng|(?<=nào )cùng|"
    # "có nói gì về IUU không" (typed without marks it may come back as "nội gì"): what a text says, not the topic
    r"(?:nói|nội|noi) (?:gì|gi)(?: (?:về|ve))?|"
    # "kể tên các đơn vị …": a list asked for (not "tên", which "Đề án 1 có tên là gì" asks)
    r"kể tên|"
    # "trong phần tuyên truyền …", "ở mục hỗ trợ nạn nhân": where in a document the topic is, not the topic
    r"(?:trong|ở|tại|thuộc) (?:phần|mục(?! tiêu| đích))|"
    # the words that point back to what was said before ("có đợt cao điểm tương tự không?"), which no passage repeats
    r"tương tự|như vậy|như trên|nói trên|giống vậy|"
    # "những hình thức truyền thông cụ thể nào": the asker wants them one by one, which says nothing of the topic (but
    # "Mục tiêu cụ thể" is a heading's name)
    r"(?<!mục tiêu )cụ thể(?= (?:nào|gì|là gì|ra sao|thế nào|như thế nào)(?!\w)))(?!\w)")
_LEAD_WORDS = set(
    "lead leads leading in charge responsible agency agencies department departments body coordinate coordinates "
    "coordinating who which heads handles task tasked role carry carries out implement implements "
    "mention mentions mentioned mentioning".split()
)
# How much of an everyday phrase, or of the documents' phrase for it, a passage must say to have said it
EVERYDAY_SAID = 0.8
# Above this many chunks the answer's term weights come from the keyword index instead of a pass over the chunks.
IDF_FROM_INDEX_ABOVE = 50_000


class Context:
    """The index, retriever and settings a strategy answers from, with the shared helpers."""

    def __init__(self, retriever: Retriever, settings: Settings):
        self.retriever = retriever
        self.settings = settings
        self._idf: dict[str, float] | None = None
        self._idf_default = 0.0
        self._generator = None
        self.scored: dict[tuple, list] = {}  # facts.evidence of the last questions (a list falls back to facts)
        self.agencies_named: dict[str, frozenset[str]] = {}  # doc_id → every agency its text names (tasks.py)
        self.defined: dict[str, tuple] = {}  # doc_id → the terms its article of definitions defines (definitions.py)
        self._lowered: dict[str, tuple[str, str]] = {}  # doc_id → (its text, lowercased) for uses_term
        self._task_starts: dict[str, list[int]] | None = None
        self.work_below_terms: dict[tuple[str, int], frozenset[str]] = {}  # (doc_id, task_start) → who.work_below

    @property
    def store(self):
        return self.retriever.store

    def uses_term(self, term: str) -> bool:
        """Whether any indexed document writes `term` (lowercase, with its marks) as a word."""
        pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")
        for doc_id, doc in self.store.documents.items():
            cached = self._lowered.get(doc_id)
            if cached is None or cached[0] is not doc.text:  # (a document indexed again is read again)
                cached = self._lowered[doc_id] = (doc.text, doc.text.lower())
            if pattern.search(cached[1]):
                return True
        return False

    # -- public ---------------------------------------------------------------------------
    def chunks_over(self, doc_id: str, start: int, end: int) -> list:
        """The chunks of one document that overlap [start, end), in document order."""
        rows = self.retriever.rows_of(doc_id)
        chunks = (self.store.chunks[int(row)] for row in (() if rows is None else rows))
        return [chunk for chunk in chunks if chunk.start < end and start < chunk.end]

    def provinces(self) -> list[str]:
        """Provinces the indexed documents belong to."""
        return [d.province for d in self.store.documents.values() if d.province]

    def _scope_filters(self, query: Query, filters: Filters) -> Filters:
        """The filters the user set, else the plan the question names (its number, province or year) when
        some indexed document matches it."""
        if filters:
            return filters
        return self.retriever.scope_of(query.text) or filters

    def _without_own_documents(self, question: str) -> str:
        return self.retriever.without_document_names(question)

    def _topic_terms(self, question: str, language: str) -> set[str]:
        """Topic terms of a question in accented matching form: unigrams and word pairs.

        Questions typed without diacritics get them restored from the corpus vocabulary,
        English questions are mapped through the domain glossary; scope words (province,
        year) and the words that only ask "who leads" are left out."""
        language = detect_language(question)  # of the text matched: a follow-up in English may resolve to Vietnamese
        base = strip_scope(self._without_own_documents(WHOLE_LIST_NOTE.sub(" ", question)))
        # English: each glossary term on its own, so no word pair is made across two terms ("án_thông").
        senses = glossary_senses(base) if language == "en" else colloquial_senses(self.retriever.prepare(base).dense_text)

        def terms_of(piece: str) -> frozenset[str]:
            piece = _LEAD_PHRASES.sub(" , ", normalize_for_matching(piece).lower())
            return frozenset(t for t in keyword_terms(piece) if len(t) > 1 and not any(
                p in _LEAD_WORDS or p in _QUESTION_WORDS for p in t.split("_")))

        terms = TopicTerms()
        groups = []
        for sense in senses:
            alternatives = tuple(a for a in (terms_of(piece) for piece in sense) if a)
            terms.update(*alternatives)
            if len(alternatives) > 1:
                groups.append(alternatives)
        terms.alternatives = tuple(groups)
        terms.everyday = language != "en"
        return terms

    def _term_idf(self, term: str) -> float:
        """idf of one term: counted over the chunk texts for a small index; read from the keyword index's
        postings (document frequency = postings of the term) above IDF_FROM_INDEX_ABOVE chunks, where
        counting would read every chunk from disk on the first question (minutes at 1M chunks)."""
        n = len(self.store.chunks)
        if n <= IDF_FROM_INDEX_ABOVE:
            idf = self.idf()
            return idf.get(term, self._idf_default)
        keyword = self.store.keyword
        column = keyword.vocab_dict.get(term)
        if column is None:
            return math.log(1 + n)
        indptr = keyword.scores["indptr"]
        return math.log(1 + n / max(1, int(indptr[column + 1] - indptr[column])))

    def idf(self) -> dict[str, float]:
        """Inverse document frequency of accented words and word pairs over the chunks."""
        if self._idf is None:
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
        """The weighted share of the terms a passage's words say (half for the words of the headings near it); a word
        the glossary gives several terms for ("targets": chỉ tiêu | mục tiêu) counts by its best-said alternative."""

        def said(group) -> tuple[float, float]:
            total = sum(self._weight(t) for t in group)
            got = sum(self._weight(t) for t in group if t in words)
            got += 0.5 * sum(self._weight(t) for t in group if t not in words and t in near)
            return got, total

        groups = [g for g in getattr(terms, "alternatives", ()) if all(a <= terms for a in g)]
        alone = set(terms).difference(*(a for g in groups for a in g)) if groups else terms
        got, total = said(alone)
        for group in groups:
            best_got, best_total = max((said(a) for a in group), key=lambda gt: gt[0] / gt[1] if gt[1] else 0.0)
            if getattr(terms, "everyday", False) and best_got < EVERYDAY_SAID * best_total:
                # (an everyday phrase and the documents' own, neither said whole: weighed as both, as before the two
                # were told apart — "học nghề" | "đào tạo nghề" unsaid, or "điện thoại" alone of "tổng đài điện thoại")
                best_got, best_total = said(frozenset().union(*group))
            got, total = got + best_got, total + best_total
        return got / (total or 1.0)

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
    def duties(self):
        """The index's task records (extracted at index time, shared with the matrix and the comparison)."""
        return self.store.tasks

    def task_starts(self) -> dict[str, list[int]]:
        """doc_id → where each of its task records starts, in order."""
        if self._task_starts is None:
            starts: dict[str, list[int]] = {}
            for duty in self.duties():
                starts.setdefault(duty.doc_id, []).append(duty.task_start)
            self._task_starts = {doc_id: sorted(found) for doc_id, found in starts.items()}
        return self._task_starts

    # -- LLM ------------------------------------------------------------------------------
    @property
    def generator(self):
        if self._generator is None:

            self._generator = Generator(self.settings)
        return self._generator


class TopicTerms(set):
    """A question's topic terms; `alternatives` holds, for each English word the glossary gives several terms for (or each
    everyday Vietnamese phrase and the documents' phrase for it), the
    terms of each alternative ("targets": {chỉ, tiêu, chỉ_tiêu} | {mục, tiêu, mục_tiêu}): a passage says the word by
    saying any one of them. A set made from these terms (a filtered copy) is a plain set and weighs every term."""

    alternatives: tuple[tuple[frozenset[str], ...], ...] = ()
    everyday: bool = False  # the alternatives are a Vietnamese everyday phrase and the documents' (colloquial_senses)


def _paged(doc) -> bool:
    """Only documents that have pages (PDFs) give page numbers: a text file's one "page" is not one."""
    return len(doc.pages) > 1 or str(doc.path).lower().endswith(".pdf")
