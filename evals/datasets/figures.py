"""The figures a public data set is compared on, beside the harness's per-field table.

Each is precision, recall and F1 from per-document counts (credit, gold, predicted), with a
bootstrap interval over documents like the harness's (same resamples and seed):

- ``attack_events_found``: gold events the article reports (standing ``reported``: MUC-4's
  ACCOMPLISHED and ATTEMPTED templates) aligned with a predicted event that is not a threat;
- ``killed_right`` / ``injured_right``: gold events with a killed (injured) figure whose aligned
  prediction has a figure of that kind inside the gold's range; predicted: events with such a
  figure;
- ``ree.<Role>`` and ``ree``: role-filler entities (:mod:`evals.datasets.ree`), MUC-4 only;
- ``quotes_with_speaker``: gold direct quotes and predicted quotes aligned one-to-one by their
  words (maximum token F1; a pair needs at least ``quote.match_f1``), counting the pairs whose
  predicted speaker or organisation names the gold's source; ``quotes_found``: all the pairs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy.optimize import linear_sum_assignment

from evals.bootstrap import (
    f1_samples,
    interval,
    precision_samples,
    recall_samples,
    resample_indices,
)
from evals.compare import count_credit
from evals.config import ScoringConfig, load_config
from evals.datasets.ree import ROLES, predicted_entities, ree_counts
from evals.document import DocScore
from evals.gold import GoldFile
from evals.metrics import FieldCounts, Interval
from evals.names import names_match, normalise_name
from evals.tokens import token_f1
from schemas.event import AttackEvent
from schemas.records import ArticleExtraction
from schemas.statement import Statement
from schemas.storage import write_atomic
from schemas.vocab import CasualtyKind, Standing, TextType

FIGURES_FILE = "dataset_scores.json"


class FigureRow(BaseModel):
    """One figure: counts, precision, recall and F1, each with its bootstrap interval."""

    model_config = ConfigDict(extra="forbid")

    name: str
    credit: float
    n_gold: int
    n_pred: int
    precision: float | None
    recall: float | None
    f1: float | None
    precision_ci: Interval | None = None
    recall_ci: Interval | None = None
    f1_ci: Interval | None = None


class DatasetFigures(BaseModel):
    """The data set's own figures for one run (``dataset_scores.json`` in the run directory)."""

    model_config = ConfigDict(extra="forbid")

    dataset: str
    producer: str
    n_docs: int
    rows: list[FigureRow]

    def gate_values(self) -> dict[str, float | None]:
        """Every figure by its gate key: ``dataset.ree.f1``, ``dataset.ree.p``, ..."""
        out: dict[str, float | None] = {}
        for r in self.rows:
            for short, value in (("p", r.precision), ("r", r.recall), ("f1", r.f1)):
                out[f"dataset.{r.name}.{short}"] = value
            out[f"dataset.{r.name}.precision"] = r.precision
            out[f"dataset.{r.name}.recall"] = r.recall
        return out

    def row(self, name: str) -> FigureRow:
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(f"no figure {name!r}; figures: {', '.join(r.name for r in self.rows)}")


PerDoc = dict[str, FieldCounts]


def _add(doc: PerDoc, name: str, credit: float, n_gold: int, n_pred: int) -> None:
    doc[name] = doc.get(name, FieldCounts()) + FieldCounts(
        credit=credit, n_gold=n_gold, n_pred=n_pred
    )


def _has(event: AttackEvent, kind: CasualtyKind) -> bool:
    return any(f.kind is kind for f in event.casualties)


def _figure_right(gold: AttackEvent, pred: AttackEvent, kind: CasualtyKind, cfg: Any) -> bool:
    golds = [f for f in gold.casualties if f.kind is kind]
    preds = [f for f in pred.casualties if f.kind is kind]
    return any(count_credit(g, p, cfg) >= 1.0 for g in golds for p in preds)


def event_counts(
    gold: GoldFile, pred: ArticleExtraction | None, score: DocScore, cfg: ScoringConfig
) -> PerDoc:
    out: PerDoc = {}
    g_by = {e.id: e for e in gold.records.events}
    p_by = {e.id: e for e in pred.events} if pred else {}
    pairs = [(g_by[p.gold_id], p_by[p.pred_id]) for p in score.alignment.events]
    reported = [e for e in g_by.values() if e.standing is Standing.REPORTED]
    not_threats = [e for e in p_by.values() if e.standing is not Standing.THREATENED]
    found = sum(
        g.standing is Standing.REPORTED and p.standing is not Standing.THREATENED for g, p in pairs
    )
    _add(out, "attack_events_found", found, len(reported), len(not_threats))
    for kind, name in (
        (CasualtyKind.KILLED, "killed_right"),
        (CasualtyKind.INJURED, "injured_right"),
    ):
        right = sum(_has(g, kind) and _figure_right(g, p, kind, cfg) for g, p in pairs)
        n_gold = sum(_has(e, kind) for e in g_by.values())
        n_pred = sum(_has(e, kind) for e in p_by.values())
        _add(out, name, right, n_gold, n_pred)
    return out


_HEAD_END = re.compile(r",|\(|\s[—–-]\s|\s(?:of|from|at|who|with|in|for)\s")


def source_head(source: str) -> str:
    """The head of a source phrase: its words up to the first comma, bracket, dash or
    post-modifying preposition or relative pronoun.

    >>> source_head("Marcus Hale of the Institute for Regional Studies")
    'Marcus Hale'
    >>> source_head("Varga, now a law lecturer")
    'Varga'
    """
    return _HEAD_END.split(source, maxsplit=1)[0].strip()


