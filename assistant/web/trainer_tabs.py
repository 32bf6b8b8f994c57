"""The trainers' tabs of the web app: the responsibility matrix, plans compared over time, and a phone quiz.

`build_tabs(gr, service, lang, viewer_nonce)` is called by app.build_ui inside its gr.Tabs; the page
stays a thin shell over matrix.duty_rows, comparison.compare and quiz.make_quiz. Every piece of
document text is escaped with html.esc() before it reaches the page.
"""
from __future__ import annotations

import logging
import textwrap
import time
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Sequence

from ..comparison import compare
from ..document import when_label
from ..errors import AssistantError, UsageError
from ..plans import bilingual, document_label, english
from ..trainer import matrix
from ..trainer.matrix import tidy
from ..trainer.quiz import make_quiz, quiz_docx
from .access import TRAINER, requires
from .html import TEXTS as PAGE_TEXTS
from .html import VIEWER_JS, esc, render_viewer
from .service import export_folder, private

if TYPE_CHECKING:
    from ..comparison import Comparison
    from .service import Service

log = logging.getLogger(__name__)

TEXTS: dict[str, dict[str, str]] = {
    "vi": {
        "tab_matrix": "Ma trận trách nhiệm",
        "tab_compare": "So sánh kế hoạch",
        "tab_quiz": "Trắc nghiệm",
        "agency": "Cơ quan (gõ tên hoặc viết tắt, có dấu hay không đều được)",
        "agency_ph": "ví dụ: Sở Y tế, so y te, Công an tỉnh, Sở LĐ-TB&XH",
        "document": "Văn bản",
        "all_docs": "Tất cả văn bản",
        "keyword": "Từ khóa trong nhiệm vụ",
        "keyword_ph": "ví dụ: nạn nhân",
        "filter": "Lọc",
        "search": "Tìm nhanh trong bảng…",
        "csv": "Tải CSV",
        "xlsx": "Tải Excel (XLSX)",
        "json": "Tải JSON",
        "rows": "nhiệm vụ",
        "none": "Không có nhiệm vụ nào khớp bộ lọc.",
        "sort_hint": "Bấm tiêu đề cột để sắp xếp; bấm mục để mở đoạn văn bản.",
        "c_doc": "Văn bản",
        "c_section": "Mục",
        "c_task": "Nhiệm vụ",
        "c_lead": "Chủ trì",
        "c_coord": "Phối hợp",
        "c_perf": "Thực hiện",
        "bad_agency": "Không tìm thấy cơ quan “{name}”, hoặc tên này khớp nhiều cơ quan. Hãy gõ tên đầy đủ hơn, "
        "ví dụ: “Sở Y tế”, “Công an tỉnh”, “Sở LĐ-TB&XH”.",
        "bad_input": "Không thực hiện được: {detail}",
        "not_ready": "Đang mở chỉ mục và nạp mô hình… hãy thử lại sau ít giây.",
        "internal": "Lỗi nội bộ (xem nhật ký máy chủ).",
        "topic": "Chủ đề",
        "topic_ph": "ví dụ: hỗ trợ nạn nhân",
        "cmp_agency": "hoặc cơ quan",
        "compare": "So sánh",
        "cmp_intro": "Nhập một chủ đề (hoặc một cơ quan) để xem từng kế hoạch, từ cũ đến mới, giao cho ai chủ trì, "
        "ai phối hợp và điều gì đã thay đổi.",
        "cmp_none": "Không tìm thấy nhiệm vụ nào khớp trong các kế hoạch.",
        "lead": "Chủ trì",
        "also": "Cũng chủ trì",
        "coord": "Phối hợp",
        "perf": "Thực hiện",
        "change": "Thay đổi",
        "tasks": "Nhiệm vụ khớp",
        "new": "mới",
        "missing": "Không có nội dung này",
        "notes": "Ghi chú",
        "need_topic": "Hãy nhập một chủ đề hoặc một cơ quan.",
        "n": "Số câu hỏi",
        "seed": "Mã đề (cùng mã → cùng đề cho cả lớp)",
        "make": "Tạo bài trắc nghiệm",
        "docx": "Tải đề (Word) để in",
        "answer": "Trả lời",
        "next": "Câu tiếp theo",
        "finish": "Xem kết quả",
        "again": "Làm lại",
        "q": "Câu",
        "of": "/",
        "multi": "Chọn tất cả đáp án đúng",
        "options": "Đáp án",
        "right": "Đúng!",
        "wrong": "Chưa đúng.",
        "key": "Đáp án đúng",
        "source": "Nguồn",
        "section": "mục",
        "pick": "Hãy chọn một đáp án.",
        "quiz_intro": "Bấm “Tạo bài trắc nghiệm”: từng câu hiện ra một, kèm đáp án và đoạn văn bản làm căn cứ.",
        "score": "Kết quả: {score}/{total} câu đúng",
        "quiz_none": "Không tạo được câu hỏi nào từ văn bản đã chọn.",
    },
    "en": {
        "tab_matrix": "Responsibility matrix",
        "tab_compare": "Compare plans",
        "tab_quiz": "Quiz",
        "agency": "Agency (any name or abbreviation, diacritics optional)",
        "agency_ph": "e.g. Sở Y tế, so y te, Công an tỉnh, Sở LĐ-TB&XH",
        "document": "Document",
        "all_docs": "All documents",
        "keyword": "Keyword in the task",
        "keyword_ph": "e.g. nạn nhân",
        "filter": "Filter",
        "search": "Quick search in the table…",
        "csv": "Download CSV",
        "xlsx": "Download Excel (XLSX)",
        "json": "Download JSON",
        "rows": "tasks",
        "none": "No task matches the filters.",
        "sort_hint": "Click a column title to sort; click a section to open the passage.",
        "c_doc": "Document",
        "c_section": "Section",
        "c_task": "Task",
        "c_lead": "Lead",
        "c_coord": "Coordinating",
        "c_perf": "Performing",
        "bad_agency": "No single agency called “{name}” was found. Type a fuller name, e.g. “Sở Y tế”, "
        "“Công an tỉnh”, “Sở LĐ-TB&XH”.",
        "bad_input": "Could not do that: {detail}",
        "not_ready": "Opening the index and loading the model… try again in a few seconds.",
        "internal": "Internal error (see the server log).",
        "topic": "Topic",
        "topic_ph": "e.g. victim support",
        "cmp_agency": "or agency",
        "compare": "Compare",
        "cmp_intro": "Type a topic (or an agency) to see, plan by plan from oldest to newest, who leads, who "
        "coordinates and what changed.",
        "cmp_none": "No matching tasks in the plans.",
        "lead": "Lead",
        "also": "Also leading",
        "coord": "Coordinating",
        "perf": "Performing",
        "change": "Change",
        "tasks": "Matching tasks",
        "new": "new",
        "missing": "Not covered in",
        "notes": "Notes",
        "need_topic": "Type a topic or an agency.",
        "n": "Number of questions",
        "seed": "Quiz code (same code → same quiz for the class)",
        "make": "Make a quiz",
        "docx": "Download the quiz (Word) to print",
        "answer": "Answer",
        "next": "Next question",
        "finish": "See the result",
        "again": "Start again",
        "q": "Question",
        "of": "/",
        "multi": "Select all that apply",
        "options": "Options",
        "right": "Correct!",
        "wrong": "Not quite.",
        "key": "Answer",
        "source": "Source",
        "section": "section",
        "pick": "Choose an answer.",
        "quiz_intro": "Press “Make a quiz”: questions come one at a time, each with its answer and the passage behind it.",
        "score": "Result: {score}/{total} correct",
        "quiz_none": "No questions could be made from the selected document.",
    },
}
UNCHANGED = ("—", "không đổi", "unchanged", "")


