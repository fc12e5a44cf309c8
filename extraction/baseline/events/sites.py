"""Sites of an attack: where it struck and whom, with the figures and weapons told of there.

One clause may name several sites ("targeted the KDPI in Koya, Komala in Zrgwez, and PAK in
Kirkuk province": three); sites of one attack that agree on place and named targets are merged,
and a site named only by a wider place ("in Erbil province") is folded into the one it holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extraction.baseline.events.casualties import Figure
from extraction.baseline.events.event_cues import Trigger
from extraction.baseline.events.weapons import WeaponMention
from extraction.baseline.mentions.actors import RoleActor
from extraction.baseline.mentions.locations import PlaceRef, choose, compatible, contains
from extraction.baseline.text.sentences import Document
from gazetteer import ActorEntry

_SPLIT_SITES = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


@dataclass(frozen=True, slots=True)
class FigureRef:
    """A casualty figure and the source it is reported by (as the record names it)."""

    figure: Figure
    reported_by: str | None


@dataclass
class Site:
    """One place (or named target) an attack struck, with what is told of it there."""

    places: list[PlaceRef]
    targets: list[RoleActor]
    sentences: list[int]
    figures: list[FigureRef] = field(default_factory=list)
    weapons: list[WeaponMention] = field(default_factory=list)  # tied to this site
    clauses: list[tuple[int, int]] = field(default_factory=list)  # the clauses telling of it

    @property
    def place(self) -> PlaceRef | None:
        return choose(self.places)

    def named_targets(self) -> set[ActorEntry]:
        return {t.entry for t in self.targets if not t.entry.generic}


def split_sites(
    doc: Document,
    cand_start: int,
    end: int,
    triggers: list[Trigger],
    targets: list[RoleActor],
    places: list[PlaceRef],
    sentence: int,
) -> list[Site]:
    """The sites of one clause: one per named target after the attack word when it names two
    or more ("the KDPI in Koya, Komala in Zrgwez"), else one at its chosen place. Targets
    joined by a bare "and" with no place between them share the place after them ("posts of
    the army and the militia in X": one site)."""
    first = triggers[0] if triggers else None
    named_after = [
        t for t in targets if not t.entry.generic and (first is None or t.start > first.start)
    ]
    if first is not None and len({t.entry for t in named_after}) >= 2:
        sites: list[Site] = []
        pos = first.end
        bounds = [(m.start(), m.end()) for m in _SPLIT_SITES.finditer(doc.plain, first.end, end)]
        segments: list[tuple[int, int, bool]] = []  # start, end, joined to the next by "and"
        for s, e in bounds:
            segments.append((pos, s, doc.plain[s:e].strip() == "and"))
            pos = e
        segments.append((pos, end, False))
        pending: list[RoleActor] = []  # "the army and the Hashd in Mutaibija": one site
        for s, e, joined in segments:
            seg_targets = pending + [t for t in named_after if s <= t.start < e]
            seg_places = [p for p in places if s <= p.mention.start < e]
            pending = []
            if seg_targets and not seg_places and joined:
                pending = seg_targets
            elif seg_targets:
                sites.append(Site(seg_places, seg_targets, [sentence], clauses=[(cand_start, end)]))
            elif seg_places and sites:
                sites[-1].places.extend(seg_places)
        if pending:
            sites.append(Site([], pending, [sentence], clauses=[(cand_start, end)]))
        if len(sites) >= 2:
            return sites
    chosen = choose(places, after=first.start if first else None)
    kept = [p for p in places if chosen is not None and compatible(p.entry, chosen.entry)]
    return [Site(kept, targets, [sentence], clauses=[(cand_start, end)])]


def site_compatible(a: Site, b: Site) -> bool:
    """Whether two sites may be one: their places agree and so do their named targets."""
    pa, pb = a.place, b.place
    if pa is not None and pb is not None and not compatible(pa.entry, pb.entry):
        return False
    ta, tb = a.named_targets(), b.named_targets()
    return not (ta and tb and not ta & tb)


def absorb(into: Site, other: Site) -> None:
    """Merge ``other`` into ``into``."""
    into.places.extend(other.places)
    for t in other.targets:
        if all(t.entry != o.entry for o in into.targets):
            into.targets.append(t)
    into.sentences.extend(i for i in other.sentences if i not in into.sentences)
    into.figures.extend(other.figures)
    into.weapons.extend(other.weapons)
    into.clauses.extend(other.clauses)


def absorb_containers(sites: list[Site]) -> None:
    """A site with no named target whose place holds another site's place is that site
    (``sites``, the sites of one group, are merged in place)."""
    changed = True
    while changed and len(sites) > 1:
        changed = False
        for a in sites:
            if a.named_targets():
                continue
            pa = a.place
            inner = next(
                (
                    b
                    for b in sites
                    if b is not a
                    and (pa is None or (b.place is not None and contains(pa.entry, b.place.entry)))
                ),
                None,
            )
            if inner is not None:
                merged = Site(
                    list(a.places) + inner.places,
                    a.targets + inner.targets,
                    a.sentences + [i for i in inner.sentences if i not in a.sentences],
                    a.figures + inner.figures,
                    a.weapons + inner.weapons,
                    a.clauses + inner.clauses,
                )
                merged.places = (
                    [p for p in merged.places if contains(p.entry, inner.place.entry)]
                    if inner.place
                    else merged.places
                )
                index = sites.index(inner)
                sites[index] = merged
                sites.remove(a)
                changed = True
                break
