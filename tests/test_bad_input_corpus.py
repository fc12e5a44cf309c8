"""The bad-input corpus through ``sitrep extract`` (in-process, the offline baseline): every case
asserts the exit code, the message, that the batch went on past the bad input, and that no byte
of any file that existed before the run changed. Inputs are SYNTHETIC (see bad_input_cases)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_input_cases import GOOD, INPUT_CASES, Build, Setup, folder_with, line
from rich.console import Console

from benchmarks.loopback import ThreadedServer
from evals.dataset import articles_dir
from extraction.batch.results import ResultRecord, ResultsFile
from extraction.cli.extract import EXIT_FAILED, EXIT_OK, EXIT_USAGE, run_extract_batch


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every regular file under ``root`` (links by their target's name)."""
    out: dict[str, str] = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            if p.is_symlink():
                out[str(p)] = "link:" + os.readlink(p)
            elif stat.S_ISREG(p.lstat().st_mode):
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def extract(inputs: list[Path], out: Path | str, tmp: Path, **kw: object) -> tuple[int, str]:
    stream = io.StringIO()
    code = run_extract_batch(
        inputs,
        out,
        cache_path=tmp / "cache.sqlite",
        progress=False,
        console=Console(file=stream, width=400),
        environ={},
        **kw,  # type: ignore[arg-type]  # each test's options
    )
    return code, stream.getvalue()


def records(out: Path) -> list[ResultRecord]:
    if not out.exists():
        return []
    return [ResultRecord.model_validate_json(x) for x in out.read_bytes().splitlines() if x]


def check(tmp: Path, setup: Setup) -> tuple[str, list[ResultRecord]]:
    """Run a case and assert what every case must hold; return the messages and records."""
    out = setup.out or tmp / "out" / "results.jsonl"
    existed = out.exists()
    before = snapshot(tmp)
    code, said = extract(setup.inputs, out, tmp, overwrite=setup.overwrite)
    after = snapshot(tmp)
    allowed = {str(p) for p in setup.may_change}
    changed = [p for p, h in before.items() if p not in allowed and after.get(p) != h]
    assert changed == [], f"files changed or removed by the run: {changed}"
    assert code == setup.code, said
    recs = [] if code == EXIT_USAGE else records(out)
    reasons = " | ".join(r.error.reason for r in recs if r.error is not None)
    assert setup.message in said + reasons, (said, reasons)
    if code == EXIT_USAGE:
        assert existed or not out.exists(), "a refused run must not create --out"
    else:
        done = {r.article_id: r.status for r in recs}
        for article_id in setup.ok_ids:
            assert done.get(article_id) == "ok", (article_id, done, reasons)
    return said, recs


@pytest.mark.parametrize("name", sorted(INPUT_CASES))
def test_bad_input_is_one_error_record_and_the_batch_goes_on(name: str, tmp_path: Path) -> None:
    check(tmp_path, INPUT_CASES[name](tmp_path))


def _results_file(path: Path, *keys: str, tail: bytes = b"") -> None:
    with ResultsFile(path) as results:
        results.open()
        results.append(
            [ResultRecord.failure(k, run_key="run:x", kind="input", reason="x") for k in keys]
        )
    with path.open("ab") as fh:
        fh.write(tail)


def _usage(build_inputs: Build) -> Build:
    return build_inputs


def _out_is_input(kind: str) -> Build:
    def build(tmp: Path) -> Setup:
        folder = folder_with(tmp, "one.txt", GOOD.encode())
        target = folder / "good.txt"
        if kind == "same":
            return Setup([target], "is the input", code=2, out=target)
        if kind == "folder member":
            return Setup([folder], "is the input", code=2, out=target)
        alias = tmp / "alias.jsonl"
        (os.link if kind == "hard link" else os.symlink)(target, alias)
        return Setup([folder], f"--out {alias} is the input", code=2, out=alias)

    return build


def _jsonl_overwritten(tmp: Path) -> Setup:
    batch = tmp / "in5.jsonl"
    batch.write_bytes(b"\n".join(line(id=f"i{i}", text=GOOD) for i in range(5)) + b"\n")
    return Setup([batch], "is the input", code=2, out=batch, overwrite=True)


def _not_results(content: bytes, message: str, overwrite: bool = False) -> Build:
    def build(tmp: Path) -> Setup:
        folder = folder_with(tmp, "one.txt", GOOD.encode())
        out = tmp / "theirs.jsonl"
        out.write_bytes(content)
        return Setup([folder], message, code=2, out=out, overwrite=overwrite)

    return build


