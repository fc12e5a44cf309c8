"""Turn a pydantic ``ValidationError`` into the field path and message an error names.

>>> from pydantic import BaseModel, ValidationError
>>> class M(BaseModel):
...     n: int
>>> try:
...     M.model_validate({"n": "x"})
... except ValidationError as exc:
...     first_error(exc)
('n', 'Input should be a valid integer, unable to parse string as an integer')
"""

from __future__ import annotations

from pydantic import ValidationError


def first_error(exc: ValidationError) -> tuple[str, str]:
    """The dotted path of the first invalid field (``""`` at the top level) and its message."""
    err = exc.errors()[0]
    msg = err["msg"].removeprefix("Value error, ")  # pydantic's prefix for a validator's message
    return ".".join(str(x) for x in err["loc"]), msg
