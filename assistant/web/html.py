"""The page's HTML pieces that the chat page (app.py) and the trainer tabs (trainer_tabs.py) share: the strings
of each language, escaping, and the document viewer. Pure functions over plain values; every piece of
document text, file name and question is escaped with `esc()` before it reaches the page."""
from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..document import when_label

if TYPE_CHECKING:
    from ..document import Document

VIEWER_FULL_CHARS = 60_000  # longer documents are shown as a window around the passage
VIEWER_WINDOW = 12_000

TEXTS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Trợ lý tra cứu phòng, chống mua bán người",
        "subtitle": "Trả lời có trích dẫn từ các kế hoạch, quyết định và văn bản đã nạp — chạy hoàn toàn trên máy này.",
        "tab_chat": "Hỏi đáp",
        "tab_docs": "Tài liệu",
        "question": "Câu hỏi",
        "placeholder": "Nhập câu hỏi, ví dụ: Ai chủ trì hỗ trợ nạn nhân?",
        "send": "Hỏi",
        "new": "Cuộc trò chuyện mới",
        "examples": "Câu hỏi mẫu",
        "filters": "Bộ lọc (không bắt buộc)",
        "f_docs": "Chỉ tìm trong văn bản",
        "f_province": "Tỉnh/thành",
        "f_year": "Năm",
        "f_all": "Tất cả",
        "f_active": "Đang lọc:",
        "f_clear": "Bỏ bộ lọc",
        "q_cut": "Câu hỏi dài {n} ký tự; chỉ {max} ký tự đầu được dùng để trả lời.",
        "t_warn": "Lưu ý",
        "tab_room": "Trình chiếu",
        "join_h": "Tham gia từ điện thoại hoặc máy tính",
        "join_type": "Gõ địa chỉ này vào trình duyệt, hoặc quét mã QR:",
        "join_local": "Trang đang mở bằng địa chỉ của chính máy này: học viên cần địa chỉ mạng LAN của máy "
        "(chạy: assistant serve --host 0.0.0.0 …) và mở trang này bằng địa chỉ đó.",
        "proj_h": "Câu hỏi đang thảo luận",
        "proj_empty": "Hãy đặt một câu hỏi ở thẻ Hỏi đáp: câu hỏi, câu trả lời và nguồn sẽ hiện ở đây bằng chữ lớn.",
        "proj_refresh": "Hiện câu trả lời mới nhất",
        "logout": "Đăng xuất",
        "login_h": "Đăng nhập",
        "login_user": "Tên đăng nhập",
        "login_password": "Mật khẩu",
        "login_btn": "Đăng nhập",
        "login_wrong": "Sai tên đăng nhập hoặc mật khẩu.",
        "login_wait": "Đăng nhập sai quá nhiều lần: hãy chờ vài phút rồi thử lại.",
        "login_ask": "Chưa có tên đăng nhập hoặc mật khẩu? Hãy hỏi giảng viên hoặc người tổ chức lớp tập huấn "
        "(mật khẩu quản trị: người quản lý máy chủ này).",
        "login_other": "English",
        "t_info": "Thông báo",
        "t_error": "Lỗi",
        "t_success": "Thành công",
        "source_n": "nguồn {n}",
        "more_tabs": "Các thẻ khác",
        "ready_in": "sẵn sàng sau {s} giây",
        "indexed": "{docs} văn bản, {chunks} đoạn ({embedded} đoạn mới nhúng) trong {s} giây",
        "md": "Tải về Markdown",
        "docx": "Tải về Word (DOCX)",
        "sources": "Nguồn trích dẫn",
        "related": "Đoạn liên quan",
        "open": "Xem trong văn bản",
        "sources_empty": "Các đoạn văn bản làm căn cứ cho câu trả lời sẽ hiện ở đây, kèm tên văn bản, năm và mục. "
        "Bấm vào một nguồn hoặc số [1], [2]… trong câu trả lời để mở văn bản gốc.",
        "welcome_h": "Xin chào!",
        "welcome": "Hãy hỏi về các kế hoạch, văn bản phòng, chống mua bán người. Mỗi câu trả lời đều dẫn nguồn [1], [2]… "
        "— bấm vào số để xem đúng đoạn trong văn bản gốc.",
        "you": "Bạn hỏi",
        "bot": "Trợ lý",
        "thinking": "Đang tìm trong văn bản…",
        "not_found": "Không tìm thấy câu trả lời trong các văn bản; hãy xem các đoạn liên quan trong khung nguồn.",
        "fb_up": "Hữu ích",
        "fb_down": "Chưa tốt",
        "fb_wrong": "Nguồn sai",
        "fb_thanks": "Đã ghi nhận phản hồi — cảm ơn!",
        "copy": "Sao chép",
        "copy_title": "Sao chép câu trả lời và nguồn",
        "copied": "Đã sao chép",
        "again": "Hỏi lại",
        "again_title": "Hỏi lại câu hỏi này",
        "note": "Ghi chú cho phản hồi (không bắt buộc): điều gì chưa đúng?",
        "note_send": "Gửi ghi chú",
        "note_saved": "Đã lưu ghi chú.",
        "lang": "Ngôn ngữ",
        "section": "Mục",
        "intro": "phần mở đầu",
        "page": "Trang",
        "close": "Đóng",
        "viewer_hint": "Đoạn được trích dẫn được tô nền; các từ khớp với câu trả lời được tô đậm.",
        "ocr_note": "{pages} được đọc bằng OCR từ bản quét: hãy đối chiếu chính tả với bản gốc.",
        "scan_of": "Trang {n} — bản quét",
        "scan_alt": "Ảnh trang {n} của văn bản gốc (bản quét)",
        "cut_before": "… (phần đầu văn bản được lược bớt)",
        "cut_after": "… (phần sau được lược bớt)",
        "docs_h": "Tài liệu đã lập chỉ mục",
        "c_title": "Tên văn bản",
        "c_number": "Số hiệu",
        "c_when": "Năm / giai đoạn",
        "c_province": "Tỉnh/thành",
        "c_kind": "Loại",
        "c_chunks": "Số đoạn",
        "c_warnings": "Cảnh báo",
        "c_file": "Tệp",
        "problems_h": "Tệp không đọc được",
        "no_docs": "Chưa có tài liệu nào.",
        "admin_h": "Quản lý tài liệu",
        "feedback_h": "Phản hồi của lớp",
        "confirm_delete": "Xóa «{name}»? Tệp được chuyển vào thùng rác và có thể hoàn tác.",
        "confirm_btn": "Xác nhận xóa",
        "cancel_btn": "Hủy",
        "undo_btn": "Hoàn tác xóa",
        "restored": "Đã khôi phục {name}; đang lập chỉ mục lại.",
        "upload": "Chọn tệp (.pdf, .docx, .txt, .md; tối đa {mb} MB)",
        "upload_btn": "Tải lên và lập chỉ mục",
        "delete": "Chọn tài liệu cần xóa",
        "delete_btn": "Xóa tài liệu",
        "reindex_btn": "Lập chỉ mục lại",
        "feedback_btn": "Tải phản hồi (CSV)",
        "st_ready": "Sẵn sàng",
        "st_indexing": "Đang lập chỉ mục…",
        "st_starting": "Đang mở chỉ mục và nạp mô hình…",
        "st_error": "Lỗi lập chỉ mục",
        "stage_load": "đọc tài liệu",
        "stage_embed": "nhúng vector",
        "uploaded": "Đã nhận {name}; đang lập chỉ mục lại.",
        "not_uploaded": "Chỉ nhận tệp tải lên từ trang này.",
        "deleted": "Đã xóa {name}; đang lập chỉ mục lại.",
        "pick_file": "Hãy chọn một tệp trước.",
        "pick_doc": "Hãy chọn một tài liệu trước.",
        "empty_q": "Hãy nhập câu hỏi.",
        "error": "Không trả lời được",
        "footer": "Dữ liệu và phản hồi chỉ lưu trên máy chủ này. API cho lập trình viên: /docs",
    },
    "en": {
        "title": "Anti-human-trafficking reference assistant",
        "subtitle": "Cited answers from the loaded plans, decisions and documents — running entirely on this machine.",
        "tab_chat": "Questions",
        "tab_docs": "Documents",
        "question": "Question",
        "placeholder": "Type a question, e.g. Who leads victim support?",
        "send": "Ask",
        "new": "New conversation",
        "examples": "Example questions",
        "filters": "Filters (optional)",
        "f_docs": "Only search these documents",
        "f_province": "Province",
        "f_year": "Year",
        "f_all": "All",
        "f_active": "Filtered by:",
        "f_clear": "Clear filters",
        "q_cut": "The question is {n} characters long; only its first {max} characters were used to answer.",
        "t_warn": "Warning",
        "tab_room": "Projector",
        "join_h": "Join from a phone or a computer",
        "join_type": "Type this address into a browser, or scan the QR code:",
        "join_local": "This page was opened by this machine's own address: participants need its LAN address "
        "(run: assistant serve --host 0.0.0.0 …) and this page opened by that address.",
        "proj_h": "The question under discussion",
        "proj_empty": "Ask a question in the Questions tab: the question, its answer and its sources appear here in large type.",
        "proj_refresh": "Show the latest answer",
        "logout": "Log out",
        "login_h": "Log in",
        "login_user": "User name",
        "login_password": "Password",
        "login_btn": "Log in",
        "login_wrong": "Wrong user name or password.",
        "login_wait": "Too many failed logins: wait a few minutes and try again.",
        "login_ask": "No user name or password yet? Ask the trainer or the workshop's organiser "
        "(the admin password: whoever runs this server).",
        "login_other": "Tiếng Việt",
        "t_info": "Notice",
        "t_error": "Error",
        "t_success": "Done",
        "source_n": "source {n}",
        "more_tabs": "More tabs",
        "ready_in": "ready in {s} s",
        "indexed": "{docs} documents, {chunks} passages ({embedded} embedded) in {s} s",
        "md": "Download Markdown",
        "docx": "Download Word (DOCX)",
        "sources": "Cited sources",
        "related": "Related passages",
        "open": "Show in document",
        "sources_empty": "The passages an answer rests on appear here, with the document's title, year and section. "
        "Click a source or a [1], [2]… marker in the answer to open the original document.",
        "welcome_h": "Welcome!",
        "welcome": "Ask about Vietnam's anti-human-trafficking plans and documents. Every answer cites its sources [1], [2]… "
        "— click a number to see the exact passage in the original document.",
        "you": "You asked",
        "bot": "Assistant",
        "thinking": "Searching the documents…",
        "not_found": "The documents do not answer this; see the related passages in the sources panel.",
        "fb_up": "Helpful",
        "fb_down": "Not helpful",
        "fb_wrong": "Wrong source",
        "fb_thanks": "Feedback recorded — thank you!",
        "copy": "Copy",
        "copy_title": "Copy the answer and its sources",
        "copied": "Copied",
        "again": "Ask again",
        "again_title": "Ask this question again",
        "note": "Note for your feedback (optional): what was wrong?",
        "note_send": "Send note",
        "note_saved": "Note saved.",
        "lang": "Language",
        "section": "Section",
        "intro": "preamble",
        "page": "Page",
        "close": "Close",
        "viewer_hint": "The cited passage is shaded; the words the answer rests on are in bold.",
        "ocr_note": "{pages} read by OCR from a scan: check spellings against the original.",
        "scan_of": "Page {n} — the scan",
        "scan_alt": "Image of page {n} of the original document (a scan)",
        "cut_before": "… (the beginning of the document is not shown)",
        "cut_after": "… (the rest of the document is not shown)",
        "docs_h": "Indexed documents",
        "c_title": "Title",
        "c_number": "Number",
        "c_when": "Year / period",
        "c_province": "Province",
        "c_kind": "Kind",
        "c_chunks": "Passages",
        "c_warnings": "Warnings",
        "c_file": "File",
        "problems_h": "Files that could not be read",
        "no_docs": "No documents yet.",
        "admin_h": "Manage documents",
        "feedback_h": "The room's feedback",
        "confirm_delete": "Delete “{name}”? The file goes to the trash and can be restored.",
        "confirm_btn": "Confirm deletion",
        "cancel_btn": "Cancel",
        "undo_btn": "Undo deletion",
        "restored": "Restored {name}; re-indexing.",
        "upload": "Choose a file (.pdf, .docx, .txt, .md; at most {mb} MB)",
        "upload_btn": "Upload and index",
        "delete": "Document to delete",
        "delete_btn": "Delete document",
        "reindex_btn": "Re-index now",
        "feedback_btn": "Download feedback (CSV)",
        "st_ready": "Ready",
        "st_indexing": "Indexing…",
        "st_starting": "Opening the index and loading the model…",
        "st_error": "Indexing error",
        "stage_load": "reading documents",
        "stage_embed": "embedding",
        "uploaded": "Received {name}; re-indexing.",
        "not_uploaded": "Only files uploaded from this page are accepted.",
        "deleted": "Deleted {name}; re-indexing.",
        "pick_file": "Choose a file first.",
        "pick_doc": "Choose a document first.",
        "empty_q": "Type a question.",
        "error": "Could not answer",
        "footer": "Data and feedback stay on this server. API for developers: /docs",
    },
}


