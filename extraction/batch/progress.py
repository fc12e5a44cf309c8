"""Progress accounting of a batch: running counts of articles, failures, calls, tokens and cost,
updated as each record is finished (and, with a results file, once it is on disk).

Tokens and cost count what this run paid for: a cache hit counts as done but spends nothing.

>>> from extraction.batch.results import ResultRecord
>>> progress = BatchProgress(total=2)
>>> ok = ResultRecord(key="a1", run_key="run:x", status="ok", calls=1)
>>> progress.add(ok, Usage(prompt_tokens=900, completion_tokens=100, total_tokens=1000), 0.002)
>>> failed = ResultRecord.failure("a2", run_key="run:x", kind="timeout", reason="too slow")
>>> progress.add(failed, Usage(), None)
>>> progress.done, progress.ok, progress.failed, progress.failed_by_kind, progress.cost_usd
(2, 1, 1, {'timeout': 1}, 0.002)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from extraction.batch.results import ResultRecord
from schemas.records import Usage


@dataclass(slots=True)
class BatchProgress:
    """Running counts, updated as each record is finished (and, with a results file, on disk)."""

    total: int | None = None
    skipped: int = 0  # already in the results file
    done: int = 0
    ok: int = 0
    failed: int = 0
    cached: int = 0
    calls: int = 0  # articles or chunks sent to the endpoint (each may take several requests)
    prompt_tokens: int = 0  # spent by this run (cache hits spend none)
    completion_tokens: int = 0
    cost_usd: float = 0.0  # spent by this run, on priced models
    cost_known: bool = True
    failed_by_kind: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def add(self, record: ResultRecord, spent: Usage, spent_cost: float | None) -> None:
        self.done += 1
        if record.status == "ok":
            self.ok += 1
        else:
            self.failed += 1
            kind = record.error.kind if record.error else "internal"
            self.failed_by_kind[kind] = self.failed_by_kind.get(kind, 0) + 1
        self.cached += int(record.cached)
        self.calls += record.calls
        self.prompt_tokens += spent.prompt_tokens
        self.completion_tokens += spent.completion_tokens
        if spent_cost is None:
            self.cost_known = self.cost_known and spent.total_tokens == 0
        else:
            self.cost_usd += spent_cost


ProgressFn = Callable[[BatchProgress], None]
"""Called with the running counts after each record is counted."""
