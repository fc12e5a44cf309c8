"""The required-literal check in front of the baseline's searches
(``extraction.baseline.text.prefilter``) never changes what a pattern finds. All texts are
synthetic."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.baseline.events import casualties, casualty_clauses, event_cues, victims
from extraction.baseline.mentions import world_places
from extraction.baseline.statements import paraphrases, sources
from extraction.baseline.text import dates
from extraction.baseline.text.lexicon import cue
from extraction.baseline.text.prefilter import (
    _UNSAFE,
    Guarded,
    forget_stretches,
    guarded,
    leading_literals,
    required_literals,
)
from extraction.baseline.text.sentences import _clause_regex


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"(?<![\w])(?:shot\s+dead|killed)(?![\w])", re.I, {"shot", "killed"}),
        (r"(?:air|drone)[- ]?strikes?", re.I, {"strike"}),
        (r"(?:foo|bar)+\s+(?:baz)?", 0, {"foo", "bar"}),
        (r"[;,]", 0, {";", ","}),
        (r"\s[–—]\s", 0, {"–", "—"}),
        (r"\s+so\s+(?=analysts|experts)", re.I, {"analysts", "experts"}),  # a lookahead
        (r"(?<=because )of", re.I, {"of"}),  # a lookbehind may read before the stretch
        (r"\d+|many", 0, None),  # a digit names no literal
        (r"(?:x)?\w+", 0, None),  # an optional part is not required
        (r"[^a]b?", 0, None),
        (r"(?-i:[A-Z])\w+ (?i:Province)", 0, {"province"}),
        (r"Ḥezbollah", re.I, {"ezbollah"}),  # a cased non-ASCII letter ends a literal run
    ],
)
def test_required_literals(pattern: str, flags: int, expected: set[str] | None) -> None:
    hints = required_literals(re.compile(pattern, flags))
    assert (set(hints) if hints is not None else None) == expected


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"(?<![\w])(?:shot\s+dead|killed)(?![\w])", re.I, {"shot", "killed"}),
        (r"(?:air|drone)[- ]?strikes?", re.I, {"air", "drone"}),
        (r"\b(?=[a-z])Province", 0, {"province"}),  # zero-width items read no character
        (r"(?:very\s+)*(?:big|small)", re.I, {"very", "big", "small"}),  # an optional start
        (r"[;,]\s+and", 0, {";", ","}),
        (r"(?:x)?\w+", 0, None),  # what follows the optional part names no literal
        (r"a?", 0, None),  # a match may be empty
        (r"\d+ killed", 0, None),
        (r"Ḥezbollah", re.I, None),  # a cased non-ASCII letter is no literal
    ],
)
def test_leading_literals(pattern: str, flags: int, expected: set[str] | None) -> None:
    lead = leading_literals(re.compile(pattern, flags))
    assert (set(lead) if lead is not None else None) == expected


def test_unsafe_characters_are_all_the_ones_that_lower_case_differently() -> None:
    """Every character that a case-insensitive pattern takes for an ASCII letter lower-cases to
    that letter, or is one the check refuses to read."""
    import _sre  # type: ignore[import-not-found]
    from re import _casefix  # type: ignore[attr-defined]

    missed = []
    for cp in range(0x80, sys.maxunicode + 1):
        lower = _sre.unicode_tolower(cp)
        if lower < 0x80 and chr(cp).lower() != chr(lower) and not _UNSAFE.match(chr(cp)):
            missed.append(hex(cp))
    for ascii_cp in range(0x80):
        for other in _casefix._EXTRA_CASES.get(ascii_cp, ()):
            if other >= 0x80 and not _UNSAFE.match(chr(other)):
                missed.append(hex(other))
    assert missed == []


def _baseline_patterns() -> list[Guarded]:
    out = [cue(n) for n in ("recall", "threat", "unattributed", "incident_cues", "also")]
    out += [event_cues._any_trigger(), _clause_regex()]
    out += [rx for _, rx in event_cues._trigger_rules()]
    out += [rx for _, rx in casualties._keywords()]
    out += list(casualty_clauses._patterns().values())
    out += [rx for _, rx in dates._regexes()] + [rx for _, rx, _ in dates._relative()]
    out += [world_places._locative_name(), victims._before(), victims._after()]
    out += [sources._ACCORDING, sources._TRAILING, sources._LEADING, paraphrases._TRAILING_SAID]
    return out


_WORDS = [  # synthetic vocabulary, with the characters case-folding treats specially
    *("two", "12", "were", "was", "KILLED", "Kılled", "killed", "ſhot", "shot", "dead"),
    *("drone", "STRIKE", "strikes", "İran", "Koya", "on", "Monday", "May", "3", "2021"),
    *("attack", "the", "no", "one", "claimed", "responsibility", "earlier", "this", "week"),
    *("bodies", "of", "five", "people", "wounded", "in", "the", "village", "K", "yesterday"),
    *("officials", "said", "according", "to", "near", "Mosul", "In", "Tuesday", "told"),
]
_GLUE = [" ", "  ", ", ", "; ", " – ", "’s ", ". ", "\n", "-", "", ","]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GLUE)), max_size=25),
    cut=st.tuples(st.integers(0, 40), st.integers(0, 400)),
)
def test_guarded_searches_find_what_the_pattern_finds(
    words: list[tuple[str, str]], cut: tuple[int, int]
) -> None:
    text = "".join(w + g for w, g in words)
    start, end = cut[0], min(cut[1], len(text))
    for rx in _baseline_patterns():
        raw = rx.rx
        assert [m.span() for m in rx.finditer(text, start, end)] == [
            m.span() for m in raw.finditer(text, start, end)
        ], raw.pattern[:80]
        found, expected = rx.search(text, start, end), raw.search(text, start, end)
        assert (found and found.span()) == (expected and expected.span())


def test_guarded_skips_only_stretches_without_the_literals() -> None:
    rx = guarded(re.compile(r"(?<![\w])(?:shot\s+dead|killed)(?![\w])", re.IGNORECASE))
    text = "Nobody was hurt. Two were KILLED."  # synthetic
    assert not rx.possible(text, 0, 16)
    assert rx.possible(text, 0, len(text))
    assert [m.group() for m in rx.finditer(text)] == ["KILLED"]
    assert rx.possible("Two were kılled.", 0, 16)  # a dotless i is always searched


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (  # read off the shared automaton
            r"(?<![\w])(?:drones?|air)\s+(?:strikes?|hit)",
            "Drone strikes and DRONES hit; airdrone strikes, air  strike.",
        ),
        (  # a two-letter word among them: their own automaton
            r"(?<![\w])(?:zqxs?|vq)\s+(?:strikes|struck)",
            "Zqx strikes and ZQXS struck; vqzqx strikes, vq  struck.",
        ),
    ],
)
def test_guarded_tries_a_pattern_only_where_a_leading_literal_starts(
    pattern: str, text: str
) -> None:
    """Matches found at the leading literals' offsets are the pattern's own, overlapping
    literals included ("airdrone"), and each search starts after the last match. The texts
    are synthetic."""
    rx = guarded(re.compile(pattern, re.IGNORECASE))
    forget_stretches()
    assert (rx.lead is None) == ("vq" not in pattern) and (rx.lead_ids is None) == ("vq" in pattern)
    for start in (0, 1, 2, 20):
        assert [m.span() for m in rx.finditer(text, start)] == [
            m.span() for m in rx.rx.finditer(text, start)
        ]
        found, expected = rx.search(text, start, 45), rx.rx.search(text, start, 45)
        assert (found and found.span()) == (expected and expected.span())
    assert len([m.group() for m in rx.finditer(text)]) == 3
