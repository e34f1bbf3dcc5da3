"""Grounded mode (`--against`): the given documents only, no store, exact citation offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from verifier.cli import app
from verifier.errors import SourceReadError
from verifier.store.grounded import GroundedRetriever
from verifier.store.sources import iter_documents

EXAMPLES = REPO / "evidence" / "examples"
RECALL = EXAMPLES / "brightwell-sunny-spread-recall.html"
PETITION = EXAMPLES / "greyford-library-petition.txt"
runner = CliRunner()


def test_retriever_returns_every_passage_with_exact_offsets() -> None:
    retriever = GroundedRetriever.from_paths([RECALL, PETITION])
    hits = retriever.search("Brightwell recalled peanut jars", k=1)
    assert len(hits) == retriever.size > 2  # k is ignored: every passage is judged
    assert hits[0].passage.source_id == RECALL.name  # best word overlap first
    sources = {src.id: src for src, _ in iter_documents([RECALL, PETITION])}
    for hit in hits:
        p = hit.passage
        assert sources[p.source_id].text[p.start : p.end] == p.text


def test_missing_and_binary_documents_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceReadError, match="no such file"):
        GroundedRetriever.from_paths([tmp_path / "absent.txt"])
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(SourceReadError):
        GroundedRetriever.from_paths([binary])


@pytest.mark.slow
def test_check_against_cites_the_given_document_and_writes_no_store(isolated_home: Path) -> None:
    claim = "Brightwell Foods recalled Sunny Spread jars because of undeclared peanut."
    result = runner.invoke(
        app, ["check", claim, "--against", str(RECALL), "--against", str(PETITION), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["label"] == "supported"
    text = next(src.text for src, _ in iter_documents([RECALL]))
    for c in report["citations"]:
        assert c["source_id"] == RECALL.name
        assert text[c["start"] : c["end"]] == c["quote"]
    assert not (isolated_home / "store").exists()
    assert not (isolated_home / "examples-store").exists()


@pytest.mark.slow
def test_audit_against_checks_the_article_on_the_given_document(tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_text(
        "Brightwell Foods recalled its Sunny Spread jars over an undeclared peanut allergen.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["audit", str(article), "--against", str(RECALL), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    cited = {c["source_id"] for v in report["claims"] for c in v["citations"]}
    assert cited <= {RECALL.name}


def test_against_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "A claim.", "--against", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.stderr
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["check", "A claim.", "--against", str(RECALL), "--store", str(tmp_path)])
    assert result.exit_code == 1
    assert "leave out --store" in result.stderr


# --------------------------------------------------------------------------- document-level judging

S = ("The cat sat.", "The dog ran.", "A bird sang.", "The sun rose.", "Rain fell.", "Wind blew.")
SIX = " ".join(S)


def _sentences(text: str, span: tuple[int, int]) -> int:
    from verifier.text.sentences import sentence_spans

    return len(sentence_spans(text[span[0] : span[1]]))


def test_sentence_chunks_overlap_by_one_sentence() -> None:
    from verifier.judges.windows import sentence_chunks

    three = [SIX[s:e] for s, e in sentence_chunks(SIX, 3)]
    assert three == [" ".join(S[0:3]), " ".join(S[2:5])]  # the 2-sentence tail is a window already
    assert [SIX[s:e] for s, e in sentence_chunks(SIX, 5)] == [" ".join(S[0:5])]
    assert sentence_chunks(" ".join(S[:2]), 3) == []  # the two-sentence windows cover it


def test_token_pieces_stay_within_the_budget() -> None:
    from verifier.judges.windows import token_pieces

    def count(texts: list[str]) -> list[int]:
        return [len(t.split()) for t in texts]  # a "token" a word

    pieces = [SIX[s:e] for s, e in token_pieces(SIX, 9, count)]
    assert pieces == [" ".join(S[0:3]), " ".join(S[2:5])]  # 3 sentences of 3 "tokens" fit in 9
    assert token_pieces(SIX, 6, count) == []  # no run of 3 sentences fits in 6
    assert [SIX[s:e] for s, e in token_pieces(SIX, 7, count)] == [" ".join(S[3:6])]
    assert [SIX[s:e] for s, e in token_pieces(SIX, 100, count)] == [SIX]


def test_chunk_settings_parse_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from verifier.config import Settings
    from verifier.errors import InputError

    assert Settings.resolve().judge_chunk_sentences == ()  # off by default
    monkeypatch.setenv("VERIFIER_JUDGE_CHUNK_SENTENCES", "3, 5")
    assert Settings.resolve().judge_chunk_sentences == (3, 5)
    monkeypatch.setenv("VERIFIER_JUDGE_CHUNK_SENTENCES", "1")
    with pytest.raises(InputError, match="at least 2"):
        Settings.resolve()


def test_judge_with_chunks_reads_a_chunk_that_fits_its_input() -> None:
    from verifier.judges.nli import NLIJudge
    from verifier.judges.pairs import model_available
    from verifier.models import Claim, Hit, Passage

    if not model_available():
        pytest.skip("trained judge model not shipped")
    text = (
        "The museum opened in 1990. It was built by the city. Its first director was Ana Ruiz. "
        "She served for ten years. The museum later closed for repairs. It reopened in 2015."
    )
    hit = Hit(Passage(id="d#0", source_id="d", text=text, start=0, end=len(text)), score=1.0)
    claim = Claim.from_text("The museum's first director, Ana Ruiz, served for ten years.")
    plain = NLIJudge()
    chunked = NLIJudge(chunk_sentences=(3,), chunk_tokens=400)
    assert chunked.name.endswith("+chunks:s3,t400") and plain.name == chunked.name.split("+")[0]
    budget = chunked._token_budget(claim.text)
    assert 0 < budget < chunked.scorer.max_length
    spans = chunked._windows(set(), text, budget)
    assert set(plain._windows(set(), text)) < set(spans)
    assert any(_sentences(text, s) >= 3 for s in spans)
    (ev,) = chunked.judge(claim, [hit])
    assert text[ev.span[0] : ev.span[1]] == ev.quote


# --------------------------------------------------------------------------- eval --grounded


def test_documents_of_each_gold_format() -> None:
    from verifier.evaluation.gold import GoldClaim
    from verifier.evaluation.grounded import documents_of
    from verifier.models import Label

    scifact = GoldClaim(id="a", claim="c", label=Label.UNVERIFIED, meta={"cited_doc_ids": ["7"]})
    climate = GoldClaim(
        id="b", claim="c", label=Label.SUPPORTED, evidence=["x:1"],
        meta={"annotated_evidence": [{"id": "x:1"}, {"id": "y:2"}]},
    )  # fmt: skip
    frank = GoldClaim(id="c", claim="c", label=Label.SUPPORTED, evidence=["art"])
    assert [documents_of(g) for g in (scifact, climate, frank)] == [["7"], ["x:1", "y:2"], ["art"]]


def test_balanced_accuracy_of_supported_vs_not() -> None:
    from verifier.evaluation.metrics import balanced_accuracy_supported

    gold = ["supported", "supported", "contradicted", "unverified"]
    assert balanced_accuracy_supported(gold, ["supported", "unverified", "unverified", "supported"]) == 0.5
    assert balanced_accuracy_supported(gold, ["supported", "supported", "contradicted", "unverified"]) == 1.0
    assert balanced_accuracy_supported(["supported"], ["supported"]) is None


@pytest.mark.slow
def test_eval_grounded_checks_each_claim_against_its_own_document(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    docs = [
        {"id": "ferry", "text": "The council voted 7 to 2 to rebuild the North Quay ferry terminal."},
        {"id": "moss", "text": "Researchers found frozen moss that regrew after 400 years under ice."},
    ]
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    claims = tmp_path / "claims.jsonl"
    ferry, moss = "The council voted to rebuild the ferry terminal.", "Moss regrew after 400 years under ice."
    gold = [
        {"id": "1", "claim": ferry, "label": "supported", "evidence": ["ferry"]},
        {"id": "2", "claim": moss, "label": "supported", "evidence": ["moss"]},
        {"id": "3", "claim": ferry, "label": "unverified", "evidence": ["moss"]},
        {"id": "4", "claim": "A claim with no document.", "label": "unverified", "evidence": []},
    ]
    claims.write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    out = tmp_path / "run"
    args = [
        "eval",
        "--claims",
        str(claims),
        "--corpus",
        str(corpus),
        "--grounded",
        "--out",
        str(out),
        "-f",
        "json",
    ]
    result = runner.invoke(app, [*args, "--no-progress"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert metrics["n"] == 3 and metrics["grounded"]["skipped_without_documents"] == 1
    rows = {r["id"]: r for r in map(json.loads, (out / "predictions.jsonl").read_text().splitlines())}
    assert rows["1"]["judged"] == ["ferry"] and rows["3"]["judged"] == ["moss"]  # its own document only
    assert rows["1"]["pred"] == "supported" and rows["3"]["pred"] != "supported"
    assert metrics["grounded"]["balanced_accuracy"] is not None
    assert json.loads((out / "run.json").read_text())["grounded"] is True


def test_a_claim_longer_than_the_judge_input_is_cut_not_an_error() -> None:
    from verifier.judges.pairs import PairScorer, model_available

    if not model_available():
        pytest.skip("trained judge model not shipped")
    scorer = PairScorer()
    long_claim = "Jordan Spieth, Brandt Snedeker, " * 80  # a degenerate summary sentence of FRANK
    probs = scorer.score([("Jordan Spieth won the Masters.", long_claim), ("A cat sat.", "A cat sat.")])
    assert probs.shape == (2, 3)
    assert probs[1].tolist() == scorer.score([("A cat sat.", "A cat sat.")])[0].tolist()  # the rest as before
