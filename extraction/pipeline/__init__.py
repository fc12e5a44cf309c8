"""One article's road to its record: read, split when long, answer (cache, model or baseline),
merge chunks, and a result or failure record."""
