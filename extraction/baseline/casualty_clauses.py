"""Casualty figures whose number stands away from its verb, or that have no numeral at all.

These shapes are read only where the common ones (``casualties``) found nothing for a killed or
injured word:

- a number and its noun phrase, then a passive verb further on in the clause ("Two fighters
  from the party identified as A and B were killed"), up to ``max_gap_chars`` apart, with no
  other number between;
- one named or singular victim: "a peasant was killed", "the mayor was murdered", "gunmen
  killed a driver", "X was assassinated" (1);
- "killed X" with X a name (1, or 2 for "X and Y"); "N bodies" (N); "the murder
  (assassination, killing, massacre) of N ..." (N) or of one or two named victims;
- "caused (resulted in, led to) the death of X" (1), and "... the death of X and several
  members of his family" (1 plus the vague quantity, with its qualifier).

Verb lists: ``victim_verbs`` in ``data/casualties.json``.

>>> t = "Two Peshmerga fighters from the KDPI identified as Ali and Omar were killed on Monday."
>>> [(f.kind.value, f.quantity.best, t[f.start:f.end]) for f in find_clause_casualties(t)]
[('killed', 2, 'Two Peshmerga fighters from the KDPI identified as Ali and Omar were killed')]
>>> t = "GUERRILLAS KILLED A PEASANT IN THE CITY. THE MAYOR WAS MURDERED."
>>> [(f.kind.value, f.quantity.best) for f in find_clause_casualties(t)]
[('killed', 1), ('killed', 1)]
>>> t = "It caused the death of businessman Sami Aziz and several members of his family."
>>> [(f.quantity.low, f.quantity.best, f.quantity.qualifier.value)
...  for f in find_clause_casualties(t)]
[(3, 4, 'several')]
"""

from __future__ import annotations

import re
from functools import cache

from extraction.baseline.casualties import Figure
from extraction.baseline.lexicon import casualties_data, phrase_regex
from extraction.baseline.numbers import Quantity, parse_quantity, quantity_regex
from extraction.baseline.prefilter import Guarded, guarded
from schemas.vocab import CasualtyGroup, CasualtyKind, Qualifier

_INJURED = frozenset({"wounded", "injured", "hurt"})
_ONE = Quantity(1, Qualifier.EXACT, 1, 1, 1, False)
_TWO = Quantity(2, Qualifier.EXACT, 2, 2, 2, False)
_NAME = r"(?-i:[A-Z])[\w’'.-]*(?:\s+(?-i:[A-Z])[\w’'.-]*){0,3}"  # capitalised words
_DETERMINERS = r"(?:the|his|her|their|its|these|those|this|that|such)\b"
_NOT_A_NAME = (
    r"(?:on|in|at|by|during|when|while|after|before|and|or|as|to|today|yesterday|last|this|"
    r"him|her|them|it|himself|themselves|people|civilians|soldiers|police)\b"
)
_NEGATED = re.compile(r"\b(?:no|nobody|none|no\s+one|not|neither)\b[^,;]*$", re.IGNORECASE)
_SUBORDINATE = re.compile(
    r"\b(?:after|before|when|while|since|because|that|who|which|week|day|month|year)s?\b",
    re.IGNORECASE,
)
_SUBJECT_BREAK = re.compile(
    r"^(?!\s+[^\W\d])|\b(?:they|he|she|it|we|who|which|that|sources?|officials?|said|says"
    r"|according|after|before|when|while|because|since)\b",
    re.IGNORECASE,
)


@cache
def _patterns() -> dict[str, Guarded]:
    verbs = phrase_regex(casualties_data().victim_verbs).pattern
    qty = quantity_regex().pattern
    bare_qty = re.sub(r"\(\?P<\w+>", "(?:", qty)
    gap = casualties_data().max_gap_chars
    aux = r"(?:was|were|had\s+been|have\s+been|has\s+been|being)(?:\s+\w+ly)?"
    flags = re.IGNORECASE
    patterns = {
        "distant": re.compile(
            rf"{qty}(?P<gap>[^.;:!?\d]{{3,{gap}}}?)\s+{aux}\s+(?P<verb>{verbs})", flags
        ),
        "one_passive": re.compile(
            rf"(?<![\w-])(?:a|an|one|the)\s+(?:[\w’'-]+\s+){{0,3}}?[\w’'-]+\s+was(?:\s+\w+ly)?"
            rf"\s+(?P<verb>{verbs})",
            flags,
        ),
        "one_active": re.compile(
            rf"(?P<verb>{verbs})\s+(?:a|an|one)\s+(?:[\w’'-]+\s+){{0,2}}?[\w’'-]+(?![\w])", flags
        ),
        "death_of": re.compile(
            rf"\b(?:caus\w*|result\w*\s+in|led\s+to|leaving)\s+(?:the\s+)?"
            rf"death\s+of\s+(?:(?:[\w’'.-]+\s+){{0,4}}?[\w’'.-]+"
            rf"\s+and\s+(?P<more>{qty})\s+(?:members|relatives|others|people|of)\b"
            rf"|(?:a|an|one)\s+[\w’'-]+"
            rf"|(?!{bare_qty}|{_DETERMINERS}){_NAME})",
            flags,
        ),
        "act_of": re.compile(
            rf"\b(?:murders?|assassinations?|killings?|massacres?)\s+of\s+"
            rf"(?:(?:the\s+)?(?P<count>{bare_qty})\s+(?:[\w’'-]+\s+){{0,2}}?[\w’'-]+"
            rf"|(?!{bare_qty}|{_DETERMINERS})(?P<names>{_NAME}(?:\s+and\s+{_NAME})?))",
            flags,
        ),
        "bodies": re.compile(rf"{qty}\s+(?:[\w’'-]+\s+){{0,2}}?(?:bodies|corpses)\b", flags),
        "named_object": re.compile(
            rf"\b(?:killing|killed|murdering|murdered|assassinating|assassinated)\s+"
            rf"(?!{bare_qty}|{_DETERMINERS}|{_NOT_A_NAME})(?P<names>{_NAME}(?:\s+and\s+{_NAME})?)",
            flags,
        ),
        "singular": re.compile(rf"\bwas(?:\s+\w+ly)?\s+(?P<verb>{verbs}|found\s+dead)", flags),
    }
    return {name: guarded(rx) for name, rx in patterns.items()}


