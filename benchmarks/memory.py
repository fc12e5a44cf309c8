"""Peak memory of a batch as the number of articles grows: each size runs in a fresh process
(``python -m benchmarks.memory N``) through :func:`extraction.batch.run.run_batch` with the results
file and a read-write cache, reading a folder of N article files. The extraction is synthetic
(instant, one event per article) unless ``--model URL`` points it at a loopback server, so the
figure is the batch machinery's own: input, in-flight window, results, cache, progress."""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.workloads import synthetic_extraction, write_folder
from extraction.batch.cache import ResponseCache
from extraction.batch.run import BatchSettings, RunIdentity, run_batch
from extraction.config import resolve_config
from extraction.pipeline.setup import backend_for, identity_for
from schemas.article import Article
from schemas.loaders import iter_paths
from schemas.records import ArticleExtraction


def peak_mb() -> float:
    """This process's peak resident set (VmHWM; ru_maxrss would carry over the parent's peak
    across fork and exec)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def current_mb() -> float:
    """This process's resident set now (statm)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return round(pages * resource.getpagesize() / 2**20, 1)


async def _synthetic(article: Article) -> ArticleExtraction:
    await asyncio.sleep(0)
    return synthetic_extraction(article)


def run_one(n: int, model_url: str | None, concurrency: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        write_folder(folder, n)
        if model_url:
            config = resolve_config("loopback-model", base_url=model_url, environ={})
            fn, identity = backend_for(config), identity_for(config)
        else:
            fn, identity = _synthetic, RunIdentity(model="synthetic", endpoint="memory://")
        before = current_mb()
        start = time.perf_counter()
        with ResponseCache(Path(tmp) / "cache.sqlite") as cache:
            result = asyncio.run(
                run_batch(
                    iter_paths([folder]),
                    fn,
                    Path(tmp) / "results.jsonl",
                    identity=identity,
                    settings=BatchSettings(concurrency=concurrency),
                    cache=cache,
                )
            )
        seconds = time.perf_counter() - start
        return {
            "articles": n,
            "extraction": "loopback model path" if model_url else "synthetic",
            "concurrency": concurrency,
            "ok": result.progress.ok,
            "rss_before_mb": before,
            "peak_rss_mb": peak_mb(),
            "seconds": round(seconds, 2),
            "articles_per_s": round(n / seconds, 1),
        }


def measure(sizes: list[int], model_url: str | None = None, concurrency: int = 64) -> list[Any]:
    """Each size in its own process, so that one run's peak does not hide another's."""
    out = []
    for n in sizes:
        cmd = [sys.executable, "-m", "benchmarks.memory", str(n), "--concurrency", str(concurrency)]
        if model_url:
            cmd += ["--model", model_url]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(row), flush=True)
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("n", type=int)
    parser.add_argument("--model", default=None, help="loopback server URL")
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    print(json.dumps(run_one(args.n, args.model, args.concurrency)))


if __name__ == "__main__":
    main()
