"""Casualty figures reconciled across sources, UCDP style: low, best and high.

Each source's figure is a :class:`Figure`. A figure that revises a cumulative toll (its quote says
"the toll rose to 13", see ``store/data/toll_revisions.json``), and any figure from a source
published on a later day, replaces the figures of the same kind and group that came before it:
they are kept in the history, never added. Of the figures still current, ``low`` is the lowest,
``high`` the highest, ``best`` the lower median, and ``conservative`` the lowest best figure, as
ACLED codes fatalities when reports conflict.

>>> f = [Figure("a1", 1, "killed", "all", 2, 2, None, "at_least", "killing at least two people"),
...      Figure("a2", 2, "killed", "all", 5, 5, 5, "exact", "five people were killed"),
...      Figure("a3", 3, "killed", "all", 13, 13, 13, "exact", "the death toll rose to 13")]
>>> t = reconcile(f)[0]
>>> (t.low, t.best, t.high, t.conservative), [s.source for s in t.superseded]
((13, 13, 13, 13), ['a1', 'a2'])
>>> [(h.after, h.best) for h in t.history]
[('a1', 2), ('a2', 2), ('a3', 13)]
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

REVISIONS_FILE = Path(__file__).resolve().parent / "data" / "toll_revisions.json"


@cache
def revision_phrases() -> tuple[str, ...]:
    """The phrases that mark a revised cumulative toll (from ``toll_revisions.json``)."""
    try:
        data = json.loads(REVISIONS_FILE.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{REVISIONS_FILE}: cannot be read ({exc})") from None
    phrases = data.get("phrases") if isinstance(data, dict) else None
    if not isinstance(phrases, list) or not all(isinstance(p, str) and p for p in phrases):
        raise ValueError(f"{REVISIONS_FILE}: 'phrases' must be a list of non-empty strings")
    return tuple(p.lower() for p in phrases)


def is_revision(quote: str | None) -> bool:
    """Whether a figure's quote reports a revised cumulative toll.

    >>> is_revision("The death toll rose to 13"), is_revision("killing 13 people")
    (True, False)
    """
    text = (quote or "").lower()
    return any(p in text for p in revision_phrases())


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure from one source. ``order`` sorts sources in the order they were reported
    (publication date when known, then the order they came into the store)."""

    source: str
    order: int
    kind: str
    group: str
    low: int | None
    best: int | None
    high: int | None
    qualifier: str
    quote: str | None = None
    published: dt.date | None = None
    reported_by: str | None = None

    @property
    def numeric(self) -> bool:
        return self.best is not None or self.low is not None or self.high is not None

    @property
    def revision(self) -> bool:
        return is_revision(self.quote)

    def triple(self) -> tuple[int, int, int]:
        values = [v for v in (self.low, self.best, self.high) if v is not None]
        best = self.best if self.best is not None else values[0]
        low = self.low if self.low is not None else best
        high = self.high if self.high is not None else best
        return low, best, high


@dataclass(frozen=True, slots=True)
class Step:
    """The reconciled figure after one more source was taken in."""

    after: str
    low: int
    best: int
    high: int
    replaced: tuple[str, ...] = ()


@dataclass(slots=True)
class Toll:
    kind: str
    group: str
    low: int | None = None
    best: int | None = None
    high: int | None = None
    conservative: int | None = None
    current: list[Figure] = field(default_factory=list)
    superseded: list[Figure] = field(default_factory=list)
    history: list[Step] = field(default_factory=list)
    unnumbered: list[Figure] = field(default_factory=list)


def _replaces(later: Figure, earlier: Figure) -> bool:
    if later.revision and later.order >= earlier.order:
        return True
    return (
        later.published is not None
        and earlier.published is not None
        and later.published > earlier.published
    )


def _summarise(toll: Toll) -> None:
    triples = [f.triple() for f in toll.current]
    if not triples:
        toll.low = toll.best = toll.high = toll.conservative = None
        return
    bests = sorted(t[1] for t in triples)
    toll.low = min(t[0] for t in triples)
    toll.high = max(t[2] for t in triples)
    toll.best = bests[(len(bests) - 1) // 2]
    toll.conservative = bests[0]


def _reconcile_one(kind: str, group: str, figures: list[Figure]) -> Toll:
    toll = Toll(kind=kind, group=group)
    ordered = sorted(figures, key=lambda f: (f.published or dt.date.min, f.order))
    for fig in ordered:
        if not fig.numeric:
            toll.unnumbered.append(fig)
            continue
        replaced = [c for c in toll.current if _replaces(fig, c)]
        toll.current = [c for c in toll.current if c not in replaced] + [fig]
        toll.superseded += replaced
        _summarise(toll)
        assert toll.low is not None and toll.best is not None and toll.high is not None
        step = Step(fig.source, toll.low, toll.best, toll.high, tuple(r.source for r in replaced))
        toll.history.append(step)
    return toll


def reconcile(figures: list[Figure]) -> list[Toll]:
    """One :class:`Toll` per (kind, group), killed before injured, ``all`` first."""
    groups: dict[tuple[str, str], list[Figure]] = {}
    for fig in figures:
        groups.setdefault((fig.kind, fig.group), []).append(fig)
    keys = sorted(groups, key=lambda k: (k[0] != "killed", k[1] != "all", k))
    return [_reconcile_one(kind, group, groups[(kind, group)]) for kind, group in keys]


def total(tolls: list[Toll], kind: str) -> Toll | None:
    """The toll of every victim of ``kind``: the ``all`` group, or when no source gives one, the
    largest group's (a lower bound: groups overlap, so they are never summed)."""
    of_kind = [t for t in tolls if t.kind == kind and t.conservative is not None]
    for t in of_kind:
        if t.group == "all":
            return t
    return max(of_kind, key=lambda t: t.conservative or 0, default=None)
