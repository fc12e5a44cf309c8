"""The one road from articles to records, configured once: :class:`Extractor`.

Every entry point goes through it: the library (:func:`extraction.extract`, ``aextract``,
``aextract_many``), ``sitrep extract``, ``sitrep eval`` and ``sitrep label``. Per article: read ->
split when long -> each piece from the response cache, or from the backend (a model or the offline
baseline) -> grounding -> merge the pieces -> a result record, or a failure record whose kind is
the exception's class. One response cache serves them all (by default
``$SITREP_CACHE_DIR/responses.sqlite``, else ``./.sitrep-cache/responses.sqlite``), so a command
that follows another on the same articles, model and prompt makes no model call. The offline
baseline is not cached: it costs nothing.

>>> import asyncio
>>> from schemas.article import Article
>>> async def main():
...     with Extractor(None) as extractor:  # no model: the offline baseline
...         return [r async for r in extractor.records([Article(id="a", text="Calm day.")])]
>>> [(r.key, r.status, r.extraction.producer.kind) for r in asyncio.run(main())]
[('a', 'ok', 'baseline')]
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import Any

from extraction.batch.cache import CacheMode, ResponseCache
from extraction.batch.closing import Closing
from extraction.batch.pricing import PriceTable
from extraction.batch.progress import BatchProgress, ProgressFn
from extraction.batch.results import ResultRecord
from extraction.batch.run import BatchResult, run_batch
from extraction.batch.runner import BatchRunner
from extraction.config import ExtractionConfig
from extraction.model.base import Backend, ExtractFn, as_backend
from extraction.pipeline.article import Item, Outcome
from extraction.pipeline.chunking import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS
from extraction.pipeline.settings import BatchSettings, RunIdentity
from extraction.pipeline.setup import backend_for, default_cache_path, identity_for, redactor_for


class Extractor(Closing):
    """A configured pipeline: the producer (``config``'s model, or the baseline when ``None``; or
    a ready ``backend``), the identity its records are keyed by, the response cache, the limits.

    ``cache`` is ``read-write`` (the default), ``read-only`` or ``off``; ``cache_path`` defaults
    to :func:`~extraction.pipeline.setup.default_cache_path`. Close it (or use ``with``) to close
    the cache.
    """

    def __init__(
        self,
        config: ExtractionConfig | None,
        *,
        backend: Backend | ExtractFn | None = None,
        identity: RunIdentity | None = None,
        cache: CacheMode = "read-write",
        cache_path: str | Path | None = None,
        concurrency: int = 8,
        rpm: float | None = None,
        tpm: float | None = None,
        article_timeout: float | None = None,
        chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
        overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
        prices: PriceTable | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.config = config
        self.identity = identity or identity_for(
            config, chunk_tokens=chunk_tokens, overlap_tokens=overlap_tokens
        )
        self.settings = BatchSettings(
            concurrency=concurrency, rpm=rpm, tpm=tpm, article_timeout=article_timeout
        )
        self.backend = as_backend(backend) if backend is not None else backend_for(config)
        self.redactor = redactor_for(config, environ)
        self.prices = prices if prices is not None else PriceTable.load()
        self.cache: ResponseCache | None = None
        if self.identity.producer_kind != "baseline" and cache != "off":
            path = cache_path or default_cache_path(environ)
            self.cache = ResponseCache(path, cache, redactor=self.redactor)

    @property
    def run_key(self) -> str:
        return self.identity.run_key

    def _runner(self) -> BatchRunner:
        return BatchRunner(
            self.backend,
            self.identity,
            settings=self.settings,
            cache=self.cache,
            prices=self.prices,
            redactor=self.redactor,
        )

    async def outcomes(
        self, items: Iterable[Item], *, on_progress: ProgressFn | None = None
    ) -> AsyncIterator[Outcome]:
        """The outcome of every item (its record, and the exception of a failed one), in
        completion order, with at most ``concurrency`` calls in flight."""
        progress = BatchProgress()
        async for outcome in self._runner().run(items, progress=progress):
            progress.add(outcome.record, outcome.spent, outcome.spent_cost)
            if on_progress is not None:
                on_progress(progress)
            yield outcome

    async def records(
        self, items: Iterable[Item], *, on_progress: ProgressFn | None = None
    ) -> AsyncIterator[ResultRecord]:
        """The record of every item, in completion order."""
        async for outcome in self.outcomes(items, on_progress=on_progress):
            yield outcome.record

    async def run(self, items: Iterable[Item], out: str | Path, **options: Any) -> BatchResult:
        """The items into the results file ``out``, resuming what an earlier run of the same
        configuration left (see :func:`extraction.batch.run.run_batch` for ``options``)."""
        return await run_batch(
            items,
            self.backend,
            out,
            identity=self.identity,
            settings=self.settings,
            cache=self.cache,
            prices=self.prices,
            redactor=self.redactor,
            **options,
        )

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
            self.cache = None
