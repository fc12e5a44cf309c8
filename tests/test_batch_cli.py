"""``sitrep extract`` as a function and as a typer command: exit codes, outputs, usage errors."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from benchmarks.loopback import ThreadedServer, default_records
from extraction.batch.results import read_records
from extraction.cli.extract import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    count_items,
    extract_command,
    run_extract_batch,
)

OPTIONS = {"timeout": 5.0, "max_transport_retries": 1, "backoff_initial": 0.01}


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedServer]:
    with ThreadedServer() as s:
        yield s


def make_folder(tmp: Path, n: int = 3) -> Path:
    folder = tmp / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(f"A drone struck a market in Koya, report {i}.\n")
    return folder


def run(
    paths: list[Path], out: Path | str, url: str | None, tmp: Path, **kw: object
) -> tuple[int, str]:
    stream = io.StringIO()
    code = run_extract_batch(
        paths,
        out,
        model="loopback-model" if url else None,
        base_url=url,
        cache_path=tmp / "cache.sqlite",
        options=OPTIONS if url else None,
        console=Console(file=stream, width=200),
        environ={},
        **kw,  # type: ignore[arg-type]  # keyword arguments of each test
    )
    return code, stream.getvalue()


def test_a_clean_batch_exits_0_with_results_in_input_order_and_a_summary(
    tmp_path: Path, server: ThreadedServer
) -> None:
    folder = make_folder(tmp_path, 5)
    out = tmp_path / "results.jsonl"
    code, output = run([folder], out, server.url, tmp_path)
    assert code == EXIT_OK
    assert [r.key for r in read_records(out)] == [f"a{i}" for i in range(5)]
    summary = json.loads((tmp_path / "results.summary.json").read_text())
    assert (summary["articles"], summary["ok"], summary["failed"]) == (5, 5, 0)
    assert summary["this_run"]["calls"] == 5
    assert summary["cost_usd"] is None and summary["price"] is None  # an unpriced model
    assert "5 (5 ok, 0 failed)" in output


def test_a_price_table_prices_the_run(tmp_path: Path, server: ThreadedServer) -> None:
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps({"models": {"loopback-model": {"input": 1.0, "output": 4.0}}}))
    folder = make_folder(tmp_path, 2)
    code, _ = run([folder], tmp_path / "r.jsonl", server.url, tmp_path, prices_path=prices)
    assert code == EXIT_OK
    records = list(read_records(tmp_path / "r.jsonl"))
    for r in records:
        expected = (r.usage.prompt_tokens * 1.0 + r.usage.completion_tokens * 4.0) / 1e6
        assert r.cost_usd is not None and r.cost_usd > 0
        assert r.cost_usd == pytest.approx(expected)
    summary = json.loads((tmp_path / "r.summary.json").read_text())
    assert summary["cost_usd"] == pytest.approx(sum(r.cost_usd or 0 for r in records))
    assert summary["price"]["input_per_1m"] == 1.0


def test_a_failed_article_makes_the_exit_code_1(tmp_path: Path, server: ThreadedServer) -> None:
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(
        json.dumps({"id": "good", "text": "A drone struck a market in Koya."})
        + "\n"
        + json.dumps({"id": "bad id!", "text": "x"})
        + "\n"
    )
    code, _ = run([jsonl], tmp_path / "r.jsonl", server.url, tmp_path)
    assert code == EXIT_FAILED
    records = {r.key: r for r in read_records(tmp_path / "r.jsonl")}
    assert records["good"].status == "ok"
    error = records[f"@{jsonl}:2"].error
    assert error is not None and error.kind == "input" and "field 'id'" in error.reason


def test_out_dash_streams_records_to_stdout(
    tmp_path: Path, server: ThreadedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_folder(tmp_path, 2)
    code, _ = run([folder], "-", server.url, tmp_path)
    assert code == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert sorted(json.loads(line)["key"] for line in lines) == ["a0", "a1"]
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cache_mode": "sometimes"}, "--cache must be one of read-write, read-only, off"),
        ({"concurrency": 0}, "concurrency must be at least 1"),
        (
            {"prices_path": Path("/nonexistent/prices.json")},
            "/nonexistent/prices.json: cannot be read",
        ),
    ],
)
def test_usage_errors_exit_2_and_say_what_is_wrong(
    tmp_path: Path, server: ThreadedServer, kwargs: dict[str, object], message: str
) -> None:
    folder = make_folder(tmp_path, 1)
    code, output = run([folder], tmp_path / "r.jsonl", server.url, tmp_path, **kwargs)
    assert code == EXIT_USAGE
    assert message in " ".join(output.split())
    assert not (tmp_path / "r.jsonl").exists()


def test_an_endpoint_without_a_model_is_a_configuration_error(tmp_path: Path) -> None:
    stream = io.StringIO()
    code = run_extract_batch(
        [make_folder(tmp_path, 1)],
        tmp_path / "r.jsonl",
        base_url="http://127.0.0.1:9/v1",
        console=Console(file=stream, width=200),
        environ={},
    )
    assert code == EXIT_USAGE
    assert "no model" in stream.getvalue()


def test_a_results_file_of_another_model_is_refused_with_exit_2(
    tmp_path: Path, server: ThreadedServer
) -> None:
    folder = make_folder(tmp_path, 1)
    out = tmp_path / "r.jsonl"
    assert run([folder], out, server.url, tmp_path)[0] == EXIT_OK
    stream = io.StringIO()
    code = run_extract_batch(
        [folder],
        out,
        model="another-model",
        base_url=server.url,
        options=OPTIONS,
        cache_path=tmp_path / "cache.sqlite",
        console=Console(file=stream, width=300),
        environ={},
    )
    assert code == EXIT_USAGE
    assert "another configuration" in stream.getvalue() and "--overwrite" in stream.getvalue()


def test_count_items_counts_files_and_jsonl_lines_without_parsing(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, 3)
    (folder / "more.jsonl").write_text('{"id": "x"}\n\n{"id": "y"}\nnot json\n')
    (folder / "notes.md").write_text("ignored")
    assert count_items([folder]) == 3 + 3
    assert count_items([folder / "a0.txt", folder / "more.jsonl"]) == 1 + 3


def test_the_typer_command_mounts_and_passes_the_exit_code(
    tmp_path: Path, server: ThreadedServer
) -> None:
    app = typer.Typer()
    app.command("extract")(extract_command)
    app.command("noop")(lambda: None)  # two commands: 'extract' is a sub-command, as in sitrep
    folder = make_folder(tmp_path, 2)
    runner = CliRunner()
    help_text = runner.invoke(app, ["extract", "--help"]).output
    for option in ("--out", "--concurrency", "--rpm", "--tpm", "--cache", "--retry-failed"):
        assert option in help_text
    result = runner.invoke(
        app,
        [
            "extract",
            str(folder),
            "--out",
            str(tmp_path / "r.jsonl"),
            "--model",
            "loopback-model",
            "--base-url",
            server.url,
            "--cache-path",
            str(tmp_path / "c.sqlite"),
            "--quiet",
            "--timeout",
            "5",
            "-j",
            "2",
        ],
        env={"SITREP_MODEL": "", "SITREP_BASE_URL": ""},
    )
    assert result.exit_code == EXIT_OK, result.output
    assert [r.key for r in read_records(tmp_path / "r.jsonl")] == ["a0", "a1"]


def test_with_no_model_the_offline_baseline_runs_through_the_same_command(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "koya.txt").write_text(
        "Drone strikes targeted the PDKI in Koya on Monday, killing at least two people, "
        "officials said.\n"
    )
    (folder / "empty.txt").write_text("\n")
    code, output = run([folder], tmp_path / "r.jsonl", None, tmp_path)
    assert code == EXIT_FAILED  # the empty file
    assert "no model configured" in output
    records = {r.key: r for r in read_records(tmp_path / "r.jsonl")}
    koya = records["koya"]
    assert koya.extraction is not None and koya.extraction.producer.kind == "baseline"
    assert koya.extraction.events and koya.cost_usd == 0.0
    assert not (tmp_path / "cache.sqlite").exists()  # the baseline is not cached


def test_the_same_command_twice_makes_no_call_the_second_time(
    tmp_path: Path, server: ThreadedServer
) -> None:
    folder = make_folder(tmp_path, 4)
    out = tmp_path / "r.jsonl"
    assert run([folder], out, server.url, tmp_path)[0] == EXIT_OK
    first = out.read_bytes()
    seen = server.stats.requests
    code, output = run([folder], out, server.url, tmp_path)
    assert code == EXIT_OK
    assert server.stats.requests == seen
    assert out.read_bytes() == first
    assert "0 processed, 4 already done, 0 calls" in output


def _event_per_chunk(request: dict[str, Any], article: str) -> dict[str, Any]:
    """One event per chunk, at a place named after the chunk's first account number."""
    records = default_records(request, article)
    for event in records["events"]:
        number = re.search(r"account number (\d+)", event["evidence"]["quote"])
        event["location"] = {"place": f"Site {number.group(1) if number else '?'}"}
    return records


