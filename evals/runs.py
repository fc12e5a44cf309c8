"""Run directories: everything needed to reproduce, re-score and compare one eval run.

``runs/<timestamp>_<slug>/`` holds

- ``run.json``: the run log. It is written when the run starts (``status: started``) and
  completed when it ends: ``success``, or ``error`` with the error, so a run that crashed still
  leaves its record. It holds the producer (name *and* kind: a baseline is never a model), code
  revision, dataset id and hash, gold hash, tokens, cost (null unless known), latency, errors,
  and, once scored, the score tables;
- ``predictions.jsonl``: one line per article: the pipeline's result record
  (:class:`~extraction.batch.results.ResultRecord`: the extraction, or the failure record) and,
  once scored, its score (alignment, per-field counts, every comparison). Lines are appended as
  articles finish, and rewritten with their scores at the end.

``run.json`` and the final ``predictions.jsonl`` are written to a temporary name and moved into
place (``os.replace``), so a reader never sees half a file.

>>> run_slug("openai/gpt-4.1-mini", "model"), run_slug("sitrep-baseline", "baseline")
('openai-gpt-4.1-mini', 'baseline-sitrep-baseline')
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.document import DocScore
from evals.gold import GoldFile
from evals.score import EvalResult
from extraction.batch.results import ErrorInfo, ResultRecord
from schemas.records import ArticleExtraction, Producer, ProducerKind
from schemas.storage import write_atomic
from schemas.validation import first_error
from schemas.version import sitrep_version

RUN_FILE = "run.json"
PREDICTIONS_FILE = "predictions.jsonl"
RUN_FORMAT = "sitrep-run/2"

RunStatus = Literal["started", "success", "error"]


class RunError(ValueError):
    """A run directory that cannot be read; the message names the file (and line)."""


class ProducerInfo(BaseModel):
    """Who or what produced the predictions of a run; every report prints name and kind."""

    model_config = ConfigDict(extra="forbid")

    kind: ProducerKind
    name: str
    provider: str | None = None
    base_url: str | None = None
    version: str | None = None
    prompt_id: str | None = None
    prompt_hash: str | None = None
    schema_hash: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, producer: Producer) -> ProducerInfo:
        return cls.model_validate(producer.model_dump(include=set(cls.model_fields)))

    @property
    def label(self) -> str:
        """``name (kind)``, e.g. ``sitrep-baseline (baseline)``."""
        return f"{self.name} ({self.kind})"


class DatasetInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    hash: str
    n_articles: int
    article_ids: list[str]


class GoldInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hash: str
    n_files: int
    guidelines_versions: list[str] = Field(default_factory=list)
    labellers: list[str] = Field(default_factory=list)


class RunTotals(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost_usd: float | None = None
    latency_s: float | None = None
    mean_latency_s: float | None = None
    attempts: int = 0
    n_articles: int = 0
    n_errors: int = 0


class RunInfo(BaseModel):
    """The content of ``run.json``."""

    model_config = ConfigDict(extra="forbid")

    format: str = RUN_FORMAT
    run_id: str
    status: RunStatus
    error: str | None = Field(default=None, description="Why the run stopped (status error).")
    created_at: dt.datetime
    finished_at: dt.datetime | None = None
    producer: ProducerInfo
    other_producers: list[ProducerInfo] = Field(
        default_factory=list, description="Producers of some articles other than the main one."
    )
    code_revision: str
    sitrep_version: str
    dataset: DatasetInfo
    gold: GoldInfo
    totals: RunTotals
    errors: dict[str, str] = Field(default_factory=dict)
    rescored_from: str | None = None
    command: list[str] | None = None
    scores: dict[str, Any] = Field(
        default_factory=dict, description="The score tables (EvalResult without documents)."
    )

    def result(self, docs: Sequence[DocScore]) -> EvalResult:
        """The stored tables, with the per-document scores put back."""
        return EvalResult.model_validate({**self.scores, "docs": [d.model_dump() for d in docs]})


class PredictionLine(BaseModel):
    """One line of ``predictions.jsonl``: the pipeline's record of an article, and its score."""

    model_config = ConfigDict(extra="forbid")

    record: ResultRecord
    score: DocScore | None = None

    @property
    def article_id(self) -> str:
        return self.record.article_id or self.record.key

    @property
    def extraction(self) -> ArticleExtraction | None:
        return self.record.extraction

    @property
    def failure(self) -> ErrorInfo | None:
        return self.record.error

    @property
    def latency_s(self) -> float | None:
        return self.extraction.producer.latency_s if self.extraction is not None else None

    @property
    def prediction(self) -> ArticleExtraction | ErrorInfo | None:
        return self.extraction if self.extraction is not None else self.failure


