"""The offline baseline as a :class:`~extraction.model.base.Backend`, so it runs through the same
pipeline as a model (splitting, merging, records).

It runs inline on the event loop: it is CPU-bound, so threads would only add overhead under the
GIL.

>>> import asyncio
>>> from schemas.article import Article
>>> asyncio.run(BaselineBackend()(Article(id="a", text="Calm day."))).producer.kind
'baseline'
"""

from __future__ import annotations

from extraction.baseline import extract_baseline
from schemas.article import Article
from schemas.records import ArticleExtraction


class BaselineBackend:
    """The rule-based extractor; it holds nothing, so closing it does nothing."""

    async def __call__(self, article: Article) -> ArticleExtraction:
        return extract_baseline(article)

    async def aclose(self) -> None:
        return None
