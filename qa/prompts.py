"""Prompt templates, loaded by name from the ``prompts/`` folder (the one place to edit
them), and the builders that fill them in.

Retrieved text goes inside <passages>…</passages> and the system prompt tells the model
that it is data; passage text is also stripped of anything that could close that block.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from qa.llm import Message, Prompt
from qa.passages import Passage
from qa.settings import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}
_TAGS = re.compile(r"</?\s*passages?\s*>", re.I)


@lru_cache(maxsize=None)
def template(name: str, folder: Path = PROMPTS_DIR) -> str:
    path = folder / name
    if not path.is_file():
        raise FileNotFoundError(f"prompt template {name!r} is missing from {folder}")
    return path.read_text(encoding="utf-8").strip()


def refusal(lang: str) -> str:
    return template(f"refusal.{'zh' if lang == 'zh' else 'en'}.txt")


def answer_prompt(question: str, passages: list[Passage], lang: str,
                  excerpts: dict[int, str] | None = None) -> Prompt:
    """``excerpts`` (passage index -> text) shortens what the model reads; passages left
    out of it are not shown, but their numbers stay those of ``passages``."""
    shown = excerpts if excerpts is not None else {i: p.text for i, p in enumerate(passages)}
    blocks = "\n\n".join(
        f"[{i + 1}] ({passages[i].title})\n{_TAGS.sub(' ', text)}"
        for i, text in sorted(shown.items())
    )
    user = template("answer.md").format(passages=blocks, question=question, language=LANGUAGE_NAMES.get(lang, "English"))
    messages: list[Message] = [{"role": "system", "content": template("system.md")}, {"role": "user", "content": user}]
    return Prompt("answer", messages, question, passages, lang)


def condense_prompt(question: str, history: list[Message], lang: str) -> Prompt:
    lines = "\n".join(f"{m['role']}: {m['content']}" for m in history[-6:])
    user = template("condense.md").format(history=lines, question=question)
    return Prompt("condense", [{"role": "user", "content": user}], question, [], lang, history)
