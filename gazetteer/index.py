"""Lookup indexes from normalised name keys to table entries, in three tiers of looseness.

>>> ix = Index()
>>> ix.add("Kata'ib Hezbollah", 0)
'kataib hezbollah'
>>> ix.find("Kataib Hizbollah"), ix.find("Katáib Hezbolla"), ix.find("Hamas")
(set(), {0}, set())
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from gazetteer.files import GazetteerError
from gazetteer.normalise import compact, normalise_name, skeleton


class Index:
    """Three lookup tiers (normalised, compact, skeleton) from key to entry positions."""

    def __init__(self) -> None:
        self.tiers: tuple[dict[str, set[int]], ...] = ({}, {}, {})

    def add(self, form: str, pos: int) -> str:
        key = normalise_name(form)
        for tier, k in zip(self.tiers, (key, compact(key), skeleton(key)), strict=True):
            if k:
                tier.setdefault(k, set()).add(pos)
        return key

    def find(self, name: str) -> set[int]:
        key = normalise_name(name)
        for tier, k in zip(self.tiers, (key, compact(key), skeleton(key)), strict=True):
            found = tier.get(k)
            if found:
                return found
        return set()


def pick(found: set[int], countries: Sequence[str | None], country: str | None) -> int | None:
    if len(found) == 1:
        return next(iter(found))
    if country is not None:
        matching = [i for i in found if countries[i] == country]
        if len(matching) == 1:
            return matching[0]
    return None


def check_shared(source: str, index: dict[str, set[str]], shared: Iterable[str], what: str) -> None:
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


class _Named(Protocol):
    @property
    def canonical(self) -> str: ...

    @property
    def forms(self) -> tuple[str, ...]: ...


_E = TypeVar("_E", bound=_Named)


def build(
    items: Sequence[_E], index: Index, owners: dict[str, set[str]], source: str, what: str
) -> dict[str, _E]:
    by_name: dict[str, _E] = {}
    for pos, entry in enumerate(items):
        if entry.canonical in by_name:
            raise GazetteerError(f"{source}: two {what} entries are named {entry.canonical!r}")
        by_name[entry.canonical] = entry
        for form in entry.forms:
            owners.setdefault(index.add(form, pos), set()).add(entry.canonical)
    return by_name
