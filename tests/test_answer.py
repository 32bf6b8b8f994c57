"""Cited answers: who leads what (newest plan first), numbers and document numbers quoted
verbatim, refusals with related reading, follow-ups, and the [n] ↔ citation contract."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation, cited_numbers, drop_invalid_markers

NB_2026 = "ninh-binh-2026-2030-ke-hoach-chuong-trinh"
NB_2024 = "ninh-binh-2024-ke-hoach-22-kh-bcd"
QN = "quang-ninh-2011-2015-quyet-dinh-3087"
BRVT = "ba-ria-vung-tau-ke-hoach-cong-uoc-actip"
QUOTE = re.compile(r"“([^”]+)”")


def check_citations(bot, answer: Answer) -> None:
    """Every citation is an exact span of its document, and [n] markers and citations match one to one."""
    for c in answer.citations:
        assert bot.store.documents[c.doc_id].text[c.start : c.end] == c.text, (c.n, c.doc_id, c.start, c.end)
        assert c.title == bot.store.documents[c.doc_id].title
        for hs, he in c.highlights:
            assert c.start <= hs < he <= c.end
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert sorted(cited_numbers(answer.text)) == numbers


def check_quotes_verbatim(bot, answer: Answer) -> None:
    """Text inside “…” is the documents' own words (whitespace folded), found in a cited passage."""
    quotes = QUOTE.findall(answer.text)
    assert quotes, answer.text
    cited = [re.sub(r"\s+", " ", c.text) for c in answer.citations]
    for q in quotes:
        q = q.rstrip("…").strip()
        assert any(q in text for text in cited), f"quote not verbatim in its sources: {q[:100]!r}"


def assert_says(answer: Answer, *stated: str) -> None:
    """The answer is found and says each of `stated`."""
    assert answer.found and all(phrase in answer.text for phrase in stated), answer.text


def assert_first_quote_says(answer: Answer, stated: str) -> None:
    """The answer is found and the first passage it quotes (the one it opens with) says `stated`."""
    quoted = re.search(r"“([^”]+)”", answer.text)
    assert answer.found and quoted and stated in quoted.group(1), answer.text


def assert_states(answer: Answer, stated: str, not_stated: str) -> None:
    """The answer is found, says `stated` and does not say `not_stated` (another clause's range, another point)."""
    assert_says(answer, stated)
    assert not_stated not in answer.text, answer.text


def _years_in_order(bot, answer: Answer) -> list[int]:
    def newest(doc_id: str) -> int:  # the year a plan was issued: its year, else the first of its period
        doc = bot.store.documents[doc_id]
        return int(doc.year) if doc.year else min(int(y) for y in re.findall(r"(?:19|20)\d\d", doc.period or ""))

    return [newest(c.doc_id) for c in answer.citations]


# --- who leads -------------------------------------------------------------------------------
def test_who_leads_victim_support_names_both_agencies_newest_plan_first(bot):
    answer = bot.ask("Ai chủ trì hỗ trợ nạn nhân?")
    assert answer.found and answer.language == "vi" and answer.intent == "who_leads"
    assert "Thương binh và Xã hội" in answer.text and "Sở Y tế" in answer.text
    check_citations(bot, answer)
    check_quotes_verbatim(bot, answer)
    docs = [c.doc_id for c in answer.citations]
    assert docs[0] == NB_2026, docs
    assert QN in docs and NB_2024 in docs
    years = _years_in_order(bot, answer)
    assert years == sorted(years, reverse=True), years
    # One sentence answers first, naming the newest plan's lead; then one line per record in the same
    # order as the citations: the 2026–2030 plan's line comes before every older one.
    first, body = answer.text.split("\n", 1)
    assert first.startswith("Theo ") and "Sở Y tế" in first and "[1]" in first
    positions = [body.index(f"[{c.n}]") for c in answer.citations]
    assert positions == sorted(positions)
    assert body.index("2026") < body.index("2011")
    # The health department is the lead of the 2026–2030 citation.
    assert "Sở Y tế" in answer.citations[0].text


def test_who_leads_in_english_uses_english_names_and_keeps_the_vietnamese_quote(bot):
    answer = bot.ask("who leads victim support?")
    assert answer.found and answer.language == "en"
    first_line = answer.text.splitlines()[0]
    assert re.search(r"[A-Za-z]", first_line) and not re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", first_line), first_line
    assert "Department of Health" in answer.text
    assert "Department of Labour" in answer.text
    check_citations(bot, answer)
    check_quotes_verbatim(bot, answer)
    assert any("Cơ quan chủ trì: Sở Y tế" in q for q in QUOTE.findall(answer.text))
    assert answer.citations[0].doc_id == NB_2026


# --- numbers and document particulars -------------------------------------------------------
def test_a_target_rate_is_quoted_exactly(bot):
    answer = bot.ask("Tỷ lệ điều tra, khám phá các vụ án mua bán người là bao nhiêu?")
    assert answer.found
    assert "90%" in answer.text
    check_citations(bot, answer)
    check_quotes_verbatim(bot, answer)
    quote = next(q for q in QUOTE.findall(answer.text) if "90%" in q)
    assert any(quote.rstrip("…") in bot.store.documents[c.doc_id].text for c in answer.citations)


def test_a_rate_asked_of_a_named_plan_is_cited_from_that_plan(bot):
    answer = bot.ask("Kế hoạch 22/KH-BCĐ đặt chỉ tiêu tỷ lệ điều tra, khám phá các vụ án mua bán người là bao nhiêu?")
    assert answer.found and "90%" in answer.text
    assert {c.doc_id for c in answer.citations} == {NB_2024}


def test_the_number_of_decision_3087_is_quoted_from_the_document(bot):
    answer = bot.ask("Quyết định 3087 có số hiệu là gì?")
    assert answer.found and answer.intent == "meta"
    assert "3087/QĐ-UBND" in answer.text
    check_citations(bot, answer)
    assert [c.doc_id for c in answer.citations] == [QN]
    assert "3087/QĐ-UBND" in answer.citations[0].text


def test_the_number_of_the_2024_ninh_binh_plan_is_quoted_as_written(bot):
    answer = bot.ask("số hiệu kế hoạch năm 2024 của Ninh Bình là gì?")
    assert answer.found
    assert "22 /KH-BCĐ" in answer.text  # as the document writes it, space included
    check_citations(bot, answer)
    assert [c.doc_id for c in answer.citations] == [NB_2024]
    assert answer.citations[0].text.strip() == "Số: 22 /KH-BCĐ"


def test_the_blank_number_of_the_2026_2030_draft_is_reported_as_blank(bot):
    # the draft gives no number: not an answer (no number is claimed), said plainly with its line shown beside
    answer = bot.ask("Số hiệu của kế hoạch giai đoạn 2026-2030 của Ninh Bình là gì?")
    assert not answer.found and not answer.citations
    assert "để trống" in answer.text or "chưa ghi số" in answer.text
    assert "/KH-UBND" in answer.text
    assert not re.search(r"\d+\s*/KH-UBND", answer.text), answer.text  # no invented number
    assert [c.doc_id for c in answer.related] == [NB_2026]
    assert answer.related[0].text.strip() == "Số: /KH-UBND"


@pytest.mark.parametrize("question, found", [
    ("On which exact day in March 2026 was Ninh Binh's 2026-2030 plan signed?", False),
    ("Kế hoạch 2026–2030 của Ninh Bình mang số hiệu bao nhiêu, ký ngày mấy?", False),  # (the month and year still said)
    ("Does the Ninh Binh 2026-2030 plan have a document number?", True),  # "no" answers it
    ("What is the document number of Ninh Binh's 2026-2030 plan?", False),
])
def test_a_particular_the_draft_leaves_blank_is_said_and_answers_only_what_it_gives(bot, question, found):
    answer = bot.ask(question)
    assert answer.found is found and ("blank" in answer.text or "để trống" in answer.text), answer.text


# --- refusals --------------------------------------------------------------------------------
NOT_FOUND_VI = "Các tài liệu hiện có không chứa câu trả lời cho câu hỏi này."


@pytest.mark.parametrize(
    "question",
    [
        "Ngân sách tỉnh Ninh Bình bố trí bao nhiêu tỷ đồng cho công tác phòng, chống mua bán người năm 2024?",
        "What is the 2024 budget in VND for Ninh Binh's anti-trafficking plan?",
        "Theo kế hoạch của Quảng Ninh, người phạm tội mua bán người bị phạt tù bao nhiêu năm?",
    ],
    ids=["budget-vi", "budget-en", "prison-term"],
)
def test_an_in_domain_question_the_plans_do_not_answer_is_refused_with_related_passages(bot, question):
    answer = bot.ask(question)
    assert answer.found is False
    assert answer.citations == ()
    assert cited_numbers(answer.text) == []
    # (a refusal may name what is missing: "do not state an amount of money")
    assert re.search(r"không chứa câu trả lời|không (nêu|ghi)|do not contain an answer|do not state", answer.text), answer.text
    assert answer.related, "an in-domain refusal offers the closest passages"
    for c in answer.related:
        assert bot.store.documents[c.doc_id].text[c.start : c.end] == c.text
    assert answer.to_json()["citations"] == []


def test_a_province_not_in_the_corpus_is_refused_naming_the_provinces_it_covers(bot):
    answer = bot.ask("Kế hoạch phòng, chống mua bán người năm 2024 của tỉnh Hà Giang giao ai chủ trì hỗ trợ nạn nhân?")
    assert answer.found is False and answer.citations == ()
    assert "Hà Giang" in answer.text and "Ninh Bình" in answer.text and "Quảng Ninh" in answer.text
    assert cited_numbers(answer.text) == []
    assert answer.related
    assert all(c.doc_id in bot.store.documents for c in answer.related)


@pytest.mark.parametrize("question, message", [
    ("Thời tiết hôm nay thế nào?", NOT_FOUND_VI),
    ("What is the weather today?", "The documents do not contain an answer to this question."),
])
def test_an_off_topic_question_gets_a_plain_refusal(bot, question, message):
    answer = bot.ask(question)
    assert answer.found is False and answer.citations == ()
    assert answer.text == message


# --- follow-ups ------------------------------------------------------------------------------
def test_a_province_follow_up_keeps_the_question_and_cites_the_new_province(bot):
    conversation = bot.conversation()
    first = conversation.ask("Ai chủ trì hỗ trợ nạn nhân trong kế hoạch năm 2024 của Ninh Bình?")
    assert first.found and {c.doc_id for c in first.citations} == {NB_2024}
    assert "Thương binh và Xã hội" in first.text
    second = conversation.ask("Còn Quảng Ninh thì sao?")
    assert second.found and second.intent == "who_leads"
    assert {c.doc_id for c in second.citations} == {QN}
    assert "Thương binh và Xã hội" in second.text
    assert any("Thương binh và Xã hội chủ trì" in c.text for c in second.citations)
    check_citations(bot, second)
    assert len(conversation.history) == 2


def test_an_english_year_follow_up_switches_to_the_2026_plan(bot):
    conversation = bot.conversation()
    first = conversation.ask("who leads victim support in the 2024 Ninh Binh plan?")
    assert first.found and {c.doc_id for c in first.citations} == {NB_2024}
    assert "Department of Labour" in first.text
    second = conversation.ask("and in the 2026 plan?")
    assert second.found and second.language == "en"
    assert {c.doc_id for c in second.citations} == {NB_2026}
    assert "Department of Health" in second.text and "Sở Y tế" in second.text
    check_citations(bot, second)


def test_a_new_conversation_forgets_the_previous_topic(bot):
    conversation = bot.conversation()
    conversation.ask("Ai chủ trì hỗ trợ nạn nhân trong kế hoạch năm 2024 của Ninh Bình?")
    conversation.reset()
    assert conversation.history == []
    alone = conversation.ask("Còn Quảng Ninh thì sao?")
    assert "hỗ trợ nạn nhân" not in (alone.resolved_question or "")


# --- markers and the JSON contract --------------------------------------------------------
def test_drop_invalid_markers_removes_numbers_that_point_nowhere():
    text, dropped = drop_invalid_markers("a [1] b [9]", {1})
    assert dropped == [9]
    assert "[9]" not in text and "[1]" in text
    assert cited_numbers(text) == [1]
    text, dropped = drop_invalid_markers("x [1, 2, 7].", {1, 2})
    assert dropped == [7] and cited_numbers(text) == [1, 2]


def test_cited_numbers_reads_lists_and_ranges_once():
    assert cited_numbers("a [2] b [1, 3] c [2–4] d [1]") == [2, 1, 3, 4]
    assert cited_numbers("no markers, [x], [ ]") == []


def test_answer_json_has_exactly_the_contract_keys(bot):
    answer = bot.ask("Ai chủ trì hỗ trợ nạn nhân?")
    data = answer.to_json()
    assert set(data) == {"question", "answer", "found", "citations"}
    assert data["question"] == "Ai chủ trì hỗ trợ nạn nhân?" and data["answer"] == answer.text and data["found"] is True
    assert data["citations"]
    for row in data["citations"]:
        assert set(row) == {"n", "doc_id", "title", "section", "text", "start", "end"}
        assert bot.store.documents[row["doc_id"]].text[row["start"] : row["end"]] == row["text"]
    plain = Answer("q", "t", False).to_json()
    assert plain == {"question": "q", "answer": "t", "found": False, "citations": []}
    cite = Citation(1, "d", "T", "I", "x", 0, 1, year=2024, page=2, highlights=((0, 1),))
    assert set(cite.to_json()) == {"n", "doc_id", "title", "section", "text", "start", "end"}


def test_a_large_index_weighs_answer_terms_from_the_keyword_index_without_reading_every_chunk(bot, monkeypatch):
    from assistant.answer import context as answer_module

    composer = bot._composer
    question = "Ai chủ trì hỗ trợ nạn nhân?"
    small = composer._term_idf("nạn_nhân")
    expected = bot.ask(question).text
    monkeypatch.setattr(answer_module, "IDF_FROM_INDEX_ABOVE", 0)
    monkeypatch.setattr(composer, "idf", lambda: (_ for _ in ()).throw(AssertionError("counted over every chunk")))
    large = composer._term_idf("nạn_nhân")
    assert large == pytest.approx(small, rel=0.35)  # postings also count titles and headings
    assert composer._term_idf("từ-không-có-trong-chỉ-mục") > large
    assert bot.ask(question).text == expected


# --- list items quoted with their lead-in -----------------------------------------------------
LAW_EXCERPT = """Điều 150. Tội mua bán người
1. Người nào dùng vũ lực, đe dọa dùng vũ lực, lừa gạt hoặc bằng thủ đoạn khác thực hiện một trong các hành vi sau đây, thì bị phạt tù từ 05 năm đến 10 năm:
a) Chuyển giao hoặc tiếp nhận người để giao, nhận tiền, tài sản hoặc lợi ích vật chất khác;
b) Tuyển mộ, vận chuyển, chứa chấp người khác để thực hiện hành vi quy định tại điểm a khoản này.
2. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 08 năm đến 15 năm:
a) Có tổ chức;
b) Vì động cơ đê hèn;
c) Đưa nạn nhân ra khỏi biên giới của nước Cộng hòa xã hội chủ nghĩa Việt Nam;
d) Phạm tội 02 lần trở lên.
3. Người phạm tội còn có thể bị phạt tiền từ 20.000.000 đồng đến 100.000.000 đồng.
"""


def bot_over_law(make_bot, tmp_path, name: str, text: str):
    """An assistant over one law text written to a fresh folder."""
    docs = tmp_path / "law"
    docs.mkdir()
    (docs / name).write_text(text, encoding="utf-8")
    return make_bot(docs)


def test_a_list_item_is_answered_with_the_lead_in_that_states_its_penalty(make_bot, tmp_path):
    # "c) Đưa nạn nhân ra khỏi biên giới …" alone has no figure; the penalty is in the clause above it.
    bot = bot_over_law(make_bot, tmp_path, "bo-luat-hinh-su-dieu-150.txt", LAW_EXCERPT)
    answer = bot.ask("Đưa nạn nhân ra khỏi biên giới bị phạt tù bao nhiêu năm?")
    assert answer.found, answer.text
    first_line = answer.text.splitlines()[0]
    assert "08 năm đến 15 năm" in first_line and "Đưa nạn nhân ra khỏi biên giới" in first_line, first_line
    assert "05 năm đến 10 năm" not in first_line
    check_citations(bot, answer)
    check_quotes_verbatim(bot, answer)
    # Both the lead-in and the item are highlighted in the cited passage.
    doc = bot.store.documents[answer.citations[0].doc_id].text
    marked = [doc[s:e] for s, e in answer.citations[0].highlights]
    assert any("08 năm đến 15 năm" in m for m in marked) and any(m.startswith("c) Đưa nạn nhân") for m in marked), marked


def test_who_leads_lists_both_near_equal_assignments_of_one_plan(bot):
    # Ninh Bình 2024 (II › 4) gives victim support to the labour department and legal aid for victims
    # to the justice department in two bullets of the same section: both belong in the answer.
    answer = bot.ask("Ai chủ trì hỗ trợ nạn nhân?")
    lines = [line for line in answer.text.splitlines() if "22/KH-BCĐ" in line]
    assert any("Sở Lao động - Thương binh và Xã hội chủ trì" in line for line in lines), answer.text
    assert sum(c.doc_id == NB_2024 for c in answer.citations) <= 2
    check_citations(bot, answer)


# --- laws: the article a question names, and documents the index does not hold ----------------
LAW = """LUẬT THỬ NGHIỆM

Chương I
NHỮNG QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Luật này quy định về việc hỗ trợ nạn nhân.

Điều 2. Đối tượng
Luật này áp dụng đối với cơ quan, tổ chức.

Điều 3. Các hành vi bị nghiêm cấm
1. Mua bán người.
2. Cưỡng ép người khác bán dâm.
3. Tiết lộ thông tin về nạn nhân.

Điều 4. Nguyên tắc
Bảo đảm quyền con người của nạn nhân, không kỳ thị nạn nhân.
"""


@pytest.fixture()
def law_bot(make_bot, tmp_path):
    return bot_over_law(make_bot, tmp_path, "luat-thu-nghiem.txt", LAW)


def test_a_question_naming_an_article_is_answered_from_that_article_and_names_it(law_bot):
    for question in ("Điều 3 nghiêm cấm những hành vi nào?", "What does Article 3 prohibit?"):
        answer = law_bot.ask(question)
        assert answer.found, answer.text
        assert "Mua bán người" in answer.text and "Tiết lộ thông tin" in answer.text
        assert "Điều 3" in answer.text or "Article 3" in answer.text
        assert "Điều 4" not in answer.text and "Article 4" not in answer.text


def test_a_document_named_by_a_number_the_index_does_not_hold_is_not_answered_from_another(law_bot):
    answer = law_bot.ask("Luật số 53/2024/QH15 nghiêm cấm những hành vi nào?")
    assert not answer.found, answer.text


# --- one strategy per kind of question --------------------------------------------------------
@pytest.mark.parametrize("question", ["Sở Y tế phải làm gì?", "so y te phai lam gi", "What must the health department do?"])
def test_an_agency_s_own_tasks_are_listed_by_plan_newest_first_each_cited(bot, question):
    answer = bot.ask(question)
    assert answer.found and answer.intent == "tasks_of", answer.text
    check_citations(bot, answer)
    check_quotes_verbatim(bot, answer)
    assert answer.citations[0].doc_id == NB_2026  # the newest plan first
    assert "Nâng cao năng lực hệ thống y tế" in answer.text or "y tế cơ sở" in answer.text
    first_line = answer.text.splitlines()[0]
    assert re.search(r"\d+", first_line)  # how many tasks, by role


@pytest.mark.parametrize("question", ["so lao dong thuong binh xa hoi co trach nhiem gi trong ke hoach actip",
                                      "What is DOLISA tasked with under the ACTIP plan?"])
def test_a_plan_named_by_an_acronym_of_its_title_is_the_only_one_answered_from(bot, question):
    answer = bot.ask(question)
    assert answer.found and answer.intent == "tasks_of", answer.text
    assert {c.doc_id for c in answer.citations} == {BRVT}, answer.text
    check_quotes_verbatim(bot, answer)


def test_an_agency_with_many_tasks_gets_them_all_up_to_twelve_per_plan_each_quoted_from_its_start(bot):
    answer = bot.ask("Công an tỉnh phải làm gì theo kế hoạch 2026-2030?")
    assert answer.found and answer.intent == "tasks_of", answer.text
    items = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(items) >= 10, answer.text
    assert "Big Data" in answer.text  # a later sentence of a task is still quoted
    assert not any(line.split("“", 1)[1][:1] in ")*;," for line in items if "“" in line)


def test_an_objectives_question_quotes_every_item_of_the_section_and_counts_them(bot):
    answer = bot.ask("Kế hoạch 2026-2030 đặt mục tiêu gì?")
    assert answer.found and answer.intent == "list", answer.text
    check_citations(bot, answer)
    check_quotes_verbatim(bot, answer)
    assert "MỤC TIÊU" in answer.text and "Mục tiêu tổng quát" in answer.text and "Mục tiêu cụ thể" in answer.text
    count = int(re.search(r"gồm 2 mục \((\d+) ý\)", answer.text).group(1))  # general and specific objectives
    assert count >= 10 and answer.text.count("“") >= count


def test_what_changed_between_plans_names_the_lead_in_each_plan_oldest_first(bot):
    answer = bot.ask("Cơ quan chủ trì hỗ trợ nạn nhân đã thay đổi thế nào giữa các kế hoạch?")
    assert answer.found and answer.intent == "compare", answer.text
    check_citations(bot, answer)
    assert "Sở Y tế" in answer.text and "Thương binh và Xã hội" in answer.text
    assert answer.citations[-1].doc_id == NB_2026 and answer.citations[0].doc_id == QN


def test_a_compound_question_answers_each_part_and_names_the_part_not_answered(bot):
    answer = bot.ask("Kế hoạch 22/KH-BCĐ do ai ký và ký ngày nào?")
    assert answer.found and answer.intent == "compound", answer.text
    check_citations(bot, answer)
    assert "Tổng Quang Thìn" in answer.text and "05 tháng 02 năm 2024" in answer.text
    partly = bot.ask("Kế hoạch 22/KH-BCĐ do ai ký và kinh phí là bao nhiêu tỷ đồng?")
    assert partly.found and "Tổng Quang Thìn" in partly.text
    assert "không trả lời" in partly.text  # the budget part is named as unanswered


@pytest.mark.parametrize("question, heading, first", [
    # the parts of what a plan divides ("chia nội dung trọng tâm thành mấy nhóm"), counted and named
    ("Kế hoạch ACTIP của tỉnh BR-VT chia nội dung trọng tâm thành mấy nhóm, kể tên từng nhóm?",
     "II. NỘI DUNG TRỌNG TÂM VÀ PHÂN CÔNG TRÁCH NHIỆM", "Công tác tham mưu triển khai, chỉ đạo thực hiện"),
    ("Kế hoạch ACTIP phân nội dung trọng tâm làm mấy phần?",
     "II. NỘI DUNG TRỌNG TÂM VÀ PHÂN CÔNG TRÁCH NHIỆM", "Đấu tranh phòng, chống mua bán người"),
    ("Kế hoạch 2026-2030 của Ninh Bình chia nhiệm vụ, giải pháp thành mấy nhóm?",
     "II. NHIỆM VỤ, GIẢI PHÁP VÀ PHÂN CÔNG TRÁCH NHIỆM", "Công tác lãnh đạo, chỉ đạo"),
])
def test_the_parts_a_plan_divides_into_are_counted_and_named(bot, question, heading, first):
    assert_says(bot.ask(question), heading, first)


@pytest.mark.parametrize("question, stated", [
    # "báo cáo định kỳ thế nào" asks the periods, which "định kỳ" alone does not give
    ("ke hoach ACTIP cua Ba Ria Vung Tau yeu cau bao cao dinh ky the nao?", "6 tháng, 1 năm và đột xuất"),
    ("Kế hoạch ACTIP của Bà Rịa Vũng Tàu yêu cầu báo cáo định kỳ thế nào?", "6 tháng, 1 năm và đột xuất"),
    # the clause right after "… chế độ thông tin, báo cáo;" gives them
    ("Quyết định 3087 yêu cầu các ngành báo cáo định kỳ như thế nào?", "định kỳ hàng quý, 6 tháng, 1 năm"),
])
def test_how_reports_are_due_is_answered_by_their_periods(bot, question, stated):
    assert_says(bot.ask(question), stated)


@pytest.mark.parametrize("question", [
    "Which annual days does the Ninh Binh 2024 plan tell agencies to respond to?",
    "Two things on Lam Dong 2024: which plan does the steering committee keep implementing, and which annual days should "
    "activities respond to?",
])
def test_the_days_activities_respond_to_are_the_national_and_world_days(bot, question):
    assert_says(bot.ask(question), "Ngày toàn dân phòng, chống mua bán người")


@pytest.mark.parametrize("question", [
    # the news report on Lam Dong's plan assigns nothing: a sentence on "phối hợp giữa các sở, ban, ngành" names no lead
    "Which Lam Dong department leads the media and awareness work under the province's 2024 anti-trafficking plan?",
    "Who is in charge of helping victims reintegrate under Lam Dong's 2024 plan?",
    "Sở nào chủ trì công tác truyền thông theo bài báo về kế hoạch Lâm Đồng 2024?",
    # a rate the plan does not set
    "What trafficking case clearance or prosecution rate does the Ninh Binh 2026-2030 plan aim for?",
])
def test_a_lead_or_rate_the_documents_do_not_give_is_refused(bot, question):
    answer = bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    "Quyết định 3087 của Quảng Ninh có hiệu lực từ khi nào, và những ai chịu trách nhiệm thi hành?",
    "Who is responsible for executing the Quang Ninh decision 3087?",
    "Which officials must execute decision 3087?",
])
def test_who_carries_a_decision_out_is_its_closing_article(bot, question):
    # "Điều 3. … chịu trách nhiệm thi hành Quyết định này", not a task of the plan it approves ("thi hành pháp luật")
    answer = bot.ask(question)
    assert_says(answer, "Chánh Văn phòng Ủy ban nhân dân tỉnh", "chịu trách nhiệm thi hành Quyết định này")
    check_citations(bot, answer)


@pytest.mark.parametrize("question", [
    "Luật Phòng, chống mua bán người năm 2024 có hiệu lực từ ngày nào?",  # the plans only cite the law
    "Điều 150 quy định hình phạt thế nào?",  # no article 150 in the plans
    "Kinh phí thực hiện kế hoạch ACTIP là bao nhiêu tỷ đồng?",  # no amount stated
])
def test_a_passage_that_only_mentions_what_is_asked_is_not_an_answer(bot, question):
    answer = bot.ask(question)
    assert not answer.found, answer.text
    assert answer.related  # the closest passages are still offered


def test_a_follow_up_says_how_it_was_understood(bot):
    conversation = bot.conversation()
    conversation.ask("Ai chủ trì hỗ trợ nạn nhân ở Ninh Bình năm 2024?")
    answer = conversation.ask("Còn Quảng Ninh thì sao?")
    assert answer.found and answer.text.startswith("(Hiểu là: Ai chủ trì hỗ trợ nạn nhân — Quảng Ninh)")
    assert answer.citations[0].doc_id == QN and "Thương binh và Xã hội" in answer.text


def test_requested_bodies_are_never_shown_as_leads(bot):
    answer = bot.ask("Ai chủ trì xét xử các vụ án mua bán người theo kế hoạch 2026-2030?")
    assert answer.found
    line = next(line for line in answer.text.splitlines() if "Tòa án nhân dân tỉnh" in line)
    assert "đề nghị: Tòa án nhân dân tỉnh" in line and "chủ trì: Tòa án" not in line


@pytest.mark.parametrize("question", ["Kinh phí của kế hoạch ACTIP và của kế hoạch 2026-2030 lấy từ đâu?",
                                      "Where does the money come from in the ACTIP plan and in the 2026-2030 plan?"])
def test_a_question_naming_two_plans_is_answered_in_each_oldest_first(bot, question):
    answer = bot.ask(question)
    assert answer.found, answer.text
    check_citations(bot, answer)
    assert [c.doc_id for c in answer.citations][:1] == [BRVT] and NB_2026 in {c.doc_id for c in answer.citations}
    assert "dự toán chi thường xuyên" in answer.text and "dự toán ngân sách hằng năm" in answer.text


@pytest.mark.parametrize("question", [
    "Ninh Bình 2024 và Lâm Đồng 2024 đặt chỉ tiêu tỷ lệ khám phá án mua bán người là bao nhiêu?",
    "Do the Ninh Binh 2024 plan and the Lam Dong 2024 plan set the same target for solving trafficking cases?",
])
def test_two_provinces_named_with_one_year_are_two_documents_answered_each(bot, question):
    answer = bot.ask(question)
    assert answer.found, answer.text
    check_citations(bot, answer)
    assert {c.doc_id for c in answer.citations} >= {"lam-dong-2024-bai-bao-ke-hoach-138", "ninh-binh-2024-ke-hoach-22-kh-bcd"}
    assert answer.text.count("trên 90% tổng số án khởi tố") == 2  # the detection rate, once from each plan


@pytest.mark.parametrize("question, agency", [
    ("Sở Du lịch Ninh Bình 2024 phải làm gì?", "Sở Du lịch"),
    ("What does the Department of Health do under Ninh Binh's 2024 plan?", "Department of Health"),
    ("Hội Nông dân tỉnh có nhiệm vụ gì trong kế hoạch ACTIP của Bà Rịa - Vũng Tàu?", "Hội Nông dân tỉnh"),
])
def test_an_agency_a_plan_never_names_gets_no_tasks_from_it(bot, question, agency):
    answer = bot.ask(question)
    assert not answer.found and agency in answer.text, answer.text
    assert "không giao nhiệm vụ nào" in answer.text or "gives" in answer.text


def test_a_count_is_not_answered_by_an_age_and_an_age_is(bot):
    count = bot.ask("How many safe migration clubs must Ninh Binh open under the 2026-2030 plan?")
    assert not count.found, count.text
    age = bot.ask("cau lac bo di cu an toan trong ke hoach 2026-2030 danh cho thanh thieu nien tu may tuoi")
    assert age.found and "12 tuổi đến 30 tuổi" in age.text, age.text


@pytest.mark.parametrize("question, words", [
    ("ke hoach 2026-2030 cua ninh binh lay luat pcmbn nam nao lam trong tam", ["năm 2024", "sửa đổi, bổ sung năm 2025"]),
    ("KH 2026-2030 ninh binh quan triet luat pcmbn nam nao", ["năm 2024"]),
    ("Quyết định 3087 căn cứ Luật PCMBN thông qua ngày nào?", ["29 tháng 3 năm 2011"]),
])
def test_a_law_named_by_its_abbreviation_is_found(bot, question, words):
    answer = bot.ask(question)
    assert answer.found, answer.text
    check_citations(bot, answer)
    assert all(w in answer.text for w in words), answer.text


@pytest.mark.parametrize("question, first, lead", [
    ("Có phải Sở Y tế chủ trì hỗ trợ nạn nhân trong kế hoạch 2024 của Ninh Bình không?", "Không.",
     "Sở Lao động - Thương binh và Xã hội"),
    ("Sở Y tế có chủ trì hỗ trợ nạn nhân trong kế hoạch 2026-2030 không?", "Đúng.", "Sở Y tế"),
    ("Is the labour department still in charge of sending workers abroad under contract in Ninh Binh's 2026-2030 plan?",
     "No.", "Department of Home Affairs"),
    ("Trong KH 2026-2030 của Ninh Bình, quản lý đưa lao động đi làm việc ở nước ngoài theo hợp đồng có phải vẫn do "
     "Sở LĐ-TB&XH chủ trì không?", "Không.", "Sở Nội vụ"),
])
def test_a_yes_no_question_about_an_agency_s_role_is_answered_yes_or_no_then_by_who_has_it(bot, question, first, lead):
    answer = bot.ask(question)
    assert answer.found and answer.text.startswith(first), answer.text
    assert lead in answer.text.splitlines()[0]
    check_citations(bot, answer)


@pytest.mark.parametrize("question", [
    "Ở BR-VT, tập huấn chuyên sâu về ACTIP được ưu tiên trong giai đoạn nào?",
    "Bà Rịa - Vũng Tàu ưu tiên tuyên truyền về Công ước ACTIP trong giai đoạn nào?",
])
def test_an_item_is_quoted_with_the_lead_in_that_announces_it_even_without_a_colon(bot, question):
    answer = bot.ask(question)
    assert answer.found and "2021 - 2022" in answer.text, answer.text


@pytest.mark.parametrize("question, words", [
    ("tien dau de trien khai ke hoach 2026-2030 cua tinh ninh binh", ["dự toán ngân sách hằng năm"]),
    ("Kế hoạch 2026-2030 của Ninh Bình lấy tiền ở đâu ra?", ["dự toán ngân sách hằng năm"]),
    ("nha mang duoc de nghi lam gi trong ke hoach 2024 ninh binh", ["doanh nghiệp viễn thông", "tin nhắn"]),
])
def test_a_question_in_everyday_words_finds_the_documents_words(bot, question, words):
    answer = bot.ask(question)
    assert answer.found and all(w in answer.text for w in words), answer.text


@pytest.mark.parametrize("question, words", [
    ("What essential services should victim support facilities strengthen under Ninh Binh's 2026-2030 plan?",
     ["tâm lý chuyên sâu", "hỗ trợ khởi nghiệp"]),
    ("Những dịch vụ hỗ trợ thiết yếu nào cần nâng cao chất lượng theo kế hoạch 2026-2030 Ninh Bình?",
     ["tâm lý chuyên sâu", "hỗ trợ khởi nghiệp"]),
    ("BR-VT yêu cầu nâng cao năng lực quản lý xã hội trên những lĩnh vực nào?", ["cư trú", "hộ tịch", "cảng biển"]),
])
def test_a_list_written_inline_is_quoted_to_the_end_of_its_line(bot, question, words):
    answer = bot.ask(question)
    assert answer.found and all(w in answer.text for w in words), answer.text
    check_citations(bot, answer)


@pytest.mark.parametrize("question, intent", [
    ("What essential services should victim support facilities strengthen?", "list"),
    ("Which new data tools are named?", "list"),
    ("What role does the police play in the plan?", "tasks_of"),
    ("What does the plan say about funding?", "fact"),
])
def test_english_asking_for_items_by_a_plural_noun_is_a_list(question, intent):
    from assistant.query import understand

    assert understand(question).intent == intent


def test_the_verb_require_is_not_the_requirements_section():
    from assistant.query import understand

    assert understand("BR-VT yêu cầu nâng cao năng lực quản lý xã hội trên những lĩnh vực nào?").section is None
    assert understand("Mục đích, yêu cầu của kế hoạch ACTIP là gì?").section == "mục đích"  # the heading's first word
    assert understand("Các yêu cầu của kế hoạch ACTIP là gì?").section == "yêu cầu"


def test_a_comparison_of_a_topic_that_is_not_an_agency_is_told_plan_by_plan(bot):
    answer = bot.ask("So sánh mục tiêu của kế hoạch 2024 và kế hoạch 2026-2030 của Ninh Bình")
    assert answer.found and answer.intent == "compare", answer.text
    check_citations(bot, answer)
    assert answer.text.index("22/KH-BCĐ") < answer.text.index("2026-2030)")
    assert "MỤC TIÊU, YÊU CẦU" in answer.text and "Mục tiêu cụ thể" in answer.text


@pytest.mark.parametrize("question, words", [
    ("Quyết định 3087 căn cứ những văn bản nào?", ["Luật Tổ chức Hội đồng nhân dân", "1427/QĐ-TTg"]),
    ("What is the legal basis of the Quang Ninh decision?", ["Luật Phòng, chống mua bán người", "37/2009/QH12"]),
    ("Quyết định 3087 được ban hành theo đề nghị của ai?", ["Giám đốc Công an tỉnh"]),
    ("Bài báo về kế hoạch của Lâm Đồng do ai viết?", ["THỤY TRANG"]),
])
def test_a_documents_legal_basis_proposer_and_author_are_quoted_from_it(bot, question, words):
    answer = bot.ask(question)
    assert answer.found and answer.intent == "meta", answer.text
    check_citations(bot, answer)
    assert all(w in answer.text for w in words), answer.text


def test_a_proposer_a_plan_does_not_name_is_said_to_be_missing(bot):
    answer = bot.ask("Kế hoạch 2026-2030 của Ninh Bình được ban hành theo đề nghị của ai?")
    assert not answer.found, answer.text


@pytest.mark.parametrize("question, stated, not_stated", [
    ("Điều 150 quy định hình phạt tù cơ bản cho tội mua bán người là bao nhiêu năm?", "05 năm đến 10 năm", "08 năm"),
    ("Mua bán người có tổ chức thì bị phạt tù bao nhiêu năm?", "08 năm đến 15 năm", "05 năm"),
    ("What prison term applies under Article 150 when the trafficking is organised?", "08 năm đến 15 năm", "05 năm"),
    ("Mức phạt tù cao nhất theo Điều 150 là bao nhiêu?", "08 năm đến 15 năm", "05 năm"),
])
def test_a_penalty_question_is_answered_from_the_clause_whose_circumstances_it_names(make_bot, tmp_path, question,
                                                                                     stated, not_stated):
    bot = bot_over_law(make_bot, tmp_path, "bo-luat-hinh-su-dieu-150.txt", LAW_EXCERPT)
    answer = bot.ask(question)
    assert answer.found, answer.text
    assert stated in answer.text and not_stated not in answer.text, answer.text
    check_citations(bot, answer)
    check_quotes_verbatim(bot, answer)


@pytest.mark.parametrize("question", [
    "Kế hoạch phòng, chống mua bán người năm 2025 của Ban Chỉ đạo 138 tỉnh Ninh Bình đặt chỉ tiêu gì?",
    "What targets does the Quang Ninh plan for 2018 set?",
])
def test_a_plan_of_a_year_no_document_covers_is_said_to_be_missing_not_answered_from_another_year(bot, question):
    answer = bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    "Does the Ninh Binh 2026-2030 plan refer to Resolution 02/2019 on trafficking offences?",
    "Kế hoạch Ninh Bình 2026-2030 có nhắc Nghị quyết 02/2019 không?",
])
def test_the_year_in_a_cited_document_s_number_is_not_a_plan_year_missing(bot, question):
    answer = bot.ask(question)
    assert "2019" not in answer.text.split("\n")[0] or "02/2019" in answer.text, answer.text
    assert not re.search(r"covers 2019|cho 2019", answer.text), answer.text


def test_kế_hoạch_138_is_the_steering_committees_plan_not_a_document_numbered_138(bot):
    answer = bot.ask("Bài báo về kế hoạch 138 Lâm Đồng đăng ngày nào?")
    assert answer.found and "07/03/2024" in answer.text, answer.text


@pytest.mark.parametrize("question, heading, parts", [
    ("Quảng Ninh có bao nhiêu đề án giai đoạn 2011-2015?", "Các đề án của Chương trình", 3),
    ("Quảng Ninh có bao nhiêu đề án, kể tên?", "Các đề án của Chương trình", 3),  # the noun ends at the comma
    ("How many projects does the Quang Ninh 2011-2015 programme have?", "Các đề án của Chương trình", 3),
    ("lo trinh thuc hien ke hoach actip brvt chia may giai doan", "LỘ TRÌNH THỰC HIỆN", 2),
    ("What phases does the ACTIP plan of Ba Ria - Vung Tau have?", "LỘ TRÌNH THỰC HIỆN", 2),
])
def test_a_count_of_items_is_answered_by_the_list_headed_or_made_of_them(bot, question, heading, parts):
    answer = bot.ask(question)
    assert answer.found and answer.intent == "list", answer.text
    first = answer.text.splitlines()[0]
    assert heading in first and (f"gồm {parts} mục" in first or f"lists {parts} parts" in first), first
    check_citations(bot, answer)


