"""Run an extractor over the eval articles, score it, and keep the run; re-score a stored run.

``run_eval`` sends the articles through the extraction pipeline
(:class:`~extraction.pipeline.extractor.Extractor`: the same road as ``sitrep extract`` and the
library, with its response cache, chunking and failure records), all in one event loop and
concurrently. It also takes any plain function from an :class:`~schemas.Article` to an
:class:`~schemas.ArticleExtraction` (a script, a test), run through the same pipeline without a
cache. An article whose extraction fails keeps its failure record and scores as all missed.

The run directory's ``run.json`` is written before the first article (``status: started``) and
completed at the end (``success``, or ``error`` with the error), so a crashed run leaves its record.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from evals.config import ScoringConfig, load_config
from evals.dataset import dataset_hash
from evals.gold import GoldFile
from evals.runs import (
    DatasetInfo,
    PredictionLine,
    ProducerInfo,
    RunInfo,
    RunTotals,
    append_line,
    code_revision,
    gold_info,
    new_run_dir,
    read_run,
    write_info,
    write_run,
)
from evals.score import EvalResult, evaluate
from extraction.model.base import FunctionBackend
from extraction.pipeline.extractor import Extractor
from extraction.pipeline.settings import RunIdentity
from schemas.article import Article
from schemas.records import ArticleExtraction, Producer
from schemas.version import sitrep_version

ExtractFn = Callable[[Article], ArticleExtraction]


@dataclass(frozen=True)
class RunResult:
    run_dir: Path
    info: RunInfo
    result: EvalResult
    lines: list[PredictionLine]


def producer_of(extractor: Extractor) -> Producer:
    """The producer an extractor's records will name (before any of them exists)."""
    cfg = extractor.config
    if cfg is None:
        from extraction.baseline import BASELINE_NAME, BASELINE_VERSION

        return Producer(kind="baseline", name=BASELINE_NAME, version=BASELINE_VERSION)
    return Producer(
        kind="model",
        name=cfg.model,
        provider=cfg.provider,
        base_url=cfg.endpoint,
        parameters=cfg.parameters(),
    )


def _function_extractor(fn: ExtractFn, producer: Producer) -> Extractor:
    async def call(article: Article) -> ArticleExtraction:
        return fn(article)

    identity = RunIdentity(model=producer.name, producer_kind=producer.kind)
    return Extractor(None, backend=FunctionBackend(call), identity=identity, cache="off")


def _producers(
    lines: Sequence[PredictionLine], started: ProducerInfo
) -> tuple[ProducerInfo, list[ProducerInfo]]:
    seen: list[ProducerInfo] = []
    for line in lines:
        p = line.extraction.producer if line.extraction else None
        if p is not None and (info := ProducerInfo.of(p)) not in seen:
            seen.append(info)
    if not seen:
        seen.append(started)
    return seen[0], seen[1:]


def _totals(lines: Sequence[PredictionLine], kind: str) -> RunTotals:
    t = RunTotals(n_articles=len(lines))
    latencies = [line.latency_s for line in lines if line.latency_s is not None]
    costs: list[float | None] = []
    for line in lines:
        u = line.record.usage
        t.prompt_tokens += u.prompt_tokens
        t.completion_tokens += u.completion_tokens
        t.total_tokens += u.total_tokens
        costs.append(line.record.cost_usd)
        if line.extraction is not None:
            t.attempts += line.extraction.producer.attempts
        else:
            t.n_errors += 1
            if line.failure is not None and line.failure.attempts:
                t.attempts += line.failure.attempts
    if latencies:
        t.latency_s = round(sum(latencies), 4)
        t.mean_latency_s = round(sum(latencies) / len(latencies), 4)
    if kind == "model" and costs and all(c is not None for c in costs):
        t.cost_usd = round(sum(c for c in costs if c is not None), 6)
    return t


def _dataset(articles: Sequence[Article], dataset_id: str) -> DatasetInfo:
    return DatasetInfo(
        id=dataset_id,
        hash=dataset_hash(list(articles)),
        n_articles=len(articles),
        article_ids=sorted(a.id for a in articles),
    )


def _attach(lines: list[PredictionLine], result: EvalResult) -> None:
    by_id = {d.article_id: d for d in result.docs}
    for line in lines:
        line.score = by_id.get(line.article_id)


