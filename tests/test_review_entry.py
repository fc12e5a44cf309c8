"""Faster entry on the review page, in Chromium: a statement from the selected words, about_events
as a pick-list of the article's events, canonical names completed from the gazetteer with a
warning beside unknown ones."""

from __future__ import annotations

import json
from typing import Any

import pytest
from labelling_support import ARTICLE_ID
from review_page import select_in_article

pytestmark = pytest.mark.browser

QUOTED = (
    "We, and all the people in Kurdistan and Iran, are witnessing the regime’s latest "
    "reprehensible actions before its demise"
)
PARAPHRASED = "Missiles were also launched at the headquarters of the left-wing Komala Party"


def _value(page: Any, path: str) -> str:
    row = f'[data-path="{path}"]'
    return str(page.locator(f"{row} input, {row} select, {row} textarea").first.input_value())


def test_a_new_statement_from_the_selection(page_at: Any) -> None:
    page, lab, errors = page_at
    text = (lab / "articles" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    start = text.index(QUOTED)
    select_in_article(page, start, start + len(QUOTED))
    page.keyboard.press("Shift+S")
    assert _value(page, "statements.S3.text") == QUOTED
    assert _value(page, "statements.S3.text_type") == "quote"  # the article quotes these words
    evidence = page.locator('[data-path="statements.S3.evidence"]').inner_text()
    assert QUOTED in evidence and f"[{start}–{start + len(QUOTED)}]" in evidence
    assert _value(page, "statements.S3.kind") == ""  # still the person's choice

    quoted_start = start
    start = text.index(PARAPHRASED)
    select_in_article(page, start, start + len(PARAPHRASED))
    page.keyboard.press("Shift+S")
    assert _value(page, "statements.S4.text_type") == "paraphrase"

    page.select_option('[data-path="statements.S3.kind"] select', "condemnation")
    page.select_option('[data-path="statements.S4.kind"] select', "report")
    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")
    gold = json.loads((lab / "gold" / f"{ARTICLE_ID}.json").read_text(encoding="utf-8"))
    s3 = gold["records"]["statements"][2]
    assert (s3["text"], s3["text_type"]) == (QUOTED, "quote")
    assert (s3["evidence"]["quote"], s3["evidence"]["start"]) == (QUOTED, quoted_start)
    assert gold["field_provenance"]["statements.S3.text"]["source"] == "added"
    assert errors == []


def test_about_events_is_a_pick_list_of_the_events(page_at: Any) -> None:
    page, lab, errors = page_at
    boxes = page.locator('[data-path="statements.S1.about_events"] input[type="checkbox"]')
    assert [boxes.nth(i).get_attribute("value") for i in range(boxes.count())] == ["E1", "E2", "E3"]
    assert [boxes.nth(i).is_checked() for i in range(3)] == [True, False, False]
    boxes.nth(2).check()
    row = page.locator('[data-path="statements.S1.about_events"]')
    assert row.get_attribute("data-state") == "edited"
    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")
    gold = json.loads((lab / "gold" / f"{ARTICLE_ID}.json").read_text(encoding="utf-8"))
    assert gold["records"]["statements"][0]["about_events"] == ["E1", "E3"]
    assert errors == []


def test_canonical_names_are_completed_and_unknown_ones_flagged(page_at: Any) -> None:
    page, _, errors = page_at
    field = '[data-path="events.E1.perpetrators.0.canonical"]'
    name = page.locator(f"{field} input")
    assert name.get_attribute("list") == "actor-names"
    options = page.eval_on_selector_all("#actor-names option", "os => os.map(o => o.value)")
    assert "Islamic Resistance in Iraq" in options and "IRGC" in options
    assert "unknown-name" not in str(page.locator(field).get_attribute("class"))
    name.fill("Islamic Resistence in Irak")
    assert "unknown-name" in str(page.locator(field).get_attribute("class"))
    assert "not in the gazetteer" in page.locator(f"{field} .name-note").inner_text()
    name.fill("Islamic Resistance in Iraq")
    assert "unknown-name" not in str(page.locator(field).get_attribute("class"))
    assert page.locator(f"{field} .name-note").count() == 0
    # Statement fields that hold names are checked too (organisation, targets).
    page.locator('[data-path="statements.S2.organisation"] input').fill("Synthetic Nobody Council")
    note = page.locator('[data-path="statements.S2.organisation"] .name-note')
    assert "Synthetic Nobody Council" in note.inner_text()
    assert errors == []
