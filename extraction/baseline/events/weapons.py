"""Weapons named in a clause, with a count when the article gives one ("73 missiles").

The word lists are ``data/weapons.json``; a word used as a modifier ("missile and drone attacks")
carries no count.

>>> [(w.kind.value, w.count) for w in find_weapons("at least 73 missiles and two armed drones")]
[('missile', 73), ('drone', 2)]
>>> [(w.kind.value, w.count) for w in find_weapons("a missile and drone attack")]
[('missile', None), ('drone', None)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extraction.baseline.text.lexicon import phrase_regex, weapons_data
from extraction.baseline.text.numbers import parse_quantity, quantity_regex
from extraction.baseline.text.prefilter import Guarded, guarded, guarding
from schemas.event import WeaponKind
from schemas.vocab import Qualifier

_MODIFIER_USE = re.compile(
    r"^\s*(?:(?:and|or|,)\s+[\w-]+\s+)?(?:attacks?|strikes?|barrages?|fire|assaults?|launch(?:es)?)\b",
    re.IGNORECASE,
)


_UNCOUNTED = frozenset(
    {WeaponKind.FIREARM, WeaponKind.SNIPER, WeaponKind.TEAR_GAS, WeaponKind.ARTILLERY}
)


@dataclass(frozen=True, slots=True)
class WeaponMention:
    kind: WeaponKind
    start: int
    end: int
    count: int | None
    qualifier: Qualifier | None
    count_start: int | None  # where the count phrase starts, for evidence


@cache
def _rules() -> list[tuple[WeaponKind, Guarded]]:
    return [(r.kind, guarded(phrase_regex(r.patterns))) for r in weapons_data().kinds]


@cache
@guarding
def _any_weapon() -> re.Pattern[str]:
    """Any weapon word at all: most clauses have none, and need no kind-by-kind search."""
    return phrase_regex([p for r in weapons_data().kinds for p in r.patterns])


@cache
def _count_before() -> re.Pattern[str]:
    modifier = (
        r"(?:(?!(?:with|of|at|by|in|from|and|or|the|people|to|on|into|were|was|more)\b)[\w-]+\s+)"
    )
    return re.compile(rf"(?:{quantity_regex().pattern})\s+{modifier}{{0,2}}$", re.IGNORECASE)


def find_weapons(text: str, start: int = 0, end: int | None = None) -> list[WeaponMention]:
    """Weapon words in ``text[start:end]``, longest match first, in text order."""
    end = len(text) if end is None else end
    if not _any_weapon().search(text, start, end):
        return []
    spans: list[tuple[int, int, WeaponKind]] = []
    for kind, rx in _rules():
        for m in rx.finditer(text, start, end):
            spans.append((m.start(), m.end(), kind))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[WeaponMention] = []
    taken_end = -1
    for s, e, kind in spans:
        if s < taken_end:
            continue
        taken_end = e
        count: int | None = None
        qualifier: Qualifier | None = None
        count_start: int | None = None
        if not _MODIFIER_USE.match(text[e:end]):
            window_start = max(start, s - 60)
            cm = _count_before().search(text[window_start:s])
            if cm is not None:
                q = parse_quantity(cm.group("hedge"), cm.group("num"))
                plural = text[s:e].lower().endswith("s")
                countable = kind not in _UNCOUNTED
                if q.article and kind is WeaponKind.AIRCRAFT:
                    countable = False  # "an airstrike" says how, not how many
                if q.value is not None and countable and (not q.article or not plural):
                    count, qualifier = q.value, q.qualifier
                    count_start = window_start + cm.start()
        out.append(WeaponMention(kind, s, e, count, qualifier, count_start))
    return out
