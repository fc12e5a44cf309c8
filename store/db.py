"""The store's SQLite file: its schema, and migrations from older versions.

``PRAGMA user_version`` holds the schema version; :func:`connect` creates a new file or upgrades
an older one in a transaction, and refuses a file written by a newer sitrep (or one that is not a
store), naming the file.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "events.sqlite"
>>> con = connect(path)
>>> con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
True
>>> sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))[:4]
['articles', 'cannot_link', 'decisions', 'figures']
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA_VERSION = 1
APPLICATION_ID = 0x53495452  # "SITR": marks the file as a sitrep event store
BUSY_TIMEOUT_S = 60.0
"""How long a command waits for another one writing the same store before giving up."""

_V1 = """
CREATE TABLE runs (
    run_key TEXT PRIMARY KEY,
    producer TEXT,
    producer_kind TEXT,
    first_added TEXT NOT NULL,
    last_added TEXT NOT NULL
);
CREATE TABLE articles (
    run_key TEXT NOT NULL REFERENCES runs(run_key),
    article_id TEXT NOT NULL,
    content_sha TEXT NOT NULL,
    source TEXT,
    outlet TEXT,
    published TEXT,
    article_sha256 TEXT,
    seq INTEGER NOT NULL,
    PRIMARY KEY (run_key, article_id)
);
CREATE INDEX articles_by_seq ON articles (seq);
CREATE TABLE incidents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    killed_low INTEGER, killed_best INTEGER, killed_high INTEGER, fatalities INTEGER,
    injured_low INTEGER, injured_best INTEGER, injured_high INTEGER
);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    run_key TEXT NOT NULL,
    article_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    incident_id TEXT REFERENCES incidents(id),
    event_json TEXT NOT NULL,
    event_type TEXT NOT NULL,
    sub_type TEXT NOT NULL,
    standing TEXT NOT NULL,
    date_start INTEGER,
    date_end INTEGER,
    long_span INTEGER NOT NULL,
    date_precision TEXT NOT NULL,
    date_phrase TEXT,
    country TEXT, admin1 TEXT, admin2 TEXT, place TEXT,
    latitude REAL, longitude REAL,
    perpetrators TEXT NOT NULL,
    targets TEXT NOT NULL,
    target_names TEXT NOT NULL,
    UNIQUE (run_key, article_id, event_id)
);
CREATE INDEX reports_by_date ON reports (event_type, long_span, date_start);
CREATE INDEX reports_undated ON reports (event_type, admin1) WHERE date_start IS NULL;
CREATE INDEX reports_by_admin1 ON reports (event_type, long_span, admin1, date_start);
CREATE INDEX reports_by_incident ON reports (incident_id);
CREATE INDEX reports_by_article ON reports (run_key, article_id);
CREATE INDEX reports_by_article_id ON reports (article_id);
CREATE TABLE figures (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    grp TEXT NOT NULL,
    low INTEGER, best INTEGER, high INTEGER,
    qualifier TEXT NOT NULL,
    quote TEXT,
    reported_by TEXT
);
CREATE INDEX figures_by_report ON figures (report_id);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    run_key TEXT NOT NULL,
    article_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    incident_id TEXT,
    score REAL,
    reasons TEXT NOT NULL
);
CREATE INDEX decisions_by_incident ON decisions (incident_id);
CREATE INDEX decisions_by_report ON decisions (run_key, article_id, event_id);
CREATE TABLE cannot_link (
    a_run TEXT NOT NULL, a_article TEXT NOT NULL, a_event TEXT NOT NULL,
    b_run TEXT NOT NULL, b_article TEXT NOT NULL, b_event TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (a_run, a_article, a_event, b_run, b_article, b_event)
);
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL,
    at TEXT NOT NULL,
    cause TEXT NOT NULL,
    kind TEXT NOT NULL,
    low INTEGER, best INTEGER, high INTEGER, conservative INTEGER
);
CREATE INDEX revisions_by_incident ON revisions (incident_id);
"""

MIGRATIONS: dict[int, str] = {1: _V1}
"""Version -> the SQL that brings a file from the version before it to this one."""


class StoreFileError(RuntimeError):
    """The store file cannot be used; the message names it and says what to do."""


def connect(path: str | Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating or upgrading) the store at ``path``."""
    p = Path(path)
    if not p.exists() and not create:
        raise StoreFileError(f"{p}: no such store (create one with 'sitrep store add')")
    if p.exists() and not p.is_file():
        raise StoreFileError(f"{p}: exists and is not a file")
    p.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(p, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA synchronous=NORMAL")
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        version = con.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        con.close()
        raise StoreFileError(f"{p}: not an SQLite file ({exc}); is it a sitrep store?") from None
    has_tables = con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] > 0
    if has_tables and app_id != APPLICATION_ID:
        con.close()
        raise StoreFileError(f"{p}: an SQLite file that is not a sitrep event store")
    if version > SCHEMA_VERSION:
        con.close()
        raise StoreFileError(
            f"{p}: written by a newer sitrep (store schema {version}, this one reads up to "
            f"{SCHEMA_VERSION}); upgrade sitrep"
        )
    if version < SCHEMA_VERSION:
        _migrate(con, version)
    return con


def _migrate(con: sqlite3.Connection, version: int) -> None:
    con.execute("BEGIN IMMEDIATE")
    try:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[target].split(";"):
                if statement.strip():
                    con.execute(statement)
        con.execute(f"PRAGMA application_id={APPLICATION_ID}")
        con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
