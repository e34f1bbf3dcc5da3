"""EvidenceStore: passages in chromadb (dense) + bm25s (lexical), sources in sqlite, one manifest.

Layout of a store directory::

    manifest.json   format version, embedding model name and dimension
    chroma/         chromadb PersistentClient (vectors + passage metadata)
    sources.sqlite  source records (full texts, for citations) and passage offsets
    bm25/           bm25s index over passage texts, rebuilt after each ingest

Both indexes see a passage with its source title as context (`indexed_text`), so a sentence that is
out of context on its own ("It has declined since 1979.") is found through its article's title. The
title never leaks into `Passage.text` or its offsets, which always slice the source text exactly.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from verifier.errors import EmbeddingMismatchError, FormatMismatchError, StoreError
from verifier.models import Hit, Passage, Source, indexed_text
from verifier.protocols import Embedder
from verifier.store.embedding import set_offline_env
from verifier.store.fusion import fuse, per_source_first
from verifier.store.lexical import Bm25Index
from verifier.store.lock import StoreLock
from verifier.store.sources import chunk_source, iter_documents

log = logging.getLogger(__name__)

FORMAT_VERSION = 3  # 2: passages indexed with their source title (`indexed_text`);
# 3: titles from the document only (front matter, <title>, a heading line), never the file name
COLLECTION = "passages"
MANIFEST = "manifest.json"
LOCK_FILE = "write.lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, title TEXT, url TEXT, published TEXT, text TEXT NOT NULL,
    content_hash TEXT NOT NULL, ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS passages (
    id TEXT PRIMARY KEY, source_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_source ON passages(source_id);
CREATE TABLE IF NOT EXISTS pending (source_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
LEXICAL_STALE = "lexical_stale"  # a `state` key: passages changed since the bm25 index was saved


@dataclass(frozen=True, slots=True)
class IngestStats:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    passages: int = 0  # passages written in this run
    seconds: float = 0.0

    @property
    def passages_per_second(self) -> float:
        return self.passages / self.seconds if self.seconds > 0 else 0.0


@lru_cache(maxsize=1)
def _embedding_function_class() -> type:
    """Our chroma embedding function, registered so chroma never falls back to its default one."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class VerifierEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, embedder: Embedder | None = None) -> None:
            if embedder is None:
                from verifier.store.embedding import shared_embedder

                embedder = shared_embedder()
            self._embedder = embedder

        def __call__(self, input: Documents) -> Embeddings:
            import numpy as np

            return [np.asarray(v, dtype=np.float32) for v in self._embedder.embed(list(input))]

        @staticmethod
        def name() -> str:
            return "verifier-embedder"

        def get_config(self) -> dict[str, Any]:
            return {"model": self._embedder.name, "dimension": self._embedder.dimension}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> VerifierEmbeddingFunction:
            return VerifierEmbeddingFunction()

        def default_space(self) -> Any:
            return "cosine"

        def supported_spaces(self) -> list[Any]:
            return ["cosine"]

        def is_legacy(self) -> bool:
            return False

    return VerifierEmbeddingFunction


def _progress_enabled(mode: str) -> bool:
    return mode == "always" or (mode == "auto" and sys.stderr.isatty())


