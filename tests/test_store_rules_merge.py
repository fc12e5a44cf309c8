"""Merge rules as data, and pair decisions. SYNTHETIC: every report here is invented."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from store.merge import choose, decide, decide_incident
from store.reports import Report, report_from_event
from store.rules import RulesError, load_rules
from store.synthetic import event

RULES = load_rules()
DAY = dt.date(2022, 9, 28).toordinal()


def report(article: str = "a1", run: str = "r", **kw: object) -> Report:
    base: dict[str, object] = dict(
        run_key=run,
        article_id=article,
        event_id="E1",
        event_type="explosions_remote_violence",
        sub_type="air_drone_strike",
        standing="reported",
        date_start=DAY,
        date_end=DAY,
        date_precision="day",
        date_phrase=None,
        country="iraq",
        admin1="erbil",
        admin2="koya",
        place=None,
        latitude=None,
        longitude=None,
        perpetrators=frozenset({"irgc", "iran"}),
        targets=frozenset({"pdki"}),
        target_names=frozenset({"pdki"}),
    )
    base.update(kw)
    return Report(**base)  # type: ignore[arg-type]


def test_bundled_rules_load_with_their_values() -> None:
    assert RULES.thresholds.dated == 4.0
    assert RULES.scope.standings == ["reported", "recalled"]
    assert "members" in RULES.names.stop_words


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[thresholds]\ndated = 'high'\n", "[thresholds] dated"),
        ("[weights]\nsame_dayy = 2\n", "[weights] same_dayy"),
        ("[blocking]\nundated_min_place_level = 'street'\n", "[blocking] undated_min_place_level"),
        ("[scope\n", "not valid TOML"),
    ],
)
def test_a_bad_rules_file_is_an_error_naming_file_and_key(
    tmp_path: Path, text: str, where: str
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    with pytest.raises(RulesError) as info:
        load_rules(path)
    assert str(path) in str(info.value) and where in str(info.value)


def test_same_day_same_district_same_target_merges_with_reasons() -> None:
    d = decide(report("a1"), report("a2"), RULES)
    assert d.merge and d.veto is None
    assert "same day +2" in d.reasons and "a target in common +2" in d.reasons


@pytest.mark.parametrize(
    ("change", "veto"),
    [
        ({"admin1": "duhok", "admin2": None}, "different admin1"),
        ({"date_start": DAY + 3, "date_end": DAY + 3}, "dates too far apart"),
        ({"event_type": "battles", "sub_type": "armed_clash"}, "different event types"),
        ({"article_id": "a1"}, "same article in the same run"),
    ],
)
def test_conflicting_evidence_keeps_a_pair_apart(change: dict[str, object], veto: str) -> None:
    d = decide(report("a1"), report("a2", **change), RULES)
    assert not d.merge and d.veto is not None and veto in d.veto


def test_the_same_article_in_another_run_merges() -> None:
    d = decide(report("a1", run="baseline"), report("a1", run="model"), RULES)
    assert d.merge and "the same article in another run +3" in d.reasons


def test_the_date_window_respects_precision_and_slack() -> None:
    month = report("a2", date_start=DAY - 27, date_end=DAY + 2, date_precision="month")
    assert decide(report("a1"), month, RULES).merge
    next_day = report("a2", date_start=DAY + 1, date_end=DAY + 1)  # slack of one day
    assert decide(report("a1"), next_day, RULES).merge
    assert not decide(report("a1"), report("a2", date_start=DAY + 2, date_end=DAY + 2), RULES).merge


def test_different_targets_on_the_same_day_stay_apart() -> None:
    other = report("a2", targets=frozenset({"komala"}), target_names=frozenset({"komala"}))
    d = decide(report("a1"), other, RULES)
    assert not d.merge and "no target in common -3" in d.reasons


def test_target_names_sharing_a_word_agree() -> None:
    a = report(
        "a1", targets=frozenset({"jesuitpriests"}), target_names=frozenset({"jesuit priests"})
    )
    b = report("a2", targets=frozenset({"jesuits"}), target_names=frozenset({"jesuits"}))
    assert "a target in common +2" in decide(a, b, RULES).reasons


def test_coordinates_too_far_apart_are_different_places() -> None:
    a = report("a1", latitude=36.08, longitude=44.63)
    b = report("a2", latitude=35.56, longitude=45.43)  # about 90 km away
    d = decide(a, b, RULES)
    assert not d.merge and d.veto is not None and "km apart" in d.veto
    near = report("a2", latitude=36.09, longitude=44.64)
    assert decide(a, near, RULES).merge


def test_undated_reports_need_more_agreement() -> None:
    a = report("a1", date_start=None, date_end=None, date_precision="unresolved")
    b = report("a2", date_start=None, date_end=None, date_precision="unresolved")
    d = decide(a, b, RULES)  # same district +2, sub-type +1, perpetrator +1, target +2 = 6
    assert d.merge and d.reasons[-1].startswith("6 ≥ 6")
    weaker = dataclasses.replace(b, admin2=None)
    assert not decide(a, weaker, RULES).merge


def test_an_incident_takes_a_report_only_if_every_member_is_compatible() -> None:
    members = [report("a2"), report("a3", admin2="soran")]
    d = decide_incident(report("a1"), "INC-1", members, RULES)
    assert not d.merge and "different admin2" in d.reasons[0]
    ok = decide_incident(report("a1"), "INC-2", [report("a2")], RULES)
    assert choose([d, ok]) is ok


def test_reports_from_events_use_the_gazetteer_for_places_and_actors() -> None:
    r = report_from_event(
        event(place="Koysinjaq", perpetrators=("the Revolutionary Guards",)),
        run_key="r",
        article_id="a1",
    )
    assert (r.country, r.admin1, r.admin2) == ("iraq", "erbil", "koya")
    assert {"irgc", "iran"} <= r.perpetrators


def test_different_perpetrators_count_against_a_merge() -> None:
    other = report("a2", perpetrators=frozenset({"islamicstate"}))
    d = decide(report("a1"), other, RULES)
    assert "no perpetrator in common -1" in d.reasons
    assert d.score == decide(report("a1"), report("a2"), RULES).score - 2
