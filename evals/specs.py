"""What is scored for events and statements: their fields, comparators, gates and similarities.

Field names in tables are ``event.<field>`` and ``statement.<field>``; list entries add their own
(``event.casualties.count``). See :mod:`evals.engine` for how they are counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from evals.compare import (
    count_credit,
    date_credit,
    dates_far_apart,
    enum_credit,
    location_credit,
    location_names,
    locations_compatible,
    name_credit,
    quote_exact_credit,
    text_credit,
)
from evals.config import ScoringConfig
from evals.engine import ListOf, Scalar, Spec
from evals.names import NameKind, any_names_match
from evals.show import (
    show_actor,
    show_attribution,
    show_count,
    show_date,
    show_event,
    show_figure,
    show_location,
    show_plain,
    show_statement,
    show_weapon,
)
from evals.tokens import token_f1
from schemas.event import (
    Actor,
    AttackEvent,
    Attribution,
    CasualtyFigure,
    EventDate,
    Location,
    Weapon,
)
from schemas.statement import Statement
from schemas.vocab import Channel, TextType

# --- small builders --------------------------------------------------------------------------


def _enum(name: str, get: Callable[[Any], Any], *, confusion: bool = True) -> Scalar[Any]:
    return Scalar(name, get, lambda g, p, _c: enum_credit(g, p), (name,), show_plain, confusion)


def _name(name: str, get: Callable[[Any], Any], kind: NameKind) -> Scalar[Any]:
    return Scalar(name, get, lambda g, p, _c: name_credit(g, p, kind), (name,), show_actor)


def _label_index(_v: Any, i: int) -> str:
    return f"[{i}]"


def _text(value: str | None) -> str | None:
    return value if value and value.strip() else None


# --- list entries ----------------------------------------------------------------------------


def _actor_gate(g: Actor, p: Actor, _c: ScoringConfig) -> bool:
    return name_credit(g, p, "actor") > 0


ACTOR: Spec[Actor] = Spec(
    gate=_actor_gate,
    similarity=lambda g, p, _c: 1.0 + 0.1 * (g.category is not None and g.category == p.category),
    fields=(_enum("category", lambda a: a.category, confusion=False),),
    show=show_actor,
    label=_label_index,
)

NAME: Spec[str] = Spec(
    gate=lambda g, p, _c: name_credit(g, p, "actor") > 0,
    similarity=lambda g, p, _c: 1.0,
    fields=(),
    show=show_actor,
    label=_label_index,
)

EVENT_ID: Spec[str] = Spec(
    gate=lambda g, p, _c: g == p,
    similarity=lambda g, p, _c: 1.0,
    fields=(),
    show=str,
    label=_label_index,
)


def _counted(value: CasualtyFigure | Weapon) -> CasualtyFigure | Weapon | None:
    if isinstance(value, Weapon):
        return value if value.count is not None else None
    return value if any(v is not None for v in (value.low, value.best, value.high)) else None


WEAPON: Spec[Weapon] = Spec(
    gate=lambda g, p, _c: g.kind == p.kind,
    similarity=lambda g, p, c: (
        1.0 + 0.5 * count_credit(g, p, c) if _counted(g) and _counted(p) else 1.0
    ),
    fields=(Scalar("count", _counted, count_credit, ("count", "qualifier"), show_count),),
    show=show_weapon,
    label=_label_index,
)


def _figure_similarity(g: CasualtyFigure, p: CasualtyFigure, c: ScoringConfig) -> float:
    count = count_credit(g, p, c) if _counted(g) and _counted(p) else 0.0
    by = (
        name_credit(g.reported_by, p.reported_by, "phrase")
        if g.reported_by and p.reported_by
        else 0
    )
    return 1.0 + (g.group == p.group) + count + 0.5 * (g.qualifier == p.qualifier) + 0.5 * by


CASUALTY: Spec[CasualtyFigure] = Spec(
    gate=lambda g, p, _c: g.kind == p.kind,
    similarity=_figure_similarity,
    fields=(
        _enum("group", lambda f: f.group),
        Scalar("count", _counted, count_credit, ("",), show_count),
        _enum("qualifier", lambda f: f.qualifier),
        _name("reported_by", lambda f: _text(f.reported_by), "phrase"),
    ),
    show=show_figure,
    label=_label_index,
)


def _same_perpetrator(g: Attribution, p: Attribution) -> bool:
    if g.perpetrator is None and p.perpetrator is None:
        return True
    return name_credit(g.perpetrator or "", p.perpetrator or "", "actor") > 0


def _attribution_similarity(g: Attribution, p: Attribution, _c: ScoringConfig) -> float:
    by = g.by is not None and p.by is not None and name_credit(g.by, p.by, "phrase") > 0
    return 1.0 + 2.0 * _same_perpetrator(g, p) + (g.kind == p.kind) + by


ATTRIBUTION: Spec[Attribution] = Spec(
    gate=lambda g, p, _c: _same_perpetrator(g, p) or g.kind == p.kind,
    similarity=_attribution_similarity,
    fields=(
        _enum("kind", lambda a: a.kind),
        _name("perpetrator", lambda a: _text(a.perpetrator), "actor"),
        _name("by", lambda a: _text(a.by), "phrase"),
    ),
    show=show_attribution,
    label=_label_index,
)

# --- events ----------------------------------------------------------------------------------


def _date(d: EventDate | None) -> EventDate | None:
    if d is None or (d.value is None and not _text(d.phrase)):
        return None
    return d


def _location(loc: Location) -> Location | None:
    return loc if location_names(loc) else None


def _level(level: str) -> Scalar[AttackEvent]:
    return Scalar(
        f"location.{level}",
        lambda e: _text(getattr(e.location, level)),
        lambda g, p, _c: name_credit(g, p, "place"),
        (f"location.{level}",),
        show_plain,
    )


def _set_f1(golds: Sequence[Actor], preds: Sequence[Actor]) -> float | None:
    if not golds and not preds:
        return None
    if not golds or not preds:
        return 0.0
    hit_g = sum(any(name_credit(g, p, "actor") for p in preds) for g in golds)
    hit_p = sum(any(name_credit(g, p, "actor") for g in golds) for p in preds)
    return (hit_g + hit_p) / (len(golds) + len(preds))


def _quote(ev: Any) -> str | None:
    return ev.quote if ev is not None else None


def _evidence_f1(gold: Any, pred: Any) -> float | None:
    """Token F1 of the evidence quotes; left out (``None``) when the gold gives none, as a
    public data set's gold has no evidence spans; 0 when only the gold gives one."""
    qg, qp = _quote(gold), _quote(pred)
    if qg is None:
        return None
    return token_f1(qg, qp) if qp else 0.0


