"""The one decision whether the documents answer a question, made before any model runs.

Every backend and surface uses it; nothing else (prompt, page, backend) carries a copy of
the rule. In this order:
- names: a question naming someone or somewhere no retrieved passage's document mentions,
  in either language (the FIFA World Cup, 雄安新区 when no passage is about it), is about something
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
Those run in milliseconds, before the quotes are shown. Then ``confirm`` takes the judge's
reading (a model asked whether the quotes state the answer: ``QA_JUDGE``, its threshold
``judge_min`` fitted the same way) and may still refuse.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from core.settings import Settings
from qa.answer_types import Answerability
from qa.asked import apart, dates_apart, lacks, names_date, unmentioned
from qa.passages import Passage
from qa.planted import statements
from qa.ranking import Collection, Place, RankedSentence, word_senses
from textkit.language import has_cjk, in_language, language_of


SLOT_WINDOW = 3  # best sentences one of which must fill the asked slot …
SLOT_MARGIN = 0.1  # … scoring within this of the best (measured on tune + dev: 3 % false refusals)
SAME_LANGUAGE_MARGIN = 0.05  # a slot filler in the asker's language this close to the first leads instead
# Fewer signals generalised better than all five tried (the ranker's score and the share of
# words no retrieved passage has add nothing held out): bench/answerability.py.
FEATURES = ("similarity", "unknown", "cross")
OFF_TOPIC = 0.5  # share of a question's words the collection never uses: its slot is not the reason to give
# Each reason in the asker's language (English, Chinese); {} is what the question names.
REASONS = {
    "empty": ("nothing in the documents is about this question", "文件中没有与这个问题相关的内容"),
    "absent": ("the documents do not mention {}", "文件没有提到{}"),
    "figure": ("the documents give no figure for this", "文件没有给出这个数字"),
    "date": ("the documents give no date for this", "文件没有给出具体时间"),
    "rank": ("the documents do not say which comes first or most", "文件没有说明哪个最多或最先"),
    "place": ("the documents name no place for this", "文件没有提到具体地点"),
    "firm": ("the documents name no company for this", "文件没有提到具体公司"),
    "body": ("the documents name no body or department for this", "文件没有提到具体机构或部门"),
    "named": ("the documents say nothing about {}", "文件没有涉及{}"),
    "answers": ("the quoted passages address the question", "引用的段落回答了这个问题"),
    "unknown": ("the documents never mention some of what the question asks about", "文件没有提到问题所问的部分内容"),
    "far": ("no passage comes close to answering it", "没有段落接近回答这个问题"),
    "judged": ("the passages found do not state what the question asks", "找到的段落没有说明问题所问的内容"),
}


@dataclass(frozen=True)
class Decision:
    verdict: Answerability
    leads: tuple[Place, ...]  # the sentences that give what the question asks for: quote them first


@dataclass(frozen=True)
class Signals:
    similarity: float  # best question-sentence cosine
    unknown: float  # share of question words the whole collection never uses, in either language
    cross: float  # 1 when the best sentence is in the other language
    gap: str  # what of the asked slot none of the best sentences gives ("" when one does)
    absent: tuple[str, ...]  # names the question uses that no retrieved passage's document mentions
    leads: tuple[Place, ...]  # the sentences that give what is asked, when they do (one per kind asked)

    @property
    def ruled_out(self) -> bool:
        """Refused by the rules (a name no passage mentions, an unfilled slot) whatever the score."""
        return bool(self.absent or self.gap)

    def vector(self) -> list[float]:
        return [float(getattr(self, name)) for name in FEATURES]


def signals(question: str, ranked: list[RankedSentence], passages: list[Passage],
            collection: Collection) -> Signals:
    words = word_senses(question)
    gap, leads = fill_slot(question, ranked, passages)
    return Signals(
        similarity=max((r.similarity for r in ranked), default=0.0),
        unknown=sum(not any(w in collection.vocabulary for w in word) for word in words) / max(len(words), 1),
        cross=float(bool(ranked) and language_of(ranked[0].text) != language_of(question)),
        gap=gap,
        leads=leads,
        absent=unmentioned(question, " ".join(map(collection.document_text, {p.doc_id: p for p in passages}))),
    )


def fill_slot(question: str, ranked: list[RankedSentence], passages: list[Passage]
              ) -> tuple[str, tuple[Place, ...]]:
    """The sentence that gives what the question asks for: one near the top, or any of
    their passages (a figure often sits in a sentence that names its subject only as "it",
    and the sentence naming it may rank below one of another passage); for a question
    asking two things that no one sentence gives, one sentence for each; for one on what
    happened at two dates, a sentence naming each (``_dated``). Else what the
    first of them lacks ("figure", "date", …) and no sentence.

    Not from a passage whose document never names what the question names while another
    passage's does (``RankedSentence.unnamed``, as the ranker found it): China's total trade in 2020 is no
    figure for 雄安新区's trade, nor the national count of pilot zones one for Guangdong's.
    With ten passages read (``rerank_pool``) it turned 2 of the 5 near misses the wider pool
    let through back into refusals; at five it was measured only with session 21's other
    changes (bench/RESULTS-quality.md)."""
    ranked = [r for r in ranked if not r.unnamed]
    if not ranked:
        return "figure", ()
    near = [r.place for r in ranked[:SLOT_WINDOW] if r.score >= ranked[0].score - SLOT_MARGIN]
    spans = {i: statements(passages[i].text) for i, _ in near}
    places = list(dict.fromkeys(near + [(i, span) for i in spans for span in spans[i]]))

    def gap(place: Place, kind: str = "", skipped: tuple[str, ...] = ()) -> str:
        index, (start, end) = place
        passage = passages[index]
        if index not in spans:  # a passage beyond the near ones (``_dated``)
            spans[index] = statements(passage.text)
        before = [passage.text[a:b] for a, b in spans[index] if b <= start]
        return lacks(question, passage.text[start:end], before[-1] if before else "",
                     f"{passage.title} {passage.date} {passage.text}", kind, skipped=skipped)

    dates = dates_apart(question)
    if dates:
        dated = _dated(question, dates, ranked, gap)
        unsaid = next((date for date, place in zip(dates, dated, strict=True) if place is None), "")
        return (f"named:{unsaid}", ()) if unsaid else ("", tuple(dict.fromkeys(p for p in dated if p is not None)))
    first_gap = ""
    for place in places:
        missing = gap(place)
        if not missing:
            return "", (_in_askers_language(question, place, ranked, gap),)
        first_gap = first_gap or missing
    givers = [next((place for place in places if not gap(place, kind)), None) for kind in apart(question)]
    if givers and None not in givers:
        return "", tuple(dict.fromkeys(place for place in givers if place is not None))
    return first_gap, ()


def _dated(question: str, dates: tuple[str, ...], ranked: list[RankedSentence],
           gap: Callable[..., str]) -> list[Place | None]:
    """For a question on what happened at two or more ``dates`` (``dates_apart``), the best
    sentence naming each (one may name several), from any passage ranked: the one naming
    the second date may rank well below the first's passage, and a sentence of a passage
    that mentions a date elsewhere says nothing of it. In the asker's language when one
    scores close. None for a date no sentence names."""
    texts = {r.place: r.text for r in ranked}

    def giver(date: str) -> Place | None:
        others = tuple(d for d in dates if d != date)

        def missing(place: Place) -> str:
            return "" if names_date(date, texts[place]) and not gap(place, skipped=others) else "date"

        first = next((r.place for r in ranked if not missing(r.place)), None)
        return first if first is None else _in_askers_language(question, first, ranked, missing)

    return [giver(date) for date in dates]


def _in_askers_language(question: str, place: Place, ranked: list[RankedSentence],
                        gap: Callable[[Place], str]) -> Place:
    """The slot filler in the asker's language when one scores within SAME_LANGUAGE_MARGIN
    of ``place``, which is not: the English brief's "took effect on 1 January 2022" for an
    English question, not the Chinese brief's 协定于2022年1月1日…生效 that ranks a little
    higher because its title glosses "take effect". The reader gets the source in their
    own language, and a model has nothing to translate. Measured, extractive + judge: no
    answer of the 14 sets turned right or wrong; the first quote is in the asker's
    language for 5 more English and 2 more Chinese answers of the 8 tuned and blind sets
    (English answers led by a Chinese quote 39 -> 34 of 204), 1 more of unseen..unseen5."""
    first = next((r for r in ranked if r.place == place), None)
    asked_zh = has_cjk(question)
    if first is None or has_cjk(first.text) == asked_zh:
        return place
    return next((r.place for r in ranked if r.score >= first.score - SAME_LANGUAGE_MARGIN
                 and has_cjk(r.text) == asked_zh and not gap(r.place)), place)


def decide(question: str, ranked: list[RankedSentence], passages: list[Passage], collection: Collection,
           settings: Settings) -> Decision:
    if not ranked:
        return Decision(_verdict(question, False, 0.0, "empty"), ())
    s = signals(question, ranked, passages, collection)
    score = probability(s, settings.answerability_weights)
    if s.absent:
        names = "、".join(s.absent) if has_cjk(question) else ", ".join(s.absent)
        return Decision(_verdict(question, False, score, "absent", names), ())
    if s.gap and s.unknown >= OFF_TOPIC:  # "the best recipe for chocolate cake" asks no ranking of ours
        return Decision(_verdict(question, False, score, "unknown"), ())
    if s.gap:
        kind, _, named = s.gap.partition(":")
        return Decision(_verdict(question, False, score, kind, named), ())
    if score >= settings.answerable_min_score:
        return Decision(_verdict(question, True, score, "answers"), s.leads)
    return Decision(_verdict(question, False, score, "unknown" if s.unknown > 0 else "far"), ())


def confirm(question: str, verdict: Answerability, judged: float | None, settings: Settings) -> Answerability:
    """The judge model's reading of the quotes the fast decision let through. It reads them
    as a person does, so it catches what slots and similarity cannot: a sentence on the
    asked subject that states another fact, a question about something else that shares
    the documents' words. Below ``judge_min`` the question is refused."""
    if judged is None or not verdict.answerable:
        return verdict
    if judged >= settings.judge_min:
        return verdict.model_copy(update={"judged": round(judged, 3)})
    return _verdict(question, False, verdict.score, "judged").model_copy(update={"judged": round(judged, 3)})


def _verdict(question: str, answerable: bool, score: float, reason: str, what: str = "") -> Answerability:
    text = in_language(REASONS[reason], language_of(question))
    return Answerability(answerable=answerable, score=score, reason=text.format(what))


def probability(s: Signals, weights: dict[str, float]) -> float:
    """Logistic combination of the signals (weights fitted by bench/answerability.py)."""
    z = weights.get("bias", 0.0) + sum(
        weights.get(name, 0.0) * value for name, value in zip(FEATURES, s.vector(), strict=True))
    return round(1 / (1 + math.exp(-z)), 3)
