"""Article metadata kept beside the text: ``<stem>.meta.json`` for one file, ``metadata.jsonl``
(one object with an ``id`` per line) for a folder. ``sitrep extract``, ``sitrep label`` and the
eval set all read it here. A sidecar's fields win over the folder file's for the same article.

A folder's ``metadata.jsonl`` is indexed in a temporary SQLite file, so its size costs disk, not
memory; a bad line becomes an error naming the file and line, and the articles go on without it.

>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> rows = [{"id": "a1", "outlet": "UPI"}, "not an object"]
>>> _ = (folder / "metadata.jsonl").write_text("\\n".join(json.dumps(r) for r in rows))
>>> with FolderMetadata(folder) as meta:
...     meta.get("a1"), meta.get("a2"), [str(e) for e in meta.errors()]
({'outlet': 'UPI'}, None, ['...metadata.jsonl:2: expected a JSON object with a string id'])
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from schemas.input.reading import (
    MAX_LINE_BYTES,
    ArticleInputError,
    iter_lines_bounded,
    open_regular,
    read_bounded,
)

METADATA_FILE = "metadata.jsonl"
SIDECAR_SUFFIX = ".meta.json"
MAX_SIDECAR_BYTES = 1024 * 1024
_NOT_METADATA = frozenset({"id", "text", "html", "source_file"})


def is_metadata_name(name: str) -> bool:
    """Whether a file of this name holds metadata rather than an article."""
    return name == METADATA_FILE or name.endswith(SIDECAR_SUFFIX)


def _fields(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in _NOT_METADATA}


def read_sidecar(path: Path) -> tuple[Path, dict[str, Any]]:
    """``<stem>.meta.json`` beside ``path`` (its path, and its fields or ``{}`` when absent)."""
    meta_path = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not os.path.lexists(meta_path):
        return meta_path, {}
    data = read_bounded(meta_path, MAX_SIDECAR_BYTES)
    try:
        meta = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArticleInputError(meta_path, f"cannot be read as JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise ArticleInputError(meta_path, "expected a JSON object")
    return meta_path, _fields(meta)


class FolderMetadata:
    """The ``metadata.jsonl`` of a folder (empty when there is none), by article id."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / METADATA_FILE
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._db: sqlite3.Connection | None = None
        self._problem: ArticleInputError | None = None
        if os.path.lexists(self.path):
            self._load()

    def _load(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="sitrep-meta-")
        self._db = sqlite3.connect(os.path.join(self._tmp.name, "meta.sqlite"))
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("CREATE TABLE meta (id TEXT PRIMARY KEY, line INTEGER, json TEXT)")
        self._db.execute("CREATE TABLE errors (line INTEGER, reason TEXT, field TEXT)")
        try:
            fh = open_regular(self.path)
        except ArticleInputError as exc:
            self._problem = exc
            return
        with fh:
            for lineno, line in enumerate(iter_lines_bounded(fh, MAX_LINE_BYTES), start=1):
                if line is not None and not line.strip():
                    continue
                self._add(lineno, line)
        self._db.commit()

    def _add(self, lineno: int, line: bytes | None) -> None:
        assert self._db is not None
        if line is None:
            reason = f"is longer than the limit of {MAX_LINE_BYTES:,} bytes"
            self._db.execute("INSERT INTO errors VALUES (?, ?, NULL)", (lineno, reason))
            return
        try:
            obj = json.loads(line.decode("utf-8-sig" if lineno == 1 else "utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._db.execute(
                "INSERT INTO errors VALUES (?, ?, NULL)", (lineno, f"is not valid JSON ({exc})")
            )
            return
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            reason = "expected a JSON object with a string id"
            self._db.execute("INSERT INTO errors VALUES (?, ?, NULL)", (lineno, reason))
            return
        cur = self._db.execute(
            "INSERT OR IGNORE INTO meta VALUES (?, ?, ?)",
            (obj["id"], lineno, json.dumps(_fields(obj))),
        )
        if cur.rowcount == 0:
            reason = f"repeats the metadata of id {obj['id']!r}"
            self._db.execute("INSERT INTO errors VALUES (?, ?, 'id')", (lineno, reason))

    def get(self, article_id: str) -> dict[str, Any] | None:
        """The metadata fields of ``article_id``, or None."""
        if self._db is None:
            return None
        row = self._db.execute("SELECT json FROM meta WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def line_of(self, article_id: str) -> int | None:
        if self._db is None:
            return None
        row = self._db.execute("SELECT line FROM meta WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def errors(self) -> Iterator[ArticleInputError]:
        """The lines that could not be read, as errors naming the file and line."""
        if self._problem is not None:
            yield self._problem
        if self._db is None:
            return
        rows = self._db.execute("SELECT line, reason, field FROM errors ORDER BY line")
        for n, r, f in rows:
            yield ArticleInputError(self.path, r, line=n, field=f)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> FolderMetadata:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
