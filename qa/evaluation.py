"""Evaluate retrieval and answers on a JSONL question set (the format of shared/eval/dev.jsonl).

Each line: question, lang, kind, evidence (verbatim strings; a retrieved passage must
contain one) and answer_all (groups; the answer must contain one alternative of each).
Scores are reported overall and per kind and per language.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from qa.errors import BadRequest
from qa.support import supports

_SPACE = re.compile(r"\s+")
REQUIRED = ("question",)


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def load_questions(path: Path) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        raise BadRequest(f"no such file: {path}")
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadRequest(f"{path.name} line {number}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise BadRequest(f"{path.name} line {number}: needs a 'question' string")
        item.setdefault("kind", "unknown")
        item.setdefault("lang", "en")
        item.setdefault("evidence", [])
        item.setdefault("answer_all", [])
        items.append(item)
    if not items:
        raise BadRequest(f"{path.name} has no questions")
    return items


def _groups(items: list[dict]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        for key in ("all", f"kind={item['kind']}", f"lang={item['lang']}"):
            groups[key].append(i)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[0])))


def evaluate_retrieval(items: list[dict], search: Callable[[str, int], list], k: int = 5) -> dict:
    """hit@1, hit@5, MRR on the questions that have evidence, plus search latency."""
    scored = [it for it in items if it["evidence"]]
    ranks, latencies = [], []
    for item in scored:
        started = time.perf_counter()
        results = search(item["question"], k)
        latencies.append((time.perf_counter() - started) * 1000)
        evidence = [normalise(e) for e in item["evidence"]]
        rank = next((r for r, p in enumerate(results, start=1) if any(e in normalise(p.text) for e in evidence)), None)
        ranks.append(rank)
    table = {}
    for name, members in _groups(scored).items():
        rs = [ranks[i] for i in members]
        table[name] = {
            "n": len(rs),
            "hit@1": round(sum(r == 1 for r in rs) / len(rs), 3),
            "hit@5": round(sum(r is not None and r <= 5 for r in rs) / len(rs), 3),
            "mrr": round(sum(1 / r for r in rs if r) / len(rs), 3),
        }
    return {"metrics": table, "latency_ms_p50": _p(latencies, 50), "misses": [
        scored[i]["question"] for i, r in enumerate(ranks) if r is None]}


def answer_correct(item: dict, answer) -> bool:
    if item["kind"] == "unanswerable" or not item["answer_all"]:
        return not answer.answerable
    text = answer.answer.lower()
    return answer.answerable and all(any(alt.lower() in text for alt in group) for group in item["answer_all"])


def citation_precision(answer) -> tuple[int, int]:
    """(supported, total) over (sentence, cited passage) pairs in the answer."""
    from qa.citations import MARKER, strip_markers
    from qa.support import sentence_spans

    by_number = {c.n: c for c in answer.citations}
    good = total = 0
    for start, end in sentence_spans(answer.answer):
        sentence = answer.answer[start:end]
        claim = strip_markers(sentence)
        for group in MARKER.findall(sentence):
            for number in re.split(r"\s*[,，、;]\s*", group):
                citation = by_number.get(int(number))
                total += 1
                good += bool(citation and supports(claim, citation.text))
    return good, total


def evaluate_answers(items: list[dict], ask: Callable[[str], object]) -> dict:
    rows = []
    for item in items:
        started = time.perf_counter()
        answer = ask(item["question"])
        elapsed = (time.perf_counter() - started) * 1000
        good, total = citation_precision(answer)
        rows.append({"correct": answer_correct(item, answer), "good": good, "total": total, "ms": elapsed,
                     "refusal": item["kind"] == "unanswerable", "fallback": answer.fallback,
                     "question": item["question"], "answer": answer.answer})
    table = {}
    for name, members in _groups(items).items():
        rs = [rows[i] for i in members]
        answerable = [r for r in rs if not r["refusal"]]
        refusals = [r for r in rs if r["refusal"]]
        cited = sum(r["total"] for r in rs)
        table[name] = {
            "n": len(rs),
            "answer_acc": round(sum(r["correct"] for r in answerable) / len(answerable), 3) if answerable else None,
            "refusal_acc": round(sum(r["correct"] for r in refusals) / len(refusals), 3) if refusals else None,
            "citation_precision": round(sum(r["good"] for r in rs) / cited, 3) if cited else None,
            "p50_ms": _p([r["ms"] for r in rs], 50),
        }
    return {"metrics": table, "latency_ms_p95": _p([r["ms"] for r in rows], 95),
            "fallbacks": sum(r["fallback"] for r in rows),
            "wrong": [{"question": r["question"], "answer": r["answer"]} for r in rows if not r["correct"]]}


def _p(values: list[float], pct: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[pct - 1], 1)


def format_table(result: dict) -> str:
    metrics = result["metrics"]
    columns = list(next(iter(metrics.values())).keys())
    lines = ["group".ljust(20) + "".join(c.rjust(20) for c in columns)]
    for name, row in metrics.items():
        lines.append(name.ljust(20) + "".join(("-" if row[c] is None else str(row[c])).rjust(20) for c in columns))
    return "\n".join(lines)
