"""Scraped-page clutter is skipped on the real eval articles, and offsets stay true."""

from __future__ import annotations

from evals.dataset import dataset_hash, load_eval_articles
from extraction.pipeline.page import clean_text, content_blocks, scrape_header_date


def test_clutter_lines_are_skipped_on_real_articles() -> None:
    arts = {a.id: a for a in load_eval_articles()}
    for article in arts.values():
        kept = [b.text for b in content_blocks(article.text)]
        for junk in (
            "LEAVE A REPLY",
            "Advertisement",
            "Please enter your comment!",
            "9.2 C",
            "London",
            "Friday, April 19, 2024",
            "Exit mobile version",
            "Source link",
        ):
            assert junk not in kept, (article.id, junk)
        for b in content_blocks(article.text):
            assert article.text[b.start : b.end] == b.text
    body = clean_text(arts["000_fd8edfdbded601b1"].text)
    assert body.startswith("Iran attacks opposition groups in Iraq")
    assert "Nov. 14 (UPI)" in body and "cowardly attacks" in body
    assert "Please enter your name here" not in body


def test_header_date_is_recognised_as_scrape_date_not_publication() -> None:
    arts = {a.id: a for a in load_eval_articles()}
    a0 = arts["000_fd8edfdbded601b1"]
    assert scrape_header_date(a0.text) == "Friday, April 19, 2024"
    assert a0.publication_date is None and a0.publication_date_text == "Nov. 14"
    assert scrape_header_date(arts["002_93252ca8adfab854"].text) == "Saturday, November 23, 2024"
    assert scrape_header_date(arts["001_5d4c6af62367a363"].text) is None


def test_dataset_hash_changes_with_text() -> None:
    arts = load_eval_articles()
    h = dataset_hash(arts)
    changed = [arts[0].model_copy(update={"text": arts[0].text + " "}), *arts[1:]]
    assert dataset_hash(changed) != h
    assert dataset_hash(list(reversed(arts))) == h
