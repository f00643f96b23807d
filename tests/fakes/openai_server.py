"""An OpenAI-compatible chat-completions server on 127.0.0.1, for tests of the ``openai``
backend: a real HTTP/1.1 server speaking the wire format (SSE ``chat.completion.chunk``
events ending in ``data: [DONE]``, or one ``chat.completion`` JSON when not streaming).

Scriptable per test: ``script(...)`` queues behaviours taken one per request (a reply, an
error status with ``Retry-After``, a hang, a stream cut off mid-way); when the
queue is empty ``responder(request)`` decides, so a test can answer by what was asked.
Every request is recorded (path, query, headers, JSON body). It is for what only a socket
shows (timeouts, dropped connections, real streaming) and for driving the pipeline; the
backend's protocol cases run against ``httpx.MockTransport`` in tests/llm/test_openai.py.
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
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict

    @property
    def authorization(self) -> str:
        return self.headers.get("authorization", "")

    @property
    def text(self) -> str:
        """All message contents, for responders that answer by what was asked."""
        return "\n".join(m.get("content", "") for m in self.body.get("messages", []))

    @property
    def is_condense(self) -> bool:
        return "Standalone question:" in self.text


@dataclass
class Behaviour:
    kind: str  # "reply", "status", "hang", "truncate"
    text: str = ""
    status: int = 200
    retry_after: str | None = None
    seconds: float = 0.0


def reply(text: str) -> Behaviour:
    return Behaviour("reply", text)


def status(code: int, retry_after: str | None = None) -> Behaviour:
    return Behaviour("status", status=code, retry_after=retry_after)


def hang(seconds: float, after: str = "") -> Behaviour:
    """Send nothing for ``seconds`` (or stream ``after`` first, then stall)."""
    return Behaviour("hang", after, seconds=seconds)


def truncate(text: str) -> Behaviour:
    """Stream ``text``, then drop the connection without ``finish_reason`` or ``[DONE]``."""
    return Behaviour("truncate", text)


def _hello(request: Request) -> Behaviour:
    return reply("Hello from the fake.")


@dataclass
class FakeOpenAI:
    api_key: str | None = None  # when set, requests without ``Bearer <api_key>`` get 401
    url: str = ""
    requests: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # responders that raised (answered with a 500)
    queue: list[Behaviour] = field(default_factory=list)
    responder: Callable[[Request], Behaviour | str] = _hello
    stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def script(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self.queue.extend(behaviours)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.errors.clear()
            self.queue.clear()
        self.responder = _hello

    def chat_requests(self) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def next_behaviour(self, request: Request) -> Behaviour:
        with self._lock:
            self.requests.append(request)
            if self.queue:
                return self.queue.pop(0)
        try:
            chosen = self.responder(request)
        except Exception as exc:  # a test's responder is wrong: fail loudly, not as a hang
            self.errors.append(f"{type(exc).__name__}: {exc}")
            return status(500)
        return reply(chosen) if isinstance(chosen, str) else chosen


def _chunk(model: str, delta: dict, finish: str | None = None) -> bytes:
    event = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
             "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(event)}\n\n".encode()


def _words(text: str) -> list[str]:
    """Stream pieces as a tokenizer would cut them: short runs, spaces kept."""
    return [text[i:i + 4] for i in range(0, len(text), 4)]


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if urlsplit(self.path).path.endswith("/models"):
                self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
            else:
                self._json(404, _error("not found", "invalid_request_error"))

        def do_POST(self):
            parts = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                return self._json(400, _error("body is not JSON", "invalid_request_error"))
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = Request(parts.path, dict(parse_qsl(parts.query)), headers, body)
            if not parts.path.endswith("/chat/completions"):
                fake.next_behaviour(request)
                return self._json(404, _error("not found", "invalid_request_error"))
            if fake.api_key and request.authorization != f"Bearer {fake.api_key}":
                fake.next_behaviour(request)
                return self._json(401, _error("Incorrect API key provided.", "invalid_api_key"))
            behaviour = fake.next_behaviour(request)
            model = body.get("model", "")
            if behaviour.kind == "status":
                extra = {"Retry-After": behaviour.retry_after} if behaviour.retry_after else {}
                return self._json(behaviour.status, _error(f"fake error {behaviour.status}", "server_error"), extra)
            if behaviour.kind == "hang" and not behaviour.text:
                fake.stopping.wait(behaviour.seconds)
            if not body.get("stream"):
                return self._json(200, {
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": behaviour.text},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
            self._stream(behaviour, model)

        def _stream(self, behaviour: Behaviour, model: str):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self._send(b": keep-alive\n\n")
            self._send(_chunk(model, {"role": "assistant", "content": ""}))
            for piece in _words(behaviour.text):
                self._send(_chunk(model, {"content": piece}))
            if behaviour.kind == "hang":
                fake.stopping.wait(behaviour.seconds)
            if behaviour.kind == "truncate":
                self.close_connection = True  # no last chunk: the body ends mid-message
                return
            self._send(_chunk(model, {}, "stop"))
            self._send(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")

        def _send(self, data: bytes):
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _json(self, code: int, answer: dict, headers: dict[str, str] | None = None):
            data = json.dumps(answer).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # keep test output clean
            pass

    return Handler


def _error(message: str, kind: str) -> dict:
    return {"error": {"message": message, "type": kind, "param": None, "code": kind}}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, _client_address):
        """A client that gave up (its timeout) closes the socket mid-reply: not an error here."""


@contextmanager
def running_fake_openai(**options):
    """A ``FakeOpenAI`` listening on 127.0.0.1 until the block ends."""
    fake = FakeOpenAI(**options)
    server = _Server(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.stopping.set()
        server.shutdown()
        server.server_close()
