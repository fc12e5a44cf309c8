"""Attack events: find attack clauses, group the clauses that tell of one attack, split by site.

1. Every clause with an attack word ("strikes", "launched ... missiles", "assassination attempt")
   is a *candidate*, with its perpetrators, targets, places, weapons, casualty figures, date and
   cues (earlier attack, threat, "also", claim, outcome). A clause with casualty figures but no
   attack word is a *weak* candidate: it joins a neighbouring attack, or founds one only in a
   protest context ("Dozens of protesters have been killed ... by police").
2. Candidates are grouped, in text order, with the best compatible group: a date, a place, a
   perpetrator or a protest/strike type that disagrees keeps them apart; the same date, place,
   perpetrator and nearness bring them together. A definite mention ("the attack") never starts
   an event of its own once one exists.
3. A group's sites become events, one per location ("targeted the KDPI in Koya, Komala in
   Zrgwez, and PAK in Kirkuk province" is three events sharing an ``operation_id``).
4. The first group that is neither an earlier attack nor a threat is what the article reports;
   the others are ``recalled`` (or ``threatened``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from extraction.baseline.actors import (
    RoleActor,
    assign_roles,
    drop_generic,
    drop_redundant_states,
    related,
    to_actor,
)
from extraction.baseline.casualties import Figure, find_casualties
from extraction.baseline.dates import DateMention, find_dates, resolve
from extraction.baseline.lexicon import TriggerRule, cue, events_data, phrase_regex
from extraction.baseline.locations import (
    PlaceRef,
    choose,
    compatible,
    contains,
    locative_places,
    to_location,
)
from extraction.baseline.mentions import Mentions
from extraction.baseline.sentences import Document, Sentence, clauses
from extraction.baseline.sources import find_source, source_spans, unnamed_head
from extraction.baseline.spans import evidence
from extraction.baseline.weapons import WeaponMention, find_weapons
from schemas.aliases import ActorEntry
from schemas.event import (
    AttackEvent,
    Attribution,
    CasualtyFigure,
    EventDate,
    Location,
    Weapon,
    WeaponKind,
)
from schemas.vocab import (
    AttributionKind,
    CasualtyGroup,
    GeoPrecision,
    Outcome,
    Standing,
    SubType,
)

_REMOTE = frozenset(
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
_WEAPON_SUB_TYPE = {
    WeaponKind.DRONE: SubType.AIR_DRONE_STRIKE,
    WeaponKind.AIRCRAFT: SubType.AIR_DRONE_STRIKE,
    WeaponKind.BALLISTIC_MISSILE: SubType.SHELLING_ARTILLERY_MISSILE_ATTACK,
    WeaponKind.MISSILE: SubType.SHELLING_ARTILLERY_MISSILE_ATTACK,
    WeaponKind.ROCKET: SubType.SHELLING_ARTILLERY_MISSILE_ATTACK,
    WeaponKind.ARTILLERY: SubType.SHELLING_ARTILLERY_MISSILE_ATTACK,
    WeaponKind.MORTAR: SubType.SHELLING_ARTILLERY_MISSILE_ATTACK,
    WeaponKind.IED: SubType.REMOTE_EXPLOSIVE,
    WeaponKind.GRENADE: SubType.GRENADE,
}
_DEFINITE = re.compile(
    r"(?:\b(?:the|these|this|those|that|such|its|their|his|her)\s+(?:[\w’'-]+\s+){0,3}"
    r"|\b\w+['’]s\s+(?:[\w-]+\s+){0,2})$",
    re.IGNORECASE,
)
_DAY_KINDS = frozenset({"weekday", "day", "relative_day"})
_SPLIT_SITES = re.compile(r",\s+(?:and\s+)?|\s+and\s+")
_OBJECT_AFTER = re.compile(
    r"\s+(?:the|a|an|its|their|his|her|several|two|three|\w+['’]s)\s+[\w-]+", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Trigger:
    start: int
    end: int
    rule: TriggerRule
    definite: bool


@dataclass(frozen=True, slots=True)
class FigureRef:
    figure: Figure
    reported_by: str | None


@dataclass
class Site:
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
        """Whether the group is one incident: a day named, or "an airstrike", "two blasts"."""
        return any(
            (c.date is not None and c.date.kind in _DAY_KINDS) or c.incident for c in self.cands
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
        return [p.entry for p in _perpetrators(self.group)] + self.extra_claims


# ---------------------------------------------------------------------------------------------
# candidates


@cache
def _trigger_rules() -> list[tuple[TriggerRule, re.Pattern[str]]]:
    return [(r, phrase_regex([r.pattern])) for r in events_data().triggers]


def _triggers(
    doc: Document, start: int, end: int, weapons: list[WeaponMention], objects: list[int]
) -> list[Trigger]:
    plain = doc.plain
    protest = bool(cue("protest_words").search(plain, start, end))
    found: list[Trigger] = []
    for rule, rx in _trigger_rules():
        for m in rx.finditer(plain, start, end):
            if rule.needs_weapon and not weapons:
                continue
            if rule.needs_object and not (
                any(o > m.end() for o in objects) or _OBJECT_AFTER.match(plain, m.end(), end)
            ):
                continue
            if rule.needs_protest and not protest:
                continue
            definite = rule.role != "verb" and bool(
                _DEFINITE.search(plain[max(start, m.start() - 40) : m.start()])
            )
            found.append(Trigger(m.start(), m.end(), rule, definite))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[Trigger] = []
    for t in found:
        if not out or t.start >= out[-1].end:
            out.append(t)
    return out


def _threat_split(
    doc: Document, mentions: Mentions, start: int, end: int
) -> list[tuple[int, int, bool]]:
    m = cue("threat").search(doc.plain, start, end)
    if m is None:
        return [(start, end, False)]
    split = None
    for a in re.finditer(r"\s+and\s+", doc.plain[start : m.start()]):
        s, e = start + a.start(), start + a.end()
        if any(e <= x.start < m.start() for x in mentions.actors_in(start, end)):
            split = (s, e)
    if split is None:
        return [(start, end, True)]
    return [(start, split[0], False), (split[1], end, True)]


def _claimers(doc: Document, mentions: Mentions, start: int, end: int) -> list[ActorEntry]:
    out: list[ActorEntry] = []
    actors = mentions.actors_in(start, end)
    for m in cue("claim").finditer(doc.plain, start, end):
        before = [a for a in actors if a.end <= m.start() and m.start() - a.end <= 40]
        if before:
            out.append(before[-1].entry)
    for m in cue("claimed_by").finditer(doc.plain, start, end):
        after = [a for a in actors if a.start >= m.end() and a.start - m.end() <= 10]
        if after:
            out.append(after[0].entry)
    return [e for e in out if not e.generic]


def _accusations(
    doc: Document, mentions: Mentions, start: int, end: int
) -> list[tuple[ActorEntry, str | None]]:
    """ "X blamed Y for the attack", "Y was accused of": (Y, X)."""
    out: list[tuple[ActorEntry, str | None]] = []
    actors = mentions.actors_in(start, end)
    for m in cue("accusation_verbs").finditer(doc.plain, start, end):
        accused = [a for a in actors if m.end() <= a.start <= m.end() + 25 and not a.entry.generic]
        if not accused:
            accused = [a for a in actors if a.end <= m.start() and m.start() - a.end <= 12]
            accused = [
                a
                for a in accused
                if re.search(r"\b(?:was|were|is|are|been)\s+$", doc.plain[a.end : m.start()])
            ]
            by = None
        else:
            subject = doc.plain[start : m.start()].strip(" ,")
            by = subject if 0 < len(subject.split()) <= 8 else None
        out.extend((a.entry, by) for a in accused[:1])
    return out


def source_name(doc: Document, mentions: Mentions, start: int, end: int) -> str:
    """How a record names its source: the canonical name of an organisation that speaks (or
    whose spokesman speaks), else the article's words without a leading article ("officials",
    "source in the Kurdistan Democratic Party of Iran")."""
    words = doc.text[start:end].strip(" ,")
    words = re.sub(r"^(?:the|a|an)\s+", "", words, flags=re.IGNORECASE)
    if unnamed_head().match(words):
        return re.sub(r"\s*\([^)]*\)$", "", words)
    named = [a for a in mentions.actors_in(start, end) if not a.entry.generic]
    return named[0].entry.canonical if named else words


def _sites(
    doc: Document,
    cand_start: int,
    end: int,
    triggers: list[Trigger],
    targets: list[RoleActor],
    places: list[PlaceRef],
    sentence: int,
) -> list[Site]:
    first = triggers[0] if triggers else None
    named_after = [
        t for t in targets if not t.entry.generic and (first is None or t.start > first.start)
    ]
    if first is not None and len({t.entry for t in named_after}) >= 2:
        sites: list[Site] = []
        pos = first.end
        bounds = [(m.start(), m.end()) for m in _SPLIT_SITES.finditer(doc.plain, first.end, end)]
        segments = []
        for s, e in bounds:
            segments.append((pos, s))
            pos = e
        segments.append((pos, end))
        for s, e in segments:
            seg_targets = [t for t in named_after if s <= t.start < e]
            seg_places = [p for p in places if s <= p.mention.start < e]
            if seg_targets:
                sites.append(Site(seg_places, seg_targets, [sentence], clauses=[(cand_start, end)]))
            elif seg_places and sites:
                sites[-1].places.extend(seg_places)
        if len(sites) >= 2:
            return sites
    chosen = choose(places, after=first.start if first else None)
    kept = [p for p in places if chosen is not None and compatible(p.entry, chosen.entry)]
    return [Site(kept, targets, [sentence], clauses=[(cand_start, end)])]


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
    triggers = _triggers(doc, start, end, weapons, objects)
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
    claims = _claimers(doc, mentions, start, end)
    accusations = _accusations(doc, mentions, start, end) if triggers else []
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
    if protest and any(w.kind in _REMOTE for w in weapons):
        protest = False
    outcome = None
    if cue("outcome_intercepted").search(plain, start, end):
        outcome = Outcome.INTERCEPTED
    elif cue("outcome_attempted").search(plain, start, end):
        outcome = Outcome.ATTEMPTED
    dates = find_dates(plain, start, end)
    sites = _sites(doc, start, end, triggers, targets, places, sentence.index)
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
            for s, e, threat in _threat_split(doc, mentions, cs, ce):
                cand = _candidate(doc, mentions, sentence, s, e, threat)
                if cand is not None:
                    out.append(cand)
    return out


# ---------------------------------------------------------------------------------------------
# grouping


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
    if group.protest and not cand.protest and any(w.kind in _REMOTE for w in cand.weapons):
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


def _site_compatible(a: Site, b: Site) -> bool:
    pa, pb = a.place, b.place
    if pa is not None and pb is not None and not compatible(pa.entry, pb.entry):
        return False
    ta, tb = a.named_targets(), b.named_targets()
    return not (ta and tb and not ta & tb)


def _absorb(into: Site, other: Site) -> None:
    into.places.extend(other.places)
    for t in other.targets:
        if all(t.entry != o.entry for o in into.targets):
            into.targets.append(t)
    into.sentences.extend(i for i in other.sentences if i not in into.sentences)
    into.figures.extend(other.figures)
    into.weapons.extend(other.weapons)
    into.clauses.extend(other.clauses)


def _add(group: Group, cand: Candidate, founding: bool) -> None:
    group.cands.append(cand)
    if len(cand.sites) == 1 and not cand.sites[0].figures and cand.figures:
        cand.sites[0].figures = list(cand.figures)
    if len(cand.sites) == 1 and not cand.sites[0].weapons:
        cand.sites[0].weapons = list(cand.weapons)
    for site in cand.sites:
        match = next((s for s in group.sites if _site_compatible(s, site)), None)
        if match is not None:
            _absorb(match, site)
        elif (founding and (site.places or site.named_targets())) or not group.sites:
            group.sites.append(site)
        else:  # a passing mention ("Iraq protested over the strikes ... in Baghdad") adds no site
            _absorb(group.sites[0], Site([], [], site.sentences, site.figures, site.weapons))
            group.sites[0].clauses.extend(site.clauses)


def _founding(cand: Candidate, groups: list[Group]) -> bool:
    if cand.strong:
        return not cand.reaction and cand.specific and (not cand.definite or not groups)
    return (cand.protest and bool(cand.figures or cand.deadly) and cand.specific) or (
        cand.protest and cand.deadly and cand.date is not None
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
        founding = _founding(cand, groups)
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
        _absorb_containers(g)
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


def _absorb_containers(group: Group) -> None:
    """A site with no named target whose place holds another site's place is that site."""
    changed = True
    while changed and len(group.sites) > 1:
        changed = False
        for a in group.sites:
            if a.named_targets():
                continue
            pa = a.place
            inner = next(
                (
                    b
                    for b in group.sites
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
                index = group.sites.index(inner)
                group.sites[index] = merged
                group.sites.remove(a)
                changed = True
                break


# ---------------------------------------------------------------------------------------------
# events


def _perpetrators(group: Group) -> list[RoleActor]:
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


def _sub_type(
    group: Group, weapons: list[WeaponMention], outcome: Outcome, inherit: SubType | None
) -> SubType:
    """Means first, then target: anything aerial is an air/drone strike even beside missiles;
    missiles, rockets and shells without one are shelling; a blast with no device named is a
    remote explosive; violence met by protesters is excessive force; an attack with no weapon
    named takes ``inherit`` (the reported attack it is an earlier or threatened round of)."""
    hints = [t.rule.sub_type for c in group.cands for t in c.triggers if t.rule.sub_type]
    if group.protest:
        return SubType.EXCESSIVE_FORCE_AGAINST_PROTESTERS
    if outcome is Outcome.INTERCEPTED and not any(c.figures for c in group.cands):
        return SubType.DISRUPTED_WEAPONS_USE
    for special in (SubType.SUICIDE_BOMB, SubType.ABDUCTION):
        if special in hints:
            return special
    kinds = [_WEAPON_SUB_TYPE[w.kind] for w in weapons if w.kind in _WEAPON_SUB_TYPE]
    if SubType.AIR_DRONE_STRIKE in kinds:
        return SubType.AIR_DRONE_STRIKE
    if kinds:
        return kinds[0]
    if hints:
        return hints[0]
    if inherit is not None and not weapons:
        return inherit
    return SubType.ATTACK_ON_CIVILIANS


def _weapons(text: str, items: list[WeaponMention]) -> list[Weapon]:
    out: dict[WeaponKind, Weapon] = {}
    for w in items:
        have = out.get(w.kind)
        if have is not None and (have.count is not None or w.count is None):
            continue
        start = w.count_start if w.count_start is not None else w.start
        out[w.kind] = Weapon(
            kind=w.kind, count=w.count, qualifier=w.qualifier, evidence=evidence(text, start, w.end)
        )
    return list(out.values())


def _figures(
    text: str, refs: list[FigureRef], headline: tuple[int, int] | None = None
) -> list[CasualtyFigure]:
    body_kinds = {
        r.figure.kind
        for r in refs
        if headline is None or not headline[0] <= r.figure.start < headline[1]
    }
    if headline is not None:
        refs = [
            r
            for r in refs
            if not (headline[0] <= r.figure.start < headline[1] and r.figure.kind in body_kinds)
        ]
    kept: list[FigureRef] = []
    for r in refs:  # one figure per (values, source); a repeat keeps the one that names a source
        q = r.figure.quantity
        key = (r.figure.kind, r.figure.group, q.low, q.best, q.high, q.qualifier)
        same = [
            k
            for k in kept
            if (
                k.figure.kind,
                k.figure.group,
                k.figure.quantity.low,
                k.figure.quantity.best,
                k.figure.quantity.high,
                k.figure.quantity.qualifier,
            )
            == key
        ]
        if any(k.reported_by == r.reported_by for k in same) or (same and r.reported_by is None):
            continue
        unsourced = next((k for k in same if k.reported_by is None), None)
        if unsourced is not None:
            kept[kept.index(unsourced)] = r
        else:
            kept.append(r)
    out: list[CasualtyFigure] = []
    for r in kept:
        f = r.figure
        q = f.quantity
        out.append(
            CasualtyFigure(
                kind=f.kind,
                group=f.group,
                low=q.low,
                best=q.best,
                high=q.high,
                qualifier=q.qualifier,
                reported_by=r.reported_by,
                evidence=evidence(text, f.start, f.end),
            )
        )
    return out


def _event_clause(doc: Document, group: Group, site: Site) -> tuple[int, int]:
    """The clause that reports the attack at the site: its first clause with an attack word
    outside the headline, else its first clause."""
    strong = {(c.start, c.end) for c in group.cands if c.strong}
    body = [
        span for span in site.clauses if not doc.sentences[_sentence_index(doc, span[0])].headline
    ]
    best = [span for span in body if span in strong] or body or site.clauses
    if not best:
        return _sentence_evidence(doc, min(site.sentences))
    start, end = min(best)
    return start, end


def _sentence_index(doc: Document, offset: int) -> int:
    sentence = doc.sentence_at(offset)
    return sentence.index if sentence is not None else 0


def _headline_span(doc: Document) -> tuple[int, int] | None:
    heads = [s for s in doc.sentences if s.headline]
    return (heads[0].start, heads[-1].end) if heads else None


def _sentence_evidence(doc: Document, index: int) -> tuple[int, int]:
    s = doc.sentences[index]
    return s.start, s.end


def finish(
    doc: Document,
    draft: EventDraft,
    anchor: dt.date | None,
    country: str | None,
    inherit: SubType | None = None,
) -> AttackEvent:
    """The :class:`AttackEvent` of a draft; ``inherit`` is the sub-type of the reported attack,
    for an earlier or threatened round that names no weapon."""
    text = doc.text
    g = draft.group
    site = draft.site
    event_country = draft.location.country or country
    outcomes = [c.outcome for c in g.cands if c.outcome is not None]
    outcome = (
        Outcome.INTERCEPTED
        if Outcome.INTERCEPTED in outcomes
        else (outcomes[0] if outcomes else Outcome.COMPLETED)
    )
    operation_wide = [
        WeaponMention(w.kind, w.start, w.end, None, None, None) if draft.operation_id else w
        for w in g.weapons()
    ]
    weapons = draft.site.weapons or operation_wide or draft.extra_weapons
    perps = _perpetrators(g)
    targets = drop_generic(site.targets)
    date_mention = g.date
    date = resolve(date_mention, anchor) if date_mention is not None else None
    if date is not None and date_mention is not None:
        date = date.model_copy(
            update={"evidence": evidence(text, date_mention.start, date_mention.end)}
        )
    ev_start, ev_end = _event_clause(doc, g, site)
    attribution: list[Attribution] = []
    claimers: list[tuple[ActorEntry, Candidate | None]] = [
        (e, c) for c in g.cands for e in c.claims
    ] + [(e, None) for e in draft.extra_claims]
    for entry, claim_cand in claimers:
        if any(
            a.kind is AttributionKind.CLAIMED and a.perpetrator == entry.canonical
            for a in attribution
        ):
            continue
        span = (
            _sentence_evidence(doc, claim_cand.sentence.index) if claim_cand else (ev_start, ev_end)
        )
        attribution.append(
            Attribution(
                kind=AttributionKind.CLAIMED,
                perpetrator=entry.canonical,
                by=entry.canonical,
                evidence=evidence(text, *span),
            )
        )
    for c in g.cands:
        for accused, by in c.accusations:
            if any(a.perpetrator == accused.canonical for a in attribution):
                continue
            attribution.append(
                Attribution(
                    kind=AttributionKind.ACCUSED,
                    perpetrator=accused.canonical,
                    by=by,
                    evidence=evidence(text, c.sentence.start, c.sentence.end),
                )
            )
    for c in g.cands:
        if c.unattributed and not any(a.kind is AttributionKind.UNATTRIBUTED for a in attribution):
            attribution.append(
                Attribution(
                    kind=AttributionKind.UNATTRIBUTED,
                    evidence=evidence(text, c.sentence.start, c.sentence.end),
                )
            )
    if draft.standing is Standing.THREATENED:
        attribution = [
            Attribution(
                kind=AttributionKind.CLAIMED,
                perpetrator=p.entry.canonical,
                by=p.entry.canonical,
                evidence=evidence(text, ev_start, ev_end),
            )
            for p in perps
        ]
    elif perps and not any(
        a.kind in (AttributionKind.CLAIMED, AttributionKind.ACCUSED) for a in attribution
    ):
        first = perps[0]
        founding = next(
            (c for c in g.cands if any(p.entry == first.entry for p in c.perps)), g.cands[0]
        )
        source = find_source(doc.plain, founding.sentence.start, founding.sentence.end)
        attribution.append(
            Attribution(
                kind=AttributionKind.REPORTED,
                perpetrator=first.entry.canonical,
                by=doc.plain[source.start : source.end].strip() if source else None,
                evidence=evidence(text, founding.sentence.start, founding.sentence.end),
            )
        )
    if not attribution and not perps and not draft.extra_claims:
        attribution.append(Attribution(kind=AttributionKind.UNATTRIBUTED))  # the article is silent
    perp_actors = [to_actor(text, p, perpetrator=True, event_country=event_country) for p in perps]
    for extra in draft.extra_claims:
        if all(a.canonical != extra.canonical for a in perp_actors):
            mention = RoleActor(extra, extra.canonical, ev_start, ev_start)
            perp_actors.append(
                to_actor(text, mention, perpetrator=True, event_country=event_country)
            )
    return AttackEvent(
        id=draft.id,
        sub_type=_sub_type(g, weapons, outcome, inherit),
        outcome=outcome,
        standing=draft.standing,
        date=date if date is not None else EventDate(),
        location=draft.location,
        perpetrators=perp_actors,
        targets=[
            to_actor(text, t, perpetrator=False, event_country=event_country) for t in targets
        ],
        attribution=attribution,
        weapons=_weapons(text, weapons),
        casualties=_figures(text, site.figures, _headline_span(doc)),
        operation_id=draft.operation_id,
        evidence=evidence(text, ev_start, ev_end),
    )


def _same_side(group: Group, other: Group | None) -> bool:
    if other is None:
        return False
    mine = [p.entry for p in group.perps()]
    theirs = [p.entry for p in other.perps()]
    return any(related(a, b) for a in mine for b in theirs)


def same_side(draft: EventDraft, other: EventDraft) -> bool:
    """Whether two events have related perpetrators (or the first names none)."""
    mine = draft.perpetrator_entries()
    theirs = other.perpetrator_entries()
    return not mine or any(related(a, b) for a in mine for b in theirs)


def detect_events(doc: Document, mentions: Mentions, anchor: dt.date | None) -> list[EventDraft]:
    """Event drafts of a document (see the module docstring)."""
    groups = group_candidates(find_candidates(doc, mentions), anchor)
    return build_drafts(doc, mentions, groups)
