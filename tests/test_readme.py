"""The README is tested: its Python examples run as doctests, its test command is the one CI
runs, and every ``sitrep`` command and option it shows exists."""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SUBCOMMANDS = {
    "extract",
    "schema",
    "eval",
    "rescore",
    "diff",
    "label",
    "review",
    "agree",
    "adjudicate",
    "store",
}
SUBCOMMANDS |= {"add", "remove", "runs", "list", "show", "split", "export", "score"}  # store's


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_python_examples_run_as_doctests(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SITREP_MODEL", "SITREP_BASE_URL", "SITREP_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    blocks = _blocks("pycon")
    assert len(blocks) >= 2
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, {}, f"README.md pycon block {i + 1}", "README.md", 0)
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.attempted >= 10
    assert results.failed == 0


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install_and_test = 'pip install -e ".[test,browser]" && python -m pytest -q'
    assert install_and_test in README
    assert install_and_test in ci
    assert "pip install . && sitrep eval" in README


def _sitrep_lines() -> list[list[str]]:
    lines: list[list[str]] = []
    for block in _blocks("sh"):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            code = line.split("#", 1)[0].strip()
            if "sitrep " not in code:
                continue
            words = shlex.split(code[code.index("sitrep ") :])
            lines.append(words[1:])
    return lines


def test_every_sitrep_command_and_option_in_the_readme_exists() -> None:
    runner = CliRunner()
    lines = _sitrep_lines()
    assert len(lines) >= 15
    for words in lines:
        path = []
        for w in words:
            if w in SUBCOMMANDS:
                path.append(w)
            elif not w.startswith("-"):
                break
        assert path, words
        shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
        assert shown.exit_code == 0, (path, shown.output)
        for option in (w.split("=")[0] for w in words if w.startswith("--")):
            assert option in shown.output, f"sitrep {' '.join(path)} has no option {option}"
