"""Prompt templates, loaded by name from the ``prompts/`` folder (the one place to edit
them), and the builders that fill them in.

A model reads only the quoted evidence sentences, numbered as their citations: on a
2-core CPU every prompt token costs ~10-25 ms before the first word appears. The system
prompt is a fixed prefix, so llama.cpp reuses its KV cache across questions. Source text
is stripped of anything that could close the <sources> block.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from core.settings import REPO_ROOT
from qa.llm import Message, Prompt
from textkit.gloss import term_pairs
from textkit.glossary import renderings

PROMPTS_DIR = REPO_ROOT / "prompts"
TERMS = 6  # term pairs a translation is told at most (each costs ~6 prompt tokens)
# How a translation prompt lists the term pairs, per target language: label, separator,
# and the words that tell the model to use them.
_TERMS_WORDING = {"zh": ("术语：", "；", "，使用上面的术语"), "en": ("Terms: ", "; ", ", using the terms above")}
_TAGS = re.compile(r"</?\s*sources?\s*>", re.I)


@cache
def template(name: str, folder: Path = PROMPTS_DIR) -> str:
    path = folder / name
    if not path.is_file():
        raise FileNotFoundError(f"prompt template {name!r} is missing from {folder}")
    return path.read_text(encoding="utf-8").strip()


def refusal(lang: str) -> str:
    return template(f"refusal.{'zh' if lang == 'zh' else 'en'}.txt")


def answer_prompt(question: str, sources: list[tuple[int, str]], lang: str, evidence: str,
                  history: list[Message] | None = None) -> Prompt:
    """``sources``: (citation number, sentence) pairs, in the order they are cited."""
    instruction = template(f"instruction.{'zh' if lang == 'zh' else 'en'}.txt")
    return Prompt("answer", _over_sources(question, sources, instruction), question, lang, evidence, history or [])


def translation_prompt(question: str, quotes: str, lang: str, evidence: str) -> Prompt:
    """The quotes (with their [n] markers) put into the asker's language, told the terms
    the question uses for words of the quotes and how the other language writes the
    names and policy terms they contain (``textkit.glossary``). A 1.5B model translates a quote more
    faithfully than it answers from it: asked to answer in Chinese from English sentences
    it dropped list items and wrote its own terms (accuracy 57/77 with 60 answers in
    Chinese on the Chinese questions of tune and held-out; translated 60/77 with 73)."""
    target = "zh" if lang == "zh" else "en"
    chinese, english = (question, quotes) if target == "zh" else (quotes, question)
    pairs = [(en, zh) if target == "zh" else (zh, en) for zh, en in term_pairs(chinese, english, TERMS)]
    told = {source for source, _ in pairs}
    pairs += [pair for pair in renderings(quotes, target) if pair[0] not in told][: TERMS - len(pairs)]
    head, sep, use = _TERMS_WORDING[target]
    terms = f"{head}{sep.join(f'{a}={b}' for a, b in pairs)}\n" if pairs else ""
    user = template(f"translation.{target}.md").format(terms=terms, use_terms=use if pairs else "",
                                                       quotes=_TAGS.sub(" ", quotes))
    return Prompt("answer", [{"role": "user", "content": user}], question, lang, evidence)


def judge_prompt(question: str, sources: list[tuple[int, str]], lang: str) -> Prompt:
    """Do the sources state what the question asks? The answer prompt's words up to its
    last line, so llama.cpp reuses what it read for the judge when the answer follows."""
    return Prompt("judge", _over_sources(question, sources, template("judge.txt")), question, lang)


def _over_sources(question: str, sources: list[tuple[int, str]], instruction: str) -> list[Message]:
    blocks = "\n".join(f"[{n}] {_TAGS.sub(' ', text)}" for n, text in sources)
    user = template("answer.md").format(sources=blocks, question=question, instruction=instruction)
    return [{"role": "system", "content": template("system.md")}, {"role": "user", "content": user}]


def translate_prompt(question: str) -> Prompt:
    """A Chinese question in English, for retrieval. Under the answer's system prompt, so
    llama.cpp keeps that prefix cached for the answer that follows."""
    user = template("translate.md").format(question=question)
    messages = [{"role": "system", "content": template("system.md")}, {"role": "user", "content": user}]
    return Prompt("translate", messages, question, "en")


def condense_prompt(question: str, history: list[Message], lang: str) -> Prompt:
    lines = "\n".join(f"{m['role']}: {m['content']}" for m in history[-6:])
    user = template("condense.md").format(history=lines, question=question)
    return Prompt("condense", [{"role": "user", "content": user}], question, lang, "", history)
