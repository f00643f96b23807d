"""Write the embedding model's reference vectors (index/reference/), used by ``Centring``.

    python -m bench.reference [QUESTIONS]   (default: bench/questions/tune.jsonl)

``MODEL-means.json``: each language's mean sentence vector in the shipped corpus (the live
index's centring), the fallback for a language a collection has too few sentences of.
``MODEL-questions.json``: each language's mean question vector (e5's ``query: `` side) over
the tuning questions only, so the other question sets still measure the shift held out.
Run on an index built from ``corpus/`` with the default settings.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from core.settings import Settings
from index.embedding import REFERENCE_DIR, languages
from qa.evaluation import load_questions
from qa.service import Service

DEFAULT_QUESTIONS = Path(__file__).resolve().parent / "questions" / "tune.jsonl"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="?", type=Path, default=DEFAULT_QUESTIONS)
    args = parser.parse_args(argv)
    settings = Settings()
    service = Service(settings)
    questions = [item["question"] for item in load_questions(args.questions)]
    vectors = service.embedder.encode_queries(questions)
    asked = languages(questions)
    means = {lang: vectors[[i for i, x in enumerate(asked) if x == lang]].mean(axis=0) for lang in sorted(set(asked))}
    passages = service.retriever().reader.centring.means
    for kind, vectors_by_language in (("means", passages), ("questions", means)):
        path = REFERENCE_DIR / f"{settings.embedding_model}-{kind}.json"
        path.write_text(json.dumps({lang: np.round(v, 6).tolist() for lang, v in vectors_by_language.items()}),
                        encoding="utf-8")
        print(f"wrote {path} ({', '.join(sorted(vectors_by_language))})")


if __name__ == "__main__":
    main()