def esc(text: Any) -> str:
    """HTML-escape text for the page; braces, `$` and backticks too, so no template engine can read them."""
    out = html.escape("" if text is None else str(text), quote=True)
    return out.replace("{", "&#123;").replace("}", "&#125;").replace("$", "&#36;").replace("`", "&#96;")


def texts_for(lang: str) -> dict[str, str]:
    """The page's strings in a language (Vietnamese for any other)."""
    return TEXTS.get(lang, TEXTS["vi"])


def page_of(doc: Document, offset: int) -> int | None:
    """The page number holding a character offset of the document's text (None for documents without pages)."""
    for number, start, end in (tuple(p)[:3] for p in doc.pages or ()):
        if start <= offset < end:
            return int(number)
    return None


def scanned_pages(doc: Document, c: Any) -> tuple[list[int], int | None]:
    """(the OCR-read pages the passage spans, at most 3; the one holding its first highlighted words, else its start)."""
    ocr = {int(n) for n in getattr(doc, "ocr_pages", None) or ()}
    spanned = [int(p[0]) for p in doc.pages or () if p[1] < max(c.end, c.start + 1) and c.start < p[2] and int(p[0]) in ocr]
    at = c.highlights[0][0] if c.highlights else c.start
    focus = page_of(doc, at)
    return spanned[:3], focus if focus in spanned[:3] else (spanned[0] if spanned else None)


