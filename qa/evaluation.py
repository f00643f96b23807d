"""Score retrieval and answers on a JSONL question set (shared/eval/dev.jsonl, bench/questions/).

Each line: question, lang, kind, evidence (verbatim corpus strings; a retrieved passage
must contain one) and answer_all (groups; a correct answer contains one alternative of
every group). An item with no evidence and no groups, or of kind ``unanswerable``, must be
refused. Scores are reported overall and per kind, language and direction; the direction
(``zh→en``: a Chinese question whose evidence is English) is derived from the data, never
read from the file.

This module measures; it must not decide anything the product decides (answerability,
support): it reads those verdicts off the answer, and falls back to ``qa.support`` only for
answers that carry no per-sentence verdicts.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.errors import BadRequest
from textkit.language import has_cjk, language_of
from textkit.sentences import sentence_spans

_SPACE = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z]")
# Quoted text keeps the source's language, so it does not count against the answer's.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|「[^」]*」|『[^』]*』")
LANGUAGES = ("en", "zh")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


# -- loading -----------------------------------------------------------------------------

def load_questions(path: Path) -> list[dict]:
    """Items with defaults filled in; a malformed line fails with one line naming it."""
    path = Path(path)
    if not path.is_file():
        raise BadRequest(f"no such file: {path}")
    items, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadRequest(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str) or not item["question"].strip():
            raise BadRequest(f"{where}: needs a 'question' string")
        item.setdefault("kind", "unknown")
        item.setdefault("lang", language_of(item["question"]))
        item.setdefault("evidence", [])
        item.setdefault("answer_all", [])
        _check(item, where)
        if "id" in item:
            if item["id"] in seen:
                raise BadRequest(f"{where}: duplicate id {item['id']!r}")
            seen.add(item["id"])
        items.append(item)
    if not items:
        raise BadRequest(f"{path.name} has no questions")
    return items


def _check(item: dict, where: str) -> None:
    if item["lang"] not in LANGUAGES:
        raise BadRequest(f"{where}: 'lang' must be one of {', '.join(LANGUAGES)}")
    if not _strings(item["evidence"]):
        raise BadRequest(f"{where}: 'evidence' must be a list of strings")
    groups = item["answer_all"]
    if not isinstance(groups, list) or not all(_strings(g) and g for g in groups):
        raise BadRequest(f"{where}: 'answer_all' must be a list of non-empty lists of strings")
    if item["kind"] == "unanswerable" and (item["evidence"] or groups):
        raise BadRequest(f"{where}: an unanswerable question has no evidence and no answer_all")


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


# -- what an item is -------------------------------------------------------------------------

def is_answerable(item: dict) -> bool:
    return item.get("kind") != "unanswerable" and bool(item.get("evidence") or item.get("answer_all"))


def question_language(item: dict) -> str:
    return item.get("lang") or language_of(item["question"])


def direction(item: dict) -> str:
    """``zh→en``/``en→zh`` when all evidence is in the other language than the question,
    ``same`` when some evidence is in the question's language, ``none`` when unanswerable."""
    if not is_answerable(item) or not item.get("evidence"):
        return "none"
    asked = question_language(item)
    found = {language_of(e) for e in item["evidence"]}
    if asked in found:
        return "same"
    return f"{asked}→{found.pop()}"


