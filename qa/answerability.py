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
import re
from collections.abc import Container
from dataclasses import dataclass

from core.settings import Settings
from qa.answer_types import Answerability
from qa.passages import Passage
from qa.ranking import RankedSentence, sentence_terms, word_senses
from textkit.language import has_cjk, language_of
from textkit.terms import fold

_ASKS_FIGURE = re.compile(
    r"\bhow (many|much)\b|\bwhat (is|was|are|were) the (number|amount|rate|share|percentage|proportion|value|size|total)"
    r"|\b(tax|tariff|duty|fee|interest) rate\b|\bwhat (percentage|share|proportion|amount|rate)\b"
    r"|多少|几[个家项列批年次条]|比例|税率|金额|额度|数量|规模",
    re.I,
)
_ASKS_DATE = re.compile(r"\bwhen\b|\bwhat (year|date|month)\b|\bwhich (year|date|month)\b|何时|什么时候|哪一?年|几月|哪天|日期", re.I)
_NUMBER = r"(?:\d[\d,.]*|[一二三四五六七八九十两百千万亿]+)"
# The thing counted: "how many cities" -> cities; "多少家企业" -> 家.
_EN_COUNTED = re.compile(r"\bhow many ([a-z-]+)", re.I)
_ZH_COUNTED = re.compile(r"(?:多少|几)([个家项列批次条名位种座所件艘辆人])")
_MONEY_OR_SHARE = re.compile(r"%|percent|per cent|成\b|[亿万]?元|美元|dollar|yuan|\$|九成|半数|half", re.I)
_ASKS_MONEY_OR_SHARE = re.compile(r"\bhow much\b|rate\b|percentage|share\b|proportion|amount|金额|额度|税率|比例|多少钱|费率", re.I)
_DATE = re.compile(r"\b(19|20)\d\d\b|\d{4}年|\d{1,2}月|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
# A day's date says when something was announced, not which year a figure is for.
_FULL_DATE = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}"
    r"|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}", re.I)
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
    found = sentence_terms(" ".join(f"{p.title} {p.text}" for p in passages))
    return Signals(
        similarity=max((r.similarity for r in ranked), default=0.0),
        score=ranked[0].score if ranked else 0.0,
        missing=sum(not (word & found) for word in words) / max(len(words), 1),
        unknown=sum(not any(w in vocabulary for w in word) for word in words) / max(len(words), 1),
        figure_gap=float(bool(_ASKS_FIGURE.search(question)) and not _gives_figure(question, best)),
        date_gap=float(bool(_ASKS_DATE.search(question)) and not _DATE.search(best)),
        cross=float(bool(top) and language_of(top[0].text) != language_of(question)),
        missing_years=tuple(y for y in dict.fromkeys(_YEAR.findall(question)) if y not in _FULL_DATE.sub(" ", window)),
    )


def _gives_figure(question: str, window: str) -> bool:
    """A figure of the asked kind: a sum or share when one is asked for, a count of the
    counted thing ("how many cities" needs a number near "cities")."""
    if _ASKS_MONEY_OR_SHARE.search(question):
        return bool(_MONEY_OR_SHARE.search(window))
    counted = _ZH_COUNTED.search(question)
    if counted and has_cjk(window):
        return bool(re.search(_NUMBER + r"\s*" + counted.group(1), window))
    english = _EN_COUNTED.search(question)
    if english and not has_cjk(window):
        noun = english.group(1).lower()
        names = "|".join(re.escape(n) for n in {noun, fold(noun)})
        return bool(re.search(rf"{_NUMBER}(?:\s+[\w-]+){{0,3}}?\s+(?:{names})", window, re.I))
    return bool(re.search(_NUMBER, window))


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
    z = weights.get("bias", 0.0) + sum(weights.get(name, 0.0) * value for name, value in zip(FEATURES, s.vector()))
    return round(1 / (1 + math.exp(-z)), 3)
