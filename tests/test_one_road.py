"""One road from article to record: the library, ``sitrep extract``, ``sitrep eval`` and
``sitrep label`` send an article through the same pipeline (split when long, one response cache,
grounding, merge), against the SCRIPTED loopback server (not a model: it answers every call with
the same typed-in records)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from eval_support import gold_raw, write_gold_dir
from scripted_server import SCRIPTED_MODEL, ScriptedServer, error_reply, tool_call_reply
from typer.testing import CliRunner

from evals.gold import parse_gold
from evals.runs import read_run
from extraction import EndpointError, InvalidOutput, extract
from extraction.batch.results import read_records
from extraction.pipeline.chunking import CHARS_PER_TOKEN, DEFAULT_CHUNK_TOKENS
from labelling.store import LabellingFolder
from schemas.article import Article
from schemas.records import Records
from sitrep.cli import app

TEST_KEY = "sk-test-SCRIPTED-0123456789abcdef"
PARAGRAPH = (
    "SYNTHETIC TEST TEXT, invented for the pipeline tests, paragraph {n}. Drones struck the "
    "PDKI headquarters in Koya on Monday, officials said. \u201cThese attacks must stop,\u201d the "
    "envoy said in a statement.\n\n"
)
LONG_TEXT = "".join(PARAGRAPH.format(n=n) for n in range(400))
ANSWER: dict[str, Any] = {
    "events": [
        {
            "id": "E1",
            "sub_type": "air_drone_strike",
            "location": {"place": "Koya", "admin1": "Erbil", "country": "Iraq"},
            "targets": [{"name": "PDKI", "canonical": "PDKI", "category": "political_party"}],
            "evidence": {"quote": "Drones struck the PDKI headquarters in Koya on Monday"},
        }
    ],
    "statements": [
        {
            "id": "S1",
            "organisation": "UN",
            "kind": "demand",
            "about_events": ["E1"],
            "text": "These attacks must stop",
            "text_type": "quote",
            "evidence": {"quote": "These attacks must stop"},
        }
    ],
}
runner = CliRunner()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer([tool_call_reply(ANSWER, n=i) for i in range(20)]) as scripted:
        yield scripted


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The long article as a .txt file in a folder, with (empty) gold for it beside."""
    for name in ("SITREP_MODEL", "SITREP_BASE_URL", "OPENAI_API_KEY", "SITREP_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SITREP_API_KEY", TEST_KEY)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "long-1.txt").write_text(LONG_TEXT, encoding="utf-8")
    article = Article(id="long-1", text=LONG_TEXT)
    gold = parse_gold(gold_raw(Records(), {}, article), article, Path("long-1.json"))
    write_gold_dir(tmp_path / "gold", [gold])
    return tmp_path


