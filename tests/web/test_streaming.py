"""Streaming on the chat page with a generative backend: tokens show as they arrive, the
verified answer then replaces them, Stop ends a running answer, and an answer the
extractive backend had to stand in for says so.

The generative backend is the ``openai`` one talking to a fake OpenAI server on
127.0.0.1 (the only remote service here), scripted to stall mid-answer so the page's
intermediate states can be seen.
"""

from __future__ import annotations

import pytest

from tests.fakes.openai_server import hang, running_fake_openai
from tests.web.conftest import ask, last_answer, shot

pytestmark = pytest.mark.slow

CANTON = "How was the 127th Canton Fair held?"
STREAMED = "The China Import and Export Fair went fully online for the first time because of the pandemic [1]."


@pytest.fixture(scope="module")
def generative(corpus_settings, embedder, tmp_path_factory):
    """(base URL of the app answering with the openai backend, the fake it talks to)."""
    from qa.app import create_app
    from qa.service import Service
    from tests.live import running

    with running_fake_openai() as fake:
        settings = corpus_settings.model_copy(update={
            "llm": "openai", "openai_base_url": fake.base_url, "openai_retries": 0, "llm_timeout": 30.0,
            "feedback_db": tmp_path_factory.mktemp("generative") / "feedback.sqlite"})
        with running(create_app(settings, Service(settings, embedder))) as url:
            yield url, fake


def test_tokens_stream_in_then_the_verified_answer_replaces_them(generative, open_page):
    url, fake = generative
    fake.reset()
    fake.script(hang(2.0, after=STREAMED))
    page = open_page(url)
    ask(page, CANTON)

    streamed = page.locator(".msg.assistant .answer-text.streamed")
    streamed.wait_for()
    assert page.locator(".msg.assistant .thinking").is_visible()
    assert page.locator('.msg.assistant .answer-body[aria-busy="true"]').count() == 1
    assert page.locator("#stop").is_visible() and page.locator("#send").is_hidden()
    shot(page, "desktop-streaming")
    page.wait_for_function("t => document.querySelector('.answer-text.streamed')?.textContent.includes(t)",
                           arg="because of the pandemic")

    answer = last_answer(page)
    assert answer.locator(".streamed").count() == 0 and answer.locator(".thinking").count() == 0
    assert answer.locator("a.cite").count() >= 1
    assert "fully online" in answer.locator(".answer-text").inner_text()
    assert page.locator("#send").is_visible() and page.locator("#stop").is_hidden()


def test_stop_ends_a_running_answer(generative, open_page):
    url, fake = generative
    fake.reset()
    fake.script(hang(20.0, after="The Canton Fair went online"))
    page = open_page(url)
    ask(page, CANTON)
    page.locator(".msg.assistant .answer-text.streamed").wait_for()
    page.get_by_role("button", name="Stop the answer").click()

    answer = last_answer(page)
    assert "Stopped before the answer was complete." in answer.inner_text()
    assert answer.locator("a.cite").count() == 0
    assert page.locator("#send").is_visible()
    shot(page, "desktop-stopped")


def test_an_answer_the_extractive_backend_stood_in_for_is_flagged(generative, open_page):
    url, fake = generative
    fake.reset()
    fake.responder = lambda request: "Bananas are a good source of potassium."  # supports no claim
    page = open_page(url)
    ask(page, CANTON)
    answer = last_answer(page)
    assert "Answered extractively: the language model was unavailable." in answer.locator(".notice.fallback").inner_text()
    assert answer.locator("a.cite").count() >= 1
    shot(page, "desktop-fallback")