def _bad_results(tail: bytes, message: str) -> Build:
    def build(tmp: Path) -> Setup:
        folder = folder_with(tmp, "one.txt", GOOD.encode())
        out = tmp / "results.jsonl"
        _results_file(out, "a", "b", tail=tail)
        return Setup([folder], message, code=2, out=out)

    return build


def _out_at(where: str, message: str) -> Build:
    def build(tmp: Path) -> Setup:
        folder = folder_with(tmp, "one.txt", GOOD.encode())
        (tmp / "plain.txt").write_text("mine")
        out = {"proc": Path("/proc/x.jsonl"), "under a file": tmp / "plain.txt" / "x.jsonl"}.get(
            where, tmp / where
        )
        if where == "a-folder":
            out.mkdir()
        return Setup([folder], message, code=2, out=out)

    return build


def _collision(tmp: Path) -> Setup:
    a, b = folder_with(tmp, "report.txt", GOOD.encode()), tmp / "b"
    b.mkdir()
    (b / "report.txt").write_text(GOOD)
    return Setup([a, b], f"{a}/report.txt and {b}/report.txt would both have the article id", 2)


def _collision_by_cleaning(tmp: Path) -> Setup:
    folder = folder_with(tmp, "x(1).txt", GOOD.encode())
    (folder / "x-1-.txt").write_text(GOOD)
    return Setup([folder], "would both have the article id 'x-1-'", code=2)


USAGE_CASES: dict[str, Build] = {
    "--out is the input": _out_is_input("same"),
    "--out is a file in the input folder": _out_is_input("folder member"),
    "--out is a hard link to an input": _out_is_input("hard link"),
    "--out is a symlink to an input": _out_is_input("symlink"),
    "--out is the input, with --overwrite": _jsonl_overwritten,
    "--out holds one article line": _not_results(
        b'{"id":"x1","text":"some text"}\n', "theirs.jsonl:1: not a sitrep result record"
    ),
    "--out holds an unterminated line": _not_results(
        b'{"id":"x1","text":"some text"}', "theirs.jsonl:1: not a sitrep result record"
    ),
    "--overwrite on a file that is not results": _not_results(
        b"notes\n", "theirs.jsonl:1: not a sitrep result record", overwrite=True
    ),
    "--out has a bad line after records": _bad_results(b"{}\n", "results.jsonl:3: not a sitrep"),
    "--out has text after records": _bad_results(b"my notes", "results.jsonl:3: not a sitrep"),
    "--out in /proc": _out_at("proc", "--out /proc/x.jsonl cannot be written"),
    "--out under a file": _out_at("under a file", "plain.txt/x.jsonl cannot be written"),
    "--out is a folder": _out_at("a-folder", "is a folder; give a file name"),
    "--out is a device": lambda tmp: Setup(
        [folder_with(tmp, "one.txt", GOOD.encode())], "is not a regular file", 2, Path("/dev/null")
    ),
    "missing input": lambda tmp: Setup(
        [folder_with(tmp, "one.txt", b"x"), tmp / "nope.txt"], "nope.txt: does not exist", 2
    ),
    "two files, one id": _collision,
    "two names that clean to one id": _collision_by_cleaning,
}


@pytest.mark.parametrize("name", sorted(USAGE_CASES))
def test_usage_errors_come_before_any_work_and_change_nothing(name: str, tmp_path: Path) -> None:
    check(tmp_path, USAGE_CASES[name](tmp_path))


def test_a_torn_last_record_is_repaired_and_the_rest_kept(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "one.txt", GOOD.encode())
    out = tmp_path / "results.jsonl"
    extract([folder], out, tmp_path)
    whole = out.read_bytes()
    out.write_bytes(whole + b'{"key": "one", "run_k')
    summary = tmp_path / "results.summary.json"
    _, recs = check(tmp_path, Setup([folder], "", 0, out, may_change=[out, summary]))
    assert out.read_bytes() == whole and len(recs) == 2


def test_overwrite_replaces_a_results_file(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "one.txt", GOOD.encode())
    out = tmp_path / "results.jsonl"
    _results_file(out, "stale")
    _, recs = check(tmp_path, Setup([folder], "", 0, out, overwrite=True, may_change=[out]))
    assert sorted(r.key for r in recs) == ["good", "one"]


def test_a_missing_out_folder_is_created_and_said(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "one.txt", GOOD.encode())
    out = tmp_path / "new" / "sub" / "results.jsonl"
    check(tmp_path, Setup([folder], f"created the folder {out.parent}", 0, out))


