"""The OpenAI-compatible backend: any server that speaks the chat completions API (OpenAI, Ollama,
vLLM, llama.cpp, a proxy), through instructor (:mod:`extraction.model.openai_compat`).

It keeps one openai client per event loop: one connection pool for every call of a batch (a client
is bound to the loop it first ran on). The pipeline closes the client of its loop when a run ends
(:meth:`OpenAIBackend.aclose`). The client uses openai's default httpx transport.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING

from extraction.config import ExtractionConfig
from schemas.article import Article
from schemas.records import ArticleExtraction

if TYPE_CHECKING:
    import openai


class OpenAIBackend:
    """:class:`~extraction.model.base.Backend` for an OpenAI-compatible server."""

    def __init__(self, config: ExtractionConfig) -> None:
        self.config = config
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI] = (
            weakref.WeakKeyDictionary()
        )

    def _client(self) -> openai.AsyncOpenAI:
        import openai

        from extraction.model import openai_compat as llm

        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = openai.AsyncOpenAI(**llm.client_kwargs(self.config))
        return client

    async def __call__(self, article: Article) -> ArticleExtraction:
        from extraction.model import openai_compat as llm

        return await llm.arun_model(article, self.config, client=self._client())

    async def aclose(self) -> None:
        """Close the client of the running loop, if one was made."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.close()