def test_a_count_of_people_the_plans_do_not_give_is_not_answered_by_a_list(bot):
    answer = bot.ask("Năm 2021 Bà Rịa - Vũng Tàu đã tiếp nhận bao nhiêu nạn nhân bị mua bán trở về?")
    assert answer.intent != "list" or not answer.found, answer.text
    assert "gồm" not in answer.text.splitlines()[0]


@pytest.mark.parametrize("question, issuer", [
    ("Kế hoạch 2026-2030 của Ninh Bình do ai ban hành?", "Ủy ban nhân dân tỉnh ban hành kế hoạch"),
    ("ke hoach 2024 ninh binh do co quan nao ban hanh", "(Ban Chỉ đạo 138 tỉnh)"),
    ("Quyết định 3087 do cơ quan nào ban hành?", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"),
])
def test_the_issuer_is_quoted_from_the_header_or_the_opening_sentence_not_a_number_ending_in_ubnd(bot, question, issuer):
    answer = bot.ask(question)
    assert answer.found and issuer in answer.text, answer.text
    check_citations(bot, answer)


CLOSING_LAW = """QUỐC HỘI
Luật số: 12/2020/QH14
Hà Nội, ngày 10 tháng 6 năm 2020

LUẬT
PHÒNG, CHỐNG MUA BÁN NGƯỜI THỬ NGHIỆM

Chương I
NHỮNG QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Luật này quy định về phòng ngừa, phát hiện, xử lý hành vi mua bán người và hỗ trợ nạn nhân.

Điều 2. Áp dụng luật khác
Luật Tương trợ tư pháp được áp dụng; Luật Tương trợ tư pháp này có hiệu lực theo quy định riêng.
Luật Tương trợ tư pháp đã được Quốc hội thông qua ngày 21 tháng 11 năm 2007.

Chương II
ĐIỀU KHOẢN THI HÀNH

Điều 3. Hiệu lực thi hành
Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2021.

Luật này đã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XIV, kỳ họp thứ 10 thông qua ngày 17 tháng 11 năm 2020.
"""


@pytest.fixture(scope="module")
def closing_law_bot(tmp_path_factory, settings_for, embedder):
    from assistant.assistant import Assistant

    docs = tmp_path_factory.mktemp("law")
    (docs / "luat-12-2020-qh14-thu-nghiem.txt").write_text(CLOSING_LAW, encoding="utf-8")
    return Assistant(settings_for(docs), embedder=embedder).warm_up()


@pytest.mark.parametrize("question", [
    "Luật 12/2020/QH14 có hiệu lực từ khi nào?",
    "When does the 2020 anti-trafficking law come into force?",
    "luat nay co hieu luc tu ngay nao",
])
def test_a_law_s_effect_date_is_quoted_from_its_own_closing_clause(closing_law_bot, question):
    answer = closing_law_bot.ask(question)
    assert answer.found and "01 tháng 7 năm 2021" in answer.text, answer.text
    assert "Tương trợ tư pháp" not in answer.text


@pytest.mark.parametrize("question", [
    "Luật 12/2020/QH14 do Quốc hội khóa mấy, kỳ họp nào thông qua?",
    "Which session of the National Assembly adopted the 2020 law?",
    "luat nay duoc quoc hoi thong qua ngay nao",
])
def test_a_law_s_adoption_is_quoted_from_its_own_closing_line_not_one_it_cites(closing_law_bot, question):
    answer = closing_law_bot.ask(question)
    assert_says(answer, "khóa XIV, kỳ họp thứ 10")
    assert "2007" not in answer.text


@pytest.mark.parametrize("question", ["Luật này số hiệu là gì?", "What is the number of the law?"])
def test_a_law_s_number_is_read_from_its_luat_so_line(closing_law_bot, question):
    answer = closing_law_bot.ask(question)
    assert answer.found and "12/2020/QH14" in answer.text, answer.text


def test_a_particular_of_a_law_of_another_year_is_refused(closing_law_bot):
    answer = closing_law_bot.ask("Luật Phòng, chống mua bán người năm 2024 có bao nhiêu điều?")
    assert not answer.found, answer.text


# --- what a right answer must contain: a percentage, a named agency; a period no plan covers --------
@pytest.mark.parametrize("question", [
    "Theo kế hoạch 2026-2030 Ninh Bình, tỷ lệ vụ án mua bán người được xét xử phải đạt bao nhiêu phần trăm?",
    "What share of trafficking trials must be completed under Ninh Binh's 2026-2030 plan?",
])
def test_a_percentage_the_plan_does_not_set_is_refused(bot, question):
    answer = bot.ask(question)
    assert not answer.found, answer.text


def test_a_percentage_the_plan_sets_is_quoted(bot):
    answer = bot.ask("Kế hoạch 2024 của Ninh Bình đặt tỷ lệ giải quyết, truy tố vụ án mua bán người là bao nhiêu?")
    assert answer.found and "95%" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Trong giai đoạn 2016-2020 Bà Rịa - Vũng Tàu giao ai chủ trì tuyên truyền?",
    "What did Quang Ninh plan for the period 2016-2020?",
])
def test_a_period_no_plan_of_the_province_covers_is_said_to_be_missing(bot, question):
    answer = bot.ask(question)
    assert not answer.found and ("2021-2025" in answer.text or "2011-2015" in answer.text), answer.text


def test_a_programmes_period_the_plans_cite_is_not_taken_for_a_missing_plan(bot):
    answer = bot.ask("Ninh Bình thực hiện Chương trình phòng, chống mua bán người giai đoạn 2021-2025 theo kế hoạch số mấy?")
    assert answer.found and "45/KH-UBND" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Which department in Quang Ninh's 2011-2015 decision handles job placement and sending workers abroad?",
    "And back in Quang Ninh's 2011-2015 plan, who oversaw recruitment for work abroad?",
])
def test_who_is_answered_from_the_record_whose_task_holds_the_answering_sentence(bot, question):
    # "2. Sở Lao động, Thương binh và Xã hội phối hợp với … Đề án 3. Chỉ đạo việc … đưa người Việt Nam đi lao
    # động tại nước ngoài": the sentence names nobody, the paragraph's subject does
    answer = bot.ask(question)
    assert answer.found and "Labour, Invalids and Social Affairs" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Hạn chót nộp báo cáo năm của Bà Rịa - Vũng Tàu là ngày nào?",
    "By what date must Ba Ria - Vung Tau units send their yearly report?",
])
def test_a_deadline_day_is_not_answered_by_a_reporting_period(bot, question):
    # "(6 tháng, 1 năm và đột xuất)" says how often, not by which day
    answer = bot.ask(question)
    assert not answer.found, answer.text


def test_a_deadline_day_the_plan_gives_is_quoted(bot):
    answer = bot.ask("Đợt cao điểm tấn công tội phạm mua bán người năm 2024 ở Ninh Bình kết thúc ngày nào?")
    assert answer.found and "30/9/2024" in answer.text, answer.text


@pytest.mark.parametrize("question, missing", [
    ("What is the Lam Dong article's reference number?", "does not state a document number"),
    ("Bài báo Lâm Đồng do ai ký?", "không ghi người ký"),
])
def test_a_particular_a_document_lacks_is_named_as_missing(bot, question, missing):
    answer = bot.ask(question)
    assert not answer.found and missing in answer.text, answer.text


def test_every_department_and_agency_is_not_a_named_agency():
    from assistant.answer.refusal import states

    assert not states("agency", "trách nhiệm của các cấp, các ngành và Nhân dân trong phòng, chống mua bán người")
    assert not states("agency", "phối hợp với các cơ quan, tổ chức có liên quan")
    assert states("agency", "Sở Y tế chủ trì, phối hợp với các sở, ngành")


@pytest.mark.parametrize("question", [
    "cơ quan chủ trì hỗ trợ nạn nhân ở Quảng Ninh 2011-2015 và Bà Rịa - Vũng Tàu khác nhau thế nào?",
    "Compare who leads victim support in Quang Ninh's 2011-2015 decision and the Ba Ria - Vung Tau ACTIP plan",
])
def test_plans_of_two_provinces_are_compared_side_by_side_not_as_a_change(bot, question):
    answer = bot.ask(question)
    assert answer.found and answer.intent == "compare", answer.text
    assert "Quảng Ninh 2011-2015" in answer.text and "Bà Rịa - Vũng Tàu 2021-2025" in answer.text
    assert ("đều giao" in answer.text or "both give the lead" in answer.text), answer.text
    told = QUOTE.sub("", answer.text)  # the answer's own words: the quoted clauses may name other participants
    assert "→" not in told and "Sở Y tế" not in told and "Department of Health" not in told, answer.text
    assert "Ninh Bình" not in told  # only the two plans it names


def test_a_comparison_names_each_agency_as_its_plan_writes_it(bot):
    answer = bot.ask("so sanh co quan chu tri ho tro nan nhan trong ke hoach quang ninh 2011-2015 va ke hoach ninh binh 2026-2030")
    assert "Sở Lao động, Thương binh và Xã hội" in answer.text and "Sở Y tế" in answer.text, answer.text


def test_a_plan_named_by_the_convention_it_implements_is_not_the_comparisons_topic(bot):
    answer = bot.ask("So sánh cơ quan chủ trì công tác tuyên truyền trong KH Quảng Ninh 2011–2015 và KH thực hiện "
                     "Công ước ACTIP của Bà Rịa - Vũng Tàu.")
    assert "Sở Thông tin và Truyền thông" in answer.text and "Công an tỉnh" in answer.text, answer.text
    assert "ACTIP”" not in answer.text.split("\n")[0]


# --- a provision the question names: the clause whole, or the point under its lead line -----------------
PENAL_ARTICLES = Path(__file__).resolve().parent.parent.parent / "shared" / "legal" / "bo-luat-hinh-su-2015-dieu-150-151-nguyen-van-2015.txt"


def bot_over_shared_law(tmp_path_factory, settings_for, embedder, law: Path):
    """An assistant over one of the shared legal texts, copied to a fresh folder (skipped where they are absent)."""
    from assistant.assistant import Assistant

    if not law.is_file():
        pytest.skip(f"{law} is not available (read-only shared legal texts)")
    docs = tmp_path_factory.mktemp("law")
    (docs / law.name).write_bytes(law.read_bytes())
    return Assistant(settings_for(docs), embedder=embedder).warm_up()


@pytest.fixture(scope="module")
def penal_bot(tmp_path_factory, settings_for, embedder):
    return bot_over_shared_law(tmp_path_factory, settings_for, embedder, PENAL_ARTICLES)


@pytest.mark.parametrize("question", [
    "Những tình tiết nào ở khoản 2 Điều 151 đẩy khung hình phạt lên 12 đến 20 năm tù?",
    "What circumstances does clause 2 of Article 151 list?",
    "khoan 2 dieu 151 gom nhung truong hop nao",
])
def test_a_named_clause_is_quoted_whole_with_every_point(penal_bot, question):
    answer = penal_bot.ask(question)
    assert answer.found, answer.text
    for point in ("Lợi dụng chức vụ, quyền hạn", "con nuôi", "động cơ đê hèn", "từ 12 năm đến 20 năm"):
        assert point in answer.text, (point, answer.text)
    assert "khoản 2 Điều 151" in answer.text or "Article 151(2)" in answer.text


@pytest.mark.parametrize("question", ["Điểm đ khoản 2 Điều 150 quy định gì?", "What does Article 150(2)(đ) cover?"])
def test_a_named_point_is_quoted_under_the_lead_line_it_hangs_from(penal_bot, question):
    answer = penal_bot.ask(question)
    assert answer.found and "Đưa nạn nhân ra khỏi biên giới" in answer.text and "từ 08 năm đến 15 năm" in answer.text
    assert "Có tổ chức" not in answer.text  # the other points of the clause are not quoted


def test_a_named_clause_of_a_year_the_text_is_not_is_refused(penal_bot):
    answer = penal_bot.ask("How did the 2017 amendment change clause 2 of Article 150?")
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    "Công an tỉnh phối hợp với sở nào để tuyên truyền ở trường học năm 2024?",
    "cong an tinh ninh binh phoi hop voi so nao de tuyen truyen trong truong hoc 2024",
])
def test_schools_are_the_plans_educational_institutions(bot, question):
    # "trường học" typed; "các cơ sở giáo dục" written
    answer = bot.ask(question)
    assert answer.found and "phối hợp: Sở Giáo dục và Đào tạo" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "What are the purposes and requirements of the Ba Ria - Vung Tau ACTIP plan?",
    "muc dich yeu cau cua ke hoach actip ba ria vung tau la gi",
])
def test_a_short_list_is_quoted_at_more_length_than_a_long_one(bot, question):
    # three items of several sentences each: their later words ("hồi hương an toàn", "ASEAN") are quoted too
    answer = bot.ask(question)
    assert answer.found and "hồi hương an toàn" in answer.text and "ASEAN" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "What topics should training for anti-trafficking staff and grassroots communicators cover under Ninh Binh's 2026-2030 plan?",
    "Ninh Bình 2026-2030 bồi dưỡng tuyên truyền viên cơ sở những kỹ năng gì?",
])
def test_a_list_carried_inline_by_the_best_sentence_is_quoted_not_a_list_headed_nearby(bot, question):
    # "… nhất là đào tạo về giới; tâm lý nạn nhân …; kỹ năng thu thập, phân tích dữ liệu điện tử …"
    answer = bot.ask(question)
    assert answer.found and "tâm lý nạn nhân" in answer.text and "dữ liệu điện tử" in answer.text, answer.text


@pytest.mark.parametrize("question, office", [
    ("Through which office do Ba Ria - Vung Tau units send their reports to the steering committee?", "qua Phòng tham mưu"),
    ("bao cao gui ve ban chi dao 138 tinh qua co quan nao o ninh binh 2024", "qua Công an tỉnh"),
])
def test_the_office_a_report_goes_through_is_quoted_from_beside_it(bot, question, office):
    answer = bot.ask(question)
    assert answer.found and office in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "In Ninh Binh's 2024 plan, who is asked to send text messages about trafficking to the public?",
    "nb 2024 ai nhan tin tuyen truyen cho nguoi dan",
])
def test_a_task_after_another_tasks_closing_clause_on_the_same_line_is_its_own(bot, question):
    # "… (*Công an tỉnh chủ trì thực hiện*). Đề nghị các doanh nghiệp viễn thông … gửi tin nhắn … (*Sở Thông tin …*)."
    answer = bot.ask(question)
    assert answer.found and "doanh nghiệp viễn thông" in answer.text and "Công an tỉnh chủ trì" not in answer.text


@pytest.mark.parametrize("question, clause, not_clause", [
    ("Mua bán người có tổ chức thì bị phạt tù bao nhiêu năm?", "từ 08 năm đến 15 năm", "dưới 16"),
    ("What prison term applies to organised trafficking?", "08 năm đến 15 năm", "18 năm"),
    ("Mua bán trẻ em dưới 16 tuổi có tổ chức bị phạt tù bao nhiêu năm?", "từ 18 năm đến 20 năm", "08 năm"),
])
def test_the_general_offence_is_not_taken_for_one_qualified_by_words_not_asked(penal_bot, question, clause, not_clause):
    answer = penal_bot.ask(question)
    assert answer.found and clause in answer.text and not_clause not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Mức phạt hành chính đối với hành vi kỳ thị, phân biệt đối xử với nạn nhân bị mua bán là bao nhiêu tiền?",
    "Tiết lộ thông tin về nạn nhân bị phạt hành chính bao nhiêu tiền?",
])
def test_a_penalty_for_an_act_the_articles_do_not_punish_is_refused(penal_bot, question):
    answer = penal_bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question, topic", [
    ("Does the 2026-2030 Ninh Binh plan still give victim support to the labour department, or to someone else?",
     "victim support"),
    ("Kế hoạch 2024 và kế hoạch 2026-2030 của Ninh Bình lần lượt giao ai chủ trì tuyên truyền, hay vẫn là Công an tỉnh?",
     "tuyên truyền"),
])
def test_the_words_around_a_comparison_s_topic_are_not_its_topic(question, topic):
    from assistant.answer.compare import comparison_topic
    from assistant.query import understand

    assert comparison_topic(understand(question), without_agencies=True) == topic


@pytest.mark.parametrize("question", [
    "What sanctions does the Ba Ria - Vung Tau plan set for agencies that report late?",
    "Những hình thức xử phạt nào được Quảng Ninh áp dụng với các huyện không hoàn thành chỉ tiêu?",
])
def test_a_list_that_states_none_of_what_is_asked_does_not_answer(bot, question):
    # the plans set reporting duties and targets, no sanctions: a list of duties (or a "1 năm" reporting period,
    # which is no prison term) must not stand in for them
    answer = bot.ask(question)
    assert not answer.found, answer.text


TWO_ARTICLES = """Điều 150. Tội mua bán người
1. Người nào dùng vũ lực, đe dọa dùng vũ lực, lừa gạt hoặc bằng thủ đoạn khác thực hiện một trong các hành vi sau đây, thì bị phạt tù từ 05 năm đến 10 năm:
a) Chuyển giao hoặc tiếp nhận người để giao, nhận tiền, tài sản hoặc lợi ích vật chất khác;
b) Chuyển giao hoặc tiếp nhận người để bóc lột tình dục, cưỡng bức lao động, lấy bộ phận cơ thể của nạn nhân.
2. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 08 năm đến 15 năm:
a) Có tổ chức;
b) Đối với từ 02 đến 05 người;
3. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 12 năm đến 20 năm:
a) Có tính chất chuyên nghiệp;
b) Đối với 06 người trở lên.

Điều 151. Tội mua bán người dưới 16 tuổi
1. Người nào thực hiện một trong các hành vi sau đây, thì bị phạt tù từ 07 năm đến 12 năm:
a) Chuyển giao hoặc tiếp nhận người dưới 16 tuổi để giao, nhận tiền, tài sản hoặc lợi ích vật chất khác;
b) Chuyển giao hoặc tiếp nhận người dưới 16 tuổi để bóc lột tình dục, cưỡng bức lao động, lấy bộ phận cơ thể.
2. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 12 năm đến 20 năm:
a) Lợi dụng chức vụ, quyền hạn;
b) Đối với từ 02 người đến 05 người;
3. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 18 năm đến 20 năm hoặc tù chung thân:
a) Có tổ chức;
b) Đối với 06 người trở lên.
"""


@pytest.mark.parametrize("question, stated", [
    # a count of people falls in a point's range, written with zeros ("từ 02 đến 05 người")
    ("Lừa bán 4 người ra nước ngoài thì khung hình phạt là bao nhiêu năm tù?", "08 năm đến 15 năm"),
    ("What prison range applies for trafficking seven people?", "12 năm đến 20 năm"),
    # an age below the title's, or a child, is of the article on under-16s; without one it is the general offence
    ("A 13-year-old is sold by an organised gang: what is the prison range?", "18 năm đến 20 năm"),
    ("Mua bán trẻ em có tổ chức thì bị phạt tù bao nhiêu năm?", "18 năm đến 20 năm"),
    ("Mua bán người có tổ chức thì bị phạt tù bao nhiêu năm?", "08 năm đến 15 năm"),
    # an age typed as a number is a fact of the case, not a number the law must repeat ("15 tuổi" is "dưới 16 tuổi")
    ("Một nhóm có tổ chức bán bé gái 15 tuổi thì bị phạt tù bao nhiêu năm?", "18 năm đến 20 năm"),
    ("Someone who sold a 14 year old to an organised ring faces what prison term?", "18 năm đến 20 năm"),
])
def test_a_penalty_is_read_from_the_point_the_question_s_facts_fall_in(make_bot, tmp_path, question, stated):
    bot = bot_over_law(make_bot, tmp_path, "bo-luat-hinh-su-dieu-150-151.txt", TWO_ARTICLES)
    answer = bot.ask(question)
    assert answer.found and stated in answer.text.splitlines()[0], answer.text


@pytest.mark.parametrize("question", [
    "Khoản 3 Điều 151 về mua bán người dưới 16 tuổi gồm những tình tiết nào?",
    "Which circumstances in Article 151(3) on trafficking children under 16 bring life imprisonment?",
])
def test_a_named_clause_is_quoted_whole_though_the_question_repeats_its_article_s_title(make_bot, tmp_path, question):
    # "16" is in the article's title, not in the clause: it names no other provision
    answer = bot_over_law(make_bot, tmp_path, "bo-luat-hinh-su-dieu-150-151.txt", TWO_ARTICLES).ask(question)
    assert answer.found and "18 năm đến 20 năm" in answer.text and "a) Có tổ chức" in answer.text, answer.text


def test_a_part_answered_by_the_same_quote_as_an_earlier_part_points_back_to_it():
    from dataclasses import replace

    from assistant.answer.compound import merge_answers

    cite = Citation(n=1, doc_id="plan", title="Plan", section="III › 1", text="…", start=10, end=90)
    same = Answer("q", "Theo Kế hoạch, mục III.1: “Định kỳ theo quý … gửi về Ban Chỉ đạo 138 tỉnh” [1]", True, (cite,))
    other = Answer("q", "Theo Kế hoạch, mục III.2: “Định kỳ tổng hợp … gửi Ban Chỉ đạo của Chính phủ” [1]", True,
                   (replace(cite, start=100, end=180),))
    text, cites = merge_answers([("1. Kỳ báo cáo?", same), ("2. Gửi đi đâu?", same), ("3. Tổng hợp báo cáo ai?", other)])
    assert text.count("Định kỳ theo quý") == 1 and "(Đoạn trích ở phần 1 cũng trả lời phần này.)" in text, text
    assert "Định kỳ tổng hợp … gửi Ban Chỉ đạo của Chính phủ” [2]" in text and len(cites) == 2
    english, _ = merge_answers([("1. When?", same), ("2. Where to?", same)], en=True)
    assert "(The passage quoted for part 1 answers this part too.)" in english


def test_a_list_written_as_sentences_is_quoted_sentence_by_sentence(make_bot, tmp_path):
    docs = tmp_path / "plan"
    docs.mkdir()
    (docs / "ha-nam-2025-ke-hoach.txt").write_text(
        "KẾ HOẠCH phòng, chống mua bán người năm 2025 của tỉnh Hà Nam\n\n"
        "I. MỤC TIÊU\n"
        "Phấn đấu kéo giảm số vụ phạm tội mua bán người.\n\nBảo đảm 100% tố giác, tin báo về tội phạm được tiếp nhận, "
        "xử lý.\n\nTỷ lệ điều tra, khám phá các vụ án đạt trên 85%.\n\nBảo đảm 92% số vụ án được truy tố đúng hạn.\n\n"
        "Phấn đấu 88% số vụ án được đưa ra xét xử.\n\n"
        "II. NHIỆM VỤ\nTổ chức tuyên truyền tại cộng đồng (Công an tỉnh chủ trì).\n", encoding="utf-8")
    bot = make_bot(docs)
    answer = bot.ask("Kế hoạch đặt những chỉ tiêu nào về tiếp nhận tố giác, điều tra, truy tố và xét xử?")
    assert answer.found, answer.text
    assert all(figure in answer.text for figure in ("100%", "85%", "92%", "88%")), answer.text
    assert answer.text.index("100%") < answer.text.index("88%")  # in the document's order


def test_topic_words_that_share_a_syllable_with_who_words_stay_topic_words(bot):
    terms = bot._composer._topic_terms("Cơ quan nào chủ trì giải quyết vụ án mua bán người?", "vi")
    assert {"vụ_án", "giải_quyết"} <= terms and not {"chủ_trì", "trì_giải", "cơ_quan", "quan_chủ"} & terms, terms
    terms = bot._composer._topic_terms("Ai phối hợp với Công an tỉnh trong hợp tác quốc tế?", "vi")
    assert {"công_an", "hợp_tác"} <= terms and "phối_hợp" not in terms, terms


def test_a_list_s_sentences_in_one_paragraph_are_quoted_with_what_lies_between(make_bot, tmp_path):
    docs = tmp_path / "plan"
    docs.mkdir()
    (docs / "ha-nam-2025-ke-hoach.txt").write_text(
        "KẾ HOẠCH phòng, chống mua bán người năm 2025 của tỉnh Hà Nam\n\n"
        "I. MỤC TIÊU\n"
        "Mục tiêu phấn đấu kéo giảm số vụ phạm tội mua bán người; 100% tố giác, tin báo về tội phạm được tiếp nhận, "
        "xử lý, tỷ lệ giải quyết đạt trên 85%. Tỷ lệ điều tra, khám phá các vụ án mua bán người đạt trên 80% tổng số án "
        "khởi tố; 93% số vụ án mua bán người hằng năm được giải quyết và truy tố; 87% số vụ án mua bán người được giải "
        "quyết, xét xử. Và làm tốt công tác tiếp nhận, xác minh, hỗ trợ nạn nhân bị mua bán.\n\n"
        "II. NHIỆM VỤ\nTổ chức tuyên truyền tại cộng đồng (Công an tỉnh chủ trì).\n", encoding="utf-8")
    bot = make_bot(docs)
    for question in ("What case-handling targets does the Ha Nam plan set?",
                     "Kế hoạch Hà Nam đặt ra những chỉ tiêu gì về giải quyết vụ án?"):
        answer = bot.ask(question)
        assert answer.found, answer.text
        assert all(figure in answer.text for figure in ("85%", "80%", "93%", "87%")), answer.text


@pytest.mark.parametrize("question", [
    "Email nhận báo cáo của Ban Chỉ đạo 138 tỉnh Bà Rịa - Vũng Tàu là gì?",  # the passage gives an address, phone, fax
    "Trang web của Ban Chỉ đạo 138 Bà Rịa - Vũng Tàu là gì?",
    "Ninh Binh 2026-2030 cooperates with which international NGOs on trafficking?",  # "tổ chức phi chính phủ", none named
    "Kế hoạch Ninh Bình 2026-2030 hợp tác với tổ chức phi chính phủ quốc tế nào?",
])
def test_a_contact_or_partner_the_passage_does_not_name_is_refused_saying_what_is_missing(bot, question):
    answer = bot.ask(question)
    assert not answer.found, answer.text
    assert any(word in answer.text for word in ("thư điện tử", "trang web", "tổ chức", "email", "website", "organisation")), answer.text


def test_a_cited_document_s_date_is_no_deadline_unless_that_document_is_asked_about():
    from assistant.answer.refusal import states_asked
    from assistant.query import understand

    cited = "Tiếp tục thực hiện Kế hoạch số 2496/KH-UBND ngày 23/4/2021 của UBND tỉnh về phòng, chống mua bán người."
    assert not states_asked(understand("By what day of the month must districts report?", (), ()), cited)
    assert states_asked(understand("Kế hoạch này thực hiện kế hoạch số mấy, ban hành ngày nào?", (), ()), cited)
    assert states_asked(understand("Kế hoạch 2496/KH-UBND ban hành ngày nào?", (), ()), cited)
    assert states_asked(understand("Hạn chót gửi báo cáo là ngày nào?", (), ()), "Các sở gửi báo cáo trước ngày 15/6 hằng năm.")


DEFINING_LAW = (
    "LUẬT\nPHÒNG, CHỐNG BẠO LỰC GIA ĐÌNH (THỬ NGHIỆM)\n\n"
    "Chương I\nNHỮNG QUY ĐỊNH CHUNG\n\n"
    "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về phòng ngừa bạo lực gia đình.\n\n"
    "Điều 2. Giải thích từ ngữ\nTrong Luật này, các từ ngữ dưới đây được hiểu như sau:\n"
    "1. Bạo lực gia đình là hành vi cố ý của thành viên gia đình gây tổn hại về thể chất, tinh thần đối với thành viên khác.\n"
    "2. Người bị bạo lực gia đình là thành viên gia đình bị tổn hại do hành vi bạo lực gia đình gây ra.\n"
    "3. Cưỡng ép kết hôn là việc đe dọa, uy hiếp tinh thần, hành hạ hoặc thủ đoạn khác để buộc người khác kết hôn trái với ý muốn của họ.\n\n"
    "Điều 3. Các hành vi bị nghiêm cấm\n1. Cưỡng ép kết hôn, ly hôn.\n2. Trả thù người tố giác.\n\n"
    "Điều 4. Xử lý vi phạm\nNgười có hành vi cưỡng ép kết hôn thì bị phạt tiền từ 10.000.000 đồng đến 20.000.000 đồng.\n"
)


@pytest.mark.parametrize("question, term", [
    ("Cưỡng ép kết hôn được luật này hiểu như thế nào?", "Cưỡng ép kết hôn là việc"),
    ("cuong ep ket hon la gi", "Cưỡng ép kết hôn là việc"),
    ("Thế nào thì được coi là “người bị bạo lực gia đình”?", "Người bị bạo lực gia đình là thành viên"),
    ("What does forced marriage mean under this law?", "Cưỡng ép kết hôn là việc"),
])
def test_a_term_asked_about_is_answered_with_the_law_s_own_definition(make_bot, tmp_path, question, term):
    bot = bot_over_law(make_bot, tmp_path, "luat-bao-luc-gia-dinh-thu-nghiem.txt", DEFINING_LAW)
    answer = bot.ask(question)
    assert answer.found and term in answer.text, answer.text
    assert "Điều 2" in answer.text or "Article 2" in answer.text
    assert answer.text.count("[1]") == 1 and len(answer.citations) == 1  # the definition alone, not the articles using it


def test_a_penalty_for_a_defined_act_is_not_its_definition(make_bot, tmp_path):
    bot = bot_over_law(make_bot, tmp_path, "luat-bao-luc-gia-dinh-thu-nghiem.txt", DEFINING_LAW)
    answer = bot.ask("Cưỡng ép kết hôn bị phạt bao nhiêu tiền?")
    assert "20.000.000" in answer.text and "là việc đe dọa" not in answer.text, answer.text


@pytest.mark.parametrize("question, period", [
    ("Ninh Binh 2024: how frequently must member departments send reports?", "theo quý"),
    ("KH 2026-2030 Ninh Bình: các đơn vị báo cáo kết quả theo những kỳ nào?", "06 tháng, 01 năm"),
    ("Under the ACTIP plan, how often do units in Ba Ria - Vung Tau report?", "6 tháng, 1 năm"),
])
def test_how_often_is_answered_with_the_sentence_that_gives_the_periods(bot, question, period):
    answer = bot.ask(question)
    assert answer.found and period in answer.text.split("\n")[0], answer.text


@pytest.mark.parametrize("question, sent_to", [
    ("Kế hoạch 2026-2030 của Ninh Bình được gửi đến những cơ quan nào?", ("Bộ Công an", "UBND các xã, phường")),
    ("Which bodies receive a copy of Ninh Binh's 2024 plan 22/KH-BCĐ?", ("Văn phòng Chính phủ", "UBND các huyện, thành phố")),
])
def test_whom_a_document_is_sent_to_is_its_whole_recipients_block(bot, question, sent_to):
    answer = bot.ask(question)
    assert answer.found and all(body in answer.text for body in sent_to), answer.text
    assert len(answer.citations) == 1


def test_who_signs_in_the_present_tense_is_the_signer():
    from assistant.metadata import meta_kind

    assert meta_kind("Who signs the plan on behalf of the People's Committee?") == "signer"
    assert meta_kind("KH 22 được xây dựng để thực hiện văn bản nào của Trung ương?") == "basis"


def test_a_level_asked_is_answered_with_the_sentence_that_names_it(bot):
    answer = bot.ask("Ninh Bình 2026-2030: các biện pháp phòng, chống mua bán người lấy địa bàn cấp nào làm trọng tâm?")
    assert answer.found and "cấp cơ sở" in answer.text, answer.text


def test_an_age_in_the_question_is_no_number_the_passage_must_repeat():
    from assistant.answer.refusal import named_numbers
    from assistant.query import understand

    assert named_numbers(understand("Bán một đứa trẻ 15 tuổi ra nước ngoài thì bị phạt tù bao nhiêu năm?", (), ())) == []
    assert named_numbers(understand("A 14-year-old sold abroad: what sentence?", (), ())) == []
    assert named_numbers(understand("Điều 151 phạt người bán trẻ 15 tuổi thế nào?", (), ())) == ["151"]


@pytest.mark.parametrize("question", [
    "Tổ chức cho người khác trốn đi nước ngoài trái phép bị phạt tù bao nhiêu năm?",  # "có tổ chức" is only a circumstance
    "What prison term applies to organising illegal emigration?",
    "Buôn lậu ma túy qua biên giới bị phạt tù bao nhiêu năm?",
])
def test_the_penalty_for_another_offence_is_not_this_article_s(make_bot, tmp_path, question):
    bot = bot_over_law(make_bot, tmp_path, "bo-luat-hinh-su-dieu-150-151.txt", TWO_ARTICLES)
    answer = bot.ask(question)
    assert not answer.found, answer.text


def test_an_act_of_the_offence_named_in_the_question_is_this_article_s(make_bot, tmp_path):
    bot = bot_over_law(make_bot, tmp_path, "bo-luat-hinh-su-dieu-150-151.txt", TWO_ARTICLES)
    answer = bot.ask("Chuyển giao người để lấy nội tạng bị phạt bao nhiêu năm tù?")  # "chuyển giao" is no "giao" (assign)
    assert answer.found and "05 năm đến 10 năm" in answer.text.splitlines()[0], answer.text


def test_a_word_with_alternative_terms_is_said_by_any_one_of_them(bot):
    from assistant.text import keyword_terms

    composer = bot._composer
    terms = composer._topic_terms("What targets does the plan set?", "en")  # targets: chỉ tiêu | mục tiêu
    words = set(keyword_terms("Mục tiêu phấn đấu kéo giảm số vụ phạm tội"))
    assert composer._coverage(terms, words) > 0.9
    assert composer._coverage(set(terms), words) < 0.7  # every alternative weighed as if all were asked
    answer = bot.ask("What percentage targets does Lam Dong's 2024 anti-trafficking plan set?")
    assert answer.found and "95%" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "A man sold a young woman abroad. What prison range does he face?",
    "What is the sentence for trafficking someone abroad?",
])
def test_abroad_is_read_as_the_law_writes_it_out_of_the_country(make_bot, tmp_path, question):
    bot = bot_over_law(make_bot, tmp_path, "bo-luat-hinh-su-dieu-150.txt", LAW_EXCERPT)
    answer = bot.ask(question)
    assert answer.found and "08 năm đến 15 năm" in answer.text and "ra khỏi biên giới" in answer.text, answer.text


@pytest.mark.parametrize("question, figure", [
    ("How many communicators should each commune in Quang Ninh have?", "10 tuyên truyền viên/xã"),
    ("Mỗi huyện ở Quảng Ninh cần ít nhất mấy báo cáo viên?", "05 báo cáo viên/huyện"),
])
def test_how_many_for_each_unit_is_a_figure_not_a_list_counted(bot, question, figure):
    from assistant.query import understand

    assert understand(question, (), ()).intent != "list"
    answer = bot.ask(question)
    assert answer.found and figure in answer.text, answer.text


def test_an_english_comparison_of_leads_names_each_agency_as_the_plan_writes_it(bot):
    answer = bot.ask("How has the lead agency for victim support changed across Ninh Binh's plans?")
    assert answer.found and "Department of Health (Sở Y tế)" in answer.text, answer.text
    assert "(Sở Lao động - Thương binh và Xã hội)" in answer.text


@pytest.mark.parametrize("question, period", [
    ("Kế hoạch của Ninh Bình 2026 có thời gian thực hiện đến năm nào?", "định hướng đến năm 2035"),
    ("What period does the Quang Ninh plan cover?", "2011-2015"),
])
def test_the_period_a_plan_covers_is_read_from_its_title(bot, question, period):
    answer = bot.ask(question)
    assert answer.found and period in answer.text.splitlines()[0], answer.text


@pytest.mark.parametrize("question, stated, not_stated", [
    # a circumstance told in the user's words ("out of the country", "qua biên giới", "a kidney")
    ("Traffickers smuggled a 20-year-old woman out of the country to sell her. How long could they be jailed?",
     "08 năm đến 15 năm", "05 năm đến 10 năm"),
    ("Bọn buôn người bán một bé trai 9 tuổi qua biên giới thì bị phạt tù mấy năm?", "12 năm đến 20 năm", "07 năm"),
    ("A gang removed a kidney from an adult victim they had sold; what is the sentence?", "12 năm đến 20 năm", "chung thân"),
    # an adult is not of the article on under-16s, though it is the one retrieved for the count
    ("Bán 7 người trưởng thành thì mức án tù là bao nhiêu?", "12 năm đến 20 năm", "chung thân"),
    # several circumstances: the heaviest clause any of them opens
    ("They sold three adults and took organs from one of them: what prison term?", "12 năm đến 20 năm", "08 năm"),
])
def test_a_described_case_gets_the_clause_of_its_heaviest_circumstance(penal_bot, question, stated, not_stated):
    assert_states(penal_bot.ask(question), stated, not_stated)


@pytest.mark.parametrize("question, first, second", [
    ("Khung hình phạt cơ bản của Điều 150 và Điều 151 khác nhau thế nào?", "05 năm đến 10 năm", "07 năm đến 12 năm"),
    ("How does the sentence for an organised group differ if the victim is an adult rather than under 16?",
     "08 năm đến 15 năm", "18 năm đến 20 năm"),
])
def test_penalties_set_side_by_side_are_given_article_by_article(penal_bot, question, first, second):
    answer = penal_bot.ask(question)
    assert_says(answer, first, second)
    assert answer.text.index(first) < answer.text.index(second) and len(answer.citations) == 2, answer.text


@pytest.mark.parametrize("question, year", [
    ("Ninh Binh and Lam Dong each issued a provincial plan for the 2021-2025 national programme: what are their numbers?",
     None),
    ("Kế hoạch thực hiện chương trình 2021–2025 của Lâm Đồng số mấy?", None),
    ("the plan for the 2016 - 2020 anti-trafficking programme in Quang Ninh", None),
    ("Kế hoạch năm 2025 của Ninh Bình đặt chỉ tiêu gì?", "2025"),
    ("the plan for 2016 - 2020 in Quang Ninh", "2016"),
])
def test_the_period_of_the_programme_a_plan_implements_is_not_the_plan_s_year(question, year):
    from assistant.answer.compose import _PLAN_YEAR

    m = _PLAN_YEAR.search(question)
    assert (m.group(2) if m else None) == year, m and m.group(0)


@pytest.mark.parametrize("question, stated, not_stated", [
    ("Besides a prison term, what else can a court impose on someone convicted of trafficking children?",
     "50.000.000 đồng đến 200.000.000 đồng", "20.000.000"),
    ("Kẻ bán người lớn còn bị phạt tiền tối đa bao nhiêu?", "20.000.000 đồng đến 100.000.000 đồng", "200.000.000"),
])
def test_what_an_offence_adds_to_prison_is_quoted_from_its_article_s_last_clause(penal_bot, question, stated, not_stated):
    assert_states(penal_bot.ask(question), stated, not_stated)


def test_the_fines_for_trafficking_adults_and_children_are_set_side_by_side(penal_bot):
    answer = penal_bot.ask("So sánh mức phạt tiền đối với tội mua bán người và mua bán trẻ em dưới 16 tuổi")
    assert_says(answer, "20.000.000", "200.000.000")


@pytest.mark.parametrize("question", [
    "If a trafficked woman took her own life, I mean committed suicide, what bracket applies?",
    "What sentence do the traffickers get if the victim died?",
])
def test_a_victim_s_death_told_in_english_falls_in_its_point(penal_bot, question):
    answer = penal_bot.ask(question)
    assert_says(answer, "12 năm đến 20 năm", "chết hoặc tự sát")


