"""The synthetic held-out and development sets are valid labelling folders: every gold file loads
against its article (schemas, spans, hash), and every article says in its metadata that it is
synthetic."""

from __future__ import annotations

from pathlib import Path

from evals.goldset import load_gold_set
from schemas.article import Article
from schemas.loaders import iter_paths

FOLDER = Path(__file__).parent / "fixtures" / "heldout_synthetic"


def test_heldout_gold_loads_and_articles_are_marked_synthetic() -> None:
    items = list(iter_paths([FOLDER / "articles"]))
    articles = [a for a in items if isinstance(a, Article)]
    assert len(articles) == len(items) == 8, [str(i) for i in items if i not in articles]
    for a in articles:
        assert a.outlet is not None and "synthetic" in a.outlet
    golds = load_gold_set(articles, FOLDER / "gold")
    assert sorted(golds) == [f"synth-0{i}" for i in range(1, 9)]
    assert all(g.provenance.status == "reviewed" for g in golds.values())
    assert sum(len(g.records.events) for g in golds.values()) == 20


def test_dev_gold_loads_and_articles_are_marked_synthetic() -> None:
    folder = FOLDER.parent / "dev_synthetic"
    items = list(iter_paths([folder / "articles"]))
    articles = [a for a in items if isinstance(a, Article)]
    assert len(articles) == len(items) == 10
    assert all(a.outlet is not None and "synthetic" in a.outlet for a in articles)
    golds = load_gold_set(articles, folder / "gold")
    assert sorted(golds) == [f"dev-{i:02d}" for i in range(1, 11)]
    assert sum(len(g.records.events) for g in golds.values()) == 23
