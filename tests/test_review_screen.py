"""What the review page shows and offers, in Chromium: collapsing records with their checked
count, records brought to the top of the pane, confidence of each field's evidence with the least
certain first, sentences no record covers, the focused span above overlapping ones, and the
pinned, linked list of every error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from labelling_support import ARTICLE_ID, make_folder
from review_page import open_page, select_in_article

from labelling.store import LabellingFolder
from schemas import AlignmentStatus, Evidence, grounding_context

pytestmark = pytest.mark.browser

FUZZY_QUOTE = "Iran first attacked the opposition group on Sept 24"  # 96% like the article's
LOST_QUOTE = "synthetic words that are nowhere in the article"
UNCOVERED = "The fresh round of attacks comes weeks after Iran previously"


def _uncertain_draft(folder: LabellingFolder) -> None:
    """E3's evidence found only fuzzily, S2's not found at all."""
    draft = folder.draft(ARTICLE_ID)
    assert draft is not None
    text = folder.article(ARTICLE_ID).text
    fuzzy = Evidence.model_validate(
        {"quote": FUZZY_QUOTE}, context=grounding_context(text, evidence_from="model")
    )
    assert fuzzy.alignment is AlignmentStatus.FUZZY
    lost = Evidence(quote=LOST_QUOTE, alignment=AlignmentStatus.NOT_FOUND, score=0.0)
    events = [
        e.model_copy(update={"evidence": fuzzy}) if e.id == "E3" else e
        for e in draft.records.events
    ]
    statements = [
        s.model_copy(update={"evidence": lost}) if s.id == "S2" else s
        for s in draft.records.statements
    ]
    records = draft.records.model_copy(update={"events": events, "statements": statements})
    folder.write_draft(draft.model_copy(update={"records": records}), replace=True)


@pytest.fixture()
def uncertain(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, Path, list[str]]]:
    folder, _ = make_folder(tmp_path / "lab")
    _uncertain_draft(folder)
    for page, errors in open_page(browser, folder):
        yield page, tmp_path / "lab", errors


def _focused(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate(
            "(() => { const r = document.querySelector('.field.focused');"
            " return { path: r.dataset.path, confidence: r.dataset.confidence }; })()"
        )
    )


def _top_offset(page: Any, record: str) -> float:
    """How far the record's card is below the top of the form pane, in pixels."""
    return float(
        page.evaluate(
            """(p) => {
                 const card = document.querySelector(`.record[data-path="${p}"]`);
                 const pane = document.getElementById('form-pane');
                 return card.getBoundingClientRect().top - pane.getBoundingClientRect().top;
               }""",
            record,
        )
    )


def test_collapse_checked_count_and_records_brought_to_the_top(page_at: Any) -> None:
    page, _, errors = page_at
    checked = page.locator('.record[data-path="events.E1"] > header .checked')
    total = int(checked.inner_text().split("/")[1].split()[0])
    assert checked.inner_text() == f"0/{total} checked"
    page.click('[data-path="events.E1.outcome"] label')
    page.keyboard.press("a")
    assert checked.inner_text() == f"1/{total} checked"
    page.keyboard.press("c")
    assert not page.locator('.record[data-path="events.E1"] > .body').is_visible()
    page.keyboard.press("J")  # the next record, brought to the top of the pane
    assert page.evaluate("document.querySelector('.record.current').dataset.path") == "events.E2"
    assert abs(_top_offset(page, "events.E2")) <= 1
    page.keyboard.press("K")
    page.keyboard.press("c")
    assert page.locator('.record[data-path="events.E1"] > .body').is_visible()

    # Clicking a statement's words in the article brings its record to the top as well.
    page.locator("#article .seg.ev.statement").last.click()
    current = page.evaluate("document.querySelector('.record.current').dataset.path")
    assert current == "statements.S2"
    assert abs(_top_offset(page, "statements.S2")) <= 1
    assert errors == []


