"""The Qdrant vector store (embedded local mode) behind the same interface as FAISS: a real
index built through build_index, searched through the Retriever and the Service."""

from __future__ import annotations

import pytest

pytest.importorskip("qdrant_client")

from index.build import build_index  # noqa: E402
from index.store import IndexReader  # noqa: E402
from qa.retrieval import Retriever  # noqa: E402
from core.settings import Settings  # noqa: E402
from tests.conftest import write  # noqa: E402

DOCUMENTS = {
    "tariffs.md": "# Tariff cuts\n\nThe State Council cut import tariffs on 1,585 items from 1 November 2018, "
                  "lowering the average rate from 9.8% to 7.5%.\n\nMachinery and textiles saw the largest cuts.",
    "rail.md": "# China-Europe rail\n\nChina-Europe freight trains made 12,406 trips in 2020, up 50% "
               "year on year, carrying medical supplies during the pandemic.",
    "ecommerce.md": "# Cross-border e-commerce\n\nForty-six new cross-border e-commerce pilot zones were "
                    "approved in April 2020 to help foreign trade firms sell online.",
    "ports.md": "# Hainan free trade port\n\nThe Hainan Free Trade Port Law was passed on 10 June 2021 and "
                "grants zero tariffs on many imported goods.",
}
QUERIES = [
    "How many trips did China-Europe freight trains make in 2020?",
    "When was the Hainan Free Trade Port Law passed?",
    "How many pilot zones for cross-border e-commerce were approved?",
    "What was the average tariff rate after the cut?",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qdrant") / "corpus"
    for name, text in DOCUMENTS.items():
        write(folder / name, text)
    return folder


def settings_for(corpus, root, store: str) -> Settings:
    return Settings(corpus_dir=corpus, index_dir=root / "index", feedback_db=root / "feedback.sqlite",
                    vector_store=store, faiss_index="flat", llm="extractive", rate_limit_per_minute=0)


@pytest.fixture(scope="module")
def qdrant_settings(corpus, tmp_path_factory, embedder):
    settings = settings_for(corpus, tmp_path_factory.mktemp("q"), "qdrant")
    build_index(settings, embedder, progress=False)
    return settings


@pytest.fixture(scope="module")
def faiss_settings(corpus, tmp_path_factory, embedder):
    settings = settings_for(corpus, tmp_path_factory.mktemp("f"), "faiss")
    build_index(settings, embedder, progress=False)
    return settings


def test_qdrant_index_is_recorded_in_the_manifest_and_lives_in_the_version_folder(qdrant_settings):
    reader = IndexReader.open(qdrant_settings.index_dir)
    assert reader.manifest["vector_store"] == "qdrant"
    assert reader.manifest["vector_index"] == "qdrant"
    assert (reader.version / "qdrant").is_dir() and (reader.version / "qdrant.json").is_file()
    assert len(reader.vectors) == reader.manifest["chunks"] > 0


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
def test_qdrant_retrieval_matches_faiss_flat(qdrant_settings, faiss_settings, embedder, mode):
    qdrant = Retriever(IndexReader.open(qdrant_settings.index_dir), embedder)
    faiss = Retriever(IndexReader.open(faiss_settings.index_dir), embedder)
    for query in QUERIES:
        got = qdrant.search(query, 3, mode=mode)
        want = faiss.search(query, 3, mode=mode)
        assert [p.chunk_id for p in got] == [p.chunk_id for p in want]
        assert [p.scores.get("dense") for p in got] == pytest.approx([p.scores.get("dense") for p in want], abs=1e-4)


def test_raw_scores_and_ids_match_faiss_and_short_results_are_padded(qdrant_settings, faiss_settings, embedder):
    qdrant = IndexReader.open(qdrant_settings.index_dir).vectors
    faiss = IndexReader.open(faiss_settings.index_dir).vectors
    queries = embedder.encode_queries(QUERIES)
    q_scores, q_ids = qdrant.search(queries, 2)
    f_scores, f_ids = faiss.search(queries, 2)
    assert q_ids.tolist() == f_ids.tolist()
    assert q_scores == pytest.approx(f_scores, abs=1e-4)
    scores, ids = qdrant.search(queries[:1], 100)
    assert ids.shape == (1, len(qdrant)) and (ids >= 0).all()


def test_the_same_version_opens_twice_in_one_process_despite_the_folder_lock(qdrant_settings, embedder):
    first = IndexReader.open(qdrant_settings.index_dir)
    second = IndexReader.open(qdrant_settings.index_dir)
    query = embedder.encode_queries(QUERIES[:1])
    assert first.vectors.search(query, 1)[1].tolist() == second.vectors.search(query, 1)[1].tolist()


def test_service_swaps_to_a_rebuilt_qdrant_version_while_the_old_one_is_open(corpus, tmp_path, embedder):
    from qa.service import Service

    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in corpus.iterdir():
        (folder / path.name).write_text(path.read_text())
    settings = settings_for(folder, tmp_path, "qdrant")
    build_index(settings, embedder, progress=False)
    service = Service(settings, embedder)
    old = service.retriever()
    assert not any("Lithium" in p.text for p in service.search("lithium battery export licences", 5, "dense"))

    write(folder / "batteries.md", "# Battery exports\n\nLithium battery exports need no separate export "
                                   "licence since 2023, but dangerous goods packaging rules apply.")
    report = service.reindex()
    assert report.added == ["batteries"] and report.chunks_embedded == 1
    assert service.retriever() is not old
    assert any("Lithium" in p.text for p in service.search("lithium battery export licences", 5, "dense"))
    # The old version is still readable by requests that began before the swap.
    assert old.search("freight trains", 1, mode="dense")
