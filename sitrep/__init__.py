"""sitrep: evidence-grounded records of armed attacks and statements from news articles.

The library's entry point is :func:`extract`: one article in, its events and statements out, each
value with the span of text that supports it; or many articles in, their result records out.
:func:`aextract` and :func:`aextract_many` (records as they finish) are the same for async code.
Where things live: fields are defined in ``schemas``, filled in ``extraction`` (a model through
instructor, or the offline baseline) and scored in ``evals``.
"""

from __future__ import annotations

from extraction import aextract, aextract_many, extract, resolve_config
from schemas import Article, ArticleExtraction, Records, iter_jsonl, load_text_file
from schemas.version import sitrep_version

__version__ = sitrep_version()
"""From the installed distribution's metadata: ``pyproject.toml`` is the one place it is set."""

__all__ = [
    "Article",
    "ArticleExtraction",
    "Records",
    "__version__",
    "aextract",
    "aextract_many",
    "extract",
    "iter_jsonl",
    "load_text_file",
    "resolve_config",
]
