"""Planted-span oracle tests for the aligner: plant a quote at a known offset, recover it."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.grounding import AlignmentStatus, align, fold, span_matches

WORDS = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=9)


@settings(max_examples=150, deadline=None)
@given(
    before=st.lists(WORDS, max_size=40),
    planted=st.lists(WORDS, min_size=3, max_size=8),
    after=st.lists(WORDS, max_size=40),
)
def test_planted_quote_is_recovered_exactly(
    before: list[str], planted: list[str], after: list[str]
) -> None:
    prefix = " ".join(before) + (" " if before else "")
    quote = " ".join(planted)
    text = prefix + "«" + quote + "» " + " ".join(after)
    a = align(quote, text)
    assert a.status is AlignmentStatus.EXACT
    assert text[a.start : a.end] == quote
    # the planted occurrence, or an identical earlier one
    assert a.start is not None and a.start <= len(prefix) + 1


def test_typography_folding_maps_back_to_original_offsets() -> None:
    text = "Price said: “We call on Iran — now — to stop these attacks.”"
    a = align("We call on Iran - now - to stop these attacks.", text)
    assert a.status is AlignmentStatus.FUZZY
    assert a.score == 1.0
    assert text[a.start : a.end] == "We call on Iran — now — to stop these attacks."


def test_fuzzy_match_finds_lightly_edited_quote() -> None:
    text = "The missile and drone strikes killed at least 13 people and wounded 58, officials said."
    a = align("The missile and drone strike killed at least 13 people and wounded 58", text)
    assert a.status is AlignmentStatus.FUZZY
    assert a.start == 0
    assert 0.9 <= a.score < 1.0


def test_invented_quote_is_not_found() -> None:
    text = "Iran launched a new round of missile and drone attacks on Monday."
    assert align("Turkey shelled villages near Duhok", text).status is AlignmentStatus.NOT_FOUND
    assert align("   ", text).status is AlignmentStatus.NOT_FOUND


def test_repeated_quote_prefers_occurrence_nearest_hint() -> None:
    text = "the PDKI said. Later, the PDKI said."
    assert align("the PDKI said", text).start == 0
    assert align("the PDKI said", text, hint=20).start == 22


def test_fold_collapses_whitespace_and_case() -> None:
    folded, index = fold("  Two\n\nWords ")
    assert folded == "two words"
    assert index[0] == 2 and index[3] == 5 and index[4] == 7


def test_span_matches_rejects_out_of_range_and_wrong_text() -> None:
    text = "Koya district in Erbil"
    assert span_matches("Koya", text, 0, 4)
    assert not span_matches("Koya", text, 5, 9)
    assert not span_matches("Erbil", text, 17, 99)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from(["ab", "ba", "abab", "x"]), min_size=1, max_size=30),
    quote=st.sampled_from(["ab", "abab", "ba ab", "x"]),
    hint=st.integers(min_value=0, max_value=120),
)
def test_an_exact_quote_is_the_occurrence_nearest_the_hint(
    words: list[str], quote: str, hint: int
) -> None:
    text = " ".join(words)
    starts = [i for i in range(len(text)) if text.startswith(quote, i)]
    got = align(quote, text, hint=hint)
    if not starts:
        assert got.status is not AlignmentStatus.EXACT
        return
    assert got.status is AlignmentStatus.EXACT
    assert got.start == min(starts, key=lambda s: abs(s - hint))
