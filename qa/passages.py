"""The passage: one retrieved chunk with its document metadata and scores.

It is what retrieval hands to answering, citations, the API and the UI; it carries
character offsets into its document so a UI can highlight the text in place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Passage:
    chunk_id: str
    doc_id: str
    text: str
    title: str
    source_url: str
    date: str
    language: str
    heading: str = ""
    page: int | None = None
    start: int = 0
    end: int = 0
    score: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)
