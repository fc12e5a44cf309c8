"""Split an article's content blocks into sentences and clauses, keeping offsets into the text.

Only :func:`extraction.pipeline.page.content_blocks` are read, so weather widgets, header dates,
adverts and
comment forms never reach the rules. Each sentence also has a ``plain`` copy of its text, of the
same length, in which quoted speech of four words or more and the dateline are blanked out: the
event rules read ``plain`` (a quote is somebody's words, not the article's account), the statement
rules read the quotes.

>>> doc = read_document("9.2 C\\nLondon\\n\\nBig strike\\n\\nBAGHDAD – Drones hit Erbil. "
...                     "“We will respond to this attack,” he said.")
>>> [(s.headline, s.text) for s in doc.sentences][:2]
[(True, 'Big strike'), (False, 'BAGHDAD – Drones hit Erbil.')]
>>> doc.sentences[2].text
'“We will respond to this attack,” he said.'
>>> doc.sentences[2].plain.strip()
'he said.'
>>> doc.text[doc.dateline[0]:doc.dateline[1]]
'BAGHDAD'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import islice

from extraction.baseline.text.lexicon import sentences_data
from extraction.baseline.text.paragraphs import paragraphs
from extraction.baseline.text.prefilter import Guarded, forget_stretches, guarded
from extraction.pipeline.page import Block, content_blocks

MIN_QUOTE_WORDS = 4
"""Quoted pieces shorter than this are scare quotes ("martyred") and stay part of the sentence."""

HEADLINE_MAX_WORDS = 20

_OPEN = "“"
_CLOSE = "”"
_STRAIGHT = '"'
_DOUBLED = "''"
"""Two apostrophes as a quotation mark, opening and closing (older wire and newspaper copy)."""
_TERMINAL = re.compile(r"[.!?:][\"”’)\]]*$")
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")
_DATELINE = re.compile(r"^(?P<dl>[A-Z][^\n—–]{0,70}?)\s+[—–-]{1,2}\s+")
_DATELINE_FORMS = re.compile(
    r"(?:(?P<place>[A-Z][A-Z.'’ -]{2,}?)(?:\s*\([A-Za-z .&-]+\))?(?:,\s*[A-Za-z0-9 .’'-]+)?"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)"
    r"\s*(?:\([A-Za-z .&-]+\))?"
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_QUOTE_MARK = re.compile(f"{_DOUBLED}|[{_OPEN}{_CLOSE}{_STRAIGHT}]")


@dataclass(frozen=True, slots=True)
class QuotePiece:
    """A quoted stretch of a block: marks at ``start`` and ``end - 1`` (when closed)."""

    start: int
    end: int
    content_start: int
    content_end: int
    closed: bool
    block: int
    words: int


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    block: int
    start: int
    end: int
    text: str
    plain: str
    headline: bool


@dataclass(frozen=True)
class Document:
    text: str
    blocks: list[Block]
    sentences: list[Sentence]
    quotes: list[QuotePiece]
    dateline: tuple[int, int] | None = None  # the place of a "BAGHDAD –" dateline
    masked: list[tuple[int, int]] = field(
        default_factory=list
    )  # blanked spans (long quotes, dateline)
    plain: str = ""  # the whole text with the masked spans blanked (same length as ``text``)

    def is_masked(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.masked)

    def sentence_at(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def quote_pieces(block: Block, block_index: int) -> list[QuotePiece]:
    """Quoted stretches of a block; an opening mark with no closing one runs to the block's end.
    Two apostrophes are a mark like a straight double quote (synthetic example):

    >>> doc = read_document("''We will build it,'' Ms. Varga said.")
    >>> [doc.text[q.content_start : q.content_end] for q in doc.quotes]
    ['We will build it,']
    """
    text = block.text
    out: list[QuotePiece] = []
    open_at: int | None = None

    open_width = 1

    def close(at: int, closed: bool, width: int = 1) -> None:
        nonlocal open_at
        if open_at is None:
            return
        content = text[open_at + open_width : at]
        lead = len(content) - len(content.lstrip())
        trail = len(content) - len(content.rstrip())
        cs, ce = block.start + open_at + open_width + lead, block.start + at - trail
        end = block.start + at + (width if closed else 0)
        out.append(
            QuotePiece(
                block.start + open_at,
                end,
                cs,
                max(cs, ce),
                closed,
                block_index,
                count_words(content),
            )
        )
        open_at = None

    for mark in _QUOTE_MARK.finditer(text):  # every other character leaves the state alone
        i, ch = mark.start(), mark.group()[0]
        width = len(mark.group())
        if ch == _OPEN:
            close(i, False) if open_at is not None else None
            open_at, open_width = i, 1
        elif ch == _CLOSE:
            if open_at is not None:
                close(i, True)
        elif ch == _STRAIGHT or width == 2:
            if open_at is None:
                open_at, open_width = i, width
            else:
                close(i, True, width)
    if open_at is not None:
        close(len(text), False)
    return out


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(a.rstrip(".") for a in sentences_data().abbreviations)


@cache
def _clause_regex() -> Guarded:
    return guarded(
        re.compile("|".join(f"(?:{p})" for p in sentences_data().clause_boundaries), re.IGNORECASE)
    )


def _is_abbreviation(block_text: str, dot: int) -> bool:
    before = block_text[:dot]
    m = re.search(r"([A-Za-z][A-Za-z.'’]*)$", before)
    if not m:
        return False
    word = m.group(1).rstrip(".")
    return (
        word in _abbreviations()
        or (word.isupper() and word.capitalize() in _abbreviations())  # "MR." in capitals
        or (len(word) == 1 and word.isupper())
    )


def _split_block(block: Block, pieces: list[QuotePiece]) -> list[tuple[int, int]]:
    text = block.text
    cuts: list[int] = []
    for m in _BOUNDARY.finditer(text):
        at = block.start + m.start()
        if any(p.content_start <= at < p.content_end for p in pieces):
            continue
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        cuts.append(m.end())
    spans: list[tuple[int, int]] = []
    pos = 0
    for c in [*cuts, len(text)]:
        piece = text[pos:c]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if piece.strip():
            spans.append((block.start + pos + lead, block.start + c - trail))
        pos = c
    return spans


def _dateline(block: Block) -> tuple[tuple[int, int], tuple[int, int] | None] | None:
    m = _DATELINE.match(block.text)
    if not m:
        return None
    form = _DATELINE_FORMS.fullmatch(m.group("dl"))
    if not form:
        return None
    whole = (block.start, block.start + m.end())
    place = None
    if form.group("place"):
        ps, pe = form.span("place")
        place = (block.start + ps, block.start + pe)
    return whole, place


def _is_headline(block: Block) -> bool:
    words = _WORD.finditer(block.text)  # no more words than a headline has: stop counting there
    short = next(islice(words, HEADLINE_MAX_WORDS, None), None) is None
    return short and not _TERMINAL.search(block.text)


def read_document(text: str) -> Document:
    """Content blocks, sentences (headline blocks flagged), quotes and the dateline of ``text``."""
    forget_stretches()  # a new document: the prefilter's stretches of the last one are done with
    blocks = paragraphs(text, content_blocks(text))
    sentences: list[Sentence] = []
    quotes: list[QuotePiece] = []
    masked: list[tuple[int, int]] = []
    dateline_place: tuple[int, int] | None = None
    body_started = False
    for bi, block in enumerate(blocks):
        headline = _is_headline(block)
        if headline and body_started:
            continue  # a caption or a stray fragment between paragraphs
        pieces = quote_pieces(block, bi)
        quotes.extend(pieces)
        spans = [(block.start, block.end)] if headline else _split_block(block, pieces)
        block_masks = [(p.start, p.end) for p in pieces if p.words >= MIN_QUOTE_WORDS]
        if not headline and not body_started:
            found = _dateline(block)
            if found is not None:
                block_masks.append(found[0])
                dateline_place = found[1]
        if not headline:
            body_started = True
        masked.extend(block_masks)
        for start, end in spans:
            chars = list(text[start:end])
            for ms, me in block_masks:
                lo, hi = max(ms, start), min(me, end)
                if lo < hi:
                    chars[lo - start : hi - start] = " " * (hi - lo)
            sentences.append(
                Sentence(len(sentences), bi, start, end, text[start:end], "".join(chars), headline)
            )
    chars = list(text)
    for ms, me in masked:
        chars[ms:me] = " " * (me - ms)
    return Document(text, blocks, sentences, quotes, dateline_place, masked, "".join(chars))


def clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """Clause spans (absolute offsets) of a sentence, cut at '; ', ' – ', ', but ', ' while ' ...

    >>> doc = read_document("Iran hit Koya - killing two while targeting the PDKI; none claimed it")
    >>> [doc.text[s:e] for s, e in clauses(doc.sentences[0])]
    ['Iran hit Koya', 'killing two', 'targeting the PDKI', 'none claimed it']
    """
    return list(_clauses(sentence))


@lru_cache(maxsize=1024)
def _clauses(sentence: Sentence) -> tuple[tuple[int, int], ...]:
    """:func:`clauses`, kept for the sentences read last (events and statements both cut each
    sentence into clauses)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _clause_regex().finditer(sentence.plain):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(sentence.plain)))
    spans = []
    for s, e in out:
        piece = sentence.plain[s:e]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            spans.append((sentence.start + s + lead, sentence.start + e - trail))
    return tuple(spans)
