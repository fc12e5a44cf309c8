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
from evals.dataset import dataset_hash, load_eval_articles
from evals.datasets.base import DatasetError, LoadedDataset
from evals.diff import RunDiff, diff_runs
from evals.gates import Gate, GateResult, check_gates, parse_gate
from evals.gold import GoldError, GoldFile
from evals.goldset import default_gold_dir, load_gold_set
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
from extraction.pipeline.extractor import Extractor
from schemas.article import Article
from schemas.loaders import ArticleInputError, iter_paths
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


def _usage(message: str) -> typer.Exit:
    Console(stderr=True, soft_wrap=True).print(f"[red]error[/red]: {message}", highlight=False)
    return typer.Exit(2)


def _gates(texts: Sequence[str]) -> list[Gate]:
    try:
        return [parse_gate(t) for t in texts]
    except ValueError as exc:
        raise _usage(str(exc)) from None


def _articles(articles_dir: Path | None) -> list[Article]:
    """The bundled eval articles, or the ``.txt``/``.jsonl`` articles of a folder."""
    if articles_dir is None:
        return load_eval_articles()
    if not articles_dir.is_dir():
        raise _usage(f"{articles_dir}: not a folder of articles")
    articles: list[Article] = []
    for item in iter_paths([articles_dir]):
        if isinstance(item, ArticleInputError):
            raise _usage(str(item))
        articles.append(item)
    return articles


def _sources(
    labels: Path | None, articles_dir: Path | None, gold_dir: Path | None
) -> tuple[Path | None, Path | None]:
    """``--labels DIR`` is ``--articles DIR/articles --gold DIR/gold`` (a ``sitrep review``
    folder); ``--articles`` needs ``--gold``."""
    if labels is not None:
        if articles_dir is not None or gold_dir is not None:
            raise _usage("--labels cannot be combined with --articles or --gold")
        return labels / "articles", labels / "gold"
    if articles_dir is not None and gold_dir is None:
        raise _usage("--articles needs --gold (the folder of gold files for those articles)")
    return articles_dir, gold_dir


def _data(
    gold_dir: Path | None, articles_dir: Path | None = None
) -> tuple[list[Article], dict[str, GoldFile]]:
    articles = _articles(articles_dir)
    try:
        golds = load_gold_set(articles, gold_dir)
    except GoldError as exc:
        raise _usage(str(exc)) from None
    drafts = sorted(aid for aid, g in golds.items() if g.provenance.status != "reviewed")
    if drafts:
        Console(stderr=True, soft_wrap=True).print(
            f"gold for {', '.join(drafts)} is still a draft (not reviewed): left out of the eval",
            highlight=False,
        )
        golds = {aid: g for aid, g in golds.items() if aid not in drafts}
    if not golds:
        where = gold_dir or default_gold_dir()
        raise _usage(f"{where}: no gold files for the eval articles (<article_id>.json)")
    without = [a.id for a in articles if a.id not in golds]
    if without:
        Console(stderr=True, soft_wrap=True).print(
            f"no gold for {', '.join(without)}: left out of the eval", highlight=False
        )
    return [a for a in articles if a.id in golds], golds


def _public(
    dataset: str | None,
    path: Path | None,
    split: str | None,
    heldout: bool,
    sources: tuple[Path | None, ...],
) -> tuple[LoadedDataset | None, tuple[str, ...]]:
    """A public data set (``--dataset``) and the fields it does not label, or ``None``."""
    if dataset is None:
        if path is not None or split is not None or heldout:
            raise _usage("--path, --split and --heldout go with --dataset (e.g. --dataset muc4)")
        return None, ()
    if any(s is not None for s in sources):
        raise _usage("--dataset cannot be combined with --labels, --articles or --gold")
    from evals.datasets.run import load_for_eval

    try:
        return load_for_eval(dataset, path, split, heldout)
    except DatasetError as exc:
        raise _usage(str(exc)) from None


def _read(run_dir: Path) -> tuple[Any, Any]:
    try:
        return read_run(run_dir)
    except RunError as exc:
        raise _usage(str(exc)) from None


def _extractor(
    model: str | None,
    base_url: str | None,
    baseline: bool,
    concurrency: int,
    err: Console,
    mode: str | None = None,
    options: dict[str, Any] | None = None,
) -> Extractor:
    """The pipeline the eval runs on: the configured model (with the response cache shared with
    every other command), or the offline baseline."""
    from extraction.batch.cache import CacheError
    from extraction.config import BASELINE_NOTICE, resolve_config
    from extraction.errors import ConfigurationError

    if baseline and (model or base_url):
        raise _usage("--baseline cannot be combined with --model or --base-url")
    try:
        cfg = (
            None
            if baseline
            else resolve_config(model, base_url=base_url, mode=mode, **(options or {}))
        )
    except ConfigurationError as exc:
        raise _usage(str(exc)) from None
    if cfg is None:
        err.print(BASELINE_NOTICE, highlight=False)
    try:
        return Extractor(cfg, concurrency=concurrency)
    except (CacheError, ValueError) as exc:
        raise _usage(str(exc)) from None


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
    public, unscored = _public(dataset, path, split, heldout, (labels, articles_dir, gold_dir))
    if public is not None:
        articles, golds = public.articles, public.golds
    else:
        articles_dir, gold_dir = _sources(labels, articles_dir, gold_dir)
        articles, golds = _data(gold_dir, articles_dir)
    _, err = _consoles()
    calls = model_call_options(
        mode=mode, timeout=timeout, max_tokens=max_tokens, max_reasks=max_reasks
    )
    with _extractor(model, base_url, baseline, concurrency, err, mode, calls) as extractor:
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
            raise _usage(extractor.redactor(str(exc))) from None
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
    public, unscored = _public(dataset, path, split, heldout, (labels, articles_dir, gold_dir))
    if public is not None:
        articles, golds = public.articles, public.golds
    else:
        articles_dir, gold_dir = _sources(labels, articles_dir, gold_dir)
        articles, golds = _data(gold_dir, articles_dir)
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
        raise _usage("diff writes --report md only")
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
