"""The on-disk per-article state of a batch (extraction.batch.run_index): mapping semantics, input
order, lifetime of the scratch file, and its use by the results file and run_batch."""

from __future__ import annotations

import asyncio
import gc
import os
from pathlib import Path

import pytest

from extraction.batch.results import ResultRecord, ResultsFile
from extraction.batch.run import RunIdentity, run_batch
from extraction.batch.run_index import DigestMap, InputOrder, RunIndex
from schemas.article import Article
from schemas.records import ArticleExtraction, Producer


def d(n: int) -> bytes:
    return n.to_bytes(16, "big")


def test_a_digest_map_behaves_like_a_dict(tmp_path: Path) -> None:
    with RunIndex(tmp_path) as index:
        disk: DigestMap = index.map("t")
        mem: dict[bytes, str] = {}
        for m in (disk, mem):
            m[d(1)] = "one"
            m[d(2)] = "two"
            m[d(1)] = "uno"  # overwrite keeps one entry
            del m[d(2)]
            m[d(3)] = "three"
        assert dict(disk) == mem == {d(1): "uno", d(3): "three"}
        assert len(disk) == 2 and disk.get(d(2)) is None and d(3) in disk
        with pytest.raises(KeyError):
            del disk[d(2)]
        with pytest.raises(KeyError):
            _ = disk[d(9)]
        with pytest.raises(ValueError, match="not a table name"):
            index.map("x; DROP TABLE input")


def test_input_order_keeps_repeats_and_marks_first_occurrences(tmp_path: Path) -> None:
    with RunIndex(tmp_path) as index:
        for n in (3, 1, 3, 2):
            index.add_input(d(n))
        order = InputOrder(index)
        assert list(order) == [d(3), d(1), d(3), d(2)] and len(order) == 4
        assert list(index.inputs(first_only=True)) == [d(3), d(1), d(2)]
        assert d(2) in order and d(7) not in order and "x" not in order


def test_the_scratch_file_goes_with_its_last_reference(tmp_path: Path) -> None:
    index = RunIndex(tmp_path, prefix=".x.index-")
    path = Path(index.path)
    assert path.exists()
    del index
    gc.collect()
    assert not path.exists()
    with RunIndex(tmp_path) as other:
        kept = Path(other.path)
    assert not kept.exists()  # close() removes it at once


def test_a_crashed_runs_index_is_removed_by_the_next_open(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    stale = tmp_path / ".out.jsonl.index-dead1234.sqlite"
    stale.write_bytes(b"left by a kill -9")
    with ResultsFile(out) as results:
        state = results.open()
        assert not stale.exists()
        assert results.index is not None and Path(results.index.path).parent == tmp_path
        results.append([ResultRecord(key="a", run_key="r", status="ok")])
    assert state.records == 0


def test_run_batch_keeps_its_per_article_state_on_disk(tmp_path: Path) -> None:
    async def fake(article: Article) -> ArticleExtraction:
        return ArticleExtraction(
            article_id=article.id, producer=Producer(kind="baseline", name="sitrep-baseline")
        )

    items = [Article(id=f"a{i}", text=f"Report {i}.") for i in (2, 0, 1)]
    items.append(Article(id="a0", text="A repeated id.", source_file="dup.txt"))
    out = tmp_path / "out.jsonl"
    result = asyncio.run(run_batch(items, fake, out, identity=RunIdentity(model="sitrep-baseline")))
    assert isinstance(result.order, InputOrder) and len(result.order) == 4
    index_files = [p for p in os.listdir(tmp_path) if p.startswith(".out.jsonl.index-")]
    assert len(index_files) == 1  # the order is read from disk while the result lives
    keys = [line.split('"key":"', 1)[1].split('"', 1)[0] for line in out.read_text().splitlines()]
    assert keys == ["a2", "a0", "a1", "@dup.txt"]  # input order; the repeat flagged
    assert result.progress.failed == 1
    del result
    gc.collect()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".out.jsonl.index-")]
