"""Long articles: split at paragraph or sentence boundaries with overlap (the answers are merged
by :mod:`extraction.pipeline.merge`).

A chunk is an exact slice ``article.text[start:end]``, so an offset found in a chunk plus the
chunk's ``start`` is an offset in the whole article.

Token counts are estimated at :data:`CHARS_PER_TOKEN` characters a token (English news text runs
close to 4 with OpenAI's tokenisers); the budget is a safety margin, not an exact limit.

>>> text = "Iran struck Koya. Two died.\\nThe IRGC claimed it. Iraq protested.\\nThe UN called."
>>> chunks = split_text(text, max_tokens=12, overlap_tokens=3)
>>> [(c.start, c.end) for c in chunks]
[(0, 28), (18, 65), (49, 79)]
>>> chunks[1].text
'Two died.\\nThe IRGC claimed it. Iraq protested.\\n'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.article import Article

CHARS_PER_TOKEN = 4
DEFAULT_CHUNK_TOKENS = 12_000
"""Articles estimated above this many tokens are split (about 48,000 characters)."""
DEFAULT_OVERLAP_TOKENS = 300

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def estimate_tokens(text: str) -> int:
    """Tokens ``text`` is likely to take, rounded up.

    >>> estimate_tokens("12345678"), estimate_tokens("123456789")
    (2, 3)
    """
    return -(-len(text) // CHARS_PER_TOKEN)


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int
    start: int
    end: int
    text: str


def _paragraph_cuts(text: str) -> list[int]:
    return [m.end() for m in re.finditer(r"\n", text)]


def _sentence_cuts(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def _space_cuts(text: str) -> list[int]:
    return [m.end() for m in _SPACE.finditer(text)]


def _last_in(cuts: list[int], low: int, high: int) -> int | None:
    """The largest cut with ``low < cut <= high``."""
    best: int | None = None
    for c in cuts:
        if c > high:
            break
        if c > low:
            best = c
    return best


def _overlap_start(
    text: str, starts: list[int], start: int, end: int, overlap: int, longest: int
) -> int:
    """Where the chunk after ``[start, end)`` starts: at the sentence or line start that repeats
    closest to ``overlap`` characters of text (at most ``longest``), else at ``end``."""
    if overlap <= 0:
        return end
    best: int | None = None
    for b in starts:
        if b >= end:
            break
        if b <= start or end - b > longest or not text[b:end].strip():
            continue
        if best is None or abs((end - b) - overlap) < abs((end - best) - overlap):
            best = b
    return best if best is not None else end


def split_text(
    text: str,
    *,
    max_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
) -> list[Chunk]:
    """Cut ``text`` into chunks of at most ``max_tokens`` (estimated), preferring to end a chunk
    at a line break, then at a sentence end, then between words; each chunk after the first starts
    about ``overlap_tokens`` before the previous one ended, at a sentence or line start."""
    if max_tokens < 8:
        raise ValueError(f"max_tokens must be at least 8, not {max_tokens}")
    max_chars = max_tokens * CHARS_PER_TOKEN
    overlap = min(overlap_tokens * CHARS_PER_TOKEN, max_chars // 4)
    if len(text) <= max_chars:
        return [Chunk(0, 0, len(text), text)]
    paragraphs, sentences, spaces = _paragraph_cuts(text), _sentence_cuts(text), _space_cuts(text)
    starts_ok = sorted(set(paragraphs) | set(sentences))
    chunks: list[Chunk] = []
    start = 0
    while True:
        if len(text) - start <= max_chars:
            chunks.append(Chunk(len(chunks), start, len(text), text[start:]))
            return chunks
        limit = start + max_chars
        low = start + max_chars // 3  # never end a chunk in its first third if avoidable
        end = (
            _last_in(paragraphs, low, limit)
            or _last_in(sentences, low, limit)
            or _last_in(spaces, low, limit)
            or _last_in(spaces, start, limit)
            or limit
        )
        chunks.append(Chunk(len(chunks), start, end, text[start:end]))
        start = _overlap_start(text, starts_ok, start, end, overlap, max_chars // 2)


def chunk_article(article: Article, chunk: Chunk) -> Article:
    """The article with its text cut down to ``chunk`` (same id and metadata)."""
    return article.model_copy(update={"text": chunk.text})