def test_a_long_article_goes_through_the_model_in_chunks_with_offsets_into_the_whole_text(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    paragraphs = [f"Shelling hit the village of Koya again, account number {i}." for i in range(40)]
    text = "\n\n".join(paragraphs) + "\n"
    (folder / "long.txt").write_text(text)
    with ThreadedServer(responder=_event_per_chunk) as server:
        code, _ = run([folder], tmp_path / "r.jsonl", server.url, tmp_path, chunk_tokens=200)
        requests = server.stats.requests
    assert code == EXIT_OK
    (record,) = read_records(tmp_path / "r.jsonl")
    assert record.chunks > 2 and record.calls == record.chunks == requests
    assert record.extraction is not None
    events = record.extraction.events
    assert len(events) == record.chunks  # one per chunk, none lost, none doubled
    assert [e.id for e in events] == [f"E{i + 1}" for i in range(len(events))]
    for event in events:
        ev = event.evidence
        assert ev is not None and ev.start is not None and ev.end is not None
        assert text[ev.start : ev.end] == ev.quote
    assert max(e.evidence.start for e in events if e.evidence and e.evidence.start) > 1000


def test_the_model_path_closes_its_client_when_the_batch_ends(
    tmp_path: Path, server: ThreadedServer
) -> None:
    """One openai client serves a whole batch (one connection pool); the batch closes it at the
    end, and the next batch on another event loop gets a fresh one."""
    import asyncio

    from extraction.batch.run import run_batch
    from extraction.config import resolve_config
    from extraction.model.openai_backend import OpenAIBackend
    from extraction.pipeline.setup import identity_for
    from schemas.article import Article

    config = resolve_config(
        "loopback-model", base_url=server.url, environ={}, timeout=5.0, max_transport_retries=1
    )
    assert config is not None
    fn = OpenAIBackend(config)
    seen: list[Any] = []

    async def batch(tag: str) -> int:
        items = [
            Article(id=f"{tag}{i}", text=f"A drone struck Koya, report {tag}{i}.") for i in range(3)
        ]
        original = fn._client

        def spy() -> Any:
            client = original()
            if client not in seen:
                seen.append(client)
            return client

        fn._client = spy  # type: ignore[method-assign]  # to see which client each call used
        try:
            result = await run_batch(
                items, fn, tmp_path / f"{tag}.jsonl", identity=identity_for(config)
            )
        finally:
            del fn._client
        return result.progress.ok

    assert asyncio.run(batch("a")) == 3
    assert asyncio.run(batch("b")) == 3
    assert len(seen) == 2  # one client per batch, not one per call
    assert all(client.is_closed() for client in seen)
    assert len(fn._clients) == 0
