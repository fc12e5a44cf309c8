"""Recognise the clutter of a scraped page, so extractors read only the article.

Nothing is cut out of the text: :func:`content_blocks` returns the paragraphs worth reading with
their offsets in the original text, so evidence found in them indexes the article as loaded.

>>> text = ("9.2 C\\nLondon\\nFriday, April 19, 2024\\n\\nIran attacked.\\n\\n"
...         "Advertisement\\n\\nLEAVE A REPLY")
>>> [(b.start, b.text) for b in content_blocks(text)]
[(37, 'Iran attacked.')]
>>> scrape_header_date(text)
'Friday, April 19, 2024'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WEATHER = re.compile(r"^-?\d{1,2}(\.\d)?\s?°?\s?[CF]$")
_HEADER_DATE = re.compile(
    r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+[A-Z][a-z]+\s+\d{1,2},\s+\d{4}$"
)
_BOILERPLATE = re.compile(
    r"^("
    r"-?\s*advertisement\s*-?(spot_img)?|spot_img|advertisement|sponsored( content)?"
    r"|leave a reply|leave a comment|please enter your (comment|name here)!?"
    r"|your email address will not be published.*|required fields are marked.*"
    r"|latest (news|articles)|related (news|articles|posts)|more articles|must read|read more"
    r"|download the app:?|read in [a-z]+|exit mobile version|link exchange|source link"
    r"|share this( article)?:?|follow us.*|subscribe.*newsletter.*|home news .*"
    r")$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Block:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[Block]:
    out: list[Block] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            out.append(Block(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw)
    return out


def is_boilerplate(line: str, previous: str | None = None) -> bool:
    """True for a page line that is not article text."""
    s = line.strip()
    if _BOILERPLATE.match(s) or _WEATHER.match(s) or _HEADER_DATE.match(s):
        return True
    # the city name under a weather widget ("9.2 C" / "London")
    return bool(previous and _WEATHER.match(previous.strip()) and len(s.split()) <= 3)


def content_blocks(text: str) -> list[Block]:
    """Non-empty lines of ``text`` that are article content, with their offsets."""
    keep: list[Block] = []
    previous: str | None = None
    for block in _lines(text):
        if not is_boilerplate(block.text, previous):
            keep.append(block)
        previous = block.text
    return keep


def clean_text(text: str) -> str:
    """The article's content lines joined by blank lines: what a model is shown."""
    return "\n\n".join(b.text for b in content_blocks(text))


def scrape_header_date(text: str) -> str | None:
    """A page-header date line (the scrape date, *not* the publication date), if there is one."""
    for block in _lines(text)[:8]:
        if _HEADER_DATE.match(block.text):
            return block.text
    return None