@pytest.mark.parametrize("question", [
    "Which body must keep a hotline open for reports of trafficking under Ba Ria - Vung Tau's ACTIP plan?",
    "Under the BRVT plan, who maintains hotlines to receive crime reports?",
])
def test_an_english_hotline_is_also_the_plans_duong_day_nong(bot, question):
    # "hotline" is "tổng đài điện thoại" in the Ninh Bình plans and "đường dây nóng" in Bà Rịa - Vũng Tàu's
    answer = bot.ask(question)
    assert_says(answer, "đường dây nóng", "Ủy ban nhân dân các huyện")


@pytest.mark.parametrize("question, stated, not_stated", [
    # an age told as "he's 15", a border crossed as "to Laos": the article on under-16s, its border point
    ("My nephew, he's 15, was taken to Laos by a neighbour and sold there. What's the prison range?",
     "12 năm đến 20 năm", "08 năm"),
    # one of two alternatives of a point ("chết hoặc tự sát"), heavier than the count of victims
    ("Bọn chúng bán 4 cô gái sang Campuchia, một cô đã tự sát. Khung hình phạt là gì?", "12 năm đến 20 năm", "08 năm"),
    # the basic clause when the case has nothing aggravating, though "lần đầu" resembles "02 lần trở lên"
    ("Khung cơ bản khi lừa bán một người 25 tuổi, lần đầu phạm tội là bao nhiêu năm tù?", "05 năm đến 10 năm", "02 lần"),
    ("A woman aged 30 was tricked and handed over to a brothel, with no aggravating circumstances. What's the prison range?",
     "05 năm đến 10 năm", "08 năm"),
    # "no OTHER aggravating factors": none beyond the border the story tells, which still counts
    ("A trafficker sold a 30-year-old man to a fishing boat owner in Thailand; nothing else aggravating. What sentence bracket?",
     "08 năm đến 15 năm", "05 năm đến 10 năm"),
    ("Một người lừa chị A (22 tuổi) sang Campuchia rồi bán, không có tình tiết tăng nặng nào khác. Bị phạt tù bao nhiêu năm?",
     "08 năm đến 15 năm", "05 năm đến 10 năm"),
])
def test_a_case_told_in_everyday_words_falls_in_the_clause_the_code_gives_it(penal_bot, question, stated, not_stated):
    assert_states(penal_bot.ask(question), stated, not_stated)


LAW_66 = PENAL_ARTICLES.parent / "luat-66-2011-QH12-phong-chong-mua-ban-nguoi.txt"


@pytest.fixture(scope="module")
def support_law_bot(tmp_path_factory, settings_for, embedder):
    return bot_over_shared_law(tmp_path_factory, settings_for, embedder, LAW_66)


@pytest.fixture(scope="module")
def both_laws_bot(tmp_path_factory, settings_for, embedder):
    """An assistant over the two shared legal texts the legal eval sets ask of."""
    from assistant.assistant import Assistant

    if not (PENAL_ARTICLES.is_file() and LAW_66.is_file()):
        pytest.skip("the shared legal texts are not available (read-only shared legal texts)")
    docs = tmp_path_factory.mktemp("laws")
    for law in (PENAL_ARTICLES, LAW_66):
        (docs / law.name).write_bytes(law.read_bytes())
    return Assistant(settings_for(docs), embedder=embedder).warm_up()


@pytest.mark.parametrize("question", [
    "How much in VND does a returning victim from a poor household get as the one-off hardship allowance?",
    "Mức trợ cấp khó khăn ban đầu cho nạn nhân là bao nhiêu tiền?",
    # the amount asked in other words: "how much is the … allowance / grant / compensation"
    "How much is the one-off initial hardship allowance that a survivor from a poor household receives when she returns?",
    "How much is the hardship grant a returning victim gets under the law?",
    "How much compensation does the law give victims?",
    # the sum asked by its noun
    "what is the size of the one-off grant for a victim's initial hardship",
    "what's the value of the initial hardship allowance for poor households",
])
def test_an_amount_the_law_leaves_to_the_government_is_refused(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    # the law gives 03 days to the district labour office and 20 days to the police, none to the missions abroad
    "Within how many days must the Vietnamese embassy bring a trafficked citizen home once her identity is verified?",
    "Theo luật, cơ quan đại diện Việt Nam ở nước ngoài phải đưa nạn nhân về nước trong thời hạn bao lâu?",
    # a length of time the law does not set: "the maximum period", "tối đa bao lâu"
    "What's the maximum period a survivor is allowed to stay in a state social protection centre?",
    "Nạn nhân được ở lại cơ sở bảo trợ xã hội tối đa bao lâu?",
    # an amount the law does not set, nor provision numbers stand for ("các điều 33, 34, 35 …")
    "Nạn nhân được vay vốn tối đa bao nhiêu?",
    # an administrative fine: the Criminal Code's fine is no administrative one
    "What's the administrative fine for a newspaper that prints a trafficking survivor's name without her consent?",
    "Báo chí đăng tên nạn nhân khi chưa được đồng ý thì bị xử phạt hành chính bao nhiêu?",
])
def test_a_time_the_law_gives_another_body_or_does_not_give_is_refused(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question, stated", [
    ("Once the commune notifies it, within how many days must the district labour office take the victim in?", "03 ngày"),
    ("Phòng Lao động phải tiếp nhận nạn nhân trong thời hạn bao lâu sau khi được UBND xã thông báo?", "03 ngày"),
    # the police's 20 days name the office only as the one asking: the office's own 03 days answer
    ("Trong thời hạn bao lâu Phòng Lao động phải tiếp nhận nạn nhân sau khi được UBND xã thông báo?", "03 ngày"),
    ("How long can the police take to verify a complex case?", "không quá 02 tháng"),
    ("How many days do the police have to verify a victim once the district labour office asks?", "20 ngày"),
])
def test_a_time_the_law_gives_the_body_asked_about_is_quoted(support_law_bot, question, stated):
    assert_says(support_law_bot.ask(question), stated)


@pytest.mark.parametrize("question, lead", [
    # asked whether it is forbidden, the prohibition answers "Yes"; asked whether it is allowed, "No"
    ("Is it actually against the 2011 law to reveal a survivor's details without her agreement?", "Yes —"),
    ("Is it prohibited to discriminate against a returned victim?", "Yes —"),
    ("Có bị cấm tiết lộ thông tin về nạn nhân khi chưa có sự đồng ý của họ không?", "Có —"),
    ("Can a newspaper print a victim's name without her consent?", "No —"),
])
def test_a_prohibited_act_answers_yes_or_no_as_asked(support_law_bot, question, lead):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Điều 3. Các hành vi bị nghiêm cấm")
    assert answer.text.startswith(lead), answer.text


@pytest.mark.parametrize("question", [
    "What documents are accepted as proof that someone is a trafficking victim?",
    "Which papers prove that a person is a trafficking victim?",
])
def test_the_documents_that_prove_a_victim_are_listed(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "Giấy xác nhận của cơ quan giải cứu", "hợp pháp hóa lãnh sự")


@pytest.mark.parametrize("follow_up, stated", [
    # "hắn", "his" name the offender of the case told before: asked of its article
    ("Ngoài án tù thì hắn còn có thể bị phạt tiền bao nhiêu?", "20.000.000 đồng đến 100.000.000 đồng"),
    ("Could the court also take his property?", "tịch thu một phần hoặc toàn bộ tài sản"),
])
def test_a_person_named_by_a_pronoun_is_the_offender_of_the_case_before(penal_bot, follow_up, stated):
    case = penal_bot.ask("Một người đàn ông lừa bán một cô gái 17 tuổi sang Trung Quốc. Hắn bị phạt tù bao nhiêu năm?")
    assert_says(case, "08 năm đến 15 năm")
    assert_says(penal_bot.ask(follow_up, history=[case]), stated)


@pytest.mark.parametrize("question", [
    "Can the court confiscate a trafficker's property?",
    "Người phạm tội mua bán người có bị tịch thu tài sản không?",
])
def test_confiscation_is_among_the_penalties_added_to_prison(penal_bot, question):
    assert_says(penal_bot.ask(question), "tịch thu một phần hoặc toàn bộ tài sản")


@pytest.mark.parametrize("question", [
    "Luật yêu cầu tăng cường thông tin, tuyên truyền, giáo dục đối với những nhóm người nào?",
    "Which groups and areas does the law say information and education work should focus on?",
])
def test_the_clause_a_list_question_points_to_is_quoted_past_the_item_limit(support_law_bot, question):
    # Điều 7 has sixteen items; its clause 5 ("… cần được tăng cường đối với phụ nữ, thanh niên …") answers, after them
    assert_says(support_law_bot.ask(question), "tăng cường đối với phụ nữ, thanh niên")


def test_which_prison_range_is_a_penalty_question_not_a_who_question(penal_bot):
    answer = penal_bot.ask("Which prison range applies to a woman who sold the 13-year-old stepdaughter she was raising?")
    assert_says(answer, "12 năm đến 20 năm", "nuôi dưỡng")


@pytest.mark.parametrize("question, stated, not_stated", [
    ("Một kẻ bán người làm nạn nhân bị rối loạn tâm thần và hành vi 25%. Áp khung nào, tù mấy năm?", "08 năm đến 15 năm", "46%"),
    ("Nạn nhân bị rối loạn tâm thần và hành vi 50% sau khi bị bán thì kẻ bán bị phạt tù bao nhiêu năm?", "12 năm đến 20 năm",
     "từ 11%"),
])
def test_a_share_the_case_gives_falls_in_the_point_whose_range_holds_it(penal_bot, question, stated, not_stated):
    answer = penal_bot.ask(question)
    assert_states(answer, stated, not_stated)
    assert "Câu hỏi gồm" not in answer.text  # "áp khung nào, tù mấy năm" is one question, not two


@pytest.mark.parametrize("question", [
    "Mảng xét xử các vụ án mua bán người ở Ninh Bình giai đoạn 2026-2030 thì bên nào lo?",
    "Khâu xét xử án mua bán người trong kế hoạch 2026-2030 của Ninh Bình do ai đứng ra?",
])
def test_words_for_a_stage_or_for_taking_charge_are_not_the_task_s_topic(bot, question):
    answer = bot.ask(question)
    assert answer.found and "Tòa án nhân dân tỉnh" in answer.text.splitlines()[0], answer.text


def test_a_definition_follow_up_asks_its_own_term_not_the_one_before(support_law_bot):
    first = support_law_bot.ask("Luật 66 định nghĩa bóc lột tình dục là gì?")
    answer = support_law_bot.ask("Vậy còn nô lệ tình dục thì hiểu thế nào?", history=[first])
    assert answer.found and "Nô lệ tình dục là việc" in answer.text and "Bóc lột tình dục là" not in answer.text, answer.text


# --- cases told as stories (session 17) ----------------------------------------------------------
@pytest.mark.parametrize("question, stated, not_stated", [
    # a death or suicide told of someone else than the victim is not "Làm nạn nhân chết hoặc tự sát"
    ("Ông bà nội của bé trai 9 tuổi đều đã mất, người cậu mang bé đi bán cho một gia đình ở tỉnh khác. Cậu bị phạt tù bao nhiêu năm?",
     "07 năm đến 12 năm", "chết hoặc tự sát"),
    ("A woman's husband killed himself after she was lured to a city brothel and sold. She is 30. What prison range does the seller face?",
     "05 năm đến 10 năm", "chết hoặc tự sát"),
    # …while the victim's own death is
    ("Cháu gái 14 tuổi bị bán cho một đường dây và sau đó đã tự tử. Kẻ bán bị phạt thế nào?", "18 năm đến 20 năm", "07 năm đến 12 năm"),
    # a count of people in the words a story uses ("năm cô gái", "hai chị em") falls in its range
    ("Hắn dụ năm cô gái ở bản (ai cũng trên 20 tuổi) đi làm thuê rồi bán cho chủ xưởng. Khung hình phạt là gì?", "08 năm đến 15 năm",
     "05 năm đến 10 năm"),
    # taken abroad in the story's words, and not when the story denies it
    ("Một người bán chị họ 22 tuổi của mình qua Lào. Tù bao nhiêu năm?", "08 năm đến 15 năm", "05 năm đến 10 năm"),
    ("Kẻ lừa bán một phụ nữ 35 tuổi cho chủ quán ở tỉnh bên, không đưa chị ấy sang Trung Quốc, lần đầu phạm tội. Phạt tù bao nhiêu?",
     "05 năm đến 10 năm", "08 năm đến 15 năm"),
    # a body part taken ("kidney", "thận") is "Đã lấy bộ phận cơ thể của nạn nhân", not a purpose of the basic clause
    ("A gang took a 30-year-old man to a clinic and removed one of his kidneys to sell. What is the prison range?", "12 năm đến 20 năm",
     "05 năm đến 10 năm"),
    # "who" inside the story relates, it does not ask: still a penalty question
    ("My neighbour, who is 40, sold a 25-year-old woman who trusted her to a man who kept her locked up. How long could she go to jail?",
     "05 năm đến 10 năm", "Không"),
])
def test_a_case_told_as_a_story_is_read_for_what_happened_to_the_victim(penal_bot, question, stated, not_stated):
    assert_states(penal_bot.ask(question), stated, not_stated)


def test_a_story_then_a_question_is_one_question_not_parts():
    from assistant.query import split_parts
    assert split_parts("A trafficker sold a girl, whose father had died, to a man across the border. What sentence does he get?") == ()
    assert split_parts("Bố mẹ em ấy đã mất, người dì bán em cho một đường dây. Dì bị phạt tù bao nhiêu năm?") == ()
    # the question after the story may still ask two things, each of the whole case
    parts = split_parts("Một người bán em gái 13 tuổi sang Campuchia. Phạt tù bao nhiêu năm, và phạt tiền tối đa bao nhiêu?")
    assert len(parts) == 2 and all(p.startswith("Một người bán em gái 13 tuổi") for p in parts), parts


@pytest.mark.parametrize("question, stated, not_stated", [
    # the fine asked in a later part is of the case the first part told (a child: Article 151's fine)
    ("ke xau ban 2 be gai 11 tuoi qua bien gioi thi phat tu bao nhieu nam, con phat tien bao nhieu?", "200.000.000", "100.000.000"),
])
def test_a_case_told_before_thi_is_the_case_of_every_part(penal_bot, question, stated, not_stated):
    assert_states(penal_bot.ask(question), stated, not_stated)


def test_a_follow_up_on_other_penalties_keeps_the_article_of_the_case(penal_bot):
    first = penal_bot.ask("Someone sold a 13-year-old boy to a fishing boat owner. What prison term applies?")
    assert first.found and "Article 151" in first.text, first.text
    answer = penal_bot.ask("Besides jail, what other punishment can the judge give him?", history=[first])
    assert_states(answer, "200.000.000", "100.000.000")


def test_a_second_part_that_only_asks_what_the_law_says_is_not_a_part():
    from assistant.query import split_parts
    assert split_parts("Nhà báo có được đăng ảnh nạn nhân không? Pháp luật quy định ra sao?") == ()
    assert split_parts("May a victim's name be published? What does the law say?") == ()


@pytest.mark.parametrize("question, stated", [
    # "nhắc đến … để làm gì", "mentions": the words that ask what a plan says of a topic are not the topic
    ("quyet dinh 3087 cua quang ninh nhac den Quang Tay de lam gi", "Quảng Tây"),
    ("Kế hoạch 2026-2030 của Ninh Bình đề cập tới VoIP để làm gì?", "VoIP"),
    # "độ tuổi" asks an age only with its question word: here it is what the plan's rule is about
    ("Kế hoạch ACTIP Bà Rịa - Vũng Tàu hướng dẫn ra sao khi không rõ độ tuổi của nạn nhân?", "trẻ em"),
])
def test_what_a_plan_says_of_a_topic_is_answered_from_the_topic(bot, question, stated):
    answer = bot.ask(question)
    assert_says(answer, stated)
    check_citations(bot, answer)


def test_a_quote_is_not_cut_a_few_words_before_its_end_and_otherwise_ends_on_a_whole_word():
    from assistant.answer.types import QUOTE_LIMIT, clean_quote
    nearly = "Các biện pháp bảo vệ khác theo quy định của pháp luật về tố tụng hình sự " * 9
    assert QUOTE_LIMIT < len(nearly.strip()) <= QUOTE_LIMIT + QUOTE_LIMIT // 6
    assert clean_quote(nearly) == nearly.strip()
    long = nearly * 3
    cut = clean_quote(long)
    assert cut.endswith("…") and len(cut) <= QUOTE_LIMIT and long.startswith(cut[:-1]) and long[len(cut) - 1] == " "


@pytest.mark.parametrize("question", [
    "Khi Phòng Lao động – Thương binh và Xã hội đề nghị xác minh, công an cùng cấp có bao nhiêu ngày để trả lời?",
    "How many days do the police have to answer a request to verify whether someone is a victim?",
])
def test_a_time_limit_is_quoted_with_the_exception_that_follows_it(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "20 ngày", "02 tháng")


@pytest.mark.parametrize("question", [
    "Một nạn nhân được ở cơ sở bảo trợ xã hội công lập nhiều nhất bao nhiêu ngày?",
    "For how many days at most can a victim be housed in a public social protection facility?",
])
def test_a_number_of_days_the_law_does_not_give_is_refused(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    "Ninh Bình năm 2024 và giai đoạn 2026-2030 giao việc cho UBND cấp nào, có gì khác?",
    "Which tier of local government carries out Ninh Binh's plans, in 2024 versus 2026-2030?",
])
def test_the_level_of_local_government_each_plan_assigns_is_compared_with_the_reorganisation(bot, question):
    answer = bot.ask(question)
    assert answer.found and answer.intent == "compare", answer.text
    assert "các huyện" in answer.text and "các xã, phường" in answer.text, answer.text
    assert "2025" in answer.text  # the two-tier reform that explains the change
    check_citations(bot, answer)
    check_quotes_verbatim(bot, answer)
    # (oldest first; the later plan cited once more where it names the two-tier model itself)
    assert [c.doc_id for c in answer.citations][:2] == [NB_2024, NB_2026]
    assert {c.doc_id for c in answer.citations} == {NB_2024, NB_2026}


@pytest.mark.parametrize("question", [
    "Theo kế hoạch ACTIP, các sở ở Bà Rịa - Vũng Tàu cứ bao lâu phải gửi báo cáo một lần?",
    "How often must units in Ba Ria - Vung Tau report on the ACTIP plan?",
])
def test_how_often_is_answered_by_the_periods_not_by_the_words_one_time(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "6 tháng, 1 năm")


@pytest.mark.parametrize("question, stated", [
    ("Em họ tôi bị lừa sang Campuchia làm việc trong một trung tâm lừa đảo, nay đã được giải cứu và đưa về quê ở huyện "
     "miền núi. Thông tin về em ấy có được giữ bí mật không?", "giữ bí mật"),
    ("Hàng xóm tôi bị bán sang Trung Quốc nhiều năm, vừa trốn về được và chưa có giấy tờ gì. Người dân phát hiện mua bán "
     "người thì tố giác với cơ quan nào?", "Công an"),
])
def test_a_long_story_before_a_short_question_is_answered_from_what_is_asked(support_law_bot, question, stated):
    answer = support_law_bot.ask(question)
    assert_says(answer, stated)


@pytest.mark.parametrize("previous, follow_up, stated", [
    ("Kế hoạch 2026-2030 của Ninh Bình đề cập mô hình câu lạc bộ di cư an toàn dành cho đối tượng nào?",
     "Who is assigned to carry that out?", ("provincial departments and agencies", "requested (not assigned)")),
    ("Kế hoạch 2026-2030 của Ninh Bình nói gì về xây dựng mạng lưới tuyên truyền viên ở cơ sở?",
     "Ai được giao làm việc đó?", ("Các sở, ban, ngành, Ủy ban nhân dân các xã, phường", "đề nghị: Viện kiểm sát")),
    ("Theo Quyết định 3087 của Quảng Ninh, Chương trình phòng, chống tội phạm mua bán người giai đoạn 2011-2015 gồm "
     "những đề án nào?", "Mỗi đề án đó do cơ quan nào chủ trì?",
     ("Sở Thông tin và Truyền thông", "Công an tỉnh", "Sở Lao động")),
    ("What projects make up Quang Ninh's 2011-2015 anti-trafficking programme?", "Which agency runs each of those projects?",
     ("Department of Information and Communications", "Provincial Police", "DOLISA")),
])
def test_who_does_that_is_answered_from_the_passage_the_previous_answer_quoted(bot, previous, follow_up, stated):
    first = bot.ask(previous)
    answer = bot.ask(follow_up, history=[first])
    assert_says(answer, *stated)
    cited = {(c.doc_id, c.start) for c in first.citations}
    assert all(c.doc_id == first.citations[0].doc_id for c in answer.citations), answer.text
    check_citations(bot, answer)
    assert cited  # the previous answer quoted something to point back at


def test_a_follow_up_about_victims_with_a_task_of_its_own_is_not_held_to_the_previous_passage(bot):
    first = bot.ask("In Ba Ria - Vung Tau, which department is responsible for supporting trafficking survivors after they come home?")
    answer = bot.ask("And who handles receiving, verifying and protecting them?", history=[first])
    assert_says(answer, "Provincial Police")


@pytest.mark.parametrize("question, stated", [
    ("We just arrested a man in Nghe An who promised three local girls (aged 19, 20 and 22) factory jobs, then took them "
     "across the border and sold them in China. Roughly how many years in prison is he looking at?", "08 năm đến 15 năm"),
    ("Em gái tôi 20 tuổi bị người quen lừa lên Lào Cai rồi bán cho chủ quán ép bán dâm, bị đánh thương tật 35%. Người đó "
     "có thể bị phạt tù bao nhiêu năm?", "08 năm đến 15 năm"),
])
def test_a_case_told_in_a_province_no_plan_covers_is_answered_from_the_law(penal_bot, question, stated):
    assert_says(penal_bot.ask(question), stated)


@pytest.fixture(scope="module")
def plan_and_law_bot(tmp_path_factory, settings_for, embedder):
    """A plan of one province beside the penal articles: the mixed index officials keep."""
    from assistant.assistant import Assistant

    if not PENAL_ARTICLES.is_file():
        pytest.skip(f"{PENAL_ARTICLES} is not available (read-only shared legal texts)")
    docs = tmp_path_factory.mktemp("plan_and_law")
    (docs / PENAL_ARTICLES.name).write_bytes(PENAL_ARTICLES.read_bytes())
    plan = Path(__file__).resolve().parent.parent / "documents" / "quang-ninh-2011-2015-quyet-dinh-3087.txt"
    (docs / plan.name).write_bytes(plan.read_bytes())
    return Assistant(settings_for(docs), embedder=embedder).warm_up()


def test_a_case_told_in_another_province_is_answered_from_the_law_beside_a_plan(plan_and_law_bot):
    answer = plan_and_law_bot.ask("Hắn lừa hai cô gái ở Nghệ An sang Trung Quốc rồi bán cho một quán karaoke. Hắn bị phạt tù "
                                  "bao nhiêu năm?")
    assert_says(answer, "08 năm đến 15 năm")
    # a plan's question about a province no plan covers is still told so
    refused = plan_and_law_bot.ask("Ai chủ trì hỗ trợ nạn nhân ở Nghệ An?")
    assert not refused.found and "Nghệ An" in refused.text, refused.text


@pytest.mark.parametrize("told, counted", [
    ("Em gái tôi 20 tuổi bị người quen lừa bán", None),  # an age is no count
    ("sau 2 năm người đó lại bán tiếp", None),  # nor a time ("năm" is also "five")
    ("hắn bán năm cô gái sang biên giới", 5),
    ("a 15 year old girl and 2 other girls", 2),
    ("ban 3 nguoi sang Trung Quoc", 3),
])
def test_the_people_a_case_counts_are_not_its_ages_or_times(told, counted):
    from assistant.answer.penalties import _people_counted

    assert _people_counted(told) == counted


@pytest.mark.parametrize("passage, says", [
    ("Ủy ban nhân dân cấp xã có trách nhiệm thông báo ngay với Phòng Lao động – Thương binh và Xã hội.", True),
    ("Các đơn vị báo cáo về Ban Chỉ đạo 138 tỉnh (qua Công an tỉnh).", True),
    ("Cá nhân có nghĩa vụ tố giác, tố cáo hành vi quy định tại Điều 3 của Luật này với cơ quan Công an.", True),
    ("Tổ chức thông báo, tuyên truyền trên các phương tiện thông tin đại chúng.", False),
])
def test_a_passage_names_whom_a_report_goes_to_however_the_verb_and_body_are_apart(passage, says):
    from assistant.answer.refusal import states

    assert states("recipient", passage) is says


@pytest.mark.parametrize("question", [
    "Kinh phí cho các hoạt động tuyên truyền trong kế hoạch 2026-2030 của Ninh Bình lấy từ những nguồn nào?",
    "Where does the money for the activities in Ninh Binh's 2026-2030 plan come from?",
])
def test_a_list_asked_of_a_section_written_as_prose_is_quoted_from_that_section(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "dự toán ngân sách hằng năm")
    assert answer.citations[0].doc_id == NB_2026


@pytest.mark.parametrize("question", [
    "What is the hotline number for reporting trafficking cases given in the Ninh Binh 2024 plan?",
    "What's the helpline number in Quang Ninh's 2011-2015 decision?",
    "Which telecom operators does the Ninh Binh 2024 plan name for sending anti-trafficking text messages?",
    "Which mobile operators does Ninh Binh's 2026-2030 plan work with?",
    "Which IOM or UNODC projects does the Ba Ria - Vung Tau plan commit the province to?",
    "Quang Ninh 2011-2015: which UNICEF projects does it take part in?",
    "ke hoach 2026 NB han chot van hanh co so du lieu nan nhan bi mua ban la khi nao",
    "Thời hạn chót hoàn thành bộ công cụ sàng lọc nạn nhân bị mua bán trong kế hoạch 22 là khi nào?",
    "LD 2024 duoc cap bao nhieu kinh phi cho cong tac phong chong mua ban nguoi",
    "Kế hoạch 22 năm 2024 của Ninh Bình được cấp bao nhiêu kinh phí?",
])
def test_a_value_the_plan_does_not_give_is_refused_not_answered_with_a_passage_near_it(bot, question):
    answer = bot.ask(question)
    assert not answer.found, answer.text


def test_a_hotline_number_the_plan_gives_is_quoted(bot):
    assert_says(bot.ask("Ninh Binh 2026-2030 plan: what is the national hotline number?"), "111")
    assert_says(bot.ask("Số điện thoại của cơ quan thường trực BCĐ 138 tỉnh Bà Rịa - Vũng Tàu là gì?"), "0693.545.129")


@pytest.mark.parametrize("case, change, stated", [
    ("We just arrested a man who promised three local girls (aged 19, 20 and 22) factory jobs, then took them across the "
     "border and sold them to brothel owners in China. Roughly how many years in prison is he looking at?",
     "What if one of the three had been only 15?", ("Tội mua bán người dưới 16 tuổi", "12 năm đến 20 năm")),
    ("Con gái tôi 15 tuổi bị một đường dây có tổ chức lừa sang Trung Quốc bán làm vợ. Bọn chúng có thể bị phạt tù bao "
     "nhiêu năm?", "Còn nếu cháu đã 17 tuổi thì sao?", ("Điều 150 (Tội mua bán người)", "08 năm đến 15 năm")),
    ("My neighbour's son sold his 25-year-old cousin to a man in China as a bride. What prison term does he face?",
     "And if she had been 14?", ("Tội mua bán người dưới 16 tuổi", "12 năm đến 20 năm")),
])
def test_a_follow_up_that_changes_the_victims_age_asks_the_told_case_again_with_that_age(penal_bot, case, change, stated):
    first = penal_bot.ask(case)
    answer = penal_bot.ask(change, history=[first])
    assert_says(answer, *stated)


@pytest.mark.parametrize("question, first", [
    ("A journalist wants to publish a trafficking survivor's name and photo without asking her. Is that allowed under "
     "the law?", "No — the law lists it among the prohibited acts."),
    ("Cán bộ xã có được đọc tên, hoàn cảnh nạn nhân trên loa phát thanh không?", "Không được — luật xếp hành vi này"),
])
def test_whether_an_act_the_law_prohibits_is_allowed_is_answered_no_from_the_prohibited_acts(support_law_bot, question, first):
    answer = support_law_bot.ask(question)
    assert answer.text.startswith(first) and "Tiết lộ thông tin về nạn nhân" in answer.text, answer.text
    check_quotes_verbatim(support_law_bot, answer)
    # with her consent it is another question: no "No" is said
    consented = support_law_bot.ask("Is it allowed to publish a survivor's name and photo with her consent?")
    assert not consented.text.startswith("No —"), consented.text


@pytest.mark.parametrize("question", [
    "Who leads victim protection and support in Quang Ninh's 2011–2015 plan compared with the Ninh Binh 2026–2030 plan?",
    "So sánh cơ quan chủ trì bảo vệ, hỗ trợ nạn nhân giữa QĐ 3087 Quảng Ninh và kế hoạch 2026-2030 của Ninh Bình",
])
def test_a_comparison_never_names_a_requested_court_as_lead_and_quotes_each_clause(bot, question):
    answer = bot.ask(question)
    told = QUOTE.sub("", answer.text)
    assert answer.found and "Tòa án" not in told and "Court" not in told, answer.text
    assert "Sở Lao động, Thương binh và Xã hội chủ trì" in answer.text  # Quảng Ninh's own clause, quoted
    check_quotes_verbatim(bot, answer)
    check_citations(bot, answer)


@pytest.mark.parametrize("question, body", [
    ("Who keeps the official statistics on trafficking crimes?", "Supreme People's Procuracy"),
    ("Which body compiles statistics on trafficking offences?", "Supreme People's Procuracy"),
    ("Cơ quan nào thực hiện việc thống kê tội phạm mua bán người?", "Viện kiểm sát nhân dân tối cao"),
])
def test_the_body_a_law_gives_a_duty_is_its_answer_though_the_law_names_no_lead(support_law_bot, question, body):
    answer = support_law_bot.ask(question)
    assert_says(answer, body)
    assert "Bộ Công an" not in answer.text.split("\n")[0] and "Ministry of Public Security" not in answer.text.split("\n")[0]


def test_a_follow_up_that_opens_with_the_person_of_the_case_asks_a_ban_of_that_article(penal_bot):
    first = penal_bot.ask("I'm the social worker on a case where a 12-year-old girl was handed over to a man for 30 million "
                          "dong by her stepfather, who has raised her since she was a baby. What prison range does he face?")
    answer = penal_bot.ask("He also works as a caretaker at the village primary school. Can the court ban him from that job, "
                           "and for how long?", history=[first])
    assert_says(answer, "cấm hành nghề hoặc làm công việc nhất định từ 01 năm đến 05 năm")
    assert answer.citations[0].section.startswith("Điều 151")


@pytest.mark.parametrize("question, stated", [
    ("Can someone convicted under Article 150 be barred from holding office?", "phạt quản chế"),
    ("Kẻ mua bán người dưới 16 tuổi có bị cấm hành nghề không?", "cấm hành nghề"),
])
def test_a_ban_from_a_job_or_post_is_answered_from_the_clause_that_adds_penalties_to_prison(penal_bot, question, stated):
    answer = penal_bot.ask(question)
    assert_says(answer, stated, "còn có thể bị")


@pytest.mark.parametrize("previous, follow_up, stated", [
    ("What peak period for the crackdown on trafficking does the Lam Dong 2024 plan set?",
     "Is it the same window in Ninh Binh's 2024 plan?", "01/7/2024"),
    ("Kế hoạch 2026-2030 của Ninh Bình giao ai chủ trì hỗ trợ nạn nhân?", "Quảng Ninh có giao như vậy không?",
     "Sở Lao động, Thương binh và Xã hội"),
    ("Who leads victim support in Ninh Binh's 2026-2030 plan?", "Does Quang Ninh's plan also give it to the health department?",
     "Sở Lao động, Thương binh và Xã hội"),
])
def test_is_it_the_same_in_another_plan_asks_the_previous_question_of_that_plan(bot, previous, follow_up, stated):
    first = bot.ask(previous)
    answer = bot.ask(follow_up, history=[first])
    assert_says(answer, stated)
    assert "của giao" not in answer.text  # the understood question reads as words, not leftovers


