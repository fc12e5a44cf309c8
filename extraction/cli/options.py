"""The options every command that calls a model takes (``sitrep extract``, ``sitrep eval``,
``sitrep label``), defined once so that they read and behave the same everywhere.

>>> model_call_options(mode=None, timeout=30.0, max_tokens=None, max_reasks=1)
{'timeout': 30.0, 'max_reasks': 1}
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from extraction.model.modes import MODES

_MODE_HELP = (
    f"How the schema is sent: {', '.join(MODES)} (which suits which server: README, 'Run sitrep "
    "on a local model'). Default $SITREP_MODE, else json_schema for Ollama, else tools."
)

ModeOpt = Annotated[str | None, typer.Option("--mode", help=_MODE_HELP, show_default=False)]
TimeoutOpt = Annotated[
    float | None,
    typer.Option("--timeout", min=0.001, help="Seconds per HTTP request (default 120)."),
]
MaxTokensOpt = Annotated[
    int | None,
    typer.Option("--max-tokens", min=1, help="Output token limit per call (default 4096)."),
]
MaxReasksOpt = Annotated[
    int | None,
    typer.Option(
        "--max-reasks",
        min=0,
        max=10,
        help="Re-asks after an answer that fails validation (default 2).",
    ),
]


def model_call_options(
    *, mode: str | None, timeout: float | None, max_tokens: int | None, max_reasks: int | None
) -> dict[str, Any]:
    """The extraction settings given on the command line (``mode`` is passed on its own to
    :func:`extraction.config.resolve_config`, which checks it)."""
    given = {"timeout": timeout, "max_tokens": max_tokens, "max_reasks": max_reasks}
    return {name: value for name, value in given.items() if value is not None}
