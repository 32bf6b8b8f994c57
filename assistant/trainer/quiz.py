"""Printable quizzes from the plans: who leads which task (multiple choice) and true/false statements on
targets and dates, each with its answer key and source.

Usage::

    questions = make_quiz(bot, n=10, seed=1)
    write_quiz(questions, "quiz.docx")

CLI: `assistant quiz -n 10 --out quiz.docx`.
"""
from __future__ import annotations

import calendar
import json
import random
import re
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from .. import duties, plans
from ..chunk import SEP, parse_structure
from ..errors import UsageError
from ..text import fold

if TYPE_CHECKING:
    from ..comparison import Corpus
    from ..store import IndexStore

SUMMARY_CHARS = 120
_VAGUE = re.compile(r"(?i)(các hoạt động trên|các nội dung trên|nội dung trên|các nhiệm vụ trên|nhiệm vụ nêu trên|"
                    r"^\W*$|^theo chức năng)")
_LABEL = re.compile(r"^\s*(?:[IVX]+\.|\d+(?:\.\d+)*\.?\)?|[a-zđ]\)|[-+•])\s*")
_BULLET = re.compile(r"(?:[IVX]+\.|\d+(?:\.\d+)*\.|[a-zđ]\)|[-+•])\s+")
_CONTENT_LABEL = re.compile(r"(?i)^\s*(?:[a-zđ]\)\s*)?nội dung(?: hoạt động)?(?: chính)?\s*[:\-–]?\s*$")
_LEADING_JUNK = re.compile(r"^[\s)\].,;:*_\-–]+")
_LEAD_WORDS = re.compile(r"(?i)^[\s,;:]*(?:là cơ quan chủ trì|là chủ công|chủ trì)\s*[,;:]?\s*")
_FOCAL = re.compile(r"(?i)^\s*là (cơ quan thường trực|đầu mối)")
_MID_PARTNERS = re.compile(r"(?i)[,;]?\s*(?:và\s+)?phối hợp(?: với)?\s+")
_PARTNERS = re.compile(r"(?i)^[\s,;:]*(?:phối hợp với|phối hợp)\s*")
_RELATED = re.compile(r"(?i)^[\s,;:]*(?:và\s+)?(?:(?:các\s+)?(?:tổ chức|đơn vị|cơ quan|ngành|đoàn thể)(?:\s*,\s*|\s+)?)*"
                      r"(?:có\s+)?liên quan\s*")
_DOING = re.compile(r"(?i)^[\s,;:]*(?:triển khai,?\s+)?thực hiện\s+(?:các\s+)?(?:nội dung|công tác)?\s*(?:về\s+)?")
_PERCENT = re.compile(r"(?<![\d,.])(\d{1,3})(\s?%)")
_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\d/])")
_DATE_CONTEXT = re.compile(r"(?i)(cao điểm|từ ngày|đến hết|đến ngày|trước ngày|thời gian)")
_SKIP_STATEMENT = re.compile(r"(?i)^\W*(căn cứ|thực hiện (quyết định|kế hoạch|chỉ thị)|xét đề nghị|\(ban hành)")


@dataclass(frozen=True)
class QuizSource:
    """Where a question comes from: the quoted passage and its character span."""

    doc_id: str
    title: str
    label: str
    section: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class QuizQuestion:
    """One printable question with its answer key and source."""

    n: int
    kind: str  # "lead" (who leads, multiple choice) or "true_false"
    stem: str
    options: tuple[str, ...]
    answer: tuple[int, ...]  # indexes into options
    multiple: bool
    key: str  # the answer as printed in the key
    source: QuizSource
    lang: str = "vi"
    agencies: tuple[str, ...] = ()  # lead questions: canonical names behind the options, same order
    task_start: int | None = None
    task_end: int | None = None

    @property
    def letters(self) -> str:
        """'B' or 'A, C'."""
        return ", ".join("ABCDEFGH"[i] for i in self.answer)

    def to_json(self) -> dict:
        """A plain dict (the quiz.json contract)."""
        out = asdict(self)
        out["letters"] = self.letters
        return out


