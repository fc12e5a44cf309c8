"""Inputs and helpers shared by the benchmarks: articles, the loopback server in its own process,
and extraction functions with and without the model path."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from evals.dataset import load_eval_articles
from schemas.article import Article
from schemas.records import ArticleExtraction, Producer, Records, Usage


def articles(n: int, *, tag: str = "") -> list[Article]:
    """``n`` distinct articles built from the bundled eval articles (real news text, about
    2,000 to 6,000 characters each), each made unique by a reference line, so that no two share
    a cache key or an in-flight call."""
    base = load_eval_articles()
    out = []
    for i in range(n):
        src = base[i % len(base)]
        text = f"{src.text}\n\nReference {tag}{i}."
        out.append(src.model_copy(update={"id": f"bench-{tag}{i:06d}", "text": text}))
    return out


def write_folder(folder: Path, n: int) -> None:
    """``n`` short article files (one event each) for the memory benchmark."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:06d}.txt").write_text(
            f"A drone struck a market in Koya on Monday, report {i}.\n\n"
            "Two people were killed and several others were injured, officials said.\n",
            encoding="utf-8",
        )


@contextmanager
def loopback_process(latency: float) -> Iterator[str]:
    """The loopback server in a separate process (its CPU is not the client's); yields its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.loopback", "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.startswith("PORT "):
            raise RuntimeError(f"loopback server did not start: {line!r}")
        yield f"http://127.0.0.1:{int(line.split()[1])}/v1"
    finally:
        proc.terminate()
        proc.wait(10)


def server_requests(url: str) -> int:
    """Requests the loopback server has answered, not counting this one."""
    with urllib.request.urlopen(f"{url}/stats", timeout=10) as response:
        stats: dict[str, Any] = json.load(response)
    return int(stats["requests"]) - 1


def synthetic_extraction(article: Article) -> ArticleExtraction:
    """What a fast model would return: one event quoting the first sentence."""
    first = article.text.split(".", 1)[0] + "."
    records = Records.model_validate(
        {
            "events": [
                {
                    "id": "E1",
                    "sub_type": "air_drone_strike",
                    "location": {"place": "Koya", "country": "Iraq"},
                    "evidence": {"quote": first, "start": 0, "end": len(first)},
                }
            ]
        }
    )
    usage = Usage(prompt_tokens=3000, completion_tokens=120, total_tokens=3120)
    producer = Producer(kind="model", name="synthetic", usage=usage, created_at=None)
    return ArticleExtraction.from_records(article.id, records, producer)


def wall(start: float) -> float:
    return round(time.perf_counter() - start, 4)