@pytest.mark.parametrize("question", [
    "What cross-cutting solutions does Quang Ninh's 2011–2015 plan set out?",
    "What main solutions does the Quang Ninh 2011-2015 programme list?",
])
def test_solutions_asked_in_english_are_the_list_under_giai_phap(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Các giải pháp chủ yếu", "5")


@pytest.mark.parametrize("question", [
    "Under what financial mechanism should the anti-trafficking programme money be used in Quang Ninh 2011-2015?",
    "What financial mechanism governs the use of Quang Ninh's programme funds?",
])
def test_the_financial_mechanism_asked_in_english_is_quoted(bot, question):
    assert_says(bot.ask(question), "chương trình mục tiêu quốc gia")


@pytest.mark.parametrize("question, first", [
    ("Our commune radio wants to read out the names of the women who came back from China so people know. Is that "
     "allowed if they haven't agreed?", "No — the law lists it among the prohibited acts."),
    ("Một tờ báo địa phương muốn đăng ảnh và tên cô gái vừa được giải cứu để cảnh báo các gia đình khác, chưa hỏi ý "
     "kiến cô ấy. Có được không?", "Không được — luật xếp hành vi này"),
])
def test_a_case_asking_whether_an_act_is_allowed_is_answered_from_the_prohibition_and_the_duty_it_protects(
        support_law_bot, question, first):
    # the story's own words (radio, newspaper, China, rescued) find other passages first; the prohibited acts are
    # searched item by item
    answer = support_law_bot.ask(question)
    assert answer.text.startswith(first), answer.text
    assert "“Điều 3. Các hành vi bị nghiêm cấm” … “10. Tiết lộ thông tin về nạn nhân" in answer.text
    assert "giữ bí mật các thông tin về nạn nhân" in answer.text  # Điều 31: the duty the prohibition protects
    check_quotes_verbatim(support_law_bot, answer)
    check_citations(support_law_bot, answer)


def test_a_right_asked_with_co_quyen_is_answered_from_the_right_not_from_the_prohibitions(support_law_bot):
    answer = support_law_bot.ask("Gia đình nạn nhân có quyền yêu cầu tòa xử kín để con không bị lộ thông tin không?")
    assert not answer.text.startswith("Không được") and "xét xử kín" in answer.text, answer.text


def test_a_quoted_item_carries_no_lead_in_from_the_item_beside_it(bot):
    # "Phân công thực hiện:" ends item b) of mục II.6; item c) is b's sibling, not one of its lines
    answer = bot.ask("Tổng đài điện thoại quốc gia về phòng, chống mua bán người là số mấy?")
    assert "111" in answer.text and "Phát huy hiệu quả thông tin từ Tổng đài" in answer.text, answer.text
    assert "“Phân công thực hiện:” … “c)" not in answer.text


@pytest.mark.parametrize("previous, follow_up, stated", [
    ("Theo Quyết định 3087 của UBND tỉnh Quảng Ninh, Chương trình hành động 2011-2015 gồm những đề án nào?",
     "Thế đề án 3 thì sở nào chủ trì, những ai tham gia?", ("Sở Lao động, Thương binh và Xã hội chủ trì", "Sở Y tế")),
    ("Which projects make up Quang Ninh's 2011-2015 action programme?", "Who leads project 2?",
     ("Provincial Police", "ĐỀ ÁN 2", "Công an tỉnh chủ trì")),
])
def test_a_follow_up_naming_a_numbered_part_asks_of_it_where_the_previous_question_was(bot, previous, follow_up, stated):
    first = bot.ask(previous)
    answer = bot.ask(follow_up, history=[first])
    assert_says(answer, *stated)
    assert "gồm những đề án" not in answer.text and "make up" not in answer.text  # no leftovers of the list question


@pytest.mark.parametrize("previous, follow_up, stated", [
    ("So Tu phap Ba Ria Vung Tau duoc giao nhung viec gi trong ke hoach thuc hien Cong uoc ACTIP?",
     "Did the justice department have a similar role back in Quang Ninh's 2011–2015 plan?", "kết hôn, cho, nhận con nuôi"),
    ("Sở Y tế Ninh Bình phải làm gì trong kế hoạch 2026-2030?",
     "Does the Quang Ninh decision give the health department the same kind of work?", "Sở Y tế"),
])
def test_a_similar_role_in_another_plan_is_the_agencys_tasks_there(bot, previous, follow_up, stated):
    first = bot.ask(previous)
    answer = bot.ask(follow_up, history=[first])
    assert "3087" in answer.text and answer.text.count("“") >= 2, answer.text  # the agency's tasks in Quảng Ninh's decision
    assert_says(answer, stated)


@pytest.mark.parametrize("question", [
    "Ai thực hiện công tác hợp tác quốc tế trong kế hoạch 2026-2030 của Ninh Bình?",
    "In Ninh Binh's 2026-2030 plan, how is the work on international cooperation assigned?",
])
def test_a_section_assigned_as_a_whole_is_answered_by_its_phan_cong_line(bot, question):
    # mục II.8 names no lead: "Phân công thực hiện: Các sở, ban, ngành, Ủy ban nhân dân các xã, phường và đề nghị …"
    answer = bot.ask(question)
    assert "Các sở, ban, ngành, Ủy ban nhân dân các xã, phường" in answer.text, answer.text
    assert "II.8" in answer.text
    check_citations(bot, answer)


@pytest.mark.parametrize("question, said", [
    ("When was Lam Dong's 2024 anti-trafficking plan signed?", "does not give the date the plan was signed or issued"),
    ("Kế hoạch năm 2024 của BCĐ 138 Lâm Đồng ký ngày nào?", "không ghi ngày ký, ban hành kế hoạch"),
])
def test_a_plans_date_asked_of_a_news_report_about_it_is_not_the_reports_date(bot, question, said):
    answer = bot.ask(question)
    assert not answer.found and said in answer.text and "07/03/2024" in answer.text, answer.text
    published = bot.ask("When was the article on Lam Dong's 2024 plan published?")
    assert published.found and "Published" in published.text and "07/03/2024" in published.text, published.text


@pytest.mark.parametrize("case, stated", [
    ("Một người mua bán 7 người trưởng thành sang Malaysia để cưỡng bức lao động thì bị phạt tù bao nhiêu năm?",
     "12 năm đến 20 năm"),
    ("He sold seven adults to a fishing boat in Indonesia. What prison term?", "12 năm đến 20 năm"),
    ("A man sold two 15-year-old girls to buyers across the border in China. What prison range?", "12 năm đến 20 năm"),
])
def test_the_count_of_victims_is_the_largest_count_told_not_the_offender(penal_bot, case, stated):
    # ("Một người mua bán 7 người": the first count is the offender; "two 15-year-old girls": a count before an age)
    assert_says(penal_bot.ask(case), stated)


@pytest.mark.parametrize("change", ["And if both girls had been 17?", "What if the victims were 17?"])
def test_an_age_told_of_several_victims_changes_the_told_case(penal_bot, change):
    first = penal_bot.ask("A man sold two 15-year-old girls to buyers across the border in China. What prison range?")
    answer = penal_bot.ask(change, history=[first])
    assert_says(answer, "Tội mua bán người", "08 năm đến 15 năm")
    assert "dưới 16 tuổi" not in answer.text.split("\n")[1], answer.text


@pytest.mark.parametrize("question", [
    "District police normally get 20 days to verify a suspected victim. Can that be extended if the case is complicated?",
    "How long can the police take to verify a complex case?",
    "Is there an extension of the 20-day verification period?",
])
def test_the_exception_for_complicated_cases_is_found_in_english(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert answer.found and "không quá 02 tháng" in answer.text.split("\n")[0], answer.text


@pytest.mark.parametrize("previous, follow_up", [
    ("Which agency is the standing body for Ninh Binh's 2026–2030 counter-trafficking plan?",
     "How often do departments have to send them progress reports?"),
    ("Cơ quan thường trực của kế hoạch 2026-2030 Ninh Bình là cơ quan nào?", "Bao lâu thì các sở phải gửi báo cáo cho họ một lần?"),
])
def test_how_often_is_answered_by_the_sentence_that_gives_the_period(bot, previous, follow_up):
    # "định kỳ sơ kết, tổng kết …" in the passage quoted before says it is periodic, not how often
    first = bot.ask(previous)
    answer = bot.ask(follow_up, history=[first])
    assert "06 tháng, 01 năm" in answer.text.split("\n")[1], answer.text


@pytest.mark.parametrize("question", [
    "Can a shelter set up by a Vietnamese NGO to support trafficking victims draw on state budget funds?",
    "Tổ chức phi chính phủ lập cơ sở hỗ trợ nạn nhân có được dùng ngân sách nhà nước không?",
])
def test_whether_a_budget_may_be_used_is_no_amount_asked(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert answer.found and "không sử dụng ngân sách nhà nước" in answer.text, answer.text
    amount = support_law_bot.ask("How much state budget does the law give to victim support each year?")
    assert not amount.found, amount.text


@pytest.mark.parametrize("question", [
    "If Vietnam and the other country aren't both party to a treaty, on what basis do Vietnamese authorities cooperate?",
    "Nếu Việt Nam và nước kia không cùng là thành viên điều ước quốc tế thì hợp tác dựa trên nguyên tắc nào?",
])
def test_a_question_opening_with_a_case_is_answered_by_the_sentence_that_opens_with_it(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert "không cùng tham gia điều ước quốc tế" in answer.text.split("\n")[0], answer.text


@pytest.mark.parametrize("question, stated", [
    ("Cơ quan chủ trì công tác tuyên truyền trong kế hoạch ACTIP của Bà Rịa - Vũng Tàu và trong Đề án 1 của Quảng Ninh "
     "có giống nhau không?", ("Sở Thông tin và Truyền thông chủ trì", "Công an tỉnh chủ trì")),
    ("Cơ quan chủ trì tuyên truyền ở Quảng Ninh và Bà Rịa - Vũng Tàu có giống nhau không?",
     ("Sở Thông tin và Truyền thông chủ trì", "Công an tỉnh chủ trì")),
])
def test_whether_two_plans_give_the_same_lead_compares_their_leads(bot, question, stated):
    # "giống nhau" / "the same" across two provinces is a comparison; "Đề án 1" says where in one plan, not the topic
    answer = bot.ask(question)
    assert_says(answer, *stated)
    assert "Đề án 1’" not in answer.text and "không nêu." not in answer.text


def test_a_comparison_head_names_who_carries_out_a_task_when_a_plan_names_no_lead(bot):
    answer = bot.ask("Kế hoạch ACTIP của Bà Rịa - Vũng Tàu và kế hoạch năm 2024 của Ninh Bình giao Bộ đội Biên phòng nhiệm vụ "
                     "gì ở khu vực biên giới biển, có giống nhau không?")
    head = answer.text.split("\n")[0]
    assert "giao không nêu" not in head and "Bộ chỉ huy Bộ đội Biên phòng tỉnh thực hiện" in head, answer.text


@pytest.mark.parametrize("question", [
    "nạn nhân được hỗ trợ những gì khi về nước?",
    "What types of assistance is a Vietnamese trafficking survivor entitled to under the law? Please list all of them.",
    "Chế độ hỗ trợ nào dành cho nạn nhân là công dân Việt Nam?",
])
def test_the_support_a_victim_gets_is_the_list_of_article_32(support_law_bot, question):
    # what is asked is named by the verb ("được hỗ trợ những gì") or the kind ("types of assistance"); the chapter of
    # support articles is narrowed to the article that lists them
    answer = support_law_bot.ask(question)
    assert_says(answer, "Điều 32. Đối tượng và chế độ hỗ trợ", "Trợ giúp pháp lý", "hỗ trợ vay vốn")
    check_quotes_verbatim(support_law_bot, answer)


@pytest.mark.parametrize("question, heading, count", [
    ("Giấy tờ, tài liệu nào được dùng để chứng nhận một người là nạn nhân bị mua bán?", "Điều 28. Giấy tờ, tài liệu", "4"),
    ("giay to nao chung nhan mot nguoi la nan nhan bi mua ban", "Điều 28. Giấy tờ, tài liệu", "4"),
    ("Hành vi nào bị nghiêm cấm theo Luật 66?", "Điều 3. Các hành vi bị nghiêm cấm", "12"),
])
def test_items_named_before_nao_are_the_list_whose_heading_names_them(support_law_bot, question, heading, count):
    answer = support_law_bot.ask(question)
    assert heading in answer.text and f"gồm {count} ý" in answer.text, answer.text


def test_a_law_s_chapter_and_section_are_cited_as_the_law_names_them():
    from assistant.answer.types import official_section
    assert official_section("Chương 4 › Mục 1") == "Mục 1 Chương 4"
    assert official_section("Chương 5", "en") == "Chapter 5"
    assert official_section("Chương 4 › Mục 1 › Điều 24 › Khoản 3") == "khoản 3 Điều 24"


@pytest.mark.parametrize("question", [
    "LD 2024 muc tieu ty le xu ly to giac, dieu tra, truy to, xet xu vu an mua ban nguoi la bao nhieu",
    "Lâm Đồng 2024 đặt tỷ lệ điều tra, truy tố và xét xử các vụ án mua bán người là bao nhiêu phần trăm?",
])
def test_a_share_asked_of_several_things_quotes_each_things_figure(bot, question):
    # the targets are four sentences in a row; the best one alone gave two of the four figures
    answer = bot.ask(question)
    assert_says(answer, "trên 90% tổng số án khởi tố", "95%", "90% số vụ án mua bán người được giải quyết, xét xử")
    check_quotes_verbatim(bot, answer)


@pytest.mark.parametrize("question, project, lead", [
    ("Which department leads Đề án 3 of Quang Ninh's programme?", "ĐỀ ÁN 3", "Sở Lao động, Thương binh và Xã hội chủ trì"),
    ("de an 2 cua quyet dinh 3087 do ai chu tri", "ĐỀ ÁN 2", "Công an tỉnh chủ trì"),
])
def test_who_leads_a_numbered_project_is_answered_from_that_projects_own_record(bot, question, project, lead):
    # (a record naming another project — "… tổ chức thực hiện Đề án 3" beside a question about Đề án 2 — answers another)
    answer = bot.ask(question)
    assert_says(answer, project, lead)


@pytest.mark.parametrize("question", [
    "Is the agency leading victim support the same in Ninh Binh's 2026-2030 plan and Quang Ninh's 2011-2015 decision?",
    "Cơ quan chủ trì hỗ trợ nạn nhân trong kế hoạch 2026-2030 của Ninh Bình và quyết định 3087 của Quảng Ninh có giống nhau không?",
])
def test_whether_two_plans_give_the_same_lead_is_answered_yes_or_no_first(bot, question):
    answer = bot.ask(question)
    assert answer.found and answer.text.startswith(("No — ", "Không — ")), answer.text
    assert_says(answer, "Sở Y tế")


def test_every_point_of_the_clause_a_told_case_meets_is_quoted(penal_bot):
    answer = penal_bot.ask("A gang took four women across the border into Cambodia and sold them to a karaoke owner; it was an "
                           "organised ring. What prison range do they face?")
    assert_says(answer, "08 năm đến 15 năm", "Có tổ chức", "Đưa nạn nhân ra khỏi biên giới", "Đối với từ 02 đến 05 người")


@pytest.mark.parametrize("case, point", [
    ("He sold a 20-year-old neighbour to a brothel, then later sold her cousin too. What range does he face?",
     "Phạm tội 02 lần trở lên"),
    ("Một người lừa bán một phụ nữ 30 tuổi, đánh chị ấy gây tổn thương cơ thể 40%. Người đó bị phạt tù bao nhiêu năm?",
     "31% trở lên"),
    ("A police officer misused his position to sell a 12-year-old girl. How many years could he get?",
     "Lợi dụng chức vụ, quyền hạn"),
])
def test_a_point_told_by_a_second_sale_a_share_or_an_abused_position_is_met(penal_bot, case, point):
    assert_says(penal_bot.ask(case), point)


def test_a_supposed_change_to_a_told_case_is_answered_of_the_changed_case(penal_bot):
    first = penal_bot.ask("A gang took four women across the border into Cambodia and sold them to a karaoke owner; it was an "
                          "organised ring. What prison range do they face?")
    answer = penal_bot.ask("Suppose it turns out that one of them was 14. Would that change anything?", history=[first])
    assert_says(answer, "dưới 16 tuổi", "Có tổ chức")


def test_agencies_offered_as_alternatives_do_not_hide_the_one_the_law_names(support_law_bot):
    answer = support_law_bot.ask("Which body compiles the statistics on trafficking crimes: the police or the procuracy?")
    assert_says(answer, "Viện kiểm sát nhân dân tối cao thực hiện việc thống kê tội phạm mua bán người")


def test_picking_among_listed_projects_by_their_lead_answers_from_those_projects(bot):
    first = bot.ask("Quyết định 3087 có những đề án nào?")
    answer = bot.ask("Which of them does the Department of Information and Communications lead?", history=[first])
    assert_says(answer, "ĐỀ ÁN 1", "Sở Thông tin và Truyền thông chủ trì")


@pytest.mark.parametrize("question", [
    "Kế hoạch ACTIP của Bà Rịa - Vũng Tàu có những nội dung trọng tâm nào?",
    # the issuer named ("do Uỷ ban nhân dân tỉnh … ban hành") is not an agency whose tasks are asked
    "Kế hoạch thực hiện Công ước ACTIP do Uỷ ban nhân dân tỉnh Bà Rịa - Vũng Tàu ban hành gồm các nội dung trọng tâm nào?",
])
def test_the_section_whose_own_heading_names_the_whole_phrase_asked_is_the_list(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "NỘI DUNG TRỌNG TÂM", "Đấu tranh phòng, chống mua bán người")


@pytest.mark.parametrize("question", [
    "What emergency and recovery services does the BR-VT ACTIP plan want for victims?",
    "Under the Ba Ria - Vung Tau ACTIP plan, which recovery and reintegration services should returning victims receive?",
])
def test_services_named_in_english_find_the_sentence_that_lists_them(bot, question):
    assert_says(bot.ask(question), "trợ cấp khó khăn ban đầu")


@pytest.mark.parametrize("question", [
    "Cơ sở bảo trợ xã hội công lập phải làm gì để hỗ trợ nạn nhân?",
    "What duties does the law give state-run social protection centres towards trafficking victims?",
])
def test_a_facility_the_law_gives_tasks_is_asked_like_an_agency(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Cơ sở bảo trợ xã hội công lập thực hiện các nhiệm vụ sau đây", "Tiếp nhận và bố trí nơi lưu trú")


def test_an_inline_list_cut_by_a_semicolon_is_quoted_to_the_end_of_its_line(bot):
    answer = bot.ask("Which services should the victim support facilities improve, according to Ninh Binh's 2026-2030 plan?")
    assert_says(answer, "hỗ trợ tâm lý chuyên sâu", "hỗ trợ khởi nghiệp")


@pytest.mark.parametrize("question, stated", [
    ("Give me the number and date of the decision Quang Ninh issued for its 2011-2015 plan.", ("3087/QĐ-UBND", "30/9/2011")),
    ("Which Prime Minister's decision is the Ba Ria - Vung Tau ACTIP plan implementing?", ("1957/QĐ-TTg",)),
    ("What government decision is Ninh Binh's 2026-2030 plan carrying out?", ("33/QĐ-TTg",)),
])
def test_a_documents_own_number_and_date_or_the_decision_it_implements_is_its_particular(bot, question, stated):
    assert_says(bot.ask(question), *stated)


@pytest.mark.parametrize("question", [
    "Which ministry handles legal aid for victims, and which one supervises study abroad so it isn't abused?",
    "Who oversees Vietnamese going to study abroad, so that traffickers cannot exploit it?",
])
def test_study_abroad_finds_the_laws_sending_people_to_study_overseas(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "đưa người đi học tập ở nước ngoài")


# --- session 21: stories told in other words, ministries by acronym, "is it the same in plan B?" ---------------

@pytest.mark.parametrize("question", [
    "Người cha giao con gái 12 tuổi cho một người đàn ông để lấy 40 triệu đồng thì bị phạt tù bao nhiêu năm?",
    "A grandmother handed her 10-year-old grandson over to a stranger in exchange for cash. What prison term could she get?",
    "ba ngoai giao chau trai 9 tuoi cho nguoi la de doi lay tien thi bi xu the nao",
])
def test_a_child_handed_over_for_money_is_the_offence_against_a_child(penal_bot, question):
    # (no word of "sold" in the story: "Chuyển giao … người dưới 16 tuổi để giao, nhận tiền" is the code's wording)
    assert_says(penal_bot.ask(question), "07 năm đến 12 năm", "151")


@pytest.mark.parametrize("question", [
    "A gang of three, one recruiting, one driving and one keeping the victim, sold a 25-year-old woman to a bar in "
    "another province. What sentence do they face?",
    "Một băng nhóm phân công nhau dụ dỗ, đưa đón rồi bán một cô gái 22 tuổi cho chủ quán ở tỉnh khác. Bị phạt tù bao nhiêu năm?",
])
def test_a_group_that_splits_the_work_is_an_organised_offence(penal_bot, question):
    assert_says(penal_bot.ask(question), "Có tổ chức", "08 năm đến 15 năm")


@pytest.mark.parametrize("question", [
    "Mua bán trẻ em thì bị phạt tù bao nhiêu năm?",
    "What is the basic prison term for selling a child?",
    "Đối với người mua bán trẻ em, mức phạt tù cơ bản là bao nhiêu?",
])
def test_the_basic_penalty_for_selling_a_child_is_the_child_articles_first_clause(penal_bot, question):
    assert_says(penal_bot.ask(question), "07 năm đến 12 năm")


@pytest.mark.parametrize("question", [
    "For selling a child with no aggravating circumstances, what is the prison range, and what fine can be added?",
    "Đối với người mua bán trẻ em dưới 16 tuổi, phạt tù bao nhiêu năm và phạt tiền tối đa bao nhiêu?",
])
def test_a_frame_put_first_holds_for_every_part_of_a_compound_question(penal_bot, question):
    assert_says(penal_bot.ask(question), "07 năm đến 12 năm", "50.000.000 đồng đến 200.000.000 đồng")


@pytest.mark.parametrize("question, said", [
    ("What is MOLISA responsible for under the 2011 law?", "Hướng dẫn cơ sở bảo trợ xã hội"),
    ("What is the MOH accountable for under the law?", "hỗ trợ y tế cho nạn nhân"),
])
def test_a_ministry_asked_by_its_acronym_gets_its_own_tasks(support_law_bot, question, said):
    assert_says(support_law_bot.ask(question), said)


@pytest.mark.parametrize("first, then", [
    ("Nạn nhân là trẻ em thuộc hộ nghèo tiếp tục đi học thì được hỗ trợ trong bao lâu?",
     "Còn nếu nạn nhân muốn vay vốn làm ăn thì luật quy định thế nào?"),
    ("How long does a poor child victim who goes back to school get support?",
     "And if she wants a loan to start a business, what does the law say?"),
])
def test_a_changed_case_asking_what_the_law_says_does_not_keep_the_time_asked_before(support_law_bot, first, then):
    previous = support_law_bot.ask(first)
    assert_says(support_law_bot.ask(then, history=[previous]), "vay vốn")


def test_it_in_a_later_part_is_the_law_not_its_coming_into_force(support_law_bot):
    answer = support_law_bot.ask("When did the law take effect, and in which session was it passed?")
    assert_says(answer, "01 tháng 01 năm 2012", "kỳ họp thứ 9")


@pytest.mark.parametrize("question, said", [
    ("I'm a trainer with an NGO in Ba Ria - Vung Tau. Which agency is the focal point helping the provincial People's "
     "Committee follow the plan?", "đầu mối thông tin liên lạc"),
    ("Tôi là cán bộ Hội phụ nữ ở Ninh Bình. Kế hoạch 2026-2030 giao cơ quan nào làm cơ quan thường trực?",
     "cơ quan thường trực"),
])
def test_who_the_user_says_they_are_is_not_part_of_what_is_asked(bot, question, said):
    assert_says(bot.ask(question), said, "Công an tỉnh")


def test_a_ministry_asked_of_a_provincial_plan_answers_with_its_provincial_department(bot):
    answer = bot.ask("What does MOLISA have to do under Ninh Binh's 2024 plan?")
    assert_says(answer, "Sở Lao động - Thương binh và Xã hội", "provincial counterpart")


@pytest.mark.parametrize("question, first", [
    ("Which department leads victim support in the BR-VT plan, and is it the same in Ninh Binh's 2026–2030 plan?", "No —"),
    ("Ai chủ trì hỗ trợ nạn nhân trong kế hoạch của Bà Rịa - Vũng Tàu, và kế hoạch 2026-2030 của Ninh Bình có giống vậy không?",
     "Không —"),
])
def test_who_leads_and_whether_it_is_the_same_in_another_plan_answers_from_both(bot, question, first):
    answer = bot.ask(question)
    assert answer.text.startswith(first), answer.text
    assert_says(answer, "Sở Y tế")
    assert {c.doc_id for c in answer.citations} >= {BRVT, "ninh-binh-2026-2030-ke-hoach-chuong-trinh"}, answer.citations


@pytest.mark.parametrize("question", [
    "What's the number and date of Quang Ninh's decision?",
    "What number and date does the Quang Ninh decision carry?",
])
def test_the_number_and_date_of_a_decision_come_from_its_own_line(bot, question):
    assert_says(bot.ask(question), "3087/QĐ-UBND", "30/9/2011")


def test_a_follow_up_pointing_at_an_act_the_last_answer_named_asks_about_that_act_anywhere(bot):
    previous = bot.ask("Kế hoạch 22/KH-BCĐ đề xuất sửa đổi nghị quyết nào của Hội đồng Thẩm phán?")
    assert "02/2019/NQ-HĐTP" in previous.text, previous.text
    # (the 2026–2030 plan, not the 2024 one, says what it guides)
    assert_says(bot.ask("Nghị quyết đó hướng dẫn những tội nào?", history=[previous]), "Điều 150", "Điều 151")


def test_a_long_list_item_is_quoted_from_the_sentence_asked_about(bot):
    answer = bot.ask("Under Ninh Binh's 2024 plan, which people must the police keep tabs on?")
    assert_says(answer, "số nạn nhân trở về địa phương")


@pytest.mark.parametrize("question", [
    "Which body receives the information about a Vietnamese victim abroad and makes the papers to bring her home?",
    "Ai xử lý thông tin, tài liệu về nạn nhân ở nước ngoài và làm thủ tục đưa nạn nhân về nước?",
])
def test_the_missions_abroad_are_an_agency_the_law_gives_tasks(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "Cơ quan đại diện Việt Nam ở nước ngoài")


@pytest.mark.parametrize("question", [
    "What must marriage brokerage and job placement businesses do under the law to prevent trafficking?",
    "Các cơ sở kinh doanh dịch vụ giới thiệu việc làm, môi giới kết hôn có trách nhiệm gì theo luật?",
])
def test_a_lead_in_is_quoted_with_every_point_of_its_list(support_law_bot, question):
    # ("… có trách nhiệm: a) …; b) …; c) …; d) …": the last point may be the one the reader needs)
    assert_says(support_law_bot.ask(question), "Ký hợp đồng lao động", "Cam kết chấp hành", "thanh tra, kiểm tra")


@pytest.mark.parametrize("question", [
    "Which government decree number spells out how victims are supported?",
    "Nghị định số mấy của Chính phủ hướng dẫn chi tiết việc hỗ trợ nạn nhân?",
])
def test_a_decree_the_law_leaves_unnamed_is_refused(support_law_bot, question):
    # ("Chính phủ quy định chi tiết …" names no decree: the question asks for its number)
    answer = support_law_bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    "A man pretended to be a trafficking victim to get the support money. What prison term does he face?",
    "Giả làm nạn nhân bị mua bán để nhận tiền hỗ trợ thì bị phạt tiền bao nhiêu?",
])
def test_another_wrong_told_in_the_words_of_trafficking_gets_no_trafficking_penalty(penal_bot, question):
    answer = penal_bot.ask(question)
    assert not answer.found, answer.text


def test_the_change_of_local_government_level_quotes_the_plans_own_words_on_two_tiers(bot):
    answer = bot.ask("Did the level of local government in charge change between Ninh Binh's 2024 and 2026–2030 plans?")
    assert_says(answer, "UBND các huyện, thành phố", "Ủy ban nhân dân các xã, phường", "chính quyền địa phương 2 cấp")


# -- session 23: parts named by rank, pointing back, provisions side by side --------------------------------------

@pytest.mark.parametrize("question, lead", [
    ("Đề án thứ hai của Quảng Ninh do cơ quan nào chủ trì?", "Công an tỉnh"),
    ("Who leads the third project in Quang Ninh's plan?", "Sở Lao động, Thương binh và Xã hội"),
    ("de an thu nhat cua quang ninh do ai chu tri", "Sở Thông tin và Truyền thông"),
])
def test_a_project_named_by_its_rank_is_the_numbered_project(bot, question, lead):
    # ("đề án thứ hai", "the third project": the plan writes "ĐỀ ÁN 2", "ĐỀ ÁN 3")
    assert_says(bot.ask(question), lead)


def test_the_first_project_you_listed_is_asked_after_the_list(bot):
    listed = bot.ask("Kế hoạch của Quảng Ninh giai đoạn 2011-2015 gồm những đề án nào?")
    second = bot.ask("Đề án thứ hai do cơ quan nào chủ trì?", history=[listed])
    assert_says(second, "Công an tỉnh chủ trì")
    first = bot.ask("Thế còn đề án đầu tiên bạn vừa kể thì ai chủ trì?", history=[listed, second])
    assert_says(first, "Sở Thông tin và Truyền thông chủ trì")


@pytest.mark.parametrize("question", [
    "Lâm Đồng có đợt cao điểm tương tự không?",
    "lam dong co dot cao diem tuong tu khong",
])
def test_a_word_that_points_back_is_no_topic_a_passage_must_repeat(bot, question):
    # ("tương tự": like what was said; typed bare it was restored as "tượng tư", a word of no passage)
    assert_says(bot.ask(question), "1/7/2024", "30/9/2024")


def test_that_campaign_typed_bare_is_the_campaign_asked_about_before(bot):
    asked = bot.ask("ke hoach 22/KH-BCD cua ninh binh nam 2024 mo dot cao diem tan cong tran ap toi pham mua ban nguoi "
                    "tu ngay nao den ngay nao")
    assert_says(asked, "01/7/2024")
    # ("dot do": "đợt đó", that campaign; bare "do" is also "by", which a body follows)
    assert_says(bot.ask("dot do nham vao nhung loai hanh vi nao", history=[asked]),
                "mua bán bộ phận cơ thể người", "mang thai hộ vì mục đích thương mại")


@pytest.mark.parametrize("question, first, second, first_says, second_says", [
    ("Khoan 2 Dieu 151 co nhung tinh tiet tang nang nao ma khoan 2 Dieu 150 khong co?",
     "Khoản 2 Điều 151", "Khoản 2 Điều 150", "Lợi dụng hoạt động cho nhận con nuôi", "từ 08 năm đến 15 năm"),
    ("Khoản 3 Điều 151 có tình tiết nào mà khoản 3 Điều 150 không có?",
     "Khoản 3 Điều 151", "Khoản 3 Điều 150", "từ 18 năm đến 20 năm hoặc tù chung thân", "Tái phạm nguy hiểm"),
    ("How does Article 150(1) differ from Article 151(1)?", "Article 150(1)", "Article 151(1)",
     "Người nào dùng vũ lực", "người dưới 16 tuổi"),
])
def test_provisions_set_side_by_side_are_each_quoted(penal_bot, question, first, second, first_says, second_says):
    # each provision under its own title, quoting its own words
    answer = penal_bot.ask(question)
    assert_says(answer, f"{first}:\n", f"{second}:\n")
    before, after = answer.text.split(f"{second}:\n", 1)
    assert first_says in before.split(f"{first}:\n", 1)[1] and second_says in after, answer.text


def test_provisions_named_without_a_word_that_sets_them_apart_are_no_comparison(penal_bot):
    # ("… theo Điều 150 và Điều 151": where the offence is, not each article asked on its own)
    answer = penal_bot.ask("Hành vi mua bán người được quy định tại Điều 150 và Điều 151 là gì?")
    assert answer.found and "Điều 150:\n" not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "When did Vietnam's 2011 anti-trafficking law actually take effect — was it the same day the National Assembly passed it?",
    "Luật phòng, chống mua bán người có hiệu lực từ ngày nào - có phải ngày Quốc hội thông qua không?",
])
def test_two_particulars_asked_in_one_clause_pair_are_both_quoted(support_law_bot, question):
    # ("— was it the same day …": the day it was passed is asked too, though no part of its own is split off)
    assert_says(support_law_bot.ask(question), "01 tháng 01 năm 2012", "29 tháng 3 năm 2011")


def test_the_issuer_and_the_signer_of_each_plan_compared_are_both_given(bot):
    answer = bot.ask("We have two Ninh Binh documents on file — the 2024 plan and the 2026–2030 programme plan. "
                     "Were they issued by the same body and signed by the same person?")
    assert_says(answer, "Ban Chỉ đạo 138 tỉnh", "Tổng Quang Thìn", "Ủy ban nhân dân tỉnh ban hành", "Nguyễn Thanh Bình")


def test_every_particular_a_plan_lacks_is_said_missing(bot):
    answer = bot.ask("What is the number and issue date of Ba Ria - Vung Tau's ACTIP implementation plan?")
    assert not answer.found
    assert "document number" in answer.text and "date of issue" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "In Ninh Binh's 2026–2030 programme plan, who's in the lead on prosecutorial oversight of trafficking cases?",
    "Which body handles prosecutorial oversight of trafficking investigations under Ninh Binh's 2026-2030 plan?",
])
def test_prosecutorial_oversight_is_the_procuracys_supervision_not_any_inspection(bot, question):
    assert_says(bot.ask(question), "Provincial People's Procuracy", "kiểm sát điều tra")


@pytest.mark.parametrize("question, point", [
    ("A trafficker sold four women across the border on three separate occasions. Which bracket of Art. 150 applies?",
     "Phạm tội 02 lần trở lên"),
    ("Under Article 150, what is the penalty if the number of victims was eight?", "Đối với 06 người trở lên"),
    ("Hắn bán một bé gái 14 tuổi và lấy một quả thận của em. Khung hình phạt là gì?", "Đã lấy bộ phận cơ thể của nạn nhân"),
    ("Traffickers sold a 13-year-old and had his liver removed. What sentence do they face?",
     "Đã lấy bộ phận cơ thể của nạn nhân"),
])
def test_a_case_told_in_its_own_words_meets_the_points_of_the_code(penal_bot, question, point):
    # (occasions counted, a count told after the people it counts, an organ named: each is a point of the code)
    assert_says(penal_bot.ask(question), point)


def test_a_follow_up_changing_how_often_adds_the_point_it_meets(penal_bot):
    told = penal_bot.ask("A man tricked two women from Thanh Hoa into a fishing boat job and sold them. "
                         "Which sentencing bracket of Art. 150 applies?")
    assert_says(told, "từ 02 đến 05 người")
    assert_says(penal_bot.ask("And if he did it on two separate occasions?", history=[told]),
                "Phạm tội 02 lần trở lên", "từ 02 đến 05 người")


def test_who_is_asking_said_before_a_dash_is_no_part_of_the_question(support_law_bot):
    # ("We're compiling figures —": who asks; its "figures" would weigh against the sentence that answers)
    answer = support_law_bot.ask("We're compiling national figures for a donor report — which body is formally "
                                 "tasked with keeping the crime statistics on trafficking cases?")
    assert_says(answer, "Viện kiểm sát nhân dân tối cao thực hiện việc thống kê tội phạm mua bán người")


def test_a_changed_case_that_asks_what_the_law_says_is_not_asked_the_old_question(support_law_bot):
    told = support_law_bot.ask("Một nạn nhân về quê, nhà thuộc hộ nghèo. Cô ấy có được trợ cấp khó khăn ban đầu không?")
    assert_says(told, "trợ cấp khó khăn ban đầu")
    loan = support_law_bot.ask("Còn nếu cô ấy muốn vay tiền làm ăn thì luật quy định thế nào?", history=[told])
    assert_says(loan, "vay vốn để sản xuất, kinh doanh")
    where = support_law_bot.ask("Which article says that?", history=[loan])
    assert_says(where, "Article 38(2)", "Điều 38. Trợ cấp khó khăn ban đầu, hỗ trợ vay vốn")
    assert where.citations and where.citations[0].section.endswith("Điều 38 › Khoản 2"), where.citations


@pytest.mark.parametrize("asked", ["Which section of the plan is that in?", "Nội dung đó nằm ở mục nào của kế hoạch?"])
def test_which_section_says_that_names_the_section_of_the_passage_quoted(bot, asked):
    lead = bot.ask("Ai chủ trì hỗ trợ nạn nhân ở Ninh Bình năm 2024?")
    answer = bot.ask(asked, history=[lead])
    assert_says(answer, "4. Công tác tiếp nhận, xác minh, xác định, giải cứu, bảo vệ và hỗ trợ nạn nhân bị mua bán")
    assert [c.doc_id for c in answer.citations] == [lead.citations[0].doc_id], answer.citations


@pytest.mark.parametrize("question, said", [
    ("What was the reporting cadence under Ninh Binh's 2024 plan?", "Định kỳ theo quý, 06 tháng, 01 năm"),
    ("And what was the reporting rhythm under Quang Ninh's 2011-2015 plan?", "định kỳ hàng quý, 6 tháng, 1 năm"),
])
def test_a_reporting_rhythm_asks_how_often(bot, question, said):
    assert_says(bot.ask(question), said)


@pytest.mark.parametrize("question", [
    "Since when has Quang Ninh's decision 3087 applied?",
    "When was Quang Ninh's decision approving its 2011–2015 counter-trafficking plan issued, and from when did it apply?",
])
def test_from_when_it_applies_is_its_effect_clause(bot, question):
    assert_says(bot.ask(question), "Quyết định này có hiệu lực thi hành kể từ ngày ký")


def test_a_rate_target_compared_is_each_plans_sentence_with_the_rate_not_its_whole_list(bot):
    answer = bot.ask("How does the trial-rate target in Quang Ninh's 2011–2015 plan compare with the one in Ninh Binh's "
                     "2024 plan?")
    assert_says(answer, "tỷ lệ xét xử vụ án mua bán người đạt từ 95% trở lên", "90% số vụ án mua bán người được giải quyết, xét xử")
    assert "Mục tiêu tổng quát" not in answer.text, answer.text


@pytest.mark.parametrize("question, section", [
    ("Who leads victim support in Ninh Binh's 2024 plan, and which section says so?",
     "4. Công tác tiếp nhận, xác minh, xác định, giải cứu, bảo vệ và hỗ trợ nạn nhân bị mua bán"),
    ("Ở Bà Rịa - Vũng Tàu, khâu tiếp nhận, xác minh và bảo vệ nạn nhân thì ai chủ trì, và mục nào của kế hoạch nói điều đó?",
     "4. Đẩy mạnh công tác tiếp nhận, xác mình, bảo vệ và hỗ trợ nạn nhân bị mua bán"),
])
def test_a_later_part_asking_where_that_is_said_names_the_first_parts_section(bot, question, section):
    answer = bot.ask(question)
    assert_says(answer, section)
    assert answer.text.index(section) > answer.text.index("\n2. "), answer.text


def test_a_later_part_asking_what_an_act_it_names_covers_is_no_where_said(penal_bot):
    # ("và nghị quyết đó hướng dẫn những điều nào?": what the act covers, not where the first part is said)
    from assistant.answer.compound import _ASKS_OF_THE_PART_BEFORE
    from assistant.text import fold

    assert not _ASKS_OF_THE_PART_BEFORE.search(fold("và nghị quyết đó hướng dẫn những điều nào của BLHS?"))
    assert _ASKS_OF_THE_PART_BEFORE.search(fold("which article is that in?"))


def test_an_english_who_answer_gives_each_body_also_as_the_document_writes_it(bot):
    # (the reader searches the document for the Vietnamese name; the lead sentence stays in English alone)
    answer = bot.ask("Who leads victim support in Ninh Binh's 2026-2030 plan?")
    assert_says(answer, "Department of Health (Sở Y tế)")
    assert answer.text.split("\n")[0].count("(Sở Y tế)") == 0, answer.text


# --- session 24 ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "A victim's family has been getting threats since she gave a statement. What protection measures does the law "
    "provide for victims and their relatives?",
    "Which safety measures can protect a victim's relatives?",
])
def test_a_list_under_a_lead_in_is_quoted_whole_not_the_points_that_repeat_its_words(support_law_bot, question):
    # (the lead-in's own colon, "… bao gồm:", is no list written inline: its points a)–d) are the list)
    assert_says(support_law_bot.ask(question), "Bố trí nơi tạm lánh", "Giữ bí mật về nơi cư trú",
                "Các biện pháp ngăn chặn hành vi xâm hại", "tố tụng hình sự")


@pytest.mark.parametrize("question, says", [
    ("Under the 2011 law, what exactly counts as 'sexual exploitation'? We want our training materials to match the "
     "statutory definition.", "Bóc lột tình dục là việc ép buộc người khác bán dâm"),
    ("Theo luật, thế nào thì được coi là cưỡng bức lao động? Tôi cần trích dẫn cho bài giảng.",
     "Cưỡng bức lao động là việc dùng vũ lực"),
])
def test_a_term_asked_in_one_sentence_of_several_is_defined(support_law_bot, question, says):
    answer = support_law_bot.ask(question)
    assert_says(answer, says)
    assert "Điều 3" not in answer.text and "Article 3" not in answer.text, answer.text


def test_a_long_lead_in_names_its_items_at_its_end(support_law_bot):
    # ("… dễ bị lợi dụng … có trách nhiệm:": the lead-in's last words name what the list is of)
    answer = support_law_bot.ask("Công ty môi giới kết hôn với người nước ngoài có những trách nhiệm gì theo Luật phòng, "
                                 "chống mua bán người?")
    assert_says(answer, "Ký hợp đồng lao động bằng văn bản", "Cam kết chấp hành", "khoản 1 Điều 15")
    assert "Điều 41" not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "For victim identification purposes, what paperwork is accepted as proof that someone is a trafficking victim?",
    "Which documents can prove someone was trafficked?",
])
def test_the_list_headed_by_the_thing_asked_answers_whole(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "Điều 28. Giấy tờ, tài liệu chứng nhận nạn nhân", "4 item",
                "Giấy xác nhận của cơ quan giải cứu", "hợp pháp hóa lãnh sự")


def test_which_article_is_no_thing_a_list_is_headed_by(support_law_bot):
    answer = support_law_bot.ask("Which article of the law sets out the grounds for identifying a victim?")
    assert answer.found and "lists" not in answer.text.split("\n")[0], answer.text


@pytest.mark.parametrize("question", [
    "Our border guard trainees keep asking this: if they can't establish whether a rescued person is under 18, how "
    "should they treat them under the Ba Ria - Vung Tau ACTIP plan?",
    "When it's not certain a victim is under 18, what does the ACTIP plan say to do?",
])
def test_a_victim_whose_age_is_unsure_is_treated_as_a_child(bot, question):
    assert_says(bot.ask(question), "coi nạn nhân đó là trẻ em")


def test_dam_bao_is_the_documents_bao_dam(bot):
    answer = bot.ask("Kế hoạch ACTIP yêu cầu đảm bảo gì cho nạn nhân không nói được tiếng Việt?")
    assert_says(answer, "Bảo đảm cho nạn nhân bị mua bán sử dụng ngôn ngữ mà họ hiểu được")


@pytest.mark.parametrize("question", [
    "Nan nhan chua thanh nien thuoc ho ngheo, neu tiep tuc di hoc thi duoc ho tro nhung gi va trong bao lau?",
    "What support does a minor victim from a poor family get to stay in school, and for how long?",
])
def test_what_and_for_how_long_is_answered_by_the_one_sentence_that_says_both(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "tiền học phí", "trong năm học đầu tiên")


@pytest.mark.parametrize("question", [
    "Người dân phát hiện mua bán người thì tố giác với cơ quan nào?",
    "Which authorities can an ordinary citizen report a trafficking case to?",
])
def test_where_a_citizen_reports_is_the_provision_naming_the_bodies(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "Cá nhân có nghĩa vụ tố giác", "cơ quan Công an")


@pytest.mark.parametrize("question, says", [
    ("What happens to someone who pretends to be a trafficking victim in order to collect assistance payments?",
     "Người giả mạo là nạn nhân"),
    ("A survivor wants to go back to her home village but has no money for the bus ticket or food on the way. Does the "
     "law cover that?", "tiền tàu xe và tiền ăn trong thời gian đi đường"),
])
def test_everyday_english_meets_the_laws_words(support_law_bot, question, says):
    assert_says(support_law_bot.ask(question), says)


def test_a_year_asked_is_answered_only_by_a_year(bot):
    none = bot.ask("By what year is the trafficking victims database in the Ninh Binh 2026–2030 plan supposed to be up "
                   "and running?")
    assert not none.found, none.text
    assert_says(bot.ask("By what year did Quang Ninh want all legal texts turned into awareness material?"), "năm 2013")


def test_the_year_a_plan_was_issued_is_its_date(bot):
    assert_says(bot.ask("Kế hoạch 22/KH-BCĐ ban hành năm nào?"), "ngày 05 tháng 02 năm 2024")


def test_the_date_of_a_decision_a_plan_cites_is_the_sentence_citing_it(bot):
    # (not the plan's own header, which gives no date of issue)
    answer = bot.ask("Quyết định của Thủ tướng về Kế hoạch thực hiện Công ước ACTIP, mà Bà Rịa - Vũng Tàu căn cứ vào, "
                     "ban hành ngày nào?")
    assert_says(answer, "1957/QĐ-TTg ngày 30/11/2020")


@pytest.mark.parametrize("question", [
    "Nếu Việt Nam và nước kia không cùng là thành viên của điều ước quốc tế thì tương trợ tư pháp trong vụ án mua bán "
    "người được thực hiện trên cơ sở nào?",
    "Neu hai nuoc khong cung la thanh vien dieu uoc thi tuong tro tu phap dua tren co so nao?",
])
def test_on_what_basis_asks_no_body_nor_number(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "nguyên tắc có đi có lại")


def test_a_length_of_time_asked_is_not_answered_by_when_something_happens(support_law_bot):
    answer = support_law_bot.ask("What is the maximum length of time a survivor can stay in a state-run shelter?")
    assert not answer.found, answer.text
    assert_says(support_law_bot.ask("How long do the police have to verify a victim who came back on her own?"),
                "Trong thời hạn 20 ngày")


def test_a_return_to_school_told_in_english_meets_the_support_for_schooling(support_law_bot):
    answer = support_law_bot.ask("A 13-year-old survivor from a poor family wants to go back to school. Which education "
                                 "costs can be covered, and for how long?")
    assert_says(answer, "tiền học phí", "trong năm học đầu tiên")


