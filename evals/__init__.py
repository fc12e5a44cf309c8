"""The eval harness: score extraction runs against hand-labelled gold.

Library entry points (the ``sitrep eval`` command is a thin layer over them):

- :func:`evals.score.evaluate` — predictions, gold and article texts to an ``EvalResult``;
- :func:`evals.harness.run_eval` — run any extract function over articles, score, write a run;
- :func:`evals.harness.rescore_run` — re-score a stored run against the current gold;
- :func:`evals.diff.diff_runs` — compare two runs (paired bootstrap, flipped values);
- :func:`evals.document.score_document` — one article.

Scoring parameters live in ``evals/scoring.toml``; the suite's minimums in ``evals/suite.toml``.
"""
