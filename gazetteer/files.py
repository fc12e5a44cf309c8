"""Reading the gazetteer's JSON files: their format, checks and the forms derived from them.

Errors name the file, the entry and the field (:class:`GazetteerError`).

>>> entries, shared = parse_places('{"format": "sitrep-gazetteer-places/1", "entries": '
...     '[{"canonical": "Koya", "kind": "district", "names": ["Koya"], "country": "Iraq"}]}')
>>> entries[0].forms
('Koya', 'Koya district', 'district of Koya')
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gazetteer.entries import DEFAULT_KIND_WORDS, ActorEntry, PlaceEntry, PlaceKind, dedupe
from schemas.validation import first_error

DATA_FOLDER = "data"
ACTORS_FILE = "actors.json"
PLACES_FILE = "places.json"
ACTORS_FORMAT = "sitrep-gazetteer-actors/1"
PLACES_FORMAT = "sitrep-gazetteer-places/1"


class GazetteerError(ValueError):
    """An alias table that cannot be loaded; the message names the file and the entry."""


class _GazetteerFile(BaseModel):
    """What both gazetteer files have at the top level."""

    model_config = ConfigDict(extra="forbid")

    format: str
    shared_aliases: list[str] = Field(default_factory=list)
    entries: list[dict[str, Any]]


_FileT = TypeVar("_FileT", bound=_GazetteerFile)


class _ActorFile(_GazetteerFile):
    pass


class _PlaceRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    canonical: str = Field(min_length=1)
    kind: PlaceKind
    names: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    bare: bool = True
    admin1: str | None = None
    admin2: str | None = None
    country: str
    within: str | None = None
    contains_admin1: list[str] = Field(default_factory=list)
    capital_of: str | None = None
    note: str | None = None


class _PlaceFile(_GazetteerFile):
    kind_words: dict[PlaceKind, list[str]] = Field(default_factory=lambda: dict(DEFAULT_KIND_WORDS))


def _row_error(source: str, i: int, row: object, exc: ValidationError) -> GazetteerError:
    name = row.get("canonical") if isinstance(row, dict) else None
    loc, msg = first_error(exc)
    return GazetteerError(f"{source}: entries[{i}] ({name!r}): field '{loc or 'entry'}': {msg}")


def _load_json(text: str, source: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{source}:{exc.lineno}: not valid JSON ({exc.msg})") from None


def _validate_file(raw: object, model: type[_FileT], expected: str, source: str) -> _FileT:
    """A gazetteer file's top level, checked against its model and format tag."""
    try:
        doc = model.model_validate(raw)
    except ValidationError as exc:
        loc, msg = first_error(exc)
        raise GazetteerError(f"{source}: field '{loc}': {msg}") from None
    if doc.format != expected:
        raise GazetteerError(f"{source}: field 'format' is {doc.format!r}, expected {expected!r}")
    return doc


def parse_actors(
    text: str, source: str = f"gazetteer/{DATA_FOLDER}/{ACTORS_FILE}"
) -> tuple[list[ActorEntry], list[str]]:
    """Actor entries and shared aliases from the text of an actors file."""
    doc = _validate_file(_load_json(text, source), _ActorFile, ACTORS_FORMAT, source)
    entries: list[ActorEntry] = []
    for i, row in enumerate(doc.entries):
        try:
            entries.append(ActorEntry.model_validate(row))
        except ValidationError as exc:
            raise _row_error(source, i, row, exc) from None
    return entries, doc.shared_aliases


def _derived_forms(row: _PlaceRow, kind_words: dict[PlaceKind, list[str]]) -> tuple[str, ...]:
    forms = [row.canonical]
    words = kind_words.get(row.kind, [])
    for name in row.names:
        if row.bare and row.kind not in (PlaceKind.GOVERNORATE, PlaceKind.PROVINCE):
            forms.append(name)
        for w in words:
            forms += [f"{name} {w}", f"{w} of {name}"]
    forms += row.aliases
    return dedupe(forms)


def parse_places(
    text: str, source: str = f"gazetteer/{DATA_FOLDER}/{PLACES_FILE}"
) -> tuple[list[PlaceEntry], list[str]]:
    """Place entries (with their derived forms) and shared aliases from a places file."""
    doc = _validate_file(_load_json(text, source), _PlaceFile, PLACES_FORMAT, source)
    entries: list[PlaceEntry] = []
    for i, data in enumerate(doc.entries):
        try:
            row = _PlaceRow.model_validate(data)
        except ValidationError as exc:
            raise _row_error(source, i, data, exc) from None
        fields = row.model_dump(exclude={"names", "aliases", "bare"})
        fields["contains_admin1"] = tuple(row.contains_admin1)
        entries.append(PlaceEntry(**fields, forms=_derived_forms(row, doc.kind_words)))
    return entries, doc.shared_aliases
