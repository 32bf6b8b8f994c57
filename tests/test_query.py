"""What a question means (assistant/query.py): pure functions, no model, no index."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from assistant.answer.types import official_section
from assistant.query import agencies_in, asked_agencies, classify, detect_slot, is_follow_up, search_text, split_parts, understand
from assistant.text import fold


@pytest.mark.parametrize("question, intent, role", [
    ("Ai chủ trì hỗ trợ nạn nhân?", "who", "lead"),
    ("ai lo ho tro nan nhan", "who", "lead"),
    ("who leads victim support?", "who", "lead"),
    ("Which department is the focal point for receiving victims who return?", "who", "lead"),
    ("Công an tỉnh phối hợp với sở nào để tuyên truyền trong trường học?", "who", "coordinating"),
    ("Sở Y tế phải làm gì?", "tasks_of", "lead"),
    ("so y te phai lam gi trong ke hoach 2026", "tasks_of", "lead"),
    ("What must the health department do?", "tasks_of", "lead"),
    ("Bộ đội Biên phòng có nhiệm vụ gì?", "tasks_of", "lead"),
    ("What are the border guards tasked with?", "tasks_of", "lead"),
    ("Kế hoạch 2026-2030 đặt mục tiêu gì?", "list", "lead"),
    ("những hình thức tuyên truyền nào được sử dụng?", "list", "lead"),
    ("What are the specific objectives of the Quang Ninh plan?", "list", "lead"),
    ("cơ quan chủ trì hỗ trợ nạn nhân đã thay đổi thế nào giữa các kế hoạch?", "compare", "lead"),
    ("what changed between the 2024 and 2026 plans on victim support?", "compare", "lead"),
    ("Ai ký kế hoạch 22/KH-BCĐ?", "particular", "lead"),
    ("Kế hoạch 22/KH-BCĐ ban hành ngày nào?", "particular", "lead"),
    ("Tỷ lệ điều tra khám phá án mua bán người đạt bao nhiêu?", "fact", "lead"),
    ("Ai là Giám đốc Công an tỉnh Quảng Ninh năm 2011?", "fact", "lead"),
    # "bộ nào": which ministry; a relative "who" after a noun asks for nobody
    ("Bộ nào hướng dẫn cơ sở bảo trợ xã hội?", "who", "lead"),
    ("bo nao quan ly hoat dong du lich de chong mua ban nguoi", "who", "lead"),
    ("Does someone who suspects trafficking have to go to the police?", "fact", "lead"),
    ("Can victims who return get free legal aid?", "fact", "lead"),
])
def test_each_kind_of_question_is_recognised_in_every_language(question, intent, role):
    assert classify(question) == (intent, role)


@pytest.mark.parametrize("question, slot", [
    ("Điều 150 quy định hình phạt thế nào?", "penalty"),
    ("What is the prison sentence for trafficking a child?", "penalty"),
    ("Kinh phí thực hiện là bao nhiêu tỷ đồng?", "money"),
    ("Kế hoạch căn cứ luật nào?", "law"),
    ("Luật có hiệu lực từ ngày nào?", "day"),
    ("When does the peak campaign end?", "date"),
    ("Tỷ lệ người dân hiểu biết đạt bao nhiêu phần trăm?", "percent"),
    ("What share of cases must be prosecuted each year?", "percent"),
    ("BR-VT quy định hạn chót gửi báo cáo 6 tháng là ngày nào?", "day"),
    ("By what date must units send their yearly report?", "day"),
    ("Báo cáo gửi về Ban Chỉ đạo qua đầu mối nào?", "channel"),
    ("How many victims were supported?", "number"),
    ("Kinh phí lấy từ nguồn nào?", None),
])
def test_the_slot_is_what_a_right_answer_cannot_lack(question, slot):
    assert detect_slot(fold(question)) == slot


def test_agencies_are_found_with_diacritics_without_them_and_in_english():
    assert agencies_in("Sở Y tế phải làm gì?") == ["Sở Y tế"]
    assert agencies_in("so y te phai lam gi") == ["Sở Y tế"]
    assert agencies_in("What must the health department do?") == ["Sở Y tế"]
    assert agencies_in("what do the border guards do") == ["Bộ Chỉ huy Bộ đội Biên phòng tỉnh"]
    # the longest name wins: "Sở Lao động - Thương binh và Xã hội" is not "Sở Lao động"
    assert agencies_in("Sở Lao động - Thương binh và Xã hội làm gì?") == ["Sở Lao động - Thương binh và Xã hội"]
    assert agencies_in("Ai chủ trì hỗ trợ nạn nhân?") == []


def test_a_compound_question_is_split_and_later_parts_keep_the_document_named_first():
    parts = split_parts("Kế hoạch 22/KH-BCĐ căn cứ luật nào, ban hành ngày nào?")
    assert len(parts) == 2
    assert parts[0].startswith("Kế hoạch 22/KH-BCĐ căn cứ luật nào")
    assert "ban hành ngày nào" in parts[1] and "22/KH-BCĐ" in parts[1]
    three = split_parts("Ai chủ trì hỗ trợ nạn nhân, ai phối hợp và kinh phí lấy từ đâu?")
    assert len(three) == 3


@pytest.mark.parametrize("question", [
    "Sở Y tế và Công an tỉnh làm gì?",  # one question about two agencies
    "Ai chủ trì, phối hợp hỗ trợ nạn nhân?",
    "Các hình thức tuyên truyền, vận động nào được dùng?",
    # words that fold to an asking word without their marks: "đầu thú" (not "đâu"), "máy" (not "mấy")
    "Ai thực hiện việc truy bắt, vận động đầu thú các đối tượng truy nã?",
    "Ai quản lý máy chủ, thiết bị viễn thông phục vụ phòng chống mua bán người?",
])
def test_a_list_inside_one_question_is_not_split(question):
    assert split_parts(question) == ()


@dataclass
class _Turn:
    question: str
    resolved_question: str
    intent: str
    language: str = "vi"


def _asked(question: str, intent: str) -> _Turn:
    """An earlier turn asked as written."""
    return _Turn(question, question, intent)


def test_a_follow_up_keeps_the_topic_takes_the_new_scope_and_says_how_it_was_understood():
    first = _asked("Ai chủ trì hỗ trợ nạn nhân?", "who_leads")
    query = understand("Còn Quảng Ninh thì sao?", [first], ["Quảng Ninh", "Ninh Bình"])
    assert query.followup and query.intent == "who"
    assert "hỗ trợ nạn nhân" in query.text and query.scope.provinces == ("Quảng Ninh",)
    assert query.understood() == "Ai chủ trì hỗ trợ nạn nhân — Quảng Ninh"
    english = understand("and in Quang Ninh?", [first], ["Quảng Ninh", "Ninh Bình"])
    assert english.followup and english.scope.provinces == ("Quảng Ninh",) and english.intent == "who"


def test_a_question_without_history_is_not_a_follow_up():
    query = understand("Còn Quảng Ninh thì sao?", [], ["Quảng Ninh"])
    assert not query.followup


@pytest.mark.parametrize("section, language, expected", [
    ("II › 4 › -3", "vi", "mục II.4, gạch đầu dòng 3"),
    ("II › 4 › -3", "en", "section II.4, bullet 3"),
    ("III › 2 › 2.1 › +6", "vi", "mục III.2.2.1, ý 6"),
    ("II › 6 › b", "vi", "mục II.6.b"),
    ("Chương II › Điều 150 › 2 › đ", "vi", "điểm đ khoản 2 Điều 150"),
    ("Chương II › Điều 150 › 2 › đ", "en", "Article 150(2)(đ)"),
    ("Điều 3", "vi", "Điều 3"),
    ("", "vi", ""),
])
def test_sections_are_named_the_way_officials_cite_them(section, language, expected):
    assert official_section(section, language) == expected


@pytest.mark.parametrize("first, intent, follow, expected_intent, role, must_contain, must_not_contain", [
    ("Ai chủ trì hỗ trợ nạn nhân ở Ninh Bình năm 2024?", "who_leads", "Còn phối hợp thì sao?", "who", "coordinating",
     ["phối hợp hỗ trợ nạn nhân", "Ninh Bình", "2024"], ["chủ trì"]),
    ("Ai chủ trì hỗ trợ nạn nhân ở Ninh Bình năm 2024?", "who_leads", "Thế còn kế hoạch 3087/QĐ-UBND?", "who", "lead",
     ["hỗ trợ nạn nhân", "3087/QĐ-UBND"], ["Ninh Bình", "2024"]),
    ("Ai chủ trì hỗ trợ nạn nhân ở Ninh Bình năm 2024?", "who_leads", "What about the 2026-2030 plan?", "who", "lead",
     ["hỗ trợ nạn nhân", "2026-2030"], ["2024"]),
    ("Kế hoạch 22/KH-BCĐ ban hành ngày nào?", "meta", "Ai ký?", "particular", "lead", ["ký", "22/KH-BCĐ"], []),
    ("Sở Y tế phải làm gì trong kế hoạch 2026-2030?", "tasks_of", "Còn Công an tỉnh?", "tasks_of", "lead",
     ["Công an tỉnh", "2026-2030"], ["Sở Y tế"]),
    ("Sở Y tế phải làm gì trong kế hoạch 2026-2030?", "tasks_of", "and the police?", "tasks_of", "lead",
     ["Công an tỉnh"], ["Sở Y tế"]),
    # across languages: the numbered part in the other language, what the old one was about left behind
    ("Ai chủ trì Đề án 1 về thông tin, tuyên truyền trong kế hoạch 2011-2015 của Quảng Ninh?", "who_leads",
     "And Project 2?", "who", "lead", ["Đề án 2", "Quảng Ninh"], ["Đề án 1", "tuyên truyền"]),
    ("Which body leads Article 150 cases under the penal code?", "who_leads", "Còn Điều 151?", "who", "lead",
     ["Article 151"], ["150"]),
    # a role asked of an English question keeps it whole, in its own words
    ("In Ninh Bình's 2026-2030 plan, which department is in charge of supervising labour-export firms?", "who_leads",
     "Thế cơ quan phối hợp việc này là ai?", "who", "coordinating", ["coordinates supervising labour-export firms"],
     ["là ai"]),
    # a pointer asked in the other language: the question put in the previous one's language, whole
    ("What's the national anti-trafficking hotline number mentioned in Ninh Binh's 2026-2030 plan?", "fact",
     "cái đó giao cho ai?", "who", "lead", ["Who is in charge of the national anti-trafficking hotline"], ["cái đó"]),
    ("Ai chủ trì hỗ trợ nạn nhân ở Ninh Bình 2026?", "who_leads", "and who helps?", "who", "coordinating",
     ["Ai phối hợp hỗ trợ nạn nhân"], ["helps", "chủ trì"]),
    # a topic of its own: the previous place kept, not the previous topic; "the same ministry?" still asks who
    ("Which ministry steers the state legal aid centres under the 2011 law?", "who_leads",
     "What about supervising marriage brokers and adoption services, is that the same ministry?", "who", "lead",
     ["marriage brokers"], ["legal aid"]),
    ("Ai chủ trì thực hành quyền công tố đối với các vụ án mua bán người ở Ninh Bình 2026-2030?", "who_leads",
     "Còn việc xét xử các vụ án đó thì cơ quan nào chủ trì?", "who", "lead", ["xét xử", "Ninh Bình"], ["công tố"]),
    # a longer follow-up that opens with a cue
    ("Sở Tư pháp Quảng Ninh được giao những nhiệm vụ gì trong kế hoạch 2011–2015?", "tasks_of",
     "What about the justice department in the Ba Ria - Vung Tau ACTIP plan?", "tasks_of", "lead",
     ["Sở Tư pháp", "Ba Ria - Vung Tau"], ["Quảng Ninh"]),
])
def test_a_follow_up_changes_one_thing_of_the_previous_question(first, intent, follow, expected_intent, role,
                                                                 must_contain, must_not_contain):
    turn = _Turn(first, first, intent)
    query = understand(follow, [turn], ["Quảng Ninh", "Ninh Bình", "Bà Rịa - Vũng Tàu"])
    assert query.followup and query.intent == expected_intent and query.role == role, query
    for text in must_contain:
        assert text in query.text, (text, query.text)
    for text in must_not_contain:
        assert text not in query.text, (text, query.text)
    assert query.understood().split(" ")[0] in query.text  # shown as understood, without its scope words


@pytest.mark.parametrize("question", [
    "Ai chủ trì công tác tuyên truyền phòng chống mua bán người trong trường học?",
    "Kế hoạch 2026-2030 đặt mục tiêu gì về hỗ trợ nạn nhân?",
])
def test_a_new_question_with_its_own_topic_is_not_taken_for_a_follow_up(question):
    turn = _asked("Ai chủ trì hỗ trợ nạn nhân?", "who_leads")
    assert not understand(question, [turn], ["Ninh Bình"]).followup


@pytest.mark.parametrize("question, unit", [
    ("Phòng Lao động tiếp nhận nạn nhân trong bao nhiêu ngày?", "ngay"),
    ("How many days does the district have?", "days"),
    ("Tỷ lệ bao nhiêu phần trăm?", "phan"),
    ("Ai chủ trì?", None),
])
def test_the_unit_of_the_figure_asked_for_is_kept(question, unit):
    from assistant.query import asked_unit

    assert asked_unit(question) == unit


def test_a_fine_asks_for_an_amount_of_money_not_a_prison_term():
    assert detect_slot(fold("phạt tiền tội mua bán người là bao nhiêu")) == "money"
    assert detect_slot(fold("What fine applies to trafficking?")) == "money"


def test_english_glossary_terms_stay_separate_words():
    from assistant.glossary import glossary_terms

    terms = glossary_terms("Who leads Project 1 (information and communication)?")
    assert any("thông tin" in t.lower() for t in terms) and "đề án" in terms
    assert "đề án thông tin" not in " | ".join(terms).lower()  # no pair across two terms


# --- this session's mechanisms -----------------------------------------------------------------
def test_the_issuer_of_the_plan_is_not_the_agency_asked_about():
    assert asked_agencies("Kế hoạch 2026–2030 của UBND tỉnh Ninh Bình giao Sở Y tế những việc gì?") == ["Sở Y tế"]
    assert asked_agencies("Nhiệm vụ của Hội Liên hiệp Phụ nữ tỉnh là gì?") == ["Hội Liên hiệp Phụ nữ tỉnh"]
    assert len(asked_agencies("VKSND và TAND tỉnh thực hiện những nhiệm vụ gì?")) == 2


@pytest.mark.parametrize("question", [
    "What role does the Department of Foreign Affairs play under the ACTIP plan?",
    "Sở Tư pháp phụ trách những mảng nào?",
    "How is the provincial Department of Health involved in the 2026-2030 plan?",
    "where does the Women's Union come in?",
])
def test_any_question_about_what_a_named_agency_does_is_tasks_of(question):
    assert understand(question).intent == "tasks_of"


@pytest.mark.parametrize("question", [
    "Trách nhiệm của người sử dụng ma túy là phải chấp hành việc quản lý của Ủy ban nhân dân cấp xã",
    "Trach nhiem cua nguoi su dung ma tuy doi voi UBND xa la gi?",
    "What are the responsibilities of a victim towards the provincial police?",
    "What are the tasks of an NGO working with the Women's Union?",
])
def test_the_duties_of_someone_else_are_no_tasks_of_the_agency_named_later(question):
    # the duties asked are of the words after "của / of"; the agency is only their counterpart (ALQAC, Luật 73/2021 Điều 24)
    assert understand(question).intent != "tasks_of"


@pytest.mark.parametrize("question", [
    "Trách nhiệm của Chủ tịch UBND cấp xã là gì?",
    "What is the responsibility of the Chairman of the commune People's Committee?",
    "What are the duties of the provincial police?",
    "Nhiệm vụ cụ thể của Công an tỉnh là gì?",
])
def test_the_duties_of_a_named_agency_or_its_head_are_tasks_of(question):
    assert understand(question).intent == "tasks_of"


def test_words_inside_an_agency_name_do_not_make_a_tasks_question():
    # "Ban Chỉ đạo" holds "chỉ đạo", which is not the question's verb
    assert understand("Số điện thoại của cơ quan thường trực Ban Chỉ đạo 138 tỉnh là gì?").intent != "tasks_of"


def test_and_inside_an_english_name_does_not_split_a_question_but_a_second_question_does():
    assert split_parts("What is the provincial labour and social affairs department expected to do?") == ()
    assert len(split_parts("Who signed plan 22/KH-BCĐ and when was it issued?")) == 2


def test_a_later_part_keeps_the_plan_years_of_the_question():
    parts = split_parts("Kinh phí thực hiện kế hoạch 2026-2030 lấy từ đâu và ai tổng hợp báo cáo?")
    assert len(parts) == 2 and "2026-2030" in parts[1]


@pytest.mark.parametrize("question, slot", [
    ("Giám đốc Công an tỉnh ký tờ trình tên là gì?", "person"),
    ("How much central government funding did Quang Ninh receive?", "money"),
    ("so duong day nong cua ca tinh la so may", "phone"),
    ("Kế hoạch thực hiện Chương trình 2021-2025 là kế hoạch số bao nhiêu?", "code"),
    ("What is the hotline number?", "phone"),
    ("câu lạc bộ dành cho thanh thiếu niên từ mấy tuổi?", "age"),
    ("What age group do the clubs target?", "age"),
    ("How many clubs must be set up?", "number"),
    ("Through which channels or formats does the law say awareness-raising can be delivered?", None),
    ("Through which office do districts send their reports?", "channel"),
    ("Các huyện gửi báo cáo về cơ quan nào?", "recipient"),
    ("What is the hotline number for reporting trafficking cases?", "phone"),
    ("so dien thoai cong an tinh de gui bao cao", "phone"),
    ("Who is supposed to set up and keep running a hotline for tip-offs?", "agency"),  # a body, not the number
    ("duong day nong dung de lam gi", None),
    ("Which telecom operators does the plan name?", "organisation"),
    ("han chot van hanh co so du lieu nan nhan bi mua ban la khi nao", "day"),  # "bị" of "bị mua bán" sets no case
    ("Khi nào một người bị coi là nạn nhân?", None),  # but this asks in which case
    ("duoc cap bao nhieu kinh phi", "money"),
    ("What is the amount of the one-off initial hardship allowance?", "money"),  # a sum asked by its noun
    ("What does the financial support for returning victims include?", None),  # what it is made of, not its sum
])
def test_slots_asked_in_other_word_orders(question, slot):
    assert understand(question).slot == slot


@pytest.mark.parametrize("text, slot, stated", [
    ("dành cho thanh thiếu niên từ 12 tuổi đến 30 tuổi.", "number", False),  # an age is not a count
    ("dành cho thanh thiếu niên từ 12 tuổi đến 30 tuổi.", "age", True),
    ("giai đoạn 2026 – 2030", "number", False),  # nor a period
    ("Số: 22 /KH-BCĐ", "number", False),  # nor a document's number …
    ("Số: 22 /KH-BCĐ", "code", True),  # … which is what "số mấy" asks
    ("1. Tổ chức tuyên truyền", "number", False),  # nor a list's numbering
    ("ít nhất 05 báo cáo viên/huyện", "number", True),
    ("đạt trên 90% tổng số", "number", True),
])
def test_a_figure_is_a_quantity_of_the_kind_asked(text, slot, stated):
    from assistant.answer.refusal import states

    assert states(slot, text) is stated


@pytest.mark.parametrize("question, kind", [
    ("so duong day nong cua ca tinh ninh binh la so may", None),  # a hotline's number, not the plan's
    ("kế hoạch 22 mang số mấy?", "number"),
    ("tờ trình của Giám đốc Công an tỉnh đề nghị phê duyệt kế hoạch số mấy?", "proposer"),
    ("When was the Ninh Binh plan No. 22 dated?", "date"),
])
def test_a_particular_is_of_the_document_not_of_what_it_mentions(question, kind):
    from assistant.metadata import meta_kind

    assert meta_kind(question) == kind


def test_a_follow_up_with_a_topic_of_its_own_keeps_only_the_scope():
    previous = _asked("Ai chủ trì hỗ trợ nạn nhân ở Ninh Bình năm 2024?", "who_leads")
    query = understand("Còn trợ giúp pháp lý cho nạn nhân thì bên nào lo?", [previous])
    assert query.followup and "hỗ trợ nạn nhân ở" not in query.text
    assert "Ninh Bình" in query.text and "2024" in query.text


def test_a_follow_up_naming_another_article_or_project_puts_it_in_place_of_the_previous_one():
    previous = _asked("Điều 150 quy định hình phạt tù cơ bản là bao nhiêu năm?", "fact")
    query = understand("Còn Điều 151 thì sao?", [previous])
    assert query.followup and query.article == "151" and "150" not in query.text

    project = _asked("Đề án 1 do sở nào chủ trì?", "who_leads")
    query = understand("Thế còn Đề án 3?", [project])
    assert "Đề án 3" in query.text and "Đề án 1" not in query.text and query.intent == "who"


def test_a_whole_new_question_after_another_is_not_taken_for_a_follow_up():
    # Its words ("hỗ trợ", "nạn nhân") are also words of agency names; only agencies it names are set aside.
    previous = _asked("Tổng đài 111 tiếp nhận thông tin gì?", "fact")
    assert not is_follow_up("Ai chủ trì hỗ trợ nạn nhân?")
    query = understand("Ai chủ trì hỗ trợ nạn nhân?", [previous])
    assert not query.followup and query.text == "Ai chủ trì hỗ trợ nạn nhân?"
    assert is_follow_up("And what about the border guard in Ninh Binh's 2024 plan?")


@pytest.mark.parametrize("question", ["Có phải Sở Y tế chủ trì hỗ trợ nạn nhân trong kế hoạch 2026-2030 không?",
                                      "Is the provincial police in charge of the hotline?",
                                      "Does the health department lead victim support in 2026?"])
def test_a_yes_no_question_about_an_agencys_role_is_answered_by_who_has_it(question):
    assert understand(question).intent == "who"


@pytest.mark.parametrize("typed, searched", [
    ("luat pcmbn nam nao", "luat phòng, chống mua bán người nam nao"),
    ("QĐ 3087 và KH 2026-2030", "quyết định 3087 và kế hoạch 2026-2030"),
    ("Kế hoạch 22/KH-BCĐ và Quyết định 193/QĐ-TTg", "Kế hoạch 22/KH-BCĐ và Quyết định 193/QĐ-TTg"),  # numbers stay
    ("công tác PC MBN của BCĐ 138", "công tác phòng, chống mua bán người của Ban Chỉ đạo 138"),
])
def test_abbreviations_officials_type_are_spelled_out_for_the_search(typed, searched):
    from assistant.glossary import expand_abbreviations

    assert expand_abbreviations(typed) == searched


def test_a_question_without_diacritics_is_restored_before_its_abbreviations_are_spelled_out():
    table = {"1": {"luat": "luật", "nam": "năm", "nao": "nào"}, "2": {}, "n2": {}}
    searched = search_text("luat pcmbn nam nao", table)
    assert searched.dense_text == "luật phòng, chống mua bán người năm nào"


def test_a_topic_put_first_is_asked_of_in_each_part():
    parts = split_parts("quản lý xuất khẩu lao động: Quảng Ninh 2011 giao ai, Ninh Bình 2026 giao ai?")
    assert len(parts) == 2 and all(p.startswith("quản lý xuất khẩu lao động:") for p in parts)
    assert "Ninh Bình 2026" in parts[1]


@pytest.mark.parametrize("question, formal", [
    ("Kế hoạch lấy tiền ở đâu?", "kinh phí"),
    ("nha mang duoc de nghi lam gi", "doanh nghiệp viễn thông"),
    ("Ai quản lý xuất khẩu lao động?", "đưa người lao động đi làm việc ở nước ngoài"),
    ("Quảng Ninh ưu tiên hợp tác với ai?", ""),  # "ưu tiên" is not "tiền": tones are kept when typed
])
def test_everyday_words_bring_the_documents_words_for_them(question, formal):
    from assistant.glossary import formal_words

    assert formal_words(question) == formal


@pytest.mark.parametrize("question, term", [
    ("What tech tools does the plan want for tracing trafficking online?", "truy vết"),
    ("Which returnees from scam centres should screening focus on?", "trung tâm lừa đảo trực tuyến"),
    ("Are mobile courts used to try trafficking cases?", "xét xử lưu động"),
])
def test_a_partner_s_own_english_words_reach_the_documents_terms(question, term):
    from assistant.glossary import glossary_terms

    assert any(term in t for t in glossary_terms(question)), glossary_terms(question)


def test_want_is_not_wanted_by_the_police():
    from assistant.glossary import glossary_terms

    assert not any("truy nã" in t for t in glossary_terms("How many propagandists did Quang Ninh want in every commune?"))


@pytest.mark.parametrize("question, slot", [
    # a ranking asks figures to rank by, which naming a place does not give
    ("Which district of Ba Ria - Vung Tau has the most trafficking cases?", "ranking"),
    ("Which Lam Dong districts are flagged as hotspots?", "place"),
    ("huyện nào có nhiều vụ mua bán người nhất?", "ranking"),
])
def test_a_named_place_is_asked_as_a_place(question, slot):
    assert understand(question).slot == slot


def test_a_number_asked_of_a_hotline_is_not_a_department_asked():
    query = understand("Số điện thoại đường dây nóng mà các huyện phải duy trì là số nào?")
    assert query.intent != "who" and query.slot == "phone"  # a number to dial


def test_the_basic_frame_of_a_penalty_is_asked_as_a_penalty():
    assert understand("còn điều 150 thì khung cơ bản bao nhiêu năm").slot == "penalty"
    assert understand("con dieu 150 thi khung co ban bao nhieu nam").slot == "penalty"


def test_a_condition_put_first_belongs_to_every_part_not_a_part_of_its_own():
    assert split_parts("If a trafficking offence against an adult is carried out by an organised group, what prison "
                       "range does Article 150 set?") == ()
    parts = split_parts("Nếu nạn nhân dưới 16 tuổi, khung cơ bản là bao nhiêu năm tù, và phạt tiền tối đa bao nhiêu?")
    assert len(parts) == 2 and all(p.startswith("Nếu nạn nhân dưới 16 tuổi") for p in parts), parts
    assert len(split_parts("Khi nào luật có hiệu lực, ai ký?")) == 2  # "khi nào" asks when: no condition


def test_a_later_part_that_points_back_carries_what_it_points_to():
    parts = split_parts("What does the commune do once a victim reports, and how long does that take?")
    assert len(parts) == 2 and "commune" in parts[1], parts
    parts = split_parts("ke hoach 2024 do ai ban hanh, ke hoach 2026 do ai ban hanh?")
    assert len(parts) == 2 and "2024" not in parts[1], parts  # "do ai" is "by whom", not a pointer


@pytest.mark.parametrize("question", ["How long do the police have to reply to the labour office?",
                                      "Công an cùng cấp phải trả lời trong bao lâu?"])
def test_a_time_limit_asked_of_an_agency_is_not_its_task_list(question):
    assert classify(question)[0] != "tasks_of"
    assert understand(question).slot == "date"


@pytest.mark.parametrize("question", [
    "What does the 2024 Ninh Binh plan expect of the provincial Border Guard Command?",
    "What must district People's Committees in Ba Ria–Vung Tau direct under the ACTIP plan?",
    "What is the Department of Health required to do under the 2026 plan?",
])
def test_what_a_plan_expects_or_requires_of_an_agency_asks_its_tasks(question):
    assert classify(question) == ("tasks_of", "lead")
    assert understand(question).slot != "place"  # "what must district …" asks no district


def test_and_inside_a_noun_phrase_does_not_split_an_english_question():
    assert split_parts("What rights and obligations does Article 6 give a trafficking victim?") == ()
    assert split_parts("When was the plan issued and who signed it?") == ("When was the plan issued?", "who signed it?")
    assert understand("Mức phạt hành chính đối với hành vi kỳ thị nạn nhân là bao nhiêu tiền?").slot == "money"


@pytest.mark.parametrize("question", [
    "Các huyện gửi báo cáo kết quả về đâu?",
    "so y te bao cao len ai",
    "To whom do the district committees send their reports?",
    "Who do the departments report to?",
])
def test_where_a_report_goes_asks_its_recipient_not_who_makes_it(question):
    assert classify(question) == ("fact", "lead")
    assert understand(question).slot == "recipient"


@pytest.mark.parametrize("question", ["Ai báo cáo kết quả thực hiện kế hoạch?", "Who reports to the Ministry of Public Security?"])
def test_who_makes_a_report_is_still_a_who_question(question):
    assert classify(question)[0] == "who"


@pytest.mark.parametrize("question", [
    "What does the Quang Ninh decision ask of the provincial Women's Union?",
    "What does the ACTIP plan want from the Department of Foreign Affairs?",
])
def test_what_a_plan_asks_of_an_agency_asks_its_tasks(question):
    assert classify(question) == ("tasks_of", "lead")


@pytest.mark.parametrize("question", [
    "What is the name of the provincial police director in Quang Ninh?",
    "Give me the name of the director of the Ninh Binh health department.",
])
def test_the_name_of_an_agency_s_head_asks_a_person_not_the_agency_s_tasks(question):
    assert classify(question) == ("fact", "lead")
    assert understand(question).slot == "person"


def test_prosecution_as_work_is_not_the_procuracy():
    assert agencies_in("What targets are set for investigation, prosecution and trials in 2024?") == []
    assert agencies_in("What must the prosecutor's office do?") == ["Viện kiểm sát nhân dân tỉnh"]


@pytest.mark.parametrize("question, slot", [
    ("What sanctions apply to a commune that hides a trafficking case?", "penalty"),
    ("Hành vi kỳ thị nạn nhân bị xử phạt thế nào?", "penalty"),
    ("Kinh phí được sử dụng theo cơ chế tài chính nào?", None),
])
def test_sanctions_are_asked_as_penalties_and_a_financial_mechanism_is_not(question, slot):
    assert understand(question).slot == slot


def test_an_aside_before_an_english_question_s_verb_does_not_split_it():
    assert split_parts("Which agencies, by name, does the Quang Ninh decision put in charge of Project 2?") == ()
    assert split_parts("Which districts, in total, are the plan's priority areas?") == ()
    assert split_parts("Who signed the decision, and on whose proposal was it issued?")[1].startswith("on whose proposal")


def test_the_law_s_whoever_asks_nothing_but_a_question_after_it_still_splits():
    question = "Người nào lừa gạt đưa người ra nước ngoài thì bị phạt tù bao lâu, và còn bị phạt tiền bao nhiêu?"
    # (the case before "thì" is the case of the second part too)
    assert split_parts(question) == ("Người nào lừa gạt đưa người ra nước ngoài thì bị phạt tù bao lâu?",
                                     "Người nào lừa gạt đưa người ra nước ngoài thì bị phạt tiền bao nhiêu?")
    assert len(split_parts("nguoi nao chua chap nguoi bi mua ban, thi bi phat the nao?")) == 0
    assert len(split_parts("Người nào ký kế hoạch, ngày nào ban hành?")) == 2  # no "thì": a question


@pytest.mark.parametrize("question", ["Nghị định nào của Chính phủ hướng dẫn chế độ hỗ trợ nạn nhân?",
                                      "Bộ Công an thực hiện theo luật nào?"])
def test_which_law_an_agency_acts_under_asks_a_law_not_its_tasks(question):
    assert classify(question)[0] != "tasks_of"
    assert understand(question).slot in ("law", "decree")  # ("nghị định nào": a decree by its number, a law's kind)


@pytest.mark.parametrize("first, intent, follow_up, asked, left_out", [
    ("Who leads victim support in Quang Ninh's 2011-2015 decision?", "who_leads", "And awareness raising?",
     "Who is in charge of awareness raising", "victim support"),
    ("Kế hoạch 2026-2030 của Ninh Bình giao ai chủ trì hỗ trợ nạn nhân?", "who_leads", "Còn công tác tuyên truyền thì sao?",
     "Ai chủ trì công tác tuyên truyền", "hỗ trợ nạn nhân"),
    ("What is the target rate for solving trafficking reports in the Lam Dong 2024 article?", "fact", "And the trial rate?",
     "What is the trial rate", "reports"),
])
def test_a_follow_up_with_a_topic_of_its_own_asks_the_old_question_of_the_new_topic(first, intent, follow_up, asked,
                                                                                     left_out):
    query = understand(follow_up, [_Turn(first, first, intent)], ["Quảng Ninh", "Ninh Bình", "Lâm Đồng"])
    assert query.followup and query.text.startswith(asked), query.text
    assert left_out not in query.text, query.text  # the old topic would outweigh the new one
    assert query.scope.provinces, query.text  # the old place and document stay


@pytest.mark.parametrize("first, follow_up, kept", [
    ("How many victims put Article 150 trafficking in its top bracket?", "And with two to five victims?", "Article 150"),
    ("Cán bộ tuyên truyền viên ở mỗi xã của Quảng Ninh năm 2013 đạt bao nhiêu?", "Còn cấp huyện?", "tuyên truyền viên"),
])
def test_a_condition_or_a_level_narrows_the_old_topic_instead_of_replacing_it(first, follow_up, kept):
    query = understand(follow_up, [_Turn(first, first, "fact")], ["Quảng Ninh"])
    assert kept in query.text, query.text


@pytest.mark.parametrize("question, intent", [
    ("How many trafficked women were brought home in 2023?", "fact"),
    ("How many foreign victims did the province receive?", "fact"),
    ("How many main phases does the plan have?", "list"),
    ("Chương trình có bao nhiêu đề án?", "list"),
])
def test_a_figure_of_people_after_a_qualifying_word_is_no_count_of_items(question, intent):
    assert classify(question)[0] == intent


@pytest.mark.parametrize("question, intent", [
    ("Can the district make public the list of trafficking survivors in each village?", "fact"),
    ("Có được đưa danh sách nạn nhân lên loa phát thanh xã không?", "fact"),
    ("Can you list the rights of victims?", "list"),
    ("Is it allowed to publish which forms of support a victim received?", "list"),
])
def test_whether_something_may_be_done_is_a_yes_or_no_question_not_a_list(question, intent):
    # ("the list of …" is what would be done, not what is asked; "can you list" and "which forms" ask for items)
    assert classify(question)[0] == intent


@pytest.mark.parametrize("question, intent", [
    # "những … nào" around a long noun with a comma in it ("phòng, chống mua bán người") still asks for its items
    ("Luật 2011 đặt ra những nguyên tắc phòng, chống mua bán người nào?", "list"),
    ("Kế hoạch nêu những giải pháp phòng ngừa, ngăn chặn tội phạm nào?", "list"),
])
def test_which_items_asked_around_a_noun_with_a_comma_is_a_list(question, intent):
    assert classify(question)[0] == intent


@pytest.mark.parametrize("question, intent", [
    ("Ai chủ trì hỗ trợ nạn nhân ở Quảng Ninh so với Ninh Bình?", "compare"),
    ("Who leads prevention work in Lam Dong versus Ninh Binh?", "compare"),
    ("Kế hoạch 2026-2030 của Ninh Bình phân công công tác hợp tác quốc tế thế nào?", "who"),
    ("Kế hoạch 2026-2030 phân công như thế nào về hợp tác quốc tế?", "who"),
    ("How are the tasks on international cooperation assigned in the 2026-2030 plan?", "who"),
    ("How is victim support divided up between departments in Ninh Binh?", "who"),
])
def test_two_provinces_set_against_each_other_compare_and_how_work_is_assigned_asks_who(question, intent):
    assert classify(question)[0] == intent


@pytest.mark.parametrize("question", [
    "Khi tiếp nhận nạn nhân là trẻ em bị mua bán trong nước, Phòng Lao động – Thương binh và Xã hội phải xử lý thế nào?",
    "When a child victim trafficked inside Vietnam is received, what must the district labour office do?",
    "Trong trường hợp nạn nhân là người nước ngoài, Bộ Ngoại giao phải làm gì?",
])
def test_a_question_opening_with_its_situation_is_one_question_about_that_situation(question):
    # not every task of the agency it names, not a date ("When …,"), not two parts split at the comma
    query = understand(question)
    assert query.intent == "fact" and query.slot is None and query.parts == (), query
    assert split_parts("When was the law passed, and who signed it?") == ("When was the law passed?", "who signed it?")


@pytest.mark.parametrize("question, parts", [
    ("quyet dinh 3087 quang ninh so may, ngay nao, ai ky",
     ("quyet dinh 3087 quang ninh so may?", "quyet dinh 3087 quang ninh ngay nao?", "quyet dinh 3087 quang ninh ai ky?")),
    ("Kế hoạch ACTIP ban hành ngày nào, ai ký?", ("Kế hoạch ACTIP ban hành ngày nào?", "Kế hoạch ACTIP ban hành ai ký?")),
])
def test_a_later_part_borrows_the_subject_without_the_first_part_s_asking_words(question, parts):
    # ("… so may ngay nao?" asked the number again; "ngày ai ký?" kept half of "ngày nào")
    assert split_parts(question) == parts


def test_a_glossary_entry_s_alternatives_are_terms_of_their_own():
    from assistant.glossary import expand_english, glossary_terms

    terms = glossary_terms("Which targets for handling the cases?")
    assert {"chỉ tiêu", "mục tiêu", "giải quyết", "xử lý"} <= set(terms), terms
    assert not any("|" in t or t == "chỉ tiêu mục tiêu" for t in terms), terms  # no "tiêu_mục" pair made of two
    assert "|" not in expand_english("budget inspection")


@pytest.mark.parametrize("question, slot", [
    ("cho tôi xin email của cơ quan thường trực", "email"),
    ("What's the committee's e-mail?", "email"),
    ("trang thông tin điện tử của Ban Chỉ đạo là gì", "website"),
    ("Which international NGOs does the province work with?", "organisation"),
    ("tỉnh hợp tác với tổ chức phi chính phủ nào", "organisation"),
    ("Luật được thông qua tại kỳ họp thứ mấy?", None),  # "kỳ họp thứ" folds to "hop thu", which is no mailbox
    ("On which exact day was the plan signed?", "day"),
])
def test_contact_details_partners_and_days_are_slots(question, slot):
    assert understand(question, (), ()).slot == slot


def test_a_who_question_about_an_organisation_s_name_is_no_task_record_question():
    query = understand("Ninh Binh cooperates with which international NGOs?", (), ())
    assert query.intent == "fact" and query.slot == "organisation"


@pytest.mark.parametrize("question, slot, intent", [
    ("How often must the districts report?", "frequency", "fact"),
    ("các sở báo cáo vào những kỳ nào?", "frequency", "fact"),  # the periods are one sentence, not a list
    ("bao lâu một lần thì sơ kết?", "frequency", None),
    ("By which year must every commune have a hotline?", "date", None),
])
def test_how_often_and_which_year_are_slots(question, slot, intent):
    query = understand(question, (), ())
    assert query.slot == slot and (intent is None or query.intent == intent), (query.slot, query.intent)


def test_a_compound_typed_without_marks_splits_at_can_cu():
    parts = split_parts("ke hoach 22 ninh binh ban hanh ngay nao, can cu ke hoach nao cua chinh phu")
    assert len(parts) == 2 and parts[1].startswith("can cu"), parts  # "can" is "căn", no English "can"


def test_it_after_a_topic_put_first_points_to_the_topic_not_to_the_first_part():
    parts = split_parts("For the 2024 plan: who leads victim support, and which hotline does it name?")
    assert len(parts) == 2 and "victim support" not in parts[1], parts
    assert parts[1].startswith("For the 2024 plan:")


def test_a_report_sent_back_to_a_body_names_its_recipient():
    from assistant.answer.refusal import states

    assert states("recipient", "Các đơn vị báo cáo (6 tháng, 1 năm) kết quả thực hiện về Ban chỉ đạo 138 tỉnh.")
    assert not states("recipient", "Hỗ trợ nạn nhân trở về Công an xã nơi cư trú.")


@pytest.mark.parametrize("question, intent, slot", [
    ("Kế hoạch lấy địa bàn cấp nào làm trọng tâm?", "fact", "level"),
    ("tiep nhan to giac phai lam tot ngay tu cap nao", "fact", "level"),
    ("At which level are hotlines set up?", None, "level"),
    ("UBND cấp nào chịu trách nhiệm tiếp nhận nạn nhân?", "who", "agency"),  # a level of committee: an agency
    ("Thanh tra về phòng, chống mua bán người do cơ quan nào chủ trì?", "who", "agency"),  # not who issued the plan
])
def test_a_level_of_government_asked_is_no_agency(question, intent, slot):
    query = understand(question, (), ())
    assert query.slot == slot and (intent is None or query.intent == intent), (query.intent, query.slot)


def test_the_distribution_list_is_named_as_officials_name_it():
    assert official_section("Nơi nhận › -2", "vi") == "phần Nơi nhận, gạch đầu dòng 2"
    assert official_section("Nơi nhận", "en") == "the distribution list (Nơi nhận)"


@dataclass
class _Cited:
    section: str


@dataclass
class _AnsweredTurn(_Turn):
    found: bool = True
    citations: tuple = ()


@pytest.mark.parametrize("previous, section, follow_up, carried", [
    # the previous question named its article: a follow-up with a topic of its own is asked of it
    ("Điều 150 phạt tù bao nhiêu năm nếu lừa bán hai người?", "", "Thế còn bị phạt tiền thêm bao nhiêu nữa?", "Điều 150"),
    ("con dieu 151 thi khung co ban bao nhieu nam", "", "And how large a fine may be added?", "dieu 151"),
    # it named none: the article its answer rests on, when it asked a penalty
    ("If a 12-year-old is sold to a brothel, what sentence does the seller face?", "Điều 151 › Khoản 1",
     "What if a criminal ring organised it?", "Điều 151"),
])
def test_a_follow_up_with_a_topic_of_its_own_is_asked_of_the_previous_article(previous, section, follow_up, carried):
    turn = _AnsweredTurn(previous, previous, "fact", citations=(_Cited(section),) if section else ())
    assert carried in understand(follow_up, [turn]).text


def test_a_follow_up_naming_its_own_article_or_after_a_question_not_of_a_penalty_carries_no_other():
    after_abbreviation = _AnsweredTurn("Tội mua bán người dưới 16 tuổi (Đ.151 BLHS), khung cơ bản bao nhiêu năm?",
                                       "Tội mua bán người dưới 16 tuổi (Đ.151 BLHS), khung cơ bản bao nhiêu năm?", "fact",
                                       citations=(_Cited("Điều 151 › Khoản 1"),))
    assert "151" not in understand("con dieu 150 thi khung co ban bao nhieu nam", [after_abbreviation]).text
    support = _AnsweredTurn("Can a victim be paid the fare home?", "Can a victim be paid the fare home?", "fact",
                            citations=(_Cited("Chương IV › Điều 33"),))
    assert "Điều 33" not in understand("What about hospital costs?", [support]).text


_PLANS_PROVINCES = ("Ninh Bình", "Quảng Ninh", "Lâm Đồng", "Bà Rịa - Vũng Tàu")


@pytest.mark.parametrize("question, province", [
    ("QN giao ai lo tuyên truyền?", "Quảng Ninh"),
    ("ke hoach cua NB nam 2024 ai ky", "ninh binh"),  # typed without marks: spelled out without them too
    ("Who signs the LD plan?", "Lâm Đồng"),
])
def test_a_province_written_as_initials_one_indexed_province_has_is_that_province(question, province):
    query = understand(question, (), _PLANS_PROVINCES)
    assert province in query.text and query.scope.provinces, query.text


@pytest.mark.parametrize("question, provinces", [
    ("Sở LĐ-TB&XH làm gì?", _PLANS_PROVINCES),  # the labour department, not Lâm Đồng
    ("QN giao ai lo tuyên truyền?", ("Quảng Ninh", "Quảng Nam", "Ninh Bình")),  # two provinces are QN: none chosen
    ("QN giao ai lo tuyên truyền?", ()),
])
def test_initials_that_are_no_province_or_more_than_one_stay_as_typed(question, provinces):
    assert understand(question, (), provinces).text == question


def test_a_later_part_that_names_its_own_province_borrows_no_plan_or_years_of_the_first():
    parts = split_parts("Hợp tác quốc tế: Quảng Ninh 2011–2015 ưu tiên đối tác nào, còn Bà Rịa - Vũng Tàu nhắc hiệp định "
                        "song phương với những nước nào?")
    assert len(parts) == 2 and "2011" not in parts[1] and "Quảng Ninh" not in parts[1], parts
    parts = split_parts("Kế hoạch 22/KH-BCĐ ban hành ngày nào và ai ký?")
    assert "22/KH-BCĐ" in parts[1], parts  # a part without a place of its own still borrows the document


@pytest.mark.parametrize("question, slot", [
    ("What help should survivors get when they come home?", None),  # "when" sets the case, it asks no time
    ("Which office takes the case when a victim has no papers?", None),
    ("When did the law take effect?", "date"),
    ("Who signed the plan, and when?", "date"),
    ("The plan was issued when?", "date"),
    ("What bracket applies if the victim dies?", "penalty"),
    ("How long could they be jailed for it?", "penalty"),
])
def test_when_asks_a_time_only_where_it_opens_a_question_or_clause(question, slot):
    assert detect_slot(fold(question)) == slot


def test_a_follow_up_that_changes_the_case_asks_what_the_previous_question_asked():
    turn = _AnsweredTurn("If someone sells a 14-year-old across the border, what sentence do they face?",
                         "If someone sells a 14-year-old across the border, what sentence do they face?", "fact",
                         citations=(_Cited("Điều 151 › Khoản 2 › Điểm đ"),))
    for follow_up in ("What if a criminal ring organised the sale?", "Còn nếu bán cho một đường dây có tổ chức?"):
        query = understand(follow_up, [turn])
        assert query.followup and query.slot == "penalty" and "Điều 151" in query.text, query


def test_a_follow_up_that_points_back_keeps_what_it_points_to():
    turn = _AnsweredTurn("Who pays the one-off hardship allowance to a victim back home?",
                         "Who pays the one-off hardship allowance to a victim back home?", "who")
    query = understand("Does every victim coming back qualify for it?", [turn])
    assert "hardship allowance" in query.text, query.text


def test_a_follow_up_that_tells_a_new_age_is_not_held_to_the_previous_article():
    turn = _AnsweredTurn("Bán 5 người trưởng thành thì bị phạt tù bao nhiêu năm?", "Bán 5 người trưởng thành thì bị phạt tù bao nhiêu năm?",
                         "fact", citations=(_Cited("Điều 150 › Khoản 2 › Điểm e"),))
    query = understand("Còn nếu cả 5 người đều dưới 16 tuổi thì sao?", [turn])
    assert query.followup and query.slot == "penalty" and "Điều 150" not in query.text, query


def test_a_topic_put_first_that_only_looks_like_an_asking_word_is_still_the_topic_of_each_part():
    # "Đầu mối" folds to "dau moi", whose "dau" is also "đâu" (where): with its marks it asks nothing
    parts = split_parts("Đầu mối phụ trách tuyên truyền ở Ninh Bình: năm 2024 giao sở nào, còn giai đoạn 2026–2030 giao sở nào?")
    assert len(parts) == 2 and all(p.startswith("Đầu mối phụ trách tuyên truyền") for p in parts), parts


@pytest.mark.parametrize("follow_up", [
    "Còn Công an tỉnh thì phải làm những việc gì?",
    "And what is the provincial police asked to do?",
])
def test_a_follow_up_about_another_agency_is_asked_in_the_previous_question_s_place(follow_up):
    first = _asked("Sở Y tế phải làm gì trong kế hoạch 2026-2030 của Ninh Bình?", "tasks_of")
    query = understand(follow_up, [first], ["Quảng Ninh", "Ninh Bình"])
    assert query.followup and query.scope.provinces == ("Ninh Bình",) and 2026 in query.scope.years, query.text


@pytest.mark.parametrize("question", ["bao lâu thì phải báo cáo một lần?", "bao lau thi cac so phai gui bao cao mot lan"])
def test_how_long_between_two_reports_asks_how_often(question):
    assert understand(question).slot == "frequency"


@pytest.mark.parametrize("question, intent", [
    ("Which Quang Ninh department runs the awareness campaigns in schools?", "who"),
    ("Which two provincial forces lead border patrols?", "who"),
    ("Which tasks does the provincial health department have?", "tasks_of"),
])
def test_which_with_words_before_the_body_asks_who(question, intent):
    assert understand(question).intent == intent


def test_a_short_question_naming_no_plan_is_asked_of_the_plan_the_chat_is_about():
    first = _asked("Quảng Ninh giai đoạn 2011-2015 giao ai chủ trì tuyên truyền?", "who_leads")
    query = understand("kinh phí lấy ở đâu?", [first], ["Quảng Ninh", "Ninh Bình"])
    assert query.followup and query.scope.provinces == ("Quảng Ninh",), query.text
    # not after a question that named no plan, nor when it names its own place
    assert not understand("kinh phí lấy ở đâu?", [_asked("Ai chủ trì tuyên truyền?", "who_leads")], ["Quảng Ninh"]).followup
    own = understand("Ninh Bình lấy kinh phí ở đâu?", [first], ["Quảng Ninh", "Ninh Bình"])
    assert own.scope.provinces == ("Ninh Bình",)


@dataclass
class _Quoted:
    section: str
    doc_id: str
    start: int
    end: int


@pytest.mark.parametrize("follow_up", [
    "Who is assigned to carry that out?",
    "Mỗi đề án đó do cơ quan nào chủ trì?",
    "Ai được giao làm việc đó?",
    "Which agency runs each of those projects?",
])
def test_a_follow_up_pointing_back_is_anchored_on_the_passages_the_previous_answer_quoted(follow_up):
    turn = _AnsweredTurn("Theo Quyết định 3087 của Quảng Ninh, Chương trình gồm những đề án nào?",
                         "Theo Quyết định 3087 của Quảng Ninh, Chương trình gồm những đề án nào?", "list",
                         citations=(_Quoted("III", "qn", 4999, 9382),))
    query = understand(follow_up, [turn], ["Quảng Ninh"])
    assert query.followup and query.anchor == (("qn", 4999, 9382),), query
    assert query.understood().startswith(follow_up.rstrip("?")), query.understood()


@pytest.mark.parametrize("follow_up", [
    "Còn Quảng Ninh thì ai làm việc đó?",  # another place: another passage
    "Công an tỉnh làm gì trong việc đó?",  # an agency of its own
    "Còn phối hợp?",  # points at nothing
])
def test_a_follow_up_that_moves_elsewhere_or_points_at_nothing_is_not_anchored(follow_up):
    turn = _AnsweredTurn("Kế hoạch 2026-2030 của Ninh Bình nói gì về câu lạc bộ di cư an toàn?",
                         "Kế hoạch 2026-2030 của Ninh Bình nói gì về câu lạc bộ di cư an toàn?", "fact",
                         citations=(_Quoted("II › 2", "nb", 9422, 12323),))
    assert understand(follow_up, [turn], ["Quảng Ninh", "Ninh Bình"]).anchor == ()


def test_a_condition_that_has_its_question_already_does_not_swallow_the_next_one():
    parts = split_parts("Khi UBND cấp xã tiếp nhận nạn nhân tự đến khai báo thì phải thông báo cho ai, và bên đó phải "
                        "tiếp nhận nạn nhân trong thời hạn bao lâu?")
    assert len(parts) == 2 and parts[0].endswith("thông báo cho ai?") and "bao lâu" in parts[1], parts
    # a condition before its question is still read as one question
    assert split_parts("Nếu nạn nhân dưới 16 tuổi, thì bị phạt tù bao nhiêu năm?") == ()


@pytest.mark.parametrize("question", [
    "What does the Ninh Binh 2026–2030 plan ask the provincial Department of Health to lead on?",
    "What does the Ba Ria - Vung Tau ACTIP plan ask the provincial Department of Justice to take charge of?",
])
def test_what_a_plan_asks_a_named_agency_to_lead_asks_its_tasks(question):
    assert understand(question).intent == "tasks_of"


@pytest.mark.parametrize("question, project", [
    ("Which department leads Đề án 3 of Quang Ninh's programme?", "3"),
    ("de an 2 cua quyet dinh 3087 do ai chu tri", "2"),
    ("Project No. 1 — who is in charge?", "1"),
    ("Ai chủ trì hỗ trợ nạn nhân?", None),
    ("Đề án 1 và Đề án 3 khác nhau thế nào?", None),  # two projects: none singled out
])
def test_the_one_project_a_question_names_is_read(question, project):
    assert understand(question).project == project


@pytest.mark.parametrize("question", [
    "Is the agency leading victim support the same in Ninh Binh's 2026-2030 plan and Quang Ninh's 2011-2015 decision?",
    "Are the leads for awareness raising in the Quang Ninh decision and the BR-VT ACTIP plan identical?",
    # what is compared after "the same", and the question after what the asker says first
    "Did Quang Ninh (2011–2015) and Ninh Binh (2026–2030) give the same department the lead on supporting victims?",
    "Quick check for our report: do Ninh Binh's 2024 plan and its 2026–2030 plan name the same lead on victim support?",
])
def test_whether_something_is_the_same_in_two_plans_is_a_comparison(question):
    assert classify(question)[0] == "compare"


@pytest.mark.parametrize("question", [
    "Which agency monitors implementation in Quang Ninh's 2011–2015 plan, and is it the same in Ninh Binh's 2026–2030 plan?",
    "Who leads awareness raising in the BR-VT ACTIP plan, and is that the same in Ninh Binh's 2024 plan?",
])
def test_asking_who_first_and_then_whether_it_is_the_same_elsewhere_is_a_who_question_over_both_plans(question):
    # (the records of each plan answer both halves: who, and whether the other plan agrees)
    query = understand(question)
    scope = query.scope
    assert query.intent == "who" and len(scope.years) + len(scope.provinces) + len(scope.unknown_provinces) >= 2, query


@pytest.mark.parametrize("question", [
    "For a victim who returns home by herself, which office covers the travel costs?",
    "For children who were trafficked abroad, what support does the law give?",
])
def test_a_relative_who_before_the_question_does_not_split_it(question):
    assert split_parts(question) == ()


@pytest.mark.parametrize("question", [
    "Which body compiles the statistics on trafficking crimes: the police or the procuracy?",
    "Việc thống kê tội phạm mua bán người do Công an tỉnh hay Viện kiểm sát nhân dân tỉnh làm?",
])
def test_agencies_offered_as_alternatives_are_a_choice(question):
    query = understand(question)
    assert query.choice, query


@pytest.mark.parametrize("question", [
    "How many years could he get?",
    "What term is she facing?",
    "Which range would the ring members face?",
])
def test_the_term_an_offender_faces_asks_a_penalty(question):
    assert detect_slot(fold(question)) == "penalty"


def test_how_long_something_lasts_is_no_penalty():
    assert detect_slot(fold("How long does the support for a victim last?")) != "penalty"


def test_a_supposed_change_to_a_told_case_is_a_follow_up_asked_of_the_case():
    case = ("A gang took four women across the border into Cambodia and sold them to a karaoke owner. "
            "What prison range do they face?")
    turn = _AnsweredTurn(case, case, "fact")
    query = understand("Suppose it turns out that one of them was 14. Would that change anything?", [turn])
    assert query.followup and "Cambodia" in query.text and "14" in query.text, query.text
    assert "Would that change" not in query.text.split("14", 1)[1].split(".")[0], query.text


def test_a_follow_up_naming_another_offence_does_not_keep_the_previous_article():
    turn = _AnsweredTurn("What fine can be added under Article 150?", "What fine can be added under Article 150?", "fact")
    query = understand("Còn với tội mua bán người dưới 16 tuổi thì phạt tiền bao nhiêu?", [turn])
    assert "150" not in query.text, query.text


@pytest.mark.parametrize("follow_up", [
    "Which of them does the Department of Information and Communications lead?",
    "Trong số đó, đề án nào do Sở Thông tin và Truyền thông chủ trì?",
])
def test_picking_among_the_listed_items_by_agency_stays_anchored(follow_up):
    turn = _AnsweredTurn("Quyết định 3087 có những đề án nào?", "Quyết định 3087 có những đề án nào?", "list",
                         citations=(_Quoted("III", "qn", 4999, 9382),))
    query = understand(follow_up, [turn], ["Quảng Ninh"])
    assert query.anchor == (("qn", 4999, 9382),) and query.agencies, query


@pytest.mark.parametrize("question", [
    "Which UNODC or IOM office does the Quang Ninh decision name as a partner?",
    "What UN agency will Ninh Binh work with under its 2026 plan?",
])
def test_a_named_international_partner_asked_for_is_an_organisation(question):
    assert detect_slot(fold(question)) == "organisation"


@pytest.mark.parametrize("question, second", [
    ("Which ministry manages labour export, and which one handles legal aid for victims?", "which ministry handles"),
    ("Which department leads victim support in Ninh Binh, and which one coordinates it?", "which department coordinates"),
])
def test_which_one_in_a_later_part_is_the_first_parts_noun(question, second):
    parts = split_parts(question)
    assert len(parts) == 2 and parts[1].startswith(second), parts


# --- session 21 ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question, asked", [
    ("I'm with an NGO in Quang Ninh. Which agency runs the hotline?", "Which agency runs the hotline (Quang Ninh)?"),
    ("We are planning a training in Lam Dong. What does the 2024 plan target?", "What does the 2024 plan target (Lam Dong)?"),
    ("Tôi là cán bộ tư pháp. Sở Tư pháp phải làm gì?", "Sở Tư pháp phải làm gì?"),
])
def test_who_the_user_says_they_are_is_dropped_and_its_place_kept(question, asked):
    from assistant.query import _without_introduction
    assert _without_introduction(question) == asked


@pytest.mark.parametrize("question", [
    "I'm the social worker on a case where a 14-year-old girl was sold. What penalty applies?",  # the case is the question
    "Our NGO supports returnees in Quang Ninh. What help can they get?",  # "they" points into it
    "My niece was trafficked to China. What can we do?",  # a story, not an introduction
])
def test_an_introduction_that_tells_the_case_or_is_pointed_at_is_kept(question):
    from assistant.query import _without_introduction
    assert _without_introduction(question) == question


@pytest.mark.parametrize("question", [
    "Who leads victim support in Quang Ninh's decision, and is it the same in Ninh Binh's 2024 plan?",
    "Ai chủ trì tuyên truyền trong kế hoạch 22/KH-BCĐ, còn kế hoạch 2026-2030 có giống vậy không?",
])
def test_whether_the_lead_is_the_same_in_another_plan_is_not_split_into_parts(question):
    assert split_parts(question) == ()


def test_a_frame_put_first_is_asked_in_every_part():
    parts = split_parts("For a victim under 16, what is the basic prison range, and how large can the fine be?")
    assert len(parts) == 2 and all(p.startswith("For a victim under 16") for p in parts), parts


def test_it_in_a_later_part_points_at_the_document_not_at_what_was_asked_of_it():
    parts = split_parts("When did the anti-trafficking law come into force, and which body adopted it?")
    assert parts[1].endswith("(the anti-trafficking law)?"), parts


@pytest.mark.parametrize("question, kind", [
    ("What's the number and date of Lam Dong's plan?", "number"),
    ("What number and date does the decision carry?", "number"),
    ("The plan cites a recommendation of the Judicial Committee — what is its number and date?", None),
])
def test_the_number_and_date_of_the_document_itself_are_a_particular(question, kind):
    from assistant.metadata import meta_kind
    assert meta_kind(question) == kind


@pytest.mark.parametrize("question", ["Bán con cho người lạ thì bị xử thế nào?", "ban chau sang trung quoc thi bi xu may nam"])
def test_how_an_offender_is_dealt_with_asks_a_penalty(question):
    assert detect_slot(fold(question)) == "penalty"


@pytest.mark.parametrize("question, agency", [
    ("What is MOLISA on the hook for?", "Bộ Lao động - Thương binh và Xã hội"),
    ("What must the MOH do?", "Bộ Y tế"),
    ("What does the labour department do?", "Sở Lao động - Thương binh và Xã hội"),
])
def test_a_ministry_is_named_by_its_acronym_and_a_department_by_its_own_words(question, agency):
    assert agencies_in(question)[:1] == [agency]


def test_a_second_question_after_a_question_mark_is_a_part_of_its_own_with_its_own_condition():
    parts = split_parts("If someone suspects trafficking, whom can they tell? And once a victim reaches the commune, "
                        "who must the commune inform?")
    assert parts == ("If someone suspects trafficking, whom can they tell?",
                     "once a victim reaches the commune, who must the commune inform?"), parts  # ("And" joins)


@pytest.mark.parametrize("question, parts", [
    ("Is selling a baby always trafficking under the code, or is there an exception?", 0),
    ("Nạn nhân người nước ngoài có được trợ cấp như người Việt không, hay chỉ được hỗ trợ những gì?", 2),
])
def test_or_opens_a_second_question_only_when_it_asks_on_its_own(question, parts):
    assert len(split_parts(question)) == parts


def test_like_a_vietnamese_citizen_asks_for_no_author():
    from assistant.metadata import meta_kind
    assert meta_kind("Nạn nhân người nước ngoài có được hỗ trợ như người Việt không?") is None
    assert meta_kind("Bài báo về kế hoạch của Lâm Đồng do ai viết?") == "author"


# --- session 22 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("question, second", [
    # a verb put first asks as well, after "?" and after ", and"
    ("Is it against the law to reveal a survivor's details? And can she ask for a closed trial?", "can she ask for a closed trial (survivor)?"),
    ("If the victim is under 16, what is the prison term, and can the offender also be fined?",
     "If the victim is under 16, can the offender also be fined?"),
    # a condition that opens a later part is that part's own, not said twice over the first part
    ("What documents are accepted as proof that someone is a victim, and when the police rescue someone, who issues the certificate?",
     "when the police rescue someone, who issues the certificate?"),
    # the word that joins is dropped with its comma; "công an" typed bare keeps its "con"
    ("Which decision does the Ninh Binh plan implement? Also, who signed the plan?", "who signed the plan"),
    ("cong an xac minh trong bao nhieu ngay? vu phuc tap thi toi da bao lau", "vu phuc tap thi toi da bao lau?"),
])
def test_later_parts_of_a_compound_question(question, second):
    parts = split_parts(question)
    assert len(parts) == 2 and parts[1].startswith(second), parts
    assert not parts[0].startswith(("g an", "Also", ",")), parts


def test_a_first_part_typed_bare_keeps_its_first_word():
    assert split_parts("cong an xac minh trong bao nhieu ngay? vu phuc tap thi toi da bao lau")[0].startswith("cong an")


@pytest.mark.parametrize("question, second, carried", [
    # "…, còn … thì sao?" asks the first part's question of another subject
    ("Nguoi gia lam nan nhan de nhan tien ho tro thi bi xu ly the nao, con can bo loi dung chuc vu bao che thi sao?",
     "can bo loi dung chuc vu bao che thi sao", ""),
    ("Nạn nhân là người nước ngoài được hưởng những chế độ hỗ trợ nào? Còn người chưa thành niên đi cùng thì sao?",
     "người chưa thành niên đi cùng thì sao", "được hưởng những chế độ hỗ trợ nào"),
    # "that grant" is the grant the first part named, in the first part's words
    ("Can she get help with vocational training and a one-off cash grant, and which office pays out that grant?",
     "which office pays out that grant", "one-off cash grant"),
    # "If so, …" and "that" after a yes-or-no first part are asked of what it asked
    ("Can a trafficking case be tried behind closed doors? If so, who can ask for that?", "If so, who can ask for that",
     "a trafficking case be tried behind closed doors"),
    ("Can a trafficking trial be held behind closed doors, and who gets to request that?", "who gets to request that",
     "a trafficking trial be held behind closed doors"),
])
def test_a_later_part_is_asked_of_what_the_first_part_named(question, second, carried):
    parts = split_parts(question)
    assert len(parts) == 2 and parts[1].startswith(second) and carried in parts[1], parts


def test_an_aside_in_a_yes_or_no_question_is_no_second_part():
    assert split_parts("Can a trafficker convicted under Article 150, where the victims were adults, get a life sentence?") == ()


@pytest.mark.parametrize("question, slot", [
    ("And when it comes to mutual legal assistance, does any country get priority?", None),  # "when it comes to": about
    ("When it comes to victim support, who pays for shelter?", "agency"),
    ("And when was it issued?", "date"),
])
def test_when_it_comes_to_asks_no_time(question, slot):
    assert understand(question).slot == slot


@pytest.mark.parametrize("question, project", [
    ("Đề án thứ hai của Quảng Ninh do cơ quan nào chủ trì?", "2"),
    ("de an thu ba do ai chu tri", "3"),
    ("Thế còn đề án đầu tiên thì ai chủ trì?", "1"),
    ("Who leads the second project?", "2"),
    ("Đề án 2 do ai chủ trì?", "2"),
])
def test_a_part_named_by_its_rank_is_read_as_its_number(question, project):
    assert understand(question).project == project


def test_a_year_of_the_plan_named_by_rank_is_no_part():
    assert understand("Năm thứ hai của kế hoạch làm gì?").project is None


@pytest.mark.parametrize("question, slot", [
    ("She has no papers. How long do the police get to verify her case?", "date"),
    ("How long could he get for selling two women?", "penalty"),
])
def test_get_to_do_is_a_time_allowed_not_a_sentence(question, slot):
    assert understand(question).slot == slot


@pytest.mark.parametrize("question, intent", [
    ("Nếu Việt Nam và nước liên quan không cùng tham gia điều ước quốc tế thì cơ quan Việt Nam phối hợp giải quyết vụ "
     "việc theo nguyên tắc nào?", "fact"),
    ("Cơ quan nào phối hợp với Công an tỉnh điều tra vụ án?", "who"),
    ("Which agency coordinates the return of victims?", "who"),
])
def test_the_noun_before_which_is_what_is_asked(question, intent):
    assert understand(question).intent == intent


@pytest.mark.parametrize("question, where", [
    ("Which article says that?", True), ("Dieu nao quy dinh hai che do do?", True),
    ("Which section of the plan are those two in? I want to cite it.", True),
    ("And which agencies take part in it?", False), ("What part does the police play?", False),
])
def test_a_follow_up_asking_where_it_is_said(question, where):
    from assistant.answer.provisions import asks_where_said

    assert asks_where_said(question) is where


@pytest.mark.parametrize("question, kept", [
    ("We're pulling together national data — which body keeps the crime statistics?", "which body keeps"),
    ("I'm with IOM and we're planning to support ACTIP rollout in Ba Ria - Vung Tau. Which agency leads?",
     "Which agency leads (Ba Ria - Vung Tau)"),
])
def test_who_asks_is_cut_at_a_full_stop_or_a_dash_before_the_question(question, kept):
    assert understand(question).text.startswith(kept)


# --- session 24 ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question, asked", [
    ("Our border guard trainees keep asking this: if they can't establish whether a rescued person is under 18, how "
     "should they treat them under the ACTIP plan?", "if they can't establish whether"),
    ("Câu hỏi của học viên lớp công an xã: nếu nạn nhân không nhớ tuổi thì xử lý thế nào?", "nếu nạn nhân không nhớ tuổi"),
    ("My colleagues in Quang Ninh want to know: who runs the hotline?", "who runs the hotline (Quang Ninh)"),
])
def test_a_question_others_ask_is_the_words_after_the_colon_their_pronouns_its_own(question, asked):
    from assistant.query import _without_introduction
    assert _without_introduction(question).startswith(asked)


@pytest.mark.parametrize("question, spelled", [
    ("nan nhan ko noi dc tieng Viet thi sao", "nan nhan khong noi duoc tieng Viet thi sao"),
    ("Sở Y tế phải làm j, ntn?", "Sở Y tế phải làm gì, như thế nào?"),
    ("KO and NG stay as typed", "KO and NG stay as typed"),
])
def test_chat_shorthand_is_spelled_out_without_marks_where_none_are_typed(question, spelled):
    from assistant.glossary import expand_shorthand
    assert expand_shorthand(question) == spelled


@pytest.mark.parametrize("question, intent", [
    ("Does the Ninh Binh 2026–2030 programme plan to use any AI or big-data tools to spot trafficking online?", "fact"),
    ("Kế hoạch 2026-2030 có ứng dụng AI không?", "fact"),
    ("AI chủ trì hỗ trợ nạn nhân?", "who"),  # "ai" typed in capitals, opening the question
])
def test_ai_inside_a_question_is_the_acronym_not_who(question, intent):
    assert classify(question)[0] == intent


@pytest.mark.parametrize("question", [
    "Nạn nhân chưa thành niên thuộc hộ nghèo nếu tiếp tục đi học thì được hỗ trợ những gì và trong bao lâu?",
    "What support does a minor victim from a poor family get to stay in school, and for how long?",
])
def test_what_and_for_how_long_is_one_question(question):
    assert split_parts(question) == ()


@pytest.mark.parametrize("question", [
    "Nguoi dan phat hien hanh vi mua ban nguoi thi co the to giac voi nhung co quan nao?",
    "Which authorities can an ordinary citizen report a trafficking case to?",
])
def test_where_a_report_is_made_is_its_recipient_not_who_leads(question):
    query = understand(question)
    assert (query.intent, query.slot) == ("fact", "recipient")


@pytest.mark.parametrize("question", [
    "Tương trợ tư pháp được thực hiện trên cơ sở nào?",
    "tuong tro tu phap dua tren co so nao",
])
def test_on_what_basis_is_no_number_and_no_body(question):
    query = understand(question)
    assert query.slot != "code" and query.intent != "who", (query.intent, query.slot)


@pytest.mark.parametrize("question, slot", [
    ("neu khong chac nan nhan bao nhieu tuoi thi phai xu ly the nao", None),
    ("Nếu nạn nhân là trẻ em thì được hỗ trợ bao nhiêu tiền?", "money"),  # asked after "thì"
    ("Nạn nhân bao nhiêu tuổi thì được coi là trẻ em?", "age"),  # no condition first: the age is asked
])
def test_a_slot_is_read_after_the_condition_a_question_opens_with(question, slot):
    assert understand(question).slot == slot


@pytest.mark.parametrize("question", [
    "What's on the provincial border guards' plate under the BRVT ACTIP plan?",
    "What falls to the police in Quang Ninh's plan?",
])
def test_what_is_on_an_agencys_plate_asks_its_tasks(question):
    assert understand(question).intent == "tasks_of"


@pytest.mark.parametrize("question", ["What was the reporting cycle in Quang Ninh's 2011–2015 plan?",
                                      "Chu kỳ báo cáo trong kế hoạch của Quảng Ninh là gì?"])
def test_a_reporting_cycle_asks_how_often(question):
    assert understand(question).slot == "frequency"


@pytest.mark.parametrize("question", [
    "What are the legal bases for identifying a victim?",
    "Căn cứ pháp lý để xác định nạn nhân là gì?",
    "What is the legal basis for confiscating a trafficker's assets?",
])
def test_a_basis_asked_for_an_act_the_text_regulates_is_no_particular_of_the_document(question):
    assert understand(question).particular is None


@pytest.mark.parametrize("question", ["What is the legal basis for this plan?", "What is the legal basis for issuing the plan?",
                                      "Kế hoạch căn cứ văn bản nào?", "legal basis for the 2026 plan"])
def test_the_basis_of_the_document_itself_is_still_its_particular(question):
    assert understand(question).particular == "basis"


@pytest.mark.parametrize("question, acting", [
    ("How long do they have to get back to DOLISA?", []),
    ("How long does the police have to reply to DOLISA?", ["Công an tỉnh"]),
    ("Sở LĐTBXH phải báo cáo về Công an tỉnh trong bao lâu?", ["Sở Lao động - Thương binh và Xã hội"]),
])
def test_a_body_written_or_sent_to_is_not_the_body_that_acts(question, acting):
    from assistant.query import acting_agencies

    assert acting_agencies(question) == acting


@pytest.mark.parametrize("question", ["How long do they have to get back to DOLISA?",
                                      "How long does the police have to get back to the labour office?"])
def test_getting_back_to_someone_is_a_time_limit_not_a_jail_term(question):
    assert understand(question).slot == "date"


@pytest.mark.parametrize("previous, follow_up, kept, said, not_said", [
    ("Besides prison, what fines can a court add for a trafficking conviction under Article 150?",
     "What about when the victim is a child under 16?", "what fines", "when the victim is a child under 16", "Article 150"),
    ("Điều 150 quy định phạt tiền bao nhiêu?", "Còn nếu nạn nhân dưới 16 tuổi?", "phạt tiền bao nhiêu",
     "nếu nạn nhân dưới 16 tuổi", "Điều 150"),
    ("What prison range does Article 150 set for an organised group?", "And if the victim was a 12-year-old?",
     "organised group", "the law set", "Article 150"),
])
def test_a_follow_up_changing_the_victims_age_asks_the_previous_question_of_that_age(previous, follow_up, kept, said,
                                                                                      not_said):
    query = understand(follow_up, [_asked(previous, "fact")])
    assert query.followup and kept in query.text and said in query.text and not_said not in query.text, query.text


@pytest.mark.parametrize("question", [
    "And when the other country isn't party to the same treaty as Vietnam, how is cooperation on a cross-border case handled?",
    "But when a victim has no papers at all, how is she identified?",
])
def test_a_condition_opened_with_and_is_one_question_and_asks_no_date(question):
    query = understand(question)
    assert query.parts == () and query.slot != "date", (query.parts, query.slot)


@pytest.mark.parametrize("question", ["Is there a maximum shelter stay in the law?",
                                      "What is the maximum length of stay at a shelter?"])
def test_a_maximum_length_asks_a_length_of_time(question):
    assert understand(question).slot == "date"


@pytest.mark.parametrize("previous, follow_up, kept", [
    ("Chỉ tiêu tỷ lệ xét xử án mua bán người hằng năm của Quảng Ninh giai đoạn 2011–2015 là bao nhiêu?",
     "Thế Lâm Đồng năm 2024 thì đặt bao nhiêu?", "tỷ lệ xét xử"),
    ("Kế hoạch 2024 của Ninh Bình đặt chỉ tiêu điều tra khám phá bao nhiêu phần trăm?", "Còn Quảng Ninh thì bao nhiêu?",
     "điều tra khám phá"),
])
def test_a_follow_up_asking_only_a_figure_keeps_the_previous_topic(previous, follow_up, kept):
    query = understand(follow_up, [_asked(previous, "fact")], ["Quảng Ninh", "Ninh Bình", "Lâm Đồng"])
    assert query.followup and kept in query.text, query.text


@pytest.mark.parametrize("question, first, second", [
    ("Ninh Binh 2024: in operational (professional) prevention, which force takes the lead role, and how broadly should "
     "the investigative work reach?", "which force", "how broadly"),
    ("Trong kế hoạch 2024, ai chủ trì hỗ trợ nạn nhân và báo cáo khi nào?", "ai chủ trì", "báo cáo khi nào"),
])
def test_a_topic_put_first_as_a_phrase_is_asked_of_by_every_part(question, first, second):
    parts = split_parts(question)
    assert len(parts) == 2 and first in parts[0] and second in parts[1], parts
    opening = question.split(",")[0].split(": ")[-1]
    assert all(opening in part for part in parts), parts


@pytest.mark.parametrize("question, kind", [
    ("Which central plan does Ninh Binh's 2024 plan implement?", "basis"),
    ("Three quick ones about Ninh Binh's 2024 plan: what's its number?", "number"),
    ("The BR-VT ACTIP plan cites a recommendation of the National Assembly's Judicial Committee — what is its number and date?",
     None),
    ("Ninh Binh vs Lam Dong in 2024: which provincial plan for the 2021–2025 programme does each say it keeps implementing?",
     None),
    ("Which national Prime Minister's decisions is the ACTIP plan implementing?", "basis"),
    ("Which higher-level document is Ninh Binh's 2024 plan implementing?", "basis"),
    ("Was the 2024 plan signed off by the chairman?", "signer"),
    ("How do the timeframes of the two plans compare?", "period"),
    # a part of a compound question: its own words, not the part before it carried in parentheses
    ("on what date was it issued (signed off on Ninh Binh's 2024 plan)?", "date"),
])
def test_a_documents_own_number_and_basis_are_told_from_those_of_texts_it_cites(question, kind):
    from assistant.metadata import meta_kind

    assert meta_kind(question) == kind


def test_a_plans_period_after_a_law_named_before_it_is_still_the_plans():
    from assistant.scope import plan_years

    assert plan_years("which version of the law does the 2026-2030 plan build on?") == [2026]
    assert plan_years("Luật Phòng, chống mua bán người năm 2024 có hiệu lực từ ngày nào?") == []


@pytest.mark.parametrize("question", [
    "In that child case, can the court also bar the offender from holding office or working in certain jobs, and for how long?",
    "Trong trường hợp đó, tòa có thể cấm người phạm tội đảm nhiệm chức vụ trong bao lâu?",
    "In such a case, what else can the court impose on him besides prison and a fine for the offence?",
])
def test_a_question_opening_with_that_case_is_a_follow_up_however_long(question):
    assert is_follow_up(question)


@pytest.mark.parametrize("question, slot", [
    ("Về hợp tác quốc tế, QĐ 3087 Quảng Ninh nhấn mạnh đối tác nào?", "partner"),
    ("How did the main foreign-cooperation focus differ between Quang Ninh's plan and BRVT's?", "partner"),
    ("Which countries do the bilateral agreements in the BRVT plan cover?", "partner"),
    ("Chế độ báo cáo định kỳ trong kế hoạch năm 2024 và kế hoạch 2026–2030 của Ninh Bình khác nhau thế nào?", "frequency"),
    ("What reporting regime does the 2026-2030 plan set?", "frequency"),
    ("Which partners does the plan stress the legal aid centre should coordinate with?", "agency"),  # bodies at home
])
def test_a_foreign_partner_and_a_reporting_regime_are_values_asked(question, slot):
    assert understand(question).slot == slot


@pytest.mark.parametrize("question, kept, dropped", [
    ("What support services for returning victims does the BRVT ACTIP plan list? I need the full list for a training slide.",
     "(full list)", "training"),
    ("Ai chủ trì hỗ trợ nạn nhân? Tôi cần để soạn bài tập huấn.", "Ai chủ trì hỗ trợ nạn nhân?", "tập huấn"),
])
def test_a_sentence_saying_what_the_answer_is_for_is_no_topic(question, kept, dropped):
    text = understand(question).text
    assert kept in text and dropped not in text, text


def test_a_sentence_after_the_question_that_asks_again_is_kept():
    question = ("Ninh Binh 2026-2030: which bodies lead rescue and identification of victims, and which lead the protection "
                "and support measures? I want to see whether health is in both.")
    assert "whether health is in both" in understand(question).text


@pytest.mark.parametrize("question, slot", [
    ("List the annual budget amounts allocated to each department under Ninh Binh's 2026–2030 plan.", "money"),
    ("Kế hoạch 2026-2030 bố trí kinh phí bao nhiêu cho Sở Y tế?", "money"),
    ("Kinh phí thực hiện kế hoạch lấy từ nguồn nào?", None),  # where the money comes from, not a sum
    ("Bài viết về kế hoạch của Lâm Đồng liệt kê những huyện, xã trọng điểm về mua bán người nào?", "place"),
    ("Ke hoach cua Quang Ninh liet ke nhung tuyen bien gioi, cua khau trong diem nao?", "place"),
    ("Which border gates does the Quang Ninh plan single out?", "place"),
    ("Các tổ chức xã hội nào tham gia tuyên truyền?", None),  # "xã hội" is no commune
    ("Kế hoạch yêu cầu đổi mới thu thập thông tin theo hướng liên kết những địa bàn nào?", None),  # kinds of area, not names
    ("Người khai gian phải xử lý thế nào với số tiền đã nhận?", None),  # the money received, not a sum asked
    ("Số điện thoại đường dây nóng mà các huyện phải duy trì là số nào?", "phone"),  # the districts keep it; a number asked
])
def test_a_sum_of_money_and_named_places_are_values_a_list_must_give(question, slot):
    assert detect_slot(fold(question)) == slot


@pytest.mark.parametrize("question, agencies", [
    # the body the asker works at is who asks, not what is asked about
    ("Mình làm ở Hội Phụ nữ huyện, muốn hỏi KH 2024 của Ninh Bình gợi ý những hình thức truyền thông nào?", ()),
    ("I work for the provincial Women's Union: which communication formats does the 2024 plan suggest?", ()),
    ("Toi lam o Cong an tinh, so y te phai lam gi?", ("Sở Y tế",)),
    ("Hội Phụ nữ tỉnh làm gì trong kế hoạch 2024?", ("Hội Liên hiệp Phụ nữ tỉnh",)),
    # … unless the question asks about the asker's own body
    ("I work for the provincial Women's Union in Quang Ninh. Where does the plan expect us to be involved?",
     ("Hội Liên hiệp Phụ nữ tỉnh",)),
    ("Mình làm ở Hội Phụ nữ tỉnh, bên mình phải làm gì trong kế hoạch 2024?", ("Hội Liên hiệp Phụ nữ tỉnh",)),
])
def test_the_body_the_asker_works_at_is_not_what_the_question_is_about(question, agencies):
    assert understand(question).agencies == agencies


def test_a_wish_for_every_item_is_read():
    from assistant.query import asks_whole_list

    assert asks_whole_list("What is the Ministry of Public Security responsible for? Give me every item.")
    assert asks_whole_list("Bộ Công an có những trách nhiệm gì? Liệt kê đầy đủ.")
    assert not asks_whole_list("What is the Ministry of Public Security responsible for?")


@pytest.mark.parametrize("question", [
    # a value inside the condition ("nếu … bao nhiêu tuổi thì …") is not what is asked, after the document it is asked of too
    "Theo kế hoạch thực hiện Công ước ACTIP của Bà Rịa – Vũng Tàu, nếu chưa xác định chắc chắn nạn nhân bao nhiêu tuổi thì phải xử lý thế nào?",
    "Theo KH ACTIP BR-VT, khi không rõ nạn nhân bao nhiêu tuổi thì xử lý ra sao?",
])
def test_a_value_named_in_the_condition_is_not_the_slot_asked(question):
    assert understand(question).slot is None


@pytest.mark.parametrize("question, note", [
    # a wish for every item after the question is kept as a note, without marks when the question has none (a mark
    # would keep the question from being restored)
    ("KH ACTIP BRVT: tuyen truyen do CA tinh chu tri thi nhung co quan nao phoi hop? ke ra day du", "(liet ke day du)"),
    ("Which agencies coordinate on Convention awareness in the BRVT ACTIP plan? List them all.", "(full list)"),
    ("Những cơ quan nào phối hợp tuyên truyền Công ước? Kể ra đầy đủ.", "(liệt kê đầy đủ)"),
])
def test_a_wish_for_every_item_after_the_question_is_a_note_not_a_topic(question, note):
    assert understand(question).text.endswith(note)


def test_which_bodies_take_part_under_a_named_lead_asks_the_partners():
    query = understand("Công tác tuyên truyền do CA tỉnh chủ trì thì những cơ quan nào phối hợp?")
    assert query.intent == "who" and query.role == "coordinating"


def test_what_else_an_agency_is_responsible_for_asks_its_tasks():
    assert understand("What else is the Ministry of Defence responsible for?").intent == "tasks_of"


def test_a_documents_number_and_date_asked_together_are_both_particulars():
    from assistant.metadata import meta_kinds

    assert meta_kinds("Cho tôi xin số và ngày của quyết định phê duyệt kế hoạch, và quyết định này dựa trên tờ trình của ai?")[:2] \
        == ["number", "date"]
    assert meta_kinds("What are the number and date of Quang Ninh's decision?")[:2] == ["number", "date"]


def test_a_long_topic_put_first_is_asked_of_each_part():
    question = ("viec quan ly, kiem tra hoat dong ket hon, cho nhan con nuoi de phong mua ban nguoi: quang ninh 2011-2015 "
                "giao cho ai, ninh binh 2026-2030 giao cho ai")
    parts = understand(question).parts
    assert len(parts) == 2 and all(part.startswith("viec quan ly, kiem tra hoat dong ket hon") for part in parts), parts


@pytest.mark.parametrize("question", [
    "KH 2024 của BCĐ 138 Ninh Bình có đề cập gì tới chuyện đánh bắt cá trái phép và lao động bị ép buộc trên tàu cá không?",
    "KH ACTIP của BRVT có yêu cầu gì về phiên dịch, nói chuyện với nạn nhân bằng thứ tiếng họ hiểu không?",
    "kh 2024 co noi ve danh bat ca trai phep va cuong buc lao dong tren bien khong?",
])
def test_the_things_one_yes_or_no_frame_asks_about_are_one_question(question):
    assert split_parts(question) == ()


@pytest.mark.parametrize("question", [
    "QĐ 3087 có hiệu lực từ ngày nào, có thay thế QĐ cũ không?",  # a "có … không" of its own
    "KH 2024 giao ai chủ trì tuyên truyền và có kinh phí không?",
])
def test_a_yes_or_no_question_of_its_own_is_still_a_part(question):
    assert len(split_parts(question)) == 2


@pytest.mark.parametrize("question, intent", [
    ("ke hoach actip brvt co yeu cau gi ve ngon ngu cua nan nhan khong", "fact"),  # whether it says anything of it
    ("Kế hoạch ACTIP có nói gì về ngôn ngữ khi làm việc với nạn nhân không?", "fact"),
    ("KH ACTIP có những hình thức tuyên truyền gì không, liệt kê giúp mình", "list"),  # the whole list wished for
])
def test_whether_a_plan_says_anything_of_a_topic_is_a_fact(question, intent):
    assert classify(question)[0] == intent


def test_the_requirements_of_a_topic_are_not_the_section_of_requirements():
    query = understand("KH ACTIP của BRVT có yêu cầu gì về phiên dịch cho nạn nhân không?", [], ["Bà Rịa - Vũng Tàu"])
    assert query.section is None


@pytest.mark.parametrize("question, slot", [
    ("KH ACTIP BRVT liet ke nhung linh vuc quan ly nha nuoc nao can siet chat de phong ngua mua ban nguoi?", None),
    ("Quảng Ninh hợp tác với nước nào trong phòng, chống mua bán người?", "partner"),
    ("1 nguoi gia lam thu tuc cho nhan con nuoi de ban 1 be 3 tuoi lay tien, xu the nao?", "penalty"),
    ("Một người bán 2 cháu bé sang Trung Quốc, xử thế nào?", "penalty"),
])
def test_the_state_is_no_foreign_partner_and_how_an_offender_is_dealt_with_is_a_penalty(question, slot):
    assert detect_slot(fold(question)) == slot


@pytest.mark.parametrize("question, ages", [
    ("the three girls were all 15", [15]),
    ("What if that girl had been 17?", [17]),
    ("and my daughter was 14", [14]),
])
def test_an_age_told_of_the_victims_is_read(question, ages):
    from assistant.query import stated_ages

    assert stated_ages(fold(question)) == ages


@pytest.mark.parametrize("question", ["Same facts, but the three girls were all 15.", "Vẫn vụ đó nhưng nạn nhân mới 15 tuổi."])
def test_the_same_case_changed_is_a_follow_up(question):
    assert is_follow_up(question)


@pytest.mark.parametrize("question", [
    "Tuyên truyền Công ước ACTIP ở Bà Rịa - Vũng Tàu: Công an tỉnh chủ trì, còn các cơ quan phối hợp gồm những ai?",
    "KH 2026-2030 Ninh Bình: Sở Y tế chủ trì hỗ trợ nạn nhân, các đơn vị phối hợp là những đơn vị nào?",
])
def test_the_partners_asked_after_the_lead_told_are_the_role_asked(question):
    assert classify(question) == ("who", "coordinating")


@pytest.mark.parametrize("question, intent", [
    ("KH ninh binh 2026-2030 dat chi tieu thanh lap bao nhieu CLB di cu an toan?", "fact"),  # a figure, not a list
    ("How many safe-migration clubs does the Ninh Binh 2026-2030 plan aim to set up?", "fact"),
    ("Kế hoạch 2026-2030 có bao nhiêu mục tiêu cụ thể?", "list"),  # the items of a list counted
    ("How many projects does QD 3087 have?", "list"),
])
def test_how_many_counts_a_list_only_of_what_lists_are_made_of(question, intent):
    assert understand(question, [], ["Ninh Bình", "Quảng Ninh"]).intent == intent


@pytest.mark.parametrize("question", [
    "Which Penal Code articles does Law 66 cite when it prohibits trafficking in persons?",
    "Luật 66 dẫn chiếu những điều nào của Bộ luật Hình sự khi cấm mua bán người?",
])
def test_which_provisions_a_text_cites_is_a_fact(question):
    assert classify(question)[0] == "fact"


@pytest.mark.parametrize("question", ["Whose recommendation was QD 3087 of Quang Ninh issued on?",
                                      "Quang Ninh Decision 3087: whose proposal was it issued on?"])
def test_whose_proposal_a_decision_was_issued_on_is_its_proposer(question):
    from assistant.metadata import meta_kind

    assert meta_kind(question) == "proposer"


def test_a_document_number_typed_without_marks_is_the_same_number():
    from assistant.retrieve import compact_number

    assert compact_number("22/KH-BCD") == compact_number("22 /KH-BCĐ")


@pytest.mark.parametrize("question", [
    "KH ACTIP BR-VT liệt kê những cơ quan phối hợp nào với Công an tỉnh trong tuyên truyền, phổ biến Công ước?",
    "Under the BR-VT ACTIP plan, which bodies are to support the police in spreading awareness of the Convention?",
    "Sở Y tế phối hợp với những đơn vị nào?",
])
def test_the_bodies_of_a_role_asked_beside_a_named_body_are_its_partners(question):
    assert classify(question) == ("who", "coordinating")


def test_a_relative_who_that_tells_more_of_a_person_asks_for_nobody():
    question = ("Under the Ba Ria - Vung Tau ACTIP plan, how should officials treat a presumed victim whose age is "
                "uncertain but who may be a child?")
    assert classify(question)[0] != "who"


@pytest.mark.parametrize("question, about", [
    ("Tội mua bán người dưới 16 tuổi ở khung cơ bản bị phạt tù bao nhiêu năm?", "Tội mua bán người dưới 16 tuổi ở khung cơ bản bị phạt tù"),
    ("Which article of the 2015 Penal Code deals with trafficking children under 16?",
     "article of the 2015 Penal Code deals with trafficking children under 16"),
])
def test_what_a_question_asks_about_is_its_words_before_the_asking(question, about):
    from assistant.query import asked_about

    assert asked_about(question) == about


@pytest.mark.parametrize("question, kind", [
    ("QĐ 3087 của UBND tỉnh Quảng Ninh phê duyệt KH thực hiện chương trình hành động PCTP mua bán người ký ngày nào?", "date"),
    ("Quyết định phê duyệt kế hoạch phòng chống mua bán người ký vào ngày nào?", "date"),
    ("Kế hoạch 22/KH-BCĐ do ai ký?", "signer"),
    ("Người ký quyết định 3087 là ai?", "signer"),
])
def test_a_signing_asked_by_its_day_is_a_date_not_a_signer(question, kind):
    # "… mua bán người ký ngày nào": the noun before "ký" ends in "người", which is no "người ký" (signer)
    from assistant.metadata import meta_kind

    assert meta_kind(question) == kind


@pytest.mark.parametrize("question, clause", [
    ("dieu 150 khung 3 phat tu bao nhieu nam?", "3"),
    ("Khung hình phạt thứ 2 của Điều 151 là bao nhiêu năm tù?", "2"),
    ("Under Article 150, what is the prison term in penalty bracket 3?", "3"),
    ("Tội mua bán người theo Điều 150 ở khung cơ bản bị phạt tù bao nhiêu năm?", None),
    ("cac tinh tiet khoan 2 dieu 150 BLHS (khung 8-15 nam) gom nhung gi, liet ke het", "2"),  # a bracket by its range
    ("Khoản 2 Điều 150 Bộ luật hình sự (khung 08 đến 15 năm) gồm những tình tiết tăng nặng nào?", "2"),
])
def test_a_penalty_bracket_by_number_is_that_clause_of_the_article(question, clause):
    assert understand(question).clause == clause


@pytest.mark.parametrize("question, leans", [
    ("Kế hoạch 22/KH-BCĐ do ai ký?", False),  # "do" is "by"
    ("Quyết định 3087/QĐ-UBND do cơ quan nào trình?", False),
    ("Kế hoạch đó do ai ký?", True),
    ("ke hoach do do ai ky", True),  # typed bare, "do" may be "đó"
])
def test_an_unmarked_do_in_a_marked_question_is_by_not_that(question, leans):
    assert is_follow_up(question) is leans


@pytest.mark.parametrize("question", [
    "ok and who leads the fisheries piece, i.e. people being recruited for forced labour on fishing boats?",
    "Thanks. And who handles the training, e.g. for commune police and border guards in coastal communes?",
    "Dạ, còn việc tiếp nhận nạn nhân trở về ở các xã thì cơ quan nào chủ trì?",
])
def test_a_follow_up_may_open_by_acknowledging_the_answer(question):
    assert is_follow_up(question)
    assert classify(question)[0] == "who"


def test_an_abbreviation_with_stops_ends_no_sentence():
    from assistant.query import tells_a_case

    assert not tells_a_case("Who leads the fisheries piece, i.e. people recruited for forced labour on fishing boats?")
    assert not tells_a_case("Which body trains the trainers, e.g. for the commune police?")


@pytest.mark.parametrize("before, question, asks", [
    ("KH 2024 của BCĐ 138 Ninh Bình có đề cập gì tới chuyện đánh bắt cá trái phép và lao động bị ép buộc trên tàu cá không?",
     "Còn KH giai đoạn 2026–2030 của tỉnh thì ai chủ trì mảng thuỷ sản này?", "thuỷ sản"),
    ("Kế hoạch 2024 của Ninh Bình có nhắc tới việc hỗ trợ nạn nhân không?",
     "Còn kế hoạch 2026–2030 thì ai chủ trì việc y tế cơ sở này?", "y tế cơ sở"),
])
def test_a_pointer_after_a_topic_of_the_question_s_own_asks_that_topic(before, question, asks):
    query = understand(question, [_asked(before, "fact")])
    assert query.followup and query.intent == "who"
    assert asks in query.text and "Ninh Bình" in query.text and "đánh bắt cá" not in query.text and "hỗ trợ nạn nhân" not in query.text


@pytest.mark.parametrize("question", [
    "What law is the Ninh Binh 2026-2030 plan based on?",
    "Which anti-trafficking law does each rest on: Quang Ninh 2011-2015 versus Ninh Binh 2026-2030?",
    "Kế hoạch 2026-2030 của Ninh Bình dựa trên luật nào?",
])
def test_what_a_document_rests_on_is_its_basis(question):
    from assistant.metadata import meta_kind

    assert meta_kind(question) == "basis"


def test_a_follow_up_asking_another_particular_of_its_own_place_names_it_once():
    before = "KH thực hiện Công ước ACTIP của Bà Rịa - Vũng Tàu dựa trên quyết định nào của Thủ tướng?"
    query = understand("Còn Quảng Ninh căn cứ quyết định nào của TTg?", [_asked(before, "meta")])
    assert query.followup and query.understood().count("Quảng Ninh") == 1, query.understood()


@pytest.mark.parametrize("question, intent", [
    ("In the Ninh Binh 2026-2030 plan, who leads on prosecution and supervising investigations of trafficking cases, "
     "versus who leads on the trials themselves?", "who"),
    ("Under the Ninh Binh 2026-2030 plan, which body receives victims, vs. which one supports them?", "who"),
    ("Compare who leads victim support in Ninh Binh 2024 versus 2026-2030", "compare"),
    ("Kế hoạch 2026-2030 khác gì kế hoạch 2024?", "compare"),
])
def test_a_period_is_one_time_named_so_two_questions_of_one_plan_are_no_comparison(question, intent):
    # "2026-2030" is one plan's period, not two years to compare; "…, versus who …" then joins two questions
    assert classify(question)[0] == intent
    if intent == "who":
        parts = split_parts(question)
        assert len(parts) == 2 and not any(re.search(r"(?i)\b(versus|vs)\b", p) for p in parts), parts


def test_two_provinces_written_as_initials_make_a_comparison():
    provinces = ("Quảng Ninh", "Bà Rịa - Vũng Tàu", "Ninh Bình", "Lâm Đồng")
    question = "che do bao cao dinh ky o QN (2011-2015) va BRVT (ke hoach ACTIP) khac nhau the nao, co bao cao hang quy ko?"
    assert understand(question, (), provinces).intent == "compare"
    assert understand("Ai chủ trì hỗ trợ nạn nhân ở QN và ở NB, khác nhau không?", (), provinces).intent == "compare"


def test_a_short_part_after_a_copula_is_asked_of_the_subject():
    parts = split_parts("Điều kiện để được nhận khoản trợ cấp khó khăn ban đầu là gì, nhận mấy lần?")
    assert parts[1] == "Điều kiện để được nhận khoản trợ cấp khó khăn ban đầu nhận mấy lần?"


@pytest.mark.parametrize("question, article", [
    ("Đ24 Luật 66 quy định gì?", "24"),
    ("Theo Đ 25, ai cấp giấy xác nhận nạn nhân?", "25"),
    ("Đ.151 phạt tù bao nhiêu năm?", "151"),
])
def test_an_article_abbreviated_as_officials_write_it_is_named(question, article):
    assert understand(question).article == article


def test_a_follow_up_typed_with_marks_reads_an_unmarked_do_as_by():
    # "Đề án thứ hai do cơ quan nào chủ trì?": "do" is "by" here, not "đó" pointing back, so the question is its own
    earlier = understand("Kế hoạch 3087 của Quảng Ninh gồm những đề án nào?")
    text = understand("Đề án thứ hai do cơ quan nào chủ trì?", [earlier]).text
    assert "gồm những đề án" not in text, text


@pytest.mark.parametrize("follow_up", [
    "Còn Ninh Bình thì kế hoạch của UBND tỉnh về Chương trình 2021-2025 là số mấy?",
    "And Ninh Binh's 2024 plan — are the percentages identical?",
    "Did Quang Ninh give the same department a role on marriage and adoption back in 2011?",
])
def test_a_follow_up_read_as_asked_is_shown_as_written(follow_up):
    # (not "Còn thì kế hoạch … là số mấy — Ninh Bình 2021-2025": its own places cut out and put after it)
    earlier = understand("Ai chủ trì hỗ trợ nạn nhân ở Quảng Ninh?")
    assert understand(follow_up, [earlier]).understood() == follow_up.rstrip("?")


@pytest.mark.parametrize("question, kind", [
    ("What's the date on Quang Ninh's Decision 3087 approving the 2011-2015 plan?", "date"),  # (dev hx064)
    ("Quyết định 3087 của Quảng Ninh đề ngày nào?", "date"),
    ("What is the date of the 2024 Ninh Binh plan?", "date"),
    ("What is the due date of the plan reports?", None),
    ("and which central-level plan was it issued to implement?", "basis"),  # (dev hx022)
    ("Which central plan does it carry out?", "basis"),
    ("What is the central task of the plan?", None),
    ("What is the legal basis for the Ninh Binh 2026-2030 anti-trafficking programme plan?", "basis"),  # (dev hy031)
    ("legal basis for Quang Ninh's 2011 decision", "basis"),
    ("What are the legal grounds for identifying a victim?", None),
])
def test_a_document_s_own_date_and_basis_are_its_particulars(question, kind):
    from assistant.metadata import meta_kind

    assert meta_kind(question) == kind


@pytest.mark.parametrize("question, kind", [
    ("KH ACTIP cua BRVT ban hanh de thuc hien QD so may cua TTg", None),  # the number of a decision it cites
    ("Kế hoạch đó thực hiện QĐ nào của Thủ tướng vậy?", "basis"),
    ("QĐ 3087 số mấy?", "number"),
])
def test_a_particular_is_read_with_its_abbreviations_spelled_out(question, kind):
    from assistant.metadata import meta_kind

    assert meta_kind(question) == kind


@pytest.mark.parametrize("question, second", [
    ("KH ACTIP cua BRVT ban hanh de thuc hien QD so may cua TTg, ngay nao?",  # (dev hx042)
     "KH ACTIP cua BRVT ban hanh de thuc hien QD cua TTg ngay nao?"),
    ("Kế hoạch ACTIP của BR-VT thực hiện quyết định nào của Thủ tướng, ký ngày nào?",
     "Kế hoạch ACTIP của BR-VT thực hiện quyết định của Thủ tướng ký ngày nào?"),
])
def test_an_owner_after_the_asking_word_stays_with_the_subject_of_a_later_part(question, second):
    assert split_parts(question)[1] == second


def test_a_capital_abbreviation_with_d_is_not_typing_with_marks():
    from assistant.text import has_diacritics

    assert not has_diacritics("KH 22/KH-BCĐ cua NB ky ngay nao") and not has_diacritics("QĐ 3087 so may")
    assert has_diacritics("ĐƯỜNG DÂY NÓNG") and has_diacritics("BCĐ tỉnh")
    # (dev dr037: "nao" was read as marked text, where only "nào" asks)
    assert len(split_parts("KH 22/KH-BCĐ cua NB ky ngay nao va thuc hien KH so may cua BCĐ 138/CP?")) == 2


@dataclass
class _Listed:
    """An earlier turn whose answer listed numbered parts."""

    question: str
    text: str
    found: bool = True
    intent: str = "list"
    citations: tuple = ()
    resolved_question: str = ""


_PROJECTS = _Listed("Chương trình của Quảng Ninh 2011-2015 gồm những đề án nào?",
                    "Theo Quyết định 3087/QĐ-UBND, mục III gồm 3 phần:\n1. ĐỀ ÁN 1: “Đẩy mạnh …”.\n"
                    "2. ĐỀ ÁN 2: “Nâng cao …”.\n3. ĐỀ ÁN 3: “Tiếp nhận …”.")


@pytest.mark.parametrize("follow_up, named", [
    ("who's in charge of the second one?", "project 2"),  # (dev hx003)
    ("Cái thứ ba thì ai chủ trì?", "Đề án 3"),
    ("and the last one, who leads it?", "project 3"),
])
def test_a_rank_without_its_noun_is_the_part_the_previous_answer_listed(follow_up, named):
    query = understand(follow_up, [_PROJECTS])
    assert query.followup and named in query.text and "gồm những đề án" not in query.text, query.text


def test_a_follow_up_asking_on_its_own_in_another_language_is_read_as_written():
    earlier = _Listed("who's in charge of project 2 Quang Ninh 2011-2015", "…", intent="who_leads")
    query = understand("còn đề án 3 thì sở nào chủ trì, những ai tham gia?", [earlier])
    assert query.text.startswith("còn đề án 3 thì sở nào chủ trì"), query.text


@pytest.mark.parametrize("question", [
    "Liệt kê đầy đủ các cơ quan phối hợp với Công an tỉnh trong tuyên truyền Công ước ACTIP ở Bà Rịa - Vũng Tàu",  # (hx028)
    "List all the agencies that coordinate with the provincial police on ACTIP awareness in Ba Ria - Vung Tau",
    "ke ten day du cac don vi phoi hop voi cong an tinh tuyen truyen cong uoc ACTIP o BRVT",
])
def test_a_list_of_the_bodies_in_a_role_is_asked_of_the_task_records(question):
    assert classify(question) == ("who", "coordinating")


@pytest.mark.parametrize("question", ["Liệt kê các nhiệm vụ mà các cơ quan phối hợp phải làm", "liệt kê các hình thức tuyên truyền"])
def test_a_list_of_tasks_or_forms_stays_a_list(question):
    assert classify(question)[0] == "list"


def test_list_all_is_not_searched_as_being_complete():
    # "đầy đủ" after "liệt kê" asks the whole list; searched, it found a passage about support being "đầy đủ"
    assert "đầy đủ" not in search_text("Liệt kê đầy đủ các cơ quan phối hợp với Công an tỉnh").dense_text


@pytest.mark.parametrize("question, second", [
    ("Under Article 151 (trafficking of children under 16), what's the heaviest penalty, and does using adoption as a "
     "cover count as an aggravating circumstance?", "does using adoption as a cover count"),  # (dev hx065)
    ("What's the maximum fine under Article 150, and can the court also confiscate property?", "can the court also"),
])
def test_a_question_opening_with_what_s_splits_before_a_yes_or_no_part(question, second):
    parts = split_parts(question)
    assert len(parts) == 2 and second in parts[1], parts


def test_later_parts_of_a_topic_first_question_ask_of_the_numbered_part_the_first_names():
    parts = split_parts("Quang Ninh 2011-2015 plan: what is Project 2 about, who leads it and which agencies take part?")
    assert len(parts) == 3 and all("Project 2" in part for part in parts), parts  # (dev hy057)
    assert split_parts("QĐ 3087: đề án 1 về gì, đề án 3 do ai chủ trì?")[1].startswith("đề án 3 do ai chủ trì"), "its own"


@pytest.mark.parametrize("question", [
    "Ai giả làm nạn nhân để nhận tiền hỗ trợ thì bị xử lý thế nào theo Luật 2011?",  # (dev hw042)
    "ai gia mao nan nhan de lay tien ho tro thi bi xu ly ra sao?",
    "Ai che giấu người phạm tội mua bán người thì bị xử lý như thế nào?",
])
def test_ai_opening_a_case_closed_by_thi_is_whoever_not_who(question):
    # "Ai … thì bị xử lý thế nào?": what befalls whoever does it, not which body is assigned something
    assert classify(question)[0] != "who"


@pytest.mark.parametrize("question", ["Ai chủ trì hỗ trợ nạn nhân?", "Nếu phát hiện nạn nhân thì ai tiếp nhận?",
                                      "Ai chịu trách nhiệm tiếp nhận nạn nhân, thì sao?"])
def test_ai_asking_for_a_body_is_still_who(question):
    assert classify(question)[0] == "who"


@pytest.mark.parametrize("question", [
    "neu nan nhan duoi 16 tuoi thi khung nang nhat la bao nhieu",  # (dev hw062)
    "Tội mua bán người khung cao nhất là bao nhiêu?",
    "khung hình phạt nặng nhất của Điều 151 là gì?",
])
def test_the_heaviest_bracket_asks_a_penalty(question):
    assert detect_slot(fold(question)) == "penalty"


@pytest.mark.parametrize("question", [
    "What does the BRVT ACTIP plan assign to the provincial Border Guard command?",  # (dev hw011)
    "What does the Ninh Binh 2024 plan entrust to the Women's Union?",
    "What does the 2026-2030 plan allocate to the Department of Health?",
])
def test_what_a_plan_assigns_to_a_body_asks_its_tasks(question):
    assert classify(question)[0] == "tasks_of"


@pytest.mark.parametrize("question, second", [
    ("QN 2011-2015: de an 3 do so nao chu tri, con So KH&DT va So Tai chinh duoc giao lam gi?",  # (dev hw053)
     "So KH&DT va So Tai chinh duoc giao lam gi"),
    ("Đề án 2 do ai chủ trì, còn Viện kiểm sát và Tòa án làm gì?", "Viện kiểm sát và Tòa án làm gì"),
    ("Who leads project 1, and what do the Women's Union and the Youth Union do?", "Women's Union and the Youth Union"),
])
def test_a_later_part_asking_of_two_bodies_keeps_both(question, second):
    parts = split_parts(question)
    assert len(parts) == 2 and second in parts[1], parts


@pytest.mark.parametrize("question, agency", [
    ("We're an NGO partnering with DOH — what is DOH responsible for under Ninh Binh's 2026-2030 plan?",  # (dev hv020)
     "Sở Y tế"),
    ("What does the DOJ have to do in the Quang Ninh plan?", "Sở Tư pháp"),
    ("Is DOET involved in awareness-raising in BRVT?", "Sở Giáo dục và Đào tạo"),
    ("What does the agriculture department do under the 2026-2030 plan?", "Sở Nông nghiệp và Môi trường"),
])
def test_the_acronyms_partners_write_for_provincial_departments_name_them(question, agency):
    assert agency in agencies_in(question)


@pytest.mark.parametrize("question", [
    "What is DOH responsible for under Ninh Binh's 2026-2030 plan?",
    "DOJ tasks in the Quang Ninh plan?",
    "Nhiệm vụ Sở Y tế trong KH Ninh Bình 2026-2030?",
    "nhiem vu so y te trong ke hoach ninh binh 2026?",
])
def test_the_tasks_of_a_body_asked_as_a_bare_noun_phrase_ask_its_tasks(question):
    assert classify(question)[0] == "tasks_of"


def test_doh_in_an_ordinary_word_is_no_agency():
    assert "Sở Y tế" not in agencies_in("Doha hosted the meeting; what did the plan say about it?")


@pytest.mark.parametrize("follow_up", [
    "ke hoach nay cac so nganh bao cao dinh ky ve dau, bao lau 1 lan?",  # (dev hv005: 16 words, no cue)
    "Kế hoạch này yêu cầu các sở, ngành, địa phương báo cáo kết quả thực hiện về đâu và bao lâu một lần?",
    "Under this plan, where do the departments send their periodic reports and how often do they send them?",
])
def test_a_long_question_naming_this_plan_leans_on_the_plan_of_the_chat(follow_up):
    first = "Kế hoạch Quảng Ninh 2011-2015: đề án 1 về tuyên truyền do sở nào chủ trì?"
    query = understand(follow_up, [_Turn(first, first, "who_leads")], ["Quảng Ninh", "Ninh Bình"])
    assert query.followup and query.scope.provinces == ("Quảng Ninh",), query


def test_a_plan_by_whom_typed_with_marks_is_not_that_plan():
    assert not is_follow_up("Kế hoạch do ai ký ban hành và ngày nào thì có hiệu lực thi hành trên toàn địa bàn tỉnh?")


@pytest.mark.parametrize("question", [
    "Under Law 66, who can a member of the public report suspected trafficking to?",  # (dev hv058)
    "Who can I report suspected trafficking to under Law 66?",
    "Theo Luật 66, người dân phát hiện mua bán người thì báo cho ai?",
    "Nếu phát hiện nạn nhân thì báo cho ai?",  # (a who-question until session 32: a body, asked as the one told)
])
def test_whom_a_report_is_made_to_asks_the_recipient_not_who_leads(question):
    assert detect_slot(fold(question)) == "recipient"


@pytest.mark.parametrize("question", [
    "Which requires force or deception, Article 150 or Article 151?",
    "Which one requires the use of force?",
])
def test_a_verb_after_which_asks_of_a_provision_not_of_a_force(question):
    assert classify(question)[0] != "who"


@pytest.mark.parametrize("question", [
    "which provincial police force handles border cases?",
    "Which Ninh Binh department leads victim support?",
])
def test_which_before_a_body_still_asks_who(question):
    assert classify(question)[0] == "who"


@pytest.mark.parametrize("question, agency", [
    ("Mình là cán bộ UBND xã. Ngoài trách nhiệm chung của Uỷ ban nhân dân các cấp, theo Luật PCMBN 2011 xã còn phải làm "
     "gì thêm, ví dụ giúp nạn nhân hoà nhập?", "Ủy ban nhân dân các xã, phường"),  # (dev hw016)
    ("Ngoài Công an tỉnh, Sở Y tế còn phải làm gì?", "Sở Y tế"),
    ("Ngoai viec tiep nhan nan nhan, xa con phai lam gi?", "Ủy ban nhân dân các xã, phường"),
])
def test_the_body_after_what_a_question_sets_aside_is_the_one_asked(question, agency):
    assert asked_agencies(question) == [agency]
    assert classify(question)[0] == "tasks_of"


@pytest.mark.parametrize("question", ["who are they aimed at?", "Who is it targeted at?", "who are these sessions meant for?"])
def test_whom_activities_are_aimed_at_asks_their_audience(question):
    assert classify(question)[0] != "who", classify(question)  # (the people they are for, not a body that leads them)


@pytest.mark.parametrize("question, without", [
    ("Liệt kê giúp mình đầy đủ các cơ quan phối hợp", "Liệt kê đầy đủ các cơ quan phối hợp"),
    ("Cho tôi hỏi, ai chủ trì hỗ trợ nạn nhân?", "Ai chủ trì hỗ trợ nạn nhân?"),
    ("Kể tên giùm em các đơn vị phối hợp", "Kể tên các đơn vị phối hợp"),
    ("Could you please list the partners?", "List the partners?"),
    ("hỗ trợ hộ gia đình nạn nhân", "hỗ trợ hộ gia đình nạn nhân"),  # ("hộ gia đình", a household, is no courtesy)
    ("Can you get a loan as a victim?", "Can you get a loan as a victim?"),
])
def test_words_of_courtesy_are_no_part_of_the_question(question, without):
    from assistant.query import _without_courtesy

    assert _without_courtesy(question) == without
    assert understand(question).intent == understand(without).intent


def test_a_plan_named_by_its_kind_and_title_words_is_no_topic(bot):
    retriever = bot._composer.retriever
    assert retriever.without_document_names(
        "Kinh phí làm KH phòng chống mua bán người mới nhất của Ninh Bình (2026-2030) lấy từ nguồn nào?"
    ) == "Kinh phí làm của Ninh Bình (2026-2030) lấy từ nguồn nào?"
    for kept in ("Kế hoạch tuyên truyền của Ninh Bình?", "Kế hoạch về phụ nữ và trẻ em có gì?"):
        assert retriever.without_document_names(kept) == kept  # (two title words, or a topic after "về")


@pytest.mark.parametrize("question", [
    "Which circumstances under Art. 150 lead to 12-20 years? Need the complete list for a training slide.",
    "Who leads victim support in Ninh Binh? It's for a workshop handout.",
])
def test_what_an_answer_is_needed_for_is_no_part_of_the_question(question):
    said = understand(question).text
    assert "slide" not in said and "handout" not in said, said


def test_a_setting_aside_put_first_is_no_part_of_its_own():
    assert split_parts("Apart from what every people's committee must do, what else must the commune committee do?") == ()
    assert split_parts("Ngoài Công an tỉnh, ai chủ trì hỗ trợ nạn nhân và ai phối hợp?")[0] == \
        "Ngoài Công an tỉnh, ai chủ trì hỗ trợ nạn nhân?"


def test_what_is_needed_after_the_question_without_a_purpose_is_still_asked():
    said = understand("Where do departments and districts send their reports? Need the address and phone.").text
    assert "address and phone" in said, said  # (dev dz010)


@pytest.mark.parametrize("question, years", [
    ("In Ninh Binh's 2024 plan the Border Guard command co-leads professional prevention with the police. Which military "
     "body sits next to the police in the 2026–2030 plan instead?", (2026, 2030)),
    ("Năm 2024 Ninh Bình giao BĐBP cùng CA tỉnh làm phòng ngừa nghiệp vụ; sang KH 2026-2030 thì lực lượng nào đứng cùng "
     "Công an tỉnh?", (2026,)),
    ("Phòng chống cưỡng bức lao động trên biển: năm 2024 Ninh Bình gắn với chống khai thác IUU, năm 2026–2030 thì giao "
     "cho ai chủ trì?", (2026, 2030)),
    ("Kế hoạch năm 2024 và kế hoạch 2026-2030 của Ninh Bình lần lượt thực hiện chương trình giai đoạn nào?", ()),
    ("Who leads victim support in Ninh Binh's 2024 plan?", ()),
])
def test_the_plan_asked_of_after_another_plan_told_of_is_the_last_part_s(question, years):
    from assistant.query import asked_plan_years

    assert asked_plan_years(question) == years


@dataclass
class _WhoTurn(_Turn):
    text: str = ""
    found: bool = True
    citations: tuple = ()


@pytest.mark.parametrize("follow_up, named", [
    ("Cơ quan đó còn phải làm những gì khác?", "Sở Lao động - Thương binh và Xã hội còn phải làm những gì khác"),
    ("Ngoài việc đó ra, cơ quan này còn phải làm gì?", "Ngoài việc đó ra, Sở Lao động - Thương binh và Xã hội còn phải"),
    ("What else does that department have to do?", "What else does Department of Labour, Invalids and Social Affairs"),
])
def test_a_body_pointed_at_after_a_who_answer_is_named_and_asked_where_the_question_before_was(follow_up, named):
    before = _WhoTurn("Ai chủ trì hỗ trợ nạn nhân theo kế hoạch 2024 của Ninh Bình?",
                      "Ai chủ trì hỗ trợ nạn nhân theo kế hoạch 2024 của Ninh Bình?", "who_leads",
                      text="Theo Kế hoạch 22/KH-BCĐ, Ninh Bình (2024), chủ trì: Sở Lao động - Thương binh và Xã hội [1].\n- …")
    query = understand(follow_up, [before])
    assert query.text.startswith(named) and "Ninh Bình 2024" in query.text, query.text
    assert query.intent == "tasks_of" and query.agency == "Sở Lao động - Thương binh và Xã hội"


def test_no_body_is_named_for_a_pointer_when_the_answer_before_gave_two():
    before = _WhoTurn("Who leads victim support in Ninh Binh's 2024 plan?", "Who leads victim support in Ninh Binh's 2024 plan?",
                      "who_leads", "en", text="According to the Ninh Binh 2024 plan 22/KH-BCĐ: lead — Department of Justice "
                      "[1]; with Department of Labour, Invalids and Social Affairs (DOLISA) [2].")
    assert "Department" not in understand("What else does that department have to do?", [before]).text


@pytest.mark.parametrize("question", [
    "Nhà trường phải làm gì để phòng ngừa mua bán người?",
    "Gia đình có trách nhiệm gì trong phòng ngừa mua bán người?",
    "What must schools do to prevent trafficking under the law?",
])
def test_the_duties_of_a_party_that_is_no_agency_are_asked_as_a_list(question):
    assert classify(question)[0] == "list"


@pytest.mark.parametrize("question", [
    "Sở Y tế phải làm gì trong kế hoạch 2026?",  # (an agency's own tasks stay its task records)
    "Kinh phí thực hiện kế hoạch lấy từ đâu?",
])
def test_the_duties_of_an_agency_or_a_plain_fact_are_not_read_as_a_party_s_list(question):
    assert classify(question)[0] != "list"


@pytest.mark.parametrize("question", [
    "Did Quang Ninh's 2011-2015 plan single out any particular foreign counterpart for cooperation?",
    "Which Chinese counterpart agency does Ninh Binh's 2026-2030 plan name?",
    "Which foreign police force does Quang Ninh prioritise for anti-trafficking cooperation?",
    "Does the plan mention a foreign police force it should work with?",
])
def test_a_foreign_party_asked_for_is_the_partner_slot(question):
    assert detect_slot(fold(question)) == "partner"


@pytest.mark.parametrize("question", [
    "Những ai cùng Công an tỉnh triển khai tuyên truyền Công ước ACTIP?",
    "Cơ quan nào cùng Sở Y tế hỗ trợ nạn nhân?",
])
def test_who_works_together_with_a_named_body_asks_its_partners(question):
    assert classify(question) == ("who", "coordinating")


@pytest.mark.parametrize("question, route", [
    ("which authority takes over victims sent home via the consulate", {"Cơ quan đại diện Việt Nam ở nước ngoài"}),
    ("Nạn nhân được đưa về qua đại sứ quán thì cơ quan nào nhận họ?", {"Cơ quan đại diện Việt Nam ở nước ngoài"}),
    ("Which ministry tells Vietnamese embassies abroad to protect trafficked nationals?", set()),
])
def test_a_body_named_as_the_way_a_case_went_is_told_apart_from_one_acted_on(question, route):
    from assistant.query import agencies_named_as_route

    assert agencies_named_as_route(question) == route


def test_who_co_leads_with_a_named_body_is_still_the_lead_asked():
    question = "Thế còn kế hoạch 2026 – 2030 của Ninh Bình, ai cùng Công an tỉnh chủ trì quản lý xuất cảnh, nhập cảnh?"
    assert classify(question) == ("who", "lead")  # (dev p059)


@pytest.mark.parametrize("question", [
    "Under the Ba Ria - Vung Tau ACTIP plan, what should officials do if they can't confirm whether a victim is a minor?",
    "Kẻ giả mạo là nạn nhân để nhận tiền hỗ trợ thì ngoài bị xử lý theo pháp luật còn phải làm gì?",  # (dev le037)
])
def test_what_must_be_done_in_a_case_is_no_party_s_list_of_duties(question):
    assert classify(question)[0] != "list"


@pytest.mark.parametrize("question, slot", [
    ("Gặp nạn nhân không rõ bao nhiêu tuổi nhưng trông còn nhỏ thì theo kế hoạch BR-VT phải đối xử thế nào?", None),  # (hq022)
    ("Nếu chưa biết nạn nhân bao nhiêu tuổi thì cơ quan chức năng xử lý thế nào?", None),
    ("Với người chưa rõ có phải nạn nhân hay không thì được hỗ trợ những gì?", None),
    ("Nếu nạn nhân trên 16 tuổi thì phạt tù bao nhiêu năm?", "penalty"),  # (a case and a penalty asked after it)
    ("Bị xử thế nào?", "penalty"),
])
def test_what_a_case_leaves_unknown_is_not_what_is_asked(question, slot):
    assert understand(question, [], ()).slot == slot


@pytest.mark.parametrize("question", [
    "Còn phần tiếp nhận, xác minh và bảo vệ nạn nhân thì giao cho ai?",  # (hq039)
    "Việc bảo vệ nạn nhân thì giao cho ai?",
    "khâu bảo vệ, hỗ trợ nạn nhân thì ai được giao?",
])
def test_protecting_victims_assigned_to_someone_is_a_who_question_not_a_report(question):
    query = understand(question, [], ())
    assert query.intent == "who" and query.slot == "agency"


@pytest.mark.parametrize("question", [
    "Ct PCMBN cua QN 2011-2015 gom may de an, ten tung de an la gi?",  # (hq014)
    "Chương trình gồm mấy đề án, đó là những đề án nào?",
    "How many projects does the Quang Ninh programme have and what are they called?",
])
def test_a_count_then_the_names_of_what_was_counted_is_one_list(question):
    assert split_parts(question) == ()


def test_a_count_then_another_question_is_still_two():
    assert len(split_parts("Có bao nhiêu đề án và ai chủ trì đề án 3?")) == 2


@pytest.mark.parametrize("question", [
    "QN 2011-2015 uu tien hop tac voi luc luong nuoc ngoai nao?",
    "Hợp tác quốc tế nhắm tới cơ quan nước ngoài nào?",
    "Kế hoạch có ưu tiên hợp tác với đối tác nước ngoài cụ thể nào không?",  # (hq025)
])
def test_a_foreign_body_asked_by_name_is_the_partner_slot(question):
    assert understand(question, [], ()).slot == "partner"


@pytest.mark.parametrize("question", [
    "Kế hoạch nhắc tới đường dây nóng quốc gia về chống mua bán người, số đó là số mấy?",  # (hq019)
    "đường dây nóng chống mua bán người trong kế hoạch la so may",
    "Theo kế hoạch 2026-2030 của Ninh Bình, người dân gọi đường dây nóng nào để báo tin về mua bán người?",
])
def test_a_hotline_number_asked_after_a_long_name_is_a_phone_number(question):
    assert understand(question, [], ()).slot == "phone"


@pytest.mark.parametrize("question", [
    "Which jobs in Ninh Binh's 2026-2030 plan fall to the provincial Health Department as sole lead agency?",  # (hq011)
    "What tasks go to the provincial police under the BRVT plan?",
    "Which activities are assigned to the Women's Union in the 2024 plan?",
])
def test_which_tasks_fall_to_a_body_asks_its_tasks(question):
    assert understand(question, [], ()).intent == "tasks_of"


@pytest.mark.parametrize("question", [
    "What numerical targets did Lam Dong set for 2024?",
    "Các chỉ tiêu định lượng của Ninh Bình năm 2024 là gì?",
    "lam dong 2024 chi tieu phan dau gi",
])
def test_a_plan_s_numerical_targets_ask_for_a_share(question):
    assert understand(question, [], ()).slot == "percent"


def test_the_grounds_for_an_act_are_not_a_document_s_legal_basis():
    from assistant.metadata import meta_kind
    assert meta_kind("Căn cứ nào để xác định một người là nạn nhân bị mua bán?") != "basis"
    assert meta_kind("Luật 66 căn cứ vào văn bản nào?") == "basis"


@pytest.mark.parametrize("question, acted_on", [
    ("Cơ quan nào cấp giấy phép thành lập cơ sở hỗ trợ nạn nhân do tư nhân lập ra?", {"Cơ sở hỗ trợ nạn nhân"}),
    ("Tôi bên Biên phòng. Theo KH 22/KH-BCĐ năm 2024 thì việc tuyên truyền do đơn vị nào chủ trì ạ?", set()),  # (dev dx017)
    ("Sở Y tế phải làm gì?", set()),
])
def test_the_bodies_a_who_question_names_after_asking_are_those_acted_on(question, acted_on):
    from assistant.query import agencies_acted_on
    assert agencies_acted_on(question) == acted_on


# --- session 38: kinds of question read from their structure, each checked on phrasings not fixed on ---------------

@pytest.mark.parametrize("question, slot", [
    # a number asked after a dash or a clause, of the hotline the question names
    ("Kế hoạch 2026–2030 của Ninh Bình có nhắc đến đường dây nóng toàn quốc để người dân báo tin — số mấy vậy?", "phone"),
    ("tong dai quoc gia ve mua ban nguoi ma ke hoach nhac toi, so gi vay?", "phone"),
    # a foreign body asked before "của nước ngoài"
    ("Quảng Ninh ưu tiên bắt tay với lực lượng nào của nước ngoài?", "partner"),
    ("hop tac voi co quan nao phia nuoc ngoai de chong buon nguoi", "partner"),
    # a plan's targets are figures, whatever words ask them; spending ("chi tiêu", folded alike) is not a target
    ("Ban Chỉ đạo 138 Lâm Đồng đặt ra những con số chỉ tiêu nào cho năm 2024?", "percent"),
    ("Lâm Đồng 2024 đặt ra các chỉ tiêu gì về phá án?", "percent"),
    ("Tiền cho chương trình được chi tiêu thế nào?", None),
    # a prison bracket asked as "khung tù"
    ("Giao một em 13 tuổi cho người khác lấy tiền thì khung tù cơ bản là mấy năm?", "penalty"),
    # a law asked by its subject's name
    ("bộ luật chống buôn người nào được lấy làm trọng tâm?", "law"),
    # "mấy" inside a yes-or-no "có … không" is "a few", no count asked
    ("Kế hoạch ACTIP bên BR-VT có chủ trương xử mấy vụ buôn người điển hình không?", None),
    ("BRVT co to chuc xu luu dong may vu an mua ban nguoi khong?", None),
    ("Lâm Đồng xử được mấy vụ mua bán người?", "number"),
])
def test_session_38_slots(question, slot):
    assert detect_slot(fold(question)) == slot


@pytest.mark.parametrize("question", [
    "KH 2026-2030 cua NB thi ai chu tri kiem tra, giam sat may cty dua nguoi di lam viec nuoc ngoai vay?",
    "Theo kế hoạch 2026-2030 Ninh Bình, cơ quan nào chủ trì quản lý, kiểm tra những doanh nghiệp đưa người đi làm việc ở "
    "nước ngoài?",
    "Who leads checking, monitoring the labour export companies in Ninh Binh's 2026-2030 plan?",
])
def test_two_verbs_of_one_task_are_one_question(question):
    assert split_parts(question) == ()


@pytest.mark.parametrize("question", [
    "Nạn nhân tự về nước, không thông qua đại sứ quán, thì tiếp nhận theo điều nào?",
    "nan nhan tu ve, khong qua co quan dai dien, thi xac minh theo quy dinh nao?",
])
def test_a_denying_khong_inside_a_clause_asks_nothing(question):
    # ("không" asks at the end of its clause; inside one it denies)
    assert split_parts(question) == ()


@pytest.mark.parametrize("question, parts", [
    ("Sở Y tế có chủ trì không, và ai phối hợp?", 2),
    ("dan thay nghi co vu mua ban thi to giac o dau, co bat buoc len cong an khong hay bao xa cung dc?", 2),
])
def test_a_closing_khong_still_asks(question, parts):
    assert len(split_parts(question)) == parts


@pytest.mark.parametrize("question", [
    "Ai được coi là nạn nhân theo luật phòng chống mua bán người?",
    "ai thi duoc xem la nan nhan",
    "Who counts as a victim under Law 66?",
])
def test_who_counts_as_a_term_asks_its_definition_not_a_body(question):
    assert understand(question).intent == "fact"


@pytest.mark.parametrize("question", [
    "Ai khai man mình là nạn nhân để được nhận tiền hỗ trợ thì ngoài bị xử lý còn phải chịu thêm gì?",
    "ai gia mao la nan nhan de lay tien ho tro thi ngoai viec bi xu ly ra con phai lam gi nua",
])
def test_whoever_told_at_length_is_no_body_asked(question):
    assert understand(question).intent != "who"


@pytest.mark.parametrize("question", [
    "Nạn nhân bị bán sang Trung Quốc tự trốn về nước, không qua cơ quan đại diện Việt Nam, thì việc tiếp nhận được thực "
    "hiện theo điều nào?",
])
def test_a_body_named_as_the_way_not_taken_is_not_asked_of(question):
    assert understand(question).intent != "tasks_of"


@pytest.mark.parametrize("question", [
    "And who actually signed it?",
    "ai la nguoi ky ke hoach 22?",
    "Who exactly signs the plan?",
])
def test_the_signer_asked_in_everyday_words(question):
    from assistant.metadata import meta_kind
    assert meta_kind(question) == "signer"


@pytest.mark.parametrize("question", [
    "Đường dây nóng tiếp nhận tin báo do cơ quan nào quản lý?",
    "duong day nong cua tinh do don vi nao van hanh?",
])
def test_a_hotline_s_keeper_is_a_body_asked(question):
    # ("đường dây nóng số nào" asks a number; "do cơ quan nào quản lý" asks who)
    assert understand(question).intent == "who"


def test_everyday_words_and_the_documents_words_are_alternatives():
    from assistant.glossary import colloquial_senses
    senses = colloquial_senses("Đường dây nóng do cơ quan nào quản lý? (tổng đài)")
    # the words the search added are read as the alternative of the everyday phrase, not as words of the question
    assert senses[0] == ("Đường dây nóng do cơ quan nào quản lý?",)
    assert ("đường dây nóng", "tổng đài") in senses and len(senses) == 2


@pytest.mark.parametrize("question", [
    "Việc xây dựng công cụ sàng lọc nạn nhân: KH 2024 của Ninh Bình giao ai, sang KH 2026–2030 thì giao cho sở nào?",
    "Ninh Bình 2024 giao cho sở nào chủ trì hỗ trợ nạn nhân?",
])
def test_a_department_asked_with_its_marks_is_no_number(question):
    # ("sở nào" folds to the letters of "số nào", a number that names)
    assert understand(question).slot != "code"


@pytest.mark.parametrize("question, spelled", [
    ("ok, the co noi gi ve may thoa thuan dua LD sang Han Quoc ko?", "dua lao dong sang"),
    ("Việc đưa LĐ đi làm việc ở nước ngoài ai chủ trì?", "đưa lao động đi làm"),
    ("tuyen LD di lam o nuoc ngoai thi ai quan ly?", "tuyen lao dong di lam"),
    ("Kế hoạch của LĐ năm 2024 có mục tiêu gì?", "của Lâm Đồng năm 2024"),
    ("BCĐ 138 LĐ giao ai tuyên truyền?", "BCĐ 138 Lâm Đồng"),
])
def test_ld_is_labour_where_workers_are_sent_and_lam_dong_elsewhere(question, spelled):
    from assistant.query import with_province_initials

    assert spelled in with_province_initials(question, ["Lâm Đồng", "Ninh Bình", "Quảng Ninh"])


@pytest.mark.parametrize("question, second", [
    ("Ai cấp giấy xác nhận nạn nhân, và cấp vào lúc nào?", "cấp giấy xác nhận nạn nhân"),
    ("ai cap giay xac nhan nan nhan, va khi nao?", "cap giay xac nhan nan nhan khi nao"),
    ("Cơ quan nào tiếp nhận nạn nhân được giải cứu và vào lúc nào?", "tiếp nhận nạn nhân được giải cứu vào lúc nào"),
])
def test_a_part_that_is_only_when_asks_of_the_first_part_s_subject(question, second):
    parts = split_parts(question)
    assert len(parts) == 2 and second in parts[1], parts


@pytest.mark.parametrize("question, second", [
    ("Under the 2011 law, can a trafficking survivor claim compensation, and do they have any obligation to cooperate "
     "with the authorities?", "Under the 2011 law, do they have any obligation to cooperate with the authorities (survivor)"),
    ("For a child victim, is legal aid free, and does the child need a guardian present?",
     "For a child victim, does the child need a guardian present"),
])
def test_a_yes_no_compound_after_a_frame_is_two_parts_within_it(question, second):
    parts = split_parts(question)
    assert len(parts) == 2 and parts[1].rstrip("?") == second, parts
