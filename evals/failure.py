"""What a run keeps for an article whose extraction failed: the article scores as all missed.

>>> f = ExtractionFailure.from_exception("a1", ValueError("model returned no JSON"))
>>> f.error_type, f.message
('ValueError', 'model returned no JSON')
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from schemas.records import Producer


class ExtractionFailure(BaseModel):
    """An extraction that raised instead of returning records."""

    model_config = ConfigDict(extra="forbid")

    article_id: str
    error_type: str
    message: str
    producer: Producer | None = None

    @classmethod
    def from_exception(
        cls, article_id: str, exc: BaseException, producer: Producer | None = None
    ) -> ExtractionFailure:
        return cls(
            article_id=article_id,
            error_type=type(exc).__name__,
            message=str(exc) or repr(exc),
            producer=producer,
        )

    def describe(self) -> str:
        return f"{self.error_type}: {self.message}"
