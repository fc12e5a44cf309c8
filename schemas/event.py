"""Attack events: one record per location per day, as ACLED codes them.

>>> e = AttackEvent(
...     id="E1",
...     sub_type=SubType.AIR_DRONE_STRIKE,
...     outcome=Outcome.ATTEMPTED,
...     location=Location(place="Green Zone", admin1="Baghdad", country="Iraq"),
...     casualties=[CasualtyFigure(kind=CasualtyKind.INJURED, low=7, best=7, high=7)],
... )
>>> e.event_type.value
'explosions_remote_violence'
>>> CasualtyFigure(kind=CasualtyKind.KILLED, low=13, best=10)
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for CasualtyFigure
...
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from itertools import pairwise
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from schemas.evidence import Evidence
from schemas.merging import MergeRule
from schemas.vocab import (
    ActorCategory,
    AttributionKind,
    CasualtyGroup,
    CasualtyKind,
    DatePrecision,
    EventType,
    GeoPrecision,
    Outcome,
    Qualifier,
    Standing,
    SubType,
)

_STRICT = ConfigDict(extra="forbid")


class Actor(BaseModel):
    """A perpetrator, target or speaker's organisation, as named in the article."""

    model_config = _STRICT

    name: str = Field(min_length=1, description="The name exactly as the article writes it.")
    canonical: str | None = Field(
        default=None, description="Canonical name, e.g. 'IRGC' for 'the Revolutionary Guards'."
    )
    category: ActorCategory | None = None
    evidence: Evidence | None = None


class Location(BaseModel):
    model_config = _STRICT

    place: str | None = Field(default=None, description="Town, village, district or site.")
    admin2: str | None = Field(default=None, description="District, e.g. 'Koya'.")
    admin1: str | None = Field(
        default=None, description="Governorate or province, e.g. 'Erbil', 'Sulaymaniyah'."
    )
    country: str | None = None
    precision: GeoPrecision = GeoPrecision.PLACE
    evidence: Evidence | None = None
    # Filled from the gazetteer (GeoNames, ISO 3166), never asked of a model: not in the schema
    # a model is shown.
    country_code: SkipJsonSchema[str | None] = Field(
        default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code: 'IQ'."
    )
    latitude: SkipJsonSchema[float | None] = Field(default=None, ge=-90, le=90)
    longitude: SkipJsonSchema[float | None] = Field(default=None, ge=-180, le=180)
    geonames_id: SkipJsonSchema[int | None] = Field(default=None, ge=1)


class EventDate(BaseModel):
    """A date with its precision and the phrase it was resolved from.

    A relative phrase ("on Monday") with no publication date to anchor it stays unresolved: the
    phrase is kept and ``value`` is null. Nothing is guessed.
    """

    model_config = _STRICT

    value: dt.date | None = Field(default=None, description="The resolved date, if it can be.")
    precision: DatePrecision = DatePrecision.UNRESOLVED
    phrase: str | None = Field(default=None, description="The words giving the date: 'on Monday'.")
    evidence: Evidence | None = None

    @model_validator(mode="after")
    def _precision_matches_value(self) -> EventDate:
        if self.value is None and self.precision is not DatePrecision.UNRESOLVED:
            raise ValueError(f"precision is {self.precision.value!r} but no date value is given")
        if self.value is not None and self.precision is DatePrecision.UNRESOLVED:
            raise ValueError("a resolved date needs a precision (day, week, month or year)")
        return self


class WeaponKind(StrEnum):
    BALLISTIC_MISSILE = "ballistic_missile"
    MISSILE = "missile"
    ROCKET = "rocket"
    DRONE = "drone"  # armed, explosive-laden, kamikaze or suicide drones
    AIRCRAFT = "aircraft"
    ARTILLERY = "artillery"
    MORTAR = "mortar"
    IED = "ied"
    GRENADE = "grenade"
    FIREARM = "firearm"  # small arms, live fire, gunfire
    SNIPER = "sniper"
    TEAR_GAS = "tear_gas"
    OTHER = "other"


class Weapon(BaseModel):
    model_config = _STRICT

    kind: WeaponKind
    count: int | None = Field(default=None, ge=0, description="How many, if the article says.")
    qualifier: Qualifier | None = None
    evidence: Evidence | None = None


class CasualtyFigure(BaseModel):
    """One reported figure (UCDP-style low / best / high), with its hedge and who gave it.

    "at least 13 killed" is ``low=13, best=13, high=None, qualifier=at_least``; "58 wounded" is
    ``low=best=high=58``; "several injured" is ``qualifier=several`` with ACLED's convention
    ``best=3`` and ``low=2``. Two sources with different tolls are two figures.
    """

    model_config = _STRICT

    kind: CasualtyKind
    group: CasualtyGroup = CasualtyGroup.ALL
    low: int | None = Field(default=None, ge=0)
    best: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)
    qualifier: Qualifier = Qualifier.EXACT
    reported_by: str | None = Field(
        default=None,
        description="Who gives the figure: 'the Health Ministry in the Kurdistan "
        "region'. Null when the article states it without a source.",
    )
    evidence: Evidence | None = None

    @model_validator(mode="after")
    def _ordered(self) -> CasualtyFigure:
        values = [("low", self.low), ("best", self.best), ("high", self.high)]
        given = [(n, v) for n, v in values if v is not None]
        for (n1, v1), (n2, v2) in pairwise(given):
            if v1 > v2:
                raise ValueError(f"{n1} ({v1}) must not exceed {n2} ({v2})")
        return self


class Attribution(BaseModel):
    """Who is said to be behind the attack, and who says so."""

    model_config = _STRICT

    kind: AttributionKind
    perpetrator: str | None = Field(
        default=None, description="Canonical name of the actor held responsible, if any."
    )
    by: str | None = Field(
        default=None, description="Who claims or alleges it: 'IRGC', 'Iraqi security officials'."
    )
    evidence: Evidence | None = None


class AttackEvent(BaseModel):
    """One attack at one location on one day. A multi-site operation is one event per site,
    linked by a shared ``operation_id``."""

    model_config = _STRICT

    id: str = Field(pattern=r"^E\d+$", description="E1, E2, ... unique within the article.")
    event_type: EventType | None = Field(
        default=None, description="Derived from sub_type; may be left null."
    )
    sub_type: SubType
    outcome: Outcome = Outcome.COMPLETED
    standing: Standing = Standing.REPORTED
    date: Annotated[EventDate, MergeRule("whole", when_empty="value")] = Field(
        default_factory=EventDate
    )
    location: Location = Field(default_factory=Location)
    perpetrators: list[Actor] = Field(default_factory=list)
    targets: list[Actor] = Field(default_factory=list)
    attribution: list[Attribution] = Field(default_factory=list)
    weapons: list[Weapon] = Field(default_factory=list)
    casualties: list[CasualtyFigure] = Field(default_factory=list)
    operation_id: str | None = Field(
        default=None, description="Shared by the events of one multi-site operation, e.g. 'op1'."
    )
    evidence: Evidence | None = Field(
        default=None, description="The sentence that reports the attack."
    )

    @model_validator(mode="after")
    def _type_from_sub_type(self) -> AttackEvent:
        derived = self.sub_type.event_type
        if self.event_type is not None and self.event_type is not derived:
            raise ValueError(
                f"event_type {self.event_type.value!r} does not fit sub_type "
                f"{self.sub_type.value!r} (which belongs to {derived.value!r})"
            )
        self.event_type = derived
        return self
