"""How the schema travels to each kind of server: the ``--mode`` values.

instructor builds the request, parses the answer and re-asks; sitrep decides what carries the
schema. ``tools`` is instructor's function calling. Every other mode runs instructor's
``JSON_SCHEMA`` handling (the answer is the message content, re-asks quote it back) and sets the
request's ``response_format`` itself, so that the schema goes as a grammar where the server takes
one and is pasted, compact, into the system message where it does not:

============================  ============================================  ========================
mode                          what is sent                                  for
============================  ============================================  ========================
``tools``                     the schema as a forced function tool          OpenAI; vLLM with a tool
                                                                            parser; Ollama
``json_schema``               ``response_format: json_schema``: a grammar   OpenAI, llama.cpp's
                              on servers that constrain output              ``llama-server``, vLLM,
                                                                            Ollama, LM Studio
``json_object_schema``        ``response_format: json_object`` with a       llama-cpp-python
                              ``schema``: a grammar                         (``python -m
                                                                            llama_cpp.server``)
``json``                      ``response_format: json_object``; the         servers with a JSON mode
                              schema pasted compact                         but no schema grammar
``md_json``                   no ``response_format``; the schema pasted     servers with neither
                              compact, the answer in a fenced block
============================  ============================================  ========================

The schema is :func:`schemas.model_facing.model_schema`. In every mode the system message (the
instructions, then the pasted schema if any) is the same for every article and comes first, so
servers' prefix caches apply.

>>> sorted(MODES)
['json', 'json_object_schema', 'json_schema', 'md_json', 'tools']
>>> response_format("json_object_schema")["type"], response_format("tools")
('json_object', None)
>>> default_mode("http://localhost:11434/v1", "ollama")
'json_schema'
>>> default_mode("https://api.openai.com/v1", "openai")
'tools'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from schemas.model_facing import model_schema

if TYPE_CHECKING:
    import instructor

MODES: dict[str, str] = {
    "tools": "the schema as a forced function tool (OpenAI; vLLM with a tool parser; Ollama)",
    "json_schema": "response_format json_schema, a grammar on llama-server, vLLM and Ollama "
    "(and OpenAI's structured outputs)",
    "json_object_schema": "response_format json_object with a schema, a grammar on "
    "llama-cpp-python's server",
    "json": "response_format json_object, the schema pasted compact in the instructions",
    "md_json": "no response_format, the schema pasted compact, the answer in a ```json block",
}
"""Each mode and the servers it suits (what ``--mode`` accepts)."""

PASTED_SECTION: dict[str, str] = {"json": "schema_json", "md_json": "schema_md_json"}
"""The prompt section that pastes the schema into the system message, in the modes that do."""

OLLAMA_PORT = 11434


def instructor_mode(mode: str) -> instructor.Mode:
    """The instructor mode that parses and re-asks for ``mode``."""
    import instructor

    return instructor.Mode.TOOLS if mode == "tools" else instructor.Mode.JSON_SCHEMA


def response_format(mode: str) -> dict[str, Any] | None:
    """The ``response_format`` sent in ``mode`` (``None``: none is sent)."""
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": "Records", "schema": model_schema()}}
    if mode == "json_object_schema":
        return {"type": "json_object", "schema": model_schema()}
    if mode == "json":
        return {"type": "json_object"}
    return None


def default_mode(base_url: str, provider: str) -> str:
    """The mode to use when none is asked for: ``json_schema`` for Ollama (its provider prefix or
    its port), where tool calls depend on the model's template, else ``tools``. Which server
    answers on any other URL cannot be known from it; the errors a wrong mode causes name the
    mode to try."""
    if provider == "ollama" or urlsplit(base_url).port == OLLAMA_PORT:
        return "json_schema"
    return "tools"


def shape_request(mode: str, body: dict[str, Any]) -> dict[str, Any]:
    """The request instructor prepared, with the ``response_format`` of ``mode`` (tools mode:
    unchanged)."""
    if mode == "tools":
        return body
    shaped = {k: v for k, v in body.items() if k != "response_format"}
    fmt = response_format(mode)
    if fmt is not None:
        shaped["response_format"] = fmt
    return shaped
