"""The eval harness: pure metric functions, and a whole run on a tiny corpus so the harness
itself is checked (evals are data plus pure functions)."""
from __future__ import annotations

import json
import math

import pytest

from assistant.evals import harness as evaluate
from assistant.evals.harness import answer_correct, covers, percentile, retrieval_metrics

AN_GIANG = """Số: 12/KH-UBND
An Giang, ngày 10 tháng 01 năm 2025

KẾ HOẠCH
Phòng, chống mua bán người năm 2025 của tỉnh An Giang

I. MỤC TIÊU
1. Tỷ lệ điều tra, khám phá các vụ án mua bán người đạt trên 85% tổng số án khởi tố.
2. Tổ chức tuyên truyền pháp luật về phòng, chống mua bán người tới các xã biên giới.

II. NHIỆM VỤ
1. Tiếp nhận, xác minh, bảo vệ và hỗ trợ nạn nhân bị mua bán trở về địa phương, bảo đảm nạn nhân được chăm sóc y tế và tư vấn tâm lý (Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Công an tỉnh thực hiện).
2. Đấu tranh, triệt phá các đường dây mua bán người qua biên giới (Công an tỉnh chủ trì, phối hợp với Bộ Chỉ huy Bộ đội Biên phòng tỉnh thực hiện).
"""

CA_MAU = """Số: 30/KH-UBND
Cà Mau, ngày 02 tháng 03 năm 2025

KẾ HOẠCH
Tuyên truyền phòng, chống mua bán người năm 2025 của tỉnh Cà Mau

I. NỘI DUNG
1. Phát sóng chuyên mục phòng, chống mua bán người trên Đài Phát thanh và Truyền hình tỉnh mỗi tháng một lần (Sở Thông tin và Truyền thông chủ trì thực hiện).
2. Tổ chức hội thi tìm hiểu pháp luật về phòng, chống mua bán người cho học sinh trung học phổ thông (Sở Giáo dục và Đào tạo chủ trì thực hiện).
"""

QUESTIONS = [
    {"id": "t1", "question": "Ở An Giang, cơ quan nào chủ trì hỗ trợ nạn nhân bị mua bán trở về?", "lang": "vi",
     "answerable": True, "expect": ["Thương binh và Xã hội"],
     "gold": [{"doc_id": "an-giang", "quote": "Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Công an tỉnh thực hiện"}]},
    {"id": "t2", "question": "What is An Giang's target rate for investigating trafficking cases?", "lang": "en",
     "answerable": True, "expect": ["85%"],
     "gold": [{"doc_id": "an-giang", "quote": "Tỷ lệ điều tra, khám phá các vụ án mua bán người đạt trên 85% tổng số án khởi tố"}]},
    {"id": "t3", "question": "Ngân sách tỉnh Cà Mau chi bao nhiêu tỷ đồng cho phòng, chống mua bán người năm 2025?", "lang": "vi",
     "answerable": False, "gold": [], "expect": []},
    {"id": "t4", "question": "Kế hoạch của tỉnh Hà Giang giao ai chủ trì hỗ trợ nạn nhân?", "lang": "vi",
     "answerable": False, "gold": [], "expect": []},
]


# --- pure metrics -----------------------------------------------------------------------------
def test_retrieval_metrics_from_first_relevant_ranks():
    m = retrieval_metrics([1, None, 3])
    assert m["n"] == 3
    assert m["hit@1"] == pytest.approx(1 / 3)
    assert m["hit@3"] == pytest.approx(2 / 3)
    assert m["hit@5"] == pytest.approx(2 / 3)
    assert m["mrr"] == pytest.approx((1 + 1 / 3) / 3)


def test_retrieval_metrics_ignore_ranks_beyond_the_mrr_cutoff_and_handle_no_questions():
    assert retrieval_metrics([11], mrr_at=10)["mrr"] == 0.0
    assert retrieval_metrics([2], ks=(1, 2))["hit@2"] == 1.0
    assert retrieval_metrics([]) == {"n": 0, "hit@1": 0.0, "hit@3": 0.0, "hit@5": 0.0, "mrr": 0.0}


def test_first_relevant_rank_is_one_based():
    assert evaluate.first_relevant_rank([False, False, True, True]) == 3
    assert evaluate.first_relevant_rank([False]) is None


def test_covers_needs_half_of_a_gold_quote_in_the_same_document():
    gold = [("doc-a", 100, 200)]
    assert covers("doc-a", 150, 400, gold)  # exactly half
    assert not covers("doc-a", 151, 400, gold)  # one character short of half
    assert covers("doc-a", 0, 1000, gold)
    assert not covers("doc-b", 0, 1000, gold)  # same span, other document
    assert not covers("doc-a", 200, 300, gold)  # adjacent, no overlap


def test_gold_spans_find_quotes_whatever_the_tone_placement():
    text = "Giao Uỷ ban nhân dân tỉnh chủ trì. Tỷ lệ đạt 90%."
    q = {"gold": [{"doc_id": "d", "quote": "Ủy ban nhân dân tỉnh chủ trì"}, {"doc_id": "missing", "quote": "x"}]}
    spans = evaluate.gold_spans(q, {"d": text})
    assert spans == [("d", text.index("Uỷ ban"), text.index("Uỷ ban") + len("Ủy ban nhân dân tỉnh chủ trì"))]


