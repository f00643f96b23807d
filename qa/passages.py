"""The passage: one retrieved chunk with its document metadata and scores.

It is what retrieval hands to answering, citations, the API and the UI; it carries
character offsets into its document so a UI can highlight the text in place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from qa.answer_types import Citation


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

    @property
    def url(self) -> str:
        """Where a reader can read the passage: the publisher's URL, else our own reader."""
        return self.source_url or f"/documents/{self.doc_id}#{self.start}-{self.end}"

    def cite(self, n: int, span: tuple[int, int]) -> Citation:
        """This passage as citation number ``n``, ``span`` being the supporting sentence."""
        return Citation(
            n=n, chunk_id=self.chunk_id, doc_id=self.doc_id, title=self.title, source_url=self.source_url,
            url=self.url, date=self.date, language=self.language, text=self.text, span=span,
            heading=self.heading, page=self.page, start=self.start, end=self.end,
        )
