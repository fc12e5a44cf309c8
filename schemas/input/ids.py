"""Article ids: what makes one valid, and the id a file name gives.

An id doubles as a file name (labelling folders keep ``<id>.txt``, ``<id>.json``), so it is a
safe one: it starts with a letter or digit of any script, goes on with letters, combining marks,
digits, spaces, ``_``, ``.`` and ``-``, does not end with a space, and is at most 128 characters
and 200 bytes of UTF-8. No ``/``, no ``..`` start, no control character.

A file's id is its name without the extension whenever that is a valid id, so results join to
their inputs by name; otherwise each run of other characters becomes ``-``.

>>> id_from_name("report é"), id_from_name("東京"), id_from_name("strikes-action-while-")
('report é', '東京', 'strikes-action-while-')
>>> id_from_name("my article (1)"), id_from_name(".hidden"), id_from_name("((("), id_from_name("")
('my article -1-', 'hidden', 'article', 'article')
>>> is_valid_id("a/b"), is_valid_id(".."), is_valid_id("ok 1"), is_valid_id("ok "), is_valid_id(7)
(False, False, True, False, False)
"""

from __future__ import annotations

import unicodedata

ARTICLE_ID_PATTERN = r"^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}_. -]{0,126}[\p{L}\p{M}\p{N}_.-])?$"
"""The id's shape as a regular expression with Unicode classes (JSON Schema, pydantic's Rust
regex). Python's :mod:`re` lacks ``\\p{..}``: use :func:`is_valid_id`."""

MAX_ID_CHARS = 128
MAX_ID_BYTES = 200
_PUNCT = frozenset("_.-")


def _is_alnum(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def _is_body(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN" or ch in _PUNCT or ch == " "


def is_valid_id(value: object) -> bool:
    """Whether ``value`` is a string that is a valid article id (see the module docstring)."""
    if not isinstance(value, str) or not value or len(value) > MAX_ID_CHARS:
        return False
    if len(value.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES:
        return False
    return _is_alnum(value[0]) and value[-1] != " " and all(_is_body(c) for c in value)


def id_from_name(stem: str) -> str:
    """The id a file named ``stem`` (without extension) gives: the stem itself when it is a valid
    id, else with each run of other characters turned into ``-``, leading non-letters and
    trailing spaces dropped, and cut to the length limits; ``article`` when nothing is left."""
    if is_valid_id(stem):
        return stem
    out: list[str] = []
    for ch in stem:
        if _is_body(ch) and ch.isprintable():
            out.append(ch)
        elif not out or out[-1] != "-":
            out.append("-")
    cleaned = "".join(out)
    while cleaned and not _is_alnum(cleaned[0]):
        cleaned = cleaned[1:]
    cleaned = cleaned[:MAX_ID_CHARS]
    while len(cleaned.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES:
        cleaned = cleaned[:-1]
    cleaned = cleaned.rstrip(" ")
    return cleaned if is_valid_id(cleaned) else "article"
