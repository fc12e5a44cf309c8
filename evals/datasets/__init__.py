"""Public annotated corpora as eval sets: a reader per format, by name.

``sitrep eval --dataset NAME --path DIR [--split SPLIT]`` loads a user's local copy through the
reader registered here and scores any producer on it with the usual harness. The data is never
copied into the project. Held-out splits are refused unless asked for explicitly.

>>> sorted(DATASETS), DATASETS["muc4"].default_split, DATASETS["polnear"].heldout_splits
(['muc4', 'polnear'], 'dev', ('train', 'dev'))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evals.datasets import muc4, polnear
from evals.datasets.base import DatasetError, HeldOutError, LoadedDataset

__all__ = ["DATASETS", "DatasetError", "DatasetReader", "HeldOutError", "LoadedDataset", "load"]


@dataclass(frozen=True)
class DatasetReader:
    name: str
    title: str
    load: Callable[..., LoadedDataset]
    dev_splits: tuple[str, ...]
    heldout_splits: tuple[str, ...]
    default_split: str
    unscored: tuple[str, ...]
    """Fields the data set does not label (left out of the per-field table)."""


MUC4_UNSCORED = (
    "statement",
    "event.attribution",
    "event.location.precision",
    "event.perpetrators.category",
    "event.targets.category",
    "event.weapons.count",
    "event.casualties.group",
    "event.casualties.qualifier",
    "event.casualties.reported_by",
    "event.operation",
)

DATASETS: dict[str, DatasetReader] = {
    "muc4": DatasetReader(
        name="muc4",
        title="MUC-3/4 terrorism reports (answer-key templates)",
        load=muc4.load,
        dev_splits=muc4.DEV_SPLITS,
        heldout_splits=muc4.HELDOUT_SPLITS,
        default_split=muc4.DEFAULT_SPLIT,
        unscored=MUC4_UNSCORED,
    ),
    "polnear": DatasetReader(
        name="polnear",
        title="PolNeAR political news attribution relations",
        load=polnear.load,
        dev_splits=polnear.DEV_SPLITS,
        heldout_splits=polnear.HELDOUT_SPLITS,
        default_split=polnear.DEFAULT_SPLIT,
        unscored=polnear.UNSCORED,
    ),
}


def load(
    name: str, path: str | Path, split: str | None = None, *, heldout: bool = False
) -> LoadedDataset:
    """Load ``split`` (default: the data set's) of data set ``name`` from ``path``."""
    reader = DATASETS.get(name)
    if reader is None:
        raise DatasetError(f"no data set {name!r}; data sets: {', '.join(sorted(DATASETS))}")
    if not Path(path).is_dir():
        raise DatasetError(f"{path}: not a folder (give --path your local copy of {name})")
    return reader.load(path, split or reader.default_split, heldout=heldout)
