"""Drafts: an extraction in the gold format, marked as a draft for a person to review.

A draft is a :class:`evals.gold.GoldFile` whose ``provenance.status`` is ``"draft"``; it records
which model (or the offline baseline) made it, with which prompt, in which run. Evidence the model
could not ground is kept, flagged ``not_found``, so the reviewer sees and fixes it.

>>> import datetime as dt
>>> from schemas import Article, ArticleExtraction, Producer
>>> art = Article(id="a1", text="Two people were killed.")
>>> ext = ArticleExtraction(article_id="a1", producer=Producer(kind="baseline",
...                         name="sitrep-baseline"))
>>> d = make_draft(art, ext, run_id="label-1", today=dt.date(2024, 5, 1))
>>> d.provenance.status, d.provenance.drafted_by, d.provenance.draft_run
('draft', 'sitrep-baseline', 'label-1')
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from evals.gold import GoldFile, GoldProvenance
from extraction.pipeline.extractor import Extractor
from schemas.article import Article
from schemas.records import ArticleExtraction

DRAFT_METHOD = "drafted by sitrep label; not reviewed by a person"


def new_run_id(now: dt.datetime | None = None) -> str:
    """An id for one ``sitrep label`` run, recorded in every draft (and field) it produces.

    >>> new_run_id(dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC))[:23]
    'label-20240501T120000Z-'
    """
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"label-{stamp}-{secrets.token_hex(3)}"


def make_draft(
    article: Article, extraction: ArticleExtraction, *, run_id: str, today: dt.date | None = None
) -> GoldFile:
    """Wrap ``extraction`` of ``article`` as a draft gold file."""
    if extraction.article_id != article.id:
        raise ValueError(f"extraction is of article {extraction.article_id!r}, not {article.id!r}")
    producer = extraction.producer
    return GoldFile(
        article_id=article.id,
        article_sha256=article.sha256,
        provenance=GoldProvenance(
            labeller=producer.name,
            method=DRAFT_METHOD,
            labelled_at=today or dt.date.today(),
            status="draft",
            drafted_by=producer.name,
            draft_producer=producer,
            draft_run=run_id,
        ),
        records=extraction.records,
        notes="; ".join(extraction.warnings) or None,
    )


def choose_extractor(
    model: str | None,
    *,
    base_url: str | None = None,
    baseline: bool = False,
    mode: str | None = None,
    options: dict[str, Any] | None = None,
) -> tuple[str, Extractor]:
    """The pipeline drafts come from: the configured model (``--model``, or ``SITREP_MODEL`` and
    its key; see :func:`extraction.config.resolve_config`; ``mode`` and ``options`` as every
    command that calls a model takes them), with the response cache every command shares, else
    the offline baseline. Returns what was chosen, for the user, and the pipeline. A model named
    without the key it needs raises :class:`extraction.errors.ConfigurationError`.

    >>> chosen, extractor = choose_extractor(None, baseline=True)
    >>> chosen, extractor.identity.producer_kind
    ('the offline baseline', 'baseline')
    """
    from extraction.config import resolve_config

    if baseline:
        return "the offline baseline", Extractor(None)
    config = resolve_config(model, base_url=base_url, mode=mode, **(options or {}))
    if config is None:
        return "the offline baseline (no model configured)", Extractor(None)
    return f"model {config.model} at {config.endpoint}", Extractor(config)
