"""MUC-4 reader: key format, texts, the template-to-event mapping, errors naming file and line.

All inputs are the synthetic files of ``tests/fixtures/datasets/muc4`` (or corrupted copies)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from evals.datasets import DatasetError, HeldOutError, load
from evals.datasets.muc4_events import template_event
from evals.datasets.muc_keys import KeyFormatError, Template, parse_filler, read_key_file
from schemas.vocab import CasualtyKind, DatePrecision, Outcome, Qualifier, Standing, SubType

MUC = Path(__file__).parent / "fixtures" / "datasets" / "muc4"
KEY = MUC / "dev" / "key-dev-0001.muc4"


def test_key_file_templates_and_fillers() -> None:
    templates = read_key_file(KEY)
    assert [t.message_id for t in templates] == ["DEV-MUC3-0001", "DEV-MUC3-0002"] + [
        "DEV-MUC3-0003"
    ] * 3
    first = templates[0]
    assert first.line == 2
    assert not first.empty and templates[1].empty
    assert templates[3].optional and not templates[2].optional
    assert first.fillers(10)[0].strings == ("RED DAWN FRONT", "RDF")
    described = first.fillers(19)
    assert described[0].left_strings == ("MAYOR",) and described[0].strings == ("JUAN PEREZ",)
    assert described[1].strings == ("POLICEMEN",)
    assert [f.left for f in first.fillers(23)] == [("INJURY",), ("DEATH",)]


def test_filler_forms() -> None:
    f = parse_filler('? PLURAL: "URBAN GUERRILLAS" / "GUERRILLAS"')
    assert (f.optional, f.left, f.strings) == (
        True,
        ("PLURAL",),
        ("URBAN GUERRILLAS", "GUERRILLAS"),
    )
    assert parse_filler("ACCOMPLISHED / ATTEMPTED").left == ("ACCOMPLISHED", "ATTEMPTED")
    assert parse_filler('"\\"LA ESTRELLA\\" BANK"').strings == ('"LA ESTRELLA" BANK',)


def test_split_as_articles_and_gold() -> None:
    data = load("muc4", MUC, "dev")
    assert data.dataset_id == "muc4/dev"
    assert [a.id for a in data.articles] == ["DEV-MUC3-0001", "DEV-MUC3-0002", "DEV-MUC3-0003"]
    first = data.articles[0]
    assert first.publication_date == dt.date(1991, 3, 12)
    assert first.text.lstrip().startswith("VALDORIA, 12 MAR 91 --")
    assert data.golds["DEV-MUC3-0002"].records.events == []  # empty template: no event
    assert all(data.golds[a.id].article_sha256 == a.sha256 for a in data.articles)


def test_attack_template_mapping() -> None:
    data = load("muc4", MUC, "dev")
    gold = data.golds["DEV-MUC3-0001"]
    (event,) = gold.records.events
    # a civilian official among police targets: an attack, with a clash acceptable
    assert event.sub_type is SubType.ATTACK_ON_CIVILIANS
    assert gold.acceptable["events.E1.sub_type"] == ["armed_clash"]
    assert (event.outcome, event.standing) == (Outcome.COMPLETED, Standing.REPORTED)
    assert (event.date.value, event.date.precision) == (dt.date(1991, 3, 11), DatePrecision.DAY)
    loc = event.location
    assert (loc.country, loc.admin1, loc.place) == ("Valdoria", "Norte", "San Telmo")
    assert [a.name for a in event.perpetrators] == ["GUNMEN", "RED DAWN FRONT"]
    assert gold.acceptable["events.E1.perpetrators.1"] == ["RDF"]
    assert [a.name for a in event.targets] == ["POLICE POST", "JUAN PEREZ", "POLICEMEN"]
    figures = {f.kind: (f.low, f.best, f.high, f.qualifier) for f in event.casualties}
    assert figures == {
        CasualtyKind.KILLED: (3, 3, 3, Qualifier.EXACT),
        CasualtyKind.INJURED: (1, 1, 1, Qualifier.EXACT),
    }
    assert all(e.evidence is None for e in gold.records.events)


def test_bombing_alternatives_dropped_and_threatened_templates() -> None:
    gold = load("muc4", MUC, "dev").golds["DEV-MUC3-0003"]
    bombing, threat = gold.records.events  # the ARSON template gives no event
    assert bombing.sub_type is SubType.REMOTE_EXPLOSIVE
    assert [w.kind.value for w in bombing.weapons] == ["ied"]
    assert gold.acceptable["events.E1.outcome"] == ["attempted"]
    assert gold.acceptable["events.E1.location"] == [
        {"admin1": "Costa", "country": "Valdoria", "precision": "1"}
    ]
    assert (bombing.date.value, bombing.date.precision) == (
        dt.date(1991, 3, 14),
        DatePrecision.MONTH,
    )
    (injured,) = bombing.casualties  # PLURAL passers-by: at least 2
    assert (injured.kind, injured.low, injured.high, injured.qualifier) == (
        CasualtyKind.INJURED,
        2,
        None,
        Qualifier.AT_LEAST,
    )
    assert threat.standing is Standing.THREATENED
    assert threat.sub_type is SubType.ATTACK_ON_CIVILIANS


def test_ree_gold_entities_merge_templates_and_need_the_text() -> None:
    data = load("muc4", MUC, "dev")
    ents = data.role_fillers["DEV-MUC3-0003"]
    assert ents["PerpOrg"] == [{"red dawn front"}]
    assert ents["PerpInd"] == [{"urban guerrillas"}]  # the optional ARSON filler counts
    assert ents["Target"] == [{"la estrella bank", "bank"}, {"bus"}, {"airport"}]
    assert ents["Weapon"] == [{"car bomb"}]
    first = data.role_fillers["DEV-MUC3-0001"]
    assert first["PerpOrg"] == [{"red dawn front"}]  # "RDF" is not in the text
    assert first["Victim"] == [{"juan perez"}]


def test_held_out_splits_are_refused() -> None:
    with pytest.raises(HeldOutError, match="'tst3' is reserved for held-out"):
        load("muc4", MUC, "tst3")
    with pytest.raises(DatasetError, match="no split 'train'"):
        load("muc4", MUC, "train")


def test_missing_split_folder_names_the_paths(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no MUC-4 split folder 'tst1'"):
        load("muc4", MUC, "tst1")


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(MUC, tmp_path / "muc4")
    return tmp_path / "muc4"


def test_malformed_key_line_names_file_and_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    key = root / "dev" / "key-dev-0001.muc4"
    lines = key.read_text().splitlines()
    lines[4] = "4.  INCIDENT: KIND                  ATTACK"  # slot 3 renamed
    key.write_text("\n".join(lines) + "\n")
    with pytest.raises(DatasetError, match=r"key-dev-0001\.muc4:5: slot 4 should be"):
        load("muc4", root, "dev")


def test_stray_text_in_key_names_file_and_line(tmp_path: Path) -> None:
    key = tmp_path / "key-x"
    key.write_text("GARBAGE BEFORE ANY TEMPLATE\n")
    with pytest.raises(KeyFormatError, match=r"key-x:1: expected a slot line"):
        read_key_file(key)


def test_message_without_key_and_key_without_message(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    texts = root / "dev" / "dev-muc3-0001-0003"
    texts.write_text(texts.read_text() + "\nDEV-MUC3-0004 (SYNTHETIC)\n\n   SOME TEXT.\n")
    with pytest.raises(DatasetError, match=r"DEV-MUC3-0004 .* has no template"):
        load("muc4", root, "dev")
    texts.write_text(texts.read_text().split("DEV-MUC3-0003")[0])
    with pytest.raises(
        DatasetError, match=r"key-dev-0001\.muc4:\d+: key for message DEV-MUC3-0003"
    ):
        load("muc4", root, "dev")


def _one_template(tmp_path: Path, slot: int, value: str) -> Template:
    lines = KEY.read_text().splitlines()
    end = lines.index("", 1)
    template = lines[1:end]
    at = next(i for i, ln in enumerate(template) if ln.startswith(f"{slot}."))
    template[at] = template[at][:36] + value
    path = tmp_path / "key-one"
    path.write_text("\n".join(template) + "\n")
    (t,) = read_key_file(path)
    return t


@pytest.mark.parametrize(
    ("value", "places"),
    [
        ("VALDORIA: ALTA (CITY) - BAJA (CITY)", ["Alta", "Baja"]),
        ("(VALDORIA: ALTA (CITY)) / (VALDORIA: BAJA (TOWN))", ["Alta", "Baja"]),
        ("? VALDORIA: ALTA (NEIGHBORHOOD)", ["Alta"]),
    ],
)
def test_location_alternatives(tmp_path: Path, value: str, places: list[str]) -> None:
    mapped = template_event(_one_template(tmp_path, 3, value), "E1")
    assert mapped is not None
    assert mapped.event.location.place == places[0]
    others = mapped.acceptable.get("events.E1.location", [])
    assert [o["place"] for o in others] == places[1:]


@pytest.mark.parametrize(
    ("value", "day", "precision"),
    [
        ("26 DEC 89 - 30 DEC 89", dt.date(1989, 12, 28), DatePrecision.WEEK),
        ("01 DEC 89 - 30 DEC 89", dt.date(1989, 12, 30), DatePrecision.MONTH),
        ("- 08 JAN 90", dt.date(1990, 1, 8), DatePrecision.MONTH),
        ("31 SEP 89", None, DatePrecision.UNRESOLVED),
    ],
)
def test_key_dates(
    tmp_path: Path, value: str, day: dt.date | None, precision: DatePrecision
) -> None:
    mapped = template_event(_one_template(tmp_path, 2, value), "E1")
    assert mapped is not None
    assert (mapped.event.date.value, mapped.event.date.precision) == (day, precision)


def test_text_file_errors_name_file_and_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    texts = root / "dev" / "dev-muc3-0001-0003"
    texts.write_text("A STRAY LINE\n" + texts.read_text())
    with pytest.raises(DatasetError, match=r"dev-muc3-0001-0003:1: text before the first message"):
        load("muc4", root, "dev")
    texts.write_text("DEV-MUC3-0001 (SYNTHETIC)\n\n\nDEV-MUC3-0002 (SYNTHETIC)\n   TEXT.\n")
    with pytest.raises(DatasetError, match=r"dev-muc3-0001-0003:1: message DEV-MUC3-0001 has no"):
        load("muc4", root, "dev")
