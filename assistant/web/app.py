"""The web app (`assistant serve`): a Gradio page — chat with cited sources, a document viewer and a
documents tab — and the HTTP API (api.py), served by one process.

Usage::

    assistant serve                                   # http://127.0.0.1:7860, Vietnamese UI
    assistant serve --host 0.0.0.0 --auth tap-huan:<password> --trainer-password <password> --admin-password <password>

Everything rendered into the page is built here as HTML strings by small pure functions; every
piece of document text, file name and question is escaped with `esc()` first.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..answer import Answer, Citation, cited_numbers
from ..assistant import MAX_QUESTION_CHARS
from ..errors import AssistantError, UsageError
from ..ocr import page_image
from .access import ADMIN, TRAINER, AccessGuard, allows, is_uploaded_file, requires
from ..document import when_label
from .api import create_api
from .export import segments, to_docx, to_markdown
from .html import TEXTS, VIEWER_JS, esc, is_paged, render_viewer, scanned_pages, texts_for
from .service import Service, export_folder, private
from .trainer_tabs import CSS as TRAINER_CSS
from .trainer_tabs import build_tabs

if TYPE_CHECKING:
    from ..document import Document
    from ..config import Settings

log = logging.getLogger(__name__)

FONT_STACK = ["Segoe UI", "Noto Sans", "Roboto", "Helvetica Neue", "Arial", "Liberation Sans", "DejaVu Sans",
              "sans-serif"]
MONO_STACK = ["Consolas", "DejaVu Sans Mono", "Liberation Mono", "monospace"]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# The question box takes more than the Assistant reads (MAX_QUESTION_CHARS), so that a cut is said on the page
# instead of done silently by the browser; the bound keeps a pasted document within the 1 MB body cap.
QUESTION_BOX_CHARS = 20_000

# Gradio's own strings (upload box, login, buttons) in Vietnamese, by Gradio's i18n keys: Gradio ships no
# Vietnamese (its English ones are its own). They reach the page through gr.I18n; LANG_HEAD sets Gradio's locale to
# the page's language before anything is drawn, and a switch reloads the page in the new one (SWITCH_JS).
GRADIO_STRINGS = {
    "vi": {
        "upload_text": {"click_to_upload": "Bấm để chọn tệp", "drop_file": "Thả tệp vào đây",
                        "drop_image": "Thả ảnh vào đây", "paste_clipboard": "Dán từ bộ nhớ tạm"},
        "common": {"or": "hoặc", "clear": "Xóa", "download": "Tải về", "download_all": "Tải về tất cả",
                   "edit": "Sửa", "empty": "Trống", "error": "Lỗi", "loading": "Đang tải", "remove": "Bỏ",
                   "submit": "Gửi", "undo": "Hoàn tác", "language": "Ngôn ngữ", "settings": "Cài đặt",
                   "progress": "Tiến độ", "share": "Chia sẻ"},
        "login": {"login": "Đăng nhập", "username": "tên đăng nhập", "password": "mật khẩu",
                  "incorrect_credentials": "Sai tên đăng nhập hoặc mật khẩu"},
        "file": {"uploading": "Đang tải lên…"},
    },
}

# Document warnings come from the loader in English; the Vietnamese page says them in Vietnamese.
WARNINGS_VI = [
    (re.compile(r"^document number is left blank \((.*)\)$"), r"số hiệu văn bản để trống (\1)"),
    (re.compile(r"^converted from the legacy (.+) font encoding$"), r"đã chuyển từ bảng mã cũ \1"),
    (re.compile(r"^not UTF-8: decoded as Windows-1258 \(Vietnamese\); save as UTF-8 to be sure$"),
     "không phải UTF-8: đã đọc theo bảng mã Windows-1258; nên lưu lại dạng UTF-8"),
    (re.compile(r"^some bytes are not valid Windows-1258 and were replaced by U\+FFFD$"),
     "một số byte không hợp lệ theo Windows-1258 đã được thay bằng ký tự thay thế"),
    (re.compile(r"^PDF is encrypted with an empty password; opened without one$"),
     "PDF được mã hóa bằng mật khẩu rỗng; đã mở không cần mật khẩu"),
    (re.compile(r"^page (\d+): text extraction failed \((.*)\)$"), r"trang \1: không trích được chữ (\2)"),
    (re.compile(r"^page (\d+) has no text layer \(needs OCR\)(.*)$"), r"trang \1 không có lớp chữ (cần OCR)\2"),
]


def localize_warning(text: str, lang: str) -> str:
    """A loader warning in the page's language (unknown ones stay as written)."""
    if lang != "vi":
        return text
    for pattern, replacement in WARNINGS_VI:
        if pattern.match(text):
            return pattern.sub(replacement, text)
    return text


_READY = re.compile(r"^ready in ([\d.]+) s$")
_INDEXED = re.compile(r"^(\d+) documents, (\d+) chunks \((\d+) embedded\) in ([\d.]+) s$")


def localize_status(message: str, lang: str) -> str:
    """The service's status line ("ready in 2.3 s") in the page's language."""
    L = texts_for(lang)
    m = _READY.match(message or "")
    if m:
        return L["ready_in"].format(s=m.group(1))
    m = _INDEXED.match(message or "")
    if m:
        return L["indexed"].format(docs=m.group(1), chunks=m.group(2), embedded=m.group(3), s=m.group(4))
    return message or ""


EXAMPLES = {
    "vi": [
        "Ai chủ trì hỗ trợ nạn nhân?",
        "Tổng đài 111 tiếp nhận thông tin gì?",
        "Đợt cao điểm tấn công, trấn áp tội phạm mua bán người năm 2024 diễn ra khi nào?",
    ],
    "en": [
        "Who leads victim support?",
        "Which agency handles the hotline 111?",
        "When is the 2024 crackdown on human trafficking?",
    ],
}
LANG_CHOICES = [("Tiếng Việt", "vi"), ("English", "en")]


# --- escaping and small HTML pieces ------------------------------------------------------
def _when(c: Citation) -> str:
    return when_label(c.year, c.period)


