"""HTML and Markdown reports: escaped text, highlighted mismatches, the producer named
(synthetic data)."""

from __future__ import annotations

import re
from pathlib import Path

from eval_support import ARTICLE, ARTICLE2, PRODUCER, degraded, make_gold, replace, two_golds

from evals.harness import run_eval
from evals.report_html import render_html
from evals.report_md import render_run_md
from schemas import Article, ArticleExtraction, Producer, Records, Statement

HOSTILE = Article(
    id="synthetic-hostile",
    text='SYNTHETIC. <script>alert("x")</script> The PDKI said "stop & <b>go</b>".',
    title="<img src=x onerror=alert(1)>",
)


def test_html_escapes_article_text_and_model_output(tmp_path: Path) -> None:
    gold_statement = Statement(
        id="S1", organisation="PDKI", kind="demand", text="stop & <b>go</b>", text_type="quote"
    )
    gold = make_gold(Records(statements=[gold_statement]), article=HOSTILE)
    injected = replace(gold_statement, text="<script>steal()</script>", kind="threat")

    def fake(article: Article) -> ArticleExtraction:
        return ArticleExtraction(
            article_id=article.id,
            statements=[injected],
            producer=Producer(kind="model", name="m<script>"),
        )

    run = run_eval(fake, [HOSTILE], {HOSTILE.id: gold}, tmp_path, producer=PRODUCER, resamples=20)
    html = render_html(run.info, run.result, run.lines, {HOSTILE.id: gold}, {HOSTILE.id: HOSTILE})
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;script&gt;steal()&lt;/script&gt;" in html
    assert "m&lt;script&gt;" in html  # even the producer name
    assert "stop &amp; &lt;b&gt;go&lt;/b&gt;" in html


def test_html_highlights_every_mismatch(tmp_path: Path) -> None:
    golds = two_golds()
    run = run_eval(degraded, [ARTICLE, ARTICLE2], golds, tmp_path, producer=PRODUCER, resamples=20)
    html = render_html(
        run.info, run.result, run.lines, golds, {ARTICLE.id: ARTICLE, ARTICLE2.id: ARTICLE2}
    )
    # the statement kind made wrong, and the event left out, are both flagged
    wrong_rows = re.findall(r'<tr class="wrong"><td>([^<]+)</td>', html)
    missed_rows = re.findall(r'<tr class="missed"><td>([^<]+)</td>', html)
    assert "statement.kind" in wrong_rows
    assert "event" in missed_rows
    assert "event.location.place" in missed_rows  # the missed event's fields, each one
    mismatches = [c for d in run.result.docs for c in d.details if c.outcome != "right"]
    assert len(re.findall(r'<tr class="(?:wrong|missed|invented|partial)">', html)) == len(
        mismatches
    )
    assert "Synthetic &lt;b&gt;test&lt;/b&gt; article" in html


def test_markdown_summary_names_the_producer_and_kind(tmp_path: Path) -> None:
    golds = two_golds()
    run = run_eval(degraded, [ARTICLE, ARTICLE2], golds, tmp_path, producer=PRODUCER, resamples=20)
    md = render_run_md(run.info, run.result)
    assert md.startswith("## sitrep eval: synthetic-baseline (baseline)")
    assert "> Not a model: this run was produced by a **baseline**" in md
    assert re.search(r"\| event \| 3 \| 2 \| 1\.000 \| 0\.667 \| \*\*0\.800\*\* \|", md)
    assert "| grounding.evidence |" in md
