"""What a batch is run with: the configuration its records are keyed by (:class:`RunIdentity`)
and the limits it runs under (:class:`BatchSettings`).

The identity decides the answer for an article, so it names every record (``run_key``) and every
cached call (``call_key``); the settings only decide how fast the answers come.

>>> RunIdentity(model="m").run_key == RunIdentity(model="m", parameters={"seed": 1}).run_key
False
>>> BatchSettings(concurrency=0)
Traceback (most recent call last):
...
ValueError: concurrency must be at least 1, not 0
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from extraction.batch.cache import article_hash, cache_key
from extraction.pipeline.chunking import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS
from extraction.redaction import redact_url
from schemas.article import Article


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
    overhead_tokens: int = 1600
    """Tokens a call spends besides the article (instructions and schema: at most 1,500 by
    tiktoken in every mode, about 1,800 by a small model's tokenizer; ``benchmarks/results.md``),
    for the tpm pacing until a call's real usage is known."""
    expected_output_tokens: int = 1000
    """Completion tokens a call is assumed to use until its usage is known, for the tpm pacing."""

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {self.concurrency}")
        for name in ("rpm", "tpm", "article_timeout"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive, not {value}")
