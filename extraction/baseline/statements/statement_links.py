"""Which events a statement is about, and the weapons a claim names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from extraction.baseline.events.events import EventDraft
from extraction.baseline.events.weapons import WeaponMention, find_weapons
from extraction.baseline.mentions.locations import compatible
from extraction.baseline.mentions.mentions import Mentions, PlaceMention
from extraction.baseline.statements.statement_drafts import StatementDraft, statement_text
from extraction.baseline.text.lexicon import phrase_regex, statements_data
from extraction.baseline.text.prefilter import guarding
from extraction.baseline.text.sentences import Document
from schemas.vocab import TextType


@cache
@guarding
def _attack_words() -> re.Pattern[str]:
    return phrase_regex(statements_data().attack_words)


def _mentioned_places(mentions: Mentions, start: int, end: int) -> list[PlaceMention]:
    return [p for p in mentions.places if start <= p.start and p.end <= end]


def link_events(
    doc: Document,
    mentions: Mentions,
    d: StatementDraft,
    drafts: Sequence[EventDraft],
    *,
    reacting: bool = False,
    site_level: bool = False,
) -> list[EventDraft]:
    """The events a statement is about: those told in its own sentence; else those in the places
    it names; else, when it speaks of attacks or is a reaction (``reacting``: a condemnation,
    demand, threat), the reported ones."""
    sentences = {d.sentence}
    in_sentence = [e for e in drafts if sentences & {c.sentence.index for c in e.group.cands}]
    if site_level:  # a report of facts at one site ("Missiles were also launched at Komala")
        in_sentence = [e for e in in_sentence if sentences & set(e.site.sentences)] or in_sentence
    if in_sentence and d.text_type is TextType.PARAPHRASE:
        return in_sentence
    text = statement_text(doc, d) + " " + d.attribution
    if not _attack_words().search(text) and not in_sentence and not reacting:
        return []
    places = _mentioned_places(mentions, d.start, d.end)
    by_place = [
        e
        for e in drafts
        if e.standing.value == "reported"
        and e.location.country is not None
        and any(
            (p.entry.country == e.location.country and p.entry.kind.value == "country")
            or _place_fits(p, e)
            for p in places
        )
    ]
    if by_place:
        return by_place
    if in_sentence:
        return in_sentence
    return [e for e in drafts if e.standing.value == "reported"]


def _place_fits(p: PlaceMention, e: EventDraft) -> bool:
    return e.place is not None and compatible(p.entry, e.place.entry)


def claim_weapons(doc: Document, d: StatementDraft) -> list[WeaponMention]:
    """Weapons a claim names in its own words ("destroyed with ballistic missiles")."""
    return find_weapons(doc.text, d.start, d.end)
