"""Versioned prompt templates, kept as files beside this module and hashed wherever used.

A template is a markdown file ``prompts/<id>.md`` split into named sections by marker lines
``<!-- section: NAME -->``; text before the first marker is a note for maintainers and is never
sent. The hash covers the whole file, so any edit changes it.

>>> p = load_prompt("extract_v1")
>>> p.id, p.hash.startswith("sha256:")
('extract_v1', True)
>>> p.fill("date_known", date="2022-11-14", source="metadata")
"2022-11-14 (from the article's metadata)"
>>> p.fill("date_known", date="2022-11-14")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
prompts.PromptError: prompts/extract_v1.md, section 'date_known': needs {date}, {source}; ...
"""

from __future__ import annotations

import functools
import hashlib
import re
import string
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

_SECTION = re.compile(r"^<!-- section: ([a-z][a-z0-9_]*) -->$", re.MULTILINE)


class PromptError(KeyError):
    """A prompt template that is missing, lacks a section, or is filled with the wrong fields."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    text: str

    @property
    def hash(self) -> str:
        return _digest(self.text)

    @property
    def file(self) -> str:
        return f"prompts/{self.id}.md"

    @property
    def sections(self) -> dict[str, str]:
        """Each section's text, without the blank lines around it."""
        return dict(_sections(self.text))

    def section(self, name: str) -> str:
        sections = _sections(self.text)
        if name not in sections:
            raise PromptError(f"{self.file}: no section {name!r}; sections: {sorted(sections)}")
        return sections[name]

    def fill(self, name: str, **values: str) -> str:
        """Section ``name`` with its ``{field}`` placeholders replaced by ``values``.

        The values are inserted as they are (never parsed as template text); the placeholders and
        the values given must be the same set.
        """
        template = self.section(name)
        wanted = _placeholders(template)
        if wanted != set(values):
            need = ", ".join("{" + f + "}" for f in sorted(wanted)) or "nothing"
            given = ", ".join("{" + f + "}" for f in sorted(values)) or "nothing"
            raise PromptError(f"{self.file}, section {name!r}: needs {need}; given {given}")
        return template.format_map(values)


# Parsed once per template text: a prompt is filled for every article of a batch.


@functools.lru_cache(maxsize=32)
def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@functools.lru_cache(maxsize=32)
def _sections(text: str) -> dict[str, str]:
    marks = list(_SECTION.finditer(text))
    out: dict[str, str] = {}
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        end = nxt.start() if nxt is not None else len(text)
        out[m.group(1)] = text[m.end() : end].strip("\n")
    return out


@functools.lru_cache(maxsize=256)
def _placeholders(template: str) -> frozenset[str]:
    return frozenset(f for _, f, _, _ in string.Formatter().parse(template) if f is not None)


@functools.cache
def _folder() -> Traversable:
    return resources.files(__name__)


_LOADED: dict[str, tuple[tuple[int, int], Prompt]] = {}


def load_prompt(prompt_id: str) -> Prompt:
    """Read ``prompts/<prompt_id>.md``; unknown ids name the templates that exist.

    A template is read again only when its file changes (size or modification time): a batch
    builds the messages of every article from it."""
    folder = _folder()
    entry = folder / f"{prompt_id}.md"
    if not entry.is_file():
        known = sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".md"))
        raise PromptError(f"no prompt template {prompt_id!r}; known: {known}")
    stamp = None
    if isinstance(entry, Path):
        st = entry.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        cached = _LOADED.get(prompt_id)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    prompt = Prompt(prompt_id, entry.read_text(encoding="utf-8"))
    if stamp is not None:
        _LOADED[prompt_id] = (stamp, prompt)
    return prompt
