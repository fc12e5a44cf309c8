"""Speakers the main rules leave unnamed: a lone name right before the speech verb, "he" or
"she" for the last person the article named, and a spokesperson or office named by its role.

They apply only where :mod:`speakers` finds no person and no organisation:

- a single capitalised name, or a title and a name ("Henry", "Mr. Burton"), that is the whole
  subject of a quote's attribution is a person;
- "he" / "she" with no earlier quoted person stands for the last person named in the preceding
  ``PRONOUN_REACH`` characters;
- "a spokeswoman", "an interior ministry spokesperson", "the ministry's spokesman for X": the role
  is kept, with the organisation the subject names, if any (anonymous sources stay no speaker).

>>> from extraction.baseline.text.sentences import read_document
>>> from extraction.baseline.mentions.mentions import find_mentions
>>> from extraction.baseline.mentions.person_names import known_people
>>> doc = read_document("Ann Smith spoke. Henry said")
>>> m = find_mentions(doc)
>>> lone_name(doc, m, 17, 22, known_people(doc, m))
'Henry'
>>> last_person(doc, m, 17, known_people(doc, m))
'Ann Smith'
"""

from __future__ import annotations

import re
from functools import cache

from extraction.baseline.mentions.mentions import Mentions
from extraction.baseline.mentions.person_names import (
    People,
    clean_name,
    find_names,
    not_names,
    roles,
)
from extraction.baseline.statements.statement_drafts import Speaker
from extraction.baseline.text.lexicon import statements_data
from extraction.baseline.text.sentences import Document
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


SUBJECT_REACH = 1200
"""How far back (characters) "he" or "she" looks for a person named as a subject."""


@cache
def _subject_after() -> re.Pattern[str]:
    """A name followed by its verb (an adverb allowed between: "Smith mostly read") or by an
    appositive is the subject of its sentence; the verbs are ``subject_verbs`` of the data and
    any past tense in -ed."""
    verbs = "|".join(v.replace(" ", r"\s+") for v in statements_data().subject_verbs)
    return re.compile(
        r"\s*(?:,\s+(?:a|an|the|who|whose|\d+|[a-z]+\s+(?:of|for|at|to|with))\b"
        r"|\s+(?:also\s+|then\s+|later\s+|never\s+|still\s+|[a-z]{3,}ly\s+)?"
        rf"(?:{verbs}|[a-z]{{3,}}ed)\b)"
    )


_SUBJECT_BEFORE = re.compile(
    r"(?:^|[.!?:;]\s+|(?:^|\s)(?:When|As|After|While|Before|Though|Although|If|But|And|So)\s+)"
    r"(?:(?:the|a|an)\s+)?(?:(?!(?:he|she|they|we|i|it|you)\b)[\w.’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
"""What may stand before a subject: the start of its sentence (or of a "When ..." clause) with a
few words of role ("psychologist", "campaign chairman")."""
_INVERTED = re.compile(
    r"\b(?:said|says|added|adds|asked|wrote|writes|responded|replied|explained|noted)\s+"
    r"(?:(?:the|a|an)\s+)?(?:[\w.’'-]+\s+){0,3}$"
)
"""The verb of an inverted attribution before its subject ("..., said Ann Smith.")."""
_MALE = re.compile(r"\bMr\.?\s+(?P<name>[A-Z][\w’'-]+)")
_FEMALE = re.compile(r"\b(?:Mrs|Ms|Miss)\.?\s+(?P<name>[A-Z][\w’'-]+)")


def _gender(doc: Document, surname: str) -> str | None:
    """ "he" or "she" when the article calls the person "Mr." or "Ms."/"Mrs." ``surname``."""
    male = any(m.group("name") == surname for m in _MALE.finditer(doc.text))
    female = any(m.group("name") == surname for m in _FEMALE.finditer(doc.text))
    return "he" if male and not female else "she" if female and not male else None


def subject_person(
    doc: Document, mentions: Mentions, pronoun: str, start: int, people: People
) -> str | None:
    """The person "he" or "she" at ``start`` stands for: the first person named as a subject
    in the last sentence before it that names one ("Ann Smith said ...", "When Ann Smith spoke,
    ...", "..., said Ann Smith."), outside quotation marks, and not one the article calls by the
    other pronoun's honorific ("Mr." for "she")."""
    lo = max(0, start - SUBJECT_REACH)
    quoted = [
        (q.content_start, q.content_end) for q in doc.quotes if lo < q.end and q.start < start
    ]
    by_sentence: dict[int, list[str]] = {}
    for ns, ne, name, _title in find_names(doc, mentions, lo, start, people.full):
        possessive = re.search(r"['’]s?$", name) or re.match(r"['’]s?\b", doc.text[ne : ne + 2])
        if possessive or any(qs <= ns < qe for qs, qe in quoted):
            continue
        line_start = doc.text.rfind("\n", 0, ns) + 1
        before = doc.text[line_start:ns]
        before = before if len(before) <= 80 else "…" + before[-80:]  # "^" is the line's start
        inverted = _INVERTED.search(before) and re.match(r"\s*(?:[,.;]|$)", doc.text[ne : ne + 2])
        if not (_subject_after().match(doc.text, ne) or _SUBJECT_BEFORE.search(before) or inverted):
            continue
        person = people.resolve(clean_name(name))
        gender = _gender(doc, person.split()[-1])
        if gender is not None and gender != pronoun:
            continue
        sentence = doc.sentence_at(ns)
        by_sentence.setdefault(sentence.index if sentence else -1, []).append(person)
    if not by_sentence:
        return None
    return by_sentence[max(by_sentence)][0]  # the main clause's subject comes first


_LONE_SUBJECT = re.compile(r"[A-Z][a-z’'-]+(?=\s)")


def subject_surname(doc: Document, mentions: Mentions, start: int, people: People) -> str | None:
    """A lone capitalised word opening a clause and followed by its verb ("Varga also
    forwarded ..."), that names no organisation or place: a person called by surname alone.

    >>> from extraction.baseline.text.sentences import read_document
    >>> from extraction.baseline.mentions.mentions import find_mentions
    >>> from extraction.baseline.mentions.person_names import known_people
    >>> doc = read_document("Varga also forwarded the memo to the staff.")
    >>> m = find_mentions(doc)
    >>> subject_surname(doc, m, 0, known_people(doc, m))
    'Varga'
    """
    m = _LONE_SUBJECT.match(doc.text, start)
    if m is None or m.group() in not_names() or not _subject_after().match(doc.text, m.end()):
        return None
    spans = [(a.start, a.end) for a in mentions.actors] + [
        (p.start, p.end) for p in mentions.places
    ]
    if any(s < m.end() and e > start for s, e in spans):
        return None
    return people.resolve(m.group())


_ROLE_SUBJECT = re.compile(r"^(?:an?|the)\s+(?P<rest>.{0,80})$", re.IGNORECASE | re.DOTALL)


def role_speaker(doc: Document, mentions: Mentions, start: int, end: int) -> Speaker | None:
    """A spokesperson or office named by its role ("a spokeswoman", "an interior ministry
    spokesperson", "a spokesman for Disney"), with the organisation named in the subject."""
    subject = doc.text[start:end].strip(" ,")
    m = _ROLE_SUBJECT.match(subject)
    if m is None:
        return None
    role = roles().search(subject)
    if role is None or role.group().lower() not in statements_data().spokesperson_roles:
        return None
    org: ActorEntry | None = next(
        (a.entry for a in mentions.actors if start <= a.start and a.end <= end), None
    )
    return Speaker(None, role.group(), org)