def run_slug(name: str, kind: str) -> str:
    """A file-name-safe slug of the producer; a non-model run carries its kind in the name."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "unnamed"
    if kind != "model" and not slug.lower().startswith(kind):
        slug = f"{kind}-{slug}"
    return slug[:80]


def code_revision() -> str:
    """The git commit of the code (with ``+dirty`` for uncommitted changes), else the version."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        if head.returncode == 0 and head.stdout.strip():
            status = subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=10,
            )
            dirty = "+dirty" if status.returncode == 0 and status.stdout.strip() else ""
            return head.stdout.strip() + dirty
    except (OSError, subprocess.SubprocessError):
        pass
    return f"sitrep {sitrep_version()}"


def gold_info(golds: Iterable[GoldFile]) -> GoldInfo:
    """A hash over the gold files (their canonical JSON) and who labelled them."""
    files = sorted(golds, key=lambda g: g.article_id)
    h = hashlib.sha256()
    for g in files:
        h.update(g.model_dump_json().encode())
    return GoldInfo(
        hash="sha256:" + h.hexdigest()[:16],
        n_files=len(files),
        guidelines_versions=sorted({g.provenance.guidelines_version for g in files}),
        labellers=sorted({g.provenance.labeller for g in files}),
    )


def new_run_dir(out_root: Path, producer: ProducerInfo, now: dt.datetime) -> Path:
    """A fresh ``<out_root>/<UTC timestamp>_<slug>`` directory (suffixed if it exists)."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = f"{stamp}_{run_slug(producer.name, producer.kind)}"
    out_root.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        path = out_root / (base if n == 1 else f"{base}-{n}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise RunError(f"{out_root}: cannot create a new run directory for {base}")


def write_info(run_dir: Path, info: RunInfo) -> None:
    """Write ``run.json``: the run log, at the start of a run and at its end."""
    write_atomic(run_dir / RUN_FILE, info.model_dump_json(indent=2) + "\n")


def append_line(run_dir: Path, line: PredictionLine) -> None:
    """Append one line to ``predictions.jsonl`` as an article finishes."""
    with (run_dir / PREDICTIONS_FILE).open("a", encoding="utf-8") as fh:
        fh.write(line.model_dump_json() + "\n")


def write_run(run_dir: Path, info: RunInfo, lines: Sequence[PredictionLine]) -> None:
    """Write ``predictions.jsonl`` then ``run.json`` (its ``success`` status marks a complete
    run)."""
    body = "".join(line.model_dump_json() + "\n" for line in lines)
    write_atomic(run_dir / PREDICTIONS_FILE, body)
    write_info(run_dir, info)


def read_run(run_dir: str | Path, *, complete: bool = True) -> tuple[RunInfo, list[PredictionLine]]:
    """Read a run directory; errors name the file and line. A run that did not end in
    ``success`` is refused unless ``complete`` is false."""
    path = Path(run_dir)
    run_file, pred_file = path / RUN_FILE, path / PREDICTIONS_FILE
    if not path.is_dir():
        raise RunError(f"{path}: not a run directory (it does not exist or is not a folder)")
    try:
        info = RunInfo.model_validate_json(run_file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RunError(f"{run_file}: cannot be read ({exc.strerror or exc})") from None
    except ValidationError as exc:
        loc, msg = first_error(exc)
        raise RunError(f"{run_file}: field '{loc}': {msg}") from None
    if complete and info.status != "success":
        why = f" ({info.error})" if info.error else ""
        raise RunError(
            f"{run_file}: the run did not complete (status {info.status}{why}); run the eval "
            "again, or pick a completed run"
        )
    lines: list[PredictionLine] = []
    try:
        raw = pred_file.read_text(encoding="utf-8") if pred_file.exists() or complete else ""
    except OSError as exc:
        raise RunError(f"{pred_file}: cannot be read ({exc.strerror or exc})") from None
    for lineno, text in enumerate(raw.splitlines(), start=1):
        if not text.strip():
            continue
        try:
            lines.append(PredictionLine.model_validate(json.loads(text)))
        except json.JSONDecodeError as exc:
            raise RunError(f"{pred_file}:{lineno}: not valid JSON ({exc.msg})") from None
        except ValidationError as exc:
            loc, msg = first_error(exc)
            raise RunError(f"{pred_file}:{lineno}: field '{loc}': {msg}") from None
    return info, lines