def _clean(text: str) -> str:
    text = text.replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


def _shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """Cut at a sentence or clause boundary near `limit` characters."""
    if len(text) <= limit + 10:
        return text.rstrip(" .;,:")
    sentence = re.search(r"[.;](?=\s)", text[40 : limit + 10])
    if sentence:
        return text[: 40 + sentence.start()].rstrip(" .;,:")
    cut = -1
    for m in re.finditer(r",\s|;\s|:\s|\s(?:và|để|nhằm|trong|gắn với|theo|đối với)\s", text[: limit + 1]):
        if m.start() >= 0.65 * limit:  # a clause boundary, unless it would leave too little
            cut = m.start()
    if cut < 0:
        cut = text.rfind(" ", 0, limit)
    head = text[:cut].rstrip(" ,;:")
    if head.count("(") > head.count(")"):
        head = head[: head.rfind("(")].rstrip(" ,;:")
    head = re.sub(r"(?:\s+(?:và|của|các|cho|với|về|để|trong|theo|đối với|nhằm|tại|những|số))+$", "", head)
    return head + "…"


def task_summary(duty: duties.Duty) -> str | None:
    """A short, self-contained description of the task for a question stem (None when too vague)."""
    lines: list[str] = []
    for ln in (x for x in duty.task.split("\n") if x.strip()):
        if lines and ln.lstrip()[:1].islower():  # a page break inside a sentence ("Đề\n\nán đổi mới")
            lines[-1] += " " + ln
        else:
            lines.append(ln)
    # A block ("a) Nội dung" + bullets) is summarised by its first bullet.
    while lines and _CONTENT_LABEL.match(_clean(lines[0])):
        lines.pop(0)
    if not lines:
        return None
    first = _clean(lines[0])
    if len(first) < 25 and len(lines) > 1:
        first = _clean(lines[0] + " " + lines[1])
    first = _LEADING_JUNK.sub("", first)
    first = _LABEL.sub("", first, count=1)
    first = _LEADING_JUNK.sub("", first)
    # Only a capitalised mention is a name ("kiểm sát điều tra" is not the procuracy).
    mentions = [m for m in duties.find_agencies(first) if first[m.start : m.start + 1].isupper()]
    if {m.agency.name for m in mentions} & set(duty.lead):
        # The task is the assignment sentence itself ("Giao X chủ trì, phối hợp với Y, Z … thực hiện T"): keep T.
        last = max(m.end for m in mentions if m.agency.name in duty.lead)
        first = _FOCAL.sub(lambda m: "làm " + m.group(1), first[last:], count=1)
        first = _LEAD_WORDS.sub("", first, count=1)
        first = re.sub(r"(?i)^chủ trì\s+", "", first)
        if _PARTNERS.match(first):
            first = _PARTNERS.sub("", first, count=1)
            while True:  # the partner list: agencies separated by commas and "và"
                m = next((x for x in duties.find_agencies(first) if re.fullmatch(r"[\s,;]*(?:và\s+)?", first[: x.start])), None)
                if m is None:
                    break
                first = first[m.end :]
            first = _RELATED.sub("", first, count=1)
        first = _DOING.sub("", first, count=1)
        first = _LEADING_JUNK.sub("", first)
    elif re.match(r"(?i)chủ trì\s", first):  # "Chủ trì Đề án 2 và phối hợp với …" (subject in the previous sentence)
        first = first[len("chủ trì") :].strip()
    # "… Đề án 1, phối hợp với Hội Liên hiệp Phụ nữ tỉnh …": the partners are not part of the task.
    for m in _MID_PARTNERS.finditer(first):
        if any(x.start == m.end() for x in duties.find_agencies(first)):
            first = first[: m.start()]
            break
    if {m.agency.name for m in duties.find_agencies(first) if first[m.start : m.start + 1].isupper()} & set(duty.lead):
        return None
    first = re.sub(r"^ĐỀ ÁN", "Đề án", first)
    first = first.replace("“", "‘").replace("”", "’")
    if not first:
        return None
    first = first[0].upper() + first[1:]
    summary = _shorten(first)
    if _VAGUE.search(summary) or len(summary) < 25 or len(summary.split()) < 5:
        return None
    return summary


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def _display(name: str, lang: str) -> str:
    return plans.bilingual(name) if lang == "en" else name


