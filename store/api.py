"""The event store as a library: add and remove runs, list, show and split incidents.

>>> import tempfile, pathlib
>>> from store.synthetic import result_record  # invented records, for examples and tests
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with EventStore(folder / "events.sqlite") as store:
...     first = store.add_records([result_record("a1", place="Koya", killed=2)])
...     second = store.add_records([result_record("a2", place="Koya", killed=5)])
...     again = store.add_records([result_record("a2", place="Koya", killed=5)])
...     ids = store.incident_ids()
...     incident = store.incident(ids[0])
>>> ids, [s.article_id for s in incident.sources], incident.fatalities
(['INC-000001'], ['a1', 'a2'], 2)
>>> again.unchanged, again.events
(1, 0)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from extraction.batch.closing import Closing
from extraction.batch.results import ResultRecord, iter_lines
from store import placement, review
from store.db import StoreFileError, connect
from store.incidents import Incident, build_incident
from store.reports import report_from_event
from store.rules import MergeRules, load_rules


class StoreError(RuntimeError):
    """A store operation that cannot be done; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What the result records do not carry about an article: where and when it was published."""

    outlet: str | None = None
    published: dt.date | None = None


@dataclass(slots=True)
class AddSummary:
    records: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    failed_records: int = 0
    events: int = 0
    out_of_scope: int = 0
    incidents_created: int = 0
    merged: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RunInfo:
    run_key: str
    producer: str | None
    articles: int
    reports: int
    first_added: str
    last_added: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _content_sha(record: ResultRecord, info: ArticleInfo) -> str:
    assert record.extraction is not None
    digest = hashlib.sha256()
    for e in record.extraction.events:
        digest.update(e.model_dump_json().encode())
        digest.update(b"\n")
    published = info.published.isoformat() if info.published else ""
    digest.update(json.dumps([info.outlet, published]).encode())
    return digest.hexdigest()


class EventStore(Closing):
    """One SQLite file of incidents merged from the result records of any number of runs."""

    def __init__(self, path: str | Path, *, rules: MergeRules | None = None, create: bool = True):
        self.path = Path(path)
        self.rules = rules or load_rules()
        try:
            self.con = connect(self.path, create=create)
        except StoreFileError as exc:
            raise StoreError(str(exc)) from None

    def close(self) -> None:
        self.con.close()

    # -- adding and removing ------------------------------------------------------------------

    def add(
        self, path: str | Path, *, articles: Mapping[str, ArticleInfo] | None = None
    ) -> AddSummary:
        """Add the result records of a results file (JSONL). A line that is not a result record
        is reported as ``file:line`` in :attr:`AddSummary.errors` and the rest still goes in."""
        p = Path(path)
        if not p.is_file():
            raise StoreError(f"{p}: no such results file")
        errors: list[str] = []

        def records() -> Iterator[ResultRecord]:
            for _, lineno, line in iter_lines(p):
                if not line.strip():
                    continue
                try:
                    yield ResultRecord.model_validate_json(line)
                except ValueError as exc:
                    first = str(exc).splitlines()
                    reason = " ".join(first[:3]) if first else type(exc).__name__
                    errors.append(f"{p}:{lineno}: not a valid result record ({reason})")

        summary = self.add_records(records(), articles=articles)
        summary.errors[:0] = errors
        return summary

    def add_records(
        self,
        records: Iterable[ResultRecord],
        *,
        articles: Mapping[str, ArticleInfo] | None = None,
    ) -> AddSummary:
        """Add result records in one transaction: all of them go in, or (on an error) none."""
        summary = AddSummary()
        touched: set[str] = set()
        now = _now()
        self.con.execute("BEGIN IMMEDIATE")
        try:
            for record in records:
                summary.records += 1
                self._add_one(record, articles or {}, summary, touched, now)
            placement.refresh_tolls(self.con, touched, now, cause="add")
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return summary

    def _add_one(
        self,
        record: ResultRecord,
        articles: Mapping[str, ArticleInfo],
        summary: AddSummary,
        touched: set[str],
        now: str,
    ) -> None:
        if record.status != "ok" or record.extraction is None:
            summary.failed_records += 1
            return
        article_id = record.article_id or record.extraction.article_id or record.key
        info = articles.get(article_id, ArticleInfo())
        sha = _content_sha(record, info)
        row = self.con.execute(
            "SELECT content_sha FROM articles WHERE run_key = ? AND article_id = ?",
            (record.run_key, article_id),
        ).fetchone()
        if row is not None and row[0] == sha:
            summary.unchanged += 1
            return
        producer = record.extraction.producer
        self.con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_key) DO UPDATE SET "
            "last_added = excluded.last_added",
            (record.run_key, producer.name, producer.kind, now, now),
        )
        if row is not None:
            summary.replaced += 1
            gone = review.detach(
                self.con, "run_key = ? AND article_id = ?", (record.run_key, article_id), now
            )
            touched |= review.recheck(self.con, gone, self.rules, now)
            self.con.execute(
                "DELETE FROM articles WHERE run_key = ? AND article_id = ?",
                (record.run_key, article_id),
            )
        else:
            summary.added += 1
        seq = self.con.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
        self.con.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.run_key,
                article_id,
                sha,
                record.source,
                info.outlet,
                info.published.isoformat() if info.published else None,
                record.article_sha256,
                seq,
            ),
        )
        for event in record.extraction.events:
            if event.standing.value not in self.rules.scope.standings:
                summary.out_of_scope += 1
                continue
            summary.events += 1
            report = report_from_event(event, run_key=record.run_key, article_id=article_id)
            incident, created = placement.place(self.con, report, event, self.rules, now)
            touched.add(incident)
            if created:
                summary.incidents_created += 1
            else:
                summary.merged += 1

    def _resolve_run(self, run: str) -> str:
        rows = [
            r[0]
            for r in self.con.execute(
                "SELECT run_key FROM runs WHERE run_key = ? OR run_key LIKE ? ESCAPE '\\'",
                (run, run.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"),
            )
        ]
        if run in rows:
            return run
        if len(rows) == 1:
            return str(rows[0])
        if not rows:
            raise StoreError(f"{self.path}: no run {run!r} in the store (see 'sitrep store runs')")
        raise StoreError(f"{self.path}: {run!r} names {len(rows)} runs; give more of the key")

    def remove_run(self, run: str) -> tuple[str, int]:
        """Remove every contribution of a run (its run key, or a unique prefix of it); returns
        the run key and the number of reports removed. Incidents left with no report are gone;
        the others keep their ids, and a report that only the removed ones tied to the rest is
        placed again."""
        run_key = self._resolve_run(run)
        now = _now()
        self.con.execute("BEGIN IMMEDIATE")
        try:
            n = self.con.execute(
                "SELECT COUNT(*) FROM reports WHERE run_key = ?", (run_key,)
            ).fetchone()[0]
            touched = review.detach(self.con, "run_key = ?", (run_key,), now)
            touched = review.recheck(self.con, touched, self.rules, now)
            self.con.execute("DELETE FROM articles WHERE run_key = ?", (run_key,))
            self.con.execute("DELETE FROM runs WHERE run_key = ?", (run_key,))
            placement.refresh_tolls(self.con, touched, now, cause=f"remove run {run_key}")
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return run_key, n

    # -- reviewing --------------------------------------------------------------------------

    def split(self, incident_id: str, refs: list[str], *, note: str | None = None) -> str:
        """Move the reports named by ``refs`` (``article/event``, or ``run:article/event`` when
        the article is in several runs) out of an incident into a new one, and remember that
        they are not the same incident as those left: a later add never merges them again."""
        now = _now()
        self.con.execute("BEGIN IMMEDIATE")
        try:
            new_id = review.split(self.con, incident_id, refs, now, note)
            placement.refresh_tolls(self.con, {incident_id, new_id}, now, cause="split")
            self.con.execute("COMMIT")
        except review.ReviewError as exc:
            self.con.execute("ROLLBACK")
            raise StoreError(f"{self.path}: {exc}") from None
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return new_id

    # -- reading ----------------------------------------------------------------------------

    def runs(self) -> list[RunInfo]:
        rows = self.con.execute(
            "SELECT r.run_key, r.producer, r.first_added, r.last_added, "
            "(SELECT COUNT(*) FROM articles a WHERE a.run_key = r.run_key), "
            "(SELECT COUNT(*) FROM reports p WHERE p.run_key = r.run_key) "
            "FROM runs r ORDER BY r.first_added, r.run_key"
        ).fetchall()
        return [RunInfo(r[0], r[1], r[4], r[5], r[2], r[3]) for r in rows]

    def incident_ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM incidents ORDER BY seq")]

    def incident(self, incident_id: str) -> Incident:
        if self.con.execute("SELECT 1 FROM incidents WHERE id = ?", (incident_id,)).fetchone():
            return build_incident(self.con, incident_id)
        raise StoreError(f"{self.path}: no incident {incident_id!r} (see 'sitrep store list')")

    def incidents(self) -> Iterator[Incident]:
        for incident_id in self.incident_ids():
            yield build_incident(self.con, incident_id)

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            value: int = self.con.execute(sql).fetchone()[0]
            return value

        return {
            "runs": one("SELECT COUNT(*) FROM runs"),
            "articles": one("SELECT COUNT(*) FROM articles"),
            "reports": one("SELECT COUNT(*) FROM reports"),
            "incidents": one("SELECT COUNT(*) FROM incidents"),
        }
