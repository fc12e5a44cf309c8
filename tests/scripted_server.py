"""A SCRIPTED OpenAI-compatible server on loopback, for offline tests of the model path.

It is not a model and understands nothing: it never reads the prompt or the article. Each
``POST /v1/chat/completions`` is answered with the next reply of a script the test wrote (a tool
call or JSON content holding records the test author typed, with token usage; or an HTTP error
such as 429 with ``Retry-After``, 500, 503, 401), and every request is kept for the test to
inspect. Its model name, :data:`SCRIPTED_MODEL`, says so wherever it ends up (results, cassettes).

It exists so the real openai client, instructor and sitrep's retry policy run over real HTTP
without a network, a key or a model.

>>> with ScriptedServer([error_reply(503, "busy")]) as server:
...     server.url.startswith("http://127.0.0.1:"), len(server.requests)
(True, 0)
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

SCRIPTED_MODEL = "scripted-test-model"
"""The name the scripted server answers as: not a model, a script."""

CREATED = 1_700_000_000
"""A fixed ``created`` timestamp, so that recorded cassettes do not change between recordings."""


@dataclass(frozen=True)
class Reply:
    """One scripted answer: an HTTP status, a JSON (or text) body, headers, and an optional delay
    before answering (for timeout tests)."""

    status: int = 200
    body: dict[str, Any] | str = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Received:
    """One request as the server saw it (header names lower-cased)."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.body or {}).get("messages", []))


def _usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _as_text(payload: dict[str, Any] | str) -> str:
    return payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)


def _completion(
    message: dict[str, Any], *, finish_reason: str, usage: tuple[int, int], model: str, n: int
) -> Reply:
    """The chat-completion envelope around one assistant ``message``."""
    return Reply(
        body={
            "id": f"chatcmpl-scripted-{n}",
            "object": "chat.completion",
            "created": CREATED,
            "model": model,
            "choices": [{"index": 0, "finish_reason": finish_reason, "message": message}],
            "usage": _usage(*usage),
        }
    )


def tool_call_reply(
    payload: dict[str, Any] | str,
    *,
    usage: tuple[int, int] = (1000, 200),
    model: str = SCRIPTED_MODEL,
    name: str = "Records",
    finish_reason: str = "tool_calls",
    n: int = 1,
) -> Reply:
    """A chat completion whose answer is a call of tool ``name`` with ``payload`` as arguments."""
    call = {
        "id": f"call_scripted_{n}",
        "type": "function",
        "function": {"name": name, "arguments": _as_text(payload)},
    }
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    return _completion(message, finish_reason=finish_reason, usage=usage, model=model, n=n)


def content_reply(
    payload: dict[str, Any] | str,
    *,
    usage: tuple[int, int] = (1000, 200),
    model: str = SCRIPTED_MODEL,
    finish_reason: str = "stop",
    n: int = 1,
) -> Reply:
    """A chat completion whose answer is message content (JSON modes)."""
    message = {"role": "assistant", "content": _as_text(payload)}
    return _completion(message, finish_reason=finish_reason, usage=usage, model=model, n=n)


def error_reply(
    status: int,
    message: str,
    *,
    code: str | None = None,
    type_: str = "scripted_error",
    headers: dict[str, str] | None = None,
    delay: float = 0.0,
) -> Reply:
    """An error in the OpenAI shape: ``{"error": {"message", "type", "code"}}``."""
    return Reply(
        status=status,
        body={"error": {"message": message, "type": type_, "code": code, "param": None}},
        headers=headers or {},
        delay=delay,
    )


class HTTPFixture:
    """A threaded HTTP server on 127.0.0.1 (a free port) answering through the handler class a
    subclass gives (:meth:`_handler_class`); a context manager; :attr:`url` ends in ``/v1``.
    A subclass sets its own attributes, then calls ``super().__init__()``."""

    def __init__(self) -> None:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


class ScriptedServer(HTTPFixture):
    """A threaded HTTP server on 127.0.0.1 (a free port) answering from a script, in order.

    Use it as a context manager; :attr:`url` is the base URL to give the client (ending in
    ``/v1``). When the script runs out it answers 500 saying so, which makes a test fail loudly.
    """

    def __init__(self, replies: Iterable[Reply] = ()) -> None:
        self._script: deque[Reply] = deque(replies)
        self._lock = threading.Lock()
        self.requests: list[Received] = []
        super().__init__()

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self._script)

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def _next(self, received: Received) -> Reply:
        with self._lock:
            self.requests.append(received)
            if received.method != "POST" or not received.path.endswith("/chat/completions"):
                return error_reply(404, f"scripted server: no route {received.path}")
            if not self._script:
                return error_reply(500, "scripted server: the script has no reply left")
            return self._script.popleft()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                received = Received(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                reply = server._next(received)
                if reply.delay:
                    time.sleep(reply.delay)
                data = _as_text(reply.body).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            do_POST = _answer
            do_GET = _answer

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                return

        return Handler
