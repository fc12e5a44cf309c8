"""Incidents as ACLED-format CSV: ACLED's columns in ACLED's order (``store/data/acled.toml``).

``fatalities`` is the most conservative current killed figure, as ACLED codes conflicting
reports (0 when no source reports a death, as ACLED codes it; empty when a source reports deaths
without a number). Values sitrep cannot know (region, admin3, source scale, tags, ACLED's own
actor names) are left empty, and so are coordinates until the places carry them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TextIO

from store.incidents import ActorOut, Incident
from store.output import is_csv_header, write_csv
from store.tables import acled, iso_numeric


def header() -> list[str]:
    return list(acled()["columns"])


def looks_like_export(first_line: str) -> bool:
    """Whether a file's first line is this format's header."""
    return is_csv_header(first_line, header())


def _inter(actor: ActorOut | None) -> str:
    if actor is None or actor.category is None:
        return ""
    return str(acled()["inter"].get(actor.category, ""))


def _article(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def _place_text(incident: Incident) -> str:
    p = incident.place
    parts = [x for x in (p.place, p.admin2, p.admin1, p.country) if x]
    return ", ".join(dict.fromkeys(parts)) if parts else acled()["notes"]["unknown_place"]


def _tolls(incident: Incident) -> str:
    out = []
    for toll in (incident.killed, incident.injured):
        if toll is None or toll.conservative is None:
            continue
        word = "killed" if toll.kind == "killed" else "injured"
        spread = f" (reports range {toll.low}-{toll.high})" if toll.low != toll.high else ""
        revised = ", revised from earlier figures" if toll.superseded else ""
        out.append(f"{toll.conservative} {word}{spread}{revised}.")
    return " ".join(out) + (" " if out else "")


def notes(incident: Incident) -> str:
    table = acled()
    perps = [a.name for a in incident.perpetrators]
    targets = [a.name for a in incident.targets]
    label = table["sub_event_type"][incident.sub_type].lower()
    date = incident.date.value.strftime("%d %B %Y") if incident.date.value else None
    n = len({s.article_id for s in incident.sources})
    return str(
        table["notes"]["template"].format(
            date=date or table["notes"]["undated"],
            perpetrators=", ".join(perps) if perps else table["notes"]["unknown_perpetrator"],
            action=f"carried out {_article(label)}",
            targets=f" on {', '.join(targets)}" if targets else "",
            place=_place_text(incident),
            tolls=_tolls(incident),
            sources=f"{n} source{'s' if n != 1 else ''}",
        )
    )


def _fatalities(incident: Incident) -> str:
    if incident.fatalities is not None:
        return str(incident.fatalities)
    killed = [t for t in incident.casualties if t.kind == "killed"]
    return "" if killed else "0"


def _civilian_targeting(incident: Incident) -> str:
    rule = acled()["civilian_targeting"]
    if incident.sub_type in rule["sub_types"] or any(
        t.category in rule["target_categories"] for t in incident.targets
    ):
        return str(rule["label"])
    return ""


def row(incident: Incident) -> dict[str, Any]:
    """One incident as an ACLED row (column name -> value; empty string for unknown)."""
    table = acled()
    d = incident.date
    p = incident.place
    actor1 = incident.perpetrators[0] if incident.perpetrators else None
    actor2 = incident.targets[0] if incident.targets else None
    inter1, inter2 = _inter(actor1), _inter(actor2)
    sep = table["assoc_actor_separator"]
    interaction = ""
    if inter1 and inter2:
        interaction = f"{inter1}-{inter2}"
    elif inter1 and actor2 is None:
        interaction = f"{inter1} only"
    outlets = [s.outlet or s.article_id for s in incident.sources]
    updated = dt.datetime.fromisoformat(incident.updated_at)
    return {
        "event_id_cnty": incident.id,
        "event_date": d.value.isoformat() if d.value else "",
        "year": str(d.value.year) if d.value else "",
        "time_precision": table["time_precision"].get(d.precision, "") if d.value else "",
        "disorder_type": table["disorder_type_by_sub_type"].get(
            incident.sub_type, table["disorder_type"][incident.event_type]
        ),
        "event_type": table["event_type"][incident.event_type],
        "sub_event_type": table["sub_event_type"][incident.sub_type],
        "actor1": actor1.name if actor1 else "",
        "assoc_actor_1": sep.join(a.name for a in incident.perpetrators[1:]),
        "inter1": inter1,
        "actor2": actor2.name if actor2 else "",
        "assoc_actor_2": sep.join(a.name for a in incident.targets[1:]),
        "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": _civilian_targeting(incident),
        "iso": iso_numeric(p.country),
        "region": "",
        "country": p.country or "",
        "admin1": p.admin1 or "",
        "admin2": p.admin2 or "",
        "admin3": "",
        "location": p.place or p.admin2 or p.admin1 or "",
        "latitude": "" if p.latitude is None else f"{p.latitude:.4f}",
        "longitude": "" if p.longitude is None else f"{p.longitude:.4f}",
        "geo_precision": p.precision or "",
        "source": table["source_separator"].join(dict.fromkeys(outlets)),
        "source_scale": "",
        "notes": notes(incident),
        "fatalities": _fatalities(incident),
        "tags": "",
        "timestamp": str(int(updated.timestamp())),
    }


def write(incidents: Iterable[Incident], fh: TextIO) -> int:
    """Write the header and one row per incident; return the number of rows."""
    return write_csv(map(row, incidents), header(), fh)
