"""Date phrases and their resolution against the article's publication date.

A relative phrase ("on Monday", "last month") is resolved only when the article has a publication
date; otherwise it stays unresolved with its phrase kept. An explicit date without a year ("Sept.
24") needs the publication date's year. A page-header scrape date is never an anchor (callers pass
``Article.publication_date`` only).

>>> import datetime as dt
>>> [m.phrase for m in find_dates("Late on Monday, and on Sept. 24, 2022, then Thursday’s attack")]
['Late on Monday', 'on Sept. 24, 2022', 'Thursday’s']
>>> m = find_dates("early on Sunday")[0]
>>> resolve(m, None).precision.value, resolve(m, None).phrase
('unresolved', 'early on Sunday')
>>> r = resolve(m, dt.date(2021, 11, 7)); r.value, r.precision.value
(datetime.date(2021, 11, 7), 'day')
>>> resolve(find_dates("on Sept. 24")[0], dt.date(2022, 11, 14)).value
datetime.date(2022, 9, 24)
>>> resolve(find_dates("last month")[0], dt.date(2024, 1, 16)).value
datetime.date(2023, 12, 1)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from extraction.baseline.text.lexicon import dates_data, phrase_regex
from extraction.baseline.text.prefilter import Guarded, guarded
from schemas.event import EventDate
from schemas.vocab import DatePrecision


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    phrase: str
    kind: (
        str  # weekday, day, month, year, relative_day, relative_week, relative_month, relative_year
    )
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    offset: int = 0
    direction: str | None = None  # "last" / "next" before a weekday


def _month_alternation(full_only: bool = False) -> str:
    """Month names as written ("November", "Nov.") and in capitals ("NOVEMBER", as wire copy
    writes them); alone (``full_only``), "MAY" and "MARCH" in capitals are verbs, not months."""
    names = [m for m in dates_data().months if not full_only or len(m) > 3 or m == "May"]
    capitals = [m.upper() for m in names if not (full_only and m in _VERB_MONTHS)]
    out = []
    for m in sorted(names + capitals, key=lambda m: (-len(m), m)):
        out.append(m if len(m) > 4 or m.lower() == "may" else rf"{m}\.?")
    return "|".join(out)


_VERB_MONTHS = frozenset({"May", "March"})


@cache
def _regexes() -> list[tuple[str, Guarded]]:
    d = dates_data()
    months = _month_alternation()
    full = _month_alternation(full_only=True)
    weekdays = "|".join([*d.weekdays, *(w.upper() for w in d.weekdays)])
    parts = "|".join(d.day_parts)
    on = r"(?:(?i:on)\s+)?"
    rules = [
        (
            "day",
            re.compile(
                rf"(?<![\w]){on}(?P<mon>{months})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
                rf"(?:,?\s+(?P<year>(?:19|20)\d\d))?(?![\w])"
            ),
        ),
        (
            "day",
            re.compile(
                rf"(?<![\w]){on}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{months})"
                rf"(?:,?\s+(?P<year>(?:19|20)\d\d))?(?![\w])"
            ),
        ),
        (
            "weekday",
            re.compile(
                rf"(?<![\w])(?:(?P<mod>(?i:early|late|earlier|later))\s+{on})?{on}"
                rf"(?:(?P<dir>(?i:last|this|next|past))\s+)?(?P<wd>{weekdays})"
                rf"(?:\s+(?:{parts}))?(?:['’]s)?(?![\w])"
            ),
        ),
        (
            "month",
            re.compile(
                rf"(?<![\w])(?:(?i:in|during|since|by)\s+)?(?:(?i:early|mid|late|the end of|"
                rf"the beginning of|the middle of|end of)[\s-]+)?(?P<mon>{full})"
                rf"(?:\s+(?P<year>(?:19|20)\d\d))?(?![\w])(?!\s+\d)"
            ),
        ),
        (
            "year",
            re.compile(
                r"(?<![\w])(?i:in|since|during)\s+(?:(?i:early|mid|late)[\s-]+)?(?P<year>(?:19|20)\d\d)(?![\w])"
            ),
        ),
    ]
    return [(kind, guarded(rx)) for kind, rx in rules]


@cache
def _relative() -> list[tuple[str, Guarded, int]]:
    d = dates_data()
    out: list[tuple[str, Guarded, int]] = []
    for kind, rules in (
        ("relative_day", d.relative_days),
        ("relative_week", d.relative_weeks),
        ("relative_month", d.relative_months),
        ("relative_year", d.relative_years),
    ):
        for r in rules:
            out.append((kind, guarded(phrase_regex([r.pattern])), r.offset))
    return out


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date phrases in ``text[start:end]`` (offsets into ``text``), in order, not overlapping."""
    end = len(text) if end is None else end
    found: list[DateMention] = []
    d = dates_data()
    months = {k.lower(): v for k, v in d.months.items()}
    weekdays = {k.lower(): v for k, v in d.weekdays.items()}
    for kind, rx in _regexes():
        for m in rx.finditer(text, start, end):
            g = m.groupdict()
            mon = months.get((g.get("mon") or "").rstrip(".").lower())
            found.append(
                DateMention(
                    m.start(),
                    m.end(),
                    m.group(),
                    kind,
                    weekday=weekdays.get(g["wd"].lower()) if g.get("wd") else None,
                    month=mon,
                    day=int(g["day"]) if g.get("day") else None,
                    year=int(g["year"]) if g.get("year") else None,
                    direction=(g.get("dir") or "").lower() or None,
                )
            )
    for kind, rx, offset in _relative():
        for m in rx.finditer(text, start, end):
            found.append(DateMention(m.start(), m.end(), m.group(), kind, offset=offset))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    out: list[DateMention] = []
    for mention in found:
        if out and mention.start < out[-1].end:
            continue
        out.append(mention)
    return out


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _add_months(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + d.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def resolve(m: DateMention, anchor: dt.date | None) -> EventDate:
    """The :class:`EventDate` a phrase gives, resolved against ``anchor`` when there is one."""
    value: dt.date | None = None
    precision = DatePrecision.UNRESOLVED
    if m.kind == "day" and m.month and m.day:
        year = m.year
        if year is None and anchor is not None:
            guess = _safe_date(anchor.year, m.month, m.day)
            year = anchor.year - 1 if guess is not None and guess > anchor else anchor.year
        if year is not None:
            value = _safe_date(year, m.month, m.day)
            precision = DatePrecision.DAY
    elif m.kind == "month" and m.month:
        year = m.year
        if year is None and anchor is not None:
            year = anchor.year if m.month <= anchor.month else anchor.year - 1
        if year is not None:
            value, precision = dt.date(year, m.month, 1), DatePrecision.MONTH
    elif m.kind == "year" and m.year:
        value, precision = dt.date(m.year, 1, 1), DatePrecision.YEAR
    elif anchor is not None:
        if m.kind == "weekday" and m.weekday is not None:
            if m.direction == "next":
                delta = (m.weekday - anchor.weekday()) % 7 or 7
                value = anchor + dt.timedelta(days=delta)
            else:
                delta = (anchor.weekday() - m.weekday) % 7
                if delta == 0 and m.direction == "last":
                    delta = 7
                value = anchor - dt.timedelta(days=delta)
            precision = DatePrecision.DAY
        elif m.kind == "relative_day":
            value, precision = anchor + dt.timedelta(days=m.offset), DatePrecision.DAY
        elif m.kind == "relative_week":
            value, precision = anchor + dt.timedelta(weeks=m.offset), DatePrecision.WEEK
        elif m.kind == "relative_month":
            value, precision = _add_months(anchor, m.offset), DatePrecision.MONTH
        elif m.kind == "relative_year":
            value, precision = dt.date(anchor.year + m.offset, 1, 1), DatePrecision.YEAR
    if value is None:
        precision = DatePrecision.UNRESOLVED
    return EventDate(value=value, precision=precision, phrase=m.phrase)