@dataclass
class ChatSession:
    """One browser session's conversation (kept in gr.State; plain data so Gradio can copy it)."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    answers: list = field(default_factory=list)
    feedback: dict = field(default_factory=dict)  # turn index → kind
    feedback_ids: dict = field(default_factory=dict)  # turn index → its row in the feedback store (one vote per answer)
    last_feedback_id: int | None = None
    shown: int = -1  # which turn's sources are on the right
    cut: dict = field(default_factory=dict)  # turn index → length of a question cut to MAX_QUESTION_CHARS


# --- the conversation kept in the browser (gr.BrowserState: localStorage, never the server) ------------
HISTORY_KEY = "tro-ly-hoi-dap"
HISTORY_TURNS = 40  # the newest turns kept; older ones fall off so localStorage (~5 MB) never fills
HISTORY_CHARS = 1_500_000
LANG_COOKIE = "assistant_lang"


def history_to_store(session: ChatSession, user: str | None) -> dict:
    """The conversation as plain JSON for the browser: each answer with its citations, whose account it is."""
    import dataclasses

    turns = []
    first = max(0, len(session.answers) - HISTORY_TURNS)
    for i, a in enumerate(session.answers[first:], start=first):
        turn = dataclasses.asdict(a)
        if i in session.cut:
            turn["cut"] = session.cut[i]
        turns.append(turn)
    while turns and len(json.dumps(turns, ensure_ascii=False)) > HISTORY_CHARS:
        turns.pop(0)
    return {"v": 1, "user": user or "", "turns": turns}


def _citation_from_store(d: dict) -> Any:
    optional_int = lambda v: int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    return Citation(n=int(d["n"]), doc_id=str(d["doc_id"]), title=str(d.get("title") or ""),
                    section=str(d.get("section") or ""), text=str(d.get("text") or ""), start=int(d["start"]),
                    end=int(d["end"]), year=optional_int(d.get("year")),
                    period=str(d["period"]) if d.get("period") else None, page=optional_int(d.get("page")),
                    highlights=tuple((int(a), int(b)) for a, b in d.get("highlights") or ()))


def history_from_store(value: Any, user: str | None) -> ChatSession:
    """A session holding the stored conversation when it is this account's; a fresh one for anything else
    (nothing stored, another account's conversation on a shared computer, a damaged or edited value)."""
    session = ChatSession()
    if not isinstance(value, dict) or value.get("v") != 1 or value.get("user", "") != (user or ""):
        return session
    for turn in value.get("turns") or []:
        try:
            answer = Answer(
                question=str(turn["question"]), text=str(turn["text"]), found=bool(turn["found"]),
                citations=tuple(_citation_from_store(c) for c in turn.get("citations") or ()),
                language=str(turn.get("language") or "vi"), intent=str(turn.get("intent") or "fact"),
                resolved_question=str(turn.get("resolved_question") or ""),
                scope=turn["scope"] if isinstance(turn.get("scope"), dict) else {},
                related=tuple(_citation_from_store(c) for c in turn.get("related") or ()),
                notice=str(turn.get("notice") or ""), flagged=tuple(str(f) for f in turn.get("flagged") or ()),
                generated=bool(turn.get("generated")))
        except (KeyError, TypeError, ValueError):
            log.warning("a stored conversation turn could not be read; skipped")
            continue
        if isinstance(turn.get("cut"), int):
            session.cut[len(session.answers)] = turn["cut"]
        session.answers.append(answer)
    session.shown = len(session.answers) - 1
    return session


def browser_secret(data_dir: Path) -> str:
    """The key gr.BrowserState encrypts the stored conversation with, kept in the data folder (0600) so a
    restarted server still reads what browsers stored."""
    import secrets

    path = Path(data_dir) / "browser-state.key"
    try:
        return path.read_text(encoding="ascii").strip()
    except OSError:
        pass
    key = secrets.token_urlsafe(24)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    except OSError:  # a read-only data folder: conversations then last until the server restarts
        log.warning("cannot write %s; stored conversations will not survive a restart", path)
    return key


_BRACKET = re.compile(r"\[[^\[\]\n]{1,24}\]")


def render_answer_text(answer: Answer, turn: int, lang: str = "vi") -> str:
    """The answer's text as HTML: paragraphs and bullets, [n] markers as buttons that open the source."""
    valid = {c.n for c in answer.citations}

    def line_html(line: str) -> str:
        out, pos = [], 0
        for m in _BRACKET.finditer(line):
            nums = cited_numbers(m.group(0))
            if not nums or not all(n in valid for n in nums):
                continue
            out.append(esc(line[pos : m.start()]))
            out.append("".join(
                f'<button type="button" class="cite" data-action="cite" data-turn="{turn}" data-n="{n}" '
                f'aria-label="{esc(texts_for(lang)["source_n"].format(n=n))}">[{n}]</button>' for n in nums))
            pos = m.end()
        out.append(esc(line[pos:]))
        return "".join(out)

    blocks: list[str] = []
    items: list[str] = []
    for raw in answer.text.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line[:2] in ("- ", "• ", "* "):
            items.append(f"<li>{line_html(line[2:])}</li>")
            continue
        if items:
            blocks.append(f"<ul>{''.join(items)}</ul>")
            items = []
        blocks.append(f"<p>{line_html(line)}</p>")
    if items:
        blocks.append(f"<ul>{''.join(items)}</ul>")
    return "".join(blocks)


# Inline SVG icons: emoji fonts are missing on many office machines, and nothing may be fetched.
_THUMB = ("M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 "
          "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z")
_ICONS = {
    "up": f'<svg viewBox="0 0 24 24" aria-hidden="true"><path d="{_THUMB}"/></svg>',
    "down": f'<svg viewBox="0 0 24 24" aria-hidden="true" style="transform:rotate(180deg)"><path d="{_THUMB}"/></svg>',
    "wrong_source": '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M14.4 6L14 4H5v17h2v-7h5.6l.4 2h7V6z"/></svg>',
    "copy": '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16 1H4c-1.1 0-2 .9-2 2v14h2V3h12V1zm3 4H8c-1.1 0-2 '
            '.9-2 2v14c0 1.1.9 2 2 2h11c1.1 0 2-.9 2-2V7c0-1.1-.9-2-2-2zm0 16H8V7h11v14z"/></svg>',
    "again": '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M17.65 6.35A7.958 7.958 0 0012 4c-4.42 0-7.99 3.58-7.99 8'
             's3.57 8 7.99 8c3.73 0 6.84-2.55 7.73-6h-2.08A5.99 5.99 0 0112 18c-3.31 0-6-2.69-6-6s2.69-6 6-6c1.66 0 3.14.69 '
             '4.22 1.78L13 11h7V4l-2.35 2.35z"/></svg>',
}


def copy_text(answer: Answer, L: dict[str, str]) -> str:
    """What the copy button puts on the clipboard: the answer as written, then its sources (title, section, page)."""
    cites = answer.citations if answer.found else answer.related
    lines = [answer.text.strip()]
    if cites:
        lines += ["", f'{L["sources"] if answer.found else L["related"]}:']
        for c in cites:
            meta = " · ".join(m for m in (_when(c), f'{L["section"]} {c.section}' if c.section else "") if m)
            lines.append(f"[{c.n}] {c.title}" + (f" — {meta}" if meta else ""))
    return "\n".join(lines)


def _feedback_bar(turn: int, chosen: str | None, L: dict[str, str], answer: Answer | None = None) -> str:
    buttons = [("up", L["fb_up"]), ("down", L["fb_down"]), ("wrong_source", L["fb_wrong"])]
    parts = []
    for kind, label in buttons:
        pressed = "true" if chosen == kind else "false"
        parts.append(
            f'<button type="button" class="fb" data-action="feedback" data-turn="{turn}" data-kind="{kind}" '
            f'aria-pressed="{pressed}" title="{esc(label)}">{_ICONS[kind]}<span>{esc(label)}</span></button>'
        )
    if answer is not None:  # handled in the browser (TRANSCRIPT_JS): nothing goes to the server
        parts.append(
            f'<button type="button" class="fb turn-copy" data-local="copy" data-turn="{turn}" title="{esc(L["copy_title"])}" '
            f'data-done="{esc(L["copied"])}" data-copy="{esc(copy_text(answer, L))}">{_ICONS["copy"]}'
            f'<span>{esc(L["copy"])}</span></button>'
            f'<button type="button" class="fb turn-again" data-local="again" data-turn="{turn}" '
            f'title="{esc(L["again_title"])}">{_ICONS["again"]}<span>{esc(L["again"])}</span></button>')
    if chosen:
        parts.insert(len(buttons), f'<span class="fb-thanks">{esc(L["fb_thanks"])}</span>')
    return f'<div class="fb-bar">{"".join(parts)}</div>'


def _print_sources(answer: Answer, L: dict[str, str]) -> str:
    """Each answer's sources inside its bubble, shown only on paper: the sources panel holds one turn's."""
    cites = answer.citations if answer.found else answer.related
    if not cites:
        return ""
    items = []
    for c in cites:
        meta = " · ".join(esc(m) for m in (_when(c), f'{L["section"]} {c.section}' if c.section else "") if m)
        items.append(f'<li><strong>[{c.n}] {esc(c.title)}</strong>{f" — {meta}" if meta else ""}'
                     f'<blockquote>{esc(c.text)}</blockquote></li>')
    heading = L["sources"] if answer.found else L["related"]
    return f'<div class="print-sources"><h4>{esc(heading)}</h4><ol>{"".join(items)}</ol></div>'


def render_transcript(session: ChatSession | None, lang: str, pending: str | None = None, partial: str = "",
                      error: str = "") -> str:
    """The whole conversation as HTML (questions, answers with [n] buttons, feedback buttons)."""
    L = texts_for(lang)
    session = session or ChatSession()
    parts = ['<div class="chat" role="log" aria-live="polite">']
    if not session.answers and pending is None:
        parts.append(f'<div class="welcome"><h2>{esc(L["welcome_h"])}</h2><p>{esc(L["welcome"])}</p></div>')
    for i, a in enumerate(session.answers):
        parts.append(f'<div class="msg user" id="question-{i}"><div class="bubble"><span class="who">{esc(L["you"])}</span>'
                     f'<div class="q">{esc(a.question)}</div></div></div>')
        notice = f'<p class="notice">{esc(a.notice)}</p>' if a.notice else ""
        if i in session.cut:
            notice += (f'<p class="notice cut-notice" role="status">'
                       f'{esc(L["q_cut"].format(n=f"{session.cut[i]:,}", max=f"{MAX_QUESTION_CHARS:,}"))}</p>')
        cls = "bubble" + ("" if a.found else " not-found")
        # "see the related passages" only when there are some (a filter matching nothing leaves none).
        hint = "" if a.found or not a.related else f'<p class="hint">{esc(L["not_found"])}</p>'
        parts.append(
            f'<div class="msg bot" id="turn-{i}"><div class="{cls}"><span class="who">{esc(L["bot"])}</span>'
            f'{notice}<div class="answer">{render_answer_text(a, i, lang)}</div>{hint}'
            f'{_feedback_bar(i, session.feedback.get(i), L, a)}{_print_sources(a, L)}</div></div>'
        )
    if pending is not None:
        parts.append(f'<div class="msg user"><div class="bubble"><span class="who">{esc(L["you"])}</span>'
                     f'<div class="q">{esc(pending)}</div></div></div>')
        if error:
            body = f'<p class="error"><strong>{esc(L["error"])}:</strong> {esc(error)}</p>'
        elif partial:
            body = "".join(f"<p>{esc(line)}</p>" for line in partial.splitlines() if line.strip())
        else:
            body = f'<p class="thinking"><span class="dots" aria-hidden="true"></span>{esc(L["thinking"])}</p>'
        parts.append(f'<div class="msg bot pending"><div class="bubble"><span class="who">{esc(L["bot"])}</span>{body}</div></div>')
    parts.append("</div>")
    return "".join(parts)


def render_filter_chips(documents: Sequence[str], province: str | None, year: str | None, lang: str) -> str:
    """The filters in force as chips ("Tỉnh/thành: Quảng Ninh"); empty when none is set."""
    L = texts_for(lang)
    chips = [(L["f_docs"], d) for d in documents]
    chips += [(L[key], value) for key, value in (("f_province", province), ("f_year", year)) if value]
    if not chips:
        return ""
    items = "".join(f'<li class="chip"><span class="k">{esc(k)}:</span> {esc(v)}</li>' for k, v in chips)
    return f'<div class="chips"><span class="chips-h">{esc(L["f_active"])}</span><ul>{items}</ul></div>'


def join_address(host_header: str, scheme: str = "http") -> tuple[str, bool]:
    """(the address participants type, whether it is this machine's own loopback address).

    The page's own address is the one to give when the trainer opened it over the network; opened as
    localhost, the LAN address is found from the route to a private address (a UDP socket: no packet is sent)."""
    host = (host_header or "127.0.0.1").strip()
    name, port = (host.rsplit("]", 1)[0] + "]", host.rsplit("]", 1)[1]) if host.startswith("[") else \
        (host.partition(":")[0], (":" + host.partition(":")[2]) if ":" in host else "")
    loopback = name in ("localhost", "[::1]") or name.startswith("127.")
    if loopback:
        import socket

        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("10.254.254.254", 9))
                lan = probe.getsockname()[0]
            if not lan.startswith("127."):
                name, loopback = lan, False
        except OSError:  # no network at all: the loopback address is all there is
            pass
    return f"{scheme}://{name}{port}/", loopback


def render_join(address: str, loopback: bool, lang: str) -> str:
    """The join view: the address in large type and its QR code, made here (segno), big enough for a projector."""
    import segno

    L = texts_for(lang)
    qr = segno.make(address, error="m").svg_inline(scale=12, border=2, dark="#000", light="#fff")
    note = f'<p class="join-note">{esc(L["join_local"])}</p>' if loopback else ""
    return (f'<section class="join"><h2>{esc(L["join_h"])}</h2><p>{esc(L["join_type"])}</p>'
            f'<p class="join-address">{esc(address)}</p><div class="join-qr" role="img" aria-label="QR: {esc(address)}">'
            f'{qr}</div>{note}</section>')


def render_projector(answer: Answer | None, lang: str) -> str:
    """The projector view: the latest question, its answer and its sources, in type readable from the back."""
    L = texts_for(lang)
    if answer is None:
        return f'<section class="projector"><p class="proj-empty">{esc(L["proj_empty"])}</p></section>'
    cites = answer.citations if answer.found else answer.related
    items = []
    for c in cites:
        section = f' — {esc(L["section"])} {esc(c.section)}' if c.section else ""
        items.append(f'<li><span class="num">[{c.n}]</span> <strong>{esc(c.title)}</strong>{section}'
                     f'<blockquote>{esc(c.text)}</blockquote></li>')
    sources = "".join(items)
    body = "".join(f"<p>{esc(line.strip())}</p>" for line in answer.text.splitlines() if line.strip())
    return (f'<section class="projector"><h2>{esc(L["proj_h"])}</h2><p class="proj-q">{esc(answer.question)}</p>'
            f'<div class="proj-a">{body}</div>'
            f'<h3>{esc(L["sources"] if answer.found else L["related"])}</h3><ol class="proj-sources">{sources}</ol></section>')


def render_passage(c: Citation) -> str:
    """A citation's text with its supporting words wrapped in <mark>."""
    return "".join(f'<mark class="hl">{esc(t)}</mark>' if marked else esc(t) for t, marked in segments(c))


