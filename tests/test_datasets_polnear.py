"""PolNeAR reader: brat standoff to statements, the annotator rule, errors naming file and line.

Inputs are the synthetic files of ``tests/fixtures/datasets/polnear`` (or corrupted copies)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from evals.datasets import DatasetError, HeldOutError, load
from evals.datasets.brat import parse_ann
from evals.datasets.polnear import direct_quote
from schemas.vocab import TextType

POLNEAR = Path(__file__).parent / "fixtures" / "datasets" / "polnear"
ARTICLE = "synthetic_2026-01-05_council-row-over-bridge-fundi"


def test_attributions_become_statements_with_speaker_and_quote() -> None:
    data = load("polnear", POLNEAR)
    assert data.dataset_id == "polnear/test"
    (article,) = data.articles
    assert article.id == ARTICLE and article.publication_date == dt.date(2026, 1, 5)
    gold = data.golds[ARTICLE]
    assert gold.provenance.labeller == "PolNeAR annotator aaaa"  # first by suffix, not bbbb
    got = [(s.speaker, s.text_type, s.text) for s in gold.records.statements]
    assert got == [
        ("Dana Whitlow", TextType.PARAPHRASE, "the bridge would be rebuilt by spring"),
        ("Whitlow", TextType.QUOTE, "We will not leave the river towns cut off"),
        ("Marcus Hale", TextType.PARAPHRASE, "the plan “a fantasy budget”"),
        ("he", TextType.QUOTE, "Nobody has seen the costings"),
        (None, TextType.PARAPHRASE, "his party would vote against it"),
    ]


def test_pronoun_sources_get_the_names_of_their_coreference_chain(tmp_path: Path) -> None:
    data = load("polnear", POLNEAR)
    assert data.speaker_names == {ARTICLE: {"S4": ["Marcus Hale"]}}  # "he added"
    root = _copy(tmp_path)
    shutil.rmtree(root / "test" / "corenlp")
    assert load("polnear", root).speaker_names == {}  # optional
    xml = root / "test" / "corenlp"
    xml.mkdir()
    (xml / f"{ARTICLE}.txt.xml").write_text("<root><document>", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"\.txt\.xml: not a readable CoreNLP XML file"):
        load("polnear", root)


def test_direct_quote_needs_the_whole_content_quoted() -> None:
    assert direct_quote('"Stop," ') == "Stop"
    assert direct_quote("“One.” and “two.”") is None
    assert direct_quote("he said “no”") is None


def test_discontinuous_spans_are_joined() -> None:
    doc = parse_ann("T1\tContent 0 3;8 11\tabc xyz\n", "a.ann")
    assert doc.spans["T1"].text("abc.....xyz") == "abc xyz"


def test_held_out_splits_are_refused() -> None:
    for split in ("train", "dev"):
        with pytest.raises(HeldOutError, match=f"'{split}' is reserved for held-out"):
            load("polnear", POLNEAR, split)


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(POLNEAR, tmp_path / "polnear")
    return tmp_path / "polnear"


def test_span_past_the_text_names_file_and_line(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    ann = root / "test" / "attributions" / f"{ARTICLE}_aaaa.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    lines[2] = "T3\tContent 114 99999\tthe bridge"
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"_aaaa\.ann:3: annotation T3 ends at 99999"):
        load("polnear", root)


def test_malformed_lines_name_file_and_line() -> None:
    with pytest.raises(DatasetError, match=r"x\.ann:2: annotation T2: expected 'TYPE START END"):
        parse_ann("T1\tSource 0 3\tAna\nT2\tCue three four\tsaid\n", "x.ann")
    with pytest.raises(DatasetError, match=r"x\.ann:1: not a brat standoff line"):
        parse_ann("hello world\n", "x.ann")
    with pytest.raises(DatasetError, match=r"x\.ann:1: event E1 names T9, not defined"):
        parse_ann("E1\tAttribution:T9\n", "x.ann")


def test_folder_without_split_says_what_to_give(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no PolNeAR split 'test'"):
        load("polnear", tmp_path)
    with pytest.raises(DatasetError, match="not a folder"):
        load("polnear", tmp_path / "nowhere")
