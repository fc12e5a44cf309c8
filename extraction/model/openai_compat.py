"""Extraction by a model: instructor over the openai client, against any OpenAI-compatible server.

One call sends the prompt's system message (the same for every article, first, so prefix caches
apply) and the article as delimited data, asks for the model-facing schema
(:mod:`schemas.model_facing`; carried as :mod:`extraction.model.modes` says for ``config.mode``),
and validates the answer as :class:`schemas.Records` with a grounding context: evidence offsets are
recomputed by aligning each quote with the article (never taken from the model), and a quote that is
not in the article makes instructor re-ask, up to ``config.max_reasks`` times. The context is set
around the instructor call with :func:`schemas.evidence.grounding` rather than passed as
instructor's ``context=``: given a context, instructor renders every message as a Jinja template
(about 2 ms of CPU a call, and an article's ``{{ ... }}`` would be template code); without one it
sends the messages as built.

If the re-asks run out and grounding was the only fault, the last answer is kept with those quotes
flagged ``not_found`` and a warning, since it was paid for. An answer identical to the one before
it is not re-asked again: the model has shown it will not change it. Failures are described as
:mod:`extraction.model.diagnosis` sees them (a context that filled, a server that cannot parse
the request or its own answer, a local server that timed out).

Each HTTP request goes through the transport policy of :mod:`extraction.model.retry`; the requests
sent
(re-asks and transport retries alike), the tokens used and the time taken are recorded on the
result's :class:`schemas.Producer`, or on the error when the call fails.

instructor's hooks are not used: everything is counted in the request function sitrep hands to
``instructor.patch(create=...)``, so no hook can break a call. That function sends the body
instructor prepared with the openai client's ``post`` (its documented way to send a body as is),
not its typed ``chat.completions.create``: same base URL, authentication, timeout, response type
and error classes, without the typed method's walk over the request to transform it (about
1.2 ms of CPU a call, and the identity for these plain JSON bodies). :meth:`_Call.body` checks the
body first, against the parameters the installed client knows.

What a kept answer's warnings look like:

>>> text = "Drones struck Koya on Monday."
>>> flag = grounding_context(text, evidence_from="model", on_ungrounded="flag")
>>> event = {"id": "E1", "sub_type": "grenade", "evidence": {"quote": "Missiles hit Erbil"}}
>>> ungrounded_warnings(Records.model_validate({"events": [event]}, context=flag), text)
["events[E1].evidence: quote 'Missiles hit Erbil' is not in the article (flagged not_found)"]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import httpx2
import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from openai.types.chat.completion_create_params import CompletionCreateParamsNonStreaming
from pydantic import BaseModel, ValidationError

from extraction.config import NO_KEY, ExtractionConfig
from extraction.errors import ExtractionError, ModelOutputError
from extraction.model.answer import RecordsAnswer, parse_answer
from extraction.model.diagnosis import context_filled, server_failure
from extraction.model.messages import build_messages
from extraction.model.modes import PASTED_SECTION, instructor_mode, shape_request
from extraction.model.retry import (
    async_transport_retrying,
    describe_failure,
    server_said,
    transport_retrying,
)
from prompts import Prompt, load_prompt
from schemas.article import Article
from schemas.evidence import Evidence, grounding, grounding_context
from schemas.grounding import AlignmentStatus, align
from schemas.model_facing import compact_schema_text
from schemas.records import ArticleExtraction, Producer, Records, Usage, schema_hash
from schemas.statement import Statement
from schemas.vocab import TextType

logger = logging.getLogger("sitrep.extraction")

_FENCED = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)

Sleep = Callable[[float], None]
AsyncSleep = Callable[[float], Awaitable[None]]


class _PatchedCreate(Protocol):
    def __call__(self, **kwargs: Any) -> RecordsAnswer: ...


class _AsyncPatchedCreate(Protocol):
    def __call__(self, **kwargs: Any) -> Awaitable[RecordsAnswer]: ...


@dataclass
class _Meter:
    """What one extraction sent and got back, across re-asks and transport retries."""

    requests: int = 0
    completions: list[ChatCompletion] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    unparsed_by_server: int = 0

    def record(self, completion: ChatCompletion) -> None:
        self.completions.append(completion)
        u = completion.usage
        if u is not None:
            details = u.prompt_tokens_details
            cached = (details.cached_tokens or 0) if details is not None else 0
            self.usage = self.usage + Usage(
                prompt_tokens=u.prompt_tokens or 0,
                completion_tokens=u.completion_tokens or 0,
                total_tokens=u.total_tokens or 0,
                cached_prompt_tokens=cached,
            )

    def repeated(self, mode: str) -> bool:
        """Whether the last answer is word for word the one before it."""
        if len(self.completions) < 2:
            return False
        last, before = (completion_payload(c, mode) for c in self.completions[-2:][::-1])
        return last is not None and last == before

    @property
    def last(self) -> ChatCompletion | None:
        return self.completions[-1] if self.completions else None


@dataclass(frozen=True)
class _Call:
    """One extraction's fixed inputs."""

    article: Article
    config: ExtractionConfig
    prompt: Prompt
    system: str
    user: str

    @classmethod
    def build(cls, article: Article, config: ExtractionConfig) -> _Call:
        prompt = load_prompt(config.prompt_id)
        system, user = build_messages(article, prompt)
        instructions = system["content"]
        section = PASTED_SECTION.get(config.mode)
        if section is not None:
            pasted = prompt.fill(section, schema=compact_schema_text())
            instructions = f"{instructions}\n\n{pasted}"
        return cls(article, config, prompt, instructions, user["content"])

    def request(self) -> dict[str, Any]:
        """The keyword arguments for instructor's patched create. No ``context=``: validation
        reads the grounding context from :meth:`grounding` (see the module docstring)."""
        cfg = self.config
        return {
            "response_model": RecordsAnswer,
            "max_retries": cfg.max_reasks,
            "strict": False,
            "model": cfg.api_model,
            "temperature": cfg.temperature,
            "max_tokens": cfg.max_tokens,
            "messages": [
                {"role": "system", "content": self.system},
                {"role": "user", "content": self.user},
            ],
        }

    def grounding(self) -> AbstractContextManager[dict[str, Any]]:
        """The grounding context the answers are validated with, for the instructor call."""
        return grounding(self.article.text, evidence_from="model")

    def body(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The JSON body of the request instructor prepared, checked before it is sent.

        Refuses messages that differ from the ones built (instructor would alter them if given a
        validation context, by rendering them as templates; the JSON modes append instructor's
        schema instructions after them, which is allowed), parameters the chat completions API
        does not have, and streaming (sitrep reads whole answers). The ``response_format`` is
        then set for ``config.mode`` (:func:`extraction.model.modes.shape_request`)."""
        messages = kwargs.get("messages")
        problem = None
        if not (
            isinstance(messages, list)
            and len(messages) >= 2
            and isinstance(messages[0], dict)
            and isinstance(messages[1], dict)
            and str(messages[0].get("content", "")).startswith(self.system)
            and str(messages[1].get("content", "")).startswith(self.user)
        ):
            problem = "does not carry the messages sitrep built (instructor altered them)"
        elif unknown := sorted(set(kwargs) - _CHAT_PARAMETERS):
            problem = f"has parameters the chat completions API does not take: {unknown}"
        elif kwargs.get("stream"):
            problem = "asks for a streamed answer"
        if problem is not None:
            raise ExtractionError(
                f"internal error: the request prepared by instructor {problem}; nothing was sent",
                endpoint=self.config.endpoint,
                model=self.config.api_model,
            )
        return shape_request(self.config.mode, kwargs)


_CHAT_PARAMETERS = frozenset(
    CompletionCreateParamsNonStreaming.__required_keys__
    | CompletionCreateParamsNonStreaming.__optional_keys__
)
_CHAT_PATH = "/chat/completions"


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """The TLS context the http client would build (built once: it takes ~75 ms each time)."""
    return httpx2.create_ssl_context()


@functools.cache
def _schema_hash() -> str:
    return schema_hash()


def client_kwargs(config: ExtractionConfig) -> dict[str, Any]:
    """Keyword arguments for ``openai.OpenAI`` / ``openai.AsyncOpenAI`` serving ``config``, for a
    caller that shares one client between many articles (pass it as ``client=``)."""
    return {
        "api_key": config.secret() or NO_KEY,
        "base_url": config.base_url,
        "timeout": config.timeout,
        "max_retries": 0,  # sitrep's tenacity policy retries; the client must not retry too
    }


def _with_meter(err: ExtractionError, meter: _Meter) -> ExtractionError:
    err.attempts, err.usage = meter.requests, meter.usage
    return err


class RepeatedAnswer(ModelOutputError):
    """The model answered a re-ask with the very answer it was told was wrong."""


def _one_more_try(exc: openai.APIError, meter: _Meter) -> bool:
    """After the server failed to parse the model's own answer: one more request, once."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code < 500:
        return False
    if server_failure(server_said(exc)) != "answer" or meter.unparsed_by_server:
        return False
    meter.unparsed_by_server += 1
    return True


def _answered(call: _Call, meter: _Meter, completion: ChatCompletion) -> ChatCompletion:
    meter.record(completion)
    if meter.repeated(call.config.mode):
        raise RepeatedAnswer(
            "the model repeated its previous answer word for word after being told what was "
            "wrong with it; not asking again",
            kind="invalid",
        )
    return completion


def _sync_create(
    client: openai.OpenAI, call: _Call, meter: _Meter, sleep: Sleep
) -> Callable[..., ChatCompletion]:
    def create(**kwargs: Any) -> ChatCompletion:
        body = call.body(kwargs)

        def send() -> ChatCompletion:
            meter.requests += 1
            return client.post(_CHAT_PATH, cast_to=ChatCompletion, body=body)

        while True:
            try:
                completion = transport_retrying(call.config, sleep=sleep)(send)
                break
            except openai.APIError as exc:
                if _one_more_try(exc, meter):
                    continue
                raise describe_failure(
                    exc, call.config, attempts=meter.requests, usage=meter.usage
                ) from None
        return _answered(call, meter, completion)

    return create


def _async_create(
    client: openai.AsyncOpenAI, call: _Call, meter: _Meter, sleep: AsyncSleep
) -> Callable[..., Awaitable[ChatCompletion]]:
    async def create(**kwargs: Any) -> ChatCompletion:
        body = call.body(kwargs)

        async def send() -> ChatCompletion:
            meter.requests += 1
            return await client.post(_CHAT_PATH, cast_to=ChatCompletion, body=body)

        while True:
            try:
                retrying = async_transport_retrying(call.config, sleep=sleep)
                completion: ChatCompletion = await retrying(send)
                break
            except openai.APIError as exc:
                if _one_more_try(exc, meter):
                    continue
                raise describe_failure(
                    exc, call.config, attempts=meter.requests, usage=meter.usage
                ) from None
        return _answered(call, meter, completion)

    return create


def completion_payload(completion: ChatCompletion, mode: str) -> str | None:
    """The JSON text a completion carries: tool-call arguments, or the message content (taken
    out of its code fence in ``md_json`` mode)."""
    if not completion.choices:
        return None
    message = completion.choices[0].message
    if mode == "tools":
        calls = message.tool_calls or []
        for tool_call in calls:
            function = getattr(tool_call, "function", None)
            if function is not None:
                return str(function.arguments)
        return None
    content = message.content
    if content is None:
        return None
    if mode == "md_json":
        fenced = _FENCED.search(content)
        if fenced:
            return fenced.group(1)
    return content


def _walk(obj: BaseModel, path: str) -> Iterator[tuple[str, BaseModel]]:
    yield path, obj
    for name, value in obj:
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if not isinstance(item, BaseModel):
                continue
            label = getattr(item, "id", None) or i
            sub = f"{path}.{name}" if not isinstance(value, list) else f"{path}.{name}[{label}]"
            yield from _walk(item, sub.lstrip("."))


def ungrounded_warnings(records: Records, article_text: str) -> list[str]:
    """One warning per evidence quote the article does not hold, and per statement marked as a
    quote whose words are not in the article."""
    out: list[str] = []
    for path, node in _walk(records, ""):
        if isinstance(node, Evidence) and node.alignment is AlignmentStatus.NOT_FOUND:
            out.append(f"{path}: quote {node.quote!r} is not in the article (flagged not_found)")
        if (
            isinstance(node, Statement)
            and node.text_type is TextType.QUOTE
            and align(node.text, article_text).status is AlignmentStatus.NOT_FOUND
        ):
            out.append(f"{path}.text: marked as a quote but not found in the article")
    return out


def _salvage(call: _Call, completion: ChatCompletion | None) -> Records | None:
    """The last answer re-validated with ungrounded quotes flagged instead of refused; ``None``
    when it has faults other than grounding."""
    payload = completion_payload(completion, call.config.mode) if completion else None
    if payload is None:
        return None
    context = grounding_context(call.article.text, evidence_from="model", on_ungrounded="flag")
    try:
        return Records.model_validate(parse_answer(payload), context=context)
    except ValidationError:
        return None


def _last_failure(exc: InstructorRetryException) -> BaseException | None:
    return exc.failed_attempts[-1].exception if exc.failed_attempts else exc.__cause__


def _output_kind(exc: InstructorRetryException) -> str:
    """``unparseable`` when the last answer was not JSON at all, else ``invalid``."""
    last = _last_failure(exc)
    if isinstance(last, json.JSONDecodeError):
        return "unparseable"
    if isinstance(last, ValidationError) and any(
        e["type"] == "json_invalid" for e in last.errors()
    ):
        return "unparseable"
    return "invalid"


def _reasons(exc: InstructorRetryException) -> list[str]:
    last = _last_failure(exc)
    if isinstance(last, ValidationError):
        return [
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
            for e in last.errors()[:10]
        ]
    return [str(last)] if last is not None else []


def _length_stop(cfg: ExtractionConfig, meter: _Meter) -> str:
    last = meter.last
    used = last.usage if last is not None else None
    filled = (
        context_filled(
            prompt_tokens=used.prompt_tokens or 0,
            completion_tokens=used.completion_tokens or 0,
            max_tokens=cfg.max_tokens,
        )
        if used is not None
        else None
    )
    return filled or (
        f"the model stopped at max_tokens={cfg.max_tokens} before finishing the records; "
        "raise max_tokens (max_tokens= / --max-tokens)"
    )


def _cut_at_max_tokens(cfg: ExtractionConfig, meter: _Meter) -> bool:
    """Whether the last answer used all of ``max_tokens`` (some servers then still report
    ``stop`` or ``tool_calls`` rather than ``length``)."""
    last = meter.last
    used = last.usage.completion_tokens if last is not None and last.usage is not None else 0
    return used >= cfg.max_tokens


def _repeated(call: _Call, meter: _Meter, err: RepeatedAnswer) -> tuple[Records, list[str]]:
    """Keep a repeated answer whose only fault is grounding; else fail saying what was wrong."""
    last = meter.last
    kept = _salvage(call, last)
    if kept is not None:
        flagged = ungrounded_warnings(kept, call.article.text)
        summary = (
            f"the model repeated its answer after a re-ask; it is kept with {len(flagged)} "
            "flagged value(s)"
        )
        return kept, [summary, *flagged]
    payload = completion_payload(last, call.config.mode) if last is not None else None
    reasons: list[str] = []
    kind = "invalid"
    try:
        with call.grounding():
            RecordsAnswer.model_validate_json(payload or "")
    except ValidationError as exc:
        reasons = [
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
            for e in exc.errors()[:10]
        ]
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            kind = "unparseable"
    cfg = call.config
    raise ModelOutputError(
        f"{err.message} ({cfg.endpoint}, model {cfg.api_model!r}, {meter.requests} request(s)); "
        f"its errors: {'; '.join(reasons[:3]) or 'unknown'}",
        reasons=reasons,
        kind=kind,
        endpoint=cfg.endpoint,
        model=cfg.api_model,
        attempts=meter.requests,
        usage=meter.usage,
    ) from None


def _records_or_raise(call: _Call, meter: _Meter, exc: Exception) -> tuple[Records, list[str]]:
    """Turn a failed instructor call into kept records (grounding only) or a sitrep error."""
    cfg = call.config
    common: dict[str, Any] = {
        "endpoint": cfg.endpoint,
        "model": cfg.api_model,
        "attempts": meter.requests,
        "usage": meter.usage,
    }
    if isinstance(exc, IncompleteOutputException):
        raise ModelOutputError(
            f"{_length_stop(cfg, meter)} ({cfg.endpoint}, model {cfg.api_model!r})",
            kind="truncated",
            **common,
        ) from None
    if isinstance(exc, InstructorRetryException):
        cause = exc.__cause__
        if isinstance(cause, RepeatedAnswer):
            return _repeated(call, meter, cause)
        if isinstance(cause, ExtractionError):
            raise _with_meter(cause, meter) from None
        last = cast(ChatCompletion | None, exc.last_completion) or meter.last
        kept = _salvage(call, last)
        if kept is not None:
            flagged = ungrounded_warnings(kept, call.article.text)
            summary = (
                f"re-asks exhausted after {len(meter.completions)} answers with quotes the "
                f"article does not hold; the last answer is kept with {len(flagged)} "
                "flagged value(s)"
            )
            return kept, [summary, *flagged]
        reasons = _reasons(exc)
        if _output_kind(exc) == "unparseable" and _cut_at_max_tokens(cfg, meter):
            raise ModelOutputError(
                f"the model's answer was cut off at max_tokens={cfg.max_tokens} (the server did "
                "not report a length stop), so it is not complete JSON; raise max_tokens "
                f"(--max-tokens) ({cfg.endpoint}, model {cfg.api_model!r}, {meter.requests} "
                "request(s))",
                reasons=reasons,
                kind="truncated",
                **common,
            ) from None
        raise ModelOutputError(
            f"the model's output did not validate after {len(meter.completions)} answer(s) "
            f"({cfg.endpoint}, model {cfg.api_model!r}, {meter.requests} request(s)); last "
            f"errors: {'; '.join(reasons[:3]) or 'unknown'}",
            reasons=reasons,
            kind=_output_kind(exc),
            **common,
        ) from None
    if isinstance(exc, ExtractionError):
        raise _with_meter(exc, meter) from None
    raise exc


def _finish(
    call: _Call, meter: _Meter, records: Records, warnings: list[str], started: float
) -> ArticleExtraction:
    cfg = call.config
    last = meter.last
    producer = Producer(
        kind="model",
        name=(last.model if last is not None and last.model else None) or cfg.api_model,
        provider=cfg.provider,
        base_url=cfg.endpoint,
        version=last.system_fingerprint if last is not None else None,
        prompt_id=call.prompt.id,
        prompt_hash=call.prompt.hash,
        schema_hash=_schema_hash(),
        parameters=cfg.parameters(),
        usage=meter.usage,
        attempts=meter.requests,
        latency_s=round(time.perf_counter() - started, 3),
        created_at=dt.datetime.now(dt.UTC),
    )
    logger.info(
        "%s: %d event(s), %d statement(s) from %s in %d request(s), %d tokens",
        call.article.id,
        len(records.events),
        len(records.statements),
        producer.name,
        meter.requests,
        meter.usage.total_tokens,
    )
    return ArticleExtraction.model_validate(
        {
            "article_id": call.article.id,
            "events": records.events,
            "statements": records.statements,
            "producer": producer,
            "warnings": warnings,
        },
        context={"publication_date": call.article.publication_date},
    )


def _extract(
    article: Article, config: ExtractionConfig, client: openai.OpenAI, sleep: Sleep
) -> ArticleExtraction:
    started = time.perf_counter()
    call = _Call.build(article, config)
    meter = _Meter()
    patched = cast(
        _PatchedCreate,
        instructor.patch(
            create=_sync_create(client, call, meter, sleep), mode=instructor_mode(config.mode)
        ),
    )
    warnings: list[str] = []
    try:
        with call.grounding():
            records = patched(**call.request()).records
    except (InstructorRetryException, IncompleteOutputException, ExtractionError) as exc:
        records, warnings = _records_or_raise(call, meter, exc)
    return _finish(call, meter, records, warnings, started)


async def _aextract(
    article: Article, config: ExtractionConfig, client: openai.AsyncOpenAI, sleep: AsyncSleep
) -> ArticleExtraction:
    started = time.perf_counter()
    call = _Call.build(article, config)
    meter = _Meter()
    patched = cast(
        _AsyncPatchedCreate,
        instructor.patch(
            create=_async_create(client, call, meter, sleep), mode=instructor_mode(config.mode)
        ),
    )
    warnings: list[str] = []
    try:
        with call.grounding():
            records = (await patched(**call.request())).records
    except (InstructorRetryException, IncompleteOutputException, ExtractionError) as exc:
        records, warnings = _records_or_raise(call, meter, exc)
    return _finish(call, meter, records, warnings, started)


def run_model(
    article: Article,
    config: ExtractionConfig,
    *,
    sleep: Sleep = time.sleep,
    client: openai.OpenAI | None = None,
) -> ArticleExtraction:
    """Extract ``article``'s records with the configured model (blocking).

    ``client``, if given, is shared and left open (built from :func:`client_kwargs`; its own
    retries are switched off for these calls); otherwise one is made and closed here. ``sleep`` is
    what the transport policy waits with (tests inject a recorder). Raises a subclass of
    :class:`extraction.errors.ExtractionError` on failure.
    """
    if client is not None:
        shared = client.with_options(max_retries=0, timeout=config.timeout)
        return _extract(article, config, shared, sleep)
    http = openai.DefaultHttpxClient(verify=_ssl_context())
    with openai.OpenAI(**client_kwargs(config), http_client=http) as own:
        return _extract(article, config, own, sleep)


async def arun_model(
    article: Article,
    config: ExtractionConfig,
    *,
    sleep: AsyncSleep = asyncio.sleep,
    client: openai.AsyncOpenAI | None = None,
) -> ArticleExtraction:
    """The same as :func:`run_model`, on the async client."""
    if client is not None:
        shared = client.with_options(max_retries=0, timeout=config.timeout)
        return await _aextract(article, config, shared, sleep)
    http = openai.DefaultAsyncHttpxClient(verify=_ssl_context())
    async with openai.AsyncOpenAI(**client_kwargs(config), http_client=http) as own:
        return await _aextract(article, config, own, sleep)
