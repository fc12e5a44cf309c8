"""Errors of the model extraction path: each says what went wrong and what to change.

Every error that follows a call carries the endpoint (without credentials), the model, how many
requests were sent and the tokens they used, so a caller can account for a failed article too.
No message ever holds an API key: text that came from a server passes through :func:`redact`.

>>> err = TransportError("gave up", endpoint="http://localhost:11434/v1", model="llama3.1",
...                      attempts=3)
>>> err.attempts, err.usage.total_tokens
(3, 0)
>>> import pickle
>>> again = pickle.loads(pickle.dumps(EndpointError("no", status=401, attempts=1)))
>>> type(again).__name__, again.status, again.attempts, str(again)
('EndpointError', 401, 1, 'no')
>>> redact("Incorrect API key provided: sk-proj-abcdef123456. Bearer xyz987", ["xyz987"])
'Incorrect API key provided: [redacted]. Bearer [redacted]'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from schemas.records import Usage

_KEY_LIKE = re.compile(
    r"(?i)\b(?:sk|pk|rk|ak)-[A-Za-z0-9_\-*]{6,}"  # OpenAI-style keys, masked or not
    r"|(?<=Bearer )\S+"  # whatever follows 'Bearer '
    r"|(?<=api[_-]key=)[^&\s]+"  # key=... in a query string
)
_MAX_SERVER_TEXT = 300


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with the given secrets and anything key-shaped replaced by ``[redacted]``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return _KEY_LIKE.sub("[redacted]", text)


def server_text(text: str, secrets: Iterable[str | None] = ()) -> str:
    """A server's error text made safe to show: redacted, on one line, and not too long."""
    one_line = " ".join(redact(text, secrets).split())
    if len(one_line) > _MAX_SERVER_TEXT:
        one_line = one_line[: _MAX_SERVER_TEXT - 3] + "..."
    return one_line


class ExtractionError(RuntimeError):
    """Base of sitrep's extraction errors. ``kind`` names the failure for error records
    (:data:`extraction.batch.results.ErrorKind`: ``rate_limit``, ``timeout``, ``connection``,
    ``server``, ``truncated``, ``unparseable``, ``invalid`` ...) where the raiser knows it."""

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        model: str | None = None,
        attempts: int = 0,
        usage: Usage | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.endpoint = endpoint
        self.model = model
        self.attempts = attempts
        self.usage = usage if usage is not None else Usage()
        self.kind = kind

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:  # keep every attribute across pickling (processes)
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: type[ExtractionError], message: str, state: dict[str, Any]) -> ExtractionError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


class ConfigurationError(ExtractionError, ValueError):
    """The model, endpoint or key is missing or malformed; nothing was sent."""


class EndpointError(ExtractionError):
    """The server refused the request in a way that retrying cannot fix (HTTP 400, 401, 403,
    404, 422, or a 429 for an exhausted quota); ``status`` is the HTTP status."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        endpoint: str | None = None,
        model: str | None = None,
        attempts: int = 0,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(
            message, endpoint=endpoint, model=model, attempts=attempts, usage=usage, kind="api"
        )
        self.status = status


class TransportError(ExtractionError):
    """Rate limits, server errors, timeouts or lost connections outlasted the retries."""


class ModelOutputError(ExtractionError):
    """The model's output could not be turned into valid records within the allowed re-asks, or
    stopped at the token limit. ``reasons`` lists the validation errors of the last attempt."""

    def __init__(
        self,
        message: str,
        *,
        reasons: list[str] | None = None,
        endpoint: str | None = None,
        model: str | None = None,
        attempts: int = 0,
        usage: Usage | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(
            message, endpoint=endpoint, model=model, attempts=attempts, usage=usage, kind=kind
        )
        self.reasons = reasons or []
