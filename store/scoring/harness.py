"""Merge a set of records through the event store and score the incidents against gold
clusters: pairwise and B-cubed P/R/F1 over the records, and the fatality error per gold incident
(the store's most conservative killed figure against the figure labelled by reading)."""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from extraction.batch.results import ResultRecord
from schemas.event import AttackEvent
from schemas.records import ArticleExtraction, Producer
from store.api import EventStore
from store.rules import MergeRules, load_rules
from store.scoring.coref import PRF, bcubed, pairwise
from store.scoring.gold import GoldClusters, Item


@dataclass(frozen=True, slots=True)
class MergeScore:
    records: int
    gold_incidents: int
    predicted_incidents: int
    gold_pairs: int
    pairwise: PRF
    bcubed: PRF
    fatality_incidents: int
    fatality_mae: float | None
    fatality_exact: int
    unmatched_predictions: int = 0


SECOND_RUN = "run2:"
"""Prefix of the refs of a second run's records of the same articles: ``run2:A/E1`` is the
second run's record of gold record ``A/E1`` (the same incident)."""


def merge_items(
    items: list[Item], rules: MergeRules | None = None
) -> tuple[dict[str, str], dict[str, int | None]]:
    """Add ``items`` to a fresh store (refs starting with :data:`SECOND_RUN` as a second run);
    returns record ref -> incident id, and each incident's fatalities. Records out of the rules'
    scope (threatened) are left out."""
    by_article: dict[tuple[str, str], list[AttackEvent]] = defaultdict(list)
    refs: dict[tuple[str, str, str], str] = {}
    for ref, article, event in items:
        run = "second" if ref.startswith(SECOND_RUN) else "first"
        group = by_article[(run, article)]
        renamed = event.model_copy(update={"id": f"E{len(group) + 1}"})
        group.append(renamed)
        refs[(run, article, renamed.id)] = ref
    producer = Producer(kind="human", name="scoring")
    records = [
        ResultRecord(
            key=article,
            article_id=article,
            run_key=run,
            status="ok",
            extraction=ArticleExtraction(article_id=article, events=events, producer=producer),
        )
        for (run, article), events in by_article.items()
    ]
    with (
        tempfile.TemporaryDirectory() as tmp,
        EventStore(Path(tmp) / "score.sqlite", rules=rules or load_rules()) as store,
    ):
        store.add_records(records)
        assignment: dict[str, str] = {}
        for run, article, event_id, incident in store.con.execute(
            "SELECT run_key, article_id, event_id, incident_id FROM reports"
        ):
            assignment[refs[(run, article, event_id)]] = incident
        fatalities = {
            row[0]: row[1] for row in store.con.execute("SELECT id, fatalities FROM incidents")
        }
    return assignment, fatalities


def score(
    assignment: dict[str, str],
    fatalities: dict[str, int | None],
    clusters: GoldClusters,
    *,
    unmatched_predictions: int = 0,
) -> MergeScore:
    """Score ``assignment`` (record ref -> predicted incident) against the gold clusters."""
    gold_of = {m: c.id for c in clusters.clusters for m in c.members}
    gold = {}
    for ref in assignment:
        base = ref.removeprefix(SECOND_RUN)
        gold[ref] = gold_of.get(base, base)
    errors: list[int] = []
    targets = [(c.members, c.fatalities) for c in clusters.clusters if c.fatalities is not None]
    targets += [([ref], n) for ref, n in clusters.fatalities.items()]
    for members, expected in targets:
        present = [assignment[m] for m in members if m in assignment]
        present += [assignment[SECOND_RUN + m] for m in members if SECOND_RUN + m in assignment]
        if not present or expected is None:
            continue
        incident = Counter(present).most_common(1)[0][0]
        errors.append(abs((fatalities.get(incident) or 0) - expected))
    gold_pairs = sum(len(ms) * (len(ms) - 1) // 2 for ms in _groups(gold).values())
    return MergeScore(
        records=len(assignment),
        gold_incidents=len(set(gold.values())),
        predicted_incidents=len(set(assignment.values())),
        gold_pairs=gold_pairs,
        pairwise=pairwise(gold, assignment),
        bcubed=bcubed(gold, assignment),
        fatality_incidents=len(errors),
        fatality_mae=sum(errors) / len(errors) if errors else None,
        fatality_exact=sum(1 for e in errors if e == 0),
        unmatched_predictions=unmatched_predictions,
    )


def _groups(labels: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for item, label in labels.items():
        out[label].append(item)
    return out
