"""Verify and assign citations in code; never trust the model's [n].

Each answer sentence is checked against the passage it cites. A wrong citation is moved
to the passage that does support the sentence; a sentence that no passage supports is
dropped. Citations are renumbered 1..N in order of first use, and each carries the span
of its passage that supports the claim.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from index.chunking import split_units
from qa.answer_types import Citation
from qa.passages import Passage
from qa.support import best_span, content_terms, coverage, threshold

log = logging.getLogger(__name__)

MARKER = re.compile(r"\s*[\[【]\s*(\d+(?:\s*[,，、;]\s*\d+)*)\s*[\]】]")
_TRAILING_PUNCT = re.compile(r"[\s.。!！?？;；:：,，]*$")
CLOSE_SUPPORT = 0.15  # coverage a cited passage may trail the best-supporting one by
MIN_CLAIM_TERMS = 2  # shorter sentences ("Yes.", "PWNED.") carry nothing citable: dropped


@dataclass
class Verified:
    text: str
    citations: list[Citation]
    supported: int = 0  # sentences kept with a verified citation
    reassigned: int = 0
    dropped: list[str] = field(default_factory=list)


def passage_url(passage: Passage) -> str:
    """Where a reader can read the passage: the publisher's URL, else our own reader."""
    return passage.source_url or f"/documents/{passage.doc_id}#{passage.start}-{passage.end}"


_MARKS = r"[\[【]\s*\d+(?:\s*[,，、;]\s*\d+)*\s*[\]】]"
# "… core. [1]" or "… core. [1], [2]": markers after the full stop belong to that sentence.
_MARK_AFTER_STOP = re.compile(rf"([.!?。！？])([ \t]*{_MARKS}(?:[ \t]*[,，、;]?[ \t]*{_MARKS})*)")
_LEADING_MARK = re.compile(rf"\s*{_MARKS}")  # "[1] Sentence. [2] Sentence." style
_MARK_RUN = re.compile(rf"\s*{_MARKS}(?:\s*[,，、;]?\s*{_MARKS})*")


def strip_markers(text: str) -> str:
    return _MARK_RUN.sub("", text)


def verify(answer: str, passages: list[Passage]) -> Verified:
    if not _LEADING_MARK.match(answer):
        answer = _MARK_AFTER_STOP.sub(r"\2\1", answer)  # "… core. [1]" -> "… core [1]."
    numbers: dict[int, int] = {}  # passage index -> citation number
    spans: dict[int, tuple[int, int]] = {}
    out: list[str] = []
    seen: set[str] = set()
    result = Verified("", [])
    for unit in split_units(answer):
        sentence = answer[unit.start:unit.end]
        cited = _cited(sentence, len(passages))
        claim = strip_markers(sentence).strip()
        if not re.search(r"\w", claim):  # nothing left but punctuation between markers
            continue
        if len(content_terms(claim)) < MIN_CLAIM_TERMS or unit.heading_level:
            continue  # uncitable text is never shown: it is where an injected instruction would hide
        if claim.lower() in seen:  # small models loop: say each thing once
            continue
        seen.add(claim.lower())
        covered = [coverage(claim, p.text) for p in passages]
        best = max(range(len(passages)), key=covered.__getitem__, default=-1)
        if best < 0 or covered[best] < threshold(claim, passages[best].text):
            result.dropped.append(claim)
            continue
        # A cited passage counts if it supports the claim about as well as the best one;
        # "national export bases" half-matching "culture export bases" is not support.
        chosen = [i for i in cited if covered[i] >= threshold(claim, passages[i].text)
                  and covered[i] >= covered[best] - CLOSE_SUPPORT]
        if not chosen:
            chosen = [best]
            result.reassigned += bool(cited)
        result.supported += 1
        marks = ""
        for i in chosen:
            if i not in numbers:
                numbers[i] = len(numbers) + 1
                spans[i] = best_span(claim, passages[i].text)
            marks += f"[{numbers[i]}]"
        body = _TRAILING_PUNCT.sub("", claim)
        gap = "" if _is_cjk_end(body) else " "
        out.append(f"{body}{gap}{marks}{claim[len(body):].strip()}")
    if result.dropped:
        log.info("dropped %d unsupported sentence(s)", len(result.dropped))
    result.text = _join(out)
    result.citations = [_citation(n, passages[i], spans[i]) for i, n in sorted(numbers.items(), key=lambda x: x[1])]
    return result


def _cited(sentence: str, count: int) -> list[int]:
    found: list[int] = []
    for group in MARKER.findall(sentence):
        for number in re.split(r"\s*[,，、;]\s*", group):
            index = int(number) - 1
            if 0 <= index < count and index not in found:
                found.append(index)
    return found


def _is_cjk_end(text: str) -> bool:
    return bool(re.search(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]\s*$", text))


def _join(sentences: list[str]) -> str:
    text = ""
    for sentence in sentences:
        if text and not (_is_cjk_end(text) and _is_cjk_end(sentence[:1] or " ")):
            text += " "
        text += sentence
    return text.strip()


def _citation(n: int, passage: Passage, span: tuple[int, int]) -> Citation:
    return Citation(
        n=n, chunk_id=passage.chunk_id, doc_id=passage.doc_id, title=passage.title,
        source_url=passage.source_url, url=passage_url(passage), date=passage.date, text=passage.text,
        span=span, heading=passage.heading, page=passage.page, start=passage.start, end=passage.end,
    )