@dataclass
class _LeadCandidate:
    doc_id: str
    start: int
    end: int
    summary: str
    leads: tuple[str, ...]
    clause_start: int
    clause_end: int
    section: str


def _lead_candidates(store: IndexStore, all_duties: Sequence[duties.Duty], document: str | None) -> list[_LeadCandidate]:
    groups: dict[tuple[str, int, int], list[duties.Duty]] = {}
    for d in all_duties:
        if d.lead and (document is None or d.doc_id == document):
            groups.setdefault((d.doc_id, d.task_start, d.task_end), []).append(d)
    out: list[_LeadCandidate] = []
    for (doc_id, start, end), group in sorted(groups.items()):
        leads = tuple(dict.fromkeys(n for d in group for n in d.lead))
        if not leads or len(leads) > 3 or not all(plans.is_specific(n) for n in leads):
            continue
        summary = task_summary(group[0])
        if summary is None:
            continue
        first = group[0]
        out.append(_LeadCandidate(doc_id, start, end, summary, leads, first.clause_start, first.clause_end, first.section))
    # Two tasks of one plan that read the same but have other leads would make either question ambiguous.
    seen: dict[tuple[str, str], int] = {}
    for c in out:
        key = (c.doc_id, _norm(c.summary))
        seen[key] = seen.get(key, 0) + 1
    return [c for c in out if seen[(c.doc_id, _norm(c.summary))] == 1]


def _lead_question(c: _LeadCandidate, store: IndexStore, all_duties: Sequence[duties.Duty], same_summary: set[str],
                   rng: random.Random, lang: str) -> QuizQuestion | None:
    record = store.documents[c.doc_id]
    mentioned = {m.agency.name for m in duties.find_agencies(c.summary)}
    excluded = set(c.leads) | same_summary | mentioned

    def pool(duty_filter) -> list[str]:
        names = {n for d in all_duties if duty_filter(d) for n in d.lead}
        return sorted(n for n in names if n not in excluded and plans.is_specific(n))

    needed = 4 - len(c.leads)
    distractors: list[str] = []
    # Plausible first: agencies leading other tasks of the same plan, then of other plans.
    for names in (pool(lambda d: d.doc_id == c.doc_id), pool(lambda d: d.doc_id != c.doc_id)):
        rng.shuffle(names)
        distractors.extend(n for n in names if n not in distractors)
        if len(distractors) >= needed:
            break
    if len(distractors) < needed:
        extra = sorted(a.name for a in duties.agencies() if a.name not in excluded and plans.is_specific(a.name)
                       and a.name.startswith(("Sở", "Công an", "Bộ Chỉ huy", "Tòa án", "Viện")))
        rng.shuffle(extra)
        distractors.extend(n for n in extra if n not in distractors)
    if len(distractors) < needed:
        return None
    agencies = list(c.leads) + distractors[:needed]
    rng.shuffle(agencies)
    answer = tuple(i for i, n in enumerate(agencies) if n in c.leads)
    multiple = len(c.leads) > 1
    name = plans.document_name(record, lang)
    if lang == "en":
        stem = (f"According to {name}, which agencies lead the task “{c.summary}” (select all that apply)?" if multiple
                else f"According to {name}, which agency leads the task “{c.summary}”?")
    else:
        stem = (f"Theo {name}, những cơ quan nào chủ trì nhiệm vụ “{c.summary}” (chọn tất cả đáp án đúng)?" if multiple
                else f"Theo {name}, cơ quan nào chủ trì nhiệm vụ “{c.summary}”?")
    options = tuple(_display(n, lang) for n in agencies)
    letters = ", ".join("ABCD"[i] for i in answer)
    key = f"{letters} — {'; '.join(options[i] for i in answer)}"
    text = record.text
    source = QuizSource(c.doc_id, record.title, plans.document_label(record), c.section,
                        text[c.clause_start : c.clause_end], c.clause_start, c.clause_end)
    return QuizQuestion(0, "lead", stem, options, answer, multiple, key, source, lang, tuple(agencies), c.start, c.end)


