"""The PostgreSQL store against a real PostgreSQL 16 + pgvector (the pgserver package) on a private socket:
what `index --store` writes, answers identical to the folder backend, generations swapped atomically,
replicas following each other, feedback in the database, and errors said in one line."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pgserver = pytest.importorskip("pgserver", reason='the PostgreSQL store needs: pip install pgserver "psycopg[binary]"')
psycopg = pytest.importorskip("psycopg", reason='the PostgreSQL store needs: pip install "psycopg[binary]"')

from assistant.assistant import Assistant  # noqa: E402
from assistant.pgstore import (  # noqa: E402
    CONTROL,
    KEEP_OLD,
    PgStore,
    database,
    folder_files,
    local_server,
    publish,
    sync_documents,
)
from assistant.retrieve import Filters  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVALS = ROOT / "evals"


def _questions(name: str) -> list[str]:
    with open(EVALS / name, encoding="utf-8") as f:
        return [json.loads(line)["question"] for line in f if line.strip()]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A private PostgreSQL 16 with pgvector, stopped when the module ends."""
    srv = local_server(tmp_path_factory.mktemp("pgdata"))
    yield srv
    srv.cleanup()


@pytest.fixture(scope="module")
def new_database(server):
    """`new_database("name")`: the address of a new, empty database on the private server."""
    def make(name: str) -> str:
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        return server.get_uri(name)

    return make


def _copy_documents(source: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, target / path.name)
    return target


@pytest.fixture(scope="module")
def pg_bot(bot, new_database, tmp_path_factory, embedder):
    """An Assistant on the PostgreSQL store holding the session's folder index (published as is)."""
    docs = _copy_documents(bot.settings.documents_dir, tmp_path_factory.mktemp("pg-docs"))
    uri = new_database("parity")
    publish(database(uri), bot.store, folder_files(docs), docs)
    settings = bot.settings.replace(store=uri, documents_dir=docs, index_dir=tmp_path_factory.mktemp("no-index"),
                                    data_dir=tmp_path_factory.mktemp("pg-data"))
    return Assistant(settings, embedder=embedder).warm_up()


_DATABASES = iter(range(1, 1_000_000))


@pytest.fixture()
def tiny(tmp_path, new_database, settings_for):
    """`tiny(name)`: settings for a one-plan documents folder on a new database (nothing built yet)."""
    def make(name: str, folder: str = "docs", **overrides):
        docs = tmp_path / folder
        docs.mkdir(exist_ok=True)
        (docs / "ke-hoach-a.txt").write_text(
            "KẾ HOẠCH\nPhòng, chống mua bán người năm 2024\n\nI. NHIỆM VỤ\n"
            "1. Công an tỉnh chủ trì điều tra các vụ án mua bán người.\n", encoding="utf-8")
        uri = new_database(f"{name}_{next(_DATABASES)}")
        return settings_for(docs, store=uri, data_dir=tmp_path / f"data-{folder}", **overrides)

    return make


# -- what a build writes --------------------------------------------------------------------------------

def test_index_writes_everything_a_replica_needs(tiny, embedder):
    settings = tiny("writes")
    (settings.documents_dir / "catalog.json").write_text(json.dumps({"ke-hoach-a.txt": {"province": "Ninh Bình"}}),
                                                         encoding="utf-8")
    bot = Assistant(settings, embedder=embedder)
    report = bot.reindex()
    assert report.documents == 1 and report.chunks >= 1
    assert not (settings.index_dir / "current").exists()  # nothing in the index folder
    db = database(settings.store)
    live, _ = db.state()
    s = f"{CONTROL}_g{live}"
    count = {t: db.query(f"SELECT count(*) FROM {s}.{t}")[0][0] for t in ("documents", "chunks", "terms")}
    assert count["documents"] == 1 and count["chunks"] == report.chunks and count["terms"] > 10
    keyword = bot.store.keyword  # postings lists with their BM25 weights, as many as the folder index holds
    postings, df = db.query(f"SELECT sum(length(rows)) / 4, sum(df) FROM {s}.terms")[0]
    assert postings == df == int(keyword.scores["indptr"][-1]) > 0
    assert {r[0] for r in db.query(f"SELECT name FROM {s}.extras")} == {"restore", "problems", "tasks"}
    manifest = json.loads(db.query(f"SELECT manifest FROM {CONTROL}.generations WHERE generation = %s", (live,))[0][0])
    assert manifest["dimension"] == 384 and manifest["embedding_model"] and manifest["chunker"]["version"]
    assert db.query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = %s::regclass "
                    "AND attname = 'embedding'", (f"{s}.chunks",))[0][0] == "vector(384)"
    assert set(db.generation_files(live)) == {"catalog.json", "ke-hoach-a.txt"}  # the catalog travels too
    store = bot.store
    assert isinstance(store, PgStore) and store.path is None
    assert store.documents["ke-hoach-a"].province == "Ninh Bình"
    assert store.documents["ke-hoach-a"].text.startswith("KẾ HOẠCH")
    chunk = store.chunks[0]
    assert store.documents[chunk.doc_id].text[chunk.start:chunk.end] == chunk.text and chunk.section is not None
    assert any("Công an tỉnh" in " ".join(t.lead) for t in store.tasks)
    answer = bot.ask("Ai chủ trì điều tra các vụ án mua bán người?")
    assert answer.found and "Công an tỉnh" in answer.text


