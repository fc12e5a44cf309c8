"""``sitrep store export``: ACLED-format CSV, UCDP-GED-style CSV, or JSONL of incidents."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal, TextIO

from store import export_acled, export_ucdp
from store.api import EventStore
from store.incidents import Incident
from store.output import atomic_export

Format = Literal["acled", "ucdp", "jsonl"]


def _jsonl_looks_like(first_line: str) -> bool:
    try:
        obj = json.loads(first_line)
    except ValueError:
        return first_line == ""
    return isinstance(obj, dict) and {"id", "sources", "casualties"} <= obj.keys()


def _write_jsonl(incidents: Iterable[Incident], fh: TextIO) -> int:
    n = 0
    for incident in incidents:
        fh.write(incident.model_dump_json() + "\n")
        n += 1
    return n


WRITERS: dict[str, tuple[Callable[[Iterable[Incident], TextIO], int], Callable[[str], bool]]] = {
    "acled": (export_acled.write, export_acled.looks_like_export),
    "ucdp": (export_ucdp.write, export_ucdp.looks_like_export),
    "jsonl": (_write_jsonl, _jsonl_looks_like),
}


def export(store: EventStore, fmt: Format, out: str | Path, *, overwrite: bool = False) -> int:
    """Write every incident of ``store`` to ``out``; returns how many."""
    write, looks_like = WRITERS[fmt]
    with atomic_export(out, looks_like=looks_like, overwrite=overwrite) as fh:
        return write(store.incidents(), fh)
