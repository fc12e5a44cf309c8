"""``sitrep store``: one record per attack across articles.

    sitrep store add results.jsonl [--articles DIR] [--store FILE]
    sitrep store remove RUN [--store FILE]
    sitrep store runs | list [--store FILE]
    sitrep store show ID [--json] [--store FILE]
    sitrep store split ID ARTICLE/EVENT... [--note TEXT] [--store FILE]
    sitrep store export --format acled|ucdp|jsonl --out FILE [--overwrite] [--store FILE]

``--store`` defaults to ``$SITREP_STORE``, else ``events.sqlite`` in the current folder. Exit
codes: 0 success; 1 some lines of a results file were not result records (the rest went in);
2 usage error (no such file, store, run or incident; an --out that would overwrite a file that is
not an export of that format).
"""

from __future__ import annotations

import os
import sqlite3
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from schemas.loaders import iter_paths
from store.api import AddSummary, ArticleInfo, EventStore, StoreError
from store.export import export
from store.output import ExportError
from store.rules import RulesError, load_rules

store_app = typer.Typer(
    name="store",
    help="Merge the records of many articles and runs into one record per attack, and export "
    "them as ACLED- or UCDP-style CSV or JSONL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _default_store() -> Path:
    return Path(os.environ.get("SITREP_STORE") or "events.sqlite")


StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="The store file (default $SITREP_STORE, else events.sqlite)."),
]
RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="Merge rules TOML (default: the bundled ones).")
]


class ExportFormat(StrEnum):
    acled = "acled"
    ucdp = "ucdp"
    jsonl = "jsonl"


def _out() -> Console:
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=160)


def _say() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, soft_wrap=True, highlight=False)


def _usage(message: str) -> typer.Exit:
    _err().print(f"[red]error[/red]: {message}")
    return typer.Exit(2)


def _open(store: Path | None, *, create: bool = False, rules: Path | None = None) -> EventStore:
    try:
        return EventStore(store or _default_store(), rules=load_rules(rules), create=create)
    except (StoreError, RulesError) as exc:
        raise _usage(str(exc)) from None


def _article_info(paths: list[Path]) -> dict[str, ArticleInfo]:
    info: dict[str, ArticleInfo] = {}
    for item in iter_paths(paths):
        if isinstance(item, Exception):
            continue  # not an article: it only lacks metadata, the records still go in
        info[item.id] = ArticleInfo(outlet=item.outlet, published=item.publication_date)
    return info


def _print_summary(path: Path, s: AddSummary, console: Console) -> None:
    console.print(
        f"{path}: {s.records} records: {s.added} articles added, {s.replaced} replaced, "
        f"{s.unchanged} unchanged, {s.failed_records} failed extractions skipped; "
        f"{s.events} events: {s.merged} merged into an incident, {s.incidents_created} new "
        f"incidents; {s.out_of_scope} out of scope (standing)"
    )


@store_app.command("add")
def add(
    results: Annotated[list[Path], typer.Argument(help="Results files (sitrep extract --out).")],
    store: StoreOpt = None,
    articles: Annotated[
        list[Path] | None,
        typer.Option(
            "--articles", help="Article files or folders, for outlet and publication date."
        ),
    ] = None,
    rules: RulesOpt = None,
) -> None:
    """Add the result records of runs; adding the same records again changes nothing."""
    info = _article_info(articles or [])
    console, err = _say(), _err()
    failed = False
    with _open(store, create=True, rules=rules) as st:
        for path in results:
            try:
                summary = st.add(path, articles=info)
            except StoreError as exc:
                raise _usage(str(exc)) from None
            except sqlite3.OperationalError as exc:
                message = f"{st.path}: {exc} (another command is writing it; try again)"
                raise _usage(message) from None
            for error in summary.errors:
                err.print(f"[yellow]skipped[/yellow] {error}")
            failed = failed or bool(summary.errors)
            _print_summary(path, summary, console)
        counts = st.counts()
    console.print(
        f"store {st.path}: {counts['incidents']} incidents from {counts['reports']} reports "
        f"of {counts['articles']} articles in {counts['runs']} runs"
    )
    if failed:
        raise typer.Exit(1)


