"""The bundled eval set: real articles kept verbatim, their metadata, and a hash of the whole set.

>>> arts = load_eval_articles()
>>> len(arts), arts[0].id, arts[0].outlet
(5, '000_fd8edfdbded601b1', 'UPI')
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from importlib.abc import Traversable

from schemas.article import Article
from schemas.loaders import decode_text

ARTICLES = "articles"


def articles_dir() -> Traversable:
    return resources.files("evals") / ARTICLES


def load_eval_articles() -> list[Article]:
    """The eval articles in id order: text from ``<id>.txt``, metadata from ``metadata.jsonl``."""
    folder = articles_dir()
    meta_file = folder / "metadata.jsonl"
    out: list[Article] = []
    for lineno, line in enumerate(meta_file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        meta = json.loads(line)
        name = f"{meta['id']}.txt"
        text = decode_text((folder / name).read_bytes(), f"evals/{ARTICLES}/{name}")
        meta.setdefault("source_file", f"evals/{ARTICLES}/{name}")
        try:
            out.append(Article.model_validate({**meta, "text": text}))
        except ValueError as exc:
            raise ValueError(f"evals/{ARTICLES}/metadata.jsonl:{lineno}: {exc}") from exc
    return sorted(out, key=lambda a: a.id)


def dataset_hash(articles: list[Article]) -> str:
    """Hash over ids, texts and metadata: two runs on the same hash saw the same inputs."""
    h = hashlib.sha256()
    for a in sorted(articles, key=lambda a: a.id):
        h.update(a.model_dump_json(exclude={"source_file"}).encode())
    return "sha256:" + h.hexdigest()[:16]
