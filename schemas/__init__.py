"""sitrep's record schemas: where every field is defined.

Filled by ``extraction`` (a model through instructor, or the offline baseline); scored by ``evals``.
"""

from __future__ import annotations

from schemas.article import Article, DateSource
from schemas.event import (
    Actor,
    AttackEvent,
    Attribution,
    CasualtyFigure,
    EventDate,
    Location,
    Weapon,
    WeaponKind,
)
from schemas.evidence import Evidence, grounding, grounding_context
from schemas.grounding import Alignment, AlignmentStatus, align
from schemas.loaders import ArticleInputError, iter_jsonl, iter_paths, load_jsonl, load_text_file
from schemas.records import ArticleExtraction, Producer, Records, Usage, schema_hash
from schemas.statement import Statement
from schemas.vocab import (
    ActorCategory,
    AttributionKind,
    CasualtyGroup,
    CasualtyKind,
    Channel,
    DatePrecision,
    EventType,
    GeoPrecision,
    Outcome,
    Qualifier,
    Standing,
    StatementKind,
    SubType,
    TextType,
)

__all__ = [
    "Actor",
    "ActorCategory",
    "Alignment",
    "AlignmentStatus",
    "Article",
    "ArticleExtraction",
    "ArticleInputError",
    "AttackEvent",
    "Attribution",
    "AttributionKind",
    "CasualtyFigure",
    "CasualtyGroup",
    "CasualtyKind",
    "Channel",
    "DatePrecision",
    "DateSource",
    "EventDate",
    "EventType",
    "Evidence",
    "GeoPrecision",
    "Location",
    "Outcome",
    "Producer",
    "Qualifier",
    "Records",
    "Standing",
    "Statement",
    "StatementKind",
    "SubType",
    "TextType",
    "Usage",
    "Weapon",
    "WeaponKind",
    "align",
    "grounding",
    "grounding_context",
    "iter_jsonl",
    "iter_paths",
    "load_jsonl",
    "load_text_file",
    "schema_hash",
]
