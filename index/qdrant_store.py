"""Qdrant as the vector store: embedded in the index version folder, or on a Qdrant server.

Without ``qdrant_url`` the collection lives in ``v-.../qdrant/`` (qdrant-client's local
mode) and ships with its version like ``vectors.faiss``. Local mode is exact numpy search
held in memory and takes an exclusive file lock on its folder, so one process serves a
version; inside that process every opener shares one client. With ``qdrant_url`` the
collection lives on the server; ``qdrant.json`` in the version folder records where, so a
reader needs no settings. Old versions' server collections are dropped by a later build.
This module must not import qdrant-client at import time: it is the ``qdrant`` extra.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import threading
import uuid
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from core.settings import Settings

LOCAL_DIR = "qdrant"
INFO_FILE = "qdrant.json"
KIND = "qdrant"
UPLOAD_BATCH = 1024

_clients: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
_clients_lock = threading.Lock()


@atexit.register
def _close_clients() -> None:
    # qdrant-client's own __del__ fails once the interpreter is shutting down.
    for client in list(_clients.values()):
        client.close()


def _client(url: str | None, path: Path | None):
    try:
        from qdrant_client import QdrantClient
    except ImportError as exc:
        raise RuntimeError("the qdrant vector store needs qdrant-client: pip install -e '.[qdrant]'") from exc
    if url:
        return QdrantClient(url=url)
    assert path is not None  # callers pass a local path whenever there is no url
    key = str(Path(path).resolve())
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            # Readers search from the service's worker threads; local mode only reads memory there.
            client = QdrantClient(path=key, force_disable_check_same_thread=True)
            _clients[key] = client
        return client


class QdrantIndex:
    kind = KIND

    def __init__(self, client, collection: str, count: int, *, local: bool):
        self.client, self.collection, self.count = client, collection, count
        # Local mode is plain Python over shared arrays; the server client is thread-safe.
        self._lock = threading.Lock() if local else None

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        from qdrant_client import models

        k = max(1, min(k, self.count)) if self.count else 1
        queries = np.asarray(queries, dtype=np.float32)
        scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        ids = np.full((len(queries), k), -1, dtype=np.int64)
        if not self.count or not len(queries):
            return scores, ids
        requests = [models.QueryRequest(query=q.tolist(), limit=k) for q in queries]
        if self._lock is None:
            responses = self.client.query_batch_points(self.collection, requests)
        else:
            with self._lock:
                responses = self.client.query_batch_points(self.collection, requests)
        for row, response in enumerate(responses):
            for col, point in enumerate(response.points[:k]):
                scores[row, col], ids[row, col] = point.score, int(point.id)
        return scores, ids

    def __len__(self) -> int:
        return self.count


def build_qdrant(directory: Path, ids: np.ndarray, vectors: np.ndarray, settings: Settings) -> QdrantIndex:
    from qdrant_client import models

    url = settings.qdrant_url
    prefix = _prefix(directory.parent)
    collection = f"{prefix}{uuid.uuid4().hex[:12]}"
    client = _client(url, None if url else directory / LOCAL_DIR)
    client.create_collection(collection, vectors_config=models.VectorParams(
        size=int(vectors.shape[1]), distance=models.Distance.DOT))  # vectors are L2-normalised: dot = cosine
    for start in range(0, len(vectors), UPLOAD_BATCH):
        batch = slice(start, start + UPLOAD_BATCH)
        client.upsert(collection, points=models.Batch(
            ids=[int(i) for i in ids[batch]], vectors=np.asarray(vectors[batch], dtype=np.float32).tolist()),
            wait=True)
    (directory / INFO_FILE).write_text(json.dumps({"url": url, "collection": collection, "count": len(vectors)}))
    if url:
        _drop_unreferenced(client, directory.parent, prefix, keep=collection)
    else:
        # Release the folder's lock: the version is renamed on publish and its reader opens
        # it there, so the index returned here reports kind and size but is not searched.
        client.close()
        _clients.pop(str((directory / LOCAL_DIR).resolve()), None)
    return QdrantIndex(client, collection, len(vectors), local=not url)


def open_qdrant(directory: Path, kind: str) -> QdrantIndex:
    info = json.loads((directory / INFO_FILE).read_text())
    client = _client(info["url"], None if info["url"] else directory / LOCAL_DIR)
    return QdrantIndex(client, info["collection"], int(info["count"]), local=not info["url"])


def _prefix(index_dir: Path) -> str:
    """Collections of one index folder share a prefix, so a build can find its old ones."""
    return "qa-" + hashlib.sha1(str(Path(index_dir).resolve()).encode()).hexdigest()[:10] + "-"


def _drop_unreferenced(client, index_dir: Path, prefix: str, keep: str) -> None:
    """Delete this index folder's server collections that no version folder names any more."""
    referenced = {keep}
    for info in Path(index_dir).glob(f"*/{INFO_FILE}"):
        referenced.add(json.loads(info.read_text()).get("collection"))
    for collection in client.get_collections().collections:
        if collection.name.startswith(prefix) and collection.name not in referenced:
            client.delete_collection(collection.name)
