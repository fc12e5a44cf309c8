"""MUC-4 templates as sitrep attack events (the table is ``muc4_mapping.json``).

One template is one event. Its incident type gives the sub-type (types sitrep has no equivalent
for, such as ARSON and ROBBERY, give no event), its stage of execution the outcome and standing,
its date and location the event's, its perpetrator and target fillers the actors, its instrument
types the weapons, and the effect on each human target, with that target's number, the killed
and injured figures. Alternatives a key gives (``ACCOMPLISHED / ATTEMPTED``, a second location)
become ``acceptable`` gold variants.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from evals.datasets.muc_keys import Template
from schemas.event import (
    Actor,
    AttackEvent,
    CasualtyFigure,
    EventDate,
    Location,
    Weapon,
    WeaponKind,
)
from schemas.vocab import CasualtyKind, DatePrecision, Outcome, Qualifier, Standing, SubType

SLOT_DATE, SLOT_LOCATION, SLOT_TYPE, SLOT_STAGE = 2, 3, 4, 5
SLOT_INSTRUMENT_TYPE, SLOT_PERP_IND, SLOT_PERP_ORG = 7, 9, 10
SLOT_PHYS_ID, SLOT_PHYS_TYPE = 12, 13
SLOT_HUM_NAME, SLOT_HUM_DESC, SLOT_HUM_TYPE, SLOT_HUM_NUMBER, SLOT_HUM_EFFECT = 18, 19, 20, 21, 23

_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DATE = re.compile(r"(\d{1,2}) ([A-Z]{3}) (\d{2})")
_LEVEL = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


@cache
def mapping() -> dict[str, Any]:
    """The MUC-4 to sitrep table (``evals/datasets/muc4_mapping.json``)."""
    text = (resources.files("evals.datasets") / "muc4_mapping.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@dataclass(frozen=True)
class MappedEvent:
    event: AttackEvent
    acceptable: dict[str, list[Any]]


def _title(name: str) -> str:
    """Place names from the upper-case keys, title-cased for reports (compared case-blind).

    >>> _title('"SANTO TOMAS" PRESIDENTIAL FARM')
    '"Santo Tomas" Presidential Farm'
    """
    return " ".join(name.title().split())


def _day(d: str, m: str, y: str) -> dt.date | None:
    year = int(y) + (1900 if int(y) > 50 else 2000)
    try:
        return dt.date(year, _MONTHS.index(m) + 1, int(d)) if m in _MONTHS else None
    except ValueError:
        return None  # an impossible date in a key ("31 SEP 89")


def _date(text: str) -> tuple[EventDate, str | None]:
    """A key date: one day (day precision), a range ``D1 - D2`` (week precision at its middle
    when it spans at most 7 days, else month precision at its end), or an open range ``- D``
    (month precision at D). A date that cannot be read gives no date."""
    found = [d for d in (_day(*parts) for parts in _DATE.findall(text)) if d is not None]
    if not found:
        return EventDate(), None
    end = found[-1]
    if len(found) == 1 and not text.strip().startswith("-"):
        return EventDate(value=end, precision=DatePrecision.DAY), text
    span = (end - found[0]).days if len(found) > 1 else 31
    precision = DatePrecision.WEEK if span <= 7 else DatePrecision.MONTH
    if precision is DatePrecision.WEEK:
        end = found[0] + (end - found[0]) / 2
    return EventDate(value=end, precision=precision), text


def _split_top(text: str) -> list[str]:
    """Split ``A / B`` at slashes outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "/" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip() not in ("", "-", "*")]


def _unwrap(text: str) -> str:
    """Without a leading ``?`` and brackets around the whole: ``(EL SALVADOR: X (CITY))``."""
    body = text.strip().lstrip("?").strip()
    while body.startswith("(") and body.endswith(")") and _split_top(body[1:-1]) != []:
        inner = body[1:-1]
        depth = 0
        for ch in inner:
            depth += (ch == "(") - (ch == ")")
            if depth < 0:
                return body  # the first bracket closes before the end: not a wrapper
        body = inner.strip()
    return body


