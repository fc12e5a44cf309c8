"""Places the curated tables do not hold, found through the world gazetteer by their context.

A capitalised name right after a locative preposition ("in Mosul", "near San Miguel
Department", "outskirts of Kabul"), or the dateline's place, is looked up in
:func:`gazetteer.world.world_place`; nothing else is (so "Reading" in "Reading the report" or
"Male" in "a male nurse" never becomes a place). Spans the curated tables or the actor tables
already cover are left to them.

>>> from extraction.baseline.text.sentences import read_document
>>> doc = read_document("Gunmen attacked a checkpoint near Tikrit and a market in Kandahar.")
>>> [(doc.text[s:e], p.country) for s, e, p in find_world_places(doc, [], None)]
[('Tikrit', 'Iraq'), ('Kandahar', 'Afghanistan')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from extraction.baseline.text.lexicon import events_data
from extraction.baseline.text.numbers import alternation
from extraction.baseline.text.prefilter import guarding
from extraction.baseline.text.sentences import Document
from gazetteer import PlaceEntry, PlaceKind
from gazetteer.world import world_place

MAX_NAME_WORDS = 5
_WORD = re.compile(r"\S+")
_BRACKETED = re.compile(r"\s*\(([A-Za-z .]+)\)")


@cache
def _name() -> str:
    """Capitalised words, with lower-case particles between them ("Santa Cruz de la Sierra"):
    ``name_particles`` of ``data/events.json``."""
    particles = alternation(events_data().name_particles)
    word = r"[A-Z][\w'’.-]*"
    return rf"{word}(?:\s+(?:(?:{particles})\s+)?{word}){{0,{MAX_NAME_WORDS - 1}}}"


@cache
@guarding
def _locative_name() -> re.Pattern[str]:
    preps = alternation(events_data().locative_prepositions)
    kinds = rf"(?:the\s+)?(?:{alternation(events_data().place_kinds)})\s+of\s+"
    return re.compile(rf"(?<![\w])(?i:{preps})\s+(?:(?i:the)\s+)?(?i:{kinds})?(?P<name>{_name()})")


def uncased(text: str) -> bool:
    """Whether a text is written in capitals throughout (so capitals say nothing about names)."""
    lower = sum(map(str.islower, text))
    if lower >= 0.05 * len(text):
        return False  # a text has no more letters than characters: no need to count them
    letters = sum(map(str.isalpha, text))
    return letters > 0 and lower < 0.05 * letters


def _prefixes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` of the name's word prefixes, longest first."""
    ends = [m.end() for m in _WORD.finditer(text, start, end)]
    return [(start, e) for e in reversed(ends)]


def find_world_places(
    doc: Document, taken: Sequence[tuple[int, int]], country: str | None
) -> list[tuple[int, int, PlaceEntry]]:
    """``(start, end, PlaceEntry)`` of world places in a locative context, outside ``taken``."""
    text = doc.text
    caps = uncased(text)
    out: list[tuple[int, int, PlaceEntry]] = []
    spans = [(s.start, s.end) for s in doc.sentences]
    if doc.dateline is not None:
        spans.insert(0, doc.dateline)
    if country is None and doc.dateline is not None:
        # "INVENTOTOWN (COLOMBIA), 3 MAR 90 --": the country in brackets frames the article
        bracket = _BRACKETED.match(text, doc.dateline[1])
        named = world_place(bracket.group(1)) if bracket else None
        if named is not None and named.kind is PlaceKind.COUNTRY:
            country = named.country
    for ss, se in spans:
        starts = [m.span("name") for m in _locative_name().finditer(text, ss, se)]
        if doc.dateline is not None and (ss, se) == doc.dateline:
            starts = [doc.dateline]
        for ns, ne in starts:
            for ps, pe in _prefixes(text, ns, ne):
                pe = ps + len(text[ps:pe].rstrip(".,'’"))
                if any(not (pe <= ts or te <= ps) for ts, te in taken):
                    continue
                entry = world_place(text[ps:pe], country=country, uncased=caps)
                if entry is not None:
                    after = _appositives(text, pe, se, taken, caps)
                    if after and after[0][2].country != entry.country:
                        # "San Carlos, Morazan Department": the San Carlos of El Salvador
                        other = world_place(text[ps:pe], country=after[0][2].country, uncased=caps)
                        if other is None or other.country != after[0][2].country:
                            out.extend(a for a in after if a[2].country == after[0][2].country)
                            break  # a town GeoNames does not list: its province locates it
                        entry = other
                    out.append((ps, pe, entry))
                    out.extend(a for a in after if a[2].country == entry.country)
                    if country is None and (ss, se) == doc.dateline:
                        country = entry.country  # "KABUL, 3 MAR 90 --": towns of Afghanistan first
                    break
    return _in_context(text, out, country, doc.dateline, caps)


def _in_context(
    text: str,
    found: list[tuple[int, int, PlaceEntry]],
    country: str | None,
    dateline: tuple[int, int] | None,
    caps: bool,
) -> list[tuple[int, int, PlaceEntry]]:
    """Towns and bare province names kept only in the article's countries: the curated tables'
    country, the dateline's, and the countries named in a locative context. A town of the same
    name in one of them is preferred ("San Pedro" in a Honduran article); a town found in no such
    country is dropped ("Liberal", "George" and "Martin" in a Colombian dispatch are people, not
    towns of the United States, South Africa or Slovakia). With no such country, all are kept."""
    context = {country} if country else set()
    for s, e, p in found:
        dated = dateline is not None and dateline[0] <= s and e <= dateline[1]
        if dated or p.kind is PlaceKind.COUNTRY:
            context.add(p.country)
    if not context:
        return found
    out: list[tuple[int, int, PlaceEntry]] = []
    for s, e, p in found:
        if p.country in context or p.kind is PlaceKind.COUNTRY:
            out.append((s, e, p))
            continue
        for c in sorted(context):
            other = world_place(text[s:e], country=c, uncased=caps)
            if other is not None and other.country in context:
                out.append((s, e, other))
                break
    return out


@cache
def _appositive() -> re.Pattern[str]:
    return re.compile(rf",\s+(?P<name>{_name()})")


def _appositives(
    text: str, at: int, end: int, taken: Sequence[tuple[int, int]], caps: bool
) -> list[tuple[int, int, PlaceEntry]]:
    """Places named in apposition after a place ("in San Carlos, Morazan Department"), up to
    two."""
    out: list[tuple[int, int, PlaceEntry]] = []
    for _ in range(2):
        m = _appositive().match(text, at, end)
        if m is None:
            break
        found = None
        for ps, pe in _prefixes(text, *m.span("name")):
            pe = ps + len(text[ps:pe].rstrip(".,'’"))
            entry = world_place(text[ps:pe], uncased=caps)
            if entry is not None:
                if not any(not (pe <= ts or te <= ps) for ts, te in taken):
                    found = (ps, pe, entry)
                break
        if found is None:
            break
        out.append(found)
        at = found[1]
    return out
