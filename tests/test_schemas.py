"""Validators of the record schemas: what they accept, what they refuse, and how they say so."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest
from pydantic import ValidationError

from schemas import (
    ArticleExtraction,
    AttackEvent,
    CasualtyFigure,
    CasualtyKind,
    DatePrecision,
    EventDate,
    EventType,
    Evidence,
    Producer,
    Records,
    Statement,
    StatementKind,
    SubType,
    TextType,
    grounding_context,
    schema_hash,
)
from schemas.evidence import grounding
from schemas.grounding import AlignmentStatus

# Synthetic text for unit tests (not an eval article).
TEXT = (
    "Two drones struck the party headquarters near Koya on Monday, killing at least 3 people. "
    '"We will not be silenced," the party said in a statement.'
)


def test_casualty_bounds_must_be_ordered() -> None:
    CasualtyFigure(kind=CasualtyKind.KILLED, low=2, best=3, high=None)
    with pytest.raises(ValidationError, match=r"low \(13\) must not exceed best \(10\)"):
        CasualtyFigure(kind=CasualtyKind.KILLED, low=13, best=10)
    with pytest.raises(ValidationError):
        CasualtyFigure(kind=CasualtyKind.INJURED, best=-1)


def test_event_type_is_derived_and_checked() -> None:
    e = AttackEvent(id="E1", sub_type=SubType.EXCESSIVE_FORCE_AGAINST_PROTESTERS)
    assert e.event_type is EventType.PROTESTS
    with pytest.raises(ValidationError, match="does not fit sub_type"):
        AttackEvent(id="E1", sub_type=SubType.AIR_DRONE_STRIKE, event_type=EventType.BATTLES)


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        AttackEvent.model_validate({"id": "E1", "sub_type": "air_drone_strike", "deaths": 3})


def test_date_precision_must_match_value() -> None:
    EventDate(phrase="on Monday")  # unresolved, kept with its phrase
    EventDate(value=dt.date(2022, 11, 14), precision=DatePrecision.DAY, phrase="on Monday")
    with pytest.raises(ValidationError, match="no date value"):
        EventDate(precision=DatePrecision.DAY, phrase="on Monday")


def test_records_ids_unique_and_links_resolve() -> None:
    e = {"id": "E1", "sub_type": "air_drone_strike"}
    s = {"id": "S1", "kind": "condemnation", "text": "x", "text_type": "paraphrase"}
    Records.model_validate({"events": [e], "statements": [{**s, "about_events": ["E1"]}]})
    with pytest.raises(ValidationError, match=r"duplicate ids \['E1'\]"):
        Records.model_validate({"events": [e, e]})
    with pytest.raises(ValidationError, match=r"unknown events \['E7'\]"):
        Records.model_validate({"events": [e], "statements": [{**s, "about_events": ["E7"]}]})


def test_model_evidence_is_aligned_not_trusted() -> None:
    ctx = grounding_context(TEXT, evidence_from="model")
    ev = Evidence.model_validate(
        {"quote": "killing at least 3 people", "start": 0, "end": 5}, context=ctx
    )
    assert TEXT[ev.start : ev.end] == "killing at least 3 people"
    assert ev.alignment is AlignmentStatus.EXACT


def test_ungrounded_model_evidence_fails_with_actionable_message() -> None:
    ctx = grounding_context(TEXT, evidence_from="model")
    with pytest.raises(ValidationError, match="is not in the article; copy the supporting words"):
        Evidence.model_validate({"quote": "five soldiers were wounded"}, context=ctx)


def test_ungrounded_evidence_is_flagged_not_dropped_in_flag_mode() -> None:
    ctx = grounding_context(TEXT, evidence_from="model", on_ungrounded="flag")
    ev = Evidence.model_validate({"quote": "five soldiers were wounded"}, context=ctx)
    assert ev.alignment is AlignmentStatus.NOT_FOUND
    assert ev.start is None and not ev.grounded


def test_stored_span_must_hold_its_quote() -> None:
    ctx = grounding_context(TEXT)
    good = TEXT.index("Koya")
    Evidence.model_validate({"quote": "Koya", "start": good, "end": good + 4}, context=ctx)
    with pytest.raises(ValidationError, match=r"span \[0:4\] does not hold the quote 'Koya'"):
        Evidence.model_validate({"quote": "Koya", "start": 0, "end": 4}, context=ctx)
    with pytest.raises(ValidationError, match="does not hold the quote"):
        Evidence.model_validate({"quote": "Koya", "start": 500, "end": 504}, context=ctx)


def test_statement_quote_must_be_in_article() -> None:
    ctx = grounding_context(TEXT, evidence_from="model")
    ok = {"id": "S1", "kind": "threat", "text": "We will not be silenced,", "text_type": "quote"}
    assert Statement.model_validate(ok, context=ctx).cameo == "138"
    bad = {**ok, "text": "We will strike back"}
    with pytest.raises(ValidationError, match="set text_type to 'paraphrase'"):
        Statement.model_validate(bad, context=ctx)
    # a paraphrase need not be verbatim
    Statement.model_validate({**bad, "text_type": "paraphrase"}, context=ctx)


def test_grounding_block_checks_validations_given_no_context() -> None:
    quote = {"id": "S1", "kind": "threat", "text": "We will strike back", "text_type": "quote"}
    with grounding(TEXT, evidence_from="model") as ctx:
        assert ctx == grounding_context(TEXT, evidence_from="model")
        ev = Evidence.model_validate({"quote": "killing at least 3 people"})
        assert TEXT[ev.start : ev.end] == "killing at least 3 people"
        with pytest.raises(ValidationError, match="set text_type to 'paraphrase'"):
            Statement.model_validate(quote)
        # a context passed to the validation wins over the block's, even one without a text
        assert Evidence.model_validate({"quote": "Koya", "start": 0}, context={}).start == 0
        other = grounding_context("Near Koya.", evidence_from="model")
        assert Evidence.model_validate({"quote": "Koya"}, context=other).start == 5
    assert Evidence.model_validate({"quote": "not in any article"}).alignment is None
    assert Statement.model_validate(quote).text == "We will strike back"


def test_grounding_block_is_undone_when_validation_fails_inside_it() -> None:
    with pytest.raises(ValidationError), grounding(TEXT, evidence_from="model"):
        Evidence.model_validate({"quote": "five soldiers were wounded"})
    assert Evidence.model_validate({"quote": "five soldiers were wounded"}).start is None


def test_concurrent_tasks_each_see_their_own_grounding() -> None:
    async def ground(text: str, both_inside: asyncio.Barrier) -> int | None:
        with grounding(text, evidence_from="model"):
            await both_inside.wait()  # the other task has set its own grounding by now
            return Evidence.model_validate({"quote": "Koya"}).start

    async def both() -> list[int | None]:
        both_inside = asyncio.Barrier(2)
        return list(
            await asyncio.gather(ground("Koya.", both_inside), ground("Near Koya.", both_inside))
        )

    assert asyncio.run(both()) == [0, 5]


def test_statement_kinds_map_to_cameo() -> None:
    assert StatementKind.CLAIM_OF_RESPONSIBILITY.cameo == "015"
    assert StatementKind.DENIAL.cameo == "016"
    assert StatementKind.THREAT.cameo == "138"
    assert StatementKind.OTHER.cameo is None
    assert TextType("quote") is TextType.QUOTE


def test_date_after_publication_is_flagged() -> None:
    producer = Producer(kind="baseline", name="test")
    raw = {
        "article_id": "a1",
        "producer": producer.model_dump(),
        "events": [
            {
                "id": "E1",
                "sub_type": "air_drone_strike",
                "date": {"value": "2024-05-02", "precision": "day", "phrase": "on May 2"},
            }
        ],
    }
    ctx = {"publication_date": dt.date(2024, 4, 19)}
    x = ArticleExtraction.model_validate(raw, context=ctx)
    assert x.warnings == ["E1: date 2024-05-02 is after the publication date 2024-04-19"]
    assert ArticleExtraction.model_validate(raw).warnings == []


def test_schema_hash_is_stable_and_sensitive() -> None:
    assert schema_hash() == schema_hash(Records)
    assert schema_hash(Records) != schema_hash(AttackEvent)
    schema = Records.model_json_schema()
    assert "Evidence" in json.dumps(schema)
