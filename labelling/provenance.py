"""Per-field provenance of reviewed gold, and the draft acceptance rate it makes reportable.

When a person saves a reviewed gold file, every leaf (see :mod:`labelling.fieldpaths`) is compared
with the draft value it came from; the person's decisions in the review page only matter where the
value is unchanged (a decision then means the person confirmed it):

- ``model``: the draft's value, kept, and not confirmed by anyone;
- ``confirmed``: the draft's value, confirmed by a person;
- ``changed``: a value a person changed;
- ``rejected`` (a field): a draft value the person rejected, the field cleared (to null, an empty
  list, or the schema's "unknown"); a cleared field the person did not reject is ``changed``;
- ``added``: a value with no draft counterpart (a record or list item the person added);
- ``rejected`` (a record or list item): draft values of a record or list item the person removed
  (kept apart, by draft path, in ``GoldFile.rejected``).

Where items were reordered, ``origins`` maps an item's path in the final records to the path of
the draft item it came from; without it, items are matched to the draft item at the same path.

>>> import datetime as dt
>>> from schemas import Records, AttackEvent, CasualtyFigure, CasualtyKind, SubType
>>> def rec(best):
...     return Records(events=[AttackEvent(id="E1", sub_type=SubType.AIR_DRONE_STRIKE,
...         casualties=[CasualtyFigure(kind=CasualtyKind.KILLED, best=best)])])
>>> fields, rejected = compute_provenance(
...     rec(2), rec(3), origins=None, decisions={"events.E1.sub_type": "accepted"},
...     reviewer="ana", at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC), draft_info=DraftInfo("m"))
>>> fields["events.E1.casualties.0.best"].source, fields["events.E1.casualties.0.best"].by
('changed', 'ana')
>>> fields["events.E1.sub_type"].source, fields["events.E1.outcome"].source
('confirmed', 'model')
>>> rejected
{}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from evals.gold import FieldProvenance, FieldSource, GoldFile
from labelling.fieldpaths import generic, item_paths, leaves, owning_item
from schemas.records import Records

Decision = Literal["accepted", "edited", "rejected"]
"""What a person did to a field in the review page."""


@dataclass(frozen=True, slots=True)
class DraftInfo:
    """Which run drafted the values: copied into every field that came from the draft."""

    drafted_by: str | None = None
    run: str | None = None
    prompt_hash: str | None = None

    @classmethod
    def of(cls, draft: GoldFile | None) -> DraftInfo:
        if draft is None:
            return cls()
        prov = draft.provenance
        producer = prov.draft_producer
        return cls(
            drafted_by=prov.drafted_by or (producer.name if producer else prov.labeller),
            run=prov.draft_run,
            prompt_hash=producer.prompt_hash if producer else None,
        )


def _origin_leaf(
    path: str,
    final_items: list[str],
    origins: Mapping[str, str | None] | None,
    draft_items: set[str],
) -> str | None:
    item, rest = owning_item(path, final_items)
    if item is None:
        return path
    origin = item if origins is None else origins.get(item)
    if origin is None or origin not in draft_items:
        return None
    return f"{origin}.{rest}"


CLEARED_VALUES: tuple[Any, ...] = (None, "", [], "unknown", "unresolved")
"""Values a rejected field is cleared to: empty, or the schema's "not known" value."""


def _is_cleared(value: Any) -> bool:
    return any(value == c and type(value) is type(c) for c in CLEARED_VALUES)


