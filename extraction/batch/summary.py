"""The summary of a batch: how many articles were extracted or failed (and why), the tokens and
what they cost, computed from the results file itself so that a resumed run reports the same
totals as an uninterrupted one. Written beside the results as ``<name>.summary.json``.

>>> summary_path("runs/results.jsonl").as_posix()
'runs/results.summary.json'
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Container
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from extraction.batch.pricing import PriceTable
from extraction.batch.results import Identity, identity_digest, iter_lines
from extraction.batch.run import BatchProgress, RunIdentity
from extraction.batch.run_index import InputOrder
from extraction.redaction import redact_url
from schemas.storage import write_atomic


class PriceUsed(BaseModel):
    model: str
    input_per_1m: float
    output_per_1m: float
    table: str
    as_of: str | None = None


class ThisRun(BaseModel):
    """What this invocation did (a resumed run counts only its own work here)."""

    processed: int
    skipped: int = Field(description="Already in the results file from an earlier run.")
    calls: int = Field(description="Articles or chunks sent to the endpoint.")
    cache_hits: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    seconds: float
    articles_per_second: float | None
    completed: bool = Field(description="False when the run was interrupted or aborted.")


class BatchSummary(BaseModel):
    results: str
    run_key: str
    model: str
    endpoint: str | None
    prompt_hash: str | None
    schema_hash: str | None
    articles: int = Field(description="Records of the articles of this input.")
    ok: int
    failed: int
    failed_by_kind: dict[str, int]
    events: int
    statements: int
    prompt_tokens: int = Field(description="Tokens the records took to produce, over all runs.")
    completion_tokens: int
    cost_usd: float | None = Field(
        description="What the records cost to produce; null if the model has no price."
    )
    price: PriceUsed | None
    other_records: int = Field(
        description="Records in the file for other inputs or configurations (not counted above)."
    )
    this_run: ThisRun
    finished_at: dt.datetime


def summary_path(results: str | Path) -> Path:
    p = Path(results)
    return p.with_name(p.stem + ".summary.json")


def summarize(
    path: str | Path,
    *,
    identity: RunIdentity,
    order: Collection[Identity | bytes],
    progress: BatchProgress,
    prices: PriceTable,
    completed: bool,
) -> BatchSummary:
    """Totals over the records of ``order`` in the results file, plus this run's own counts.
    ``order`` is best an :class:`~extraction.batch.run_index.InputOrder` (on disk); any other
    collection of identities is read into a set."""
    wanted: Container[bytes] = (
        order if isinstance(order, InputOrder) else {identity_digest(i) for i in order}
    )
    run_key = identity.run_key
    counts: dict[str, Any] = {"articles": 0, "ok": 0, "failed": 0, "events": 0, "statements": 0}
    by_kind: dict[str, int] = {}
    prompt = completion = other = 0
    cost = 0.0
    cost_known = True
    p = Path(path)
    if p.exists():
        for _, _, line in iter_lines(p):
            if not line.strip():
                continue
            obj = json.loads(line)
            key, line_run = obj.get("key"), obj.get("run_key")
            if line_run != run_key or identity_digest((str(key), run_key)) not in wanted:
                other += 1
                continue
            counts["articles"] += 1
            if obj["status"] == "ok":
                counts["ok"] += 1
                extraction = obj.get("extraction") or {}
                counts["events"] += len(extraction.get("events", []))
                counts["statements"] += len(extraction.get("statements", []))
            else:
                counts["failed"] += 1
                kind = (obj.get("error") or {}).get("kind", "internal")
                by_kind[kind] = by_kind.get(kind, 0) + 1
            usage = obj.get("usage") or {}
            prompt += int(usage.get("prompt_tokens", 0))
            completion += int(usage.get("completion_tokens", 0))
            if obj.get("cost_usd") is None:
                cost_known = cost_known and not usage.get("total_tokens")
            else:
                cost += float(obj["cost_usd"])
    price = prices.price(identity.model)
    processed = progress.done
    seconds = round(progress.elapsed, 3)
    return BatchSummary(
        results=str(p),
        run_key=run_key,
        model=identity.model,
        endpoint=redact_url(identity.endpoint),
        prompt_hash=identity.prompt_hash,
        schema_hash=identity.schema_hash,
        failed_by_kind=dict(sorted(by_kind.items())),
        prompt_tokens=prompt,
        completion_tokens=completion,
        cost_usd=round(cost, 6) if cost_known else None,
        price=(
            PriceUsed(
                model=identity.model,
                input_per_1m=price.input,
                output_per_1m=price.output,
                table=prices.source,
                as_of=prices.as_of,
            )
            if price is not None
            else None
        ),
        other_records=other,
        this_run=ThisRun(
            processed=processed,
            skipped=progress.skipped,
            calls=progress.calls,
            cache_hits=progress.cached,
            prompt_tokens=progress.prompt_tokens,
            completion_tokens=progress.completion_tokens,
            cost_usd=round(progress.cost_usd, 6) if progress.cost_known else None,
            seconds=seconds,
            articles_per_second=round(processed / seconds, 2) if seconds > 0 else None,
            completed=completed,
        ),
        finished_at=dt.datetime.now(dt.UTC),
        **counts,
    )


def write_summary(summary: BatchSummary, path: str | Path) -> Path:
    """Write the summary atomically (temporary file, fsync, rename); returns where."""
    target = Path(path)
    write_atomic(target, summary.model_dump_json(indent=2) + "\n")
    return target
