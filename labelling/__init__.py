"""Labelling new articles: drafts from a model or the baseline, review in a browser, gold out.

``sitrep label`` writes drafts into a labelling folder, ``sitrep review`` serves the review page,
``sitrep agree`` measures agreement between two labellers. See :mod:`labelling.store` for the
folder layout and :mod:`labelling.provenance` for what a reviewed gold file records per field.
"""

from __future__ import annotations
