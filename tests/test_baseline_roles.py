"""Named victims of the rule-based baseline (``extraction.baseline.events.victims``).

Every sentence here is SYNTHETIC: invented names and places, written for these tests.
"""

from __future__ import annotations

import pytest

from extraction.baseline import extract_baseline
from extraction.baseline.events.victims import named_victims
from schemas.article import Article
from schemas.vocab import ActorCategory


def _names(text: str) -> list[str]:
    return [text[s:e] for s, e in named_victims(text, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # synthetic: a cue noun, then title words, then the name
        ("They condemned the murder of Senator Ramiro Quintal Osuna.", ["Ramiro Quintal Osuna"]),
        # synthetic: a verb cue and a list of names joined by commas and "and"
        (
            "Gunmen kidnapped engineers Dario Fenol, Ilse Varnholt and Tomas Quiroga.",
            ["Dario Fenol", "Ilse Varnholt", "Tomas Quiroga"],
        ),
        # synthetic: a passive cue after the name, in a text written in capitals
        ("JUDGE OSVALDO TREMIN WAS SHOT DEAD IN VILLA NORTA.", ["OSVALDO TREMIN"]),
        # synthetic: an editor's bracketed insertion between the cue and the name
        ("THE ASSASSINATION OF [RETIRED] GENERAL ALBERTO QUESNEL.", ["ALBERTO QUESNEL"]),
        # synthetic: a possessive killing noun after the name
        ("Lidia Marovo's murder shocked the town.", ["Lidia Marovo"]),
    ],
)
def test_named_victims_found(text: str, expected: list[str]) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "TROOPS KILLED TWO PEASANTS IN SANTA VERA.",  # synthetic: a count, no name
        "Rebels attacked San Ormeno on Tuesday.",  # synthetic: a place, not a person
        "Police wounded several protesters.",  # synthetic: people, not named
        "Gunmen killed Varga.",  # synthetic: a lone surname is too weak
    ],
)
def test_no_named_victim(text: str) -> None:
    assert _names(text) == []


def test_named_victim_is_a_civilian_target() -> None:
    # synthetic article
    text = (
        "Gunmen assassinated presidential candidate Tomas Aravena Ruiz in Villa Norta on Monday, "
        "police said."
    )
    x = extract_baseline(Article(id="synthetic-victim", text=text))
    targets = [t for e in x.events for t in e.targets]
    person = [t for t in targets if t.name == "Tomas Aravena Ruiz"]
    assert len(person) == 1
    assert person[0].category is ActorCategory.CIVILIANS
    assert person[0].evidence is not None
    assert person[0].evidence.quote == "Tomas Aravena Ruiz"
