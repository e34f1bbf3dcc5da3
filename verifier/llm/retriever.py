"""`as_langchain_retriever`: our hybrid evidence search as a LangChain `BaseRetriever`.

    from verifier import Settings, as_langchain_retriever
    from verifier.pipeline import make_embedder, open_store

    settings = Settings.resolve()
    retriever = as_langchain_retriever(open_store(settings, make_embedder(settings)), k=4)
    docs = retriever.invoke("Corvane cut 240 jobs")

Each `Document` is one stored passage; its metadata carry `source_id`, `passage_id`, `start`, `end`
(offsets in the source document), `url`, `title` and the fused retrieval `score`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from verifier.errors import MissingExtraError
from verifier.protocols import Retriever

if TYPE_CHECKING:
    from langchain_core.retrievers import BaseRetriever


def as_langchain_retriever(store: Retriever, k: int = 4) -> BaseRetriever:
    """`store` (an `EvidenceStore`, or any `Retriever`) as a LangChain retriever of `k` documents."""
    try:
        from verifier.llm.documents import EvidenceRetriever
    except ImportError:
        raise MissingExtraError(
            "as_langchain_retriever needs LangChain: pip install 'verifier[llm]' (langchain-core)"
        ) from None
    return EvidenceRetriever(store=store, k=k)