@dataclass
class _Statement:
    doc_id: str
    start: int
    end: int
    text: str
    section: str


def _statements(store: IndexStore, document: str | None) -> list[_Statement]:
    """Verbatim sentences with a target (a percentage) or a deadline (a dated period)."""
    out = []
    for doc_id, record in store.documents.items():
        if document is not None and doc_id != document:
            continue
        text = record.text
        root = None
        for m in re.finditer(r"[^\n.;]+(?:[.;](?=\S)[^\n.;]*)*", text):
            s, e = m.start(), m.end()
            piece = text[s:e]
            lead = len(piece) - len(piece.lstrip())
            s += lead
            label = _BULLET.match(text, s)
            if label and label.end() < e:
                s = label.end()
            while e > s and text[e - 1] in " \t*_":
                e -= 1
            sentence = text[s:e]
            if not 30 <= len(sentence) <= 240 or _SKIP_STATEMENT.search(sentence) or "\n" in sentence:
                continue
            if not (_PERCENT.search(sentence) or (_DATE.search(sentence) and _DATE_CONTEXT.search(sentence))):
                continue
            if root is None:
                root = parse_structure(text)
            node = root
            while True:
                nxt = next((c for c in node.children if c.start <= s < max(c.end, c.start + 1)), None)
                if nxt is None:
                    break
                node = nxt
            out.append(_Statement(doc_id, s, e, sentence, SEP.join(n.label for n in node.path())))
    return out


def _falsify(sentence: str, rng: random.Random) -> tuple[str, str, str] | None:
    """(false sentence, the real figure, the figure put in its place), changing one percentage or date."""
    percents = list(_PERCENT.finditer(sentence))
    present = {int(m.group(1)) for m in percents}
    if percents:
        m = percents[rng.randrange(len(percents))]
        value = int(m.group(1))
        choices = [v for v in (value - 10, value - 5, value + 5, value - 20, value - 15, value + 10)
                   if 10 <= v <= 100 and v != value and v not in present]
        if not choices:
            return None
        new = rng.choice(choices[:4])
        return sentence[: m.start(1)] + str(new) + sentence[m.end(1) :], m.group(0), f"{new}{m.group(2)}"
    dates = list(_DATE.finditer(sentence))
    if not dates:
        return None
    m = dates[rng.randrange(len(dates))]
    day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    for shift in rng.sample([1, 2, -1, -2, 3], 5):
        new_month = month + shift
        if 1 <= new_month <= 12 and day <= calendar.monthrange(year, new_month)[1]:
            month_text = f"{new_month:02d}" if len(m.group(2)) == 2 else str(new_month)
            new = f"{m.group(1)}/{month_text}/{m.group(3)}"
            return sentence[: m.start()] + new + sentence[m.end() :], m.group(0), new
    return None


