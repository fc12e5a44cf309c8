"""Align a quoted excerpt with the article it claims to come from.

Offsets are never taken on trust from a model: every quote is searched for in the article, first
verbatim, then after folding typography (curly quotes, dashes, white space, case), then fuzzily with
rapidfuzz. The result says which of these found it, so a reader knows how far to trust the span.

>>> text = "The PDKI said two people were “martyred” and several were injured."
>>> a = align('two people were "martyred"', text)
>>> a.status.value, text[a.start:a.end]
('fuzzy', 'two people were “martyred”')
>>> align("several were injured", text).status.value
'exact'
>>> align("nobody was hurt at all", text).status.value
'not_found'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

FUZZY_THRESHOLD = 90.0
"""Minimum rapidfuzz partial-ratio score (0-100) for a fuzzy alignment to count as found."""

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2026": ".",
    }
)


class AlignmentStatus(StrEnum):
    EXACT = "exact"  # the quote is in the article character for character
    FUZZY = "fuzzy"  # found after folding typography, or by fuzzy match above the threshold
    NOT_FOUND = "not_found"  # not in the article: flagged, never silently dropped


@dataclass(frozen=True, slots=True)
class Alignment:
    status: AlignmentStatus
    start: int | None = None
    end: int | None = None
    score: float = 0.0  # 1.0 for exact and folded matches, rapidfuzz ratio / 100 for fuzzy ones


def fold(text: str) -> tuple[str, list[int]]:
    """Fold typography and case, collapse white space; return the folded text and, for each of its
    characters, the offset of the character it came from in ``text``.

    >>> folded, index = fold("A  “B”")
    >>> folded, index
    ('a "b"', [0, 1, 3, 4, 5])
    """
    out: list[str] = []
    index: list[int] = []
    previous_space = False
    for i, ch in enumerate(text):
        c = ch.translate(_FOLD)
        if c.isspace():
            if previous_space or not out:
                continue
            c = " "
            previous_space = True
        else:
            previous_space = False
        for piece in c.casefold():
            out.append(piece)
            index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def _nearest(starts: list[int], hint: int | None) -> int:
    if hint is None:
        return starts[0]
    return min(starts, key=lambda s: abs(s - hint))


def _all_starts(haystack: str, needle: str) -> list[int]:
    starts: list[int] = []
    i = haystack.find(needle)
    while i != -1:
        starts.append(i)
        i = haystack.find(needle, i + 1)
    return starts


def align(
    quote: str, text: str, *, hint: int | None = None, threshold: float = FUZZY_THRESHOLD
) -> Alignment:
    """Find ``quote`` in ``text``; where it occurs more than once, take the occurrence nearest
    ``hint`` (a character offset), else the first."""
    if not quote.strip():
        return Alignment(AlignmentStatus.NOT_FOUND)
    if hint is not None and hint >= 0 and text.startswith(quote, hint):
        return Alignment(AlignmentStatus.EXACT, hint, hint + len(quote), 1.0)  # nearest: itself
    starts = [text.find(quote)] if hint is None else _all_starts(text, quote)
    starts = [s for s in starts if s != -1]  # without a hint, the first occurrence
    if starts:
        s = _nearest(starts, hint)
        return Alignment(AlignmentStatus.EXACT, s, s + len(quote), 1.0)

    folded_text, index = fold(text)
    folded_quote, _ = fold(quote)
    if not folded_quote:
        return Alignment(AlignmentStatus.NOT_FOUND)
    starts = _all_starts(folded_text, folded_quote)
    if starts:
        s = _nearest(starts, hint)
        e = s + len(folded_quote) - 1
        return Alignment(AlignmentStatus.FUZZY, index[s], index[e] + 1, 1.0)

    if len(folded_quote) < 8:  # too short for a fuzzy match to mean anything
        return Alignment(AlignmentStatus.NOT_FOUND)
    found = fuzz.partial_ratio_alignment(folded_quote, folded_text, score_cutoff=threshold)
    if found is None or found.dest_end <= found.dest_start:
        return Alignment(AlignmentStatus.NOT_FOUND)
    start = index[found.dest_start]
    end = index[found.dest_end - 1] + 1
    return Alignment(AlignmentStatus.FUZZY, start, end, round(found.score / 100.0, 4))


def span_matches(quote: str, text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is ``quote``, verbatim or after folding typography."""
    if not 0 <= start < end <= len(text):
        return False
    piece = text[start:end]
    return piece == quote or fold(piece)[0] == fold(quote)[0]
