"""Any OpenAI-compatible chat-completions server (OpenAI, Azure OpenAI, vLLM, llama.cpp's
server, Ollama...) over plain httpx, streaming Server-Sent Events parsed here.

Failures before the first token (429, 5xx, refused connections) are retried with
exponential backoff, honouring a capped ``Retry-After``; the whole call, retries
included, stays within ``llm_timeout``. Once text has been yielded nothing is retried:
a broken stream raises LLMUnavailable and the pipeline falls back. Error messages carry
the status code only, never a response body or the API key.

The ``httpx.Client`` is injected (its transport is what tests replace) or made by
``http_client()``; whoever makes it closes it. Timeouts and retries live here, per call,
not in the client: the deadline of one call spans all of its attempts.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit

import httpx

from core.errors import LLMTimeout, LLMUnavailable
from core.settings import Settings
from qa.llm import LLM, Prompt

log = logging.getLogger(__name__)

BACKOFF = 0.5  # seconds before the first retry; doubled on each one
MAX_WAIT = 20.0  # longest single wait, whatever Retry-After asks for
CONNECT_TIMEOUT = 10.0
_SSE_FIELDS = ("event", "id", "retry")  # ignored; only "data" carries chat chunks


def chat_url(base_url: str) -> str:
    """``{base}/chat/completions``, keeping a query string (Azure's ``?api-version=...``)."""
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/chat/completions"))


def http_client() -> httpx.Client:
    """The backend's connection pool when none is injected. Synchronous: the backend runs
    in worker threads, and an ``httpx.Client`` may be shared between them."""
    return httpx.Client(follow_redirects=False)


def request_headers(settings: Settings, url: str) -> dict[str, str]:
    headers = {"Accept": "text/event-stream"}
    if settings.openai_api_key is not None:
        key = settings.openai_api_key.get_secret_value()
        headers["Authorization"] = f"Bearer {key}"
        if "api-version=" in urlsplit(url).query:  # Azure OpenAI takes its key here
            headers["api-key"] = key
    return headers


class OpenAILLM(LLM):
    name = "openai"
    generative = True

    def __init__(self, settings: Settings, client: httpx.Client | None = None):
        self.settings = settings
        self.url = chat_url(settings.openai_base_url)
        self.headers = request_headers(settings, self.url)
        self._owns_client = client is None
        self._client = client if client is not None else http_client()

    def close(self) -> None:
        """Close the connection pool this backend made; an injected client is its maker's to close."""
        if self._owns_client:
            self._client.close()

    def stream(self, prompt: Prompt, *, max_tokens: int) -> Iterator[str]:
        body = {"model": self.settings.openai_model, "messages": prompt.messages, "stream": True,
                "temperature": 0, "max_tokens": max_tokens}
        deadline = time.monotonic() + self.settings.llm_timeout
        attempt = 0
        while True:
            try:
                with self._client.stream("POST", self.url, json=body, headers=self.headers,
                                         timeout=_timeout(deadline)) as response:
                    if response.status_code == 200:
                        yield from _pieces(response, deadline)
                        return
                    failure = f"the LLM server answered HTTP {response.status_code}"
                    if response.status_code != 429 and response.status_code < 500:
                        raise LLMUnavailable(failure)
                    wait = _retry_after(response.headers.get("retry-after"))
            except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout) as exc:
                raise LLMTimeout(f"the LLM server did not answer within {self.settings.llm_timeout:g} s") from exc
            except httpx.TransportError as exc:  # refused, reset, connect timeout: nothing sent yet
                failure = f"cannot reach the LLM server ({type(exc).__name__})"
                wait = None
            attempt += 1
            wait = min(MAX_WAIT, wait if wait is not None else BACKOFF * 2 ** (attempt - 1))
            if attempt > self.settings.openai_retries or time.monotonic() + wait >= deadline:
                tries = f" after {attempt} attempt{'s' * (attempt > 1)}"
                raise LLMUnavailable(failure + tries)
            log.warning("%s; retry %d/%d in %.1f s", failure, attempt, self.settings.openai_retries, wait)
            time.sleep(wait)


def _timeout(deadline: float) -> httpx.Timeout:
    remaining = max(deadline - time.monotonic(), 0.001)
    return httpx.Timeout(remaining, connect=min(CONNECT_TIMEOUT, remaining))


def _retry_after(value: str | None) -> float | None:
    """Seconds from ``Retry-After``: a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    except (TypeError, ValueError):
        return None


def _pieces(response: httpx.Response, deadline: float) -> Iterator[str]:
    """Text pieces of a 200 response: an SSE stream, or one JSON body from a server that
    ignores ``stream``."""
    if response.headers.get("content-type", "").startswith("application/json"):
        response.read()
        yield from _text(_choice(_json(response.text)).get("message"))
        return
    finished = False
    for event in _events(response, deadline):
        if event == "[DONE]":
            return
        chunk = _json(event)
        if chunk.get("error"):
            raise LLMUnavailable("the LLM server reported an error mid-stream")
        choice = _choice(chunk)
        yield from _text(choice.get("delta"))
        finished = finished or bool(choice.get("finish_reason"))
    if not finished:
        raise LLMUnavailable("the LLM stream ended before it was complete")


def _events(response: httpx.Response, deadline: float) -> Iterator[str]:
    """The data of each Server-Sent Event; comments (keep-alives) and other fields skipped."""
    data: list[str] = []
    try:
        for line in response.iter_lines():
            if time.monotonic() > deadline:
                raise LLMTimeout("the LLM server took too long to finish its answer")
            if not line:
                if data:
                    yield "\n".join(data)
                    data = []
                continue
            if line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            if field == "data":
                data.append(value.removeprefix(" "))
            elif field not in _SSE_FIELDS:
                raise LLMUnavailable("the LLM server sent something that is not an event stream")
    except httpx.TimeoutException as exc:
        raise LLMTimeout("the LLM server stopped sending its answer") from exc
    except httpx.TransportError as exc:
        raise LLMUnavailable(f"the LLM stream broke off ({type(exc).__name__})") from exc
    if data:
        yield "\n".join(data)


def _json(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise LLMUnavailable("the LLM server sent a malformed chunk")
    return value


def _choice(chunk: dict) -> dict:
    choices = chunk.get("choices")
    first = choices[0] if isinstance(choices, list) and choices else {}
    return first if isinstance(first, dict) else {}


def _text(message: object) -> Iterator[str]:
    """The ``content`` of a stream chunk's ``delta`` or of a whole reply's ``message``."""
    piece = message.get("content") if isinstance(message, dict) else None
    if isinstance(piece, str) and piece:
        yield piece
