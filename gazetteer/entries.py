"""What the gazetteer holds: actor and place entries and their kinds.

>>> PlaceKind.DISTRICT.rank > PlaceKind.GOVERNORATE.rank
True
>>> dedupe(["Koya", "Koya district", "Koya"])
('Koya', 'Koya district')
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from schemas.vocab import ActorCategory


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


class _Entry(BaseModel):
    """A table entry, equal to another of its class when both name the same thing: canonical
    name, kind, country (unique in a table; much cheaper than comparing every field)."""

    model_config = _FROZEN

    def _key(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Entry)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class ActorEntry(_Entry):
    """One actor: canonical name, ACLED category and every surface form it goes by."""

    model_config = _FROZEN

    def _key(self) -> tuple[object, ...]:
        return (self.canonical, self.kind, self.country)

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
        return dedupe(
            [self.canonical, *([self.full_name] if self.full_name else []), *self.aliases]
        )


class PlaceEntry(_Entry):
    """One place with its administrative parents: ``admin1`` (governorate/province), ``admin2``
    (district) and ``country``; ``forms`` holds every surface form, derived ones included."""

    model_config = _FROZEN

    def _key(self) -> tuple[object, ...]:
        return (self.canonical, self.kind, self.country)

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
    country_code: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    population: int | None = None


def dedupe(items: Iterable[str]) -> tuple[str, ...]:
    """The items in first-seen order, each once."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return tuple(out)
