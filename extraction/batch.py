"""Batch extraction: many articles through one endpoint, as fast as it allows, never paying twice.

:func:`extract_batch` is an async iterator of :class:`~extraction.results.ResultRecord`, one per
input item, in completion order. It keeps at most ``concurrency`` calls in flight (and twice that
many articles in memory, whatever the size of the input), paces calls to the optional requests-
and tokens-per-minute limits, answers from the :class:`~extraction.cache.ResponseCache` when it can,
splits long articles (:mod:`extraction.chunking`), prices every record (:mod:`extraction.pricing`)
and turns every failure of one article into an error record with its reason, so the batch goes on.
Only failures that no article can escape (a refused API key, an unknown model, an exhausted quota)
stop it, with :class:`BatchAborted`.

:func:`run_batch` adds the results file: already-finished articles are skipped, every record is
made durable as it arrives, and the finished file is rewritten in input order.

The extraction itself is injected (``ExtractFn``), so anything async that maps an
:class:`~schemas.article.Article` to an :class:`~schemas.records.ArticleExtraction` can be batched:

>>> import asyncio
>>> from schemas.records import Producer
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

import asyncio
import contextlib
import hashlib
import json
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from extraction.cache import ResponseCache, article_hash, cache_key
from extraction.chunking import (
    DEFAULT_CHUNK_TOKENS,
    DEFAULT_OVERLAP_TOKENS,
    Chunk,
    chunk_article,
    estimate_tokens,
    merge_extractions,
    split_text,
)
from extraction.failures import classify, is_fatal, one_line
from extraction.pricing import PriceTable
from extraction.ratelimit import RateLimiter
from extraction.redaction import Redactor, redact_url
from extraction.results import (
    RETRYABLE_KINDS,
    ErrorKind,
    Identity,
    ResultRecord,
    ResultsFile,
    ResumeState,
    identity_digest,
)
from schemas.article import Article
from schemas.loaders import ArticleInputError
from schemas.records import ArticleExtraction, Usage

ExtractFn = Callable[[Article], Awaitable[ArticleExtraction]]
"""One article (or one chunk of a long article) in, its records out; raises on failure."""

Item = Article | ArticleInputError
"""What the loaders yield: an article, or the reason a file or line could not become one."""


class BatchAborted(RuntimeError):
    """The batch cannot go on: every call would fail the same way (the message says why)."""


@dataclass(frozen=True, slots=True)
class RunIdentity:
    """What decides the answer for an article: the configuration a record is keyed by.

    ``parameters`` are the sampling settings that change an answer (not timeouts or retries).
    """

    model: str
    endpoint: str | None = None
    prompt_hash: str | None = None
    schema_hash: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    producer_kind: str = "model"
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS

    @property
    def run_key(self) -> str:
        """Short hash naming this configuration in every record it produces.

        >>> RunIdentity(model="m").run_key == RunIdentity(model="m", chunk_tokens=500).run_key
        False
        """
        payload = {
            "model": self.model,
            "endpoint": redact_url(self.endpoint),
            "prompt_hash": self.prompt_hash,
            "schema_hash": self.schema_hash,
            "parameters": dict(self.parameters),
            "producer_kind": self.producer_kind,
            "chunking": [self.chunk_tokens, self.overlap_tokens],
        }
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
        return "run:" + hashlib.sha256(text.encode()).hexdigest()[:16]

    def call_key(self, article: Article) -> str:
        return cache_key(
            model=self.model,
            endpoint=self.endpoint,
            prompt_hash=self.prompt_hash,
            schema_hash=self.schema_hash,
            parameters=self.parameters,
            article_hash=article_hash(article),
        )


@dataclass(frozen=True, slots=True)
class BatchSettings:
    concurrency: int = 8
    rpm: float | None = None
    tpm: float | None = None
    article_timeout: float | None = None
    """Seconds one article may take in all (calls, retries, chunks); ``None``: no limit beyond
    the client's own per-request timeout and retries."""
    overhead_tokens: int = 4000
    """Tokens a call spends besides the article (instructions and schema: 3,903 in tools mode,
    see ``benchmarks/``), for the tpm pacing until a call's real usage is known."""
    expected_output_tokens: int = 1000
    """Completion tokens a call is assumed to use until its usage is known, for the tpm pacing."""

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {self.concurrency}")
        for name in ("rpm", "tpm", "article_timeout"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive, not {value}")


@dataclass(slots=True)
class BatchProgress:
    """Running counts, updated as each record is finished (and, with a results file, on disk)."""

    total: int | None = None
    skipped: int = 0  # already in the results file
    done: int = 0
    ok: int = 0
    failed: int = 0
    cached: int = 0
    calls: int = 0  # articles or chunks sent to the endpoint (each may take several requests)
    prompt_tokens: int = 0  # spent by this run (cache hits spend none)
    completion_tokens: int = 0
    cost_usd: float = 0.0  # spent by this run, on priced models
    cost_known: bool = True
    failed_by_kind: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def add(self, record: ResultRecord, spent: Usage, spent_cost: float | None) -> None:
        self.done += 1
        if record.status == "ok":
            self.ok += 1
        else:
            self.failed += 1
            kind = record.error.kind if record.error else "internal"
            self.failed_by_kind[kind] = self.failed_by_kind.get(kind, 0) + 1
        self.cached += int(record.cached)
        self.calls += record.calls
        self.prompt_tokens += spent.prompt_tokens
        self.completion_tokens += spent.completion_tokens
        if spent_cost is None:
            self.cost_known = self.cost_known and spent.total_tokens == 0
        else:
            self.cost_usd += spent_cost


ProgressFn = Callable[[BatchProgress], None]


# -- the runner -------------------------------------------------------------------------------


def item_key(item: Item) -> str:
    """The record key of an input item: the article id, or ``@<file>[:<line>]``.

    >>> item_key(ArticleInputError("in.jsonl", "is empty", line=3, field="text"))
    '@in.jsonl:3'
    """
    if isinstance(item, Article):
        return item.id
    return "@" + item.path + (f":{item.line}" if item.line is not None else "")


@dataclass(slots=True)
class Outcome:
    record: ResultRecord
    spent: Usage  # tokens this run paid for (not those of cache hits)
    spent_cost: float | None


def _results(
    tasks: Sequence[asyncio.Future[tuple[ArticleExtraction, bool]]],
) -> list[tuple[ArticleExtraction, bool] | BaseException]:
    return [t.exception() or t.result() for t in tasks]


class BatchRunner:
    """Runs articles through ``extract_fn`` under the limits of ``settings``."""

    def __init__(
        self,
        extract_fn: ExtractFn,
        identity: RunIdentity,
        *,
        settings: BatchSettings | None = None,
        cache: ResponseCache | None = None,
        prices: PriceTable | None = None,
        redactor: Redactor | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.extract_fn = extract_fn
        self.identity = identity
        self.settings = settings or BatchSettings()
        self.cache = cache
        self.prices = prices if prices is not None else PriceTable.load()
        self.redactor = redactor or Redactor()
        self.limiter = limiter or RateLimiter(self.settings.rpm, self.settings.tpm)
        self.run_key = identity.run_key
        self._calls = asyncio.Semaphore(self.settings.concurrency)
        self._inflight: dict[str, asyncio.Future[ArticleExtraction]] = {}
        self.salvaged: list[Outcome] = []  # records finished as the batch was interrupted

    def cost(self, usage: Usage) -> float | None:
        if usage.total_tokens == 0 and usage.prompt_tokens == 0 and usage.completion_tokens == 0:
            return 0.0
        return self.prices.cost(
            self.identity.model,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
        )

    # one call (an article, or one chunk of it) -------------------------------------------

    async def _call(self, article: Article) -> tuple[ArticleExtraction, bool]:
        """The extraction of ``article`` and whether it was had without paying for a call: from
        the cache, or from an identical call already in flight (single-flight)."""
        key = self.identity.call_key(article)
        while True:
            pending = self._inflight.get(key)
            if pending is None:
                break
            try:
                found = await asyncio.shield(pending)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if pending.cancelled() and task is not None and not task.cancelling():
                    continue  # the other call was cancelled (its article timed out), not us
                raise
            except Exception:
                continue  # the other call failed: make our own
            return found.model_copy(update={"article_id": article.id}), True
        if self.cache is not None and self.cache.readable:
            hit = self.cache.get(key)
            if hit is not None:
                try:
                    found = ArticleExtraction.model_validate_json(hit)
                except ValueError:
                    pass  # an entry this version cannot read: call again (and overwrite it)
                else:
                    return found.model_copy(update={"article_id": article.id}), True
        future: asyncio.Future[ArticleExtraction] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            extraction = await self._paid_call(article)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        finally:
            del self._inflight[key]
        future.set_result(extraction)
        if self.cache is not None and self.cache.writable:
            self.cache.put(
                key,
                self.redactor(extraction.model_dump_json()),
                model=self.identity.model,
                endpoint=self.identity.endpoint,
            )
        return extraction, False

    async def _paid_call(self, article: Article) -> ArticleExtraction:
        estimate = (
            self.settings.overhead_tokens
            + estimate_tokens(article.text)
            + self.settings.expected_output_tokens
        )
        await self.limiter.acquire(estimate)
        used: int | None = None
        try:
            async with self._calls:
                extraction = await self.extract_fn(article)
            used = extraction.producer.usage.total_tokens
        except BaseException as exc:
            usage = getattr(exc, "usage", None)
            used = usage.total_tokens if isinstance(usage, Usage) else None
            raise
        finally:
            self.limiter.settle(estimate, used)
        return extraction

    # one article ------------------------------------------------------------------------

    async def process(self, item: Item, *, duplicate_of: str | None = None) -> Outcome:
        """The record of one input item; never raises but for :class:`BatchAborted`."""
        if isinstance(item, ArticleInputError):
            source = item.path + (f":{item.line}" if item.line is not None else "")
            return self._failure(item_key(item), None, source, "input", str(item))
        article = item
        if duplicate_of is not None:
            reason = f"duplicate article id {article.id!r} (first seen at {duplicate_of})"
            key = "@" + (article.source_file or article.id)
            return self._failure(key, article.id, article.source_file, "input", reason)
        chunks = split_text(
            article.text,
            max_tokens=self.identity.chunk_tokens,
            overlap_tokens=self.identity.overlap_tokens,
        )
        tasks = [asyncio.ensure_future(self._chunk(article, c, len(chunks))) for c in chunks]
        try:
            async with asyncio.timeout(self.settings.article_timeout):
                await asyncio.wait(tasks)
        except TimeoutError as exc:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)
            return self._from_exception(article, exc, Usage(), Usage(), len(chunks), 0)
        except asyncio.CancelledError:
            for task in tasks:
                task.cancel()
            if all(t.done() and not t.cancelled() for t in tasks):
                # Interrupted after every call was answered (and paid for): keep the record.
                with contextlib.suppress(BaseException):
                    self.salvaged.append(self._assemble(article, chunks, _results(tasks)))
            raise
        return self._assemble(article, chunks, _results(tasks))

    def _assemble(
        self,
        article: Article,
        chunks: list[Chunk],
        outcomes: list[tuple[ArticleExtraction, bool] | BaseException],
    ) -> Outcome:
        parts: list[ArticleExtraction] = []
        spent = Usage()
        total = Usage()
        calls = 0
        failure: BaseException | None = None
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                if isinstance(outcome, BatchAborted | asyncio.CancelledError):
                    raise outcome
                if failure is None:
                    failure = outcome
                usage = getattr(outcome, "usage", None)
                if isinstance(usage, Usage):
                    spent, total = spent + usage, total + usage
                calls += 1
                continue
            extraction, cached = outcome
            parts.append(extraction)
            total = total + extraction.producer.usage
            if not cached:
                spent = spent + extraction.producer.usage
                calls += 1
        if failure is not None:
            return self._from_exception(article, failure, spent, total, len(chunks), calls)
        try:
            merged = parts[0] if len(parts) == 1 else merge_extractions(article, chunks, parts)
        except (ValueError, ValidationError) as exc:
            return self._from_exception(article, exc, spent, total, len(chunks), calls)
        record = ResultRecord(
            key=article.id,
            article_id=article.id,
            run_key=self.run_key,
            status="ok",
            source=article.source_file,
            article_sha256=article.sha256,
            extraction=merged,
            usage=total,
            cost_usd=self.cost(total),
            cached=calls == 0,
            calls=calls,
            chunks=len(chunks),
        )
        return Outcome(record, spent, self.cost(spent))

    async def _chunk(
        self, article: Article, chunk: Chunk, n_chunks: int
    ) -> tuple[ArticleExtraction, bool]:
        piece = article if n_chunks == 1 else chunk_article(article, chunk)
        try:
            return await self._call(piece)
        except Exception as exc:
            if is_fatal(exc):
                raise BatchAborted(self.redactor(one_line(str(exc)))) from exc
            raise

    def _failure(
        self,
        key: str,
        article_id: str | None,
        source: str | None,
        kind: ErrorKind,
        reason: str,
        **kw: Any,
    ) -> Outcome:
        record = ResultRecord.failure(
            key,
            run_key=self.run_key,
            kind=kind,
            reason=self.redactor(one_line(reason)),
            article_id=article_id,
            source=source,
            **kw,
        )
        return Outcome(record, Usage(), 0.0)

    def _from_exception(
        self,
        article: Article,
        exc: BaseException,
        spent: Usage,
        total: Usage,
        chunks: int,
        calls: int,
    ) -> Outcome:
        kind, attempts, _ = classify(exc)
        reason = str(exc) or type(exc).__name__
        if isinstance(exc, TimeoutError) and self.settings.article_timeout is not None:
            reason = f"the article took longer than {self.settings.article_timeout:g}s in all"
        outcome = self._failure(
            article.id,
            article.id,
            article.source_file,
            kind,
            reason,
            article_sha256=article.sha256,
            usage=total,
            cost_usd=self.cost(total),
            calls=calls,
            chunks=chunks,
        )
        assert outcome.record.error is not None
        outcome.record.error.exception = type(exc).__name__
        outcome.record.error.attempts = attempts
        outcome.record.error.retryable = kind in RETRYABLE_KINDS
        return Outcome(outcome.record, spent, self.cost(spent))

    # the batch --------------------------------------------------------------------------

    async def run(
        self,
        items: Iterable[Item],
        *,
        skip: Callable[[Identity], bool] | None = None,
        progress: BatchProgress | None = None,
        on_abandoned: Callable[[Outcome], None] | None = None,
    ) -> AsyncGenerator[Outcome, None]:
        """Outcomes in completion order; items whose identity ``skip`` accepts are passed over.

        If the iteration stops early (Ctrl-C, an abort), outcomes already finished but not yet
        taken are handed to ``on_abandoned``, so that a caller can still save what was paid for."""
        window = self.settings.concurrency * 2
        slots = asyncio.Semaphore(window)
        finished: asyncio.Queue[Outcome | BaseException | None] = asyncio.Queue()
        tasks: set[asyncio.Task[None]] = set()

        async def one(item: Item, duplicate_of: str | None) -> None:
            # The slot is released by the consumer once it has taken the outcome, so articles
            # in flight plus outcomes not yet consumed never exceed the window.
            try:
                outcome = await self.process(item, duplicate_of=duplicate_of)
            except BaseException as exc:  # BatchAborted, a bug, or cancellation
                finished.put_nowait(exc)
                raise
            finished.put_nowait(outcome)

        async def feed() -> None:
            seen: dict[bytes, str] = {}  # digest of an article id -> where it was first read
            try:
                for item in items:
                    key = item_key(item)
                    duplicate_of: str | None = None
                    if isinstance(item, Article):
                        where = item.source_file or item.id
                        digest = identity_digest((key, ""))
                        if digest in seen:
                            duplicate_of = seen[digest]
                            key = "@" + where
                        else:
                            seen[digest] = where
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
            abandoned += self.salvaged
            self.salvaged = []
            for left in abandoned:
                if isinstance(left, Outcome) and on_abandoned is not None:
                    on_abandoned(left)


async def extract_batch(
    items: Iterable[Item],
    extract_fn: ExtractFn,
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
        extract_fn, identity, settings=settings, cache=cache, prices=prices, redactor=redactor
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
    order: list[bytes]  # identity digests, in input order
    completed: bool


async def run_batch(
    items: Iterable[Item],
    extract_fn: ExtractFn,
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
        extract_fn, identity, settings=settings, cache=cache, prices=prices, redactor=redactor
    )
    progress = BatchProgress(total=total)
    order: list[bytes] = []

    def skip(identity_: Identity) -> bool:
        order.append(identity_digest(identity_))
        return state.is_done(identity_, retry_failed=retry_failed)

    with ResultsFile(out, redactor=redactor) as results:
        state = results.open(overwrite=overwrite)
        others = {k: n for k, n in state.run_keys.items() if k != runner.run_key}
        if others and not allow_mixed:
            raise BatchAborted(
                f"{results.path} holds {sum(others.values())} record(s) made with another "
                f"configuration (run key {', '.join(sorted(others))}; this run is "
                f"{runner.run_key}: a different model, endpoint, prompt, schema or parameters); "
                "write to a new --out file, or pass --overwrite to start this one afresh"
            )
        completed = False
        async with _Appender(results, max_pending, progress, on_progress) as appender:
            outcomes = runner.run(
                items, skip=skip, progress=progress, on_abandoned=appender.abandoned.append
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


_Pending = tuple[bytes, Outcome, BatchProgress, ProgressFn | None]


class _Appender:
    """Group commit: records wait in a queue; one writer drains all of them into one
    ``write`` + ``fsync`` (in a worker thread, off the event loop) and only then counts them as
    done. On Ctrl-C or an aborted batch, whatever was queued is still written: it was paid for."""

    def __init__(
        self,
        results: ResultsFile,
        max_pending: int,
        progress: BatchProgress,
        on_progress: ProgressFn | None,
    ) -> None:
        self.results = results
        self.progress = progress
        self.on_progress = on_progress
        self.abandoned: list[Outcome] = []  # finished outcomes an interrupted run never took
        self.queue: asyncio.Queue[_Pending | None] = asyncio.Queue(maxsize=max_pending)
        self.task: asyncio.Task[None] | None = None
        self.error: BaseException | None = None
        self.inflight: asyncio.Future[None] | None = None
        self.inflight_batch: list[_Pending] = []

    async def __aenter__(self) -> _Appender:
        self.task = asyncio.create_task(self._write_loop())
        return self

    async def submit(self, outcome: Outcome) -> None:
        if self.error is not None:
            raise self.error
        line = self.results.encode(outcome.record)
        await self.queue.put((line, outcome, self.progress, self.on_progress))

    def _drain(self) -> tuple[list[_Pending], bool]:
        batch: list[_Pending] = []
        stop = False
        while not self.queue.empty():
            got = self.queue.get_nowait()
            if got is None:
                stop = True
            else:
                batch.append(got)
        return batch, stop

    @staticmethod
    def _count(batch: list[_Pending]) -> None:
        for _, outcome, progress, on_progress in batch:
            progress.add(outcome.record, outcome.spent, outcome.spent_cost)
            if on_progress is not None:
                on_progress(progress)

    async def _write_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            first = await self.queue.get()
            more, stop = self._drain()
            batch = ([first] if first is not None else []) + more
            if batch:
                self.inflight_batch = batch
                self.inflight = loop.run_in_executor(
                    None, self.results.append_encoded, [b[0] for b in batch]
                )
                try:
                    await asyncio.shield(self.inflight)
                except asyncio.CancelledError:
                    raise
                except BaseException as exc:
                    self.error = exc
                    raise
                self.inflight, self.inflight_batch = None, []
                self._count(batch)
            if first is None or stop:
                return

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        assert self.task is not None
        if exc is None and self.error is None:
            await self.queue.put(None)  # the writer stops after everything queued before it
            with contextlib.suppress(Exception):
                await self.task
        else:
            self.task.cancel()
            with contextlib.suppress(BaseException):
                await self.task
            if self.inflight is not None:  # a write already handed to the worker thread
                await asyncio.wait([self.inflight])
                if self.inflight.exception() is None:
                    self._count(self.inflight_batch)
            leftover, _ = self._drain()
            leftover += [
                (self.results.encode(o.record), o, self.progress, self.on_progress)
                for o in self.abandoned
            ]
            if leftover and self.error is None:
                self.results.append_encoded([b[0] for b in leftover])
                self._count(leftover)
        if self.error is not None and exc is None:
            raise self.error
