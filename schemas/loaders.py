"""Load articles from text files, saved web pages, JSONL and folders of them, with errors that
name the file, line and field.

Reading is bounded (:mod:`schemas.input.reading`): only regular files, at most one character
past the limit, JSONL a line at a time with a cap on a line's length. A folder's files are chosen
by :class:`~schemas.input.folder.FolderListing`; metadata comes from
:mod:`schemas.input.metadata`; web pages become text through :mod:`schemas.input.html_page`.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "empty.txt"
>>> _ = p.write_bytes(b"  \\n")
>>> load_text_file(p)
Traceback (most recent call last):
...
schemas.input.reading.ArticleInputError: ...empty.txt: the file is empty (no text after ...)
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schemas.article import Article
from schemas.input.folder import FolderListing, is_results_file
from schemas.input.html_page import HTML_SUFFIXES, page_text_and_metadata
from schemas.input.ids import id_from_name
from schemas.input.metadata import FolderMetadata, read_sidecar
from schemas.input.reading import (
    MAX_CHARS,
    MAX_LINE_BYTES,
    MAX_PAGE_BYTES,
    ArticleInputError,
    decode_text,
    iter_lines_bounded,
    open_regular,
    os_reason,
    read_bounded,
    read_text,
)
from schemas.validation import first_error

__all__ = [
    "MAX_CHARS",
    "ArticleInputError",
    "decode_text",
    "iter_jsonl",
    "iter_paths",
    "load_html_file",
    "load_jsonl",
    "load_text_file",
    "sorted_names",
]

Item = Article | ArticleInputError


def _merge(
    p: Path, base: dict[str, Any], folder_meta: dict[str, Any] | None, folder_where: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Page metadata < the folder's metadata.jsonl < the file's .meta.json; with, per field,
    the file to blame if it does not validate."""
    meta_path, sidecar = read_sidecar(p)
    blame: dict[str, str] = {k: str(p) for k in base}
    merged = dict(base)
    for source, where in ((folder_meta or {}, folder_where), (sidecar, str(meta_path))):
        if "publication_date" in source and "publication_date_source" not in source:
            merged["publication_date_source"] = "metadata"
        merged.update(source)
        blame.update(dict.fromkeys(source, where))
    return merged, blame


def _article(
    p: Path, text: str, base: dict[str, Any], article_id: str | None, folder: FolderMetadata | None
) -> Article:
    aid = article_id or id_from_name(p.stem)
    folder_meta = folder.get(aid) if folder is not None else None
    line = folder.line_of(aid) if folder is not None else None
    folder_where = f"{folder.path}:{line}" if folder is not None else ""
    meta, blame = _merge(p, base, folder_meta, folder_where)
    meta.setdefault("source_file", str(p))
    try:
        return Article.model_validate({**meta, "id": aid, "text": text})
    except ValidationError as exc:
        field, msg = _validation_reason(exc)
        raise ArticleInputError(blame.get(field or "", str(p)), msg, field=field) from None


def load_text_file(
    path: str | Path,
    *,
    article_id: str | None = None,
    max_chars: int = MAX_CHARS,
    metadata: FolderMetadata | None = None,
) -> Article:
    """One article per plain-text file; its id is the file name without extension (or
    ``article_id``; see :func:`schemas.input.ids.id_from_name`). Metadata comes from the folder's
    ``metadata.jsonl`` (``metadata``) and ``<stem>.meta.json`` beside it."""
    p = Path(path)
    return _article(p, read_text(p, max_chars=max_chars), {}, article_id, metadata)


def load_html_file(
    path: str | Path,
    *,
    article_id: str | None = None,
    max_chars: int = MAX_CHARS,
    metadata: FolderMetadata | None = None,
) -> Article:
    """One article per saved web page: its main text, and the page's own metadata under any
    given in ``metadata.jsonl`` or ``<stem>.meta.json``."""
    p = Path(path)
    data = read_bounded(p, MAX_PAGE_BYTES)
    text, page_meta = page_text_and_metadata(data, p, max_chars=max_chars)
    return _article(p, text, page_meta, article_id, metadata)


def _validation_reason(exc: ValidationError) -> tuple[str | None, str]:
    field, msg = first_error(exc)
    return field or None, msg


