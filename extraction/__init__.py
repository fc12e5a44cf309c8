"""Turn articles into records: a model through instructor, or the offline baseline.

``extract`` / ``aextract`` are the entry points; importing this package does not import the openai
client or instructor (that happens on the first model call).
"""

from __future__ import annotations

from extraction.api import aextract, extract
from extraction.config import (
    BASELINE_NOTICE,
    MODES,
    ExtractionConfig,
    Mode,
    resolve_config,
)
from extraction.errors import (
    ConfigurationError,
    EndpointError,
    ExtractionError,
    ModelOutputError,
    TransportError,
)

__all__ = [
    "BASELINE_NOTICE",
    "MODES",
    "ConfigurationError",
    "EndpointError",
    "ExtractionConfig",
    "ExtractionError",
    "Mode",
    "ModelOutputError",
    "TransportError",
    "aextract",
    "extract",
    "resolve_config",
]
