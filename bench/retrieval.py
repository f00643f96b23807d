"""Retrieval quality (hit@1, hit@5, MRR) of hybrid search and of each ranked list alone, on
every question set, by question language and by direction (a Chinese question whose
evidence is English, and the reverse), with warm search latency through the same
Retriever the service uses."""

from __future__ import annotations

from collections.abc import Callable

from bench.context import Context
from bench.report import Section, table
from qa.evaluation import evaluate_retrieval
from qa.retrieval import SEARCH_MODES

MODES = SEARCH_MODES
GROUPS = ("all", "lang=en", "lang=zh", "dir=zh→en", "dir=en→zh", "dir=same")
K = 5


def ours(ctx: Context, mode: str) -> Callable[[str, int], list]:
    return lambda question, k: ctx.service.search(question, k, mode=mode)


def evaluate_warm(items: list[dict], search: Callable[[str, int], list]) -> dict:
    """``evaluate_retrieval`` after one search, so the first question does not pay for
    loading the model, the dictionaries or the index files."""
    search(items[0]["question"], K)
    return evaluate_retrieval(items, search, K)


def scores(metrics: dict) -> str:
    return " / ".join("–" if metrics[m] is None else f"{metrics[m]:.2f}" for m in ("hit@1", "hit@5", "mrr"))


def run(ctx: Context) -> Section:
    results = {(name, mode): evaluate_warm(items, ours(ctx, mode))
               for name, items in ctx.question_sets.items() for mode in MODES}
    rows = []
    for (name, mode), result in results.items():
        overall = result["metrics"]["all"]
        rows.append([name, mode, overall["n"], overall["hit@1"], overall["hit@5"], overall["mrr"],
                     result["latency_ms_p50"], result["latency_ms_p95"]])
    by_group = []
    for name in ctx.question_sets:
        metrics = {mode: results[(name, mode)]["metrics"] for mode in MODES}
        for group in GROUPS:
            if group in metrics["hybrid"]:
                by_group.append([name, group, metrics["hybrid"][group]["n"]]
                                + [scores(metrics[m][group]) for m in MODES])
    misses = [f"- {name}: “{question}”"
              for name in ctx.question_sets for question in results[(name, "hybrid")]["misses"]]
    sizes = ", ".join(f"{name} {len(items)}" for name, items in ctx.question_sets.items())
    body = "\n\n".join([
        f"Question sets: {sizes} questions (`{ctx.eval_file.name}` and `bench/questions/`); those with evidence "
        "are scored: a hit = a retrieved passage contains an evidence string, whitespace-normalised "
        f"(`qa.evaluation.evaluate_retrieval`), k={K}. Corpus: `{ctx.corpus_dir.name}/`, "
        f"{ctx.service.retriever().reader.chunk_count()} chunks; embedder `{ctx.embedder.name}`. Modes: `hybrid` "
        f"fuses {', '.join(f'`{m}`' for m in ctx.settings.retrievers)} by reciprocal rank and orders "
        "the top k by their best sentence (`qa.ranking.by_best_sentence`, what the service returns); `translated` "
        "is hybrid over a Chinese question with the local model's English rendering beside it, what answers "
        "retrieve with (English questions search as in hybrid; its latency includes the model call); each other "
        "mode is one list alone (`sentences` ranks a chunk by its best sentence vector). Latency: one query at a "
        "time after one warm-up search and with the collection's sentence vectors loaded, as a running service "
        "has them, including the query embedding (all but bm25).",
        table(["set", "mode", "n", "hit@1", "hit@5", "MRR", "search p50 ms", "search p95 ms"], rows),
        "By question language and direction (`zh→en`: a Chinese question whose evidence is only in English "
        "documents; `same`: evidence in the question's language), hit@1 / hit@5 / MRR:",
        table(["set", "group", "n", *MODES], by_group),
        "Hybrid + reranker: not measured — no cross-encoder reranker ships offline with this "
        "project (no model may be downloaded at run time), so the fused ranking is the final one.",
        f"Hybrid misses at k={K}:\n\n" + ("\n".join(misses) if misses else "none."),
    ])
    return Section("Retrieval quality", body)
