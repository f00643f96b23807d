"""Slack's Web API on 127.0.0.1, for tests of the bot: a real HTTP server, Slack's wire format.

Serves ``chat.postMessage`` and ``chat.update`` (JSON body), ``conversations.replies`` (GET
query or form), ``auth.test`` and slash-command ``response_url``s (``/respond/<name>``).
Every call is recorded as Slack would receive it (method, headers, decoded body); answers
are Slack-shaped (HTTP 200 with ``{"ok": ...}``). A wrong or missing bearer token gets
``invalid_auth``/``not_authed`` as from Slack, and ``fail(method, error)`` scripts failures.
Posted messages join their thread, so ``conversations.replies`` sees the bot's replies, as
edited by ``chat.update`` (which, as in Slack, only edits the bot's own messages).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Call:
    method: str  # "chat.postMessage", "chat.update", "conversations.replies", "auth.test" or "response_url"
    http_method: str
    path: str
    headers: dict[str, str]
    body: dict
    gate_was_open: bool = True  # for response_url: whether the gate opened before the post was taken

    @property
    def authorization(self) -> str:
        return self.headers.get("authorization", "")


@dataclass
class FakeSlack:
    token: str = "xoxb-test-token"
    bot_user: str = "UBOT"
    bot_id: str = "BBOT"
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    threads: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    messages: dict[tuple[str, str], dict] = field(default_factory=dict)  # (channel, ts) -> message
    failures: dict[str, str] = field(default_factory=dict)
    gate: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _last_ts: int = 0

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/respond/{name}"

    # --- scripting ---
    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.threads.clear()
            self.messages.clear()
            self.failures.clear()
        self.gate.set()

    def fail(self, method: str, error: str) -> None:
        """From now on ``method`` answers ``{"ok": false, "error": error}``."""
        self.failures[method] = error

    def add_thread(self, channel: str, messages: list[dict]) -> None:
        """Messages already in a thread; the first one's ``ts`` is the thread's."""
        with self._lock:
            thread = [dict(m) for m in messages]
            self.threads[(channel, messages[0]["ts"])] = thread
            self.messages.update({(channel, m["ts"]): m for m in thread})

    # --- inspection ---
    def recorded(self, method: str | None = None, where: Callable[[Call], bool] = lambda c: True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if (method is None or c.method == method) and where(c)]

    def wait_for(self, method: str, count: int = 1, where: Callable[[Call], bool] = lambda c: True,
                 timeout: float = 60.0) -> list[Call]:
        """Poll until ``count`` matching calls arrived; fail with what did arrive."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.recorded(method, where)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} {method} call(s), got {len(found)}; all calls: "
                                     f"{[(c.method, c.body) for c in self.recorded()]}")
            time.sleep(0.02)

    # --- the API ---
    def handle(self, http_method: str, path: str, headers: dict[str, str], body: dict) -> tuple[int, dict]:
        if path.startswith("/respond/"):
            opened = self.gate.wait(timeout=30)
            self._record(Call("response_url", http_method, path, headers, body, gate_was_open=opened))
            return 200, {"ok": True}
        method = path.removeprefix("/api/")
        self._record(Call(method, http_method, path, headers, body))
        auth = headers.get("authorization", "")
        if not auth:
            return 200, {"ok": False, "error": "not_authed"}
        if auth != f"Bearer {self.token}":
            return 200, {"ok": False, "error": "invalid_auth"}
        if method in self.failures:
            return 200, {"ok": False, "error": self.failures[method]}
        handler = {"chat.postMessage": self._post_message, "chat.update": self._update,
                   "conversations.replies": self._replies, "auth.test": self._auth_test}.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}
        return 200, handler(body)

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _post_message(self, body: dict) -> dict:
        channel = body.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not body.get("text") and not body.get("blocks"):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        message = {"type": "message", "user": self.bot_user, "bot_id": self.bot_id, "ts": ts,
                   "text": body.get("text", ""), "blocks": body.get("blocks", [])}
        thread_ts = body.get("thread_ts")
        with self._lock:
            self.messages[(channel, ts)] = message
            if thread_ts:
                message["thread_ts"] = thread_ts
                self.threads.setdefault((channel, thread_ts), []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _update(self, body: dict) -> dict:
        channel, ts = body.get("channel"), body.get("ts")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not body.get("text") and not body.get("blocks"):
            return {"ok": False, "error": "no_text"}
        with self._lock:
            message = self.messages.get((channel, ts))
            if message is None:
                return {"ok": False, "error": "message_not_found"}
            if message.get("user") != self.bot_user:
                return {"ok": False, "error": "cant_update_message"}
            # The thread lists hold the same dicts, so conversations.replies sees the edit.
            message.update(text=body.get("text", ""), blocks=body.get("blocks", []),
                           edited={"user": self.bot_user, "ts": self._next_ts_locked()})
            return {"ok": True, "channel": channel, "ts": ts, "text": message["text"], "message": dict(message)}

    def _next_ts(self) -> str:
        """Slack's message ids: the posting time in microseconds, unique within a channel."""
        with self._lock:
            return self._next_ts_locked()

    def _next_ts_locked(self) -> str:
        self._last_ts = max(self._last_ts + 1, int(time.time() * 1_000_000))
        return f"{self._last_ts // 1_000_000}.{self._last_ts % 1_000_000:06d}"

    def _replies(self, body: dict) -> dict:
        with self._lock:
            messages = self.threads.get((body.get("channel"), body.get("ts")))
        if messages is None:
            return {"ok": False, "error": "thread_not_found"}
        limit = int(body.get("limit") or 1000)
        return {"ok": True, "messages": messages[:limit], "has_more": len(messages) > limit}

    def _auth_test(self, body: dict) -> dict:
        return {"ok": True, "url": "https://example.slack.com/", "team": "Example", "user": "policybot",
                "team_id": "T0001", "user_id": self.bot_user, "bot_id": self.bot_id}


def _handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self._serve()

        def do_POST(self):
            self._serve()

        def _serve(self):
            parts = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            ctype = self.headers.get("content-type", "")
            body = json.loads(raw or b"{}") if ctype.startswith("application/json") else dict(parse_qsl(raw.decode()))
            body = {**dict(parse_qsl(parts.query)), **body}
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer = fake.handle(self.command, parts.path, headers, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # keep test output clean
            pass

    return Handler


@contextmanager
def running_fake_slack(**options):
    """A ``FakeSlack`` listening on 127.0.0.1 until the block ends."""
    fake = FakeSlack(**options)
    fake.gate.set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