def weighted_mean(parts: Sequence[tuple[float, float | None]]) -> float:
    """Mean of the parts weighted by their weights, leaving out parts that neither side gives
    (``None``); 0 when nothing is left.

    >>> weighted_mean([(2.0, 1.0), (1.0, 0.25), (5.0, None)])
    0.75
    """
    given = [(w, x) for w, x in parts if x is not None]
    total = sum(w for w, _ in given)
    return sum(w * x for w, x in given) / total if total else 0.0


def event_gate(g: AttackEvent, p: AttackEvent, c: ScoringConfig) -> bool:
    """Forbid pairs that cannot be the same event: different places and (different coarse type
    or dates far apart)."""
    if locations_compatible(g.location, p.location, c):
        return True
    return g.event_type == p.event_type and not dates_far_apart(g.date, p.date, c)


def event_similarity(g: AttackEvent, p: AttackEvent, c: ScoringConfig) -> float:
    """Weighted mean (weights in ``scoring.toml``) of sub-type (1 same, 0.5 same coarse type),
    location credit, date credit, evidence-quote token F1, actor overlap and standing; a part
    neither event gives (no place, no date, no evidence, no actors) is left out."""
    w = c.event.weights
    sub = 1.0 if g.sub_type == p.sub_type else (0.5 if g.event_type == p.event_type else 0.0)
    gl, pl = _location(g.location), _location(p.location)
    loc = location_credit(gl, pl, c) if gl and pl else (None if not gl and not pl else 0.0)
    gd, pd = _date(g.date), _date(p.date)
    date = date_credit(gd, pd, c) if gd and pd else (None if not gd and not pd else 0.0)
    actor_parts = [_set_f1(g.perpetrators, p.perpetrators), _set_f1(g.targets, p.targets)]
    given = [x for x in actor_parts if x is not None]
    actors = sum(given) / len(given) if given else None
    return weighted_mean(
        [
            (w.sub_type, sub),
            (w.location, loc),
            (w.date, date),
            (w.evidence, _evidence_f1(g.evidence, p.evidence)),
            (w.actors, actors),
            (w.standing, float(g.standing == p.standing)),
        ]
    )


