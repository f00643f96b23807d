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

from core.settings import Settings
from index.chunking import chunk_document
from index.embedding import Centring, Embedder, create_embedder, languages
from index.loaders import Document, LoadError, load_corpus
from index.store import (FORMAT_VERSION, ChunkRow, Stored, VersionWriter, current_version, previous_embeddings,
                         read_manifest)
from index.vectors import STORES
from textkit.gloss import MAX_SENSES, gloss
from textkit.language import has_cjk, language_of
from textkit.sentences import sentence_spans
from textkit.terms import terms


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
        "gloss": "cedict-3",  # 2: compounds split into dictionary words; 3: senses cut before Chinese text
    }


def build_index(settings: Settings, embedder: Embedder | None = None, *, progress: bool | None = None) -> BuildReport:
    started = time.perf_counter()
    if settings.vector_store not in STORES:
        raise ValueError(f"unknown vector store {settings.vector_store!r}; choose one of {', '.join(STORES)}")
    index_dir = Path(settings.index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        embedder = embedder or create_embedder(settings.embedding_model, settings.embed_batch_size)
        report = _build_locked(settings, embedder, progress)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


@dataclass
class _Plan:
    """What the live version lets this build reuse."""

    identity: dict
    live: Path | None
    old_docs: dict[str, dict]
    unchanged: set[str]


def _plan(settings: Settings, embedder: Embedder, documents: list[Document], report: BuildReport) -> _Plan:
    identity = {"format": FORMAT_VERSION, "model": settings.embedding_model, "dimension": embedder.dimension,
                "chunker": chunker_settings(settings, embedder), "vector_store": settings.vector_store,
                "gloss_senses": MAX_SENSES}
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
    return _Plan(identity, live, old_docs, unchanged)


def _build_locked(settings: Settings, embedder: Embedder, progress: bool | None) -> BuildReport:
    documents, errors = load_corpus(settings.corpus_dir)
    report = BuildReport(documents=len(documents), errors=errors)
    plan = _plan(settings, embedder, documents, report)
    if plan.live is not None and plan.old_docs and not (report.added or report.changed or report.removed):
        report.version, report.chunks = plan.live.name, read_manifest(plan.live)["chunks"]
        return report  # nothing to do: keep the live version as it is
    reused = previous_embeddings(plan.live, plan.unchanged) if plan.live is not None else {}
    fresh = _embed_new(embedder, [d for d in documents if d.doc_id not in reused],
                       plan.identity["chunker"], progress)
    report.chunks_embedded = sum(len(rows) for rows in fresh.values())
    report.version, report.chunks = _write_version(settings, embedder, documents, reused | fresh, plan.identity)
    return report


def _embed_new(embedder: Embedder, documents: list[Document], chunker: dict,
               progress: bool | None) -> dict[str, list[Stored]]:
    """Chunk the new and changed documents and embed them in one batched call."""
    rows: dict[str, list[ChunkRow]] = {}
    for doc in documents:
        chunks = chunk_document(doc, embedder.count_tokens, embedder.token_spans,
                                chunker["max_tokens"], chunker["overlap"])
        rows[doc.doc_id] = [
            ChunkRow(0, c.chunk_id, doc.doc_id, c.ordinal, c.text, gloss(c.text) if has_cjk(c.text) else "",
                     c.heading, c.page, c.start, c.end, c.n_tokens)
            for c in chunks
        ]
    flat = [row for doc_rows in rows.values() for row in doc_rows]
    sentences = [[row.text[a:b] for a, b in sentence_spans(row.text)] for row in flat]
    vectors = embedder.encode_passages([row.text for row in flat] + [t for ss in sentences for t in ss],
                                       progress=progress)
    chunk_vectors, sentence_vectors = vectors[:len(flat)], vectors[len(flat):]
    bounds = np.cumsum([0] + [len(ss) for ss in sentences])
    stored = iter((row, chunk_vectors[i], sentence_vectors[bounds[i]:bounds[i + 1]]) for i, row in enumerate(flat))
    return {doc_id: [next(stored) for _ in doc_rows] for doc_id, doc_rows in rows.items()}


def _write_version(settings: Settings, embedder: Embedder, documents: list[Document],
                   stored: dict[str, list[Stored]], identity: dict) -> tuple[str, int]:
    # Names sort in build order (zero-padded nanoseconds); the pid keeps parallel builds apart.
    now = time.time_ns()
    name = time.strftime("v-%Y%m%dT%H%M%S", time.localtime(now / 1e9)) + f"-{now % 10**9:09d}-{os.getpid()}"
    writer = VersionWriter(settings.index_dir, name)
    try:
        raw: list[np.ndarray] = []
        sentence_raw: list[np.ndarray] = []
        owners: list[int] = []
        sentence_langs: list[str] = []
        texts: list[str] = []
        bm25_terms: list[list[str]] = []
        manifest_docs: dict[str, dict] = {}
        for doc in documents:
            chunks = stored.get(doc.doc_id, [])
            writer.add_document(doc, len(chunks))
            for row, vector, sentences in chunks:
                row.id = len(raw)
                writer.add_chunk(row, vector, sentences)
                raw.append(vector)
                texts.append(row.text)
                sentence_raw.append(sentences)
                owners.extend([row.id] * len(sentences))
                sentence_langs.extend(language_of(row.text[a:b]) for a, b in sentence_spans(row.text))
                bm25_terms.append(terms(f"{doc.title}\n{row.heading}\n{row.text}\n{row.gloss}") or [""])
            manifest_docs[doc.doc_id] = {"hash": doc.content_hash, "path": doc.path, "title": doc.title,
                                         "chunks": len(chunks)}
        empty = np.zeros((0, embedder.dimension), np.float32)
        matrix = np.vstack(raw) if raw else empty
        sentence_matrix = np.vstack(sentence_raw) if sentence_raw else empty
        # Fitted on every sentence of the collection, so recomputed on every build.
        centring = (Centring.fit(sentence_matrix, sentence_langs, Centring.reference(settings.embedding_model))
                    if embedder.multilingual and len(sentence_matrix) else Centring({}))
        builder = STORES[settings.vector_store][0]
        vector_index = builder(writer.path, np.arange(len(matrix)), centring.apply(matrix, languages(texts)), settings)
        writer.write_sentences(centring.apply(sentence_matrix, sentence_langs), np.asarray(owners, np.int64))
        _write_bm25(writer.path, bm25_terms)
        manifest = identity | {
            "vector_index": vector_index.kind,
            "chunks": len(matrix),
            "centring": centring.to_dict(),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "corpus": str(settings.corpus_dir),
            "documents": manifest_docs,
        }
        return writer.publish(manifest).name, len(matrix)
    except BaseException:
        writer.abandon()
        raise


def _write_bm25(directory: Path, corpus_terms: list[list[str]]) -> None:
    import bm25s

    if not corpus_terms:
        return
    bm25 = bm25s.BM25()
    bm25.index(corpus_terms, show_progress=False)
    bm25.save(str(directory / "bm25"))


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
