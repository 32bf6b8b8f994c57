"""Hybrid retrieval over the shipped corpus: Vietnamese with or without diacritics, English,
any tone placement or Unicode form; filters and a scope named in the question restrict it."""
from __future__ import annotations

import unicodedata

import pytest

from assistant import diacritics, glossary
from assistant.retrieve import Filters, Hit, as_langchain_retriever

NB_2026 = "ninh-binh-2026-2030-ke-hoach-chuong-trinh"
NB_2024 = "ninh-binh-2024-ke-hoach-22-kh-bcd"
QN = "quang-ninh-2011-2015-quyet-dinh-3087"
QUESTION = "ai chủ trì hỗ trợ nạn nhân"


def _is_nb2026_victim_support(hit: Hit) -> bool:
    # The 2026–2030 plan's victim-support tasks are the ones it assigns to the health department.
    return hit.chunk.doc_id == NB_2026 and "hỗ trợ nạn nhân" in hit.chunk.text and "Cơ quan chủ trì: Sở Y tế" in hit.chunk.text


def _keys(hits: list[Hit]) -> list[tuple[str, float]]:
    return [(h.chunk.chunk_id, round(h.score, 6)) for h in hits]


def test_who_leads_victim_support_finds_the_2026_2030_victim_support_passage(bot):
    hits = bot.search(QUESTION, k=5)
    assert len(hits) == 5
    assert any(_is_nb2026_victim_support(h) for h in hits), [(h.chunk.doc_id, h.chunk.section) for h in hits]


def test_a_question_typed_without_diacritics_finds_the_same_passage(bot):
    assert diacritics.restore_diacritics("ho tro nan nhan", bot.store.restore_table) == "hỗ trợ nạn nhân"
    prepared = bot.retriever.prepare("ai chu tri ho tro nan nhan")
    assert prepared.restored == "ai chủ trì hỗ trợ nạn nhân"
    hits = bot.search("ai chu tri ho tro nan nhan", k=5)
    assert any(_is_nb2026_victim_support(h) for h in hits), [(h.chunk.doc_id, h.chunk.section) for h in hits]
    # Restoring accents makes the unaccented question retrieve what the accented one does.
    assert [h.chunk.chunk_id for h in hits[:3]] == [h.chunk.chunk_id for h in bot.search(QUESTION, k=3)]


@pytest.mark.parametrize("typed, restored", [
    ("CA cap huyen co bao nhieu ngay de xac minh", "CA cấp huyện có bao nhiêu ngày để xác minh"),  # (dev hw030)
    ("phong LDTBXH de nghi", "phòng LDTBXH đề nghị"),
    ("de an 3 do so nao chu tri", "đề án 3 do sở nào chủ trì"),  # "do" (by), not "độ" (dev hw053)
    ("de an 2 do ai chu tri", "đề án 2 do ai chủ trì"),
    ("che do ho tro nan nhan", "chế độ hỗ trợ nạn nhân"),
])
def test_acronyms_stay_as_typed_and_do_is_by(bot, typed, restored):
    # "CA" (Công an) was read as "cá" (fish); an acronym parts the words around it and is spelled out afterwards
    assert diacritics.restore_diacritics(typed, bot.store.restore_table) == restored


def test_restore_keeps_case_and_leaves_unknown_words_alone(bot):
    table = bot.store.restore_table
    assert diacritics.restore_diacritics("Ho tro nan nhan", table) == "Hỗ trợ nạn nhân"
    assert diacritics.restore_diacritics("ho tro zzqx", table) == "hỗ trợ zzqx"
    assert diacritics.restore_diacritics("hỗ tro", table) == "hỗ tro"  # already accented: untouched


def test_words_typed_without_marks_beside_marked_ones_are_restored_run_by_run():
    texts = ["hỗ trợ nạn nhân", "hỗ trợ nạn nhân", "xét xử", "xét xử", "Bình", "an ninh"]
    table = diacritics.build_restore_table(texts)
    # a follow-up typed without marks, joined to the accented question it follows
    assert diacritics.restore_unmarked_runs("Ai chủ trì xet xu Ninh Bình", table) == "Ai chủ trì xét xử Ninh Bình"
    assert diacritics.restore_unmarked_runs("Sở nào lo ho tro nan nhan?", table) == "Sở nào lo hỗ trợ nạn nhân?"
    # one unmarked word among marked ones is as typed ("an" of "an ninh" is written so), and acronyms stay
    assert diacritics.restore_unmarked_runs("Công tác an ninh của UBND KH", table) == "Công tác an ninh của UBND KH"


