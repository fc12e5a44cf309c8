"""The MUC-3/4 answer-key format: templates of 25 numbered slots, and the fillers inside a slot.

A key file holds one template per incident (and one empty template, every slot ``*``, for a
message with no relevant incident). A slot line is ``NN. LABEL<spaces>VALUE``; a line that starts
with spaces continues the slot above with another filler; ``;`` starts a comment. A filler is

- ``*`` (slot not applicable) or ``-`` (no value);
- a string fill ``"MORTAR"``, with alternatives for the same entity ``"FMLN" / "FARABUNDO ..."``;
- a set fill ``ATTACK``, or ``ACCOMPLISHED / ATTEMPTED`` (alternatives);
- a cross-reference ``DEATH: "CIVILIAN"`` (a set fill or number about the entity on the right);
- any of these after ``?`` (an optional filler).

>>> f = parse_filler('? REPORTED AS FACT: "URNG" / "GUATEMALAN NATIONAL REVOLUTIONARY UNITY"')
>>> f.optional, f.left, f.strings
(True, ('REPORTED AS FACT',), ('URNG', 'GUATEMALAN NATIONAL REVOLUTIONARY UNITY'))
>>> parse_filler('"PRESIDENT": "CEREZO"').left_strings
('PRESIDENT',)
>>> parse_filler('"\\\\"SANTO TOMAS\\\\" PRESIDENTIAL FARM"').strings
('"SANTO TOMAS" PRESIDENTIAL FARM',)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SLOTS = (
    "MESSAGE: ID",
    "MESSAGE: TEMPLATE",
    "INCIDENT: DATE",
    "INCIDENT: LOCATION",
    "INCIDENT: TYPE",
    "INCIDENT: STAGE OF EXECUTION",
    "INCIDENT: INSTRUMENT ID",
    "INCIDENT: INSTRUMENT TYPE",
    "PERP: INCIDENT CATEGORY",
    "PERP: INDIVIDUAL ID",
    "PERP: ORGANIZATION ID",
    "PERP: ORGANIZATION CONFIDENCE",
    "PHYS TGT: ID",
    "PHYS TGT: TYPE",
    "PHYS TGT: NUMBER",
    "PHYS TGT: FOREIGN NATION",
    "PHYS TGT: EFFECT OF INCIDENT",
    "PHYS TGT: TOTAL NUMBER",
    "HUM TGT: NAME",
    "HUM TGT: DESCRIPTION",
    "HUM TGT: TYPE",
    "HUM TGT: NUMBER",
    "HUM TGT: FOREIGN NATION",
    "HUM TGT: EFFECT OF INCIDENT",
    "HUM TGT: TOTAL NUMBER",
)
"""The slot labels of a MUC-4 template, by slot number."""

_SLOT_LINE = re.compile(r"^(\d+)\.\s+(.*)$")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


class KeyFormatError(ValueError):
    """A key file that does not follow the format; the message names the file and line."""


@dataclass(frozen=True)
class Filler:
    """One filler of a slot: set-fill words on the left of a cross-reference (or alone), the
    string alternatives of one entity, and whether the filler is optional (``?``)."""

    left: tuple[str, ...] = ()
    left_strings: tuple[str, ...] = ()
    strings: tuple[str, ...] = ()
    optional: bool = False


@dataclass
class Template:
    """One template of a key file: its slots' fillers by slot number, and where it starts."""

    path: Path
    line: int
    slots: dict[int, list[Filler]] = field(default_factory=dict)
    raw: dict[int, list[str]] = field(default_factory=dict)

    @property
    def message_id(self) -> str:
        """``DEV-MUC3-0001`` (the annotating site in brackets is dropped)."""
        values = self.raw.get(0, [])
        return values[0].split()[0] if values and values[0].split() else ""

    @property
    def empty(self) -> bool:
        """A message with no relevant incident: its template number is ``*``."""
        return self.raw.get(1, ["*"])[0].strip() in ("*", "")

    @property
    def optional(self) -> bool:
        """The whole template is optional (``1 (OPTIONAL)``)."""
        return "OPTIONAL" in self.raw.get(1, [""])[0].upper()

    def fillers(self, slot: int) -> list[Filler]:
        return self.slots.get(slot, [])

    def words(self, slot: int) -> list[str]:
        """The set-fill alternatives of a slot's first filler (``ATTACK``, ``ACCOMPLISHED``)."""
        fillers = self.fillers(slot)
        return list(fillers[0].left) if fillers else []


