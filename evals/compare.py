"""Per-field comparators: each returns a credit in [0, 1] for one gold value and one prediction.

Nulls never reach a comparator (the scorer counts null-vs-value as a miss or an invention, and
null-vs-null as right); gold alternatives are handled by calling a comparator once per gold variant
and taking the best.

>>> from evals.config import load_config
>>> from schemas import CasualtyFigure, EventDate, Location
>>> cfg = load_config()
>>> gold = CasualtyFigure(kind="killed", low=2, best=2, qualifier="at_least")
>>> count_credit(gold, CasualtyFigure(kind="killed", best=3, low=2, qualifier="several"), cfg)
1.0
>>> count_credit(gold, CasualtyFigure(kind="killed", best=1), cfg)
0.0
>>> koya = Location(place="Koya", admin1="Erbil", country="Iraq")
>>> location_credit(koya, Location(place="Koya"), cfg)
1.0
>>> location_credit(koya, Location(admin1="ERBIL governorate"), cfg)
0.5
>>> location_credit(koya, Location(place="Nowhereville"), cfg)
0.0
>>> monday = EventDate(phrase="on Monday")
>>> round(date_credit(monday, EventDate(phrase="late on Monday"), cfg), 3)
0.667
"""

from __future__ import annotations

import calendar
import datetime as dt
import math

from evals.config import ScoringConfig
from evals.names import NameKind, any_names_match, place_within
from evals.tokens import same_text, token_f1
from schemas.event import Actor, CasualtyFigure, EventDate, Location, Weapon
from schemas.vocab import DatePrecision, Qualifier

LEVELS: tuple[str, ...] = ("place", "admin2", "admin1", "country")
"""Location levels, finest first."""


def enum_credit(gold: object, pred: object) -> float:
    """Exact match of two enum (or plain) values."""
    return 1.0 if gold == pred else 0.0


def actor_forms(value: Actor | str) -> list[str]:
    """The names an actor goes by in a record: its surface name and its canonical name."""
    if isinstance(value, str):
        return [value]
    return [n for n in (value.name, value.canonical) if n]


def name_credit(gold: Actor | str, pred: Actor | str, kind: NameKind) -> float:
    """1 when any form of the gold name matches any form of the predicted one."""
    return 1.0 if any_names_match(actor_forms(gold), actor_forms(pred), kind) else 0.0


# --- dates -----------------------------------------------------------------------------------


def date_window(date: EventDate, config: ScoringConfig) -> tuple[dt.date, dt.date] | None:
    """The days a resolved date covers at its precision (``None`` when unresolved).

    >>> from evals.config import load_config
    >>> d = EventDate(value=dt.date(2022, 11, 14), precision="month")
    >>> date_window(d, load_config())
    (datetime.date(2022, 11, 1), datetime.date(2022, 11, 30))
    """
    v = date.value
    if v is None:
        return None
    match date.precision:
        case DatePrecision.DAY:
            return v, v
        case DatePrecision.WEEK:
            k = dt.timedelta(days=config.date.week_window_days)
            return v - k, v + k
        case DatePrecision.MONTH:
            last = calendar.monthrange(v.year, v.month)[1]
            return v.replace(day=1), v.replace(day=last)
        case _:
            return dt.date(v.year, 1, 1), dt.date(v.year, 12, 31)


def _inside(day: dt.date, window: tuple[dt.date, dt.date] | None) -> bool:
    return window is not None and window[0] <= day <= window[1]


def date_credit(gold: EventDate, pred: EventDate, config: ScoringConfig) -> float:
    """Resolved dates: 1 when the prediction falls in the gold's window at the same precision,
    ``other_precision_credit`` when one falls in the other's window at another precision, else 0.
    Two unresolved dates: token F1 of their phrases (stop words dropped). A resolved date against
    an unresolved one: 0 (a guessed date is not the phrase, and a phrase is not the date)."""
    if gold.value is not None and pred.value is not None:
        gw, pw = date_window(gold, config), date_window(pred, config)
        if gold.precision == pred.precision:
            return 1.0 if _inside(pred.value, gw) else 0.0
        if _inside(pred.value, gw) or _inside(gold.value, pw):
            return config.date.other_precision_credit
        return 0.0
    if gold.value is None and pred.value is None:
        if gold.phrase is None or pred.phrase is None:
            return 0.0
        return token_f1(gold.phrase, pred.phrase, drop=config.date.phrase_stopwords)
    return 0.0


def dates_far_apart(a: EventDate, b: EventDate, config: ScoringConfig) -> bool:
    """Both resolved and their windows more than ``date_gate_days`` apart."""
    wa, wb = date_window(a, config), date_window(b, config)
    if wa is None or wb is None:
        return False
    gap = max((wb[0] - wa[1]).days, (wa[0] - wb[1]).days, 0)
    return gap > config.event.date_gate_days


# --- counts ----------------------------------------------------------------------------------


def _figure(value: CasualtyFigure | Weapon) -> tuple[int | None, int | None, int | None, Qualifier]:
    if isinstance(value, Weapon):
        q = value.qualifier or Qualifier.EXACT
        return value.count, value.count, value.count if q is Qualifier.EXACT else None, q
    return value.low, value.best, value.high, value.qualifier


