"""Attack events: find attack clauses, group the clauses that tell of one attack, split by site.

1. Every clause with an attack word ("strikes", "launched ... missiles", "assassination attempt")
   is a *candidate* (``candidates``, cues from ``event_cues``). A clause with casualty figures but
   no attack word is a *weak* candidate: it joins a neighbouring attack, or founds one only in a
   protest context ("Dozens of protesters have been killed ... by police").
2. Candidates are grouped (``grouping``): a date, a place, a perpetrator or a protest/strike type
   that disagrees keeps them apart; the same date, place, perpetrator and nearness bring them
   together. A definite mention ("the attack") never starts an event of its own once one exists.
3. A group's sites (``sites``) become events, one per location ("targeted the KDPI in Koya,
   Komala in Zrgwez, and PAK in Kirkuk province" is three events sharing an ``operation_id``).
4. The first group that is neither an earlier attack nor a threat is what the article reports;
   the others are ``recalled`` (or ``threatened``).

The drafts made here become records in ``event_records`` once statements have added to them.

>>> from extraction.baseline.text.sentences import read_document
>>> from extraction.baseline.mentions.mentions import find_mentions
>>> doc = read_document("Drones struck the KDPI in Koya and Komala in Zrgwez on Monday. "
...                     "Iran first attacked Sidakan on Sept. 24.")
>>> for d in detect_events(doc, find_mentions(doc), None):
...     print(d.id, d.operation_id, d.standing.value, d.location.place or d.location.admin2)
E1 op1 reported Koya
E2 op1 reported Zarkwezela
E3 None recalled Sidakan
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from extraction.baseline.events.candidates import find_candidates
from extraction.baseline.events.grouping import Group, date_relation, group_candidates
from extraction.baseline.events.sites import Site
from extraction.baseline.events.weapons import WeaponMention
from extraction.baseline.mentions.actors import (
    RoleActor,
    drop_generic,
    drop_redundant_states,
    related,
)
from extraction.baseline.mentions.locations import (
    PlaceRef,
    choose,
    contains,
    locative_places,
    to_location,
)
from extraction.baseline.mentions.mentions import Mentions
from extraction.baseline.text.sentences import Document
from gazetteer import ActorEntry
from schemas.event import Location
from schemas.vocab import GeoPrecision, Standing


@dataclass
class EventDraft:
    """An event before it becomes an :class:`AttackEvent`: statements may still add to it."""

    id: str
    group: Group
    site: Site
    operation_id: str | None
    standing: Standing
    location: Location
    place: PlaceRef | None = None
    extra_weapons: list[WeaponMention] = field(default_factory=list)
    extra_claims: list[ActorEntry] = field(default_factory=list)

    def perpetrator_entries(self) -> list[ActorEntry]:
        return [p.entry for p in perpetrators(self.group)] + self.extra_claims


def perpetrators(group: Group) -> list[RoleActor]:
    """A group's perpetrators, without generic collectives beside named ones or a state
    beside its own forces."""
    return drop_redundant_states(drop_generic(group.perps()))


def _container(group: Group) -> PlaceRef | None:
    known = [s.place for s in group.sites if s.place is not None]
    pool = group.places()
    holders = [
        p for p in pool if all(contains(p.entry, k.entry) and p.entry != k.entry for k in known)
    ]
    return max(holders, key=lambda p: p.entry.kind.rank) if holders else None


def _nearby_place(doc: Document, mentions: Mentions, group: Group) -> PlaceRef | None:
    """A place named just before a group's first clause ("protests in Iran ... Dozens of
    protesters have been killed")."""
    first = min(group.cands, key=lambda c: c.start)
    for i in range(first.sentence.index, max(-1, first.sentence.index - 3), -1):
        s = doc.sentences[i]
        end = first.end if i == first.sentence.index else s.end
        refs = locative_places(doc.text, mentions.places_in(s.start, end))
        if refs:
            return choose(refs)
    return None


def _same_side(group: Group, other: Group | None) -> bool:
    if other is None:
        return False
    mine = [p.entry for p in group.perps()]
    theirs = [p.entry for p in other.perps()]
    return any(related(a, b) for a in mine for b in theirs)


def build_drafts(doc: Document, mentions: Mentions, groups: list[Group]) -> list[EventDraft]:
    """Events (drafts) from groups: one per site, ids E1..., operation ids op1..."""
    lead = next((g for g in groups if not g.recall and not g.threat), None) or next(
        (g for g in groups if not g.threat), None
    )  # an article whose only attack is "last month" still reports it
    groups = [g for g in groups if g is lead or g.threat or g.specific]
    drafts: list[EventDraft] = []
    lead_place = (lead.sites[0].place if lead and lead.sites else None) or (
        _container(lead) if lead else None
    )
    lead_country = lead_place.entry.country if lead_place else None
    op_count = 0
    for g in groups:
        if g.threat:
            standing = Standing.THREATENED
        elif g is lead or (
            lead is not None
            and g.date is not None
            and lead.date is not None
            and (date_relation(g.date, lead.date, None) == "same" and not g.recall)
        ):
            standing = Standing.REPORTED
        else:
            standing = Standing.RECALLED
        operation = None
        if len(g.sites) > 1:
            op_count += 1
            operation = f"op{op_count}"
        container = _container(g)
        for site in g.sites:
            ref = site.place or container
            if ref is None and g is lead and doc.dateline is not None:
                dl = [p for p in mentions.places if p.dateline]
                ref = PlaceRef(dl[0], False) if dl else None
            if ref is None:
                ref = _nearby_place(doc, mentions, g)
            location = to_location(doc.text, ref, site.places if site.place else g.places())
            if ref is None:  # no place named: the country of the article's framing
                framing = (
                    lead_country if lead_country and (g is lead or _same_side(g, lead)) else None
                )
                location = Location(
                    country=framing or mentions.country, precision=GeoPrecision.REGION
                )
            drafts.append(
                EventDraft(
                    f"E{len(drafts) + 1}",
                    g,
                    site,
                    operation,
                    standing,
                    location,
                    ref,
                )
            )
    return drafts


def same_side(draft: EventDraft, other: EventDraft) -> bool:
    """Whether two events have related perpetrators (or the first names none)."""
    mine = draft.perpetrator_entries()
    theirs = other.perpetrator_entries()
    return not mine or any(related(a, b) for a in mine for b in theirs)


def detect_events(doc: Document, mentions: Mentions, anchor: dt.date | None) -> list[EventDraft]:
    """Event drafts of a document (see the module docstring)."""
    groups = group_candidates(find_candidates(doc, mentions), anchor)
    return build_drafts(doc, mentions, groups)
