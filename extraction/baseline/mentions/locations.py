"""Where an attack happened: the most specific consistent place among a clause's locative mentions.

A place counts as a location after a locative preposition ("in", "near", "northeast of") or in a
dateline. Of several consistent places the most specific wins ("the Koysanjak district in Irbil"
is Koya); a governorate capital named after a place in the same governorate only qualifies it
(there "Irbil" means the governorate). Only the levels the article names are filled (as the
labelling guidelines ask), the country always. Precision follows ACLED: a town or site is 1,
"near" it or a district is 2, a governorate, region or country is 3.

>>> from extraction.baseline.text.sentences import read_document
>>> from extraction.baseline.mentions.mentions import find_mentions
>>> doc = read_document("The strikes hit the KDPI in the Koysanjak district in Irbil.")
>>> refs = locative_places(doc.text, find_mentions(doc).places)
>>> loc = to_location(doc.text, choose(refs), refs)
>>> (loc.place, loc.admin2, loc.admin1, loc.country, loc.precision.value, loc.evidence.quote)
(None, 'Koya', 'Erbil', 'Iraq', '2', 'Koysanjak district in Irbil')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from extraction.baseline.mentions.mentions import PlaceMention, after_preposition
from extraction.baseline.text.lexicon import events_data
from extraction.baseline.text.spans import evidence
from gazetteer import PlaceEntry, PlaceKind, gazetteer
from gazetteer.world import coordinates, country_code
from schemas.event import Location
from schemas.vocab import GeoPrecision


@dataclass(frozen=True, slots=True)
class PlaceRef:
    mention: PlaceMention
    near: bool
    headline: bool = False  # named in the headline (the body usually says more)

    @property
    def entry(self) -> PlaceEntry:
        return self.mention.entry


_FAR = re.compile(
    r"\b(?:[5-9]\d|\d{3,})\s*(?:kilometres?|kilometers?|km|miles?)\s+"
    r"(?:(?:north|south|east|west)\w*\s+)?(?:of|from)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
"""A distance of 50 or more: the place named after it is a landmark, not where it happened."""


@cache
def _near_before() -> re.Pattern[str]:
    cues = "|".join(c.replace(" ", r"\s+") for c in events_data().near_cues)
    return re.compile(rf"(?:{cues})\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}$", re.IGNORECASE)


def locative_places(
    text: str, places: Sequence[PlaceMention], *, exclude: Sequence[tuple[int, int]] = ()
) -> list[PlaceRef]:
    """The place mentions that locate something: not "Kurdistan and Baghdad officials", not a
    possessive ("Iran’s semiofficial Tasnim"), not inside ``exclude`` spans (sources)."""
    out: list[PlaceRef] = []
    for p in places:
        if p.quoted or any(s <= p.start and p.end <= e for s, e in exclude):
            continue
        if re.match(r"['’]s?\b|-[^\W\d]", text[p.end : p.end + 2]):
            continue  # a possessive, or an adjective compound ("US-led", "Iran-backed")
        appositive = bool(out) and bool(
            re.fullmatch(r",\s*", text[out[-1].mention.end : p.start])
        )  # "in San Carlos, Morazan Department"
        if p.dateline or p.locative or appositive or after_preposition(text, p.start):
            before = text[max(0, p.start - 45) : p.start]
            if _FAR.search(before):
                continue  # "500 km north of Kabul": a landmark far from the place
            near = bool(_near_before().search(before))
            out.append(PlaceRef(p, near))
    return out


def contains(outer: PlaceEntry, inner: PlaceEntry) -> bool:
    return gazetteer().contains(outer, inner)


def compatible(a: PlaceEntry, b: PlaceEntry) -> bool:
    """One place lies within the other, or both lie in the same governorate."""
    if contains(a, b) or contains(b, a):
        return True
    return a.admin1 is not None and a.admin1 == b.admin1 and a.country == b.country


def _capital_qualifier(ref: PlaceRef, others: Sequence[PlaceRef]) -> bool:
    e = ref.entry
    if e.kind is not PlaceKind.CITY or e.admin1 != e.canonical:
        return False
    return any(
        o.entry != e
        and o.entry.admin1 == e.admin1
        and not contains(e, o.entry)
        and o.entry.kind.rank >= PlaceKind.DISTRICT.rank
        for o in others
    )


def choose(refs: Sequence[PlaceRef], after: int | None = None) -> PlaceRef | None:
    """The most specific place consistent with the others; when they disagree (two countries),
    the first one after offset ``after`` (the attack word), else the first."""
    if not refs:
        return None
    pool = list(refs)
    if after is not None:
        later = [r for r in pool if r.mention.start >= after]
        first = later[0] if later else pool[0]
    else:
        first = pool[0]
    consistent = [r for r in pool if compatible(r.entry, first.entry)]
    consistent = [r for r in consistent if not _capital_qualifier(r, consistent)] or consistent
    return max(consistent, key=lambda r: (r.entry.kind.rank, not r.headline, -r.mention.start))


def precision(ref: PlaceRef) -> GeoPrecision:
    kind = ref.entry.kind
    if kind.rank <= PlaceKind.PROVINCE.rank:
        return GeoPrecision.REGION
    if kind is PlaceKind.DISTRICT or ref.near:
        return GeoPrecision.NEAR
    return GeoPrecision.PLACE


def to_location(text: str, ref: PlaceRef | None, named: Sequence[PlaceRef] = ()) -> Location:
    """The schema :class:`Location` of a place reference. Only the levels the article names are
    filled (the place itself and ``named`` mentions that hold it: "the Koysanjak district in
    Irbil" gives admin2 and admin1; "the village of Zarkwezela" alone gives no admin1); the
    country always. Regions that are no administrative unit ("the Kurdistan Region") fill no
    field but the country."""
    if ref is None:
        return Location()
    e = ref.entry
    holders = [n for n in named if n.entry != e and contains(n.entry, e)]
    if e.admin1 is None and e.kind.rank > PlaceKind.PROVINCE.rank:
        holders += _appositive_admin1(text, ref, named)
    levels = [e, *[n.entry for n in holders]]
    place = e.canonical if e.kind.rank >= PlaceKind.CITY.rank else None
    admin2 = next((x.admin2 for x in levels if x.kind is PlaceKind.DISTRICT), None)
    admin1 = next(
        (
            x.admin1
            for x in levels
            if x.kind in (PlaceKind.GOVERNORATE, PlaceKind.PROVINCE)
            or (x.kind is PlaceKind.CITY and x.canonical == x.admin1)
        ),
        None,
    )
    if admin1 is None and any(
        n.entry.kind is PlaceKind.CITY and n.entry.canonical == e.admin1 for n in named
    ):
        admin1 = e.admin1  # "in Irbil" after a place of Erbil governorate names the governorate
    start, end = ref.mention.start, ref.mention.end
    qualifiers = [h for h in holders if h.entry.kind.rank >= PlaceKind.GOVERNORATE.rank] + [
        n for n in named if n.entry.kind is PlaceKind.CITY and n.entry.canonical == e.admin1
    ]
    for n in sorted(qualifiers, key=lambda n: n.mention.start):
        if 0 <= n.mention.start - end <= 20:
            end = max(end, n.mention.end)
    cue = _near_before().search(text[max(0, start - 45) : start]) if ref.near else None
    if cue is not None:
        start = start - (len(text[max(0, start - 45) : start]) - cue.start())
    geo = e if e.latitude is not None else coordinates(e)
    return Location(
        place=place,
        admin2=admin2,
        admin1=admin1,
        country=e.country,
        precision=precision(ref),
        evidence=evidence(text, start, end),
        country_code=e.country_code or country_code(e.country),
        latitude=geo.latitude if geo else None,
        longitude=geo.longitude if geo else None,
        geonames_id=geo.geonames_id if geo else None,
    )


def _appositive_admin1(text: str, ref: PlaceRef, named: Sequence[PlaceRef]) -> list[PlaceRef]:
    """A province named just after a town the tables give no province for ("San Carlos,
    Morazan Department"): it holds the town."""
    e = ref.entry
    return [
        n
        for n in named
        if n.entry.kind in (PlaceKind.GOVERNORATE, PlaceKind.PROVINCE)
        and n.entry.country == e.country
        and 0 <= n.mention.start - ref.mention.end <= 40
        and re.fullmatch(r"[\s,]*(?:[\w' -]+,\s*)?", text[ref.mention.end : n.mention.start])
    ]
