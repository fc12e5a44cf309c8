"""Compare two scored runs: per-field deltas with a paired bootstrap, and what flipped.

Both runs are compared on the articles they share, from their stored per-document scores (no
re-scoring: when they were scored against different gold, re-score them first; the diff says so).
The paired bootstrap draws the same document resamples for both runs, so the interval is for the
difference itself. A *flip* is a gold value one run got fully right and the other did not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from evals.bootstrap import (
    FloatArray,
    f1_samples,
    interval,
    rate_samples,
    resample_indices,
    share_below_zero,
)
from evals.config import ScoringConfig, load_config
from evals.document import RATE_NAMES, DocScore
from evals.metrics import FieldCounts, Interval, RateCounts, sum_counts, sum_rates
from evals.runs import ProducerInfo, RunInfo
from evals.score import all_field_names


class RunLabel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    run_id: str
    producer: ProducerInfo
    dataset_hash: str
    gold_hash: str
    scoring_hash: str

    @classmethod
    def of(cls, info: RunInfo) -> RunLabel:
        return cls(
            run_id=info.run_id,
            producer=info.producer,
            dataset_hash=info.dataset.hash,
            gold_hash=info.gold.hash,
            scoring_hash=str(info.scores.get("scoring", {}).get("hash", "")),
        )


class FieldDelta(BaseModel):
    """B minus A for one field's micro F1 (or one rate), with a paired bootstrap interval."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: Literal["field", "rate"]
    a: float | None
    b: float | None
    delta: float | None
    ci: Interval | None = None
    p_worse: float | None = Field(
        default=None, description="Share of resamples where B is below A."
    )
    support: int = Field(description="Gold values (fields) or predictions (rates) in A.")


class Flip(BaseModel):
    """A gold value fully right in one run and not in the other."""

    model_config = ConfigDict(extra="forbid")

    article_id: str
    field: str
    gold_id: str | None
    gold_item: str | None
    gold: str | None
    a_credit: float
    b_credit: float
    a_outcome: str
    b_outcome: str
    direction: Literal["fixed", "broken"]


class ArticleChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    article_id: str
    a_event_f1: float | None
    b_event_f1: float | None
    a_statement_f1: float | None
    b_statement_f1: float | None
    fixed: int
    broken: int


class RunDiff(BaseModel):
    model_config = ConfigDict(extra="forbid")

    a: RunLabel
    b: RunLabel
    shared_articles: list[str]
    only_a: list[str]
    only_b: list[str]
    warnings: list[str] = Field(default_factory=list)
    fields: list[FieldDelta]
    rates: list[FieldDelta]
    articles: list[ArticleChange]
    flips: list[Flip]
    resamples: int
    seed: int
    confidence: float

    def regressions(self, tolerance: float) -> list[FieldDelta]:
        """Fields and rates whose figure fell by more than ``tolerance`` (both defined)."""
        return [
            d for d in [*self.fields, *self.rates] if d.delta is not None and d.delta < -tolerance
        ]


def _field(doc: DocScore, name: str) -> FieldCounts:
    return doc.counts.get(name, FieldCounts())


def _rate(doc: DocScore, name: str) -> RateCounts:
    return doc.rates.get(name, RateCounts())


def _key(c_field: str, gold_id: str | None, gold_item: str | None) -> tuple[str, str, str]:
    return c_field, gold_id or "", gold_item or ""


def _flips(article_id: str, a: DocScore, b: DocScore) -> list[Flip]:
    def index(doc: DocScore) -> dict[tuple[str, str, str], tuple[float, str, str | None]]:
        return {
            _key(c.field, c.gold_id, c.gold_item): (c.credit, c.outcome, c.gold)
            for c in doc.details
            if c.outcome != "invented"
        }

    ia, ib = index(a), index(b)
    out: list[Flip] = []
    for key in sorted(set(ia) | set(ib)):
        ca, oa, ga = ia.get(key, (0.0, "absent", None))
        cb, ob, gb = ib.get(key, (0.0, "absent", None))
        if (ca >= 1.0) == (cb >= 1.0):
            continue
        out.append(
            Flip(
                article_id=article_id,
                field=key[0],
                gold_id=key[1] or None,
                gold_item=key[2] or None,
                gold=ga or gb,
                a_credit=ca,
                b_credit=cb,
                a_outcome=oa,
                b_outcome=ob,
                direction="fixed" if cb >= 1.0 else "broken",
            )
        )
    return out


