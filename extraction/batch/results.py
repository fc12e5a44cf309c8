"""The results file of a batch: append-only JSONL, one record per article, safe to resume.

Each :class:`ResultRecord` is written with a single ``write`` and made durable with ``fsync``
before the article counts as done, so a crash (``kill -9``, Ctrl-C, power loss) loses at most the
articles still in flight. Reopening the file repairs a torn last line (a write cut short by power
loss) by truncating it, and reports which articles are already done, so a rerun of the same command
continues where the last one stopped. When a run completes, :meth:`ResultsFile.finalize` rewrites
the file atomically (temporary file, ``fsync``, rename) in input order with one record per article:
an interrupted-and-resumed run ends with the same file as an uninterrupted one.

A record is identified by its ``key`` (the article id; ``@<file>:<line>`` for input that never
became an article) and ``run_key`` (the configuration that produced it: model, endpoint, prompt,
schema, parameters).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "results.jsonl"
>>> rec = ResultRecord.failure("a1", run_key="r1", kind="input", reason="is empty")
>>> with ResultsFile(path) as results:
...     state = results.open()
...     results.append([rec])
>>> _ = open(path, "ab").write(b'{"key": "a2", "run')  # a torn line, as a power cut leaves it
>>> with ResultsFile(path) as results:
...     state = results.open()
>>> state.is_done(("a1", "r1")), state.records, state.repaired_bytes
(True, 1, 18)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from extraction.batch.closing import Closing
from extraction.batch.results_lines import (
    MAX_RECORD_BYTES,
    ResultsFileError,
    check_results_file,
    is_torn_record,
    iter_lines,
    parse_line,
)
from extraction.batch.run_index import InputOrder, RunIndex
from extraction.errors import ERROR_KINDS, RETRYABLE_KINDS, ErrorKind
from extraction.redaction import Redactor
from schemas.article import Article
from schemas.records import ArticleExtraction, Usage

Identity = tuple[str, str]
"""(record key, run key)."""

_STATUSES = {s: s for s in ("ok", *ERROR_KINDS)}
__all__ = [
    "MAX_RECORD_BYTES",
    "ResultRecord",
    "ResultsFile",
    "ResultsFileError",
    "ResumeState",
    "check_results_file",
    "is_torn_record",
    "iter_lines",
    "read_records",
]


def identity_digest(identity: Identity | bytes) -> bytes:
    """16 bytes standing for an identity in the per-article sets a batch keeps (a third of the
    memory of the strings; collisions are negligible at 2**-64 for a billion articles).

    >>> a, b = identity_digest(("a1", "run:x")), identity_digest(("a1", "run:y"))
    >>> len(a), a == b
    (16, False)
    """
    if isinstance(identity, bytes):
        return identity
    key, run_key = identity
    return hashlib.blake2b(f"{key}\x00{run_key}".encode(), digest_size=16).digest()


class ErrorInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ErrorKind
    reason: str
    exception: str | None = Field(default=None, description="Exception class, for bug reports.")
    attempts: int | None = None
    retryable: bool = False


class ResultRecord(BaseModel):
    """One line of the results file."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(description="The article id, or '@<file>:<line>' for unreadable input.")
    article_id: str | None = None
    run_key: str
    status: Literal["ok", "error"]
    source: str | None = Field(default=None, description="Where the article came from.")
    article_sha256: str | None = None
    extraction: ArticleExtraction | None = None
    article: Article | None = Field(
        default=None,
        description="The article as read, its text included, when that text was derived from "
        "the input (the main text of a web page): the extraction's offsets index it.",
    )
    error: ErrorInfo | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = Field(
        default=None, description="What producing this record cost; null when the price is unknown."
    )
    cached: bool = Field(default=False, description="Served from the response cache, at no cost.")
    calls: int = Field(default=0, description="HTTP calls made for it in the run that wrote it.")
    chunks: int = 1
    finished_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def identity(self) -> Identity:
        return (self.key, self.run_key)

    @classmethod
    def failure(
        cls,
        key: str,
        *,
        run_key: str,
        kind: ErrorKind,
        reason: str,
        article_id: str | None = None,
        **kw: Any,
    ) -> ResultRecord:
        return cls(
            key=key,
            article_id=article_id,
            run_key=run_key,
            status="error",
            error=ErrorInfo(kind=kind, reason=reason, retryable=kind in RETRYABLE_KINDS),
            **kw,
        )


