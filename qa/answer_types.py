"""What an answer looks like on the wire: the same JSON for the CLI, the API, the chat
page and Slack. Pydantic models, so the routes that return them validate what leaves.

An answer arrives in two layers: ``evidence`` (verbatim, verified quotes from the
documents, ready in milliseconds) and ``answer`` (the generated text, verified sentence
by sentence, or the evidence itself when no model was asked or the model failed).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Language = Literal["en", "zh"]


class Citation(BaseModel):
    n: int = Field(description="Number used in the answer text, 1..N in order of first use.")
    chunk_id: str
    doc_id: str
    title: str
    source_url: str = Field(description="The publisher's URL; may be empty when the document has none.")
    url: str = Field(description="Always clickable: source_url, else this service's document page.")
    date: str
    language: str = Field("", description="Language of the cited passage (en, zh).")
    text: str = Field(description="The cited passage.")
    span: tuple[int, int] = Field(description="Character span inside text that supports the claim.")
    heading: str = ""
    page: int | None = None
    start: int = Field(0, description="Passage offsets inside the document text (for the reader).")
    end: int = 0


class Answerability(BaseModel):
    """The one decision whether the documents answer the question (qa/answerability.py)."""

    answerable: bool
    score: float = Field(description="0..1; higher means the evidence more likely answers the question.")
    reason: str = Field(description="Why, in a few words (shown to users when refused).")
    judged: float | None = Field(None, description="0..1: how likely the judge model found that the quotes state "
                                 "what is asked; None when no model judged them.")


class SentenceVerdict(BaseModel):
    """One generated sentence and what verification made of it (qa/verification.py)."""

    text: str
    supported: bool
    reason: str = Field("", description="Why it was dropped (empty when supported).")
    citations: list[int] = Field(default_factory=list, description="Citation numbers it keeps.")


class Evidence(BaseModel):
    """The best supporting sentences, quoted verbatim and cited: what the page shows first."""

    text: str = Field(description="The quotes joined, each followed by its [n] marker; empty when refused.")
    citations: list[Citation] = Field(default_factory=list)
    answerability: Answerability
    quote_language: Language | None = Field(None, description="Language of the quoted sources.")
    label: str = Field(
        "", description="e.g. 'Quoted from English sources' when they differ from the question's language.")


class Answer(BaseModel):
    answer: str
    answerable: bool
    question: str
    standalone_question: str
    language: Language = "en"
    citations: list[Citation] = Field(default_factory=list)
    evidence: Evidence | None = None
    answerability: Answerability | None = None
    sentences: list[SentenceVerdict] = Field(default_factory=list,
                                             description="Verdict per generated sentence, dropped ones included.")
    llm: str = Field(description="Backend whose text is shown ('extractive' when the quotes are the answer).")
    fallback: bool = Field(False, description="True when the chosen model's text could not be shown.")
    fallback_reason: str = Field(
        "", description="Why not: the model failed or timed out, its answer did not pass verification, "
        "or it did not give what was asked (a date, a figure) while the quotes do.")
    timings_ms: dict[str, float] = Field(
        default_factory=dict, description="Milliseconds per step (condense, translate, retrieve, evidence, judge, "
        "generate, verify), first_evidence (since the question arrived) and total.")

    def to_dict(self) -> dict:
        return self.model_dump()
