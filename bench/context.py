"""What every benchmark shares: settings over a fresh index of the corpus, the loaded
embedder, the service and the question sets, built once per run."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from core.settings import REPO_ROOT, Settings
from index.build import build_index
from index.embedding import Embedder, shared_embedder
from qa.evaluation import load_questions

DEFAULT_EVAL = REPO_ROOT.parent / "shared" / "eval" / "dev.jsonl"
# Our own sets: ``tune`` is what thresholds were fitted on, ``heldout`` was never looked at while tuning.
OWN_SETS = {name: Path(__file__).resolve().parent / "questions" / f"{name}.jsonl" for name in ("tune", "heldout")}
# Generous, so a busy shared machine measures the local model rather than its fallback.
LLM_TIMEOUT_S = 300.0


@dataclass
class Context:
    out_dir: Path
    eval_file: Path = DEFAULT_EVAL
    quick: bool = False
    corpus_dir: Path = REPO_ROOT / "corpus"
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="qa-bench-")))

    @cached_property
    def settings(self) -> Settings:
        """Settings over an index of the corpus built in a temp folder (never the live one)."""
        root = self.work / "shipped"
        settings = Settings(corpus_dir=self.corpus_dir, index_dir=root / "index", feedback_db=root / "feedback.sqlite",
                            llm="extractive", rate_limit_per_minute=0, llm_timeout=LLM_TIMEOUT_S)
        build_index(settings, self.embedder, progress=False)
        return settings

    @cached_property
    def embedder(self) -> Embedder:
        base = Settings()
        return shared_embedder(base.embedding_model, base.embed_batch_size)

    @cached_property
    def service(self):
        """The service with its index and sentence vectors loaded, as it runs after start-up,
        so every section measures search and ranking warm."""
        from qa.service import Service

        service = Service(self.settings, self.embedder)
        service.warm_index(background=False)
        return service

    @cached_property
    def questions(self) -> list[dict]:
        """The evaluation set (``--eval-file``, shared/eval/dev.jsonl by default)."""
        return load_questions(self.eval_file)

    @cached_property
    def question_sets(self) -> dict[str, list[dict]]:
        """Every set, by name: the evaluation set first, then ours (tune, heldout)."""
        return {self.eval_file.stem: self.questions} | {name: load_questions(path) for name, path in OWN_SETS.items()}

    def cleanup(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
