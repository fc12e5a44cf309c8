"""The labelling commands, as typer command functions for ``sitrep`` to mount.

- ``sitrep label ARTICLE... [--dir DIR] [--model M]``: a draft per article into a labelling folder;
- ``sitrep review [DIR] [--port P] [--user NAME]``: the review page on 127.0.0.1, opened in a
  browser (``--stats`` prints the draft acceptance rate per field instead);
- ``sitrep agree DIR_A DIR_B``: agreement between two labellers over the same articles.

Exit codes: 0 success; 1 some articles failed; 2 usage or configuration error.
"""

from __future__ import annotations

import getpass
import json
import os
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from extraction.cli.options import (
    MaxReasksOpt,
    MaxTokensOpt,
    ModeOpt,
    TimeoutOpt,
    model_call_options,
)

DEFAULT_DIR = Path("labels")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def label(
    articles: Annotated[
        list[Path],
        typer.Argument(
            help="Article files: .txt (one article each), .jsonl (id, text, metadata), folders."
        ),
    ],
    directory: Annotated[
        Path, typer.Option("--dir", "-d", help="The labelling folder (created if missing).")
    ] = DEFAULT_DIR,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", "-m", help="Model to draft with (default: SITREP_MODEL, else the baseline)."
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="OpenAI-compatible endpoint (default: SITREP_BASE_URL)."),
    ] = None,
    baseline: Annotated[
        bool,
        typer.Option(
            "--baseline", help="Draft with the offline baseline even if a model is configured."
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Redraft articles that already have a draft (the old one goes to history/).",
        ),
    ] = False,
    mode: ModeOpt = None,
    timeout: TimeoutOpt = None,
    max_tokens: MaxTokensOpt = None,
    max_reasks: MaxReasksOpt = None,
) -> None:
    """Pre-fill records for new articles: one draft per article, in the gold format, to review
    with `sitrep review`."""
    from extraction.errors import ConfigurationError, ExtractionError
    from labelling.drafts import choose_drafter, make_draft, new_run_id
    from labelling.store import LabellingFolder
    from schemas.evidence import Evidence
    from schemas.loaders import ArticleInputError, iter_paths

    try:
        options = model_call_options(
            mode=mode, timeout=timeout, max_tokens=max_tokens, max_reasks=max_reasks
        )
        chosen, drafter = choose_drafter(
            model, base_url=base_url, baseline=baseline, mode=mode, options=options
        )
    except ConfigurationError as exc:
        raise _fail(f"sitrep label: {exc}") from None
    run_id = new_run_id()
    folder = LabellingFolder(directory)
    typer.echo(f"sitrep label: drafting with {chosen} into {folder.root} (run {run_id})", err=True)
    failed = drafted = skipped = 0
    for item in iter_paths(list(articles)):
        if isinstance(item, ArticleInputError):
            typer.echo(f"error: {item}", err=True)
            failed += 1
            continue
        try:
            folder.add_article(item)
        except (FileExistsError, OSError) as exc:
            typer.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        if folder.draft_path(item.id).exists() and not force:
            typer.echo(f"{item.id}: skipped, drafts/{item.id}.json exists (--force redrafts)")
            skipped += 1
            continue
        try:
            extraction = drafter(item)
        except ExtractionError as exc:
            typer.echo(f"error: {item.id}: {exc}", err=True)
            failed += 1
            continue
        draft = make_draft(item, extraction, run_id=run_id)
        folder.write_draft(draft, replace=force)
        drafted += 1
        records = draft.records
        evidence: list[Evidence | None] = [e.evidence for e in records.events]
        evidence += [s.evidence for s in records.statements]
        lost = sum(1 for ev in evidence if ev is not None and not ev.grounded)
        note = f"; {lost} evidence span(s) not found in the text" if lost else ""
        typer.echo(
            f"{item.id}: drafts/{item.id}.json ({len(records.events)} events, "
            f"{len(records.statements)} statements{note})"
        )
        if folder.gold_path(item.id).exists():
            typer.echo(
                f"  note: gold/{item.id}.json is already reviewed; it is left as it is", err=True
            )
    typer.echo(f"{drafted} drafted, {skipped} skipped, {failed} failed", err=True)
    if failed:
        raise typer.Exit(1)


