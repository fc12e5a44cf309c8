"""Atomic, durable writes: a failed write leaves the old file whole and no temporary file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from schemas.storage import write_atomic


def test_atomic_write_failure_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "gold" / "a.json"
    write_atomic(target, "old\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("schemas.storage.os.replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new content that must not appear\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.json"]


def test_atomic_write_replaces_whole_content(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    write_atomic(target, "a much longer first version\n")
    write_atomic(target, "short\n")
    assert target.read_text(encoding="utf-8") == "short\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_temp_files_are_created_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real = tempfile.mkstemp

    def spy(*, dir: str, prefix: str, suffix: str) -> tuple[int, str]:
        fd, name = real(dir=dir, prefix=prefix, suffix=suffix)
        seen.append(name)
        return fd, name

    monkeypatch.setattr("schemas.storage.tempfile.mkstemp", spy)
    write_atomic(tmp_path / "sub" / "f.json", "x")
    assert len(seen) == 1 and os.path.dirname(seen[0]) == str(tmp_path / "sub")
    assert not Path(seen[0]).exists()
