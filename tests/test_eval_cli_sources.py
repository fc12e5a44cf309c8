"""`sitrep eval --labels DIR` and `--articles --gold`: score any labelled set."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "004_e97ecd4b04c18fb5"


def _labelling_folder(tmp_path: Path, *, status: str = "reviewed") -> Path:
    labels = tmp_path / "labels"
    (labels / "articles").mkdir(parents=True)
    (labels / "gold").mkdir()
    shutil.copy(ROOT / "evals" / "articles" / f"{ARTICLE}.txt", labels / "articles")
    gold = json.loads((ROOT / "evals" / "gold" / f"{ARTICLE}.json").read_text(encoding="utf-8"))
    gold["provenance"]["status"] = status
    (labels / "gold" / f"{ARTICLE}.json").write_text(json.dumps(gold), encoding="utf-8")
    return labels


def _run_json(out: Path) -> dict[str, Any]:
    (run_dir,) = list(out.iterdir())
    data: dict[str, Any] = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    return data


def test_eval_on_a_labelling_folder_scores_only_its_articles(tmp_path: Path) -> None:
    labels = _labelling_folder(tmp_path)
    out = tmp_path / "runs"
    result = CliRunner().invoke(
        app, ["eval", "--labels", str(labels), "--out", str(out), "--resamples", "50"]
    )
    assert result.exit_code == 0, result.output
    run = _run_json(out)
    assert run["dataset"]["article_ids"] == [ARTICLE]
    assert run["producer"]["kind"] == "baseline"


def test_draft_gold_is_left_out_and_said(tmp_path: Path) -> None:
    labels = _labelling_folder(tmp_path, status="draft")
    result = CliRunner().invoke(app, ["eval", "--labels", str(labels), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "still a draft (not reviewed)" in result.output
    assert "no gold files" in result.output


def test_articles_needs_gold_and_labels_excludes_both(tmp_path: Path) -> None:
    runner = CliRunner()
    alone = runner.invoke(app, ["eval", "--articles", str(tmp_path)])
    assert alone.exit_code == 2 and "--articles needs --gold" in alone.output
    both = runner.invoke(app, ["eval", "--labels", str(tmp_path), "--gold", str(tmp_path)])
    assert both.exit_code == 2 and "cannot be combined" in both.output


def test_bad_article_in_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "broken.txt").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "g").mkdir()
    result = CliRunner().invoke(
        app, ["eval", "--articles", str(tmp_path / "a"), "--gold", str(tmp_path / "g")]
    )
    assert result.exit_code == 2
    assert "broken.txt" in result.output and "not valid UTF-16" in result.output


def test_model_eval_goes_through_the_response_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second identical `sitrep eval --model` is answered from the cache: no HTTP call.
    The server is the scripted loopback server of the benchmarks (not a model)."""
    from benchmarks.loopback import ThreadedServer

    for name in ("SITREP_MODEL", "SITREP_BASE_URL", "SITREP_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path / "cache"))
    labels = _labelling_folder(tmp_path)
    with ThreadedServer() as server:
        args = ["eval", "--labels", str(labels), "--model", "scripted-loopback"]
        args += ["--base-url", server.url, "--resamples", "20"]
        first = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "a")])
        assert first.exit_code == 0, first.output
        calls = server.stats.requests
        second = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "b")])
        assert second.exit_code == 0, second.output
        assert calls >= 1
        assert server.stats.requests == calls
    run = _run_json(tmp_path / "b")
    assert run["producer"]["kind"] == "model"
    assert run["producer"]["name"] == "scripted-loopback"
