"""Response bodies of the JSON API: each route declares one as its ``response_model``, so
FastAPI validates what leaves and the published schema is the one enforced.

Answers use ``qa.answer_types.Answer`` directly. The index build report is a dataclass on
the build side (``index/`` must not depend on the serving side), mirrored here and kept in
step by a test. Nothing here decides anything: the routes' functions build the data.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class RankedPassage(BaseModel):
    rank: int = Field(ge=1)
    chunk_id: str
    doc_id: str
    text: str
    title: str
    source_url: str | None
    date: str | None
    language: str
    heading: str | None = ""
    page: int | None = None
    start: int = 0
    end: int = 0
    score: float = Field(description="What the order follows: the passage's best sentence score (hybrid search), "
                         "or the one retriever's score (a single mode).")
    scores: dict[str, float] = Field(description="Each retriever's score, the fusion's (rrf) and, in hybrid search, "
                                     "the best sentence's (sentence).")


class SearchResponse(BaseModel):
    query: str
    results: list[RankedPassage]


class DocumentSummary(BaseModel):
    doc_id: str
    path: str | None
    title: str | None
    source_url: str | None
    date: str | None
    language: str | None
    metadata: dict[str, Any]
    chunks: int | None


class Document(DocumentSummary):
    text: str


class DocumentsResponse(BaseModel):
    documents: list[DocumentSummary]


class IndexInfo(BaseModel):
    version: str
    chunks: int
    documents: int
    model: str


class Health(BaseModel):
    status: str
    index: IndexInfo | None


class LoadFailure(BaseModel):
    """A document the build could not read, and why."""

    model_config = ConfigDict(from_attributes=True)

    path: str
    reason: str


class ReindexReport(BaseModel):
    """What ``/api/reindex`` did: ``index.build.BuildReport``, validated from its attributes."""

    model_config = ConfigDict(from_attributes=True)

    documents: int
    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: int
    chunks: int
    chunks_embedded: int
    errors: list[LoadFailure]
    version: str
    seconds: float
    full_rebuild: bool


Rating = Literal["up", "down"]


class FeedbackCitation(BaseModel):
    """A citation the rated answer showed; the same shape is accepted and listed."""

    model_config = ConfigDict(extra="forbid")

    n: int = Field(ge=1, le=100)
    doc_id: str = Field(max_length=500)
    chunk_id: str = Field("", max_length=500)
    title: str = Field("", max_length=1000)


class FeedbackCreated(BaseModel):
    id: int = Field(description="The stored feedback's id.")


class FeedbackEntry(BaseModel):
    id: int
    created_at: str = Field(description="UTC, ISO 8601.")
    rating: Rating
    comment: str
    question: str
    answer: str
    citations: list[FeedbackCitation]
    llm: str | None


class FeedbackPage(BaseModel):
    feedback: list[FeedbackEntry] = Field(description="Newest first.")
    total: int
    limit: int
    offset: int