def _jsonl_line(p: Path, lineno: int, line: bytes, max_chars: int) -> Article | ArticleInputError:
    """One JSONL line as an :class:`Article`, or the error that names the line and field."""
    try:
        obj = json.loads(line.decode("utf-8").rstrip("\r\n"))
    except UnicodeDecodeError:
        return ArticleInputError(p, "is not valid UTF-8", line=lineno)
    except json.JSONDecodeError as exc:
        return ArticleInputError(
            p, f"is not valid JSON ({exc.msg}: column {exc.colno})", line=lineno
        )
    if not isinstance(obj, dict):
        return ArticleInputError(p, "expected a JSON object", line=lineno)
    html = obj.pop("html", None)
    if html is not None:
        if "text" in obj:
            return ArticleInputError(
                p, "give either text or html, not both", line=lineno, field="html"
            )
        if not isinstance(html, str):
            return ArticleInputError(p, "expected a string", line=lineno, field="html")
        try:
            page_text, page_meta = page_text_and_metadata(
                html, f"{p}:{lineno}", max_chars=max_chars
            )
        except ArticleInputError as exc:
            return ArticleInputError(p, exc.reason, line=lineno, field="html")
        given = dict(obj)
        obj = {**page_meta, **given, "text": page_text}
        if "publication_date" in given and "publication_date_source" not in given:
            obj["publication_date_source"] = "metadata"
    given_text = obj.get("text")
    if isinstance(given_text, str):
        problem = None
        if "\x00" in given_text:
            problem = "contains NUL characters"
        elif len(given_text) > max_chars:
            problem = f"is {len(given_text):,} characters; the limit is {max_chars:,}"
        elif not given_text.strip():
            problem = "is empty"
        if problem:
            return ArticleInputError(p, problem, line=lineno, field="text")
    obj.setdefault("source_file", f"{p}:{lineno}")
    try:
        return Article.model_validate(obj)
    except ValidationError as exc:
        field, msg = _validation_reason(exc)
        return ArticleInputError(p, msg, line=lineno, field=field)


def iter_jsonl(path: str | Path, *, max_chars: int = MAX_CHARS) -> Iterator[Item]:
    """Yield an :class:`Article` per line, or an :class:`ArticleInputError` for a bad line, so a
    batch can go on past it. Each line is an object with ``id`` and ``text`` (or ``html``, a
    saved page). The file is read a line at a time, and a line longer than
    :data:`~schemas.input.reading.MAX_LINE_BYTES` is skipped unread, so memory stays bounded."""
    p = Path(path)
    try:
        handle = open_regular(p)
    except ArticleInputError as exc:
        yield exc
        return
    with handle:
        for lineno, line in enumerate(iter_lines_bounded(handle, MAX_LINE_BYTES), start=1):
            if line is None:
                yield ArticleInputError(
                    p, f"is longer than the limit of {MAX_LINE_BYTES:,} bytes", line=lineno
                )
                continue
            if lineno == 1 and line.startswith((b"\xff\xfe", b"\xfe\xff")):
                yield ArticleInputError(p, "is UTF-16 or UTF-32; JSONL must be UTF-8")
                return
            if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
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


def iter_file(path: Path, metadata: FolderMetadata | None = None) -> Iterator[Item]:
    """The articles of one file: a JSONL file's lines, a web page, or a text file."""
    suffix = path.suffix
    if suffix == ".jsonl":
        if is_results_file(path):
            yield ArticleInputError(path, "is a sitrep results file (an output), not articles")
        else:
            yield from iter_jsonl(path)
        return
    try:
        if suffix.lower() in HTML_SUFFIXES:
            yield load_html_file(path, metadata=metadata)
        else:
            yield load_text_file(path, metadata=metadata)
    except ArticleInputError as exc:
        yield exc


def iter_folder(folder: Path, listing: FolderListing | None = None) -> Iterator[Item]:
    """The articles of a folder's files (see :class:`~schemas.input.folder.FolderListing`), with the
    folder's ``metadata.jsonl`` applied; an unreadable metadata line is an error of its own."""
    listing = listing or FolderListing(folder)
    with FolderMetadata(folder) as metadata:
        yield from metadata.errors()
        empty = True
        for name in listing.articles():
            empty = False
            yield from iter_file(folder / name, metadata)
        if empty:
            yield ArticleInputError(folder, "holds no .txt, .jsonl, .html or .htm files")


def iter_paths(paths: Sequence[Path], *, exclude: Sequence[Path] = ()) -> Iterator[Item]:
    """Articles from files, JSONL files and folders, in a stable order. Files that are the same
    as one of ``exclude`` (the results file) are left out of folders."""
    for path in paths:
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError as exc:
            yield ArticleInputError(path, os_reason(exc))
            continue
        if is_dir:
            yield from iter_folder(path, FolderListing(path, exclude=exclude))
        else:
            yield from iter_file(path)
