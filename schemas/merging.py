"""How a field's values from two answers about the same record combine: one rule per field,
derived from the field's type, or declared beside the field where the type does not say.

A long article is answered chunk by chunk; when two chunks report the same event or statement,
the record kept takes each field from the other by its rule (see
:mod:`extraction.pipeline.merge`):

- ``union``: a list gets the other's entries it does not have yet (any list field);
- ``fill``: a value that may be null takes the other's when its own is null (any field that
  defaults to ``None``);
- ``nested``: a sub-record merges field by field, by these same rules (a field whose type is a
  record with a default, e.g. ``Location``);
- ``whole``: the sub-record is replaced by the other's as a whole when its ``when_empty`` field
  is null and the other's is not (declared: ``Annotated[EventDate, MergeRule("whole", "value")]``,
  since a date's value and precision only make sense together);
- ``first``: the kept record's value stays (everything else: the fields that say what the record
  is, such as ``sub_type`` or ``kind``, which two answers about the same record share).

>>> from schemas.event import AttackEvent, Location
>>> rules = merge_rules(AttackEvent)
>>> rules["weapons"].how, rules["operation_id"].how, rules["location"].how, rules["sub_type"].how
('union', 'fill', 'nested', 'first')
>>> rules["date"]
MergeRule(how='whole', when_empty='value')
>>> merge_rules(Location)["admin1"].how, merge_rules(Location)["precision"].how
('fill', 'first')
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

How = Literal["union", "fill", "nested", "whole", "first"]

RENUMBERED = frozenset({"id"})
"""Fields the merge sets itself (records are renumbered E1, E2 ... / S1, S2 ...)."""


@dataclass(frozen=True, slots=True)
class MergeRule:
    """How a field merges; put it in the field's ``Annotated`` metadata to declare it (it does
    not change the JSON Schema)."""

    how: How
    when_empty: str | None = None


def _record_type(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_list(a) for a in typing.get_args(annotation) if a is not type(None))
    return origin is list or annotation is list


@functools.cache
def merge_rules(model: type[BaseModel]) -> dict[str, MergeRule]:
    """The merge rule of every field of ``model`` but the renumbered ``id``."""
    rules: dict[str, MergeRule] = {}
    for name, info in model.model_fields.items():
        if name in RENUMBERED:
            continue
        declared = next((m for m in info.metadata if isinstance(m, MergeRule)), None)
        if declared is not None:
            rules[name] = declared
        elif _is_list(info.annotation):
            rules[name] = MergeRule("union")
        elif not info.is_required() and info.default is None:
            rules[name] = MergeRule("fill")
        elif _record_type(info.annotation) is not None and not info.is_required():
            rules[name] = MergeRule("nested")
        else:
            rules[name] = MergeRule("first")
    return rules


def record_type(model: type[BaseModel], name: str) -> type[BaseModel]:
    """The record type of ``model``'s field ``name`` (for ``nested`` rules)."""
    found = _record_type(model.model_fields[name].annotation)
    if found is None:
        raise TypeError(f"{model.__name__}.{name} is not a record field")
    return found
