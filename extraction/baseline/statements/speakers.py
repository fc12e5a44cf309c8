"""Who speaks: the speaker an attribution names (a person, their role, their organisation),
or the one a pronoun or "the statement" stands for.

A person is named (in full, or by a surname named in full before, or as "the prime minister"
when one person with that role was named); their organisation is the nearest one named beside
them, else the one given them earlier. An anonymous source ("a source in the KDP-I") is no
speaker, and a head of government speaks for the state.

>>> from extraction.baseline.text.sentences import read_document
>>> from extraction.baseline.mentions.mentions import find_mentions
>>> from extraction.baseline.mentions.person_names import known_people
>>> doc = read_document("U.S. State Department spokesman Ned Price said")
>>> mentions = find_mentions(doc)
>>> walk = Walk(doc, mentions, known_people(doc, mentions))
>>> s = find_speaker(walk, 0, len(doc.text) - len(" said"), 0)
>>> s.person, s.role, s.org.canonical
('Ned Price', 'spokesman', 'US State Department')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from extraction.baseline.mentions.mentions import Mentions
from extraction.baseline.mentions.person_names import People, find_names, roles
from extraction.baseline.statements.sources import unnamed_head
from extraction.baseline.statements.speaker_fallbacks import (
    last_person,
    lone_name,
    role_speaker,
    subject_person,
)
from extraction.baseline.statements.statement_drafts import Speaker, StatementDraft, Walk
from extraction.baseline.text.lexicon import phrase_regex, statements_data
from extraction.baseline.text.numbers import alternation
from extraction.baseline.text.sentences import Document
from gazetteer import ActorEntry, ActorKind, gazetteer
from schemas.vocab import Channel

ORG_DISTANCE = 60
"""How far (characters) an organisation may stand from a person's name to be theirs."""


@cache
def _relation_before() -> re.Pattern[str]:
    words = alternation(statements_data().speaker_relation_words)
    return re.compile(rf"\b(?:{words})\s+(?:the\s+)?$", re.IGNORECASE)


@cache
def _head_roles() -> re.Pattern[str]:
    return phrase_regex(statements_data().head_roles)


@cache
def _pronouns() -> frozenset[str]:
    return frozenset(statements_data().pronouns)


def lineage_of(entry: ActorEntry | None) -> list[ActorEntry]:
    """An actor and the bodies it belongs to, itself first (none for ``None``)."""
    return gazetteer().actor_lineage(entry.canonical) if entry is not None else []


def _antecedent(
    pronoun: str, previous: StatementDraft | None, earlier: Sequence[StatementDraft], sentence: int
) -> Speaker | None:
    """Whom "it", "he" or "the statement" stands for: "he"/"she" the nearest earlier named
    person; "the statement" the latest written statement; "it", "they" the previous speaker."""
    if pronoun in ("he", "she"):
        person = next((d for d in reversed(earlier) if d.speaker.person), None)
        if person is not None:
            return Speaker(person.speaker.person, person.speaker.role, person.speaker.org)
    if pronoun.startswith(statements_data().statement_references):
        written = next((d for d in reversed(earlier) if d.channel is Channel.STATEMENT), None)
        if written is not None and sentence - written.sentence <= 3:
            return Speaker(None, None, written.speaker.org)
    if previous is not None and sentence - previous.sentence <= 2:
        return Speaker(None, None, previous.speaker.org)
    return None


def _role_holder(
    doc: Document, start: int, end: int, people: People
) -> list[tuple[int, int, str, str | None]]:
    """ "the prime minister said": the one person named earlier with that role, if exactly one."""
    m = re.search(rf"\bthe\s+(?P<role>{roles().pattern})\s*$", doc.text[start:end], re.I)
    if m is None:
        return []
    role = m.group("role").lower()
    holders = sorted({n for n, r in people.role.items() if r.lower() == role})
    if len(holders) != 1:
        return []
    return [(start + m.start(), start + m.end(), holders[0], None)]


