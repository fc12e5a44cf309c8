"""Properties of the scorer over generated (synthetic) records: a perfect prediction scores 1 on
every field, an empty one has recall 0, and the order records come in never changes a score."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evals.document import score_document
from evals.gold import GoldFile, GoldProvenance
from schemas import (
    Actor,
    ArticleExtraction,
    AttackEvent,
    Attribution,
    CasualtyFigure,
    EventDate,
    Location,
    Producer,
    Records,
    Statement,
    Weapon,
)
from schemas.vocab import (
    ActorCategory,
    AttributionKind,
    CasualtyGroup,
    CasualtyKind,
    Channel,
    Outcome,
    Qualifier,
    Standing,
    StatementKind,
    SubType,
    TextType,
)

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PLACES = ["Koya", "Zrgwez", "Green Zone", "Baghdad", None]
ADMIN1 = ["Erbil", "Sulaymaniyah", "Baghdad", None]
ACTORS = ["IRGC", "PDKI", "Komala", "Islamic State", "protesters", "Kataib Hezbollah"]
PEOPLE = ["Ned Price", "Mustafa al-Kadhimi", "Tariq Ahmad", None]
WORDS = ["attacks", "must", "stop", "regime", "cowardly", "we", "condemn", "the", "strikes"]

actor = st.builds(
    Actor,
    name=st.sampled_from(ACTORS),
    category=st.none() | st.sampled_from(list(ActorCategory)),
)
location = st.builds(
    Location,
    place=st.sampled_from(PLACES),
    admin1=st.sampled_from(ADMIN1),
    country=st.sampled_from(["Iraq", "Iran", None]),
)
dates = st.one_of(
    st.builds(EventDate, phrase=st.sampled_from(["on Monday", "late on Monday", "this month"])),
    st.builds(
        EventDate,
        value=st.dates(dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
        precision=st.sampled_from(["day", "month"]),
    ),
    st.just(EventDate()),
)


@st.composite
def figures(draw: st.DrawFn) -> CasualtyFigure:
    low = draw(st.none() | st.integers(0, 60))
    extra = draw(st.none() | st.integers(0, 20))
    high = None if low is None or extra is None else low + extra
    return CasualtyFigure(
        kind=draw(st.sampled_from(list(CasualtyKind))),
        group=draw(st.sampled_from(list(CasualtyGroup))),
        low=low,
        best=low,
        high=high,
        qualifier=draw(st.sampled_from(list(Qualifier))),
        reported_by=draw(st.sampled_from(["officials", "PDKI", None])),
    )


@st.composite
def events(draw: st.DrawFn, n: int) -> list[AttackEvent]:
    out = []
    for i in range(1, n + 1):
        out.append(
            AttackEvent(
                id=f"E{i}",
                sub_type=draw(st.sampled_from(list(SubType))),
                outcome=draw(st.sampled_from(list(Outcome))),
                standing=draw(st.sampled_from(list(Standing))),
                date=draw(dates),
                location=draw(location),
                perpetrators=draw(st.lists(actor, max_size=2, unique_by=lambda a: a.name)),
                targets=draw(st.lists(actor, max_size=2, unique_by=lambda a: a.name)),
                attribution=draw(
                    st.lists(
                        st.builds(
                            Attribution,
                            kind=st.sampled_from(list(AttributionKind)),
                            perpetrator=st.none() | st.sampled_from(ACTORS),
                        ),
                        max_size=2,
                    )
                ),
                weapons=draw(
                    st.lists(
                        st.builds(
                            Weapon,
                            kind=st.sampled_from(["drone", "missile", "firearm"]),
                            count=st.none() | st.integers(1, 80),
                        ),
                        max_size=2,
                        unique_by=lambda w: w.kind,
                    )
                ),
                casualties=draw(st.lists(figures(), max_size=3)),
                operation_id=draw(st.sampled_from([None, "op1", "op2"])),
            )
        )
    return out


@st.composite
def statements(draw: st.DrawFn, n: int, event_ids: list[str]) -> list[Statement]:
    out = []
    for i in range(1, n + 1):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
        out.append(
            Statement(
                id=f"S{i}",
                speaker=draw(st.sampled_from(PEOPLE)),
                organisation=draw(st.none() | st.sampled_from(ACTORS)),
                kind=draw(st.sampled_from(list(StatementKind))),
                about_events=draw(st.lists(st.sampled_from(event_ids), unique=True))
                if event_ids
                else [],
                targets=draw(st.lists(st.sampled_from(ACTORS), max_size=2, unique=True)),
                channel=draw(st.sampled_from(list(Channel))),
                text=" ".join(words),
                text_type=draw(st.sampled_from(list(TextType))),
            )
        )
    return out


@st.composite
def record_sets(draw: st.DrawFn) -> Records:
    evs = draw(events(draw(st.integers(0, 4))))
    sts = draw(statements(draw(st.integers(0, 4)), [e.id for e in evs]))
    return Records(events=evs, statements=sts)


def gold_of(records: Records) -> GoldFile:
    return GoldFile(
        article_id="synthetic-prop",
        article_sha256="0" * 64,
        provenance=GoldProvenance(
            labeller="hypothesis", method="generated", labelled_at=dt.date(2024, 1, 1)
        ),
        records=records,
    )


def extraction(records: Records) -> ArticleExtraction:
    return ArticleExtraction.from_records(
        "synthetic-prop", records, Producer(kind="baseline", name="synthetic")
    )


def summary(doc: Any) -> dict[str, tuple[float, int, int, int]]:
    return {k: (round(c.credit, 9), c.n_gold, c.n_pred, c.both_null) for k, c in doc.counts.items()}


@SETTINGS
@given(record_sets())
def test_perfect_prediction_scores_one_on_every_field(records: Records) -> None:
    doc = score_document(gold_of(records), extraction(records))
    for name, c in doc.counts.items():
        if c.n_gold or c.n_pred:
            assert c.precision == 1.0 and c.recall == 1.0 and c.f1 == 1.0, name
    assert all(d.outcome == "right" for d in doc.details)
    if records.events:
        assert doc.counts["event"].f1 == 1.0


@SETTINGS
@given(record_sets())
def test_empty_prediction_has_recall_zero(records: Records) -> None:
    doc = score_document(gold_of(records), extraction(Records()))
    for name, c in doc.counts.items():
        assert c.n_pred == 0, name
        if c.n_gold:
            assert c.recall == 0.0 and c.f1 == 0.0, name
    assert len(doc.alignment.missed_events) == len(records.events)


@SETTINGS
@given(record_sets(), record_sets(), st.randoms(use_true_random=False))
def test_record_order_never_changes_scores(gold: Records, pred: Records, rnd: Any) -> None:
    shuffled = Records(
        events=rnd.sample(pred.events, len(pred.events)),
        statements=rnd.sample(pred.statements, len(pred.statements)),
    )
    gold_shuffled = Records(
        events=rnd.sample(gold.events, len(gold.events)),
        statements=rnd.sample(gold.statements, len(gold.statements)),
    )
    base = score_document(gold_of(gold), extraction(pred))
    assert summary(score_document(gold_of(gold), extraction(shuffled))) == summary(base)
    assert summary(score_document(gold_of(gold_shuffled), extraction(pred))) == summary(base)


@SETTINGS
@given(record_sets())
def test_renumbered_prediction_is_still_perfect(records: Records) -> None:
    ids = {e.id: f"E{10 + i}" for i, e in enumerate(records.events)}
    events_ = [
        AttackEvent.model_validate({**e.model_dump(), "id": ids[e.id]}) for e in records.events
    ]
    statements_ = [
        Statement.model_validate(
            {**s.model_dump(), "about_events": [ids[i] for i in s.about_events]}
        )
        for s in records.statements
    ]
    doc = score_document(
        gold_of(records), extraction(Records(events=events_, statements=statements_))
    )
    for name, c in doc.counts.items():
        if c.n_gold or c.n_pred:
            assert c.f1 == 1.0, name