def count_interval(
    value: CasualtyFigure | Weapon, config: ScoringConfig
) -> tuple[int, float] | None:
    """The range of counts a gold figure accepts: ``[low, high]``. With no ``low``: 0 for "up to"
    (``counts.open_below``), else ``best`` (else 0 when only ``high`` is given). With no ``high``:
    open above when the qualifier is open-ended (``counts.open_above``: at least, over, several,
    dozens, scores, hundreds, unknown), else ``best`` (else ``low``): "about 100" accepts 100 only
    unless the gold gives a range. ``None`` when the figure has no number.

    >>> from evals.config import load_config
    >>> cfg = load_config()
    >>> count_interval(CasualtyFigure(kind="killed", low=13, best=13, qualifier="at_least"), cfg)
    (13, inf)
    >>> count_interval(CasualtyFigure(kind="injured", best=58), cfg)
    (58, 58.0)
    >>> count_interval(CasualtyFigure(kind="killed", best=10, high=10, qualifier="up_to"), cfg)
    (0, 10.0)
    >>> count_interval(Weapon(kind="missile", count=73), cfg)
    (73, 73.0)
    """
    low, best, high, qualifier = _figure(value)
    if low is None and qualifier.value in config.counts.open_below and (best or high):
        lo: int | None = 0
    else:
        lo = low if low is not None else best
    if lo is None:
        lo = 0 if high is not None else None
    if lo is None:
        return None
    if high is not None:
        return lo, float(high)
    if qualifier.value in config.counts.open_above:
        return lo, math.inf
    return lo, float(best if best is not None else lo)


def predicted_count(value: CasualtyFigure | Weapon) -> int | None:
    """The single number a prediction commits to: best, else low, else high."""
    low, best, high, _ = _figure(value)
    for v in (best, low, high):
        if v is not None:
            return v
    return None


def count_credit(
    gold: CasualtyFigure | Weapon, pred: CasualtyFigure | Weapon, config: ScoringConfig
) -> float:
    """1 when the predicted number lies in the gold's range (see :func:`count_interval`)."""
    interval, value = count_interval(gold, config), predicted_count(pred)
    if interval is None or value is None:
        return 0.0
    return 1.0 if interval[0] <= value <= interval[1] else 0.0


# --- places ----------------------------------------------------------------------------------


def location_names(loc: Location) -> list[tuple[str, str]]:
    """(level, name) of the levels a location names, finest first."""
    return [(lvl, name) for lvl in LEVELS if (name := getattr(loc, lvl))]


def _areas(level: str, name: str) -> list[str]:
    """Names to look an area up under: an admin1 "Erbil" is the governorate, not the city."""
    if level == "admin1":
        return [f"{name} governorate", f"{name} province", name]
    return [name]


def location_credit(gold: Location, pred: Location, config: ScoringConfig) -> float:
    """Credit for the finest gold level the prediction names (at any of its levels), or names a
    place inside of (by the alias table), relative to the finest level the gold gives: naming the
    gold's place is 1, only its admin1 ``admin1 / place`` (0.5 by default). A prediction more
    specific than the gold but inside it (Koya for gold admin1 Erbil) gets the gold level's
    credit here; its extra place is counted in ``event.location.place``."""
    gold_names = location_names(gold)
    pred_names = [n for _, n in location_names(pred)]
    if not gold_names or not pred_names:
        return 0.0
    weights: dict[str, float] = config.location.model_dump()
    finest = weights[gold_names[0][0]]
    for level, name in gold_names:
        inside = any(place_within(p, outer) for p in pred_names for outer in _areas(level, name))
        if inside or any_names_match([name], pred_names, "place"):
            return float(min(1.0, weights[level] / finest))
    return 0.0


def locations_compatible(a: Location, b: Location, config: ScoringConfig) -> bool:
    """False only when the two locations name different places: both name a place below the
    country (place, admin2, admin1) and none of those names matches or lies inside another; or
    neither does and they name different countries."""
    sub_a = [(lvl, n) for lvl, n in location_names(a) if lvl != "country"]
    sub_b = [(lvl, n) for lvl, n in location_names(b) if lvl != "country"]
    if sub_a and sub_b:
        names_a, names_b = [n for _, n in sub_a], [n for _, n in sub_b]
        return (
            any_names_match(names_a, names_b, "place")
            or any(place_within(x, o) for x in names_a for lvl, y in sub_b for o in _areas(lvl, y))
            or any(place_within(y, o) for y in names_b for lvl, x in sub_a for o in _areas(lvl, x))
        )
    if a.country and b.country and not (sub_a or sub_b):
        return any_names_match([a.country], [b.country], "place")
    return True


# --- texts -----------------------------------------------------------------------------------


def text_credit(gold: str, pred: str) -> float:
    """Token F1 of two texts."""
    return token_f1(gold, pred)


def quote_exact_credit(gold: str, pred: str) -> float:
    """1 when two quotes are the same words (typography, case and spacing folded)."""
    return 1.0 if same_text(gold, pred) else 0.0
