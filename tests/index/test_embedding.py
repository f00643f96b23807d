"""Embeddings come from the packaged model, offline, unit-length, batch-independent."""

import os
import subprocess
import sys

import numpy as np
import pytest

from index.embedding import Embedder, resolve_model_dir
from qa.errors import IndexNotReady
from qa.settings import REPO_ROOT
from tests.conftest import MODEL


def test_vectors_are_unit_length_float32(embedder):
    vectors = embedder.encode(["Tariff quotas for grain.", "海关简化申报手续。", ""])
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batched_encoding_equals_one_at_a_time(embedder):
    texts = [f"Item {i}: the quota for product {i} is {i * 7} tonnes." for i in range(embedder.batch_size + 5)]
    batched = embedder.encode(texts)
    single = np.vstack([embedder.encode([t]) for t in texts[:: embedder.batch_size // 2 or 1]])
    assert batched.shape == (len(texts), embedder.dimension)
    assert np.allclose(batched[:: embedder.batch_size // 2 or 1], single, atol=1e-4)


def test_no_texts_give_an_empty_matrix(embedder):
    assert embedder.encode([]).shape == (0, embedder.dimension)


def test_similar_meaning_scores_higher_than_unrelated(embedder):
    a, b, c = embedder.encode(["Ports will cut fees for refrigerated containers.",
                               "Harbours lower charges on reefer boxes.",
                               "The football final ended in a draw."])
    assert a @ b > a @ c + 0.2


def test_model_comes_from_the_installed_package_and_unknown_names_fail_clearly(tmp_path):
    assert (resolve_model_dir(MODEL) / "config.json").is_file()
    assert resolve_model_dir(str(tmp_path)) == tmp_path
    with pytest.raises(IndexNotReady, match="neither a folder nor an installed package"):
        resolve_model_dir("no-such-embedding-model")


def test_model_loads_and_encodes_with_the_hub_unreachable(tmp_path):
    """Offline: an empty HF cache, HF_HUB_OFFLINE set and every proxy pointing at a closed port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env |= {"HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1", "HTTPS_PROXY": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"}
    code = ("from index.embedding import Embedder; import numpy as np, os; e = Embedder(%r); v = e.encode(['quota']);"
            "print(v.shape[1], round(float(np.linalg.norm(v[0])), 3), os.environ['HF_HUB_OFFLINE'])") % MODEL
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["384", "1.0", "1"]
    assert not (tmp_path / "hf" / "hub").exists() or not any((tmp_path / "hf" / "hub").iterdir())


def test_offline_is_the_default_when_the_environment_says_nothing(embedder):
    embedder.model  # noqa: B018 - loading the model sets the offline defaults
    assert os.environ.get("HF_HUB_OFFLINE") in {"1", "true", "True", "ON", "on"}
    assert isinstance(Embedder(MODEL).max_tokens, int) and embedder.max_tokens < embedder.model.max_seq_length
