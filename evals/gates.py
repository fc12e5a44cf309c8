"""Quality gates for CI: minimum figures (``--fail-under``) and no regression against a stored run.

A gate is ``<field>.<metric>=<minimum>``: ``event.f1=0.5``, ``statement.kind.p=0.6``,
``grounding.evidence.rate=0.95``. A figure with no value (no gold and no prediction for it) fails
its gate: a gate on nothing must not pass silently.

>>> parse_gate("event.f1=0.5")
Gate(key='event.f1', minimum=0.5)
>>> parse_gate("event.f1")
Traceback (most recent call last):
...
ValueError: gate 'event.f1': expected FIELD.METRIC=VALUE, e.g. event.f1=0.5
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from evals.document import RATE_NAMES
from evals.score import METRICS, EvalResult, all_field_names

_RATE_METRICS = {"rate", "macro"}


class Gate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    minimum: float


class GateResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    minimum: float
    value: float | None
    passed: bool


DATASET_PREFIX = "dataset."
"""Gates on a public data set's own figures: ``dataset.ree.f1``, ``dataset.killed_right.r``."""

DATASET_METRICS = {"p": "precision", "precision": "precision", "r": "recall"}
DATASET_METRICS |= {"recall": "recall", "f1": "f1"}


def check_key(key: str) -> None:
    """Raise ``ValueError`` unless ``key`` names a known field (or data-set figure) and metric."""
    name, _, metric = key.rpartition(".")
    if key.startswith(DATASET_PREFIX):
        from evals.datasets.figures import figure_names

        known = figure_names(True, True, True)
        figure = name[len(DATASET_PREFIX) :]
        if metric not in DATASET_METRICS or figure not in known:
            raise ValueError(
                f"gate {key!r}: expected dataset.<figure>.<p|r|f1>; figures: {', '.join(known)}"
            )
        return
    if metric not in METRICS or not name:
        raise ValueError(
            f"gate {key!r}: the metric after the last '.' must be one of {sorted(METRICS)}"
        )
    if METRICS[metric] in _RATE_METRICS:
        if name not in RATE_NAMES:
            raise ValueError(f"gate {key!r}: {name!r} is not a rate; rates: {list(RATE_NAMES)}")
    elif name not in all_field_names():
        raise ValueError(f"gate {key!r}: no field {name!r}; fields: {', '.join(all_field_names())}")


def parse_gate(text: str) -> Gate:
    """``FIELD.METRIC=VALUE`` with VALUE in [0, 1]."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key or not value.strip():
        raise ValueError(f"gate {text!r}: expected FIELD.METRIC=VALUE, e.g. event.f1=0.5")
    try:
        minimum = float(value)
    except ValueError:
        raise ValueError(f"gate {text!r}: {value.strip()!r} is not a number") from None
    if not 0.0 <= minimum <= 1.0:
        raise ValueError(f"gate {text!r}: the minimum must be between 0 and 1")
    check_key(key)
    return Gate(key=key, minimum=minimum)


def check_gates(
    result: EvalResult, gates: Sequence[Gate], figures: Mapping[str, float | None] | None = None
) -> list[GateResult]:
    """Each gate with the run's value and whether it passed. ``figures`` holds a public data
    set's figures by gate key (``dataset.ree.f1``); a data-set gate without them fails."""
    out: list[GateResult] = []
    for gate in gates:
        if gate.key.startswith(DATASET_PREFIX):
            value = (figures or {}).get(gate.key)
        else:
            value = result.metric(gate.key)
        passed = value is not None and value >= gate.minimum
        out.append(GateResult(key=gate.key, minimum=gate.minimum, value=value, passed=passed))
    return out
