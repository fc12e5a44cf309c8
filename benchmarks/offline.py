"""Speed of the parts that need no endpoint: the offline baseline (articles a second) and the
scorer (documents a second), on the bundled eval articles and gold."""

from __future__ import annotations

import time
from typing import Any

from evals.dataset import load_eval_articles


def baseline(repeats: int = 20) -> dict[str, Any]:
    """The offline baseline over the eval articles, ``repeats`` times (after one warm-up pass)."""
    try:
        from extraction.baseline import extract_baseline
    except ImportError:
        return {"available": False, "reason": "extraction.baseline.extract_baseline not found"}
    arts = load_eval_articles()
    for a in arts:
        extract_baseline(a)
    start = time.perf_counter()
    events = 0
    for _ in range(repeats):
        for a in arts:
            events += len(extract_baseline(a).events)
    seconds = time.perf_counter() - start
    n = repeats * len(arts)
    chars = sum(len(a.text) for a in arts) * repeats
    return {
        "available": True,
        "articles": n,
        "seconds": round(seconds, 3),
        "articles_per_s": round(n / seconds, 1),
        "chars_per_s": round(chars / seconds),
        "events_per_article": round(events / n, 2),
    }


def scorer(repeats: int = 20) -> dict[str, Any]:
    """Per-document scoring (:func:`evals.document.score_document`) of predictions equal to the
    gold against the gold, and a whole :func:`evals.score.evaluate` (with its bootstrap)."""
    try:
        from evals.document import score_document
        from evals.goldset import load_gold_set
        from evals.score import evaluate
    except ImportError as exc:
        return {"available": False, "reason": f"evals scorer not importable ({exc})"}
    from schemas.records import ArticleExtraction, Producer

    arts = load_eval_articles()
    golds = load_gold_set(arts)
    by_id = {a.id: a for a in arts}
    preds = {
        aid: ArticleExtraction.from_records(aid, g.records, Producer(kind="human", name="gold"))
        for aid, g in golds.items()
    }
    for aid, gold in golds.items():
        score_document(gold, preds[aid], by_id[aid])
    start = time.perf_counter()
    for _ in range(repeats):
        for aid, gold in golds.items():
            score_document(gold, preds[aid], by_id[aid])
    seconds = time.perf_counter() - start
    docs = repeats * len(golds)
    start = time.perf_counter()
    evaluate(preds, golds, arts)
    whole = time.perf_counter() - start
    return {
        "available": True,
        "documents": docs,
        "seconds": round(seconds, 3),
        "documents_per_s": round(docs / seconds, 1),
        "evaluate_seconds_5_docs_with_bootstrap": round(whole, 3),
    }
