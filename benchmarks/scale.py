"""The Ray Data road against the single-process road, at equal concurrency, on loopback.

Both extract the same N synthetic-unique articles (:func:`benchmarks.workloads.articles`) from the
loopback server in its own process (fixed latency per call, no cache):

- ``single``: :func:`~extraction.batch.run.run_batch`, as ``sitrep extract`` runs, with
  ``concurrency = workers x per_worker`` calls in flight;
- ``ray``: :func:`~extraction.scale.ray_data.read_articles` of a JSONL file,
  :func:`~extraction.scale.ray_data.extract_dataset` with ``workers`` actors of ``per_worker``
  calls each, :func:`~extraction.scale.ray_data.write_records` to JSONL parts; Ray already
  started (``ray.init`` is not timed) but the actors are, as every run pays for them.

The overhead ratio is ``ray calls/s / single calls/s``. A Ray run also pays a fixed cost whatever
its size (starting the actors, each importing sitrep; scheduling): each level runs the Ray road
twice, on ``2 x concurrency`` and on ``rounds x concurrency`` articles, and the difference gives
the steady rate (``(n - small) / (t_n - t_small)``, what a long run approaches) and the fixed
cost (``ray_fixed_s``).

    python -m benchmarks scale        # or: python -m benchmarks.scale
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.workloads import articles, loopback_process
from extraction.batch.run import BatchSettings, run_batch
from extraction.config import ExtractionConfig, resolve_config
from extraction.pipeline.setup import backend_for, identity_for

HERE = Path(__file__).resolve().parent


def _single(config: ExtractionConfig, n: int, concurrency: int, tag: str) -> float:
    items = articles(n, tag=tag)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = asyncio.run(
            run_batch(
                items,
                backend_for(config),
                Path(tmp) / "results.jsonl",
                identity=identity_for(config),
                settings=BatchSettings(concurrency=concurrency),
            )
        )
        seconds = time.perf_counter() - start
    assert result.progress.failed == 0, "the loopback server failed calls"
    return seconds


def _ray(config: ExtractionConfig, n: int, workers: int, per_worker: int, tag: str) -> float:
    from extraction.scale.ray_data import (
        extract_dataset,
        iter_written,
        read_articles,
        write_records,
    )

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        with source.open("w", encoding="utf-8") as fh:
            for article in articles(n, tag=tag):
                fh.write(article.model_dump_json(include={"id", "text"}) + "\n")
        start = time.perf_counter()
        records = extract_dataset(
            read_articles([source]),
            config,
            workers=workers,
            concurrency=per_worker,
            batch_size=max(per_worker * 4, 16),
            cache=False,
        )
        write_records(records, Path(tmp) / "out")
        seconds = time.perf_counter() - start
        statuses = [json.loads(line)["status"] for line in iter_written(Path(tmp) / "out")]
    assert statuses.count("ok") == n, "the Ray road lost or failed articles"
    return seconds


def measure(
    *,
    latency: float = 0.25,
    workers: int = 2,
    per_worker: Sequence[int] = (4, 16),
    rounds: int = 40,
    num_cpus: int = 2,
) -> dict[str, Any]:
    """Throughput of both roads at ``workers x per_worker`` calls in flight."""
    try:
        import ray
    except ImportError:
        return {"skipped": 'Ray is not installed: pip install "sitrep[ray]"'}
    ray.init(
        num_cpus=num_cpus,
        include_dashboard=False,
        object_store_memory=200 * 1024 * 1024,
        log_to_driver=False,
        configure_logging=False,
    )
    ray.data.DataContext.get_current().enable_progress_bars = False
    out: dict[str, Any] = {
        "latency_s": latency,
        "workers": workers,
        "ray_cpus": num_cpus,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "runs": [],
    }
    try:
        with loopback_process(latency) as url:
            config = resolve_config(
                "loopback-model", base_url=url, environ={}, timeout=60.0, max_transport_retries=0
            )
            assert config is not None
            _single(config, 4, 4, "warm-single-")
            _ray(config, 2, workers, 1, "warm-ray-")  # Ray's own first-run costs
            for each in per_worker:
                concurrency = workers * each
                n, small = concurrency * rounds, concurrency * 2
                single = n / _single(config, n, concurrency, f"s{concurrency}-")
                short = _ray(config, small, workers, each, f"q{concurrency}-")
                ray_seconds = _ray(config, n, workers, each, f"r{concurrency}-")
                steady = (n - small) / max(ray_seconds - short, 1e-9)
                run = {
                    "concurrency": concurrency,
                    "per_worker": each,
                    "calls": n,
                    "ideal_calls_per_s": round(concurrency / latency, 1),
                    "single_calls_per_s": round(single, 1),
                    "ray_calls_per_s": round(n / ray_seconds, 1),
                    "ray_over_single": round(n / ray_seconds / single, 3),
                    "ray_fixed_s": round(short - small / steady, 1),
                    "ray_steady_calls_per_s": round(steady, 1),
                    "steady_over_single": round(steady / single, 3),
                }
                out["runs"].append(run)
                print(json.dumps(run), flush=True)
    finally:
        ray.shutdown()
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return out


def markdown(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"Ray road: skipped ({result['skipped']})\n"
    lines = [
        f"Ray road vs single process, loopback latency {result['latency_s']}s, "
        f"{result['workers']} Ray workers on {result['ray_cpus']} CPUs; load average "
        f"{result['load_average_before']} before, {result['load_average_after']} after.",
        "",
        "| in flight | per worker | calls | ideal/s | single/s | ray/s | ray / single "
        "| Ray fixed cost | Ray steady/s | steady / single |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["runs"]:
        lines.append(
            f"| {r['concurrency']} | {r['per_worker']} | {r['calls']} | {r['ideal_calls_per_s']} "
            f"| {r['single_calls_per_s']} | {r['ray_calls_per_s']} | {r['ray_over_single']} "
            f"| {r['ray_fixed_s']}s | {r['ray_steady_calls_per_s']} | {r['steady_over_single']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="sitrep benchmark: the Ray road's overhead")
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--per-worker", default="4,16")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--out", type=Path, default=HERE / "results_scale.json")
    args = parser.parse_args(argv)
    result = measure(
        latency=args.latency,
        workers=args.workers,
        per_worker=[int(x) for x in args.per_worker.split(",")],
        rounds=args.rounds,
    )
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    print(f"written: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
