"""Per-field comparators of the eval harness, on hand-computed cases (synthetic values)."""

from __future__ import annotations

import math

import pytest

from evals.compare import (
    count_credit,
    count_interval,
    date_credit,
    dates_far_apart,
    location_credit,
    locations_compatible,
    name_credit,
    quote_exact_credit,
)
from evals.config import load_config
from evals.names import name_key, names_match, normalise_name
from evals.tokens import token_f1
from schemas import Actor, CasualtyFigure, EventDate, Location, Weapon

CFG = load_config()


def fig(**kw: object) -> CasualtyFigure:
    return CasualtyFigure.model_validate({"kind": "killed", **kw})


@pytest.mark.parametrize(
    ("gold", "pred", "credit"),
    [
        (fig(low=2, best=2, qualifier="at_least"), fig(best=2), 1.0),
        (fig(low=2, best=2, qualifier="at_least"), fig(best=40), 1.0),  # open above
        (fig(low=2, best=2, qualifier="at_least"), fig(best=1), 0.0),
        (fig(low=58, best=58, high=58), fig(best=58), 1.0),
        (fig(low=58, best=58, high=58), fig(best=59), 0.0),
        (fig(low=181, best=181, qualifier="over"), fig(best=180), 0.0),  # "over 180"
        (fig(best=100, qualifier="about"), fig(best=100), 1.0),
        (fig(best=100, qualifier="about"), fig(best=95), 0.0),  # no range given in the gold
        (fig(low=90, best=100, high=110, qualifier="about"), fig(best=95), 1.0),
        (fig(best=10, high=10, qualifier="up_to"), fig(best=7), 1.0),
        (fig(best=10, high=10, qualifier="up_to"), fig(best=11), 0.0),
        (fig(low=2, best=3, qualifier="several"), fig(low=2, qualifier="at_least"), 1.0),
        (fig(low=13, best=13, qualifier="at_least"), fig(low=10, high=20), 0.0),  # no best: low
    ],
)
def test_count_inside_gold_range(gold: CasualtyFigure, pred: CasualtyFigure, credit: float) -> None:
    assert count_credit(gold, pred, CFG) == credit


def test_count_interval_rules() -> None:
    assert count_interval(fig(low=13, best=13, qualifier="at_least"), CFG) == (13, math.inf)
    assert count_interval(fig(low=58, best=58), CFG) == (58, 58.0)  # exact, high not written
    assert count_interval(fig(qualifier="unknown"), CFG) is None
    assert count_interval(Weapon(kind="missile", count=73, qualifier="at_least"), CFG) == (
        73,
        math.inf,
    )
    assert count_credit(Weapon(kind="drone", count=2), Weapon(kind="drone", count=1), CFG) == 0.0


def d(
    value: str | None = None, precision: str = "unresolved", phrase: str | None = None
) -> EventDate:
    return EventDate.model_validate({"value": value, "precision": precision, "phrase": phrase})


@pytest.mark.parametrize(
    ("gold", "pred", "credit"),
    [
        (d("2022-11-14", "day"), d("2022-11-14", "day"), 1.0),
        (d("2022-11-14", "day"), d("2022-11-15", "day"), 0.0),
        (d("2022-11-01", "month"), d("2022-11-30", "month"), 1.0),  # same month
        (d("2022-11-01", "month"), d("2022-11-14", "day"), 0.5),  # inside, finer precision
        (d("2022-11-14", "day"), d("2022-11-01", "month"), 0.5),  # gold inside the prediction's
        (d("2022-11-14", "day"), d("2022-12-01", "month"), 0.0),
        (d("2022-11-14", "week"), d("2022-11-17", "week"), 1.0),  # within +/- 3 days
        (d(phrase="on Monday"), d(phrase="Monday"), 1.0),  # stop words dropped
        (d(phrase="late on Monday"), d(phrase="on Monday"), pytest.approx(2 / 3)),
        (d(phrase="on Monday"), d("2022-11-14", "day", "on Monday"), 0.0),  # a guessed date
        (d("2022-11-14", "day"), d(phrase="on Monday"), 0.0),
    ],
)
def test_date_credit(gold: EventDate, pred: EventDate, credit: float) -> None:
    assert date_credit(gold, pred, CFG) == credit


