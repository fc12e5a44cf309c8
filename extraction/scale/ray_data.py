"""Ray Data over self-hosted OpenAI-compatible endpoints (vLLM servers): the per-article pipeline
of ``sitrep extract`` mapped over a Ray Dataset, for inputs and endpoints beyond one process.

Install with ``pip install "sitrep[ray]"``. Three steps, each an ordinary Ray Dataset operation:

>>> import ray  # doctest: +SKIP
>>> ds = read_articles(["articles/", "more.jsonl"])  # doctest: +SKIP
>>> records = extract_dataset(ds, config, endpoints=["http://gpu1:8000/v1",
...     "http://gpu2:8000/v1"], workers=4, concurrency=16)  # doctest: +SKIP
>>> write_records(records, "results/")  # or "results.parquet/"  # doctest: +SKIP

- :func:`read_articles`: ``.txt``/``.jsonl`` files and folders of them (read by sitrep's own
  loaders, one file per task, so an unreadable file or line becomes an ``input`` error record as
  in ``sitrep extract``) and Parquet files (columns named as :class:`~schemas.article.Article`'s
  fields; ``id`` and ``text`` required).
- :func:`extract_dataset`: ``workers`` Ray actors, each running the batch pipeline of
  :mod:`extraction.batch.run` (chunking, the response cache, re-asks, grounding, failure
  records) on its blocks with ``concurrency`` calls in flight, spread round-robin over
  ``endpoints`` (replicas of one model: the records and cache keys name the first, so a rerun
  with the same list answers from the cache what is done). The API key is read by each worker
  from ``$SITREP_API_KEY`` (never shipped through Ray's object store); self-hosted servers rarely
  need one. The cache is a SQLite file: give each machine a local path (the default,
  ``$SITREP_CACHE_DIR``).
- :func:`write_records`: the records as JSONL part files that
  :func:`~extraction.batch.results.read_records` reads, or Parquet with the record as a JSON
  column beside ``key``, ``article_id``, ``status`` and ``error_kind``.

Unlike ``sitrep extract``, an article id repeated in two different blocks is not reported as a
duplicate (blocks are processed apart); within a block it is.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extraction.batch.cache import ResponseCache
from extraction.batch.pricing import PriceTable
from extraction.batch.run import BatchSettings, extract_batch
from extraction.config import ENV_API_KEY, ExtractionConfig
from extraction.model.openai_backend import OpenAIBackend
from extraction.pipeline.article import Item
from extraction.pipeline.calls import ExtractFn
from extraction.pipeline.chunking import DEFAULT_CHUNK_TOKENS, DEFAULT_OVERLAP_TOKENS
from extraction.pipeline.setup import default_cache_path, identity_for, redactor_for
from schemas.article import Article
from schemas.loaders import ArticleInputError, iter_paths, sorted_names

if TYPE_CHECKING:
    import ray.data

RECORD = "record"
"""The column holding a result record as JSON."""
BLOCKS_AT_ONCE = 2
"""Blocks an actor works on at once, sharing its ``concurrency``."""


def encode_item(item: Item) -> dict[str, str]:
    """An input item as a Dataset row (JSON text, so every row has the same two string columns).

    >>> decode_item(encode_item(Article(id="a1", text="Iran struck Koya."))).id
    'a1'
    >>> str(decode_item(encode_item(ArticleInputError("x.jsonl", "is empty", line=2))))
    'x.jsonl:2: is empty'
    """
    if isinstance(item, Article):
        return {"article": item.model_dump_json(), "error": ""}
    error = {"path": item.path, "reason": item.reason, "line": item.line, "field": item.field}
    return {"article": "", "error": json.dumps(error)}


def decode_item(row: dict[str, Any]) -> Item:
    if row["article"]:
        return Article.model_validate_json(row["article"])
    e = json.loads(row["error"])
    return ArticleInputError(e["path"], e["reason"], line=e["line"], field=e["field"])


def _load_file(row: dict[str, Any]) -> list[dict[str, str]]:
    return [encode_item(item) for item in iter_paths([Path(row["path"])])]


def _from_parquet_row(row: dict[str, Any]) -> dict[str, str]:
    fields = {k: v for k, v in row.items() if k in Article.model_fields and v is not None}
    try:
        return encode_item(Article.model_validate(fields))
    except ValueError as exc:
        where = str(row.get("id") or "?")
        return encode_item(ArticleInputError(f"parquet row {where}", str(exc).splitlines()[0]))


def _files(paths: Sequence[str | Path]) -> tuple[list[str], list[str], list[Item]]:
    """(text/JSONL files, Parquet files, input errors) of ``paths``, in iter_paths' order."""
    texts: list[str] = []
    parquet: list[str] = []
    errors: list[Item] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            names = list(sorted_names(path, (".txt", ".jsonl", ".parquet")))
            if not names:
                errors.append(ArticleInputError(path, "holds no .txt, .jsonl or .parquet files"))
            for name in names:
                (parquet if name.endswith(".parquet") else texts).append(str(path / name))
        elif path.suffix == ".parquet":
            parquet.append(str(path))
        else:
            texts.append(str(path))
    return texts, parquet, errors


