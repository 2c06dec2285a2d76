"""The Beta distributions of the timing model (see docs/timing.md "The model"): equal-tailed
credible intervals, the probability that one rate beats another, and the prior's strength
by the method of moments. scipy's special functions (the regularised incomplete beta
function and its inverse, the log beta function) do the numerics, imported when first
needed."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

LEVEL = 0.90  # credible intervals: 90 %, equal-tailed
STRONGEST = 1e6  # a prior's strength when the slots do not differ beyond chance
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


def strength(sent: np.ndarray, engaged: np.ndarray, prior: Callable[[float], np.ndarray]) -> float:
    """A prior's strength M (its a + b), by the method of moments: each count of ``sent``
    and ``engaged`` (any shape) has the prior Beta(M·m, M·(1 − m)), m its element of
    ``prior(M)``. Under it a rate r = k / n has E[n (r − m)² / (m (1 − m))] = 1 + (n − 1) ρ,
    ρ = 1 / (M + 1) (the intra-class correlation), so ρ is estimated as the excess of that
    statistic over the counts with sends, divided by the sum of their n − 1 (Kleinman's
    estimator), and M = 1 / ρ − 1, from 1 to 10⁶. The prior means depend on M (`profile`):
    M is estimated twice, the second time with the means of the first."""
    estimate = 100.0
    for _ in range(2):
        estimate = _moments(sent, engaged, prior(estimate))
    return estimate


def _moments(sent: np.ndarray, engaged: np.ndarray, mean_: np.ndarray) -> float:
    seen = sent > 1
    n, k, m = sent[seen], engaged[seen], np.clip(mean_[seen], 1e-9, 1 - 1e-9)
    if n.size == 0:
        return STRONGEST
    excess = float(np.sum(n * (k / n - m) ** 2 / (m * (1 - m))) - n.size)
    rho = excess / float(np.sum(n - 1))
    return float(np.clip(1 / rho - 1, 1.0, STRONGEST)) if rho > 0 else STRONGEST


def profile(sent: np.ndarray, engaged: np.ndarray, m_strength: float) -> np.ndarray:
    """The prior mean of each persona's slot (personas, slots): the channel's profile or the
    persona's own level, averaged with the weight each earns on the persona's slots.

    - The channel's profile is the rate of the channel's other personas at that slot, shrunk
      with the same strength towards the channel's rate μ over every slot and persona,
      ``(K_j − k + M·μ) / (N_j − n + M)``: a slot nobody else was sent at has the channel's
      rate, and a persona alone on its channel is shrunk towards μ.
    - The persona's level is its own rate over all its slots, ``(k_p + M·μ) / (n_p + M)``:
      every slot alike.
    - The weight of each is its marginal likelihood (Beta-Binomial, prior strength M) over
      the persona's slots, normalised: a persona whose peaks are not the others' is shrunk
      towards its own level instead of borrowing the others' peaks, and a thin persona
      borrows the channel's shape about as much as its level."""
    total_sent, total_engaged = sent.sum(), engaged.sum()
    overall = (total_engaged + 1) / (total_sent + 2)
    others_sent = sent.sum(axis=0) - sent
    others_engaged = engaged.sum(axis=0) - engaged
    channel = (others_engaged + m_strength * overall) / (others_sent + m_strength)
    own_sent = sent.sum(axis=-1, keepdims=True)
    own_engaged = engaged.sum(axis=-1, keepdims=True)
    level = np.broadcast_to((own_engaged + m_strength * overall) / (own_sent + m_strength),
                            sent.shape)  # fmt: skip
    log_odds = _evidence(sent, engaged, m_strength, level) - _evidence(
        sent, engaged, m_strength, channel)  # fmt: skip
    weight = 1 / (1 + np.exp(np.clip(log_odds, -700, 700)))
    return np.asarray(weight * channel + (1 - weight) * level)


def _evidence(sent: np.ndarray, engaged: np.ndarray, m_strength: float, prior: np.ndarray) -> Any:
    """The log marginal likelihood of each persona's slots (personas, 1) under priors
    Beta(M·m, M·(1 − m)), m each slot's element of ``prior``, less the binomial coefficients
    (the same under every prior)."""
    betaln = _special().betaln
    m = np.clip(prior, 1e-9, 1 - 1e-9)
    a, b = m_strength * m, m_strength * (1 - m)
    terms = betaln(a + engaged, b + sent - engaged) - betaln(a, b)
    return terms.sum(axis=-1, keepdims=True)
