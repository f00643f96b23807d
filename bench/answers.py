"""Answer quality and latency per LLM backend, through ``Service.ask_stream`` (the path the
API streams), scored by ``qa.evaluation.evaluate_answers``.

Time to first token = from the call to the first ``token`` event (for a refusal, which
streams no token, to the final answer). The local GGUF model takes seconds per answer on
this CPU, so ``--quick`` runs it on a subset that keeps every question kind.
"""

from __future__ import annotations

import importlib.util
import time

from bench.context import Context
from bench.report import Section, percentile, table
from qa.evaluation import evaluate_answers

QUICK_LOCAL = 6


def timed_ask(ctx: Context, llm: str, first_token_ms: list[float]):
    def ask(question: str):
        started = time.perf_counter()
        first, answer = None, None
        for kind, value in ctx.service.ask_stream(question, llm=llm):
            if kind == "token" and first is None:
                first = time.perf_counter()
            elif kind == "answer":
                answer = value
        first_token_ms.append(((first or time.perf_counter()) - started) * 1000)
        return answer

    return ask


def subset(items: list[dict], size: int) -> list[dict]:
    """Round-robin over question kinds, so a small subset still has each kind."""
    kinds: dict[str, list[dict]] = {}
    for item in items:
        kinds.setdefault(item["kind"], []).append(item)
    picked = []
    while len(picked) < min(size, len(items)):
        for group in kinds.values():
            if group and len(picked) < size:
                picked.append(group.pop(0))
    return picked


def local_available(ctx: Context) -> str | None:
    """Why the local backend cannot run, or None when it can."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (the `local` extra)"
    try:
        ctx.service.llm("local").warm()  # load time is start-up, not answer latency
    except Exception as exc:  # noqa: BLE001 - reported in the results, not raised
        return f"the local model did not load: {exc}"
    return None


def run(ctx: Context) -> Section:
    rows, groups, notes = [], {}, []
    ctx.service.warm("extractive", background=False)  # as the service does at start-up
    plans = [("extractive", ctx.questions)]
    missing = local_available(ctx)
    if missing:
        notes.append(f"`local` skipped: {missing}.")
    else:
        local_items = subset(ctx.questions, QUICK_LOCAL) if ctx.quick else ctx.questions
        plans.append(("local", local_items))
    for llm, items in plans:
        first_token: list[float] = []
        result = evaluate_answers(items, timed_ask(ctx, llm, first_token))
        overall = result["metrics"]["all"]
        rows.append([llm, overall["n"], overall["answer_acc"], overall["refusal_acc"], overall["citation_precision"],
                     result["fallbacks"], percentile(first_token, 50), percentile(first_token, 95),
                     overall["p50_ms"], result["latency_ms_p95"]])
        groups[llm] = result
    group_names = list(groups["extractive"]["metrics"])
    group_rows = [[name] + [groups[llm]["metrics"].get(name, {}).get("answer_acc") for llm in groups]
                  for name in group_names]
    wrong = [f"- `{llm}`: “{w['question']}” → {w['answer'][:160]!r}" for llm, r in groups.items() for w in r["wrong"]]
    body = "\n\n".join([
        "Accuracy: an answerable question's answer contains one alternative of every `answer_all` group; "
        "refusal accuracy: unanswerable questions refused. Citation precision: (sentence, cited passage) "
        "pairs where the passage supports the sentence. Latency from `Service.ask_stream`, one question at "
        "a time, model already loaded; TTFT = first streamed token. The LLM timeout is raised to "
        f"{ctx.settings.llm_timeout:.0f} s here so a busy machine measures the model, not its fallback; "
        "a fallback is an answer the extractive backend gave because the model's answer had no supported sentence."
        + (f" `local` ran on {QUICK_LOCAL} questions (--quick); the full run uses all." if ctx.quick and "local" in groups else ""),
        table(["LLM", "n", "answer acc", "refusal acc", "citation precision", "fallbacks",
               "TTFT p50 ms", "TTFT p95 ms", "total p50 ms", "total p95 ms"], rows),
        "Answer accuracy by group:",
        table(["group"] + list(groups), group_rows),
        *notes,
        "Wrong answers:\n\n" + ("\n".join(wrong) if wrong else "none"),
    ])
    return Section("Answer quality and latency", body)
