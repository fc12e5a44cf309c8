"""The library's entry points, all on the one pipeline
(:class:`~extraction.pipeline.extractor.Extractor`).

- ``extract(article)``: one article's records (raises on failure);
  ``extract([a1, a2, ...])``: the result records of many, in input order (a failed article is a
  failure record, and the others go on);
- ``await aextract(article)``: the same for async code;
- ``async for record in aextract_many(articles)``: result records as they finish.

With no model configured (no argument, no ``SITREP_MODEL``) the offline baseline runs;
``extract(article, "openai/gpt-4.1-mini")`` or
``extract(article, "llama3.1", base_url="http://localhost:11434/v1")`` calls a model. A model's
answers are cached like those of every command (``cache="read-write"``, at
``$SITREP_CACHE_DIR/responses.sqlite``, else ``./.sitrep-cache/responses.sqlite``), so asking again
for the same article, model and prompt costs nothing; pass ``cache="off"`` to always call the
model, ``cache="read-only"`` to never write. A ready
:class:`~extraction.config.ExtractionConfig` can be passed instead, but not both:

>>> from schemas.article import Article
>>> extract(Article(id="a", text="x"), "gpt-4.1-mini", config=ExtractionConfig(model="m"))
Traceback (most recent call last):
...
TypeError: pass either config= or model/base_url/api_key/options, not both
>>> [r.status for r in extract([Article(id="a", text="Calm."), Article(id="b", text="Calm.")])]
['ok', 'ok']
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import AsyncIterator, Coroutine, Iterable
from pathlib import Path
from typing import Any, TypeVar, overload

from extraction.batch.cache import CacheMode
from extraction.batch.results import ResultRecord
from extraction.config import BASELINE_NOTICE, ExtractionConfig, resolve_config
from extraction.errors import ExtractionError
from extraction.pipeline.article import BatchAborted, Item
from extraction.pipeline.extractor import Extractor
from schemas.article import Article
from schemas.records import ArticleExtraction

logger = logging.getLogger("sitrep.extraction")

T = TypeVar("T")


def _config(
    model: str | None,
    base_url: str | None,
    api_key: str | None,
    config: ExtractionConfig | None,
    options: dict[str, Any],
) -> ExtractionConfig | None:
    if config is not None:
        if model is not None or base_url is not None or api_key is not None or options:
            raise TypeError("pass either config= or model/base_url/api_key/options, not both")
        return config
    cfg = resolve_config(model, base_url=base_url, api_key=api_key, **options)
    if cfg is None:
        logger.info(BASELINE_NOTICE)
    return cfg


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to the end from blocking code, also when an event loop is already running
    in this thread (a notebook): then in a worker thread with a loop of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def aextract_many(
    items: Iterable[Item],
    model: str | None = None,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    config: ExtractionConfig | None = None,
    concurrency: int = 8,
    cache: CacheMode = "read-write",
    cache_path: str | Path | None = None,
    **options: Any,
) -> AsyncIterator[ResultRecord]:
    """Result records (:class:`~extraction.batch.results.ResultRecord`) of ``items`` as they
    finish, with at most ``concurrency`` calls in flight; a failed article is a failure record
    (``status="error"``, its ``error.kind`` the category) and the others go on.

    ``model``/``base_url``/``api_key``/``options`` resolve as in :func:`extract` (or pass
    ``config``). For a resumable results file, use ``sitrep extract --out`` or
    :meth:`Extractor.run <extraction.pipeline.extractor.Extractor.run>`."""
    cfg = _config(model, base_url, api_key, config, options)
    with Extractor(cfg, cache=cache, cache_path=cache_path, concurrency=concurrency) as extractor:
        async for record in extractor.records(items):
            yield record


def _stopped(exc: BatchAborted) -> BaseException:
    """What stopped the run: the error every article would meet (a refused key, an unknown
    model), as its own class."""
    return exc.__cause__ if isinstance(exc.__cause__, ExtractionError) else exc


async def _one(article: Article, extractor: Extractor) -> ArticleExtraction:
    with extractor:
        try:
            async for outcome in extractor.outcomes([article]):
                if outcome.record.extraction is not None:
                    return outcome.record.extraction
                if outcome.exception is not None:
                    raise outcome.exception
                error = outcome.record.error
                raise ExtractionError(error.reason if error is not None else "no record")
        except BatchAborted as exc:
            raise _stopped(exc) from None
    raise ExtractionError(f"article {article.id!r}: the pipeline returned no record")


async def _many(items: Iterable[Item], extractor: Extractor) -> list[ResultRecord]:
    listed = list(items)
    with extractor:
        try:
            records = [record async for record in extractor.records(listed)]
        except BatchAborted as exc:
            raise _stopped(exc) from None
    order = {key: i for i, key in enumerate(_keys(listed))}
    return sorted(records, key=lambda r: order.get(r.key, len(order)))


def _keys(items: Iterable[Item]) -> list[str]:
    from extraction.pipeline.article import item_key

    return [item_key(item) for item in items]


@overload
def extract(
    article: Article,
    model: str | None = None,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    config: ExtractionConfig | None = None,
    cache: CacheMode = "read-write",
    cache_path: str | Path | None = None,
    concurrency: int = 8,
    **options: Any,
) -> ArticleExtraction: ...


@overload
def extract(
    article: Iterable[Item],
    model: str | None = None,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    config: ExtractionConfig | None = None,
    cache: CacheMode = "read-write",
    cache_path: str | Path | None = None,
    concurrency: int = 8,
    **options: Any,
) -> list[ResultRecord]: ...


def extract(
    article: Article | Iterable[Item],
    model: str | None = None,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    config: ExtractionConfig | None = None,
    cache: CacheMode = "read-write",
    cache_path: str | Path | None = None,
    concurrency: int = 8,
    **options: Any,
) -> ArticleExtraction | list[ResultRecord]:
    """The records of one ``article``, by the configured model or else the offline baseline; or,
    given many, their result records in input order.

    ``model``, ``base_url``, ``api_key`` and ``options`` (``mode``, ``temperature``,
    ``max_tokens``, ``timeout``, ``max_reasks``, ``max_transport_retries``, ...) go through
    :func:`extraction.config.resolve_config`, which also reads the environment; or pass a ready
    ``config``. One article that fails raises its :class:`extraction.errors.ExtractionError`
    subclass (the class is the category); so does a failure that every article would meet (a
    refused key, an unknown model), given one article or many.
    """
    cfg = _config(model, base_url, api_key, config, options)
    extractor = Extractor(cfg, cache=cache, cache_path=cache_path, concurrency=concurrency)
    if isinstance(article, Article):
        return _run(_one(article, extractor))
    return _run(_many(article, extractor))


async def aextract(
    article: Article,
    model: str | None = None,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    config: ExtractionConfig | None = None,
    cache: CacheMode = "read-write",
    cache_path: str | Path | None = None,
    **options: Any,
) -> ArticleExtraction:
    """:func:`extract` of one article, for async code."""
    cfg = _config(model, base_url, api_key, config, options)
    return await _one(article, Extractor(cfg, cache=cache, cache_path=cache_path, concurrency=1))
