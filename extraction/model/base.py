"""What the pipeline needs from a producer of records: the :class:`Backend` protocol.

A backend answers one article (or one chunk of a long article) with its
:class:`~schemas.records.ArticleExtraction`, asynchronously, and releases what it holds
(connections) in :meth:`Backend.aclose`. It raises :class:`extraction.errors.ExtractionError`
subclasses, whose class is the failure's category; anything else it raises is recorded as a bug
(``internal``). Everything else (splitting, cache, single-flight, rate limits, merging, records)
is the pipeline's.

The backends: :class:`~extraction.model.openai_backend.OpenAIBackend` (any OpenAI-compatible
server; the providers it knows are in :mod:`extraction.model.providers`) and
:class:`~extraction.baseline.backend.BaselineBackend` (the offline rules). Any async function from
an article to its extraction becomes one with :func:`as_backend`:

>>> import asyncio
>>> from schemas.records import Producer
>>> async def fake(article):
...     return ArticleExtraction(article_id=article.id,
...                              producer=Producer(kind="baseline", name="sitrep-baseline"))
>>> backend = as_backend(fake)
>>> isinstance(backend, Backend), asyncio.run(backend(Article(id="a", text="x"))).article_id
(True, 'a')
>>> as_backend(backend) is backend
True
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from schemas.article import Article
from schemas.records import ArticleExtraction

ExtractFn = Callable[[Article], Awaitable[ArticleExtraction]]
"""One article (or one chunk of a long article) in, its records out; raises on failure."""


@runtime_checkable
class Backend(Protocol):
    """A producer of records, as the pipeline calls it."""

    async def __call__(self, article: Article) -> ArticleExtraction:
        """The records of ``article``; raises an ``ExtractionError`` subclass on failure."""
        ...

    async def aclose(self) -> None:
        """Release what the backend holds on the running event loop (e.g. its HTTP client)."""
        ...


class FunctionBackend:
    """A plain async function as a backend that holds nothing."""

    def __init__(self, fn: ExtractFn) -> None:
        self.fn = fn

    async def __call__(self, article: Article) -> ArticleExtraction:
        return await self.fn(article)

    async def aclose(self) -> None:
        return None


def as_backend(producer: Backend | ExtractFn) -> Backend:
    """``producer`` if it is a backend, else the function wrapped as one."""
    if isinstance(producer, Backend):
        return producer
    return FunctionBackend(producer)
