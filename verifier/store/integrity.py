"""Do a store's parts agree? `verify_store` compares the manifest, the source table, the chroma collection
and the bm25 index (counts, passage ids, embedding model); `repair_store` rebuilds what can be derived:
half-written sources rolled back, orphan vectors dropped, missing vectors re-embedded from the source
texts, the bm25 index rebuilt, the manifest rewritten."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from verifier.errors import StoreError, StoreInconsistentError, StoreNotFoundError
from verifier.models import indexed_text
from verifier.store.evidence import (
    FORMAT_VERSION,
    MANIFEST,
    EvidenceStore,
    passage_metadata,
)

log = logging.getLogger(__name__)

_PAGE = 5_000
_SHOWN = 3  # ids named per problem


@dataclass(frozen=True, slots=True)
class StoreCheck:
    """What `verify_store` found; `problems` is empty when every part agrees."""

    path: str
    sources: int
    passages: int
    vectors: int
    lexical: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_if_inconsistent(self) -> None:
        if self.problems:
            raise StoreInconsistentError(
                f"Store {self.path} is inconsistent: {'; '.join(self.problems)}; "
                f"run: verifier store repair --store {self.path}"
            )


@dataclass(frozen=True, slots=True)
class RepairStats:
    rolled_back: int = 0  # sources half-written by an interrupted ingest (a re-run ingests them again)
    orphan_vectors: int = 0  # vectors of no known passage, deleted
    orphan_passages: int = 0  # passage rows of no known source, deleted
    vectors_added: int = 0  # missing vectors re-embedded from the source texts
    lexical_passages: int = 0  # passages in the rebuilt bm25 index


def _named(ids: Iterable[str]) -> str:
    ids = sorted(ids)
    shown = ", ".join(ids[:_SHOWN])
    return f"{shown}, ... ({len(ids)} in all)" if len(ids) > _SHOWN else shown


def chroma_ids(store: EvidenceStore) -> list[str]:
    """Every id in the store's chroma collection (paged)."""
    out: list[str] = []
    while True:
        page = store.collection.get(include=[], limit=_PAGE, offset=len(out))["ids"]
        out.extend(page)
        if len(page) < _PAGE:
            return out


def _lexical_ids(store: EvidenceStore) -> list[str] | None:
    file = store.path / "bm25" / "ids.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return [str(i) for i in data] if isinstance(data, list) else None


def _require_store(store: EvidenceStore) -> dict[str, object]:
    manifest = store.read_manifest()
    if manifest is None:
        raise StoreNotFoundError(f"No store at {store.path} (no {MANIFEST})")
    return manifest


def _compare(what: str, expected: Sequence[str], got: Sequence[str], problems: list[str]) -> None:
    want, have = set(expected), set(got)
    if len(have) != len(got):
        problems.append(f"{what} holds {len(got) - len(have)} duplicate id(s)")
    if want - have:
        problems.append(f"{what} lacks {len(want - have)} passage(s): {_named(want - have)}")
    if have - want:
        problems.append(
            f"{what} has {len(have - want)} passage(s) the source table does not: {_named(have - want)}"
        )


def verify_store(store: EvidenceStore, *, lock_wait: float = 0.0) -> StoreCheck:
    """Compare the parts of `store`; writes nothing, but holds the write lock so that no writer is half
    way through meanwhile."""
    manifest = _require_store(store)
    with store.write_lock(lock_wait):
        return _verify(store, manifest)


