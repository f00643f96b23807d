"""The answer pipeline as named steps:
understand (clean, choose the backends, condense) → retrieve → rank sentences → decide
(answerable?) → gather evidence → judge (does a model reading the quotes agree?) →
generate (only when it adds value) → verify → respond.

Each step is a small function with a typed result; the run streams typed events
(``qa.events``): the verified evidence comes first, in milliseconds, before any model
is asked; a generated answer follows only when the policy says it adds something (a
cross-lingual answer, a follow-up), and only its verified sentences are kept. A model
that fails, times out or writes nothing verifiable leaves the evidence standing, and
the answer says which of these happened.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from core.errors import BadRequest, InputTooLarge, LLMTimeout, LLMUnavailable
from qa import answerability, prompts
from qa.answer_types import Answer, Evidence
from qa.asked import carries, restates, unfilled
from qa.citations import UNCHECKED, Verified, verify
from qa.condense import accept_rewrite, join_with_previous
from qa.events import Event, EvidenceFound, Final, Meta, Token
from qa.evidence import Quote, build_evidence, choose_quotes, marked, numbered
from qa.llm import LLM, Prompt
from qa.passages import Passage
from qa.ranking import RankedSentence
from textkit.language import in_language, language_of
from textkit.numbers import rescaled, zh_scales
from textkit.sentences import join_sentences

if TYPE_CHECKING:
    from core.settings import Settings
    from qa.service import Service

log = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
CONDENSE_TOKENS = 96
# Why no generated answer stands, in the asker's language (English, Chinese).
FALLBACKS = {
    "failed": ("the model failed, so the answer quotes the documents", "模型出错，因此回答直接引用文件原文"),
    "timed_out": ("the model timed out, so the answer quotes the documents", "模型超时，因此回答直接引用文件原文"),
    "not_verified": ("the model's answer did not pass verification, so the answer quotes the documents",
                     "模型的回答未通过核验，因此回答直接引用文件原文"),
    "unanswered": ("the model's answer did not give what was asked, so the answer quotes the documents",
                   "模型的回答没有给出所问的内容，因此回答直接引用文件原文"),
    "cannot_start": ("the model could not start ({}), so the answer quotes the documents",
                     "模型无法启动（{}），因此回答直接引用文件原文"),
}


@dataclass
class Turn:
    """One question as the pipeline understands it."""

    question: str
    standalone: str
    lang: str
    history: list[dict]
    llm: LLM
    judge: LLM | None = None  # reads the quotes to confirm they answer (qa.answerability.confirm)
    rendering: str = ""  # a Chinese question's English rendering, searched and ranked with it
    fallback_reason: str = ""
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Generated:
    text: str = ""
    failure: str = ""  # a key of FALLBACKS


def _fall_back(turn: Turn, why: str, detail: str = "") -> None:
    turn.fallback_reason = in_language(FALLBACKS[why], turn.lang).format(detail)


def run(service: Service, question: str, history: list[dict], k: int,
        llm_name: str | None) -> Generator[Event, None, None]:
    started = time.perf_counter()
    settings = service.settings
    turn = understand(service, question, history, llm_name)
    yield Meta(turn.standalone, turn.llm.name, turn.lang, turn.judge.name if turn.judge else "")

    own_words, shown = None, None
    if service.translates(turn.standalone):
        own_words, shown = yield from evidence_while_translating(service, turn, k, started)
        translate(service, turn)
    found = find_evidence(service, turn, k, own_words)
    if found.evidence != shown:
        turn.timings.setdefault("first_evidence", _ms(started))
        yield EvidenceFound(found.evidence)
    found = judge(turn, found, settings)
    evidence = found.evidence

    if not evidence.answerability.answerable or not should_generate(settings, turn, evidence):
        yield Final(respond(turn, evidence, started))
        return
    ask = model_task(turn, found, settings)
    if ask.before:  # shown while the model translates the rest
        yield Token(ask.before if turn.lang == "zh" else ask.before + " ")
    generated = yield from generate(turn, ask.prompt, settings)
    if generated.failure:
        _fall_back(turn, generated.failure)
        yield Final(respond(turn, evidence, started))
        return
    # A translation's slip on a figure (1.8 million as 1.8亿, a day added to a month) is set right.
    text = rescaled(generated.text, ask.translates, turn.lang) if ask.translates else generated.text
    with _timed(turn, "verify"):
        own = verify(text, ask.numbered, service.checker)
        verified = (verify(join_sentences([ask.before, text, ask.after]), ask.numbered, service.checker)
                    if ask.before or ask.after else own)
    rejected = rejection(turn.standalone, own, verified, evidence, ask)
    if rejected:
        _fall_back(turn, rejected)
    answer = respond(turn, evidence, started)
    answer.sentences = verified.sentences
    if not rejected:
        # Figures in Chinese counts after verification, which read them either way: the
        # multilingual embedding scores "180万" further from "1.8 million" than "1.8百万".
        text = zh_scales(verified.text) if turn.lang == "zh" else verified.text
        answer.answer, answer.citations, answer.llm = text, verified.citations, turn.llm.name
    yield Final(answer)


# --- steps ----------------------------------------------------------------------------------

@dataclass
class Found:
    """What retrieval and ranking found for a turn, and the evidence made of it."""

    passages: list[Passage]
    ranked: list[RankedSentence]
    quotes: list[Quote]
    evidence: Evidence


def find_evidence(service: Service, turn: Turn, k: int, own: Found | None = None) -> Found:
    """Retrieve, rank sentences, decide answerability and quote: all before any model.
    ``own``: what the question's own words found before its rendering was known."""
    settings = service.settings
    with _timed(turn, "retrieve"):
        passages, ranked = service.find_either(turn.standalone, turn.rendering, k,
                                               (own.passages, own.ranked) if own else None)
    with _timed(turn, "evidence"):
        decision = answerability.decide(turn.standalone, ranked, passages, service.retriever(), settings)
        quotes = choose_quotes(ranked, passages, settings.evidence_quotes, leads=decision.leads)
        evidence = build_evidence(quotes, passages, decision.verdict, turn.lang)
    return Found(passages, ranked, quotes, evidence)


