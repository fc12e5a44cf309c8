"""Controlled vocabularies shared by events, statements, gold files and scorers.

The event vocabulary follows ACLED's event types and sub-types so that records map one-to-one onto
the datasets analysts already use; statement kinds map onto CAMEO codes where one fits.

>>> SubType.AIR_DRONE_STRIKE.event_type
<EventType.EXPLOSIONS_REMOTE_VIOLENCE: 'explosions_remote_violence'>
>>> StatementKind.CONDEMNATION.cameo
'111'
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    """ACLED event types (the coarse level)."""

    EXPLOSIONS_REMOTE_VIOLENCE = "explosions_remote_violence"
    VIOLENCE_AGAINST_CIVILIANS = "violence_against_civilians"
    BATTLES = "battles"
    PROTESTS = "protests"
    RIOTS = "riots"
    STRATEGIC_DEVELOPMENTS = "strategic_developments"


class SubType(StrEnum):
    """ACLED sub-event types (the fine level); each belongs to exactly one :class:`EventType`."""

    AIR_DRONE_STRIKE = "air_drone_strike"
    SHELLING_ARTILLERY_MISSILE_ATTACK = "shelling_artillery_missile_attack"
    REMOTE_EXPLOSIVE = "remote_explosive_landmine_ied"
    GRENADE = "grenade"
    SUICIDE_BOMB = "suicide_bomb"
    ATTACK_ON_CIVILIANS = "attack"
    ABDUCTION = "abduction_forced_disappearance"
    ARMED_CLASH = "armed_clash"
    EXCESSIVE_FORCE_AGAINST_PROTESTERS = "excessive_force_against_protesters"
    PROTEST_WITH_INTERVENTION = "protest_with_intervention"
    VIOLENT_DEMONSTRATION = "violent_demonstration"
    DISRUPTED_WEAPONS_USE = "disrupted_weapons_use"

    @property
    def event_type(self) -> EventType:
        return _SUBTYPE_TO_TYPE[self]


_SUBTYPE_TO_TYPE: dict[SubType, EventType] = {
    SubType.AIR_DRONE_STRIKE: EventType.EXPLOSIONS_REMOTE_VIOLENCE,
    SubType.SHELLING_ARTILLERY_MISSILE_ATTACK: EventType.EXPLOSIONS_REMOTE_VIOLENCE,
    SubType.REMOTE_EXPLOSIVE: EventType.EXPLOSIONS_REMOTE_VIOLENCE,
    SubType.GRENADE: EventType.EXPLOSIONS_REMOTE_VIOLENCE,
    SubType.SUICIDE_BOMB: EventType.EXPLOSIONS_REMOTE_VIOLENCE,
    SubType.ATTACK_ON_CIVILIANS: EventType.VIOLENCE_AGAINST_CIVILIANS,
    SubType.ABDUCTION: EventType.VIOLENCE_AGAINST_CIVILIANS,
    SubType.ARMED_CLASH: EventType.BATTLES,
    SubType.EXCESSIVE_FORCE_AGAINST_PROTESTERS: EventType.PROTESTS,
    SubType.PROTEST_WITH_INTERVENTION: EventType.PROTESTS,
    SubType.VIOLENT_DEMONSTRATION: EventType.RIOTS,
    SubType.DISRUPTED_WEAPONS_USE: EventType.STRATEGIC_DEVELOPMENTS,
}


class Outcome(StrEnum):
    """Whether the attack happened as intended (PLOVER's modality; ACLED's disrupted weapons)."""

    COMPLETED = "completed"
    ATTEMPTED = "attempted"  # carried out but failed (a survived assassination attempt)
    INTERCEPTED = "intercepted"  # shot down or otherwise stopped before impact


class Standing(StrEnum):
    """How the event stands in the article."""

    REPORTED = "reported"  # the event the article is about
    RECALLED = "recalled"  # an earlier event the article mentions as background
    THREATENED = "threatened"  # announced or threatened, not (yet) carried out


class DatePrecision(StrEnum):
    """ACLED time precision, plus the cases a news article leaves open."""

    DAY = "day"  # ACLED 1
    WEEK = "week"  # ACLED 2
    MONTH = "month"  # ACLED 3
    YEAR = "year"
    UNRESOLVED = "unresolved"  # a phrase such as "on Monday" with no anchor date to resolve it


class GeoPrecision(StrEnum):
    """ACLED geo-precision: 1 the place itself, 2 near it or part of a region, 3 only the region."""

    PLACE = "1"
    NEAR = "2"
    REGION = "3"


class ActorCategory(StrEnum):
    """ACLED actor categories."""

    STATE_FORCES = "state_forces"
    EXTERNAL_FORCES = "external_forces"  # a state's forces acting outside its own territory
    REBEL_GROUP = "rebel_group"
    POLITICAL_MILITIA = "political_militia"
    IDENTITY_MILITIA = "identity_militia"
    POLITICAL_PARTY = "political_party"  # ACLED codes these as civilians/political groups
    PROTESTERS = "protesters"
    RIOTERS = "rioters"
    CIVILIANS = "civilians"
    GOVERNMENT = "government"  # governments and officials acting as such (not armed forces)
    INTERNATIONAL_ORGANISATION = "international_organisation"
    MEDIA = "media"
    OTHER = "other"


class AttributionKind(StrEnum):
    """Who says the perpetrator did it: attribution is itself a claim."""

    CLAIMED = "claimed"  # the perpetrator claims it
    ACCUSED = "accused"  # a third party blames the perpetrator
    REPORTED = "reported"  # the article or its sources state it without a claim or accusation
    UNATTRIBUTED = "unattributed"  # nobody has claimed it and the article names no perpetrator


class CasualtyKind(StrEnum):
    KILLED = "killed"
    INJURED = "injured"


class CasualtyGroup(StrEnum):
    """Whom a figure counts; one figure per group that the article states separately."""

    ALL = "all"
    CIVILIANS = "civilians"
    CHILDREN = "children"
    WOMEN = "women"
    COMBATANTS = "combatants"
    SECURITY_FORCES = "security_forces"
    PROTESTERS = "protesters"
    FOREIGN_NATIONALS = "foreign_nationals"


class Qualifier(StrEnum):
    """The hedge the article puts on a number; vague words keep their word."""

    EXACT = "exact"  # "58"
    AT_LEAST = "at_least"  # "at least 13"
    OVER = "over"  # "over 180", "more than"
    ABOUT = "about"  # "about 100", "nearly", "around"
    UP_TO = "up_to"  # "up to", "as many as"
    SEVERAL = "several"  # ACLED maps to 3
    DOZENS = "dozens"  # ACLED maps to 12
    SCORES = "scores"
    HUNDREDS = "hundreds"  # ACLED maps to 100
    UNKNOWN = "unknown"  # casualties mentioned with no number ("killed and injured")


class StatementKind(StrEnum):
    """What a statement does, each mapped to the CAMEO code that fits it (see :attr:`cameo`)."""

    CONDEMNATION = "condemnation"
    CLAIM_OF_RESPONSIBILITY = "claim_of_responsibility"
    DENIAL = "denial"
    ACCUSATION = "accusation"
    THREAT = "threat"
    JUSTIFICATION = "justification"
    DEMAND = "demand"  # demand or call to action, including calls to stop or de-escalate
    ANALYSIS = "analysis"
    REPORT = "report"  # an account of facts (casualties, damage) by an official or group
    OTHER = "other"

    @property
    def cameo(self) -> str | None:
        return _CAMEO[self]


_CAMEO: dict[StatementKind, str | None] = {
    StatementKind.CONDEMNATION: "111",
    StatementKind.CLAIM_OF_RESPONSIBILITY: "015",
    StatementKind.DENIAL: "016",
    StatementKind.ACCUSATION: "112",
    StatementKind.THREAT: "138",
    StatementKind.JUSTIFICATION: "010",
    StatementKind.DEMAND: "1056",
    StatementKind.ANALYSIS: "010",
    StatementKind.REPORT: "010",
    StatementKind.OTHER: None,
}


class Channel(StrEnum):
    STATEMENT = "statement"
    TWEET = "tweet"  # posts on X/Twitter and other social media
    TV = "tv"
    INTERVIEW = "interview"
    PRESS_CONFERENCE = "press_conference"
    SPEECH = "speech"
    MEDIA_REPORT = "media_report"  # relayed by a news agency ("according to Tasnim")
    UNKNOWN = "unknown"


class TextType(StrEnum):
    """Whether a statement's text is the speaker's words as quoted, or the article's paraphrase."""

    QUOTE = "quote"
    PARAPHRASE = "paraphrase"
