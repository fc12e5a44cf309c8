"""Errors of extraction: each says what went wrong and what to change, and its class is its
category.

The class of an error decides the ``kind`` an error record keeps (:data:`ErrorKind`), whether
trying again later may help (``retryable``) and whether the whole batch stops
(``stops_batch``); nothing reads the message to find out. Every error that follows a call
carries the endpoint (without credentials), the model, how many requests were sent and the
tokens they used, so a caller can account for a failed article too. No message ever holds an API
key: text that came from a server passes through :func:`redact`.

>>> err = RequestTimedOut("gave up", endpoint="http://localhost:11434/v1", model="llama3.1",
...                       attempts=3)
>>> err.kind, err.retryable, err.attempts, err.usage.total_tokens
('timeout', True, 3, 0)
>>> isinstance(err, TransportError), EndpointError("no", status=401).stops_batch
(True, True)
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
from typing import Any, ClassVar, Literal, get_args

from schemas.records import Usage

ErrorKind = Literal[
    "input",  # the article could not be read: empty, binary, not UTF-8, too long, bad JSONL line
    "rate_limit",  # 429 after all retries
    "timeout",  # no answer within the timeout, after all retries; or the article took too long
    "connection",  # connection refused or reset, after all retries
    "server",  # 5xx after all retries
    "api",  # another refusal by the endpoint (400, 401, 403, 404, ...), or a bad configuration
    "truncated",  # output cut off by the token limit (finish_reason "length")
    "unparseable",  # output that is not the JSON asked for
    "invalid",  # JSON that does not validate against the schema, after re-asks
    "internal",  # a bug in sitrep: the reason names the exception
]
"""The category of a failed article, as its error record names it."""
ERROR_KINDS: tuple[str, ...] = get_args(ErrorKind)
RETRYABLE_KINDS: frozenset[str] = frozenset({"rate_limit", "timeout", "connection", "server"})
"""Failures that may well succeed if tried again later (``--retry-failed`` retries every failed
article but input errors)."""

FATAL_STATUSES = frozenset({401, 403, 404, 429})
"""Endpoint refusals that every later call would meet too (bad key, no access, unknown model,
no quota left: retryable 429s never reach here, the transport retries them)."""

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
    """Base of sitrep's extraction errors; a subclass names the category (``kind``)."""

    kind: ClassVar[ErrorKind] = "internal"

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        model: str | None = None,
        attempts: int = 0,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.endpoint = endpoint
        self.model = model
        self.attempts = attempts
        self.usage = usage if usage is not None else Usage()

    @property
    def retryable(self) -> bool:
        """Whether the same call may well succeed if tried again later."""
        return self.kind in RETRYABLE_KINDS

    @property
    def stops_batch(self) -> bool:
        """Whether every other article would meet this failure too, so a batch stops."""
        return False

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

    kind: ClassVar[ErrorKind] = "api"

    @property
    def stops_batch(self) -> bool:
        return True


class EndpointError(ExtractionError):
    """The server refused the request in a way that retrying cannot fix (HTTP 400, 401, 403,
    404, 422, or a 429 for an exhausted quota); ``status`` is the HTTP status."""

    kind: ClassVar[ErrorKind] = "api"

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
        super().__init__(message, endpoint=endpoint, model=model, attempts=attempts, usage=usage)
        self.status = status

    @property
    def stops_batch(self) -> bool:
        return self.status in FATAL_STATUSES


class TransportError(ExtractionError):
    """Rate limits, server errors, timeouts or lost connections outlasted the retries."""

    kind: ClassVar[ErrorKind] = "server"


class RateLimited(TransportError):
    """The endpoint kept answering HTTP 429, or asked to wait longer than sitrep waits."""

    kind: ClassVar[ErrorKind] = "rate_limit"


class RequestTimedOut(TransportError):
    """No answer within the timeout, on every attempt."""

    kind: ClassVar[ErrorKind] = "timeout"


class ArticleTimedOut(RequestTimedOut):
    """The article took longer in all (calls, retries, chunks) than the article timeout."""


class Unreachable(TransportError):
    """The connection was refused or lost, on every attempt."""

    kind: ClassVar[ErrorKind] = "connection"


class ServerFailed(TransportError):
    """The server failed (HTTP 5xx, 408, 409) on every attempt."""

    kind: ClassVar[ErrorKind] = "server"


class ModelOutputError(ExtractionError):
    """The model's output could not be turned into valid records within the allowed re-asks.
    ``reasons`` lists the validation errors of the last attempt."""

    kind: ClassVar[ErrorKind] = "invalid"

    def __init__(
        self,
        message: str,
        *,
        reasons: list[str] | None = None,
        endpoint: str | None = None,
        model: str | None = None,
        attempts: int = 0,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message, endpoint=endpoint, model=model, attempts=attempts, usage=usage)
        self.reasons = reasons or []


class TruncatedOutput(ModelOutputError):
    """The model stopped at the token limit before finishing the records."""

    kind: ClassVar[ErrorKind] = "truncated"


class UnparseableOutput(ModelOutputError):
    """The model's last answer was not the JSON asked for."""

    kind: ClassVar[ErrorKind] = "unparseable"


class InvalidOutput(ModelOutputError):
    """The model's answer (or the merge of a long article's chunk answers) did not validate."""

    kind: ClassVar[ErrorKind] = "invalid"


class ProviderRefused(ExtractionError):
    """The provider did not answer one request of a batch and said why (a refused line, an
    expired, failed or cancelled batch); the other requests go on."""

    kind: ClassVar[ErrorKind] = "api"


_CLASS_OF_KIND: dict[str, type[ExtractionError]] = {
    "rate_limit": RateLimited,
    "timeout": RequestTimedOut,
    "connection": Unreachable,
    "server": ServerFailed,
    "api": ProviderRefused,
    "truncated": TruncatedOutput,
    "unparseable": UnparseableOutput,
    "invalid": InvalidOutput,
}


def error_class(kind: str) -> type[ExtractionError]:
    """The class of a failure recorded elsewhere by its kind (a provider's batch error file),
    so it is raised as its category.

    >>> error_class("timeout").__name__, error_class("api").__name__, error_class("?").__name__
    ('RequestTimedOut', 'ProviderRefused', 'ExtractionError')
    """
    return _CLASS_OF_KIND.get(kind, ExtractionError)
