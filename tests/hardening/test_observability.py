"""Request ids, the JSON access log and the Prometheus metrics."""

from __future__ import annotations

import json
import logging
import re
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.errors import LLMUnavailable
from qa.app import create_app
from qa.llm import BACKENDS, LLM
from qa.service import Service


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(metrics: dict, name: str, **labels) -> float:
    return metrics.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def fresh(serve):
    """A server with its own app (and so its own metrics registry)."""
    with serve() as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


def test_an_incoming_request_id_is_kept_and_returned(fresh):
    response = fresh.get("/healthz", headers={"X-Request-ID": "lb-7f3a.2"})
    assert response.headers["x-request-id"] == "lb-7f3a.2"


@pytest.mark.parametrize("incoming", [None, "x" * 500, "has spaces", "semi;colon"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_fresh_one(fresh, incoming):
    headers = {"X-Request-ID": incoming} if incoming else {}
    first = fresh.get("/healthz", headers=headers).headers["x-request-id"]
    second = fresh.get("/healthz", headers=headers).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_each_request_leaves_one_json_access_line(fresh, caplog):
    caplog.set_level(logging.INFO, logger="qa.access")
    fresh.get("/api/documents/no-such-doc?secret=1", headers={"X-Request-ID": "trace-1"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "qa.access"]
    line = next(entry for entry in lines if entry["request_id"] == "trace-1")
    assert line["method"] == "GET" and line["status"] == 404
    assert line["path"] == "/api/documents/no-such-doc"  # no query string
    assert line["route"] == "/api/documents/{doc_id}"
    assert line["duration_ms"] >= 0 and line["client"] == "127.0.0.1"


def test_metrics_count_requests_by_route_template_and_time_answers(fresh):
    for _ in range(3):
        fresh.post("/api/search", json={"query": "RCEP members", "mode": "bm25"})
    fresh.post("/api/ask", json={"question": "How was the 127th Canton Fair held?"})
    fresh.post("/api/ask", json={"question": ""})
    fresh.get("/api/documents/some/odd/id")
    fresh.get("/wp-admin/setup.php")
    response = fresh.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    metrics = samples(response.text)

    requests = "qa_http_requests_total"
    assert value(metrics, requests, method="POST", route="/api/search", status="200") == 3
    assert value(metrics, requests, method="POST", route="/api/ask", status="200") == 1
    assert value(metrics, requests, method="POST", route="/api/ask", status="422") == 1
    assert value(metrics, requests, method="GET", route="/api/documents/{doc_id}", status="404") == 1
    assert value(metrics, requests, method="GET", route="unrouted", status="404") == 1
    assert "wp-admin" not in response.text and "odd/id" not in response.text
    assert value(metrics, "qa_http_request_duration_seconds_count", method="POST", route="/api/search",
                 status="200") == 3
    assert value(metrics, "qa_retrieval_duration_seconds_count", mode="bm25") == 3
    assert value(metrics, "qa_retrieval_duration_seconds_count", mode="hybrid") == 1  # inside the answer
    assert value(metrics, "qa_llm_duration_seconds_count", backend="extractive") == 1

    info = fresh.get("/healthz").json()["index"]
    assert value(metrics, "qa_index_chunks") == info["chunks"] > 0
    assert value(metrics, "qa_index_documents") == info["documents"] > 0


def test_a_streamed_answer_is_timed_too(fresh):
    with fresh.stream("POST", "/api/chat", json={"question": "RCEP有哪些成员国？"}) as response:
        response.read()
    # The request is recorded once the server has finished its side of the stream, which may
    # be a moment after the client has read the last byte.
    deadline = time.monotonic() + 30
    while True:
        metrics = samples(fresh.get("/metrics").text)
        chats = value(metrics, "qa_http_requests_total", method="POST", route="/api/chat", status="200")
        if chats or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert chats == 1
    assert value(metrics, "qa_llm_duration_seconds_count", backend="extractive") == 1


def test_every_app_has_its_own_registry(corpus_settings, service):
    first, second = create_app(corpus_settings, service), create_app(corpus_settings, service)
    first.state.metrics.observe_request("GET", "/healthz", 200, 0.01)
    assert b'route="/healthz"' in first.state.metrics.render()
    assert b'route="/healthz"' not in second.state.metrics.render()


class Unavailable(LLM):
    name = "openai"
    generative = True

    def stream(self, prompt, *, max_tokens):
        yield from ()  # a generator, like every backend: it fails when first read
        raise LLMUnavailable("the LLM server answered 503")


def test_fallbacks_to_the_extractive_backend_are_counted(serve, corpus_settings, embedder, monkeypatch):
    monkeypatch.setitem(BACKENDS, "openai", lambda settings: Unavailable())
    always = corpus_settings.model_copy(update={"generate": "always"})
    with serve(Service(always, embedder)) as url, httpx.Client(base_url=url, timeout=60) as client:
        answer = client.post("/api/ask", json={"question": "How was the 127th Canton Fair held?", "llm": "openai"})
        assert answer.json()["fallback"] is True
        metrics = samples(client.get("/metrics").text)
    assert value(metrics, "qa_llm_fallbacks_total") == 1
