"""UCDP-style reconciliation of casualty figures. SYNTHETIC: the figures and quotes are invented."""

from __future__ import annotations

import datetime as dt

from store.casualties import Figure, is_revision, reconcile, total


def fig(
    source: str,
    order: int,
    best: int | None,
    *,
    quote: str = "",
    low: int | None = None,
    high: int | None = None,
    group: str = "all",
    kind: str = "killed",
    published: dt.date | None = None,
    qualifier: str = "exact",
) -> Figure:
    low = best if low is None else low
    high = best if high is None and qualifier == "exact" else high
    return Figure(source, order, kind, group, low, best, high, qualifier, quote, published)


def test_a_cumulative_toll_revises_and_is_never_added() -> None:
    tolls = reconcile([fig("a", 1, 5), fig("b", 2, 13, quote="The death toll rose to 13")])
    t = tolls[0]
    assert (t.low, t.best, t.high, t.conservative) == (13, 13, 13, 13)
    assert [f.source for f in t.superseded] == ["a"]
    assert [(s.after, s.best, s.replaced) for s in t.history] == [("a", 5, ()), ("b", 13, ("a",))]


def test_a_revision_inside_one_article_replaces_its_earlier_figure() -> None:
    t = reconcile([fig("a", 1, 4), fig("a", 1, 9, quote="bringing the death toll to 9")])[0]
    assert t.best == 9 and [f.best for f in t.superseded] == [4]


def test_conflicting_reports_at_the_same_time_give_a_range() -> None:
    t = reconcile([fig("a", 1, 10), fig("b", 2, 12), fig("c", 3, 20, low=15, high=25)])[0]
    assert (t.low, t.best, t.high, t.conservative) == (10, 12, 25, 10)
    assert t.superseded == []


def test_a_later_publication_date_replaces_earlier_reports() -> None:
    early, late = dt.date(2022, 9, 28), dt.date(2022, 9, 30)
    t = reconcile([fig("later", 1, 17, published=late), fig("first", 2, 9, published=early)])[0]
    assert (t.best, [f.source for f in t.superseded]) == (17, ["first"])


def test_open_ended_and_vague_figures() -> None:
    t = reconcile(
        [fig("a", 1, 13, qualifier="at_least"), fig("b", 2, 3, low=2, qualifier="several")]
    )[0]
    assert (t.low, t.best, t.high, t.conservative) == (2, 3, 13, 3)


def test_the_total_falls_back_to_the_largest_group_without_summing() -> None:
    tolls = reconcile(
        [
            fig("a", 1, 2, group="women"),
            fig("a", 1, 5, group="civilians"),
            fig("a", 1, None, kind="injured", qualifier="unknown"),
        ]
    )
    killed = total(tolls, "killed")
    assert killed is not None and (killed.group, killed.conservative) == ("civilians", 5)
    assert total(tolls, "injured") is None
    injured = next(t for t in tolls if t.kind == "injured")
    assert len(injured.unnumbered) == 1


def test_revision_phrases_come_from_the_data_file() -> None:
    assert is_revision("the toll has risen to 40")
    assert not is_revision("40 people were killed")
