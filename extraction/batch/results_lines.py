"""The lines of a results file: reading them bounded, and telling a sitrep results file from any
other file before anything is written to it.

A results file holds one JSON result record per line. Every record sitrep writes begins
``{"key":`` and has ``run_key`` and ``status``; the last line may be torn (no newline: a write a
crash cut short). A file with any other line is not sitrep's, and is never changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from schemas.input.folder import RESULT_RECORD_START
from schemas.input.reading import iter_lines_bounded


class ResultsFileError(RuntimeError):
    """The results file cannot be used; the message names the file (and line)."""


def parse_line(line: bytes, path: Path, lineno: int) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsFileError(
            f"{path}:{lineno}: not a sitrep result record (not valid JSON: {exc})"
        ) from None
    if not isinstance(obj, dict) or not isinstance(obj.get("key"), str):
        raise ResultsFileError(f"{path}:{lineno}: not a sitrep result record (no 'key')")
    if not isinstance(obj.get("run_key"), str) or obj.get("status") not in ("ok", "error"):
        raise ResultsFileError(f"{path}:{lineno}: not a sitrep result record (run_key/status)")
    return obj


MAX_RECORD_BYTES = 64 * 1024 * 1024
"""Longest line a results file may hold; a longer one means the file is not a results file."""


def iter_lines(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """(offset, line number, line with its newline) for every line of ``path``, streaming; a line
    longer than :data:`MAX_RECORD_BYTES` raises :class:`ResultsFileError` unread."""
    offset = 0
    with path.open("rb") as fh:
        for lineno, line in enumerate(iter_lines_bounded(fh, MAX_RECORD_BYTES), start=1):
            if line is None:
                raise ResultsFileError(
                    f"{path}:{lineno}: not a sitrep result record (a line of more than "
                    f"{MAX_RECORD_BYTES:,} bytes)"
                )
            yield offset, lineno, line
            offset += len(line)


def is_torn_record(line: bytes) -> bool:
    """Whether ``line`` can be a result record cut short by a crash: no newline at its end, and
    it begins as every record does (``{"key":``), or is a first part of that, before any NUL
    bytes (what a file system leaves of blocks never written).

    >>> is_torn_record(b'{"key": "a2", "run'), is_torn_record(b'{"ke'), is_torn_record(b"\\0\\0")
    (True, True, True)
    >>> is_torn_record(b'{"id": 1}'), is_torn_record(b'{"key": "a2"}\\n')
    (False, False)
    """
    if line.endswith(b"\n"):
        return False
    body = line.rstrip(b"\x00")
    return body.startswith(RESULT_RECORD_START) or RESULT_RECORD_START.startswith(body)


def check_results_file(path: Path) -> None:
    """Raise :class:`ResultsFileError` naming the file and line unless ``path`` holds only result
    records, its last line possibly torn; never changes the file."""
    with path.open("rb") as fh:
        start = fh.read(len(RESULT_RECORD_START))
    if start.strip() and not is_torn_record(start.split(b"\n")[0]):
        raise ResultsFileError(
            f"{path}:1: not a sitrep result record; sitrep writes only to its own results "
            "files: choose another --out"
        )
    last: tuple[int, bytes] | None = None
    for _, lineno, line in iter_lines(path):
        if last is not None:
            _check_line(path, *last)
        last = (lineno, line)
    if last is not None and not is_torn_record(last[1]):
        _check_line(path, *last)


def _check_line(path: Path, lineno: int, line: bytes) -> None:
    if not line.strip():
        return
    try:
        parse_line(line, path, lineno)
    except ResultsFileError as exc:
        raise ResultsFileError(
            f"{exc}; sitrep writes only to its own results files: choose another --out"
        ) from None