def read_articles(paths: Sequence[str | Path]) -> ray.data.Dataset:
    """A Dataset of input items (columns ``article`` and ``error``, JSON text) from ``paths``."""
    import ray.data

    texts, parquet, errors = _files(paths)
    parts: list[ray.data.Dataset] = []
    if texts:
        listing = ray.data.from_items([{"path": p} for p in texts], override_num_blocks=len(texts))
        parts.append(listing.flat_map(_load_file))
    if parquet:
        parts.append(ray.data.read_parquet(parquet).map(_from_parquet_row))
    if errors:
        parts.append(ray.data.from_items([encode_item(e) for e in errors]))
    if not parts:
        raise ValueError("read_articles: no input paths given")
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


class RoundRobin:
    """An extraction spreading its calls over one extraction per endpoint, in turn."""

    def __init__(self, fns: Sequence[OpenAIBackend]) -> None:
        self.fns = list(fns)
        self._next = itertools.cycle(self.fns)

    async def __call__(self, article: Article) -> Any:
        return await next(self._next)(article)

    async def aclose(self) -> None:
        for fn in self.fns:
            await fn.aclose()


class Shared:
    """An extraction whose calls share one limit of ``concurrency`` in flight across the blocks
    an actor works on at once; its clients stay open for the actor's life."""

    def __init__(self, fn: ExtractFn, concurrency: int) -> None:
        self.fn = fn
        self.concurrency = concurrency
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, article: Article) -> Any:
        if self._slots is None:  # made on the actor's event loop
            self._slots = asyncio.Semaphore(self.concurrency)
        async with self._slots:
            return await self.fn(article)


class ExtractBlocks:
    """The Ray actor class :func:`extract_dataset` maps over the blocks, asynchronously: an actor
    works on up to :data:`BLOCKS_AT_ONCE` blocks at once (so that calls go on while a block drains)
    with one client per endpoint for its whole life and ``concurrency`` calls in flight in all."""

    def __init__(
        self,
        config: dict[str, Any],
        endpoints: Sequence[str],
        concurrency: int,
        cache_path: str | None,
        chunk_tokens: int,
        overlap_tokens: int,
        prices: dict[str, Any] | None,
    ) -> None:
        key = os.environ.get(ENV_API_KEY)
        base = ExtractionConfig.model_validate({**config, "api_key": key})
        self.config = base
        self.identity = identity_for(base, chunk_tokens=chunk_tokens, overlap_tokens=overlap_tokens)
        urls = list(endpoints) or [base.base_url]
        fns = [OpenAIBackend(base.model_copy(update={"base_url": url})) for url in urls]
        self.extract_fn = Shared(RoundRobin(fns) if len(fns) > 1 else fns[0], concurrency)
        self.settings = BatchSettings(concurrency=concurrency)
        self.redactor = redactor_for(base)
        self.prices = PriceTable.from_mapping(prices) if prices else PriceTable.load()
        self.cache_path = cache_path

    async def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        columns = list(batch)
        rows = zip(*(batch[c] for c in columns), strict=True)
        items = [decode_item(dict(zip(columns, row, strict=True))) for row in rows]
        out: dict[str, list[str]] = {
            RECORD: [], "key": [], "article_id": [], "status": [], "error_kind": []
        }  # fmt: skip
        cache = ResponseCache(self.cache_path, redactor=self.redactor) if self.cache_path else None
        try:
            async for record in extract_batch(
                items,
                self.extract_fn,
                identity=self.identity,
                settings=self.settings,
                cache=cache,
                prices=self.prices,
                redactor=self.redactor,
            ):
                out[RECORD].append(self.redactor(record.model_dump_json()))
                out["key"].append(record.key)
                out["article_id"].append(record.article_id or "")
                out["status"].append(record.status)
                out["error_kind"].append(record.error.kind if record.error else "")
        finally:
            if cache is not None:
                cache.close()
        return out


