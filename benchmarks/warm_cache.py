"""A warm-cache rerun: the same batch twice through the model path with one response cache; the
loopback server counts the HTTP requests of each run (the second must make none)."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.workloads import articles, loopback_process, server_requests
from extraction.batch.cache import ResponseCache
from extraction.batch.run import BatchSettings, run_batch
from extraction.config import resolve_config
from extraction.pipeline.setup import backend_for, identity_for


def measure(n: int = 40, latency: float = 0.01, concurrency: int = 16) -> dict[str, Any]:
    items = articles(n, tag="warm-")
    out: dict[str, Any] = {"articles": n}
    with loopback_process(latency) as url, tempfile.TemporaryDirectory() as tmp:
        config = resolve_config("loopback-model", base_url=url, environ={})
        fn, identity = backend_for(config), identity_for(config)
        for run in ("cold", "warm"):
            before = server_requests(url)
            start = time.perf_counter()
            with ResponseCache(Path(tmp) / "cache.sqlite") as cache:
                result = asyncio.run(
                    run_batch(
                        items,
                        fn,
                        Path(tmp) / f"{run}.jsonl",
                        identity=identity,
                        settings=BatchSettings(concurrency=concurrency),
                        cache=cache,
                    )
                )
            out[run] = {
                "http_requests": server_requests(url) - before - 1,  # less the first stats call
                "ok": result.progress.ok,
                "cache_hits": result.progress.cached,
                "seconds": round(time.perf_counter() - start, 3),
            }
    return out
