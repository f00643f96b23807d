"""The one decision whether the documents answer a question, made before any model runs.

Every backend and surface uses it; nothing else (prompt, page, backend) carries a copy of
the rule. It reads the ranked evidence sentences and combines:
- meaning: the best question-sentence similarity (multilingual, so it holds across
  languages) and word overlap, as the ranker scores them;
- coverage: the share of the question's content words that no retrieved passage has in
  either language (a near-miss question names what the documents lack: a penalty, a
  tax, a port);
- the asked-for kind of fact: a question after a figure ("how many", "多少") or a date
  ("when", "哪一年") is unanswerable when the best sentences state none, and a year the
  question names must appear in the evidence.
Weights and thresholds are ``Settings`` fields, calibrated on question sets (see
bench/answerability.py), never on one example.
"""

from __future__ import annotations

import math
from collections.abc import Container
from dataclasses import dataclass

from core.settings import Settings
from qa.answer_types import Answerability
from qa.passages import Passage
from textkit.gloss import bilingual_terms
from qa.asked import asks_date, asks_figure, gives_date, gives_figure, years_without_facts
from qa.ranking import RankedSentence, word_senses
from textkit.language import language_of

EVIDENCE_WINDOW = 3  # best sentences a year the question names must appear in
FEATURES = ("similarity", "score", "missing", "unknown", "figure_gap", "date_gap", "cross")


@dataclass(frozen=True)
class Signals:
    similarity: float  # best question-sentence cosine
    score: float  # the ranker's best score (meaning and overlap)
    missing: float  # share of question words found in no retrieved passage
    unknown: float  # share of question words the whole collection never uses, in either language
    figure_gap: float  # 1 when the question asks for a figure the best sentences do not give
    date_gap: float  # 1 when it asks for a date they do not give
    cross: float  # 1 when the best sentence is in the other language
    missing_years: tuple[str, ...]  # years the question names that the evidence gives no fact for

    def vector(self) -> list[float]:
        return [float(getattr(self, name)) for name in FEATURES]


def signals(question: str, ranked: list[RankedSentence], passages: list[Passage],
            vocabulary: Container[str]) -> Signals:
    top = ranked[:EVIDENCE_WINDOW]
    window = " ".join(r.text for r in top)
    best = top[0].text if top else ""
    words = word_senses(question)
    found = bilingual_terms(" ".join(f"{p.title} {p.text}" for p in passages))
    return Signals(
        similarity=max((r.similarity for r in ranked), default=0.0),
        score=ranked[0].score if ranked else 0.0,
        missing=sum(not (word & found) for word in words) / max(len(words), 1),
        unknown=sum(not any(w in vocabulary for w in word) for word in words) / max(len(words), 1),
        figure_gap=float(asks_figure(question) and not gives_figure(question, best)),
        date_gap=float(asks_date(question) and not gives_date(best)),
        cross=float(bool(top) and language_of(top[0].text) != language_of(question)),
        missing_years=years_without_facts(question, window),
    )


def decide(question: str, ranked: list[RankedSentence], passages: list[Passage], vocabulary: Container[str],
           settings: Settings) -> Answerability:
    if not ranked:
        return Answerability(answerable=False, score=0.0, reason="nothing in the documents is about this question")
    s = signals(question, ranked, passages, vocabulary)
    score = probability(s, settings.answerability_weights)
    if s.missing_years:
        return Answerability(answerable=False, score=score,
                             reason=f"the documents say nothing about {', '.join(s.missing_years)}")
    if score >= settings.answerable_min_score:
        return Answerability(answerable=True, score=score, reason="the quoted passages address the question")
    if s.figure_gap:
        reason = "the documents give no figure for this"
    elif s.date_gap:
        reason = "the documents give no date for this"
    elif s.unknown > 0:
        reason = "the documents never mention some of what the question asks about"
    else:
        reason = "no passage comes close to answering it"
    return Answerability(answerable=False, score=score, reason=reason)


def probability(s: Signals, weights: dict[str, float]) -> float:
    """Logistic combination of the signals (weights fitted by bench/answerability.py)."""
    z = weights.get("bias", 0.0) + sum(
        weights.get(name, 0.0) * value for name, value in zip(FEATURES, s.vector(), strict=True))
    return round(1 / (1 + math.exp(-z)), 3)
