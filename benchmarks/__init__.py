"""sitrep's benchmarks: ``python -m benchmarks`` runs them, prints the figures and writes them to
``benchmarks/results.json`` and ``benchmarks/results.md``. Benchmarks are measurements, not tests:
nothing here asserts a time."""
