"""Scoring the merge: coreference metrics against hand-computed values, gold-cluster files, the
MUC-4 key conversion and the harness. SYNTHETIC: every record and template here is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.scoring.coref import bcubed, pairwise
from store.scoring.gold import ClusterError, GoldClusters, check_members, load_clusters
from store.scoring.harness import SECOND_RUN, merge_items, score
from store.scoring.muc4 import parse_templates, to_event
from store.synthetic import event

ROOT = Path(__file__).resolve().parents[1]


def test_pairwise_and_bcubed_on_a_hand_computed_example() -> None:
    # gold {a,b,c} {d,e}; predicted {a,b} {c,d,e}
    gold = {"a": "G1", "b": "G1", "c": "G1", "d": "G2", "e": "G2"}
    pred = {"a": "P1", "b": "P1", "c": "P2", "d": "P2", "e": "P2"}
    p = pairwise(gold, pred)  # gold pairs ab ac bc de; predicted ab cd ce de; shared ab de
    assert (p.precision, p.recall, p.f1) == (0.5, 0.5, 0.5)
    b = bcubed(gold, pred)
    # precision a,b: 2/2; c: 1/3; d,e: 2/3 -> (1+1+1/3+2/3+2/3)/5 = 11/15
    # recall a,b: 2/3; c: 1/3; d,e: 2/2 -> (2/3+2/3+1/3+1+1)/5 = 11/15
    assert b.precision == pytest.approx(11 / 15) and b.recall == pytest.approx(11 / 15)


def test_metrics_at_the_extremes() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    singletons = {"a": "x", "b": "y", "c": "z"}
    assert pairwise(gold, singletons).precision is None  # nothing predicted together
    assert pairwise(gold, singletons).recall == 0.0
    b = bcubed(gold, singletons)
    assert b.precision == 1.0 and b.recall == pytest.approx((0.5 + 0.5 + 1) / 3)
    lumped = {"a": "x", "b": "x", "c": "x"}
    assert pairwise(gold, lumped).precision == pytest.approx(1 / 3)
    assert bcubed(gold, lumped).recall == 1.0
    with pytest.raises(ValueError, match="differ in items"):
        bcubed(gold, {"a": 1})


def test_the_bundled_cluster_files_load_and_name_existing_records() -> None:
    for path in sorted((ROOT / "evals" / "clusters").glob("*.json")):
        clusters = load_clusters(path)
        assert clusters.format == "sitrep-gold-clusters/1" and clusters.labelled_by
    sitrep = load_clusters(ROOT / "evals" / "clusters" / "sitrep_gold.json")
    from store.scoring.gold import gold_items

    refs = {ref for ref, _, _ in gold_items(sitrep, root=ROOT)}
    check_members(sitrep, refs, "sitrep_gold.json")
    assert set(sitrep.fatalities) <= refs


def test_a_bad_cluster_file_names_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    base = {
        "format": "sitrep-gold-clusters/1", "name": "x", "labelled_by": "t", "method": "m",
        "labelled_at": "2026-12-06", "records": {"kind": "sitrep-gold", "folders": []},
    }  # fmt: skip
    path.write_text(json.dumps({**base, "clusters": [{"id": "c1", "members": ["a/E1"]}]}))
    with pytest.raises(ClusterError, match=r"c\.json: clusters\.0\.members"):
        load_clusters(path)
    twice = [{"id": "c1", "members": ["a/E1", "b/E1"]}, {"id": "c2", "members": ["a/E1", "c/E1"]}]
    path.write_text(json.dumps({**base, "clusters": twice}))
    with pytest.raises(ClusterError, match="a/E1 is in clusters 'c1' and 'c2'"):
        load_clusters(path)
    path.write_text(json.dumps({**base, "clusters": twice[:1]}))
    with pytest.raises(ClusterError, match="no record 'b/E1'"):
        check_members(load_clusters(path), {"a/E1"}, str(path))


INVENTED_TEMPLATE = """0.  MESSAGE: ID                     TST-INVENTED-0001 (SYNTHETIC)
1.  MESSAGE: TEMPLATE               3
2.  INCIDENT: DATE                  02 FEB 90 - 04 FEB 90
3.  INCIDENT: LOCATION              NOWHERE: EAST (DEPARTMENT): SOMETOWN (CITY) - MARKET
4.  INCIDENT: TYPE                  KIDNAPPING
5.  INCIDENT: STAGE OF EXECUTION    ACCOMPLISHED
10. PERP: ORGANIZATION ID           "INVENTED FRONT" / "IF"
18. HUM TGT: NAME                   "A. PERSON"
19. HUM TGT: DESCRIPTION            "VILLAGERS"
21. HUM TGT: NUMBER                 1: "A. PERSON"
                                    PLURAL: "VILLAGERS"
