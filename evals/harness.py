"""Run an extractor over the eval articles, score it, and keep the run; re-score a stored run.

``run_eval`` takes any callable from an :class:`~schemas.Article` to an
:class:`~schemas.ArticleExtraction` (a model, the offline baseline, a script), so the command line
stays thin and tests can pass a plain function. An extractor that raises on an article is
recorded as an :class:`~evals.failure.ExtractionFailure` and that article scores as all missed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from evals.config import ScoringConfig, load_config
from evals.dataset import dataset_hash
from evals.failure import ExtractionFailure
from evals.gold import GoldFile
from evals.runs import (
    DatasetInfo,
    PredictionLine,
    ProducerInfo,
    RunInfo,
    RunTotals,
    code_revision,
    gold_info,
    new_run_dir,
    read_run,
    write_run,
)
from evals.score import EvalResult, evaluate
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


def _producers(
    lines: Sequence[PredictionLine], fallback: Producer | None
) -> tuple[ProducerInfo, list[ProducerInfo]]:
    seen: list[ProducerInfo] = []
    for line in lines:
        p = line.extraction.producer if line.extraction else None
        p = p or (line.failure.producer if line.failure else None)
        if p is not None and (info := ProducerInfo.of(p)) not in seen:
            seen.append(info)
    if not seen:
        if fallback is None:
            raise ValueError(
                "no article produced a result naming its producer; pass producer= to say "
                "which model or baseline this run is"
            )
        seen.append(ProducerInfo.of(fallback))
    return seen[0], seen[1:]


def _totals(lines: Sequence[PredictionLine]) -> RunTotals:
    t = RunTotals(n_articles=len(lines))
    latencies = [line.latency_s for line in lines if line.latency_s is not None]
    for line in lines:
        if line.extraction is not None:
            u = line.extraction.producer.usage
            t.prompt_tokens += u.prompt_tokens
            t.completion_tokens += u.completion_tokens
            t.total_tokens += u.total_tokens
            t.attempts += line.extraction.producer.attempts
        else:
            t.n_errors += 1
    if latencies:
        t.latency_s = round(sum(latencies), 4)
        t.mean_latency_s = round(sum(latencies) / len(latencies), 4)
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
    extract_fn: ExtractFn,
    articles: Sequence[Article],
    golds: Mapping[str, GoldFile],
    out_dir: str | Path,
    *,
    producer: Producer | None = None,
    dataset_id: str = "evals/articles",
    config: ScoringConfig | None = None,
    resamples: int | None = None,
    seed: int | None = None,
    price: Callable[[str, int, int], float | None] | None = None,
    command: list[str] | None = None,
    on_article: Callable[[Article, PredictionLine], None] | None = None,
    unscored_fields: Sequence[str] = (),
) -> RunResult:
    """Extract every article with ``extract_fn``, score against ``golds`` and write a run
    directory under ``out_dir``. ``producer`` names the producer when no article succeeds;
    ``price(model, prompt_tokens, completion_tokens)`` gives the cost in dollars when known (a
    model run; the cost stays null otherwise). ``on_article`` is called after each article.
    ``unscored_fields`` names fields the gold set does not label (see :func:`evals.score.evaluate`);
    ``dataset_id`` names the data set and split in the run record."""
    cfg = config or load_config()
    lines: list[PredictionLine] = []
    for article in sorted(articles, key=lambda a: a.id):
        start = time.perf_counter()
        try:
            extraction = extract_fn(article)
            line = PredictionLine(article_id=article.id, extraction=extraction)
        except Exception as exc:  # one failed article must not lose the run
            failure = ExtractionFailure.from_exception(article.id, exc, producer)
            line = PredictionLine(article_id=article.id, failure=failure)
        line.latency_s = round(time.perf_counter() - start, 4)
        if line.extraction is not None and line.extraction.article_id != article.id:
            failure = ExtractionFailure(
                article_id=article.id,
                error_type="WrongArticle",
                message=f"extraction names article {line.extraction.article_id!r}",
                producer=line.extraction.producer,
            )
            line = PredictionLine(article_id=article.id, failure=failure, latency_s=line.latency_s)
        lines.append(line)
        if on_article is not None:
            on_article(article, line)
    predictions = {line.article_id: line.prediction for line in lines if line.prediction}
    result = evaluate(
        predictions,
        golds,
        articles,
        config=cfg,
        resamples=resamples,
        seed=seed,
        unscored_fields=unscored_fields,
    )
    _attach(lines, result)
    main, others = _producers(lines, producer)
    now = dt.datetime.now(dt.UTC)
    run_dir = new_run_dir(Path(out_dir), main, now)
    totals = _totals(lines)
    if price is not None and main.kind == "model":
        totals.cost_usd = price(main.name, totals.prompt_tokens, totals.completion_tokens)
    info = _info(run_dir, now, main, others, articles, dataset_id, golds, totals, result, command)
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
    result: EvalResult,
    command: list[str] | None,
    rescored_from: str | None = None,
) -> RunInfo:
    return RunInfo(
        run_id=run_dir.name,
        created_at=now,
        producer=main,
        other_producers=others,
        code_revision=code_revision(),
        sitrep_version=sitrep_version(),
        dataset=_dataset(articles, dataset_id),
        gold=gold_info(golds.values()),
        totals=totals,
        errors=dict(result.errors),
        rescored_from=rescored_from,
        command=command,
        scores=result.model_dump(mode="json", exclude={"docs"}),
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
    lines = [
        PredictionLine(
            article_id=line.article_id,
            extraction=line.extraction,
            failure=line.failure,
            latency_s=line.latency_s,
        )
        for line in old_lines
    ]
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