def test_a_results_file_in_the_input_folder_is_never_read_back(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "one.txt", GOOD.encode())
    out = folder / "results.jsonl"
    sizes = []
    for _ in range(3):
        code, said = extract([folder], out, tmp_path)
        assert code == EXIT_OK, said
        sizes.append(len(records(out)))
    assert sizes == [2, 2, 2]
    assert "results.jsonl, results.summary.json (sitrep output)" in said
    renamed = folder / "renamed.jsonl"  # recognised by content, whatever its name
    shutil.copy(out, renamed)
    summary = folder / "results.summary.json"
    expected = "renamed.jsonl, results.jsonl, results.summary.json (sitrep output)"
    said, _ = check(tmp_path, Setup([folder], expected, 0, out, may_change=[out, summary]))


def test_a_folder_says_in_one_line_what_it_skipped(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "A.TXT", GOOD.encode())
    for name in ("notes.md", "x.meta.json", "metadata.jsonl"):
        (folder / name).write_text('{"id": "good"}')
    (folder / "sub").mkdir()
    said, _ = check(tmp_path, Setup([folder], "skipped 5 of 6 entries in", 0))
    [skip_line] = [x for x in said.splitlines() if "skipped" in x]
    for part in ("A.TXT (extension not in lower case", "notes.md (not .txt", "sub (a subfolder"):
        assert part in skip_line
    assert "metadata.jsonl, x.meta.json (metadata, applied to the articles)" in skip_line


def test_the_bundled_eval_folder_extracts_5_of_5_with_its_metadata(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(Path(str(articles_dir())), folder)
    meta = folder / "metadata.jsonl"
    rows = [json.loads(x) for x in meta.read_text().splitlines()]
    rows[4]["publication_date"] = "2021-11-07"  # a date, to see it applied to "early on Sunday"
    meta.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    ids = [r["id"] for r in rows]
    said, recs = check(tmp_path, Setup([folder], "README.md (not .txt", 0, ok_ids=ids))
    assert len(recs) == 5 and "metadata.jsonl (metadata" in said
    dates = {str(e.date.value) for e in recs[4].extraction.events} if recs[4].extraction else set()
    assert "2021-11-07" in dates


def test_a_web_page_gives_its_main_text_and_metadata_never_its_scripts(tmp_path: Path) -> None:
    _, recs = check(tmp_path, INPUT_CASES["HTML page"](tmp_path))
    [page] = [r for r in recs if r.article_id == "koya"]
    article = page.article
    assert article is not None and article.extracted_from == "html"
    assert "900" not in article.text and "LEAVE A REPLY" not in article.text
    assert (article.title, article.outlet, article.author) == (
        "Drone strike hits depot near Koya",
        "Synthetic Wire",
        "Jane Testwriter",
    )
    assert str(article.publication_date) == "2024-03-12"
    assert article.publication_date_source.value == "page_metadata"
    assert page.article_sha256 == article.sha256
    event = page.extraction.events[0] if page.extraction else None
    assert event is not None and str(event.date.value) == "2024-03-11"  # "on Monday", resolved
    ev = event.date.evidence
    assert ev is not None and article.text[ev.start : ev.end] == "on Monday"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file: nothing to refuse")
def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "locked.txt", GOOD.encode())
    (folder / "locked.txt").chmod(0)
    check(tmp_path, Setup([folder], "locked.txt: cannot be read (permission denied)"))


def test_a_file_the_system_will_not_open_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root no permission bit refuses a read, so the refusal is the operating system's,
    simulated: opening that one file fails with EACCES as it would for another user."""
    folder = folder_with(tmp_path, "locked.txt", GOOD.encode())
    real_open = os.open

    def guarded(path: str | os.PathLike[str], flags: int, *args: int, **kw: int | None) -> int:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kw)  # type: ignore[arg-type]  # os.open's own

    monkeypatch.setattr(os, "open", guarded)
    check(tmp_path, Setup([folder], "locked.txt: cannot be read (permission denied)"))


@pytest.fixture
def server() -> Iterator[ThreadedServer]:
    with ThreadedServer() as s:
        yield s


def test_a_plain_rerun_says_how_many_can_be_retried(tmp_path: Path, server: ThreadedServer) -> None:
    folder = folder_with(tmp_path, "busy.txt", b"Rockets hit Erbil. FAULT:server503*always")
    out = tmp_path / "results.jsonl"
    options = {"timeout": 5.0, "max_transport_retries": 0}
    kw = {"model": "loopback-model", "base_url": server.url, "options": options}
    assert extract([folder], out, tmp_path, **kw)[0] == EXIT_FAILED
    code, said = extract([folder], out, tmp_path, **kw)
    assert code == EXIT_FAILED
    assert "1 article(s) failed in ways worth retrying (server: 1)" in said
    assert "add --retry-failed to retry them" in said
    assert "worth retrying" not in extract([folder], out, tmp_path, retry_failed=True, **kw)[1]
