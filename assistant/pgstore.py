"""The PostgreSQL store: the whole index in one database, so `serve` replicas need no local index folder.

Select it with ASSISTANT_STORE=postgresql://user:password@host/db (or --store). Layout::

    assistant.state          one row: the live generation, and this database's id
    assistant.generations    one row a generation: manifest (model, dimension, chunker, fingerprints), source files
    assistant.files          the documents' original bytes by sha256 (content-addressed, shared by generations)
    assistant.feedback       the replicas' feedback (SQLite stays the default on one machine)
    assistant_g<N>.documents metadata, catalog fields, display text (bytes, as documents.txt holds them)
    assistant_g<N>.chunks    Chunk (JSON), its document, content key, vector(384) (HNSW above exact_index_max)
    assistant_g<N>.terms     keyword vocabulary: per term its document frequency and its postings list (chunk
                             rows and BM25 weights, int32 / float32 arrays exactly as bm25s stores them)
    assistant_g<N>.extras    diacritic-restore table, task records (tasks.json), problems

A build writes generation N in one transaction and moves the pointer in assistant.state inside the same
transaction: a replica sees the old generation or the new one, never half of one, and a build killed with
kill -9 is rolled back by PostgreSQL. Builds take an advisory lock (released by the server when the
builder's connection dies). Replicas poll assistant.state (Settings.store_poll) and switch to a newer
generation without a restart; the two newest older generations are kept for replicas still reading them.

A build is the folder build (build.assemble_index + store.write_index into a temporary folder) published
into the database, so both backends hold the same bytes and answer alike: the opened generation is an
IndexStore whose chunk table, vectors and keyword statistics are read from the database on demand, and
whose retriever asks PostgreSQL for its dense candidates (pgvector inner product, exact or HNSW) and for the
postings lists of the question's terms, which it adds up as bm25s does (a hot list stays cached on the replica);
fusion, filters and answers are the folder backend's code.

The documents folder of a replica is a working copy of the database's documents: a build first merges
what other replicas published since this folder last saw the database (added, changed and removed files),
keeping this folder's own changes, so an upload on one replica never drops another's.

Usage::

    server = local_server(Path("/tmp/pg"))                 # a private PostgreSQL 16 with pgvector (tests)
    settings = Settings.from_env(store=server.get_uri())
    build_index(settings)                                   # assistant index --store …
    store = open_generation(settings)                       # what `serve --store …` answers from

Needs `pip install "psycopg[binary]"` (and pgserver for a private server).
"""
from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from .assemble import assemble_index, fingerprint
from .chunk import Chunk
from .config import Settings
from .document import Document
from .duties import Duty, TASKS_VERSION
from .errors import ConfigError, IndexLockedError, IndexMissingError, StoreUnavailable
from .retrieve import Retriever, top_rows
from .store import IndexStore, check_compatible, dumps, file_digest, write_index

if TYPE_CHECKING:
    from .embed import Embedder

log = logging.getLogger(__name__)

CONTROL = "assistant"
KEEP_OLD = 2  # older generations kept for replicas that have not switched yet
MARKER = ".assistant-store.json"  # in the documents folder: the generation this working copy last matched
_BUILD_LOCK = 0x41535354  # pg_advisory_lock key of builders ("ASST")
SETUP_LOCK = 0x41535355
POSTINGS_CACHE_BYTES = 256 << 20  # hot postings lists a replica keeps (common words recur in most questions)
_HNSW = "WITH (m = 16, ef_construction = 64)"  # pgvector's defaults: builds 100k vectors in minutes on 2 cores


# --- connecting -----------------------------------------------------------------------------------------
def redact(uri: str) -> str:
    """The address without its password, for messages and logs."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "postgresql://…"
    if parts.password is None:
        return uri
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def connect(uri: str):
    """An autocommit connection; a refused login or an unreachable server is one StoreUnavailable line."""
    try:
        import psycopg
    except ImportError as exc:
        raise ConfigError('The PostgreSQL store needs: pip install "psycopg[binary]"') from exc
    try:
        return psycopg.connect(uri, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        reason = _reason(exc)
        raise StoreUnavailable(f"Cannot use the PostgreSQL store {redact(uri)}: {reason} — check ASSISTANT_STORE "
                               "(--store): user, password, host, port and database.") from None


def _reason(exc: Exception) -> str:
    """The useful line of a PostgreSQL error ("password authentication failed for user …")."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    if primary:
        hint = getattr(diag, "message_hint", None)
        return f"{primary} ({hint.rstrip('.')})" if hint else primary
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    for line in reversed(lines):
        if "FATAL:" in line or "failed" in line or "refused" in line or "does not exist" in line:
            return line.split("FATAL:", 1)[-1].strip()
    return lines[-1] if lines else type(exc).__name__


