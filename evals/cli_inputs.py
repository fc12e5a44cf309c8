"""What ``sitrep eval`` scores and runs on, checked before any work: the articles and their gold
(bundled, ``--labels``, ``--articles``/``--gold``) or a public data set (``--dataset``), and the
pipeline (``--model``, ``--base-url``, ``--baseline``). A wrong combination or an unreadable input
is a usage error (:func:`usage_error`, exit code 2) naming what to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from evals.dataset import load_eval_articles
from evals.datasets.base import DatasetError, LoadedDataset
from evals.gold import GoldError, GoldFile
from evals.goldset import default_gold_dir, load_gold_set
from extraction.pipeline.extractor import Extractor
from schemas.article import Article
from schemas.loaders import ArticleInputError, iter_paths


def usage_error(message: str) -> typer.Exit:
    Console(stderr=True, soft_wrap=True).print(f"[red]error[/red]: {message}", highlight=False)
    return typer.Exit(2)


def eval_articles(articles_dir: Path | None) -> list[Article]:
    """The bundled eval articles, or the ``.txt``/``.jsonl`` articles of a folder."""
    if articles_dir is None:
        return load_eval_articles()
    if not articles_dir.is_dir():
        raise usage_error(f"{articles_dir}: not a folder of articles")
    articles: list[Article] = []
    for item in iter_paths([articles_dir]):
        if isinstance(item, ArticleInputError):
            raise usage_error(str(item))
        articles.append(item)
    return articles


def gold_sources(
    labels: Path | None, articles_dir: Path | None, gold_dir: Path | None
) -> tuple[Path | None, Path | None]:
    """``--labels DIR`` is ``--articles DIR/articles --gold DIR/gold`` (a ``sitrep review``
    folder); ``--articles`` needs ``--gold``."""
    if labels is not None:
        if articles_dir is not None or gold_dir is not None:
            raise usage_error("--labels cannot be combined with --articles or --gold")
        return labels / "articles", labels / "gold"
    if articles_dir is not None and gold_dir is None:
        raise usage_error("--articles needs --gold (the folder of gold files for those articles)")
    return articles_dir, gold_dir


def scored_set(
    gold_dir: Path | None, articles_dir: Path | None = None
) -> tuple[list[Article], dict[str, GoldFile]]:
    articles = eval_articles(articles_dir)
    try:
        golds = load_gold_set(articles, gold_dir)
    except GoldError as exc:
        raise usage_error(str(exc)) from None
    drafts = sorted(aid for aid, g in golds.items() if g.provenance.status != "reviewed")
    if drafts:
        Console(stderr=True, soft_wrap=True).print(
            f"gold for {', '.join(drafts)} is still a draft (not reviewed): left out of the eval",
            highlight=False,
        )
        golds = {aid: g for aid, g in golds.items() if aid not in drafts}
    if not golds:
        where = gold_dir or default_gold_dir()
        raise usage_error(f"{where}: no gold files for the eval articles (<article_id>.json)")
    without = [a.id for a in articles if a.id not in golds]
    if without:
        Console(stderr=True, soft_wrap=True).print(
            f"no gold for {', '.join(without)}: left out of the eval", highlight=False
        )
    return [a for a in articles if a.id in golds], golds


def public_dataset(
    dataset: str | None,
    path: Path | None,
    split: str | None,
    heldout: bool,
    sources: tuple[Path | None, ...],
) -> tuple[LoadedDataset | None, tuple[str, ...]]:
    """A public data set (``--dataset``) and the fields it does not label, or ``None``."""
    if dataset is None:
        if path is not None or split is not None or heldout:
            raise usage_error(
                "--path, --split and --heldout go with --dataset (e.g. --dataset muc4)"
            )
        return None, ()
    if any(s is not None for s in sources):
        raise usage_error("--dataset cannot be combined with --labels, --articles or --gold")
    from evals.datasets.run import load_for_eval

    try:
        return load_for_eval(dataset, path, split, heldout)
    except DatasetError as exc:
        raise usage_error(str(exc)) from None


def make_extractor(
    model: str | None,
    base_url: str | None,
    baseline: bool,
    concurrency: int,
    err: Console,
    mode: str | None = None,
    options: dict[str, Any] | None = None,
) -> Extractor:
    """The pipeline the eval runs on: the configured model (with the response cache shared with
    every other command), or the offline baseline."""
    from extraction.batch.cache import CacheError
    from extraction.config import BASELINE_NOTICE, resolve_config
    from extraction.errors import ConfigurationError

    if baseline and (model or base_url):
        raise usage_error("--baseline cannot be combined with --model or --base-url")
    try:
        cfg = (
            None
            if baseline
            else resolve_config(model, base_url=base_url, mode=mode, **(options or {}))
        )
    except ConfigurationError as exc:
        raise usage_error(str(exc)) from None
    if cfg is None:
        err.print(BASELINE_NOTICE, highlight=False)
    try:
        return Extractor(cfg, concurrency=concurrency)
    except (CacheError, ValueError) as exc:
        raise usage_error(str(exc)) from None


def eval_inputs(
    dataset: str | None,
    path: Path | None,
    split: str | None,
    heldout: bool,
    labels: Path | None,
    articles_dir: Path | None,
    gold_dir: Path | None,
) -> tuple[LoadedDataset | None, tuple[str, ...], list[Article], dict[str, GoldFile]]:
    """What a run scores: the public data set (``--dataset``) and the fields it does not label,
    or the bundled or given articles with their gold (``--labels``, ``--articles``, ``--gold``)."""
    public, unscored = public_dataset(
        dataset, path, split, heldout, (labels, articles_dir, gold_dir)
    )
    if public is not None:
        return public, unscored, public.articles, public.golds
    articles_dir, gold_dir = gold_sources(labels, articles_dir, gold_dir)
    articles, golds = scored_set(gold_dir, articles_dir)
    return None, unscored, articles, golds
