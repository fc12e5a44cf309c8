"""Peak memory of ``sitrep extract`` on hostile input: each case runs the whole command
(:func:`extraction.cli.extract.run_extract_batch`, offline baseline) in a fresh process
(``python -m benchmarks.input_memory CASE SIZE_MB``; ``html-dense`` is always the costliest page
read, 2 MiB of text in 8 MiB) and reports the process's peak resident set
(VmHWM). The target is under 200 MB whatever the input: input is read at most one character past
the article limit, a JSONL line at most to its cap, and devices and FIFOs never.

    python -m benchmarks input            # every case at 1,024 MB (needs 3 GB of free disk)
    python -m benchmarks input --size-mb 64
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console

TARGET_MB = 200
CASES = ("text", "jsonl-line", "html", "html-dense", "binary", "dev-zero", "dev-urandom", "fifo")
_BLOCK = 1 << 20


def _peak_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _fill(path: Path, size_mb: int, head: bytes, fill: bytes, tail: bytes = b"") -> None:
    block = fill * (_BLOCK // len(fill))
    with path.open("wb") as fh:
        fh.write(head)
        for _ in range(size_mb):
            fh.write(block)
        fh.write(tail)


def make_input(case: str, folder: Path, size_mb: int) -> Path:
    """The input of one case, written into ``folder`` (devices are used where they are)."""
    if case == "text":
        path = folder / "huge.txt"
        _fill(path, size_mb, b"", b"Rockets hit Erbil. ")
    elif case == "jsonl-line":
        path = folder / "huge-line.jsonl"
        _fill(
            path, size_mb, b'{"id": "big", "text": "', b"x", b'"}\n{"id": "ok", "text": "Calm."}\n'
        )
    elif case == "html":
        path = folder / "huge.html"
        _fill(path, size_mb, b"<html><body><article>", b"<p>Rockets hit Erbil.</p>")
    elif case == "html-dense":  # the costliest page read: text up to the limit, scripts to 8 MiB
        from schemas.input.html_page import MAX_CONTENT_BYTES
        from schemas.input.reading import MAX_PAGE_BYTES

        path = folder / "dense.html"
        with path.open("wb") as fh:
            fh.write(b"<html><head><script>var s = '")
            fh.write(b"v" * (MAX_PAGE_BYTES - MAX_CONTENT_BYTES))
            fh.write(b"';</script></head><body><article>")
            written, i = 0, 0
            while written < MAX_CONTENT_BYTES - 400:
                p = f"<p>Rockets hit Erbil {i}, officials said ({i * 7}).</p>".encode()
                written += fh.write(p)
                i += 1
            fh.write(b"</article></body></html>")
    elif case == "binary":  # a sparse file: all NUL bytes, as a disk image or a crash leaves
        path = folder / "zeros.txt"
        with path.open("wb") as fh:
            fh.truncate(size_mb * _BLOCK)
    elif case in ("dev-zero", "dev-urandom"):
        path = Path("/dev/zero" if case == "dev-zero" else "/dev/urandom")
    elif case == "fifo":
        path = folder / "pipe.txt"
        os.mkfifo(path)
    else:
        raise ValueError(f"unknown case {case!r}; one of {', '.join(CASES)}")
    return path


def run_case(case: str, size_mb: int) -> dict[str, Any]:
    """One case in this process: the whole command on the case's input; the peak it reached."""
    from extraction.cli.extract import run_extract_batch

    with tempfile.TemporaryDirectory(prefix="sitrep-input-bench-") as tmp:
        path = make_input(case, Path(tmp), size_mb)
        size = path.stat().st_size if path.is_file() else None
        before = _peak_mb()
        stream = io.StringIO()
        code = run_extract_batch(
            [path],
            Path(tmp) / "out" / "results.jsonl",
            progress=False,
            notice=False,
            console=Console(file=stream, width=200),
            environ={},
        )
        records = (Path(tmp) / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
        reasons = [json.loads(r)["error"]["reason"] for r in records if '"status":"error"' in r]
    return {
        "case": case,
        "input_mb": round(size / _BLOCK, 1) if size is not None else None,
        "exit_code": code,
        "records": len(records),
        "first_reason": reasons[0][-120:] if reasons else None,
        "peak_rss_before_mb": before,
        "peak_rss_mb": _peak_mb(),
    }


def measure(size_mb: int = 1024, cases: tuple[str, ...] = CASES) -> dict[str, Any]:
    """Every case in its own process, so one peak cannot hide another."""
    runs = []
    for case in cases:
        cmd = [sys.executable, "-m", "benchmarks.input_memory", case, str(size_mb)]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=1800)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(row), flush=True)
        runs.append(row)
    worst = max(r["peak_rss_mb"] for r in runs)
    verdict = "met" if worst < TARGET_MB else "NOT met"
    return {
        "runs": runs,
        "target": f"peak under {TARGET_MB} MB on any input: {verdict} ({worst} MB)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("case", nargs="?", choices=CASES, help="one case, in this process")
    parser.add_argument("size", nargs="?", type=int, default=None, help="its size in MB")
    parser.add_argument("--size-mb", type=int, default=1024)
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case, args.size or args.size_mb)))
    else:
        print(json.dumps(measure(args.size_mb), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
