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

Word lists: ``victim_verbs`` and ``clause_words`` in ``data/casualties.json``.

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from extraction.baseline.events.casualties import Figure
from extraction.baseline.text.lexicon import (
    casualties_data,
    dates_data,
    phrase_regex,
    victims_data,
)
from extraction.baseline.text.numbers import (
    Quantity,
    alternation,
    bare_quantity,
    parse_quantity,
    quantity_regex,
)
from extraction.baseline.text.prefilter import Guarded, guarded
from schemas.vocab import CasualtyGroup, CasualtyKind, Qualifier

_ONE = Quantity(1, Qualifier.EXACT, 1, 1, 1, False)
_TWO = Quantity(2, Qualifier.EXACT, 2, 2, 2, False)
_AT_LEAST_TWO = Quantity(2, Qualifier.AT_LEAST, 2, 2, None, False)
_NAME = (  # capitalised words, not "and"/"or" (a text in capitals capitalises those too)
    r"(?-i:[A-Z])[\w’'.-]*(?:\s+(?!(?:and|or|AND|OR)\b)(?-i:[A-Z])[\w’'.-]*){0,3}"
)
_PAIR = re.compile(
    r"(?:^|(?<=[.;:!?])|(?<=\bthat)|(?<=\bwhen)|(?<=\bsays)|(?<=\bsaid)|(?<=\breported))"
    r"\s*(?P<a>[^\W\d][^,;.:\d]{2,60}?)(?:,[^;.:\d]{1,60},)?\s+and\s+"
    r"(?P<b>(?:(?:his|her|their)\s+)?[^,;.:\d]{2,60}?)(?:,[^;.:]{1,80},)?$",
    re.IGNORECASE,
)
"""Two victims joined by "and" at the start of a clause, up to the passive verb's subject."""


@dataclass(frozen=True, slots=True)
class _Words:
    """``clause_words`` of ``data/casualties.json``: word sets, and regular expressions of the
    lists that are read inside a pattern."""

    injured: frozenset[str]
    non_subjects: frozenset[str]
    relative: frozenset[str]
    determiners: str
    not_a_name: str
    not_a_second: str
    stops: str
    negated: re.Pattern[str]
    subordinate: re.Pattern[str]
    subject_break: re.Pattern[str]


@cache
def _words() -> _Words:
    w = casualties_data().clause_words
    return _Words(
        injured=frozenset(w.injured_verbs),
        non_subjects=frozenset(w.non_subjects),
        relative=frozenset(w.relative_pronouns),
        determiners=rf"(?:{alternation(w.determiners)})\b",
        not_a_name=rf"(?:{alternation(w.not_a_name)})\b",
        not_a_second=rf"(?:{alternation(w.not_a_second)})\b",
        stops=alternation(w.list_stops),
        negated=re.compile(rf"\b(?:{alternation(w.negations)})\b[^,;]*$", re.IGNORECASE),
        subordinate=re.compile(rf"\b(?:{alternation(w.subordinators)})s?\b(?!-)", re.IGNORECASE),
        subject_break=re.compile(
            rf"^(?!\s+[^\W\d])|\b(?:{alternation(w.subject_breaks)})\b", re.IGNORECASE
        ),
    )


