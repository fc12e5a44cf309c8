"""The bundled eval set: real articles kept verbatim, their metadata, and a hash of the whole set.

>>> arts = load_eval_articles()
>>> len(arts), arts[0].id, arts[0].outlet
(5, '000_fd8edfdbded601b1', 'UPI')
"""

from __future__ import annotations

import hashlib
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from schemas.article import Article
from schemas.input.folder import FolderListing
from schemas.input.metadata import FolderMetadata
from schemas.loaders import ArticleInputError, load_text_file

ARTICLES = "articles"
_OPTIONAL_FIELDS = ("author", "extracted_from")
"""Article fields that count in :func:`dataset_hash` only when set, so a set without them
hashes as it did before they existed."""


def articles_dir() -> Traversable:
    return resources.files("evals") / ARTICLES


def load_eval_articles() -> list[Article]:
    """The eval articles in id order: text from ``<id>.txt``, metadata from ``metadata.jsonl``
    (read as ``sitrep extract`` reads a folder's metadata: :mod:`schemas.input.metadata`)."""
    folder = Path(str(articles_dir()))
    out: list[Article] = []
    with FolderMetadata(folder) as metadata:
        for error in metadata.errors():
            raise error
        for name in FolderListing(folder).articles():
            article = load_text_file(folder / name, metadata=metadata)
            if metadata.get(article.id) is None:
                raise ArticleInputError(folder / name, f"has no line in {metadata.path}")
            out.append(article.model_copy(update={"source_file": f"evals/{ARTICLES}/{name}"}))
    return sorted(out, key=lambda a: a.id)


def dataset_hash(articles: list[Article]) -> str:
    """Hash over ids, texts and metadata: two runs on the same hash saw the same inputs."""
    h = hashlib.sha256()
    for a in sorted(articles, key=lambda a: a.id):
        unset = {f for f in _OPTIONAL_FIELDS if getattr(a, f) is None}
        h.update(a.model_dump_json(exclude={"source_file", *unset}).encode())
    return "sha256:" + h.hexdigest()[:16]
