"""Curated alias tables (the gazetteer): canonical names for actors and places, and their aliases.

The tables are data files shipped with the package (``schemas/gazetteer/actors.json`` and
``places.json``, described in ``schemas/gazetteer/README.md``). Names are compared after
:func:`normalise_name` folds case, diacritics, curly quotes, apostrophes, hyphens and a leading
"the"; a name that still does not match is tried without spaces, then with doubled letters and a
final "h" dropped, as long as that stays unambiguous.

>>> canonical_actor("Kataib Hizbollah").canonical
"Kata'ib Hezbollah"
>>> same_actor("the Revolutionary Guards", "Sepah"), same_actor("KDP", "KDP-I")
(True, False)
>>> p = canonical_place("Koysinjaq")
>>> (p.canonical, p.kind.value, p.admin1, p.country)
('Koya', 'district', 'Erbil', 'Iraq')
>>> place_within("Zrgwez", "Kurdistan Region"), place_within("Sanandaj", "Kurdistan Region")
(True, False)
>>> canonical_actor("National Security Council") is None  # Iraq's or the US's: ambiguous
True
>>> canonical_actor("National Security Council", country="Iraq").canonical
'Iraqi National Security Council'
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.validation import first_error
from schemas.vocab import ActorCategory

GAZETTEER_FOLDER = "gazetteer"
ACTORS_FILE = "actors.json"
PLACES_FILE = "places.json"
ACTORS_FORMAT = "sitrep-gazetteer-actors/1"
PLACES_FORMAT = "sitrep-gazetteer-places/1"


class GazetteerError(ValueError):
    """An alias table that cannot be loaded; the message names the file and the entry."""


class ActorKind(StrEnum):
    STATE = "state"  # a state as a whole ("Iran", "the Iraqi government")
    GOVERNMENT_BODY = "government_body"  # ministries, offices, councils
    ARMED_FORCES = "armed_forces"  # a state's military, police, intelligence
    ARMED_GROUP = "armed_group"  # militias, rebels, jihadist groups
    PARTY = "party"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    DIPLOMATIC_MISSION = "diplomatic_mission"
    MEDIA = "media"
    NGO = "ngo"
    THINK_TANK = "think_tank"
    PEOPLE = "people"  # generic groups of people: protesters, civilians


class PlaceKind(StrEnum):
    COUNTRY = "country"
    REGION = "region"
    GOVERNORATE = "governorate"  # Iraq's admin1
    PROVINCE = "province"  # Iran's admin1
    DISTRICT = "district"  # admin2 (the entry also stands for its main town of the same name)
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    SITE = "site"  # a base, airport, camp, square, zone

    @property
    def rank(self) -> int:
        """Coarse (0) to fine (5): how precisely a place of this kind locates an event."""
        return _RANK[self]


_RANK = {
    PlaceKind.COUNTRY: 0,
    PlaceKind.REGION: 1,
    PlaceKind.GOVERNORATE: 2,
    PlaceKind.PROVINCE: 2,
    PlaceKind.DISTRICT: 3,
    PlaceKind.CITY: 4,
    PlaceKind.TOWN: 4,
    PlaceKind.VILLAGE: 4,
    PlaceKind.SITE: 5,
}

DEFAULT_KIND_WORDS: dict[PlaceKind, list[str]] = {
    PlaceKind.GOVERNORATE: ["governorate", "province"],
    PlaceKind.PROVINCE: ["province"],
    PlaceKind.DISTRICT: ["district"],
    PlaceKind.CITY: ["city"],
    PlaceKind.TOWN: ["town"],
    PlaceKind.VILLAGE: ["village"],
}
"""Kind words used to derive "Koya district" from "Koya" when a places file gives none."""

_FROZEN = ConfigDict(extra="forbid", frozen=True)


class ActorEntry(BaseModel):
    """One actor: canonical name, ACLED category and every surface form it goes by."""

    model_config = _FROZEN

    canonical: str = Field(min_length=1)
    full_name: str | None = None
    kind: ActorKind
    category: ActorCategory
    country: str | None = None
    parent: str | None = Field(
        default=None, description="Canonical name of the body it is part of."
    )
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = Field(
        default=(),
        description="Adjectives naming this actor before an attack word ('Israeli "
        "airstrike'); states carry them.",
    )
    generic: bool = Field(default=False, description="A kind of actor, not one organisation.")
    note: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        """Canonical name, full name and aliases, without duplicates."""
        return _dedupe(
            [self.canonical, *([self.full_name] if self.full_name else []), *self.aliases]
        )


class PlaceEntry(BaseModel):
    """One place with its administrative parents: ``admin1`` (governorate/province), ``admin2``
    (district) and ``country``; ``forms`` holds every surface form, derived ones included."""

    model_config = _FROZEN

    canonical: str = Field(min_length=1)
    kind: PlaceKind
    admin1: str | None = None
    admin2: str | None = None
    country: str
    within: str | None = Field(default=None, description="Canonical name of the place holding it.")
    contains_admin1: tuple[str, ...] = Field(default=(), description="For regions: their admin1s.")
    capital_of: str | None = None
    note: str | None = None
    forms: tuple[str, ...] = ()


class _GazetteerFile(BaseModel):
    """What both gazetteer files have at the top level."""

    model_config = ConfigDict(extra="forbid")

    format: str
    shared_aliases: list[str] = Field(default_factory=list)
    entries: list[dict[str, Any]]


_FileT = TypeVar("_FileT", bound=_GazetteerFile)


class _ActorFile(_GazetteerFile):
    pass


class _PlaceRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    canonical: str = Field(min_length=1)
    kind: PlaceKind
    names: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    bare: bool = True
    admin1: str | None = None
    admin2: str | None = None
    country: str
    within: str | None = None
    contains_admin1: list[str] = Field(default_factory=list)
    capital_of: str | None = None
    note: str | None = None


class _PlaceFile(_GazetteerFile):
    kind_words: dict[PlaceKind, list[str]] = Field(default_factory=lambda: dict(DEFAULT_KIND_WORDS))


# ---------------------------------------------------------------------------------------------
# normalisation

_TYPO = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u02bc": "'",
        "\u02bf": "'",
        "\u02be": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u0131": "i",  # dotless i (Turkish, Kurdish)
    }
)
_POSSESSIVE_END = re.compile(r"'s?$")
_NON_WORD = re.compile(r"[^\w\s]")
_REPEATS = re.compile(r"(\w)\1+")


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """Fold a name to the key it is looked up by (memoised: the baseline asks for the same
    few thousand strings again and again).

    >>> normalise_name("  The Kata’ib Ḥezbollah ")
    'kataib hezbollah'
    >>> normalise_name("KDP-I"), normalise_name("U.S."), normalise_name("Iran’s")
    ('kdp i', 'us', 'iran')
    >>> normalise_name("Foreign, Commonwealth & Development Office")
    'foreign commonwealth and development office'
    """
    s = unicodedata.normalize("NFKD", name.translate(_TYPO))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().strip()
    s = _POSSESSIVE_END.sub("", s)
    s = s.replace("'", "").replace(".", "").replace("&", " and ")
    s = _NON_WORD.sub(" ", s).replace("_", " ")
    words = s.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _compact(key: str) -> str:
    return key.replace(" ", "")


def _skeleton(key: str) -> str:
    s = _REPEATS.sub(r"\1", _compact(key))
    return s[:-1] if len(s) > 3 and s.endswith("h") else s


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# the tables


class _Index:
    """Three lookup tiers (normalised, compact, skeleton) from key to entry positions."""

    def __init__(self) -> None:
        self.tiers: tuple[dict[str, set[int]], ...] = ({}, {}, {})

    def add(self, form: str, pos: int) -> str:
        key = normalise_name(form)
        for tier, k in zip(self.tiers, (key, _compact(key), _skeleton(key)), strict=True):
            if k:
                tier.setdefault(k, set()).add(pos)
        return key

    def find(self, name: str) -> set[int]:
        key = normalise_name(name)
        for tier, k in zip(self.tiers, (key, _compact(key), _skeleton(key)), strict=True):
            found = tier.get(k)
            if found:
                return found
        return set()


def _pick(found: set[int], countries: Sequence[str | None], country: str | None) -> int | None:
    if len(found) == 1:
        return next(iter(found))
    if country is not None:
        matching = [i for i in found if countries[i] == country]
        if len(matching) == 1:
            return matching[0]
    return None


def _check_shared(
    source: str, index: dict[str, set[str]], shared: Iterable[str], what: str
) -> None:
    shared_keys = {normalise_name(s) for s in shared}
    for key, owners in sorted(index.items()):
        if len(owners) > 1 and key not in shared_keys:
            raise GazetteerError(
                f"{source}: the {what} alias {key!r} is given for {sorted(owners)}; list it under "
                "'shared_aliases' if it really names more than one entry"
            )
    for key in sorted(shared_keys):
        if len(index.get(key, set())) < 2:
            raise GazetteerError(
                f"{source}: 'shared_aliases' lists {key!r}, which is not the alias of two entries"
            )


def _row_error(source: str, i: int, row: object, exc: ValidationError) -> GazetteerError:
    name = row.get("canonical") if isinstance(row, dict) else None
    loc, msg = first_error(exc)
    return GazetteerError(f"{source}: entries[{i}] ({name!r}): field '{loc or 'entry'}': {msg}")


def _load_json(text: str, source: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{source}:{exc.lineno}: not valid JSON ({exc.msg})") from None


def _validate_file(raw: object, model: type[_FileT], expected: str, source: str) -> _FileT:
    """A gazetteer file's top level, checked against its model and format tag."""
    try:
        doc = model.model_validate(raw)
    except ValidationError as exc:
        loc, msg = first_error(exc)
        raise GazetteerError(f"{source}: field '{loc}': {msg}") from None
    if doc.format != expected:
        raise GazetteerError(f"{source}: field 'format' is {doc.format!r}, expected {expected!r}")
    return doc


