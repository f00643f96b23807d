"""The one decision whether the documents answer a question, made before any model runs.

Every backend and surface uses it; nothing else (prompt, page, backend) carries a copy of
the rule. In this order:
- names: a question naming someone or somewhere no retrieved passage mentions, in either
  language (the FIFA World Cup, 雄安新区 when no passage is about it), is about something
  the documents do not cover;
- the asked slot (``qa.asked``): a question after a count, a sum or rate, a date, a place,
  the most or first of something, or naming a year or an edition ("the 127th fair"), is
  answerable only when one of the best sentences fills that slot. This is what tells a
  near miss (the documents discuss the subject, not the asked fact) from a paraphrase:
  meaning alone scores both alike.
- meaning and coverage, for every question: the best question-sentence similarity
  (multilingual, so it holds across languages), the share of the question's words the
  collection never uses in either language, and whether the best sentence is in the
  other language (cross-lingual similarity runs lower), combined by a logistic whose
  weights and threshold are ``Settings`` fields calibrated on question sets
  (bench/answerability.py), never on one example.
"""

from __future__ import annotations

import math
from collections.abc import Container
from dataclasses import dataclass

from core.settings import Settings
from qa.answer_types import Answerability
from qa.passages import Passage
from qa.asked import lacks, unmentioned
from qa.ranking import RankedSentence, word_senses
from textkit.language import has_cjk, language_of
from textkit.sentences import sentence_spans

SLOT_WINDOW = 3  # best sentences one of which must fill the asked slot …
SLOT_MARGIN = 0.1  # … scoring within this of the best (measured on tune + dev: 3 % false refusals)
# Fewer signals generalised better than all five tried (the ranker's score and the share of
# words no retrieved passage has add nothing held out): bench/answerability.py.
FEATURES = ("similarity", "unknown", "cross")
# Each reason in the asker's language (English, Chinese); {} is what the question names.
REASONS = {
    "empty": ("nothing in the documents is about this question", "文件中没有与这个问题相关的内容"),
    "absent": ("the documents do not mention {}", "文件没有提到{}"),
    "figure": ("the documents give no figure for this", "文件没有给出这个数字"),
    "date": ("the documents give no date for this", "文件没有给出具体时间"),
    "rank": ("the documents do not say which comes first or most", "文件没有说明哪个最多或最先"),
    "place": ("the documents name no place for this", "文件没有提到具体地点"),
    "firm": ("the documents name no company for this", "文件没有提到具体公司"),
    "named": ("the documents say nothing about {}", "文件没有涉及{}"),
    "answers": ("the quoted passages address the question", "引用的段落回答了这个问题"),
    "unknown": ("the documents never mention some of what the question asks about", "文件没有提到问题所问的部分内容"),
    "far": ("no passage comes close to answering it", "没有段落接近回答这个问题"),
}


@dataclass(frozen=True)
class Signals:
    similarity: float  # best question-sentence cosine
    unknown: float  # share of question words the whole collection never uses, in either language
    cross: float  # 1 when the best sentence is in the other language
    gap: str  # what of the asked slot none of the best sentences gives ("" when one does)
    absent: tuple[str, ...]  # names the question uses that no retrieved passage mentions

    def vector(self) -> list[float]:
        return [float(getattr(self, name)) for name in FEATURES]


def signals(question: str, ranked: list[RankedSentence], passages: list[Passage],
            vocabulary: Container[str]) -> Signals:
    words = word_senses(question)
    return Signals(
        similarity=max((r.similarity for r in ranked), default=0.0),
        unknown=sum(not any(w in vocabulary for w in word) for word in words) / max(len(words), 1),
        cross=float(bool(ranked) and language_of(ranked[0].text) != language_of(question)),
        gap=slot_gap(question, ranked, passages),
        absent=unmentioned(question, " ".join(f"{p.title} {p.text}" for p in passages)),
    )


def slot_gap(question: str, ranked: list[RankedSentence], passages: list[Passage]) -> str:
    """"" when a sentence near the top, or any sentence of the best sentence's passage,
    gives what the question asks for; else what is missing. The passage counts whole
    because a figure often sits in a sentence that names its subject only as "it"."""
    if not ranked:
        return "figure"
    near = [r for r in ranked[:SLOT_WINDOW] if r.score >= ranked[0].score - SLOT_MARGIN]
    best = ranked[0].passage
    candidates = [(passages[r.passage], r.span) for r in near]
    candidates += [(passages[best], span) for span in sentence_spans(passages[best].text)]
    gaps = []
    for passage, (start, end) in candidates:
        gap = lacks(question, passage.text[start:end], _sentence_before(passage.text, start),
                    f"{passage.title} {passage.date} {passage.text}")
        if not gap:
            return ""
        gaps.append(gap)
    return gaps[0]


def _sentence_before(text: str, start: int) -> str:
    earlier = [text[s:e] for s, e in sentence_spans(text) if e <= start]
    return earlier[-1] if earlier else ""


def decide(question: str, ranked: list[RankedSentence], passages: list[Passage], vocabulary: Container[str],
           settings: Settings) -> Answerability:
    def verdict(answerable: bool, score: float, reason: str, what: str = "") -> Answerability:
        english, chinese = REASONS[reason]
        text = chinese if language_of(question) == "zh" else english
        return Answerability(answerable=answerable, score=score, reason=text.format(what))

    if not ranked:
        return verdict(False, 0.0, "empty")
    s = signals(question, ranked, passages, vocabulary)
    score = probability(s, settings.answerability_weights)
    if s.absent:
        return verdict(False, score, "absent", "、".join(s.absent) if has_cjk(question) else ", ".join(s.absent))
    if s.gap:
        kind, _, named = s.gap.partition(":")
        return verdict(False, score, kind, named)
    if score >= settings.answerable_min_score:
        return verdict(True, score, "answers")
    return verdict(False, score, "unknown" if s.unknown > 0 else "far")


def probability(s: Signals, weights: dict[str, float]) -> float:
    """Logistic combination of the signals (weights fitted by bench/answerability.py)."""
    z = weights.get("bias", 0.0) + sum(
        weights.get(name, 0.0) * value for name, value in zip(FEATURES, s.vector(), strict=True))
    return round(1 / (1 + math.exp(-z)), 3)