def _true_false(st: _Statement, store: IndexStore, rng: random.Random, lang: str) -> QuizQuestion | None:
    record = store.documents[st.doc_id]
    truth = rng.random() < 0.5
    shown = st.text
    wrong = real = ""
    if not truth:
        made = _falsify(st.text, rng)
        if made is None:
            return None
        shown, real, wrong = made
        if _norm(shown) in _norm(record.text):
            return None  # the "false" sentence is said elsewhere in the plan: ambiguous
    name = plans.document_name(record, lang)
    quoted = shown.rstrip(" .;:,")
    if lang == "en":
        stem = f"True or false: according to {name}, “{quoted}”?"
        options = ("True", "False")
        key = "A — True." if truth else f"B — False: the document says {real}, not {wrong}."
    else:
        stem = f"Đúng hay sai: theo {name}, “{quoted}”?"
        options = ("Đúng", "Sai")
        key = "A — Đúng." if truth else f"B — Sai: văn bản ghi {real}, không phải {wrong}."
    source = QuizSource(st.doc_id, record.title, plans.document_label(record), st.section, st.text, st.start, st.end)
    return QuizQuestion(0, "true_false", stem, options, (0,) if truth else (1,), False, key, source, lang)


def make_quiz(bot: Corpus, n: int = 10, document: str | None = None, lang: str = "vi", seed: int = 0) -> list[QuizQuestion]:
    """n questions (about 60% "who leads", the rest true/false on targets and dates), reproducible by seed."""
    if lang not in ("vi", "en"):
        raise UsageError(f"Unknown language '{lang}' — use vi or en.")
    if n < 1:
        raise UsageError("The number of questions must be at least 1.")
    store = bot.store if hasattr(bot, "store") else bot
    if document:
        document = plans.document_id(document, store)
    rng = random.Random(seed)
    all_duties = plans.store_duties(store)
    leads = _lead_candidates(store, all_duties, document)
    statements = _statements(store, document)
    rng.shuffle(leads)
    rng.shuffle(statements)

    # The same wording in one plan with other leads would make a question ambiguous.
    by_summary: dict[tuple[str, str], set[str]] = {}
    for c in leads:
        by_summary.setdefault((c.doc_id, _norm(c.summary)), set()).update(c.leads)

    def lead_questions() -> Iterable[QuizQuestion]:
        for c in leads:
            others = by_summary[(c.doc_id, _norm(c.summary))] - set(c.leads)
            q = _lead_question(c, store, all_duties, others, rng, lang)
            if q is not None:
                yield q

    def tf_questions() -> Iterable[QuizQuestion]:
        seen: set[str] = set()
        for st in statements:
            key = _norm(st.text)
            if key in seen:  # near-identical targets of two plans (Lâm Đồng repeats Ninh Bình 2024)
                continue
            q = _true_false(st, store, rng, lang)
            if q is not None:
                seen.add(key)
                yield q

    want_lead = max(1, round(n * 0.6)) if n > 1 else 1
    picked: list[QuizQuestion] = []
    stems: set[str] = set()

    def take(source: Iterable[QuizQuestion], limit: int) -> None:
        for q in source:
            if len(picked) >= limit:
                return
            key = _norm(q.stem)
            if key in stems:
                continue
            stems.add(key)
            picked.append(q)

    lead_iter, tf_iter = lead_questions(), tf_questions()
    take(lead_iter, want_lead)
    take(tf_iter, n)
    take(lead_iter, n)  # fewer statements than asked: more "who leads" questions
    rng.shuffle(picked)
    return [replace(q, n=i) for i, q in enumerate(picked, start=1)]


# --- quiz writers ----------------------------------------------------------------------------
_QUIZ_TEXT = {
    "vi": {"title": "Bài kiểm tra: phòng, chống mua bán người", "q": "Câu", "key": "Đáp án", "source": "Nguồn",
           "section": "mục", "chars": "ký tự", "name": "Họ và tên: ……………………………………   Đơn vị: ……………………………………",
           "help": "Khoanh tròn một đáp án; câu có ghi “chọn tất cả đáp án đúng” có thể có nhiều đáp án.",
           "none": "Không tạo được câu hỏi nào từ các văn bản đã chọn."},
    "en": {"title": "Quiz: Vietnam's anti-human-trafficking plans", "q": "Question", "key": "Answer key",
           "source": "Source", "section": "section", "chars": "characters",
           "name": "Name: ……………………………………   Organisation: ……………………………………",
           "help": "Circle one answer; questions marked “select all that apply” may have several.",
           "none": "No questions could be made from the selected documents."},
}


