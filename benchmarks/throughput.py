"""Throughput of the batch runner against a loopback server with a fixed latency, as a fraction of
the ideal (``concurrency / latency`` calls a second), and the client's CPU time per call.

Two clients are measured through the same runner (:func:`extraction.batch.run.run_batch`, with its
results file, as ``sitrep extract`` runs; no cache):

- ``sitrep``: the real model path (:func:`extraction.pipeline.setup.backend_for`: openai client,
  instructor, retries, grounding), as ``sitrep extract`` runs it;
- ``floor``: one shared HTTP client posting the same messages and tools and validating the answer
  with the same grounding, without instructor. It shows what the model path could reach;
- ``runner``: no HTTP at all, a call that only waits ``latency`` and returns a fixed extraction:
  the batch layer's own cost (scheduling, results file with fsync, progress).

Each level makes ``rounds x concurrency`` calls (20 rounds by default): the first round starts
every call at once and the last waits for the slowest, so with few rounds those two dominate
(at 6 rounds, ``floor`` measured 77-80% of ideal at concurrency 32; at 24 rounds, 90-92%). The
figure is over the whole run, ramp-up and drain included.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx2

from benchmarks.workloads import articles, loopback_process, synthetic_extraction
from extraction.batch.run import BatchSettings, ExtractFn, run_batch
from extraction.config import ExtractionConfig, resolve_config
from extraction.model.messages import build_messages
from extraction.pipeline.setup import backend_for, identity_for
from prompts import load_prompt
from schemas.article import Article
from schemas.evidence import grounding_context
from schemas.records import ArticleExtraction, Producer, Records, Usage


def _tools() -> list[dict[str, Any]]:
    from instructor.v2.providers.openai.schema import generate_openai_schema

    return [{"type": "function", "function": generate_openai_schema(Records)}]


def floor_fn(config: ExtractionConfig) -> ExtractFn:
    prompt = load_prompt(config.prompt_id)
    tools = _tools()
    choice = {"type": "function", "function": {"name": tools[0]["function"]["name"]}}
    clients: dict[asyncio.AbstractEventLoop, httpx2.AsyncClient] = {}

    async def call(article: Article) -> ArticleExtraction:
        loop = asyncio.get_running_loop()
        client = clients.get(loop)
        if client is None:
            limits = httpx2.Limits(max_connections=1000, max_keepalive_connections=1000)
            client = clients[loop] = httpx2.AsyncClient(timeout=60, limits=limits)
        system, user = build_messages(article, prompt)
        body = {
            "model": config.api_model,
            "messages": [system, user],
            "tools": tools,
            "tool_choice": choice,
            "temperature": config.temperature,
            "max_tokens": config.max_tokens,
        }
        response = await client.post(f"{config.base_url}/chat/completions", json=body)
        response.raise_for_status()
        data = response.json()
        arguments = data["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
        context = grounding_context(article.text, evidence_from="model")
        records = Records.model_validate_json(arguments, context=context)
        u = data["usage"]
        usage = Usage(
            prompt_tokens=u["prompt_tokens"],
            completion_tokens=u["completion_tokens"],
            total_tokens=u["total_tokens"],
        )
        return ArticleExtraction.from_records(
            article.id, records, Producer(kind="model", name=config.api_model, usage=usage)
        )

    return call


def runner_fn(latency: float) -> ExtractFn:
    async def call(article: Article) -> ArticleExtraction:
        await asyncio.sleep(latency)
        return synthetic_extraction(article)

    return call


async def _run(
    fn: ExtractFn, config: ExtractionConfig, items: Sequence[Article], concurrency: int
) -> tuple[float, float, int]:
    """Through :func:`run_batch`, as ``sitrep extract`` runs: results file (each record written
    and fsynced), no cache."""
    identity = identity_for(config)
    with tempfile.TemporaryDirectory() as tmp:
        cpu, start = time.process_time(), time.perf_counter()
        result = await run_batch(
            items,
            fn,
            Path(tmp) / "results.jsonl",
            identity=identity,
            settings=BatchSettings(concurrency=concurrency),
        )
        seconds, used = time.perf_counter() - start, time.process_time() - cpu
    return seconds, used, result.progress.failed


def measure(
    *, latency: float, levels: Sequence[int], rounds: int, variants: Sequence[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {"latency_s": latency, "rounds": rounds, "runs": []}
    with loopback_process(latency) as url:
        config = resolve_config(
            "loopback-model", base_url=url, environ={}, timeout=60.0, max_transport_retries=0
        )
        assert config is not None
        fns = {
            "sitrep": backend_for(config),
            "floor": floor_fn(config),
            "runner": runner_fn(latency),
        }
        for variant in variants:
            fn = fns[variant]
            asyncio.run(_run(fn, config, articles(4, tag=f"warm-{variant}-"), 4))  # imports, pools
            for concurrency in levels:
                n = max(concurrency * rounds, 12)
                items = articles(n, tag=f"{variant}-{concurrency}-")
                seconds, cpu, failed = asyncio.run(_run(fn, config, items, concurrency))
                ideal = concurrency / latency
                rate = n / seconds
                run = {
                    "client": variant,
                    "concurrency": concurrency,
                    "calls": n,
                    "failed": failed,
                    "seconds": round(seconds, 3),
                    "calls_per_s": round(rate, 2),
                    "ideal_calls_per_s": round(ideal, 2),
                    "fraction_of_ideal": round(rate / ideal, 3),
                    "client_cpu_ms_per_call": round(cpu / n * 1000, 2),
                }
                out["runs"].append(run)
                print(json.dumps(run), flush=True)
    return out
