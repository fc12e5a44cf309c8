"""An incident as the store shows and exports it: its sources, actors, place, date, and its
casualty figures reconciled across sources, with their history and the merge decisions."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from typing import Any

from pydantic import BaseModel, Field

from schemas.event import Actor, AttackEvent, Location
from store.casualties import Toll, reconcile, total
from store.placement import figures_of
from store.reports import coordinates


class Span(BaseModel):
    field: str
    quote: str
    start: int | None = None
    end: int | None = None


class Source(BaseModel):
    run_key: str
    article_id: str
    event_id: str
    producer: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    source: str | None = Field(default=None, description="Where the article was read from.")
    evidence: list[Span] = Field(default_factory=list)


class Place(BaseModel):
    place: str | None = None
    admin2: str | None = None
    admin1: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision: str | None = Field(default=None, description="ACLED geo-precision 1, 2 or 3.")


class DateOut(BaseModel):
    value: dt.date | None = None
    precision: str = "unresolved"
    phrases: list[str] = Field(default_factory=list)


class ActorOut(BaseModel):
    name: str
    category: str | None = None
    sources: int


class FigureOut(BaseModel):
    source: str
    low: int | None
    best: int | None
    high: int | None
    qualifier: str
    quote: str | None = None
    reported_by: str | None = None
    revision: bool = False


class StepOut(BaseModel):
    after: str
    low: int
    best: int
    high: int
    replaced: list[str] = Field(default_factory=list)


class TollOut(BaseModel):
    kind: str
    group: str
    low: int | None
    best: int | None
    high: int | None
    conservative: int | None
    current: list[FigureOut]
    superseded: list[FigureOut]
    history: list[StepOut]


class Revision(BaseModel):
    at: str
    cause: str
    kind: str
    low: int | None
    best: int | None
    high: int | None
    conservative: int | None


class Decision(BaseModel):
    at: str
    action: str
    report: str
    score: float | None
    reasons: Any


class Incident(BaseModel):
    """One attack, with every report of it."""

    id: str
    event_type: str
    sub_type: str
    outcome: str
    date: DateOut
    place: Place
    perpetrators: list[ActorOut]
    targets: list[ActorOut]
    sources: list[Source]
    casualties: list[TollOut]
    fatalities: int | None = Field(description="The most conservative killed figure (ACLED).")
    killed: TollOut | None = None
    injured: TollOut | None = None
    revisions: list[Revision] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    created_at: str
    updated_at: str


def _spans(event: AttackEvent) -> list[Span]:
    spans: list[Span] = []

    def add(name: str, ev: Any) -> None:
        if ev is not None:
            spans.append(Span(field=name, quote=ev.quote, start=ev.start, end=ev.end))

    add("event", event.evidence)
    add("date", event.date.evidence)
    add("location", event.location.evidence)
    for a in event.perpetrators:
        add("perpetrator", a.evidence)
    for a in event.targets:
        add("target", a.evidence)
    for c in event.casualties:
        add(f"casualties.{c.kind.value}", c.evidence)
    return spans


def _actors(lists: list[list[Actor]]) -> list[ActorOut]:
    """Actors by how many sources name them, then in the order they were first named."""
    counts: Counter[str] = Counter()
    category: dict[str, str | None] = {}
    for actors in lists:
        names = list(dict.fromkeys(a.canonical or a.name for a in actors))
        counts.update(names)
        for a in actors:
            name = a.canonical or a.name
            if category.get(name) is None:
                category[name] = a.category.value if a.category else None
    order = {name: i for i, name in enumerate(category)}
    ranked = sorted(counts, key=lambda n: (-counts[n], order[n]))
    return [ActorOut(name=n, category=category.get(n), sources=counts[n]) for n in ranked]


_LEVEL = {"place": 3, "admin2": 2, "admin1": 1, "country": 0}


def _place(events: list[AttackEvent]) -> Place:
    def depth(loc: Location) -> int:
        return max((_LEVEL[k] for k in _LEVEL if getattr(loc, k)), default=-1)

    best = max((e.location for e in events), key=depth, default=Location())
    out = Place(
        place=best.place,
        admin2=best.admin2,
        admin1=best.admin1,
        country=best.country,
        precision=best.precision.value if depth(best) >= 0 else None,
    )
    for e in events:  # fill the levels above from the others (the same place, by the rules)
        for level in ("admin2", "admin1", "country"):
            if getattr(out, level) is None and getattr(e.location, level):
                setattr(out, level, getattr(e.location, level))
        lat, lon = coordinates(e.location)
        if out.latitude is None and lat is not None:
            out.latitude, out.longitude = lat, lon
    return out


def _date(events: list[AttackEvent]) -> DateOut:
    dated = [e.date for e in events if e.date.value is not None]
    phrases = sorted({e.date.phrase for e in events if e.date.phrase})
    if not dated:
        return DateOut(phrases=phrases)
    width = {"day": 0, "week": 1, "month": 2, "year": 3}
    narrowest = min(width[d.precision.value] for d in dated)
    values = Counter(d.value for d in dated if width[d.precision.value] == narrowest)
    value = min(values, key=lambda v: (-values[v], v))
    precision = next(d.precision.value for d in dated if width[d.precision.value] == narrowest)
    return DateOut(value=value, precision=precision, phrases=phrases)


def _toll(t: Toll) -> TollOut:
    def fig(f: Any) -> FigureOut:
        return FigureOut(
            source=f.source,
            low=f.low,
            best=f.best,
            high=f.high,
            qualifier=f.qualifier,
            quote=f.quote,
            reported_by=f.reported_by,
            revision=f.revision,
        )

    return TollOut(
        kind=t.kind,
        group=t.group,
        low=t.low,
        best=t.best,
        high=t.high,
        conservative=t.conservative,
        current=[fig(f) for f in t.current],
        superseded=[fig(f) for f in t.superseded],
        history=[
            StepOut(after=s.after, low=s.low, best=s.best, high=s.high, replaced=list(s.replaced))
            for s in t.history
        ],
    )


def _most_common(values: list[str]) -> str:
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], values.index(v)))


def build_incident(
    con: sqlite3.Connection, incident_id: str, *, decisions: bool = True
) -> Incident:
    rows = con.execute(
        "SELECT r.event_json, r.run_key, r.article_id, r.event_id, a.outlet, a.published, "
        "a.source, u.producer FROM reports r "
        "JOIN articles a ON a.run_key = r.run_key AND a.article_id = r.article_id "
        "LEFT JOIN runs u ON u.run_key = r.run_key WHERE r.incident_id = ? ORDER BY a.seq, r.id",
        (incident_id,),
    ).fetchall()
    events = [AttackEvent.model_validate_json(row[0]) for row in rows]
    sources = [
        Source(
            run_key=row[1],
            article_id=row[2],
            event_id=row[3],
            outlet=row[4],
            published=dt.date.fromisoformat(row[5]) if row[5] else None,
            source=row[6],
            producer=row[7],
            evidence=_spans(event),
        )
        for row, event in zip(rows, events, strict=True)
    ]
    tolls = reconcile(figures_of(con, incident_id))
    killed, injured = total(tolls, "killed"), total(tolls, "injured")
    meta = con.execute(
        "SELECT created_at, updated_at FROM incidents WHERE id = ?", (incident_id,)
    ).fetchone()
    revisions = [
        Revision(at=r[0], cause=r[1], kind=r[2], low=r[3], best=r[4], high=r[5], conservative=r[6])
        for r in con.execute(
            "SELECT at, cause, kind, low, best, high, conservative FROM revisions "
            "WHERE incident_id = ? ORDER BY id",
            (incident_id,),
        )
    ]
    made = []
    if decisions:
        made = [
            Decision(
                at=r[0],
                action=r[1],
                report=f"{r[2]}:{r[3]}/{r[4]}",
                score=r[5],
                reasons=json.loads(r[6]),
            )
            for r in con.execute(
                "SELECT at, action, run_key, article_id, event_id, score, reasons FROM decisions "
                "WHERE incident_id = ? ORDER BY id",
                (incident_id,),
            )
        ]
    return Incident(
        id=incident_id,
        event_type=_most_common([e.sub_type.event_type.value for e in events]),
        sub_type=_most_common([e.sub_type.value for e in events]),
        outcome=_most_common([e.outcome.value for e in events]),
        date=_date(events),
        place=_place(events),
        perpetrators=_actors([e.perpetrators for e in events]),
        targets=_actors([e.targets for e in events]),
        sources=sources,
        casualties=[_toll(t) for t in tolls],
        fatalities=killed.conservative if killed else None,
        killed=_toll(killed) if killed else None,
        injured=_toll(injured) if injured else None,
        revisions=revisions,
        decisions=made,
        created_at=meta[0],
        updated_at=meta[1],
    )
