"""The PostgreSQL backend against a real PostgreSQL 16 + pgvector (the pgserver package) on a private
socket: the same questions give the same top results as the FAISS + bm25s path."""
from __future__ import annotations

import pytest

pgserver = pytest.importorskip("pgserver", reason='the optional PostgreSQL backend needs: pip install pgserver "psycopg[binary]"')
pytest.importorskip("psycopg", reason='the optional PostgreSQL backend needs: pip install "psycopg[binary]"')

from assistant.pgstore import PgIndex, PgRetriever, local_server  # noqa: E402
from assistant.retrieve import Filters, Retriever  # noqa: E402

QUESTIONS = [
    "Cơ quan nào chủ trì công tác hỗ trợ nạn nhân bị mua bán?",
    "tong dai 111 dung de lam gi",
    "Who coordinates the repatriation of trafficking victims?",
    "Đợt cao điểm tấn công, trấn áp tội phạm mua bán người",
    "Công ước ACTIP",
]


@pytest.fixture(scope="module")
def pg(bot, tmp_path_factory):
    """A real server in a temporary folder with the session index loaded."""
    server = local_server(tmp_path_factory.mktemp("pgdata"))
    index = PgIndex(server.get_uri(), schema="bench_test")
    counts = index.load(bot.store)
    yield index, counts
    index.close()
    server.cleanup()


@pytest.fixture(scope="module")
def retrievers(bot, pg):
    index, _counts = pg
    reference = Retriever(bot.store, bot.embedder, bot.settings)
    return reference, PgRetriever(bot.store, bot.embedder, bot.settings, index)


def test_load_copies_every_chunk_and_posting(bot, pg):
    _index, counts = pg
    assert counts["chunks"] == len(bot.store.chunks)
    assert counts["postings"] == int(bot.store.keyword.scores["indptr"][-1]) > counts["chunks"]


@pytest.mark.parametrize("mode", ["dense", "keyword", "hybrid"])
def test_same_top_results_as_faiss_and_bm25s(retrievers, mode):
    reference, postgres = retrievers
    for question in QUESTIONS:
        want = reference.search(question, 5, Filters(), mode)
        got = postgres.search(question, 5, Filters(), mode)
        assert want, question
        assert [h.chunk.chunk_id for h in got] == [h.chunk.chunk_id for h in want], (mode, question)
        for a, b in zip(got, want):
            assert a.score == pytest.approx(b.score, rel=1e-4, abs=1e-5)


def test_filters_reach_the_database(retrievers, bot):
    _reference, postgres = retrievers
    doc_id = sorted(bot.store.documents)[0]
    hits = postgres.search("kế hoạch phòng, chống mua bán người", 5, Filters(doc_ids=(doc_id,)), "hybrid")
    assert hits and {h.chunk.doc_id for h in hits} == {doc_id}
