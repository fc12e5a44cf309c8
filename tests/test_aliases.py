"""The curated alias tables (gazetteer/data) and their lookups (the gazetteer package)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gazetteer import (
    ActorKind,
    Gazetteer,
    GazetteerError,
    PlaceKind,
    actor_aliases,
    actor_entries,
    actor_for_demonym,
    actor_lineage,
    actor_part_of,
    canonical_actor,
    canonical_place,
    gazetteer,
    normalise_name,
    place_aliases,
    place_entries,
    place_within,
    same_actor,
    same_place,
    state_actor,
)
from schemas.vocab import ActorCategory

GOVERNORATES = [
    "Erbil", "Sulaymaniyah", "Duhok", "Halabja", "Kirkuk", "Nineveh", "Baghdad", "Basra", "Anbar",
    "Diyala", "Salahuddin", "Babil", "Karbala", "Najaf", "Wasit", "Qadisiyah", "Maysan", "Dhi Qar",
    "Muthanna",
]  # fmt: skip


def test_koysinjaq_is_koya_district_in_erbil_governorate() -> None:
    for spelling in ("Koysinjaq", "Koysanjak", "Koysinjak", "Koya", "Koysanjak district", "Koye"):
        p = canonical_place(spelling)
        assert p is not None, spelling
        assert (p.canonical, p.kind, p.admin2, p.admin1, p.country) == (
            "Koya",
            PlaceKind.DISTRICT,
            "Koya",
            "Erbil",
            "Iraq",
        )
    assert place_within("Koysinjaq", "Erbil Governorate")
    assert place_within("Koysinjaq", "Kurdistan Region")


def test_kataib_hezbollah_spellings_are_one_actor() -> None:
    assert same_actor("Kataib Hizbollah", "Kata'ib Hezbollah")
    assert same_actor("Kata’ib Hezbollah", "Iraqi Hezbollah")
    entry = canonical_actor("Kataib Hizbollah")
    assert entry is not None
    assert (entry.canonical, entry.category) == (
        "Kata'ib Hezbollah",
        ActorCategory.POLITICAL_MILITIA,
    )
    assert not same_actor("Kata'ib Hezbollah", "Hezbollah")  # Lebanon's is another actor


@pytest.mark.parametrize("name", GOVERNORATES)
def test_every_governorate_of_iraq_plus_halabja(name: str) -> None:
    for form in (f"{name} Governorate", f"{name} province"):
        p = canonical_place(form)
        assert p is not None, form
        assert (p.kind, p.admin1, p.country) == (PlaceKind.GOVERNORATE, name, "Iraq")


def test_governorate_count_is_nineteen() -> None:
    governorates = [p for p in place_entries() if p.kind is PlaceKind.GOVERNORATE]
    assert sorted(p.admin1 or "" for p in governorates) == sorted(GOVERNORATES)


def test_bare_capital_is_the_city_and_province_form_the_governorate() -> None:
    for spelling in ("Erbil", "Irbil", "Arbil", "Hewler"):
        city = canonical_place(spelling)
        assert city is not None and (city.canonical, city.kind) == ("Erbil", PlaceKind.CITY)
    for spelling in ("Sulaimani", "Slemani", "Suleimaniyah", "Sulaymaniyah"):
        city = canonical_place(spelling)
        assert city is not None and city.canonical == "Sulaymaniyah"
    assert canonical_place("Irbil province").canonical == "Erbil Governorate"  # type: ignore[union-attr]
    assert canonical_place("Ninawa").canonical == "Nineveh Governorate"  # type: ignore[union-attr]
    assert canonical_place("Salah al-Din").admin1 == "Salahuddin"  # type: ignore[union-attr]
    assert not same_place("Erbil", "Erbil Governorate")
    assert place_within("Erbil", "Erbil Governorate")


def test_places_cover_far_more_than_the_seeds() -> None:
    iraq = [p for p in place_entries() if p.country == "Iraq"]
    assert len(iraq) >= 150
    for name, admin1 in [
        ("Zrgwez", "Sulaymaniyah"), ("Degala", "Erbil"), ("Sidakan", "Erbil"),
        ("Ranya", "Sulaymaniyah"), ("Penjwen", "Sulaymaniyah"), ("Qaladze", "Sulaymaniyah"),
        ("Chamchamal", "Sulaymaniyah"), ("Makhmour", "Erbil"), ("Sinjar", "Nineveh"),
        ("Tal Afar", "Nineveh"), ("Fallujah", "Anbar"),
        ("Jurf al-Sakhar", "Babil"), ("Amirli", "Salahuddin"), ("Tuz Khurmatu", "Salahuddin"),
        ("Ain al-Asad", "Anbar"), ("Al-Qaim", "Anbar"), ("Bashiqa", "Nineveh"), ("Harir", "Erbil"),
        ("Erbil airport", "Erbil"), ("Baquba", "Diyala"), ("Nasiriyah", "Dhi Qar"),
    ]:  # fmt: skip
        p = canonical_place(name)
        assert p is not None and p.admin1 == admin1, name
    for city in (
        "Sanandaj",
        "Piranshahr",
        "Mahabad",
        "Saqqez",
        "Tehran",
        "Isfahan",
        "Arak",
        "Lordegan",
    ):
        p = canonical_place(city)
        assert p is not None and p.country == "Iran", city


def test_green_zone_lies_in_baghdad_and_regions_contain_their_governorates() -> None:
    zone = canonical_place("green zone")
    assert zone is not None and (zone.kind, zone.admin1) == (PlaceKind.SITE, "Baghdad")
    assert place_within("Green Zone", "Baghdad")
    assert place_within("Green Zone", "Baghdad Governorate")
    assert place_within("Halabja", "Kurdistan Region")
    assert not place_within("Kirkuk", "Kurdistan Region")
    assert place_within("Kirkuk", "northern Iraq")
    assert place_within("Kurdistan Region", "Northern Iraq")
    assert place_within("Sanandaj", "Kurdistan Province")
    assert not place_within("Sanandaj", "Kurdistan Region")  # Iran's Kurdistan is not Iraq's
    region = canonical_place("Iraqi Kurdistan")
    assert region is not None and (region.canonical, region.kind, region.country) == (
        "Kurdistan Region",
        PlaceKind.REGION,
        "Iraq",
    )
    assert canonical_place("KRI") == region


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [
        ("Islamic Revolutionary Guards Corps", "IRGC"),
        ("the Revolutionary Guards", "IRGC"),
        ("Sepah", "IRGC"),
        ("Pasdaran", "IRGC"),
        ("Qods Force", "IRGC Quds Force"),
        ("Artesh", "Iranian Army"),
        ("KDPI", "PDKI"),
        ("KDP-I", "PDKI"),
        ("Democratic Party of Iranian Kurdistan", "PDKI"),
        ("Kurdistan Democratic Party of Iran", "PDKI"),
        ("Komalah", "Komala"),
        ("Komala Party of Iranian Kurdistan", "Komala"),
        ("Parti Azadi Kurdistan", "PAK"),
        ("Kurdistan Freedom Party", "PAK"),
        ("PJAK", "PJAK"),
        ("People’s Mojahedin Organization of Iran", "MEK"),
        ("Mujahedin-e Khalq", "MEK"),
        ("PMOI", "MEK"),
        ("Asaib al-Haq", "Asa'ib Ahl al-Haq"),
        ("Asaeb", "Asa'ib Ahl al-Haq"),
        ("Badr Corps", "Badr Organization"),
        ("Harakat al-Nujaba", "Harakat Hezbollah al-Nujaba"),
        ("Kataib Sayyid al-Shuhada", "Kata'ib Sayyid al-Shuhada"),
        ("Hashd al-Shaabi", "PMF"),
        ("Popular Mobilisation Units", "PMF"),
        ("Daesh", "Islamic State"),
        ("ISIL", "Islamic State"),
        ("United Nations Assistance Mission for Iraq", "UNAMI"),
        ("U.S. State Department", "US State Department"),
        ("Counter Terrorism Service", "Counter-Terrorism Service"),
        ("Health Ministry in the Kurdistan Region", "Kurdistan Region Health Ministry"),
        ("Oslo-based Iran Human Rights organization", "Iran Human Rights"),
        ("Tasnim", "Tasnim News Agency"),
    ],
)
def test_actor_aliases_resolve(surface: str, canonical: str) -> None:
    entry = canonical_actor(surface)
    assert entry is not None, surface
    assert entry.canonical == canonical


def test_pdki_is_not_the_kdp_and_ncri_is_not_the_mek() -> None:
    assert not same_actor("KDP", "KDPI")
    assert canonical_actor("Kurdistan Democratic Party").canonical == "KDP"  # type: ignore[union-attr]
    assert not same_actor("NCRI", "MEK")


def test_categories_kinds_and_lineage() -> None:
    def entry(name: str):  # type: ignore[no-untyped-def]
        e = canonical_actor(name)
        assert e is not None, name
        return e

    assert entry("IRGC").category is ActorCategory.STATE_FORCES
    assert entry("Islamic State").category is ActorCategory.REBEL_GROUP
    assert entry("UNAMI").category is ActorCategory.INTERNATIONAL_ORGANISATION
    assert entry("Rudaw").category is ActorCategory.MEDIA
    assert entry("protesters").category is ActorCategory.PROTESTERS and entry("protesters").generic
    assert entry("civilians").category is ActorCategory.CIVILIANS
    assert entry("security forces").kind is ActorKind.ARMED_FORCES
    assert [e.canonical for e in actor_lineage("Quds Force")][:2] == ["IRGC Quds Force", "IRGC"]
    assert actor_part_of("Quds Force", "Sepah")
    assert not actor_part_of("Sepah", "Quds Force")
    assert state_actor("Iraq").canonical == "Iraq"  # type: ignore[union-attr]
    assert actor_for_demonym("Turkish").canonical == "Turkey"  # type: ignore[union-attr]
    # a state's forces named by no unit are the state (labelling guidelines §7.1, §11)
    assert same_actor("Iran's military", "Iran") and same_actor("Israeli forces", "Israel")
    assert not same_actor("IDF", "Israel") and not same_actor("IRGC", "Iran")
    assert same_actor("the Iraqi government", "Baghdad")


def test_shared_alias_needs_a_country() -> None:
    assert canonical_actor("National Security Council") is None
    iraq = canonical_actor("National Security Council", country="Iraq")
    us = canonical_actor("National Security Council", country="United States")
    assert iraq is not None and iraq.canonical == "Iraqi National Security Council"
    assert us is not None and us.canonical == "White House"


def test_normalisation_folds_typography() -> None:
    assert normalise_name("The “Kata’ib” Ḥezbollah") == "kataib hezbollah"
    assert normalise_name("KDP‑I") == normalise_name("KDP I") == "kdp i"
    assert normalise_name("Iran’s") == "iran"
    assert same_actor("Asa’ib Ahl al‑Haq", "ASAIB AHL AL HAQ")
    assert same_place("Tuz Khurmatu", "Tuz-Khurmatu")
    assert same_place("Sulaymaniya", "Sulaymaniyah")  # a dropped final h
    assert same_actor("Unknown Group Alpha", "unknown group-alpha")  # unknown names: by key
    assert not same_actor("Unknown Group Alpha", "IRGC")


def test_alias_sets_include_canonical_and_derived_forms() -> None:
    forms = actor_aliases("IRGC")
    assert {"IRGC", "Islamic Revolutionary Guard Corps", "Sepah"} <= forms
    assert actor_aliases("Sepah") == forms
    assert {"Koya", "Koysinjaq", "Koysinjaq district", "district of Koya"} <= place_aliases("Koya")
    assert actor_aliases("no such actor") == set()


def test_tables_load_once_from_the_package() -> None:
    assert gazetteer() is gazetteer()
    assert len(actor_entries()) >= 120
    assert all(e.canonical in e.forms for e in actor_entries())


def _write(tmp: Path, actors: dict[str, object], places: dict[str, object]) -> tuple[Path, Path]:
    a, p = tmp / "actors.json", tmp / "places.json"
    a.write_text(json.dumps(actors), encoding="utf-8")
    p.write_text(json.dumps(places), encoding="utf-8")
    return a, p


PLACES_OK: dict[str, object] = {
    "format": "sitrep-gazetteer-places/1",
    "entries": [{"canonical": "Koya", "kind": "district", "names": ["Koya"], "country": "Iraq"}],
}


def test_custom_tables_and_their_errors(tmp_path: Path) -> None:
    actor = {
        "canonical": "PDKI",
        "kind": "party",
        "category": "political_party",
        "aliases": ["KDPI"],
    }
    a, p = _write(tmp_path, {"format": "sitrep-gazetteer-actors/1", "entries": [actor]}, PLACES_OK)
    g = Gazetteer.from_files(a, p)
    assert g.actor("kdpi").canonical == "PDKI"  # type: ignore[union-attr]
    assert g.place("Koya district").canonical == "Koya"  # type: ignore[union-attr]

    clash = {**actor, "canonical": "Other"}
    a, p = _write(
        tmp_path, {"format": "sitrep-gazetteer-actors/1", "entries": [actor, clash]}, PLACES_OK
    )
    with pytest.raises(
        GazetteerError, match=r"actor alias 'kdpi' is given for \['Other', 'PDKI'\]"
    ):
        Gazetteer.from_files(a, p)

    bad = {**actor, "category": "terrorists"}
    a, p = _write(tmp_path, {"format": "sitrep-gazetteer-actors/1", "entries": [bad]}, PLACES_OK)
    with pytest.raises(
        GazetteerError, match=r"actors.json: entries\[0\] \('PDKI'\): field 'category'"
    ):
        Gazetteer.from_files(a, p)

    orphan = {**actor, "parent": "Nobody"}
    a, p = _write(tmp_path, {"format": "sitrep-gazetteer-actors/1", "entries": [orphan]}, PLACES_OK)
    with pytest.raises(GazetteerError, match="unknown parent 'Nobody'"):
        Gazetteer.from_files(a, p)

    a.write_text("{not json", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"actors.json:1: not valid JSON"):
        Gazetteer.from_files(a, p)
