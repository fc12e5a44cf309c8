"""The labelling folder: safe ids, atomic writes, and reviewed gold never silently replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from labelling_support import ARTICLE_ID, make_folder, submission_from_draft

from evals.gold import GoldFile
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


def test_another_process_holding_the_folder_lock_holds_back_a_save(tmp_path: Path) -> None:
    """The check-and-write of a save runs under an flock on the folder's lock file, which
    another process (here: another open file description, which flock treats alike) can hold;
    the save waits for it instead of racing it."""
    import fcntl
    import os
    import threading

    from labelling.store import LOCK_FILE

    folder, article = make_folder(tmp_path)
    draft = folder.draft(ARTICLE_ID)
    assert draft is not None
    gold = build_gold(
        Submission.model_validate(submission_from_draft(folder)),
        article,
        draft=draft,
        previous=None,
        reviewer="ana",
    )
    fd = os.open(tmp_path / LOCK_FILE, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    saver = threading.Thread(target=folder.write_gold, args=(gold,), kwargs={"base_sha256": None})
    saver.start()
    saver.join(timeout=0.5)
    assert saver.is_alive() and not folder.gold_path(ARTICLE_ID).exists()  # waiting for the lock
    os.close(fd)
    saver.join(timeout=10)
    assert not saver.is_alive() and folder.gold_path(ARTICLE_ID).exists()
