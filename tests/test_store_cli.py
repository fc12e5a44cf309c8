"""``sitrep store`` through typer's CliRunner: exit codes and messages.
SYNTHETIC: every record here is invented (store.synthetic)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from store.synthetic import result_record

runner = CliRunner()


@pytest.fixture
def results(tmp_path: Path) -> Path:
    path = tmp_path / "results.jsonl"
    records = [
        result_record("a1", place="Koya", killed=2),
        result_record("a2", place="Koya", killed=5),
        result_record("a3", place="Zakho"),
    ]
    path.write_text("".join(r.model_dump_json() + "\n" for r in records))
    return path


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["store", *args])
    return result.exit_code, result.output


def test_add_list_show_split_export_remove(results: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "events.sqlite")
    code, out = run("add", str(results), "--store", db)
    assert code == 0 and "2 incidents from 3 reports" in out
    code, out = run("list", "--store", db)
    assert code == 0 and "INC-000001" in out and "INC-000002" in out
    code, out = run("show", "INC-000001", "--json", "--store", db)
    assert code == 0 and len(json.loads(out)["sources"]) == 2
    code, out = run("split", "INC-000001", "a2/E1", "--store", db)
    assert code == 0 and "into INC-000003" in out
    code, out = run("add", str(results), "--store", db)
    assert code == 0 and "3 unchanged" in out
    out_csv = tmp_path / "acled.csv"
    code, out = run("export", "--format", "acled", "--out", str(out_csv), "--store", db)
    assert code == 0 and "wrote 3 incidents" in out
    with out_csv.open(newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 3
    code, out = run("remove", "synthetic", "--store", db)
    assert code == 0 and "3 reports" in out


def test_usage_errors_exit_2_and_name_the_file(results: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "events.sqlite")
    code, out = run("list", "--store", db)
    assert code == 2 and "no such store" in out
    run("add", str(results), "--store", db)
    assert run("show", "INC-999999", "--store", db)[0] == 2
    assert run("remove", "no-such-run", "--store", db)[0] == 2
    assert run("add", str(tmp_path / "missing.jsonl"), "--store", db)[0] == 2
    mine = tmp_path / "mine.csv"
    mine.write_text("keep me\n")
    code, out = run("export", "--format", "ucdp", "--out", str(mine), "--store", db)
    assert code == 2 and "--overwrite" in out and mine.read_text() == "keep me\n"


def test_a_bad_line_exits_1_naming_file_and_line(results: Path, tmp_path: Path) -> None:
    with results.open("a") as fh:
        fh.write("{broken\n")
    code, out = run("add", str(results), "--store", str(tmp_path / "events.sqlite"))
    assert code == 1 and f"{results}:4" in out and "3 articles added" in out


def test_score_prints_coreference_figures_naming_the_producer(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    events = [result_record(a, place="Koya").extraction.events[0] for a in ("a1", "a2")]  # type: ignore[union-attr]
    for article, e in zip(("a1", "a2"), events, strict=True):
        (gold / f"{article}.json").write_text(
            json.dumps({"article_id": article, "records": {"events": [e.model_dump(mode="json")]}})
        )
    clusters = tmp_path / "clusters.json"
    clusters.write_text(
        json.dumps(
            {
                "format": "sitrep-gold-clusters/1",
                "name": "tiny",
                "labelled_by": "test",
                "method": "invented",
                "labelled_at": "2026-12-06",
                "records": {"kind": "sitrep-gold", "folders": ["gold"]},
                "clusters": [{"id": "one", "members": ["a1/E1", "a2/E1"]}],
            }
        )
    )
    code, out = run("score", str(clusters), "--root", str(tmp_path))
    assert code == 0 and "gold records themselves" in out
    row = next(line for line in out.splitlines() if "tiny" in line)
    assert "1.000" in row
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "sitrep-gold-clusters/1"}))
    code, out = run("score", str(bad))
    assert code == 2 and str(bad) in out
