"""Peak memory of ``sitrep extract`` on large input, measured in a fresh process (VmHWM of
``python -m benchmarks.input_memory``): reading stops at the limit, so a 32 MB file or a 32 MB
JSONL line costs a few MB, not a multiple of its size. Not a timing test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GROWTH_MB = 40  # reading the whole 32 MB input would cost ~100 MB (bytes, str, JSON)


@pytest.mark.parametrize("case", ["text", "jsonl-line", "html", "binary", "fifo", "dev-zero"])
def test_large_or_endless_input_costs_a_bounded_amount_of_memory(case: str) -> None:
    cmd = [sys.executable, "-m", "benchmarks.input_memory", case, "32"]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=600, cwd=ROOT)
    row = json.loads(done.stdout.strip().splitlines()[-1])
    assert row["exit_code"] == 1 and row["first_reason"]
    assert row["peak_rss_mb"] < 200
    assert row["peak_rss_mb"] - row["peak_rss_before_mb"] < GROWTH_MB, row
