"""The trainers' toolkit over the shipped corpus: plan comparison and quizzes (checked against the matrix)."""
from __future__ import annotations

import json
import random
import re

import pytest

from assistant.cli import common as cli_common
from assistant.cli import parser as cli

from assistant import duties

from assistant import comparison, plans
from assistant.trainer import matrix
from assistant.trainer import quiz as quizzes
from assistant.trainer.compare import render_comparison
from assistant.errors import UsageError
from assistant.text import fold

NB2024 = "ninh-binh-2024-ke-hoach-22-kh-bcd"
NB2026 = "ninh-binh-2026-2030-ke-hoach-chuong-trinh"
QN = "quang-ninh-2011-2015-quyet-dinh-3087"
BRVT = "ba-ria-vung-tau-ke-hoach-cong-uoc-actip"
LDTBXH = "Sở Lao động - Thương binh và Xã hội"


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(s)).strip()


# --- compare ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def victim_support(bot):
    return comparison.compare(bot, topic="hỗ trợ nạn nhân")


def test_victim_support_moves_from_the_labour_department_to_health(bot, victim_support):
    entries = {e.doc_id: e for e in victim_support.entries}
    assert [e.doc_id for e in victim_support.entries] == [QN, BRVT, NB2024, NB2026]  # oldest first
    for older in (QN, BRVT, NB2024):
        assert entries[older].lead == (LDTBXH,), (older, entries[older].lead)
    assert entries[NB2026].lead == ("Sở Y tế",)
    assert LDTBXH not in entries[NB2026].lead + entries[NB2026].other_leads
    assert entries[NB2026].change == f"đổi cơ quan chủ trì: {LDTBXH} → Sở Y tế"
    assert entries[BRVT].change == "không đổi" and entries[QN].change == "—"
    assert "Lâm Đồng 2024" in victim_support.missing
    # the change is explained from the data file, only where it happens
    social = next(c for c in comparison.reorganisations() if c["id"] == "2025-ldtbxh-social")
    assert victim_support.notes == (social["vi"],)
    assert entries[NB2026].notes == (social["vi"],) and entries[NB2024].notes == ()


def test_compared_tasks_point_at_their_passages_and_are_about_the_topic(bot, victim_support):
    for entry in victim_support.entries:
        text = bot.store.documents[entry.doc_id].text
        assert entry.duties
        for d in entry.duties:
            assert text[d.start : d.end] == d.task
            assert "nan nhan" in fold(d.task + " " + d.clause)
        assert set(entry.lead) <= {n for d in entry.duties for n in d.lead}


def test_english_topic_gives_the_same_plans_in_english(bot, victim_support):
    english = comparison.compare(bot, topic="victim support", lang="en")
    assert [(e.doc_id, e.lead) for e in english.entries] == [(e.doc_id, e.lead) for e in victim_support.entries]
    last = english.entries[-1]
    assert last.change == "lead changed: Department of Labour, Invalids and Social Affairs (DOLISA) → Department of Health"
    assert english.notes and english.notes[0].startswith("In 2025 the Department of Labour")
    text = render_comparison(english)
    assert "Lead" in text.splitlines()[2] and "Department of Health" in text


def test_labour_export_moves_to_home_affairs(bot):
    cmp = comparison.compare(bot, topic="đưa người lao động đi làm việc ở nước ngoài")
    entries = {e.doc_id: e for e in cmp.entries}
    assert entries[NB2026].lead == ("Sở Nội vụ",)
    assert LDTBXH in entries[NB2024].lead
    labour = next(c for c in comparison.reorganisations() if c["id"] == "2025-ldtbxh-labour")
    assert labour["vi"] in cmp.notes