def render_sources(answer: Answer | None, turn: int, lang: str, active: int | None = None,
                   paged: set[str] | frozenset[str] = frozenset()) -> str:
    """The sources panel: one card per citation (or related passage when nothing was found).

    `paged` holds the ids of documents with real pages (PDFs), whose page numbers are shown."""
    L = texts_for(lang)
    if answer is None:
        return (f'<div class="sources"><h3>{esc(L["sources"])}</h3>'
                f'<p class="empty">{esc(L["sources_empty"])}</p></div>')
    cites = answer.citations if answer.found else answer.related
    heading = L["sources"] if answer.found else L["related"]
    cards = []
    for c in cites:
        meta = [x for x in (_when(c), f'{L["section"]} {c.section}' if c.section else L["intro"],
                            f'{L["page"]} {c.page}' if c.page and c.doc_id in paged else "") if x]
        cls = "card active" if active == c.n else "card"
        cards.append(
            f'<article class="{cls}" role="button" tabindex="0" data-action="open" data-turn="{turn}" data-n="{c.n}" '
            f'aria-label="{esc(L["open"])}: {esc(c.title)}">'
            f'<header><span class="num">[{c.n}]</span><span class="title">{esc(c.title)}</span></header>'
            f'<div class="meta">{" · ".join(esc(m) for m in meta)}</div>'
            f'<blockquote>{render_passage(c)}</blockquote>'
            f'<span class="open">{esc(L["open"])} →</span></article>'
        )
    question = f'<p class="for">{esc(answer.question)}</p>'
    return f'<div class="sources"><h3>{esc(heading)} <span class="count">{len(cites)}</span></h3>{question}{"".join(cards)}</div>'


COLUMN_KEYS = ("c_title", "c_number", "c_when", "c_province", "c_kind", "c_chunks", "c_warnings", "c_file")


def render_documents(docs: Sequence[dict], problems: Sequence[dict], lang: str) -> str:
    """The documents table (metadata, passages, warnings) and the files that could not be read."""
    L = texts_for(lang)
    if not docs and not problems:
        return f'<p class="empty">{esc(L["no_docs"])}</p>'
    head = "".join(f"<th>{esc(L[k])}</th>" for k in COLUMN_KEYS)
    rows = []
    for d in docs:
        warnings = "".join(f"<li>{esc(localize_warning(w, lang))}</li>" for w in d.get("warnings") or [])
        cells = [("t", d.get("title")), ("", d.get("number") or ""), ("", when_label(d.get("year"), d.get("period"))),
                 ("", d.get("province") or ""), ("", d.get("kind") or ""), ("n", int(d.get("chunks") or 0)), ("w", None),
                 ("f", Path(str(d.get("path") or "")).name)]
        tds = []
        # data-label: on a phone each row becomes a card and every cell says what it is (the header is hidden).
        for (cls, value), key in zip(cells, COLUMN_KEYS):
            body = (f"<ul>{warnings}</ul>" if warnings else "") if cls == "w" else esc(value)
            attrs = f' class="{cls}"' if cls else ""
            tds.append(f'<td{attrs} data-label="{esc(L[key])}">{body}</td>')
        rows.append(f"<tr>{''.join(tds)}</tr>")
    out = [f'<h3>{esc(L["docs_h"])} <span class="count">{len(docs)}</span></h3>',
           f'<div class="table-wrap"><table class="docs"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>']
    if problems:
        items = "".join(f'<li><span class="f">{esc(Path(str(p.get("path"))).name)}</span>: {esc(p.get("reason"))}</li>'
                        for p in problems)
        out.append(f'<h3 class="problems-h">{esc(L["problems_h"])}</h3><ul class="problems">{items}</ul>')
    return "".join(out)


def render_status(status: dict, lang: str, compact: bool = False) -> str:
    """Indexing state as a status line with a progress bar while work is running."""
    L = texts_for(lang)
    state = status.get("state")
    if state == "ready" and not status.get("running"):
        if compact:
            return ""
        return f'<div class="status ok"><span class="dot"></span>{esc(L["st_ready"])} <span class="muted">{esc(localize_status(status.get("message") or "", lang))}</span></div>'
    if state == "error" and not status.get("running"):
        return f'<div class="status err"><strong>{esc(L["st_error"])}:</strong> {esc(status.get("error"))}</div>'
    label = L["st_starting"] if not status.get("ready") else L["st_indexing"]
    done, total = int(status.get("done") or 0), int(status.get("total") or 0)
    stage = L.get(f'stage_{status.get("stage")}', status.get("stage") or "")
    pct = int(100 * done / total) if total else 0
    detail = f" — {esc(stage)} {done}/{total}" if total else ""
    bar = f'<div class="bar"><div style="width:{pct}%"></div></div>' if total else '<div class="bar moving"><div></div></div>'
    return f'<div class="status busy" role="status"><span>{esc(label)}{detail}</span>{bar}</div>'


