"""The extractive backend: no generative model. It answers with the passage sentences that
best match the question, each cited to its passage, and refuses when none matches well.

Fast and deterministic; the fallback when a generative backend fails, and what most tests
use. Sentences are scored by meaning (embedding cosine, Chinese through its gloss) and by
the share of the question's terms they contain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import numpy as np

from index.embedding import shared_embedder
from index.gloss import gloss
from index.terms import has_cjk
from qa.llm import Prompt
from qa.settings import Settings
from qa.support import content_terms, sentence_spans, word_senses

REFUSAL = "NOT_IN_DOCUMENTS"
ANSWERABLE = 0.40  # best sentence score below this -> the documents do not answer it
GLOSS_MARGIN = 0.05  # a Chinese question is compared through a noisy gloss: ask for more
SECOND_SENTENCE = 0.8  # a second sentence is added when it scores this close to the first
MAX_SENTENCES = 3
CONTINUATION = 0.6  # the next sentence of the same paragraph joins when it scores this close
SAME_LANGUAGE_BONUS = 0.05  # a Chinese reader is better served by a Chinese sentence, and vice versa
CACHE_SIZE = 20_000  # sentence vectors kept: popular passages are embedded once
_ANAPHORA = re.compile(r"\b(it|its|they|them|their|this|that|these|those|he|she|there)\b|[它其这那该此]", re.I)


class ExtractiveLLM:
    name = "extractive"

    def __init__(self, settings: Settings):
        self.embedder = shared_embedder(settings.embedding_model, settings.embed_batch_size)
        self._vectors: dict[str, np.ndarray] = {}

    def stream(self, prompt: Prompt, *, max_tokens: int) -> Iterator[str]:
        if prompt.task == "condense":
            yield condense(prompt.question, prompt.history)
        else:
            yield self.answer(prompt)

    def answer(self, prompt: Prompt) -> str:
        picked = self.rank_sentences(prompt)
        if not answerable(prompt.question, picked):
            return REFUSAL
        top = picked[0][0]
        chosen = [p[1:] for p in picked[:2] if p[0] >= top * SECOND_SENTENCE]
        chosen += self._continuations(prompt, picked, chosen, top * CONTINUATION)
        parts = []
        for index, (start, end) in chosen[:MAX_SENTENCES]:
            sentence = _closed(prompt.passages[index].text[start:end].strip())
            parts.append(f"{sentence} [{index + 1}]")
        return " ".join(parts)

    @staticmethod
    def _continuations(prompt: Prompt, picked, chosen, floor: float) -> list[tuple[int, tuple[int, int]]]:
        """Policy texts often state a point, then its specifics in the next sentence of the
        same paragraph ("...should be boosted. More efforts should go into pilot zones...")."""
        scores = {(i, span): score for score, i, span in picked}
        extra = []
        for index, (start, end) in chosen:
            text = prompt.passages[index].text
            following = [(s, e) for i, (s, e) in scores if i == index and s >= end]
            if not following:
                continue
            nxt = min(following)
            if "\n\n" not in text[end:nxt[0]] and scores[(index, nxt)] >= floor and (index, nxt) not in chosen + extra:
                extra.append((index, nxt))
        return extra

    def rank_sentences(self, prompt: Prompt) -> list[tuple[float, int, tuple[int, int]]]:
        """(score, passage index, sentence span), best first."""
        candidates = [(i, span) for i, p in enumerate(prompt.passages) for span in sentence_spans(p.text)]
        if not candidates:
            return []
        texts = [prompt.passages[i].text[s:e] for i, (s, e) in candidates]
        similarity = self._embed(texts) @ self._embed([prompt.question])[0]
        question_words = word_senses(prompt.question)
        question_zh = has_cjk(prompt.question)
        scored = []
        for (i, span), sim, text in zip(candidates, similarity, texts):
            found = content_terms(text)
            overlap = sum(bool(word & found) for word in question_words) / max(len(question_words), 1)
            bonus = SAME_LANGUAGE_BONUS * (has_cjk(text) == question_zh) + 0.05 / (i + 1)
            scored.append((float(0.7 * sim + 0.3 * overlap + bonus - SAME_LANGUAGE_BONUS), i, span))
        scored.sort(key=lambda x: -x[0])
        return scored


    def preload(self, texts: Iterable[str], limit: int = CACHE_SIZE, batch: int = 64) -> int:
        """Embed the sentences of these passages ahead of the questions (the service's
        start-up, in the background): a first question about a passage then costs what a
        repeated one does. Small batches, so questions asked meanwhile wait little."""
        sentences = list(dict.fromkeys(t[s:e] for t in texts for s, e in sentence_spans(t)))
        sentences = sentences[: min(limit, CACHE_SIZE)]
        for start in range(0, len(sentences), batch):
            self._embed(sentences[start:start + batch])
        return len(sentences)

    def _embed(self, texts: list[str]) -> np.ndarray:
        # Local copies: another thread (a preload, a concurrent question) may clear the cache.
        known = {t: self._vectors.get(t) for t in texts}
        missing = [t for t, v in known.items() if v is None]
        if missing:
            vectors = self.embedder.encode([_comparable(t) for t in missing], progress=False)
            if len(self._vectors) + len(missing) > CACHE_SIZE:
                self._vectors.clear()
            for text, vector in zip(missing, vectors):
                known[text] = self._vectors[text] = vector
        return np.vstack([known[t] for t in texts])


    def excerpts(self, question: str, passages: list, budget: int) -> dict[int, str] | None:
        """The ``budget`` sentences most related to the question, grouped by passage in
        reading order: a short context keeps a small CPU model fast and focused. None when
        no sentence comes close to answering: a small model asked anyway tends to guess."""
        prompt = Prompt("answer", [], question, passages)
        picked = self.rank_sentences(prompt)
        if not answerable(question, picked):
            return None
        chosen = sorted((i, span) for _, i, span in picked[:budget])
        grouped: dict[int, list[str]] = {}
        for i, (start, end) in chosen:
            grouped.setdefault(i, []).append(passages[i].text[start:end].strip())
        return {i: " … ".join(parts) for i, parts in grouped.items()}


def _closed(sentence: str) -> str:
    """A chunk can end mid-sentence (a long Chinese sentence is split to fit the model):
    close it, or the citation check would read it and the next one as a single claim."""
    if re.search(r"[.!?。！？；;…]['\"”’）)]*$", sentence):
        return sentence
    return sentence + ("…。" if has_cjk(sentence[-1:]) else "...")


def answerable(question: str, picked: list) -> bool:
    return bool(picked) and picked[0][0] >= ANSWERABLE + GLOSS_MARGIN * has_cjk(question)


def _comparable(text: str) -> str:
    """The English-only embedding model sees Chinese through its gloss."""
    return gloss(text) if has_cjk(text) else text


def condense(question: str, history: list[dict]) -> str:
    """Without a model: a follow-up that leans on earlier turns ("what about their ...?")
    is joined with the previous user question so retrieval sees both."""
    previous = next((m["content"] for m in reversed(history) if m.get("role") == "user"), "")
    if previous and (_ANAPHORA.search(question) or len(content_terms(question)) < 3):
        return f"{previous.strip()} {question.strip()}"
    return question