def _cache(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("SITREP_CACHE_DIR", str(folder))


def _model(server: ScriptedServer) -> list[str]:
    return ["--model", SCRIPTED_MODEL, "--base-url", server.url]


def road_library(server: ScriptedServer, root: Path) -> Records:
    article = Article(id="long-1", text=LONG_TEXT)
    return extract(article, SCRIPTED_MODEL, base_url=server.url).records


def road_extract(server: ScriptedServer, root: Path) -> Records:
    out = root / "results.jsonl"
    args = ["extract", str(root / "articles"), "--out", str(out), "--quiet"]
    done = runner.invoke(app, [*args, *_model(server)])
    assert done.exit_code == 0, done.output
    [record] = list(read_records(out))
    assert record.extraction is not None and record.chunks > 1
    return record.extraction.records


def road_eval(server: ScriptedServer, root: Path) -> Records:
    args = ["eval", "--articles", str(root / "articles"), "--gold", str(root / "gold")]
    args += ["--out", str(root / "runs"), "--resamples", "10", "--concurrency", "4"]
    done = runner.invoke(app, [*args, *_model(server)])
    assert done.exit_code == 0, done.output
    [run_dir] = list((root / "runs").iterdir())
    info, [line] = read_run(run_dir)
    assert info.status == "success" and info.producer.kind == "model"
    assert line.extraction is not None and line.record.chunks > 1
    return line.extraction.records


def road_label(server: ScriptedServer, root: Path) -> Records:
    args = ["label", str(root / "articles" / "long-1.txt"), "--dir", str(root / "labels")]
    done = runner.invoke(app, [*args, *_model(server)])
    assert done.exit_code == 0, done.output
    draft = LabellingFolder(root / "labels").draft("long-1")
    assert draft is not None and draft.provenance.status == "draft"
    return draft.records


ROADS: dict[str, Callable[[ScriptedServer, Path], Records]] = {
    "library": road_library,
    "extract": road_extract,
    "eval": road_eval,
    "label": road_label,
}


def test_the_article_is_longer_than_the_chunk_budget() -> None:
    assert len(LONG_TEXT) > DEFAULT_CHUNK_TOKENS * CHARS_PER_TOKEN


def test_every_entry_point_makes_the_same_calls_and_the_same_records(
    server: ScriptedServer, inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: dict[str, int] = {}
    records: dict[str, Records] = {}
    for name, road in ROADS.items():
        _cache(monkeypatch, inputs / f"cache-{name}")  # a cold cache for each road
        before = len(server.requests)
        records[name] = road(server, inputs)
        calls[name] = len(server.requests) - before
    assert calls["library"] == 2, "a long article is split: one call per chunk"
    assert set(calls.values()) == {calls["library"]}, calls
    first = records["library"].model_dump(mode="json")
    assert [e["id"] for e in first["events"]] == ["E1"]  # the chunks' answers merged
    for name, got in records.items():
        assert got.model_dump(mode="json") == first, name


@pytest.mark.parametrize("second", ["library", "eval", "label"])
def test_one_response_cache_serves_every_entry_point(
    second: str, server: ScriptedServer, inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cache(monkeypatch, inputs / "cache")
    first = road_extract(server, inputs)
    paid = len(server.requests)
    assert paid > 1
    again = ROADS[second](server, inputs)
    assert len(server.requests) == paid, f"sitrep {second} after sitrep extract called the model"
    assert again.model_dump(mode="json") == first.model_dump(mode="json")


def test_the_library_raises_the_failure_as_its_own_class(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused key stops every article: the library raises it as EndpointError (not as the
    batch's stop), for one article or many; an answer that does not validate is InvalidOutput."""
    monkeypatch.delenv("SITREP_MODEL", raising=False)
    article = Article(id="short-1", text="SYNTHETIC. Drones struck Koya on Monday.")
    refused = error_reply(401, "Incorrect API key provided")
    with ScriptedServer([refused, refused]) as server:
        with pytest.raises(EndpointError) as one:
            extract(article, SCRIPTED_MODEL, base_url=server.url, api_key=TEST_KEY)
        with pytest.raises(EndpointError):
            extract([article], SCRIPTED_MODEL, base_url=server.url, api_key=TEST_KEY)
    assert one.value.status == 401 and one.value.kind == "api"
    bad = tool_call_reply({"events": [{"id": "E1", "sub_type": "not-a-sub-type"}]})
    with ScriptedServer([bad, bad]) as server, pytest.raises(InvalidOutput) as invalid:
        extract(article, SCRIPTED_MODEL, base_url=server.url, api_key=TEST_KEY, max_reasks=1)
    assert invalid.value.kind == "invalid" and invalid.value.attempts == 2


@pytest.mark.parametrize("command", ["eval", "label"])
def test_a_refused_key_stops_eval_and_label_with_a_message(
    command: str, inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = error_reply(401, "Incorrect API key provided")
    with ScriptedServer([refused] * 4) as server:
        if command == "eval":
            args = ["eval", "--articles", str(inputs / "articles"), "--gold", str(inputs / "gold")]
            args += ["--out", str(inputs / "runs")]
        else:
            args = ["label", str(inputs / "articles"), "--dir", str(inputs / "labels")]
        done = runner.invoke(app, [*args, *_model(server)])
    assert done.exit_code == 2, done.output
    assert "refused the API key (HTTP 401)" in done.output
    assert TEST_KEY not in done.output
    if command == "eval":
        [run_dir] = list((inputs / "runs").iterdir())
        assert json.loads((run_dir / "run.json").read_text())["status"] == "error"
