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
