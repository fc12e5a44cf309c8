"""The answers of a long article's chunks merged into one extraction.

:func:`merge_extractions` shifts every evidence span by its chunk's start, checks it against the
whole text and re-aligns any that does not hold its quote. Records found twice (in the overlap
between chunks, or reported again further down) are merged into one, each field by the rule its
schema gives it (:mod:`schemas.merging`: a field added to the schema merges without a change
here), and ids are renumbered E1, E2, ... / S1, S2, ... with the statements' ``about_events``
links following.

>>> a = {"id": "E1", "sub_type": "grenade", "weapons": [{"kind": "grenade"}], "evidence": None,
...      "location": {"place": "Koya", "admin1": None}}
>>> b = {"id": "E4", "sub_type": "grenade", "weapons": [{"kind": "rocket"}],
...      "evidence": {"quote": "x"}, "location": {"place": "Koya", "admin1": "Erbil"}}
>>> merge_into(a, b, AttackEvent)
>>> a["id"], [w["kind"] for w in a["weapons"]], a["evidence"], a["location"]["admin1"]
('E1', ['grenade', 'rocket'], {'quote': 'x'}, 'Erbil')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from extraction.pipeline.chunking import Chunk
from schemas.article import Article
from schemas.event import AttackEvent
from schemas.grounding import align, span_matches
from schemas.merging import merge_rules, record_type
from schemas.records import ArticleExtraction, Records, Usage
from schemas.statement import Statement

_EVIDENCE_KEYS = frozenset({"quote", "start", "end", "alignment", "score"})


def _reground(node: Any, text: str, shift: int) -> None:
    """Shift every evidence span under ``node`` by ``shift`` and check it against ``text``;
    a span that does not hold its quote is aligned again against the whole text."""
    if isinstance(node, list):
        for item in node:
            _reground(item, text, shift)
        return
    if not isinstance(node, dict):
        return
    if set(node) == _EVIDENCE_KEYS and isinstance(node.get("quote"), str):
        start, end = node.get("start"), node.get("end")
        if (
            isinstance(start, int)
            and isinstance(end, int)
            and span_matches(node["quote"], text, start + shift, end + shift)
        ):
            node["start"], node["end"] = start + shift, end + shift
            return
        hint = (start if isinstance(start, int) else 0) + shift
        found = align(node["quote"], text, hint=hint)
        node["start"], node["end"] = found.start, found.end
        node["alignment"], node["score"] = found.status.value, found.score
        return
    for value in node.values():
        _reground(value, text, shift)


def _fold(value: Any) -> Any:
    return " ".join(value.casefold().split()) if isinstance(value, str) else value


def _span(ev: Any) -> tuple[int, int] | None:
    if isinstance(ev, dict) and isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
        return (ev["start"], ev["end"])
    return None


def _overlap(a: Any, b: Any) -> bool:
    sa, sb = _span(a), _span(b)
    return sa is not None and sb is not None and sa[0] < sb[1] and sb[0] < sa[1]


_PLACE_FIELDS = ("place", "admin2", "admin1", "country")


def _same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    shared = False
    for f in _PLACE_FIELDS:
        va, vb = _fold(a.get(f)), _fold(b.get(f))
        if va is not None and vb is not None:
            if va != vb:
                return False
            shared = True
    return shared


def _same_event(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["sub_type"] != b["sub_type"]:
        return False
    if _overlap(a.get("evidence"), b.get("evidence")):
        return True
    da, db = a["date"].get("value"), b["date"].get("value")
    if da is not None and db is not None and da != db:
        return False
    return a["standing"] == b["standing"] and _same_place(a["location"], b["location"])


def _same_statement(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["kind"] != b["kind"]:
        return False
    return _fold(a["text"]) == _fold(b["text"]) or _overlap(a.get("evidence"), b.get("evidence"))


def _union(into: list[Any], more: list[Any]) -> None:
    seen = [_identity(x) for x in into]
    for item in more:
        ident = _identity(item)
        if ident not in seen:
            into.append(item)
            seen.append(ident)


def _identity(item: Any) -> Any:
    if isinstance(item, dict):
        return tuple(sorted((k, _identity(v)) for k, v in item.items() if k != "evidence"))
    if isinstance(item, list):
        return tuple(_identity(v) for v in item)
    return _fold(item)


def merge_into(into: dict[str, Any], other: dict[str, Any], model: type[BaseModel]) -> None:
    """Take into ``into`` what ``other`` (the same record, as another chunk reported it) adds,
    field by field, by each field's rule (:func:`schemas.merging.merge_rules`)."""
    for name, rule in merge_rules(model).items():
        mine, theirs = into.get(name), other.get(name)
        if rule.how == "union":
            if isinstance(mine, list) and isinstance(theirs, list):
                _union(mine, theirs)
            elif mine is None and theirs is not None:
                into[name] = theirs
        elif rule.how == "fill":
            if mine is None and theirs is not None:
                into[name] = theirs
        elif rule.how == "nested":
            if isinstance(mine, dict) and isinstance(theirs, dict):
                merge_into(mine, theirs, record_type(model, name))
        elif rule.how == "whole":
            key = rule.when_empty
            empty = not isinstance(mine, dict) or (key is not None and mine.get(key) is None)
            if empty and isinstance(theirs, dict) and (key is None or theirs.get(key) is not None):
                into[name] = theirs


