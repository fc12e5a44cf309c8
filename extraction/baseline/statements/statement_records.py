"""Statement records: a :class:`~schemas.statement.Statement` from each statement draft, with
whom it addresses or accuses (``targets``) and the day it was made."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from extraction.baseline.events.events import EventDraft
from extraction.baseline.mentions.mentions import Mentions
from extraction.baseline.statements.speakers import lineage_of
from extraction.baseline.statements.statement_drafts import StatementDraft
from extraction.baseline.text.dates import resolve
from extraction.baseline.text.sentences import Document
from extraction.baseline.text.spans import evidence
from gazetteer import ActorEntry, ActorKind, gazetteer
from schemas.event import EventDate
from schemas.statement import Statement
from schemas.vocab import StatementKind

_ADDRESS_VERB = re.compile(
    r"\b(?:call(?:s|ed|ing)?\s+(?:on|upon)|urg(?:e|es|ed|ing)|condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|"
    r"blam(?:e|es|ed|ing)|accus(?:e|es|ed|ing))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_DEMONYM = re.compile(r"\b[A-Z][a-z]+\b")


def _addressed(
    doc: Document, mentions: Mentions, start: int, end: int, culprits: set[ActorEntry]
) -> list[ActorEntry]:
    """Whom a statement addresses or accuses: an actor right after "call on" / "condemned" /
    "blamed", or one of the attack's perpetrators (by name or demonym: "the Iranian attacks")."""
    found: list[tuple[int, ActorEntry]] = []
    for a in mentions.actors:
        if not (start <= a.start and a.end <= end) or a.entry.generic:
            continue
        if a.entry.kind in (ActorKind.MEDIA, ActorKind.PEOPLE, ActorKind.NGO, ActorKind.THINK_TANK):
            continue
        lineage = lineage_of(a.entry)
        addressed = bool(_ADDRESS_VERB.search(doc.text[max(0, a.start - 30) : a.start]))
        if addressed or set(lineage) & culprits:
            found.append(
                (a.start, lineage[-1] if a.entry.kind is ActorKind.ARMED_FORCES else a.entry)
            )
    for m in _DEMONYM.finditer(doc.text, start, end):
        forces = gazetteer().actor_for_demonym(m.group())
        if forces is not None and set(lineage_of(forces)) & culprits:
            found.append((m.start(), lineage_of(forces)[-1]))
    out: list[ActorEntry] = []
    for _, e in sorted(found, key=lambda x: x[0]):
        if e not in out:
            out.append(e)
    return out


def to_statement(
    doc: Document,
    mentions: Mentions,
    d: StatementDraft,
    sid: str,
    kind: StatementKind,
    about: Sequence[EventDraft],
    anchor: dt.date | None,
) -> Statement:
    """The :class:`Statement` ``sid`` of a draft of kind ``kind``, about the events ``about``."""
    text = doc.text
    org = d.speaker.org
    own = set(lineage_of(org))
    targets: list[str] = []
    if kind in (StatementKind.CLAIM_OF_RESPONSIBILITY, StatementKind.JUSTIFICATION):
        enemies = {e for ev in about for t in ev.site.targets for e in lineage_of(t.entry)}
        for entry in _addressed(doc, mentions, d.start, d.end, enemies):
            if entry not in own and entry.canonical not in targets:
                targets.append(entry.canonical)
    if kind in (
        StatementKind.CONDEMNATION,
        StatementKind.DEMAND,
        StatementKind.ACCUSATION,
        StatementKind.THREAT,
        StatementKind.DENIAL,
    ):
        culprits = {e for ev in about for p in ev.perpetrator_entries() for e in lineage_of(p)}
        for entry in _addressed(doc, mentions, d.start, d.end, culprits):
            if entry not in own and entry.canonical not in targets:
                targets.append(entry.canonical)
    date: EventDate | None = None
    if d.date is not None:
        date = resolve(d.date, anchor).model_copy(
            update={"evidence": evidence(text, d.date.start, d.date.end)}
        )
    return Statement(
        id=sid,
        speaker=d.speaker.person,
        role=d.speaker.role,
        organisation=org.canonical if org else None,
        kind=kind,
        about_events=[e.id for e in about],
        targets=targets,
        channel=d.channel,
        date=date,
        text=text[d.start : d.end],
        text_type=d.text_type,
        evidence=evidence(text, d.ev_start, d.ev_end),
    )
