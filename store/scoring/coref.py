"""Coreference metrics over clusterings of the same items: pairwise and B-cubed P/R/F1.

A clustering maps each item to a cluster label. Pairwise precision is the share of predicted
same-cluster pairs that are gold pairs, recall the share of gold pairs predicted; with no pairs
on a side the measure is undefined (``None``). B-cubed averages, over items, the overlap of the
item's predicted and gold clusters divided by the predicted (precision) or gold (recall) size.

>>> gold = {"a": 1, "b": 1, "c": 1, "d": 2}
>>> pred = {"a": "x", "b": "x", "c": "y", "d": "y"}
>>> p = pairwise(gold, pred)
>>> p.precision, round(p.recall, 4), round(p.f1, 4)
(0.5, 0.3333, 0.4)
>>> b = bcubed(gold, pred)
>>> b.precision, round(b.recall, 4), round(b.f1, 4)
(0.75, 0.6667, 0.7059)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float | None
    recall: float | None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _check(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> None:
    if gold.keys() != pred.keys():
        missing = sorted(gold.keys() - pred.keys())[:3]
        extra = sorted(pred.keys() - gold.keys())[:3]
        raise ValueError(f"clusterings differ in items: missing {missing}, extra {extra}")


def _clusters(labels: Mapping[str, Hashable]) -> dict[Hashable, set[str]]:
    out: dict[Hashable, set[str]] = defaultdict(set)
    for item, label in labels.items():
        out[label].add(item)
    return out


def _pairs(labels: Mapping[str, Hashable]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for members in _clusters(labels).values():
        pairs.update(combinations(sorted(members), 2))
    return pairs


def pairwise(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> PRF:
    _check(gold, pred)
    g, p = _pairs(gold), _pairs(pred)
    both = len(g & p)
    return PRF(both / len(p) if p else None, both / len(g) if g else None)


def bcubed(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> PRF:
    _check(gold, pred)
    if not gold:
        return PRF(None, None)
    gc, pc = _clusters(gold), _clusters(pred)
    precision = recall = 0.0
    for item in gold:
        g, p = gc[gold[item]], pc[pred[item]]
        overlap = len(g & p)
        precision += overlap / len(p)
        recall += overlap / len(g)
    n = len(gold)
    return PRF(precision / n, recall / n)
