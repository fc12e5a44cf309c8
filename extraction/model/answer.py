"""The response model sitrep hands instructor: :class:`RecordsAnswer`, a thin envelope around
:class:`schemas.records.Records`.

instructor checks its response model for async validators by walking the model's whole type tree
(every field of every nested model, over each class's MRO) several times per call: six walks of
``Records`` cost about 3.6 ms of CPU a call, a third of the model path's client CPU (see
``benchmarks/README.md``). The envelope has no fields, so the walk is short, while everything the
model sees and everything instructor validates is ``Records``'s own:

- :meth:`RecordsAnswer.model_json_schema` returns the model-facing schema
  (:func:`schemas.model_facing.model_schema`): what a model must fill, bounded, without the fields
  sitrep computes;
- :meth:`RecordsAnswer.model_validate_json` takes the JSON object out of the answer (from a
  fenced block or surrounding prose too), requires ``events`` and ``statements``, normalises what
  is clear (:func:`schemas.model_facing.normalise_answer`) and validates the rest as ``Records``
  with the same context and strictness, so a failure raises ``Records``'s own
  :class:`pydantic.ValidationError` (same locations, same messages) and instructor re-asks with it.

It subclasses instructor's ``OpenAISchema`` (``ResponseSchema``), so instructor uses the class as
given instead of wrapping it in a new class on every call.

>>> answer = RecordsAnswer.model_validate_json('{"events": [], "statements": []}')
>>> answer.records.events, RecordsAnswer.model_json_schema()["title"]
([], 'Records')
>>> RecordsAnswer.model_validate_json('Here: ```json {"events": [], "statements": []} ```')
RecordsAnswer()
>>> RecordsAnswer.model_validate_json('{"statements": []}')  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Records
events
  Field required ...
"""

from __future__ import annotations

import re
from typing import Any, Self

from instructor import OpenAISchema
from openai.types.chat import ChatCompletion
from pydantic import PrivateAttr, ValidationError
from pydantic_core import InitErrorDetails, from_json

from schemas.model_facing import model_schema, normalise_answer
from schemas.records import Records

_FENCED = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)
_REQUIRED = ("events", "statements")


_FENCED = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


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


def answer_json(text: str) -> str:
    """The JSON object in a model's answer: the answer itself, the inside of its first fenced
    block, or the span from its first ``{`` to its last ``}``.

    >>> answer_json('Sure! {"events": []} Hope it helps.')
    '{"events": []}'
    """
    stripped = text.strip()
    if stripped.startswith("{"):
        return stripped
    fenced = _FENCED.search(stripped)
    if fenced:
        return fenced.group(1).strip()
    first, last = stripped.find("{"), stripped.rfind("}")
    return stripped[first : last + 1] if 0 <= first < last else stripped


def parse_answer(json_data: str | bytes | bytearray) -> Any:
    """The answer's JSON object, normalised; raises ``Records``'s ``ValidationError`` for text
    that is not JSON and for a missing ``events`` or ``statements``."""
    text = json_data if isinstance(json_data, str) else bytes(json_data).decode("utf-8", "replace")
    candidate = answer_json(text)
    try:
        parsed = from_json(candidate)
    except ValueError:
        Records.model_validate_json(candidate)  # raises the json_invalid ValidationError
        raise
    if isinstance(parsed, dict):
        missing: list[InitErrorDetails] = [
            {"type": "missing", "loc": (key,), "input": parsed}
            for key in _REQUIRED
            if key not in parsed
        ]
        if missing:
            raise ValidationError.from_exception_data("Records", missing)
    return normalise_answer(parsed)


class RecordsAnswer(OpenAISchema):
    _records: Records | None = PrivateAttr(default=None)

    @property
    def records(self) -> Records:
        """The validated records."""
        if self._records is None:
            raise ValueError("RecordsAnswer holds no records: build it with model_validate_json")
        return self._records

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The model-facing schema (pydantic's arguments are accepted and ignored)."""
        return model_schema()

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Validate ``json_data`` as ``Records`` after :func:`parse_answer` (the same keyword
        arguments as pydantic's, ``context`` and ``strict`` included); raises ``Records``'s
        ``ValidationError``."""
        answer = cls()
        answer._records = Records.model_validate(parse_answer(json_data), **kwargs)
        return answer


RecordsAnswer.__doc__ = Records.__doc__  # instructor reads the tool description from it
