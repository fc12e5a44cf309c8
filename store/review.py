"""Taking reports out of incidents: removing a run's reports, re-checking what they held
together, and a reviewer's split.

When reports go, the merges they caused go with them: the reports left in an incident stay
together only as far as they merge with each other. A split is kept as cannot-link pairs keyed by
(run, article, event), which survive removing and re-adding the run.
"""

from __future__ import annotations

import sqlite3
from itertools import combinations

from store.merge import decide
from store.placement import REPORT_COLUMNS, new_incident, record, report_of
from store.reports import Report
from store.rules import MergeRules


class ReviewError(ValueError):
    """A split that cannot be made; the message says what to name instead."""


def detach(con: sqlite3.Connection, where: str, params: tuple[object, ...], now: str) -> set[str]:
    """Remove the reports matching ``where``; incidents left empty are deleted (their ids are
    never reused). Returns the incidents that remain and lost a report."""
    rows = con.execute(
        f"SELECT id, run_key, article_id, event_id, incident_id FROM reports WHERE {where}",
        params,
    ).fetchall()
    touched: set[str] = set()
    for rid, run_key, article_id, event_id, incident_id in rows:
        con.execute("DELETE FROM figures WHERE report_id = ?", (rid,))
        con.execute("DELETE FROM reports WHERE id = ?", (rid,))
        record(con, now, "removed", (run_key, article_id, event_id), incident_id, None, [])
        touched.add(incident_id)
    gone = set()
    for incident_id in touched:
        left = con.execute(
            "SELECT 1 FROM reports WHERE incident_id = ? LIMIT 1", (incident_id,)
        ).fetchone()
        if left is None:
            con.execute("DELETE FROM incidents WHERE id = ?", (incident_id,))
            gone.add(incident_id)
        else:
            con.execute("UPDATE incidents SET updated_at = ? WHERE id = ?", (now, incident_id))
    return touched - gone


def _parse_ref(ref: str) -> tuple[str | None, str, str]:
    run: str | None = None
    rest = ref
    if ":" in ref:
        run, rest = ref.rsplit(":", 1)
    if "/" not in rest:
        raise ReviewError(f"{ref!r} is not a report reference (article/event, e.g. a1/E1)")
    article, event = rest.rsplit("/", 1)
    return run, article, event


def split(
    con: sqlite3.Connection, incident_id: str, refs: list[str], now: str, note: str | None
) -> str:
    rows = con.execute(
        "SELECT id, run_key, article_id, event_id FROM reports WHERE incident_id = ?",
        (incident_id,),
    ).fetchall()
    if not rows:
        raise ReviewError(f"no incident {incident_id!r}")
    moving: list[tuple[int, str, str, str]] = []
    for ref in refs:
        run, article, event = _parse_ref(ref)
        hits = [r for r in rows if r[2] == article and r[3] == event and run in (None, r[1])]
        if not hits:
            raise ReviewError(f"{incident_id} has no report {ref!r}")
        if len(hits) > 1:
            runs = ", ".join(h[1] for h in hits)
            raise ReviewError(f"{ref!r} is in several runs ({runs}); write run:{ref}")
        moving.append(hits[0])
    staying = [r for r in rows if r not in moving]
    if not staying:
        raise ReviewError(f"splitting {incident_id} would leave it empty; name fewer reports")
    new_id = new_incident(con, now)
    for rid, run_key, article, event in moving:
        con.execute("UPDATE reports SET incident_id = ? WHERE id = ?", (new_id, rid))
        reasons = {"split_from": incident_id, "note": note}
        record(con, now, "split", (run_key, article, event), new_id, None, reasons)
        for _, s_run, s_article, s_event in staying:
            con.execute(
                "INSERT OR IGNORE INTO cannot_link VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (run_key, article, event, s_run, s_article, s_event, now, note),
            )
    con.execute("UPDATE incidents SET updated_at = ? WHERE id = ?", (now, incident_id))
    return new_id


def _groups(reports: list[Report], rules: MergeRules) -> list[int]:
    """For each report, the first report of the group it belongs to: reports that merge with
    each other, directly or through others of the list.

    >>> from store.rules import load_rules
    >>> _groups([], load_rules())
    []
    """
    parent = list(range(len(reports)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in combinations(range(len(reports)), 2):
        ri, rj = root(i), root(j)
        if ri != rj and decide(reports[i], reports[j], rules).merge:
            parent[max(ri, rj)] = min(ri, rj)
    return [root(i) for i in range(len(reports))]


def recheck(con: sqlite3.Connection, incidents: set[str], rules: MergeRules, now: str) -> set[str]:
    """Split ``incidents`` where the reports left no longer hold together: the reports that
    merge with each other, directly or through others left, stay with the oldest report and its
    id; each other group becomes a new incident. Returns every incident that changed."""
    changed = set(incidents)
    for incident_id in sorted(incidents):
        rows = con.execute(
            f"SELECT {REPORT_COLUMNS} FROM reports WHERE incident_id = ? ORDER BY id",
            (incident_id,),
        ).fetchall()
        reports = [report_of(row) for row in rows]
        groups = _groups([r for _, _, r in reports], rules)
        new_ids: dict[int, str] = {}
        for (rid, _, r), g in zip(reports, groups, strict=True):
            if g == 0:
                continue
            if g not in new_ids:
                new_ids[g] = new_incident(con, now)
                changed.add(new_ids[g])
            con.execute("UPDATE reports SET incident_id = ? WHERE id = ?", (new_ids[g], rid))
            reasons = {"split_from": incident_id, "why": "the reports that tied it in are gone"}
            record(con, now, "re-placed", r, new_ids[g], None, reasons)
    return changed
