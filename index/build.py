"""Build (or incrementally update) the index: load -> chunk -> embed -> write -> publish.

Unchanged documents keep their chunks and vectors from the live version; only added or
changed documents are chunked and embedded. A different model, chunker setting or
format forces a full rebuild. Only one build runs at a time (a lock file).
"""

from __future__ import annotations

import fcntl
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from index.chunking import chunk_document
from index.embedding import Embedder
from index.gloss import MAX_SENSES, gloss
from index.loaders import LoadError, load_corpus
from index.store import FORMAT_VERSION, ChunkRow, VersionWriter, current_version, previous_embeddings, read_manifest
from index.terms import terms
from index.vectors import STORES
from qa.settings import Settings


@dataclass
class BuildReport:
    documents: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    chunks: int = 0
    chunks_embedded: int = 0
    errors: list[LoadError] = field(default_factory=list)
    version: str = ""
    seconds: float = 0.0
    full_rebuild: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def chunker_settings(settings: Settings, embedder: Embedder) -> dict:
    return {
        "max_tokens": min(settings.chunk_tokens, embedder.max_tokens),
        "overlap": settings.chunk_overlap,
        "tokenizer": settings.embedding_model,
        "gloss": "cedict-1",
    }


def build_index(settings: Settings, embedder: Embedder | None = None, *, progress: bool | None = None) -> BuildReport:
    started = time.perf_counter()
    index_dir = Path(settings.index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        report = _build_locked(settings, embedder or Embedder(settings.embedding_model, settings.embed_batch_size), progress)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _build_locked(settings: Settings, embedder: Embedder, progress: bool | None) -> BuildReport:
    documents, errors = load_corpus(settings.corpus_dir)
    report = BuildReport(documents=len(documents), errors=errors)
    chunker = chunker_settings(settings, embedder)
    identity = {"format": FORMAT_VERSION, "model": settings.embedding_model, "dimension": embedder.dimension,
                "chunker": chunker, "vector_store": settings.vector_store,
                "gloss_senses": MAX_SENSES}  # Chinese chunks are embedded through their gloss

    live = current_version(settings.index_dir)
    old_docs: dict[str, dict] = {}
    if live is not None:
        old = read_manifest(live)
        if all(old.get(key) == value for key, value in identity.items()):
            old_docs = old["documents"]
    report.full_rebuild = live is not None and not old_docs

    current_ids = {d.doc_id for d in documents}
    unchanged = {d.doc_id for d in documents if old_docs.get(d.doc_id, {}).get("hash") == d.content_hash}
    report.added = sorted(current_ids - set(old_docs))
    report.changed = sorted(d for d in current_ids & set(old_docs) if d not in unchanged)
    report.removed = sorted(set(old_docs) - current_ids)
    report.unchanged = len(unchanged)
    if old_docs and not (report.added or report.changed or report.removed):
        report.version, report.chunks = live.name, read_manifest(live)["chunks"]
        return report  # nothing to do: keep the live version as it is
    reused = previous_embeddings(live, unchanged) if live is not None else {}

    # Chunk the new and changed documents and embed them in one batched call.
    fresh: dict[str, list[ChunkRow]] = {}
    texts: list[str] = []
    counter = _token_counter(embedder)
    for doc in documents:
        if doc.doc_id in unchanged and doc.doc_id in reused:
            continue
        is_zh = doc.language.startswith("zh")
        count = (lambda xs: [max(a, b) for a, b in zip(counter(xs), counter([gloss(x) for x in xs]))]) if is_zh else counter
        rows = []
        for chunk in chunk_document(doc, count, _token_spans(embedder), chunker["max_tokens"], chunker["overlap"]):
            rows.append(ChunkRow(0, chunk.chunk_id, doc.doc_id, chunk.ordinal, chunk.text,
                                 gloss(chunk.text) if is_zh else "", chunk.heading, chunk.page,
                                 chunk.start, chunk.end, chunk.n_tokens))
            texts.append(rows[-1].gloss or chunk.text)
        fresh[doc.doc_id] = rows
    vectors = embedder.encode(texts, progress=progress)
    report.chunks_embedded = len(texts)

    # Names sort in build order (zero-padded nanoseconds); the pid keeps parallel builds apart.
    now = time.time_ns()
    name = time.strftime("v-%Y%m%dT%H%M%S", time.localtime(now / 1e9)) + f"-{now % 10**9:09d}-{os.getpid()}"
    writer = VersionWriter(settings.index_dir, name)
    try:
        all_vectors, bm25_terms, manifest_docs = [], [], {}
        next_vector = iter(vectors)
        for doc in documents:
            pairs = reused.get(doc.doc_id) if doc.doc_id not in fresh else None
            pairs = pairs or [(row, next(next_vector)) for row in fresh[doc.doc_id]]
            writer.add_document(doc, len(pairs))
            for row, vector in pairs:
                row.id = len(all_vectors)
                writer.add_chunk(row, vector)
                all_vectors.append(vector)
                bm25_terms.append(terms(f"{doc.title}\n{row.heading}\n{row.text}\n{row.gloss}") or [""])
            manifest_docs[doc.doc_id] = {"hash": doc.content_hash, "path": doc.path, "title": doc.title,
                                         "chunks": len(pairs)}
        matrix = np.vstack(all_vectors) if all_vectors else np.zeros((0, embedder.dimension), np.float32)
        builder = STORES[settings.vector_store][0]
        vector_index = builder(writer.path, np.arange(len(matrix)), matrix, settings)
        _write_bm25(writer.path, bm25_terms)
        manifest = identity | {
            "vector_index": vector_index.kind,
            "chunks": len(matrix),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "corpus": str(settings.corpus_dir),
            "documents": manifest_docs,
        }
        report.version = writer.publish(manifest).name
    except BaseException:
        writer.abandon()
        raise
    report.chunks = len(all_vectors)
    return report


def _write_bm25(directory: Path, corpus_terms: list[list[str]]) -> None:
    import bm25s

    if not corpus_terms:
        return
    bm25 = bm25s.BM25()
    bm25.index(corpus_terms, show_progress=False)
    bm25.save(str(directory / "bm25"))


def _token_counter(embedder: Embedder):
    tokenizer = embedder.tokenizer

    def count(texts):
        return [len(ids) for ids in tokenizer(list(texts), add_special_tokens=False)["input_ids"]] if texts else []

    return count


def _token_spans(embedder: Embedder):
    tokenizer = embedder.tokenizer

    def spans(text: str) -> list[tuple[int, int]]:
        return [tuple(s) for s in tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]]

    return spans


def index_status(settings: Settings) -> dict:
    """What is built, and whether the corpus has changed since (without embedding anything)."""
    live = current_version(settings.index_dir)
    if live is None:
        return {"built": False, "index_dir": str(settings.index_dir)}
    manifest = read_manifest(live)
    documents, errors = load_corpus(settings.corpus_dir)
    hashes = {d.doc_id: d.content_hash for d in documents}
    indexed = {k: v["hash"] for k, v in manifest["documents"].items()}
    stale = sorted(k for k in hashes if indexed.get(k) != hashes[k]) + sorted(set(indexed) - set(hashes))
    return {
        "built": True,
        "version": live.name,
        "built_at": manifest.get("built_at"),
        "model": manifest["model"],
        "dimension": manifest["dimension"],
        "vector_index": manifest.get("vector_index"),
        "documents": len(indexed),
        "chunks": manifest.get("chunks"),
        "stale": stale or None,
        "model_matches": manifest["model"] == settings.embedding_model,
        "unreadable": [asdict(e) for e in errors] or None,
    }
