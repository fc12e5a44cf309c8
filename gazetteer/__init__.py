"""The gazetteer: canonical names for actors and places, their aliases, and the name normaliser.

Curated tables ship as data (``gazetteer/data/actors.json`` and ``places.json``, described in
``gazetteer/data/README.md``). Names are compared after :func:`normalise_name` (the one normaliser
in sitrep); a name that still does not match is tried without spaces, then with doubled letters
and a final "h" dropped, as long as that stays unambiguous.

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

from gazetteer.entries import ActorEntry, ActorKind, PlaceEntry, PlaceKind
from gazetteer.files import GazetteerError, parse_actors, parse_places
from gazetteer.lookups import (
    actor_aliases,
    actor_entries,
    actor_for_demonym,
    actor_lineage,
    actor_part_of,
    canonical_actor,
    canonical_place,
    place_aliases,
    place_entries,
    place_within,
    same_actor,
    same_place,
    state_actor,
)
from gazetteer.normalise import name_key, normalise_name
from gazetteer.tables import Gazetteer, gazetteer

__all__ = [
    "ActorEntry",
    "ActorKind",
    "Gazetteer",
    "GazetteerError",
    "PlaceEntry",
    "PlaceKind",
    "actor_aliases",
    "actor_entries",
    "actor_for_demonym",
    "actor_lineage",
    "actor_part_of",
    "canonical_actor",
    "canonical_place",
    "gazetteer",
    "name_key",
    "normalise_name",
    "parse_actors",
    "parse_places",
    "place_aliases",
    "place_entries",
    "place_within",
    "same_actor",
    "same_place",
    "state_actor",
]
