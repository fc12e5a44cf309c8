"""Role-filler entity extraction (REE), the MUC-4 figure of Du et al. 2021 (GRIT; GTT).

For each document and role (PerpInd, PerpOrg, Target, Victim, Weapon) the gold is a set of
entities, each a set of mention strings any of which names it (a key's ``"FMLN" / "FARABUNDO
MARTI NATIONAL LIBERATION FRONT"``); the prediction is a set of entities, each a set of mentions.
Strings are normalised (lower case, punctuation and the articles a/an/the removed, spaces
collapsed). A predicted entity matches a gold one when all its mentions are among the gold's
(``phi_strict``); predicted and gold entities are aligned one-to-one to maximise matches
(CEAF), and the matches are summed over documents and roles:

    precision = matches / predicted entities    recall = matches / gold entities

>>> gold = {"PerpOrg": [{"fmln", "farabundo marti national liberation front"}]}
>>> pred = {"PerpOrg": [{"FMLN"}], "Victim": [{"Cerezo"}]}
>>> counts = ree_counts(gold, pred)
>>> counts["PerpOrg"], counts["Victim"]
((1.0, 1, 1), (0.0, 0, 1))
>>> normalise_mention("The \\"Santo Tomas\\" farm")
'santo tomas farm'
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from evals.datasets.muc_keys import Template
from schemas.records import ArticleExtraction
from schemas.vocab import ActorCategory

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
ROLE_SLOTS = {"PerpInd": 9, "PerpOrg": 10, "Target": 12, "Victim": 18, "Weapon": 6}
"""Key slots of each role, as GRIT/GTT take them: perpetrator individual and organisation ids,
physical target id, human target name, instrument id."""

ORGANISATION_CATEGORIES = frozenset(
    {
        ActorCategory.STATE_FORCES,
        ActorCategory.EXTERNAL_FORCES,
        ActorCategory.REBEL_GROUP,
        ActorCategory.POLITICAL_MILITIA,
        ActorCategory.IDENTITY_MILITIA,
        ActorCategory.POLITICAL_PARTY,
        ActorCategory.INTERNATIONAL_ORGANISATION,
        ActorCategory.MEDIA,
    }
)
"""Actor categories read as organisations: a perpetrator in one is a PerpOrg, a target in one a
(physical or institutional) Target; other actors are PerpInd and Victim."""

MAX_WEAPON_WORDS = 5
"""A predicted weapon's mention is its evidence quote when that is this short, else its kind."""

Entities = Mapping[str, Sequence[set[str]]]
Counts = tuple[float, int, int]  # matches, gold entities, predicted entities

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation)


def normalise_mention(text: str) -> str:
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCT)).split())


def _folded(text: str) -> str:
    return " ".join(text.lower().split())


def _merge(entities: Iterable[set[str]]) -> list[set[str]]:
    """Entities that share a mention are one entity (the same filler in several templates)."""
    out: list[set[str]] = []
    for ent in entities:
        if not ent:
            continue
        merged = set(ent)
        keep = []
        for other in out:
            if other & merged:
                merged |= other
            else:
                keep.append(other)
        out = [*keep, merged]
    return out


def gold_entities(templates: Sequence[Template], text: str) -> dict[str, list[set[str]]]:
    """Gold role fillers of one message: every non-empty template (all incident types, as in
    GTT), each filler an entity of its string alternatives, keeping only mentions that occur in
    the text (as GTT finds them: lower case, runs of white space as one space, any substring),
    normalised, entities merged across templates when they share a mention."""
    haystack = _folded(text)
    out: dict[str, list[set[str]]] = {}
    for role in ROLES:
        found: list[set[str]] = []
        for t in templates:
            if t.empty:
                continue
            for f in t.fillers(ROLE_SLOTS[role]):
                present = [s for s in f.strings if _folded(s) and _folded(s) in haystack]
                found.append({m for m in map(normalise_mention, present) if m})
        out[role] = _merge(found)
    return out


def predicted_entities(extraction: ArticleExtraction | None) -> dict[str, list[set[str]]]:
    """Role fillers of a sitrep extraction, one mention each, over all its events:
    perpetrators (PerpOrg when their category is an organisation's, else PerpInd), targets
    (Target when an organisation's, else Victim) and weapons (the evidence quote when short,
    else the weapon kind)."""
    roles: dict[str, list[str]] = {role: [] for role in ROLES}
    for event in extraction.events if extraction else []:
        for actor in event.perpetrators:
            org = actor.category in ORGANISATION_CATEGORIES
            roles["PerpOrg" if org else "PerpInd"].append(actor.name)
        for actor in event.targets:
            org = actor.category in ORGANISATION_CATEGORIES
            roles["Target" if org else "Victim"].append(actor.name)
        for weapon in event.weapons:
            quote = weapon.evidence.quote if weapon.evidence else ""
            short = 0 < len(quote.split()) <= MAX_WEAPON_WORDS
            roles["Weapon"].append(quote if short else weapon.kind.value.replace("_", " "))
    out: dict[str, list[set[str]]] = {}
    for role, names in roles.items():
        unique = dict.fromkeys(n for n in (normalise_mention(x) for x in names) if n)
        out[role] = [{n} for n in unique]
    return out


def _ceaf(gold: Sequence[set[str]], pred: Sequence[set[str]]) -> float:
    if not gold or not pred:
        return 0.0
    scores = np.array([[float(p <= g) for p in pred] for g in gold])
    rows, cols = linear_sum_assignment(-scores)
    return float(scores[rows, cols].sum())


def ree_counts(gold: Entities, pred: Mapping[str, Sequence[set[str]]]) -> dict[str, Counts]:
    """Matches, gold and predicted entity counts of one document, by role (see the module
    docstring); mentions are normalised here."""
    out: dict[str, Counts] = {}
    for role in ROLES:
        g = [{normalise_mention(m) for m in ent} for ent in gold.get(role, [])]
        p = [{normalise_mention(m) for m in ent} for ent in pred.get(role, [])]
        out[role] = (_ceaf(g, p), len(g), len(p))
    return out
