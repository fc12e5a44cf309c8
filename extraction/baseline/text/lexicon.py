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
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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


class SentencesData(_Data):
    abbreviations: tuple[str, ...]
    clause_boundaries: tuple[str, ...]

    @field_validator("clause_boundaries")
    @classmethod
    def _valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check(v)
        return v


class VagueRule(_Data):
    pattern: str
    qualifier: Qualifier
    low: int | None
    best: int | None

    @field_validator("pattern")
    @classmethod
    def _valid(cls, v: str) -> str:
        _check([v])
        return v


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


def _check_alternation(patterns: Sequence[str]) -> None:
    """A list read as one alternation inside a pattern: valid, and not empty (an empty
    alternation would match everywhere)."""
    if not patterns:
        raise ValueError("the list is empty: an empty alternation would match everywhere")
    _check(patterns)


def _lower_case(words: Sequence[str]) -> None:
    for w in words:
        if not w or w != w.lower() or w != w.strip():
            raise ValueError(f"entry {w!r} is compared in lower case: write it in lower case")


class ClauseWords(_Data):
    """Words of the casualty shapes read clause by clause (``events/casualty_clauses.py``)."""

    note: str | None = None
    injured_verbs: tuple[str, ...]  # victim_verbs meaning injured ("wounded")
    determiners: tuple[str, ...]
    not_a_name: tuple[str, ...]  # words after "killed" that start no name ("yesterday")
    not_a_second: tuple[str, ...]  # words after "X and" that start no second victim ("many")
    non_subjects: tuple[str, ...]  # words before "died" that name no victim ("nobody")
    list_stops: tuple[str, ...]  # words that end a victim's noun phrase ("in", "who")
    relative_pronouns: tuple[str, ...]
    negations: tuple[str, ...]
    subordinators: tuple[str, ...]  # "a week after X was killed": not the phrase's victim
    subject_breaks: tuple[str, ...]  # another subject between a number and its verb

    @field_validator(
        "determiners",
        "not_a_name",
        "not_a_second",
        "list_stops",
        "negations",
        "subordinators",
        "subject_breaks",
    )
    @classmethod
    def _valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check_alternation(v)
        return v

    @field_validator("injured_verbs", "non_subjects", "relative_pronouns")
    @classmethod
    def _lower(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _lower_case(v)
        return v


class NotCounted(_Data):
    """What makes a list of numbers no count of people besides a day's month (``dates.json``):
    a unit."""

    units: tuple[str, ...]  # "hours?", "percent"

    @field_validator("units")
    @classmethod
    def _valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check_alternation(v)
        return v


class FigureWords(_Data):
    """Words of the common casualty shapes (``events/casualties.py``)."""

    note: str | None = None
    citizen_nouns: tuple[str, ...]  # foreign nationals with a foreign_citizen_adjective
    negations: tuple[str, ...]  # right before a number ("not a")
    lumped_injured: tuple[str, ...]  # "killed and injured": no kind fits
    not_counted: NotCounted

    @field_validator("negations", "lumped_injured")
    @classmethod
    def _valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check_alternation(v)
        return v

    @field_validator("citizen_nouns")
    @classmethod
    def _lower(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _lower_case(v)
        return v


class CasualtiesData(_Data):
    killed_words: tuple[str, ...]
    injured_words: tuple[str, ...]
    active_verbs: tuple[str, ...]
    between_words: tuple[str, ...]
    groups: tuple[GroupRule, ...]
    foreign_citizen_adjectives: tuple[str, ...]
    victim_verbs: tuple[str, ...] = ()
    max_gap_chars: int = 100
    victim_nouns: VictimNouns = VictimNouns()
    clause_words: ClauseWords
    figure_words: FigureWords
    additive_words: tuple[str, ...] = ()
    additive_after_number: tuple[str, ...] = ()

    @field_validator(
        "killed_words", "injured_words", "victim_verbs", "additive_words", "additive_after_number"
    )
    @classmethod
    def _valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check(v)
        return v


class VictimsData(_Data):
    """Cues of a named victim (``events/victims.py``)."""

    note: str | None = None
    before_name: tuple[str, ...]
    after_name: tuple[str, ...]
    titles: tuple[str, ...]
    stop_words: tuple[str, ...]

    @field_validator("before_name", "after_name")
    @classmethod
    def _valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check(v)
        return v


class WeaponRule(_Data):
    kind: WeaponKind
    patterns: tuple[str, ...]

    @field_validator("patterns")
    @classmethod
    def _valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check(v)
        return v


class WeaponsData(_Data):
    kinds: tuple[WeaponRule, ...]


class TriggerRule(_Data):
    pattern: str
    role: str = Field(pattern="^(noun|verb|noun_or_verb)$")
    sub_type: SubType | None = None
    outcome: Outcome | None = None
    weapon: WeaponKind | None = None
    needs_weapon: bool = False
    needs_object: bool = False
    needs_protest: bool = False

    @field_validator("pattern")
    @classmethod
    def _valid(cls, v: str) -> str:
        _check([v])
        return v


class EventsData(_Data):
    triggers: tuple[TriggerRule, ...]
    agentive_verbs: tuple[str, ...]
    passive_target: tuple[str, ...]
    outcome: dict[Outcome, tuple[str, ...]]
    got_through: tuple[str, ...]
    recall: tuple[str, ...]
    threat: tuple[str, ...]
    claim: tuple[str, ...]
    claimed_by: tuple[str, ...]
    unattributed: tuple[str, ...]
    accusation_verbs: tuple[str, ...]
    protest_words: tuple[str, ...]
    deadly_words: tuple[str, ...]
    also: tuple[str, ...]
    locative_prepositions: tuple[str, ...]
    near_cues: tuple[str, ...]
    definite_determiners: tuple[str, ...]
    reaction_words: tuple[str, ...]
    subject_gap_words: tuple[str, ...]
    case_free_name_words: tuple[str, ...]
    name_particles: tuple[str, ...]  # lower-case words inside a place's name ("de la")
    place_kinds: tuple[str, ...]  # "the city of" before a place's name
    relation_words: tuple[str, ...]
    holder_words: tuple[str, ...]
    nouns_after_generic_actor: tuple[str, ...]
    pattern_cues: tuple[str, ...]
    incident_cues: tuple[str, ...]

    @field_validator(
        "recall",
        "threat",
        "claim",
        "claimed_by",
        "got_through",
        "unattributed",
        "near_cues",
        "passive_target",
        "pattern_cues",
        "incident_cues",
    )
    @classmethod
    def _valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check(v)
        return v

    @field_validator("name_particles", "place_kinds")
    @classmethod
    def _valid_place_words(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check_alternation(v)
        _lower_case(v)  # particles are matched case-sensitively, between capitalised words
        return v


class ChannelRule(_Data):
    channel: Channel
    patterns: tuple[str, ...]

    @field_validator("patterns")
    @classmethod
    def _valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check(v)
        return v


class AnaphorRule(_Data):
    pattern: str
    kinds: tuple[ActorKind, ...]


class KindCue(_Data):
    kind: StatementKind
    patterns: tuple[str, ...]

    @field_validator("patterns")
    @classmethod
    def _valid(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check(v)
        return v


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
    spokesperson_roles: tuple[str, ...]  # roles that speak for an organisation (lower case)
    honorifics: tuple[str, ...]
    name_titles: tuple[str, ...]
    titles_in_name: tuple[str, ...]  # name_titles that are part of the name ("Sir")
    unnamed_sources: tuple[str, ...]
    pronouns: tuple[str, ...]
    statement_references: tuple[str, ...]  # pronouns that stand for a written statement
    anaphors: tuple[AnaphorRule, ...]
    kind_cues: tuple[KindCue, ...]
    not_names: tuple[str, ...]
    speaker_relation_words: tuple[str, ...]
    attack_words: tuple[str, ...]
    clause_verbs: tuple[str, ...]
    relay_words: tuple[str, ...]
    head_roles: tuple[str, ...]
    narration_cues: tuple[str, ...]

    @field_validator("narration_cues")
    @classmethod
    def _valid_narration(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check(v)
        return v

    @field_validator("honorifics", "name_titles", "titles_in_name")
    @classmethod
    def _valid_titles(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _check(v)
        for t in v:  # matched case-sensitively, where a capital letter starts a name
            if not t[:1].isupper():
                raise ValueError(f"title {t!r} must start with a capital letter")
        return v

    @field_validator("spokesperson_roles", "statement_references")
    @classmethod
    def _lower(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        _lower_case(v)
        return v


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
