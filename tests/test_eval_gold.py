"""Gold files are checked on loading; errors name the file and the field (synthetic gold)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from eval_support import ARTICLE, gold_raw, gold_records, make_gold, write_gold_dir

from evals.dataset import load_eval_articles
from evals.gold import GoldError, load_gold
from evals.goldset import default_gold_dir, load_gold_set


def write(tmp_path: Path, raw: dict[str, Any]) -> Path:
    path = tmp_path / f"{ARTICLE.id}.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_a_valid_synthetic_gold_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path, gold_raw(gold_records(), {}, ARTICLE))
    gold = load_gold(path, ARTICLE)
    assert [e.id for e in gold.records.events] == ["E1", "E2"]


def test_out_of_range_span_names_file_and_field(tmp_path: Path) -> None:
    raw = gold_raw(gold_records(), {}, ARTICLE)
    raw["records"]["events"][1]["evidence"]["start"] = len(ARTICLE.text) + 5
    raw["records"]["events"][1]["evidence"]["end"] = len(ARTICLE.text) + 30
    path = write(tmp_path, raw)
    with pytest.raises(GoldError) as err:
        load_gold(path, ARTICLE)
    message = str(err.value)
    assert str(path) in message
    assert "records.events.1.evidence" in message
    assert "does not hold the quote" in message


def test_invalid_field_names_file_and_field(tmp_path: Path) -> None:
    raw = gold_raw(gold_records(), {}, ARTICLE)
    raw["records"]["events"][0]["sub_type"] = "bombing"
    raw["records"]["statements"][0]["mood"] = "angry"
    path = write(tmp_path, raw)
    with pytest.raises(GoldError) as err:
        load_gold(path, ARTICLE)
    message = str(err.value)
    assert message.startswith(f"{path}: 2 invalid field(s)")
    assert "records.events.0.sub_type" in message
    assert "records.statements.0.mood" in message


def test_bad_acceptable_key_names_file_and_key(tmp_path: Path) -> None:
    raw = gold_raw(gold_records(), {}, ARTICLE)
    raw["acceptable"] = {"events.E1.location.district": ["Koya"]}
    path = write(tmp_path, raw)
    with pytest.raises(GoldError, match=r"field 'acceptable'.*events\.E1\.location\.district"):
        load_gold(path, ARTICLE)


def test_gold_for_another_article_text_is_refused(tmp_path: Path) -> None:
    raw = gold_raw(gold_records(), {}, ARTICLE)
    raw["article_sha256"] = "0" * 64
    with pytest.raises(GoldError, match="article_sha256"):
        load_gold(write(tmp_path, raw), ARTICLE)


def test_gold_set_names_a_stray_file(tmp_path: Path) -> None:
    folder = write_gold_dir(tmp_path / "gold", [make_gold()])
    assert list(load_gold_set([ARTICLE], folder)) == [ARTICLE.id]
    (folder / "no-such-article.json").write_text("{}", encoding="utf-8")
    with pytest.raises(GoldError, match=r"no-such-article\.json: no article"):
        load_gold_set([ARTICLE], folder)
    assert list(load_gold_set([ARTICLE], folder, strict=False)) == [ARTICLE.id]
    assert load_gold_set([ARTICLE], tmp_path / "missing") == {}


def test_bundled_gold_files_load() -> None:
    if not any(default_gold_dir().glob("*.json")):
        pytest.skip("no gold files bundled yet (evals/gold/)")
    articles = load_eval_articles()
    golds = load_gold_set(articles)
    assert golds
    for aid, gold in golds.items():
        assert gold.article_id == aid
        assert gold.provenance.guidelines_version
