"""``sitrep extract --via openai-batch`` against a scripted Files + Batches server on loopback:
the same records as the synchronous road, resume without a second batch, partial failures,
expired and failed batches, batch prices."""

from __future__ import annotations

import asyncio
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from openai.types import Batch
from rich.console import Console

from benchmarks.loopback import article_of, default_records
from extraction.batch.results import ResultRecord, read_records
from extraction.cli.extract import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, run_extract_batch
from extraction.config import resolve_config
from extraction.pipeline.setup import identity_for
from extraction.scale import batch_road, cli_hook
from extraction.scale.batch_state import (
    AnswerStore,
    BatchEntry,
    BatchLedger,
    BatchStateError,
    ledger_path,
)
from extraction.scale.openai_batch import BatchJobs
from schemas.loaders import iter_paths
from tests.scripted_batch_server import (
    SCRIPTED_MODEL,
    Lifecycle,
    ScriptedBatchServer,
    content_reply,
    error_reply,
    tool_call_reply,
)
from tests.scripted_server import Reply

OPTIONS = {"timeout": 5.0, "max_transport_retries": 0, "max_reasks": 2}
PRICES = {"models": {SCRIPTED_MODEL: {"input": 2.0, "output": 8.0, "batch_input": 1.0,
                                      "batch_output": 4.0}}}  # fmt: skip


@pytest.fixture(autouse=True)
def no_waiting_between_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_hook, "POLL_INTERVAL", 0.0)


def answer(body: dict[str, Any]) -> Reply:
    """Scripted from the request: the article's first sentence as one event's evidence; an
    article holding REFUSE is refused (HTTP 400); one holding REASK first gets a quote it does
    not hold (so the answer is re-asked), then a good one."""
    article = article_of(body)
    if "REFUSE" in article:
        return error_reply(400, "scripted refusal")
    records = default_records(body, article)
    if "REASK" in article and len(body["messages"]) == 2:
        records["events"][0]["evidence"]["quote"] = "Nothing of the sort happened anywhere."
    reply = tool_call_reply if "tools" in body else content_reply
    return reply(records, usage=(1000, 200))


def make_inputs(tmp: Path) -> Path:
    folder = tmp / "in"
    folder.mkdir()
    texts = {
        "a1": "A drone struck a market in Koya on Monday, officials said.",
        "a2": "Shelling hit the village of Sidakan overnight, residents reported.",
        "a3": "REASK A rocket landed near the airport in Erbil, police said.",
        "a4": "A drone struck a market in Koya on Monday, officials said.",  # same text as a1
        "a5": "\n\n".join(f"Shelling hit Koya again, account number {i}." for i in range(30)),
    }
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text + "\n")
    return folder


def run(tmp: Path, url: str, out: Path, *, via: str, tag: str, **kw: Any) -> tuple[int, str]:
    stream = io.StringIO()
    (tmp / "prices.json").write_text(json.dumps(PRICES))
    code = run_extract_batch(
        [tmp / "in"],
        out,
        model=SCRIPTED_MODEL,
        base_url=url,
        cache_path=tmp / f"cache-{tag}.sqlite",
        prices_path=tmp / "prices.json",
        chunk_tokens=120,
        options=OPTIONS,
        console=Console(file=stream, width=300),
        environ={},
        via=via,
        concurrency=1,
        **kw,
    )
    return code, stream.getvalue()


def comparable(record: ResultRecord) -> dict[str, Any]:
    """A record without what differs between any two runs (timings, cost) or roads."""
    data = record.model_dump(mode="json", exclude={"cost_usd", "finished_at"})
    if data.get("extraction"):
        data["extraction"]["producer"].pop("latency_s")
        data["extraction"]["producer"].pop("created_at")
    return data


@pytest.mark.parametrize("mode", ["tools", "json"])
def test_the_batch_road_gives_the_records_of_the_synchronous_road_at_batch_prices(
    tmp_path: Path, mode: str
) -> None:
    make_inputs(tmp_path)
    with ScriptedBatchServer(answer) as server:
        sync_code, _ = run(
            tmp_path, server.url, tmp_path / "sync.jsonl", via="sync", tag="s", mode=mode
        )
        sync_chat = len(server.chat_requests)
        code, output = run(
            tmp_path, server.url, tmp_path / "b.jsonl", via="openai-batch", tag="b", mode=mode
        )
        reasks = len(server.chat_requests) - sync_chat
        (batch,) = server.batches.values()
        lines = [json.loads(x) for x in server.files[batch.input_file_id].splitlines()]
    assert sync_code == code == EXIT_OK
    sync = list(read_records(tmp_path / "sync.jsonl"))
    via_batch = list(read_records(tmp_path / "b.jsonl"))
    assert [comparable(r) for r in via_batch] == [comparable(r) for r in sync]
    assert [r.key for r in via_batch] == ["a1", "a2", "a3", "a4", "a5"]
    chunks = next(r.chunks for r in via_batch if r.key == "a5")
    assert chunks > 1
    # one line per distinct call (a4 repeats a1's text), the re-ask of a3 sent synchronously
    assert len(lines) == 3 + chunks and len({x["custom_id"] for x in lines}) == len(lines)
    assert reasks == 1
    assert all(("tools" in x["body"]) == (mode == "tools") for x in lines)
    reasked = next(r for r in via_batch if r.key == "a3")
    assert reasked.extraction is not None and reasked.extraction.producer.attempts == 2
    a1 = next(r for r in via_batch if r.key == "a1")
    sync_a1 = next(r for r in sync if r.key == "a1")
    assert a1.cost_usd == pytest.approx(1000 * 1.0e-6 + 200 * 4.0e-6)
    assert sync_a1.cost_usd == pytest.approx(2 * a1.cost_usd)
    assert f"completed, {len(lines)}/{len(lines)} answered" in output