@cache
def _patterns() -> dict[str, Guarded]:
    verbs = phrase_regex(casualties_data().victim_verbs).pattern
    qty = quantity_regex().pattern
    bare_qty = bare_quantity()
    gap = casualties_data().max_gap_chars
    w = _words()
    aux = r"(?:was|were|had\s+been|have\s+been|has\s+been|being)(?:\s+(?:\w+ly|also))?"
    flags = re.IGNORECASE
    patterns = {
        "distant": re.compile(
            rf"{qty}(?P<gap>[^.;:!?\d]{{3,{gap}}}?)\s+{aux}\s+(?P<verb>{verbs})", flags
        ),
        "one_passive": re.compile(
            rf"(?<![\w-])(?:a|an|one|the)\s+(?:[\w’'-]+\s+){{0,3}}?[\w’'-]+\s+was(?:\s+(?:\w+ly|also))?"
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
            rf"|(?!{bare_qty}|{w.determiners}){_NAME})",
            flags,
        ),
        "act_of": re.compile(
            rf"\b(?:murders?|assassinations?|killings?|massacres?)\s+of\s+"
            rf"(?:(?:the\s+)?(?P<count>{bare_qty})\s+(?:[\w’'-]+\s+){{0,2}}?[\w’'-]+"
            rf"|(?!{bare_qty}|{w.determiners})(?P<names>{_NAME}(?:\s+and\s+(?!{w.not_a_name}|{w.determiners}|{w.not_a_second}){_NAME})?)"
            rf"|(?:the|his|her|their)\s+(?P<people>(?:[\w’'-]+\s+){{0,2}}[\w’'-]+)(?![\w’'-]))",
            flags,
        ),
        "acts_of_list": re.compile(  # "the murders of A, B and C" (3)
            rf"\b(?:murders|assassinations|killings)\s+of\s+(?!{bare_qty}|{w.determiners})"
            rf"(?P<names>{_NAME}(?:\s*,\s*(?!and\b|{w.not_a_name}|{w.determiners}){_NAME}){{1,6}}"
            rf",?\s+and\s+(?:of\s+)?(?!{w.not_a_name}|{w.determiners}|{w.not_a_second}){_NAME})",
            flags,
        ),
        "possessive_act": re.compile(
            rf"(?:(?<![\w’'-])(?P<count>{bare_qty})\s+(?:[\w’'-]+\s+){{0,2}}?)?"
            rf"(?P<whose>[\w’'-]+)(?:['’]s|(?P<plural>s['’]))\s+(?:multiple\s+)?"
            rf"(?:murders?|assassinations?|killings?|massacre)\b",
            flags,
        ),
        "bodies": re.compile(rf"{qty}\s+(?:[\w’'-]+\s+){{0,2}}?(?:bodies|corpses)\b", flags),
        "named_object": re.compile(
            rf"\b(?:killing|killed|murdering|murdered|assassinating|assassinated)\s+"
            rf"(?!{bare_qty}|{w.determiners}|{w.not_a_name})(?P<names>{_NAME}(?:\s+and\s+(?!{w.not_a_name}|{w.determiners}|{w.not_a_second}){_NAME})?)",
            flags,
        ),
        "object_people": re.compile(
            r"\b(?:killed|murdered|assassinated|massacred|executed)\s+(?:the|his|her|their)\s+"
            r"(?P<people>(?:[\w’'-]+\s+){0,3}[\w’'-]+)",
            flags,
        ),
        "subject_verb": re.compile(
            rf"(?<![\w’'-])(?P<subj>[\w’'-]+)\s+(?:(?:were|have\s+been|had\s+been)(?:\s+(?:\w+ly|also))?"
            rf"\s+(?P<verb>{verbs})|(?P<died>died))(?![\w’'-])",
            flags,
        ),
        "singular": re.compile(
            rf"\bwas(?:\s+(?:\w+ly|also))?\s+(?P<verb>{verbs}|found\s+dead)", flags
        ),
        "died_named": re.compile(  # "Ana Ruiz, a former mayor, died"; "he died"
            rf"(?:(?P<name>{_NAME})\s*,[^;.:]{{3,100}}?,|(?<![\w’'-])(?:he|she))"
            rf"\s+(?:(?:has|had)\s+)?died(?![\w’'-])",
            flags,
        ),
    }
    return {name: guarded(rx) for name, rx in patterns.items()}


@cache
def _victim_nouns() -> tuple[frozenset[str], frozenset[str]]:
    v = casualties_data().victim_nouns
    return frozenset(w.lower() for w in v.singular), frozenset(w.lower() for w in v.plural)


def _plural(phrase: str) -> bool:
    words = phrase.lower().rstrip(".,;").split()
    plural = _victim_nouns()[1]
    return bool(words) and (words[-1] in plural or " ".join(words[-2:]) in plural)


def _counts_in(phrase: str) -> bool:
    """Whether a phrase holds a number other than "a"/"an"."""
    return any(
        not parse_quantity(q.group("hedge"), q.group("num")).article
        for q in quantity_regex().finditer(phrase)
    )


def _victim_head(text: str, start: int, end: int) -> int | None:
    """Where the first noun for people in ``text[start:end]`` ends ("the village priests in")."""
    singular, plural = _victim_nouns()
    for w in re.finditer(r"[\w’'-]+", text[start:end]):
        if w.group().lower() in singular or w.group().lower() in plural:
            return start + w.end()
    return None


