"""An on-disk response cache, so the same call is never paid for twice.

One SQLite file (WAL journal, safe to share between concurrent runs) maps a key to the extraction a
call produced. The key is a SHA-256 over everything that decides the answer: model, endpoint,
prompt hash, schema hash, sampling parameters and the article as the model sees it
(:func:`article_hash`). The API key is never part of it, and nothing secret is stored: endpoints are
kept without user info or credential query parameters.

Modes: ``read-write`` (default) reads hits and stores new results; ``read-only`` reads but never
writes (and never creates the file); ``off`` neither reads nor writes.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "cache.sqlite"
>>> key = cache_key(model="gpt-4.1-mini", endpoint=None, prompt_hash="p1", schema_hash="s1",
...                 parameters={"temperature": 0}, article_hash="a1")
>>> with ResponseCache(path) as cache:
...     cache.get(key) is None, cache.put(key, '{"x": 1}', model="gpt-4.1-mini"), cache.get(key)
(True, None, '{"x": 1}')
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from extraction.batch.closing import Closing
from extraction.redaction import Redactor, redact_url
from schemas.article import Article

CacheMode = Literal["read-write", "read-only", "off"]
CACHE_MODES: tuple[str, ...] = get_args(CacheMode)
CACHE_FORMAT = 1
"""Bumped when the key recipe or the stored value changes; old entries then simply miss."""

_ARTICLE_EXCLUDE = frozenset({"id", "source_file"})
"""Article fields that never reach the model: two files holding the same article share a key."""


class CacheError(RuntimeError):
    """The cache file cannot be opened or written; the message names the file."""


def article_hash(article: Article) -> str:
    """SHA-256 of the article as the model sees it (text and metadata; not its id or file).

    >>> a = Article(id="a", text="Iran struck Koya.")
    >>> article_hash(a) == article_hash(a.model_copy(update={"id": "b", "source_file": "x.txt"}))
    True
    >>> article_hash(a) == article_hash(a.model_copy(update={"text": "Iran struck Erbil."}))
    False
    """
    data = article.model_dump(mode="json", exclude=set(_ARTICLE_EXCLUDE))
    return hashlib.sha256(_canonical(data).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def cache_key(
    *,
    model: str,
    endpoint: str | None,
    prompt_hash: str | None,
    schema_hash: str | None,
    parameters: Mapping[str, Any],
    article_hash: str,
) -> str:
    """The key of one call. Parameters are canonicalised, so their order does not matter.

    >>> k = dict(model="m", endpoint="http://h/v1", prompt_hash="p", schema_hash="s",
    ...          article_hash="a")
    >>> cache_key(parameters={"a": 1, "b": 2}, **k) == cache_key(parameters={"b": 2, "a": 1}, **k)
    True
    >>> cache_key(parameters={"a": 1}, **k) == cache_key(parameters={"a": 2}, **k)
    False
    """
    payload = {
        "format": CACHE_FORMAT,
        "model": model,
        "endpoint": redact_url(endpoint),
        "prompt_hash": prompt_hash,
        "schema_hash": schema_hash,
        "parameters": dict(parameters),
        "article": article_hash,
    }
    return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class CacheStats:
    hits: int = 0
    misses: int = 0
    writes: int = 0


_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    model TEXT,
    endpoint TEXT,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
"""


class ResponseCache(Closing):
    """The SQLite response cache. Not thread-safe: use it from one thread (the event loop)."""

    def __init__(
        self,
        path: str | Path,
        mode: CacheMode = "read-write",
        *,
        redactor: Redactor | None = None,
    ) -> None:
        if mode not in CACHE_MODES:
            raise ValueError(f"cache mode must be one of {', '.join(CACHE_MODES)}, not {mode!r}")
        self.path = Path(path)
        self.mode: CacheMode = mode
        self.stats = CacheStats()
        self._redactor = redactor or Redactor()
        self._db: sqlite3.Connection | None = None
        if mode == "off":
            return
        try:
            if mode == "read-only":
                if self.path.exists():
                    uri = f"{self.path.resolve().as_uri()}?mode=ro"
                    self._db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot open the response cache ({exc})") from None

    @property
    def readable(self) -> bool:
        return self._db is not None

    @property
    def writable(self) -> bool:
        return self._db is not None and self.mode == "read-write"

    def get(self, key: str) -> str | None:
        """The stored value for ``key``, or ``None`` (a miss, or the cache is off)."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):  # a read-only open of a file never written to
                row = None
            else:
                raise CacheError(f"{self.path}: cannot read the response cache ({exc})") from None
        if row is None:
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return str(row[0])

    def put(
        self, key: str, value: str, *, model: str | None = None, endpoint: str | None = None
    ) -> None:
        """Store ``value`` under ``key`` (read-write mode only; otherwise a no-op)."""
        if not self.writable or self._db is None:
            return
        if self._redactor.contains_secret(value):
            raise CacheError(f"{self.path}: refusing to store a value that contains a secret")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, value, model, endpoint, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, value, model, redact_url(endpoint), now),
            )
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot write the response cache ({exc})") from None
        self.stats.writes += 1

    def __len__(self) -> int:
        if self._db is None:
            return 0
        try:
            return int(self._db.execute("SELECT count(*) FROM responses").fetchone()[0])
        except sqlite3.OperationalError:
            return 0

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
