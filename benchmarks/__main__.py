"""``python -m benchmarks``: see :mod:`benchmarks.run`; ``python -m benchmarks input``: peak
memory on hostile input only (:mod:`benchmarks.input_memory`)."""

from __future__ import annotations

import sys

from benchmarks.run import main

if __name__ == "__main__":  # worker processes (spawn) import this module without running it
    if sys.argv[1:2] == ["input"]:
        from benchmarks import input_memory

        sys.exit(input_memory.main(sys.argv[2:]))
    sys.exit(main())