def evidence_while_translating(service: Service, turn: Turn, k: int,
                               started: float) -> Generator[Event, None, tuple[Found, Evidence | None]]:
    """The quotes the question's own words find, shown while the model translates it (a
    second or two on two cores), so a Chinese asker sees cited evidence as soon as an
    English one does. Only quotes: a refusal is not shown, since the rendering may yet find
    what the own words missed. The evidence found with the rendering follows when it
    differs (the page, Slack and the CLI show the latest). Measured on the 245 Chinese
    questions of the 8 sets over the shipped corpus, with the model's renderings: of the
    171 answerable, 168 show quotes at once, and the rendering keeps their lead quote for
    146 and replaces it for 21 (1 becomes a refusal); of the 74 near misses, 56 show
    nothing before the rendering's evidence and 18 show quotes at once, which for 16 of
    them the rendering's evidence also gives (the judge reads them next, as it reads an
    English question's). Returns what the own words found, which the search with the
    rendering is weighed against (``Service.find_either``), and the evidence shown."""
    own = find_evidence(service, turn, k)
    if not own.evidence.answerability.answerable:
        return own, None
    turn.timings["first_evidence"] = _ms(started)
    yield EvidenceFound(own.evidence)
    return own, own.evidence


def translate(service: Service, turn: Turn) -> None:
    """A Chinese question is searched and ranked with its English rendering beside its own
    words (``Service.rendering``). e5-small matches a Chinese question to the English
    sentence that answers it weakly (centred cosines of 0.1-0.2), and a dictionary gloss
    reads word by word; the model translates the question as a whole. Measured on the 77
    Chinese questions of dev, tune and held-out with evidence: hit@1 0.714 -> 0.857, hit@5
    0.974 both ways, about 1.2 s each. English questions are left alone: the 1.5B model's
    Chinese renderings moved as many English questions down as up."""
    with _timed(turn, "translate"):
        turn.rendering = service.rendering(turn.standalone)


