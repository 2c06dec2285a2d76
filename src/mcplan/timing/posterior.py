"""The posteriors of one channel's personas (see docs/timing.md "The model"), in two levels:

- an hour of any day, per persona: Beta-Binomial, its prior mean the channel's other
  personas' rate at that local hour and the persona's own level, weighed by how well each
  predicts the persona's hours (`beta.profile`), its strength M_hour by the method of
  moments over every persona's hours;
- a weekday and hour, per persona: its prior mean the persona's own rate at that hour on the
  other six days (shrunk towards its hour's prior with M_hour), its strength M_cell by the
  method of moments over every persona's cells.

So a cell nobody was sent at has the rate of its hour, and an hour nobody was sent at the
prior's; no rate is ever 0/0.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from mcplan.timing import beta
from mcplan.timing.result import Cell


@dataclass(frozen=True)
class Channel:
    """Every persona's posteriors at once: cells (personas, 7, 24), hours (personas, 24)."""

    sent: np.ndarray
    engaged: np.ndarray
    cell_prior: np.ndarray  # each cell's prior mean
    cell_strength: float
    rate: np.ndarray  # each cell's posterior mean
    low: np.ndarray  # and its 90 % interval
    high: np.ndarray
    hour_a: np.ndarray  # each hour's posterior Beta(a, b)
    hour_b: np.ndarray

    @classmethod
    def of(cls, sent: np.ndarray, engaged: np.ndarray) -> Channel:
        hour_sent, hour_engaged = sent.sum(axis=1), engaged.sum(axis=1)
        m_hour = beta.strength(hour_sent, hour_engaged, lambda m: beta.profile(
            hour_sent, hour_engaged, m))  # fmt: skip
        hour_prior = beta.profile(hour_sent, hour_engaged, m_hour)
        hour_a = m_hour * hour_prior + hour_engaged
        hour_b = m_hour * (1 - hour_prior) + hour_sent - hour_engaged
        # a cell's prior: the persona's other days at that hour, shrunk towards the channel's
        other_sent = hour_sent[:, np.newaxis, :] - sent
        other_engaged = hour_engaged[:, np.newaxis, :] - engaged
        prior = (m_hour * hour_prior[:, np.newaxis, :] + other_engaged) / (m_hour + other_sent)
        m_cell = beta.strength(sent, engaged, lambda _: prior)
        a = m_cell * prior + engaged
        b = m_cell * (1 - prior) + sent - engaged
        low, high = beta.interval(a, b)
        return cls(sent, engaged, prior, m_cell, beta.mean(a, b), low, high, hour_a, hour_b)

    def pair(self, j: int) -> Pair:
        return Pair(
            self.sent[j], self.engaged[j], self.cell_prior[j], self.cell_strength, self.rate[j],
            self.low[j], self.high[j], self.hour_a[j], self.hour_b[j],
        )  # fmt: skip


@dataclass(frozen=True)
class Pair:
    """One persona and channel: its sends and engagements (7 × 24) and its posteriors."""

    sent: np.ndarray
    engaged: np.ndarray
    cell_prior: np.ndarray
    cell_strength: float
    rate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    hour_a: np.ndarray
    hour_b: np.ndarray

    def cell(self, weekday: int, hour: int) -> tuple[float, float]:
        """The posterior Beta(a, b) of one weekday and hour."""
        m, n = self.cell_prior[weekday, hour], self.sent[weekday, hour]
        k = self.engaged[weekday, hour]
        return self.cell_strength * m + k, self.cell_strength * (1 - m) + n - k

    def hour(self, hour: int) -> tuple[float, float]:
        """The posterior Beta(a, b) of an hour of any day."""
        return float(self.hour_a[hour]), float(self.hour_b[hour])

    def own(self, weekdays: list[int], hour: int) -> tuple[float, float]:
        """The persona's own sends at an hour of some weekdays, alone: Beta(1 + engaged,
        1 + not engaged)."""
        n, k = self.sent[weekdays, hour].sum(), self.engaged[weekdays, hour].sum()
        return 1 + float(k), 1 + float(n - k)

    @functools.cached_property
    def supported(self) -> tuple[np.ndarray, np.ndarray]:
        """The rate the persona's own sends support at 95 % (the 5 % quantile of
        Beta(1 + engaged, 1 + not engaged)) at each weekday and hour (7, 24), and at each
        hour of any day (24); -1 where it was never sent at (a slot not tried is no
        candidate: its 5 % quantile, 0.05, would beat a tried slot of lower rate). Worked
        out once: the best slot, its runner-up and the sends needed all read it."""
        low, _ = beta.interval(1 + self.engaged, 1 + self.sent - self.engaged)
        sent, engaged = self.sent.sum(axis=0), self.engaged.sum(axis=0)
        hour_low, _ = beta.interval(1 + engaged, 1 + sent - engaged)
        return np.where(self.sent > 0, low, -1.0), np.where(sent > 0, hour_low, -1.0)

    def cells(self) -> tuple[Cell, ...]:
        sent, engaged = self.sent.astype(int).tolist(), self.engaged.astype(int).tolist()
        rate, low, high = self.rate.tolist(), self.low.tolist(), self.high.tolist()
        return tuple(
            Cell(d, h, sent[d][h], engaged[d][h], rate[d][h], (low[d][h], high[d][h]))
            for d in range(7) for h in range(24)
        )  # fmt: skip
