"""Gold clusters: which event records of which articles describe the same incident, labelled by
reading (``evals/clusters/*.json``, format ``sitrep-gold-clusters/1``), and the records they
refer to: the events of sitrep gold files, or MUC-4 ``dev`` answer-key templates.

A record is named ``ARTICLE/EVENT`` (``DEV-MUC3-0014/E1`` for a MUC-4 template). Records of the
set that are in no cluster are incidents of their own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.event import AttackEvent
from schemas.records import Records
from store.scoring.muc4 import iter_key_templates, to_event

FORMAT = "sitrep-gold-clusters/1"
_STRICT = ConfigDict(extra="forbid")


class ClusterError(ValueError):
    """A gold-cluster file that cannot be used; the message names the file and key."""


class GoldSource(BaseModel):
    model_config = _STRICT
    kind: Literal["sitrep-gold", "muc4-dev-keys"]
    folders: list[str] = Field(default_factory=list, description="sitrep gold folders, from root.")
    messages: tuple[int, int] | None = Field(default=None, description="MUC-4 dev message range.")


class Cluster(BaseModel):
    model_config = _STRICT
    id: str
    members: list[str] = Field(min_length=2)
    fatalities: int | None = Field(default=None, ge=0)
    note: str | None = None


class GoldClusters(BaseModel):
    model_config = _STRICT
    format: Literal["sitrep-gold-clusters/1"]
    name: str
    records: GoldSource
    labelled_by: str
    method: str
    labelled_at: str
    clusters: list[Cluster] = Field(default_factory=list)
    fatalities: dict[str, int] = Field(
        default_factory=dict, description="Killed, by reading, of records that stand alone."
    )


def load_clusters(path: str | Path) -> GoldClusters:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        clusters = GoldClusters.model_validate(data)
    except (OSError, json.JSONDecodeError) as exc:
        raise ClusterError(f"{p}: cannot be read ({exc})") from None
    except ValidationError as exc:
        e = exc.errors()[0]
        where = ".".join(str(x) for x in e["loc"])
        raise ClusterError(f"{p}: {where}: {e['msg']}") from None
    seen: dict[str, str] = {}
    for c in clusters.clusters:
        for m in c.members:
            if m in seen:
                raise ClusterError(f"{p}: {m} is in clusters {seen[m]!r} and {c.id!r}")
            seen[m] = c.id
    return clusters


Item = tuple[str, str, AttackEvent]
"""(record ref, article id, event)."""


def gold_items(clusters: GoldClusters, *, root: Path, muc4_dir: Path | None = None) -> list[Item]:
    """The records a cluster file is about, in article order."""
    items: list[Item] = []
    if clusters.records.kind == "sitrep-gold":
        for folder in clusters.records.folders:
            base = root / folder
            gold_dir = base / "gold" if (base / "gold").is_dir() else base
            for path in sorted(gold_dir.glob("*.json")):
                data = json.loads(path.read_text(encoding="utf-8"))
                article = str(data["article_id"])
                for e in Records.model_validate(data["records"]).events:
                    items.append((f"{article}/{e.id}", article, e))
        return items
    if muc4_dir is None or not muc4_dir.is_dir():
        raise ClusterError(
            f"{clusters.name}: needs the MUC-4 dev folder (key-dev-*.muc4); pass --muc4 DIR"
        )
    first, last = clusters.records.messages or (1, 1300)
    for template in iter_key_templates(muc4_dir, first, last):
        ref, event = to_event(template)
        items.append((ref, ref.split("/")[0], event))
    return items


def check_members(clusters: GoldClusters, refs: set[str], path: str) -> None:
    """Every clustered record exists in the set (else the file names one that does not)."""
    for c in clusters.clusters:
        for m in c.members:
            if m not in refs:
                raise ClusterError(f"{path}: cluster {c.id!r}: no record {m!r} in the set")