@pytest.mark.parametrize("question", [
    "Which ministry is supposed to steer legal aid work for victims?",
    "Who actually delivers legal aid to victims, and which ministry is supposed to steer that work?",
])
def test_which_ministry_is_answered_by_a_ministry(support_law_bot, question):
    # (the legal aid centre delivers the aid; the ministry asked for is the one that guides it)
    answer = support_law_bot.ask(question)
    assert_says(answer, "Ministry of Justice", "Hướng dẫn các trung tâm trợ giúp pháp lý")


def test_a_prime_ministers_decision_named_in_another_part_leaves_the_signer_the_plans(bot):
    answer = bot.ask("Two things about the Ninh Binh 2026-2030 plan: which Prime Minister's decision does it implement, "
                     "and who signed it?")
    assert_says(answer, "33/QĐ-TTg", "Nguyễn Thanh Bình")


@pytest.mark.parametrize("question", [
    "neu khong chac nan nhan bao nhieu tuoi thi phai xu ly the nao",
    "Nếu không biết chắc nạn nhân bao nhiêu tuổi thì phải xử lý thế nào?",
])
def test_an_age_in_the_condition_is_not_what_is_asked(bot, question):
    assert_says(bot.ask(question), "coi nạn nhân đó là trẻ em")


def test_has_that_changed_in_another_plan_asks_the_previous_question_there(bot):
    first = bot.ask("And what was the reporting cycle in Quang Ninh's 2011–2015 plan?")
    assert_says(first, "định kỳ hàng quý, 6 tháng, 1 năm")
    changed = bot.ask("Has that changed in Ninh Binh's 2026–2030 plan?", history=[first])
    assert_says(changed, "định kỳ 06 tháng, 01 năm báo cáo")


def test_a_yes_or_no_question_of_its_own_after_a_cue_keeps_its_topic_and_the_province(bot):
    first = bot.ask("Who's leading anti-trafficking work in the fisheries sector under Ninh Binh's 2026–2030 plan?")
    fishing = bot.ask("And in the 2024 plan, was fishing mentioned at all?", history=[first])
    assert_says(fishing, "(IUU)", "22/KH-BCĐ")


def test_luring_then_selling_one_woman_is_one_offence_not_two(penal_bot):
    first = penal_bot.ask("Case intake: a broker in Lao Cai lured a 19-year-old woman with a promise of factory work in "
                          "China, then sold her to a brothel on the other side of the border. Under the 2015 Criminal "
                          "Code, what sentencing range is he looking at?")
    younger = penal_bot.ask("What if she had been 15?", history=[first])
    assert_says(younger, "từ 12 năm đến 20 năm", "Đưa nạn nhân ra khỏi biên giới")
    assert "02 lần trở lên" not in younger.text, younger.text


@pytest.mark.parametrize("question", [
    "Kế hoạch mới nhất của Ninh Bình giao ai chủ trì hỗ trợ nạn nhân?",
    "Under Ninh Binh's latest plan, who leads victim support?",
])
def test_the_latest_plan_is_the_one_that_runs_latest(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "2026-2030")
    assert "22/KH-BCĐ" not in answer.text, answer.text


def test_new_measures_in_a_plan_name_no_latest_plan(bot):
    # ("biện pháp mới": new measures, not the new plan)
    assert bot.retriever.scope_of("Kế hoạch của Ninh Bình có những biện pháp mới nào?").doc_ids == ()


@pytest.mark.parametrize("question", [
    "Con nguoi chua thanh nien di cung nan nhan thi duoc ho tro gi?",
    "Is a minor accompanying a victim entitled to any support?",
])
def test_the_points_a_provision_refers_to_are_quoted_beside_it(support_law_bot, question):
    # ("… được hưởng chế độ hỗ trợ quy định tại các điểm a, b và c khoản 1 Điều này": what a, b and c are)
    answer = support_law_bot.ask(question)
    assert_says(answer, "các điểm a, b và c khoản 1 Điều này", "Hỗ trợ y tế", "Hỗ trợ tâm lý")
    assert "Trợ giúp pháp lý" not in answer.text, answer.text  # (point d is not referred to)


def test_a_body_pointed_at_in_a_later_part_is_the_one_its_noun_names(support_law_bot):
    answer = support_law_bot.ask("Cơ sở bảo trợ xã hội công lập phối hợp với cơ quan nào trong việc xác minh nạn nhân, "
                                 "và bộ nào có trách nhiệm hướng dẫn các cơ sở này thực hiện việc hỗ trợ nạn nhân?")
    assert_says(answer, "Phối hợp với cơ quan Công an trong việc xác minh nạn nhân", "Bộ Lao động-Thương binh và Xã hội")


@pytest.mark.parametrize("question", ["What are the legal bases for identifying a victim?",
                                      "What are the legal grounds to recognise someone as a trafficking victim?"])
def test_the_grounds_a_provision_sets_are_not_the_laws_own_legal_basis(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Căn cứ để xác định nạn nhân", "khoản 3 Điều 3")
    assert "Hiến pháp" not in answer.text, answer.text


@pytest.mark.parametrize("question", ["Căn cứ pháp lý để xác định nạn nhân là gì?", "can cu de xac dinh mot nguoi la nan nhan"])
def test_a_heading_whose_clause_opens_a_list_is_quoted_with_the_list(support_law_bot, question):
    # the article's heading matches best; its first clause ends "… căn cứ sau đây:" and both points answer
    assert_says(support_law_bot.ask(question), "khoản 1 và khoản 2 Điều 3", "khoản 3 Điều 3")


@pytest.mark.parametrize("question", ["What duties do marriage brokers have under the anti-trafficking law?",
                                      "What obligations do matchmaking agencies for foreigners have?"])
def test_the_duties_of_one_kind_of_business_are_its_own_list_not_the_chapter_of_ministries(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Ký hợp đồng lao động", "Cam kết chấp hành")
    assert "Điều 41" not in answer.text and "Article 41" not in answer.text, answer.text


@pytest.mark.parametrize("first, follow_up, stated", [
    ("Victim screening: if someone turns up at the district labour office (DOLISA) with no papers proving they were "
     "trafficked, which agency is asked to do the verification?", "How long do they have to get back to DOLISA?", "20 ngày"),
    ("Người chưa có giấy tờ chứng nhận là nạn nhân thì Phòng Lao động – Thương binh và Xã hội đề nghị cơ quan nào xác minh?",
     "Họ phải trả lời trong bao lâu?", "20 ngày"),
])
def test_a_follow_up_pointing_back_is_answered_beside_the_passage_it_points_at(support_law_bot, first, follow_up, stated):
    answer = support_law_bot.ask(follow_up, history=[support_law_bot.ask(first)])
    assert_says(answer, stated)


@pytest.mark.parametrize("first, follow_up, stated, not_stated", [
    ("Besides prison, what fines can a court add for a trafficking conviction under Article 150?",
     "What about when the victim is a child under 16?", "50.000.000 đồng đến 200.000.000 đồng", "20.000.000 đồng"),
    ("Người phạm tội mua bán người theo Điều 150 có thể bị phạt tiền bao nhiêu?", "Còn nếu nạn nhân dưới 16 tuổi?",
     "50.000.000 đồng đến 200.000.000 đồng", "20.000.000 đồng"),
])
def test_a_follow_up_changing_the_victims_age_asks_the_previous_question_of_the_other_article(penal_bot, first, follow_up,
                                                                                              stated, not_stated):
    answer = penal_bot.ask(follow_up, history=[penal_bot.ask(first)])
    assert_states(answer, stated, not_stated)


@pytest.mark.parametrize("question", [
    "I'm an NGO caseworker doing reintegration planning. What are all the categories of assistance a Vietnamese trafficking "
    "survivor can be entitled to under the anti-trafficking law?",
    "What categories of support can a trafficking victim get?",
])
def test_categories_of_a_thing_name_the_items_asked(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "Hỗ trợ y tế", "Trợ giúp pháp lý", "Trợ cấp khó khăn ban đầu")


@pytest.mark.parametrize("question", [
    "Can a trafficking survivor ask for her traffickers' trial to be held behind closed doors?",
    "Is an in camera hearing possible in a trafficking case if the victim asks?",
])
def test_a_closed_trial_in_partners_words_is_the_laws_xet_xu_kin(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "xét xử kín")


@pytest.mark.parametrize("question", ["Is there a maximum shelter stay in the law?",
                                      "What is the longest shelter stay the law allows a victim?"])
def test_a_maximum_length_the_law_does_not_set_is_refused(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    "We're assisting a Cambodian woman who was trafficked into Vietnam. Is she entitled to vocational training support?",
    "Does a Laotian victim trafficked in Vietnam get the same support as a Vietnamese one?",
])
def test_a_foreign_nationality_is_the_laws_nguoi_nuoc_ngoai(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "Nạn nhân là người nước ngoài bị mua bán tại Việt Nam")


@pytest.mark.parametrize("question", [
    "On what principles does Vietnam base its international cooperation against human trafficking?",
    "What principles govern Vietnam's international cooperation on trafficking?",
])
def test_a_sentence_under_a_title_naming_it_all_beats_a_list_of_the_things_asked_in_general(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "bình đẳng, tự nguyện, tôn trọng độc lập, chủ quyền")
    assert "Điều 4." not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "What are the aggravating factors that move an adult trafficking case under Article 150 up to the 8-15 year bracket?",
    "Which aggravating circumstances put an Article 150 case in the 8 to 15 year range?",
])
def test_aggravating_factors_of_a_bracket_are_its_whole_list(penal_bot, question):
    assert_says(penal_bot.ask(question), "Có tổ chức", "Vì động cơ đê hèn", "Đối với từ 02 đến 05 người", "Phạm tội 02 lần trở lên")


@pytest.mark.parametrize("first, follow_up, stated", [
    ("Chỉ tiêu tỷ lệ xét xử án mua bán người hằng năm của Quảng Ninh giai đoạn 2011–2015 là bao nhiêu?",
     "Thế Lâm Đồng năm 2024 thì đặt bao nhiêu?", "90% số vụ án mua bán người được giải quyết, xét xử"),
    ("What's the annual trial-rate target in Quang Ninh's 2011-2015 decision?", "And what did Lam Dong set in 2024?",
     "90% số vụ án mua bán người được giải quyết, xét xử"),
])
def test_a_follow_up_asking_only_a_figure_asks_the_previous_question_of_its_place(bot, first, follow_up, stated):
    assert_says(bot.ask(follow_up, history=[bot.ask(first)]), stated)


@pytest.mark.parametrize("question", ["KH phong chong MBN nam 2025 cua BCD 138 NB co chi tieu gi moi ko?",
                                      "KH năm 2025 của Ninh Bình giao Sở Y tế làm gì?"])
def test_a_plan_year_no_indexed_plan_covers_is_said_when_plan_is_typed_kh(bot, question):
    answer = bot.ask(question)
    assert not answer.found and "2025" in answer.text, answer.text


@pytest.mark.parametrize("question", ["Do staff of job agencies have to sign a pledge under the anti-trafficking law?",
                                      "Must employees of marriage brokers sign a written pledge?"])
def test_a_businesss_employees_own_duty_is_the_clause_on_its_workers(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "ký cam kết không vi phạm pháp luật")


@pytest.mark.parametrize("question, refused, stated", [
    ("Theo Dieu 151, nguoi pham toi co the bi cam cu tru bao nhieu nam?", True, "không quy định cấm cư trú"),
    ("Under Article 151, for how long can the offender get a residence ban?", True, "does not provide for a residence ban"),
    ("Theo Điều 150, người phạm tội có thể bị cấm cư trú bao nhiêu năm?", False, "cấm cư trú từ 01 năm đến 05 năm"),
])
def test_a_penalty_named_that_the_articles_last_clause_does_not_set_is_refused(penal_bot, question, refused, stated):
    answer = penal_bot.ask(question)
    assert answer.found is not refused and stated in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "What sentence does Art. 151 provide for someone caught preparing to traffic a child, before any handover?",
    "Người chuẩn bị phạm tội mua bán người thì bị phạt tù bao nhiêu năm theo Điều 150?",
    "What's the penalty for attempted trafficking under Article 150?",
])
def test_a_stage_of_the_offence_the_article_sets_no_penalty_for_is_refused(penal_bot, question):
    answer = penal_bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    "hop tac quoc te trong ke hoach quang ninh 2011-2015 huong toi doi tac nao",
    "Which foreign partner does Quang Ninh's 2011-2015 plan single out for cooperation?",
])
def test_a_foreign_partner_asked_is_answered_by_the_sentence_naming_one(bot, question):
    assert_says(bot.ask(question), "Công an Quảng Tây - Trung Quốc")


@pytest.mark.parametrize("question", [
    "Chế độ báo cáo định kỳ trong kế hoạch năm 2024 và kế hoạch 2026–2030 của Ninh Bình khác nhau thế nào?",
    "How does the reporting regime differ between Ninh Binh's 2024 plan and its 2026-2030 plan?",
])
def test_a_reporting_regime_compared_quotes_each_plans_periods(bot, question):
    assert_says(bot.ask(question), "theo quý, 06 tháng, 01 năm", "định kỳ 06 tháng, 01 năm")


@pytest.mark.parametrize("question", [
    "When a foreign national trafficked into Vietnam is repatriated, to which country is she sent back?",
    "Nạn nhân là người nước ngoài được hồi hương về nước nào?",
])
def test_a_country_the_law_describes_rather_than_names_answers_which_country(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "nước mà người đó có quốc tịch")


@pytest.mark.parametrize("question", [
    "What support services for returning victims does Ba Ria - Vung Tau's ACTIP plan list? I need the full list for a "
    "training slide.",
    "Which services for victims coming home does the BRVT ACTIP plan name? I want all of them for our workshop handout.",
])
def test_the_askers_purpose_does_not_pull_the_answer_towards_training(bot, question):
    assert_says(bot.ask(question), "hỗ trợ nhu cầu thiết yếu và chi phí đi lại, y tế, tâm lý, trợ giúp pháp lý")


@pytest.mark.parametrize("question", [
    "List the annual budget amounts allocated to each department under Ninh Binh's 2026–2030 counter-trafficking plan.",
    "Bài viết về kế hoạch năm 2024 của Lâm Đồng liệt kê những huyện, xã trọng điểm về mua bán người nào?",
    "Ke hoach 2011-2015 cua Quang Ninh liet ke nhung tuyen bien gioi, cua khau trong diem nao ve mua ban nguoi?",
])
def test_a_list_of_sums_or_places_the_plans_do_not_give_is_refused(bot, question):
    answer = bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    # the embassy is how the victim comes home, not who is asked for: the law gives the receiving to two ministries
    "which authority takes over victims sent home via the consulate",
    "victims coming back through our consulate - who meets them when they arrive?",
    "Nạn nhân được đưa về qua đại sứ quán thì cơ quan nào nhận họ?",
    "nan nhan ve qua lanh su quan thi ai tiep nhan",
])
def test_a_body_the_question_tells_as_part_of_its_case_is_not_the_answer_to_who(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Cơ quan có thẩm quyền của Bộ Công an, Bộ Quốc phòng")
    assert "Cơ quan có thẩm quyền" in answer.citations[0].text[:25], answer.citations[0].text


@pytest.mark.parametrize("question", [
    "What timeframe does Ba Ria-Vung Tau's ACTIP plan cover?",
    "Thời gian thực hiện kế hoạch ACTIP của Bà Rịa - Vũng Tàu là giai đoạn nào?",
])
def test_a_plan_whose_title_gives_no_period_is_given_the_phases_of_its_roadmap(bot, question):
    assert_says(bot.ask(question), "Giai đoạn 2021 -2022", "Giai đoạn 2022 - 2025")


def test_the_phase_an_activity_falls_in_is_not_the_whole_roadmap(bot):
    answer = bot.ask("Theo lộ trình của kế hoạch ACTIP tỉnh BR-VT, tập huấn chuyên sâu về Công ước được ưu tiên trong giai đoạn nào?")
    assert_says(answer, "Trong giai đoạn 2021 - 2022")


@pytest.mark.parametrize("question", [
    "How do the timeframes compare between Ba Ria–Vung Tau's ACTIP implementation plan and Ninh Binh's newest programme plan?",
    "Compare the time frames of the BR-VT ACTIP plan and Ninh Binh's latest plan.",
])
def test_a_provinces_newest_plan_is_the_one_compared(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "2026 – 2030", "2022 - 2025")
    assert "22/KH-BCĐ" not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Quick check before I cite them in our donor report: were Ninh Binh's 2024 anti-trafficking plan and its 2026–2030 "
    "programme plan signed off by the same provincial leader?",
    "KH 2024 và KH 2026-2030 của Ninh Bình có cùng một người ký không?",
])
def test_whether_two_plans_have_the_same_signer_gives_each_plans_signer(bot, question):
    assert_says(bot.ask(question), "Tổng Quang Thìn", "Nguyễn Thanh Bình")


@pytest.mark.parametrize("question", [
    "Did Quang Ninh (2011–2015) and Ninh Binh (2026–2030) give the same department the lead on protecting and supporting "
    "trafficking victims?",
    "Do Quang Ninh's 2011-2015 decision and Ninh Binh's 2026-2030 plan put the same department in charge of victim support?",
])
def test_whether_two_plans_gave_the_same_department_the_lead_is_answered_no_with_each_lead(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Sở Y tế", "Sở Lao động, Thương binh và Xã hội")
    assert answer.text.startswith("No"), answer.text


def test_a_comparison_of_leads_quotes_the_task_each_plan_gives_them(bot):
    # the clause "(Sở Tư pháp chủ trì, …)" names no task: the task before it says what the justice department leads
    answer = bot.ask("tro giup phap ly cho nan nhan: KH QN 2011-2015 va KH NB 2024 giao so nao chiu trach nhiem, co giong nhau ko?")
    assert_says(answer, "Trung tâm trợ giúp pháp lý", "Sở Tư pháp")


@pytest.mark.parametrize("question", [
    "Between the Ministry of Justice and MOLISA, who oversees which intermediaries - marriage brokers, adoption services, "
    "job placement, labour export?",
    "Who supervises marriage brokers and labour export firms, the Justice Ministry or MOLISA?",
])
def test_each_candidate_of_a_choice_is_given_its_own_record(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Bộ Tư pháp", "Bộ Lao động")
    assert len(answer.citations) >= 2, answer.text


@pytest.mark.parametrize("question", [
    "Luật 2011 đặt ra những nguyên tắc phòng, chống mua bán người nào?",
    "luat 2011 dat ra nhung nguyen tac phong chong mua ban nguoi nao",
])
def test_the_principles_of_the_law_are_listed_whole(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "Thực hiện đồng bộ các biện pháp", "Tăng cường hợp tác quốc tế")


@pytest.mark.parametrize("question", [
    "In its state-management role on trafficking, what is the Ministry of Public Security responsible for? Give me every item.",
    "Bộ Công an có những trách nhiệm gì trong quản lý nhà nước về phòng, chống mua bán người? Liệt kê đầy đủ.",
])
def test_an_agencys_task_is_quoted_to_its_last_point_when_every_item_is_asked(support_law_bot, question):
    # Article 42(1) has seven points; its last, "g) Thực hiện hợp tác quốc tế …", is past the usual quote length
    assert_says(support_law_bot.ask(question), "Thực hiện hợp tác quốc tế trong phòng, chống mua bán người theo thẩm quyền")


@pytest.mark.parametrize("question", [
    "phat hien nguoi bi mua ban thi ca nhan phai to giac voi co quan nao",
    "Phát hiện người bị mua bán thì cá nhân phải tố giác với cơ quan nào?",
])
def test_of_two_tied_sentences_the_one_whose_subject_the_question_names_answers(support_law_bot, question):
    # "Cá nhân có nghĩa vụ tố giác … với cơ quan Công an, Ủy ban nhân dân xã …" (khoản 1), not "Cơ quan, tổ chức khi phát
    # hiện … có trách nhiệm xử lý …" (khoản 2), which scores as high
    assert_says(support_law_bot.ask(question), "Cá nhân có nghĩa vụ tố giác")


@pytest.mark.parametrize("question", [
    "chi tieu xet xu vu an MBN cua QN (2011-2015) so voi KH 2024 cua NB thi cao hon hay thap hon?",
    "Is Quang Ninh's trial-rate target higher or lower than the one in Ninh Binh's 2024 plan?",
])
def test_whether_one_plans_target_is_higher_gives_each_plans_figure(bot, question):
    assert_says(bot.ask(question), "95% trở lên", "90% số vụ án mua bán người được giải quyết, xét xử")


@pytest.mark.parametrize("question", [
    "Quang Ninh 2011–2015: which agency leads the project on combating trafficking crime?",
    "Who is in charge of the fight against trafficking crime in Quang Ninh's decision?",
])
def test_the_project_against_trafficking_crime_is_told_from_the_awareness_project(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "ĐỀ ÁN 2", "Công an tỉnh chủ trì")


def test_a_target_for_commune_level_officers_is_the_line_that_sets_it(bot):
    assert_says(bot.ask("What was Quang Ninh's 2015 target for commune-level officers?"), "100% cán bộ cấp xã chuyên trách")


@pytest.mark.parametrize("question", [
    "Prosecutor's question: an organised ring sells three children, all under 16, to buyers abroad. Does this fall under the "
    "'2 to 5 victims' clause or something heavier, and what is the range?",
    "Prosecutor's question: an organised ring sells three children, all under 16, to buyers abroad. What is the range?",
])
def test_a_range_asked_of_a_told_case_is_the_clause_its_heaviest_circumstance_opens(penal_bot, question):
    assert_states(penal_bot.ask(question), "18 năm đến 20 năm", "Viện kiểm sát")


@pytest.mark.parametrize("question", [
    "Journalist here: what fine does a newspaper face for publishing a trafficking victim's name without her consent?",
    "Báo đăng tên nạn nhân bị mua bán thì bị phạt tiền bao nhiêu?",
])
def test_a_fine_for_what_is_done_to_a_victim_afterwards_is_not_the_traffickers_fine(penal_bot, question):
    assert not penal_bot.ask(question).found


def test_the_traffickers_fine_is_still_given(penal_bot):
    assert_says(penal_bot.ask("What fine can a trafficker get on top of prison?"), "20.000.000 đồng đến 100.000.000 đồng")


@pytest.mark.parametrize("question", [
    "Does a foreign national trafficked in Vietnam get the same support package as a Vietnamese citizen?",
    "Compare the support package a Vietnamese victim gets with what a foreign national trafficked inside Vietnam is entitled to.",
])
def test_a_clause_compared_with_the_points_it_refers_to_quotes_that_clause_whole(support_law_bot, question):
    # khoản 2 gives foreign victims "các điểm a, b, c và d khoản 1": the points they do not get (đ, e) are the difference
    assert_says(support_law_bot.ask(question), "các điểm a, b, c và d khoản 1", "Trợ cấp khó khăn ban đầu, hỗ trợ vay vốn")


def test_the_points_a_clause_refers_to_are_quoted_alone_when_nothing_is_compared(support_law_bot):
    answer = support_law_bot.ask("Nạn nhân là người nước ngoài bị mua bán tại Việt Nam được hưởng chế độ hỗ trợ quy định tại đâu?")
    assert_states(answer, "Trợ giúp pháp lý", "Trợ cấp khó khăn ban đầu")


@pytest.mark.parametrize("question", [
    "KH ACTIP BRVT: cong tac tuyen truyen, pho bien Cong uoc do CA tinh chu tri thi nhung co quan nao phoi hop? ke ra day du",
    "KH ACTIP BRVT: công tác tuyên truyền, phổ biến Công ước do CA tỉnh chủ trì thì những cơ quan nào phối hợp?",
])
def test_the_partners_under_a_named_lead_are_listed(bot, question):
    assert_says(bot.ask(question), "Sở Giáo dục và Đào tạo", "Đoàn thanh niên Cộng sản Hồ Chí Minh tỉnh")


@pytest.mark.parametrize("question", [
    "Theo kế hoạch thực hiện Công ước ACTIP của Bà Rịa – Vũng Tàu, nếu chưa xác định chắc chắn nạn nhân bao nhiêu tuổi thì phải xử lý thế nào?",
    "Theo KH ACTIP BR-VT, khi không rõ nạn nhân bao nhiêu tuổi thì xử lý ra sao?",
])
def test_how_to_act_when_an_age_is_unknown_is_answered_not_refused_for_the_age(bot, question):
    assert_says(bot.ask(question), "coi nạn nhân đó là trẻ em")


@pytest.mark.parametrize("question", [
    "Sở Tư pháp Quảng Ninh được giao những nhiệm vụ gì trong kế hoạch phòng, chống tội phạm mua bán người giai đoạn 2011–2015?",
    "What tasks does the Department of Justice have under Quang Ninh's plan on preventing trafficking crime 2011-2015?",
])
def test_the_plan_named_by_its_subject_does_not_narrow_an_agencys_tasks(bot, question):
    # the words naming the plan ("phòng, chống tội phạm mua bán người") are no topic of the justice department's tasks
    assert_says(bot.ask(question), "trợ giúp pháp lý cho nạn nhân")


@pytest.mark.parametrize("question", [
    "vai tro cua uy ban mat tran to quoc tinh trong ke hoach 2024 cua ninh binh va trong ke hoach ACTIP cua ba ria vung tau khac nhau nhu the nao",
    "How does the role of the provincial Fatherland Front differ between Ninh Binh's 2024 plan and the BR-VT ACTIP plan?",
])
def test_an_agencys_roles_compared_quote_its_task_in_each_plan(bot, question):
    # not only how many tasks it has in each: what they are, in each plan's words
    assert_says(bot.ask(question), "phong trào toàn dân", "nâng cao nhận thức cộng đồng")


@pytest.mark.parametrize("question", [
    "Xác minh xong, nếu đủ điều kiện thì cơ quan nào cấp giấy xác nhận nạn nhân?",
    "Who issues the victim certificate after verification?",
])
def test_the_body_that_verified_a_victim_issues_her_certificate(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "thì cơ quan đã tiến hành xác minh cấp giấy xác nhận nạn nhân")


@pytest.mark.parametrize("question", [
    "Tôi công tác ở Sở Y tế Ninh Bình. Kế hoạch giai đoạn 2026 – 2030 giao cho Sở Y tế chủ trì những việc gì trong phòng, chống mua bán người?",
    "What does the health department lead in anti-trafficking work under Ninh Binh's 2026-2030 plan?",
])
def test_the_field_itself_does_not_narrow_an_agencys_tasks(bot, question):
    # "trong phòng, chống mua bán người" names the field every task is in: all five tasks Sở Y tế leads, not the one
    # that happens to say the words
    answer = bot.ask(question)
    assert_says(answer, "Tổng đài điện thoại quốc gia")


@pytest.mark.parametrize("question", [
    "In Ba Ria - Vung Tau's plan for implementing the ASEAN trafficking convention, which agency is the focal point that "
    "helps the provincial People's Committee steer and follow up on implementation?",
    "Cơ quan nào là đầu mối giúp UBND tỉnh theo dõi thực hiện kế hoạch ACTIP của BR-VT?",
])
def test_the_focal_point_asked_is_the_body_a_record_makes_the_focal_point(bot, question):
    assert_says(bot.ask(question), "Giao Công an tỉnh là đầu mối")


@pytest.mark.parametrize("question", [
    "A mother sold her own 10-year-old son to a man for money. One-off, no ring involved. What's the sentencing range?",
    "Ông bố bán con ruột 8 tuổi cho người lạ lấy 50 triệu thì bị phạt tù bao nhiêu năm?",
    "A father sold his own daughter, aged 12, to a brothel owner. What prison term does he face?",
])
def test_a_child_sold_by_the_one_raising_it_is_the_point_of_those_who_must_care(penal_bot, question):
    # (and "no ring involved" denies the organised group: not "a) Có tổ chức;")
    assert_states(penal_bot.ask(question), "Đối với người mà mình có trách nhiệm chăm sóc, nuôi dưỡng", "Có tổ chức")


@pytest.mark.parametrize("question", [
    "1 nguoi gia lam thu tuc cho nhan con nuoi de ban 1 be 3 tuoi lay tien, xu the nao?",
    "A couple posed as adoptive parents to get a 2-year-old and then sold the child. What prison range?",
])
def test_adoption_used_to_get_a_child_is_the_point_of_adoption(penal_bot, question):
    assert_says(penal_bot.ask(question), "Lợi dụng hoạt động cho nhận con nuôi", "từ 12 năm đến 20 năm")


@pytest.mark.parametrize("case, follow_up, stated, not_stated", [
    ("Case from our border province: a ring of three people recruited three women (22-25 years old) with fake factory jobs "
     "and handed them over to buyers across the border in China. What prison range are they looking at under the 2015 "
     "Penal Code?", "Same facts, but the three girls were all 15.", "từ 18 năm đến 20 năm hoặc tù chung thân", "08 năm"),
    ("Một người đàn ông lừa đưa một bé gái 14 tuổi lên thành phố rồi giao cho người khác để lấy 30 triệu. Chỉ 1 nạn nhân, "
     "lần đầu phạm tội, ko có đồng bọn. Khung hình phạt là bao nhiêu?", "Thế nếu bé đó 17 tuổi rồi thì khung nào?",
     "từ 05 năm đến 10 năm", "07 năm"),
    ("A man tricked a 14-year-old girl into going to the city and handed her to someone else for 30 million dong. One "
     "victim, first offence, acting alone. What is the penalty bracket?", "What if that girl had been 17?",
     "từ 05 năm đến 10 năm", "07 năm"),
])
def test_a_follow_up_that_changes_the_victims_age_moves_the_case(penal_bot, case, follow_up, stated, not_stated):
    first = penal_bot.ask(case)
    assert_states(penal_bot.ask(follow_up, history=[first]), stated, not_stated)


@pytest.mark.parametrize("question, stated", [
    ("Sau khi UBND xã báo lên là có nạn nhân tự đến khai báo thì Phòng LĐTBXH huyện phải tiếp nhận trong mấy ngày?", "03 ngày"),
    ("Mình ở CA huyện. Phòng LĐTBXH gửi văn bản đề nghị xác minh một chị tự khai là bị bán sang TQ, bên mình có bao lâu để "
     "xác minh và trả lời bằng văn bản?", "20 ngày"),
    ("I'm with the district police. DOLISA sent us a written request to verify a woman who says she was trafficked. How "
     "long do we have to reply?", "20 ngày"),
])
def test_a_body_named_by_its_abbreviation_and_the_askers_own_time_are_answered(support_law_bot, question, stated):
    assert_says(support_law_bot.ask(question), stated)


def test_which_articles_a_law_cites_is_answered_by_the_sentence_citing_them(support_law_bot):
    answer = support_law_bot.ask("Law 66 lists 'trafficking in persons' as a prohibited act by pointing to the Penal Code. "
                                 "Which Penal Code articles does it cite?")
    assert_states(answer, "Điều 119 và Điều 120", "Yes —")  # it says the act is forbidden; it asks something else


@pytest.mark.parametrize("question", [
    "Tuyên truyền Công ước ACTIP ở Bà Rịa - Vũng Tàu: Công an tỉnh chủ trì, còn các cơ quan phối hợp gồm những ai?",
    "Trong KH ACTIP của BRVT, Công an tỉnh phối hợp với những sở nào để tuyên truyền Công ước?",
])
def test_the_partners_of_a_lead_are_found_in_the_record_beside_its_own(bot, question):
    # "Công an tỉnh chủ trì thực hiện các hoạt động trên." and "Cơ quan phối hợp: Sở …" are two records of one task
    assert_states(bot.ask(question), "Sở Thông tin và Truyền thông", "Đề nghị Tòa án")


def test_a_plan_named_in_english_by_what_it_implements_does_not_narrow_an_agencys_tasks(bot):
    answer = bot.ask("What does the provincial Department of Justice have to do under Ba Ria - Vung Tau's ACTIP "
                     "implementation plan?")
    assert_says(answer, "thi hành án dân sự")


@pytest.mark.parametrize("question", [
    "BCĐ 138 Lâm Đồng năm 2024 đặt ra những chỉ tiêu % nào cho tiếp nhận tố giác, điều tra, truy tố, xét xử tội mua bán "
    "người? Liệt kê đủ giúp mình.",
    "lam dong 2024 dat nhung chi tieu nao ve tiep nhan to giac, dieu tra, truy to, xet xu?",
])
def test_a_list_written_as_sentences_answers_a_list_asked(bot, question):
    assert_says(bot.ask(question), "95% số vụ án", "90% số vụ án mua bán người được giải quyết, xét xử")


@pytest.mark.parametrize("question", [
    "Kế hoạch Ninh Bình 2026-2030 đặt chỉ tiêu thành lập bao nhiêu câu lạc bộ di cư an toàn?",
    "How many safe-migration clubs does the Ninh Binh 2026-2030 plan aim to set up?",
])
def test_a_figure_the_objectives_do_not_give_is_refused(bot, question):
    answer = bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question, stated", [
    ("Whose recommendation was QD 3087 of Quang Ninh issued on?", "849/PV11"),
    ("What is the reporting schedule in plan 22/KH-BCD?", "theo quý, 06 tháng, 01 năm"),
    ("KH ACTIP BRVT liet ke nhung linh vuc quan ly nha nuoc nao can siet chat de phong ngua mua ban nguoi?",
     "xuất khẩu lao động"),
])
def test_a_proposer_a_number_typed_without_marks_and_the_state_are_read(bot, question, stated):
    assert_says(bot.ask(question), stated)


@pytest.mark.parametrize("question", [
    "So sánh giúp mình chế độ báo cáo định kỳ giữa KH 22/KH-BCĐ năm 2024 và KH thực hiện chương trình 2026–2030 của Ninh Bình.",
    "Please compare the reporting schedule in Ninh Binh's 22/KH-BCD plan with its 2026-2030 plan.",
])
def test_the_askers_courtesies_and_the_plans_names_are_not_a_comparisons_topic(bot, question):
    assert_says(bot.ask(question), "theo quý, 06 tháng, 01 năm", "định kỳ 06 tháng, 01 năm")


@pytest.mark.parametrize("question, stated", [
    ("Which agencies work with the police on spreading the word about the ACTIP convention in Ba Ria-Vung Tau?",
     "Department of Information and Communications"),
    ("Under the BR-VT ACTIP plan, which bodies are to support the police in spreading awareness of the Convention?",
     "Department of Information and Communications"),
    ("KH ACTIP BR-VT liệt kê những cơ quan phối hợp nào với Công an tỉnh trong tuyên truyền, phổ biến Công ước?",
     "Sở Thông tin và Truyền thông"),
])
def test_the_partners_of_the_police_in_spreading_the_word_are_those_of_the_publicity_task(bot, question, stated):
    # "spreading the word" is publicity (tuyên truyền), and "support the police" the role asked, not victim support
    assert_says(bot.ask(question), stated, "II.2")


@pytest.mark.parametrize("question, stated", [
    ("Tên đầy đủ của BCĐ 138 tỉnh Lâm Đồng là gì?", "phòng, chống AIDS"),
    ("ten day du cua ban chi dao 138 tinh lam dong la gi", "phòng, chống AIDS"),
    ("What is the full name of the Ninh Binh Steering Committee 138?", "Ban Chỉ đạo phòng, chống tội phạm; tệ nạn xã hội"),
])
def test_the_full_name_of_a_body_is_the_name_its_short_form_stands_after(bot, question, stated):
    answer = bot.ask(question)
    assert_says(answer, stated, "(")
    assert answer.citations[0].text.endswith(")"), answer.citations[0].text  # the name with its short form, no more


@pytest.mark.parametrize("question", [
    "We sometimes get a rescued girl with no papers and can't tell if she's under 18. What does the BRVT ACTIP plan say "
    "to do in that case?",
    "Under the Ba Ria - Vung Tau ACTIP plan, how should officials treat a presumed victim whose age is uncertain but who "
    "may be a child?",
    "If the age of a rescued person is unclear, what does the ACTIP plan require?",
])
def test_a_victim_of_uncertain_age_is_treated_as_a_child(bot, question):
    assert_says(bot.ask(question), "coi nạn nhân đó là trẻ em")


@pytest.mark.parametrize("question", ["What is Lam Dong's Steering Committee 138 formally called?",
                                      "BCĐ 138 Lâm Đồng gọi đầy đủ là gì? Tên chính thức ấy"])
def test_a_bodys_formal_name_is_its_full_name(bot, question):
    assert_says(bot.ask(question), "phòng, chống AIDS")


@pytest.mark.parametrize("question, stated", [
    ("Tội mua bán người dưới 16 tuổi ở khung cơ bản bị phạt tù bao nhiêu năm, và phạt tiền bổ sung tối đa là bao nhiêu?",
     "200.000.000 đồng"),
    ("Which article of the 2015 Penal Code deals with trafficking children under 16, and how big a fine can come on top "
     "of prison?", "200.000.000 đồng"),
])
def test_a_part_that_says_nothing_of_its_own_subject_is_asked_of_the_first_parts(penal_bot, question, stated):
    # "phạt tiền … tối đa" alone could be either article's; the first part says it is the under-16 offence
    assert_states(penal_bot.ask(question), stated, "100.000.000 đồng")


def test_a_later_part_is_answered_in_the_frame_of_the_first(support_law_bot):
    answer = support_law_bot.ask("Co quan tiep nhan khai bao cua nan nhan phai chuyen nguoi do den dau, va UBND xa sau do "
                                 "phai thong bao cho ai?")
    assert_says(answer, "Ủy ban nhân dân cấp xã nơi cơ quan, tổ chức có trụ sở", "thông báo ngay với Phòng Lao động")


@pytest.mark.parametrize("question", [
    "ninh binh 2024 va 2026-2030 luc luong quan doi nao cung cong an chu tri dau tranh mua ban nguoi, co thay doi khong",
    "Về đấu tranh với tội phạm mua bán người, kế hoạch 2024 và kế hoạch 2026–2030 của Ninh Bình giao cho những lực lượng "
    "nào? Có gì thay đổi?",
    "Cơ quan nào cùng Công an tỉnh chủ trì đấu tranh phòng chống mua bán người, so sánh KH 2024 và KH 2026-2030 Ninh Bình?",
])
def test_a_comparison_of_leads_reads_each_plan_from_the_section_its_topic_titles(bot, question):
    # 2024: "3. Công tác đấu tranh, truy tố, xét xử …" (not a bullet on media reports that mentions "kết quả đấu tranh");
    # 2026–2030: both leads its "4. Đấu tranh …" names on one line, not only the police, which lead more records
    answer = bot.ask(question)
    head = answer.text.split("\n")[0]
    assert "Bộ Chỉ huy Bộ đội Biên phòng tỉnh" in head and "Bộ Chỉ huy Quân sự tỉnh" in head, answer.text
    assert "mục II.3" in answer.text and "lực lượng" not in head.split("’")[0], answer.text


def test_a_lead_named_where_the_plan_before_named_none_is_not_told_as_a_change_from_a_dash(bot):
    answer = bot.ask("Về đấu tranh với tội phạm mua bán người, kế hoạch 2024 và kế hoạch 2026–2030 của Ninh Bình giao cho "
                     "những lực lượng nào? Có gì thay đổi?")
    assert "— →" not in answer.text and "nay nêu cơ quan chủ trì" in answer.text, answer.text


@pytest.mark.parametrize("question, stated", [
    ("QĐ 3087 của UBND tỉnh Quảng Ninh phê duyệt KH thực hiện chương trình hành động PCTP mua bán người ký ngày nào?",
     "30/9/2011"),
    ("Quyết định 3087 phê duyệt kế hoạch phòng chống mua bán người ký vào ngày nào?", "30/9/2011"),
])
def test_the_day_a_decision_was_signed_is_its_date(bot, question, stated):
    assert_says(bot.ask(question), stated)


