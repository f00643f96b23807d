"""How well a passage supports a claim: the shared measure behind citation checks, the
extractive answerer and the citation-precision metric.

Lexical: the share of the claim's content terms found in the passage (Chinese text is
compared through its English gloss as well, so a Chinese sentence can be checked against
an English passage). Cheap, deterministic, and strict enough to catch a wrong [n].
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.chunking import split_units
from index.gloss import gloss
from index.terms import has_cjk, terms

SAME_LANGUAGE = 0.5  # share of claim terms a supporting passage must contain
CROSS_LANGUAGE = 0.3  # lower: a dictionary gloss never matches an English text word for word
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@lru_cache(maxsize=4096)
def content_terms(text: str) -> frozenset[str]:
    found = set(terms(text))
    if has_cjk(text):
        found.update(terms(gloss(text)))
    return frozenset(found)


def word_senses(text: str) -> list[frozenset[str]]:
    """Each content word once, a Chinese one with its English senses: a question word is
    found whether a sentence says it in Chinese or in English, and counts once either way
    (``content_terms`` counts a Chinese word and its gloss separately)."""
    words: dict[str, frozenset[str]] = {}
    for word in terms(text):
        if word not in words:
            words[word] = frozenset([word, *terms(gloss(word))]) if has_cjk(word) else frozenset([word])
    return list(words.values())


def coverage(claim: str, passage: str) -> float:
    """Share of the claim's terms in the passage; 0 when the claim states a number the
    passage does not (same language only: "1.14 million" is "114万" in Chinese)."""
    claim_terms = content_terms(claim)
    if not claim_terms:
        return 0.0
    if has_cjk(claim) == has_cjk(passage) and not _numbers(claim) <= _numbers(passage):
        return 0.0
    return len(claim_terms & content_terms(passage)) / len(claim_terms)


@lru_cache(maxsize=4096)
def _numbers(text: str) -> frozenset[str]:
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


def threshold(claim: str, passage: str) -> float:
    return CROSS_LANGUAGE if has_cjk(claim) != has_cjk(passage) else SAME_LANGUAGE


def supports(claim: str, passage: str) -> bool:
    return coverage(claim, passage) >= threshold(claim, passage)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    return [(u.start, u.end) for u in split_units(text) if not u.heading_level]


def best_span(claim: str, passage: str) -> tuple[int, int]:
    """The passage sentence that shares most terms with the claim (what a UI highlights)."""
    spans = sentence_spans(passage) or [(0, len(passage))]
    claim_terms = content_terms(claim)
    return max(spans, key=lambda s: len(claim_terms & content_terms(passage[s[0]:s[1]])))
