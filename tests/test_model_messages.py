"""What the model path says when the server misbehaves in ways a message used to misname: a
connection dropped mid-response, and replies that are not chat completions at all. Served by
loopback servers written for the tests (scripted, not a model)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest
from scripted_server import SCRIPTED_MODEL, Reply, ScriptedServer

from extraction import ModelOutputError, TransportError, resolve_config
from extraction.config import ExtractionConfig
from extraction.model.openai_compat import arun_model
from schemas.article import Article

ARTICLE = Article(id="synthetic", text="A drone struck a fuel depot near Koya.")  # synthetic


def _config(url: str) -> ExtractionConfig:
    cfg = resolve_config(
        SCRIPTED_MODEL, base_url=url, api_key="test-key", environ={}, max_transport_retries=1
    )
    assert cfg is not None
    return cfg


@pytest.fixture
def half_answer() -> Iterator[str]:
    """A server that sends the head of an answer and part of its body, then closes."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                if stop.is_set():
                    return
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b'Content-Length: 1000\r\n\r\n{"id": "chat'
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    address = listener.getsockname()
    try:
        yield f"http://127.0.0.1:{address[1]}/v1"
    finally:
        stop.set()
        socket.create_connection(address).close()  # wakes the accept() so the thread ends
        thread.join()
        listener.close()


async def _no_wait(_: float) -> None:
    return None


def test_a_connection_dropped_mid_response_is_named_as_such(half_answer: str) -> None:
    with pytest.raises(TransportError) as info:
        asyncio.run(arun_model(ARTICLE, _config(half_answer), sleep=_no_wait))
    message = str(info.value)
    assert f"the connection to {half_answer} was dropped before the answer was complete" in message
    assert "(2 attempts)" in message and "cannot reach" not in message
    assert info.value.kind == "connection"  # extraction.errors.Unreachable


def test_replies_that_are_not_chat_completions_are_not_called_zero_answers() -> None:
    with (
        ScriptedServer([Reply(status=200, body="this is not json")] * 4) as server,
        pytest.raises(ModelOutputError) as info,
    ):
        asyncio.run(arun_model(ARTICLE, _config(server.url), sleep=_no_wait))
    message = str(info.value)
    assert "no answer could be read as a chat completion" in message
    assert "after 0 answer(s)" not in message
    assert info.value.kind == "unparseable"
