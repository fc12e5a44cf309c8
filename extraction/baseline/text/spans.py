"""Evidence spans: the baseline knows its offsets, so every span it emits is exact.

>>> ev = evidence("Drones hit Erbil.", 11, 16)
>>> (ev.quote, ev.start, ev.end, ev.alignment.value)
('Erbil', 11, 16, 'exact')
"""

from __future__ import annotations

from schemas.evidence import Evidence
from schemas.grounding import AlignmentStatus


def evidence(text: str, start: int, end: int) -> Evidence:
    """Evidence for ``text[start:end]``, trimmed of surrounding white space."""
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    if not 0 <= start < end <= len(text):
        raise ValueError(f"empty or out-of-range evidence span [{start}:{end}]")
    return Evidence(
        quote=text[start:end], start=start, end=end, alignment=AlignmentStatus.EXACT, score=1.0
    )
