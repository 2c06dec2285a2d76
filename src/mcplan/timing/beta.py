"""The Beta distributions of the timing model (see docs/timing.md "The model"): equal-tailed
credible intervals, the probability that one rate beats another, and the prior's strength
by maximum marginal likelihood. scipy's special functions (the regularised incomplete beta
function and its inverse, the log beta function) do the numerics, imported when first
needed."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np

LEVEL = 0.90  # credible intervals: 90 %, equal-tailed
_NODES = 256  # Gauss–Legendre nodes of `probability_greater`


def _special() -> Any:
    import scipy.special

    return scipy.special


def interval(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 90 % equal-tailed credible interval of Beta(a, b), elementwise."""
    tail = (1 - LEVEL) / 2
    special = _special()
    return special.betaincinv(a, b, tail), special.betaincinv(a, b, 1 - tail)


def mean(a: np.ndarray | float, b: np.ndarray | float) -> Any:
    return np.asarray(a) / (np.asarray(a) + np.asarray(b))


def _sd(a: float, b: float) -> float:
    return float(np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1))))


@cache
def _legendre() -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on (0, 1)."""
    nodes, weights = _special().roots_legendre(_NODES)
    return (nodes + 1) / 2, weights / 2


def probability_greater(a1: float, b1: float, a2: float, b2: float) -> float:
    """P(X > Y) for independent X ~ Beta(a1, b1) and Y ~ Beta(a2, b2), by numeric
    integration: P(X > Y) = ∫₀¹ F_Y(F_X⁻¹(u)) du, over the quantiles of the narrower of the
    two (where the other's distribution function is smooth), with 256 Gauss–Legendre nodes:
    within 10⁻⁶ of scipy's adaptive quadrature of ∫ f_X F_Y (tests/timing)."""
    special = _special()
    u, w = _legendre()
    if _sd(a1, b1) <= _sd(a2, b2):
        return float(np.clip(w @ special.betainc(a2, b2, special.betaincinv(a1, b1, u)), 0, 1))
    less = w @ special.betainc(a1, b1, special.betaincinv(a2, b2, u))  # P(X <= Y)
    return float(np.clip(1 - less, 0, 1))


def strength(sent: np.ndarray, engaged: np.ndarray) -> float:
    """The prior's strength M (its a + b) for one channel, by maximum marginal likelihood:
    ``sent`` and ``engaged`` are (personas, cells); each persona's cell has the prior
    Beta(M·m, M·(1 − m)), m the other personas' rate in that cell (`profile`), and M, from 1
    to 10⁶, is where the Beta-Binomial likelihood of every persona's cells is highest (a
    golden-section search on log₁₀ M, to a hundredth of a decade)."""
    low, high = 0.0, 6.0
    ratio = (math.sqrt(5) - 1) / 2
    left, right = high - ratio * (high - low), low + ratio * (high - low)
    at_left, at_right = (_likelihood(sent, engaged, 10**x) for x in (left, right))
    while high - low > 0.01:
        if at_left >= at_right:  # the maximum is left of `right`
            high, right, at_right = right, left, at_left
            left = high - ratio * (high - low)
            at_left = _likelihood(sent, engaged, 10**left)
        else:
            low, left, at_left = left, right, at_right
            right = low + ratio * (high - low)
            at_right = _likelihood(sent, engaged, 10**right)
    return float(10 ** ((low + high) / 2))


def _likelihood(sent: np.ndarray, engaged: np.ndarray, m_strength: float) -> float:
    """The log marginal likelihood of the cells with sends under strength ``m_strength``
    (without the binomial coefficients, the same for every strength)."""
    special = _special()
    seen = sent > 0
    n, k = sent[seen], engaged[seen]
    m = profile(sent, engaged, m_strength)[seen]
    a, b = m_strength * m, m_strength * (1 - m)
    return float(np.sum(special.betaln(a + k, b + n - k) - special.betaln(a, b)))


def profile(sent: np.ndarray, engaged: np.ndarray, m_strength: float) -> np.ndarray:
    """The prior mean of each persona's cell (personas, cells): the rate of the channel's
    other personas in that cell, itself shrunk with the same strength towards the channel's
    rate over every cell and persona, ``(K_j − k + M·μ) / (N_j − n + M)``, so that a cell
    nobody else was sent at has the channel's rate, and a persona alone on its channel is
    shrunk towards its own rate over every cell."""
    total_sent, total_engaged = sent.sum(), engaged.sum()
    overall = (total_engaged + 1) / (total_sent + 2)
    others_sent = sent.sum(axis=0) - sent
    others_engaged = engaged.sum(axis=0) - engaged
    return np.asarray((others_engaged + m_strength * overall) / (others_sent + m_strength))
