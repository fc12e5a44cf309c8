"""Grouping: which candidates tell of one attack.

Candidates are grouped, in text order (strong ones first, then weak ones), with the best
compatible group: a date, a place, a perpetrator or a protest/strike type that disagrees keeps
them apart, and so do the dead of a person whom none of the group's clauses name as killed; the
same date, place, perpetrator and nearness bring them together. A definite mention ("the
attack") never starts an event of its own once one exists, unless no group takes it and it counts
its own dead ("the assassination of X"); a weak clause goes to the nearest group, and starts an
event of its own only for a deadly protest or for dead counted with a date or a place ("three
bodies were found on 4 May near X").

>>> from extraction.baseline.text.dates import find_dates
>>> [a, b, c] = find_dates("on Sept. 24 ... in late September ... on Sept. 26")
>>> date_relation(a, b, None), date_relation(a, c, None), date_relation(a, a, None)
('compatible', 'conflict', 'same')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from extraction.baseline.events.candidates import REMOTE, Candidate
from extraction.baseline.events.sites import (
    Site,
    absorb,
    absorb_containers,
    site_compatible,
)
from extraction.baseline.events.weapons import WeaponMention
from extraction.baseline.mentions.actors import RoleActor, related
from extraction.baseline.mentions.locations import PlaceRef, compatible
from extraction.baseline.text.dates import DateMention, resolve
from schemas.vocab import CasualtyKind

_DAY_KINDS = frozenset({"weekday", "day", "relative_day"})


@dataclass
class Group:
    cands: list[Candidate]
    sites: list[Site]
    threat: bool
    recall: bool  # founded by an earlier attack ("Iran first attacked ... on Sept. 24")

    @property
    def protest(self) -> bool:
        return any(c.protest for c in self.cands)

    @property
    def date(self) -> DateMention | None:
        """The group's date: the first one given, unless a later one names the day ("in late
        September" ... "on Sept. 24")."""
        dated = [c.date for c in sorted(self.cands, key=lambda c: c.start) if c.date is not None]
        if not dated:
            return None
        days = [d for d in dated if d.kind in _DAY_KINDS]
        return days[0] if days and dated[0].kind not in _DAY_KINDS and self.recall else dated[0]

    @property
    def specific(self) -> bool:
        """Whether the group is one incident: a day named, "an airstrike", "two blasts", or its
        own dead counted beside an attack word ("the murder of six priests")."""
        return any(
            (c.date is not None and c.date.kind in _DAY_KINDS)
            or c.incident
            or (c.strong and _killed(c))
            for c in self.cands
        )

    @property
    def first_sentence(self) -> int:
        return min(c.sentence.index for c in self.cands)

    @property
    def last_sentence(self) -> int:
        return max(c.sentence.index for c in self.cands)

    def perps(self) -> list[RoleActor]:
        out: list[RoleActor] = []
        for c in self.cands:
            for p in c.perps:
                if all(o.entry != p.entry for o in out):
                    out.append(p)
        return out

    def places(self) -> list[PlaceRef]:
        return [p for s in self.sites for p in s.places]

    def weapons(self) -> list[WeaponMention]:
        return [w for c in self.cands for w in c.weapons]


def date_relation(a: DateMention | None, b: DateMention | None, anchor: dt.date | None) -> str:
    """'same', 'compatible' or 'conflict' between two date phrases."""
    if a is None or b is None:
        return "compatible"
    ra, rb = resolve(a, anchor), resolve(b, anchor)
    if ra.value is not None and rb.value is not None:
        if ra.value == rb.value:
            return "same"
        coarse = {"month", "relative_month", "year", "relative_year", "relative_week"}
        if a.kind in coarse or b.kind in coarse:
            same_month = (ra.value.year, ra.value.month) == (rb.value.year, rb.value.month)
            return "compatible" if same_month else "conflict"
        return "conflict"
    kinds = {a.kind, b.kind}
    if a.kind == b.kind and (a.weekday, a.month, a.day, a.year, a.offset) == (
        b.weekday,
        b.month,
        b.day,
        b.year,
        b.offset,
    ):
        return "same"
    if kinds == {"weekday"} or kinds == {"day"}:
        return "conflict"
    if "weekday" in kinds:
        other = b if a.kind == "weekday" else a
        if (
            other.kind.startswith("relative") and other.offset == 0
        ) or other.kind == "relative_day":
            return "compatible"
        return "conflict"
    if kinds <= {"day", "month"}:
        return "compatible" if a.month == b.month else "conflict"
    return "compatible"


def _hints(cands: list[Candidate]) -> set[str]:
    hints = {t.rule.sub_type or t.rule.weapon for c in cands for t in c.triggers}
    return {h.value for h in hints if h is not None}


def _other_killing(group: Group, cand: Candidate) -> bool:
    """Two clauses that each count their own dead, by different means (a bomb; a shooting), tell
    of two attacks, not one."""
    if not cand.strong or not cand.figures or not any(c.figures for c in group.cands):
        return False
    mine, theirs = _hints([cand]), _hints([c for c in group.cands if c.figures])
    return bool(mine) and bool(theirs) and not (mine & theirs)


def _killed(c: Candidate) -> bool:
    return any(f.figure.kind is CasualtyKind.KILLED for f in c.figures)


def _other_victim(group: Group, cand: Candidate) -> bool:
    """A clause that counts the dead of a person it names, none of those the group's clauses
    name as killed, tells of another killing."""
    if not cand.strong or not _killed(cand) or not (mine := cand.victims):
        return False
    theirs = frozenset().union(*(c.victims for c in group.cands if _killed(c)))
    return bool(theirs) and not (mine & theirs)


