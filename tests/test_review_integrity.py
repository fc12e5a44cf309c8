"""Gold says what the reviewer did: each test is one way the review page could put into gold
something the reviewer did not mean, driven in a real headless Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from labelling_support import (
    ARTICLE_ID,
    RIGHT_INJURED_QUOTE,
    WRONG_INJURED_QUOTE,
    make_folder,
)
from review_page import REVIEWER, open_page, select_in_article

from labelling.store import LabellingFolder

pytestmark = pytest.mark.browser

NEW_EVENT_QUOTE = "The attack began at about 8:45 a.m. local time"
MACHINE_NOTE = "synthetic baseline note: merged E4 into E1"


def _redraft(folder: LabellingFolder, *, operation_id: str | None, notes: str | None) -> None:
    """Replace the draft with one whose E1 has an operation id and which carries machine notes."""
    draft = folder.draft(ARTICLE_ID)
    assert draft is not None
    events = [
        e.model_copy(update={"operation_id": operation_id}) if e.id == "E1" else e
        for e in draft.records.events
    ]
    records = draft.records.model_copy(update={"events": events})
    folder.write_draft(draft.model_copy(update={"records": records, "notes": notes}), replace=True)


@pytest.fixture()
def redrafted(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, Path, list[str]]]:
    folder, _ = make_folder(tmp_path / "lab")
    _redraft(folder, operation_id="op1", notes=MACHINE_NOTE)
    for page, errors in open_page(browser, folder):
        yield page, tmp_path / "lab", errors


def _row(page: Any, path: str) -> Any:
    return page.locator(f'[data-path="{path}"]')


def _gold(lab: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (lab / "gold" / f"{ARTICLE_ID}.json").read_text(encoding="utf-8")
    )
    return data


def _save(page: Any) -> None:
    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")


def _refused(page: Any) -> str:
    """Save, expecting a refusal; the text of the pinned message box."""
    page.evaluate("delete document.getElementById('messages').dataset.kind")  # a new answer
    page.keyboard.press("Control+s")
    page.wait_for_selector("#messages[data-kind='refused'], body[data-saved]")
    assert page.locator("body[data-saved]").count() == 0, "saved, but should have been refused"
    return str(page.locator("#messages").inner_text())


def test_a_rejected_field_is_saved_as_rejected(redrafted: Any) -> None:
    page, lab, errors = redrafted
    # x on a field that cannot be empty: it is blanked, and must be chosen again before saving.
    page.click('[data-path="events.E1.outcome"] label')
    page.keyboard.press("x")
    assert _row(page, "events.E1.outcome").get_attribute("data-state") == "rejected"
    assert page.locator('[data-path="events.E1.outcome"] select').input_value() == ""
    assert "events.E1.outcome" in _refused(page)
    assert not (lab / "gold").exists()
    page.select_option('[data-path="events.E1.outcome"] select', "attempted")
    assert _row(page, "events.E1.outcome").get_attribute("data-state") == "edited"

    # x on a field that can be empty: cleared, saved as a rejection, and shown as one after.
    page.click('[data-path="events.E1.operation_id"] label')
    page.keyboard.press("x")
    assert page.locator('[data-path="events.E1.operation_id"] input').input_value() == ""
    _save(page)
    gold = _gold(lab)
    assert gold["records"]["events"][0]["operation_id"] is None
    prov = gold["field_provenance"]
    assert (prov["events.E1.operation_id"]["source"], prov["events.E1.operation_id"]["by"]) == (
        "rejected",
        REVIEWER,
    )
    assert prov["events.E1.outcome"]["source"] == "changed"
    assert gold["records"]["events"][0]["outcome"] == "attempted"
    assert _row(page, "events.E1.operation_id").get_attribute("data-state") == "rejected"
    assert errors == []


def test_a_dismissed_selection_is_not_applied(page_at: Any) -> None:
    page, lab, errors = page_at
    text = (lab / "articles" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    start = text.index(RIGHT_INJURED_QUOTE)
    select_in_article(page, start, start + len(RIGHT_INJURED_QUOTE))
    assert page.evaluate("window.getSelection().toString()") == RIGHT_INJURED_QUOTE
    # Click plain text: nothing looks selected any more.
    page.locator("#article .seg:not(.ev)").first.click()
    assert page.evaluate("window.getSelection().toString()") == ""
    page.click('[data-path="events.E1.casualties.1.evidence"] label')
    page.keyboard.press("s")
    evidence = _row(page, "events.E1.casualties.1.evidence").inner_text()
    assert WRONG_INJURED_QUOTE in evidence
    assert RIGHT_INJURED_QUOTE not in evidence
    assert "Select the supporting words" in page.locator("#toast").inner_text()
    assert errors == []


def test_a_focused_dropdown_does_not_swallow_shortcuts(page_at: Any) -> None:
    page, lab, errors = page_at
    select = page.locator('[data-path="events.E1.outcome"] select')
    select.focus()
    select.select_option("completed")  # chosen by hand: the focus stays on the dropdown
    page.keyboard.press("a")  # accept, not "the first option starting with a"
    assert select.input_value() == "completed"
    assert _row(page, "events.E1.outcome").get_attribute("data-state") == "accepted"
    page.keyboard.press("j")  # and j moves on rather than picking an option
    assert select.input_value() == "completed"
    _save(page)
    assert _gold(lab)["records"]["events"][0]["outcome"] == "completed"
    assert _gold(lab)["field_provenance"]["events.E1.outcome"]["source"] == "confirmed"
    assert errors == []


def test_a_value_typed_back_is_confirmed_and_machine_notes_are_not_the_persons(
    redrafted: Any,
) -> None:
    page, lab, errors = redrafted
    best = page.locator('[data-path="events.E1.casualties.0.best"] input')
    best.fill("5")
    best.fill("2")  # back to the draft's value: the person has checked it
    _save(page)
    gold = _gold(lab)
    prov = gold["field_provenance"]["events.E1.casualties.0.best"]
    assert (prov["source"], prov["by"]) == ("confirmed", REVIEWER)
    # The drafter's notes are shown as the drafter's, and are not saved as the reviewer's.
    assert gold["notes"] is None
    assert page.locator("#notes").input_value() == ""
    assert MACHINE_NOTE in page.locator("#article-meta").inner_text()
    assert errors == []


def test_weak_evidence_does_not_pass_the_save(page_at: Any) -> None:
    page, lab, errors = page_at
    # A quote that is only 91% like the article's words is not a verbatim quote.
    text = page.locator('[data-path="statements.S1.text"] textarea')
    text.fill("to stop these attacks and refrain from threats")
    shown = _refused(page)
    assert "statements.S1.text" in shown and "not verbatim" in shown
    text.fill("to stop these attacks and refrain from further threats")

    # A new record without evidence is refused, naming its evidence field.
    page.locator("#form").click(position={"x": 2, "y": 2})
    page.keyboard.press("E")
    page.select_option('[data-path="events.E4.sub_type"] select', "armed_clash")
    shown = _refused(page)
    assert "events.E4.evidence" in shown
    assert not (lab / "gold").exists()
    article = (lab / "articles" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    start = article.index(NEW_EVENT_QUOTE)
    page.click('[data-path="events.E4.evidence"] label')
    select_in_article(page, start, start + len(NEW_EVENT_QUOTE))
    page.keyboard.press("s")
    assert NEW_EVENT_QUOTE in _row(page, "events.E4.evidence").inner_text()

    # An unknown canonical name is a warning to confirm, with the gazetteer's nearest name.
    canonical = page.locator('[data-path="events.E1.perpetrators.0.canonical"] input')
    canonical.fill("Islamic Resistence in Irak")
    shown = _refused(page)
    assert "events.E1.perpetrators.0.canonical" in shown
    assert "did you mean 'Islamic Resistance in Iraq'" in shown
    assert not (lab / "gold").exists()
    page.click("#btn-save-anyway")
    page.wait_for_selector("body[data-saved]")
    gold = _gold(lab)
    assert gold["records"]["events"][0]["perpetrators"][0]["canonical"] == (
        "Islamic Resistence in Irak"
    )
    assert [e["id"] for e in gold["records"]["events"]] == ["E1", "E2", "E3", "E4"]
    assert errors == []
