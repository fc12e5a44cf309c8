"""The model path replayed from recorded HTTP: vcrpy cassettes in tests/cassettes/test_llm_cassettes

The cassettes of the first three tests were recorded against the SCRIPTED server
(tests/scripted_server.py), not a model: their answers were written by a test author. When
replaying (record mode ``none``, the default and what CI runs) the base URL points at a loopback
port where nothing listens, so every response must come from the cassette, and a missing cassette
fails the test. How to re-record: tests/cassettes/README.md.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from scripted_server import SCRIPTED_MODEL, Reply, ScriptedServer, error_reply, tool_call_reply

from extraction import ExtractionConfig, resolve_config
from extraction.model.openai_compat import arun_model
from prompts import load_prompt
from schemas.article import Article
from schemas.evidence import Evidence
from schemas.grounding import AlignmentStatus, span_matches
from schemas.records import ArticleExtraction, schema_hash

TEST_KEY = "sk-test-CASSETTE-0123456789abcdef"
DEAD_URL = "http://127.0.0.1:9/v1"  # nothing listens here: replays must come from the cassette
CASSETTES = Path(__file__).parent / "cassettes"
RECORD_COMMAND = "pytest tests/test_llm_cassettes.py --record-mode=rewrite"
RECORDS_000 = json.loads(
    (Path(__file__).parent / "scripted" / "records_000.json").read_text(encoding="utf-8")
)


class Sleeps(list[float]):
    """Stands in for asyncio.sleep: records the waits instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def endpoint(record_mode: str, vcr: Any) -> Iterator[Callable[[list[Reply]], str]]:
    """Gives the base URL for a script: a scripted server when recording, a dead port when
    replaying (after checking that the cassette exists)."""
    with ExitStack() as stack:

        def start(script: list[Reply]) -> str:
            if record_mode == "none":
                if not Path(vcr.path).is_file():
                    pytest.fail(f"cassette {vcr.path} is missing; record it: {RECORD_COMMAND}")
                return DEAD_URL
            return stack.enter_context(ScriptedServer(script)).url

        yield start


def _config(url: str) -> ExtractionConfig:
    cfg = resolve_config(SCRIPTED_MODEL, base_url=url, api_key=TEST_KEY, environ={})
    assert cfg is not None
    return cfg


def _assert_replayed(vcr: Any, record_mode: str, interactions: int) -> None:
    assert len(vcr) == interactions
    if record_mode == "none":
        assert vcr.play_count == interactions and vcr.all_played


def _evidence(result: ArticleExtraction) -> list[Evidence]:
    found: list[Evidence] = []
    for record in [*result.events, *result.statements]:
        stack: list[Any] = [record]
        while stack:
            node = stack.pop()
            if isinstance(node, Evidence):
                found.append(node)
            elif isinstance(node, BaseModel):
                for name in type(node).model_fields:
                    value = getattr(node, name)
                    stack.extend(value if isinstance(value, list) else [value])
    return found


@pytest.mark.vcr
def test_seed_article_extraction(
    endpoint: Callable[[list[Reply]], str], vcr: Any, record_mode: str, seed_article: Article
) -> None:
    url = endpoint([tool_call_reply(RECORDS_000, usage=(3100, 900))])
    result = asyncio.run(arun_model(seed_article, _config(url)))
    _assert_replayed(vcr, record_mode, 1)

    text = seed_article.text
    evidence = _evidence(result)
    assert len(evidence) == json.dumps(RECORDS_000).count('"quote":')
    for ev in evidence:
        assert ev.start is not None and ev.end is not None
        if ev.alignment is AlignmentStatus.EXACT:
            assert text[ev.start : ev.end] == ev.quote
        else:
            assert ev.alignment is AlignmentStatus.FUZZY and span_matches(
                ev.quote, text, ev.start, ev.end
            )
    pdki = result.statements[2].evidence
    assert pdki is not None and pdki.alignment is AlignmentStatus.FUZZY  # straight vs curly quotes
    assert text[pdki.start : pdki.end] == (
        "The PDKI said two people were “martyred” and several were injured."
    )
    p = result.producer
    assert (p.kind, p.name, p.attempts) == ("model", SCRIPTED_MODEL, 1)
    assert (p.prompt_id, p.prompt_hash) == ("extract_v1", load_prompt("extract_v1").hash)
    assert p.schema_hash == schema_hash()
    assert (p.usage.prompt_tokens, p.usage.completion_tokens, p.usage.total_tokens) == (
        3100,
        900,
        4000,
    )
    assert [e.id for e in result.events] == ["E1", "E2", "E3"] and result.warnings == []


