"""The modes and the failures small local servers cause, against the SCRIPTED server
(tests/scripted_server.py: replies a test author wrote, no model).

What each mode sends (the schema as a grammar or pasted compact, the fixed instructions first),
and what sitrep says when a server fails deterministically, fills its context, or is answered
with cached prompt tokens.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from scripted_server import (
    SCRIPTED_MODEL,
    Reply,
    ScriptedServer,
    content_reply,
    error_reply,
    tool_call_reply,
)

from extraction import (
    ConfigurationError,
    EndpointError,
    ExtractionConfig,
    ModelOutputError,
    resolve_config,
)
from extraction.model.openai_compat import arun_model
from prompts import load_prompt
from schemas.article import Article
from schemas.model_facing import compact_schema_text, model_schema
from schemas.records import ArticleExtraction

ANSWER: dict[str, Any] = {
    "events": [
        {
            "id": "E1",
            "sub_type": "air_drone_strike",
            "date": {"value": "2022-11-14", "phrase": "on Monday"},  # no precision: a day
            "evidence": "Drones struck Koya on Monday",  # the quote alone, as the schema asks
        }
    ],
    "statements": [],
}
ARTICLES = [
    Article(id="m-1", text="Drones struck Koya on Monday. Nobody was hurt."),  # synthetic
    Article(id="m-2", text="Drones struck Koya on Monday, officials said."),  # synthetic
]


def _run(article: Article, config: ExtractionConfig) -> ArticleExtraction:
    """One article through the model path, as the pipeline runs it (async, its own client)."""
    return asyncio.run(arun_model(article, config))


def _config(url: str, mode: str, **options: Any) -> ExtractionConfig:
    options.setdefault("backoff_initial", 0.01)
    options.setdefault("backoff_max", 0.02)
    cfg = resolve_config(SCRIPTED_MODEL, base_url=url, environ={}, mode=mode, **options)
    assert cfg is not None
    return cfg


def _reply(mode: str, payload: Any, **kw: Any) -> Reply:
    if mode == "tools":
        return tool_call_reply(payload, **kw)
    if mode == "md_json":
        return content_reply(f"Here are the records:\n```json\n{json.dumps(payload)}\n```", **kw)
    return content_reply(payload, **kw)


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json_object_schema", "json", "md_json"])
def test_each_mode_sends_the_schema_its_way_after_the_same_fixed_instructions(mode: str) -> None:
    with ScriptedServer([_reply(mode, ANSWER, n=1), _reply(mode, ANSWER, n=2)]) as server:
        results = [_run(a, _config(server.url, mode)) for a in ARTICLES]
    first, second = (r.body or {} for r in server.requests)
    instructions = load_prompt("extract_v1").section("system")
    systems = [b["messages"][0]["content"] for b in (first, second)]
    assert systems[0] == systems[1] and systems[0].startswith(instructions)
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    pasted = compact_schema_text() in systems[0]
    fmt = first.get("response_format")
    if mode == "tools":
        assert (
            first["tools"][0]["function"]["parameters"]["properties"]
            == (model_schema()["properties"])
        )
        assert fmt is None and not pasted
    elif mode == "json_schema":
        assert fmt == {
            "type": "json_schema",
            "json_schema": {"name": "Records", "schema": model_schema()},
        }
        assert not pasted
    elif mode == "json_object_schema":
        assert fmt == {"type": "json_object", "schema": model_schema()} and not pasted
    elif mode == "json":
        assert fmt == {"type": "json_object"} and pasted
    else:
        assert fmt is None and pasted and "```json block" in systems[0]
    for result, article in zip(results, ARTICLES, strict=True):
        event = result.events[0]
        assert (str(event.date.value), event.date.precision.value) == ("2022-11-14", "day")
        ev = event.evidence
        assert ev is not None and article.text[ev.start : ev.end] == "Drones struck Koya on Monday"
        assert result.producer.parameters["mode"] == mode


def test_a_server_that_cannot_take_the_request_fails_at_once_naming_the_mode() -> None:
    refused = error_reply(500, "1 validation error: Input should be 'text' or 'json_object'")
    with (
        ScriptedServer([refused, refused, refused]) as server,
        pytest.raises(ConfigurationError, match="try --mode json_object_schema") as caught,
    ):
        _run(ARTICLES[0], _config(server.url, "json_schema", max_transport_retries=4))
    assert len(server.requests) == 1  # not an outage: no backoff retries
    assert "deterministic failure, not an outage" in str(caught.value)
    assert caught.value.kind == "api" and caught.value.attempts == 1
    assert caught.value.stops_batch  # every article would be refused the same way


def test_an_answer_the_server_cannot_parse_gets_one_more_try_then_another_mode() -> None:
    unparsed = error_reply(500, "Failed to parse input: does not match the expected peg-native")
    with (
        ScriptedServer([unparsed, unparsed, unparsed]) as server,
        pytest.raises(EndpointError, match="try --mode json_schema") as caught,
    ):
        _run(ARTICLES[0], _config(server.url, "tools", max_transport_retries=4))
    assert len(server.requests) == 2
    assert caught.value.kind == "api" and not caught.value.stops_batch  # this article only

    with ScriptedServer([unparsed, tool_call_reply(ANSWER)]) as server:
        result = _run(ARTICLES[0], _config(server.url, "tools"))
    assert len(server.requests) == 2 and result.producer.attempts == 2


def test_a_length_stop_short_of_max_tokens_names_the_context_size() -> None:
    cut = content_reply('{"events": [{"id": "E1", "sub', finish_reason="length", usage=(7000, 1192))
    with (
        ScriptedServer([cut]) as server,
        pytest.raises(ModelOutputError, match=r"context filled at 8192 tokens") as caught,
    ):
        _run(ARTICLES[0], _config(server.url, "json", max_tokens=4096))
    assert "--ctx-size" in str(caught.value) and "raise max_tokens" not in str(caught.value)
    assert caught.value.kind == "truncated" and len(server.requests) == 1


def test_cached_prompt_tokens_are_read_from_usage() -> None:
    reply = tool_call_reply(ANSWER, usage=(1200, 80))
    assert isinstance(reply.body, dict)
    reply.body["usage"]["prompt_tokens_details"] = {"cached_tokens": 1024}
    with ScriptedServer([reply]) as server:
        result = _run(ARTICLES[0], _config(server.url, "tools"))
    usage = result.producer.usage
    assert (usage.prompt_tokens, usage.cached_prompt_tokens) == (1200, 1024)


def test_the_default_mode_follows_the_base_url() -> None:
    ollama = resolve_config("ollama/llama3.1", environ={})
    other = resolve_config("m", base_url="http://gpu:8000/v1", environ={})
    chosen = resolve_config("ollama/llama3.1", environ={"SITREP_MODE": "md_json"})
    assert ollama is not None and other is not None and chosen is not None
    assert (ollama.mode, other.mode, chosen.mode) == ("json_schema", "tools", "md_json")


def test_an_answer_cut_at_max_tokens_without_a_length_stop_says_so() -> None:
    cut = tool_call_reply('{"events": [{"id": "E1", "sub_type": "gren', usage=(900, 64))
    with (
        ScriptedServer(
            [cut, tool_call_reply('{"events": [{"id": "E', usage=(950, 64), n=2)]
        ) as server,
        pytest.raises(ModelOutputError, match=r"cut off at max_tokens=64") as caught,
    ):
        _run(ARTICLES[0], _config(server.url, "tools", max_tokens=64, max_reasks=1))
    assert caught.value.kind == "truncated" and caught.value.attempts == 2
