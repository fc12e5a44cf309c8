"""Acceptable alternatives in a gold file: the paths they may name and the gold variants they make.

A key names a record by id, then a field path inside it, with list positions as numbers (as they
stand in the gold file), e.g.

- ``events.E1.location.admin1``, ``statements.S2.kind``: another value of that field;
- ``events.E1.date``: another date (an EventDate object, an ISO date, or a phrase);
- ``events.E2.casualties.0.low``, ``events.E2.casualties.0``: another bound, or fields merged
  over the gold figure;
- ``events.E1.perpetrators.0``: another name for that actor (a string) or fields of it;
- ``events.E1.perpetrators``: a whole other list (``[[]]``: no perpetrator is also right).

``casualties[0]`` is read as ``casualties.0``. Each value substitutes at its path to make a
*variant* of the gold record; a comparator scores the prediction against the gold record and each
variant affecting its field, and takes the best. A key that names no record or field, or a value
that does not validate there, is an error naming the key.

>>> from schemas import AttackEvent, Records
>>> recs = Records(events=[AttackEvent(id="E1", sub_type="air_drone_strike")])
>>> vs = record_variants(recs, {"events.E1.sub_type": ["shelling_artillery_missile_attack"]})
>>> [(key, v.event_type.value) for key, v in vs["events.E1"]]
[('sub_type', 'explosions_remote_violence')]
>>> check_acceptable(recs, {"events.E9.outcome": ["attempted"]})
Traceback (most recent call last):
...
evals.acceptable.AcceptableError: acceptable key 'events.E9.outcome': no events record with id ...
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from schemas.event import AttackEvent
from schemas.records import Records
from schemas.statement import Statement
from schemas.validation import first_error

_INDEX = re.compile(r"\[(\d+)\]")
_SECTIONS = ("events", "statements")
_M = TypeVar("_M", bound=BaseModel)


class AcceptableError(ValueError):
    """An acceptable key or value that cannot apply to the gold records."""


def split_key(key: str) -> list[str]:
    """``"events.E1.casualties[0].low"`` -> ``["events", "E1", "casualties", "0", "low"]``."""
    return [p for p in _INDEX.sub(r".\1", key).split(".") if p != ""]


def affects(key: str, path: str) -> bool:
    """Whether an alternative at record-relative ``key`` can change the value at ``path``.

    >>> affects("location", "location.admin1"), affects("location.admin1", "location")
    (True, True)
    >>> affects("location.admin1", "location.place"), affects("dates", "date")
    (False, False)
    """
    if key == "" or path == "" or key == path:
        return True
    return key.startswith(path + ".") or path.startswith(key + ".")


def _date_value(value: Any) -> Any:
    """An ISO date string becomes a day-precision date; another string is an unresolved phrase."""
    if isinstance(value, str):
        try:
            return {"value": dt.date.fromisoformat(value).isoformat(), "precision": "day"}
        except ValueError:
            return {"phrase": value}
    return value


def _set(data: Any, parts: list[str], value: Any, done: list[str]) -> Any:
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    where = ".".join(done) or "the record"
    if isinstance(data, dict):
        if head not in data:
            raise AcceptableError(f"{where} has no field {head!r}")
        if not rest and head == "date":
            value = _date_value(value)  # a date alternative replaces the whole date
        elif not rest and isinstance(data[head], dict) and isinstance(value, dict):
            value = {**data[head], **value}  # a partial object merges over the gold one
        return {**data, head: _set(data[head], rest, value, [*done, head])}
    if isinstance(data, list):
        if not head.isdigit() or int(head) >= len(data):
            raise AcceptableError(f"{where} has {len(data)} item(s); no position {head!r}")
        i = int(head)
        if not rest and isinstance(data[i], dict) and isinstance(value, dict):
            value = {**data[i], **value}
        elif (
            not rest and isinstance(data[i], dict) and "name" in data[i] and isinstance(value, str)
        ):
            value = {**data[i], "name": value, "canonical": None}  # another name for an actor
        return [*data[:i], _set(data[i], rest, value, [*done, head]), *data[i + 1 :]]
    if data is None:
        raise AcceptableError(f"{where} is null in the gold; give the whole value at {where}")
    raise AcceptableError(f"{where} is a value, not an object or a list")


def substitute(record: _M, rel_path: str, value: Any) -> _M:
    """A copy of ``record`` with ``value`` at ``rel_path``, validated (derived fields redone)."""
    parts = split_key(rel_path)
    data = record.model_dump(mode="json")
    new = _set(data, parts, value, [])
    if isinstance(record, AttackEvent) and parts and parts[0] == "sub_type":
        new["event_type"] = None  # derived again from the new sub-type
    try:
        return type(record).model_validate(new)
    except ValidationError as exc:
        loc, msg = first_error(exc)
        raise AcceptableError(f"{loc}: {msg}") from None


def _index(records: Records) -> dict[str, dict[str, AttackEvent | Statement]]:
    return {
        "events": {e.id: e for e in records.events},
        "statements": {s.id: s for s in records.statements},
    }


def record_variants(
    records: Records, acceptable: dict[str, list[Any]]
) -> dict[str, list[tuple[str, BaseModel]]]:
    """For each record path (``"events.E1"``), its variants as (record-relative key, record)."""
    by_id = _index(records)
    out: dict[str, list[tuple[str, BaseModel]]] = {}
    for key, values in acceptable.items():
        parts = split_key(key)
        try:
            if len(parts) < 3 or parts[0] not in _SECTIONS:
                raise AcceptableError(
                    "expected '<events|statements>.<id>.<field>[.<field or position>...]'"
                )
            section, rid, rel = parts[0], parts[1], ".".join(parts[2:])
            if rid not in by_id[section]:
                known = sorted(by_id[section])
                raise AcceptableError(f"no {section} record with id {rid!r} (ids: {known})")
            if rel.split(".")[0] in ("id", "evidence"):
                raise AcceptableError(f"field {rel.split('.')[0]!r} takes no alternatives")
            if not isinstance(values, list) or not values:
                raise AcceptableError("alternatives must be a non-empty list of values")
            record = by_id[section][rid]
            for value in values:
                variant = substitute(record, rel, value)
                out.setdefault(f"{section}.{rid}", []).append((rel, variant))
        except AcceptableError as exc:
            raise AcceptableError(f"acceptable key {key!r}: {exc}") from None
    return out


def check_acceptable(records: Records, acceptable: dict[str, list[Any]]) -> None:
    """Raise :class:`AcceptableError` naming the first key that cannot apply to ``records``."""
    record_variants(records, acceptable)


def resolve(obj: Any, rel_path: str) -> Any:
    """The value at ``rel_path`` inside ``obj`` (attributes and list positions).

    >>> from schemas import AttackEvent
    >>> resolve(AttackEvent(id="E1", sub_type="grenade"), "location.precision").value
    '1'
    """
    for part in split_key(rel_path):
        obj = obj[int(part)] if isinstance(obj, list) else getattr(obj, part)
    return obj
