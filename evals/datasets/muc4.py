"""MUC-3/4 from a local copy: messages and answer keys as sitrep articles and gold events.

``--path`` is the folder holding the split folders (``TASK/CORPORA`` of the distribution), or a
folder above it (the distribution's root, or a clone of ``xinyadu/gtt``). A split folder holds
text files named ``<split>-*`` (``dev-muc3-0001-0100``, ``tst2-muc4``) and key files named
``key-*`` (``key-dev-0001.muc4``, ``key-tst1.v7``). Development splits: ``dev``, ``tst1``,
``tst2``; ``tst3`` and ``tst4`` are held out (read only with ``heldout=True``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from evals.datasets.base import DatasetError, HeldOutError, LoadedDataset, make_gold
from evals.datasets.muc4_events import template_event
from evals.datasets.muc_keys import KeyFormatError, Template, read_key_file
from evals.datasets.muc_texts import read_messages
from evals.datasets.ree import gold_entities
from schemas.article import Article
from schemas.event import AttackEvent
from schemas.records import Records

NAME = "muc4"
DEV_SPLITS = ("dev", "tst1", "tst2")
HELDOUT_SPLITS = ("tst3", "tst4")
DEFAULT_SPLIT = "dev"
RELEASED = dt.date(1992, 6, 1)
_ROOTS = (
    Path("."),
    Path("TASK/CORPORA"),
    Path("muc34/TASK/CORPORA"),
    Path("data/muc/raw_files/muc34/TASK/CORPORA"),
)


def split_dir(path: Path, split: str) -> Path:
    """The folder of ``split`` under ``path`` (see the module docstring)."""
    for root in _ROOTS:
        candidate = path / root / split
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(path / r / split) for r in _ROOTS)
    raise DatasetError(
        f"{path}: no MUC-4 split folder {split!r} (looked for {tried}); give --path the "
        "folder that holds dev/, tst1/, tst2/ (TASK/CORPORA of the distribution)"
    )


def _files(folder: Path, split: str) -> tuple[list[Path], list[Path]]:
    names = sorted(p for p in folder.iterdir() if p.is_file())
    texts = [p for p in names if p.name.lower().startswith(f"{split}-")]
    texts = [p for p in texts if "mixed-case" not in p.name]
    keys = [p for p in names if p.name.lower().startswith("key-")]
    if not texts:
        raise DatasetError(f"{folder}: no text files named '{split}-*' (e.g. '{split}-muc4')")
    if not keys:
        raise DatasetError(f"{folder}: no answer-key files named 'key-*'")
    return texts, keys


def check_split(split: str, heldout: bool) -> None:
    """Refuse an unknown split, or a held-out one without ``heldout``."""
    if split in HELDOUT_SPLITS and not heldout:
        raise HeldOutError(
            f"MUC-4 split {split!r} is reserved for held-out measurement; develop on "
            f"{', '.join(DEV_SPLITS)}, and pass --heldout only for the final measurement"
        )
    if split not in DEV_SPLITS + HELDOUT_SPLITS:
        raise DatasetError(
            f"MUC-4 has no split {split!r}; splits: {', '.join(DEV_SPLITS + HELDOUT_SPLITS)}"
        )


def gold_for(article: Article, templates: list[Template]) -> tuple[Records, dict[str, Any]]:
    """The gold events of one message and their acceptable alternatives."""
    events: list[AttackEvent] = []
    acceptable: dict[str, list[Any]] = {}
    for t in templates:
        mapped = template_event(t, f"E{len(events) + 1}")
        if mapped is not None:
            events.append(mapped.event)
            acceptable.update(mapped.acceptable)
    return Records(events=events), acceptable


def load(path: str | Path, split: str = DEFAULT_SPLIT, *, heldout: bool = False) -> LoadedDataset:
    """One MUC-4 split: every message, its gold events, and its REE role fillers."""
    check_split(split, heldout)
    folder = split_dir(Path(path), split)
    text_files, key_files = _files(folder, split)
    articles = [a for f in text_files for a in read_messages(f, split)]
    by_message: dict[str, list[Template]] = defaultdict(list)
    try:
        for f in key_files:
            for t in read_key_file(f):
                by_message[t.message_id].append(t)
    except KeyFormatError as exc:
        raise DatasetError(str(exc)) from None
    ids = {a.id for a in articles}
    stray = sorted(set(by_message) - ids)
    if stray:
        t = by_message[stray[0]][0]
        raise DatasetError(
            f"{t.path}:{t.line}: key for message {stray[0]}, which no text file of {folder} holds"
        )
    golds = {}
    fillers: dict[str, dict[str, list[set[str]]]] = {}
    for a in articles:
        templates = by_message.get(a.id)
        if not templates:
            raise DatasetError(
                f"{folder}: message {a.id} ({a.source_file}) has no template in the key files"
            )
        records, acceptable = gold_for(a, templates)
        try:
            golds[a.id] = make_gold(
                a,
                records,
                labeller="MUC-4 answer keys",
                method="MUC-4 answer-key templates mapped by evals/datasets/muc4_events.py",
                released=RELEASED,
                acceptable=acceptable,
            )
        except ValueError as exc:
            raise DatasetError(f"{templates[0].path}:{templates[0].line}: {exc}") from None
        fillers[a.id] = gold_entities(templates, a.text)
    return LoadedDataset(NAME, split, articles, golds, role_fillers=fillers)
