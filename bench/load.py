"""HTTP load on a real server: concurrent users on /api/search and /api/ask while /healthz
is polled, reporting latency percentiles, throughput and errors.

``python -m bench.load [--duration 10] [--concurrency 4] [--llm extractive|local]``

The server runs as ``qa serve`` in a subprocess on a free loopback port (so the load
driver does not share its interpreter), over a temp index unless one is given, and is
stopped when the run ends. The healthz p99 under load shows whether the event loop stays
free while answers are computed in worker threads. Loopback only; bounded by --duration.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.report import Section
from core.settings import REPO_ROOT
from qa.llm import BACKENDS

QA = [sys.executable, "-m", "qa.cli"]
QUERIES = ["RCEP member economies", "cross-border e-commerce pilot zones", "export control law licences",
           "China-Europe freight trains 2020", "Hainan free trade port services negative list",
           "second-hand car exports", "中欧班列", "Canton Fair online"]
QUESTIONS = ["Which economies signed RCEP?", "How was the 127th Canton Fair held?",
             "What does the export control law regulate?", "When did RCEP enter into force?",
             "How many China-Europe freight trains ran in 2020?", "RCEP有哪些成员国？"]
HEALTH_INTERVAL_S = 0.1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@contextmanager
def server(index_dir: Path, corpus_dir: Path, llm: str, work: Path):
    """``qa serve`` on a free loopback port; yields the base URL, stops it afterwards."""
    port = free_port()
    env = os.environ | {
        "QA_INDEX_DIR": str(index_dir), "QA_CORPUS_DIR": str(corpus_dir), "QA_LLM": llm,
        "QA_FEEDBACK_DB": str(work / "feedback.sqlite"), "QA_RATE_LIMIT_PER_MINUTE": "0",
        "QA_HOST": "127.0.0.1", "QA_PORT": str(port), "QA_LLM_TIMEOUT": "300",
    }
    with open(work / "server.log", "w") as log:
        process = subprocess.Popen([*QA, "serve"], env=env, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"qa serve exited with {process.returncode}; see {work / 'server.log'}")
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("qa serve did not become healthy in time")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _drive(url: str, duration: float, concurrency: int) -> dict:
    records: dict[str, list[float]] = {"search": [], "ask": [], "healthz": []}
    errors: dict[str, int] = {"search": 0, "ask": 0, "healthz": 0}
    queries, questions = itertools.cycle(QUERIES), itertools.cycle(QUESTIONS)
    timeout = httpx.Timeout(600.0, connect=10.0)
    limits = httpx.Limits(max_connections=concurrency + 2)

    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as client:
        async def call(kind: str, method: str, path: str, **kwargs) -> None:
            started = time.perf_counter()
            try:
                response = await client.request(method, path, **kwargs)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            records[kind].append((time.perf_counter() - started) * 1000)
            errors[kind] += not ok

        # One of each first, so the measured run does not include model warm-up.
        await call("search", "POST", "/api/search", json={"query": QUERIES[0]})
        await call("ask", "POST", "/api/ask", json={"question": QUESTIONS[0]})
        for values in records.values():
            values.clear()
        errors.update(dict.fromkeys(errors, 0))

        end = time.monotonic() + duration

        async def user(n: int) -> None:
            for i in itertools.count(n):
                if time.monotonic() >= end:
                    return
                if i % 2:
                    await call("ask", "POST", "/api/ask", json={"question": next(questions)})
                else:
                    await call("search", "POST", "/api/search", json={"query": next(queries), "k": 5})

        async def health() -> None:
            while time.monotonic() < end:
                await call("healthz", "GET", "/healthz")
                await asyncio.sleep(HEALTH_INTERVAL_S)

        started = time.monotonic()
        await asyncio.gather(health(), *(user(n) for n in range(concurrency)))
        elapsed = time.monotonic() - started

    result = {"duration_s": round(elapsed, 1), "concurrency": concurrency, "endpoints": {}}
    for kind, values in records.items():
        result["endpoints"][kind] = {
            "requests": len(values), "errors": errors[kind],
            "p50_ms": round(percentile(values, 50), 1), "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1), "max_ms": round(max(values, default=0), 1),
        }
    served = len(records["search"]) + len(records["ask"])
    result["throughput_rps"] = round(served / elapsed, 2) if elapsed else 0.0
    result["errors"] = errors["search"] + errors["ask"] + errors["healthz"]
    return result


def run_load(duration: float = 10, concurrency: int = 4, llm: str = "extractive", index_dir: Path | None = None,
             corpus_dir: Path = REPO_ROOT / "corpus") -> dict:
    """Build a temp index unless one is given, serve it, drive it; the measurements."""
    with tempfile.TemporaryDirectory(prefix="qa-load-") as tmp:
        work = Path(tmp)
        if index_dir is None:
            index_dir = work / "index"
            env = os.environ | {"QA_INDEX_DIR": str(index_dir), "QA_CORPUS_DIR": str(corpus_dir)}
            subprocess.run([*QA, "index", "build"], env=env, cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL)
        with server(index_dir, corpus_dir, llm, work) as url:
            result = asyncio.run(_drive(url, duration, concurrency))
    return result | {"llm": llm}


def markdown_table(result: dict) -> str:
    rows = ["| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for kind, r in result["endpoints"].items():
        rows.append(f"| {kind} | {r['requests']} | {r['errors']} | {r['p50_ms']} | {r['p95_ms']} | "
                    f"{r['p99_ms']} | {r['max_ms']} |")
    health = result["endpoints"]["healthz"]
    return "\n".join(rows) + (
        f"\n\n{result['concurrency']} concurrent users (search and ask alternating, llm={result['llm']}) for "
        f"{result['duration_s']} s: {result['throughput_rps']} answered requests/s, {result['errors']} errors; "
        f"/healthz p99 under load {health['p99_ms']} ms (polled every {HEALTH_INTERVAL_S} s).\n")


def run(ctx) -> Section:
    """Entry point for ``python -m bench``: the section for RESULTS.md."""
    duration = 5 if ctx.quick else 20
    result = run_load(duration, 4, "extractive", ctx.settings.index_dir, ctx.settings.corpus_dir)
    return Section("HTTP load", markdown_table(result))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds of load (default 10)")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent users (default 4)")
    parser.add_argument("--llm", choices=list(BACKENDS), default="extractive")
    parser.add_argument("--index-dir", type=Path, help="serve this index instead of building a temp one")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= 600 or not 0 < args.concurrency <= 64:
        parser.error("--duration must be in (0, 600] and --concurrency in (0, 64]")
    print(markdown_table(run_load(args.duration, args.concurrency, args.llm, args.index_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
