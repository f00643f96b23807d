"""Prometheus metrics: one registry per app (tests build many apps in one process).

Requests are counted and timed by route template, never by raw path, so scanners cannot
blow up the label set. Answer and search timings come from the answer pipeline's own
``timings_ms``; index size is read from the live index when Prometheus scrapes.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import QAError

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
LLM_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120)


class Metrics:
    def __init__(self, app_state):
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("qa_http_requests_total", "HTTP requests by route template and status.",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("qa_http_request_duration_seconds", "HTTP request latency (to the last byte).",
                                 ["method", "route", "status"], buckets=REQUEST_BUCKETS, registry=self.registry)
        self.llm = Histogram("qa_llm_duration_seconds", "Answer generation time by LLM backend.",
                             ["backend"], buckets=LLM_BUCKETS, registry=self.registry)
        self.fallbacks = Counter("qa_llm_fallbacks_total", "Answers where the extractive backend stood in.",
                                 registry=self.registry)
        self.dropped = Counter("qa_dropped_sentences_total",
                               "Generated sentences removed by verification, by reason.", ["reason"],
                               registry=self.registry)
        self.retrieval = Histogram("qa_retrieval_duration_seconds", "Retrieval time by retriever mode.",
                                   ["mode"], buckets=REQUEST_BUCKETS, registry=self.registry)
        self.registry.register(_IndexSize(app_state))

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        labels = {"method": method, "route": route, "status": str(status)}
        self.requests.labels(**labels).inc()
        self.latency.labels(**labels).observe(seconds)

    def observe_answer(self, answer: dict) -> None:
        """From an answer's JSON: its retrieval and generation timings and backend."""
        timings = answer.get("timings_ms") or {}
        if "retrieve" in timings:
            self.retrieval.labels(mode="hybrid").observe(timings["retrieve"] / 1000)
        # Without a model the quotes are the answer: their gathering is the backend's time.
        generate = timings.get("generate", timings.get("evidence"))
        if generate is not None:
            self.llm.labels(backend=answer.get("llm", "unknown")).observe(generate / 1000)
        if answer.get("fallback"):
            self.fallbacks.inc()
        for sentence in answer.get("sentences") or []:
            if not sentence.get("supported"):
                self.dropped.labels(reason=sentence.get("reason") or "unknown").inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _IndexSize:
    """Chunks and documents of the index the service is serving, read at scrape time."""

    def __init__(self, app_state):
        self.state = app_state

    def describe(self):
        return []

    def collect(self):
        service = getattr(self.state, "service", None)
        chunks = GaugeMetricFamily("qa_index_chunks", "Chunks in the served index.")
        documents = GaugeMetricFamily("qa_index_documents", "Documents in the served index.")
        try:
            info = service.index_info() if service is not None else None
        except QAError:
            info = None
        if info is not None:
            chunks.add_metric([], info["chunks"])
            documents.add_metric([], info["documents"])
        return [chunks, documents]


def route_label(scope: Scope) -> str:
    """The matched route's template; "unrouted" for 404s and for requests a limit refused."""
    route = scope.get("route")
    return getattr(route, "path_format", None) or getattr(route, "path", None) or "unrouted"


class RequestMetrics:
    """Pure ASGI middleware timing each request to its last byte (streams included)."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            self.metrics.observe_request(scope["method"], route_label(scope), status, time.perf_counter() - started)


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    # In a thread: the index gauges may load a newly published index version.
    body = await run_in_threadpool(request.app.state.metrics.render)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
