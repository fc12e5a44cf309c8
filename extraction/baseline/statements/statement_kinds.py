"""What kind of statement it is (denial, claim, condemnation, ...) and through which channel
it was made (a statement, a tweet, an interview, ...); the phrases are in
``data/statements.json``.

>>> channel_of("the ministry said in a statement"), channel_of("he said")
(<Channel.STATEMENT: 'statement'>, <Channel.UNKNOWN: 'unknown'>)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from extraction.baseline.events.events import EventDraft
from extraction.baseline.statements.speakers import lineage_of
from extraction.baseline.statements.statement_drafts import StatementDraft, statement_text
from extraction.baseline.text.lexicon import phrase_regex, statements_data
from extraction.baseline.text.prefilter import Guarded, guarded
from extraction.baseline.text.sentences import Document
from gazetteer import ActorKind
from schemas.vocab import Channel, StatementKind


@cache
def _channels() -> list[tuple[Channel, Guarded]]:
    return [(c.channel, guarded(phrase_regex(c.patterns))) for c in statements_data().channels]


def channel_of(text: str) -> Channel:
    """The channel the words around a statement name ("in a statement", "tweeted")."""
    for channel, rx in _channels():
        if rx.search(text):
            return channel
    return Channel.UNKNOWN


@cache
def _kind_cues() -> list[tuple[StatementKind, Guarded]]:
    return [(k.kind, guarded(phrase_regex(k.patterns))) for k in statements_data().kind_cues]


@cache
def _verb_kinds() -> dict[str, StatementKind]:
    return {
        " ".join(v.lower().split()): kind
        for kind, verbs in statements_data().verb_kinds.items()
        for v in verbs
    }


@cache
def _analyst() -> re.Pattern[str]:
    return phrase_regex(statements_data().analyst_roles)


@cache
def _narration() -> re.Pattern[str]:
    return phrase_regex(statements_data().narration_cues)


def narrates(text: str) -> bool:
    """Whether words with no kind cue still tell what happened (a witness's account): a
    report rather than ``other``.

    >>> narrates("I saw smoke over the market"), narrates("Everyone knows who they are")
    (True, False)
    """
    return bool(_narration().search(text))


def statement_kind(doc: Document, d: StatementDraft, linked: Sequence[EventDraft]) -> StatementKind:
    """The statement's kind: the sentence's shape, a stance verb, then cue words in the
    guidelines' precedence (claim, denial, threat, a perpetrator's report of its attack as a
    claim, demand, accusation, condemnation, justification), an analyst's words, a report
    (report cues, or an eyewitness's narration)."""
    if d.kind_hint is not None:
        return d.kind_hint
    if d.occasion is None:
        verb_kind = _verb_kinds().get(d.verb or "")
        if verb_kind is not None:
            return verb_kind
    text = statement_text(doc, d)
    org = d.speaker.org
    perps = {e for ev in linked for p in ev.perpetrator_entries() for e in lineage_of(p)}
    cues = {kind: bool(rx.search(text)) for kind, rx in _kind_cues()}
    for kind in (StatementKind.CLAIM_OF_RESPONSIBILITY, StatementKind.DENIAL, StatementKind.THREAT):
        if cues.get(kind):
            return kind
    if org is not None and org in perps and (cues.get(StatementKind.REPORT)):
        return StatementKind.CLAIM_OF_RESPONSIBILITY
    for kind in (
        StatementKind.DEMAND,
        StatementKind.ACCUSATION,
        StatementKind.CONDEMNATION,
        StatementKind.JUSTIFICATION,
    ):
        if cues.get(kind):
            return kind
    analyst = (org is not None and org.kind is ActorKind.THINK_TANK) or (
        d.speaker.role is not None and bool(_analyst().search(d.speaker.role))
    )
    if analyst:
        return StatementKind.ANALYSIS
    if cues.get(StatementKind.REPORT) or narrates(text):
        return StatementKind.REPORT
    return StatementKind.OTHER