def _split_alternatives(text: str) -> tuple[str, ...]:
    parts = [p.strip() for p in text.split("/")]
    return tuple(p for p in parts if p and p not in ("-", "*"))


def _colon(body: str) -> int:
    """Position of the cross-reference colon (outside quotes), or -1."""
    quoted = False
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return i
        i += 1
    return -1


def _strings(text: str) -> tuple[str, ...]:
    found = (m.group(1).replace('\\"', '"').strip() for m in _STRING.finditer(text))
    return tuple(s for s in found if s)


def parse_filler(text: str) -> Filler:
    """One filler (see the module docstring). In a cross-reference ``LEFT: RIGHT`` the left
    side's words go to ``left`` (strings there to ``left_strings``), the right side's strings to
    ``strings``; without a colon, quoted strings go to ``strings`` and bare words to ``left``."""
    body = text.strip()
    optional = body.startswith("?")
    if optional:
        body = body[1:].strip()
    colon = _colon(body)
    lhs, rhs = (body[:colon], body[colon + 1 :]) if colon >= 0 else (body, "")
    if colon < 0 and '"' in body:
        lhs, rhs = "", body
    return Filler(
        left=_split_alternatives(_STRING.sub("", lhs)),
        left_strings=_strings(lhs),
        strings=_strings(rhs),
        optional=optional,
    )


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFormatError(f"{path}: cannot be read ({exc})") from None
    text = data.decode("latin-1")
    yield from enumerate(text.splitlines(), start=1)


def read_key_file(path: str | Path) -> list[Template]:
    """Every template of a key file, in order. A line that is neither a slot, a continuation,
    a comment nor blank is an error naming the file and line."""
    p = Path(path)
    templates: list[Template] = []
    current: Template | None = None
    slot: int | None = None
    for lineno, line in _lines(p):
        stripped = line.strip()
        if not stripped or stripped.startswith(";"):
            if not stripped:
                slot = None
            continue
        m = _SLOT_LINE.match(stripped) if not line[:1].isspace() else None
        if m is None:
            if current is None or slot is None:
                raise KeyFormatError(
                    f"{p}:{lineno}: expected a slot line 'NN. LABEL  VALUE' (got {stripped[:60]!r})"
                )
            value = stripped
        else:
            number, rest = int(m.group(1)), m.group(2)
            if number >= len(SLOTS) or not rest.upper().startswith(SLOTS[number]):
                expected = SLOTS[number] if number < len(SLOTS) else f"0-{len(SLOTS) - 1}"
                raise KeyFormatError(
                    f"{p}:{lineno}: slot {number} should be {expected!r} (got {rest[:40]!r})"
                )
            if number == 0:
                current = Template(path=p, line=lineno)
                templates.append(current)
            elif current is None:
                raise KeyFormatError(f"{p}:{lineno}: slot {number} before '0.  MESSAGE: ID'")
            slot = number
            value = rest[len(SLOTS[number]) :].strip()
        assert current is not None and slot is not None
        current.raw.setdefault(slot, []).append(value)
        if value not in ("*", "-", ""):
            current.slots.setdefault(slot, []).append(parse_filler(value))
    for t in templates:
        if not t.message_id:
            raise KeyFormatError(f"{p}:{t.line}: template without a message id")
    return templates
