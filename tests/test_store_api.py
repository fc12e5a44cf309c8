"""The event store as a library: idempotent adds, removal, stable ids, splits that are
remembered, toll revisions. SYNTHETIC: every record here is invented (store.synthetic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.batch.results import ResultRecord
from store.api import ArticleInfo, EventStore, StoreError
from store.synthetic import event, result_record


def members(store: EventStore) -> dict[str, list[str]]:
    return {i.id: [f"{s.article_id}/{s.event_id}" for s in i.sources] for i in store.incidents()}


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    return EventStore(tmp_path / "events.sqlite")


def three_reports(run: str = "run-a") -> list[ResultRecord]:
    return [
        result_record("a1", run_key=run, place="Koya", killed=2),
        result_record("a2", run_key=run, place="Koya", killed=5),
        result_record("a3", run_key=run, place="Zakho", killed=1),
    ]


def test_reports_of_one_attack_merge_and_another_place_stays_apart(store: EventStore) -> None:
    store.add_records(three_reports())
    assert members(store) == {"INC-000001": ["a1/E1", "a2/E1"], "INC-000002": ["a3/E1"]}


def test_adding_the_same_records_twice_changes_nothing(store: EventStore) -> None:
    store.add_records(three_reports())
    before = (members(store), store.counts())
    again = store.add_records(three_reports())
    assert (again.unchanged, again.added, again.events) == (3, 0, 0)
    assert (members(store), store.counts()) == before


def test_removing_a_run_removes_its_contributions_and_keeps_other_ids(store: EventStore) -> None:
    store.add_records(three_reports("run-a"))
    store.add_records([result_record("b1", run_key="run-b", place="Koya", killed=9)])
    assert members(store)["INC-000001"] == ["a1/E1", "a2/E1", "b1/E1"]
    assert store.remove_run("run-b") == ("run-b", 1)
    assert members(store) == {"INC-000001": ["a1/E1", "a2/E1"], "INC-000002": ["a3/E1"]}
    store.remove_run("run-a")
    assert store.counts() == {"runs": 0, "articles": 0, "reports": 0, "incidents": 0}


def test_incident_ids_are_stable_and_never_reused(store: EventStore) -> None:
    store.add_records([result_record("a1", run_key="r1", place="Zakho")])
    store.add_records([result_record("a2", run_key="r2", place="Koya")])
    store.remove_run("r1")
    store.add_records([result_record("a3", run_key="r3", place="Zakho", date="2023-01-05")])
    assert store.incident_ids() == ["INC-000002", "INC-000003"]


def test_a_run_prefix_names_a_run_and_an_unknown_run_is_an_error(store: EventStore) -> None:
    store.add_records(three_reports("run:abc123"))
    assert store.remove_run("run:abc")[0] == "run:abc123"
    with pytest.raises(StoreError, match="no run 'nope'"):
        store.remove_run("nope")


def test_a_split_is_remembered_across_later_adds_and_re_adding_the_run(store: EventStore) -> None:
    store.add_records(three_reports())
    new_id = store.split("INC-000001", ["a2/E1"], note="different strikes")
    assert members(store)[new_id] == ["a2/E1"]
    store.add_records([result_record("a4", run_key="run-b", place="Koya", killed=2)])
    after = members(store)
    assert ["a1/E1", "a4/E1"] in after.values() and after[new_id] == ["a2/E1"]
    assert any(d.action == "split" for d in store.incident(new_id).decisions)
    store.remove_run("run-a")
    store.add_records(three_reports())
    together = next(m for m in members(store).values() if "a1/E1" in m)
    assert "a2/E1" not in together


def test_split_errors_name_what_is_wrong(store: EventStore) -> None:
    store.add_records(three_reports())
    with pytest.raises(StoreError, match="has no report 'a9/E1'"):
        store.split("INC-000001", ["a9/E1"])
    with pytest.raises(StoreError, match="would leave it empty"):
        store.split("INC-000001", ["a1/E1", "a2/E1"])
    assert members(store)["INC-000001"] == ["a1/E1", "a2/E1"]


def test_every_decision_is_recorded_with_its_reasons(store: EventStore) -> None:
    store.add_records(three_reports())
    decisions = store.incident("INC-000001").decisions
    assert [d.action for d in decisions] == ["new", "merged"]
    assert any("same day +2" in r for r in decisions[1].reasons["merged"])
    store.add_records([result_record("a4", place="Soran")])
    lone = store.incident("INC-000003").decisions[0]
    assert lone.action == "new"
    assert "different admin2 (soran / koya)" in lone.reasons["kept_apart"][0]["reasons"][0]


def test_a_later_cumulative_toll_revises_the_figure_with_history(store: EventStore) -> None:
    store.add_records([result_record("a1", place="Koya", killed=5)])
    store.add_records(
        [result_record("a2", place="Koya", killed=13, killed_quote="the death toll rose to 13")]
    )
    incident = store.incident("INC-000001")
    assert incident.fatalities == 13 and incident.killed is not None
    assert [f.source for f in incident.killed.superseded] == ["a1"]
    assert [(r.cause, r.best) for r in incident.revisions] == [("add", 5), ("add", 13)]


def test_a_changed_record_replaces_the_old_one(store: EventStore) -> None:
    store.add_records([result_record("a1", place="Koya", killed=5)])
    summary = store.add_records([result_record("a1", place="Zakho", killed=5)])
    assert (summary.replaced, store.counts()["reports"]) == (1, 1)
    assert store.incident(store.incident_ids()[0]).place.place == "Zakho"


def test_a_bad_line_is_reported_with_file_and_line_and_the_rest_goes_in(
    store: EventStore, tmp_path: Path
) -> None:
    path = tmp_path / "results.jsonl"
    good = [r.model_dump_json() for r in three_reports()]
    path.write_text(good[0] + "\n{not json\n" + good[1] + "\n")
    summary = store.add(path)
    assert summary.errors and summary.errors[0].startswith(f"{path}:2: not a valid result record")
    assert store.counts()["reports"] == 2


def test_threatened_events_stay_out_and_failed_records_are_skipped(store: EventStore) -> None:
    failed = result_record("a2").model_copy(update={"status": "error", "extraction": None})
    threat = result_record("a1", events=[event(standing="threatened")])
    summary = store.add_records([threat, failed])
    assert (summary.out_of_scope, summary.failed_records, store.counts()["incidents"]) == (1, 1, 0)


def test_article_metadata_gives_outlet_and_publication_date(store: EventStore) -> None:
    import datetime as dt

    info = {"a1": ArticleInfo(outlet="Invented Wire", published=dt.date(2022, 9, 29))}
    store.add_records([result_record("a1", place="Koya")], articles=info)
    source = store.incident("INC-000001").sources[0]
    assert (source.outlet, source.published) == ("Invented Wire", dt.date(2022, 9, 29))


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("my notes")
    with pytest.raises(StoreError, match="not an SQLite file"):
        EventStore(path)
    assert path.read_text() == "my notes"


def test_removing_the_report_that_tied_two_others_together_separates_them(
    store: EventStore,
) -> None:
    a = result_record("a", run_key="r1", place="Koya", targets=("PDKI",))
    c = result_record("c", run_key="r1", place="Koya", targets=("Komala",))
    b = result_record("b", run_key="r2", place="Koya", targets=("PDKI", "Komala"))
    store.add_records([a])
    store.add_records([b])
    store.add_records([c])
    assert members(store) == {"INC-000001": ["a/E1", "b/E1", "c/E1"]}
    store.remove_run("r2")
    assert members(store) == {"INC-000001": ["a/E1"], "INC-000002": ["c/E1"]}
    assert store.incident("INC-000002").decisions[-1].action == "re-placed"
