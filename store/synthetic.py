"""Invented result records (SYNTHETIC: no real article behind them), for examples, tests and the
scale benchmark.

>>> r = result_record("a1", place="Koya", killed=2, date="2022-09-28")
>>> e = r.extraction.events[0]
>>> e.location.place, e.date.value.isoformat(), e.casualties[0].best, r.run_key
('Koya', '2022-09-28', 2, 'synthetic-run')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from extraction.batch.results import ResultRecord
from schemas.event import Actor, AttackEvent, CasualtyFigure, EventDate, Location
from schemas.evidence import Evidence
from schemas.records import ArticleExtraction, Producer
from schemas.vocab import CasualtyKind, DatePrecision, Qualifier, SubType

PRODUCER = Producer(kind="human", name="synthetic (sitrep store tests)")


def event(
    event_id: str = "E1",
    *,
    sub_type: str = "air_drone_strike",
    date: str | None = "2022-09-28",
    precision: str = "day",
    phrase: str | None = None,
    place: str | None = None,
    admin1: str | None = None,
    country: str | None = "Iraq",
    perpetrators: Sequence[str | Actor] = ("IRGC",),
    targets: Sequence[str | Actor] = ("PDKI",),
    killed: int | None = None,
    killed_quote: str | None = None,
    qualifier: str = "exact",
    standing: str = "reported",
    **extra: Any,
) -> AttackEvent:
    """One invented event."""
    casualties = []
    if killed is not None:
        quote = killed_quote or f"{killed} people were killed"
        casualties.append(
            CasualtyFigure(
                kind=CasualtyKind.KILLED,
                low=killed,
                best=killed,
                high=None if qualifier == "at_least" else killed,
                qualifier=Qualifier(qualifier),
                evidence=Evidence(quote=quote),
            )
        )
    return AttackEvent(
        id=event_id,
        sub_type=SubType(sub_type),
        standing=standing,
        date=EventDate(
            value=dt.date.fromisoformat(date) if date else None,
            precision=DatePrecision(precision) if date else DatePrecision.UNRESOLVED,
            phrase=phrase,
        ),
        location=Location(place=place, admin1=admin1, country=country),
        perpetrators=[a if isinstance(a, Actor) else Actor(name=a) for a in perpetrators],
        targets=[a if isinstance(a, Actor) else Actor(name=a) for a in targets],
        casualties=casualties,
        **extra,
    )


def result_record(
    article_id: str,
    *,
    run_key: str = "synthetic-run",
    events: list[AttackEvent] | None = None,
    **event_fields: Any,
) -> ResultRecord:
    """A result record of one invented article: ``events``, or one event from ``event_fields``."""
    return ResultRecord(
        key=article_id,
        article_id=article_id,
        run_key=run_key,
        status="ok",
        source=f"synthetic:{article_id}",
        extraction=ArticleExtraction(
            article_id=article_id,
            events=events if events is not None else [event(**event_fields)],
            producer=PRODUCER,
        ),
        finished_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