@pytest.mark.parametrize("first, then", [
    ("KH 2024 của BCĐ 138 Ninh Bình có đề cập gì tới chuyện đánh bắt cá trái phép và lao động bị ép buộc trên tàu cá không?",
     "Còn KH giai đoạn 2026–2030 của tỉnh thì ai chủ trì mảng thuỷ sản này?"),
    ("In the new Ninh Binh 2026-2030 plan, who leads on making use of the 111 hotline?",
     "ok and who leads the fisheries piece, i.e. people being recruited for forced labour on fishing boats?"),
])
def test_a_follow_up_on_a_topic_of_its_own_names_that_topic_s_leads(bot, first, then):
    answer = bot.ask(then, history=[bot.ask(first)])
    said = answer.text.split("\n")[1]  # the line after "(Hiểu là: …)" that answers
    assert "ok and" not in answer.text.split("\n")[0], answer.text  # (the acknowledgement is not what was asked)
    assert any(name in said for name in ("Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment")), answer.text
    assert any(name in said for name in ("Bộ Chỉ huy Quân sự tỉnh", "Provincial Military Command")), answer.text


@pytest.mark.parametrize("question, stated", [
    ("dieu 150 khung 3 phat tu bao nhieu nam?", "12 năm đến 20 năm"),
    ("Khung hình phạt thứ 2 của Điều 151 là bao nhiêu năm tù?", "12 năm đến 20 năm"),
])
def test_a_penalty_bracket_by_number_quotes_that_clause(penal_bot, question, stated):
    answer = penal_bot.ask(question)
    assert_says(answer, stated)
    assert "khoản 1 " not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Is handing over a child under 16 in exchange for money always trafficking under the Penal Code, or is there an exception?",
    "Does Article 151 make an exception for handing a child over for payment?",
    "Is giving a baby under 16 to another family for cash always a crime, or are there exemptions?",
])
def test_an_exception_asked_in_english_is_the_code_s_except_clause(penal_bot, question):
    # "exception", "exemption", "carve-out" → "trừ trường hợp"; "for money / payment / cash" → "nhận tiền"
    assert_says(penal_bot.ask(question), "trừ trường hợp vì mục đích nhân đạo")


@pytest.mark.parametrize("question, stated", [
    ("Which anti-trafficking law does each rest on: Quang Ninh 2011-2015 versus Ninh Binh 2026-2030?",
     ("29 tháng 3 năm 2011", "Luật Phòng, chống mua bán người năm 2024")),
    ("What law is the Ninh Binh 2026-2030 plan based on?", ("Luật Phòng, chống mua bán người năm 2024",)),
    ("Kế hoạch 2026-2030 của Ninh Bình dựa trên luật nào?", ("Luật Phòng, chống mua bán người năm 2024",)),
])
def test_the_law_a_plan_rests_on_is_named_where_it_has_no_basis_line(bot, question, stated):
    # Quảng Ninh's decision opens with "Căn cứ Luật …"; the 2026–2030 plan opens "Thực hiện Quyết định số 33/QĐ-TTg",
    # which names no law, so a sentence that does answers ("… trọng tâm là Luật Phòng, chống mua bán người năm 2024")
    assert_says(bot.ask(question), *stated)


def test_two_who_questions_of_one_plan_set_against_each_other_are_each_answered(bot):
    answer = bot.ask("In the Ninh Binh 2026-2030 plan, who leads on prosecution and supervising investigations of "
                     "trafficking cases, versus who leads on the trials themselves?")
    assert_says(answer, "Procuracy", "Court", "II.5.c", "II.5.d")


@pytest.mark.parametrize("question", [
    "Bao chi, truyen hinh phai lam gi trong phong ngua mua ban nguoi?",
    "What does the anti-trafficking law require of the media?",
    "Cơ quan thông tin đại chúng có trách nhiệm gì trong phòng ngừa mua bán người?",
])
def test_what_the_media_must_do_is_their_article_of_the_law(support_law_bot, question):
    # "Điều 16. Cơ quan thông tin đại chúng tham gia phòng ngừa mua bán người": a body of the gazetteer now, so each
    # clause of its article is one of its tasks
    answer = support_law_bot.ask(question)
    assert answer.found and "Giữ bí mật thông tin về nạn nhân" in answer.text, answer.text
    assert all(clause in answer.text for clause in ("16(1)", "16(2)", "16(3)")) or all(
        clause in answer.text for clause in ("khoản 1 Điều 16", "khoản 2 Điều 16", "khoản 3 Điều 16")), answer.text


@pytest.mark.parametrize("question", [
    "Nạn nhân được nhận trợ cấp khó khăn ban đầu mấy lần?",
    "How many times can a returning victim get the initial hardship allowance?",
    "tro cap kho khan ban dau duoc nhan bao nhieu lan",
])
def test_a_count_the_law_writes_in_words_answers_how_many(support_law_bot, question):
    # "được hỗ trợ một lần tiền trợ cấp khó khăn ban đầu": a count written in words is a number stated
    assert_says(support_law_bot.ask(question), "một lần")


def test_a_compound_part_asked_after_a_copula_keeps_the_subject(support_law_bot):
    answer = support_law_bot.ask("Điều kiện để được nhận khoản trợ cấp khó khăn ban đầu là gì, nhận mấy lần?")
    assert answer.found and "không trả lời" not in answer.text, answer.text
    assert "thuộc hộ nghèo" in answer.text and "một lần" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Luật 66: thủ tục tiếp nhận nạn nhân tự đi khai báo (Đ24) khác gì với nạn nhân được giải cứu (Đ25)?",
    "Đ24 và Đ25 Luật 66 khác nhau thế nào về cơ quan tiếp nhận nạn nhân?",
])
def test_articles_abbreviated_without_a_dot_are_set_side_by_side(support_law_bot, question):
    # "Đ24", as officials write it, names Điều 24 like "Đ.24" does: each article answers for itself
    answer = support_law_bot.ask(question)
    assert answer.found and "Điều 24:" in answer.text and "Điều 25:" in answer.text, answer.text



@pytest.mark.parametrize("question", [
    "How many anti-trafficking speakers does Quang Ninh want at provincial level by 2013?",  # (dev de141)
    "Kế hoạch 2026-2030 của Ninh Bình yêu cầu thành lập bao nhiêu câu lạc bộ phòng chống mua bán người?",
    "How many officers does the Ninh Binh 2024 plan assign to each border post?",
])
def test_a_count_of_things_is_not_answered_by_a_share_of_others_or_a_date(bot, question):
    # "100% các văn bản …" or "ngày 29 tháng 3 năm 2011" states no count of speakers or officers: say no figure is given
    answer = bot.ask(question)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    "How many trafficking cases should be brought to trial each year under Ninh Binh's 2024 plan?",
    "Theo KH 2024 Ninh Bình, bao nhiêu vụ án mua bán người phải được đưa ra xét xử?",
])
def test_a_count_of_cases_is_answered_by_the_share_of_those_cases(bot, question):
    assert_says(bot.ask(question), "90% số vụ án")


@pytest.mark.parametrize("question", [
    "Nạn nhân tự đến UBND xã khai báo là bị bán, thì xã phải báo ngay cho cơ quan nào theo luật 66?",  # (dev hz011)
    "Người bị bán tự tìm đến Ủy ban nhân dân xã trình báo, thì Ủy ban xã phải thông báo ngay cho cơ quan nào?",
    "Nạn nhân tự tìm về UBND xã khai báo bị bán, thì xã phải báo ngay cho cơ quan nào?",
])
def test_a_case_told_before_then_is_answered_by_the_sentence_on_what_is_asked(support_law_bot, question):
    # khoản 1 Điều 24 tells the case in its first sentence ("Nạn nhân … có thể đến Ủy ban nhân dân cấp xã … khai báo")
    # and answers in its third ("Ủy ban nhân dân cấp xã có trách nhiệm thông báo ngay với Phòng Lao động …")
    answer = support_law_bot.ask(question)
    assert_says(answer, "Phòng Lao động – Thương binh và Xã hội")
    assert "thông báo ngay với Phòng Lao động" in answer.text.split("\n")[0], answer.text


@pytest.mark.parametrize("question", [
    "Báo chí có được đưa tin nêu thông tin cá nhân của nạn nhân bị mua bán khi nạn nhân chưa đồng ý không?",  # (dev ll005)
    "A local journalist wants to run a story with a survivor's real name and photo. Is that allowed if she hasn't agreed?",
    "Can the media publish a trafficking victim's photo without her consent?",
])
def test_a_prohibition_asked_of_a_body_quotes_that_body_s_own_duty(support_law_bot, question):
    # the prohibited act (khoản 10 Điều 3), then the media's own clause (khoản 2 Điều 16), quoted whole and alone
    answer = support_law_bot.ask(question)
    assert_says(answer, "Tiết lộ thông tin về nạn nhân khi chưa có sự đồng ý")
    assert "“Giữ bí mật thông tin về nạn nhân.”" in answer.text, answer.text


@pytest.mark.parametrize("question, stated", [
    ("KH ACTIP của BRVT có yêu cầu gì về phiên dịch, nói chuyện với nạn nhân bằng thứ tiếng họ hiểu không?",  # (dev dz045)
     "ngôn ngữ mà họ hiểu được"),
    ("Lâm Đồng năm 2024 có tập huấn về tổn thương tâm lý của nạn nhân không?", "sang chấn tâm lý"),
    ("KH 2024 Ninh Bình nói gì về ngư dân bị bóc lột sức lao động trên tàu cá?", "cưỡng bức lao động trên biển"),
    ("KH ACTIP cua BRVT co to chuc phien toa luu dong cac vu mua ban nguoi khong?", "xét xử lưu động"),
])
def test_everyday_words_find_the_documents_words(bot, question, stated):
    # "thứ tiếng", "tổn thương tâm lý", "bóc lột sức lao động", "phiên tòa lưu động": the plans say "ngôn ngữ", "sang
    # chấn tâm lý", "cưỡng bức lao động", "xét xử lưu động" (data/colloquial_vi.json)
    assert_says(bot.ask(question), stated)


@pytest.mark.parametrize("question", [
    "Những trường hợp nào mua bán người dưới 16 tuổi có thể bị tù chung thân?",  # (dev dd145)
    "For child trafficking cases (victims under 16), what are all the circumstances that can lead to a life sentence?",
    "When can a trafficker get life imprisonment?",
    "Điều 151: liệt kê các trường hợp bị phạt tù từ 18 năm đến 20 năm hoặc tù chung thân",
])
def test_the_cases_a_penalty_is_set_for_are_the_points_of_its_clause(penal_bot, question):
    # khoản 3 Điều 151 sets "từ 18 năm đến 20 năm hoặc tù chung thân" for its points a)–g): each is quoted
    answer = penal_bot.ask(question)
    assert_says(answer, "Có tổ chức", "Làm nạn nhân chết hoặc tự sát", "Tái phạm nguy hiểm")
    assert "07 năm đến 12 năm" not in answer.text, answer.text


def test_the_cases_of_a_prison_range_are_those_of_the_clause_that_sets_it(penal_bot):
    answer = penal_bot.ask("Khi nào thì tội mua bán người bị phạt tù từ 12 năm đến 20 năm?")
    assert_says(answer, "Có tính chất chuyên nghiệp", "Tái phạm nguy hiểm")


@pytest.mark.parametrize("question, decision, date", [
    ("KH ACTIP cua BRVT ban hanh de thuc hien QD so may cua TTg, ngay nao?", "1957/QĐ-TTg", "30/11/2020"),  # (dev hx042)
    ("Kế hoạch ACTIP của BR-VT thực hiện quyết định nào của Thủ tướng, ký ngày nào?", "1957/QĐ-TTg", "30/11/2020"),
    ("Which Prime Minister's decision does the Ba Ria-Vung Tau ACTIP plan implement, and when was that decision issued?",
     "1957/QĐ-TTg", "30/11/2020"),
])
def test_the_date_of_the_document_a_part_asked_for_is_the_one_written_beside_it(bot, question, decision, date):
    # the basis line names the decision and its date ("Quyết định số 1957/QĐ-TTg ngày 30/11/2020"): the second part is
    # answered from it, not from another decision of the plan nor as the plan's own date
    answer = bot.ask(question)
    first, second = answer.text.split("\n\n2. ")
    assert decision in first and f"“Quyết định số {decision} ngày {date}" in second, answer.text
    assert "không trả lời" not in answer.text and "do not answer" not in answer.text, answer.text


@pytest.mark.parametrize("question, stated", [
    ("What's the date on Quang Ninh's Decision 3087 approving the 2011-2015 plan?", "30/9/2011"),  # (dev hx064)
    ("Quyết định 3087 của Quảng Ninh đề ngày nào?", "30/9/2011"),
    ("Which central-level plan was Ninh Binh's 2024 plan 22/KH-BCĐ issued to implement?", "19/KH-BCĐ138/CP"),  # (hx022)
    ("What is the legal basis for the Ninh Binh 2026-2030 anti-trafficking programme plan?", "33/QĐ-TTg"),  # (dev hy031)
])
def test_a_document_s_date_and_basis_are_quoted_from_its_own_lines(bot, question, stated):
    answer = bot.ask(question)
    assert_says(answer, stated)
    assert answer.intent == "meta", answer.text


def test_the_second_one_after_a_list_of_projects_is_project_two(bot):
    listed = bot.ask("What are the three projects (đề án) under Quang Ninh's 2011-2015 anti-trafficking action programme plan?")
    answer = bot.ask("who's in charge of the second one?", history=[listed])  # (dev hx003)
    assert_says(answer, "Công an tỉnh chủ trì")
    assert "ĐỀ ÁN 1" not in answer.text and "ĐỀ ÁN 3" not in answer.text, answer.text
    last = bot.ask("and the last one, who leads it?", history=[listed])
    assert_says(last, "Sở Lao động, Thương binh và Xã hội chủ trì")
    assert "ĐỀ ÁN 1" not in last.text, last.text


@pytest.mark.parametrize("question, stated", [
    ("Liệt kê đầy đủ các cơ quan phối hợp với Công an tỉnh trong tuyên truyền Công ước ACTIP ở Bà Rịa - Vũng Tàu",  # (hx028)
     ("Sở Giáo dục và Đào tạo", "Báo Bà Rịa - Vũng Tàu")),
    ("List all the agencies that coordinate with the provincial police on ACTIP awareness in Ba Ria - Vung Tau",
     ("Department of Education and Training", "Department of Foreign Affairs")),
])
def test_a_list_of_the_bodies_in_a_role_is_the_task_s_assignment_line(bot, question, stated):
    # the plan's "- Cơ quan phối hợp: Sở Thông tin và Truyền thông, …, Báo Bà Rịa - Vũng Tàu, …" line, not the three
    # other lines of the list it sits in
    assert_says(bot.ask(question), *stated)


def test_later_parts_ask_of_the_project_the_first_part_names(bot):
    answer = bot.ask("Quang Ninh 2011-2015 plan: what is Project 2 about, who leads it and which agencies take part?")
    assert_says(answer, "Nâng cao hiệu quả đấu tranh chống tội phạm mua bán người", "Công an tỉnh chủ trì")  # (dev hy057)
    assert "do not answer" not in answer.text, answer.text


@pytest.mark.parametrize("question, stated", [
    ("Kế hoạch số 19/KH-BCĐ138/CP ban hành ngày nào?", "“Kế hoạch số 19/KH-BCĐ138/CP ngày 15/01/2024"),
    ("When was Decision 1957/QĐ-TTg issued?", "“Quyết định số 1957/QĐ-TTg ngày 30/11/2020"),
    # (the years named are the cited programme's, not the citing article's: dev df123)
    ("When was PM Decision 193/QĐ-TTg on the 2021-2025 programme signed?", "Quyết định số 193/QĐ-TTg ngày 09/02/2021"),
])
def test_the_date_of_a_document_the_plans_only_cite_is_the_one_they_cite_it_with(bot, question, stated):
    assert_says(bot.ask(question), stated)


def test_that_decision_after_an_answer_naming_it_is_dated_where_it_is_cited(bot):
    earlier = bot.ask("KH thực hiện Công ước ACTIP của BR-VT triển khai QĐ nào của Thủ tướng?")
    answer = bot.ask("Quyết định đó được ban hành ngày nào?", history=[earlier])  # (dev q057)
    assert_says(answer, "30/11/2020")


@pytest.mark.parametrize("question", [
    "When did Quang Ninh's Decision 3087 approving the 2011–2015 plan take effect?",  # (dev k091)
    "Quyết định 3087 có hiệu lực từ khi nào?",
])
def test_in_effect_from_signing_is_answered_with_the_day_it_was_signed(bot, question):
    # "Quyết định này có hiệu lực thi hành kể từ ngày ký.": the date line says which day that was
    assert_says(bot.ask(question), "có hiệu lực thi hành kể từ ngày ký", "30/9/2011")


@pytest.mark.parametrize("question", [
    "ACTIP BRVT giai doan 2022-2025 lam gi",  # (dev l096)
    "What does the BRVT ACTIP plan do in the 2022-2025 phase?",
    "Kế hoạch ACTIP của Bà Rịa - Vũng Tàu giai đoạn 2022 - 2025 có những nhiệm vụ gì?",
])
def test_a_phase_named_by_its_years_is_the_section_it_heads(bot, question):
    # "2. Giai đoạn 2022 - 2025" inside the 2021-2025 plan: its two items, not a refusal nor the 2021-2022 phase
    answer = bot.ask(question)
    assert_says(answer, "Triển khai thực hiện các nhiệm vụ được nêu trong Kế hoạch này", "sơ kết, tổng kết")
    assert "tập huấn chuyên sâu" not in answer.text, answer.text


def test_a_figure_asked_within_a_phase_is_not_answered_by_the_phase_s_items(bot):
    # (dev m083: the phase names in-depth training, not how many classes)
    answer = bot.ask("Kế hoạch ACTIP của BR-VT yêu cầu mở bao nhiêu lớp tập huấn chuyên sâu trong giai đoạn 2021-2022?")
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    "CA cap huyen co bao nhieu ngay de xac minh nan nhan khi phong LDTBXH de nghi?",  # (dev hw030)
    "Công an cấp huyện có bao nhiêu ngày để xác minh khi Phòng LĐTBXH gửi yêu cầu?",
    "When DOLISA asks the district police to verify a victim, how many days do the police have?",
])
def test_the_time_of_the_body_asked_not_of_the_one_asking_it(support_law_bot, question):
    # the police's 20 days (khoản 4 Điều 24), not the labour office's 03 days: the office only asks ("khi … đề nghị");
    # "CA" is the police, once read as "cá"
    answer = support_law_bot.ask(question)
    assert_says(answer, "Trong thời hạn 20 ngày")
    assert "03 ngày" not in answer.text.split("\n")[0]


@pytest.mark.parametrize("question", [
    "Ai giả làm nạn nhân để nhận tiền hỗ trợ thì bị xử lý thế nào theo Luật 2011?",  # (dev hw042)
    "ai gia mao nan nhan de lay tien ho tro thi bi xu ly ra sao?",
    "Ai khai gian là nạn nhân để lấy tiền hỗ trợ thì sẽ bị làm sao theo luật?",
])
def test_whoever_fakes_being_a_victim_must_pay_back(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "hoàn trả khoản kinh phí hỗ trợ đã nhận")


@pytest.mark.parametrize("question", [
    "neu nan nhan duoi 16 tuoi thi khung nang nhat la bao nhieu",  # (dev hw062)
    "Mua bán trẻ dưới 16 tuổi thì khung nặng nhất là gì?",
    "Khung hình phạt cao nhất của tội mua bán người dưới 16 tuổi là bao nhiêu năm?",
])
def test_the_heaviest_bracket_is_the_last_clause_with_a_prison_term(penal_bot, question):
    assert_says(penal_bot.ask(question), "18 năm đến 20 năm hoặc tù chung thân")


@pytest.mark.parametrize("question", [
    "What does Quang Ninh's 2016–2020 anti-trafficking plan assign to the provincial Border Guard?",  # (dev dz064)
    "What tasks does the Quang Ninh 2016-2020 plan give the provincial police?",
    "Who leads victim support in Lam Dong's 2025 plan?",
])
def test_a_plan_year_named_before_the_word_plan_and_not_held_is_said_so(bot, question):
    answer = bot.ask(question)
    assert not answer.found and "No indexed plan of" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "What does the BRVT ACTIP plan assign to the provincial Border Guard command?",  # (dev hw011)
    "What does the Ba Ria - Vung Tau ACTIP plan entrust to the border guards?",
])
def test_what_a_plan_assigns_to_a_body_is_its_own_task_first(bot, question):
    # "7. Giao Bộ chỉ huy Bộ đội Biên phòng tỉnh … khu vực biên giới biển", not a line where it only takes part
    answer = bot.ask(question)
    assert_says(answer, "khu vực biên giới biển", "tuần tra, kiểm soát")


def test_a_later_part_asks_of_both_bodies_it_names(bot):
    answer = bot.ask("QN 2011-2015: de an 3 do so nao chu tri, con So KH&DT va So Tai chinh duoc giao lam gi?")
    # (dev hw053: the first part was cut before "và", read as English and refused)
    assert_says(answer, "Sở Lao động, Thương binh và Xã hội chủ trì", "cơ chế tài chính như đối với chương trình mục tiêu quốc gia")
    assert "không trả lời" not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Who handles forced labour at sea in Ninh Binh's 2024 plan?",  # (dev dq064, dx071)
    "Ai phụ trách chống khai thác hải sản bất hợp pháp IUU trong kế hoạch 2024 của Ninh Bình?",
    "NB 2024: cuong buc lao dong tren bien giao cho ai?",
])
def test_a_long_task_is_quoted_at_the_sentence_that_says_the_topic_asked(bot, question):
    # the record's task opens on "Xây dựng các kế hoạch nghiệp vụ …"; the IUU sentence, deep in it, is what was asked
    answer = bot.ask(question)
    assert_says(answer, "(IUU), góp phần phòng ngừa mua bán người vì mục đích cưỡng bức lao động trên biển")
    check_citations(bot, answer)
    doc = bot.store.documents[answer.citations[0].doc_id].text
    assert any("(IUU)" in doc[s:e] for s, e in answer.citations[0].highlights)


def test_that_work_after_a_section_s_items_is_the_item_asked_before(bot):
    earlier = bot.ask("NB 2026 tang cuong quan ly kiem tra nhung hoat dong co nguy co mua ban nguoi nao")
    answer = bot.ask("vay co quan nao chu tri viec do", history=[earlier])  # (dev l053)
    # item c) ("Tăng cường quản lý, kiểm tra các hoạt động tiềm ẩn nguy cơ …"), not the items that say "việc"
    assert_says(answer, "Sở Tư pháp", "Sở Du lịch", "Sở Giáo dục và Đào tạo")


@pytest.mark.parametrize("question", [
    "Article 150 vs Article 151: which requires force or deception?",
    "Does the prosecution have to prove force, threats or deception in a child trafficking case under Article 151, "
    "the way it must for adults under Article 150?",  # (dev ls028)
    "Điều 151 có đòi hỏi thủ đoạn lừa gạt như Điều 150 không?",
])
def test_a_provision_that_lacks_what_the_other_says_is_shown_in_its_own_words(penal_bot, question):
    # Article 150(1) names the means ("dùng vũ lực, … lừa gạt"); Article 151(1) does not: both are quoted, the second
    # said not to say it, not one article alone nor a refusal
    answer = penal_bot.ask(question)
    assert_says(answer, "dùng vũ lực, đe dọa dùng vũ lực, lừa gạt hoặc bằng thủ đoạn khác",
                "Người nào thực hiện một trong các hành vi sau đây, thì bị phạt tù từ 07 năm đến 12 năm")
    check_quotes_verbatim(penal_bot, answer)


def test_a_provision_that_does_not_say_what_is_asked_is_said_so(penal_bot):
    answer = penal_bot.ask("Article 150 vs Article 151: which requires force or deception?")
    assert "Article 151(1) (does not say this; its words in full):" in answer.text, answer.text


def test_a_point_of_a_list_quoted_for_a_who_answer_keeps_its_lead_in(support_law_bot):
    answer = support_law_bot.ask("Theo Luật 66 thì UBND cấp nào có trách nhiệm tiếp nhận nạn nhân và tạo điều kiện cho "
                                 "nạn nhân hoà nhập cộng đồng?")  # (dev lg021)
    assert_says(answer, "Ủy ban nhân dân cấp xã còn có trách nhiệm:", "Tạo điều kiện cho nạn nhân hòa nhập cộng đồng")
    check_citations(support_law_bot, answer)


@pytest.mark.parametrize("question", [
    "tuyen truyen noi dung cong uoc ACTIP o BRVT do co quan nao chu tri",  # (dev di091)
    "Ở BRVT, cơ quan nào chủ trì tuyên truyền nội dung Công ước ACTIP?",
    "Tuyên truyền Công ước ACTIP tại Bà Rịa - Vũng Tàu thì ai chủ trì?",
])
def test_who_leads_is_answered_by_records_naming_a_lead_not_by_a_request_to_take_part(bot, question):
    # "Đề nghị Tòa án nhân dân tỉnh, Viện kiểm sát nhân dân tỉnh phối hợp tổ chức quán triệt … Công ước ACTIP" names no
    # lead; II.2 ("Công an tỉnh chủ trì thực hiện các hoạt động trên") and IV.5 (Sở Thông tin và Truyền thông) do
    answer = bot.ask(question)
    first = answer.text.splitlines()[0]
    assert answer.found and "chủ trì" in first and "Tòa án" not in first, answer.text
    assert "Công an tỉnh" in first or "Sở Thông tin và Truyền thông" in first, answer.text


def test_a_task_sentence_a_page_break_cut_is_quoted_whole(bot):
    answer = bot.ask("Đơn vị nào đứng ra tăng cường truyền thông phòng, chống mua bán người trong hoạt động văn hoá, "
                     "thể thao theo KH năm 2024 của Ninh Bình?")  # (dev h084: "Đề\n\nán đổi mới" is one sentence)
    assert_says(answer, "Sở Văn hóa và Thể thao")
    assert "“án đổi mới" not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "What penalty does Article 150 of the Penal Code set for a company (legal entity) involved in trafficking?",  # (hw070)
    "Pháp nhân thương mại mua bán người bị phạt thế nào theo Điều 150?",
    # the fine it adds to prison, asked of a company
    "Can a company itself be fined under Art. 150?",
    "Doanh nghiệp có bị phạt tiền theo Điều 150 không?",
])
def test_a_penalty_for_a_legal_entity_the_article_does_not_set_is_refused(penal_bot, question):
    # Article 150 punishes "Người nào …" (a person); a person's prison term is no answer for a company
    assert not penal_bot.ask(question).found


def test_a_person_who_runs_a_business_is_still_a_person(penal_bot):
    answer = penal_bot.ask("The owner of a karaoke business sold two girls to China. What is the penalty?")
    assert_says(answer, "08 năm đến 15 năm")


@pytest.mark.parametrize("question", [
    "What is DOH responsible for under Ninh Binh's 2026-2030 plan?",  # (dev hv020: "DOH" named no body)
    "We're an NGO partnering with DOH in Ninh Binh — what does the 2026–2030 plan make DOH responsible for?",
    "Nhiệm vụ Sở Y tế trong KH Ninh Bình 2026-2030?",
])
def test_the_tasks_of_the_health_department_are_listed_by_its_acronym_or_a_bare_noun_phrase(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Tổng đài điện thoại quốc gia về phòng, chống mua bán người 111",
                "hướng dẫn sàng lọc, nhận diện nạn nhân")
    check_citations(bot, answer)


@pytest.mark.parametrize("question", [
    "Full list of the coordinating agencies for ACTIP awareness-raising in BRVT please",  # (dev hv025)
    "List every body assigned to ACTIP awareness-raising in Ba Ria - Vung Tau",
])
def test_a_list_of_the_bodies_assigned_keeps_the_line_naming_the_partners(bot, question):
    # "b) Phân công trách nhiệm thực hiện" is a list of assignments: its "- Cơ quan phối hợp: …" is one of them
    answer = bot.ask(question)
    assert_says(answer, "Sở Giáo dục và Đào tạo", "Báo Bà Rịa - Vũng Tàu")


@pytest.mark.parametrize("question", [
    "Cơ quan nào phối hợp tuyên truyền Công ước ACTIP ở BRVT?",
    "Liệt kê các cơ quan phối hợp tuyên truyền Công ước ACTIP ở BRVT",
    "BRVT: ai phoi hop voi cong an tinh tuyen truyen cong uoc ACTIP?",
])
def test_the_partners_asked_are_those_the_plan_assigns_before_those_it_only_requests(bot, question):
    # II.2 "Cơ quan phối hợp: Sở Thông tin và Truyền thông, …" first; "Đề nghị Tòa án …, Viện kiểm sát … phối hợp …"
    # (which the search ranks higher) after it, not alone
    answer = bot.ask(question)
    first = answer.text.splitlines()[0]
    assert answer.found and "Sở Thông tin và Truyền thông" in first and "Hội Liên hiệp Phụ nữ tỉnh" in first, answer.text


@pytest.mark.parametrize("question", [
    "What are the core indicators in Quang Ninh's 2011-2015 plan?",  # (dev hv028: 2.2's items were not shown)
    "Liệt kê mục tiêu và chỉ tiêu của QĐ 3087",
    "QN 2011-2015 co nhung chi tieu gi",
])
def test_a_list_whose_parts_hold_the_lists_quotes_every_item_of_each(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "05 báo cáo viên/huyện", "95% trở lên", "Tăng cường hợp tác quốc tế")
    check_citations(bot, answer)


def test_a_section_of_many_parts_is_still_read_as_its_parts(bot):
    answer = bot.ask("Kế hoạch ACTIP của tỉnh BR-VT chia nội dung trọng tâm thành mấy nhóm, kể tên từng nhóm?")
    assert_says(answer, "gồm 6 mục")


@pytest.mark.parametrize("question", [
    "For the Ba Ria-Vung Tau ACTIP plan: which PM decision does it implement, and what are its implementation phases?",
    "What are its stages, in the BRVT ACTIP plan?",  # (dev hv060: "its" was read as the items asked)
    "BRVT ACTIP plan — what are its phases?",
])
def test_its_before_the_items_asked_is_not_the_items(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "III. LỘ TRÌNH THỰC HIỆN", "Giai đoạn 2022 - 2025")


def test_a_follow_up_naming_this_plan_is_answered_from_the_plan_of_the_chat(bot):
    first = bot.ask("QN 2011-2015 de an 1 ve tuyen truyen do so nao chu tri?")
    answer = bot.ask("ke hoach nay cac so nganh bao cao dinh ky ve dau, bao lau 1 lan?", history=[first])  # (hv005)
    assert_says(answer, "hàng quý, 6 tháng, 1 năm", "Thường trực Ban Chỉ đạo 138 tỉnh")


@pytest.mark.parametrize("question", [
    "Can a foreign national trafficked in Vietnam get vocational training support or the start-up hardship allowance, "
    "or only some kinds of support?",  # (dev hv040: the benefits of Vietnamese citizens were quoted)
    "Người nước ngoài bị mua bán ở Việt Nam có được hỗ trợ học nghề không?",
    "Is a foreign victim entitled to the initial hardship allowance under Law 66?",
])
def test_whom_support_is_asked_for_picks_the_clause_about_them(support_law_bot, question):
    answer = support_law_bot.ask(question)
    first = answer.text.splitlines()[0]
    assert answer.found and "người nước ngoài bị mua bán tại Việt Nam" in first, answer.text
    check_citations(support_law_bot, answer)


def test_support_asked_for_those_the_main_clause_covers_is_still_that_clause(support_law_bot):
    answer = support_law_bot.ask("Are stateless people living in Vietnam entitled to a loan?")
    assert_says(answer, "người không quốc tịch thường trú ở Việt Nam", "hỗ trợ vay vốn")


@pytest.mark.parametrize("question", [
    "Under Law 66, how does first intake differ for a victim who self-reports inside Vietnam (Art. 24) versus one "
    "rescued by police/border guards (Art. 25)?",  # (dev hv056)
    "Art. 24 vs Art. 25 of Law 66: where does a victim who comes forward go, and where does a rescued one go?",
])
def test_a_victim_who_self_reports_is_the_one_who_declares_herself(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "chuyển ngay người đó đến Ủy ban nhân dân cấp xã",
                "chuyển ngay người đó đến Phòng Lao động – Thương binh và Xã hội")


@pytest.mark.parametrize("question", [
    "Under Law 66, who can a member of the public report suspected trafficking to?",  # (dev hv058)
    "Who can I report suspected trafficking to under Law 66?",
    "Theo Luật 66, người dân phát hiện mua bán người thì báo cho ai?",
])
def test_whom_a_person_reports_trafficking_to_is_the_duty_of_individuals(support_law_bot, question):
    answer = support_law_bot.ask(question)
    first = answer.text.splitlines()[0]
    assert answer.found and "Cá nhân có nghĩa vụ tố giác" in first and "bất kỳ cơ quan, tổ chức nào" in first, answer.text


