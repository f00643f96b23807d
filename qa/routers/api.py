"""JSON API and the streaming chat endpoint. Thin: validate, call the service, shape.

CPU-bound work (embedding, generation) runs in worker threads so the event loop, and
with it /healthz, stays responsive under load.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Generator, Iterable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from core.errors import QAError
from qa.answer_types import Answer
from qa.events import Event
from qa.llm import BACKENDS
from qa.openapi import API_KEY_REQUIRED
from qa.passages import Passage
from qa.retrieval import SEARCH_MODES
from qa.routers.deps import ServiceDep, require_api_key
from qa.routers.responses import Document, DocumentsResponse, Health, ReindexReport, SearchResponse
from qa.service import Service

router = APIRouter()
log = logging.getLogger(__name__)


def _one_of(names: Iterable[str]) -> tuple[AfterValidator, WithJsonSchema]:
    """Validation and schema for a name that must be in a registry, read when this module
    loads: the registries are the only lists of names, so adding a backend adds a choice."""
    choices = tuple(names)

    def check(value: str) -> str:
        if value not in choices:
            raise PydanticCustomError("enum", "Input should be one of: {expected}", {"expected": ", ".join(choices)})
        return value

    return AfterValidator(check), WithJsonSchema({"type": "string", "enum": list(choices)})


SearchMode = Annotated[str, *_one_of(SEARCH_MODES)]
LLMName = Annotated[str, *_one_of(BACKENDS)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchRequest(_Strict):
    query: str = Field(min_length=1, max_length=10_000, description="What to search for, English or Chinese.")
    k: int = Field(5, ge=1, le=50, description="How many passages to return.")
    mode: SearchMode = Field("hybrid", description="hybrid; translated (hybrid over a Chinese query with its English "
                             "rendering beside it, as answers retrieve: a model call); or one retriever alone.")


class HistoryMessage(_Strict):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(_Strict):
    question: str = Field(min_length=1, max_length=10_000, description="The question, English or Chinese.")
    history: list[HistoryMessage] = Field(default_factory=list, max_length=100,
                                          description="Earlier turns, oldest first.")
    k: int | None = Field(None, ge=1, le=20, description="Passages to retrieve.")
    llm: LLMName | None = Field(None, description="Backend for this question (default: the server's).")


def search_payload(query: str, passages: list[Passage]) -> dict:
    return {"query": query, "results": [{"rank": i} | p.to_dict() for i, p in enumerate(passages, start=1)]}


@router.get("/healthz", tags=["service"], response_model=Health)
async def healthz(request: Request) -> dict:
    service: Service | None = getattr(request.app.state, "service", None)
    # In a thread: the first call after a new index version is published loads it.
    return {"status": "ok", "index": await run_in_threadpool(service.index_info) if service else None}


@router.post("/api/search", tags=["search"], response_model=SearchResponse)
async def search(body: SearchRequest, request: Request, service: ServiceDep) -> dict:
    started = time.perf_counter()
    passages = await run_in_threadpool(service.search, body.query, body.k, body.mode)
    request.app.state.metrics.retrieval.labels(mode=body.mode).observe(time.perf_counter() - started)
    return search_payload(body.query, passages)


@router.post("/api/ask", tags=["answers"], response_model=Answer)
async def ask(body: AskRequest, request: Request, service: ServiceDep) -> dict:
    history = [m.model_dump() for m in body.history]
    answer = await run_in_threadpool(service.ask, body.question, history, body.k, body.llm)
    payload = answer.to_dict()
    request.app.state.metrics.observe_answer(payload)
    return payload


@router.post("/api/chat", tags=["answers"], response_class=StreamingResponse,
             responses={200: {"content": {"text/event-stream": {}}, "description": "Server-sent events: "
                              "meta, evidence, token*, answer, done; or error."}})
async def chat(body: AskRequest, request: Request, service: ServiceDep) -> StreamingResponse:
    history = [m.model_dump() for m in body.history]
    events = service.ask_stream(body.question, history, body.k, body.llm)
    # The first event comes after validation: bad input still gets a plain 4xx response.
    first = await run_in_threadpool(next, events)
    return StreamingResponse(_sse(first, events, request), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _sse(first: Event, events: Generator[Event, None, None], request: Request) -> AsyncIterator[str]:
    try:
        yield _event(first.kind, first.payload())
        async for event in iterate_in_threadpool(events):
            if await request.is_disconnected():
                break
            data = event.payload()
            if event.kind == "answer":
                request.app.state.metrics.observe_answer(data)
            yield _event(event.kind, data)
        else:
            yield _event("done", {})
    except QAError as exc:
        yield _event("error", {"error": exc.message})
    except Exception:  # noqa: BLE001 - a stream cannot change its status code any more
        log.exception("chat stream failed")
        yield _event("error", {"error": "the answer failed; please try again"})
    finally:
        events.close()


def _event(kind: str, data: dict) -> str:
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.get("/api/documents", tags=["documents"], response_model=DocumentsResponse)
async def documents(service: ServiceDep) -> dict:
    return {"documents": await run_in_threadpool(service.documents)}


@router.get("/api/documents/{doc_id:path}", tags=["documents"], response_model=Document,
            responses={404: {"description": "No document with that id."}})
async def document(doc_id: str, service: ServiceDep) -> dict:
    return await run_in_threadpool(service.document, doc_id)


@router.post("/api/reindex", tags=["admin"], dependencies=[Depends(require_api_key)], response_model=ReindexReport,
             responses=API_KEY_REQUIRED)
async def reindex(service: ServiceDep) -> ReindexReport:
    report = await run_in_threadpool(service.reindex)
    return ReindexReport.model_validate(report)
