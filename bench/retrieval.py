"""Retrieval quality (hit@1, hit@5, MRR) per mode on the evaluation set, and warm search
latency of one query at a time through the same Retriever the service uses."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.context import Context
from bench.report import Section, percentile, table
from qa.evaluation import evaluate_retrieval

MODES = ("dense", "bm25", "hybrid")
LATENCY_ROUNDS = {True: 3, False: 10}  # passes over the question set, per --quick


def search_latency(ctx: Context, searches: dict[str, Callable[[str], object]]) -> dict[str, list[float]]:
    """Milliseconds per search, after a warm-up pass. The searches take turns question by
    question, so a burst of load from another process on this shared machine hits them alike."""
    questions = [item["question"] for item in ctx.questions]
    for question in questions:
        for search in searches.values():
            search(question)
    times: dict[str, list[float]] = {name: [] for name in searches}
    for _ in range(LATENCY_ROUNDS[ctx.quick]):
        for question in questions:
            for name, search in searches.items():
                started = time.perf_counter()
                search(question)
                times[name].append((time.perf_counter() - started) * 1000)
    return times


def ours(ctx: Context, mode: str) -> Callable[[str], object]:
    retriever = ctx.service.retriever()
    return lambda question: retriever.search(question, 5, mode=mode)


def run(ctx: Context) -> Section:
    results, rows = {}, []
    times = search_latency(ctx, {mode: ours(ctx, mode) for mode in MODES})
    for mode in MODES:
        result = evaluate_retrieval(ctx.questions, lambda q, k, mode=mode: ctx.service.search(q, k, mode))
        results[mode] = result
        overall = result["metrics"]["all"]
        rows.append([mode, overall["n"], overall["hit@1"], overall["hit@5"], overall["mrr"],
                     percentile(times[mode], 50), percentile(times[mode], 95)])
    groups = [name for name in results["hybrid"]["metrics"] if name != "all"]
    by_group = [[name] + [results[m]["metrics"][name][metric] for m in MODES for metric in ("hit@1", "hit@5")]
                for name in groups]
    misses = results["hybrid"]["misses"]
    body = "\n\n".join([
        f"{len(ctx.questions)} questions from `{ctx.eval_file.name}`; those with evidence are scored "
        f"(a hit = a retrieved passage contains an evidence string, whitespace-normalised; "
        f"`qa.evaluation.evaluate_retrieval`). Corpus: `{ctx.corpus_dir.name}/`, "
        f"{ctx.service.retriever().reader.chunk_count()} chunks. Latency: warm, one query at a time, "
        f"{LATENCY_ROUNDS[ctx.quick]} passes over the questions with the modes taking turns, k=5, "
        f"including query embedding (dense and hybrid).",
        table(["mode", "n", "hit@1", "hit@5", "MRR", "search p50 ms", "search p95 ms"], rows),
        "By question kind and language (hit@1 / hit@5):",
        table(["group"] + [f"{m} {metric}" for m in MODES for metric in ("hit@1", "hit@5")], by_group),
        "Hybrid + reranker: not measured — no cross-encoder reranker ships offline with this "
        "project (no model may be downloaded at run time), so hybrid RRF is the final ranking.",
        "Hybrid misses at k=5: " + ("; ".join(f"“{q}”" for q in misses) if misses else "none."),
    ])
    return Section("Retrieval quality", body)
