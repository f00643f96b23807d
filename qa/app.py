"""Assemble the FastAPI application: settings, service, routers, middleware, error handlers.

``create_app(settings)`` is what `qa serve`, the tests and the Docker image run. The
index and models load once, in the lifespan; nothing happens at import time.

Its parts are imported, not discovered: a missing router module or an unknown
``QA_LLM`` backend stops ``create_app`` with an error naming it, instead of a server
that starts without a surface or fails on the first question.

Request path, outermost first: access log (request id) -> metrics -> CORS (only when
origins are configured) -> rate limit (when on) -> body size limit -> routers. Every
error leaves as ``{"error": "one line"}``; an unexpected one as a 500 with the request
id and nothing else (no traceback, no paths).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from core.errors import QAError, RateLimited
from core.settings import Settings
from qa import metrics
from qa.limits import BodySizeLimit, RateLimit
from qa.llm import judge_name, resolve_name, translator_name
from qa.logs import AccessLog, request_id_of
from qa.openapi import document_errors
from qa.routers import api, slack, web
from qa.service import Service

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, service: Service | None = None) -> FastAPI:
    settings = settings or Settings()
    check_llm_name(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = service or Service(settings)
        await asyncio.to_thread(app.state.service.warm)
        try:
            async with httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0)) as client:
                app.state.http = client
                yield
        finally:
            if service is None:  # a service handed in belongs to the caller, who closes it
                await asyncio.to_thread(app.state.service.close)

    app = FastAPI(
        title="Policy QA",
        description="Cited answers over trade-policy documents: search, ask, chat (SSE), Slack.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = service
    app.state.metrics = metrics.Metrics(app.state)

    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.rate_limit_per_minute:
        app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Retry-After"])
    app.add_middleware(metrics.RequestMetrics, metrics=app.state.metrics)
    app.add_middleware(AccessLog)

    app.include_router(metrics.router)
    app.include_router(api.router)
    app.include_router(web.router)
    app.include_router(slack.router)

    @app.exception_handler(QAError)
    async def qa_error(request: Request, exc: QAError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else first.get("msg", "invalid request")
        return JSONResponse({"error": _one_line(message)}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        """Routing (404, 405) and body parsing (400) errors, in the same shape as ours."""
        return JSONResponse({"error": _one_line(str(exc.detail))}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        # Starlette re-raises after this response, so uvicorn logs the traceback and drops
        # the connection: "Connection: close" keeps clients from reusing it.
        request_id = request_id_of(request.scope)
        log.error("request %s failed with %s", request_id, type(exc).__name__)
        return JSONResponse({"error": "internal error", "request_id": request_id}, status_code=500,
                            headers={"X-Request-ID": request_id, "Connection": "close"})

    document_errors(app)
    return app


def check_llm_name(settings: Settings) -> None:
    """Refuse at start-up a backend name (answer, judge, translator) that ``qa.llm.BACKENDS`` does not know."""
    for variable, check in (("QA_LLM", resolve_name), ("QA_JUDGE", judge_name), ("QA_TRANSLATE", translator_name)):
        try:
            check(settings)
        except ValueError as exc:
            raise ValueError(f"{variable}: {exc}") from None


def _one_line(message: str) -> str:
    return " ".join(message.split())[:300] or "invalid request"