@store_app.command("remove")
def remove(
    run: Annotated[str, typer.Argument(help="The run key (or a unique prefix): 'store runs'.")],
    store: StoreOpt = None,
) -> None:
    """Remove every contribution of a run."""
    with _open(store) as st:
        try:
            run_key, n = st.remove_run(run)
        except StoreError as exc:
            raise _usage(str(exc)) from None
    _say().print(f"removed run {run_key}: {n} reports")


@store_app.command("runs")
def runs(store: StoreOpt = None) -> None:
    """The runs in the store."""
    table = Table("run key", "producer", "articles", "reports", "first added", "last added")
    with _open(store) as st:
        for r in st.runs():
            table.add_row(
                r.run_key,
                r.producer or "",
                str(r.articles),
                str(r.reports),
                r.first_added,
                r.last_added,
            )
    _out().print(table)


@store_app.command("list")
def list_incidents(store: StoreOpt = None) -> None:
    """One line per incident: id, date, type, place, actors, fatalities, sources."""
    table = Table("id", "date", "sub-type", "place", "perpetrators", "targets", "killed", "sources")
    with _open(store) as st:
        for i in st.incidents():
            p = i.place
            place = ", ".join(x for x in (p.place, p.admin2, p.admin1, p.country) if x)
            killed = "" if i.fatalities is None else str(i.fatalities)
            if i.killed and i.killed.low != i.killed.high:
                killed += f" ({i.killed.low}-{i.killed.high})"
            table.add_row(
                i.id,
                i.date.value.isoformat() if i.date.value else "?",
                i.sub_type,
                place,
                ", ".join(a.name for a in i.perpetrators),
                ", ".join(a.name for a in i.targets),
                killed,
                str(len(i.sources)),
            )
    _out().print(table)


@store_app.command("show")
def show(
    incident_id: Annotated[str, typer.Argument(help="An incident id: INC-000001.")],
    store: StoreOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="The whole incident as JSON.")] = False,
) -> None:
    """An incident: sources with evidence, actors, place, casualties and their history, and the
    merge decisions with their reasons."""
    with _open(store) as st:
        try:
            i = st.incident(incident_id)
        except StoreError as exc:
            raise _usage(str(exc)) from None
    console = _say()
    if as_json:
        typer.echo(i.model_dump_json(indent=2))
        return
    console.print(f"[bold]{i.id}[/bold] {i.sub_type} ({i.event_type}), {i.outcome}")
    console.print(f"date: {i.date.value or 'unresolved'} ({i.date.precision}) {i.date.phrases}")
    console.print(f"place: {i.place.model_dump(exclude_none=True)}")
    console.print(f"perpetrators: {[a.name for a in i.perpetrators]}")
    console.print(f"targets: {[a.name for a in i.targets]}")
    for toll in i.casualties:
        console.print(
            f"{toll.kind} ({toll.group}): low {toll.low}, best {toll.best}, high {toll.high}, "
            f"most conservative {toll.conservative}"
        )
        for step in toll.history:
            replaced = f", replacing {', '.join(step.replaced)}" if step.replaced else ""
            console.print(f"  after {step.after}: {step.low}/{step.best}/{step.high}{replaced}")
    console.print("sources:")
    for s in i.sources:
        console.print(
            f"  {s.run_key}:{s.article_id}/{s.event_id} {s.outlet or ''} {s.published or ''}"
        )
        for span in s.evidence:
            console.print(f"    {span.field}: “{span.quote}” [{span.start}:{span.end}]")
    console.print("decisions:")
    for d in i.decisions:
        console.print(f"  {d.at} {d.action} {d.report} score={d.score}: {d.reasons}")


@store_app.command("split")
def split(
    incident_id: Annotated[str, typer.Argument(help="The incident to split.")],
    reports: Annotated[
        list[str], typer.Argument(help="Reports to move out: ARTICLE/EVENT or RUN:ARTICLE/EVENT.")
    ],
    store: StoreOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="Why, for the record.")] = None,
) -> None:
    """Move reports out of a wrongly merged incident into a new one; the store remembers, and a
    later add never merges them back."""
    with _open(store) as st:
        try:
            new_id = st.split(incident_id, reports, note=note)
        except StoreError as exc:
            raise _usage(str(exc)) from None
    _say().print(f"split {', '.join(reports)} out of {incident_id} into {new_id}")