def _score(
    group: Group, cand: Candidate, lead: Group | None, anchor: dt.date | None
) -> float | None:
    if cand.threat != group.threat:
        return None
    rel = date_relation(group.date, cand.date, anchor)
    if rel == "conflict":
        return None
    if cand.protest and not group.protest and group.cands and any(g.strong for g in group.cands):
        return None
    if group.protest and not cand.protest and any(w.kind in REMOTE for w in cand.weapons):
        return None
    if _other_killing(group, cand) or _other_victim(group, cand):
        return None
    gperps = group.perps()
    perps_related = any(related(p.entry, g.entry) for p in cand.perps for g in gperps)
    if cand.perps and gperps and not perps_related:
        return None
    gplaces = group.places()
    places_ok = (
        not cand.places
        or not gplaces
        or any(compatible(c.entry, g.entry) for c in cand.places for g in gplaces)
    )
    if not places_ok and not (cand.also and (perps_related or not cand.perps)):
        return None
    distance = cand.sentence.index - group.last_sentence
    if group is not lead and abs(distance) > 2 and rel != "same":
        return None
    if cand.strong and not cand.definite and cand.recall != group.recall and rel != "same":
        return None
    score = 0.0
    if rel == "same":
        score += 3
    if places_ok and cand.places and gplaces:
        score += 2
    if perps_related:
        score += 1
    gtargets = {t.entry for s in group.sites for t in s.targets}
    if any(t.entry in gtargets for t in cand.targets):
        score += 1
    if abs(distance) <= 1:
        score += 2
    elif abs(distance) <= 3:
        score += 1
    score += 2 if cand.recall == group.recall else -2
    hints = {t.rule.sub_type for c in group.cands for t in c.triggers if t.rule.sub_type}
    if any(t.rule.sub_type in hints for t in cand.triggers if t.rule.sub_type):
        score += 1.5
    if group is lead and cand.definite:
        score += 1
    return score


def _add(group: Group, cand: Candidate, founding: bool) -> None:
    group.cands.append(cand)
    if len(cand.sites) == 1 and not cand.sites[0].figures and cand.figures:
        cand.sites[0].figures = list(cand.figures)
    if len(cand.sites) == 1 and not cand.sites[0].weapons:
        cand.sites[0].weapons = list(cand.weapons)
    for site in cand.sites:
        match = next((s for s in group.sites if site_compatible(s, site)), None)
        if match is not None:
            absorb(match, site)
        elif (founding and (site.places or site.named_targets())) or not group.sites:
            group.sites.append(site)
        else:  # a passing mention ("Iraq protested over the strikes ... in Baghdad") adds no site
            absorb(group.sites[0], Site([], [], site.sentences, site.figures, site.weapons))
            group.sites[0].clauses.extend(site.clauses)


def _founding(cand: Candidate, groups: list[Group], refused: bool) -> bool:
    """Whether ``cand`` may start an event; ``refused``: no group would take it (a definite
    mention that counts its own dead, "the assassination of X", then starts one)."""
    if cand.strong:
        reacted = cand.reaction and not (cand.figures and not groups)
        own_dead = refused and _killed(cand)
        return not reacted and cand.specific and (not cand.definite or not groups or own_dead)
    dated_dead = _killed(cand) and (cand.date is not None or bool(cand.places))
    return (
        (cand.protest and bool(cand.figures or cand.deadly) and cand.specific)
        or (cand.protest and cand.deadly and cand.date is not None)
        or (dated_dead and not cand.reaction)
    )


def group_candidates(cands: list[Candidate], anchor: dt.date | None) -> list[Group]:
    groups: list[Group] = []

    def lead() -> Group | None:
        return next(
            (
                g
                for g in sorted(groups, key=lambda g: g.first_sentence)
                if not g.recall and not g.threat
            ),
            None,
        )

    def place(cand: Candidate) -> None:
        best: tuple[float, Group] | None = None
        current_lead = lead()
        scored = [
            (s, g) for g in groups if (s := _score(g, cand, current_lead, anchor)) is not None
        ]
        if cand.strong:
            for s, g in scored:
                if best is None or s > best[0]:
                    best = (s, g)
        else:
            best = _nearest(cand, scored)
        founding = _founding(cand, groups, refused=bool(groups) and not scored)
        if best is not None and (best[0] > 0 or not founding):
            _add(best[1], cand, founding)
        elif founding:
            g = Group([], [], cand.threat, cand.recall)
            _add(g, cand, founding)
            groups.append(g)

    for cand in cands:
        if cand.strong:
            place(cand)
    for cand in cands:
        if not cand.strong:
            place(cand)
    for g in groups:
        absorb_containers(g.sites)
    return sorted(groups, key=lambda g: g.first_sentence)


def _nearest(cand: Candidate, scored: list[tuple[float, Group]]) -> tuple[float, Group] | None:
    """Where a weak clause (figures, "no one claimed responsibility") goes: the nearest group,
    the one just before it first; an earlier attack only if it is right before it (or the
    clause itself speaks of an earlier time), and the other way round."""
    index = cand.sentence.index

    def distance(g: Group) -> float:
        sentences = {c.sentence.index for c in g.cands}
        return min(index - i if i <= index else i - index + 0.5 for i in sentences)

    def allowed(g: Group) -> bool:
        return g.recall == cand.recall or distance(g) <= 1

    pool = [(s, g) for s, g in scored if allowed(g)]
    if not pool:
        return None
    return min(pool, key=lambda sg: (distance(sg[1]), -sg[0]))
