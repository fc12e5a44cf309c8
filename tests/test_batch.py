"""The batch runner with injected extraction functions: bounded concurrency, lazy input, failure
isolation, aborts, the cache, long articles, resuming and pacing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from extraction.batch.cache import ResponseCache
from extraction.batch.pricing import PriceTable
from extraction.batch.ratelimit import RateLimiter, TokenBucket
from extraction.batch.results import ResultRecord, read_records
from extraction.batch.run import (
    BatchAborted,
    BatchProgress,
    BatchSettings,
    RunIdentity,
    extract_batch,
    run_batch,
)
from extraction.errors import (
    EndpointError,
    InvalidOutput,
    RateLimited,
    RequestTimedOut,
    ServerFailed,
    TransportError,
    TruncatedOutput,
    UnparseableOutput,
    Unreachable,
)
from extraction.redaction import Redactor
from schemas.article import Article
from schemas.loaders import ArticleInputError
from schemas.records import ArticleExtraction, Producer, Records, Usage

IDENTITY = RunIdentity(model="gpt-4.1-mini", endpoint="http://127.0.0.1:1/v1", prompt_hash="p")
PRICES = PriceTable.from_mapping({"models": {"gpt-4.1-mini": {"input": 1.0, "output": 2.0}}})


def article(i: int | str, text: str | None = None) -> Article:
    return Article(id=f"a{i}", text=text or f"A drone struck Koya, report {i}.")


def extraction_for(a: Article, tokens: int = 100) -> ArticleExtraction:
    records = Records.model_validate(
        {
            "events": [
                {
                    "id": "E1",
                    "sub_type": "air_drone_strike",
                    "location": {"place": "Koya"},
                    "evidence": {"quote": "A drone struck Koya"},
                }
            ]
        }
        if "A drone struck Koya" in a.text
        else {}
    )
    usage = Usage(
        prompt_tokens=tokens, completion_tokens=tokens // 10, total_tokens=tokens * 11 // 10
    )
    return ArticleExtraction.from_records(
        a.id, records, Producer(kind="model", name="m", usage=usage)
    )


class Recorder:
    """An extraction function that counts calls and how many run at once."""

    def __init__(self, delay: float = 0.0, fail: dict[str, BaseException] | None = None) -> None:
        self.delay = delay
        self.fail = fail or {}
        self.calls: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def __call__(self, a: Article) -> ArticleExtraction:
        self.calls.append(a.id)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            if a.id in self.fail:
                raise self.fail[a.id]
            return extraction_for(a)
        finally:
            self.in_flight -= 1


def collect(
    items: list[Article | ArticleInputError], fn: Recorder, **kw: object
) -> list[ResultRecord]:
    async def go() -> list[ResultRecord]:
        return [r async for r in extract_batch(items, fn, identity=IDENTITY, prices=PRICES, **kw)]  # type: ignore[arg-type]  # kwargs from each test

    return asyncio.run(go())


def test_calls_in_flight_never_exceed_the_concurrency_and_reach_it() -> None:
    fn = Recorder(delay=0.002)
    records = collect([article(i) for i in range(40)], fn, settings=BatchSettings(concurrency=4))
    assert len(records) == 40
    assert fn.max_in_flight == 4
    assert sorted(fn.calls) == sorted(f"a{i}" for i in range(40))


def test_the_input_is_read_lazily_a_window_ahead_of_what_is_finished() -> None:
    pulled = 0
    finished = 0
    ahead: list[int] = []

    def items() -> Iterator[Article]:
        nonlocal pulled
        for i in range(200):
            pulled += 1
            ahead.append(pulled - finished)
            yield article(i)

    async def go() -> None:
        nonlocal finished
        async for _ in extract_batch(
            items(), Recorder(delay=0.001), identity=IDENTITY, settings=BatchSettings(concurrency=3)
        ):
            finished += 1

    asyncio.run(go())
    assert finished == 200
    assert max(ahead) <= 2 * 3 + 1


def test_each_failure_becomes_an_error_record_with_its_reason_and_the_batch_goes_on() -> None:
    fail: dict[str, BaseException] = {
        "a1": RequestTimedOut(
            "http://h/v1 did not answer within 2s (3 attempts); raise it", attempts=3
        ),
        "a2": RateLimited("http://h/v1 kept rate-limiting the request (HTTP 429) over 5 attempts"),
        "a3": Unreachable("cannot reach http://h/v1 (3 attempts): check the server"),
        "a4": ServerFailed("http://h/v1 failed with HTTP 503 on all 5 attempts"),
        "a5": TruncatedOutput(
            "the model stopped at max_tokens=50 before finishing the records",
            usage=Usage(prompt_tokens=1000, completion_tokens=50, total_tokens=1050),
        ),
        "a6": UnparseableOutput(
            "the model's output did not validate", reasons=["(root): Invalid JSON: EOF"]
        ),
        "a7": InvalidOutput(
            "the model's output did not validate", reasons=["events.0.sub_type: bad"]
        ),
        "a8": EndpointError("http://h/v1 rejected the request (HTTP 400)", status=400),
        "a9": RuntimeError("boom"),
    }
    items: list[Article | ArticleInputError] = [article(i) for i in range(11)]
    items.insert(3, ArticleInputError("in.jsonl", "is empty", line=7, field="text"))
    records = {r.key: r for r in collect(items, Recorder(fail=fail))}
    assert len(records) == 12
    kinds = {k: r.error.kind for k, r in records.items() if r.error is not None}
    assert kinds == {
        "a1": "timeout",
        "a2": "rate_limit",
        "a3": "connection",
        "a4": "server",
        "a5": "truncated",
        "a6": "unparseable",
        "a7": "invalid",
        "a8": "api",
        "a9": "internal",
        "@in.jsonl:7": "input",
    }
    assert records["a0"].status == records["a10"].status == "ok"
    timeout = records["a1"].error
    assert timeout is not None and timeout.attempts == 3 and timeout.retryable
    assert "did not answer within 2s" in timeout.reason
    assert records["@in.jsonl:7"].error is not None
    assert "in.jsonl:7: field 'text': is empty" in records["@in.jsonl:7"].error.reason
    truncated = records["a5"]
    assert truncated.usage.prompt_tokens == 1000  # failed calls cost money too
    assert truncated.cost_usd == pytest.approx((1000 * 1.0 + 50 * 2.0) / 1e6)
    internal = records["a9"].error
    assert internal is not None and internal.exception == "RuntimeError" and not internal.retryable


@pytest.mark.parametrize("status", [401, 403, 404])
def test_a_refusal_every_call_would_meet_stops_the_batch_without_leaking_the_key(
    status: int,
) -> None:
    key = "sk-test-SECRETSECRET123"
    fn = Recorder(
        fail={"a2": EndpointError(f"refused the API key {key} (HTTP {status})", status=status)}
    )
    with pytest.raises(BatchAborted) as info:
        collect([article(i) for i in range(50)], fn, redactor=Redactor([key]))
    assert f"HTTP {status}" in str(info.value)
    assert key not in str(info.value)
    assert len(fn.calls) < 50


def test_a_second_identical_run_is_served_from_the_cache_with_no_calls(tmp_path: Path) -> None:
    items: list[Article | ArticleInputError] = [article(i) for i in range(6)]
    first_fn = Recorder()
    with ResponseCache(tmp_path / "c.sqlite") as cache:
        first = {r.key: r for r in collect(items, first_fn, cache=cache)}
    second_fn = Recorder()
    with ResponseCache(tmp_path / "c.sqlite", "read-only") as cache:
        second = {r.key: r for r in collect(items, second_fn, cache=cache)}
    assert len(first_fn.calls) == 6 and second_fn.calls == []
    for key, record in second.items():
        assert record.cached and record.calls == 0
        assert record.extraction == first[key].extraction
        assert record.cost_usd == first[key].cost_usd  # what the record cost to produce


def test_the_cache_is_shared_across_article_ids_with_the_same_text(tmp_path: Path) -> None:
    fn = Recorder()
    with ResponseCache(tmp_path / "c.sqlite") as cache:
        records = collect(
            [article("x", "A drone struck Koya."), article("y", "A drone struck Koya.")],
            fn,
            cache=cache,
            settings=BatchSettings(concurrency=1),
        )
    assert len(fn.calls) == 1
    assert {r.extraction.article_id for r in records if r.extraction} == {"ax", "ay"}


def test_a_long_article_is_extracted_per_chunk_and_merged_against_the_whole_text() -> None:
    paragraphs = [f"Paragraph {i} says little of note here." for i in range(30)]
    paragraphs[25] = "A drone struck Koya on the last day."
    text = "\n\n".join(paragraphs)
    identity = RunIdentity(model="gpt-4.1-mini", chunk_tokens=60, overlap_tokens=10)
    fn = Recorder()

    async def go() -> list[ResultRecord]:
        return [
            r
            async for r in extract_batch(
                [article("long", text)], fn, identity=identity, prices=PRICES
            )
        ]

    (record,) = asyncio.run(go())
    assert record.status == "ok" and record.chunks == len(fn.calls) > 1
    assert record.extraction is not None
    (event,) = record.extraction.events
    assert event.evidence is not None and event.evidence.start is not None
    assert text[event.evidence.start : event.evidence.end] == "A drone struck Koya"
    assert record.usage.prompt_tokens == 100 * record.chunks


def test_a_repeated_article_id_is_an_input_error_keyed_by_its_source() -> None:
    first = Article(id="dup", text="A drone struck Koya.", source_file="a.jsonl:1")
    second = Article(id="dup", text="Another text.", source_file="a.jsonl:2")
    records = {r.key: r for r in collect([first, second], Recorder())}
    assert records["dup"].status == "ok"
    error = records["@a.jsonl:2"].error
    assert error is not None and error.kind == "input"
    assert "duplicate article id 'dup' (first seen at a.jsonl:1)" in error.reason


def test_progress_counts_every_record_and_the_money_spent() -> None:
    seen: list[BatchProgress] = []
    fn = Recorder(fail={"a1": TransportError("failed with HTTP 500 on all 2 attempts")})
    collect([article(i) for i in range(5)], fn, on_progress=seen.append)
    final = seen[-1]
    assert (final.done, final.ok, final.failed) == (5, 4, 1)
    assert final.failed_by_kind == {"server": 1}
    assert final.prompt_tokens == 400 and final.completion_tokens == 40
    assert final.cost_usd == pytest.approx((400 * 1.0 + 40 * 2.0) / 1e6)


def test_unknown_models_cost_none_and_the_progress_says_so() -> None:
    seen: list[BatchProgress] = []

    async def go() -> list[ResultRecord]:
        identity = RunIdentity(model="llama3.1:8b")
        return [
            r
            async for r in extract_batch(
                [article(1)], Recorder(), identity=identity, prices=PRICES, on_progress=seen.append
            )
        ]

    (record,) = asyncio.run(go())
    assert record.cost_usd is None
    assert not seen[-1].cost_known


# -- the results file --------------------------------------------------------------------------


def run_to(path: Path, items: list[Article], fn: Recorder, **kw: object) -> None:
    asyncio.run(run_batch(items, fn, path, identity=IDENTITY, prices=PRICES, **kw))  # type: ignore[arg-type]  # kwargs from each test


def test_a_rerun_skips_finished_articles_and_ends_in_input_order(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    items = [article(i) for i in range(10)]
    run_to(out, items[:4], Recorder())
    fn = Recorder()
    run_to(out, items, fn, settings=BatchSettings(concurrency=3))
    assert sorted(fn.calls) == [f"a{i}" for i in range(4, 10)]
    assert [r.key for r in read_records(out)] == [f"a{i}" for i in range(10)]


def test_a_cancelled_run_keeps_what_finished_and_the_rerun_completes_it(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    items = [article(i) for i in range(60)]
    finishes = {f"a{i}" for i in range(10)}  # the others wait until the run is cancelled

    async def first_ten_then_hang(a: Article) -> ArticleExtraction:
        if a.id not in finishes:
            await asyncio.Event().wait()  # never set: only cancelling the run ends this call
        return extraction_for(a)

    def written() -> int:
        return len(out.read_bytes().splitlines()) if out.exists() else 0

    async def interrupted() -> None:
        task = asyncio.create_task(
            run_batch(
                items,
                first_ten_then_hang,
                out,
                identity=IDENTITY,
                prices=PRICES,
                settings=BatchSettings(concurrency=4),
            )
        )
        while written() < len(finishes):  # the ten records reach the file, however slowly
            await asyncio.sleep(0.01)
        task.cancel()  # what Ctrl-C does to asyncio.run's main task
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupted())
    kept = [json.loads(line)["key"] for line in out.read_bytes().splitlines()]
    assert sorted(kept) == sorted(finishes)
    fn = Recorder()
    run_to(out, items, fn)
    assert set(fn.calls) == {a.id for a in items} - set(kept)
    assert [r.key for r in read_records(out)] == [a.id for a in items]


def test_retry_failed_tries_failures_again_and_leaves_one_record_per_article(
    tmp_path: Path,
) -> None:
    out = tmp_path / "results.jsonl"
    items = [article(i) for i in range(4)]
    run_to(
        out, items, Recorder(fail={"a2": TransportError("failed with HTTP 503 on all 5 attempts")})
    )
    fn = Recorder()
    run_to(out, items, fn)
    assert fn.calls == []  # failures are done too, unless asked
    run_to(out, items, fn, retry_failed=True)
    assert fn.calls == ["a2"]
    records = list(read_records(out))
    assert [(r.key, r.status) for r in records] == [(a.id, "ok") for a in items]


def test_a_file_from_another_configuration_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    run_to(out, [article(1)], Recorder())
    other = RunIdentity(model="gpt-4.1", endpoint=IDENTITY.endpoint, prompt_hash="p")
    with pytest.raises(BatchAborted, match=rf"{IDENTITY.run_key}.*--overwrite"):
        asyncio.run(run_batch([article(1)], Recorder(), out, identity=other))
    asyncio.run(run_batch([article(1)], Recorder(), out, identity=other, overwrite=True))
    assert [r.run_key for r in read_records(out)] == [other.run_key]


# -- pacing ------------------------------------------------------------------------------------


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_request_bucket_spaces_calls_at_the_rate_after_a_burst() -> None:
    t = FakeTime()
    bucket = TokenBucket(rate=2.0, capacity=2.0, clock=t.clock, sleep=t.sleep)

    async def go() -> None:
        for _ in range(6):
            await bucket.take(1)

    asyncio.run(go())
    assert t.now == pytest.approx(2.0)  # 2 at once, then 4 more at 2 a second


def test_token_pacing_charges_the_real_usage_once_known() -> None:
    t = FakeTime()
    limiter = RateLimiter(tpm=6000, clock=t.clock, sleep=t.sleep)  # 100 tokens a second

    async def go() -> None:
        await limiter.acquire(100)
        limiter.settle(100, 400)  # the call used 300 more than estimated: 3 s of debt
        await limiter.acquire(100)

    asyncio.run(go())
    assert t.now == pytest.approx(4.0)


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        BatchSettings(concurrency=0)
    with pytest.raises(ValueError, match="rpm"):
        BatchSettings(rpm=-5)


def test_identical_articles_in_flight_share_one_call_and_a_failed_one_is_made_again() -> None:
    calls: list[str] = []

    async def first_fails(a: Article) -> ArticleExtraction:
        calls.append(a.id)
        await asyncio.sleep(0.01)
        if len(calls) == 1:
            raise TransportError("failed with HTTP 503 on all 3 attempts")
        return extraction_for(a)

    same = "A drone struck Koya, the same wire story."
    items: list[Article | ArticleInputError] = [
        article("x", same),
        article("y", same),
        article("z", same),
    ]

    async def go() -> list[ResultRecord]:
        return [
            r async for r in extract_batch(items, first_fails, identity=IDENTITY, prices=PRICES)
        ]

    records = {r.key: r for r in asyncio.run(go())}
    assert calls == ["ax", "ay"]  # x failed; y made its own call; z waited for y's
    assert records["ax"].status == "error"
    assert records["ay"].status == records["az"].status == "ok"
    assert (records["ay"].calls, records["az"].calls, records["az"].cached) == (1, 0, True)
