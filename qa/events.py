"""The events an answer streams, in order: ``meta``, ``evidence`` (once, or twice when a
question's own words found quotes before its translation found others:
``qa.pipeline.evidence_while_translating``), ``token``*, ``answer``.

Every surface consumes the same sequence: the chat stream sends each as a server-sent
event (``event: <kind>``, ``data: <payload JSON>``), the page and Slack show the latest
evidence and then the answer in its place, the CLI and ``/api/ask`` keep the last one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from qa.answer_types import Answer, Evidence


@dataclass(frozen=True)
class Meta:
    standalone_question: str
    llm: str
    language: str
    judge: str = ""  # the backend that will read the quotes to confirm them ("" when none)
    kind: Literal["meta"] = "meta"

    def payload(self) -> dict:
        return {"standalone_question": self.standalone_question, "llm": self.llm, "language": self.language,
                "judge": self.judge}


@dataclass(frozen=True)
class EvidenceFound:
    """Verbatim cited quotes (or the refusal), before any model is asked. A judge may still
    refuse after it: the final answer says so."""

    evidence: Evidence
    kind: Literal["evidence"] = "evidence"

    def payload(self) -> dict:
        return self.evidence.model_dump()


@dataclass(frozen=True)
class Token:
    """A piece of generated text, not yet verified: the final answer may drop it."""

    text: str
    kind: Literal["token"] = "token"

    def payload(self) -> dict:
        return {"text": self.text}


@dataclass(frozen=True)
class Final:
    answer: Answer
    kind: Literal["answer"] = "answer"

    def payload(self) -> dict:
        return self.answer.model_dump()


Event = Meta | EvidenceFound | Token | Final