@dataclass(slots=True)
class ResumeState:
    """What an existing results file already holds."""

    # identity digest -> "ok" | error kind; a batch passes one kept on disk
    # (extraction.batch.run_index)
    done: MutableMapping[bytes, str] = field(default_factory=dict)
    run_keys: dict[str, int] = field(default_factory=dict)  # run key -> records
    records: int = 0
    repaired_bytes: int = 0

    def is_done(self, identity: Identity | bytes, *, retry_failed: bool = False) -> bool:
        status = self.done.get(identity_digest(identity))
        if status is None:
            return False
        return not (retry_failed and status not in ("ok", "input"))


def _status_of(obj: dict[str, Any]) -> str:
    if obj["status"] == "ok":
        return "ok"
    error = obj.get("error")
    kind = error.get("kind") if isinstance(error, dict) else None
    return _STATUSES.get(kind, "internal") if isinstance(kind, str) else "internal"


def read_records(path: str | Path) -> Iterator[ResultRecord]:
    """The records of a results file, validated; a bad line raises naming the file and line."""
    p = Path(path)
    for _, lineno, line in iter_lines(p):
        if not line.strip():
            continue
        try:
            yield ResultRecord.model_validate_json(line)
        except ValueError as exc:
            raise ResultsFileError(f"{p}:{lineno}: not a valid result record ({exc})") from None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ResultsFile(Closing):
    """The results file of one run, held open for appending under an exclusive lock."""

    def __init__(self, path: str | Path, *, redactor: Redactor | None = None) -> None:
        self.path = Path(path)
        self._redactor = redactor or Redactor()
        self._fd: int | None = None
        self._lock_fd: int | None = None
        self.index: RunIndex | None = None
        self.lock_path = self.path.with_name(f".{self.path.name}.lock")
        self._index_prefix = f".{self.path.name}.index-"

    # -- opening and resuming ------------------------------------------------------------------

    def _lock(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise self._unwritable(exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise ResultsFileError(
                f"{self.path}: another sitrep run is writing this file (lock {self.lock_path})"
            ) from None
        self._lock_fd = fd

    def _unwritable(self, exc: OSError) -> ResultsFileError:
        return ResultsFileError(
            f"{self.path}: cannot write the results file there ({exc.strerror or exc}); "
            "choose another --out"
        )

    def _remove_stale_temporaries(self) -> None:
        for pattern in (f".{self.path.name}.tmp-*", f"{self._index_prefix}*.sqlite"):
            for stale in self.path.parent.glob(pattern):
                with contextlib.suppress(OSError):
                    stale.unlink()

    def open(self, *, overwrite: bool = False) -> ResumeState:
        """Lock the file, repair a torn tail, and return what it already holds.

        Per-article state (what is done, then the input order and the plan of
        :meth:`finalize`) is kept in :attr:`index`, a :class:`~extraction.batch.run_index.RunIndex`
        beside the file, so memory does not grow with the number of articles. It is removed once
        nothing refers to it any more (the :class:`ResumeState` returned here reads it); one a
        crash leaves behind is removed by the next :meth:`open`."""
        self._lock()
        self._remove_stale_temporaries()
        if os.path.lexists(self.path) and not self.path.is_file():
            raise ResultsFileError(f"{self.path}: exists and is not a regular file")
        if overwrite and self.path.exists():
            self.check()  # only a sitrep results file is replaced
            self.path.unlink()
        self.index = RunIndex(self.path.parent, prefix=self._index_prefix)
        state = ResumeState(done=self.index.map("done"))
        if self.path.exists():
            self._scan(state)
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise self._unwritable(exc) from None
        return state

    def check(self) -> None:
        """Raise :class:`ResultsFileError`, naming the file and line, unless every line is a
        result record (a last line may be torn: see :func:`is_torn_record`). Reads the file
        without changing it."""
        check_results_file(self.path)

    def _scan(self, state: ResumeState) -> None:
        """Account for every record; cut a torn last line, and refuse any other line that is not
        a record (the file is then not sitrep's, and is left as it is)."""
        self.check()
        good_end = 0
        for offset, lineno, line in iter_lines(self.path):
            if is_torn_record(line):
                break  # the last line (check() made sure): a write that a crash cut short
            self._account(state, offset, lineno, line)
            good_end = offset + len(line)
        size = self.path.stat().st_size
        if good_end < size:
            state.repaired_bytes = size - good_end
            with self.path.open("r+b") as fh:
                fh.truncate(good_end)
                fh.flush()
                os.fsync(fh.fileno())

    def _account(self, state: ResumeState, offset: int, lineno: int, line: bytes) -> None:
        if not line.strip():
            return
        obj = parse_line(line, self.path, lineno)
        state.done[identity_digest((obj["key"], obj["run_key"]))] = _status_of(obj)
        state.run_keys[obj["run_key"]] = state.run_keys.get(obj["run_key"], 0) + 1
        state.records += 1

    # -- appending --------------------------------------------------------------------------

    def encode(self, record: ResultRecord) -> bytes:
        """The record as one line of JSON, with any secret redacted."""
        text = record.model_dump_json(exclude_none=False)
        return (self._redactor(text) + "\n").encode("utf-8")

    def append(self, records: Sequence[ResultRecord]) -> None:
        """Write ``records`` with one ``write`` and ``fsync`` them: on return they are on disk."""
        self.append_encoded([self.encode(r) for r in records])

    def append_encoded(self, lines: Sequence[bytes]) -> None:
        if self._fd is None:
            raise ResultsFileError(f"{self.path}: not open")
        data = b"".join(lines)
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    # -- finishing --------------------------------------------------------------------------

    def finalize(self, order: Iterable[Identity | bytes]) -> bool:
        """Rewrite the file atomically with the last record of each identity, in ``order``;
        records not in ``order`` (other configurations, articles no longer in the input) follow in
        file order, except input errors, which are re-derived from the input on every run.
        Returns whether the file changed.

        The plan is built in a :class:`~extraction.batch.run_index.RunIndex` (``order``'s own when
        it
        is an :class:`~extraction.batch.run_index.InputOrder`), so memory does not grow with the
        file."""
        if self._fd is None:
            raise ResultsFileError(f"{self.path}: not open")
        if isinstance(order, InputOrder):
            index, own = order.index, False
        else:
            index, own = RunIndex(self.path.parent, prefix=self._index_prefix), True
            for wanted in order:
                index.add_input(identity_digest(wanted))
        try:
            lines = self._plan(index)
            misplaced = index.execute(
                "SELECT COUNT(*) FROM plan a JOIN plan b ON b.seq = a.seq + 1 "
                "WHERE b.offset <= a.offset"
            ).fetchone()[0]
            planned = index.execute("SELECT COUNT(*) FROM plan").fetchone()[0]
            if planned == lines and misplaced == 0:
                return False  # already one record per identity, in order
            self._rewrite(index.execute("SELECT offset FROM plan ORDER BY seq"))
        finally:
            for table in ("plan", "records"):
                index.execute(f"DROP TABLE IF EXISTS {table}")
            if own:
                index.close()
        return True

    def _plan(self, index: RunIndex) -> int:
        """Fill ``plan`` with the offsets to copy, in order; returns the number of records."""
        index.execute(
            "CREATE TABLE records (digest BLOB PRIMARY KEY, offset INTEGER NOT NULL, "
            "input_error INTEGER NOT NULL) WITHOUT ROWID"
        )
        index.execute("CREATE TABLE plan (seq INTEGER PRIMARY KEY, offset INTEGER NOT NULL)")
        lines = 0
        for offset, lineno, line in iter_lines(self.path):
            if not line.strip():
                continue
            obj = parse_line(line, self.path, lineno)
            index.execute(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                (
                    identity_digest((obj["key"], obj["run_key"])),
                    offset,
                    1 if _status_of(obj) == "input" else 0,
                ),
            )
            lines += 1
        index.execute(
            "INSERT INTO plan (offset) SELECT r.offset FROM input i "
            "JOIN records r ON r.digest = i.digest WHERE i.first = 1 ORDER BY i.seq"
        )
        index.execute(
            "INSERT INTO plan (offset) SELECT offset FROM records WHERE input_error = 0 "
            "AND digest NOT IN (SELECT digest FROM input) ORDER BY offset"
        )
        return lines

    def _rewrite(self, offsets: Iterable[tuple[int]]) -> None:
        tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        with self.path.open("rb") as src, tmp.open("wb") as dst:
            for (offset,) in offsets:
                src.seek(offset)
                dst.write(src.readline())
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)
        assert self._fd is not None
        os.close(self._fd)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._lock_fd is not None:
            # The lock file stays: unlinking it would let a waiting run lock a dead inode.
            os.close(self._lock_fd)
            self._lock_fd = None
