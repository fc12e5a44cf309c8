"""Incidents as UCDP-GED-style CSV: the GED columns sitrep can fill, with ``low``, ``best`` and
``high`` deaths reconciled across sources (``store/data/ucdp.toml``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TextIO

from schemas.vocab import DatePrecision
from store.incidents import Incident
from store.output import is_csv_header, write_csv
from store.reports import date_window
from store.tables import ucdp


def header() -> list[str]:
    return list(ucdp()["columns"])


def looks_like_export(first_line: str) -> bool:
    """Whether a file's first line is this format's header."""
    return is_csv_header(first_line, header())


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def row(incident: Incident) -> dict[str, Any]:
    table = ucdp()
    p, d = incident.place, incident.date
    level = next((lv for lv in ("place", "admin2", "admin1", "country") if getattr(p, lv)), None)
    start, end = date_window(d.value, DatePrecision(d.precision))
    killed = incident.killed
    civilians = next(
        (t for t in incident.casualties if t.kind == "killed" and t.group == "civilians"), None
    )
    sep = table["source_separator"]
    coords = "" if p.latitude is None else f"{p.latitude:.4f} {p.longitude:.4f}"
    return {
        "id": incident.id,
        "year": str(d.value.year) if d.value else "",
        "side_a": incident.perpetrators[0].name if incident.perpetrators else "",
        "side_b": incident.targets[0].name if incident.targets else "",
        "number_of_sources": str(len({s.article_id for s in incident.sources})),
        "source_article": sep.join(dict.fromkeys(s.article_id for s in incident.sources)),
        "source_office": sep.join(dict.fromkeys(s.outlet for s in incident.sources if s.outlet)),
        "source_date": sep.join(
            dict.fromkeys(s.published.isoformat() for s in incident.sources if s.published)
        ),
        "where_prec": table["where_prec"].get(level, "") if level else "",
        "where_coordinates": coords,
        "where_description": ", ".join(
            dict.fromkeys(x for x in (p.place, p.admin2, p.admin1, p.country) if x)
        ),
        "adm_1": p.admin1 or "",
        "adm_2": p.admin2 or "",
        "latitude": "" if p.latitude is None else f"{p.latitude:.4f}",
        "longitude": "" if p.longitude is None else f"{p.longitude:.4f}",
        "country": p.country or "",
        "date_prec": table["date_prec"].get(d.precision, "") if d.value else "",
        "date_start": dt.date.fromordinal(start).isoformat() if start else "",
        "date_end": dt.date.fromordinal(end).isoformat() if end else "",
        "deaths_civilians": _num(civilians.best if civilians else None),
        "best": _num(killed.best if killed else None),
        "high": _num(killed.high if killed else None),
        "low": _num(killed.low if killed else None),
    }


def write(incidents: Iterable[Incident], fh: TextIO) -> int:
    """Write the header and one row per incident; return the number of rows."""
    return write_csv(map(row, incidents), header(), fh)
