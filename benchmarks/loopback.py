"""A loopback OpenAI-compatible server with a fixed injected latency and scripted faults.

It answers ``POST /v1/chat/completions`` ``latency`` seconds after the request arrived (its own
work included in that time) with valid :class:`Records` (a tool call when the request offers
tools, else JSON content): one event whose evidence quote is the article's first sentence, so
grounding succeeds. It is plain asyncio (no web framework) so that it
costs little CPU and can break a connection exactly where a test wants.

Faults are scripted by markers in the article text, so they do not depend on the order in which
concurrent requests arrive: ``FAULT:<kind>*<n>`` makes the first ``n`` requests for that article
fail that way (``*always``: every request), after which it answers normally. Kinds:

- ``rate_limit``: HTTP 429 with ``Retry-After: 1`` and ``retry-after-ms: 20``
- ``server500`` / ``server503``: HTTP 500 / 503
- ``reset``: the connection is dropped without an answer
- ``slow``: the answer comes after ``slow_seconds`` (longer than the client's timeout); with
  ``slow_seconds=None``, no answer comes until the client gives up and hangs up
- ``malformed``: HTTP 200 whose tool-call arguments are not JSON
- ``truncated``: HTTP 200 cut off by the token limit (``finish_reason: "length"``)
- ``unauthorized``: HTTP 401 whose message repeats the bearer token, as some servers do

Run standalone (the benchmarks do) with ``python -m benchmarks.loopback --latency 0.25``; it prints
``PORT <n>`` once listening, and ``GET /v1/stats`` reports the requests it has seen (the stats
request itself included).

>>> faults_in("text FAULT:rate_limit*2 and FAULT:truncated*always")
[('rate_limit', 2), ('truncated', None)]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_FAULT = re.compile(r"FAULT:([a-z_0-9]+)(?:\*(\d+|always))?")
_ARTICLE = re.compile(r"<article>\n?(.*?)\n?</article>", re.DOTALL)
_SENTENCE = re.compile(r"[^.!?\n]{8,200}[.!?]")
FAULT_KINDS = frozenset(
    {
        "rate_limit",
        "server500",
        "server503",
        "reset",
        "slow",
        "malformed",
        "truncated",
        "unauthorized",
    }
)

Responder = Callable[[dict[str, Any], str], dict[str, Any]]
"""(request JSON, article text) -> the Records object to answer with."""


def faults_in(text: str) -> list[tuple[str, int | None]]:
    """The fault markers in ``text``: (kind, how many requests; ``None`` for always)."""
    out: list[tuple[str, int | None]] = []
    for m in _FAULT.finditer(text):
        if m.group(1) in FAULT_KINDS:
            count = m.group(2) or "1"
            out.append((m.group(1), None if count == "always" else int(count)))
    return out


def article_of(request: dict[str, Any]) -> str:
    """The article text of a chat request: inside ``<article>`` of the first user message."""
    for message in request.get("messages", []):
        if message.get("role") == "user":
            content = message.get("content")
            text = content if isinstance(content, str) else json.dumps(content)
            found = _ARTICLE.search(text)
            return found.group(1) if found else text
    return ""


def default_records(request: dict[str, Any], article: str) -> dict[str, Any]:
    """One air strike whose evidence is the article's first sentence (none if it has none)."""
    sentence = _SENTENCE.search(article)
    if sentence is None:
        return {"events": [], "statements": []}
    quote = sentence.group(0).strip()
    return {
        "events": [
            {
                "id": "E1",
                "sub_type": "air_drone_strike",
                "location": {"place": "Koya", "country": "Iraq"},
                "evidence": {"quote": quote},
            }
        ],
        "statements": [],
    }


@dataclass
class ServerStats:
    requests: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    authorization_seen: int = 0
    captured: list[dict[str, Any]] = field(default_factory=list)


