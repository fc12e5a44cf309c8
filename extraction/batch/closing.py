"""``with`` for the extraction layer's resources (results file, response cache, run index): one
mixin, :class:`Closing`, instead of the same ``__enter__``/``__exit__`` pair in each class.

>>> class Door(Closing):
...     def __init__(self) -> None:
...         self.open = True
...     def close(self) -> None:
...         self.open = False
>>> with Door() as door:
...     pass
>>> door.open
False
"""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Closing:
    """``with obj:`` returns ``obj`` and calls ``obj.close()`` on the way out, error or not."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
