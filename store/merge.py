"""Pair decisions: whether two reports describe the same incident, and why.

A pair is kept apart by a veto (different event types, places that differ at some level of the
admin hierarchy or lie too far apart, date windows that do not overlap, two events of the same
article in the same run); otherwise its points of agreement are summed and it merges when they
reach the threshold (a higher one when either date is unresolved). The rules are data
(:mod:`store.rules`); every decision carries its reasons.

>>> from store.rules import load_rules
>>> from store.reports import Report
>>> base = dict(run_key="r", event_type="explosions_remote_violence", sub_type="air_drone_strike",
...     standing="reported", date_start=738426, date_end=738426, date_precision="day",
...     date_phrase=None, country="iraq", admin1="erbil", admin2="koya", place=None,
...     latitude=None, longitude=None, perpetrators=frozenset({"irgc"}),
...     targets=frozenset({"pdki"}), target_names=frozenset())
>>> a = Report(article_id="a1", event_id="E1", **base)
>>> b = Report(article_id="a2", event_id="E1", **base)
>>> d = decide(a, b, load_rules())
>>> d.merge, d.score, d.reasons[:2]
(True, 8.0, ['same day +2', 'same admin2 +2'])
>>> c = Report(article_id="a3", event_id="E1", **{**base, "admin1": "duhok", "admin2": None})
>>> decide(a, c, load_rules()).reasons
['different admin1 (erbil / duhok)']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from store.reports import Report
from store.rules import PLACE_LEVELS, MergeRules


@dataclass(frozen=True, slots=True)
class PairDecision:
    merge: bool
    score: float
    reasons: list[str] = field(default_factory=list)
    veto: str | None = None


def _km(a: Report, b: Report) -> float | None:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _words(names: frozenset[str], rules: MergeRules) -> set[str]:
    stop = set(rules.names.stop_words)
    out: set[str] = set()
    for name in names:
        for word in name.split():
            if len(word) >= rules.names.min_word_length and word not in stop:
                out.add(word[:-1] if word.endswith("s") and len(word) > 4 else word)
    return out - stop


def _fmt(points: float) -> str:
    return f"{points:+g}"


def _veto(a: Report, b: Report, rules: MergeRules, km: float | None) -> str | None:
    v = rules.vetoes
    if v.same_article_same_run and a.article_id == b.article_id and a.run_key == b.run_key:
        return "two events of the same article in the same run"
    if v.different_event_type and a.event_type != b.event_type:
        return f"different event types ({a.event_type} / {b.event_type})"
    if v.disjoint_dates and a.dated and b.dated:
        slack = rules.blocking.date_slack_days
        assert a.date_start is not None and a.date_end is not None
        assert b.date_start is not None and b.date_end is not None
        if a.date_start > b.date_end + slack or b.date_start > a.date_end + slack:
            return "dates too far apart"
    if v.different_place:
        if km is not None and km > rules.blocking.max_distance_km:
            return f"places {km:.0f} km apart"
        for level in PLACE_LEVELS:
            x, y = getattr(a, level), getattr(b, level)
            if x is not None and y is not None and x != y and (level != "place" or km is None):
                return f"different {level} ({x} / {y})"
    return None


def decide(a: Report, b: Report, rules: MergeRules) -> PairDecision:
    """Whether reports ``a`` and ``b`` describe the same incident, with the reasons."""
    km = _km(a, b)
    veto = _veto(a, b, rules, km)
    if veto is not None:
        return PairDecision(merge=False, score=0.0, reasons=[veto], veto=veto)
    w = rules.weights
    found: list[tuple[str, float]] = []
    if a.dated and b.dated:
        if a.date_start == a.date_end == b.date_start == b.date_end:
            found.append(("same day", w.same_day))
        else:
            found.append(("overlapping dates", w.date_overlap))
    elif (
        a.article_id == b.article_id
        and a.date_phrase is not None
        and a.date_phrase == b.date_phrase
    ):
        found.append(
            ("same date phrase in the same article", w.same_unresolved_phrase_same_article)
        )
    for level in reversed(PLACE_LEVELS):
        x = getattr(a, level)
        if x is not None and x == getattr(b, level):
            found.append((f"same {level}", getattr(w, level)))
            break
    if km is not None:
        found.append((f"{km:.1f} km apart", w.within_distance))
    if a.sub_type == b.sub_type:
        found.append(("same sub-type", w.same_sub_type))
    if a.perpetrators & b.perpetrators:
        found.append(("a perpetrator in common", w.perpetrator_overlap))
    elif a.perpetrators and b.perpetrators:
        found.append(("no perpetrator in common", w.perpetrator_conflict))
    if a.targets and b.targets:
        if a.targets & b.targets or _words(a.target_names, rules) & _words(b.target_names, rules):
            found.append(("a target in common", w.target_overlap))
        else:
            found.append(("no target in common", w.target_conflict))
    if a.article_id == b.article_id:
        found.append(("the same article in another run", w.same_article_other_run))
    score = sum(points for _, points in found)
    threshold = rules.thresholds.dated if a.dated and b.dated else rules.thresholds.undated
    reasons = [f"{what} {_fmt(points)}" for what, points in found if points]
    verdict = "merge" if score >= threshold else "keep apart"
    reasons.append(f"{score:g} {'≥' if score >= threshold else '<'} {threshold:g}: {verdict}")
    return PairDecision(merge=score >= threshold, score=score, reasons=reasons)


@dataclass(frozen=True, slots=True)
class IncidentDecision:
    """How a report relates to one candidate incident: the weakest link to its members decides
    (every member must be compatible), the strongest gives the score."""

    incident_id: str
    merge: bool
    score: float
    reasons: list[str]


def decide_incident(
    report: Report,
    incident_id: str,
    members: list[Report],
    rules: MergeRules,
    *,
    cannot_link: bool = False,
) -> IncidentDecision:
    if cannot_link:
        return IncidentDecision(incident_id, False, 0.0, ["a reviewer split it from this incident"])
    best: PairDecision | None = None
    for member in members:
        d = decide(report, member, rules)
        if d.veto is not None:
            return IncidentDecision(incident_id, False, 0.0, [f"vs {_ref(member)}: {d.veto}"])
        if best is None or d.score > best.score:
            best, best_member = d, member
    if best is None:
        return IncidentDecision(incident_id, False, 0.0, ["no members"])
    return IncidentDecision(
        incident_id, best.merge, best.score, [f"vs {_ref(best_member)}: {r}" for r in best.reasons]
    )


def _ref(r: Report) -> str:
    return f"{r.article_id}/{r.event_id}"


def choose(decisions: list[IncidentDecision]) -> IncidentDecision | None:
    """The incident a report joins: the highest-scoring one that merges (ties: the oldest id)."""
    merging = [d for d in decisions if d.merge]
    if not merging:
        return None
    return min(merging, key=lambda d: (-d.score, d.incident_id))
