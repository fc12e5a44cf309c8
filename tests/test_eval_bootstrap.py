"""Bootstrap intervals over documents: seeded, deterministic, and around the point estimate."""

from __future__ import annotations

import numpy as np
import pytest
from eval_support import ARTICLE, ARTICLE2, degraded, two_golds

from evals.bootstrap import f1_samples, interval, rate_samples, resample_indices, share_below_zero
from evals.metrics import FieldCounts
from evals.score import evaluate

# credit, n_gold, n_pred for six synthetic documents
PER_DOC = np.array(
    [[2.0, 3, 2], [1.0, 1, 2], [0.0, 2, 0], [3.0, 3, 3], [0.5, 1, 1], [1.0, 2, 1]], dtype=float
)


def point_f1(per_doc: np.ndarray) -> float:
    c = FieldCounts(
        credit=per_doc[:, 0].sum(), n_gold=int(per_doc[:, 1].sum()), n_pred=int(per_doc[:, 2].sum())
    )
    assert c.f1 is not None
    return c.f1


def test_interval_contains_the_point_estimate() -> None:
    idx = resample_indices(len(PER_DOC), 1000, seed=11)
    ci = interval(f1_samples(PER_DOC, idx), 0.95)
    assert ci is not None
    point = point_f1(PER_DOC)  # 7.5 * 2 / (12 + 9)
    assert point == pytest.approx(15 / 21)
    assert ci.low < point < ci.high
    assert ci.low >= 0.0 and ci.high <= 1.0


def test_resamples_are_deterministic_with_a_seed() -> None:
    a = resample_indices(6, 500, seed=3)
    b = resample_indices(6, 500, seed=3)
    c = resample_indices(6, 500, seed=4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert interval(f1_samples(PER_DOC, a), 0.9) == interval(f1_samples(PER_DOC, b), 0.9)


def test_undefined_resamples_are_left_out() -> None:
    per_doc = np.array([[0.0, 0, 0], [1.0, 1, 1]])
    idx = np.array([[0, 0], [0, 1], [1, 1]])
    samples = f1_samples(per_doc, idx)
    assert np.isnan(samples[0]) and samples[1] == 1.0 and samples[2] == 1.0
    ci = interval(samples, 0.95)
    assert ci is not None and ci.low == ci.high == 1.0
    assert interval(np.array([np.nan]), 0.95) is None
    rates = rate_samples(np.array([[1.0, 2], [0.0, 0]]), idx)
    assert np.isnan(rates[2]) and rates[0] == 0.5


def test_share_below_zero() -> None:
    assert share_below_zero(np.array([-0.1, 0.0, 0.2, np.nan])) == pytest.approx(1 / 3)
    assert share_below_zero(np.array([np.nan])) is None


def test_result_tables_carry_intervals_around_their_figures() -> None:
    preds = {a.id: degraded(a) for a in (ARTICLE, ARTICLE2)}
    result = evaluate(preds, two_golds(), [ARTICLE, ARTICLE2], resamples=400, seed=5)
    again = evaluate(preds, two_golds(), [ARTICLE, ARTICLE2], resamples=400, seed=5)
    assert result.fields == again.fields
    for row in result.fields:
        if row.f1 is not None:
            assert row.f1_ci is not None
            assert row.f1_ci.low <= row.f1 + 1e-12 and row.f1 - 1e-12 <= row.f1_ci.high, row.field
    assert result.scoring.resamples == 400 and result.scoring.seed == 5
    event = result.field("event")
    assert event.n_docs == 2
    assert event.macro_f1 == pytest.approx((2 / 3 + 1.0) / 2)  # per-document mean
    assert event.f1 == pytest.approx(0.8)  # micro: 2 * 2 / (3 + 2)
