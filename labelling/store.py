"""The labelling folder: where articles, drafts and reviewed gold live, and how they are written.

Layout (every file name is ``<article id>`` plus a fixed suffix; ids are restricted to
``[A-Za-z0-9][A-Za-z0-9_.-]*``, so no id can name a path outside its sub-folder)::

    DIR/
      articles/<id>.txt        the article text, verbatim (UTF-8); evidence offsets index it
      articles/<id>.meta.json  optional: title, outlet, url, publication date (Article fields)
      drafts/<id>.json         a draft: gold format with provenance.status "draft"
      gold/<id>.json           reviewed gold, with per-field provenance
      history/<id>.<kind>.<UTC time>.json   earlier versions of a replaced gold file or draft
      .sitrep-label.lock       held while a file is checked and written (see below)

Writes are atomic (a temporary file in the same folder, fsync, ``os.replace``, fsync of the folder),
so a crash leaves the old file or the new one, never a partial one. A reviewed gold file is never
replaced unless the caller says so explicitly and names the version it replaces; the old version is
kept in ``history/``. Nothing outside ``DIR`` is ever read or written.

Each check-and-write holds a thread lock and an exclusive ``flock`` on ``DIR/.sitrep-label.lock``,
so two processes on one folder (two ``sitrep review`` servers, ``sitrep label`` next to a review)
cannot both pass the "unchanged since loaded" check and then overwrite each other.

>>> import tempfile
>>> folder = LabellingFolder(tempfile.mkdtemp())
>>> folder.article_path("../etc/passwd")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
labelling.store.UnsafeIdError: invalid article id '../etc/passwd': ids are letters, digits, ...
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from evals.gold import GoldError, GoldFile, gold_json, load_gold, parse_gold, read_gold_json
from schemas.article import Article
from schemas.input.ids import is_valid_id
from schemas.loaders import ArticleInputError, decode_text, load_text_file
from schemas.storage import write_atomic

ARTICLES, DRAFTS, GOLD, HISTORY = "articles", "drafts", "gold", "history"
LOCK_FILE = ".sitrep-label.lock"


class UnsafeIdError(ValueError):
    """An article id that could name a path outside the labelling folder."""


class OutsideFolderError(UnsafeIdError):
    """A path of the labelling folder that a symlink leads outside it (nothing there is read or
    written)."""


class GoldConflictError(RuntimeError):
    """Saving would replace a reviewed gold file without an explicit, up-to-date confirmation."""

    def __init__(self, message: str, *, current_sha256: str | None) -> None:
        super().__init__(message)
        self.current_sha256 = current_sha256


def check_id(article_id: str) -> str:
    """Return ``article_id`` if it is safe as a file name, else raise :class:`UnsafeIdError`."""
    if not isinstance(article_id, str) or not is_valid_id(article_id):
        raise UnsafeIdError(
            f"invalid article id {article_id!r}: ids are letters, digits, spaces, '_', "
            "'.' and '-', starting with a letter or digit"
        )
    return article_id


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")


class LabellingFolder:
    """A labelling folder (created on first write). All paths go through :meth:`_path`."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """This process's writers and every other process's, one at a time (see the module)."""
        with self._lock:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # releases the flock

    # -- paths -----------------------------------------------------------------------------
    def _path(self, sub: str, article_id: str, suffix: str) -> Path:
        check_id(article_id)
        base = self.root / sub
        path = base / f"{article_id}{suffix}"
        resolved = path.resolve()
        if resolved.parent != base.resolve() or not resolved.is_relative_to(self.root):
            link = base if base.resolve() != self.root / sub else path
            raise OutsideFolderError(
                f"{link.relative_to(self.root)} in {self.root} is a symlink leading outside the "
                f"labelling folder (to {link.resolve()}); it is neither read nor written: replace "
                "it with a real folder or file"
            )
        return path

    def article_path(self, article_id: str) -> Path:
        return self._path(ARTICLES, article_id, ".txt")

    def meta_path(self, article_id: str) -> Path:
        return self._path(ARTICLES, article_id, ".meta.json")

    def draft_path(self, article_id: str) -> Path:
        return self._path(DRAFTS, article_id, ".json")

    def gold_path(self, article_id: str) -> Path:
        return self._path(GOLD, article_id, ".json")

    # -- reading ---------------------------------------------------------------------------
    def article_ids(self) -> list[str]:
        folder = self.root / ARTICLES
        if not folder.is_dir():
            return []
        ids = [p.name[: -len(".txt")] for p in folder.iterdir() if p.name.endswith(".txt")]
        return sorted(i for i in ids if is_valid_id(i))

    def has_article(self, article_id: str) -> bool:
        return self.article_path(article_id).is_file()

    def article(self, article_id: str) -> Article:
        """The article text, byte for byte, with ``<id>.meta.json`` metadata if present."""
        article = load_text_file(self.article_path(article_id), article_id=article_id)
        return article.model_copy(update={"source_file": f"{ARTICLES}/{article_id}.txt"})

    def draft(self, article_id: str, article: Article | None = None) -> GoldFile | None:
        """The draft, checked leniently: every quote is aligned to the article afresh (exact,
        fuzzy with its score, as when it was drafted), and evidence the drafting model could not
        ground stays, flagged ``not_found``, for the person to fix."""
        path = self.draft_path(article_id)
        if not path.is_file():
            return None
        article = article or self.article(article_id)
        return parse_gold(
            read_gold_json(path), article, path, on_ungrounded="flag", evidence_from="model"
        )

    def gold(self, article_id: str, article: Article | None = None) -> GoldFile | None:
        path = self.gold_path(article_id)
        if not path.is_file():
            return None
        return load_gold(path, article or self.article(article_id))

    def gold_sha256(self, article_id: str) -> str | None:
        path = self.gold_path(article_id)
        try:
            return sha256_bytes(path.read_bytes())
        except FileNotFoundError:
            return None

    def golds(self) -> list[GoldFile]:
        """Every gold file that loads (files that do not are skipped; see :meth:`gold`)."""
        out: list[GoldFile] = []
        for article_id in self.article_ids():
            try:
                gold = self.gold(article_id)
            except (GoldError, ArticleInputError, UnsafeIdError, OSError):
                continue
            if gold is not None:
                out.append(gold)
        return out

    # -- writing ---------------------------------------------------------------------------
    def _keep(self, path: Path, article_id: str, kind: str) -> Path:
        """Copy the current ``path`` into ``history/`` before it is replaced."""
        stamp = _stamp()
        target = self._path(HISTORY, article_id, f".{kind}.{stamp}.json")
        n = 1
        while target.exists():
            target = self._path(HISTORY, article_id, f".{kind}.{stamp}-{n}.json")
            n += 1
        write_atomic(target, path.read_text(encoding="utf-8", errors="replace"))
        return target

    def add_article(self, article: Article) -> Path:
        """Copy an article in (text verbatim, metadata beside it). An existing article with the
        same id must have the same text: articles are never silently replaced."""
        path = self.article_path(article.id)
        with self._locked():
            if path.is_file():
                existing = decode_text(path.read_bytes(), path)
                if existing != article.text:
                    raise FileExistsError(
                        f"{path}: an article with id {article.id!r} and different text is already "
                        "in the labelling folder; give the new article another id"
                    )
            else:
                write_atomic(path, article.text)
            meta = article.model_dump(
                mode="json", exclude={"id", "text", "source_file"}, exclude_defaults=True
            )
            if meta and not self.meta_path(article.id).exists():
                write_atomic(self.meta_path(article.id), json.dumps(meta, indent=2) + "\n")
        return path

    def write_draft(self, draft: GoldFile, *, replace: bool = False) -> Path:
        """Write a draft; an existing draft is kept unless ``replace`` (then moved to history)."""
        if draft.provenance.status != "draft":
            raise ValueError("write_draft expects a gold file with provenance.status 'draft'")
        path = self.draft_path(draft.article_id)
        with self._locked():
            if path.exists():
                if not replace:
                    raise FileExistsError(f"{path} exists; pass replace=True (--force) to redraft")
                self._keep(path, draft.article_id, "draft")
            write_atomic(path, gold_json(draft))
        return path

    def write_gold(
        self, gold: GoldFile, *, base_sha256: str | None, overwrite: bool = False
    ) -> Path:
        """Write reviewed gold.

        Where a gold file already exists, ``overwrite`` must be true and ``base_sha256`` must be
        the SHA-256 of the file as it is now (the version the person was editing); the old file
        is then kept in ``history/``. Otherwise :class:`GoldConflictError` is raised and nothing
        is written.
        """
        path = self.gold_path(gold.article_id)
        with self._locked():
            current = self.gold_sha256(gold.article_id)
            if current is not None:
                if base_sha256 != current:
                    raise GoldConflictError(
                        f"{path.relative_to(self.root)} changed since it was loaded (or was "
                        "created meanwhile); reload the article before saving",
                        current_sha256=current,
                    )
                if not overwrite:
                    raise GoldConflictError(
                        f"{path.relative_to(self.root)} is already reviewed; confirm to replace "
                        "it (the current version is kept in history/)",
                        current_sha256=current,
                    )
                self._keep(path, gold.article_id, "gold")
            elif base_sha256 is not None:
                raise GoldConflictError(
                    f"{path.relative_to(self.root)} was removed since it was loaded; reload the "
                    "article before saving",
                    current_sha256=None,
                )
            write_atomic(path, gold_json(gold))
        return path
