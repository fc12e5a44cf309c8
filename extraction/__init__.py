"""Turn articles into records: a model through instructor, or the offline baseline.

``extract`` (one article, or many), ``aextract`` and ``aextract_many`` are the entry points, all on
the one pipeline (:class:`~extraction.pipeline.extractor.Extractor`); importing this package does
not import the openai client or instructor (that happens on the first model call).
"""

from __future__ import annotations

from extraction.api import aextract, aextract_many, extract
from extraction.config import (
    BASELINE_NOTICE,
    MODES,
    ExtractionConfig,
    Mode,
    resolve_config,
)
from extraction.errors import (
    ArticleTimedOut,
    ConfigurationError,
    EndpointError,
    ErrorKind,
    ExtractionError,
    InvalidOutput,
    ModelOutputError,
    RateLimited,
    RequestTimedOut,
    ServerFailed,
    TransportError,
    TruncatedOutput,
    UnparseableOutput,
    Unreachable,
)
from extraction.pipeline.extractor import Extractor

__all__ = [
    "BASELINE_NOTICE",
    "MODES",
    "ArticleTimedOut",
    "ConfigurationError",
    "EndpointError",
    "ErrorKind",
    "ExtractionConfig",
    "ExtractionError",
    "Extractor",
    "InvalidOutput",
    "Mode",
    "ModelOutputError",
    "RateLimited",
    "RequestTimedOut",
    "ServerFailed",
    "TransportError",
    "TruncatedOutput",
    "UnparseableOutput",
    "Unreachable",
    "aextract",
    "aextract_many",
    "extract",
    "resolve_config",
]