def test_confidence_is_shown_and_the_least_certain_come_first(uncertain: Any) -> None:
    page, _, errors = uncertain
    assert page.locator('[data-path="events.E3.evidence"] .conf').inner_text().startswith("fuzzy 9")
    assert page.locator('[data-path="statements.S2.evidence"] .conf').inner_text() == "not found"
    assert page.locator('[data-path="events.E1.evidence"] .conf').inner_text() == "exact"
    assert page.locator('[data-path="events.E3.sub_type"]').get_attribute("data-confidence") == (
        "fuzzy"
    )

    untouched = page.locator("#form .field[data-state='untouched']").count()
    rank = {"none": 0, "not_found": 0, "fuzzy": 1}
    visited: list[dict[str, str]] = []
    for _ in range(untouched):
        page.keyboard.press("u")
        visited.append(_focused(page))
        page.keyboard.press("a")
    assert page.locator("#form .field[data-state='untouched']").count() == 0
    ranks = [rank.get(v["confidence"], 2) for v in visited]
    assert ranks == sorted(ranks)
    assert {v["path"] for v in visited if v["confidence"] == "not_found"} >= {"statements.S2.text"}
    assert any(v["path"] == "events.E3.sub_type" for v in visited if v["confidence"] == "fuzzy")
    page.keyboard.press("u")
    assert "No untouched field" in page.locator("#toast").inner_text()
    assert errors == []


def test_uncovered_sentences_are_shaded_until_covered(page_at: Any) -> None:
    page, lab, errors = page_at
    shaded = " ".join(page.locator("#article .seg.uncovered").all_inner_texts())
    assert UNCOVERED in shaded
    assert "Missiles were also launched" not in shaded  # E2's sentence
    text = (lab / "articles" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    start = text.index(UNCOVERED)
    page.click('[data-path="events.E3.evidence"] label')
    select_in_article(page, start, start + len(UNCOVERED))
    page.keyboard.press("s")
    shaded = " ".join(page.locator("#article .seg.uncovered").all_inner_texts())
    assert "The fresh round of attacks" not in shaded
    assert errors == []


def test_the_focused_span_stands_out_from_overlapping_ones(page_at: Any) -> None:
    page, lab, errors = page_at
    text = (lab / "articles" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    wider = "killing at least two people and wounding several others"
    start = text.index(wider)
    page.click('[data-path="events.E1.casualties.1.evidence"] label')
    select_in_article(page, start, start + len(wider))
    page.keyboard.press("s")  # now overlaps the killed figure's "killing at least two people"
    style = """(sel) => { const s = getComputedStyle(document.querySelector(sel));
                 return [s.backgroundColor, s.outlineStyle]; }"""
    page.click('[data-path="events.E1.casualties.0.best"] label')
    unfocused = page.evaluate(style, "#article .seg.ev.deep:not(.focus)")
    page.click('[data-path="events.E1.casualties.1.best"] label')
    focused = page.evaluate(style, "#article .seg.ev.deep.focus")
    assert focused != unfocused
    assert focused[1] == "solid"
    assert errors == []


def test_every_error_is_listed_pinned_and_linked(page_at: Any) -> None:
    page, _, errors = page_at
    page.locator('[data-path="events.E1.casualties.0.low"] input').fill("9")
    page.locator('[data-path="statements.S1.text"] textarea').fill(
        "to stop these attacks and refrain from threats"
    )
    page.locator("#form").click(position={"x": 2, "y": 2})
    page.keyboard.press("Shift+E")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#messages[data-kind='refused']")
    links = page.locator("#messages a.path").all_inner_texts()
    assert set(links) >= {
        "events.E1.casualties.0",
        "statements.S1.text",
        "events.E4.sub_type",
        "events.E4.evidence",
    }
    page.evaluate("document.getElementById('form-pane').scrollTop = 1e6")  # to the bottom
    box = page.locator("#messages").bounding_box()
    pane = page.locator("#form-pane").bounding_box()
    assert box is not None and pane is not None
    assert pane["y"] <= box["y"] <= pane["y"] + 16  # still at the top of the pane (its padding)
    page.locator("#messages a.path", has_text="statements.S1.text").click()
    assert page.evaluate("document.querySelector('.field.focused').dataset.path") == (
        "statements.S1.text"
    )
    assert page.locator('[data-path="statements.S1.text"]').get_attribute("class") is not None
    assert "invalid" in str(page.locator('[data-path="statements.S1.text"]').get_attribute("class"))
    assert errors == []


def test_usable_at_1024_pixels(browser: Any, tmp_path: Path) -> None:
    folder, _ = make_folder(tmp_path / "lab")
    for page, errors in open_page(browser, folder, width=1024):
        assert page.evaluate("document.documentElement.scrollWidth") <= 1024
        widths = page.eval_on_selector_all(
            "#form .field[data-kind='evidence'] .evidence",
            "els => els.map(e => e.getBoundingClientRect().width)",
        )
        assert widths and min(widths) > 300  # a quote reads as a line, not a word per line
        pane = page.locator("#form-pane").bounding_box()
        assert pane is not None and pane["width"] >= 500
        assert errors == []