def _t(lang: str) -> dict[str, str]:
    return TEXTS.get(lang, TEXTS["vi"])


def _message(text: str, kind: str = "info") -> str:
    return f'<div class="tr-msg {kind}" role="status">{esc(text)}</div>'


def friendly(exc: AssistantError, lang: str, agency: str | None = None) -> str:
    """A Vietnamese (or English) message for a usage error, as HTML."""
    L = _t(lang)
    if agency and "agenc" in str(exc):
        return _message(L["bad_agency"].format(name=agency), "warn")
    return _message(L["bad_input"].format(detail=str(exc)), "warn")


# --- the matrix ------------------------------------------------------------------------------
def render_matrix(rows: Sequence[dict], lang: str) -> str:
    """Matrix rows as an escaped HTML table with a quick-search box; sections open the passage."""
    L = _t(lang)
    if not rows:
        return _message(L["none"])
    en = lang == "en"

    def names(r: dict, field: str) -> str:
        items = r.get(f"{field}_en") if en and r.get(f"{field}_en") else r.get(field) or []
        return "".join(f"<li>{esc(n)}</li>" for n in items)

    body = []
    for i, r in enumerate(rows):
        task = textwrap.shorten(" ".join(r.get("task", "").replace("*", "").split()), 320, placeholder="…")
        when = when_label(r.get("year"), r.get("period"))
        body.append(
            f'<tr><td class="doc" data-v="{esc(r.get("label"))}">{esc(r.get("label"))}'
            f'<span class="when">{esc(when) if str(when) not in str(r.get("label")) else ""}</span></td>'
            f'<td class="sec" data-v="{esc(r.get("section"))}"><button type="button" class="sec-link" data-action="mopen" '
            f'data-i="{i}" title="{esc(r.get("title"))}">{esc(r.get("section") or "—")}</button></td>'
            f'<td class="task">{esc(task)}</td><td><ul>{names(r, "lead")}</ul></td>'
            f'<td><ul>{names(r, "coordinating")}</ul></td><td><ul>{names(r, "performers")}</ul></td></tr>'
        )
    head = "".join(f'<th data-col="{i}" aria-sort="none" tabindex="0">{esc(L[k])}</th>'
                   for i, k in enumerate(("c_doc", "c_section", "c_task", "c_lead", "c_coord", "c_perf")))
    return (f'<div class="mx-bar"><input type="search" class="mx-search" placeholder="{esc(L["search"])}" '
            f'aria-label="{esc(L["search"])}"><span class="mx-count"><b>{len(rows)}</b> {esc(L["rows"])}</span>'
            f'<span class="mx-hint">{esc(L["sort_hint"])}</span></div>'
            f'<div class="table-wrap"><table class="docs mx"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


MATRIX_JS = """
const fold = (s) => (s || '').normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
element.addEventListener('click', (e) => {
  const b = e.target.closest('[data-action=mopen]');
  if (b && element.contains(b)) { e.preventDefault(); trigger('click', {action: 'mopen', i: Number(b.dataset.i)}); return; }
  const th = e.target.closest('th[data-col]');
  if (!th || !element.contains(th)) return;
  const table = th.closest('table'), col = Number(th.dataset.col);
  const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
  table.querySelectorAll('th').forEach((h) => h.setAttribute('aria-sort', 'none'));
  th.setAttribute('aria-sort', dir);
  const key = (tr) => { const td = tr.children[col]; return (td.dataset.v || td.innerText).trim(); };
  const rows = Array.from(table.tBodies[0].rows);
  rows.sort((a, b) => key(a).localeCompare(key(b), 'vi', {numeric: true}) * (dir === 'ascending' ? 1 : -1));
  rows.forEach((r) => table.tBodies[0].appendChild(r));
});
element.addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && e.target.matches && e.target.matches('th[data-col]')) {
    e.preventDefault(); e.target.click();
  }
});
element.addEventListener('input', (e) => {
  if (!e.target.matches('.mx-search')) return;
  const words = fold(e.target.value).split(/\\s+/).filter(Boolean);
  let shown = 0;
  element.querySelectorAll('table.mx tbody tr').forEach((tr) => {
    const text = fold(tr.innerText);
    const ok = words.every((w) => text.includes(w));
    tr.style.display = ok ? '' : 'none';
    shown += ok ? 1 : 0;
  });
  const count = element.querySelector('.mx-count b');
  if (count) count.textContent = String(shown);
});
"""


def _matrix_files(rows: Sequence[dict], lang: str) -> list[str]:
    """CSV, XLSX and JSON of the rows in a fresh temporary folder (Gradio copies them into its cache)."""
    folder = export_folder("matrix")
    name = "trach-nhiem" if lang == "vi" else "responsibilities"
    out = []
    for fmt in ("csv", "xlsx", "json"):
        path = folder / f"{name}.{fmt}"
        matrix.write_matrix(rows, fmt, path, lang)
        out.append(str(private(path)))
    return out


# --- the comparison --------------------------------------------------------------------------
def render_compare(cmp: Comparison, lang: str) -> str:
    """A comparison.Comparison as cards side by side, oldest first; new lead agencies and changes highlighted."""
    L = _t(lang)
    if not cmp.entries:
        return _message(L["cmp_none"])
    en = cmp.lang == "en"

    def name(n: str) -> str:
        return english(n) if en else n

    def names(items: Sequence[str], before: set[str] | None = None) -> str:
        if not items:
            return '<span class="none">—</span>'
        out = []
        for n in items:
            is_new = before is not None and n not in before
            badge = f' <span class="badge">{esc(L["new"])}</span>' if is_new else ""
            out.append(f'<li class="{"new" if is_new else ""}">{esc(name(n))}{badge}</li>')
        return f'<ul>{"".join(out)}</ul>'

    title = " — ".join(esc(x) for x in (cmp.topic, bilingual(cmp.agency) if en and cmp.agency else cmp.agency) if x)
    cards = []
    prev = None
    for e in cmp.entries:
        before_lead = set(prev.lead) if prev is not None else None
        before_coord = set(prev.coordinating) if prev is not None else None
        changed = e.change.strip() not in UNCHANGED
        tasks = "".join(
            f'<li><span class="sec">{esc(d.section or "—")}{f" · {esc(d.role)}" if d.role else ""}</span> '
            f'{esc(textwrap.shorten(tidy(d.task).replace(chr(10), " "), 220, placeholder="…"))}</li>'
            for d in e.duties)
        notes = "".join(f"<li>{esc(n)}</li>" for n in e.notes)
        also = (f'<div class="fld"><span class="k">{esc(L["also"])}</span>{names(e.other_leads)}</div>'
                if e.other_leads else "")
        perf = (f'<div class="fld"><span class="k">{esc(L["perf"])}</span>{names(e.performers)}</div>'
                if e.performers else "")
        cards.append(
            f'<article class="cmp-card{" changed" if changed else ""}">'
            f'<header><span class="when">{esc(when_label(e.year, e.period))}</span><h4>{esc(e.label)}</h4>'
            f'<div class="doc-title">{esc(e.title)}</div></header>'
            f'<div class="fld lead"><span class="k">{esc(L["lead"])}</span>{names(e.lead, before_lead)}</div>{also}'
            f'<div class="fld"><span class="k">{esc(L["coord"])}</span>{names(e.coordinating, before_coord)}</div>{perf}'
            f'<div class="chg{" on" if changed else ""}"><span class="k">{esc(L["change"])}</span> {esc(e.change or "—")}</div>'
            f'<details><summary>{esc(L["tasks"])} ({len(e.duties)})</summary><ul class="tasks">{tasks}</ul></details>'
            f'{f"<ul class=cmp-notes>{notes}</ul>" if notes else ""}</article>'
        )
        prev = e
    tail = []
    if cmp.missing:
        tail.append(f'<p class="cmp-missing"><b>{esc(L["missing"])}:</b> {esc(", ".join(cmp.missing))}</p>')
    if cmp.notes:
        tail.append(f'<div class="cmp-allnotes"><b>{esc(L["notes"])}</b><ul>'
                    + "".join(f"<li>{esc(n)}</li>" for n in cmp.notes) + "</ul></div>")
    return (f'<div class="cmp"><h3>{title}</h3><div class="cmp-grid" style="--n:{len(cards)}">{"".join(cards)}</div>'
            f'{"".join(tail)}</div>')


# --- the quiz --------------------------------------------------------------------------------
LETTERS = "ABCDEFGH"


def render_question(q: Any, i: int, total: int, lang: str) -> str:
    """The question card: progress and stem."""
    L = _t(lang)
    multi = f'<p class="multi">{esc(L["multi"])}</p>' if q.multiple else ""
    pct = int(100 * i / total) if total else 0
    return (f'<div class="qz-card"><div class="qz-progress"><span>{esc(L["q"])} {i + 1}{esc(L["of"])}{total}</span>'
            f'<div class="bar"><div style="width:{pct}%"></div></div></div>'
            f'<p class="stem">{esc(q.stem)}</p>{multi}</div>')


def render_feedback(q: Any, correct: bool, lang: str) -> str:
    """Correct or not, the answer key, and the source passage (escaped)."""
    L = _t(lang)
    s = q.source
    cls, verdict = ("ok", L["right"]) if correct else ("bad", L["wrong"])
    quote = " ".join(s.quote.replace("*", "").split())
    return (f'<div class="qz-feedback {cls}" role="status"><p class="verdict">{esc(verdict)}</p>'
            f'<p class="key"><b>{esc(L["key"])}:</b> {esc(q.key)}</p>'
            f'<div class="qz-source"><div class="src-head"><b>{esc(L["source"])}:</b> {esc(s.title)} '
            f'({esc(s.label)}), {esc(L["section"])} {esc(s.section or "—")}</div>'
            f'<blockquote>{esc(quote)}</blockquote></div></div>')


def render_score(score: int, total: int, lang: str) -> str:
    """The final score."""
    L = _t(lang)
    return (f'<div class="qz-card qz-score"><p class="big">{esc(L["score"].format(score=score, total=total))}</p>'
            f'<div class="bar"><div style="width:{int(100 * score / total) if total else 0}%"></div></div></div>')


def _choices(q: Any) -> list[tuple[str, str]]:
    return [(f"{LETTERS[i]}. {opt}", str(i)) for i, opt in enumerate(q.options)]


# --- the tabs --------------------------------------------------------------------------------
def build_tabs(gr: Any, service: Service, lang: Any, nonce: dict) -> tuple:
    """Add the matrix, compare and quiz tabs (call inside the page's gr.Tabs, hidden until the page shows them
    to a trainer) and their events; returns the three tabs."""
    V = TEXTS["vi"]

    def doc_choices(lg: str) -> list[tuple[str, str]]:
        docs = service.documents()["documents"] if service.ready else []
        out = [(_t(lg)["all_docs"], "")]
        for d in docs:
            label = document_label(SimpleNamespace(**{k: d.get(k) for k in ("province", "period", "year", "title")},
                                                          doc_id=d["doc_id"]))
            out.append((label, d["doc_id"]))
        return out

    # -- layout ---------------------------------------------------------------------------
    with gr.Tab(V["tab_matrix"], id="matrix", elem_id="tab-matrix", visible=False) as tab_matrix:
        with gr.Row(elem_id="mx-filters", equal_height=True):
            m_agency = gr.Textbox(label=V["agency"], placeholder=V["agency_ph"], max_length=200, scale=3,
                                  elem_id="mx-agency")
            m_doc = gr.Dropdown([(V["all_docs"], "")], value="", label=V["document"], scale=2, elem_id="mx-doc")
            m_keyword = gr.Textbox(label=V["keyword"], placeholder=V["keyword_ph"], max_length=200, scale=2,
                                   elem_id="mx-keyword")
            m_btn = gr.Button(V["filter"], variant="primary", scale=0, min_width=100, elem_id="mx-btn")
        with gr.Row(elem_id="mx-downloads"):
            m_csv = gr.DownloadButton(V["csv"], interactive=False, size="sm", elem_id="mx-csv")
            m_xlsx = gr.DownloadButton(V["xlsx"], interactive=False, size="sm", elem_id="mx-xlsx")
            m_json = gr.DownloadButton(V["json"], interactive=False, size="sm", elem_id="mx-json")
        m_table = gr.HTML("", js_on_load=MATRIX_JS, elem_id="mx-table")

        m_viewer = gr.HTML("", js_on_load=VIEWER_JS, elem_id="mx-viewer")
        m_rows = gr.State([])
    with gr.Tab(V["tab_compare"], id="compare", elem_id="tab-compare", visible=False) as tab_compare:
        with gr.Row(elem_id="cmp-inputs", equal_height=True):
            c_topic = gr.Textbox(label=V["topic"], placeholder=V["topic_ph"], max_length=300, scale=3, elem_id="cmp-topic")
            c_agency = gr.Textbox(label=V["cmp_agency"], placeholder=V["agency_ph"], max_length=200, scale=2,
                                  elem_id="cmp-agency")
            c_btn = gr.Button(V["compare"], variant="primary", scale=0, min_width=110, elem_id="cmp-btn")
        c_out = gr.HTML(_message(V["cmp_intro"]), js_on_load=None, elem_id="cmp-out")
    with gr.Tab(V["tab_quiz"], id="quiz", elem_id="tab-quiz", visible=False) as tab_quiz:
        with gr.Row(elem_id="qz-setup", equal_height=True):
            q_n = gr.Number(10, label=V["n"], minimum=1, maximum=30, precision=0, scale=1, elem_id="qz-n")
            q_doc = gr.Dropdown([(V["all_docs"], "")], value="", label=V["document"], scale=2, elem_id="qz-doc")
            q_seed = gr.Number(1, label=V["seed"], minimum=0, maximum=999_999, precision=0, scale=1, elem_id="qz-seed")
        with gr.Row(elem_id="qz-actions"):
            q_make = gr.Button(V["make"], variant="primary", elem_id="qz-make")
            q_docx = gr.DownloadButton(V["docx"], interactive=False, elem_id="qz-docx")
        q_card = gr.HTML(_message(V["quiz_intro"]), js_on_load=None, elem_id="qz-card")
        q_radio = gr.Radio([], label=V["options"], visible=False, elem_id="qz-radio")
        q_check = gr.CheckboxGroup([], label=V["options"], visible=False, elem_id="qz-check")
        q_submit = gr.Button(V["answer"], variant="primary", visible=False, elem_id="qz-submit")
        q_feedback = gr.HTML("", js_on_load=None, elem_id="qz-feedback")
        q_next = gr.Button(V["next"], visible=False, elem_id="qz-next")
        q_state = gr.State(None)

    # -- matrix events ------------------------------------------------------------------------
    @requires(TRAINER)
    def on_matrix(agency: str, doc: str, keyword: str, lg: str):
        L = _t(lg)
        off = gr.update(value=None, interactive=False)
        if not service.ready:
            return _message(L["not_ready"]), [], off, off, off
        agency = (agency or "").strip()
        try:
            rows = matrix.duty_rows(service.bot.store, agency=agency or None, document=doc or None,
                                    keyword=(keyword or "").strip() or None, lang=lg)
            files = _matrix_files(rows, lg)
        except UsageError as exc:
            return friendly(exc, lg, agency), [], off, off, off
        except AssistantError as exc:
            return friendly(exc, lg), [], off, off, off
        except Exception:  # a bug: the traceback goes to the log, not the page
            log.exception("matrix failed")
            return _message(L["internal"], "warn"), [], off, off, off
        return (render_matrix(rows, lg), rows, *(gr.update(value=f, interactive=bool(rows)) for f in files))

    m_inputs = [m_agency, m_doc, m_keyword, lang]
    m_outputs = [m_table, m_rows, m_csv, m_xlsx, m_json]
    m_btn.click(on_matrix, m_inputs, m_outputs, concurrency_id="trainer")
    m_agency.submit(on_matrix, m_inputs, m_outputs, concurrency_id="trainer")
    m_keyword.submit(on_matrix, m_inputs, m_outputs, concurrency_id="trainer")

    @requires(TRAINER)
    def on_matrix_tab(agency: str, doc: str, keyword: str, lg: str, rows: list):
        choices = gr.update(choices=doc_choices(lg))
        if rows:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), choices
        return (*on_matrix(agency, doc, keyword, lg), choices)

    tab_matrix.select(on_matrix_tab, [*m_inputs, m_rows], [*m_outputs, m_doc], concurrency_id="trainer")

    @requires(TRAINER)
    def on_matrix_click(rows: list, lg: str, evt: gr.EventData):
        data = getattr(evt, "_data", None) or {}
        i = int(data.get("i") or 0)
        if data.get("action") != "mopen" or not 0 <= i < len(rows) or not service.ready:
            return gr.skip()
        r = rows[i]
        doc = service.bot.store.documents.get(r["document"])
        if doc is None:
            return gr.skip()
        nonce["n"] += 1
        passage = SimpleNamespace(n=i + 1, start=r["start"], end=r["end"], highlights=(), section=r["section"], page=None)
        return render_viewer(doc, passage, lg, nonce["n"])

    on_matrix_click.__annotations__["evt"] = gr.EventData  # gradio is imported by the caller
    m_table.click(on_matrix_click, [m_rows, lang], m_viewer, queue=False)

    # -- compare events -----------------------------------------------------------------------
    @requires(TRAINER)
    def on_compare(topic: str, agency: str, lg: str):
        L = _t(lg)
        topic, agency = (topic or "").strip(), (agency or "").strip()
        if not topic and not agency:
            return _message(L["need_topic"], "warn")
        if not service.ready:
            return _message(L["not_ready"])
        try:
            cmp = compare(service.bot, topic=topic or None, agency=agency or None, lang=lg)
        except UsageError as exc:
            return friendly(exc, lg, agency or None)
        except AssistantError as exc:
            return friendly(exc, lg)
        except Exception:
            log.exception("compare failed")
            return _message(L["internal"], "warn")
        return render_compare(cmp, lg)

    c_btn.click(on_compare, [c_topic, c_agency, lang], c_out, concurrency_id="trainer")
    c_topic.submit(on_compare, [c_topic, c_agency, lang], c_out, concurrency_id="trainer")
    c_agency.submit(on_compare, [c_topic, c_agency, lang], c_out, concurrency_id="trainer")

    # -- quiz events --------------------------------------------------------------------------
    hidden = gr.update(visible=False)

    def show(state: dict):
        """Outputs for the current question of a quiz state (or the score after the last one)."""
        qs, i, lg = state["qs"], state["i"], state["lang"]
        L = _t(lg)
        if i >= len(qs):
            return (render_score(state["score"], len(qs), lg), hidden, hidden, hidden, "", 
                    gr.update(value=L["again"], visible=True), state)
        q = qs[i]
        return (render_question(q, i, len(qs), lg),
                gr.update(choices=_choices(q), value=None, visible=not q.multiple, interactive=True, label=L["options"]),
                gr.update(choices=_choices(q), value=[], visible=q.multiple, interactive=True, label=L["options"]),
                gr.update(value=L["answer"], visible=True, interactive=True), "", hidden, state)

    q_outputs = [q_card, q_radio, q_check, q_submit, q_feedback, q_next, q_state]

    @requires(TRAINER)
    def on_make(n: float | None, doc: str, seed: float | None, lg: str):
        L = _t(lg)
        off = gr.update(value=None, interactive=False)
        if not service.ready:
            return (_message(L["not_ready"]), hidden, hidden, hidden, "", hidden, None, off)
        try:
            qs = make_quiz(service.bot, int(n or 10), document=doc or None, lang=lg, seed=int(seed or 0))
            if not qs:
                return (_message(L["quiz_none"], "warn"), hidden, hidden, hidden, "", hidden, None, off)
            path = export_folder("quiz") / f"{'trac-nghiem' if lg == 'vi' else 'quiz'}-{time.strftime('%Y%m%d')}.docx"
            quiz_docx(qs, path, lg)
            private(path)
        except AssistantError as exc:
            return (friendly(exc, lg), hidden, hidden, hidden, "", hidden, None, off)
        except Exception:
            log.exception("quiz failed")
            return (_message(L["internal"], "warn"), hidden, hidden, hidden, "", hidden, None, off)
        state = {"qs": qs, "i": 0, "score": 0, "lang": lg, "answered": False}
        return (*show(state), gr.update(value=str(path), interactive=True))

    q_make.click(on_make, [q_n, q_doc, q_seed, lang], [*q_outputs, q_docx], concurrency_id="trainer")

    @requires(TRAINER)
    def on_answer(state: dict | None, radio: str | None, checks: list | None):
        if not state or state["i"] >= len(state["qs"]) or state["answered"]:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), state
        q, lg = state["qs"][state["i"]], state["lang"]
        chosen = {int(c) for c in (checks or [])} if q.multiple else ({int(radio)} if radio not in (None, "") else set())
        if not chosen:
            gr.Warning(_t(lg)["pick"], title=PAGE_TEXTS.get(lg, PAGE_TEXTS["vi"])["t_warn"])
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), state
        correct = chosen == set(q.answer)
        state = dict(state, answered=True, score=state["score"] + int(correct))
        last = state["i"] + 1 >= len(state["qs"])
        L = _t(lg)
        return (render_feedback(q, correct, lg), gr.update(interactive=False), gr.update(interactive=False),
                gr.update(value=L["finish"] if last else L["next"], visible=True), state)

    answer_outputs = [q_feedback, q_radio, q_check, q_next, q_state]
    q_submit.click(on_answer, [q_state, q_radio, q_check], answer_outputs, queue=False).then(
        lambda: gr.update(visible=False), None, q_submit, queue=False)

    @requires(TRAINER)
    def on_next(state: dict | None):
        if not state:
            return (gr.skip(),) * 6 + (state,)
        if state["i"] >= len(state["qs"]):  # "start again": the same questions from the top
            return show(dict(state, i=0, score=0, answered=False))
        return show(dict(state, i=state["i"] + 1, answered=False))

    q_next.click(on_next, q_state, q_outputs, queue=False)

    @requires(TRAINER)
    def on_quiz_tab(lg: str):
        return gr.update(choices=doc_choices(lg))

    tab_quiz.select(on_quiz_tab, lang, q_doc, queue=False)

    # -- language -----------------------------------------------------------------------------
    def on_language(lg: str):
        L = _t(lg)
        docs = doc_choices(lg)
        return [
            gr.update(label=L["tab_matrix"]), gr.update(label=L["tab_compare"]), gr.update(label=L["tab_quiz"]),
            gr.update(label=L["agency"], placeholder=L["agency_ph"]), gr.update(label=L["document"], choices=docs),
            gr.update(label=L["keyword"], placeholder=L["keyword_ph"]), gr.update(value=L["filter"]),
            gr.update(label=L["csv"]), gr.update(label=L["xlsx"]), gr.update(label=L["json"]),
            gr.update(label=L["topic"], placeholder=L["topic_ph"]),
            gr.update(label=L["cmp_agency"], placeholder=L["agency_ph"]), gr.update(value=L["compare"]),
            gr.update(label=L["n"]), gr.update(label=L["document"], choices=docs), gr.update(label=L["seed"]),
            gr.update(value=L["make"]), gr.update(label=L["docx"]),
        ]

    lang.change(on_language, lang, [tab_matrix, tab_compare, tab_quiz, m_agency, m_doc, m_keyword, m_btn, m_csv, m_xlsx,
                                    m_json, c_topic, c_agency, c_btn, q_n, q_doc, q_seed, q_make, q_docx], queue=False)
    return tab_matrix, tab_compare, tab_quiz


