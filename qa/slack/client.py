"""The few Slack Web API calls the bot makes, over the app's shared ``httpx.AsyncClient``.

Every Web API answer carries ``"ok"``; a false one becomes ``SlackAPIError`` with Slack's
error code (``invalid_auth``, ``channel_not_found``...), so failures are never silent.
"""

from __future__ import annotations

import json

import httpx


class SlackAPIError(Exception):
    def __init__(self, method: str, error: str):
        super().__init__(f"Slack {method} failed: {error}")
        self.method, self.error = method, error


class SlackClient:
    def __init__(self, http: httpx.AsyncClient, token: str | None, api_base: str):
        self.http = http
        self.token = token
        self.api_base = api_base.rstrip("/") + "/"

    async def post_message(self, channel: str, message: dict, thread_ts: str | None = None) -> dict:
        body = {"channel": channel, **message}
        if thread_ts:
            body["thread_ts"] = thread_ts
        return await self._call("chat.postMessage", body=body)

    async def update_message(self, channel: str, ts: str, message: dict) -> dict:
        """Replace the text and blocks of the bot's own message ``ts`` (``chat.update``)."""
        return await self._call("chat.update", body={"channel": channel, "ts": ts, **message})

    async def replies(self, channel: str, ts: str, limit: int = 100) -> list[dict]:
        """The thread whose parent is ``ts``, oldest first (parent included)."""
        data = await self._call("conversations.replies", params={"channel": channel, "ts": ts, "limit": limit})
        return data.get("messages", [])

    async def auth_test(self) -> dict:
        return await self._call("auth.test")

    async def respond(self, response_url: str, message: dict) -> None:
        """Post to a slash command's ``response_url`` (no token: the URL is the credential).
        With ``"replace_original": True`` the message replaces the one posted there before."""
        response = await self.http.post(response_url, json=message)
        if response.status_code != 200:
            raise SlackAPIError("response_url", f"HTTP {response.status_code}")
        if response.headers.get("content-type", "").startswith("application/json"):
            data = response.json()
            if not data.get("ok", True):
                raise SlackAPIError("response_url", str(data.get("error", "unknown_error")))

    async def _call(self, method: str, *, body: dict | None = None, params: dict | None = None) -> dict:
        if not self.token:
            raise SlackAPIError(method, "not_authed (QA_SLACK_BOT_TOKEN is not set)")
        headers = {"Authorization": f"Bearer {self.token}"}
        url = self.api_base + method
        if body is not None:
            # Slack asks for the charset on JSON bodies (else a "missing_charset" warning).
            headers["Content-Type"] = "application/json; charset=utf-8"
            response = await self.http.post(url, content=json.dumps(body).encode(), headers=headers)
        elif params is not None:
            response = await self.http.get(url, params=params, headers=headers)
        else:
            response = await self.http.post(url, headers=headers)
        if response.status_code == 429:
            raise SlackAPIError(method, f"ratelimited (retry after {response.headers.get('retry-after', '?')}s)")
        try:
            data = response.json()
        except ValueError:
            raise SlackAPIError(method, f"HTTP {response.status_code}, not JSON") from None
        if not data.get("ok"):
            raise SlackAPIError(method, str(data.get("error", f"HTTP {response.status_code}")))
        return data
