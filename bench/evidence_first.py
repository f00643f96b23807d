"""Evidence first, the model after: where an answer's time goes, against raw llama.cpp.

    python -m bench.evidence_first [--questions N] [--users 4]

1. Stages, run one by one as the pipeline runs them (qa/pipeline.py's own step functions):
   translate (a Chinese question's English rendering), retrieve, evidence (rank + decide
   + quotes), judge (the model reads the quotes: yes or no), first model token, model
   done, verification; with the prompt tokens of every judge call and the prompt and
   output tokens of every generated answer (whose prompt shares the judge's prefix, so
   llama.cpp reads only its last line again).
2. Raw llama.cpp speed measured in the same run on the same model (prompt tok/s, generation
   tok/s), so each answer's model time is compared with what llama.cpp alone needs for
   the same tokens: the pipeline/raw ratio.
3. Time to the first cited evidence through the real HTTP stream (/api/chat on a uvicorn
   server on 127.0.0.1), alone (Chinese questions also apart: their own words' quotes
   stream while the model translates them) and with 4 concurrent users while the model
   is busy.
Printed as markdown tables with the CPU model; bench/RESULTS.md keeps the last run.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import time

import httpx

from bench.report import cpu_model
from core.settings import REPO_ROOT, Settings
from index.build import build_index
from qa import pipeline, prompts
from qa.citations import verify
from qa.evaluation import load_questions
from qa.service import Service
from textkit.language import language_of

SETS = [REPO_ROOT.parent / "shared" / "eval" / "dev.jsonl", REPO_ROOT / "bench" / "questions" / "heldout.jsonl"]


def pct(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def chat_tokens(model, messages: list[dict]) -> int:
    """Prompt tokens as llama.cpp reads them (Qwen's chat template)."""
    text = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages) + "<|im_start|>assistant\n"
    return len(model.tokenize(text.encode(), add_bos=False, special=True))


def raw_speed(model, prompt_tokens: int = 200, gen_tokens: int = 48) -> tuple[float, float]:
    """(prompt tok/s, generation tok/s) of llama.cpp alone, cache cleared."""
    text = ("Trade policy supports exporters and importers across the region. " * 40)
    tokens = model.tokenize(text.encode())[:prompt_tokens]
    model.reset()
    started = time.perf_counter()
    model.eval(tokens)
    prompt_s = time.perf_counter() - started
    started = time.perf_counter()
    made = 0
    for _ in range(gen_tokens):
        token = model.sample(temp=0.0)
        model.eval([token])
        made += 1
    gen_s = time.perf_counter() - started
    model.reset()
    return len(tokens) / prompt_s, made / gen_s


def stages(service: Service, items: list[dict]) -> list[dict]:
    """Each question through the pipeline's steps, timed; the model runs whenever the
    product's policy would run it (cross-lingual, follow-ups), plus on every same-language
    question when the policy is 'always'."""
    settings = service.settings
    local = service.llm("local")
    rows = []
    for item in items:
        row: dict = {"question": item["question"]}
        turn = pipeline.understand(service, item["question"], [], "local")
        if service.translates(turn.standalone):  # a Chinese question: answers search with its rendering
            pipeline.translate(service, turn)
            row["translate"] = turn.timings["translate"]
        found = pipeline.find_evidence(service, turn, settings.top_k)
        row["retrieve"], row["evidence"] = turn.timings["retrieve"], turn.timings["evidence"]
        if found.evidence.answerability.answerable and turn.judge is not None:
            sources, _ = pipeline.model_sources(found.quotes, found.ranked, found.passages, settings.context_sentences)
            judge_prompt = prompts.judge_prompt(turn.standalone, sources, turn.lang)
            row["judge_tokens"] = chat_tokens(local.model, judge_prompt.messages)
        found = pipeline.judge(turn, found, settings)
        if "judge" in turn.timings:
            row["judge"] = turn.timings["judge"]
        evidence = found.evidence
        if not evidence.answerability.answerable or not pipeline.should_generate(settings, turn, evidence):
            rows.append(row)
            continue
        ask = pipeline.model_task(turn, found, settings)
        prompt = ask.prompt
        t = time.perf_counter()
        pieces = []
        for piece in local.stream(prompt, max_tokens=settings.llm_max_tokens):
            if not pieces:
                row["first_token"] = (time.perf_counter() - t) * 1000
            pieces.append(piece)
        row["model"] = (time.perf_counter() - t) * 1000
        text = "".join(pieces)
        t = time.perf_counter()
        verified = verify(text, ask.numbered, service.checker)
        row["verify"] = (time.perf_counter() - t) * 1000
        row["prompt_tokens"] = chat_tokens(local.model, prompt.messages)
        row["output_tokens"] = len(local.model.tokenize(text.encode(), add_bos=False)) if text else 0
        row["kept"] = bool(verified.citations)
        rows.append(row)
    return rows


def stream_evidence_ms(url: str, question: str) -> tuple[float, float]:
    """(ms to the first evidence event, ms to the answer event) through /api/chat."""
    started = time.perf_counter()
    evidence = answer = float("nan")
    with httpx.stream("POST", f"{url}/api/chat", json={"question": question}, timeout=600) as response:
        for line in response.iter_lines():
            if line == "event: evidence" and math.isnan(evidence):
                evidence = (time.perf_counter() - started) * 1000
            elif line == "event: answer":
                answer = (time.perf_counter() - started) * 1000
    return evidence, answer


