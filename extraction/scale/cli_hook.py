"""``sitrep extract --via ...``: the roads other than the synchronous one, as the command calls
them.

>>> via_problem("openai-batch", None, "out.jsonl")
'--via openai-batch needs a model (--model or $SITREP_MODEL); the offline baseline makes no calls'
>>> via_problem("openai-batch", object(), "-")
'--via openai-batch needs a results file (--out FILE): its batches are kept beside it'
>>> via_problem("carrier-pigeon", None, "-")
"--via must be one of sync, openai-batch, ray, not 'carrier-pigeon'"
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openai
from openai.types import Batch
from rich.console import Console

from extraction.batch.pricing import PriceTable
from extraction.batch.progress import ProgressFn
from extraction.batch.run import BatchResult
from extraction.pipeline.extractor import Extractor
from extraction.scale.batch_road import run_openai_batch
from extraction.scale.batch_state import BatchStateError
from schemas.loaders import iter_paths

VIAS = ("sync", "openai-batch", "ray")
POLL_INTERVAL = 30.0
"""Seconds between two looks at a batch's status (a batch takes minutes to hours)."""
VIA_ERRORS = (BatchStateError, openai.APIError)
"""What a road other than ``sync`` may stop with: the command prints it and exits 2."""


def via_problem(via: str, config: Any, out: str | Path) -> str | None:
    """Why ``--via`` cannot run with this configuration, or ``None``."""
    if via not in VIAS:
        return f"--via must be one of {', '.join(VIAS)}, not {via!r}"
    if via == "openai-batch" and config is None:
        return (
            "--via openai-batch needs a model (--model or $SITREP_MODEL); "
            "the offline baseline makes no calls"
        )
    if via == "openai-batch" and str(out) == "-":
        return (
            "--via openai-batch needs a results file (--out FILE): its batches are kept beside it"
        )
    if via == "ray" and config is None:
        return "--via ray needs a model (--model or $SITREP_MODEL) served at --base-url"
    if via == "ray" and (str(out) == "-" or Path(out).is_file()):
        return "--via ray needs --out FOLDER: the records are written there as JSONL parts"
    if via == "ray" and Path(out).is_dir() and any(Path(out).iterdir()):
        return (
            f"--via ray: {out} is not empty; write to a new folder (the response cache answers "
            "what an earlier run did, so nothing is paid for twice)"
        )
    return None


def via_prices(via: str, prices: PriceTable) -> PriceTable:
    """The price table a road's summary uses: batch rates for a provider batch."""
    return prices.for_batch() if via == "openai-batch" else prices


def status_printer(console: Console) -> Any:
    """Prints a batch's status to ``console`` when it changes."""
    last: dict[int, tuple[str, int, int]] = {}

    def show(number: int, total: int, batch: Batch) -> None:
        counts = batch.request_counts
        done, failed = (counts.completed, counts.failed) if counts is not None else (0, 0)
        now = (batch.status, done, failed)
        if last.get(number) == now:
            return
        last[number] = now
        of = counts.total if counts is not None else "?"
        console.print(
            f"batch {number}/{total} {batch.id}: {batch.status}, {done}/{of} answered, "
            f"{failed} failed",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )

    return show


async def run_via(
    via: str,
    paths: Sequence[Path],
    out: str | Path,
    extractor: Extractor,
    *,
    on_progress: ProgressFn,
    total: int | None,
    retry_failed: bool,
    overwrite: bool,
    console: Console,
) -> BatchResult:
    """Run ``sitrep extract`` by road ``via`` (checked by :func:`via_problem`) with the
    pipeline's identity, settings, cache, prices and redactor."""
    config = extractor.config
    assert via == "openai-batch" and config is not None
    return await run_openai_batch(
        lambda: iter_paths(list(paths), exclude=[Path(out)]),
        config,
        out,
        identity=extractor.identity,
        settings=extractor.settings,
        cache=extractor.cache,
        prices=extractor.prices,
        redactor=extractor.redactor,
        on_progress=on_progress,
        on_status=status_printer(console),
        total=total,
        retry_failed=retry_failed,
        overwrite=overwrite,
        poll_interval=POLL_INTERVAL,
    )


def run_ray(paths: Sequence[Path], out: str | Path, extractor: Extractor, console: Console) -> int:
    """``sitrep extract --via ray``: the exit code (0 all ok, 1 some failed, 2 Ray missing).

    ``ray.init()`` joins the cluster of ``$RAY_ADDRESS`` if set, else starts one here."""
    config, identity, cache = extractor.config, extractor.identity, extractor.cache
    assert config is not None
    try:
        import ray
    except ImportError:
        console.print(
            'sitrep extract: --via ray needs Ray: pip install "sitrep[ray]"',
            markup=False,
            highlight=False,
        )
        return 2
    from extraction.scale.ray_data import (
        extract_dataset,
        iter_written,
        read_articles,
        write_records,
    )

    started = not ray.is_initialized()  # a caller's Ray is used as it is, and left running
    if started:
        ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        cpus = ray.cluster_resources().get("CPU", 1)  # type: ignore[no-untyped-call,unused-ignore]
        workers = max(1, int(cpus))
        records = extract_dataset(
            read_articles(list(paths)),
            config,
            workers=workers,
            concurrency=extractor.settings.concurrency,
            cache_path=cache.path if cache is not None else None,
            cache=cache is not None,
            chunk_tokens=identity.chunk_tokens,
            overlap_tokens=identity.overlap_tokens,
            prices=extractor.prices,
        )
        write_records(records, out)
    finally:
        if started:
            ray.shutdown()
    statuses = Counter(json.loads(line)["status"] for line in iter_written(out))
    failed = sum(n for s, n in statuses.items() if s != "ok")
    console.print(
        f"sitrep extract: {sum(statuses.values())} records in {out} ({workers} Ray workers): "
        f"{statuses.get('ok', 0)} ok, {failed} failed",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    return 1 if failed else 0
