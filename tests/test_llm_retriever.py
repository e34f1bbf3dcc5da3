"""`verifier.as_langchain_retriever` over a real chromadb store of the shipped examples."""

from __future__ import annotations

from pathlib import Path

import pytest

import verifier
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore

langchain_core = pytest.importorskip("langchain_core")


def test_llm_retriever_returns_documents_with_offsets(examples_store: Path, embedder: MiniLMEmbedder) -> None:
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    store = EvidenceStore.open(examples_store, embedder)
    retriever = verifier.as_langchain_retriever(store, k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("How many employees did Corvane have at the end of 2025?")
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    top = docs[0]
    assert "5,420 employees" in top.page_content
    meta = top.metadata
    assert set(meta) == {"source_id", "passage_id", "start", "end", "url", "title", "score"}
    assert meta["passage_id"].startswith(meta["source_id"])
    assert meta["end"] - meta["start"] == len(top.page_content)
    assert meta["url"] == "https://example.com/corvane/investors/q4-2025-results"
    hits = store.search("How many employees did Corvane have at the end of 2025?", k=3)
    assert [d.metadata["passage_id"] for d in docs] == [h.passage.id for h in hits]


def test_llm_retriever_composes_in_a_chain(examples_store: Path, embedder: MiniLMEmbedder) -> None:
    from langchain_core.runnables import RunnableLambda

    retriever = verifier.as_langchain_retriever(EvidenceStore.open(examples_store, embedder), k=2)
    chain = retriever | RunnableLambda(lambda docs: [d.metadata["source_id"] for d in docs])
    (first, second) = chain.batch(["Brightwell recall peanut", "Eastmoor Rovers cup final"])
    assert len(first) == 2 and len(second) == 2 and first != second
