"""The bad-input corpus: each case builds its input in a temporary folder and says what
``sitrep extract`` must answer (exit code, a message). Every article text here is SYNTHETIC,
invented for the tests; so are the web pages.

A case's folder always holds ``good.txt``, an article that must still be extracted (the batch
goes on past the bad one), unless the case is a usage error (exit code 2), where nothing may be
done at all.
"""

from __future__ import annotations

import codecs
import json
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

GOOD = "A drone struck a fuel depot near Koya on Monday, officials said.\n"  # synthetic
LIMIT = 200_000

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Drone strike hits depot near Koya | Synthetic Wire</title>
<meta property="og:title" content="Drone strike hits depot near Koya">
<meta property="og:site_name" content="Synthetic Wire">
<meta name="author" content="Jane Testwriter">
<meta property="article:published_time" content="2024-03-12T08:30:00Z">
<script>var claim = "Officials said 900 people were killed in the blast.";</script>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="weather">London 12C Sunny Friday, April 19, 2024</div>
<article><h1>Drone strike hits depot near Koya</h1>
<p>KOYA - A drone struck a fuel depot near Koya on Monday, local officials said.</p>
<p>Two guards were injured in the attack, according to the district mayor.</p>
<p>No group claimed responsibility for the strike on the depot.</p></article>
<footer>Synthetic Wire. LEAVE A REPLY</footer>
<script>document.write("Officials said 900 people were killed in the blast.")</script>
</body></html>"""
"""A SYNTHETIC saved page: its scripts hold a fake casualty claim that must never be extracted."""


@dataclass
class Setup:
    """What a case runs and expects."""

    inputs: list[Path]
    message: str
    code: int = 1
    out: Path | None = None  # default: <tmp>/out/results.jsonl
    overwrite: bool = False
    ok_ids: list[str] = field(default_factory=lambda: ["good"])
    may_change: list[Path] = field(default_factory=list)  # a results file a run may extend


Build = Callable[[Path], Setup]


def folder_with(tmp: Path, name: str, data: bytes) -> Path:
    folder = tmp / "in"
    folder.mkdir(exist_ok=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / name).write_bytes(data)
    return folder


def file_case(name: str, data: bytes, message: str, *, ok: bool = False) -> Build:
    """A folder with ``good.txt`` and one file ``name``; ``ok``: that file is extracted too."""

    def build(tmp: Path) -> Setup:
        folder = folder_with(tmp, name, data)
        ids = ["good"] + ([Path(name).stem] if ok else [])
        return Setup([folder], message, code=0 if ok else 1, ok_ids=ids)

    return build


def jsonl_case(lines: list[bytes], message: str, ok_ids: list[str] | None = None) -> Build:
    body = b"\n".join(lines) + b"\n"
    return file_case("batch.jsonl", body, message) if ok_ids is None else _jsonl_ok(body, ok_ids)


def _jsonl_ok(body: bytes, ok_ids: list[str]) -> Build:
    def build(tmp: Path) -> Setup:
        folder = folder_with(tmp, "batch.jsonl", body)
        return Setup([folder], "", code=0, ok_ids=["good", *ok_ids])

    return build


def line(**obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def special_case(kind: str) -> Build:
    def build(tmp: Path) -> Setup:
        folder = folder_with(tmp, "note.md", b"not an article")
        target = folder / "special.txt"
        if kind == "fifo":
            os.mkfifo(target)
            return Setup([folder], "special.txt: is a FIFO (named pipe), not a regular file")
        if kind == "socket":
            sock = socket.socket(socket.AF_UNIX)
            sock.bind(str(target))
            sock.close()
            return Setup([folder], "special.txt: is a socket, not a regular file")
        if kind == "loop":
            os.symlink(folder / "loop-b.txt", target)
            os.symlink(target, folder / "loop-b.txt")
            return Setup([folder], "special.txt: is a symbolic link loop")
        if kind == "dangling":
            os.symlink(tmp / "gone.txt", target)
            return Setup([folder], "special.txt: does not exist (or is a symbolic link to nothing)")
        device = Path("/dev/zero" if kind == "zero" else "/dev/null")
        return Setup([folder / "good.txt", device], f"{device}: is a character device")

    return build


def named_case(name: str, expected_id: str) -> Build:
    def build(tmp: Path) -> Setup:
        folder = folder_with(tmp, name, GOOD.encode())
        return Setup([folder], "", code=0, ok_ids=["good", expected_id])

    return build


def encoded_case(codec: str, bom: bytes) -> Build:
    return file_case(f"enc-{codec}.txt", bom + GOOD.encode(codec), "", ok=True)


INPUT_CASES: dict[str, Build] = {
    "empty file": file_case("empty.txt", b"", "empty.txt: the file is empty"),
    "white space only": file_case("blank.txt", b" \n\t\n", "blank.txt: the file is empty"),
    "binary with NUL": file_case("bin.txt", b"PK\x03\x04\x00\x00zip", "bin.txt: looks binary"),
    "binary control bytes": file_case("ctl.txt", b"\x01\x02\x03\x9d\x81", "ctl.txt: looks binary"),
    "Windows-1252": file_case(
        "cp.txt", "Café bombed on Monday.".encode("cp1252"), "iconv -f WINDOWS-1252 -t UTF-8"
    ),
    "not UTF-8": file_case("bad.txt", b"\x81\x8d\x8f bombing", "bad.txt: is not valid UTF-8"),
    "UTF-8 BOM": encoded_case("utf-8", codecs.BOM_UTF8),
    "UTF-16 LE BOM": encoded_case("utf-16-le", codecs.BOM_UTF16_LE),
    "UTF-16 BE BOM": encoded_case("utf-16-be", codecs.BOM_UTF16_BE),
    "UTF-32 LE BOM": encoded_case("utf-32-le", codecs.BOM_UTF32_LE),
    "UTF-32 BE BOM": encoded_case("utf-32-be", codecs.BOM_UTF32_BE),
    "torn UTF-16": file_case("odd.txt", b"\xff\xfeA\x00B", "odd.txt: is not valid UTF-16"),
    "over the limit": file_case(
        "long.txt", b"x" * (LIMIT + 1), "long.txt: is longer than the limit of 200,000 characters"
    ),
    "FIFO": special_case("fifo"),
    "socket": special_case("socket"),
    "symlink loop": special_case("loop"),
    "dangling symlink": special_case("dangling"),
    "/dev/zero": special_case("zero"),
    "/dev/null": special_case("null"),
    "space and accent": named_case("report é.txt", "report é"),
    "CJK name": named_case("東京.txt", "東京"),
    "trailing hyphen": named_case("strikes-action-while-.txt", "strikes-action-while-"),
    "brackets in name": named_case("my article (1).txt", "my article -1-"),
    "broken JSONL": jsonl_case([b"{not json"], "batch.jsonl:1: is not valid JSON"),
    "unterminated string": jsonl_case(
        [b'{"id": "u", "text": "open'], "(Unterminated string starting at: column 21)"
    ),
    "JSON array line": jsonl_case([b"[1, 2]"], "batch.jsonl:1: expected a JSON object"),
    "number id": jsonl_case([line(id=5, text=GOOD)], "batch.jsonl:1: field 'id'"),
    "path id": jsonl_case([line(id="../x", text=GOOD)], "batch.jsonl:1: field 'id'"),
    "duplicate id": jsonl_case(
        [line(id="j1", text=GOOD), line(id="j1", text=GOOD)],
        "duplicate article id 'j1' (first seen at",
    ),
    "no text": jsonl_case([line(id="nt")], "batch.jsonl:1: field 'text'"),
    "empty text": jsonl_case([line(id="et", text="  ")], "batch.jsonl:1: field 'text': is empty"),
    "huge line": jsonl_case(
        [b'{"id": "big", "text": "' + b"x" * (9 << 20) + b'"}', line(id="after", text=GOOD)],
        "batch.jsonl:1: is longer than the limit of 8,388,608 bytes",
    ),
    "UTF-16 JSONL": file_case(
        "w.jsonl", line(id="w", text=GOOD).decode().encode("utf-16"), "is UTF-16 or UTF-32"
    ),
    "JSONL with BOM": jsonl_case([codecs.BOM_UTF8 + line(id="bom", text=GOOD)], "", ["bom"]),
    "Unicode ids in JSONL": jsonl_case([line(id="東京 1", text=GOOD)], "", ["東京 1"]),
    "html field": jsonl_case([line(id="pg", html=PAGE)], "", ["pg"]),
    "html and text": jsonl_case(
        [line(id="both", html=PAGE, text=GOOD)], "field 'html': give either text or html"
    ),
    "HTML page": file_case("koya.html", PAGE.encode(), "", ok=True),
    "HTML without main text": file_case(
        "empty.html",
        b"<html><head><script>x=1</script></head><body></body></html>",
        "empty.html: has no main text",
    ),
    "HTML binary": file_case("b.htm", b"\x00\x01<html>", "b.htm: looks binary"),
    "HTML too dense to parse": file_case(
        "dense.html",
        b"<html><body>" + b"<p>Rockets hit Erbil.</p>" * 90_000 + b"</body></html>",
        "dense.html: has 2,250,026 bytes of markup and text outside its scripts and styles",
    ),
    "bad .meta.json date": lambda tmp: _meta_case(tmp),
    "bad metadata.jsonl line": lambda tmp: _metadata_line_case(tmp),
}


def _meta_case(tmp: Path) -> Setup:
    folder = folder_with(tmp, "dated.txt", GOOD.encode())
    (folder / "dated.meta.json").write_text('{"publication_date": "yesterday"}')
    return Setup([folder], "dated.meta.json: field 'publication_date'")


def _metadata_line_case(tmp: Path) -> Setup:
    folder = folder_with(tmp, "x.txt", GOOD.encode())
    (folder / "metadata.jsonl").write_text('{"id": "x", "outlet": "Synthetic"}\n[]\n')
    return Setup([folder], "metadata.jsonl:2: expected a JSON object", ok_ids=["good", "x"])
