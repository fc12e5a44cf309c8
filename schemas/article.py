"""Articles as they arrive: scraped page text kept verbatim, with what is known of their source.

Evidence offsets always index :attr:`Article.text` exactly as loaded; page clutter (weather
widgets, adverts, comment forms) is recognised by ``extraction.pipeline.page`` and skipped, never
cut out.

A date in a page header ("Friday, April 19, 2024" under a weather widget) is the day the page was
scraped, not the publication date: ``publication_date`` is set only from metadata or a dateline,
and ``publication_date_source`` says which.

>>> a = Article(id="seed-000", text="Nov. 14 (UPI) — Iran launched ...")
>>> a.publication_date is None, a.publication_date_source.value
(True, 'unknown')
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from schemas.input.ids import ARTICLE_ID_PATTERN, MAX_ID_BYTES, MAX_ID_CHARS, is_valid_id

__all__ = ["ARTICLE_ID_PATTERN", "Article", "DateSource"]


class DateSource(StrEnum):
    METADATA = "metadata"  # given with the article (JSONL field, feed, a .meta.json file)
    PAGE_METADATA = "page_metadata"  # the saved web page's own markup (meta tags, JSON-LD)
    DATELINE = "dateline"  # stated in the article text ("Nov. 14, 2022 (UPI) —")
    UNKNOWN = "unknown"  # not stated; relative dates in the text stay unresolved


class Article(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(json_schema_extra={"pattern": ARTICLE_ID_PATTERN})
    text: str = Field(min_length=1)
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    publication_date: dt.date | None = None
    publication_date_source: DateSource = DateSource.UNKNOWN
    publication_date_text: str | None = Field(
        default=None, description="What the article says of its date, even when partial: 'Nov. 14'."
    )
    author: str | None = None
    language: str = "en"
    source_file: str | None = None
    notes: str | None = None
    extracted_from: Literal["html"] | None = Field(
        default=None,
        description="'html' when the text is the main text extracted from a saved web page "
        "(schemas.input.html_page): offsets index that text, which is kept with the records.",
    )

    @field_validator("id")
    @classmethod
    def _id_is_safe(cls, value: str) -> str:
        if not is_valid_id(value):
            raise ValueError(
                f"{value!r} is not a valid id: an id is letters, digits, spaces, '_', '.' and "
                f"'-' (at most {MAX_ID_CHARS} characters and {MAX_ID_BYTES} bytes), starting "
                "with a letter or digit and not ending with a space"
            )
        return value

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()
