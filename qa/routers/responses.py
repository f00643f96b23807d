"""Response bodies of the JSON API, for the OpenAPI schema.

Routes return plain dicts built by the same functions the CLI uses; these models only
document them (``responses={200: {"model": ...}}``; answers and build reports are
documented by their dataclasses), so clients and the schemathesis
suite can check every response against the published schema.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


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
    score: float
    scores: dict[str, float]


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
    metadata: dict
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
