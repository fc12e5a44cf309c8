"""One openai client per event loop for one configuration: one connection pool for every call
made on a loop (a client is bound to the loop it first ran on), closed when that loop's run ends.

>>> from extraction.config import resolve_config
>>> clients = LoopClients(resolve_config("llama3.1", base_url="http://127.0.0.1:9/v1"))
>>> async def twice() -> bool:
...     first, second = clients.get(), clients.get()
...     await clients.aclose()
...     return first is second and first.is_closed() and len(clients) == 0
>>> import asyncio
>>> asyncio.run(twice())
True
"""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING

from extraction.config import ExtractionConfig

if TYPE_CHECKING:
    import openai


class LoopClients:
    """The openai clients of one configuration, one per running event loop."""

    def __init__(self, config: ExtractionConfig) -> None:
        self.config = config
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI] = (
            weakref.WeakKeyDictionary()
        )

    def __len__(self) -> int:
        return len(self._clients)

    def get(self) -> openai.AsyncOpenAI:
        """The client of the running loop, made on first use."""
        import openai

        from extraction.model.openai_compat import client_kwargs

        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = openai.AsyncOpenAI(**client_kwargs(self.config))
        return client

    async def aclose(self) -> None:
        """Close the client of the running loop, if one was made."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.close()
