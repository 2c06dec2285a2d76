"""The statistics of message tests and holdouts: two proportions compared.

Every figure is the textbook one, as statsmodels computes it (the tests compare each with
statsmodels to 1e-6, and the far tails with scipy), with the normal distribution of the
standard library (its tails from ``math.erfc``, exact where p-values are tiny):

- power and sample size of a two-sided test of two proportions, on Cohen's effect size
  ``h = 2·asin(√p₁) − 2·asin(√p₀)`` (statsmodels' ``NormalIndPower`` with
  ``proportion_effectsize``), both tails counted;
- the pooled two-proportion z-test (``proportions_ztest``);
- the Wilson interval of one rate (``proportion_confint(method="wilson")``);
- the interval of a ratio of two rates on the log scale (``confint_proportions_2indep(
  compare="ratio", method="log")``), which gives the interval of a relative lift;
- the χ² goodness-of-fit test of an observed split against the planned one
  (``scipy.stats.chisquare``), for a sample ratio mismatch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

_NORMAL = NormalDist()
_STEPS = 200  # bisection steps: far below 1e-12 relative, on any interval used here


def lower_tail(x: float) -> float:
    """P(Z < x) of the standard normal, to full relative precision far in either tail: from
    the complementary error function, where ``NormalDist().cdf`` subtracts from 1 and gives 0
    below x ≈ −8.3 (a p-value of 1e-20 is not 0)."""
    return 0.5 * math.erfc(-x / math.sqrt(2))


def quantile(p: float) -> float:
    """The normal quantile of ``p``."""
    return _NORMAL.inv_cdf(p)


def effect_size(rate: float, baseline: float) -> float:
    """Cohen's h of ``rate`` over ``baseline``: the arcsine distance between two rates."""
    return 2 * math.asin(math.sqrt(rate)) - 2 * math.asin(math.sqrt(baseline))


def power(h: float, n_control: float, ratio: float, alpha: float) -> float:
    """The power of the two-sided test of effect size ``h`` with ``n_control`` contacts in
    the control and ``ratio`` times as many in the other arm."""
    if n_control <= 0 or ratio <= 0:
        return 0.0
    spread = math.sqrt(n_control / (1 + 1 / ratio))
    critical = quantile(1 - alpha / 2)
    return lower_tail(abs(h) * spread - critical) + lower_tail(-abs(h) * spread - critical)


def detectable_effect(n_control: float, ratio: float, alpha: float, target: float) -> float:
    """The smallest effect size ``h`` detected with power ``target`` (inf without contacts)."""
    if n_control <= 0 or ratio <= 0:
        return math.inf
    return _smallest(lambda h: power(h, n_control, ratio, alpha) >= target, 1e6)


def _smallest(enough: Callable[[float], bool], most: float) -> float:
    """The smallest x > 0 for which ``enough(x)`` holds (it holds for every larger x), to a
    relative 1e-12: doubled until it holds, then halved; inf when not even ``most`` does."""
    low, high = 0.0, 1.0
    while not enough(high):
        high *= 2
        if high > most:
            return math.inf
    for _ in range(_STEPS):
        middle = (low + high) / 2
        if enough(middle):
            high = middle
        else:
            low = middle
        if high - low <= 1e-13 * high:
            break
    return high


def detectable_lift(
    baseline: float, n_control: float, ratio: float, alpha: float, target: float
) -> float:
    """The smallest relative lift over ``baseline`` (0.10: +10 %) that the test detects with
    power ``target``; inf when no lift can be seen (no contacts, or beyond a rate of 1)."""
    if not 0 < baseline < 1:
        return math.inf
    h = detectable_effect(n_control, ratio, alpha, target)
    angle = math.asin(math.sqrt(baseline)) + h / 2
    if angle >= math.pi / 2:
        return math.inf
    return math.sin(angle) ** 2 / baseline - 1


def contacts_needed(
    baseline: float, lift: float, ratio: float, alpha: float, target: float
) -> float:
    """The contacts the control needs to detect ``lift`` over ``baseline`` with power
    ``target``, the other arm having ``ratio`` times as many (inf when it cannot)."""
    rate = baseline * (1 + lift)
    if not 0 < baseline < 1 or rate >= 1:
        return math.inf
    h = effect_size(rate, baseline)
    if h == 0:
        return math.inf
    return _smallest(lambda n: power(h, n, ratio, alpha) >= target, 1e15)


@dataclass(frozen=True)
class Comparison:
    """One arm against the control: rates, the relative lift and its interval, the test."""

    rate: float
    control_rate: float
    lift: float | None  # None when the control converted nobody
    low: float | None  # the interval of the lift, at 1 - alpha
    high: float | None
    z: float
    p_value: float


def compare(
    successes: float, contacts: float, control_successes: float, control_contacts: float,
    alpha: float,
) -> Comparison:  # fmt: skip
    """An arm (``successes`` of ``contacts``) against the control: the pooled z-test, two
    sided, and the relative lift with its interval on the log scale."""
    rate = successes / contacts
    control = control_successes / control_contacts
    pooled = (successes + control_successes) / (contacts + control_contacts)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / contacts + 1 / control_contacts))
    z = (rate - control) / spread if spread > 0 else 0.0
    p_value = 2 * lower_tail(-abs(z)) if spread > 0 else 1.0
    lift = low = high = None
    if control > 0:
        lift = rate / control - 1
        if successes > 0:
            log_spread = math.sqrt(
                1 / successes - 1 / contacts + 1 / control_successes - 1 / control_contacts
            )
            critical = quantile(1 - alpha / 2)
            centre = math.log(rate / control)
            low = math.exp(centre - critical * log_spread) - 1
            high = math.exp(centre + critical * log_spread) - 1
    return Comparison(rate, control, lift, low, high, z, p_value)


def wilson(successes: float, contacts: float, alpha: float) -> tuple[float, float]:
    """The Wilson score interval of a rate, at 1 - alpha."""
    if contacts <= 0:
        return (0.0, 1.0)
    z = quantile(1 - alpha / 2)
    rate = successes / contacts
    denominator = 1 + z * z / contacts
    centre = (rate + z * z / (2 * contacts)) / denominator
    half = z * math.sqrt(rate * (1 - rate) / contacts + z * z / (4 * contacts**2)) / denominator
    return (centre - half, centre + half)


def chi_square_p(observed: Sequence[float], shares: Sequence[float]) -> tuple[float, float]:
    """The χ² statistic of ``observed`` counts against the planned ``shares``, and its
    p-value (``len(observed) - 1`` degrees of freedom)."""
    total = sum(observed)
    if total <= 0 or len(observed) < 2:
        return (0.0, 1.0)
    statistic = sum(
        (seen - total * share) ** 2 / (total * share)
        for seen, share in zip(observed, shares, strict=True)
    )
    return statistic, chi_square_sf(statistic, len(observed) - 1)


def chi_square_sf(x: float, freedom: int) -> float:
    """P(χ² > x) with ``freedom`` degrees of freedom: the closed forms of integer degrees
    (an even number: a Poisson sum; an odd one: the normal tail plus a sum)."""
    if x <= 0:
        return 1.0
    half = x / 2
    if freedom % 2 == 0:
        term, total = 1.0, 1.0
        for k in range(1, freedom // 2):
            term *= half / k
            total += term
        return min(1.0, math.exp(-half) * total)
    root = math.sqrt(x)
    tail = 2 * lower_tail(-root)
    term = root * math.exp(-half) * math.sqrt(2 / math.pi)
    for k in range(1, (freedom - 1) // 2 + 1):
        tail += term
        term *= x / (2 * k + 1)
    return min(1.0, tail)
