"""What really happened when a model call went wrong, in words that say what to change.

- A server error (5xx) whose body shows a deterministic failure is not an outage: the server
  could not take the request as sent (llama-cpp-python refusing a ``json_schema``
  response_format), or could not parse the model's own answer (llama-server's "does not match the
  expected peg-native format"). Backing off and sending it again would fail the same way, so it
  is not retried (an unparsed answer gets one more try at most), and the error names another
  ``--mode``. The phrases are in ``extraction/data/server_failures.json``.
- A stop at the length limit with fewer completion tokens than ``max_tokens`` means the server's
  context filled, not that ``max_tokens`` was too low.
- A timeout against a server on this machine is not retried: a single-slot local server is still
  generating the abandoned answer, and a retry would wait behind it.

>>> server_failure("HTTP 500: 1 validation error: Input should be 'text' or 'json_object'")
'request'
>>> server_failure("Failed to parse tool call: does not match the expected peg-native format")
'answer'
>>> server_failure("CUDA out of memory") is None
True
>>> suggested_mode("Input should be 'text' or 'json_object'", "json_schema")
'json_object_schema'
>>> is_loopback("http://127.0.0.1:8080/v1"), is_loopback("http://localhost:11434/v1")
(True, True)
>>> is_loopback("https://api.openai.com/v1")
False
"""

from __future__ import annotations

import functools
import ipaddress
import json
from importlib import resources
from typing import Any, Literal
from urllib.parse import urlsplit

FailureSide = Literal["request", "answer"]

_ALTERNATIVE = {
    "tools": "json_schema",
    "json_schema": "json_object_schema",
    "json_object_schema": "json",
    "json": "md_json",
    "md_json": "json",
}
"""The mode to suggest after a deterministic server failure, when no phrase names a better one."""


@functools.cache
def _phrases() -> dict[str, Any]:
    text = (resources.files("extraction") / "data" / "server_failures.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def server_failure(body: str) -> FailureSide | None:
    """``request`` or ``answer`` when a 5xx body shows a deterministic failure, else ``None``."""
    low = body.casefold()
    table = _phrases()
    if any(p in low for p in table["request"]):
        return "request"
    if any(p in low for p in table["answer"]):
        return "answer"
    return None


def suggested_mode(body: str, mode: str) -> str:
    """The mode to try instead of ``mode`` after the failure ``body`` describes."""
    low = body.casefold()
    for phrase, better in _phrases()["suggest"].items():
        if phrase in low and better != mode:
            return str(better)
    return _ALTERNATIVE.get(mode, "json")


def is_loopback(base_url: str) -> bool:
    """Whether ``base_url`` is served on this machine (localhost or a loopback address)."""
    host = (urlsplit(base_url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def context_filled(*, prompt_tokens: int, completion_tokens: int, max_tokens: int) -> str | None:
    """What to say when an answer stopped at the length limit before ``max_tokens``: the
    server's context (prompt plus completion) filled. ``None`` when ``max_tokens`` was reached.

    >>> context_filled(prompt_tokens=7000, completion_tokens=1192, max_tokens=4096)
    ... # doctest: +ELLIPSIS
    "the server's context filled at 8192 tokens (7000 prompt + 1192 completion) before ..."
    >>> context_filled(prompt_tokens=900, completion_tokens=4096, max_tokens=4096) is None
    True
    """
    if completion_tokens <= 0 or completion_tokens >= max_tokens:
        return None
    used = prompt_tokens + completion_tokens
    return (
        f"the server's context filled at {used} tokens ({prompt_tokens} prompt + "
        f"{completion_tokens} completion) before max_tokens={max_tokens} was reached: its "
        f"context size is about {used}; start it with a larger one (llama-server -c / "
        "--ctx-size, llama_cpp.server --n_ctx, Ollama num_ctx, vLLM --max-model-len) or use a "
        "mode that pastes no schema (json_schema, json_object_schema, tools)"
    )
