"""The calls of a batch: never pay twice for the same answer, never exceed the limits.

:meth:`Caller.call` answers one article (or one chunk of a long article) from, in turn, an
identical call already in flight (single-flight), the
:class:`~extraction.batch.cache.ResponseCache`,
or a paid call to the :class:`~extraction.model.base.Backend`: paced by the
:class:`~extraction.batch.ratelimit.RateLimiter` and with at most ``concurrency`` paid calls in
flight.
A paid answer is stored in the cache, redacted.

>>> import asyncio
>>> from extraction.batch.ratelimit import RateLimiter
>>> from extraction.redaction import Redactor
>>> from schemas.records import Producer
>>> paid = []
>>> async def fake(article):
...     paid.append(article.id)
...     await asyncio.sleep(0)
...     return ArticleExtraction(article_id=article.id,
...                              producer=Producer(kind="baseline", name="sitrep-baseline"))
>>> caller = Caller(fake, RunIdentity(model="sitrep-baseline"), BatchSettings(), None,
...                 Redactor(), RateLimiter())
>>> async def twice():  # the same text under two ids: one paid call
...     return await asyncio.gather(caller.call(Article(id="a1", text="Iran struck Koya.")),
...                                 caller.call(Article(id="a2", text="Iran struck Koya.")))
>>> [(extraction.article_id, free) for extraction, free in asyncio.run(twice())], paid
([('a1', False), ('a2', True)], ['a1'])
"""

from __future__ import annotations

import asyncio

from extraction.batch.cache import ResponseCache
from extraction.batch.ratelimit import RateLimiter
from extraction.model.base import Backend, ExtractFn, as_backend
from extraction.pipeline.chunking import estimate_tokens
from extraction.pipeline.settings import BatchSettings, RunIdentity
from extraction.redaction import Redactor
from schemas.article import Article
from schemas.records import ArticleExtraction, Usage

__all__ = ["Caller", "ExtractFn"]


class Caller:
    """Makes the calls of one batch run through ``backend`` (see the module docstring)."""

    def __init__(
        self,
        backend: Backend | ExtractFn,
        identity: RunIdentity,
        settings: BatchSettings,
        cache: ResponseCache | None,
        redactor: Redactor,
        limiter: RateLimiter,
    ) -> None:
        self.backend = as_backend(backend)
        self.identity = identity
        self.settings = settings
        self.cache = cache
        self.redactor = redactor
        self.limiter = limiter
        self._calls = asyncio.Semaphore(settings.concurrency)
        self._inflight: dict[str, asyncio.Future[ArticleExtraction]] = {}

    async def call(self, article: Article) -> tuple[ArticleExtraction, bool]:
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
                extraction = await self.backend(article)
            used = extraction.producer.usage.total_tokens
        except BaseException as exc:
            usage = getattr(exc, "usage", None)
            used = usage.total_tokens if isinstance(usage, Usage) else None
            raise
        finally:
            self.limiter.settle(estimate, used)
        return extraction
