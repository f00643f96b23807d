"""A failure in the middle of an answer stream ends the stream with an ``error`` event
(never a hang or a torn connection), and the server goes on serving."""

from __future__ import annotations

import httpx

from qa.llm import BACKENDS, LLM
from qa.service import Service
from tests.qa.test_chat_api import read_events

QUESTION = "How was the 127th Canton Fair held?"


class BreaksMidStream(LLM):
    """A generative backend with a bug: one token, then an exception no LLM code expects."""

    name = "openai"
    generative = True

    def stream(self, prompt, *, max_tokens):
        yield "The fair was held "
        raise KeyError("choices")


def test_an_unexpected_error_mid_stream_ends_with_an_error_event(serve, corpus_settings, embedder, monkeypatch):
    monkeypatch.setitem(BACKENDS, "openai", lambda settings: BreaksMidStream())
    always = corpus_settings.model_copy(update={"generate": "always"})
    with serve(Service(always, embedder)) as url, httpx.Client(base_url=url, timeout=60) as client:
        with client.stream("POST", "/api/chat", json={"question": QUESTION, "llm": "openai"}) as response:
            assert response.status_code == 200
            events = read_events(response)
        kinds = [kind for kind, _ in events]
        assert kinds == ["meta", "evidence", "token", "error"]
        assert events[-1][1] == {"error": "the answer failed; please try again"}

        # The same server keeps answering, streamed and not.
        with client.stream("POST", "/api/chat", json={"question": QUESTION}) as response:
            assert [kind for kind, _ in read_events(response)][-2:] == ["answer", "done"]
        assert client.get("/healthz").json()["status"] == "ok"


def test_an_unexpected_error_in_a_plain_answer_is_a_500_without_details(serve, corpus_settings, embedder,
                                                                       monkeypatch):
    monkeypatch.setitem(BACKENDS, "openai", lambda settings: BreaksMidStream())
    always = corpus_settings.model_copy(update={"generate": "always"})
    with serve(Service(always, embedder)) as url, httpx.Client(base_url=url, timeout=60) as client:
        response = client.post("/api/ask", json={"question": QUESTION, "llm": "openai"},
                               headers={"X-Request-ID": "trace-42"})
        assert response.status_code == 500
        assert response.json() == {"error": "internal error", "request_id": "trace-42"}
        assert response.headers["x-request-id"] == "trace-42"
        assert client.post("/api/ask", json={"question": QUESTION}).json()["answerable"]