CSS = """
.tr-msg { padding: 10px 14px; border-radius: 8px; background: #eef2fb; color: var(--navy); line-height: 1.5; }
.tr-msg.warn { background: #fff4e0; color: #7a4a00; border-left: 4px solid #c58a00; }
.mx-bar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 0 0 8px; }
.mx-search { flex: 1 1 240px; font: inherit; padding: 6px 10px; border: 1px solid var(--line); border-radius: 8px; }
.mx-count { color: var(--navy); }
.mx-hint { color: var(--muted); font-size: .85em; }
table.mx th { cursor: pointer; user-select: none; white-space: nowrap; }
table.mx th[aria-sort=ascending]::after { content: " ▲"; font-size: .7em; }
table.mx th[aria-sort=descending]::after { content: " ▼"; font-size: .7em; }
table.mx td ul { margin: 0; padding-left: 1em; }
table.mx td.doc { font-weight: 600; min-width: 8em; }
table.mx td.doc .when { display: block; font-weight: 400; color: var(--muted); font-size: .85em; }
table.mx td.task { min-width: 18em; line-height: 1.45; }
table.mx tbody tr:nth-child(even) td { background: #f7f8fb; }
button.sec-link { font: inherit; color: var(--red); background: #fbeaea; border: 1px solid #efc4c4; border-radius: 6px;
                  padding: 1px 6px; cursor: pointer; white-space: nowrap; font-weight: 600; }
button.sec-link:hover, button.sec-link:focus-visible { background: var(--red); color: #fff; outline: none; }
.cmp h3 { color: var(--navy); margin: 4px 0 10px; }
.cmp-grid { display: grid; grid-template-columns: repeat(var(--n), minmax(250px, 1fr)); gap: 12px; overflow-x: auto;
            padding-bottom: 6px; }
.cmp-card { background: var(--paper); border: 1px solid var(--line); border-top: 5px solid var(--navy); border-radius: 10px;
            padding: 10px 14px; }
.cmp-card.changed { border-top-color: var(--red); }
.cmp-card h4 { margin: 0; color: var(--navy); font-size: 1.05em; }
.cmp-card .when { float: right; background: var(--navy); color: #fff; border-radius: 999px; padding: 0 9px; font-size: .8em; }
.cmp-card .doc-title { color: var(--muted); font-size: .8em; margin: 2px 0 6px; line-height: 1.35; }
.cmp-card .fld { margin: 6px 0; }
.cmp-card .k { display: block; font-size: .75em; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
               font-weight: 600; }
.cmp-card ul { margin: 2px 0; padding-left: 1.1em; }
.cmp-card li.new { background: var(--mark); border-radius: 3px; font-weight: 600; }
.cmp-card .badge { background: var(--red); color: #fff; border-radius: 4px; font-size: .7em; padding: 0 4px; font-weight: 600; }
.cmp-card .chg { margin: 8px 0; padding: 6px 8px; border-radius: 6px; background: #f3f4f7; font-size: .9em; }
.cmp-card .chg.on { background: #fbeaea; color: var(--red); font-weight: 600; }
.cmp-card details summary { cursor: pointer; color: var(--navy); font-size: .9em; }
.cmp-card ul.tasks li { font-size: .88em; margin: 4px 0; line-height: 1.4; }
.cmp-card .sec { color: var(--red); font-weight: 600; }
.cmp-notes, .cmp-allnotes { font-size: .88em; color: #7a4a00; }
.cmp-allnotes { background: #fff8e6; border-radius: 8px; padding: 8px 12px; margin-top: 10px; }
.cmp-missing { color: var(--muted); }
.qz-card { background: var(--paper); border: 1px solid var(--line); border-left: 5px solid var(--navy); border-radius: 10px;
           padding: 12px 16px; }
.qz-progress { display: flex; align-items: center; gap: 10px; color: var(--muted); font-size: .9em; }
.qz-progress .bar, .qz-score .bar { flex: 1; height: 6px; background: #d5def0; border-radius: 99px; overflow: hidden; }
.qz-progress .bar div, .qz-score .bar div { height: 100%; background: var(--navy); }
.qz-card .stem { font-size: 1.08em; font-weight: 600; line-height: 1.5; margin: 8px 0 4px; overflow-wrap: anywhere; }
.qz-card .multi { color: var(--red); font-size: .9em; margin: 0; }
.qz-score .big { font-size: 1.3em; font-weight: 700; color: var(--navy); margin: 0 0 8px; }
.qz-feedback { border-radius: 10px; padding: 10px 14px; border: 1px solid var(--line); background: var(--paper); }
.qz-feedback.ok { border-left: 5px solid #2e8b3e; }
.qz-feedback.bad { border-left: 5px solid var(--red); }
.qz-feedback .verdict { font-weight: 700; font-size: 1.1em; margin: 0 0 4px; }
.qz-feedback.ok .verdict { color: #22602a; }
.qz-feedback.bad .verdict { color: var(--red); }
.qz-feedback .key { margin: 0 0 6px; overflow-wrap: anywhere; }
.qz-source .src-head { font-size: .88em; color: var(--muted); }
#qz-feedback .qz-source blockquote { margin: 4px 0 0 !important; padding: 6px 10px; background: #f7f8fb; border-radius: 6px;
                   font-size: .93em; line-height: 1.55; overflow-wrap: anywhere; border-left: 3px solid var(--passage); }
#qz-radio label, #qz-check label { width: 100%; white-space: normal; }
@media (max-width: 820px) {
  .cmp-grid { grid-template-columns: 1fr; }
  .mx-hint { display: none; }
}
"""
