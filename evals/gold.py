"""Gold files: hand-labelled records of one eval article, with their provenance.

A gold file is JSON (``evals/gold/<article_id>.json``) holding the same records a model fills
(:class:`schemas.Records`), plus who labelled them, when, under which guideline version, and the
acceptable alternatives where a field has more than one right answer. Loading one checks it against
the schemas and every evidence span against the article text; an error names the file and field.

``acceptable`` maps a field path to extra values that also count as right, e.g.
``{"events.E1.location.admin1": ["Erbil", "Sulaymaniyah"], "statements.S2.kind": ["demand"]}``.
Paths use record ids (not list positions) so that reordering records never breaks them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.acceptable import AcceptableError, check_acceptable
from schemas.article import Article
from schemas.evidence import EvidenceSource, grounding_context
from schemas.records import Producer, Records

GUIDELINES_VERSION = "1.0"

GoldStatus = Literal["draft", "reviewed"]


class GoldProvenance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labeller: str = Field(description="Who labelled it: a person, or 'labeller-A' style handle.")
    method: str = Field(description="How: 'read the article against evals/GUIDELINES.md'.")
    guidelines_version: str = GUIDELINES_VERSION
    labelled_at: dt.date
    status: GoldStatus = "reviewed"
    drafted_by: str | None = Field(
        default=None, description="Producer of the draft a person corrected, if any."
    )
    draft_producer: Producer | None = Field(
        default=None, description="The model or baseline that made the draft (prompt hash etc.)."
    )
    draft_run: str | None = Field(default=None, description="Id of the run that made the draft.")


FieldSource = Literal["model", "confirmed", "changed", "added", "rejected"]


class FieldProvenance(BaseModel):
    """Where the value of one field of a gold file came from (written by ``sitrep review``).

    ``model``: the draft's value, not confirmed by a person; ``confirmed``: the draft's value,
    confirmed by a person; ``changed``: a person changed the draft's value; ``added``: a person
    gave a value the draft did not have; ``rejected``: a draft value a person removed.
    """

    model_config = ConfigDict(extra="forbid")

    source: FieldSource
    drafted_by: str | None = Field(default=None, description="Producer of the draft value.")
    run: str | None = Field(default=None, description="Id of the run that drafted the value.")
    prompt_hash: str | None = None
    draft_path: str | None = Field(
        default=None, description="Path of the draft value this one was checked against."
    )
    by: str | None = Field(default=None, description="Who confirmed, changed, added or rejected.")
    at: dt.datetime | None = None


class GoldFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    article_id: str
    article_sha256: str = Field(description="SHA-256 of the article text the spans index.")
    provenance: GoldProvenance
    records: Records
    acceptable: dict[str, list[Any]] = Field(default_factory=dict)
    notes: str | None = None
    field_provenance: dict[str, FieldProvenance] = Field(
        default_factory=dict,
        description="Per field, keyed like 'acceptable' ('events.E1.casualties.0.best'): where "
        "its value came from. Empty for gold labelled from scratch outside sitrep review.",
    )
    rejected: dict[str, FieldProvenance] = Field(
        default_factory=dict,
        description="Fields of draft records or list items a person removed, by draft path.",
    )


class GoldError(ValueError):
    """A gold file that does not validate; the message names the file and the field."""


def _fmt(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: {exc.error_count()} invalid field(s)"]
    for err in exc.errors()[:10]:
        loc = ".".join(str(x) for x in err["loc"])
        lines.append(f"  {loc}: {err['msg']}")
    return "\n".join(lines)


def parse_gold(
    raw: dict[str, Any],
    article: Article,
    path: Path,
    *,
    on_ungrounded: Literal["error", "flag"] = "error",
    evidence_from: EvidenceSource = "stored",
) -> GoldFile:
    """Validate a gold object against the schemas and ``article`` (spans, hash, id). A draft
    is read with ``on_ungrounded="flag"``: evidence its producer could not ground stays, marked
    ``not_found``, for the reviewer to fix. Given spans must hold their quote, unless
    ``evidence_from="model"``: then every quote is aligned afresh (a model's fuzzily found quote
    differs from the words its span covers, so a draft is read that way)."""
    if raw.get("article_id") != article.id:
        raise GoldError(
            f"{path}: field 'article_id' is {raw.get('article_id')!r}, expected {article.id!r}"
        )
    if raw.get("article_sha256") != article.sha256:
        raise GoldError(
            f"{path}: field 'article_sha256' does not match the article text "
            f"(the article changed, or the gold belongs to another version)"
        )
    try:
        ctx = grounding_context(
            article.text, evidence_from=evidence_from, on_ungrounded=on_ungrounded
        )
        gold = GoldFile.model_validate(raw, context=ctx)
    except ValidationError as exc:
        raise GoldError(_fmt(path, exc)) from None
    try:
        check_acceptable(gold.records, gold.acceptable)
    except AcceptableError as exc:
        raise GoldError(f"{path}: field 'acceptable': {exc}") from None
    return gold


def read_gold_json(path: Path) -> dict[str, Any]:
    """The JSON object of a gold (or draft) file; errors name the file and line."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise GoldError(f"{path}: expected a JSON object")
    return raw


def load_gold(path: str | Path, article: Article) -> GoldFile:
    p = Path(path)
    return parse_gold(read_gold_json(p), article, p)


def gold_json(gold: GoldFile) -> str:
    """Canonical text of a gold file (stable key order, two-space indent, trailing newline)."""
    return gold.model_dump_json(indent=2, exclude_none=False) + "\n"