def test_overlapping_word_pairs_are_weighed_by_how_often_the_corpus_has_them():
    texts = ["và truy", "truy tố", "truy tố", "truy tố", "tổ án", "tổ án"]
    table = diacritics.build_restore_table(texts)
    # Left to right, "va truy" would pair first and "to an" then take the rarer "tổ án".
    assert diacritics.restore_diacritics("va truy to an", table) == "và truy tố án"
    greedy = {k: v for k, v in table.items() if k != "n2"}  # an index built before pair counts were kept
    assert diacritics.restore_diacritics("va truy to an", greedy) == "và truy tổ án"


def test_every_accented_form_of_a_word_pair_weighs_by_its_own_count():
    # "tac phong" is most often "tác phòng" (công tác phòng, chống) and once "tắc phòng" (Nguyên tắc phòng, chống): the
    # rarer form still counts, so "nguyen tac phong" is read as the principle, not as "nguyện tác phòng"
    texts = ["công tác phòng", "công tác phòng", "công tác phòng", "tự nguyện", "tự nguyện", "tự nguyện", "nguyện vọng",
             "Nguyên tắc phòng", "trên nguyên tắc bình đẳng"]
    table = diacritics.build_restore_table(texts)
    assert diacritics.restore_diacritics("nhung nguyen tac phong chong", table).startswith("nhung nguyên tắc phòng")
    assert diacritics.restore_diacritics("cong tac phong chong", table).startswith("công tác phòng")


def test_a_pair_written_without_marks_keeps_them_off_a_word_most_often_marked():
    texts = ["thành phố", "thành phố", "thành phố", "thanh tra", "thanh tra", "thành viên"]
    table = diacritics.build_restore_table(texts)
    assert diacritics.restore_diacritics("thanh tra", table) == "thanh tra"  # inspection, though "thành" is commoner
    assert diacritics.restore_diacritics("thanh pho", table) == "thành phố"
    assert diacritics.restore_diacritics("thanh", table) == "thành"


@pytest.mark.parametrize("typed, meant", [
    ("ai chu tri thanh tra cong tac phong chong mua ban nguoi", "ai chủ trì thanh tra công tác phòng chống mua bán người"),
    # an everyday pair the plans do not write ("nhắn tin"; they write "tin nhắn")
    ("ai nhan tin cho nguoi dan", "ai nhắn tin cho người dân"),
    ("tro giup phap ly thi ben nao lo", "trợ giúp pháp lý thì bên nào lo"),
    ("ai phoi hop voi cong an tinh", "ai phối hợp với công an tỉnh"),
    # question pairs a corpus may lack outweigh its own pairs ("mua bán bảo …" must not win over "bao nhiêu")
    ("khung co ban bao nhieu nam", "khung cơ bản bao nhiêu năm"),
    ("truy to va xet xu", "truy tố và xét xử"),
])
def test_questions_typed_without_diacritics_read_as_meant(bot, typed, meant):
    assert diacritics.restore_diacritics(typed, bot.store.restore_table) == meant


def test_an_english_question_finds_a_victim_support_passage(bot):
    prepared = bot.retriever.prepare("who leads victim support")
    assert prepared.language == "en" and "hỗ trợ nạn nhân" in " ".join(prepared.notes)
    hits = bot.search("who leads victim support", k=5)
    assert any("hỗ trợ nạn nhân" in h.chunk.text and "chủ trì" in h.chunk.text for h in hits[:3]), [
        (h.chunk.doc_id, h.chunk.section) for h in hits
    ]


def test_english_function_words_do_not_reach_the_keyword_index(bot):
    # Folded, "the" would match the Vietnamese "thể"/"thế" and "do" would match "độ" all over the corpus.
    prepared = bot.retriever.prepare("What is the role of the ACTIP plan in Ba Ria - Vung Tau in 2021?")
    assert not {"the", "~the", "is", "~is", "of", "in", "~do", "the_role", "~is_the"} & set(prepared.terms)
    # (the plan that question names is its filter, not its search words: see the test below on document names)
    unscoped = bot.retriever.prepare("What is the role of the border guard under the convention in 2023?")
    assert not {"the", "~the", "is", "of", "in", "the_role"} & set(unscoped.terms)
    assert {"role", "border", "~border_guard", "2023", "biên_phòng"} <= set(unscoped.terms)
    assert glossary.content_terms(["who", "~the", "who_leads", "leads", "~ninh_binh", "22"]) == ["leads", "~ninh_binh", "22"]

