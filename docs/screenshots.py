"""Take the labelling guide's screenshots from the real pages, in headless Chromium.

    python docs/screenshots.py            # writes docs/review.png, docs/review-errors.png,
                                          # docs/review-folder.png, docs/adjudicate.png

The folder shown is the tests' labelling folder: a bundled eval article with a hand-made draft
(tests/labelling_support.py) and, for the adjudication page, two labellers' gold of it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]

from labelling_support import (  # noqa: E402  # noqa: E402
    ARTICLE_ID,
    RIGHT_INJURED_QUOTE,
    make_folder,
    two_labellers,
)
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from review_page import CHROMIUM, CHROMIUM_ARGS, select_in_article  # noqa: E402

from labelling.adjudicate_server import create_adjudication_app  # noqa: E402
from labelling.server import create_app, running  # noqa: E402
from schemas import Article  # noqa: E402

SIZE = {"width": 1280, "height": 720}


def _quiet(page: Page) -> None:
    page.evaluate("document.getElementById('toast').style.display = 'none'")


def review_shots(page: Page, url: str, lab: Path) -> None:
    page.goto(url + "#" + ARTICLE_ID)
    page.wait_for_selector("body[data-ready='1']")
    text = (lab / "articles" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8")
    start = text.index(RIGHT_INJURED_QUOTE)
    page.locator('[data-path="events.E1.casualties.1.best"] input').fill("3")
    page.click('[data-path="events.E1.casualties.1.evidence"] label')
    select_in_article(page, start, start + len(RIGHT_INJURED_QUOTE))
    page.keyboard.press("s")
    page.click('[data-path="events.E1.casualties.1.best"] label')
    _quiet(page)
    page.screenshot(path=str(HERE / "review.png"))

    page.locator('[data-path="events.E1.casualties.0.low"] input').fill("9")
    page.locator('[data-path="statements.S1.text"] textarea').fill(
        "to stop these attacks and refrain from threats"
    )
    page.keyboard.press("Control+s")
    page.wait_for_selector("#messages[data-kind='refused']")
    _quiet(page)
    page.screenshot(path=str(HERE / "review-errors.png"))


def folder_shot(page: Page, url: str) -> None:
    page.goto(url + "#" + ARTICLE_ID)
    page.wait_for_selector("body[data-article]")
    page.click('[data-path="events.E1.outcome"] label')
    page.keyboard.press("e")  # accept the rest of E1
    page.keyboard.press("c")  # and fold it away
    page.keyboard.press("J")
    page.keyboard.press("c")
    page.click('[data-path="events.E3.evidence"] label')
    page.evaluate("document.getElementById('form-pane').scrollTop = 0")
    _quiet(page)
    page.screenshot(path=str(HERE / "review-folder.png"))


def adjudicate_shot(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']")
    page.locator('.unit[data-unit="events:E1:E1:standing"]').click()
    page.keyboard.press("2")
    _quiet(page)
    page.screenshot(path=str(HERE / "adjudicate.png"))


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    folder, _ = make_folder(tmp / "lab")
    folder.add_article(Article(id="synthetic-b", text="Synthetic report B: invented text."))
    a, b = two_labellers(tmp)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=SIZE, reduced_motion="reduce")
        with running(create_app(folder, reviewer="ana")) as url:
            review_shots(page, url, tmp / "lab")
        folder2, _ = make_folder(tmp / "lab2")
        folder2.add_article(Article(id="synthetic-b", text="Synthetic report B: invented text."))
        with running(create_app(folder2, reviewer="ana")) as url:
            folder_shot(page, url)
        app = create_adjudication_app(a, b, tmp / "out", adjudicator="cleo")
        with running(app) as url:
            adjudicate_shot(page, url)
        browser.close()


if __name__ == "__main__":
    main()
