"""`sitrep label` and `sitrep review --stats` through their typer commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from labelling_support import ARTICLE_ID, make_folder, submission_from_draft
from typer.testing import CliRunner

from evals.dataset import articles_dir
from evals.gold import GoldFile
from labelling.cli import label, review
from labelling.store import LabellingFolder
from labelling.submission import Submission, build_gold

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("label")(label)
    app.command("review")(review)
    return app


def _no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SITREP_MODEL", "SITREP_BASE_URL", "SITREP_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def _copy_article(tmp_path: Path) -> Path:
    src = articles_dir() / f"{ARTICLE_ID}.txt"
    dst = tmp_path / "in" / f"{ARTICLE_ID}.txt"
    dst.parent.mkdir(parents=True)
    dst.write_bytes(src.read_bytes())
    return dst


def test_label_drafts_with_the_baseline_without_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = pytest.importorskip("extraction.baseline")
    if not hasattr(baseline, "extract_baseline"):
        pytest.skip("extraction.baseline.extract_baseline is not there yet")
    _no_keys(monkeypatch)
    source = _copy_article(tmp_path)
    lab = tmp_path / "lab"
    res = runner.invoke(_app(), ["label", str(source), "--dir", str(lab)])
    assert res.exit_code == 0, res.output
    assert "offline baseline" in res.stderr
    assert f"{ARTICLE_ID}: drafts/{ARTICLE_ID}.json" in res.stdout
    assert (lab / "articles" / f"{ARTICLE_ID}.txt").read_bytes() == source.read_bytes()
    raw = json.loads((lab / "drafts" / f"{ARTICLE_ID}.json").read_text(encoding="utf-8"))
    draft = GoldFile.model_validate(raw)
    assert draft.provenance.status == "draft"
    assert draft.provenance.draft_producer is not None
    assert draft.provenance.draft_producer.kind == "baseline"
    assert draft.provenance.drafted_by == draft.provenance.draft_producer.name
    assert draft.provenance.draft_run is not None and draft.provenance.draft_run.startswith(
        "label-"
    )
    assert LabellingFolder(lab).draft(ARTICLE_ID) is not None  # loads against the article

    again = runner.invoke(_app(), ["label", str(source), "--dir", str(lab)])
    assert again.exit_code == 0 and "skipped" in again.stdout
    forced = runner.invoke(_app(), ["label", str(source), "--dir", str(lab), "--force"])
    assert forced.exit_code == 0
    assert [p.name.split(".")[1] for p in (lab / "history").iterdir()] == ["draft"]


def test_label_reports_bad_input_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_keys(monkeypatch)
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01binary")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    # A local model needs no key; nothing reaches it because both inputs are refused first.
    res = runner.invoke(
        _app(),
        [
            "label",
            str(binary),
            str(empty),
            "--dir",
            str(tmp_path / "lab"),
            "--model",
            "ollama/llama3.1",
        ],
    )
    assert res.exit_code == 1
    assert f"{binary}: looks binary" in res.stderr
    assert f"{empty}: the file is empty" in res.stderr
    assert not (tmp_path / "lab" / "drafts").exists()


def test_label_with_a_model_but_no_key_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_keys(monkeypatch)
    source = _copy_article(tmp_path)
    res = runner.invoke(
        _app(),
        ["label", str(source), "--dir", str(tmp_path / "lab"), "--model", "openai/gpt-4.1-mini"],
    )
    assert res.exit_code == 2
    assert "API key" in res.stderr
    assert not (tmp_path / "lab").exists()


def test_review_refuses_a_folder_that_is_not_a_labelling_folder(tmp_path: Path) -> None:
    res = runner.invoke(_app(), ["review", str(tmp_path / "nowhere"), "--no-open"])
    assert res.exit_code == 2
    assert "is not a labelling folder" in res.stderr


def test_review_stats_reports_acceptance_per_field(tmp_path: Path) -> None:
    folder, article = make_folder(tmp_path / "lab")
    raw = submission_from_draft(folder)
    raw["records"]["events"][0]["casualties"][1]["best"] = 3
    raw["decisions"] = {"events.E1.casualties.0.best": "accepted"}
    gold = build_gold(
        Submission.model_validate(raw),
        article,
        draft=folder.draft(ARTICLE_ID),
        previous=None,
        reviewer="ana",
    )
    folder.write_gold(gold, base_sha256=None)
    res = runner.invoke(_app(), ["review", str(tmp_path / "lab"), "--stats", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["gold_files"] == 1
    best = next(r for r in data["fields"] if r["field"] == "events.*.casualties.*.best")
    # two drafted values: one confirmed, one changed
    assert (best["confirmed"], best["changed"], best["acceptance"]) == (1, 1, 0.5)
    table = runner.invoke(
        _app(), ["review", str(tmp_path / "lab"), "--stats"], env={"COLUMNS": "120"}
    )
    assert table.exit_code == 0 and "events.*.casualties.*.best" in table.stdout


def test_label_accepts_jsonl_with_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = pytest.importorskip("extraction.baseline")
    if not hasattr(baseline, "extract_baseline"):
        pytest.skip("extraction.baseline.extract_baseline is not there yet")
    _no_keys(monkeypatch)
    text = (articles_dir() / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text(
        json.dumps(
            {
                "id": "upi-1",
                "text": text,
                "outlet": "UPI",
                "publication_date": "2022-11-14",
                "publication_date_source": "metadata",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    res = runner.invoke(_app(), ["label", str(jsonl), "--dir", str(tmp_path / "lab")])
    assert res.exit_code == 0, res.output
    art = LabellingFolder(tmp_path / "lab").article("upi-1")
    assert art.text == text and art.outlet == "UPI"
    assert str(art.publication_date) == "2022-11-14"
    shutil.rmtree(tmp_path / "lab")
