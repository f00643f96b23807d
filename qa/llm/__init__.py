"""LLM backends behind one small interface, chosen by name from a registry.

A backend turns a :class:`Prompt` into a stream of text pieces. Generative backends read
``prompt.messages``; the extractive one reads ``prompt.question``/``prompt.passages``
directly, which is why the prompt carries both. Adding a backend = one module + one
registry line; heavy dependencies are imported inside the backend's module only.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from qa.passages import Passage
from qa.settings import Settings

Message = dict[str, str]  # {"role": "system"|"user"|"assistant", "content": "..."}
Task = Literal["answer", "condense"]


@dataclass
class Prompt:
    task: Task
    messages: list[Message]
    question: str
    passages: list[Passage] = field(default_factory=list)
    lang: str = "en"
    history: list[Message] = field(default_factory=list)


class LLM(Protocol):
    name: str

    def stream(self, prompt: Prompt, *, max_tokens: int) -> Iterator[str]:
        """Yield text pieces; raise qa.errors.LLMUnavailable/LLMTimeout on failure."""
        ...


def _extractive(settings: Settings) -> LLM:
    from qa.llm.extractive import ExtractiveLLM

    return ExtractiveLLM(settings)


def _local(settings: Settings) -> LLM:
    from qa.llm.local import LocalLLM

    return LocalLLM(settings)


def _openai(settings: Settings) -> LLM:
    from qa.llm.openai import OpenAILLM

    return OpenAILLM(settings)


BACKENDS: dict[str, Callable[[Settings], LLM]] = {
    "extractive": _extractive,
    "local": _local,
    "openai": _openai,
}


def resolve_name(settings: Settings, name: str | None = None) -> str:
    """``auto`` means the local model when llama-cpp-python is installed, else extractive."""
    name = name or settings.llm
    if name == "auto":
        return "local" if importlib.util.find_spec("llama_cpp") else "extractive"
    if name not in BACKENDS:
        raise ValueError(f"unknown LLM backend {name!r}; choose one of {', '.join(BACKENDS)}")
    return name


def create_llm(settings: Settings, name: str | None = None) -> LLM:
    return BACKENDS[resolve_name(settings, name)](settings)
