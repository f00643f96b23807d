"""The on-disk index: the one format shared by the build side and the serving side.

    INDEX_DIR/
      current -> v-20261125T070102-123456789-1234   symlink, swapped atomically on publish
      v-.../manifest.json                      format, model, dimension, chunker, documents
      v-.../manifest.json                      (+ the per-language centring means)
      v-.../chunks.sqlite                      documents(text, metadata), chunks(+raw chunk and sentence vectors)
      v-.../vectors.faiss                      vector index over chunk ids (see vectors.py), centred vectors
      v-.../sentences.faiss, sentences.npy     centred vectors of every chunk sentence; the owning chunk ids
      v-.../bm25/                              bm25s index over chunk terms (row = chunk id)

A version folder is complete before ``current`` points at it, so a crash mid-build
leaves the previous index serving. Readers open one version and never see it change.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from core.errors import IndexNotReady
from index.atomic import atomic_symlink, atomic_write, fsync_dir
from index.embedding import Centring
from textkit.sentences import sentence_spans
from index.vectors import SENTENCES_FILE, STORES, VectorIndex, build_faiss, open_faiss

# 2: sentence vectors and language centring; 3: "No. 4" ends no sentence; 4: nor "Co. acquired";
# 5: BM25 terms are Snowball stems ("trade" meets "trades", "China's" China)
FORMAT_VERSION = 5
CURRENT = "current"
SENTENCE_OWNERS = "sentences.npy"
KEEP_VERSIONS = 2  # the live one and the one before, which a running service may still read

SCHEMA = """
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, path TEXT, title TEXT, source_url TEXT, date TEXT,
    language TEXT, content_hash TEXT, text TEXT, metadata TEXT, chunks INTEGER
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE, doc_id TEXT, ordinal INTEGER, text TEXT,
    gloss TEXT, heading TEXT, page INTEGER, start INTEGER, "end" INTEGER, n_tokens INTEGER,
    embedding BLOB, sentences BLOB
);
CREATE INDEX chunks_doc ON chunks(doc_id);
"""


@dataclass
class ChunkRow:
    id: int
    chunk_id: str
    doc_id: str
    ordinal: int
    text: str
    gloss: str
    heading: str
    page: int | None
    start: int
    end: int
    n_tokens: int


def current_version(index_dir: Path) -> Path | None:
    link = Path(index_dir) / CURRENT
    if not link.is_symlink():
        return None
    target = link.parent / link.readlink()
    return target if (target / "manifest.json").is_file() else None


def read_manifest(version: Path) -> dict:
    return json.loads((version / "manifest.json").read_text(encoding="utf-8"))


class IndexReader:
    """One published index version, opened read-only; safe to share between threads."""

    def __init__(self, version: Path):
        self.version = version
        self.manifest = read_manifest(version)
        if self.manifest.get("format") != FORMAT_VERSION:
            raise IndexNotReady(
                "the index was written by another version of this program: rebuild it with `qa index build`")
        self._db = sqlite3.connect(f"file:{version / 'chunks.sqlite'}?mode=ro", uri=True, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        store, kind = self.manifest["vector_store"], self.manifest["vector_index"]
        self.vectors: VectorIndex = STORES[store][1](version, kind)
        import bm25s

        self.bm25 = bm25s.BM25.load(str(version / "bm25")) if (version / "bm25").is_dir() else None
        self.centring = Centring.from_dict(self.manifest.get("centring"), Centring.reference(self.manifest["model"]))
        self.sentences = open_faiss(version, "flat", SENTENCES_FILE)
        self.sentence_owners = np.load(version / SENTENCE_OWNERS)

    @classmethod
    def open(cls, index_dir: Path, model_name: str | None = None) -> IndexReader:
        version = current_version(index_dir)
        if version is None:
            raise IndexNotReady("no index has been built yet: run `qa index build`")
        reader = cls(version)
        if model_name and reader.manifest["model"] != model_name:
            raise IndexNotReady(
                f"the index was built with embedding model {reader.manifest['model']!r} but "
                f"{model_name!r} is configured: rebuild it with `qa index build`"
            )
        return reader

    def _query(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def chunks(self, ids: list[int]) -> dict[int, ChunkRow]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._query(
            f'SELECT id, chunk_id, doc_id, ordinal, text, gloss, heading, page, start, "end", n_tokens '
            f"FROM chunks WHERE id IN ({marks})", tuple(int(i) for i in ids))
        return {row["id"]: ChunkRow(**dict(row)) for row in rows}

    def documents(self) -> list[dict]:
        rows = self._query("SELECT doc_id, path, title, source_url, date, language, metadata, chunks "
                           "FROM documents ORDER BY date DESC, title")
        return [_document(row) for row in rows]

    def document(self, doc_id: str) -> dict | None:
        rows = self._query("SELECT * FROM documents WHERE doc_id = ?", (doc_id,))
        return _document(rows[0]) if rows else None

    def sentence_vectors(self, limit: int) -> tuple[list[str], np.ndarray]:
        """The first ``limit`` sentences of the collection and their centred vectors."""
        count = min(limit, len(self.sentence_owners))
        owners = [int(o) for o in self.sentence_owners[:count]]
        rows = self.chunks(sorted(set(owners)))
        texts: list[str] = []
        for chunk in dict.fromkeys(owners):
            text = rows[chunk].text
            texts.extend(text[a:b] for a, b in sentence_spans(text))
        vectors = self.sentences.index.reconstruct_batch(np.arange(count, dtype=np.int64)) if count else \
            np.zeros((0, 0), np.float32)
        return texts[:count], vectors

    @cached_property
    def chunks_by_language(self) -> dict[str, np.ndarray]:
        """Chunk ids of each language. A chunk carries a gloss exactly when it holds Chinese
        text (``language_of``'s rule), so the gloss column says which are Chinese."""
        zh = np.asarray([row["id"] for row in self._query("SELECT id FROM chunks WHERE gloss != ''")], np.int64)
        en = np.setdiff1d(np.arange(self.chunk_count(), dtype=np.int64), zh)
        return {lang: ids for lang, ids in (("en", en), ("zh", zh)) if len(ids)}

    def chunk_count(self) -> int:
        return len(self.vectors)

    def chunks_using(self, term: str) -> int:
        """How many chunks use ``term`` (a word, or a word of a Chinese chunk's gloss): its
        column's entries in the BM25 score matrix."""
        if self.bm25 is None or (column := self.bm25.vocab_dict.get(term)) is None:
            return 0
        pointers = self.bm25.scores["indptr"]
        return int(pointers[column + 1] - pointers[column]) if column + 1 < len(pointers) else 0

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _document(row: sqlite3.Row) -> dict:
    data = dict(row)
    data.pop("content_hash", None)
    data["metadata"] = json.loads(data.get("metadata") or "{}")
    return data


class VersionWriter:
    """Writes a new version folder next to the live one and publishes it atomically."""

    def __init__(self, index_dir: Path, version_name: str):
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.final = self.index_dir / version_name
        self.path = self.index_dir / f".building-{version_name}"
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir()
        self.db = sqlite3.connect(self.path / "chunks.sqlite")
        self.db.executescript(SCHEMA)

    def add_document(self, doc, chunks: int) -> None:
        self.db.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
            (doc.doc_id, doc.path, doc.title, doc.source_url, doc.date, doc.language,
             doc.content_hash, doc.text, json.dumps(doc.metadata, default=str), chunks))

    def add_chunk(self, row: ChunkRow, embedding: np.ndarray, sentences: np.ndarray) -> None:
        self.db.execute(
            "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (row.id, row.chunk_id, row.doc_id, row.ordinal, row.text, row.gloss, row.heading,
             row.page, row.start, row.end, row.n_tokens, embedding.astype(np.float32).tobytes(),
             sentences.astype(np.float32).tobytes()))

    def write_sentences(self, vectors: np.ndarray, owners: np.ndarray) -> None:
        """Sentence vectors (already centred), searched flat, and the chunk id of each."""
        build_faiss(self.path, np.arange(len(vectors)), vectors, "flat", SENTENCES_FILE)
        np.save(self.path / SENTENCE_OWNERS, owners.astype(np.int64))

    def publish(self, manifest: dict) -> Path:
        self.db.commit()
        self.db.close()
        atomic_write(self.path / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode())
        fsync_dir(self.path)
        self.path.rename(self.final)
        fsync_dir(self.index_dir)
        atomic_symlink(self.final.name, self.index_dir / CURRENT)
        self._prune()
        return self.final

    def abandon(self) -> None:
        try:
            self.db.close()
        finally:
            shutil.rmtree(self.path, ignore_errors=True)

    def _prune(self) -> None:
        # Never the one just published, whatever the names say; then the newest others.
        versions = sorted(p for p in self.index_dir.glob("v-*") if p.is_dir() and p != self.final)
        for old in versions[:len(versions) - (KEEP_VERSIONS - 1)]:
            shutil.rmtree(old, ignore_errors=True)
        for stale in self.index_dir.glob(".building-*"):
            if stale != self.path:
                shutil.rmtree(stale, ignore_errors=True)


Stored = tuple[ChunkRow, np.ndarray, np.ndarray]  # a chunk, its raw vector, its sentences' raw vectors


def previous_embeddings(version: Path, doc_ids: set[str]) -> dict[str, list[Stored]]:
    """Chunks with their vectors and sentence vectors in an earlier version, for reuse."""
    if not doc_ids:
        return {}
    db = sqlite3.connect(f"file:{version / 'chunks.sqlite'}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    out: dict[str, list[Stored]] = {}
    try:
        for row in db.execute('SELECT * FROM chunks ORDER BY doc_id, ordinal'):
            if row["doc_id"] in doc_ids:
                data = dict(row)
                vector = np.frombuffer(data.pop("embedding"), dtype=np.float32)
                sentences = np.frombuffer(data.pop("sentences"), dtype=np.float32).reshape(-1, len(vector))
                out.setdefault(row["doc_id"], []).append((ChunkRow(**data), vector, sentences))
    finally:
        db.close()
    return out

