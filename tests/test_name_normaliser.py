"""One name normaliser serves the baseline, the scorer and the labelling tool, and its forms."""

from __future__ import annotations

import pytest

import evals.names
import extraction.baseline.mentions.mentions
import gazetteer
from evals.names import names_match
from gazetteer.normalise import normalise_name


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Iran's", "iran"),
        ("Iran’s", "iran"),
        ("U.S.", "us"),
        ("US", "us"),
        ("KDP-I", "kdp i"),
        ("The Islamic State", "islamic state"),
        ("Sulaymānīyah", "sulaymaniyah"),
        (
            "Foreign, Commonwealth & Development Office",
            "foreign commonwealth and development office",
        ),
    ],
)
def test_decided_forms(name: str, key: str) -> None:
    assert normalise_name(name) == key


def test_every_user_holds_the_same_function() -> None:
    assert evals.names.normalise_name is normalise_name
    assert gazetteer.normalise_name is normalise_name
    assert extraction.baseline.mentions.mentions.normalise_name is normalise_name


def test_scorer_matches_possessives_and_dotted_acronyms() -> None:
    assert names_match("Iran's", "Iran", "actor")
    assert names_match("U.S.", "US", "actor")
    assert not names_match("U.S.", "UK", "actor")
