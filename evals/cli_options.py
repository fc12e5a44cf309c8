"""The options of ``sitrep eval`` and its sub-commands, as typer annotations."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class ReportFormat(StrEnum):
    html = "html"
    md = "md"


FAIL_UNDER_HELP = (
    "Fail (exit 1) when a figure is below a minimum: FIELD.METRIC=VALUE, e.g. event.f1=0.5, "
    "statement.kind.p=0.6, grounding.evidence.rate=0.9; with --dataset also its figures, e.g. "
    "dataset.ree.f1=0.3. Repeatable."
)


Opt = typer.Option
Arg = typer.Argument
ModelOpt = Annotated[
    str | None,
    Opt("--model", "-m", help="Model to evaluate (else SITREP_MODEL; none: the baseline)."),
]
BaseUrlOpt = Annotated[
    str | None, Opt("--base-url", help="OpenAI-compatible endpoint (else SITREP_BASE_URL).")
]
BaselineOpt = Annotated[
    bool, Opt("--baseline", help="Evaluate the offline baseline even if a model is configured.")
]
ReportsOpt = Annotated[
    list[ReportFormat] | None,
    Opt("--report", help="Also write report.html and/or report.md into the run directory."),
]
FailUnderOpt = Annotated[list[str] | None, Opt("--fail-under", help=FAIL_UNDER_HELP)]
RegressionOpt = Annotated[
    Path | None,
    Opt(
        "--fail-on-regression",
        help="Fail when a field's F1 (or a rate) falls below this stored run's by more than "
        "the tolerance.",
    ),
]
ToleranceOpt = Annotated[
    float | None,
    Opt("--tolerance", help="Allowed fall for a regression gate (default: scoring.toml)."),
]
GoldOpt = Annotated[Path | None, Opt("--gold", help="Folder of gold files (default: bundled).")]
ArticlesOpt = Annotated[
    Path | None,
    Opt("--articles", help="Folder of .txt/.jsonl articles to use instead of the bundled set."),
]
LabelsOpt = Annotated[
    Path | None,
    Opt(
        "--labels",
        help="A labelling folder (sitrep label/review): its articles/ and reviewed gold/.",
    ),
]
ResamplesOpt = Annotated[int | None, Opt("--resamples", min=1, help="Bootstrap resamples.")]
ConcurrencyOpt = Annotated[
    int,
    Opt("--concurrency", "-c", min=1, help="Articles extracted at once (model calls in flight)."),
]
SeedOpt = Annotated[int | None, Opt("--seed", help="Bootstrap seed.")]
DatasetOpt = Annotated[
    str | None,
    Opt(
        "--dataset",
        help="Score on a public data set from your local copy (muc4, polnear) instead of the "
        "bundled articles; needs --path.",
    ),
]
PathOpt = Annotated[Path | None, Opt("--path", help="Folder of your local copy of the --dataset.")]
SplitOpt = Annotated[
    str | None,
    Opt("--split", help="Split of the --dataset (muc4: dev, tst1, tst2; polnear: test)."),
]
HeldoutOpt = Annotated[
    bool,
    Opt(
        "--heldout",
        help="Allow a split reserved for held-out measurement (muc4 tst3/tst4, polnear "
        "train/dev). Only for the final measurement, never for development.",
    ),
]
