"""What a data-set reader hands the eval harness: articles, gold files, and what else it scores.

Public corpora carry no evidence spans and no labelling provenance of sitrep's kind, so their gold
is built in memory as :class:`~evals.gold.GoldFile` objects with records but no evidence; the
harness then scores every field by value (see ``evals/SCORING.md``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evals.gold import GoldFile, GoldProvenance
from schemas.article import Article
from schemas.records import Records


class DatasetError(ValueError):
    """A data-set copy that cannot be read; the message names the file (and line) and the fix."""


class HeldOutError(DatasetError):
    """A split reserved for held-out measurement, asked for without ``--heldout``."""


@dataclass
class LoadedDataset:
    """One split of a public data set, ready for :func:`evals.harness.run_eval`.

    ``extra`` holds per-article gold the sitrep records cannot carry (MUC-4 role-filler
    entities), by article id, for the data set's own figures."""

    name: str
    split: str
    articles: list[Article]
    golds: dict[str, GoldFile]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def dataset_id(self) -> str:
        return f"{self.name}/{self.split}"


def make_gold(
    article: Article,
    records: Records,
    *,
    labeller: str,
    method: str,
    released: dt.date,
    acceptable: Mapping[str, list[Any]] | None = None,
    notes: str | None = None,
) -> GoldFile:
    """A gold file for a public data set's annotation of ``article`` (no evidence spans);
    ``released`` (the data set's release) stands for the labelling date."""
    return GoldFile(
        article_id=article.id,
        article_sha256=article.sha256,
        provenance=GoldProvenance(
            labeller=labeller,
            method=method,
            labelled_at=released,
            status="reviewed",
        ),
        records=records,
        acceptable=dict(acceptable or {}),
        notes=notes,
    )