def run_eval(
    extractor: Extractor | ExtractFn,
    articles: Sequence[Article],
    golds: Mapping[str, GoldFile],
    out_dir: str | Path,
    *,
    producer: Producer | None = None,
    dataset_id: str = "evals/articles",
    config: ScoringConfig | None = None,
    resamples: int | None = None,
    seed: int | None = None,
    command: list[str] | None = None,
    on_article: Callable[[Article, PredictionLine], None] | None = None,
    unscored_fields: Sequence[str] = (),
) -> RunResult:
    """Extract every article through ``extractor`` (an
    :class:`~extraction.pipeline.extractor.Extractor`, or a plain function, for which
    ``producer`` must name who made its records), score against ``golds`` and write a run
    directory under ``out_dir``. ``on_article`` is called as each article finishes.
    ``unscored_fields`` names fields the gold set does not label (see :func:`evals.score.evaluate`);
    ``dataset_id`` names the data set and split in the run record."""
    if isinstance(extractor, Extractor):
        started_by = producer or producer_of(extractor)
        road = extractor
    else:
        if producer is None:
            raise ValueError(
                "a plain extraction function does not say what made its records; pass "
                "producer= to name the model or baseline of this run"
            )
        started_by, road = producer, _function_extractor(extractor, producer)
    cfg = config or load_config()
    started = ProducerInfo.of(started_by)
    now = dt.datetime.now(dt.UTC)
    run_dir = new_run_dir(Path(out_dir), started, now)
    info = _info(run_dir, now, started, [], articles, dataset_id, golds, RunTotals(), None, command)
    write_info(run_dir, info)
    by_id = {a.id: a for a in articles}
    lines: list[PredictionLine] = []

    ordered: list[Article] = sorted(articles, key=lambda a: a.id)

    async def extract_all() -> None:
        async for record in road.records(ordered):
            line = PredictionLine(record=record)
            append_line(run_dir, line)
            lines.append(line)
            article = by_id.get(line.article_id)
            if on_article is not None and article is not None:
                on_article(article, line)

    try:
        asyncio.run(extract_all())
        lines.sort(key=lambda line: line.article_id)
        predictions = {line.article_id: p for line in lines if (p := line.prediction) is not None}
        result = evaluate(
            predictions,
            golds,
            articles,
            config=cfg,
            resamples=resamples,
            seed=seed,
            unscored_fields=unscored_fields,
        )
    except BaseException as exc:  # a crash or Ctrl-C: the run log says so, then it goes on up
        info.status, info.error = "error", f"{type(exc).__name__}: {exc}"
        info.totals = _totals(lines, started.kind)
        info.finished_at = dt.datetime.now(dt.UTC)
        write_info(run_dir, info)
        raise
    finally:
        if road is not extractor:
            road.close()
    _attach(lines, result)
    main, others = _producers(lines, started)
    info = _info(
        run_dir,
        now,
        main,
        others,
        articles,
        dataset_id,
        golds,
        _totals(lines, main.kind),
        result,
        command,
    )
    write_run(run_dir, info, lines)
    return RunResult(run_dir, info, result, lines)


def _info(
    run_dir: Path,
    now: dt.datetime,
    main: ProducerInfo,
    others: list[ProducerInfo],
    articles: Sequence[Article],
    dataset_id: str,
    golds: Mapping[str, GoldFile],
    totals: RunTotals,
    result: EvalResult | None,
    command: list[str] | None,
    rescored_from: str | None = None,
) -> RunInfo:
    return RunInfo(
        run_id=run_dir.name,
        status="started" if result is None else "success",
        created_at=now,
        finished_at=None if result is None else dt.datetime.now(dt.UTC),
        producer=main,
        other_producers=others,
        code_revision=code_revision(),
        sitrep_version=sitrep_version(),
        dataset=_dataset(articles, dataset_id),
        gold=gold_info(golds.values()),
        totals=totals,
        errors=dict(result.errors) if result is not None else {},
        rescored_from=rescored_from,
        command=command,
        scores=result.model_dump(mode="json", exclude={"docs"}) if result is not None else {},
    )


def rescore_run(
    run_dir: str | Path,
    articles: Sequence[Article],
    golds: Mapping[str, GoldFile],
    out_dir: str | Path | None = None,
    *,
    config: ScoringConfig | None = None,
    resamples: int | None = None,
    seed: int | None = None,
    command: list[str] | None = None,
    unscored_fields: Sequence[str] = (),
) -> RunResult:
    """Score a stored run's predictions against the current gold (no model call) and write the
    result as a new run directory (next to the old one unless ``out_dir`` is given)."""
    old_info, old_lines = read_run(run_dir)
    lines = [PredictionLine(record=line.record) for line in old_lines]
    predictions = {line.article_id: line.prediction for line in lines if line.prediction}
    result = evaluate(
        predictions,
        golds,
        articles,
        config=config,
        resamples=resamples,
        seed=seed,
        unscored_fields=unscored_fields,
    )
    _attach(lines, result)
    now = dt.datetime.now(dt.UTC)
    root = Path(out_dir) if out_dir is not None else Path(run_dir).parent
    new_dir = new_run_dir(root, old_info.producer, now)
    info = _info(
        new_dir,
        now,
        old_info.producer,
        old_info.other_producers,
        articles,
        old_info.dataset.id,
        golds,
        old_info.totals,
        result,
        command,
        rescored_from=old_info.run_id,
    )
    write_run(new_dir, info, lines)
    return RunResult(new_dir, info, result, lines)
