"""Live servers over the session's shipped-corpus index, each with its own settings."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from qa.app import create_app
from core.settings import Settings
from tests.live import running


def with_settings(settings: Settings, **overrides) -> Settings:
    """A validated copy (model_copy would not turn strings into SecretStr)."""
    return Settings(**(settings.model_dump() | overrides))


@pytest.fixture
def serve(corpus_settings, service):
    """serve(service=None, **settings) -> a context manager yielding a live base URL."""

    @contextmanager
    def serve_(service_=None, **overrides):
        settings = with_settings(corpus_settings, **overrides)
        with running(create_app(settings, service_ or service)) as url:
            yield url

    return serve_
