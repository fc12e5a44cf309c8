"""Bad input gets a clear error naming the file, line and field; a batch can go on past it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas import Article, ArticleInputError, iter_jsonl, iter_paths, load_jsonl, load_text_file


def test_text_file_becomes_article(tmp_path: Path) -> None:
    p = tmp_path / "my article (1).txt"
    p.write_text("Drones struck Erbil.", encoding="utf-8")
    a = load_text_file(p)
    assert a.id == "my article -1-"  # "(" and ")" are not id characters
    assert a.text == "Drones struck Erbil."
    assert a.publication_date is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\n \t\n", "the file is empty"),
        (b"abc\x00def", "looks binary"),
        (b"caf\xe9 bombing", r"is not UTF-8 but looks like Windows-1252 \(byte 3"),
        (b"\x81\x8d\x8f bombing", r"is not valid UTF-8 \(byte 0"),
    ],
)
def test_bad_text_files_are_refused_with_file_named(
    tmp_path: Path, data: bytes, message: str
) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(ArticleInputError, match=message) as info:
        load_text_file(p)
    assert str(p) in str(info.value)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "long.txt"
    p.write_text("x" * 101, encoding="utf-8")
    with pytest.raises(ArticleInputError, match="longer than the limit of 100 characters"):
        load_text_file(p, max_chars=100)


def test_jsonl_bad_lines_name_line_and_field(tmp_path: Path) -> None:
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "ok-1", "text": "Rockets hit Baghdad."}),
        "{not json",
        json.dumps({"id": "../etc", "text": "x"}),
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "ok-2", "text": "Drones hit Koya.", "publication_date": "2022-11-14"}),
        json.dumps({"id": "bad-date", "text": "x", "publication_date": "yesterday"}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(iter_jsonl(p))
    assert [type(i).__name__ for i in items] == [
        "Article",
        "ArticleInputError",
        "ArticleInputError",
        "ArticleInputError",
        "Article",
        "ArticleInputError",
    ]
    errors = [i for i in items if isinstance(i, ArticleInputError)]
    assert [e.line for e in errors] == [2, 3, 4, 6]
    assert [e.field for e in errors] == [None, "id", "text", "publication_date"]
    assert str(errors[0]).startswith(f"{p}:2: is not valid JSON")
    ok2 = items[4]
    assert isinstance(ok2, Article) and str(ok2.publication_date) == "2022-11-14"
    with pytest.raises(ArticleInputError, match=":2: "):
        load_jsonl(p)


def test_iter_paths_mixes_folders_and_reports_missing(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "b.txt").write_text("Second.", encoding="utf-8")
    (d / "a.txt").write_text("First.", encoding="utf-8")
    (d / "skip.pdf").write_bytes(b"%PDF")
    items = list(iter_paths([d, tmp_path / "missing.txt"]))
    assert [getattr(i, "id", None) for i in items[:2]] == ["a", "b"]
    assert isinstance(items[2], ArticleInputError) and "does not exist" in str(items[2])


def test_the_limit_is_exact_in_characters_across_read_blocks(tmp_path: Path) -> None:
    p = tmp_path / "accents.txt"
    p.write_text("é" * 70_000, encoding="utf-8")  # 140,000 bytes: characters split across blocks
    assert load_text_file(p, max_chars=70_000).text == "é" * 70_000
    with pytest.raises(ArticleInputError, match="longer than the limit of 69,999 characters"):
        load_text_file(p, max_chars=69_999)


def test_folder_metadata_applies_and_a_sidecar_wins(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("Drones struck Erbil on Monday.", encoding="utf-8")
    (d / "metadata.jsonl").write_text(
        json.dumps({"id": "a", "outlet": "Synthetic", "publication_date": "2024-03-12"}) + "\n"
    )
    (d / "a.meta.json").write_text(json.dumps({"outlet": "Sidecar"}))
    [a] = list(iter_paths([d]))
    assert isinstance(a, Article)
    assert (a.outlet, str(a.publication_date), a.publication_date_source.value) == (
        "Sidecar",
        "2024-03-12",
        "metadata",
    )
