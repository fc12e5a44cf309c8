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

    Beside the records, by article id, what they cannot carry, for the data set's own figures:
    ``role_fillers`` (MUC-4 role-filler entities, role -> entities as mention sets) and
    ``speaker_names`` (PolNeAR: statement id -> other names of a pronoun source)."""

    name: str
    split: str
    articles: list[Article]
    golds: dict[str, GoldFile]
    role_fillers: dict[str, dict[str, list[set[str]]]] = field(default_factory=dict)
    speaker_names: dict[str, dict[str, list[str]]] = field(default_factory=dict)

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
