"""From an extraction configuration to a batch: what to call, what keys the results, where the
cache lives, which secrets to keep out of every file.

:func:`aextract_many` is the one-call library entry point: articles in, records out as they
finish, with the model (or, with none configured, the offline baseline) behind it.

>>> identity = identity_for(None)
>>> identity.model, identity.producer_kind
('sitrep-baseline', 'baseline')
"""

from __future__ import annotations

import asyncio
import os
import weakref
from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extraction.batch.cache import CacheMode, ResponseCache
from extraction.batch.pricing import PriceTable
from extraction.batch.results import ResultRecord
from extraction.batch.run import (
    BatchSettings,
    ExtractFn,
    Item,
    ProgressFn,
    RunIdentity,
    extract_batch,
)
from extraction.config import ENV_API_KEY, ENV_OPENAI_API_KEY, ExtractionConfig, resolve_config
from extraction.pipeline.chunking import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS
from extraction.redaction import Redactor
from prompts import load_prompt
from schemas.article import Article
from schemas.records import ArticleExtraction, schema_hash

if TYPE_CHECKING:
    import openai

ENV_CACHE_DIR = "SITREP_CACHE_DIR"
DEFAULT_CACHE_DIR = ".sitrep-cache"
CACHE_FILE = "responses.sqlite"

SAMPLING_FIELDS = ("mode", "temperature", "max_tokens", "prompt_id")
"""Configuration fields that change a model's answer; timeouts and retry counts do not, so changing
them neither misses the cache nor counts as another configuration."""


def _baseline_version() -> str:
    from extraction.baseline import BASELINE_VERSION

    return BASELINE_VERSION


def identity_for(
    config: ExtractionConfig | None,
    *,
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
) -> RunIdentity:
    """The :class:`RunIdentity` of a model configuration, or of the offline baseline (``None``)."""
    if config is None:
        from extraction.baseline import BASELINE_NAME

        return RunIdentity(
            model=BASELINE_NAME,
            schema_hash=schema_hash(),
            parameters={"version": _baseline_version()},
            producer_kind="baseline",
            chunk_tokens=chunk_tokens,
            overlap_tokens=overlap_tokens,
        )
    dumped = config.model_dump()
    return RunIdentity(
        model=config.api_model,
        endpoint=config.endpoint,
        prompt_hash=load_prompt(config.prompt_id).hash,
        schema_hash=schema_hash(),
        parameters={f: dumped[f] for f in SAMPLING_FIELDS},
        producer_kind="model",
        chunk_tokens=chunk_tokens,
        overlap_tokens=overlap_tokens,
    )


def extract_fn_for(config: ExtractionConfig | None) -> ExtractFn:
    """The async extraction a batch calls per article (or chunk).

    The baseline runs inline on the event loop: it is CPU-bound, so threads would only add
    overhead under the GIL."""
    if config is None:
        from extraction.baseline import extract_baseline

        async def baseline(article: Article) -> ArticleExtraction:
            return extract_baseline(article)

        return baseline
    return ModelExtractFn(config)


class ModelExtractFn:
    """The model path as a batch calls it: one shared openai client per event loop (one
    connection pool for every call of the batch; a client is bound to the loop it first ran on).
    The batch closes the client of its loop when it ends (:meth:`aclose`, called by
    :class:`~extraction.batch.runner.BatchRunner`).

    The client keeps openai's default httpx transport. Its aiohttp transport
    (``openai.DefaultAioHttpClient``) took 1.5-2 ms less CPU a call on the loopback benchmark, but
    it reports a connection reset as a connect *timeout*, so a failed article would be recorded
    with the wrong reason; see ``benchmarks/README.md``."""

    def __init__(self, config: ExtractionConfig) -> None:
        self.config = config
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI] = (
            weakref.WeakKeyDictionary()
        )

    def _client(self) -> openai.AsyncOpenAI:
        import openai

        from extraction.model import openai_compat as llm

        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = openai.AsyncOpenAI(**llm.client_kwargs(self.config))
        return client

    async def __call__(self, article: Article) -> ArticleExtraction:
        from extraction.model import openai_compat as llm

        return await llm.arun_model(article, self.config, client=self._client())

    async def aclose(self) -> None:
        """Close the client of the running loop, if this batch made one."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.close()


def default_cache_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$SITREP_CACHE_DIR/responses.sqlite``, else ``./.sitrep-cache/responses.sqlite``."""
    env = os.environ if environ is None else environ
    return Path(env.get(ENV_CACHE_DIR) or DEFAULT_CACHE_DIR) / CACHE_FILE


def redactor_for(
    config: ExtractionConfig | None, environ: Mapping[str, str] | None = None
) -> Redactor:
    """A redactor that knows the configured key and the keys in the environment."""
    env = os.environ if environ is None else environ
    return Redactor(
        [config.secret() if config else None, env.get(ENV_API_KEY), env.get(ENV_OPENAI_API_KEY)]
    )


async def aextract_many(
    items: Iterable[Item],
    model: str | None = None,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    config: ExtractionConfig | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    cache_mode: CacheMode = "read-write",
    cache_path: str | Path | None = None,
    prices: PriceTable | None = None,
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
    on_progress: ProgressFn | None = None,
    **options: Any,
) -> AsyncIterator[ResultRecord]:
    """Records (:class:`~extraction.batch.results.ResultRecord`) of ``items`` as they finish.

    ``model``/``base_url``/``api_key``/``options`` resolve as in :func:`extraction.api.extract`
    (or pass ``config``); with no model configured the offline baseline runs, uncached.
    """
    cfg = (
        config
        if config is not None
        else resolve_config(model, base_url=base_url, api_key=api_key, **options)
    )
    identity = identity_for(cfg, chunk_tokens=chunk_tokens, overlap_tokens=overlap_tokens)
    redactor = redactor_for(cfg)
    cache = None
    if cfg is not None and cache_mode != "off":
        cache = ResponseCache(cache_path or default_cache_path(), cache_mode, redactor=redactor)
    try:
        async for record in extract_batch(
            items,
            extract_fn_for(cfg),
            identity=identity,
            settings=BatchSettings(concurrency=concurrency, rpm=rpm, tpm=tpm),
            cache=cache,
            prices=prices,
            redactor=redactor,
            on_progress=on_progress,
        ):
            yield record
    finally:
        if cache is not None:
            cache.close()
