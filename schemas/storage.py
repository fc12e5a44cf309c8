"""Durable file writes, shared by every layer that stores something a person or an API paid for.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "sub" / "gold.json"
>>> write_atomic(target, '{"ok": true}\\n')
>>> target.read_text()
'{"ok": true}\\n'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that a reader, or the file after a crash, holds the
    old content or the new, never a part: a temporary file in the same folder, fsync,
    ``os.replace``, then fsync of the folder so the rename itself is durable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
