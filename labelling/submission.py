"""What the review page sends when a person saves, and how it becomes reviewed gold.

The records are validated against the schemas and every evidence span against the article first;
the review rules of :mod:`labelling.review_rules` are checked too. A submission that does not pass
is refused with one :class:`FieldError` per problem, each naming the field by its id-based path
(``events.E1.casualties.0.best``): errors, and warnings the reviewer has not confirmed yet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.acceptable import AcceptableError, check_acceptable
from evals.gold import GoldFile, GoldProvenance, parse_gold
from labelling.fieldpaths import leaves, loc_to_path
from labelling.provenance import Decision, DraftInfo, compute_provenance
from labelling.review_rules import FieldError, review_problems
from schemas.article import Article
from schemas.evidence import grounding_context
from schemas.records import Records

REVIEW_METHOD = "corrected a draft by {drafted_by} in sitrep review"
SCRATCH_METHOD = "labelled from scratch in sitrep review"


class Submission(BaseModel):
    """A save (or check) request from the review page."""

    model_config = ConfigDict(extra="forbid")

    records: dict[str, Any]
    origins: dict[str, str | None] | None = Field(
        default=None,
        description="Final item path -> the draft item it came from (null: added by the person).",
    )
    decisions: dict[str, Decision] = Field(default_factory=dict)
    notes: str | None = None
    base_sha256: str | None = Field(
        default=None, description="SHA-256 of the gold file as loaded; null if there was none."
    )
    overwrite: bool = False
    confirmed_names: dict[str, str] = Field(
        default_factory=dict,
        description="Name field path -> the unknown canonical name the reviewer confirmed there.",
    )


class SubmissionInvalid(ValueError):
    """The submission cannot be saved: ``errors`` names every invalid field, ``warnings`` every
    warning the reviewer has not confirmed (see :attr:`Submission.confirmed_names`)."""

    def __init__(self, errors: list[FieldError], warnings: list[FieldError] | None = None) -> None:
        self.errors = errors
        self.warnings = warnings or []
        problems = [*errors, *self.warnings]
        shown = "; ".join(f"{e.path}: {e.message}" for e in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{self.summary()}: {shown}{more}")

    def summary(self) -> str:
        parts = [f"{len(self.errors)} invalid field(s)"] if self.errors else []
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s) to confirm")
        return ", ".join(parts)


def _clean_message(err: Any) -> str:
    """The reviewer's version of a pydantic error: a required value left blank says so."""
    if err.get("input") is None and err["type"] in ("enum", "literal_error", "missing"):
        return "required: choose a value"
    if err["type"] == "string_too_short" and err.get("input") == "":
        return "required: type the text"
    return str(err["msg"]).removeprefix("Value error, ")


def validate_records(
    raw: dict[str, Any],
    article: Article,
    confirmed_names: dict[str, str] | None = None,
    *,
    rules: bool = True,
) -> Records:
    """Validate submitted records against the schemas, the article text and (unless ``rules`` is
    false) the review rules; every problem is reported at once."""
    confirmed = confirmed_names or {}
    found = review_problems(raw if rules else {}, article.text, confirmed_names=confirmed)
    try:
        records = Records.model_validate(raw, context=grounding_context(article.text))
    except ValidationError as exc:
        errors = [
            FieldError(loc_to_path(err["loc"], raw) or "records", _clean_message(err))
            for err in exc.errors()
        ]
        raise SubmissionInvalid(errors + found.errors, found.warnings) from None
    if found.errors or found.warnings:
        raise SubmissionInvalid(found.errors, found.warnings)
    return records


def _still_applicable(records: Records, acceptable: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The acceptable alternatives that still apply after the person's edits (one for a removed
    record or list item no longer does)."""
    kept: dict[str, list[Any]] = {}
    for key, values in acceptable.items():
        try:
            check_acceptable(records, {key: values})
        except AcceptableError:
            continue
        kept[key] = values
    return kept


def build_gold(
    submission: Submission,
    article: Article,
    *,
    draft: GoldFile | None,
    previous: GoldFile | None,
    reviewer: str,
    now: dt.datetime | None = None,
    path: Path | None = None,
) -> GoldFile:
    """Validate a submission and turn it into a reviewed gold file with per-field provenance.

    Raises :class:`SubmissionInvalid` naming each invalid field.
    """
    if not reviewer.strip():
        raise SubmissionInvalid([FieldError("provenance.labeller", "no reviewer name given")])
    now = now or dt.datetime.now(dt.UTC)
    records = validate_records(submission.records, article, submission.confirmed_names)
    info = DraftInfo.of(draft)
    fields, rejected = compute_provenance(
        draft.records if draft is not None else None,
        records,
        origins=submission.origins,
        decisions=submission.decisions,
        reviewer=reviewer,
        at=now,
        draft_info=info,
        previous=previous,
    )
    base = previous or draft
    acceptable = _still_applicable(records, base.acceptable if base else {})
    provenance = GoldProvenance(
        labeller=reviewer,
        method=REVIEW_METHOD.format(drafted_by=info.drafted_by) if draft else SCRATCH_METHOD,
        labelled_at=now.date(),
        status="reviewed",
        drafted_by=info.drafted_by,
        draft_producer=draft.provenance.draft_producer if draft else None,
        draft_run=info.run,
    )
    raw = {
        "article_id": article.id,
        "article_sha256": article.sha256,
        "provenance": provenance.model_dump(mode="json"),
        "records": records.model_dump(mode="json"),
        "acceptable": acceptable,
        "notes": submission.notes,
        "field_provenance": {k: v.model_dump(mode="json") for k, v in fields.items()},
        "rejected": {k: v.model_dump(mode="json") for k, v in rejected.items()},
    }
    return parse_gold(raw, article, path or Path(f"gold/{article.id}.json"))


def diff_rows(gold: GoldFile, draft: GoldFile | None) -> list[dict[str, Any]]:
    """The fields where the gold differs from the draft (changed, added, rejected), for display:
    path, draft value, gold value and source. Empty on both sides (the blank fields of an added
    item, say) is not a difference worth showing."""
    final = leaves(gold.records)
    drafted = leaves(draft.records) if draft is not None else {}
    rows: list[dict[str, Any]] = []
    for path, prov in gold.field_provenance.items():
        if prov.source in ("changed", "added", "rejected"):
            before = drafted.get(prov.draft_path) if prov.draft_path else None
            after = final.get(path)
            if before is not None or after is not None:
                rows.append({"path": path, "draft": before, "value": after, "source": prov.source})
    for path in gold.rejected:
        before = drafted.get(path)
        if before is not None:
            rows.append({"path": path, "draft": before, "value": None, "source": "rejected"})
    return rows
