"""Score one article: align predicted events and statements with the gold, compare every field,
and measure how much of the prediction is grounded in the article text.

Rates (shares rather than precision and recall), all over the prediction:

- ``grounding.evidence``: evidence quotes found in the article (exact or fuzzy), re-aligned here
  rather than trusting the stored alignment; ``grounding.evidence_exact``: found verbatim;
- ``grounding.quotes``: statements given as quotes whose text is in the article;
- ``quote.speaker``: of the aligned statements whose quotes match (token F1 at least
  ``quote.match_f1``), those with the speaker right (see :func:`evals.specs.speaker_right`).

An article whose extraction failed, or has none, scores as all missed (recall 0).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evals.acceptable import record_variants
from evals.config import ScoringConfig, load_config
from evals.engine import Comparison, Node, Tally, Where, score_items
from evals.gold import GoldFile
from evals.metrics import FieldCounts, RateCounts
from evals.specs import EVENT, STATEMENT, speaker_right
from evals.tokens import token_f1
from extraction.batch.results import ErrorInfo
from schemas.article import Article
from schemas.event import AttackEvent
from schemas.evidence import Evidence
from schemas.grounding import AlignmentStatus, align
from schemas.records import ArticleExtraction
from schemas.statement import Statement
from schemas.vocab import TextType

DocStatus = Literal["scored", "error", "missing"]

RATE_NAMES = ("grounding.evidence", "grounding.evidence_exact", "grounding.quotes", "quote.speaker")

Prediction = ArticleExtraction | ErrorInfo
"""An article's extraction, or the failure record (:class:`~extraction.batch.results.ErrorInfo`)
of an article whose extraction failed: it scores as all missed."""


def describe_failure(error: ErrorInfo) -> str:
    """How a failed article's error reads in a report: ``<exception or kind>: <reason>``.

    >>> describe_failure(ErrorInfo(kind="timeout", reason="no answer", exception="RequestTimedOut"))
    'RequestTimedOut: no answer'
    """
    return f"{error.exception or error.kind}: {error.reason}"


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gold_id: str
    pred_id: str
    similarity: float


class DocAlignment(BaseModel):
    """Which predicted record was aligned with which gold one, and what was left over."""

    model_config = ConfigDict(extra="forbid")

    events: list[Pair] = Field(default_factory=list)
    statements: list[Pair] = Field(default_factory=list)
    missed_events: list[str] = Field(default_factory=list)
    invented_events: list[str] = Field(default_factory=list)
    missed_statements: list[str] = Field(default_factory=list)
    invented_statements: list[str] = Field(default_factory=list)


class DocScore(BaseModel):
    """Everything scored for one article."""

    model_config = ConfigDict(extra="forbid")

    article_id: str
    status: DocStatus
    error: str | None = None
    counts: dict[str, FieldCounts] = Field(default_factory=dict)
    rates: dict[str, RateCounts] = Field(default_factory=dict)
    alignment: DocAlignment = Field(default_factory=DocAlignment)
    details: list[Comparison] = Field(default_factory=list)
    confusion: dict[str, list[tuple[str, str]]] = Field(default_factory=dict)


def gold_nodes(gold: GoldFile) -> tuple[list[Node[AttackEvent]], list[Node[Statement]]]:
    """The gold records as nodes carrying their acceptable variants."""
    variants = record_variants(gold.records, gold.acceptable)

    def node(section: str, record: Any) -> Node[Any]:
        vs = tuple((key, v) for key, v in variants.get(f"{section}.{record.id}", []))
        return Node(record, record.id, vs)

    return (
        [node("events", e) for e in gold.records.events],
        [node("statements", s) for s in gold.records.statements],
    )


def _operation_pairs(events: list[AttackEvent], rename: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = {}
    for e in events:
        if e.operation_id:
            groups.setdefault(e.operation_id, []).append(rename.get(e.id, f"~{e.id}"))
    pairs: set[tuple[str, str]] = set()
    for ids in groups.values():
        pairs.update((a, b) if a < b else (b, a) for a, b in combinations(ids, 2))
    return pairs


def _evidence(obj: Any) -> Iterator[Evidence]:
    if isinstance(obj, Evidence):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _evidence(getattr(obj, name))
    elif isinstance(obj, list):
        for item in obj:
            yield from _evidence(item)


def grounding_rates(prediction: ArticleExtraction, article: Article) -> dict[str, RateCounts]:
    """Evidence and quotes of a prediction found in the article text."""
    found = exact = total = 0
    for ev in _evidence([*prediction.events, *prediction.statements]):
        status = align(ev.quote, article.text, hint=ev.start).status
        total += 1
        found += status is not AlignmentStatus.NOT_FOUND
        exact += status is AlignmentStatus.EXACT
    quotes = [s for s in prediction.statements if s.text_type is TextType.QUOTE]
    quotes_found = sum(
        align(s.text, article.text).status is not AlignmentStatus.NOT_FOUND for s in quotes
    )
    return {
        "grounding.evidence": RateCounts(hits=found, total=total),
        "grounding.evidence_exact": RateCounts(hits=exact, total=total),
        "grounding.quotes": RateCounts(hits=quotes_found, total=len(quotes)),
    }


def score_document(
    gold: GoldFile,
    prediction: Prediction | None,
    article: Article | None = None,
    config: ScoringConfig | None = None,
    unscored: frozenset[str] = frozenset(),
) -> DocScore:
    """Score one article's prediction against its gold. ``article`` (the text) is needed for the
    grounding rates; without it they are left out. ``unscored`` names fields the gold does not
    label (``event.standing``; ``statement`` for a gold set without statements): they are
    neither counted nor compared, and a whole record kind named there is not aligned."""
    cfg = config or load_config()
    status: DocStatus = "scored"
    error: str | None = None
    if isinstance(prediction, ErrorInfo):
        status, error, extraction = "error", describe_failure(prediction), None
    elif prediction is None:
        status, error, extraction = "missing", "no prediction for this article", None
    else:
        extraction = prediction
    events = extraction.events if extraction else []
    statements = extraction.statements if extraction else []

    tally = Tally()
    where = Where(cfg, unscored=unscored)
    e_nodes, s_nodes = gold_nodes(gold)
    if "event" in unscored:
        e_nodes, events = [], []
    if "statement" in unscored:
        s_nodes, statements = [], []
    e_matches = score_items(
        "event",
        EVENT,
        e_nodes,
        events,
        where,
        tally,
        cfg.event.min_similarity,
        pair=False,
        records=True,
    )
    rename = {events[j].id: node.label for node, j, _ in e_matches}
    if "event" in unscored:
        tally.counts.pop("event", None)
    tally.counts["event.ceaf"] = FieldCounts(
        credit=sum(sim for *_, sim in e_matches), n_gold=len(e_nodes), n_pred=len(events)
    )
    gold_ops = _operation_pairs(gold.records.events, {e.id: e.id for e in gold.records.events})
    pred_ops = _operation_pairs(events, rename)
    if "event.operation" not in unscored:
        tally.counts["event.operation"] = FieldCounts(
            credit=len(gold_ops & pred_ops), n_gold=len(gold_ops), n_pred=len(pred_ops)
        )

    mapped = [
        s.model_copy(update={"about_events": [rename.get(i, f"~{i}") for i in s.about_events]})
        for s in statements
    ]
    s_matches = score_items(
        "statement",
        STATEMENT,
        s_nodes,
        mapped,
        where,
        tally,
        cfg.statement.min_similarity,
        pair=False,
        records=True,
    )
    tally.counts["statement.ceaf"] = FieldCounts(
        credit=sum(sim for *_, sim in s_matches), n_gold=len(s_nodes), n_pred=len(statements)
    )
    if "statement" in unscored:
        tally.counts.pop("statement", None)

    rates: dict[str, RateCounts] = {}
    if extraction is not None and article is not None:
        rates.update(grounding_rates(extraction, article))
    speaker = RateCounts()
    for node, j, _ in s_matches:
        g, p = node.value, mapped[j]
        both_quotes = g.text_type is TextType.QUOTE and p.text_type is TextType.QUOTE
        if both_quotes and token_f1(g.text, p.text) >= cfg.quote.match_f1:
            speaker.total += 1
            speaker.hits += speaker_right(g, p)
    rates["quote.speaker"] = speaker

    matched_e = {node.label for node, _, _ in e_matches}
    matched_pe = {events[j].id for _, j, _ in e_matches}
    matched_s = {node.label for node, _, _ in s_matches}
    matched_ps = {statements[j].id for _, j, _ in s_matches}
    alignment = DocAlignment(
        events=[
            Pair(gold_id=n.label, pred_id=events[j].id, similarity=round(s, 6))
            for n, j, s in e_matches
        ],
        statements=[
            Pair(gold_id=n.label, pred_id=statements[j].id, similarity=round(s, 6))
            for n, j, s in s_matches
        ],
        missed_events=[n.label for n in e_nodes if n.label not in matched_e],
        invented_events=[e.id for e in events if e.id not in matched_pe],
        missed_statements=[n.label for n in s_nodes if n.label not in matched_s],
        invented_statements=[s.id for s in statements if s.id not in matched_ps],
    )
    return DocScore(
        article_id=gold.article_id,
        status=status,
        error=error,
        counts=tally.counts,
        rates=rates,
        alignment=alignment,
        details=tally.details,
        confusion=tally.confusion,
    )