class Database:
    """One PostgreSQL store: a connection per thread (answers run on several), control tables created once."""

    def __init__(self, uri: str):
        self.uri = uri
        self._local = threading.local()
        conn = self.conn  # connect now: a wrong password is said before anything else happens
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK,))  # two replicas starting at once
                if not conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone():
                    conn.execute("CREATE EXTENSION vector")  # needs a superuser once; the DBA may have done it
                conn.execute(f"CREATE SCHEMA IF NOT EXISTS {CONTROL}")
                conn.execute(f"CREATE TABLE IF NOT EXISTS {CONTROL}.state (only_row boolean PRIMARY KEY DEFAULT true "
                             "CHECK (only_row), generation bigint, instance text NOT NULL)")
                conn.execute(f"INSERT INTO {CONTROL}.state (instance) VALUES (%s) ON CONFLICT DO NOTHING",
                             (uuid.uuid4().hex,))
                conn.execute(f"CREATE SEQUENCE IF NOT EXISTS {CONTROL}.generation_seq")
                conn.execute(f"CREATE TABLE IF NOT EXISTS {CONTROL}.generations (generation bigint PRIMARY KEY, "
                             "created timestamptz NOT NULL DEFAULT now(), manifest text NOT NULL, files text NOT NULL)")
                conn.execute(f"CREATE TABLE IF NOT EXISTS {CONTROL}.files (sha256 text PRIMARY KEY, data bytea NOT NULL)")
        except Exception as exc:
            if _is_pg_error(exc):
                raise StoreUnavailable(f"The PostgreSQL store {redact(uri)} cannot be prepared: {_reason(exc)} "
                                       "(the user needs CREATE on the database and the pgvector extension).") from None
            raise

    @property
    def conn(self):
        """This thread's connection (opened on first use, reopened when the server closed it)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._local.conn = connect(self.uri)
        return conn

    def query(self, sql: str, params: Any = None, binary: bool = False) -> list[tuple]:
        """Rows of one statement (binary: values in PostgreSQL's binary format); a lost server is StoreUnavailable."""
        try:
            return self.conn.execute(sql, params, binary=binary).fetchall()
        except Exception as exc:
            if _is_connection_error(exc):
                self._local.conn = None
                raise StoreUnavailable(f"The PostgreSQL store {redact(self.uri)} stopped answering: {_reason(exc)}") from None
            raise

    def state(self) -> tuple[int | None, str]:
        """(live generation or None, this database's id)."""
        generation, instance = self.query(f"SELECT generation, instance FROM {CONTROL}.state")[0]
        return (int(generation) if generation is not None else None), instance

    def generation_files(self, generation: int | None) -> dict[str, str]:
        """{path relative to the documents folder: sha256} of a generation's source files."""
        if generation is None:
            return {}
        rows = self.query(f"SELECT files FROM {CONTROL}.generations WHERE generation = %s", (generation,))
        return json.loads(rows[0][0]) if rows else {}

    def file_bytes(self, sha256: str) -> bytes:
        """The original bytes of one source file."""
        return bytes(self.query(f"SELECT data FROM {CONTROL}.files WHERE sha256 = %s", (sha256,))[0][0])

    @contextlib.contextmanager
    def build_lock(self, timeout: float = 600.0) -> Iterator[None]:
        """One builder at a time across replicas (PostgreSQL drops the lock when its holder dies, even by kill -9)."""
        conn = connect(self.uri)
        try:
            deadline, waiting = time.monotonic() + timeout, False
            while not conn.execute("SELECT pg_try_advisory_lock(%s)", (_BUILD_LOCK,)).fetchone()[0]:
                if time.monotonic() > deadline:
                    raise IndexLockedError(f"Another `assistant index` is writing {redact(self.uri)}; wait for it to finish.")
                if not waiting:
                    log.warning("Another `assistant index` is writing %s; waiting for it to finish.", redact(self.uri))
                    waiting = True
                time.sleep(0.2)
            yield
        finally:
            conn.close()

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _is_pg_error(exc: Exception) -> bool:
    import psycopg

    return isinstance(exc, psycopg.Error)


def _is_connection_error(exc: Exception) -> bool:
    import psycopg

    return isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError))


@functools.lru_cache(maxsize=8)
def database(uri: str) -> Database:
    """The process's Database for an address (one set of connections, whatever opens it)."""
    return Database(uri)


def _schema(generation: int) -> str:
    return f"{CONTROL}_g{int(generation)}"


def _vector_from_binary(data: bytes) -> np.ndarray:
    """A vector in pgvector's binary format (int16 dimension, int16 unused, big-endian float32s)."""
    return np.frombuffer(data, dtype=">f4", offset=4).astype(np.float32)