async def concurrent_evidence(url: str, questions: list[str], users: int, rounds: int) -> list[float]:
    """Evidence latency while ``users`` clients ask at once (the model queue busy with the
    cross-lingual ones)."""
    async def user(offset: int) -> list[float]:
        out = []
        async with httpx.AsyncClient(timeout=600) as client:
            for i in range(rounds):
                question = questions[(offset + i * users) % len(questions)]
                started, first = time.perf_counter(), True
                async with client.stream("POST", f"{url}/api/chat", json={"question": question}) as response:
                    async for line in response.aiter_lines():
                        if line == "event: evidence" and first:
                            out.append((time.perf_counter() - started) * 1000)
                            first = False
        return out

    results = await asyncio.gather(*(user(u) for u in range(users)))
    return [x for r in results for x in r]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=40, help="questions per part (default: %(default)s)")
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    settings = Settings(llm="local", rate_limit_per_minute=0, llm_timeout=300)
    build_index(settings, progress=False)  # incremental: a no-op when the index is current
    service = Service(settings)
    service.warm("local", background=False)
    items = [it for path in SETS for it in load_questions(path)]
    model = service.llm("local").model
    prompt_tps, gen_tps = raw_speed(model)
    rows = stages(service, items[: args.questions * 2])
    generated = [r for r in rows if "model" in r]
    print(f"CPU: {cpu_model()}; raw llama.cpp: prompt {prompt_tps:.1f} tok/s, generation {gen_tps:.1f} tok/s\n")
    print("| stage | p50 ms | p95 ms | n |\n|---|---|---|---|")
    for stage in ("translate", "retrieve", "evidence", "judge", "first_token", "model", "verify"):
        values = [r[stage] for r in rows if stage in r]
        print(f"| {stage} | {pct(values, 50):.1f} | {pct(values, 95):.1f} | {len(values)} |")
    if generated:
        ratios = [r["model"] / (1000 * (r["prompt_tokens"] / prompt_tps + r["output_tokens"] / gen_tps))
                  for r in generated]
        totals = [r.get("translate", 0.0) + r["retrieve"] + r["evidence"] + r.get("judge", 0.0) + r["model"]
                  + r["verify"] for r in generated]
        print(f"\ngenerated answers: {len(generated)} of {len(rows)} questions; prompt tokens p50 "
              f"{pct([r['prompt_tokens'] for r in generated], 50):.0f} "
              f"(max {max(r['prompt_tokens'] for r in generated)}), "
              f"output tokens p50 {pct([r['output_tokens'] for r in generated], 50):.0f}; total p50 "
              f"{pct(totals, 50) / 1000:.2f} s, p95 {pct(totals, 95) / 1000:.2f} s; model time / raw llama.cpp "
              f"for the same tokens p50 {pct(ratios, 50):.2f}; verified and kept {sum(r['kept'] for r in generated)}")
    judged = [r for r in rows if "judge" in r]
    if judged:
        answered = [r.get("translate", 0.0) + r["retrieve"] + r["evidence"] + r["judge"]
                    for r in judged if "model" not in r]
        print(f"\njudged: {len(judged)} of {len(rows)} questions (the rest refused first); judge prompt tokens p50 "
              f"{pct([r['judge_tokens'] for r in judged], 50):.0f}; judge / raw llama.cpp for its tokens p50 "
              f"{pct([r['judge'] / (1000 * r['judge_tokens'] / prompt_tps) for r in judged], 50):.2f}; answers "
              f"from the quotes (no generation) total p50 {pct(answered, 50) / 1000:.2f} s, "
              f"p95 {pct(answered, 95) / 1000:.2f} s")
    from qa.app import create_app
    from tests.live import running  # the loopback uvicorn runner the tests use

    with running(create_app(settings, service)) as url:
        stream_evidence_ms(url, items[0]["question"])  # warm the HTTP path
        single = [stream_evidence_ms(url, it["question"]) for it in items[: args.questions]]
        evidence = [e for e, _ in single]
        answers = [a for _, a in single]
        busy = asyncio.run(concurrent_evidence(url, [it["question"] for it in items], args.users, args.rounds))
    chinese = [e for (e, _), it in zip(single, items, strict=False) if language_of(it["question"]) == "zh"]
    print(f"\nSSE /api/chat, {len(single)} questions one at a time: first evidence p50 {pct(evidence, 50):.0f} ms, "
          f"p95 {pct(evidence, 95):.0f} ms (the {len(chinese)} Chinese ones, translated as they stream: p50 "
          f"{pct(chinese, 50):.0f} ms, p95 {pct(chinese, 95):.0f} ms); answer p50 {pct(answers, 50):.0f} ms, "
          f"p95 {pct(answers, 95):.0f} ms")
    print(f"{args.users} concurrent users x {args.rounds}: evidence p50 {pct(busy, 50):.0f} ms, "
          f"p95 {pct(busy, 95):.0f} ms")


if __name__ == "__main__":
    main()
