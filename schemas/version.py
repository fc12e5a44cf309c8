"""The installed sitrep version, read from the distribution's metadata (``pyproject.toml`` is the
one place it is set), for run records and ``sitrep --version``."""

from __future__ import annotations

from importlib import metadata


def sitrep_version() -> str:
    try:
        return metadata.version("sitrep")
    except metadata.PackageNotFoundError:
        return "unknown"
