"""Event records: an :class:`~schemas.event.AttackEvent` from each event draft.

The sub-type comes from the means, then the target; weapons keep one entry per kind (the one
with a count); casualty figures keep one entry per (values, source), and a headline figure only
when the body does not give that kind; the evidence is the clause that reports the attack at the
site. Attribution is ``event_attribution``'s.
"""

from __future__ import annotations

import datetime as dt

from extraction.baseline.events.casualty_clauses import totals
from extraction.baseline.events.event_attribution import attributions
from extraction.baseline.events.events import EventDraft, perpetrators
from extraction.baseline.events.grouping import Group
from extraction.baseline.events.sites import FigureRef, Site
from extraction.baseline.events.victims import named_victims
from extraction.baseline.events.weapons import WeaponMention
from extraction.baseline.mentions.actors import RoleActor, drop_generic, to_actor
from extraction.baseline.text.dates import resolve
from extraction.baseline.text.sentences import Document
from extraction.baseline.text.spans import evidence
from schemas.event import Actor, AttackEvent, CasualtyFigure, EventDate, Weapon, WeaponKind
from schemas.vocab import ActorCategory, Outcome, SubType

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
    source = {id(r.figure): r.reported_by for r in refs}
    refs = refs + [  # a figure that adds to an earlier one from the same source ("also killed")
        FigureRef(total, source[id(second)])  # brings their total
        for first, second, total in totals(text, [r.figure for r in refs])
        if source[id(first)] == source[id(second)]
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


def _named_victims(text: str, site: Site, targets: list[Actor]) -> list[Actor]:
    """Persons the site's clauses name as killed, kidnapped or attacked (``victims``), as
    civilian targets, each once and not already a target."""
    seen = {" ".join(t.name.lower().split()) for t in targets}
    out: list[Actor] = []
    for cs, ce in sorted(set(site.clauses)):
        for s, e in named_victims(text, cs, ce):
            name = " ".join(text[s:e].split())
            if name.lower() in seen:
                continue
            seen.add(name.lower())
            out.append(
                Actor(
                    name=name,
                    canonical=name,
                    category=ActorCategory.CIVILIANS,
                    evidence=evidence(text, s, e),
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
        Outcome.COMPLETED  # one clause saying some got through outweighs "two intercepted"
        if Outcome.COMPLETED in outcomes
        else Outcome.INTERCEPTED
        if Outcome.INTERCEPTED in outcomes
        else (outcomes[0] if outcomes else Outcome.COMPLETED)
    )
    operation_wide = [
        WeaponMention(w.kind, w.start, w.end, None, None, None) if draft.operation_id else w
        for w in g.weapons()
    ]
    weapons = draft.site.weapons or operation_wide or draft.extra_weapons
    perps = perpetrators(g)
    targets = drop_generic(site.targets)
    date_mention = g.date
    date = resolve(date_mention, anchor) if date_mention is not None else None
    if date is not None and date_mention is not None:
        date = date.model_copy(
            update={"evidence": evidence(text, date_mention.start, date_mention.end)}
        )
    ev_start, ev_end = _event_clause(doc, g, site)
    attribution = attributions(doc, draft, perps, ev_start, ev_end)
    perp_actors = [to_actor(text, p, perpetrator=True, event_country=event_country) for p in perps]
    for extra in draft.extra_claims:
        if all(a.canonical != extra.canonical for a in perp_actors):
            mention = RoleActor(extra, extra.canonical, ev_start, ev_start)
            perp_actors.append(
                to_actor(text, mention, perpetrator=True, event_country=event_country)
            )
    target_actors = [
        to_actor(text, t, perpetrator=False, event_country=event_country) for t in targets
    ]
    target_actors += _named_victims(text, site, target_actors)
    return AttackEvent(
        id=draft.id,
        sub_type=_sub_type(g, weapons, outcome, inherit),
        outcome=outcome,
        standing=draft.standing,
        date=date if date is not None else EventDate(),
        location=draft.location,
        perpetrators=perp_actors,
        targets=target_actors,
        attribution=attribution,
        weapons=_weapons(text, weapons),
        casualties=_figures(text, site.figures, _headline_span(doc)),
        operation_id=draft.operation_id,
        evidence=evidence(text, ev_start, ev_end),
    )
