"""Id-based paths to the fields of a set of records, as used by gold files' ``acceptable`` map.

A path starts at a record by its id (``events.E1``, ``statements.S2``), then names fields; items of
nested lists (casualties, actors, weapons, attribution) are numbered from 0. A *leaf* is a value a
person accepts, changes or rejects as one: a scalar, a list of plain strings, a whole evidence span
(quote and offsets), or an optional object left empty. A record's ``id`` is its address, not a
leaf, and ``event_type`` is derived from ``sub_type``.

>>> from schemas import Records, AttackEvent, CasualtyFigure, CasualtyKind, SubType
>>> r = Records(events=[AttackEvent(id="E1", sub_type=SubType.AIR_DRONE_STRIKE,
...     casualties=[CasualtyFigure(kind=CasualtyKind.KILLED, low=2, best=2)])])
>>> flat = leaves(r)
>>> flat["events.E1.casualties.0.best"], flat["events.E1.sub_type"]
(2, 'air_drone_strike')
>>> item_paths(r)
['events.E1', 'events.E1.casualties.0']
>>> generic("events.E1.casualties.0.best")
'events.*.casualties.*.best'
>>> owning_item("events.E1.casualties.0.best", item_paths(r))
('events.E1.casualties.0', 'best')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, get_args

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from schemas.records import Records

NOT_LEAVES = frozenset({"id", "event_type"})
"""Fields never reviewed on their own: record ids (paths use them) and derived fields."""

RECORD_LISTS = ("events", "statements")

_ID_OR_INDEX = re.compile(r"^(?:[ES]\d+|\d+|#\d+)$")


def _is_model_list(annotation: Any) -> bool:
    args = get_args(annotation)
    return bool(args) and isinstance(args[0], type) and issubclass(args[0], BaseModel)


def evidence_value(evidence: Any) -> dict[str, Any] | None:
    """What of an evidence span is compared: the quote and its offsets, not how they were found."""
    if evidence is None:
        return None
    if isinstance(evidence, BaseModel):
        evidence = evidence.model_dump()
    return {k: evidence.get(k) for k in ("quote", "start", "end")}


def _walk(model: BaseModel, prefix: str, out: dict[str, Any], items: list[str]) -> None:
    for name, info in type(model).model_fields.items():
        if name in NOT_LEAVES:
            continue
        value = getattr(model, name)
        path = f"{prefix}.{name}"
        if name == "evidence":
            out[path] = evidence_value(value)
        elif isinstance(value, BaseModel):
            _walk(value, path, out, items)
        elif isinstance(value, list) and _is_model_list(info.annotation):
            for i, item in enumerate(value):
                items.append(f"{path}.{i}")
                _walk(item, f"{path}.{i}", out, items)
        else:
            out[path] = to_jsonable_python(value)


def _walk_records(records: Records) -> tuple[dict[str, Any], list[str]]:
    out: dict[str, Any] = {}
    items: list[str] = []
    for kind in RECORD_LISTS:
        for record in getattr(records, kind):
            path = f"{kind}.{record.id}"
            items.append(path)
            _walk(record, path, out, items)
    return out, items


def leaves(records: Records) -> dict[str, Any]:
    """Every leaf of ``records`` by path, its value as JSON would hold it."""
    return _walk_records(records)[0]


def item_paths(records: Records) -> list[str]:
    """Paths of the records and of the items of their nested lists, in document order."""
    return _walk_records(records)[1]


def generic(path: str) -> str:
    """The path with record ids and list positions replaced by ``*``: one key per schema field."""
    return ".".join("*" if _ID_OR_INDEX.match(part) else part for part in path.split("."))


def owning_item(path: str, items: Iterable[str]) -> tuple[str | None, str]:
    """The innermost item (record or nested list item) holding ``path``, and the rest of the path
    below it; ``(None, path)`` when no item holds it."""
    best: str | None = None
    for item in items:
        if path.startswith(item + ".") and (best is None or len(item) > len(best)):
            best = item
    if best is None:
        return None, path
    return best, path[len(best) + 1 :]


def loc_to_path(loc: Sequence[int | str], raw_records: Any) -> str:
    """Turn a pydantic error location inside a records object into an id-based path.

    >>> raw = {"events": [{"id": "E3", "casualties": [{"best": -1}]}]}
    >>> loc_to_path(("events", 0, "casualties", 0, "best"), raw)
    'events.E3.casualties.0.best'
    >>> loc_to_path(("statements", 1, "text"), {"statements": [{}]})
    'statements.#1.text'
    """
    parts: list[str] = []
    node: Any = raw_records
    for i, part in enumerate(loc):
        label = str(part)
        if i == 1 and isinstance(part, int) and parts and parts[0] in RECORD_LISTS:
            record = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            rid = record.get("id") if isinstance(record, dict) else None
            label = rid if isinstance(rid, str) and _ID_OR_INDEX.match(rid) else f"#{part}"
        parts.append(label)
        if isinstance(node, dict):
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return ".".join(parts)
