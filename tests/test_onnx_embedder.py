"""The shipped ONNX embedder against its sentence-transformers reference (the real packaged model), and
a `check` that imports neither torch nor sentence-transformers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import REPO
from verifier.config import Settings
from verifier.pipeline import make_embedder
from verifier.store.embedding import ONNX_DIR, MiniLMEmbedder, OnnxEmbedder, shared_embedder
from verifier.training.onnx_embedder import MIN_COSINE, SAMPLE, cosines


@pytest.fixture(scope="module")
def reference() -> MiniLMEmbedder:
    return MiniLMEmbedder(bf16=False)


@pytest.fixture(scope="module")
def onnx() -> OnnxEmbedder:
    return OnnxEmbedder(batch_size=4)


def test_vectors_match_the_reference_on_a_fixed_sample(reference: MiniLMEmbedder, onnx: OnnxEmbedder) -> None:
    got = onnx.embed(list(SAMPLE))
    assert len(got) == len(SAMPLE) and all(len(v) == 384 for v in got)
    worst = min(cosines(reference.embed(list(SAMPLE)), got))
    assert worst >= MIN_COSINE, worst


def test_same_identity_as_the_reference_so_existing_stores_open(reference: MiniLMEmbedder) -> None:
    assert OnnxEmbedder().name == reference.name
    info = json.loads((ONNX_DIR / "embedder.onnx.json").read_text(encoding="utf-8"))
    assert info["min_cosine_on_sample"] >= MIN_COSINE


def test_a_text_alone_and_in_a_padded_batch(onnx: OnnxEmbedder) -> None:
    texts = list(SAMPLE)
    batched = onnx.embed_array(texts)
    alone = np.stack([onnx.embed_array([t])[0] for t in texts])
    assert np.allclose(batched, alone, atol=1e-5)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert onnx.embed([]) == []


def test_settings_pick_the_backend(tmp_path: Path) -> None:
    assert isinstance(make_embedder(Settings.resolve()), OnnxEmbedder)
    assert isinstance(make_embedder(Settings.resolve(embedder_backend="torch")), MiniLMEmbedder)
    # a fine-tuned folder without its own ONNX export is served by the reference
    (tmp_path / "embedder.json").write_text('{"model_id": "m", "weights_sha256": "0123456789abcdef"}')
    assert isinstance(shared_embedder(32, 1, tmp_path, "onnx"), MiniLMEmbedder)


@pytest.mark.slow
def test_check_imports_neither_torch_nor_sentence_transformers(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "import verifier.cli\n"
        "heavy = ('torch', 'sentence_transformers', 'transformers')\n"
        "print([m for m in heavy if m in sys.modules])\n"
        "args = ['check', 'The Eiffel Tower is in Paris.', '--format', 'json']\n"
        "result = CliRunner().invoke(verifier.cli.app, args)\n"
        "assert result.exit_code == 0, result.output\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    env = {**os.environ, "VERIFIER_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=600
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.splitlines()[-2:] == ["[]", "[]"], out.stdout
