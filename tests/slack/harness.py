"""What Slack sends the app: signed Events API callbacks and slash commands."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier

from core.settings import Settings

from tests.fakes.slack_server import FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
USER = "U0HUMAN"


def slack_settings(settings: Settings, fake: FakeSlack) -> Settings:
    """``settings`` with Slack enabled and pointed at ``fake``."""
    return settings.model_copy(update={"slack_signing_secret": SecretStr(SECRET),
                                       "slack_bot_token": SecretStr(fake.token), "slack_api_base": fake.api_url})


def sign(body: bytes, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)}


def new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


class SlackUser:
    """Sends what Slack would send: signed Events API callbacks and slash commands."""

    def __init__(self, url: str, fake: FakeSlack, authorizations: bool = True):
        self.url, self.fake, self.authorizations = url, fake, authorizations
        self.http = httpx.Client(base_url=url, timeout=60)
        self._ts = int(time.time()) * 1_000_000

    def ts(self) -> str:
        self._ts += 100
        return f"{self._ts // 1_000_000}.{self._ts % 1_000_000:06d}"

    def mention(self, text: str, channel: str, **fields) -> dict:
        return {"type": "app_mention", "user": USER, "text": f"<@{self.fake.bot_user}> {text}",
                "ts": self.ts(), "channel": channel, **fields}

    def dm(self, text: str, channel: str, **fields) -> dict:
        return {"type": "message", "channel_type": "im", "user": USER, "text": text, "ts": self.ts(),
                "channel": channel, **fields}

    def send_event(self, event: dict, event_id: str | None = None, headers: dict | None = None,
                   sign_with: str = SECRET) -> httpx.Response:
        payload = {"token": "unused", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
                   "event_id": event_id or new_id("Ev"), "event_time": int(time.time()),
                   "event": event}
        if self.authorizations:
            payload["authorizations"] = [{"enterprise_id": None, "team_id": "T0001", "user_id": self.fake.bot_user,
                                          "is_bot": True, "is_enterprise_install": False}]
        return self.post("/slack/events", json.dumps(payload).encode(), "application/json", headers, sign_with)

    def command(self, text: str, response_url: str, channel: str = "C0CMD", command: str = "/ask") -> httpx.Response:
        body = urlencode({"token": "unused", "team_id": "T0001", "channel_id": channel, "user_id": USER,
                          "user_name": "ana", "command": command, "text": text, "response_url": response_url,
                          "trigger_id": "1.2.3"}).encode()
        return self.post("/slack/commands", body, "application/x-www-form-urlencoded")

    def post(self, path: str, body: bytes, content_type: str, headers: dict | None = None,
             sign_with: str = SECRET) -> httpx.Response:
        signed = sign(body, sign_with) if sign_with else {}
        return self.http.post(path, content=body, headers={"Content-Type": content_type, **signed, **(headers or {})})

    def settle(self) -> None:
        """Wait until a fresh DM has been answered: anything the app was going to post for
        earlier requests has had the time a full answer takes."""
        channel = new_id("DSETTLE")
        self.send_event(self.dm("How was the 127th Canton Fair held?", channel))
        self.fake.wait_for("chat.postMessage", where=lambda c: c.body["channel"] == channel)
