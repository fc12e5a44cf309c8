"""Safety of the review page in Chromium: every action can be undone and redone (Ctrl+Z,
Ctrl+Shift+Z), shift-slips included, and new records have no hidden defaults for required
choices."""

from __future__ import annotations

import json
from typing import Any

import pytest
from labelling_support import ARTICLE_ID, RIGHT_INJURED_QUOTE, WRONG_INJURED_QUOTE
from review_page import REVIEWER, select_in_article

pytestmark = pytest.mark.browser


def _state(page: Any, path: str) -> str:
    return str(page.locator(f'[data-path="{path}"]').get_attribute("data-state"))


def _value(page: Any, path: str) -> str:
    return str(
        page.locator(f'[data-path="{path}"] input, [data-path="{path}"] select').input_value()
    )


def _records(page: Any) -> list[str]:
    return [
        str(p) for p in page.eval_on_selector_all(".record", "els => els.map(e => e.dataset.path)")
    ]


def _undo(page: Any) -> None:
    page.keyboard.press("Control+z")


def _redo(page: Any) -> None:
    page.keyboard.press("Control+Shift+z")


def test_every_action_can_be_undone_and_redone(page_at: Any) -> None:
    page, lab, errors = page_at
    best = "events.E1.casualties.1.best"

    # A field edit is one step, however many keys were typed.
    page.click(f'[data-path="{best}"] input')
    page.keyboard.type("35")
    assert _value(page, best) == "235"
    page.keyboard.press("Escape")
    _undo(page)
    assert (_value(page, best), _state(page, best)) == ("2", "untouched")
    _redo(page)
    assert (_value(page, best), _state(page, best)) == ("235", "edited")
    _undo(page)

    # Reject (x) and accept (a) of a field.
    page.click('[data-path="events.E1.location.admin1"] label')
    page.keyboard.press("x")
    assert _value(page, "events.E1.location.admin1") == ""
    _undo(page)
    assert _value(page, "events.E1.location.admin1") == "Erbil"
    assert _state(page, "events.E1.location.admin1") == "untouched"
    page.keyboard.press("a")
    assert _state(page, "events.E1.location.admin1") == "accepted"
    _undo(page)
    assert _state(page, "events.E1.location.admin1") == "untouched"

    # Accept all (a shift-slip of a) and remove a record (X): both come back.
    page.keyboard.press("Shift+A")
    assert _state(page, "events.E1.outcome") == "accepted"
    _undo(page)
    assert _state(page, "events.E1.outcome") == "untouched"
    page.click('[data-path="events.E2.sub_type"] label')
    page.keyboard.press("Shift+X")
    assert "events.E2" not in _records(page)
    _undo(page)
    assert _records(page) == [
        "events.E1",
        "events.E2",
        "events.E3",
        "statements.S1",
        "statements.S2",
    ]

    # Shift-slips that add records (E, S), and removing a list item (Delete).
    page.keyboard.press("Shift+E")
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+S")
    page.keyboard.press("Escape")
    assert "events.E4" in _records(page) and "statements.S3" in _records(page)
    _undo(page)
    _undo(page)
    assert "events.E4" not in _records(page) and "statements.S3" not in _records(page)
    page.click('[data-path="events.E1.weapons.1.kind"] label')
    page.keyboard.press("Delete")
    assert page.locator('[data-path="events.E1.weapons.1.kind"]').count() == 0
    _undo(page)
    assert _value(page, "events.E1.weapons.1.kind") == "drone"

    # Evidence set from a selection.
    text = (lab / "articles" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    start = text.index(RIGHT_INJURED_QUOTE)
    page.click('[data-path="events.E1.casualties.1.evidence"] label')
    select_in_article(page, start, start + len(RIGHT_INJURED_QUOTE))
    page.keyboard.press("s")
    evidence = page.locator('[data-path="events.E1.casualties.1.evidence"]')
    assert RIGHT_INJURED_QUOTE in evidence.inner_text()
    _undo(page)
    assert WRONG_INJURED_QUOTE in evidence.inner_text()

    # Nothing done survives the undos: the saved gold is the draft, E2 still the draft's E2.
    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")
    gold = json.loads((lab / "gold" / f"{ARTICLE_ID}.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in gold["records"]["events"]] == ["E1", "E2", "E3"]
    assert [s["id"] for s in gold["records"]["statements"]] == ["S1", "S2"]
    assert gold["rejected"] == {}
    sources = {p["source"] for p in gold["field_provenance"].values()}
    assert sources == {"model"}, sources
    assert gold["provenance"]["labeller"] == REVIEWER
    assert errors == []


def test_new_records_have_no_hidden_defaults(page_at: Any) -> None:
    page, lab, errors = page_at
    page.keyboard.press("Shift+E")
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+S")
    page.keyboard.press("Escape")
    assert _value(page, "events.E4.sub_type") == ""
    assert _value(page, "statements.S3.kind") == ""
    assert _value(page, "statements.S3.text_type") == ""
    page.keyboard.press("Control+s")
    page.wait_for_selector("#messages[data-kind='refused'], body[data-saved]")
    assert page.locator("body[data-saved]").count() == 0
    shown = page.locator("#messages").inner_text()
    for path in ("events.E4.sub_type", "statements.S3.kind", "statements.S3.text_type"):
        assert f"{path}: required: choose a value" in shown, path
    assert "statements.S3.text: required: type the text" in shown
    assert not (lab / "gold").exists()
    assert errors == []
