"""How figures are printed in every report (console, Markdown, HTML).

>>> fmt(0.66666), fmt(None), fmt_ci(Interval(low=0.5, high=0.8125, level=0.95))
('0.667', '—', '[0.500, 0.812]')
>>> fmt_delta(-0.05), fmt_delta(0.0)
('-0.050', '+0.000')
"""

from __future__ import annotations

from evals.metrics import Interval

DASH = "—"


def fmt(value: float | None, digits: int = 3) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def fmt_ci(ci: Interval | None, digits: int = 3) -> str:
    return DASH if ci is None else f"[{ci.low:.{digits}f}, {ci.high:.{digits}f}]"


def fmt_delta(value: float | None, digits: int = 3) -> str:
    return DASH if value is None else f"{value:+.{digits}f}"


def fmt_count(value: float) -> str:
    """A count that may carry partial credit: ``137`` or ``12.5``.

    >>> fmt_count(137.0), fmt_count(12.5)
    ('137', '12.5')
    """
    return f"{value:g}"


def md_cell(text: object) -> str:
    """Text safe inside a Markdown table cell (pipes escaped, no line breaks).

    >>> md_cell("a|b\\nc")
    'a\\\\|b c'
    """
    return str(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")
