"""The event store: one record per attack across articles.

Result records of any run (:mod:`extraction.batch.results`) go into one SQLite file; reports of the
same
incident are merged by rules kept as data (``store/data/merge_rules.toml``), casualty figures are
reconciled UCDP-style, and incidents export as ACLED- or UCDP-style CSV or as JSONL. The library
API is :class:`store.api.EventStore`; the command line is ``sitrep store``.
"""

from __future__ import annotations

from store.api import EventStore, StoreError

__all__ = ["EventStore", "StoreError"]
