"""Named victims: a person named beside a word of killing, kidnapping or attack.

A name is two to four capitalised words that are neither stop words, titles, number words,
nouns of people nor possessives ("Ruiz’s"). It is a victim when it follows a cue ("the murder
of", "kidnapped", "wounded"), past any title words ("presidential candidate", "Father", a
nationality), or comes right before a passive one ("... was shot dead", "...'s murder"). Names
joined to a victim by a comma or "and" are victims too ("the priests Ana Ruiz, Tomas Vidal and
Luis Prado"). Phrase lists are in ``data/victims.json``. Examples are invented (synthetic).

>>> text = "Gunmen killed presidential candidate Tomas Aravena Ruiz and Elena Brandt."
>>> [text[s:e] for s, e in named_victims(text, 0, len(text))]
['Tomas Aravena Ruiz', 'Elena Brandt']
>>> text = "MAYOR ORLANDO VIDAL WAS SHOT DEAD; TWO SOLDIERS WERE KILLED."
>>> [text[s:e] for s, e in named_victims(text, 0, len(text))]
['ORLANDO VIDAL']
>>> text = "Troops killed two peasants in Santa Ana."
>>> named_victims(text, 0, len(text))
[]
"""

from __future__ import annotations

import re
from functools import cache

from extraction.baseline.text.lexicon import (
    casualties_data,
    numbers_data,
    phrase_regex,
    victims_data,
)
from extraction.baseline.text.prefilter import guarding

MIN_WORDS = 2
MAX_WORDS = 4

_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?\.?")
_BRACKETED = re.compile(r"\s*\[[^\]\n]{0,40}\]\s*")  # an editor's insertion: "[retired]"
_SPACE = re.compile(r"\s*")
_WORD_GAP = re.compile(r"[ \t]*\n?[ \t]*")  # between two words of a name: one line break at most


@cache
@guarding
def _before() -> re.Pattern[str]:
    return phrase_regex(victims_data().before_name)


@cache
@guarding
def _after() -> re.Pattern[str]:
    cues = phrase_regex(victims_data().after_name, bounded=False).pattern
    return re.compile(rf"\s*(?:,[^,.;:]{{1,60}},\s*|,\s*)?(?:{cues})(?!\w)", re.IGNORECASE)


@cache
def _titles() -> frozenset[str]:
    return frozenset(victims_data().titles)


@cache
def _not_name() -> frozenset[str]:
    nouns = casualties_data().victim_nouns
    people = {n for g in casualties_data().groups for n in g.nouns}
    return frozenset(
        [
            *victims_data().stop_words,
            *_titles(),
            *numbers_data().words,
            *people,
            *nouns.singular,
            *nouns.plural,
        ]
    )


def _key(word: str) -> str:
    return word.lower().rstrip(".")


def _name_word(word: str) -> bool:
    possessive = word[-2:-1] in ("'", "’")
    return (
        word[:1].isupper()
        and _key(word) not in _not_name()
        and not word.endswith(".")
        and not possessive
    )


def _skip_titles(text: str, pos: int, end: int) -> int:
    """The offset after any title words (and editors' bracketed insertions) at ``pos``."""
    while pos < end:
        b = _BRACKETED.match(text, pos, end)
        if b:
            pos = b.end()
            continue
        m = _SPACE.match(text, pos, end)
        start = m.end() if m else pos
        w = _WORD.match(text, start, end)
        if w is None or _key(w.group()) not in _titles():
            return pos
        pos = w.end()
    return pos


def _name_at(text: str, pos: int, end: int) -> tuple[int, int] | None:
    """A name starting at ``pos`` (after white space): its span, if it has 2 to 4 words."""
    words: list[tuple[int, int]] = []
    while pos < end and len(words) <= MAX_WORDS:
        gap = _WORD_GAP.match(text, pos, end)
        start = gap.end() if gap else pos
        if words and start == pos:
            break
        w = _WORD.match(text, start, end)
        if w is None:
            break
        word = w.group()
        stop = word.endswith(".") and len(word) > 2  # "... Brandt." ends a sentence
        if not _name_word(word.rstrip(".") if stop else word):
            break
        words.append((w.start(), w.end() - 1 if stop else w.end()))
        pos = w.end()
        if stop:
            break
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return None
    return words[0][0], words[-1][1]


def _name_before(text: str, start: int, pos: int) -> tuple[int, int] | None:
    """A name ending right at ``pos`` (the words just before a passive cue)."""
    words = list(_WORD.finditer(text[start:pos]))
    picked: list[tuple[int, int]] = []
    edge = pos - start
    for w in reversed(words):
        gap = text[start + w.end() : start + edge]
        if gap.strip():
            break
        if not _name_word(w.group()):
            break
        picked.insert(0, (start + w.start(), start + w.end()))
        edge = w.start()
        if len(picked) > MAX_WORDS:
            return None
    if len(picked) < MIN_WORDS:
        return None
    return picked[0][0], picked[-1][1]


_JOIN = re.compile(
    r",\s*(?:(?:an?|the)\s[^,;.:]{1,50}|\d{1,3}),\s*(?:and\s+)?|\s*[,;]\s*(?:and\s+)?|\s+and\s+",
    re.IGNORECASE,
)
"""What joins two names of a list: a comma, semicolon or "and", after any appositive of the
first ("Ana Ruiz, a nurse, and ...") or age ("Ana Ruiz, 34, ...")."""


def named_victims(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the persons named as killed, kidnapped or attacked in ``text[start:end]``."""
    found: list[tuple[int, int]] = []
    for cue in _before().finditer(text, start, end):
        pos = _skip_titles(text, cue.end(), end)
        span = _name_at(text, pos, end)
        while span is not None:
            found.append(span)
            join = _JOIN.match(text, span[1], end)
            if join is None:
                break
            span = _name_at(text, _skip_titles(text, join.end() - 1, end), end)
    after_name = _after()
    # a cue after a name reads no further than ``end``: with none in the clause, no word is tried
    words = _WORD.finditer(text, start, end) if after_name.possible(text, start, end) else ()
    for w in words:
        if not w.group()[:1].isupper():
            continue
        stem = w.end() - 2 if w.group()[-2:-1] in ("'", "’") else w.end()  # "Ruiz's murder"
        after = after_name.rx.match(text, stem, end)
        if after is None:
            continue
        span = _name_before(text, start, stem)
        if span is not None:
            found.append(span)
    out: list[tuple[int, int]] = []
    for s in sorted(set(found)):
        if all(not (o[0] <= s[0] < o[1] or s[0] <= o[0] < s[1]) for o in out):
            out.append(s)
    return out
