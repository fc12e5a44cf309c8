"""The guards of the local servers (review, adjudication): security headers on every answer, the
checks a writing request must pass, a request body read only up to a limit, and every unexpected
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

import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG = logging.getLogger("sitrep.review")
TOKEN_HEADER = "x-sitrep-token"

_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Adds a strict Content-Security-Policy and related headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", _CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"cache-control", b"no-store"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, **extra}, status_code=status)


def refuse_write(request: Request, token: str, max_body: int) -> JSONResponse | None:
    """Why a state-changing request is refused (None: allowed): it must carry the page's token
    in ``X-Sitrep-Token`` (compared in constant time), come from the page's origin, be JSON and
    announce no body over ``max_body`` bytes."""
    sent = request.headers.get(TOKEN_HEADER, "")
    if not hmac.compare_digest(sent.encode(), token.encode()):
        return error(403, "missing or wrong session token; reload the page")
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    if origin is not None and origin not in (f"http://{host}", f"https://{host}"):
        return error(403, f"cross-origin request from {origin} refused")
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return error(415, "expected a JSON body (Content-Type: application/json)")
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_body:
        return error(413, f"request body over {max_body} bytes")
    return None


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
