"""Two guards of the review server: a request body read only up to a limit, and every unexpected
exception turned into a logged JSON error instead of a bare HTTP 500.

>>> import asyncio
>>> from starlette.requests import Request
>>> chunks = iter([b"abc", b"def", b"ghi"])
>>> async def receive():
...     chunk = next(chunks, b"")
...     return {"type": "http.request", "body": chunk, "more_body": chunk != b""}
>>> request = Request({"type": "http", "method": "POST", "headers": []}, receive)
>>> asyncio.run(read_limited(request, 4)) is None  # over 4 bytes: stops after the second chunk
True
>>> next(chunks)  # the third chunk was never read
b'ghi'
"""

from __future__ import annotations

import json
import logging

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG = logging.getLogger("sitrep.review")


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The request body, or ``None`` as soon as it grows past ``limit`` bytes (the rest is never
    read: a chunked body without Content-Length cannot make the server buffer it whole)."""
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
    return b"".join(parts)


class JsonErrors:
    """ASGI middleware: an exception no handler caught is logged with its traceback and answered
    with ``{"ok": false, "error": "..."}`` and status 500, naming the exception's type and
    message, so the page can show what went wrong."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            LOG.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:
                raise
            message = (
                f"internal error while answering {scope.get('method')} {scope.get('path')}: "
                f"{type(exc).__name__}: {exc} (details in the server's log)"
            )
            body = json.dumps({"ok": False, "error": message}).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
