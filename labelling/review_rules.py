"""What a reviewed gold file must hold beyond the schemas, checked when the review page saves:

- every record (event, statement) has evidence;
- a statement whose ``text_type`` is ``quote`` quotes the article verbatim (typography folded);
  the model path's fuzzy threshold (:data:`schemas.grounding.FUZZY_THRESHOLD`) is for finding
  a model's slightly misquoted words, not for accepting a person's paraphrase as a quote;
- canonical actor names the gazetteer does not know are *warnings*: saved only once the
  reviewer has confirmed each of them (the name may be new, or a typo).

Each problem names its field by its id-based path (``statements.S1.text``).

>>> text = "Officials said the attackers will be pursued and brought to justice."
>>> raw = {"statements": [{"id": "S1", "text": "will be punished", "text_type": "quote",
...         "evidence": {"quote": "Officials said"}}], "events": [{"id": "E1"}]}
>>> found = review_problems(raw, text, confirmed_names={})
>>> [e.path for e in found.errors]
['events.E1.evidence']
>>> raw["statements"][0]["text"] = "will be pursued and brought to justise"  # 97% alike
>>> [e.path for e in review_problems(raw, text, confirmed_names={}).errors]
['events.E1.evidence', 'statements.S1.text']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from labelling.names import check_name, names_in
from schemas.grounding import AlignmentStatus, align

RECORD_KINDS = {"events": "event", "statements": "statement"}


@dataclass(frozen=True, slots=True)
class FieldError:
    """A problem of one field; ``value`` is the value warned about (for the reviewer to confirm)."""

    path: str
    message: str
    value: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"path": self.path, "message": self.message}
        if self.value is not None:
            out["value"] = self.value
        return out


@dataclass(slots=True)
class Problems:
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)


def _record_path(kind: str, i: int, record: dict[str, Any]) -> str:
    rid = record.get("id")
    return f"{kind}.{rid}" if isinstance(rid, str) and rid else f"{kind}.#{i}"


def review_problems(
    raw_records: Any, article_text: str, *, confirmed_names: Mapping[str, str]
) -> Problems:
    """The problems of submitted records (plain JSON) that the schemas do not catch.

    ``confirmed_names`` maps a name field's path to the unknown name the reviewer confirmed
    there; that warning is then dropped (a different name at the path warns again).
    """
    out = Problems()
    if not isinstance(raw_records, dict):
        return out
    for kind, one in RECORD_KINDS.items():
        records = raw_records.get(kind)
        for i, record in enumerate(records if isinstance(records, list) else []):
            if not isinstance(record, dict):
                continue
            path = _record_path(kind, i, record)
            if not record.get("evidence"):
                out.errors.append(
                    FieldError(
                        f"{path}.evidence",
                        f"no evidence: select the words of the article that report this {one} "
                        "and press s",
                    )
                )
            if kind == "statements":
                _check_quote(record, path, article_text, out)
    for path, name in names_in(raw_records):
        message = check_name(name)
        if message is not None and confirmed_names.get(path) != name:
            out.warnings.append(FieldError(path, f"{name!r} is {message}", name))
    out.errors.sort(key=lambda e: e.path)
    return out


def _check_quote(record: dict[str, Any], path: str, text: str, out: Problems) -> None:
    said = record.get("text")
    if record.get("text_type") != "quote" or not isinstance(said, str) or not said.strip():
        return
    found = align(said, text)
    if found.status is AlignmentStatus.NOT_FOUND or found.score >= 1.0:
        return  # not found at all is the schema's error; 1.0 is verbatim (or folded typography)
    nearest = text[found.start : found.end] if found.start is not None else ""
    out.errors.append(
        FieldError(
            f"{path}.text",
            f"text_type is 'quote' but the text is not verbatim in the article (the nearest "
            f"words, {nearest!r}, match {found.score:.0%}): copy the words exactly, or set "
            "text_type to 'paraphrase'",
        )
    )
