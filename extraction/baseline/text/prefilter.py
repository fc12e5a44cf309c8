"""A cheap proof that a regular expression cannot match a stretch of text, before it is searched.

Python's regular expression engine tries a case-insensitive pattern that opens with a lookbehind
at every position of the text; most clauses hold no match for most phrase lists, and much of the
baseline's time went into finding that out. :func:`guarded` wraps a compiled pattern with the
literal strings one of which every match must contain (:func:`required_literals`, read off the
parsed pattern); a stretch whose lower-cased text holds none of them is not searched at all. The
answers are those of the pattern itself: only the work of a search that cannot succeed is saved.
The literals of all guarded patterns are looked for at once, in one pass of an Aho-Corasick
automaton over each stretch (``pyahocorasick``), so each pattern's check is one set lookup.

>>> sorted(required_literals(re.compile(r"(?<!\\w)(?:drones?|missiles?)\\s+hit", re.I)))
['drone', 'missile']
>>> required_literals(re.compile(r"\\d+|many")) is None  # a digit names no literal
True
>>> rx = guarded(re.compile(r"(?<![\\w])(?:shot\\s+dead|killed)(?![\\w])", re.IGNORECASE))
>>> [m.group() for m in rx.finditer("Two were SHOT  dead; one was killed.")]
['SHOT  dead', 'killed']
>>> rx.search("Nobody was hurt.") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from operator import itemgetter
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

_UNSAFE = re.compile("[\u0130\u0131\u017f]")
"""Characters that a case-insensitive pattern matches to an ASCII letter but that lower-case to
something else ("İ", dotless "ı", long "ſ"): a stretch holding one is always searched."""

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _literal(code: int) -> str | None:
    """The character as found in lower-cased text: ASCII, or uncased punctuation ("’", "–")."""
    c = chr(code)
    if c.isascii():
        return c.lower()
    if c.lower() == c == c.upper() and not c.isalnum():
        return c
    return None


def _required(items: Any) -> frozenset[str] | None:
    """Strings one of which every match of the parsed sequence ``items`` contains, or None."""
    hints: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        ch = _literal(av) if op is sre.LITERAL else None
        if ch is not None:
            run += ch
            continue
        if run:
            hints.append(frozenset({run}))
            run = ""
        hint: frozenset[str] | None = None
        if op is sre.SUBPATTERN:
            hint = _required(av[-1])
        elif op is sre.ATOMIC_GROUP:
            hint = _required(av)
        elif op is sre.BRANCH:
            alternatives = [_required(a) for a in av[1]]
            if all(a is not None for a in alternatives):
                hint = frozenset().union(*(a for a in alternatives if a is not None))
        elif op in _REPEATS and av[0] >= 1:
            hint = _required(av[2])
        elif op is sre.ASSERT and av[0] == 1:  # a lookahead reads no further than the stretch
            hint = _required(av[1])
        elif op is sre.IN:
            chars = [_literal(v) if o is sre.LITERAL else None for o, v in av]
            if chars and all(c is not None for c in chars):
                hint = frozenset(c for c in chars if c is not None)
        if hint:
            hints.append(hint)
    if run:
        hints.append(frozenset({run}))
    # the most telling hint: the longest shortest string, then the fewest strings
    return max(hints, key=lambda h: (min(map(len, h)), -len(h)), default=None)


_ZERO_WIDTH = (sre.ASSERT, sre.ASSERT_NOT, sre.AT)


def _leading(items: Any) -> frozenset[str] | None:
    """Strings one of which every match of the parsed sequence ``items`` starts with, or None."""
    run = ""
    for k, (op, av) in enumerate(items):
        ch = _literal(av) if op is sre.LITERAL else None
        if ch is not None:
            run += ch
            continue
        if run:
            break
        if op in _ZERO_WIDTH:
            continue  # reads no character of the match: the next item starts it
        if op in _REPEATS and av[0] == 0:  # optional: the match starts with it or what follows
            first, rest = _leading(av[2]), _leading(items[k + 1 :])
            return None if first is None or rest is None else first | rest
        if op is sre.SUBPATTERN:
            return _leading(av[-1])
        if op is sre.ATOMIC_GROUP:
            return _leading(av)
        if op is sre.BRANCH:
            alternatives = [_leading(a) for a in av[1]]
            if all(a is not None for a in alternatives):
                return frozenset().union(*(a for a in alternatives if a is not None))
            return None
        if op in _REPEATS and av[0] >= 1:
            return _leading(av[2])
        if op is sre.IN:
            chars = [_literal(v) if o is sre.LITERAL else None for o, v in av]
            if chars and all(c is not None for c in chars):
                return frozenset(c for c in chars if c is not None)
        return None
    return frozenset({run}) if run else None


def _parsed(rx: re.Pattern[str]) -> Any:
    try:
        return _parser.parse(rx.pattern, rx.flags)
    except Exception:  # the standard library's private parser may change: then no prefilter
        return None


def leading_literals(rx: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``rx`` starts with (None: none known),
    so that a match can only start where one of them is found.

    >>> sorted(leading_literals(re.compile(r"(?<![\\w])(?:air|drone)[- ]?strikes?", re.I)))
    ['air', 'drone']
    >>> sorted(leading_literals(re.compile(r"(?:very\\s+)*(?:big|small)", re.I)))
    ['big', 'small', 'very']
    >>> leading_literals(re.compile(r"\\w*strike")) is None  # no literal starts every match
    True
    """
    parsed = _parsed(rx)
    return None if parsed is None else _leading(parsed)


