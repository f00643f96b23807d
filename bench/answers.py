"""Answer quality and latency per LLM backend and question set, through ``Service.ask_stream``
(the path the chat page streams), scored by ``qa.evaluation.evaluate_answers``.

Time to evidence = from the call to the ``EvidenceFound`` event (the cited quotes, or the
refusal); time to answer = to the ``Final`` event. The extractive backend answers every
set; the local model answers them too unless ``--quick``, with the product's default
``generate`` policy, so it is asked only where it adds something (a cross-lingual answer).
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass, field

from bench.context import Context
from bench.report import Section, percentile, table
from qa.evaluation import evaluate_answers
from qa.events import EvidenceFound, Final, Token


@dataclass
class Clock:
    """Milliseconds per question from the call to each event, and what the model did."""

    evidence: list[float] = field(default_factory=list)
    first_token: list[float] = field(default_factory=list)
    answer: list[float] = field(default_factory=list)
    model_asked: int = 0
    model_shown: int = 0


def timed_ask(ctx: Context, llm: str, clock: Clock):
    def ask(question: str):
        started = time.perf_counter()
        first_token, answer = None, None
        for event in ctx.service.ask_stream(question, llm=llm):
            elapsed = (time.perf_counter() - started) * 1000
            if isinstance(event, EvidenceFound):
                clock.evidence.append(elapsed)
            elif isinstance(event, Token) and first_token is None:
                first_token = elapsed
            elif isinstance(event, Final):
                answer = event.answer
                clock.answer.append(elapsed)
        if answer is None:
            raise RuntimeError("the answer stream ended without a final answer")
        if first_token is not None:
            clock.first_token.append(first_token)
        clock.model_asked += "generate" in answer.timings_ms
        clock.model_shown += answer.llm != "extractive"
        return answer

    return ask


def local_available(ctx: Context) -> str | None:
    """Why the local backend cannot run, or None when it can."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (the `local` extra)"
    try:
        ctx.service.llm("local").warm()  # load time is start-up, not answer latency
    except Exception as exc:  # noqa: BLE001 - reported in the results, not raised
        return f"the local model did not load: {exc}"
    return None


def spread(values: list[float]) -> str:
    """``p50 / p95`` in whole milliseconds."""
    if not values:
        return "–"
    return f"{percentile(values, 50):,.0f} / {percentile(values, 95):,.0f}"


def run(ctx: Context) -> Section:
    ctx.service.warm("extractive", background=False)  # as the service does at start-up
    backends, notes = ["extractive"], []
    if ctx.quick:
        notes.append("`local` not run (--quick); the full run answers every set with it.")
    elif missing := local_available(ctx):
        notes.append(f"`local` skipped: {missing}.")
    else:
        backends.append("local")
    rows, results = [], {}
    for llm in backends:
        for name, items in ctx.question_sets.items():
            clock = Clock()
            result = evaluate_answers(items, timed_ask(ctx, llm, clock))
            overall = result["metrics"]["all"]
            rows.append([llm, name, overall["n"], overall["answer_acc"], overall["refusal_precision"],
                         overall["refusal_recall"], overall["false_refusal"], overall["citation_precision"],
                         overall["lang_ok"], f"{clock.model_asked} / {clock.model_shown} / {result['fallbacks']}",
                         spread(clock.evidence), spread(clock.first_token), spread(clock.answer)])
            results[(llm, name)] = result
    groups = list(dict.fromkeys(group for result in results.values() for group in result["metrics"]))
    group_rows = [[group] + [result["metrics"].get(group, {}).get("answer_acc") for result in results.values()]
                  for group in groups]
    wrong = [f"<details><summary>{llm}, {name}: {len(result['wrong'])} wrong</summary>\n\n"
             + "\n".join(f"- “{w['question']}” → {w['answer'][:160]!r}" for w in result["wrong"]) + "\n\n</details>"
             for (llm, name), result in results.items() if result["wrong"]]
    body = "\n\n".join([
        "Answer accuracy: an answerable question's answer contains one alternative of every `answer_all` group. "
        "Refusal P/R: refusals that were right / unanswerable questions refused; false refusal: answerable "
        "questions refused. Citation precision: cited sentences that verification supports. Lang ok: answers "
        "mainly in the question's language (quotes aside). Model asked / shown / fallbacks: answers for which the "
        f"model ran (generate={ctx.settings.generate}), whose text was shown, and whose model failed or did not "
        "verify (the quotes stood). Latency p50 / p95 ms from `Service.ask_stream`, one question at a time, models "
        "loaded: to the evidence event, to the first generated token (only answers where the model ran), and to "
        f"the final answer. The LLM timeout is raised to {ctx.settings.llm_timeout:.0f} s so a busy machine "
        "measures the model, not its fallback.",
        table(["LLM", "set", "n", "answer acc", "refusal P", "refusal R", "false refusal", "citation P", "lang ok",
               "model asked / shown / fallbacks", "evidence ms", "first token ms", "answer ms"], rows),
        "Answer accuracy by group:",
        table(["group"] + [f"{llm} {name}" for llm, name in results], group_rows),
        *notes,
        "Wrong answers:\n\n" + ("\n\n".join(wrong) if wrong else "none"),
    ])
    return Section("Answer quality and latency", body)
