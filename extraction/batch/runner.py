"""The scheduler of a batch: :meth:`BatchRunner.run` yields the outcome of every input item in
completion order, with at most ``concurrency`` paid calls in flight and at most twice that many
articles in memory (in flight, or finished and not yet taken), whatever the size of the input.

It reads the input lazily, keys each item (:func:`~extraction.pipeline.article.item_key`), marks a
repeated article id as a duplicate of where it was first read, passes over the items a resumed
run has already done (``skip``), and hands each of the others to the
:class:`~extraction.pipeline.article.ArticleProcessor`. If the iteration stops early, the outcomes
already paid for are handed to ``on_abandoned`` rather than lost.

>>> import asyncio
>>> from schemas.records import ArticleExtraction, Producer
>>> async def fake(article):
...     return ArticleExtraction(article_id=article.id,
...                              producer=Producer(kind="baseline", name="sitrep-baseline"))
>>> runner = BatchRunner(fake, RunIdentity(model="sitrep-baseline"))
>>> items = [Article(id="a1", text="Iran struck Koya.", source_file="a.txt"),
...          Article(id="a1", text="Calm day.", source_file="b.txt")]
>>> async def main():
...     return [o.record async for o in runner.run(items)]
>>> sorted((r.key, r.status) for r in asyncio.run(main()))
[('@b.txt', 'error'), ('a1', 'ok')]
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable, Iterable, MutableMapping

from extraction.batch.cache import ResponseCache
from extraction.batch.pricing import PriceTable
from extraction.batch.progress import BatchProgress
from extraction.batch.ratelimit import RateLimiter
from extraction.batch.results import Identity, identity_digest
from extraction.batch.run_index import RunIndex
from extraction.model.base import Backend, ExtractFn, as_backend
from extraction.pipeline.article import ArticleProcessor, Item, Outcome, item_key
from extraction.pipeline.calls import Caller
from extraction.pipeline.settings import BatchSettings, RunIdentity
from extraction.redaction import Redactor
from schemas.article import Article


class BatchRunner:
    """Runs articles through ``backend`` under the limits of ``settings``."""

    def __init__(
        self,
        backend: Backend | ExtractFn,
        identity: RunIdentity,
        *,
        settings: BatchSettings | None = None,
        cache: ResponseCache | None = None,
        prices: PriceTable | None = None,
        redactor: Redactor | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.identity = identity
        self.settings = settings or BatchSettings()
        prices = prices if prices is not None else PriceTable.load()
        redactor = redactor or Redactor()
        limiter = limiter or RateLimiter(self.settings.rpm, self.settings.tpm)
        self.run_key = identity.run_key
        self.backend = as_backend(backend)
        caller = Caller(self.backend, identity, self.settings, cache, redactor, limiter)
        self.articles = ArticleProcessor(caller, identity, self.settings, prices, redactor)

    async def run(
        self,
        items: Iterable[Item],
        *,
        skip: Callable[[Identity], bool] | None = None,
        progress: BatchProgress | None = None,
        on_abandoned: Callable[[Outcome], None] | None = None,
        seen: MutableMapping[bytes, str] | None = None,
    ) -> AsyncGenerator[Outcome, None]:
        """Outcomes in completion order; items whose identity ``skip`` accepts are passed over.

        If the iteration stops early (Ctrl-C, an abort), outcomes already finished but not yet
        taken are handed to ``on_abandoned``, so that a caller can still save what was paid for.

        ``seen`` remembers the article ids read (digest -> where first read), to mark a repeated
        one; without it a :class:`~extraction.batch.run_index.RunIndex` on disk holds them, so that
        memory does not grow with the input."""
        window = self.settings.concurrency * 2
        slots = asyncio.Semaphore(window)
        finished: asyncio.Queue[Outcome | BaseException | None] = asyncio.Queue()
        tasks: set[asyncio.Task[None]] = set()

        async def one(item: Item, duplicate_of: str | None) -> None:
            # The slot is released by the consumer once it has taken the outcome, so articles
            # in flight plus outcomes not yet consumed never exceed the window.
            try:
                outcome = await self.articles.process(item, duplicate_of=duplicate_of)
            except BaseException as exc:  # BatchAborted, a bug, or cancellation
                finished.put_nowait(exc)
                raise
            finished.put_nowait(outcome)

        scratch: RunIndex | None = None
        if seen is None:
            scratch = RunIndex()
            seen = scratch.map("seen")
        ids: MutableMapping[bytes, str] = seen

        async def feed() -> None:
            try:
                for item in items:
                    key = item_key(item)
                    duplicate_of: str | None = None
                    if isinstance(item, Article):
                        where = item.source_file or item.id
                        digest = identity_digest((key, ""))
                        first = ids.get(digest)
                        if first is not None:
                            duplicate_of = first
                            key = "@" + where
                        else:
                            ids[digest] = where
                    if skip is not None and skip((key, self.run_key)):
                        if progress is not None:
                            progress.skipped += 1
                        continue
                    await slots.acquire()
                    task = asyncio.create_task(one(item, duplicate_of))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                for _ in range(window):  # every slot back: every outcome consumed
                    await slots.acquire()
            except BaseException as exc:
                finished.put_nowait(exc)
                raise
            finished.put_nowait(None)

        feeder = asyncio.create_task(feed())
        try:
            while True:
                got = await finished.get()
                if got is None:
                    break
                slots.release()
                if isinstance(got, asyncio.CancelledError):
                    continue
                if isinstance(got, BaseException):
                    raise got
                yield got
        finally:
            for task in [feeder, *tasks]:
                task.cancel()
            for task in [feeder, *tasks]:
                with contextlib.suppress(BaseException):
                    await task
            abandoned = [finished.get_nowait() for _ in range(finished.qsize())]
            abandoned += self.articles.salvaged
            self.articles.salvaged = []
            for left in abandoned:
                if isinstance(left, Outcome) and on_abandoned is not None:
                    on_abandoned(left)
            if scratch is not None:
                scratch.close()
            with contextlib.suppress(Exception):  # a failed close must not mask the outcome
                await self.backend.aclose()  # e.g. the model path's HTTP client
