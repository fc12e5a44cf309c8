"""Fault tests: the real model path (openai client, instructor, sitrep's retry policy) against the
loopback server injecting 429 with Retry-After, 500, 503, connection resets, answers slower than
the timeout, malformed JSON and output cut off by the token limit, plus unreadable inputs. The
batch must finish with every article either extracted or recorded as failed with its reason:
nothing lost, nothing duplicated."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console

from benchmarks.loopback import ThreadedServer
from extraction.batch.results import read_records
from extraction.cli.extract import EXIT_FAILED, EXIT_OK, run_extract_batch

OPTIONS = {
    "timeout": 60.0,  # far above any answer's delay under load: only the slow test times out
    "max_transport_retries": 2,
    "backoff_initial": 0.01,
    "backoff_max": 0.02,
    "max_reasks": 1,
    "local_server": False,  # the fault server on loopback stands in for a remote one
}
SLOW_OPTIONS = {**OPTIONS, "timeout": 1.5}
"""For the slow articles alone: the server holds a slow answer until the client hangs up, so the
timeout fires on every slow attempt, whatever the load."""

# article id -> (fault marker, expected status or error kind)
SCRIPT = {
    "plain-1": ("", "ok"),
    "plain-2": ("", "ok"),
    "rate-limited-twice": ("FAULT:rate_limit*2", "ok"),
    "rate-limited-always": ("FAULT:rate_limit*always", "rate_limit"),
    "error-500-once": ("FAULT:server500*1", "ok"),
    "error-503-always": ("FAULT:server503*always", "server"),
    "reset-once": ("FAULT:reset*1", "ok"),
    "reset-always": ("FAULT:reset*always", "connection"),
    "malformed-once": ("FAULT:malformed*1", "ok"),
    "malformed-always": ("FAULT:malformed*always", "unparseable"),
    "truncated-always": ("FAULT:truncated*always", "truncated"),
}
SLOW_SCRIPT = {
    "slow-once": ("FAULT:slow*1", "ok"),
    "slow-always": ("FAULT:slow*always", "timeout"),
}
BAD_INPUTS = {
    "empty": b"   \n",
    "binary": b"PK\x03\x04\x00\x00binary",
    "latin1": "Caf\xe9 bombed in the capital.".encode("latin-1"),
    "too-long": b"A drone struck Koya. " * 10_000,  # 210,000 characters
}


def write_inputs(folder: Path, script: dict[str, tuple[str, str]] = SCRIPT) -> None:
    folder.mkdir()
    for name, (marker, _) in script.items():
        text = f"A drone struck a market in Koya on Monday, says report {name}.\n\n{marker}\n"
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    if script is SCRIPT:
        for name, data in BAD_INPUTS.items():
            (folder / f"{name}.txt").write_bytes(data)


def run(
    folder: Path,
    out: Path,
    url: str,
    cache: Path,
    options: dict[str, float] = OPTIONS,
    **kw: object,
) -> tuple[int, str]:
    stream = io.StringIO()
    code = run_extract_batch(
        [folder],
        out,
        model="loopback-model",
        base_url=url,
        concurrency=8,
        cache_path=cache,
        options=options,
        console=Console(file=stream, width=120),
        environ={},
        **kw,  # type: ignore[arg-type]  # keyword arguments of each test
    )
    return code, stream.getvalue()


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path, ThreadedServer]:
    tmp = tmp_path_factory.mktemp("faults")
    write_inputs(tmp / "in")
    with ThreadedServer() as server:
        code, output = run(tmp / "in", tmp / "results.jsonl", server.url, tmp / "cache.sqlite")
    return code, output, tmp, server


def test_a_request_with_no_answer_times_out_and_is_retried(tmp_path: Path) -> None:
    write_inputs(tmp_path / "in", SLOW_SCRIPT)
    with ThreadedServer(slow_seconds=None) as server:
        code, _ = run(
            tmp_path / "in", tmp_path / "out.jsonl", server.url, tmp_path / "c.sqlite", SLOW_OPTIONS
        )
    records = {r.key: r for r in read_records(tmp_path / "out.jsonl")}
    assert code == EXIT_FAILED
    recovered = records["slow-once"].extraction
    assert recovered is not None and recovered.producer.attempts == 2
    failed = records["slow-always"].error
    assert failed is not None and failed.kind == "timeout" and failed.attempts == 3
    assert "did not answer within 1.5s" in failed.reason
    assert server.stats.faults["slow"] == 1 + 3


def test_every_article_has_exactly_one_record_with_the_expected_outcome(
    faulty_run: tuple[int, str, Path, ThreadedServer],
) -> None:
    code, _, tmp, _ = faulty_run
    lines = (tmp / "results.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    keys = [r["key"] for r in records]
    assert len(keys) == len(set(keys)) == len(SCRIPT) + len(BAD_INPUTS)
    outcome = {
        r["key"]: r["status"] if r["status"] == "ok" else r["error"]["kind"] for r in records
    }
    for name, (_, expected) in SCRIPT.items():
        assert outcome[name] == expected, (name, records[keys.index(name)].get("error"))
    for name in BAD_INPUTS:
        key = next(k for k in keys if k.endswith(f"{name}.txt"))
        assert outcome[key] == "input"
    assert code == EXIT_FAILED


def test_error_records_say_why_in_words_a_person_can_act_on(
    faulty_run: tuple[int, str, Path, ThreadedServer],
) -> None:
    _, _, tmp, _ = faulty_run
    reasons = {r.key: r.error.reason for r in read_records(tmp / "results.jsonl") if r.error}
    assert "HTTP 429" in reasons["rate-limited-always"]
    assert "HTTP 503" in reasons["error-503-always"]
    assert "dropped before the answer was complete" in reasons["reset-always"]
    assert "max_tokens" in reasons["truncated-always"]
    assert "JSON" in reasons["malformed-always"]
    by_file = {k.rsplit("/", 1)[-1]: v for k, v in reasons.items() if k.startswith("@")}
    assert "empty" in by_file["empty.txt"]
    assert "binary" in by_file["binary.txt"]
    assert "not UTF-8 but looks like Windows-1252" in by_file["latin1.txt"]
    assert "longer than the limit of 200,000 characters" in by_file["too-long.txt"]


def test_transient_faults_were_retried_and_their_records_count_the_attempts(
    faulty_run: tuple[int, str, Path, ThreadedServer],
) -> None:
    _, _, tmp, server = faulty_run
    records = {r.key: r for r in read_records(tmp / "results.jsonl")}
    for name in ("rate-limited-twice", "error-500-once", "reset-once"):
        extraction = records[name].extraction
        assert extraction is not None and extraction.producer.attempts >= 2, name
        assert len(extraction.events) == 1
    failed = records["error-503-always"].error
    assert failed is not None and failed.attempts == 3 and failed.retryable
    faults = server.stats.faults
    assert faults["rate_limit"] == 2 + 3 and faults["server503"] == 3 and faults["reset"] == 1 + 3


def test_the_summary_counts_the_failures_by_kind(
    faulty_run: tuple[int, str, Path, ThreadedServer],
) -> None:
    _, output, tmp, _ = faulty_run
    summary = json.loads((tmp / "results.summary.json").read_text())
    expected = Counter(kind for _, kind in SCRIPT.values() if kind != "ok")
    expected["input"] = len(BAD_INPUTS)
    assert summary["failed_by_kind"] == dict(sorted(expected.items()))
    assert summary["ok"] == sum(kind == "ok" for _, kind in SCRIPT.values())
    assert summary["articles"] == len(SCRIPT) + len(BAD_INPUTS)
    assert f"{summary['failed']} failed" in output


def test_a_warm_rerun_into_a_new_file_makes_no_call_for_what_succeeded(
    faulty_run: tuple[int, str, Path, ThreadedServer], tmp_path: Path
) -> None:
    _, _, tmp, _ = faulty_run
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("plain-1", "plain-2", "rate-limited-twice", "malformed-once"):
        (folder / f"{name}.txt").write_bytes((tmp / "in" / f"{name}.txt").read_bytes())
    with ThreadedServer() as server:  # the cache key names the endpoint: one server, one port
        first, _ = run(folder, tmp_path / "one.jsonl", server.url, tmp_path / "c.sqlite")
        seen = server.stats.requests
        second, _ = run(folder, tmp_path / "two.jsonl", server.url, tmp_path / "c.sqlite")
        assert (first, second) == (EXIT_OK, EXIT_OK)
        assert seen >= 4 and server.stats.requests == seen
    one = {r.key: r for r in read_records(tmp_path / "one.jsonl")}
    two = list(read_records(tmp_path / "two.jsonl"))
    assert len(two) == 4
    for record in two:
        assert record.cached and record.calls == 0
        assert record.extraction == one[record.key].extraction


def test_model_path_errors_carry_their_kind_in_their_class_not_their_wording() -> None:
    """The kind comes from the exception's class, not from the message text."""
    import httpx2
    import openai

    from extraction.config import resolve_config
    from extraction.errors import RequestTimedOut, Unreachable
    from extraction.failures import kind_of
    from extraction.model.retry import describe_failure
    from schemas.records import Usage

    cfg = resolve_config("m", base_url="http://127.0.0.1:9/v1", environ={})
    assert cfg is not None
    request = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    timeout = describe_failure(
        openai.APITimeoutError(request=request), cfg, attempts=3, usage=Usage()
    )
    assert isinstance(timeout, RequestTimedOut) and timeout.attempts == 3
    timeout.message = "reworded by someone later"
    assert kind_of(timeout) == "timeout"
    refused = describe_failure(
        openai.APIConnectionError(request=request), cfg, attempts=2, usage=Usage()
    )
    assert isinstance(refused, Unreachable) and kind_of(refused) == "connection"
