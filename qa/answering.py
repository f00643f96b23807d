"""The answer pipeline: condense -> retrieve -> generate -> verify citations.

One generator serves every surface: the API and chat page stream its events, the CLI and
Slack take its last one. A failing or nonsensical generative backend never leaves the
user without an answer: the extractive backend stands in and the answer says so.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from index.terms import has_cjk
from qa import prompts
from qa.answer_types import Answer
from qa.citations import verify
from qa.errors import BadRequest, InputTooLarge, LLMUnavailable
from qa.llm import LLM, Prompt
from qa.llm.extractive import REFUSAL, condense
from qa.passages import Passage

if TYPE_CHECKING:
    from qa.service import Service

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MODEL_REFUSALS = re.compile(
    r"NOT_IN_DOCUMENTS|(passages|documents|context|text)\s+(do(es)?\s+not|don't)\s+(contain|mention|say|cover|provide|answer)"
    r"|no information (about|on)|(文件|文档|段落|资料)(中)?(没有|未|并未)(提及|提到|涉及|说明|包含)",
    re.I,
)
MIN_DENSE = 0.2  # below this cosine for every passage, nothing retrieved is about the question


def language_of(text: str) -> str:
    return "zh" if has_cjk(text) else "en"


def clean_question(question: str, max_chars: int) -> str:
    question = _CONTROL.sub(" ", question or "").strip()
    if not question:
        raise BadRequest("question is empty")
    if len(question) > max_chars:
        raise InputTooLarge(f"question is longer than {max_chars} characters")
    return question


def clean_history(history: list[dict], max_turns: int, max_chars: int) -> list[dict]:
    if len(history) > max_turns:
        raise InputTooLarge(f"history has more than {max_turns} messages")
    cleaned = []
    for message in history:
        role, content = message.get("role"), message.get("content")
        if role not in ("user", "assistant") or not isinstance(content, str):
            raise BadRequest("history items need role 'user' or 'assistant' and text content")
        if len(content) > max_chars * 4:
            raise InputTooLarge("a history message is too long")
        cleaned.append({"role": role, "content": _CONTROL.sub(" ", content)})
    return cleaned


def complete(llm: LLM, prompt: Prompt, max_tokens: int) -> str:
    return "".join(llm.stream(prompt, max_tokens=max_tokens)).strip()


def answer_stream(service: "Service", question: str, history: list[dict], k: int,
                  llm_name: str | None) -> Iterator[tuple[str, object]]:
    settings = service.settings
    started = time.perf_counter()
    question = clean_question(question, settings.max_question_chars)
    history = clean_history(history, settings.max_history_turns, settings.max_question_chars)
    lang = language_of(question)
    fallback = False
    try:
        llm = service.llm(llm_name)
    except LLMUnavailable as exc:  # e.g. the local model is not installed
        log.warning("LLM %s cannot start (%s); answering extractively", llm_name or service.settings.llm, exc)
        fallback, llm = True, service.llm("extractive")
    generative = llm.name != "extractive"

    standalone = question
    if history and generative:
        try:
            standalone = _condense(llm, question, history, lang)
        except LLMUnavailable as exc:  # the answer call would fail the same way: skip it
            log.warning("LLM %s failed while condensing (%s); answering extractively", llm.name, exc)
            fallback, llm, generative = True, service.llm("extractive"), False
    if history and not generative:
        standalone = condense(question, history)
    yield "meta", {"standalone_question": standalone, "llm": llm.name}

    t_retrieve = time.perf_counter()
    passages = service.retriever().search(standalone, k)
    retrieve_ms = (time.perf_counter() - t_retrieve) * 1000

    t_generate = time.perf_counter()
    excerpts, relevant = None, _relevant(passages)
    if generative and relevant:
        # The extractive ranking gates the model: nothing close to an answer -> refuse
        # without asking; otherwise the model reads only the best sentences.
        excerpts = service.llm("extractive").excerpts(standalone, passages, settings.context_sentences)
        relevant = excerpts is not None
    prompt = prompts.answer_prompt(standalone, passages, lang, excerpts)
    prompt.history = history
    text = REFUSAL
    if relevant:
        try:
            pieces = []
            for piece in llm.stream(prompt, max_tokens=settings.llm_max_tokens):
                pieces.append(piece)
                yield "token", piece
            text = "".join(pieces)
        except LLMUnavailable as exc:
            log.warning("LLM %s failed (%s); answering extractively", llm.name, exc)
            fallback, text = True, complete(service.llm("extractive"), prompt, settings.llm_max_tokens)

    refused = _is_refusal(text)
    verified = verify(text, passages) if not refused else None
    if not refused and not verified.citations and generative and not fallback:
        log.warning("LLM %s gave no supported sentence; answering extractively", llm.name)
        fallback, text = True, complete(service.llm("extractive"), prompt, settings.llm_max_tokens)
        refused = _is_refusal(text)
        verified = verify(text, passages) if not refused else None
    answerable = not refused and bool(verified.citations)
    done = time.perf_counter()
    yield "answer", Answer(
        answer=verified.text if answerable else prompts.refusal(lang),
        answerable=answerable,
        question=question,
        standalone_question=standalone,
        citations=verified.citations if answerable else [],
        llm="extractive" if fallback else llm.name,
        fallback=fallback,
        timings_ms={"retrieve": round(retrieve_ms, 1), "generate": round((done - t_generate) * 1000, 1),
                    "total": round((done - started) * 1000, 1)},
    )


def _relevant(passages: list[Passage]) -> bool:
    return any(p.scores.get("dense", 0.0) >= MIN_DENSE or p.scores.get("bm25", 0.0) > 0 for p in passages)


def _is_refusal(text: str) -> bool:
    head = text.strip()[:160]
    return not head or bool(_MODEL_REFUSALS.search(head))


def _condense(llm: LLM, question: str, history: list[dict], lang: str) -> str:
    """Rewrite a follow-up as a standalone question; the heuristic rewrite stands in when
    the model returns nothing or rambles."""
    rewritten = complete(llm, prompts.condense_prompt(question, history, lang), 96)
    if not rewritten or len(rewritten) > 4 * len(question) + 200:
        return condense(question, history)
    return rewritten.splitlines()[0].strip()
