"""The evidence store on a real chromadb PersistentClient with the real packaged embedder."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DATA
from verifier.errors import EmbeddingMismatchError, StoreError
from verifier.models import Passage, indexed_text
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import FORMAT_VERSION, EvidenceStore
from verifier.store.fusion import fuse, per_source_first, rrf, source_of


def test_ingest_is_idempotent_by_content(store: EvidenceStore, sources_dir: Path) -> None:
    first = store.ingest([sources_dir], progress="never")
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    assert first.passages == store.count_passages() == store.collection.count() > 0
    second = store.ingest([sources_dir], progress="never")
    assert (second.added, second.updated, second.unchanged, second.passages) == (0, 0, 3, 0)
    assert store.collection.count() == first.passages
    manifest = json.loads((store.path / "manifest.json").read_text())
    assert manifest["sources"] == 3 and manifest["passages"] == first.passages


def test_changed_file_replaces_its_old_passages(store: EvidenceStore, sources_dir: Path) -> None:
    store.ingest([sources_dir], progress="never")
    before = store.count_passages()
    path = sources_dir / "marlow-orchard.txt"
    path.write_text("The Marlow Orchard cooperative now has 41 member farms.\n", encoding="utf-8")
    stats = store.ingest([sources_dir], progress="never")
    assert (stats.added, stats.updated, stats.unchanged) == (0, 1, 2)
    texts = [p.text for p in store.passages() if p.source_id == "marlow-orchard.txt"]
    assert texts == ["The Marlow Orchard cooperative now has 41 member farms."]
    assert store.collection.count() == store.count_passages() == before  # one passage each here
    got = store.collection.get(where={"source_id": "marlow-orchard.txt"}, include=["documents"])
    assert got["documents"] == ["The Marlow Orchard cooperative now has 41 member farms."]
    hits = store.search("How many tonnes of apples did Marlow Orchard pick?", 5)
    assert all("212 tonnes" not in h.passage.text for h in hits)


def test_passages_and_hits_slice_their_source_exactly(data_store: Path, embedder: MiniLMEmbedder) -> None:
    store = EvidenceStore.open(data_store, embedder)
    for p in store.passages():
        source = store.get_source(p.source_id)
        assert source is not None and source.text[p.start : p.end] == p.text
    hits = store.search("grey herons Fallow Marsh", 3)
    assert hits[0].passage.source_id == "doc-heron"
    meta = store.collection.get(ids=[hits[0].passage.id], include=["metadatas"])["metadatas"][0]
    assert meta["source_id"] == "doc-heron" and meta["start"] == hits[0].passage.start
    assert meta["title"] == "Heron counts at Fallow Marsh"


def test_store_built_with_another_model_is_refused(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    path = tmp_path / "store"
    EvidenceStore.open(path, embedder).ingest([DATA / "corpus.jsonl"], progress="never")
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["embedding_model"] = "some-other-model@1.0"
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(EmbeddingMismatchError, match="some-other-model@1.0"):
        EvidenceStore.open(path, embedder)


@pytest.mark.parametrize("content", ["{not json", '{"format_version": 1}', "[]"])
def test_corrupted_manifest_is_a_store_error(tmp_path: Path, embedder: MiniLMEmbedder, content: str) -> None:
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "manifest.json").write_text(content)
    with pytest.raises(StoreError, match="corrupted"):
        EvidenceStore.open(tmp_path / "store", embedder)


def test_store_path_that_is_a_file(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        EvidenceStore.open(tmp_path / "file", embedder)


def test_interrupted_ingest_is_rerun_cleanly(store: EvidenceStore, sources_dir: Path) -> None:
    store.ingest([sources_dir], progress="never")
    total = store.count_passages()
    # simulate a crash after step 3 of a write: stray vectors and a journal entry, no source record
    with store.db:
        store.db.execute("INSERT INTO pending VALUES ('ghost.txt')")
    store.collection.upsert(
        ids=["ghost.txt#0"], embeddings=store.embedder.embed(["half written"]),
        documents=["half written"], metadatas=[{"source_id": "ghost.txt", "start": 0, "end": 12}],
    )  # fmt: skip
    stats = store.ingest([sources_dir], progress="never")
    assert stats.unchanged == 3
    assert store.collection.count() == total
    assert store.db.execute("SELECT COUNT(*) FROM pending").fetchone()[0] == 0


def test_chroma_collection_uses_our_embedding_function_and_cosine(store: EvidenceStore) -> None:
    store.ingest([DATA / "corpus.jsonl"], progress="never")
    conf = store.collection.configuration
    assert conf["embedding_function"].name() == "verifier-embedder"
    assert conf["hnsw"]["space"] == "cosine"
    assert conf["hnsw"]["ef_search"] == store.ef_search
    # documents-only queries go through our function too (never chroma's downloading default)
    res = store.collection.query(query_texts=["grey herons"], n_results=1)
    assert res["ids"][0][0] == "doc-heron#0"


TOWNS = (
    "Ashford Bramley Colwick Dunholme Eastry Fenwick Glaston Hartley Ilmington Kelby Langley Marden".split()
)


@pytest.fixture(scope="module")
def lookalike_store(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder) -> EvidenceStore:
    """Many near-identical passages, and two that only a name or a number ties to the query."""
    rows = [
        {"id": f"match-{i}", "title": f"{t} match",
         "text": f"The attendance at the {t} football match was {1000 + i * 137} people, the club said."}
        for i, t in enumerate(TOWNS)
    ]  # fmt: skip
    rows.append(
        {"id": "number", "title": "Gates", "text": "Gate receipts at Millbrook showed 73519 tickets sold."}
    )
    rows.append(
        {"id": "name", "title": "Coach", "text": "The youth coach, Oyelaran-Whitcombe, runs sessions."}
    )
    path = tmp_path_factory.mktemp("lookalike")
    (path / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    s = EvidenceStore.open(path / "store", embedder)
    s.ingest([path / "corpus.jsonl"], progress="never")
    return s


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("The football match attendance was 73519.", "number#0"),
        ("How many people attended the match according to Oyelaran-Whitcombe?", "name#0"),
    ],
)
def test_hybrid_finds_exact_numbers_and_names_dense_ranks_low(
    lookalike_store: EvidenceStore, query: str, target: str
) -> None:
    k = 5
    dense = [pid for pid, _ in lookalike_store.dense_search(query, 50)]
    assert dense.index(target) >= k  # the embedding alone misses it
    assert lookalike_store.lexical_search(query, 3)[0][0] == target
    assert target in [h.passage.id for h in lookalike_store.search(query, k)]


def test_rrf_and_fuse_arithmetic() -> None:
    dense = [("a", 0.9), ("b", 0.8), ("c", 0.7)]
    lexical = [("c", 9.0), ("d", 5.0)]
    fused = dict(rrf([dense, lexical], k=60))
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert [pid for pid, _ in rrf([dense, lexical], k=60)][0] == "c"
    # both retrievers agree on b..f; each one's leader (a, x) still keeps a place in the top 4
    dense = [("a", 0), ("b", 0), ("c", 0), ("e", 0), ("f", 0)]
    lexical = [("x", 0), ("b", 0), ("c", 0), ("e", 0), ("f", 0)]
    assert [pid for pid, _ in rrf([dense, lexical])[:4]] == ["b", "c", "e", "f"]
    assert [pid for pid, _ in fuse([dense, lexical], top=4)[:4]] == ["b", "c", "a", "x"]
    assert len(fuse([dense, lexical], top=4)) == 6


def test_empty_store_search_and_counts(store: EvidenceStore) -> None:
    assert store.is_empty()
    assert store.search("anything", 3) == []
    assert store.search("   ", 3) == []


def test_sources_table_keeps_full_texts(data_store: Path, embedder: MiniLMEmbedder) -> None:
    db = sqlite3.connect(data_store / "sources.sqlite")
    (n,) = db.execute("SELECT COUNT(*) FROM sources").fetchone()
    assert n == 7
    store = EvidenceStore.open(data_store, embedder)
    assert [s.id for s in store.sources()][:2] == ["ash-creek-bridge.md", "doc-bakery"]


def test_ef_search_setting_applies_to_an_existing_collection(
    data_store: Path, embedder: MiniLMEmbedder
) -> None:
    store = EvidenceStore.open(data_store, embedder, ef_search=321)
    assert store.collection.configuration["hnsw"]["ef_search"] == 321
    store = EvidenceStore.open(data_store, embedder)
    assert store.collection.configuration["hnsw"]["ef_search"] == 200


def test_indexed_text_gives_the_title_as_context() -> None:
    def passage(text: str, title: str | None) -> Passage:
        return Passage(id="s#0", source_id="s", text=text, start=0, end=len(text), title=title)

    assert indexed_text(passage("It has shrunk since 1979.", "Arctic  sea ice")) == (
        "Arctic sea ice: It has shrunk since 1979."
    )
    assert indexed_text(passage("Question: Is it so?\nAnswer: No.", "Is it so?")) == (
        "Question: Is it so?\nAnswer: No."
    )  # the title is in the text already
    assert indexed_text(passage("Plain.", None)) == indexed_text(passage("Plain.", " ")) == "Plain."


def test_per_source_first_puts_each_sources_best_passage_first() -> None:
    ranked = [("a#0", 0.9), ("a#1", 0.8), ("a#2", 0.7), ("b#0", 0.6), ("a#b#3", 0.5), ("b#1", 0.4)]
    assert [pid for pid, _ in per_source_first(ranked)] == ["a#0", "b#0", "a#b#3", "a#1", "b#1", "a#2"]
    assert source_of("a#b#3") == "a#b" and source_of("plain") == "plain"
    assert per_source_first([]) == []


def test_out_of_context_sentence_is_found_through_its_title(store: EvidenceStore, tmp_path: Path) -> None:
    rows = [
        {"id": "ice:3", "title": "Arctic sea ice decline", "text": "It has shrunk by about 40 percent."},
        {"id": "tax:1", "title": "Carbon tax", "text": "The levy has shrunk by about 40 percent."},
        {"id": "bees:2", "title": "Bee decline", "text": "Their numbers have shrunk in many regions."},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    store.ingest([corpus], progress="never")
    query = "Arctic sea ice has shrunk"
    assert store.dense_search(query, 1)[0][0] == "ice:3#0"
    assert store.lexical_search(query, 1)[0][0] == "ice:3#0"
    hit = store.search(query, 1)[0]
    assert hit.passage.text == "It has shrunk by about 40 percent."  # no title in quotes or offsets
    assert (hit.passage.start, hit.passage.end) == (0, len(hit.passage.text))
    docs = store.collection.get(ids=["ice:3#0"], include=["documents"])["documents"]
    assert docs == ["It has shrunk by about 40 percent."]


def test_one_long_source_does_not_crowd_out_a_second_one(store: EvidenceStore, tmp_path: Path) -> None:
    long_text = " ".join(
        f"Study {i} found that the Fallow Marsh heron count rose by {i} percent in spring." for i in range(40)
    )
    rows = [
        {"id": "long", "title": "Heron survey", "text": long_text},
        {"id": "short", "title": "Marsh notes", "text": "The heron count at Fallow Marsh rose in spring."},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    store.ingest([corpus], progress="never")
    assert store.count_passages() > 4
    hits = store.search("Fallow Marsh heron count rose in spring", 2)
    assert {h.passage.source_id for h in hits} == {"long", "short"}
    assert len(store.search("Fallow Marsh heron count rose in spring", 5)) == 5  # then the rest, by rank


def test_store_of_an_older_format_must_be_rebuilt(tmp_path: Path, embedder: MiniLMEmbedder) -> None:
    path = tmp_path / "store"
    EvidenceStore.open(path, embedder).ingest([DATA / "corpus.jsonl"], progress="never")
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["format_version"] = FORMAT_VERSION - 1
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(StoreError, match="re-ingest"):
        EvidenceStore.open(path, embedder)
