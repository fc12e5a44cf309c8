"""From an extraction configuration to a run: what to call (:func:`backend_for`), what keys the
results (:func:`identity_for`), where the response cache lives (:func:`default_cache_path`, the same
for every command and the library), which secrets to keep out of every file (:func:`redactor_for`).

>>> identity = identity_for(None)
>>> identity.model, identity.producer_kind
('sitrep-baseline', 'baseline')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from extraction.config import ENV_API_KEY, ENV_OPENAI_API_KEY, ExtractionConfig
from extraction.model.base import Backend
from extraction.pipeline.chunking import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS
from extraction.pipeline.settings import RunIdentity
from extraction.redaction import Redactor
from prompts import load_prompt
from schemas.model_facing import model_schema_hash
from schemas.records import schema_hash

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
        # the model-facing schema's own bounds (schemas/data/model_facing.json) change what a
        # model is asked for without changing the records schema: they key answers too
        parameters={**{f: dumped[f] for f in SAMPLING_FIELDS}, "model_schema": model_schema_hash()},
        producer_kind="model",
        chunk_tokens=chunk_tokens,
        overlap_tokens=overlap_tokens,
    )


def backend_for(config: ExtractionConfig | None) -> Backend:
    """The producer a run calls per article (or chunk): the model's backend for ``config``
    (its provider's, from :mod:`extraction.model.providers`), or the offline baseline."""
    if config is None:
        from extraction.baseline.backend import BaselineBackend

        return BaselineBackend()
    from extraction.model.openai_backend import OpenAIBackend

    return OpenAIBackend(config)


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
