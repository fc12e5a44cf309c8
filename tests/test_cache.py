"""The response cache: keys that change with exactly what changes an answer, the three modes,
WAL, sharing between connections, and nothing secret stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from extraction.batch.cache import CacheError, ResponseCache, article_hash, cache_key
from extraction.redaction import Redactor
from schemas.article import Article

BASE: dict[str, Any] = {
    "model": "gpt-4.1-mini",
    "endpoint": "https://api.openai.com/v1",
    "prompt_hash": "sha256:p",
    "schema_hash": "sha256:s",
    "parameters": {"temperature": 0.0, "max_tokens": 4096},
    "article_hash": "a" * 64,
}


@pytest.mark.parametrize(
    ("field", "other"),
    [
        ("model", "gpt-4.1"),
        ("endpoint", "http://localhost:11434/v1"),
        ("prompt_hash", "sha256:p2"),
        ("schema_hash", "sha256:s2"),
        ("parameters", {"temperature": 0.5, "max_tokens": 4096}),
        ("article_hash", "b" * 64),
    ],
)
def test_every_component_of_the_key_changes_it(field: str, other: Any) -> None:
    assert cache_key(**BASE) != cache_key(**{**BASE, field: other})


def test_key_ignores_credentials_in_the_endpoint() -> None:
    with_creds = {**BASE, "endpoint": "https://user:pw@api.openai.com/v1?api-key=xyz"}
    assert cache_key(**with_creds) == cache_key(**BASE)


def test_article_hash_covers_what_the_model_sees_and_not_the_file_it_came_from() -> None:
    a = Article(id="a", text="Drones hit Erbil.", title="Strike", source_file="x/a.txt")
    assert article_hash(a) == article_hash(a.model_copy(update={"id": "b", "source_file": "y"}))
    assert article_hash(a) != article_hash(a.model_copy(update={"title": "Another"}))
    assert article_hash(a) != article_hash(a.model_copy(update={"text": "Drones hit Koya."}))


def test_read_write_stores_and_a_new_connection_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "c" / "cache.sqlite"
    with ResponseCache(path) as cache:
        cache.put("k1", '{"v": 1}', model="m", endpoint="http://h/v1")
        assert cache.stats.writes == 1
    with ResponseCache(path) as cache:
        assert cache.get("k1") == '{"v": 1}'
        assert cache.get("k2") is None
        assert (cache.stats.hits, cache.stats.misses) == (1, 1)
        assert len(cache) == 1


def test_the_cache_uses_a_wal_journal(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with ResponseCache(path) as cache:
        cache.put("k", "v")
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_two_open_caches_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with ResponseCache(path) as first, ResponseCache(path) as second:
        first.put("k", "from-first")
        assert second.get("k") == "from-first"


def test_read_only_reads_but_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with ResponseCache(path) as cache:
        cache.put("k", "v")
    with ResponseCache(path, "read-only") as cache:
        assert cache.get("k") == "v"
        cache.put("k2", "v2")
        assert cache.stats.writes == 0
    with ResponseCache(path) as cache:
        assert cache.get("k2") is None


def test_read_only_on_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "cache.sqlite"
    with ResponseCache(path, "read-only") as cache:
        assert cache.get("k") is None
        assert not cache.readable
    assert not path.parent.exists()


def test_off_neither_reads_nor_writes(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with ResponseCache(path) as cache:
        cache.put("k", "v")
    with ResponseCache(path, "off") as cache:
        assert cache.get("k") is None
        cache.put("k3", "v3")
    with ResponseCache(path) as cache:
        assert cache.get("k3") is None


def test_unknown_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="read-write, read-only, off"):
        ResponseCache(tmp_path / "c.sqlite", "sometimes")  # type: ignore[arg-type]  # the point


def test_a_value_holding_the_api_key_is_refused_and_endpoints_are_stored_without_credentials(
    tmp_path: Path,
) -> None:
    key = "sk-test-abcdefghijklmnop"
    path = tmp_path / "cache.sqlite"
    with ResponseCache(path, redactor=Redactor([key])) as cache:
        with pytest.raises(CacheError, match="contains a secret"):
            cache.put("k", f'{{"note": "{key}"}}')
        cache.put("k", "{}", endpoint=f"https://me:{key}@llm.example.org/v1")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert key.encode() not in raw
    row = sqlite3.connect(path).execute("SELECT endpoint FROM responses").fetchone()
    assert row[0] == "https://llm.example.org/v1"


def test_a_cache_path_that_cannot_be_a_database_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CacheError, match=str(path)):
        ResponseCache(path)


def test_a_change_to_the_model_facing_schema_keys_answers_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bounds of the schema a model fills live in a data file, apart from the records schema:
    changing them must miss the cache (and make another run), not replay old answers."""
    from extraction.config import resolve_config
    from extraction.pipeline import setup
    from schemas.article import Article

    config = resolve_config("m", base_url="http://127.0.0.1:9/v1", environ={})
    article = Article(id="a", text="Drones struck Koya.")
    before = setup.identity_for(config)
    monkeypatch.setattr(setup, "model_schema_hash", lambda: "sha256:other")
    after = setup.identity_for(config)
    assert before.call_key(article) != after.call_key(article)
    assert before.run_key != after.run_key