def required_literals(rx: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``rx`` contains (None: none known), or
    that a lookahead of the match reads. Lookbehinds and negative lookaheads are skipped (a
    lookbehind may read before the stretch searched)."""
    parsed = _parsed(rx)
    return None if parsed is None else _required(parsed)


class Guarded:
    """A compiled pattern whose ``search`` and ``finditer`` first check the stretch of text for
    the pattern's required literals, and try the pattern only where one of its leading literals
    is found (when every match starts with one); everything else is the pattern's own."""

    __slots__ = ("checked", "hints", "ids", "lead", "lead_ids", "pattern", "rx")

    lead: Any  # an automaton of the leading literals, or None

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx = rx
        self.pattern = rx.pattern
        hints = required_literals(rx)
        # a hint that holds another is in a text only when the other is: the shorter suffices
        self.hints = None if hints is None else tuple(sorted(_shortest(hints)))
        # a two-letter word ("in", "on") is in nearly every clause: checking for it only costs
        self.ids = None if _weak(self.hints) else _INDEX.register(self.hints or ())
        found = None if hints is None else leading_literals(rx)
        # a match starting with a leading literal starts with any prefix of it that is another
        lead = None if found is None else tuple(sorted(_unprefixed(found)))
        # leading literals are read off the shared automaton's findings, but for two-letter
        # words, which would only lengthen every stretch's findings: those get their own
        shared = lead is not None and not _weak(lead)
        self.lead_ids = _INDEX.register(lead) if lead is not None and shared else None
        self.lead = _automaton(lead) if lead is not None and not shared else None
        self.checked = self.ids is not None or lead is not None

    def possible(self, text: str, start: int, end: int) -> bool:
        """False only when no match can lie in ``text[start:end]``."""
        if self.ids is None:
            return True
        last = _last[0]
        if last[0] is not text or last[1] != start or last[2] != end:
            last = _lowered(text, start, end)
        return last[3] is None or not last[3].isdisjoint(self.ids)

    # ``search`` and ``finditer`` repeat ``possible`` inline: they run a thousand times an article

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        end = len(text) if endpos is None else endpos
        if self.checked:
            last = _last[0]
            if last[0] is not text or last[1] != pos or last[2] != end:
                last = _lowered(text, pos, end)
            if last[3] is not None:
                if self.ids is not None and last[3].isdisjoint(self.ids):
                    return None
                if self.lead is not None or self.lead_ids is not None:
                    match = self.rx.match
                    for at in self._starts(last):
                        m = match(text, at, end)
                        if m is not None:
                            return m  # the leftmost: no match starts anywhere before
                    return None
        return self.rx.search(text, pos, end)

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        if self.checked:
            last = _last[0]
            if last[0] is not text or last[1] != pos or last[2] != end:
                last = _lowered(text, pos, end)
            if last[3] is not None:
                if self.ids is not None and last[3].isdisjoint(self.ids):
                    return iter(())
                if self.lead is not None or self.lead_ids is not None:
                    return self._matches_at(text, self._starts(last), end)
        return self.rx.finditer(text, pos, end)

    def _starts(self, last: _Lowered) -> list[int]:
        """Where in the stretch a leading literal is found, in text order."""
        base = last[5] + 1
        # no two leading literals start at one offset: none is a prefix of another
        if self.lead_ids is not None:
            ids, lengths = self.lead_ids, _INDEX.lengths
            starts = [base + e - lengths[n] for e, n in last[6] if n in ids]
        else:
            starts = [base + e - n for e, n in self.lead.iter(last[4])]
        starts.sort()
        return starts

    def _matches_at(self, text: str, starts: list[int], end: int) -> Iterator[re.Match[str]]:
        """The matches ``finditer`` finds, tried only at ``starts``: each match is non-empty,
        and the next is looked for from its end."""
        match = self.rx.match
        after = 0
        for at in starts:
            if at >= after:
                m = match(text, at, end)
                if m is not None:
                    after = m.end()
                    yield m


def _weak(literals: tuple[str, ...] | None) -> bool:
    """Whether ``literals`` are none, or hold a word found in nearly every clause ("in")."""
    return literals is None or any(len(h) <= 2 and h.isalpha() for h in literals)


def _unprefixed(lead: frozenset[str]) -> frozenset[str]:
    """The leading literals that start with no other one: a text starts with one of these
    exactly where it starts with one of ``lead``.

    >>> sorted(_unprefixed(frozenset({"drone", "drones", "rone", "dr"})))
    ['dr', 'rone']
    """
    return frozenset(h for h in lead if not any(o != h and h.startswith(o) for o in lead))


def _shortest(hints: frozenset[str]) -> frozenset[str]:
    """The hints that hold no other hint ("drone" for "drone" and "drones"): a text holds one of
    these exactly when it holds one of ``hints``.

    >>> sorted(_shortest(frozenset({"drones", "drone", "missile", "rone"})))
    ['missile', 'rone']
    """
    return frozenset(h for h in hints if not any(o != h and o in h for o in hints))


def _automaton(literals: Iterable[str]) -> Any:
    """An Aho-Corasick automaton finding ``literals``, each with its length as its value."""
    automaton = ahocorasick.Automaton()
    for h in literals:
        automaton.add_word(h, len(h))
    automaton.make_automaton()
    return automaton


class _HintIndex:
    """The required literals of every guarded pattern, numbered, and one automaton that finds
    them all."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.lengths: list[int] = []
        self.automaton: Any = None  # built on the first check after a new literal

    def register(self, literals: tuple[str, ...]) -> frozenset[int]:
        """The numbers of ``literals``, numbering the new ones."""
        for h in literals:
            if h not in self.numbers:
                self.numbers[h] = len(self.numbers)
                self.lengths.append(len(h))
                self.automaton = None
                forget_stretches()  # a stretch checked before holds no answer for a new literal
        return frozenset(self.numbers[h] for h in literals)

    def found(self, lowered: str) -> list[tuple[int, int]]:
        """``(offset of the last character, number)`` of each literal found in ``lowered``."""
        automaton = self.automaton
        if automaton is None:
            automaton = ahocorasick.Automaton()
            for h, n in self.numbers.items():
                automaton.add_word(h, n)
            automaton.make_automaton()
            self.automaton = automaton
        return list(automaton.iter(lowered))


_SECOND = itemgetter(1)
_INDEX = _HintIndex()

_Lowered = tuple[str, int, int, set[int] | None, str, int, list[tuple[int, int]]]
_NOTHING: _Lowered = ("", -1, -1, None, "", 0, [])
_last: list[_Lowered] = [_NOTHING]
"""The text, start and end of the last stretch checked, the numbers of the literals found in it
(None: it holds an unsafe character, so no literal says anything), the stretch lower-cased,
where it starts and where the literals were found in it (the baseline asks about one clause
many times in a row)."""

_MAX_SEEN = 4096
_seen: dict[tuple[str, int, int], _Lowered] = {}
"""Every stretch checked since :func:`forget_stretches` (a clause is asked about again after
its sentence, and a sentence after its clauses)."""


def _lowered(text: str, start: int, end: int) -> _Lowered:
    """The literals found in ``text[start:end]`` lower-cased, kept as the last stretch checked.
    Lower-casing keeps every offset: the one character that it lengthens ("İ") is unsafe."""
    key = (text, start, end)
    last = _seen.get(key)
    if last is None:
        base = max(0, start)
        piece = text[base:end]
        if _UNSAFE.search(piece):
            last = (text, start, end, None, "", base, [])
        else:
            lowered = piece.lower()
            found = _INDEX.found(lowered)
            last = (text, start, end, set(map(_SECOND, found)), lowered, base, found)
        if len(_seen) >= _MAX_SEEN:
            _seen.clear()  # a caller that reads no documents (a long run of searches) is bounded
        _seen[key] = last
    _last[0] = last
    return last


def forget_stretches() -> None:
    """Drop the stretches checked so far (the baseline does at each new document: a text's
    stretches are asked about while it is read, and no longer)."""
    _seen.clear()
    _last[0] = _NOTHING


def guarded(rx: re.Pattern[str]) -> Guarded:
    """``rx`` with the required-literal check in front of its searches."""
    return Guarded(rx)


def guarding(build: Callable[[], re.Pattern[str]]) -> Callable[[], Guarded]:
    """A pattern builder (``@cache``'d above this) whose pattern comes :func:`guarded`."""

    @wraps(build)
    def wrapper() -> Guarded:
        return Guarded(build())

    return wrapper
