"""The merge rules and thresholds, read from a TOML file and validated.

>>> rules = load_rules()
>>> rules.thresholds.dated, rules.blocking.date_slack_days
(4.0, 1)
>>> import pathlib, tempfile
>>> bad = pathlib.Path(tempfile.mkdtemp()) / "rules.toml"
>>> _ = bad.write_text("[thresholds]\\ndated = 'high'\\n")
>>> load_rules(bad)
Traceback (most recent call last):
...
store.rules.RulesError: ...rules.toml: [thresholds] dated: Input should be a valid number...
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_RULES = Path(__file__).resolve().parent / "data" / "merge_rules.toml"

PlaceLevel = Literal["country", "admin1", "admin2", "place"]
PLACE_LEVELS: tuple[PlaceLevel, ...] = ("country", "admin1", "admin2", "place")
"""From the broadest to the most specific."""

_STRICT = ConfigDict(extra="forbid", frozen=True)


class RulesError(ValueError):
    """The rules file cannot be used; the message names the file and key."""


class Scope(BaseModel):
    model_config = _STRICT
    standings: list[Literal["reported", "recalled", "threatened"]] = ["reported", "recalled"]


class Blocking(BaseModel):
    model_config = _STRICT
    date_slack_days: int = Field(default=1, ge=0, le=31)
    undated_min_place_level: PlaceLevel = "admin1"
    max_distance_km: float = Field(default=25.0, gt=0)


class Names(BaseModel):
    model_config = _STRICT
    min_word_length: int = Field(default=4, ge=1)
    stop_words: list[str] = Field(default_factory=list)


class Weights(BaseModel):
    model_config = _STRICT
    same_day: float = 2.0
    date_overlap: float = 1.0
    same_unresolved_phrase_same_article: float = 2.0
    place: float = 3.0
    admin2: float = 2.0
    admin1: float = 1.0
    country: float = 0.0
    within_distance: float = 3.0
    same_sub_type: float = 1.0
    perpetrator_overlap: float = 1.0
    perpetrator_conflict: float = -1.0
    target_overlap: float = 2.0
    target_conflict: float = -3.0
    same_article_other_run: float = 3.0


class Thresholds(BaseModel):
    model_config = _STRICT
    dated: float = 4.0
    undated: float = 6.0


class Vetoes(BaseModel):
    model_config = _STRICT
    different_event_type: bool = True
    different_place: bool = True
    disjoint_dates: bool = True
    same_article_same_run: bool = True


class MergeRules(BaseModel):
    """Everything :mod:`store.merge` decides with."""

    model_config = _STRICT
    scope: Scope = Scope()
    blocking: Blocking = Blocking()
    names: Names = Names()
    weights: Weights = Weights()
    thresholds: Thresholds = Thresholds()
    vetoes: Vetoes = Vetoes()


def _where(loc: tuple[int | str, ...]) -> str:
    if not loc:
        return "(top level)"
    head, *rest = (str(p) for p in loc)
    return f"[{head}] {'.'.join(rest)}" if rest else f"[{head}]"


def load_rules(path: str | Path | None = None) -> MergeRules:
    """The rules in ``path`` (the bundled ``merge_rules.toml`` by default)."""
    p = Path(path) if path is not None else DEFAULT_RULES
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{p}: cannot read the merge rules ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{p}: not valid TOML ({exc})") from None
    try:
        return MergeRules.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RulesError(
            f"{p}: {_where(first['loc'])}: {first['msg']} (got {first.get('input')!r}); "
            "fix the value or remove the key to use the default"
        ) from None