def extract_dataset(
    articles: ray.data.Dataset,
    config: ExtractionConfig,
    *,
    endpoints: Sequence[str] = (),
    workers: int = 1,
    concurrency: int = 8,
    batch_size: int = 64,
    cache_path: str | Path | None = None,
    cache: bool = True,
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
    prices: PriceTable | None = None,
    num_cpus: float = 0.5,
) -> ray.data.Dataset:
    """The records of ``articles`` (from :func:`read_articles`): a Dataset with the record as
    JSON in column ``record``, and ``key``, ``article_id``, ``status``, ``error_kind``.

    ``workers`` actors each keep ``concurrency`` calls in flight over ``batch_size`` articles at a
    time, so ``workers * concurrency`` calls are in flight in all; ``endpoints`` default to
    ``config``'s. Nothing runs until the Dataset is consumed (written, iterated)."""
    import ray.data

    dumped = config.model_dump(mode="json", exclude={"api_key"})
    path = str(cache_path or default_cache_path()) if cache else None
    table = None
    if prices is not None:
        table = {"models": {name: vars_of(p) for name, p in prices.prices.items()}}
    blocks = articles.repartition(target_num_rows_per_block=batch_size)  # spread over workers
    return blocks.map_batches(
        ExtractBlocks,
        fn_constructor_args=(
            dumped,
            list(endpoints),
            concurrency,
            path,
            chunk_tokens,
            overlap_tokens,
            table,
        ),
        batch_size=batch_size,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(
            size=workers, max_concurrent_calls_per_actor=BLOCKS_AT_ONCE
        ),
        num_cpus=num_cpus,
    )


def vars_of(price: Any) -> dict[str, float]:
    """A :class:`~extraction.batch.pricing.Price` as a price-table entry."""
    names = ("input", "output", "cached_input", "batch_input", "batch_output")
    return {n: getattr(price, n) for n in names if getattr(price, n) is not None}


def write_records(records: ray.data.Dataset, out: str | Path) -> None:
    """Write ``records`` under the folder ``out``: Parquet if its name ends in ``.parquet``,
    else JSONL part files (``*.jsonl``) of result records."""
    target = str(out)
    if target.rstrip("/").endswith(".parquet"):
        records.write_parquet(target)
    else:
        records.write_datasink(_jsonl_sink(target))


def iter_written(out: str | Path) -> Iterator[str]:
    """The record lines of the JSONL parts :func:`write_records` wrote under ``out``."""
    for part in sorted(Path(out).glob("*.jsonl")):
        with part.open(encoding="utf-8") as fh:
            yield from (line for line in fh if line.strip())


def _jsonl_sink(path: str) -> Any:
    """A Ray datasink writing the ``record`` column, one line per record, a file per block."""
    import ray.data

    class JsonlRecords(ray.data.BlockBasedFileDatasink):  # type: ignore[misc,unused-ignore]
        def write_block_to_file(self, block: Any, file: Any) -> None:
            for value in block.to_arrow().column(RECORD).to_pylist():
                file.write(value.encode("utf-8") + b"\n")

    return JsonlRecords(path, file_format="jsonl")
