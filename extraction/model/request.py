"""What one extraction sends: the fixed inputs of a call (:class:`Call`), what it sent and got back
(:class:`Meter`), and the request functions handed to instructor, which send each body with the
openai client's ``post`` through the transport policy of :mod:`extraction.model.retry`.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import httpx2
import openai
from openai.types.chat import ChatCompletion
from openai.types.chat.completion_create_params import CompletionCreateParamsNonStreaming

from extraction.config import NO_KEY, ExtractionConfig
from extraction.errors import ExtractionError, InvalidOutput
from extraction.model.answer import RecordsAnswer, completion_payload
from extraction.model.diagnosis import server_failure
from extraction.model.messages import build_messages
from extraction.model.modes import PASTED_SECTION, shape_request
from extraction.model.retry import async_transport_retrying, describe_failure, server_said
from prompts import Prompt, load_prompt
from schemas.article import Article
from schemas.evidence import grounding
from schemas.model_facing import compact_schema_text
from schemas.records import Usage

AsyncSleep = Callable[[float], Awaitable[None]]


@dataclass
class Meter:
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
class Call:
    """One extraction's fixed inputs."""

    article: Article
    config: ExtractionConfig
    prompt: Prompt
    system: str
    user: str

    @classmethod
    def build(cls, article: Article, config: ExtractionConfig) -> Call:
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
        elif unknown := sorted(set(kwargs) - CHAT_PARAMETERS):
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


CHAT_PARAMETERS = frozenset(
    CompletionCreateParamsNonStreaming.__required_keys__
    | CompletionCreateParamsNonStreaming.__optional_keys__
)
CHAT_PATH = "/chat/completions"


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """The TLS context the http client would build (built once: it takes ~75 ms each time)."""
    return httpx2.create_ssl_context()


def client_kwargs(config: ExtractionConfig) -> dict[str, Any]:
    """Keyword arguments for ``openai.OpenAI`` / ``openai.AsyncOpenAI`` serving ``config``, for a
    caller that shares one client between many articles (pass it as ``client=``)."""
    return {
        "api_key": config.secret() or NO_KEY,
        "base_url": config.base_url,
        "timeout": config.timeout,
        "max_retries": 0,  # sitrep's tenacity policy retries; the client must not retry too
    }


def with_meter(err: ExtractionError, meter: Meter) -> ExtractionError:
    err.attempts, err.usage = meter.requests, meter.usage
    return err


class RepeatedAnswer(InvalidOutput):
    """The model answered a re-ask with the very answer it was told was wrong."""


def _one_more_try(exc: openai.APIError, meter: Meter) -> bool:
    """After the server failed to parse the model's own answer: one more request, once."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code < 500:
        return False
    if server_failure(server_said(exc)) != "answer" or meter.unparsed_by_server:
        return False
    meter.unparsed_by_server += 1
    return True


def _answered(call: Call, meter: Meter, completion: ChatCompletion) -> ChatCompletion:
    meter.record(completion)
    if meter.repeated(call.config.mode):
        raise RepeatedAnswer(
            "the model repeated its previous answer word for word after being told what was "
            "wrong with it; not asking again"
        )
    return completion


def async_create(
    client: openai.AsyncOpenAI,
    call: Call,
    meter: Meter,
    sleep: AsyncSleep,
    first: ChatCompletion | None = None,
) -> Callable[..., Awaitable[ChatCompletion]]:
    """instructor's request function: sends each body instructor prepares through the transport
    policy. ``first``, an answer had elsewhere (a provider's batch), stands in for the first
    request; re-asks are sent."""
    answered = [first] if first is not None else []

    async def create(**kwargs: Any) -> ChatCompletion:
        body = call.body(kwargs)
        if answered:
            meter.requests += 1
            meter.record(answered.pop())
            return meter.completions[-1]

        async def send() -> ChatCompletion:
            meter.requests += 1
            return await client.post(CHAT_PATH, cast_to=ChatCompletion, body=body)

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
