"""Prompt tokens a call spends besides the article: the instructions, the schema, the wrapper
around the article, counted with tiktoken on the request exactly as the loopback server received
it, and compared with instructor's default rendering of the same schema (``Mode.TOOLS``:
``generate_openai_schema(Records)`` as one function tool).

Counts are of the JSON as sent (compact separators). OpenAI renders tool definitions into its own
internal format before tokenising, so the billed figure for the schema differs somewhat; the
comparison between two schemas counted the same way holds.
"""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

from benchmarks.loopback import ThreadedServer
from benchmarks.tokenizer import counter
from evals.dataset import load_eval_articles
from extraction.config import resolve_config
from extraction.model.messages import article_data
from schemas.records import Records


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _instructor_default_tools() -> list[dict[str, Any]]:
    from instructor.v2.providers.openai.schema import generate_openai_schema

    return [{"type": "function", "function": generate_openai_schema(Records)}]


SITREP_SET = ("start", "end", "alignment", "score")
"""Evidence fields sitrep computes itself; the model is told to leave them null."""


def _strip(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("title", None)
        if "default" in node and node["default"] is None:
            node.pop("default")
        options = node.get("anyOf")
        if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
            (other,) = [o for o in options if o != {"type": "null"}]
            rest = {k: v for k, v in node.items() if k != "anyOf"}
            node.clear()
            node.update(other)
            node.update(rest)
        for value in list(node.values()):
            _strip(value)
    elif isinstance(node, list):
        for value in node:
            _strip(value)


def compact_tools() -> list[dict[str, Any]]:
    """A candidate compact rendering of the same schema, for comparison only: no titles, no null
    defaults, ``anyOf [X, null]`` as X (the field stays optional), and without the fields the
    model must leave null anyway (evidence offsets and alignment, ``event_type``). Every answer
    valid under it is valid under the full schema."""
    tools = copy.deepcopy(_instructor_default_tools())
    function = tools[0]["function"]
    _strip(function)
    defs = function["parameters"]["$defs"]
    for name in SITREP_SET:
        defs["Evidence"]["properties"].pop(name, None)
    defs.pop("AlignmentStatus", None)
    defs["AttackEvent"]["properties"].pop("event_type", None)
    defs.pop("EventType", None)
    return tools


def measure(mode: str = "tools") -> dict[str, Any]:
    count, how = counter()
    article = load_eval_articles()[0]
    with ThreadedServer(capture=1) as server:
        config = resolve_config("loopback-model", base_url=server.url, environ={}, mode=mode)
        assert config is not None
        from extraction.api import aextract

        asyncio.run(aextract(article, config=config))
        (request,) = server.stats.captured
    system = request["messages"][0]["content"]
    user = request["messages"][1]["content"]
    data = article_data(article)
    schema_parts = {
        k: request[k] for k in ("tools", "tool_choice", "response_format") if k in request
    }
    instructions = count(system)
    wrapper = count(user) - count(data)
    schema = count(_compact(schema_parts)) if schema_parts else 0
    default_schema = count(_compact({"tools": _instructor_default_tools()}))
    compact_schema = count(_compact({"tools": compact_tools()}))
    return {
        "tokenizer": how,
        "mode": mode,
        "instructions_tokens": instructions,
        "schema_tokens": schema,
        "article_wrapper_tokens": wrapper,
        "overhead_tokens_per_call": instructions + schema + wrapper,
        "instructor_default_schema_tokens": default_schema,
        "schema_vs_instructor_default": round(schema / default_schema, 3)
        if default_schema
        else None,
        "compact_schema_candidate_tokens": compact_schema,
        "article_tokens_example": count(data),
    }
