"""The gold files of a set of articles: ``<folder>/<article_id>.json``, each checked on loading.

>>> from evals.dataset import load_eval_articles
>>> golds = load_gold_set(load_eval_articles())
>>> all(g.article_id == aid for aid, g in golds.items())
True
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from evals.gold import GoldError, GoldFile, load_gold
from schemas.article import Article

GOLD = "gold"


def default_gold_dir() -> Path:
    """The bundled gold folder (``evals/gold``)."""
    return Path(str(resources.files("evals") / GOLD))


def load_gold_set(
    articles: Sequence[Article], folder: str | Path | None = None, *, strict: bool = True
) -> dict[str, GoldFile]:
    """Gold files of ``articles`` found in ``folder`` (default: the bundled one), by article id.

    Articles without a gold file are left out. With ``strict``, a JSON file in the folder that
    belongs to none of the articles is an error naming it (a renamed or misplaced gold file)."""
    root = Path(folder) if folder is not None else default_gold_dir()
    if not root.exists():
        return {}
    if not root.is_dir():
        raise GoldError(f"{root}: not a folder of gold files")
    by_id = {a.id: a for a in articles}
    out: dict[str, GoldFile] = {}
    for path in sorted(root.glob("*.json")):
        article = by_id.get(path.stem)
        if article is None:
            if strict:
                raise GoldError(
                    f"{path}: no article with id {path.stem!r} (gold files are named "
                    "<article_id>.json)"
                )
            continue
        out[article.id] = load_gold(path, article)
    return out
