"""The baseline's phrase lists (``extraction/baseline/data/*.json``): the shipped files load, a
malformed one is refused with the file and the field named, and the word lists moved out of the
casualty rules still decide what those rules read. Test sentences are invented (synthetic)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from extraction.baseline.events.casualties import find_casualties
from extraction.baseline.events.casualty_clauses import find_clause_casualties
from extraction.baseline.mentions.mentions import find_mentions
from extraction.baseline.mentions.person_names import find_names
from extraction.baseline.mentions.world_places import find_world_places
from extraction.baseline.text.lexicon import (
    BaselineDataError,
    CasualtiesData,
    EventsData,
    StatementsData,
    VictimsData,
    casualties_data,
    load_data,
    victims_data,
)
from extraction.baseline.text.sentences import read_document
from schemas.vocab import CasualtyGroup, CasualtyKind

DATA = Path(__file__).parents[1] / "extraction" / "baseline" / "data"


def test_shipped_lists_load_with_the_casualty_and_victim_words() -> None:
    words = casualties_data().clause_words
    assert "nobody" in words.non_subjects
    assert "wounded" in words.injured_verbs
    assert "him" in words.not_a_name
    figures = casualties_data().figure_words
    assert "citizens" in figures.citizen_nouns
    assert "percent" in figures.not_counted.units
    assert victims_data().before_name and victims_data().stop_words


def _edit(raw: dict[str, Any], path: str, value: object) -> None:
    *parents, last = path.split(".")
    for key in parents:
        raw = raw[key]
    if value is None:
        del raw[last]
    else:
        raw[last] = value


@pytest.mark.parametrize(
    ("name", "model", "path", "value", "message"),
    [
        (
            "casualties.json",
            CasualtiesData,
            "clause_words.not_a_name",
            ["(unclosed"],
            r"casualties.json: field 'clause_words.not_a_name'.*not a valid regular expression",
        ),
        (
            "casualties.json",
            CasualtiesData,
            "clause_words.non_subjects",
            ["Nobody"],
            r"casualties.json: field 'clause_words.non_subjects'.*'Nobody'.*lower case",
        ),
        (
            "casualties.json",
            CasualtiesData,
            "figure_words.not_counted.units",
            ["km["],
            r"casualties.json: field 'figure_words.not_counted.units'.*'km\['",
        ),
        (
            "casualties.json",
            CasualtiesData,
            "figure_words.citizen_nouns",
            "citizens",
            r"casualties.json: field 'figure_words.citizen_nouns'",
        ),
        (
            "casualties.json",
            CasualtiesData,
            "clause_words.not_a_second",
            [],
            r"casualties.json: field 'clause_words.not_a_second'.*empty",
        ),
        (
            "casualties.json",
            CasualtiesData,
            "clause_words",
            None,
            r"casualties.json: field 'clause_words': Field required",
        ),
        (
            "victims.json",
            VictimsData,
            "after_name",
            ["was (shot"],
            r"victims.json: field 'after_name'.*not a valid regular expression",
        ),
        (
            "statements.json",
            StatementsData,
            "honorifics",
            ["Mr\\.", "dr\\."],
            r"statements.json: field 'honorifics'.*'dr\\\\.' must start with a capital letter",
        ),
        (
            "statements.json",
            StatementsData,
            "spokesperson_roles",
            ["Spokesman"],
            r"statements.json: field 'spokesperson_roles'.*lower case",
        ),
        (
            "events.json",
            EventsData,
            "name_particles",
            ["de", "De la"],
            r"events.json: field 'name_particles'.*'De la'.*lower case",
        ),
    ],
)
def test_a_malformed_list_names_its_file_and_field(
    tmp_path: Path, name: str, model: type[BaseModel], path: str, value: object, message: str
) -> None:
    raw = json.loads((DATA / name).read_text(encoding="utf-8"))
    _edit(raw, path, value)
    (tmp_path / name).write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(BaselineDataError, match=message):
        load_data(name, model, folder=tmp_path)


def _clause(text: str) -> list[tuple[str, int | None, str]]:
    return [
        (f.kind.value, f.quantity.best, text[f.start : f.end]) for f in find_clause_casualties(text)
    ]


def test_clause_words_decide_the_clause_shapes() -> None:
    assert _clause("Nobody died in the blast.") == []  # non_subjects
    assert _clause("Ruiz died on Monday.") == [("killed", 1, "Ruiz died")]
    assert _clause("A guard was wounded in the attack.") == [  # injured_verbs
        ("injured", 1, "was wounded")
    ]
    assert _clause("GUERRILLAS KILLED HIM YESTERDAY.") == []  # not_a_name: no name "HIM ..."
    text = "THE KILLING OF ANA RUIZ AND MANY OTHERS."  # not_a_second: no second name "MANY ..."
    assert _clause(text) == [("killed", 1, "KILLING OF ANA RUIZ")]


def test_figure_words_decide_the_common_shapes() -> None:
    text = "Two French citizens were killed in the raid."  # citizen_nouns
    groups = [(f.kind, f.group, f.quantity.best) for f in find_casualties(text)]
    assert groups == [(CasualtyKind.KILLED, CasualtyGroup.FOREIGN_NATIONALS, 2)]
    assert find_casualties("Three soldiers were killed and wounded.") == []  # lumped_injured


def test_titles_and_place_name_particles_come_from_the_data() -> None:
    doc = read_document("Dame Elena Brandt and Mr. Tomas Vidal said it.")
    names = [(n, t) for _, _, n, t in find_names(doc, find_mentions(doc), 0, len(doc.text))]
    assert names == [("Dame Elena Brandt", "Dame"), ("Tomas Vidal", "Mr.")]  # titles_in_name
    doc = read_document("Gunmen attacked a market in Santa Cruz de la Sierra on Monday.")
    found = [doc.text[s:e] for s, e, _ in find_world_places(doc, [], None)]
    assert found == ["Santa Cruz de la Sierra"]  # name_particles
