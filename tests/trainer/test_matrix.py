"""The responsibility matrix over the shipped corpus: rows, filters and the table/CSV/XLSX/JSON writers."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from assistant.cli import parser as cli

from assistant.trainer import matrix
from assistant.errors import UsageError
from assistant.text import fold

ROOT = Path(__file__).resolve().parents[2]
GOLD = [json.loads(line) for line in (ROOT / "evals" / "duties_gold.jsonl").read_text("utf-8").splitlines() if line.strip()]

NB2024 = "ninh-binh-2024-ke-hoach-22-kh-bcd"
NB2026 = "ninh-binh-2026-2030-ke-hoach-chuong-trinh"
QN = "quang-ninh-2011-2015-quyet-dinh-3087"
BRVT = "ba-ria-vung-tau-ke-hoach-cong-uoc-actip"
LD = "lam-dong-2024-bai-bao-ke-hoach-138"
LDTBXH = "Sở Lao động - Thương binh và Xã hội"


@pytest.fixture(scope="module")
def rows(bot):
    return matrix.duty_rows(bot.store)


def _covering(rows, doc_id, offset):
    """Rows of a document whose task or clause span holds the offset."""
    return [r for r in rows if r["document"] == doc_id
            and (r["start"] <= offset < r["end"] or r["clause_start"] <= offset < r["clause_end"])]


def test_rows_have_the_documented_shape_and_spans_open_the_task(bot, rows):
    assert rows
    docs = bot.store.documents
    for r in rows:
        assert {"document", "title", "year", "period", "section", "task", "lead", "coordinating", "performers",
                "start", "end"} <= set(r)
        text = docs[r["document"]].text
        assert text[r["start"] : r["end"]] == r["task"]
        assert text[r["clause_start"] : r["clause_end"]] == r["clause"]
        assert r["title"] == docs[r["document"]].title
        assert all(isinstance(n, str) for n in r["lead"] + r["coordinating"] + r["performers"])


@pytest.mark.parametrize(
    "doc_id, quote, lead",
    [
        # the examples trainers ask about, one per shipped plan
        (NB2026, "Thực hiện đầy đủ các biện pháp bảo vệ, hỗ trợ nạn nhân", "Sở Y tế"),
        (QN, "ĐỀ ÁN 3: “Tiếp nhận, xác minh, bảo vệ và hỗ trợ nạn nhân", LDTBXH),
        (BRVT, "Tiếp tục thực hiện có hiệu quả Kiến nghị số 1526/KN-UBTP14", "Công an tỉnh"),
        (NB2024, "tổ chức tập huấn về công tác hỗ trợ nạn nhân bị mua bán", LDTBXH),
    ],
)
def test_known_responsibility_of_each_plan(bot, rows, doc_id, quote, lead):
    offset = bot.store.documents[doc_id].text.index(quote)
    found = _covering(rows, doc_id, offset)
    assert any(lead in r["lead"] for r in found), [(r["section"], r["lead"]) for r in found]


@pytest.mark.parametrize("doc_id", [NB2024, NB2026, QN, BRVT])
def test_hand_labelled_leads_are_in_the_matrix(rows, doc_id):
    gold = [g for g in GOLD if g["doc_id"] == doc_id and g["lead"]]
    assert gold
    missed = [g["id"] for g in gold
              if not any(set(g["lead"]) <= set(r["lead"])
                         for r in _covering(rows, doc_id, g["resp_offset"]) + _covering(rows, doc_id, g["task_offset"]))]
    assert len(missed) <= 0.1 * len(gold), missed


def test_the_news_article_assigns_no_agency(rows):
    # evals/README.md: the Lâm Đồng article summarises the plan but names no lead for any task.
    assert not [r for r in rows if r["document"] == LD and r["lead"]]


def test_agency_filter_accepts_any_alias_with_or_without_diacritics(bot):
    store = bot.store
    canonical = matrix.duty_rows(store, agency=LDTBXH)
    assert canonical
    for alias in ("Sở LĐ-TB&XH", "so lao dong - thuong binh va xa hoi", "Sở Lao động, Thương binh và Xã hội", "SO LDTBXH"):
        assert matrix.duty_rows(store, agency=alias) == canonical, alias
    for r in canonical:
        assert LDTBXH in r["lead"] + r["coordinating"] + r["performers"]
    health = matrix.duty_rows(store, agency="so y te")
    assert {r["document"] for r in health if "Sở Y tế" in r["lead"]} == {NB2026}
    leads_only = matrix.duty_rows(store, agency="so y te", role="lead")
    assert leads_only and all("Sở Y tế" in r["lead"] for r in leads_only)
    assert len(leads_only) < len(health)  # Quảng Ninh has it as a partner only


def test_unknown_or_ambiguous_agency_is_a_usage_error_that_says_what_to_type(bot):
    with pytest.raises(UsageError, match="No agency called 'Sở Hải quan'"):
        matrix.duty_rows(bot.store, agency="Sở Hải quan")
    with pytest.raises(UsageError, match="several agencies") as err:
        matrix.duty_rows(bot.store, agency="lao dong")
    assert LDTBXH in str(err.value)


def test_keyword_filter_ignores_diacritics(bot):
    with_marks = matrix.duty_rows(bot.store, keyword="hỗ trợ nạn nhân")
    assert with_marks == matrix.duty_rows(bot.store, keyword="ho tro nan nhan")
    assert {r["document"] for r in with_marks} >= {NB2024, NB2026, QN, BRVT}
    for r in with_marks:
        words = set(fold(r["task"] + " " + r["clause"] + " " + r["heading"]).replace(",", " ").split())
        assert {"ho", "tro", "nan", "nhan"} <= words
    assert matrix.duty_rows(bot.store, keyword="tàu vũ trụ") == []


def test_document_filter_and_unknown_document(bot):
    only = matrix.duty_rows(bot.store, document=QN)
    assert only and {r["document"] for r in only} == {QN}
    with pytest.raises(UsageError, match="No document 'khong-co'"):
        matrix.duty_rows(bot.store, document="khong-co")


def test_sorting_by_year_puts_older_plans_first(bot):
    by_year = matrix.duty_rows(bot.store, sort="year")
    firsts = [matrix.first_year(bot.store.documents[r["document"]]) for r in by_year]
    assert firsts == sorted(firsts)
    assert by_year[0]["document"] == QN and by_year[-1]["document"] == NB2026
    by_section = matrix.duty_rows(bot.store, sort="section")
    keys = [matrix.section_key(r["section"]) for r in by_section]
    assert keys == sorted(keys)
    assert matrix.section_key("II › 10") > matrix.section_key("II › 9")
    assert matrix.section_key("IX") > matrix.section_key("V") > matrix.section_key("IV")
    with pytest.raises(UsageError):
        matrix.duty_rows(bot.store, sort="colour")


def test_english_rows_add_english_agency_names(bot):
    rows = matrix.duty_rows(bot.store, agency="Sở Y tế", role="lead", lang="en")
    assert rows and all("Department of Health" in r["lead_en"] for r in rows)
    assert all(len(r["lead_en"]) == len(r["lead"]) for r in rows)


def test_table_is_readable_and_cuts_long_tasks(rows):
    text = matrix.render_table(rows, width=140)
    lines = text.splitlines()
    assert lines[0].startswith("Văn bản") and "Chủ trì" in lines[0]
    assert all(len(line) <= 140 for line in lines)
    assert "…" in text
    assert lines[-1] == f"{len(rows)} nhiệm vụ"
    assert matrix.render_table([]) == "Không có nhiệm vụ nào khớp."


def test_csv_has_a_bom_so_excel_reads_vietnamese(tmp_path, rows):
    out = tmp_path / "m.csv"
    assert matrix.write_matrix(rows, "csv", out) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][:5] == ["Văn bản", "Năm / giai đoạn", "Mục", "Nhiệm vụ", "Chủ trì"]
    assert len(table) == len(rows) + 1
    assert any("Sở Y tế" in line[4] for line in table[1:])


def test_xlsx_has_an_all_sheet_then_one_sheet_per_document(tmp_path, rows):
    from openpyxl import load_workbook

    out = tmp_path / "m.xlsx"
    assert matrix.write_matrix(rows, "xlsx", out) == 0
    wb = load_workbook(out)
    docs = list(dict.fromkeys(r["document"] for r in rows))
    assert wb.sheetnames[0] == "Tất cả"
    assert len(wb.sheetnames) == len(docs) + 1
    assert len({s.casefold() for s in wb.sheetnames}) == len(wb.sheetnames)
    assert all(len(s) <= 31 for s in wb.sheetnames)
    assert "Ninh Bình 2026-2030" in wb.sheetnames and "Quảng Ninh 2011-2015" in wb.sheetnames
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        header = [c.value for c in ws[1]]
        assert header[:4] == ["Văn bản", "Năm / giai đoạn", "Mục", "Nhiệm vụ"]
        assert all(c.font.bold for c in ws[1])
        assert ws.column_dimensions["D"].width >= 60  # the task column is wide
        assert ws.cell(2, 4).alignment.wrap_text
    assert wb["Tất cả"].max_row == len(rows) + 1
    sheet = wb["Ninh Bình 2026-2030"]
    assert sheet.max_row == sum(r["document"] == NB2026 for r in rows) + 1
    assert {sheet.cell(i, 10).value for i in range(2, sheet.max_row + 1)} == {NB2026}
    assert any("Sở Y tế" in (sheet.cell(i, 5).value or "") for i in range(2, sheet.max_row + 1))


def test_sheet_titles_are_short_valid_and_unique():
    taken: set[str] = set()
    a = matrix._sheet_title("Kế hoạch thực hiện Chương trình phòng, chống mua bán người [2026/2030]", taken)
    b = matrix._sheet_title("Kế hoạch thực hiện Chương trình phòng, chống mua bán người [2026/2030]", taken)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert not set("[]:*?/\\") & set(a + b)


def test_xlsx_needs_a_file_name():
    with pytest.raises(UsageError, match="--out"):
        matrix.write_matrix([], "xlsx", None)


def test_duties_command_prints_json_rows(bot, capsys):
    argv = ["duties", "-d", str(bot.settings.documents_dir), "-i", str(bot.settings.index_dir),
            "--agency", "so y te", "--format", "json"]
    assert cli.main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == matrix.duty_rows(bot.store, agency="Sở Y tế")


def test_duties_command_writes_xlsx(bot, tmp_path):
    out = tmp_path / "trach-nhiem.xlsx"
    argv = ["duties", "-d", str(bot.settings.documents_dir), "-i", str(bot.settings.index_dir),
            "--document", QN, "--format", "xlsx", "--out", str(out)]
    assert cli.main(argv) == 0
    from openpyxl import load_workbook

    assert load_workbook(out).sheetnames == ["Tất cả", "Quảng Ninh 2011-2015"]


def test_writers_clean_control_characters_from_every_cell(tmp_path, rows):
    from openpyxl import load_workbook

    row = dict(rows[0], task="Sở Y tế\x01 chủ trì\x0c khám", clause="điều\x1b khoản", label="Kế\x02 hoạch")
    out = tmp_path / "m.xlsx"
    assert matrix.write_matrix([row], "xlsx", out, "vi") == 0
    cells = [c.value for c in load_workbook(out).worksheets[0][2]]
    assert "Sở Y tế chủ trì  khám" in cells and "Kế hoạch" in cells  # the page break is a space
    for fmt in ("csv", "json"):
        path = tmp_path / f"m.{fmt}"
        matrix.write_matrix([row], fmt, path, "vi")
        text = path.read_text(encoding="utf-8-sig")
        assert "chủ trì" in text and not any(c in text for c in "\x01\x02\x0c\x1b")
        assert "\\u0001" not in text


def test_cells_that_look_like_formulas_stay_text_in_csv_and_xlsx(tmp_path, rows):
    from openpyxl import load_workbook

    formula = '=HYPERLINK("http://127.0.0.1:9/x","Bấm vào đây")'
    row = dict(rows[0], task=formula, clause="+84 203 888 999", label="@SUM(A1:A9)", section="-1+1")
    out = tmp_path / "m.xlsx"
    matrix.write_matrix([row], "xlsx", out, "vi")
    cells = {c.value: c.data_type for c in load_workbook(out).worksheets[0][2]}
    assert cells[formula] == "s"  # the exact text, typed as text: Excel never evaluates it
    path = tmp_path / "m.csv"
    matrix.write_matrix([row], "csv", path, "vi")
    import csv

    data = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))[1]
    assert "'" + formula in data and "'+84 203 888 999" in data and "'@SUM(A1:A9)" in data and "'-1+1" in data
    assert not any(cell[:1] in "=+-@" for cell in data if cell), data
