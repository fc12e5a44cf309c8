"""The registry of model providers: the prefixes a model string may start with ("ollama/llama3.1"),
where each provider serves, and which backend speaks to it.

The table is ``extraction/data/providers.json``; every provider there speaks the OpenAI-compatible
chat completions API (:class:`~extraction.model.openai_backend.OpenAIBackend`). Any other prefix is
part of the model name ("Qwen/Qwen2.5-7B-Instruct" on vLLM).

>>> PROVIDER_BASE_URLS["ollama"]
'http://localhost:11434/v1'
>>> provider_of("Ollama/llama3.1"), provider_of("Qwen/Qwen2.5-7B-Instruct"), provider_of("gpt-4.1")
('ollama', None, None)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Literal

BackendName = Literal["openai-compatible"]


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    base_url: str
    backend: BackendName


def _load() -> dict[str, Provider]:
    text = (resources.files("extraction") / "data" / "providers.json").read_text("utf-8")
    return {
        name: Provider(name=name, base_url=entry["base_url"], backend=entry["backend"])
        for name, entry in json.loads(text).items()
    }


PROVIDERS: Mapping[str, Provider] = _load()
PROVIDER_BASE_URLS: Mapping[str, str] = {name: p.base_url for name, p in PROVIDERS.items()}
"""Provider prefix -> the base URL it serves at."""
OPENAI_BASE_URL = PROVIDER_BASE_URLS["openai"]
OLLAMA_BASE_URL = PROVIDER_BASE_URLS["ollama"]


def provider_of(model: str) -> str | None:
    """The registered provider a model string names by its prefix, if any."""
    prefix, _, rest = model.strip().partition("/")
    return prefix.lower() if rest and prefix.lower() in PROVIDERS else None
