"""OpenAI's Batch API as a run uses it: request files, batches, their answers.

:class:`BatchJobs` uploads a request file (the Batch API's JSONL, one line per call: ``custom_id``
is the call's cache key, ``body`` the request instructor would send) through the Files API
(``purpose="batch"``), creates a batch from it (``/v1/chat/completions``, ``completion_window``
24h), polls it to a terminal status, and downloads its output and error files into the
:class:`~extraction.scale.batch_state.AnswerStore`. Each step is written to the
:class:`~extraction.scale.batch_state.BatchLedger` before the next, so an interrupted run resumes
its batches: a request file uploaded but not yet made a batch is looked up among the provider's
batches (by its file id) before a batch is created for it, so no batch is ever paid for twice.

Every status is handled: ``validating``, ``in_progress``, ``finalizing`` and ``cancelling`` are
waited on; ``completed``, ``expired`` and ``cancelled`` keep the answers they have, and the
requests they did not answer (like every request of a ``failed`` batch) get the provider's reason:

>>> line_failure(None, {"code": "batch_expired", "message": "not run in time"}, "b1")
('timeout', 'the provider did not answer this request in batch b1: not run in time (batch_expired)')
>>> line_failure({"status_code": 400, "body": {"error": {"message": "bad tool"}}}, None, "b")
('api', 'the provider refused this request in batch b: HTTP 400: bad tool')
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final

import openai
from openai.types import Batch

from extraction.scale.batch_state import TERMINAL, AnswerStore, BatchEntry, BatchLedger

ENDPOINT: Final = "/v1/chat/completions"
COMPLETION_WINDOW: Final = "24h"
MAX_REQUESTS = 50_000
"""Requests per batch (the Batch API's limit)."""
MAX_BYTES = 190_000_000
"""Bytes per request file (the Batch API takes up to 200 MB)."""
ADOPT_SCAN = 1000
"""How many of the provider's most recent batches are searched for one made from an uploaded
file whose batch id was never written down (a crash between creating it and saving it)."""

StatusFn = Callable[[int, int, Batch], None]
"""Called with (batch number from 1, batches in all, the batch as last polled)."""
AsyncSleep = Callable[[float], Awaitable[None]]


def request_line(custom_id: str, body: dict[str, Any]) -> bytes:
    """One line of a request file.

    >>> request_line("k1", {"model": "m"})
    b'{"custom_id":"k1","method":"POST","url":"/v1/chat/completions","body":{"model":"m"}}\\n'
    """
    line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def request_files(
    lines: Iterable[tuple[str, bytes]], *, max_requests: int, max_bytes: int
) -> Iterable[list[tuple[str, bytes]]]:
    """``lines`` (custom id, request line) grouped into files within the Batch API's limits.

    >>> [len(f) for f in request_files([(str(i), b"x" * 10) for i in range(5)],
    ...                                  max_requests=2, max_bytes=100)]
    [2, 2, 1]
    """
    group: list[tuple[str, bytes]] = []
    size = 0
    for custom_id, line in lines:
        if group and (len(group) >= max_requests or size + len(line) > max_bytes):
            yield group
            group, size = [], 0
        group.append((custom_id, line))
        size += len(line)
    if group:
        yield group


def line_failure(
    response: dict[str, Any] | None, error: dict[str, Any] | None, batch_id: str
) -> tuple[str, str]:
    """The error-record kind and reason for a request line the provider did not answer."""
    if error:
        code = error.get("code") or "error"
        message = error.get("message") or "no message"
        kind = "timeout" if code == "batch_expired" else "api"
        return kind, (
            f"the provider did not answer this request in batch {batch_id}: {message} ({code})"
        )
    status = int((response or {}).get("status_code") or 0)
    body = (response or {}).get("body")
    detail = body.get("error") if isinstance(body, dict) else None
    message = detail.get("message") if isinstance(detail, dict) else None
    kind = "rate_limit" if status == 429 else "server" if status >= 500 else "api"
    return kind, (
        f"the provider refused this request in batch {batch_id}: HTTP {status}: "
        f"{message or json.dumps(body)[:200]}"
    )


def unanswered_reason(batch: Batch) -> tuple[str, str]:
    """The kind and reason for a request a terminal batch left without any line."""
    if batch.status == "failed":
        errors = [
            f"{e.code or 'error'}"
            + (f" (line {e.line})" if e.line is not None else "")
            + f": {e.message or ''}"
            for e in (batch.errors.data or [] if batch.errors else [])
        ]
        return "api", f"batch {batch.id} failed: {'; '.join(errors[:3]) or 'no reason given'}"
    if batch.status == "expired":
        return "timeout", f"batch {batch.id} expired (24h) before this request was run"
    if batch.status == "cancelled":
        return "api", f"batch {batch.id} was cancelled before this request was run"
    return "api", f"batch {batch.id} ended {batch.status} without an answer for this request"


class BatchJobs:
    """The Files and Batches calls of one run, recorded in its ledger and answer store."""

    def __init__(
        self,
        client: openai.AsyncOpenAI,
        ledger: BatchLedger,
        store: AnswerStore,
        *,
        poll_interval: float = 30.0,
        sleep: AsyncSleep | None = None,
        on_status: StatusFn | None = None,
    ) -> None:
        self.client = client
        self.ledger = ledger
        self.store = store
        self.poll_interval = poll_interval
        self.sleep = sleep or asyncio.sleep
        self.on_status = on_status

    async def submit(self, lines: list[tuple[str, bytes]]) -> BatchEntry:
        """Upload one request file and create its batch."""
        number = len(self.ledger.batches)
        self.store.plan((custom_id for custom_id, _ in lines), number)
        tmp = self.ledger.path.with_name(f".{self.ledger.path.name}.requests-{os.getpid()}.jsonl")
        try:
            with tmp.open("wb") as fh:
                for _, line in lines:
                    fh.write(line)
            uploaded = await self.client.files.create(file=tmp, purpose="batch")
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        entry = self.ledger.add(BatchEntry(input_file_id=uploaded.id, requests=len(lines)))
        await self._create(entry)
        return entry

    async def _create(self, entry: BatchEntry) -> None:
        batch = await self.client.batches.create(
            input_file_id=entry.input_file_id,
            endpoint=ENDPOINT,
            completion_window=COMPLETION_WINDOW,
            metadata={"sitrep_run_key": self.ledger.run_key},
        )
        self._note(entry, batch)

    async def _adopt(self, entry: BatchEntry) -> bool:
        """Find the batch already made from ``entry``'s file; ``True`` if there is one."""
        seen = 0
        async for batch in self.client.batches.list(limit=100):
            if batch.input_file_id == entry.input_file_id:
                self._note(entry, batch)
                return True
            seen += 1
            if seen >= ADOPT_SCAN:
                break
        return False

    def _note(self, entry: BatchEntry, batch: Batch) -> None:
        changed = (entry.batch_id, entry.status) != (batch.id, batch.status)
        entry.batch_id, entry.status = batch.id, batch.status
        entry.output_file_id = batch.output_file_id
        entry.error_file_id = batch.error_file_id
        if changed:
            self.ledger.save()

    async def finish(self) -> None:
        """Wait for every batch of the ledger to end, and collect the answers of each."""
        total = len(self.ledger.batches)
        for number, entry in enumerate(self.ledger.batches):
            if entry.collected:
                continue
            if entry.batch_id is None and not await self._adopt(entry):
                await self._create(entry)
            batch = await self._poll(number, total, entry)
            await self._collect(number, entry, batch)

    async def _poll(self, number: int, total: int, entry: BatchEntry) -> Batch:
        assert entry.batch_id is not None
        while True:
            batch = await self.client.batches.retrieve(entry.batch_id)
            self._note(entry, batch)
            if self.on_status is not None:
                self.on_status(number + 1, total, batch)
            if batch.status in TERMINAL:
                return batch
            await self.sleep(self.poll_interval)

    async def _collect(self, number: int, entry: BatchEntry, batch: Batch) -> None:
        for file_id in (batch.output_file_id, batch.error_file_id):
            if file_id:
                await self._download(file_id, batch.id)
        kind, reason = unanswered_reason(batch)
        for custom_id in self.store.unanswered(number):
            self.store.put(custom_id, error=reason, kind=kind)
        if batch.status == "failed":
            entry.reason = reason
        entry.collected = True
        self.ledger.save()

    async def _download(self, file_id: str, batch_id: str) -> None:
        async with self.client.files.with_streaming_response.content(file_id) as response:
            async for raw in response.iter_lines():
                if not raw.strip():
                    continue
                line = json.loads(raw)
                custom_id = line.get("custom_id")
                if not isinstance(custom_id, str):
                    continue
                answer = line.get("response")
                error = line.get("error")
                if not error and isinstance(answer, dict) and answer.get("status_code") == 200:
                    self.store.put(custom_id, body=answer.get("body"))
                else:
                    kind, reason = line_failure(answer, error, batch_id)
                    self.store.put(custom_id, error=reason, kind=kind)
