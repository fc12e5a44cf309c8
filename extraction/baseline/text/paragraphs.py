"""Paragraphs of a hard-wrapped text: lines broken at a fixed width are joined back.

Wire copy and old corpora often break every line near a fixed width and mark paragraphs with a
blank line. Read line by line, each line would be a headline; joined, they are paragraphs again.
A text counts as hard-wrapped when most of its lines run on into the next one at a similar width
(``WRAP_MIN_LINES``, ``WRAP_SHARE``, ``WRAP_WIDTH``); other texts keep their lines as blocks.

>>> text = ("THE ARCE BATTALION COMMAND HAS REPORTED THAT ABOUT 50 PEASANTS OF\\n"
...         "VARIOUS AGES HAVE BEEN KIDNAPPED BY TERRORISTS OF THE FMLN IN SAN\\n"
...         "MIGUEL DEPARTMENT.  THE MASS KIDNAPPING TOOK PLACE ON 30 DECEMBER IN\\n"
...         "SAN LUIS DE LA REINA, THE SOURCE ADDED, AND THE GARRISON CONFIRMED IT.\\n\\n"
...         "A SOLDIER WAS WOUNDED.")
>>> from extraction.pipeline.page import content_blocks
>>> [b.text[:30] for b in paragraphs(text, content_blocks(text))]
['THE ARCE BATTALION COMMAND HAS', 'A SOLDIER WAS WOUNDED.']
>>> lines = "Big strike\\nDrones hit Erbil.\\n\\nIran denied it."
>>> [b.text for b in paragraphs(lines, content_blocks(lines))]
['Big strike', 'Drones hit Erbil.', 'Iran denied it.']
"""

from __future__ import annotations

import itertools

from extraction.pipeline.page import Block

WRAP_MIN_LINES = 4
"""Fewer lines than this are never taken for a hard-wrapped text."""
WRAP_SHARE = 0.6
"""Share of lines that must run on into the next line, within ``WRAP_WIDTH``."""
WRAP_WIDTH = (45, 100)
"""Width (characters) of a line broken by a fixed-width wrap."""
_SENTENCE_ENDS = (".", "!", "?", ":", '"', "”")


def _runs_on(text: str, a: Block, b: Block) -> bool:
    """Whether ``b`` follows ``a`` on the next line (no blank line between them)."""
    return text.count("\n", a.end, b.start) == 1


def hard_wrapped(text: str, blocks: list[Block]) -> bool:
    """Whether most lines run on into the next at a fixed width, or, in a text of short
    paragraphs (numbered points of a communique), most lines that run on into the next break
    off mid-sentence at that width."""
    if len(blocks) < WRAP_MIN_LINES:
        return False
    low, high = WRAP_WIDTH
    pairs = [(a, b) for a, b in itertools.pairwise(blocks) if _runs_on(text, a, b)]
    wide = [a for a, _ in pairs if low <= len(a.text) <= high]
    if len(wide) >= WRAP_SHARE * (len(blocks) - 1):
        return True
    broken = [a for a in wide if not a.text.rstrip().endswith(_SENTENCE_ENDS)]
    return len(pairs) >= WRAP_MIN_LINES - 1 and len(broken) >= WRAP_SHARE * len(pairs)


def paragraphs(text: str, blocks: list[Block]) -> list[Block]:
    """``blocks`` with the lines of each paragraph joined, when ``text`` is hard-wrapped."""
    if not hard_wrapped(text, blocks):
        return blocks
    out: list[Block] = []
    first = last = blocks[0]
    for b in blocks[1:]:
        if _runs_on(text, last, b):
            last = b
            continue
        out.append(Block(first.start, last.end, text[first.start : last.end]))
        first = last = b
    out.append(Block(first.start, last.end, text[first.start : last.end]))
    return out
