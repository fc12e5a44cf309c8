"""Public data sets through the harness and the command line: gold without evidence, fields a
data set does not label, the data-set figures, held-out refusal. Producers are scripted stand-ins
(plain functions); inputs are the synthetic files of ``tests/fixtures/datasets``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from evals.cli import eval_app
from evals.config import load_config
from evals.datasets import DATASETS, load
from evals.datasets.figures import FIGURES_FILE, DatasetFigures, speaker_named
from evals.gates import parse_gate
from evals.harness import run_eval
from evals.runs import read_run
from evals.specs import event_similarity, statement_similarity
from schemas.article import Article
from schemas.evidence import Evidence
from schemas.records import ArticleExtraction, Producer
from schemas.statement import Statement
from schemas.vocab import StatementKind, TextType

FIXTURES = Path(__file__).parent / "fixtures" / "datasets"
SCRIPT = Producer(kind="human", name="scripted-gold")


def gold_copy(loaded: object) -> Callable[[Article], ArticleExtraction]:
    """A producer answering with the gold records themselves."""
    golds = loaded.golds  # type: ignore[attr-defined]

    def fn(article: Article) -> ArticleExtraction:
        return ArticleExtraction.from_records(article.id, golds[article.id].records, SCRIPT)

    return fn


def test_gold_without_evidence_leaves_evidence_out_of_the_similarity() -> None:
    gold = load("muc4", FIXTURES / "muc4", "dev").golds["DEV-MUC3-0001"].records.events[0]
    with_evidence = gold.model_copy(update={"evidence": Evidence(quote="GUNMEN ... ATTACKED")})
    cfg = load_config()
    assert event_similarity(gold, with_evidence, cfg) == event_similarity(gold, gold, cfg) == 1.0


def test_statement_gold_without_evidence_leaves_evidence_out_of_the_similarity() -> None:
    gold = load("polnear", FIXTURES / "polnear").golds
    (first, *_) = next(iter(gold.values())).records.statements
    with_evidence = first.model_copy(update={"evidence": Evidence(quote="unrelated words")})
    cfg = load_config()
    assert statement_similarity(first, with_evidence, cfg) == 1.0
    # evidence the gold gives still counts: a prediction without it loses that part
    grounded = first.model_copy(update={"evidence": Evidence(quote=first.text)})
    assert statement_similarity(grounded, first, cfg) < 1.0


def test_any_producer_scores_on_muc4_and_unlabelled_fields_are_left_out(tmp_path: Path) -> None:
    data = load("muc4", FIXTURES / "muc4", "dev")

    def with_a_statement(article: Article) -> ArticleExtraction:
        out = gold_copy(data)(article)
        said = Statement(id="S1", kind=StatementKind.OTHER, text="x", text_type=TextType.QUOTE)
        return out.model_copy(update={"statements": [said]})

    run = run_eval(
        with_a_statement,
        data.articles,
        data.golds,
        tmp_path,
        dataset_id=data.dataset_id,
        producer=SCRIPT,
        resamples=50,
        unscored_fields=DATASETS["muc4"].unscored,
    )
    assert run.result.metric("event.f1") == 1.0
    assert run.result.metric("event.casualties.count.f1") == 1.0
    statement = run.result.field("statement")
    assert (statement.support, statement.predicted) == (0, 0)  # MUC-4 labels no statements
    assert run.result.field("event.casualties.group").support == 0
    assert "statement" in run.result.scoring.unscored_fields
    info, _ = read_run(run.run_dir)
    assert info.dataset.id == "muc4/dev" and info.producer.name == "scripted-gold"


def _cli(
    monkeypatch: pytest.MonkeyPatch, fn: Callable[[Article], ArticleExtraction]
) -> typer.Typer:
    for name in ("SITREP_MODEL", "SITREP_BASE_URL", "SITREP_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("extraction.baseline.backend.extract_baseline", fn)
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Stand-in for the sitrep app."""

    app.add_typer(eval_app, name="eval")
    return app