def judge(turn: Turn, found: Found, settings: Settings) -> Found:
    """The judge model reads what the answer's model would (the quotes and the next best
    sentences) and says whether they state what is asked; a refusal empties the evidence.
    A judge that fails leaves the fast decision standing."""
    if turn.judge is None or not found.evidence.answerability.answerable:
        return found
    sources, _ = model_sources(found.quotes, found.ranked, found.passages, settings.context_sentences)
    with _timed(turn, "judge"):
        try:
            judged = turn.judge.yes_probability(prompts.judge_prompt(turn.standalone, sources, turn.lang))
        except LLMUnavailable as exc:
            log.warning("judge %s failed (%s); the fast decision stands", turn.judge.name, exc)
            judged = None
    verdict = answerability.confirm(turn.standalone, found.evidence.answerability, judged, settings)
    return replace(found, evidence=build_evidence(found.quotes, found.passages, verdict, turn.lang))


@dataclass
class ModelTask:
    """What the model is asked, and how its text becomes the answer."""

    prompt: Prompt
    numbered: list[Passage]  # the passages its [n] numbers refer to
    translates: str = ""  # the quotes the model translates ("" when it answers from them)
    before: str = ""  # quotes already in the asker's language, kept verbatim around the model's text
    after: str = ""


def model_task(turn: Turn, found: Found, settings: Settings) -> ModelTask:
    """Quotes in the other language are translated, those in the asker's kept verbatim
    (in quoting order, before or after the translation); a follow-up, or a same-language
    answer when ``generate`` is "always", is answered from the quotes and the next best
    sentences."""
    if turn.history or all(language_of(q.text) == turn.lang for q in found.quotes):
        sources, passages = model_sources(found.quotes, found.ranked, found.passages, settings.context_sentences)
        return ModelTask(prompts.answer_prompt(turn.standalone, sources, turn.lang, found.evidence.text), passages)
    before: list[str] = []  # kept verbatim, before the first quote to translate
    foreign: list[str] = []  # translated
    after: list[str] = []  # kept verbatim, after it
    for n, q in numbered(found.quotes):
        if language_of(q.text) != turn.lang:
            foreign.append(marked(n, q))
        else:
            (after if foreign else before).append(marked(n, q))
    translates = join_sentences(foreign)
    _, passages = model_sources(found.quotes, [], found.passages, len(found.quotes))
    return ModelTask(prompts.translation_prompt(turn.standalone, translates, turn.lang, found.evidence.text),
                     passages, translates, join_sentences(before), join_sentences(after))


def understand(service: Service, question: str, history: list[dict], llm_name: str | None) -> Turn:
    """Clean the input, choose the backends (the extractive one when the chosen one cannot
    start; the judge, if any) and make a follow-up standalone."""
    settings = service.settings
    question = clean_question(question, settings.max_question_chars)
    history = clean_history(history, settings.max_history_turns, settings.max_question_chars)
    turn = Turn(question, question, language_of(question), history, service.llm("extractive"), service.judge())
    try:
        turn.llm = service.llm(llm_name)
    except LLMUnavailable as exc:  # e.g. the local model is not installed
        log.warning("LLM %s cannot start (%s); answering from the quotes", llm_name or settings.llm, exc)
        _fall_back(turn, "cannot_start", exc.message)
    if not history:
        return turn
    if turn.llm.generative:
        with _timed(turn, "condense"):
            try:
                rewritten = "".join(turn.llm.stream(prompts.condense_prompt(question, history, turn.lang),
                                                    max_tokens=CONDENSE_TOKENS))
                turn.standalone = accept_rewrite(rewritten, question, history)
                return turn
            except LLMUnavailable as exc:  # the answer call would fail the same way: skip it
                log.warning("LLM %s failed while condensing (%s)", turn.llm.name, exc)
                _fall_back(turn, "timed_out" if isinstance(exc, LLMTimeout) else "failed")
                turn.llm = service.llm("extractive")
    turn.standalone = join_with_previous(question, history)
    return turn


def should_generate(settings: Settings, turn: Turn, evidence: Evidence) -> bool:
    """Ask a model only when it adds something the quotes cannot: an answer in the asker's
    language from sources in the other one, or an answer to a follow-up."""
    if not turn.llm.generative or settings.generate == "never":
        return False
    if settings.generate == "always":
        return True
    return evidence.quote_language != turn.lang or bool(turn.history)


