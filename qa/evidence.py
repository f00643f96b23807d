"""Gather the evidence: the few passage sentences that best answer the question, quoted
verbatim with their citations. It is what the reader sees first, what an answer falls
back to, and all that a generative model is shown.

Verbatim quotes need no verification beyond where they come from; their citations are
numbered 1..N in quoting order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer_types import Answerability, Citation, Evidence
from qa.passages import Passage
from qa.ranking import Place, RankedSentence
from textkit.language import has_cjk, language_of
from textkit.sentences import join_sentences, with_marker

SECOND_QUOTE = 0.85  # another top sentence joins when it scores this close to the best
CONTINUATION = 0.7  # the next sentence of the same paragraph joins when it scores this close
_CLOSED = re.compile(r"[.!?。！？；;…]['\"”’）)]*$")
# (asker's language, quotes' language) -> the label when all quotes, or only some, are in
# the other language: an English quote under a Chinese one is still a quote in English.
LABELS = {
    ("zh", "en"): ("以下引自英文资料原文", "以下部分引自英文资料原文"),
    ("en", "zh"): ("Quoted from Chinese sources", "Partly quoted from Chinese sources"),
}


@dataclass(frozen=True)
class Quote:
    passage: int
    span: tuple[int, int]
    text: str


def choose_quotes(ranked: list[RankedSentence], passages: list[Passage], limit: int,
                  leads: tuple[Place, ...] = ()) -> list[Quote]:
    """The sentences that give what the question asks for (``leads``: the count, the date),
    the best sentence, a close second, and the sentence that continues one of them in its
    paragraph (policy texts state a point, then its specifics), at most ``limit``."""
    if not ranked or limit < 1:
        return []
    top = ranked[0].score
    by_place = {r.place: r for r in ranked}
    chosen = [by_place[lead] for lead in leads if lead in by_place]
    said = {r.text.strip() for r in chosen}
    for r in _distinct(ranked)[:2]:
        if r.score >= top * SECOND_QUOTE and r.text.strip() not in said:
            chosen.append(r)
            said.add(r.text.strip())
    for r in list(chosen):
        following = [key for key in by_place if key[0] == r.passage and key[1][0] >= r.span[1]]
        if not following:
            continue
        nxt = by_place[min(following, key=lambda key: key[1])]
        gap = passages[r.passage].text[r.span[1]:nxt.span[0]]
        if "\n\n" not in gap and nxt.score >= top * CONTINUATION and nxt.text.strip() not in said:
            chosen.append(nxt)
            said.add(nxt.text.strip())
    return [Quote(r.passage, r.span, _closed(r.text.strip())) for r in chosen[:limit]]


def _distinct(ranked: list[RankedSentence]) -> list[RankedSentence]:
    """Each sentence text once: two chunks of one document that overlap by less than half
    (both kept by retrieval) can share a sentence, which would be quoted twice."""
    first: dict[str, RankedSentence] = {}
    for r in ranked:
        first.setdefault(r.text.strip(), r)
    return list(first.values())


def build_evidence(quotes: list[Quote], passages: list[Passage], decision: Answerability,
                   question_lang: str) -> Evidence:
    """The quotes with [n] markers and their citations; empty when not answerable."""
    if not decision.answerable or not quotes:
        return Evidence(text="", citations=[], answerability=decision)
    citations: list[Citation] = []
    parts = []
    for n, quote in numbered(quotes):
        if n > len(citations):
            citations.append(passages[quote.passage].cite(n, quote.span))
        parts.append(marked(n, quote))
    langs = {language_of(q.text) for q in quotes}
    quote_lang = next(iter(langs)) if len(langs) == 1 else None
    other = next((lang for lang in langs if (question_lang, lang) in LABELS), "")
    label = LABELS[(question_lang, other)][quote_lang is None] if other else ""
    return Evidence(text=join_sentences(parts), citations=citations, answerability=decision,
                    quote_language=quote_lang, label=label)


def numbered(quotes: list[Quote]) -> list[tuple[int, Quote]]:
    """Each quote with its citation number: passages are numbered 1..N in quoting order."""
    numbers: dict[int, int] = {}
    return [(numbers.setdefault(q.passage, len(numbers) + 1), q) for q in quotes]


def marked(n: int, quote: Quote) -> str:
    return with_marker(quote.text, f"[{n}]")


def _closed(sentence: str) -> str:
    """A chunk can end mid-sentence (a long Chinese sentence is split to fit the model):
    close it, or a reader would take it and the next one as a single claim."""
    if _CLOSED.search(sentence):
        return sentence
    return sentence + ("…。" if has_cjk(sentence[-1:]) else "...")