class EvidenceStore:
    """Hybrid evidence store; open with `EvidenceStore.open(path, embedder)`."""

    def __init__(
        self,
        path: Path,
        embedder: Embedder,
        *,
        candidates: int = 30,
        rrf_k: int = 60,
        ef_search: int = 200,
    ) -> None:
        self.path = path
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.ef_search = ef_search
        self._collection: Any = None
        self._bm25: Bm25Index | None = None
        self._db: sqlite3.Connection | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path, embedder: Embedder, **options: Any) -> EvidenceStore:
        """Open (creating when absent) a store; checks the manifest against `embedder`."""
        if path.exists() and not path.is_dir():
            raise StoreError(f"Store path {path} is a file, not a directory")
        store = cls(path, embedder, **options)
        manifest = store.read_manifest()
        if manifest is not None:
            store._check_manifest(manifest)
        return store

    def read_manifest(self) -> dict[str, Any] | None:
        file = self.path / MANIFEST
        if not file.exists():
            return None
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as ex:
            raise StoreError(f"{file} is corrupted ({ex}); delete the store and re-ingest") from None
        if not isinstance(data, dict) or "embedding_model" not in data:
            raise StoreError(f"{file} is corrupted (no embedding_model); delete the store and re-ingest")
        return data

    def _check_manifest(self, manifest: dict[str, Any]) -> None:
        fmt = manifest.get("format_version")
        if fmt != FORMAT_VERSION:
            raise FormatMismatchError(
                f"Store {self.path} has format version {fmt}, this verifier reads {FORMAT_VERSION}; re-ingest"
            )
        model, dim = manifest.get("embedding_model"), manifest.get("dimension")
        if model != self.embedder.name or dim != self.embedder.dimension:
            raise EmbeddingMismatchError(
                f"Store {self.path} was built with embedding model {model} ({dim}-d), but this verifier "
                f"uses {self.embedder.name} ({self.embedder.dimension}-d); re-ingest into a new --store"
            )

    def _write_manifest(self, **extra: Any) -> None:
        data = {
            "format_version": FORMAT_VERSION,
            "embedding_model": self.embedder.name,
            "dimension": self.embedder.dimension,
            **extra,
        }
        tmp = self.path / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        tmp.replace(self.path / MANIFEST)

    def _ensure_dir(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise StoreError(f"Store path {self.path} is not a directory") from None
        except OSError as ex:
            raise StoreError(f"Cannot create store directory {self.path}: {ex.strerror or ex}") from None
        if self.read_manifest() is None:
            self._write_manifest(sources=0, passages=0)

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self._ensure_dir()
            try:
                # readable from other threads (LangChain runs retrievers in thread pools); writes
                # stay on the thread that ingests
                db = sqlite3.connect(self.path / "sources.sqlite", check_same_thread=False)
                db.executescript(_SCHEMA)
            except sqlite3.DatabaseError as ex:
                raise StoreError(f"{self.path / 'sources.sqlite'} is unusable ({ex}); re-ingest") from None
            self._db = db
        return self._db

    @property
    def collection(self) -> Any:
        if self._collection is None:
            self._ensure_dir()
            set_offline_env()
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            client = chromadb.PersistentClient(
                path=str(self.path / "chroma"),
                settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
            )
            ef = _embedding_function_class()(self.embedder)
            self._collection = client.get_or_create_collection(
                COLLECTION,
                embedding_function=ef,
                configuration={
                    "hnsw": {"space": "cosine", "ef_search": self.ef_search, "ef_construction": 200}
                },
                metadata={"embedding_model": self.embedder.name},
            )
            hnsw = (self._collection.configuration or {}).get("hnsw") or {}
            if hnsw.get("ef_search") != self.ef_search:  # an existing collection keeps its old value
                self._collection.modify(configuration={"hnsw": {"ef_search": self.ef_search}})
        return self._collection

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @staticmethod
    def remove(path: Path) -> None:
        """Delete a store directory, and the chroma client this process may still hold for it (chroma
        keeps one per path; a store re-created at the same path would write through a dead handle)."""
        try:
            from chromadb.api.shared_system_client import SharedSystemClient

            system = SharedSystemClient._identifier_to_system.pop(str(path / "chroma"), None)
            if system is not None:
                system.stop()
        except (ImportError, AttributeError):  # another chroma layout: nothing cached to drop
            pass
        shutil.rmtree(path)

    # ------------------------------------------------------------------ reading

    def is_empty(self) -> bool:
        """True when nothing was ever ingested here (no manifest, or no sources)."""
        if self.read_manifest() is None:
            return True
        return self.count_sources() == 0

    def count_sources(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM sources").fetchone()[0])

    def count_passages(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM passages").fetchone()[0])

    def get_source(self, source_id: str) -> Source | None:
        row = self.db.execute(
            "SELECT id, title, url, text, published, content_hash FROM sources WHERE id = ?", (source_id,)
        ).fetchone()
        return Source(*row) if row else None

    def sources(self) -> list[Source]:
        sql = "SELECT id, title, url, text, published, content_hash FROM sources ORDER BY id"
        rows = self.db.execute(sql)
        return [Source(*r) for r in rows]

    def passages(self, ids: Sequence[str] | None = None) -> list[Passage]:
        """Passages by id (in the given order; unknown ids dropped), or all of them."""
        sql = (
            'SELECT p.id, p.source_id, p.start, p."end", s.title, s.url, s.published, '
            'substr(s.text, p.start + 1, p."end" - p.start) '  # the slice only: a source may be huge
            "FROM passages p JOIN sources s ON s.id = p.source_id"
        )
        if ids is None:
            rows = self.db.execute(sql + " ORDER BY p.source_id, p.start").fetchall()
        else:
            rows = []
            for i in range(0, len(ids), 500):
                chunk = list(ids[i : i + 500])
                marks = ",".join("?" * len(chunk))
                rows.extend(self.db.execute(sql + f" WHERE p.id IN ({marks})", chunk).fetchall())
        by_id = {
            r[0]: Passage(
                id=r[0], source_id=r[1], text=r[7], start=r[2], end=r[3],
                title=r[4], url=r[5], published=r[6],
            )
            for r in rows
        }  # fmt: skip
        order = ids if ids is not None else [r[0] for r in rows]
        return [by_id[i] for i in order if i in by_id]

    # ------------------------------------------------------------------ search

    def dense_search(self, query: str, n: int) -> list[tuple[str, float]]:
        total = self.collection.count()
        if total == 0:
            return []
        vec = self.embedder.embed([query])[0]
        res = self.collection.query(query_embeddings=[vec], n_results=min(n, total), include=["distances"])
        return [(pid, 1.0 - float(d)) for pid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def lexical_search(self, query: str, n: int) -> list[tuple[str, float]]:
        if self._bm25 is None:
            self._bm25 = Bm25Index.load(self.path / "bm25")
            if self._bm25 is None and self.count_passages():
                self._rebuild_lexical()
        return self._bm25.search(query, n) if self._bm25 is not None else []

    def search(self, query: str, k: int) -> list[Hit]:
        """Dense top-N and bm25 top-N fused by reciprocal rank fusion, best passage per source first."""
        if not query.strip() or self.is_empty():
            return []
        n = max(self.candidates, k)
        rankings = [self.dense_search(query, n), self.lexical_search(query, n)]
        top = per_source_first(fuse(rankings, k, self.rrf_k))[:k]
        passages = {p.id: p for p in self.passages([pid for pid, _ in top])}
        return [Hit(passage=passages[pid], score=round(score, 6)) for pid, score in top if pid in passages]

    # ------------------------------------------------------------------ writing

    def write_lock(self, wait: float = 0.0) -> StoreLock:
        """The lock every writer of this store holds (one local writer at a time)."""
        self._ensure_dir()
        return StoreLock(self.path / LOCK_FILE, what=f"Store {self.path}", wait=wait)

    def ingest(
        self,
        paths: Iterable[Path],
        *,
        batch_size: int = 256,
        progress: str = "auto",
        lock_wait: float = 0.0,
        max_file_bytes: int | None = None,
    ) -> IngestStats:
        """Add or replace sources from files/folders; unchanged content (by hash) is skipped. Holds the
        store's write lock (waiting up to `lock_wait` seconds for another writer)."""
        with self.write_lock(lock_wait):
            return self._ingest(paths, batch_size=batch_size, progress=progress, max_bytes=max_file_bytes)

    def _ingest(
        self, paths: Iterable[Path], *, batch_size: int, progress: str, max_bytes: int | None
    ) -> IngestStats:
        started = time.perf_counter()
        self._recover()
        known = dict(self.db.execute("SELECT id, content_hash FROM sources").fetchall())
        # streamed: each batch is written as soon as it is full, so memory holds one batch (and the
        # source being read), not the whole corpus
        counted: dict[str, bool] = {}  # source id -> added (True) or updated (False), once written
        initial = set(known)
        unchanged = total = 0
        seen: set[str] = set()
        batch: list[tuple[Source, list[Passage]]] = []
        with self._progress(None, progress) as advance:

            def flush() -> None:
                nonlocal batch, total
                self._write_batch(batch, known, batch_size)
                for s, ps in batch:
                    counted.setdefault(s.id, s.id not in initial)
                    total += len(ps)
                advance(sum(len(ps) for _, ps in batch))
                batch = []

            for source, sentences in iter_documents(paths, max_bytes):
                if source.id in seen:
                    log.warning("duplicate source id %s: the later one wins", source.id)
                    # an earlier one still in the batch is dropped; one already written is replaced
                    batch = [t for t in batch if t[0].id != source.id]
                seen.add(source.id)
                if known.get(source.id) == source.content_hash:
                    unchanged += source.id not in counted
                    continue
                batch.append((source, chunk_source(source, sentences)))
                if sum(len(ps) for _, ps in batch) >= batch_size:
                    flush()
            if batch:
                flush()
        if counted or self.lexical_stale() or not (self.path / "bm25" / "ids.json").exists():
            self._rebuild_lexical()
        self._write_manifest(sources=self.count_sources(), passages=self.count_passages())
        added = sum(counted.values())
        stats = IngestStats(added, len(counted) - added, unchanged, total, time.perf_counter() - started)
        log.info("ingest: %s", stats)
        return stats

    def _write_batch(
        self, batch: list[tuple[Source, list[Passage]]], known: dict[str, str], vector_batch: int = 256
    ) -> None:
        ids = [s.id for s, _ in batch]
        with self.db:  # 1. journal: these sources are being written (and the bm25 index is behind)
            self.db.executemany("INSERT OR IGNORE INTO pending VALUES (?)", [(i,) for i in ids])
            self.db.execute("INSERT OR REPLACE INTO state VALUES (?, '1')", (LEXICAL_STALE,))
        old = self._passage_ids([i for i in ids if i in known])
        if old:  # 2. a changed file replaces its old passages
            self.collection.delete(ids=old)
        passages = [p for _, ps in batch for p in ps]
        for i in range(0, len(passages), vector_batch):  # 3. vectors and metadata, a slice at a time
            part = passages[i : i + vector_batch]  # (one long source may hold many thousand passages)
            self.collection.upsert(
                ids=[p.id for p in part],
                embeddings=self.embedder.embed([indexed_text(p) for p in part]),
                documents=[p.text for p in part],
                metadatas=[_metadata(p) for p in part],
            )
        now = time.time()
        with self.db:  # 4. source records last, in one transaction with clearing the journal
            marks = ",".join("?" * len(ids))
            self.db.execute(f"DELETE FROM passages WHERE source_id IN ({marks})", ids)
            self.db.executemany(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(s.id, s.title, s.url, s.published, s.text, s.content_hash, now) for s, _ in batch],
            )
            self.db.executemany(
                "INSERT INTO passages VALUES (?, ?, ?, ?)",
                [(p.id, p.source_id, p.start, p.end) for p in passages],
            )
            self.db.execute(f"DELETE FROM pending WHERE source_id IN ({marks})", ids)
        for s, _ in batch:
            known[s.id] = s.content_hash

    def _passage_ids(self, source_ids: Sequence[str]) -> list[str]:
        out: list[str] = []
        for i in range(0, len(source_ids), 500):
            chunk = list(source_ids[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id FROM passages WHERE source_id IN ({marks})", chunk)
            out.extend(r[0] for r in rows)
        return out

    def _recover(self) -> None:
        """Undo the half-written sources of an interrupted ingest, so a re-run writes them cleanly."""
        pending = [r[0] for r in self.db.execute("SELECT source_id FROM pending")]
        if not pending:
            return
        log.warning("cleaning up %d source(s) left half-written by an interrupted ingest", len(pending))
        self.collection.delete(where={"source_id": {"$in": pending}})
        with self.db:
            marks = ",".join("?" * len(pending))
            self.db.execute(f"DELETE FROM passages WHERE source_id IN ({marks})", pending)
            self.db.execute(f"DELETE FROM sources WHERE id IN ({marks})", pending)
            self.db.execute("DELETE FROM pending")
            self.db.execute("INSERT OR REPLACE INTO state VALUES (?, '1')", (LEXICAL_STALE,))

    def _rebuild_lexical(self) -> None:
        passages = self.passages()
        index = Bm25Index.build([p.id for p in passages], [indexed_text(p) for p in passages])
        index.save(self.path / "bm25")
        self._bm25 = index
        with self.db:
            self.db.execute("DELETE FROM state WHERE key = ?", (LEXICAL_STALE,))

    # the writers `verifier store repair` reuses (verifier/store/integrity.py); callers hold write_lock()

    def recover(self) -> None:
        self._recover()

    def rebuild_lexical(self) -> None:
        self._rebuild_lexical()

    def write_manifest(self, **extra: Any) -> None:
        self._write_manifest(**extra)

    def lexical_stale(self) -> bool:
        """True when passages changed after the bm25 index was last saved (an interrupted ingest)."""
        row = self.db.execute("SELECT 1 FROM state WHERE key = ?", (LEXICAL_STALE,)).fetchone()
        return row is not None

    @contextmanager
    def _progress(self, total: int | None, mode: str) -> Iterator[Any]:
        """A passages bar on stderr; `total` None: not known in advance (a streamed ingest)."""
        if (total is not None and total < 200) or not _progress_enabled(mode):
            yield lambda n: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(
            TextColumn("ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("passages"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("ingest", total=total)
            yield lambda n: bar.advance(task, n)


def _metadata(p: Passage) -> dict[str, str | int]:
    meta: dict[str, str | int] = {"source_id": p.source_id, "start": p.start, "end": p.end}
    for key in ("title", "url", "published"):
        value = getattr(p, key)
        if value:
            meta[key] = value
    return meta


def passage_metadata(p: Passage) -> dict[str, str | int]:
    """What chroma stores beside a passage's vector."""
    return _metadata(p)
