"""Compare actor, place and person names the way a reader would: normalised, then through aliases.

Names are folded by the gazetteer's one normaliser (:func:`gazetteer.normalise_name`: case,
typography, diacritics, punctuation, a possessive "'s", a leading "the") and compared without
spaces, so "the Islamic Revolutionary Guards Corps" and "Islamic Revolutionary Guards Corps" are
one name, "KDP-I" is "KDPI" and "Iran's" is "Iran". Known aliases (IRGC / Sepah, Erbil / Irbil)
come from the gazetteer's tables (``same_actor``, ``same_place``, ``place_within``).

>>> name_key("The Democratic Party of Iranian Kurdistan")
'democraticpartyofiraniankurdistan'
>>> names_match("KDP-I", "kdpi", "actor"), names_match("Erbil Governorate", "erbil", "place")
(True, True)
>>> names_match("Ned Price", "Price", "person"), names_match("Price", "Ned Price", "actor")
(True, False)
>>> names_match("the Health Ministry", "the Kurdistan region's Health Ministry", "phrase")
True
>>> names_match("U.S.", "US", "actor"), names_match("Iran's", "Iran", "actor")
(True, True)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from evals.config import load_config
from evals.tokens import tokens
from gazetteer import name_key, normalise_name, same_actor, same_place
from gazetteer import place_within as _gazetteer_place_within

__all__ = [
    "NameKind",
    "any_names_match",
    "name_key",
    "names_match",
    "normalise_name",
    "place_within",
]

NameKind = Literal["actor", "place", "person", "phrase"]
"""actor: exact after normalisation, or aliases; place: also without generic words such as
'governorate' (``scoring.toml``); person: also a surname alone; phrase: also when one name's words
all occur, in order, in the other's."""


def _alias_match(a: str, b: str, kind: NameKind) -> bool:
    same = same_place if kind == "place" else same_actor  # a phrase may be an organisation's name
    return same(a, b)


@lru_cache(maxsize=65536)
def _place_key(name: str) -> str:
    generic = set(load_config().names.place_generic_words)
    words = [w for w in normalise_name(name).split() if w not in generic]
    return "".join(words)


def _ordered_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(word in it for word in short)


def names_match(a: str | None, b: str | None, kind: NameKind) -> bool:
    """Whether two names name the same thing (``None`` matches nothing)."""
    if a is None or b is None:
        return False
    return _names_match(a, b, kind)


@lru_cache(maxsize=65536)
def _names_match(a: str, b: str, kind: NameKind) -> bool:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb or _alias_match(a, b, kind):
        return True
    if kind == "place":
        pa, pb = _place_key(a), _place_key(b)
        return bool(pa) and pa == pb
    if kind == "person":
        ta, tb = tokens(a), tokens(b)
        short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
        return bool(short) and short[-1] == long[-1] and _ordered_subsequence(short, long)
    if kind == "phrase":
        wa, wb = normalise_name(a).split(), normalise_name(b).split()
        short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
        return bool(short) and _ordered_subsequence(short, long)
    return False


@lru_cache(maxsize=65536)
def place_within(inner: str, outer: str) -> bool:
    """Whether the gazetteer places ``inner`` inside ``outer``.

    >>> place_within("Green Zone", "Baghdad"), place_within("Baghdad", "Green Zone")
    (True, False)
    """
    return _gazetteer_place_within(inner, outer)


def any_names_match(golds: list[str], preds: list[str], kind: NameKind) -> bool:
    """Whether any gold form matches any predicted form."""
    return any(names_match(g, p, kind) for g in golds for p in preds)
