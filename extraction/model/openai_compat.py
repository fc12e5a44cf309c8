"""Extraction by a model: instructor over the openai client, against any OpenAI-compatible server.

One call sends the prompt's system message and the article as delimited data, asks for
:class:`schemas.Records` (tool call or JSON, per ``config.mode``), and validates the answer with a
grounding context: evidence offsets are recomputed by aligning each quote with the article (never
taken from the model), and a quote that is not in the article makes instructor re-ask, up to
``config.max_reasks`` times. The context is set around the instructor call with
:func:`schemas.evidence.grounding` rather than passed as instructor's ``context=``: given a
context, instructor renders every message as a Jinja template (about 2 ms of CPU a call, and an
article's ``{{ ... }}`` would be template code); without one it sends the messages as built.

If the re-asks run out and grounding was the only fault, the last answer is kept with those quotes
flagged ``not_found`` and a warning, since it was paid for.

Each HTTP request goes through the transport policy of :mod:`extraction.model.retry`; the
requests sent (re-asks and transport retries alike), the tokens used and the time taken are
recorded on the result's :class:`schemas.Producer`, or on the error when the call fails.

instructor's hooks are not used: everything is counted in the request function sitrep hands to
``instructor.patch(create=...)``, so no hook can break a call. That function sends the body
instructor prepared with the openai client's ``post`` (its documented way to send a body as is),
not its typed ``chat.completions.create``: same base URL, authentication, timeout, response type
and error classes, without the typed method's walk over the request to transform it (about
1.2 ms of CPU a call, and the identity for these plain JSON bodies).
:meth:`~extraction.model.request.Call.body` checks the body first, against the parameters the
installed client knows.

The request side (what is sent, counted and retried) is :mod:`extraction.model.request`; the
answer side (records, kept answers, errors) is :mod:`extraction.model.outcome`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any, Protocol, cast

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion

from extraction.config import ExtractionConfig
from extraction.errors import ExtractionError
from extraction.model.answer import RecordsAnswer
from extraction.model.modes import instructor_mode
from extraction.model.outcome import finish, records_or_raise
from extraction.model.request import (
    AsyncSleep,
    Call,
    Meter,
    async_create,
    client_kwargs,
    ssl_context,
)
from schemas.article import Article
from schemas.records import ArticleExtraction

__all__ = ["aextract_answer", "arun_model", "client_kwargs", "request_body"]


class _PatchedCreate(Protocol):
    def __call__(self, **kwargs: Any) -> RecordsAnswer: ...


class _AsyncPatchedCreate(Protocol):
    def __call__(self, **kwargs: Any) -> Awaitable[RecordsAnswer]: ...


async def _aextract(
    article: Article,
    config: ExtractionConfig,
    client: openai.AsyncOpenAI,
    sleep: AsyncSleep,
    first: ChatCompletion | None = None,
) -> ArticleExtraction:
    started = time.perf_counter()
    call = Call.build(article, config)
    meter = Meter()
    patched = cast(
        _AsyncPatchedCreate,
        instructor.patch(
            create=async_create(client, call, meter, sleep, first),
            mode=instructor_mode(config.mode),
        ),
    )
    warnings: list[str] = []
    try:
        with call.grounding():
            records = (await patched(**call.request())).records
    except (InstructorRetryException, IncompleteOutputException, ExtractionError) as exc:
        records, warnings = records_or_raise(call, meter, exc)
    return finish(call, meter, records, warnings, started)


async def arun_model(
    article: Article,
    config: ExtractionConfig,
    *,
    sleep: AsyncSleep = asyncio.sleep,
    client: openai.AsyncOpenAI | None = None,
) -> ArticleExtraction:
    """Extract ``article``'s records with the configured model.

    ``client``, if given, is shared and left open (built from :func:`client_kwargs`; its own
    retries are switched off for these calls); otherwise one is made and closed here. ``sleep`` is
    what the transport policy waits with (tests inject a recorder). Raises a subclass of
    :class:`extraction.errors.ExtractionError` on failure.
    """
    if client is not None:
        shared = client.with_options(max_retries=0, timeout=config.timeout)
        return await _aextract(article, config, shared, sleep)
    http = openai.DefaultAsyncHttpxClient(verify=ssl_context())
    async with openai.AsyncOpenAI(**client_kwargs(config), http_client=http) as own:
        return await _aextract(article, config, own, sleep)


class _Prepared(BaseException):  # not an Exception: instructor's re-ask loop lets it through
    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__("prepared")
        self.body = body


def request_body(article: Article, config: ExtractionConfig) -> dict[str, Any]:
    """The JSON body of the first request :func:`arun_model` sends for ``article``, as instructor
    prepares it (messages, tools or response format), without sending it: a line of a provider's
    batch file. :func:`aextract_answer` takes the answer to it."""
    call = Call.build(article, config)

    def create(**kwargs: Any) -> ChatCompletion:
        raise _Prepared(call.body(kwargs))

    patched = cast(
        _PatchedCreate, instructor.patch(create=create, mode=instructor_mode(config.mode))
    )
    try:
        with call.grounding():
            patched(**call.request())
    except _Prepared as prepared:
        return prepared.body
    raise AssertionError("instructor returned without preparing a request")  # pragma: no cover


async def aextract_answer(
    article: Article,
    config: ExtractionConfig,
    answer: ChatCompletion,
    *,
    client: openai.AsyncOpenAI,
    sleep: AsyncSleep = asyncio.sleep,
) -> ArticleExtraction:
    """The records of ``answer``, a completion of :func:`request_body` had elsewhere (a
    provider's batch): parsed, validated and grounded exactly as :func:`arun_model` treats its
    first answer, counted as one request; the re-asks it needs are sent through ``client``."""
    shared = client.with_options(max_retries=0, timeout=config.timeout)
    return await _aextract(article, config, shared, sleep, first=answer)
