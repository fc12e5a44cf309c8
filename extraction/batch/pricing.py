"""What a run cost: token counts times a per-model price table kept in an editable data file.

Prices live in ``extraction/data/prices.json`` (US dollars per million tokens); ``--prices FILE``
swaps in another table of the same shape. A model the table does not know costs ``None``
(unknown), never 0: a summary that says "$0.00" for a model nobody priced would be a lie.

>>> table = PriceTable.from_mapping({"models": {"gpt-4.1-mini": {"input": 0.4, "output": 1.6}}})
>>> table.cost("openai/gpt-4.1-mini-2025-04-14", prompt_tokens=1_000_000, completion_tokens=500_000)
1.2
>>> table.cost("some-local-model", prompt_tokens=10, completion_tokens=10) is None
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULT_PRICES = "prices.json"
"""The bundled table, in ``extraction/data``."""

_VERSION_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|latest|preview)$")


_FIELDS = ("input", "output", "cached_input", "batch_input", "batch_output")


class PriceTableError(ValueError):
    """A price file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Price:
    """US dollars per million tokens."""

    input: float
    output: float
    cached_input: float | None = None
    batch_input: float | None = None
    batch_output: float | None = None
    """What a provider's batch interface bills (about half), when it has one."""

    def cost(
        self, prompt_tokens: int, completion_tokens: int, cached_prompt_tokens: int = 0
    ) -> float:
        """Dollars for one call; cached prompt tokens are billed at ``cached_input`` when known.

        >>> Price(input=2.0, output=8.0, cached_input=0.5).cost(1000, 100, cached_prompt_tokens=600)
        0.0019
        """
        cached = min(cached_prompt_tokens, prompt_tokens) if self.cached_input is not None else 0
        dollars = (
            (prompt_tokens - cached) * self.input
            + cached * (self.cached_input or 0.0)
            + completion_tokens * self.output
        ) / 1_000_000
        return round(dollars, 10)


def model_aliases(model: str) -> list[str]:
    """Names to look a model up under, most specific first: as given, without the provider
    prefix, without a version or date suffix.

    >>> model_aliases("openai/gpt-4o-2024-08-06")
    ['openai/gpt-4o-2024-08-06', 'gpt-4o-2024-08-06', 'gpt-4o']
    """
    names = [model]
    bare = model.rsplit("/", 1)[-1]
    names.append(bare)
    names.append(_VERSION_SUFFIX.sub("", bare))
    out: list[str] = []
    for name in names:
        if name and name.casefold() not in (n.casefold() for n in out):
            out.append(name)
    return out


def _number(value: Any, where: str, field: str, *, required: bool) -> float | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise PriceTableError(f"{where}: field '{field}' must be a number >= 0, got {value!r}")
    return float(value)


@dataclass(frozen=True, slots=True)
class PriceTable:
    prices: Mapping[str, Price]
    source: str = "<mapping>"
    as_of: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "<mapping>") -> PriceTable:
        models = data.get("models")
        if not isinstance(models, Mapping):
            raise PriceTableError(f"{source}: expected an object with a 'models' object")
        prices: dict[str, Price] = {}
        for name, entry in models.items():
            where = f"{source}: models.{name}"
            if not isinstance(entry, Mapping):
                raise PriceTableError(f"{where}: expected an object with 'input' and 'output'")
            unknown = sorted(set(entry) - set(_FIELDS))
            if unknown:
                raise PriceTableError(f"{where}: unknown field(s) {unknown}")
            inp = _number(entry.get("input"), where, "input", required=True)
            out = _number(entry.get("output"), where, "output", required=True)
            optional = {f: _number(entry.get(f), where, f, required=False) for f in _FIELDS[2:]}
            assert inp is not None and out is not None
            prices[name.casefold()] = Price(input=inp, output=out, **optional)
        as_of = data.get("as_of")
        return cls(prices=prices, source=source, as_of=as_of if isinstance(as_of, str) else None)

    @classmethod
    def load(cls, path: str | Path | None = None) -> PriceTable:
        """The table at ``path``, or the bundled one."""
        if path is None:
            text = (resources.files("extraction") / "data" / DEFAULT_PRICES).read_text("utf-8")
            source = f"extraction/data/{DEFAULT_PRICES}"
        else:
            source = str(path)
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise PriceTableError(f"{source}: cannot be read ({exc})") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PriceTableError(f"{source}:{exc.lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise PriceTableError(f"{source}: expected a JSON object")
        return cls.from_mapping(data, source)

    def for_batch(self) -> PriceTable:
        """The table a provider's batch interface bills by: each model's ``batch_input`` and
        ``batch_output``; a model without them is unknown (``None``), never priced as synchronous.

        >>> table = PriceTable.from_mapping({"models": {"gpt-4o": {"input": 2.5, "output": 10,
        ...     "batch_input": 1.25, "batch_output": 5}, "local": {"input": 0, "output": 0}}})
        >>> batch = table.for_batch()
        >>> batch.cost("gpt-4o", prompt_tokens=1_000_000, completion_tokens=0), batch.price("local")
        (1.25, None)
        """
        prices = {
            name: Price(input=p.batch_input, output=p.batch_output)
            for name, p in self.prices.items()
            if p.batch_input is not None and p.batch_output is not None
        }
        return PriceTable(prices=prices, source=f"{self.source} (batch)", as_of=self.as_of)

    def price(self, model: str) -> Price | None:
        for name in model_aliases(model):
            found = self.prices.get(name.casefold())
            if found is not None:
                return found
        return None

    def cost(
        self,
        model: str,
        *,
        prompt_tokens: int,
        completion_tokens: int,
        cached_prompt_tokens: int = 0,
    ) -> float | None:
        """Dollars for the given tokens, or ``None`` when the model is not in the table."""
        price = self.price(model)
        if price is None:
            return None
        return price.cost(prompt_tokens, completion_tokens, cached_prompt_tokens)
