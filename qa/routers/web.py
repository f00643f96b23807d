"""The chat page: its static files, the document reader route and answer feedback.

The page itself is static (``web/``, no build step) and talks to the JSON/SSE API like
any other client. ``/documents/{doc_id}`` is where a citation without a publisher URL
points, so it serves the same page, which opens its reader on that document.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from core.settings import REPO_ROOT
from qa.feedback import FeedbackStore
from qa.openapi import API_KEY_REQUIRED
from qa.routers.deps import require_api_key
from qa.routers.responses import FeedbackCitation, FeedbackCreated, FeedbackPage, Rating

WEB_DIR = REPO_ROOT / "web"

router = APIRouter()
router.mount("/static", StaticFiles(directory=WEB_DIR), name="static")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FeedbackRequest(_Strict):
    rating: Rating = Field(description="Thumbs up or down.")
    comment: str = Field("", max_length=2000, description="What was good or wrong, optional.")
    question: str = Field(min_length=1, max_length=10_000, description="The question that was answered.")
    answer: str = Field(max_length=20_000, description="The answer shown.")
    citations: list[FeedbackCitation] = Field(default_factory=list, max_length=50)
    llm: str | None = Field(None, max_length=100, description="Backend that produced the answer.")


def feedback_store(request: Request) -> FeedbackStore:
    """One store per app, made on first use (the feedback file is created only then)."""
    state = request.app.state
    if getattr(state, "feedback", None) is None:
        state.feedback = FeedbackStore(state.settings.feedback_db)
    return state.feedback


FeedbackDep = Annotated[FeedbackStore, Depends(feedback_store)]


def _page() -> FileResponse:
    return FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-cache"})


@router.get("/", include_in_schema=False)
async def index() -> FileResponse:
    return _page()


@router.get("/documents", include_in_schema=False)
@router.get("/documents/{doc_id:path}", include_in_schema=False)
async def document_page(doc_id: str = "") -> FileResponse:
    return _page()


@router.post("/api/feedback", tags=["feedback"], status_code=201, response_model=FeedbackCreated)
async def add_feedback(body: FeedbackRequest, store: FeedbackDep) -> FeedbackCreated:
    citations = [c.model_dump() for c in body.citations]
    feedback_id = await run_in_threadpool(
        store.add, rating=body.rating, comment=body.comment.strip(), question=body.question,
        answer=body.answer, citations=citations, llm=body.llm,
    )
    return FeedbackCreated(id=feedback_id)


@router.get("/api/feedback", tags=["feedback"], dependencies=[Depends(require_api_key)], response_model=FeedbackPage,
            responses=API_KEY_REQUIRED)
async def list_feedback(store: FeedbackDep, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                        offset: Annotated[int, Query(ge=0)] = 0) -> dict:
    items = await run_in_threadpool(store.list, limit, offset)
    total = await run_in_threadpool(store.count)
    return {"feedback": items, "total": total, "limit": limit, "offset": offset}
