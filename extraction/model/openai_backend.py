"""The OpenAI-compatible backend: any server that speaks the chat completions API (OpenAI, Ollama,
vLLM, llama.cpp, a proxy), through instructor (:mod:`extraction.model.openai_compat`).

It keeps one openai client per event loop: one connection pool for every call of a batch (a client
is bound to the loop it first ran on). The pipeline closes the client of its loop when a run ends
(:meth:`OpenAIBackend.aclose`). The client uses openai's default httpx transport.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extraction.config import ExtractionConfig
from extraction.model.clients import LoopClients
from schemas.article import Article
from schemas.records import ArticleExtraction

if TYPE_CHECKING:
    import openai


class OpenAIBackend:
    """:class:`~extraction.model.base.Backend` for an OpenAI-compatible server."""

    def __init__(self, config: ExtractionConfig) -> None:
        self.config = config
        self._clients = LoopClients(config)

    def _client(self) -> openai.AsyncOpenAI:
        return self._clients.get()

    async def __call__(self, article: Article) -> ArticleExtraction:
        from extraction.model import openai_compat as llm

        return await llm.arun_model(article, self.config, client=self._client())

    async def aclose(self) -> None:
        """Close the client of the running loop, if one was made."""
        await self._clients.aclose()
