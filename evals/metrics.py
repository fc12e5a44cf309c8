"""Counts and the figures computed from them: precision, recall and F1 with partial credit.

For a field, ``credit`` sums the comparator's credit over pairs where gold and prediction both give
a value; ``n_gold`` counts gold values and ``n_pred`` predicted values (matched or not), so a wrong
value counts against both precision and recall, a missed one against recall, an invented one
against precision. Null against null is right but enters neither (``both_null``).

    precision = credit / n_pred      recall = credit / n_gold      F1 = 2 credit / (n_gold + n_pred)

>>> c = FieldCounts(credit=3, n_gold=4, n_pred=5)
>>> c.precision, c.recall, round(c.f1 or 0, 4)
(0.6, 0.75, 0.6667)
>>> FieldCounts().f1 is None
True
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict


class FieldCounts(BaseModel):
    """Tallies for one field (over one document or many)."""

    model_config = ConfigDict(extra="forbid")

    credit: float = 0.0
    n_gold: int = 0
    n_pred: int = 0
    both_null: int = 0

    @property
    def precision(self) -> float | None:
        return self.credit / self.n_pred if self.n_pred else None

    @property
    def recall(self) -> float | None:
        return self.credit / self.n_gold if self.n_gold else None

    @property
    def f1(self) -> float | None:
        total = self.n_gold + self.n_pred
        return 2 * self.credit / total if total else None

    def __add__(self, other: FieldCounts) -> FieldCounts:
        return FieldCounts(
            credit=self.credit + other.credit,
            n_gold=self.n_gold + other.n_gold,
            n_pred=self.n_pred + other.n_pred,
            both_null=self.both_null + other.both_null,
        )


class RateCounts(BaseModel):
    """A share: ``hits`` out of ``total`` (grounded evidence, speakers right given the quote)."""

    model_config = ConfigDict(extra="forbid")

    hits: float = 0.0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.hits / self.total if self.total else None

    def __add__(self, other: RateCounts) -> RateCounts:
        return RateCounts(hits=self.hits + other.hits, total=self.total + other.total)


def sum_counts(items: Iterable[FieldCounts]) -> FieldCounts:
    out = FieldCounts()
    for c in items:
        out = out + c
    return out


def sum_rates(items: Iterable[RateCounts]) -> RateCounts:
    out = RateCounts()
    for c in items:
        out = out + c
    return out


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values (``None`` when there are none)."""
    xs = [v for v in values if v is not None]
    return sum(xs) / len(xs) if xs else None


class Interval(BaseModel):
    """A bootstrap confidence interval."""

    model_config = ConfigDict(extra="forbid")

    low: float
    high: float
    level: float


class FieldRow(BaseModel):
    """One line of the per-field table."""

    model_config = ConfigDict(extra="forbid")

    field: str
    support: int  # gold values
    predicted: int
    credit: float
    both_null: int
    precision: float | None
    recall: float | None
    f1: float | None
    f1_ci: Interval | None = None
    macro_f1: float | None = None  # mean over documents with a gold or predicted value
    n_docs: int = 0  # documents in the macro average


class RateRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    hits: float
    total: int
    rate: float | None
    ci: Interval | None = None
    macro: float | None = None
    n_docs: int = 0


def field_row(name: str, counts: FieldCounts, per_doc: list[FieldCounts]) -> FieldRow:
    """The table line for ``name`` from its micro total and per-document counts."""
    used = [c for c in per_doc if c.n_gold + c.n_pred > 0]
    return FieldRow(
        field=name,
        support=counts.n_gold,
        predicted=counts.n_pred,
        credit=round(counts.credit, 6),
        both_null=counts.both_null,
        precision=counts.precision,
        recall=counts.recall,
        f1=counts.f1,
        macro_f1=mean(c.f1 for c in used),
        n_docs=len(used),
    )


def rate_row(name: str, counts: RateCounts, per_doc: list[RateCounts]) -> RateRow:
    used = [c for c in per_doc if c.total > 0]
    return RateRow(
        name=name,
        hits=round(counts.hits, 6),
        total=counts.total,
        rate=counts.rate,
        macro=mean(c.rate for c in used),
        n_docs=len(used),
    )
