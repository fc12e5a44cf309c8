"""Reports: one event of one article of one run, with what merging compares.

A :class:`Report` is built from an :class:`~schemas.event.AttackEvent` of a result record. Names
are reduced to keys through the gazetteer (``gazetteer``), so "the Revolutionary Guards" and
"IRGC" agree, and a place the gazetteer knows fills in its governorate and country. A date becomes
a window of days (``date_start``..``date_end``, proleptic ordinals) as wide as its precision allows.

>>> from schemas.event import AttackEvent, EventDate, Location
>>> import datetime as dt
>>> e = AttackEvent(id="E1", sub_type="air_drone_strike",
...     date=EventDate(value=dt.date(2022, 9, 28), precision="month"),
...     location=Location(place="Koysinjaq"))
>>> r = report_from_event(e, run_key="r1", article_id="a1")
>>> dt.date.fromordinal(r.date_start), dt.date.fromordinal(r.date_end)
(datetime.date(2022, 9, 1), datetime.date(2022, 9, 30))
>>> r.place, r.admin2, r.admin1, r.country
(None, 'koya', 'erbil', 'iraq')
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from gazetteer import PlaceKind, actor_lineage, canonical_place, normalise_name
from schemas.event import Actor, AttackEvent, Location
from schemas.vocab import DatePrecision

SEP = "\x1f"
"""Separates the keys of a set when it is stored in one column."""


@dataclass(frozen=True, slots=True)
class Report:
    run_key: str
    article_id: str
    event_id: str
    event_type: str
    sub_type: str
    standing: str
    date_start: int | None
    date_end: int | None
    date_precision: str
    date_phrase: str | None
    country: str | None
    admin1: str | None
    admin2: str | None
    place: str | None
    latitude: float | None
    longitude: float | None
    perpetrators: frozenset[str]
    targets: frozenset[str]
    target_names: frozenset[str] = frozenset()
    """The targets' names as written, folded (case, diacritics), for word overlap."""

    @property
    def dated(self) -> bool:
        return self.date_start is not None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.run_key, self.article_id, self.event_id)


