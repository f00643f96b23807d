"""Hybrid retrieval: dense (vector index) + BM25, fused by reciprocal rank fusion.

Cross-lingual by construction: a Chinese query is also searched through its English
gloss (CC-CEDICT), and Chinese chunks were indexed with their gloss, so Chinese questions
reach English passages and English questions reach Chinese ones. Extra queries (e.g. an
LLM translation) join the fusion as further ranked lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.embedding import Embedder
from index.gloss import gloss
from index.store import ChunkRow, IndexReader
from index.terms import has_cjk, terms
from qa.errors import BadRequest
from qa.passages import Passage


CJK_DENSE_WEIGHT = 0.5


@dataclass
class Ranked:
    """One retriever's ranked list: chunk id -> (rank, raw score)."""

    name: str
    hits: dict[int, tuple[int, float]]
    weight: float = 1.0


class Retriever:
    def __init__(self, reader: IndexReader, embedder: Embedder, *, candidates: int = 30, rrf_k: int = 60):
        self.reader = reader
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k
        self._docs: dict[str, dict] = {}

    def search(self, query: str, k: int = 5, *, mode: str = "hybrid") -> list[Passage]:
        """Top ``k`` passages; ``mode`` is hybrid, dense or bm25 (the last two for evaluation)."""
        if not query.strip():
            raise BadRequest("the query is empty")
        queries = [query]
        if has_cjk(query):
            queries.append(gloss(query))
        lists: list[Ranked] = []
        if mode in ("hybrid", "dense"):
            # The model is English-only: a Chinese query is embedded through its gloss, a
            # noisy word-by-word rendering, so its dense list counts for less in the fusion.
            weight = CJK_DENSE_WEIGHT if has_cjk(query) else 1.0
            lists.extend(self._dense(q, weight) for q in [q for q in queries if not has_cjk(q)] or queries)
        if mode in ("hybrid", "bm25"):
            lists.append(self._bm25(" ".join(queries)))
        return self._fuse(lists, k)

    def _dense(self, query: str, weight: float = 1.0) -> Ranked:
        vector = self.embedder.encode([query], progress=False)
        scores, ids = self.reader.vectors.search(vector, self.candidates)
        hits = {int(i): (rank, float(s)) for rank, (s, i) in enumerate(zip(scores[0], ids[0])) if i >= 0}
        return Ranked("dense", hits, weight)

    def _bm25(self, query: str) -> Ranked:
        bm25 = self.reader.bm25
        if bm25 is None:
            return Ranked("bm25", {})
        vocab = bm25.vocab_dict
        tokens = [t for t in dict.fromkeys(terms(query)) if t in vocab]
        if not tokens:
            return Ranked("bm25", {})
        scores = bm25.get_scores(tokens)
        top = np.argsort(-scores)[: self.candidates]
        hits = {int(i): (rank, float(scores[i])) for rank, i in enumerate(top) if scores[i] > 0}
        return Ranked("bm25", hits)

    def _fuse(self, lists: list[Ranked], k: int) -> list[Passage]:
        fused: dict[int, float] = {}
        detail: dict[int, dict[str, float]] = {}
        for ranked in lists:
            for chunk, (rank, score) in ranked.hits.items():
                fused[chunk] = fused.get(chunk, 0.0) + ranked.weight / (self.rrf_k + rank + 1)
                best = detail.setdefault(chunk, {})
                best[ranked.name] = max(best.get(ranked.name, float("-inf")), score)
        order = sorted(fused, key=fused.get, reverse=True)
        rows = self.reader.chunks(order[: k * 3])
        passages: list[Passage] = []
        for chunk in order:
            row = rows.get(chunk)
            if row is None or _overlaps(row, passages):
                continue
            passages.append(self._passage(row, fused[chunk], detail[chunk]))
            if len(passages) == k:
                break
        return passages

    def _passage(self, row: ChunkRow, score: float, scores: dict[str, float]) -> Passage:
        doc = self._doc_meta(row.doc_id)
        return Passage(
            chunk_id=row.chunk_id, doc_id=row.doc_id, text=row.text, title=doc["title"],
            source_url=doc["source_url"], date=doc["date"], language=doc["language"],
            heading=row.heading, page=row.page, start=row.start, end=row.end,
            score=round(score, 6), scores={name: round(v, 6) for name, v in scores.items()} | {"rrf": round(score, 6)},
        )

    def _doc_meta(self, doc_id: str) -> dict:
        if doc_id not in self._docs:
            self._docs[doc_id] = self.reader.document(doc_id) or {"title": doc_id, "source_url": "", "date": "", "language": ""}
        return self._docs[doc_id]


def _overlaps(row: ChunkRow, kept: list[Passage]) -> bool:
    """Overlapping chunks of one document repeat text: keep the better-ranked one only."""
    for p in kept:
        if p.doc_id == row.doc_id:
            shared = min(p.end, row.end) - max(p.start, row.start)
            if shared > 0.5 * min(p.end - p.start, row.end - row.start):
                return True
    return False
