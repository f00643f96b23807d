"""Hybrid retrieval: ranked lists from the dense chunk index, the sentence index (a chunk
ranks by its best sentence) and BM25, fused by reciprocal rank fusion.

Cross-lingual by construction: with the multilingual embedder, questions and passages of
both languages share one space once each language's mean is removed (``Centring``), so a
Chinese question reaches English passages by meaning. Policy paragraphs pack several
directives; one sentence answers a question, so the sentence list finds it where a
whole-chunk vector blurs it (measured: dev hit@1 0.57 -> 0.71, held-out 0.54 -> 0.65).
BM25 (jieba words plus the CC-CEDICT gloss of Chinese chunks) adds exact names and
numbers. Which lists take part is a setting.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from core.errors import BadRequest
from index.embedding import Embedder
from index.store import ChunkRow, IndexReader
from qa.passages import Passage
from textkit.gloss import gloss
from textkit.language import language_of
from textkit.names import names
from textkit.terms import terms

RETRIEVERS = ("dense", "sentences", "bm25")
# What search can be asked for (qa.service.Service.search): hybrid, what search shows;
# translated, hybrid over a Chinese question with its English rendering beside it, as
# answers retrieve (a model call, about a second); or one retriever's list alone.
SEARCH_MODES = ("hybrid", "translated", *RETRIEVERS)
# Added to a chunk's similarity when it is in the other language than the question, before
# the dense and sentence lists are ranked. Measured hit@1 dev / tune / held-out / blind /
# blind2 / unseen: 0.679 / 0.768 / 0.648 / 0.725 / 0.789 / 0.691 at 0 -> 0.679 / 0.817 /
# 0.685 / 0.775 / 0.789 / 0.735 at 0.06 (en->zh 0.40 -> 0.80 on tune, 0.18 -> 0.27 unseen);
# 0.08 raised unseen further but lowered same-language hits.
CROSS_LINGUAL_OFFSET = 0.06


@dataclass
class Ranked:
    """One retriever's ranked list: chunk id -> (rank, raw score)."""

    name: str
    hits: dict[int, tuple[int, float]]
    weight: float = 1.0


