"""One input item of a batch to its record: :meth:`ArticleProcessor.process`.

An unreadable input or a repeated article id becomes an ``input`` error record at once. An article
is split into chunks (:mod:`extraction.pipeline.chunking`), each chunk answered by the
:class:`~extraction.pipeline.calls.Caller`, the answers merged into one record and priced
(:mod:`extraction.batch.pricing`). Any failure of the article (a call that failed, the article
timeout,
answers that do not merge) becomes an error record with its kind and reason, redacted; only a
failure that every article would meet raises, as :class:`BatchAborted`.

>>> from extraction.batch.ratelimit import RateLimiter
>>> from schemas.records import Producer
>>> async def fake(article):
...     return ArticleExtraction(article_id=article.id,
...                              producer=Producer(kind="baseline", name="sitrep-baseline"))
>>> identity, settings = RunIdentity(model="sitrep-baseline"), BatchSettings()
>>> caller = Caller(fake, identity, settings, None, Redactor(), RateLimiter())
>>> articles = ArticleProcessor(caller, identity, settings, PriceTable.load(), Redactor())
>>> ok = asyncio.run(articles.process(Article(id="a1", text="Iran struck Koya.")))
>>> ok.record.status, ok.record.calls, ok.record.chunks, ok.record.cost_usd
('ok', 1, 1, 0.0)
>>> again = Article(id="a1", text="Calm day.", source_file="b.txt")
>>> failed = asyncio.run(articles.process(again, duplicate_of="a.txt")).record
>>> failed.key, failed.error.kind, failed.error.reason
('@b.txt', 'input', "duplicate article id 'a1' (first seen at a.txt)")
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from extraction.batch.pricing import PriceTable
from extraction.batch.results import ResultRecord
from extraction.errors import ArticleTimedOut, ErrorKind, InvalidOutput
from extraction.failures import kind_of, one_line, stops_batch
from extraction.pipeline.calls import Caller
from extraction.pipeline.chunking import Chunk, chunk_article, split_text
from extraction.pipeline.merge import merge_extractions
from extraction.pipeline.settings import BatchSettings, RunIdentity
from extraction.redaction import Redactor
from schemas.article import Article
from schemas.loaders import ArticleInputError
from schemas.records import ArticleExtraction, Usage

Item = Article | ArticleInputError
"""What the loaders yield: an article, or the reason a file or line could not become one."""


class BatchAborted(RuntimeError):
    """The batch cannot go on: every call would fail the same way (the message says why)."""


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
    exception: BaseException | None = None  # what failed the article (its record says so too)


def _results(
    tasks: Sequence[asyncio.Future[tuple[ArticleExtraction, bool]]],
) -> list[tuple[ArticleExtraction, bool] | BaseException]:
    return [t.exception() or t.result() for t in tasks]


class ArticleProcessor:
    """Turns input items into records, one at a time, through ``caller``."""

    def __init__(
        self,
        caller: Caller,
        identity: RunIdentity,
        settings: BatchSettings,
        prices: PriceTable,
        redactor: Redactor,
    ) -> None:
        self.caller = caller
        self.identity = identity
        self.settings = settings
        self.prices = prices
        self.redactor = redactor
        self.run_key = identity.run_key
        self.salvaged: list[Outcome] = []  # records finished as the batch was interrupted

    def cost(self, usage: Usage) -> float | None:
        if usage.total_tokens == 0 and usage.prompt_tokens == 0 and usage.completion_tokens == 0:
            return 0.0
        return self.prices.cost(
            self.identity.model,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            cached_prompt_tokens=usage.cached_prompt_tokens,
        )

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
        except TimeoutError:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)
            timed_out = ArticleTimedOut(
                f"the article took longer than {self.settings.article_timeout:g}s in all"
            )
            return self._from_exception(article, timed_out, Usage(), Usage(), len(chunks), 0)
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
        wrong = next((p.article_id for p in parts if p.article_id != article.id), None)
        if wrong is not None:
            named = InvalidOutput(f"the extraction names article {wrong!r}, not {article.id!r}")
            return self._from_exception(article, named, spent, total, len(chunks), calls)
        try:
            merged = parts[0] if len(parts) == 1 else merge_extractions(article, chunks, parts)
        except (ValueError, ValidationError) as exc:
            unmerged = InvalidOutput(
                f"the answers of the article's {len(chunks)} chunks do not merge: {exc}"
            )
            return self._from_exception(article, unmerged, spent, total, len(chunks), calls)
        record = ResultRecord(
            key=article.id,
            article_id=article.id,
            run_key=self.run_key,
            status="ok",
            source=article.source_file,
            article_sha256=article.sha256,
            extraction=merged,
            article=article if article.extracted_from else None,
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
            return await self.caller.call(piece)
        except Exception as exc:
            if stops_batch(exc):
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
        kind = kind_of(exc)
        reason = str(exc) or type(exc).__name__
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
        outcome.record.error.attempts = getattr(exc, "attempts", None)
        return Outcome(outcome.record, spent, self.cost(spent), exc)
