"""Group commit of finished records into the results file: :class:`ResultsAppender`.

Records wait in a queue; one writer drains all of them into one ``write`` + ``fsync`` (in a
worker thread, off the event loop) and only then counts them as done, so a record counts in
:class:`~extraction.batch.progress.BatchProgress` once it is durable. On Ctrl-C or an aborted
batch, whatever was queued is still written: it was paid for.

>>> import asyncio, tempfile
>>> from pathlib import Path
>>> from extraction.batch.results import ResultRecord, ResultsFile, read_records
>>> from schemas.records import Usage
>>> async def save(results, progress):
...     async with ResultsAppender(results, 16, progress, None) as appender:
...         record = ResultRecord(key="a1", run_key="run:x", status="ok")
...         await appender.submit(Outcome(record, Usage(), 0.0))
>>> with tempfile.TemporaryDirectory() as tmp:
...     progress = BatchProgress()
...     with ResultsFile(Path(tmp, "out.jsonl")) as results:
...         _ = results.open()
...         asyncio.run(save(results, progress))
...     [r.key for r in read_records(Path(tmp, "out.jsonl"))], progress.done
(['a1'], 1)
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from extraction.batch.progress import BatchProgress, ProgressFn
from extraction.batch.results import ResultsFile
from extraction.pipeline.article import Outcome

_Pending = tuple[bytes, Outcome, BatchProgress, ProgressFn | None]


class ResultsAppender:
    """Group commit: records wait in a queue; one writer drains all of them into one
    ``write`` + ``fsync`` (in a worker thread, off the event loop) and only then counts them as
    done. On Ctrl-C or an aborted batch, whatever was queued is still written: it was paid for."""

    def __init__(
        self,
        results: ResultsFile,
        max_pending: int,
        progress: BatchProgress,
        on_progress: ProgressFn | None,
    ) -> None:
        self.results = results
        self.progress = progress
        self.on_progress = on_progress
        self.abandoned: list[Outcome] = []  # finished outcomes an interrupted run never took
        self.queue: asyncio.Queue[_Pending | None] = asyncio.Queue(maxsize=max_pending)
        self.task: asyncio.Task[None] | None = None
        self.error: BaseException | None = None
        self.inflight: asyncio.Future[None] | None = None
        self.inflight_batch: list[_Pending] = []

    async def __aenter__(self) -> ResultsAppender:
        self.task = asyncio.create_task(self._write_loop())
        return self

    async def submit(self, outcome: Outcome) -> None:
        if self.error is not None:
            raise self.error
        line = self.results.encode(outcome.record)
        await self.queue.put((line, outcome, self.progress, self.on_progress))

    def _drain(self) -> tuple[list[_Pending], bool]:
        batch: list[_Pending] = []
        stop = False
        while not self.queue.empty():
            got = self.queue.get_nowait()
            if got is None:
                stop = True
            else:
                batch.append(got)
        return batch, stop

    @staticmethod
    def _count(batch: list[_Pending]) -> None:
        for _, outcome, progress, on_progress in batch:
            progress.add(outcome.record, outcome.spent, outcome.spent_cost)
            if on_progress is not None:
                on_progress(progress)

    async def _write_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            first = await self.queue.get()
            more, stop = self._drain()
            batch = ([first] if first is not None else []) + more
            if batch:
                self.inflight_batch = batch
                self.inflight = loop.run_in_executor(
                    None, self.results.append_encoded, [b[0] for b in batch]
                )
                try:
                    await asyncio.shield(self.inflight)
                except asyncio.CancelledError:
                    raise
                except BaseException as exc:
                    self.error = exc
                    raise
                self.inflight, self.inflight_batch = None, []
                self._count(batch)
            if first is None or stop:
                return

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        assert self.task is not None
        if exc is None and self.error is None:
            await self.queue.put(None)  # the writer stops after everything queued before it
            with contextlib.suppress(Exception):
                await self.task
        else:
            self.task.cancel()
            with contextlib.suppress(BaseException):
                await self.task
            if self.inflight is not None:  # a write already handed to the worker thread
                await asyncio.wait([self.inflight])
                if self.inflight.exception() is None:
                    self._count(self.inflight_batch)
            leftover, _ = self._drain()
            leftover += [
                (self.results.encode(o.record), o, self.progress, self.on_progress)
                for o in self.abandoned
            ]
            if leftover and self.error is None:
                self.results.append_encoded([b[0] for b in leftover])
                self._count(leftover)
        if self.error is not None and exc is None:
            raise self.error
