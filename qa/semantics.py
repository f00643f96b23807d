"""Meaning-level comparison of short texts in either language, for ranking sentences,
deciding answerability and verifying claims.

Vectors come from the index's embedder and are centred with the live index's
per-language means, so a Chinese sentence and its English rendering land close together.
Sentence vectors are cached: a popular passage's sentences are embedded once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from index.embedding import Centring, Embedder, languages
from textkit.sentences import sentence_spans

CACHE_SIZE = 20_000  # sentence vectors kept


class Semantics:
    def __init__(self, embedder: Embedder, centring: Callable[[], Centring]):
        self.embedder = embedder
        self._centring = centring
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def statements(self, texts: Sequence[str]) -> np.ndarray:
        """Sentences, claims and passages (e5's ``passage: `` side), centred, cached."""
        with self._lock:
            known = {t: self._vectors.get(t) for t in texts}
        missing = [t for t, v in known.items() if v is None]
        if missing:
            vectors = self._centring().apply(self.embedder.encode_passages(missing, progress=False), languages(missing))
            with self._lock:
                if len(self._vectors) + len(missing) > CACHE_SIZE:
                    self._vectors.clear()
                for text, vector in zip(missing, vectors):
                    known[text] = self._vectors[text] = vector
        if not texts:
            return np.zeros((0, self.embedder.dimension), np.float32)
        return np.vstack([known[t] for t in texts])

    def question(self, text: str) -> np.ndarray:
        """A question (e5's ``query: `` side), centred by its language."""
        return self._centring().apply(self.embedder.encode_queries([text]), languages([text]))[0]

    def similarity(self, claims: Sequence[str], sentences: Sequence[str]) -> np.ndarray:
        """Cosine of each claim (rows) with each sentence (columns)."""
        if not claims or not sentences:
            return np.zeros((len(claims), len(sentences)), np.float32)
        return self.statements(claims) @ self.statements(sentences).T

    def preload(self, texts: Iterable[str], limit: int = CACHE_SIZE, batch: int = 64) -> int:
        """Embed the sentences of these passages ahead of the questions (the service's
        start-up, in the background); small batches, so questions asked meanwhile wait little."""
        sentences = list(dict.fromkeys(t[s:e] for t in texts for s, e in sentence_spans(t)))[: min(limit, CACHE_SIZE)]
        for start in range(0, len(sentences), batch):
            self.statements(sentences[start:start + batch])
        return len(sentences)
