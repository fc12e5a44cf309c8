"""Scoring the merge: gold clusters labelled by reading, coreference metrics (pairwise and
B-cubed) and the incident-level fatality error. See ``evals/clusters/README.md``."""