def test_vectors_get_an_hnsw_index_above_the_exact_threshold(tiny, embedder):
    settings = tiny("hnsw", exact_index_max=0)
    bot = Assistant(settings, embedder=embedder)
    bot.reindex()
    db = database(settings.store)
    live, _ = db.state()
    assert db.query("SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND indexdef ILIKE '%%hnsw%%'",
                    (f"{CONTROL}_g{live}",))
    hits = bot.search("Công an tỉnh chủ trì điều tra", 3, mode="dense")
    assert hits and hits[0].chunk.doc_id == "ke-hoach-a"


# -- the same answers as the folder backend ---------------------------------------------------------------

# Every twelfth dev question in the default tier, all of them in the slow tier (≈ 30 s on 2 cores).
@pytest.mark.parametrize("step", [pytest.param(12, id="every-12th"), pytest.param(1, id="all", marks=pytest.mark.slow)])
def test_same_top5_and_same_answers_as_the_folder_backend_on_the_dev_questions(bot, pg_bot, step):
    assert isinstance(pg_bot.store, PgStore) and len(pg_bot.store.chunks) == len(bot.store.chunks)
    # the sentence-span vectors (spans.py) are published and read back: English questions rank alike
    assert pg_bot.store.spans is not None and np.array_equal(pg_bot.store.spans, np.asarray(bot.store.spans))
    assert np.array_equal(pg_bot.store.span_chunks, np.asarray(bot.store.span_chunks))
    for question in _questions("questions.jsonl")[::step]:
        want = [h.chunk.chunk_id for h in bot.search(question, 5)]
        assert [h.chunk.chunk_id for h in pg_bot.search(question, 5)] == want, question
        assert pg_bot.ask(question).to_json() == bot.ask(question).to_json(), question


@pytest.mark.parametrize("mode", ["dense", "keyword"])
def test_each_retriever_gives_the_same_rows_and_scores(bot, pg_bot, mode):
    for question in _questions("questions.jsonl")[:40]:
        want = bot.search(question, 10, mode=mode)
        got = pg_bot.search(question, 10, mode=mode)
        assert [h.chunk.chunk_id for h in got] == [h.chunk.chunk_id for h in want], (mode, question)
        for a, b in zip(got, want):
            assert a.score == pytest.approx(b.score, rel=1e-5, abs=1e-6)


def test_filters_reach_the_database(pg_bot):
    doc_id = sorted(pg_bot.store.documents)[0]
    hits = pg_bot.retriever.search("kế hoạch phòng, chống mua bán người", 5, Filters(doc_ids=(doc_id,)), "hybrid")
    assert hits and {h.chunk.doc_id for h in hits} == {doc_id}


def test_trainer_matrix_and_documents_list_read_the_database(bot, pg_bot):
    def without_path(rows):
        return [{k: v for k, v in d.items() if k != "path"} for d in rows]

    assert without_path(pg_bot.documents()) == without_path(bot.documents())
    assert all(Path(d["path"]).parent == pg_bot.settings.documents_dir for d in pg_bot.documents())
    assert [t.to_json() for t in pg_bot.store.tasks] == [t.to_json() for t in bot.store.tasks]
    assert pg_bot.store.restore_table == bot.store.restore_table


# -- generations: incremental, atomic, followed by replicas ---------------------------------------------------