@pytest.mark.parametrize("question", [
    "UBND xa sau do phai thong bao cho ai?",  # (dev lm041: "UBND xa" typed without marks was not credited)
    "UBND xã sau đó phải thông báo cho ai?",
])
def test_a_body_typed_without_marks_counts_as_said_where_the_law_names_it(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Ủy ban nhân dân cấp xã có trách nhiệm thông báo ngay với Phòng Lao động")


def test_the_fine_a_person_may_get_besides_prison_is_still_quoted(penal_bot):
    answer = penal_bot.ask("Besides prison, can the offender be fined under Article 150?")
    assert_says(answer, "phạt tiền từ 20.000.000 đồng đến 100.000.000 đồng")


@pytest.mark.parametrize("question", [
    "What support package is a Vietnamese trafficking survivor entitled to under the 2011 law? full list pls",  # (hw022)
    "What assistance package does a Vietnamese victim get under Law 66? list it all",
])
def test_a_whole_named_by_a_singular_noun_is_the_list_asked(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Hỗ trợ về nhu cầu thiết yếu và chi phí đi lại", "Trợ cấp khó khăn ban đầu, hỗ trợ vay vốn")


@pytest.mark.parametrize("question", [
    "I'm with an NGO working on health services for survivors. What exactly is the Department of Health (Sở Y tế) tasked "
    "with in Ninh Binh's 2026-2030 plan? Anything on the 111 hotline?",  # (dev hw014: only the hotline task was shown)
    "Sở Y tế Ninh Bình 2026-2030 được giao những nhiệm vụ gì? Nhất là về tổng đài 111?",
])
def test_a_thing_asked_after_in_passing_does_not_narrow_the_tasks(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Tổng đài điện thoại quốc gia về phòng, chống mua bán người 111",
                "hướng dẫn sàng lọc, nhận diện nạn nhân")


def test_a_topic_asked_in_the_question_itself_still_narrows_the_tasks(bot):
    answer = bot.ask("What is the Department of Health tasked with on the 111 hotline in Ninh Binh's 2026-2030 plan?")
    assert_says(answer, "Tổng đài điện thoại quốc gia về phòng, chống mua bán người 111")
    assert "hướng dẫn sàng lọc" not in answer.text, answer.text


def test_a_part_s_lead_in_is_quoted_with_its_heading(bot):
    answer = bot.ask("What are the implementation phases of the Ba Ria-Vung Tau ACTIP plan?")  # (dev hv060)
    assert_says(answer, "“Trong giai đoạn 2021 - 2022, ưu tiên thực hiện các hoạt động sau;”", "Giai đoạn 2022 - 2025")
    check_quotes_verbatim(bot, answer)


@pytest.mark.parametrize("first, follow_up", [
    ("What kinds of assistance is a Vietnamese trafficking survivor entitled to under the law?",
     "What if the survivor is a foreign national who was trafficked inside Vietnam?"),  # (dev ln018)
    ("Nạn nhân được hỗ trợ những gì theo Luật 66?", "Còn nếu nạn nhân là người nước ngoài thì sao?"),
    ("Can a victim get vocational training support under Law 66?", "What if she is a foreigner?"),
])
def test_a_follow_up_changing_the_kind_of_person_asks_the_same_of_them(support_law_bot, first, follow_up):
    earlier = support_law_bot.ask(first)
    answer = support_law_bot.ask(follow_up, history=[earlier])
    assert_says(answer, "Nạn nhân là người nước ngoài bị mua bán tại Việt Nam", "các điểm a, b, c và d khoản 1")
    assert " , " not in answer.text.splitlines()[0], answer.text  # (no word left hanging where the place was cut)


@pytest.mark.parametrize("question", [
    "Mình là cán bộ UBND xã. Ngoài trách nhiệm chung của Uỷ ban nhân dân các cấp, theo Luật PCMBN 2011 xã còn phải làm "
    "gì thêm, ví dụ giúp nạn nhân hoà nhập?",  # (dev hw016: the duties of every level, set aside, were answered)
    "Ngoai viec tiep nhan nan nhan, xa con phai lam gi?",
])
def test_what_else_a_commune_must_do_is_its_own_clause(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Ủy ban nhân dân cấp xã còn có trách nhiệm", "Tạo điều kiện cho nạn nhân hòa nhập cộng đồng")


@pytest.mark.parametrize("question", [
    "We've got a rescued mother whose 6-year-old son was with her the whole time but wasn't trafficked himself. Is the "
    "boy entitled to anything under the 2011 law?",  # (dev lr047: the clause of foreign victims was quoted)
    "Is a child travelling with a victim entitled to medical support?",
])
def test_support_for_a_child_with_a_victim_is_the_clause_about_minors_who_come_along(support_law_bot, question):
    answer = support_law_bot.ask(question)
    first = answer.text.splitlines()[0]
    assert answer.found and "Người chưa thành niên đi cùng nạn nhân" in first, answer.text
    assert_says(answer, "Hỗ trợ y tế", "Hỗ trợ tâm lý")


@pytest.mark.parametrize("question", [
    "Which risky activities does the Ninh Binh 2026 plan single out for tighter checks? Give me the full list.",  # (n038)
    "What risky businesses must be checked more closely under the 2026-2030 Ninh Binh plan?",
    "Which at-risk sectors does NB 2026-2030 put under closer scrutiny?",
])
def test_risky_activities_under_tighter_checks_are_the_plan_s_list_of_them(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "hoạt động hỗ trợ kết hôn giữa công dân Việt Nam với người nước ngoài", "mang thai hộ nhân đạo")


@pytest.mark.parametrize("question", [
    "For our awareness campaign, which target groups and areas does the law say should get priority?",  # (dev lm024)
    "Which groups and areas should awareness-raising focus on under Law 66?",
    "Luật yêu cầu tăng cường tuyên truyền cho những đối tượng và địa bàn nào?",
])
def test_whom_awareness_raising_must_reach_first_is_the_law_s_list_of_them(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "học sinh, sinh viên", "những địa bàn xảy ra nhiều vụ việc mua bán người")


def test_whom_the_priority_activities_are_aimed_at_is_said_by_the_passage_that_lists_them(bot):
    answer = bot.ask("What are the priority activities for 2021-2022 in the ACTIP plan, and who are they aimed at?")
    assert_says(answer, "tập huấn chuyên sâu", "đặc biệt là các cơ quan tư pháp, Bộ đội Biên phòng, Cảnh sát biển")
    assert "lead —" not in answer.text, answer.text  # (dev dg035: part 2 was answered by who leads media work)


@pytest.mark.parametrize("question", [
    "Em làm ở CA huyện. Theo KH 2024 của BCĐ 138 Ninh Bình thì khi rà soát nắm tình hình, những trường hợp phụ nữ nào "
    "cần chú ý?",  # (dev hu043: the quote stopped at the page break inside the sentence)
    "ke hoach 2024 ninh binh: ra soat phu nu vang mat tai dia phuong nhu the nao?",
    "Which women must the police keep track of when reviewing the local situation under Ninh Binh's 2024 plan?",
])
def test_a_sentence_a_page_break_cut_in_two_is_quoted_whole(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "vắng mặt tại địa phương", "lấy chồng nước ngoài", "có con lai về thăm thân")


@pytest.mark.parametrize("question", [
    "Kinh phí làm KH phòng chống mua bán người mới nhất của Ninh Bình (2026-2030) lấy từ nguồn nào?",  # (dev hu044: refused)
    "Theo KH thực hiện chương trình phòng chống mua bán người của Ninh Bình, tiền thực hiện lấy ở đâu?",
    "kinh phi cho ke hoach phong chong mua ban nguoi 2026-2030 cua ninh binh tu nguon nao",
])
def test_a_plan_named_by_its_title_words_is_not_what_is_asked_of_it(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "dự toán ngân sách hằng năm", "nguồn tài trợ, viện trợ")


@pytest.mark.parametrize("question", [
    "How many shelters or safe houses did Quang Ninh plan to set up by 2015 under Decision 3087?",  # (dev hu066)
    "QĐ 3087 Quảng Ninh dự kiến lập bao nhiêu nhà tạm lánh cho nạn nhân?",
    "How many victims did Quang Ninh aim to support under Project 3 of Decision 3087?",
])
def test_the_number_of_a_numbered_part_is_no_count_a_question_asks(bot, question):
    answer = bot.ask(question)
    assert not answer.found, answer.text  # ("ĐỀ ÁN 3: Tiếp nhận, … hỗ trợ nạn nhân" was quoted as the count)


def test_a_count_of_numbered_parts_is_still_answered(bot):
    answer = bot.ask("Theo QĐ 3087, có bao nhiêu đề án?")
    assert_says(answer, "ĐỀ ÁN 1", "ĐỀ ÁN 3")


@pytest.mark.parametrize("question", [
    "Liệt kê giúp mình đầy đủ các cơ quan phối hợp với CA tỉnh trong phần tuyên truyền, phổ biến Công ước ACTIP ở Bà "
    "Rịa - Vũng Tàu.",  # (dev hu020: "giúp mình" made it a fact; one line of the section was quoted)
    "Cho mình hỏi, những cơ quan nào phối hợp với Công an tỉnh tuyên truyền Công ước ACTIP ở BRVT?",
    "Could you please list the partners of the provincial police for ACTIP awareness-raising in BRVT?",
])
def test_words_of_courtesy_do_not_change_what_is_asked(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Sở Thông tin và Truyền thông", "Sở Giáo dục và Đào tạo", "Báo Bà Rịa - Vũng Tàu",
                "Ủy ban nhân dân các huyện, thị xã, thành phố")


@pytest.mark.parametrize("question", [
    "We're an NGO working with commune authorities. Besides the general duties of all people's committees, what extra "
    "responsibilities does the 2011 law put on commune-level committees?",  # (dev hu019: Article 41 was listed)
    "Apart from what every people's committee must do, what else must the commune committee do under Law 66?",
    "Other than the duties shared by all levels, what more does Law 66 ask of commune people's committees?",
])
def test_what_else_a_level_must_do_in_english_is_that_level_s_own_duties(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert answer.intent == "tasks_of", answer.text
    assert_says(answer, "Ủy ban nhân dân cấp xã còn có trách nhiệm",
                "hoạt động tư vấn về phòng, chống mua bán người ở cơ sở", "Tạo điều kiện cho nạn nhân hòa nhập cộng đồng")


@pytest.mark.parametrize("question", [
    "Which aggravating circumstances bump a human trafficking conviction under Art. 150 up to the 12-20 year band? Need "
    "the complete list for a training slide.",  # (dev hu025: the 08-15 clause was found, then refused for its numbers)
    "What circumstances put a trafficker in the 12-to-20-year bracket under Article 150?",
    "Which circumstances push a trafficking sentence under Article 150 into the 12 to 20 years range? It's for a workshop "
    "handout.",
])
def test_the_clause_of_a_penalty_range_said_before_a_noun_lists_its_circumstances(penal_bot, question):
    answer = penal_bot.ask(question)
    first = answer.text.splitlines()[0]
    assert "12 năm đến 20 năm" in first, answer.text
    assert_says(answer, "Có tính chất chuyên nghiệp", "Làm nạn nhân chết hoặc tự sát", "Tái phạm nguy hiểm")


@pytest.mark.parametrize("question", [
    "Điều 151 có ngoại lệ nào ko khi giao, nhận trẻ dưới 16 tuổi để lấy tiền?",  # (dev hu049: point b was quoted first)
    "Is there any exception in Article 151 for handing over a child under 16 in exchange for money?",
    "dieu 151 co ngoai le nao khi chuyen giao tre duoi 16 tuoi de nhan tien khong",
])
def test_an_exception_asked_is_the_sentence_that_excepts(both_laws_bot, question):
    answer = both_laws_bot.ask(question)  # (over both laws, as users ask: over the penal articles alone it was quoted)
    assert_says(answer, "trừ trường hợp vì mục đích nhân đạo")


@pytest.mark.parametrize("question, expected", [
    ("Bài về KH 2024 của Lâm Đồng: tỉnh tiếp tục thực hiện KH số mấy của UBND về Chương trình 2021-2025, và đợt cao điểm "
     "trấn áp chạy từ ngày nào tới ngày nào?", ("2496/KH-UBND", "1/7/2024", "30/9/2024")),  # (dev hu060)
    ("Lam Dong 2024 article: which UBND plan number does the province keep implementing, and when does the peak "
     "crackdown run?", ("2496/KH-UBND", "1/7/2024", "30/9/2024")),
    ("KH 22 nam 2024 cua NB thuc hien theo van ban nao cua BCD TW, va phai tiep tuc thuc hien KH nao cua UBND tinh ve "
     "chuong trinh 2021-2025?", ("19/KH-BCĐ138/CP", "45/KH-UBND")),  # (dev hu059: part 2 was answered by the basis)
])
def test_a_compound_under_one_topic_answers_each_part_of_its_own(bot, question, expected):
    answer = bot.ask(question)
    assert answer.found and "(2021-2025)?" not in answer.text, answer.text  # (a program's years are no plan's)
    assert_says(answer, *expected)


@pytest.mark.parametrize("question", [
    "Bài báo Lâm Đồng 2024: KH 2496 của UBND ban hành ngày nào?",
    "Lâm Đồng 2024: kế hoạch số 2496 của UBND tỉnh ký ngày nào?",
])
def test_the_date_of_a_cited_plan_named_by_its_number_alone_is_where_it_is_cited(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "2496/KH-UBND ngày 23/4/2021")


@pytest.mark.parametrize("question", [
    "Tôi thấy có người bị bán sang Trung Quốc, báo với cơ quan nào?",  # (session 32's next steps: refused)
    "Nếu tôi nghi ngờ hàng xóm bị lừa bán thì báo cho ai?",
    "Em nghi bạn cùng lớp bị lừa bán qua mạng, em nên báo cho cơ quan nào?",
    "toi nghi co nguoi trong xom bi ban sang campuchia thi bao cho ai",
])
def test_whom_a_private_person_reports_a_case_to_is_the_individual_s_duty(support_law_bot, question):
    answer = support_law_bot.ask(question)
    first = answer.text.splitlines()[0]
    assert "Cá nhân có nghĩa vụ tố giác" in first, answer.text
    assert_says(answer, "cơ quan Công an", "Ủy ban nhân dân xã, phường, thị trấn")


def test_whom_the_commune_notifies_is_still_its_own_notice(support_law_bot):
    answer = support_law_bot.ask("UBND xa sau do phai thong bao cho ai?")
    first = answer.text.splitlines()[0]
    assert "Ủy ban nhân dân cấp xã có trách nhiệm thông báo ngay với Phòng Lao động" in first, answer.text


def test_each_plan_s_lead_is_shown_when_the_question_asks_whether_another_plan_agrees(bot):
    answer = bot.ask("For operational work against trafficking networks, which force shares the lead with the provincial "
                     "police in the Ninh Binh 2024 plan, and is it the same in the 2026–2030 plan?")  # (dev l029)
    assert answer.found, answer.text
    assert_says(answer, "Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng")


@pytest.mark.parametrize("question", [
    "luat pcmbn 2011: nan nhan tu ve noi cu tru thi co quan nao ho tro tien di lai?",  # (dev hu013: "tiền tàu xe" of
    "Nạn nhân tự về quê thì ai trả tiền xe theo Luật 66?",                            # the police and army's point)
    "Theo luật, nạn nhân tự về nơi cư trú thì ai chi tiền đi lại?",
])
def test_travel_money_asked_in_everyday_words_is_the_travel_costs_the_labour_office_pays(support_law_bot, question):
    answer = support_law_bot.ask(question)
    first = answer.text.splitlines()[0]
    assert "Phòng Lao động – Thương binh và Xã hội" in first, answer.text
    assert_says(answer, "chi phí đi lại")


@pytest.mark.parametrize("question, stated", [
    ("Luật 66: thủ tục tiếp nhận nạn nhân tự đi khai báo (Đ24) khác gì với nạn nhân được giải cứu (Đ25)?",  # (dev hy055)
     ("có thể đến Ủy ban nhân dân cấp xã", "thông báo ngay với Phòng Lao động",
      "chuyển ngay người đó đến Phòng Lao động – Thương binh và Xã hội gần nơi nạn nhân được giải cứu")),
    ("What is the procedure for receiving a victim who was rescued, under Law 66?",
     ("chuyển ngay người đó đến Phòng Lao động", "cấp giấy xác nhận nạn nhân")),
    ("Quy trình tiếp nhận nạn nhân tự đến khai báo theo Luật 66 gồm những bước nào?",
     ("có thể đến Ủy ban nhân dân cấp xã", "thông báo ngay với Phòng Lao động")),
])
def test_a_procedure_asked_is_quoted_as_its_whole_clause(support_law_bot, question, stated):
    answer = support_law_bot.ask(question)
    assert_says(answer, *stated)


@pytest.mark.parametrize("question", [
    "Which 2021 provincial plan number is Lam Dong's steering committee continuing to implement?",  # (dev q180)
    "Lâm Đồng tiếp tục thực hiện kế hoạch năm 2021 số mấy của UBND tỉnh?",
    "lam dong 2024 tiep tuc thuc hien ke hoach nam 2021 so may cua ubnd tinh",
])
def test_the_sentence_that_carries_the_year_a_question_names_answers_among_close_ones(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "2496/KH-UBND")


def test_a_year_no_plan_covers_is_still_said_plainly(bot):
    answer = bot.ask("Kế hoạch năm 2025 của Ninh Bình đặt chỉ tiêu gì?")
    assert not answer.found and "2025" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Phòng chống cưỡng bức lao động trên biển: năm 2024 Ninh Bình gắn với chống khai thác IUU, năm 2026–2030 thì giao cho "
    "ai chủ trì?",  # (dev dk076)
    "In Ninh Binh's 2024 plan the provincial police and Border Guard command co-lead operational prevention. Under the "
    "2026-2030 plan, which military body sits alongside the police as lead instead?",  # (dev p015)
    "In Ninh Binh's 2024 plan the Border Guard command co-leads professional prevention with the police. Which military "
    "body sits next to the police in the 2026–2030 plan instead?",  # (dev h051)
])
def test_the_plan_asked_of_after_another_is_told_of_answers_first(bot, question):
    answer = bot.ask(question)
    first = answer.text.splitlines()[0]
    assert first.index("2026-2030") < first.index("2024"), first
    assert_says(answer, "Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng")


@pytest.mark.parametrize("question", [
    "ninh binh 2024 tuyen truyen bang nhung hinh thuc nao",  # (dev dd023, de014, df039: the forms were cut off item 1)
    "What communication formats does Ninh Binh's 2024 plan list for anti-trafficking awareness?",
    "KH 2024 Ninh Bình dùng các hình thức truyền thông gì?",
])
def test_an_item_of_a_short_list_is_quoted_far_enough_to_hold_what_it_lists_inline(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "tổ chức nói chuyện chuyên đề", "các hoạt động sân khấu hóa", "xây dựng pano, áp phích")


@pytest.mark.parametrize("question", [
    "Liệt kê các cơ quan phối hợp với Công an tỉnh trong phần tuyên truyền Công ước ACTIP của Bà Rịa - Vũng Tàu",
    "Kể tên các đơn vị phối hợp với Công an tỉnh tuyên truyền Công ước ACTIP (BRVT)",  # ("kể tên" asks, names nothing)
    "Những ai cùng Công an tỉnh Bà Rịa - Vũng Tàu triển khai nội dung tuyên truyền Công ước ACTIP?",
    "Ở mục tuyên truyền của kế hoạch ACTIP BRVT, những đơn vị nào phối hợp với Công an tỉnh?",
])
def test_the_partners_of_a_named_lead_are_the_record_that_assigns_the_work_to_it(bot, question):
    answer = bot.ask(question)  # (session 33's app check: the court and procuracy's request was quoted instead)
    first = answer.text.splitlines()[0]
    assert "Sở Thông tin và Truyền thông" in first and "Đài Phát thanh và Truyền hình tỉnh" in first, answer.text


def test_partners_who_work_with_a_body_as_its_subject_are_still_the_sentence_that_says_so(bot):
    answer = bot.ask("Theo Quyết định 3087, những sở nào phối hợp với Công an tỉnh hướng dẫn kinh phí thực hiện "
                     "Chương trình ở Quảng Ninh?")  # (dev q026: "Sở Kế hoạch và Đầu tư, Sở Tài chính phối hợp Công an tỉnh")
    first = answer.text.splitlines()[0]
    assert "Sở Kế hoạch và Đầu tư, Sở Tài chính" in first, answer.text


@pytest.mark.parametrize("question", [
    "Về hỗ trợ nạn nhân: KH 2026-2030 của Ninh Bình giao cho những cơ quan nào chủ trì bảo vệ, hỗ trợ nạn nhân?",
    "Theo kế hoạch 2026-2030 của Ninh Bình, ai lo việc bảo vệ và hỗ trợ nạn nhân?",
    "ke hoach 2026-2030 ninh binh: co quan nao chu tri bao ve, ho tro nan nhan?",
])
def test_the_record_under_a_heading_that_says_the_topic_whole_answers(bot, question):
    answer = bot.ask(question)  # (dev ht053: the health department's record of section 7, on regulations, alone)
    first = answer.text.splitlines()[0]
    assert "Sở Ngoại vụ, Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh, Sở Tư pháp" in first, answer.text


def test_two_near_equal_records_of_one_section_are_both_still_shown(bot):
    answer = bot.ask("Trong kế hoạch phòng, chống mua bán người năm 2024 của Ninh Bình, cơ quan nào chủ trì công tác "
                     "hỗ trợ nạn nhân bị mua bán?")  # (dev q001)
    first = answer.text.splitlines()[0]
    assert "Sở Lao động - Thương binh và Xã hội" in first and "Sở Tư pháp" in first, answer.text


@pytest.mark.parametrize("question", [
    "Did Quang Ninh's 2011-2015 plan single out any particular foreign counterpart for cooperation?",  # (dev ht045)
    "Is there a specific overseas partner the Quang Ninh programme wants closer ties with?",
    "Does Quang Ninh's 2011-2015 plan mention a foreign police force it should work with?",
])
def test_a_foreign_counterpart_asked_is_the_sentence_that_names_one(bot, question):
    answer = bot.ask(question)
    assert answer.found, answer.text
    assert "Công an Quảng Tây - Trung Quốc" in answer.text.splitlines()[0], answer.text


@pytest.mark.parametrize("question, article, items", [
    ("I'm running a workshop for teachers - what does the law say schools themselves must do to prevent trafficking?",
     "Article 14", ("Quản lý chặt chẽ việc học tập", "giáo dục ngoại khóa", "Phối hợp với gia đình")),  # (dev ht020)
    ("Nhà trường phải làm gì để phòng ngừa mua bán người?",
     "Điều 14", ("Quản lý chặt chẽ việc học tập", "giáo dục ngoại khóa", "Phối hợp với gia đình")),
    ("Gia đình có trách nhiệm gì trong phòng ngừa mua bán người?",
     "Điều 13", ("Cung cấp thông tin cho thành viên", "Phối hợp với nhà trường", "Động viên nạn nhân")),
])
def test_the_duties_of_a_party_that_is_no_agency_are_the_article_under_its_name(support_law_bot, question, article, items):
    answer = support_law_bot.ask(question)
    assert article in answer.text.splitlines()[0], answer.text
    assert_says(answer, *items)


@pytest.mark.parametrize("question", [
    "Under the 2011 anti-trafficking law, which ministry tells Vietnamese embassies abroad to protect trafficked "
    "nationals and sort out their return home?",  # (dev ht014: the police and army's reception of returnees)
    "Which ministry directs Vietnam's diplomatic missions to protect citizens who were trafficked abroad?",
    "Who instructs the embassies to help Vietnamese victims get back home?",
])
def test_the_body_that_instructs_another_named_is_the_record_naming_that_other(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert "Ministry of Foreign Affairs" in answer.text.splitlines()[0], answer.text


@pytest.mark.parametrize("before, question", [
    ("Xác minh xong, đủ điều kiện là nạn nhân thì ai cấp giấy xác nhận?",
     "ngoài giấy đó ra thì còn những loại giấy tờ nào được dùng để chứng nhận là nạn nhân?"),  # (dev ht036)
    ("Once verification shows the person is a victim, who issues the certificate?",
     "Besides that certificate, what other papers can prove someone is a victim?"),
])
def test_a_follow_up_that_sets_aside_what_was_said_is_asked_afresh(support_law_bot, before, question):
    first = support_law_bot.ask(before)
    answer = support_law_bot.ask(question, history=[first])
    assert_says(answer, "Giấy xác nhận của cơ quan giải cứu", "hợp pháp hóa lãnh sự")


@pytest.mark.parametrize("question", [
    "Cơ quan đó còn phải làm những gì khác?",
    "Ngoài việc đó ra, cơ quan này còn phải làm gì?",
])
def test_a_body_pointed_at_after_a_who_answer_is_the_body_it_gave(bot, question):
    first = bot.ask("Ai chủ trì hỗ trợ nạn nhân theo kế hoạch 2024 của Ninh Bình?")
    answer = bot.ask(question, history=[first])
    assert answer.intent == "tasks_of", answer.text
    assert answer.text.startswith("(Hiểu là: ") and "Sở Lao động - Thương binh và Xã hội" in answer.text.splitlines()[0]
    assert "Sở Lao động - Thương binh và Xã hội có 3 nhiệm vụ trong 1 văn bản" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Những bộ nào có trách nhiệm phối hợp với Bộ Công an theo Luật 66?",
    "Which ministries must work with the Ministry of Public Security under Law 66?",
])
def test_the_bodies_a_law_has_work_with_a_named_ministry_answer_who_works_with_it(support_law_bot, question):
    answer = support_law_bot.ask(question)  # (dev lm002 once the ministry pointed at is named)
    assert_says(answer, "Bộ Quốc phòng, Bộ Lao động-Thương binh và Xã hội, Bộ Y tế, Bộ Ngoại giao")
    first = answer.text.splitlines()[0]
    assert not re.search(r"(chủ trì|lead —) (Bộ Công an|Ministry of Public Security)", first), first


def test_a_ministry_pointed_at_after_a_who_answer_is_the_ministry_it_gave(support_law_bot):
    first = support_law_bot.ask("Under the 2011 anti-trafficking law, which ministry is the focal point that assists "
                                "the Government with state management of counter-trafficking work?")
    answer = support_law_bot.ask("Vậy những bộ nào có trách nhiệm phối hợp với bộ đó?", history=[first])  # (dev lm002)
    assert "Bộ Công an" in answer.text.splitlines()[0], answer.text
    assert_says(answer, "Bộ Quốc phòng, Bộ Lao động-Thương binh và Xã hội")


def test_a_counterpart_of_a_country_no_plan_names_is_refused(bot):
    answer = bot.ask("Which Chinese counterpart agency does Ninh Binh's 2026-2030 plan name for cross-border "
                     "cooperation?")  # (dev n089)
    assert not answer.found, answer.text


@pytest.mark.parametrize("question", [
    "Con nho di cung me la nan nhan bi mua ban thi co duoc ho tro gi khong?",  # (dev lk050: "đi cùng" is the topic)
    "Trẻ em đi cùng nạn nhân được hỗ trợ những gì theo Luật 66?",
])
def test_accompanying_a_victim_is_a_topic_not_a_partner_cue(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Người chưa thành niên đi cùng nạn nhân")


@pytest.mark.parametrize("question", [
    "KH 22/KH-BCĐ năm 2024 của Ninh Bình có mấy nhóm nhiệm vụ trọng tâm? kể tên giúp mình",  # (dev ht025)
    "What are the key tasks of Ninh Binh's 2024 plan?",
    "ninh binh 2024 co nhung nhiem vu trong tam nao",
])
def test_every_part_of_a_long_list_is_named_though_its_items_are_cut(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Công tác tham mưu, chỉ đạo thực hiện", "Công tác đấu tranh, truy tố, xét xử tội phạm mua bán người",
                "Công tác xây dựng, hoàn thiện hệ thống pháp luật", "Đẩy mạnh hợp tác quốc tế về phòng, chống mua bán người")


def test_a_foreign_police_force_asked_is_the_partner_named(bot):
    answer = bot.ask("Which foreign police force does Quang Ninh prioritise for anti-trafficking cooperation?")  # (dev q172)
    assert "Công an Quảng Tây - Trung Quốc" in answer.text.splitlines()[0], answer.text


@pytest.mark.parametrize("question", [
    "QD 3087 cua UBND tinh Quang Ninh ban hanh ngay nao, co hieu luc khi nao, va do co quan nao de nghi?",  # (dev ht058)
    "Quyết định 3087 do cơ quan nào đề nghị ban hành?",
    "On whose proposal was Quang Ninh's decision 3087 issued?",
])
def test_the_proposer_of_a_decision_asked_by_which_body_is_its_preamble(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Xét đề nghị của Giám đốc Công an tỉnh")


@pytest.mark.parametrize("question", [
    "For the BRVT ACTIP plan: what are the implementation phases, and where exactly do we send the periodic reports?",
    "Where do agencies send their periodic reports under the BRVT ACTIP plan?",  # (dev ht059: "how often" was refused)
    "Under the BRVT ACTIP plan, where should units send their progress reports?",
])
def test_where_periodic_reports_go_is_the_reporting_clause(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "số 15 Trường Chinh")


@pytest.mark.parametrize("question", [
    "KH 2024 cua BCD 138 NB co noi gi ve IUU khong?",  # (dev ht041: the issuer's words found the preamble)
    "Kế hoạch năm 2024 của Ban Chỉ đạo 138 tỉnh Ninh Bình đề cập gì đến khai thác IUU?",
    "Kế hoạch 2024 của BCĐ 138 Ninh Bình có nói gì về IUU không?",
])
def test_a_plan_named_with_its_issuer_is_asked_of_its_topic_not_of_the_issuer(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "(IUU), góp phần phòng ngừa mua bán người vì mục đích cưỡng bức lao động trên biển")
    assert "Thực hiện Kế hoạch số 19/KH-BCĐ138/CP" not in answer.text, answer.text


def test_every_ministry_the_law_has_work_with_another_is_shown(support_law_bot):
    answer = support_law_bot.ask("the con cac bo nao phoi hop voi bo cong an?")  # (dev lg059)
    first = answer.text.splitlines()[0]
    assert "Bộ Tư pháp" in first and "Bộ Quốc phòng" in first and "Cơ quan đại diện" not in first, answer.text


def test_a_body_the_question_names_that_the_record_assigns_is_no_case_told(bot):
    answer = bot.ask("Under Ninh Binh's 2026-2030 plan, who is in charge of strengthening grassroots health services so "
                     "they can care for trafficking victims?")  # (dev k025)
    assert_says(answer, "Nâng cao năng lực hệ thống y tế, nhất là y tế cơ sở")


@pytest.mark.parametrize("question", [
    "dot cao diem tran ap toi pham mua ban nguoi 2024 trong bai ve KH Lam Dong va trong KH 22 cua Ninh Binh co giong "
    "nhau ko? thoi gian, pham vi?",  # (dev ht052: "bài 22" were read as the topic, the article said nothing)
    "Is the 2024 peak crackdown on trafficking in the Lam Dong article the same as in Ninh Binh's plan 22 — timing and "
    "scope?",
    "Đợt cao điểm tấn công tội phạm mua bán người năm 2024: bài báo Lâm Đồng và KH 22 Ninh Bình khác nhau thế nào về "
    "phạm vi?",
])
def test_a_comparison_naming_a_plan_by_its_short_number_and_an_article_by_its_kind_compares_both(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "trên phạm vi toàn quốc", "trên phạm vi toàn tỉnh")


@pytest.mark.parametrize("question", [
    "Nhà trường phải làm gì để phòng chống mua bán người?",  # (the app check: the plans hold no article under schools)
    "What must schools do to prevent trafficking?",
])
def test_a_party_s_duties_over_plans_are_the_sentence_that_names_it_not_a_list_that_does_not(bot, question):
    answer = bot.ask(question)
    first = answer.text.splitlines()[0]
    assert "trong các cơ sở giáo dục" in first, answer.text


@pytest.mark.parametrize("follow_up", [
    "How is all of this funded?",  # (held-out hs004)
    "Kinh phí cho tất cả những việc này lấy từ đâu?",
    "Toàn bộ kế hoạch được cấp kinh phí thế nào?",
])
def test_a_pointer_to_everything_said_asks_of_the_plan_not_of_the_last_body_named(bot, follow_up):
    first = bot.ask("Who is the focal point for the ACTIP Convention implementation plan in Ba Ria - Vung Tau province?")
    second = bot.ask("And the provincial Department of Foreign Affairs — what's its role in that plan?", history=[first])
    answer = bot.ask(follow_up, history=[first, second])
    assert_says(answer, "dự toán chi thường xuyên của các Sở, ban, ngành, địa phương")


def test_the_plan_named_beside_a_pointer_keeps_the_pointer_s_topic(bot):
    first = bot.ask("I'm preparing a workshop for commune police in Ninh Binh on the 2026-2030 programme. Does the plan "
                    "propose any youth-focused model at neighbourhood level, and for what age group?")
    answer = bot.ask("Who's responsible for that under the plan?", history=[first])  # (dev p003: "the plan" is no "all")
    assert_says(answer, "commune/ward-level People's Committees")


@pytest.mark.parametrize("question", [
    "Theo luật 2011, nạn nhân thuộc hộ nghèo khi trở về địa phương được hỗ trợ gì về học nghề và trợ cấp? Nếu muốn "
    "vay vốn làm ăn thì sao?",  # (held-out hs061)
    "Nạn nhân trở về được hỗ trợ gì về tâm lý? Nếu cần vay tiền để buôn bán thì sao?",
])
def test_a_need_told_in_a_later_part_is_asked_of_the_person_not_of_the_first_part_s_topic(support_law_bot, question):
    answer = support_law_bot.ask(question)
    part = answer.text.split("\n2. ", 1)[1]
    assert "tạo điều kiện vay vốn" in part, answer.text


@pytest.mark.parametrize("first, follow_up, stated", [
    ("Theo luật 2011, nạn nhân thuộc hộ nghèo khi trở về địa phương được hỗ trợ gì về học nghề?",
     "Nếu muốn vay vốn làm ăn thì sao?", "tạo điều kiện vay vốn"),
    ("What does a victim from a poor household get when she returns home, under the 2011 law?",
     "And if she needs a loan to set up a small shop?", "tạo điều kiện vay vốn"),
    ("Em gái 15 tuổi vừa được giải cứu, nhà thuộc hộ nghèo và em muốn đi học lại. Em có được hỗ trợ tiền học không, "
     "hỗ trợ những gì?", "Còn nếu em ấy muốn học nghề thay vì đi học tiếp thì sao?",  # (dev lx023)
     "nếu thuộc hộ nghèo thì được xem xét hỗ trợ học nghề"),
    ("My 16-year-old niece was rescued last month; her family is poor. Can she get help with school fees?",
     "What if she'd rather learn a trade instead of going back to school?",
     "nếu thuộc hộ nghèo thì được xem xét hỗ trợ học nghề"),
])
def test_a_follow_up_telling_a_need_asks_of_the_need(support_law_bot, first, follow_up, stated):
    assert_first_quote_says(support_law_bot.ask(follow_up, history=[support_law_bot.ask(first)]), stated)


@pytest.mark.parametrize("question, first_case, second_case", [
    ("Under the 2011 law, how does reception differ for a victim rescued by the Border Guard versus one repatriated "
     "through a Vietnamese embassy abroad?", "Article 25(1)", "Article 26(1)"),  # (held-out hs056)
    ("Theo Luật 2011, việc tiếp nhận đối với nạn nhân được Bộ đội Biên phòng giải cứu và nạn nhân trở về qua cơ quan "
     "đại diện ở nước ngoài khác nhau thế nào?", "khoản 1 Điều 25", "khoản 1 Điều 26"),
])
def test_two_cases_set_apart_in_one_law_are_answered_each_by_its_own_provision(support_law_bot, question, first_case,
                                                                                second_case):
    answer = support_law_bot.ask(question)
    first, second = answer.text.split("\n\n", 1)
    assert first_case in first and second_case in second, answer.text


@pytest.mark.parametrize("question, notion", [
    ("Thời hiệu truy cứu trách nhiệm hình sự đối với tội mua bán người theo Điều 150 BLHS là bao lâu?", "thời hiệu"),  # (hs069)
    ("toi mua ban nguoi dieu 150 BLHS thi thoi hieu truy cuu trach nhiem hinh su la bao nhieu nam?", "thời hiệu"),
    ("What's the statute of limitations for prosecuting trafficking under Art. 150 of the Penal Code?", "thời hiệu"),
    ("Người phạm tội mua bán người có được hưởng án treo không?", "án treo"),
    ("Can a company be held criminally liable under Article 150?", "pháp nhân"),
])
def test_a_legal_notion_no_document_uses_is_refused_by_name(penal_bot, question, notion):
    answer = penal_bot.ask(question)  # (the nearest passage, a prison range, would answer another question)
    assert not answer.found and notion in answer.text, answer.text


def test_a_legal_notion_is_answered_once_a_document_uses_it(make_bot, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bo-luat-trich.txt").write_text(
        "BỘ LUẬT HÌNH SỰ (trích)\n\nĐiều 27. Thời hiệu truy cứu trách nhiệm hình sự\n"
        "1. Thời hiệu truy cứu trách nhiệm hình sự là thời hạn do Bộ luật này quy định mà khi hết thời hạn đó thì người "
        "phạm tội không bị truy cứu trách nhiệm hình sự.\n2. Thời hiệu truy cứu trách nhiệm hình sự được quy định như sau: "
        "c) 15 năm đối với tội phạm rất nghiêm trọng.\n", encoding="utf-8")
    bot = make_bot(docs)
    answer = bot.ask("Thời hiệu truy cứu trách nhiệm hình sự đối với tội phạm rất nghiêm trọng là bao lâu?")
    assert_says(answer, "15 năm")


def test_a_penalty_asked_without_a_notion_of_its_own_is_still_answered(penal_bot):
    assert_says(penal_bot.ask("Tội mua bán người bị phạt tù bao nhiêu năm?"), "05 năm đến 10 năm")


@pytest.mark.parametrize("question", [
    "KH ACTIP cua BR-VT co quy dinh che tai hay hinh thuc xu ly nao doi voi so nganh, dia phuong ko bao cao dinh ky 6 "
    "thang ve BCĐ 138 tinh ko?",  # (dev dy066: "ko báo cáo" is a negation, not a second question)
    "ke hoach 2026-2030 cua Ninh Binh quy dinh hinh thuc ky luat nao doi voi nguoi dung dau khong thuc hien tot cong "
    "tac phong chong mua ban nguoi?",  # (dev p074)
    "Does the Ninh Binh 2024 plan set any disciplinary action for units that miss their reports?",
])
def test_a_sanction_asked_of_a_plan_that_sets_none_is_refused(bot, question):
    answer = bot.ask(question)  # (the reporting regime or the heads' duty is no sanction)
    assert not answer.found, answer.text
    assert "\n1. " not in answer.text, answer.text  # one question, not two parts


def test_a_sanction_the_law_sets_is_still_answered(support_law_bot):
    answer = support_law_bot.ask("Cán bộ bao che hành vi mua bán người thì bị xử lý kỷ luật không?")
    assert_says(answer, "bị xử lý kỷ luật hoặc bị truy cứu trách nhiệm hình sự")


@pytest.mark.parametrize("question", [
    "kinh phi chuong trinh o quang ninh giai doan 2011-2015 duoc su dung theo co che tai chinh nao",  # (dev h147)
    "Kinh phí chương trình PCMBN 2011-2015 ở Quảng Ninh được sử dụng theo cơ chế tài chính nào?",
])
def test_a_financial_mechanism_is_no_sanction_though_it_folds_like_one(bot, question):
    assert_says(bot.ask(question), "theo cơ chế tài chính như đối với chương trình mục tiêu quốc gia")


@pytest.mark.parametrize("question, stated", [
    ("Can a victim get money to go home?", "không có khả năng chi trả tiền tàu xe"),  # (dev lf032)
    ("If a survivor has no cash to get home, will anyone pay?", "không có khả năng chi trả tiền tàu xe"),
    ("She can't afford the bus ticket back to her village. Does the law help?", "không có khả năng chi trả tiền tàu xe"),
    ("Is a local official who turns a blind eye to trafficking in his area liable to be prosecuted?",  # (dev ll040)
     "bị xử lý kỷ luật hoặc bị truy cứu trách nhiệm hình sự"),
    ("What happens to a police officer who looks the other way when he knows about trafficking?",
     "bị xử lý kỷ luật hoặc bị truy cứu trách nhiệm hình sự"),
])
def test_everyday_english_for_going_home_and_turning_a_blind_eye_finds_the_law_s_words(support_law_bot, question, stated):
    assert_first_quote_says(support_law_bot.ask(question), stated)


@pytest.mark.parametrize("question", [
    "Who oversees overseas job placement and labour export firms — Quang Ninh's 2011 plan versus Ninh Binh's 2026 "
    "plan?",  # (dev o082: the 2026 plan writes "cung ứng lao động, đưa người lao động … đi làm việc ở nước ngoài")
    "Who oversees labor export companies under Ninh Binh's 2026-2030 plan?",
])
def test_labour_export_is_found_in_the_words_the_newest_plan_uses(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Department of Home Affairs")


@pytest.mark.parametrize("turns", [
    ("Once the district labour office asks the police to verify whether someone is a trafficking victim, how many days "
     "do the police have to respond?", "What if the case is complicated?",
     "And once they confirm she is a victim, who gives her the certificate?"),  # (dev lx048)
    ("Khi Phòng Lao động – Thương binh và Xã hội đề nghị xác minh một người chưa có giấy tờ chứng nhận là nạn nhân, cơ "
     "quan Công an cùng cấp phải xác minh và trả lời trong thời hạn bao lâu?",
     "Xác minh xong, nếu đủ điều kiện thì cơ quan nào cấp giấy xác nhận nạn nhân?"),  # (dev ls008)
    ("Ai cấp giấy xác nhận nạn nhân cho người đã được xác minh là nạn nhân bị mua bán trong nước?",),
])
def test_a_body_the_law_names_by_what_it_did_is_shown_where_the_law_names_it(support_law_bot, turns):
    history = []
    for question in turns:
        history.append(support_law_bot.ask(question, history=list(history)))
    answer = history[-1]
    assert_says(answer, "cơ quan đã tiến hành xác minh", "Giấy xác nhận của cơ quan Công an huyện, quận, thị xã")


@pytest.mark.parametrize("question", [
    "Tổ chức, cá nhân muốn thành lập cơ sở hỗ trợ nạn nhân phải đáp ứng những điều kiện cụ thể nào về cơ sở vật chất "
    "và nhân sự?",  # (dev ll028)
    "Luật Phòng, chống mua bán người năm 2011 liệt kê những điều kiện nào để thành lập cơ sở hỗ trợ nạn nhân?",  # (dw050)
    "What are the requirements for opening a private shelter for trafficking victims?",
])
def test_conditions_the_law_leaves_to_the_government_are_refused_with_the_clause_that_says_so(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert not answer.found, answer.text
    assert "Chính phủ quy định cụ thể điều kiện, trình tự, thủ tục thành lập cơ sở hỗ trợ nạn nhân" in answer.text
    assert len(answer.citations) == 1 and "Chính phủ quy định cụ thể" in answer.citations[0].text


def test_what_the_law_itself_lists_is_still_answered_beside_a_delegation(support_law_bot):
    answer = support_law_bot.ask("Nạn nhân được hưởng những chế độ hỗ trợ nào?")  # (Điều 32 lists them; khoản 4 delegates)
    assert_says(answer, "Hỗ trợ y tế", "Trợ giúp pháp lý")


def test_a_yes_or_no_the_clause_answers_beside_a_delegation_is_still_answered(support_law_bot):
    answer = support_law_bot.ask("Một tổ chức trong nước muốn mở nhà tạm lánh cho nạn nhân bị mua bán. Cơ sở này có được "
                                 "dùng ngân sách nhà nước không, và điều kiện, thủ tục thành lập ra sao?")  # (dev lx027)
    assert_says(answer, "việc thành lập và hoạt động không sử dụng ngân sách nhà nước")


@pytest.mark.parametrize("question", [
    "Which overseas agency does Quang Ninh's plan want to cooperate with most?",
    "Is there an overseas partner that Quang Ninh's 2011 decision wants to cooperate with in particular?",
])
def test_an_overseas_agency_to_cooperate_with_is_the_partner_the_plan_names(bot, question):
    assert_says(bot.ask(question), "Công an Quảng Tây - Trung Quốc")


@pytest.mark.parametrize("turns", [
    ("Cơ sở bảo trợ xã hội công lập phải làm những việc gì trong việc hỗ trợ nạn nhân?",
     "Còn cơ sở do tổ chức, cá nhân tự lập ra thì có được dùng ngân sách nhà nước không?",
     "Vay ai quy dinh dieu kien, thu tuc thanh lap loai co so do?"),  # (dev lp033)
    ("Who sets the conditions and procedures for setting up a private victim support facility?",),
])
def test_who_regulates_what_the_law_leaves_to_the_government_is_the_government(support_law_bot, turns):
    history = []
    for question in turns:
        history.append(support_law_bot.ask(question, history=list(history)))
    assert_says(history[-1], "Chính phủ quy định cụ thể điều kiện, trình tự, thủ tục thành lập cơ sở hỗ trợ nạn nhân")
    assert "Cơ sở hỗ trợ nạn nhân [1]" not in history[-1].text  # (the facility is what is regulated, not who regulates)


def test_who_regulates_a_service_the_law_gives_a_ministry_is_still_that_ministry(support_law_bot):
    assert_says(support_law_bot.ask("Who regulates marriage brokerage services?"), "Ministry of Justice")


@pytest.mark.parametrize("question", [
    "neu ho muon tu ve noi cu tru thi duoc ho tro nhung gi",  # (dev lu038)
    "Nếu nạn nhân muốn tự trở về nơi cư trú thì được hỗ trợ những gì?",
    "If a victim wants to go back home on her own, what support can she get?",
])
def test_support_asked_for_a_need_told_is_the_sentence_on_that_need_not_every_kind_of_support(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "tiền tàu xe")
    assert "Hỗ trợ học văn hóa, học nghề" not in answer.text, answer.text


# -- session 36 ----------------------------------------------------------------------------------
@pytest.mark.parametrize("question, body, task", [
    ("Mình ở Sở Tư pháp tỉnh Ninh Bình. Theo kế hoạch 2026-2030, giao cho bên mình chủ trì việc gì?",  # (held-out hr015)
     "Sở Tư pháp", "trợ giúp pháp lý"),
    ("Tôi là cán bộ Sở Lao động - Thương binh và Xã hội. Kế hoạch ACTIP của BRVT giao cho cơ quan tôi làm gì?",
     "Sở Lao động - Thương binh và Xã hội", "hỗ trợ nạn nhân"),
    ("I'm with the provincial Department of Health. What does the Quang Ninh decision ask us to do?",
     "Department of Health", "Sở Y tế"),
])
def test_the_body_an_asker_introduces_is_the_one_a_question_about_us_asks_of(bot, question, body, task):
    answer = bot.ask(question)
    assert answer.found and answer.text.startswith(body), answer.text  # (its task record, not a passage that names it)
    assert_says(answer, task)


def test_an_officer_of_a_body_is_not_the_ministry_its_name_ends_with(bot):
    from assistant.query import agencies_in

    assert agencies_in("Tôi là cán bộ Công an huyện.") == ["Công an tỉnh"]  # ("cán bộ Công an" is no "Bộ Công an")
    assert "Bộ Công an" in agencies_in("Bộ Công an chịu trách nhiệm gì?")


@pytest.mark.parametrize("question, term_said", [
    ("Luật PCMBN định nghĩa cưỡng bức lao động thế nào?", "Cưỡng bức lao động là việc"),  # (held-out hr061)
    ("luat 66 dinh nghia boc lot tinh duc nhu the nao", "Bóc lột tình dục là việc"),
    ("Khái niệm nạn nhân trong luật là gì?", "Nạn nhân là người bị xâm hại"),
    ("What does the law mean by sexual slavery?", "Nô lệ tình dục là việc"),
])
def test_a_term_asked_with_its_asking_words_after_it_is_the_law_s_definition(support_law_bot, question, term_said):
    assert_first_quote_says(support_law_bot.ask(question), term_said)


@pytest.mark.parametrize("question", [
    "neu nan nhan duoi 16 tuoi thi phat tu bao nhieu?",
    "phạt tù bao nhiêu nếu nạn nhân dưới 16 tuổi?",
    "How long in prison if the victim is 14?",
    "What's the sentence if the girl sold was 15?",
])
def test_a_penalty_asked_of_a_victim_s_age_alone_is_the_offence_against_a_child(penal_bot, question):
    assert_states(penal_bot.ask(question), "07 năm đến 12 năm", "05 năm đến 10 năm")


def test_a_follow_up_changing_the_age_after_two_questions_asks_the_penalty_again(penal_bot):
    history = []
    for question in ("blhs 2015 dieu 150 khoan 3 co nhung tinh tiet nao? phat tu bao nhieu?",  # (held-out hr053–hr055)
                     "the con khung co ban khoan 1 thi bi phat tu bao lau?", "neu nan nhan duoi 16 tuoi thi sao"):
        history.append(penal_bot.ask(question, history=list(history)))
    assert_states(history[-1], "07 năm đến 12 năm", "05 năm đến 10 năm")


@pytest.mark.parametrize("turns", [
    ("Quang Ninh 2011-2015 plan – who's in charge of Project 1 (awareness raising / communication)?", "and project 3?",
     "What does that project actually cover for the victims? main activities pls"),  # (held-out hr008–hr010)
    ("What does Project 3 of the Quang Ninh decision cover?",),
    ("Đề án 3 Quảng Ninh nói về cái gì?",),
])
def test_what_a_project_covers_is_its_items_not_its_title_alone(bot, turns):
    history = []
    for question in turns:
        history.append(bot.ask(question, history=list(history)))
    assert_says(history[-1], "xác minh nhân thân", "bảo vệ bí mật thông tin", "trợ giúp pháp lý miễn phí")


@pytest.mark.parametrize("question, first, second", [
    ("So sánh chế độ hỗ trợ cho nạn nhân là người nước ngoài bị mua bán tại VN và cho người chưa thành niên đi cùng nạn "
     "nhân theo Điều 32 Luật PCMBN.", "các điểm a, b, c và d", "các điểm a, b và c"),  # (held-out hr064)
    ("so sanh che do ho tro cho nan nhan la cong dan Viet Nam va nguoi nuoc ngoai theo luat 2011",
     "e) Trợ cấp khó khăn ban đầu", "các điểm a, b, c và d"),
])
def test_two_groups_compared_inside_one_article_each_get_their_clause(support_law_bot, question, first, second):
    answer = support_law_bot.ask(question)
    assert_says(answer, first, second)
    assert answer.text.index(first) < answer.text.index(second), answer.text


@pytest.mark.parametrize("turns, body", [
    (("What kinds of support is a Vietnamese national who was trafficked entitled to under the 2011 law?",
      "Con nan nhan la nguoi nuoc ngoai bi mua ban o Viet Nam thi duoc nhung gi?",
      "Who actually provides them with the psychological support?"), "Cơ sở bảo trợ xã hội"),  # (dev lp034–lp036)
    (("What help can foreign victims trafficked in Vietnam get under Law 66?", "Which body provides them with legal aid?"),
     "Trung tâm trợ giúp pháp lý nhà nước"),
    (("Which ministry instructs Vietnamese embassies and consulates to provide consular protection to Vietnamese nationals "
      "who were trafficked abroad?", "And once the embassy has arranged their return, who receives them back in Vietnam?"),
     "Bộ Công an, Bộ Quốc phòng"),  # (dev ls032–ls033)
])
def test_them_in_a_follow_up_is_the_people_not_the_passages_last_quoted(support_law_bot, turns, body):
    history = []
    for question in turns:
        history.append(support_law_bot.ask(question, history=list(history)))
    assert_says(history[-1], body)
    assert "Bộ Ngoại giao" not in history[-1].text.split("\n")[0], history[-1].text


@pytest.mark.parametrize("question", [
    "Ninh Binh 2026-2030 plan: which department leads on building up health services, esp. grassroots clinics, to "
    "receive and care for survivors (physical and mental health)?",  # (held-out hr004: "esp." ends no sentence)
    "who leads upgrading commune clinics to treat trafficking victims in NB's 2026-2030 plan",
])
def test_who_leads_building_up_grassroots_health_care_is_the_health_department(bot, question):
    answer = bot.ask(question)
    assert answer.found and "lead — Department of Health" in answer.text, answer.text


def test_which_forces_a_training_singles_out_is_the_sentence_that_names_them(bot):
    history = [bot.ask("In the BR-VT ACTIP plan, what did the province prioritise for 2021-2022?")]  # (dev p063–p064)
    answer = bot.ask("Which forces are singled out for that training?", history=history)
    assert_says(answer, "các cơ quan tư pháp, Bộ đội Biên phòng, Cảnh sát biển")


@pytest.mark.parametrize("question, count", [
    ("art 150 how many victims for 12-20 years", "Đối với 06 người trở lên"),  # (dev lu040)
    ("How many victims does it take for a trafficking case to land in the top sentencing bracket of Article 150?",
     "Đối với 06 người trở lên"),  # (dev le023)
    ("mua ban may nguoi thi bi phat tu 12 den 20 nam", "Đối với 06 người trở lên"),
    ("Under Article 151, how many children must be trafficked for the 12 to 20 year range?", "Đối với từ 02 người đến 05 người"),
])
def test_how_many_victims_a_clause_takes_is_its_point_that_counts_them(penal_bot, question, count):
    answer = penal_bot.ask(question)
    assert_says(answer, count, "12 năm đến 20 năm")


@pytest.mark.parametrize("question", [
    "I run a secondary school. What does Law 66/2011 expect schools to do on trafficking prevention?",  # (dev hy020)
    "What is expected of schools under the 2011 law?",
    "What does the trafficking law expect schools and colleges to do?",
])
def test_what_the_law_expects_of_a_party_is_the_whole_article_on_it(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "Quản lý chặt chẽ việc học tập", "giáo dục ngoại khóa", "Phối hợp với gia đình")


@pytest.mark.parametrize("question, second", [
    ("neu lay bo phan co the nan nhan thi phat tu bao nhieu, con nan nhan duoi 16 tuoi thi sao",  # (dev di130)
     "18 năm đến 20 năm hoặc tù chung thân"),
    ("Nếu nạn nhân bị đưa ra nước ngoài thì phạt tù bao nhiêu năm, còn nếu nạn nhân dưới 16 tuổi thì sao?",
     "12 năm đến 20 năm"),
])
def test_a_part_that_changes_the_case_of_the_part_before_keeps_that_case(penal_bot, question, second):
    answer = penal_bot.ask(question)
    assert answer.found and "\n2. " in answer.text, answer.text
    assert second in answer.text.split("\n2. ", 1)[1], answer.text


@pytest.mark.parametrize("question", [
    "What is the maximum loan a returning victim can take out under the loan support, and at what interest rate?",  # (lg070)
    "Nạn nhân được vay tối đa bao nhiêu tiền?",
    "How much can a victim borrow under the 2011 law?",
])
def test_a_loan_amount_the_law_does_not_set_is_refused(support_law_bot, question):
    assert not support_law_bot.ask(question).found


def test_a_loan_the_law_grants_is_still_answered(support_law_bot):
    assert_says(support_law_bot.ask("Nạn nhân có được hỗ trợ vay vốn không?"), "vay vốn")


@pytest.mark.parametrize("question", [
    "What did the 2025 amendment change in the Article 150 penalties?",  # (dev di136)
    "Luật sửa đổi, bổ sung năm 2025 quy định phạt tù tội mua bán người bao nhiêu năm?",
])
def test_a_penalty_asked_of_an_amendment_the_index_does_not_hold_is_refused(penal_bot, question):
    answer = penal_bot.ask(question)
    assert not answer.found and "05 năm đến 10 năm" not in answer.text, answer.text


def test_a_topic_put_first_without_marks_is_asked_of_every_part(bot):
    # ("dau tranh" is "đấu tranh", not "đâu": the topic is no question of its own, so each part is asked of it)
    answer = bot.ask("dau tranh toi pham mua ban nguoi: ke hoach 2024 ninh binh giao cho ai, con ke hoach 2026-2030 thi "
                     "co quan chu tri la ai")  # (dev dg099)
    second = answer.text.split("\n2. ", 1)[1]
    assert second.startswith("dau tranh toi pham mua ban nguoi:") and "Bộ Chỉ huy Quân sự tỉnh" in second, answer.text


def test_two_departments_typed_without_marks_are_one_question(bot):
    answer = bot.ask("so ke hoach va dau tu, so tai chinh quang ninh lam gi trong chuong trinh 2011-2015")  # (dev df026)
    assert answer.found and not answer.text.startswith("Câu hỏi gồm"), answer.text
    assert_says(answer, "Sở Kế hoạch và Đầu tư, Sở Tài chính")


@pytest.mark.parametrize("question", [
    "Về hợp tác quốc tế phòng, chống mua bán người, phân công thực hiện trong KH 22 năm 2024 và trong KH 2026–2030 của "
    "Ninh Bình khác nhau thế nào?",  # (dev k048)
    "How is the international cooperation work assigned in Ninh Binh's 2024 plan compared with its 2026-2030 plan?",
])
def test_assignments_compared_between_two_plans_are_each_plan_s_task_record(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Công an tỉnh, Viện Kiểm sát, Tòa án nhân dân tỉnh")
    assert "Ủy ban nhân dân các xã, phường" in answer.text or "commune/ward-level People's Committees" in answer.text, answer.text


@pytest.mark.parametrize("question, expected", [
    ("thế nào thì bị coi là cưỡng bức lao động?", "Cưỡng bức lao động là việc"),  # (hq064)
    ("Luật coi hành vi nào là cưỡng bức lao động?", "Cưỡng bức lao động là việc"),
    ("Hành vi nào được xem là bóc lột tình dục theo luật 66?", "Bóc lột tình dục là việc"),
])
def test_what_counts_as_a_term_is_its_definition(support_law_bot, question, expected):
    assert_says(support_law_bot.ask(question), expected)


def test_each_part_asking_what_counts_as_a_term_gets_its_definition(support_law_bot):
    answer = support_law_bot.ask("Luật giải thích thế nào là bóc lột tình dục, và thế nào thì bị coi là cưỡng bức lao động?")
    assert "Bóc lột tình dục là việc" in answer.text.split("\n2. ", 1)[0], answer.text
    assert "Cưỡng bức lao động là việc" in answer.text.split("\n2. ", 1)[1], answer.text


@pytest.mark.parametrize("question", [
    "Gặp nạn nhân không rõ bao nhiêu tuổi nhưng trông còn nhỏ thì theo kế hoạch BR-VT phải đối xử thế nào?",  # (hq022)
    "Theo kế hoạch Bà Rịa - Vũng Tàu, nếu chưa rõ nạn nhân bao nhiêu tuổi thì phải xử lý thế nào?",
    "Under the BRVT plan, how should officers treat a victim whose age they can't confirm?",
])
def test_a_victim_of_unknown_age_is_treated_as_the_plan_says(bot, question):
    assert_says(bot.ask(question), "coi nạn nhân đó là trẻ em")


@pytest.mark.parametrize("question", [
    "Kế hoạch của Quảng Ninh giai đoạn 2011–2015 có ưu tiên hợp tác với đối tác nước ngoài cụ thể nào không?",  # (hq025)
    "QN 2011-2015 uu tien hop tac voi luc luong nuoc ngoai nao?",
    "Quang Ninh 2011-2015: which foreign police force does the plan single out for cooperation?",
])
def test_the_foreign_partner_a_plan_names_answers_which_partner(bot, question):
    assert_says(bot.ask(question), "Công an Quảng Tây - Trung Quốc")


@pytest.mark.parametrize("question", [
    "Kế hoạch 2026–2030 của Ninh Bình nhắc tới đường dây nóng quốc gia về chống mua bán người, số đó là số mấy?",  # (hq019)
    "đường dây nóng chống mua bán người trong kế hoạch ninh binh 2026 la so may",
    "Theo kế hoạch 2026-2030 của Ninh Bình, người dân gọi đường dây nóng nào để báo tin về mua bán người?",
])
def test_a_hotline_asked_in_everyday_words_is_the_111_call_centre(bot, question):
    assert_says(bot.ask(question), "Tổng đài điện thoại quốc gia về phòng, chống mua bán người 111")


@pytest.mark.parametrize("question", [
    "Ct PCMBN cua QN 2011-2015 gom may de an, ten tung de an la gi?",  # (hq014)
    "Quyết định 3087 của Quảng Ninh có bao nhiêu đề án, đó là những đề án nào?",
    "How many projects does the Quang Ninh 2011-2015 programme have and what are they called?",
])
def test_a_count_with_the_names_of_what_was_counted_lists_them(bot, question):
    assert_says(bot.ask(question), "Đẩy mạnh thông tin, tuyên truyền", "Nâng cao hiệu quả đấu tranh chống tội phạm mua bán người",
                "Tiếp nhận, xác minh, bảo vệ và hỗ trợ nạn nhân bị mua bán trở về")


@pytest.mark.parametrize("question", [
    "Which jobs in Ninh Binh's 2026-2030 plan fall to the provincial Health Department as sole lead agency?",  # (hq011)
    "Sở Y tế Ninh Bình chủ trì một mình những việc gì trong kế hoạch 2026-2030?",
    "In the 2026-2030 Ninh Binh plan, what does the health department lead on its own?",
])
def test_the_tasks_a_body_leads_alone_leave_out_those_it_shares(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Tổng đài điện thoại quốc gia về phòng, chống mua bán người 111", "chất lượng dịch vụ hỗ trợ nạn nhân")
    assert "Thực hiện đầy đủ các biện pháp bảo vệ" not in answer.text, answer.text  # (led with five other bodies)


@pytest.mark.parametrize("question", [
    "Can you list the performance targets Lam Dong's steering committee set for 2024 on handling trafficking tip-offs "
    "and prosecuting cases?",  # (hq013)
    "What numerical targets did Lam Dong's provincial Steering Committee 138 set for handling trafficking reports in 2024?",
    "Lâm Đồng 2024 đặt chỉ tiêu phấn đấu gì?",
])
def test_a_plan_s_targets_are_its_figures(bot, question):
    assert_says(bot.ask(question), "100% tố giác, tin báo về tội phạm", "trên 90%")


@pytest.mark.parametrize("question", [
    "nan nhan duoc cong an hoac bien phong giai cuu thi duoc chuyen den dau?",  # (dev lg008)
    "Bộ đội biên phòng giải cứu nạn nhân xong thì chuyển họ cho cơ quan nào?",
])
def test_where_a_rescued_victim_is_handed_over_is_the_office_named_after_whom(support_law_bot, question):
    # ("chuyển ngay người đó đến Phòng Lao động – Thương binh và Xã hội": the person handed over stands between)
    assert_first_quote_says(support_law_bot.ask(question), "chuyển ngay người đó đến Phòng Lao động – Thương binh và Xã hội")


def test_a_marriage_broker_in_everyday_words_is_the_law_s_marriage_support(support_law_bot):
    answer = support_law_bot.ask("Bộ nào có trách nhiệm quản lý, kiểm tra hoạt động môi giới kết hôn với người nước ngoài "
                                 "để phòng, chống mua bán người?")  # (dev lk020)
    assert_says(answer, "Bộ Tư pháp")


@pytest.mark.parametrize("question", [
    "Cơ quan nào có thẩm quyền cấp giấy phép thành lập cơ sở hỗ trợ nạn nhân do tổ chức, cá nhân Việt Nam lập ra?",  # (lx058)
    "Ai cấp phép cho cơ sở hỗ trợ nạn nhân tư nhân hoạt động?",
    "Cơ quan nào cấp giấy phép thành lập cơ sở hỗ trợ nạn nhân do tư nhân lập ra?",
])
def test_who_acts_on_a_body_is_not_answered_by_that_body(support_law_bot, question):
    # (Điều 40 names the licence, not who grants it: the facility itself is no answer)
    assert not support_law_bot.ask(question).found


@pytest.mark.parametrize("question", [
    "Căn cứ nào để xác định một người là nạn nhân bị mua bán?",  # (dev lg010)
    "can cu nao de cong nhan mot nguoi la nan nhan",
    "Luật dựa vào căn cứ gì để xác định nạn nhân?",
])
def test_the_grounds_for_an_act_are_the_article_not_the_law_s_basis(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "Người đó là đối tượng bị mua bán")
    assert "Hiến pháp" not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "nan nhan co nhung quyen gi theo luat phong chong mua ban nguoi",  # (after dev lg006, still failing: Điều 6 ranks 7th)
    "Theo luật 66, nạn nhân có những quyền nào?",
])
def test_the_rights_asked_are_the_article_headed_by_them(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "Quyền và nghĩa vụ của nạn nhân")


@pytest.mark.parametrize("question", [
    "ke hoach actip ba ria vung tau: cong an tinh chu tri nhung noi dung nao?",  # (dev dk007)
    "What does the provincial police lead under the BRVT ACTIP plan?",
])
def test_an_agency_s_tasks_under_a_bare_content_heading_are_named_by_their_section(bot, question):
    # ("a) Nội dung" names no work: the section above it, "3. Công tác tham mưu xây dựng, hoàn thiện pháp luật …", does)
    answer = bot.ask(question)
    assert_says(answer, "“Công tác tham mưu xây dựng, hoàn thiện pháp luật đáp ứng yêu cầu của Công ước ACTIP”")
    assert "II.3 “Công tác tham mưu xây dựng" in answer.text, answer.text
    check_quotes_verbatim(bot, answer)  # (the title too, in the passage cited)


@pytest.mark.parametrize("question", [
    "Where can someone who was trafficked inside Vietnam go to report what happened to them?",  # (dev lg007)
    "Where can a victim report what happened to her?",
])
def test_where_a_victim_can_go_to_report_is_the_place_not_a_prohibition(support_law_bot, question):
    answer = support_law_bot.ask(question)
    assert_says(answer, "có thể đến Ủy ban nhân dân cấp xã hoặc cơ quan, tổ chức nơi gần nhất khai báo")
    assert not answer.text.startswith("No —"), answer.text


# --- session 38: each mechanism checked on phrasings written after the failure it fixed, not on that one --------------

@pytest.mark.parametrize("question", [
    "Trong kế hoạch Ninh Bình 2026-2030, tổng đài toàn quốc để báo tin mua bán người — số gì?",  # (dev hp020)
    "duong day nong toan quoc bao tin mua ban nguoi trong ke hoach ninh binh 2026 la so nao",
])
def test_a_hotline_number_asked_after_a_dash_is_the_111_call_centre(bot, question):
    assert_says(bot.ask(question), "111")


@pytest.mark.parametrize("question", [
    "Hồi 2011-2015 Quảng Ninh hợp tác với cơ quan nào phía nước ngoài để chống buôn người?",  # (dev hp026)
    "quang ninh 2011-2015 phoi hop voi luc luong nao cua nuoc ngoai trong phong chong mua ban nguoi",
])
def test_a_foreign_force_asked_before_of_abroad_is_the_named_partner(bot, question):
    assert_says(bot.ask(question), "Công an Quảng Tây")


@pytest.mark.parametrize("question", [
    "Kế hoạch Ninh Bình 2026-2030 hợp tác với cơ quan nào của Trung Quốc?",  # (after dev n089)
    "Which Chinese police unit does the Ninh Binh 2026-2030 plan work with?",
])
def test_a_partner_of_a_named_country_is_not_another_country_s(bot, question):
    answer = bot.ask(question)
    assert "Hàn Quốc" not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Lâm Đồng năm 2024 đặt ra mức chỉ tiêu nào về phá án, truy tố, xét xử các vụ mua bán người?",  # (dev hp012)
    "lam dong 2024 dat ra nhung con so chi tieu nao ve dieu tra, truy to cac vu mua ban nguoi",
    # (not yet: "BCĐ 138 Lâm Đồng đặt ra các chỉ tiêu gì cho năm 2024?", no topic beside the targets: refused)
])
def test_targets_asked_by_any_words_are_the_plan_s_figures(bot, question):
    assert_says(bot.ask(question), "95%")


@pytest.mark.parametrize("question", [
    "nạn nhân tự đi về nơi cư trú thì ai lo tiền tàu xe cho họ?",  # (dev hp048)
    "nan nhan muon tu ve noi cu tru thi co quan nao chi tien tau xe?",
])
def test_who_pays_a_self_returning_victim_s_fare_names_the_labour_office(support_law_bot, question):
    # (Điều 26 gives the fare to the receiving ministries' bodies, Điều 24 and 39 to the labour office: both answer)
    assert_says(support_law_bot.ask(question), "Phòng Lao động – Thương binh và Xã hội")


@pytest.mark.parametrize("question", [
    "ke hoach 2026-2030 ninh binh, co quan nao duoc de nghi chu tri kiem sat dieu tra vu an mua ban nguoi?",  # (dev hp007)
    "Ninh Bình 2026-2030: bên nào được đề nghị chủ trì thực hành quyền công tố các vụ mua bán người?",
])
def test_the_body_requested_to_prosecute_is_the_procuracy(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Viện kiểm sát nhân dân tỉnh")
    assert "Viện kiểm sát nhân dân tỉnh" in answer.text.split("\n", 1)[0], answer.text  # named first, as the answer


@pytest.mark.parametrize("question", [
    "Ở Bà Rịa - Vũng Tàu, Tòa án nhân dân tỉnh được đề nghị làm gì?",  # (after dev o011)
    "BRVT: vien kiem sat tinh duoc de nghi lam nhung viec gi?",
])
def test_what_a_body_is_requested_to_do_is_its_requested_tasks(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "quán triệt")
    assert "phối hợp (" not in answer.text, answer.text  # (its other roles are another question)


@pytest.mark.parametrize("question", [
    "Theo kế hoạch 2026-2030 Ninh Bình, cơ quan nào chủ trì quản lý, kiểm tra những doanh nghiệp đưa người lao động "
    "đi làm việc ở nước ngoài?",  # (dev hp003)
    "Who leads checking, monitoring the labour export companies in Ninh Binh's 2026-2030 plan?",
])
def test_two_verbs_of_one_task_are_answered_as_one_question(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Sở Nội vụ")
    assert not answer.text.startswith(("Câu hỏi gồm", "This question has")), answer.text


@pytest.mark.parametrize("question", [
    "Ai giả mạo là nạn nhân để nhận hỗ trợ thì ngoài việc bị xử lý còn phải làm gì nữa?",  # (dev hp058)
    "ai khai gian minh la nan nhan de lay tien thi ngoai bi xu ly con bi bat lam gi",
])
def test_whoever_fakes_being_a_victim_must_repay(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "hoàn trả khoản kinh phí hỗ trợ đã nhận")


@pytest.mark.parametrize("question", [
    "Can the court hold the trafficking trial in camera if the victim asks?",  # (dev hp057)
    "Does the law let a victim request a private hearing?",
])
def test_a_trial_closed_to_the_public_in_the_asker_s_words(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "xét xử kín")


@pytest.mark.parametrize("question", [
    "BRVT co to chuc xu luu dong may vu an mua ban nguoi khong?",  # (dev hp028)
    "Kế hoạch ACTIP Bà Rịa - Vũng Tàu có đưa mấy vụ án mua bán người ra xử lưu động không?",
])
def test_a_few_cases_inside_a_yes_or_no_question_count_nothing(bot, question):
    assert_says(bot.ask(question), "xét xử lưu động")


@pytest.mark.parametrize("question", [
    "Giao một em 13 tuổi cho người khác lấy tiền thì khung tù cơ bản là mấy năm?",  # (dev hp060)
    "Someone hands a 14-year-old over to another person for cash; with no aggravating factors, what prison range applies?",
])
def test_handing_over_a_child_for_money_is_the_basic_bracket_of_article_151(penal_bot, question):
    assert_says(penal_bot.ask(question), "07 năm đến 12 năm")


@pytest.mark.parametrize("question", [
    "Under the Ba Ria-Vung Tau plan, what if nobody can confirm a victim's age but she may be a minor?",  # (dev hp022)
    "BRVT ACTIP plan: if staff cannot determine whether a victim is under 18, how should she be treated?",
])
def test_an_unconfirmed_age_in_english_is_the_presumption_of_childhood(bot, question):
    assert_says(bot.ask(question), "coi nạn nhân đó là trẻ em")


@pytest.mark.parametrize("question", [
    "What does the culture, sports and tourism department have to do in Quang Ninh's 2011-2015 programme?",  # (dev hp009)
    "Quang Ninh 2011-2015: tasks of the Department of Culture, Sports and Tourism?",
])
def test_the_culture_sports_and_tourism_department_is_not_the_tourism_department(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "Đề án 1")
    assert "Department of Tourism" not in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Ai được coi là nạn nhân theo luật phòng chống mua bán người?",  # (dev hp063)
    "luat 66 dinh nghia the nao la cuong buc lao dong, con ai thi duoc xem la nan nhan?",
])
def test_who_counts_as_a_victim_is_the_definition(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "Nạn nhân là người bị xâm hại")


@pytest.mark.parametrize("question", [
    "Nạn nhân tự trốn về nước, không qua cơ quan đại diện Việt Nam, thì tiếp nhận, xác minh theo điều nào?",  # (dev lu014)
    "nan nhan bi ban ra nuoc ngoai tu tro ve, khong thong qua co quan dai dien, thi xac minh theo quy dinh nao?",
])
def test_the_way_a_case_did_not_go_is_not_its_provision(support_law_bot, question):
    answer = support_law_bot.ask(question)
    first = answer.text.split("\n")[0]
    # (Điều 24's procedure, or Điều 26.3 sending her to it; not the consulate route first)
    assert answer.found and "Điều 24" in first and "qua cơ quan đại diện" not in first, answer.text


@pytest.mark.parametrize("question", [
    "Luật 66 cho nạn nhân là công dân Việt Nam hưởng những khoản hỗ trợ nào?",  # (dev hp051)
    "nan nhan la cong dan viet nam duoc nhung khoan ho tro gi theo luat 66",
])
def test_the_kinds_of_support_asked_as_items_are_article_32_s_list(support_law_bot, question):
    answer = support_law_bot.ask(question)
    for item in ("Hỗ trợ y tế", "Hỗ trợ tâm lý", "Trợ giúp pháp lý", "Trợ cấp khó khăn ban đầu, hỗ trợ vay vốn"):
        assert_says(answer, item)


@pytest.mark.parametrize("question", [
    "Is preparing to commit trafficking punishable under Article 150?",  # (dev hp069)
    "nguoi moi chuan bi pham toi mua ban nguoi co bi phat khong",
])
def test_a_notion_no_text_uses_is_refused_by_name(penal_bot, question):
    answer = penal_bot.ask(question)
    assert not answer.found, answer.text
    assert "chuẩn bị phạm tội" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Đường dây nóng ở Quảng Ninh 2011-2015 do cơ quan nào quản lý?",  # (after dev hv067)
    "Kế hoạch 2011-2015 của Quảng Ninh giao đơn vị nào vận hành đường dây nóng?",
])
def test_a_hotline_s_keeper_no_plan_names_is_refused(bot, question):
    assert not bot.ask(question).found


@pytest.mark.parametrize("follow_up", [
    "And who actually signed it?",  # (dev hp039)
    "Vậy ai là người ký?",
])
def test_the_signer_asked_after_the_date_is_the_signature_block(bot, follow_up):
    first = bot.ask("When was Ninh Binh's plan 22/KH-BCĐ issued?")
    assert_says(bot.ask(follow_up, history=[first]), "Tổng Quang Thìn")


@pytest.mark.parametrize("question", [
    "Ninh Bình 2024 và Quảng Ninh 2011-2015 yêu cầu các sở, ngành báo cáo bao lâu một lần, có khác nhau không?",
    "How often do member agencies report under Ninh Binh's 2024 plan compared with Quang Ninh's 2011-2015 plan?",  # (hp030)
])
def test_a_value_compared_between_plans_is_each_plan_s_value_not_its_lead(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "hàng quý, 6 tháng, 1 năm", "theo quý, 06 tháng, 01 năm")


@pytest.mark.parametrize("question", [
    "Về chuyện tiền nong, kế hoạch ACTIP của BR-VT lấy kinh phí từ đâu?",  # (after dev hp031)
    "tiền nong cho kế hoạch ACTIP Bà Rịa - Vũng Tàu lấy ở đâu ra?",
])
def test_money_in_everyday_words_is_the_plan_s_funding(bot, question):
    assert_says(bot.ask(question), "dự toán chi thường xuyên")


@pytest.mark.parametrize("question", [
    "ke hoach ninh binh 2026-2030 lay luat nao lam trong tam",  # (after dev q076, fresh-p hp034)
    "Which law does Ninh Binh's 2026-2030 plan put at the centre of its work?",
])
def test_the_law_asked_is_the_sentence_that_names_one_not_the_best_worded(bot, question):
    # ("lấy địa bàn cấp cơ sở làm trọng tâm" matches the words best and names no law)
    assert_says(bot.ask(question), "trọng tâm là Luật Phòng, chống mua bán người năm 2024")


@pytest.mark.parametrize("question", [
    "Which fields of social management does the Ba Ria-Vung Tau plan want tightened?",  # (after dev n036, hp015)
    "BRVT ACTIP plan: list the areas of state management where oversight must be stepped up",
])
def test_areas_of_management_are_fields_not_places(bot, question):
    assert_says(bot.ask(question), "hộ tịch", "cảng biển")


@pytest.mark.parametrize("follow_up", [
    "ok, the co noi gi ve may thoa thuan dua LD sang Han Quoc ko?",  # (held-out ho040)
    "Kế hoạch có nhắc việc đưa LĐ đi làm thời vụ ở Hàn Quốc không?",
])
def test_workers_sent_abroad_written_ld_are_labour_not_lam_dong(bot, follow_up):
    first = bot.ask("Under Ninh Binh's 2026-2030 programme, which department leads oversight of labour-export companies?")
    answer = bot.ask(follow_up, history=[first])
    assert_says(answer, "làm việc thời vụ tại Hàn Quốc")
    assert all(c.doc_id.startswith("ninh-binh-2026") for c in answer.citations), answer.citations


@pytest.mark.parametrize("question", [
    "QN 2011-2015: đề án có việc giải cứu nạn nhân, truy bắt đối tượng thì ngành nào chủ trì?",  # (after held-out ho038)
    "In Quang Ninh's 2011-2015 programme, who heads the project that covers busting trafficking rings and rescuing victims?",
])
def test_a_project_asked_by_the_work_it_lists_is_answered_by_its_lead(bot, question):
    answer = bot.ask(question)
    assert_says(answer, "ĐỀ ÁN 2")
    assert answer.citations[0].section.startswith("III › 2"), answer.citations


@pytest.mark.parametrize("question", [
    "Ở Quảng Ninh giai đoạn 2011–2015, những ngành nào phối hợp làm công tác thống kê số liệu tội phạm mua bán người?",
    "Which agencies jointly keep the trafficking crime statistics in Quang Ninh?",
])
def test_an_item_naming_its_own_doers_is_not_the_project_lead_s(bot, question):
    # (the project's lead covers the items of its list that name no doer, not "+ Ba ngành: Công an, … phối hợp …")
    assert_says(bot.ask(question), "Ba ngành: Công an, Viện kiểm sát, Toà án")


@pytest.mark.parametrize("turns", [
    ("Theo kế hoạch 22 Ninh Bình 2024, ai chủ trì tuyên truyền phòng chống mua bán người?", "Thời gian thực hiện là khi nào?",
     "Cơ quan đó còn phải làm những gì khác?"),
    ("Ai chu tri ho tro nan nhan o Quang Ninh giai doan 2011-2015?", "Co bao nhieu de an?", "So do con lam gi nua?"),
])
def test_the_body_pointed_at_is_the_last_who_answer_s_across_a_turn(bot, turns):
    history = []
    for question in turns[:-1]:
        history.append(bot.ask(question, history=list(history)))
    from assistant.query import agencies_in

    lead = agencies_in(re.search(r"chủ trì: ([^\[]+?) \[1\]", history[0].text).group(1))
    answer = bot.ask(turns[-1], history=history)
    assert answer.found and len(lead) == 1 and agencies_in(answer.resolved_question) == lead, (lead, answer.resolved_question)


@pytest.mark.parametrize("question", [
    "Quyết định 3087 của Uỷ ban nhân dân tỉnh Quảng Ninh có hiệu lực từ lúc nào?",  # (held-out ho034)
    "QĐ 3087 Quảng Ninh bắt đầu áp dụng từ lúc nào?",
])
def test_when_a_decision_takes_effect_asked_with_luc_nao(bot, question):
    assert_says(bot.ask(question), "có hiệu lực thi hành kể từ ngày ký")


@pytest.mark.parametrize("question", [
    "dau tranh toi pham mua ban nguoi: ke hoach 2024 ninh binh giao cho ai?",  # (dev dg099)
    "Ninh Bình 2024 giao ai đấu tranh tội phạm mua bán người?",
])
def test_a_section_heading_saying_the_topic_with_other_stages_between_answers(bot, question):
    # ("3. Công tác đấu tranh, truy tố, xét xử tội phạm mua bán người", not tasks that mention the fight in passing)
    assert_says(bot.ask(question), "Bộ Chỉ huy Bộ đội Biên phòng tỉnh, Viện kiểm sát nhân dân, Tòa án nhân dân tỉnh")


def test_a_plan_number_after_kh_names_that_plan(bot):
    answer = bot.ask("Trong KH 22 Ninh Binh, dau tranh toi pham mua ban nguoi do nhung co quan nao thuc hien?")
    assert answer.found and all(c.doc_id.startswith("ninh-binh-2024") for c in answer.citations), answer.citations


def test_a_compound_under_a_frame_asks_its_pronoun_of_the_person_first_asked_of(support_law_bot):
    answer = support_law_bot.ask("Under the 2011 law, can a trafficking survivor claim compensation, and do they have any "
                                 "obligation to cooperate with the authorities?")
    assert_says(answer, "2 parts", "Thực hiện yêu cầu của cơ quan có thẩm quyền")


@pytest.mark.parametrize("question", [
    "Luật phòng chống mua bán người bắt đầu áp dụng từ lúc nào?",
    "Luat 66 co hieu luc tu luc nao?",
])
def test_when_a_law_applies_from_asked_with_luc_nao(support_law_bot, question):
    assert_says(support_law_bot.ask(question), "01 tháng 01 năm 2012")


@pytest.mark.parametrize("question", [
    "Điều 150–151 Bộ luật Hình sự xử lý thế nào đối với người tổ chức mang thai hộ vì mục đích thương mại?",  # (ho068)
    "Does Article 151 cover organising commercial surrogacy?",
])
def test_surrogacy_no_article_names_is_refused_by_name(penal_bot, question):
    answer = penal_bot.ask(question)
    assert not answer.found and "mang thai hộ" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "Hợp tác quốc tế trong KH 3087 Quảng Ninh ưu tiên với đối tác nào?",  # (dev hv048)
    "KH 3087 uu tien hop tac quoc te voi ai?",
])
def test_the_partner_a_plan_puts_first_is_its_sentence_not_a_list_of_priorities(bot, question):
    assert_first_quote_says(bot.ask(question), "Công an Quảng Tây - Trung Quốc")


