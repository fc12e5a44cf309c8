"""The scoring walk: align gold and predicted items, then compare their fields, recursively.

A *spec* says how to score one kind of item (an event, a statement, a casualty figure, an actor):
a gate and a similarity for aligning gold and predicted items, and its fields: scalars, each with
a comparator, and lists of sub-items, each with its own spec. Gold items travel as :class:`Node`
objects carrying their acceptable variants (see :mod:`evals.acceptable`). Everything counted goes
into a :class:`Tally`: per-field :class:`~evals.metrics.FieldCounts`, a :class:`Comparison` per
compared value (for reports) and (gold, predicted) label pairs for confusion matrices.

Rules, for each field of each aligned pair: prediction null and gold null (or null acceptable):
right, counted in ``both_null``; gold value, prediction null: missed; prediction value, gold null:
invented (unless an acceptable alternative matches it); both values: credit is the best comparator
credit over the gold and its alternatives. Fields of an unmatched gold item are all missed; fields
of an unmatched predicted item are all invented. Fields in ``Where.unscored`` (ones a data set does
not label) are skipped. A list field counts items: n_gold gold items,
n_pred predicted items, credit 1 per aligned pair (set precision and recall after alignment).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from evals.acceptable import affects
from evals.align import Match, align_items
from evals.config import ScoringConfig
from evals.metrics import FieldCounts

T = TypeVar("T")

ITEM_MIN_SIMILARITY = 1e-6
"""List entries that pass their gate always align (their similarity only ranks candidates)."""

TIE_BREAK = 1e-9
"""Added to the similarity of a gold and a predicted record with the same id, so that records
identical in content align by id; far below any real difference in similarity."""

NO_RECORD = "(no match)"
NULL = "(null)"

Outcome = Literal["right", "partial", "wrong", "missed", "invented"]


class Comparison(BaseModel):
    """One compared value, as the reports show it."""

    model_config = ConfigDict(extra="forbid")

    field: str
    gold_id: str | None = None
    pred_id: str | None = None
    gold_item: str | None = None  # inside a list: the gold entry ("[0]"), else None
    pred_item: str | None = None
    gold: str | None = None
    pred: str | None = None
    credit: float = 0.0
    outcome: Outcome


@dataclass(frozen=True)
class Scalar(Generic[T]):
    """A single-valued field of an item: ``get`` returns the value or ``None`` for null."""

    name: str
    get: Callable[[T], Any]
    credit: Callable[[Any, Any, ScoringConfig], float]
    paths: tuple[str, ...]
    show: Callable[[Any], str]
    confusion: bool = False


@dataclass(frozen=True)
class ListOf(Generic[T]):
    """A list-valued field of an item, whose entries are aligned and scored with ``item``."""

    name: str
    get: Callable[[T], Sequence[Any]]
    path: str
    item: Spec[Any]


@dataclass(frozen=True)
class Spec(Generic[T]):
    """How to align and score one kind of item."""

    gate: Callable[[T, T, ScoringConfig], bool]
    similarity: Callable[[T, T, ScoringConfig], float]
    fields: tuple[Scalar[T] | ListOf[T], ...]
    show: Callable[[T], str]
    label: Callable[[T, int], str]


@dataclass(frozen=True)
class Node(Generic[T]):
    """A gold item with its acceptable variants as (item-relative key, variant item)."""

    value: T
    label: str
    variants: tuple[tuple[str, T], ...] = ()

    def values(self) -> list[T]:
        return [self.value, *(v for _, v in self.variants)]

    def candidates(self, f: Scalar[T]) -> list[Any]:
        """The field's gold value, then its value in each variant that can change it."""
        out = [f.get(self.value)]
        for key, variant in self.variants:
            if any(affects(key, p) for p in f.paths):
                out.append(f.get(variant))
        return out

    def children(self, f: ListOf[T], spec: Spec[Any]) -> list[Node[Any]]:
        """Nodes for the entries of a list field, each with the variants that reach into it."""
        items = list(f.get(self.value))
        out: list[Node[Any]] = []
        for i, item in enumerate(items):
            ipath = f"{f.path}.{i}"
            variants: list[tuple[str, Any]] = []
            for key, variant in self.variants:
                if key != ipath and not key.startswith(ipath + "."):
                    continue
                entries = list(f.get(variant))
                if i < len(entries):
                    variants.append((key[len(ipath) + 1 :], entries[i]))
            out.append(Node(item, spec.label(item, i), tuple(variants)))
        return out

    def list_alternatives(self, f: ListOf[T]) -> list[list[Any]]:
        """Whole-list alternatives (a key naming the list itself)."""
        return [list(f.get(v)) for key, v in self.variants if key == f.path]


