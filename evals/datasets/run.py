"""A public data set through the eval command: load it, and score and print its own figures.

``sitrep eval --dataset`` (and ``sitrep eval rescore --dataset``) use these around the usual
harness run; the data set's figures go to ``dataset_scores.json`` in the run directory.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from evals.datasets import DATASETS, load
from evals.datasets.base import LoadedDataset
from evals.datasets.figures import DatasetFigures, dataset_figures, write_figures
from evals.formatting import fmt, fmt_ci
from evals.harness import RunResult


def load_for_eval(
    name: str, path: Path | None, split: str | None, heldout: bool
) -> tuple[LoadedDataset, tuple[str, ...]]:
    """The data set and the fields it does not label; :class:`DatasetError` says what to fix."""
    from evals.datasets.base import DatasetError

    if name not in DATASETS:
        raise DatasetError(f"no data set {name!r}; data sets: {', '.join(sorted(DATASETS))}")
    if path is None:
        raise DatasetError(f"--dataset {name} needs --path (the folder of your local copy)")
    loaded = load(name, path, split, heldout=heldout)
    return loaded, DATASETS[name].unscored


def score_dataset(
    run: RunResult,
    loaded: LoadedDataset,
    *,
    resamples: int | None = None,
    seed: int | None = None,
) -> tuple[DatasetFigures, Path]:
    """The data set's figures for a scored run, written into its run directory."""
    predictions = {
        line.article_id: line.extraction for line in run.lines if line.extraction is not None
    }
    figures = dataset_figures(
        loaded.dataset_id,
        run.info.producer.label,
        run.result.docs,
        loaded.golds,
        predictions,
        loaded.role_fillers,
        loaded.speaker_names,
        resamples=resamples if resamples is not None else run.result.scoring.resamples,
        seed=seed if seed is not None else run.result.scoring.seed,
    )
    return figures, write_figures(run.run_dir, figures)


def print_figures(console: Console, figures: DatasetFigures) -> None:
    table = Table(
        title=f"{figures.dataset}: data-set figures · {figures.producer} · n = {figures.n_docs} "
        "documents (95% CI by document bootstrap)"
    )
    for col in ("figure", "gold", "pred", "P", "P CI", "R", "R CI", "F1", "F1 CI"):
        table.add_column(col, justify="left" if col == "figure" else "right", no_wrap=True)
    for r in figures.rows:
        table.add_row(
            r.name,
            str(r.n_gold),
            str(r.n_pred),
            fmt(r.precision),
            fmt_ci(r.precision_ci),
            fmt(r.recall),
            fmt_ci(r.recall_ci),
            f"[bold]{fmt(r.f1)}[/bold]",
            fmt_ci(r.f1_ci),
        )
    console.print(table)