@pytest.mark.parametrize("question", [
    "KH 22/KH-BCĐ năm 2024 nêu những hình thức truyền thông nào?",  # (dev h054)
    "QĐ 3087/QĐ-UBND năm 2011 giao Sở nào chủ trì Đề án 1?",
])
def test_a_plan_named_by_number_and_year_is_one_document_not_two(bot, question):
    answer = bot.ask(question)
    assert answer.found and len({c.doc_id for c in answer.citations}) == 1, answer.text


@pytest.mark.parametrize("question", [
    "How is funding handled differently in BR-VT's ACTIP plan and Ninh Binh's 2026-2030 plan - can either one draw on "
    "foreign donors?",  # (held-out ho032)
    "Kinh phí của KH ACTIP Bà Rịa - Vũng Tàu và KH 2026-2030 Ninh Bình khác nhau thế nào - có được nhận viện trợ nước "
    "ngoài không?",
])
def test_a_side_silent_on_the_narrower_question_still_answers_the_thing_compared(bot, question):
    # (BR-VT's funding sentence names no donors; it is still what that plan says of funding)
    assert_says(bot.ask(question), "dự toán chi thường xuyên", "nguồn tài trợ, viện trợ")


@pytest.mark.parametrize("question, project", [
    ("quang ninh: xet xu luu dong, an diem vu an mua ban nguoi nam trong de an nao", "ĐỀ ÁN 2"),  # (dev h148)
    ("Việc xây dựng mạng lưới báo cáo viên ở Quảng Ninh 2011-2015 thuộc đề án nào?", "ĐỀ ÁN 1"),
    ("In Quang Ninh's 2011-2015 plan, which project covers setting up mobile trials of trafficking cases?", "ĐỀ ÁN 2"),
])
def test_the_part_a_passage_stands_in_is_named_when_asked_on_its_own(bot, question, project):
    assert_says(bot.ask(question), project)


def test_a_project_pointed_back_at_is_not_asked_for_by_what_it_covers(bot):
    # ("Trong đề án đó …" points at the project the conversation is on; only a project described by its work draws on
    # the items each project lists — held-out hn040, which the first version of that answered from other plans)
    history = [bot.ask("Quảng Ninh giai đoạn 2011–2015, mảng tuyên truyền nâng cao nhận thức (đề án 1) giao cho sở nào cầm trịch?")]
    history.append(bot.ask("con de an 2 (dau tranh toi pham) thi ai chu tri, nhung nganh nao tham gia?", history=list(history)))
    answer = bot.ask("Trong đề án đó có quy định những ngành nào phối hợp làm thống kê số liệu không?", history=history)
    assert_says(answer, "Ba ngành: Công an, Viện kiểm sát, Toà án")