def test_old_and_new_tone_placement_give_identical_results(bot):
    old = bot.search("Uỷ ban nhân dân tỉnh chỉ đạo hoà nhập cộng đồng", k=5)
    new = bot.search("Ủy ban nhân dân tỉnh chỉ đạo hòa nhập cộng đồng", k=5)
    assert old and _keys(old) == _keys(new)


def test_decomposed_unicode_input_gives_identical_results(bot):
    nfd = unicodedata.normalize("NFD", QUESTION)
    assert nfd != QUESTION
    assert _keys(bot.search(nfd, k=5)) == _keys(bot.search(QUESTION, k=5))


def test_document_filter_keeps_only_that_document(bot):
    hits = bot.search(QUESTION, k=5, filters={"document": QN})
    assert len(hits) == 5 and {h.chunk.doc_id for h in hits} == {QN}
    assert any("Thương binh và Xã hội chủ trì" in h.chunk.text for h in hits)


def test_province_filter_keeps_only_that_provinces_documents(bot):
    hits = bot.search(QUESTION, k=8, filters={"province": "Ninh Bình"})
    assert hits and {bot.store.documents[h.chunk.doc_id].province for h in hits} == {"Ninh Bình"}
    assert {h.chunk.doc_id for h in hits} == {NB_2024, NB_2026}
    # Folded spelling works too: the UI and API pass what users type.
    assert _keys(bot.search(QUESTION, k=8, filters={"province": "ninh binh"})) == _keys(hits)


def test_year_filter_keeps_documents_covering_that_year(bot):
    hits = bot.search(QUESTION, k=8, filters={"year": 2013})
    assert hits and {h.chunk.doc_id for h in hits} == {QN}  # only the 2011–2015 plan covers 2013
    hits = bot.search(QUESTION, k=10, filters={"year": 2024})
    docs = {h.chunk.doc_id for h in hits}
    assert NB_2024 in docs and QN not in docs and NB_2026 not in docs


def test_a_filter_nothing_matches_returns_no_hits(bot):
    assert bot.search(QUESTION, k=5, filters={"province": "Hà Giang"}) == []
    assert bot.search(QUESTION, k=5, filters={"document": "no-such-document"}) == []


def test_scope_named_in_the_question_restricts_results_to_that_plan(bot):
    scope = bot.retriever.scope_of("ai chủ trì hỗ trợ nạn nhân trong kế hoạch năm 2024 của Ninh Bình")
    assert scope == Filters(provinces=("Ninh Bình",), years=(2024,))
    hits = bot.search("ai chủ trì hỗ trợ nạn nhân trong kế hoạch năm 2024 của Ninh Bình", k=5)
    assert len(hits) == 5 and {h.chunk.doc_id for h in hits} == {NB_2024}
    assert any("Thương binh và Xã hội chủ trì" in h.chunk.text for h in hits)


@pytest.mark.parametrize("question, stated", [
    ("ke hoach 22/KH-BCD do ai ky", "Tổng Quang Thìn"),
    ("Who signed Ninh Binh's 2024 anti-trafficking plan 22/KH-BCD?", "Tổng Quang Thìn"),
    ("Quyết định 3087 của Quảng Ninh ban hành ngày nào?", "30/9/2011"),
])
def test_who_signed_or_when_leads_with_the_passage_that_states_it(bot, question, stated):
    from assistant.metadata import answer_meta, meta_kind

    first = bot.search(question, k=3)[0]
    doc = bot.store.documents[first.chunk.doc_id]
    line, start, end = answer_meta(meta_kind(question), doc)
    assert first.chunk.start <= start < first.chunk.end  # the signature block or the header, not a look-alike
    assert stated in line


def test_an_ordinary_question_is_not_reordered_by_the_metadata_channel(bot):
    hybrid = bot.search("Ai chủ trì hỗ trợ nạn nhân?", k=5)
    assert all(h.score < 1.0 for h in hybrid)  # fused scores only: nothing was lifted


