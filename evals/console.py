"""Rich tables for the terminal: the producer on top, then the per-field table with intervals."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from evals.diff import RunDiff
from evals.formatting import fmt, fmt_ci, fmt_delta
from evals.gates import GateResult
from evals.runs import ProducerInfo, RunInfo
from evals.score import EvalResult


def producer_line(producer: ProducerInfo) -> str:
    """``Producer: NAME (kind KIND)``, with a warning when it is not a model."""
    text = f"Producer: [bold]{escape(producer.name)}[/bold] (kind [bold]{producer.kind}[/bold])"
    if producer.kind != "model":
        text += f" — not a model: this is the {producer.kind}'s output"
    return text


def print_result(console: Console, info: RunInfo, result: EvalResult) -> None:
    """The run's header and its field and rate tables."""
    console.print(producer_line(info.producer))
    for other in info.other_producers:
        console.print(f"  also: {escape(other.name)} ({other.kind})")
    console.print(
        f"Run {escape(info.run_id)} · dataset {info.dataset.hash} · gold {info.gold.hash} · "
        f"n = {result.n_docs} documents · code {escape(info.code_revision)}"
    )
    level = round(result.scoring.confidence * 100)
    table = Table(title=f"Per-field scores (micro; {level}% CI by document bootstrap)")
    for col in ("field", "support", "pred", "P", "R", "F1", f"{level}% CI", "macro F1"):
        table.add_column(col, justify="left" if col == "field" else "right", no_wrap=True)
    for row in result.fields:
        if not row.support and not row.predicted:
            continue
        table.add_row(
            row.field,
            str(row.support),
            str(row.predicted),
            fmt(row.precision),
            fmt(row.recall),
            f"[bold]{fmt(row.f1)}[/bold]",
            fmt_ci(row.f1_ci),
            fmt(row.macro_f1),
        )
    console.print(table)
    rates = Table(title="Grounding and speakers (rates over the prediction)")
    for col in ("figure", "hits", "total", "rate", f"{level}% CI"):
        rates.add_column(col, justify="left" if col == "figure" else "right")
    for r in result.rates:
        rates.add_row(r.name, f"{r.hits:g}", str(r.total), fmt(r.rate), fmt_ci(r.ci))
    console.print(rates)
    for aid, err in result.errors.items():
        console.print(f"[red]error[/red] {escape(aid)}: {escape(err)}")


def print_gates(console: Console, results: Sequence[GateResult]) -> None:
    for g in results:
        mark = "[green]pass[/green]" if g.passed else "[red]FAIL[/red]"
        console.print(f"gate {g.key} >= {fmt(g.minimum)}: {fmt(g.value)} {mark}")


def print_diff(console: Console, diff: RunDiff, *, show_all: bool = False) -> None:
    """Deltas (B minus A) with paired intervals, then the articles and values that flipped."""
    console.print(f"A: {escape(diff.a.run_id)} — {producer_line(diff.a.producer)}")
    console.print(f"B: {escape(diff.b.run_id)} — {producer_line(diff.b.producer)}")
    for w in diff.warnings:
        console.print(f"[yellow]warning[/yellow]: {escape(w)}")
    level = round(diff.confidence * 100)
    table = Table(
        title=f"B − A on {len(diff.shared_articles)} shared articles ({level}% paired-bootstrap CI)"
    )
    for col in ("field", "A", "B", "Δ", f"{level}% CI (Δ)", "P(B<A)"):
        table.add_column(col, justify="left" if col == "field" else "right", no_wrap=True)
    for d in [*diff.fields, *diff.rates]:
        if d.a is None and d.b is None:
            continue
        if not show_all and (d.delta is None or abs(d.delta) < 1e-12):
            continue
        table.add_row(
            d.name, fmt(d.a), fmt(d.b), fmt_delta(d.delta), fmt_ci(d.ci), fmt(d.p_worse, 2)
        )
    console.print(table)
    flipped = [a for a in diff.articles if a.fixed or a.broken]
    if not flipped:
        console.print("No value flipped between the runs.")
        return
    arts = Table(title="Articles with flipped values")
    for col in ("article", "event F1 A→B", "statement F1 A→B", "fixed", "broken"):
        arts.add_column(col)
    for a in flipped:
        arts.add_row(
            escape(a.article_id),
            f"{fmt(a.a_event_f1)} → {fmt(a.b_event_f1)}",
            f"{fmt(a.a_statement_f1)} → {fmt(a.b_statement_f1)}",
            str(a.fixed),
            str(a.broken),
        )
    console.print(arts)
    flips = Table(title="Flipped values")
    for col in ("article", "field", "gold record", "entry", "A", "B"):
        flips.add_column(col)
    for f in diff.flips:
        cells = (
            f.article_id,
            f.field,
            f.gold_id or "",
            f.gold_item or "",
            f.a_outcome,
            f.b_outcome,
        )
        flips.add_row(*(escape(c) for c in cells))
    console.print(flips)
