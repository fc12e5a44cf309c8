"""Markdown summaries for a pull request: a run's tables (and gates), or a diff of two runs.

The producer's name and kind head every summary; a run that is not a model says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from jinja2 import Environment, PackageLoader, StrictUndefined

from evals.datasets.figures import DatasetFigures
from evals.diff import RunDiff
from evals.formatting import fmt, fmt_ci, fmt_count, fmt_delta, md_cell
from evals.gates import GateResult
from evals.runs import RunInfo
from evals.score import EvalResult

MAX_FLIPS = 50


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("evals", "templates"),
        autoescape=False,  # Markdown; cells go through md_cell
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        fmt=fmt, fmt_ci=fmt_ci, fmt_delta=fmt_delta, cell=md_cell, fmt_count=fmt_count
    )
    return env


def _changed(diff: RunDiff) -> list[object]:
    return [d for d in [*diff.fields, *diff.rates] if d.delta is not None and abs(d.delta) > 1e-12]


def render_run_md(
    info: RunInfo,
    result: EvalResult,
    *,
    gates: Sequence[GateResult] = (),
    diff: RunDiff | None = None,
    figures: DatasetFigures | None = None,
) -> str:
    """The summary of one run, with gate results, a comparison and a public data set's own
    figures when given."""
    rows = [r for r in result.fields if r.support or r.predicted]
    return (
        _environment()
        .get_template("report.md.j2")
        .render(
            info=info,
            result=result,
            rows=rows,
            gates=list(gates),
            diff=diff,
            changed=_changed(diff) if diff else [],
            max_flips=MAX_FLIPS,
            figures=figures,
        )
    )


def render_diff_md(diff: RunDiff) -> str:
    """The comparison of two runs on its own."""
    return (
        _environment()
        .get_template("diff.md.j2")
        .render(diff=diff, changed=_changed(diff), max_flips=MAX_FLIPS)
    )
