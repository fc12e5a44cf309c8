"""MUC-3/4 message files: many messages in one file, each headed by its id on a line of its own.

A message starts with a line such as ``DEV-MUC3-0001 (NOSC)`` or ``TST2-MUC4-0048``; its text runs
to the next such line. The first line of text is a dateline (an invented one:
``VALDORIA, 12 MAR 91 --``), whose date becomes the article's publication date.

>>> parse_dateline("   VALDORIA, 12 MAR 91 -- [SYNTHETIC REPORT] ...")
datetime.date(1991, 3, 12)
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from evals.datasets.base import DatasetError
from schemas.article import Article, DateSource

_HEADER = re.compile(r"^((?:DEV|TST\d+)-MUC\d-\d{4})\b")
_DATELINE = re.compile(r"\b(\d{1,2}) ([A-Z]{3})[A-Z]* (\d{2,4})\b")
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def parse_dateline(text: str) -> dt.date | None:
    """The date of a message's dateline (first 200 characters, before ``--``), if any."""
    head = text[:200].split("--", 1)[0]
    m = _DATELINE.search(head)
    if m is None or m.group(2) not in _MONTHS:
        return None
    year = int(m.group(3))
    year = year + 1900 if year < 100 else year
    try:
        return dt.date(year, _MONTHS.index(m.group(2)) + 1, int(m.group(1)))
    except ValueError:
        return None


def read_messages(path: str | Path, split: str) -> list[Article]:
    """The messages of one text file as articles (id = message id, text as in the file)."""
    p = Path(path)
    try:
        lines = p.read_bytes().decode("latin-1").splitlines()
    except OSError as exc:
        raise DatasetError(f"{p}: cannot be read ({exc})") from None
    out: list[Article] = []
    current: tuple[str, int] | None = None
    body: list[str] = []

    def flush() -> None:
        if current is None:
            return
        text = "\n".join(body).strip("\n")
        if not text.strip():
            raise DatasetError(f"{p}:{current[1]}: message {current[0]} has no text")
        published = parse_dateline(text)
        out.append(
            Article(
                id=current[0],
                text=text,
                outlet=None,
                publication_date=published,
                publication_date_source=(
                    DateSource.DATELINE if published is not None else DateSource.UNKNOWN
                ),
                source_file=f"{p.name}:{current[1]}",
                notes=f"MUC-4 {split}",
            )
        )

    for lineno, line in enumerate(lines, start=1):
        m = _HEADER.match(line)
        if m:
            flush()
            current, body = (m.group(1), lineno), []
        elif current is not None:
            body.append(line)
        elif line.strip():
            raise DatasetError(
                f"{p}:{lineno}: text before the first message id line (expected a line like "
                "'DEV-MUC3-0001 (NOSC)')"
            )
    flush()
    if not out:
        raise DatasetError(f"{p}: no messages found (expected lines like 'DEV-MUC3-0001')")
    return out
