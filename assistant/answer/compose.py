"""Choose the strategy that answers a question, once it is understood (query.understand).

Deterministic by default: each strategy (who.py, tasks.py, lists.py, compare.py, compound.py,
particulars.py, definitions.py, facts.py) builds its answer from the documents' own words, quoted verbatim, so
numbers, dates and document numbers are never paraphrased. When no strategy can answer, the
answer says so (`found=False`, refusal.py) and offers the closest passages as related reading.
An LLM rewrites the answer only when one is configured (generate.py over llm.py). Sources are
numbered [1]..[k] and [n] markers are parsed in one place (types.py).
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Sequence

from ..metadata import CARRIED_ON
from ..query import DOCUMENT_REFERENCE, Query, tells_a_case, tells_a_need, understand
from ..retrieve import Filters, Hit
from ..text import fold
from .compare import answer_cases_apart, answer_compare, answer_each, answer_provisions_apart
from .compound import answer_compound
from .context import Context
from .definitions import answer_definition, answer_full_name
from .facts import answer_fact
from .generate import stream_llm, with_llm
from .lists import answer_list, answer_list_of_the_thing_asked, list_headed_at, phase_named
from .particulars import answer_particular
from .penalties import answer_penalties_apart, answer_penalty, answer_supplement, answer_victims_counted, clause_of_penalty
from .provisions import answer_provision, answer_where_said, asks_part_named, asks_where_said, with_place
from .refusal import absent_notion, delegated_instead, no_match_for_filters, with_understanding
from .structure import article_node
from .tasks import answer_tasks_of
from .types import Answer
from .who import answer_who, answer_who_regulates

log = logging.getLogger(__name__)

# "Kế hoạch … năm 2025", "the 2019 plan": the year a plan is asked for.
# The year must be the plan's own: "kế hoạch … về Chương trình 2021-2025" asks about a plan the texts cite.
_PLAN_YEAR = re.compile(r"(?i)\b(kế hoạch|ke hoach|kh|plan|quyết định|quyet dinh|decision)\b"  # ("KH" as officials type it)
                        r"(?:(?!chương trình|chuong trinh|programme|program|đề án|de an|nghị quyết|nghi quyet|resolution)[^?.;:]){0,50}?"
                        r"\b(?<!/)((?:19|20)\d\d)"  # not the year of a document's number ("Nghị quyết 02/2019")
                        r"(?:\s*[-–]\s*((?:19|20)\d\d))?(?!\d)(?!\s*[-–]\s*\d)"
                        # nor the period of the programme it implements ("a plan for the 2021-2025 national programme")
                        r"(?!\s+(?:national\s+|nationwide\s+|anti-trafficking\s+)*(?:programme|program|chương trình|chuong trinh))")


# "Trong giai đoạn 2016–2020, Quảng Ninh …": a period asked of a province, whatever document it would be in.
# (in English the years come first: "Quang Ninh's 2016–2020 anti-trafficking plan", "the 2025 plan")
# (not "Which 2021 provincial plan number is … continuing to implement?": a plan of that year asked for, which may be cited)
# (its first group is empty, so the years are groups 2 and 3 as in _PLAN_YEAR)
_YEAR_PLAN = re.compile(r"(?i)(?<![/\d])(?<!which )(?<!what )(?<!any )(?<!\ba )(?:(?<=\s)|^)()((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?(?!\d)"
                        r"\s+(?:(?!programme|program|strategy)[\w-]+\s+){0,3}?(?:plan|decision)\b")
_PERIOD = re.compile(r"(?i)\b(giai đoạn|giai doan|thời kỳ|thoi ky|period|the years)\s+((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)(?!\d)")


class Composer(Context):
    """Understands a question once and chooses the strategy that answers it (one module each)."""

    def answer(self, question: str, history: Sequence[Answer] = (), filters: Filters | None = None) -> Answer:
        """Answer one question deterministically (then through the LLM when one is configured)."""
        answer = self.deterministic(question, history, filters)
        if self.settings.llm_model and answer.found:
            return with_llm(self, answer)
        return answer

    def stream(self, question: str, history: Sequence[Answer] = (), filters: Filters | None = None):
        """Yield text pieces, then the final Answer (LLM tokens when configured, else the whole answer)."""
        answer = self.deterministic(question, history, filters)
        if not (self.settings.llm_model and answer.found):
            yield answer.text
            yield answer
            return
        yield from stream_llm(self, answer)

    def deterministic(self, question: str, history: Sequence[Answer] = (), filters: Filters | None = None) -> Answer:
        """The deterministic answer: the strategy for the question's kind, or a refusal."""
        filters = filters or Filters()
        query = understand(question, history, self.provinces())
        if query.parts:
            return answer_compound(self, query, filters, self.answer_query)
        return self.answer_query(query, filters)

    def answer_query(self, query: Query, filters: Filters) -> Answer:
        """Answer one understood (non-compound) question."""
        question, language = query.question, query.language
        scope_filters = self._scope_filters(query, filters)
        if query.scope.unknown_provinces and not query.scope.provinces and not filters and not self._asked_of_the_law(query):
            names = ", ".join(query.scope.unknown_provinces)
            provinces = self.provinces()
            text = (
                f"The indexed documents do not cover {names}; they cover: {', '.join(sorted(set(provinces)))}."
                if language == "en"
                else f"Các tài liệu hiện có không có văn bản nào của {names}; kho tài liệu gồm: {', '.join(sorted(set(provinces)))}."
            )
            return Answer(question, text, False, (), language, query.legacy_intent, query.text, query.scope.as_dict(),
                          related=tuple(self._related(query.text, filters)))
        uncovered = self._plan_year_missing(query, filters)
        if uncovered:
            return Answer(question, uncovered, False, (), language, query.legacy_intent, query.text, query.scope.as_dict(),
                          related=tuple(self._related(query.text, filters)))
        absent = absent_notion(self, query)
        if absent:  # "thời hiệu truy cứu …": a notion no document uses; the nearest passage would answer another question
            return Answer(question, absent, False, (), language, query.legacy_intent, query.text, query.scope.as_dict(),
                          related=tuple(self._related(query.text, filters)))
        if filters and self.retriever.allowed_rows(filters).size == 0:
            return Answer(question, no_match_for_filters(filters, language), False, (), language, query.legacy_intent,
                          query.text, query.scope.as_dict())
        if query.intent in ("fact", "list", "particular") and not filters:
            each = answer_each(self, query, filters, self.answer_query)  # "… trong QĐ 3087 và trong KH 2026-2030?"
            if each is not None:
                return with_understanding(each, query)  # each plan searched on its own: no search over all here
        if query.followup and query.anchor and asks_where_said(query.question):
            where = answer_where_said(self, query)  # "Which article says that?": the previous answer's passages
            if where is not None:
                return with_understanding(where, query)
        hits = self.retriever.search(query, 10, scope_filters)
        if not hits and scope_filters is not filters:
            hits = self.retriever.search(query, 10, filters)
        if query.article:
            hits = self._within_article(query, hits, scope_filters)
        if query.anchor:
            hits = self._anchored_first(query, hits)
        answer = None
        if query.clause and query.intent in ("fact", "list"):
            answer = answer_provision(self, query, hits)  # "khoản 2 Điều 151": that clause, whole
        if answer is None and query.intent not in ("particular", "compare", "tasks_of"):
            answer = answer_definition(self, query, scope_filters)  # "X là gì", "how does the law define X"
        if answer is None and query.intent != "compare":
            answer = answer_full_name(self, query, scope_filters)  # "tên đầy đủ của BCĐ 138 tỉnh …"
        if answer is None and (cases := clause_of_penalty(self, query, hits)) is not None:
            answer = answer_list(self, query, hits, cases, settled=True)  # "Những trường hợp nào … bị tù chung thân?": that clause's points
        if answer is None and query.intent in ("fact", "list") and query.slot is None \
                and (phase := phase_named(self, query, hits)) is not None:
            # "giai đoạn 2022-2025 làm gì": that phase's items (not "… bao nhiêu lớp tập huấn … giai đoạn 2021-2022", a
            # figure the phase may not give)
            answer = answer_list(self, query, hits, phase, settled=True)
        if answer is None:
            answer = answer_penalties_apart(self, query, hits)  # "Điều 150 và Điều 151", "an adult or under 16"
        if answer is None and query.intent != "particular":
            answer = answer_provisions_apart(self, query, filters, self.answer_query)  # "khoản 2 Điều 151 … mà khoản 2 Điều 150 không có"
        if answer is None and query.intent != "particular":
            answer = answer_cases_apart(self, query, filters, self.answer_query)  # "… for A versus B", "… giữa A và B khác nhau"
        if answer is None and query.intent in ("who", "fact"):
            answer = answer_who_regulates(self, query, hits)  # "ai quy định điều kiện, thủ tục thành lập …": Chính phủ
        if answer is None:
            answer = answer_victims_counted(self, query, hits)  # "art 150 how many victims for 12-20 years"
        if answer is None:
            answer = answer_supplement(self, query, hits)  # "phạt tiền bao nhiêu", "besides prison, what else?"
        if answer is None:
            answer = self._by_intent(query, hits, filters, scope_filters)
        if answer is None and query.intent == "fact" and query.slot is None and not tells_a_need(query.text):
            answer = answer_list_of_the_thing_asked(self, query, hits)  # "What paperwork is accepted as proof …?"
        if answer is None:
            answer = answer_penalty(self, query, hits)  # a penalty: the clause whose circumstances are asked
        if answer is None:
            answer = answer_fact(self, query, hits)
            headed = list_headed_at(self, answer) if answer.found and query.intent == "fact" and query.slot is None else None
            if headed is not None:
                # "What does that project actually cover?": the title quoted says only what the project is called; its
                # items say what it covers
                answer = answer_list(self, query, hits, headed, settled=True) or answer
        # ("những điều kiện nào để thành lập cơ sở hỗ trợ nạn nhân": the law only leaves them to the Government)
        answer = delegated_instead(self, query, answer) or answer
        if answer.found and not query.followup and asks_part_named(query.question):
            answer = with_place(self, query, answer)  # "xét xử lưu động … nằm trong đề án nào?": where the passage stands
        return with_understanding(answer, query)

    def _by_intent(self, query: Query, hits: list, filters: Filters, scope_filters: Filters) -> Answer | None:
        """The strategy of the question's kind; None when it has none or it finds nothing (facts answer then)."""
        if query.intent == "particular":
            return answer_particular(self, query, scope_filters, filters)
        if query.intent == "compare":
            return answer_compare(self, query, filters, self.answer_query)
        if query.intent == "tasks_of":
            return answer_tasks_of(self, query, scope_filters)
        if query.intent == "who":
            return answer_who(self, query, hits, scope_filters)
        if query.intent == "list":
            return answer_list(self, query, hits)
        return None

    # -- helpers --------------------------------------------------------------------------
    def _asked_of_the_law(self, query: Query) -> bool:
        """A place no plan covers, named where a law answers: the index holds only nationwide texts, or it holds some
        and the question tells a case or asks a penalty ("… took them across the border and sold them in Nghệ An.
        How many years?"): the law applies there as everywhere."""
        nationwide = any(not d.province for d in self.store.documents.values())
        if not nationwide:
            return False
        return not self.provinces() or bool(tells_a_case(query.question)) or query.slot in ("penalty", "money")

    def _plan_year_missing(self, query: Query, filters: Filters) -> str:
        """"Kế hoạch năm 2025 của Ninh Bình đặt chỉ tiêu gì?" when no indexed plan of Ninh Bình covers 2025: said
        plainly (with the years there are), instead of answering from the plan of another year. A plan cited by
        its number ("Kế hoạch số 45/KH-UBND … 2021-2025") is a document the texts mention, not this case."""
        if filters or DOCUMENT_REFERENCE.search(query.text):
            return ""
        m = _PLAN_YEAR.search(query.text) or _YEAR_PLAN.search(query.text)
        if m is None and query.scope.provinces:
            m = _PERIOD.search(query.text)
            before = re.split(r"[;:?]", query.text[max(0, m.start() - 90) : m.start()])[-1] if m else ""
            if m and re.search(r"(?i)\b(chương trình|chuong trinh|programme|program|đề án|de an|chiến lược|strategy)\b", before):
                m = None  # a programme's period ("Chương trình phòng, chống mua bán người giai đoạn 2021-2025"), cited by plans
        if m is None or re.match(r"(?i)\s*(programme|program|chương trình|chuong trinh|strategy|chiến lược|đề án|de an)\b",
                                 query.text[m.end():]):
            return ""  # "the plan for the 2021–2025 programme": the programme's period, not the plan's
        if CARRIED_ON.search(fold(query.text[max(0, m.start() - 40) : m.end() + 50])):
            # "tiếp tục thực hiện kế hoạch năm 2021 …", "the 2021 plan the province keeps carrying out": a plan the
            # documents cite, which the one asked carries on
            return ""
        years = [int(y) for y in m.group(2, 3) if y]
        provinces = query.scope.provinces
        covered = self.retriever.allowed_rows(Filters(provinces=provinces, years=tuple(years)))
        if covered is None or covered.size:  # some plan of the province spans the year (the scope table's spans)
            return ""
        rows = self.retriever.allowed_rows(Filters(provinces=provinces)) if provinces else None
        docs = [self.store.documents[d] for d in (self.retriever.documents_of(rows) if rows is not None else
                                                  self.store.documents)]
        spans = sorted({doc.period or str(doc.year) for doc in docs if doc.period or doc.year})
        if not spans:
            return ""
        asked = query.text[m.start(2) : m.end(3) if m.group(3) else m.end(2)]
        have = ", ".join(spans)
        where = ", ".join(provinces)
        if query.language == "en":
            return f"No indexed plan{f' of {where}' if where else ''} covers {asked}; the documents cover: {have}."
        return f"Các tài liệu hiện có không có kế hoạch{f' của {where}' if where else ''} cho {asked}; các văn bản hiện có: {have}."

    def _anchored_first(self, query: Query, hits: list) -> list:
        """A follow-up that points back ("Who is assigned to carry that out?"): the passages the previous answer
        quoted come first, then the rest of the search (which may hold the answer when the pointer meant something
        else: "what reporting cycle applies to them" asks of the agencies, not of their tasks)."""
        ranked = {h.chunk.chunk_id: h for h in hits}
        first: list = []
        for doc_id, start, end in query.anchor:
            for chunk in self.chunks_over(doc_id, start, end):
                if all(f.chunk.chunk_id != chunk.chunk_id for f in first):
                    base = ranked.get(chunk.chunk_id)
                    first.append(replace(base, chunk=chunk) if base else Hit(chunk=chunk, score=0.0, rank=0))
        if not first:
            return hits
        kept = {f.chunk.chunk_id for f in first}
        ordered = first + [h for h in hits if h.chunk.chunk_id not in kept]
        return [replace(h, rank=rank) for rank, h in enumerate(ordered, start=1)]

    def _within_article(self, query: Query, hits: list, filters: Filters) -> list:
        """"Điều 27 Luật 66 …": the passages of that article only, when one retrieved document has it. Short
        articles share a chunk ("Điều 25–27"), so the hits are narrowed to the article's own span, and the
        evidence is read inside it (facts.evidence)."""
        for hit in hits[:5]:
            doc = self.store.documents[hit.chunk.doc_id]
            node = article_node(doc.text, query.article)
            if node is None:
                continue
            inside = self.chunks_over(doc.doc_id, node.start, node.end)
            if not inside:
                continue
            ranked = {h.chunk.chunk_id: h for h in hits}
            out = []
            for rank, chunk in enumerate(inside, start=1):
                base = ranked.get(chunk.chunk_id) or hit
                out.append(replace(base, chunk=chunk, rank=rank))
            return out
        return hits