def model_sources(quotes: list[Quote], ranked: list[RankedSentence], passages: list[Passage],
                  budget: int) -> tuple[list[tuple[int, str]], list[Passage]]:
    """What the model reads: the quoted sentences, then the next best ranked, up to
    ``budget``, numbered by passage as the evidence's citations are (quoted passages
    first). Returns the numbered sources and the passages in number order."""
    picked = [(q.passage, q.span, q.text) for q in quotes]
    for r in ranked:
        if len(picked) >= budget:
            break
        if all((r.passage, r.span) != (p, s) for p, s, _ in picked):
            picked.append((r.passage, r.span, r.text))
    order: list[int] = []
    for index, _, _ in picked:
        if index not in order:
            order.append(index)
    sources: list[tuple[int, str]] = []
    for number, index in enumerate(order, start=1):
        sentences = sorted((span, text) for p, span, text in picked if p == index)
        sources.append((number, " … ".join(text for _, text in sentences)))
    return sources, [passages[i] for i in order]


def generate(turn: Turn, prompt: Prompt, settings: Settings) -> Generator[Event, None, Generated]:
    """Stream the model's words as tokens; a failure becomes the reason the quotes stand."""
    pieces: list[str] = []
    started = time.perf_counter()
    try:
        for piece in turn.llm.stream(prompt, max_tokens=settings.llm_max_tokens):
            if not pieces:
                turn.timings["first_token"] = _ms(started)
            pieces.append(piece)
            yield Token(piece)
    except LLMTimeout as exc:
        log.warning("LLM %s timed out (%s)", turn.llm.name, exc)
        return Generated(failure="timed_out")
    except LLMUnavailable as exc:
        log.warning("LLM %s failed (%s)", turn.llm.name, exc)
        return Generated(failure="failed")
    finally:
        turn.timings["generate"] = _ms(started)
    return Generated(text="".join(pieces).strip())


def rejection(question: str, own: Verified, verified: Verified, evidence: Evidence, ask: ModelTask) -> str:
    """Why the verified answer does not replace the quotes (a key of FALLBACKS), or "".
    ``own`` is the model's text verified alone: quotes kept verbatim beside it do not make
    it pass. A translation must keep the lead quote (the best sentence, quoted first) when
    it translates it: asked which accounts foreign individuals may open in Hainan, the
    local model's rendering of the quote that names them lost its "without" and was
    dropped, and the translation of the circular's second quote alone answered nothing
    (not verified; "unanswered" when nothing it kept cites the lead's passage).
    Every sentence kept is supported, yet the answer may restate the wrong one: asked when
    RCEP talks began, the local model copied the sentence on its signing, verbatim, in
    place of the quote that gives 2013. When the quotes give the kind of fact asked for (a
    date, a figure, a place…) the answer must give one too; and it must say more than the
    question."""
    if not own.citations:
        return "not_verified"
    if ask.translates and not ask.before:  # the lead is translated first: its rendering opens the text
        lead = evidence.citations[0].chunk_id if evidence.citations else ""
        opening = next((s for s in own.sentences if s.reason not in UNCHECKED), None)
        if opening is not None and not opening.supported:
            return "not_verified"
        if lead not in {c.chunk_id for c in own.citations}:
            return "unanswered"
    if restates(question, verified.text):
        return "unanswered"
    if unfilled(question, verified.text) and not unfilled(question, evidence.text) and not (
            ask.translates and carries(question, ask.translates, verified.text)):
        return "unanswered"
    return ""


def respond(turn: Turn, evidence: Evidence, started: float) -> Answer:
    """The answer as the evidence gives it: the quotes, or the refusal with its reason."""
    answerable = evidence.answerability.answerable and bool(evidence.citations)
    turn.timings["total"] = _ms(started)
    return Answer(
        answer=evidence.text if answerable else prompts.refusal(turn.lang),
        answerable=answerable,
        question=turn.question,
        standalone_question=turn.standalone,
        language=turn.lang,
        citations=evidence.citations if answerable else [],
        evidence=evidence,
        answerability=evidence.answerability,
        llm="extractive",
        fallback=bool(turn.fallback_reason),
        fallback_reason=turn.fallback_reason,
        timings_ms={name: round(value, 1) for name, value in turn.timings.items()},
    )


# --- input ----------------------------------------------------------------------------------

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


class _timed:
    """``with _timed(turn, "retrieve"):`` records the block's milliseconds in the turn."""

    def __init__(self, turn: Turn, name: str):
        self.turn, self.name = turn, name

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc) -> None:
        self.turn.timings[self.name] = _ms(self.started)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
