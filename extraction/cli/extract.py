"""``sitrep extract``: a folder, text files or JSONL in; a resumable results file out.

:func:`run_extract_batch` is the whole command as a function returning the exit code (0: every
article extracted; 1: some failed, each with an error record; 2: a usage or configuration error,
or a batch stopped because no call could succeed; 130: interrupted, rerun to continue).
:func:`extract_command` is the same with typer options, ready to mount:
``app.command("extract")(extract_command)``.

Progress (done, failed, tokens, cost, ETA) and the summary go to stderr; with ``--out -`` the
records go to stdout as JSON lines (no resume, completion order).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, cast, get_args

import typer
from rich.console import Console

from extraction.batch.cache import CacheError, CacheMode
from extraction.batch.pricing import PriceTable, PriceTableError
from extraction.batch.results import ResultsFileError
from extraction.batch.run import BatchAborted
from extraction.batch.summary import summarize, summary_path, write_summary
from extraction.cli.console import ProgressBar, logging_to, print_summary
from extraction.cli.options import (
    MaxReasksOpt,
    MaxTokensOpt,
    ModeOpt,
    TimeoutOpt,
    model_call_options,
)
from extraction.cli.preflight import PreflightError, check_inputs, check_out
from extraction.config import BASELINE_NOTICE, resolve_config
from extraction.errors import RETRYABLE_KINDS, ConfigurationError
from extraction.pipeline.chunking import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS
from extraction.pipeline.extractor import Extractor
from extraction.scale.cli_hook import VIA_ERRORS, run_ray, run_via, via_prices, via_problem
from schemas.loaders import iter_paths

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
STDOUT = "-"


def count_items(paths: Sequence[Path]) -> int:
    """How many items the loaders will yield (article files, JSONL lines), counted without
    parsing; a missing path raises :class:`~extraction.cli.preflight.PreflightError`."""
    return check_inputs(paths, None).total


def _say(err: Console, message: str) -> None:
    err.print(f"sitrep extract: {message}", markup=False, highlight=False, soft_wrap=True)


def run_extract_batch(
    paths: Sequence[Path],
    out: Path | str,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    cache_mode: str = "read-write",
    cache_path: Path | None = None,
    prices_path: Path | None = None,
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
    article_timeout: float | None = None,
    retry_failed: bool = False,
    overwrite: bool = False,
    progress: bool = True,
    notice: bool = True,
    options: Mapping[str, Any] | None = None,
    console: Console | None = None,
    environ: Mapping[str, str] | None = None,
    via: str = "sync",
) -> int:
    """Run ``sitrep extract`` and return its exit code (see the module docstring).

    ``options`` are further extraction settings (``temperature``, ``max_tokens``, ``timeout``,
    ``max_reasks``, ``max_transport_retries``, ...), as :func:`extraction.config.resolve_config`
    takes them.
    """
    err = console or Console(stderr=True)
    env = os.environ if environ is None else environ
    if cache_mode not in get_args(CacheMode):
        err.print(
            f"sitrep extract: --cache must be one of {', '.join(get_args(CacheMode))}",
            soft_wrap=True,
        )
        return EXIT_USAGE
    checked_mode = cast(CacheMode, cache_mode)
    if not paths:
        err.print(
            "sitrep extract: give at least one folder, .txt, .html or .jsonl file", soft_wrap=True
        )
        return EXIT_USAGE
    try:
        cfg = resolve_config(
            model, base_url=base_url, api_key=api_key, mode=mode, environ=env, **dict(options or {})
        )
        prices = PriceTable.load(prices_path)
    except (ConfigurationError, PriceTableError, ValueError) as exc:
        err.print(f"sitrep extract: {exc}", markup=False, highlight=False, soft_wrap=True)
        return EXIT_USAGE
    if (problem := via_problem(via, cfg, out)) is not None:
        err.print(f"sitrep extract: {problem}", markup=False, highlight=False, soft_wrap=True)
        return EXIT_USAGE
    out_path = None if str(out) == STDOUT else Path(out)
    try:
        found = check_inputs(paths, out_path)
        if out_path is not None:
            check_out(out_path, found.notes)
    except PreflightError as exc:
        _say(err, str(exc))
        return EXIT_USAGE
    for note in found.notes:
        _say(err, note)
    if cfg is None and notice:
        err.print(BASELINE_NOTICE, markup=False, highlight=False, soft_wrap=True)
    try:
        extractor = Extractor(
            cfg,
            cache=checked_mode,
            cache_path=cache_path,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            article_timeout=article_timeout,
            chunk_tokens=chunk_tokens,
            overlap_tokens=overlap_tokens,
            prices=prices,
            environ=env,
        )
    except (CacheError, ValueError) as exc:
        err.print(f"sitrep extract: {exc}", markup=False, highlight=False, soft_wrap=True)
        return EXIT_USAGE
    with extractor:
        return _run(
            paths,
            out,
            extractor,
            err,
            progress=progress,
            retry_failed=retry_failed,
            overwrite=overwrite,
            total=found.total,
            via=via,
        )


def _run(
    paths: Sequence[Path],
    out: Path | str,
    extractor: Extractor,
    err: Console,
    *,
    progress: bool,
    retry_failed: bool,
    overwrite: bool,
    total: int,
    via: str = "sync",
) -> int:
    if via == "ray":
        return run_ray(paths, out, extractor, err)
    bar = ProgressBar(err, total, enabled=progress)
    logs = logging_to(err)
    next(logs)
    try:
        with bar.progress:
            if str(out) == STDOUT:
                return _to_stdout(paths, extractor, bar)
            result = asyncio.run(
                run_via(
                    via,
                    paths,
                    out,
                    extractor,
                    on_progress=bar.update,
                    total=total,
                    retry_failed=retry_failed,
                    overwrite=overwrite,
                    console=err,
                )
                if via != "sync"
                else extractor.run(
                    iter_paths(list(paths), exclude=[Path(out)]),
                    Path(out),
                    on_progress=bar.update,
                    total=total,
                    retry_failed=retry_failed,
                    overwrite=overwrite,
                )
            )
    except KeyboardInterrupt:
        err.print(
            f"sitrep extract: interrupted; every finished article is saved in {out}. "
            "Run the same command again to continue where it stopped.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        return EXIT_INTERRUPTED
    except (BatchAborted, ResultsFileError, CacheError, *VIA_ERRORS) as exc:
        err.print(
            f"sitrep extract: {extractor.redactor(str(exc))}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        return EXIT_USAGE
    finally:
        next(logs, None)
    summary = summarize(
        result.path,
        identity=extractor.identity,
        order=result.order,
        progress=result.progress,
        prices=via_prices(via, extractor.prices),
        completed=result.completed,
    )
    where = write_summary(summary, summary_path(result.path))
    print_summary(err, summary, where)
    retryable = {k: n for k, n in summary.failed_by_kind.items() if k in RETRYABLE_KINDS}
    if retryable and not retry_failed:
        kinds = ", ".join(f"{k}: {n}" for k, n in retryable.items())
        _say(
            err,
            f"{sum(retryable.values())} article(s) failed in ways worth retrying ({kinds}); a "
            "plain rerun skips them: add --retry-failed to retry them",
        )
    return EXIT_FAILED if summary.failed else EXIT_OK


def _to_stdout(paths: Sequence[Path], extractor: Extractor, bar: ProgressBar) -> int:
    failed = 0

    async def go() -> None:
        nonlocal failed
        async for record in extractor.records(iter_paths(list(paths)), on_progress=bar.update):
            failed += record.status != "ok"
            sys.stdout.write(extractor.redactor(record.model_dump_json()) + "\n")
            sys.stdout.flush()

    asyncio.run(go())
    return EXIT_FAILED if failed else EXIT_OK


def extract_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Folders, .txt files (one article each), saved web pages (.html, .htm) or "
            ".jsonl files."
        ),
    ],
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="Results file (JSONL; resumed if it exists), or '-' (the default) for stdout.",
        ),
    ] = "-",
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="Model, e.g. openai/gpt-4.1-mini (default $SITREP_MODEL; none: the offline "
            "baseline).",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="OpenAI-compatible endpoint (default $SITREP_BASE_URL)."),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            help="API key (better: $SITREP_API_KEY or $OPENAI_API_KEY).",
            show_default=False,
        ),
    ] = None,
    mode: ModeOpt = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-j", min=1, help="Calls in flight at once.")
    ] = 8,
    rpm: Annotated[
        float | None, typer.Option("--rpm", min=0.001, help="Requests-per-minute cap.")
    ] = None,
    tpm: Annotated[
        float | None, typer.Option("--tpm", min=1, help="Tokens-per-minute cap.")
    ] = None,
    cache: Annotated[
        str, typer.Option("--cache", help="Response cache: read-write, read-only or off.")
    ] = "read-write",
    cache_path: Annotated[
        Path | None,
        typer.Option(
            "--cache-path", help="Cache file (default $SITREP_CACHE_DIR or ./.sitrep-cache)."
        ),
    ] = None,
    prices: Annotated[
        Path | None,
        typer.Option("--prices", help="Price table JSON (default: the bundled table)."),
    ] = None,
    max_tokens: MaxTokensOpt = None,
    max_reasks: MaxReasksOpt = None,
    temperature: Annotated[float | None, typer.Option("--temperature")] = None,
    timeout: TimeoutOpt = None,
    retries: Annotated[
        int | None,
        typer.Option("--retries", help="Retries after 429, 5xx, timeouts and resets."),
    ] = None,
    article_timeout: Annotated[
        float | None,
        typer.Option("--article-timeout", help="Seconds one article may take in all."),
    ] = None,
    chunk_tokens: Annotated[
        int, typer.Option("--chunk-tokens", min=8, help="Split articles longer than this.")
    ] = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: Annotated[
        int, typer.Option("--overlap-tokens", min=0, help="Overlap between chunks.")
    ] = DEFAULT_OVERLAP_TOKENS,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed", help="Try again the articles that failed in an earlier run."
        ),
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Start the results file afresh.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    via: Annotated[
        str,
        typer.Option(
            "--via",
            help="sync (calls as they go), openai-batch (the provider's Batch API: about half "
            "the price, answers within 24h; rerun the command to pick the batch up) or ray (Ray "
            "Data: a worker per CPU of the Ray cluster, --concurrency calls each; --out is a "
            "folder).",
        ),
    ] = "sync",
) -> None:
    """Extract records from many articles, resumably: rerun the same command to continue."""
    options = model_call_options(
        mode=mode, timeout=timeout, max_tokens=max_tokens, max_reasks=max_reasks
    )
    for name, value in (
        ("temperature", temperature),
        ("max_transport_retries", retries),
    ):
        if value is not None:
            options[name] = value
    code = run_extract_batch(
        inputs,
        out,
        model=model,
        base_url=base_url,
        api_key=api_key,
        mode=mode,
        concurrency=concurrency,
        rpm=rpm,
        tpm=tpm,
        cache_mode=cache,
        cache_path=cache_path,
        prices_path=prices,
        chunk_tokens=chunk_tokens,
        overlap_tokens=overlap_tokens,
        article_timeout=article_timeout,
        retry_failed=retry_failed,
        overwrite=overwrite,
        progress=not quiet,
        options=options,
        via=via,
    )
    raise typer.Exit(code)
