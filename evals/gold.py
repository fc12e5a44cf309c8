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

from schemas.article import Article
from schemas.evidence import grounding_context
from schemas.records import Records

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


class GoldFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    article_id: str
    article_sha256: str = Field(description="SHA-256 of the article text the spans index.")
    provenance: GoldProvenance
    records: Records
    acceptable: dict[str, list[Any]] = Field(default_factory=dict)
    notes: str | None = None


class GoldError(ValueError):
    """A gold file that does not validate; the message names the file and the field."""


def _fmt(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: {exc.error_count()} invalid field(s)"]
    for err in exc.errors()[:10]:
        loc = ".".join(str(x) for x in err["loc"])
        lines.append(f"  {loc}: {err['msg']}")
    return "\n".join(lines)


def parse_gold(raw: dict[str, Any], article: Article, path: Path) -> GoldFile:
    """Validate a gold object against the schemas and ``article`` (spans, hash, id)."""
    if raw.get("article_id") != article.id:
        raise GoldError(f"{path}: field 'article_id' is {raw.get('article_id')!r}, "
                        f"expected {article.id!r}")
    if raw.get("article_sha256") != article.sha256:
        raise GoldError(f"{path}: field 'article_sha256' does not match the article text "
                        f"(the article changed, or the gold belongs to another version)")
    try:
        return GoldFile.model_validate(raw, context=grounding_context(article.text))
    except ValidationError as exc:
        raise GoldError(_fmt(path, exc)) from None


def load_gold(path: str | Path, article: Article) -> GoldFile:
    p = Path(path)
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{p}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise GoldError(f"{p}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise GoldError(f"{p}: expected a JSON object")
    return parse_gold(raw, article, p)


def gold_json(gold: GoldFile) -> str:
    """Canonical text of a gold file (stable key order, two-space indent, trailing newline)."""
    return gold.model_dump_json(indent=2, exclude_none=False) + "\n"
