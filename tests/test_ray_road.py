"""The Ray Data road (:mod:`extraction.scale.ray_data`) against the loopback server, with Ray
running on this machine: the records ``sitrep extract`` makes of the same (synthetic) input,
failures included; a rerun answered from the cache; Parquet in and out.

Skipped when Ray is not installed (``pip install "sitrep[ray]"``)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

ray = pytest.importorskip("ray", reason='Ray is not installed: pip install "sitrep[ray]"')
pytest.importorskip("pyarrow", reason='Ray Data needs pyarrow: pip install "sitrep[ray]"')

from benchmarks.loopback import ThreadedServer  # noqa: E402
from extraction.batch.results import ResultRecord, read_records  # noqa: E402
from extraction.cli.extract import EXIT_FAILED, run_extract_batch  # noqa: E402
from extraction.config import resolve_config  # noqa: E402
from extraction.scale.ray_data import (  # noqa: E402
    extract_dataset,
    iter_written,
    read_articles,
    write_records,
)

N = 300
OPTIONS: dict[str, Any] = {"timeout": 10.0, "max_transport_retries": 1, "backoff_initial": 0.01}


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=80 * 1024 * 1024,
        log_to_driver=False,
        configure_logging=False,
    )
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def make_inputs(tmp: Path) -> Path:
    """SYNTHETIC articles: a JSONL file of N (one malformed line, one answered with broken
    JSON) and a folder of text files (one empty)."""
    folder = tmp / "in"
    folder.mkdir()
    with (folder / "many.jsonl").open("w") as fh:
        for i in range(N):
            text = f"A drone struck a market in Koya, synthetic report {i}."
            if i == 7:
                text += " FAULT:malformed*always"
            fh.write(json.dumps({"id": f"s{i:03}", "text": text}) + "\n")
            if i == 20:
                fh.write("{not json\n")
    (folder / "t1.txt").write_text("Shelling hit the village of Sidakan, synthetic note.\n")
    (folder / "t2.txt").write_text("")
    return folder


def comparable(record: ResultRecord | dict[str, Any]) -> dict[str, Any]:
    data = (
        record.model_dump(mode="json", exclude={"finished_at"})
        if isinstance(record, ResultRecord)
        else {k: v for k, v in record.items() if k != "finished_at"}
    )
    if data.get("extraction"):
        data["extraction"]["producer"].pop("latency_s")
        data["extraction"]["producer"].pop("created_at")
    return data


def test_the_ray_road_gives_the_records_of_sitrep_extract_and_reruns_from_the_cache(
    tmp_path: Path, local_ray: None
) -> None:
    folder = make_inputs(tmp_path)
    with ThreadedServer() as server:
        code = run_extract_batch(
            [folder],
            tmp_path / "sync.jsonl",
            model="loopback-model",
            base_url=server.url,
            cache_path=tmp_path / "sync-cache.sqlite",
            options=OPTIONS,
            console=Console(file=io.StringIO()),
            environ={},
        )
        assert code == EXIT_FAILED  # the malformed line, the empty file, the broken answer
        config = resolve_config("loopback-model", base_url=server.url, environ={}, **OPTIONS)
        assert config is not None
        before = server.stats.requests
        records = extract_dataset(
            read_articles([folder]),
            config,
            workers=2,
            concurrency=4,
            batch_size=50,
            cache_path=tmp_path / "ray-cache.sqlite",
        )
        write_records(records, tmp_path / "out")
        paid = server.stats.requests - before
        write_records(
            extract_dataset(
                read_articles([folder]), config, cache_path=tmp_path / "ray-cache.sqlite"
            ),
            tmp_path / "again",
        )
        repaid = server.stats.requests - before - paid
    sync = sorted((comparable(r) for r in read_records(tmp_path / "sync.jsonl")), key=str)
    via_ray = sorted((comparable(json.loads(x)) for x in iter_written(tmp_path / "out")), key=str)
    assert len(via_ray) == N + 3
    assert via_ray == sync
    kinds = sorted(r["error"]["kind"] for r in via_ray if r["status"] == "error")
    assert kinds == ["input", "input", "unparseable"]
    broken = next(r for r in via_ray if r["error"] and r["error"]["kind"] == "unparseable")
    assert paid == N + 1 + broken["error"]["attempts"] - 1  # one call an article, re-asks
    assert repaid == broken["error"]["attempts"]  # only the failed article is asked again
    again = [json.loads(x) for x in iter_written(tmp_path / "again")]
    assert {r["cached"] for r in again if r["status"] == "ok"} == {True}


def test_parquet_in_and_out(tmp_path: Path, local_ray: None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": f"p{i}", "text": f"Shelling hit Koya, synthetic item {i}."} for i in range(20)]
    rows.append({"id": "p-empty", "text": ""})
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "articles.parquet")
    with ThreadedServer() as server:
        config = resolve_config("loopback-model", base_url=server.url, environ={}, **OPTIONS)
        assert config is not None
        records = extract_dataset(
            read_articles([tmp_path / "articles.parquet"]), config, cache=False
        )
        write_records(records, tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet")
    assert set(table.column_names) >= {"record", "key", "article_id", "status", "error_kind"}
    keys, statuses = table.column("key").to_pylist(), table.column("status").to_pylist()
    by_key = dict(zip(keys, statuses, strict=True))
    assert len(by_key) == 21 and by_key["p3"] == "ok"
    failed = [json.loads(r) for r in table.column("record").to_pylist() if '"status":"error"' in r]
    assert [(r["key"], r["error"]["kind"]) for r in failed] == [("@parquet row p-empty", "input")]


def test_sitrep_extract_via_ray_writes_a_folder_of_records(tmp_path: Path, local_ray: None) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"r{i}.txt").write_text(f"A drone struck Koya, synthetic line {i}.\n")
    (folder / "empty.txt").write_text("")
    stream = io.StringIO()
    with ThreadedServer() as server:
        code = run_extract_batch(
            [folder],
            tmp_path / "out",
            model="loopback-model",
            base_url=server.url,
            cache_path=tmp_path / "cache.sqlite",
            options=OPTIONS,
            console=Console(file=stream, width=200),
            environ={},
            via="ray",
        )
        refused = run_extract_batch(
            [folder],
            tmp_path / "out",
            model="loopback-model",
            base_url=server.url,
            console=Console(file=stream, width=200),
            environ={},
            via="ray",
        )
    assert code == EXIT_FAILED and refused == 2
    statuses = sorted(json.loads(line)["status"] for line in iter_written(tmp_path / "out"))
    assert statuses == ["error"] + ["ok"] * 6
    assert "7 records in" in stream.getvalue() and "6 ok, 1 failed" in stream.getvalue()
    assert "is not empty; write to a new folder" in stream.getvalue()
