"""A source's title comes from the document (front matter, <title>, a heading line), never its file name:
the same text stored under two names gives the same retrieval scores and the same verdicts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import DATA
from verifier.config import Settings
from verifier.models import Verdict
from verifier.pipeline import Checker, default_reviewers
from verifier.store.embedding import MiniLMEmbedder
from verifier.store.evidence import EvidenceStore
from verifier.store.sources import document_title, read_sources

if TYPE_CHECKING:
    from verifier.judges.nli import NLIJudge

ARTICLE = (
    "The Carrow Fen drainage board voted on 3 March 2026 to raise the pumping levy by 12 percent. "
    "The levy had been unchanged since 2019. Board chair Imogen Stavely said the increase would pay "
    "for two new pumps at Lower Carrow.\n\n"
    "The board has 14 members. Nine voted for the increase and five voted against it.\n"
)
CLAIMS = (
    "The Carrow Fen drainage board raised the pumping levy by 12 percent.",
    "The Carrow Fen pumping levy was raised by 20 percent.",
    "Nine of the board's 14 members voted for the levy increase.",
    "The Carrow Fen levy had not changed since 2019.",
)


@pytest.mark.parametrize(
    ("text", "meta", "suffix", "title"),
    [
        ("Body.", {"title": "From  front matter"}, ".txt", "From front matter"),
        ("# A heading\n\nBody.", {}, ".md", "A heading"),
        ("Intro line.\n\n## Later heading\n\nBody.", {}, ".md", None),  # only a level-1 heading
        ("Intro line.\n\n# Later heading\n\nBody.", {}, ".markdown", "Later heading"),
        ("# Heading in a text file\n\nBody.", {}, ".txt", "Heading in a text file"),
        ("Ferry vote passes\n\nThe council voted 7-2.", {}, ".txt", "Ferry vote passes"),
        ("\n\n  Ferry vote passes  \n\nBody.", {}, ".html", "Ferry vote passes"),
        ("The council voted 7-2.\n\nMore.", {}, ".txt", None),  # a sentence, not a heading
        ("Ferry vote passes\nThe council voted 7-2.", {}, ".txt", None),  # not standing alone
        ("x" * 201 + "\n\nBody.", {}, ".txt", None),  # too long for a heading
        ("Only one line", {}, ".txt", "Only one line"),
        ("", {}, ".txt", None),
    ],
)
def test_document_title(text: str, meta: dict[str, str], suffix: str, title: str | None) -> None:
    assert document_title(text, meta, suffix) == title


def test_file_name_is_never_a_title(tmp_path: Path) -> None:
    for name in ("source_002.txt", "002_1ec6f0a9.txt", "ferry.md", "page.html"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    sources = read_sources([tmp_path])
    assert len(sources) == 4 and all(s.title is None for s in sources)
    assert len({s.text for s in sources if not s.id.endswith(".html")}) == 1


def _verdict_view(v: Verdict) -> dict[str, Any]:
    """Everything of a verdict except where its source lives (ids and urls name the file)."""
    return {
        "label": v.label,
        "confidence": v.confidence,
        "conflicting": v.conflicting,
        "reasons": v.reasons,
        "citations": [(c.title, c.quote, c.start, c.end, c.score, c.stance) for c in v.citations],
        "evidence": [(e.passage.text, e.passage.start, e.probs, e.stance, e.span) for e in v.evidence],
    }


def _store_with(tmp_path: Path, name: str, embedder: MiniLMEmbedder) -> EvidenceStore:
    folder = tmp_path / f"sources-{name}"
    folder.mkdir()
    (folder / name).write_text(ARTICLE, encoding="utf-8")
    store = EvidenceStore.open(tmp_path / f"store-{name}", embedder)
    store.ingest([folder, DATA / "sources"], progress="never")  # the same neighbours in both stores
    return store


def test_same_text_under_two_file_names_gives_identical_scores_and_verdicts(
    tmp_path: Path, embedder: MiniLMEmbedder, nli_judge: NLIJudge
) -> None:
    stores = [_store_with(tmp_path, name, embedder) for name in ("source_002.txt", "002_1ec6f0a9.txt")]
    reviewers = default_reviewers(Settings.resolve(), nli_judge)
    checkers = [Checker(extractor=None, store=s, judge=nli_judge, reviewers=reviewers) for s in stores]  # type: ignore[arg-type]
    for claim in CLAIMS:
        dense = [[round(score, 6) for _, score in s.dense_search(claim, 10)] for s in stores]
        assert dense[0] == dense[1], claim
        hits = [[(h.passage.text, h.passage.start, h.score) for h in s.search(claim, 8)] for s in stores]
        assert hits[0] == hits[1], claim
        verdicts = [_verdict_view(c.check_claim(claim)) for c in checkers]
        assert verdicts[0] == verdicts[1], claim
        assert verdicts[0]["citations"], claim  # the article is found and cited in both stores
    for s in stores:
        s.close()


def test_examples_index_of_an_older_format_is_rebuilt(embedder: MiniLMEmbedder, isolated_home: Path) -> None:
    """A format bump (here: titles no longer from file names) re-indexes our own copy of the examples."""
    import json

    from verifier.pipeline import open_store
    from verifier.store.evidence import FORMAT_VERSION

    open_store(Settings.resolve(), embedder, lambda _: None).close()
    manifest_file = isolated_home / "examples-store" / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest_file.write_text(json.dumps({**manifest, "format_version": FORMAT_VERSION - 1}))
    notices: list[str] = []
    store = open_store(Settings.resolve(), embedder, notices.append)
    assert any("Re-indexing the shipped examples" in n for n in notices)
    assert store.count_sources() == 9 and store.read_manifest()["format_version"] == FORMAT_VERSION  # type: ignore[index]
    assert store.search("Kestrel Point temperature record", 3)
    store.close()