@store_app.command("export")
def export_command(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="acled, ucdp or jsonl.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    store: StoreOpt = None,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Replace --out even if it is not an export of --format."),
    ] = False,
) -> None:
    """Write every incident as ACLED-format CSV, UCDP-GED-style CSV or JSONL."""
    with _open(store) as st:
        try:
            n = export(st, fmt.value, out, overwrite=overwrite)
        except ExportError as exc:
            raise _usage(str(exc)) from None
    _say().print(f"wrote {n} incidents to {out} ({fmt.value})")


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


@store_app.command("score")
def score_command(
    clusters: Annotated[list[Path], typer.Argument(help="Gold-cluster files (evals/clusters).")],
    results: Annotated[
        Path | None,
        typer.Option(
            "--results",
            help="Score an extractor's records (aligned to the gold events) instead "
            "of merging the gold records themselves.",
        ),
    ] = None,
    with_gold: Annotated[
        bool,
        typer.Option(
            "--with-gold",
            help="With --results: add the gold records as one run and the "
            "results as a second run of the same articles (each attack should become one record).",
        ),
    ] = False,
    muc4: Annotated[
        Path | None, typer.Option("--muc4", help="MUC-4 dev folder (key-dev-*.muc4).")
    ] = None,
    root: Annotated[Path, typer.Option("--root", help="Folder the gold folders are in.")] = Path(),
    rules: RulesOpt = None,
) -> None:
    """Merge the records of gold-cluster sets and score the incidents: pairwise and B-cubed
    P/R/F1, and the fatality error per gold incident."""
    from store.scoring.gold import ClusterError, check_members, gold_items, load_clusters
    from store.scoring.harness import SECOND_RUN, merge_items, score
    from store.scoring.predictions import UNMATCHED, predicted_items

    try:
        merge_rules = load_rules(rules)
    except RulesError as exc:
        raise _usage(str(exc)) from None
    table = Table(
        "set",
        "records",
        "gold inc.",
        "pred. inc.",
        "gold pairs",
        "pair P",
        "pair R",
        "pair F1",
        "B3 P",
        "B3 R",
        "B3 F1",
        "fatality MAE (n, exact)",
        "unmatched",
    )
    for path in clusters:
        try:
            gold = load_clusters(path)
            items = gold_items(gold, root=root, muc4_dir=muc4)
            check_members(gold, {ref for ref, _, _ in items}, str(path))
        except (ClusterError, OSError) as exc:
            raise _usage(str(exc)) from None
        unmatched = 0
        if results is not None:
            if not results.is_file():
                raise _usage(f"{results}: no such results file")
            predicted, unmatched = predicted_items(results, items)
            if with_gold:
                predicted = [
                    (ref if ref.startswith(UNMATCHED) else SECOND_RUN + ref, article, event)
                    for ref, article, event in predicted
                ]
                items = items + predicted
            else:
                items = predicted
        assignment, fatalities = merge_items(items, merge_rules)
        assignment = {k: v for k, v in assignment.items() if not k.startswith(UNMATCHED)}
        s = score(assignment, fatalities, gold, unmatched_predictions=unmatched)
        table.add_row(
            gold.name,
            str(s.records),
            str(s.gold_incidents),
            str(s.predicted_incidents),
            str(s.gold_pairs),
            _fmt(s.pairwise.precision),
            _fmt(s.pairwise.recall),
            _fmt(s.pairwise.f1),
            _fmt(s.bcubed.precision),
            _fmt(s.bcubed.recall),
            _fmt(s.bcubed.f1),
            f"{_fmt(s.fatality_mae)} ({s.fatality_incidents}, {s.fatality_exact})",
            str(s.unmatched_predictions),
        )
    producer = f"records of {results}" if results else "the gold records themselves"
    if results and with_gold:
        producer = f"the gold records and, as a second run, the records of {results}"
    _out().print(f"merging {producer} with the store's rules (scripted, no model)")
    _out().print(table)