# --- the page -----------------------------------------------------------------------------
CSS = """
:root { --navy: #1b2a4a; --red: #a3161a; --ink: #1c1f24; --muted: #5b6270; --line: #d9dde4; --paper: #ffffff;
        --bg: #f3f4f7; --mark: #fff0a6; --passage: #e8eefb; }
.gradio-container { max-width: 1440px !important; margin: 0 auto !important; font-size: 17px; color: var(--ink); }
body, .gradio-container { background: var(--bg) !important; }
#header-row { background: var(--navy); border-top: 6px solid var(--red); border-radius: 10px; padding: 14px 22px;
               align-items: center !important; gap: 16px; margin-bottom: 6px; }
#app-header { color: #fff; }
#app-header h1 { margin: 0; font-size: 1.65em; font-weight: 700; letter-spacing: .01em; color: #fff; line-height: 1.25; }
#app-header p { margin: 6px 0 0; color: #d5dcea; font-size: .95em; }
.join { text-align: center; }
.join h2 { color: var(--navy); font-size: 1.6em; margin: 8px 0; }
.join-address { font-size: 2.6em; font-weight: 700; color: var(--navy); margin: 10px 0; overflow-wrap: anywhere;
                font-family: Consolas, "DejaVu Sans Mono", monospace; }
.join-qr svg { width: min(70vh, 90vw, 560px); height: auto; display: block; margin: 0 auto; }
.join-note { color: #7a5a00; max-width: 48em; margin: 10px auto; }
.projector { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 18px 26px; margin-top: 16px; }
.projector h2 { font-size: 1.3em; color: var(--muted); margin: 0 0 6px; }
.proj-q { font-size: 2.2em; font-weight: 700; color: var(--navy); margin: 0 0 12px; line-height: 1.3; overflow-wrap: anywhere; }
.proj-a p { font-size: 1.9em; line-height: 1.45; margin: .3em 0; overflow-wrap: anywhere; }
.projector h3 { font-size: 1.4em; color: var(--navy); margin: 18px 0 6px; }
.proj-sources li { font-size: 1.5em; line-height: 1.4; margin-bottom: 12px; overflow-wrap: anywhere; }
.proj-sources .num { color: var(--red); font-weight: 700; }
.proj-sources blockquote { margin: 4px 0 0; font-size: .9em; white-space: pre-line; }
.proj-empty { font-size: 1.4em; color: var(--muted); }
#logout-link { float: right; margin-left: 12px; color: #fff; font-size: .9em; border: 1px solid rgba(255,255,255,.45);
               border-radius: 8px; padding: 3px 12px; text-decoration: none; }
#logout-link:hover, #logout-link:focus-visible { background: rgba(255,255,255,.15); }
#lang-switch { background: transparent !important; border: 0 !important; box-shadow: none !important; flex-grow: 0 !important; }
#lang-switch .wrap { flex-wrap: nowrap; }
#lang-switch label { background: rgba(255,255,255,.1) !important; border-color: rgba(255,255,255,.35) !important; }
#lang-switch label, #lang-switch span { color: #fff !important; white-space: nowrap; }
#lang-switch label.selected { background: #fff !important; }
#lang-switch label.selected span { color: var(--navy) !important; font-weight: 600; }
.chat { display: flex; flex-direction: column; gap: 14px; padding: 6px 8px 6px 4px; position: relative;
        max-height: 58vh; min-height: 240px; overflow-y: auto; scroll-behavior: smooth; }
.welcome { background: var(--paper); border: 1px solid var(--line); border-left: 5px solid var(--navy);
           border-radius: 10px; padding: 14px 18px; }
.welcome h2 { margin: 0 0 4px; font-size: 1.15em; color: var(--navy); }
.welcome p { margin: 0; line-height: 1.55; }
.msg { display: flex; }
.msg.user { justify-content: flex-end; }
.msg .bubble { max-width: 94%; border-radius: 12px; padding: 10px 16px; line-height: 1.6; }
.msg.user .bubble { background: var(--navy); border-bottom-right-radius: 3px; }
.msg.user .bubble, .msg.user .bubble * { color: #fff !important; }
.msg.bot .bubble { background: var(--paper); border: 1px solid var(--line); border-bottom-left-radius: 3px;
                   box-shadow: 0 1px 2px rgba(20,30,50,.06); }
.msg.bot .bubble.not-found { border-left: 5px solid #c58a00; }
.msg .who { display: block; font-size: .78em; text-transform: uppercase; letter-spacing: .06em; opacity: .75;
            margin-bottom: 2px; font-weight: 600; }
.msg .q { white-space: pre-wrap; overflow-wrap: anywhere; }
.answer p { margin: .35em 0; overflow-wrap: anywhere; }
.answer ul { margin: .3em 0 .3em 1.1em; padding: 0; }
.answer li { margin: .35em 0; overflow-wrap: anywhere; }
.notice { font-size: .9em; color: var(--muted); font-style: italic; margin: 0 0 4px; }
.hint { font-size: .9em; color: #7a5a00; margin: .4em 0 0; }
.error { color: var(--red); }
.thinking { color: var(--muted); }
.thinking .dots::after { content: "⋯"; margin-right: 6px; }
button.cite { font: inherit; font-size: .85em; font-weight: 700; color: var(--red); background: #fbeaea;
              border: 1px solid #efc4c4; border-radius: 6px; padding: 0 5px; margin: 0 1px; cursor: pointer;
              vertical-align: baseline; line-height: 1.4; }
button.cite:hover, button.cite:focus-visible { background: var(--red); color: #fff; outline: none; }
.fb-bar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 10px; padding-top: 8px;
          border-top: 1px dashed var(--line); }
button.fb { font: inherit; font-size: .82em; background: #f5f6f9; color: var(--ink); border: 1px solid var(--line);
            border-radius: 999px; padding: 3px 12px 3px 9px; cursor: pointer; display: inline-flex; align-items: center; gap: 5px; }
button.fb svg { width: 1.05em; height: 1.05em; fill: currentColor; }
button.fb:hover { border-color: var(--navy); }
button.fb[aria-pressed="true"] { background: var(--navy); color: #fff; border-color: var(--navy); }
.fb-thanks { font-size: .82em; color: #2e6b2e; }
button.turn-copy { margin-left: auto; }
button.fb.done { background: #eaf4ea; border-color: #2e8b3e; color: #22502a; }
.sources h3, #docs-table h3 { margin: 2px 0 8px; font-size: 1.08em; color: var(--navy); display: flex; align-items: center; gap: 8px; }
.sources .count, #docs-table .count { background: var(--navy); color: #fff; border-radius: 999px; font-size: .75em;
                                      padding: 0 8px; }
.sources .for { margin: 0 0 10px; color: var(--muted); font-size: .9em; font-style: italic; overflow-wrap: anywhere; }
.sources .empty, #docs-table .empty { color: var(--muted); line-height: 1.55; }
.card { background: var(--paper); border: 1px solid var(--line); border-left: 4px solid var(--navy); border-radius: 10px;
        padding: 10px 14px; margin-bottom: 10px; cursor: pointer; transition: box-shadow .15s, border-color .15s; }
.card:hover, .card:focus-visible { box-shadow: 0 2px 10px rgba(20,30,50,.12); border-left-color: var(--red); outline: none; }
.card.active { border-left-color: var(--red); box-shadow: 0 0 0 2px #efc4c4; }
.card header { display: flex; gap: 8px; align-items: baseline; }
.card .num, .viewer-head .num { color: var(--red); font-weight: 700; }
.card .title { font-weight: 600; line-height: 1.35; }
.card .meta, .viewer-head .meta { color: var(--muted); font-size: .86em; margin: 3px 0 6px; }
#sources .card blockquote { margin: 0 !important; padding: 6px 10px; background: #f7f8fb; border-radius: 6px; font-size: .93em;
                   line-height: 1.55; white-space: pre-line; overflow-wrap: anywhere; max-height: 16em; overflow: auto; }
mark.hl { background: var(--mark); color: inherit; padding: 0 1px; border-radius: 2px; font-weight: 600; }
.card .open { display: inline-block; margin-top: 6px; font-size: .85em; color: var(--navy); font-weight: 600; }
.viewer-overlay { position: fixed; inset: 0; background: rgba(15, 22, 38, .55); z-index: 1000; display: flex;
                  align-items: center; justify-content: center; padding: 2vh 2vw; }
.viewer-overlay.closed { display: none; }
.viewer-panel { background: var(--paper); border-radius: 12px; width: min(960px, 100%); max-height: 94vh; display: flex;
                flex-direction: column; box-shadow: 0 12px 40px rgba(0,0,0,.3); border-top: 6px solid var(--red); }
.viewer-head { display: flex; justify-content: space-between; gap: 12px; padding: 14px 18px; border-bottom: 1px solid var(--line); }
.viewer-head h3 { display: inline; margin: 0; font-size: 1.1em; color: var(--navy); }
.viewer-head .hint { font-size: .82em; color: var(--muted); }
.viewer-close { font: inherit; align-self: flex-start; white-space: nowrap; background: var(--navy); color: #fff; border: 0;
                border-radius: 8px; padding: 6px 12px; cursor: pointer; }
.doc-text { overflow: auto; padding: 16px 22px; white-space: pre-wrap; line-height: 1.65; overflow-wrap: anywhere;
            font-size: .97em; }
mark.passage { background: var(--passage); font-weight: 500; color: inherit; box-shadow: -6px 0 0 var(--passage), 6px 0 0 var(--passage);
                -webkit-box-decoration-break: clone; box-decoration-break: clone; padding: 2px 0; }
.page-break { display: block; text-align: center; color: var(--muted); font-size: .8em; margin: 8px 0; }
.page-break.ocr { color: #7a5a00; }
.viewer-body { display: flex; min-height: 0; flex: 1 1 auto; }
.viewer-body .doc-text { flex: 1 1 auto; min-width: 0; }
.page-scan { flex: 0 0 46%; margin: 0; padding: 12px; overflow: auto; background: #eef0f4; border-right: 1px solid var(--line); }
.page-scan figure { margin: 0 0 14px; }
.page-scan img { display: block; width: 100%; height: auto; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
.page-scan figcaption { text-align: center; color: var(--muted); font-size: .82em; margin-top: 6px; }
.viewer-panel.with-scan { width: min(1360px, 100%); }
.ocr-note { font-size: .85em; color: #7a5a00; margin-top: 4px; }
.ocr-badge { display: inline-block; font-weight: 700; font-size: .8em; letter-spacing: .05em; color: #fff; background: #a06b00;
             border-radius: 4px; padding: 0 6px; }
.cut { color: var(--muted); font-style: italic; }
.status { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; padding: 8px 12px; border-radius: 8px;
          font-size: .92em; }
.status.ok { background: #eaf4ea; color: #22502a; }
.status.ok .dot { width: 9px; height: 9px; border-radius: 50%; background: #2e8b3e; display: inline-block; }
.status .muted { color: #4d6a52; font-size: .9em; }
.status.busy { background: #eef2fb; color: var(--navy); }
.status.err { background: #fbeaea; color: var(--red); }
.status .bar { flex: 1 1 200px; height: 8px; background: #d5def0; border-radius: 99px; overflow: hidden; }
.status .bar div { height: 100%; background: var(--navy); transition: width .3s; }
.status .bar.moving div { width: 30%; animation: bar-slide 1.4s ease-in-out infinite; }
@keyframes bar-slide { from { margin-left: -30%; } to { margin-left: 100%; } }
.table-wrap { overflow-x: auto; }
table.docs { width: 100%; border-collapse: collapse; font-size: .92em; background: var(--paper); }
table.docs th { text-align: left; background: var(--navy); color: #fff; padding: 8px 10px; font-weight: 600; }
table.docs td { padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
table.docs td.t { font-weight: 600; min-width: 14em; }
table.docs td.n { text-align: right; }
table.docs td.w ul, ul.problems { margin: 0; padding-left: 1.1em; color: #8a5a00; }
table.docs td.f, .problems .f { font-family: Consolas, "DejaVu Sans Mono", monospace; font-size: .85em; color: var(--muted); }
.problems-h { margin-top: 16px !important; }
#ask-row { align-items: flex-end; gap: 8px; }
#filter-chips-row { align-items: center; gap: 8px; }
.chips { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.chips-h { color: var(--muted); font-size: .9em; }
.chips ul { display: contents; }
.chips li.chip { list-style: none; background: #e8eefb; color: var(--navy); border: 1px solid #b9c6e2; border-radius: 999px;
                 padding: 2px 12px; font-size: .88em; overflow-wrap: anywhere; }
.chips li.chip .k { color: var(--muted); }
#ask-btn { min-width: 90px; }
#examples-row button { white-space: normal; text-align: left; font-size: .9em; }
#examples-label { color: var(--muted); font-size: .9em; margin: 2px 0 -4px; }
#footer-note, #footer-note * { color: var(--muted) !important; font-size: .85rem; text-align: center; }
button.secondary { border: 1px solid #c4cad5 !important; }
button.secondary:hover { border-color: var(--navy) !important; }
button.stop { color: var(--red) !important; border: 1px solid #e3b3b3 !important; background: #fff !important; }
#chat-status { margin-bottom: -6px; }
#transcript { background: transparent; }
@media (max-width: 820px) {
  #transcript .html-container, #sources .html-container { padding-left: 0 !important; padding-right: 0 !important; }
  .chat { max-height: 70vh; padding-right: 2px; }
  .msg.bot .bubble { padding: 8px 12px; }
  #header-row { padding: 10px 12px; }
  #app-header h1 { font-size: 1.25em; }
  /* A phone cannot hold the title and the language switch side by side: stack the switch under it. */
  #header-row { flex-direction: column !important; align-items: stretch !important; gap: 8px; }
  #header-row > * { min-width: 0 !important; width: 100% !important; flex: none !important; }
  #lang-switch .wrap { justify-content: flex-start; }
  /* Five tabs do not fit one line on a phone: let the tab bar shrink to the screen (instead of widening the
     page), so Gradio folds the extra tabs into its "More tabs" menu. */
  #tabs .tab-wrapper { height: auto !important; }
  #tabs .tab-container { flex-wrap: wrap !important; height: auto !important; overflow: visible !important; row-gap: 2px; }
  #tabs .tab-container button { padding: 6px 10px !important; }
  .msg .bubble { max-width: 100%; }
  .viewer-overlay { padding: 0; }
  .viewer-panel { max-height: 100vh; height: 100vh; border-radius: 0; }
  /* A phone has no room beside the text: the scan comes above it, at most a third of the screen high. */
  .viewer-body { flex-direction: column; }
  .page-scan { flex: 0 0 auto; max-height: 34vh; border-right: 0; border-bottom: 1px solid var(--line); }
  /* Eight columns cannot share 390 px: each document becomes a card of labelled lines, so file names and
     titles wrap at word boundaries instead of every few characters, and the page keeps the screen's width. */
  table.docs:not(.mx) thead { display: none; }
  table.docs:not(.mx), table.docs:not(.mx) tbody, table.docs:not(.mx) tr, table.docs:not(.mx) td { display: block; }
  table.docs:not(.mx) tr { border: 1px solid var(--line); border-left: 4px solid var(--navy); border-radius: 8px;
                           margin-bottom: 10px; padding: 6px 0; }
  table.docs:not(.mx) td { border: 0; padding: 2px 12px; min-width: 0 !important; text-align: left !important;
                           overflow-wrap: break-word; }
  table.docs:not(.mx) td:empty { display: none; }
  table.docs:not(.mx) td:not(.t)::before { content: attr(data-label) ": "; color: var(--muted); font-size: .85em;
                                           font-family: inherit; }
  table.docs:not(.mx) td.f { overflow-wrap: anywhere; }
  /* The responsibility matrix keeps its columns (it is compared across rows): it scrolls inside its own box,
     never the page. */
  #mx-table { max-width: calc(100vw - 20px); }
  #mx-table .table-wrap { max-width: 100%; overflow-x: auto; }
}
"""

# Gradio scopes the custom CSS to the page's content; rules for the page's own frame go into <head>.
# On paper (Ctrl+P) the page is the conversation: every turn (the chat box stops scrolling), each answer
# followed by its sources, and none of the controls, filters, tabs or the sources panel of one turn.
PRINT_CSS = """
.print-sources { display: none; }
@media print {
  @page { margin: 16mm 14mm; }
  html, body, .gradio-container, .gradio-container .main, .gradio-container .wrap, .gradio-container .contain {
    background: #fff !important; height: auto !important; max-height: none !important; overflow: visible !important;
    min-height: 0 !important; }
  #header-row, #chat-status, #tabs .tab-wrapper, #note-row, #ask-row, #filter-chips-row, #examples-label,
  #examples-row, #filters, #actions-row, #sources-col, #viewer, #footer-note, footer, .fb-bar, .toast-wrap,
  #tabs > .tab-nav, #tabs [role=tablist] { display: none !important; }
  #transcript .chat { max-height: none !important; overflow: visible !important; min-height: 0 !important; }
  .msg .bubble { max-width: 100% !important; box-shadow: none !important; break-inside: auto; }
  .msg.user .bubble { background: #fff !important; border: 1px solid #1b2a4a; }
  .msg.user .bubble, .msg.user .bubble * { color: #000 !important; }
  button.cite { background: none !important; border: 0 !important; color: #000 !important; padding: 0 !important; }
  .print-sources { display: block; margin-top: 8px; padding-top: 6px; border-top: 1px solid #999; font-size: .9em; }
  .print-sources h4 { margin: 0 0 4px; }
  .print-sources ol { list-style: none; margin: 0; padding: 0; }
  .print-sources li { margin: 0 0 6px; break-inside: avoid; }
  .print-sources blockquote { margin: 2px 0 0 12px; white-space: pre-line; }
}
"""
# Gradio 6 titles a toast with its type in English ("Warning") whatever title it is given: on a page in another
# language (html lang, served and set by LANG_HEAD) the title is drawn from that language's TEXTS instead.
TOAST_TITLES_CSS = "".join(
    f'html[lang={lang}] .toast-title.{kind} {{ font-size: 0 !important; }} '
    f'html[lang={lang}] .toast-title.{kind}::before {{ content: "{TEXTS[lang][key]}"; font-size: var(--text-md, 14px); }} '
    f'html[lang={lang}] .toast-title .toast-count {{ font-size: var(--text-sm, 12px); }} '
    for lang in TEXTS if lang != "en"
    for kind, key in (("warning", "t_warn"), ("info", "t_info"), ("error", "t_error"), ("success", "t_success")))
