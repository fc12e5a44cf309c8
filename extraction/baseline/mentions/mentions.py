"""Find the gazetteer's actors and places in an article: longest alias first, case-aware.

Every run of up to N words is looked up by its normalised form (``gazetteer.normalise_name``),
so spelling variants the alias tables fold (curly apostrophes, hyphens, dots, "the") need no extra
patterns. Case still counts where the alias says so: an acronym must be written in capitals and a
capitalised alias word must be capitalised ("the Guards" is the IRGC, "security guards" is not).
A name that is both a state and a place ("Iraq", "Baghdad") is a place after a preposition ("in
Iraq") and an actor otherwise ("Iraq protested"). Definite descriptions such as "the elite force"
resolve to the latest actor of a fitting kind.

>>> from extraction.baseline.text.sentences import read_document
>>> doc = read_document("Iran’s Guards hit the KDP-I in Koysanjak district. The elite force left.")
>>> m = find_mentions(doc)
>>> [(a.text, a.entry.canonical, a.via) for a in m.actors][1:]
[('KDP-I', 'PDKI', 'alias'), ('The elite force', 'IRGC', 'anaphor')]
>>> m.actors[0].text, m.actors[0].entry.canonical
('Iran’s Guards', 'IRGC')
>>> [(p.text, p.entry.canonical, p.entry.admin1) for p in m.places]
[('Koysanjak district', 'Koya', 'Erbil')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Generic, TypeVar

from extraction.baseline.mentions.world_places import find_world_places
from extraction.baseline.text.lexicon import events_data, phrase_regex, statements_data
from extraction.baseline.text.numbers import alternation
from extraction.baseline.text.sentences import Document
from gazetteer import (
    ActorEntry,
    ActorKind,
    PlaceEntry,
    actor_entries,
    normalise_name,
    place_entries,
)

_TOKEN = re.compile(r"[^\W_]+")
_PREFIX = 3
_ADJECTIVE_COMPOUND = re.compile(r"-[^\W\d]")  # "US-led", "Iran-backed": no place
_SLACK = 2  # a surface may have more words than its form: "Nation’s" is "Nation", "s"
_BLOCKED = re.compile(r"[;:()\[\]\"“”!?\n—–]")
_APOSTROPHE = "'’‘`ʼ"
_ADDRESSED = re.compile(
    r"\b(?:call(?:s|ed|ing)?|urg(?:e|es|ed|ing)|pressure|sanctions)\s+on\s+$", re.IGNORECASE
)


T = TypeVar("T", ActorEntry, PlaceEntry)


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    text: str
    entry: ActorEntry
    quoted: bool = False
    via: str = "alias"  # "alias" or "anaphor"


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    text: str
    entry: PlaceEntry
    quoted: bool = False
    dateline: bool = False
    locative: bool = False  # found in a locative context (world places are only found there)


@dataclass(frozen=True)
class Mentions:
    actors: list[ActorMention]
    places: list[PlaceMention]
    country: str | None  # the country the article is mostly about

    def actors_in(self, start: int, end: int, *, quoted: bool = False) -> list[ActorMention]:
        return [
            a for a in self.actors if start <= a.start and a.end <= end and (quoted or not a.quoted)
        ]

    def places_in(self, start: int, end: int, *, quoted: bool = False) -> list[PlaceMention]:
        return [
            p for p in self.places if start <= p.start and p.end <= end and (quoted or not p.quoted)
        ]


@cache
def _case_free() -> frozenset[str]:
    """Words of a name that may be written in lower case ("Kurdistan region")."""
    return frozenset(events_data().case_free_name_words)


@cache
def _form_tokens(form: str) -> tuple[str, ...]:
    """The words of an alias form (a fixed set: the gazetteer's)."""
    return tuple(_TOKEN.findall(form))


def _case_ok(surface: str, form: str) -> bool:
    ftoks = _form_tokens(form)
    stoks = _TOKEN.findall(surface)
    if ftoks and ftoks[0].lower() == "the" and (not stoks or stoks[0].lower() != "the"):
        ftoks = ftoks[1:]
    if len(ftoks) != len(stoks):
        letters = [c for c in form if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            return all(c.isupper() for c in surface if c.isalpha())
        return not (form[:1].isupper() and not surface[:1].isupper())
    proper = [ft for ft in ftoks if ft[0].isupper() and ft.lower() not in _case_free()]
    for ft, st in zip(ftoks, stoks, strict=True):
        if len(ft) >= 2 and ft.isupper() and not st.isupper():
            return False
        if ft[0].isupper() and not st[0].isupper():
            if ft.lower() in _case_free() and proper:
                continue  # "Kurdistan region" for "Kurdistan Region"
            return False
    return True


class _Matcher(Generic[T]):
    def __init__(self, items: Sequence[tuple[str, T]]) -> None:
        self._by_key: dict[str, list[tuple[str, T]]] = {}
        self._max = 1
        # the most words a form can have whose key starts with a given (up to 3-letter) prefix:
        # a name's key starts with its first word's key, so most words need no lookup at all
        self._max_by_prefix: dict[str, int] = {}
        # prefixes of forms whose first word may be written in lower case ("security forces");
        # a lower-case word never starts any other form (``_case_ok``)
        self._lower_ok: set[str] = set()
        # every beginning of every key: the key of a run of words that starts with an ASCII word
        # starts with that word in lower case (``_words``), unless the word and what follows it
        # fold to a leading "the", which the key drops ("Th'e"): "t" and "th" are let through
        self._key_starts: set[str] = {"t", "th"}
        for form, entry in items:
            key = normalise_name(form)
            if key:
                self._by_key.setdefault(key, []).append((form, entry))
                self._key_starts.update(key[:n] for n in range(1, len(key) + 1))
                words = len(_TOKEN.findall(form))
                self._max = max(self._max, words)
                toks = _TOKEN.findall(form)
                head = toks[1] if len(toks) > 1 and toks[0].lower() == "the" else toks[0]
                for n in range(1, min(_PREFIX, len(key)) + 1):
                    prefix = key[:n]
                    self._max_by_prefix[prefix] = max(self._max_by_prefix.get(prefix, 0), words)
                    if not head[0].isupper():
                        self._lower_ok.add(prefix)

    def scan(
        self,
        text: str,
        start: int,
        end: int,
        pick: Callable[[list[T]], T | None],
        words: _Words | None = None,
    ) -> list[tuple[int, int, T]]:
        tokens, possessive, apostrophe, lower_heads, prefixes, ascii_words = words or _words(
            text, start, end
        )
        out: list[tuple[int, int, T]] = []
        lower_ok = self._lower_ok
        max_by_prefix = self._max_by_prefix
        key_starts = self._key_starts
        # a lower-case word that starts no form (the common case) needs no lookup, nor does a
        # word whose first letters start no form at all, nor an ASCII word that starts no key
        starts = [
            i
            for i, head in enumerate(lower_heads)
            if (head is None or head in lower_ok)
            and prefixes[i] in max_by_prefix
            and ((word := ascii_words[i]) is None or word in key_starts)
        ]
        after = 0  # the first token not inside a name found
        for i in starts:
            if i < after:
                continue
            found = self._longest_at(text, tokens, i, pick, possessive, apostrophe, prefixes[i])
            if found is None:
                continue
            n, s, e, entry = found
            out.append((s, e, entry))
            after = i + n
        return out

    def _longest_at(
        self,
        text: str,
        tokens: list[tuple[int, int]],
        i: int,
        pick: Callable[[list[T]], T | None],
        possessive: set[int],
        apostrophe: list[bool],
        prefix: str,
    ) -> tuple[int, int, int, T] | None:
        s = tokens[i][0]
        first = text[s : tokens[i][1]]
        if first.lower() == "the" or i in possessive:
            return None
        if not first[0].isupper() and prefix not in self._lower_ok:
            return None
        most = self._max_by_prefix.get(prefix, 0)
        if most and any(apostrophe[i + 1 : i + most + 1]):
            most += _SLACK  # "Nation’s" is two words of a surface, one of a form
        top = min(most, len(tokens) - i)
        # a surface with a blocked character is no name, nor is any longer one: the first
        # blocked character at or after ``s`` bounds the surfaces worth looking up
        blocked = _BLOCKED.search(text, s, tokens[i + top - 1][1]) if top else None
        limit = blocked.start() if blocked else len(text)
        for n in range(top, 0, -1):
            e = tokens[i + n - 1][1]
            if e > limit:
                continue
            if n > 1 and i + n - 1 in possessive:
                continue
            surface = text[s:e]
            candidates = self._by_key.get(normalise_name(surface))
            if not candidates:
                continue
            fitting = [(f, entry) for f, entry in candidates if _case_ok(surface, f)]
            entries: list[T] = []
            for _, entry in fitting:
                if entry not in entries:
                    entries.append(entry)
            chosen = pick(entries) if entries else None
            if chosen is None:
                continue
            if (
                any(f.endswith(".") for f, entry in fitting if entry == chosen)
                and text[e : e + 1] == "."
            ):
                e += 1
            return n, s, e, chosen
        return None


_Words = tuple[
    list[tuple[int, int]], set[int], list[bool], list[str | None], list[str], list[str | None]
]


def _words(text: str, start: int, end: int) -> _Words:
    """The word spans of ``text[start:end]``, which of them are a possessive "s", which come
    right after an apostrophe, the first letters of each word written in lower-case ASCII (None
    for the others), the first letters of each word's key, and each ASCII word in lower case
    (None for the others: the key of a name that starts with an ASCII word starts with it);
    the same for both matchers: found once a sentence."""
    tokens = [m.span() for m in _TOKEN.finditer(text, start, end)]
    possessive = {j for j, t in enumerate(tokens) if t[1] - t[0] == 1 and _possessive_s(text, t)}
    apostrophe = [text[a - 1] in _APOSTROPHE for a, _ in tokens]
    heads = [text[ts : min(te, ts + _PREFIX)] for ts, te in tokens]
    lower_heads = [h if h.islower() and h.isascii() else None for h in heads]
    words = [text[ts:te] for ts, te in tokens]
    prefixes = [_key_prefix(w) for w in words]
    ascii_words = [w.lower() if w.isascii() else None for w in words]
    return tokens, possessive, apostrophe, lower_heads, prefixes, ascii_words


def _key_prefix(word: str) -> str:
    """The first letters of a word's key: an ASCII word's key is the word in lower case.

    >>> _key_prefix("Kurdistan"), _key_prefix("Ḥezbollah")
    ('kur', 'hez')
    """
    return word[:_PREFIX].lower() if word.isascii() else normalise_name(word)[:_PREFIX]


def _possessive_s(text: str, token: tuple[int, int]) -> bool:
    s, e = token
    return text[s:e] == "s" and s > 0 and text[s - 1] in _APOSTROPHE


@cache
def _actor_matcher() -> _Matcher[ActorEntry]:
    return _Matcher([(f, a) for a in actor_entries() for f in a.forms])


@cache
def _place_matcher() -> _Matcher[PlaceEntry]:
    return _Matcher([(f, p) for p in place_entries() for f in p.forms])


@cache
def _preposition_before() -> re.Pattern[str]:
    preps = alternation(events_data().locative_prepositions)
    compass = r"(?:(?:north|south|east|west|central)(?:ern|east|west|eastern|western)?\s+)"
    return re.compile(rf"(?:^|[\s,(])(?:{preps})\s+(?:the\s+)?{compass}?$", re.IGNORECASE)


def after_preposition(text: str, start: int) -> bool:
    """Whether a locative preposition ("in", "northeast of") comes right before ``start``."""
    return bool(_preposition_before().search(text[max(0, start - 25) : start]))


@cache
def _anaphors() -> list[tuple[re.Pattern[str], frozenset[ActorKind]]]:
    return [(phrase_regex([r.pattern]), frozenset(r.kinds)) for r in statements_data().anaphors]


@cache
def _any_anaphor() -> re.Pattern[str]:
    """Any definite description at all: most sentences have none."""
    return phrase_regex([r.pattern for r in statements_data().anaphors])


def _pick_by_country(country: str | None) -> Callable[[list[T]], T | None]:
    def pick(entries: list[T]) -> T | None:
        if len(entries) == 1:
            return entries[0]
        matching = [e for e in entries if e.country == country]
        return matching[0] if len(matching) == 1 else None

    return pick


def find_mentions(doc: Document) -> Mentions:
    """Actor and place mentions of a document's sentences, in text order."""
    text = doc.text
    raw_places: list[PlaceMention] = []
    words = [_words(text, s.start, s.end) for s in doc.sentences]
    for s, w in zip(doc.sentences, words, strict=True):
        for ps, pe, place in _place_matcher().scan(text, s.start, s.end, _pick_by_country(None), w):
            dateline = doc.dateline is not None and doc.dateline[0] <= ps and pe <= doc.dateline[1]
            quoted = doc.is_masked(ps, pe) and not dateline
            raw_places.append(PlaceMention(ps, pe, text[ps:pe], place, quoted, dateline))
    raw_places = [p for p in raw_places if not _ADJECTIVE_COMPOUND.match(text, p.end)]
    countries = Counter(p.entry.country for p in raw_places if not p.quoted)
    country = countries.most_common(1)[0][0] if countries else None
    raw_actors: list[ActorMention] = []
    for s, w in zip(doc.sentences, words, strict=True):
        for a_s, a_e, actor in _actor_matcher().scan(
            text, s.start, s.end, _pick_by_country(country), w
        ):
            raw_actors.append(ActorMention(a_s, a_e, text[a_s:a_e], actor, doc.is_masked(a_s, a_e)))
    compounds = [(a.start, a.end) for a in raw_actors if _ADJECTIVE_COMPOUND.match(text, a.end)]
    raw_actors = [a for a in raw_actors if not _ADJECTIVE_COMPOUND.match(text, a.end)]
    taken = [(p.start, p.end) for p in raw_places] + [(a.start, a.end) for a in raw_actors]
    taken += compounds
    for ps, pe, place in find_world_places(doc, taken, country):
        dateline = doc.dateline is not None and doc.dateline[0] <= ps and pe <= doc.dateline[1]
        quoted = doc.is_masked(ps, pe) and not dateline
        raw_places.append(PlaceMention(ps, pe, text[ps:pe], place, quoted, dateline, True))
    raw_places.sort(key=lambda p: p.start)
    datelined = [p.entry.country for p in raw_places if p.dateline and p.entry.country]
    if datelined:  # "KABUL, 3 MAR 90 --": the article is framed in Afghanistan, whatever it names
        country = datelined[0]
    elif country is None:
        countries = Counter(p.entry.country for p in raw_places if not p.quoted)
        country = countries.most_common(1)[0][0] if countries else None
    actors, places = _resolve_overlaps(text, raw_actors, raw_places)
    actors = _add_anaphors(doc, actors, places)
    return Mentions(actors, places, country)


def _resolve_overlaps(
    text: str, actors: list[ActorMention], places: list[PlaceMention]
) -> tuple[list[ActorMention], list[PlaceMention]]:
    drop_actors: set[int] = set()
    drop_places: set[int] = set()
    for ai, a in enumerate(actors):
        for pi, p in enumerate(places):
            if a.end <= p.start or p.end <= a.start:
                continue
            if (a.start, a.end) == (p.start, p.end):
                possessive = bool(re.match(r"['’]s?\s", text[p.end : p.end + 3]))
                addressed = bool(_ADDRESSED.search(text[max(0, p.start - 20) : p.start]))
                if p.dateline or (
                    after_preposition(text, p.start) and not possessive and not addressed
                ):
                    drop_actors.add(ai)
                else:
                    drop_places.add(pi)
            elif a.end - a.start >= p.end - p.start:
                drop_places.add(pi)
            else:
                drop_actors.add(ai)
    return (
        [a for i, a in enumerate(actors) if i not in drop_actors],
        [p for i, p in enumerate(places) if i not in drop_places],
    )


def _add_anaphors(
    doc: Document, actors: list[ActorMention], places: list[PlaceMention]
) -> list[ActorMention]:
    taken = [(a.start, a.end) for a in actors] + [(p.start, p.end) for p in places]
    found: list[ActorMention] = []
    for s in doc.sentences:
        if not _any_anaphor().search(doc.text, s.start, s.end):
            continue
        for rx, kinds in _anaphors():
            for m in rx.finditer(doc.text, s.start, s.end):
                if any(not (m.end() <= ts or te <= m.start()) for ts, te in taken):
                    continue
                fitting = [
                    a
                    for a in reversed(actors)
                    if a.end <= m.start() and a.entry.kind in kinds and not a.entry.generic
                ]
                recent = [a for a in fitting if m.start() - a.end < 400]
                antecedent = next((a for a in recent if _subject_like(doc.text, a)), None) or (
                    fitting[0] if fitting else None
                )
                if antecedent is not None:
                    found.append(
                        ActorMention(
                            m.start(),
                            m.end(),
                            m.group(),
                            antecedent.entry,
                            doc.is_masked(m.start(), m.end()),
                            "anaphor",
                        )
                    )
                    taken.append((m.start(), m.end()))
    return sorted([*actors, *found], key=lambda a: a.start)


_VERB_AFTER = re.compile(
    r"^[\s,’'s]*(?:(?:also|then|later|reportedly|had|has|have|was|were|is|are)\s+)*"
    r"(?:said|says|claimed|announced|had|has|have|was|were|is|are|\w+ed)\b",
    re.IGNORECASE,
)


def _subject_like(text: str, mention: ActorMention) -> bool:
    """Whether a verb follows the mention closely (a likely grammatical subject)."""
    return bool(_VERB_AFTER.match(text[mention.end : mention.end + 40]))
