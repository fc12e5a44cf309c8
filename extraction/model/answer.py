"""The response model sitrep hands instructor: :class:`RecordsAnswer`, a thin envelope around
:class:`schemas.records.Records`.

instructor checks its response model for async validators by walking the model's whole type tree
(every field of every nested model, over each class's MRO) several times per call: six walks of
``Records`` cost about 3.6 ms of CPU a call, a third of the model path's client CPU (see
``benchmarks/README.md``). The envelope has no fields, so the walk is short, while everything the
model sees and everything instructor validates is ``Records``'s own:

- :meth:`RecordsAnswer.model_json_schema` returns ``Records``'s JSON Schema, so the tool (or the
  JSON-mode instructions) is byte-for-byte the one instructor would render for ``Records``;
- :meth:`RecordsAnswer.model_validate_json` validates the answer as ``Records`` with the same
  context and strictness, so a failure raises ``Records``'s own :class:`pydantic.ValidationError`
  (same locations, same messages) and instructor re-asks with it as before.

It subclasses instructor's ``OpenAISchema`` (``ResponseSchema``), so instructor uses the class as
given instead of wrapping it in a new class on every call.

>>> answer = RecordsAnswer.model_validate_json('{"events": [], "statements": []}')
>>> answer.records.events, RecordsAnswer.model_json_schema()["title"]
([], 'Records')
"""

from __future__ import annotations

from typing import Any, Self

from instructor import OpenAISchema
from pydantic import PrivateAttr

from schemas.records import Records


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
        """``Records``'s JSON Schema (the same arguments as pydantic's)."""
        return Records.model_json_schema(*args, **kwargs)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Validate ``json_data`` as ``Records`` (the same keyword arguments as pydantic's,
        ``context`` and ``strict`` included); raises ``Records``'s ``ValidationError``."""
        answer = cls()
        answer._records = Records.model_validate_json(json_data, **kwargs)
        return answer


RecordsAnswer.__doc__ = Records.__doc__  # instructor reads the tool description from it