def _vector_literal(vec: np.ndarray) -> str:
    # 9 significant digits: every float32 reads back bit for bit, so cosines equal the folder's.
    return "[" + ",".join(f"{float(x):.9g}" for x in vec) + "]"


# --- writing a generation -------------------------------------------------------------------------------
def publish(db: Database, store: IndexStore, files: dict[str, str], folder: Path | None = None,
            exact_max: int | None = None) -> int:
    """Write an opened folder index as a new generation and make it live, in one transaction; returns its number.

    `files` maps the source files (relative paths) to their sha256; those not yet in the database are
    read from `folder`. Older generations beyond KEEP_OLD are dropped afterwards.
    """
    vectors = store.embeddings
    n, dim = (int(vectors.shape[0]), int(vectors.shape[1])) if vectors.ndim == 2 else (0, 384)
    exact_max = int(store.manifest.get("exact_index_max", 100_000)) if exact_max is None else exact_max
    scores = store.keyword.scores
    indptr, indices, data = scores["indptr"], scores["indices"], scores["data"]
    content_keys = _content_keys(store)
    ordinals = {doc_id: i for i, doc_id in enumerate(store.documents)}
    conn = connect(db.uri)  # its own connection: the transaction must not mix with a reader's statements
    try:
        with conn.transaction():
            generation = int(conn.execute(f"SELECT nextval('{CONTROL}.generation_seq')").fetchone()[0])
            s = _schema(generation)
            conn.execute(f"CREATE SCHEMA {s}")
            conn.execute(f"CREATE TABLE {s}.documents (ordinal integer PRIMARY KEY, doc_id text NOT NULL, "
                         "relpath text NOT NULL, meta text NOT NULL, body bytea NOT NULL)")
            conn.execute(f"CREATE TABLE {s}.chunks (pos integer PRIMARY KEY, doc_ordinal integer NOT NULL, "
                         f"content_key text NOT NULL, chunk text NOT NULL, embedding vector({dim}) NOT NULL)")
            # The vectors stay inline and uncompressed, the chunk texts go out of line: an exact scan then reads
            # 1.5 kB a row without decompressing anything (with both inline, PostgreSQL compressed the rows and a
            # scan of 2,000 vectors took 140 ms).
            conn.execute(f"ALTER TABLE {s}.chunks ALTER COLUMN embedding SET STORAGE PLAIN, "
                         "ALTER COLUMN chunk SET STORAGE EXTERNAL")
            conn.execute(f"CREATE TABLE {s}.terms (term text PRIMARY KEY, term_id integer NOT NULL, df integer NOT NULL, "
                         "rows bytea NOT NULL, weights bytea NOT NULL)")
            # Stored uncompressed out of line: a common term's list is read whole on every question that has it.
            conn.execute(f"ALTER TABLE {s}.terms ALTER COLUMN rows SET STORAGE EXTERNAL, "
                         "ALTER COLUMN weights SET STORAGE EXTERNAL")
            conn.execute(f"CREATE TABLE {s}.extras (name text PRIMARY KEY, body text NOT NULL)")
            with conn.cursor() as cur:
                with cur.copy(f"COPY {s}.documents (ordinal, doc_id, relpath, meta, body) FROM STDIN") as copy:
                    for doc_id, doc in store.documents.items():
                        copy.write_row((ordinals[doc_id], doc_id, _relpath(doc.path, folder), dumps(doc.row()),
                                        doc.text.encode("utf-8", "surrogatepass")))
                chunk_docs = np.asarray(store.chunk_docs)
                with cur.copy(f"COPY {s}.chunks (pos, doc_ordinal, content_key, chunk, embedding) FROM STDIN") as copy:
                    for lo in range(0, n, 4096):
                        block = np.asarray(vectors[lo : lo + 4096], dtype=np.float32)
                        for j, chunk in enumerate(store.chunks[lo : lo + 4096]):
                            row = lo + j
                            copy.write_row((row, int(chunk_docs[row]), content_keys[row] if row < len(content_keys) else "",
                                            dumps(chunk.to_json()), _vector_literal(block[j])))
                with cur.copy(f"COPY {s}.terms (term, term_id, df, rows, weights) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["text", "int4", "int4", "bytea", "bytea"])
                    for term, term_id in store.keyword.vocab_dict.items():
                        lo, hi = int(indptr[term_id]), int(indptr[term_id + 1])
                        copy.write_row((term, int(term_id), hi - lo, np.asarray(indices[lo:hi], dtype="<i4").tobytes(),
                                        np.asarray(data[lo:hi], dtype="<f4").tobytes()))
                spans = getattr(store, "spans", None)
                if spans is not None and len(spans):
                    # Sentence-span vectors (spans.py), in blocks: read whole into memory when a replica opens the
                    # generation, as the folder index maps spans.npy (the retriever re-scores its candidates with them).
                    conn.execute(f"CREATE TABLE {s}.spans (block integer PRIMARY KEY, chunk_rows bytea NOT NULL, "
                                 "vectors bytea NOT NULL)")
                    span_chunks = np.asarray(store.span_chunks, dtype="<i4")
                    with cur.copy(f"COPY {s}.spans (block, chunk_rows, vectors) FROM STDIN (FORMAT BINARY)") as copy:
                        copy.set_types(["int4", "bytea", "bytea"])
                        for block, lo in enumerate(range(0, len(spans), 4096)):
                            copy.write_row((block, span_chunks[lo : lo + 4096].tobytes(),
                                            np.asarray(spans[lo : lo + 4096], dtype="<f4").tobytes()))
                tasks = _stored_json(store, "tasks.json")
                extras = {"restore": store.restore_table, "problems": store.problems,
                          **({"tasks": tasks} if tasks is not None else {})}
                with cur.copy(f"COPY {s}.extras (name, body) FROM STDIN") as copy:
                    for name, value in extras.items():
                        copy.write_row((name, dumps(value)))
            if n > exact_max:  # the rule of store.choose_faiss_index: exact search up to exact_max vectors
                conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
                conn.execute(f"CREATE INDEX ON {s}.chunks USING hnsw (embedding vector_ip_ops) {_HNSW}")
            conn.execute(f"ANALYZE {s}.chunks")
            conn.execute(f"ANALYZE {s}.terms")
            known = {r[0] for r in conn.execute(f"SELECT sha256 FROM {CONTROL}.files WHERE sha256 = ANY(%s)",
                                                (list(set(files.values())),)).fetchall()}
            for rel, sha in files.items():
                if sha not in known and folder is not None and (folder / rel).is_file():
                    conn.execute(f"INSERT INTO {CONTROL}.files (sha256, data) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                                 (sha, (folder / rel).read_bytes()))
                    known.add(sha)
            manifest = dict(store.manifest, store_generation=generation)
            conn.execute(f"INSERT INTO {CONTROL}.generations (generation, manifest, files) VALUES (%s, %s, %s)",
                         (generation, dumps(manifest), dumps(files)))
            conn.execute(f"UPDATE {CONTROL}.state SET generation = %s", (generation,))
            conn.execute("SELECT pg_notify('assistant_generation', %s)", (str(generation),))
        _drop_old(conn, generation)
    finally:
        conn.close()
    return generation


def _content_keys(store: IndexStore) -> list[str]:
    path = Path(store.path) / "content_keys.txt" if store.path else None
    if path is not None and path.is_file():
        return path.read_text(encoding="utf-8").split("\n")
    return []


def _stored_json(store: IndexStore, name: str) -> Any:
    """A JSON file of a folder index (tasks.json), or None."""
    path = Path(store.path) / name if store.path else None
    if path is not None and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return None


def _relpath(path: str, folder: Path | None) -> str:
    if folder is not None:
        with contextlib.suppress(ValueError):
            return Path(path).resolve().relative_to(Path(folder).resolve()).as_posix()
    return Path(path).name


def _drop_old(conn: Any, live: int) -> None:
    """Drop generations older than the KEEP_OLD before `live`, and source files no generation lists."""
    rows = conn.execute(f"SELECT generation FROM {CONTROL}.generations WHERE generation < %s ORDER BY generation DESC",
                        (live,)).fetchall()
    for (old,) in rows[KEEP_OLD:]:
        with conn.transaction():
            conn.execute(f"DROP SCHEMA IF EXISTS {_schema(old)} CASCADE")
            conn.execute(f"DELETE FROM {CONTROL}.generations WHERE generation = %s", (old,))
    # Failed (rolled back) builds leave no schema; a schema without a generation row is one a crash left.
    listed = {r[0] for r in conn.execute(f"SELECT generation FROM {CONTROL}.generations").fetchall()}
    for (name,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname ~ %s", (f"^{CONTROL}_g[0-9]+$",)).fetchall():
        if int(name.rsplit("_g", 1)[1]) not in listed:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
    used: set[str] = set()
    for (files,) in conn.execute(f"SELECT files FROM {CONTROL}.generations").fetchall():
        used.update(json.loads(files).values())
    conn.execute(f"DELETE FROM {CONTROL}.files WHERE NOT (sha256 = ANY(%s))", (sorted(used),))


# --- building: the working copy, then the folder build, then publish --------------------------------------
def folder_files(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of the files a build reads from `folder` (and the catalog), hidden files aside."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts) and not rel.name.startswith("~$"):
            out[rel.as_posix()] = file_digest(path)
    return out


def sync_documents(settings: Settings, db: Database | None = None) -> dict[str, int]:
    """Bring the documents folder up to date with the live generation, keeping this folder's own changes:
    files added or changed elsewhere are written, files removed elsewhere are removed (3-way, against the
    generation this folder last matched). Returns {"written": n, "removed": n}."""
    db = db or database(settings.store)
    folder = Path(settings.documents_dir)
    live, instance = db.state()
    theirs = db.generation_files(live)
    base = _read_marker(folder, instance)
    mine = folder_files(folder)
    written = removed = 0
    for rel, sha in theirs.items():
        if mine.get(rel) == sha or (rel in mine and mine[rel] != base.get(rel)):
            continue  # the same already, or changed here (this folder's change wins)
        if rel not in mine and rel in base:
            continue  # removed here since: stays removed
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".sync-{uuid.uuid4().hex[:8]}-{target.name}")
        tmp.write_bytes(db.file_bytes(sha))
        os.replace(tmp, target)
        written += 1
    for rel, sha in base.items():
        if rel not in theirs and mine.get(rel) == sha:  # removed elsewhere, unchanged here
            with contextlib.suppress(FileNotFoundError):
                (folder / rel).unlink()
            removed += 1
    if live is not None:
        _write_marker(folder, instance, live, theirs)
    return {"written": written, "removed": removed}


def _read_marker(folder: Path, instance: str) -> dict[str, str]:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return marker.get("files", {}) if marker.get("instance") == instance else {}


def _write_marker(folder: Path, instance: str, generation: int, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{MARKER}.tmp"
    tmp.write_text(json.dumps({"instance": instance, "generation": generation, "files": files}), encoding="utf-8")
    os.replace(tmp, folder / MARKER)


def build_generation(settings: Settings, embedder: Any = None, progress: Any = None, rebuild: bool = False,
                     ocr: Any = None):
    """`assistant index --store …`: merge the working copy, build as the folder backend does (re-embedding only
    changed chunks, vectors reused from the live generation), publish as a new live generation."""
    db = database(settings.store)
    fp = fingerprint(settings)
    with db.build_lock():
        sync_documents(settings, db)
        live, instance = db.state()
        cache = {} if rebuild else previous_vectors(db, live, fp)
        report, parts = assemble_index(settings, embedder, progress, cache, ocr)
        files = folder_files(settings.documents_dir)
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".store-build-", dir=settings.data_dir) as tmp:
            write_index(Path(tmp) / "index", **parts)
            store = IndexStore.open(Path(tmp) / "index", verify=False)
            generation = publish(db, store, files, Path(settings.documents_dir))
            del store
        _write_marker(Path(settings.documents_dir), instance, generation, files)
    report.seconds = time.perf_counter() - report.seconds
    log.info("published generation %d to %s", generation, redact(settings.store))
    return report


def previous_vectors(db: Database, generation: int | None, fp: dict) -> dict[str, np.ndarray]:
    """Vectors of the live generation by content key, when it was built with the same model."""
    if generation is None:
        return {}
    manifest = json.loads(db.query(f"SELECT manifest FROM {CONTROL}.generations WHERE generation = %s", (generation,))[0][0])
    if manifest.get("embedding_model") != fp["embedding_model"]:
        return {}
    rows = db.query(f"SELECT content_key, embedding FROM {_schema(generation)}.chunks", binary=True)
    return {key.decode("utf-8") if isinstance(key, bytes) else key: _vector_from_binary(vec) for key, vec in rows if key}


# --- reading a generation -------------------------------------------------------------------------------
class _Generation:
    """The queries of one generation's schema."""

    def __init__(self, db: Database, generation: int, n: int, hnsw: bool):
        self.db, self.generation, self.schema, self.n, self.hnsw = db, generation, _schema(generation), n, hnsw
        self._postings: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()  # recently used lists
        self._cached = 0
        self._lock = threading.Lock()

    def dense(self, vec: np.ndarray, depth: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        """(row, inner product) of the `depth` nearest chunks, best first (exact, or HNSW above exact_index_max)."""
        q = _vector_literal(vec)
        s = self.schema
        if allowed is not None and (not self.hnsw or allowed.size <= 8192):
            # A scope is scored exactly (as retrieve._dense_approximate does): a graph walk would miss its rows.
            sql = (f"WITH c AS MATERIALIZED (SELECT pos, embedding <#> %(q)s::vector AS d FROM {s}.chunks "
                   "WHERE pos = ANY(%(allowed)s)) SELECT pos, -d FROM c ORDER BY d, pos LIMIT %(depth)s")
        else:
            where = "WHERE pos = ANY(%(allowed)s)" if allowed is not None else ""
            sql = (f"SELECT pos, -(embedding <#> %(q)s::vector) FROM {s}.chunks {where} "
                   "ORDER BY embedding <#> %(q)s::vector LIMIT %(depth)s")
        params = {"q": q, "depth": depth, "allowed": [int(r) for r in allowed] if allowed is not None else None}
        if self.hnsw:
            conn = self.db.conn
            with conn.transaction():
                conn.execute(f"SET LOCAL hnsw.ef_search = {max(128, int(depth))}")
                rows = self.db.query(sql, params)
        else:
            rows = self.db.query(sql, params)
        rows = [(int(r), float(score)) for r, score in rows]
        rows.sort(key=lambda rs: (-rs[1], rs[0]))  # ties in row order, as FAISS returns them
        return rows

    def postings(self, terms: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(rows, BM25 weights) of each known term, in the order given (a repeated term comes again)."""
        wanted = list(dict.fromkeys(terms))
        with self._lock:
            lists = {t: self._postings[t] for t in wanted if t in self._postings}
            for t in lists:
                self._postings.move_to_end(t)
        missing = [t for t in wanted if t not in lists]
        if missing:
            found = self.db.query(f"SELECT term, rows, weights FROM {self.schema}.terms WHERE term = ANY(%s)",
                                  (missing,), binary=True)  # raw bytes, not hex text
            fetched = {t: (np.frombuffer(r, dtype="<i4"), np.frombuffer(w, dtype="<f4")) for t, r, w in found}
            for t in missing:
                lists[t] = fetched.get(t)
            with self._lock:
                for t, pair in fetched.items():
                    self._postings[t] = pair
                    self._cached += pair[0].nbytes + pair[1].nbytes
                while self._cached > POSTINGS_CACHE_BYTES and self._postings:
                    _t, (r, w) = self._postings.popitem(last=False)
                    self._cached -= r.nbytes + w.nbytes
        return [lists[t] for t in terms if lists.get(t) is not None]

    def keyword(self, terms: Sequence[str], depth: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        """(row, BM25) of the `depth` best chunks: the terms' postings added in float32 in the question's order,
        exactly as bm25s.BM25.get_scores adds them, then the selection of retrieve.Retriever._keyword."""
        lists = self.postings(terms)
        if not lists:
            return []
        scores = np.zeros(self.n, dtype=np.float32)
        for rows, weights in lists:
            scores[rows] += weights  # a term's rows are distinct: one float32 addition each, as in bm25s
        return self.select(scores, depth, allowed)

    @staticmethod
    def select(scores: np.ndarray, depth: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        """The `depth` best rows with a positive score, as the folder retriever selects them (retrieve.top_rows)."""
        return top_rows(scores, depth, allowed)

    def chunks(self, rows: Sequence[int]) -> dict[int, Chunk]:
        """Chunks by row."""
        found = self.db.query(f"SELECT pos, chunk FROM {self.schema}.chunks WHERE pos = ANY(%s)", ([int(r) for r in rows],))
        return {int(pos): Chunk.from_json(json.loads(text)) for pos, text in found}

    def vectors(self, rows: Sequence[int]) -> dict[int, np.ndarray]:
        """Vectors by row."""
        found = self.db.query(f"SELECT pos, embedding FROM {self.schema}.chunks WHERE pos = ANY(%s)",
                              ([int(r) for r in rows],), binary=True)
        return {int(pos): _vector_from_binary(vec) for pos, vec in found}

    def text(self, ordinal: int) -> str:
        """A document's display text."""
        rows = self.db.query(f"SELECT body FROM {self.schema}.documents WHERE ordinal = %s", (int(ordinal),))
        return bytes(rows[0][0]).decode("utf-8", "surrogatepass")


class _ChunkRows(Sequence[Chunk]):
    """The chunk table of a generation: read from the database on demand in pages of PAGE rows (a document's
    chunks are neighbours, and the answer strategies walk them), the last 4,096 rows cached."""

    PAGE = 8

    def __init__(self, gen: _Generation, cache: int = 4096):
        self._gen = gen
        page = functools.lru_cache(maxsize=max(1, cache // self.PAGE))(
            lambda p: gen.chunks(range(p * self.PAGE, min(gen.n, (p + 1) * self.PAGE))))
        self._get = lambda i: page(i // self.PAGE)[i]

    def __len__(self) -> int:
        return self._gen.n

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            rows = list(range(*i.indices(len(self))))
            got = self._gen.chunks(rows)
            return [got[r] for r in rows]
        i = int(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(f"chunk row {i} out of range (0..{len(self) - 1})")
        return self._get(i)

    def __iter__(self) -> Iterator[Chunk]:
        for lo in range(0, len(self), 2048):
            got = self._gen.chunks(range(lo, min(len(self), lo + 2048)))
            for i in range(lo, min(len(self), lo + 2048)):
                yield got[i]


class _Vectors:
    """The generation's vectors as the retriever and the answer strategies index them (rows, or the whole
    matrix through np.asarray, which is read once and kept)."""

    def __init__(self, gen: _Generation, dim: int):
        self._gen = gen
        self.shape = (gen.n, dim)
        self.ndim = 2
        self.dtype = np.dtype(np.float32)
        self._one = functools.lru_cache(maxsize=4096)(lambda i: gen.vectors([i])[i])
        self._all: np.ndarray | None = None

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key):
        if self._all is not None:
            return self._all[key]
        if isinstance(key, (int, np.integer)):
            return self._one(int(key) % max(1, self.shape[0]))
        if isinstance(key, slice):
            key = np.arange(*key.indices(self.shape[0]))
        rows = np.asarray(key, dtype=np.int64).reshape(-1)
        got = self._gen.vectors(rows.tolist()) if rows.size else {}
        out = np.zeros((rows.size, self.shape[1]), dtype=np.float32)
        for j, r in enumerate(rows.tolist()):
            out[j] = got[r]
        return out

    def __array__(self, dtype=None, copy=None):
        if self._all is None:
            self._all = self[slice(None)]
        return self._all if dtype is None else self._all.astype(dtype)


class _Vocabulary(Mapping):
    """term → term id of a generation, looked up in the database (cached)."""

    def __init__(self, gen: _Generation, size: int):
        self._gen, self._size = gen, size
        self._ids = functools.lru_cache(maxsize=65536)(self._lookup)

    def _lookup(self, term: str) -> int | None:
        rows = self._gen.db.query(f"SELECT term_id FROM {self._gen.schema}.terms WHERE term = %s", (term,))
        return int(rows[0][0]) if rows else None

    def __getitem__(self, term: str) -> int:
        found = self._ids(term) if isinstance(term, str) else None
        if found is None:
            raise KeyError(term)
        return found

    def __iter__(self):
        for (term,) in self._gen.db.query(f"SELECT term FROM {self._gen.schema}.terms ORDER BY term_id"):
            yield term

    def __len__(self) -> int:
        return self._size


class _KeywordStats:
    """What the answer strategies read of the keyword index: its vocabulary and, through the CSC column
    pointers, each term's document frequency (the postings lists are fetched per question: _Generation.postings)."""

    def __init__(self, gen: _Generation):
        self._gen = gen
        size = int(gen.db.query(f"SELECT count(*) FROM {gen.schema}.terms")[0][0])
        self.vocab_dict = _Vocabulary(gen, size)
        self._indptr: np.ndarray | None = None

    def get_scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 of every chunk for these terms, as bm25s.BM25.get_scores computes it (float32, terms in order)."""
        scores = np.zeros(self._gen.n, dtype=np.float32)
        for rows, weights in self._gen.postings(terms):
            scores[rows] += weights
        return scores

    @property
    def scores(self) -> dict:
        """{"indptr": …}: df of term id t = indptr[t + 1] - indptr[t]."""
        if self._indptr is None:
            df = np.zeros(len(self.vocab_dict), dtype=np.int64)
            for term_id, count in self._gen.db.query(f"SELECT term_id, df FROM {self._gen.schema}.terms"):
                df[int(term_id)] = int(count)
            self._indptr = np.concatenate([[0], np.cumsum(df)])
        return {"indptr": self._indptr, "num_docs": self._gen.n}


@dataclass
class PgStore(IndexStore):
    """An opened generation of the PostgreSQL store; the same attributes as a folder IndexStore."""

    generation: int = 0
    database: Any = None
    _gen: Any = None

    def make_retriever(self, embedder: Any, settings: Settings) -> "PgRetriever":
        """The retriever that asks PostgreSQL for its candidates."""
        return PgRetriever(self, embedder, settings, self._gen)

    def newer(self) -> bool:
        """True when another build made a newer generation live."""
        live, _instance = self.database.state()
        return live is not None and live != self.generation


def open_generation(settings: Settings, check: bool = True) -> PgStore:
    """Open the live generation (IndexMissingError when none was built, IndexMismatchError when it was built with
    another model or chunker; check=False skips that comparison, for benchmarks on synthetic collections)."""
    db = database(settings.store)
    for attempt in range(5):
        live, _instance = db.state()
        if live is None:
            raise IndexMissingError(f"No index in the PostgreSQL store {redact(settings.store)} — run: "
                                    "assistant index --store …")
        try:
            return _open(db, live, settings, fingerprint(settings) if check else None)
        except Exception as exc:  # dropped under us by a newer build: open the newer one
            import psycopg

            if not isinstance(exc, psycopg.errors.UndefinedTable) or attempt == 4:
                raise
    raise AssertionError("unreachable")


def _open(db: Database, generation: int, settings: Settings, fp: dict | None) -> PgStore:
    manifest = json.loads(db.query(f"SELECT manifest FROM {CONTROL}.generations WHERE generation = %s",
                                   (generation,))[0][0])
    if fp is not None:
        check_compatible(manifest, {k: v for k, v in fp.items() if k != "format_version"})
    s = _schema(generation)
    n = int(manifest.get("n_chunks", 0))
    hnsw = bool(db.query("SELECT 1 FROM pg_indexes WHERE schemaname = %s AND tablename = 'chunks' "
                         "AND indexdef ILIKE '%%hnsw%%'", (s,)))
    gen = _Generation(db, generation, n, hnsw)
    read_text = functools.lru_cache(maxsize=32)(lambda ordinal, _unused: gen.text(ordinal))
    folder = Path(settings.documents_dir)
    documents = {}
    for ordinal, doc_id, relpath, meta in db.query(f"SELECT ordinal, doc_id, relpath, meta FROM {s}.documents ORDER BY ordinal"):
        row = json.loads(meta)
        row["path"] = str(folder / relpath)  # where this replica's working copy holds it
        documents[doc_id] = Document.stored(read_text, (ordinal, 0), **row)
    chunk_docs = np.asarray([r[0] for r in db.query(f"SELECT doc_ordinal FROM {s}.chunks ORDER BY pos")], dtype=np.int32)
    extras = {name: json.loads(body) for name, body in db.query(f"SELECT name, body FROM {s}.extras")}
    dim = int(manifest.get("dimension") or 384)
    spans = span_chunks = None
    if db.query("SELECT to_regclass(%s)", (f"{s}.spans",))[0][0] is not None:  # a generation written before spans has none
        blocks = db.query(f"SELECT chunk_rows, vectors FROM {s}.spans ORDER BY block")
        span_chunks = np.concatenate([np.frombuffer(bytes(r), dtype="<i4") for r, _v in blocks]).astype(np.int32)
        spans = np.concatenate([np.frombuffer(bytes(v), dtype="<f4").reshape(-1, dim) for _r, v in blocks])
    store = PgStore(None, manifest, documents, _ChunkRows(gen), _Vectors(gen, dim), None, _KeywordStats(gen),
                    extras.get("restore", {}), extras.get("problems", []), chunk_docs, spans, span_chunks,
                    generation=generation, database=db, _gen=gen)
    tasks = extras.get("tasks")
    if tasks and tasks.get("version") == TASKS_VERSION:
        store.__dict__["_tasks"] = [Duty.from_json(row) for row in tasks.get("records", [])]
    return store


def open_or_build(settings: Settings, embedder: Any = None, progress: Any = None) -> PgStore:
    """Open the live generation; build the first one from the documents folder when the database has none."""
    db = database(settings.store)
    live, _instance = db.state()
    if live is None:
        build_generation(settings, embedder, progress)
    return open_generation(settings)


SPAN_POOL = 4096  # chunk candidates re-scored with their spans per English question (all of a smaller collection)


class PgRetriever(Retriever):
    """retrieve.Retriever with its dense and keyword candidates read from PostgreSQL."""

    def __init__(self, store: PgStore, embedder: Embedder, settings: Settings, gen: _Generation):
        super().__init__(store, embedder, settings)
        self.pg = gen

    def _dense(self, text: str, depth: int, allowed: np.ndarray | None) -> dict[int, tuple[int, float]]:
        vec = self.query_vector(text)
        if self._span_scoring(text) is None:
            return {row: (rank, score) for rank, (row, score) in enumerate(self.pg.dense(vec, depth, allowed), start=1)}
        # Spans count: the chunks' own cosines from the database for every allowed chunk of a small collection (as the
        # folder index scores them all), else the nearest few thousand — not every row on every English question;
        # re-scored with their spans.
        n = int(self.pg.n) if allowed is None else int(allowed.size)
        pool = min(n, max(depth * 8, SPAN_POOL))
        found = self.pg.dense(vec, pool, allowed)
        if not found:
            return {}
        rows = np.asarray([r for r, _s in found], dtype=np.int64)
        order = np.argsort(rows, kind="stable")
        rows, chunk_scores = rows[order], np.asarray([sc for _r, sc in found], dtype=np.float32)[order]
        scores = self._with_spans(vec, rows, chunk_scores)
        best = np.lexsort((rows, -scores))[:depth]
        return {int(rows[i]): (rank, float(scores[i])) for rank, i in enumerate(best, start=1)}

    def _keyword(self, terms: list[str], depth: int, allowed: np.ndarray | None) -> dict[int, tuple[int, float]]:
        if not terms:
            return {}
        return {row: (rank, score) for rank, (row, score) in enumerate(self.pg.keyword(terms, depth, allowed), start=1)}


def local_server(folder: Path):
    """A private PostgreSQL (with pgvector) from the pgserver package, data in `folder`, stopped at exit."""
    try:
        import pgserver
    except ImportError as exc:
        raise ConfigError('A private PostgreSQL needs: pip install pgserver "psycopg[binary]"') from exc
    Path(folder).mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(str(folder), cleanup_mode="stop")
