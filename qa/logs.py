"""Request ids and the access log: one JSON line per request on the ``qa.access`` logger.

The id comes from an incoming ``X-Request-ID`` when it looks like one (so a proxy's id
carries through), else a new one; it goes back in the response header and into error
bodies. The line holds the path without its query string and no headers at all, so
API keys and tokens never reach the log.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qa.metrics import route_label

access_log = logging.getLogger("qa.access")
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id_of(scope: Scope) -> str:
    return scope.get("state", {}).get("request_id", "")


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _VALID_ID.fullmatch(text) else None
    return None


class AccessLog:
    """Pure ASGI middleware: assigns the request id, echoes it, logs the request once done."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 500

        async def tag_response(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, tag_response)
        finally:
            access_log.info(json.dumps({
                "request_id": request_id,
                "method": scope["method"],
                "path": scope["path"],
                "route": route_label(scope),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "client": (scope.get("client") or ("", 0))[0],
            }))
