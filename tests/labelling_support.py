"""Shared set-up for the labelling tests: a labelling folder holding a real eval article and a
hand-made draft of it (not a model's), with deliberate mistakes for a reviewer to fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from evals.dataset import load_eval_articles
from labelling.drafts import make_draft
from labelling.store import LabellingFolder
from labelling.submission import Submission, build_gold
from schemas import (
    Actor,
    ActorCategory,
    Article,
    ArticleExtraction,
    AttackEvent,
    Attribution,
    AttributionKind,
    CasualtyFigure,
    CasualtyKind,
    Channel,
    EventDate,
    Evidence,
    Location,
    Producer,
    Qualifier,
    Standing,
    Statement,
    StatementKind,
    SubType,
    TextType,
    Weapon,
    WeaponKind,
    grounding_context,
)
from schemas.vocab import GeoPrecision

ARTICLE_ID = "000_fd8edfdbded601b1"
RUN_ID = "label-20240501T120000Z-abc123"
PROMPT_HASH = "sha256:0123456789abcdef"

WRONG_INJURED_QUOTE = "two people were “martyred”"
RIGHT_INJURED_QUOTE = "wounding several others"


def eval_article(article_id: str = ARTICLE_ID) -> Article:
    return next(a for a in load_eval_articles() if a.id == article_id)


def ev(article: Article, quote: str) -> Evidence:
    return Evidence.model_validate(
        {"quote": quote}, context=grounding_context(article.text, evidence_from="model")
    )


def draft_extraction(article: Article) -> ArticleExtraction:
    """A draft of article 000 with two mistakes: the injured figure's best is 2 (ACLED's
    'several' is 3) and its evidence points at the killed sentence."""
    assert article.id == ARTICLE_ID
    e1 = AttackEvent(
        id="E1",
        sub_type=SubType.AIR_DRONE_STRIKE,
        standing=Standing.REPORTED,
        date=EventDate(phrase="on Monday", evidence=ev(article, "on Monday")),
        location=Location(
            admin1="Erbil",
            country="Iraq",
            precision=GeoPrecision.REGION,
            evidence=ev(article, "the Erbil Governorate"),
        ),
        perpetrators=[
            Actor(
                name="Islamic Revolutionary Guards Corps",
                canonical="IRGC",
                category=ActorCategory.EXTERNAL_FORCES,
                evidence=ev(article, "Islamic Revolutionary Guards Corps"),
            )
        ],
        targets=[
            Actor(
                name="Democratic Party of Iranian Kurdistan",
                canonical="PDKI",
                category=ActorCategory.REBEL_GROUP,
                evidence=ev(article, "the Democratic Party of Iranian Kurdistan"),
            )
        ],
        attribution=[
            Attribution(
                kind=AttributionKind.CLAIMED,
                perpetrator="IRGC",
                by="IRGC",
                evidence=ev(article, "The IRGC said it launched the attacks"),
            )
        ],
        weapons=[
            Weapon(kind=WeaponKind.MISSILE, evidence=ev(article, "firing missiles")),
            Weapon(kind=WeaponKind.DRONE, evidence=ev(article, "kamikaze drone strikes")),
        ],
        casualties=[
            CasualtyFigure(
                kind=CasualtyKind.KILLED,
                low=2,
                best=2,
                qualifier=Qualifier.AT_LEAST,
                evidence=ev(article, "killing at least two people"),
            ),
            CasualtyFigure(
                kind=CasualtyKind.INJURED,
                best=2,
                qualifier=Qualifier.SEVERAL,
                evidence=ev(article, WRONG_INJURED_QUOTE),
            ),
        ],
        evidence=ev(article, "Iran launched a new round of missile and drone attacks"),
    )
    e2 = AttackEvent(
        id="E2",
        sub_type=SubType.SHELLING_ARTILLERY_MISSILE_ATTACK,
        targets=[Actor(name="Komala Party of Iranian Kurdistan", canonical="Komala")],
        evidence=ev(article, "Missiles were also launched at the headquarters"),
    )
    e3 = AttackEvent(
        id="E3",
        sub_type=SubType.AIR_DRONE_STRIKE,
        standing=Standing.RECALLED,
        date=EventDate(phrase="on Sept. 24", evidence=ev(article, "on Sept. 24")),
        evidence=ev(article, "Iran first attacked the opposition groups on Sept. 24"),
    )
    s1 = Statement(
        id="S1",
        speaker="Ned Price",
        role="spokesman",
        organisation="US State Department",
        kind=StatementKind.CONDEMNATION,
        about_events=["E1"],
        targets=["Iran"],
        channel=Channel.STATEMENT,
        text="to stop these attacks and refrain from further threats",
        text_type=TextType.QUOTE,
        evidence=ev(article, "to stop these attacks and refrain from further threats"),
    )
    s2 = Statement(
        id="S2",
        organisation="UNAMI",
        kind=StatementKind.DEMAND,
        about_events=["E1"],
        channel=Channel.TWEET,
        text="Iraq should not be used as an arena to settle scores",
        text_type=TextType.QUOTE,
        evidence=ev(article, "Iraq should not be used as an arena to settle scores"),
    )
    producer = Producer(
        kind="model", name="test/drafting-model", prompt_id="extract_v1", prompt_hash=PROMPT_HASH
    )
    return ArticleExtraction(
        article_id=article.id, events=[e1, e2, e3], statements=[s1, s2], producer=producer
    )


def make_folder(root: Path, *, with_draft: bool = True) -> tuple[LabellingFolder, Article]:
    """A labelling folder with article 000 and (by default) its hand-made draft."""
    article = eval_article()
    folder = LabellingFolder(root)
    folder.add_article(article)
    if with_draft:
        draft = make_draft(
            article, draft_extraction(article), run_id=RUN_ID, today=dt.date(2024, 5, 1)
        )
        folder.write_draft(draft)
    return folder, article


def submission_from_draft(folder: LabellingFolder, article_id: str = ARTICLE_ID) -> dict[str, Any]:
    """What the review page would send for an untouched draft (records and identity origins)."""
    draft = folder.draft(article_id)
    assert draft is not None
    records = draft.records.model_dump(mode="json")
    for event in records["events"]:
        event["event_type"] = None
    return {"records": records, "origins": None, "decisions": {}}


# -- two labellers' gold, for agreement and adjudication ----------------------------------------

QUOTES = {
    "E1": "Iran launched a new round of missile and drone attacks",
    "E2": "Missiles were also launched at the headquarters",
    "E3": "Iran first attacked the opposition groups on Sept. 24",
    "S1": "to stop these attacks and refrain from further threats",
}


def _span(quote: str) -> dict[str, Any]:
    start = eval_article().text.index(quote)
    return {"quote": quote, "start": start, "end": start + len(quote)}


def labelled_event(rid: str, standing: str) -> dict[str, Any]:
    return {
        "id": rid,
        "sub_type": "air_drone_strike",
        "standing": standing,
        "evidence": _span(QUOTES[rid]),
    }


def labelled_statement(kind: str) -> dict[str, Any]:
    return {
        "id": "S1",
        "speaker": "Ned Price",
        "kind": kind,
        "text_type": "quote",
        "text": QUOTES["S1"],
        "evidence": _span(QUOTES["S1"]),
    }


def labelled_folder(root: Path, who: str, records: dict[str, Any]) -> Path:
    """A labelling folder holding article 000 and ``who``'s reviewed gold of it (no draft)."""
    article = eval_article()
    folder = LabellingFolder(root)
    folder.add_article(article)
    gold = build_gold(Submission(records=records), article, draft=None, previous=None, reviewer=who)
    folder.write_gold(gold, base_sha256=None)
    return root


def two_labellers(root: Path, *, b_statement: str | None = "demand") -> tuple[Path, Path]:
    """Folders ``root/a`` (ana) and ``root/b`` (bo) with reviewed gold of article 000 that
    disagrees: bo marks E1 recalled and adds E3, and labels ana's condemnation ``b_statement``
    (or leaves it out when ``None``)."""
    a = labelled_folder(
        root / "a",
        "ana",
        {
            "events": [labelled_event("E1", "reported"), labelled_event("E2", "reported")],
            "statements": [labelled_statement("condemnation")],
        },
    )
    b = labelled_folder(
        root / "b",
        "bo",
        {
            "events": [
                labelled_event("E1", "recalled"),
                labelled_event("E2", "reported"),
                labelled_event("E3", "recalled"),
            ],
            "statements": [labelled_statement(b_statement)] if b_statement else [],
        },
    )
    return a, b
