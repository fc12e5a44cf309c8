"""What a provider-batch run keeps beside its results file, so that a rerun after a crash or
Ctrl-C picks up its batches instead of paying for them again.

- ``<results>.openai-batch.json`` (:class:`BatchLedger`): every uploaded request file and the
  batch made from it, with its last known status; rewritten atomically after each change.
- ``<results>.openai-batch.sqlite`` (:class:`AnswerStore`): which request (``custom_id``, the
  call's cache key) went into which batch, and the raw answer or the provider's error for each
  one, as downloaded. The validated records go on to the response cache and the results file; this
  store holds what the provider sent, so nothing paid for is lost before then.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "results.jsonl"
>>> ledger = BatchLedger.load(out, run_key="run:1")
>>> ledger.add(BatchEntry(input_file_id="file-1", requests=2)).batch_id is None
True
>>> BatchLedger.load(out, run_key="run:1").batches[0].input_file_id
'file-1'
>>> with AnswerStore(out) as store:
...     store.plan(["k1", "k2"], 0)
...     store.put("k1", body={"id": "c1"}); store.put("k2", error="expired", kind="timeout")
...     store.answer("k1").body, store.answer("k2").kind, store.unanswered(0)
({'id': 'c1'}, 'timeout', [])
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from extraction.batch.closing import Closing

TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
"""Batch statuses after which nothing more will be answered."""


class BatchStateError(RuntimeError):
    """A ledger or answer store that cannot be used; the message names the file."""


def ledger_path(out: str | Path) -> Path:
    p = Path(out)
    return p.with_name(p.name + ".openai-batch.json")


def store_path(out: str | Path) -> Path:
    p = Path(out)
    return p.with_name(p.name + ".openai-batch.sqlite")


class BatchEntry(BaseModel):
    """One uploaded request file and the batch made from it (``batch_id`` is ``None`` until the
    provider has created it)."""

    input_file_id: str
    requests: int
    batch_id: str | None = None
    status: str | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    collected: bool = False
    reason: str | None = None  # why a failed batch failed, in the provider's words


class _LedgerFile(BaseModel):
    run_key: str
    batches: list[BatchEntry] = []


@dataclass
class BatchLedger:
    """The batches of one run, kept in ``<results>.openai-batch.json``."""

    path: Path
    run_key: str
    batches: list[BatchEntry]

    @classmethod
    def load(cls, out: str | Path, *, run_key: str) -> BatchLedger:
        """The ledger beside results file ``out``; a new one if there is none. One written by
        another configuration is refused (its batches answer other requests)."""
        path = ledger_path(out)
        if not path.exists():
            return cls(path, run_key, [])
        try:
            data = _LedgerFile.model_validate_json(path.read_bytes())
        except (OSError, ValidationError) as exc:
            raise BatchStateError(f"{path}: not a readable batch ledger ({exc})") from None
        if data.run_key != run_key:
            raise BatchStateError(
                f"{path}: holds the batches of another configuration (run key {data.run_key}; "
                f"this run is {run_key}); write to a new --out file or move the ledger aside"
            )
        return cls(path, run_key, data.batches)

    def add(self, entry: BatchEntry) -> BatchEntry:
        self.batches.append(entry)
        self.save()
        return entry

    def save(self) -> None:
        """Write the ledger atomically (temporary file, ``fsync``, rename)."""
        text = _LedgerFile(run_key=self.run_key, batches=self.batches).model_dump_json(indent=1)
        tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


@dataclass(frozen=True, slots=True)
class Answer:
    """The provider's answer to one request: a chat completion ``body``, or an ``error`` (its
    reason) with the error-record ``kind`` it maps to."""

    body: dict[str, Any] | None
    error: str | None
    kind: str | None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS planned (custom_id TEXT PRIMARY KEY, batch INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
  custom_id TEXT PRIMARY KEY, body TEXT, error TEXT, kind TEXT
);
"""


class AnswerStore(Closing):
    """The requests of a run's batches and their answers (``<results>.openai-batch.sqlite``)."""

    def __init__(self, out: str | Path) -> None:
        self.path = store_path(out)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db: sqlite3.Connection | None = sqlite3.connect(self.path, timeout=30)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise BatchStateError(f"{self.path}: cannot open the batch answers ({exc})") from None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise BatchStateError(f"{self.path}: already closed")
        return self._db

    def plan(self, custom_ids: Iterable[str], batch: int) -> None:
        """Record that ``custom_ids`` were sent in batch number ``batch`` of the ledger."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO planned (custom_id, batch) VALUES (?, ?)",
                ((c, batch) for c in custom_ids),
            )
            self.db.executemany(
                "DELETE FROM answers WHERE custom_id = ?", ((c,) for c in custom_ids)
            )

    def planned(self, custom_id: str) -> int | None:
        row = self.db.execute("SELECT batch FROM planned WHERE custom_id = ?", (custom_id,))
        found = row.fetchone()
        return None if found is None else int(found[0])

    def put(
        self,
        custom_id: str,
        *,
        body: dict[str, Any] | None = None,
        error: str | None = None,
        kind: str | None = None,
    ) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO answers (custom_id, body, error, kind) VALUES (?,?,?,?)",
                (custom_id, json.dumps(body) if body is not None else None, error, kind),
            )

    def answer(self, custom_id: str) -> Answer | None:
        row = self.db.execute(
            "SELECT body, error, kind FROM answers WHERE custom_id = ?", (custom_id,)
        ).fetchone()
        if row is None:
            return None
        body = json.loads(row[0]) if row[0] is not None else None
        return Answer(body=body, error=row[1], kind=row[2])

    def unanswered(self, batch: int) -> list[str]:
        """The requests of batch ``batch`` that have neither an answer nor an error."""
        rows = self.db.execute(
            "SELECT p.custom_id FROM planned p LEFT JOIN answers a USING (custom_id) "
            "WHERE p.batch = ? AND a.custom_id IS NULL ORDER BY p.rowid",
            (batch,),
        )
        return [r[0] for r in rows]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