def test_a_rerun_answers_from_the_cache_and_submits_nothing(tmp_path: Path) -> None:
    make_inputs(tmp_path)
    with ScriptedBatchServer(answer) as server:
        first, _ = run(tmp_path, server.url, tmp_path / "b.jsonl", via="openai-batch", tag="b")
        (tmp_path / "b.jsonl").unlink()
        again, _ = run(tmp_path, server.url, tmp_path / "b.jsonl", via="openai-batch", tag="b")
        assert len(server.batches) == 1 and len(server.files) == 2  # request file, output file
    assert first == again == EXIT_OK
    assert {r.cached for r in read_records(tmp_path / "b.jsonl")} == {True}


class Interrupt(KeyboardInterrupt):
    pass


def test_an_interrupted_run_picks_its_batch_up_without_creating_another(tmp_path: Path) -> None:
    make_inputs(tmp_path)
    out = tmp_path / "b.jsonl"

    def stop_when_running(number: int, total: int, batch: Batch) -> None:
        if batch.status == "in_progress":
            raise Interrupt

    async def first_run(url: str) -> None:
        config = resolve_config(SCRIPTED_MODEL, base_url=url, environ={}, **OPTIONS)
        assert config is not None
        await batch_road.run_openai_batch(
            lambda: iter_paths([tmp_path / "in"]),
            config,
            out,
            identity=identity_for(config, chunk_tokens=120),
            on_status=stop_when_running,
            poll_interval=0,
        )

    with ScriptedBatchServer(answer) as server:
        with pytest.raises(Interrupt):
            asyncio.run(first_run(server.url))
        ledger = json.loads(ledger_path(out).read_text())
        assert [b["status"] for b in ledger["batches"]] == ["in_progress"]
        code, _ = run(tmp_path, server.url, out, via="openai-batch", tag="b")
        assert len(server.batches) == 1
    assert code == EXIT_OK
    assert [r.status for r in read_records(out)] == ["ok"] * 5


def test_a_batch_created_but_not_written_down_is_found_again_not_paid_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash between the provider creating the batch and the ledger saving its id: the rerun
    finds the batch among the provider's by its request file."""
    make_inputs(tmp_path)
    out = tmp_path / "b.jsonl"
    real_create = BatchJobs._create

    async def created_then_crash(self: BatchJobs, entry: Any) -> None:
        await self.client.batches.create(
            input_file_id=entry.input_file_id,
            endpoint="/v1/chat/completions",
            completion_window="24h",
        )
        raise Interrupt

    with ScriptedBatchServer(answer) as server:
        monkeypatch.setattr(BatchJobs, "_create", created_then_crash)
        code, _ = run(tmp_path, server.url, out, via="openai-batch", tag="b")
        assert code == EXIT_INTERRUPTED
        saved = json.loads(ledger_path(out).read_text())["batches"]
        assert len(saved) == 1 and saved[0]["batch_id"] is None
        monkeypatch.setattr(BatchJobs, "_create", real_create)
        code, _ = run(tmp_path, server.url, out, via="openai-batch", tag="b")
        assert len(server.batches) == 1
    assert code == EXIT_OK
    assert [r.status for r in read_records(out)] == ["ok"] * 5


def test_lines_the_provider_refused_fail_their_articles_with_its_reason(tmp_path: Path) -> None:
    make_inputs(tmp_path)
    (tmp_path / "in" / "a2.txt").write_text("REFUSE Shelling hit Sidakan overnight, they said.\n")
    with ScriptedBatchServer(answer) as server:
        code, _ = run(tmp_path, server.url, tmp_path / "b.jsonl", via="openai-batch", tag="b")
    assert code == EXIT_FAILED
    records = {r.key: r for r in read_records(tmp_path / "b.jsonl")}
    failed = records["a2"]
    assert failed.status == "error" and failed.error is not None
    assert failed.error.kind == "api"
    assert "refused this request in batch batch-scripted-" in failed.error.reason
    assert "HTTP 400: scripted refusal" in failed.error.reason
    assert [k for k, r in records.items() if r.status == "ok"] == ["a1", "a3", "a4", "a5"]


