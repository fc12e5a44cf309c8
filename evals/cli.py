"""``sitrep eval``: score a model (or the offline baseline) against gold; re-score; compare runs.

    sitrep eval [--model M] [--base-url URL] [--concurrency N] [--out DIR] [--report html|md]
                [--fail-under FIELD.METRIC=VALUE ...] [--fail-on-regression RUN_DIR]
                [--dataset muc4|polnear --path DIR [--split SPLIT] [--heldout]]
    sitrep eval rescore RUN_DIR [--out DIR] [--report html|md] [--fail-under ...]
    sitrep eval diff RUN_A RUN_B [--report md] [--fail-on-regression]

Exit codes: 0 success; 1 a gate failed (``--fail-under``, ``--fail-on-regression``) or an article
failed to extract; 2 usage or configuration error. The app object is :data:`eval_app`; the
``sitrep`` command mounts it under ``eval``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from evals.cli_inputs import eval_inputs, make_extractor, usage_error
from evals.cli_options import (
    Arg,
    ArticlesOpt,
    BaselineOpt,
    BaseUrlOpt,
    ConcurrencyOpt,
    DatasetOpt,
    FailUnderOpt,
    GoldOpt,
    HeldoutOpt,
    LabelsOpt,
    ModelOpt,
    Opt,
    PathOpt,
    RegressionOpt,
    ReportFormat,
    ReportsOpt,
    ResamplesOpt,
    SeedOpt,
    SplitOpt,
    ToleranceOpt,
)
from evals.config import load_config
from evals.console import print_diff, print_gates, print_result
from evals.dataset import dataset_hash
from evals.datasets.base import LoadedDataset
from evals.diff import RunDiff, diff_runs
from evals.gates import Gate, GateResult, check_gates, parse_gate
from evals.gold import GoldFile
from evals.harness import RunResult, producer_of, rescore_run, run_eval
from evals.runs import RunError, read_run
from extraction.cli.options import (
    MaxReasksOpt,
    MaxTokensOpt,
    ModeOpt,
    TimeoutOpt,
    model_call_options,
)
from extraction.pipeline.article import BatchAborted
from schemas.article import Article
from schemas.storage import write_atomic

if TYPE_CHECKING:
    from evals.datasets.figures import DatasetFigures

eval_app = typer.Typer(
    name="eval",
    help="Score extraction against hand-labelled gold. With no sub-command: extract the eval "
    "articles with --model (or SITREP_MODEL; with neither, the offline baseline), score them "
    "and store the run under --out. Sub-commands re-score a stored run or compare two.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)


REPORT_WIDTH = 120
"""Width of the tables when output is not a terminal (CI logs, pipes), where rich assumes 80."""


def _consoles() -> tuple[Console, Console]:
    out = Console()
    if not out.is_terminal:
        out = Console(width=REPORT_WIDTH)
    return out, Console(stderr=True, soft_wrap=True)


def _gates(texts: Sequence[str]) -> list[Gate]:
    try:
        return [parse_gate(t) for t in texts]
    except ValueError as exc:
        raise usage_error(str(exc)) from None


def _read(run_dir: Path) -> tuple[Any, Any]:
    try:
        return read_run(run_dir)
    except RunError as exc:
        raise usage_error(str(exc)) from None


def _write_reports(
    run: RunResult,
    formats: Sequence[ReportFormat],
    golds: dict[str, GoldFile],
    articles: Sequence[Article],
    gates: Sequence[GateResult],
    diff: RunDiff | None,
    out: Console,
    figures: DatasetFigures | None = None,
) -> None:
    from evals.report_html import render_html  # jinja2 only when a report is asked for
    from evals.report_md import render_run_md

    for fmt in dict.fromkeys(formats):
        if fmt is ReportFormat.html:
            path = run.run_dir / "report.html"
            by_id = {a.id: a for a in articles}
            write_atomic(path, render_html(run.info, run.result, run.lines, golds, by_id))
        else:
            path = run.run_dir / "report.md"
            md = render_run_md(run.info, run.result, gates=gates, diff=diff, figures=figures)
            write_atomic(path, md)
        out.print(f"report: {path}", highlight=False)


def _finish(
    run: RunResult,
    gates: Sequence[Gate],
    regression_run: Path | None,
    tolerance: float | None,
    formats: Sequence[ReportFormat],
    golds: dict[str, GoldFile],
    articles: Sequence[Article],
    *,
    errors_fail: bool,
    public: LoadedDataset | None = None,
    resamples: int | None = None,
    seed: int | None = None,
) -> None:
    out, err = _consoles()
    print_result(out, run.info, run.result)
    figure_values: dict[str, float | None] = {}
    figures = None
    if public is not None:
        from evals.datasets.run import print_figures, score_dataset

        figures, path = score_dataset(run, public, resamples=resamples, seed=seed)
        print_figures(out, figures)
        out.print(f"data-set figures: {path}", highlight=False)
        figure_values = figures.gate_values()
    out.print(f"run: {run.run_dir}", highlight=False)
    gate_results = check_gates(run.result, gates, figure_values)
    print_gates(out, gate_results)
    failed = [g for g in gate_results if not g.passed]
    diff: RunDiff | None = None
    regressions = []
    if regression_run is not None:
        base_info, base_lines = _read(regression_run)
        base_docs = [line.score for line in base_lines if line.score is not None]
        diff = diff_runs(base_info, base_docs, run.info, run.result.docs)
        tol = tolerance if tolerance is not None else load_config().regression.tolerance
        regressions = diff.regressions(tol)
        print_diff(out, diff)
        for d in regressions:
            err.print(
                f"[red]regression[/red] {d.name}: {d.a:.3f} -> {d.b:.3f} "
                f"(tolerance {tol:g}) against {base_info.run_id}",
                highlight=False,
            )
    _write_reports(run, formats, golds, articles, gate_results, diff, out, figures)
    code = 0
    if failed or regressions:
        err.print(
            f"[red]gates failed[/red]: {len(failed)} minimum(s), {len(regressions)} regression(s)",
            highlight=False,
        )
        code = 1
    if errors_fail and run.result.errors:
        err.print(f"[red]{len(run.result.errors)} article(s) failed to extract[/red]")
        code = 1
    if code:
        raise typer.Exit(code)


def _command(ctx: typer.Context) -> list[str]:
    args = [ctx.command_path]
    for key, value in ctx.params.items():
        if value in (None, False, [], ()):
            continue
        values = value if isinstance(value, list | tuple) else [value]
        args += [f"--{key.replace('_', '-')}={v}" for v in values]
    return args


@eval_app.callback(invoke_without_command=True)
def eval_run(
    ctx: typer.Context,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    baseline: BaselineOpt = False,
    out_dir: Annotated[Path, Opt("--out", help="Folder for run directories.")] = Path("runs"),
    report: ReportsOpt = None,
    fail_under: FailUnderOpt = None,
    fail_on_regression: RegressionOpt = None,
    tolerance: ToleranceOpt = None,
    gold_dir: GoldOpt = None,
    articles_dir: ArticlesOpt = None,
    labels: LabelsOpt = None,
    resamples: ResamplesOpt = None,
    seed: SeedOpt = None,
    dataset: DatasetOpt = None,
    path: PathOpt = None,
    split: SplitOpt = None,
    heldout: HeldoutOpt = False,
    concurrency: ConcurrencyOpt = 8,
    mode: ModeOpt = None,
    timeout: TimeoutOpt = None,
    max_tokens: MaxTokensOpt = None,
    max_reasks: MaxReasksOpt = None,
) -> None:
    """Extract the eval articles, score them against gold and store the run.

    With no model configured this runs the offline baseline, and says so."""
    if ctx.invoked_subcommand is not None:
        return
    gates = _gates(fail_under or [])
    if fail_on_regression is not None:
        _read(fail_on_regression)  # fail now, before any extraction, if it cannot be read
    public, unscored, articles, golds = eval_inputs(
        dataset, path, split, heldout, labels, articles_dir, gold_dir
    )
    _, err = _consoles()
    calls = model_call_options(
        mode=mode, timeout=timeout, max_tokens=max_tokens, max_reasks=max_reasks
    )
    with make_extractor(model, base_url, baseline, concurrency, err, mode, calls) as extractor:
        producer = producer_of(extractor)
        err.print(
            f"extracting {len(articles)} article(s) with {producer.name} ({producer.kind})",
            highlight=False,
        )
        try:
            run = run_eval(
                extractor,
                articles,
                golds,
                out_dir,
                resamples=resamples,
                seed=seed,
                command=_command(ctx),
                dataset_id=public.dataset_id if public is not None else "evals/articles",
                unscored_fields=unscored,
                on_article=lambda a, line: err.print(
                    f"  {a.id}: {'ok' if line.extraction else 'FAILED'}", highlight=False
                ),
            )
        except BatchAborted as exc:  # every article would fail the same way (the run log says so)
            raise usage_error(extractor.redactor(str(exc))) from None
    _finish(
        run,
        gates,
        fail_on_regression,
        tolerance,
        report or [],
        golds,
        articles,
        errors_fail=True,
        public=public,
        resamples=resamples,
        seed=seed,
    )


@eval_app.command("rescore")
def eval_rescore(
    ctx: typer.Context,
    run_dir: Annotated[Path, Arg(help="A stored run directory.")],
    out_dir: Annotated[
        Path | None, Opt("--out", help="Folder for the new run (default: next to RUN_DIR).")
    ] = None,
    report: ReportsOpt = None,
    fail_under: FailUnderOpt = None,
    fail_on_regression: RegressionOpt = None,
    tolerance: ToleranceOpt = None,
    gold_dir: GoldOpt = None,
    articles_dir: ArticlesOpt = None,
    labels: LabelsOpt = None,
    resamples: ResamplesOpt = None,
    seed: SeedOpt = None,
    dataset: DatasetOpt = None,
    path: PathOpt = None,
    split: SplitOpt = None,
    heldout: HeldoutOpt = False,
) -> None:
    """Re-score a stored run against the current gold, with no model call.

    The result is written as a new run directory."""
    gates = _gates(fail_under or [])
    info, _ = _read(run_dir)
    if fail_on_regression is not None:
        _read(fail_on_regression)
    public, unscored, articles, golds = eval_inputs(
        dataset, path, split, heldout, labels, articles_dir, gold_dir
    )
    _, err = _consoles()
    stored_ids = set(info.dataset.article_ids)
    current = [a for a in articles if a.id in stored_ids]
    if dataset_hash(current) != info.dataset.hash:
        err.print(
            "[yellow]warning[/yellow]: the articles differ from the ones this run saw "
            f"(dataset hash {info.dataset.hash}); scoring its predictions against today's set",
            highlight=False,
        )
    run = rescore_run(
        run_dir,
        articles,
        golds,
        out_dir,
        resamples=resamples,
        seed=seed,
        command=_command(ctx),
        unscored_fields=unscored,
    )
    _finish(
        run,
        gates,
        fail_on_regression,
        tolerance,
        report or [],
        golds,
        articles,
        errors_fail=False,
        public=public,
        resamples=resamples,
        seed=seed,
    )


@eval_app.command("diff")
def eval_diff(
    run_a: Annotated[Path, Arg(help="The reference run (A).")],
    run_b: Annotated[Path, Arg(help="The run compared with it (B).")],
    report: Annotated[
        ReportFormat | None, Opt("--report", help="md: a Markdown summary for a pull request.")
    ] = None,
    output: Annotated[Path | None, Opt("--output", "-o", help="Write the report here.")] = None,
    as_json: Annotated[bool, Opt("--json", help="Print the diff as JSON.")] = False,
    show_all: Annotated[bool, Opt("--all", help="List unchanged fields too.")] = False,
    fail_on_regression: Annotated[
        bool, Opt("--fail-on-regression", help="Exit 1 when B is worse than A on any field.")
    ] = False,
    tolerance: ToleranceOpt = None,
    resamples: ResamplesOpt = None,
    seed: SeedOpt = None,
) -> None:
    """Compare two runs: per-field deltas (B minus A) with paired-bootstrap intervals.

    Lists the articles and values that flipped. Uses the stored scores: no model call."""
    if report is ReportFormat.html:
        raise usage_error("diff writes --report md only")
    a_info, a_lines = _read(run_a)
    b_info, b_lines = _read(run_b)
    diff = diff_runs(
        a_info,
        [line.score for line in a_lines if line.score is not None],
        b_info,
        [line.score for line in b_lines if line.score is not None],
        resamples=resamples,
        seed=seed,
    )
    out, err = _consoles()
    if as_json:
        out.print_json(json.dumps(diff.model_dump(mode="json")))
    elif report is ReportFormat.md:
        from evals.report_md import render_diff_md

        text = render_diff_md(diff)
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_atomic(output, text)
            err.print(f"report: {output}", highlight=False)
    else:
        print_diff(out, diff, show_all=show_all)
    if fail_on_regression:
        tol = tolerance if tolerance is not None else load_config().regression.tolerance
        regressions = diff.regressions(tol)
        for d in regressions:
            err.print(f"[red]regression[/red] {d.name}: {d.a:.3f} -> {d.b:.3f}", highlight=False)
        if regressions:
            raise typer.Exit(1)
