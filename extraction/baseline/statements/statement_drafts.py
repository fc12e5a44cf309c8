"""A statement before it becomes a record (its span, speaker, verb, channel), and the walk
through an article that finds them: the statements found so far carry "it said" to the next."""

from __future__ import annotations

from dataclasses import dataclass, field

from extraction.baseline.mentions.mentions import Mentions
from extraction.baseline.mentions.person_names import People
from extraction.baseline.text.dates import DateMention
from extraction.baseline.text.sentences import Document, QuotePiece
from gazetteer import ActorEntry
from schemas.vocab import Channel, StatementKind, TextType

MIN_QUOTE_WORDS = 4
"""A quote shorter than this (in words) is a phrase, not a statement."""


@dataclass
class Speaker:
    """Who made a statement: a person, their role, their organisation (any may be unknown)."""

    person: str | None = None
    role: str | None = None
    org: ActorEntry | None = None

    @property
    def named(self) -> bool:
        return self.person is not None or self.org is not None


@dataclass
class StatementDraft:
    """A statement before it becomes a :class:`~schemas.statement.Statement`."""

    start: int  # the statement's text in the article
    end: int
    ev_start: int  # its evidence: the quote itself, or the paraphrasing sentence
    ev_end: int
    text_type: TextType
    speaker: Speaker
    verb: str | None
    channel: Channel
    sentence: int
    attribution: str  # the words around the quote that name the speaker
    date: DateMention | None = None
    occasion: StatementDraft | None = None  # the first segment of the same tweet / statement
    kind_hint: StatementKind | None = None  # set when the sentence's shape decides the kind


def statement_text(doc: Document, d: StatementDraft) -> str:
    """The words of the statement (the quote, or the paraphrase's content)."""
    return doc.text[d.start : d.end]


@dataclass
class Walk:
    """Where the walk through an article's quotes and sentences stands: the statements found
    so far (the last one carries "it said"), the sentences quotes took, the previous quote."""

    doc: Document
    mentions: Mentions
    people: People
    out: list[StatementDraft] = field(default_factory=list)
    quote_sentences: set[int] = field(default_factory=set)
    previous_piece: QuotePiece | None = None

    @property
    def previous(self) -> StatementDraft | None:
        return self.out[-1] if self.out else None
