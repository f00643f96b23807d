"""Verify and assign citations in code; never trust the model's [n].

Each answer sentence is checked against every passage by qa/verification.py (the one
place that decides support). A sentence keeps the passages it cites that support it about
as well as the best one; a wrong citation moves to the passage that does support it; a
sentence that no passage supports is dropped, with the reason. Citations are renumbered
1..N in order of first use, and each carries the span of its passage that supports the
claim. Every sentence gets a verdict, so a reader (and the evaluation) sees what was cut.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from qa.answer_types import Citation, SentenceVerdict
from qa.passages import Passage
from qa.verification import Check, ClaimChecker
from textkit.language import has_cjk
from textkit.sentences import join_sentences, split_units, with_marker

log = logging.getLogger(__name__)

# Sentences set aside before any passage is read (text never shown, a loop's repeat): no
# verdict on whether a passage supports them.
UNCITABLE, REPEATED = "uncitable", "repeated"
UNCHECKED = frozenset({UNCITABLE, REPEATED})
MARKER = re.compile(r"\s*[\[【]\s*(\d+(?:\s*[,，、;]\s*\d+)*)\s*[\]】]")


@dataclass
class Verified:
    text: str
    citations: list[Citation]
    reassigned: int = 0
    dropped: list[str] = field(default_factory=list)
    sentences: list[SentenceVerdict] = field(default_factory=list)  # every sentence, kept or dropped


_MARKS = r"[\[【]\s*\d+(?:\s*[,，、;]\s*\d+)*\s*[\]】]"
# "… core. [1]" or "… core. [1], [2]": markers after the full stop belong to that sentence.
_MARK_AFTER_STOP = re.compile(rf"([.!?。！？])([ \t]*{_MARKS}(?:[ \t]*[,，、;]?[ \t]*{_MARKS})*)")
_LEADING_MARK = re.compile(rf"\s*{_MARKS}")  # "[1] Sentence. [2] Sentence." style
_MARK_RUN = re.compile(rf"\s*{_MARKS}(?:\s*[,，、;]?\s*{_MARKS})*")


def strip_markers(text: str) -> str:
    return _MARK_RUN.sub("", text)


def verify(answer: str, passages: list[Passage], checker: ClaimChecker) -> Verified:
    if not _LEADING_MARK.match(answer):
        answer = _MARK_AFTER_STOP.sub(r"\2\1", answer)  # "… core. [1]" -> "… core [1]."
    numbers: dict[int, int] = {}  # passage index -> citation number
    spans: dict[int, tuple[int, int]] = {}
    out: list[str] = []
    seen: set[str] = set()
    result = Verified("", [])
    for unit in split_units(answer):
        sentence = answer[unit.start:unit.end]
        claim = strip_markers(sentence).strip()
        if not re.search(r"\w", claim):  # nothing left but punctuation between markers
            continue
        if unit.heading_level or not checker.citable(claim):
            # uncitable text is never shown: it is where an injected instruction would hide
            result.sentences.append(SentenceVerdict(text=claim, supported=False, reason=UNCITABLE))
            continue
        if claim.lower() in seen:  # small models loop: say each thing once
            result.sentences.append(SentenceVerdict(text=claim, supported=False, reason=REPEATED))
            continue
        seen.add(claim.lower())
        cited = _cited(sentence, len(passages))
        checks = _checks(checker, claim, passages, cited)
        chosen = _supporting(checks, cited, checker.settings.verify_close_support)
        if not chosen:
            result.dropped.append(claim)
            result.sentences.append(SentenceVerdict(text=claim, supported=False, reason=_reason(checks)))
            continue
        result.reassigned += bool(cited) and chosen[0] not in cited
        marks = ""
        for i in chosen:
            if i not in numbers:
                numbers[i] = len(numbers) + 1
                spans[i] = checks[i].span
            marks += f"[{numbers[i]}]"
        result.sentences.append(SentenceVerdict(text=claim, supported=True, citations=[numbers[i] for i in chosen]))
        out.append(with_marker(claim, marks))
    if result.dropped:
        log.info("dropped %d unsupported sentence(s)", len(result.dropped))
    result.text = join_sentences(out)
    result.citations = [passages[i].cite(n, spans[i]) for i, n in sorted(numbers.items(), key=lambda x: x[1])]
    return result


def _checks(checker: ClaimChecker, claim: str, passages: list[Passage], cited: list[int]) -> dict[int, Check]:
    """The claim checked against the passages in its language and those it cites; against
    the others only when none of those supports it (comparing meaning across languages
    costs an embedding, and an answer is verified while the reader waits)."""
    def check(i: int) -> Check:
        return checker.check(claim, passages[i].text, f"{passages[i].title}\n{passages[i].heading}")

    first = [i for i, p in enumerate(passages) if i in cited or has_cjk(p.text) == has_cjk(claim)]
    checks = {i: check(i) for i in first}
    if not any(c.supported for c in checks.values()):
        checks.update({i: check(i) for i in range(len(passages)) if i not in checks})
    return checks


def _supporting(checks: dict[int, Check], cited: list[int], close: float) -> list[int]:
    """The cited passages that support the claim about as well as the best one does
    ("national export bases" half-matching "culture export bases" is not support), else
    the best supporting passage; empty when none supports it."""
    good = [i for i, c in checks.items() if c.supported]
    if not good:
        return []
    best = max(good, key=lambda i: checks[i].score)
    return [i for i in cited if i in good and checks[i].score >= checks[best].score - close] or [best]


def _reason(checks: dict[int, Check]) -> str:
    """Why the passage the claim is most about does not support it."""
    return max(checks.values(), key=lambda c: c.score).reason if checks else "unsupported"


def marker_numbers(sentence: str) -> list[int]:
    """The [n] numbers a sentence cites ("[1][2]", "[1, 2]", "【1】"), in order, once each."""
    numbers = (int(n) for group in MARKER.findall(sentence) for n in re.split(r"\s*[,，、;]\s*", group))
    return list(dict.fromkeys(numbers))


def _cited(sentence: str, count: int) -> list[int]:
    """Passage indexes the sentence cites, those out of range left out."""
    return [n - 1 for n in marker_numbers(sentence) if 0 < n <= count]