def _speaker(
    doc: Document,
    mentions: Mentions,
    start: int,
    end: int,
    people: People,
    previous: StatementDraft | None,
    sentence: int,
    *,
    adjacent: bool = True,
    earlier: Sequence[StatementDraft] = (),
    first: bool = False,
) -> Speaker | None:
    """The speaker named in ``text[start:end]`` (an attribution's subject); with ``adjacent``,
    the speaker must stand close to the end of the span (the speech verb); with ``first``, the
    first person named speaks (the subject of a clause: "Ann Smith left, saying ...")."""
    subject = doc.text[start:end].strip(" ,")
    lowered = subject.lower()
    anaphor = next(
        (a for a in mentions.actors if a.via == "anaphor" and start <= a.start < end), None
    )
    if anaphor is not None and not lowered.startswith("the statement"):
        return Speaker(None, None, anaphor.entry)
    if lowered in _pronouns() or lowered.startswith(statements_data().statement_references):
        named = (
            subject_person(doc, mentions, lowered, start, people)
            if lowered in ("he", "she")
            else None
        )
        if named is not None:
            same = next((d.speaker for d in reversed(earlier) if d.speaker.person == named), None)
            if same is not None:  # as the article's earlier attribution named them
                return Speaker(same.person, same.role, same.org)
            return Speaker(named, people.role.get(named), people.org.get(named))
        found = _antecedent(lowered, previous, earlier, sentence)
        if found is None and lowered in ("he", "she"):
            person = last_person(doc, mentions, start, people)
            found = (
                Speaker(person, people.role.get(person), people.org.get(person)) if person else None
            )
        return found
    actors = [
        a
        for a in mentions.actors
        if start <= a.start
        and a.end <= end
        and not a.entry.generic
        and a.entry.kind is not ActorKind.PEOPLE
        and not _relation_before().search(doc.text[max(0, a.start - 30) : a.start])
    ]
    names = [
        n for n in find_names(doc, mentions, start, end, people.full) if not _possessive(doc, n)
    ]
    if not names and not actors:
        names = _role_holder(doc, start, end, people)
    if not names and not actors:
        lone = lone_name(doc, mentions, start, end, people)
        if lone is not None:
            return Speaker(lone, people.role.get(lone), people.org.get(lone))
        spokesperson = role_speaker(doc, mentions, start, end)
        if spokesperson is not None:
            return spokesperson
    unnamed = unnamed_head().match(subject)
    if (
        unnamed
        and not names
        and not any(a.start <= start + unnamed.end() - 1 < a.end for a in mentions.actors)
    ):
        return None  # "A source in the KDP-I", "Senior Iraqi security officials": anonymous
    nearest = max([a.end for a in actors] + [n[1] for n in names], default=None)
    if nearest is None or (adjacent and len(re.findall(r"[\w’']+", doc.text[nearest:end])) > 6):
        return None
    role_m = roles().search(doc.text, start, end)
    role = _role_text(doc, mentions, role_m, end) if role_m else None
    person = None
    org: ActorEntry | None = None
    if names:
        ns, ne, name, _title = names[0] if first else _head_name(doc, start, end, names)
        person = people.resolve(name)
        near = [a for a in actors if min(abs(a.start - ne), abs(ns - a.end)) <= ORG_DISTANCE]
        if near:
            org = min(near, key=lambda a: min(abs(a.start - ne), abs(ns - a.end))).entry
        else:
            org = people.org.get(person)
            if org is None and previous is not None and previous.sentence >= sentence - 1:
                org = previous.speaker.org
        role = role or people.role.get(person)
        if role is None and org is not None:
            alias_role = next((roles().search(a.text) for a in actors if a.entry == org), None)
            role = alias_role.group() if alias_role else None
    elif actors:
        org = actors[-1].entry
    if person is None and org is None:
        return None
    head = role or next((a.text for a in actors if a.entry == org), "")
    if org is not None and org.kind is ActorKind.GOVERNMENT_BODY and _head_roles().search(head):
        states = [e for e in lineage_of(org) if e.kind is ActorKind.STATE]
        org = states[0] if states else org  # a head of government speaks for the government
    # "Kurdistan officials": the organisation speaks through unnamed officials, as it is
    return Speaker(person, role, org)


_HEAD_END = re.compile(r",|\(|\s[—–-]\s|\s(?:of|from|at|who|with|in|for|and)\s")


def _possessive(doc: Document, name: tuple[int, int, str, str | None]) -> bool:
    """ "Holm’s spokeswoman": a name in the possessive is not the speaker."""
    return name[2].endswith(("’s", "'s", "’", "'")) or doc.text[name[1] : name[1] + 2] in (
        "’s",
        "'s",
    )


def _head_name(
    doc: Document, start: int, end: int, names: list[tuple[int, int, str, str | None]]
) -> tuple[int, int, str, str | None]:
    """The name that heads a subject: the last name before its first comma, bracket, dash or
    post-modifier ("Holm running mate Gov. Piet Kessler of Ostland", "Rep. Jan Novak, a
    Democrat from Ohio"), else one at its start, else its last name."""
    cut = _HEAD_END.search(doc.text, start, end)
    head_end = cut.start() if cut else end
    in_head = [n for n in names if n[0] < head_end]
    if in_head:
        return in_head[-1]
    lead = [n for n in names if n[0] - start <= 4]
    return lead[0] if lead else names[-1]


def _role_text(doc: Document, mentions: Mentions, m: re.Match[str], end: int) -> str:
    """The role as written, with a "for <portfolio>" part (not "for <organisation>") up to the
    first "and" ("Minister of State for the Middle East, South Asia, UN")."""
    role = m.group()
    rest = doc.text[m.end() : end]
    if not rest.startswith(" for "):
        return role
    obj = m.end() + len(" for ")
    if any(a.start <= obj + 4 and a.end > obj for a in mentions.actors):
        return role
    stop = re.search(r"\s+and\s+", rest)
    return role + (rest[: stop.start()] if stop else rest).rstrip(" ,")


def find_speaker(
    walk: Walk, start: int, end: int, sentence: int, *, adjacent: bool = True, first: bool = False
) -> Speaker | None:
    """The speaker named in ``text[start:end]`` of sentence ``sentence``, given the statements
    found so far (see :func:`_speaker`)."""
    return _speaker(
        walk.doc,
        walk.mentions,
        start,
        end,
        walk.people,
        walk.previous,
        sentence,
        adjacent=adjacent,
        earlier=walk.out,
        first=first,
    )
