"""The schema a model fills (schemas/model_facing.py) and the normalisation of its answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from extraction.model.answer import RecordsAnswer
from schemas.evidence import grounding_context
from schemas.model_facing import compact_schema_text, model_schema

RECORDS_000 = json.loads(
    (Path(__file__).parent / "scripted" / "records_000.json").read_text(encoding="utf-8")
)


def _nodes(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _nodes(value, f"{path}/{i}")


def test_every_list_and_string_is_bounded_and_no_pattern_is_left() -> None:
    schema = model_schema()
    strings = arrays = 0
    for path, node in _nodes(schema):
        assert "pattern" not in node, path
        if "items" in node:
            arrays += 1
            assert isinstance(node.get("maxItems"), int), path
        if node.get("type") == "string" and "format" not in node:
            strings += 1
            assert isinstance(node.get("maxLength"), int), path
    assert arrays >= 9 and strings >= 15


def test_only_what_the_model_must_fill() -> None:
    text = compact_schema_text()
    for computed in ('"start"', '"end"', '"alignment"', '"score"', '"event_type"'):
        assert computed not in text
    assert model_schema()["required"] == ["events", "statements"]
    assert len(text) < 4000  # compact: about 1,050 tokens (benchmarks/results.md)


def _as_model_would_answer(records: dict[str, Any]) -> dict[str, Any]:
    """RECORDS_000 in the model-facing shape: each evidence as its quote alone."""
    answer = json.loads(json.dumps(records))
    for path, node in list(_nodes(answer)):
        evidence = node.get("evidence")
        if isinstance(evidence, dict):
            node["evidence"] = evidence["quote"]
        date = node.get("date")
        if isinstance(date, dict) and date.get("value") and path.startswith("/events"):
            date.pop("precision", None)
    return answer


def test_a_model_facing_answer_becomes_the_full_records(seed_article: Any) -> None:
    answer = _as_model_would_answer(RECORDS_000)
    context = grounding_context(seed_article.text, evidence_from="model")
    records = RecordsAnswer.model_validate_json(json.dumps(answer), context=context).records
    assert [e.id for e in records.events] == ["E1", "E2", "E3"]
    for event in records.events:
        if event.date.value is not None:
            assert event.date.precision.value == "day"
        assert event.evidence is not None and event.evidence.start is not None


def test_an_ambiguous_date_is_reasked_not_guessed() -> None:
    answer = {
        "events": [{"id": "E1", "sub_type": "grenade", "date": {"precision": "month"}}],
        "statements": [],
    }
    with pytest.raises(ValidationError, match="no date value is given"):
        RecordsAnswer.model_validate_json(json.dumps(answer))


def test_ids_are_renumbered_only_when_distinct() -> None:
    answer = {
        "events": [{"id": "1", "sub_type": "grenade"}, {"id": "x", "sub_type": "grenade"}],
        "statements": [
            {
                "id": "7",
                "kind": "denial",
                "text": "no",
                "text_type": "paraphrase",
                "about_events": ["x"],
            }
        ],
    }
    records = RecordsAnswer.model_validate_json(json.dumps(answer)).records
    assert [e.id for e in records.events] == ["E1", "E2"]
    assert records.statements[0].id == "S1" and records.statements[0].about_events == ["E2"]
    answer["events"][1]["id"] = "1"  # two events called "1": which one a statement means is unclear
    with pytest.raises(ValidationError, match="String should match pattern"):
        RecordsAnswer.model_validate_json(json.dumps(answer))
