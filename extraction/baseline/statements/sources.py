"""Who a sentence says its facts come from: "according to X", ", X said.", "X said ...", and
how a record names that source (``source_name``).

>>> s = "The strikes killed 13, according to the Health Ministry in the Kurdistan region of Iraq."
>>> src = find_source(s); s[src.start:src.end]
'the Health Ministry in the Kurdistan region of Iraq'
>>> s = "Iran launched attacks on Monday, killing at least two people, officials said."
>>> src = find_source(s); s[src.start:src.end], src.position
('officials', 'trailing')
>>> s = "Two Iraqi officials told The Associated Press that seven guards were injured."
>>> s[find_source(s).start:find_source(s).end]
'Two Iraqi officials'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extraction.baseline.mentions.mentions import Mentions
from extraction.baseline.text.lexicon import statements_data
from extraction.baseline.text.prefilter import guarded
from extraction.baseline.text.sentences import Document

_ACCORDING = guarded(
    re.compile(r"\baccording\s+to\s+(?P<src>[^,.;“”\"]{2,120}?)(?=\s*[,.;]|\s*$)", re.IGNORECASE)
)
_TRAILING = guarded(
    re.compile(
        r",\s*(?P<src>[^,;“”\"]{2,90}?)\s+(?:has\s+|have\s+)?(?:said|says|reported|reports|told|added|claimed)"
        r"(?:\s+(?:in\s+a\s+statement|on\s+\w+|late\s+on\s+\w+))?(?:\s*,\s*according\s+to\s+[^.]+)?\s*\.?\s*$",
        re.IGNORECASE,
    )
)
_LEADING = guarded(
    re.compile(
        r"^(?:(?:In|On|At|Late on|Early on)\s[^,]{1,40},\s*)?(?P<src>[^.;“”\"]{2,120}?)\s+"
        r"(?:has\s+|have\s+)?(?:also\s+)?(?:said|says|told|reported|announced|claimed|stated)\b",
    )
)
_MAX_LEADING_WORDS = 16
_TRAILING_WINDOW = 400
"""Characters at the end of a sentence that a trailing source (", officials said.") is looked
for in: it ends the sentence, and searching a long sentence whole backtracks at every comma."""


def _trailing(piece: str) -> tuple[int, int] | None:
    """The span of a trailing source in ``piece``, searched in its last characters only."""
    offset = max(0, len(piece) - _TRAILING_WINDOW)
    m = _TRAILING.search(piece, offset)
    return (m.start("src"), m.end("src")) if m else None


@dataclass(frozen=True, slots=True)
class Source:
    start: int  # offsets into the text searched
    end: int
    position: str  # according_to, trailing, leading


def find_source(text: str, start: int = 0, end: int | None = None) -> Source | None:
    """The source phrase of ``text[start:end]`` (a sentence), if it names one."""
    end = len(text) if end is None else end
    piece = text[start:end]
    m = _ACCORDING.search(piece)
    if m:
        return Source(start + m.start("src"), start + m.end("src"), "according_to")
    trailing = _trailing(piece)
    if trailing:
        return Source(start + trailing[0], start + trailing[1], "trailing")
    m = _LEADING.search(piece)
    if m and len(m.group("src").split()) <= _MAX_LEADING_WORDS:
        return Source(start + m.start("src"), start + m.end("src"), "leading")
    return None


def source_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` that name a source (not a party to the events)."""
    end = len(text) if end is None else end
    piece = text[start:end]
    spans = [(start + m.start("src"), start + m.end("src")) for m in _ACCORDING.finditer(piece)]
    trailing = _trailing(piece)
    if trailing:
        spans.append((start + trailing[0], start + trailing[1]))
    return spans


@cache
def unnamed_head() -> re.Pattern[str]:
    """A phrase whose head is an anonymous source ("A source in the KDP-I", "Two Iraqi
    officials", "Senior Iraqi security officials"); the nouns are ``unnamed_sources`` of
    ``data/statements.json``.

    >>> bool(unnamed_head().match("A source in the KDP-I")), bool(unnamed_head().match("The PDKI"))
    (True, False)
    """
    nouns = "|".join(statements_data().unnamed_sources)
    return re.compile(
        r"^(?:(?:a|an|the|one|two|three|several|some|many|senior|other|local)\s+)*"
        rf"(?:[A-Z][\w-]*\s+)?(?:security\s+)?(?:{nouns})\b",
        re.IGNORECASE,
    )


def source_name(doc: Document, mentions: Mentions, start: int, end: int) -> str:
    """How a record names its source: the canonical name of an organisation that speaks (or
    whose spokesman speaks), else the article's words without a leading article ("officials",
    "source in the Kurdistan Democratic Party of Iran")."""
    words = doc.text[start:end].strip(" ,")
    words = re.sub(r"^(?:the|a|an)\s+", "", words, flags=re.IGNORECASE)
    if unnamed_head().match(words):
        return re.sub(r"\s*\([^)]*\)$", "", words)
    named = [a for a in mentions.actors_in(start, end) if not a.entry.generic]
    return named[0].entry.canonical if named else words
