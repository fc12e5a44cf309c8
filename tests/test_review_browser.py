"""The review page in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Needs ``apt-get install chromium`` and ``pip install playwright`` (no ``playwright install``: the
system browser is used). Skipped, saying which is missing, when either is absent. The guide's
screenshots are taken by ``python docs/screenshots.py``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from labelling_support import ARTICLE_ID, RIGHT_INJURED_QUOTE
from review_page import REVIEWER, select_in_article

pytestmark = pytest.mark.browser


def test_correct_a_figure_and_its_evidence_then_save(page_at: Any) -> None:
    page, lab, errors = page_at
    text = (lab / "articles" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    start = text.index(RIGHT_INJURED_QUOTE)
    end = start + len(RIGHT_INJURED_QUOTE)

    # Change the injured figure from the draft's 2 to 3 ('several' is 3 by ACLED's convention).
    best = page.locator('[data-path="events.E1.casualties.1.best"] input')
    assert best.input_value() == "2"
    best.fill("3")
    assert (
        page.locator('[data-path="events.E1.casualties.1.best"]').get_attribute("data-state")
        == "edited"
    )

    # Fix its evidence: focus the evidence field, select the right words, press s.
    page.click('[data-path="events.E1.casualties.1.evidence"] label')
    select_in_article(page, start, end)
    assert page.evaluate("window.getSelection().toString()") == RIGHT_INJURED_QUOTE
    page.keyboard.press("s")
    evidence_row = page.locator('[data-path="events.E1.casualties.1.evidence"]')
    assert RIGHT_INJURED_QUOTE in evidence_row.inner_text()
    assert f"[{start}–{end}]" in evidence_row.inner_text()
    assert page.locator("#article .seg.focus").first.inner_text() in RIGHT_INJURED_QUOTE

    # Accept every other field as drafted, then save with the keyboard.
    page.keyboard.press("Shift+A")
    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")
    assert "reviewed by test-user" in page.locator("#status").inner_text()

    gold = json.loads((lab / "gold" / f"{ARTICLE_ID}.json").read_text(encoding="utf-8"))
    assert gold["provenance"]["status"] == "reviewed"
    assert gold["provenance"]["labeller"] == REVIEWER
    figure = gold["records"]["events"][0]["casualties"][1]
    assert figure["best"] == 3
    assert figure["evidence"]["quote"] == RIGHT_INJURED_QUOTE
    assert (figure["evidence"]["start"], figure["evidence"]["end"]) == (start, end)
    for path in ("events.E1.casualties.1.best", "events.E1.casualties.1.evidence"):
        prov = gold["field_provenance"][path]
        assert (prov["source"], prov["by"]) == ("changed", REVIEWER), path
        assert prov["run"] == "label-20240501T120000Z-abc123"
    kept = gold["field_provenance"]["events.E1.casualties.0.best"]
    assert (kept["source"], kept["by"]) == ("confirmed", REVIEWER)
    assert errors == []


def test_invalid_values_are_reported_then_a_record_is_rejected_by_keyboard(page_at: Any) -> None:
    page, lab, errors = page_at
    page.on("dialog", lambda dialog: dialog.accept())
    low = page.locator('[data-path="events.E1.casualties.0.low"] input')
    low.fill("9")  # above best (2)
    page.keyboard.press("Control+s")
    message = page.locator("#messages")
    message.wait_for(state="visible")
    assert "not saved: 1 invalid field(s)" in message.inner_text()
    assert "events.E1.casualties.0" in message.inner_text()
    assert "low (9) must not exceed best (2)" in message.inner_text()
    assert not (lab / "gold").exists()

    low.fill("2")
    # Reject record E2 from the keyboard: focus one of its fields, Escape out of the input, X.
    page.click('[data-path="events.E2.sub_type"] label')
    page.keyboard.press("X")
    assert page.locator('.record[data-path="events.E2"]').count() == 0
    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")
    gold = json.loads((lab / "gold" / f"{ARTICLE_ID}.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in gold["records"]["events"]] == ["E1", "E3"]
    assert gold["rejected"]["events.E2.sub_type"]["source"] == "rejected"
    assert gold["rejected"]["events.E2.sub_type"]["by"] == REVIEWER
    assert gold["field_provenance"]["events.E1.outcome"]["source"] == "model"
    assert errors == []


def test_keyboard_reorder_add_remove_and_diff(page_at: Any) -> None:
    page, lab, errors = page_at

    def focused() -> str:
        return str(page.evaluate("document.querySelector('.field.focused').dataset.path"))

    # Move the killed figure below the injured one: focus it, then ].
    page.click('[data-path="events.E1.casualties.0.best"] label')
    page.keyboard.press("]")
    assert focused() == "events.E1.casualties.1.best"  # the focus follows the item
    kinds = page.locator('[data-path$=".kind"][data-path^="events.E1.casualties."] select')
    assert [kinds.nth(i).input_value() for i in range(2)] == ["injured", "killed"]

    # Remove the drone (Delete), add a rocket (i, then edit its kind), accept a field (a).
    page.click('[data-path="events.E1.weapons.1.kind"] label')
    page.keyboard.press("Delete")
    page.click('[data-path="events.E1.weapons.0.kind"] label')
    page.keyboard.press("i")
    assert focused() == "events.E1.weapons.1.kind"
    page.select_option('[data-path="events.E1.weapons.1.kind"] select', "rocket")
    page.keyboard.press("Escape")
    page.click('[data-path="events.E1.outcome"] label')
    page.keyboard.press("a")
    outcome_state = page.locator('[data-path="events.E1.outcome"]').get_attribute("data-state")
    assert outcome_state == "accepted"

    # The diff lists the changes and nothing else.
    page.keyboard.press("d")
    page.wait_for_selector("#diff-dialog[open] table.diff")
    rows = page.locator("#diff-body tbody tr")
    listed = {rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())}
    assert "events.E1.weapons.1.kind" in listed  # the rocket, added
    assert "events.E1.weapons.1.evidence" in listed  # the drone's evidence, rejected
    assert not any(p.startswith("events.E1.casualties") for p in listed)  # reordering only
    page.keyboard.press("Escape")

    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")
    gold = json.loads((lab / "gold" / f"{ARTICLE_ID}.json").read_text(encoding="utf-8"))
    e1 = gold["records"]["events"][0]
    assert [c["kind"] for c in e1["casualties"]] == ["injured", "killed"]
    assert [w["kind"] for w in e1["weapons"]] == ["missile", "rocket"]
    prov = gold["field_provenance"]
    moved = prov["events.E1.casualties.1.best"]
    assert (moved["source"], moved["draft_path"]) == ("model", "events.E1.casualties.0.best")
    assert (prov["events.E1.weapons.1.kind"]["source"], prov["events.E1.weapons.1.kind"]["by"]) == (
        "added",
        REVIEWER,
    )
    assert prov["events.E1.outcome"]["source"] == "confirmed"
    assert gold["rejected"]["events.E1.weapons.1.kind"]["source"] == "rejected"
    assert errors == []
