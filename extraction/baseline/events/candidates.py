"""Candidates: the clauses that tell of an attack, with everything each says about it.

Every clause with an attack word is a *strong* candidate, with its perpetrators, targets,
places (and sites), weapons, casualty figures, date and cues (earlier attack, threat, "also",
claim, outcome). A clause with casualty figures, a deadly word or "no one claimed" but no attack
word is a *weak* candidate: grouping decides whether it joins an attack or founds one.

>>> from extraction.baseline.text.sentences import read_document
>>> from extraction.baseline.mentions.mentions import find_mentions
>>> doc = read_document("Drone strikes hit Koya on Monday, killing two people, officials said.")
>>> [c] = find_candidates(doc, find_mentions(doc))
>>> c.strong, c.date.phrase, [(f.figure.quantity.low, f.reported_by) for f in c.figures]
(True, 'on Monday', [(2, 'officials')])
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from extraction.baseline.events.casualties import find_casualties
from extraction.baseline.events.casualty_clauses import find_clause_casualties
from extraction.baseline.events.event_cues import (
    Trigger,
    find_accusations,
    find_claimers,
    find_triggers,
    threat_split,
)
from extraction.baseline.events.sites import FigureRef, Site, split_sites
from extraction.baseline.events.victims import named_victims
from extraction.baseline.events.weapons import WeaponMention, find_weapons
from extraction.baseline.mentions.actors import RoleActor, assign_roles
from extraction.baseline.mentions.locations import PlaceRef, locative_places
from extraction.baseline.mentions.mentions import Mentions
from extraction.baseline.statements.sources import find_source, source_name, source_spans
from extraction.baseline.text.dates import DateMention, find_dates
from extraction.baseline.text.lexicon import cue
from extraction.baseline.text.sentences import Document, Sentence, clauses
from gazetteer import ActorEntry
from schemas.event import WeaponKind
from schemas.vocab import CasualtyGroup, Outcome

REMOTE = frozenset(
    {
        WeaponKind.BALLISTIC_MISSILE,
        WeaponKind.MISSILE,
        WeaponKind.ROCKET,
        WeaponKind.DRONE,
        WeaponKind.AIRCRAFT,
        WeaponKind.ARTILLERY,
        WeaponKind.MORTAR,
    }
)
"""Weapons fired from afar: a strike with one is not police violence against protesters."""


@dataclass
class Candidate:
    sentence: Sentence
    start: int
    end: int
    triggers: list[Trigger]
    perps: list[RoleActor]
    targets: list[RoleActor]
    places: list[PlaceRef]
    sites: list[Site]
    weapons: list[WeaponMention]
    figures: list[FigureRef]
    date: DateMention | None
    recall: bool
    threat: bool
    also: bool
    protest: bool
    reaction: bool
    outcome: Outcome | None
    claims: list[ActorEntry]
    accusations: list[tuple[ActorEntry, str | None]]  # (accused, who accuses)
    unattributed: bool
    deadly: bool
    incident: bool  # "an Israeli airstrike", "two blasts", "in a separate incident"

    @property
    def strong(self) -> bool:
        return bool(self.triggers)

    @property
    def definite(self) -> bool:
        return bool(self.triggers) and all(t.definite for t in self.triggers)

    @cached_property
    def victims(self) -> frozenset[str]:
        """The last words of the persons the clause names as killed or attacked ("the murder
        of X")."""
        s = self.sentence
        spans = named_victims(s.plain, self.start - s.start, self.end - s.start)
        return frozenset(s.plain[a:b].split()[-1].lower() for a, b in spans)

    @property
    def specific(self) -> bool:
        return bool(
            self.places
            or self.date
            or self.figures
            or self.weapons
            or self.perps
            or any(not t.entry.generic for t in self.targets)
        )


def _candidate(
    doc: Document, mentions: Mentions, sentence: Sentence, start: int, end: int, threat: bool
) -> Candidate | None:
    plain = doc.plain
    weapons = find_weapons(plain, start, end)
    figures = find_casualties(plain, start, end)
    places = locative_places(
        doc.text, mentions.places_in(start, end), exclude=source_spans(doc.plain, start, end)
    )
    if sentence.headline:
        places = [PlaceRef(p.mention, p.near, headline=True) for p in places]
    objects = [a.start for a in mentions.actors_in(start, end)] + [p.mention.start for p in places]
    triggers = find_triggers(doc, start, end, weapons, objects)
    figures += find_clause_casualties(
        plain, start, end, [(f.start, f.end) for f in figures], attack=bool(triggers)
    )  # the looser shapes only beside an attack word
    if cue("pattern_cues").search(plain, start, end):
        return None  # a campaign or a habit ("has been bombing ... in recent days"), not an event
    deadly = bool(cue("deadly_words").search(plain, start, end))
    unattributed = bool(cue("unattributed").search(plain, start, end))
    if not triggers and not figures and not deadly and not unattributed:
        return None
    definite_only = bool(triggers) and all(t.definite for t in triggers)
    perps, targets = assign_roles(
        plain,
        start,
        end,
        mentions.actors,
        [(t.start, t.end) for t in triggers],
        targets_allowed=not definite_only,
    )
    claims = find_claimers(doc, mentions, start, end)
    accusations = find_accusations(doc, mentions, start, end) if triggers else []
    for accused, _by in accusations:
        if all(p.entry != accused for p in perps):
            perps.append(RoleActor(accused, accused.canonical, start, start))
    for c in claims:
        if all(p.entry != c for p in perps):
            perps.append(RoleActor(c, c.canonical, start, start))
    source = find_source(plain, sentence.start, sentence.end)
    reported_by = source_name(doc, mentions, source.start, source.end) if source else None
    figure_refs = [] if threat else [FigureRef(f, reported_by) for f in figures]
    protest_victims = any(f.group is CasualtyGroup.PROTESTERS for f in figures) or any(
        t.entry.canonical == "Protesters" for t in targets
    )
    protest_word = bool(cue("protest_words").search(plain, start, end))
    protest = (
        protest_victims
        or (protest_word and not triggers)
        or any(t.rule.needs_protest for t in triggers)
    )
    if protest and any(w.kind in REMOTE for w in weapons):
        protest = False
    outcome = None
    if cue("outcome_intercepted").search(plain, start, end):
        # "intercepted two of the rockets, while a third landed": some got through, an attack
        got_through = cue("got_through").search(plain, sentence.start, sentence.end)
        outcome = Outcome.COMPLETED if got_through else Outcome.INTERCEPTED
    elif cue("outcome_attempted").search(plain, start, end):
        outcome = Outcome.ATTEMPTED
    dates = find_dates(plain, start, end)
    sites = split_sites(doc, start, end, triggers, targets, places, sentence.index)
    for site in sites:
        if len(sites) == 1:
            site.figures = list(figure_refs)
    return Candidate(
        sentence=sentence,
        start=start,
        end=end,
        triggers=triggers,
        perps=perps,
        targets=targets,
        places=places,
        sites=sites,
        weapons=weapons,
        figures=figure_refs,
        date=dates[0] if dates else None,
        recall=bool(cue("recall").search(plain, start, end)),
        threat=threat,
        also=bool(cue("also").search(plain, start, end)),
        protest=protest,
        reaction=bool(cue("reaction_words").search(plain, start, end)),
        outcome=outcome,
        claims=claims,
        accusations=accusations,
        unattributed=unattributed,
        deadly=deadly,
        incident=bool(cue("incident_cues").search(plain, start, end)),
    )


def find_candidates(doc: Document, mentions: Mentions) -> list[Candidate]:
    out = []
    for sentence in doc.sentences:
        for cs, ce in clauses(sentence):
            for s, e, threat in threat_split(doc, mentions, cs, ce):
                cand = _candidate(doc, mentions, sentence, s, e, threat)
                if cand is not None:
                    out.append(cand)
    return out