def _verify(store: EvidenceStore, manifest: dict[str, object]) -> StoreCheck:
    problems: list[str] = []
    db = store.db
    sources = store.count_sources()
    passage_ids = [r[0] for r in db.execute("SELECT id FROM passages")]
    for key, actual in (("sources", sources), ("passages", len(passage_ids))):
        if manifest.get(key) != actual:
            problems.append(f"manifest says {manifest.get(key)} {key}, the source table has {actual}")
    if manifest.get("format_version") != FORMAT_VERSION:
        problems.append(
            f"manifest format version {manifest.get('format_version')}, expected {FORMAT_VERSION}"
        )
    pending = [r[0] for r in db.execute("SELECT source_id FROM pending")]
    if pending:
        problems.append(f"{len(pending)} source(s) half-written by an interrupted ingest: {_named(pending)}")
    orphans = [
        r[0] for r in db.execute("SELECT p.id FROM passages p LEFT JOIN sources s ON s.id = p.source_id "
                                 "WHERE s.id IS NULL")
    ]  # fmt: skip
    if orphans:
        problems.append(f"{len(orphans)} passage row(s) of no source: {_named(orphans)}")
    bad = [
        r[0] for r in db.execute('SELECT p.id FROM passages p JOIN sources s ON s.id = p.source_id '
                                 'WHERE p.start < 0 OR p."end" > length(s.text) OR p.start >= p."end"')
    ]  # fmt: skip
    if bad:
        problems.append(f"{len(bad)} passage(s) with offsets outside their source text: {_named(bad)}")

    collection = store.collection
    model = (collection.metadata or {}).get("embedding_model")
    if model != manifest.get("embedding_model"):
        problems.append(
            f"chroma collection built with {model}, manifest says {manifest.get('embedding_model')}"
        )
    vectors = chroma_ids(store)
    _compare("chroma collection", passage_ids, vectors, problems)
    if vectors:
        sample = collection.get(ids=vectors[:1], include=["embeddings"])["embeddings"]
        dim = len(sample[0]) if sample is not None and len(sample) else None
        if dim != manifest.get("dimension"):
            problems.append(
                f"chroma vectors have {dim} dimensions, manifest says {manifest.get('dimension')}"
            )

    lexical = _lexical_ids(store)
    if lexical is None:
        problems.append("lexical index (bm25/ids.json) is missing or unreadable")
    else:
        _compare("lexical index", passage_ids, lexical, problems)
        if store.lexical_stale() and not any(p.startswith("lexical index") for p in problems):
            problems.append("lexical index is marked stale by an interrupted ingest")
    return StoreCheck(
        path=str(store.path), sources=sources, passages=len(passage_ids), vectors=len(vectors),
        lexical=len(lexical or []), problems=tuple(problems),
    )  # fmt: skip


def repair_store(store: EvidenceStore, *, batch_size: int = 256, lock_wait: float = 0.0) -> RepairStats:
    """Rebuild what can be derived from the source table; holds the store's write lock."""
    manifest = _require_store(store)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise StoreError(f"Store {store.path} has another format version; re-ingest into a new --store")
    model = (store.collection.metadata or {}).get("embedding_model")
    if model != manifest.get("embedding_model"):
        raise StoreError(
            f"Store {store.path}: its chroma collection was built with {model}, its manifest says "
            f"{manifest.get('embedding_model')}; re-ingest into a new --store"
        )
    with store.write_lock(lock_wait):
        db = store.db
        rolled_back = int(db.execute("SELECT COUNT(*) FROM pending").fetchone()[0])
        store.recover()
        with db:
            orphan_rows = db.execute(
                "DELETE FROM passages WHERE source_id NOT IN (SELECT id FROM sources)"
            ).rowcount
        known = {r[0] for r in db.execute("SELECT id FROM passages")}
        vectors = set(chroma_ids(store))
        extra = sorted(vectors - known)
        for i in range(0, len(extra), _PAGE):
            store.collection.delete(ids=extra[i : i + _PAGE])
        missing = sorted(known - vectors)
        for i in range(0, len(missing), batch_size):
            passages = store.passages(missing[i : i + batch_size])
            store.collection.upsert(
                ids=[p.id for p in passages],
                embeddings=store.embedder.embed([indexed_text(p) for p in passages]),
                documents=[p.text for p in passages],
                metadatas=[passage_metadata(p) for p in passages],
            )
        store.rebuild_lexical()
        store.write_manifest(sources=store.count_sources(), passages=store.count_passages())
    stats = RepairStats(rolled_back, len(extra), max(orphan_rows, 0), len(missing), store.count_passages())
    log.info("repair: %s", stats)
    return stats
