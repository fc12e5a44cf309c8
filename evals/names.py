"""Compare actor, place and person names the way a reader would: normalised, then through aliases.

Normalisation folds case, typography, diacritics and punctuation, drops a leading "the" and
ignores spaces, so "the Islamic Revolutionary Guards Corps" and "Islamic Revolutionary Guards
Corps" are one name and "KDP-I" is "KDPI". Known aliases (IRGC / Sepah, Erbil / Irbil) come from
the gazetteer (``schemas.aliases``: ``same_actor``, ``same_place``, ``place_within``).

>>> name_key("The Democratic Party of Iranian Kurdistan")
'democraticpartyofiraniankurdistan'
>>> names_match("KDP-I", "kdpi", "actor"), names_match("Erbil Governorate", "erbil", "place")
(True, True)
>>> names_match("Ned Price", "Price", "person"), names_match("Price", "Ned Price", "actor")
(True, False)
>>> names_match("the Health Ministry", "the Kurdistan region's Health Ministry", "phrase")
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from evals.config import load_config
from evals.tokens import strip_accents, tokens
from schemas import aliases
from schemas.grounding import fold

NameKind = Literal["actor", "place", "person", "phrase"]
"""actor: exact after normalisation, or aliases; place: also without generic words such as
'governorate' (``scoring.toml``); person: also a surname alone; phrase: also when one name's words
all occur, in order, in the other's."""

_APOSTROPHES = re.compile(r"['’‘`]")
_PUNCT = re.compile(r"[^\w\s]")


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """Lower-cased words without punctuation, diacritics or a leading 'the'.

    >>> normalise_name("  The Komala  Party of Iranian Kurdistan's ")
    'komala party of iranian kurdistans'
    """
    folded, _ = fold(strip_accents(name))
    folded = _APOSTROPHES.sub("", folded)
    words = _PUNCT.sub(" ", folded).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def name_key(name: str) -> str:
    """:func:`normalise_name` with the spaces removed (so 'KDP-I' and 'KDPI' agree)."""
    return normalise_name(name).replace(" ", "")


def _alias_match(a: str, b: str, kind: NameKind) -> bool:
    if kind == "place":
        return aliases.same_place(a, b)
    return aliases.same_actor(a, b)  # a phrase may be an organisation's name


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
    """Whether the alias table places ``inner`` inside ``outer``.

    >>> place_within("Green Zone", "Baghdad") in (True, False)
    True
    """
    return aliases.place_within(inner, outer)


def any_names_match(golds: list[str], preds: list[str], kind: NameKind) -> bool:
    """Whether any gold form matches any predicted form."""
    return any(names_match(g, p, kind) for g in golds for p in preds)
