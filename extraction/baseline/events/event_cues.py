"""What one clause says about an attack: its attack words, a threat in it, who claims it, who is
accused of it.

An attack word is a *trigger* (``triggers`` of ``data/events.json``); some need a weapon, an object
or a protest nearby, and a noun after "the", "this" or a possessive is *definite* ("the attack":
an attack told of before). A clause that reports an attack and then names a party that threatens
another ("Iran shelled Sidakan and the IRGC threatened to strike again") is cut at that "and".

>>> from extraction.baseline.text.sentences import read_document
>>> from extraction.baseline.mentions.mentions import find_mentions
>>> doc = read_document("Kurdish officials blamed the IRGC for the drone attack.")
>>> mentions, end = find_mentions(doc), len(doc.plain)
>>> [(doc.plain[t.start : t.end], t.definite) for t in find_triggers(doc, 0, end, [], [])]
[('attack', True)]
>>> [(e.canonical, by) for e, by in find_accusations(doc, mentions, 0, end)]
[('IRGC', 'Kurdish officials')]
>>> doc = read_document("The IRGC claimed responsibility for the strikes on Koya.")
>>> [e.canonical for e in find_claimers(doc, find_mentions(doc), 0, len(doc.plain))]
['IRGC']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extraction.baseline.events.weapons import WeaponMention
from extraction.baseline.mentions.mentions import Mentions
from extraction.baseline.text.lexicon import TriggerRule, cue, events_data, phrase_regex
from extraction.baseline.text.prefilter import Guarded, guarded
from extraction.baseline.text.sentences import Document
from gazetteer import ActorEntry

_DEFINITE = re.compile(
    r"(?:\b(?:the|these|this|those|that|such|its|their|his|her)\s+(?:[\w’'-]+\s+){0,3}"
    r"|\b\w+['’]s\s+(?:[\w-]+\s+){0,2})$",
    re.IGNORECASE,
)
_OBJECT_AFTER = re.compile(
    r"\s+(?:the|a|an|its|their|his|her|several|two|three|\w+['’]s)\s+[\w-]+", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Trigger:
    start: int
    end: int
    rule: TriggerRule
    definite: bool


@cache
def _trigger_rules() -> list[tuple[TriggerRule, Guarded]]:
    return [(r, guarded(phrase_regex([r.pattern]))) for r in events_data().triggers]


@cache
def _any_trigger() -> Guarded:
    """Any attack word at all: most clauses have none, and need no rule-by-rule search."""
    return guarded(phrase_regex([r.pattern for r in events_data().triggers]))


def find_triggers(
    doc: Document, start: int, end: int, weapons: list[WeaponMention], objects: list[int]
) -> list[Trigger]:
    """The attack words of ``plain[start:end]``, longest first where they overlap; ``objects``
    are the offsets of actors and places a transitive trigger may take as its object."""
    plain = doc.plain
    if not _any_trigger().search(plain, start, end):
        return []
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


def threat_split(
    doc: Document, mentions: Mentions, start: int, end: int
) -> list[tuple[int, int, bool]]:
    """``(start, end, is_threat)`` parts of a clause: one, or the attack and the threat."""
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


def find_claimers(doc: Document, mentions: Mentions, start: int, end: int) -> list[ActorEntry]:
    """Named actors that claim the attack: "X claimed responsibility", "claimed by X"."""
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


def find_accusations(
    doc: Document, mentions: Mentions, start: int, end: int
) -> list[tuple[ActorEntry, str | None]]:
    """ "X blamed Y for the attack", "Y was accused of", "X said Y were behind the attack":
    (Y, X). The accused may be named inside quotation marks ('blamed "the Daesh gangs"').

    >>> from extraction.baseline.text.sentences import read_document
    >>> from extraction.baseline.mentions.mentions import find_mentions
    >>> doc = read_document("Interior Ministry spokesman Ali Saad told reporters that Daesh cells "
    ...                     "were behind the blast.")
    >>> [(e.canonical, by) for e, by in find_accusations(doc, find_mentions(doc), 0, 90)]
    [('Islamic State', 'Interior Ministry')]
    """
    out: list[tuple[ActorEntry, str | None]] = []
    actors = [a for a in mentions.actors_in(start, end, quoted=True) if not a.entry.generic]
    plain = doc.plain
    for m in cue("accusation_verbs").finditer(plain, start, end):
        behind = m.group().lower().endswith("behind")
        accused = [] if behind else [a for a in actors if m.end() <= a.start <= m.end() + 25]
        by: str | None = None
        if accused:
            by = _accuser(plain[start : m.start()], lead_only=False)
        elif behind:  # "... that Y were behind": the nearest actor before, X the subject
            accused = [a for a in actors if a.end <= m.start() and m.start() - a.end <= 30][-1:]
            by = _accuser(plain[start : accused[0].start], lead_only=True) if accused else None
        else:
            accused = [
                a
                for a in actors
                if a.end <= m.start()
                and m.start() - a.end <= 12
                and re.search(r"\b(?:was|were|is|are|been)\s+$", plain[a.end : m.start()])
            ]
        out.extend((a.entry, by) for a in accused[:1])
    return out


_LEAD_NAME = re.compile(r"(?:[A-Z][\w’'-]*(?:\s+|$)|(?:of|for|the)\s+)+")


def _accuser(subject: str, *, lead_only: bool) -> str | None:
    """Who accuses: a short subject as written ("Kurdish officials"), else the capitalised
    name that opens it ("Turkey’s Defence Ministry denied ..., and" -> "Turkey’s Defence
    Ministry").

    >>> _accuser("Turkey’s Defence Ministry denied involvement, saying its forces hit only "
    ...          "militant positions, and", lead_only=False)
    'Turkey’s Defence Ministry'
    """
    subject = subject.strip(" ,")
    if not lead_only and 0 < len(subject.split()) <= 8:
        return subject
    m = _LEAD_NAME.match(subject)
    if m is None:
        return None
    lead = re.sub(r"(?:\s+(?:of|for|the))+\s*$", "", m.group().strip())
    return lead or None
