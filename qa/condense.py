"""Make a follow-up question standalone ("When was it passed?" after a question about the
Hainan law), so retrieval sees what it is about."""

from __future__ import annotations

import re

from textkit.terms import terms

_ANAPHORA = re.compile(r"\b(it|its|they|them|their|this|that|these|those|he|she|there)\b|[它其这那该此]", re.I)
MIN_TERMS = 3  # a follow-up with fewer content words leans on the conversation


def join_with_previous(question: str, history: list[dict]) -> str:
    """Without a model: a follow-up that leans on earlier turns ("what about their ...?")
    is joined with the previous user question so retrieval sees both."""
    previous = next((m["content"] for m in reversed(history) if m.get("role") == "user"), "")
    if previous and (_ANAPHORA.search(question) or len(set(terms(question))) < MIN_TERMS):
        return f"{previous.strip()} {question.strip()}"
    return question


def accept_rewrite(rewritten: str, question: str, history: list[dict]) -> str:
    """A model's rewrite, unless it returned nothing or rambled: then the join stands in."""
    rewritten = rewritten.strip()
    if not rewritten or len(rewritten) > 4 * len(question) + 200:
        return join_with_previous(question, history)
    return rewritten.splitlines()[0].strip()
