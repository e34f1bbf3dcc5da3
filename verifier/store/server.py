"""ServerEvidenceStore: the evidence store on a Chroma server (`chroma run`), shared by many processes.

Where everything lives (all of it on the server, nothing on a writer's disk)::

    collection "passages"  one record per passage: id `source_id#n`, our embedding of `indexed_text`,
                           the passage text as document, source_id/start/end/title/url/published as
                           metadata. The collection metadata is the manifest (format, embedding
                           model, dimension) plus `generation`, a token every writer renews after it
                           wrote anything.
    collection "sources"   one record per source: the full text as document, title/url/published and
                           the content hash as metadata (a 1-d placeholder vector: chroma needs one).

Writers share it without any lock: ids are deterministic and every write is an upsert, so two
`verifier ingest` processes writing the same sources at once write the same records; a source's record
is written after its passages, so one that is missing (a crash) is simply written again next time.
The bm25 index is not stored on the server: each reader rebuilds it from the passages' documents and
caches it on its own disk under the collection's `generation` (home/server-cache), so a reader sees
every write that finished before it read the generation.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from verifier.errors import EmbeddingMismatchError, StoreError
from verifier.models import Hit, Passage, Source, indexed_text
from verifier.protocols import Embedder
from verifier.store.embedding import set_offline_env
from verifier.store.evidence import (
    COLLECTION,
    FORMAT_VERSION,
    IngestStats,
    _embedding_function_class,
)
from verifier.store.fusion import fuse, per_source_first
from verifier.store.lexical import Bm25Index
from verifier.store.sources import chunk_source, iter_documents

log = logging.getLogger(__name__)

SOURCES = "sources"
_PAGE = 1000  # records per `get` request
_META_KEYS = ("title", "url", "published")


def parse_store_url(url: str) -> tuple[str, int, bool]:
    """`http(s)://HOST:PORT` -> (host, port, ssl); a one-line StoreError for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"--store {url!r}: expected a Chroma server address like http://127.0.0.1:8000")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 8000)
    except ValueError:
        raise StoreError(f"--store {url!r}: the port is not a number") from None
    return parts.hostname, port, parts.scheme == "https"


