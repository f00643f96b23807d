"""What an answer looks like on the wire: the same JSON for the CLI, the API, the chat
page and Slack."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Citation:
    n: int  # number used in the answer text, 1..N in order of first use
    chunk_id: str
    doc_id: str
    title: str
    source_url: str  # the original publisher's URL; may be "" when the document has none
    url: str  # always clickable: source_url, else this service's document page
    date: str
    text: str  # the cited passage
    span: tuple[int, int]  # character span inside ``text`` that supports the claim
    heading: str = ""
    page: int | None = None
    start: int = 0  # passage offsets inside the document text (for highlighting in the reader)
    end: int = 0


@dataclass
class Answer:
    answer: str
    answerable: bool
    question: str
    standalone_question: str
    citations: list[Citation]
    llm: str
    fallback: bool = False  # True when the chosen LLM failed and the extractive answer stands in
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)
