"""Agreement between two labellers over the same articles, with the eval harness's own alignment.

Labeller A's reviewed gold is the reference and labeller B's gold is scored against it by
:func:`evals.document.score_document` (the same alignment and comparators as model scoring, with
A's acceptable alternatives set aside, so agreement is strict):

- event and statement F1 between them (F1 does not depend on which labeller is the reference);
- per field, F1 over the aligned records, and for categorical fields (sub-type, outcome,
  standing, statement kind, ...) Cohen's kappa and Krippendorff's alpha over the aligned pairs
  (:mod:`labelling.reliability`); a field of a record only one labeller has is not a pair;
- every disagreement, to adjudicate: ``only_a``, ``only_b``, ``differ`` or ``partial``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evals.gold import GoldError, GoldFile
from evals.metrics import FieldCounts
from labelling.reliability import cohen_kappa, krippendorff_alpha, observed_agreement
from labelling.store import LabellingFolder
from schemas.loaders import ArticleInputError
from schemas.records import ArticleExtraction, Producer

NO_RECORD = "(no match)"
OUTCOME_NAMES = {"missed": "only_a", "invented": "only_b", "wrong": "differ", "partial": "partial"}


class AgreementInputError(ValueError):
    """The folders cannot be compared (missing, no gold in common)."""


@dataclass(slots=True)
class FieldAgreement:
    field: str
    counts: FieldCounts
    pairs: int = 0  # aligned pairs with a label from both (categorical fields)
    observed: float | None = None
    kappa: float | None = None
    alpha: float | None = None
    categorical: bool = False

    def as_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "field": self.field,
            "a_values": self.counts.n_gold,
            "b_values": self.counts.n_pred,
            "credit": round(self.counts.credit, 4),
            "both_null": self.counts.both_null,
            "f1": r(self.counts.f1),
            "categorical": self.categorical,
            "pairs": self.pairs,
            "observed": r(self.observed),
            "kappa": r(self.kappa),
            "alpha": r(self.alpha),
        }


@dataclass(frozen=True, slots=True)
class Disagreement:
    article_id: str
    field: str
    outcome: str
    a_record: str | None
    b_record: str | None
    a_item: str | None
    b_item: str | None
    a: str | None
    b: str | None


@dataclass(slots=True)
class AgreementReport:
    dir_a: str
    dir_b: str
    labellers_a: list[str]
    labellers_b: list[str]
    articles: list[str]
    only_in_a: list[str]
    only_in_b: list[str]
    skipped: dict[str, str]
    events: FieldCounts
    statements: FieldCounts
    fields: list[FieldAgreement]
    disagreements: list[Disagreement] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dir_a": self.dir_a,
            "dir_b": self.dir_b,
            "labellers_a": self.labellers_a,
            "labellers_b": self.labellers_b,
            "articles": self.articles,
            "only_in_a": self.only_in_a,
            "only_in_b": self.only_in_b,
            "skipped": self.skipped,
            "events": {
                "f1": self.events.f1,
                "matched": self.events.credit,
                "a": self.events.n_gold,
                "b": self.events.n_pred,
            },
            "statements": {
                "f1": self.statements.f1,
                "matched": self.statements.credit,
                "a": self.statements.n_gold,
                "b": self.statements.n_pred,
            },
            "fields": [f.as_dict() for f in self.fields],
            "disagreements": [asdict(d) for d in self.disagreements],
        }


def _reviewed(folder: LabellingFolder, label: str) -> dict[str, GoldFile | str]:
    out: dict[str, GoldFile | str] = {}
    for article_id in folder.article_ids():
        if not folder.gold_path(article_id).is_file():
            continue
        try:
            gold = folder.gold(article_id)
        except (GoldError, ArticleInputError) as exc:
            out[article_id] = f"{label}: {exc}"
            continue
        if gold is not None and gold.provenance.status == "reviewed":
            out[article_id] = gold
    return out


def _eval_set_golds(where: Path, label: str) -> dict[str, GoldFile | str]:
    """Gold files lying loose in a folder (``evals/gold``), for articles of the bundled eval set."""
    from evals.dataset import load_eval_articles
    from evals.gold import load_gold

    articles = {a.id: a for a in load_eval_articles()}
    out: dict[str, GoldFile | str] = {}
    for path in sorted(where.glob("*.json")):
        article = articles.get(path.stem)
        if article is None:
            out[path.stem] = f"{label}: {path}: no eval article with id {path.stem!r}"
            continue
        try:
            gold = load_gold(path, article)
        except GoldError as exc:
            out[path.stem] = f"{label}: {exc}"
            continue
        if gold.provenance.status == "reviewed":
            out[path.stem] = gold
    return out


def _golds_in(where: Path, label: str) -> dict[str, GoldFile | str]:
    """Reviewed gold of a labelling folder (``DIR/gold/``), or of a folder of gold files for the
    bundled eval articles (``evals/gold``, ``evals/gold_second``)."""
    if (where / "gold").is_dir():
        return _reviewed(LabellingFolder(where), label)
    if where.is_dir() and any(where.glob("*.json")):
        return _eval_set_golds(where, label)
    raise AgreementInputError(
        f"{where}: neither a labelling folder (with gold/) nor a folder of gold .json files"
    )


def _field_order() -> list[str]:
    from evals.specs import EVENT, STATEMENT, field_names

    return [
        "event",
        *field_names("event", EVENT),
        "statement",
        *field_names("statement", STATEMENT),
    ]


def agreement(dir_a: str | Path, dir_b: str | Path) -> AgreementReport:
    """Compare the reviewed gold of two labelling folders over the articles both have labelled."""
    from evals.config import load_config
    from evals.document import score_document

    a_golds = _golds_in(Path(dir_a), "A")
    b_golds = _golds_in(Path(dir_b), "B")
    common = sorted(set(a_golds) & set(b_golds))
    skipped: dict[str, str] = {}
    config = load_config()
    counts: dict[str, FieldCounts] = {}
    confusion: dict[str, list[tuple[str, str]]] = {}
    disagreements: list[Disagreement] = []
    compared: list[str] = []
    labellers_a: set[str] = set()
    labellers_b: set[str] = set()
    for article_id in common:
        ga, gb = a_golds[article_id], b_golds[article_id]
        if isinstance(ga, str) or isinstance(gb, str):
            skipped[article_id] = ga if isinstance(ga, str) else str(gb)
            continue
        if ga.article_sha256 != gb.article_sha256:
            skipped[article_id] = "the two labellers labelled different texts (article_sha256)"
            continue
        compared.append(article_id)
        labellers_a.add(ga.provenance.labeller)
        labellers_b.add(gb.provenance.labeller)
        reference = ga.model_copy(update={"acceptable": {}})
        other = ArticleExtraction(
            article_id=article_id,
            events=gb.records.events,
            statements=gb.records.statements,
            producer=Producer(kind="human", name=gb.provenance.labeller),
        )
        doc = score_document(reference, other, None, config)
        for name, c in doc.counts.items():
            counts[name] = counts.get(name, FieldCounts()) + c
        for name, pairs in doc.confusion.items():
            confusion.setdefault(name, []).extend(pairs)
        for d in doc.details:
            if d.outcome == "right":
                continue
            disagreements.append(
                Disagreement(
                    article_id=article_id,
                    field=d.field,
                    outcome=OUTCOME_NAMES.get(d.outcome, d.outcome),
                    a_record=d.gold_id,
                    b_record=d.pred_id,
                    a_item=d.gold_item,
                    b_item=d.pred_item,
                    a=d.gold,
                    b=d.pred,
                )
            )
    for article_id in common:
        if article_id not in compared and article_id not in skipped:
            skipped[article_id] = "not compared"
    if not compared:
        raise AgreementInputError(
            f"no article has reviewed gold in both {dir_a} and {dir_b}"
            + (f" (skipped: {skipped})" if skipped else "")
        )
    order = _field_order()
    names = [n for n in order if n in counts] + sorted(n for n in counts if n not in order)
    fields: list[FieldAgreement] = []
    for name in names:
        row = FieldAgreement(name, counts[name])
        if name in confusion:
            pairs = [(x, y) for x, y in confusion[name] if NO_RECORD not in (x, y)]
            a_labels = [x for x, _ in pairs]
            b_labels = [y for _, y in pairs]
            row.categorical = True
            row.pairs = len(pairs)
            row.observed = observed_agreement(a_labels, b_labels)
            row.kappa = cohen_kappa(a_labels, b_labels)
            row.alpha = krippendorff_alpha(a_labels, b_labels)
        fields.append(row)
    return AgreementReport(
        dir_a=str(dir_a),
        dir_b=str(dir_b),
        labellers_a=sorted(labellers_a),
        labellers_b=sorted(labellers_b),
        articles=compared,
        only_in_a=sorted(set(a_golds) - set(b_golds)),
        only_in_b=sorted(set(b_golds) - set(a_golds)),
        skipped=skipped,
        events=counts.get("event", FieldCounts()),
        statements=counts.get("statement", FieldCounts()),
        fields=fields,
        disagreements=disagreements,
    )
