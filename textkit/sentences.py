"""Sentence units: heading lines and sentences of a text, as character offsets.

Chunking packs them, extractive answers quote them, verification checks answers one unit
at a time: all three must agree on where a sentence ends, so the rule lives here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textkit.language import CJK_END
from textkit.numbers import ITEM_LABEL

# A sentence ends at . ! ? (followed by space) or at a Chinese stop, which needs no space.
SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)|[。！？；]+[\u201d\u2019」』）]*")
# ... except the full stop of an abbreviation: "Order No. 4 of 2020" is one sentence, not
# two (the second, "4 of 2020.", once answered a "how many" question with its 4). Each
# pattern ends where the stop does; an item's label needs its number after it.
_LABEL_END = re.compile(rf"{ITEM_LABEL}$")
_SHORT_END = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|vs|cf|e\.g|i\.e)\.$")
_NUMBER_NEXT = re.compile(r"\s+\d")
# No English sentence starts in lower case: "Investment Co. acquired a stake" is one sentence
# (split, the "which company" question lost its answer's company).
_LOWER_NEXT = re.compile(r"\s+[a-z]")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


@dataclass
class Unit:
    start: int
    end: int
    heading_level: int = 0  # > 0 for a heading line
    tokens: int = 0


def split_units(text: str) -> list[Unit]:
    """Heading lines and sentences, as (start, end) offsets with surrounding space trimmed."""
    units: list[Unit] = []
    for line in re.finditer(r"[^\n]+", text):
        body = line.group(0)
        heading = HEADING.match(body)
        if heading:
            units.append(Unit(line.start(), line.end(), heading_level=len(heading.group(1))))
            continue
        cursor = 0
        for end in [m.end() for m in SENTENCE_END.finditer(body) if not _abbreviation(body, m)] + [len(body)]:
            piece = body[cursor:end]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece) - len(piece.rstrip())
                units.append(Unit(line.start() + cursor + lead, line.start() + end - trail))
            cursor = end
    return units


def _abbreviation(body: str, stop: re.Match) -> bool:
    """The stop closes an abbreviation: a lower-case word follows it, or a number or a name."""
    if stop.group(0) != ".":
        return False
    window = (max(0, stop.start() - 8), stop.end())
    return bool(_LOWER_NEXT.match(body, stop.end()) or _SHORT_END.search(body, *window)
                or (_LABEL_END.search(body, *window) and _NUMBER_NEXT.match(body, stop.end())))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, headings left out."""
    return [(u.start, u.end) for u in split_units(text) if not u.heading_level]


_TRAILING_PUNCT = re.compile(r"[\s.。!！?？;；:：,，…]*$")
_REPEATED = re.compile(r"([。!！?？;；])\s*\1+")  # not "...": a cut sentence says so


def with_marker(sentence: str, marks: str) -> str:
    """``… core [1].``: citation markers go inside the sentence's closing punctuation,
    after a space in English and none in Chinese."""
    body = _TRAILING_PUNCT.sub("", sentence)
    gap = "" if CJK_END.search(body) else " "
    closing = _REPEATED.sub(r"\1", sentence[len(body):].strip())  # a model's "生效。[1]。" closes once
    return f"{body}{gap}{marks}{closing}"


def join_sentences(sentences: list[str]) -> str:
    """Chinese sentences join without a space, English ones (and mixed) with one."""
    text = ""
    for sentence in sentences:
        if text and not (CJK_END.search(text) and CJK_END.search(sentence[:1] or " ")):
            text += " "
        text += sentence
    return text.strip()


LIST_SENTENCE = 120  # characters: a sentence this long may be a list of directives
# Where a list sentence's items part: commas and semicolons (an "and" after them too), and
# an "and" before a verb in -ing ("… publishing policies … and establishing legal aid").
_CLAUSE_BREAK = re.compile(r",\s+(?:and\s+)?|;\s+|\s+and\s+(?=\w+ing\b)|[，、；]")
_SHORTEST_CLAUSE = 12  # characters: "China-Europe" alone is no clause
# Between the items of a list, in either language: what "enumerates" counts (a Chinese comma
# parts clauses, but most Chinese sentences have several).
_LIST_SEPARATOR = re.compile(r"、|,\s")


def clauses(sentence: str) -> list[str]:
    """The items of a long list sentence ("Public service levels also will be improved by
    enhancing publicity to key markets, publishing policies … and establishing legal aid
    platforms …"), or none when it is short or does not part: a question about one item
    is close in meaning to that item and far from the whole list."""
    if len(sentence) < LIST_SENTENCE:
        return []
    parts = [p.strip() for p in _CLAUSE_BREAK.split(sentence) if len(p.strip()) > _SHORTEST_CLAUSE]
    return parts if len(parts) > 1 else []


def enumerates(sentence: str) -> bool:
    """The sentence enumerates: two or more list separators ("communication, electricity,
    engineering machinery, and rail traffic"; 机电产品、农产品、纺织服装)."""
    return len(_LIST_SEPARATOR.findall(sentence)) >= 2
