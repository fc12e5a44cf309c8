"""kill -9 in the middle of a batch, then the same command again: the final output is the one an
uninterrupted run gives (same records, in input order, no duplicate, every line valid JSON)."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from benchmarks.loopback import ThreadedServer
from extraction.cli.extract import run_extract_batch

ARTICLES = 24

SCRIPT = """
import sys
from pathlib import Path
from extraction.cli.extract import run_extract_batch
folder, out, url, cache = sys.argv[1:5]
sys.exit(run_extract_batch([Path(folder)], out, model="loopback-model", base_url=url,
                           concurrency=4, cache_path=Path(cache), progress=False,
                           options={"timeout": 60.0}, environ={}))
"""
HOLD_AFTER = 5
"""The server answers this many calls, then holds the rest until the test releases them: the batch
is surely in the middle when it is killed or interrupted."""

VOLATILE = {"finished_at", "cached", "calls"}
VOLATILE_PRODUCER = {"created_at", "latency_s"}


def batch(folder: Path, out: Path, url: str, cache: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(folder), str(out), url, str(cache)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stable(line: str) -> dict[str, Any]:
    """A record without what legitimately differs between runs (times, cache hits)."""
    record: dict[str, Any] = json.loads(line)
    for key in VOLATILE:
        record.pop(key)
    if record.get("extraction"):
        for key in VOLATILE_PRODUCER:
            record["extraction"]["producer"].pop(key)
    return record


def wait_for_records(proc: subprocess.Popen[bytes], out: Path, n: int) -> None:
    """Until ``out`` holds ``n`` records (or the batch ended, which the caller then reports)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= n:
            return
        time.sleep(0.01)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_then_rerun_gives_the_output_of_an_uninterrupted_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(ARTICLES):
        (folder / f"art-{i:03d}.txt").write_text(
            f"A drone struck a market in Koya on day {i}.\n\nNothing else is known.\n"
        )
    (folder / "broken.txt").write_bytes(b"\x00\x01binary")
    killed_out, clean_out = tmp_path / "killed.jsonl", tmp_path / "clean.jsonl"
    with ThreadedServer(hold_after=HOLD_AFTER) as server:
        proc = batch(folder, killed_out, server.url, tmp_path / "cache-a.sqlite")
        wait_for_records(proc, killed_out, HOLD_AFTER)
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert proc.returncode == -signal.SIGKILL
        server.release()

        partial = killed_out.read_bytes()
        lines = partial.splitlines(keepends=True)
        done = len(lines)
        assert HOLD_AFTER <= done < ARTICLES + 1
        for line in lines:  # nothing half-written: every record is whole and valid
            assert line.endswith(b"\n")
            json.loads(line)

        rerun = batch(folder, killed_out, server.url, tmp_path / "cache-a.sqlite")
        assert rerun.wait(120) == 1, rerun.stderr.read().decode() if rerun.stderr else ""
        clean = run_extract_batch(  # the uninterrupted reference, in this process
            [folder],
            clean_out,
            model="loopback-model",
            base_url=server.url,
            concurrency=4,
            cache_path=tmp_path / "cache-b.sqlite",
            progress=False,
            options={"timeout": 60.0},
            environ={},
            console=Console(file=io.StringIO()),
        )
        assert clean == 1  # 1: the binary file is a failed article

    resumed = killed_out.read_text().splitlines()
    uninterrupted = clean_out.read_text().splitlines()
    assert len(resumed) == len(uninterrupted) == ARTICLES + 1
    keys = [json.loads(line)["key"] for line in resumed]
    assert len(set(keys)) == len(keys)
    assert [stable(x) for x in resumed] == [stable(x) for x in uninterrupted]
    summary = json.loads((tmp_path / "killed.summary.json").read_text())
    assert summary["this_run"]["skipped"] >= done
    assert (summary["ok"], summary["failed"]) == (ARTICLES, 1)


def test_ctrl_c_saves_every_answered_call_and_exits_130_then_the_rerun_completes(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(ARTICLES):
        (folder / f"art-{i:03d}.txt").write_text(f"A drone struck a market in Koya on day {i}.\n")
    out, cache = tmp_path / "r.jsonl", tmp_path / "cache.sqlite"
    with ThreadedServer(hold_after=HOLD_AFTER) as server:
        proc = batch(folder, out, server.url, cache)
        wait_for_records(proc, out, HOLD_AFTER)
        assert proc.poll() is None  # the other calls are held: the batch cannot have finished
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 130
        server.release()
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        assert "interrupted" in stderr and "Run the same command again" in stderr
        saved = out.read_bytes().count(b"\n")
        answered = sqlite3.connect(cache).execute("SELECT count(*) FROM responses").fetchone()[0]
        assert saved == answered  # every call that was answered (and paid for) has its record
        rerun = batch(folder, out, server.url, cache)
        assert rerun.wait(120) == 0
    keys = [json.loads(line)["key"] for line in out.read_text().splitlines()]
    assert keys == [f"art-{i:03d}" for i in range(ARTICLES)]
