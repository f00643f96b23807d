"""Meaning-level comparison of short texts in either language, for ranking sentences,
deciding answerability and verifying claims.

Vectors come from the index's embedder and are centred with the live index's
per-language means, so a Chinese sentence and its English rendering land close together.
Sentence vectors are cached: a popular passage's sentences are embedded once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from index.embedding import Centring, Embedder, languages, normalised
from textkit.gloss import word_for_word
from textkit.language import language_of

CACHE_SIZE = 20_000  # sentence vectors kept
QUESTION_CACHE = 128  # recent questions (two vectors for a Chinese one): retrieval and ranking share them


class Semantics:
    def __init__(self, embedder: Embedder, centring: Callable[[], Centring]):
        self.embedder = embedder
        self._centring = centring
        self._vectors: dict[str, np.ndarray] = {}
        self._questions: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def statements(self, texts: Sequence[str]) -> np.ndarray:
        """Sentences, claims and passages (e5's ``passage: `` side), centred, cached."""
        with self._lock:
            known = {t: v for t in texts if (v := self._vectors.get(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            vectors = self._centring().apply(self.embedder.encode_passages(missing, progress=False), languages(missing))
            with self._lock:
                if len(self._vectors) + len(missing) > CACHE_SIZE:
                    self._vectors.clear()
                for text, vector in zip(missing, vectors, strict=True):
                    known[text] = self._vectors[text] = vector
        if not texts:
            return np.zeros((0, self.embedder.dimension), np.float32)
        return np.vstack([known[t] for t in texts])

    def question(self, text: str) -> np.ndarray:
        """A question (e5's ``query: `` side), centred by its language: what its sentences
        are ranked against. Embedded once: ranking and answerability ask for it again."""
        return self._question(("asked", text), lambda: self._centring().questions(
            self.embedder.encode_queries([text]), [language_of(text)])[0])

    def search(self, text: str) -> np.ndarray:
        """What the dense lists search with: ``question``, and for a Chinese question its
        average with the question read word for word in English (``word_for_word``). The
        small multilingual model matches 龙头企业 to "leading enterprises" far less surely
        than English to English; the crude rendering carries the words the Chinese loses.
        Measured, the sentence that answers a Chinese question from an English passage
        ranked first among all sentences 0.508 -> 0.611 (126 questions), Chinese passages
        unchanged (0.800); fast-path hit@1 / hit@5 over 13 sets (636 questions) 531 / 618 ->
        534 / 620. Ranking keeps the question's own vector: with the rendering there too,
        Chinese questions were answered from English sentences where a Chinese one says
        the same (held-out: a Chinese quote 19 % -> 8 % of Chinese answers, extractive zh
        accuracy 0.885 -> 0.846). An English-only model reads Chinese through the gloss
        already.
        """
        if language_of(text) != "zh" or not self.embedder.multilingual:
            return self.question(text)
        return self._question(("searched", text), lambda: self._blend(text))

    def _blend(self, text: str) -> np.ndarray:
        """The question and its reading in one call to the model (two calls cost 15 ms, one
        batch of both 13); the question's own vector is kept for ranking."""
        own, reading = self._centring().questions(
            self.embedder.encode_queries([text, word_for_word(text)]), ["zh", "en"])
        self._keep(("asked", text), own)
        return normalised((own + reading)[None])[0]

    def _question(self, key: tuple[str, str], embed: Callable[[], np.ndarray]) -> np.ndarray:
        with self._lock:
            vector = self._questions.get(key)
        if vector is None:
            vector = embed()
            self._keep(key, vector)
        return vector

    def _keep(self, key: tuple[str, str], vector: np.ndarray) -> None:
        with self._lock:
            self._questions[key] = vector
            while len(self._questions) > QUESTION_CACHE:
                self._questions.popitem(last=False)

    def forget(self) -> None:
        """Drop every cached vector: a new index version brings new centring means."""
        with self._lock:
            self._vectors.clear()
            self._questions.clear()

    def similarity(self, claims: Sequence[str], sentences: Sequence[str]) -> np.ndarray:
        """Cosine of each claim (rows) with each sentence (columns)."""
        if not claims or not sentences:
            return np.zeros((len(claims), len(sentences)), np.float32)
        return self.statements(claims) @ self.statements(sentences).T

    def prefill(self, texts: Sequence[str]) -> int:
        """Embed ``texts`` ahead of need, as many as the cache has room for (a warm-up never
        evicts), and return how many distinct texts the cache then holds."""
        with self._lock:
            room = max(0, CACHE_SIZE - len(self._vectors))
            todo = [t for t in dict.fromkeys(texts) if t not in self._vectors][:room]
        self.statements(todo)
        with self._lock:
            return len(self._vectors)

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> int:
        """Seed the cache with vectors computed elsewhere (the index's own sentence vectors,
        centred the same way), so the first question about a passage embeds nothing.
        Returns how many distinct sentences the cache now holds."""
        with self._lock:
            for text, vector in zip(texts, vectors, strict=False):
                if len(self._vectors) >= CACHE_SIZE:
                    break
                self._vectors.setdefault(text, vector)
            return len(self._vectors)