def date_window(value: dt.date | None, precision: DatePrecision) -> tuple[int | None, int | None]:
    """The first and last day (ordinals) a date of this precision can mean.

    >>> a, b = date_window(dt.date(2024, 2, 10), DatePrecision.WEEK)
    >>> dt.date.fromordinal(a), dt.date.fromordinal(b)
    (datetime.date(2024, 2, 7), datetime.date(2024, 2, 13))
    """
    if value is None or precision is DatePrecision.UNRESOLVED:
        return None, None
    if precision is DatePrecision.DAY:
        return value.toordinal(), value.toordinal()
    if precision is DatePrecision.WEEK:
        return value.toordinal() - 3, value.toordinal() + 3
    if precision is DatePrecision.MONTH:
        last = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=1).toordinal(), value.replace(day=last).toordinal()
    return dt.date(value.year, 1, 1).toordinal(), dt.date(value.year, 12, 31).toordinal()


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A name folded for comparison: case, diacritics, quotes, hyphens and spaces."""
    return normalise_name(name).replace(" ", "")


@lru_cache(maxsize=65536)
def actor_keys(name: str) -> frozenset[str]:
    """The actor and the bodies it is part of, as keys ("IRGC" also stands for "Iran")."""
    lineage = actor_lineage(name)
    if not lineage:
        return frozenset({name_key(name)})
    return frozenset(name_key(entry.canonical) for entry in lineage)


def _actors(actors: list[Actor]) -> frozenset[str]:
    keys: set[str] = set()
    for actor in actors:
        keys |= actor_keys(actor.canonical or actor.name)
    return frozenset(keys)


@lru_cache(maxsize=65536)
def _place_entry(name: str, country: str | None) -> tuple[str, int, str | None, str | None]:
    entry = canonical_place(name, country=country)
    if entry is None:
        return name_key(name), 4, None, None
    return name_key(entry.canonical), entry.kind.rank, entry.admin1, entry.country


@lru_cache(maxsize=65536)
def _admin1_key(name: str, country: str | None) -> str:
    entry = canonical_place(name, country=country)
    if entry is None:
        return name_key(name)
    return name_key(entry.admin1 or entry.canonical)


def place_keys(loc: Location) -> tuple[str | None, str | None, str | None, str | None]:
    """(country, admin1, admin2, place) keys; a place the gazetteer knows fills in the levels
    above it, a district named as the place counts as the admin2, and a city named like its
    governorate (Kirkuk in Kirkuk) counts as the governorate.

    >>> place_keys(Location(place="Kirkuk"))
    ('iraq', 'kirkuk', None, None)
    >>> place_keys(Location(place="Rahimawa", admin1="Kirkuk"))
    ('iraq', 'kirkuk', None, 'rahimawa')
    """
    country = name_key(loc.country) if loc.country else None
    admin1 = _admin1_key(loc.admin1, loc.country) if loc.admin1 else None
    admin2 = name_key(_place_entry(loc.admin2, loc.country)[0]) if loc.admin2 else None
    place = None
    if loc.place:
        key, rank, p_admin1, p_country = _place_entry(loc.place, loc.country)
        if rank <= PlaceKind.GOVERNORATE.rank:
            admin1 = admin1 or _admin1_key(loc.place, loc.country)
        elif rank == PlaceKind.DISTRICT.rank and admin2 is None:
            admin2 = key
        else:
            place = key
        if admin1 is None and p_admin1:
            admin1 = _admin1_key(p_admin1, p_country)
        if country is None and p_country:
            country = name_key(p_country)
    if admin2 is not None and (admin1 is None or country is None):
        _, _, d_admin1, d_country = _place_entry(loc.admin2 or "", loc.country)
        if admin1 is None and d_admin1:
            admin1 = _admin1_key(d_admin1, d_country)
        if country is None and d_country:
            country = name_key(d_country)
    if admin1 is not None and country is None and loc.admin1:
        a_country = _place_entry(loc.admin1, None)[3]
        country = name_key(a_country) if a_country else None
    if place is not None and place in (admin1, admin2):
        place = None  # the city a governorate or district is named after: reports name it for
        # anything in or near the city, so it places no more precisely than the governorate
    return country, admin1, admin2, place


def coordinates(loc: Location) -> tuple[float | None, float | None]:
    """The place's latitude and longitude, when the location carries them (``latitude`` and
    ``longitude`` fields, or a ``coordinates`` object with them); never guessed."""
    lat, lon = getattr(loc, "latitude", None), getattr(loc, "longitude", None)
    coords = getattr(loc, "coordinates", None)
    if coords is not None and lat is None:
        lat, lon = getattr(coords, "latitude", None), getattr(coords, "longitude", None)
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return float(lat), float(lon)
    return None, None


def report_from_event(event: AttackEvent, *, run_key: str, article_id: str) -> Report:
    start, end = date_window(event.date.value, event.date.precision)
    country, admin1, admin2, place = place_keys(event.location)
    lat, lon = coordinates(event.location)
    return Report(
        run_key=run_key,
        article_id=article_id,
        event_id=event.id,
        event_type=event.sub_type.event_type.value,
        sub_type=event.sub_type.value,
        standing=event.standing.value,
        date_start=start,
        date_end=end,
        date_precision=event.date.precision.value,
        date_phrase=event.date.phrase.strip().lower() if event.date.phrase else None,
        country=country,
        admin1=admin1,
        admin2=admin2,
        place=place,
        latitude=lat,
        longitude=lon,
        perpetrators=_actors(event.perpetrators),
        targets=_actors(event.targets),
        target_names=frozenset(
            normalise_name(a.canonical or a.name) for a in event.targets if a.canonical or a.name
        ),
    )
