"""A self-contained HTML report of a run: the tables, then each article with every gold value beside
the predicted one and every mismatch highlighted. All text is escaped (autoescaping templates):
article text and model output are data, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined

from evals.document import DocScore
from evals.engine import Comparison
from evals.formatting import fmt, fmt_ci, fmt_count
from evals.gold import GoldFile
from evals.runs import PredictionLine, RunInfo
from evals.score import EvalResult
from schemas.article import Article

TEMPLATE = "report.html.j2"
CONFUSION_FIELDS = ("event.sub_type", "event.event_type", "statement.kind")


@dataclass
class RecordView:
    outcome: str
    gold_id: str | None
    pred_id: str | None
    similarity: float | None
    rows: list[Comparison]


@dataclass
class SectionView:
    title: str
    records: list[RecordView] = field(default_factory=list)


@dataclass
class ArticleView:
    article_id: str
    title: str | None
    status: str
    error: str | None
    event_f1: float | None
    statement_f1: float | None
    n_mismatches: int
    sections: list[SectionView]
    gold_json: str
    pred_json: str
    text: str


@dataclass
class ConfusionRow:
    label: str
    counts: list[int]


@dataclass
class ConfusionView:
    cols: list[str]
    rows: list[ConfusionRow]


def _section(doc: DocScore, prefix: str, title: str) -> SectionView:
    rows = [c for c in doc.details if c.field == prefix or c.field.startswith(prefix + ".")]
    pairs = doc.alignment.events if prefix == "event" else doc.alignment.statements
    missed = doc.alignment.missed_events if prefix == "event" else doc.alignment.missed_statements
    invented = (
        doc.alignment.invented_events if prefix == "event" else doc.alignment.invented_statements
    )
    view = SectionView(title)
    for p in pairs:
        mine = [c for c in rows if c.gold_id == p.gold_id and c.pred_id == p.pred_id]
        view.records.append(RecordView("matched", p.gold_id, p.pred_id, p.similarity, mine))
    for gid in missed:
        mine = [c for c in rows if c.gold_id == gid and c.pred_id is None]
        view.records.append(RecordView("missed", gid, None, None, mine))
    for pid in invented:
        mine = [c for c in rows if c.pred_id == pid and c.gold_id is None]
        view.records.append(RecordView("invented", None, pid, None, mine))
    return view


def _confusion(result: EvalResult) -> list[tuple[str, ConfusionView]]:
    out: list[tuple[str, ConfusionView]] = []
    for name in CONFUSION_FIELDS:
        table = result.confusion.get(name)
        if not table:
            continue
        cols = sorted({p for row in table.values() for p in row})
        rows = [ConfusionRow(g, [table[g].get(c, 0) for c in cols]) for g in sorted(table)]
        out.append((name, ConfusionView(cols, rows)))
    return out


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("evals", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(fmt=fmt, fmt_ci=fmt_ci, fmt_count=fmt_count)
    return env


def render_html(
    info: RunInfo,
    result: EvalResult,
    lines: Sequence[PredictionLine],
    golds: Mapping[str, GoldFile],
    articles: Mapping[str, Article],
) -> str:
    """The report page of a run (one string, no external resources)."""
    by_line = {line.article_id: line for line in lines}
    views: list[ArticleView] = []
    for doc in result.docs:
        line = by_line.get(doc.article_id)
        gold = golds.get(doc.article_id)
        article = articles.get(doc.article_id)
        if line is not None and line.extraction is not None:
            pred_json = line.extraction.records.model_dump_json(indent=2, exclude_none=True)
        elif line is not None and line.failure is not None:
            pred_json = line.failure.model_dump_json(indent=2)
        else:
            pred_json = "(no prediction)"
        views.append(
            ArticleView(
                article_id=doc.article_id,
                title=article.title if article else None,
                status=doc.status,
                error=doc.error,
                event_f1=doc.counts["event"].f1 if "event" in doc.counts else None,
                statement_f1=doc.counts["statement"].f1 if "statement" in doc.counts else None,
                n_mismatches=sum(c.outcome != "right" for c in doc.details),
                sections=[
                    _section(doc, "event", "Events"),
                    _section(doc, "statement", "Statements"),
                ],
                gold_json=gold.records.model_dump_json(indent=2, exclude_none=True)
                if gold
                else "(no gold)",
                pred_json=pred_json,
                text=article.text if article else "(article text not available)",
            )
        )
    template = _environment().get_template(TEMPLATE)
    return template.render(info=info, result=result, articles=views, confusion=_confusion(result))
