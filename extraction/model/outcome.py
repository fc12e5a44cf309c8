"""What one extraction got back, turned into records or an error: the payload of a completion,
the answer kept with its ungrounded quotes flagged when grounding was its only fault, the error
whose class is the failure's category, and the :class:`~schemas.records.ArticleExtraction` with
its producer.

What a kept answer's warnings look like:

>>> text = "Drones struck Koya on Monday."
>>> flag = grounding_context(text, evidence_from="model", on_ungrounded="flag")
>>> event = {"id": "E1", "sub_type": "grenade", "evidence": {"quote": "Missiles hit Erbil"}}
>>> ungrounded_warnings(Records.model_validate({"events": [event]}, context=flag), text)
["events[E1].evidence: quote 'Missiles hit Erbil' is not in the article (flagged not_found)"]
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import time
from collections.abc import Iterator
from typing import Any, cast

from instructor.core import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from extraction.config import ExtractionConfig
from extraction.errors import (
    ExtractionError,
    InvalidOutput,
    ModelOutputError,
    TruncatedOutput,
    UnparseableOutput,
)
from extraction.model.answer import RecordsAnswer, completion_payload, parse_answer
from extraction.model.diagnosis import context_filled
from extraction.model.request import Call, Meter, RepeatedAnswer, with_meter
from schemas.evidence import Evidence, grounding_context
from schemas.grounding import AlignmentStatus, align
from schemas.records import ArticleExtraction, Producer, Records, schema_hash
from schemas.statement import Statement
from schemas.vocab import TextType

logger = logging.getLogger("sitrep.extraction")


@functools.cache
def cached_schema_hash() -> str:
    return schema_hash()


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


def _salvage(call: Call, completion: ChatCompletion | None) -> Records | None:
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


def _output_error(exc: InstructorRetryException) -> type[ModelOutputError]:
    """:class:`UnparseableOutput` when the last answer was not JSON at all, else
    :class:`InvalidOutput`."""
    last = _last_failure(exc)
    if isinstance(last, json.JSONDecodeError):
        return UnparseableOutput
    if isinstance(last, ValidationError) and any(
        e["type"] == "json_invalid" for e in last.errors()
    ):
        return UnparseableOutput
    return InvalidOutput


def _reasons(exc: InstructorRetryException) -> list[str]:
    last = _last_failure(exc)
    if isinstance(last, ValidationError):
        return [
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
            for e in last.errors()[:10]
        ]
    return [str(last)] if last is not None else []


def _length_stop(cfg: ExtractionConfig, meter: Meter) -> str:
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


def _cut_at_max_tokens(cfg: ExtractionConfig, meter: Meter) -> bool:
    """Whether the last answer used all of ``max_tokens`` (some servers then still report
    ``stop`` or ``tool_calls`` rather than ``length``)."""
    last = meter.last
    used = last.usage.completion_tokens if last is not None and last.usage is not None else 0
    return used >= cfg.max_tokens


def _repeated(call: Call, meter: Meter, err: RepeatedAnswer) -> tuple[Records, list[str]]:
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
    error: type[ModelOutputError] = InvalidOutput
    try:
        with call.grounding():
            RecordsAnswer.model_validate_json(payload or "")
    except ValidationError as exc:
        reasons = [
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
            for e in exc.errors()[:10]
        ]
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            error = UnparseableOutput
    cfg = call.config
    raise error(
        f"{err.message} ({cfg.endpoint}, model {cfg.api_model!r}, {meter.requests} request(s)); "
        f"its errors: {'; '.join(reasons[:3]) or 'unknown'}",
        reasons=reasons,
        endpoint=cfg.endpoint,
        model=cfg.api_model,
        attempts=meter.requests,
        usage=meter.usage,
    ) from None


def records_or_raise(call: Call, meter: Meter, exc: Exception) -> tuple[Records, list[str]]:
    """Turn a failed instructor call into kept records (grounding only) or a sitrep error."""
    cfg = call.config
    common: dict[str, Any] = {
        "endpoint": cfg.endpoint,
        "model": cfg.api_model,
        "attempts": meter.requests,
        "usage": meter.usage,
    }
    if isinstance(exc, IncompleteOutputException):
        raise TruncatedOutput(
            f"{_length_stop(cfg, meter)} ({cfg.endpoint}, model {cfg.api_model!r})", **common
        ) from None
    if isinstance(exc, InstructorRetryException):
        cause = exc.__cause__
        if isinstance(cause, RepeatedAnswer):
            return _repeated(call, meter, cause)
        if isinstance(cause, ExtractionError):
            raise with_meter(cause, meter) from None
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
        if _output_error(exc) is UnparseableOutput and _cut_at_max_tokens(cfg, meter):
            raise TruncatedOutput(
                f"the model's answer was cut off at max_tokens={cfg.max_tokens} (the server did "
                "not report a length stop), so it is not complete JSON; raise max_tokens "
                f"(--max-tokens) ({cfg.endpoint}, model {cfg.api_model!r}, {meter.requests} "
                "request(s))",
                reasons=reasons,
                **common,
            ) from None
        answers = len(meter.completions)
        what = (
            f"the model's output did not validate after {answers} answer(s)"
            if answers
            else "no answer could be read as a chat completion (the server's replies were not "
            "the JSON the OpenAI API sends)"
        )
        raise _output_error(exc)(
            f"{what} ({cfg.endpoint}, model {cfg.api_model!r}, {meter.requests} request(s)); "
            f"last errors: {'; '.join(reasons[:3]) or 'unknown'}",
            reasons=reasons,
            **common,
        ) from None
    if isinstance(exc, ExtractionError):
        raise with_meter(exc, meter) from None
    raise exc


def finish(
    call: Call, meter: Meter, records: Records, warnings: list[str], started: float
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
        schema_hash=cached_schema_hash(),
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