def test_an_expired_batch_keeps_its_answers_and_fails_the_rest_retryably(tmp_path: Path) -> None:
    make_inputs(tmp_path)
    out = tmp_path / "b.jsonl"
    expired = Lifecycle(("validating", "in_progress", "expired"), answered=2)
    with ScriptedBatchServer(answer, [expired]) as server:
        code, _ = run(tmp_path, server.url, out, via="openai-batch", tag="b")
        records = {r.key: r for r in read_records(out)}
        assert code == EXIT_FAILED
        assert [k for k, r in records.items() if r.status == "ok"] == ["a1", "a2", "a4"]
        late = records["a3"]
        assert late.error is not None and late.error.kind == "timeout" and late.error.retryable
        assert "before the window expired. (batch_expired)" in late.error.reason
        # a plain rerun leaves failed articles alone; --retry-failed asks again in a new batch
        code, _ = run(tmp_path, server.url, out, via="openai-batch", tag="b")
        assert code == EXIT_FAILED and len(server.batches) == 1
        code, _ = run(tmp_path, server.url, out, via="openai-batch", tag="b", retry_failed=True)
        assert len(server.batches) == 2
        second = list(server.batches.values())[1]
        assert len(server.files[second.input_file_id].splitlines()) == records["a5"].chunks + 1
    assert code == EXIT_OK
    assert [r.status for r in read_records(out)] == ["ok"] * 5


def test_a_failed_batch_fails_every_article_with_the_providers_errors(tmp_path: Path) -> None:
    make_inputs(tmp_path)
    errors = ({"code": "invalid_request", "line": 1, "message": "model not allowed in batches"},)
    failed = Lifecycle(("validating", "failed"), errors=errors)
    with ScriptedBatchServer(answer, [failed]) as server:
        code, output = run(tmp_path, server.url, tmp_path / "b.jsonl", via="openai-batch", tag="b")
    assert code == EXIT_FAILED
    records = list(read_records(tmp_path / "b.jsonl"))
    assert {r.status for r in records} == {"error"}
    reasons = {r.error.reason for r in records if r.error is not None}
    assert reasons == {
        "batch batch-scripted-2 failed: invalid_request (line 1): model not allowed in batches"
    }
    assert "batch 1/1 batch-scripted-2: failed" in output
    with AnswerStore(tmp_path / "b.jsonl") as store:
        assert store.unanswered(0) == []


def test_a_cancelled_batch_fails_the_requests_it_did_not_run(tmp_path: Path) -> None:
    make_inputs(tmp_path)
    cancelled = Lifecycle(
        ("in_progress", "cancelling", "cancelled"), answered=1, unanswered_code="batch_cancelled",
        unanswered_message="The batch was cancelled.",
    )  # fmt: skip
    with ScriptedBatchServer(answer, [cancelled]) as server:
        code, output = run(tmp_path, server.url, tmp_path / "b.jsonl", via="openai-batch", tag="b")
    assert code == EXIT_FAILED
    records = {r.key: r for r in read_records(tmp_path / "b.jsonl")}
    assert records["a1"].status == records["a4"].status == "ok"
    assert records["a2"].error is not None and records["a2"].error.kind == "api"
    assert "The batch was cancelled. (batch_cancelled)" in records["a2"].error.reason
    assert ": cancelling," in output and ": cancelled," in output


def test_requests_are_split_into_files_within_the_limits(tmp_path: Path) -> None:
    make_inputs(tmp_path)
    out = tmp_path / "b.jsonl"

    async def go(url: str) -> None:
        config = resolve_config(SCRIPTED_MODEL, base_url=url, environ={}, **OPTIONS)
        assert config is not None
        await batch_road.run_openai_batch(
            lambda: iter_paths([tmp_path / "in"]), config, out, poll_interval=0, max_requests=2
        )

    with ScriptedBatchServer(answer) as server:
        asyncio.run(go(server.url))
        sizes = [len(server.files[b.input_file_id].splitlines()) for b in server.batches.values()]
    assert sizes[:-1] == [2] * (len(sizes) - 1) and 1 <= sizes[-1] <= 2
    assert [r.status for r in read_records(out)] == ["ok"] * 5


def test_a_ledger_of_another_configuration_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "b.jsonl"
    BatchLedger.load(out, run_key="run:a").add(BatchEntry(input_file_id="f", requests=1))
    with pytest.raises(
        BatchStateError, match=r"b.jsonl.openai-batch.json: holds the batches of another"
    ):
        BatchLedger.load(out, run_key="run:b")


def test_the_baseline_and_stdout_are_refused_with_a_reason(tmp_path: Path) -> None:
    make_inputs(tmp_path)
    stream = io.StringIO()
    code = run_extract_batch(
        [tmp_path / "in"], "-", console=Console(file=stream), environ={}, via="openai-batch"
    )
    assert code == 2 and "--via openai-batch needs a model" in stream.getvalue()


def test_via_ray_without_ray_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_inputs(tmp_path)
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray: ImportError
    stream = io.StringIO()
    code = run_extract_batch(
        [tmp_path / "in"],
        tmp_path / "out",
        model=SCRIPTED_MODEL,
        base_url="http://127.0.0.1:9/v1",
        console=Console(file=stream, width=200),
        environ={},
        via="ray",
    )
    assert code == 2
    assert 'needs Ray: pip install "sitrep[ray]"' in stream.getvalue()
