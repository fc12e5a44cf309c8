"""What ``sitrep extract`` shows on the console (stderr): a progress bar fed by
:class:`~extraction.batch.progress.BatchProgress` updates, the summary table of a finished batch,
and sitrep's log warnings routed through the same console so they do not tear the bar.

>>> import io
>>> from extraction.batch.progress import BatchProgress
>>> console = Console(file=io.StringIO(), width=100)
>>> bar = ProgressBar(console, total=4, enabled=False)
>>> bar.update(BatchProgress(total=4, done=2, failed=1, prompt_tokens=1200, completion_tokens=34))
>>> task = bar.progress.tasks[0]
>>> task.completed, task.fields["failed"], task.fields["tokens"], task.fields["cost"]
(2, 1, '1,234', '$0.0000')
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from extraction.batch.progress import BatchProgress
from extraction.batch.summary import BatchSummary


class ProgressBar:
    """A rich progress bar fed by :class:`BatchProgress` updates."""

    def __init__(self, console: Console, total: int | None, enabled: bool) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]extract"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed"),
            TextColumn("{task.fields[tokens]} tok"),
            TextColumn("{task.fields[cost]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            disable=not enabled,
            transient=False,
        )
        self.task = self.progress.add_task(
            "extract", total=total, failed=0, tokens="0", cost="$0.00"
        )

    def update(self, p: BatchProgress) -> None:
        tokens = p.prompt_tokens + p.completion_tokens
        cost = f"${p.cost_usd:,.4f}" if p.cost_known else "cost unknown"
        self.progress.update(
            self.task,
            completed=p.done + p.skipped,
            failed=p.failed,
            tokens=f"{tokens:,}",
            cost=cost,
        )


def print_summary(console: Console, summary: BatchSummary, where: Path | None) -> None:
    table = Table(title="sitrep extract", show_header=False, box=None)
    table.add_row(
        "model", f"{summary.model}" + (f" @ {summary.endpoint}" if summary.endpoint else "")
    )
    table.add_row(
        "articles", f"{summary.articles:,} ({summary.ok:,} ok, {summary.failed:,} failed)"
    )
    if summary.failed_by_kind:
        kinds = ", ".join(f"{k}: {n}" for k, n in summary.failed_by_kind.items())
        table.add_row("failures", kinds)
    table.add_row("records", f"{summary.events:,} events, {summary.statements:,} statements")
    run = summary.this_run
    table.add_row(
        "this run",
        f"{run.processed:,} processed, {run.skipped:,} already done, {run.calls:,} calls, "
        f"{run.cache_hits:,} from cache, {run.seconds:.1f}s",
    )
    spent = "unknown (no price for this model)" if run.cost_usd is None else f"${run.cost_usd:.4f}"
    table.add_row("tokens", f"{run.prompt_tokens:,} in + {run.completion_tokens:,} out; {spent}")
    total = "unknown" if summary.cost_usd is None else f"${summary.cost_usd:.4f}"
    table.add_row(
        "cost of results", f"{total} ({summary.prompt_tokens + summary.completion_tokens:,} tokens)"
    )
    table.add_row("results", summary.results + (f" (summary: {where})" if where else ""))
    console.print(table)


def logging_to(console: Console) -> Iterator[None]:
    """Route sitrep's log warnings through the console so they do not tear the progress bar, and
    quiet instructor's own error log: every failure is in the results with its reason."""
    logger = logging.getLogger("sitrep")
    handler = RichHandler(console=console, show_path=False, show_time=False, level=logging.WARNING)
    added = not logger.handlers
    if added:
        logger.addHandler(handler)
    quiet = logging.getLogger("instructor")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        quiet.setLevel(level)
        if added:
            logger.removeHandler(handler)
