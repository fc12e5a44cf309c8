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
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from benchmarks.memory import current_mb, peak_mb
from gazetteer import PlaceKind, place_entries
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


def write_records(path: Path, n: int, seed: int = 13) -> list[int]:
    """``n`` records reporting about ``n / 4`` incidents; returns the incident each record
    reports (the truth the store's merging is scored against)."""
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
    drawn: list[int] = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            k = rng.randrange(incidents)
            drawn.append(k)
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
    return drawn


def _pairs(sizes: Iterable[int]) -> int:
    return sum(k * (k - 1) // 2 for k in sizes)


def pairwise_scores(truth: list[int], predicted: list[str]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against the truth, from cluster sizes.

    >>> pairwise_scores([0, 0, 1, 1], ["a", "a", "a", "b"])
    (0.3333333333333333, 0.5)
    """
    both = _pairs(Counter(zip(truth, predicted, strict=True)).values())
    pred, gold = _pairs(Counter(predicted).values()), _pairs(Counter(truth).values())
    return (both / pred if pred else 1.0), (both / gold if gold else 1.0)


def run_one(n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        records = Path(tmp) / "results.jsonl"
        truth = write_records(records, n)
        before = current_mb()
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
        peak = peak_mb()
        with EventStore(Path(tmp) / "events.sqlite") as store:
            of = dict(store.con.execute("SELECT article_id, incident_id FROM reports"))
        precision, recall = pairwise_scores(truth, [of[f"bench-{i:07d}"] for i in range(n)])
        return {
            "records": n,
            "reported_incidents": len(set(truth)),
            "incidents": counts["incidents"],
            "merged": summary.merged,
            "seconds": round(seconds, 1),
            "records_per_s": round(n / seconds, 1),
            "ms_per_1000_records": round(seconds * 1e6 / n, 0),
            "readd_seconds": round(again_seconds, 1),
            "readd_unchanged": again.unchanged,
            "rss_before_mb": before,
            "peak_rss_mb": peak,
            "pairwise_precision": round(precision, 4),
            "pairwise_recall": round(recall, 4),
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
