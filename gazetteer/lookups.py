"""Name lookups over the shipped tables: the functions the baseline, the model path and the
scorer call.

>>> canonical_actor("Kataib Hizbollah").canonical
"Kata'ib Hezbollah"
"""

from __future__ import annotations

from gazetteer.entries import ActorEntry, PlaceEntry
from gazetteer.normalise import name_key
from gazetteer.tables import gazetteer


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
    ka, kb = name_key(a), name_key(b)
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
    ka, kb = name_key(a), name_key(b)
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