def parse_actors(
    text: str, source: str = f"schemas/{GAZETTEER_FOLDER}/{ACTORS_FILE}"
) -> tuple[list[ActorEntry], list[str]]:
    """Actor entries and shared aliases from the text of an actors file."""
    doc = _validate_file(_load_json(text, source), _ActorFile, ACTORS_FORMAT, source)
    entries: list[ActorEntry] = []
    for i, row in enumerate(doc.entries):
        try:
            entries.append(ActorEntry.model_validate(row))
        except ValidationError as exc:
            raise _row_error(source, i, row, exc) from None
    return entries, doc.shared_aliases


def _derived_forms(row: _PlaceRow, kind_words: dict[PlaceKind, list[str]]) -> tuple[str, ...]:
    forms = [row.canonical]
    words = kind_words.get(row.kind, [])
    for name in row.names:
        if row.bare and row.kind not in (PlaceKind.GOVERNORATE, PlaceKind.PROVINCE):
            forms.append(name)
        for w in words:
            forms += [f"{name} {w}", f"{w} of {name}"]
    forms += row.aliases
    return _dedupe(forms)


def parse_places(
    text: str, source: str = f"schemas/{GAZETTEER_FOLDER}/{PLACES_FILE}"
) -> tuple[list[PlaceEntry], list[str]]:
    """Place entries (with their derived forms) and shared aliases from a places file."""
    doc = _validate_file(_load_json(text, source), _PlaceFile, PLACES_FORMAT, source)
    entries: list[PlaceEntry] = []
    for i, data in enumerate(doc.entries):
        try:
            row = _PlaceRow.model_validate(data)
        except ValidationError as exc:
            raise _row_error(source, i, data, exc) from None
        fields = row.model_dump(exclude={"names", "aliases", "bare"})
        fields["contains_admin1"] = tuple(row.contains_admin1)
        entries.append(PlaceEntry(**fields, forms=_derived_forms(row, doc.kind_words)))
    return entries, doc.shared_aliases


