"""An extractor's records scored for merging: each predicted event is matched to a gold event of
its article (the eval suite's one-to-one alignment, ``evals.align``), takes that event's place in
the gold clusters, and unmatched predictions are merged too but not scored (they are counted)."""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from pathlib import Path

from evals.align import align_items
from evals.config import load_config
from evals.specs import event_gate, event_similarity
from extraction.batch.results import read_records
from schemas.event import AttackEvent
from store.scoring.gold import Item

UNMATCHED = "unmatched:"


def predicted_items(results: Path, gold: list[Item]) -> tuple[list[Item], int]:
    """Items of the predicted events of ``results``, named by the gold record each is aligned
    with (``unmatched:ARTICLE/EVENT`` when none), and how many are unmatched."""
    config = load_config()
    gold_by_article: dict[str, list[tuple[str, AttackEvent]]] = defaultdict(list)
    for ref, article, event in gold:
        gold_by_article[article].append((ref, event))
    items: list[Item] = []
    unmatched = 0
    for record in read_records(results):
        if record.status != "ok" or record.extraction is None:
            continue
        article = record.article_id or record.key
        golds = gold_by_article.get(article, [])
        preds = record.extraction.events
        matches = align_items(
            [g for _, g in golds],
            preds,
            partial(event_gate, c=config),
            partial(event_similarity, c=config),
            config.event.min_similarity,
        )
        named = {m.pred: golds[m.gold][0] for m in matches}
        for j, event in enumerate(preds):
            if j not in named:
                unmatched += 1
            items.append((named.get(j, f"{UNMATCHED}{article}/{event.id}"), article, event))
    return items, unmatched