@pytest.mark.vcr
def test_reask_after_an_ungrounded_quote(
    endpoint: Callable[[list[Reply]], str], vcr: Any, record_mode: str, seed_article: Article
) -> None:
    invented = copy.deepcopy(RECORDS_000)
    invented["events"][0]["evidence"]["quote"] = "Iran fired 73 missiles at Erbil"
    url = endpoint(
        [
            tool_call_reply(invented, usage=(3000, 800), n=1),
            tool_call_reply(RECORDS_000, usage=(3900, 850), n=2),
        ]
    )
    result = asyncio.run(arun_model(seed_article, _config(url)))
    _assert_replayed(vcr, record_mode, 2)

    p = result.producer
    assert p.attempts == 2
    assert (p.usage.prompt_tokens, p.usage.completion_tokens, p.usage.total_tokens) == (
        6900,
        1650,
        8550,
    )
    reask = json.loads(vcr.requests[1].body)
    assert [m["role"] for m in reask["messages"]] == ["system", "user", "assistant", "tool"]
    assert (
        "'Iran fired 73 missiles at Erbil' is not in the article" in reask["messages"][3]["content"]
    )
    ev = result.events[0].evidence
    assert ev is not None and ev.alignment is AlignmentStatus.EXACT
    assert seed_article.text[ev.start : ev.end] == RECORDS_000["events"][0]["evidence"]["quote"]
    assert result.warnings == []


@pytest.mark.vcr
def test_rate_limit_with_retry_after_then_success(
    endpoint: Callable[[list[Reply]], str], vcr: Any, record_mode: str, seed_article: Article
) -> None:
    url = endpoint(
        [
            error_reply(429, "Rate limit reached, retry in 1s", headers={"Retry-After": "1"}),
            tool_call_reply(RECORDS_000, usage=(3100, 900)),
        ]
    )
    sleeps = Sleeps()
    result = asyncio.run(arun_model(seed_article, _config(url), sleep=sleeps))
    _assert_replayed(vcr, record_mode, 2)

    assert sleeps == [1.0]  # the server's Retry-After, honoured (and injected: no real wait)
    assert vcr.responses[0]["status"]["code"] == 429
    assert result.producer.attempts == 2
    assert result.producer.usage.total_tokens == 4000  # the 429 cost nothing


def test_cassettes_hold_no_credentials() -> None:
    files = sorted(CASSETTES.rglob("*.yaml"))
    assert len(files) >= 3, f"expected the recorded cassettes under {CASSETTES}"
    for path in files:
        text = path.read_text(encoding="utf-8")
        lowered = text.lower()
        for needle in ["authorization", "bearer", "sk-", "api-key", "openai-organization"]:
            assert needle not in lowered, f"{path.name} holds {needle!r}"
        assert TEST_KEY not in text and "CASSETTE-0123456789" not in text


@pytest.mark.skipif(
    "config.getoption('--record-mode') not in (None, 'none')"
    " and os.environ.get('SITREP_RECORD_LIVE') != '1'",
    reason="re-recording the scripted cassettes only; SITREP_RECORD_LIVE=1 re-records the live one",
)
@pytest.mark.vcr(match_on=["method", "chat_endpoint"])
def test_live_model_cassette(vcr: Any, record_mode: str, seed_article: Article) -> None:
    """A real model's answer for seed article 000, if one was recorded (see the README)."""
    sleep: Callable[[float], Awaitable[None]] = Sleeps()
    if record_mode == "none":
        if not Path(vcr.path).is_file():
            pytest.skip(
                "no live cassette recorded; with a key: SITREP_RECORD_LIVE=1 "
                f"OPENAI_API_KEY=... {RECORD_COMMAND}"
            )
        sent = json.loads(vcr.requests[0].body)
        fmt = str((sent.get("response_format") or {}).get("type") or "md_json")
        mode = "tools" if "tools" in sent else {"json_object": "json"}.get(fmt, fmt)
        cfg = ExtractionConfig(
            model=sent["model"],
            base_url=DEAD_URL,
            mode=mode,
            max_reasks=10,
            max_transport_retries=10,
        )
    else:
        found = resolve_config(os.environ.get("SITREP_MODEL") or "openai/gpt-4.1-mini")
        assert found is not None, "SITREP_RECORD_LIVE=1 needs a model (SITREP_MODEL) and its key"
        cfg, sleep = found, asyncio.sleep
    result = asyncio.run(arun_model(seed_article, cfg, sleep=sleep))

    assert result.producer.kind == "model" and result.producer.attempts == len(vcr)
    assert result.events, "a real model should find the strikes in seed article 000"
    for ev in _evidence(result):
        if ev.alignment is AlignmentStatus.NOT_FOUND:
            assert ev.start is None
        else:
            assert ev.start is not None and ev.end is not None
            assert span_matches(ev.quote, seed_article.text, ev.start, ev.end)
