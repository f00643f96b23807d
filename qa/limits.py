"""Request limits as pure ASGI middleware: body size and a per-client rate limit.

Pure ASGI (not BaseHTTPMiddleware) so streamed responses such as /api/chat pass through
untouched. Both answer with the same ``{"error": ...}`` JSON as the rest of the API and
never read the application's state: they work before any route runs.
"""

from __future__ import annotations

import json
import math
import threading
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The JSON API and Slack's webhooks cost CPU; pages, static files, health and metrics do not.
RATE_LIMITED_PREFIXES = ("/api/", "/slack/")
MAX_CLIENTS = 10_000  # buckets kept before idle (full) ones are forgotten


async def send_error(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": message}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """413 for bodies over ``max_bytes``: by Content-Length up front, and by counting the
    bytes actually received, since a chunked upload announces no length."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        message = f"request body is larger than {self.max_bytes} bytes"
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await send_error(send, 413, message)

        # Read the whole body first (it is small by definition) and replay it, so the
        # application never sees part of an oversized request.
        chunks, size, more = [], 0, True
        while more:
            received = await receive()
            if received["type"] == "http.disconnect":
                return
            chunk = received.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await send_error(send, 413, message)
            chunks.append(chunk)
            more = received.get("more_body", False)
        body, replayed = b"".join(chunks), False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect

        await self.app(scope, replay, send)


class TokenBuckets:
    """One token bucket per client: ``per_minute`` tokens, refilled continuously."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds until a token is available."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            if len(self._buckets) > MAX_CLIENTS:
                self._forget_idle(now)
            return (1 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full = [c for c, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.capacity]
        for client in full:
            del self._buckets[client]


class RateLimit:
    """429 with ``Retry-After`` once a client (by IP) spends its bucket on the API."""

    def __init__(self, app: ASGIApp, per_minute: int):
        self.app = app
        self.buckets = TokenBuckets(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(RATE_LIMITED_PREFIXES):
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.buckets.take(client)
            if wait:
                return await send_error(send, 429, "too many requests; slow down",
                                        {"Retry-After": str(math.ceil(wait))})
        await self.app(scope, receive, send)
