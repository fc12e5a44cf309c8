"""What went wrong with an article, in the words of an error record: the category comes from the
exception's class (:mod:`extraction.errors`), never from its message.

>>> from extraction.errors import RequestTimedOut
>>> err = RequestTimedOut("http://h/v1 did not answer within 2s (3 attempts)", attempts=3)
>>> err.message = "reworded later"
>>> kind_of(err), kind_of(KeyError("x")), stops_batch(err)
('timeout', 'internal', False)
"""

from __future__ import annotations

from extraction.errors import ErrorKind, ExtractionError
from schemas.loaders import ArticleInputError

MAX_REASON = 500
"""Characters of an error message kept in a record."""


def one_line(text: str) -> str:
    """``text`` on one line, at most :data:`MAX_REASON` characters."""
    line = " ".join(text.split())
    return line if len(line) <= MAX_REASON else line[: MAX_REASON - 3] + "..."


def kind_of(exc: BaseException) -> ErrorKind:
    """The error kind of a failed article: its exception's category; ``internal`` for an
    exception that is not one of sitrep's (a bug)."""
    if isinstance(exc, ExtractionError):
        return exc.kind
    if isinstance(exc, ArticleInputError):
        return "input"
    return "internal"


def stops_batch(exc: BaseException) -> bool:
    """A failure that every other article would meet as well: stop the batch."""
    return isinstance(exc, ExtractionError) and exc.stops_batch