def _related(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def compute_provenance(
    draft: Records | None,
    final: Records,
    *,
    origins: Mapping[str, str | None] | None,
    decisions: Mapping[str, Decision],
    reviewer: str,
    at: dt.datetime,
    draft_info: DraftInfo,
    previous: GoldFile | None = None,
) -> tuple[dict[str, FieldProvenance], dict[str, FieldProvenance]]:
    """Provenance of every leaf of ``final`` and of every draft value the person removed.

    ``previous`` is the reviewed gold being replaced, if any: a field whose value it already had
    and that the person did not touch this time keeps its earlier provenance (who and when).
    """
    draft_leaves = leaves(draft) if draft is not None else {}
    draft_items = set(item_paths(draft)) if draft is not None else set()
    final_leaves = leaves(final)
    final_items = item_paths(final)
    prev_leaves = leaves(previous.records) if previous is not None else {}
    prev_fields = previous.field_provenance if previous is not None else {}

    def entry(source: FieldSource, draft_path: str | None) -> FieldProvenance:
        from_draft = source != "added"
        person = source != "model"
        return FieldProvenance(
            source=source,
            drafted_by=draft_info.drafted_by if from_draft else None,
            run=draft_info.run if from_draft else None,
            prompt_hash=draft_info.prompt_hash if from_draft else None,
            draft_path=draft_path,
            by=reviewer if person else None,
            at=at if person else None,
        )

    fields: dict[str, FieldProvenance] = {}
    covered: list[str] = []
    for path, value in final_leaves.items():
        origin = _origin_leaf(path, final_items, origins, draft_items)
        if origin is not None:
            covered.append(origin)
        source: FieldSource
        if origin is not None and origin in draft_leaves:
            if draft_leaves[origin] != value:
                cleared = decisions.get(path) == "rejected" and _is_cleared(value)
                source = "rejected" if cleared else "changed"
            else:
                source = "confirmed" if path in decisions else "model"
        elif origin is not None and any(d.startswith(origin + ".") for d in draft_leaves):
            source = "changed"  # the person cleared an optional object the draft had filled
        elif origin is not None and any(origin.startswith(d + ".") for d in draft_leaves):
            source = "added"  # the person filled an optional object the draft left empty
        else:
            source, origin = "added", None
        kept = prev_fields.get(path)
        if (
            kept is not None
            and path not in decisions
            and path in prev_leaves
            and prev_leaves[path] == value
        ):
            fields[path] = kept
        else:
            fields[path] = entry(source, origin)

    prev_rejected = previous.rejected if previous is not None else {}
    rejected: dict[str, FieldProvenance] = {}
    for path in draft_leaves:
        if any(_related(path, c) for c in covered):
            continue
        rejected[path] = prev_rejected.get(path) or entry("rejected", path)
    return fields, rejected


def origins_from_gold(gold: GoldFile, draft: Records | None) -> dict[str, str | None]:
    """Recover, for a reviewed gold file, which draft item each of its items came from.

    Uses the ``draft_path`` its field provenance recorded; a gold file without field provenance
    matches items to the draft item at the same path.
    """
    draft_items = set(item_paths(draft)) if draft is not None else set()
    out: dict[str, str | None] = {}
    items = item_paths(gold.records)
    if not gold.field_provenance:
        return {p: (p if p in draft_items else None) for p in items}
    for path, prov in gold.field_provenance.items():
        item, rest = owning_item(path, items)
        if item is None or (item in out and out[item] is not None):
            continue
        origin: str | None = None
        if prov.draft_path and prov.draft_path.endswith("." + rest):
            candidate = prov.draft_path[: -len(rest) - 1]
            origin = candidate if candidate in draft_items else None
        out[item] = origin
    for item in items:
        out.setdefault(item, None)
    return out


@dataclass(slots=True)
class FieldTally:
    """How a reviewer treated the draft values of one schema field (``events.*.sub_type``)."""

    field: str
    model: int = 0
    confirmed: int = 0
    changed: int = 0
    added: int = 0
    rejected: int = 0

    @property
    def reviewed(self) -> int:
        """Draft values a person decided on: confirmed, changed or rejected."""
        return self.confirmed + self.changed + self.rejected

    @property
    def acceptance(self) -> float | None:
        """Share of reviewed draft values a person confirmed unchanged (None when none were)."""
        return self.confirmed / self.reviewed if self.reviewed else None

    def add(self, source: FieldSource) -> None:
        setattr(self, source, getattr(self, source) + 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "model": self.model,
            "confirmed": self.confirmed,
            "changed": self.changed,
            "added": self.added,
            "rejected": self.rejected,
            "reviewed": self.reviewed,
            "acceptance": None if self.acceptance is None else round(self.acceptance, 4),
        }


def acceptance_rates(golds: Iterable[GoldFile]) -> list[FieldTally]:
    """Per schema field, over reviewed gold files: how many draft values were confirmed, changed,
    rejected, left unconfirmed, and how many values people added. The first row, ``all``, sums
    every field.

    >>> from evals.gold import GoldFile
    >>> g = GoldFile.model_validate({
    ...     "article_id": "a", "article_sha256": "0", "records": {},
    ...     "provenance": {"labeller": "ana", "method": "m", "labelled_at": "2024-05-01"},
    ...     "field_provenance": {"events.E1.sub_type": {"source": "confirmed"},
    ...                          "events.E2.sub_type": {"source": "changed"}}})
    >>> [(t.field, t.acceptance) for t in acceptance_rates([g])]
    [('all', 0.5), ('events.*.sub_type', 0.5)]
    """
    tallies: dict[str, FieldTally] = {}
    total = FieldTally("all")
    for gold in golds:
        if gold.provenance.status != "reviewed":
            continue
        for path, prov in [*gold.field_provenance.items(), *gold.rejected.items()]:
            key = generic(path)
            tallies.setdefault(key, FieldTally(key)).add(prov.source)
            total.add(prov.source)
    return [total, *(tallies[k] for k in sorted(tallies))]
