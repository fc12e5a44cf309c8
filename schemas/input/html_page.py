"""A saved web page as an article: its main text and its own metadata, read by trafilatura.

trafilatura keeps the page's main text (paragraphs and headings of the article body) and leaves
out navigation, footers, comment sections, scripts and styles; it reads the title, site name,
author and publication date from the page's metadata (``<meta>`` tags, Open Graph, JSON-LD,
``<time>``). The date is taken only from that markup (htmldate without its search of the visible
text), so a scrape date in a page header never becomes the publication date; a date so found is
recorded with ``publication_date_source = "page_metadata"`` and relative dates resolve from it.

The extracted text is the article text: evidence offsets index it, and it is stored with the
records (``ResultRecord.article``) and in a labelling folder, where reviewers and the scorer
read it.

>>> page = ('<html><head><title>Blast | Synthetic Wire</title>'
...         '<meta property="og:site_name" content="Synthetic Wire">'
...         '<meta property="article:published_time" content="2024-03-12"></head><body>'
...         '<script>var x = "Officials said 900 were killed.";</script><article>'
...         '<p>A drone struck a fuel depot near Koya on Monday, officials said.</p>'
...         '<p>Two guards were injured in the attack, the district mayor said.</p>'
...         '</article></body></html>')  # synthetic
>>> text, meta = page_text_and_metadata(page.encode(), "page.html")
>>> "900" in text, text.splitlines()[-1]
(False, 'Two guards were injured in the attack, the district mayor said.')
>>> meta["outlet"], meta["publication_date"], meta["publication_date_source"]
('Synthetic Wire', '2024-03-12', 'page_metadata')
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

from schemas.input.reading import MAX_CHARS, ArticleInputError, decode_text

HTML_SUFFIXES = (".html", ".htm")
MAX_CONTENT_BYTES = 2 * 1024 * 1024
"""Most markup and text a page may hold outside its scripts, styles and comments. Parsing costs
memory in proportion to it (about 30 MB per MB of text), so this keeps a page's peak under
200 MB; a page's whole file may be larger (:data:`~schemas.input.reading.MAX_PAGE_BYTES`), as
scripts are cheap to parse."""
_NOT_CONTENT = re.compile(rb"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)


def content_bytes(page: bytes) -> int:
    """Bytes of ``page`` outside its scripts, styles and comments.

    >>> content_bytes(b"<p>ab</p><script>var x = 1;</script><!-- c -->")
    9
    """
    return len(page) - sum(m.end() - m.start() for m in _NOT_CONTENT.finditer(page))


_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _quiet() -> None:
    for name in ("trafilatura", "htmldate", "courlan", "readability", "justext"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _page_str(data: bytes, where: str) -> str | bytes:
    """Bytes with a byte-order mark, decoded; other bytes as they are (trafilatura reads the
    page's declared charset)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return decode_text(data, where, max_chars=len(data))
    if b"\x00" in data[:65536]:
        raise ArticleInputError(where, "looks binary (contains NUL bytes); expected an HTML page")
    return data


def page_text_and_metadata(
    page: bytes | str, where: str | Path, *, max_chars: int = MAX_CHARS
) -> tuple[str, dict[str, Any]]:
    """The main text of an HTML page and the Article fields its metadata gives."""
    import trafilatura  # imported here: it costs a second of start-up that plain text never needs

    _quiet()
    src = str(where)
    content = _page_str(page, src) if isinstance(page, bytes) else page
    if isinstance(content, str) and not content.strip():
        raise ArticleInputError(src, "the page is empty")
    size = content_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if size > MAX_CONTENT_BYTES:
        raise ArticleInputError(
            src,
            f"has {size:,} bytes of markup and text outside its scripts and styles; the limit "
            f"for a page is {MAX_CONTENT_BYTES:,}",
        )
    doc = trafilatura.bare_extraction(
        content,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        date_extraction_params=dict(_DATE_PARAMS),
    )
    info: dict[str, Any] = {} if doc is None else doc if isinstance(doc, dict) else doc.as_dict()
    text = info.get("text") or ""
    if not text.strip():
        raise ArticleInputError(src, "has no main text that trafilatura could find (is it a page?)")
    if len(text) > max_chars:
        raise ArticleInputError(
            src, f"has {len(text):,} characters of main text; the limit is {max_chars:,}"
        )
    meta: dict[str, Any] = {"extracted_from": "html"}
    for field, value in (
        ("title", info.get("title")),
        ("outlet", info.get("sitename")),
        ("author", info.get("author")),
        ("url", info.get("url")),
    ):
        if isinstance(value, str) and value.strip():
            meta[field] = value.strip()
    date = info.get("date")
    if isinstance(date, str) and date:
        try:
            meta["publication_date"] = dt.date.fromisoformat(date[:10]).isoformat()
            meta["publication_date_source"] = "page_metadata"
        except ValueError:
            meta["publication_date_text"] = date
    return text, meta
