"""The baseline's phrase lists: JSON files in ``extraction/baseline/data/``, validated on first use.

Entries are regular expressions matched case-insensitively on word boundaries, where a space
matches any run of white space (see ``data/README.md``). A file that does not validate raises
:class:`BaselineDataError` naming the file and the field.

>>> rx = phrase_regex(["killed", "shot dead"])
>>> [m.group() for m in rx.finditer("Two were shot  dead; none killed, unkilled.")]
['shot  dead', 'killed']
>>> weapons_data().kinds[0].kind.value
'ballistic_missile'
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from extraction.baseline.text.prefilter import Guarded, guarded
from gazetteer import ActorKind
from schemas.event import WeaponKind
from schemas.validation import first_error
from schemas.vocab import CasualtyGroup, Channel, Outcome, Qualifier, StatementKind, SubType

DATA_PACKAGE = "extraction.baseline"
DATA_FOLDER = "data"


class BaselineDataError(ValueError):
    """A phrase list that cannot be loaded; the message names the file and the field."""


def _check(patterns: Sequence[str]) -> None:
    for p in patterns:
        try:
            re.compile(_spaces(p))
        except re.error as exc:
            raise ValueError(f"pattern {p!r} is not a valid regular expression ({exc})") from None


def _spaces(pattern: str) -> str:
    return pattern.replace(" ", r"\s+")


def phrase_regex(
    patterns: Sequence[str], *, flags: int = re.IGNORECASE, bounded: bool = True
) -> re.Pattern[str]:
    """One regex matching any of ``patterns`` (longest listed first), on word boundaries."""
    body = "|".join(f"(?:{_spaces(p)})" for p in sorted(patterns, key=len, reverse=True))
    if bounded:
        body = rf"(?<![\w])(?:{body})(?![\w])"
    return re.compile(body, flags)


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _patterns(v: tuple[str, ...]) -> tuple[str, ...]:
    _check(v)
    return v


def _pattern(v: str) -> str:
    _check([v])
    return v


def _alternation(v: tuple[str, ...]) -> tuple[str, ...]:
    """A list read as one alternation inside a pattern: valid, and not empty (an empty
    alternation would match everywhere)."""
    if not v:
        raise ValueError("the list is empty: an empty alternation would match everywhere")
    _check(v)
    return v


def _lower_case(v: tuple[str, ...]) -> tuple[str, ...]:
    for w in v:
        if not w or w != w.lower() or w != w.strip():
            raise ValueError(f"entry {w!r} is compared in lower case: write it in lower case")
    return v


def _titles(v: tuple[str, ...]) -> tuple[str, ...]:
    _check(v)
    for t in v:  # matched case-sensitively, where a capital letter starts a name
        if not t[:1].isupper():
            raise ValueError(f"title {t!r} must start with a capital letter")
    return v


Pattern = Annotated[str, AfterValidator(_pattern)]
"""One regular expression (a space matches any white space)."""
Patterns = Annotated[tuple[str, ...], AfterValidator(_patterns)]
"""Regular expressions, each valid."""
Alternation = Annotated[tuple[str, ...], AfterValidator(_alternation)]
"""Regular expressions read as one alternation inside a pattern: valid and not empty."""
LowerWords = Annotated[tuple[str, ...], AfterValidator(_lower_case)]
"""Plain words compared in lower case."""
Titles = Annotated[tuple[str, ...], AfterValidator(_titles)]
"""Regular expressions matched case-sensitively, each starting with a capital letter."""


class SentencesData(_Data):
    abbreviations: tuple[str, ...]
    clause_boundaries: Patterns


class VagueRule(_Data):
    pattern: Pattern
    qualifier: Qualifier
    low: int | None
    best: int | None


class NumbersData(_Data):
    words: dict[str, int]
    hedges: dict[Qualifier, tuple[str, ...]]
    vague: tuple[VagueRule, ...]


class GroupRule(_Data):
    group: CasualtyGroup
    nouns: tuple[str, ...]


class VictimNouns(_Data):
    """Nouns for people a killing names without a number (``data/casualties.json``)."""

    note: str | None = None
    singular: tuple[str, ...] = ()
    plural: tuple[str, ...] = ()
    not_people: tuple[str, ...] = ()  # possessors that are not victims ("the country's killing")


class ClauseWords(_Data):
    """Words of the casualty shapes read clause by clause (``events/casualty_clauses.py``)."""

    note: str | None = None
    injured_verbs: LowerWords  # victim_verbs meaning injured ("wounded")
    determiners: Alternation
    not_a_name: Alternation  # words after "killed" that start no name ("yesterday")
    not_a_second: Alternation  # words after "X and" that start no second victim ("many")
    non_subjects: LowerWords  # words before "died" that name no victim ("nobody")
    list_stops: Alternation  # words that end a victim's noun phrase ("in", "who")
    relative_pronouns: LowerWords
    negations: Alternation
    subordinators: Alternation  # "a week after X was killed": not the phrase's victim
    subject_breaks: Alternation  # another subject between a number and its verb


class NotCounted(_Data):
    """What makes a list of numbers no count of people besides a day's month (``dates.json``):
    a unit."""

    units: Alternation  # "hours?", "percent"


class FigureWords(_Data):
    """Words of the common casualty shapes (``events/casualties.py``)."""

    note: str | None = None
    citizen_nouns: LowerWords  # foreign nationals with a foreign_citizen_adjective
    negations: Alternation  # right before a number ("not a")
    lumped_injured: Alternation  # "killed and injured": no kind fits
    not_counted: NotCounted


class CasualtiesData(_Data):
    killed_words: Patterns
    injured_words: Patterns
    active_verbs: tuple[str, ...]
    between_words: tuple[str, ...]
    groups: tuple[GroupRule, ...]
    foreign_citizen_adjectives: tuple[str, ...]
    victim_verbs: Patterns = ()
    max_gap_chars: int = 100
    victim_nouns: VictimNouns = VictimNouns()
    clause_words: ClauseWords
    figure_words: FigureWords
    additive_words: Patterns = ()
    additive_after_number: Patterns = ()


class VictimsData(_Data):
    """Cues of a named victim (``events/victims.py``)."""

    note: str | None = None
    before_name: Patterns
    after_name: Patterns
    titles: tuple[str, ...]
    stop_words: tuple[str, ...]


class WeaponRule(_Data):
    kind: WeaponKind
    patterns: Patterns


class WeaponsData(_Data):
    kinds: tuple[WeaponRule, ...]


class TriggerRule(_Data):
    pattern: Pattern
    role: str = Field(pattern="^(noun|verb|noun_or_verb)$")
    sub_type: SubType | None = None
    outcome: Outcome | None = None
    weapon: WeaponKind | None = None
    needs_weapon: bool = False
    needs_object: bool = False
    needs_protest: bool = False


class EventsData(_Data):
    triggers: tuple[TriggerRule, ...]
    agentive_verbs: tuple[str, ...]
    passive_target: Patterns
    outcome: dict[Outcome, tuple[str, ...]]
    got_through: Patterns
    recall: Patterns
    threat: Patterns
    claim: Patterns
    claimed_by: Patterns
    unattributed: Patterns
    accusation_verbs: tuple[str, ...]
    protest_words: tuple[str, ...]
    deadly_words: tuple[str, ...]
    also: tuple[str, ...]
    locative_prepositions: tuple[str, ...]
    near_cues: Patterns
    definite_determiners: tuple[str, ...]
    reaction_words: tuple[str, ...]
    subject_gap_words: tuple[str, ...]
    case_free_name_words: tuple[str, ...]
    # lower-case words inside a place's name ("de la"), matched case-sensitively between
    # capitalised words; "the city of" before a place's name
    name_particles: Annotated[Alternation, AfterValidator(_lower_case)]
    place_kinds: Annotated[Alternation, AfterValidator(_lower_case)]
    relation_words: tuple[str, ...]
    holder_words: tuple[str, ...]
    nouns_after_generic_actor: tuple[str, ...]
    pattern_cues: Patterns
    incident_cues: Patterns


class ChannelRule(_Data):
    channel: Channel
    patterns: Patterns


class AnaphorRule(_Data):
    pattern: str
    kinds: tuple[ActorKind, ...]


class KindCue(_Data):
    kind: StatementKind
    patterns: Patterns


class StatementsData(_Data):
    speech_verbs: tuple[str, ...]
    quote_verbs: tuple[str, ...]
    quote_clause_verbs: tuple[str, ...]
    subject_verbs: tuple[str, ...]
    reply_nouns: tuple[str, ...]
    verb_kinds: dict[StatementKind, tuple[str, ...]]
    channels: tuple[ChannelRule, ...]
    roles: tuple[str, ...]
    analyst_roles: tuple[str, ...]
    spokesperson_roles: LowerWords  # roles that speak for an organisation
    honorifics: Titles
    name_titles: Titles
    titles_in_name: Titles  # name_titles that are part of the name ("Sir")
    unnamed_sources: tuple[str, ...]
    pronouns: tuple[str, ...]
    statement_references: LowerWords  # pronouns that stand for a written statement
    anaphors: tuple[AnaphorRule, ...]
    kind_cues: tuple[KindCue, ...]
    not_names: tuple[str, ...]
    speaker_relation_words: tuple[str, ...]
    attack_words: tuple[str, ...]
    clause_verbs: tuple[str, ...]
    relay_words: tuple[str, ...]
    head_roles: tuple[str, ...]
    narration_cues: Patterns


class OffsetRule(_Data):
    pattern: str
    offset: int


class DatesData(_Data):
    months: dict[str, int]
    weekdays: dict[str, int]
    day_parts: tuple[str, ...]
    relative_days: tuple[OffsetRule, ...]
    relative_weeks: tuple[OffsetRule, ...]
    relative_months: tuple[OffsetRule, ...]
    relative_years: tuple[OffsetRule, ...]


_M = TypeVar("_M", bound=BaseModel)


def load_data(name: str, model: type[_M], *, folder: Path | None = None) -> _M:
    """Read and validate ``data/<name>`` (or ``folder/<name>``: a custom phrase list)."""
    where = str(folder / name) if folder else f"extraction/baseline/{DATA_FOLDER}/{name}"
    try:
        if folder is not None:
            text = (folder / name).read_text(encoding="utf-8")
        else:
            data = resources.files(DATA_PACKAGE).joinpath(DATA_FOLDER)
            text = data.joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineDataError(f"{where}: cannot be read ({exc})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineDataError(f"{where}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        loc, msg = first_error(exc)
        raise BaselineDataError(f"{where}: field '{loc or '(top level)'}': {msg}") from None


@cache
def sentences_data() -> SentencesData:
    return load_data("sentences.json", SentencesData)


@cache
def numbers_data() -> NumbersData:
    return load_data("numbers.json", NumbersData)


@cache
def casualties_data() -> CasualtiesData:
    return load_data("casualties.json", CasualtiesData)


@cache
def victims_data() -> VictimsData:
    return load_data("victims.json", VictimsData)


@cache
def weapons_data() -> WeaponsData:
    return load_data("weapons.json", WeaponsData)


@cache
def events_data() -> EventsData:
    return load_data("events.json", EventsData)


@cache
def statements_data() -> StatementsData:
    return load_data("statements.json", StatementsData)


@cache
def dates_data() -> DatesData:
    return load_data("dates.json", DatesData)


@cache
def cue(name: str) -> Guarded:
    """A compiled cue list of ``events.json`` by field name (``cue("recall")``); the outcome
    lists are ``cue("outcome_attempted")`` and ``cue("outcome_intercepted")``."""
    data = events_data()
    if name.startswith("outcome_"):
        return guarded(phrase_regex(data.outcome.get(Outcome(name.removeprefix("outcome_")), ())))
    patterns: tuple[str, ...] = getattr(data, name)
    return guarded(phrase_regex(patterns))
