"""MUC-4 answer-key templates as sitrep events, so that merging can be scored on MUC-4 ``dev``
(many messages report the same incident). The corpus is not in the repository: pass the folder.

The conversion is approximate and only for scoring the merge: "- 08 JAN 90" (on or before, the
start open) stays unresolved and a range becomes a week or a month; ATTACK, ARSON and ROBBERY
become ACLED attacks, BOMBING a remote explosive, KIDNAPPING an abduction; deaths are counted
from the human targets whose effect is DEATH (a named person counts 1, a plural group gives an
unnumbered figure). The example key below is invented.

>>> t = parse_templates('''0.  MESSAGE: ID                     DEV-MUC3-0099 (SYNTHETIC)
... 1.  MESSAGE: TEMPLATE               2
... 2.  INCIDENT: DATE                  - 19 APR 89
... 3.  INCIDENT: LOCATION              VALDORIA: SAN TELMO (TOWN)
... 4.  INCIDENT: TYPE                  BOMBING
... 10. PERP: ORGANIZATION ID           "RED DAWN FRONT"
... 18. HUM TGT: NAME                   "JOHN DOE"
... 21. HUM TGT: NUMBER                 1: "JOHN DOE"
... 23. HUM TGT: EFFECT OF INCIDENT     DEATH: "JOHN DOE"
... ''')
>>> ref, event = to_event(t[0])
>>> ref, event.sub_type.value, event.location.place, event.casualties[0].best
('DEV-MUC3-0099/E2', 'remote_explosive_landmine_ied', 'SAN TELMO', 1)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from schemas.event import Actor, AttackEvent, CasualtyFigure, EventDate, Location
from schemas.vocab import CasualtyKind, DatePrecision, Outcome, Qualifier, Standing, SubType

Template = dict[str, list[str]]

_SLOT = re.compile(r"^\s*\d+\.\s+([A-Z ]+?:\s?[A-Z ]+?)\s{2,}(.*)$")
_TYPES = {
    "ATTACK": SubType.ATTACK_ON_CIVILIANS,
    "ARSON": SubType.ATTACK_ON_CIVILIANS,
    "ROBBERY": SubType.ATTACK_ON_CIVILIANS,
    "BOMBING": SubType.REMOTE_EXPLOSIVE,
    "KIDNAPPING": SubType.ABDUCTION,
}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}
_DATE = re.compile(r"(\d{1,2}) ([A-Z]{3}) (\d{2})")
_QUOTED = re.compile(r'"([^"]+)"')


def parse_templates(text: str) -> list[Template]:
    """The templates of a key file, slot name -> value lines (continuations included)."""
    templates: list[Template] = []
    current: Template | None = None
    slot: str | None = None
    for line in text.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        m = _SLOT.match(line)
        if m:
            slot = " ".join(m.group(1).split())
            if slot == "MESSAGE: ID":
                current = {}
                templates.append(current)
            if current is not None:
                current.setdefault(slot, []).append(m.group(2).strip())
        elif current is not None and slot is not None:
            current[slot].append(line.strip())
    return templates


def iter_key_templates(folder: Path, first: int, last: int) -> Iterator[Template]:
    """The filled templates of messages ``first``..``last`` of MUC-4 dev (``key-dev-*.muc4``)."""
    for path in sorted(folder.glob("key-dev-*.muc4")):
        for t in parse_templates(path.read_text(encoding="latin-1")):
            number = int(t["MESSAGE: ID"][0].split()[0].rsplit("-", 1)[1])
            if first <= number <= last and t.get("MESSAGE: TEMPLATE", ["*"])[0] != "*":
                yield t


def _date(values: list[str]) -> EventDate:
    text = values[0] if values else "-"
    found = [
        dt.date(1900 + int(y) if int(y) > 50 else 2000 + int(y), _MONTHS[m], int(d))
        for d, m, y in _DATE.findall(text)
        if m in _MONTHS
    ]
    if not found:
        return EventDate()
    if text.lstrip().startswith("-"):  # on or before: the start is open
        return EventDate(phrase=f"on or before {found[0].isoformat()}")
    if len(found) == 1:
        return EventDate(value=found[0], precision=DatePrecision.DAY)
    end = found[-1]
    span = (end - found[0]).days
    precision = DatePrecision.WEEK if span <= 7 else DatePrecision.MONTH
    return EventDate(value=end, precision=precision)


def _location(values: list[str]) -> Location:
    text = (values[0] if values else "").split(" / ")[0]
    parts = [p.strip() for p in text.split(":") if p.strip() and p.strip() not in "*-"]
    if not parts:
        return Location()
    loc = Location(country=parts[0].title() if parts[0].isupper() else parts[0])
    admin1 = place = None
    for part in parts[1:]:
        name = re.sub(r"\s*\([A-Z ]+\)\s*$", "", part.split(" - ")[0]).strip()
        if "(DEPARTMENT)" in part or "(PROVINCE)" in part:
            admin1 = name
        else:
            place = name
    return Location(country=loc.country, admin1=admin1, place=place)


def _names(values: list[str]) -> list[str]:
    out: list[str] = []
    for line in values:
        first = line.split(" / ")[0]
        out += [q for q in _QUOTED.findall(first)[:1] if q not in out]
    return out


def _deaths(t: Template) -> CasualtyFigure | None:
    effects = t.get("HUM TGT: EFFECT OF INCIDENT", [])
    dead = {q for line in effects if line.startswith("DEATH") for q in _QUOTED.findall(line)}
    if not dead:
        return None
    numbers: dict[str, str] = {}
    for line in t.get("HUM TGT: NUMBER", []):
        m = re.match(r'^(\S+): "([^"]+)"', line.lstrip("? "))
        if m:
            numbers[m.group(2)] = m.group(1)
    total, unnumbered = 0, False
    for name in dead:
        n = numbers.get(name, "1")
        if n.isdigit():
            total += int(n)
        elif "-" in n and n.replace("-", "").isdigit():
            total += int(n.split("-")[0])
        else:
            unnumbered = True
    if unnumbered and total == 0:
        return CasualtyFigure(kind=CasualtyKind.KILLED, qualifier=Qualifier.UNKNOWN)
    q = Qualifier.AT_LEAST if unnumbered else Qualifier.EXACT
    return CasualtyFigure(
        kind=CasualtyKind.KILLED,
        low=total,
        best=total,
        high=None if unnumbered else total,
        qualifier=q,
    )


def to_event(t: Template) -> tuple[str, AttackEvent]:
    """(``MESSAGE/E<template>``, the event) for one filled template."""
    message = t["MESSAGE: ID"][0].split()[0]
    number = t["MESSAGE: TEMPLATE"][0].split()[0]
    kind = (t.get("INCIDENT: TYPE") or ["ATTACK"])[0].strip()
    stage = (t.get("INCIDENT: STAGE OF EXECUTION") or ["ACCOMPLISHED"])[0]
    figure = _deaths(t)
    targets = _names(t.get("HUM TGT: NAME", [])) or _names(t.get("HUM TGT: DESCRIPTION", []))
    targets += _names(t.get("PHYS TGT: ID", []))
    event = AttackEvent(
        id=f"E{number}",
        sub_type=_TYPES.get(kind, SubType.ATTACK_ON_CIVILIANS),
        outcome=Outcome.ATTEMPTED if stage.startswith("ATTEMPTED") else Outcome.COMPLETED,
        standing=Standing.THREATENED if stage.startswith("THREAT") else Standing.REPORTED,
        date=_date(t.get("INCIDENT: DATE", [])),
        location=_location(t.get("INCIDENT: LOCATION", [])),
        perpetrators=[Actor(name=n) for n in _names(t.get("PERP: ORGANIZATION ID", []))],
        targets=[Actor(name=n) for n in targets],
        casualties=[figure] if figure else [],
    )
    return f"{message}/{event.id}", event
