"""Person names in an article ("Ned Price", "Lord (Tariq) Ahmad of Wimbledon", "al-Kadhimi"),
a surname alone once the person is named in full, and the organisation and role the article
gives each person ("PDKI spokesman Hadi Tayyeb").

>>> from extraction.baseline.text.sentences import read_document
>>> from extraction.baseline.mentions.mentions import find_mentions
>>> doc = read_document("U.S. State Department spokesman Ned Price spoke. Price said more.")
>>> people = known_people(doc, find_mentions(doc))
>>> people.resolve("Price"), people.org["Ned Price"].canonical, people.role["Ned Price"]
('Ned Price', 'US State Department', 'spokesman')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from extraction.baseline.mentions.mentions import Mentions
from extraction.baseline.text.lexicon import phrase_regex, statements_data
from extraction.baseline.text.numbers import alternation
from extraction.baseline.text.prefilter import guarding
from extraction.baseline.text.sentences import Document
from gazetteer import ActorEntry

_TOKEN = (
    r"(?:(?:Mc|Mac|O['’])?[A-Z][a-z’']+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?|(?:al|el|bin|ibn|abu|Abu|Al|El)-[A-Z][a-z’']+"
    r"|\([A-Z][a-z]+\))"
)


@cache
def _titles() -> str:
    """Titles and honorifics before a name ("Grand Ayatollah", "Mr."): ``name_titles`` and
    ``honorifics`` of the data, matched case-sensitively."""
    data = statements_data()
    return alternation([*data.name_titles, *data.honorifics])


@cache
def _name() -> re.Pattern[str]:
    """A name: capitalised words, with middle initials ("Ann L. Varga") and a territorial "of".
    The lookahead in front holds at every place a match can start (it only saves trying the rest
    at the others)."""
    return re.compile(
        r"(?=[A-Z(]|al-|el-|bin-|ibn-|abu-)"  # how a title or name starts: elsewhere, no search
        rf"(?:(?P<title>{_titles()})\s+)?"
        rf"(?P<name>{_TOKEN}(?:\s+(?:{_TOKEN}|[A-Z]\.(?=\s+[A-Z][a-z])|of\s+[A-Z][a-z]+))*)"
    )


@cache
def _titles_in_name() -> frozenset[str]:
    """Titles that are part of the name ("Sir", "Lord"): ``titles_in_name`` of the data."""
    return frozenset(statements_data().titles_in_name)


_LEADING_WORD = re.compile(r"\(?([A-Z][\w’']*)\)?\s+(?=\S)")
_TRAILING_WORD = re.compile(r"\s+([A-Z][\w’']*)$")


@cache
@guarding
def roles() -> re.Pattern[str]:
    """Roles a speaker may hold ("spokesman", "prime minister"): ``roles`` of the data."""
    return phrase_regex(statements_data().roles)


@cache
def not_names() -> frozenset[str]:
    """Capitalised words that are no name ("The", "Minister", "Monday"): ``not_names``."""
    return frozenset(statements_data().not_names)


def _blank_spans(text: str, offset: int, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s - offset), min(len(chars), e - offset)):
            chars[i] = "#"
    return "".join(chars)


def find_names(
    doc: Document,
    mentions: Mentions,
    start: int,
    end: int,
    known: Mapping[str, str] | None = None,
) -> list[tuple[int, int, str, str | None]]:
    """Person names in ``text[start:end]``: (start, end, name, title). A lone surname counts
    when it belongs to a person named in full earlier (``known``: surname -> full name)."""
    spans = [(a.start, a.end) for a in mentions.actors if a.start < end and a.end > start]
    spans += [
        (p.start, p.end)
        for p in mentions.places
        if p.start < end and p.end > start and not (known and p.text in known)
    ]  # "Varga said": a surname of the article's people, not a town of that name
    spans += [(start + m.start(), start + m.end()) for m in roles().finditer(doc.text[start:end])]
    masked = _blank_spans(doc.text[start:end], start, spans)
    out = []
    for m in _name().finditer(masked):
        title = m.group("title")
        name_start = m.start("name")
        lead = _LEADING_WORD.match(masked, name_start)
        while title is None and lead is not None and lead.group(1) in not_names():
            name_start = lead.end()  # "Representative Ann Kessler": the name after the word
            lead = _LEADING_WORD.match(masked, name_start)
        name_end = m.end("name")
        trail = _TRAILING_WORD.search(masked, name_start, name_end)
        while trail is not None and trail.group(1) in not_names():
            name_end = trail.start()  # "Jan Novak Tuesday": the name before the word
            trail = _TRAILING_WORD.search(masked, name_start, name_end)
        whole = masked[name_start:name_end]
        tokens = [t for t in re.findall(r"[\w’'()-]+", whole) if t != "of" and len(t) > 1]
        tokens = [t for t in tokens if t.strip("()") not in not_names()]
        if not tokens:
            continue
        if len(tokens) >= 2 or title or (known is not None and tokens[0] in known):
            s = start + (m.start("title") if title and title in _titles_in_name() else name_start)
            out.append((s, start + name_end, doc.text[s : start + name_end], title))
    return out


def clean_name(name: str) -> str:
    """A person's name without titles, honorifics or a territorial "of ..." ("Lord (Tariq) Ahmad
    of Wimbledon" is "Tariq Ahmad"; "Sardar Pakpour" is "Pakpour").

    >>> clean_name("Lord (Tariq) Ahmad of Wimbledon"), clean_name("Mr. al-Kadhimi")
    ('Tariq Ahmad', 'al-Kadhimi')
    """
    name = re.sub(rf"^(?:(?:{_titles()})\s+)+", "", name.strip())
    name = re.sub(r"\s+of\s+[A-Z][\w’'-]+$", "", name)
    return " ".join(name.replace("(", "").replace(")", "").split())


@dataclass
class People:
    """What the article tells of the people it names: full names by surname; organisations
    and roles by name."""

    full: dict[str, str] = field(default_factory=dict)  # surname -> full name
    org: dict[str, ActorEntry] = field(default_factory=dict)
    role: dict[str, str] = field(default_factory=dict)

    def resolve(self, name: str) -> str:
        name = clean_name(name)
        if " " not in name.strip():
            return self.full.get(name, name)
        return name


def known_people(doc: Document, mentions: Mentions) -> People:
    """The people the article names: the full name of each surname, and the organisation and
    role named just before a name ("PDKI spokesman Hadi Tayyeb")."""
    people = People()
    for s in doc.sentences:
        for ns, _ne, name, _title in find_names(doc, mentions, s.start, s.end):
            clean = clean_name(name)
            if " " in clean:
                people.full.setdefault(clean.split()[-1], clean)
            before = [
                a
                for a in mentions.actors
                if a.end <= ns and ns - a.end <= 25 and not a.entry.generic
            ]
            if before:
                gap = doc.text[before[-1].end : ns]
                role = roles().search(gap) or roles().search(before[-1].text)
                if re.fullmatch(r"[\s\w.’']*", gap):
                    people.org.setdefault(clean, before[-1].entry)
                    if role:
                        people.role.setdefault(clean, role.group())
    return people
