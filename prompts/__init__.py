"""Versioned prompt templates, kept as files beside this module and hashed wherever used.

>>> p = load_prompt("extract_v1")
>>> p.id, p.hash.startswith("sha256:")
('extract_v1', True)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    text: str

    @property
    def hash(self) -> str:
        return "sha256:" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


def load_prompt(prompt_id: str) -> Prompt:
    """Read ``prompts/<prompt_id>.md``; unknown ids name the templates that exist."""
    folder = resources.files(__name__)
    entry = folder / f"{prompt_id}.md"
    if not entry.is_file():
        known = sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".md"))
        raise KeyError(f"no prompt template {prompt_id!r}; known: {known}")
    return Prompt(prompt_id, entry.read_text(encoding="utf-8"))
