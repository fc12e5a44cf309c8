"""The labelling folder: safe ids, atomic writes, and reviewed gold never silently replaced."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from labelling_support import ARTICLE_ID, make_folder, submission_from_draft

from evals.gold import GoldFile
from labelling import store
from labelling.store import GoldConflictError, LabellingFolder, UnsafeIdError, check_id
from labelling.submission import Submission, build_gold


@pytest.mark.parametrize(
    "bad",
    [
        "../etc/passwd",
        "..",
        ".",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "%2e%2e%2fetc",
        ".hidden",
        "",
        "a\x00b",
        "x" * 200,
    ],
)
def test_unsafe_ids_are_refused(bad: str, tmp_path: Path) -> None:
    folder = LabellingFolder(tmp_path)
    with pytest.raises(UnsafeIdError):
        check_id(bad)
    with pytest.raises(UnsafeIdError):
        folder.gold_path(bad)


def test_safe_ids_map_into_their_subfolder(tmp_path: Path) -> None:
    folder = LabellingFolder(tmp_path)
    assert (
        folder.article_path("000_abc.v2-x") == tmp_path.resolve() / "articles" / "000_abc.v2-x.txt"
    )
    assert folder.gold_path("a") == tmp_path.resolve() / "gold" / "a.json"


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    folder = LabellingFolder(tmp_path / "lab")
    (tmp_path / "lab" / "articles").mkdir(parents=True)
    (tmp_path / "lab" / "articles" / "evil.txt").symlink_to(outside)
    with pytest.raises(UnsafeIdError, match="outside"):
        folder.article("evil")


def test_a_symlinked_subfolder_pointing_outside_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "lab").mkdir()
    (tmp_path / "lab" / "gold").symlink_to(elsewhere, target_is_directory=True)
    folder = LabellingFolder(tmp_path / "lab")
    with pytest.raises(UnsafeIdError):
        folder.gold_path("a")


def test_atomic_write_failure_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "gold" / "a.json"
    store.write_atomic(target, "old\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("labelling.store.os.replace", broken_replace)
    with pytest.raises(OSError, match="No space"):
        store.write_atomic(target, "new content that must not appear\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.json"]


def test_atomic_write_replaces_whole_content(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    store.write_atomic(target, "a much longer first version\n")
    store.write_atomic(target, "short\n")
    assert target.read_text(encoding="utf-8") == "short\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_reviewed_gold_is_never_silently_replaced(tmp_path: Path) -> None:
    folder, article = make_folder(tmp_path)
    draft = folder.draft(ARTICLE_ID)
    assert draft is not None

    def gold_with(best: int) -> GoldFile:
        raw = submission_from_draft(folder)
        raw["records"]["events"][0]["casualties"][1]["best"] = best
        return build_gold(
            Submission.model_validate(raw), article, draft=draft, previous=None, reviewer="ana"
        )

    first = folder.write_gold(gold_with(3), base_sha256=None)
    first_bytes = first.read_bytes()
    sha = folder.gold_sha256(ARTICLE_ID)

    # Not confirmed: refused, file untouched.
    with pytest.raises(GoldConflictError, match="already reviewed"):
        folder.write_gold(gold_with(4), base_sha256=sha)
    # Confirmed, but against a version that is not the one on disk: refused.
    with pytest.raises(GoldConflictError, match="changed since it was loaded"):
        folder.write_gold(gold_with(4), base_sha256="0" * 64, overwrite=True)
    # Saved as if new while a reviewed file exists: refused.
    with pytest.raises(GoldConflictError):
        folder.write_gold(gold_with(4), base_sha256=None, overwrite=True)
    assert first.read_bytes() == first_bytes

    folder.write_gold(gold_with(4), base_sha256=sha, overwrite=True)
    saved = json.loads(first.read_text(encoding="utf-8"))
    assert saved["records"]["events"][0]["casualties"][1]["best"] == 4
    backups = list((tmp_path / "history").iterdir())
    assert len(backups) == 1 and backups[0].name.startswith(f"{ARTICLE_ID}.gold.")
    assert backups[0].read_bytes() == first_bytes


def test_existing_article_with_other_text_is_not_replaced(tmp_path: Path) -> None:
    folder, article = make_folder(tmp_path, with_draft=False)
    changed = article.model_copy(update={"text": article.text + "\nUpdated."})
    with pytest.raises(FileExistsError, match="different text"):
        folder.add_article(changed)
    assert folder.article(ARTICLE_ID).text == article.text
    folder.add_article(article)  # same text again: fine


def test_article_text_is_kept_byte_for_byte(tmp_path: Path) -> None:
    folder, article = make_folder(tmp_path, with_draft=False)
    assert folder.article_path(ARTICLE_ID).read_bytes() == article.text.encode("utf-8")
    meta = json.loads(folder.meta_path(ARTICLE_ID).read_text(encoding="utf-8"))
    assert meta["outlet"] == "UPI" and "text" not in meta
    assert folder.article(ARTICLE_ID).outlet == "UPI"


def test_redrafting_needs_replace_and_keeps_the_old_draft(tmp_path: Path) -> None:
    folder, _ = make_folder(tmp_path)
    draft = folder.draft(ARTICLE_ID)
    assert draft is not None
    old = folder.draft_path(ARTICLE_ID).read_bytes()
    with pytest.raises(FileExistsError, match="--force"):
        folder.write_draft(draft)
    folder.write_draft(draft, replace=True)
    kept = [p for p in (tmp_path / "history").iterdir() if ".draft." in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == old


def test_temp_files_are_created_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real = tempfile.mkstemp

    def spy(*, dir: str, prefix: str, suffix: str) -> tuple[int, str]:
        fd, name = real(dir=dir, prefix=prefix, suffix=suffix)
        seen.append(name)
        return fd, name

    monkeypatch.setattr("labelling.store.tempfile.mkstemp", spy)
    store.write_atomic(tmp_path / "sub" / "f.json", "x")
    assert len(seen) == 1 and os.path.dirname(seen[0]) == str(tmp_path / "sub")
    assert not Path(seen[0]).exists()
