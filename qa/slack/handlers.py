"""What the bot does with a verified Slack request: decide fast, answer in the background.

``accept_event`` runs before the 200 goes back to Slack, so it only filters (bots, edits,
redeliveries); ``answer_event`` and ``answer_command`` run afterwards: they read the
service's answer stream in a worker thread, post the quotes as soon as they arrive and
put the final answer in their place. They never raise: a failure is logged with its
traceback and the asker gets a short apology instead of silence.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

import httpx
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from core.errors import BadRequest
from core.settings import Settings
from qa.service import Service
from qa.slack.client import SlackClient
from qa.slack.dedupe import RecentKeys
from qa.slack.format import (
    APOLOGY, answer_messages, answer_part, evidence_messages, text_message, to_plain, usage,
)
from qa.slack.replies import CommandReply, ThreadReply
from qa.slack.verify import verify_request

log = logging.getLogger(__name__)

_ANSWERED_EVENTS = ("app_mention", "message")
_HISTORY_SUBTYPES = (None, "bot_message", "thread_broadcast")


class SlackBot:
    def __init__(self, settings: Settings, service: Service, http: httpx.AsyncClient):
        self.settings = settings
        self.service = service
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        self.client = SlackClient(http, token, settings.slack_api_base)
        self.seen = RecentKeys()
        self._bot_user: str | None = None

    def verify(self, body: bytes, headers) -> None:
        secret = self.settings.slack_signing_secret
        assert secret is not None  # the bot exists only when Slack is enabled (routers/slack.py)
        verify_request(secret.get_secret_value(), body, headers)

    # --- Events API ---
    def accept_event(self, payload: dict) -> dict | None:
        """The event to answer, or None for everything the bot must not answer: other
        event kinds, channel messages without a mention, edits and deletions, bots
        (itself included) and events already seen."""
        event = payload.get("event")
        if payload.get("type") != "event_callback" or not isinstance(event, dict):
            return None
        if event.get("type") not in _ANSWERED_EVENTS:
            return None
        if event.get("type") == "message" and event.get("channel_type") != "im":
            return None  # in channels the bot answers only when mentioned (app_mention)
        if event.get("subtype") or event.get("bot_id") or not event.get("channel") or not event.get("ts"):
            return None
        self._bot_user = _authorized_user(payload) or self._bot_user
        if self._bot_user and event.get("user") == self._bot_user:
            return None
        # The same message can come as a retry (same event_id) or as a second event type.
        keys = [k for k in (payload.get("event_id"), f"{event['channel']}:{event['ts']}") if k]
        first_time = [self.seen.add(k) for k in keys]
        return event if all(first_time) else None

    async def answer_event(self, event: dict) -> None:
        channel, thread_ts = event["channel"], event.get("thread_ts") or event["ts"]
        try:
            bot_user = await self.bot_user()
            if bot_user and event.get("user") == bot_user:
                return
            question = to_plain(event.get("text") or "", bot_user)
            if not question:
                await self.client.post_message(channel, text_message(usage()), thread_ts)
                return
            history = await self.thread_history(channel, event, bot_user) if event.get("thread_ts") else []
            await self._answer(question, history, ThreadReply(self.client, channel, thread_ts))
        except BadRequest as exc:
            await self._reply_quietly(channel, thread_ts, f"Sorry, I can't answer that: {exc.message}")
        except Exception:
            log.exception("Slack answer failed (channel %s, thread %s)", channel, thread_ts)
            await self._reply_quietly(channel, thread_ts, APOLOGY)

    async def bot_user(self) -> str | None:
        """The bot's own user id: from the event's ``authorizations``, else ``auth.test``."""
        if self._bot_user is None:
            self._bot_user = (await self.client.auth_test()).get("user_id")
        return self._bot_user

    async def thread_history(self, channel: str, event: dict, bot_user: str | None) -> list[dict]:
        """Earlier messages of the thread as chat history: the bot's are the assistant's,
        people's are the user's; other bots and joins/edits are left out."""
        messages = await self.client.replies(channel, event["thread_ts"])
        now = _ts(event["ts"])
        limit = self.settings.max_question_chars * 4
        turns = []
        for message in messages:
            if _ts(message.get("ts", "")) >= now or message.get("subtype") not in _HISTORY_SUBTYPES:
                continue
            mine = bot_user is not None and message.get("user") == bot_user
            if message.get("bot_id") and not mine:
                continue
            text = message.get("text") or ""
            content = to_plain(answer_part(text) if mine else text, bot_user)[:limit]
            if content:
                turns.append({"role": "assistant" if mine else "user", "content": content})
        keep = self.settings.max_history_turns
        return turns[-keep:] if keep else []

    # --- slash commands ---
    async def answer_command(self, form: dict[str, str]) -> None:
        url = form["response_url"]
        question = to_plain(form.get("text", ""))
        try:
            asked_by = (form.get("user_id", ""), question)
            await self._answer(question, [], CommandReply(self.client, url), asked_by)
        except BadRequest as exc:
            await self._respond_quietly(url, f"Sorry, I can't answer that: {exc.message}")
        except Exception:
            log.exception("Slack command failed (channel %s)", form.get("channel_id"))
            await self._respond_quietly(url, APOLOGY)

    async def _answer(self, question: str, history: list[dict], reply: ThreadReply | CommandReply,
                      asked_by: tuple[str, str] | None = None) -> None:
        """Show the quotes when they arrive, then the final answer in their place. Tokens
        are skipped: Slack shows whole, verified messages only."""
        events = self.service.ask_stream(question, history)
        final = None
        try:
            # Retrieval and generation are CPU-bound: each step runs in a worker thread.
            async for event in iterate_in_threadpool(events):
                if event.kind == "evidence":
                    await reply.show(evidence_messages(event.evidence, asked_by))
                elif event.kind == "answer":
                    final = event.answer
        finally:
            close = getattr(events, "close", None)
            if close:
                await run_in_threadpool(close)  # an answer abandoned midway stops generating
        if final is None:
            raise RuntimeError("the answer stream ended without an answer")
        await reply.show(answer_messages(final, asked_by))

    async def _reply_quietly(self, channel: str, thread_ts: str, text: str) -> None:
        try:
            await self.client.post_message(channel, text_message(text), thread_ts)
        except Exception:
            log.exception("Slack apology could not be posted (channel %s)", channel)

    async def _respond_quietly(self, response_url: str, text: str) -> None:
        try:
            await self.client.respond(response_url, {"response_type": "ephemeral", **text_message(text)})
        except Exception:
            log.exception("Slack apology could not be posted to response_url")


def _authorized_user(payload: dict) -> str | None:
    authorizations = payload.get("authorizations") or [{}]
    return authorizations[0].get("user_id")


def _ts(value: str) -> Decimal:
    """Slack timestamps ("1700000000.000100") compared exactly; floats would round them."""
    try:
        ts = Decimal(value)
    except InvalidOperation:
        return Decimal(0)
    return ts if ts.is_finite() else Decimal(0)
