"""What went wrong with an article, in the words of an error record: the kind of failure
(:data:`extraction.batch.results.ErrorKind`), how many requests it took, the tokens it used, and
whether
it stops the whole batch.

The model path raises :mod:`extraction.errors` exceptions that declare their ``kind``; that is
what the record keeps. An :class:`~extraction.errors.ExtractionError` without one (raised by
other code) is classified from its message, and other extraction functions may raise the openai,
instructor or pydantic exceptions themselves; those are recognised too.

>>> from extraction.errors import TransportError
>>> classify(TransportError("http://h/v1 did not answer within 2s (3 attempts)", attempts=3))[:2]
('timeout', 3)
"""

from __future__ import annotations

import json
from typing import cast

from pydantic import ValidationError

from extraction.batch.results import ERROR_KINDS, ErrorKind
from extraction.errors import ConfigurationError, EndpointError, ExtractionError, ModelOutputError
from schemas.loaders import ArticleInputError
from schemas.records import Usage

FATAL_STATUSES = frozenset({401, 403, 404, 429})
"""Endpoint refusals that every later call would meet too (bad key, no access, unknown model,
no quota left: retryable 429s never reach here, the transport retries them)."""

MAX_REASON = 500
"""Characters of an error message kept in a record."""


def one_line(text: str) -> str:
    """``text`` on one line, at most :data:`MAX_REASON` characters."""
    line = " ".join(text.split())
    return line if len(line) <= MAX_REASON else line[: MAX_REASON - 3] + "..."


def _transport_kind(message: str) -> ErrorKind:
    low = message.casefold()
    if "http 429" in low or "rate-limit" in low or "rate limit" in low:
        return "rate_limit"
    if "did not answer within" in low or "timed out" in low or "timeout" in low:
        return "timeout"
    if "cannot reach" in low or "connection" in low:
        return "connection"
    return "server"


def _output_kind(exc: ExtractionError) -> ErrorKind:
    text = " ".join([exc.message, *getattr(exc, "reasons", [])]).casefold()
    if "max_tokens" in text or "token limit" in text or "finish_reason" in text:
        return "truncated"
    if "json" in text and ("invalid" in text or "parse" in text or "decode" in text):
        return "unparseable"
    return "invalid"


def classify(exc: BaseException) -> tuple[ErrorKind, int | None, Usage]:
    """The error kind of a failed article, the requests it took and the tokens it used."""
    attempts: int | None = getattr(exc, "attempts", None)
    usage = getattr(exc, "usage", None)
    used = usage if isinstance(usage, Usage) else Usage()
    declared = getattr(exc, "kind", None)
    if isinstance(declared, str) and declared in ERROR_KINDS:
        return cast(ErrorKind, declared), attempts, used
    if isinstance(exc, ArticleInputError):
        return "input", None, used
    if isinstance(exc, TimeoutError):
        return "timeout", attempts, used
    if isinstance(exc, ModelOutputError):
        return _output_kind(exc), attempts, used
    if isinstance(exc, EndpointError):
        return "api", attempts, used
    if isinstance(exc, ExtractionError):
        return _transport_kind(exc.message), attempts, used
    if isinstance(exc, json.JSONDecodeError):
        return "unparseable", attempts, used
    if isinstance(exc, ValidationError):
        return "invalid", attempts, used
    name = type(exc).__name__
    if name == "IncompleteOutputException" or name == "LengthFinishReasonError":
        return "truncated", attempts, used
    if name == "RateLimitError":
        return "rate_limit", attempts, used
    if name in ("APITimeoutError", "ReadTimeout", "ConnectTimeout"):
        return "timeout", attempts, used
    if name in ("APIConnectionError", "ConnectError", "RemoteProtocolError", "ReadError"):
        return "connection", attempts, used
    if name == "InternalServerError":
        return "server", attempts, used
    if name in ("APIStatusError", "BadRequestError", "UnprocessableEntityError"):
        return "api", attempts, used
    if name == "InstructorRetryException":
        return "invalid", attempts, used
    return "internal", attempts, used


def is_fatal(exc: BaseException) -> bool:
    """A failure that every other article would meet as well: stop the batch."""
    if isinstance(exc, ConfigurationError):
        return True
    return isinstance(exc, EndpointError) and exc.status in FATAL_STATUSES
