"""The review web app: a Starlette app over one labelling folder, served by uvicorn on 127.0.0.1.

Routes (all JSON except the page and its static files):

- ``GET /``: the review page; it carries the session token in a ``<meta>`` tag;
- ``GET /api/schema``: the JSON Schema of :class:`schemas.Records` (the form is generated from it);
- ``GET /api/articles``: the articles in the folder, with draft and gold status;
- ``GET /api/articles/{id}``: one article's text, draft, gold (if reviewed) and its provenance;
- ``POST /api/articles/{id}/check``: validate a submission and return the diff against the draft;
- ``POST /api/articles/{id}/gold``: validate and save reviewed gold;
- ``GET /api/stats``: the draft acceptance rate per field over the folder's reviewed gold;
- ``GET /api/names``: canonical actor names (for completion) and the fields that hold them.

Security: the server binds to the loopback interface unless told otherwise; requests must name the
host it serves (against DNS rebinding); every POST must carry the page's token in the
``X-Sitrep-Token`` header (compared in constant time), be JSON, and come from the page's origin;
article ids are checked by :mod:`labelling.store`, which only reads and writes inside the folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from evals.gold import GoldError, GoldFile
from labelling.http_guard import JsonErrors, SecurityHeaders, error, read_limited, refuse_write
from labelling.names import CANONICAL_FIELDS, actor_names
from labelling.provenance import DraftInfo, acceptance_rates, origins_from_gold
from labelling.store import GoldConflictError, LabellingFolder, UnsafeIdError
from labelling.submission import Submission, SubmissionInvalid, build_gold, diff_rows
from schemas.article import Article
from schemas.loaders import ArticleInputError
from schemas.records import Records
from schemas.validation import first_error

STATIC = Path(__file__).parent / "static"
MAX_BODY = 4 * 1024 * 1024
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ReviewApp:
    """Request handlers bound to one folder, reviewer and session token."""

    def __init__(self, folder: LabellingFolder, *, reviewer: str, token: str) -> None:
        self.folder = folder
        self.reviewer = reviewer
        self.token = token

    # -- guards ----------------------------------------------------------------------------
    def _article_id(self, request: Request) -> str:
        article_id = str(request.path_params["article_id"])
        self.folder.article_path(article_id)  # raises UnsafeIdError
        if not self.folder.has_article(article_id):
            raise FileNotFoundError(article_id)
        return article_id

    def _refuse(self, request: Request) -> JSONResponse | None:
        """Why a state-changing request is refused (None: allowed)."""
        return refuse_write(request, self.token, MAX_BODY)

    async def _submission(self, request: Request) -> Submission | JSONResponse:
        body = await read_limited(request, MAX_BODY)
        if body is None:
            return error(413, f"request body over {MAX_BODY} bytes")
        try:
            return Submission.model_validate_json(body)
        except ValidationError as exc:
            loc, msg = first_error(exc)
            return error(400, f"malformed request: {loc}: {msg}")

    # -- pages -----------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        page = page.replace("{{TOKEN}}", html.escape(self.token, quote=True))
        page = page.replace("{{REVIEWER}}", html.escape(self.reviewer, quote=True))
        return HTMLResponse(page)

    async def schema(self, request: Request) -> Response:
        return JSONResponse(Records.model_json_schema())

    async def articles(self, request: Request) -> Response:
        out: list[dict[str, Any]] = []
        for article_id in self.folder.article_ids():
            row: dict[str, Any] = {"id": article_id, "draft": False, "gold": False}
            try:
                row["draft"] = self.folder.draft_path(article_id).is_file()
                row["gold"] = self.folder.gold_path(article_id).is_file()
            except (UnsafeIdError, OSError) as exc:
                row["error"] = str(exc)
            out.append(row)
        return JSONResponse({"articles": out, "reviewer": self.reviewer})

    async def article(self, request: Request) -> Response:
        try:
            article_id = self._article_id(request)
            art = self.folder.article(article_id)
            return JSONResponse(self._article_payload(article_id, art))
        except UnsafeIdError as exc:
            return error(400, str(exc))
        except FileNotFoundError:
            return error(404, "no such article in the labelling folder")
        except ArticleInputError as exc:
            return error(422, str(exc))

    def _article_payload(self, article_id: str, art: Article) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "article": art.model_dump(mode="json", exclude={"source_file"}),
            "draft": None,
            "draft_info": None,
            "draft_error": None,
            "gold": None,
            "gold_info": None,
            "gold_error": None,
            "gold_sha256": self.folder.gold_sha256(article_id),
            "origins": None,
            "prior": {},
            "notes": None,
            "draft_notes": None,
        }
        draft: GoldFile | None = None
        try:
            draft = self.folder.draft(article_id, art)
        except GoldError as exc:
            payload["draft_error"] = str(exc)
        if draft is not None:
            info = DraftInfo.of(draft)
            payload["draft"] = draft.records.model_dump(mode="json")
            payload["draft_info"] = {
                "drafted_by": info.drafted_by,
                "run": info.run,
                "prompt_hash": info.prompt_hash,
                "labelled_at": draft.provenance.labelled_at.isoformat(),
            }
            payload["draft_notes"] = draft.notes
        try:
            gold = self.folder.gold(article_id, art)
        except GoldError as exc:
            payload["gold_error"] = str(exc)
            gold = None
        if gold is not None:
            payload["gold"] = gold.records.model_dump(mode="json")
            payload["gold_info"] = {
                "labeller": gold.provenance.labeller,
                "labelled_at": gold.provenance.labelled_at.isoformat(),
                "status": gold.provenance.status,
            }
            payload["origins"] = origins_from_gold(gold, draft.records if draft else None)
            payload["prior"] = {k: v.source for k, v in gold.field_provenance.items()}
            payload["notes"] = gold.notes
        return payload

    def _build(self, article_id: str, sub: Submission) -> GoldFile:
        art = self.folder.article(article_id)
        try:
            draft = self.folder.draft(article_id, art)
        except GoldError:
            draft = None
        try:
            previous = self.folder.gold(article_id, art)
        except GoldError:
            previous = None
        return build_gold(
            sub,
            art,
            draft=draft,
            previous=previous,
            reviewer=self.reviewer,
            now=dt.datetime.now(dt.UTC).replace(microsecond=0),
            path=self.folder.gold_path(article_id),
        )

    async def _handle(self, request: Request, *, save: bool) -> Response:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        try:
            article_id = self._article_id(request)
        except UnsafeIdError as exc:
            return error(400, str(exc))
        except FileNotFoundError:
            return error(404, "no such article in the labelling folder")
        sub = await self._submission(request)
        if isinstance(sub, JSONResponse):
            return sub
        try:
            return await self._check_and_save(article_id, sub, save=save)
        except UnsafeIdError as exc:
            return error(400, f"not saved: {exc}", errors=[])

    async def _check_and_save(self, article_id: str, sub: Submission, *, save: bool) -> Response:
        try:
            gold = self._build(article_id, sub)
        except SubmissionInvalid as exc:
            return error(
                422,
                f"not saved: {exc.summary()}",
                errors=[e.as_dict() for e in exc.errors],
                warnings=[e.as_dict() for e in exc.warnings],
            )
        except (GoldError, ArticleInputError) as exc:
            return error(422, f"not saved: {exc}", errors=[])
        summary: dict[str, int] = {}
        for prov in [*gold.field_provenance.values(), *gold.rejected.values()]:
            summary[prov.source] = summary.get(prov.source, 0) + 1
        try:
            draft = self.folder.draft(article_id)
        except GoldError:
            draft = None
        result: dict[str, Any] = {"ok": True, "summary": summary, "diff": diff_rows(gold, draft)}
        if not save:
            return JSONResponse(result)
        try:
            path = self.folder.write_gold(
                gold, base_sha256=sub.base_sha256, overwrite=sub.overwrite
            )
        except GoldConflictError as exc:
            return error(409, str(exc), current_sha256=exc.current_sha256)
        result["path"] = str(path.relative_to(self.folder.root))
        result["gold_sha256"] = self.folder.gold_sha256(article_id)
        result["prior"] = {k: v.source for k, v in gold.field_provenance.items()}
        return JSONResponse(result)

    async def check(self, request: Request) -> Response:
        return await self._handle(request, save=False)

    async def save(self, request: Request) -> Response:
        return await self._handle(request, save=True)

    async def names(self, request: Request) -> Response:
        return JSONResponse({"fields": list(CANONICAL_FIELDS), "actors": actor_names()})

    async def stats(self, request: Request) -> Response:
        rows = [t.as_dict() for t in acceptance_rates(self.folder.golds())]
        return JSONResponse({"fields": rows})


def create_app(
    folder: LabellingFolder,
    *,
    reviewer: str,
    token: str | None = None,
    allowed_hosts: list[str] | None = None,
) -> Starlette:
    """The review app for ``folder``. ``token`` defaults to a fresh random one per app."""
    handlers = ReviewApp(folder, reviewer=reviewer, token=token or secrets.token_urlsafe(32))
    routes = [
        Route("/", handlers.index),
        Route("/api/schema", handlers.schema),
        Route("/api/articles", handlers.articles),
        Route("/api/articles/{article_id}", handlers.article),
        Route("/api/articles/{article_id}/check", handlers.check, methods=["POST"]),
        Route("/api/articles/{article_id}/gold", handlers.save, methods=["POST"]),
        Route("/api/stats", handlers.stats),
        Route("/api/names", handlers.names),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    hosts = allowed_hosts if allowed_hosts is not None else ["127.0.0.1", "localhost", "[::1]"]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(JsonErrors),
            Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
        ],
    )
    app.state.token = handlers.token
    return app


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _server(app: Starlette) -> uvicorn.Server:
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    return uvicorn.Server(config)


@contextlib.contextmanager
def running(app: Starlette, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` in a background thread; yields its URL (used by tests and screenshots)."""
    sock = bind(host, port)
    server = _server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    if not server.started:
        raise RuntimeError("the review server did not start")
    try:
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def serve(app: Starlette, sock: socket.socket) -> None:
    """Serve ``app`` on ``sock`` until interrupted."""
    _server(app).run(sockets=[sock])
