"""``sitrep extract --via openai-batch``: the same records as ``sitrep extract``, with the first
answer to every call had through the provider's Batch API (billed at about half).

:func:`run_openai_batch` takes four steps, each resumable:

1. finish the batches an earlier, interrupted run of the same results file left (its ledger);
2. plan: every call the articles still to do would make (their chunks, exactly as
   :class:`~extraction.pipeline.article.ArticleProcessor` splits them) that the response cache
   and the earlier batches do not answer, written as request lines (the body instructor would
   send, :func:`extraction.model.openai_compat.request_body`; ``custom_id``: the call's cache
   key, so identical calls are asked once);
3. submit them (:class:`~extraction.scale.openai_batch.BatchJobs`), poll, download the answers;
4. run the ordinary batch (:func:`~extraction.batch.run.run_batch`) with :class:`BatchAnswers`
   as its extraction: each answer is parsed, validated and grounded as a synchronous one
   (:func:`~extraction.model.openai_compat.aextract_answer`), an answer that fails validation is
   re-asked synchronously up to ``max_reasks`` times, a request the provider did not answer fails
   its article with the provider's reason. The results file, the cache, resume, failure records
   and the summary are those of ``sitrep extract``; records are priced at the table's batch rates
   (:meth:`~extraction.batch.pricing.PriceTable.for_batch`), synchronous re-asks included.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import openai
from openai.types.chat import ChatCompletion

from extraction.batch.cache import ResponseCache
from extraction.batch.pricing import PriceTable
from extraction.batch.progress import ProgressFn
from extraction.batch.results import ResultsFile, identity_digest
from extraction.batch.run import BatchResult, BatchSettings, RunIdentity, run_batch
from extraction.batch.run_index import RunIndex
from extraction.config import ExtractionConfig
from extraction.errors import ExtractionError, error_class
from extraction.model import openai_compat as llm
from extraction.model.clients import LoopClients
from extraction.pipeline.article import Item
from extraction.pipeline.chunking import chunk_article, split_text
from extraction.pipeline.setup import identity_for
from extraction.redaction import Redactor
from extraction.scale.batch_state import AnswerStore, BatchLedger
from extraction.scale.openai_batch import (
    MAX_BYTES,
    MAX_REQUESTS,
    AsyncSleep,
    BatchJobs,
    StatusFn,
    request_files,
    request_line,
)
from schemas.article import Article
from schemas.records import ArticleExtraction

Items = Callable[[], Iterable[Item]]
"""The input, read twice (to plan the requests, then to make the records): a function returning
a fresh iterable each time, e.g. ``lambda: iter_paths(paths)``."""


def calls_of(article: Article, identity: RunIdentity) -> list[Article]:
    """What the batch pipeline sends for ``article``: itself, or its chunks when it is long."""
    chunks = split_text(
        article.text, max_tokens=identity.chunk_tokens, overlap_tokens=identity.overlap_tokens
    )
    return [article] if len(chunks) == 1 else [chunk_article(article, c) for c in chunks]


def _cached(cache: ResponseCache | None, key: str) -> bool:
    if cache is None or not cache.readable:
        return False
    hit = cache.get(key)
    if hit is None:
        return False
    try:
        ArticleExtraction.model_validate_json(hit)
    except ValueError:
        return False  # an entry this version cannot read: the run calls again
    return True


def plan_requests(
    items: Iterable[Item],
    config: ExtractionConfig,
    identity: RunIdentity,
    store: AnswerStore,
    cache: ResponseCache | None,
    done: Callable[[str], bool],
    *,
    retry_failed: bool = False,
) -> Iterator[tuple[str, bytes]]:
    """(custom id, request line) for every call still to make, each once, in input order.

    A call answered by the cache or by an earlier batch is not asked again; one an earlier batch
    failed is asked again only with ``retry_failed`` (as ``sitrep extract --retry-failed``)."""
    with RunIndex() as index:
        seen, planned = index.map("seen"), index.map("planned")
        for item in items:
            if not isinstance(item, Article):
                continue
            digest = identity_digest((item.id, ""))
            if digest in seen or done(item.id):  # a repeated id fails as input, with no call
                seen[digest] = ""
                continue
            seen[digest] = ""
            for piece in calls_of(item, identity):
                key = identity.call_key(piece)
                mark = identity_digest((key, ""))
                if mark in planned or _cached(cache, key):
                    continue
                earlier = store.answer(key)
                if earlier is not None and (earlier.body is not None or not retry_failed):
                    continue
                planned[mark] = ""
                yield key, request_line(key, llm.request_body(piece, config))


class BatchAnswers:
    """The extraction :func:`run_openai_batch` runs the pipeline with: the batch's answer to a
    call, validated and grounded (re-asks sent synchronously through a client per event loop)."""

    def __init__(self, config: ExtractionConfig, identity: RunIdentity, store: AnswerStore) -> None:
        self.config = config
        self.identity = identity
        self.store = store
        self._clients = LoopClients(config)

    async def __call__(self, article: Article) -> ArticleExtraction:
        key = self.identity.call_key(article)
        answer = self.store.answer(key)
        endpoint, model = self.config.endpoint, self.config.api_model
        if answer is None:
            raise ExtractionError(
                f"no batch answer for this call (key {key}) in {self.store.path}; run the same "
                "command again to request it",
                endpoint=endpoint,
                model=model,
            )
        if answer.body is None:
            raise error_class(answer.kind or "internal")(
                answer.error or "no answer", endpoint=endpoint, model=model
            )
        completion = ChatCompletion.construct(**answer.body)
        return await llm.aextract_answer(
            article, self.config, completion, client=self._clients.get()
        )

    async def aclose(self) -> None:
        await self._clients.aclose()


async def run_openai_batch(
    items: Items,
    config: ExtractionConfig,
    out: str | Path,
    *,
    identity: RunIdentity | None = None,
    settings: BatchSettings | None = None,
    cache: ResponseCache | None = None,
    prices: PriceTable | None = None,
    redactor: Redactor | None = None,
    on_progress: ProgressFn | None = None,
    on_status: StatusFn | None = None,
    total: int | None = None,
    retry_failed: bool = False,
    overwrite: bool = False,
    poll_interval: float = 30.0,
    sleep: AsyncSleep | None = None,
    max_requests: int = MAX_REQUESTS,
    max_bytes: int = MAX_BYTES,
    client: openai.AsyncOpenAI | None = None,
) -> BatchResult:
    """Extract ``items()`` into the results file ``out`` through the provider's Batch API (see
    the module docstring). Rerun it after an interruption: it picks up its batches.

    ``client`` (for the Files and Batches calls) defaults to one for ``config``'s endpoint and
    key, with the client's own retries on."""
    identity = identity or identity_for(config)
    prices = prices if prices is not None else PriceTable.load()
    ledger = BatchLedger.load(out, run_key=identity.run_key)
    own = client is None
    jobs_client = client or openai.AsyncOpenAI(**{**llm.client_kwargs(config), "max_retries": 5})
    try:
        with AnswerStore(out) as store:
            jobs = BatchJobs(
                jobs_client,
                ledger,
                store,
                poll_interval=poll_interval,
                sleep=sleep,
                on_status=on_status,
            )
            await jobs.finish()
            with ResultsFile(out, redactor=redactor) as results:
                state = results.open(overwrite=False)
                stats = copy.copy(cache.stats) if cache is not None else None

                def done(article_id: str) -> bool:
                    if overwrite:
                        return False
                    return state.is_done((article_id, identity.run_key), retry_failed=retry_failed)

                lines = plan_requests(
                    items(), config, identity, store, cache, done, retry_failed=retry_failed
                )
                for group in request_files(lines, max_requests=max_requests, max_bytes=max_bytes):
                    await jobs.submit(group)  # one file in memory at a time
                if cache is not None and stats is not None:
                    cache.stats = stats  # planning's look-ups are not the run's cache hits
            await jobs.finish()
            return await run_batch(
                items(),
                BatchAnswers(config, identity, store),
                out,
                identity=identity,
                settings=settings,
                cache=cache,
                prices=prices.for_batch(),
                redactor=redactor,
                on_progress=on_progress,
                total=total,
                retry_failed=retry_failed,
                overwrite=overwrite,
            )
    finally:
        if own:
            await jobs_client.close()
