"""What ``sitrep extract`` checks before any work, so that nothing a user has is lost and every
refusal comes before the first call.

- Every input path exists (else a usage error naming it).
- Two input files never give the same article id (file names are ids): both are named.
- ``--out`` is never an input, through symbolic links, hard links or any other name of the same
  file (compared by device and inode); it is a regular file if it exists, and then a sitrep
  results file (every line a result record, the last possibly torn), with or without
  ``--overwrite``; it can be written; a missing folder for it is created, and the user told.
- Each input folder says in one line which entries it leaves out and why.

Every problem is one line naming the path, and exit code 2.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extraction.batch.results import ResultsFileError, check_results_file
from schemas.input.folder import FolderListing, file_identity
from schemas.input.ids import id_from_name
from schemas.input.reading import os_reason


class PreflightError(ValueError):
    """A reason to refuse the command before any work; the message names the path."""


@dataclass(slots=True)
class Preflight:
    """What the checks found: lines to tell the user, and how many input items there are."""

    notes: list[str] = field(default_factory=list)
    total: int = 0


def _input_files(path: Path, notes: list[str]) -> Iterator[Path]:
    """The article files ``path`` stands for (itself, or a folder's), noting what was skipped."""
    if not stat.S_ISDIR(os.stat(path).st_mode):
        yield path
        return
    listing = FolderListing(path)
    for name in listing.articles():
        yield path / name
    line = listing.summary_line()
    if line:
        notes.append(line)


def _count_lines(path: Path) -> int:
    """Non-blank lines of a JSONL file, counted a block at a time (no line is held whole)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return 1
    count, content = 0, False
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return 1
        while block := fh.read(1 << 20):
            *ended, rest = block.split(b"\n")
            for piece in ended:
                count += content or bool(piece.strip())
                content = False
            content = content or bool(rest.strip())
    return count + content


class _Ids:
    """Article ids given by file names, kept in a temporary SQLite file (a folder of a million
    files costs disk, not memory), to find two files that would share one."""

    def __init__(self, tmp: str) -> None:
        self.db = sqlite3.connect(os.path.join(tmp, "ids.sqlite"))
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("CREATE TABLE ids (id TEXT PRIMARY KEY, path TEXT)")

    def add(self, article_id: str, path: Path) -> None:
        cur = self.db.execute("INSERT OR IGNORE INTO ids VALUES (?, ?)", (article_id, str(path)))
        if cur.rowcount == 0:
            (first,) = self.db.execute(
                "SELECT path FROM ids WHERE id = ?", (article_id,)
            ).fetchone()
            what = "the same file given twice" if first == str(path) else "rename one"
            raise PreflightError(
                f"{first} and {path} would both have the article id {article_id!r} "
                f"(an id is the file name without its extension): {what}"
            )


def check_inputs(paths: Sequence[Path], out: Path | None) -> Preflight:
    """Check the inputs (and ``out`` against them); raise :class:`PreflightError`."""
    found = Preflight()
    out_id = file_identity(out) if out is not None else None
    with tempfile.TemporaryDirectory(prefix="sitrep-preflight-") as tmp:
        ids = _Ids(tmp)
        try:
            for path in paths:
                try:
                    os.stat(path)
                except OSError as exc:
                    raise PreflightError(f"{path}: {os_reason(exc)}") from None
                for file in _input_files(path, found.notes):
                    if out_id is not None and file_identity(file) == out_id:
                        raise PreflightError(
                            f"--out {out} is the input {file} (the same file): results would "
                            "overwrite it; write them to another file"
                        )
                    if file.suffix == ".jsonl":
                        found.total += _count_lines(file)
                    else:
                        found.total += 1
                        ids.add(id_from_name(file.stem), file)
        finally:
            ids.db.close()
    return found


def check_out(out: Path, notes: list[str]) -> None:
    """Make sure results can go to ``out`` without harming anything (see the module docstring);
    create its folder if missing, noting so."""
    if os.path.lexists(out):
        try:
            mode = os.stat(out).st_mode
        except OSError as exc:
            raise PreflightError(f"--out {out}: {os_reason(exc)}") from None
        if stat.S_ISDIR(mode):
            raise PreflightError(
                f"--out {out} is a folder; give a file name, e.g. {out}/results.jsonl"
            )
        if not stat.S_ISREG(mode):
            raise PreflightError(f"--out {out} is not a regular file; give a .jsonl file name")
        try:
            check_results_file(out)
            fd = os.open(out, os.O_WRONLY | os.O_APPEND)
            os.close(fd)
        except ResultsFileError as exc:
            raise PreflightError(str(exc)) from None
        except OSError as exc:
            raise PreflightError(f"--out {out} cannot be written ({exc.strerror or exc})") from None
        return
    parent = out.parent
    if not parent.exists():
        try:
            parent.mkdir(parents=True)
        except OSError as exc:
            raise PreflightError(
                f"--out {out}: cannot create the folder {parent} ({exc.strerror or exc})"
            ) from None
        notes.append(f"created the folder {parent} for --out")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{out.name}.probe-", dir=parent)
    except OSError as exc:
        raise PreflightError(
            f"--out {out} cannot be written in {parent} ({exc.strerror or exc})"
        ) from None
    os.close(fd)
    os.unlink(probe)