def named_victims(names: str) -> Quantity:
    """How many people a phrase without a number names: one per conjunct, at least two for a
    plural noun ("the village priests").

    A conjunct of titles only is one person with the next ("Mayor and presidential candidate
    Luis Paz").

    >>> [(q.best, q.qualifier.value) for q in map(named_victims, ["Ana Ruiz and Luis Paz",
    ...  "the village priests", "the mayor", "Mayor and presidential candidate Luis Paz"])]
    [(2, 'exact'), (2, 'at_least'), (1, 'exact'), (1, 'exact')]
    """
    titles = frozenset(victims_data().titles) - frozenset(
        casualties_data().clause_words.determiners
    )
    parts = [
        part
        for part in re.split(r"\s+and\s+", names, flags=re.IGNORECASE)
        if _plural(part) or not set(part.lower().split()) <= titles
    ] or [names]
    n = sum(2 if _plural(part) else 1 for part in parts)
    if any(_plural(part) for part in parts):
        return Quantity(n, Qualifier.AT_LEAST, n, n, None, False)
    return Quantity(n, Qualifier.EXACT, n, n, n, False)


@cache
def _more_victim() -> re.Pattern[str]:
    bare_qty = bare_quantity()
    return re.compile(
        rf"(?:\s+(?!(?:{_words().stops})\b)[\w’'-]+){{0,2}}?"  # "six [village priests], their cook"
        rf"(?:\s+of\s+(?:[\w’'-]+\s+){{0,4}}?[\w’'-]+)?"  # "the mayor [of the town], as well as"
        rf"(?:\s*,\s*(?:and\s+|as\s+well\s+as\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)(?:(?P<num>{bare_qty})\s+(?:[\w’'-]+\s+){{0,2}}?"
        rf"(?P<counted>[\w’'-]+)|(?:their|his|her|its|the|a|an|another)\s+(?:[\w’'-]+\s+)??(?P<noun>[\w’'-]+))"
        rf"(?![\w’'-])",
        re.IGNORECASE,
    )


def _with_more_victims(text: str, at: int, end: int, q: Quantity) -> tuple[Quantity, int]:
    """``q`` plus the people listed after it ("six priests, their housekeeper and her
    daughter": 8), and where the list ends."""
    singular, plural = _victim_nouns()
    low, exact = q.low if q.low is not None else q.best, q.qualifier is Qualifier.EXACT
    if low is None or q.qualifier not in (Qualifier.EXACT, Qualifier.AT_LEAST):
        return q, at
    added = 0
    while (m := _more_victim().match(text, at, end)) is not None:
        if m.group("num"):
            extra = parse_quantity(None, m.group("num"))
            if m.group("counted").lower() not in plural | singular or extra.best is None:
                break
            added += extra.best
        elif (noun := m.group("noun").lower()) in singular:
            added += 1
        elif noun in plural:
            added, exact = added + 2, False
        else:
            break
        at = m.end()
    if not added:
        return q, at
    n = low + added
    if exact:
        return Quantity(n, Qualifier.EXACT, n, n, n, False), at
    return Quantity(n, Qualifier.AT_LEAST, n, n, None, False), at


def _exactly(n: int) -> Quantity:
    return Quantity(n, Qualifier.EXACT, n, n, n, False)


@cache
def _month() -> re.Pattern[str]:
    return re.compile(rf"\s+(?:{alternation(dates_data().months)})\b\.?", re.IGNORECASE)


def _month_after(text: str, at: int) -> bool:
    """Whether a month name follows ``at`` ("3 April": a day, not a count)."""
    return _month().match(text, at) is not None


@cache
def _additive() -> re.Pattern[str]:
    """ "were also killed", "also died"; "5 other people", "two more": a figure that adds."""
    d = casualties_data()
    after_number = alternation(d.additive_after_number)
    return re.compile(
        rf"{phrase_regex(d.additive_words).pattern}"
        rf"|(?:\d+|{bare_quantity()})\s+(?:{after_number})(?![\w])",
        re.IGNORECASE,
    )


def totals(text: str, figures: list[Figure]) -> list[tuple[Figure, Figure, Figure]]:
    """For each figure that adds to the one of its kind told before it ("X was assassinated ...
    three of her guards were also killed"; "X was killed. A driver was also killed"; "X
    died ... 5 other people dead"): (the earlier figure, that figure, the total: 4; 2; 6). The
    total's evidence runs
    from the first figure to the second in one sentence, and is the second's alone across
    sentences.

    >>> from extraction.baseline.events.casualties import find_casualties
    >>> t = "Ana Paz was shot dead. Two guards were also killed."
    >>> common = find_casualties(t, 0, len(t))
    >>> found = common + find_clause_casualties(t, 0, None, [(f.start, f.end) for f in common])
    >>> [(s.quantity.best, total.quantity.best, t[total.start:total.end])
    ...  for _, s, total in totals(t, found)]
    [(2, 3, 'Two guards were also killed')]
    """
    out: list[tuple[Figure, Figure, Figure]] = []
    ordered = sorted(figures, key=lambda f: f.start)
    for i, second in enumerate(ordered):
        if not _additive().search(text, second.start, second.end):
            continue
        first = next(
            (f for f in reversed(ordered[:i]) if f.kind is second.kind and f.end <= second.start),
            None,
        )
        q = None if first is None else _sum(first.quantity, second.quantity)
        if first is None or q is None:
            continue
        start = second.start if _SENTENCE_END.search(text, first.end, second.start) else first.start
        out.append((first, second, Figure(second.kind, CasualtyGroup.ALL, q, start, second.end)))
    return out


