"""Bootstrap confidence intervals that resample whole documents, and the paired version that
compares two runs on the same resamples.

Documents, not records, are the unit: records of one article are not independent. Each resample
draws ``n`` documents with replacement, sums their counts and recomputes the micro figure;
the interval is the percentile interval of the resamples where the figure is defined. With a
handful of documents the intervals are wide, and that is the point.

>>> import numpy as np
>>> per_doc = np.array([[1.0, 1, 1], [0.0, 1, 1], [2.0, 2, 2]])  # credit, n_gold, n_pred
>>> idx = resample_indices(3, 200, seed=7)
>>> ci = interval(f1_samples(per_doc, idx), 0.95)
>>> 0.0 <= ci.low <= 0.75 <= ci.high <= 1.0
True
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from evals.metrics import Interval

FloatArray = NDArray[np.float64]
IndexArray = NDArray[np.int64]


def resample_indices(n_docs: int, resamples: int, seed: int) -> IndexArray:
    """``resamples`` rows of ``n_docs`` document indices drawn with replacement (seeded)."""
    rng = np.random.default_rng(seed)
    if n_docs == 0:
        return np.zeros((resamples, 0), dtype=np.int64)
    return rng.integers(0, n_docs, size=(resamples, n_docs), dtype=np.int64)


def f1_samples(per_doc: FloatArray, idx: IndexArray) -> FloatArray:
    """Micro F1 (``2 credit / (n_gold + n_pred)``) of each resample; NaN where undefined.
    ``per_doc`` has one row per document: credit, n_gold, n_pred."""
    sums = per_doc[idx].sum(axis=1) if idx.shape[1] else np.zeros((idx.shape[0], 3))
    denom = sums[:, 1] + sums[:, 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(denom > 0, 2 * sums[:, 0] / denom, np.nan)
    return out


def rate_samples(per_doc: FloatArray, idx: IndexArray) -> FloatArray:
    """Pooled rate of each resample (hits / total); rows of ``per_doc``: hits, total."""
    return _ratio(per_doc, idx)


def _ratio(per_doc: FloatArray, idx: IndexArray) -> FloatArray:
    sums = per_doc[idx].sum(axis=1) if idx.shape[1] else np.zeros((idx.shape[0], 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(sums[:, 1] > 0, sums[:, 0] / sums[:, 1], np.nan)
    return out


def interval(samples: FloatArray, level: float) -> Interval | None:
    """Percentile interval of the defined samples (``None`` when none is defined)."""
    finite = samples[~np.isnan(samples)]
    if finite.size == 0:
        return None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return Interval(low=float(low), high=float(high), level=level)


def share_below_zero(deltas: FloatArray) -> float | None:
    """Share of the defined resampled differences that are negative (a one-sided p-value for
    'B is worse than A')."""
    finite = deltas[~np.isnan(deltas)]
    return float(np.mean(finite < 0)) if finite.size else None