23. HUM TGT: EFFECT OF INCIDENT     DEATH: "A. PERSON"
                                    DEATH: "VILLAGERS"
"""


def test_muc4_templates_become_events() -> None:
    (template,) = parse_templates(INVENTED_TEMPLATE)
    ref, e = to_event(template)
    assert ref == "TST-INVENTED-0001/E3" and e.sub_type.value == "abduction_forced_disappearance"
    assert (e.date.value.isoformat() if e.date.value else None, e.date.precision.value) == (
        "1990-02-04",
        "week",
    )
    assert (e.location.country, e.location.admin1, e.location.place) == (
        "Nowhere",
        "EAST",
        "SOMETOWN",
    )
    assert [a.name for a in e.perpetrators] == ["INVENTED FRONT"]
    figure = e.casualties[0]
    assert (figure.low, figure.best, figure.high, figure.qualifier.value) == (
        1,
        1,
        None,
        "at_least",
    )
    before = dict(template, **{"INCIDENT: DATE": ["- 04 FEB 90"]})
    assert to_event(before)[1].date.value is None  # on or before: the start is open


def clusters(members: list[list[str]], fatalities: dict[str, int] | None = None) -> GoldClusters:
    return GoldClusters.model_validate({
        "format": "sitrep-gold-clusters/1", "name": "t", "labelled_by": "t", "method": "m",
        "labelled_at": "2026-12-06", "records": {"kind": "sitrep-gold"},
        "clusters": [
            {"id": f"c{i}", "members": m, "fatalities": (fatalities or {}).get(m[0])}
            for i, m in enumerate(members)
        ],
    })  # fmt: skip


def test_the_harness_merges_and_scores_with_fatality_error() -> None:
    items = [
        ("a1/E1", "a1", event(place="Koya", killed=4)),
        ("a2/E1", "a2", event(place="Koya", killed=6)),
        ("a3/E1", "a3", event(place="Zakho", killed=1)),
        ("a4/E1", "a4", event(place="Zakho", date="2022-10-20", killed=2)),
    ]
    assignment, fatalities = merge_items(items)
    gold = clusters([["a1/E1", "a2/E1"], ["a3/E1", "a4/E1"]], {"a1/E1": 5, "a3/E1": 1})
    s = score(assignment, fatalities, gold)
    assert (s.gold_incidents, s.predicted_incidents, s.gold_pairs) == (2, 3, 2)
    assert (s.pairwise.precision, s.pairwise.recall) == (1.0, 0.5)
    assert (s.fatality_incidents, s.fatality_mae, s.fatality_exact) == (2, 0.5, 1)


def test_a_second_run_of_the_same_articles_merges_into_the_same_incidents() -> None:
    first = [("a1/E1", "a1", event(place="Koya")), ("a1/E2", "a1", event(place="Zakho"))]
    second = [(SECOND_RUN + ref, article, e) for ref, article, e in first]
    assignment, fatalities = merge_items(first + second)
    s = score(assignment, fatalities, clusters([]))
    assert (s.gold_incidents, s.predicted_incidents, s.pairwise.f1) == (2, 2, 1.0)


def test_the_benchmark_scores_its_merge_from_cluster_sizes() -> None:
    from benchmarks.store import pairwise_scores

    truth, predicted = [0, 0, 1, 1, 2], ["a", "a", "a", "b", "c"]
    gold = {str(i): t for i, t in enumerate(truth)}
    pred = {str(i): p for i, p in enumerate(predicted)}
    p = pairwise(gold, pred)
    assert pairwise_scores(truth, predicted) == (p.precision, p.recall) == (1 / 3, 1 / 2)
