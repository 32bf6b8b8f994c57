"""Optional PostgreSQL backend: the same search as retrieve.Retriever, with the vectors in pgvector and the
keyword postings in a table, so several stateless `serve` replicas can share one database.

Dense search is pgvector's inner product (`<#>`) over the same L2-normalised vectors as FAISS (an exact
scan below Settings.exact_index_max, an HNSW index above). Keyword search reads the BM25 weights that
bm25s precomputed for each (term, chunk) pair, so a question scores exactly as in the FAISS path:
PostgreSQL's own ts_rank is not BM25 and would rank differently. Fusion, filters, query preparation
and Hit construction are inherited from Retriever unchanged.

Usage::

    from assistant.pgstore import PgIndex, PgRetriever, local_server
    server = local_server(Path("/tmp/pg"))          # or any PostgreSQL with pgvector: PgIndex(uri)
    pg = PgIndex(server.get_uri())
    pg.load(bot.store)                               # copy vectors and postings (once per index build)
    retriever = PgRetriever(bot.store, bot.embedder, bot.settings, pg)
    hits = retriever.search("ai chủ trì hỗ trợ nạn nhân", 5)

Needs `pip install pgserver "psycopg[binary]"` (pgserver bundles PostgreSQL 16 with pgvector).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .config import Settings
from .errors import ConfigError
from .retrieve import Retriever


def local_server(folder: Path):
    """A private PostgreSQL (with pgvector) from the pgserver package, data in `folder`, stopped at exit."""
    try:
        import pgserver
    except ImportError as exc:
        raise ConfigError('The PostgreSQL backend needs: pip install pgserver "psycopg[binary]"') from exc
    Path(folder).mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(str(folder), cleanup_mode="stop")


def _vector_literal(vec: np.ndarray) -> str:
    return "[" + ",".join(f"{float(x):.8g}" for x in vec) + "]"


class PgIndex:
    """Tables of one index in one PostgreSQL schema: chunks (row, chunk id, document, vector), terms, postings."""

    def __init__(self, uri: str, schema: str = "assistant"):
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
            raise ConfigError(f"schema must be a plain lower-case SQL name, not {schema!r}")
        try:
            import psycopg
        except ImportError as exc:
            raise ConfigError('The PostgreSQL backend needs: pip install "psycopg[binary]"') from exc
        self.schema = schema
        self.conn = psycopg.connect(uri, autocommit=True)
        self.conn.execute("CREATE EXTENSION IF NOT EXISTS vector")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def load(self, store: Any, exact_max: int = 100_000) -> dict:
        """Replace the schema's tables with this IndexStore's vectors and BM25 postings; returns row counts."""
        s = self.schema
        vectors = np.asarray(store.embeddings, dtype=np.float32)
        n, dim = vectors.shape
        scores = store.keyword.scores
        indptr, indices, data = scores["indptr"], scores["indices"], scores["data"]
        with self.conn.transaction():
            self.conn.execute(f"DROP SCHEMA IF EXISTS {s} CASCADE")
            self.conn.execute(f"CREATE SCHEMA {s}")
            self.conn.execute(f"CREATE TABLE {s}.chunks (pos integer PRIMARY KEY, chunk_id text NOT NULL, "
                              f"doc_id text NOT NULL, embedding vector({dim}) NOT NULL)")
            self.conn.execute(f"CREATE TABLE {s}.terms (term text PRIMARY KEY, term_id integer NOT NULL)")
            self.conn.execute(f"CREATE TABLE {s}.postings (term_id integer NOT NULL, pos integer NOT NULL, weight real NOT NULL)")
            with self.conn.cursor() as cur:
                with cur.copy(f"COPY {s}.chunks (pos, chunk_id, doc_id, embedding) FROM STDIN") as copy:
                    for row, chunk in enumerate(store.chunks):
                        copy.write_row((row, chunk.chunk_id, chunk.doc_id, _vector_literal(vectors[row])))
                with cur.copy(f"COPY {s}.terms (term, term_id) FROM STDIN") as copy:
                    for term, term_id in store.keyword.vocab_dict.items():
                        copy.write_row((term, int(term_id)))
                with cur.copy(f"COPY {s}.postings (term_id, pos, weight) FROM STDIN") as copy:
                    for term_id in range(len(indptr) - 1):
                        for j in range(int(indptr[term_id]), int(indptr[term_id + 1])):
                            copy.write_row((term_id, int(indices[j]), float(data[j])))
            self.conn.execute(f"CREATE INDEX ON {s}.postings (term_id) INCLUDE (pos, weight)")
            if n > exact_max:  # the same rule as store.choose_faiss_index
                self.conn.execute(f"CREATE INDEX ON {s}.chunks USING hnsw (embedding vector_ip_ops) "
                                  "WITH (m = 32, ef_construction = 80)")
            self.conn.execute(f"ANALYZE {s}.chunks")
            self.conn.execute(f"ANALYZE {s}.postings")
        return {"chunks": n, "terms": len(store.keyword.vocab_dict), "postings": int(indptr[-1])}

    def dense(self, vec: np.ndarray, depth: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        """(row, inner product) of the `depth` nearest chunks, best first."""
        q = _vector_literal(vec)
        where = "WHERE pos = ANY(%(allowed)s)" if allowed is not None else ""
        sql = (f"SELECT pos, -(embedding <#> %(q)s::vector) AS score FROM {self.schema}.chunks {where} "
               "ORDER BY embedding <#> %(q)s::vector, pos LIMIT %(depth)s")
        params = {"q": q, "depth": depth, "allowed": [int(r) for r in allowed] if allowed is not None else None}
        with self.conn.transaction():
            self.conn.execute("SET LOCAL hnsw.ef_search = %s" % max(128, int(depth)))
            return [(int(r), float(s)) for r, s in self.conn.execute(sql, params).fetchall()]

    def keyword(self, terms: Sequence[str], depth: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        """(row, BM25) of the `depth` best chunks for these terms (a repeated term counts again, as in bm25s)."""
        where = "AND p.pos = ANY(%(allowed)s)" if allowed is not None else ""
        sql = (f"SELECT p.pos, SUM(p.weight::float8) AS score FROM unnest(%(terms)s::text[]) AS q(term) "
               f"JOIN {self.schema}.terms t ON t.term = q.term JOIN {self.schema}.postings p ON p.term_id = t.term_id "
               f"WHERE true {where} GROUP BY p.pos HAVING SUM(p.weight) > 0 ORDER BY score DESC, p.pos LIMIT %(depth)s")
        params = {"terms": list(terms), "depth": depth, "allowed": [int(r) for r in allowed] if allowed is not None else None}
        return [(int(r), float(s)) for r, s in self.conn.execute(sql, params).fetchall()]


class PgRetriever(Retriever):
    """retrieve.Retriever with dense and keyword candidates read from PostgreSQL."""

    def __init__(self, store: Any, embedder: Any, settings: Settings, pg: PgIndex):
        super().__init__(store, embedder, settings)
        self.pg = pg

    def _dense(self, text: str, depth: int, allowed: np.ndarray | None) -> dict[int, tuple[int, float]]:
        vec = self.query_vector(text)
        return {row: (rank, score) for rank, (row, score) in enumerate(self.pg.dense(vec, depth, allowed), start=1)}

    def _keyword(self, terms: list[str], depth: int, allowed: np.ndarray | None) -> dict[int, tuple[int, float]]:
        if not terms:
            return {}
        return {row: (rank, score) for rank, (row, score) in enumerate(self.pg.keyword(terms, depth, allowed), start=1)}