@dataclass
class Tally:
    """Everything one document's scoring counts."""

    counts: dict[str, FieldCounts] = field(default_factory=dict)
    details: list[Comparison] = field(default_factory=list)
    confusion: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def of(self, name: str) -> FieldCounts:
        return self.counts.setdefault(name, FieldCounts())

    def merge(self, other: Tally) -> None:
        for name, c in other.counts.items():
            self.counts[name] = self.of(name) + c
        self.details.extend(other.details)
        for name, pairs in other.confusion.items():
            self.confusion.setdefault(name, []).extend(pairs)


@dataclass(frozen=True)
class Where:
    """Where a comparison happens: the record ids and, inside a list, the entries."""

    config: ScoringConfig
    gold_id: str | None = None
    pred_id: str | None = None
    gold_item: str | None = None
    pred_item: str | None = None
    unscored: frozenset[str] = frozenset()
    """Fields the gold does not label (``event.standing``): neither counted nor compared."""

    def detail(
        self, name: str, outcome: Outcome, gold: str | None, pred: str | None, credit: float
    ) -> Comparison:
        return Comparison(
            field=name,
            gold_id=self.gold_id,
            pred_id=self.pred_id,
            gold_item=self.gold_item,
            pred_item=self.pred_item,
            gold=gold,
            pred=pred,
            credit=round(credit, 6),
            outcome=outcome,
        )


def label_of(value: Any) -> str:
    """A confusion-matrix label: an enum's value, ``(null)`` for None."""
    if value is None:
        return NULL
    return str(value.value) if isinstance(value, Enum) else str(value)


def canonical_key(value: Any) -> str:
    """A content key that orders items independently of the order they came in."""
    if isinstance(value, BaseModel):
        data = value.model_dump(mode="json")
        rid = data.pop("id", "")
        return json.dumps(data, sort_keys=True) + f"#{rid}"
    return json.dumps(value, sort_keys=True, default=str)


def _scalar(
    f: Scalar[Any], name: str, gnode: Node[Any] | None, pred: Any, where: Where, tally: Tally
) -> None:
    counts = tally.of(name)
    golds = gnode.candidates(f) if gnode is not None else []
    primary = golds[0] if golds else None
    value = f.get(pred) if pred is not None else None
    if f.confusion:
        g_label = label_of(primary) if gnode is not None else NO_RECORD
        p_label = label_of(value) if pred is not None else NO_RECORD
        tally.confusion.setdefault(name, []).append((g_label, p_label))
    shown_gold = f.show(primary) if primary is not None else None
    if value is None:
        if primary is None or (gnode is not None and pred is not None and None in golds):
            if gnode is not None and pred is not None:
                counts.both_null += 1
            return
        counts.n_gold += 1
        tally.details.append(where.detail(name, "missed", shown_gold, None, 0.0))
        return
    shown_pred = f.show(value)
    scored = [(f.credit(g, value, where.config), g) for g in golds if g is not None]
    best, best_gold = max(scored, key=lambda x: x[0], default=(0.0, None))
    if primary is None and best == 0.0:
        counts.n_pred += 1
        tally.details.append(where.detail(name, "invented", None, shown_pred, 0.0))
        return
    counts.n_gold += 1
    counts.n_pred += 1
    counts.credit += best
    outcome: Outcome = "right" if best >= 1.0 else ("partial" if best > 0 else "wrong")
    if best_gold is not None and best > 0:
        shown_gold = f.show(best_gold)
    tally.details.append(where.detail(name, outcome, shown_gold, shown_pred, best))


def _list(
    f: ListOf[Any], name: str, gnode: Node[Any] | None, pred: Any, where: Where, tally: Tally
) -> None:
    preds = list(f.get(pred)) if pred is not None else []
    if gnode is None:
        score_items(name, f.item, [], preds, where, tally, ITEM_MIN_SIMILARITY, pair=False)
        return
    options = [gnode.children(f, f.item)]
    options += [
        [Node(v, f.item.label(v, i)) for i, v in enumerate(alt)]
        for alt in gnode.list_alternatives(f)
    ]
    if pred is None:
        score_items(name, f.item, options[0], [], where, tally, ITEM_MIN_SIMILARITY, pair=False)
        return
    best: tuple[float, float, int] | None = None
    chosen = Tally()
    for rank, nodes in enumerate(options):
        trial = Tally()
        score_items(name, f.item, nodes, preds, where, trial, ITEM_MIN_SIMILARITY, pair=True)
        list_f1 = trial.of(name).f1
        key = (
            list_f1 if list_f1 is not None else 1.0,
            sum(c.credit for c in trial.counts.values()),
            -rank,
        )
        if best is None or key > best:
            best, chosen = key, trial
    tally.merge(chosen)


