"""The baseline on SYNTHETIC articles it was not written against (tests/fixtures/synthetic/).

The texts are invented for these tests (see the README there); they check that the rules carry over
to other actors, places and phrasings, and that dates follow the publication date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extraction.baseline import extract_baseline
from schemas.article import Article
from schemas.evidence import grounding_context
from schemas.records import ArticleExtraction
from schemas.vocab import (
    ActorCategory,
    AttributionKind,
    CasualtyKind,
    Channel,
    DatePrecision,
    GeoPrecision,
    Outcome,
    Qualifier,
    Standing,
    StatementKind,
    SubType,
    TextType,
)

FIXTURES = Path(__file__).parent / "fixtures" / "synthetic"


def _load(name: str, published: dt.date | None = None) -> tuple[Article, ArticleExtraction]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    article = Article(id=f"synthetic-{Path(name).stem}", text=text, publication_date=published)
    x = extract_baseline(article)
    ArticleExtraction.model_validate(x.model_dump(), context=grounding_context(text))
    return article, x


def test_turkish_drone_strike_in_sinjar() -> None:
    _, x = _load("turkish_drone_sinjar.txt")
    e = x.events[0]
    assert (e.sub_type, e.standing, e.outcome) == (
        SubType.AIR_DRONE_STRIKE,
        Standing.REPORTED,
        Outcome.COMPLETED,
    )
    assert [(p.name, p.canonical, p.category) for p in e.perpetrators] == [
        ("Turkish", "Turkey", ActorCategory.EXTERNAL_FORCES)  # "A Turkish drone strike"
    ]
    assert [t.canonical for t in e.targets] == ["Sinjar Resistance Units"]
    loc = e.location
    assert (loc.place, loc.admin2, loc.admin1, loc.country, loc.precision) == (
        "Sinuni",
        "Sinjar",
        None,  # Nineveh is not named
        "Iraq",
        GeoPrecision.NEAR,
    )
    assert [(c.kind, c.best, c.qualifier) for c in e.casualties] == [
        (CasualtyKind.KILLED, 3, Qualifier.EXACT),
        (CasualtyKind.INJURED, 2, Qualifier.EXACT),
    ]
    assert e.casualties[0].reported_by == "local officials"
    assert (e.date.phrase, e.date.precision) == ("on Tuesday", DatePrecision.UNRESOLVED)


def test_separate_earlier_rocket_attack_is_recalled_and_unclaimed() -> None:
    _, x = _load("turkish_drone_sinjar.txt")
    assert len(x.events) == 2
    e = x.events[1]
    assert (e.standing, e.sub_type) == (
        Standing.RECALLED,
        SubType.SHELLING_ARTILLERY_MISSILE_ATTACK,
    )
    assert (e.location.place, e.location.admin1) == ("Ain al-Asad Air Base", "Anbar")
    assert [a.kind for a in e.attribution] == [AttributionKind.UNATTRIBUTED]
    assert [w.kind.value for w in e.weapons] == ["rocket"]
    # Turkey's Defence Ministry "said it had neutralised terrorists": a claim by the perpetrator
    assert [(a.kind, a.by) for a in x.events[0].attribution] == [
        (AttributionKind.CLAIMED, "Turkey")
    ]


def test_condemnation_targets_the_perpetrator_state() -> None:
    _, x = _load("turkish_drone_sinjar.txt")
    condemn = [s for s in x.statements if s.kind is StatementKind.CONDEMNATION]
    assert [(s.organisation, s.targets, s.text_type) for s in condemn] == [
        ("Iraqi Foreign Ministry", ["Turkey"], TextType.PARAPHRASE)  # "called on Ankara"
    ]
    assert condemn[0].text.startswith("condemned the attack and called on Ankara")
    assert condemn[0].about_events == ["E1"]
    claim = [s for s in x.statements if s.kind is StatementKind.CLAIM_OF_RESPONSIBILITY]
    assert [s.organisation for s in claim] == ["Turkey"]  # "Turkey's Defence Ministry said it had"


def test_relative_dates_follow_the_publication_date() -> None:
    _, unanchored = _load("turkish_drone_sinjar.txt")
    assert [e.date.value for e in unanchored.events] == [None, None]
    assert len(unanchored.warnings) == 2
    _, anchored = _load("turkish_drone_sinjar.txt", published=dt.date(2024, 8, 22))  # a Thursday
    first, second = anchored.events
    assert (first.date.value, first.date.precision) == (dt.date(2024, 8, 20), DatePrecision.DAY)
    assert (second.date.value, second.date.precision) == (dt.date(2024, 8, 15), DatePrecision.WEEK)
    assert anchored.warnings == []


def test_drones_shot_down_near_erbil_airport() -> None:
    _, x = _load("erbil_airport_drones.txt")
    assert len(x.events) == 1
    e = x.events[0]
    assert (e.sub_type, e.outcome) == (SubType.DISRUPTED_WEAPONS_USE, Outcome.INTERCEPTED)
    assert [(w.kind.value, w.count) for w in e.weapons] == [("drone", 2)]
    assert (e.location.place, e.location.precision) == (
        "Erbil International Airport",
        GeoPrecision.NEAR,
    )
    assert e.casualties == []
    assert [(a.kind, a.perpetrator) for a in e.attribution] == [
        (AttributionKind.CLAIMED, "Islamic Resistance in Iraq")
    ]
    assert e.date.phrase == "late on Thursday"
    quote = [s for s in x.statements if s.text_type is TextType.QUOTE]
    assert [(s.speaker, s.role, s.organisation, s.kind) for s in quote] == [
        ("Peshawa Hawramani", "spokesman", "KRG", StatementKind.DEMAND)
    ]
    assert quote[0].text == "These attacks on the Kurdistan Region must stop"
    claim = [s for s in x.statements if s.kind is StatementKind.CLAIM_OF_RESPONSIBILITY]
    assert [(s.organisation, s.channel) for s in claim] == [
        ("Islamic Resistance in Iraq", Channel.TWEET)
    ]


def test_accusation_and_denial() -> None:
    _, x = _load("baghdad_airport_rockets.txt")
    e = x.events[0]
    assert [(w.kind.value, w.count, w.qualifier) for w in e.weapons] == [
        ("rocket", 3, Qualifier.AT_LEAST)
    ]
    assert [(a.kind, a.perpetrator, a.by) for a in e.attribution] == [
        (AttributionKind.ACCUSED, "Kata'ib Hezbollah", "Iraqi security officials")
    ]
    assert (e.location.place, e.location.precision) == (
        "Baghdad International Airport",
        GeoPrecision.NEAR,  # "hit near"
    )
    assert [(c.kind, c.best, c.reported_by) for c in e.casualties] == [
        (CasualtyKind.INJURED, 2, "security sources")
    ]
    denial = [s for s in x.statements if s.kind is StatementKind.DENIAL]
    assert [(s.organisation, s.about_events) for s in denial] == [("Kata'ib Hezbollah", ["E1"])]


@pytest.mark.parametrize(
    ("sentence", "published", "value", "precision"),
    [
        ("Drones struck Koya on Monday.", dt.date(2022, 11, 16), dt.date(2022, 11, 14), "day"),
        ("Drones struck Koya on Monday.", dt.date(2022, 11, 14), dt.date(2022, 11, 14), "day"),
        ("Drones struck Koya yesterday.", dt.date(2022, 11, 16), dt.date(2022, 11, 15), "day"),
        ("Drones struck Koya last month.", dt.date(2022, 1, 5), dt.date(2021, 12, 1), "month"),
        ("Drones struck Koya on Sept. 24.", dt.date(2022, 11, 16), dt.date(2022, 9, 24), "day"),
        ("Drones struck Koya on Dec. 24.", dt.date(2022, 11, 16), dt.date(2021, 12, 24), "day"),
        ("Drones struck Koya on Sept. 24, 2019.", None, dt.date(2019, 9, 24), "day"),
        ("Drones struck Koya on Monday.", None, None, "unresolved"),
        ("Drones struck Koya on Sept. 24.", None, None, "unresolved"),
    ],
)
def test_synthetic_date_resolution(
    sentence: str, published: dt.date | None, value: dt.date | None, precision: str
) -> None:
    article = Article(id="synthetic-date", text=sentence, publication_date=published)
    e = extract_baseline(article).events[0]
    assert (e.date.value, e.date.precision.value) == (value, precision)
    assert e.date.evidence is not None and e.date.evidence.quote in sentence