def _groups(items: list[dict]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        keys = ["all", f"kind={item.get('kind', 'unknown')}", f"lang={question_language(item)}"]
        way = direction(item)
        if way != "none":  # dir=none: the unanswerable questions again
            keys.append(f"dir={way}")
        for key in keys:
            groups[key].append(i)
    order = ("all", "kind=", "lang=", "dir=")
    return dict(sorted(groups.items(), key=lambda kv: (next(i for i, p in enumerate(order) if kv[0].startswith(p)),
                                                        kv[0])))


# -- retrieval -------------------------------------------------------------------------------

def rank_of(evidence: list[str], passages: list) -> int | None:
    """1-based rank of the first passage containing one evidence string, else None."""
    wanted = [normalise(e) for e in evidence]
    return next((r for r, p in enumerate(passages, start=1)
                 if any(e in normalise(p.text) for e in wanted)), None)


def evaluate_retrieval(items: list[dict], search: Callable[[str, int], list], k: int = 5) -> dict:
    """hit@1, hit@5, MRR and search latency on the questions that have evidence."""
    scored = [it for it in items if it.get("evidence")]
    ranks, latencies = [], []
    for item in scored:
        started = time.perf_counter()
        results = search(item["question"], k)
        latencies.append((time.perf_counter() - started) * 1000)
        ranks.append(rank_of(item["evidence"], results))
    table = {}
    for name, members in _groups(scored).items():
        rs = [ranks[i] for i in members]
        ms = [latencies[i] for i in members]
        table[name] = {
            "n": len(rs),
            "hit@1": _share(sum(r == 1 for r in rs), len(rs)),
            "hit@5": _share(sum(r is not None and r <= 5 for r in rs), len(rs)),
            "mrr": _share(sum(1 / r for r in rs if r), len(rs)),
            "p50_ms": _p(ms, 50),
            "p95_ms": _p(ms, 95),
        }
    return {"metrics": table, "latency_ms_p50": _p(latencies, 50), "latency_ms_p95": _p(latencies, 95),
            "misses": [scored[i]["question"] for i, r in enumerate(ranks) if r is None]}


# -- answers ---------------------------------------------------------------------------------

def answer_correct(item: dict, answer) -> bool:
    """A refusal for an unanswerable item; otherwise an answer with one alternative of every group."""
    if not is_answerable(item):
        return not answer.answerable
    text = normalise(answer.answer)
    return bool(answer.answerable) and all(
        any(normalise(alt) in text for alt in group) for group in item.get("answer_all", []))


def main_language(text: str) -> str | None:
    """``zh`` when most letters outside quotes are CJK, ``en`` when most are Latin, None when
    there are no letters to judge."""
    unquoted = _QUOTED.sub(" ", text)
    cjk = sum(has_cjk(ch) for ch in unquoted)
    latin = len(_LATIN.findall(unquoted))
    if not cjk and not latin:
        return None
    return "zh" if cjk >= latin else "en"


def language_ok(item: dict, answer) -> bool:
    """Is the answer mainly in the question's language? (Text without letters passes.)"""
    found = main_language(answer.answer)
    return found is None or found == question_language(item)


def citation_precision(answer) -> tuple[int, int]:
    """(supported, cited) sentences.

    An answer that carries per-sentence verdicts is scored from them: a sentence counts as
    cited when it keeps citation numbers. Otherwise each (sentence, cited passage) pair in
    the text is checked with ``_supports``."""
    verdicts = getattr(answer, "sentences", None) or []
    if verdicts:
        cited = [v for v in verdicts if v.citations]
        return sum(bool(v.supported) for v in cited), len(cited)
    if not answer.citations:
        return 0, 0
    from qa.citations import marker_numbers, strip_markers

    by_number = {c.n: c for c in answer.citations}
    good = total = 0
    for start, end in sentence_spans(answer.answer):
        sentence = answer.answer[start:end]
        claim = strip_markers(sentence)
        for number in marker_numbers(sentence):
            citation = by_number.get(number)
            total += 1
            good += bool(citation and _supports(claim, citation.text))
    return good, total


def _supports(claim: str, passage: str) -> bool:
    """The product's own verbatim check, imported late: qa.verification loads slowly."""
    from qa.verification import quoted

    return quoted(claim, passage)


def evaluate_answers(items: list[dict], ask: Callable[[str], Any]) -> dict:
    """Accuracy, refusal precision/recall, false refusals, citation precision, language of
    the answer, fallbacks and latency, per group."""
    rows = []
    for item in items:
        started = time.perf_counter()
        answer = ask(item["question"])
        elapsed = (time.perf_counter() - started) * 1000
        good, total = citation_precision(answer)
        answered = bool(answer.answerable)
        rows.append({"correct": answer_correct(item, answer), "answerable": is_answerable(item),
                     "refused": not answered, "lang_ok": language_ok(item, answer) if answered else None,
                     "good": good, "total": total, "ms": elapsed, "fallback": bool(answer.fallback),
                     "question": item["question"], "answer": answer.answer})
    table = {name: _answer_metrics([rows[i] for i in members]) for name, members in _groups(items).items()}
    return {"metrics": table,
            "latency_ms_p50": _p([r["ms"] for r in rows], 50),
            "latency_ms_p95": _p([r["ms"] for r in rows], 95),
            "fallbacks": sum(r["fallback"] for r in rows),
            "wrong": [{"question": r["question"], "answer": r["answer"]} for r in rows if not r["correct"]]}


def _answer_metrics(rs: list[dict]) -> dict:
    answerable = [r for r in rs if r["answerable"]]
    unanswerable = [r for r in rs if not r["answerable"]]
    refused = [r for r in rs if r["refused"]]
    answered = [r for r in rs if r["lang_ok"] is not None]
    return {
        "n": len(rs),
        "answer_acc": _share(sum(r["correct"] for r in answerable), len(answerable)),
        "refusal_precision": _share(sum(not r["answerable"] for r in refused), len(refused)),
        "refusal_recall": _share(sum(r["refused"] for r in unanswerable), len(unanswerable)),
        "false_refusal": _share(sum(r["refused"] for r in answerable), len(answerable)),
        "citation_precision": _share(sum(r["good"] for r in rs), sum(r["total"] for r in rs)),
        "lang_ok": _share(sum(r["lang_ok"] for r in answered), len(answered)),
        "fallbacks": sum(r["fallback"] for r in rs),
        "p50_ms": _p([r["ms"] for r in rs], 50),
        "p95_ms": _p([r["ms"] for r in rs], 95),
    }


def _share(part: float, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _p(values: list[float], pct: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[pct - 1], 1)


# -- reporting -------------------------------------------------------------------------------

HEADERS = {"answer_acc": "acc", "refusal_precision": "refuse P", "refusal_recall": "refuse R",
           "false_refusal": "false ref", "citation_precision": "cite P", "lang_ok": "lang ok",
           "fallbacks": "fallback", "p50_ms": "p50 ms", "p95_ms": "p95 ms"}


def format_table(result: dict) -> str:
    """One row per group, one column per metric; None shows as '-'."""
    metrics = result["metrics"]
    if not metrics:
        return "(no questions)"
    columns = list(next(iter(metrics.values())).keys())
    first = max(len("group"), *(len(name) for name in metrics)) + 2
    cells = {name: [_dash(row[c]) for c in columns] for name, row in metrics.items()}
    # As wide as the widest cell: a two-minute p95 ran into its neighbour ("8752.6121232.4").
    widths = [max(len(HEADERS.get(c, c)), 6, *(len(row[i]) for row in cells.values())) + 2
              for i, c in enumerate(columns)]
    lines = ["group".ljust(first) + "".join(HEADERS.get(c, c).rjust(w) for c, w in zip(columns, widths, strict=True))]
    for name, row in cells.items():
        lines.append(name.ljust(first) + "".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def split_report(results_by_split: dict[str, dict]) -> str:
    """Several evaluations (e.g. dev, tune, heldout), each under its own heading."""
    sections = []
    for name, result in results_by_split.items():
        summary = f"p50 {_dash(result.get('latency_ms_p50'))} ms, p95 {_dash(result.get('latency_ms_p95'))} ms"
        if "fallbacks" in result:
            summary += f", fallbacks {result['fallbacks']}, wrong {len(result.get('wrong', []))}"
        if "misses" in result:
            summary += f", misses {len(result['misses'])}"
        sections.append(f"== {name} ==\n{format_table(result)}\n{summary}")
    return "\n\n".join(sections)


def _dash(value) -> str:
    return "-" if value is None else str(value)
