"""The one name normaliser: the key every actor, place and person name is looked up and compared by.

The baseline, the scorer (``evals.names``) and the labelling tool all fold names with
:func:`normalise_name`; nothing else in sitrep folds a name. It folds case, diacritics, curly
quotes, apostrophes, dots, hyphens and other punctuation, a possessive "'s", "&" and a leading
"the". :func:`name_key` drops the spaces too, and :func:`skeleton` also drops doubled letters and
a final "h" (the last, loosest lookup tier).

>>> normalise_name("Iran's"), normalise_name("U.S."), normalise_name("KDP-I")
('iran', 'us', 'kdp i')
>>> name_key("KDP-I") == name_key("KDPI") == "kdpi"
True
>>> skeleton("komalah"), skeleton("hezbollah")
('komala', 'hezbola')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
    """Fold a name to the key it is looked up and compared by (memoised: the baseline and the
    scorer ask for the same few thousand strings again and again).

    >>> normalise_name("  The Kata’ib Ḥezbollah ")
    'kataib hezbollah'
    >>> normalise_name("KDP-I"), normalise_name("U.S."), normalise_name("Iran’s")
    ('kdp i', 'us', 'iran')
    >>> normalise_name("Foreign, Commonwealth & Development Office")
    'foreign commonwealth and development office'
    >>> normalise_name("  The  Komala Party’s  "), normalise_name("the")
    ('komala party', 'the')
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


def name_key(name: str) -> str:
    """:func:`normalise_name` without spaces, so "KDP-I", "KDP I" and "KDPI" agree."""
    return normalise_name(name).replace(" ", "")


def compact(key: str) -> str:
    """An already normalised key without its spaces."""
    return key.replace(" ", "")


def skeleton(key: str) -> str:
    """A normalised key without spaces, doubled letters and a final "h" (when over 3 letters)."""
    s = _REPEATS.sub(r"\1", compact(key))
    return s[:-1] if len(s) > 3 and s.endswith("h") else s
