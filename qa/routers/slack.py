"""Slack's two webhooks: the Events API and slash commands. Thin: verify, filter, ack.

Slack wants a 200 within three seconds, so answering always happens in a background
task after the response is sent. The bot exists only when QA_SLACK_SIGNING_SECRET is
set; otherwise both endpoints answer 404 and start-up says so once.
"""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl

from fastapi import APIRouter, BackgroundTasks, FastAPI, Request

from core.errors import BadRequest, NotFound
from qa.slack.format import WORKING, usage
from qa.slack.handlers import SlackBot

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Runs inside the app's lifespan, so the service and the HTTP client exist."""
    settings = app.state.settings
    app.state.slack = None
    if settings.slack_signing_secret is None:
        log.info("Slack disabled: QA_SLACK_SIGNING_SECRET not set")
    else:
        if settings.slack_bot_token is None:
            log.warning("Slack: QA_SLACK_BOT_TOKEN not set; replies to mentions and DMs will fail")
        app.state.slack = SlackBot(settings, app.state.service, app.state.http)
    yield


router = APIRouter(prefix="/slack", tags=["slack"], lifespan=lifespan, responses={
    400: {"description": "A signed request Slack would not send (body not JSON, no response_url)."},
    401: {"description": "Missing, wrong or expired Slack signature."},
    404: {"description": "Slack is not enabled (QA_SLACK_SIGNING_SECRET unset)."},
})


async def verified_body(request: Request) -> tuple[SlackBot, bytes]:
    bot: SlackBot | None = getattr(request.app.state, "slack", None)
    if bot is None:
        raise NotFound("Slack is not enabled on this server (set QA_SLACK_SIGNING_SECRET)")
    body = await request.body()
    bot.verify(body, request.headers)
    return bot, body


@router.post("/events")
async def events(request: Request, background: BackgroundTasks) -> dict:
    """Slack Events API: URL verification, mentions and direct messages (answered in thread)."""
    bot, body = await verified_body(request)
    try:
        payload = json.loads(body)
    except ValueError:
        raise BadRequest("Slack event body is not JSON") from None
    if not isinstance(payload, dict):
        raise BadRequest("Slack event body is not a JSON object")
    if payload.get("type") == "url_verification":
        return {"challenge": payload.get("challenge", "")}
    event = bot.accept_event(payload)
    if event is not None:
        background.add_task(bot.answer_event, event)
    return {"ok": True}


@router.post("/commands")
async def commands(request: Request, background: BackgroundTasks) -> dict:
    """Slash command ``/ask``: an ephemeral ack now, the answer later at ``response_url``."""
    bot, body = await verified_body(request)
    form = dict(parse_qsl(body.decode("utf-8", errors="replace")))
    if not form.get("response_url"):
        raise BadRequest("slash command without response_url")
    if not form.get("text", "").strip():
        return {"response_type": "ephemeral", "text": usage(form.get("command") or "/ask")}
    background.add_task(bot.answer_command, form)
    return {"response_type": "ephemeral", "text": WORKING}
