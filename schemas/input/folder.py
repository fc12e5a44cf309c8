"""Which files of an input folder are articles, which are not, and why.

A folder's articles are its ``.txt``, ``.jsonl``, ``.html`` and ``.htm`` files (extensions in
lower case), in code-point order of their names. Everything else is left out and counted by
reason, so a run can say in one line what it skipped:

- subfolders (folders are not searched recursively);
- metadata files (``metadata.jsonl``, ``*.meta.json``): applied to the articles, not read as them;
- sitrep's own outputs. They are recognised by what they are, not only by name: the file ``--out``
  names (by device and inode, so also through a symbolic or hard link, and while it is still
  empty), any ``.jsonl`` whose first line is a result record (sitrep writes every record
  starting ``{"key":`` with ``run_key`` and ``status``, whatever the file is called), summaries
  (``*.summary.json``), and hidden files, which hold locks, indexes, temporaries and caches;
- other extensions, including upper-case ones such as ``.TXT`` (rename to ``.txt``).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> for name in ("a.txt", "B.TXT", "notes.md", "metadata.jsonl", ".a.lock"):
...     _ = (folder / name).write_text("x")
>>> (folder / "sub").mkdir()
>>> listing = FolderListing(folder)
>>> list(listing.articles())
['a.txt']
>>> print(listing.summary_line())
skipped 5 of 6 entries in ...: .a.lock (hidden, as sitrep's locks, indexes and caches are); B.TXT \
(extension not in lower case: rename to .txt, .jsonl, .html or .htm); metadata.jsonl (metadata, \
applied to the articles); notes.md (not .txt, .jsonl, .html or .htm); sub (a subfolder: not \
searched)
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from schemas.input.metadata import is_metadata_name
from schemas.input.reading import ArticleInputError, open_regular

ARTICLE_SUFFIXES = (".txt", ".jsonl", ".html", ".htm")
SUMMARY_SUFFIX = ".summary.json"
RESULT_RECORD_START = b'{"key":'
_EXAMPLES = 3

HIDDEN = "hidden, as sitrep's locks, indexes and caches are"
SUBFOLDER = "a subfolder: not searched"
METADATA = "metadata, applied to the articles"
OUTPUT = "sitrep output"
THE_OUT_FILE = "the --out file"
UPPER_CASE = "extension not in lower case: rename to .txt, .jsonl, .html or .htm"
OTHER = "not .txt, .jsonl, .html or .htm"


def is_results_file(path: str | Path) -> bool:
    """Whether ``path`` is a sitrep results file: its first line is a result record. Reads at
    most 4 KB; a file that cannot be read is not one."""
    try:
        with open_regular(path) as fh:
            head = fh.read(4096)
    except ArticleInputError:
        return False
    first = head.split(b"\n", 1)[0]
    return first.startswith(RESULT_RECORD_START) and b'"run_key":' in head and b'"status":' in head


def file_identity(path: str | Path) -> tuple[int, int] | None:
    """(device, inode) of what ``path`` names, following links; None when it does not exist."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class FolderListing:
    """The article files of ``folder``, streamed in name order, and what was left out."""

    def __init__(self, folder: Path, *, exclude: Sequence[Path] = ()) -> None:
        self.folder = folder
        self.exclude = exclude
        self.entries = 0
        self.skipped: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}

    def _skip(self, reason: str, name: str) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + 1
        examples = self.skipped.setdefault(reason, [])
        if len(examples) < _EXAMPLES:
            examples.append(name)

    def _reason(self, name: str, excluded: set[tuple[int, int]]) -> str | None:
        path = self.folder / name
        if name.startswith("."):
            return HIDDEN
        try:
            st = os.stat(path)
        except OSError:
            st = None  # a dangling link or a loop: read as an article, to report it
        if st is not None and stat.S_ISDIR(st.st_mode):
            return SUBFOLDER
        if is_metadata_name(name):
            return METADATA
        if st is not None and (st.st_dev, st.st_ino) in excluded:
            return THE_OUT_FILE
        if name.endswith(SUMMARY_SUFFIX):
            return OUTPUT
        suffix = os.path.splitext(name)[1]
        if suffix not in ARTICLE_SUFFIXES:
            return UPPER_CASE if suffix.lower() in ARTICLE_SUFFIXES else OTHER
        if suffix == ".jsonl" and is_results_file(path):
            return OUTPUT
        return None

    def articles(self) -> Iterator[str]:
        """The names of the article files, in code-point order."""
        from schemas.loaders import sorted_names

        excluded = {i for i in map(file_identity, self.exclude) if i is not None}
        for name in sorted_names(self.folder, ("",)):
            self.entries += 1
            reason = self._reason(name, excluded)
            if reason is None:
                yield name
            else:
                self._skip(reason, name)

    def summary_line(self) -> str | None:
        """One line saying which entries were left out and why; None when none were."""
        if not self.counts:
            return None
        groups: list[tuple[str, str]] = []
        for reason, names in self.skipped.items():
            more = self.counts[reason] - len(names)
            shown = ", ".join(names) + (f" and {more:,} more" if more else "")
            groups.append((names[0], f"{shown} ({reason})"))
        total = sum(self.counts.values())
        listed = "; ".join(g for _, g in sorted(groups))
        return f"skipped {total:,} of {self.entries:,} entries in {self.folder}: {listed}"