def parse_location(text: str) -> Location | None:
    """``EL SALVADOR: SAN MIGUEL (DEPARTMENT): SAN LUIS DE LA REINA (TOWN)`` -> country, admin1,
    place (names title-cased; the finest named level sets the place).

    >>> loc = parse_location("EL SALVADOR: SAN MIGUEL (DEPARTMENT): SAN LUIS DE LA REINA (TOWN)")
    >>> loc.country, loc.admin1, loc.admin2, loc.place
    ('El Salvador', 'San Miguel', None, 'San Luis De La Reina')
    """
    body = _unwrap(text)
    segments = [s.strip() for s in body.split(":") if s.strip()]
    if not segments:
        return None
    levels = mapping()["location_levels"]
    found: dict[str, str] = {"country": _title(segments[0])}
    for seg in segments[1:]:
        m = _LEVEL.match(seg)
        name, kind = (m.group(1), m.group(2).upper()) if m else (seg, "")
        level = next((lv for lv, kinds in levels.items() if kind in kinds), "place")
        found[level] = _title(name)
    return Location(**found)


def _between(part: str) -> list[str]:
    """``C: A (CITY) - B (CITY)`` (between two places) -> ``C: A (CITY)``, ``C: B (CITY)``."""
    head, _, last = part.strip().rpartition(":")
    ends = [e.strip() for e in last.split(" - ") if e.strip()]
    if len(ends) < 2:
        return [part]
    return [f"{head}: {e}" if head else e for e in ends]


def _locations(t: Template) -> list[Location]:
    """The key's locations, the first the gold's: alternatives (``/``), then each end of a
    stretch between two places (``A (CITY) - B (CITY)``)."""
    raw = " ".join(t.raw.get(SLOT_LOCATION, []))
    out = []
    for part in _split_top(raw):
        for one in _between(_unwrap(part)):
            loc = parse_location(one)
            if loc is not None and loc not in out:
                out.append(loc)
    return out


def _actors(
    mentions: list[tuple[str, ...]], field: str, acceptable: dict[str, list[Any]]
) -> list[Actor]:
    """One actor per entity, named by its first string as the key writes it (upper case; names
    are compared case-blind); its other strings are acceptable names
    (``events.E1.perpetrators.0``)."""
    out: list[Actor] = []
    for names in mentions:
        if not names:
            continue
        others = list(dict.fromkeys(names[1:]))
        if others:
            acceptable[f"{field}.{len(out)}"] = others
        out.append(Actor(name=names[0]))
    return out


def _human_targets(t: Template) -> list[tuple[str, ...]]:
    """Human targets as mention tuples: each named person (slot 18), and each description
    (slot 19) that does not describe a named person (a cross-reference ``"DESC": "NAME"``)."""
    out: list[tuple[str, ...]] = [f.strings for f in t.fillers(SLOT_HUM_NAME) if f.strings]
    for f in t.fillers(SLOT_HUM_DESC):
        if f.left_strings and f.strings:
            continue  # describes a named target already counted
        mentions = f.strings or f.left_strings
        if mentions:
            out.append(mentions)
    return out


def _number_of(t: Template, mentions: tuple[str, ...]) -> tuple[int, bool]:
    """How many people a human-target entity counts, and whether that is a lower bound (a
    ``PLURAL`` or missing number)."""
    for f in t.fillers(SLOT_HUM_NUMBER):
        if set(f.strings) & set(mentions):
            for word in f.left:
                digits = re.match(r"\d+", word)
                if digits:
                    return int(digits.group(0)), word.endswith("-") or "PLURAL" in f.left
            return 2, True
    return 1, True


def casualties(t: Template) -> list[CasualtyFigure]:
    """Killed and injured figures from each human target's effect (DEATH, INJURY) and number:
    the sum over the targets with that effect; ``at_least`` when any number is PLURAL (counted
    as 2) or missing (counted as 1)."""
    effects: dict[str, str] = mapping()["effects"]
    totals: dict[str, tuple[int, bool]] = {}
    for f in t.fillers(SLOT_HUM_EFFECT):
        kinds = {effects[w] for w in f.left if w in effects}
        if len(kinds) != 1 or not f.strings:
            continue  # no effect sitrep counts, or alternatives of two kinds
        kind = kinds.pop()
        n, open_above = _number_of(t, f.strings)
        total, was_open = totals.get(kind, (0, False))
        totals[kind] = (total + n, was_open or open_above)
    out = []
    for kind, (n, open_above) in sorted(totals.items()):
        if open_above:
            out.append(
                CasualtyFigure(kind=CasualtyKind(kind), low=n, best=n, qualifier=Qualifier.AT_LEAST)
            )
        else:
            out.append(CasualtyFigure(kind=CasualtyKind(kind), low=n, best=n, high=n))
    return out


