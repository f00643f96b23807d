"""A real headless Chromium for the chat page, and helpers shared by the browser tests.

The system's Chromium is used as it is (no `playwright install`); each test gets a fresh
browser context, so localStorage starts empty, and fails if the page throws.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

from core.settings import REPO_ROOT

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no Chromium at /usr/bin/chromium (make browser installs it)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """open_page(base_url, viewport=DESKTOP) -> a page on the chat, in a fresh context."""
    contexts, errors = [], []

    def open_(base_url: str, viewport: dict = DESKTOP, path: str = "/"):
        context = browser.new_context(viewport=viewport, base_url=base_url, locale="en-GB")
        context.set_default_timeout(60_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not errors, f"the page threw: {errors}"


def shot(page, name: str) -> Path:
    """Save a screenshot under tests/artifacts/ (gitignored) for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, animations="disabled")
    return path


@pytest.fixture(scope="module")
def generative(corpus_settings, embedder, tmp_path_factory):
    """(base URL of the app answering with the ``openai`` backend, the fake OpenAI it talks
    to). ``generate="always"``: the model is asked after the quotes for every question. No
    background sentence preload: on a small machine it would compete with the questions
    whose timing these tests watch."""
    with _generative_app(corpus_settings, embedder, tmp_path_factory) as app:
        yield app


@pytest.fixture(scope="module")
def translating(corpus_settings, embedder, tmp_path_factory):
    """``generative``, with Chinese questions translated by the local model as the product
    does when it is installed."""
    with _generative_app(corpus_settings, embedder, tmp_path_factory, translate="local") as app:
        yield app


@contextmanager
def _generative_app(corpus_settings, embedder, tmp_path_factory, **settings_update):
    from qa.app import create_app
    from qa.service import Service
    from tests.fakes.openai_server import running_fake_openai
    from tests.live import running

    with running_fake_openai() as fake:
        settings = corpus_settings.model_copy(update={
            "llm": "openai", "openai_base_url": fake.base_url, "openai_retries": 0, "llm_timeout": 30.0,
            "generate": "always", "preload_sentences": 0,
            "feedback_db": tmp_path_factory.mktemp("generative") / "feedback.sqlite", **settings_update})
        service = Service(settings, embedder)
        with running(create_app(settings, service)) as url:
            yield url, fake
        service.close()


def ask(page, question: str) -> None:
    """Type a question and press Enter, as a person would."""
    page.fill("#question", question)
    page.press("#question", "Enter")


def last_answer(page):
    """The newest answer once it is final (not streaming any more)."""
    answer = page.locator(".msg.assistant").last
    answer.locator('.answer-body[aria-busy="false"]').wait_for()
    return answer
