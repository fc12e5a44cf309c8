"""A REAL model for the tests marked ``realmodel``: llama.cpp's servers with SmolLM2-135M-Instruct,
from the cache ``.ci/llama-server.sh`` fills (``$SITREP_LLAMA_CACHE``, else
``~/.cache/sitrep/llama``).

:class:`LocalServer` starts ``llama-server`` (llama.cpp's native server) or
``python -m llama_cpp.server`` (llama-cpp-python's, through ``tests/realmodel/llama_cpp_server.py``)
on 127.0.0.1 on a free port, waits until it answers ``/v1/models`` (bounded), and stops it
afterwards. Whether it is still running when the test ends is what "the server never crashed"
means. When the cache is missing the tests skip saying how to fill it, unless
``SITREP_REQUIRE_REALMODEL=1`` (set by ``.ci/run``), where they fail.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pytest

MODEL_ALIAS = "SmolLM2-135M-Instruct"
"""The name both servers answer as (``--alias`` / ``--model_alias``): what results must record."""
CONTEXT = 8192
READY_WITHIN = 180.0
"""Seconds a server may take to load the model and answer /v1/models."""
HERE = Path(__file__).parent


def cache_dir() -> Path:
    return Path(os.environ.get("SITREP_LLAMA_CACHE") or Path.home() / ".cache/sitrep/llama")


@dataclass(frozen=True)
class LlamaCache:
    root: Path

    @property
    def python(self) -> Path:
        return self.root / "venv" / "bin" / "python"

    @property
    def llama_server(self) -> Path:
        return self.root / "bin" / "llama-server"

    @property
    def model(self) -> Path:
        return self.root / "model.gguf"

    def missing(self, kind: str) -> list[str]:
        server = self.llama_server if kind == "llama-server" else self.python
        return [str(p) for p in (server, self.model) if not p.exists()]


def require_cache(kind: str) -> LlamaCache:
    """The cache for server ``kind``, or a skip (a failure under ``SITREP_REQUIRE_REALMODEL=1``)
    naming what is missing and how to build it."""
    cache = LlamaCache(cache_dir())
    missing = cache.missing(kind)
    if missing:
        message = (
            f"the real-model cache is incomplete (missing {', '.join(missing)}); build it with "
            "`bash .ci/llama-server.sh` (about 25 minutes on 2 cores)"
        )
        if os.environ.get("SITREP_REQUIRE_REALMODEL") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return cache


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalServer:
    """One llama.cpp server process on loopback. ``kind`` is ``llama-server`` or
    ``llama-cpp-python``."""

    kind: str
    cache: LlamaCache
    log: Path
    threads: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        if self.kind == "llama-server":
            return [
                str(self.cache.llama_server),
                *("-m", str(self.cache.model), "--host", "127.0.0.1", "--port", str(self.port)),
                *("-c", str(CONTEXT), "-t", str(self.threads), "-np", "1", "-a", MODEL_ALIAS),
                "--jinja",  # tool calls need the chat template engine
                "--no-repack",  # see tests/realmodel/llama_cpp_server.py
            ]
        return [
            str(self.cache.python),
            str(HERE / "realmodel" / "llama_cpp_server.py"),
            *("--model", str(self.cache.model), "--host", "127.0.0.1", "--port", str(self.port)),
            *("--n_ctx", str(CONTEXT), "--n_threads", str(self.threads)),
            *("--model_alias", MODEL_ALIAS, "--verbose", "false"),
        ]

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def served_model(self) -> str:
        """The model id the server reports on /v1/models."""
        with urllib.request.urlopen(f"{self.url}/models", timeout=10) as response:
            data = json.loads(response.read())
        return str(data["data"][0]["id"])

    def __enter__(self) -> LocalServer:
        out = self.log.open("ab")
        self.process = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline:
            if not self.alive():
                tail = self.log.read_text("utf-8", "replace")[-2000:]
                raise RuntimeError(f"{self.kind} exited before it was ready:\n{tail}")
            try:
                self.served_model()
                return self
            except (OSError, urllib.error.URLError, ValueError, KeyError, IndexError):
                time.sleep(0.5)
        self.__exit__(None, None, None)
        raise RuntimeError(f"{self.kind} did not answer /v1/models within {READY_WITHIN:g}s")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
