"""Batch extraction: many articles through one endpoint, as fast as it allows, never paying twice.

:func:`extract_batch` is an async iterator of :class:`~extraction.batch.results.ResultRecord`, one
per
input item, in completion order. It keeps at most ``concurrency`` calls in flight (and twice that
many articles in memory, whatever the size of the input), paces calls to the optional requests-
and tokens-per-minute limits, answers from the :class:`~extraction.batch.cache.ResponseCache` when
it can,
splits long articles (:mod:`extraction.pipeline.chunking`), prices every record
(:mod:`extraction.batch.pricing`)
and turns every failure of one article into an error record with its reason, so the batch goes on.
Only failures that no article can escape (a refused API key, an unknown model, an exhausted quota)
stop it, with :class:`BatchAborted`.

:func:`run_batch` adds the results file: already-finished articles are skipped, every record is
made durable as it arrives, and the finished file is rewritten in input order.

This module holds those two entry points; the layers beneath them, each in its own module:

- :mod:`extraction.pipeline.settings`: :class:`RunIdentity` (what keys the records) and
  :class:`BatchSettings` (concurrency, rate limits, article timeout);
- :mod:`extraction.batch.progress`: :class:`BatchProgress`, the running counts;
- :mod:`extraction.pipeline.calls`: one call, from an identical call in flight, the cache, or a paid
  call paced to the limits;
- :mod:`extraction.pipeline.article`: one input item to its record (chunks, merge, price, failure);
- :mod:`extraction.batch.runner`: :class:`BatchRunner`, the bounded window over the input;
- :mod:`extraction.batch.appender`: the group commit of records into the results file.

The producer is injected (a :class:`~extraction.model.base.Backend`, or any async function that
maps an :class:`~schemas.article.Article` to an :class:`~schemas.records.ArticleExtraction`):

>>> import asyncio
>>> from schemas.article import Article
>>> from schemas.records import ArticleExtraction, Producer
>>> async def fake(article):
...     return ArticleExtraction(article_id=article.id,
...                              producer=Producer(kind="baseline", name="sitrep-baseline"))
>>> identity = RunIdentity(model="sitrep-baseline", producer_kind="baseline")
>>> async def main():
...     items = [Article(id="a1", text="Iran struck Koya."), Article(id="a2", text="Calm day.")]
...     return [r async for r in extract_batch(items, fake, identity=identity)]
>>> sorted((r.key, r.status, r.cost_usd) for r in asyncio.run(main()))
[('a1', 'ok', 0.0), ('a2', 'ok', 0.0)]
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path

from extraction.batch.appender import ResultsAppender
from extraction.batch.cache import ResponseCache
from extraction.batch.pricing import PriceTable
from extraction.batch.progress import BatchProgress, ProgressFn
from extraction.batch.results import (
    Identity,
    ResultRecord,
    ResultsFile,
    ResumeState,
    identity_digest,
)
from extraction.batch.run_index import InputOrder
from extraction.batch.runner import BatchRunner
from extraction.model.base import Backend, ExtractFn
from extraction.pipeline.article import BatchAborted, Item, Outcome, item_key
from extraction.pipeline.settings import BatchSettings, RunIdentity
from extraction.redaction import Redactor

__all__ = [
    "Backend",
    "BatchAborted",
    "BatchProgress",
    "BatchResult",
    "BatchRunner",
    "BatchSettings",
    "ExtractFn",
    "Item",
    "Outcome",
    "ProgressFn",
    "RunIdentity",
    "extract_batch",
    "item_key",
    "run_batch",
]


async def extract_batch(
    items: Iterable[Item],
    backend: Backend | ExtractFn,
    *,
    identity: RunIdentity,
    settings: BatchSettings | None = None,
    cache: ResponseCache | None = None,
    prices: PriceTable | None = None,
    redactor: Redactor | None = None,
    on_progress: ProgressFn | None = None,
) -> AsyncIterator[ResultRecord]:
    """Records of ``items`` as they finish (completion order, not input order)."""
    runner = BatchRunner(
        backend, identity, settings=settings, cache=cache, prices=prices, redactor=redactor
    )
    progress = BatchProgress()
    async for outcome in runner.run(items, progress=progress):
        progress.add(outcome.record, outcome.spent, outcome.spent_cost)
        if on_progress is not None:
            on_progress(progress)
        yield outcome.record


@dataclass(slots=True)
class BatchResult:
    """What :func:`run_batch` did."""

    path: Path
    run_key: str
    progress: BatchProgress
    resumed: ResumeState
    order: InputOrder  # identity digests, in input order (on disk: extraction.batch.run_index)
    completed: bool


async def run_batch(
    items: Iterable[Item],
    backend: Backend | ExtractFn,
    out: str | Path,
    *,
    identity: RunIdentity,
    settings: BatchSettings | None = None,
    cache: ResponseCache | None = None,
    prices: PriceTable | None = None,
    redactor: Redactor | None = None,
    on_progress: ProgressFn | None = None,
    total: int | None = None,
    retry_failed: bool = False,
    overwrite: bool = False,
    allow_mixed: bool = False,
    max_pending: int = 1024,
) -> BatchResult:
    """Extract ``items`` into the results file ``out``, resuming what an earlier run of the same
    configuration left: finished articles are skipped (failed ones too, unless
    ``retry_failed``), each new record is on disk (``fsync``) before it counts as done, and the
    completed file is rewritten in input order with one record per article.

    A file written with another configuration is refused unless ``allow_mixed`` (or
    ``overwrite``, which starts it afresh)."""
    redactor = redactor or Redactor()
    runner = BatchRunner(
        backend, identity, settings=settings, cache=cache, prices=prices, redactor=redactor
    )
    progress = BatchProgress(total=total)

    def skip(identity_: Identity) -> bool:
        digest = identity_digest(identity_)
        order.index.add_input(digest)
        return state.is_done(digest, retry_failed=retry_failed)

    with ResultsFile(out, redactor=redactor) as results:
        state = results.open(overwrite=overwrite)
        # Per-article state is on disk (the results file's RunIndex), so memory stays flat; the
        # index lives as long as the BatchResult, whose ``order`` reads it.
        index = results.index
        assert index is not None
        order = InputOrder(index)
        others = {k: n for k, n in state.run_keys.items() if k != runner.run_key}
        if others and not allow_mixed:
            raise BatchAborted(
                f"{results.path} holds {sum(others.values())} record(s) made with another "
                f"configuration (run key {', '.join(sorted(others))}; this run is "
                f"{runner.run_key}: a different model, endpoint, prompt, schema or parameters); "
                "write to a new --out file, or pass --overwrite to start this one afresh"
            )
        completed = False
        async with ResultsAppender(results, max_pending, progress, on_progress) as appender:
            outcomes = runner.run(
                items,
                skip=skip,
                progress=progress,
                on_abandoned=appender.abandoned.append,
                seen=index.map("seen"),
            )
            async with contextlib.aclosing(outcomes):
                async for outcome in outcomes:
                    await appender.submit(outcome)
            completed = True
        if completed:
            results.finalize(order)
    return BatchResult(
        path=Path(out),
        run_key=runner.run_key,
        progress=progress,
        resumed=state,
        order=order,
        completed=completed,
    )
