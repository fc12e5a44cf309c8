"""Score a set of predictions against gold: per-document scores, then the tables.

Headline figures are micro-averaged over every pair of every document; the per-document (macro)
mean stands beside them, with ``n`` documents and a bootstrap interval resampling documents.

>>> from evals.config import load_config
>>> names = all_field_names()
>>> names[:2], "statement.kind" in names
(['event', 'event.ceaf'], True)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from evals.bootstrap import (
    f1_samples,
    interval,
    rate_samples,
    resample_indices,
)
from evals.config import ScoringConfig, load_config, scoring_hash
from evals.document import RATE_NAMES, DocScore, Prediction, score_document
from evals.gold import GoldFile
from evals.metrics import (
    FieldCounts,
    FieldRow,
    RateCounts,
    RateRow,
    field_row,
    rate_row,
    sum_counts,
    sum_rates,
)
from evals.specs import EVENT, STATEMENT, field_names
from schemas.article import Article

METRICS = {
    "p": "precision",
    "precision": "precision",
    "r": "recall",
    "recall": "recall",
    "f1": "f1",
    "macro_f1": "macro_f1",
    "rate": "rate",
    "macro": "macro",
}
"""Metric names a gate or a lookup may use after a field name (``event.f1``)."""


def all_field_names() -> list[str]:
    """Every field of the per-field table, in order."""
    return [
        "event",
        "event.ceaf",
        *field_names("event", EVENT),
        "event.operation",
        "statement",
        "statement.ceaf",
        *field_names("statement", STATEMENT),
    ]


class ScoringInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    hash: str
    resamples: int
    seed: int
    confidence: float
    unscored_fields: list[str] = Field(
        default_factory=list, description="Fields the gold set does not label (not scored)."
    )


class EvalResult(BaseModel):
    """The scores of one set of predictions: tables, confusion matrices and per-document scores."""

    model_config = ConfigDict(extra="forbid")

    n_docs: int
    article_ids: list[str]
    fields: list[FieldRow]
    rates: list[RateRow]
    confusion: dict[str, dict[str, dict[str, int]]] = Field(default_factory=dict)
    errors: dict[str, str] = Field(default_factory=dict, description="article id -> error")
    unscored: list[str] = Field(
        default_factory=list, description="Predicted articles with no gold (not scored)."
    )
    scoring: ScoringInfo
    docs: list[DocScore] = Field(default_factory=list)

    def field(self, name: str) -> FieldRow:
        for row in self.fields:
            if row.field == name:
                return row
        raise KeyError(f"no field {name!r}; fields: {', '.join(r.field for r in self.fields)}")

    def rate(self, name: str) -> RateRow:
        for row in self.rates:
            if row.name == name:
                return row
        raise KeyError(f"no rate {name!r}; rates: {', '.join(r.name for r in self.rates)}")

    def metric(self, key: str) -> float | None:
        """A figure by key: ``event.f1``, ``statement.kind.p``, ``grounding.evidence.rate``.

        Raises ``KeyError`` naming the known fields when the key names none."""
        name, _, metric = key.rpartition(".")
        if metric not in METRICS or not name:
            raise KeyError(
                f"{key!r}: expected <field>.<metric> with metric one of {sorted(set(METRICS))}"
            )
        attr = METRICS[metric]
        if attr in ("rate", "macro"):
            value: float | None = getattr(self.rate(name), attr)
            return value
        value = getattr(self.field(name), attr)
        return value


def _per_doc_matrix(docs: Sequence[DocScore], name: str) -> np.ndarray:
    rows = [docs_counts(d, name) for d in docs]
    return np.array([[c.credit, c.n_gold, c.n_pred] for c in rows], dtype=float).reshape(-1, 3)


def docs_counts(doc: DocScore, name: str) -> FieldCounts:
    return doc.counts.get(name, FieldCounts())


def docs_rates(doc: DocScore, name: str) -> RateCounts:
    return doc.rates.get(name, RateCounts())


def summarise(
    docs: Sequence[DocScore],
    config: ScoringConfig | None = None,
    *,
    resamples: int | None = None,
    seed: int | None = None,
    unscored: Sequence[str] = (),
    unscored_fields: Iterable[str] = (),
) -> EvalResult:
    """Tables, intervals and confusion matrices from per-document scores."""
    cfg = config or load_config()
    b = cfg.bootstrap
    n_resamples = resamples if resamples is not None else b.resamples
    the_seed = seed if seed is not None else b.seed
    idx = resample_indices(len(docs), n_resamples, the_seed)
    rows: list[FieldRow] = []
    for name in all_field_names():
        per_doc = [docs_counts(d, name) for d in docs]
        row = field_row(name, sum_counts(per_doc), per_doc)
        if row.f1 is not None:
            row.f1_ci = interval(f1_samples(_per_doc_matrix(docs, name), idx), b.confidence)
        rows.append(row)
    rates: list[RateRow] = []
    for name in RATE_NAMES:
        per_rate = [docs_rates(d, name) for d in docs]
        rrow = rate_row(name, sum_rates(per_rate), per_rate)
        if rrow.rate is not None:
            matrix = np.array([[c.hits, c.total] for c in per_rate], dtype=float).reshape(-1, 2)
            rrow.ci = interval(rate_samples(matrix, idx), b.confidence)
        rates.append(rrow)
    confusion: dict[str, dict[str, dict[str, int]]] = {}
    for d in docs:
        for name, pairs in d.confusion.items():
            table = confusion.setdefault(name, {})
            for (gold, pred), n in Counter(pairs).items():
                table.setdefault(gold, {})[pred] = table.get(gold, {}).get(pred, 0) + n
    return EvalResult(
        n_docs=len(docs),
        article_ids=[d.article_id for d in docs],
        fields=rows,
        rates=rates,
        confusion=confusion,
        errors={d.article_id: d.error for d in docs if d.error},
        unscored=sorted(unscored),
        scoring=ScoringInfo(
            version=cfg.version,
            hash=scoring_hash(cfg),
            resamples=n_resamples,
            seed=the_seed,
            confidence=b.confidence,
            unscored_fields=sorted(unscored_fields),
        ),
        docs=list(docs),
    )


def evaluate(
    extractions: Mapping[str, Prediction],
    golds: Mapping[str, GoldFile],
    articles: Mapping[str, Article] | Sequence[Article] | None = None,
    *,
    config: ScoringConfig | None = None,
    resamples: int | None = None,
    seed: int | None = None,
    unscored_fields: Sequence[str] = (),
) -> EvalResult:
    """Score predictions (an :class:`~schemas.ArticleExtraction` or an
    :class:`~extraction.batch.results.ErrorInfo` per article id) against gold files.

    Every article with gold is scored; one with no prediction scores as all missed. Predictions
    for articles without gold are listed in ``unscored``. ``articles`` (the texts) are needed
    for the grounding rates. ``unscored_fields`` names fields the gold does not label (a public
    data set's gold: ``statement`` for MUC-4); they are not scored."""
    cfg = config or load_config()
    by_id: Mapping[str, Article]
    if articles is None:
        by_id = {}
    elif isinstance(articles, Mapping):
        by_id = articles
    else:
        by_id = {a.id: a for a in articles}
    skip = frozenset(unscored_fields)
    docs = [
        score_document(golds[aid], extractions.get(aid), by_id.get(aid), cfg, skip)
        for aid in sorted(golds)
    ]
    unscored = [aid for aid in extractions if aid not in golds]
    return summarise(
        docs, cfg, resamples=resamples, seed=seed, unscored=unscored, unscored_fields=skip
    )