def test_langchain_retriever_returns_documents_with_exact_spans(bot):
    from langchain_core.documents import Document

    docs = as_langchain_retriever(bot.retriever, k=4).invoke(QUESTION)
    assert len(docs) == 4
    for d in docs:
        assert isinstance(d, Document)
        meta = d.metadata
        assert {"doc_id", "section", "start", "end", "title"} <= set(meta)
        record = bot.store.documents[meta["doc_id"]]
        assert record.text[meta["start"] : meta["end"]] == d.page_content
        assert meta["title"] == record.title
    assert [d.metadata["start"] for d in docs] == [h.chunk.start for h in bot.search(QUESTION, k=4)]


@pytest.mark.parametrize("mode", ["keyword", "dense", "hybrid"])
def test_every_mode_returns_hits_with_consistent_ranks(bot, mode):
    hits = bot.search("hỗ trợ nạn nhân bị mua bán trở về", k=6, mode=mode)
    assert len(hits) == 6
    assert [h.rank for h in hits] == list(range(1, 7))
    assert all(isinstance(h, Hit) for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.chunk.chunk_id for h in hits}) == 6
    for h in hits:
        assert bot.store.documents[h.chunk.doc_id].text[h.chunk.start : h.chunk.end] == h.chunk.text
        if mode == "keyword":
            assert h.keyword_rank is not None and h.dense_rank is None and h.found_by == "keyword"
        elif mode == "dense":
            assert h.dense_rank is not None and h.keyword_rank is None and h.found_by == "dense"
            assert -1.0 <= h.dense_score <= 1.0001
    if mode == "keyword":
        assert [h.keyword_rank for h in hits] == sorted(h.keyword_rank for h in hits)
    if mode == "dense":
        assert [h.dense_rank for h in hits] == sorted(h.dense_rank for h in hits)
    if mode == "hybrid":
        assert any(h.found_by == "both" for h in hits)


def test_glossary_maps_english_domain_words_and_plurals():
    assert glossary.expand_english("anti-trafficking") == glossary.expand_english("anti trafficking") != ""
    assert "mua bán người" in glossary.expand_english("anti-trafficking")
    assert glossary.expand_english("victims") == glossary.expand_english("victim") == "nạn nhân"
    plural = glossary.expand_english("Who supports the victims?")
    assert "hỗ trợ" in plural and "nạn nhân" in plural
    assert glossary.expand_english("victim support") == "hỗ trợ nạn nhân"  # the longest phrase wins
    assert glossary.expand_english("the weather in Paris") == ""



@pytest.mark.parametrize("question, words", [
    ("Who handles extradition and transfer of sentenced prisoners in trafficking matters in Ninh Binh (2026-2030)?", "dẫn độ"),
    ("Under the 2026-2030 Ninh Binh plan, who takes the lead on prosecution in trafficking cases?", "công tố"),
])
def test_the_province_and_years_that_scope_a_question_do_not_pull_the_preamble_first(bot, question, words):
    # They chose the document (the filter); as keywords they matched its title and preamble.
    hits = bot.search(question, k=3)
    assert any(words in h.chunk.text for h in hits), [h.chunk.section for h in hits]
    assert hits[0].chunk.section != "(mở đầu)", [h.chunk.section for h in hits]


def test_the_dense_side_leads_an_english_question_the_glossary_barely_covers(bot):
    from assistant.glossary import glossary_share

    retriever = bot.retriever
    inside = retriever.prepare("Who leads victim support in the Ninh Binh plan?")
    outside = retriever.prepare("Can a customs officer seize goods at a land border crossing without a warrant?")
    assert glossary_share(inside.original) >= 0.6 > glossary_share(outside.original)
    w_inside, w_outside = retriever._dense_weight(inside), retriever._dense_weight(outside)
    assert 0.4 <= w_inside <= 0.7 < w_outside <= 0.95
    # Vietnamese keeps the configured weight
    assert retriever._dense_weight(retriever.prepare("Ai chủ trì hỗ trợ nạn nhân?")) == bot.settings.dense_weight


@pytest.mark.parametrize("question, name_words", [
    ("In the ACTIP plan of Ba Ria - Vung Tau, which department handles legal aid for victims?", ["actip"]),
    ("Theo Kế hoạch 22/KH-BCĐ, đơn vị nào tập huấn về hỗ trợ nạn nhân?", ["22", "kh_bcđ"]),
])
def test_a_document_named_by_its_number_or_acronym_is_a_filter_not_search_words(bot, question, name_words):
    retriever = bot.retriever
    prepared = retriever.prepare(question)
    assert prepared.scope.doc_ids  # the name chose the document
    assert not set(name_words) & set(prepared.terms)  # and no longer pulls its title and preamble
    hits = bot.search(question, k=3)
    assert hits[0].chunk.section != "(mở đầu)", [h.chunk.section for h in hits]