_SENTENCE_END = re.compile(r"[.!?]\s")


def _sum(a: Quantity, b: Quantity) -> Quantity | None:
    parts = (a, b)
    if any(
        q.low is None or q.qualifier not in (Qualifier.EXACT, Qualifier.AT_LEAST) for q in parts
    ):
        return None
    n = sum(q.low or 0 for q in parts)
    if all(q.qualifier is Qualifier.EXACT for q in parts):
        return _exactly(n)
    return Quantity(n, Qualifier.AT_LEAST, n, n, None, False)


def _counted(
    name: str, text: str, start: int, end: int, passed: Callable[[re.Match[str]], bool]
) -> Iterator[re.Match[str]]:
    """Matches of shape ``name`` (which starts with a number, group ``num``); a match that
    ``passed`` rejects is passed over and the search goes on after its number, so a later number
    in it is still read."""
    guarded_rx = _patterns()[name]
    if not guarded_rx.possible(text, start, end):
        return
    rx, pos = guarded_rx.rx, start
    while (m := rx.search(text, pos, end)) is not None:
        if passed(m):
            pos = m.end("num")
            continue
        yield m
        pos = m.end()


def _bodies(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The "bodies" shape's matches whose number is no day ("on 12 June 17 bodies": 17)."""
    return _counted("bodies", text, start, end, lambda m: _month_after(text, m.end("num")))


def _distant(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The "distant" shape's matches with a number, not "a"/"an", and no other number before the
    verb: after "an ambush in which three guards ... were killed" or "at 0940 GMT, three
    shopkeepers were killed" is passed over, "three guards ..." ("three shopkeepers ...") is
    read."""

    def passed(m: re.Match[str]) -> bool:
        q = parse_quantity(m.group("hedge"), m.group("num"))
        return q.article or _counts_in(m.group("gap"))

    return _counted("distant", text, start, end, passed)


def _kind(verb: str) -> CasualtyKind:
    return CasualtyKind.INJURED if verb.lower() in _words().injured else CasualtyKind.KILLED


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
    words = _words()
    for m in p["acts_of_list"].finditer(text, start, end):
        n = len(re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group("names"), flags=re.I))
        out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, _exactly(n), m.start(), m.end()))
        used.append(m.span())
    for m in p["act_of"].finditer(text, start, end):
        if not free(m.start(), m.end()):
            continue
        if m.group("count"):
            q = parse_quantity(None, m.group("count"))
            if (q.best is None and q.low is None) or _month_after(text, m.end("count")):
                continue  # "the massacre of 3 April": a date
        elif m.group("people"):
            head = _victim_head(text, m.start("people"), m.end("people"))
            if head is None:
                continue  # "the murder of the century"
            q, stop = named_victims(text[m.start("people") : head]), head
        else:
            q = named_victims(m.group("names"))
        q, stop = _with_more_victims(text, stop if m.group("people") else m.end(), end, q)
        out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, q, m.start(), stop))
        used.append((m.start(), stop))
    for m in p["possessive_act"].finditer(text, start, end):
        # "the six village priests' murder" (6), "Colonel Invented's assassination" (1)
        whose = m.group("whose").lower()
        not_people = casualties_data().victim_nouns.not_people
        if not free(*m.span()) or whose in words.non_subjects or whose in not_people:
            continue
        if m.group("count"):
            q = parse_quantity(None, m.group("count"))
        else:  # "the priests' murders": at least two
            q = _AT_LEAST_TWO if m.group("plural") else _ONE
        if q.best is None and q.low is None:
            continue
        out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, q, m.start(), m.end()))
        used.append(m.span())
    for m in _bodies(text, start, end):
        q = parse_quantity(m.group("hedge"), m.group("num"))
        if not q.article and (q.best is not None or q.low is not None) and free(*m.span()):
            out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, q, m.start(), m.end()))
            used.append(m.span())
    for m in p["object_people"].finditer(text, start, end):
        # "killed the mayor of the town, as well as two peasants" (3)
        head = _victim_head(text, m.start("people"), m.end("people"))
        if head is None or not free(m.start(), head):
            continue
        q, stop = _with_more_victims(text, head, end, named_victims(text[m.start("people") : head]))
        out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, q, m.start(), stop))
        used.append((m.start(), stop))
    for m in p["named_object"].finditer(text, start, end):
        if free(*m.span()):
            q = named_victims(m.group("names"))
            out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, q, m.start(), m.end()))
            used.append(m.span())
    for m in p["died_named"].finditer(text, start, end) if attack else ():
        if not free(*m.span()) or words.negated.search(text, max(start, m.start() - 60), m.start()):
            continue
        q = _AT_LEAST_TWO if m.group("name") and _plural(m.group("name")) else _ONE
        out.append(Figure(CasualtyKind.KILLED, CasualtyGroup.ALL, q, m.start(), m.end()))
        used.append(m.span())
    for m in p["singular"].finditer(text, start, end) if attack else ():
        before = text[max(start, m.start() - 60) : m.start()]
        timed = words.subordinate.search(before[-30:])
        if timed and timed.group().lower() in words.relative and re.search(r",\s*\w+\s*$", before):
            timed = None  # "Invented Person, who was killed": the victim is the name before
        if words.negated.search(before) or timed or not free(*m.span()):
            continue
        out.append(Figure(_kind(m.group("verb")), CasualtyGroup.ALL, _ONE, m.start(), m.end()))
        used.append(m.span())
    for m in p["subject_verb"].finditer(text, start, end) if attack else ():
        # "the bodyguards were killed" (at least 2), "Inspector Flores died" (1)
        subject = m.group("subj").lower()
        before = text[max(start, m.start() - 60) : m.start()]
        counted = quantity_regex().fullmatch(m.group("subj")) is not None  # "Two died"
        if words.negated.search(before) or counted or not free(*m.span()):
            continue
        pair = (
            None if m.group("died") else _PAIR.search(text, max(0, m.start() - 160), m.end("subj"))
        )
        if pair is not None and not _counts_in(pair.group()):
            # "Ana Ruiz and her brother Luis, both teachers, were shot to death": 2
            q = named_victims(pair.group("a") + " and " + pair.group("b"))
            out.append(
                Figure(_kind(m.group("verb")), CasualtyGroup.ALL, q, pair.start("a"), m.end())
            )
            used.append((pair.start("a"), m.end()))
            continue
        at = m.start()
        if subject in words.relative:  # "the Jesuit priests who were killed": the noun before
            window = max(start, m.start() - 40)
            noun = re.search(r"([\w’'-]+)\s*$", text[window : m.start()])
            if noun is not None:
                subject, at = noun.group(1).lower(), window + noun.start(1)
        if subject in _victim_nouns()[1]:
            q = Quantity(2, Qualifier.AT_LEAST, 2, 2, None, False)
        elif (
            m.group("died")
            and re.fullmatch(r"(?-i:[A-Z])[\w’'-]+", m.group("subj"))
            and (subject not in words.non_subjects)
        ):
            q = _ONE
        else:
            continue
        kind = CasualtyKind.KILLED if m.group("died") else _kind(m.group("verb"))
        out.append(Figure(kind, CasualtyGroup.ALL, q, at, m.end()))
        used.append((at, m.end()))
    for m in _distant(text, start, end) if attack else ():
        q = parse_quantity(m.group("hedge"), m.group("num"))
        if q.best is None and q.low is None:
            continue
        if words.negated.search(text, max(start, m.start() - 60), m.start()):
            continue  # "not a single soldier was killed"
        vs = m.start("verb")
        if (
            re.search(r",\s*$", text[max(0, m.start() - 3) : m.start()])
            and m.group("gap")[:1] == ","
        ):
            continue  # "Invented Person, 21, a member of ..., was shot": an age
        if words.subject_break.search(m.group("gap")):
            continue  # "three security sources, they were killed": another subject
        if free(vs, m.end()):
            out.append(Figure(_kind(m.group("verb")), CasualtyGroup.ALL, q, m.start(), m.end()))
            used.append((m.start(), m.end()))
    for name in ("one_passive", "one_active") if attack else ("one_active",):
        for m in p[name].finditer(text, start, end):
            if words.subordinate.search(m.group()):
                continue  # "a week after Amini was killed": the victim is not the phrase's
            if words.negated.search(text, max(start, m.start() - 60), m.start()):
                continue  # "not a single soldier was killed"
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
