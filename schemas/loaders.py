"""Load articles from plain-text files and JSONL, with errors that name the file, line and field.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "empty.txt"
>>> _ = p.write_bytes(b"  \\n")
>>> load_text_file(p)
Traceback (most recent call last):
...
schemas.loaders.ArticleInputError: ...empty.txt: the file is empty (no text after ...)
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from schemas.article import Article
from schemas.validation import first_error

MAX_CHARS = 200_000
"""Longest article accepted, in characters (about 50k tokens); longer input is refused, not cut."""


class ArticleInputError(ValueError):
    """Input that cannot become an :class:`Article`; the message names the file (line, field)."""

    def __init__(
        self, path: str | Path, reason: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.reason = reason
        where = self.path + (f":{line}" if line is not None else "")
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}: {what}{reason}")


def _safe_id(stem: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "article"
    return cleaned[:128]


def decode_text(data: bytes, path: str | Path, *, max_chars: int = MAX_CHARS) -> str:
    """Decode article bytes as UTF-8, refusing binary, undecodable, empty or oversized input."""
    if b"\x00" in data:
        raise ArticleInputError(path, "looks binary (contains NUL bytes); expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleInputError(
            path, f"is not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r})"
        ) from None
    if not text.strip():
        raise ArticleInputError(path, "the file is empty (no text after stripping white space)")
    if len(text) > max_chars:
        raise ArticleInputError(
            path, f"is {len(text):,} characters long; the limit is {max_chars:,}"
        )
    return text


def _sidecar_metadata(path: Path) -> tuple[Path, dict[str, object]]:
    """``<stem>.meta.json`` beside a text file: title, outlet, url, publication date ..."""
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.is_file():
        return meta_path, {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArticleInputError(meta_path, f"cannot be read as JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise ArticleInputError(meta_path, "expected a JSON object")
    return meta_path, {k: v for k, v in meta.items() if k not in {"id", "text"}}


def load_text_file(
    path: str | Path, *, article_id: str | None = None, max_chars: int = MAX_CHARS
) -> Article:
    """One article per plain-text file; its id is the file name without extension (or
    ``article_id``). Metadata, if any, comes from ``<stem>.meta.json`` beside it."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ArticleInputError(p, f"cannot be read ({exc.strerror or exc})") from None
    text = decode_text(data, p, max_chars=max_chars)
    meta_path, meta = _sidecar_metadata(p)
    meta.setdefault("source_file", str(p))
    try:
        return Article.model_validate({**meta, "id": article_id or _safe_id(p.stem), "text": text})
    except ValidationError as exc:
        field, msg = _validation_reason(exc)
        raise ArticleInputError(meta_path if meta else p, msg, field=field) from None


def _validation_reason(exc: ValidationError) -> tuple[str | None, str]:
    field, msg = first_error(exc)
    return field or None, msg


def _jsonl_line(p: Path, lineno: int, line: bytes, max_chars: int) -> Article | ArticleInputError:
    """One JSONL line as an :class:`Article`, or the error that names the line and field."""
    try:
        obj = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return ArticleInputError(p, "is not valid UTF-8", line=lineno)
    except json.JSONDecodeError as exc:
        return ArticleInputError(
            p, f"is not valid JSON ({exc.msg} at column {exc.colno})", line=lineno
        )
    if not isinstance(obj, dict):
        return ArticleInputError(p, "expected a JSON object", line=lineno)
    text = obj.get("text")
    if isinstance(text, str):
        problem = None
        if "\x00" in text:
            problem = "contains NUL characters"
        elif len(text) > max_chars:
            problem = f"is {len(text):,} characters; the limit is {max_chars:,}"
        elif not text.strip():
            problem = "is empty"
        if problem:
            return ArticleInputError(p, problem, line=lineno, field="text")
    obj.setdefault("source_file", f"{p}:{lineno}")
    try:
        return Article.model_validate(obj)
    except ValidationError as exc:
        field, msg = _validation_reason(exc)
        return ArticleInputError(p, msg, line=lineno, field=field)


def iter_jsonl(
    path: str | Path, *, max_chars: int = MAX_CHARS
) -> Iterator[Article | ArticleInputError]:
    """Yield an :class:`Article` per line, or an :class:`ArticleInputError` for a bad line, so a
    batch can go on past it. Each line is an object with at least ``id`` and ``text``. The file
    is read a line at a time, so memory does not grow with its size."""
    p = Path(path)
    try:
        handle = p.open("rb")
    except OSError as exc:
        yield ArticleInputError(p, f"cannot be read ({exc.strerror or exc})")
        return
    with handle:
        for lineno, line in enumerate(handle, start=1):
            if line.strip():
                yield _jsonl_line(p, lineno, line, max_chars)


def load_jsonl(path: str | Path, *, max_chars: int = MAX_CHARS) -> list[Article]:
    """All articles of a JSONL file; the first bad line raises :class:`ArticleInputError`."""
    out: list[Article] = []
    for item in iter_jsonl(path, max_chars=max_chars):
        if isinstance(item, ArticleInputError):
            raise item
        out.append(item)
    return out


def sorted_names(folder: Path, suffixes: tuple[str, ...]) -> Iterator[str]:
    """The names in ``folder`` ending with one of ``suffixes``, in code-point order, streamed.

    They are sorted in a temporary SQLite file rather than in a list, so that a folder of a
    million articles costs disk, not memory (UTF-8 byte order is code-point order, so the order
    is ``sorted()``'s).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "a.txt", "é.txt", "c.md"):
    ...     _ = (folder / name).write_text("x")
    >>> list(sorted_names(folder, (".txt",)))
    ['a.txt', 'b.txt', 'é.txt']
    """
    with tempfile.TemporaryDirectory(prefix="sitrep-names-") as tmp:
        conn = sqlite3.connect(os.path.join(tmp, "names.sqlite"))
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("PRAGMA cache_size=-1024")
            conn.execute("CREATE TABLE names (name BLOB NOT NULL)")
            with os.scandir(folder) as entries:
                conn.executemany(
                    "INSERT INTO names VALUES (?)",
                    ((os.fsencode(e.name),) for e in entries if e.name.endswith(suffixes)),
                )
            for (name,) in conn.execute("SELECT name FROM names ORDER BY name"):
                yield os.fsdecode(name)
        finally:
            conn.close()


def iter_paths(paths: list[Path]) -> Iterator[Article | ArticleInputError]:
    """Articles from files, JSONL files and folders of ``.txt`` files, in a stable order."""
    for path in paths:
        if path.is_dir():
            empty = True
            for name in sorted_names(path, (".txt", ".jsonl")):
                empty = False
                yield from iter_paths([path / name])
            if empty:
                yield ArticleInputError(path, "holds no .txt or .jsonl files")
        elif path.suffix == ".jsonl":
            yield from iter_jsonl(path)
        elif not path.exists():
            yield ArticleInputError(path, "does not exist")
        else:
            try:
                yield load_text_file(path)
            except ArticleInputError as exc:
                yield exc
