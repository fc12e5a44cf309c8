"""Agreement between two labellers: the reliability coefficients by hand, and `sitrep agree`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from labelling_support import ARTICLE_ID, eval_article
from typer.testing import CliRunner

from labelling.agree import AgreementInputError, agreement
from labelling.cli import agree
from labelling.reliability import cohen_kappa, krippendorff_alpha, observed_agreement
from labelling.store import LabellingFolder
from labelling.submission import Submission, build_gold

# ---------------------------------------------------------------- coefficients, by hand


def test_kappa_and_alpha_on_a_hand_computed_example() -> None:
    # 6 units. Agreement on 4: p_o = 4/6.
    a = ["rep", "rep", "rep", "rec", "rec", "thr"]
    b = ["rep", "rep", "rec", "rec", "rec", "rep"]
    # Cohen: A has rep 3, rec 2, thr 1; B has rep 3, rec 3. p_e = (3*3 + 2*3) / 36 = 15/36.
    # kappa = (24/36 - 15/36) / (1 - 15/36) = 9/21.
    assert observed_agreement(a, b) == pytest.approx(4 / 6)
    assert cohen_kappa(a, b) == pytest.approx(9 / 21)
    # Krippendorff: pooled rep 6, rec 5, thr 1 (n = 12); 2 disagreeing units give 4 ordered
    # pairs; sum over c != k of n_c n_k = 144 - (36 + 25 + 1) = 82. alpha = 1 - 11 * 4 / 82.
    assert krippendorff_alpha(a, b) == pytest.approx(1 - 44 / 82)


def test_krippendorffs_published_binary_example() -> None:
    # Krippendorff (2011), Computing Krippendorff's alpha-reliability, example A: alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha(a, b) == pytest.approx(0.095, abs=5e-4)
    # Cohen by hand: p_o = 0.6, p_e = 0.8 * 0.6 + 0.2 * 0.4 = 0.56, kappa = 0.04 / 0.44.
    assert cohen_kappa(a, b) == pytest.approx(0.04 / 0.44)


def test_perfect_and_undefined_agreement() -> None:
    assert cohen_kappa(["x", "y"], ["x", "y"]) == pytest.approx(1.0)
    assert krippendorff_alpha(["x", "y"], ["x", "y"]) == pytest.approx(1.0)
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None  # one category only: chance is total
    assert krippendorff_alpha(["x", "x"], ["x", "x"]) is None
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError, match="same"):
        cohen_kappa(["x"], ["x", "y"])


# ---------------------------------------------------------------- two labelling folders

QUOTES = [
    "Iran launched a new round of missile and drone attacks",
    "The attack began at about 8:45 a.m. local time",
    "Missiles were also launched at the headquarters",
    "Iran first attacked the opposition groups on Sept. 24",
    "Iran has also launched attacks into Iraq",
    "The fresh attacks were met with condemnation",
    "In response to Thursday’s attack",
]
STANDING_A = ["reported", "reported", "reported", "recalled", "recalled", "threatened"]
STANDING_B = ["reported", "reported", "recalled", "recalled", "recalled", "reported"]


def _event(i: int, standing: str, text: str) -> dict[str, Any]:
    start = text.index(QUOTES[i])
    return {
        "id": f"E{i + 1}",
        "sub_type": "air_drone_strike",
        "standing": standing,
        "evidence": {"quote": QUOTES[i], "start": start, "end": start + len(QUOTES[i])},
    }


STATEMENT_QUOTE = "it said in a statement"


def _statement(sid: str, kind: str) -> dict[str, Any]:
    start = eval_article().text.index(STATEMENT_QUOTE)
    return {
        "id": sid,
        "organisation": "PDKI",
        "kind": kind,
        "text_type": "paraphrase",
        "text": f"statement {sid}",
        "evidence": {"quote": STATEMENT_QUOTE, "start": start, "end": start + len(STATEMENT_QUOTE)},
    }


def _labelled(root: Path, reviewer: str, records: dict[str, Any]) -> Path:
    article = eval_article()
    folder = LabellingFolder(root)
    folder.add_article(article)
    gold = build_gold(
        Submission(records=records), article, draft=None, previous=None, reviewer=reviewer
    )
    folder.write_gold(gold, base_sha256=None)
    return root


@pytest.fixture()
def two_labellers(tmp_path: Path) -> tuple[Path, Path]:
    text = eval_article().text
    a = {
        "events": [_event(i, s, text) for i, s in enumerate(STANDING_A)],
        "statements": [_statement("S1", "condemnation"), _statement("S2", "demand")],
    }
    b = {
        "events": [_event(i, s, text) for i, s in enumerate(STANDING_B)]
        + [_event(6, "reported", text)],
        "statements": [_statement("S1", "condemnation")],
    }
    return _labelled(tmp_path / "a", "ana", a), _labelled(tmp_path / "b", "bo", b)


def test_agreement_figures(two_labellers: tuple[Path, Path]) -> None:
    report = agreement(*two_labellers)
    assert report.articles == [ARTICLE_ID]
    assert (report.labellers_a, report.labellers_b) == (["ana"], ["bo"])
    # Events: A 6, B 7, 6 aligned: F1 = 2*6 / 13. Statements: A 2, B 1, 1 aligned: F1 = 2/3.
    assert report.events.f1 == pytest.approx(12 / 13)
    assert report.statements.f1 == pytest.approx(2 / 3)
    fields = {f.field: f for f in report.fields}
    standing = fields["event.standing"]
    assert standing.categorical and standing.pairs == 6
    assert standing.observed == pytest.approx(4 / 6)
    assert standing.kappa == pytest.approx(9 / 21)
    assert standing.alpha == pytest.approx(1 - 44 / 82)
    sub_type = fields["event.sub_type"]
    assert (sub_type.pairs, sub_type.observed, sub_type.kappa) == (6, 1.0, None)
    outcomes = {(d.field, d.a_record, d.b_record, d.outcome) for d in report.disagreements}
    assert ("event.standing", "E3", "E3", "differ") in outcomes
    assert ("event.standing", "E6", "E6", "differ") in outcomes
    assert ("event", None, "E7", "only_b") in outcomes
    assert ("statement", "S2", None, "only_a") in outcomes
    e3 = next(d for d in report.disagreements if d.field == "event.standing" and d.a_record == "E3")
    assert (e3.a, e3.b) == ("reported", "recalled")


def test_agree_command(two_labellers: tuple[Path, Path], tmp_path: Path) -> None:
    app = typer.Typer()
    app.command("agree")(agree)
    app.command("noop")(lambda: None)
    runner = CliRunner()
    a, b = two_labellers
    res = runner.invoke(app, ["agree", str(a), str(b), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    row = next(f for f in data["fields"] if f["field"] == "event.standing")
    assert row["kappa"] == pytest.approx(9 / 21, abs=1e-4)
    assert data["statements"]["f1"] == pytest.approx(2 / 3)
    shown = runner.invoke(app, ["agree", str(a), str(b)], env={"COLUMNS": "160"})
    assert shown.exit_code == 0
    assert "event.standing" in shown.stdout and "Disagreements" in shown.stdout
    missing = runner.invoke(app, ["agree", str(a), str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "nor a folder of gold .json files" in missing.output


def test_no_common_article_is_an_error(two_labellers: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = two_labellers
    (tmp_path / "empty" / "gold").mkdir(parents=True)
    with pytest.raises(AgreementInputError, match="no article has reviewed gold in both"):
        agreement(a, tmp_path / "empty")


def test_agree_reads_plain_gold_folders_of_the_eval_set() -> None:
    """The double-labelled eval gold (evals/gold vs evals/gold_second) compares directly."""
    from pathlib import Path

    from labelling.agree import agreement

    root = Path(__file__).resolve().parents[1] / "evals"
    report = agreement(root / "gold", root / "gold_second")
    data = report.as_dict()
    assert sorted(data["articles"]) == ["001_5d4c6af62367a363", "004_e97ecd4b04c18fb5"]
    assert 0.0 <= data["events"]["f1"] <= 1.0
