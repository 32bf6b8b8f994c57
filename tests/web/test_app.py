"""The web page in real headless Chromium (Debian's /usr/bin/chromium through Playwright): asking, citations,
the document viewer, English, uploads, exports, feedback, escaping of hostile text, the phone layout."""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def needs_browser(test):
    """Mark a test as driving the real page in headless Chromium (skipped when Chromium is missing)."""
    test = pytest.mark.browser(test)
    return pytest.mark.skipif(not CHROMIUM.exists(),
                              reason="needs Debian's Chromium: apt-get install chromium chromium-driver")(test)


HOSTILE_NAME = 'kiem-thu<img src=y onerror="window.__pwned=4">.txt'
HOSTILE_TEXT = (
    "KẾ HOẠCH\nKiểm thử hiển thị <b>an toàn</b> của trợ lý\n\nI. NỘI DUNG\n"
    "1. Đội kiểm thử an toàn ghi nhận đoạn mã <script>window.__pwned=1</script> và thẻ "
    '<img src=x onerror="window.__pwned=2"> trong báo cáo hằng quý.\n'
)
UPLOAD_SENTENCE = ("Tổ công tác Sao Mai tiếp nhận tin báo về mua bán người qua số điện thoại 0203 888 999 "
                   "vào mọi ngày trong tuần.")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _plain(text: str) -> str:
    """Text without bullets and [n] markers, whitespace collapsed (how the answer reads on the page)."""
    text = re.sub(r"^\s*[-•*] ", "", text, flags=re.M)
    return _norm(re.sub(r"\[[\d,\s–-]+\]", "", text))


