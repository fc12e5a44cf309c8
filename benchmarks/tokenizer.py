"""Token counts with tiktoken's ``o200k_base`` (the GPT-4o / GPT-4.1 / GPT-5 tokeniser), offline.

tiktoken downloads its encoding files on first use, which fails without internet. This module
looks for ``o200k_base`` in tiktoken's cache (``$TIKTOKEN_CACHE_DIR``, else
``./.sitrep-cache/tiktoken``) and, when asked (``python -m benchmarks --fetch-tokenizer``), fetches
it from PyPI: the litellm wheel ships the same file under the cache name tiktoken uses, so
``pip download litellm --no-deps`` plus one file taken out of the wheel is enough. The file is
checked against the SHA-256 tiktoken itself expects. With no encoding available, counts fall back
to characters / 4 and every figure says it is approximate.

>>> approximate_tokens("12345678")
2
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ENCODING = "o200k_base"
CACHE_NAME = "fb374d419588a4632f3f557e76b4b70aebbca790"
"""tiktoken's cache file name for o200k_base: the SHA-1 of its download URL."""
SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"
"""What tiktoken checks the file against (``tiktoken_ext/openai_public.py``)."""
WHEEL_PACKAGE = "litellm==1.109.1"
WHEEL_MEMBER = f"litellm/litellm_core_utils/tokenizers/{CACHE_NAME}"
DEFAULT_DIR = Path(".sitrep-cache") / "tiktoken"


def approximate_tokens(text: str) -> int:
    return -(-len(text) // 4)


def cache_dir() -> Path:
    return Path(os.environ.get("TIKTOKEN_CACHE_DIR") or DEFAULT_DIR)


def _valid(path: Path) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == SHA256


def fetch(target_dir: Path | None = None) -> Path:
    """Download the encoding file from PyPI (inside the litellm wheel) into ``target_dir``."""
    target = (target_dir or cache_dir()) / CACHE_NAME
    if _valid(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", WHEEL_PACKAGE, "--no-deps", "-q", "-d", tmp],
            check=True,
        )
        (wheel,) = Path(tmp).glob("litellm-*.whl")
        with zipfile.ZipFile(wheel) as zf:
            data = zf.read(WHEEL_MEMBER)
    if hashlib.sha256(data).hexdigest() != SHA256:
        raise RuntimeError(f"{WHEEL_PACKAGE}: {WHEEL_MEMBER} is not the o200k_base file expected")
    tmp_target = target.with_suffix(".tmp")
    tmp_target.write_bytes(data)
    tmp_target.replace(target)
    return target


def counter() -> tuple[Callable[[str], int], str]:
    """A token counter and what it is: ``"tiktoken o200k_base"`` or the approximation."""
    directory = cache_dir()
    if _valid(directory / CACHE_NAME):
        os.environ["TIKTOKEN_CACHE_DIR"] = str(directory.resolve())
    try:
        import tiktoken

        encoding = tiktoken.get_encoding(ENCODING)
    except Exception:  # no tiktoken, or no encoding file and no network
        return approximate_tokens, "approximate (characters / 4): tiktoken o200k_base unavailable"

    def count(text: str) -> int:
        return len(encoding.encode(text, disallowed_special=()))

    return count, f"tiktoken {ENCODING}"
