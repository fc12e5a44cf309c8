"""Reading input bytes safely: regular files only, never more than a limit needs, any common
encoding recognised.

- Only regular files are read. A FIFO, device or socket is refused from its ``stat`` without being
  opened, and the file is opened non-blocking and checked again, so nothing can make a read hang.
- Text is decoded as it is read and reading stops one character past the limit: a 1 GB file
  costs the limit, not a gigabyte.
- A byte-order mark selects UTF-8, UTF-16 or UTF-32; otherwise the text must be UTF-8. Text that
  is not, but reads as Windows-1252, is named as such with the command that converts it.

>>> decode_text("Ka\\u00eflan".encode("utf-16"), "a.txt")
'Kaïlan'
>>> decode_text("caf\\u00e9 bombing".encode("cp1252"), "a.txt")
Traceback (most recent call last):
...
schemas.input.reading.ArticleInputError: a.txt: is not UTF-8 but looks like Windows-1252 (byte 3: \
b'\\xe9'); convert it with: iconv -f WINDOWS-1252 -t UTF-8 a.txt > a.utf8.txt
"""

from __future__ import annotations

import codecs
import errno
import os
import shlex
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

MAX_CHARS = 200_000
"""Longest article accepted, in characters (about 50k tokens); longer input is refused, not cut."""

MAX_LINE_BYTES = 8 * 1024 * 1024
"""Longest JSONL line read (an article at the limit, JSON-escaped, or an HTML page fits)."""

MAX_PAGE_BYTES = 8 * 1024 * 1024
"""Largest HTML page read; its extracted text is then held to :data:`MAX_CHARS`."""

CHUNK = 64 * 1024

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_CONTROL = frozenset(bytes(range(32))) - frozenset(b"\t\n\r\f\v")


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


def special_kind(mode: int) -> str | None:
    """What a non-regular file is ('a FIFO (named pipe)', ...); None for a regular file."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def os_reason(exc: OSError) -> str:
    """A short reason for an error from the file system."""
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "does not exist (or is a symbolic link to nothing)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied)"
    return f"cannot be read ({exc.strerror or exc})"


def open_regular(path: str | Path) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file, else raise :class:`ArticleInputError`.

    The type is checked before opening, so a FIFO or device is never opened, and again on the
    open descriptor (opened non-blocking), so a file swapped in between cannot block a read."""
    try:
        kind = special_kind(os.stat(path).st_mode)
        if kind is not None:
            raise ArticleInputError(path, f"is {kind}, not a regular file; sitrep reads only files")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise ArticleInputError(path, os_reason(exc)) from None
    kind = special_kind(os.fstat(fd).st_mode)
    if kind is not None:
        os.close(fd)
        raise ArticleInputError(path, f"is {kind}, not a regular file; sitrep reads only files")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_bounded(path: str | Path, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of a regular file; a larger file is refused after reading one more."""
    with open_regular(path) as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ArticleInputError(path, f"is larger than the limit of {max_bytes:,} bytes")
    return data


def _converted_name(path: str) -> str:
    p = Path(path)
    return str(p.with_name(p.stem + ".utf8" + p.suffix)) if p.suffix else path + ".utf8"


def _not_utf8(path: str, sample: bytes, index: int, at: int) -> ArticleInputError:
    """The error for bytes that are not UTF-8 (``sample[index]`` is byte ``at`` of the file):
    binary, Windows-1252, or just not UTF-8."""
    head = sample
    byte = sample[index : index + 1]
    if any(b in _CONTROL for b in sample):
        return ArticleInputError(path, f"looks binary (control bytes; byte {at}: {byte!r})")
    try:
        head.decode("cp1252")
    except UnicodeDecodeError:
        return ArticleInputError(path, f"is not valid UTF-8 (byte {at}: {byte!r})")
    quoted = shlex.quote(path)
    return ArticleInputError(
        path,
        f"is not UTF-8 but looks like Windows-1252 (byte {at}: {byte!r}); convert it with: "
        f"iconv -f WINDOWS-1252 -t UTF-8 {quoted} > {shlex.quote(_converted_name(path))}",
    )


def decode_chunks(chunks: Iterable[bytes], path: str | Path, *, max_chars: int = MAX_CHARS) -> str:
    """Decode a stream of bytes as article text, stopping one character past ``max_chars``.

    Refuses binary, undecodable, empty or oversized input with an :class:`ArticleInputError`."""
    where = str(path)
    it = iter(chunks)
    first = next(it, b"")
    while len(first) < 4:  # enough to see any byte-order mark
        more = next(it, b"")
        if not more:
            break
        first += more
    codec, named = "utf-8", None
    for bom, name, label in _BOMS:
        if first.startswith(bom):
            codec, named, first = name, label, first[len(bom) :]
            break
    decoder = codecs.getincrementaldecoder(codec)()
    parts: list[str] = []
    count = offset = 0
    head = b""
    for chunk in _chain(first, it):
        if named is None and b"\x00" in chunk:
            raise ArticleInputError(where, "looks binary (contains NUL bytes); expected text")
        if len(head) < CHUNK:
            head += chunk[: CHUNK - len(head)]
        try:
            piece = decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            if named is not None:
                reason = f"is not valid {named} (byte {offset + exc.start})"
                raise ArticleInputError(where, reason) from None
            at = max(offset + exc.start, 0)
            if at < len(head):
                raise _not_utf8(where, head, at, at) from None
            raise _not_utf8(where, chunk, max(exc.start, 0), at) from None
        offset += len(chunk)
        parts.append(piece)
        count += len(piece)
        if count > max_chars:
            raise ArticleInputError(
                where, f"is longer than the limit of {max_chars:,} characters (reading stopped)"
            )
    try:
        parts.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        reason = f"is not valid {named or 'UTF-8'} (it ends in the middle of a character)"
        raise ArticleInputError(where, reason) from None
    text = "".join(parts)
    if len(text) > max_chars:
        raise ArticleInputError(where, f"is longer than the limit of {max_chars:,} characters")
    if not text.strip():
        raise ArticleInputError(where, "the file is empty (no text after stripping white space)")
    return text


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def decode_text(data: bytes, path: str | Path, *, max_chars: int = MAX_CHARS) -> str:
    """Decode article bytes (see :func:`decode_chunks`)."""
    return decode_chunks(
        (data[i : i + CHUNK] for i in range(0, len(data), CHUNK)), path, max_chars=max_chars
    )


def read_text(path: str | Path, *, max_chars: int = MAX_CHARS) -> str:
    """The text of a regular file, read a chunk at a time up to one character past the limit."""
    with open_regular(path) as fh:
        return decode_chunks(iter(lambda: fh.read(CHUNK), b""), path, max_chars=max_chars)


def iter_lines_bounded(fh: BinaryIO, max_bytes: int = MAX_LINE_BYTES) -> Iterator[bytes | None]:
    """The lines of ``fh``, each with its newline; ``None`` for a line longer than ``max_bytes``,
    whose bytes are skipped a block at a time rather than held."""
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:
                rest = fh.readline(CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
        else:
            yield line