def test_answer_correct_ignores_case_and_tone_placement():
    answer = "Uỷ ban nhân dân tỉnh chủ trì; tỷ lệ đạt 90%."
    assert answer_correct(answer, ["ủy ban nhân dân tỉnh", "90%"])
    assert answer_correct(answer, ["UỶ BAN"], expect_any=["80%", "90%"])
    assert not answer_correct(answer, ["Sở Y tế"])
    assert not answer_correct(answer, ["ủy ban"], expect_any=["80%", "70%"])
    assert not answer_correct(answer, ["uy ban"])  # diacritics are not optional
    assert answer_correct("anything", [])


def test_percentile_interpolates_linearly():
    values = [4.0, 1.0, 3.0, 2.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 4.0
    assert percentile(values, 50) == pytest.approx(2.5)
    assert percentile(values, 95) == pytest.approx(3.85)
    assert percentile([], 50) == 0.0
    assert percentile([7.0], 99) == 7.0


def test_load_questions_skips_blank_lines_and_comments(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('// a comment\n\n{"id": "a", "question": "x"}\n  \n{"id": "b", "question": "y"}\n', encoding="utf-8")
    assert [q["id"] for q in evaluate.load_questions(path)] == ["a", "b"]


def test_a_follow_up_is_searched_together_with_its_parent():
    questions = [{"id": "p", "question": "Ai chủ trì hỗ trợ nạn nhân?"}, {"id": "f", "question": "Còn Quảng Ninh?", "followup_of": "p"}]
    assert evaluate.resolved_question(questions[1], questions) == "Ai chủ trì hỗ trợ nạn nhân? Còn Quảng Ninh?"
    assert evaluate.resolved_question(questions[0], questions) == "Ai chủ trì hỗ trợ nạn nhân?"


def test_score_retrieval_groups_by_language_with_a_fake_searcher():
    texts = {"d": "a" * 50 + "GOLD" + "b" * 50}
    questions = [
        {"id": "1", "question": "q1", "lang": "vi", "gold": [{"doc_id": "d", "quote": "GOLD"}]},
        {"id": "2", "question": "q2", "lang": "en", "gold": [{"doc_id": "d", "quote": "GOLD"}]},
        {"id": "3", "question": "q3", "lang": "en", "answerable": False, "gold": []},
    ]
    results = {"q1": [("d", 0, 10), ("d", 50, 54)], "q2": [("d", 0, 10)]}
    table = evaluate.score_retrieval(questions, texts, lambda q, k: results[q])
    assert table["vi"]["hit@1"] == 0.0 and table["vi"]["hit@3"] == 1.0 and table["vi"]["mrr"] == 0.5
    assert table["en"]["n"] == 1 and table["en"]["hit@5"] == 0.0
    assert table["all"]["n"] == 2 and table["all"]["mrr"] == 0.25


# --- the whole harness on a tiny corpus ----------------------------------------------------
def test_run_eval_on_a_tiny_corpus_reports_metrics_per_group(make_bot, tmp_path):
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "an-giang.txt").write_text(AN_GIANG, encoding="utf-8")
    (docs / "ca-mau.txt").write_text(CA_MAU, encoding="utf-8")
    qpath = tmp_path / "questions.jsonl"
    qpath.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS) + "\n", encoding="utf-8")
    bot = make_bot(docs).warm_up()
    assert set(bot.store.documents) == {"an-giang", "ca-mau"}

    modes = ("hybrid", "keyword", "dense", "langchain")
    report = evaluate.run_eval(bot, qpath, modes=modes)
    assert set(report.retrieval) == set(modes)
    for mode, groups in report.retrieval.items():
        assert set(groups) == {"vi", "en", "all"}, (mode, groups)
        assert groups["all"]["n"] == 2 and groups["vi"]["n"] == 1 and groups["en"]["n"] == 1
        for group, metrics in groups.items():
            for key in ("hit@1", "hit@3", "hit@5", "mrr"):
                assert 0.0 <= metrics[key] <= 1.0, (mode, group, key, metrics[key])
            assert metrics["hit@1"] <= metrics["hit@3"] <= metrics["hit@5"]
    # On two short plans the gold passage is always within reach of the product's own retriever.
    assert report.retrieval["hybrid"]["all"]["hit@5"] == 1.0

    answers = report.answers
    assert answers["answerable"] == 2 and answers["unanswerable"] == 2
    for key in ("answer_accuracy", "false_refusal_rate", "refusal_accuracy"):
        assert 0.0 <= answers[key] <= 1.0, (key, answers[key])
    assert answers["ask_ms_p50"] > 0 and answers["ask_ms_p95"] >= answers["ask_ms_p50"]
    # The failures list agrees with the rates it summarises.
    wrong_answers = round((1 - answers["answer_accuracy"]) * answers["answerable"])
    wrong_refusals = round((1 - answers["refusal_accuracy"]) * answers["unanswerable"])
    assert len(answers["failures"]) == wrong_answers + wrong_refusals
    assert answers["refusal_accuracy"] == 1.0, answers["failures"]
    assert answers["answer_accuracy"] >= 0.5, answers["failures"]

    data = report.to_json()
    assert set(data) == {"retrieval", "answers", "seconds"}
    json.dumps(data, ensure_ascii=False)  # plain JSON
    table = evaluate.format_retrieval(report.retrieval, "tiny")
    assert table.count("| hybrid |") == 3 and "### tiny" in table
    assert "| 2 |" in evaluate.format_answers(answers)
    assert not math.isnan(report.seconds)