class _Named(Protocol):
    @property
    def canonical(self) -> str: ...

    @property
    def forms(self) -> tuple[str, ...]: ...


_E = TypeVar("_E", bound=_Named)


def _build(
    items: Sequence[_E], index: _Index, owners: dict[str, set[str]], source: str, what: str
) -> dict[str, _E]:
    by_name: dict[str, _E] = {}
    for pos, entry in enumerate(items):
        if entry.canonical in by_name:
            raise GazetteerError(f"{source}: two {what} entries are named {entry.canonical!r}")
        by_name[entry.canonical] = entry
        for form in entry.forms:
            owners.setdefault(index.add(form, pos), set()).add(entry.canonical)
    return by_name


class Gazetteer:
    """Lookups over one pair of actor and place tables (the shipped ones: :func:`gazetteer`)."""

    def __init__(
        self,
        actors: Sequence[ActorEntry],
        places: Sequence[PlaceEntry],
        *,
        shared_actor_aliases: Iterable[str] = (),
        shared_place_aliases: Iterable[str] = (),
        source: str = "gazetteer",
    ) -> None:
        self.actors: tuple[ActorEntry, ...] = tuple(actors)
        self.places: tuple[PlaceEntry, ...] = tuple(places)
        self._actor_index = _Index()
        self._place_index = _Index()
        actor_owners: dict[str, set[str]] = {}
        place_owners: dict[str, set[str]] = {}
        self._actor_by_name = _build(self.actors, self._actor_index, actor_owners, source, "actor")
        self._place_by_name = _build(self.places, self._place_index, place_owners, source, "place")
        _check_shared(f"{source} (actors)", actor_owners, shared_actor_aliases, "actor")
        _check_shared(f"{source} (places)", place_owners, shared_place_aliases, "place")
        for a in self.actors:
            if a.parent is not None and a.parent not in self._actor_by_name:
                raise GazetteerError(
                    f"{source}: actor {a.canonical!r} has unknown parent {a.parent!r}"
                )
        for p in self.places:
            if p.within is not None and p.within not in self._place_by_name:
                raise GazetteerError(
                    f"{source}: place {p.canonical!r} is within unknown {p.within!r}"
                )
        self._demonyms = {normalise_name(d): a for a in self.actors for d in a.demonyms}

    @classmethod
    def from_files(cls, actors: str | Path, places: str | Path) -> Gazetteer:
        """Tables from two JSON files (same format as the shipped ones)."""
        texts = []
        for p in (Path(actors), Path(places)):
            try:
                texts.append(p.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise GazetteerError(f"{p}: cannot be read ({exc})") from None
        a, shared_a = parse_actors(texts[0], str(actors))
        p_, shared_p = parse_places(texts[1], str(places))
        return cls(
            a,
            p_,
            shared_actor_aliases=shared_a,
            shared_place_aliases=shared_p,
            source=f"{actors} / {places}",
        )

    # --- actors ---------------------------------------------------------------------------

    def actor(self, name: str, *, country: str | None = None) -> ActorEntry | None:
        found = self._actor_index.find(name)
        pos = _pick(found, [a.country for a in self.actors], country)
        return None if pos is None else self.actors[pos]

    def actor_named(self, canonical: str) -> ActorEntry | None:
        return self._actor_by_name.get(canonical)

    def actor_lineage(self, name: str, *, country: str | None = None) -> list[ActorEntry]:
        entry = self.actor(name, country=country)
        out: list[ActorEntry] = []
        while entry is not None and entry not in out:
            out.append(entry)
            entry = self._actor_by_name.get(entry.parent) if entry.parent else None
        return out

    def state_actor(self, country: str) -> ActorEntry | None:
        for a in self.actors:
            if a.kind is ActorKind.STATE and a.country == country:
                return a
        return None

    def actor_for_demonym(self, word: str) -> ActorEntry | None:
        return self._demonyms.get(normalise_name(word))

    # --- places ---------------------------------------------------------------------------

    def place(self, name: str, *, country: str | None = None) -> PlaceEntry | None:
        found = self._place_index.find(name)
        pos = _pick(found, [p.country for p in self.places], country)
        return None if pos is None else self.places[pos]

    def place_named(self, canonical: str) -> PlaceEntry | None:
        return self._place_by_name.get(canonical)

    def contains(self, outer: PlaceEntry, inner: PlaceEntry) -> bool:
        """Whether ``inner`` lies within ``outer`` (a place lies within itself)."""
        if outer == inner:
            return True
        if inner.country != outer.country or (
            inner.kind.rank <= outer.kind.rank
            and not (outer.kind is PlaceKind.REGION and inner.kind is PlaceKind.REGION)
        ):
            return False
        if outer.kind is PlaceKind.COUNTRY:
            return True
        if outer.kind is PlaceKind.REGION:
            if not outer.contains_admin1:
                return False
            if inner.kind is PlaceKind.REGION:
                return bool(inner.contains_admin1) and set(inner.contains_admin1) <= set(
                    outer.contains_admin1
                )
            return inner.admin1 in outer.contains_admin1
        if outer.kind in (PlaceKind.GOVERNORATE, PlaceKind.PROVINCE):
            return inner.admin1 == outer.admin1
        if outer.kind is PlaceKind.DISTRICT and (inner.admin1, inner.admin2) == (
            outer.admin1,
            outer.admin2,
        ):
            return True
        step = inner
        seen: set[str] = set()
        while step.within is not None and step.within not in seen:
            seen.add(step.within)
            parent = self._place_by_name[step.within]
            if parent == outer:
                return True
            step = parent
        return False


@cache
def gazetteer() -> Gazetteer:
    """The shipped tables, loaded once through importlib.resources."""
    folder = resources.files("schemas").joinpath(GAZETTEER_FOLDER)
    actors, shared_a = parse_actors(folder.joinpath(ACTORS_FILE).read_text(encoding="utf-8"))
    places, shared_p = parse_places(folder.joinpath(PLACES_FILE).read_text(encoding="utf-8"))
    return Gazetteer(
        actors,
        places,
        shared_actor_aliases=shared_a,
        shared_place_aliases=shared_p,
        source=f"schemas/{GAZETTEER_FOLDER}/{ACTORS_FILE} / {PLACES_FILE}",
    )


# ---------------------------------------------------------------------------------------------
# the public functions, over the shipped tables


def canonical_actor(name: str, *, country: str | None = None) -> ActorEntry | None:
    """The actor ``name`` refers to, or ``None`` (unknown, or ambiguous without ``country``).

    >>> canonical_actor("Komalah Party of Iranian Kurdistan").canonical
    'Komala'
    >>> canonical_actor("Mujahedin-e Khalq").category.value
    'political_party'
    """
    return gazetteer().actor(name, country=country)


def canonical_place(name: str, *, country: str | None = None) -> PlaceEntry | None:
    """The place ``name`` refers to, or ``None``.

    >>> canonical_place("Slemani").canonical, canonical_place("Sulaimani province").canonical
    ('Sulaymaniyah', 'Sulaymaniyah Governorate')
    """
    return gazetteer().place(name, country=country)


def actor_aliases(canonical: str) -> set[str]:
    """Every surface form of the actor named (by canonical name or any alias); empty if unknown.

    >>> sorted(actor_aliases("PAK"))[:3]
    ['Freedom Party of Kurdistan', 'Kurdish Freedom Party', 'Kurdistan Freedom Party']
    """
    entry = gazetteer().actor_named(canonical) or canonical_actor(canonical)
    return set(entry.forms) if entry else set()


def place_aliases(canonical: str) -> set[str]:
    """Every surface form of the place named (derived ones like 'Erbil province' included)."""
    entry = gazetteer().place_named(canonical) or canonical_place(canonical)
    return set(entry.forms) if entry else set()


def same_actor(a: str, b: str, *, country: str | None = None) -> bool:
    """Whether two names name the same actor: the same entry, or (both unknown) the same key.

    >>> same_actor("Asaib al-Haq", "Asa'ib Ahl al-Haq"), same_actor("IRGC", "Quds Force")
    (True, False)
    """
    ea, eb = canonical_actor(a, country=country), canonical_actor(b, country=country)
    if ea is not None or eb is not None:
        return ea is not None and ea == eb
    ka, kb = _compact(normalise_name(a)), _compact(normalise_name(b))
    return bool(ka) and ka == kb


def same_place(a: str, b: str, *, country: str | None = None) -> bool:
    """Whether two names name the same place entry (a city and its governorate are two places;
    see :func:`place_within` for the hierarchy).

    >>> same_place("Irbil", "Hewler"), same_place("Erbil", "Erbil Governorate")
    (True, False)
    """
    ea, eb = canonical_place(a, country=country), canonical_place(b, country=country)
    if ea is not None or eb is not None:
        return ea is not None and ea == eb
    ka, kb = _compact(normalise_name(a)), _compact(normalise_name(b))
    return bool(ka) and ka == kb


def actor_lineage(name: str, *, country: str | None = None) -> list[ActorEntry]:
    """The actor and the bodies it is part of, innermost first.

    >>> [e.canonical for e in actor_lineage("Qods Force")]
    ['IRGC Quds Force', 'IRGC', 'Iran']
    """
    return gazetteer().actor_lineage(name, country=country)


def actor_part_of(part: str, whole: str) -> bool:
    """Whether actor ``part`` is ``whole`` or one of its sub-units.

    >>> actor_part_of("Quds Force", "Revolutionary Guards"), actor_part_of("IRGC", "Quds Force")
    (True, False)
    """
    target = canonical_actor(whole)
    return target is not None and target in actor_lineage(part)


def place_within(inner: str, outer: str) -> bool:
    """Whether place ``inner`` lies within place ``outer`` (both looked up by name).

    >>> place_within("Green Zone", "Baghdad"), place_within("Koysanjak", "Erbil province")
    (True, True)
    """
    g = gazetteer()
    ei, eo = g.place(inner), g.place(outer)
    return ei is not None and eo is not None and g.contains(eo, ei)


def state_actor(country: str) -> ActorEntry | None:
    """The entry for a state as a whole: ``state_actor("Iraq").canonical == 'Iraq'``."""
    return gazetteer().state_actor(country)


def actor_for_demonym(word: str) -> ActorEntry | None:
    """The state an adjective names before an attack word ("an Israeli airstrike" is Israel's,
    as the labelling guidelines code an attacker named by no unit).

    >>> actor_for_demonym("Israeli").canonical, actor_for_demonym("Turkish").canonical
    ('Israel', 'Turkey')
    """
    return gazetteer().actor_for_demonym(word)


def actor_entries() -> tuple[ActorEntry, ...]:
    return gazetteer().actors


def place_entries() -> tuple[PlaceEntry, ...]:
    return gazetteer().places
