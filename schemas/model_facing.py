"""The schema a model fills: :class:`schemas.records.Records`'s JSON Schema cut down to what a model
must write, and the normalisation applied to an answer before it is validated as ``Records``.

:func:`model_schema` is generated from ``Records.model_json_schema()`` with the changes listed in
``schemas/data/model_facing.json``:

- fields sitrep computes are dropped (evidence offsets, alignment and score, ``event_type``);
- ``events`` and ``statements`` are required, so an answer cannot stop after one list;
- no regex ``pattern`` (ids are checked after parsing, by ``Records``): some servers turn patterns
  into grammars they cannot parse;
- every list has a ``maxItems`` and every string a ``maxLength``, so a looping model reaches the
  end of its answer instead of ``max_tokens``;
- titles, null defaults and ``anyOf [X, null]`` wrappers are gone (an optional field is simply not
  required), and only a few short descriptions are kept: the prompt says the rest.

Every answer valid under it is valid ``Records`` input, except where a rule spans fields; the
answer is then normalised where the intent is clear (:func:`normalise_answer`: a date value given
without a precision is a day; a list given as null is empty; values sitrep computes are dropped;
distinct ids not written E1 / S1 are renumbered)
and re-asked where it is not (a precision with no date, low above best).

>>> schema = model_schema()
>>> schema["required"], schema["properties"]["events"]["maxItems"]
(['events', 'statements'], 8)
>>> schema["$defs"]["Evidence"]["type"], "start" in compact_schema_text()
('string', False)
>>> "pattern" in compact_schema_text()
False
>>> normalise_answer({"events": [{"id": "E1", "date": {"value": "2022-09-28"}, "targets": None,
...                                "event_type": "battles"}]})
{'events': [{'id': 'E1', 'date': {'value': '2022-09-28', 'precision': 'day'}, 'targets': []}]}
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
from importlib import resources
from typing import Any

from schemas.records import Records

_CONFIG = "model_facing.json"
_NULLABLE_LISTS = frozenset(
    {"events", "statements", "perpetrators", "targets", "attribution", "weapons", "casualties"}
    | {"about_events"}
)
_COMPUTED = {"event_type"}
_COMPUTED_EVIDENCE = ("start", "end", "alignment", "score")


@functools.cache
def _config() -> dict[str, Any]:
    text = resources.files("schemas").joinpath("data", _CONFIG).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _unwrap_optional(node: dict[str, Any]) -> None:
    options = node.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
        (other,) = [o for o in options if o != {"type": "null"}]
        del node["anyOf"]
        node.update(other)


def _clean(node: Any) -> None:
    """Titles, defaults, patterns and descriptions out; ``anyOf [X, null]`` as X, recursively."""
    if isinstance(node, dict):
        _unwrap_optional(node)
        for key in ("title", "default", "pattern", "description", "minLength", "minimum"):
            node.pop(key, None)
        if node.get("additionalProperties") is False:
            del node["additionalProperties"]  # no extra properties is what a grammar allows
        if "enum" in node or node.get("type") in ("object", "array"):
            node.pop("type", None)  # implied by enum, properties or items
        for value in node.values():
            _clean(value)
    elif isinstance(node, list):
        for value in node:
            _clean(value)


def _bound(name: str, prop_name: str, prop: dict[str, Any], cfg: dict[str, Any]) -> None:
    key = f"{name}.{prop_name}"
    if "items" in prop:
        prop["maxItems"] = cfg["max_items"][key]  # every list must have its bound in the file
        items = prop.get("items", {})
        if items.get("type") == "string":
            items["maxLength"] = cfg["max_length"]["default"]
    elif prop.get("type") == "string" and "enum" not in prop and "format" not in prop:
        prop["maxLength"] = cfg["max_length"].get(key, cfg["max_length"]["default"])


def _ref_counts(node: Any) -> dict[str, int]:
    found = re.findall(r'"#/\$defs/([A-Za-z0-9_]+)"', json.dumps(node))
    return {name: found.count(name) for name in set(found)}


def _replace_refs(node: Any, defs: dict[str, Any], names: set[str]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        name = ref.removeprefix("#/$defs/")
        if name in names and len(node) == 1:
            return _replace_refs(defs[name], defs, names)
        return {k: _replace_refs(v, defs, names) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_refs(v, defs, names) for v in node]
    return node


def _inline_single_use(schema: dict[str, Any]) -> None:
    """Definitions referred to once are written where they are used (shorter to read and send)."""
    counts = _ref_counts(schema)
    once = {name for name, n in counts.items() if n == 1}
    defs = schema.pop("$defs")
    body = _replace_refs(schema, defs, once)
    kept = {n: _replace_refs(d, defs, once) for n, d in defs.items() if n not in once}
    schema.clear()
    schema.update({"$defs": kept, **body} if kept else body)


def _refs(node: Any) -> set[str]:
    text = json.dumps(node)
    return set(re.findall(r'"#/\$defs/([A-Za-z0-9_]+)"', text))


@functools.cache
def _build() -> dict[str, Any]:
    cfg = _config()
    schema = copy.deepcopy(Records.model_json_schema())
    _clean(schema)
    objects: dict[str, dict[str, Any]] = {"Records": schema, **schema["$defs"]}
    for dropped in cfg["drop"]:
        owner, prop_name = dropped.split(".")
        del objects[owner]["properties"][prop_name]
        if prop_name in objects[owner].get("required", []):
            objects[owner]["required"].remove(prop_name)
    for name, obj in objects.items():
        for prop_name, prop in obj.get("properties", {}).items():
            _bound(name, prop_name, prop, cfg)
    for key in cfg["required"]:
        owner, prop_name = key.split(".")
        required = objects[owner].setdefault("required", [])
        if prop_name not in required:
            required.append(prop_name)
    for key, text in cfg["descriptions"].items():
        owner, _, prop_name = key.partition(".")
        target = objects[owner]["properties"][prop_name] if prop_name else objects[owner]
        target["description"] = text
    used, todo = set(), _refs(schema["properties"])
    while todo:  # definitions reached only through other definitions count too
        used |= todo
        todo = _refs([schema["$defs"][n] for n in todo]) - used
    schema["$defs"] = {n: d for n, d in schema["$defs"].items() if n in used}
    schema["$defs"]["Evidence"] = {  # the quote alone: normalise_answer makes it the object
        "type": "string",
        "maxLength": cfg["max_length"]["Evidence.quote"],
    }
    _inline_single_use(schema)
    schema["title"] = "Records"  # the tool's name in tools mode
    schema["type"] = "object"  # function parameters must say it at the root
    return schema


def model_schema() -> dict[str, Any]:
    """The JSON Schema a model fills (a fresh copy: callers may change it)."""
    return copy.deepcopy(_build())


@functools.cache
def compact_schema_text() -> str:
    """:func:`model_schema` as compact JSON, for pasting into a prompt."""
    return json.dumps(_build(), separators=(",", ":"), ensure_ascii=False)


@functools.cache
def model_schema_hash() -> str:
    """A stable hash of :func:`model_schema`."""
    return "sha256:" + hashlib.sha256(compact_schema_text().encode()).hexdigest()[:16]


def _normalise_date(date: Any) -> None:
    if isinstance(date, dict) and date.get("value") and date.get("precision") is None:
        date.pop("precision", None)
        date["precision"] = "day"


def _normalise_evidence(node: Any) -> None:
    if isinstance(node, dict):
        evidence = node.get("evidence")
        if isinstance(evidence, str):
            node["evidence"] = {"quote": evidence}
        elif isinstance(evidence, dict):
            for key in _COMPUTED_EVIDENCE:
                evidence.pop(key, None)
        for value in node.values():
            _normalise_evidence(value)
    elif isinstance(node, list):
        for value in node:
            _normalise_evidence(value)


def _normalise_record(record: dict[str, Any]) -> None:
    for key in _COMPUTED:
        record.pop(key, None)
    for key in _NULLABLE_LISTS:
        if key in record and record[key] is None:
            record[key] = []
    _normalise_date(record.get("date"))


def _renumber(records: list[Any], prefix: str) -> dict[str, str]:
    """Ids ``prefix1, prefix2, ...`` in order when any given id is not of that form and all are
    distinct (so references can follow); the old id -> new id map, empty when nothing changed."""
    if not all(isinstance(r, dict) for r in records):
        return {}
    ids = [str(r.get("id")) for r in records]
    if all(re.fullmatch(rf"{prefix}\d+", i) for i in ids) or len(set(ids)) != len(ids):
        return {}
    mapping = {old: f"{prefix}{n}" for n, old in enumerate(ids, 1)}
    for record, old in zip(records, ids, strict=True):
        record["id"] = mapping[old]
    return mapping


def normalise_answer(answer: Any) -> Any:
    """``answer`` (parsed JSON) with what is clear fixed in place: a date value without a
    precision gets ``day``, null lists become empty, computed values are dropped, and ids not of
    the form E1 / S1 are renumbered in order when they are distinct (with the statements'
    ``about_events`` following). Anything else is left for validation to report.

    >>> normalise_answer({"events": [{"id": "1"}, {"id": "2"}],
    ...                   "statements": [{"id": "a", "about_events": ["2"]}]})
    {'events': [{'id': 'E1'}, {'id': 'E2'}], 'statements': [{'id': 'S1', 'about_events': ['E2']}]}
    """
    if not isinstance(answer, dict):
        return answer
    for key in ("events", "statements"):
        if answer.get(key, ()) is None:
            answer[key] = []
        for record in answer.get(key) or []:
            if isinstance(record, dict):
                _normalise_record(record)
    events, statements = answer.get("events"), answer.get("statements")
    moved = _renumber(events, "E") if isinstance(events, list) else {}
    if isinstance(statements, list):
        _renumber(statements, "S")
        for statement in statements:
            about = statement.get("about_events") if isinstance(statement, dict) else None
            if moved and isinstance(about, list):
                statement["about_events"] = [moved.get(str(i), i) for i in about]
    _normalise_evidence(answer)
    return answer
