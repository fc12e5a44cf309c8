"""Many articles through one pipeline: the bounded runner, the results file and its on-disk index,
the response cache, rate limits, pricing and progress."""