def _delta(
    name: str,
    kind: Literal["field", "rate"],
    a: float | None,
    b: float | None,
    deltas: FloatArray,
    level: float,
    support: int,
) -> FieldDelta:
    """B minus A with its paired-bootstrap interval, when both sides have a value."""
    defined = a is not None and b is not None
    return FieldDelta(
        name=name,
        kind=kind,
        a=a,
        b=b,
        delta=b - a if a is not None and b is not None else None,
        ci=interval(deltas, level) if defined else None,
        p_worse=share_below_zero(deltas) if defined else None,
        support=support,
    )


def diff_runs(
    a_info: RunInfo,
    a_docs: Sequence[DocScore],
    b_info: RunInfo,
    b_docs: Sequence[DocScore],
    config: ScoringConfig | None = None,
    *,
    resamples: int | None = None,
    seed: int | None = None,
) -> RunDiff:
    """B against A on their shared articles."""
    cfg = config or load_config()
    n_resamples = resamples if resamples is not None else cfg.bootstrap.resamples
    the_seed = seed if seed is not None else cfg.bootstrap.seed
    level = cfg.bootstrap.confidence
    by_a = {d.article_id: d for d in a_docs}
    by_b = {d.article_id: d for d in b_docs}
    shared = sorted(set(by_a) & set(by_b))
    da, db = [by_a[i] for i in shared], [by_b[i] for i in shared]
    la, lb = RunLabel.of(a_info), RunLabel.of(b_info)
    warnings: list[str] = []
    if la.gold_hash != lb.gold_hash:
        warnings.append(
            "the runs were scored against different gold files: re-score both "
            "(sitrep eval rescore) for a like-for-like comparison"
        )
    if la.scoring_hash != lb.scoring_hash:
        warnings.append("the runs were scored with different scoring parameters (scoring.toml)")
    if la.dataset_hash != lb.dataset_hash:
        warnings.append("the runs saw different article sets; compared on the shared articles")
    idx = resample_indices(len(shared), n_resamples, the_seed)

    fields: list[FieldDelta] = []
    for name in all_field_names():
        ca, cb = [_field(d, name) for d in da], [_field(d, name) for d in db]
        ma = np.array([[c.credit, c.n_gold, c.n_pred] for c in ca], dtype=float).reshape(-1, 3)
        mb = np.array([[c.credit, c.n_gold, c.n_pred] for c in cb], dtype=float).reshape(-1, 3)
        fa, fb = sum_counts(ca).f1, sum_counts(cb).f1
        deltas = f1_samples(mb, idx) - f1_samples(ma, idx)
        fields.append(_delta(name, "field", fa, fb, deltas, level, sum_counts(ca).n_gold))
    rates: list[FieldDelta] = []
    for name in RATE_NAMES:
        ra, rb = [_rate(d, name) for d in da], [_rate(d, name) for d in db]
        ma = np.array([[c.hits, c.total] for c in ra], dtype=float).reshape(-1, 2)
        mb = np.array([[c.hits, c.total] for c in rb], dtype=float).reshape(-1, 2)
        va, vb = sum_rates(ra).rate, sum_rates(rb).rate
        deltas = rate_samples(mb, idx) - rate_samples(ma, idx)
        rates.append(_delta(name, "rate", va, vb, deltas, level, sum_rates(ra).total))
    flips: list[Flip] = []
    articles: list[ArticleChange] = []
    for aid, a, b in zip(shared, da, db, strict=True):
        doc_flips = _flips(aid, a, b)
        flips.extend(doc_flips)
        articles.append(
            ArticleChange(
                article_id=aid,
                a_event_f1=_field(a, "event").f1,
                b_event_f1=_field(b, "event").f1,
                a_statement_f1=_field(a, "statement").f1,
                b_statement_f1=_field(b, "statement").f1,
                fixed=sum(f.direction == "fixed" for f in doc_flips),
                broken=sum(f.direction == "broken" for f in doc_flips),
            )
        )
    return RunDiff(
        a=la,
        b=lb,
        shared_articles=shared,
        only_a=sorted(set(by_a) - set(by_b)),
        only_b=sorted(set(by_b) - set(by_a)),
        warnings=warnings,
        fields=fields,
        rates=rates,
        articles=articles,
        flips=flips,
        resamples=n_resamples,
        seed=the_seed,
        confidence=level,
    )