class ServerEvidenceStore:
    """Hybrid evidence store over `chromadb.HttpClient`; open with `ServerEvidenceStore.open(url, ...)`.
    Searches and ingests like `EvidenceStore` (same ids, texts, vectors and fusion)."""

    def __init__(
        self,
        url: str,
        embedder: Embedder,
        *,
        cache_dir: Path,
        candidates: int = 30,
        rrf_k: int = 60,
        ef_search: int = 200,
    ) -> None:
        self.url = url
        self.embedder = embedder
        self.cache_dir = cache_dir / hashlib.sha256(url.encode()).hexdigest()[:16]
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.ef_search = ef_search
        self._client: Any = None
        self._collection: Any = None
        self._sources: Any = None
        self._bm25: Bm25Index | None = None

    @classmethod
    def open(cls, url: str, embedder: Embedder, *, cache_dir: Path, **options: Any) -> ServerEvidenceStore:
        """Connect (creating the collections when absent) and check the server-side manifest."""
        store = cls(url, embedder, cache_dir=cache_dir, **options)
        store._check_manifest(store.collection.metadata or {})
        return store

    # ------------------------------------------------------------------ connection and manifest

    def manifest(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "embedding_model": self.embedder.name,
            "dimension": self.embedder.dimension,
        }

    def _check_manifest(self, meta: dict[str, Any]) -> None:
        fmt = meta.get("format_version")
        if fmt != FORMAT_VERSION:
            raise StoreError(
                f"Store {self.url} has format version {fmt}, this verifier reads {FORMAT_VERSION}; "
                "re-ingest into a new server path"
            )
        model, dim = meta.get("embedding_model"), meta.get("dimension")
        if model != self.embedder.name or dim != self.embedder.dimension:
            raise EmbeddingMismatchError(
                f"Store {self.url} was built with embedding model {model} ({dim}-d), but this verifier "
                f"uses {self.embedder.name} ({self.embedder.dimension}-d); re-ingest into another server"
            )

    @property
    def client(self) -> Any:
        if self._client is None:
            host, port, ssl = parse_store_url(self.url)
            set_offline_env()
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            try:
                self._client = chromadb.HttpClient(
                    host=host, port=port, ssl=ssl, settings=ChromaSettings(anonymized_telemetry=False)
                )
            except ValueError as ex:  # chromadb's "Could not connect to a Chroma server"
                raise StoreError(f"Cannot reach the Chroma server at {self.url}: {ex}") from None
        return self._client

    @property
    def collection(self) -> Any:
        if self._collection is None:
            ef = _embedding_function_class()(self.embedder)
            self._collection = self._call(
                self.client.get_or_create_collection,
                COLLECTION,
                embedding_function=ef,
                configuration={
                    "hnsw": {"space": "cosine", "ef_search": self.ef_search, "ef_construction": 200}
                },
                metadata={**self.manifest(), "generation": "empty"},
            )
        return self._collection

    @property
    def sources_collection(self) -> Any:
        if self._sources is None:
            self._sources = self._call(self.client.get_or_create_collection, SOURCES, embedding_function=None)
        return self._sources

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """A chroma request; connection failures become one-line StoreErrors."""
        try:
            return fn(*args, **kwargs)
        except StoreError:
            raise
        except Exception as ex:  # chromadb raises httpx / ValueError / ChromaError subclasses
            if type(ex).__module__.startswith(("httpx", "httpcore")) or isinstance(ex, ConnectionError):
                raise StoreError(f"Chroma server {self.url}: {type(ex).__name__}: {ex}") from None
            raise

    def generation(self) -> str:
        """The token writers renew after each write (re-read from the server)."""
        ef = _embedding_function_class()(self.embedder)
        meta = self._call(self.client.get_collection, COLLECTION, embedding_function=ef).metadata or {}
        self._check_manifest(meta)
        return str(meta.get("generation", ""))

    # ------------------------------------------------------------------ reading

    def is_empty(self) -> bool:
        return self.count_passages() == 0

    def count_sources(self) -> int:
        return int(self._call(self.sources_collection.count))

    def count_passages(self) -> int:
        return int(self._call(self.collection.count))

    def passage_ids(self) -> list[str]:
        return [pid for pid, _, _ in self._scan(self.collection, include=[])]

    def _scan(self, collection: Any, include: list[str]) -> Iterable[tuple[str, str | None, dict[str, Any]]]:
        offset = 0
        while True:
            got = self._call(collection.get, include=include, limit=_PAGE, offset=offset)
            ids = got["ids"]
            docs = got.get("documents") or [None] * len(ids)
            metas = got.get("metadatas") or [{}] * len(ids)
            yield from zip(ids, docs, metas, strict=True)
            if len(ids) < _PAGE:
                return
            offset += len(ids)

    def get_source(self, source_id: str) -> Source | None:
        got = self._call(self.sources_collection.get, ids=[source_id], include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        meta = got["metadatas"][0] or {}
        return Source(
            id=source_id, title=meta.get("title"), url=meta.get("url"), text=got["documents"][0] or "",
            published=meta.get("published"), content_hash=str(meta.get("content_hash", "")),
        )  # fmt: skip

    def passages(self, ids: Sequence[str] | None = None) -> list[Passage]:
        """Passages by id (in the given order; unknown ids dropped), or all of them by source, offset."""
        if ids is None:
            rows = list(self._scan(self.collection, include=["documents", "metadatas"]))
            found = [_passage(pid, doc, meta) for pid, doc, meta in rows]
            return sorted(found, key=lambda p: (p.source_id, p.start))
        by_id: dict[str, Passage] = {}
        for i in range(0, len(ids), _PAGE):
            got = self._call(
                self.collection.get, ids=list(ids[i : i + _PAGE]), include=["documents", "metadatas"]
            )
            for pid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                by_id[pid] = _passage(pid, doc, meta)
        return [by_id[i] for i in ids if i in by_id]

    # ------------------------------------------------------------------ search

    def dense_search(self, query: str, n: int) -> list[tuple[str, float]]:
        total = self.count_passages()
        if total == 0:
            return []
        vec = self.embedder.embed([query])[0]
        res = self._call(
            self.collection.query, query_embeddings=[vec], n_results=min(n, total), include=["distances"]
        )
        return [(pid, 1.0 - float(d)) for pid, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def lexical_search(self, query: str, n: int) -> list[tuple[str, float]]:
        if self._bm25 is None:
            self._bm25 = self._lexical_index()
        return self._bm25.search(query, n)

    def _lexical_index(self) -> Bm25Index:
        """The bm25 index of the server's passages at the current generation: from this machine's
        cache, else rebuilt from the passages' documents (and cached)."""
        generation = self.generation()
        folder = self.cache_dir / generation
        cached = Bm25Index.load(folder / "bm25")
        if cached is not None:
            return cached
        passages = self.passages()
        index = Bm25Index.build([p.id for p in passages], [indexed_text(p) for p in passages])
        if generation not in ("", "empty"):
            self._save_cache(index, folder)
        return index

    def _save_cache(self, index: Bm25Index, folder: Path) -> None:
        """Write to a folder of this process's own, then rename into place; older generations go."""
        mine = folder.with_name(f"{folder.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part")
        try:
            index.save(mine / "bm25")
            try:
                mine.rename(folder)
            except OSError:  # another reader cached this generation first
                shutil.rmtree(mine, ignore_errors=True)
                return
            for old in self.cache_dir.iterdir():
                if old.name != folder.name and not old.name.endswith(".part"):
                    shutil.rmtree(old, ignore_errors=True)
        except OSError as ex:  # a cache only: searching works without it
            log.warning("could not cache the lexical index in %s: %s", folder, ex)
            shutil.rmtree(mine, ignore_errors=True)

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

    def ingest(
        self,
        paths: Iterable[Path],
        *,
        batch_size: int = 256,
        progress: str = "auto",
        lock_wait: float = 0.0,
        max_file_bytes: int | None = None,
    ) -> IngestStats:
        """Add or replace sources from files/folders; unchanged content (by hash) is skipped. Safe to run
        beside other writers: every record is upserted under a deterministic id, so no lock is taken
        (`lock_wait` is accepted for the embedded store's signature)."""
        started = time.perf_counter()
        known = {sid: str(meta.get("content_hash", "")) for sid, _, meta in self._scan(
            self.sources_collection, include=["metadatas"])}  # fmt: skip
        todo: dict[str, tuple[Source, list[Passage]]] = {}
        unchanged = 0
        for source, sentences in iter_documents(paths, max_file_bytes):
            if source.id in todo:
                log.warning("duplicate source id %s: the later one wins", source.id)
            if known.get(source.id) == source.content_hash:
                unchanged += 1
                todo.pop(source.id, None)
                continue
            todo[source.id] = (source, chunk_source(source, sentences))
        added = sum(1 for sid in todo if sid not in known)
        batch: list[tuple[Source, list[Passage]]] = []
        size = 0
        for item in todo.values():
            batch.append(item)
            size += len(item[1])
            if size >= batch_size:
                self._write_batch(batch)
                batch, size = [], 0
        if batch:
            self._write_batch(batch)
        if todo:  # readers rebuild their lexical index from the next generation on
            self._call(self.collection.modify, metadata={**self.manifest(), "generation": uuid.uuid4().hex})
            self._bm25 = None
        total = sum(len(ps) for _, ps in todo.values())
        stats = IngestStats(added, len(todo) - added, unchanged, total, time.perf_counter() - started)
        log.info("ingest into %s: %s", self.url, stats)
        return stats

    def _write_batch(self, batch: list[tuple[Source, list[Passage]]]) -> None:
        passages = [p for _, ps in batch for p in ps]
        if passages:  # 1. passages: vectors, texts, metadata
            vectors = self.embedder.embed([indexed_text(p) for p in passages])
            self._call(
                self.collection.upsert,
                ids=[p.id for p in passages],
                embeddings=vectors,
                documents=[p.text for p in passages],
                metadatas=[_passage_metadata(p) for p in passages],
            )
        # 2. passages these sources had before (a changed file, or a write cut short) and no longer have
        ids = [s.id for s, _ in batch]
        current = {p.id for p in passages}
        got = self._call(self.collection.get, where={"source_id": {"$in": ids}}, include=[])
        stale = [pid for pid in got["ids"] if pid not in current]
        if stale:
            self._call(self.collection.delete, ids=stale)
        # 3. the source records last: a source with a record is complete
        self._call(
            self.sources_collection.upsert,
            ids=ids,
            embeddings=[[1.0] for _ in batch],
            documents=[s.text for s, _ in batch],
            metadatas=[_source_metadata(s, len(ps)) for s, ps in batch],
        )

    def close(self) -> None:
        self._client = self._collection = self._sources = None


def _passage_metadata(p: Passage) -> dict[str, str | int]:
    meta: dict[str, str | int] = {"source_id": p.source_id, "start": p.start, "end": p.end}
    for key in _META_KEYS:
        value = getattr(p, key)
        if value:
            meta[key] = value
    return meta


def _source_metadata(s: Source, passages: int) -> dict[str, str | int]:
    meta: dict[str, str | int] = {"content_hash": s.content_hash, "passages": passages}
    for key in _META_KEYS:
        value = getattr(s, key)
        if value:
            meta[key] = value
    return meta


def _passage(pid: str, doc: str | None, meta: dict[str, Any] | None) -> Passage:
    meta = meta or {}
    return Passage(
        id=pid, source_id=str(meta.get("source_id", "")), text=doc or "",
        start=int(meta.get("start", 0)), end=int(meta.get("end", 0)),
        title=meta.get("title"), url=meta.get("url"), published=meta.get("published"),
    )  # fmt: skip
