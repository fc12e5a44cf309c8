"""Adjudication in Chromium: two labellers' disagreements side by side with both evidence spans,
decided one by one (take A's, take B's, edit, unresolved) and saved as gold naming both labellers
and the adjudicator, with agreement before and after."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from labelling_support import (
    ARTICLE_ID,
    QUOTES,
    two_labellers,
)
from review_page import CHROMIUM_ARGS, _is_error

from labelling.adjudicate_server import create_adjudication_app
from labelling.server import running

pytestmark = pytest.mark.browser


@pytest.fixture()
def adjudication(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, Path, list[str]]]:
    a, b = two_labellers(tmp_path)
    out = tmp_path / "out"
    app = create_adjudication_app(a, b, out, adjudicator="cleo")
    with running(app) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 900}, reduced_motion="reduce")
        page.set_default_timeout(5000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if _is_error(m) else None)
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']")
        try:
            yield page, out, errors
        finally:
            page.close()


def _unit(page: Any, unit_id: str) -> Any:
    return page.locator(f'.unit[data-unit="{unit_id}"]')


def test_adjudicate_two_labellers(adjudication: Any) -> None:
    page, out, errors = adjudication
    assert CHROMIUM_ARGS  # the same headless Chromium as the review page's tests
    before = page.locator('#agreement tr[data-row="1"]').inner_text()
    assert "80%" in before  # events: A 2, B 3, 2 matched: F1 = 4/5
    assert "—" in page.locator('#agreement tr[data-row="2"]').inner_text()  # nothing saved yet

    standing = _unit(page, "events:E1:E1:standing")
    kind = _unit(page, "statements:S1:S1:kind")
    extra = _unit(page, "events:-:E3:")
    assert "reported" in standing.locator(".side-a").inner_text()
    assert "recalled" in standing.locator(".side-b").inner_text()
    assert QUOTES["E1"] in standing.locator(".side-b .quote").inner_text()
    assert "only in B" in extra.inner_text()

    # The disagreement in focus shows both labellers' evidence in the article.
    standing.click()
    assert page.locator("#article .seg.span-a").count() >= 1
    assert page.locator("#article .seg.span-b").count() >= 1
    page.keyboard.press("2")  # take B's
    assert standing.get_attribute("data-pick") == "b"
    kind.locator("input.edit").fill("threat")
    kind.locator("input.edit").press("Enter")
    assert kind.get_attribute("data-pick") == "edit"
    extra.click()
    page.keyboard.press("u")
    assert extra.get_attribute("data-pick") == "unresolved"

    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")
    gold = json.loads((out / "gold" / f"{ARTICLE_ID}.json").read_text(encoding="utf-8"))
    prov = gold["provenance"]
    assert prov["labeller"] == "cleo" and "ana" in prov["method"] and "bo" in prov["method"]
    events = {e["id"]: e for e in gold["records"]["events"]}
    assert set(events) == {"E1", "E2"} and events["E1"]["standing"] == "recalled"
    fields = gold["field_provenance"]
    assert (fields["events.E1.standing"]["drafted_by"], fields["events.E1.standing"]["by"]) == (
        "bo",
        "cleo",
    )
    assert gold["records"]["statements"][0]["kind"] == "threat"
    assert fields["statements.S1.kind"]["source"] == "changed"
    assert "unresolved: events.E3" in gold["notes"]
    after_a = page.locator('#agreement tr[data-row="2"]').inner_text()
    assert "100%" in after_a  # A and the gold have the same events
    assert "—" not in page.locator('#agreement tr[data-row="3"]').inner_text().split("\t")[1]
    assert "1 of 1 adjudicated" in page.locator("#progress").inner_text()
    assert errors == []