class Retriever:
    def __init__(self, reader: IndexReader, embedder: Embedder, *, candidates: int = 30, rrf_k: int = 60,
                 lists: tuple[str, ...] = RETRIEVERS, bm25_weight: float = 1.0,
                 questions: Callable[[str], np.ndarray] | None = None):
        self.reader = reader
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.lists = lists
        self.bm25_weight = bm25_weight
        # The service hands in Semantics.search: a Chinese question also read word for word.
        self.questions = questions or self._own_question_vector
        self._docs: dict[str, dict] = {}

    def search(self, query: str, k: int = 5, *, mode: str = "hybrid", rendering: str = "") -> list[Passage]:
        """Top ``k`` passages; ``mode`` is hybrid or one retriever's name (for evaluation).

        A ``rendering`` is the question in the other language. When it translates (asks, as
        the question does), each language's chunks are searched in their own, in every list:
        the question's words find the chunks of its language, the rendering's those of the
        rendering's. Matched across languages, the circular's paragraph that answers
        "通知提出要在哪些领域培育龙头企业？" ranked 5th to 14th in each list among its
        look-alike paragraphs, the gloss and the question's vector drawn to whatever says
        通知 and 提出. When the translator answered instead ("The code 9810 corresponds to
        Free on Board", made up), the rendering is searched beside the question as one text,
        where the question's words outweigh its inventions. Measured with the local model's
        renderings, translated-path hit@1 / hit@5: 8 sets over the shipped corpus (382
        answerable questions, 171 Chinese) 345 / 375 -> 345 / 377 (Chinese hit@5 169 -> 171,
        held-out 24 -> 26 of 26); unseen documents unchanged (unseen..unseen5 221 / 246 of
        254, unseen6 40 / 47 of 48). Stating renderings searched apart too lost unseen 221 /
        246 -> 219 / 246 and unseen6 40 / 47 -> 37 / 45 ("Chinese-Ethiopian" for 中厄).
        """
        if not query.strip():
            raise BadRequest("the query is empty")
        names = self.lists if mode == "hybrid" else (mode,)
        if mode != "hybrid" and mode not in RETRIEVERS:
            raise BadRequest(f"unknown search mode {mode!r}")
        if rendering and not rendering.endswith(("?", "？")):
            query, rendering = f"{query} {rendering}", ""
        asked, similar = language_of(query), {"dense", "sentences"} & set(names)
        vector = self.query_vector(query) if similar else None
        rendered = self.query_vector(rendering) if similar and rendering else None
        lists = [self._bm25(query, rendering) if name == "bm25" else self._similar(name, asked, vector, rendered)
                 for name in names]
        return self._fuse(lists, k)

    @property
    def vocabulary(self) -> Container[str]:
        """Every term the collection uses (BM25's vocabulary: words, and Chinese chunks' glosses)."""
        return self.reader.bm25.vocab_dict if self.reader.bm25 is not None else frozenset()

    def rarity(self, term: str) -> float:
        """How rare a term is in the collection: BM25's inverse document frequency over
        chunks (a term the collection never uses is as rare as can be). Two array reads and
        a log: nothing to cache (a cache would grow with every word users type)."""
        chunks, using = self.reader.chunk_count(), self.reader.chunks_using(term)
        return math.log((chunks - using + 0.5) / (using + 0.5) + 1)

    def document_text(self, doc_id: str) -> str:
        """A document's title and whole text (what its chunks were cut from)."""
        doc = self._doc_meta(doc_id)
        return f"{doc['title']} {doc.get('text', '')}"

    def query_vector(self, query: str) -> np.ndarray:
        """The question as the dense index sees it (centred by its language), 1 x d."""
        return self.questions(query).reshape(1, -1)

    def _own_question_vector(self, query: str) -> np.ndarray:
        return self.reader.centring.questions(self.embedder.encode_queries([query]), [language_of(query)])[0]

    def _similar(self, name: str, asked: str, vector: np.ndarray | None, rendered: np.ndarray | None) -> Ranked:
        """The dense or the sentence list; with the rendering's vector, the chunks in the
        question's language are scored by the question and the others by the rendering."""
        search = getattr(self, f"_{name}")
        scores = search(vector)
        if rendered is None:
            return self._ranked(name, scores, asked)
        chinese, zh = self._chinese_chunks, asked == "zh"
        own = {c: v for c, v in scores.items() if (c in chinese) == zh}
        return self._ranked(name, own | {c: v for c, v in search(rendered).items() if (c in chinese) != zh}, None)

    def _dense(self, vector: np.ndarray) -> dict[int, float]:
        """Chunk id -> similarity of the chunk's vector."""
        scores, ids = self.reader.vectors.search(vector, self.candidates)
        return {int(i): float(s) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0}

    def _sentences(self, vector: np.ndarray) -> dict[int, float]:
        """Chunk id -> similarity of its best sentence."""
        scores, ids = self.reader.sentences.search(vector, self.candidates * 4)
        best: dict[int, float] = {}
        for score, sentence in zip(scores[0], ids[0], strict=True):
            chunk = int(self.reader.sentence_owners[sentence]) if sentence >= 0 else -1
            if chunk >= 0 and chunk not in best:
                best[chunk] = float(score)
        return best

    def _ranked(self, name: str, scores: dict[int, float], asked: str | None) -> Ranked:
        """Chunks by similarity, those in the other language than the question raised by
        CROSS_LINGUAL_OFFSET: the same meaning scores lower across languages, so an English
        brief on the topic outranked the Chinese one that answers an English question.
        ``asked`` is None when every chunk was matched in its own language: no offset."""
        chinese = self._chinese_chunks

        def score(chunk: int) -> float:
            across = asked is not None and (chunk in chinese) != (asked == "zh")
            return scores[chunk] + CROSS_LINGUAL_OFFSET * across

        order = sorted(scores, key=score, reverse=True)
        return Ranked(name, {chunk: (rank, scores[chunk]) for rank, chunk in enumerate(order)})

    @cached_property
    def _chinese_chunks(self) -> frozenset[int]:
        return frozenset(int(i) for i in self.reader.chunks_by_language.get("zh", ()))

    def _bm25(self, query: str, rendering: str = "") -> Ranked:
        """BM25 ranked within each language of chunk, so the best chunk of each language
        ranks first. Scored together, a Chinese question's own words and their gloss both
        matched Chinese chunks while only the gloss reached English ones, and a Chinese
        brief that merely shared 通知 and 提出 outranked the English paragraph that
        answers. Measured (tune / held-out / blind): en->zh hit@5 0.60 / 0.75 / 0.67 ->
        0.80 / 1.0 / 1.0, zh->en 0.97 / 0.86 / 0.90 -> 0.97 / 0.90 / 1.0, hit@1 of all
        0.74 / 0.65 / 0.68 -> 0.76 / 0.69 / 0.72. A question's own words score chunks of its
        language; its gloss the others, with every spelling of the names it uses (the name
        table's CIIE is 进博会 and 中国国际进口博览会, which no gloss gives: blind4 hit@5
        0.955 -> 0.977, the other sets unchanged). A rendering's words score the chunks of
        its language instead (``search``)."""
        bm25 = self.reader.bm25
        if bm25 is None:
            return Ranked("bm25", {})
        asked = language_of(query)
        spellings = terms(" ".join(form for name, _ in names(query) for form in name.forms))
        hits: dict[int, tuple[int, float]] = {}
        scored: dict[tuple[str, ...], np.ndarray] = {}  # an English question scores every language alike
        for lang, members in self.reader.chunks_by_language.items():
            if rendering and lang != asked:
                words = terms(rendering)
            else:
                words = terms(gloss(query) if asked == "zh" and lang != "zh" else query)
            if lang != asked:
                words += spellings
            tokens = tuple(t for t in dict.fromkeys(words) if t in bm25.vocab_dict)
            if not tokens:
                continue
            if tokens not in scored:
                scored[tokens] = bm25.get_scores(list(tokens))
            scores = scored[tokens]
            top = members[np.argsort(-scores[members])][: self.candidates]
            hits |= {int(i): (rank, float(scores[i])) for rank, i in enumerate(top) if scores[i] > 0}
        return Ranked("bm25", hits, self.bm25_weight)

    def _fuse(self, lists: list[Ranked], k: int) -> list[Passage]:
        fused: dict[int, float] = {}
        detail: dict[int, dict[str, float]] = {}
        for ranked in lists:
            for chunk, (rank, score) in ranked.hits.items():
                fused[chunk] = fused.get(chunk, 0.0) + ranked.weight / (self.rrf_k + rank + 1)
                best = detail.setdefault(chunk, {})
                best[ranked.name] = max(best.get(ranked.name, float("-inf")), score)
        order = sorted(fused, key=lambda c: fused[c], reverse=True)
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
            self._docs[doc_id] = self.reader.document(doc_id) or {
                "title": doc_id, "source_url": "", "date": "", "language": ""}
        return self._docs[doc_id]


def _overlaps(row: ChunkRow, kept: list[Passage]) -> bool:
    """Overlapping chunks of one document repeat text: keep the better-ranked one only."""
    for p in kept:
        if p.doc_id == row.doc_id:
            shared = min(p.end, row.end) - max(p.start, row.start)
            if shared > 0.5 * min(p.end - p.start, row.end - row.start):
                return True
    return False
