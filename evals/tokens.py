"""Token-level text overlap (SQuAD-style token F1) after folding typography and case.

>>> tokens("The IRGC’s “latest” strikes")
['the', 'irgc', 's', 'latest', 'strikes']
>>> round(token_f1("late on Monday", "on Monday"), 3)
0.8
>>> token_f1("", ""), token_f1("a b", "")
(1.0, 0.0)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from schemas.grounding import fold

_WORD = re.compile(r"\w+")


def strip_accents(text: str) -> str:
    """Remove diacritics: ``"Koysinjaq" == strip_accents("Koysînjaq")``.

    >>> strip_accents("Sulaymānīyah")
    'Sulaymaniyah'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    folded, _ = fold(strip_accents(text))
    return tuple(_WORD.findall(folded))


def tokens(text: str, *, drop: Iterable[str] = ()) -> list[str]:
    """Lower-cased word tokens of ``text`` (typography and diacritics folded), minus ``drop``."""
    dropped = set(drop)
    return [t for t in _words(text) if t not in dropped]


def token_f1(a: str, b: str, *, drop: Iterable[str] = ()) -> float:
    """Multiset token F1 of two texts; two empty texts agree (1.0)."""
    ta, tb = Counter(tokens(a, drop=drop)), Counter(tokens(b, drop=drop))
    if not ta and not tb:
        return 1.0
    common = sum((ta & tb).values())
    if common == 0:
        return 0.0
    precision = common / sum(tb.values())
    recall = common / sum(ta.values())
    return 2 * precision * recall / (precision + recall)


@lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    return fold(text)[0]


def same_text(a: str, b: str) -> bool:
    """Equal after folding typography, case and white space.

    >>> same_text('two people were “martyred”', 'Two people were "martyred"')
    True
    """
    return _folded(a) == _folded(b)
