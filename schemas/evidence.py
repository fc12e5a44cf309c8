"""Evidence: the span of the article that supports an extracted value.

Every value sitrep takes from an article points at the text behind it: the quoted excerpt, its
character offsets into the article, and how the offsets were found (:class:`AlignmentStatus`).

Validation depends on the grounding context: the pydantic validation context passed to the
validation (``context=``), or, when none is passed, the one :func:`grounding` has set around the
code that validates (how the model path hands it to instructor's validation):

- no context: the record is plain data, nothing is checked against an article;
- ``{"article_text": ..., "evidence_from": "stored"}`` (the default source): offsets are given and
  must point at the quote, else validation fails naming the field (gold files, stored runs);
- ``{"article_text": ..., "evidence_from": "model"}``: offsets are ignored and recomputed by
  :func:`schemas.grounding.align`; a quote that cannot be found fails validation with a message
  the model can act on (so instructor re-asks), unless ``"on_ungrounded": "flag"``, which keeps
  the value and marks it ``not_found``.

>>> text = "Missiles were also launched at the headquarters of the Komala Party."
>>> ctx = {"article_text": text, "evidence_from": "model"}
>>> ev = Evidence.model_validate({"quote": "headquarters of the Komala Party"}, context=ctx)
>>> (ev.start, ev.end, ev.alignment.value)
(35, 67, 'exact')
>>> Evidence.model_validate({"quote": "Komala HQ destroyed"}, context=ctx)
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Evidence
...
>>> with grounding(text, evidence_from="model"):
...     Evidence.model_validate({"quote": "Komala Party"}).start
55
>>> Evidence.model_validate({"quote": "Komala Party"}).start is None  # outside: plain data
True
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from schemas.grounding import AlignmentStatus, align, span_matches

EvidenceSource = Literal["stored", "model"]


def grounding_context(
    article_text: str,
    *,
    evidence_from: EvidenceSource = "stored",
    on_ungrounded: Literal["error", "flag"] = "error",
) -> dict[str, Any]:
    """The validation context that checks evidence against ``article_text``."""
    return {
        "article_text": article_text,
        "evidence_from": evidence_from,
        "on_ungrounded": on_ungrounded,
    }


_GROUNDING: ContextVar[dict[str, Any] | None] = ContextVar("sitrep_grounding", default=None)


@contextmanager
def grounding(
    article_text: str,
    *,
    evidence_from: EvidenceSource = "stored",
    on_ungrounded: Literal["error", "flag"] = "error",
) -> Iterator[dict[str, Any]]:
    """Check evidence against ``article_text`` in every validation inside the block that is
    given no context of its own (the context is yielded).

    It is held in a :class:`contextvars.ContextVar`: each thread and each asyncio task has its
    own, so concurrent extractions in one event loop never see each other's article (a task
    started inside the block inherits it).
    """
    context = grounding_context(
        article_text, evidence_from=evidence_from, on_ungrounded=on_ungrounded
    )
    token = _GROUNDING.set(context)
    try:
        yield context
    finally:
        _GROUNDING.reset(token)


def validation_context(info: ValidationInfo) -> dict[str, Any] | None:
    """The context a validator checks with: the one passed to the validation if any (it always
    wins), else the one an enclosing :func:`grounding` set; ``None`` if neither is a dict."""
    context = info.context if info.context is not None else _GROUNDING.get()
    return context if isinstance(context, dict) else None


class Evidence(BaseModel):
    """A verbatim excerpt of the article and where it stands in it."""

    model_config = ConfigDict(extra="forbid")

    quote: str = Field(
        min_length=1,
        description="A short excerpt copied exactly from the article (a few words up to one "
        "sentence) that states the value.",
    )
    start: int | None = Field(
        default=None, ge=0, description="Set by sitrep (character offset); leave null."
    )
    end: int | None = Field(default=None, ge=0, description="Set by sitrep; leave null.")
    alignment: AlignmentStatus | None = Field(default=None, description="Set by sitrep.")
    score: float | None = Field(default=None, ge=0, le=1, description="Set by sitrep.")

    @model_validator(mode="after")
    def _ground(self, info: ValidationInfo) -> Evidence:
        ctx = validation_context(info)
        if not ctx or "article_text" not in ctx:
            return self
        text: str = ctx["article_text"]
        if ctx.get("evidence_from", "stored") == "stored" and self.start is not None:
            if self.end is None or not span_matches(self.quote, text, self.start, self.end):
                shown = text[self.start : self.end] if self.end is not None else ""
                raise ValueError(
                    f"span [{self.start}:{self.end}] does not hold the quote {self.quote!r} "
                    f"(article length {len(text)}; the span holds {shown!r})"
                )
            if self.alignment is None:
                exact = text[self.start : self.end] == self.quote
                self.alignment = AlignmentStatus.EXACT if exact else AlignmentStatus.FUZZY
                self.score = 1.0
            return self
        found = align(self.quote, text, hint=self.start)
        self.start, self.end = found.start, found.end
        self.alignment, self.score = found.status, found.score
        if found.status is AlignmentStatus.NOT_FOUND and ctx.get("on_ungrounded") != "flag":
            raise ValueError(
                f"quote {self.quote!r} is not in the article; copy the supporting words exactly "
                "as they appear in the article text, or leave this evidence out"
            )
        return self

    @property
    def grounded(self) -> bool:
        return self.alignment in (AlignmentStatus.EXACT, AlignmentStatus.FUZZY)