def _names_person(source: str, name: str) -> bool:
    head = source_head(source)
    if names_match(source, name, "person") or names_match(head, name, "person"):
        return True
    last = head.split()[-1] if head.split() else ""
    return last[:1].isupper() and normalise_name(last) == normalise_name(name.split()[-1])


def speaker_named(source: str | None, other_names: Sequence[str], pred: Statement) -> bool:
    """Whether a predicted statement names the gold source: its speaker is the person the source
    phrase heads (whole name, or the surname ending the head: "a smiling Okafor"), or its
    organisation is the body the head names (its words in order: "The Herald" and "Northern
    Herald"); ``other_names`` (a pronoun source's coreferent names) count as the source."""
    forms = [s for s in (source, *other_names) if s]
    for form in forms:
        if pred.speaker and _names_person(form, pred.speaker):
            return True
        if pred.organisation and names_match(source_head(form), pred.organisation, "phrase"):
            return True
    return False


def quote_counts(
    gold: GoldFile,
    pred: ArticleExtraction | None,
    cfg: ScoringConfig,
    other_names: Mapping[str, list[str]] | None = None,
) -> PerDoc:
    """Gold and predicted quotes aligned one-to-one by their words (token F1, at least
    ``quote.match_f1``), whatever the rest of the statement says."""
    out: PerDoc = {}
    golds = [s for s in gold.records.statements if s.text_type is TextType.QUOTE]
    preds = [s for s in pred.statements if s.text_type is TextType.QUOTE] if pred else []
    found = right = 0
    if golds and preds:
        f1 = np.array([[token_f1(g.text, p.text) for p in preds] for g in golds])
        for i, j in zip(*linear_sum_assignment(-f1), strict=True):
            if f1[i, j] >= cfg.quote.match_f1:
                found += 1
                names = (other_names or {}).get(golds[i].id, [])
                right += speaker_named(golds[i].speaker, names, preds[j])
    n_gold, n_pred = len(golds), len(preds)
    _add(out, "quotes_found", found, n_gold, n_pred)
    _add(out, "quotes_with_speaker", right, n_gold, n_pred)
    return out


def ree_doc_counts(gold_entities: Mapping[str, Any], pred: ArticleExtraction | None) -> PerDoc:
    out: PerDoc = {}
    for role, (credit, n_gold, n_pred) in ree_counts(
        gold_entities, predicted_entities(pred)
    ).items():
        _add(out, f"ree.{role}", credit, n_gold, n_pred)
        _add(out, "ree", credit, n_gold, n_pred)
    return out


def figure_names(with_events: bool, with_ree: bool, with_quotes: bool) -> list[str]:
    names = []
    if with_events:
        names += ["attack_events_found", "killed_right", "injured_right"]
    if with_ree:
        names += ["ree", *(f"ree.{r}" for r in ROLES)]
    if with_quotes:
        names += ["quotes_with_speaker", "quotes_found"]
    return names


def dataset_figures(
    dataset: str,
    producer: str,
    docs: Sequence[DocScore],
    golds: Mapping[str, GoldFile],
    predictions: Mapping[str, ArticleExtraction],
    role_fillers: Mapping[str, Mapping[str, Any]] | None = None,
    speaker_names: Mapping[str, Mapping[str, list[str]]] | None = None,
    *,
    config: ScoringConfig | None = None,
    resamples: int | None = None,
    seed: int | None = None,
) -> DatasetFigures:
    """The figures of one scored run (see the module docstring). ``role_fillers`` holds the REE
    gold entities by article id (MUC-4; without them the REE rows are left out);
    ``speaker_names`` other names of a gold statement's source, by article and statement id."""
    role_fillers = role_fillers or {}
    speaker_names = speaker_names or {}
    cfg = config or load_config()
    with_events = any(g.records.events for g in golds.values())
    with_quotes = any(g.records.statements for g in golds.values())
    names = figure_names(with_events, bool(role_fillers), with_quotes)
    per_doc: list[PerDoc] = []
    for score in docs:
        gold, pred = golds[score.article_id], predictions.get(score.article_id)
        counts: PerDoc = {}
        if with_events:
            counts.update(event_counts(gold, pred, score, cfg))
        if role_fillers:
            counts.update(ree_doc_counts(role_fillers.get(score.article_id, {}), pred))
        if with_quotes:
            others = speaker_names.get(score.article_id, {})
            counts.update(quote_counts(gold, pred, cfg, others))
        per_doc.append(counts)
    b = cfg.bootstrap
    idx = resample_indices(
        len(per_doc),
        resamples if resamples is not None else b.resamples,
        seed if seed is not None else b.seed,
    )
    rows = []
    for name in names:
        counts_of = [d.get(name, FieldCounts()) for d in per_doc]
        total = sum(counts_of, FieldCounts())
        m = np.array([[c.credit, c.n_gold, c.n_pred] for c in counts_of], dtype=float)
        m = m.reshape(-1, 3)
        rows.append(
            FigureRow(
                name=name,
                credit=round(total.credit, 6),
                n_gold=total.n_gold,
                n_pred=total.n_pred,
                precision=total.precision,
                recall=total.recall,
                f1=total.f1,
                precision_ci=interval(precision_samples(m, idx), b.confidence),
                recall_ci=interval(recall_samples(m, idx), b.confidence),
                f1_ci=interval(f1_samples(m, idx), b.confidence),
            )
        )
    return DatasetFigures(dataset=dataset, producer=producer, n_docs=len(docs), rows=rows)


def write_figures(run_dir: Path, figures: DatasetFigures) -> Path:
    path = run_dir / FIGURES_FILE
    write_atomic(path, figures.model_dump_json(indent=2) + "\n")
    return path