def test_cli_runs_muc4_and_writes_the_figures(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = load("muc4", FIXTURES / "muc4", "dev")
    app = _cli(monkeypatch, gold_copy(data))
    args = ["eval", "--dataset", "muc4", "--path", str(FIXTURES / "muc4"), "--split", "dev"]
    result = CliRunner().invoke(
        app, [*args, "--out", str(tmp_path), "--resamples", "50", "--report", "md"]
    )
    assert result.exit_code == 0, result.output
    assert "muc4/dev: data-set figures" in result.output
    (run_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    info, _ = read_run(run_dir)
    assert info.command is not None and f"--path={FIXTURES / 'muc4'}" in info.command
    report = (run_dir / "report.md").read_text()
    assert "### Data-set figures (muc4/dev)" in report
    assert "| killed_right | 1 | 1 | 1.000 |" in report
    figures = DatasetFigures.model_validate_json((run_dir / FIGURES_FILE).read_text())
    found = figures.row("attack_events_found")
    assert (found.n_gold, found.recall) == (2, 1.0)  # the threatened attack is not counted
    assert figures.row("killed_right").recall == 1.0
    assert figures.row("injured_right").n_gold == 2
    assert figures.row("ree").n_gold == 10
    rescored = CliRunner().invoke(
        app, ["eval", "rescore", str(run_dir), *args[1:], "--out", str(tmp_path / "again")]
    )
    assert rescored.exit_code == 0, rescored.output
    assert any((p / FIGURES_FILE).exists() for p in (tmp_path / "again").iterdir())


def test_cli_polnear_quotes_with_speaker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def quotes(article: Article) -> ArticleExtraction:
        said = [
            Statement(
                id="S1",
                speaker="Dana Whitlow",
                kind=StatementKind.OTHER,
                text="We will not leave the river towns cut off",
                text_type=TextType.QUOTE,
            ),
            Statement(
                id="S2",
                speaker="Hale",  # the gold's source is "he", coreferent with Marcus Hale
                kind=StatementKind.OTHER,
                text="Nobody has seen the costings",
                text_type=TextType.QUOTE,
            ),
            Statement(
                id="S3",
                speaker="Marcus Hale",  # not a direct quote in the gold: a paraphrase
                kind=StatementKind.OTHER,
                text="his party would vote against it",
                text_type=TextType.QUOTE,
            ),
        ]
        return ArticleExtraction(article_id=article.id, statements=said, producer=SCRIPT)

    app = _cli(monkeypatch, quotes)
    path = str(FIXTURES / "polnear")
    result = CliRunner().invoke(
        app, ["eval", "--dataset", "polnear", "--path", path, "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    (run_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    figures = json.loads((run_dir / FIGURES_FILE).read_text())
    rows = {r["name"]: r for r in figures["rows"]}
    found = rows["quotes_found"]
    assert (found["credit"], found["n_gold"], found["n_pred"]) == (2, 2, 3)
    assert rows["quotes_with_speaker"]["credit"] == 2
    assert [n for n in rows if n.startswith("ree")] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "muc4", "--path", "{muc4}", "--split", "tst3"], "reserved for held-out"),
        (["--dataset", "polnear", "--path", "{polnear}", "--split", "train"], "reserved for"),
        (["--dataset", "muc4"], "needs --path"),
        (["--dataset", "acled", "--path", "."], "no data set 'acled'"),
        (["--split", "dev"], "go with --dataset"),
        (["--dataset", "muc4", "--path", "{muc4}", "--gold", "."], "cannot be combined"),
        (["--dataset", "muc4", "--path", "{polnear}"], "no MUC-4 split folder 'dev'"),
    ],
)
def test_cli_usage_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], message: str
) -> None:
    app = _cli(monkeypatch, gold_copy(load("polnear", FIXTURES / "polnear")))
    args = [a.format(muc4=FIXTURES / "muc4", polnear=FIXTURES / "polnear") for a in args]
    result = CliRunner().invoke(app, ["eval", *args, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not any(tmp_path.iterdir())  # nothing ran


@pytest.mark.parametrize(
    ("source", "speaker", "organisation", "right"),
    [
        ("Marcus Hale of the Institute for Regional Studies", "Marcus Hale", None, True),
        ("Varga, now a law lecturer", "Ilona Varga", None, True),
        ("a smiling Okafor", "Grace Okafor", None, True),
        ("Sen. Tom Reyes, a Liberal and an Okafor ally", "Grace Okafor", None, False),
        ("Grace Okafor's brother", "Grace Okafor", None, False),
        ("The Herald", None, "Northern Herald", True),
        ("the newspaper", "Grace Okafor", "Northern Herald", False),
    ],
)
def test_speaker_names_the_source(
    source: str, speaker: str | None, organisation: str | None, right: bool
) -> None:
    pred = Statement(
        id="S1",
        speaker=speaker,
        organisation=organisation,
        kind=StatementKind.OTHER,
        text="x",
        text_type=TextType.QUOTE,
    )
    assert speaker_named(source, [], pred) is right


def test_gates_on_data_set_figures(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = load("muc4", FIXTURES / "muc4", "dev")
    app = _cli(monkeypatch, gold_copy(data))
    base = ["eval", "--dataset", "muc4", "--path", str(FIXTURES / "muc4"), "--resamples", "20"]
    passing = CliRunner().invoke(
        app, [*base, "--out", str(tmp_path / "a"), "--fail-under", "dataset.killed_right.r=1"]
    )
    assert passing.exit_code == 0, passing.output
    assert "gate dataset.killed_right.r >= 1.000: 1.000 pass" in passing.output
    # the gold's organisations carry no actor category, so they count as PerpInd: REE < 1
    failing = CliRunner().invoke(
        app, [*base, "--out", str(tmp_path / "b"), "--fail-under", "dataset.ree.f1=0.99"]
    )
    assert failing.exit_code == 1
    assert "FAIL" in failing.output
    with pytest.raises(ValueError, match=re.escape("expected dataset.<figure>.<p|r|f1>")):
        parse_gate("dataset.nothing.f1=0.5")
