"""Canonical actor names for the review page: the list it completes from, and the check that
warns about a name the gazetteer does not know. This module is the labelling tool's only
dependency on the gazetteer (:mod:`gazetteer`).

>>> check_name("IRGC") is None
True
>>> check_name("Islamic Resistence in Irak")
"not in the gazetteer; did you mean 'Islamic Resistance in Iraq'?"
>>> check_name("Synthetic Unknown Brigade")  # doctest: +ELLIPSIS
'not in the gazetteer (gazetteer/data/actors.json): check the spelling, ...'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rapidfuzz import fuzz, process

from gazetteer import gazetteer, normalise_name

NEAR_SCORE = 85.0
"""Minimum rapidfuzz ratio (0-100) for a known form to be suggested for an unknown name."""

CANONICAL_FIELDS = (
    "events.*.perpetrators.*.canonical",
    "events.*.targets.*.canonical",
    "events.*.attribution.*.perpetrator",
    "statements.*.organisation",
    "statements.*.targets",
)
"""Fields whose values are canonical actor names (schema field paths, as in
:func:`labelling.fieldpaths.generic`)."""


def actor_names() -> list[dict[str, Any]]:
    """Every canonical actor name with its other forms, for the page's completion list."""
    out = []
    for entry in gazetteer().actors:
        others = [f for f in entry.forms if f != entry.canonical]
        out.append({"canonical": entry.canonical, "forms": others})
    return sorted(out, key=lambda e: e["canonical"].casefold())


def check_name(name: str) -> str | None:
    """``None`` for a canonical name the gazetteer knows; else what to tell the reviewer."""
    gz = gazetteer()
    if gz.actor_named(name) is not None:
        return None
    near = gz.actor(name)
    if near is None:
        forms = {normalise_name(f): a for a in gz.actors for f in a.forms}
        best = process.extractOne(
            normalise_name(name), list(forms), scorer=fuzz.ratio, score_cutoff=NEAR_SCORE
        )
        near = forms[best[0]] if best else None
    if near is not None:
        return f"not in the gazetteer; did you mean {near.canonical!r}?"
    return (
        "not in the gazetteer (gazetteer/data/actors.json): check the spelling, or keep it "
        "if it is a new actor"
    )


def names_in(raw_records: Any) -> Iterator[tuple[str, str]]:
    """The (path, name) pairs of the canonical-name fields of submitted records (plain JSON, not
    yet validated; anything of an unexpected shape is skipped).

    >>> raw = {"events": [{"id": "E1", "perpetrators": [{"canonical": "IRGC"}]}],
    ...        "statements": [{"id": "S1", "targets": ["Iran", ""]}]}
    >>> list(names_in(raw))
    [('events.E1.perpetrators.0.canonical', 'IRGC'), ('statements.S1.targets.0', 'Iran')]
    """
    for generic in CANONICAL_FIELDS:
        yield from _walk(raw_records, generic.split("."), [])


def _walk(node: Any, parts: list[str], path: list[str]) -> Iterator[tuple[str, str]]:
    if not parts:
        values = node if isinstance(node, list) else [node]
        for i, v in enumerate(values):
            if isinstance(v, str) and v.strip():
                yield ".".join(path + ([str(i)] if isinstance(node, list) else [])), v
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if not isinstance(node, list):
            return
        for i, item in enumerate(node):
            rid = item.get("id") if isinstance(item, dict) and len(path) == 1 else None
            label = rid if isinstance(rid, str) and rid else str(i) if len(path) > 1 else f"#{i}"
            yield from _walk(item, rest, [*path, label])
    elif isinstance(node, dict) and head in node:
        yield from _walk(node[head], rest, [*path, head])
