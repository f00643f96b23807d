"""The extractive backend: no model. Its answer is the quoted evidence itself (verbatim
passage sentences with their citations), and a follow-up is made standalone by joining
it with the previous question. Fast and deterministic; what most tests use."""

from __future__ import annotations

from collections.abc import Iterator

from qa.condense import join_with_previous
from qa.llm import LLM, Prompt


class ExtractiveLLM(LLM):
    name = "extractive"
    generative = False

    def stream(self, prompt: Prompt, *, max_tokens: int) -> Iterator[str]:
        if prompt.task == "condense":
            yield join_with_previous(prompt.question, prompt.history)
        else:
            yield prompt.evidence
