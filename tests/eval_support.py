"""Synthetic gold and predictions for the eval-harness tests.

SYNTHETIC: the article text and every record here are made up for unit tests; they are not an
eval article and not gold labelling. Evidence offsets are computed from the text, so the gold
passes the same span checks as real gold files.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from evals.gold import GoldFile, GoldProvenance, gold_json, parse_gold
from schemas import (
    Actor,
    Article,
    ArticleExtraction,
    AttackEvent,
    Attribution,
    CasualtyFigure,
    EventDate,
    Evidence,
    Location,
    Producer,
    Records,
    Statement,
    Weapon,
)

TEXT = (
    "SYNTHETIC TEST ARTICLE. Drones struck the PDKI headquarters in Koya on Monday, killing at "
    "least 2 people and wounding 5, officials said. Missiles also hit the Komala office in "
    "Zrgwez, Sulaymaniyah province. Iran's Revolutionary Guards said they carried out the "
    'strikes. "These attacks must stop," the UN mission said in a statement. The PDKI condemned '
    'what it called "the regime\'s reprehensible actions".'
)
ARTICLE = Article(id="synthetic-001", text=TEXT, title="Synthetic <b>test</b> article")


def ev(quote: str, text: str = TEXT) -> Evidence:
    """Evidence for ``quote`` with offsets into ``text``."""
    start = text.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote))


def gold_events() -> list[AttackEvent]:
    return [
        AttackEvent(
            id="E1",
            sub_type="air_drone_strike",
            date=EventDate(phrase="on Monday", evidence=ev("on Monday")),
            location=Location(place="Koya", admin1="Erbil", country="Iraq", evidence=ev("Koya")),
            perpetrators=[
                Actor(
                    name="Revolutionary Guards",
                    canonical="IRGC",
                    category="external_forces",
                    evidence=ev("Revolutionary Guards"),
                )
            ],
            targets=[Actor(name="PDKI", canonical="PDKI", category="political_party")],
            attribution=[Attribution(kind="claimed", perpetrator="IRGC", by="IRGC")],
            weapons=[Weapon(kind="drone", evidence=ev("Drones"))],
            casualties=[
                CasualtyFigure(
                    kind="killed",
                    low=2,
                    best=2,
                    qualifier="at_least",
                    reported_by="officials",
                    evidence=ev("killing at least 2 people"),
                ),
                CasualtyFigure(
                    kind="injured",
                    low=5,
                    best=5,
                    high=5,
                    reported_by="officials",
                    evidence=ev("wounding 5"),
                ),
            ],
            operation_id="op1",
            evidence=ev("Drones struck the PDKI headquarters in Koya on Monday"),
        ),
        AttackEvent(
            id="E2",
            sub_type="shelling_artillery_missile_attack",
            location=Location(
                place="Zrgwez",
                admin1="Sulaymaniyah",
                country="Iraq",
                evidence=ev("Zrgwez, Sulaymaniyah province"),
            ),
            targets=[Actor(name="Komala", canonical="Komala", category="political_party")],
            weapons=[Weapon(kind="missile", evidence=ev("Missiles"))],
            operation_id="op1",
            evidence=ev("Missiles also hit the Komala office in Zrgwez"),
        ),
    ]


def gold_statements() -> list[Statement]:
    return [
        Statement(
            id="S1",
            organisation="UNAMI",
            kind="demand",
            about_events=["E1", "E2"],
            channel="statement",
            text="These attacks must stop",
            text_type="quote",
            evidence=ev("These attacks must stop"),
        ),
        Statement(
            id="S2",
            organisation="PDKI",
            kind="condemnation",
            about_events=["E1"],
            targets=["Iran"],
            text='condemned what it called "the regime\'s reprehensible actions"',
            text_type="paraphrase",
            evidence=ev('The PDKI condemned what it called "the regime\'s reprehensible actions".'),
        ),
    ]


def gold_records() -> Records:
    return Records(events=gold_events(), statements=gold_statements())


def make_gold(
    records: Records | None = None,
    acceptable: dict[str, list[Any]] | None = None,
    article: Article = ARTICLE,
) -> GoldFile:
    """A synthetic gold file, validated like a real one (spans, hash, acceptable keys)."""
    raw = gold_raw(records or gold_records(), acceptable or {}, article)
    return parse_gold(raw, article, Path(f"synthetic/{article.id}.json"))


def gold_raw(
    records: Records, acceptable: dict[str, list[Any]], article: Article
) -> dict[str, Any]:
    gold = GoldFile(
        article_id=article.id,
        article_sha256=article.sha256,
        provenance=GoldProvenance(
            labeller="synthetic-test",
            method="made up for unit tests",
            labelled_at=dt.date(2024, 1, 1),
        ),
        records=records,
        acceptable=acceptable,
    )
    data: dict[str, Any] = json.loads(gold_json(gold))
    return data


M = TypeVar("M", bound=BaseModel)

PRODUCER = Producer(kind="baseline", name="synthetic-baseline")


def prediction(
    events: list[AttackEvent] | None = None,
    statements: list[Statement] | None = None,
    article_id: str = ARTICLE.id,
    producer: Producer = PRODUCER,
) -> ArticleExtraction:
    return ArticleExtraction(
        article_id=article_id,
        events=gold_events() if events is None else events,
        statements=gold_statements() if statements is None else statements,
        producer=producer,
    )


def write_gold_dir(folder: Path, golds: list[GoldFile]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for g in golds:
        (folder / f"{g.article_id}.json").write_text(gold_json(g), encoding="utf-8")
    return folder


def replace(obj: M, **changes: Any) -> M:
    """A validated copy of a record with some fields changed (``model_copy`` does not validate);
    a new ``sub_type`` also re-derives ``event_type``."""
    data = obj.model_dump()
    if "sub_type" in changes:
        data["event_type"] = None
    return type(obj).model_validate({**data, **changes})


TEXT2 = (
    "SYNTHETIC TEST ARTICLE TWO. A roadside bomb hit a police patrol near Kirkuk on Friday, "
    'killing three officers. "We will find those responsible," the governor, Rakan Saeed, said.'
)
ARTICLE2 = Article(id="synthetic-002", text=TEXT2)


def gold_records_2() -> Records:
    return Records(
        events=[
            AttackEvent(
                id="E1",
                sub_type="remote_explosive_landmine_ied",
                date=EventDate(phrase="on Friday", evidence=ev("on Friday", TEXT2)),
                location=Location(place="Kirkuk", precision="2", evidence=ev("near Kirkuk", TEXT2)),
                targets=[Actor(name="police patrol", category="state_forces")],
                weapons=[Weapon(kind="ied", evidence=ev("roadside bomb", TEXT2))],
                casualties=[
                    CasualtyFigure(
                        kind="killed",
                        group="security_forces",
                        low=3,
                        best=3,
                        high=3,
                        evidence=ev("killing three officers", TEXT2),
                    )
                ],
                evidence=ev("A roadside bomb hit a police patrol near Kirkuk on Friday", TEXT2),
            )
        ],
        statements=[
            Statement(
                id="S1",
                speaker="Rakan Saeed",
                role="governor",
                kind="threat",
                about_events=["E1"],
                text="We will find those responsible",
                text_type="quote",
                evidence=ev("We will find those responsible", TEXT2),
            )
        ],
    )


def two_golds() -> dict[str, GoldFile]:
    return {
        ARTICLE.id: make_gold(),
        ARTICLE2.id: make_gold(gold_records_2(), article=ARTICLE2),
    }


def perfect(article: Article) -> ArticleExtraction:
    """A prediction equal to the synthetic gold of ``article``."""
    records = gold_records() if article.id == ARTICLE.id else gold_records_2()
    return ArticleExtraction.from_records(article.id, records, PRODUCER)


def degraded(article: Article) -> ArticleExtraction:
    """The synthetic gold with the second event missed and a statement kind wrong."""
    records = gold_records() if article.id == ARTICLE.id else gold_records_2()
    statements = [replace(s, kind="other") if s.id == "S1" else s for s in records.statements]
    events = records.events[:1]
    statements = [
        replace(s, about_events=[i for i in s.about_events if i == "E1"]) for s in statements
    ]
    return ArticleExtraction.from_records(
        article.id, Records(events=events, statements=statements), PRODUCER
    )
