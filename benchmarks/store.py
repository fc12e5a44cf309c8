"""The event store at scale: adding N synthetic result records (one event each, about four
reports per incident, 14 incidents a day over the gazetteer's Iraqi towns), each size in its own
process (``python -m benchmarks.store N``), timing ``EventStore.add`` and reading the process's
peak memory. Writing the records file is not timed. SYNTHETIC: the records are invented.

Blocking keeps the work per record bounded by the reports that share its event type, dates and
governorate, so time should grow near-linearly: the figure to watch is seconds per 1,000 records
at the smaller and the larger size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.memory import _current_mb, _peak_mb
from schemas.aliases import PlaceKind, place_entries
from store.api import EventStore
from store.synthetic import event, result_record

SUB_TYPES = [
    "air_drone_strike",
    "shelling_artillery_missile_attack",
    "remote_explosive_landmine_ied",
    "attack",
    "armed_clash",
]
PERPETRATORS = ["IRGC", "Islamic State", "Turkey", "Kataib Hezbollah", "PKK", "United States"]
TARGETS = ["PDKI", "Komala", "Peshmerga", "Iraqi security forces", "civilians", "PMF"]
START = dt.date(2019, 1, 1).toordinal()
INCIDENTS_PER_DAY = 14
"""Constant density at every size (25,000 incidents over five years at 100,000 records), so that
larger sizes measure a longer archive, not a busier day."""


def write_records(path: Path, n: int, seed: int = 13) -> int:
    """``n`` records reporting about ``n / 4`` incidents; returns how many incidents they report
    (an incident no record drew is not counted)."""
    rng = random.Random(seed)
    towns = [
        p.canonical
        for p in place_entries()
        if p.kind in (PlaceKind.CITY, PlaceKind.TOWN, PlaceKind.VILLAGE) and p.country == "Iraq"
    ]
    incidents = max(1, n // 4)
    days = max(1, incidents // INCIDENTS_PER_DAY)
    plan = [
        (
            rng.choice(SUB_TYPES),
            START + rng.randrange(days),
            rng.choice(towns),
            rng.choice(PERPETRATORS),
            rng.choice(TARGETS),
            rng.randrange(0, 30),
        )
        for _ in range(incidents)
    ]
    drawn: set[int] = set()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            k = rng.randrange(incidents)
            drawn.add(k)
            sub_type, day, town, perp, target, killed = plan[k]
            shift = rng.choice((0, 0, 0, 1))  # some outlets date it the next day
            record = result_record(
                f"bench-{i:07d}",
                run_key="bench-run",
                events=[
                    event(
                        sub_type=sub_type,
                        date=dt.date.fromordinal(day + shift).isoformat(),
                        place=town,
                        perpetrators=(perp,),
                        targets=(target,),
                        killed=killed + rng.choice((0, 0, 2)),
                    )
                ],
            )
            fh.write(record.model_dump_json() + "\n")
    return len(drawn)


def run_one(n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        records = Path(tmp) / "results.jsonl"
        planned = write_records(records, n)
        before = _current_mb()
        start = time.perf_counter()
        with EventStore(Path(tmp) / "events.sqlite") as store:
            summary = store.add(records)
            counts = store.counts()
        seconds = time.perf_counter() - start
        again_start = time.perf_counter()
        with EventStore(Path(tmp) / "events.sqlite") as store:
            again = store.add(records)
        again_seconds = time.perf_counter() - again_start
        size_mb = (Path(tmp) / "events.sqlite").stat().st_size / 2**20
        return {
            "records": n,
            "reported_incidents": planned,
            "incidents": counts["incidents"],
            "merged": summary.merged,
            "seconds": round(seconds, 1),
            "records_per_s": round(n / seconds, 1),
            "ms_per_1000_records": round(seconds * 1e6 / n, 0),
            "readd_seconds": round(again_seconds, 1),
            "readd_unchanged": again.unchanged,
            "rss_before_mb": before,
            "peak_rss_mb": _peak_mb(),
            "store_mb": round(size_mb, 1),
        }


def measure(sizes: list[int]) -> dict[str, Any]:
    """Each size in its own process, so that one run's peak does not hide another's."""
    runs = []
    for n in sizes:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.store", str(n)],
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(row), flush=True)
        runs.append(row)
    return {"runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("n", type=int)
    args = parser.parse_args()
    print(json.dumps(run_one(args.n)))


if __name__ == "__main__":
    main()
