"""Shared test fixtures. Keep this file small: area-specific helpers live beside their tests.

Cassettes (pytest-recording / vcrpy): requests are matched on method, path and the shape of the
chat request (model, message roles, tool names, response format), not on host or port, because the
scripted server listens on a random loopback port. Credentials are stripped before anything is
written: see ``vcr_config`` and tests/cassettes/README.md.
"""

from __future__ import annotations

import json
import re
import tempfile
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from evals.dataset import load_eval_articles
from schemas.article import Article

settings.register_profile("sitrep", database=None)
settings.load_profile("sitrep")
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="sitrep-hypothesis-"))
"""No example database, and hypothesis's other files in a temporary folder: the suite writes no
``.hypothesis/`` folder into the repository."""

pytest_plugins = ["review_page"]  # the review page in Chromium: browser, page_at

_SECRET_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
]
_SECRET_PARAMS = {"key", "api_key", "api-key", "apikey", "token", "access_token"}
_KEY_LIKE = re.compile(r"(?i)\bsk-[A-Za-z0-9_\-]{4,}|(?i:bearer)\s+\S+")


def _scrub_text(text: str) -> str:
    return _KEY_LIKE.sub("[scrubbed]", text)


def _scrub_request(request: Any) -> Any:
    parts = urlsplit(request.uri)
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")  # no user info
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _SECRET_PARAMS]
    request.uri = urlunsplit((parts.scheme, netloc, parts.path, urlencode(query), ""))
    if isinstance(request.body, bytes):
        request.body = _scrub_text(request.body.decode("utf-8", "replace")).encode("utf-8")
    elif isinstance(request.body, str):
        request.body = _scrub_text(request.body)
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _SECRET_HEADERS:
            del headers[name]
    body = response.get("body", {})
    raw = body.get("string")
    if isinstance(raw, bytes):
        body["string"] = _scrub_text(raw.decode("utf-8", "replace")).encode("utf-8")
    elif isinstance(raw, str):
        body["string"] = _scrub_text(raw)
    return response


def _chat_shape(request: Any) -> Any:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return request.body
    if not isinstance(body, dict):
        return body
    return (
        body.get("model"),
        tuple(m.get("role") for m in body.get("messages") or []),
        tuple(t.get("function", {}).get("name") for t in body.get("tools") or []),
        (body.get("response_format") or {}).get("type"),
    )


def chat_shape(r1: Any, r2: Any) -> None:
    """vcr matcher: same model, message roles, tools and response format."""
    s1, s2 = _chat_shape(r1), _chat_shape(r2)
    assert s1 == s2, f"{s1} != {s2}"


def chat_endpoint(r1: Any, r2: Any) -> None:
    """vcr matcher for live cassettes: both are chat-completion requests, wherever served."""
    assert r1.path.endswith("/chat/completions") and r2.path.endswith("/chat/completions")


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_matcher("chat_shape", chat_shape)
    vcr.register_matcher("chat_endpoint", chat_endpoint)


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": _SECRET_HEADERS,
        "before_record_request": _scrub_request,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
        "match_on": ["method", "path", "chat_shape"],
    }


@pytest.fixture(autouse=True)
def _response_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: Any) -> None:
    """Each test has a response cache of its own (``SITREP_CACHE_DIR``), never one in the
    repository or shared with another test."""
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path_factory.mktemp("sitrep-cache")))


@pytest.fixture(scope="session")
def seed_articles() -> list[Article]:
    """The five real eval articles, in id order."""
    return load_eval_articles()


@pytest.fixture
def seed_article(seed_articles: list[Article]) -> Article:
    """Seed article 000 (UPI: Iran's strikes on Kurdish opposition groups in Iraq)."""
    return seed_articles[0]
