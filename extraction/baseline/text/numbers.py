"""Quantities as news writes them: "at least 13", "58", "several", "dozens", "over 180".

Vague words follow ACLED's conventions (several -> 3, dozens -> 12, hundreds -> 100), kept in
``data/numbers.json`` with the hedges and number words.

>>> q = parse_quantity("at least", "13"); (q.qualifier.value, q.low, q.best, q.high)
('at_least', 13, 13, None)
>>> q = parse_quantity("Over", "180"); (q.qualifier.value, q.low, q.best)
('over', 181, 181)
>>> q = parse_quantity(None, "several"); (q.qualifier.value, q.low, q.best, q.high)
('several', 2, 3, None)
>>> parse_quantity(None, "twenty-five").best, parse_quantity(None, "1,600").best
(25, 1600)
>>> m = quantity_regex().search("killing at least two people")
>>> m.group("hedge"), m.group("num")
('at least', 'two')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from extraction.baseline.text.lexicon import VagueRule, numbers_data
from schemas.vocab import Qualifier

ARTICLES = frozenset({"a", "an"})


@dataclass(frozen=True, slots=True)
class Quantity:
    value: int | None
    qualifier: Qualifier
    low: int | None
    best: int | None
    high: int | None
    article: bool  # "a" / "an": a number only when a noun follows


def alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of phrases, longest first (ties in alphabetical order, so
    a set gives the same pattern in every run); a space matches any white space.

    >>> print(alternation({"said", "told CNN", "added"}))
    told\\s+CNN|added|said
    """
    return "|".join(w.replace(" ", r"\s+") for w in sorted(sorted(words), key=len, reverse=True))


@cache
def quantity_regex() -> re.Pattern[str]:
    """``(?P<hedge>...)? (?P<num>...)``: a hedged number, number word or vague quantity."""
    data = numbers_data()
    hedges = [h for hs in data.hedges.values() for h in hs]
    words = list(data.words)
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    units = "one|two|three|four|five|six|seven|eight|nine"
    vague = "|".join(f"(?:{v.pattern.replace(' ', r'[ ]+')})" for v in data.vague)
    num = (
        rf"\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d+(?![\d,]\d)|(?:{tens})-(?:{units})"
        rf"|{vague}|{alternation(words)}"
    )
    return re.compile(
        rf"(?<![\w-])(?:(?P<hedge>{alternation(hedges)})\s+)?(?P<num>{num})(?![\w-])",
        re.IGNORECASE,
    )


@cache
def bare_quantity() -> str:
    """:func:`quantity_regex` without its named groups, to be used more than once in a pattern."""
    return re.sub(r"\(\?P<\w+>", "(?:", quantity_regex().pattern)


@cache
def _hedge_of() -> dict[str, Qualifier]:
    return {" ".join(h.lower().split()): q for q, hs in numbers_data().hedges.items() for h in hs}


@cache
def _vague() -> list[tuple[re.Pattern[str], VagueRule]]:
    return [(re.compile(rf"(?:{v.pattern})$", re.IGNORECASE), v) for v in numbers_data().vague]


def _number(text: str) -> int | None:
    t = " ".join(text.lower().split())
    words = numbers_data().words
    if t.replace(",", "").isdigit():
        return int(t.replace(",", ""))
    if t in words:
        return words[t]
    if "-" in t:
        parts = t.split("-")
        if all(p in words for p in parts):
            return sum(words[p] for p in parts)
    return None


def parse_quantity(hedge: str | None, num: str) -> Quantity:
    """The low / best / high reading of a hedged number (UCDP style, ACLED's vague numbers)."""
    n = " ".join(num.lower().split())
    for rx, rule in _vague():
        if rx.match(n):
            return Quantity(None, rule.qualifier, rule.low, rule.best, None, False)
    value = _number(n)
    qualifier = (
        _hedge_of().get(" ".join(hedge.lower().split()), Qualifier.EXACT)
        if hedge
        else (Qualifier.EXACT)
    )
    if value is None:
        return Quantity(None, Qualifier.UNKNOWN, None, None, None, False)
    article = n in ARTICLES
    if qualifier is Qualifier.AT_LEAST:
        return Quantity(value, qualifier, value, value, None, article)
    if qualifier is Qualifier.OVER:
        return Quantity(value, qualifier, value + 1, value + 1, None, article)
    if qualifier is Qualifier.ABOUT:
        return Quantity(value, qualifier, None, value, None, article)
    if qualifier is Qualifier.UP_TO:
        return Quantity(value, qualifier, None, value, value, article)
    return Quantity(value, Qualifier.EXACT, value, value, value, article)
