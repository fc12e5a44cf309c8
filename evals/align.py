"""One-to-one alignment of gold and predicted items (events, statements, list entries).

A similarity matrix (gold x predicted) and a gate (pairs that cannot be the same item) go into
``scipy.optimize.linear_sum_assignment``, solved as a maximum-weight matching: padding columns let
any gold item stay unmatched at no cost, so a weak pair is never forced to make room for another.
Matched pairs are true positives, unmatched predictions false positives, unmatched gold misses.

>>> import numpy as np
>>> sim = np.array([[0.9, 0.8], [0.85, 0.1]])
>>> [(m.gold, m.pred) for m in assign(sim, np.ones((2, 2), dtype=bool), 0.05)]
[(0, 1), (1, 0)]
>>> assign(sim, np.array([[True, False], [False, False]]), 0.05)
[Match(gold=0, pred=0, similarity=0.9)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

G = TypeVar("G")
P = TypeVar("P")

_FORBIDDEN = 1e6


@dataclass(frozen=True, slots=True)
class Match:
    gold: int
    pred: int
    similarity: float


def assign(
    similarity: NDArray[np.float64], allowed: NDArray[np.bool_], min_similarity: float
) -> list[Match]:
    """Maximum-weight one-to-one matching over the allowed pairs with similarity at least
    ``min_similarity`` (which must be positive); pairs sorted by gold index."""
    from scipy.optimize import linear_sum_assignment  # imported when first needed: it is slow

    if min_similarity <= 0:
        raise ValueError("min_similarity must be positive")
    n, m = similarity.shape
    if n == 0 or m == 0:
        return []
    ok = allowed & (similarity >= min_similarity)
    cost = np.full((n, m + n), 0.0)
    cost[:, :m] = np.where(ok, -similarity, _FORBIDDEN)
    rows, cols = linear_sum_assignment(cost)
    out = [
        Match(int(r), int(c), float(similarity[r, c]))
        for r, c in zip(rows, cols, strict=True)
        if c < m and ok[r, c]
    ]
    return sorted(out, key=lambda x: x.gold)


def align_items(
    golds: Sequence[G],
    preds: Sequence[P],
    gate: Callable[[G, P], bool],
    similarity: Callable[[G, P], float],
    min_similarity: float,
) -> list[Match]:
    """Build the matrices from a gate and a similarity function, then :func:`assign`."""
    sim = np.zeros((len(golds), len(preds)))
    allowed = np.zeros((len(golds), len(preds)), dtype=bool)
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            if gate(g, p):
                allowed[i, j] = True
                sim[i, j] = similarity(g, p)
    return assign(sim, allowed, min_similarity)
