"""The adjudication page: two labellers' disagreements side by side, decided by a third person and
saved as gold in an output labelling folder. Same security as the review server (loopback,
host check, page token on every write, strict Content-Security-Policy).

Routes: ``GET /`` (the page), ``GET /api/adjudication`` (articles and agreement before and
after), ``GET /api/adjudication/{id}`` (the article's text and disagreements),
``POST /api/adjudication/{id}`` (decisions; validated, then saved to ``OUT/gold/{id}.json``).
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from evals.gold import GoldFile
from labelling.adjudication import Decision, Pick, Unit, adjudicated_gold, units_for
from labelling.agree import AgreementInputError, AgreementReport, agreement
from labelling.http_guard import JsonErrors, SecurityHeaders, error, read_limited, refuse_write
from labelling.store import GoldConflictError, LabellingFolder, UnsafeIdError, check_id
from labelling.submission import SubmissionInvalid
from schemas.validation import first_error

STATIC = Path(__file__).parent / "static"
MAX_BODY = 4 * 1024 * 1024


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pick: Pick
    value: Any = None


class Adjudication(BaseModel):
    """What the page sends to save an article's adjudication."""

    model_config = ConfigDict(extra="forbid")
    decisions: dict[str, DecisionIn] = Field(default_factory=dict)
    base_sha256: str | None = None


def summary(report: AgreementReport | None) -> dict[str, Any] | None:
    """The figures the page shows: record F1 and kappa of the categorical fields."""
    if report is None:
        return None
    return {
        "articles": len(report.articles),
        "events_f1": report.events.f1,
        "statements_f1": report.statements.f1,
        "fields": [
            {"field": f.field, "kappa": f.kappa, "observed": f.observed}
            for f in report.fields
            if f.categorical
        ],
        "disagreements": len(report.disagreements),
    }


def _try_agreement(a: Path, b: Path) -> AgreementReport | None:
    try:
        return agreement(a, b)
    except AgreementInputError:
        return None


