"""Writing an export without ever losing a user's file.

An existing ``--out`` file is replaced only when it is a previous export of the same format
(recognised by its first line) or when ``overwrite`` is given; the new file is written beside it
and renamed over it, so an interrupted export leaves the old file whole.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "notes.csv"
>>> _ = out.write_text("my own notes\\n")
>>> with atomic_export(out, looks_like=lambda first: first.startswith("id,")) as fh:
...     _ = fh.write("id,x\\n")
Traceback (most recent call last):
...
store.output.ExportError: ...notes.csv: exists and is not a previous export of this format; ...
>>> out.read_text()
'my own notes\\n'
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO


class ExportError(RuntimeError):
    """The export cannot be written; the message names the file and what to do."""


def _first_line(path: Path) -> str:
    try:
        with path.open("r", encoding="utf-8", newline="") as fh:
            return fh.readline(1_000_000)
    except (OSError, UnicodeDecodeError):
        return ""


@contextlib.contextmanager
def atomic_export(
    path: str | Path, *, looks_like: Callable[[str], bool], overwrite: bool = False
) -> Iterator[TextIO]:
    """A text file to write the export into; it replaces ``path`` when the block ends."""
    p = Path(path)
    if p.exists():
        if not p.is_file():
            raise ExportError(f"{p}: exists and is not a file; choose another --out")
        if not overwrite and not looks_like(_first_line(p)):
            raise ExportError(
                f"{p}: exists and is not a previous export of this format; choose another "
                "--out, or pass --overwrite to replace it"
            )
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def is_csv_header(first_line: str, columns: Sequence[str]) -> bool:
    """Whether a file's first line is the CSV header of ``columns``.

    >>> is_csv_header("id,x\\r\\n", ["id", "x"]), is_csv_header("id,y\\n", ["id", "x"])
    (True, False)
    """
    return first_line.rstrip("\r\n") == ",".join(columns)


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], fh: TextIO) -> int:
    """Write a header of ``columns`` and then ``rows``; return the number of rows written."""
    writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    n = 0
    for r in rows:
        writer.writerow(r)
        n += 1
    return n
