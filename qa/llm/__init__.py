"""LLM backends behind one small interface, chosen by name from a registry.

A backend turns a :class:`Prompt` into a stream of text pieces. The registry
``BACKENDS`` is the only list of backend names: settings, the API and the CLI derive
their choices from it. Adding a backend = one module + one registry line; heavy
dependencies are imported inside the backend's module only.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from core.settings import Settings

Message = dict[str, str]  # {"role": "system"|"user"|"assistant", "content": "..."}
Task = Literal["answer", "condense", "judge", "translate"]


@dataclass
class Prompt:
    task: Task
    messages: list[Message]
    question: str
    lang: str = "en"
    evidence: str = ""  # the quoted evidence with [n] markers (what a non-generative backend returns)
    history: list[Message] = field(default_factory=list)


class LLM(Protocol):
    name: str
    #: False for a backend that only hands back the quoted evidence: the pipeline then
    #: never waits on it, and never calls its answer "generated".
    generative: bool

    def stream(self, prompt: Prompt, *, max_tokens: int) -> Iterator[str]:
        """Yield text pieces; raise core.errors.LLMUnavailable/LLMTimeout on failure."""
        ...

    def yes_probability(self, prompt: Prompt) -> float | None:
        """How likely the model's reply to a yes/no ``prompt`` is yes (0..1), read off its
        odds for the first token; None when the backend does not expose them (it cannot
        judge). Raise LLMUnavailable/LLMTimeout on failure."""
        return None

    def warm(self) -> None:
        """Load what the first question would otherwise wait for (called at start-up)."""
        return None

    def close(self) -> None:
        """Release connections or memory (called at shutdown)."""
        return None


def _extractive(settings: Settings) -> LLM:
    from qa.llm.extractive import ExtractiveLLM

    return ExtractiveLLM()


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


def judge_name(settings: Settings) -> str | None:
    """The backend that judges answerability (QA_JUDGE), or None."""
    return _helper(settings, settings.judge)


def translator_name(settings: Settings) -> str | None:
    """The backend that renders Chinese questions in English for retrieval (QA_TRANSLATE), or None."""
    return _helper(settings, settings.translate)


def _helper(settings: Settings, choice: str) -> str | None:
    """A model that helps the answer: ``auto`` means the local model when llama-cpp-python
    is installed, ``off`` (or auto without it) none."""
    if choice == "off" or (choice == "auto" and not importlib.util.find_spec("llama_cpp")):
        return None
    return resolve_name(settings, "local" if choice == "auto" else choice)


def create_llm(settings: Settings, name: str | None = None) -> LLM:
    return BACKENDS[resolve_name(settings, name)](settings)