def _print_stats(directory: Path, as_json: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from labelling.provenance import acceptance_rates
    from labelling.store import LabellingFolder

    folder = LabellingFolder(directory)
    golds = folder.golds()
    rows = acceptance_rates(golds)
    if as_json:
        typer.echo(
            json.dumps({"gold_files": len(golds), "fields": [r.as_dict() for r in rows]}, indent=2)
        )
        return
    table = Table(title=f"Draft acceptance per field ({len(golds)} reviewed gold files)")
    for col in ("field", "accepted", "confirmed", "changed", "rejected", "unconfirmed", "added"):
        table.add_column(col, justify="left" if col == "field" else "right", no_wrap=col == "field")
    for r in rows:
        rate = "—" if r.acceptance is None else f"{r.acceptance:.0%}"
        table.add_row(
            r.field,
            rate,
            str(r.confirmed),
            str(r.changed),
            str(r.rejected),
            str(r.model),
            str(r.added),
        )
    Console().print(table)


def review(
    directory: Annotated[Path, typer.Argument(help="The labelling folder.")] = DEFAULT_DIR,
    host: Annotated[
        str, typer.Option("--host", help="Interface to bind (loopback only by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="Port (0: any free port).")] = 8765,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", "-u", help="Who is reviewing (default: SITREP_USER, else the login name)."
        ),
    ] = None,
    no_open: Annotated[bool, typer.Option("--no-open", help="Do not open a browser.")] = False,
    stats: Annotated[
        bool, typer.Option("--stats", help="Print the draft acceptance rate per field and exit.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --stats: print JSON.")] = False,
) -> None:
    """Review drafts in the browser: correct them and save them as gold."""
    if not (directory / "articles").is_dir():
        raise _fail(
            f"sitrep review: {directory} is not a labelling folder (no articles/ in it); "
            "create one with `sitrep label ARTICLE... --dir "
            f"{directory}`"
        )
    if stats:
        _print_stats(directory, as_json)
        return
    from labelling.server import bind, create_app, serve, url_of
    from labelling.store import LabellingFolder

    reviewer = (user or os.environ.get("SITREP_USER") or getpass.getuser()).strip()
    if not reviewer:
        raise _fail("sitrep review: no reviewer name; pass --user NAME")
    allowed: list[str] | None = None
    if host not in LOOPBACK_HOSTS:
        typer.echo(
            f"warning: serving on {host}: anyone who can reach it can read the articles "
            "(saving still needs the page's token)",
            err=True,
        )
        allowed = ["*"]
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise _fail(
            f"sitrep review: cannot listen on {host}:{port} ({exc.strerror}); "
            "try another --port, or --port 0"
        ) from None
    app = create_app(LabellingFolder(directory), reviewer=reviewer, allowed_hosts=allowed)
    url = url_of(sock)
    typer.echo(f"sitrep review: {url} (reviewing as {reviewer}; Ctrl+C stops)", err=True)
    if not no_open:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    serve(app, sock)


def agree(
    dir_a: Annotated[Path, typer.Argument(help="Labelling folder of labeller A.")],
    dir_b: Annotated[Path, typer.Argument(help="Labelling folder of labeller B.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    disagreements: Annotated[
        int, typer.Option("--show", help="How many disagreements to list (0: none).")
    ] = 30,
) -> None:
    """Agreement between two labellers over the same articles: event and statement F1, per-field
    agreement (Cohen's kappa, Krippendorff's alpha) and the disagreements to adjudicate."""
    from labelling.agree import AgreementInputError, agreement, render_report

    try:
        report = agreement(dir_a, dir_b)
    except AgreementInputError as exc:
        raise _fail(f"sitrep agree: {exc}") from None
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        render_report(report, show=disagreements)