def score_fields(
    fields: Sequence[Scalar[Any] | ListOf[Any]],
    prefix: str,
    gnode: Node[Any] | None,
    pred: Any,
    where: Where,
    tally: Tally,
) -> None:
    """Score every field of one aligned pair (or of an unmatched gold or predicted item)."""
    for f in fields:
        name = f"{prefix}.{f.name}"
        if name in where.unscored:
            continue
        if isinstance(f, Scalar):
            _scalar(f, name, gnode, pred, where, tally)
        else:
            _list(f, name, gnode, pred, where, tally)


def score_items(
    name: str,
    spec: Spec[Any],
    nodes: Sequence[Node[Any]],
    preds: Sequence[Any],
    where: Where,
    tally: Tally,
    min_similarity: float,
    *,
    pair: bool,
    records: bool = False,
) -> list[tuple[Node[Any], int, float]]:
    """Align gold ``nodes`` with ``preds``, count the list field ``name`` and score the fields of
    every pair and unmatched item. ``pair`` says whether the parents were a matched pair (two
    empty lists are then right); ``records`` whether the items are top-level records (their ids
    then name the comparisons). Returns (gold node, predicted index, similarity) per match."""
    counts = tally.of(name)
    if pair and not nodes and not preds:
        counts.both_null += 1
        return []
    cfg = where.config
    g_order = sorted(range(len(nodes)), key=lambda i: canonical_key(nodes[i].value))
    p_order = sorted(range(len(preds)), key=lambda j: canonical_key(preds[j]))
    g_sorted = [nodes[i] for i in g_order]
    p_sorted = [preds[j] for j in p_order]

    def gate(n: Node[Any], p: Any) -> bool:
        return any(spec.gate(v, p, cfg) for v in n.values())

    def similarity(n: Node[Any], p: Any) -> float:
        return max(spec.similarity(v, p, cfg) for v in n.values() if spec.gate(v, p, cfg))

    def ranking(n: Node[Any], p: Any) -> float:
        # between otherwise equal candidates, the one with the same id (records only) wins
        same_id = records and n.label == spec.label(p, 0)
        return similarity(n, p) + (TIE_BREAK if same_id else 0.0)

    matches: list[Match] = align_items(g_sorted, p_sorted, gate, ranking, min_similarity)
    counts.n_gold += len(nodes)
    counts.n_pred += len(preds)
    counts.credit += len(matches)

    def at(gnode: Node[Any] | None, j: int | None) -> Where:
        p_label = spec.label(preds[j], j) if j is not None else None
        if records:
            return Where(cfg, gnode.label if gnode else None, p_label, unscored=where.unscored)
        g_label = gnode.label if gnode else None
        return Where(cfg, where.gold_id, where.pred_id, g_label, p_label, where.unscored)

    # back to the order the items came in, so reports follow the gold file
    pairs = sorted(
        (g_order[m.gold], p_order[m.pred], similarity(g_sorted[m.gold], p_sorted[m.pred]))
        for m in matches
    )
    matched_g = {i for i, _, _ in pairs}
    matched_p = {j for _, j, _ in pairs}
    out: list[tuple[Node[Any], int, float]] = []
    for i, j, sim in pairs:
        gnode = nodes[i]
        here = at(gnode, j)
        tally.details.append(
            here.detail(name, "right", spec.show(gnode.value), spec.show(preds[j]), 1.0)
        )
        score_fields(spec.fields, name, gnode, preds[j], here, tally)
        out.append((gnode, j, sim))
    for i, gnode in enumerate(nodes):
        if i not in matched_g:
            here = at(gnode, None)
            tally.details.append(here.detail(name, "missed", spec.show(gnode.value), None, 0.0))
            score_fields(spec.fields, name, gnode, None, here, tally)
    for j, pred in enumerate(preds):
        if j not in matched_p:
            here = at(None, j)
            tally.details.append(here.detail(name, "invented", None, spec.show(pred), 0.0))
            score_fields(spec.fields, name, None, pred, here, tally)
    return out
