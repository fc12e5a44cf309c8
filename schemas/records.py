"""What is extracted from one article: the records themselves, and how they were produced.

:class:`Records` is what a model is asked to fill (events and statements).
:class:`ArticleExtraction` wraps it with the article id, a :class:`Producer` (model or baseline,
prompt and schema hashes, tokens, attempts) and warnings such as an event dated after the
publication date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from schemas.event import AttackEvent
from schemas.statement import Statement


class Records(BaseModel):
    """The attack events and statements reported in one article."""

    model_config = ConfigDict(extra="forbid")

    events: list[AttackEvent] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ids_unique_and_linked(self) -> Records:
        for label, ids in (
            ("events", [e.id for e in self.events]),
            ("statements", [s.id for s in self.statements]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"{label}: duplicate ids {dupes}")
        known = {e.id for e in self.events}
        for s in self.statements:
            missing = [i for i in s.about_events if i not in known]
            if missing:
                raise ValueError(f"statement {s.id}: about_events names unknown events {missing}")
        return self


class Usage(BaseModel):
    """Tokens a call used, as the server reported them. ``cached_prompt_tokens`` (the server's
    ``prompt_tokens_details.cached_tokens``) are part of ``prompt_tokens``: the prefix a
    provider's cache served, billed at its cached-input price."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_prompt_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            cached_prompt_tokens=self.cached_prompt_tokens + other.cached_prompt_tokens,
        )


ProducerKind = Literal["model", "baseline", "human"]


class Producer(BaseModel):
    """How a set of records came to be. Every report names it."""

    kind: ProducerKind
    name: str = Field(description="Model id ('openai/gpt-4.1-mini'), 'sitrep-baseline', a person.")
    provider: str | None = None
    base_url: str | None = Field(default=None, description="Endpoint, never with credentials.")
    version: str | None = None
    prompt_id: str | None = None
    prompt_hash: str | None = None
    schema_hash: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    attempts: int = 1
    latency_s: float | None = None
    created_at: dt.datetime | None = None


class ArticleExtraction(BaseModel):
    """The records of one article and their provenance."""

    article_id: str
    events: list[AttackEvent] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    producer: Producer
    warnings: list[str] = Field(default_factory=list)

    @classmethod
    def from_records(
        cls, article_id: str, records: Records, producer: Producer, **kw: Any
    ) -> ArticleExtraction:
        return cls(
            article_id=article_id,
            events=records.events,
            statements=records.statements,
            producer=producer,
            **kw,
        )

    @property
    def records(self) -> Records:
        return Records(events=self.events, statements=self.statements)

    @model_validator(mode="after")
    def _flag_dates_after_publication(self, info: ValidationInfo) -> ArticleExtraction:
        ctx = info.context if isinstance(info.context, dict) else None
        published = ctx.get("publication_date") if ctx else None
        if not isinstance(published, dt.date):
            return self
        dated: list[tuple[str, dt.date | None]] = [(e.id, e.date.value) for e in self.events]
        dated += [(s.id, s.date.value if s.date else None) for s in self.statements]
        for rid, value in dated:
            warning = f"{rid}: date {value} is after the publication date {published}"
            if value is not None and value > published and warning not in self.warnings:
                self.warnings.append(warning)
        return self


@cache
def schema_hash(model: type[BaseModel] = Records) -> str:
    """A stable hash of a model's JSON Schema: it changes when the schema a model fills changes."""
    canonical = json.dumps(model.model_json_schema(), sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:16]
