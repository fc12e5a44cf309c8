"""Prompt tokens a call spends besides the article, in every mode: the instructions (the system
message, with the schema pasted in the ``json`` and ``md_json`` modes), the schema where it travels
apart from the messages (``tools``, ``response_format``), and the wrapper around the article.
Measured on the request exactly as the loopback server received it, for the first bundled
article, and counted twice:

- with tiktoken's ``o200k_base`` (OpenAI's models; :mod:`benchmarks.tokenizer`);
- with the tokenizer of the model the real-model tests run, SmolLM2-135M-Instruct, through
  llama-cpp-python from the ``.ci/llama-server.sh`` cache (vocabulary only; skipped with a note
  when the cache is absent). llama.cpp's servers turn a ``tools`` or ``response_format`` schema
  into a grammar rather than prompt text (SmolLM2's chat template has no tools), so there the
  schema column is what the same text would cost, not what the model reads.

Counts are of the JSON as sent (compact separators). OpenAI renders tool definitions into its own
internal format before tokenising, so its billed figure for the schema differs somewhat.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.loopback import ThreadedServer
from benchmarks.tokenizer import counter
from evals.dataset import load_eval_articles
from extraction.config import MODES, resolve_config
from extraction.model.messages import article_data
from schemas.records import Records

TARGET = 1500
"""The most fixed prompt overhead a call may carry, in every mode (tiktoken)."""

_LLAMA_COUNT = """
import json, sys
from llama_cpp import Llama
vocab = Llama(sys.argv[1], vocab_only=True, verbose=False)
texts = json.load(sys.stdin)
print(json.dumps([len(vocab.tokenize(t.encode(), add_bos=False, special=True)) for t in texts]))
"""


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _instructor_default_tools() -> list[dict[str, Any]]:
    from instructor.v2.providers.openai.schema import generate_openai_schema

    return [{"type": "function", "function": generate_openai_schema(Records)}]


def _capture(mode: str) -> dict[str, Any]:
    from extraction.api import aextract

    article = load_eval_articles()[0]
    with ThreadedServer(capture=1) as server:
        config = resolve_config("loopback-model", base_url=server.url, environ={}, mode=mode)
        assert config is not None
        asyncio.run(aextract(article, config=config))
        (request,) = server.stats.captured
    return request


def _parts(request: dict[str, Any]) -> dict[str, str]:
    data = article_data(load_eval_articles()[0])
    schema_parts = {
        k: request[k] for k in ("tools", "tool_choice", "response_format") if k in request
    }
    return {
        "instructions": request["messages"][0]["content"],
        "schema": _compact(schema_parts) if schema_parts else "",
        "user": request["messages"][1]["content"],
        "article": data,
    }


def smollm2_counter() -> tuple[Callable[[list[str]], list[int]] | None, str]:
    """Counts with SmolLM2-135M-Instruct's tokenizer from the llama cache, or ``None`` and why."""
    cache = Path(os.environ.get("SITREP_LLAMA_CACHE") or Path.home() / ".cache/sitrep/llama")
    python, model = cache / "venv" / "bin" / "python", cache / "model.gguf"
    if not (python.exists() and model.exists()):
        return None, f"no llama cache at {cache} (run .ci/llama-server.sh)"

    def count(texts: list[str]) -> list[int]:
        done = subprocess.run(
            [str(python), "-c", _LLAMA_COUNT, str(model)],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
        )
        counts: list[int] = json.loads(done.stdout.strip().splitlines()[-1])
        return counts

    return count, "SmolLM2-135M-Instruct (llama.cpp tokenizer)"


def _row(mode: str, tokenizer: str, counts: dict[str, int]) -> dict[str, Any]:
    wrapper = counts["user"] - counts["article"]
    overhead = counts["instructions"] + counts["schema"] + wrapper
    return {
        "mode": mode,
        "tokenizer": tokenizer,
        "instructions_tokens": counts["instructions"],
        "schema_tokens": counts["schema"],
        "article_wrapper_tokens": wrapper,
        "overhead_tokens_per_call": overhead,
        "article_tokens_example": counts["article"],
    }


def measure() -> dict[str, Any]:
    """Per mode and tokenizer: instructions, schema, wrapper and their sum (the overhead)."""
    count, how = counter()
    llama_count, llama_how = smollm2_counter()
    rows: list[dict[str, Any]] = []
    for mode in MODES:
        parts = _parts(_capture(mode))
        rows.append(_row(mode, how, {k: count(v) for k, v in parts.items()}))
        if llama_count is not None:
            keys = list(parts)
            numbers = llama_count([parts[k] for k in keys])
            rows.append(_row(mode, llama_how, dict(zip(keys, numbers, strict=True))))
    tiktoken_rows = [r for r in rows if r["tokenizer"] == how]
    return {
        "tokenizer": how,
        "server_tokenizer": llama_how,
        "rows": rows,
        "target_tokens": TARGET,
        "worst_overhead_tiktoken": max(r["overhead_tokens_per_call"] for r in tiktoken_rows),
        "instructor_default_records_schema_tokens": count(
            _compact({"tools": _instructor_default_tools()})
        ),
        "before": "3,902 tokens in tools mode at commit 58ffe2b (tiktoken o200k_base: "
        "634 instructions + 3,215 schema + 53 wrapper)",
    }