class LoopbackServer:
    """The server, on the running event loop. ``capture`` keeps the first n request bodies;
    ``hold_after`` answers that many chat requests, then holds the others until :meth:`release`
    (so a test can act while a batch is surely in the middle)."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        slow_seconds: float | None = 5.0,
        host: str = "127.0.0.1",
        port: int = 0,
        responder: Responder = default_records,
        capture: int = 0,
        hold_after: int | None = None,
    ) -> None:
        self.latency = latency
        self.hold_after = hold_after
        self._answered = 0
        self._gate = asyncio.Event()
        self.slow_seconds = slow_seconds
        self.host = host
        self.port = port
        self.responder = responder
        self.capture = capture
        self.stats = ServerStats()
        self._seen: Counter[str] = Counter()
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[Any]] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._client, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._handlers):  # idle keep-alive connections
            task.cancel()
        if self._handlers:
            await asyncio.wait(list(self._handlers), timeout=1.0)

    def release(self) -> None:
        """Answer the chat requests held back by ``hold_after`` (call on the server's loop)."""
        self._gate.set()

    def reset_counts(self) -> None:
        """Forget how many requests each article has had (its faults fire again)."""
        self._seen.clear()

    # -- HTTP -------------------------------------------------------------------------------

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                arrived = time.monotonic()
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                keep = await self._handle(method, path, headers, body, writer, arrived, reader)
                if not keep or headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            pass  # the server is stopping
        finally:
            with contextlib.suppress(Exception):
                writer.close()
            if task is not None:
                self._handlers.discard(task)

    @staticmethod
    def _send(
        writer: asyncio.StreamWriter,
        status: int,
        payload: bytes,
        extra: dict[str, str] | None = None,
    ) -> None:
        reason = {
            200: "OK",
            404: "Not Found",
            429: "Too Many Requests",
            500: "Internal Error",
            503: "Service Unavailable",
        }.get(status, "Error")
        head = [
            f"HTTP/1.1 {status} {reason}",
            "content-type: application/json",
            f"content-length: {len(payload)}",
        ]
        head += [f"{k}: {v}" for k, v in (extra or {}).items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload)

    async def _handle(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes,
        writer: asyncio.StreamWriter,
        arrived: float | None = None,
        reader: asyncio.StreamReader | None = None,
    ) -> bool:
        """Answer one request ``latency`` seconds after it ``arrived`` (its head was read): the
        server's own work (parsing, building the answer) happens inside that time rather than on
        top of it, so the latency a client sees is the injected one, whatever the load."""
        arrived = time.monotonic() if arrived is None else arrived
        self.stats.requests += 1
        if headers.get("authorization"):
            self.stats.authorization_seen += 1
        if method == "GET" and path.rstrip("/").endswith("/stats"):
            stats = {
                "requests": self.stats.requests,
                "by_status": {str(k): v for k, v in self.stats.by_status.items()},
                "faults": dict(self.stats.faults),
            }
            self._send(writer, 200, json.dumps(stats).encode())
            return True
        if method != "POST" or not path.rstrip("/").endswith("/chat/completions"):
            self.stats.by_status[404] += 1
            self._send(writer, 404, b'{"error": {"message": "not found"}}')
            return True
        request = json.loads(body)
        self._answered += 1
        if self.hold_after is not None and self._answered > self.hold_after:
            await self._gate.wait()  # held until release(): a test's point in the middle
        if len(self.stats.captured) < self.capture:
            self.stats.captured.append(request)
        article = article_of(request)
        key = hashlib.sha256(article.encode()).hexdigest()
        self._seen[key] += 1
        nth = self._seen[key]
        fault = next((kind for kind, n in faults_in(article) if n is None or nth <= n), None)
        payload = b""
        if fault in (None, "malformed", "truncated"):
            records = self.responder(request, article)
            arguments = json.dumps(records)
            finish = "tool_calls" if request.get("tools") else "stop"
            if fault == "malformed":
                arguments = arguments.replace('"', "", 3)  # no longer JSON
            if fault == "truncated":
                arguments = arguments[: max(1, len(arguments) // 2)]
                finish = "length"
            payload = self._completion(request, arguments, finish, len(body))
        if self.latency:
            await asyncio.sleep(max(0.0, arrived + self.latency - time.monotonic()))
        if fault is not None:
            self.stats.faults[fault] += 1
        if fault == "reset":
            writer.transport.abort()
            return False
        if fault == "slow":
            if self.slow_seconds is None and reader is not None:
                await reader.read()  # no answer until the client gives up and hangs up
                return False
            await asyncio.sleep(self.slow_seconds or 0.0)
        if fault == "rate_limit":
            self.stats.by_status[429] += 1
            error = {
                "error": {
                    "message": "Rate limit reached",
                    "type": "requests",
                    "code": "rate_limit_exceeded",
                }
            }
            self._send(
                writer,
                429,
                json.dumps(error).encode(),
                {"retry-after": "1", "retry-after-ms": "20"},
            )
            return True
        if fault == "unauthorized":
            self.stats.by_status[401] += 1
            token = headers.get("authorization", "").removeprefix("Bearer ")
            error = {
                "error": {
                    "message": f"Incorrect API key provided: {token}.",
                    "code": "invalid_api_key",
                }
            }
            self._send(writer, 401, json.dumps(error).encode())
            return True
        if fault in ("server500", "server503"):
            status = 500 if fault == "server500" else 503
            self.stats.by_status[status] += 1
            self._send(writer, status, b'{"error": {"message": "upstream failure"}}')
            return True
        self.stats.by_status[200] += 1
        self._send(writer, 200, payload)
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        return True

    @staticmethod
    def _completion(request: dict[str, Any], arguments: str, finish: str, size: int) -> bytes:
        tools = request.get("tools") or []
        if tools:
            name = tools[0].get("function", {}).get("name", "Records")
            message: dict[str, Any] = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": name, "arguments": arguments},
                    }
                ],
            }
        else:
            message = {"role": "assistant", "content": arguments}
        prompt_tokens, completion_tokens = size // 4, len(arguments) // 4
        return json.dumps(
            {
                "id": "chatcmpl-loopback",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request.get("model", "loopback"),
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            }
        ).encode()


class ThreadedServer:
    """A :class:`LoopbackServer` on its own event loop in a daemon thread (for sync callers).

    >>> with ThreadedServer() as server:
    ...     server.url.startswith("http://127.0.0.1:")
    True
    """

    def __init__(self, **kwargs: Any) -> None:
        self.server = LoopbackServer(**kwargs)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def stats(self) -> ServerStats:
        return self.server.stats

    def release(self) -> None:
        """Answer the requests held back by ``hold_after`` (from any thread)."""
        self._loop.call_soon_threadsafe(self.server.release)

    def __enter__(self) -> ThreadedServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()


async def _serve(latency: float, port: int, slow_seconds: float) -> None:
    server = LoopbackServer(latency=latency, port=port, slow_seconds=slow_seconds)
    await server.start()
    print(f"PORT {server.port}", flush=True)
    await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=0.25, help="seconds per answer")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.latency, args.port, args.slow_seconds))


if __name__ == "__main__":
    main()
