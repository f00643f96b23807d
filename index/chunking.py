"""Split a document into chunks that respect headings and sentences.

Chunks are bounded in tokens of the embedding model's own tokenizer (the caller passes a
counting function), so nothing is silently cut off when embedded. Each chunk is an exact
slice ``doc.text[start:end]``: offsets let a UI highlight the passage in its document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.loaders import Document
from textkit.sentences import HEADING, Unit, split_units


CountTokens = Callable[[Sequence[str]], list[int]]
TokenSpans = Callable[[str], list[tuple[int, int]]]


@dataclass
class Chunk:
    doc_id: str
    ordinal: int
    text: str
    start: int
    end: int
    heading: str
    page: int | None
    n_tokens: int

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}#{self.ordinal}"


def chunk_document(
    doc: Document,
    count_tokens: CountTokens,
    token_spans: TokenSpans,
    max_tokens: int,
    overlap: int,
) -> list[Chunk]:
    """Pack sentences into chunks of at most ``max_tokens``, carrying ``overlap`` tokens of
    trailing sentences into the next chunk within a section; headings start a chunk."""
    text = doc.text
    units = _split_long(split_units(text), text, count_tokens, token_spans, max_tokens)
    chunks: list[Chunk] = []
    path: list[tuple[int, str]] = []  # (level, heading text) of the current section
    current: list[Unit] = []
    heading_for_current = ""

    def flush(carry: bool) -> list[Unit]:
        if not current or all(u.heading_level for u in current):
            return []
        start, end = current[0].start, current[-1].end
        slice_text = text[start:end]
        (n,) = count_tokens([slice_text])
        chunks.append(Chunk(doc.doc_id, len(chunks), slice_text, start, end,
                            heading_for_current, doc.page_at(start), n))
        if not carry:
            return []
        kept: list[Unit] = []
        budget = overlap
        for unit in reversed(current):
            if unit.heading_level or unit.tokens > budget:
                break
            kept.insert(0, unit)
            budget -= unit.tokens
        return kept if len(kept) < len(current) else []

    for unit in units:
        if unit.heading_level:
            current = flush(carry=False) or []
            heading = HEADING.match(text[unit.start:unit.end])
            assert heading is not None  # a heading unit is a line HEADING matched (split_units)
            title = heading.group(2)
            path = [p for p in path if p[0] < unit.heading_level] + [(unit.heading_level, title)]
            heading_for_current = " > ".join(t for _, t in path)
            current = [unit]
            continue
        if current and _total(current) + unit.tokens > max_tokens:
            current = flush(carry=True)
            while current and _total(current) + unit.tokens > max_tokens:
                current.pop(0)
        current.append(unit)
    flush(carry=False)
    return chunks


def _total(units: list[Unit]) -> int:
    # +1 per join: tokenising a joined string can add a token at a boundary.
    return sum(u.tokens for u in units) + max(len(units) - 1, 0)


def _split_long(units, text, count_tokens, token_spans, max_tokens) -> list[Unit]:
    """Give every unit its token count; cut a sentence longer than ``max_tokens`` at token
    boundaries (a run-on line or a table row) so that no chunk exceeds the bound."""
    counts = count_tokens([text[u.start:u.end] for u in units]) if units else []
    out: list[Unit] = []
    for unit, count in zip(units, counts, strict=True):
        unit.tokens = count
        if count <= max_tokens or unit.heading_level:
            out.append(unit)
            continue
        spans = token_spans(text[unit.start:unit.end])
        i = 0
        while i < len(spans):
            # The count can exceed the number of spans (Chinese is counted through its
            # longer English gloss): shrink the piece until it fits.
            size = max(max_tokens - 2, 1)
            while True:
                piece = spans[i:i + size]
                start, end = unit.start + piece[0][0], unit.start + piece[-1][1]
                (n,) = count_tokens([text[start:end]])
                if n <= max_tokens or size == 1:
                    break
                size = max(1, min(size - 1, size * max_tokens // n))
            out.append(Unit(start, end, tokens=n))
            i += len(piece)
    return out
