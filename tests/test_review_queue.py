"""Getting through a folder of articles in Chromium: progress, save-and-next-unreviewed, the
unreviewed-only filter, the URL's #id with back and forward, and re-saving one's own save."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from labelling_support import ARTICLE_ID, make_folder
from review_page import open_page

from schemas import Article

pytestmark = pytest.mark.browser

# Invented texts (synthetic), so that the folder holds more than one article.
SYNTHETIC = {
    "synthetic-b": "Synthetic report B. Nothing in this invented text describes an attack.",
    "synthetic-c": "Synthetic report C. This invented text is here to be reviewed last.",
}


@pytest.fixture()
def folder_page(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, Path, list[str]]]:
    folder, _ = make_folder(tmp_path / "lab")
    for article_id, text in SYNTHETIC.items():
        folder.add_article(Article(id=article_id, text=text))
    for page, errors in open_page(browser, folder):
        yield page, tmp_path / "lab", errors


def _options(page: Any) -> list[str]:
    return [
        str(v)
        for v in page.eval_on_selector_all("#article-select option", "os => os.map(o => o.value)")
    ]


def _at(page: Any, article_id: str) -> None:
    page.wait_for_selector(f"body[data-article='{article_id}']")


def test_progress_save_and_next_filter_and_the_url(folder_page: Any) -> None:
    page, lab, errors = folder_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _at(page, ARTICLE_ID)
    assert page.locator("#progress").inner_text() == "0 of 3 reviewed"

    # Save and go on to the next unreviewed article (Ctrl+Enter).
    page.keyboard.press("Control+Enter")
    _at(page, "synthetic-b")
    assert (lab / "gold" / f"{ARTICLE_ID}.json").is_file()
    assert page.locator("#progress").inner_text() == "1 of 3 reviewed"
    assert page.evaluate("location.hash") == "#synthetic-b"

    # Only unreviewed articles in the list and for n / p.
    page.check("#only-unreviewed")
    assert _options(page) == ["synthetic-b", "synthetic-c"]
    page.keyboard.press("n")
    _at(page, "synthetic-c")
    page.keyboard.press("n")  # the last unreviewed one: n stays
    assert page.evaluate("document.body.dataset.article") == "synthetic-c"
    page.uncheck("#only-unreviewed")
    assert _options(page) == [ARTICLE_ID, "synthetic-b", "synthetic-c"]

    # Back and forward move between the articles, as does a typed #id.
    page.go_back()
    _at(page, "synthetic-b")
    page.go_forward()
    _at(page, "synthetic-c")
    page.evaluate(f"location.hash = '#{ARTICLE_ID}'")
    _at(page, ARTICLE_ID)
    assert "reviewed by test-user" in page.locator("#status").inner_text()

    # Re-saving the file this page saved asks nothing; the earlier version goes to history/.
    page.locator('[data-path="events.E1.casualties.1.best"] input').fill("3")
    page.evaluate("delete document.body.dataset.saved")
    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")
    gold = json.loads((lab / "gold" / f"{ARTICLE_ID}.json").read_text(encoding="utf-8"))
    assert gold["records"]["events"][0]["casualties"][1]["best"] == 3
    assert len(list((lab / "history").iterdir())) == 1
    assert dialogs == []
    assert errors == []


def test_a_file_someone_else_saved_still_needs_confirming(folder_page: Any) -> None:
    page, lab, errors = folder_page
    messages: list[str] = []
    page.on("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    _at(page, ARTICLE_ID)
    page.keyboard.press("Control+s")
    page.wait_for_selector("body[data-saved]")
    first = (lab / "gold" / f"{ARTICLE_ID}.json").read_bytes()
    page.reload()  # a new page session: the saved file is no longer this page's own save
    page.wait_for_selector("body[data-ready='1']")
    page.locator('[data-path="events.E1.casualties.1.best"] input').fill("3")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#messages[data-kind='refused']")
    assert messages and "already reviewed" in messages[0]
    assert (lab / "gold" / f"{ARTICLE_ID}.json").read_bytes() == first
    assert errors == []
