"""Compare actor, place and person names the way a reader would: normalised, then through aliases.

Normalisation folds case, typography, diacritics and punctuation, drops a leading "the" and
ignores spaces, so "the Islamic Revolutionary Guards Corps" and "Islamic Revolutionary Guards
Corps" are one name and "KDP-I" is "KDPI". Known aliases (IRGC / Sepah, Erbil / Irbil) come from
``schemas.aliases`` when that module is installed: it is looked up lazily, through its
``same_actor`` / ``same_place`` (else ``canonical_actor`` / ``canonical_place``) and
``place_within`` functions; without it, names match after normalisation only.

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

import importlib
import re
from collections.abc import Callable
from functools import lru_cache
from types import ModuleType
from typing import Literal

from evals.config import load_config
from evals.tokens import strip_accents, tokens
from schemas.grounding import fold

NameKind = Literal["actor", "place", "person", "phrase"]
"""actor: exact after normalisation, or aliases; place: also without generic words such as
'governorate' (``scoring.toml``); person: also a surname alone; phrase: also when one name's words
all occur, in order, in the other's."""

_APOSTROPHES = re.compile(r"['’‘`]")
_PUNCT = re.compile(r"[^\w\s]")
_ALIAS_MODULE = "schemas.aliases"


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


@lru_cache(maxsize=1)
def _aliases() -> ModuleType | None:
    try:
        return importlib.import_module(_ALIAS_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != _ALIAS_MODULE:
            raise
        return None


def _alias_kind(kind: NameKind) -> str:
    return "place" if kind == "place" else "actor"  # a phrase may be an organisation's name


def aliases_available() -> bool:
    """Whether ``schemas.aliases`` is installed (scores then also accept its aliases)."""
    return _aliases() is not None


@lru_cache(maxsize=4096)
def _canonical(name: str, kind: str) -> str | None:
    module = _aliases()
    fn: Callable[[str], object] | None = getattr(module, f"canonical_{kind}", None)
    if fn is None:
        return None
    result = fn(name)
    return name_key(result) if isinstance(result, str) and result.strip() else None


def _alias_match(a: str, b: str, kind: NameKind) -> bool:
    alias_kind = _alias_kind(kind)
    module = _aliases()
    if module is None:
        return False
    same: Callable[[str, str], object] | None = getattr(module, f"same_{alias_kind}", None)
    if same is not None:
        return bool(same(a, b))
    ca, cb = _canonical(a, alias_kind), _canonical(b, alias_kind)
    return ca is not None and ca == cb


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
    """Whether the alias table places ``inner`` inside ``outer`` (``False`` without the table).

    >>> place_within("Green Zone", "Baghdad") in (True, False)
    True
    """
    fn: Callable[[str, str], object] | None = getattr(_aliases(), "place_within", None)
    return fn is not None and bool(fn(inner, outer))


def any_names_match(golds: list[str], preds: list[str], kind: NameKind) -> bool:
    """Whether any gold form matches any predicted form."""
    return any(names_match(g, p, kind) for g in golds for p in preds)
