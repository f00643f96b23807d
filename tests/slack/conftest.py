"""The app with Slack enabled, on a real server, talking to a fake Slack on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.fakes.slack_server import running_fake_slack
from tests.slack.harness import SlackUser, slack_settings


@pytest.fixture(scope="session")
def fake_slack():
    with running_fake_slack() as fake:
        yield fake


@pytest.fixture(scope="session")
def slack_app_url(corpus_settings, service, fake_slack):
    from qa.app import create_app
    from tests.live import running

    with running(create_app(slack_settings(corpus_settings, fake_slack), service)) as url:
        yield url


@pytest.fixture
def slack(slack_app_url, fake_slack):
    fake_slack.reset()
    user = SlackUser(slack_app_url, fake_slack)
    yield user
    user.http.close()
    fake_slack.reset()


@pytest.fixture(scope="module")
def generative_app(corpus_settings, embedder, fake_slack, tmp_path_factory):
    """(URL, fake OpenAI): the app with Slack on and the ``openai`` backend asked after the
    quotes for every question (``generate="always"``), talking to a fake OpenAI. No
    background sentence preload: it would compete with the questions these tests time."""
    from qa.app import create_app
    from qa.service import Service
    from tests.fakes.openai_server import running_fake_openai
    from tests.live import running

    with running_fake_openai() as openai:
        settings = slack_settings(corpus_settings, fake_slack).model_copy(update={
            "llm": "openai", "openai_base_url": openai.base_url, "openai_retries": 0, "llm_timeout": 30.0,
            "generate": "always", "preload_sentences": 0,
            "feedback_db": tmp_path_factory.mktemp("slack-generative") / "feedback.sqlite"})
        with running(create_app(settings, Service(settings, embedder))) as url:
            yield url, openai


@pytest.fixture
def generative_slack(generative_app, fake_slack):
    """(SlackUser talking to the generative app, its fake OpenAI), with a clean fake Slack."""
    url, openai = generative_app
    fake_slack.reset()
    openai.reset()
    user = SlackUser(url, fake_slack)
    yield user, openai
    user.http.close()
    fake_slack.reset()
