"""How scored values read in reports and comparisons: one line per event, statement, place,
actor, date, figure, weapon or attribution."""

from __future__ import annotations

from typing import Any

from evals.compare import count_interval, location_names
from evals.config import load_config
from evals.engine import label_of
from schemas.event import (
    Actor,
    AttackEvent,
    Attribution,
    CasualtyFigure,
    EventDate,
    Location,
    Weapon,
)
from schemas.statement import Statement


def show_plain(value: Any) -> str:
    return label_of(value)


def show_date(d: EventDate) -> str:
    if d.value is not None:
        text = f"{d.value.isoformat()} ({d.precision.value})"
        return f"{text} '{d.phrase}'" if d.phrase else text
    return f"'{d.phrase}' (unresolved)" if d.phrase else "(unresolved)"


def show_location(loc: Location) -> str:
    return " / ".join(f"{name}" for _, name in location_names(loc)) or "(none)"


def show_actor(a: Actor | str) -> str:
    if isinstance(a, str):
        return a
    extra = [x for x in (a.canonical, a.category.value if a.category else None) if x]
    return f"{a.name} ({', '.join(extra)})" if extra else a.name


def show_count(value: CasualtyFigure | Weapon) -> str:
    interval = count_interval_for_show(value)
    parts = [label_of(value.qualifier)] if value.qualifier else []
    if isinstance(value, CasualtyFigure):
        numbers = "/".join(
            "-" if v is None else str(v) for v in (value.low, value.best, value.high)
        )
        parts.append(f"low/best/high {numbers}")
    else:
        parts.append(f"count {value.count}")
    return " ".join(parts) + interval


def count_interval_for_show(value: CasualtyFigure | Weapon) -> str:
    interval = count_interval(value, load_config())
    if interval is None:
        return ""
    hi = "∞" if interval[1] == float("inf") else str(int(interval[1]))
    return f" [{interval[0]}–{hi}]"


def show_figure(f: CasualtyFigure) -> str:
    by = f" by {f.reported_by}" if f.reported_by else ""
    return f"{f.kind.value}/{f.group.value}: {show_count(f)}{by}"


def show_weapon(w: Weapon) -> str:
    count = f" ×{w.count}" if w.count is not None else ""
    return f"{w.kind.value}{count}"


def show_attribution(a: Attribution) -> str:
    by = f" by {a.by}" if a.by else ""
    return f"{a.kind.value}: {a.perpetrator or '(nobody)'}{by}"


def show_event(e: AttackEvent) -> str:
    return f"{e.id} {e.sub_type.value} @ {show_location(e.location)}, {show_date(e.date)}"


def show_statement(s: Statement) -> str:
    who = s.speaker or s.organisation or "(unnamed)"
    return f"{s.id} {s.kind.value} by {who}: '{s.text}'"