def _kind(verb: str) -> CasualtyKind:
    return CasualtyKind.INJURED if verb.lower() in _INJURED else CasualtyKind.KILLED


def find_clause_casualties(
    text: str,
    start: int = 0,
    end: int | None = None,
    taken: list[tuple[int, int]] | None = None,
    *,
    attack: bool = True,
) -> list[Figure]:
    """Figures of the shapes above in ``text[start:end]``, outside ``taken`` spans. Without
    ``attack`` (no attack word in the clause) only the shapes that name an act of killing are
    read ("killed a peasant", "the murder of six priests", "caused the death of X")."""
    end = len(text) if end is None else end
    used = list(taken or [])
    out: list[Figure] = []

    def free(s: int, e: int) -> bool:
        return all(e <= us or ue <= s for us, ue in used)

    p = _patterns()
    for m in p["act_of"].finditer(text, start, end):
        if not free(m.start(), m.end()):
            continue
        if m.group("count"):
            q = parse_quantity(None, m.group("count"))
            if q.best is None and q.low is None:
                continue
        else:
            q = _TWO if re.search(r"\s+and\s+", m.group("names"), re.I) else _ONE
        out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, q, m.start(), m.end()))
        used.append((m.start(), m.end()))
    for m in p["bodies"].finditer(text, start, end):
        q = parse_quantity(m.group("hedge"), m.group("num"))
        if not q.article and (q.best is not None or q.low is not None) and free(*m.span()):
            out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, q, m.start(), m.end()))
            used.append(m.span())
    for m in p["named_object"].finditer(text, start, end):
        if free(*m.span()):
            q = _TWO if re.search(r"\s+and\s+", m.group("names"), re.I) else _ONE
            out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, q, m.start(), m.end()))
            used.append(m.span())
    for m in p["singular"].finditer(text, start, end) if attack else ():
        before = text[max(start, m.start() - 60) : m.start()]
        if _NEGATED.search(before) or _SUBORDINATE.search(before[-30:]) or not free(*m.span()):
            continue
        out.append(Figure(_kind(m.group("verb")), CasualtyGroup.ALL, _ONE, m.start(), m.end()))
        used.append(m.span())
    for m in p["distant"].finditer(text, start, end) if attack else ():
        q = parse_quantity(m.group("hedge"), m.group("num"))
        if q.article or (q.best is None and q.low is None):
            continue
        vs = m.start("verb")
        if _SUBJECT_BREAK.search(m.group("gap")):
            continue  # "three security sources, they were killed": another subject
        if free(vs, m.end()):
            out.append(Figure(_kind(m.group("verb")), CasualtyGroup.ALL, q, m.start(), m.end()))
            used.append((m.start(), m.end()))
    for name in ("one_passive", "one_active") if attack else ("one_active",):
        for m in p[name].finditer(text, start, end):
            if _SUBORDINATE.search(m.group()):
                continue  # "a week after Amini was killed": the victim is not the phrase's
            if free(m.start("verb"), m.end("verb")):
                out.append(
                    Figure(_kind(m.group("verb")), CasualtyGroup.ALL, _ONE, m.start(), m.end())
                )
                used.append((m.start(), m.end()))
    for m in p["death_of"].finditer(text, start, end):
        if not free(m.start(), m.end()):
            continue
        q = _ONE
        if m.group("more"):
            more = parse_quantity(m.group("hedge"), m.group("more"))
            if more.low is not None and more.best is not None:
                q = Quantity(None, more.qualifier, 1 + more.low, 1 + more.best, None, False)
        out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, q, m.start(), m.end()))
        used.append((m.start(), m.end()))
    out.sort(key=lambda f: f.start)
    return out
