"""What a batch remembers per article, kept on disk so that its memory stays flat however long the
input is: :class:`RunIndex`, a scratch SQLite file, and :class:`DigestMap`, one table of it seen
as a mapping from a 16-byte identity digest (:func:`extraction.batch.results.identity_digest`) to a
string.

A batch of N articles needs four such things: the article ids already read (to mark a repeated id),
the identities in input order (to write the finished file in that order, and to total the run),
what the results file already holds (to resume), and where each record sits in the file (to
rewrite it in order). In memory they cost about half a kilobyte an article; here they cost a few
hundred bytes of disk, and SQLite's page cache (2 MB) bounds the memory.

The file is scratch: no journal, no ``fsync``, removed on :meth:`RunIndex.close` (or when the
object is collected). Nothing in it is needed after a crash: a resumed run rebuilds it from the
results file and the input.

>>> with RunIndex() as index:
...     seen = index.map("seen")
...     seen[b"a" * 16] = "a.txt"
...     index.add_input(b"a" * 16); index.add_input(b"b" * 16)
...     seen.get(b"a" * 16), b"b" * 16 in seen, list(index.inputs()) == [b"a" * 16, b"b" * 16]
('a.txt', False, True)
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator, MutableMapping
from pathlib import Path

from extraction.batch.closing import Closing

_BATCH = 2000  # statements between commits


def _remove(path: str, conn: sqlite3.Connection) -> None:
    with contextlib.suppress(Exception):
        conn.close()
    with contextlib.suppress(OSError):
        os.unlink(path)


class RunIndex(Closing):
    """A scratch SQLite file in ``directory`` (the system's temporary folder by default), named
    ``<prefix>XXXXXXXX.sqlite``."""

    def __init__(self, directory: str | Path | None = None, prefix: str = "sitrep-run-") -> None:
        fd, self.path = tempfile.mkstemp(prefix=prefix, suffix=".sqlite", dir=directory)
        os.close(fd)
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._closer = weakref.finalize(self, _remove, self.path, self._conn)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-2048"):
            self._conn.execute(f"PRAGMA {pragma}")
        self._conn.execute(
            "CREATE TABLE input (seq INTEGER PRIMARY KEY, digest BLOB NOT NULL, "
            "first INTEGER NOT NULL)"
        )
        self._conn.execute("CREATE INDEX input_digest ON input (digest)")
        self._pending = 0
        self._conn.execute("BEGIN")

    def _wrote(self) -> None:
        self._pending += 1
        if self._pending >= _BATCH:
            self._conn.execute("COMMIT")
            self._conn.execute("BEGIN")
            self._pending = 0

    def execute(self, sql: str, args: tuple[object, ...] = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, args)

    def map(self, name: str) -> DigestMap:
        """The table ``name`` (created if new) as a mapping from digest to text."""
        return DigestMap(self, name)

    # -- the identities in input order -------------------------------------------------------

    def add_input(self, digest: bytes) -> None:
        """Record the next identity read from the input."""
        first = self.has_input(digest)
        self._conn.execute(
            "INSERT INTO input (digest, first) VALUES (?, ?)", (digest, 0 if first else 1)
        )
        self._wrote()

    def has_input(self, digest: bytes) -> bool:
        cur = self._conn.execute("SELECT 1 FROM input WHERE digest = ? LIMIT 1", (digest,))
        return cur.fetchone() is not None

    def inputs(self, *, first_only: bool = False) -> Iterator[bytes]:
        """The identities in input order (each once with ``first_only``), streamed."""
        where = " WHERE first = 1" if first_only else ""
        cur = self._conn.execute(f"SELECT digest FROM input{where} ORDER BY seq")
        for (digest,) in cur:
            yield bytes(digest)

    @property
    def input_count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM input").fetchone()[0])

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Remove the file."""
        self._closer()


class InputOrder:
    """The identities a batch read, in input order, as a collection (``in``, iteration,
    ``len``) backed by a :class:`RunIndex`; what :class:`~extraction.batch.run.BatchResult` hands
    the summary."""

    def __init__(self, index: RunIndex) -> None:
        self.index = index

    def __contains__(self, item: object) -> bool:
        return isinstance(item, bytes) and self.index.has_input(item)

    def __iter__(self) -> Iterator[bytes]:
        return self.index.inputs()

    def __len__(self) -> int:
        return self.index.input_count


class DigestMap(MutableMapping[bytes, str]):
    """One table of a :class:`RunIndex`: digest -> text."""

    def __init__(self, index: RunIndex, name: str) -> None:
        if not name.isidentifier():
            raise ValueError(f"not a table name: {name!r}")
        self._index = index
        self._table = name
        index.execute(
            f"CREATE TABLE IF NOT EXISTS {name} (digest BLOB PRIMARY KEY, value TEXT NOT NULL) "
            "WITHOUT ROWID"
        )

    def __getitem__(self, digest: bytes) -> str:
        row = self._index.execute(
            f"SELECT value FROM {self._table} WHERE digest = ?", (digest,)
        ).fetchone()
        if row is None:
            raise KeyError(digest)
        return str(row[0])

    def __setitem__(self, digest: bytes, value: str) -> None:
        self._index.execute(
            f"INSERT INTO {self._table} (digest, value) VALUES (?, ?) "
            "ON CONFLICT (digest) DO UPDATE SET value = excluded.value",
            (digest, value),
        )
        self._index._wrote()

    def __delitem__(self, digest: bytes) -> None:
        gone = self._index.execute(
            f"DELETE FROM {self._table} WHERE digest = ?", (digest,)
        ).rowcount
        if gone == 0:
            raise KeyError(digest)
        self._index._wrote()

    def __iter__(self) -> Iterator[bytes]:
        cur = self._index.execute(f"SELECT digest FROM {self._table}")
        for (digest,) in cur:  # streamed: do not change the table while iterating
            yield bytes(digest)

    def __len__(self) -> int:
        return int(self._index.execute(f"SELECT COUNT(*) FROM {self._table}").fetchone()[0])
