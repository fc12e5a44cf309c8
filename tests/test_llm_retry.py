"""Reading a server's Retry-After (no network)."""

from __future__ import annotations

import datetime as dt
import email.utils

from extraction.model.retry import retry_after_seconds


def test_retry_after_in_seconds_and_milliseconds() -> None:
    assert retry_after_seconds({"Retry-After": "7"}) == 7.0
    assert retry_after_seconds({"retry-after": "0.5"}) == 0.5
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_seconds({"retry-after": "-3"}) == 0.0


def test_retry_after_as_an_http_date() -> None:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120)
    asked = retry_after_seconds({"Retry-After": email.utils.format_datetime(when, usegmt=True)})
    assert asked is not None and 100 < asked <= 120


def test_no_or_unreadable_retry_after() -> None:
    assert retry_after_seconds(None) is None
    assert retry_after_seconds({"content-type": "application/json"}) is None
    assert retry_after_seconds({"retry-after": "tomorrow-ish"}) is None
