"""The review server without a browser: what it serves, what it refuses, what it writes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from labelling_support import ARTICLE_ID, RIGHT_INJURED_QUOTE, make_folder, submission_from_draft
from starlette.testclient import TestClient

from labelling.server import create_app
from labelling.store import LabellingFolder

TOKEN = "test-token-0123456789"
BASE = "http://127.0.0.1"


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[tuple[TestClient, LabellingFolder, Path]]:
    root = tmp_path / "lab"
    folder, _ = make_folder(root)
    app = create_app(folder, reviewer="ana", token=TOKEN)
    with TestClient(app, base_url=BASE) as client:
        yield client, folder, tmp_path


def _headers(token: str | None = TOKEN) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["X-Sitrep-Token"] = token
    return headers


def _post(client: TestClient, path: str, body: dict[str, Any], **kw: Any) -> Any:
    headers = kw.pop("headers", _headers())
    return client.post(path, content=json.dumps(body), headers=headers, **kw)


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_page_carries_the_token_and_a_strict_policy(lab: Any) -> None:
    client, _, _ = lab
    res = client.get("/")
    assert res.status_code == 200
    assert f'<meta name="sitrep-token" content="{TOKEN}">' in res.text
    assert "script-src 'self'" in res.headers["content-security-policy"]
    assert res.headers["x-frame-options"] == "DENY"
    script = client.get("/static/main.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]  # module scripts need a JS type


def test_article_payload(lab: Any) -> None:
    client, _, _ = lab
    listing = client.get("/api/articles").json()
    assert listing["articles"] == [{"id": ARTICLE_ID, "draft": True, "gold": False}]
    data = client.get(f"/api/articles/{ARTICLE_ID}").json()
    assert data["article"]["outlet"] == "UPI"
    assert data["draft"]["events"][0]["casualties"][1]["best"] == 2
    assert data["draft_info"]["drafted_by"] == "test/drafting-model"
    assert data["gold"] is None and data["gold_sha256"] is None
    schema = client.get("/api/schema").json()
    assert "AttackEvent" in schema["$defs"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/articles/..%2F..%2Fetc%2Fpasswd",
        "/api/articles/%2e%2e",
        "/api/articles/..",
        "/api/articles/%2Fetc%2Fpasswd",
        "/api/articles//etc/passwd",
        "/api/articles/.hidden",
        "/api/articles/nope",
    ],
)
def test_traversal_through_article_ids_is_refused(lab: Any, path: str) -> None:
    client, _, _ = lab
    res = client.get(path)
    assert res.status_code in (400, 404)
    assert "root:" not in res.text


@pytest.mark.parametrize(
    "article_id", ["..%2F..%2Fescape", "%2e%2e", "..", "%2Ftmp%2Fescape", ".x"]
)
def test_saving_through_a_traversal_id_writes_nothing(lab: Any, article_id: str) -> None:
    client, folder, tmp_path = lab
    before = _files(tmp_path)
    body = submission_from_draft(folder)
    res = _post(client, f"/api/articles/{article_id}/gold", body)
    assert res.status_code in (400, 404, 405)
    assert _files(tmp_path) == before


def test_mutating_requests_need_the_token(lab: Any) -> None:
    client, folder, tmp_path = lab
    body = submission_from_draft(folder)
    url = f"/api/articles/{ARTICLE_ID}/gold"
    before = _files(tmp_path)
    assert _post(client, url, body, headers=_headers(None)).status_code == 403
    assert _post(client, url, body, headers=_headers("wrong")).status_code == 403
    assert _post(client, url, body, headers=_headers(TOKEN + "x")).status_code == 403
    assert (
        _post(client, f"/api/articles/{ARTICLE_ID}/check", body, headers=_headers(None)).status_code
        == 403
    )
    foreign = {**_headers(), "Origin": "http://evil.example"}
    assert _post(client, url, body, headers=foreign).status_code == 403
    form = {**_headers(), "Content-Type": "application/x-www-form-urlencoded"}
    assert _post(client, url, body, headers=form).status_code == 415
    assert _files(tmp_path) == before
    ok = _post(client, url, body, headers={**_headers(), "Origin": BASE})
    assert ok.status_code == 200, ok.text


def test_requests_for_another_host_name_are_refused(lab: Any) -> None:
    client, _, _ = lab
    res = client.get("/", headers={"Host": "attacker.example"})
    assert res.status_code == 400
    assert TOKEN not in res.text


def test_invalid_save_lists_the_fields_and_writes_nothing(lab: Any) -> None:
    client, folder, tmp_path = lab
    body = submission_from_draft(folder)
    e1 = body["records"]["events"][0]
    e1["casualties"][0]["low"] = 5  # low above best
    e1["casualties"][1]["evidence"] = {"quote": RIGHT_INJURED_QUOTE, "start": 10, "end": 33}
    e1["weapons"][0]["count"] = "many"
    before = _files(tmp_path)
    res = _post(client, f"/api/articles/{ARTICLE_ID}/gold", body)
    assert res.status_code == 422
    data = res.json()
    assert data["error"].startswith("not saved: 3 invalid field(s)")
    by_path = {e["path"]: e["message"] for e in data["errors"]}
    assert "low (5) must not exceed best (2)" in by_path["events.E1.casualties.0"]
    assert "does not hold the quote" in by_path["events.E1.casualties.1.evidence"]
    assert "integer" in by_path["events.E1.weapons.0.count"]
    assert _files(tmp_path) == before


def test_save_writes_reviewed_gold_with_provenance(lab: Any) -> None:
    client, folder, _ = lab
    body = submission_from_draft(folder)
    text = folder.article(ARTICLE_ID).text
    start = text.index(RIGHT_INJURED_QUOTE)
    cas = body["records"]["events"][0]["casualties"][1]
    cas["best"] = 3
    cas["evidence"] = {
        "quote": RIGHT_INJURED_QUOTE,
        "start": start,
        "end": start + len(RIGHT_INJURED_QUOTE),
    }
    body["decisions"] = {"events.E1.sub_type": "accepted"}
    res = _post(client, f"/api/articles/{ARTICLE_ID}/gold", body)
    assert res.status_code == 200, res.text
    data = res.json()
    assert data["path"] == f"gold/{ARTICLE_ID}.json"
    assert data["summary"]["changed"] == 2 and data["summary"]["confirmed"] == 1
    saved = json.loads(folder.gold_path(ARTICLE_ID).read_text(encoding="utf-8"))
    assert saved["provenance"]["status"] == "reviewed"
    assert saved["provenance"]["labeller"] == "ana"
    assert saved["provenance"]["draft_run"] == "label-20240501T120000Z-abc123"
    best = saved["field_provenance"]["events.E1.casualties.1.best"]
    assert (best["source"], best["by"]) == ("changed", "ana")
    ev = saved["records"]["events"][0]["casualties"][1]["evidence"]
    assert (ev["start"], ev["end"], ev["alignment"]) == (start, start + 23, "exact")
    listing = client.get("/api/articles").json()["articles"]
    assert listing[0]["gold"] is True
    reopened = client.get(f"/api/articles/{ARTICLE_ID}").json()
    assert reopened["gold_sha256"] == data["gold_sha256"]
    assert reopened["prior"]["events.E1.sub_type"] == "confirmed"
    assert reopened["origins"]["events.E1.casualties.1"] == "events.E1.casualties.1"
    stats = client.get("/api/stats").json()["fields"]
    best_row = next(r for r in stats if r["field"] == "events.*.casualties.*.best")
    assert (best_row["changed"], best_row["model"]) == (1, 1)


def test_second_save_needs_explicit_overwrite(lab: Any) -> None:
    client, folder, tmp_path = lab
    url = f"/api/articles/{ARTICLE_ID}/gold"
    body = submission_from_draft(folder)
    first = _post(client, url, body)
    assert first.status_code == 200
    sha = first.json()["gold_sha256"]
    on_disk = folder.gold_path(ARTICLE_ID).read_bytes()

    body["records"]["events"][0]["casualties"][0]["best"] = 3
    refused = _post(client, url, {**body, "base_sha256": sha})
    assert refused.status_code == 409
    assert "already reviewed" in refused.json()["error"]
    assert refused.json()["current_sha256"] == sha
    stale = _post(client, url, {**body, "base_sha256": None, "overwrite": True})
    assert stale.status_code == 409
    assert folder.gold_path(ARTICLE_ID).read_bytes() == on_disk

    ok = _post(client, url, {**body, "base_sha256": sha, "overwrite": True})
    assert ok.status_code == 200
    assert ok.json()["gold_sha256"] != sha
    history = list((tmp_path / "lab" / "history").iterdir())
    assert [p.read_bytes() for p in history] == [on_disk]


def test_check_returns_the_diff_without_writing(lab: Any) -> None:
    client, folder, tmp_path = lab
    body = submission_from_draft(folder)
    body["records"]["events"][0]["location"]["admin1"] = "Erbil Governorate"
    before = _files(tmp_path)
    res = _post(client, f"/api/articles/{ARTICLE_ID}/check", body)
    assert res.status_code == 200
    assert res.json()["diff"] == [
        {
            "path": "events.E1.location.admin1",
            "draft": "Erbil",
            "value": "Erbil Governorate",
            "source": "changed",
        }
    ]
    assert _files(tmp_path) == before


def test_malformed_body_is_a_clear_400(lab: Any) -> None:
    client, _, _ = lab
    res = _post(client, f"/api/articles/{ARTICLE_ID}/gold", {"records": {}, "surprise": 1})
    assert res.status_code == 400
    assert "surprise" in res.json()["error"]


# -- symlinks, oversized bodies, unexpected errors -----------------------------------------------

SECOND_ID = "synthetic-second"


def _second_article(folder: LabellingFolder) -> None:
    """A second, synthetic article (invented text) so that listing can go on past a broken one."""
    from schemas import Article

    folder.add_article(Article(id=SECOND_ID, text="Synthetic text: nothing happened here."))


def _outside(tmp_path: Path) -> Path:
    out = tmp_path / "outside"
    out.mkdir(exist_ok=True)
    (out / "secret.json").write_text('{"secret": "outside the folder"}', encoding="utf-8")
    return out


@pytest.mark.parametrize("what", ["gold", "drafts", "history", "gold-file", "draft-file"])
def test_a_symlink_leading_outside_is_a_400_and_the_listing_goes_on(
    tmp_path: Path, what: str
) -> None:
    root = tmp_path / "lab"
    folder, _ = make_folder(root)
    _second_article(folder)
    outside = _outside(tmp_path)
    if what == "gold-file":
        (root / "gold").mkdir()
        (root / "gold" / f"{ARTICLE_ID}.json").symlink_to(outside / "secret.json")
    elif what == "draft-file":
        (root / "drafts" / f"{ARTICLE_ID}.json").unlink()
        (root / "drafts" / f"{ARTICLE_ID}.json").symlink_to(outside / "secret.json")
    else:
        if (root / what).exists():
            for p in (root / what).iterdir():
                (outside / p.name).write_bytes(p.read_bytes())
            shutil.rmtree(root / what)
        (root / what).symlink_to(outside, target_is_directory=True)
    snapshot = {p.name: p.read_bytes() for p in outside.iterdir()}
    app = create_app(folder, reviewer="ana", token=TOKEN)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        listing = client.get("/api/articles")
        assert listing.status_code == 200
        rows = {r["id"]: r for r in listing.json()["articles"]}
        assert set(rows) == {ARTICLE_ID, SECOND_ID}
        whole_folder = what in ("gold", "drafts")  # every article's file would be out there
        assert ("error" in rows[SECOND_ID]) == whole_folder

        if what != "history":
            assert "symlink leading outside" in rows[ARTICLE_ID]["error"]
            res = client.get(f"/api/articles/{ARTICLE_ID}")
            assert res.status_code == 400, res.text
            assert "symlink leading outside the labelling folder" in res.json()["error"]
        body = submission_from_draft(make_folder(tmp_path / "clean")[0])
        saved = _post(client, f"/api/articles/{ARTICLE_ID}/gold", body)
        if what == "history":  # the first save needs no history; the second would write there
            assert saved.status_code == 200, saved.text
            sha = saved.json()["gold_sha256"]
            saved = _post(
                client,
                f"/api/articles/{ARTICLE_ID}/gold",
                {**body, "base_sha256": sha, "overwrite": True},
            )
        assert saved.status_code == 400, saved.text
        assert "symlink leading outside" in saved.json()["error"]
        second = client.get(f"/api/articles/{SECOND_ID}")
        assert second.status_code == (400 if whole_folder else 200), second.text
        assert client.get("/api/stats").status_code == 200
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == snapshot


def _asgi_post(app: Any, path: str, chunks: int, chunk_size: int) -> tuple[int, int, bytes]:
    """POST a chunked body (no Content-Length) straight to the ASGI app; returns the status, how
    many body messages the app read, and the answer."""
    import asyncio

    served = 0
    out: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal served
        served += 1
        return {"type": "http.request", "body": b"x" * chunk_size, "more_body": served < chunks}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        else:
            out["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 5000),
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"transfer-encoding", b"chunked"),
            (b"x-sitrep-token", TOKEN.encode()),
        ],
    }
    asyncio.run(app(scope, receive, send))
    return out["status"], served, out["body"]


def test_a_chunked_body_over_the_limit_is_not_read_past_the_limit(tmp_path: Path) -> None:
    from labelling.server import MAX_BODY

    folder, _ = make_folder(tmp_path / "lab")
    app = create_app(folder, reviewer="ana", token=TOKEN)
    chunk = 1024 * 1024
    total_chunks = 300  # 300 MB offered
    status, served, body = _asgi_post(app, f"/api/articles/{ARTICLE_ID}/gold", total_chunks, chunk)
    assert status == 413
    assert "over" in json.loads(body)["error"]
    assert served == MAX_BODY // chunk + 1  # read up to the limit, then stopped
    assert not (tmp_path / "lab" / "gold").exists()


def test_an_unexpected_exception_is_a_logged_json_error(
    lab: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _, folder, _ = lab

    def broken(self: LabellingFolder, article_id: str, article: Any = None) -> None:
        raise RuntimeError("synthetic failure in the gold loader")

    monkeypatch.setattr(LabellingFolder, "gold", broken)
    app = create_app(folder, reviewer="ana", token=TOKEN)
    with (
        TestClient(app, base_url=BASE, raise_server_exceptions=False) as client,
        caplog.at_level("ERROR", logger="sitrep.review"),
    ):
        res = client.get(f"/api/articles/{ARTICLE_ID}")
    assert res.status_code == 500
    assert res.headers["content-type"] == "application/json"
    assert res.headers["x-frame-options"] == "DENY"
    error = res.json()["error"]
    assert "RuntimeError: synthetic failure in the gold loader" in error
    assert f"GET /api/articles/{ARTICLE_ID}" in error
    logged = [r for r in caplog.records if r.name == "sitrep.review"]
    assert logged and logged[0].exc_info is not None


def test_review_rules_and_confirmed_names(lab: Any) -> None:
    client, folder, tmp_path = lab
    url = f"/api/articles/{ARTICLE_ID}/gold"
    body = submission_from_draft(folder)
    body["records"]["events"][0]["perpetrators"][0]["canonical"] = "Islamic Resistence in Irak"
    body["records"]["events"][1]["evidence"] = None
    before = _files(tmp_path)
    res = _post(client, url, body)
    assert res.status_code == 422
    data = res.json()
    assert data["error"] == "not saved: 1 invalid field(s), 1 warning(s) to confirm"
    assert [e["path"] for e in data["errors"]] == ["events.E2.evidence"]
    warning = data["warnings"][0]
    assert warning["path"] == "events.E1.perpetrators.0.canonical"
    assert "did you mean 'Islamic Resistance in Iraq'" in warning["message"]
    assert _files(tmp_path) == before

    body["records"]["events"][1]["evidence"] = submission_from_draft(folder)["records"]["events"][
        1
    ]["evidence"]
    body["confirmed_names"] = {warning["path"]: warning["value"]}
    body["decisions"] = {"events.E1.operation_id": "rejected"}  # already empty: just confirmed
    ok = _post(client, url, body)
    assert ok.status_code == 200, ok.text
    names = client.get("/api/names").json()
    assert "events.*.perpetrators.*.canonical" in names["fields"]
    assert any(a["canonical"] == "IRGC" for a in names["actors"])


def test_a_rejected_field_is_saved_as_rejected(lab: Any) -> None:
    client, folder, _ = lab
    body = submission_from_draft(folder)
    body["records"]["events"][0]["location"]["admin1"] = None
    body["records"]["events"][0]["location"]["country"] = None  # cleared, not rejected
    body["decisions"] = {"events.E1.location.admin1": "rejected"}
    res = _post(client, f"/api/articles/{ARTICLE_ID}/gold", body)
    assert res.status_code == 200, res.text
    saved = json.loads(folder.gold_path(ARTICLE_ID).read_text(encoding="utf-8"))
    prov = saved["field_provenance"]
    assert (
        prov["events.E1.location.admin1"]["source"],
        prov["events.E1.location.admin1"]["by"],
    ) == (
        "rejected",
        "ana",
    )
    assert prov["events.E1.location.country"]["source"] == "changed"
    rows = {r["path"]: r["source"] for r in res.json()["diff"]}
    assert rows["events.E1.location.admin1"] == "rejected"