HEAD = "<style>" + PRINT_CSS + TOAST_TITLES_CSS + "</style>" + """<style>
@media (min-width: 1700px) { .gradio-container { font-size: 19px !important; } }
@media (max-width: 820px) {
  .gradio-container { font-size: 16px !important; }
  .gradio-container .main.app { padding-left: 8px !important; padding-right: 8px !important; }
}
</style>"""

TRANSCRIPT_JS = """
// Copy and ask-again stay in the browser. The clipboard API exists only on https or localhost: a workshop
// served over http on the LAN copies through a selected textarea instead.
const copyText = async (text) => {
  if (navigator.clipboard && window.isSecureContext) {
    try { await navigator.clipboard.writeText(text); return true; } catch (err) { /* fall through */ }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed'; area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch (err) { ok = false; }
  area.remove();
  return ok;
};
element.addEventListener('click', async (e) => {
  const local = e.target.closest('[data-local]');
  if (local && element.contains(local)) {
    e.preventDefault();
    if (local.dataset.local === 'copy') {
      if (await copyText(local.dataset.copy || '')) {
        const label = local.querySelector('span');
        const before = label.textContent;
        label.textContent = local.dataset.done || before;
        local.classList.add('done');
        setTimeout(() => { label.textContent = before; local.classList.remove('done'); }, 2000);
      }
    } else if (local.dataset.local === 'again') {
      const q = element.querySelector('#question-' + local.dataset.turn + ' .q');
      const box = document.querySelector('#question textarea');
      if (!q || !box) return;
      const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
      setter.call(box, q.textContent);
      box.dispatchEvent(new Event('input', {bubbles: true}));
      setTimeout(() => document.querySelector('#ask-btn')?.click(), 50);
    }
    return;
  }
  const t = e.target.closest('[data-action]');
  if (!t || !element.contains(t)) return;
  e.preventDefault();
  trigger('click', {action: t.dataset.action, turn: Number(t.dataset.turn), n: Number(t.dataset.n || 0),
                    kind: t.dataset.kind || ''});
});
element.addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && e.target.matches && e.target.matches('article[data-action]')) {
    e.preventDefault(); e.target.click();
  }
});
"""

SCROLL_JS = """
// Show the newest question at the top of the chat box, so a long answer is read from its start.
watch('value', () => {
  const chat = element.querySelector('.chat');
  const users = element.querySelectorAll('.msg.user');
  if (chat && users.length) chat.scrollTop = users[users.length - 1].offsetTop - 4;
});
"""

# The page's language for the browser, screen readers and Gradio's own strings: <html lang> (Gradio sets "en"
# from the browser's locale), Gradio's i18n locale (its changeLocale, from the module that already holds its
# translations: importing the same URL returns the same module) and the "More tabs" button Gradio labels itself.
# Gradio 6.31 picks a component's own strings when it is first drawn, so LANG_HEAD sets the locale before the first
# draw and a switch by hand reloads the page (SWITCH_JS); this covers the language set when the page opens.
LOCALE_JS = r"""
async (lg) => {
  document.documentElement.lang = lg;
  const moreTabs = {MORE_TABS};
  const relabel = () => document.querySelectorAll('#tabs .overflow-menu > button').forEach(
    (b) => b.setAttribute('aria-label', moreTabs[lg] || moreTabs.vi));
  relabel();
  try {
    const core = performance.getEntriesByType('resource').map((r) => r.name)
      .find((u) => /\/assets\/core-[^/]*\.js$/.test(new URL(u).pathname));
    if (core) {
      const gradio = await import(core);
      if (gradio.changeLocale) await gradio.changeLocale(lg);
    }
  } catch (e) { console.warn('language of Gradio strings not switched', e); }
  document.documentElement.lang = lg;  // changeLocale sets it too; keep ours whatever it does
  setTimeout(relabel, 500);
  return [];
}
"""

# Remember the language chosen by hand (a cookie: the server writes it into <html lang> and the page opens in it)
# and reload, so every string Gradio draws itself is drawn again in that language.
SWITCH_JS = """
(lg) => {
  document.cookie = '""" + LANG_COOKIE + """=' + lg + '; path=/; max-age=31536000; SameSite=Lax';
  document.documentElement.lang = lg;
  setTimeout(() => window.location.reload(), 150);
  return [];
}
"""

# Before Gradio draws the page: its own strings in the page's language from the first component on (Gradio
# chooses its locale from the browser and ships no Vietnamese; the locale set here is what components read).
LANG_HEAD = """<script>
(() => {
  const m = document.cookie.match(/(?:^|; )""" + LANG_COOKIE + """=(vi|en)(?:;|$)/);
  const lg = m ? m[1] : 'vi';
  document.documentElement.lang = lg;
  const core = performance.getEntriesByType('resource').map((r) => r.name)
    .find((u) => /\\/assets\\/core-[^/]*\\.js$/.test(new URL(u).pathname));
  if (core) import(core).then((g) => g.changeLocale && g.changeLocale(lg)).catch(() => {});
})();
</script>"""


def page_language(request: Any) -> str:
    """The interface language this browser chose last (its cookie), Vietnamese by default."""
    from http.cookies import SimpleCookie

    headers = getattr(request, "headers", None) or {}
    cookies = SimpleCookie()
    try:
        cookies.load(headers.get("cookie", "") or "")
    except Exception:  # a malformed cookie header: the default language
        return "vi"
    value = cookies[LANG_COOKIE].value if LANG_COOKIE in cookies else "vi"
    return value if value in TEXTS else "vi"


def _theme(gr: Any):
    # System font stacks only: Gradio's default theme fetches web fonts, and this app makes no outbound requests.
    theme = gr.themes.Base(
        primary_hue=gr.themes.colors.red,
        secondary_hue=gr.themes.colors.blue,
        neutral_hue=gr.themes.colors.slate,
        text_size=gr.themes.sizes.text_lg,
        radius_size=gr.themes.sizes.radius_md,
        font=FONT_STACK,
        font_mono=MONO_STACK,
    ).set(
        body_background_fill="#f3f4f7",
        body_text_color="#1c1f24",
        button_primary_background_fill="#a3161a",
        button_primary_background_fill_hover="#86110f",
        button_primary_text_color="#ffffff",
        button_primary_border_color="#a3161a",
        button_secondary_background_fill="#ffffff",
        button_secondary_border_color="#c4cad5",
        button_secondary_text_color="#1b2a4a",
        block_border_color="#d9dde4",
        input_border_color_focus="#1b2a4a",
        color_accent_soft="#e8eefb",
    )
    # A government office wants the same look on every screen: no automatic dark mode.
    for name in list(vars(theme)):
        if name.endswith("_dark") and not name.startswith("_") and hasattr(theme, name[:-5]):
            setattr(theme, name, getattr(theme, name[:-5]))
    return theme


def _filters(docs: Sequence[str] | None, province: str | None, year: str | None) -> dict:
    out: dict[str, Any] = {}
    if docs:
        out["document"] = list(docs)
    if province:
        out["province"] = province
    if year:
        try:
            out["year"] = int(year)
        except (TypeError, ValueError):
            pass
    return out