def test_a_cited_document_s_number_stays_in_the_question(bot):
    # "Kế hoạch 45/KH-UBND" is a plan the texts cite, not an indexed one: it is the topic
    assert "45/KH-UBND" in bot.retriever.without_document_names("Kế hoạch 45/KH-UBND nói gì?")
    assert "22/KH-BCĐ" not in bot.retriever.without_document_names("KH 22/KH-BCĐ nói gì?")


@pytest.mark.parametrize("question, own_task", [
    ("Sở Ngoại vụ Bà Rịa - Vũng Tàu phải làm gì theo kế hoạch ACTIP?", "Giao Sở Ngoại vụ"),
    ("What is the Department of Justice supposed to do in the Ba Ria - Vung Tau ACTIP plan?", "Giao Sở Tư pháp"),
])
def test_an_agency_s_own_task_outranks_a_list_of_partners_that_names_it(bot, question, own_task):
    # "Cơ quan phối hợp: Sở Thông tin …, Sở Tư pháp, …, Sở Ngoại vụ" names it too; the task records say where it acts
    assert bot.retriever.prepare(question).doers
    hits = bot.search(question, k=3)
    assert own_task in hits[0].chunk.text, [h.chunk.text[:80] for h in hits]
    assert not bot.retriever.prepare("Ai chủ trì hỗ trợ nạn nhân?").doers  # only a question about an agency's tasks


def test_a_plan_named_by_its_title_words_and_acronym_is_left_out_whole(bot):
    strip = bot.retriever.without_document_names
    assert "Công ước" not in strip("Sở Tư pháp làm gì trong kế hoạch thực hiện Công ước ACTIP?")
    # the words before "kế hoạch" are the topic, though the title has them too
    assert "tổ chức thực hiện" in strip("Công an tỉnh làm gì trong phần tổ chức thực hiện kế hoạch ACTIP?")
    assert "Công ước" in strip("Công ước ACTIP là gì?")  # the convention asked about, not a plan named


def test_a_section_wide_assignment_does_not_raise_its_whole_section_for_an_agencys_own_tasks(bot):
    # "Phân công thực hiện: Các sở, ban, ngành, Ủy ban nhân dân các xã, phường … thực hiện" assigns whole sections: the
    # communes' own tasks ("e) Đẩy mạnh các giải pháp … khai thác, đánh bắt thủy sản") stay in the first five
    hits = bot.search("Under the Ninh Binh 2026-2030 plan, what are the commune and ward People's Committees supposed to take on?", k=5)
    quote = "Đẩy mạnh các giải pháp phòng, chống mua bán người trong lĩnh vực khai thác, đánh bắt thủy sản"
    assert any(quote in h.chunk.text for h in hits), [h.chunk.section for h in hits]


def test_giao_typed_without_marks_beside_marked_words_is_the_verb_that_assigns(bot):
    # the corpus's commonest "giao" is "giáo" (giáo dục); a question's "giao cho" assigns work
    table = bot.store.restore_table
    assert "giao cho" in diacritics.restore_unmarked_runs("Kế hoạch giao cho Sở Y tế những việc gì", table)
    assert diacritics.restore_diacritics("ke hoach giao cho so y te nhung viec gi", table).startswith("kế hoạch giao cho")


def test_an_unmarked_run_is_read_with_the_marked_words_it_stands_between():
    # the corpus's commonest "ngay" is "ngày", and "bao" is "bảo" more often than "bao": beside "báo" and before "lâu"
    # they are the words the corpus writes there ("thông báo ngay", "bao lâu")
    # (the pairs inside the run still weigh as much: with "ngày cho" in the corpus as often, it would be a tie)
    texts = ["ngày 15 tháng 3", "ngày 30 tháng 9", "báo cáo", "thông báo ngay với Phòng", "bảo vệ nạn nhân",
             "bảo vệ", "bảo đảm", "trong bao lâu", "bao lâu"]
    table = diacritics.build_restore_table(texts)
    assert "báo ngay cho" in diacritics.restore_unmarked_runs("thì xã phải báo ngay cho cơ quan nào?", table)
    assert "trong bao lâu" in diacritics.restore_unmarked_runs("Còn cong an xac minh thì trong bao lâu?", table)