def merge_extractions(
    article: Article, chunks: Sequence[Chunk], parts: Sequence[ArticleExtraction]
) -> ArticleExtraction:
    """One extraction for the whole article from the extractions of its chunks, in order.

    Evidence offsets index ``article.text``; duplicate events (same sub-type at a compatible
    place and date, or overlapping evidence) and duplicate statements (same kind and words) are
    merged; usage and attempts are summed."""
    if len(chunks) != len(parts) or not parts:
        raise ValueError(f"{len(chunks)} chunks but {len(parts)} extractions")
    events: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    used_ops: set[str] = set()
    for chunk, part in zip(chunks, parts, strict=True):
        id_map: dict[str, str] = {}
        op_map: dict[str, str] = {}
        for event in part.events:
            data = event.model_dump(mode="json")
            _reground(data, article.text, chunk.start)
            old_id, op = data["id"], data.get("operation_id")
            same = next((e for e in events if _same_event(e, data)), None)
            if same is not None:
                id_map[old_id] = same["id"]
                if op is not None and same.get("operation_id") is not None:
                    op_map.setdefault(op, same["operation_id"])
                data["operation_id"] = None  # the kept event's operation wins
                merge_into(same, data, AttackEvent)
                continue
            if op is not None:
                if op not in op_map:
                    op_map[op] = op if op not in used_ops else f"{op}-{chunk.index + 1}"
                data["operation_id"] = op_map[op]
                used_ops.add(op_map[op])
            data["id"] = f"E{len(events) + 1}"
            id_map[old_id] = data["id"]
            events.append(data)
        for statement in part.statements:
            data = statement.model_dump(mode="json")
            _reground(data, article.text, chunk.start)
            data["about_events"] = [id_map[i] for i in data["about_events"] if i in id_map]
            same = next((s for s in statements if _same_statement(s, data)), None)
            if same is not None:
                merge_into(same, data, Statement)
                continue
            data["id"] = f"S{len(statements) + 1}"
            statements.append(data)
    records = Records.model_validate({"events": events, "statements": statements})
    usage = sum((p.producer.usage for p in parts), Usage())
    producer = parts[0].producer.model_copy(
        update={
            "usage": usage,
            "attempts": sum(p.producer.attempts for p in parts),
            "latency_s": _total_latency(parts),
        }
    )
    warnings: list[str] = []
    for p in parts:
        warnings.extend(w for w in p.warnings if w not in warnings)
    return ArticleExtraction.from_records(article.id, records, producer, warnings=warnings)


def _total_latency(parts: Sequence[ArticleExtraction]) -> float | None:
    values = [p.producer.latency_s for p in parts if p.producer.latency_s is not None]
    return round(sum(values), 6) if values else None
