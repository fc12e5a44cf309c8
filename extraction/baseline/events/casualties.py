"""Casualty figures: who was killed or injured, how many, with which hedge.

Three shapes cover most news sentences: a verb then a number ("killing at least two people",
"wounded 58"), a number then a verb ("seven of his guards were injured", "Dozens of protesters have
been killed"), and "the deaths of N". An "including 43 minors" after a figure adds a figure for
that group. Word lists: ``data/casualties.json`` and ``data/numbers.json``.

>>> t = "The strikes killed at least 13 people and wounded 58, including civilians and children."
>>> [(f.kind.value, f.quantity.qualifier.value, t[f.start:f.end]) for f in find_casualties(t)]
[('killed', 'at_least', 'killed at least 13 people'), ('injured', 'exact', 'wounded 58')]
>>> t = "two women, including one pregnant, died and several children had been badly wounded"
>>> [(f.kind.value, f.group.value, f.quantity.best) for f in find_casualties(t)]
[('killed', 'women', 2), ('injured', 'children', 3)]
>>> t = "resulting in the deaths of at least 326 people, including 43 minors"
>>> [(f.group.value, f.quantity.low) for f in find_casualties(t)]
[('all', 326), ('children', 43)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extraction.baseline.text.lexicon import casualties_data, dates_data, phrase_regex
from extraction.baseline.text.numbers import (
    Quantity,
    alternation,
    bare_quantity,
    parse_quantity,
    quantity_regex,
)
from extraction.baseline.text.prefilter import Guarded, guarded
from schemas.vocab import CasualtyGroup, CasualtyKind, Qualifier

_AGE = re.compile(r"[^\W\d][\w’'.-]*,\s*$")
"""A name and a comma right before a number: the number is an age."""


@dataclass(frozen=True, slots=True)
class Figure:
    kind: CasualtyKind
    group: CasualtyGroup
    quantity: Quantity
    start: int  # evidence span, offsets into the text searched
    end: int


@dataclass(frozen=True, slots=True)
class _Keyword:
    kind: CasualtyKind
    start: int
    end: int
    text: str


@cache
def _keywords() -> list[tuple[CasualtyKind, Guarded]]:
    d = casualties_data()
    return [
        (CasualtyKind.KILLED, guarded(phrase_regex(d.killed_words))),
        (CasualtyKind.INJURED, guarded(phrase_regex(d.injured_words))),
    ]


@cache
def _citizen() -> frozenset[str]:
    return frozenset(casualties_data().figure_words.citizen_nouns)


@cache
def _lumped() -> re.Pattern[str]:
    """An injured word after "killed and" ("killed and injured"): one figure for both kinds."""
    injured = alternation(casualties_data().figure_words.lumped_injured)
    return re.compile(rf"\s+(?:and|or)\s+(?:{injured})\b", re.IGNORECASE)


@cache
def _negated() -> re.Pattern[str]:
    """A negation right before a number ("not a single")."""
    negations = alternation(casualties_data().figure_words.negations)
    return re.compile(rf"\b(?:{negations})\s+$", re.IGNORECASE)


@cache
def _nouns() -> str:
    nouns = [n for g in casualties_data().groups for n in g.nouns]
    return "|".join(
        re.escape(n).replace(r"\ ", r"\s+") for n in sorted(nouns, key=len, reverse=True)
    )


@cache
def _group_of() -> dict[str, CasualtyGroup]:
    return {" ".join(n.lower().split()): g.group for g in casualties_data().groups for n in g.nouns}


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    qty = quantity_regex().pattern
    nouns = _nouns()
    between = alternation(casualties_data().between_words)
    np = (
        rf"(?P<np>\s+(?:of\s+)?(?:(?:the|his|her|their|its)\s+)?(?:[\w.’'-]+\s+){{0,3}}?"
        rf"(?P<noun>{nouns})(?![\w]))"
    )
    flags = re.IGNORECASE
    return {
        "forward": re.compile(rf"\s+(?:a\s+total\s+of\s+)?{qty}{np}?", flags),
        "between": re.compile(
            rf"{np}?(?P<app>\s*,[^,]{{1,60}},)?"
            rf"(?P<rel>\s+(?:who|that|which)\s+\w+|\s+(?:affiliated|linked|loyal|belonging|associated)"
            rf"\s+(?:with|to)\s+(?:the\s+)?[\w’'-]+)?(?P<aux>(?:\s+(?:{between}))*)\s*[\"“”‘’]?\s*",
            flags,
        ),
        "deaths_of": re.compile(rf"\s+of\s+{qty}{np}?", flags),
        "toll": re.compile(
            rf"(?:\s+(?:has\s+)?(?:rose|risen|climbed|stands|stood|reached|is|was))?(?:\s+(?:to|at))?\s+{qty}",
            flags,
        ),
        "including": re.compile(
            rf"[^.;]{{0,12}}?\bincluding\s+{qty}\s+(?:[\w’'-]+\s+){{0,2}}?(?P<noun>{nouns})(?![\w])",
            flags,
        ),
        "qty": quantity_regex(),
    }


def _group(match: re.Match[str]) -> CasualtyGroup:
    noun = match.groupdict().get("noun")
    if not noun:
        return CasualtyGroup.ALL
    key = " ".join(noun.lower().split())
    group = _group_of().get(key, CasualtyGroup.ALL)
    if key in _citizen():
        np = match.group("np") or ""
        words = set(re.findall(r"[\w.]+", np))
        if any(a in words for a in casualties_data().foreign_citizen_adjectives):
            return CasualtyGroup.FOREIGN_NATIONALS
    return group


def _quantity(match: re.Match[str]) -> Quantity | None:
    q = parse_quantity(match.group("hedge"), match.group("num"))
    if q.article and not match.groupdict().get("noun"):
        return None
    return q


@cache
def _not_counted() -> re.Pattern[str]:
    """A day's month (a day's number, then a word starting as a month's name in ``dates.json``
    starts) or a unit: what makes a list of numbers no count of people."""
    months = alternation({m[:3].lower() for m in dates_data().months})
    units = alternation(casualties_data().figure_words.not_counted.units)
    return re.compile(rf"\d\s+(?:{months})[a-z]*\b|\b(?:{units})\b", re.IGNORECASE)


@cache
def _member_list() -> re.Pattern[str]:
    member = rf"{bare_quantity()}\s+(?:[\w’'-]+\s+){{0,3}}?[\w’'-]+"
    return re.compile(rf"(?:{member}(?:\s*,\s*(?:and\s+)?|\s+and\s+))+$", re.IGNORECASE)


def _coordinated_total(window: str, at: int, last: Quantity) -> tuple[int, Quantity] | None:
    """``(start, total)`` when the number at ``window[at]`` ends a list of counted noun phrases
    ("one officer, four soldiers, and three civilians"): their sum, at least when one is."""
    m = _member_list().search(window, max(0, at - 200), at)
    if m is None:
        return None
    found = [
        parse_quantity(x.group("hedge"), x.group("num"))
        for x in quantity_regex().finditer(window, m.start(), at)
    ]
    if _not_counted().search(window, m.start(), at):
        return None  # "on 11 February, one adult and four minors": a date, not a count
    parts = [q for q in [*found, last] if q.low is not None or q.best is not None]
    if len(parts) < 2 or len(parts) != len(found) + 1:
        return None
    if any(q.qualifier not in (Qualifier.EXACT, Qualifier.AT_LEAST) for q in parts):
        return None
    low = sum(q.low if q.low is not None else q.best or 0 for q in parts)
    if all(q.qualifier is Qualifier.EXACT for q in parts):
        return m.start(), Quantity(low, Qualifier.EXACT, low, low, low, False)
    return m.start(), Quantity(low, Qualifier.AT_LEAST, low, low, None, False)


def find_keywords(text: str, start: int = 0, end: int | None = None) -> list[_Keyword]:
    end = len(text) if end is None else end
    found = [
        _Keyword(kind, m.start(), m.end(), m.group())
        for kind, rx in _keywords()
        for m in rx.finditer(text, start, end)
    ]
    found.sort(key=lambda k: (k.start, -(k.end - k.start)))
    out: list[_Keyword] = []
    for k in found:
        if not out or k.start >= out[-1].end:
            out.append(k)
    return out


def find_casualties(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """Casualty figures in ``text[start:end]``; offsets index ``text``."""
    end = len(text) if end is None else end
    p = _patterns()
    active = {v.lower() for v in casualties_data().active_verbs}
    figures: list[Figure] = []
    previous_end = start
    previous: Figure | None = None
    for kw in find_keywords(text, start, end):
        fig: Figure | None = None
        word = kw.text.lower()
        if word in active:
            m = p["forward"].match(text, kw.end, end)
            if m is not None and (q := _quantity(m)) is not None:
                fig = Figure(kw.kind, _group(m), q, kw.start, m.end())
        if fig is None and word.startswith("death"):
            m = (p["toll"] if "toll" in word else p["deaths_of"]).match(text, kw.end, end)
            if m is not None and (q := _quantity(m)) is not None:
                fig = Figure(kw.kind, _group(m), q, kw.start, m.end())
        if fig is None:
            window = text[previous_end : kw.start]
            for qm in reversed(list(p["qty"].finditer(window))):
                b = p["between"].fullmatch(window, qm.end())
                if b is None or _negated().search(window[max(0, qm.start() - 12) : qm.start()]):
                    continue
                if _AGE.search(window, 0, qm.start()) and window.startswith(",", qm.end()):
                    continue  # "Bo Fictio, 52, a shopkeeper, was murdered": an age
                q = parse_quantity(qm.group("hedge"), qm.group("num"))
                if q.article and not b.group("noun"):
                    continue
                group = _group(b)
                joined = re.fullmatch(r"\s+(?:and|or)\s+", window[: qm.start()])
                if group is CasualtyGroup.ALL and not b.group("noun") and previous and joined:
                    group = previous.group  # "Dozens of protesters ... killed and hundreds injured"
                fig = Figure(kw.kind, group, q, previous_end + qm.start(), kw.end)
                total = _coordinated_total(window, qm.start(), q)
                if total is not None:  # "one officer, four soldiers and three civilians were"
                    at = previous_end + total[0]
                    figures.append(Figure(kw.kind, CasualtyGroup.ALL, total[1], at, kw.end))
                    if group is CasualtyGroup.ALL:
                        fig = None
                break
        if fig is not None and _lumped().match(text, kw.end) and fig.end == kw.end:
            fig = None  # "scores of people have been killed and injured": no kind fits
        if fig is not None:
            figures.append(fig)
            inc = p["including"].match(text, fig.end, end)
            if inc is not None and (q := _quantity(inc)) is not None:
                group = _group_of().get(
                    " ".join(inc.group("noun").lower().split()), CasualtyGroup.ALL
                )
                if group is not CasualtyGroup.ALL:
                    figures.append(
                        Figure(
                            kw.kind,
                            group,
                            q,
                            inc.start("hedge") if inc.group("hedge") else inc.start("num"),
                            inc.end(),
                        )
                    )
            previous = fig
        previous_end = max(kw.end, fig.end if fig else kw.end)
    return figures
