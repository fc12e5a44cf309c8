"""Adjudication without a browser: the decisions drawn from `sitrep agree`'s alignment, the gold
they make, and what the server refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from labelling_support import ARTICLE_ID, two_labellers
from starlette.testclient import TestClient

from labelling.adjudicate_server import create_adjudication_app
from labelling.agree import AgreementInputError

TOKEN = "adjudication-token-0123456789"
BASE = "http://127.0.0.1"
HEADERS = {"Content-Type": "application/json", "X-Sitrep-Token": TOKEN}


def _client(tmp_path: Path) -> TestClient:
    a, b = two_labellers(tmp_path, b_statement=None)
    app = create_adjudication_app(a, b, tmp_path / "out", adjudicator="cleo", token=TOKEN)
    return TestClient(app, base_url=BASE)


def _save(client: TestClient, decisions: dict[str, Any], base: str | None = None) -> Any:
    body = {"decisions": decisions, "base_sha256": base}
    return client.post(f"/api/adjudication/{ARTICLE_ID}", content=json.dumps(body), headers=HEADERS)


def test_units_and_the_adjudicated_gold(tmp_path: Path) -> None:
    client = _client(tmp_path)
    data = client.get(f"/api/adjudication/{ARTICLE_ID}").json()
    units = {u["id"]: u for u in data["units"]}
    assert set(units) == {"events:E1:E1:standing", "events:-:E3:", "statements:S1:-:"}
    assert (
        units["events:E1:E1:standing"]["a_value"],
        units["events:E1:E1:standing"]["b_value"],
    ) == (
        "reported",
        "recalled",
    )
    assert units["events:-:E3:"]["b_evidence"]["quote"].startswith("Iran first attacked")

    res = _save(
        client,
        {
            "events:E1:E1:standing": {"pick": "b"},
            "events:-:E3:": {"pick": "b"},  # only B has it: add it
            "statements:S1:-:": {"pick": "b"},  # only A has it: B's reading, leave it out
        },
    )
    assert res.status_code == 200, res.text
    gold = json.loads((tmp_path / "out" / "gold" / f"{ARTICLE_ID}.json").read_text("utf-8"))
    events = {e["id"]: e for e in gold["records"]["events"]}
    assert set(events) == {"E1", "E2", "E3"}
    assert gold["records"]["statements"] == []
    assert events["E1"]["standing"] == "recalled" and events["E3"]["standing"] == "recalled"
    assert gold["provenance"]["labeller"] == "cleo"
    assert gold["provenance"]["drafted_by"] == "ana + bo"
    assert gold["field_provenance"]["events.E3.standing"]["drafted_by"] == "bo"
    assert gold["field_provenance"]["events.E1.standing"]["by"] == "cleo"
    assert gold["notes"] is None
    after = res.json()["overview"]["after"]
    assert after["b"]["events_f1"] == 1.0

    # Saving again needs the version it replaces; an edit that does not validate is refused.
    sha = res.json()["gold_sha256"]
    stale = _save(client, {"events:E1:E1:standing": {"pick": "a"}})
    assert stale.status_code == 409
    bad = _save(client, {"events:E1:E1:standing": {"pick": "edit", "value": "sometime"}}, sha)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["path"] == "events.E1.standing"


def test_unresolved_disagreements_are_noted_and_unconfirmed(tmp_path: Path) -> None:
    client = _client(tmp_path)
    res = _save(client, {})
    assert res.status_code == 200, res.text
    gold = json.loads((tmp_path / "out" / "gold" / f"{ARTICLE_ID}.json").read_text("utf-8"))
    assert "unresolved: events.E1.standing (ana: reported; bo: recalled)" in gold["notes"]
    assert "unresolved: events.E3 (ana: —; bo: E3)" in gold["notes"]
    assert "unresolved: statements.S1 (ana: S1; bo: —)" in gold["notes"]
    assert gold["field_provenance"]["events.E1.standing"]["source"] == "model"
    assert [e["id"] for e in gold["records"]["events"]] == ["E1", "E2"]  # A's, as it stood


def test_writes_need_the_token_and_folders_in_common(tmp_path: Path) -> None:
    client = _client(tmp_path)
    body = json.dumps({"decisions": {}})
    url = f"/api/adjudication/{ARTICLE_ID}"
    assert (
        client.post(url, content=body, headers={"Content-Type": "application/json"}).status_code
        == 403
    )
    assert client.get("/api/adjudication/..").status_code in (400, 404)
    assert not (tmp_path / "out" / "gold").exists()
    empty = tmp_path / "empty"
    (empty / "gold").mkdir(parents=True)
    with pytest.raises(AgreementInputError):
        create_adjudication_app(tmp_path / "a", empty, tmp_path / "out2", adjudicator="cleo")


def test_an_unsafe_or_unknown_article_is_refused_by_reading_and_saving(tmp_path: Path) -> None:
    client = _client(tmp_path)
    body = json.dumps({"decisions": {}, "base_sha256": None})
    for url, status, says in [
        ("/api/adjudication/-bad$id", 400, "invalid article id"),
        ("/api/adjudication/no-such-article", 404, "no article with reviewed gold"),
    ]:
        for response in (client.get(url), client.post(url, content=body, headers=HEADERS)):
            assert response.status_code == status, response.text
            assert says in response.json()["error"]
    assert not (tmp_path / "out" / "gold").exists()
