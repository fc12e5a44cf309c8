"""Speakers the main rules leave unnamed: a lone name right before the speech verb, "he" or
"she" for the last person the article named, and a spokesperson or office named by its role.

They apply only where :mod:`speakers` finds no person and no organisation:

- a single capitalised name, or a title and a name ("Henry", "Mr. Burton"), that is the whole
  subject of a quote's attribution is a person;
- "he" / "she" with no earlier quoted person stands for the last person named in the preceding
  ``PRONOUN_REACH`` characters;
- "a spokeswoman", "an interior ministry spokesperson", "the ministry's spokesman for X": the role
  is kept, with the organisation the subject names, if any (anonymous sources stay no speaker).

>>> from extraction.baseline.sentences import read_document
>>> from extraction.baseline.mentions import find_mentions
>>> from extraction.baseline.person_names import known_people
>>> doc = read_document("Ann Smith spoke. Henry said")
>>> m = find_mentions(doc)
>>> lone_name(doc, m, 17, 22, known_people(doc, m))
'Henry'
>>> last_person(doc, m, 17, known_people(doc, m))
'Ann Smith'
"""

from __future__ import annotations

import re

from extraction.baseline.mentions import Mentions
from extraction.baseline.person_names import People, clean_name, find_names, roles
from extraction.baseline.sentences import Document
from extraction.baseline.statement_drafts import Speaker
from gazetteer import ActorEntry

PRONOUN_REACH = 600
"""How far back (characters) "he" or "she" looks for the person it stands for."""

_LONE = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Gov|Rep)\.?\s+)?(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){0,2})"
)


def lone_name(
    doc: Document, mentions: Mentions, start: int, end: int, people: People
) -> str | None:
    """The person an attribution's whole subject names ("Henry", "Mr. Burton"), if it is
    nothing but a name."""
    subject = doc.text[start:end].strip(" ,")
    m = _LONE.fullmatch(subject)
    if m is None or any(start <= a.start < end for a in mentions.actors):
        return None
    names = find_names(doc, mentions, start, end, {m.group("name"): m.group("name")})
    if not names:
        return None
    return people.resolve(m.group("name"))


def last_person(doc: Document, mentions: Mentions, start: int, people: People) -> str | None:
    """The last person named in the ``PRONOUN_REACH`` characters before ``start``."""
    lo = max(0, start - PRONOUN_REACH)
    names = [
        n
        for n in find_names(doc, mentions, lo, start, people.full)
        if not re.match(r"['’]s?\b", doc.text[n[1] : n[1] + 2])  # not "Trump’s"
    ]
    if not names:
        return None
    return people.resolve(clean_name(names[-1][2]))


_ROLE_SUBJECT = re.compile(r"^(?:an?|the)\s+(?P<rest>.{0,80})$", re.IGNORECASE | re.DOTALL)


def role_speaker(doc: Document, mentions: Mentions, start: int, end: int) -> Speaker | None:
    """A spokesperson or office named by its role ("a spokeswoman", "an interior ministry
    spokesperson", "a spokesman for Disney"), with the organisation named in the subject."""
    subject = doc.text[start:end].strip(" ,")
    m = _ROLE_SUBJECT.match(subject)
    if m is None:
        return None
    role = roles().search(subject)
    if role is None or role.group().lower() not in {"spokesman", "spokeswoman", "spokesperson"}:
        return None
    org: ActorEntry | None = next(
        (a.entry for a in mentions.actors if start <= a.start and a.end <= end), None
    )
    return Speaker(None, role.group(), org)
