"""The gazetteer: lookups over one pair of actor and place tables, and the shipped tables.

>>> g = gazetteer()
>>> g.place("Koysinjaq").canonical, g.actor("Sepah").canonical
('Koya', 'IRGC')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from gazetteer.entries import ActorEntry, ActorKind, PlaceEntry, PlaceKind
from gazetteer.files import (
    ACTORS_FILE,
    DATA_FOLDER,
    PLACES_FILE,
    GazetteerError,
    parse_actors,
    parse_places,
)
from gazetteer.index import Index, build, check_shared, pick
from gazetteer.normalise import normalise_name


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
        self._actor_index = Index()
        self._place_index = Index()
        actor_owners: dict[str, set[str]] = {}
        place_owners: dict[str, set[str]] = {}
        self._actor_by_name = build(self.actors, self._actor_index, actor_owners, source, "actor")
        self._place_by_name = build(self.places, self._place_index, place_owners, source, "place")
        check_shared(f"{source} (actors)", actor_owners, shared_actor_aliases, "actor")
        check_shared(f"{source} (places)", place_owners, shared_place_aliases, "place")
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
        self._actor_countries = tuple(a.country for a in self.actors)
        self._place_countries = tuple(p.country for p in self.places)
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
        pos = pick(found, self._actor_countries, country)
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
        pos = pick(found, self._place_countries, country)
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
    folder = resources.files("gazetteer").joinpath(DATA_FOLDER)
    actors, shared_a = parse_actors(folder.joinpath(ACTORS_FILE).read_text(encoding="utf-8"))
    places, shared_p = parse_places(folder.joinpath(PLACES_FILE).read_text(encoding="utf-8"))
    return Gazetteer(
        actors,
        places,
        shared_actor_aliases=shared_a,
        shared_place_aliases=shared_p,
        source=f"gazetteer/{DATA_FOLDER}/{ACTORS_FILE} / {PLACES_FILE}",
    )
