"""Errors the product raises on purpose, each safe to show a user.

    QAError                     base; ``status`` is the HTTP code, ``str(e)`` the message
    ├── BadRequest              400 input we refuse (empty question, bad history, ...)
    │   └── InputTooLarge       413 question, history or body over the configured limit
    ├── Unauthorized            401 missing or wrong API key / Slack signature
    ├── RateLimited             429 too many requests (carries ``retry_after`` seconds)
    ├── NotFound                404 unknown document or resource
    ├── IndexNotReady           503 no index built, or built with another model
    └── LLMUnavailable          503 the LLM backend failed, timed out or is not installed
        └── LLMTimeout          504-ish; mapped to 503 so clients retry

Messages never contain file paths or tracebacks; one exception handler in ``qa.app``
maps them to ``{"error": message}`` responses.
"""

from __future__ import annotations


class QAError(Exception):
    status: int = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadRequest(QAError):
    status = 400


class InputTooLarge(BadRequest):
    status = 413


class Unauthorized(QAError):
    status = 401


class RateLimited(QAError):
    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class NotFound(QAError):
    status = 404


class IndexNotReady(QAError):
    status = 503


class LLMUnavailable(QAError):
    status = 503


class LLMTimeout(LLMUnavailable):
    pass