@pytest.fixture(scope="module")
def app_service(bot, embedder, tmp_path_factory):
    """A Service over a private copy of the corpus (plus a hostile document) and of the session index."""
    from assistant.assistant import Assistant
    from assistant.web.service import Service

    base = tmp_path_factory.mktemp("app")
    docs = base / "documents"
    docs.mkdir()
    for path in Path(bot.settings.documents_dir).iterdir():
        if path.is_file():
            shutil.copy(path, docs / path.name)
            (docs / path.name).chmod(0o644)
    (docs / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    index = base / "index"
    shutil.copytree(bot.settings.index_dir, index)  # re-indexing then embeds only the new document
    settings = bot.settings.replace(documents_dir=docs, index_dir=index, data_dir=base / "data")
    service = Service(settings, bot=Assistant(settings, embedder=embedder))
    service.start()
    assert service.wait_ready(600), service.status()
    return service


@pytest.fixture(scope="module")
def app_url(app_service):
    from assistant.web.app import BackgroundServer, create_app

    server = BackgroundServer(create_app(app_service))
    yield server.start()
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, app_url):
    """A fresh browser session on the app; fails the test on any request leaving this machine."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((app_url, "data:", "blob:")) else None)
    page.console_lines = []  # read by _ask when an answer never shows: what the page said is the first clue
    page.on("console", lambda m: page.console_lines.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.console_lines.append(f"pageerror: {e}"))
    page.goto(app_url + "/")
    page.wait_for_selector("#question textarea", timeout=60_000)
    yield page
    context.close()
    assert not outside, f"the page fetched from outside: {outside}"


def _shot(page, name: str, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def _ask(page, question: str, turns_before: int = 0) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    try:
        page.wait_for_function(
            "n => document.querySelectorAll('#transcript .msg.bot:not(.pending)').length > n "
            "&& !document.querySelector('#transcript .msg.bot.pending')", arg=turns_before, timeout=60_000)
    except PlaywrightTimeout:
        # Say which of the ways an answer can fail to show this was: the question left in the box (the
        # submission dropped), an error in the transcript, or a page that stopped answering.
        box = page.input_value("#question textarea")
        transcript = page.locator("#transcript").inner_text()
        console = getattr(page, "console_lines", [])[-20:]
        pytest.fail(f"no answer to {question!r} within 60 s; question box holds {box!r}; transcript:\n"
                    f"{transcript[-1500:]}\nconsole:\n" + "\n".join(console))


def _switch_language(page, label: str, ask: str) -> None:
    """Choose a language by hand: the page reloads in it (so Gradio draws its own strings in it too)."""
    with page.expect_navigation(timeout=30_000):
        page.click(f"#lang-switch label:has-text('{label}')")
    page.wait_for_function("t => document.querySelector('#ask-btn')?.innerText.trim() === t", arg=ask, timeout=30_000)


@needs_browser
def test_ask_shows_a_cited_answer_and_the_viewer_highlights_the_passage(page, app_service):
    question = "Ai chủ trì hỗ trợ nạn nhân?"
    expected = app_service.bot.ask(question)
    assert expected.found and expected.citations
    _ask(page, question)
    answer = page.locator("#transcript .msg.bot .answer").last
    assert _plain(answer.inner_text()) == _plain(expected.text)
    markers = answer.locator("button.cite")
    assert markers.count() >= 1
    cards = page.locator("#sources article.card")
    assert cards.count() == len(expected.citations)
    for i, c in enumerate(expected.citations):
        assert _norm(cards.nth(i).locator(".title").inner_text()) == _norm(c.title)
        assert _norm(cards.nth(i).locator("blockquote").inner_text()) == _norm(c.text)
    first = expected.citations[0]
    if first.highlights:
        marked = cards.nth(0).locator("mark.hl").first.inner_text()
        s, e = first.highlights[0]
        assert _norm(marked) == _norm(app_service.bot.store.documents[first.doc_id].text[s:e])
    _shot(page, "chat-answer-sources")
    shutil.copy(ARTIFACTS / "chat-answer-sources.png", ROOT / "docs" / "screenshot.png")

    markers.first.click()
    target = page.locator("#viewer .viewer-overlay:not(.closed) #viewer-target")
    target.wait_for(timeout=20_000)
    n = int(markers.first.get_attribute("data-n"))
    cited = next(c for c in expected.citations if c.n == n)
    assert _norm(target.inner_text()) == _norm(cited.text)
    assert _norm(page.locator("#viewer .viewer-head h3").inner_text()) == _norm(cited.title)
    # Scrolled into view inside the viewer's text box.
    box, text_box = target.bounding_box(), page.locator("#viewer .doc-text").bounding_box()
    assert text_box["y"] - 1 <= box["y"] <= text_box["y"] + text_box["height"]
    _shot(page, "viewer")
    page.click("#viewer .viewer-close")
    page.locator("#viewer .viewer-overlay.closed").wait_for(state="attached", timeout=5_000)

    # A card opens the viewer too.
    cards.nth(len(expected.citations) - 1).click()
    last = expected.citations[-1]
    page.wait_for_function(
        "t => { const m = document.querySelector('#viewer .viewer-overlay:not(.closed) #viewer-target');"
        " return m && m.innerText.replace(/\\s+/g, ' ').trim() === t; }", arg=_norm(last.text), timeout=20_000)


@needs_browser
def test_follow_up_feedback_and_new_conversation(page, app_service):
    _ask(page, "Ai chủ trì hỗ trợ nạn nhân?")
    _ask(page, "Còn Quảng Ninh thì sao?", turns_before=1)
    titles = page.locator("#sources article.card .title").all_inner_texts()
    qn = next(d for d in app_service.bot.store.documents.values() if d.doc_id.startswith("quang-ninh"))
    assert titles and all(_norm(t) == _norm(qn.title) for t in titles)

    before = len(app_service.feedback.rows())
    page.locator("#transcript .msg.bot").last.locator("button.fb[data-kind=wrong_source]").click()
    page.locator("#note-box textarea").wait_for(timeout=10_000)
    page.fill("#note-box textarea", "Nguồn [1] không nói về Quảng Ninh")
    page.click("#note-btn")
    page.wait_for_function("() => !document.querySelector('#note-box textarea')"
                           " || document.querySelector('#note-box textarea').offsetParent === null", timeout=10_000)
    rows = app_service.feedback.rows()
    assert len(rows) == before + 1
    assert rows[-1]["kind"] == "wrong_source" and rows[-1]["question"] == "Còn Quảng Ninh thì sao?"
    assert rows[-1]["note"] == "Nguồn [1] không nói về Quảng Ninh"
    assert page.locator("#transcript .msg.bot").last.locator("button.fb[aria-pressed=true]").count() == 1

    page.click("#new-btn")
    page.locator("#transcript .welcome").wait_for(timeout=10_000)
    assert page.locator("#transcript .msg").count() == 0


@needs_browser
def test_a_question_sent_while_the_last_answer_is_still_pending_is_answered_after_it(page, app_service):
    """Gradio's default trigger mode drops a submission made while the event is pending; the CI machine hit it
    between an answer's last render and its completion. Holding every answer slot keeps the first question
    pending for as long as the test needs, so the second Enter always lands while it is."""
    slots = app_service.settings.concurrency
    for _ in range(slots):
        app_service._slots.acquire()
    try:
        page.fill("#question textarea", "Ai chủ trì hỗ trợ nạn nhân?")
        page.press("#question textarea", "Enter")
        page.wait_for_selector("#transcript .msg.bot.pending", timeout=30_000)
        page.wait_for_function("() => document.querySelector('#question textarea').value === ''", timeout=30_000)
        page.fill("#question textarea", "Tổng đài 111 tiếp nhận thông tin gì?")
        page.press("#question textarea", "Enter")
        time.sleep(0.5)  # the page has taken the second Enter (or dropped it) before the first answer may go on
    finally:
        for _ in range(slots):
            app_service._slots.release()
    page.wait_for_function(
        "() => document.querySelectorAll('#transcript .msg.bot:not(.pending)').length === 2"
        " && !document.querySelector('#transcript .msg.bot.pending')", timeout=60_000)
    asked = [_norm(q) for q in page.locator("#transcript .msg.user .q").all_inner_texts()]
    assert asked == ["Ai chủ trì hỗ trợ nạn nhân?", "Tổng đài 111 tiếp nhận thông tin gì?"]


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_english_switch_relabels_the_interface(page):
    _switch_language(page, "English", "Ask")
    # The tab labels re-render a moment after the button: wait for them instead of sampling once.
    page.get_by_role("tab", name="Documents", exact=True).wait_for(timeout=10_000)
    assert page.get_by_role("tab", name="Tài liệu", exact=True).count() == 0
    assert page.locator("#examples-row button").first.inner_text().strip() == "Who leads victim support?"
    page.locator("#examples-row button").first.click()
    page.wait_for_selector("#transcript .msg.bot:not(.pending) button.cite", timeout=60_000)
    assert "Cited sources" in page.locator("#sources h3").inner_text()
    assert "Helpful" in page.locator("#transcript .fb-bar").inner_text()
    _shot(page, "english-ui")


@needs_browser
def test_hostile_document_text_and_questions_render_as_text(page, app_service):
    _ask(page, "Đội kiểm thử an toàn ghi nhận gì trong báo cáo hằng quý?")
    sources = page.locator("#sources").inner_text()
    assert "<script>window.__pwned=1</script>" in sources
    assert '<img src=x onerror="window.__pwned=2">' in sources
    page.locator("#sources article.card").first.click()
    page.locator("#viewer .viewer-overlay:not(.closed) #viewer-target").wait_for(timeout=20_000)
    viewer = page.locator("#viewer").inner_text()
    assert "<script>window.__pwned=1</script>" in viewer and HOSTILE_NAME in viewer
    page.click("#viewer .viewer-close")

    hostile_question = '<img src=q onerror="window.__pwned=3"> là gì?'
    _ask(page, hostile_question, turns_before=1)
    assert hostile_question in page.locator("#transcript").inner_text()

    page.get_by_role("tab", name="Tài liệu").click()
    page.wait_for_function("n => document.querySelector('#docs-table').innerText.includes(n)", arg=HOSTILE_NAME,
                           timeout=20_000)
    assert "<b>an toàn</b>" in page.locator("#docs-table").inner_text()
    assert page.locator("#sources script, #viewer script, #docs-table script, #transcript img").count() == 0
    assert page.evaluate("() => window.__pwned") is None


@needs_browser
def test_upload_docx_reindex_ask_and_export(page, app_service, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Thí điểm tổ công tác Sao Mai")
    doc.add_paragraph("I. NHIỆM VỤ")
    doc.add_paragraph("1. " + UPLOAD_SENTENCE)
    upload = tmp_path / "Kế hoạch thí điểm Sao Mai.docx"
    doc.save(str(upload))

    page.get_by_role("tab", name="Tài liệu").click()
    page.set_input_files("#upload input[type=file]", str(upload))
    page.wait_for_function("() => document.querySelector('#upload').innerText.includes('Sao Mai')", timeout=30_000)
    page.click("#upload-btn")
    page.wait_for_function(
        "() => document.querySelector('#docs-table').innerText.includes('ke-hoach-thi-diem-sao-mai.docx')"
        " && document.querySelector('#docs-status .status.ok')", timeout=180_000)
    assert (app_service.settings.documents_dir / "ke-hoach-thi-diem-sao-mai.docx").is_file()
    _shot(page, "documents-page", full_page=True)

    page.get_by_role("tab", name="Hỏi đáp").click()
    question = "Tổ công tác Sao Mai tiếp nhận tin báo qua số điện thoại nào?"
    _ask(page, question)
    assert "0203 888 999" in page.locator("#transcript .msg.bot .answer").last.inner_text()
    cited = page.locator("#sources article.card").first
    assert "0203 888 999" in cited.locator("blockquote").inner_text()

    with page.expect_download() as info:
        page.click("#docx-btn")
    path = tmp_path / "export.docx"
    info.value.save_as(str(path))
    exported = Document(str(path))
    text = "\n".join(p.text for p in exported.paragraphs)
    answer = app_service.bot.ask(question)
    assert question in text
    assert _norm(answer.text.splitlines()[0]) in _norm(text)
    for c in answer.citations:
        assert _norm(c.text) in _norm(text) and c.title in text

    with page.expect_download() as info:
        page.click("#md-btn")
    md = Path(info.value.path()).read_text(encoding="utf-8")
    assert f"## 1. {question}" in md and "0203 888 999" in md


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_phone_width_stacks_sources_under_the_chat(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(app_url + "/")
        page.wait_for_selector("#question textarea", timeout=60_000)
        _ask(page, "Tổng đài 111 tiếp nhận thông tin gì?")
        chat, sources = page.locator("#transcript").bounding_box(), page.locator("#sources").bounding_box()
        assert sources["y"] >= chat["y"] + chat["height"] - 1
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 392  # no sideways scrolling
        page.evaluate("() => window.scrollTo(0, 0)")
        _shot(page, "phone-390")
        page.locator("#sources article.card").first.scroll_into_view_if_needed()
        _shot(page, "phone-390-sources")
    finally:
        context.close()


# --- without a browser ---------------------------------------------------------------------------
def test_example_questions_are_answered_with_citations(bot):
    from assistant.web.app import EXAMPLES

    for lang, questions in EXAMPLES.items():
        for q in questions:
            answer = bot.ask(q)
            assert answer.found and answer.citations, f"example question without an answer ({lang}): {q}"

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">${alert(1)}{{x}}`'


def _hostile_answer():
    from assistant.answer import Answer, Citation

    text = "Mở đầu " + HOSTILE + " kết thúc."
    cite = Citation(1, "doc", HOSTILE, HOSTILE, text, 0, len(text), year=2024, page=2, highlights=((7, 20),))
    return Answer(HOSTILE, f"Trả lời {HOSTILE} [1] và [9].", True, (cite,)), text


def _no_raw_markup(html: str) -> None:
    assert "<script" not in html and "<img" not in html and "${" not in html and "{{" not in html and "`" not in html


def test_every_builder_escapes_document_text_titles_and_questions():
    from types import SimpleNamespace

    from assistant.web.app import ChatSession, render_documents, render_sources, render_transcript
    from assistant.web.html import render_viewer

    answer, text = _hostile_answer()
    transcript = render_transcript(ChatSession(answers=[answer]), "vi", pending=HOSTILE, partial=HOSTILE)
    _no_raw_markup(transcript)
    assert "&lt;script&gt;" in transcript
    assert transcript.count('class="cite"') == 1  # [9] points nowhere and stays plain text
    sources = render_sources(answer, 0, "vi", paged={"doc"})
    _no_raw_markup(sources)
    assert '<mark class="hl">' in sources and "Trang 2" in sources
    doc = SimpleNamespace(text=text, title=HOSTILE, number=HOSTILE, issuer=HOSTILE, period=None, year=2024,
                          pages=[[1, 0, 5], [2, 5, len(text)]], path="/x/" + HOSTILE, encoding="pdf")
    viewer = render_viewer(doc, answer.citations[0], "vi")
    _no_raw_markup(viewer)
    assert 'id="viewer-target"' in viewer and "Trang 2" in viewer
    docs = render_documents([{"doc_id": "d", "title": HOSTILE, "warnings": [HOSTILE], "chunks": 3, "path": HOSTILE}],
                            [{"path": "/a/" + HOSTILE, "reason": HOSTILE}], "en")
    _no_raw_markup(docs)


def _text_of(html: str, element_id: str) -> str:
    """The text inside the element with this id (nested tags included)."""
    from html.parser import HTMLParser

    class Grab(HTMLParser):
        depth, out = 0, []

        def handle_starttag(self, tag, attrs):
            if self.depth or dict(attrs).get("id") == element_id:
                self.depth += 1

        def handle_endtag(self, tag):
            if self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                self.out.append(data)

    grab = Grab(convert_charrefs=True)
    grab.feed(html)
    return "".join(grab.out)


def test_a_stored_conversation_comes_back_only_to_its_own_account_and_damaged_turns_are_skipped(bot):
    from assistant.web.app import ChatSession, history_from_store, history_to_store

    session = ChatSession()
    session.answers = [bot.ask("Ai chủ trì hỗ trợ nạn nhân?"), bot.ask("Tổng đài 111 tiếp nhận thông tin gì?")]
    session.cut = {1: 2500}
    stored = json.loads(json.dumps(history_to_store(session, "tap-huan")))  # what localStorage gives back
    back = history_from_store(stored, "tap-huan")
    assert back.answers == session.answers and back.cut == {1: 2500} and back.shown == 1
    assert history_from_store(stored, "trainer").answers == []  # a shared computer: another account's conversation
    assert history_from_store(None, None).answers == [] and history_from_store("junk", None).answers == []
    stored["turns"][0]["citations"][0]["start"] = "not a number"
    assert history_from_store(stored, "tap-huan").answers == session.answers[1:]


def test_viewer_marks_the_exact_passage_and_windows_long_documents():
    from types import SimpleNamespace

    from assistant.answer import Citation
    from assistant.web.html import VIEWER_FULL_CHARS, render_viewer

    body = ("Dòng đệm.\n" * (VIEWER_FULL_CHARS // 8))
    passage = "Sở Lao động - Thương binh và Xã hội chủ trì"
    text = body + passage + "\n" + body
    start = len(body)
    doc = SimpleNamespace(text=text, title="T", number=None, issuer=None, period=None, year=None,
                          pages=[[1, 0, len(text)]], path="t.txt", encoding="utf-8")
    cite = Citation(1, "t", "T", "II", passage, start, start + len(passage), highlights=((start, start + 6),))
    html = render_viewer(doc, cite, "vi")
    assert _text_of(html, "viewer-target") == passage
    assert '<mark class="hl">Sở Lao</mark>' in html
    assert "lược bớt" in html and len(html) < len(text)  # a window, not the whole document
    assert "Trang" not in html  # a text file has no pages to show


# --- the trainers' tabs: responsibility matrix, compare plans, quiz ------------------------------
def _open_tab(page, name: str) -> None:
    """Click a tab by its label (on a phone Gradio may fold extra tabs into an overflow menu)."""
    import time

    from playwright.sync_api import Error as PlaywrightError

    tab = page.get_by_role("tab", name=name)
    overflow = page.locator("#tabs .overflow-menu > button")
    reloaded = False
    deadline = time.monotonic() + 30  # (the first round trip: 10 s ran out under load)
    # Gradio lays the tab bar out in two steps: it measures the tabs, then shows either the tab or the overflow
    # button that folds it. Between the two steps the overflow button can be there and then gone again (a CI run
    # clicked it just as it was hidden and waited 30 s), so each round looks at what is visible now, as a user would.
    while True:
        if tab.count() and tab.first.is_visible():
            tab.first.click()
            return
        if overflow.count() and overflow.first.is_visible():
            try:
                overflow.first.click(timeout=2_000)
                page.locator("#tabs .overflow-dropdown button", has_text=name).click(timeout=5_000)
                return
            except PlaywrightError:  # the bar was laid out again under the click: look again
                pass
        if time.monotonic() > deadline:
            # once in two slow-tier runs on a loaded 2-core machine the page's first round trip never came back (no
            # tab shown after 30 s): a user would reload, and so does the test, once; a page that still shows no
            # tab fails here
            assert not reloaded, f"no tab {name!r} and no overflow menu shown 30 s after a reload"
            answered = page.locator("#transcript .msg.bot:not(.pending)").count()
            page.reload()
            page.wait_for_selector("#question textarea", timeout=60_000)
            # (the conversation comes back from the browser's storage a moment after the page: a user sees it back
            # before opening a tab that shows it, such as the room view's latest answer)
            page.wait_for_function("n => document.querySelectorAll('#transcript .msg.bot:not(.pending)').length >= n",
                                   arg=answered, timeout=30_000)
            reloaded, deadline = True, time.monotonic() + 30
        page.wait_for_timeout(100)


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_matrix_tab_filters_by_agency_opens_the_passage_and_downloads_xlsx(page, app_service, tmp_path):
    from openpyxl import load_workbook

    from assistant.trainer import matrix

    store = app_service.bot.store
    _open_tab(page, "Ma trận trách nhiệm")
    everything = len(matrix.duty_rows(store))
    page.wait_for_function("n => document.querySelectorAll('#mx-table table.mx tbody tr').length === n",
                           arg=everything, timeout=30_000)

    expected = matrix.duty_rows(store, agency="Sở Y tế")
    assert 0 < len(expected) < everything
    page.fill("#mx-agency textarea", "Sở Y tế")
    page.click("#mx-btn")
    page.wait_for_function("n => document.querySelectorAll('#mx-table table.mx tbody tr').length === n",
                           arg=len(expected), timeout=30_000)
    table = page.locator("#mx-table table.mx")
    labels = [_norm(t) for t in table.locator("tbody td.doc").all_inner_texts()]
    assert any(label.startswith("Ninh Bình 2026-2030") for label in labels)
    assert all("Sở Y tế" in t for t in table.locator("tbody tr").all_inner_texts())

    # The section opens the exact passage in the document viewer.
    i = next(k for k, r in enumerate(expected) if r["label"] == "Ninh Bình 2026-2030")
    table.locator(f"button.sec-link[data-i='{i}']").click()
    target = page.locator("#mx-viewer .viewer-overlay:not(.closed) #viewer-target")
    target.wait_for(timeout=20_000)
    row = expected[i]
    assert _norm(target.inner_text()) == _norm(store.documents[row["document"]].text[row["start"]:row["end"]])
    _shot(page, "matrix-viewer")
    page.click("#mx-viewer .viewer-close")

    # Quick search narrows the rows in the browser (diacritics optional).
    page.fill("#mx-table .mx-search", "nan nhan")
    visible = page.locator("#mx-table table.mx tbody tr:visible").count()
    assert 0 < visible < len(expected)
    page.fill("#mx-table .mx-search", "")
    _shot(page, "matrix-tab", full_page=True)

    with page.expect_download() as info:
        page.click("#mx-xlsx")
    path = tmp_path / "trach-nhiem.xlsx"
    info.value.save_as(str(path))
    sheet = load_workbook(path).worksheets[0]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "Văn bản" and len(values) == len(expected) + 1
    assert any(r[0] == "Ninh Bình 2026-2030" and "Sở Y tế" in (r[4] or "") + (r[5] or "") + (r[6] or "")
               for r in values[1:])

    # An unknown agency is a friendly Vietnamese message, not a traceback.
    page.fill("#mx-agency textarea", "Sở Không Tồn Tại")
    page.click("#mx-btn")
    page.wait_for_selector("#mx-table .tr-msg.warn", timeout=20_000)
    message = page.locator("#mx-table").inner_text()
    assert "Không tìm thấy cơ quan" in message and "Traceback" not in message


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_compare_tab_shows_plans_oldest_first_with_the_lead_change(page, app_service):
    from assistant import comparison as trainer

    expected = trainer.compare(app_service.bot, topic="hỗ trợ nạn nhân", lang="vi")
    _open_tab(page, "So sánh kế hoạch")
    page.fill("#cmp-topic textarea", "hỗ trợ nạn nhân")
    page.click("#cmp-btn")
    cards = page.locator("#cmp-out article.cmp-card")
    cards.first.wait_for(timeout=60_000)
    assert cards.count() == len(expected.entries) >= 2
    for k, e in enumerate(expected.entries):
        assert _norm(cards.nth(k).locator("h4").inner_text()) == _norm(e.label)
    changed = [k for k, e in enumerate(expected.entries) if e.change not in ("—", "không đổi")]
    assert changed, "the 2026–2030 plan hands victim support to Sở Y tế"
    last = cards.nth(changed[-1])
    assert "changed" in last.get_attribute("class")
    assert any("Sở Y tế" in t for t in last.locator(".fld.lead li.new").all_inner_texts())
    _shot(page, "compare-tab", full_page=True)


def _answer(page, q, right: bool) -> None:
    wanted = set(q.answer) if right else {next(i for i in range(len(q.options)) if i not in q.answer)}
    box = page.locator("#qz-check" if q.multiple else "#qz-radio")
    for i in sorted(wanted):
        box.locator("label").nth(i).click()
    page.click("#qz-submit")
    page.wait_for_selector("#qz-feedback .qz-feedback", timeout=20_000)


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_quiz_tab_one_question_at_a_time_with_feedback_source_and_score(page, app_service, tmp_path):
    from docx import Document

    from assistant.trainer import quiz as trainer

    expected = trainer.make_quiz(app_service.bot, 3, lang="vi", seed=7)
    _open_tab(page, "Trắc nghiệm")
    page.fill("#qz-n input", "3")
    page.fill("#qz-seed input", "7")
    page.click("#qz-make")
    rights = (True, False, True)
    for k, q in enumerate(expected):
        page.wait_for_function("s => { const e = document.querySelector('#qz-card .stem');"
                               " return e && e.innerText.replace(/\\s+/g, ' ').trim() === s; }",
                               arg=_norm(q.stem), timeout=30_000)
        options = page.locator("#qz-check label" if q.multiple else "#qz-radio label").all_inner_texts()
        assert [_norm(o) for o in options] == [f"{'ABCD'[i]}. {_norm(o)}" for i, o in enumerate(q.options)]
        _answer(page, q, rights[k])
        feedback = page.locator("#qz-feedback .qz-feedback")
        assert feedback.locator(".verdict").inner_text().strip() == ("Đúng!" if rights[k] else "Chưa đúng.")
        assert _norm(feedback.locator("blockquote").inner_text()) == _norm(q.source.quote.replace("*", ""))
        assert _norm(q.source.title) in _norm(feedback.locator(".src-head").inner_text())
        if k == 0:
            _shot(page, "quiz-feedback")
        page.click("#qz-next")
    page.wait_for_selector("#qz-card .qz-score", timeout=20_000)
    assert "2/3" in page.locator("#qz-card").inner_text()

    with page.expect_download() as info:
        page.click("#qz-docx")
    path = tmp_path / "quiz.docx"
    info.value.save_as(str(path))
    text = _norm("\n".join(p.text for p in Document(str(path)).paragraphs))
    assert all(_norm(q.stem) in text and _norm(q.key) in text for q in expected)


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_phone_width_header_and_quiz_look_finished(browser, app_url, app_service):
    from assistant.trainer import quiz as trainer

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(app_url + "/")
        page.wait_for_selector("#question textarea", timeout=60_000)
        # The switch sits under the title, and the title keeps the full width (no word-per-line wrap).
        title, switch = page.locator("#app-header h1").bounding_box(), page.locator("#lang-switch").bounding_box()
        assert switch["y"] >= title["y"] + title["height"] - 1
        assert title["width"] >= 300 and title["height"] < 4 * 32
        _shot(page, "phone-390-header")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 392

        q = trainer.make_quiz(app_service.bot, 10, lang="vi", seed=1)[0]
        _open_tab(page, "Trắc nghiệm")
        page.click("#qz-make")
        page.wait_for_selector("#qz-card .stem", timeout=30_000)
        _answer(page, q, True)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 392
        page.locator("#qz-card").scroll_into_view_if_needed()
        _shot(page, "phone-390-quiz", full_page=True)
    finally:
        context.close()


# --- printing, filters, long questions -----------------------------------------------------------
def _squash(text: str) -> str:
    """Text without any whitespace or [n] markers: PDF text extraction breaks lines and spaces its own way."""
    return re.sub(r"\s+", "", re.sub(r"\[[\d,\s–-]+\]", "", text))


def _pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_print_holds_the_whole_conversation_with_its_sources_and_no_controls(page, app_service):
    questions = ["Ai chủ trì hỗ trợ nạn nhân?", "Tổng đài 111 tiếp nhận thông tin gì?",
                 "Đợt cao điểm tấn công, trấn áp tội phạm mua bán người năm 2024 diễn ra khi nào?"]
    for k, q in enumerate(questions):
        _ask(page, q, turns_before=k)
    first = page.locator("#transcript .msg.bot .answer").first.inner_text()
    last = page.locator("#transcript .msg.bot .answer").last.inner_text()
    # On screen the chat box scrolls: the first answer is out of its view (what Ctrl+P used to print).
    assert page.evaluate("() => document.querySelector('#transcript .chat').scrollHeight"
                         " > document.querySelector('#transcript .chat').clientHeight")
    page.emulate_media(media="print")
    text = _squash(_pdf_text(page.pdf(format="A4", print_background=True)))
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "printed-conversation.pdf"), format="A4")
    for q in questions:
        assert _squash(q) in text
    assert _squash(first.splitlines()[0]) in text and _squash(last.splitlines()[-1]) in text
    for q in questions:  # every answer's sources, not only the last one's
        for c in app_service.bot.ask(q).citations:
            assert _squash(c.title) in text and _squash(c.text)[:60] in text
    controls = ["Nhập câu hỏi", "Cuộc trò chuyện mới", "Câu hỏi mẫu", "Bộ lọc", "Tải về Markdown", "Hữu ích",
                "Ngôn ngữ", "Tiếng Việt", "Tài liệu", "API cho lập trình viên", "Xem trong văn bản"]
    assert [c for c in controls if _squash(c) in text] == []


def _pick(page, dropdown: str, option: str) -> None:
    """Choose an option of a Gradio dropdown the way a user does: open it, click the option."""
    page.click(f"{dropdown} input")
    page.locator(f"{dropdown} [role=option]", has_text=option).first.click()


def _chips(page) -> str:
    row = page.locator("#filter-chips-row")
    return _norm(row.inner_text()) if row.count() and row.is_visible() else ""


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_filters_show_as_chips_clear_and_say_when_nothing_matches(page, app_service):
    page.click("#filters > button")
    _pick(page, "#f-province", "Lâm Đồng")
    _pick(page, "#f-year", "2028")  # Lâm Đồng has only its 2024 plan
    page.wait_for_function("() => document.querySelector('#filter-chips-row')?.innerText.includes('2028')",
                           timeout=10_000)
    assert "Tỉnh/thành: Lâm Đồng" in _chips(page) and "Năm: 2028" in _chips(page)
    _ask(page, "Ai chủ trì hỗ trợ nạn nhân?")
    bubble = page.locator("#transcript .msg.bot").last
    assert "Không có văn bản nào khớp bộ lọc (Lâm Đồng, 2028)" in _norm(bubble.inner_text())
    assert "xem các đoạn liên quan" not in bubble.inner_text()  # there are none to see

    # "Tất cả" clears one filter; the chip goes with it.
    _pick(page, "#f-year", "Tất cả")
    page.wait_for_function("() => !document.querySelector('#filter-chips-row').innerText.includes('2028')",
                           timeout=10_000)
    assert "Lâm Đồng" in _chips(page)
    # The clear button empties them all, and the next answer searches every document.
    page.click("#clear-filters")
    page.wait_for_function("() => { const r = document.querySelector('#filter-chips-row');"
                           " return !r || r.offsetParent === null; }", timeout=10_000)
    assert page.locator("#f-province input").input_value() in ("", "Tất cả")
    _ask(page, "Ai chủ trì hỗ trợ nạn nhân?", turns_before=1)
    assert page.locator("#transcript .msg.bot .answer").last.locator("button.cite").count() >= 1

    # A new conversation starts without filters.
    _pick(page, "#f-province", "Ninh Bình")
    page.wait_for_function("() => document.querySelector('#filter-chips-row')?.innerText.includes('Ninh Bình')",
                           timeout=10_000)
    page.click("#new-btn")
    page.wait_for_function("() => { const r = document.querySelector('#filter-chips-row');"
                           " return !r || r.offsetParent === null; }", timeout=10_000)
    assert page.locator("#f-province input").input_value() in ("", "Tất cả")


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_a_question_over_the_limit_is_answered_and_the_cut_is_said(page):
    from assistant.assistant import MAX_QUESTION_CHARS

    question = "Ai chủ trì hỗ trợ nạn nhân? " + "x" * (MAX_QUESTION_CHARS + 500)
    _ask(page, question)
    bubble = page.locator("#transcript .msg.bot").last
    notice = bubble.locator(".cut-notice")
    assert notice.count() == 1
    assert f"{len(question):,}" in notice.inner_text() and f"{MAX_QUESTION_CHARS:,}" in notice.inner_text()
    _ask(page, "Ai chủ trì hỗ trợ nạn nhân?", turns_before=1)
    assert page.locator("#transcript .msg.bot").last.locator(".cut-notice").count() == 0


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_changing_a_vote_keeps_one_vote_per_answer(page, app_service):
    question = "Tổng đài 111 tiếp nhận thông tin gì?"
    _ask(page, question)
    before = len(app_service.feedback.rows())
    for kind in ("up", "down", "wrong_source"):
        # Clicked where it is found, in one step: the transcript redraws its last turn while votes are saved, and
        # under load a locator's click kept finding the button just detached (30 s of retries). A click that lands
        # on a button being replaced is lost, so it is clicked again until the server has the vote (never twice
        # once it has: a second click on the pressed button would take the vote back).
        def saved() -> bool:
            rows = [r for r in app_service.feedback.rows() if r["question"] == question]
            return bool(rows) and rows[-1]["kind"] == kind

        deadline = time.monotonic() + 60
        while not saved() and time.monotonic() < deadline:
            page.evaluate("k => document.querySelector(`#transcript .msg.bot:last-child button.fb[data-kind='${k}']`)"
                          "?.click()", kind)
            for _ in range(50):  # up to 10 s for the round trip before clicking again
                if saved():
                    break
                page.wait_for_timeout(200)
        assert saved(), kind
        page.wait_for_function(
            "k => document.querySelector(`#transcript .msg.bot:last-child button.fb[data-kind='${k}']`)"
            "?.getAttribute('aria-pressed') === 'true'", arg=kind, timeout=30_000)  # a server round trip, on a busy CI
    rows = app_service.feedback.rows()
    assert len(rows) == before + 1
    assert rows[-1]["kind"] == "wrong_source" and rows[-1]["question"] == question
    assert page.locator("#transcript .msg.bot").last.locator("button.fb[aria-pressed=true]").count() == 1

    # The room's feedback, downloaded by the trainer's button (no password field since the roles: the button is
    # shown by role and the server checks the role), holds that one vote.
    import csv
    import io

    page.get_by_role("tab", name="Tài liệu").click()
    page.click("#room-feedback > button")
    page.click("#feedback-btn")
    link = page.locator("#feedback-file a[download]").first
    link.wait_for(timeout=20_000)
    with page.expect_download() as info:
        link.click()
    table = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r["kind"] for r in table if r["question"] == question] == ["wrong_source"]


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_phone_width_no_tab_scrolls_sideways_and_file_names_stay_whole(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(app_url + "/")
        page.wait_for_selector("#question textarea", timeout=60_000)
        widths = {}
        # Gradio folds the tabs that do not fit into a menu whose button it labels itself, in English.
        page.wait_for_function("() => document.querySelector('#tabs .overflow-menu > button')?.getAttribute('aria-label')"
                               " === 'Các thẻ khác'", timeout=10_000)
        for name in ("Hỏi đáp", "Tài liệu", "Ma trận trách nhiệm", "So sánh kế hoạch", "Trắc nghiệm", "Trình chiếu"):
            _open_tab(page, name)
            page.wait_for_timeout(800)  # the tab's content lays out
            if name == "Tài liệu":
                page.wait_for_selector("#docs-table table.docs", timeout=30_000)
            if name == "Ma trận trách nhiệm":
                page.wait_for_selector("#mx-table table.mx tbody tr", timeout=30_000)
            if name == "Trình chiếu":
                page.wait_for_selector("#join .join-qr svg", timeout=30_000)
            widths[name] = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
            _shot(page, f"phone-390-tab-{len(widths)}", full_page=True)
            if name == "Tài liệu":
                # A file name breaks at most once or twice, not every few characters.
                cell = page.locator("#docs-table td.f").first
                box = cell.bounding_box()
                line = float(page.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 20", cell.element_handle()))
                assert box["height"] <= 3 * line + 12, (box, line)
        assert {k: w for k, w in widths.items() if w > 392} == {}
    finally:
        context.close()


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_the_page_speaks_one_language_gradio_strings_toasts_warnings_and_lang_included(page):
    page.wait_for_function("() => document.documentElement?.lang === 'vi'", timeout=10_000)
    page.click("#ask-btn")  # an empty question: a toast in Vietnamese, title included
    title = page.locator(".toast-wrap .toast-title").first
    title.wait_for(timeout=10_000)
    assert "Hãy nhập câu hỏi." in page.locator(".toast-wrap").inner_text()
    # What is drawn is the ::before text; Gradio's English type name is kept at size 0.
    drawn = title.evaluate("t => [getComputedStyle(t, '::before').content, getComputedStyle(t).fontSize]")
    assert drawn == ['"Lưu ý"', "0px"], drawn

    page.get_by_role("tab", name="Tài liệu").click()
    page.wait_for_function("() => document.querySelector('#upload')?.innerText.includes('Thả tệp vào đây')",
                           timeout=10_000)
    upload = _norm(page.locator("#upload").inner_text())
    assert "Drop File Here" not in upload and "Click to Upload" not in upload
    page.wait_for_selector("#docs-status .status.ok", timeout=30_000)
    status = page.locator("#docs-status").inner_text()  # "sẵn sàng sau …" or, after a re-index, "7 văn bản, …"
    assert "giây" in status and not re.search(r"\b(ready|documents|chunks|embedded)\b", status), status
    table = page.locator("#docs-table").inner_text()
    assert "số hiệu văn bản để trống" in table and "left blank" not in table

    # English from the start of a fresh page: Gradio's strings are chosen when a component is first drawn.
    page.reload()
    page.wait_for_selector("#question textarea", timeout=60_000)
    _switch_language(page, "English", "Ask")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    page.get_by_role("tab", name="Documents", exact=True).click()
    page.wait_for_function("() => document.querySelector('#upload')?.innerText.includes('Drop File Here')",
                           timeout=10_000)
    page.wait_for_function("() => document.querySelector('#docs-table').innerText.includes('left blank')",
                           timeout=10_000)
    status = page.locator("#docs-status").inner_text()
    assert re.search(r"\b(ready in|documents,)", status) and "giây" not in status, status
    page.get_by_role("tab", name="Questions").click()
    _ask(page, "Who leads victim support?")
    labels = page.locator("#transcript .msg.bot .answer button.cite").evaluate_all("bs => bs.map(b => b.ariaLabel)")
    assert labels and all(re.fullmatch(r"source \d+", label) for label in labels), labels


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_room_view_shows_the_join_address_its_qr_code_and_the_latest_answer_in_large_type(page, app_service):
    import segno

    question = "Tổng đài 111 tiếp nhận thông tin gì?"
    _ask(page, question)
    _open_tab(page, "Trình chiếu")
    page.wait_for_selector("#join .join-qr svg", timeout=20_000)
    address = page.locator("#join .join-address").inner_text().strip()
    assert re.fullmatch(r"http://[\w.\-\[\]:]+/", address), address
    # The QR code is the shown address's, drawn large enough for a projector.
    modules = lambda svg: re.findall(r'\bd="([^"]+)"', svg)  # the drawn modules, however the browser serializes
    drawn = modules(page.locator("#join .join-qr").inner_html())
    assert drawn and drawn == modules(segno.make(address, error="m").svg_inline(scale=12, border=2, dark="#000",
                                                                                 light="#fff"))
    assert page.locator("#join .join-qr svg").bounding_box()["width"] >= 400
    assert page.evaluate("() => performance.getEntriesByType('resource').every(r => r.name.startsWith(location.origin)"
                         " || r.name.startsWith('data:'))")

    expected = app_service.bot.ask(question)
    projected = page.locator("#projector .projector")
    assert _norm(projected.locator(".proj-q").inner_text()) == _norm(question)
    assert _plain(projected.locator(".proj-a").inner_text()) == _plain(expected.text)
    titles = [_norm(t) for t in projected.locator(".proj-sources strong").all_inner_texts()]
    assert titles == [_norm(c.title) for c in expected.citations]
    size = lambda sel: float(projected.locator(sel).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size(".proj-a p") >= 30 and size(".proj-sources li") >= 24
    _shot(page, "room-view", full_page=True)

    # A newer answer reaches the projector with one click.
    _open_tab(page, "Hỏi đáp")
    _ask(page, "Ai chủ trì hỗ trợ nạn nhân?", turns_before=1)
    _open_tab(page, "Trình chiếu")
    page.click("#projector-btn")
    page.wait_for_function("() => document.querySelector('#projector .proj-q')?.innerText.includes('Ai chủ trì')",
                           timeout=20_000)


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_the_conversation_comes_back_after_a_reload_and_answers_copy_and_ask_again(browser, app_url, app_service):
    context = browser.new_context(viewport={"width": 1440, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(app_url + "/")
        page.wait_for_selector("#question textarea", timeout=60_000)
        first, second = "Ai chủ trì hỗ trợ nạn nhân?", "Tổng đài 111 tiếp nhận thông tin gì?"
        _ask(page, first)
        _ask(page, second, turns_before=1)
        answers = page.locator("#transcript .msg.bot .answer").all_inner_texts()
        cards = page.locator("#sources article.card .title").all_inner_texts()

        page.reload()
        page.wait_for_function("() => document.querySelectorAll('#transcript .msg.bot').length === 2", timeout=30_000)
        assert [_norm(q) for q in page.locator("#transcript .msg.user .q").all_inner_texts()] == [first, second]
        assert page.locator("#transcript .msg.bot .answer").all_inner_texts() == answers
        assert page.locator("#sources article.card .title").all_inner_texts() == cards
        # The restored citations still open the passage, and the restored turns are the follow-ups' history.
        page.locator("#transcript #turn-0 button.cite").first.click()
        page.locator("#viewer .viewer-overlay:not(.closed) #viewer-target").wait_for(timeout=20_000)
        page.click("#viewer .viewer-close")
        assert page.locator("#md-btn").is_enabled()

        # Another participant's browser (the same shared account) sees none of it.
        other = browser.new_context()
        try:
            stranger = other.new_page()
            stranger.goto(app_url + "/")
            stranger.wait_for_selector("#transcript .welcome", timeout=60_000)
            stranger.wait_for_timeout(1500)  # time for a restore that must not come
            assert stranger.locator("#transcript .msg").count() == 0
        finally:
            other.close()

        # Copy: the answer as shown, then its sources.
        expected = app_service.bot.ask(second)
        page.locator("#transcript #turn-1 button.turn-copy").click()
        page.wait_for_function("() => document.querySelector('#turn-1 button.turn-copy').innerText.includes('Đã sao chép')",
                               timeout=5_000)
        copied = page.evaluate("() => navigator.clipboard.readText()")
        head, _, tail = copied.partition("\n\nNguồn trích dẫn:\n")
        assert _norm(head) == _norm(expected.text)
        assert [line.split(" — ")[0] for line in tail.splitlines()] == [f"[{c.n}] {c.title}" for c in expected.citations]
        # Over http on the LAN there is no clipboard API: the same text is copied through a selected textarea.
        page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('not a secure context'));"
                      " document.addEventListener('copy', (e) => { window.__copied = e.target.value; }); }")
        page.wait_for_function("() => document.querySelector('#turn-1 button.turn-copy').innerText.includes('Sao chép')",
                               timeout=5_000)
        page.locator("#transcript #turn-1 button.turn-copy").click()
        page.wait_for_function("() => window.__copied !== undefined", timeout=5_000)
        assert page.evaluate("() => window.__copied") == copied

        # Ask again: the first question asked anew, as a third turn, with the restored turns as its history.
        page.locator("#transcript #turn-0 button.turn-again").click()
        page.wait_for_function("() => document.querySelectorAll('#transcript .msg.bot:not(.pending)').length === 3"
                               " && !document.querySelector('#transcript .msg.bot.pending')", timeout=60_000)
        assert _norm(page.locator("#transcript .msg.user .q").last.inner_text()) == first
        earlier = [app_service.bot.ask(first)]
        earlier.append(app_service.bot.ask(second, history=earlier[:]))
        again = app_service.bot.ask(first, history=earlier)
        assert _plain(page.locator("#transcript .msg.bot .answer").last.inner_text()) == _plain(again.text)

        # A new conversation is also what the next reload shows.
        page.click("#new-btn")
        page.locator("#transcript .welcome").wait_for(timeout=10_000)
        page.wait_for_timeout(500)
        page.reload()
        page.wait_for_selector("#transcript .welcome", timeout=60_000)
        page.wait_for_timeout(1500)
        assert page.locator("#transcript .msg").count() == 0
    finally:
        context.close()


@needs_browser
@pytest.mark.slow  # (several seconds each: run by CI in the slower tier, to keep the default tier near five minutes)
def test_gradio_strings_follow_a_switch_made_after_they_were_drawn_and_html_lang_is_served(page, app_url):
    import httpx

    served = lambda **cookies: re.search(r'<html\b[^>]*\blang="(\w+)"', httpx.get(app_url + "/", cookies=cookies).text).group(1)
    assert served() == "vi" and served(assistant_lang="en") == "en" and served(assistant_lang="xx") == "vi"

    page.get_by_role("tab", name="Tài liệu").click()
    upload_says = lambda text: page.wait_for_function(
        "t => document.querySelector('#upload')?.innerText.includes(t)", arg=text, timeout=20_000)
    upload_says("Thả tệp vào đây")  # drawn in Vietnamese from the start
    assert "Drop File Here" not in page.locator("#upload").inner_text()
    _switch_language(page, "English", "Ask")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    page.get_by_role("tab", name="Documents", exact=True).click()
    upload_says("Drop File Here")
    assert "Thả tệp" not in page.locator("#upload").inner_text()
    _switch_language(page, "Tiếng Việt", "Hỏi")
    assert page.evaluate("() => document.documentElement.lang") == "vi"
    page.get_by_role("tab", name="Tài liệu").click()
    upload_says("Thả tệp vào đây")
