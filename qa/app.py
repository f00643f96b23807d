"""Assemble the FastAPI application: settings, service, routers, one error handler.

``create_app(settings)`` is what `qa serve`, the tests and the Docker image run. The
index and models load once, in the lifespan; nothing happens at import time.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from qa.errors import QAError, RateLimited
from qa.service import Service
from qa.settings import Settings

log = logging.getLogger(__name__)

# Surfaces written as separate routers; each is included when its module is present.
ROUTERS = ("qa.routers.api", "qa.routers.web", "qa.routers.slack")


def _warm_llm(service: Service) -> None:
    """Load the default generator at start-up so the first question does not pay for it."""
    try:
        llm = service.llm()
        if hasattr(llm, "warm"):
            llm.warm()
    except QAError as exc:
        log.error("LLM %s not ready, answers fall back to extractive: %s", service.settings.llm, exc)


def create_app(settings: Settings | None = None, service: Service | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.service = service or Service(settings)
        try:
            app.state.service.retriever()  # load the index now, not on the first question
        except QAError as exc:
            log.error("index not ready: %s", exc)
        await asyncio.to_thread(_warm_llm, app.state.service)
        async with httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0)) as client:
            app.state.http = client
            yield

    app = FastAPI(
        title="Policy QA",
        description="Cited answers over trade-policy documents: search, ask, chat (SSE), Slack.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = service

    for name in ROUTERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        app.include_router(module.router)

    @app.exception_handler(QAError)
    async def qa_error(request: Request, exc: QAError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else first.get("msg", "invalid request")
        return JSONResponse({"error": message}, status_code=422)

    return app