def test_agency_comparison_counts_roles_and_explains_a_vanished_agency(bot):
    cmp = comparison.compare(bot, agency="Sở LĐ-TB&XH")
    assert cmp.agency == LDTBXH
    assert [e.doc_id for e in cmp.entries] == [QN, BRVT, NB2024]
    assert "Ninh Bình 2026-2030" in cmp.missing
    for e in cmp.entries:
        assert e.lead == (LDTBXH,)
        for d in e.duties:
            assert LDTBXH in {"lead": d.lead, "coordinating": d.coordinating, "performers": d.performers}[d.role]
    assert any("Sở Y tế" in n for n in cmp.notes)
    table = render_comparison(cmp)
    assert table.splitlines()[0] == LDTBXH and "nhiệm vụ" in table


def test_compare_needs_a_topic_or_an_agency(bot):
    with pytest.raises(UsageError, match="topic or an agency"):
        comparison.compare(bot)
    with pytest.raises(UsageError, match="No agency"):
        comparison.compare(bot, agency="Sở Hải quan")


def test_compare_json_command(bot, monkeypatch, capsys):
    monkeypatch.setattr(cli_common, "make_assistant", lambda args, **kw: bot)
    assert cli.main(["compare", "hỗ trợ nạn nhân", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["topic"] == "hỗ trợ nạn nhân"
    assert [e["lead"] for e in data["entries"]][-1] == ["Sở Y tế"]
    assert cli.main(["compare"]) == 2  # neither topic nor agency


def test_reorganisation_notes_name_real_agencies():
    for change in comparison.reorganisations():
        assert change["vi"] and change["en"] and int(change["year"]) >= 2025
        for name in change["from"] + change["to"]:
            agency = duties.agency_by_name(name)
            assert agency is not None and agency.name == name, name


# --- quiz ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def quiz(bot):
    return quizzes.make_quiz(bot, n=14, seed=1)


@pytest.fixture(scope="module")
def big_quiz(bot):
    return quizzes.make_quiz(bot, n=60, seed=7)


def _leads_of_task(bot, q):
    """Every lead the matrix gives for the question's task span."""
    rows = matrix.duty_rows(bot.store, document=q.source.doc_id)
    same = [r for r in rows if r["start"] == q.task_start and r["end"] == q.task_end]
    assert same, q.stem
    return {n for r in same for n in r["lead"]}


def test_quiz_has_the_asked_number_of_numbered_unique_questions(quiz):
    assert len(quiz) == 14
    assert [q.n for q in quiz] == list(range(1, 15))
    assert {q.kind for q in quiz} == {"lead", "true_false"}
    assert all(q.stem.endswith("?") for q in quiz)
    assert len({_norm(q.stem) for q in quiz}) == len(quiz)
    assert sum(q.kind == "lead" for q in quiz) >= 7


def test_every_who_leads_answer_matches_the_matrix(bot, big_quiz):
    leads = [q for q in big_quiz if q.kind == "lead"]
    assert len(leads) >= 20
    for q in leads:
        truth = _leads_of_task(bot, q)
        assert len(q.options) == 4 and len(set(q.agencies)) == 4
        assert {q.agencies[i] for i in q.answer} == truth, q.stem
        distractors = [a for i, a in enumerate(q.agencies) if i not in q.answer]
        assert not set(distractors) & truth
        assert all(plans.is_specific(a) for a in q.agencies)
        # the stem does not give the answer away
        named = {m.agency.name for m in duties.find_agencies(q.stem) if q.stem[m.start].isupper()}
        assert not named & truth, q.stem
        assert q.multiple == (len(truth) > 1)
        assert ("(chọn tất cả đáp án đúng)?" in q.stem) == q.multiple
        text = bot.store.documents[q.source.doc_id].text
        assert text[q.source.start : q.source.end] == q.source.quote
        assert "chủ trì" in q.source.quote.lower() or "là đầu mối" in q.source.quote or "thường trực" in q.source.quote
        assert "các hoạt động trên" not in q.stem


def test_multi_lead_questions_say_select_all_and_key_all(big_quiz):
    multi = [q for q in big_quiz if q.multiple]
    assert multi
    for q in multi:
        assert len(q.answer) >= 2
        assert q.key.startswith(", ".join("ABCD"[i] for i in q.answer) + " — ")


def test_true_false_statements_quote_the_plan_and_false_ones_change_one_figure(bot, big_quiz):
    statements = [q for q in big_quiz if q.kind == "true_false"]
    assert any(q.answer == (0,) for q in statements) and any(q.answer == (1,) for q in statements)
    for q in statements:
        assert q.options == ("Đúng", "Sai") and q.stem.startswith("Đúng hay sai: ")
        text = bot.store.documents[q.source.doc_id].text
        assert text[q.source.start : q.source.end] == q.source.quote
        shown = q.stem[q.stem.index("“") + 1 : q.stem.rindex("”")]
        if q.answer == (0,):
            assert shown in text
        else:
            assert shown not in text
            real = re.findall(r"\d+", q.source.quote)
            fake = re.findall(r"\d+", shown)
            assert len(real) == len(fake) and sum(a != b for a, b in zip(real, fake)) == 1
            assert q.key.startswith("B — Sai: văn bản ghi ")


def test_known_target_can_be_asked(bot):
    # "tỷ lệ điều tra, khám phá … đạt trên 90%" is a target of the Ninh Bình 2024 plan.
    qs = quizzes.make_quiz(bot, n=40, document=NB2024, seed=3)
    targets = [q for q in qs if q.kind == "true_false" and "khám phá" in q.source.quote]
    assert targets
    assert all(q.source.doc_id == NB2024 for q in qs)
    assert "đạt trên 90% tổng số án khởi tố" in targets[0].source.quote


def test_quiz_is_reproducible_by_seed(bot, quiz):
    again = quizzes.make_quiz(bot, n=14, seed=1)
    assert [q.to_json() for q in again] == [q.to_json() for q in quiz]
    other = quizzes.make_quiz(bot, n=14, seed=2)
    assert [q.stem for q in other] != [q.stem for q in quiz]


def test_english_quiz_keeps_vietnamese_names_and_quotes(bot):
    qs = quizzes.make_quiz(bot, n=12, seed=1, lang="en")
    for q in qs:
        assert q.stem.startswith(("According to the ", "True or false: according to the "))
        assert q.stem.endswith("?")
        if q.kind == "lead":
            assert all(re.search(r"\(.+\)$", o) for o in q.options)  # "Department of Health (Sở Y tế)"
            assert all(f"({a})" in o for a, o in zip(q.agencies, q.options))
        else:
            assert q.options == ("True", "False")
    assert any(q.kind == "lead" and "select all that apply" in q.stem for q in quizzes.make_quiz(bot, n=60, seed=7, lang="en"))


def test_task_summaries_are_short_and_never_vague():
    text = ("Giao Sở Tư pháp chủ trì, phối hợp với các sở, ngành liên quan thực hiện công tác thi hành án dân sự về "
            "phòng, chống mua bán người và trợ giúp pháp lý cho nạn nhân bị mua bán")
    duty = duties.Duty("d", "IV › 4", "", text, 0, len(text), text, 0, len(text), ("Sở Tư pháp",))
    assert quizzes.task_summary(duty) == ("Thi hành án dân sự về phòng, chống mua bán người và trợ giúp pháp lý "
                                          "cho nạn nhân bị mua bán")
    vague = "Công an tỉnh chủ trì thực hiện các hoạt động trên"
    assert quizzes.task_summary(duties.Duty("d", "", "", vague, 0, 1, vague, 0, 1, ("Công an tỉnh",))) is None
    long = ("Tổ chức rà soát, tổng hợp những khó khăn, vướng mắc trong quá trình áp dụng các quy định của Bộ luật "
            "Hình sự năm 2015 (sửa đổi, bổ sung năm 2017) liên quan đến tội phạm mua bán người để kiến nghị sửa đổi")
    summary = quizzes.task_summary(duties.Duty("d", "", "", "a) " + long, 0, 1, "", 0, 1, ("Công an tỉnh",)))
    assert summary.endswith("…") and len(summary) <= quizzes.SUMMARY_CHARS + 1
    assert summary.startswith("Tổ chức rà soát") and "(" not in summary


def test_falsify_changes_one_figure_to_another_plausible_one():
    rng = random.Random(0)
    sentence = "Tỷ lệ điều tra, khám phá các vụ án mua bán người đạt trên 90% tổng số án khởi tố"
    for _ in range(20):
        fake, real, new = quizzes._falsify(sentence, rng)
        assert real == "90%" and new != "90%" and 10 <= int(new.rstrip("%")) <= 100
        assert fake == sentence.replace("90%", new)
    fake, real, new = quizzes._falsify("thời gian từ ngày 01/7/2024 đến hết ngày 30/9/2024", rng)
    assert real in ("01/7/2024", "30/9/2024") and new != real and re.fullmatch(r"\d\d/\d{1,2}/2024", new)


# --- quiz files ------------------------------------------------------------------------------
def test_docx_quiz_is_ready_to_print(tmp_path, quiz):
    from docx import Document

    out = tmp_path / "quiz.docx"
    assert quizzes.write_quiz(quiz, out) == 0
    doc = Document(str(out))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "Bài kiểm tra: phòng, chống mua bán người"
    numbered = [i for i, t in enumerate(paragraphs) if re.match(r"Câu \d+\. ", t)]
    assert [int(re.match(r"Câu (\d+)\.", paragraphs[i]).group(1)) for i in numbered] == list(range(1, len(quiz) + 1))
    assert all(paragraphs[i].endswith("?") for i in numbered)
    first = numbered[0]
    assert [t[:3] for t in paragraphs[first + 1 : first + 1 + len(quiz[0].options)]] == ["A. ", "B. ", "C. ", "D. "][: len(quiz[0].options)]
    key = paragraphs.index("Đáp án")
    assert key > numbered[-1]
    breaks = [i for i, p in enumerate(doc.paragraphs) if 'w:br w:type="page"' in p._p.xml]
    assert breaks and numbered[-1] < breaks[0] < key
    answers = [t for t in paragraphs[key:] if re.match(r"Câu \d+: ", t)]
    assert len(answers) == len(quiz)
    assert answers[0].startswith(f"Câu 1: {quiz[0].key}")
    assert sum(t.startswith("Nguồn: ") for t in paragraphs[key:]) == len(quiz)


def test_markdown_and_json_quiz(tmp_path, quiz):
    md = tmp_path / "quiz.md"
    quizzes.write_quiz(quiz, md)
    text = md.read_text("utf-8")
    assert text.index("## Đáp án") > text.index(f"**Câu {len(quiz)}.**")
    js = tmp_path / "quiz.json"
    quizzes.write_quiz(quiz, js)
    data = json.loads(js.read_text("utf-8"))
    assert len(data) == len(quiz)
    assert data[0]["letters"] == quiz[0].letters and data[0]["source"]["quote"] == quiz[0].source.quote


def test_quiz_command(bot, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(cli_common, "make_assistant", lambda args, **kw: bot)
    out = tmp_path / "q.json"
    assert cli.main(["quiz", "-n", "5", "--seed", "3", "--out", str(out)]) == 0
    assert [q["stem"] for q in json.loads(out.read_text("utf-8"))] == [q.stem for q in quizzes.make_quiz(bot, n=5, seed=3)]
    assert cli.main(["quiz", "-n", "3", "--lang", "en"]) == 0
    assert "## Answer key" in capsys.readouterr().out
    assert cli.main(["quiz", "--out", str(tmp_path / "q.pdf")]) == 2
    assert cli.main(["quiz", "-n", "0"]) == 2