class AdjudicationApp:
    """Request handlers over folders A and B (read only) and the output folder."""

    def __init__(self, dir_a: Path, dir_b: Path, out: Path, *, adjudicator: str, token: str):
        self.dir_a, self.dir_b, self.out_dir = dir_a, dir_b, out
        self.a, self.b, self.out = (
            LabellingFolder(dir_a),
            LabellingFolder(dir_b),
            LabellingFolder(out),
        )
        self.adjudicator = adjudicator
        self.token = token
        self.before = agreement(dir_a, dir_b)  # raises AgreementInputError: nothing in common

    def _golds(self, article_id: str) -> tuple[GoldFile, GoldFile]:
        check_id(article_id)
        if article_id not in self.before.articles:
            raise FileNotFoundError(article_id)
        ga, gb = self.a.gold(article_id), self.b.gold(article_id)
        if ga is None or gb is None:
            raise FileNotFoundError(article_id)
        return ga, gb

    def _requested_golds(self, article_id: str) -> tuple[GoldFile, GoldFile] | Response:
        """Both labellers' gold of a requested article, or the error answer: 400 for an unsafe
        id, 404 for an article without reviewed gold from both."""
        try:
            return self._golds(article_id)
        except UnsafeIdError as exc:
            return error(400, str(exc))
        except FileNotFoundError:
            return error(404, "no article with reviewed gold from both labellers")

    def _units(self, article_id: str, ga: GoldFile, gb: GoldFile) -> list[Unit]:
        mine = [d for d in self.before.disagreements if d.article_id == article_id]
        return units_for(ga, gb, mine)

    async def index(self, request: Request) -> Response:
        page = (STATIC / "adjudicate.html").read_text(encoding="utf-8")
        page = page.replace("{{TOKEN}}", html.escape(self.token, quote=True))
        page = page.replace("{{REVIEWER}}", html.escape(self.adjudicator, quote=True))
        return HTMLResponse(page)

    def _overview(self) -> dict[str, Any]:
        rows = []
        for article_id in self.before.articles:
            n = sum(1 for d in self.before.disagreements if d.article_id == article_id)
            saved = self.out.gold_path(article_id).is_file()
            rows.append({"id": article_id, "disagreements": n, "saved": saved})
        return {
            "labellers": {"a": self.before.labellers_a, "b": self.before.labellers_b},
            "adjudicator": self.adjudicator,
            "articles": rows,
            "before": summary(self.before),
            "after": {
                "a": summary(_try_agreement(self.dir_a, self.out_dir)),
                "b": summary(_try_agreement(self.dir_b, self.out_dir)),
            },
        }

    async def overview(self, request: Request) -> Response:
        return JSONResponse(self._overview())

    async def article(self, request: Request) -> Response:
        article_id = str(request.path_params["article_id"])
        found = self._requested_golds(article_id)
        if isinstance(found, Response):
            return found
        ga, gb = found
        text = self.a.article(article_id).text
        return JSONResponse(
            {
                "id": article_id,
                "text": text,
                "a": ga.provenance.labeller,
                "b": gb.provenance.labeller,
                "units": [u.as_dict() for u in self._units(article_id, ga, gb)],
                "gold_sha256": self.out.gold_sha256(article_id),
            }
        )

    async def save(self, request: Request) -> Response:
        refused = refuse_write(request, self.token, MAX_BODY)
        if refused is not None:
            return refused
        article_id = str(request.path_params["article_id"])
        found = self._requested_golds(article_id)
        if isinstance(found, Response):
            return found
        ga, gb = found
        body = await read_limited(request, MAX_BODY)
        if body is None:
            return error(413, f"request body over {MAX_BODY} bytes")
        try:
            sent = Adjudication.model_validate_json(body)
        except ValidationError as exc:
            loc, msg = first_error(exc)
            return error(400, f"malformed request: {loc}: {msg}")
        article = self.a.article(article_id)
        decisions = {k: Decision(v.pick, v.value) for k, v in sent.decisions.items()}
        try:
            gold = adjudicated_gold(
                ga,
                gb,
                article,
                self._units(article_id, ga, gb),
                decisions,
                adjudicator=self.adjudicator,
                now=dt.datetime.now(dt.UTC).replace(microsecond=0),
                path=self.out.gold_path(article_id),
            )
        except SubmissionInvalid as exc:
            return error(
                422, f"not saved: {exc.summary()}", errors=[e.as_dict() for e in exc.errors]
            )
        try:
            self.out.add_article(article)
            self.out.write_gold(
                gold, base_sha256=sent.base_sha256, overwrite=sent.base_sha256 is not None
            )
        except GoldConflictError as exc:
            return error(409, str(exc), current_sha256=exc.current_sha256)
        except UnsafeIdError as exc:
            return error(400, f"not saved: {exc}")
        return JSONResponse(
            {
                "ok": True,
                "path": str(self.out.gold_path(article_id)),
                "gold_sha256": self.out.gold_sha256(article_id),
                "notes": gold.notes,
                "overview": self._overview(),
            }
        )


def create_adjudication_app(
    dir_a: Path,
    dir_b: Path,
    out: Path,
    *,
    adjudicator: str,
    token: str | None = None,
    allowed_hosts: list[str] | None = None,
) -> Starlette:
    """The adjudication app. Raises :class:`AgreementInputError` when A and B have no reviewed
    gold in common."""
    h = AdjudicationApp(
        dir_a, dir_b, out, adjudicator=adjudicator, token=token or secrets.token_urlsafe(32)
    )
    routes = [
        Route("/", h.index),
        Route("/api/adjudication", h.overview),
        Route("/api/adjudication/{article_id}", h.article),
        Route("/api/adjudication/{article_id}", h.save, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    hosts = allowed_hosts if allowed_hosts is not None else ["127.0.0.1", "localhost", "[::1]"]
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(JsonErrors),
            Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
        ],
    )
