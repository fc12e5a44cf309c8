"""When a request to the model server is worth sending again, how long to wait, and what to say
when it is not.

Retried (exponential backoff with jitter, bounded by ``max_transport_retries``): HTTP 408, 409, 429
and 5xx, timeouts and lost connections; but not a 5xx whose body shows a deterministic failure, nor
a timeout against a server on this machine (:mod:`extraction.model.diagnosis`). A ``Retry-After``
(or ``retry-after-ms``) header is honoured as given; one longer than ``max_retry_after`` ends the
call at once rather than stall a batch. Not retried: 400, 401, 403, 404, 422 and a 429 for an
exhausted quota, which no wait fixes; the error says what to change. The openai client's own retries
are switched off (``max_retries=0``) so that attempts are not doubled.

>>> retry_after_seconds({"retry-after": "2"}), retry_after_seconds({"retry-after-ms": "150"})
(2.0, 0.15)
>>> retry_after_seconds({"retry-after": "soon"}) is None
True
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx2
import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base
from tenacity.wait import wait_base

from extraction.config import ENV_API_KEY, ENV_MODE, ENV_MODEL, ENV_OPENAI_API_KEY, ExtractionConfig
from extraction.errors import (
    ConfigurationError,
    EndpointError,
    ExtractionError,
    RateLimited,
    RequestTimedOut,
    ServerFailed,
    Unreachable,
    server_text,
)
from extraction.model.diagnosis import server_failure, suggested_mode
from schemas.records import Usage

logger = logging.getLogger("sitrep.extraction")

RETRYABLE_STATUS = frozenset({408, 409, 429})
"""Statuses worth retrying besides every 5xx (the set the openai client itself retries)."""


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """The wait a response asks for, from ``retry-after-ms`` or ``retry-after`` (seconds or an
    HTTP date), or ``None`` when it asks for none or says something unreadable."""
    if not headers:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    raw_ms = lowered.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return max(0.0, float(raw_ms) / 1000.0)
        except ValueError:
            pass
    raw = lowered.get("retry-after")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _headers(exc: BaseException | None) -> Mapping[str, str] | None:
    if isinstance(exc, openai.APIStatusError):
        return dict(exc.response.headers)
    return None


def _error_body(exc: openai.APIStatusError) -> dict[str, Any]:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return inner
    return {}


def quota_exhausted(exc: BaseException) -> bool:
    """A 429 that says the account is out of credit (OpenAI's ``insufficient_quota``)."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code != 429:
        return False
    body = _error_body(exc)
    return "insufficient_quota" in (str(body.get("code")), str(body.get("type")))


def server_said(exc: openai.APIStatusError) -> str:
    """The error text a server sent (its ``message``, else the whole body)."""
    message = _error_body(exc).get("message")
    if isinstance(message, str) and message:
        return message
    return exc.message or ""


def deterministic_failure(exc: BaseException) -> bool:
    """A 5xx whose body shows the request or the answer cannot be parsed: not an outage."""
    return (
        isinstance(exc, openai.APIStatusError)
        and exc.status_code >= 500
        and server_failure(server_said(exc)) is not None
    )


def is_retryable(exc: BaseException) -> bool:
    """Whether a failed request is worth sending again, whatever the server."""
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        retry = status in RETRYABLE_STATUS or status >= 500
        return retry and not quota_exhausted(exc) and not deterministic_failure(exc)
    return False


def should_retry(config: ExtractionConfig, exc: BaseException) -> bool:
    """:func:`is_retryable`, except a timeout against a server on this machine: it is still
    generating the abandoned answer, and a retry would queue behind it."""
    if isinstance(exc, openai.APITimeoutError) and config.is_local:
        return False
    return is_retryable(exc)


class _WaitRetryAfterOrBackoff(wait_base):
    """The server's Retry-After when it gives one, else exponential backoff with jitter."""

    def __init__(self, config: ExtractionConfig) -> None:
        self.cap = config.max_retry_after
        self.backoff = wait_exponential_jitter(
            multiplier=config.backoff_initial, max=config.backoff_max, jitter=config.backoff_initial
        )

    def __call__(self, retry_state: RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        asked = retry_after_seconds(_headers(exc))
        if asked is not None:
            return min(asked, self.cap)
        return float(self.backoff(retry_state))


class _StopWhenAskedToWaitTooLong(stop_base):
    def __init__(self, cap: float) -> None:
        self.cap = cap

    def __call__(self, retry_state: RetryCallState) -> bool:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        asked = retry_after_seconds(_headers(exc))
        return asked is not None and asked > self.cap


def _log_retry(config: ExtractionConfig) -> Callable[[RetryCallState], None]:
    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        what = (
            f"HTTP {exc.status_code}"
            if isinstance(exc, openai.APIStatusError)
            else type(exc).__name__
        )
        wait = state.next_action.sleep if state.next_action else 0.0
        logger.warning(
            "%s from %s; retrying in %.2fs (attempt %d of %d)",
            what,
            config.endpoint,
            wait,
            state.attempt_number + 1,
            config.max_transport_retries + 1,
        )

    return before_sleep


def async_transport_retrying(
    config: ExtractionConfig, *, sleep: Callable[[float], Awaitable[None]]
) -> AsyncRetrying:
    """The transport policy (see the module docstring) as tenacity runs it around a request."""
    return AsyncRetrying(
        retry=retry_if_exception(functools.partial(should_retry, config)),
        stop=stop_after_attempt(config.max_transport_retries + 1)
        | _StopWhenAskedToWaitTooLong(config.max_retry_after),
        wait=_WaitRetryAfterOrBackoff(config),
        sleep=sleep,
        before_sleep=_log_retry(config),
        reraise=True,
    )


def _said(exc: openai.APIStatusError, secret: str | None) -> str:
    message = _error_body(exc).get("message")
    text = message if isinstance(message, str) and message else exc.message
    return f" Server said: {server_text(text, [secret])}" if text else ""


_NOT_CONNECTED: tuple[type[BaseException], ...] = (
    httpx2.ConnectError,
    httpx2.ConnectTimeout,
    ConnectionRefusedError,
)
_DROPPED: tuple[type[BaseException], ...] = (
    httpx2.RemoteProtocolError,
    httpx2.ReadError,
    ConnectionResetError,
)


def _dropped(exc: BaseException) -> bool:
    """Whether a connection error is a connection the server accepted and then closed before
    answering in full (not one that could not be made)."""
    seen: BaseException | None = exc
    for _ in range(8):  # the HTTP library's exception is a cause or two below openai's
        if seen is None or isinstance(seen, _NOT_CONNECTED):
            return False
        if isinstance(seen, _DROPPED):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def describe_failure(
    exc: openai.APIError, config: ExtractionConfig, *, attempts: int, usage: Usage
) -> ExtractionError:
    """The sitrep error for a request that failed for good, saying what to fix."""
    where = config.endpoint
    common: dict[str, Any] = {
        "endpoint": where,
        "model": config.api_model,
        "attempts": attempts,
        "usage": usage,
    }
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    if isinstance(exc, openai.APITimeoutError) and config.is_local:
        return RequestTimedOut(
            f"{where} is a server on this machine and did not answer within {config.timeout:g}s "
            f"({tries}); not retried, since it is still generating the abandoned answer and a "
            "retry would wait behind it. Raise the timeout (--timeout), lower --max-tokens, or "
            "use a mode that sends a grammar (json_schema, json_object_schema) so that a small "
            "model's answer ends sooner",
            **common,
        )
    if isinstance(exc, openai.APITimeoutError):
        return RequestTimedOut(
            f"{where} did not answer within {config.timeout:g}s ({tries}); raise the timeout "
            "(timeout= / --timeout) or check that the server is not overloaded",
            **common,
        )
    if isinstance(exc, openai.APIConnectionError) and _dropped(exc):
        return Unreachable(
            f"the connection to {where} was dropped before the answer was complete ({tries}): "
            "the server closed it mid-response; check the server's log (it may have crashed, "
            "restarted or hit a proxy's limit)",
            **common,
        )
    if isinstance(exc, openai.APIConnectionError):
        return Unreachable(
            f"cannot reach {where} ({tries}): check that the server is running and the base URL "
            "(SITREP_BASE_URL / --base-url) is right",
            **common,
        )
    if not isinstance(exc, openai.APIStatusError):
        return ServerFailed(f"{where}: {server_text(str(exc), [config.secret()])}", **common)

    status = exc.status_code
    said = _said(exc, config.secret())
    side = server_failure(server_said(exc)) if status >= 500 else None
    if side is not None:
        other = suggested_mode(server_said(exc), config.mode)
        what = (
            "cannot take the request as sent in mode " + repr(config.mode)
            if side == "request"
            else "could not parse the model's answer in mode " + repr(config.mode)
        )
        message = (
            f"{where} {what} (HTTP {status}, {tries}; a deterministic failure, not an outage, "
            f"so not retried with backoff); try --mode {other} ({ENV_MODE}={other}).{said}"
        )
        if side == "request":  # every request in this mode would be refused: the batch stops
            return ConfigurationError(message, **common)
        return EndpointError(message, status=status, **common)
    if status == 429 and quota_exhausted(exc):
        return EndpointError(
            f"{where} refused the request: the account has no quota left (HTTP 429 "
            f"insufficient_quota); check its plan and billing.{said}",
            status=status,
            **common,
        )
    if status == 429:
        asked = retry_after_seconds(_headers(exc))
        if asked is not None and asked > config.max_retry_after:
            return RateLimited(
                f"{where} rate-limited the request (HTTP 429) and asks to wait {asked:.0f}s, "
                f"longer than the {config.max_retry_after:g}s sitrep waits; try again later",
                **common,
            )
        return RateLimited(
            f"{where} kept rate-limiting the request (HTTP 429) over {tries}; wait and run "
            f"again, or send fewer requests at once.{said}",
            **common,
        )
    if status >= 500 or status in RETRYABLE_STATUS:
        return ServerFailed(
            f"{where} failed with HTTP {status} on all {tries}; the server is down or "
            f"overloaded, try again later.{said}",
            **common,
        )
    if status == 401:
        key_env = f"{ENV_OPENAI_API_KEY} or {ENV_API_KEY}" if config.on_openai_api else ENV_API_KEY
        return EndpointError(
            f"{where} refused the API key (HTTP 401): set a valid key in {key_env}, or pass "
            f"api_key= / --api-key.{said}",
            status=status,
            **common,
        )
    if status == 403:
        return EndpointError(
            f"{where} denied access (HTTP 403) for model {config.api_model!r}: the key lacks "
            f"permission for this model or endpoint.{said}",
            status=status,
            **common,
        )
    if status == 404:
        return EndpointError(
            f"{where} has no model {config.api_model!r} (HTTP 404): check the model name "
            f"({ENV_MODEL} / --model) and that the base URL ends in /v1 (Ollama: run "
            f"`ollama pull {config.api_model}` first).{said}",
            status=status,
            **common,
        )
    hint = (
        f" If the server cannot do tool calls, try --mode json_schema ({ENV_MODE}=json_schema)."
        if status in (400, 422) and config.mode == "tools"
        else ""
    )
    return EndpointError(
        f"{where} rejected the request (HTTP {status}).{said}{hint}", status=status, **common
    )
