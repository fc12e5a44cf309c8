"""Who did what to whom in a clause: perpetrators and targets among the actor mentions.

An actor is a perpetrator when it is the subject of an attack verb ("Iran launched", "the Guards
had assaulted"), the agent of a passive or a noun ("attacks by Iranian forces", "claimed by the
Islamic State"), or named by a demonym before an attack word ("an Israeli airstrike"). It is a
target when it follows the attack word ("targeting the KDPI") or is the subject of "survived" /
"was targeted". Sources ("according to X", ", X said") and media are neither.

>>> from extraction.baseline.text.sentences import read_document
>>> from extraction.baseline.mentions.mentions import find_mentions
>>> doc = read_document("Iran’s elite Revolutionary Guards fired missiles at the PDKI, KDP said.")
>>> s = doc.sentences[0]
>>> perps, targets = assign_roles(doc.text, s.start, s.end, find_mentions(doc).actors, [(34, 39)])
>>> [p.entry.canonical for p in perps], [t.entry.canonical for t in targets]
(['IRGC'], ['PDKI'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from extraction.baseline.mentions.mentions import ActorMention
from extraction.baseline.statements.sources import source_spans
from extraction.baseline.text.lexicon import events_data, phrase_regex
from extraction.baseline.text.numbers import alternation
from extraction.baseline.text.prefilter import guarding
from extraction.baseline.text.spans import evidence
from gazetteer import ActorEntry, ActorKind, actor_for_demonym, gazetteer
from schemas.event import Actor
from schemas.vocab import ActorCategory

_NEVER_PARTY = frozenset({ActorKind.MEDIA, ActorKind.NGO, ActorKind.THINK_TANK})
_PARENTHETICAL = re.compile(r",\s*(?:which|who|whose)\b[^,]*,", re.IGNORECASE)
_BY_BEFORE = re.compile(r"\bby\s+(?:the\s+|an?\s+)?$", re.IGNORECASE)
_POSSESSIVE_ATTACK = re.compile(
    r"^['’]s?\s+(?:[\w-]+\s+){0,2}?(?:attacks?|strikes?|airstrikes?|bombardment)\b"
)
_NAME_WORD = r"(?:[A-Z][a-z]+|al-[A-Z][a-z]+)"
_PERSON = re.compile(rf"^\s+((?:Mr\.\s+|Dr\.\s+)?{_NAME_WORD}(?:[ -]{_NAME_WORD}){{1,3}})")
_DEMONYM_ATTACK = re.compile(
    r"\b(?P<dem>[A-Z][a-z]+|US|U\.S\.)\s+(?:[\w-]+\s+){0,1}?(?:air\s*strikes?|airstrikes?|attacks?|strikes?|"
    r"drone\s+strikes?|shelling|bombardment|raids?|missiles?|drones?|warplanes?|jets|forces|military|troops)\b"
)


@cache
def _gap_words() -> frozenset[str]:
    return frozenset(events_data().subject_gap_words)


@cache
def _relation_before() -> re.Pattern[str]:
    words = alternation(events_data().relation_words)
    return re.compile(rf"\b(?:{words})\s+(?:the\s+)?$", re.IGNORECASE)


@cache
def _holder_before() -> re.Pattern[str]:
    """ "positions held by the army", "facilities used by the militia": the actor owns what
    is attacked; it is a target, not the agent of the attack."""
    words = alternation(events_data().holder_words)
    return re.compile(rf"\b(?:{words})\s+(?:the\s+|an?\s+)?$", re.IGNORECASE)


@cache
def _noun_after_generic() -> re.Pattern[str]:
    nouns = "|".join(events_data().nouns_after_generic_actor)
    return re.compile(rf"^\s+(?:{nouns})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RoleActor:
    entry: ActorEntry
    name: str
    start: int
    end: int
    person: tuple[int, int] | None = (
        None  # a person named with the office ("... Mustafa al-Kadhimi")
    )


@cache
@guarding
def _agentive() -> re.Pattern[str]:
    return phrase_regex(events_data().agentive_verbs)


@cache
def _passive_target() -> re.Pattern[str]:
    body = "|".join(p.replace(" ", r"\s+") for p in events_data().passive_target)
    return re.compile(rf"^\s*(?:{body})\b", re.IGNORECASE)


def _blank(text: str, spans: Sequence[tuple[int, int]], offset: int) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(s - offset, 0), min(e - offset, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _gap_ok(gap: str, others: list[ActorMention], entry: ActorEntry) -> bool:
    words = re.findall(r"[\w’']+", gap)
    if len(words) > 6 or any(o.entry != entry for o in others if not _coordinated(gap)):
        return False
    return all(
        w.lower() in _gap_words() or w.lower().endswith("ly") or w in "’s's" for w in words
    ) or _coordinated(gap)


def _coordinated(gap: str) -> bool:
    return bool(re.match(r"^\s*(?:,|and)\s", gap))


def _role_name(text: str, mention: ActorMention) -> tuple[str, int, tuple[int, int] | None]:
    """The mention's text, extended by a person's name right after it ("Iraqi Prime Minister
    Mustafa al-Kadhimi"), and the person's span."""
    m = _PERSON.match(text[mention.end : mention.end + 60])
    if m and mention.entry.kind in (ActorKind.GOVERNMENT_BODY, ActorKind.STATE):
        end = mention.end + m.end(1)
        return text[mention.start : end], end, (mention.end + m.start(1), end)
    return mention.text, mention.end, None


def assign_roles(
    text: str,
    start: int,
    end: int,
    actors: Sequence[ActorMention],
    triggers: Sequence[tuple[int, int]],
    *,
    targets_allowed: bool = True,
) -> tuple[list[RoleActor], list[RoleActor]]:
    """Perpetrators and targets among the (unquoted) actor mentions of ``text[start:end]``.

    ``triggers`` are the attack words' spans; targets must come after one.
    """
    clause = text[start:end]
    hidden = [(start + m.start(), start + m.end()) for m in _PARENTHETICAL.finditer(clause)]
    visible = _blank(clause, hidden, start)
    sources = source_spans(text, start, end)
    candidates = [
        a
        for a in actors
        if start <= a.start
        and a.end <= end
        and not a.quoted
        and not any(s <= a.start and a.end <= e for s, e in sources)
        and a.entry.kind not in _NEVER_PARTY
    ]
    mentions = [a for a in candidates if not any(s <= a.start and a.end <= e for s, e in hidden)]
    by_agents = [
        a
        for a in candidates
        if a not in mentions
        and _BY_BEFORE.search(clause[max(0, a.start - start - 12) : a.start - start])
        and not _holder_before().search(clause[max(0, a.start - start - 30) : a.start - start])
    ]
    agent_spans = [(start + m.start(), start + m.end()) for m in _agentive().finditer(visible)]
    perps: list[RoleActor] = []
    targets: list[RoleActor] = []
    first_trigger = min((s for s, _ in triggers), default=None)
    for a in mentions:
        rel = a.start - start
        after = visible[a.end - start :]
        if _modifier(visible[max(0, rel - 30) : rel], after, a, mentions):
            continue
        holder = bool(_holder_before().search(clause[max(0, rel - 30) : rel]))
        agent = not holder and bool(_BY_BEFORE.search(clause[max(0, rel - 12) : rel]))
        if not agent and not holder and _POSSESSIVE_ATTACK.match(after):
            agent = True
        if not agent and not holder:
            for vs, _ve in agent_spans:
                if vs < a.end:
                    continue
                gap = visible[a.end - start : vs - start]
                others = [o for o in mentions if a.end <= o.start and o.end <= vs]
                agent = _gap_ok(gap, others, a.entry)
                break
        if (agent and not a.entry.generic) or (agent and a.entry.kind is not ActorKind.PEOPLE):
            name, name_end, person = _role_name(text, a)
            perps.append(RoleActor(a.entry, name, a.start, name_end, person))
            continue
        name, name_end, person = _role_name(text, a)
        after = visible[name_end - start :]
        if re.match(r"['’]s?\s", after):
            continue  # "Iraq’s sovereignty": the owner of something, not the target
        passive = bool(_passive_target().match(after)) or bool(
            re.match(r"^\s*['’]s\s+(?:home|residence|house|headquarters|convoy|car|office)", after)
        )
        if targets_allowed and (
            holder or passive or (first_trigger is not None and a.start > first_trigger)
        ):
            targets.append(RoleActor(a.entry, name, a.start, name_end, person))
    for a in by_agents:
        if a.entry.kind is not ActorKind.PEOPLE and all(p.entry != a.entry for p in perps):
            name, name_end, person = _role_name(text, a)
            perps.append(RoleActor(a.entry, name, a.start, name_end, person))
    for m in _DEMONYM_ATTACK.finditer(visible):
        forces = actor_for_demonym(m.group("dem"))
        if forces is not None and not any(p.entry == forces for p in perps):
            s = start + m.start("dem")
            perps.append(RoleActor(forces, m.group("dem"), s, start + m.end("dem")))
    return _tidy(perps), _tidy([t for t in targets if all(t.entry != p.entry for p in perps)])


def _modifier(
    before: str, after: str, mention: ActorMention, mentions: Sequence[ActorMention]
) -> bool:
    """A mention that only modifies another noun: "Iran’s elite IRGC", "police custody"."""
    if mention.entry.generic and _noun_after_generic().match(after):
        return True
    if _relation_before().search(before):
        return True
    m = re.match(r"^['’]s?\s+", after)
    if m is None:
        return False
    starts = {mention.end + m.end()}
    for w in re.finditer(r"[\w-]+\s+", after[m.end() : m.end() + 40]):
        if len(starts) > 2:
            break
        starts.add(mention.end + m.end() + w.end())
    return any(o.start in starts and o.entry != mention.entry for o in mentions)


def _tidy(items: list[RoleActor]) -> list[RoleActor]:
    out: list[RoleActor] = []
    for r in items:
        if all(o.entry != r.entry for o in out):
            out.append(r)
    return out


def related(a: ActorEntry, b: ActorEntry) -> bool:
    """Same actor, one part of the other, or the same state's bodies."""
    if a == b:
        return True
    g = gazetteer()
    la = g.actor_lineage(a.canonical)
    lb = g.actor_lineage(b.canonical)
    if a in lb or b in la:
        return True
    return (
        a.country is not None
        and a.country == b.country
        and not (a.generic or b.generic)
        and (
            a.kind in (ActorKind.STATE, ActorKind.ARMED_FORCES, ActorKind.GOVERNMENT_BODY)
            and b.kind in (ActorKind.STATE, ActorKind.ARMED_FORCES, ActorKind.GOVERNMENT_BODY)
        )
    )


def drop_redundant_states(perps: list[RoleActor]) -> list[RoleActor]:
    """Drop a state named beside its own forces ("Iran ... the IRGC" is the IRGC)."""
    out = []
    for p in perps:
        if p.entry.kind is ActorKind.STATE and any(
            o.entry.country == p.entry.country and o.entry.kind is not ActorKind.STATE
            for o in perps
        ):
            continue
        out.append(p)
    return out


def drop_generic(items: list[RoleActor]) -> list[RoleActor]:
    """Drop generic collectives ("Kurdish groups") when a named actor of that kind is there."""
    named = [r for r in items if not r.entry.generic]
    return [
        r
        for r in items
        if not r.entry.generic or not any(n.entry.kind == r.entry.kind for n in named)
    ]


def to_actor(text: str, role: RoleActor, *, perpetrator: bool, event_country: str | None) -> Actor:
    """The schema :class:`Actor` of a role, with its category adjusted to the event's place."""
    category = role.entry.category
    abroad = event_country is not None and role.entry.country not in (None, event_country)
    forces = role.entry.kind is ActorKind.ARMED_FORCES and not role.entry.generic
    if forces or (perpetrator and role.entry.kind is ActorKind.STATE):
        category = ActorCategory.EXTERNAL_FORCES if abroad else ActorCategory.STATE_FORCES
    if role.person is not None:  # a person attacked or attacking in office: the person
        ps, pe = role.person
        person = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.\s+", "", text[ps:pe])
        return Actor(
            name=text[ps:pe], canonical=person, category=category, evidence=evidence(text, ps, pe)
        )
    return Actor(
        name=role.name,
        canonical=role.entry.canonical,
        category=category,
        evidence=evidence(text, role.start, role.end) if role.end > role.start else None,
    )
