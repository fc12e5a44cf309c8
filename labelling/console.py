"""How ``sitrep agree`` shows an agreement report on the terminal (rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from labelling.agree import AgreementReport


def _fmt(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "—"
    return f"{x:.0%}" if pct else f"{x:.3f}"


def render_report(report: AgreementReport, *, show: int = 30) -> None:
    """Print the report as tables."""
    console = Console()
    console.print(
        f"Agreement of A ({', '.join(report.labellers_a)}) and B "
        f"({', '.join(report.labellers_b)}) over {len(report.articles)} article(s)"
    )
    for label, ids in (("only in A", report.only_in_a), ("only in B", report.only_in_b)):
        if ids:
            console.print(f"  {label} (not compared): {', '.join(ids)}")
    for article_id, reason in report.skipped.items():
        console.print(f"  skipped {article_id}: {reason}")
    records = Table(title="Records")
    for col in ("", "A", "B", "matched", "F1"):
        records.add_column(col, justify="left" if not col else "right")
    for name, c in (("events", report.events), ("statements", report.statements)):
        records.add_row(name, str(c.n_gold), str(c.n_pred), f"{c.credit:g}", _fmt(c.f1))
    console.print(records)
    table = Table(title="Fields (categorical: kappa and alpha over aligned pairs)")
    for col in ("field", "A", "B", "F1", "pairs", "agree", "kappa", "alpha"):
        table.add_column(col, justify="left" if col == "field" else "right", no_wrap=col == "field")
    for f in report.fields:
        if f.field in ("event", "statement"):
            continue
        cat = f.categorical
        table.add_row(
            f.field,
            str(f.counts.n_gold),
            str(f.counts.n_pred),
            _fmt(f.counts.f1),
            str(f.pairs) if cat else "",
            _fmt(f.observed, pct=True) if cat else "",
            _fmt(f.kappa) if cat else "",
            _fmt(f.alpha) if cat else "",
        )
    console.print(table)
    if show and report.disagreements:
        dis = Table(title=f"Disagreements to adjudicate ({len(report.disagreements)})")
        for col in ("article", "field", "A record", "B record", "A", "B", ""):
            dis.add_column(col)
        for d in report.disagreements[:show]:
            a_rec = (d.a_record or "—") + (f" {d.a_item}" if d.a_item else "")
            b_rec = (d.b_record or "—") + (f" {d.b_item}" if d.b_item else "")
            dis.add_row(d.article_id, d.field, a_rec, b_rec, d.a or "—", d.b or "—", d.outcome)
        console.print(dis)
        if len(report.disagreements) > show:
            console.print(f"... and {len(report.disagreements) - show} more (--show N, or --json)")