def render_viewer(doc: Document, c: Any, lang: str, nonce: int = 0, page_images: Sequence[tuple[int, str]] = (),
                  focus_page: int | None = None) -> str:
    """A modal document viewer: the document text (or a window around the passage), the passage marked.

    Pages read by OCR are marked as such; `page_images` ((page, data: URI) of the scanned pages the passage spans,
    rendered from the PDF) are shown beside the recognised text, scrolled to `focus_page`, so a reader can check
    the text against the scan."""
    L = texts_for(lang)
    ocr = {int(n) for n in getattr(doc, "ocr_pages", None) or ()}
    text = doc.text
    lo, hi = 0, len(text)
    if len(text) > VIEWER_FULL_CHARS:
        lo = max(0, c.start - VIEWER_WINDOW)
        hi = min(len(text), c.end + VIEWER_WINDOW)
        lo = text.rfind("\n", 0, lo) + 1 if lo else 0
        nl = text.find("\n", hi)
        hi = len(text) if nl < 0 else nl
    start, end = max(lo, min(hi, c.start)), max(lo, min(hi, c.end))
    highlights = [(max(s, start), min(e, end)) for s, e in (c.highlights or ()) if min(e, end) > max(s, start)]
    pages = {p[1]: p[0] for p in (doc.pages or []) if len(doc.pages) > 1 and lo < p[1] < hi}
    cuts = sorted({lo, hi, start, end, *pages, *(x for span in highlights for x in span)})
    body: list[str] = []
    if lo > 0:
        body.append(f'<span class="cut">{esc(L["cut_before"])}</span>\n')
    for a, b in zip(cuts, cuts[1:]):
        if a in pages:
            scanned = pages[a] in ocr
            body.append(f'<span class="page-break{" ocr" if scanned else ""}">— {esc(L["page"])} {pages[a]}'
                        f'{" · OCR" if scanned else ""} —</span>')
        if a == start:
            body.append('<mark id="viewer-target" class="passage">')
        piece = esc(text[a:b])
        if any(s <= a and b <= e for s, e in highlights):
            piece = f'<mark class="hl">{piece}</mark>'
        body.append(piece)
        if b == end:
            body.append("</mark>")
    if start == end:  # an empty span still needs a scroll target
        body.insert(1 if lo > 0 else 0, '<mark id="viewer-target" class="passage"></mark>')
    if hi < len(text):
        body.append(f'\n<span class="cut">{esc(L["cut_after"])}</span>')
    number = (f"Số {doc.number}" if lang == "vi" else f"No. {doc.number}") if doc.number else ""
    cited_page = c.page or page_of(doc, c.start)
    page_meta = ""
    if cited_page and is_paged(doc):
        page_meta = f'{L["page"]} {cited_page}' + (" · OCR" if cited_page in ocr else "")
    meta = [x for x in (number, doc.issuer,
                        when_label(doc.year, doc.period),
                        f'{L["section"]} {c.section}' if c.section else "", page_meta, Path(doc.path).name) if x]
    note = ""
    if ocr:
        listed = f'{L["page"]} {", ".join(str(n) for n in sorted(ocr))}'
        note = f'<div class="ocr-note" role="note"><span class="ocr-badge">OCR</span> {esc(L["ocr_note"].format(pages=listed))}</div>'
    figures = []
    for n, uri in page_images:
        focus = ' class="focus"' if n == focus_page else ""
        figures.append(f'<figure{focus} data-page="{int(n)}"><img src="{esc(uri)}" alt="{esc(L["scan_alt"].format(n=n))}">'
                       f'<figcaption>{esc(L["scan_of"].format(n=n))}</figcaption></figure>')
    scan = f'<div class="page-scan">{"".join(figures)}</div>' if figures else ""
    return (
        f'<div class="viewer-overlay" data-nonce="{nonce}" role="dialog" aria-modal="true" aria-label="{esc(doc.title)}">'
        f'<div class="viewer-panel{" with-scan" if scan else ""}"><header class="viewer-head"><div><span class="num">[{c.n}]</span> '
        f'<h3>{esc(doc.title)}</h3><div class="meta">{" · ".join(esc(m) for m in meta)}</div>'
        f'<div class="hint">{esc(L["viewer_hint"])}</div>{note}</div>'
        f'<button type="button" class="viewer-close" aria-label="{esc(L["close"])}">✕ {esc(L["close"])}</button></header>'
        f'<div class="viewer-body">{scan}<div class="doc-text">{"".join(body)}</div></div></div></div>'
    )


