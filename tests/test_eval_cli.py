"""``sitrep eval`` and its sub-commands through typer's CliRunner, mounted as the lead mounts them.

The eval articles are replaced by the synthetic ones and the offline baseline's rules by a
scripted stand-in (a plain function, behind the baseline's backend), so these tests exercise the
command line, not the extractors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from eval_support import ARTICLE, ARTICLE2, degraded, perfect, two_golds, write_gold_dir
from typer.testing import CliRunner

from evals.cli import eval_app
from evals.runs import RUN_FILE, read_run
from schemas import Article, ArticleExtraction

app = typer.Typer()


@app.callback()
def _root() -> None:
    """Stand-in for the sitrep app."""


app.add_typer(eval_app, name="eval")
runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    """Synthetic articles and gold; returns a function setting which stand-in baseline runs and
    giving the common arguments."""
    for name in ("SITREP_MODEL", "SITREP_BASE_URL", "SITREP_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("evals.cli_inputs.load_eval_articles", lambda: [ARTICLE, ARTICLE2])
    gold_dir = write_gold_dir(tmp_path / "gold", list(two_golds().values()))

    def use(fn: Callable[[Article], ArticleExtraction] = perfect) -> list[str]:
        monkeypatch.setattr("extraction.baseline.backend.extract_baseline", fn)
        return ["--gold", str(gold_dir), "--out", str(tmp_path / "runs"), "--resamples", "100"]

    return use


def run_dirs(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "runs").iterdir() if (p / RUN_FILE).exists())


def test_eval_without_a_model_runs_the_baseline_and_says_so(
    env: Callable[..., list[str]], tmp_path: Path
) -> None:
    result = runner.invoke(app, ["eval", *env()])
    assert result.exit_code == 0, result.output
    assert "no model configured" in result.stderr
    assert "Producer: synthetic-baseline (kind baseline)" in result.stdout
    assert "not a model" in result.stdout
    assert "event.sub_type" in result.stdout
    [run] = run_dirs(tmp_path)
    info, lines = read_run(run)
    assert info.producer.kind == "baseline"
    assert info.command is not None and info.command[0].endswith("eval")
    assert len(lines) == 2


def test_fail_under_gates(env: Callable[..., list[str]]) -> None:
    args = env(degraded)
    ok = runner.invoke(app, ["eval", *args, "--fail-under", "event.f1=0.5"])
    assert ok.exit_code == 0, ok.output
    assert "gate event.f1 >= 0.500: 0.800 pass" in ok.stdout
    failed = runner.invoke(
        app, ["eval", *args, "--fail-under", "event.f1=0.9", "--fail-under", "statement.kind.p=0.1"]
    )
    assert failed.exit_code == 1
    assert "gate event.f1 >= 0.900: 0.800 FAIL" in failed.stdout
    assert "gates failed" in failed.stderr


@pytest.mark.parametrize(
    ("gate", "message"),
    [
        ("nonsense.f1=0.5", "no field 'nonsense'"),
        ("event.f1", "expected FIELD.METRIC=VALUE"),
        ("event.accuracy=0.5", "the metric after the last '.'"),
        ("event.f1=1.5", "between 0 and 1"),
        ("event.rate=0.5", "is not a rate"),
    ],
)
def test_bad_gate_is_a_usage_error(env: Callable[..., list[str]], gate: str, message: str) -> None:
    result = runner.invoke(app, ["eval", *env(), "--fail-under", gate])
    assert result.exit_code == 2
    assert message in result.stderr


def test_fail_on_regression(env: Callable[..., list[str]], tmp_path: Path) -> None:
    assert runner.invoke(app, ["eval", *env(perfect)]).exit_code == 0
    [base] = run_dirs(tmp_path)
    same = runner.invoke(app, ["eval", *env(perfect), "--fail-on-regression", str(base)])
    assert same.exit_code == 0, same.output
    worse = runner.invoke(app, ["eval", *env(degraded), "--fail-on-regression", str(base)])
    assert worse.exit_code == 1
    assert "regression event: 1.000 -> 0.800" in worse.stderr
    missing = runner.invoke(app, ["eval", *env(), "--fail-on-regression", str(tmp_path / "no")])
    assert missing.exit_code == 2
    assert "not a run directory" in missing.stderr


def test_a_failed_article_exits_one(env: Callable[..., list[str]]) -> None:
    def flaky(article: Article) -> ArticleExtraction:
        if article.id == ARTICLE2.id:
            raise RuntimeError("model output was not JSON")
        return perfect(article)

    result = runner.invoke(app, ["eval", *env(flaky)])
    assert result.exit_code == 1
    assert "1 article(s) failed to extract" in result.stderr
    assert "RuntimeError: model output was not JSON" in result.stdout


def test_model_without_a_key_is_a_configuration_error(env: Callable[..., list[str]]) -> None:
    result = runner.invoke(app, ["eval", *env(), "--model", "openai/gpt-4.1-mini"])
    assert result.exit_code == 2
    assert "needs an API key" in result.stderr


def test_rescore_reproduces_a_stored_run(env: Callable[..., list[str]], tmp_path: Path) -> None:
    args = env(degraded)
    assert runner.invoke(app, ["eval", *args]).exit_code == 0
    [first] = run_dirs(tmp_path)
    gold = args[args.index("--gold") + 1]
    result = runner.invoke(
        app, ["eval", "rescore", str(first), "--gold", gold, "--resamples", "100"]
    )
    assert result.exit_code == 0, result.output
    runs = run_dirs(tmp_path)
    assert len(runs) == 2
    second = next(r for r in runs if r != first)
    a, b = read_run(first)[0], read_run(second)[0]
    assert b.rescored_from == a.run_id
    assert b.scores["fields"] == a.scores["fields"]
    assert b.scores["rates"] == a.scores["rates"]


def test_diff_of_a_run_with_itself(env: Callable[..., list[str]], tmp_path: Path) -> None:
    assert runner.invoke(app, ["eval", *env(degraded)]).exit_code == 0
    [run] = run_dirs(tmp_path)
    result = runner.invoke(app, ["eval", "diff", str(run), str(run)])
    assert result.exit_code == 0, result.output
    assert "No value flipped" in result.stdout
    as_json = runner.invoke(app, ["eval", "diff", str(run), str(run), "--json"])
    data = json.loads(as_json.stdout)
    deltas = [d["delta"] for d in data["fields"] + data["rates"] if d["delta"] is not None]
    assert deltas and all(d == 0 for d in deltas)


def test_diff_report_and_regression_gate(env: Callable[..., list[str]], tmp_path: Path) -> None:
    assert runner.invoke(app, ["eval", *env(perfect)]).exit_code == 0
    assert runner.invoke(app, ["eval", *env(degraded)]).exit_code == 0
    good, bad = run_dirs(tmp_path)
    if read_run(good)[0].scores["fields"][0]["f1"] != 1.0:
        good, bad = bad, good
    md = runner.invoke(app, ["eval", "diff", str(good), str(bad), "--report", "md"])
    assert md.exit_code == 0
    assert "| event | 1.000 | 0.800 | **-0.200** |" in md.stdout
    assert "synthetic-baseline (baseline)" in md.stdout
    out = tmp_path / "diff.md"
    to_file = runner.invoke(
        app, ["eval", "diff", str(good), str(bad), "--report", "md", "-o", str(out)]
    )
    assert to_file.exit_code == 0 and out.read_text(encoding="utf-8") == md.stdout
    gate = runner.invoke(app, ["eval", "diff", str(good), str(bad), "--fail-on-regression"])
    assert gate.exit_code == 1
    assert "regression event" in gate.stderr
    assert (
        runner.invoke(app, ["eval", "diff", str(bad), str(good), "--fail-on-regression"]).exit_code
        == 0
    )


def test_reports_are_written_into_the_run(env: Callable[..., list[str]], tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", *env(degraded), "--report", "html", "--report", "md"])
    assert result.exit_code == 0, result.output
    [run] = run_dirs(tmp_path)
    html = (run / "report.html").read_text(encoding="utf-8")
    md = (run / "report.md").read_text(encoding="utf-8")
    assert "synthetic-baseline" in html and "kind <strong>baseline</strong>" in html
    assert "Not a model" in md
