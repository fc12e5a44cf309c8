"""The price table: bundled data that loads, model names that resolve, unknown models that cost
nothing known (None, never 0), and bad files that say where they are wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.batch.pricing import Price, PriceTable, PriceTableError, model_aliases


def test_bundled_table_prices_every_entry_with_non_negative_numbers() -> None:
    table = PriceTable.load()
    assert table.source == "extraction/data/prices.json"
    assert table.as_of is not None
    assert len(table.prices) >= 10
    for name, price in table.prices.items():
        assert price.input >= 0 and price.output >= 0, name
        assert price.output >= price.input or name == "sitrep-baseline", name


def test_cost_is_tokens_times_price_per_million() -> None:
    table = PriceTable.from_mapping({"models": {"m": {"input": 2.0, "output": 8.0}}})
    assert table.cost("m", prompt_tokens=500_000, completion_tokens=250_000) == pytest.approx(3.0)
    assert table.cost("m", prompt_tokens=0, completion_tokens=0) == 0.0


def test_cached_prompt_tokens_use_the_cached_price_when_the_table_has_one() -> None:
    price = Price(input=1.0, output=4.0, cached_input=0.25)
    assert price.cost(1_000_000, 0, cached_prompt_tokens=1_000_000) == pytest.approx(0.25)
    assert Price(input=1.0, output=4.0).cost(1_000_000, 0, 1_000_000) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "model",
    ["gpt-4.1-mini", "openai/gpt-4.1-mini", "GPT-4.1-MINI", "gpt-4.1-mini-2025-04-14"],
)
def test_provider_prefixes_case_and_date_suffixes_resolve_to_the_base_entry(model: str) -> None:
    table = PriceTable.load()
    assert table.price(model) == table.price("gpt-4.1-mini")
    assert table.price(model) is not None


def test_a_longer_name_is_not_priced_as_its_prefix() -> None:
    table = PriceTable.from_mapping({"models": {"gpt-4o": {"input": 2.5, "output": 10}}})
    assert table.price("gpt-4o-mini") is None
    assert model_aliases("gpt-4o-mini") == ["gpt-4o-mini"]


def test_unknown_model_costs_none_not_zero() -> None:
    table = PriceTable.load()
    assert table.cost("llama3.1:8b", prompt_tokens=1000, completion_tokens=100) is None


def test_a_user_table_replaces_the_bundled_one(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"models": {"llama3.1": {"input": 0.0, "output": 0.0}}}))
    table = PriceTable.load(path)
    assert table.cost("ollama/llama3.1", prompt_tokens=10, completion_tokens=10) == 0.0
    assert table.price("gpt-4.1-mini") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"models": []}', "'models' object"),
        ('{"models": {"m": {"input": -1, "output": 1}}}', "models.m: field 'input'"),
        ('{"models": {"m": {"input": 1}}}', "models.m: field 'output'"),
        ('{"models": {"m": {"input": 1, "output": 1, "per": 3}}}', "unknown field(s) ['per']"),
    ],
)
def test_bad_price_files_name_the_file_and_entry(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(PriceTableError) as info:
        PriceTable.load(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)