EVENT: Spec[AttackEvent] = Spec(
    gate=event_gate,
    similarity=event_similarity,
    fields=(
        Scalar(
            "event_type",
            lambda e: e.event_type,
            lambda g, p, _c: enum_credit(g, p),
            ("event_type", "sub_type"),
            show_plain,
            True,
        ),
        _enum("sub_type", lambda e: e.sub_type),
        _enum("outcome", lambda e: e.outcome),
        _enum("standing", lambda e: e.standing),
        Scalar("date", lambda e: _date(e.date), date_credit, ("date",), show_date),
        Scalar(
            "location",
            lambda e: _location(e.location),
            location_credit,
            ("location",),
            show_location,
        ),
        *(_level(level) for level in ("place", "admin2", "admin1", "country")),
        _enum(
            "location.precision",
            lambda e: e.location.precision if _location(e.location) else None,
            confusion=False,
        ),
        ListOf("perpetrators", lambda e: e.perpetrators, "perpetrators", ACTOR),
        ListOf("targets", lambda e: e.targets, "targets", ACTOR),
        ListOf("attribution", lambda e: e.attribution, "attribution", ATTRIBUTION),
        ListOf("weapons", lambda e: e.weapons, "weapons", WEAPON),
        ListOf("casualties", lambda e: e.casualties, "casualties", CASUALTY),
    ),
    show=show_event,
    label=lambda e, _i: e.id,
)

# --- statements ------------------------------------------------------------------------------


def _speaker_match(g: Statement, p: Statement) -> bool:
    return any_names_match(
        [g.speaker] if g.speaker else [], [p.speaker] if p.speaker else [], "person"
    )


def _organisation_match(g: Statement, p: Statement) -> bool:
    return (
        g.organisation is not None
        and p.organisation is not None
        and name_credit(g.organisation, p.organisation, "actor") > 0
    )


def speaker_right(g: Statement, p: Statement) -> bool:
    """The speaker is right: the same person, or (no person named in the gold) the same
    organisation."""
    if g.speaker:
        return _speaker_match(g, p)
    return _organisation_match(g, p)


def statement_gate(g: Statement, p: Statement, c: ScoringConfig) -> bool:
    """Allow a pair when the speaker or organisation, the kind, or enough of the text agree."""
    if _speaker_match(g, p) or _organisation_match(g, p) or g.kind == p.kind:
        return True
    return token_f1(g.text, p.text) >= c.statement.text_gate_f1


def statement_similarity(g: Statement, p: Statement, c: ScoringConfig) -> float:
    """Weighted mean of speaker (1 same person, or same organisation when neither names a person;
    0.5 same organisation only), text token F1, kind,
    evidence token F1 and overlap (Jaccard) of the events it is about; a part neither statement
    gives is left out."""
    w = c.statement.weights
    named = (g.speaker or g.organisation, p.speaker or p.organisation)
    if _speaker_match(g, p):
        speaker: float | None = 1.0
    elif _organisation_match(g, p):
        speaker = 1.0 if not g.speaker and not p.speaker else 0.5
    else:
        speaker = None if named == (None, None) else 0.0
    ga, pa = set(g.about_events), set(p.about_events)
    about = len(ga & pa) / len(ga | pa) if ga | pa else None
    return weighted_mean(
        [
            (w.speaker, speaker),
            (w.text, token_f1(g.text, p.text)),
            (w.kind, float(g.kind == p.kind)),
            (w.evidence, _evidence_f1(g.evidence, p.evidence)),
            (w.about_events, about),
        ]
    )


def _quote_text(s: Statement) -> str | None:
    return s.text if s.text_type is TextType.QUOTE else None


STATEMENT: Spec[Statement] = Spec(
    gate=statement_gate,
    similarity=statement_similarity,
    fields=(
        _enum("kind", lambda s: s.kind),
        _name("speaker", lambda s: _text(s.speaker), "person"),
        _name("role", lambda s: _text(s.role), "phrase"),
        _name("organisation", lambda s: _text(s.organisation), "actor"),
        _enum("channel", lambda s: None if s.channel is Channel.UNKNOWN else s.channel),
        _enum("text_type", lambda s: s.text_type),
        ListOf("about_events", lambda s: s.about_events, "about_events", EVENT_ID),
        ListOf("targets", lambda s: s.targets, "targets", NAME),
        Scalar("date", lambda s: _date(s.date), date_credit, ("date",), show_date),
        Scalar("text", lambda s: s.text, lambda g, p, _c: text_credit(g, p), ("text",), show_plain),
        Scalar(
            "quote.exact",
            _quote_text,
            lambda g, p, _c: quote_exact_credit(g, p),
            ("text", "text_type"),
            show_plain,
        ),
        Scalar(
            "quote.token_f1",
            _quote_text,
            lambda g, p, _c: text_credit(g, p),
            ("text", "text_type"),
            show_plain,
        ),
    ),
    show=show_statement,
    label=lambda s, _i: s.id,
)


def field_names(prefix: str, spec: Spec[Any]) -> list[str]:
    """Every field name a spec produces, in table order.

    >>> field_names("event", EVENT)[:3]
    ['event.event_type', 'event.sub_type', 'event.outcome']
    """
    out: list[str] = []
    for f in spec.fields:
        name = f"{prefix}.{f.name}"
        out.append(name)
        if isinstance(f, ListOf):
            out.extend(field_names(name, f.item))
    return out
