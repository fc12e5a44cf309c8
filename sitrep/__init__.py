"""sitrep: evidence-grounded records of armed attacks and statements from news articles."""

from __future__ import annotations

__version__ = "0.1.0"
