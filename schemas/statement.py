"""Statements about attacks: condemnations, claims, threats, denials, calls to action.

A statement's ``text`` is either the speaker's words as the article quotes them (``quote``) or the
article's paraphrase of them (``paraphrase``); the two are never mixed. A quote must be found in the
article: given a grounding context, an unfound quote fails validation so that a model is re-asked.

>>> s = Statement(id="S1", speaker="Ned Price", kind=StatementKind.CONDEMNATION,
...               text="stop these attacks", text_type=TextType.QUOTE)
>>> s.cameo
'111'
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from schemas.event import EventDate
from schemas.evidence import Evidence, validation_context
from schemas.grounding import AlignmentStatus, align
from schemas.vocab import Channel, StatementKind, TextType


class Statement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^S\d+$", description="S1, S2, ... unique within the article.")
    speaker: str | None = Field(
        default=None,
        description="The person speaking, if named: 'Ned Price'. Null when an "
        "organisation speaks as a body ('the PDKI said').",
    )
    role: str | None = Field(default=None, description="The speaker's role: 'spokesman'.")
    organisation: str | None = Field(
        default=None, description="Canonical name of the organisation speaking or spoken for."
    )
    kind: StatementKind
    about_events: list[str] = Field(
        default_factory=list, description="Ids of the events the statement is about (E1 ...)."
    )
    targets: list[str] = Field(
        default_factory=list, description="Canonical names of whom it addresses or accuses."
    )
    channel: Channel = Channel.UNKNOWN
    date: EventDate | None = None
    text: str = Field(min_length=1, description="The quoted words, or the paraphrase.")
    text_type: TextType = Field(
        description="'quote' only when the article quotes the speaker's words; else 'paraphrase'."
    )
    evidence: Evidence | None = Field(
        default=None,
        description="The article's words: the quote itself, or the sentence "
        "that paraphrases the statement.",
    )

    @property
    def cameo(self) -> str | None:
        return self.kind.cameo

    @model_validator(mode="after")
    def _quote_is_in_article(self, info: ValidationInfo) -> Statement:
        ctx = validation_context(info)
        if not ctx or "article_text" not in ctx or self.text_type is not TextType.QUOTE:
            return self
        if ctx.get("on_ungrounded") == "flag":
            return self
        found = align(self.text, ctx["article_text"])
        if found.status is AlignmentStatus.NOT_FOUND:
            raise ValueError(
                f"text_type is 'quote' but {self.text!r} is not in the article: copy the quoted "
                "words exactly, or set text_type to 'paraphrase'"
            )
        return self
