"""Runs: extraction with any callable, the run directory, re-scoring and diffs (synthetic data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval_support import ARTICLE, ARTICLE2, PRODUCER, degraded, perfect, two_golds

from evals.diff import diff_runs
from evals.harness import rescore_run, run_eval
from evals.runs import PREDICTIONS_FILE, RUN_FILE, RunError, read_run
from evals.score import evaluate
from schemas import Article, ArticleExtraction

ARTICLES = [ARTICLE, ARTICLE2]


def test_run_eval_writes_a_complete_run(tmp_path: Path) -> None:
    run = run_eval(perfect, ARTICLES, two_golds(), tmp_path, producer=PRODUCER, resamples=200)
    assert run.run_dir.parent == tmp_path
    assert run.run_dir.name.endswith("_baseline-synthetic-baseline")
    info = json.loads((run.run_dir / RUN_FILE).read_text(encoding="utf-8"))
    assert info["producer"] == {
        **info["producer"],
        "kind": "baseline",
        "name": "synthetic-baseline",
    }
    assert info["dataset"]["n_articles"] == 2
    assert info["dataset"]["hash"].startswith("sha256:")
    assert info["gold"]["n_files"] == 2
    assert info["totals"]["cost_usd"] is None
    assert info["code_revision"]
    lines = (run.run_dir / PREDICTIONS_FILE).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["record"]["article_id"] for line in lines] == [ARTICLE.id, ARTICLE2.id]
    assert info["status"] == "success" and info["finished_at"] is not None
    assert run.result.field("event").f1 == 1.0
    assert not list(run.run_dir.glob(".*tmp"))  # no temporary file left behind


def test_a_failing_article_is_recorded_and_scored_as_missed(tmp_path: Path) -> None:
    def flaky(article: Article) -> ArticleExtraction:
        if article.id == ARTICLE2.id:
            raise TimeoutError("the model did not answer")
        return perfect(article)

    run = run_eval(flaky, ARTICLES, two_golds(), tmp_path, producer=PRODUCER, resamples=50)
    assert run.result.errors == {ARTICLE2.id: "TimeoutError: the model did not answer"}
    assert run.info.status == "success"
    assert run.info.totals.n_errors == 1
    event = run.result.field("event")
    assert (event.support, event.predicted, event.recall) == (3, 2, pytest.approx(2 / 3))
    _, lines = read_run(run.run_dir)
    assert lines[1].failure is not None and lines[1].extraction is None


def test_a_plain_function_needs_a_named_producer(tmp_path: Path) -> None:
    def broken(article: Article) -> ArticleExtraction:
        raise RuntimeError("no")

    with pytest.raises(ValueError, match="pass producer="):
        run_eval(broken, ARTICLES, two_golds(), tmp_path, resamples=10)
    assert not list(tmp_path.iterdir())  # refused before any run directory was made
    run = run_eval(broken, ARTICLES, two_golds(), tmp_path, producer=PRODUCER, resamples=10)
    assert run.info.producer.kind == "baseline"
    assert run.result.field("event").f1 == 0.0


def test_rescore_reproduces_the_stored_scores(tmp_path: Path) -> None:
    run = run_eval(
        degraded, ARTICLES, two_golds(), tmp_path / "runs", producer=PRODUCER, resamples=300
    )
    again = rescore_run(run.run_dir, ARTICLES, two_golds(), resamples=300)
    assert again.run_dir != run.run_dir
    assert again.info.rescored_from == run.info.run_id
    assert again.info.producer == run.info.producer
    info, lines = read_run(run.run_dir)
    stored = info.result([line.score for line in lines if line.score is not None])
    assert again.result.fields == stored.fields
    assert again.result.rates == stored.rates
    assert [d.model_dump() for d in again.result.docs] == [d.model_dump() for d in stored.docs]


def test_rescore_against_changed_gold_changes_the_scores(tmp_path: Path) -> None:
    run = run_eval(degraded, ARTICLES, two_golds(), tmp_path, producer=PRODUCER, resamples=50)
    golds = two_golds()
    golds.pop(ARTICLE2.id)
    again = rescore_run(run.run_dir, ARTICLES, golds, resamples=50)
    assert again.result.article_ids == [ARTICLE.id]
    assert again.info.gold.n_files == 1
    assert again.info.gold.hash != run.info.gold.hash


def test_diff_of_identical_runs_is_zero(tmp_path: Path) -> None:
    run = run_eval(degraded, ARTICLES, two_golds(), tmp_path, producer=PRODUCER, resamples=100)
    info, lines = read_run(run.run_dir)
    result = info.result([line.score for line in lines if line.score is not None])
    diff = diff_runs(info, result.docs, info, result.docs, resamples=100)
    defined = [d for d in [*diff.fields, *diff.rates] if d.delta is not None]
    assert defined
    assert all(d.delta == 0.0 for d in defined)
    assert all(d.ci is not None and d.ci.low == 0.0 == d.ci.high for d in defined)
    assert diff.flips == []
    assert diff.regressions(0.0) == []


def test_diff_finds_flips_and_regressions(tmp_path: Path) -> None:
    good = run_eval(perfect, ARTICLES, two_golds(), tmp_path, producer=PRODUCER, resamples=100)
    bad = run_eval(degraded, ARTICLES, two_golds(), tmp_path, producer=PRODUCER, resamples=100)
    diff = diff_runs(good.info, good.result.docs, bad.info, bad.result.docs, resamples=100)
    event = next(d for d in diff.fields if d.name == "event")
    assert (event.a, event.b) == (1.0, pytest.approx(2 * 2 / (3 + 2)))
    assert event.delta is not None and event.delta < 0
    broken = {(f.article_id, f.field, f.gold_id) for f in diff.flips if f.direction == "broken"}
    assert (ARTICLE.id, "event", "E2") in broken
    assert (ARTICLE.id, "statement.kind", "S1") in broken
    assert all(f.direction == "broken" for f in diff.flips)
    assert "event" in {d.name for d in diff.regressions(0.01)}
    reverse = diff_runs(bad.info, bad.result.docs, good.info, good.result.docs, resamples=100)
    assert reverse.regressions(0.0) == []
    assert {f.direction for f in reverse.flips} == {"fixed"}


def test_evaluate_reports_unscored_and_missing_predictions() -> None:
    result = evaluate({ARTICLE.id: perfect(ARTICLE), "other": perfect(ARTICLE)}, two_golds())
    assert result.unscored == ["other"]
    assert result.errors == {ARTICLE2.id: "no prediction for this article"}
    assert result.docs[1].status == "missing"
    assert result.rate("grounding.evidence").total == 0  # no article texts given


def test_read_run_errors_name_file_and_line(tmp_path: Path) -> None:
    run = run_eval(perfect, ARTICLES, two_golds(), tmp_path, producer=PRODUCER, resamples=10)
    pred_file = run.run_dir / PREDICTIONS_FILE
    lines = pred_file.read_text(encoding="utf-8").splitlines()
    pred_file.write_text(lines[0] + "\n{not json\n", encoding="utf-8")
    with pytest.raises(RunError, match=rf"{PREDICTIONS_FILE}:2: not valid JSON"):
        read_run(run.run_dir)
    with pytest.raises(RunError, match="not a run directory"):
        read_run(tmp_path / "nope")


def test_run_json_says_started_during_the_run_and_error_after_a_crash(tmp_path: Path) -> None:
    """The run log is written before the first article and completed even when the run dies."""
    seen: list[str] = []

    def crash(article: Article, line: object) -> None:
        [run_dir] = list(tmp_path.iterdir())
        seen.append(json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))["status"])
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        run_eval(perfect, ARTICLES, two_golds(), tmp_path, producer=PRODUCER, on_article=crash)
    assert seen == ["started"]
    [run_dir] = list(tmp_path.iterdir())
    info = json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))
    assert info["status"] == "error" and info["error"] == "RuntimeError: disk full"
    kept = (run_dir / PREDICTIONS_FILE).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["record"]["status"] for line in kept] == ["ok"]
    with pytest.raises(RunError, match="did not complete"):
        read_run(run_dir)
