"""The labelling commands, as typer command functions for ``sitrep`` to mount.

- ``sitrep label ARTICLE... [--dir DIR] [--model M]``: a draft per article into a labelling folder;
- ``sitrep review [DIR] [--port P] [--user NAME]``: the review page on 127.0.0.1, opened in a
  browser (``--stats`` prints the draft acceptance rate per field instead);
- ``sitrep agree DIR_A DIR_B``: agreement between two labellers over the same articles;
- ``sitrep adjudicate DIR_A DIR_B --dir OUT``: their disagreements decided in the browser, saved
  as gold in ``OUT``.

Exit codes: 0 success; 1 some articles failed; 2 usage or configuration error.
"""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import threading
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from extraction.cli.options import (
    MaxReasksOpt,
    MaxTokensOpt,
    ModeOpt,
    TimeoutOpt,
    model_call_options,
)

if TYPE_CHECKING:
    from extraction.pipeline.extractor import Extractor
    from labelling.store import LabellingFolder
    from schemas.article import Article

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
    from extraction.batch.cache import CacheError
    from extraction.errors import ConfigurationError
    from labelling.drafts import choose_extractor, new_run_id
    from labelling.store import LabellingFolder

    try:
        options = model_call_options(
            mode=mode, timeout=timeout, max_tokens=max_tokens, max_reasks=max_reasks
        )
        chosen, extractor = choose_extractor(
            model, base_url=base_url, baseline=baseline, mode=mode, options=options
        )
    except (ConfigurationError, CacheError) as exc:
        raise _fail(f"sitrep label: {exc}") from None
    run_id = new_run_id()
    folder = LabellingFolder(directory)
    typer.echo(f"sitrep label: drafting with {chosen} into {folder.root} (run {run_id})", err=True)
    tally = _Tally()
    from extraction.pipeline.article import BatchAborted

    with extractor:
        try:
            asyncio.run(_draft_all(list(articles), folder, extractor, run_id, force, tally))
        except BatchAborted as exc:  # every article would fail the same way: say why, stop
            raise _fail(f"sitrep label: {extractor.redactor(str(exc))}") from None
    typer.echo(f"{tally.drafted} drafted, {tally.skipped} skipped, {tally.failed} failed", err=True)
    if tally.failed:
        raise typer.Exit(1)


@dataclass
class _Tally:
    drafted: int = 0
    skipped: int = 0
    failed: int = 0


def _to_draft(
    paths: list[Path], folder: LabellingFolder, force: bool, tally: _Tally
) -> Iterator[Article]:
    """The articles to draft, each copied into the folder first; reports the others."""
    from schemas.loaders import ArticleInputError, iter_paths

    for item in iter_paths(paths):
        if isinstance(item, ArticleInputError):
            typer.echo(f"error: {item}", err=True)
            tally.failed += 1
            continue
        try:
            folder.add_article(item)
        except (FileExistsError, OSError) as exc:
            typer.echo(f"error: {exc}", err=True)
            tally.failed += 1
            continue
        if folder.draft_path(item.id).exists() and not force:
            typer.echo(f"{item.id}: skipped, drafts/{item.id}.json exists (--force redrafts)")
            tally.skipped += 1
            continue
        yield item


async def _draft_all(
    paths: list[Path],
    folder: LabellingFolder,
    extractor: Extractor,
    run_id: str,
    force: bool,
    tally: _Tally,
) -> None:
    """Every article through the extraction pipeline, each result written as a draft."""
    from labelling.drafts import make_draft
    from schemas.evidence import Evidence

    articles: dict[str, Article] = {}

    def remembered() -> Iterator[Article]:
        for article in _to_draft(paths, folder, force, tally):
            articles[article.id] = article
            yield article

    async for record in extractor.records(remembered()):
        article = articles.pop(record.article_id or record.key, None)
        if record.extraction is None or article is None:
            reason = record.error.reason if record.error is not None else "no extraction"
            typer.echo(f"error: {record.article_id or record.key}: {reason}", err=True)
            tally.failed += 1
            continue
        draft = make_draft(article, record.extraction, run_id=run_id)
        folder.write_draft(draft, replace=force)
        tally.drafted += 1
        records = draft.records
        evidence: list[Evidence | None] = [e.evidence for e in records.events]
        evidence += [s.evidence for s in records.statements]
        lost = sum(1 for ev in evidence if ev is not None and not ev.grounded)
        note = f"; {lost} evidence span(s) not found in the text" if lost else ""
        typer.echo(
            f"{article.id}: drafts/{article.id}.json ({len(records.events)} events, "
            f"{len(records.statements)} statements{note})"
        )
        if folder.gold_path(article.id).exists():
            typer.echo(
                f"  note: gold/{article.id}.json is already reviewed; it is left as it is", err=True
            )


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
    from labelling.agree import AgreementInputError, agreement
    from labelling.console import render_report

    try:
        report = agreement(dir_a, dir_b)
    except AgreementInputError as exc:
        raise _fail(f"sitrep agree: {exc}") from None
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        render_report(report, show=disagreements)


def adjudicate(
    dir_a: Annotated[Path, typer.Argument(help="Labelling folder of labeller A.")],
    dir_b: Annotated[Path, typer.Argument(help="Labelling folder of labeller B.")],
    out: Annotated[
        Path,
        typer.Option("--dir", "-d", help="Labelling folder the adjudicated gold is saved in."),
    ] = Path("adjudicated"),
    port: Annotated[int, typer.Option("--port", "-p", help="Port (0: any free port).")] = 8766,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", "-u", help="Who adjudicates (default: SITREP_USER, else the login name)."
        ),
    ] = None,
    no_open: Annotated[bool, typer.Option("--no-open", help="Do not open a browser.")] = False,
) -> None:
    """Adjudicate two labellers' gold in the browser: their disagreements side by side, as
    `sitrep agree` aligns them; the result is saved as gold in --dir."""
    from labelling.adjudicate_server import create_adjudication_app
    from labelling.agree import AgreementInputError
    from labelling.server import bind, serve, url_of

    adjudicator = (user or os.environ.get("SITREP_USER") or getpass.getuser()).strip()
    if not adjudicator:
        raise _fail("sitrep adjudicate: no adjudicator name; pass --user NAME")
    try:
        app = create_adjudication_app(dir_a, dir_b, out, adjudicator=adjudicator)
    except AgreementInputError as exc:
        raise _fail(f"sitrep adjudicate: {exc}") from None
    try:
        sock = bind("127.0.0.1", port)
    except OSError as exc:
        raise _fail(
            f"sitrep adjudicate: cannot listen on 127.0.0.1:{port} ({exc.strerror}); "
            "try another --port, or --port 0"
        ) from None
    url = url_of(sock)
    typer.echo(
        f"sitrep adjudicate: {url} (adjudicating as {adjudicator} into {out}; Ctrl+C stops)",
        err=True,
    )
    if not no_open:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    serve(app, sock)
