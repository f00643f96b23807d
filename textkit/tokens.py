"""Content words of a text in reading order, with positions: what claim verification
aligns, counts and orders. Figures and proper names are single tokens, keyed by their
normalised value (``number:1140000``) or canonical name (``name:ASEAN``), so "114万" and
"1.14 million", 东盟 and "ASEAN" are the same token in either language.

Words are the same as :func:`textkit.terms.terms` yields (stop-words out, light folding);
Chinese comes from jieba's default cut, which keeps positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from textkit.language import CJK_RUN
from textkit.names import names
from textkit.numbers import quantities
from textkit.terms import EN_STOP, WORD, ZH_STOP, fold, jieba_segmenter


@dataclass(frozen=True)
class Token:
    key: str  # folded word, "number:…", "name:…"
    start: int
    text: str  # as written

    @property
    def word(self) -> bool:
        return ":" not in self.key

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[Token, ...]:
    """Figures, then names, then words, each claiming its span; sorted by position."""
    found: list[Token] = []
    taken = [False] * len(text)

    def claim(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        taken[start:end] = [True] * (end - start)
        return True

    for q in quantities(text):
        if claim(*q.span):
            # a date's key leaves out its year, which one side may only imply
            value = f"{q.date[1]}-{q.date[2]}" if q.kind == "date" else f"{q.amount:g}"
            found.append(Token(f"{q.kind}:{value}", q.span[0], text[q.span[0]:q.span[1]]))
    for name, (start, end) in names(text):
        if claim(start, end):
            found.append(Token(f"name:{name.key}", start, text[start:end]))
    lowered = text.lower()
    for match in WORD.finditer(lowered):
        word = match.group(0)
        if word not in EN_STOP and not word.replace(".", "").isdigit() and claim(*match.span()):
            found.append(Token(fold(word), match.start(), text[match.start():match.end()]))
    for run in CJK_RUN.finditer(text):
        for word, first, last in jieba_segmenter().tokenize(run.group(0)):
            if word not in ZH_STOP and claim(run.start() + first, run.start() + last):
                found.append(Token(word, run.start() + first, word))
    return tuple(sorted(found, key=lambda t: t.start))