def _quote(text: str, limit: int = 400) -> str:
    text = _clean(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _source_line(q: QuizQuestion, t: dict) -> str:
    s = q.source
    return f"{t['source']}: {s.title} ({s.label}), {t['section']} {s.section or '—'}, {t['chars']} {s.start}–{s.end}"


def quiz_markdown(questions: Sequence[QuizQuestion], lang: str = "vi") -> str:
    """The quiz as Markdown: questions, then the answer key with sources."""
    t = _QUIZ_TEXT[lang]
    out = [f"# {t['title']}", "", t["name"], "", f"*{t['help']}*", ""]
    if not questions:
        return "\n".join(out + [t["none"], ""])
    for q in questions:
        out.append(f"**{t['q']} {q.n}.** {q.stem}")
        out.append("")
        out.extend(f"- {'ABCDEFGH'[i]}. {opt}" for i, opt in enumerate(q.options))
        out.append("")
    out += ["---", "", f"## {t['key']}", ""]
    for q in questions:
        out.append(f"**{t['q']} {q.n}:** {q.key}  ")
        out.append(f"{_source_line(q, t)}  ")
        out.append(f"> {_quote(q.source.quote)}")
        out.append("")
    return "\n".join(out)


def quiz_docx(questions: Sequence[QuizQuestion], path: Path, lang: str = "vi") -> None:
    """A printable Word file: title, numbered questions with options A–D, a page break, the answer key."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    t = _QUIZ_TEXT[lang]
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(t["title"], level=0)
    doc.add_paragraph(t["name"])
    doc.add_paragraph(t["help"]).runs[0].italic = True
    if not questions:
        doc.add_paragraph(t["none"])
    for q in questions:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(8)
        p.paragraph_format.keep_with_next = True
        p.add_run(f"{t['q']} {q.n}. ").bold = True
        p.add_run(q.stem)
        for i, option in enumerate(q.options):
            o = doc.add_paragraph(f"{'ABCDEFGH'[i]}. {option}")
            o.paragraph_format.left_indent = Cm(1)
            o.paragraph_format.space_after = Pt(0)
            o.paragraph_format.keep_with_next = i < len(q.options) - 1
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading(t["key"], level=1)
    for q in questions:
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        p.add_run(f"{t['q']} {q.n}: ").bold = True
        p.add_run(q.key)
        src = doc.add_paragraph(_source_line(q, t))
        src.paragraph_format.left_indent = Cm(0.5)
        src.paragraph_format.space_after = Pt(0)
        src.paragraph_format.keep_with_next = True
        quote = doc.add_paragraph()
        quote.paragraph_format.left_indent = Cm(0.5)
        quote.add_run(f"“{_quote(q.source.quote)}”").italic = True
    doc.save(str(path))


def write_quiz(questions: Sequence[QuizQuestion], out: str | Path | None = None, lang: str | None = None) -> int:
    """Write a quiz as .docx, .md or .json (by the file's extension), or Markdown to stdout; returns an exit code."""
    lang = lang or (questions[0].lang if questions else "vi")
    if not out:
        sys.stdout.write(quiz_markdown(questions, lang) + "\n")
        return 0
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".md", ".markdown", ".json"):
        raise UsageError(f"Cannot write a quiz as '{suffix or path.name}' — name the file .docx, .md or .json.")
    try:
        if suffix == ".docx":
            quiz_docx(questions, path, lang)
        elif suffix == ".json":
            path.write_text(json.dumps([q.to_json() for q in questions], ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            path.write_text(quiz_markdown(questions, lang), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Cannot write {path}: {exc.strerror or exc} — check the folder exists and is writable.") from exc
    print(f"{len(questions)} câu hỏi / questions → {path}", file=sys.stderr)
    return 0