def test_dates_far_apart_needs_two_resolved_dates() -> None:
    assert dates_far_apart(d("2022-09-24", "day"), d("2022-11-14", "day"), CFG)
    assert not dates_far_apart(d("2022-11-01", "month"), d("2022-11-28", "day"), CFG)
    assert not dates_far_apart(d(phrase="on Sept. 24"), d("2022-11-14", "day"), CFG)


def test_name_normalisation() -> None:
    assert normalise_name("  The  Komala Party’s  ") == "komala party"
    assert name_key("KDP-I") == name_key("kdpi")
    assert names_match("Sulaymānīyah", "SULAYMANIYAH", "place")
    assert names_match("Erbil Governorate", "Erbil", "place")
    assert not names_match("Erbil Governorate", "Erbil", "actor")  # generic words: places only
    assert names_match("the Islamic State", "Islamic State", "actor")
    assert not names_match(None, "x", "actor")
    assert names_match("Mustafa al-Kadhimi", "al-Kadhimi", "person")
    assert not names_match("Mustafa al-Kadhimi", "Mustafa", "person")  # a first name alone


def test_names_match_through_the_alias_table() -> None:
    assert names_match("Revolutionary Guards", "IRGC", "actor")
    assert names_match("Irbil", "Erbil", "place")
    assert names_match("Koysinjaq", "Koya", "place")
    assert not names_match("Komala", "PDKI", "actor")
    assert names_match("Democratic Party of Iranian Kurdistan", "PDKI", "phrase")  # reported_by
    # a prediction inside the gold's finest place gets that level's credit
    assert location_credit(Location(admin1="Erbil"), Location(place="Koysinjaq"), CFG) == 1.0
    assert (
        location_credit(Location(place="Koya", admin1="Erbil"), Location(place="Irbil"), CFG) == 0.5
    )
    assert locations_compatible(Location(place="Green Zone"), Location(admin1="Baghdad"), CFG)
    assert not locations_compatible(Location(place="Koya"), Location(admin1="Baghdad"), CFG)
    assert locations_compatible(Location(place="Koya"), Location(admin1="Erbil"), CFG)


def test_actor_credit_uses_name_and_canonical() -> None:
    gold = Actor(name="Iran's elite Guards", canonical="IRGC")
    assert name_credit(gold, Actor(name="irgc"), "actor") == 1.0
    assert name_credit(gold, Actor(name="Komala"), "actor") == 0.0


@pytest.mark.parametrize(
    ("gold", "pred", "credit"),
    [
        (Location(place="Koya", admin1="Erbil"), Location(place="koya"), 1.0),
        (Location(place="Koya", admin1="Erbil"), Location(admin1="Erbil"), 0.5),
        (Location(place="Koya", admin1="Erbil", country="Iraq"), Location(country="Iraq"), 0.25),
        (Location(admin1="Erbil", country="Iraq"), Location(admin1="Erbil"), 1.0),  # finest given
        (Location(admin1="Erbil", country="Iraq"), Location(country="Iraq"), 0.5),
        (Location(place="Koya"), Location(place="Zrgwez", admin1="Sulaymaniyah"), 0.0),
        (Location(admin1="Erbil"), Location(place="Erbil"), 1.0),  # any level of the prediction
    ],
)
def test_location_hierarchy_credit(gold: Location, pred: Location, credit: float) -> None:
    assert location_credit(gold, pred, CFG) == credit


def test_locations_compatible_only_fails_on_two_named_different_places() -> None:
    assert locations_compatible(Location(), Location(place="Koya"), CFG)
    assert locations_compatible(
        Location(place="Koya", admin1="Erbil"), Location(admin1="Erbil"), CFG
    )
    assert not locations_compatible(Location(place="Koya"), Location(place="Baghdad"), CFG)


def test_quote_comparators() -> None:
    assert quote_exact_credit("We will “never” stop", 'we will "never"  stop') == 1.0
    assert quote_exact_credit("We will never stop", "We will stop") == 0.0
    assert token_f1("These attacks must stop", "attacks must stop now") == pytest.approx(
        2 * (3 / 4) * (3 / 4) / (3 / 4 + 3 / 4)
    )
