"""Alignment of predicted with gold records and the counting rules, on synthetic hand-made cases."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from eval_support import ARTICLE, gold_events, gold_statements, make_gold, prediction, replace

from evals.align import assign
from evals.document import DocScore, score_document
from evals.gold import GoldError
from schemas import (
    Actor,
    AttackEvent,
    CasualtyFigure,
    Location,
    Records,
    Statement,
)


def score(
    events: list[AttackEvent] | None = None,
    statements: list[Statement] | None = None,
    acceptable: dict[str, list[Any]] | None = None,
) -> DocScore:
    gold = make_gold(acceptable=acceptable)
    return score_document(gold, prediction(events, statements), ARTICLE)


def counts(doc: DocScore, name: str) -> tuple[float, int, int]:
    c = doc.counts[name]
    return c.credit, c.n_gold, c.n_pred


def test_assignment_maximises_total_similarity() -> None:
    # Greedy would take (0,0)=0.9 and leave (1,1)=0.1: total 1.0. The optimum is 0.8 + 0.85.
    sim = np.array([[0.9, 0.8], [0.85, 0.1]])
    pairs = [(m.gold, m.pred) for m in assign(sim, np.ones((2, 2), dtype=bool), 0.05)]
    assert pairs == [(0, 1), (1, 0)]


def test_assignment_leaves_forbidden_and_weak_pairs_unmatched() -> None:
    sim = np.array([[0.9, 0.3], [0.02, 0.5]])
    allowed = np.array([[True, False], [True, True]])
    matches = assign(sim, allowed, min_similarity=0.1)
    assert [(m.gold, m.pred) for m in matches] == [(0, 0), (1, 1)]
    assert assign(sim, np.zeros((2, 2), dtype=bool), 0.1) == []
    with pytest.raises(ValueError, match="positive"):
        assign(sim, allowed, 0.0)


def test_swapped_event_order_and_ids_align_by_content() -> None:
    e1, e2 = gold_events()
    swapped = [replace(e2, id="E1"), replace(e1, id="E2")]
    s1, s2 = gold_statements()
    statements = [replace(s1, about_events=["E2", "E1"]), replace(s2, about_events=["E2"])]
    doc = score(swapped, statements)
    assert [(p.gold_id, p.pred_id) for p in doc.alignment.events] == [("E1", "E2"), ("E2", "E1")]
    assert all(c.f1 == 1.0 for c in doc.counts.values() if c.f1 is not None)
    # about_events are compared through the event alignment, not by raw id
    assert counts(doc, "statement.about_events") == (3.0, 3, 3)
    assert counts(doc, "event.operation") == (1.0, 1, 1)


def test_an_invented_event_costs_precision_only() -> None:
    extra = AttackEvent(
        id="E3",
        sub_type="armed_clash",
        location=Location(place="Baghdad", admin1="Baghdad"),
        casualties=[CasualtyFigure(kind="killed", best=4, low=4, high=4)],
    )
    doc = score([*gold_events(), extra])
    assert counts(doc, "event") == (2.0, 2, 3)
    assert doc.alignment.invented_events == ["E3"]
    assert counts(doc, "event.casualties") == (2.0, 2, 3)  # its figure is invented too
    assert counts(doc, "event.location.place") == (2.0, 2, 3)
    assert doc.counts["event"].recall == 1.0
    assert doc.counts["event"].precision == pytest.approx(2 / 3)


def test_a_missed_event_costs_recall_only() -> None:
    e1, _ = gold_events()
    doc = score([e1])
    assert counts(doc, "event") == (1.0, 2, 1)
    assert doc.alignment.missed_events == ["E2"]
    assert counts(doc, "event.weapons") == (1.0, 2, 1)  # E2's missile is missed
    assert doc.counts["event.sub_type"].precision == 1.0
    assert doc.counts["event.sub_type"].recall == 0.5


def test_gate_forbids_different_type_at_a_different_place() -> None:
    gold = Records(events=[gold_events()[0]], statements=[])
    clash = AttackEvent(id="E1", sub_type="armed_clash", location=Location(place="Baghdad"))
    doc = score_document(make_gold(gold), prediction([clash], []), ARTICLE)
    assert doc.alignment.events == []
    assert counts(doc, "event") == (0.0, 1, 1)
    # same type at another place is allowed: a wrong location, not a missed event
    drone = replace(clash, sub_type="air_drone_strike")
    doc = score_document(make_gold(gold), prediction([drone], []), ARTICLE)
    assert counts(doc, "event") == (1.0, 1, 1)
    assert counts(doc, "event.location.place") == (0.0, 1, 1)  # wrong: against P and R


def test_conflicting_counts_align_figure_by_figure() -> None:
    e1 = gold_events()[0]
    figures = [
        CasualtyFigure(
            kind="killed", low=13, best=13, qualifier="at_least", reported_by="officials"
        ),
        CasualtyFigure(kind="killed", low=10, best=10, high=10, reported_by="the Health Ministry"),
    ]
    gold = Records(events=[e1.model_copy(update={"casualties": figures})], statements=[])
    pred = e1.model_copy(
        update={
            "casualties": [CasualtyFigure(kind="killed", best=10, reported_by="Health Ministry")]
        }
    )
    doc = score_document(make_gold(gold), prediction([pred], []), ARTICLE)
    assert counts(doc, "event.casualties") == (1.0, 2, 1)
    assert counts(doc, "event.casualties.count") == (1.0, 2, 1)  # 10 is the ministry's figure
    assert counts(doc, "event.casualties.reported_by") == (1.0, 2, 1)
    assert counts(doc, "event.casualties.qualifier") == (1.0, 2, 1)
    # the same prediction without its source still takes the figure it fits
    pred2 = e1.model_copy(update={"casualties": [CasualtyFigure(kind="killed", best=10)]})
    doc2 = score_document(make_gold(gold), prediction([pred2], []), ARTICLE)
    assert counts(doc2, "event.casualties.count") == (1.0, 2, 1)


def test_value_null_rules() -> None:
    e1, e2 = gold_events()
    pred1 = e1.model_copy(update={"operation_id": None, "location": Location(place="Koya")})
    pred2 = e2.model_copy(
        update={"location": e2.location.model_copy(update={"admin2": "Sharbazher"})}
    )
    doc = score([pred1, pred2])
    assert counts(doc, "event.location.admin1") == (1.0, 2, 1)  # missed on E1
    assert counts(doc, "event.location.admin2") == (0.0, 0, 1)  # invented on E2
    assert doc.counts["event.location.admin2"].both_null == 1  # E1: null vs null is right
    assert counts(doc, "event.location") == (2.0, 2, 2)  # Koya is E1's place: full credit


def test_acceptable_alternatives_take_the_best() -> None:
    e1, e2 = gold_events()
    other = AttackEvent.model_validate(
        {**e2.model_dump(), "sub_type": "air_drone_strike", "event_type": None}
    )
    acceptable = {"events.E2.sub_type": ["air_drone_strike"]}
    doc = score([e1, other], acceptable=acceptable)
    assert counts(doc, "event.sub_type") == (2.0, 2, 2)
    assert counts(doc, "event.event_type") == (2.0, 2, 2)  # derived type follows the variant
    without = score([e1, other])
    assert counts(without, "event.sub_type") == (1.0, 2, 2)
    assert counts(without, "event.event_type") == (2.0, 2, 2)  # same coarse type anyway


def test_acceptable_null_and_whole_list_alternatives() -> None:
    s1, s2 = gold_statements()
    acceptable = {
        "events.E1.location.admin1": [None],
        "statements.S2.about_events": [["E1", "E2"]],
        "events.E1.perpetrators.0": ["Sepah"],
    }
    e1, e2 = gold_events()
    pred_e1 = e1.model_copy(
        update={
            "location": Location(place="Koya", country="Iraq"),
            "perpetrators": [Actor(name="Sepah")],
        }
    )
    pred_s2 = s2.model_copy(update={"about_events": ["E1", "E2"]})
    doc = score([pred_e1, e2], [s1, pred_s2], acceptable=acceptable)
    assert doc.counts["event.location.admin1"].both_null == 1
    assert counts(doc, "event.location.admin1") == (1.0, 1, 1)
    assert counts(doc, "statement.about_events") == (4.0, 4, 4)
    assert counts(doc, "event.perpetrators") == (1.0, 1, 1)


def test_acceptable_keys_are_checked_when_the_gold_loads() -> None:
    with pytest.raises(GoldError, match=r"synthetic-001\.json: field 'acceptable'.*events\.E9"):
        make_gold(acceptable={"events.E9.sub_type": ["grenade"]})
    with pytest.raises(GoldError, match=r"events\.E1\.sub_type.*sub_type"):
        make_gold(acceptable={"events.E1.sub_type": ["bombing"]})
    with pytest.raises(GoldError, match=r"casualties\.7.*2 item"):
        make_gold(acceptable={"events.E1.casualties.7.low": [1]})


def test_statement_gate_and_quote_rates() -> None:
    s1, s2 = gold_statements()
    # wrong kind, same organisation: still aligned through the speaker gate
    wrong_kind = replace(s2, kind="threat")
    # a quote that is not in the article, by another speaker, of another kind: not aligned
    invented = Statement(
        id="S3", organisation="Komala", kind="denial", text="We deny everything", text_type="quote"
    )
    doc = score(None, [s1, wrong_kind, invented])
    assert counts(doc, "statement") == (2.0, 2, 3)
    assert counts(doc, "statement.kind") == (1.0, 2, 3)
    assert doc.rates["grounding.quotes"].hits == 1
    assert doc.rates["grounding.quotes"].total == 2
    assert doc.rates["quote.speaker"].hits == 1
    assert doc.confusion["statement.kind"].count(("condemnation", "threat")) == 1


def test_a_failed_extraction_scores_as_all_missed() -> None:
    from extraction.batch.results import ErrorInfo

    failure = ErrorInfo(kind="internal", reason="it broke", exception="Boom")
    doc = score_document(make_gold(), failure, ARTICLE)
    assert doc.status == "error"
    assert doc.error == "Boom: it broke"
    assert counts(doc, "event") == (0.0, 2, 0)
    assert doc.counts["statement"].recall == 0.0
