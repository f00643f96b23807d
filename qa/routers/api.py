"""JSON API and the streaming chat endpoint. Thin: validate, call the service, shape.

CPU-bound work (embedding, generation) runs in worker threads so the event loop, and
with it /healthz, stays responsive under load.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from index.build import BuildReport
from qa.answer_types import Answer
from qa.errors import QAError
from qa.openapi import API_KEY_REQUIRED
from qa.routers.deps import get_service, require_api_key
from qa.routers.responses import Document, DocumentsResponse, Health, SearchResponse
from qa.service import Service

router = APIRouter()
log = logging.getLogger(__name__)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchRequest(_Strict):
    query: str = Field(min_length=1, max_length=10_000, description="What to search for, English or Chinese.")
    k: int = Field(5, ge=1, le=50, description="How many passages to return.")
    mode: Literal["hybrid", "dense", "bm25"] = Field("hybrid", description="Retriever (dense/bm25 for comparison).")


class HistoryMessage(_Strict):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(_Strict):
    question: str = Field(min_length=1, max_length=10_000, description="The question, English or Chinese.")
    history: list[HistoryMessage] = Field(default_factory=list, max_length=100,
                                          description="Earlier turns, oldest first.")
    k: int | None = Field(None, ge=1, le=20, description="Passages to retrieve.")
    llm: Literal["extractive", "local", "openai"] | None = Field(None, description="Backend for this question.")


def search_payload(query: str, passages) -> dict:
    return {"query": query, "results": [{"rank": i} | p.to_dict() for i, p in enumerate(passages, start=1)]}


@router.get("/healthz", tags=["service"], responses={200: {"model": Health}})
async def healthz(request: Request) -> dict:
    service: Service | None = getattr(request.app.state, "service", None)
    # In a thread: the first call after a new index version is published loads it.
    return {"status": "ok", "index": await run_in_threadpool(service.index_info) if service else None}


@router.post("/api/search", tags=["search"], responses={200: {"model": SearchResponse}})
async def search(body: SearchRequest, request: Request, service: Service = Depends(get_service)) -> dict:
    started = time.perf_counter()
    passages = await run_in_threadpool(service.search, body.query, body.k, body.mode)
    request.app.state.metrics.retrieval.labels(mode=body.mode).observe(time.perf_counter() - started)
    return search_payload(body.query, passages)


@router.post("/api/ask", tags=["answers"], responses={200: {"model": Answer}})
async def ask(body: AskRequest, request: Request, service: Service = Depends(get_service)) -> dict:
    history = [m.model_dump() for m in body.history]
    answer = await run_in_threadpool(service.ask, body.question, history, body.k, body.llm)
    payload = answer.to_dict()
    request.app.state.metrics.observe_answer(payload)
    return payload


@router.post("/api/chat", tags=["answers"], response_class=StreamingResponse,
             responses={200: {"content": {"text/event-stream": {}}, "description": "Server-sent events: "
                              "meta, token*, answer, done; or error."}})
async def chat(body: AskRequest, request: Request, service: Service = Depends(get_service)) -> StreamingResponse:
    history = [m.model_dump() for m in body.history]
    events = service.ask_stream(body.question, history, body.k, body.llm)
    # The first event comes after validation: bad input still gets a plain 4xx response.
    first = await run_in_threadpool(next, events)
    return StreamingResponse(_sse(first, events, request), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _sse(first: tuple[str, object], events, request: Request) -> AsyncIterator[str]:
    try:
        yield _event(*_shape(*first))
        async for kind, value in iterate_in_threadpool(events):
            if await request.is_disconnected():
                break
            kind, data = _shape(kind, value)
            if kind == "answer":
                request.app.state.metrics.observe_answer(data)
            yield _event(kind, data)
        else:
            yield _event("done", {})
    except QAError as exc:
        yield _event("error", {"error": exc.message})
    except Exception:  # noqa: BLE001 - a stream cannot change its status code any more
        log.exception("chat stream failed")
        yield _event("error", {"error": "the answer failed; please try again"})
    finally:
        events.close()


def _shape(kind: str, value) -> tuple[str, dict]:
    if kind == "token":
        return kind, {"text": value}
    return kind, value.to_dict() if hasattr(value, "to_dict") else value


def _event(kind: str, data: dict) -> str:
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.get("/api/documents", tags=["documents"], responses={200: {"model": DocumentsResponse}})
async def documents(service: Service = Depends(get_service)) -> dict:
    return {"documents": await run_in_threadpool(service.documents)}


@router.get("/api/documents/{doc_id:path}", tags=["documents"],
            responses={200: {"model": Document}, 404: {"description": "No document with that id."}})
async def document(doc_id: str, service: Service = Depends(get_service)) -> dict:
    return await run_in_threadpool(service.document, doc_id)


@router.post("/api/reindex", tags=["admin"], dependencies=[Depends(require_api_key)],
             responses={200: {"model": BuildReport}} | API_KEY_REQUIRED)
async def reindex(service: Service = Depends(get_service)) -> dict:
    report = await run_in_threadpool(service.reindex)
    return report.to_dict() | {"errors": [e.__dict__ for e in report.errors]}