def is_paged(doc: Document) -> bool:
    """Whether a document has real pages (a PDF): only then are page numbers shown."""
    return len(doc.pages or ()) > 1 or getattr(doc, "encoding", "") == "pdf"


VIEWER_JS = """
const overlay = () => element.querySelector('.viewer-overlay');
const show = () => {
  const ov = overlay();
  if (!ov) return;
  ov.classList.remove('closed');
  const target = element.querySelector('#viewer-target');
  if (target) target.scrollIntoView({block: 'center'});
  const scans = element.querySelector('.page-scan'), focus = element.querySelector('.page-scan figure.focus');
  if (scans && focus) {  // the scans take their height once decoded: scroll to the page again as each one arrives
    const toFocus = () => { scans.scrollTop = focus.offsetTop - scans.offsetTop - 8; };
    toFocus();
    scans.querySelectorAll('img').forEach((img) => { if (!img.complete) img.addEventListener('load', toFocus, {once: true}); });
  }
  const close = element.querySelector('.viewer-close');
  if (close) close.focus({preventScroll: true});
};
element.addEventListener('click', (e) => {
  const ov = overlay();
  if (ov && (e.target.closest('.viewer-close') || e.target === ov)) ov.classList.add('closed');
});
document.addEventListener('keydown', (e) => {
  const ov = overlay();
  if (e.key === 'Escape' && ov) ov.classList.add('closed');
});
watch('value', show);
show();
"""
