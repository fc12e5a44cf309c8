"""The one entry point: extract an article's records with a model, or offline when none is set.

``extract(article)`` with no model configured (no argument, no ``SITREP_MODEL``) runs the offline
baseline; ``extract(article, "openai/gpt-4.1-mini")`` or
``extract(article, "llama3.1", base_url="http://localhost:11434/v1")`` calls a model; a ready
:class:`~extraction.config.ExtractionConfig` can be passed instead, but not both:

>>> from schemas.article import Article
>>> extract(Article(id="a", text="x"), "gpt-4.1-mini", config=ExtractionConfig(model="m"))
Traceback (most recent call last):
...
TypeError: pass either config= or model/base_url/api_key/options, not both
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from extraction.config import BASELINE_NOTICE, ExtractionConfig, resolve_config
from schemas.article import Article
from schemas.records import ArticleExtraction

logger = logging.getLogger("sitrep.extraction")


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
    return resolve_config(model, base_url=base_url, api_key=api_key, **options)


def _baseline(article: Article) -> ArticleExtraction:
    from extraction.baseline import extract_baseline  # imported here: the model path needs none

    logger.info(BASELINE_NOTICE)
    return extract_baseline(article)


def extract(
    article: Article,
    model: str | None = None,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    config: ExtractionConfig | None = None,
    **options: Any,
) -> ArticleExtraction:
    """The records of ``article``, by the configured model or else the offline baseline.

    ``model``, ``base_url``, ``api_key`` and ``options`` (``mode``, ``temperature``,
    ``max_tokens``, ``timeout``, ``max_reasks``, ``max_transport_retries``, ...) go through
    :func:`extraction.config.resolve_config`, which also reads the environment; or pass a ready
    ``config``. Raises :class:`extraction.errors.ExtractionError` subclasses on failure.
    """
    cfg = _config(model, base_url, api_key, config, options)
    if cfg is None:
        return _baseline(article)
    from extraction.model.openai_compat import (
        run_model,  # heavy imports (openai, instructor) only when needed
    )

    return run_model(article, cfg)


async def aextract(
    article: Article,
    model: str | None = None,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    config: ExtractionConfig | None = None,
    **options: Any,
) -> ArticleExtraction:
    """:func:`extract` for async code: the model is called on the async client, the baseline
    runs in a worker thread."""
    cfg = _config(model, base_url, api_key, config, options)
    if cfg is None:
        return await asyncio.to_thread(_baseline, article)
    from extraction.model.openai_compat import arun_model

    return await arun_model(article, cfg)
