"""The LangChain retriever class (imported only by `retriever.as_langchain_retriever`)."""

from __future__ import annotations

import threading
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, PrivateAttr


class EvidenceRetriever(BaseRetriever):
    """Passages of the evidence store as `Document`s (hybrid search: dense + BM25, fused). Searches are
    serialised: LangChain calls a retriever from thread pools (`batch`, `ainvoke`), and the store loads
    its indexes lazily."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Any  # a `verifier.protocols.Retriever`
    k: int = Field(default=4, ge=1)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        with self._lock:
            hits = self.store.search(query, k=self.k)
        return [Document(page_content=h.passage.text, metadata=hit_metadata(h)) for h in hits]


def hit_metadata(hit: Any) -> dict[str, Any]:
    p = hit.passage
    return {
        "source_id": p.source_id,
        "passage_id": p.id,
        "start": p.start,
        "end": p.end,
        "url": p.url,
        "title": p.title,
        "score": hit.score,
    }
