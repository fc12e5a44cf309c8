"""Adjudicating two labellers' gold: their disagreements, as ``sitrep agree`` aligns them, turned
into decisions a person takes one by one, and the result saved as reviewed gold.

Labeller A's gold is the base. Each :class:`Unit` is one thing the labellers disagree on: a record
only one of them has (keep it or leave it out), or one field of a record both have (A's value,
B's value, an edited value, or unresolved). Values inside lists (casualties, actors, weapons,
attribution) are decided list by list. Derived and comparison-only fields (``event_type``, a
quote's token overlap) follow from the fields they come from.

The saved gold names the adjudicator as its labeller and both labellers in its method; every field
the adjudicator decided has field provenance naming whose value it took (``drafted_by``) and who
decided (``by``); values left unresolved are listed in ``notes`` and marked ``model`` (not
confirmed by anyone).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from evals.gold import FieldProvenance, GoldFile, GoldProvenance, parse_gold
from labelling.agree import Disagreement
from labelling.fieldpaths import leaves
from labelling.submission import validate_records
from schemas.article import Article

Pick = Literal["a", "b", "edit", "unresolved"]
KINDS = {"event": "events", "statement": "statements"}
FOLLOWS = {"event_type": None, "quote.exact": "text", "quote.token_f1": "text"}
"""Comparison fields that are not fields of their own: what decides them (None: derived)."""
METHOD = "adjudicated in sitrep adjudicate between {a} (A) and {b} (B)"


@dataclass(frozen=True, slots=True)
class Unit:
    """One disagreement to decide. ``attr`` is the field's path within the record ("" for a
    record only one labeller has); values and evidence are as each labeller's gold holds them."""

    id: str
    kind: str  # "events" | "statements"
    a_record: str | None
    b_record: str | None
    attr: str
    a_value: Any
    b_value: Any
    a_evidence: dict[str, Any] | None
    b_evidence: dict[str, Any] | None

    @property
    def record_level(self) -> bool:
        return not self.attr

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _get(node: Any, attr: str) -> Any:
    for part in attr.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _set(node: dict[str, Any], attr: str, value: Any) -> None:
    parts = attr.split(".")
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value


def _evidence(record: dict[str, Any] | None, attr: str) -> dict[str, Any] | None:
    """The evidence behind a field: its object's (date, location), else the record's."""
    if record is None:
        return None
    head = attr.split(".")[0] if attr else ""
    inner = record.get(head) if head else None
    if isinstance(inner, dict) and inner.get("evidence"):
        return dict(inner["evidence"])
    ev = record.get("evidence")
    return dict(ev) if ev else None


def _records(gold: GoldFile, kind: str) -> dict[str, dict[str, Any]]:
    rows = gold.records.model_dump(mode="json")[kind]
    return {r["id"]: r for r in rows}


def _attr(field: str, record: dict[str, Any] | None) -> str | None:
    """The record attribute a comparison field is decided by, or None (derived)."""
    rest = field.split(".", 1)[1] if "." in field else ""
    if rest in FOLLOWS:
        return FOLLOWS[rest]
    head = rest.split(".")[0]
    if record is not None and isinstance(record.get(head), list):
        return head  # inside a list: decided list by list
    return rest


def units_for(a: GoldFile, b: GoldFile, disagreements: list[Disagreement]) -> list[Unit]:
    """The decisions to take for one article, in the order ``sitrep agree`` lists them."""
    out: dict[str, Unit] = {}
    for d in disagreements:
        kind = KINDS.get(d.field.split(".")[0])
        if kind is None:
            continue
        a_recs, b_recs = _records(a, kind), _records(b, kind)
        a_rec = a_recs.get(d.a_record or "")
        b_rec = b_recs.get(d.b_record or "")
        if "." not in d.field:  # a record only one of them has
            attr = ""
        elif a_rec is None or b_rec is None:
            continue  # a field of a one-sided record: decided with the record
        else:
            found = _attr(d.field, a_rec)
            if found is None:
                continue
            attr = found
        uid = f"{kind}:{d.a_record or '-'}:{d.b_record or '-'}:{attr}"
        if uid in out:
            continue
        out[uid] = Unit(
            id=uid,
            kind=kind,
            a_record=d.a_record,
            b_record=d.b_record,
            attr=attr,
            a_value=copy.deepcopy(_get(a_rec, attr) if attr else a_rec),
            b_value=copy.deepcopy(_get(b_rec, attr) if attr else b_rec),
            a_evidence=_evidence(a_rec, attr),
            b_evidence=_evidence(b_rec, attr),
        )
    units = list(out.values())
    # A choice of a whole object (location) covers choices within it (location.admin1).
    return [
        u
        for u in units
        if not any(
            o is not u
            and o.kind == u.kind
            and (o.a_record, o.b_record) == (u.a_record, u.b_record)
            and o.attr
            and u.attr.startswith(o.attr + ".")
            for o in units
        )
    ]