def _filter_choices(service: Service) -> tuple[list, list, list]:
    """(documents, provinces, years) for the filter dropdowns."""
    docs = service.documents()["documents"] if service.ready else []
    documents = []
    provinces, years = set(), set()
    for d in docs:
        when = when_label(d.get("year"), d.get("period"))
        label = str(d.get("title") or d["doc_id"])
        label = (label[:70] + "…" if len(label) > 72 else label) + (f" ({when})" if when else "")
        documents.append((label, d["doc_id"]))
        if d.get("province"):
            provinces.add(d["province"])
        if d.get("year"):
            years.add(int(d["year"]))
        m = re.match(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$", str(d.get("period") or ""))
        if m and 0 <= int(m.group(2)) - int(m.group(1)) <= 30:
            years.update(range(int(m.group(1)), int(m.group(2)) + 1))
    return documents, sorted(provinces), [str(y) for y in sorted(years, reverse=True)]


def _export_files(session: ChatSession, lang: str) -> tuple[str, str]:
    """Write the conversation as Markdown and DOCX into this session's temporary folder."""
    folder = export_folder("chat", session.id)
    stamp = time.strftime("%Y%m%d-%H%M")
    name = "hoi-dap" if lang == "vi" else "questions-answers"
    md = folder / f"{name}-{stamp}.md"
    md.write_text(to_markdown(session.answers, lang), encoding="utf-8")
    private(md)
    docx = private(to_docx(session.answers, folder / f"{name}-{stamp}.docx", lang))
    for old in folder.iterdir():  # keep only the newest pair
        if old not in (md, docx):
            old.unlink(missing_ok=True)
    return str(md), str(docx)


def build_ui(service: Service):
    """The Gradio Blocks of the page (chat tab and documents tab) over a service.Service."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    import gradio as gr

    settings = service.settings
    V = TEXTS["vi"]

    def header_html(lang: str) -> str:
        L = texts_for(lang)
        # Gradio's /logout forgets the login and goes back to /, which sends a visitor to the login page.
        logout = (f'<a id="logout-link" href="logout">{esc(L["logout"])}</a>' if service.accounts.any else "")
        return f'<div id="app-header">{logout}<h1>{esc(L["title"])}</h1><p>{esc(L["subtitle"])}</p></div>'

    # delete_cache: uploads and exports copied into Gradio's cache are removed after a day.
    with gr.Blocks(title=V["title"], analytics_enabled=False, fill_width=False, delete_cache=(3600, 86400)) as demo:
        session = gr.State(None)
        # The conversation survives a reload in this browser's localStorage (never on the server, where the
        # participants' shared account would mix everyone's questions).
        history = gr.BrowserState(None, storage_key=HISTORY_KEY, secret=browser_secret(settings.data_dir))
        with gr.Row(elem_id="header-row", equal_height=True):
            header = gr.HTML(header_html("vi"), js_on_load=None, scale=5)
            lang = gr.Radio(LANG_CHOICES, value="vi", label=V["lang"], show_label=False, elem_id="lang-switch", scale=0,
                            min_width=250, container=False)
        banner = gr.HTML("", js_on_load=None, elem_id="chat-status", visible=False)
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab(V["tab_chat"], id="chat", elem_id="tab-chat") as tab_chat:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=420):
                        transcript = gr.HTML(render_transcript(None, "vi"), js_on_load=TRANSCRIPT_JS + SCROLL_JS,
                                             elem_id="transcript")
                        with gr.Row(visible=False, elem_id="note-row") as note_row:
                            note = gr.Textbox(label=V["note"], lines=2, max_length=4000, scale=4, elem_id="note-box")
                            note_btn = gr.Button(V["note_send"], scale=1, elem_id="note-btn")
                        with gr.Row(elem_id="ask-row", equal_height=True):
                            question = gr.Textbox(label=V["question"], placeholder=V["placeholder"], lines=1, max_lines=5,
                                                  scale=5, max_length=QUESTION_BOX_CHARS, elem_id="question",
                                                  autofocus=True)
                            ask_btn = gr.Button(V["send"], variant="primary", scale=1, elem_id="ask-btn", min_width=90)
                        # The filters in force, by the question box: the accordion that sets them is usually closed.
                        with gr.Row(elem_id="filter-chips-row", visible=False, equal_height=True) as chips_row:
                            chips = gr.HTML("", js_on_load=None, elem_id="filter-chips", scale=5)
                            clear_btn = gr.Button(V["f_clear"], size="sm", scale=0, min_width=120, elem_id="clear-filters")
                        examples_label = gr.Markdown(V["examples"], elem_id="examples-label")
                        with gr.Row(elem_id="examples-row"):
                            example_btns = [gr.Button(q, size="sm", elem_classes=["example"]) for q in EXAMPLES["vi"]]
                        with gr.Accordion(V["filters"], open=False, elem_id="filters") as filters_box:
                            with gr.Row():
                                f_docs = gr.Dropdown([], multiselect=True, label=V["f_docs"], scale=3, elem_id="f-docs")
                                # "All" is a choice of its own: a single-choice dropdown cannot otherwise be emptied.
                                f_province = gr.Dropdown([(V["f_all"], "")], value="", label=V["f_province"], scale=1,
                                                         elem_id="f-province")
                                f_year = gr.Dropdown([(V["f_all"], "")], value="", label=V["f_year"], scale=1,
                                                     elem_id="f-year")
                        with gr.Row(elem_id="actions-row"):
                            new_btn = gr.Button(V["new"], elem_id="new-btn", size="md")
                            md_btn = gr.DownloadButton(V["md"], interactive=False, elem_id="md-btn", size="md")
                            docx_btn = gr.DownloadButton(V["docx"], interactive=False, elem_id="docx-btn", size="md")
                    with gr.Column(scale=2, min_width=320, elem_id="sources-col"):
                        sources = gr.HTML(render_sources(None, -1, "vi"), js_on_load=TRANSCRIPT_JS, elem_id="sources")
                viewer = gr.HTML("", js_on_load=VIEWER_JS, elem_id="viewer")
            with gr.Tab(V["tab_docs"], id="docs", elem_id="tab-docs") as tab_docs:
                docs_status = gr.HTML("", js_on_load=None, elem_id="docs-status")
                docs_table = gr.HTML("", js_on_load=None, elem_id="docs-table")
                # Shown by role (show_by_role below); the server refuses these events to others all the same.
                with gr.Accordion(V["admin_h"], open=True, elem_id="admin", visible=False) as admin_box:
                    with gr.Row():
                        with gr.Column(scale=3):
                            upload = gr.File(label=V["upload"].format(mb=settings.max_upload_mb), file_count="single",
                                             file_types=[".pdf", ".docx", ".doc", ".rtf", ".odt", ".txt", ".md"], type="filepath",
                                             elem_id="upload", height=140)
                            upload_btn = gr.Button(V["upload_btn"], variant="primary", elem_id="upload-btn")
                        with gr.Column(scale=2):
                            delete_dd = gr.Dropdown([], label=V["delete"], elem_id="delete-doc")
                            delete_btn = gr.Button(V["delete_btn"], variant="stop", elem_id="delete-btn")
                            with gr.Group(visible=False, elem_id="delete-confirm") as confirm_box:
                                confirm_text = gr.Markdown("", elem_id="delete-confirm-text")
                                with gr.Row():
                                    confirm_btn = gr.Button(V["confirm_btn"], variant="stop", size="sm",
                                                            elem_id="delete-confirm-btn")
                                    cancel_btn = gr.Button(V["cancel_btn"], size="sm", elem_id="delete-cancel-btn")
                            undo_btn = gr.Button(V["undo_btn"], visible=False, elem_id="undo-btn")
                            trash_entry = gr.State(None)
                            reindex_btn = gr.Button(V["reindex_btn"], elem_id="reindex-btn")
                with gr.Accordion(V["feedback_h"], open=False, elem_id="room-feedback", visible=False) as feedback_box:
                    feedback_btn = gr.Button(V["feedback_btn"], elem_id="feedback-btn")
                    feedback_file = gr.File(visible=False, interactive=False, elem_id="feedback-file")
            trainer_tabs = build_tabs(gr, service, lang, {"n": 0})  # matrix, compare plans, quiz
            # The trainer's room view: how to join (address and QR code) and the latest answer in large type.
            with gr.Tab(V["tab_room"], id="room", elem_id="tab-room", visible=False) as tab_room:
                join_view = gr.HTML("", js_on_load=None, elem_id="join")
                projector_btn = gr.Button(V["proj_refresh"], size="sm", elem_id="projector-btn")
                projector = gr.HTML("", js_on_load=None, elem_id="projector")
            trainer_tabs = (*trainer_tabs, tab_room)
        footer = gr.Markdown(V["footer"], elem_id="footer-note")
        timer = gr.Timer(1.0, active=False)

        # -- helpers --------------------------------------------------------------------
        def warn(lg: str, message: str) -> None:
            gr.Warning(message, title=texts_for(lg)["t_warn"])  # Gradio 6.31 shows "Warning" anyway: TOAST_TITLES_CSS

        def inform(lg: str, message: str) -> None:
            gr.Info(message, title=texts_for(lg)["t_info"])

        def current(s: ChatSession | None) -> ChatSession:
            return s if isinstance(s, ChatSession) else ChatSession()

        def paged() -> set[str]:
            if not service.ready:
                return set()
            return {doc_id for doc_id, doc in service.bot.store.documents.items() if is_paged(doc)}

        def lists_update(lg: str):
            documents, provinces, years = _filter_choices(service)
            everything = [(texts_for(lg)["f_all"], "")]
            return (gr.update(choices=documents), gr.update(choices=everything + [(p, p) for p in provinces]),
                    gr.update(choices=everything + [(y, y) for y in years]),
                    gr.update(choices=[(label, value) for label, value in documents], value=None))

        # -- asking ---------------------------------------------------------------------
        def on_ask(q: str, s: ChatSession | None, lg: str, docs, province, year):
            s = current(s)
            L = texts_for(lg)
            q = (q or "").strip()
            if not q:
                warn(lg, L["empty_q"])
                yield gr.skip(), gr.skip(), gr.skip(), s, gr.skip(), gr.skip(), gr.skip()
                return
            yield (render_transcript(s, lg, pending=q), gr.skip(), "", s, gr.skip(), gr.skip(), gr.update(visible=False))
            answer, text = None, ""
            try:
                for piece in service.stream(q, history=list(s.answers), filters=_filters(docs, province, year)):
                    if isinstance(piece, str):
                        text += piece
                        yield render_transcript(s, lg, pending=q, partial=text), gr.skip(), gr.skip(), s, gr.skip(), gr.skip(), gr.skip()
                    else:
                        answer = piece
            except AssistantError as exc:
                yield render_transcript(s, lg, pending=q, error=str(exc)), gr.skip(), gr.skip(), s, gr.skip(), gr.skip(), gr.skip()
                return
            except Exception:  # a bug: traceback to the log, a short message on the page
                log.exception("answering %r failed", q)
                yield (render_transcript(s, lg, pending=q, error="internal error (see the server log)"), gr.skip(),
                       gr.skip(), s, gr.skip(), gr.skip(), gr.skip())
                return
            if answer is None:
                return
            s.answers.append(answer)
            s.shown = len(s.answers) - 1
            if len(q) > MAX_QUESTION_CHARS:
                s.cut[s.shown] = len(q)
            try:
                md, docx = _export_files(s, lg)
                exports = (gr.update(value=md, interactive=True), gr.update(value=docx, interactive=True))
            except Exception:  # the answer is what was asked for: a failed export must not take it away
                log.exception("exporting the conversation failed")
                exports = (gr.update(value=None, interactive=False), gr.update(value=None, interactive=False))
            yield (render_transcript(s, lg), render_sources(answer, s.shown, lg, paged=paged()), gr.skip(), s, *exports,
                   gr.skip())

        ask_outputs = [transcript, sources, question, session, md_btn, docx_btn, note_row]
        ask_inputs = [question, session, lang, f_docs, f_province, f_year]
        def save_history(s: ChatSession | None, request: gr.Request):
            return history_to_store(current(s), getattr(request, "username", None))

        save_history.__annotations__["request"] = gr.Request  # resolved here: gradio is imported inside this function
        # "always_last": a question sent while the last answer's event is still closing (its final render is on
        # the page, its completion not yet) runs right after it. Gradio's default, "once", drops it without a
        # word, and the user sees their question sit in the box: it happened on a slow CI machine.
        question.submit(on_ask, ask_inputs, ask_outputs, concurrency_id="answer", trigger_mode="always_last").then(
            save_history, session, history, queue=False)
        ask_btn.click(on_ask, ask_inputs, ask_outputs, concurrency_id="answer", trigger_mode="always_last").then(
            save_history, session, history, queue=False)
        for btn in example_btns:
            btn.click(lambda q: q, btn, question, queue=False).then(on_ask, ask_inputs, ask_outputs, concurrency_id="answer")\
                .then(save_history, session, history, queue=False)

        # A new conversation is a fresh start, filters included: a filter kept from the last conversation is
        # the hidden state behind "the documents do not answer" that users reported.
        def on_new(lg: str):
            s = ChatSession()
            return (render_transcript(s, lg), render_sources(None, -1, lg), "", s,
                    gr.update(value=None, interactive=False), gr.update(value=None, interactive=False),
                    gr.update(visible=False), "", [], "", "")

        new_btn.click(on_new, lang, [transcript, sources, question, session, md_btn, docx_btn, note_row, viewer,
                                     f_docs, f_province, f_year], queue=False).then(save_history, session, history,
                                                                                    queue=False)

        # The page opens in the language chosen last in this browser (a cookie the server also reads for <html lang>)
        # with the conversation this browser kept.
        def on_start(stored, request: gr.Request):
            lg = page_language(request)
            s = history_from_store(stored, getattr(request, "username", None))
            shown = s.answers[s.shown] if s.answers else None
            exports = (gr.skip(), gr.skip())
            if s.answers:
                try:
                    md, docx = _export_files(s, lg)
                    exports = (gr.update(value=md, interactive=True), gr.update(value=docx, interactive=True))
                except Exception:  # the conversation is what matters: a failed export must not hide it
                    log.exception("exporting the restored conversation failed")
            return (lg if lg != "vi" else gr.skip(), render_transcript(s, lg),
                    render_sources(shown, s.shown, lg, paged=paged()), s, *exports)

        on_start.__annotations__["request"] = gr.Request  # resolved here: gradio is imported inside this function
        demo.load(on_start, history, [lang, transcript, sources, session, md_btn, docx_btn], queue=False)

        def on_filters(docs, province, year, lg: str):
            labels = dict(_filter_choices(service)[0])
            html_chips = render_filter_chips([labels.get(d, d) for d in docs or []], province, year, lg)
            return html_chips, gr.update(visible=bool(html_chips))

        filter_inputs = [f_docs, f_province, f_year, lang]
        for box in (f_docs, f_province, f_year):
            box.change(on_filters, filter_inputs, [chips, chips_row], queue=False)
        clear_btn.click(lambda: ([], "", ""), None, [f_docs, f_province, f_year], queue=False)

        # -- clicks on [n] markers, source cards and feedback buttons -------------------------
        nonce = {"n": 0}

        def open_viewer(s: ChatSession, turn: int, n: int, lg: str):
            if not 0 <= turn < len(s.answers):
                return gr.skip()
            a = s.answers[turn]
            c = next((c for c in (*a.citations, *a.related) if c.n == n), None)
            doc = service.bot.store.documents.get(c.doc_id) if c is not None else None
            if doc is None:
                return gr.skip()
            nonce["n"] += 1
            spanned, focus = scanned_pages(doc, c)
            images = [(n, uri) for n in spanned if (uri := scan_image(doc, n))]
            return render_viewer(doc, c, lg, nonce["n"], page_images=images, focus_page=focus)

        def scan_image(doc: Document, number: int) -> str | None:
            """A scanned page's image as a data: URI when its PDF is at hand (rendered once, kept in the data folder)."""
            import base64


            try:
                path = page_image(doc.path, number, Path(settings.data_dir) / "page-images", sha256=doc.sha256)
                return None if path is None else "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode()
            except OSError:  # the text is still worth showing without its picture
                log.exception("rendering page %s of %s failed", number, doc.path)
                return None

        def on_click(s: ChatSession | None, lg: str, evt: gr.EventData):
            s = current(s)
            data = getattr(evt, "_data", None) or {}
            action, turn, n = data.get("action"), int(data.get("turn") or 0), int(data.get("n") or 0)
            if action in ("cite", "open"):
                sources_html = gr.skip()
                if 0 <= turn < len(s.answers) and (action == "cite" or turn != s.shown):
                    s.shown = turn
                    sources_html = render_sources(s.answers[turn], turn, lg, active=n, paged=paged())
                return gr.skip(), sources_html, open_viewer(s, turn, n, lg), gr.skip(), s
            if action == "feedback" and 0 <= turn < len(s.answers):
                kind = data.get("kind")
                a = s.answers[turn]
                cites = [c.to_json() for c in (a.citations if a.found else a.related)]
                try:
                    if turn in s.feedback_ids:  # a changed vote replaces the first: one vote per answer
                        service.feedback.change_vote(s.feedback_ids[turn], kind)
                    else:
                        s.feedback_ids[turn] = service.feedback.record(kind, a.question, a.text, cites, language=lg,
                                                                       session=s.id)
                    s.last_feedback_id = s.feedback_ids[turn]
                except AssistantError as exc:
                    warn(lg, str(exc))
                    return gr.skip(), gr.skip(), gr.skip(), gr.skip(), s
                s.feedback[turn] = kind
                inform(lg, texts_for(lg)["fb_thanks"])
                return (render_transcript(s, lg), gr.skip(), gr.skip(),
                        gr.update(visible=kind != "up"), s)
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), s

        on_click.__annotations__["evt"] = gr.EventData  # resolved here: gradio is imported inside this function
        click_outputs = [transcript, sources, viewer, note_row, session]
        transcript.click(on_click, [session, lang], click_outputs, queue=False)
        sources.click(on_click, [session, lang], click_outputs, queue=False)

        def on_note(text: str, s: ChatSession | None, lg: str):
            s = current(s)
            if s.last_feedback_id is None or not (text or "").strip():
                return gr.skip(), gr.skip()
            service.feedback.add_note(s.last_feedback_id, text.strip())
            inform(lg, texts_for(lg)["note_saved"])
            return "", gr.update(visible=False)

        note_btn.click(on_note, [note, session, lang], [note, note_row], queue=False)
        note.submit(on_note, [note, session, lang], [note, note_row], queue=False)

        # -- language ---------------------------------------------------------------------
        def on_language(lg: str, s: ChatSession | None):
            s = current(s)
            L = texts_for(lg)
            shown = s.answers[s.shown] if 0 <= s.shown < len(s.answers) else None
            docs = service.documents()
            _, province_choices, year_choices, _ = lists_update(lg)  # "Tất cả" / "All" relabelled
            return [
                header_html(lg),
                gr.update(label=L["lang"]),
                gr.update(label=L["tab_chat"]),
                gr.update(label=L["tab_docs"]),
                render_transcript(s, lg),
                render_sources(shown, s.shown, lg, paged=paged()),
                gr.update(label=L["question"], placeholder=L["placeholder"]),
                gr.update(value=L["send"]),
                L["examples"],
                *[gr.update(value=q) for q in EXAMPLES[lg]],
                gr.update(label=L["filters"]),
                gr.update(label=L["f_docs"]),
                {**province_choices, "label": L["f_province"]},
                {**year_choices, "label": L["f_year"]},
                gr.update(value=L["new"]),
                gr.update(label=L["md"]),
                gr.update(label=L["docx"]),
                gr.update(label=L["note"]),
                gr.update(value=L["note_send"]),
                render_status(service.status(), lg),
                render_documents(docs["documents"], docs["problems"], lg),
                gr.update(label=L["admin_h"]),
                gr.update(label=L["upload"].format(mb=settings.max_upload_mb)),
                gr.update(value=L["upload_btn"]),
                gr.update(label=L["delete"]),
                gr.update(value=L["delete_btn"]),
                gr.update(value=L["reindex_btn"]),
                gr.update(value=L["feedback_btn"]),
                L["footer"],
                gr.update(value=render_status(service.status(), lg, compact=True)),
                gr.update(value=L["f_clear"]),
            ]

        locale_js = LOCALE_JS.replace("{MORE_TABS}", json.dumps({k: v["more_tabs"] for k, v in TEXTS.items()}))
        lang.change(None, lang, None, js=locale_js, queue=False)
        # A choice made by hand reloads the page in that language: Gradio draws its own strings once per component,
        # so only a fresh page has every one of them in the new language (the conversation comes back from storage).
        lang.input(None, lang, None, js=SWITCH_JS, queue=False)
        # On opening, the language the page opens in (its cookie), not the radio's default: Gradio's locale is
        # already set by LANG_HEAD, and must not flip to Vietnamese for a moment while components are drawn.
        demo.load(None, lang, None, js="(lg) => { const m = document.cookie.match(/(?:^|; )" + LANG_COOKIE
                  + "=(vi|en)(?:;|$)/); return (" + locale_js.strip() + ")(m ? m[1] : lg); }", queue=False)
        lang.change(on_language, [lang, session], [
            header, lang, tab_chat, tab_docs, transcript, sources, question, ask_btn, examples_label, *example_btns,
            filters_box, f_docs, f_province, f_year, new_btn, md_btn, docx_btn, note, note_btn, docs_status, docs_table,
            admin_box, upload, upload_btn, delete_dd, delete_btn, reindex_btn, feedback_btn, footer, banner,
            clear_btn,
        ], queue=False).then(on_filters, filter_inputs, [chips, chips_row], queue=False)

        # -- the room view (trainers) ------------------------------------------------------
        @requires(TRAINER)
        def on_room(s: ChatSession | None, lg: str, request: gr.Request):
            s = current(s)
            headers = getattr(request, "headers", {}) or {}
            address, loopback = join_address(headers.get("host", ""), "https" if
                                             headers.get("x-forwarded-proto") == "https" else "http")
            latest = s.answers[-1] if s.answers else None
            return render_join(address, loopback, lg), render_projector(latest, lg)

        on_room.__annotations__["request"] = gr.Request  # resolved here: gradio is imported inside this function
        tab_room.select(on_room, [session, lang], [join_view, projector], queue=False)
        projector_btn.click(on_room, [session, lang], [join_view, projector], queue=False)

        # -- documents tab ----------------------------------------------------------------
        @requires(ADMIN)
        def on_upload(path: str | None, lg: str):
            L = texts_for(lg)
            if not path:
                warn(lg, L["pick_file"])
                return gr.skip(), gr.skip(), gr.skip()
            try:
                # Only a file Gradio received from this page: the event can be called by hand with any path.
                if not is_uploaded_file(path):
                    raise UsageError(L["not_uploaded"])
                p = Path(path)
                if p.stat().st_size > settings.max_upload_mb * 1024 * 1024:
                    raise UsageError(f"File too large: more than {settings.max_upload_mb} MB.")
                name = service.add_document(p.name, p.read_bytes())
            except AssistantError as exc:
                warn(lg, str(exc))
                return gr.skip(), render_status(service.status(), lg), gr.skip()
            inform(lg, L["uploaded"].format(name=name))
            return None, render_status(service.status(), lg), gr.Timer(active=True)

        upload_btn.click(on_upload, [upload, lang], [upload, docs_status, timer], concurrency_id="admin",
                         concurrency_limit=1)

        @requires(ADMIN)
        def on_delete_ask(doc_id: str | None, lg: str):
            L = texts_for(lg)
            doc = service.bot.store.documents.get(doc_id or "") if service.ready else None
            if doc is None:
                warn(lg, L["pick_doc"])
                return gr.skip(), gr.skip()
            return gr.update(visible=True), L["confirm_delete"].format(name=doc.title or doc_id)

        delete_btn.click(on_delete_ask, [delete_dd, lang], [confirm_box, confirm_text], queue=False)
        cancel_btn.click(lambda: gr.update(visible=False), None, confirm_box, queue=False)

        @requires(ADMIN)
        def on_delete(doc_id: str | None, lg: str):
            L = texts_for(lg)
            hide = gr.update(visible=False)
            if not doc_id:
                warn(lg, L["pick_doc"])
                return gr.skip(), gr.skip(), hide, gr.skip(), gr.skip()
            try:
                entry = service.delete_document(doc_id)
            except AssistantError as exc:
                warn(lg, str(exc))
                return gr.skip(), gr.skip(), hide, gr.skip(), gr.skip()
            inform(lg, L["deleted"].format(name=entry.split("--", 1)[1]))
            return render_status(service.status(), lg), gr.Timer(active=True), hide, gr.update(visible=True), entry

        confirm_btn.click(on_delete, [delete_dd, lang], [docs_status, timer, confirm_box, undo_btn, trash_entry],
                          concurrency_id="admin", concurrency_limit=1)

        @requires(ADMIN)
        def on_undo(entry: str | None, lg: str):
            try:
                name = service.restore_document(entry or "")
            except AssistantError as exc:
                warn(lg, str(exc))
                return gr.skip(), gr.skip(), gr.update(visible=False), None
            inform(lg, texts_for(lg)["restored"].format(name=name))
            return render_status(service.status(), lg), gr.Timer(active=True), gr.update(visible=False), None

        undo_btn.click(on_undo, [trash_entry, lang], [docs_status, timer, undo_btn, trash_entry], concurrency_id="admin",
                       concurrency_limit=1)

        @requires(ADMIN)
        def on_reindex(lg: str):
            service.reindex()
            return render_status(service.status(), lg), gr.Timer(active=True)

        reindex_btn.click(on_reindex, [lang], [docs_status, timer], concurrency_id="admin", concurrency_limit=1)

        @requires(TRAINER)
        def on_feedback_csv():
            path = export_folder("feedback") / f"phan-hoi-{time.strftime('%Y%m%d-%H%M')}.csv"
            path.write_text(service.feedback.to_csv(), encoding="utf-8")
            private(path)
            return gr.update(value=str(path), visible=True)

        feedback_btn.click(on_feedback_csv, None, feedback_file, queue=False)

        def show_by_role(request: gr.Request):
            role = service.accounts.role_of(getattr(request, "username", None))
            trainer, admin = allows(role, TRAINER), allows(role, ADMIN)
            return (gr.update(visible=admin), gr.update(visible=trainer),
                    *[gr.update(visible=trainer) for _ in trainer_tabs])

        show_by_role.__annotations__["request"] = gr.Request  # resolved here: gradio is imported inside this function
        demo.load(show_by_role, None, [admin_box, feedback_box, *trainer_tabs], queue=False)

        # -- polling while indexing, and the first paint ----------------------------------
        def refresh(lg: str):
            status = service.status()
            docs = service.documents()
            busy = status["running"] or not status["ready"]
            compact = render_status(status, lg, compact=True)
            return (gr.update(value=compact, visible=bool(compact)), render_status(status, lg),
                    render_documents(docs["documents"], docs["problems"], lg), *lists_update(lg),
                    gr.Timer(active=bool(busy)))

        refresh_outputs = [banner, docs_status, docs_table, f_docs, f_province, f_year, delete_dd, timer]
        timer.tick(refresh, lang, refresh_outputs, queue=False)
        demo.load(refresh, lang, refresh_outputs, queue=False)
    demo.queue(default_concurrency_limit=max(1, settings.concurrency))
    return demo


