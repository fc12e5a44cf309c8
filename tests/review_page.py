"""The review page in a real headless Chromium (Debian's ``chromium``, driven by Playwright), for
the browser tests: fixtures and the moves a person makes (selecting words with the mouse).

Needs ``apt-get install chromium`` and ``pip install playwright`` (no ``playwright install``: the
system browser is used). Tests are skipped, saying which is missing, when either is absent.
Its fixtures (``browser``, ``page_at``) are loaded for every test by ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from labelling_support import ARTICLE_ID, make_folder

from labelling.server import create_app, running
from labelling.store import LabellingFolder

CHROMIUM = os.environ.get("SITREP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REVIEWER = "test-user"


def _is_error(message: Any) -> bool:
    """Console errors, except Chromium's note on the 422 or 409 a refused save answers with."""
    refused = "status of 422" in message.text or "status of 409" in message.text
    return bool(message.type == "error" and not refused)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


Prepare = Callable[[LabellingFolder], None]


def open_page(
    browser: Any, folder: LabellingFolder, *, width: int = 1500, hash_id: str = ARTICLE_ID
) -> Iterator[tuple[Any, list[str]]]:
    """Serve ``folder`` and open its review page; yields the page and the JavaScript errors."""
    app = create_app(folder, reviewer=REVIEWER)
    with running(app) as url:
        page = browser.new_page(viewport={"width": width, "height": 950}, reduced_motion="reduce")
        page.set_default_timeout(5000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if _is_error(m) else None)
        page.goto(url + ("#" + hash_id if hash_id else ""))
        page.wait_for_selector("body[data-ready='1']")
        try:
            yield page, errors
        finally:
            page.close()


@pytest.fixture()
def page_at(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, Path, list[str]]]:
    """The review page of a fresh labelling folder, and the JavaScript errors it logs."""
    folder, _ = make_folder(tmp_path / "lab")
    for page, errors in open_page(browser, folder):
        yield page, tmp_path / "lab", errors


def select_in_article(page: Any, start: int, end: int) -> None:
    """Select article characters [start, end) with the mouse, as a person would."""
    box = page.evaluate(
        """async ([s, e]) => {
          const segs = [...document.querySelectorAll('#article .seg')];
          const at = (cp) => {
            const g = segs.find((x) => cp >= +x.dataset.s && cp < +x.dataset.e);
            return [g.firstChild, cp - +g.dataset.s];
          };
          const [n1, o1] = at(s);
          const [n2, o2] = at(e - 1);
          const r = document.createRange();
          r.setStart(n1, o1);
          r.setEnd(n2, o2 + 1);
          n1.parentElement.scrollIntoView({ block: 'center' });
          const frame = () => new Promise((ok) => requestAnimationFrame(ok));
          let last = null;
          for (let i = 0; i < 100; i++) {  // wait until nothing scrolls any more
            await frame();
            const top = r.getClientRects()[0].top;
            if (top === last) break;
            last = top;
          }
          const rs = [...r.getClientRects()];
          const a = rs[0], b = rs[rs.length - 1];
          return [a.left, a.top + a.height / 2, b.right, b.top + b.height / 2];
        }""",
        [start, end],
    )
    x1, y1, x2, y2 = box
    page.mouse.move(x1 + 1, y1)
    page.mouse.down()
    page.mouse.move(x2 - 1, y2, steps=8)
    page.mouse.up()
