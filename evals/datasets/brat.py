"""brat standoff (``.ann``) files: text-bound annotations and the events that link them.

``T3<TAB>Content 22 51;60 70<TAB>words`` is a text-bound annotation (type, one or more
``start end`` fragments, the covered text); ``E1<TAB>Attribution:T4 Content:T3 Source:T1`` an event
(its trigger, then role:annotation pairs). Other lines (attributes, relations, notes) are read
past. Offsets index the article text in characters.

>>> doc = parse_ann("T1\\tSource 0 3\\tAna\\nE1\\tAttribution:T1 Source:T1\\n", "x.ann")
>>> doc.spans["T1"].fragments, doc.events[0].roles
(((0, 3),), (('Source', 'T1'),))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from evals.datasets.base import DatasetError

_FRAGMENT = re.compile(r"^(\d+) (\d+)$")


@dataclass(frozen=True)
class Span:
    id: str
    type: str
    fragments: tuple[tuple[int, int], ...]
    line: int

    def text(self, article: str) -> str:
        """The covered text, fragments joined by a space."""
        return " ".join(article[s:e] for s, e in self.fragments)


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    trigger: str
    roles: tuple[tuple[str, str], ...]
    line: int

    def role(self, name: str) -> str | None:
        return next((ref for r, ref in self.roles if r == name), None)


@dataclass
class AnnDocument:
    path: str
    spans: dict[str, Span] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)


def _span(ident: str, body: str, where: str, lineno: int) -> Span:
    kind, _, offsets = body.partition(" ")
    fragments = []
    for part in offsets.split(";"):
        m = _FRAGMENT.match(part.strip())
        if m is None or int(m.group(1)) > int(m.group(2)):
            raise DatasetError(
                f"{where}:{lineno}: annotation {ident}: expected 'TYPE START END[;START END]', "
                f"got {body!r}"
            )
        fragments.append((int(m.group(1)), int(m.group(2))))
    return Span(ident, kind, tuple(fragments), lineno)


def _event(ident: str, body: str, where: str, lineno: int) -> Event:
    pairs = []
    for part in body.split():
        role, sep, ref = part.partition(":")
        if not sep or not ref:
            raise DatasetError(
                f"{where}:{lineno}: event {ident}: expected 'ROLE:ID' pairs, got {part!r}"
            )
        pairs.append((role, ref))
    if not pairs:
        raise DatasetError(f"{where}:{lineno}: event {ident} has no trigger")
    (kind, trigger), roles = pairs[0], tuple(pairs[1:])
    return Event(ident, kind, trigger, roles, lineno)


def parse_ann(text: str, where: str) -> AnnDocument:
    """The annotations of one ``.ann`` text; errors name ``where`` and the line. An event that
    names an annotation the file does not define is an error."""
    doc = AnnDocument(where)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        body = rest.split("\t", 1)[0]
        if ident.startswith("T"):
            doc.spans[ident] = _span(ident, body, where, lineno)
        elif ident.startswith("E"):
            doc.events.append(_event(ident, body, where, lineno))
        elif ident[:1] not in ("A", "R", "#", "N", "M", "*"):
            raise DatasetError(
                f"{where}:{lineno}: not a brat standoff line (expected T, E, A, R, N or # "
                f"then a tab), got {line[:60]!r}"
            )
    for ev in doc.events:
        for ref in (ev.trigger, *(r for _, r in ev.roles)):
            if ref not in doc.spans and not ref.startswith("E"):
                raise DatasetError(f"{where}:{ev.line}: event {ev.id} names {ref}, not defined")
    return doc


def read_ann(path: Path, article_length: int) -> AnnDocument:
    """An ``.ann`` file, with every span checked to lie inside the article."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: cannot be read as UTF-8 ({exc})") from None
    doc = parse_ann(text, str(path))
    for span in doc.spans.values():
        end = max(e for _, e in span.fragments)
        if end > article_length:
            raise DatasetError(
                f"{path}:{span.line}: annotation {span.id} ends at {end}, past the end of the "
                f"article text ({article_length} characters): is it the right text file?"
            )
    return doc