def test_reindex_embeds_only_what_changed_and_swaps_generations(tiny, embedder):
    settings = tiny("incremental")
    bot = Assistant(settings, embedder=embedder)
    first = bot.reindex()
    gen1 = bot.store.generation
    (settings.documents_dir / "ke-hoach-b.txt").write_text(
        "KẾ HOẠCH\nNăm 2025\n\nI. NHIỆM VỤ\n1. Sở Y tế chủ trì chăm sóc sức khỏe cho nạn nhân.\n", encoding="utf-8")
    second = bot.reindex()
    assert second.reused == first.chunks and second.embedded == second.chunks - first.chunks > 0
    assert bot.store.generation > gen1
    assert "Sở Y tế" in bot.ask("Ai chủ trì chăm sóc sức khỏe cho nạn nhân?").text
    db = database(settings.store)
    for _ in range(KEEP_OLD + 1):
        bot.reindex()
    kept = [r[0] for r in db.query(f"SELECT generation FROM {CONTROL}.generations ORDER BY generation")]
    assert len(kept) == KEEP_OLD + 1 and kept[-1] == bot.store.generation and gen1 not in kept
    schemas = {r[0] for r in db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (f"{CONTROL}_g%",))}
    assert schemas == {f"{CONTROL}_g{g}" for g in kept}


def test_a_replica_follows_an_upload_and_a_deletion_made_on_another(tiny, embedder):
    a_settings = tiny("replicas", folder="a")
    a = Assistant(a_settings, embedder=embedder).warm_up()
    b_settings = a_settings.replace(documents_dir=a_settings.documents_dir.parent / "b", data_dir=a_settings.data_dir / "b")
    b = Assistant(b_settings, embedder=embedder).warm_up()  # no index folder, no documents: all from the database
    assert not b.refresh()
    sync_documents(b_settings)
    assert (b_settings.documents_dir / "ke-hoach-a.txt").is_file()
    # an upload on A
    (a_settings.documents_dir / "ke-hoach-b.txt").write_text(
        "KẾ HOẠCH\nNăm 2025\n\nI. NHIỆM VỤ\n1. Sở Tư pháp chủ trì trợ giúp pháp lý cho nạn nhân.\n", encoding="utf-8")
    a.reindex()
    assert "Sở Tư pháp" not in b.ask("Ai chủ trì trợ giúp pháp lý cho nạn nhân?").text
    assert b.refresh() and b.store.generation == a.store.generation
    assert "Sở Tư pháp" in b.ask("Ai chủ trì trợ giúp pháp lý cho nạn nhân?").text
    assert sync_documents(b_settings)["written"] == 1 and (b_settings.documents_dir / "ke-hoach-b.txt").is_file()
    # B deletes A's upload and adds its own: A sees both, and its working copy follows
    (b_settings.documents_dir / "ke-hoach-b.txt").unlink()
    (b_settings.documents_dir / "ke-hoach-c.txt").write_text(
        "KẾ HOẠCH\nNăm 2026\n\nI. NHIỆM VỤ\n1. Đoàn Thanh niên chủ trì truyền thông trong trường học.\n", encoding="utf-8")
    b.reindex()
    assert a.refresh()
    assert set(a.store.documents) == {"ke-hoach-a", "ke-hoach-c"}
    assert sync_documents(a_settings) == {"written": 1, "removed": 1}
    assert sorted(p.name for p in a_settings.documents_dir.glob("*.txt")) == ["ke-hoach-a.txt", "ke-hoach-c.txt"]


def test_feedback_goes_to_the_shared_database(pg_bot):
    from assistant.web.service import feedback_store
    from assistant.web.service import Service

    service = Service(pg_bot.settings, bot=pg_bot)
    fid = service.feedback.record("down", "Ai chủ trì?", "Công an tỉnh [1]", [{"n": 1}], note="x\x00y")
    other = feedback_store(pg_bot.settings)  # another replica
    other.add_note(fid, "nguồn [1] là kế hoạch cũ")
    row = [r for r in other.rows() if r["id"] == fid][0]
    assert row["kind"] == "down" and row["note"] == "nguồn [1] là kế hoạch cũ"
    service.feedback.change_vote(fid, "up")
    assert "Ai chủ trì?" in other.to_csv() and not (pg_bot.settings.data_dir / "feedback.sqlite3").exists()


