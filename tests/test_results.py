"""The results file: durable appends, resuming, torn-tail repair, the lock, and the final atomic
rewrite into input order with one record per article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.batch.results import (
    ResultRecord,
    ResultsFile,
    ResultsFileError,
    read_records,
)
from extraction.redaction import Redactor
from schemas.records import ArticleExtraction, Producer


def ok(key: str, run_key: str = "run:a") -> ResultRecord:
    extraction = ArticleExtraction(
        article_id=key, producer=Producer(kind="baseline", name="sitrep-baseline")
    )
    return ResultRecord(
        key=key, article_id=key, run_key=run_key, status="ok", extraction=extraction
    )


def failed(key: str, kind: str = "server", run_key: str = "run:a") -> ResultRecord:
    return ResultRecord.failure(key, run_key=run_key, kind=kind, reason="HTTP 503")  # type: ignore[arg-type]  # kinds from the test table


def keys(path: Path) -> list[str]:
    return [json.loads(line)["key"] for line in path.read_text().splitlines()]


def test_appended_records_are_one_valid_json_line_each_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        state = results.open()
        assert state.records == 0
        results.append([ok("a"), failed("b")])
        results.append([ok("c")])
    records = list(read_records(path))
    assert [(r.key, r.status) for r in records] == [("a", "ok"), ("b", "error"), ("c", "ok")]
    assert records[1].error is not None and records[1].error.retryable


def test_reopening_reports_what_is_done(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        results.open()
        results.append([ok("a"), failed("b"), failed("c", kind="input"), ok("x", run_key="run:b")])
    with ResultsFile(path) as results:
        state = results.open()
    assert state.records == 4
    assert state.run_keys == {"run:a": 3, "run:b": 1}
    assert state.is_done(("a", "run:a"))
    assert state.is_done(("b", "run:a"))
    assert not state.is_done(("b", "run:a"), retry_failed=True)  # a 503 is worth another try
    assert state.is_done(("c", "run:a"), retry_failed=True)  # an input error is not
    assert not state.is_done(("a", "run:b"))


@pytest.mark.parametrize(
    "tail", [b'{"key": "z", "run_key": "run:a", "sta', b"\x00\x00\x00", b'{"ke']
)
def test_a_torn_last_line_is_cut_off_and_the_rest_kept(tmp_path: Path, tail: bytes) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        results.open()
        results.append([ok("a"), ok("b")])
    good = path.read_bytes()
    with path.open("ab") as fh:
        fh.write(tail)
    with ResultsFile(path) as results:
        state = results.open()
        assert state.repaired_bytes == len(tail)
        results.append([ok("c")])
    assert path.read_bytes().startswith(good)
    assert keys(path) == ["a", "b", "c"]


@pytest.mark.parametrize("tail", [b"{}\n", b'{"id": "x1", "text": "some text"}', b"\n\nnotes\n"])
def test_a_last_line_that_is_not_a_torn_record_is_refused_and_kept(
    tmp_path: Path, tail: bytes
) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        results.open()
        results.append([ok("a")])
    with path.open("ab") as fh:
        fh.write(tail)
    before = path.read_bytes()
    for overwrite in (False, True):
        with ResultsFile(path) as results, pytest.raises(ResultsFileError, match=r":[234]: not"):
            results.open(overwrite=overwrite)
    assert path.read_bytes() == before


def test_a_bad_line_in_the_middle_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        results.open()
        results.append([ok("a")])
    with path.open("ab") as fh:
        fh.write(b"garbage\n" + ok("b").model_dump_json().encode() + b"\n")
    with ResultsFile(path) as results, pytest.raises(ResultsFileError, match=rf"{path}:2: "):
        results.open()


def test_a_second_writer_is_refused_while_the_first_holds_the_file(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as first:
        first.open()
        with (
            ResultsFile(path) as second,
            pytest.raises(ResultsFileError, match="another sitrep run"),
        ):
            second.open()
    with ResultsFile(path) as third:  # released on close
        third.open()


def test_finalize_rewrites_in_input_order_keeping_the_last_record_of_each_article(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        results.open()
        results.append([ok("c"), failed("a"), ok("b"), ok("old", run_key="run:z")])
        results.append([ok("a")])  # a retried failure supersedes the error record
        changed = results.finalize([("a", "run:a"), ("b", "run:a"), ("c", "run:a")])
    assert changed
    assert keys(path) == ["a", "b", "c", "old"]
    statuses = [json.loads(line)["status"] for line in path.read_text().splitlines()]
    assert statuses == ["ok", "ok", "ok", "ok"]
    assert not list(tmp_path.glob(".out.jsonl.tmp-*"))


def test_finalize_drops_input_errors_of_inputs_that_are_gone(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        results.open()
        results.append([failed("@in.jsonl:3", kind="input"), ok("a")])
        results.finalize([("a", "run:a")])
    assert keys(path) == ["a"]


def test_finalize_leaves_an_ordered_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        results.open()
        results.append([ok("a"), ok("b")])
        inode = path.stat().st_ino
        assert not results.finalize([("a", "run:a"), ("b", "run:a")])
    assert path.stat().st_ino == inode


def test_appending_after_finalize_goes_to_the_new_file(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        results.open()
        results.append([ok("b"), ok("a")])
        results.finalize([("a", "run:a"), ("b", "run:a")])
        results.append([ok("c")])
    assert keys(path) == ["a", "b", "c"]


def test_stale_temporaries_of_a_crashed_rewrite_are_removed_and_the_file_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        results.open()
        results.append([ok("a")])
    stale = tmp_path / ".out.jsonl.tmp-99999"
    stale.write_bytes(b'{"half": ')
    with ResultsFile(path) as results:
        state = results.open()
    assert not stale.exists()
    assert state.records == 1


def test_overwrite_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with ResultsFile(path) as results:
        results.open()
        results.append([ok("a")])
    with ResultsFile(path) as results:
        assert results.open(overwrite=True).records == 0
    assert path.read_bytes() == b""


def test_secrets_are_redacted_from_every_record_written(tmp_path: Path) -> None:
    key = "sk-test-ABCDEFGHIJKLMNOP"
    path = tmp_path / "out.jsonl"
    with ResultsFile(path, redactor=Redactor([key])) as results:
        results.open()
        record = ResultRecord.failure(
            "a", run_key="run:a", kind="api", reason=f"401 Incorrect API key provided: {key}"
        )
        results.append([record])
    text = path.read_text()
    assert key not in text
    assert "[redacted]" in text


def test_a_directory_in_place_of_the_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.mkdir()
    with ResultsFile(path) as results, pytest.raises(ResultsFileError, match="not a regular file"):
        results.open()
