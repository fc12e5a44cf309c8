"""The scorer's parameters, read from ``evals/scoring.toml``; a run records their hash.

>>> cfg = load_config()
>>> cfg.location.admin1, cfg.bootstrap.resamples
(0.5, 1000)
>>> scoring_hash(cfg).startswith("sha256:")
True
"""

from __future__ import annotations

import hashlib
import tomllib
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

CONFIG_FILE = "scoring.toml"

_STRICT = ConfigDict(extra="forbid", frozen=True)


class EventWeights(BaseModel):
    model_config = _STRICT
    sub_type: float = Field(ge=0)
    location: float = Field(ge=0)
    date: float = Field(ge=0)
    evidence: float = Field(ge=0)
    actors: float = Field(ge=0)
    standing: float = Field(ge=0)


class EventConfig(BaseModel):
    model_config = _STRICT
    min_similarity: float = Field(gt=0, le=1)
    date_gate_days: int = Field(ge=0)
    weights: EventWeights


class StatementWeights(BaseModel):
    model_config = _STRICT
    speaker: float = Field(ge=0)
    text: float = Field(ge=0)
    kind: float = Field(ge=0)
    evidence: float = Field(ge=0)
    about_events: float = Field(ge=0)


class StatementConfig(BaseModel):
    model_config = _STRICT
    min_similarity: float = Field(gt=0, le=1)
    text_gate_f1: float = Field(ge=0, le=1)
    weights: StatementWeights


class NamesConfig(BaseModel):
    model_config = _STRICT
    place_generic_words: tuple[str, ...]


class LocationConfig(BaseModel):
    model_config = _STRICT
    place: float = Field(gt=0, le=1)
    admin2: float = Field(gt=0, le=1)
    admin1: float = Field(gt=0, le=1)
    country: float = Field(gt=0, le=1)


class DateConfig(BaseModel):
    model_config = _STRICT
    week_window_days: int = Field(ge=0)
    other_precision_credit: float = Field(ge=0, le=1)
    phrase_stopwords: tuple[str, ...]


class CountConfig(BaseModel):
    model_config = _STRICT
    open_above: tuple[str, ...]
    open_below: tuple[str, ...]


class QuoteConfig(BaseModel):
    model_config = _STRICT
    match_f1: float = Field(ge=0, le=1)


class BootstrapConfig(BaseModel):
    model_config = _STRICT
    resamples: int = Field(ge=1)
    seed: int
    confidence: float = Field(gt=0, lt=1)


class RegressionConfig(BaseModel):
    model_config = _STRICT
    tolerance: float = Field(ge=0)


class ScoringConfig(BaseModel):
    model_config = _STRICT
    version: str
    event: EventConfig
    statement: StatementConfig
    names: NamesConfig
    location: LocationConfig
    date: DateConfig
    counts: CountConfig
    quote: QuoteConfig
    bootstrap: BootstrapConfig
    regression: RegressionConfig


@lru_cache(maxsize=1)
def load_config() -> ScoringConfig:
    """The bundled scoring parameters (cached)."""
    raw = (resources.files("evals") / CONFIG_FILE).read_text(encoding="utf-8")
    try:
        return ScoringConfig.model_validate(tomllib.loads(raw))
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"evals/{CONFIG_FILE}: {exc}") from None


def scoring_hash(config: ScoringConfig) -> str:
    """A stable hash of the parameters: two runs with the same hash were scored the same way."""
    text = config.model_dump_json()
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