def trainer_css() -> str:
    """The trainers' tabs' styles (kept beside their builders in trainer_tabs.py)."""
    return TRAINER_CSS


def render_login_page(lang: str) -> str:
    """The login page in the interface's language, with who to ask for a password (Gradio's own login page is
    English-only: Gradio has no Vietnamese and sends no translations before a login). It posts to Gradio's /login."""
    L = texts_for(lang)
    other = "en" if lang == "vi" else "vi"
    font = ", ".join(f'"{f}"' if " " in f else f for f in FONT_STACK)
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(L["login_h"])} — {esc(L["title"])}</title>
<style>
body {{ margin: 0; background: #f3f4f7; color: #1c1f24; font-family: {font}; font-size: 17px; }}
main {{ max-width: 420px; margin: 8vh auto; background: #fff; border: 1px solid #d9dde4; border-top: 6px solid #a3161a;
        border-radius: 12px; padding: 22px 26px; }}
h1 {{ font-size: 1.25em; color: #1b2a4a; margin: 0 0 4px; }} h2 {{ font-size: 1.05em; margin: 14px 0 10px; }}
label {{ display: block; margin: 10px 0 4px; font-weight: 600; }}
input {{ width: 100%; box-sizing: border-box; font: inherit; padding: 8px 10px; border: 1px solid #c4cad5; border-radius: 8px; }}
button {{ margin-top: 16px; width: 100%; font: inherit; font-weight: 600; color: #fff; background: #a3161a; border: 0;
          border-radius: 8px; padding: 10px; cursor: pointer; }}
#login-error {{ color: #a3161a; min-height: 1.4em; margin: 10px 0 0; }}
.ask {{ color: #5b6270; font-size: .92em; line-height: 1.5; }} .lang {{ float: right; font-size: .9em; color: #1b2a4a; }}
</style></head>
<body><main>
<a class="lang" href="login?lang={other}" lang="{other}">{esc(L["login_other"])}</a>
<h1>{esc(L["title"])}</h1><h2>{esc(L["login_h"])}</h2>
<form id="login-form" method="post" action="login">
<label for="username">{esc(L["login_user"])}</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">{esc(L["login_password"])}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{esc(L["login_btn"])}</button>
<p id="login-error" role="alert"></p>
</form>
<p class="ask" id="login-ask">{esc(L["login_ask"])}</p>
</main>
<script>
// The language read here is the page's after the login too (the cookie the page and the server read).
document.cookie = '{LANG_COOKIE}={lang}; path=/; max-age=31536000; SameSite=Lax';
document.getElementById('login-form').addEventListener('submit', async (e) => {{
  e.preventDefault();
  const error = document.getElementById('login-error');
  error.textContent = '';
  const r = await fetch('login', {{method: 'POST', body: new URLSearchParams(new FormData(e.target))}});
  if (r.ok) {{ window.location.href = './'; return; }}
  error.textContent = r.status === 429 ? {json.dumps(L["login_wait"])} : {json.dumps(L["login_wrong"])};
}});
</script></body></html>"""


class LoginPage:
    """ASGI middleware: GET /login is the login page (?lang=en for English, else the browser's last language), and
    the page at / sends a visitor
    without a login there (only when accounts exist; the access guard refuses everything else on its own)."""

    def __init__(self, app: Any, site: Any):
        self.app, self.site = app, site

    def _logged_in(self, scope: dict) -> bool:
        from http.cookies import SimpleCookie

        headers = dict(scope.get("headers") or [])
        if b"authorization" in headers:  # HTTP Basic: checked by the access guard
            return True
        gradio_app = next((r.app for r in getattr(self.site, "routes", []) if hasattr(getattr(r, "app", None), "tokens")),
                          None)
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # a malformed cookie header is no login
            return False
        if gradio_app is None:
            return False
        return any(name in cookies and cookies[name].value in gradio_app.tokens
                   for name in (f"access-token-{gradio_app.cookie_id}", f"access-token-unsecure-{gradio_app.cookie_id}"))

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            path = scope.get("path", "")
            if path in ("/login", "/login/"):
                from urllib.parse import parse_qs

                asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[0]
                lang = asked if asked in TEXTS else page_language(_Headers(scope))
                body = render_login_page(lang).encode("utf-8")
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"cache-control", b"no-store")]})
                await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})
                return
            if path == "/" and not self._logged_in(scope):
                await send({"type": "http.response.start", "status": 302, "headers": [(b"location", b"login")]})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)


class _Headers:
    """An ASGI request's headers where page_language() looks for them (request.headers, names in lower case)."""

    def __init__(self, scope: dict):
        self.headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}


class PageLanguage:
    """ASGI middleware: the page at / declares the interface's language in <html lang> from its first byte (Gradio's
    page says "en" whatever the language; screen readers and the browser's translator read it before any script)."""

    _LANG = re.compile(rb'(<html\b[^>]*?\blang=")en(")', re.S)

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope.get("path") != "/":
            await self.app(scope, receive, send)
            return
        lang = page_language(_Headers(scope))
        start: dict = {}
        body: list[bytes] = []

        async def rewrite(message: dict) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            data = b"".join(body)
            content_type = dict(start.get("headers") or []).get(b"content-type", b"")
            if start.get("status") == 200 and content_type.startswith(b"text/html"):
                data = self._LANG.sub(rb"\g<1>" + lang.encode() + rb"\g<2>", data, count=1)
            out = [(k, v) for k, v in start.get("headers") or [] if k.lower() != b"content-length"]
            out.append((b"content-length", str(len(data)).encode()))
            await send({**start, "headers": out})
            await send({"type": "http.response.body", "body": data})

        await self.app(scope, receive, rewrite)


def create_app(service: Service):
    """One FastAPI app: the API under /api, the page at /."""
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    import gradio as gr


    settings = service.settings
    app = create_api(service)
    demo = build_ui(service)
    accounts = service.accounts
    # Gradio's login page for every account (participant, trainer, admin); roles are checked by AccessGuard.
    auth = (lambda user, password: accounts.authenticate(user, password) is not None) if accounts.any else None
    app = gr.mount_gradio_app(
        app, demo, path="/", auth=auth, auth_message=TEXTS["vi"]["title"], ssr_mode=False, footer_links=[],
        i18n=gr.I18n(**GRADIO_STRINGS),
        run_history=False, show_error=False, max_file_size=f"{settings.max_upload_mb}mb", theme=_theme(gr), css=CSS + trainer_css(),
        head=HEAD + LANG_HEAD,
        enable_monitoring=False, mcp_server=False, pwa=False,
    )
    # Gradio checks that a file given to an event was uploaded (and that a returned one may be served) only
    # once `launch()` has set this; a mounted app never launches, so without it any server path is accepted.
    demo.has_launched = True
    app.add_middleware(PageLanguage)
    if accounts.any:
        app.add_middleware(LoginPage, site=app)
    app.add_middleware(AccessGuard, settings=settings, accounts=accounts, site=app, demo=demo)
    return app


class BackgroundServer:
    """The app served by uvicorn in a daemon thread on 127.0.0.1 (tests, benchmarks, load tests).

    Usage::

        with BackgroundServer(create_app(service)) as url:
            httpx.post(url + "/api/ask", json={"question": "..."})
    """

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0):
        import uvicorn

        config = uvicorn.Config(app, host=host, port=port, log_level="warning", workers=1, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread: Any = None
        self.url = ""

    def start(self, timeout: float = 60.0) -> str:
        """Start serving; returns the base URL once the socket listens."""
        import threading

        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        host, port = self.server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self.url

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for the thread."""
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=15)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def check_exposure(settings: Settings) -> None:
    """Refuse to listen beyond loopback without --auth, unless --insecure."""
    host = settings.host.strip("[]")
    if host in LOOPBACK or host.startswith("127."):
        return
    if not (settings.auth or settings.users_file) and not settings.insecure:
        raise UsageError(
            f"refusing to listen on {settings.host} without --auth user:password; "
            "add --auth (or --insecure to let anyone on the network in)"
        )


def serve(settings: Settings) -> None:
    """Start the web app and API; the index is opened (or built, with progress on the terminal) in the background."""
    t0 = time.perf_counter()
    check_exposure(settings)
    import uvicorn


    if settings.admin_password and settings.admin_password == settings.auth.partition(":")[2]:
        print("[assistant] warning: the admin password is the participants' password — every participant can "
              "delete documents; choose another --admin-password", file=sys.stderr, flush=True)
    service = Service(settings, terminal_progress=True)
    service.start()
    app = create_app(service)
    host = settings.host if ":" not in settings.host else f"[{settings.host}]"
    print(f"[assistant] page built in {time.perf_counter() - t0:.1f} s — open http://{host}:{settings.port}/ "
          f"(API docs: /docs){' — login required' if settings.auth else ''}", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, workers=1, log_level="warning",
                timeout_graceful_shutdown=5)