def test_the_commands_read_the_store_and_no_index_folder(tiny, embedder, tmp_path, monkeypatch, capsys):
    import assistant.cli.common as cli_common
    import assistant.cli.parser as cli
    from assistant.cli.common import settings_from

    settings = tiny("commands")
    Assistant(settings, embedder=embedder).reindex()
    monkeypatch.setattr(cli_common, "make_assistant", lambda args, **extra: Assistant(settings_from(args, **extra),
                                                                          embedder=embedder).warm_up())
    flags = ["--store", settings.store, "--documents", str(settings.documents_dir), "--index", str(tmp_path / "none")]
    assert cli.main(["search", "Công an tỉnh chủ trì điều tra", "--json", *flags]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["doc_id"] == "ke-hoach-a"
    assert cli.main(["duties", "--format", "json", *flags]) == 0
    assert "Công an tỉnh" in capsys.readouterr().out
    assert cli.main(["compare", "điều tra các vụ án", "--json", *flags]) == 0
    assert "Công an tỉnh" in capsys.readouterr().out
    assert not (tmp_path / "none").exists()


# -- errors said in one line -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def password_uri(tmp_path_factory):
    """(address with the right password, the same with a wrong one) of a role that must log in with scram, on a
    private server of its own restarted after its pg_hba.conf was edited (a reload alone did not always take)."""
    srv = local_server(tmp_path_factory.mktemp("pg-guarded"))
    with psycopg.connect(srv.get_uri(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE guarded")
        conn.execute("CREATE ROLE guard LOGIN PASSWORD 'right-horse-battery'")
        conn.execute("ALTER DATABASE guarded OWNER TO guard")
        hba = Path(conn.execute("SHOW hba_file").fetchone()[0])
    with psycopg.connect(srv.get_uri("guarded"), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")  # what a DBA does once
    hba.write_text("local all guard scram-sha-256\n" + hba.read_text())
    pgserver.pg_ctl(["-w", "restart"], pgdata=srv.pgdata, user=srv.system_user)
    socket_dir = srv.get_uri().split("host=", 1)[1]
    yield (f"postgresql://guard:right-horse-battery@/guarded?host={socket_dir}",
           f"postgresql://guard:wrong-password@/guarded?host={socket_dir}")
    srv.cleanup()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("case", ["wrong password", "unreachable"])
def test_a_wrong_password_or_an_unreachable_server_is_one_line(case, password_uri, tmp_path, capsys):
    from assistant.cli import main

    uri = password_uri[1] if case == "wrong password" else f"postgresql://guard:pw@127.0.0.1:{_closed_port()}/guarded"
    code = main(["search", "ai chủ trì", "--store", uri, "--index", str(tmp_path / "index"),
                 "--documents", str(tmp_path / "documents")])
    err = capsys.readouterr().err.strip()
    assert code == 1 and len(err.splitlines()) == 1, err
    assert "Traceback" not in err and "wrong-password" not in err and "check ASSISTANT_STORE" in err
    assert ("password authentication failed" if case == "wrong password" else "refused") in err


def test_the_right_password_works_and_a_missing_index_is_said(password_uri, tmp_path, capsys):
    from assistant.cli import main

    live, instance = database(password_uri[0]).state()
    assert live is None and instance
    code = main(["ask", "ai chủ trì", "--store", password_uri[0], "--documents", str(tmp_path / "none")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "documents folder not found" in err, err


# -- processes (slow): two servers over one database, kill -9 of a build --------------------------------------

def _free_port() -> int:
    return _closed_port()


ADMIN = ("admin", "quan-tri-2026-kho")


def _wait_json(url: str, ok, timeout: float = 240.0, method: str = "GET", body: dict | None = None):
    """Poll `url` until `ok(its JSON)`; that JSON."""
    import httpx

    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            last = httpx.request(method, url, json=body, auth=ADMIN, timeout=60).json()
            if ok(last):
                return last
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url}: not as expected within {timeout} s: {last}")


def _serve(uri: str, docs: Path, tmp: Path, name: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    log = open(tmp / f"{name}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--port", str(port), "--store", uri, "--documents", str(docs),
         "--index", str(tmp / f"{name}-index"), "--admin-password", "quan-tri-2026-kho"],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        env={**os.environ, "ASSISTANT_DATA_DIR": str(tmp / f"{name}-data"), "ASSISTANT_STORE_POLL": "0.5"})
    return process, f"http://127.0.0.1:{port}"


@pytest.mark.slow
def test_two_servers_over_one_database_an_upload_through_one_is_answered_through_the_other(
        bot, new_database, tmp_path):
    import httpx

    uri = new_database("two_servers")
    docs_a = _copy_documents(bot.settings.documents_dir, tmp_path / "docs-a")
    publish(database(uri), bot.store, folder_files(docs_a), docs_a)
    processes = []
    try:
        a, url_a = _serve(uri, docs_a, tmp_path, "a")
        b, url_b = _serve(uri, tmp_path / "docs-b", tmp_path, "b")  # an empty folder, no index
        processes += [a, b]
        for url in (url_a, url_b):
            _wait_json(f"{url}/api/health", lambda h: h.get("status") == "ok")
        question = {"question": "Ai chủ trì việc huấn luyện chó nghiệp vụ phát hiện nạn nhân?"}
        before = httpx.post(f"{url_b}/api/ask", json=question, auth=ADMIN, timeout=60).json()
        assert "Bộ đội Biên phòng tỉnh" not in before["answer"], before
        plan = ("KẾ HOẠCH\nPhòng, chống mua bán người năm 2025 của tỉnh Hà Giang\n\nI. NHIỆM VỤ\n"
                "1. Bộ đội Biên phòng tỉnh chủ trì việc huấn luyện chó nghiệp vụ phát hiện nạn nhân.\n")
        r = httpx.post(f"{url_a}/api/documents", files={"file": ("ha-giang-2025.txt", plan.encode("utf-8"), "text/plain")},
                       auth=ADMIN, timeout=60)
        assert r.status_code == 202, r.text
        answer = _wait_json(f"{url_b}/api/ask", lambda ans: "Bộ đội Biên phòng tỉnh" in ans.get("answer", ""),
                            method="POST", body=question)
        assert any(c["doc_id"] == "ha-giang-2025" for c in answer["citations"])
        assert (tmp_path / "docs-b" / "ha-giang-2025.txt").is_file()  # B's working copy followed
        assert not any((tmp_path / name / "current").exists() for name in ("a-index", "b-index"))
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            p.wait(timeout=60)


@pytest.mark.slow
def test_kill_9_of_index_mid_build_leaves_the_previous_generation_serving(bot, pg_bot, new_database, tmp_path):
    uri = new_database("killed")
    docs = _copy_documents(bot.settings.documents_dir, tmp_path / "docs")
    publish(database(uri), bot.store, folder_files(docs), docs)
    db = database(uri)
    live, _ = db.state()
    replica = Assistant(pg_bot.settings.replace(store=uri, documents_dir=tmp_path / "replica"),
                        embedder=pg_bot.embedder).warm_up()
    question = "Ai chủ trì công tác hỗ trợ nạn nhân?"
    want = replica.ask(question).to_json()
    (docs / "them.txt").write_text("KẾ HOẠCH\n\nI. NHIỆM VỤ\n1. Sở Nội vụ chủ trì công tác hỗ trợ nạn nhân.\n",
                                   encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "assistant", "index", "--rebuild", "-q", "--store", uri,
                                "--documents", str(docs), "--index", str(tmp_path / "index")],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")})
    try:
        deadline = time.monotonic() + 300
        writing = False
        while time.monotonic() < deadline and process.poll() is None:  # wait until it is inside the transaction
            rows = db.query("SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() "
                            "AND backend_xid IS NOT NULL")
            if rows:
                writing = True
                break
            time.sleep(0.005)
        assert writing, "the build was never caught writing"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    time.sleep(0.5)
    assert db.state()[0] == live  # the pointer never moved
    assert not replica.refresh() and replica.ask(question).to_json() == want
    fresh = Assistant(pg_bot.settings.replace(store=uri, documents_dir=tmp_path / "fresh"), embedder=pg_bot.embedder)
    assert fresh.warm_up().store.generation == live and fresh.ask(question).to_json() == want
    # the lock died with the builder: the next build runs at once and goes live
    report = Assistant(pg_bot.settings.replace(store=uri, documents_dir=docs), embedder=pg_bot.embedder).reindex()
    assert report.documents == len(bot.store.documents) + 1
    assert replica.refresh() and "Sở Nội vụ" in replica.ask(question).text


@pytest.mark.slow
def test_same_top5_and_same_answers_on_the_test_questions(bot, pg_bot):
    for question in _questions("test_questions.jsonl") + _questions("legal_questions.jsonl"):
        want = [h.chunk.chunk_id for h in bot.search(question, 5)]
        assert [h.chunk.chunk_id for h in pg_bot.search(question, 5)] == want, question
        assert pg_bot.ask(question).to_json() == bot.ask(question).to_json(), question
