"""Responsibility records: every form of "who leads" clause the plans use, checked on tiny
inline texts, and extraction quality measured against the hand labels in evals/."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant import duties
from assistant.evals.harness import duty_metrics, load_questions
from assistant.load import load_folder

ROOT = Path(__file__).resolve().parent.parent


def one(text: str) -> duties.Duty:
    found = duties.extract_duties("inline", text)
    assert len(found) == 1, [(d.lead, d.coordinating, d.performers, d.clause) for d in found]
    d = found[0]
    # Spans lead back to the exact characters of the text.
    assert text[d.clause_start : d.clause_end] == d.clause
    assert text[d.task_start : d.task_end] == d.task
    return d


# --- quality on the shipped plans -------------------------------------------------------------
def test_lead_extraction_reaches_090_precision_and_recall_on_the_gold_labels():
    docs, problems = load_folder(ROOT / "documents")
    assert not problems
    extracted = [d for doc in docs for d in duties.extract_duties(doc.doc_id, doc.text)]
    gold = load_questions(ROOT / "evals" / "duties_gold.jsonl")
    metrics = duty_metrics(extracted, gold, {doc.doc_id: doc.text for doc in docs})
    assert metrics["labels"] >= 40  # the gold set is really used
    assert metrics["precision"] >= 0.90, metrics["spurious"]
    assert metrics["recall"] >= 0.90, metrics["missed"]


def test_duty_metrics_counts_a_wrong_lead_as_both_spurious_and_missed():
    text = "1. Tuyên truyền pháp luật (Công an tỉnh chủ trì, phối hợp với Sở Y tế thực hiện)."
    gold = [{"id": "g1", "doc_id": "inline", "section": "1", "lead": ["Công an tỉnh"],
             "task_quote": "Tuyên truyền pháp luật", "task_offset": text.index("Tuyên truyền"),
             "resp_quote": "Công an tỉnh chủ trì", "resp_offset": text.index("Công an tỉnh chủ trì")}]
    right = duties.extract_duties("inline", text)
    assert duty_metrics(right, gold, {"inline": text})["precision"] == 1.0
    wrong = [d.__class__(**{**d.__dict__, "lead": ("Sở Y tế",)}) for d in right]
    m = duty_metrics(wrong, gold, {"inline": text})
    assert m["precision"] == 0.0 and m["recall"] == 0.0 and len(m["missed"]) == 1 and len(m["spurious"]) == 1


# --- each form of clause ------------------------------------------------------------------------
def test_parenthetical_clause_after_a_task():
    d = one("- Tổ chức tuyên truyền pháp luật cho người dân (Công an tỉnh chủ trì, phối hợp với Sở Y tế thực hiện).")
    assert d.lead == ("Công an tỉnh",)
    assert d.coordinating == ("Sở Y tế",)
    assert d.performers == ()
    assert d.clause == "Công an tỉnh chủ trì, phối hợp với Sở Y tế thực hiện"
    assert d.task.startswith("Tổ chức tuyên truyền pháp luật")


def test_phan_cong_thuc_hien_lines_under_a_task():
    text = ("1. Nâng cao năng lực hệ thống y tế cơ sở.\n"
            "Phân công thực hiện:\n- Cơ quan chủ trì: Sở Y tế.\n- Cơ quan phối hợp: Sở Tư pháp.")
    d = one(text)
    assert d.lead == ("Sở Y tế",) and d.coordinating == ("Sở Tư pháp",)
    assert "Nâng cao năng lực hệ thống y tế" in d.task and "Cơ quan chủ trì" not in d.task
    assert "Cơ quan chủ trì: Sở Y tế" in d.clause and "Cơ quan phối hợp: Sở Tư pháp" in d.clause


def test_phan_cong_trach_nhiem_block_assigns_the_noi_dung_before_it():
    text = ("2. Tuyên truyền\na) Nội dung\n- Tổ chức tuyên truyền Công ước ACTIP.\n"
            "b) Phân công trách nhiệm thực hiện\n- Công an tỉnh chủ trì thực hiện các hoạt động trên.")
    d = one(text)
    assert d.lead == ("Công an tỉnh",)
    assert "Tổ chức tuyên truyền Công ước ACTIP" in d.task  # the "a) Nội dung" content, not "các hoạt động trên"
    assert d.clause == "Công an tỉnh chủ trì thực hiện các hoạt động trên."


def test_giao_x_chu_tri_sentence():
    d = one("4. Giao Sở Tư pháp chủ trì, phối hợp với các sở, ngành liên quan thực hiện công tác trợ giúp pháp lý cho nạn nhân.")
    assert d.lead == ("Sở Tư pháp",)
    assert d.coordinating == ("Các sở, ngành",)
    assert "trợ giúp pháp lý" in d.task


def test_lead_then_participants_separated_by_a_semicolon():
    d = one("1. Đề án truyền thông về phòng, chống mua bán người\n"
            "Sở Thông tin và Truyền thông chủ trì; Sở Văn hóa, Thể thao và Du lịch tham gia.")
    assert d.lead == ("Sở Thông tin và Truyền thông",)
    assert d.coordinating == ("Sở Văn hóa, Thể thao và Du lịch",)
    assert d.task.startswith("1. Đề án truyền thông")  # a bare assignment applies to its heading


def test_de_nghi_x_chu_tri_request_to_a_body_outside_the_committee():
    d = one("5. Đề nghị Tòa án nhân dân tỉnh chủ trì tổ chức các phiên tòa xét xử lưu động vụ án mua bán người.")
    assert d.lead == ("Tòa án nhân dân tỉnh",)
    assert d.coordinating == () and d.performers == ()


def test_performers_only_clause_names_no_lead():
    d = one("- Tổ chức tập huấn nghiệp vụ cho cán bộ các cấp (các sở, ngành, UBND các huyện, thành phố thực hiện).")
    assert d.lead == () and d.coordinating == ()
    assert set(d.performers) == {"Các sở, ngành", "Ủy ban nhân dân các huyện, thị xã, thành phố"}
    assert d.task.startswith("Tổ chức tập huấn")


def test_text_without_an_assignment_yields_no_duty():
    assert duties.extract_duties("inline", "1. Tuyên truyền pháp luật về phòng, chống mua bán người.\n- Tổ chức hội nghị.") == []


# --- agency names -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "alias, canonical",
    [
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở Lao động, Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
        ("Uỷ ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("BCĐ 138", "Ban Chỉ đạo 138 tỉnh"),
        ("công an tỉnh", "Công an tỉnh"),
    ],
)
def test_agency_aliases_normalise_to_one_canonical_name(alias, canonical):
    agency = duties.agency_by_name(alias)
    assert agency is not None and agency.name == canonical


def test_an_unknown_name_is_not_forced_onto_an_agency():
    assert duties.agency_by_name("Câu lạc bộ bóng đá Hà Nội") is None
    assert duties.english_name("Câu lạc bộ bóng đá Hà Nội") == "Câu lạc bộ bóng đá Hà Nội"


@pytest.mark.parametrize(
    "name, english",
    [
        ("Sở Y tế", "Department of Health"),
        ("Sở LĐ-TB&XH", "Department of Labour, Invalids and Social Affairs"),
        ("Công an tỉnh", "Provincial Police"),
        ("Uỷ ban nhân dân tỉnh", "Provincial People's Committee"),
    ],
)
def test_english_names_of_agencies(name, english):
    assert duties.english_name(name).startswith(english)


def test_extraction_grows_linearly_with_the_number_of_clauses():
    """A 59 KB plan with thousands of assignments once took minutes (quadratic scans of every clause
    and every sibling); four times the clauses must now cost about four times the time, not sixteen."""
    import time

    from assistant.duties import extract_duties

    para = ("- Tăng cường tuyên truyền tại cơ sở (Công an tỉnh chủ trì, phối hợp với Sở Tư pháp thực hiện).\n\n"
            "Sở Y tế chủ trì; Sở Tư pháp tham gia.\n\n- Cơ quan chủ trì: Sở Y tế.\n\n")

    def seconds(n: int) -> float:
        text = "II. NHIỆM VỤ\n\n1. Công tác\n\n" + para * n
        best = float("inf")
        for _ in range(2):
            t0 = time.perf_counter()
            records = extract_duties("x", text)
            best = min(best, time.perf_counter() - t0)
        assert len(records) == 3 * n
        return best

    small, large = seconds(300), seconds(1200)
    assert large < 9 * small, (small, large)


def test_task_records_are_written_at_index_time_and_equal_a_fresh_extraction(bot):
    """Chat, the matrix and the comparison read one set of records, stored with the index (tasks.json)."""
    import json

    stored = json.loads((bot.store.path / "tasks.json").read_text(encoding="utf-8"))
    assert stored["version"] == duties.TASKS_VERSION and stored["records"]
    fresh = duties.index_records(bot.store.documents.values())
    assert [duties.Duty.from_json(r) for r in stored["records"]] == fresh
    for record in fresh:  # one record per task, its clause an exact span of the document
        text = bot.store.documents[record.doc_id].text
        assert text[record.clause_start : record.clause_end] == record.clause
    assert len({(r.doc_id, r.task_start, r.task_end) for r in fresh}) == len(fresh)


# --- a parenthesis closing a list; a heading naming whose duties follow --------------------------
def test_a_parenthesis_on_its_own_line_after_a_list_assigns_every_item():
    text = ("2.3. Công tác phòng ngừa nghiệp vụ\n\n"
            "- Rà soát các đường dây, băng, nhóm mua bán người (*Công an tỉnh chủ trì thực hiện*).\n\n"
            "Tổ chức thực hiện các giải pháp chống khai thác hải sản bất hợp pháp trên biển.\n\n"
            "- Quản lý xuất cảnh, nhập cảnh, cư trú của người nước ngoài trên địa bàn tỉnh.\n\n"
            "- Khai thác Cơ sở dữ liệu quốc gia về dân cư phục vụ phòng, chống mua bán người.\n\n"
            "(Công an tỉnh, Bộ Chỉ huy Bộ đội Biên phòng tỉnh phối hợp các sở, ngành thực hiện).\n")
    found = duties.extract_duties("inline", text)
    closing = [d for d in found if d.clause.startswith("Công an tỉnh, Bộ Chỉ huy")]
    tasks = [d.task for d in closing]
    assert any(t.startswith("Quản lý xuất cảnh") for t in tasks)
    assert any(t.startswith("Khai thác Cơ sở dữ liệu") for t in tasks)
    # the paragraph after the first item's own clause takes the closing clause; the item keeps its own
    assert any(t.startswith("Tổ chức thực hiện các giải pháp chống khai thác hải sản") for t in tasks)
    own = [d for d in found if d.task.startswith("Rà soát")]
    assert len(own) == 1 and own[0].lead == ("Công an tỉnh",)
    assert len(tasks) == len(set(tasks)) == 3  # each item once
    for d in closing:
        assert d.performers == ("Công an tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh")
        assert text[d.task_start : d.task_end] == d.task and text[d.clause_start : d.clause_end] == d.clause


def test_a_parenthesis_inside_a_line_assigns_only_its_own_item():
    text = ("- Tuyên truyền pháp luật cho người dân.\n"
            "- Tập huấn cho cán bộ cấp xã (Sở Tư pháp chủ trì thực hiện).\n")
    found = duties.extract_duties("inline", text)
    assert [d.task for d in found] == ["Tập huấn cho cán bộ cấp xã"]


def test_an_article_on_a_ministrys_responsibility_gives_it_each_clause():
    text = ("Điều 47. Trách nhiệm của Bộ Tư pháp\n"
            "1. Phối hợp với Bộ Công an và các cơ quan hữu quan trong việc xây dựng, hoàn thiện pháp luật.\n"
            "2. Chỉ đạo lực lượng Bộ đội biên phòng thực hiện nhiệm vụ tại khu vực biên giới.\n"
            "3. Chủ trì hướng dẫn các trung tâm trợ giúp pháp lý thực hiện trợ giúp pháp lý cho nạn nhân.\n"
            "Điều 48. Trách nhiệm của Bộ Y tế\n"
            "Chỉ đạo, hướng dẫn cơ sở y tế thực hiện việc hỗ trợ y tế cho nạn nhân.\n")
    found = {d.task[:12]: d for d in duties.extract_duties("law", text)}
    first, second, third = found["1. Phối hợp "], found["2. Chỉ đạo l"], found["3. Chủ trì h"]
    assert first.performers == ("Bộ Tư pháp",) and first.coordinating == ("Bộ Công an",)
    assert second.performers == ("Bộ Tư pháp",) and second.coordinating == ()  # directed, not a partner
    assert third.lead == ("Bộ Tư pháp",)
    assert first.clause == "Trách nhiệm của Bộ Tư pháp"
    health = found["Chỉ đạo, hướ"]
    assert health.performers == ("Bộ Y tế",) and health.coordinating == ()  # "cơ sở y tế" is not Sở Y tế


def test_an_article_whose_title_makes_a_body_its_subject_gives_it_each_clause():
    text = ("Điều 20. Hội Liên hiệp phụ nữ Việt Nam và Đoàn Thanh niên tham gia phòng ngừa mua bán người trong cộng đồng dân cư\n"
            "1. Vận động phụ nữ và thanh niên tham gia các câu lạc bộ phòng ngừa mua bán người.\n"
            "2. Phát hiện và báo tin cho cơ quan Công an về các trường hợp nghi vấn.\n"
            "Điều 21. Gia đình tham gia phòng ngừa mua bán người\n"
            "1. Giáo dục các thành viên trong gia đình về thủ đoạn mua bán người.\n")
    found = duties.extract_duties("law", text)

    def task(opening: str):
        return next(d for d in found if d.task.startswith(opening))

    assert "Hội Liên hiệp Phụ nữ tỉnh" in task("1. Vận động").performers
    assert "Hội Liên hiệp Phụ nữ tỉnh" in task("2. Phát hiện").performers
    assert not any(d.task.startswith("1. Giáo dục") for d in found)  # a family is no body in the gazetteer


def test_a_clause_that_names_its_own_subject_narrows_the_heading_s_body():
    text = ("Điều 60. Trách nhiệm của Ủy ban nhân dân các cấp\n"
            "1. Ủy ban nhân dân các cấp có trách nhiệm bố trí ngân sách cho công tác phòng, chống mua bán người.\n"
            "2. Ngoài các nhiệm vụ tại khoản 1 Điều này, Ủy ban nhân dân cấp xã còn có trách nhiệm:\n"
            "a) Tiếp nhận nạn nhân trở về địa phương;\n"
            "b) Tạo điều kiện cho nạn nhân hòa nhập cộng đồng.\n")
    found = {d.task[:12]: d for d in duties.extract_duties("law", text)}
    commune = next(d for k, d in found.items() if k.startswith("2. Ngoài"))
    assert commune.performers == ("Ủy ban nhân dân các xã, phường",)
    assert next(d for k, d in found.items() if k.startswith("1. Ủy ban")).performers == ("Ủy ban nhân dân các cấp",)


@pytest.mark.parametrize("text", ["Hỗ trợ nạn nhân tại cơ sở y tế công lập.", "Chuyển nạn nhân đến co so y te gần nhất."])
def test_health_facilities_are_not_the_health_department(text):
    assert duties.find_agencies(text) == []


def test_the_body_a_lead_helps_is_not_a_performer():
    lead, coord, perform = duties.roles_in("Bộ Công an chịu trách nhiệm giúp Chính phủ thực hiện quản lý nhà nước", 0)
    assert lead == ["Bộ Công an"] and perform == [] and coord == []


def test_the_law_66_responsibility_articles_name_each_ministry():
    law = ROOT.parent / "shared" / "legal" / "luat-66-2011-QH12-phong-chong-mua-ban-nguoi.txt"
    if not law.is_file():
        pytest.skip(f"{law} is not available (read-only shared legal texts)")
    text = law.read_text("utf-8")
    found = duties.extract_duties("luat-66", text)
    owners = {d.section.split(" › ")[1]: set(d.performers + d.lead) for d in found if d.section.startswith("Chương 6")}
    assert {"Bộ Tư pháp"} <= owners["Điều 47"] and {"Bộ Ngoại giao"} <= owners["Điều 46"]
    assert {"Bộ Văn hóa, Thể thao và Du lịch"} <= owners["Điều 48"] and {"Bộ Y tế"} <= owners["Điều 45"]


def test_the_sentences_after_an_item_s_clause_are_the_same_agency_s_task():
    text = ("III. TỔ CHỨC THỰC HIỆN\n"
            "1. Các sở, ngành căn cứ nhiệm vụ được giao xây dựng kế hoạch thực hiện.\n\n"
            "2. Công an tỉnh - Cơ quan Thường trực Ban Chỉ đạo chịu trách nhiệm theo dõi, đôn đốc việc thực hiện Kế hoạch "
            "này. Định kỳ hằng quý tổng hợp tình hình, xây dựng báo cáo gửi Ủy ban nhân dân tỉnh theo quy định.\n\n"
            "3. Sở Y tế chủ trì hỗ trợ nạn nhân. Chủ trì Đề án 3 và phối hợp với Sở Tư pháp tổ chức tập huấn.\n\n"
            "Nơi nhận:\n- Bộ Công an;\n- Lưu: VT.\n")
    found = duties.extract_duties("ke-hoach-thu", text)
    police = [d for d in found if "Công an tỉnh" in d.lead + d.performers]
    assert police and "Định kỳ hằng quý" in police[0].task and "Nơi nhận" not in police[0].task, police
    health = [d for d in found if "Sở Y tế" in d.lead and "hỗ trợ nạn nhân" in d.task]
    assert health and "Đề án 3" not in health[0].task  # a later sentence with a clause of its own is its own task


def test_a_section_wide_assignment_names_who_carries_out_the_section_and_whom_it_requests():
    text = ("II. NHIỆM VỤ\n2. Công tác phòng ngừa xã hội\n- Xây dựng mạng lưới tuyên truyền viên tại cấp cơ sở.\n"
            "- Phân công thực hiện: Các sở, ban, ngành, Ủy ban nhân dân các xã, phường và đề nghị Viện kiểm sát nhân dân "
            "tỉnh thực hiện theo chức năng, nhiệm vụ, quyền hạn.\n3. Công tác khác\n")
    d = one(text)
    assert d.section_wide and not d.lead
    assert "Ủy ban nhân dân các xã, phường" in d.performers and "Viện kiểm sát nhân dân tỉnh" in d.performers
    assert "Xây dựng mạng lưới tuyên truyền viên" in d.task and "Phân công" not in d.task
    assert d.clause.startswith("Các sở, ban, ngành") and "Công tác khác" not in d.clause
    # a "Phân công thực hiện:" line whose agencies follow on lines of their own is the lead form, not this one
    lines = ("1. Nâng cao năng lực y tế.\nPhân công thực hiện:\n- Cơ quan chủ trì: Sở Y tế.\n")
    assert not one(lines).section_wide


def test_a_later_sentence_of_a_law_clause_with_a_subject_of_its_own_is_that_bodys_task():
    text = ("Điều 24. Tiếp nhận nạn nhân\n"
            "1. Nạn nhân có thể đến Ủy ban nhân dân cấp xã khai báo về việc bị mua bán. Ủy ban nhân dân cấp xã có trách "
            "nhiệm thông báo ngay với Phòng Lao động – Thương binh và Xã hội.\n"
            "2. Đối với người chưa có giấy tờ thì Phòng Lao động – Thương binh và Xã hội đề nghị cơ quan Công an cùng cấp "
            "tiến hành việc xác minh.\n"
            "3. Trong thời hạn 20 ngày, kể từ ngày nhận được yêu cầu, cơ quan Công an cùng cấp có trách nhiệm xác minh và "
            "trả lời bằng văn bản.\n")
    records = duties.extract_duties("law", text)
    notify = next(r for r in records if "thông báo ngay" in r.task)
    assert notify.task.startswith("Ủy ban nhân dân cấp xã có trách nhiệm") and notify.performers, records
    verify = next(r for r in records if r.task.startswith("Trong thời hạn 20 ngày"))
    assert verify.performers == ("Công an tỉnh",), verify
    asked = next(r for r in records if "tiến hành việc xác minh" in r.task)
    assert "Công an tỉnh" in duties.requested_in(asked) and "Phòng Lao động - Thương binh và Xã hội" in asked.performers, asked


def test_a_plan_sentence_saying_a_body_must_report_is_no_task_record_outside_an_article():
    text = "II. NHIỆM VỤ\n1. Công tác tuyên truyền\n- Tổ chức tuyên truyền tại cơ sở. Sở Tư pháp phải báo cáo kết quả hằng năm.\n"
    assert not [r for r in duties.extract_duties("plan", text) if "báo cáo kết quả" in r.task], duties.extract_duties("plan", text)


def test_a_competent_body_of_a_ministry_is_that_ministry_doing_the_item():
    text = ("Điều 26. Tiếp nhận nạn nhân từ nước ngoài trở về\n"
            "1. Việc tiếp nhận nạn nhân được thực hiện như sau:\n"
            "a) Cơ quan đại diện Việt Nam ở nước ngoài tiếp nhận và xử lý thông tin về nạn nhân;\n"
            "b) Cơ quan có thẩm quyền của Bộ Công an, Bộ Quốc phòng thực hiện việc tiếp nhận nạn nhân, hỗ trợ tiền tàu xe.\n")
    receive = next(r for r in duties.extract_duties("law", text) if "tiền tàu xe" in r.task)
    assert receive.performers == ("Bộ Công an", "Bộ Quốc phòng"), receive


def test_the_body_acting_in_a_conditions_consequence_is_that_sentences_doer():
    text = ("Điều 24. Tiếp nhận nạn nhân\n"
            "4. Trong thời hạn 20 ngày, cơ quan Công an cùng cấp có trách nhiệm xác minh. Trường hợp có đủ điều kiện xác "
            "định là nạn nhân thì cơ quan đã tiến hành xác minh cấp giấy xác nhận nạn nhân cho họ.\n")
    issue = next(r for r in duties.extract_duties("law", text) if "cấp giấy xác nhận" in r.task)
    assert issue.performers == ("Cơ quan đã tiến hành xác minh",), issue