@dataclass(frozen=True, slots=True)
class Decision:
    pick: Pick
    value: Any = None  # for "edit"


def _next_id(rows: list[dict[str, Any]], prefix: str) -> str:
    numbers = [int(r["id"][1:]) for r in rows if str(r.get("id", ""))[1:].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def apply_decisions(
    a: GoldFile, units: list[Unit], decisions: dict[str, Decision]
) -> tuple[dict[str, Any], dict[str, str], list[Unit]]:
    """A's records with the decisions applied; the path of every decided field in the result
    with the labeller role whose value it holds ("a", "b" or "edit"); the unresolved units."""
    raw = a.records.model_dump(mode="json")
    for event in raw["events"]:
        event["event_type"] = None
    decided: dict[str, str] = {}
    unresolved: list[Unit] = []
    for unit in units:
        decision = decisions.get(unit.id, Decision("unresolved"))
        rows = raw[unit.kind]
        if decision.pick == "unresolved":
            unresolved.append(unit)
            continue
        if unit.record_level:
            if unit.a_record and decision.pick == "b":  # only A has it; B's reading: none
                raw[unit.kind] = [r for r in rows if r["id"] != unit.a_record]
                for st in raw["statements"]:
                    st["about_events"] = [e for e in st["about_events"] if e != unit.a_record]
            elif unit.b_record and decision.pick == "b":  # only B has it: add B's record
                record = copy.deepcopy(unit.b_value)
                record["id"] = _next_id(rows, "E" if unit.kind == "events" else "S")
                record.pop("event_type", None)
                rows.append(record)
                decided[f"{unit.kind}.{record['id']}"] = "b"
            elif unit.a_record:
                decided[f"{unit.kind}.{unit.a_record}"] = "a"
            continue
        record = next(r for r in rows if r["id"] == unit.a_record)
        value = {"a": unit.a_value, "b": unit.b_value}.get(decision.pick, decision.value)
        _set(record, unit.attr, copy.deepcopy(value))
        decided[f"{unit.kind}.{unit.a_record}.{unit.attr}"] = decision.pick
    return raw, decided, unresolved


def _shown(value: Any) -> str:
    return "—" if value is None else str(value)


def adjudicated_gold(
    a: GoldFile,
    b: GoldFile,
    article: Article,
    units: list[Unit],
    decisions: dict[str, Decision],
    *,
    adjudicator: str,
    now: dt.datetime,
    path: Path,
) -> GoldFile:
    """The adjudicated gold file. Raises :class:`labelling.submission.SubmissionInvalid` naming
    every field that does not validate (an edited value, say)."""
    raw, decided, unresolved = apply_decisions(a, units, decisions)
    records = validate_records(raw, article, rules=False)
    who = {"a": a.provenance.labeller, "b": b.provenance.labeller}
    fields: dict[str, FieldProvenance] = {}
    final = leaves(records)
    for leaf in final:
        for prefix, pick in decided.items():
            if leaf == prefix or leaf.startswith(prefix + "."):
                fields[leaf] = FieldProvenance(
                    source="changed" if pick == "edit" else "confirmed",
                    drafted_by=who.get(pick, who["a"]),
                    draft_path=leaf if pick != "b" else None,
                    by=adjudicator,
                    at=now,
                )
    for unit in unresolved:
        if unit.a_record and unit.attr:
            prefix = f"{unit.kind}.{unit.a_record}.{unit.attr}"
            for leaf in final:
                if leaf == prefix or leaf.startswith(prefix + "."):
                    fields[leaf] = FieldProvenance(source="model", drafted_by=who["a"])
    notes = [
        f"unresolved: {u.kind}.{u.a_record or u.b_record}{'.' + u.attr if u.attr else ''} "
        f"({who['a']}: {_shown(u.a_value if u.attr else u.a_record)}; "
        f"{who['b']}: {_shown(u.b_value if u.attr else u.b_record)})"
        for u in unresolved
    ]
    provenance = GoldProvenance(
        labeller=adjudicator,
        method=METHOD.format(a=who["a"], b=who["b"]),
        labelled_at=now.date(),
        status="reviewed",
        drafted_by=f"{who['a']} + {who['b']}",
    )
    body = {
        "article_id": article.id,
        "article_sha256": article.sha256,
        "provenance": provenance.model_dump(mode="json"),
        "records": records.model_dump(mode="json"),
        "notes": "\n".join(notes) or None,
        "field_provenance": {k: v.model_dump(mode="json") for k, v in fields.items()},
    }
    return parse_gold(body, article, path)