def _weapons(t: Template) -> list[Weapon]:
    table: dict[str, str] = mapping()["weapons"]
    kinds: list[WeaponKind] = []
    for f in t.fillers(SLOT_INSTRUMENT_TYPE):
        if not f.left:
            continue
        kind = WeaponKind(table.get(f.left[0], "other"))
        if kind not in kinds:
            kinds.append(kind)
    return [Weapon(kind=k) for k in kinds]


def _sub_types(t: Template, incident: str) -> list[SubType]:
    """The sub-type and its acceptable alternatives."""
    m = mapping()
    spec = m["incident_types"][incident]
    first = SubType(spec["sub_type"])
    alternatives: list[SubType] = []
    military = set(m["military_target_types"])
    target_types = [w for f in t.fillers(SLOT_HUM_TYPE) for w in f.left]
    target_types += [w for f in t.fillers(SLOT_PHYS_TYPE) for w in f.left]
    if "military_sub_type" in spec and target_types and all(w in military for w in target_types):
        first, alternatives = SubType(spec["military_sub_type"]), [first]
    elif "military_sub_type" in spec:
        alternatives.append(SubType(spec["military_sub_type"]))
    by_instrument: dict[str, str] = m["sub_type_by_instrument"].get(incident, {})
    for f in t.fillers(SLOT_INSTRUMENT_TYPE):
        for word in f.left:
            if word in by_instrument:
                alternatives.append(SubType(by_instrument[word]))
    return [first, *dict.fromkeys(a for a in alternatives if a != first)]


def template_event(t: Template, event_id: str) -> MappedEvent | None:
    """The sitrep event of one template, or ``None`` when sitrep has no equivalent (an empty
    template, or an incident type in ``dropped_incident_types``)."""
    m = mapping()
    types = [w for w in t.words(SLOT_TYPE) if w in m["incident_types"]]
    if t.empty or not types:
        return None
    incident = types[0]
    stages = [w for w in t.words(SLOT_STAGE) if w in m["stages"]] or ["ACCOMPLISHED"]
    stage = m["stages"][stages[0]]
    sub_types = _sub_types(t, incident)
    date, phrase = _date(" ".join(t.raw.get(SLOT_DATE, [])).lstrip("?").strip())
    locations = _locations(t)
    acceptable: dict[str, list[Any]] = {}
    perpetrators = [f.strings for f in t.fillers(SLOT_PERP_IND) + t.fillers(SLOT_PERP_ORG)]
    targets = [f.strings for f in t.fillers(SLOT_PHYS_ID)] + _human_targets(t)
    prefix = f"events.{event_id}"
    event = AttackEvent(
        id=event_id,
        sub_type=sub_types[0],
        outcome=Outcome(stage["outcome"]),
        standing=Standing(stage["standing"]),
        date=date if phrase is not None else EventDate(),
        location=locations[0] if locations else Location(),
        perpetrators=_actors(perpetrators, f"{prefix}.perpetrators", acceptable),
        targets=_actors(targets, f"{prefix}.targets", acceptable),
        weapons=_weapons(t),
        casualties=casualties(t),
    )
    if sub_types[1:]:
        acceptable[f"events.{event_id}.sub_type"] = [s.value for s in sub_types[1:]]
    other_outcomes = [m["stages"][s]["outcome"] for s in stages[1:]]
    other_outcomes = [o for o in dict.fromkeys(other_outcomes) if o != event.outcome.value]
    if other_outcomes:
        acceptable[f"events.{event_id}.outcome"] = other_outcomes
    if locations[1:]:
        acceptable[f"events.{event_id}.location"] = [
            loc.model_dump(mode="json", exclude_none=True) for loc in locations[1:]
        ]
    return MappedEvent(event, acceptable)
