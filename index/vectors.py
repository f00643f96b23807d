"""Vector stores behind one small interface, chosen by name from a registry.

The chunk store keeps every embedding, so a vector index is always rebuilt from it:
stores only need ``build`` (write) and ``open`` + ``search`` (read). Row ids are the
chunk store's integer ids. A builder gets the settings (index type, server URL); an opener
gets only the version folder and the manifest's index kind, so whatever it needs to find
its vectors again is written into that folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from index.qdrant_store import build_qdrant, open_qdrant

if TYPE_CHECKING:
    from core.settings import Settings

FAISS_FILE = "vectors.faiss"
SENTENCES_FILE = "sentences.faiss"
# Flat is exact and builds in well under a second at 100k, and every rebuild (incremental ones
# too) re-creates the vector index; HNSW searches in <1 ms but takes over a minute to build at
# 100k, while flat search there (~17 ms) is still below the cost of embedding the query.
# Numbers: bench/RESULTS.md, "Vector search at scale".
HNSW_ABOVE = 100_000


class VectorIndex(Protocol):
    kind: str

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each shaped (len(queries), k); missing hits have id -1."""
        ...

    def __len__(self) -> int: ...


class FaissIndex:
    def __init__(self, index, kind: str):
        self.index, self.kind = index, kind

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, len(self))) if len(self) else 1
        return self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def __len__(self) -> int:
        return int(self.index.ntotal)


def choose_faiss_kind(requested: str, count: int) -> str:
    if requested != "auto":
        return requested
    return "hnsw" if count > HNSW_ABOVE else "flat"


def build_faiss(directory: Path, ids: np.ndarray, vectors: np.ndarray, kind: str = "auto",
                name: str = FAISS_FILE) -> FaissIndex:
    import faiss

    dim = vectors.shape[1]
    kind = choose_faiss_kind(kind, len(vectors))
    base: faiss.Index
    if kind == "flat":
        base = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        hnsw.hnsw.efSearch = 64
        base = hnsw
    elif kind == "ivfpq":
        nlist = max(1, min(4096, int(np.sqrt(len(vectors)))))
        ivfpq = faiss.IndexIVFPQ(faiss.IndexFlatIP(dim), dim, nlist, 48 if dim % 48 == 0 else 32, 8,
                                 faiss.METRIC_INNER_PRODUCT)
        # Train on a sample: enough for the coarse lists and for 256 PQ centroids per sub-space.
        ivfpq.train(vectors[: min(len(vectors), max(nlist * 64, 256 * 40))])
        ivfpq.nprobe = min(32, nlist)
        base = ivfpq
    else:
        raise ValueError(f"unknown FAISS index type {kind!r}")
    index = faiss.IndexIDMap2(base)
    if len(vectors):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    faiss.write_index(index, str(directory / name))
    return FaissIndex(index, kind)


def build_faiss_store(directory: Path, ids: np.ndarray, vectors: np.ndarray, settings: Settings) -> FaissIndex:
    return build_faiss(directory, ids, vectors, settings.faiss_index)


def open_faiss(directory: Path, kind: str, name: str = FAISS_FILE) -> FaissIndex:
    import faiss

    return FaissIndex(faiss.read_index(str(directory / name)), kind)


Builder = Callable[[Path, np.ndarray, np.ndarray, "Settings"], VectorIndex]
Opener = Callable[[Path, str], VectorIndex]
STORES: dict[str, tuple[Builder, Opener]] = {
    "faiss": (build_faiss_store, open_faiss),
    "qdrant": (build_qdrant, open_qdrant),
}
