"""docs/timing.md's worked example, computed with mcplan's own functions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.special import ndtri

from mcplan.timing import beta

DOC = (Path(__file__).parents[2] / "docs" / "timing.md").read_text("utf-8")
M = 400.0
MU = 2401 / 20002
LEVEL = (380 + M * MU) / (2400 + M)  # pendler's own 2,400 sends, 380 opens
W = 0.7  # the channel's profile's weight on pendler's hours


def _posterior(n: int, k: int, others_n: int, others_k: int) -> tuple[float, float]:
    """An hour's posterior as `beta.profile` writes its prior mean: the channel's profile
    and pendler's level, weighted."""
    m = W * (others_k + M * MU) / (others_n + M) + (1 - W) * LEVEL
    return M * m + k, M * (1 - m) + n - k


def _shown(figure: str) -> None:
    assert figure in DOC, figure


def test_the_worked_example() -> None:
    best = _posterior(300, 66, 2000, 260)
    current = _posterior(320, 32, 2200, 250)
    runner = _posterior(310, 45, 2100, 255)
    assert abs(MU - 0.1200) < 5e-5
    _shown(f"ℓ = (380 + 400 × 0.1200) / (2,400 + 400) = {LEVEL:.4f}")
    prior = W * (260 + M * MU) / (2000 + M) + (1 - W) * LEVEL
    _shown(f"m = 0.7 × 0.1283 + 0.3 × {LEVEL:.4f} = {prior:.4f}")
    _shown(f"Beta({best[0]:.2f}, {best[1]:.2f})")
    _shown(f"Beta({current[0]:.2f}, {current[1]:.2f})")
    rate, now = beta.mean(*best), beta.mean(*current)
    low, high = beta.interval(np.array(best[0]), np.array(best[1]))
    _shown(f"**{rate:.2%}**".replace("%", " %"))
    _shown(f"**{low:.2%} – {high:.2%}**".replace("%", " %"))
    _shown(f"**{now:.2%}**".replace("%", " %"))
    _shown(f"**+{(rate - now) * 100:.2f} points**")
    _shown(f"**{beta.probability_greater(*best, *current):.4f}**")
    _shown(f"{beta.mean(*runner):.2%}".replace("%", " %"))
    _shown(f"**{beta.probability_greater(67, 235, 46, 266):.4f}**")
    z2 = float(ndtri(0.9)) ** 2
    p1, p2 = 67 / 302, 46 / 312  # the own rates, Beta(1 + k, 1 + n - k)'s means
    _shown(f"{p1:.2%} (67 / 302) against {p2:.2%} (46 / 312)".replace("%", " %"))
    needed = z2 * 24 * (p1 * (1 - p1) + p2 * (1 - p2)) / (p1 - p2) ** 2
    _shown(f"**{needed:,.0f}**")


def test_the_thresholds_are_the_models() -> None:
    """The docs give each threshold as the model uses it: a weekday's 1 − 0.01 / 7."""
    from mcplan.timing import model

    _shown(f"probability at least 1 − 0.01 / 7 ≈ {model.WEEKDAY_CREDIBLE:.4f}")
    assert f"least {model.ENOUGH}" in DOC.replace("\n", " ")
