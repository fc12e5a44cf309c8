"""A SCRIPTED OpenAI Files + Batches server on loopback, for offline tests of ``--via
openai-batch``. It is not a model: every answer is what the test's ``answer`` function returns for
a request body (the same function answers the batch's lines and the synchronous calls, so the two
roads can be compared), under the model name :data:`SCRIPTED_MODEL`.

Routes: ``POST /v1/files`` (multipart upload), ``GET /v1/files/{id}/content``, ``POST
/v1/batches``, ``GET /v1/batches`` (list, newest first), ``GET /v1/batches/{id}`` and ``POST
/v1/chat/completions``. A batch goes through the statuses of
its :class:`Lifecycle`, one step per retrieve; when it reaches its last status its output and
error files are written: the first ``answered`` lines are answered (an HTTP error reply goes to
the error file with its status), the others get ``unanswered_code`` in the error file (none for
a ``failed`` batch, which gets ``errors``).

>>> with ScriptedBatchServer(lambda body: content_reply({"events": []})) as server:
...     server.url.startswith("http://127.0.0.1:"), server.batches
(True, {})
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.scripted_server import (
    CREATED,
    SCRIPTED_MODEL,
    HTTPFixture,
    Reply,
    content_reply,
    error_reply,
    tool_call_reply,
)

__all__ = [
    "SCRIPTED_MODEL",
    "Answer",
    "Lifecycle",
    "ScriptedBatchServer",
    "content_reply",
    "error_reply",
    "tool_call_reply",
]

Answer = Callable[[dict[str, Any]], Reply]
"""A chat request body -> the reply to it."""

COMPLETES = ("validating", "in_progress", "finalizing", "completed")


@dataclass(frozen=True)
class Lifecycle:
    """The statuses one batch goes through, one per retrieve, and how it ends."""

    statuses: tuple[str, ...] = COMPLETES
    answered: int | None = None  # lines answered before the end (None: all)
    unanswered_code: str = "batch_expired"
    unanswered_message: str = "This request could not be executed before the window expired."
    errors: tuple[dict[str, Any], ...] = ()


@dataclass
class _Batch:
    id: str
    input_file_id: str
    metadata: dict[str, Any]
    lifecycle: Lifecycle
    step: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(
        default_factory=lambda: {"total": 0, "completed": 0, "failed": 0}
    )

    @property
    def status(self) -> str:
        return self.lifecycle.statuses[min(self.step, len(self.lifecycle.statuses) - 1)]


class ScriptedBatchServer(HTTPFixture):
    """A threaded HTTP server on 127.0.0.1 (a free port); :attr:`url` ends in ``/v1``."""

    def __init__(self, answer: Answer, lifecycles: Iterable[Lifecycle] = ()) -> None:
        self.answer = answer
        self._lifecycles: deque[Lifecycle] = deque(lifecycles)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, _Batch] = {}
        self.chat_requests: list[dict[str, Any]] = []
        self.retrieves = 0
        super().__init__()

    # -- the API ---------------------------------------------------------------------------------

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-scripted-{next(self._ids)}"

    def _file(self, name: str, data: bytes, purpose: str) -> dict[str, Any]:
        file_id = self._new_id("file")
        self.files[file_id] = data
        return {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": CREATED,
            "filename": name,
            "purpose": purpose,
            "status": "processed",
        }

    def _batch_json(self, batch: _Batch) -> dict[str, Any]:
        return {
            "id": batch.id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "completion_window": "24h",
            "created_at": CREATED,
            "input_file_id": batch.input_file_id,
            "status": batch.status,
            "output_file_id": batch.output_file_id,
            "error_file_id": batch.error_file_id,
            "metadata": batch.metadata,
            "request_counts": batch.counts,
            "errors": {"object": "list", "data": list(batch.lifecycle.errors)}
            if batch.status == "failed"
            else None,
        }

    def _finish(self, batch: _Batch) -> None:
        lines = [json.loads(x) for x in self.files[batch.input_file_id].splitlines() if x.strip()]
        batch.counts["total"] = len(lines)
        if batch.status == "failed":
            return
        answered = batch.lifecycle.answered
        out: list[str] = []
        err: list[str] = []
        for n, line in enumerate(lines):
            base = {"id": f"batch_req_{n}", "custom_id": line["custom_id"]}
            if answered is not None and n >= answered:
                error = {
                    "code": batch.lifecycle.unanswered_code,
                    "message": batch.lifecycle.unanswered_message,
                }
                err.append(json.dumps({**base, "response": None, "error": error}))
                batch.counts["failed"] += 1
                continue
            reply = self.answer(line["body"])
            response = {"status_code": reply.status, "request_id": f"req_{n}", "body": reply.body}
            (out if reply.status == 200 else err).append(
                json.dumps({**base, "response": response, "error": None})
            )
            batch.counts["completed" if reply.status == 200 else "failed"] += 1
        if out:
            batch.output_file_id = self._file("out.jsonl", "\n".join(out).encode() + b"\n", "o")[
                "id"
            ]
        if err:
            batch.error_file_id = self._file("err.jsonl", "\n".join(err).encode() + b"\n", "o")[
                "id"
            ]

    def _route(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Reply:
        parts = path.split("?")[0].rstrip("/").split("/")[2:]  # after /v1
        with self._lock:
            if method == "POST" and parts == ["files"]:
                name, data, purpose = _multipart(headers.get("content-type", ""), raw)
                return Reply(body=self._file(name, data, purpose))
            if method == "GET" and len(parts) == 3 and parts[0] == "files":
                data = self.files.get(parts[1])
                if data is None:
                    return error_reply(404, f"no file {parts[1]}")
                return Reply(body=data.decode())
            if method == "POST" and parts == ["batches"]:
                body = json.loads(raw)
                lifecycle = self._lifecycles.popleft() if self._lifecycles else Lifecycle()
                batch = _Batch(
                    self._new_id("batch"), body["input_file_id"], body.get("metadata"), lifecycle
                )
                self.batches[batch.id] = batch
                return Reply(body=self._batch_json(batch))
            if method == "GET" and parts == ["batches"]:
                data = [self._batch_json(b) for b in reversed(self.batches.values())]
                return Reply(body={"object": "list", "data": data, "has_more": False})
            if len(parts) >= 2 and parts[0] == "batches" and parts[1] in self.batches:
                batch = self.batches[parts[1]]
                if method == "GET" and len(parts) == 2:
                    self.retrieves += 1
                    before = batch.status
                    batch.step += 1
                    if batch.status != before and batch.step >= len(batch.lifecycle.statuses) - 1:
                        self._finish(batch)
                    return Reply(body=self._batch_json(batch))
        if method == "POST" and parts == ["chat", "completions"]:
            body = json.loads(raw)
            with self._lock:
                self.chat_requests.append(body)
            return self.answer(body)
        return error_reply(404, f"scripted batch server: no route {method} {path}")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = server._route(self.command, self.path, headers, raw)
                body = reply.body
                data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = _answer
            do_GET = _answer

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                return

        return Handler


def _multipart(content_type: str, raw: bytes) -> tuple[str, bytes, str]:
    """(file name, file bytes, purpose) of a multipart upload."""
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    name, data, purpose = "upload", b"", ""
    for part in message.iter_parts():
        field_name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if field_name == "file":
            name = part.get_filename() or name
            data = payload
        elif field_name == "purpose":
            purpose = payload.decode()
    return name, data, purpose
