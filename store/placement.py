"""Where a report goes: into an existing incident, or a new one, with the reasons recorded.

Candidates come from the indexes (same event type, date windows that can overlap, the same or an
unknown governorate, the same article in other runs), so each report is compared with a few
incidents, not the whole store.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable

from schemas.event import AttackEvent
from store.casualties import Figure, reconcile, total
from store.merge import IncidentDecision, choose, decide_incident
from store.reports import SEP, Report
from store.rules import PLACE_LEVELS, MergeRules

LONG_SPAN_DAYS = 7
"""Windows up to this many days (a day, a week) are indexed as short; months and years as long."""
_MAX_SPAN = 366
REPORT_COLUMNS = (
    "id, run_key, article_id, event_id, incident_id, event_type, sub_type, standing, "
    "date_start, date_end, date_precision, date_phrase, country, admin1, admin2, place, "
    "latitude, longitude, perpetrators, targets, target_names"
)
_KEPT_APART = 3
"""How many kept-apart candidates a decision records with its reasons."""


def report_of(row: tuple[object, ...]) -> tuple[int, str, Report]:
    (rid, run_key, article_id, event_id, incident_id, event_type, sub_type, standing) = row[:8]
    (start, end, precision, phrase, country, admin1, admin2, place) = row[8:16]
    lat, lon, perps, targets, names = row[16:21]
    report = Report(
        run_key=str(run_key),
        article_id=str(article_id),
        event_id=str(event_id),
        event_type=str(event_type),
        sub_type=str(sub_type),
        standing=str(standing),
        date_start=start if isinstance(start, int) else None,
        date_end=end if isinstance(end, int) else None,
        date_precision=str(precision),
        date_phrase=phrase if isinstance(phrase, str) else None,
        country=country if isinstance(country, str) else None,
        admin1=admin1 if isinstance(admin1, str) else None,
        admin2=admin2 if isinstance(admin2, str) else None,
        place=place if isinstance(place, str) else None,
        latitude=float(lat) if isinstance(lat, int | float) else None,
        longitude=float(lon) if isinstance(lon, int | float) else None,
        perpetrators=frozenset(str(perps).split(SEP)) - {""},
        targets=frozenset(str(targets).split(SEP)) - {""},
        target_names=frozenset(str(names).split(SEP)) - {""},
    )
    return int(str(rid)), str(incident_id), report


def _candidate_incidents(con: sqlite3.Connection, r: Report, rules: MergeRules) -> list[str]:
    """Incidents with a report that ``r`` could be merged with (the blocking step): the same
    article's reports in other runs, and reports of the same event type whose dates can overlap
    and whose governorate is the same or unknown."""
    same_article = "SELECT DISTINCT incident_id FROM reports WHERE article_id = ? AND run_key != ?"
    found: set[str] = {row[0] for row in con.execute(same_article, (r.article_id, r.run_key))}
    by_admin1 = "SELECT DISTINCT incident_id FROM reports WHERE event_type = ? AND admin1 = ?"
    if r.dated:
        assert r.date_start is not None and r.date_end is not None
        slack = rules.blocking.date_slack_days
        places = [("admin1 = ?", (r.admin1,)), ("admin1 IS NULL", ())] if r.admin1 else [("1", ())]
        for long_span, reach in ((0, LONG_SPAN_DAYS), (1, _MAX_SPAN)):
            for cond, extra in places:
                sql = (
                    "SELECT DISTINCT incident_id FROM reports WHERE event_type = ? "
                    f"AND long_span = ? AND {cond} AND date_start BETWEEN ? AND ?"
                )
                window = (r.date_start - slack - reach, r.date_end + slack)
                params = (r.event_type, long_span, *extra, *window)
                found.update(row[0] for row in con.execute(sql, params))
        if r.admin1:
            sql = by_admin1 + " AND date_start IS NULL"
            found.update(row[0] for row in con.execute(sql, (r.event_type, r.admin1)))
        return sorted(found)
    level = PLACE_LEVELS.index(rules.blocking.undated_min_place_level)
    if all(getattr(r, lv) is None for lv in PLACE_LEVELS[level:]):
        return sorted(found)  # undated and placed too vaguely: only the same article
    if r.admin1:
        found.update(row[0] for row in con.execute(by_admin1, (r.event_type, r.admin1)))
    elif r.country:
        sql = "SELECT DISTINCT incident_id FROM reports WHERE event_type = ? AND country = ?"
        found.update(row[0] for row in con.execute(sql, (r.event_type, r.country)))
    return sorted(found)


def _cannot_link(con: sqlite3.Connection, r: Report) -> set[tuple[str, str, str]]:
    rows = con.execute(
        "SELECT b_run, b_article, b_event FROM cannot_link WHERE a_run = ? AND a_article = ? "
        "AND a_event = ? UNION SELECT a_run, a_article, a_event FROM cannot_link WHERE b_run = ? "
        "AND b_article = ? AND b_event = ?",
        (*r.key, *r.key),
    ).fetchall()
    return {(str(a), str(b), str(c)) for a, b, c in rows}


def _members(con: sqlite3.Connection, incident_ids: list[str]) -> dict[str, list[Report]]:
    out: dict[str, list[Report]] = {i: [] for i in incident_ids}
    for start in range(0, len(incident_ids), 500):
        chunk = incident_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {REPORT_COLUMNS} FROM reports WHERE incident_id IN ({marks})"
        for row in con.execute(sql, chunk):
            _, incident_id, report = report_of(row)
            out[incident_id].append(report)
    return out


def new_incident(con: sqlite3.Connection, now: str) -> str:
    seq = con.execute(
        "INSERT INTO incidents (id, created_at, updated_at) VALUES ('', ?, ?) RETURNING seq",
        (now, now),
    ).fetchone()[0]
    incident_id = f"INC-{seq:06d}"
    con.execute("UPDATE incidents SET id = ? WHERE seq = ?", (incident_id, seq))
    return incident_id


def _insert(con: sqlite3.Connection, r: Report, event: AttackEvent, incident_id: str) -> None:
    span = (r.date_end or 0) - (r.date_start or 0)
    long_span = 1 if r.date_start is not None and span >= LONG_SPAN_DAYS else 0
    rid = con.execute(
        "INSERT INTO reports (run_key, article_id, event_id, incident_id, event_json, "
        "event_type, sub_type, standing, date_start, date_end, long_span, date_precision, "
        "date_phrase, country, admin1, admin2, place, latitude, longitude, perpetrators, "
        "targets, target_names) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        (
            r.run_key,
            r.article_id,
            r.event_id,
            incident_id,
            event.model_dump_json(),
            r.event_type,
            r.sub_type,
            r.standing,
            r.date_start,
            r.date_end,
            long_span,
            r.date_precision,
            r.date_phrase,
            r.country,
            r.admin1,
            r.admin2,
            r.place,
            r.latitude,
            r.longitude,
            SEP.join(sorted(r.perpetrators)),
            SEP.join(sorted(r.targets)),
            SEP.join(sorted(r.target_names)),
        ),
    ).fetchone()[0]
    con.executemany(
        "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                rid,
                f.kind.value,
                f.group.value,
                f.low,
                f.best,
                f.high,
                f.qualifier.value,
                f.evidence.quote if f.evidence else None,
                f.reported_by,
            )
            for f in event.casualties
        ],
    )


def record(
    con: sqlite3.Connection,
    now: str,
    action: str,
    r: Report | tuple[str, str, str],
    incident_id: str | None,
    score: float | None,
    reasons: object,
) -> None:
    key = r.key if isinstance(r, Report) else r
    con.execute(
        "INSERT INTO decisions (at, action, run_key, article_id, event_id, incident_id, score, "
        "reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (now, action, *key, incident_id, score, json.dumps(reasons, ensure_ascii=False)),
    )


def choose_incident(
    con: sqlite3.Connection, r: Report, rules: MergeRules
) -> tuple[IncidentDecision | None, list[dict[str, object]]]:
    """The incident ``r`` joins (``None``: a new one), and the best candidates kept apart with
    their reasons."""
    candidates = _candidate_incidents(con, r, rules)
    decisions: list[IncidentDecision] = []
    if candidates:
        blocked = _cannot_link(con, r)
        members = _members(con, candidates)
        for incident_id in candidates:
            others = [m for m in members[incident_id] if m.key != r.key]
            if not others:
                continue
            split_off = any(m.key in blocked for m in others)
            decisions.append(decide_incident(r, incident_id, others, rules, cannot_link=split_off))
    chosen = choose(decisions)
    apart = sorted((d for d in decisions if d is not chosen), key=lambda d: -d.score)[:_KEPT_APART]
    return chosen, [{"incident": d.incident_id, "reasons": d.reasons} for d in apart]


def place(
    con: sqlite3.Connection, r: Report, event: AttackEvent, rules: MergeRules, now: str
) -> tuple[str, bool]:
    """Put report ``r`` into the incident it belongs to, or a new one; record why.
    Returns the incident id and whether it is new."""
    chosen, apart = choose_incident(con, r, rules)
    if chosen is None:
        incident_id = new_incident(con, now)
        _insert(con, r, event, incident_id)
        record(con, now, "new", r, incident_id, None, {"kept_apart": apart})
        return incident_id, True
    _insert(con, r, event, chosen.incident_id)
    con.execute("UPDATE incidents SET updated_at = ? WHERE id = ?", (now, chosen.incident_id))
    reasons = {"merged": chosen.reasons, "kept_apart": apart}
    record(con, now, "merged", r, chosen.incident_id, chosen.score, reasons)
    return chosen.incident_id, False


def figures_of(con: sqlite3.Connection, incident_id: str) -> list[Figure]:
    rows = con.execute(
        "SELECT r.article_id, a.seq, a.published, f.kind, f.grp, f.low, f.best, f.high, "
        "f.qualifier, f.quote, f.reported_by FROM figures f JOIN reports r ON r.id = f.report_id "
        "JOIN articles a ON a.run_key = r.run_key AND a.article_id = r.article_id "
        "WHERE r.incident_id = ? ORDER BY a.seq, f.rowid",
        (incident_id,),
    ).fetchall()
    return [
        Figure(
            source=row[0],
            order=row[1],
            published=dt.date.fromisoformat(row[2]) if row[2] else None,
            kind=row[3],
            group=row[4],
            low=row[5],
            best=row[6],
            high=row[7],
            qualifier=row[8],
            quote=row[9],
            reported_by=row[10],
        )
        for row in rows
    ]


def refresh_tolls(con: sqlite3.Connection, incidents: Iterable[str], now: str, cause: str) -> None:
    """Recompute the reconciled tolls of ``incidents``; a change is kept as a revision."""
    for incident_id in sorted(incidents):
        tolls = reconcile(figures_of(con, incident_id))
        killed, injured = total(tolls, "killed"), total(tolls, "injured")
        new = (
            killed.low if killed else None,
            killed.best if killed else None,
            killed.high if killed else None,
            killed.conservative if killed else None,
            injured.low if injured else None,
            injured.best if injured else None,
            injured.high if injured else None,
        )
        old = con.execute(
            "SELECT killed_low, killed_best, killed_high, fatalities, injured_low, injured_best, "
            "injured_high FROM incidents WHERE id = ?",
            (incident_id,),
        ).fetchone()
        if old is None or tuple(old) == new:
            continue
        con.execute(
            "UPDATE incidents SET killed_low = ?, killed_best = ?, killed_high = ?, "
            "fatalities = ?, injured_low = ?, injured_best = ?, injured_high = ? WHERE id = ?",
            (*new, incident_id),
        )
        if tuple(old[:4]) != new[:4]:
            con.execute(
                "INSERT INTO revisions (incident_id, at, cause, kind, low, best, high, "
                "conservative) VALUES (?, ?, ?, 'killed', ?, ?, ?, ?)",
                (incident_id, now, cause, *new[:4]),
            )
        if tuple(old[4:]) != new[4:]:
            con.execute(
                "INSERT INTO revisions (incident_id, at, cause, kind, low, best, high, "
                "conservative) VALUES (?, ?, ?, 'injured', ?, ?, ?, NULL)",
                (incident_id, now, cause, *new[4:]),
            )
