"""Chance-corrected agreement between two labellers on a categorical field.

Both coefficients take the labels two coders gave to the same units (every unit coded by both):

- Cohen's kappa: ``(p_o - p_e) / (1 - p_e)``, chance from each coder's own label frequencies;
- Krippendorff's alpha (nominal): ``1 - D_o / D_e``, chance from the pooled label frequencies,
  with the small-sample correction ``n - 1``.

Krippendorff's own two-coder binary example (Krippendorff 2011, "Computing Krippendorff's
alpha-reliability", section A) gives alpha = 0.095:

>>> a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
>>> b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
>>> round(krippendorff_alpha(a, b), 3)
0.095
>>> round(cohen_kappa(["x", "x", "y", "y"], ["x", "y", "y", "y"]), 3)
0.5

Where chance agreement is total (every label the same), a coefficient is undefined: ``None``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def _check(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    if len(a) != len(b):
        raise ValueError(f"the two coders labelled {len(a)} and {len(b)} units; need the same")
    return len(a)


def observed_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Share of units given the same label."""
    n = _check(a, b)
    return sum(x == y for x, y in zip(a, b, strict=True)) / n if n else None


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two coders' labels for the same units (None when undefined)."""
    n = _check(a, b)
    if n == 0:
        return None
    p_o = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    p_e = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def krippendorff_alpha(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Krippendorff's alpha, nominal metric, two coders, no missing values (None when undefined).

    With two coders per unit, each unit adds the ordered pairs (a, b) and (b, a) to the
    coincidence matrix; ``n`` is twice the number of units.
    """
    units = _check(a, b)
    if units < 1:
        return None
    n = 2 * units
    pooled = Counter(a) + Counter(b)
    disagreeing_pairs = 2 * sum(x != y for x, y in zip(a, b, strict=True))
    expected = n * n - sum(c * c for c in pooled.values())  # sum over c != k of n_c * n_k
    if expected == 0:
        return None
    return 1.0 - (n - 1) * disagreeing_pairs / expected
