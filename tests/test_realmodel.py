"""sitrep against a REAL model: SmolLM2-135M-Instruct on llama.cpp (tests/realmodel_support.py).

A 135M model is not expected to extract well, so these tests assert only what it can honestly be
held to, in every mode, on the five bundled articles, through the same path as ``sitrep extract``:

- the server never crashes (it is still running at the end);
- every article ends with a schema-valid answer or a failure record whose kind and reason say
  what happened (never a lost connection, never an internal error);
- no retry storm: no article takes more requests than one answer, its re-asks and the one extra
  try for an answer the server could not parse;
- bounded time per article: an article timeout (a setting, not a timing assertion);
- usage and the server's own model name are recorded.

Run them with ``pytest -m realmodel`` once ``bash .ci/llama-server.sh`` has filled the cache;
without it they skip (in CI, ``.ci/run`` fills it and sets ``SITREP_REQUIRE_REALMODEL=1``).
``SITREP_REALMODEL_REPORT=FILE`` appends one JSON line per article (mode, outcome, tokens,
seconds) for the README's figures.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from realmodel_support import MODEL_ALIAS, LocalServer, require_cache
from rich.console import Console

from extraction.batch.results import ResultRecord, read_records
from extraction.cli.extract import run_extract_batch

pytestmark = pytest.mark.realmodel

ARTICLES = sorted((Path(__file__).parents[1] / "evals" / "articles").glob("*.txt"))
REQUESTED = "smollm2"  # what sitrep asks for; the servers answer as MODEL_ALIAS
MAX_TOKENS = 192
MAX_REASKS = 1
MAX_REQUESTS = 1 + MAX_REASKS + 1  # an answer, its re-asks, one more try after a server 500
ARTICLE_TIMEOUT = float(os.environ.get("SITREP_REALMODEL_ARTICLE_TIMEOUT") or 60)
"""Seconds one article may take in all: 40 article runs stay within CI's budget even if every one
times out (raise it on a loaded machine, where a timed-out article is an honest failure record)."""
FAILURE_KINDS = {"truncated", "invalid", "unparseable", "timeout", "server", "api"}
""""api": the server could not parse the model's own answer in this mode (a deterministic 500)."""


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with LocalServer("llama-server", require_cache("llama-server"), log) as server:
        yield server


@pytest.fixture(scope="module")
def llama_cpp_python(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    log = tmp_path_factory.mktemp("llama-cpp-python") / "server.log"
    with LocalServer("llama-cpp-python", require_cache("llama-cpp-python"), log) as server:
        yield server


def _extract(server: LocalServer, mode: str, out: Path) -> list[ResultRecord]:
    started = time.monotonic()
    code = run_extract_batch(
        ARTICLES,
        out,
        model=REQUESTED,
        base_url=server.url,
        mode=mode,
        concurrency=1,  # one slot: a second call would only queue
        cache_mode="off",
        article_timeout=ARTICLE_TIMEOUT,
        progress=False,
        notice=False,
        options={"max_tokens": MAX_TOKENS, "max_reasks": MAX_REASKS, "timeout": ARTICLE_TIMEOUT},
        environ={},
    )
    records = list(read_records(out))
    _report(server, mode, records, time.monotonic() - started)
    assert code in (0, 1), f"exit code {code}"
    return records


def _report(server: LocalServer, mode: str, records: list[ResultRecord], seconds: float) -> None:
    target = os.environ.get("SITREP_REALMODEL_REPORT")
    if not target:
        return
    with Path(target).open("a", encoding="utf-8") as fh:
        for r in records:
            line = {
                "model": MODEL_ALIAS,
                "server": server.kind,
                "mode": mode,
                "article": r.article_id,
                "status": r.status,
                "kind": r.error.kind if r.error else None,
                "reason": r.error.reason if r.error else None,
                "requests": (r.extraction.producer.attempts if r.extraction else r.error.attempts)
                if (r.extraction or r.error)
                else None,
                "prompt_tokens": r.usage.prompt_tokens,
                "completion_tokens": r.usage.completion_tokens,
                "latency_s": r.extraction.producer.latency_s if r.extraction else None,
                "run_seconds_per_article": round(seconds / max(1, len(records)), 1),
            }
            fh.write(json.dumps(line) + "\n")


def _check(server: LocalServer, records: list[ResultRecord]) -> None:
    assert server.alive(), f"{server.kind} died during the run (see {server.log})"
    assert sorted(r.article_id or "" for r in records) == sorted(a.stem for a in ARTICLES)
    for r in records:
        if r.status == "ok":
            assert r.extraction is not None  # read_records validated it against the schema
            producer = r.extraction.producer
            assert producer.kind == "model" and producer.name == MODEL_ALIAS
            assert producer.parameters["requested_model"] == REQUESTED
            assert 1 <= producer.attempts <= MAX_REQUESTS
            assert producer.usage.prompt_tokens > 0 and producer.usage.completion_tokens > 0
        else:
            assert r.error is not None
            assert r.error.kind in FAILURE_KINDS, f"{r.article_id}: {r.error}"
            assert r.error.reason.strip()
            attempts = r.error.attempts or 0
            assert attempts <= MAX_REQUESTS, f"{r.article_id}: {attempts} requests"
            if r.error.kind in ("truncated", "invalid", "unparseable"):
                assert r.usage.completion_tokens > 0  # the answers it got were counted


@pytest.mark.parametrize("mode", ["json_schema", "json", "md_json", "json_object_schema", "tools"])
def test_every_mode_on_llama_server(llama_server: LocalServer, mode: str, tmp_path: Path) -> None:
    records = _extract(llama_server, mode, tmp_path / "results.jsonl")
    _check(llama_server, records)
    if mode == "json_schema":  # a grammar: what comes back is JSON, unless it was cut off
        assert all(r.error is None or r.error.kind != "unparseable" for r in records)


@pytest.mark.parametrize("mode", ["tools", "json_object_schema"])
def test_llama_cpp_python(llama_cpp_python: LocalServer, mode: str, tmp_path: Path) -> None:
    records = _extract(llama_cpp_python, mode, tmp_path / "results.jsonl")
    _check(llama_cpp_python, records)
    # both send the schema as a grammar: what comes back is JSON, unless it was cut off
    assert all(r.error is None or r.error.kind != "unparseable" for r in records)


def test_a_refused_mode_stops_the_run_at_once_naming_the_mode_to_use(
    llama_cpp_python: LocalServer, tmp_path: Path
) -> None:
    """llama-cpp-python does not take ``response_format: json_schema``: every request would be
    refused the same way, so the run stops after the first refusal (no backoff retries, no failed
    record per article), saying which mode to use, and the server stays up."""
    said = io.StringIO()
    code = run_extract_batch(
        ARTICLES,
        tmp_path / "results.jsonl",
        model=REQUESTED,
        base_url=llama_cpp_python.url,
        mode="json_schema",
        concurrency=1,
        cache_mode="off",
        article_timeout=ARTICLE_TIMEOUT,
        progress=False,
        notice=False,
        options={"max_tokens": MAX_TOKENS, "max_reasks": MAX_REASKS, "timeout": ARTICLE_TIMEOUT},
        console=Console(file=said, width=400),
        environ={},
    )
    assert llama_cpp_python.alive()
    assert code == 2
    assert "--mode json_object_schema" in said.getvalue()
    assert "1 attempt;" in said.getvalue()  # refused once, not retried as an outage
