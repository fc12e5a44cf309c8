"""ACLED, UCDP-style and JSONL exports, and that an export never overwrites a user's file.
SYNTHETIC: every record here is invented (store.synthetic)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from schemas.event import Actor
from store.api import EventStore
from store.export import export
from store.incidents import Incident
from store.output import ExportError
from store.synthetic import event, result_record

ACLED_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    s = EventStore(tmp_path / "events.sqlite")
    strike = dict(
        place="Koya",
        perpetrators=[
            Actor(name="IRGC", category="external_forces"),
            Actor(name="Quds Force", category="external_forces"),
        ],
        targets=[Actor(name="civilians in a camp", category="civilians")],
    )
    s.add_records(
        [
            result_record("a1", events=[event(killed=9, **strike)]),  # type: ignore[arg-type]
            result_record("a2", events=[event(killed=13, **strike)]),  # type: ignore[arg-type]
            result_record("a3", events=[event(place="Zakho", date=None, targets=())]),
        ]
    )
    return s


def read_acled(path: Path) -> tuple[list[str] | None, list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return (list(reader.fieldnames) if reader.fieldnames else None), rows


def test_acled_csv_round_trips_with_exactly_acleds_columns(
    store: EventStore, tmp_path: Path
) -> None:
    out = tmp_path / "acled.csv"
    assert export(store, "acled", out) == 2
    header, rows = read_acled(out)
    assert header == ACLED_HEADER
    strike = rows[0]
    assert strike["event_id_cnty"] == "INC-000001"
    assert (strike["event_date"], strike["year"], strike["time_precision"]) == (
        "2022-09-28",
        "2022",
        "1",
    )
    assert strike["event_type"] == "Explosions/Remote violence"
    assert strike["sub_event_type"] == "Air/drone strike"
    assert (strike["actor1"], strike["assoc_actor_1"]) == ("IRGC", "Quds Force")
    assert (strike["inter1"], strike["inter2"]) == ("External/Other forces", "Civilians")
    assert strike["interaction"] == "External/Other forces-Civilians"
    assert strike["civilian_targeting"] == "Civilian targeting"
    assert (strike["iso"], strike["country"], strike["admin1"]) == ("368", "Iraq", "")
    assert strike["fatalities"] == "9"  # the most conservative of 9 and 13
    assert strike["source"] == "a1; a2"
    assert "9 killed (reports range 9-13)" in strike["notes"]
    for unknown in ("region", "admin3", "latitude", "longitude", "source_scale", "tags"):
        assert strike[unknown] == "", unknown
    undated = rows[1]
    assert (undated["event_date"], undated["year"], undated["fatalities"]) == ("", "", "0")


def test_ucdp_csv_has_low_best_high(store: EventStore, tmp_path: Path) -> None:
    out = tmp_path / "ged.csv"
    export(store, "ucdp", out)
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert (rows[0]["low"], rows[0]["best"], rows[0]["high"]) == ("9", "9", "13")
    assert (rows[0]["date_start"], rows[0]["date_prec"], rows[0]["number_of_sources"]) == (
        "2022-09-28",
        "1",
        "2",
    )
    assert rows[1]["best"] == ""


def test_jsonl_holds_whole_incidents(store: EventStore, tmp_path: Path) -> None:
    out = tmp_path / "incidents.jsonl"
    export(store, "jsonl", out)
    incidents = [Incident.model_validate(json.loads(line)) for line in out.read_text().splitlines()]
    assert [len(i.sources) for i in incidents] == [2, 1]
    assert incidents[0].killed is not None and incidents[0].killed.high == 13


@pytest.mark.parametrize("fmt", ["acled", "ucdp", "jsonl"])
def test_an_export_never_overwrites_a_file_that_is_not_one(
    store: EventStore, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "mine.txt"
    out.write_text("a user's own notes\n")
    with pytest.raises(ExportError, match="pass --overwrite"):
        export(store, fmt, out)  # type: ignore[arg-type]
    assert out.read_text() == "a user's own notes\n"
    assert export(store, fmt, out, overwrite=True) == 2  # type: ignore[arg-type]


def test_a_previous_export_of_the_same_format_is_replaced(
    store: EventStore, tmp_path: Path
) -> None:
    out = tmp_path / "acled.csv"
    export(store, "acled", out)
    store.add_records([result_record("a4", place="Soran")])
    assert export(store, "acled", out) == 3
    with pytest.raises(ExportError):
        export(store, "ucdp", out)  # an ACLED file is not a UCDP export
    assert len(read_acled(out)[1]) == 3
